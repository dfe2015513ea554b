//! SRM036 placeholder-value: written in the policy language (`policies/baseline.toml`);
//! this is its registry entry, which the baseline rule must agree with.

use crate::diag::{BuiltinRule, Severity};

pub static SRM036: BuiltinRule = BuiltinRule::new(
    "SRM036",
    "placeholder-value",
    Severity::Warning,
    "A claim's field still holds a placeholder.",
    include_str!("../../../docs/rules/SRM036.md"),
);
