//! Reports built by hand or from inline controls-file text, for the reporters' unit
//! tests: the waiver rules live elsewhere, so waived findings are made here directly.

use crate::check::{Checker, FileReport, RunReport};
use crate::data::matrix::Matrix;
use crate::diag::{Diagnostic, Severity, Suppression};
use crate::rules::evidence::EvidenceBase;
use crate::text::Position;
use crate::text::date::Date;

pub const TODAY: &str = "2026-11-28";

pub fn checker() -> Checker {
    Checker::new(Matrix::embedded(), Date::parse(TODAY).unwrap())
}

/// The report of checking `text` as a file named `path`.
pub fn report_of(path: &str, text: &str) -> RunReport {
    let base = EvidenceBase::for_file(std::path::Path::new(path));
    RunReport::new(vec![checker().check_text(text.to_owned(), path, &base)])
}

/// A warning with no source behind it.
pub fn diagnostic(file: &str, message: &str) -> Diagnostic {
    Diagnostic {
        code: "SRM031".to_owned(),
        name: "missing-evidence".to_owned(),
        severity: Severity::Warning,
        message: message.to_owned(),
        help: "cite evidence".to_owned(),
        label: String::new(),
        file: file.to_owned(),
        span: 0..0,
        start: Position { line: 3, column: 1 },
        end: Position { line: 3, column: 9 },
        control: Some("tenant-logging".to_owned()),
        model: None,
        waiver: None,
    }
}

pub fn waiver(reason: &str) -> Suppression {
    Suppression {
        reason: reason.to_owned(),
        approved_by: "ciso@example.com".to_owned(),
        expires: Date::parse("2027-03-31").unwrap(),
    }
}

/// A report of one file holding `diagnostics`, with no source text.
pub fn report_with(path: &str, diagnostics: Vec<Diagnostic>) -> RunReport {
    RunReport::new(vec![FileReport {
        path: path.to_owned(),
        source: None,
        file: None,
        diagnostics,
        waivers: Vec::new(),
    }])
}

/// A controls file with an owner mismatch (SRM004 on tenant-logging), an unknown
/// service (SRM011) and unclaimed controls (SRM001).
pub const SAMPLE: &str = r#"[deployment]
name = "shop"
services = ["compute", "nope"]
zones = ["de-fra-1"]

[controls.tenant-logging]
owner = "shared"
accountable = "sre@shop.example"
"#;
