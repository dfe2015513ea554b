//! `--format human`: miette's graphical report per finding (source excerpt, label on
//! the key or value responsible, code, help) and a closing summary line.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use crate::check::RunReport;
use crate::diagnostic::{Diagnostic, Severity};
use crate::output::excerpt::Excerpts;
use crate::output::{RenderOptions, escape_for_terminal, mask_for_terminal};

pub fn render(report: &RunReport, options: RenderOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    // Files are rendered on every core (10,000 findings take a quarter of a second on
    // one), then joined in report order.
    let mut out = crate::parallel::map_in_order(&report.files, |file| {
        let mut out = String::new();
        let source = file.source.as_ref().map(|source| {
            Excerpts::new(
                escape_for_terminal(&file.path),
                mask_for_terminal(source.text()),
            )
        });
        for diagnostic in &file.diagnostics {
            let rendered = Rendered::new(diagnostic, source.as_ref());
            // Writing into a String cannot fail.
            let _ = handler.render_report(&mut out, &rendered);
            out.push('\n');
        }
        out
    })
    .concat();
    out.push_str(&summary_line(report));
    out.push('\n');
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

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// A diagnostic as miette sees it, with its text made terminal-safe.
struct Rendered<'a> {
    code: String,
    message: String,
    help: String,
    severity: miette::Severity,
    label: Option<LabeledSpan>,
    source: Option<&'a Excerpts>,
}

impl<'a> Rendered<'a> {
    fn new(diagnostic: &Diagnostic, source: Option<&'a Excerpts>) -> Self {
        let mut message = escape_for_terminal(&diagnostic.message);
        if let Some(waiver) = &diagnostic.waiver {
            message = format!(
                "{message} [waived until {}: {}]",
                waiver.expires,
                escape_for_terminal(&waiver.reason)
            );
        }
        let severity = match (diagnostic.is_waived(), diagnostic.severity) {
            (true, _) | (false, Severity::Info) => miette::Severity::Advice,
            (false, Severity::Error) => miette::Severity::Error,
            (false, Severity::Warning) => miette::Severity::Warning,
        };
        let label = source.map(|_| {
            LabeledSpan::new_primary_with_span(
                Some(escape_for_terminal(&diagnostic.label)).filter(|label| !label.is_empty()),
                diagnostic.span.clone(),
            )
        });
        Self {
            code: format!("{}({})", diagnostic.code, diagnostic.name),
            message,
            help: escape_for_terminal(&diagnostic.help),
            severity,
            label,
            source,
        }
    }
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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
        Some(Box::new(&self.code))
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
