//! SRM037 placeholder-evidence: a cited file that proves nothing (empty, a stub).

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::text::Sp;
use crate::text::evidence_file::{self, Stub};

pub static SRM037: BuiltinRule = BuiltinRule::new(
    "SRM037",
    "evidence-placeholder",
    Severity::Warning,
    "An evidence file is empty, blank, an empty folder, a pipe or device, or a short file holding a placeholder word.",
    include_str!("../../../docs/rules/SRM037.md"),
);

/// SRM037 on an evidence file that proves nothing. The file's text is never quoted:
/// the message names only what kind of stub it is.
pub fn placeholder(item: &Sp<String>, stub: &Stub) -> Finding {
    let text = &item.value;
    let (message, label) = match stub {
        Stub::Empty => (
            format!("evidence `{text}` is an empty file"),
            "empty file".to_owned(),
        ),
        Stub::Blank => (
            format!("evidence `{text}` holds only white space"),
            "blank file".to_owned(),
        ),
        Stub::EmptyFolder => (
            format!("evidence `{text}` is a folder with no file in it"),
            "empty folder".to_owned(),
        ),
        Stub::FolderOfStubs => (
            format!(
                "evidence `{text}` is a folder whose every file is empty, blank or a placeholder"
            ),
            "folder of stubs".to_owned(),
        ),
        Stub::NotAFile => (
            format!("evidence `{text}` is a pipe, a device or a socket, not a file"),
            "not a file".to_owned(),
        ),
        Stub::Placeholder(word) => (
            format!(
                "evidence `{text}` is a file of under {} bytes that holds the placeholder word `{word}`",
                evidence_file::STUB_BYTES
            ),
            format!("placeholder `{word}`"),
        ),
    };
    Finding::new(&SRM037, item.span.clone(), message)
        .label(label)
        .help("cite a record that shows the control working (a runbook, a test report, a review), or fill the file in; a stub proves nothing to an auditor")
}
