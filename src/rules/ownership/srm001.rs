//! SRM001 unclaimed-customer-control: a part the customer owes that no entry claims.

use std::collections::{BTreeMap, BTreeSet};

use crate::data::matrix::{Matrix, MatrixOwner};
use crate::data::scope::DeploymentScope;
use crate::diag::{BuiltinRule, Finding, Proposal, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::ownership::Coverage;

pub static SRM001: BuiltinRule = BuiltinRule::new(
    "SRM001",
    "unclaimed-customer-control",
    Severity::Error,
    "A control with a customer part in a model in use has no claim covering that model.",
    include_str!("../../../docs/rules/SRM001.md"),
);

/// SRM001 for every customer part of a model in use that no entry covers.
pub fn report(
    file: &ControlsFile,
    matrix: &Matrix,
    scope: &DeploymentScope,
    coverage: &BTreeMap<(&str, &str), Coverage>,
    attempted: &BTreeSet<&str>,
    findings: &mut Vec<Finding>,
) {
    for (model, service) in &scope.models {
        for control in &matrix.controls {
            let parts = matrix.effective_parts(control, model, &scope.services);
            let Some(customer) = parts.customer else {
                continue;
            };
            let covered = coverage
                .get(&(control.id.as_str(), model.as_str()))
                .copied()
                .unwrap_or_default();
            if covered.claimed || covered.delegated || attempted.contains(control.id.as_str()) {
                continue;
            }
            let model_title = matrix.model_title(model);
            let mut proposal = None;
            let help = if file
                .entries
                .iter()
                .any(|entry| entry.control.value == control.id)
            {
                format!(
                    "add \"{model}\" to `models` in `[controls.{}]`, or remove `models` so the entry covers every model in use",
                    control.id
                )
            } else {
                let owner = matrix
                    .owner_over(control, scope.model_ids(), &scope.services)
                    .unwrap_or(MatrixOwner::Customer);
                proposal = Some(Proposal::AddClaim {
                    control: control.id.clone(),
                    owner: owner.as_str().to_owned(),
                });
                format!(
                    "add this entry to the controls file:\n\n[controls.{}]\nowner = \"{}\"\naccountable = \"<team, role or address>\"\nimplementation = \"<what you do>\"\nevidence = [\"<path or URL>\"]",
                    control.id,
                    owner.as_str(),
                )
            };
            findings.push(
                Finding::new(
                    &SRM001,
                    service.span.clone(),
                    format!(
                        "`{}` is the customer's in {model_title} (brought in by `{}`), but no entry claims it; your part: {}",
                        control.id, service.value, customer.scope
                    ),
                )
                .propose_if(proposal)
                .label(format!("brings in {model_title}"))
                .help(help)
                .control(control.id.clone())
                .model(model.clone()),
            );
        }
    }
}
