//! `--format json`: the stable document described in `docs/formats.md`, byte-for-byte
//! reproducible.

use serde::Serialize;

use crate::check::{RunError, RunReport};
use crate::diag::{Diagnostic, Fix, Summary, Suppression};

#[derive(Serialize)]
struct Document<'a> {
    tool: Tool,
    files: Vec<&'a str>,
    diagnostics: Findings<'a>,
    summary: Summary,
    /// Empty on success; a run that exits 2 lists here what went wrong.
    errors: &'a [RunError],
}

/// Every finding of the run, each written as it comes rather than all gathered first.
struct Findings<'a>(&'a RunReport);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.diagnostics().map(JsonDiagnostic::new))
    }
}

/// The tool that wrote a JSON document, first in each of them.
#[derive(Serialize)]
pub(crate) struct Tool {
    name: &'static str,
    version: &'static str,
}

pub(crate) const TOOL: Tool = Tool {
    name: env!("CARGO_PKG_NAME"),
    version: env!("CARGO_PKG_VERSION"),
};

/// One diagnostic; field order is part of the contract.
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'static str,
    message: &'a str,
    help: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    control: Option<&'a str>,
    model: Option<&'a str>,
    waived: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<&'a Suppression>,
    /// The edits that resolve the finding; null when there are none.
    fix: Option<JsonFix<'a>>,
}

/// A fix as editors and review bots apply it: positions as the diagnostics' (1-based,
/// columns in characters, end exclusive), each edit naming its file.
#[derive(Serialize)]
pub struct JsonFix<'a> {
    applicability: &'static str,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    content: &'a str,
}

impl<'a> JsonFix<'a> {
    pub fn new(fix: &'a Fix) -> Self {
        Self {
            applicability: fix.applicability.as_str(),
            message: &fix.message,
            edits: fix
                .edits
                .iter()
                .map(|edit| JsonEdit {
                    file: &edit.file,
                    line: edit.start.line,
                    column: edit.start.column,
                    end_line: edit.end.line,
                    end_column: edit.end.column,
                    content: &edit.content,
                })
                .collect(),
        }
    }
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(diagnostic: &'a Diagnostic) -> Self {
        Self {
            code: &diagnostic.code,
            name: &diagnostic.name,
            severity: diagnostic.severity.as_str(),
            message: &diagnostic.message,
            help: &diagnostic.help,
            file: &diagnostic.file,
            line: diagnostic.start.line,
            column: diagnostic.start.column,
            end_line: diagnostic.end.line,
            end_column: diagnostic.end.column,
            control: diagnostic.control.as_deref(),
            model: diagnostic.model.as_deref(),
            waived: diagnostic.is_waived(),
            waiver: diagnostic.waiver.as_ref(),
            fix: diagnostic.fix.as_ref().map(JsonFix::new),
        }
    }
}

pub fn render(report: &RunReport) -> String {
    let document = Document {
        tool: TOOL,
        files: report.files.iter().map(|file| file.path.as_str()).collect(),
        diagnostics: Findings(report),
        summary: report.summary(),
        errors: &report.errors,
    };
    // At least what each finding takes pretty-printed (its texts, keys and indents):
    // a text outgrowing its estimate is copied into one twice as large, which at
    // 100,000 files held both copies at once. Room never written to costs no memory.
    let capacity = 256
        + report
            .files
            .iter()
            .map(|file| file.path.len() + 8)
            .sum::<usize>()
        + report.diagnostics().map(estimate).sum::<usize>();
    crate::text::json::document_sized(&document, capacity)
}

/// More than the bytes `diagnostic` takes in the document, unless its texts are
/// mostly escapes.
fn estimate(diagnostic: &Diagnostic) -> usize {
    let texts = |texts: &[&str]| texts.iter().map(|text| text.len()).sum::<usize>();
    let optional = |text: &Option<String>| text.as_deref().map_or(0, str::len);
    let waiver = diagnostic.waiver.as_ref().map_or(0, |waiver| {
        texts(&[&waiver.reason, &waiver.approved_by]) + 160
    });
    let fix = diagnostic.fix.as_ref().map_or(0, |fix| {
        fix.message.len()
            + 160
            + fix
                .edits
                .iter()
                .map(|edit| texts(&[&edit.file, &edit.content]) + 240)
                .sum::<usize>()
    });
    texts(&[
        &diagnostic.code,
        &diagnostic.name,
        &diagnostic.message,
        &diagnostic.help,
        &diagnostic.file,
    ]) + optional(&diagnostic.control)
        + optional(&diagnostic.model)
        + waiver
        + fix
        + 640
}
