//! SRM050 undeclared-service: the Terraform creates a service `services` does not list.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{BuiltinRule, Finding, Proposal, Severity};
use crate::input::controls::ControlsFile;
use crate::input::terraform::deployed::{Found, ServiceOf, service_of};
use crate::rules::Context;

pub static SRM050: BuiltinRule = BuiltinRule::new(
    "SRM050",
    "undeclared-service",
    Severity::Error,
    "The Terraform creates a service that `services` does not list.",
    include_str!("../../../docs/rules/SRM050.md"),
);
/// SRM050 once per undeclared service, at the first resource that creates it.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let mut by_service: BTreeMap<&str, Vec<&Found<'_>>> = BTreeMap::new();
    for item in &context.deployed.resources {
        if let ServiceOf::Service(service) = service_of(item.resource, &context.matrix.terraform) {
            by_service.entry(service).or_default().push(item);
        }
    }
    let declared = file.deployment.service_list();
    for (service, resources) in &by_service {
        if declared.iter().any(|listed| listed.value == *service) {
            continue;
        }
        let first = resources[0];
        // A folder evaluated twice (one var file per environment) holds its resources
        // twice: each counts once.
        let distinct: BTreeSet<(&str, &str)> = (resources.iter())
            .map(|found| {
                let (inventory, resource) = found.at();
                let path = inventory.files[resource.file].path.as_str();
                (path, found.resource.address.as_str())
            })
            .collect();
        let others = match distinct.len() - 1 {
            0 => String::new(),
            1 => "; 1 more resource creates it".to_owned(),
            more => format!("; {more} more resources create it"),
        };
        // Only when every resource that would create it may not exist is that said:
        // one that surely exists decides.
        let unsure = if resources
            .iter()
            .all(|found| found.resource.unsure.is_some())
        {
            format!(
                " (it is taken as created: {})",
                first.resource.unsure.as_deref().unwrap_or_default()
            )
        } else {
            String::new()
        };
        findings.push(
            Finding::new(
                &SRM050,
                first.header(),
                format!(
                    "`{}` creates `{service}`{unsure}, which `{}` does not list in `services`, so none of its obligations are checked{others}",
                    first.resource.address, context.controls
                ),
            )
            .propose(Proposal::AddToDeployment {
                key: "services".to_owned(),
                value: (*service).to_owned(),
            })
            .label(format!("creates {service}"))
            .help(format!(
                "add \"{service}\" to `services` in `{}` and claim what it brings in",
                context.controls
            ))
            .in_file(first.file()),
        );
    }
}
