//! SRM015 no-services: the deployment declares no services.

use crate::data::matrix::Matrix;
use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::{ControlsFile, Services};
use crate::rules::Context;

pub static SRM015: BuiltinRule = BuiltinRule::new(
    "SRM015",
    "no-services",
    Severity::Error,
    "The deployment declares no services.",
    include_str!("../../../docs/rules/SRM015.md"),
);

/// SRM015 when `services` (or `[deployment]`) is missing, or the list is empty.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    match &file.deployment.services {
        Services::Invalid => {}
        Services::Missing => {
            let (message, label) = if file.deployment.span.is_empty() {
                (
                    "the file has no `[deployment]` table, so it declares no services",
                    "no `[deployment]` in this file",
                )
            } else {
                ("the deployment declares no services", "no `services` here")
            };
            findings.push(
                Finding::new(&SRM015, file.deployment.span.clone(), message)
                    .label(label)
                    .help(services_help(matrix)),
            );
        }
        Services::List(list) if list.value.is_empty() => {
            findings.push(
                Finding::new(&SRM015, list.span.clone(), "`services` is empty")
                    .label("no services")
                    .help(services_help(matrix)),
            );
        }
        Services::List(_) => {}
    }
}

fn services_help(matrix: &Matrix) -> String {
    let ids: Vec<&str> = matrix.services.keys().map(String::as_str).collect();
    format!(
        "list what you use, e.g. `services = [\"{}\"]`; known services: {}",
        ids.first().copied().unwrap_or("..."),
        ids.join(", ")
    )
}
