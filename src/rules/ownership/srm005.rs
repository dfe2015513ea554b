//! SRM005 inapplicable-control: an entry for a control, or a `models` value, that no
//! model in use applies to.

use crate::data::scope::DeploymentScope;
use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::Entry;

pub static SRM005: BuiltinRule = BuiltinRule::new(
    "SRM005",
    "inapplicable-control",
    Severity::Warning,
    "The entry concerns a control or model that the deployment does not use.",
    include_str!("../../../docs/rules/SRM005.md"),
);

/// The models an entry covers, reporting `models` values that name a model not in use.
pub fn covered_models<'e>(
    entry: &'e Entry,
    scope: &'e DeploymentScope,
    findings: &mut Vec<Finding>,
) -> Vec<&'e str> {
    let Some(models) = &entry.models else {
        return scope.model_ids().collect();
    };
    let mut covered = Vec::new();
    for model in &models.value {
        if scope.models.contains_key(&model.value) {
            if !covered.contains(&model.value.as_str()) {
                covered.push(model.value.as_str());
            }
        } else {
            findings.push(
                Finding::new(
                    &SRM005,
                    model.span.clone(),
                    format!(
                        "`models` names `{}`, but no service of that model is in use",
                        model.value
                    ),
                )
                .label("model not in use")
                .help(format!(
                    "remove `{}` from `models`, or add the service that uses it to `services`",
                    model.value
                ))
                .control(entry.control.value.clone())
                .model(model.value.clone()),
            );
        }
    }
    covered.sort_unstable();
    covered
}
