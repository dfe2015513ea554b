//! SRM020 invalid-toml: the file is not TOML, so nothing else in it is judged.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::text::toml::Problem;

pub static SRM020: BuiltinRule = BuiltinRule::new(
    "SRM020",
    "invalid-toml",
    Severity::Error,
    "The file is not valid TOML.",
    include_str!("../../../docs/rules/SRM020.md"),
);

/// The finding at the place the TOML parser stopped.
pub fn finding(problem: Problem) -> Finding {
    Finding::from_problem(&SRM020, problem).help(
        "fix the TOML syntax at the marked place; the rest of the file is checked once it parses",
    )
}
