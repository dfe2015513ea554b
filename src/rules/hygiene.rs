//! The claim-hygiene rules (SRM030, SRM031, SRM034, SRM035, SRM036, SRM038). The first
//! five are written in srmlint's own policy language in `policies/baseline.toml`, which proves
//! the language on the project's own rules; these are their registry entries, which
//! the baseline's rules must agree with (a test holds them to it). SRM038 weighs three
//! fields together, which one policy rule cannot, so it is written here.

use crate::data::matrix::Matrix;
use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::text::Sp;

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

pub static SRM038: BuiltinRule = BuiltinRule {
    code: "SRM038",
    name: "unfilled-claim",
    severity: Severity::Error,
    summary: "A claim with nothing filled in: no one accountable, no implementation, no evidence.",
    doc: include_str!("../../docs/rules/SRM038.md"),
    waivable: true,
    fixed_level: false,
};

/// The codes SRM038 is reported instead of, on the entry it fires on.
pub const SUPERSEDED_BY_SRM038: &[&str] = &["SRM030", "SRM031", "SRM036"];

/// The placeholder words SRM036 looks for (the baseline's `not_matches`), as whole words.
fn is_placeholder(text: &str) -> bool {
    static WORDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(TODO|TBD|FIXME|CHANGEME)\b").expect("a valid regex")
    });
    text.trim().is_empty() || WORDS.is_match(text)
}

/// SRM038: every claim (owner `customer` or `shared`) whose accountable and
/// implementation are missing or placeholders and which cites no evidence (none, an
/// empty list, or only placeholders): what `srmlint init` writes and nobody filled in.
/// An entry for a control the matrix does not know is SRM010 alone.
pub fn unfilled(file: &ControlsFile, matrix: &Matrix) -> Vec<Finding> {
    file.entries
        .iter()
        .filter(|entry| entry.owner.as_ref().is_some_and(|owner| owner.value.is_claim()))
        .filter(|entry| matrix.control(&entry.control.value).is_some())
        .filter(|entry| {
            let unfilled = |field: &Option<Sp<String>>| {
                field.as_ref().is_none_or(|value| is_placeholder(&value.value))
            };
            let no_evidence = entry.evidence.as_ref().is_none_or(|list| {
                list.value.iter().all(|item| is_placeholder(&item.value))
            });
            unfilled(&entry.accountable) && unfilled(&entry.implementation) && no_evidence
        })
        .map(|entry| {
            let control = &entry.control.value;
            Finding::new(
                &SRM038,
                entry.header.clone(),
                format!("the claim on `{control}` is not filled in: no one accountable, no implementation, no evidence"),
            )
            .label("unfilled claim")
            .help(format!(
                "name who answers for {control} (`accountable`), say how it is done (`implementation`) and cite what shows it working (`evidence`); until then the control is open"
            ))
            .control(control.clone())
        })
        .collect()
}
