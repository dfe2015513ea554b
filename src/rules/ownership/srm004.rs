//! SRM004 owner-mismatch: the owner word differs from the matrix where both sides hold
//! a part. Found while judging claims (`srm002`) and acknowledgements (`srm003`).

use crate::diag::{BuiltinRule, Severity};

pub static SRM004: BuiltinRule = BuiltinRule {
    code: "SRM004",
    name: "owner-mismatch",
    severity: Severity::Warning,
    summary: "The owner word differs from the matrix owner over the models the entry covers.",
    doc: include_str!("../../../docs/rules/SRM004.md"),
    waivable: true,
    fixed_level: false,
};
