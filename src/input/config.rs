//! `.srmlint.toml`: the settings a team keeps beside its controls files: extra
//! policies, discovery globs, date limits and per-code severity overrides. A bad
//! configuration stops the run (exit 2) with every problem located.

use std::path::{Path, PathBuf};

use crate::diag::{Error, Severity};
use crate::text::Sp;
use crate::text::fs::{self, RepoRoots};
use crate::text::glob::Glob;
use crate::text::suggest;
use crate::text::toml::{self as spanned, Problem, Reader, Value};

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
    roots: RepoRoots,
}

impl ConfigFinder {
    pub fn find(&mut self, start: &Path) -> Option<PathBuf> {
        let start = self.roots.absolute(start);
        // One pass up: the nearest configuration counts if a repository root is at or
        // above it; outside any repository only `start`'s own configuration counts.
        let mut nearest = None;
        for dir in start.ancestors() {
            if nearest.is_none() && self.roots.holds_file(dir, CONFIG_FILE_NAME) {
                nearest = Some(dir.join(CONFIG_FILE_NAME));
            }
            if self.roots.holds(dir, fs::REPOSITORY_MARKER) {
                return nearest;
            }
        }
        nearest.filter(|config| config.parent() == Some(start.as_path()))
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
    pub fn discover(start: Option<&Path>, fixed_level: &[&str]) -> Result<Self, Error> {
        match start.and_then(find) {
            Some(path) => Self::load(&path, fixed_level),
            None => Ok(Self::default()),
        }
    }

    pub fn load(path: &Path, fixed_level: &[&str]) -> Result<Self, Error> {
        let shown = fs::shown_path(path);
        let text = fs::read_text(path).map_err(|problem| {
            Error::new(format!("cannot read config file `{shown}`: {problem}"))
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut config = parse(&text, base, fixed_level)
            .map_err(|problems| Error::in_file("config", &shown, &text, &problems))?;
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
            Ok(relative) => self.keeps(&fs::display_path(relative)),
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
    pub fn check_rule_codes(&self, known: &[String]) -> Result<(), Error> {
        let problems: Vec<Problem> = self
            .rules
            .iter()
            .filter(|(code, _)| !known.contains(&code.value))
            .map(|(code, _)| {
                Problem::new(
                    code.span.clone(),
                    format!(
                        "unknown rule `{}`{}",
                        code.value,
                        suggest::hint(&code.value, known.iter().map(String::as_str))
                    ),
                )
                .label("no such rule")
                .help("`srmlint rules` lists every built-in and loaded rule")
            })
            .collect();
        if problems.is_empty() {
            return Ok(());
        }
        let shown = self.path.as_deref().map(fs::shown_path).unwrap_or_default();
        Err(Error::in_file("config", &shown, &self.text, &problems))
    }
}

/// Parses a configuration; `base` is the folder policy paths are relative to, and
/// `fixed_level` the rule codes whose level may not be changed.
pub fn parse(text: &str, base: &Path, fixed_level: &[&str]) -> Result<Config, Vec<Problem>> {
    let root = spanned::parse(text).map_err(|problem| vec![problem])?;
    let mut reader = Reader::default();
    let mut config = Config {
        text: text.to_owned(),
        ..Config::default()
    };
    for (key, value) in root.get_ref().iter() {
        let name = key.get_ref().as_ref();
        match name {
            "policies" => {
                config.policies = reader
                    .string_list(key, value)
                    .into_iter()
                    .map(|path| base.join(path.value))
                    .collect();
            }
            "include" | "exclude" => {
                let mut globs = Vec::new();
                for pattern in reader.string_list(key, value) {
                    match Glob::new(&pattern.value) {
                        Ok(glob) => globs.push(glob),
                        Err(error) => reader.push(
                            Problem::new(pattern.span, format!("invalid glob: {error}"))
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
            "max_review_age_days" => {
                if let Some(days) = reader.count(key, value) {
                    config.settings.max_review_age_days = days;
                }
            }
            "max_waiver_days" => {
                if let Some(days) = reader.count(key, value) {
                    config.settings.max_waiver_days = days;
                }
            }
            "rules" => {
                if let Some(table) = reader.table(key, value) {
                    for (code, level) in table.iter() {
                        let code = Sp::new(code.get_ref().to_string(), code.span());
                        if let Some(level) = parse_level(&code, level, fixed_level, &mut reader) {
                            config.rules.push((code, level));
                        }
                    }
                }
            }
            _ => reader.unknown_key(key, CONFIG_KEYS, &format!("in `{CONFIG_FILE_NAME}`")),
        }
    }
    if reader.problems.is_empty() {
        Ok(config)
    } else {
        Err(reader.problems)
    }
}

fn parse_level(
    code: &Sp<String>,
    value: &Value<'_>,
    fixed_level: &[&str],
    reader: &mut Reader,
) -> Option<Level> {
    const WORDS: &[&str] = &["error", "warning", "info", "off"];
    let Some(word) = value.get_ref().as_str() else {
        reader.wrong_type(&code.value, value, "one of error | warning | info | off");
        return None;
    };
    let level = match word {
        "off" => Level::Off,
        other => match Severity::parse(other) {
            Some(severity) => Level::Severity(severity),
            None => {
                reader.push(
                    Problem::new(
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
    if fixed_level.contains(&code.value.as_str()) && level != Level::Severity(Severity::Error) {
        reader.push(
            Problem::new(value.span(), format!("the level of {} cannot be changed", code.value))
                .label("must stay an error")
                .help("an expired or invalid waiver always fails the run; fix or renew the waiver instead"),
        );
        return None;
    }
    Some(level)
}
