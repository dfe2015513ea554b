//! Problems in the files that configure a run (policy files, `.srmlint.toml`): unlike
//! findings in a controls file, they stop the run (exit 2). They are collected, not
//! returned one at a time, and rendered with miette so each names its file and points
//! at the key or value at fault.

use std::fmt;
use std::ops::Range;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use crate::output::{escape_for_terminal, mask_for_terminal};

/// One problem at a place in a configuring file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    pub span: Range<usize>,
    pub message: String,
    pub label: String,
    pub help: String,
}

impl LoadProblem {
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
            label: String::new(),
            help: String::new(),
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }
}

/// Parses a configuring file's TOML, keeping spans; a syntax error is one problem at
/// the parser's position.
pub fn parse_toml(text: &str) -> Result<toml::Spanned<toml::de::DeTable<'_>>, Vec<LoadProblem>> {
    toml::de::DeTable::parse(text).map_err(|error| {
        vec![
            LoadProblem::new(
                error.span().unwrap_or(0..0),
                format!("invalid TOML: {}", error.message().trim_end()),
            )
            .label("here"),
        ]
    })
}

type Value<'i> = toml::Spanned<toml::de::DeValue<'i>>;

/// `what` has a value of the wrong type.
pub fn wrong_type(what: &str, value: &Value<'_>, expected: &str) -> LoadProblem {
    LoadProblem::new(
        value.span(),
        format!(
            "`{what}` must be {expected}, found {}",
            value.get_ref().type_str()
        ),
    )
    .label(format!("expected {expected}"))
}

/// A key that is not one of `known`, with a did-you-mean; `place` says where.
pub fn unknown_key(name: &str, span: Range<usize>, known: &[&str], place: &str) -> LoadProblem {
    LoadProblem::new(
        span,
        format!(
            "unknown key `{name}` {place}{}",
            crate::suggest::hint(name, known.iter().copied())
        ),
    )
    .label("unknown key")
    .help(format!("known keys here: {}", known.join(", ")))
}

/// An array of strings; each item that is not a string is a problem and left out.
pub fn strings(
    name: &str,
    value: &Value<'_>,
    problems: &mut Vec<LoadProblem>,
) -> Vec<crate::controls::Sp<String>> {
    let Some(array) = value.get_ref().as_array() else {
        problems.push(wrong_type(name, value, "an array of strings"));
        return Vec::new();
    };
    let mut items = Vec::new();
    for item in array.iter() {
        match item.get_ref().as_str() {
            Some(text) => items.push(crate::controls::Sp::new(text.to_owned(), item.span())),
            None => problems.push(wrong_type(&format!("an item of {name}"), item, "a string")),
        }
    }
    items
}

/// Renders every problem of one file as miette reports (no colour, fixed width), so
/// the text is the same on a terminal, in CI logs and in tests.
pub fn render(file_name: &str, text: &str, problems: &[LoadProblem]) -> String {
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_links(false);
    let source = NamedSource::new(escape_for_terminal(file_name), mask_for_terminal(text));
    let mut ordered: Vec<&LoadProblem> = problems.iter().collect();
    ordered.sort_by_key(|problem| (problem.span.start, problem.span.end));
    let mut reports = Vec::new();
    for problem in ordered {
        let report = Report {
            problem,
            source: &source,
        };
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = handler.render_report(&mut out, &report);
        reports.push(out.trim_end().to_owned());
    }
    reports.join("\n\n")
}

struct Report<'a> {
    problem: &'a LoadProblem,
    source: &'a NamedSource<String>,
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problem.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape_for_terminal(&self.problem.message))
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        (!self.problem.help.is_empty())
            .then(|| Box::new(escape_for_terminal(&self.problem.help)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = LabeledSpan::new_primary_with_span(
            Some(self.problem.label.clone()).filter(|label| !label.is_empty()),
            self.problem.span.clone(),
        );
        Some(Box::new(std::iter::once(label)))
    }
}
