//! SRM053 invalid-terraform: a source that is missing, outside the repository,
//! unreadable, or not valid Terraform.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::input::terraform::{ProblemKind, Source};
use crate::rules::Context;
use crate::rules::terraform::{at_source, problems};

pub static SRM053: BuiltinRule = BuiltinRule::new(
    "SRM053",
    "invalid-terraform",
    Severity::Error,
    "A Terraform source is missing, outside the repository, unreadable or not valid.",
    include_str!("../../../docs/rules/SRM053.md"),
);
/// SRM053 for every source that cannot be read, and every invalid file in one.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    for source in context.terraform {
        let inventory = match &source.read {
            Ok(inventory) => inventory,
            Err(why) => {
                findings.push(unusable_source(source, why, file));
                continue;
            }
        };
        let kind = ProblemKind::Invalid;
        problems(&SRM053, kind, (source, inventory), file, findings);
    }
}

/// SRM053 for a source that is no Terraform at all, at its `terraform` value.
fn unusable_source(source: &Source, why: &str, file: &ControlsFile) -> Finding {
    let finding = Finding::new(
        &SRM053,
        0..0,
        format!("the Terraform source `{}` {why}", source.shown()),
    )
    .label("not read")
    .help("name a folder of `.tf` files or a `terraform show -json` file, relative to the controls file's folder and inside the repository");
    at_source(finding, source, file)
}
