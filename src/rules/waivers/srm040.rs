//! SRM040 expired-waiver: a waiver past its `expires` date (found in `waivers::apply`).

use crate::diag::{BuiltinRule, Severity};

pub static SRM040: BuiltinRule = BuiltinRule {
    code: "SRM040",
    name: "expired-waiver",
    severity: Severity::Error,
    summary: "A waiver is past its expiry date.",
    doc: include_str!("../../../docs/rules/SRM040.md"),
    waivable: false,
    fixed_level: true,
};
