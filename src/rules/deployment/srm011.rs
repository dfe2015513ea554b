//! SRM011 unknown-service: `services` names a service the catalog does not have.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::{ControlsFile, Services};
use crate::rules::Context;
use crate::rules::deployment::unknown_id;

pub static SRM011: BuiltinRule = BuiltinRule::new(
    "SRM011",
    "unknown-service",
    Severity::Error,
    "The service id is not in the catalog.",
    include_str!("../../../docs/rules/SRM011.md"),
);

/// SRM011 for every listed service the catalog does not know.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    let Services::List(list) = &file.deployment.services else {
        return;
    };
    for service in &list.value {
        if !matrix.services.contains_key(&service.value) {
            let known: Vec<&str> = matrix.services.keys().map(String::as_str).collect();
            let alias = matrix.service_of_alias(&service.value);
            findings.push(
                unknown_id(&SRM011, (service, "unknown service"), &known, alias)
                .label("not in the service catalog")
                .help("run `srmlint matrix --format json` for the catalog, or `srmlint init` without `--services` for the list"),
            );
        }
    }
}
