//! SRM012 unknown-zone: `zones` names a zone the catalog does not have.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use crate::rules::deployment::unknown_id;

pub static SRM012: BuiltinRule = BuiltinRule::new(
    "SRM012",
    "unknown-zone",
    Severity::Error,
    "The zone id is not in the catalog.",
    include_str!("../../../docs/rules/SRM012.md"),
);

/// SRM012 for every listed zone the catalog does not know.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    for zone in &file.deployment.zones {
        if matrix.zones.contains_key(&zone.value) {
            continue;
        }
        let known: Vec<&str> = matrix.zones.keys().map(String::as_str).collect();
        findings.push(
            unknown_id(&SRM012, (zone, "unknown zone"), &known, None)
                .label("not a zone of this provider")
                .help(format!("zones: {}", known.join(", "))),
        );
    }
}
