//! SRM051 unused-service: a declared service no resource in the Terraform creates.

use std::collections::BTreeSet;

use crate::diag::{Applicability, BuiltinRule, Finding, Proposal, Severity};
use crate::input::controls::{ControlsFile, Services};
use crate::input::terraform::Source;
use crate::input::terraform::deployed::{ServiceOf, service_of};
use crate::rules::Context;

pub static SRM051: BuiltinRule = BuiltinRule::new(
    "SRM051",
    "unused-service",
    Severity::Warning,
    "A declared service has no resource in the Terraform sources.",
    include_str!("../../../docs/rules/SRM051.md"),
);
/// SRM051 for every listed service the catalog can create that no resource creates
/// (or may create, its service undecided); only when every source was read in full.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    let deployment = &file.deployment;
    if context.terraform.is_empty() || !context.deployed.complete {
        return;
    }
    let mut created: BTreeSet<&str> = BTreeSet::new();
    for item in &context.deployed.resources {
        match service_of(item.resource, &matrix.terraform) {
            ServiceOf::Service(service) => {
                created.insert(service);
            }
            ServiceOf::Undecided { candidates, .. } => created.extend(candidates),
            _ => {}
        }
    }
    if let Services::List(list) = &deployment.services {
        let shown: Vec<String> = context.terraform.iter().map(Source::shown).collect();
        let mut seen = BTreeSet::new();
        for service in &list.value {
            let id = service.value.as_str();
            let creatable = matrix
                .services
                .get(id)
                .is_some_and(|known| !known.terraform.is_empty());
            if !creatable || created.contains(id) || !seen.insert(id) {
                continue;
            }
            findings.push(
                Finding::new(
                    &SRM051,
                    service.span.clone(),
                    format!(
                        "no resource in the Terraform sources ({}) creates `{id}`",
                        shown.join(", ")
                    ),
                )
                .propose(Proposal::RemoveItem {
                    applicability: Applicability::Unsafe,
                })
                .label("not in the Terraform")
                .help("remove the service if the deployment no longer uses it; if it is created elsewhere (another provider or repository), waive SRM051 with the reason"),
            );
        }
    }
}
