//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues), which the
//! merge-request widget compares between the source and target branches.
//!
//! Severity mapping: error → `major`, warning → `minor`, info → `info`. A waived
//! finding is `info`, with the waiver in its description: GitLab has no notion of a
//! suppressed issue, and a waived finding is never dropped. `critical` and `blocker`
//! are not used: srmlint has no severity above error. The fingerprint is the
//! line-independent one of `output::fingerprint`, so a finding that only moved is not
//! reported as new and resolved.

use serde::Serialize;

use crate::check::RunReport;
use crate::diag::{Diagnostic, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
}

pub fn render(report: &RunReport) -> String {
    let issues: Vec<Issue<'_>> = report
        .diagnostics()
        .zip(report.fingerprints())
        .map(|(diagnostic, fingerprint)| issue(diagnostic, fingerprint))
        .collect();
    crate::text::json::document(&issues)
}

fn issue(diagnostic: &Diagnostic, fingerprint: String) -> Issue<'_> {
    let mut description = format!(
        "{} {}: {}",
        diagnostic.code, diagnostic.name, diagnostic.message
    );
    if let Some(waiver) = &diagnostic.waiver {
        description.push_str(&format!(" ({})", waiver.long()));
    }
    Issue {
        description,
        check_name: &diagnostic.code,
        fingerprint,
        severity: severity(diagnostic),
        location: Location {
            path: diagnostic
                .file
                .strip_prefix("./")
                .unwrap_or(&diagnostic.file),
            lines: Lines {
                begin: diagnostic.start.line,
            },
        },
    }
}

fn severity(diagnostic: &Diagnostic) -> &'static str {
    if diagnostic.is_waived() {
        return "info";
    }
    match diagnostic.severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}
