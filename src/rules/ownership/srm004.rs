//! SRM004 owner-mismatch: the owner word differs from the matrix where both sides hold
//! a part. Found while judging claims (`srm002`) and acknowledgements (`srm003`).

use crate::diag::{BuiltinRule, Severity};

pub static SRM004: BuiltinRule = BuiltinRule::new(
    "SRM004",
    "owner-mismatch",
    Severity::Warning,
    "The owner word differs from the matrix owner over the models the entry covers.",
    include_str!("../../../docs/rules/SRM004.md"),
);
