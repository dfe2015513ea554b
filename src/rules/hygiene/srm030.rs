//! SRM030 missing-accountable: written in the policy language (`policies/baseline.toml`);
//! this is its registry entry, which the baseline rule must agree with.

use crate::diag::{BuiltinRule, Severity};

pub static SRM030: BuiltinRule = BuiltinRule {
    code: "SRM030",
    name: "missing-accountable",
    severity: Severity::Warning,
    summary: "A customer claim names no one accountable.",
    doc: include_str!("../../../docs/rules/SRM030.md"),
    waivable: true,
    fixed_level: false,
};
