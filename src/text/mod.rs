//! Text and files, the bottom layer: spans and positions, escaping for every output
//! medium, spanned TOML reading, file reads and writes, digests, dates, globs and
//! did-you-mean.
//! Nothing here knows controls, rules or providers, and nothing imports from the
//! rest of the crate, so every layer above can rely on it.

pub mod date;
pub mod digest;
pub mod escape;
pub mod evidence_file;
pub mod folder;
pub mod fs;
pub mod git;
pub mod glob;
pub mod json;
pub mod pattern;
pub mod resolve;
pub mod source;
pub mod spanned_json;
pub mod suggest;
pub mod toml;

pub use source::{Position, SourceText, Sp};
