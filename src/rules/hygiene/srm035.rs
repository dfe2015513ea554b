//! SRM035 review-in-future: written in the policy language (`policies/baseline.toml`);
//! this is its registry entry, which the baseline rule must agree with.

use crate::diag::{BuiltinRule, Severity};

pub static SRM035: BuiltinRule = BuiltinRule {
    code: "SRM035",
    name: "review-in-future",
    severity: Severity::Warning,
    summary: "The review date is after today.",
    doc: include_str!("../../../docs/rules/SRM035.md"),
    waivable: true,
    fixed_level: false,
};
