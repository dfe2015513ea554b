//! `.srmlint.toml` (DESIGN.md §6): the settings a team keeps beside its controls files:
//! extra policies, discovery globs, date limits and per-code severity overrides.
//! A bad configuration stops the run (exit 2) with every problem located.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use toml::de::DeValue;

use crate::check::LoadError;
use crate::controls::Sp;
use crate::diagnostic::Severity;
use crate::glob::Glob;
use crate::load_problem::{self, LoadProblem};
use crate::suggest;

pub const CONFIG_FILE_NAME: &str = ".srmlint.toml";

const CONFIG_KEYS: &[&str] = &[
    "policies",
    "include",
    "exclude",
    "max_review_age_days",
    "max_waiver_days",
    "rules",
];

/// Settings a policy may name instead of a number (`max_age_days = "max_review_age_days"`).
pub const SETTING_NAMES: &[&str] = &["max_review_age_days", "max_waiver_days"];

/// Rules whose level cannot be changed: turning them down would let an expired or
/// invalid waiver keep hiding a finding.
pub const FIXED_LEVEL_RULES: &[&str] = &["SRM040", "SRM042"];

/// Limits in days; both default to a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub max_review_age_days: i64,
    pub max_waiver_days: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            max_review_age_days: 365,
            max_waiver_days: 365,
        }
    }
}

impl Settings {
    pub fn get(&self, name: &str) -> Option<i64> {
        match name {
            "max_review_age_days" => Some(self.max_review_age_days),
            "max_waiver_days" => Some(self.max_waiver_days),
            _ => None,
        }
    }
}

/// What `[rules]` sets a code to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    Severity(Severity),
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from; `None` when no configuration was found.
    pub path: Option<PathBuf>,
    text: String,
    /// Policy files or folders, resolved against the configuration's folder.
    pub policies: Vec<PathBuf>,
    pub include: Vec<Glob>,
    pub exclude: Vec<Glob>,
    pub settings: Settings,
    /// Overrides by code, in file order, with the span of the code for later problems.
    pub rules: Vec<(Sp<String>, Level)>,
}

/// The nearest `.srmlint.toml` from `start` up to the repository root (the nearest
/// ancestor holding `.git`); when `start` is in no repository, only `start` itself
/// is searched, so a stray file higher up never changes a run.
pub fn find(start: &Path) -> Option<PathBuf> {
    ConfigFinder::default().find(start)
}

/// `find` for many files at once: what each folder holds (`.git`, a configuration) is
/// asked of the file system once, however many files sit below it.
#[derive(Debug, Default)]
pub struct ConfigFinder {
    /// The working directory, read once for all relative starts.
    working_dir: Option<PathBuf>,
    holds_git: HashMap<PathBuf, bool>,
    holds_config: HashMap<PathBuf, bool>,
}

impl ConfigFinder {
    pub fn find(&mut self, start: &Path) -> Option<PathBuf> {
        let joined = if start.is_relative() {
            let working_dir = self
                .working_dir
                .get_or_insert_with(|| std::env::current_dir().unwrap_or_default());
            working_dir.join(start)
        } else {
            start.to_path_buf()
        };
        let start = std::path::absolute(&joined).unwrap_or(joined);
        // One pass up: the nearest configuration counts if a repository root is at or
        // above it; outside any repository only `start`'s own configuration counts.
        let mut nearest = None;
        for dir in start.ancestors() {
            if nearest.is_none() && self.holds_config(dir) {
                nearest = Some(dir.join(CONFIG_FILE_NAME));
            }
            if self.holds_git(dir) {
                return nearest;
            }
        }
        nearest.filter(|config| config.parent() == Some(start.as_path()))
    }

    fn holds_git(&mut self, dir: &Path) -> bool {
        *self
            .holds_git
            .entry(dir.to_path_buf())
            .or_insert_with(|| dir.join(".git").exists())
    }

    fn holds_config(&mut self, dir: &Path) -> bool {
        *self
            .holds_config
            .entry(dir.to_path_buf())
            .or_insert_with(|| dir.join(CONFIG_FILE_NAME).is_file())
    }
}

/// Where the run's own configuration is searched from (the one `rules()` reports,
/// and the first one files are checked under): the first checked path (a folder, or a
/// file's folder), else the working directory. Each file is still checked under its
/// nearest configuration (`Checker::check_walk`).
pub fn search_start(paths: &[PathBuf]) -> Option<PathBuf> {
    let Some(first) = paths.first() else {
        return std::env::current_dir().ok();
    };
    if first.is_dir() {
        return Some(first.clone());
    }
    match first.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => Some(parent.to_path_buf()),
        _ => std::env::current_dir().ok(),
    }
}

impl Config {
    /// Finds and loads the configuration for `start`; the defaults when there is none.
    pub fn discover(start: Option<&Path>) -> Result<Self, LoadError> {
        match start.and_then(find) {
            Some(path) => Self::load(&path),
            None => Ok(Self::default()),
        }
    }

    pub fn load(path: &Path) -> Result<Self, LoadError> {
        let shown = shown_path(path);
        let text = crate::fsutil::read_regular_file(path, crate::check::MAX_FILE_BYTES)
            .and_then(crate::check::decode)
            .map_err(|problem| {
                LoadError(format!("cannot read config file `{shown}`: {problem}"))
            })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut config =
            parse(&text, base).map_err(|problems| render_error(&shown, &text, &problems))?;
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    /// Whether a walked file is checked: `include`/`exclude` match its path relative
    /// to the configuration's folder, like `.gitignore` patterns.
    pub fn keeps_file(&self, path: &Path) -> bool {
        let Some(folder) = self.path.as_deref().and_then(Path::parent) else {
            return true;
        };
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        match absolute.strip_prefix(folder) {
            Ok(relative) => self.keeps(&crate::discover::display_path(relative)),
            Err(_) => true,
        }
    }

    /// Whether a path relative to the configuration's folder passes the globs.
    pub fn keeps(&self, relative: &str) -> bool {
        let included =
            self.include.is_empty() || self.include.iter().any(|glob| glob.matches(relative));
        included && !self.exclude.iter().any(|glob| glob.matches(relative))
    }

    /// The level `[rules]` gives `code`, if any.
    pub fn level(&self, code: &str) -> Option<Level> {
        self.rules
            .iter()
            .rev()
            .find(|(key, _)| key.value == code)
            .map(|(_, level)| *level)
    }

    /// Every code in `[rules]` must name a rule of this run (built-in or loaded).
    pub fn check_rule_codes(&self, known: &[&str]) -> Result<(), LoadError> {
        let problems: Vec<LoadProblem> = self
            .rules
            .iter()
            .filter(|(code, _)| !known.contains(&code.value.as_str()))
            .map(|(code, _)| {
                LoadProblem::new(
                    code.span.clone(),
                    format!(
                        "unknown rule `{}`{}",
                        code.value,
                        suggest::hint(&code.value, known.iter().copied())
                    ),
                )
                .label("no such rule")
                .help("`srmlint rules` lists every built-in and loaded rule")
            })
            .collect();
        if problems.is_empty() {
            return Ok(());
        }
        let shown = self.path.as_deref().map(shown_path).unwrap_or_default();
        Err(render_error(&shown, &self.text, &problems))
    }
}

/// The configuration's path as messages show it: relative to the working directory
/// when it is under it, as found otherwise.
pub fn shown_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    crate::discover::display_path(relative.as_deref().unwrap_or(path))
}

fn render_error(shown: &str, text: &str, problems: &[LoadProblem]) -> LoadError {
    LoadError(format!(
        "invalid config file `{shown}`\n{}",
        load_problem::render(shown, text, problems)
    ))
}

type Value<'i> = toml::Spanned<DeValue<'i>>;

/// Parses a configuration; `base` is the folder policy paths are relative to.
pub fn parse(text: &str, base: &Path) -> Result<Config, Vec<LoadProblem>> {
    let root = load_problem::parse_toml(text)?;
    let mut problems = Vec::new();
    let mut config = Config {
        text: text.to_owned(),
        ..Config::default()
    };
    for (key, value) in root.get_ref().iter() {
        let name = key.get_ref().as_ref();
        match name {
            "policies" => {
                config.policies = load_problem::strings(name, value, &mut problems)
                    .into_iter()
                    .map(|path| base.join(path.value))
                    .collect();
            }
            "include" | "exclude" => {
                let mut globs = Vec::new();
                for pattern in load_problem::strings(name, value, &mut problems) {
                    match Glob::new(&pattern.value) {
                        Ok(glob) => globs.push(glob),
                        Err(error) => problems.push(
                            LoadProblem::new(pattern.span, format!("invalid glob: {error}"))
                                .label("invalid glob"),
                        ),
                    }
                }
                if name == "include" {
                    config.include = globs;
                } else {
                    config.exclude = globs;
                }
            }
            "max_review_age_days" | "max_waiver_days" => {
                let days = value.get_ref().as_integer().and_then(|integer| {
                    i64::from_str_radix(integer.as_str(), integer.radix()).ok()
                });
                match days {
                    Some(days) if days >= 0 => {
                        if name == "max_review_age_days" {
                            config.settings.max_review_age_days = days;
                        } else {
                            config.settings.max_waiver_days = days;
                        }
                    }
                    _ => problems.push(load_problem::wrong_type(
                        name,
                        value,
                        "a non-negative number of days",
                    )),
                }
            }
            "rules" => match value.get_ref().as_table() {
                Some(table) => {
                    for (code, level) in table.iter() {
                        let code = Sp::new(code.get_ref().to_string(), code.span());
                        if let Some(level) = parse_level(&code, level, &mut problems) {
                            config.rules.push((code, level));
                        }
                    }
                }
                None => problems.push(load_problem::wrong_type(name, value, "a table (`[rules]`)")),
            },
            _ => problems.push(load_problem::unknown_key(
                name,
                key.span(),
                CONFIG_KEYS,
                &format!("in `{CONFIG_FILE_NAME}`"),
            )),
        }
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems)
    }
}

fn parse_level(
    code: &Sp<String>,
    value: &Value<'_>,
    problems: &mut Vec<LoadProblem>,
) -> Option<Level> {
    const WORDS: &[&str] = &["error", "warning", "info", "off"];
    let Some(word) = value.get_ref().as_str() else {
        problems.push(load_problem::wrong_type(
            &code.value,
            value,
            "one of error | warning | info | off",
        ));
        return None;
    };
    let level = match word {
        "off" => Level::Off,
        other => match Severity::parse(other) {
            Some(severity) => Level::Severity(severity),
            None => {
                problems.push(
                    LoadProblem::new(
                        value.span(),
                        format!(
                            "`{word}` is not a level{}",
                            suggest::hint(word, WORDS.iter().copied())
                        ),
                    )
                    .label("unknown level")
                    .help("use one of: error | warning | info | off"),
                );
                return None;
            }
        },
    };
    if FIXED_LEVEL_RULES.contains(&code.value.as_str()) && level != Level::Severity(Severity::Error)
    {
        problems.push(
            LoadProblem::new(value.span(), format!("the level of {} cannot be changed", code.value))
                .label("must stay an error")
                .help("an expired or invalid waiver always fails the run; fix or renew the waiver instead"),
        );
        return None;
    }
    Some(level)
}
