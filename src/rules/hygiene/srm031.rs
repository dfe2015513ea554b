//! SRM031 missing-evidence: written in the policy language (`policies/baseline.toml`);
//! this is its registry entry, which the baseline rule must agree with.

use crate::diag::{BuiltinRule, Severity};

pub static SRM031: BuiltinRule = BuiltinRule {
    code: "SRM031",
    name: "missing-evidence",
    severity: Severity::Warning,
    summary: "A customer claim cites no evidence.",
    doc: include_str!("../../../docs/rules/SRM031.md"),
    waivable: true,
    fixed_level: false,
};
