//! `--format concise`: one line a finding, `path:line:col: severity[CODE] message`, the
//! shape editors' problem matchers and pre-commit logs expect. The summary line goes to
//! stderr (the binary prints it), so stdout holds findings only.

use crate::check::RunReport;
use crate::diag::Diagnostic;
use crate::text::escape::escape_for_terminal;

pub fn render(report: &RunReport) -> String {
    report.diagnostics().map(|d| line(d) + "\n").collect()
}

/// One finding on one line; a waived finding ends with `[waived until DATE: reason]`.
pub fn line(diagnostic: &Diagnostic) -> String {
    let mut line = format!(
        "{}:{}:{}: {}[{}] {}",
        single_line(&line_start_path(&diagnostic.file)),
        diagnostic.start.line,
        diagnostic.start.column,
        diagnostic.severity.as_str(),
        diagnostic.code,
        single_line(&diagnostic.message),
    );
    if let Some(waiver) = &diagnostic.waiver {
        line.push_str(&format!(" [{}]", single_line(&waiver.short())));
    }
    line
}

/// Text made safe for a terminal and kept on one line: line breaks become `\n` and
/// `\r`, so a value from the controls file cannot split a finding in two.
pub fn single_line(text: &str) -> String {
    escape_for_terminal(&text.replace('\r', "\\r").replace('\n', "\\n"))
}

/// A path that begins a line: one starting with `::` (after white space) is written
/// `./::…`, so a CI log never reads it as a workflow command.
pub fn line_start_path(path: &str) -> std::borrow::Cow<'_, str> {
    if path
        .trim_start_matches(char::is_whitespace)
        .starts_with("::")
    {
        std::borrow::Cow::Owned(format!("./{path}"))
    } else {
        std::borrow::Cow::Borrowed(path)
    }
}
