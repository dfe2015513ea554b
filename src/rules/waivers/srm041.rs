//! SRM041 unused-waiver: a waiver that matched no finding (found in `waivers::apply`).

use crate::diag::{BuiltinRule, Severity};

pub static SRM041: BuiltinRule = BuiltinRule {
    code: "SRM041",
    name: "unused-waiver",
    severity: Severity::Warning,
    summary: "A waiver matched no finding.",
    doc: include_str!("../../../docs/rules/SRM041.md"),
    waivable: false,
    fixed_level: false,
};
