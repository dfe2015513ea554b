//! Comparisons for review: `srmlint diff` (what a change to controls files does to who
//! owns what: `build` the model, `git` the revisions, `render` its formats) and
//! `srmlint matrix diff` (what changed between two versions of the matrix: `matrix`).
//!
//! This layer sits above `render` because an ownership diff matches findings by the
//! same fingerprint SARIF's `partialFingerprints` carry (`render::fingerprint`); it
//! renders its own formats, so nothing below needs to know it.

pub mod build;
pub mod git;
pub mod matrix;
pub mod render;
pub mod snapshot;

/// The output formats of `srmlint diff` and `srmlint matrix diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Plain text for a terminal.
    Human,
    /// A pull-request comment or step summary: a verdict line, then short tables.
    Markdown,
    /// The stable JSON document (`docs/diff.md`).
    Json,
}

pub use build::{OwnershipDiff, Side};
