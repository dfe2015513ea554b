//! The policy language (DESIGN.md §4): rules written as data in TOML that select claims
//! and require something of one field. The built-in claim-hygiene rules
//! (`policies/baseline.toml`) and every user policy go through this one parser and
//! this one evaluator, so a user rule gets the same precise diagnostics as ours.
//!
//! Loading is strict: any problem in a policy file stops the run (exit 2), with every
//! problem of the file listed and located. Evaluation never fails: it yields findings.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::LazyLock;

use regex::Regex;
use toml::de::{DeTable, DeValue};
use walkdir::WalkDir;

use crate::check::LoadError;
use crate::config::{SETTING_NAMES, Settings};
use crate::controls::{ControlsFile, Entry, Sp};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity};
use crate::engine::DeploymentScope;
use crate::glob::Glob;
use crate::load_problem::{self, LoadProblem};
use crate::matrix::Matrix;
use crate::source::SourceText;
use crate::suggest;

/// The project's own claim-hygiene rules, written in the language.
pub const EMBEDDED_BASELINE: &str = include_str!("../policies/baseline.toml");
/// How the baseline is named where a rule's origin is shown.
pub const BASELINE_ORIGIN: &str = "policies/baseline.toml";

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

/// A placeholder in a message or help template.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{(control|field|value|model)\}").expect("a valid literal regex")
});

/// A field of a control entry that a rule can require something of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Accountable,
    Implementation,
    Evidence,
    Reviewed,
    Notes,
}

pub const FIELD_NAMES: &[&str] = &[
    "accountable",
    "implementation",
    "evidence",
    "reviewed",
    "notes",
];

impl Field {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "accountable" => Field::Accountable,
            "implementation" => Field::Implementation,
            "evidence" => Field::Evidence,
            "reviewed" => Field::Reviewed,
            "notes" => Field::Notes,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Accountable => "accountable",
            Field::Implementation => "implementation",
            Field::Evidence => "evidence",
            Field::Reviewed => "reviewed",
            Field::Notes => "notes",
        }
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
#[derive(Debug, Clone)]
pub struct Require {
    pub fields: Vec<Field>,
    pub present: Option<bool>,
    pub matches: Option<Regex>,
    pub not_matches: Option<Regex>,
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
}

/// Loads the embedded baseline. It is tested to load, so a failure here is a bug in
/// the shipped data; it is still reported as a load error rather than a panic.
pub fn baseline(matrix: &Matrix) -> Result<Vec<PolicyRule>, LoadError> {
    parse(EMBEDDED_BASELINE, BASELINE_ORIGIN, matrix, true)
        .map_err(|problems| render_error(BASELINE_ORIGIN, EMBEDDED_BASELINE, &problems))
}

/// Loads every user policy: each path is a file, or a folder walked for `*.toml`.
/// Codes must be unique over all of them and must not collide with `taken` codes.
pub fn load_paths(
    paths: &[PathBuf],
    matrix: &Matrix,
    taken: &[&str],
) -> Result<Vec<PolicyRule>, LoadError> {
    let mut rules: Vec<PolicyRule> = Vec::new();
    for file in policy_files(paths)? {
        let origin = crate::config::shown_path(&file);
        let text = std::fs::read_to_string(&file)
            .map_err(|error| LoadError(format!("cannot read policy file `{origin}`: {error}")))?;
        let loaded = parse(&text, &origin, matrix, false)
            .map_err(|problems| render_error(&origin, &text, &problems))?;
        let mut problems = Vec::new();
        let mut seen: BTreeMap<&str, &str> = rules
            .iter()
            .map(|rule| (rule.code.as_str(), rule.origin.as_str()))
            .collect();
        for code in taken {
            seen.insert(code, "srmlint");
        }
        for (rule, span) in loaded.iter().zip(code_spans(&text)) {
            if let Some(first) = seen.get(rule.code.as_str()) {
                problems.push(
                    LoadProblem::new(span, format!("duplicate rule code `{}`", rule.code))
                        .label("already used")
                        .help(format!(
                            "`{}` is already defined in `{first}`; give this rule its own code",
                            rule.code
                        )),
                );
            }
        }
        if !problems.is_empty() {
            return Err(render_error(&origin, &text, &problems));
        }
        rules.extend(loaded);
    }
    Ok(rules)
}

/// The spans of the `code` values, in rule order (for problems found across files).
fn code_spans(text: &str) -> Vec<Range<usize>> {
    let Ok(root) = DeTable::parse(text) else {
        return Vec::new();
    };
    let Some(rules) = root
        .get_ref()
        .get("rule")
        .and_then(|value| value.get_ref().as_array())
    else {
        return Vec::new();
    };
    rules
        .iter()
        .filter_map(|rule| rule.get_ref().as_table())
        .map(|rule| rule.get("code").map_or(0..0, toml::Spanned::span))
        .collect()
}

fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut files = Vec::new();
    for path in paths {
        let shown = crate::discover::display_path(path);
        let metadata = std::fs::metadata(path)
            .map_err(|error| LoadError(format!("cannot read policy `{shown}`: {error}")))?;
        if !metadata.is_dir() {
            files.push(path.clone());
            continue;
        }
        let walker = WalkDir::new(path)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0
                    || !(entry.file_type().is_dir()
                        && crate::discover::SKIPPED_DIRS
                            .contains(&entry.file_name().to_string_lossy().as_ref()))
            });
        for entry in walker {
            let entry = entry.map_err(|error| {
                LoadError(format!("cannot walk policy folder `{shown}`: {error}"))
            })?;
            let is_toml = entry.path().extension().is_some_and(|ext| ext == "toml");
            if entry.file_type().is_file() && is_toml {
                files.push(entry.path().to_path_buf());
            }
        }
    }
    Ok(files)
}

fn render_error(origin: &str, text: &str, problems: &[LoadProblem]) -> LoadError {
    LoadError(format!(
        "invalid policy file `{origin}`\n{}",
        load_problem::render(origin, text, problems)
    ))
}

/// Parses one policy file; returns every problem in it when there is any.
/// `allow_reserved` admits `SRM` codes, for the embedded baseline only.
pub fn parse(
    text: &str,
    origin: &str,
    matrix: &Matrix,
    allow_reserved: bool,
) -> Result<Vec<PolicyRule>, Vec<LoadProblem>> {
    let root = DeTable::parse(text).map_err(|error| {
        vec![
            LoadProblem::new(
                error.span().unwrap_or(0..0),
                format!("invalid TOML: {}", error.message().trim_end()),
            )
            .label("here"),
        ]
    })?;
    let mut parser = PolicyParser {
        matrix,
        origin,
        allow_reserved,
        problems: Vec::new(),
    };
    let mut rules = Vec::new();
    let mut codes: BTreeMap<String, ()> = BTreeMap::new();
    for (key, value) in root.get_ref().iter() {
        if key.get_ref() != "rule" {
            parser.unknown_key(key, TOP_KEYS, "at the top level of a policy file");
            continue;
        }
        let Some(array) = value.get_ref().as_array() else {
            parser.wrong_type("rule", value, "an array of tables (`[[rule]]`)");
            continue;
        };
        for item in array.iter() {
            let Some(table) = item.get_ref().as_table() else {
                parser.wrong_type("rule", item, "a table (`[[rule]]`)");
                continue;
            };
            if let Some(rule) = parser.rule(table, item.span()) {
                if codes.insert(rule.code.clone(), ()).is_some() {
                    let span = table.get("code").map_or(item.span(), toml::Spanned::span);
                    parser.problems.push(
                        LoadProblem::new(span, format!("duplicate rule code `{}`", rule.code))
                            .label("used twice in this file")
                            .help("give each rule its own code"),
                    );
                }
                rules.push(rule);
            }
        }
    }
    if parser.problems.is_empty() {
        Ok(rules)
    } else {
        Err(parser.problems)
    }
}

type Key<'i> = toml::Spanned<std::borrow::Cow<'i, str>>;
type Value<'i> = toml::Spanned<DeValue<'i>>;

struct PolicyParser<'a> {
    matrix: &'a Matrix,
    origin: &'a str,
    allow_reserved: bool,
    problems: Vec<LoadProblem>,
}

impl PolicyParser<'_> {
    fn rule(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Option<PolicyRule> {
        let before = self.problems.len();
        let mut code = None;
        let mut name = None;
        let mut severity = Severity::Warning;
        let mut message = None;
        let mut help = String::new();
        let mut when = When::default();
        let mut require = None;
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "code" => code = self.code(key, value),
                "name" => name = self.non_empty_string(key, value),
                "severity" => {
                    if let Some(word) = self.string(key, value) {
                        match Severity::parse(&word.value) {
                            Some(parsed) => severity = parsed,
                            None => self.problems.push(
                                LoadProblem::new(
                                    word.span,
                                    format!(
                                        "`{}` is not a severity{}",
                                        word.value,
                                        suggest::hint(&word.value, ["error", "warning", "info"])
                                    ),
                                )
                                .label("unknown severity")
                                .help("use one of: error | warning | info"),
                            ),
                        }
                    }
                }
                "message" => {
                    message = self.non_empty_string(key, value);
                    if let Some(message) = &message {
                        self.check_placeholders(message);
                    }
                }
                "help" => {
                    if let Some(text) = self.string(key, value) {
                        self.check_placeholders(&text);
                        help = text.value;
                    }
                }
                "when" => {
                    if let Some(table) = self.table(key, value) {
                        when = self.when(table);
                    }
                }
                "require" => {
                    if let Some(table) = self.table(key, value) {
                        require = self.require(table, value.span());
                    }
                }
                _ => self.unknown_key(key, RULE_KEYS, "in a `[[rule]]`"),
            }
        }
        let header = span.start..span.start;
        for (missing, present) in [
            ("code", table.contains_key("code")),
            ("name", table.contains_key("name")),
            ("message", table.contains_key("message")),
            ("require", table.contains_key("require")),
        ] {
            if !present {
                self.problems.push(
                    LoadProblem::new(header.clone(), format!("this rule has no `{missing}`"))
                        .label("rule starts here")
                        .help("every rule needs `code`, `name`, `message` and `[rule.require]`"),
                );
            }
        }
        if self.problems.len() > before {
            return None;
        }
        Some(PolicyRule {
            code: code?.value,
            name: name?.value,
            severity,
            message: message?.value,
            help,
            when,
            require: require?,
            origin: self.origin.to_owned(),
        })
    }

    fn code(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Sp<String>> {
        let code = self.non_empty_string(key, value)?;
        let well_formed = code.value.starts_with(|c: char| c.is_ascii_alphabetic())
            && code
                .value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !well_formed {
            self.problems.push(
                LoadProblem::new(code.span, format!("`{}` is not a rule code", code.value))
                    .label("letters, digits, `-` and `_`, starting with a letter")
                    .help("use your organisation's prefix and a number, e.g. `ACME001`"),
            );
            return None;
        }
        let reserved = code.value.to_ascii_uppercase().starts_with(RESERVED_PREFIX);
        if reserved && !self.allow_reserved {
            self.problems.push(
                LoadProblem::new(
                    code.span,
                    format!("`{}` uses the reserved prefix `SRM`", code.value),
                )
                .label("reserved for srmlint's own rules")
                .help("use your organisation's own prefix, e.g. `ACME001`"),
            );
            return None;
        }
        Some(code)
    }

    fn check_placeholders(&mut self, text: &Sp<String>) {
        // Placeholders are `{name}`; anything else in braces is a typo that would be
        // printed literally in every finding.
        static BRACES: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\{([^{}]*)\}").expect("a valid literal regex"));
        for found in BRACES.captures_iter(&text.value) {
            let name = &found[1];
            if !PLACEHOLDERS.contains(&name) {
                self.problems.push(
                    LoadProblem::new(
                        text.span.clone(),
                        format!(
                            "unknown placeholder `{{{name}}}`{}",
                            suggest::hint(name, PLACEHOLDERS.iter().copied())
                        ),
                    )
                    .label("in this text")
                    .help("placeholders are {control}, {field}, {value} and {model}"),
                );
            }
        }
    }

    fn when(&mut self, table: &DeTable<'_>) -> When {
        let mut when = When::default();
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "controls" => when.controls = self.globs(key, value),
                "services" => when.services = self.globs(key, value),
                "regulated" => {
                    when.regulated = self
                        .string_list(key, value)
                        .into_iter()
                        .map(|item| item.value)
                        .collect();
                }
                "owner" => {
                    let mut words = vec!["customer", "shared"];
                    words.extend(self.matrix.provider_owner_words());
                    for word in self.string_list(key, value) {
                        if words.contains(&word.value.as_str()) {
                            when.owner.push(word.value);
                        } else {
                            self.problems.push(
                                LoadProblem::new(
                                    word.span,
                                    format!(
                                        "`{}` is not an owner{}",
                                        word.value,
                                        suggest::hint(&word.value, words.iter().copied())
                                    ),
                                )
                                .label("unknown owner")
                                .help(format!("use one of: {}", words.join(" | "))),
                            );
                        }
                    }
                }
                _ => self.unknown_key(key, WHEN_KEYS, "in `[rule.when]`"),
            }
        }
        when
    }

    fn require(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Option<Require> {
        let before = self.problems.len();
        let mut fields: Vec<Sp<Field>> = Vec::new();
        let mut require = Require {
            fields: Vec::new(),
            present: None,
            matches: None,
            not_matches: None,
            min_items: None,
            max_age_days: None,
            not_in_future: false,
        };
        // Each condition with the span of its key, to say which one does not fit a field.
        let mut conditions: Vec<(&'static str, Range<usize>)> = Vec::new();
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            match name {
                "field" => fields = self.fields(key, value),
                "present" => require.present = self.boolean(key, value),
                "matches" => require.matches = self.regex(key, value),
                "not_matches" => require.not_matches = self.regex(key, value),
                "min_items" => {
                    require.min_items = self
                        .count(key, value)
                        .map(|count| usize::try_from(count).unwrap_or(usize::MAX));
                }
                "max_age_days" => require.max_age_days = self.days(key, value),
                "not_in_future" => require.not_in_future = self.boolean(key, value) == Some(true),
                _ => {
                    self.unknown_key(key, REQUIRE_KEYS, "in `[rule.require]`");
                    continue;
                }
            }
            if let Some(known) = REQUIRE_KEYS.iter().find(|known| **known == name)
                && *known != "field"
            {
                conditions.push((known, key.span()));
            }
        }
        if !table.contains_key("field") {
            self.problems.push(
                LoadProblem::new(span.start..span.start, "`[rule.require]` names no `field`")
                    .label("here")
                    .help(format!(
                        "add `field = \"...\"` with one of: {}",
                        FIELD_NAMES.join(", ")
                    )),
            );
        }
        if conditions.is_empty() {
            self.problems.push(
                LoadProblem::new(span.start..span.start, "`[rule.require]` has no condition")
                    .label("here")
                    .help("add a condition: present, matches, not_matches, min_items, max_age_days or not_in_future"),
            );
        }
        for field in &fields {
            for (condition, condition_span) in &conditions {
                let fits = match *condition {
                    "present" => true,
                    "matches" | "not_matches" => field.value.kind() != FieldKind::Date,
                    "min_items" => field.value.kind() == FieldKind::List,
                    _ => field.value.kind() == FieldKind::Date,
                };
                if !fits {
                    self.problems.push(
                        LoadProblem::new(
                            condition_span.clone(),
                            format!(
                                "`{condition}` does not apply to the field `{}`",
                                field.value.as_str()
                            ),
                        )
                        .label("not for this field")
                        .help(
                            "matches/not_matches apply to text and evidence; min_items to evidence; max_age_days and not_in_future to reviewed",
                        ),
                    );
                }
            }
        }
        require.fields = fields.into_iter().map(|field| field.value).collect();
        (self.problems.len() == before).then_some(require)
    }

    fn fields(&mut self, key: &Key<'_>, value: &Value<'_>) -> Vec<Sp<Field>> {
        let names = match value.get_ref() {
            DeValue::String(text) => vec![Sp::new(text.to_string(), value.span())],
            _ => self.string_list(key, value),
        };
        if names.is_empty() && value.get_ref().is_array() {
            self.problems.push(
                LoadProblem::new(value.span(), "`field` names no field")
                    .label("empty")
                    .help(format!("name one or more of: {}", FIELD_NAMES.join(", "))),
            );
        }
        let mut fields = Vec::new();
        for name in names {
            match Field::parse(&name.value) {
                Some(field) => fields.push(Sp::new(field, name.span)),
                None => self.problems.push(
                    LoadProblem::new(
                        name.span,
                        format!(
                            "unknown field `{}`{}",
                            name.value,
                            suggest::hint(&name.value, FIELD_NAMES.iter().copied())
                        ),
                    )
                    .label("unknown field")
                    .help(format!("fields are: {}", FIELD_NAMES.join(", "))),
                ),
            }
        }
        fields
    }

    fn regex(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Regex> {
        let pattern = self.string(key, value)?;
        match Regex::new(&pattern.value) {
            Ok(regex) => Some(regex),
            Err(error) => {
                self.problems.push(
                    LoadProblem::new(
                        pattern.span,
                        format!("`{}` is not a valid regex:\n{error}", key.get_ref()),
                    )
                    .label("invalid regex")
                    .help("regexes use the syntax of the Rust `regex` crate (no look-around or back-references)"),
                );
                None
            }
        }
    }

    fn days(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Days> {
        if let DeValue::String(name) = value.get_ref() {
            if SETTING_NAMES.contains(&name.as_ref()) {
                return Some(Days::Setting(name.to_string()));
            }
            self.problems.push(
                LoadProblem::new(
                    value.span(),
                    format!(
                        "`{name}` is not a configuration setting{}",
                        suggest::hint(name, SETTING_NAMES.iter().copied())
                    ),
                )
                .label("unknown setting")
                .help(format!(
                    "give a number of days, or one of: {}",
                    SETTING_NAMES.join(", ")
                )),
            );
            return None;
        }
        self.count(key, value).map(Days::Fixed)
    }

    /// A non-negative integer.
    fn count(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<i64> {
        let parsed = value
            .get_ref()
            .as_integer()
            .and_then(|integer| i64::from_str_radix(integer.as_str(), integer.radix()).ok());
        match parsed {
            Some(number) if number >= 0 => Some(number),
            _ => {
                self.wrong_type(key.get_ref(), value, "a non-negative integer");
                None
            }
        }
    }

    fn globs(&mut self, key: &Key<'_>, value: &Value<'_>) -> Vec<Glob> {
        let mut globs = Vec::new();
        for pattern in self.string_list(key, value) {
            match Glob::new(&pattern.value) {
                Ok(glob) => globs.push(glob),
                Err(error) => self.problems.push(
                    LoadProblem::new(pattern.span, format!("invalid glob: {error}"))
                        .label("invalid glob"),
                ),
            }
        }
        globs
    }

    fn table<'a, 'i>(&mut self, key: &Key<'_>, value: &'a Value<'i>) -> Option<&'a DeTable<'i>> {
        let table = value.get_ref().as_table();
        if table.is_none() {
            self.wrong_type(key.get_ref(), value, "a table");
        }
        table
    }

    fn string(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Sp<String>> {
        match value.get_ref() {
            DeValue::String(text) => Some(Sp::new(text.to_string(), value.span())),
            _ => {
                self.wrong_type(key.get_ref(), value, "a string");
                None
            }
        }
    }

    fn non_empty_string(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Sp<String>> {
        let text = self.string(key, value)?;
        if text.value.trim().is_empty() {
            self.problems.push(
                LoadProblem::new(text.span, format!("`{}` is empty", key.get_ref()))
                    .label("empty")
                    .help(format!("give `{}` a value", key.get_ref())),
            );
            return None;
        }
        Some(text)
    }

    fn boolean(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<bool> {
        let flag = value.get_ref().as_bool();
        if flag.is_none() {
            self.wrong_type(key.get_ref(), value, "a boolean");
        }
        flag
    }

    fn string_list(&mut self, key: &Key<'_>, value: &Value<'_>) -> Vec<Sp<String>> {
        let Some(array) = value.get_ref().as_array() else {
            self.wrong_type(key.get_ref(), value, "an array of strings");
            return Vec::new();
        };
        let mut items = Vec::new();
        for item in array.iter() {
            match item.get_ref() {
                DeValue::String(text) => items.push(Sp::new(text.to_string(), item.span())),
                _ => self.wrong_type(&format!("an item of {}", key.get_ref()), item, "a string"),
            }
        }
        items
    }

    fn wrong_type(&mut self, what: &str, value: &Value<'_>, expected: &str) {
        self.problems.push(
            LoadProblem::new(
                value.span(),
                format!(
                    "`{what}` must be {expected}, found {}",
                    value.get_ref().type_str()
                ),
            )
            .label(format!("expected {expected}")),
        );
    }

    fn unknown_key(&mut self, key: &Key<'_>, known: &[&str], place: &str) {
        let name = key.get_ref();
        self.problems.push(
            LoadProblem::new(
                key.span(),
                format!(
                    "unknown key `{name}` {place}{}",
                    suggest::hint(name, known.iter().copied())
                ),
            )
            .label("unknown key")
            .help(format!("known keys here: {}", known.join(", "))),
        );
    }
}

/// What evaluation needs besides the rules and the file.
#[derive(Debug, Clone, Copy)]
pub struct PolicyContext<'a> {
    pub matrix: &'a Matrix,
    pub today: Date,
    pub settings: &'a Settings,
    /// How output names the controls file.
    pub file_name: &'a str,
    pub source: &'a SourceText,
}

/// Evaluates every rule over every entry of `file`.
pub fn evaluate(
    rules: &[PolicyRule],
    file: &ControlsFile,
    context: PolicyContext<'_>,
) -> Vec<Diagnostic> {
    let scope = DeploymentScope::of(file, context.matrix);
    let mut diagnostics = Vec::new();
    for rule in rules {
        if !deployment_selected(&rule.when, file, &scope) {
            continue;
        }
        for entry in &file.entries {
            if !entry_selected(&rule.when, entry) {
                continue;
            }
            let models: Vec<&str> = match &entry.models {
                Some(models) => models
                    .value
                    .iter()
                    .map(|model| model.value.as_str())
                    .collect(),
                None => scope.model_ids().collect(),
            };
            for &field in &rule.require.fields {
                for failure in check_field(&rule.require, entry, field, context) {
                    diagnostics.push(place(rule, entry, field, &models, failure, context));
                }
            }
        }
    }
    diagnostics
}

fn deployment_selected(when: &When, file: &ControlsFile, scope: &DeploymentScope) -> bool {
    let regulated = when.regulated.is_empty()
        || file
            .deployment
            .regulated
            .iter()
            .any(|sector| when.regulated.contains(&sector.value));
    let services = when.services.is_empty()
        || scope
            .services
            .iter()
            .any(|service| when.services.iter().any(|glob| glob.matches(service)));
    regulated && services
}

fn entry_selected(when: &When, entry: &Entry) -> bool {
    let control = when.controls.is_empty()
        || when
            .controls
            .iter()
            .any(|glob| glob.matches(&entry.control.value));
    let owner = when.owner.is_empty()
        || entry
            .owner
            .as_ref()
            .is_some_and(|owner| when.owner.iter().any(|word| word == owner.value.as_str()));
    control && owner
}

/// One failed requirement: where, the offending value, and what is wrong with it.
struct Failure {
    span: Range<usize>,
    value: String,
    label: String,
}

enum FieldValue<'a> {
    Text(&'a Sp<String>),
    List(&'a Sp<Vec<Sp<String>>>),
    Date(&'a Sp<Date>),
}

fn field_value(entry: &Entry, field: Field) -> Option<FieldValue<'_>> {
    match field {
        Field::Accountable => entry.accountable.as_ref().map(FieldValue::Text),
        Field::Implementation => entry.implementation.as_ref().map(FieldValue::Text),
        Field::Notes => entry.notes.as_ref().map(FieldValue::Text),
        Field::Evidence => entry.evidence.as_ref().map(FieldValue::List),
        Field::Reviewed => entry.reviewed.as_ref().map(FieldValue::Date),
    }
}

/// Checks one field; `present` is judged first, and the other conditions only apply
/// to a field that is there. Each offending value is one failure.
fn check_field(
    require: &Require,
    entry: &Entry,
    field: Field,
    context: PolicyContext<'_>,
) -> Vec<Failure> {
    let name = field.as_str();
    let Some(value) = field_value(entry, field) else {
        return if require.present == Some(true) {
            vec![Failure {
                span: entry.header.clone(),
                value: String::new(),
                label: format!("no `{name}` in this entry"),
            }]
        } else {
            Vec::new()
        };
    };
    let (span, shown, empty) = match &value {
        FieldValue::Text(text) => (
            text.span.clone(),
            text.value.clone(),
            text.value.trim().is_empty(),
        ),
        FieldValue::List(list) => (
            list.span.clone(),
            list.value
                .iter()
                .map(|item| item.value.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            list.value.iter().all(|item| item.value.trim().is_empty()),
        ),
        FieldValue::Date(date) => (date.span.clone(), date.value.to_string(), false),
    };
    match require.present {
        Some(true) if empty => {
            return vec![Failure {
                span,
                value: shown,
                label: format!("`{name}` is empty"),
            }];
        }
        Some(false) => {
            return vec![Failure {
                span,
                value: shown,
                label: format!("`{name}` should not be set"),
            }];
        }
        _ => {}
    }
    let mut failures = Vec::new();
    match value {
        FieldValue::Text(text) => failures.extend(check_text(require, text)),
        FieldValue::List(list) => {
            if let Some(min) = require.min_items
                && list.value.len() < min
            {
                failures.push(Failure {
                    span: list.span.clone(),
                    value: shown,
                    label: format!("{} of at least {min} items", list.value.len()),
                });
            }
            failures.extend(
                list.value
                    .iter()
                    .filter_map(|item| check_text(require, item)),
            );
        }
        FieldValue::Date(date) => {
            if let Some(limit) = &require.max_age_days {
                let limit = limit.resolve(context.settings);
                let age = date.value.days_until(context.today);
                if age > limit {
                    failures.push(Failure {
                        span: date.span.clone(),
                        value: shown.clone(),
                        label: format!("{age} days ago; the limit is {limit}"),
                    });
                }
            }
            if require.not_in_future && date.value > context.today {
                failures.push(Failure {
                    span: date.span.clone(),
                    value: shown,
                    label: format!("after today ({})", context.today),
                });
            }
        }
    }
    failures
}

/// The first text condition a value fails, if any.
fn check_text(require: &Require, text: &Sp<String>) -> Option<Failure> {
    let label = if let Some(regex) = &require.matches
        && !regex.is_match(&text.value)
    {
        format!("does not match `{}`", regex.as_str())
    } else if let Some(regex) = &require.not_matches
        && let Some(found) = regex.find(&text.value)
    {
        format!("`{}` is not allowed here", found.as_str())
    } else {
        return None;
    };
    Some(Failure {
        span: text.span.clone(),
        value: text.value.clone(),
        label,
    })
}

fn place(
    rule: &PolicyRule,
    entry: &Entry,
    field: Field,
    models: &[&str],
    failure: Failure,
    context: PolicyContext<'_>,
) -> Diagnostic {
    let fill = |template: &str| {
        // One pass, so a value that itself contains `{control}` is not expanded.
        PLACEHOLDER
            .replace_all(template, |found: &regex::Captures<'_>| match &found[1] {
                "control" => entry.control.value.clone(),
                "field" => field.as_str().to_owned(),
                "value" => failure.value.clone(),
                _ => models.join(", "),
            })
            .into_owned()
    };
    let (start, end) = context.source.range(&failure.span);
    Diagnostic {
        code: rule.code.clone(),
        name: rule.name.clone(),
        severity: rule.severity,
        message: fill(&rule.message),
        help: fill(&rule.help),
        label: failure.label,
        file: context.file_name.to_owned(),
        span: failure.span,
        start,
        end,
        control: Some(entry.control.value.clone()),
        model: (models.len() == 1).then(|| models[0].to_owned()),
        waiver: None,
    }
}

#[cfg(test)]
mod tests {
    use super::{baseline, parse};
    use crate::matrix::Matrix;
    use crate::rules;

    #[test]
    fn the_baseline_loads_and_matches_the_registry() {
        let matrix = Matrix::embedded();
        let rules_loaded = baseline(&matrix).unwrap();
        let codes: Vec<&str> = rules_loaded.iter().map(|rule| rule.code.as_str()).collect();
        assert_eq!(codes, ["SRM030", "SRM031", "SRM034", "SRM035", "SRM036"]);
        for rule in &rules_loaded {
            let registered = rules::builtin(&rule.code).unwrap();
            assert_eq!(rule.name, registered.name, "{}", rule.code);
            assert_eq!(rule.severity, registered.severity, "{}", rule.code);
        }
    }

    #[test]
    fn user_policies_may_not_use_srm_codes_but_the_baseline_may() {
        let matrix = Matrix::embedded();
        let text = "[[rule]]\ncode = \"SRM030\"\nname = \"n\"\nmessage = \"m\"\n[rule.require]\nfield = \"notes\"\npresent = true\n";
        assert!(parse(text, "user.toml", &matrix, false).is_err());
        assert!(parse(text, "baseline", &matrix, true).is_ok());
    }
}
