//! SRM010 unknown-control: an entry names a control id the matrix does not have.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use crate::rules::deployment::safe_replacement;
use crate::text::suggest;

pub static SRM010: BuiltinRule = BuiltinRule::new(
    "SRM010",
    "unknown-control",
    Severity::Error,
    "The control id is not in the matrix.",
    include_str!("../../../docs/rules/SRM010.md"),
);

/// SRM010 for every entry whose control the matrix does not have.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    for entry in &file.entries {
        if matrix.control(&entry.control.value).is_some() {
            continue;
        }
        let written = &entry.control.value;
        // A short name for a long id (`backup` for `backup-restore`) is no typo that
        // a spelling distance finds.
        let meant = suggest::single(written, matrix.control_ids())
            .or_else(|| suggest::by_words(written, matrix.control_ids()));
        let hint = match meant {
            Some(meant) => suggest::suggestion(written, meant),
            None => suggest::hint(written, matrix.control_ids()),
        };
        findings.push(
            Finding::new(
                &SRM010,
                entry.control.span.clone(),
                format!("unknown control `{written}`{hint}"),
            )
            .propose_if(meant.map(safe_replacement))
            .label("not in the matrix")
            .help("run `srmlint matrix` for the control ids")
            .control(entry.control.value.clone()),
        );
    }
}
