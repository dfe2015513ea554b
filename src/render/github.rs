//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the pull request's diff, and the Markdown step summary the binary
//! appends to `$GITHUB_STEP_SUMMARY`.
//!
//! Errors become `::error`, warnings `::warning`, infos `::notice`; a problem that
//! made the run exit 2 (a broken configuration, a path that cannot be read) is an
//! `::error` too, titled `srmlint`. A waived finding is
//! a `::notice` whose title ends in `(waived)` and whose message names the waiver, so
//! it stays visible without looking like a failure. Escaping follows the runner's
//! rules: in the message `%`, CR and LF become `%25`, `%0D` and `%0A`; in properties
//! (file, title) `:` and `,` become `%3A` and `%2C` as well. Terminal control
//! characters are written as visible `\u{..}` escapes first, since the log is shown in
//! a terminal emulator.

use crate::check::RunReport;
use crate::diag::{Diagnostic, Severity};
use crate::render::human::summary_line;
use crate::text::escape::{escape_for_terminal, markdown};

/// Findings listed in the step summary's table; the rest are counted. A step summary
/// is capped at 1 MiB by GitHub.
pub const SUMMARY_ROW_LIMIT: usize = 500;

/// The run's own errors first (what made it exit 2, each on the path concerned when
/// there is one), then one command per finding.
pub fn render(report: &RunReport) -> String {
    let errors = report.errors.iter().map(|error| {
        let file = (error.path.as_deref())
            .map(|path| format!(" file={},", escape_property(path)))
            .unwrap_or_else(|| " ".to_owned());
        let message = format!("srmlint exited 2: {}", error.message);
        format!("::error{file}title=srmlint::{}\n", escape_data(&message))
    });
    errors
        .chain(report.diagnostics().map(|d| command(d) + "\n"))
        .collect()
}

/// One workflow command for one finding.
pub fn command(diagnostic: &Diagnostic) -> String {
    let command = match (&diagnostic.waiver, diagnostic.severity) {
        (Some(_), _) | (None, Severity::Info) => "notice",
        (None, Severity::Error) => "error",
        (None, Severity::Warning) => "warning",
    };
    let waived = diagnostic.waiver.as_ref().map_or("", |_| " (waived)");
    let title = format!("{} {}{waived}", diagnostic.code, diagnostic.name);
    let mut message = diagnostic.message.clone();
    if let Some(waiver) = &diagnostic.waiver {
        message.push_str(&format!(" ({})", waiver.long()));
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
    out.push_str(&markdown(&summary_line(report)));
    out.push_str("\n\n");
    let total = report.diagnostics().count();
    if total == 0 {
        out.push_str("No findings.\n\n");
        return out;
    }
    let rows = report.diagnostics().take(SUMMARY_ROW_LIMIT).map(|finding| {
        let (mut severity, mut message) = (
            finding.severity.as_str().to_owned(),
            finding.message.clone(),
        );
        if let Some(waiver) = &finding.waiver {
            severity.push_str(" (waived)");
            message.push_str(&format!(" — {}", waiver.short()));
        }
        let (start, control) = (finding.start, finding.control.as_deref().unwrap_or(""));
        [
            severity,
            format!("{} {}", markdown(&finding.code), markdown(&finding.name)),
            format!(
                "{}:{}:{}",
                markdown(&finding.file),
                start.line,
                start.column
            ),
            markdown(control),
            markdown(&message),
        ]
    });
    let header = ["Severity", "Code", "Location", "Control", "Message"];
    crate::render::markdown::table(&mut out, &header, &[], rows);
    if total > SUMMARY_ROW_LIMIT {
        out.push_str(&format!(
            "\n{} more findings are not listed here; the annotations and `--format json` have them all.\n",
            total - SUMMARY_ROW_LIMIT
        ));
    }
    out.push('\n');
    out
}
