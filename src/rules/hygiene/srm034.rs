//! SRM034 stale-review: written in the policy language (`policies/baseline.toml`);
//! this is its registry entry, which the baseline rule must agree with.

use crate::diag::{BuiltinRule, Severity};

pub static SRM034: BuiltinRule = BuiltinRule::new(
    "SRM034",
    "stale-review",
    Severity::Warning,
    "The last review is older than the limit.",
    include_str!("../../../docs/rules/SRM034.md"),
);
