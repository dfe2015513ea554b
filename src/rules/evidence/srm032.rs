//! SRM032 missing-evidence-file: a cited path that does not exist in the repository.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::text::Sp;

pub static SRM032: BuiltinRule = BuiltinRule::new(
    "SRM032",
    "evidence-not-found",
    Severity::Error,
    "A repository-relative evidence path does not exist.",
    include_str!("../../../docs/rules/SRM032.md"),
);

/// SRM032 for a path that is not there; `why` says what was looked for.
pub fn missing(item: &Sp<String>, why: &str) -> Finding {
    Finding::new(
        &SRM032,
        item.span.clone(),
        format!("evidence `{}` does not exist", item.value),
    )
    .label("no such file or folder")
    .help(format!(
        "{why} in the repository; paths are relative to the controls file's folder"
    ))
}
