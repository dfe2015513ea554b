//! `.srmlint.toml`: the settings a team keeps beside its controls files: extra
//! policies, discovery globs, date limits and per-code severity overrides.
//!
//! A controls file is checked under the configuration of its own folder: every
//! `.srmlint.toml` from the repository root down to that folder, applied in order.
//! `policies` add up; every other setting and every `[rules]` level is overridden key
//! by key by the nearer file; a file that says `root = true` starts afresh there. So a
//! team's empty `.srmlint.toml` can never silently switch off what the repository root
//! requires. Files a configuration names must lie inside the repository. A bad
//! configuration stops the run (exit 2) with every problem located.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use foldhash::HashMap;

use crate::diag::{Error, Severity};
use crate::text::Sp;
use crate::text::fs::{self, RepoRoots, Resolved};
use crate::text::glob::Glob;
use crate::text::suggest;
use crate::text::toml::{self as spanned, Problem, Reader, Value};

pub const CONFIG_FILE_NAME: &str = ".srmlint.toml";

pub const CONFIG_KEYS: &[&str] = &[
    "root",
    "policies",
    "include",
    "exclude",
    "max_review_age_days",
    "max_waiver_days",
    "rules",
];

/// Configuration files whose text is held elsewhere than on disk (an editor's unsaved
/// buffers), by absolute path.
pub type Overlay<'a> = &'a [(PathBuf, String)];

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

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Severity(severity) => severity.as_str(),
        }
    }
}

/// A setting's value and the configuration file it came from (`None`: the default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub origin: Option<PathBuf>,
}

/// `include` or `exclude`: globs matched against paths relative to `folder`, the
/// folder of the file that set them.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    pub globs: Vec<Glob>,
    pub folder: PathBuf,
}

/// One `.srmlint.toml` as written; unset keys are `None`.
#[derive(Debug, Clone, Default)]
struct ConfigFile {
    path: PathBuf,
    text: String,
    root: bool,
    policies: Vec<PathBuf>,
    include: Option<Globs>,
    exclude: Option<Globs>,
    max_review_age_days: Option<i64>,
    max_waiver_days: Option<i64>,
    /// Overrides by code, in file order, with the span of the code.
    rules: Vec<(Sp<String>, Level)>,
}

/// The effective configuration of a folder: its files applied in order.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The configuration files read, outermost first (after the last `root = true`).
    pub files: Vec<PathBuf>,
    /// Policy files or folders, each with the file that named it.
    pub policies: Vec<Sourced<PathBuf>>,
    pub include: Sourced<Globs>,
    pub exclude: Sourced<Globs>,
    pub settings: Settings,
    pub review_age_origin: Option<PathBuf>,
    pub waiver_days_origin: Option<PathBuf>,
    /// Levels by code, the nearest file's word for each code.
    pub rules: Vec<Sourced<(Sp<String>, Level)>>,
    /// Each file's text, for problems found after loading (an unknown rule code).
    texts: Vec<(PathBuf, String)>,
}

/// Whether a walked folder holds `.git` (a repository root) and a regular
/// `.srmlint.toml`: the walk lists each folder anyway, so nothing needs asking the
/// file system again for every file checked. Known only when the walk had met every
/// entry that could be them (folders are listed in file-name order, and both names sort
/// before `controls.toml`), and neither was a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderSeen {
    pub repository_marker: bool,
    pub config_file: bool,
}

/// What governs an absolute folder: its repository root (the nearest ancestor, itself
/// included, holding `.git`), and the `.srmlint.toml` files from that root down to the
/// folder, outermost first. Outside any repository only the folder's own file counts,
/// so a stray file higher up never changes a run.
#[derive(Debug, Clone)]
pub struct FolderFacts {
    pub root: Option<Arc<Path>>,
    pub configs: Arc<[PathBuf]>,
}

/// The configuration chain, the one place it is worked out: where configuration files
/// are, for many folders at once. What each folder holds (`.git`, a configuration) is
/// asked of the file system once, and each folder's facts are worked out once from its
/// parent's, however many files sit below it.
#[derive(Debug, Default)]
pub struct ConfigFinder {
    roots: RepoRoots,
    facts: HashMap<PathBuf, FolderFacts>,
}

/// The chain of `facts` (of the absolute folder `start`) with the configuration files
/// `overlay` holds that govern `start` too, in their place (outermost first).
pub fn with_buffers(facts: &FolderFacts, start: &Path, overlay: Overlay<'_>) -> Arc<[PathBuf]> {
    if overlay.is_empty() {
        return facts.configs.clone();
    }
    let governs = |dir: &Path| {
        start.starts_with(dir) && (facts.root.as_deref()).is_none_or(|root| dir.starts_with(root))
    };
    let buffers = overlay.iter().map(|(path, _)| path).filter(|path| {
        let config = path
            .file_name()
            .is_some_and(|name| name == CONFIG_FILE_NAME);
        config && path.parent().is_some_and(governs) && !facts.configs.contains(path)
    });
    let mut chain: Vec<PathBuf> = facts.configs.iter().chain(buffers).cloned().collect();
    if chain.len() == facts.configs.len() {
        return facts.configs.clone();
    }
    chain.sort_by_key(|path| path.components().count());
    chain.into()
}

impl ConfigFinder {
    /// The configuration files that govern the folder `start`, outermost first
    /// (see [`FolderFacts`]).
    pub fn chain(&mut self, start: &Path) -> Vec<PathBuf> {
        self.chain_overlaid(start, &[])
    }

    /// [`Self::chain`], with the configuration files `overlay` holds (an editor's
    /// unsaved buffers) counted as present, in their place in the chain.
    pub fn chain_overlaid(&mut self, start: &Path, overlay: Overlay<'_>) -> Vec<PathBuf> {
        let start = fs::absolute(start);
        let facts = self.facts_seen(&start, None);
        with_buffers(&facts, &start, overlay).to_vec()
    }

    /// The facts of the absolute folder `dir`, with whether it holds `.git` and a
    /// regular `.srmlint.toml` already known from a walk's listing of it. Such a folder
    /// (where a walk found a file) is not kept: its parents are, which is all its
    /// neighbours need.
    pub fn facts_seen(&mut self, dir: &Path, seen: Option<FolderSeen>) -> FolderFacts {
        if let Some(known) = self.facts.get(dir) {
            return known.clone();
        }
        let (marker, has_config) = match seen {
            Some(seen) => (seen.repository_marker, seen.config_file),
            None => (
                self.roots.holds(dir, fs::REPOSITORY_MARKER),
                self.roots.holds_file(dir, CONFIG_FILE_NAME),
            ),
        };
        let own = has_config.then(|| dir.join(CONFIG_FILE_NAME));
        let parent = dir.parent().filter(|_| !marker);
        let inherited = parent.and_then(|parent| {
            let facts = self.facts_seen(parent, None);
            Some((facts.root?, facts.configs))
        });
        let facts = match inherited {
            Some((root, configs)) => FolderFacts {
                root: Some(root),
                configs: configs.iter().cloned().chain(own).collect(),
            },
            None => FolderFacts {
                root: marker.then(|| Arc::from(dir)),
                configs: own.into_iter().collect(),
            },
        };
        if seen.is_none() {
            self.facts.insert(dir.to_path_buf(), facts.clone());
        }
        facts
    }
}

impl Config {
    /// The effective configuration of the folder `start`; the defaults when no file
    /// governs it. `fixed_level` names the rule codes whose level may not change.
    pub fn discover(start: Option<&Path>, fixed_level: &[&str]) -> Result<Self, Error> {
        Self::discover_overlaid(start, fixed_level, &[])
    }

    /// `discover`, with the text of some configuration files taken from `overlay`
    /// instead of the disk: an editor's unsaved buffers, by absolute path.
    pub fn discover_overlaid(
        start: Option<&Path>,
        fixed_level: &[&str],
        overlay: Overlay<'_>,
    ) -> Result<Self, Error> {
        match start {
            Some(start) => Self::load_chain_overlaid(
                &ConfigFinder::default().chain_overlaid(start, overlay),
                fixed_level,
                overlay,
            ),
            None => Ok(Self::default()),
        }
    }

    /// Loads `files` (outermost first) and applies them in order, the files `overlay`
    /// holds read from it instead of the disk.
    pub fn load_chain_overlaid(
        files: &[PathBuf],
        fixed_level: &[&str],
        overlay: Overlay<'_>,
    ) -> Result<Self, Error> {
        let mut finder = ConfigFinder::default();
        let mut loaded = Vec::with_capacity(files.len());
        for path in files {
            let text = overlay
                .iter()
                .find(|(held, _)| held == path)
                .map(|(_, text)| text.clone());
            loaded.push(ConfigFile::load(path, text, fixed_level, &mut finder)?);
        }
        // The nearest `root = true` starts afresh: what lies above it does not count.
        if let Some(start) = loaded.iter().rposition(|file| file.root) {
            loaded.drain(..start);
        }
        let mut config = Self::default();
        for file in loaded {
            config.apply(file);
        }
        Ok(config)
    }

    fn apply(&mut self, file: ConfigFile) {
        let origin = Some(file.path.clone());
        let sourced = |globs| Sourced {
            value: globs,
            origin: origin.clone(),
        };
        if let Some(globs) = file.include {
            self.include = sourced(globs);
        }
        if let Some(globs) = file.exclude {
            self.exclude = sourced(globs);
        }
        self.policies
            .extend(file.policies.into_iter().map(|path| Sourced {
                value: path,
                origin: origin.clone(),
            }));
        if let Some(days) = file.max_review_age_days {
            self.settings.max_review_age_days = days;
            self.review_age_origin.clone_from(&origin);
        }
        if let Some(days) = file.max_waiver_days {
            self.settings.max_waiver_days = days;
            self.waiver_days_origin.clone_from(&origin);
        }
        for (code, level) in file.rules {
            self.rules.retain(|known| known.value.0.value != code.value);
            self.rules.push(Sourced {
                value: (code, level),
                origin: origin.clone(),
            });
        }
        self.texts.push((file.path.clone(), file.text));
        self.files.push(file.path);
    }

    /// Whether a walked file is checked: `include`/`exclude` match its path relative
    /// to the folder of the file that set them, like `.gitignore` patterns. `Err`
    /// names the setting that leaves it out.
    pub fn keeps_file(&self, path: &Path) -> Result<(), &'static str> {
        let absolute = fs::absolute(path);
        let matches = |globs: &Globs| {
            let relative = absolute
                .strip_prefix(&globs.folder)
                .ok()
                .map(fs::display_path);
            relative.is_some_and(|relative| globs.globs.iter().any(|glob| glob.matches(&relative)))
        };
        let (include, exclude) = (&self.include.value, &self.exclude.value);
        if !include.globs.is_empty() && !matches(include) {
            Err("include")
        } else if matches(exclude) {
            Err("exclude")
        } else {
            Ok(())
        }
    }

    pub fn level(&self, code: &str) -> Option<Level> {
        self.rules
            .iter()
            .find(|rule| rule.value.0.value == code)
            .map(|rule| rule.value.1)
    }

    /// Every code in `[rules]` must name a rule of this run (built-in or loaded).
    pub fn check_rule_codes(&self, known: &[String]) -> Result<(), Error> {
        for (path, text) in &self.texts {
            let problems: Vec<Problem> = self
                .rules
                .iter()
                .filter(|rule| rule.origin.as_deref() == Some(path.as_path()))
                .map(|rule| &rule.value.0)
                .filter(|code| !known.contains(&code.value))
                .map(|code| {
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
            if !problems.is_empty() {
                return Err(Error::in_file(
                    "config",
                    &fs::shown_path(path),
                    text,
                    &problems,
                ));
            }
        }
        Ok(())
    }
}

impl ConfigFile {
    /// Reads (unless `text` is given) and parses the file at `path`.
    fn load(
        path: &Path,
        text: Option<String>,
        fixed_level: &[&str],
        finder: &mut ConfigFinder,
    ) -> Result<Self, Error> {
        let shown = fs::shown_path(path);
        let folder = fs::absolute(fs::folder_of(path));
        // The repository root, or the folder itself outside any.
        let root = finder
            .roots
            .root_of(&folder)
            .unwrap_or_else(|| folder.clone());
        // A `.srmlint.toml` committed as a link out of the repository is refused by
        // name, its target never opened (nor quoted in an error).
        let absolute = folder.join(path.file_name().unwrap_or(path.as_os_str()));
        let on_disk = || {
            fs::read_confined(&root, &absolute, fs::MAX_FILE_BYTES)
                .and_then(fs::decode)
                .map_err(|problem| {
                    Error::new(format!("cannot read config file `{shown}`: {problem}")).at(&shown)
                })
        };
        // An editor's buffer of the file stands in for it: for a file not written yet,
        // or one srmlint would read (a link out of the repository stays refused).
        let text = match text {
            Some(text) if absolute.symlink_metadata().is_err() => text,
            Some(text) => on_disk().map(|_| text)?,
            None => on_disk()?,
        };
        let mut file = parse(&text, (&folder, &root), fixed_level)
            .map_err(|problems| Error::in_file("config", &shown, &text, &problems))?;
        file.path = path.to_path_buf();
        file.text = text;
        Ok(file)
    }
}

/// Where a configuration file's paths are resolved: its own folder, inside the
/// repository root.
type Places<'a> = (&'a Path, &'a Path);

fn parse(text: &str, places: Places<'_>, fixed_level: &[&str]) -> Result<ConfigFile, Vec<Problem>> {
    let document = spanned::parse(text).map_err(|problem| vec![problem])?;
    let mut reader = Reader::default();
    let mut file = ConfigFile::default();
    for (key, value) in document.get_ref().iter() {
        let name = key.get_ref().as_ref();
        match name {
            "root" => file.root = reader.boolean(key, value).unwrap_or(false),
            "policies" => {
                for path in reader.string_list(key, value) {
                    if let Some(confined) = confined_path(&path, places, &mut reader) {
                        file.policies.push(confined);
                    }
                }
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
                let globs = Some(Globs {
                    globs,
                    folder: places.0.to_path_buf(),
                });
                if name == "include" {
                    file.include = globs;
                } else {
                    file.exclude = globs;
                }
            }
            "max_review_age_days" => file.max_review_age_days = reader.count(key, value),
            "max_waiver_days" => file.max_waiver_days = reader.count(key, value),
            "rules" => {
                if let Some(table) = reader.table(key, value) {
                    for (code, level) in table.iter() {
                        let code = Sp::new(code.get_ref().to_string(), code.span());
                        if let Some(level) = parse_level(&code, level, fixed_level, &mut reader) {
                            file.rules.push((code, level));
                        }
                    }
                }
            }
            _ => reader.unknown_key(key, CONFIG_KEYS, &format!("in `{CONFIG_FILE_NAME}`")),
        }
    }
    if reader.problems.is_empty() {
        Ok(file)
    } else {
        Err(reader.problems)
    }
}

/// A path a configuration names, resolved inside the repository; anything outside
/// it, or missing, is a problem at the value, and nothing there is read.
fn confined_path(path: &Sp<String>, places: Places<'_>, reader: &mut Reader) -> Option<PathBuf> {
    let (folder, root) = places;
    let (message, label) = match fs::resolve_inside(root, folder, &path.value) {
        Resolved::Inside(resolved) => return Some(resolved),
        Resolved::Outside(why) => (
            format!("`policies` names `{}`, which {why}", path.value),
            "outside the repository",
        ),
        Resolved::Missing(why) => (
            format!(
                "`policies` names `{}`, which does not exist ({why})",
                path.value
            ),
            "no such file or folder",
        ),
    };
    reader.push(
        Problem::new(path.span.clone(), message)
            .label(label)
            .help("a configuration may only name policy files inside the repository, relative to its own folder; pass a policy from elsewhere with `--policy`"),
    );
    None
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
    let parse = |word: &str| match word {
        "off" => Some(Level::Off),
        other => Severity::parse(other).map(Level::Severity),
    };
    let word = Sp::new(word.to_owned(), value.span());
    let level = reader.one_of(&word, ("a level", "unknown level"), WORDS, parse)?;
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
