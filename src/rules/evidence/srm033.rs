//! SRM033 evidence-outside-repo: a cited path that leads out of the repository.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::text::Sp;

pub static SRM033: BuiltinRule = BuiltinRule::new(
    "SRM033",
    "evidence-outside-repo",
    Severity::Error,
    "An evidence path is absolute or escapes the repository root.",
    include_str!("../../../docs/rules/SRM033.md"),
);

pub fn outside(item: &Sp<String>, why: &str) -> Finding {
    Finding::new(
        &SRM033,
        item.span.clone(),
        format!("evidence `{}` {why}", item.value),
    )
    .label("outside the repository")
    .help("cite a path inside the repository, relative to the controls file's folder, or a URL")
}
