//! SRM017 residency-unchecked: a residency is declared but no zone.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::Context;

pub static SRM017: BuiltinRule = BuiltinRule::new(
    "SRM017",
    "residency-unchecked",
    Severity::Warning,
    "A residency is declared but no zone, so nothing can be checked against it.",
    include_str!("../../../docs/rules/SRM017.md"),
);

/// SRM017 once, at `residency`, when no zone is listed.
pub fn check(file: &ControlsFile, _: &Context<'_>, findings: &mut Vec<Finding>) {
    let deployment = &file.deployment;
    if let Some(residency) = &deployment.residency
        && deployment.zones.is_empty()
    {
        findings.push(
            Finding::new(
                &SRM017,
                residency.span.clone(),
                format!(
                    "`residency = \"{}\"` is declared, but no zone is, so nothing can be checked against it",
                    residency.value
                ),
            )
            .label("nothing to check")
            .help("list the zones the deployment runs in: `zones = [\"ch-gva-2\"]`"),
        );
    }
}
