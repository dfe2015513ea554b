//! SRM016 unknown-framework: `frameworks` names a framework no mapping exists for.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use crate::rules::deployment::unknown_id;

pub static SRM016: BuiltinRule = BuiltinRule::new(
    "SRM016",
    "unknown-framework",
    Severity::Error,
    "The framework has no mapping.",
    include_str!("../../../docs/rules/SRM016.md"),
);

/// SRM016 for every framework without a mapping.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let known = context.frameworks;
    for framework in &file.deployment.frameworks {
        if !known.contains(&framework.value.as_str()) {
            findings.push(
                unknown_id(
                    &SRM016,
                    (framework, "no mapping for framework"),
                    known,
                    None,
                )
                .label("unknown framework")
                .help(format!("frameworks with a mapping: {}", known.join(", "))),
            );
        }
    }
}
