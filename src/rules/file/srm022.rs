//! SRM022 unreadable-file: the controls file cannot be read or decoded (not a regular
//! file, too large, not UTF-8, a link that leads out of the repository or nowhere).

use crate::diag::{BuiltinRule, Finding, Severity};

pub static SRM022: BuiltinRule = BuiltinRule::new(
    "SRM022",
    "unreadable-file",
    Severity::Error,
    "The controls file cannot be read or decoded.",
    include_str!("../../../docs/rules/SRM022.md"),
);

/// The finding for a file that could not be read or decoded, and why.
pub fn unreadable(problem: String) -> Finding {
    Finding::new(&SRM022, 0..0, problem)
        .label("this file")
        .help("controls files are UTF-8 TOML text of at most 4 MiB")
}
