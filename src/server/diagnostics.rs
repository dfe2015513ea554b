//! What the editor shows under the text: the findings of `check` for an open controls
//! file, and the problems of an open `.srmlint.toml`. A controls file is checked by the
//! same `Checker` the command line uses, under the configuration of its folder (open
//! `.srmlint.toml` buffers standing in for their files) and with the Terraform sources
//! it names; its unsaved text is what is checked, and its evidence paths resolve from
//! the file's real folder. Nothing here judges anything itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range,
    Uri,
};

use super::position::LineIndex;
use super::uri;
use crate::check::{self, Checker, FileReport, LoadSettings, Supplied};
use crate::data::matrix::Matrix;
use crate::diag::{self, Severity};
use crate::input::config::Config;
use crate::rules::{self, BUILTIN_RULES};
use crate::text::escape::escape_for_terminal;
use crate::text::fs::{self, RepoRoots};

/// The name diagnostics carry as their `source`.
pub(crate) const SOURCE: &str = "srmlint";

/// What one check of a document found: its own diagnostics, and those that lie in
/// other files (the Terraform files it names), by their URI.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub(crate) own: Vec<Diagnostic>,
    /// Keyed by the URI's text.
    pub(crate) elsewhere: BTreeMap<String, Vec<Diagnostic>>,
}

impl Checked {
    /// Diagnostics of the document only.
    pub(crate) fn only(own: Vec<Diagnostic>) -> Self {
        Self {
            own,
            elsewhere: BTreeMap::new(),
        }
    }
}

/// Checks the text of the controls file at `path` (absolute) as `check` would check
/// that file holding this text.
pub(crate) fn check_controls(
    loaded: &Result<Arc<Checker>, diag::Error>,
    path: &Path,
    text: &str,
) -> Checked {
    let report = match loaded {
        Ok(checker) => report_of(checker, path, text),
        Err(error) => Err(error.clone()),
    };
    match report {
        Ok(Some(checked)) => from_report(&checked.report, &checked.display, &checked.root, text),
        Ok(None) => Checked::default(),
        Err(error) => Checked::only(vec![configuration_failure(
            &error,
            "this file cannot be checked",
        )]),
    }
}

/// A controls file's report, with how it was shown and its repository root.
pub(crate) struct Report {
    pub(crate) report: FileReport,
    /// The path findings in the file itself carry (repository-relative).
    pub(crate) display: String,
    pub(crate) root: PathBuf,
}

/// The report of `check` for the controls file at `path` holding `text`; `None` when
/// its configuration leaves it out (it never does: it is checked as named).
pub(crate) fn report_of(
    checker: &Checker,
    path: &Path,
    text: &str,
) -> Result<Option<Report>, diag::Error> {
    let folder = fs::folder_of(path);
    let root = RepoRoots::default()
        .root_of(folder)
        .unwrap_or_else(|| folder.to_path_buf());
    let display = fs::display_path(path.strip_prefix(&root).unwrap_or(path));
    let supplied = Supplied {
        path: path.to_path_buf(),
        display: display.clone(),
        bytes: Some(text.as_bytes().to_vec()),
        explicit: true,
        terraform_root: None,
        refused: None,
    };
    let report = checker.check_supplied(&[supplied])?;
    Ok(report.files.into_iter().next().map(|report| Report {
        report,
        display,
        root,
    }))
}

/// Where a finding of `report` lies as the protocol names it: the URI of its file and
/// its range there (`text` is the document's buffer, for findings in the document).
pub(crate) fn place(
    report: &Report,
    finding: &diag::Diagnostic,
    document: &Uri,
    text: &str,
) -> Option<(Uri, Range)> {
    let (uri, source) = if finding.file == report.display {
        (document.clone(), None)
    } else {
        let source = report.report.other_sources.get(&finding.file)?;
        (
            uri::from_path(&report.root.join(&finding.file))?,
            Some(source.text()),
        )
    };
    let range = match source {
        None => {
            let mark = bom_len(&report.report);
            LineIndex::new(text).range(text, finding.span.start + mark, finding.span.end + mark)
        }
        Some(source) => LineIndex::new(source).range(source, finding.span.start, finding.span.end),
    };
    Some((uri, range))
}

/// The bytes of the byte-order mark the buffer starts with and the checked text
/// leaves out.
pub(crate) fn bom_len(report: &FileReport) -> usize {
    if report.byte_order_mark {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// The report's diagnostics as the protocol's, each in the file it lies in.
fn from_report(file: &FileReport, display: &str, root: &Path, text: &str) -> Checked {
    let mut checked = Checked::default();
    // The buffer as the editor holds it: positions count its byte-order mark, which
    // the checked text leaves out.
    let own_index = LineIndex::new(text);
    let mark = bom_len(file);
    let mut other_indexes: BTreeMap<&str, LineIndex> = BTreeMap::new();
    for diagnostic in &file.diagnostics {
        if diagnostic.file == display {
            let range = own_index.range(
                text,
                diagnostic.span.start + mark,
                diagnostic.span.end + mark,
            );
            checked.own.push(to_lsp(diagnostic, range));
            continue;
        }
        let Some(source) = file.other_sources.get(&diagnostic.file) else {
            continue;
        };
        let Some(target) = uri::from_path(&root.join(&diagnostic.file)) else {
            continue;
        };
        let index = other_indexes
            .entry(diagnostic.file.as_str())
            .or_insert_with(|| LineIndex::new(source.text()));
        let range = index.range(source.text(), diagnostic.span.start, diagnostic.span.end);
        checked
            .elsewhere
            .entry(target.as_str().to_owned())
            .or_default()
            .push(to_lsp(diagnostic, range));
    }
    checked
}

/// One finding as the protocol's diagnostic: error → 1, warning → 2, info → 3, and a
/// waived finding → 4 (a hint) whatever its level, naming the waiver that covers it.
pub(crate) fn to_lsp(finding: &diag::Diagnostic, range: Range) -> Diagnostic {
    let severity = match (&finding.waiver, finding.severity) {
        (Some(_), _) => DiagnosticSeverity::HINT,
        (None, Severity::Error) => DiagnosticSeverity::ERROR,
        (None, Severity::Warning) => DiagnosticSeverity::WARNING,
        (None, Severity::Info) => DiagnosticSeverity::INFORMATION,
    };
    let mut message = finding.message.clone();
    if let Some(waiver) = &finding.waiver {
        // The waiver by what it says: its rule, its expiry, its approver and reason.
        message.push_str(&format!(
            "\n{} (`[[waivers]]` rule = \"{}\")",
            waiver.long(),
            finding.code
        ));
    }
    if !finding.help.is_empty() && finding.help != finding.message {
        message.push_str("\nhelp: ");
        message.push_str(&finding.help);
    }
    Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.code.clone())),
        data: Some(serde_json::json!({
            "name": finding.name,
            "control": finding.control,
            "model": finding.model,
        })),
        ..failure(&message)
    }
}

/// `escape_for_terminal` line by line, keeping the line breaks an editor shows.
pub(crate) fn escape_multiline(text: &str) -> String {
    text.split('\n')
        .map(escape_for_terminal)
        .collect::<Vec<_>>()
        .join("\n")
}

/// An error at the first character of a document, saying `message` (text from the
/// checked files may hold control characters: shown, not obeyed).
pub(crate) fn failure(message: &str) -> Diagnostic {
    Diagnostic {
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some(SOURCE.to_owned()),
        message: escape_multiline(message),
        ..Diagnostic::default()
    }
}

/// A document whose configuration (or a policy it names) cannot be loaded: one
/// error at its first character, saying why, each problem with its place.
pub(crate) fn configuration_failure(error: &diag::Error, what: &str) -> Diagnostic {
    let related = error.located.as_ref().and_then(|located| {
        let path = fs::absolute(Path::new(&located.file));
        let target = uri::from_path(&path)?;
        let index = LineIndex::new(&located.text);
        Some(
            located
                .problems
                .iter()
                .map(|problem| DiagnosticRelatedInformation {
                    location: Location::new(
                        target.clone(),
                        index.range(&located.text, problem.span.start, problem.span.end),
                    ),
                    message: escape_multiline(&problem.message),
                })
                .collect(),
        )
    });
    Diagnostic {
        related_information: related,
        ..failure(&format!("{what}: {error}"))
    }
}

/// The problems of an open `.srmlint.toml` at `path` (absolute), its text taken from
/// the overlay, given what loading the configuration of its folder said: every
/// problem located in it at its place; a problem elsewhere (a configuration above
/// it, a policy it names) as one error at its start.
pub(crate) fn check_config(
    loaded: Result<(), &diag::Error>,
    path: &Path,
    text: &str,
) -> Vec<Diagnostic> {
    let Err(error) = loaded else {
        return Vec::new();
    };
    // A problem located in this file, as the buffer holds it.
    let located = error.located.as_ref().filter(|located| {
        let file = fs::absolute(Path::new(&located.file));
        (file == path || fs::same_file(&file, path)) && located.text == text
    });
    let Some(located) = located else {
        return vec![configuration_failure(
            error,
            "this configuration cannot be loaded",
        )];
    };
    let index = LineIndex::new(text);
    located
        .problems
        .iter()
        .map(|problem| {
            let mut message = problem.message.clone();
            if !problem.help.is_empty() {
                message.push_str("\nhelp: ");
                message.push_str(&problem.help);
            }
            Diagnostic {
                range: index.range(text, problem.span.start, problem.span.end),
                ..failure(&message)
            }
        })
        .collect()
}

/// Loads a `.srmlint.toml` whose file is not on disk yet (a new buffer) on its own, as
/// `check` would once it is saved: its keys, globs and paths, the policies it names
/// (and `--policy`), and the rule codes of its `[rules]`. It governs no other file
/// until it is saved.
pub(crate) fn load_new_config(
    matrix: &Matrix,
    settings: &LoadSettings,
    path: &Path,
    text: &str,
) -> Result<(), diag::Error> {
    let overlay = [(path.to_path_buf(), text.to_owned())];
    let config =
        Config::load_chain_overlaid(&[path.to_path_buf()], &rules::fixed_level_codes(), &overlay)?;
    let loaded = check::user_policies(&config, settings, matrix)?;
    let known: Vec<String> = (BUILTIN_RULES.iter())
        .map(|rule| rule.code.to_owned())
        .chain(loaded.iter().map(|rule| rule.code.clone()))
        .collect();
    config.check_rule_codes(&known)
}
