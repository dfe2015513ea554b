//! What a run reads from the user's repository: controls files (parsed with a span on
//! every value), `.srmlint.toml` configuration, and which files to check.

pub mod config;
pub mod controls;
pub mod discover;
