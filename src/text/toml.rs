//! Reading TOML with a span on every key and value: one reader for the controls file,
//! the configuration and policy files. It turns `toml`'s spanned document into typed
//! values and collects a located `Problem` for every value of the wrong type instead
//! of stopping at the first, so a user fixes them all in one go. What a problem
//! becomes (a finding in a controls file, an error in a policy) is the caller's choice.

use std::borrow::Cow;
use std::ops::Range;

use foldhash::{HashMap, HashSet};
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};
use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::parser::{EventReceiver, RecursionGuard, ValidateWhitespace};
use toml_parser::{ErrorSink, ParseError, Raw, Source, Span};

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

/// One table of a document read by `read_tables`: the keys of its header (`[a.b]` is
/// `a`, `b`), whether it is an item of an array of tables (`[[a]]`), the header's span,
/// and its keys and values in file order.
#[derive(Debug)]
pub struct Table<'t, 'i> {
    pub path: &'t [Key<'i>],
    pub array: bool,
    pub span: Range<usize>,
    pub pairs: &'t [(Key<'i>, Value<'i>)],
}

/// Reads a document straight from the TOML parser's events, handing each table to
/// `take` as soon as it ends, so no table of the whole document is built. It reads
/// the common shape only: headers of one or two keys, each table once (`[[a]]` may
/// repeat), keys without dots, no key before the first header, at most 64 keys to a
/// table, and values that are strings, booleans, dates, and arrays and inline tables
/// of those, three deep at most. Anything else, any error, and a `take` that returns
/// false, decline: false, and the caller parses the text with `parse`, which says
/// exactly what is wrong.
pub fn read_tables<'i>(text: &'i str, take: &mut dyn FnMut(Table<'_, 'i>) -> bool) -> bool {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut reader = Quick {
        source,
        take,
        declined: false,
        header: None,
        in_header: false,
        path: Vec::new(),
        pairs: Vec::new(),
        key: None,
        open: Vec::new(),
        headers: HashMap::default(),
        parents: HashSet::default(),
    };
    let mut error: Option<ParseError> = None;
    let mut validated = ValidateWhitespace::new(&mut reader, source);
    let mut guarded = RecursionGuard::new(&mut validated, QUICK_DEPTH);
    toml_parser::parser::parse_document(&tokens, &mut guarded, &mut error);
    reader.end_table();
    error.is_none() && !reader.declined
}

/// How deep `read_tables` nests arrays and inline tables (`terraform = [{ var_files =
/// ["a"] }]` is three deep).
const QUICK_DEPTH: u32 = 3;

/// The most keys `read_tables` reads in one table.
const QUICK_KEYS: usize = 64;

/// An array or inline table being read, with where it opened.
enum Open<'i> {
    Array(usize, DeArray<'i>),
    /// The table and the key whose value comes next.
    Table(usize, DeTable<'i>, Option<Key<'i>>),
}

struct Quick<'t, 'i> {
    source: Source<'i>,
    take: &'t mut dyn FnMut(Table<'_, 'i>) -> bool,
    declined: bool,
    /// The current table's header: its span, and whether it is `[[...]]`.
    header: Option<(Range<usize>, bool)>,
    /// Between a header's brackets.
    in_header: bool,
    path: Vec<Key<'i>>,
    pairs: Vec<(Key<'i>, Value<'i>)>,
    /// A key of the current table whose value comes next.
    key: Option<Key<'i>>,
    open: Vec<Open<'i>>,
    /// Every header so far, and whether it was `[[...]]`; and the first key of every
    /// two-key header. A table defined twice or inside another is declined.
    headers: HashMap<Vec<Cow<'i, str>>, bool>,
    parents: HashSet<Cow<'i, str>>,
}

impl<'i> Quick<'_, 'i> {
    fn decline(&mut self) {
        self.declined = true;
    }

    fn raw(&self, span: Span, encoding: Option<Encoding>) -> Raw<'i> {
        Raw::new_unchecked(
            &self.source.input()[span.start()..span.end()],
            encoding,
            span,
        )
    }

    /// Hands the table read so far to `take`.
    fn end_table(&mut self) {
        if let Some((span, array)) = self.header.take()
            && !self.declined
            && !(self.take)(Table {
                path: &self.path,
                array,
                span,
                pairs: &self.pairs,
            })
        {
            self.decline();
        }
        self.pairs.clear();
    }

    /// A finished value: into the array or inline table it is in, or the current table.
    fn put(&mut self, value: Value<'i>) {
        match self.open.last_mut() {
            Some(Open::Array(_, array)) => array.push(value),
            Some(Open::Table(_, table, key)) => match key.take() {
                Some(key) if !table.contains_key(&key) => {
                    table.insert(key, value);
                }
                _ => self.decline(),
            },
            // A key written twice is looked for among the table's keys one by one, so
            // a table of more keys than any the common shape has is left to `parse`.
            None => match self.key.take() {
                Some(key)
                    if self.header.is_some()
                        && self.pairs.len() < QUICK_KEYS
                        && !self.pairs.iter().any(|(seen, _)| *seen == key) =>
                {
                    self.pairs.push((key, value));
                }
                _ => self.decline(),
            },
        }
    }

    fn open_header(&mut self, span: Span) {
        self.end_table();
        self.path.clear();
        self.header = Some((span.start()..span.end(), false));
        self.in_header = true;
    }

    /// The header is read: declined when its table was defined before, or holds or
    /// lies in another table.
    fn close_header(&mut self, span: Span, array: bool) {
        self.in_header = false;
        let Some(header) = &mut self.header else {
            return self.decline();
        };
        *header = (header.0.start..span.end(), array);
        let path: Vec<Cow<'i, str>> = self.path.iter().map(|key| key.get_ref().clone()).collect();
        let fits = match path.as_slice() {
            [name] => !self.parents.contains(name),
            [parent, _] => {
                self.parents.insert(parent.clone());
                !array && !self.headers.contains_key(&path[..1])
            }
            _ => false,
        };
        let again = self.headers.insert(path, array);
        if !fits || again.is_some_and(|was_array| !(was_array && array)) {
            self.decline();
        }
    }
}

impl EventReceiver for Quick<'_, '_> {
    fn std_table_open(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.open_header(span);
    }
    fn std_table_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.close_header(span, false);
    }
    fn array_table_open(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.open_header(span);
    }
    fn array_table_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        self.close_header(span, true);
    }
    fn inline_table_open(&mut self, span: Span, _: &mut dyn ErrorSink) -> bool {
        self.open
            .push(Open::Table(span.start(), DeTable::new(), None));
        true
    }
    fn inline_table_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        match self.open.pop() {
            Some(Open::Table(start, table, None)) => {
                self.put(Spanned::new(start..span.end(), DeValue::Table(table)));
            }
            _ => self.decline(),
        }
    }
    fn array_open(&mut self, span: Span, _: &mut dyn ErrorSink) -> bool {
        self.open.push(Open::Array(span.start(), DeArray::new()));
        true
    }
    fn array_close(&mut self, span: Span, _: &mut dyn ErrorSink) {
        match self.open.pop() {
            Some(Open::Array(start, array)) => {
                self.put(Spanned::new(start..span.end(), DeValue::Array(array)));
            }
            _ => self.decline(),
        }
    }
    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, errors: &mut dyn ErrorSink) {
        let mut decoded = Cow::Borrowed("");
        self.raw(span, encoding).decode_key(&mut decoded, errors);
        let key = Spanned::new(span.start()..span.end(), decoded);
        if self.in_header {
            return self.path.push(key);
        }
        let pending = match self.open.last_mut() {
            Some(Open::Table(_, _, pending)) => pending,
            Some(Open::Array(..)) => return self.decline(),
            None => &mut self.key,
        };
        if pending.replace(key).is_some() {
            self.decline();
        }
    }
    fn key_sep(&mut self, _: Span, _: &mut dyn ErrorSink) {
        // A dotted key outside a header.
        if !self.in_header {
            self.decline();
        }
    }
    fn scalar(&mut self, span: Span, encoding: Option<Encoding>, errors: &mut dyn ErrorSink) {
        let mut decoded = Cow::Borrowed("");
        let kind = self.raw(span, encoding).decode_scalar(&mut decoded, errors);
        let value = match kind {
            ScalarKind::String => DeValue::String(decoded),
            ScalarKind::Boolean(value) => DeValue::Boolean(value),
            ScalarKind::DateTime => match decoded.parse() {
                Ok(datetime) => DeValue::Datetime(datetime),
                Err(_) => return self.decline(),
            },
            // An integer or a float has no place in the files read this way, and its
            // value cannot be built outside the `toml` crate: the full parse says so.
            ScalarKind::Integer(_) | ScalarKind::Float => return self.decline(),
        };
        self.put(Spanned::new(span.start()..span.end(), value));
    }
    fn error(&mut self, _: Span, _: &mut dyn ErrorSink) {
        self.decline();
    }
}

/// Where every key naming `path` is written: in headers (`[a.b]` writes `a` and
/// `a.b`) and dotted keys (`a.b.c = 1` writes them too), however spaced or quoted.
/// Keys in arrays are not looked into, and the items of an array of tables are not
/// told apart. `None` when the text is not TOML.
pub fn key_spans(text: &str, path: &[&str]) -> Option<Vec<Range<usize>>> {
    let source = Source::new(text);
    let tokens = source.lex().into_vec();
    let mut keys = KeySpans {
        source,
        wanted: path,
        path: Vec::new(),
        bases: Vec::new(),
        arrays: 0,
        found: Vec::new(),
    };
    let mut error: Option<ParseError> = None;
    toml_parser::parser::parse_document(&tokens, &mut keys, &mut error);
    error.is_none().then_some(keys.found)
}

struct KeySpans<'i, 'w> {
    source: Source<'i>,
    wanted: &'w [&'w str],
    /// The names down to the key being read.
    path: Vec<Cow<'i, str>>,
    /// How long `path` is where the current table and each inline table or array
    /// being read begins: a value read returns there.
    bases: Vec<usize>,
    /// How many arrays are open.
    arrays: usize,
    found: Vec<Range<usize>>,
}

impl KeySpans<'_, '_> {
    fn header(&mut self) {
        self.path.clear();
        self.bases.clear();
    }

    fn value_read(&mut self) {
        self.path.truncate(self.bases.last().copied().unwrap_or(0));
    }
}

impl EventReceiver for KeySpans<'_, '_> {
    fn std_table_open(&mut self, _: Span, _: &mut dyn ErrorSink) {
        self.header();
    }
    fn array_table_open(&mut self, _: Span, _: &mut dyn ErrorSink) {
        self.header();
    }
    fn std_table_close(&mut self, _: Span, _: &mut dyn ErrorSink) {
        self.bases.push(self.path.len());
    }
    fn array_table_close(&mut self, _: Span, _: &mut dyn ErrorSink) {
        self.bases.push(self.path.len());
    }
    fn inline_table_open(&mut self, _: Span, _: &mut dyn ErrorSink) -> bool {
        self.bases.push(self.path.len());
        true
    }
    fn inline_table_close(&mut self, _: Span, _: &mut dyn ErrorSink) {
        self.bases.pop();
        self.value_read();
    }
    fn array_open(&mut self, _: Span, _: &mut dyn ErrorSink) -> bool {
        self.bases.push(self.path.len());
        self.arrays += 1;
        true
    }
    fn array_close(&mut self, _: Span, _: &mut dyn ErrorSink) {
        self.bases.pop();
        self.arrays = self.arrays.saturating_sub(1);
        self.value_read();
    }
    fn simple_key(&mut self, span: Span, encoding: Option<Encoding>, errors: &mut dyn ErrorSink) {
        let raw = Raw::new_unchecked(
            &self.source.input()[span.start()..span.end()],
            encoding,
            span,
        );
        let mut name = Cow::Borrowed("");
        raw.decode_key(&mut name, errors);
        self.path.push(name);
        if self.arrays == 0 && self.path == self.wanted {
            self.found.push(span.start()..span.end());
        }
    }
    fn scalar(&mut self, _: Span, _: Option<Encoding>, _: &mut dyn ErrorSink) {
        self.value_read();
    }
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
