//! SRM011 unknown-service: `services` names a service the catalog does not have.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::{ControlsFile, Services};
use crate::rules::Context;
use crate::rules::deployment::safe_replacement;
use crate::text::suggest;

pub static SRM011: BuiltinRule = BuiltinRule {
    code: "SRM011",
    name: "unknown-service",
    severity: Severity::Error,
    summary: "The service id is not in the catalog.",
    doc: include_str!("../../../docs/rules/SRM011.md"),
    waivable: true,
    fixed_level: false,
};

/// SRM011 for every listed service the catalog does not know.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    let Services::List(list) = &file.deployment.services else {
        return;
    };
    for service in &list.value {
        if !matrix.services.contains_key(&service.value) {
            findings.push(
                Finding::new(
                    &SRM011,
                    service.span.clone(),
                    format!(
                        "unknown service `{}`{}",
                        service.value,
                        suggest::hint_or_alias(
                            &service.value,
                            matrix.service_of_alias(&service.value),
                            matrix.services.keys().map(String::as_str)
                        )
                    ),
                )
                .propose_if(
                    matrix
                        .service_of_alias(&service.value)
                        .or_else(|| {
                            suggest::single(&service.value, matrix.services.keys().map(String::as_str))
                        })
                        .map(safe_replacement),
                )
                .label("not in the service catalog")
                .help("run `srmlint matrix --format json` for the catalog, or `srmlint init` without `--services` for the list"),
            );
        }
    }
}
