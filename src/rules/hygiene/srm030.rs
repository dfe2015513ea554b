//! SRM030 missing-accountable: written in the policy language (`policies/baseline.toml`);
//! this is its registry entry, which the baseline rule must agree with.

use crate::diag::{BuiltinRule, Severity};

pub static SRM030: BuiltinRule = BuiltinRule::new(
    "SRM030",
    "missing-accountable",
    Severity::Warning,
    "A customer claim names no one accountable.",
    include_str!("../../../docs/rules/SRM030.md"),
);
