//! The report as CSV (RFC 4180, UTF-8, CRLF line ends, a header row): one row per
//! requirement of each framework, for a spreadsheet or a GRC import. A field that a
//! spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a
//! carriage return) is prefixed with `'`, as OWASP advises against CSV injection.

use super::sheet::{self, COLUMNS, with_file};
use crate::posture::PostureReport;

pub fn render(report: &PostureReport) -> String {
    let several = report.deployments.len() > 1;
    let mut out = String::new();
    let header = with_file(several, "file", COLUMNS);
    line(&mut out, header.iter().map(|cell| (*cell).to_owned()));
    for row in sheet::rows(report) {
        line(&mut out, with_file(several, row.file.clone(), row.cells()));
    }
    out
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().map(|cell| field(&cell)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// One field: defused, then quoted when it holds a comma, a quote or a line break.
pub fn field(value: &str) -> String {
    let value = defuse(value);
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// `value` with a `'` in front when a spreadsheet would read it as a formula.
pub fn defuse(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}
