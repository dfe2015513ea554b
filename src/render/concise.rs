//! `--format concise`: one line a finding, `path:line:col: severity[CODE] message`, the
//! shape editors' problem matchers and pre-commit logs expect. The summary line goes to
//! stderr (the binary prints it), so stdout holds findings only.

use crate::check::RunReport;
use crate::diag::Diagnostic;
use crate::text::escape::escape_for_terminal;

pub fn render(report: &RunReport) -> String {
    let mut out = String::new();
    for diagnostic in report.diagnostics() {
        out.push_str(&line(diagnostic));
        out.push('\n');
    }
    out
}

/// One finding on one line; a waived finding ends with `[waived until DATE: reason]`.
pub fn line(diagnostic: &Diagnostic) -> String {
    let mut line = format!(
        "{}:{}:{}: {}[{}] {}",
        single_line(&diagnostic.file),
        diagnostic.start.line,
        diagnostic.start.column,
        diagnostic.severity.as_str(),
        diagnostic.code,
        single_line(&diagnostic.message),
    );
    if let Some(waiver) = &diagnostic.waiver {
        line.push_str(&format!(
            " [waived until {}: {}]",
            waiver.expires,
            single_line(&waiver.reason)
        ));
    }
    line
}

/// Text made safe for a terminal and kept on one line: line breaks become `\n` and
/// `\r`, so a value from the controls file cannot split a finding in two.
pub fn single_line(text: &str) -> String {
    escape_for_terminal(&text.replace('\r', "\\r").replace('\n', "\\n"))
}

#[cfg(test)]
mod tests {
    use super::{line, render, single_line};
    use crate::render::test_support::{diagnostic, report_with, waiver};

    #[test]
    fn one_line_a_finding_even_when_text_has_line_breaks_and_escapes() {
        let finding = diagnostic("a/controls.toml", "bad \u{1b}[31mvalue\nnext");
        assert_eq!(
            line(&finding),
            "a/controls.toml:3:1: warning[SRM031] bad \\u{1b}[31mvalue\\nnext"
        );
        assert_eq!(single_line("a\r\nb"), "a\\r\\nb");
    }

    #[test]
    fn waived_findings_say_so_and_until_when() {
        let mut finding = diagnostic("controls.toml", "no evidence");
        finding.waiver = Some(waiver("SIEM onboarding in Q1"));
        assert_eq!(
            render(&report_with("controls.toml", vec![finding])),
            "controls.toml:3:1: warning[SRM031] no evidence [waived until 2027-03-31: SIEM onboarding in Q1]\n"
        );
    }
}
