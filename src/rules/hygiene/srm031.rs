//! SRM031 missing-evidence: written in the policy language (`policies/baseline.toml`);
//! this is its registry entry, which the baseline rule must agree with.

use crate::diag::{BuiltinRule, Severity};

pub static SRM031: BuiltinRule = BuiltinRule::new(
    "SRM031",
    "missing-evidence",
    Severity::Warning,
    "A customer claim cites no evidence.",
    include_str!("../../../docs/rules/SRM031.md"),
);
