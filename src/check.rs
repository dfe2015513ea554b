//! Checking controls files end to end: read and decode (SRM022), parse (SRM020,
//! SRM021), then the engine, evidence and policy rules, the configuration's severity
//! overrides, and last the waivers (SRM040–SRM042). One unreadable or broken file
//! never stops the others; every outcome is a finding in that file's report.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::config::{Config, Level};
use crate::controls::{self, ControlsFile};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Finding, Severity, Summary};
use crate::discover::Candidate;
use crate::discover::Discovery;
use crate::engine::{self, EngineContext};
use crate::evidence::{self, EvidenceBase};
use crate::frameworks::Framework;
use crate::fsutil;
use crate::matrix::Matrix;
pub use crate::parallel::Keep;
use crate::policy::{self, PolicyContext, PolicyRule};
use crate::rules;
use crate::source::SourceText;
use crate::waivers::{self, WaiverContext, WaiverStatus};

/// Controls files larger than this are not read (SRM022).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Everything a check needs besides the files: loaded once per process.
#[derive(Debug)]
pub struct Checker {
    pub matrix: Matrix,
    pub frameworks: Vec<Framework>,
    pub today: Date,
    /// `.srmlint.toml`, or the defaults when there is none.
    pub config: Config,
    /// The embedded baseline, then every user policy, in load order.
    pub policies: Vec<PolicyRule>,
    /// What it was loaded from, to load the checker of a file under another
    /// configuration.
    pub settings: LoadSettings,
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
    /// Each `[[waivers]]` entry and what became of it, in file order.
    pub waivers: Vec<WaiverStatus>,
}

/// Where a check's inputs come from: the command line's `--matrix`, `--policy` and
/// `--today`, and the folder the configuration is looked up from.
#[derive(Debug, Clone, Default)]
pub struct LoadSettings {
    pub matrix: Option<PathBuf>,
    pub policies: Vec<PathBuf>,
    pub today: Option<Date>,
    /// The folder `.srmlint.toml` is searched from, up to its repository root: the
    /// first checked path's folder, or the working directory (`config::search_start`).
    /// `None`: no configuration, the defaults.
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
        // The baseline is embedded and a test loads it, so it cannot fail here.
        let policies = policy::baseline(&matrix).expect("the embedded baseline policy loads");
        Self {
            matrix,
            frameworks,
            today,
            config: Config::default(),
            policies,
            settings: LoadSettings::default(),
        }
    }

    /// Loads the matrix (embedded unless `settings.matrix` names a file), the framework
    /// mappings and the date.
    pub fn load(settings: &LoadSettings) -> Result<Self, LoadError> {
        let matrix = match &settings.matrix {
            None => Matrix::parse(crate::matrix::EMBEDDED_MATRIX).map_err(LoadError)?,
            Some(path) => {
                let text = fsutil::read_regular_file(path, MAX_FILE_BYTES)
                    .and_then(decode)
                    .map_err(|problem| {
                        LoadError(format!(
                            "cannot read matrix file `{}`: {problem}",
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
        let mut checker = Self::new(matrix, crate::frameworks::embedded(), today);
        checker.settings = settings.clone();
        checker.config = Config::discover(settings.config_dir.as_deref())?;
        let builtin_codes: Vec<&str> = rules::BUILTIN_RULES.iter().map(|rule| rule.code).collect();
        let mut policy_paths = checker.config.policies.clone();
        policy_paths.extend(settings.policies.iter().cloned());
        let user_rules = policy::load_paths(&policy_paths, &checker.matrix, &builtin_codes)?;
        checker.policies.extend(user_rules);
        checker.config.check_rule_codes(&checker.rule_codes())?;
        Ok(checker)
    }

    /// The code of every rule of the run, built-in and loaded.
    pub fn rule_codes(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = rules::BUILTIN_RULES.iter().map(|rule| rule.code).collect();
        codes.extend(self.policies.iter().map(|rule| rule.code.as_str()));
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// Every rule that can fire in this run, in code order, with the severity the
    /// configuration gives it; rules turned `off` are still listed.
    pub fn rules(&self) -> Vec<RuleInfo> {
        let builtin = rules::BUILTIN_RULES.iter().map(|rule| RuleInfo {
            code: rule.code.to_owned(),
            name: rule.name.to_owned(),
            severity: rule.severity,
            summary: rule.summary.to_owned(),
            doc: rule.doc.to_owned(),
            origin: "built-in".to_owned(),
        });
        let loaded = self
            .policies
            .iter()
            .filter(|rule| rules::builtin(&rule.code).is_none())
            .map(|rule| RuleInfo {
                code: rule.code.clone(),
                name: rule.name.clone(),
                severity: rule.severity,
                summary: if rule.help.is_empty() {
                    rule.message.clone()
                } else {
                    rule.help.clone()
                },
                doc: user_rule_doc(rule),
                origin: rule.origin.clone(),
            });
        let mut all: Vec<RuleInfo> = builtin.chain(loaded).collect();
        for rule in &mut all {
            if let Some(Level::Severity(severity)) = self.config.level(&rule.code) {
                rule.severity = severity;
            }
        }
        all.sort_by(|a, b| a.code.cmp(&b.code));
        all
    }

    /// Applies `[rules]` overrides: a new severity, or `off` to drop the finding.
    fn apply_levels(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|diagnostic| match self.config.level(&diagnostic.code) {
            Some(Level::Off) => false,
            Some(Level::Severity(severity)) => {
                diagnostic.severity = severity;
                true
            }
            None => true,
        });
    }

    /// Discovers the controls files under `paths` and checks each under the
    /// `.srmlint.toml` nearest to it (its folder up to its repository root: policies,
    /// levels, limits and globs), checking while the walk goes on. Files named in
    /// `paths` are always checked; walked ones follow their configuration's
    /// `include`/`exclude`. Fails when a configuration, or a policy it names, cannot
    /// be loaded.
    pub fn check_walk(
        &self,
        paths: &[PathBuf],
        keep: Keep,
    ) -> Result<(Discovery, RunReport), LoadError> {
        let governed = Governed::new(self, paths, keep);
        let (discovery, report) =
            crate::parallel::discover_and_check(paths, &|_| true, &|candidate, base| {
                governed.check(candidate, base)
            });
        governed.finish().map(|()| (discovery, report))
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
        match fsutil::read_regular_file(path, MAX_FILE_BYTES) {
            Ok(bytes) => self.check_bytes(bytes, display_path, base),
            Err(problem) => unreadable(display_path, problem),
        }
    }

    /// Decodes and checks the raw bytes of a controls file: bytes that are not a
    /// controls file's text (binary, not UTF-8, too large) are one SRM022 finding.
    pub fn check_bytes(
        &self,
        bytes: Vec<u8>,
        display_path: &str,
        base: &EvidenceBase,
    ) -> FileReport {
        match decode(bytes) {
            Ok(text) => self.check_text(text, display_path, base),
            Err(problem) => unreadable(display_path, problem),
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
        let mut waiver_statuses = Vec::new();
        if let Some(file) = &file {
            let context = PolicyContext {
                matrix: &self.matrix,
                today: self.today,
                settings: &self.config.settings,
                file_name: display_path,
                source: &source,
            };
            diagnostics.extend(policy::evaluate(&self.policies, file, context));
            self.apply_levels(&mut diagnostics);
            let known_rules = self.rule_codes();
            let context = WaiverContext {
                today: self.today,
                max_waiver_days: self.config.settings.max_waiver_days,
                known_rules: &known_rules,
                matrix: &self.matrix,
            };
            let (waiver_findings, statuses) = waivers::apply(file, &mut diagnostics, context);
            let mut waiver_diagnostics: Vec<Diagnostic> = waiver_findings
                .into_iter()
                .map(|finding| finding.into_diagnostic(display_path, &source))
                .collect();
            self.apply_levels(&mut waiver_diagnostics);
            diagnostics.extend(waiver_diagnostics);
            waiver_statuses = statuses;
        } else {
            self.apply_levels(&mut diagnostics);
        }
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        FileReport {
            path: display_path.to_owned(),
            source: Some(source),
            file,
            diagnostics,
            waivers: waiver_statuses,
        }
    }
}

/// The documentation `explain` shows for a rule loaded from a policy file.
fn user_rule_doc(rule: &PolicyRule) -> String {
    let fields: Vec<&str> = rule
        .require
        .fields
        .iter()
        .map(|field| field.as_str())
        .collect();
    let mut doc = format!(
        "## What it checks\n{} (`{}`), on the field(s) {}: {}\n",
        rule.name,
        rule.code,
        fields.join(", "),
        rule.message
    );
    if !rule.help.is_empty() {
        doc.push_str(&format!("\n## Use instead\n{}\n", rule.help));
    }
    doc.push_str(&format!(
        "\n## References\n- defined in `{}`\n",
        rule.origin
    ));
    doc
}

/// Checks each file under the `.srmlint.toml` nearest to it, shared by the worker
/// threads: each configuration is found and loaded once, the first time a file under
/// it comes by. `None` in the cache stands for the run's own checker.
struct Governed<'a> {
    run: &'a Checker,
    explicit: &'a [PathBuf],
    keep: Keep,
    cache: Mutex<GovernedCache>,
    failure: Mutex<Option<LoadError>>,
}

#[derive(Default)]
struct GovernedCache {
    finder: crate::config::ConfigFinder,
    checkers: HashMap<Option<PathBuf>, Option<Arc<Checker>>>,
}

impl<'a> Governed<'a> {
    fn new(run: &'a Checker, explicit: &'a [PathBuf], keep: Keep) -> Self {
        Self {
            run,
            explicit,
            keep,
            cache: Mutex::default(),
            failure: Mutex::new(None),
        }
    }

    /// The report of one file, or `None` when its configuration excludes it (files
    /// named on the command line are always checked) or cannot be loaded.
    fn check(&self, candidate: &Candidate, base: &EvidenceBase) -> Option<FileReport> {
        let own = self.checker_for(&candidate.path)?;
        let checker = own.as_deref().unwrap_or(self.run);
        let is_explicit = self.explicit.contains(&candidate.path);
        if !is_explicit && !checker.config.keeps_file(&candidate.path) {
            return None;
        }
        let report = checker.check_path_with_base(&candidate.path, &candidate.display, base);
        Some(self.keep.apply(report))
    }

    fn checker_for(&self, path: &Path) -> Option<Option<Arc<Checker>>> {
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let GovernedCache { finder, checkers } = &mut *cache;
        let nearest = finder.find(&folder);
        if let Some(own) = checkers.get(&nearest) {
            return Some(own.clone());
        }
        let own = if nearest == self.run.config.path {
            None
        } else {
            let settings = LoadSettings {
                config_dir: Some(folder),
                today: Some(self.run.today),
                ..self.run.settings.clone()
            };
            match Checker::load(&settings) {
                Ok(checker) => Some(Arc::new(checker)),
                Err(error) => {
                    *self.failure.lock().unwrap_or_else(PoisonError::into_inner) = Some(error);
                    return None;
                }
            }
        };
        checkers.insert(nearest, own.clone());
        Some(own)
    }

    /// The first configuration that could not be loaded fails the run.
    fn finish(self) -> Result<(), LoadError> {
        match self
            .failure
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

/// The report of a file that could not be read or decoded: one SRM022 finding.
fn unreadable(display_path: &str, problem: String) -> FileReport {
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
        waivers: Vec::new(),
    }
}

/// The bytes of a controls file as UTF-8 text, or one sentence saying why they are not.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(
            "the file is larger than 4 MiB; controls files are small text files".to_owned(),
        );
    }
    // UTF-16 text is full of NUL bytes; name it rather than calling it binary.
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(
            "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8"
                .to_owned(),
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
