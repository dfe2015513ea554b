//! `--format human`: miette's graphical report per finding (source excerpt, label on
//! the key or value responsible, code, help) and a closing summary line.

use std::fmt;
use std::ops::Range;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use crate::check::RunReport;
use crate::diag::{Diagnostic, Error, Severity, plural};
use crate::render::RenderOptions;
use crate::render::excerpt::BoundedSource;
use crate::rules::waivers::WaiverState;
use crate::text::escape::{escape_for_terminal, escape_inline, mask_for_terminal};
use crate::text::source::SourceText;

pub fn render(report: &RunReport, options: RenderOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let empty = SourceText::new(String::new());
    // Files are rendered on every core; miette's rendering is most of the cost of a
    // large run, and each file's text is independent of the others.
    let rendered_files = crate::check::pool::map_in_order(&report.files, |file| {
        if file.diagnostics.is_empty() {
            return String::new();
        }
        let handler = GraphicalReportHandler::new_themed(theme.clone())
            .with_width(options.width)
            .with_links(false);
        let mut out = String::new();
        // A file that could not be read still gets a (empty) source, so the excerpt
        // header names it. Diagnostics in other files (Terraform) quote those files.
        let bounded = |path: &str| {
            let original = file.source_of(path).unwrap_or(&empty);
            BoundedSource::new(
                escape_inline(path),
                mask_for_terminal(original.text()),
                original,
            )
        };
        let own = bounded(&file.path);
        let others: std::collections::BTreeMap<&str, BoundedSource<'_>> = file
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.file != file.path)
            .map(|diagnostic| (diagnostic.file.as_str(), bounded(&diagnostic.file)))
            .collect();
        for diagnostic in &file.diagnostics {
            let source = others.get(diagnostic.file.as_str()).unwrap_or(&own);
            let rendered = Rendered::new(diagnostic, Some(source));
            // Writing into a String cannot fail.
            let _ = handler.render_report(&mut out, &rendered);
            out.push('\n');
        }
        out
    });
    let mut out = rendered_files.concat();
    out.push_str(&summary_line(report));
    out.push('\n');
    out.push_str(&waiver_list(report));
    out
}

/// One line per waiver after the summary, with the days it has left, so a team sees
/// an exception running out before the build fails on it.
pub fn waiver_list(report: &RunReport) -> String {
    let mut out = String::new();
    for file in &report.files {
        for waiver in &file.waivers {
            let rule = if waiver.rule.is_empty() {
                "(no rule)"
            } else {
                waiver.rule.as_str()
            };
            let subject = match &waiver.control {
                Some(control) => format!("{rule} on {control}"),
                None => rule.to_owned(),
            };
            let expires = waiver
                .expires
                .map_or_else(|| "no expiry".to_owned(), |date| format!("expires {date}"));
            let state = match (waiver.state, waiver.days_left) {
                (WaiverState::Invalid, _) => "invalid (SRM042)".to_owned(),
                (WaiverState::Expired, Some(days)) => {
                    format!(
                        "expired {} ago",
                        plural(days.unsigned_abs() as usize, "day")
                    )
                }
                (_, Some(0)) => "last day today".to_owned(),
                (_, Some(1)) => "1 day left".to_owned(),
                (_, Some(days)) => format!("{days} days left"),
                (_, None) => String::new(),
            };
            let used = match waiver.state {
                WaiverState::Active => format!(", waives {}", plural(waiver.waived, "finding")),
                WaiverState::Unused => ", matches nothing (SRM041)".to_owned(),
                _ => String::new(),
            };
            out.push_str(&escape_for_terminal(&format!(
                "  waiver {}: {subject}, {expires}, {state}{used}\n",
                file.path
            )));
        }
    }
    out
}

/// `srmlint: 3 files checked: 2 errors, 1 warning (1 waived)`.
pub fn summary_line(report: &RunReport) -> String {
    let summary = report.summary();
    let mut line = format!(
        "srmlint: {} checked: {}, {}",
        plural(summary.files, "file"),
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
    );
    if summary.infos > 0 {
        line.push_str(&format!(", {}", plural(summary.infos, "info")));
    }
    if summary.waived > 0 {
        line.push_str(&format!(" ({} waived)", summary.waived));
    }
    line
}

/// The tool's own failure as the terminal shows it: the message, and each problem of
/// a configuring file as a report with an excerpt, like a finding (no colour, fixed
/// width, so CI logs and tests read the same).
pub fn error(error: &Error) -> String {
    let mut out = escape_for_terminal(&error.message);
    let Some(located) = &error.located else {
        return out;
    };
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_links(false);
    let original = SourceText::new(located.text.clone());
    let source = BoundedSource::new(
        escape_inline(&located.file),
        mask_for_terminal(&located.text),
        &original,
    );
    let reports: Vec<String> = located
        .problems
        .iter()
        .map(|problem| {
            let rendered = Rendered {
                code: None,
                message: escape_for_terminal(&problem.message),
                help: escape_for_terminal(&problem.help),
                severity: miette::Severity::Error,
                label: Some(label(&problem.label, &source, &problem.span)),
                source: Some(&source),
            };
            let mut report = String::new();
            // Writing into a String cannot fail.
            let _ = handler.render_report(&mut report, &rendered);
            report.trim_end().to_owned()
        })
        .collect();
    out.push('\n');
    out.push_str(&reports.join("\n\n"));
    out
}

/// A diagnostic as miette sees it, with its text made terminal-safe.
/// The primary label at `span` of `source`, its text made inert (none when empty).
fn label(text: &str, source: &BoundedSource, span: &Range<usize>) -> LabeledSpan {
    let text = Some(escape_for_terminal(text)).filter(|label| !label.is_empty());
    LabeledSpan::new_primary_with_span(text, source.label_span(span))
}

#[derive(Debug)]
struct Rendered<'a> {
    code: Option<String>,
    message: String,
    help: String,
    severity: miette::Severity,
    label: Option<LabeledSpan>,
    source: Option<&'a BoundedSource<'a>>,
}

impl<'a> Rendered<'a> {
    fn new(diagnostic: &Diagnostic, source: Option<&'a BoundedSource<'a>>) -> Self {
        let mut message = escape_for_terminal(&diagnostic.message);
        if let Some(waiver) = &diagnostic.waiver {
            message = format!("{message} [{}]", escape_for_terminal(&waiver.short()));
        }
        let severity = match (diagnostic.is_waived(), diagnostic.severity) {
            (true, _) | (false, Severity::Info) => miette::Severity::Advice,
            (false, Severity::Error) => miette::Severity::Error,
            (false, Severity::Warning) => miette::Severity::Warning,
        };
        let label = source.map(|source| label(&diagnostic.label, source, &diagnostic.span));
        Self {
            // A loaded rule's code and name come from a policy file: one line, inert.
            code: Some(format!(
                "{}({})",
                escape_inline(&diagnostic.code),
                escape_inline(&diagnostic.name)
            )),
            message,
            help: escape_for_terminal(&diagnostic.help),
            severity,
            label,
            source,
        }
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.code
            .as_ref()
            .map(|code| Box::new(code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.help.is_empty()).then(|| Box::new(&self.help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|source| source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .clone()
            .map(|label| Box::new(std::iter::once(label)) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}
