//! Checking controls files end to end: read and decode (SRM022), parse (SRM020,
//! SRM021), then the built-in rules, the evidence and policy rules, the
//! configuration's severity overrides, and last the waivers (SRM040–SRM042). One
//! unreadable or broken file never stops the others; every outcome is a finding in
//! that file's report.

mod governed;
pub mod pool;
mod supplied;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::data::frameworks;
use crate::data::matrix::Matrix;
use crate::data::scope::DeploymentScope;
use crate::data::versions::MatrixVersions;
use crate::diag::fingerprint::Fingerprints;
use crate::diag::{Diagnostic, Error, Finding, RuleInfo, Severity, Summary};
use crate::input::config::{self, Config, Level};
use crate::input::controls::{self, ControlsFile};
use crate::input::discover::Discovery;
use crate::input::terraform::deployed::Deployed;
use crate::input::terraform::sources::SourceCache;
use crate::input::terraform::{self, Source};
use crate::policy::{self, PolicyContext, PolicyRule};
use crate::rules::evidence::EvidenceBase;
use crate::rules::hygiene::srm038;
use crate::rules::waivers::{self, WaiverContext, WaiverStatus};
use crate::rules::{self, BUILTIN_RULES};
use crate::text::SourceText;
use crate::text::date::Date;
use crate::text::fs;

pub use pool::Keep;
pub use supplied::Supplied;

/// Everything a check needs besides the files: loaded once per process.
#[derive(Debug)]
pub struct Checker {
    pub matrix: Matrix,
    pub today: Date,
    /// `.srmlint.toml`, or the defaults when there is none.
    pub config: Config,
    /// The embedded baseline, then every user policy, in load order.
    pub policies: Vec<PolicyRule>,
    /// What it was loaded from, to load the checker of a file under another
    /// configuration.
    pub settings: LoadSettings,
    /// The editor's buffers of configuration files it was loaded with, standing in for
    /// them (the language server's; none on the command line).
    pub overlay: Vec<(PathBuf, String)>,
    /// The code of every rule of the run, built-in and loaded, sorted: what a waiver
    /// may name.
    rule_codes: Vec<String>,
    /// Every rule's (code, name), built-in and loaded.
    rule_names: Vec<(String, String)>,
    /// The ids of the frameworks with a mapping (SRM016).
    framework_ids: Vec<&'static str>,
    /// `--terraform` sources read so far, shared with the checkers of other
    /// configurations: such a folder is read once, not once per file.
    terraform_cache: Arc<SourceCache>,
    /// What to add to each walked file's report before it is trimmed to what the
    /// output needs (`Keep`): the command line sets `authoring::fix::attach`, so each
    /// diagnostic carries its fix, worked out while the parsed file is at hand.
    pub finish: Option<FinishReport>,
}

/// See `Checker::finish`.
pub type FinishReport = fn(&mut FileReport, &Matrix);

/// The outcome for one controls file.
#[derive(Debug, Default)]
pub struct FileReport {
    /// The path as output shows it: as given, `/`-separated.
    pub path: String,
    /// The decoded text, when the file could be read.
    pub source: Option<SourceText>,
    /// Whether the file began with a byte-order mark, which `source` leaves out: with
    /// it, [`FileReport::sha256`] is the digest of the bytes as they lie on disk.
    pub byte_order_mark: bool,
    /// The parsed model, when the text was TOML.
    pub file: Option<Box<ControlsFile>>,
    /// Sorted by position, then code.
    pub diagnostics: Vec<Diagnostic>,
    /// Each `[[waivers]]` entry and what became of it, in file order.
    pub waivers: Vec<WaiverStatus>,
    /// The text of every other file a diagnostic lies in (a Terraform file), by its
    /// path as output shows it: excerpts and fingerprints quote it.
    pub other_sources: BTreeMap<String, Arc<SourceText>>,
    /// The Terraform sources read for the file, in order (`terraform = [...]`, then
    /// `--terraform`).
    pub terraform: Vec<Source>,
    /// The findings of the claim rules (SRM030–SRM038) at their default levels, as the
    /// contract defines them, whatever `[rules]` turned off or lowered; a waiver on the
    /// matching finding is kept. The posture report judges claims by these.
    pub contract: Vec<Diagnostic>,
    /// Every `[rules]` level in effect for the file, in code order, with the
    /// configuration file that set it (shown as messages show paths).
    pub overrides: Vec<LevelOverride>,
}

/// A `[rules]` level in effect and the file that set it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LevelOverride {
    pub code: String,
    /// `off`, `info`, `warning` or `error`.
    pub level: String,
    /// The rule's own level.
    pub default: Option<String>,
    /// The `.srmlint.toml` that set it.
    pub file: Option<String>,
}

impl FileReport {
    /// The SHA-256 (hex) of the file's bytes as read, when it could be read as text:
    /// what a posture report names as assessed. Worked out when asked, since `check`
    /// never shows it.
    pub fn sha256(&self) -> Option<String> {
        let text = self.source.as_ref()?.text();
        let mark = if self.byte_order_mark { "\u{feff}" } else { "" };
        Some(crate::text::digest::sha256_hex(
            format!("{mark}{text}").as_bytes(),
        ))
    }

    /// The text of `path`, the file itself or another file a diagnostic lies in.
    pub fn source_of(&self, path: &str) -> Option<&SourceText> {
        if path == self.path {
            self.source.as_ref()
        } else {
            self.other_sources.get(path).map(Arc::as_ref)
        }
    }

    /// The fingerprint of one of this file's diagnostics (`diag::fingerprint`).
    fn fingerprint(&self, prints: &mut Fingerprints, diagnostic: &Diagnostic) -> String {
        let text = self
            .source_of(&diagnostic.file)
            .map_or("", |source| source.text());
        prints.next(&self.path, text, diagnostic)
    }
}

/// Where a check's inputs come from: the command line's `--matrix`, `--policy` and
/// `--today`, and the folder the configuration is looked up from.
#[derive(Debug, Clone, Default)]
pub struct LoadSettings {
    pub matrix: Option<PathBuf>,
    pub policies: Vec<PathBuf>,
    pub today: Option<Date>,
    /// The folder `.srmlint.toml` is searched from, up to its repository root: the
    /// first checked path's folder, or the working directory (`search_start`).
    /// `None`: no configuration, the defaults.
    pub config_dir: Option<PathBuf>,
    /// `--terraform` paths, as given (relative to the working directory): sources of
    /// every file checked.
    pub terraform: Vec<PathBuf>,
    /// `--var-file`, `--var` and `--workspace` for the `--terraform` sources, var
    /// files relative to the working directory (confined to each source's repository
    /// when it is read).
    pub terraform_vars: terraform::VarSettings,
}

impl Checker {
    /// A checker with the embedded baseline rules and no configuration.
    pub fn new(matrix: Matrix, today: Date) -> Self {
        // The baseline is embedded and a test loads it, so it cannot fail here.
        let policies = policy::baseline(&matrix).expect("the embedded baseline policy loads");
        let mut checker = Self {
            matrix,
            today,
            config: Config::default(),
            policies,
            settings: LoadSettings::default(),
            overlay: Vec::new(),
            rule_codes: Vec::new(),
            rule_names: Vec::new(),
            framework_ids: frameworks::embedded_ids().collect(),
            terraform_cache: Arc::default(),
            finish: None,
        };
        checker.index_rules();
        checker
    }

    /// Loads the matrix (embedded unless `settings.matrix` names a file), the
    /// configuration, the policies and the date.
    pub fn load(settings: &LoadSettings) -> Result<Self, Error> {
        let matrix = Matrix::load(settings.matrix.as_deref())?;
        Self::load_overlaid(matrix, settings, &[])
    }

    /// `load` with the matrix already loaded, the configuration files `overlay` holds
    /// read from it instead of the disk (an editor's unsaved buffers).
    pub fn load_overlaid(
        matrix: Matrix,
        settings: &LoadSettings,
        overlay: config::Overlay<'_>,
    ) -> Result<Self, Error> {
        let today = settings.today.unwrap_or_else(Date::today_utc);
        let mut checker = Self::new(matrix, today);
        checker.settings = settings.clone();
        checker.overlay = overlay.to_vec();
        checker.config = Config::discover_overlaid(
            settings.config_dir.as_deref(),
            &rules::fixed_level_codes(),
            overlay,
        )?;
        let user_rules = user_policies(&checker.config, settings, &checker.matrix)?;
        checker.policies.extend(user_rules);
        checker.index_rules();
        checker.config.check_rule_codes(&checker.rule_codes)?;
        Ok(checker)
    }

    /// Indexes the codes and names of every rule of the run, once, after loading.
    fn index_rules(&mut self) {
        let builtin = BUILTIN_RULES.iter().map(|rule| (rule.code, rule.name));
        let loaded = self
            .policies
            .iter()
            .map(|rule| (rule.code.as_str(), rule.name.as_str()));
        let mut names: Vec<(String, String)> = builtin
            .chain(loaded)
            .map(|(code, name)| (code.to_owned(), name.to_owned()))
            .collect();
        names.sort();
        names.dedup();
        self.rule_codes = names.iter().map(|(code, _)| code.clone()).collect();
        self.rule_codes.dedup();
        self.rule_names = names;
    }

    /// Every rule that can fire in this run, in code order, with the severity the
    /// configuration gives it; rules turned `off` are still listed.
    pub fn rules(&self) -> Vec<RuleInfo> {
        let builtin = BUILTIN_RULES.iter().map(|rule| RuleInfo {
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
            .map(PolicyRule::info);
        let mut all: Vec<RuleInfo> = builtin.chain(loaded).collect();
        for rule in &mut all {
            if let Some(Level::Severity(severity)) = self.config.level(&rule.code) {
                rule.severity = severity;
            }
        }
        all.sort_by(|a, b| a.code.cmp(&b.code));
        all
    }

    /// The `[rules]` levels of this checker's configuration, in code order.
    fn overrides(&self) -> Vec<LevelOverride> {
        let mut overrides: Vec<LevelOverride> = self
            .config
            .rules
            .iter()
            .map(|rule| {
                let code = rule.value.0.value.clone();
                let default = rules::builtin(&code)
                    .map(|rule| rule.severity)
                    .or_else(|| {
                        (self.policies.iter())
                            .find(|rule| rule.code == code)
                            .map(|rule| rule.severity)
                    })
                    .map(|severity| severity.as_str().to_owned());
                LevelOverride {
                    level: rule.value.1.as_str().to_owned(),
                    default,
                    file: rule.origin.as_deref().map(fs::shown_path),
                    code,
                }
            })
            .collect();
        overrides.sort_by(|a, b| a.code.cmp(&b.code));
        overrides
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
    /// `include`/`exclude`. A configuration that cannot be loaded (or a policy it
    /// names) is returned, once: the files it governs are left out, the rest checked.
    pub fn check_walk(&self, paths: &[PathBuf], keep: Keep) -> (Discovery, RunReport, Vec<Error>) {
        let governed = governed::Governed::new(self, paths, keep);
        let (discovery, mut report) =
            pool::discover_and_check(paths, &|candidate| governed.check(candidate));
        let (excluded, unloaded) = governed.finish();
        report.excluded = excluded;
        (discovery, report, unloaded)
    }

    /// Reads and checks the file at `path`, reported under `display_path`; evidence
    /// paths resolve against `base`.
    pub fn check_path(&self, path: &Path, display_path: &str, base: &EvidenceBase) -> FileReport {
        self.check_read(controls::read(path), display_path, base)
    }

    /// Checks the text of a controls file as read (or why it could not be), reported
    /// under `display_path`; evidence paths resolve against `base`.
    pub fn check_read(
        &self,
        read: Result<String, String>,
        display_path: &str,
        base: &EvidenceBase,
    ) -> FileReport {
        match read {
            Ok(text) => self.check_text(text, display_path, base),
            Err(problem) => unreadable(display_path, problem),
        }
    }

    /// Reads one controls file from standard input and checks it as the file at
    /// `stands_for` (its evidence resolves from there), reported under `display_path`.
    pub fn check_stdin(&self, stands_for: Option<&Path>, display_path: &str) -> FileReport {
        let read = read_stdin().and_then(crate::text::fs::decode);
        self.check_read(read, display_path, &stdin_base(stands_for))
    }

    /// Decodes and checks the raw bytes of a controls file: bytes that are not a
    /// controls file's text (binary, not UTF-8, too large) are one SRM022 finding.
    pub fn check_bytes(
        &self,
        bytes: Vec<u8>,
        display_path: &str,
        base: &EvidenceBase,
    ) -> FileReport {
        self.check_bytes_in(bytes, display_path, base, None)
    }

    /// `check_bytes`, reading the file's Terraform sources below `terraform_root`
    /// (laid out like the repository) instead of the repository: a revision's
    /// Terraform, for `diff`. Evidence still resolves against `base`.
    pub fn check_bytes_in(
        &self,
        bytes: Vec<u8>,
        display_path: &str,
        base: &EvidenceBase,
        terraform_root: Option<&Path>,
    ) -> FileReport {
        match crate::text::fs::decode(bytes) {
            Ok(text) => self.check_text_in(text, display_path, base, terraform_root),
            Err(problem) => unreadable(display_path, problem),
        }
    }

    /// Checks controls-file text; evidence paths resolve against `base`.
    pub fn check_text(&self, text: String, display_path: &str, base: &EvidenceBase) -> FileReport {
        self.check_text_in(text, display_path, base, None)
    }

    fn check_text_in(
        &self,
        text: String,
        display_path: &str,
        base: &EvidenceBase,
        terraform_root: Option<&Path>,
    ) -> FileReport {
        // A leading byte-order mark is not part of the TOML document; decoding keeps
        // every other byte, so the text and the mark give back the file's digest.
        let byte_order_mark = text.starts_with('\u{feff}');
        let text = fs::without_byte_order_mark(text);
        let source = SourceText::new(text);
        let (file, mut findings) = rules::file::parse(source.text(), &self.matrix);
        let mut waiver_statuses = Vec::new();
        let mut terraform_sources = Vec::new();
        let mut other_sources = BTreeMap::new();
        let mut contract = Vec::new();
        let mut diagnostics = match &file {
            None => self.place(findings, display_path, &source, &mut other_sources),
            Some(file) => {
                let scope = DeploymentScope::of(&self.matrix, file.deployment.service_list());
                // A file for another provider than the matrix's: its Terraform is not
                // judged against this catalog (SRM014 says why).
                if !file.deployment.is_foreign(&self.matrix) {
                    // A revision's Terraform, declared or from the command line, is
                    // read where it is written out.
                    let moved;
                    let (dirs, revision) = match terraform_root {
                        Some(root) => {
                            let inside = base.file_dir.strip_prefix(&base.repo_root);
                            moved = root.join(inside.unwrap_or(Path::new("")));
                            (
                                (moved.as_path(), root),
                                Some((base.repo_root.as_path(), root)),
                            )
                        }
                        None => ((base.file_dir.as_path(), base.repo_root.as_path()), None),
                    };
                    let settings = &self.settings;
                    terraform_sources = self.terraform_cache.sources(
                        file,
                        display_path,
                        dirs,
                        &self.matrix,
                        (&settings.terraform, &settings.terraform_vars),
                        revision,
                    );
                }
                let deployed = Deployed::of(&terraform_sources);
                let context = rules::Context {
                    matrix: &self.matrix,
                    scope: &scope,
                    frameworks: &self.framework_ids,
                    versions: MatrixVersions::embedded,
                    evidence: base,
                    controls: display_path,
                    terraform: &terraform_sources,
                    deployed: &deployed,
                };
                findings.extend(rules::evaluate(file, &context));
                let context = PolicyContext {
                    matrix: &self.matrix,
                    scope: &scope,
                    today: self.today,
                    settings: &self.config.settings,
                };
                findings.extend(policy::evaluate(&self.policies, file, context));
                let mut diagnostics =
                    self.locate(findings, display_path, &source, &mut other_sources);
                // What the contract says of the claims, before `[rules]` changes a level:
                // the report judges by this (an override is disclosed, never obeyed there).
                contract = diagnostics
                    .iter()
                    .filter(|d| is_claim_rule(&d.code))
                    .cloned()
                    .collect();
                supersede_unfilled(&mut contract);
                self.apply_levels(&mut diagnostics);
                supersede_unfilled(&mut diagnostics);
                let context = WaiverContext {
                    today: self.today,
                    max_waiver_days: self.config.settings.max_waiver_days,
                    known_rules: &self.rule_codes,
                    rule_names: &self.rule_names,
                    matrix: &self.matrix,
                };
                let (waiver_findings, statuses) = waivers::apply(file, &mut diagnostics, context);
                diagnostics.extend(self.place(
                    waiver_findings,
                    display_path,
                    &source,
                    &mut other_sources,
                ));
                waiver_statuses = statuses;
                // A waiver on a claim finding holds for the contract's copy of it. Few
                // findings are waived, so only those are looked up.
                fn key(d: &Diagnostic) -> (&str, Range<usize>, Option<&str>, Option<&str>) {
                    let (control, model) = (d.control.as_deref(), d.model.as_deref());
                    (&d.code, d.span.clone(), control, model)
                }
                let waived: HashMap<_, _> = (diagnostics.iter())
                    .filter(|d| d.is_waived())
                    .map(|d| (key(d), &d.waiver))
                    .collect();
                if !waived.is_empty() {
                    for judged in &mut contract {
                        let waiver = waived.get(&key(judged)).map(|waiver| (*waiver).clone());
                        if let Some(waiver) = waiver {
                            judged.waiver = waiver;
                        }
                    }
                }
                diagnostics
            }
        };
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        // The same finding met again (a module instance each, a folder evaluated with
        // two var files) is said once.
        diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key());
        FileReport {
            path: display_path.to_owned(),
            source: Some(source),
            byte_order_mark,
            file: file.map(Box::new),
            diagnostics,
            waivers: waiver_statuses,
            other_sources,
            terraform: terraform_sources,
            contract,
            overrides: self.overrides(),
        }
    }

    /// Findings placed in the file, at the levels the configuration gives them.
    fn place(
        &self,
        findings: Vec<Finding>,
        display_path: &str,
        source: &SourceText,
        other_sources: &mut BTreeMap<String, Arc<SourceText>>,
    ) -> Vec<Diagnostic> {
        let mut diagnostics = self.locate(findings, display_path, source, other_sources);
        self.apply_levels(&mut diagnostics);
        diagnostics
    }

    /// Findings placed in the file, at their default levels.
    fn locate(
        &self,
        findings: Vec<Finding>,
        display_path: &str,
        source: &SourceText,
        other_sources: &mut BTreeMap<String, Arc<SourceText>>,
    ) -> Vec<Diagnostic> {
        for finding in &findings {
            if let Some(other) = &finding.elsewhere {
                other_sources
                    .entry(other.path.clone())
                    .or_insert_with(|| other.source.clone());
            }
        }
        findings
            .into_iter()
            .map(|finding| finding.into_diagnostic(display_path, source))
            .collect()
    }
}

/// The policies `config` names, then those of `--policy`, loaded against `matrix`.
pub fn user_policies(
    config: &Config,
    settings: &LoadSettings,
    matrix: &Matrix,
) -> Result<Vec<PolicyRule>, Error> {
    let builtin: Vec<(&str, &str)> = BUILTIN_RULES
        .iter()
        .map(|rule| (rule.code, rule.name))
        .collect();
    let paths: Vec<PathBuf> = (config.policies.iter())
        .map(|policy| policy.value.clone())
        .chain(settings.policies.iter().cloned())
        .collect();
    policy::load_paths(&paths, matrix, &builtin)
}

/// The rules that judge a claim itself (SRM030–SRM038): the posture report's verdict on
/// a claim follows them at their default levels, whatever `[rules]` sets.
pub fn is_claim_rule(code: &str) -> bool {
    code.strip_prefix("SRM")
        .and_then(|number| number.parse::<u32>().ok())
        .is_some_and(|number| (30..=38).contains(&number))
}

/// SRM038 is reported instead of SRM030, SRM031 and SRM036 on the entry it fires on.
fn supersede_unfilled(diagnostics: &mut Vec<Diagnostic>) {
    let unfilled: foldhash::HashSet<String> = diagnostics
        .iter()
        .filter(|d| d.code == srm038::SRM038.code)
        .filter_map(|d| d.control.clone())
        .collect();
    if unfilled.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        !(srm038::SUPERSEDED_BY_SRM038.contains(&d.code.as_str())
            && d.control.as_ref().is_some_and(|c| unfilled.contains(c)))
    });
}

/// Where the run's own configuration is searched from (the one `rules()` reports,
/// and the first one files are checked under): the first checked path (a folder, or a
/// file's folder), else the working directory. Each file is still checked under its
/// own folder's configuration (`Checker::check_walk`).
pub fn search_start(paths: &[PathBuf]) -> Option<PathBuf> {
    let Some(first) = paths.first() else {
        return Some(fs::working_dir().to_path_buf());
    };
    if first.is_dir() {
        return Some(first.clone());
    }
    match first.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => Some(parent.to_path_buf()),
        _ => Some(fs::working_dir().to_path_buf()),
    }
}

/// Standard input, up to one byte more than a controls file may hold (which tells a
/// file that is too large).
pub fn read_stdin() -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let stdin = std::io::stdin().lock();
    match stdin.take(fs::MAX_FILE_BYTES + 1).read_to_end(&mut bytes) {
        Ok(_) => Ok(bytes),
        Err(error) => Err(format!("cannot read standard input: {error}")),
    }
}

/// Where the evidence of a controls file read from standard input resolves from: the
/// file it `stands_for`, else `controls.toml` in the working directory.
pub fn stdin_base(stands_for: Option<&Path>) -> EvidenceBase {
    EvidenceBase::for_file(stands_for.unwrap_or(Path::new("controls.toml")))
}

/// The report of a file that could not be read or decoded: one SRM022 finding.
fn unreadable(display_path: &str, problem: String) -> FileReport {
    let source = SourceText::new(String::new());
    let diagnostic =
        rules::file::srm022::unreadable(problem).into_diagnostic(display_path, &source);
    FileReport {
        path: display_path.to_owned(),
        diagnostics: vec![diagnostic],
        ..FileReport::default()
    }
}

/// The outcome of a whole run.
#[derive(Debug, Default)]
pub struct RunReport {
    /// Sorted by path.
    pub files: Vec<FileReport>,
    /// Controls files the walk found that their configuration leaves out, by path.
    pub excluded: Vec<Excluded>,
    /// What kept the run from doing its whole job (a path on the command line that
    /// does not exist, a bad configuration): the run exits 2, and the machine formats
    /// say so, so an uploaded artifact never looks clean.
    pub errors: Vec<RunError>,
}

/// A failure of the run itself, as the machine formats report it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunError {
    pub message: String,
    /// The path concerned, when there is one.
    pub path: Option<String>,
}

/// A walked controls file its configuration leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub file: String,
    /// `include` or `exclude`.
    pub setting: &'static str,
    /// The configuration file that set it.
    pub origin: Option<PathBuf>,
}

impl RunReport {
    pub fn new(mut files: Vec<FileReport>) -> Self {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Self {
            files,
            ..Self::default()
        }
    }

    /// Every diagnostic of every file, in output order.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.located().into_iter().map(|(_, diagnostic)| diagnostic)
    }

    /// The fingerprint of every diagnostic, in `diagnostics()` order (the order SARIF
    /// and GitLab list them in). Unique within the report.
    pub fn fingerprints(&self) -> Vec<String> {
        let mut prints = Fingerprints::default();
        self.located()
            .into_iter()
            .map(|(file, diagnostic)| file.fingerprint(&mut prints, diagnostic))
            .collect()
    }

    /// The same fingerprints per file, in `files` order, each list in its file's
    /// `diagnostics` order: for pairing findings file by file (`srmlint diff`), which
    /// `fingerprints` cannot do once a finding in a Terraform file reorders the run.
    /// Each identity includes the controls file it is about, and a file's diagnostics
    /// keep their order in `located`, so both give a finding the same fingerprint.
    pub fn fingerprints_by_file(&self) -> Vec<Vec<String>> {
        let mut prints = Fingerprints::default();
        self.files
            .iter()
            .map(|file| {
                file.diagnostics
                    .iter()
                    .map(|diagnostic| file.fingerprint(&mut prints, diagnostic))
                    .collect()
            })
            .collect()
    }

    /// Every diagnostic with the report of the file it was found for, in output order:
    /// sorted by file, line, column and code. Each file's own diagnostics are sorted
    /// already; one in a Terraform file sorts under that file's path, so only then is
    /// the whole run sorted (stably: equal findings keep the order of their files).
    pub fn located(&self) -> Vec<(&FileReport, &Diagnostic)> {
        let mut all: Vec<(&FileReport, &Diagnostic)> = self
            .files
            .iter()
            .flat_map(|file| {
                file.diagnostics
                    .iter()
                    .map(move |diagnostic| (file, diagnostic))
            })
            .collect();
        let elsewhere = self.files.iter().any(|file| {
            file.diagnostics
                .iter()
                .any(|diagnostic| diagnostic.file != file.path)
        });
        if elsewhere {
            all.sort_by(|a, b| a.1.sort_key().cmp(&b.1.sort_key()));
        }
        all
    }

    /// Every diagnostic, in no particular order: for counting.
    fn all(&self) -> impl Iterator<Item = &Diagnostic> {
        self.files.iter().flat_map(|file| file.diagnostics.iter())
    }

    pub fn summary(&self) -> Summary {
        Summary::of(self.files.len(), self.all())
    }

    /// True when the run fails: an active error, or an active warning when warnings
    /// are denied.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.all().any(|diagnostic| {
            diagnostic.is_active()
                && (diagnostic.severity == Severity::Error
                    || (deny_warnings && diagnostic.severity == Severity::Warning))
        })
    }
}
