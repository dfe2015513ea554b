//! SRM055 unmapped-resource: a resource type of the provider, or a value of a
//! service-deciding attribute, that the catalog does not know.

use crate::data::matrix::Matrix;
use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::input::terraform::deployed::{ServiceOf, service_of};
use crate::rules::Context;
use crate::rules::terraform::short;

pub static SRM055: BuiltinRule = BuiltinRule::new(
    "SRM055",
    "unmapped-resource",
    Severity::Info,
    "A resource type of the provider that the catalog does not know.",
    include_str!("../../../docs/rules/SRM055.md"),
);
/// SRM055 for every resource the catalog cannot place: an unknown type, or a value
/// no service is created by.
pub fn check(_: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    for item in &context.deployed.resources {
        let resource = item.resource;
        match service_of(resource, &matrix.terraform) {
            ServiceOf::Unmapped => {
                findings.push(
                    Finding::new(
                        &SRM055,
                        item.header(),
                        format!(
                            "`{}` is of type `{}`, which the service catalog neither maps to a service nor lists as creating none; it is not checked",
                            resource.address, resource.resource_type
                        ),
                    )
                    .label("unknown resource type")
                    .help("if it creates a service, the catalog (`policies/` of srmlint, or your `--matrix` file) needs it under that service's `terraform`; otherwise under `[terraform] serviceless`")
                    .in_file(item.file()),
                );
            }
            ServiceOf::UnknownValue { attribute, value } => {
                let span = item.span(attribute);
                findings.push(
                    Finding::new(
                        &SRM055,
                        span,
                        format!(
                            "`{}` has `{attribute} = \"{}\"`, which no service of the catalog is created by; it is not checked",
                            resource.address,
                            short(&value)
                        ),
                    )
                    .label("no service for this value")
                    .help(format!(
                        "the catalog knows these for `{}`: {}",
                        resource.resource_type,
                        known_values(matrix, &resource.resource_type, attribute).join(", ")
                    ))
                    .in_file(item.file_of(attribute)),
                );
            }
            _ => {}
        }
    }
}

fn known_values(matrix: &Matrix, resource_type: &str, attribute: &str) -> Vec<String> {
    match matrix.terraform.mapping(resource_type).map(|m| &m.service) {
        Some(crate::data::terraform::ServiceBy::Attribute {
            attribute: by,
            values,
        }) if by == attribute => values.keys().map(|value| format!("`{value}`")).collect(),
        _ => Vec::new(),
    }
}
