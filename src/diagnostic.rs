//! Findings as data: what every rule produces and every output format consumes.
//! A finding is never an `Err`; it is a `Diagnostic` in a file's report.

use std::ops::Range;

use serde::Serialize;

use crate::rules::BuiltinRule;
use crate::source::{Position, SourceText};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

/// The waiver that covers a finding: it stays visible, marked, and does not fail the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub reason: String,
    pub approved_by: String,
    pub expires: crate::date::Date,
}

/// One finding, located in a file by byte span and by 1-based line/column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub message: String,
    /// How to fix it; for SRM001 this holds the TOML block to add.
    pub help: String,
    /// Text of the label shown under the excerpt in human output.
    pub label: String,
    pub file: String,
    pub span: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub control: Option<String>,
    pub model: Option<String>,
    pub waiver: Option<Suppression>,
}

impl Diagnostic {
    pub fn is_waived(&self) -> bool {
        self.waiver.is_some()
    }

    /// Counts toward the exit code and the summary's errors/warnings.
    pub fn is_active(&self) -> bool {
        !self.is_waived()
    }

    /// The total order every output uses: file, line, column, code, then the rest so
    /// that output is byte-for-byte reproducible.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.file,
            self.start,
            &self.code,
            &self.control,
            &self.model,
            &self.message,
            self.end,
        )
    }
}

/// A finding before it is placed in a file: rules build these.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static BuiltinRule,
    pub span: Range<usize>,
    pub message: String,
    pub label: String,
    pub help: String,
    pub control: Option<String>,
    pub model: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static BuiltinRule, span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            rule,
            span,
            message: message.into(),
            label: String::new(),
            help: String::new(),
            control: None,
            model: None,
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

    pub fn control(mut self, control: impl Into<String>) -> Self {
        self.control = Some(control.into());
        self
    }

    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Places a built-in finding in `file`, with the rule's name and default severity
    /// from the registry.
    pub fn into_diagnostic(self, file: &str, source: &SourceText) -> Diagnostic {
        let rule = self.rule;
        let (start, end) = source.range(&self.span);
        Diagnostic {
            code: rule.code.to_owned(),
            name: rule.name.to_owned(),
            severity: rule.severity,
            message: self.message,
            help: if self.help.is_empty() {
                rule.summary.to_owned()
            } else {
                self.help
            },
            label: self.label,
            file: file.to_owned(),
            span: self.span,
            start,
            end,
            control: self.control,
            model: self.model,
            waiver: None,
        }
    }
}

/// Counts of a run, as the JSON `summary` reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub waived: usize,
}

impl Summary {
    pub fn of<'a>(files: usize, diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Self {
        let mut summary = Summary {
            files,
            ..Summary::default()
        };
        for diagnostic in diagnostics {
            if diagnostic.is_waived() {
                summary.waived += 1;
                continue;
            }
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }
}
