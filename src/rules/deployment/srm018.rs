//! SRM018 duplicate-value: a value listed twice in one list.

use crate::diag::{BuiltinRule, Finding, Proposal, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use crate::text::Sp;

pub static SRM018: BuiltinRule = BuiltinRule::new(
    "SRM018",
    "duplicate-value",
    Severity::Warning,
    "A value is listed twice in one list.",
    include_str!("../../../docs/rules/SRM018.md"),
);

/// A list to look for repeats in: its key, its items, and the entry's control.
type NamedList<'a> = (&'a str, &'a [Sp<String>], Option<&'a str>);

/// SRM018 for every value listed again in one list: `services`, `zones`,
/// `frameworks`, `terraform`, and each entry's `models` and `evidence`.
pub fn check(file: &ControlsFile, _: &Context<'_>, findings: &mut Vec<Finding>) {
    let deployment = &file.deployment;
    let mut lists: Vec<NamedList<'_>> = vec![
        ("services", deployment.service_list(), None),
        ("zones", &deployment.zones, None),
        ("frameworks", &deployment.frameworks, None),
        ("terraform", &deployment.terraform, None),
    ];
    for entry in &file.entries {
        let control = Some(entry.control.value.as_str());
        if let Some(models) = &entry.models {
            lists.push(("models", &models.value, control));
        }
        if let Some(evidence) = &entry.evidence {
            lists.push(("evidence", &evidence.value, control));
        }
    }
    for (key, items, control) in lists {
        // A set, not a scan of the items before: a list of 100,000 must not take minutes.
        let mut seen = std::collections::HashSet::new();
        for item in items {
            if !seen.insert(item.value.as_str()) {
                let mut finding = Finding::new(
                    &SRM018,
                    item.span.clone(),
                    format!("`{}` is listed twice in `{key}`", item.value),
                )
                .propose(Proposal::RemoveRepeats)
                .label("listed before")
                .help(format!("remove the repeated `{}`", item.value));
                finding.control = control.map(str::to_owned);
                findings.push(finding);
            }
        }
    }
}
