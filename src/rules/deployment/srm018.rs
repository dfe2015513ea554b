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
/// `frameworks`, `terraform` (a source with the same var files and workspace: with
/// others, it is another evaluation), and each entry's `models` and `evidence`.
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
    // What a source's table form adds, as written.
    let settings = |key: &str, index: usize| {
        let vars = deployment
            .terraform_vars
            .get(index)
            .filter(|_| key == "terraform");
        let files = vars.map(|vars| vars.var_files.iter().map(|file| file.value.as_str()));
        let workspace = vars.and_then(|vars| vars.workspace.as_ref());
        (
            files.into_iter().flatten().collect::<Vec<_>>(),
            workspace.map(|workspace| workspace.value.as_str()),
        )
    };
    for (key, items, control) in lists {
        let keyed = |index: usize| (items[index].value.as_str(), settings(key, index));
        // A short list is scanned, a long one goes through a set: a list of 100,000
        // must not take minutes, nor a list of three cost a hash of each item.
        let mut seen = std::collections::HashSet::new();
        for (index, item) in items.iter().enumerate() {
            let repeated = if items.len() <= 32 {
                let this = keyed(index);
                (0..index)
                    .any(|earlier| items[earlier].value == item.value && keyed(earlier) == this)
            } else {
                !seen.insert(keyed(index))
            };
            if repeated {
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
