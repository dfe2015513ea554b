//! SRM035 review-in-future: written in the policy language (`policies/baseline.toml`);
//! this is its registry entry, which the baseline rule must agree with.

use crate::diag::{BuiltinRule, Severity};

pub static SRM035: BuiltinRule = BuiltinRule::new(
    "SRM035",
    "review-in-future",
    Severity::Warning,
    "The review date is after today.",
    include_str!("../../../docs/rules/SRM035.md"),
);
