//! SRM038 unfilled-claim: a claim with nothing filled in. It weighs three fields
//! together, which one policy rule cannot, so it is written in Rust.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use crate::text::Sp;
use crate::text::pattern::Pattern;

pub static SRM038: BuiltinRule = BuiltinRule::new(
    "SRM038",
    "unfilled-claim",
    Severity::Error,
    "A claim with nothing filled in: no one accountable, no implementation, no evidence.",
    include_str!("../../../docs/rules/SRM038.md"),
);

/// The codes SRM038 is reported instead of, on the entry it fires on.
pub const SUPERSEDED_BY_SRM038: &[&str] = &["SRM030", "SRM031", "SRM036"];

/// What SRM036 takes for a placeholder: its `not_matches` in the embedded baseline (a
/// placeholder word, or a value that is one `<...>` template), written here too so the
/// baseline is parsed once a run; a unit test holds the two to the same text.
const PLACEHOLDER: &str = r"(?i:\b(TODO|TBD|FIXME|CHANGEME)\b)|(?:\b|_)(TODO|TBD|FIXME|CHANGEME)(?:\b|_)|^[ \t\r\n]*<[^<>]*>[ \t\r\n]*$";

/// Whether `text` is blank or a placeholder as SRM036 judges one.
fn is_placeholder(text: &str) -> bool {
    static WORDS: std::sync::LazyLock<Pattern> =
        std::sync::LazyLock::new(|| Pattern::new(PLACEHOLDER).expect("a valid regex"));
    text.trim().is_empty() || WORDS.is_match(text)
}

/// SRM038: every claim (owner `customer` or `shared`) whose accountable and
/// implementation are missing or placeholders and which cites no evidence (none, an
/// empty list, or only placeholders): what `srmlint init` writes and nobody filled in.
/// An entry for a control the matrix does not know is SRM010 alone.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    let unfilled = file.entries
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
        });
    findings.extend(unfilled);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_is_srm036s() {
        let baseline: toml::Table = toml::from_str(super::super::EMBEDDED_BASELINE).unwrap();
        let srm036 = (baseline["rule"].as_array().unwrap().iter())
            .find(|rule| rule["code"].as_str() == Some(super::super::srm036::SRM036.code))
            .unwrap();
        assert_eq!(srm036["require"]["not_matches"].as_str(), Some(PLACEHOLDER));
    }
}
