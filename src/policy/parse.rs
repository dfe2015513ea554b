//! Parsing one policy file into validated rules, collecting every problem with its
//! place so the user fixes them all in one go.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use super::{
    Days, FIELD_NAMES, Field, FieldKind, PLACEHOLDERS, PolicyRule, REQUIRE_KEYS, RESERVED_PREFIX,
    RULE_KEYS, Require, TOP_KEYS, WHEN_KEYS, When,
};
use crate::data::matrix::Matrix;
use crate::diag::Severity;
use crate::input::config::SETTING_NAMES;
use crate::text::Sp;
use crate::text::glob::Glob;
use crate::text::pattern::Pattern;
use crate::text::suggest;
use crate::text::toml::{self as spanned, Key, Problem, Reader, Value};

/// Parses one policy file; returns every problem in it when there is any.
/// `allow_reserved` admits `SRM` codes, for the embedded baseline only.
pub fn parse(
    text: &str,
    origin: &str,
    matrix: &Matrix,
    allow_reserved: bool,
) -> Result<Vec<PolicyRule>, Vec<Problem>> {
    let root = spanned::parse(text).map_err(|problem| vec![problem])?;
    let mut parser = PolicyParser {
        matrix,
        origin,
        allow_reserved,
        reader: Reader::default(),
    };
    let mut rules = Vec::new();
    let mut codes: BTreeMap<(&str, String), ()> = BTreeMap::new();
    for (key, value) in root.get_ref().iter() {
        if key.get_ref() != "rule" {
            parser
                .reader
                .unknown_key(key, TOP_KEYS, "at the top level of a policy file");
            continue;
        }
        let Some(array) = value.get_ref().as_array() else {
            parser
                .reader
                .wrong_type("rule", value, "an array of tables (`[[rule]]`)");
            continue;
        };
        for item in array.iter() {
            let Some(table) = item.get_ref().as_table() else {
                parser
                    .reader
                    .wrong_type("rule", item, "a table (`[[rule]]`)");
                continue;
            };
            if let Some(rule) = parser.rule(table, item.span()) {
                for (what, value, span) in [
                    ("code", &rule.code, &rule.code_span),
                    ("name", &rule.name, &rule.name_span),
                ] {
                    if codes.insert((what, value.clone()), ()).is_some() {
                        parser.reader.push(
                            Problem::new(span.clone(), format!("duplicate rule {what} `{value}`"))
                                .label("used twice in this file")
                                .help(format!("give each rule its own {what}")),
                        );
                    }
                }
                rules.push(rule);
            }
        }
    }
    if parser.reader.problems.is_empty() {
        Ok(rules)
    } else {
        Err(parser.reader.problems)
    }
}

const SEVERITIES: &[&str] = &["error", "warning", "info"];

struct PolicyParser<'a> {
    matrix: &'a Matrix,
    origin: &'a str,
    allow_reserved: bool,
    reader: Reader,
}

impl PolicyParser<'_> {
    fn rule(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Option<PolicyRule> {
        let before = self.reader.problems.len();
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
                "name" => name = self.name(key, value),
                "severity" => {
                    if let Some(word) = self.reader.string(key, value) {
                        let (what, words) = (("a severity", "unknown severity"), SEVERITIES);
                        let parsed = self.reader.one_of(&word, what, words, Severity::parse);
                        severity = parsed.unwrap_or(severity);
                    }
                }
                "message" => {
                    message = self.reader.non_empty_string(key, value);
                    if let Some(message) = &message {
                        self.check_placeholders(message);
                    }
                }
                "help" => {
                    if let Some(text) = self.reader.string(key, value) {
                        self.check_placeholders(&text);
                        help = text.value;
                    }
                }
                "when" => {
                    if let Some(table) = self.reader.table(key, value) {
                        when = self.when(table);
                    }
                }
                "require" => {
                    if let Some(table) = self.reader.table(key, value) {
                        require = self.require(table, value.span());
                    }
                }
                _ => self.reader.unknown_key(key, RULE_KEYS, "in a `[[rule]]`"),
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
                self.reader.push(
                    Problem::new(header.clone(), format!("this rule has no `{missing}`"))
                        .label("rule starts here")
                        .help("every rule needs `code`, `name`, `message` and `[rule.require]`"),
                );
            }
        }
        if self.reader.problems.len() > before {
            return None;
        }
        let (code, name) = (code?, name?);
        Some(PolicyRule {
            code: code.value,
            code_span: code.span,
            name: name.value,
            name_span: name.span,
            severity,
            message: message?.value,
            help,
            when,
            require: require?,
            origin: self.origin.to_owned(),
        })
    }

    /// A rule code: upper-case ASCII letters then digits (`ACME001`), never `SRM…`
    /// outside the embedded baseline.
    fn code(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Sp<String>> {
        let code = self.reader.non_empty_string(key, value)?;
        // Any case: `srm900` is refused for the prefix, which says more than its case.
        let reserved = code.value.to_ascii_uppercase().starts_with(RESERVED_PREFIX);
        if reserved && !self.allow_reserved {
            self.reader.push(
                Problem::new(
                    code.span,
                    format!("`{}` uses the reserved prefix `SRM`", code.value),
                )
                .label("reserved for srmlint's own rules")
                .help("use your organisation's own prefix, e.g. `ACME001`"),
            );
            return None;
        }
        let letters = code.value.trim_end_matches(|c: char| c.is_ascii_digit());
        let well_formed = !letters.is_empty()
            && letters.len() < code.value.len()
            && letters.chars().all(|c| c.is_ascii_uppercase());
        if !well_formed {
            self.reader.push(
                Problem::new(code.span, format!("`{}` is not a rule code", code.value))
                    .label("upper-case letters, then digits")
                    .help("use your organisation's prefix and a number, e.g. `ACME001`"),
            );
            return None;
        }
        Some(code)
    }

    /// A rule name: lower-case ASCII letters, digits and `-` (`evidence-on-wiki`).
    fn name(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Sp<String>> {
        let name = self.reader.non_empty_string(key, value)?;
        let well_formed =
            (name.value.chars()).all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !well_formed {
            self.reader.push(
                Problem::new(name.span, format!("`{}` is not a rule name", name.value))
                    .label("lower-case letters, digits and `-`")
                    .help("name what the rule requires, in kebab-case, e.g. `evidence-on-wiki`"),
            );
            return None;
        }
        // `explain` looks rules up before controls: the rule would hide the control.
        if self.matrix.control(&name.value).is_some() {
            let id = &name.value;
            self.reader.push(
                Problem::new(name.span, format!("`{id}` is a control id, not a rule name"))
                    .label("names a control")
                    .help(format!(
                        "`srmlint explain {id}` shows the control; name the rule for what it requires, e.g. `{id}-evidence`"
                    )),
            );
            return None;
        }
        Some(name)
    }

    fn check_placeholders(&mut self, text: &Sp<String>) {
        // Placeholders are `{name}`; anything else in braces is a typo that would be
        // printed literally in every finding.
        for (_, name) in super::braced(&text.value) {
            if !PLACEHOLDERS.contains(&name) {
                self.reader.push(
                    Problem::new(
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
                "controls" => {
                    let ids: Vec<String> = self.matrix.control_ids().map(str::to_owned).collect();
                    when.controls = self.globs(key, value, &ids, "control of the matrix");
                }
                "services" => {
                    let ids: Vec<String> = self.matrix.services.keys().cloned().collect();
                    when.services = self.globs(key, value, &ids, "service of the catalog");
                }
                "regulated" => {
                    when.regulated = self
                        .reader
                        .string_list(key, value)
                        .into_iter()
                        .map(|item| item.value)
                        .collect();
                }
                "owner" => {
                    let mut words = vec!["customer", "shared"];
                    words.extend(self.matrix.provider_owner_words());
                    for word in self.reader.string_list(key, value) {
                        let known = |word: &str| words.contains(&word).then(|| word.to_owned());
                        let what = ("an owner", "unknown owner");
                        when.owner
                            .extend(self.reader.one_of(&word, what, &words, known));
                    }
                }
                _ => self.reader.unknown_key(key, WHEN_KEYS, "in `[rule.when]`"),
            }
        }
        when
    }

    fn require(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Option<Require> {
        let before = self.reader.problems.len();
        let mut fields: Vec<Sp<Field>> = Vec::new();
        let mut require = Require::default();
        // Each condition with the span of its key, to say which one does not fit a field.
        let mut conditions: Vec<(&'static str, Range<usize>)> = Vec::new();
        for (key, value) in table.iter() {
            let name = key.get_ref().as_ref();
            match name {
                "field" => fields = self.fields(key, value),
                "present" => require.present = self.reader.boolean(key, value),
                "matches" => require.matches = self.regex(key, value),
                "not_matches" => require.not_matches = self.regex(key, value),
                "min_items" => {
                    require.min_items = self
                        .reader
                        .count(key, value)
                        .map(|count| usize::try_from(count).unwrap_or(usize::MAX));
                }
                "max_age_days" => require.max_age_days = self.days(key, value),
                "not_in_future" => {
                    require.not_in_future = self.reader.boolean(key, value) == Some(true)
                }
                _ => {
                    self.reader
                        .unknown_key(key, REQUIRE_KEYS, "in `[rule.require]`");
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
            self.reader.push(
                Problem::new(span.start..span.start, "`[rule.require]` names no `field`")
                    .label("here")
                    .help(format!(
                        "add `field = \"...\"` with one of: {}",
                        FIELD_NAMES.join(", ")
                    )),
            );
        }
        if conditions.is_empty() {
            self.reader.push(
                Problem::new(span.start..span.start, "`[rule.require]` has no condition")
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
                    self.reader.push(
                        Problem::new(
                            condition_span.clone(),
                            format!(
                                "`{condition}` does not apply to the field `{}`",
                                field.value.as_str()
                            ),
                        )
                        .label("not for this field")
                        .help(
                            "matches/not_matches apply to owner, text and evidence; min_items to evidence; max_age_days and not_in_future to reviewed",
                        ),
                    );
                }
            }
        }
        require.fields = fields.into_iter().map(|field| field.value).collect();
        (self.reader.problems.len() == before).then_some(require)
    }

    fn fields(&mut self, key: &Key<'_>, value: &Value<'_>) -> Vec<Sp<Field>> {
        let names = match value.get_ref() {
            DeValue::String(text) => vec![Sp::new(text.to_string(), value.span())],
            _ => self.reader.string_list(key, value),
        };
        if names.is_empty() && value.get_ref().is_array() {
            self.reader.push(
                Problem::new(value.span(), "`field` names no field")
                    .label("empty")
                    .help(format!("name one or more of: {}", FIELD_NAMES.join(", "))),
            );
        }
        let mut fields = Vec::new();
        for name in names {
            match Field::parse(&name.value) {
                // Judged twice, each failure would be reported twice.
                Some(field) if fields.iter().any(|seen: &Sp<Field>| seen.value == field) => {
                    self.reader.push(
                        Problem::new(name.span, format!("`{}` is named twice", name.value))
                            .label("already in this list")
                            .help("name each field once"),
                    )
                }
                Some(field) => fields.push(Sp::new(field, name.span)),
                None => self.reader.push(
                    Problem::new(
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

    fn regex(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Pattern> {
        let pattern = self.reader.string(key, value)?;
        match Pattern::new(&pattern.value) {
            Ok(regex) => Some(regex),
            Err(error) => {
                self.reader.push(
                    Problem::new(
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
            self.reader.push(
                Problem::new(
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
        self.reader.count(key, value).map(Days::Fixed)
    }

    /// Globs over ids; one that matches none of `known` is a typo that would make the
    /// rule select nothing, silently.
    fn globs(
        &mut self,
        key: &Key<'_>,
        value: &Value<'_>,
        known: &[String],
        what: &str,
    ) -> Vec<Glob> {
        let mut globs = Vec::new();
        for pattern in self.reader.string_list(key, value) {
            match Glob::new(&pattern.value) {
                Ok(glob) if known.iter().any(|id| glob.matches(id)) => globs.push(glob),
                Ok(_) => self.reader.push(
                    Problem::new(
                        pattern.span,
                        format!(
                            "`{}` matches no {what}{}",
                            pattern.value,
                            suggest::hint(&pattern.value, known.iter().map(String::as_str))
                        ),
                    )
                    .label("selects nothing")
                    .help("`srmlint matrix` lists the control and service ids"),
                ),
                Err(error) => self.reader.push(
                    Problem::new(pattern.span, format!("invalid glob: {error}"))
                        .label("invalid glob"),
                ),
            }
        }
        globs
    }
}
