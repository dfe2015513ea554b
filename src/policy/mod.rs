//! The policy language: rules written as data in TOML that select claims and require
//! something of one field. The built-in claim-hygiene rules
//! (`policies/baseline.toml`) and every user policy go through this one parser and
//! this one evaluator, so a user rule gets the same precise diagnostics as ours.
//!
//! Loading is strict: any problem in a policy file stops the run (exit 2), with every
//! problem of the file listed and located. Evaluation never fails: it yields findings.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use crate::data::matrix::Matrix;
use crate::diag::{Error, RuleInfo, Severity};
use crate::input::config::Settings;
use crate::input::discover;
use crate::rules::hygiene::{BASELINE_ORIGIN, EMBEDDED_BASELINE};
use crate::text::escape::markdown;
use crate::text::fs;
use crate::text::glob::Glob;
use crate::text::pattern::Pattern;
use crate::text::toml::Problem;

mod evaluate;
mod parse;

pub use evaluate::{PolicyContext, evaluate};
pub use parse::parse;

/// The prefix of built-in codes; user rules may not use it.
pub const RESERVED_PREFIX: &str = "SRM";

const TOP_KEYS: &[&str] = &["rule"];
const RULE_KEYS: &[&str] = &[
    "code", "name", "severity", "message", "help", "when", "require",
];
const WHEN_KEYS: &[&str] = &["controls", "owner", "regulated", "services"];
const REQUIRE_KEYS: &[&str] = &[
    "field",
    "present",
    "matches",
    "not_matches",
    "min_items",
    "max_age_days",
    "not_in_future",
];
const PLACEHOLDERS: &[&str] = &["control", "field", "value", "model"];

/// Every `{name}` of a template whose name holds no brace, with its byte range, in
/// order: the placeholders a message or help may use, and the typos among them. A
/// scan, not a regex: the baseline's templates are read at every start.
fn braced(template: &str) -> Vec<(std::ops::Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = template[from..].find('{').map(|at| from + at) {
        let after = open + 1;
        match template[after..].find(['{', '}']).map(|at| after + at) {
            Some(close) if template[close..].starts_with('}') => {
                found.push((open..close + 1, &template[after..close]));
                from = close + 1;
            }
            Some(inner) => from = inner,
            None => break,
        }
    }
    found
}

/// A field of a control entry that a rule can require something of; in the order of
/// `FIELD_NAMES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Owner,
    Accountable,
    Implementation,
    Evidence,
    Reviewed,
    Notes,
}

pub const FIELD_NAMES: &[&str] = &[
    "owner",
    "accountable",
    "implementation",
    "evidence",
    "reviewed",
    "notes",
];

impl Field {
    fn parse(name: &str) -> Option<Self> {
        use Field::*;
        [
            Owner,
            Accountable,
            Implementation,
            Evidence,
            Reviewed,
            Notes,
        ]
        .into_iter()
        .find(|field| field.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        FIELD_NAMES[self as usize]
    }

    fn kind(self) -> FieldKind {
        match self {
            Field::Evidence => FieldKind::List,
            Field::Reviewed => FieldKind::Date,
            _ => FieldKind::Text,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    Text,
    List,
    Date,
}

/// A number of days, written as a number or as the name of a configuration setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Days {
    Fixed(i64),
    Setting(String),
}

impl Days {
    fn resolve(&self, settings: &Settings) -> i64 {
        match self {
            Days::Fixed(days) => *days,
            // Setting names are checked when the policy is loaded.
            Days::Setting(name) => settings.get(name).unwrap_or(i64::MAX),
        }
    }
}

/// Which claims a rule looks at; every given selector must hold.
#[derive(Debug, Clone, Default)]
pub struct When {
    pub controls: Vec<Glob>,
    pub owner: Vec<String>,
    pub regulated: Vec<String>,
    pub services: Vec<Glob>,
}

/// What a rule requires of each of its fields.
#[derive(Debug, Clone, Default)]
pub struct Require {
    pub fields: Vec<Field>,
    pub present: Option<bool>,
    pub matches: Option<Pattern>,
    pub not_matches: Option<Pattern>,
    pub min_items: Option<usize>,
    pub max_age_days: Option<Days>,
    /// The date may not be after today (SRM035).
    pub not_in_future: bool,
}

/// One `[[rule]]`, validated.
#[derive(Debug, Clone)]
pub struct PolicyRule {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    pub when: When,
    pub require: Require,
    /// The policy file it was loaded from, as the user named it.
    pub origin: String,
    /// Where `code` and `name` stand in that file, for problems found across files.
    pub code_span: Range<usize>,
    pub name_span: Range<usize>,
}

impl PolicyRule {
    /// The rule as `srmlint rules`, `explain` and SARIF list it; its documentation is
    /// made from what the policy file says.
    pub fn info(&self) -> RuleInfo {
        let fields: Vec<&str> = self
            .require
            .fields
            .iter()
            .map(|field| field.as_str())
            .collect();
        // The documentation is Markdown (SARIF's `help.markdown`, rendered by code
        // scanning): what the policy file says is escaped for it, one line each.
        let mut doc = format!(
            "## What it checks\n{} ({}), on the field(s) {}: {}\n",
            markdown(&self.name),
            markdown(&self.code),
            markdown(&fields.join(", ")),
            markdown(&self.message)
        );
        if !self.help.is_empty() {
            doc.push_str(&format!("\n## Use instead\n{}\n", markdown(&self.help)));
        }
        doc.push_str(&format!(
            "\n## References\n- defined in {}\n",
            markdown(&self.origin)
        ));
        RuleInfo {
            code: self.code.clone(),
            name: self.name.clone(),
            severity: self.severity,
            summary: if self.help.is_empty() {
                self.message.clone()
            } else {
                self.help.clone()
            },
            doc,
            origin: self.origin.clone(),
        }
    }
}

/// Loads the embedded baseline. It is tested to load, so a failure here is a bug in
/// the shipped data; it is still reported as a load error rather than a panic.
pub fn baseline(matrix: &Matrix) -> Result<Vec<PolicyRule>, Error> {
    parse(EMBEDDED_BASELINE, BASELINE_ORIGIN, matrix, true)
        .map_err(|problems| Error::in_file("policy", BASELINE_ORIGIN, EMBEDDED_BASELINE, &problems))
}

/// Loads every user policy: each path is a file, or a folder walked for `*.toml`; a
/// file reached twice (named by the configuration and by `--policy`, or inside a
/// folder also named) is loaded once. Codes and names must be unique over all of them
/// and must not collide with `taken` (the built-in rules' codes and names).
pub fn load_paths(
    paths: &[PathBuf],
    matrix: &Matrix,
    taken: &[(&str, &str)],
) -> Result<Vec<PolicyRule>, Error> {
    let mut rules: Vec<PolicyRule> = Vec::new();
    for file in policy_files(paths)? {
        let origin = fs::shown_path(&file);
        // Never opened when it is a pipe or device, so a planted FIFO cannot hang the run.
        let text = fs::read_text(&file).map_err(|problem| {
            Error::new(format!("cannot read policy file `{origin}`: {problem}")).at(&origin)
        })?;
        let loaded = parse(&text, &origin, matrix, false)
            .map_err(|problems| Error::in_file("policy", &origin, &text, &problems))?;
        // Codes and names are one namespace, compared ignoring case as `explain` looks
        // them up: a rule may not take over what another's code or name means to
        // `explain`, a waiver or `[rules]`.
        let mut seen: BTreeMap<String, (&str, &str, &str)> = BTreeMap::new();
        let earlier = (rules.iter()).map(|rule| (&*rule.code, &*rule.name, &*rule.origin));
        for (code, name, origin) in (taken.iter())
            .map(|(code, name)| (*code, *name, "srmlint"))
            .chain(earlier)
        {
            seen.insert(code.to_ascii_uppercase(), ("code", code, origin));
            seen.insert(name.to_ascii_uppercase(), ("name", name, origin));
        }
        let mut problems = Vec::new();
        for rule in &loaded {
            for (what, value, span) in [
                ("code", &rule.code, &rule.code_span),
                ("name", &rule.name, &rule.name_span),
            ] {
                if let Some((kind, used, first)) = seen.get(&value.to_ascii_uppercase()) {
                    let message = if used == value && *kind == what {
                        format!("duplicate rule {what} `{value}`")
                    } else {
                        format!("rule {what} `{value}` clashes with the rule {kind} `{used}`")
                    };
                    problems.push(
                        Problem::new(span.clone(), message)
                            .label("already used")
                            .help(format!(
                                "`{used}` is already defined in `{first}`; give this rule its own {what}"
                            )),
                    );
                }
            }
            for (kind, value) in [("code", &rule.code), ("name", &rule.name)] {
                seen.insert(value.to_ascii_uppercase(), (kind, value, &origin));
            }
        }
        if !problems.is_empty() {
            return Err(Error::in_file("policy", &origin, &text, &problems));
        }
        rules.extend(loaded);
    }
    Ok(rules)
}

fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for path in paths {
        let shown = fs::shown_path(path);
        // A `--policy` path is the user's, but not through a link that leaves its
        // repository (a configured one is resolved inside it already).
        crate::text::resolve::command_line(path)
            .map_err(|why| Error::new(format!("cannot read policy: {why}")).at(&shown))?;
        let metadata = std::fs::metadata(path).map_err(|error| {
            Error::new(format!("cannot read policy `{shown}`: {error}")).at(&shown)
        })?;
        if !metadata.is_dir() {
            files.push(path.clone());
            continue;
        }
        for entry in discover::walk_tree(path) {
            let entry = entry.map_err(|error| {
                Error::new(format!("cannot walk policy folder `{shown}`: {error}")).at(&shown)
            })?;
            let is_toml = entry.path().extension().is_some_and(|ext| ext == "toml");
            if !is_toml {
                continue;
            }
            if entry.file_type().is_symlink() {
                // Followed, a link could load (and quote) a file from anywhere; skipped
                // in silence, a rule the team relies on would quietly not run.
                let link = fs::shown_path(entry.path());
                return Err(Error::new(format!(
                    "policy folder `{shown}` holds `{link}`, a symbolic link: policy folders are walked without following links; name the file it points to with `policies` or `--policy` instead"
                )).at(link));
            }
            if entry.file_type().is_file() {
                files.push(entry.path().to_path_buf());
            }
        }
    }
    // One file named twice is loaded once: the same rules twice would only collide.
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|file| seen.insert(std::fs::canonicalize(file).unwrap_or_else(|_| file.clone())));
    Ok(files)
}
