//! `--format gitlab`: a GitLab Code Quality report (a JSON array of issues), which the
//! merge-request widget compares between the source and target branches.
//!
//! Severity mapping: error → `major`, warning → `minor`, info → `info`. A waived
//! finding is `info`, with the waiver in its description: GitLab has no notion of a
//! suppressed issue, and a waived finding is never dropped. The fingerprint is the
//! line-independent one of `diag::fingerprint`, so a finding that only moved is not
//! reported as new and resolved.
//!
//! A run that exits 2 adds, first, one `blocker` issue a problem (`check_name`
//! `srmlint`), so the widget never shows a run that did not happen as clean: nothing
//! a finding can be ranks that high.

use std::collections::HashMap;

use serde::Serialize;

use crate::check::{RunError, RunReport};
use crate::diag::fingerprint::Fnv1a;
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
    let mut issues = run_errors(&report.errors);
    issues.extend(
        report
            .diagnostics()
            .zip(report.fingerprints())
            .map(|(diagnostic, fingerprint)| issue(diagnostic, fingerprint)),
    );
    crate::text::json::document(&issues)
}

/// The problems that kept the run from doing its job, each placed on the path
/// concerned (`.`, the folder srmlint ran in, when none is) and fingerprinted from its
/// message and path, with an occurrence number for repeats.
fn run_errors(errors: &[RunError]) -> Vec<Issue<'_>> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    errors
        .iter()
        .map(|error| {
            let path = error.path.as_deref().unwrap_or(".");
            let identity = Fnv1a::default()
                .field("srmlint-run-error/v1")
                .field(&error.message)
                .field(path);
            let occurrence = seen.entry(identity.finish()).or_insert(0);
            let fingerprint = identity.field(&occurrence.to_string()).finish();
            *occurrence += 1;
            Issue {
                description: format!("srmlint exited 2: {}", error.message),
                check_name: "srmlint",
                fingerprint: format!("{fingerprint:016x}"),
                severity: "blocker",
                location: Location {
                    path: path.strip_prefix("./").unwrap_or(path),
                    lines: Lines { begin: 1 },
                },
            }
        })
        .collect()
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
