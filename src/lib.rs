//! srmlint: checks who owns each security control of a cloud deployment against the
//! provider's Shared Responsibility Model, and reports what is wrong and where.
//!
//! The library returns data and never prints; `main.rs` owns the terminal.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod config;
pub mod controls;
pub mod date;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod evidence;
pub mod explain;
pub mod frameworks;
pub mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
pub mod glob;
pub mod init;
pub mod load_problem;
pub mod matrix;
pub mod matrix_view;
pub mod output;
pub mod parallel;
pub mod policy;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod suggest;
pub mod waivers;
