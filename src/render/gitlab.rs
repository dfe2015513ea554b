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
use crate::render::fingerprint;

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
        .zip(fingerprint::fingerprints(report))
        .map(|(diagnostic, fingerprint)| issue(diagnostic, fingerprint))
        .collect();
    let mut text = crate::text::json::to_string_pretty(&issues);
    text.push('\n');
    text
}

fn issue(diagnostic: &Diagnostic, fingerprint: String) -> Issue<'_> {
    let mut description = format!(
        "{} {}: {}",
        diagnostic.code, diagnostic.name, diagnostic.message
    );
    if let Some(waiver) = &diagnostic.waiver {
        description.push_str(&format!(
            " (waived until {}, approved by {}: {})",
            waiver.expires, waiver.approved_by, waiver.reason
        ));
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

#[cfg(test)]
mod tests {
    use super::render;
    use crate::render::test_support::{SAMPLE, report_of, waiver};

    #[test]
    fn issues_have_the_code_quality_fields_and_unique_fingerprints() {
        let mut report = report_of("shop/controls.toml", SAMPLE);
        let waived = report.files[0]
            .diagnostics
            .iter_mut()
            .find(|diagnostic| diagnostic.code == "SRM004")
            .unwrap();
        waived.waiver = Some(waiver("SIEM onboarding in Q1"));
        let issues: serde_json::Value = serde_json::from_str(&render(&report)).unwrap();
        let issues = issues.as_array().unwrap();
        assert_eq!(issues.len(), report.diagnostics().count());
        let unknown = issues
            .iter()
            .find(|issue| issue["check_name"] == "SRM011")
            .unwrap();
        assert_eq!(unknown["severity"], "major");
        assert_eq!(unknown["location"]["path"], "shop/controls.toml");
        assert_eq!(unknown["location"]["lines"]["begin"], 3);
        assert!(
            unknown["description"]
                .as_str()
                .unwrap()
                .starts_with("SRM011 unknown-service: unknown service `nope`")
        );
        let waived = issues
            .iter()
            .find(|issue| issue["check_name"] == "SRM004")
            .unwrap();
        assert_eq!(waived["severity"], "info");
        assert!(waived["description"].as_str().unwrap().ends_with(
            "(waived until 2027-03-31, approved by ciso@example.com: SIEM onboarding in Q1)"
        ));
        let mut fingerprints: Vec<&str> = issues
            .iter()
            .map(|issue| issue["fingerprint"].as_str().unwrap())
            .collect();
        fingerprints.sort_unstable();
        fingerprints.dedup();
        assert_eq!(fingerprints.len(), issues.len());
    }

    #[test]
    fn an_empty_run_is_an_empty_array() {
        assert_eq!(render(&crate::check::RunReport::default()), "[]\n");
    }
}
