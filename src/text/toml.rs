//! Reading TOML with a span on every key and value: one reader for the controls file,
//! the configuration and policy files. It turns `toml`'s spanned document into typed
//! values and collects a located `Problem` for every value of the wrong type instead
//! of stopping at the first, so a user fixes them all in one go. What a problem
//! becomes (a finding in a controls file, an error in a policy) is the caller's choice.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::date::Date;
use super::source::Sp;
use super::suggest;

pub type Key<'i> = Spanned<Cow<'i, str>>;
pub type Value<'i> = Spanned<DeValue<'i>>;

/// Something wrong at a place in a TOML file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    /// The text under the excerpt, at the span.
    pub label: String,
    /// How to fix it.
    pub help: String,
    /// The one word meant in place of the key or string value at the span (a
    /// did-you-mean with a single candidate): what `check --fix` writes there.
    pub replacement: Option<String>,
}

impl Problem {
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
            ..Self::default()
        }
    }

    /// The word meant in place of the key or value at the span.
    pub fn replacement(mut self, word: Option<&str>) -> Self {
        self.replacement = word.map(str::to_owned);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }
}

/// Parses a TOML document, keeping spans; a syntax error is one problem at the
/// parser's position.
pub fn parse(text: &str) -> Result<Spanned<DeTable<'_>>, Problem> {
    DeTable::parse(text).map_err(|error| {
        Problem::new(
            error.span().unwrap_or(0..0),
            format!("invalid TOML: {}", error.message().trim_end()),
        )
        .label("here")
    })
}

/// "a string", "an integer", ...: the kind of a value, as messages name it.
pub fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Typed reads of spanned values; every value that does not fit is a problem here.
#[derive(Debug, Default)]
pub struct Reader {
    pub problems: Vec<Problem>,
}

impl Reader {
    pub fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// `what` (a key, or a description such as "an item of `services`") has a value
    /// of the wrong type.
    pub fn wrong_type(&mut self, what: &str, value: &Value<'_>, expected: &str) {
        let what = if what.starts_with("an item") {
            what.to_owned()
        } else {
            format!("`{what}`")
        };
        self.push(
            Problem::new(
                value.span(),
                format!(
                    "{what} must be {expected}, found {}",
                    describe(value.get_ref())
                ),
            )
            .label(format!("expected {expected}"))
            .help(format!("change the value to {expected}")),
        );
    }

    /// A key that is not one of `known`, with a did-you-mean; `place` says where.
    pub fn unknown_key(&mut self, key: &Key<'_>, known: &[&str], place: &str) {
        let name = key.get_ref();
        self.push(
            Problem::new(
                key.span(),
                format!(
                    "unknown key `{name}` {place}{}",
                    suggest::hint(name, known.iter().copied())
                ),
            )
            .replacement(suggest::single(name, known.iter().copied()))
            .label("unknown key")
            .help(format!("known keys here: {}", known.join(", "))),
        );
    }

    /// `found`, the value read as the type `expected` names; a problem when it is not.
    fn expect<T>(
        &mut self,
        key: &Key<'_>,
        value: &Value<'_>,
        found: Option<T>,
        expected: &str,
    ) -> Option<T> {
        if found.is_none() {
            self.wrong_type(key.get_ref(), value, expected);
        }
        found
    }

    pub fn table<'a, 'i>(
        &mut self,
        key: &Key<'_>,
        value: &'a Value<'i>,
    ) -> Option<&'a DeTable<'i>> {
        self.expect(key, value, value.get_ref().as_table(), "a table")
    }

    pub fn array<'a, 'i>(
        &mut self,
        key: &Key<'_>,
        value: &'a Value<'i>,
    ) -> Option<&'a DeArray<'i>> {
        self.expect(key, value, value.get_ref().as_array(), "an array")
    }

    pub fn string(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Sp<String>> {
        let text = value.get_ref().as_str();
        let text = text.map(|text| Sp::new(text.to_owned(), value.span()));
        self.expect(key, value, text, "a string")
    }

    /// What `parse` reads `word` as; else a problem at it: "`x` is not {what}", with a
    /// did-you-mean among `words`, the label `label` and `words` as the help.
    pub fn one_of<T>(
        &mut self,
        word: &Sp<String>,
        (what, label): (&str, &str),
        words: &[&str],
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let parsed = parse(&word.value);
        if parsed.is_none() {
            let hint = suggest::hint(&word.value, words.iter().copied());
            self.push(
                Problem::new(
                    word.span.clone(),
                    format!("`{}` is not {what}{hint}", word.value),
                )
                .label(label)
                .help(format!("use one of: {}", words.join(" | "))),
            );
        }
        parsed
    }

    /// A string that is not blank.
    pub fn non_empty_string(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Sp<String>> {
        let text = self.string(key, value)?;
        if text.value.trim().is_empty() {
            self.push(
                Problem::new(text.span, format!("`{}` is empty", key.get_ref()))
                    .label("empty")
                    .help(format!("give `{}` a value", key.get_ref())),
            );
            return None;
        }
        Some(text)
    }

    pub fn boolean(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<bool> {
        self.expect(key, value, value.get_ref().as_bool(), "a boolean")
    }

    /// A non-negative integer.
    pub fn count(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<i64> {
        let parsed = value
            .get_ref()
            .as_integer()
            .and_then(|integer| i64::from_str_radix(integer.as_str(), integer.radix()).ok());
        self.expect(
            key,
            value,
            parsed.filter(|number| *number >= 0),
            "a non-negative integer",
        )
    }

    /// An array of strings with its span; an item that is not a string is a problem
    /// and left out.
    pub fn string_array(
        &mut self,
        key: &Key<'_>,
        value: &Value<'_>,
    ) -> Option<Sp<Vec<Sp<String>>>> {
        let array = self.array(key, value)?;
        let mut items = Vec::with_capacity(array.len());
        for item in array.iter() {
            match item.get_ref() {
                DeValue::String(text) => items.push(Sp::new(text.to_string(), item.span())),
                _ => self.wrong_type(&format!("an item of `{}`", key.get_ref()), item, "a string"),
            }
        }
        Some(Sp::new(items, value.span()))
    }

    /// `string_array` without the array's own span.
    pub fn string_list(&mut self, key: &Key<'_>, value: &Value<'_>) -> Vec<Sp<String>> {
        self.string_array(key, value)
            .map(|list| list.value)
            .unwrap_or_default()
    }

    /// A TOML date (a local date, or a date-time whose date part is taken). A quoted
    /// date is a string, and said so.
    pub fn date(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Sp<Date>> {
        let found = match value.get_ref() {
            // A day, not a moment: a time of day would say more than a review or an
            // expiry means, and the schema takes dates only.
            DeValue::Datetime(datetime) => match (datetime.date, datetime.time) {
                (Some(date), None) => {
                    return Date::new(i32::from(date.year), date.month, date.day)
                        .map(|date| Sp::new(date, value.span()));
                }
                (Some(date), Some(_)) => {
                    self.push(
                        Problem::new(
                            value.span(),
                            format!(
                                "`{}` must be a date, found a date with a time of day",
                                key.get_ref()
                            ),
                        )
                        .label("a day is enough")
                        .help(format!(
                            "write the day only: `{} = {:04}-{:02}-{:02}`",
                            key.get_ref(),
                            date.year,
                            date.month,
                            date.day
                        )),
                    );
                    return None;
                }
                (None, _) => "a time without a date",
            },
            DeValue::String(text) if Date::parse(text).is_some() => {
                self.push(
                    Problem::new(
                        value.span(),
                        format!("`{}` must be a TOML date, found a string", key.get_ref()),
                    )
                    .label("a quoted date is a string")
                    .help(format!("remove the quotes: `{} = {text}`", key.get_ref())),
                );
                return None;
            }
            other => describe(other),
        };
        self.push(
            Problem::new(
                value.span(),
                format!("`{}` must be a date, found {found}", key.get_ref()),
            )
            .label("expected a date")
            .help(format!(
                "write a TOML date: `{} = 2026-09-14`",
                key.get_ref()
            )),
        );
        None
    }
}
