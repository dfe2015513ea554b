//! The claim-hygiene rules (SRM030, SRM031, SRM034, SRM035, SRM036). Their logic is
//! written in srmlint's own policy language in `policies/baseline.toml`, which proves
//! the language on the project's own rules; these are their registry entries, which
//! the baseline's rules must agree with (a test holds them to it).

use crate::diag::{BuiltinRule, Severity};

/// The baseline policy, embedded like the matrix.
pub const EMBEDDED_BASELINE: &str = include_str!("../../policies/baseline.toml");
/// How the baseline is named where a rule's origin is shown.
pub const BASELINE_ORIGIN: &str = "policies/baseline.toml";

pub static SRM030: BuiltinRule = BuiltinRule {
    code: "SRM030",
    name: "missing-accountable",
    severity: Severity::Warning,
    summary: "A customer claim names no one accountable.",
    doc: include_str!("../../docs/rules/SRM030.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM031: BuiltinRule = BuiltinRule {
    code: "SRM031",
    name: "missing-evidence",
    severity: Severity::Warning,
    summary: "A customer claim cites no evidence.",
    doc: include_str!("../../docs/rules/SRM031.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM034: BuiltinRule = BuiltinRule {
    code: "SRM034",
    name: "stale-review",
    severity: Severity::Warning,
    summary: "The last review is older than the limit.",
    doc: include_str!("../../docs/rules/SRM034.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM035: BuiltinRule = BuiltinRule {
    code: "SRM035",
    name: "review-in-future",
    severity: Severity::Warning,
    summary: "The review date is after today.",
    doc: include_str!("../../docs/rules/SRM035.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM036: BuiltinRule = BuiltinRule {
    code: "SRM036",
    name: "placeholder-value",
    severity: Severity::Warning,
    summary: "A claim's field still holds a placeholder.",
    doc: include_str!("../../docs/rules/SRM036.md"),
    waivable: true,
    fixed_level: false,
};
