//! Checking controls files end to end: read and decode (SRM022), parse (SRM020,
//! SRM021), then the engine and evidence rules. One unreadable or broken file never
//! stops the others; every outcome is a finding in that file's report.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::controls::{self, ControlsFile};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Finding, Severity, Summary};
use crate::engine::{self, EngineContext};
use crate::evidence::{self, EvidenceBase};
use crate::frameworks::Framework;
use crate::matrix::Matrix;
pub use crate::parallel::{Keep, check_all, check_all_keeping, discover_and_check};
use crate::rules;
use crate::source::SourceText;

/// Controls files larger than this are not read (SRM022).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Everything a check needs besides the files: loaded once per process.
#[derive(Debug)]
pub struct Checker {
    pub matrix: Matrix,
    pub frameworks: Vec<Framework>,
    pub today: Date,
}

/// The outcome for one controls file.
#[derive(Debug)]
pub struct FileReport {
    /// The path as output shows it (§2 of the design: as given, `/`-separated).
    pub path: String,
    /// The decoded text, when the file could be read.
    pub source: Option<SourceText>,
    /// The parsed model, when the text was TOML.
    pub file: Option<ControlsFile>,
    /// Sorted by position, then code.
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a check's inputs come from: the command line's `--matrix`, `--policy` and
/// `--today`, and the folder the configuration is looked up from.
#[derive(Debug, Clone, Default)]
pub struct LoadSettings {
    pub matrix: Option<PathBuf>,
    pub policies: Vec<PathBuf>,
    pub today: Option<Date>,
    /// The folder `.srmlint.toml` is searched from (the working directory).
    pub config_dir: Option<PathBuf>,
}

/// The tool cannot run: a bad matrix, policy or config file (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

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

impl Checker {
    pub fn new(matrix: Matrix, frameworks: Vec<Framework>, today: Date) -> Self {
        Self {
            matrix,
            frameworks,
            today,
        }
    }

    /// Loads the matrix (embedded unless `settings.matrix` names a file), the framework
    /// mappings and the date.
    pub fn load(settings: &LoadSettings) -> Result<Self, LoadError> {
        let matrix = match &settings.matrix {
            None => Matrix::parse(crate::matrix::EMBEDDED_MATRIX).map_err(LoadError)?,
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|error| {
                    LoadError(format!(
                        "cannot read matrix file `{}`: {error}",
                        path.display()
                    ))
                })?;
                Matrix::parse(&text).map_err(|error| {
                    LoadError(format!(
                        "invalid matrix file `{}`:\n{error}",
                        path.display()
                    ))
                })?
            }
        };
        let today = settings.today.unwrap_or_else(Date::today_utc);
        Ok(Self::new(matrix, crate::frameworks::embedded(), today))
    }

    /// Every rule that can fire in this run, in code order.
    pub fn rules(&self) -> Vec<RuleInfo> {
        rules::BUILTIN_RULES
            .iter()
            .map(|rule| RuleInfo {
                code: rule.code.to_owned(),
                name: rule.name.to_owned(),
                severity: rule.severity,
                summary: rule.summary.to_owned(),
                doc: rule.doc.to_owned(),
                origin: "built-in".to_owned(),
            })
            .collect()
    }

    /// Reads and checks the file at `path`, reported under `display_path`.
    pub fn check_path(&self, path: &Path, display_path: &str) -> FileReport {
        self.check_path_with_base(path, display_path, &EvidenceBase::for_file(path))
    }

    /// `check_path` with the evidence base already found (shared across many files).
    pub fn check_path_with_base(
        &self,
        path: &Path,
        display_path: &str,
        base: &EvidenceBase,
    ) -> FileReport {
        match read_text(path) {
            Ok(text) => self.check_text(text, display_path, base),
            Err(problem) => {
                let source = SourceText::new(String::new());
                let diagnostic = Finding::new(&rules::SRM022, 0..0, problem)
                    .label("this file")
                    .help("controls files are UTF-8 TOML text of at most 4 MiB")
                    .into_diagnostic(display_path, &source);
                FileReport {
                    path: display_path.to_owned(),
                    source: None,
                    file: None,
                    diagnostics: vec![diagnostic],
                }
            }
        }
    }

    /// Checks controls-file text; evidence paths resolve against `base`.
    pub fn check_text(&self, text: String, display_path: &str, base: &EvidenceBase) -> FileReport {
        // A leading byte-order mark is not part of the TOML document.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        };
        let source = SourceText::new(text);
        let (file, mut findings) = controls::parse(source.text(), &self.matrix);
        if let Some(file) = &file {
            let framework_ids: Vec<&str> = self.frameworks.iter().map(Framework::id).collect();
            let context = EngineContext {
                matrix: &self.matrix,
                frameworks: &framework_ids,
            };
            findings.extend(engine::evaluate(file, context));
            findings.extend(evidence::check(file, base));
        }
        let mut diagnostics: Vec<Diagnostic> = findings
            .into_iter()
            .map(|finding| finding.into_diagnostic(display_path, &source))
            .collect();
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        FileReport {
            path: display_path.to_owned(),
            source: Some(source),
            file,
            diagnostics,
        }
    }
}

/// Reads a file as UTF-8 text, or says in one sentence why it cannot be.
fn read_text(path: &Path) -> Result<String, String> {
    let file =
        std::fs::File::open(path).map_err(|error| format!("cannot read the file: {error}"))?;
    // Sized from the metadata, the file is read in one call (and one that finds the
    // end) instead of a doubling series.
    let expected = file.metadata().map_or(0, |metadata| metadata.len());
    let mut bytes = Vec::with_capacity(expected.min(MAX_FILE_BYTES) as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read the file: {error}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(
            "the file is larger than 4 MiB; controls files are small text files".to_owned(),
        );
    }
    if let Some(offset) = bytes.iter().position(|&byte| byte == 0) {
        return Err(format!(
            "the file is binary (a NUL byte at offset {offset})"
        ));
    }
    String::from_utf8(bytes).map_err(|error| {
        format!(
            "the file is not UTF-8 (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        )
    })
}

/// The outcome of a whole run.
#[derive(Debug, Default)]
pub struct RunReport {
    /// Sorted by path.
    pub files: Vec<FileReport>,
}

impl RunReport {
    pub fn new(mut files: Vec<FileReport>) -> Self {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Self { files }
    }

    /// Every diagnostic of every file, in output order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|file| file.diagnostics.iter())
    }

    pub fn summary(&self) -> Summary {
        Summary::of(self.files.len(), self.diagnostics())
    }

    /// True when the run fails: an active error, or an active warning when warnings
    /// are denied.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.diagnostics().any(|diagnostic| {
            diagnostic.is_active()
                && (diagnostic.severity == Severity::Error
                    || (deny_warnings && diagnostic.severity == Severity::Warning))
        })
    }
}
