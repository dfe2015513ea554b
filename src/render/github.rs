//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's diff, and the Markdown step summary the binary
//! appends to `$GITHUB_STEP_SUMMARY`.
//!
//! Errors become `::error`, warnings `::warning`, infos `::notice`. A waived finding is
//! a `::notice` whose title ends in `(waived)` and whose message names the waiver, so
//! it stays visible without looking like a failure. Escaping follows the runner's
//! rules: in the message `%`, CR and LF become `%25`, `%0D` and `%0A`; in properties
//! (file, title) `:` and `,` become `%3A` and `%2C` as well. Terminal control
//! characters are written as visible `\u{..}` escapes first, since the log is shown in
//! a terminal emulator.

use crate::check::RunReport;
use crate::diag::{Diagnostic, Severity};
use crate::render::human::summary_line;
use crate::text::escape::escape_for_terminal;

/// Findings listed in the step summary's table; the rest are counted. A step summary
/// is capped at 1 MiB by GitHub.
pub const SUMMARY_ROW_LIMIT: usize = 500;

pub fn render(report: &RunReport) -> String {
    let mut out = String::new();
    for diagnostic in report.diagnostics() {
        out.push_str(&command(diagnostic));
        out.push('\n');
    }
    out
}

/// One workflow command for one finding.
pub fn command(diagnostic: &Diagnostic) -> String {
    let (command, title) = match (&diagnostic.waiver, diagnostic.severity) {
        (Some(_), _) => (
            "notice",
            format!("{} {} (waived)", diagnostic.code, diagnostic.name),
        ),
        (None, severity) => (
            match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            },
            format!("{} {}", diagnostic.code, diagnostic.name),
        ),
    };
    let mut message = diagnostic.message.clone();
    if let Some(waiver) = &diagnostic.waiver {
        message.push_str(&format!(
            " (waived until {}, approved by {}: {})",
            waiver.expires, waiver.approved_by, waiver.reason
        ));
    }
    if !diagnostic.help.is_empty() {
        message.push_str("\n\nhelp: ");
        message.push_str(&diagnostic.help);
    }
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(&diagnostic.file),
        diagnostic.start.line,
        diagnostic.start.column,
        diagnostic.end.line,
        diagnostic.end.column,
        escape_property(&title),
        escape_data(&message),
    )
}

/// A workflow command's message: `%`, CR and LF escaped.
pub fn escape_data(text: &str) -> String {
    escape_for_terminal(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as data, and `:` and `,` too.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The Markdown the binary appends to `$GITHUB_STEP_SUMMARY`: the summary line and a
/// table of the findings (at most `SUMMARY_ROW_LIMIT` rows).
pub fn step_summary(report: &RunReport) -> String {
    let mut out = String::from("## srmlint\n\n");
    out.push_str(&markdown_cell(&summary_line(report)));
    out.push_str("\n\n");
    let total = report.diagnostics().count();
    if total == 0 {
        out.push_str("No findings.\n\n");
        return out;
    }
    out.push_str("| Severity | Code | Location | Control | Message |\n");
    out.push_str("|---|---|---|---|---|\n");
    for diagnostic in report.diagnostics().take(SUMMARY_ROW_LIMIT) {
        let severity = match &diagnostic.waiver {
            Some(_) => format!("{} (waived)", diagnostic.severity.as_str()),
            None => diagnostic.severity.as_str().to_owned(),
        };
        let mut message = diagnostic.message.clone();
        if let Some(waiver) = &diagnostic.waiver {
            message.push_str(&format!(
                " — waived until {}: {}",
                waiver.expires, waiver.reason
            ));
        }
        out.push_str(&format!(
            "| {severity} | {} {} | {}:{}:{} | {} | {} |\n",
            diagnostic.code,
            diagnostic.name,
            markdown_cell(&diagnostic.file),
            diagnostic.start.line,
            diagnostic.start.column,
            markdown_cell(diagnostic.control.as_deref().unwrap_or("")),
            markdown_cell(&message),
        ));
    }
    if total > SUMMARY_ROW_LIMIT {
        out.push_str(&format!(
            "\n{} more findings are not listed here; the annotations and `--format json` have them all.\n",
            total - SUMMARY_ROW_LIMIT
        ));
    }
    out.push('\n');
    out
}

/// Text from a controls file made inert in a Markdown table cell: HTML special
/// characters are entities, `|` and the characters that start Markdown markup are
/// backslash-escaped, and line breaks are spaces.
fn markdown_cell(text: &str) -> String {
    let mut cell = String::with_capacity(text.len());
    for c in escape_for_terminal(text).chars() {
        match c {
            '&' => cell.push_str("&amp;"),
            '<' => cell.push_str("&lt;"),
            '>' => cell.push_str("&gt;"),
            '\r' => {}
            '\n' => cell.push(' '),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' => {
                cell.push('\\');
                cell.push(c);
            }
            _ => cell.push(c),
        }
    }
    cell
}

#[cfg(test)]
mod tests {
    use super::{command, escape_data, escape_property, render, step_summary};
    use crate::diag::Severity;
    use crate::render::test_support::{diagnostic, report_with, waiver};

    #[test]
    fn escapes_percent_line_breaks_and_in_properties_colon_and_comma() {
        assert_eq!(
            escape_data("100% done\r\nnext: a,b"),
            "100%25 done%0D%0Anext: a,b"
        );
        assert_eq!(
            escape_property("dir:x,y/100%\ncontrols.toml"),
            "dir%3Ax%2Cy/100%25%0Acontrols.toml"
        );
        assert_eq!(escape_data("\u{1b}[31m"), "\\u{1b}[31m");
    }

    #[test]
    fn severities_map_to_error_warning_and_notice() {
        let mut finding = diagnostic("a,b:c/controls.toml", "50% of it\nis: missing, really");
        finding.help = String::new();
        assert_eq!(
            command(&finding),
            "::warning file=a%2Cb%3Ac/controls.toml,line=3,col=1,endLine=3,endColumn=9,title=SRM031 missing-evidence::50%25 of it%0Ais: missing, really"
        );
        finding.severity = Severity::Error;
        assert!(command(&finding).starts_with("::error file="));
        finding.severity = Severity::Info;
        assert!(command(&finding).starts_with("::notice file="));
    }

    #[test]
    fn waived_findings_are_notices_that_name_the_waiver() {
        let mut finding = diagnostic("controls.toml", "no evidence");
        finding.severity = Severity::Error;
        finding.waiver = Some(waiver("SIEM onboarding, Q1"));
        let text = render(&report_with("controls.toml", vec![finding]));
        assert_eq!(
            text,
            "::notice file=controls.toml,line=3,col=1,endLine=3,endColumn=9,title=SRM031 missing-evidence (waived)::no evidence (waived until 2027-03-31, approved by ciso@example.com: SIEM onboarding, Q1)%0A%0Ahelp: cite evidence\n"
        );
    }

    #[test]
    fn step_summary_is_a_table_with_inert_cells() {
        let mut waived = diagnostic("controls.toml", "quiet");
        waived.waiver = Some(waiver("later"));
        let report = report_with(
            "controls.toml",
            vec![diagnostic("controls.toml", "a | b <script>\nx"), waived],
        );
        let summary = step_summary(&report);
        assert!(summary.starts_with("## srmlint\n\nsrmlint: 1 file checked: 0 errors, 1 warning (1 waived)\n\n| Severity |"), "{summary}");
        assert!(summary.contains(
            "| warning | SRM031 missing-evidence | controls.toml:3:1 | tenant-logging | a \\| b &lt;script&gt; x |\n"
        ), "{summary}");
        assert!(summary.contains("| warning (waived) |"), "{summary}");
        assert!(
            summary.contains("waived until 2027-03-31: later"),
            "{summary}"
        );
    }
}
