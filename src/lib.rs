//! srmlint: checks who owns each security control of a cloud deployment against the
//! provider's Shared Responsibility Model, and reports what is wrong and where.
//!
//! The library is in layers; each imports only from the layers before it in this list
//! (`tests/it/layers.rs` holds every file to it):
//! `text` → `diag` → `data` → `input` → `rules` → `policy` → `check` → `posture` →
//! `diff` → `render` → `authoring` → `server`. The library returns data and never
//! prints; `main.rs` owns the terminal (and hands the language server its standard
//! input and output).
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod text;

pub mod diag;

pub mod data;

pub mod input;

pub mod rules;

pub mod policy;

pub mod check;

pub mod posture;

pub mod diff;

pub mod render;

pub mod authoring;

pub mod server;

pub use diag::Error;
