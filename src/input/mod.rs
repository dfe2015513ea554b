//! What a run reads from the user's repository: controls files (parsed with a span on
//! every value), `.srmlint.toml` configuration, which files to check, and the
//! Terraform sources a controls file names.

pub mod config;
pub mod controls;
pub mod discover;
pub mod terraform;
