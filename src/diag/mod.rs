//! Findings as data: severities, the shape of a rule's registry entry, what every rule
//! produces (`Finding`) and what every output format consumes (`Diagnostic`), and the
//! one error type for the tool's own failures. A finding is never an `Err`: only a
//! run that cannot do its job (a bad matrix, policy or configuration file, a bad
//! argument) is an `Error`, exit 2.

pub mod fingerprint;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::text::Position;
use crate::text::SourceText;
use crate::text::date::Date;
use crate::text::toml::Problem;

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
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|severity| severity.as_str() == text)
    }
}

/// A built-in rule's registry entry, defined beside the rule's logic. Codes are a
/// contract: never renamed, renumbered or reused.
#[derive(Debug)]
pub struct BuiltinRule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line on what fires it; the short description in SARIF and `rules`.
    pub summary: &'static str,
    /// Markdown with the sections What it checks / Why it matters / Example /
    /// Use instead / References (`docs/rules/<CODE>.md`).
    pub doc: &'static str,
    /// False for the rules about waivers themselves: a waiver never hides them.
    pub waivable: bool,
    /// True when `[rules]` may not change the level: turning it down would let an
    /// expired or invalid waiver keep hiding a finding.
    pub fixed_level: bool,
}

impl BuiltinRule {
    /// The entry of a rule as most are: a waiver may hide its findings and `[rules]`
    /// may change its level.
    pub const fn new(
        code: &'static str,
        name: &'static str,
        severity: Severity,
        summary: &'static str,
        doc: &'static str,
    ) -> Self {
        Self {
            code,
            name,
            severity,
            summary,
            doc,
            waivable: true,
            fixed_level: false,
        }
    }
}

/// The rule a finding comes from: built in, or loaded from a policy file.
#[derive(Debug, Clone)]
pub enum RuleRef {
    Builtin(&'static BuiltinRule),
    Loaded {
        code: String,
        name: String,
        severity: Severity,
    },
}

impl From<&'static BuiltinRule> for RuleRef {
    fn from(rule: &'static BuiltinRule) -> Self {
        RuleRef::Builtin(rule)
    }
}

/// A rule as `srmlint rules`, `explain` and SARIF list it: built-in or loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    /// Markdown documentation (What it checks / Why it matters / ...).
    pub doc: String,
    /// `built-in`, or the policy file the rule was loaded from.
    pub origin: String,
}

/// The waiver that covers a finding: it stays visible, marked, and does not fail the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub reason: String,
    pub approved_by: String,
    pub expires: Date,
}

impl Suppression {
    /// `waived until 2027-03-31: reason`, as one-line formats show it.
    pub fn short(&self) -> String {
        format!("waived until {}: {}", self.expires, self.reason)
    }

    /// `waived until 2027-03-31, approved by ciso@…: reason`, where the approver counts.
    pub fn long(&self) -> String {
        format!(
            "waived until {}, approved by {}: {}",
            self.expires, self.approved_by, self.reason
        )
    }
}

/// Whether a fix may be applied without a person's review: `check --fix` applies the
/// safe ones, `--unsafe-fixes` the others too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps what the file asserts (a misspelt id, a duplicate, what the
    /// infrastructure shows): applied by `--fix`.
    Safe,
    /// Changes what the file asserts, or adds what a person must fill in: applied only
    /// with `--unsafe-fixes`.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// What a finding proposes to change, as plain data: the rule that knows what is
/// wrong says what would be right; `authoring::fix` turns it into edits of the
/// controls file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    /// Write `with` in place of the key or string value at the finding's span.
    Replace {
        with: String,
        applicability: Applicability,
    },
    /// Add `value` to the `[deployment]` list `key` (creating the key when missing).
    AddToDeployment { key: String, value: String },
    /// Remove the list item at the finding's span.
    RemoveItem { applicability: Applicability },
    /// Remove every repeat of the value at the finding's span from its list, keeping
    /// its first occurrence (safe: the list says the same).
    RemoveRepeats,
    /// Add a `[controls.<control>]` entry claiming the control, as `init` writes it.
    AddClaim { control: String, owner: String },
}

/// One change to a file's text: replace the characters from `start` to `end`
/// (1-based, end exclusive, columns in characters) with `content`. `span` is the same
/// place in bytes of the text as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub file: String,
    pub span: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub content: String,
}

/// The edits that resolve a finding, what they do in one sentence, and whether they
/// need review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
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
    /// What the rule proposes (see `Proposal`), when it knows.
    pub proposal: Option<Proposal>,
    /// The edits that resolve it, worked out by `authoring::fix` from the proposal
    /// and the file; `None` when there is no fix or it was not asked for.
    pub fix: Option<Fix>,
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

/// Another file than the one checked, with its text, where a finding lies: a
/// Terraform file the controls file names. Its path is as output shows it.
#[derive(Debug, Clone)]
pub struct OtherFile {
    pub path: String,
    pub source: Arc<SourceText>,
}

/// A finding before it is placed in a file: a problem (place, message, label, help)
/// that a rule, built-in or loaded, found. Rules build these.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: RuleRef,
    pub problem: Problem,
    pub control: Option<String>,
    pub model: Option<String>,
    /// Set when the span lies in another file than the one checked.
    pub elsewhere: Option<OtherFile>,
    /// What would resolve it, as data; a problem's single did-you-mean is a safe fix.
    pub proposal: Option<Proposal>,
}

impl Finding {
    pub fn new(rule: &'static BuiltinRule, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::of(RuleRef::Builtin(rule), span, message)
    }

    pub fn of(rule: RuleRef, span: Range<usize>, message: impl Into<String>) -> Self {
        Self::from_problem(rule, Problem::new(span, message))
    }

    /// A problem of a TOML file reported as a finding of `rule`.
    pub fn from_problem(rule: impl Into<RuleRef>, problem: Problem) -> Self {
        Self {
            rule: rule.into(),
            problem,
            control: None,
            model: None,
            elsewhere: None,
            proposal: None,
        }
    }

    pub fn propose(mut self, proposal: Proposal) -> Self {
        self.proposal = Some(proposal);
        self
    }

    /// `propose`, when there is something to propose.
    pub fn propose_if(mut self, proposal: Option<Proposal>) -> Self {
        if proposal.is_some() {
            self.proposal = proposal;
        }
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.problem.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.problem.help = help.into();
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

    /// The span lies in `file`, not in the file being checked.
    pub fn in_file(mut self, file: OtherFile) -> Self {
        self.elsewhere = Some(file);
        self
    }

    /// Places the finding in `file` (or in the other file it lies in): positions from
    /// the span, the rule's name and default severity, and for a built-in rule its
    /// summary when no help was given.
    pub fn into_diagnostic(self, file: &str, source: &SourceText) -> Diagnostic {
        let (file, source) = match &self.elsewhere {
            Some(other) => (other.path.as_str(), other.source.as_ref()),
            None => (file, source),
        };
        let Problem {
            span,
            message,
            label,
            help,
            replacement,
        } = self.problem;
        let (start, end) = source.range(&span);
        let (code, name, severity, help) = match self.rule {
            RuleRef::Builtin(rule) => (
                rule.code.to_owned(),
                rule.name.to_owned(),
                rule.severity,
                if help.is_empty() {
                    rule.summary.to_owned()
                } else {
                    help
                },
            ),
            RuleRef::Loaded {
                code,
                name,
                severity,
            } => (code, name, severity, help),
        };
        Diagnostic {
            code,
            name,
            severity,
            message,
            help,
            label,
            file: file.to_owned(),
            span,
            start,
            end,
            control: self.control,
            model: self.model,
            waiver: None,
            proposal: self.proposal.or_else(|| {
                replacement.map(|with| Proposal::Replace {
                    with,
                    applicability: Applicability::Safe,
                })
            }),
            fix: None,
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

/// "1 error", "3 warnings": a count in words a person reads.
pub fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The tool could not do its job (exit 2): a bad matrix, policy or configuration
/// file, an argument it cannot use. The message says what; for a configuring file, the
/// problems in it are kept with their places so the command line can show each with
/// an excerpt (`render::human::error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub located: Option<Box<Located>>,
    /// The file at fault as messages show it, when one is: the machine formats
    /// place the error there.
    pub path: Option<String>,
}

/// The problems of one configuring file, where they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The file as messages show it.
    pub file: String,
    pub text: String,
    pub problems: Vec<Problem>,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            located: None,
            path: None,
        }
    }

    /// The same error, about the file `shown`.
    pub fn at(mut self, shown: impl Into<String>) -> Self {
        self.path = Some(shown.into());
        self
    }

    /// Every problem of a configuring file (`kind`: "policy", "config").
    pub fn in_file(kind: &str, shown: &str, text: &str, problems: &[Problem]) -> Self {
        let mut problems = problems.to_vec();
        problems.sort_by_key(|problem| (problem.span.start, problem.span.end));
        Self {
            message: format!("invalid {kind} file `{shown}`"),
            located: Some(Box::new(Located {
                file: shown.to_owned(),
                text: text.to_owned(),
                problems,
            })),
            path: Some(shown.to_owned()),
        }
    }
}

/// The message, then each problem on a line of its own with its place.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(located) = &self.located {
            let source = SourceText::new(located.text.clone());
            for problem in &located.problems {
                let at = source.position(problem.span.start);
                write!(
                    f,
                    "\n{}:{}:{}: {}",
                    located.file, at.line, at.column, problem.message
                )?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
