//! The controls file: parsed from TOML into a model where every key and value keeps
//! its byte span. Parsing collects every structural problem as a finding (SRM020,
//! SRM021) and keeps whatever it can, so the rules still judge the rest of the file.

use std::ops::Range;

use toml::de::{DeArray, DeTable, DeValue};

use crate::date::Date;
use crate::diagnostic::Finding;
use crate::matrix::Matrix;
use crate::rules;
use crate::suggest;

/// A value with the byte span it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Range<usize>) -> Self {
        Self { value, span }
    }
}

/// The owner word of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Customer,
    Shared,
    /// A provider party that acknowledges the control as inherited (`exoscale`, `aiven`).
    Provider(String),
}

impl Owner {
    pub fn as_str(&self) -> &str {
        match self {
            Owner::Customer => "customer",
            Owner::Shared => "shared",
            Owner::Provider(party) => party,
        }
    }

    /// `customer` and `shared` claim the customer part.
    pub fn is_claim(&self) -> bool {
        matches!(self, Owner::Customer | Owner::Shared)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Services {
    /// No `services` key.
    Missing,
    /// A `services` value of the wrong shape (already reported as SRM021).
    Invalid,
    List(Sp<Vec<Sp<String>>>),
}

#[derive(Debug, Clone)]
pub struct Deployment {
    /// The `[deployment]` header, or the start of the file when the table is missing.
    pub span: Range<usize>,
    pub name: Option<Sp<String>>,
    pub provider: Option<Sp<String>>,
    pub services: Services,
    pub zones: Vec<Sp<String>>,
    pub residency: Option<Sp<String>>,
    pub regulated: Vec<Sp<String>>,
    pub frameworks: Vec<Sp<String>>,
}

impl Deployment {
    /// A deployment that declares nothing, placed at `span`.
    fn empty(span: Range<usize>) -> Self {
        Self {
            span,
            name: None,
            provider: None,
            services: Services::Missing,
            zones: Vec::new(),
            residency: None,
            regulated: Vec::new(),
            frameworks: Vec::new(),
        }
    }
}

/// One `[controls.X]` table.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The control id, spanning the key in the table header.
    pub control: Sp<String>,
    /// The whole table header (`[controls.X]`), or the key for inline tables.
    pub header: Range<usize>,
    /// `None` when the key is missing or its value is not an owner word.
    pub owner: Option<Sp<Owner>>,
    /// The models the entry covers, when given; only known model ids are kept.
    pub models: Option<Sp<Vec<Sp<String>>>>,
    /// False when `owner` or `models` is missing or broken: the entry shows an intent
    /// to cover the control but cannot be judged for ownership.
    pub judgeable: bool,
    pub accountable: Option<Sp<String>>,
    pub implementation: Option<Sp<String>>,
    pub evidence: Option<Sp<Vec<Sp<String>>>>,
    pub reviewed: Option<Sp<Date>>,
    pub notes: Option<Sp<String>>,
}

/// One `[[waivers]]` table, as written; its meaning is judged by the waiver rules.
#[derive(Debug, Clone)]
pub struct Waiver {
    pub span: Range<usize>,
    pub rule: Option<Sp<String>>,
    pub control: Option<Sp<String>>,
    pub reason: Option<Sp<String>>,
    pub approved_by: Option<Sp<String>>,
    pub ticket: Option<Sp<String>>,
    pub expires: Option<Sp<Date>>,
}

#[derive(Debug, Clone)]
pub struct ControlsFile {
    pub deployment: Deployment,
    /// In file order.
    pub entries: Vec<Entry>,
    pub waivers: Vec<Waiver>,
}

pub const TOP_LEVEL_KEYS: &[&str] = &["deployment", "controls", "waivers"];
pub const DEPLOYMENT_KEYS: &[&str] = &[
    "name",
    "provider",
    "services",
    "zones",
    "residency",
    "regulated",
    "frameworks",
];
pub const ENTRY_KEYS: &[&str] = &[
    "owner",
    "accountable",
    "implementation",
    "evidence",
    "reviewed",
    "models",
    "notes",
];
pub const WAIVER_KEYS: &[&str] = &[
    "rule",
    "control",
    "reason",
    "approved_by",
    "ticket",
    "expires",
];

/// Parses a controls file. `None` means the text is not TOML (one SRM020 finding);
/// otherwise the model holds every part that could be read, and the findings name
/// every key or value that could not.
pub fn parse(text: &str, matrix: &Matrix) -> (Option<ControlsFile>, Vec<Finding>) {
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            let finding = Finding::new(
                &rules::SRM020,
                span,
                format!("invalid TOML: {}", error.message().trim_end()),
            )
            .label("here")
            .help("fix the TOML syntax at the marked place; the rest of the file is checked once it parses");
            return (None, vec![finding]);
        }
    };
    let mut parser = Parser {
        matrix,
        findings: Vec::new(),
    };
    let file = parser.file(root.get_ref());
    (Some(file), parser.findings)
}

struct Parser<'m> {
    matrix: &'m Matrix,
    findings: Vec<Finding>,
}

impl Parser<'_> {
    /// Tags the findings from `start` on with the control whose entry they are in.
    fn tag_control(&mut self, start: usize, control: &str) {
        for finding in &mut self.findings[start..] {
            finding.control.get_or_insert_with(|| control.to_owned());
        }
    }
}

type Key<'i> = toml::Spanned<std::borrow::Cow<'i, str>>;
type Value<'i> = toml::Spanned<DeValue<'i>>;

impl Parser<'_> {
    fn file(&mut self, root: &DeTable<'_>) -> ControlsFile {
        let mut deployment = None;
        let mut entries = Vec::new();
        let mut waivers = Vec::new();
        for (key, value) in root.iter() {
            match key.get_ref().as_ref() {
                "deployment" => {
                    if let Some(table) = self.table(key, value) {
                        deployment = Some(self.deployment(table, value.span()));
                    }
                }
                "controls" => {
                    if let Some(table) = self.table(key, value) {
                        for (control_key, control_value) in table.iter() {
                            let start = self.findings.len();
                            if let Some(entry) = self.entry(control_key, control_value) {
                                entries.push(entry);
                            }
                            self.tag_control(start, control_key.get_ref());
                        }
                    }
                }
                "waivers" => {
                    if let Some(array) = self.array(key, value) {
                        for item in array.iter() {
                            if let DeValue::Table(table) = item.get_ref() {
                                waivers.push(self.waiver(table, item.span()));
                            } else {
                                self.wrong_type("waivers", item, "a table (`[[waivers]]`)");
                            }
                        }
                    }
                }
                _ => self.unknown_key(key, TOP_LEVEL_KEYS, "at the top level"),
            }
        }
        // A missing `[deployment]` is reported by SRM015 (it declares no services).
        let deployment = deployment.unwrap_or_else(|| Deployment::empty(0..0));
        entries.sort_by_key(|entry| entry.header.start);
        ControlsFile {
            deployment,
            entries,
            waivers,
        }
    }

    fn deployment(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Deployment {
        let mut deployment = Deployment::empty(span);
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "name" => deployment.name = self.string(key, value),
                "provider" => deployment.provider = self.string(key, value),
                "services" => {
                    deployment.services = match self.string_array(key, value) {
                        Some(list) => Services::List(list),
                        None => Services::Invalid,
                    }
                }
                "zones" => deployment.zones = self.string_list(key, value),
                "residency" => deployment.residency = self.string(key, value),
                "regulated" => deployment.regulated = self.string_list(key, value),
                "frameworks" => deployment.frameworks = self.string_list(key, value),
                _ => self.unknown_key(key, DEPLOYMENT_KEYS, "in `[deployment]`"),
            }
        }
        deployment
    }

    fn entry(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Entry> {
        let control = Sp::new(key.get_ref().to_string(), key.span());
        let DeValue::Table(table) = value.get_ref() else {
            self.findings.push(
                Finding::new(
                    &rules::SRM021,
                    value.span(),
                    format!(
                        "`controls.{}` must be a table, found {}",
                        control.value,
                        describe(value.get_ref())
                    ),
                )
                .label("expected a table")
                .help(format!(
                    "write it as a table:\n[controls.{}]\nowner = \"customer\"",
                    control.value
                ))
                .control(control.value.clone()),
            );
            return None;
        };
        let mut entry = Entry {
            control,
            header: value.span(),
            owner: None,
            models: None,
            judgeable: true,
            accountable: None,
            implementation: None,
            evidence: None,
            reviewed: None,
            notes: None,
        };
        let mut owner_seen = false;
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "owner" => {
                    owner_seen = true;
                    entry.owner = self.owner(key, value, &entry.control.value);
                }
                "models" => entry.models = self.models(key, value, &mut entry.judgeable),
                "accountable" => entry.accountable = self.string(key, value),
                "implementation" => entry.implementation = self.string(key, value),
                "evidence" => entry.evidence = self.string_array(key, value),
                "reviewed" => entry.reviewed = self.date(key, value),
                "notes" => entry.notes = self.string(key, value),
                _ => self.unknown_key(key, ENTRY_KEYS, "in a control entry"),
            }
        }
        if !owner_seen {
            let words = self.owner_words().join(" | ");
            self.findings.push(
                Finding::new(
                    &rules::SRM021,
                    entry.control.span.clone(),
                    format!("`controls.{}` has no `owner`", entry.control.value),
                )
                .label("this entry needs an owner")
                .help(format!("add `owner = \"...\"` with one of: {words}"))
                .control(entry.control.value.clone()),
            );
        }
        entry.judgeable &= entry.owner.is_some();
        Some(entry)
    }

    fn owner_words(&self) -> Vec<&str> {
        let mut words = vec!["customer", "shared"];
        words.extend(self.matrix.provider_owner_words());
        words
    }

    fn owner(&mut self, key: &Key<'_>, value: &Value<'_>, control: &str) -> Option<Sp<Owner>> {
        let word = self.string(key, value)?;
        let owner = match word.value.as_str() {
            "customer" => Owner::Customer,
            "shared" => Owner::Shared,
            other
                if self
                    .matrix
                    .provider_owner_words()
                    .any(|party| party == other) =>
            {
                Owner::Provider(other.to_owned())
            }
            other => {
                let words = self.owner_words();
                let help = match self
                    .matrix
                    .parties
                    .get(other)
                    .and_then(|party| party.acknowledge_with.as_deref())
                {
                    Some(acknowledge_with) => format!(
                        "`{other}` is a party of the matrix, not an owner word: acknowledge its part with `owner = \"{acknowledge_with}\"`"
                    ),
                    None => format!("use one of: {}", words.join(" | ")),
                };
                self.findings.push(
                    Finding::new(
                        &rules::SRM021,
                        word.span.clone(),
                        format!(
                            "`{other}` is not an owner{}",
                            suggest::hint(other, words.iter().copied())
                        ),
                    )
                    .label("unknown owner")
                    .help(help)
                    .control(control),
                );
                return None;
            }
        };
        Some(Sp::new(owner, word.span))
    }

    fn models(
        &mut self,
        key: &Key<'_>,
        value: &Value<'_>,
        judgeable: &mut bool,
    ) -> Option<Sp<Vec<Sp<String>>>> {
        let Some(list) = self.string_array(key, value) else {
            *judgeable = false;
            return None;
        };
        if list.value.is_empty() {
            *judgeable = false;
            self.findings.push(
                Finding::new(&rules::SRM021, list.span.clone(), "`models` is empty")
                    .label("names no model")
                    .help("remove `models` to cover every model in use, or name the models this entry covers"),
            );
            return None;
        }
        let mut known = Vec::new();
        for model in list.value {
            if self.matrix.models.contains_key(&model.value) {
                known.push(model);
            } else {
                *judgeable = false;
                let ids: Vec<&str> = self.matrix.models.keys().map(String::as_str).collect();
                self.findings.push(
                    Finding::new(
                        &rules::SRM021,
                        model.span.clone(),
                        format!(
                            "unknown model `{}`{}",
                            model.value,
                            suggest::hint(&model.value, ids.iter().copied())
                        ),
                    )
                    .label("unknown model")
                    .help(format!("models are: {}", ids.join(", "))),
                );
            }
        }
        Some(Sp::new(known, list.span))
    }

    fn waiver(&mut self, table: &DeTable<'_>, span: Range<usize>) -> Waiver {
        let mut waiver = Waiver {
            span,
            rule: None,
            control: None,
            reason: None,
            approved_by: None,
            ticket: None,
            expires: None,
        };
        for (key, value) in table.iter() {
            match key.get_ref().as_ref() {
                "rule" => waiver.rule = self.string(key, value),
                "control" => waiver.control = self.string(key, value),
                "reason" => waiver.reason = self.string(key, value),
                "approved_by" => waiver.approved_by = self.string(key, value),
                "ticket" => waiver.ticket = self.string(key, value),
                "expires" => waiver.expires = self.date(key, value),
                _ => self.unknown_key(key, WAIVER_KEYS, "in a waiver"),
            }
        }
        waiver
    }

    fn table<'a, 'i>(&mut self, key: &Key<'_>, value: &'a Value<'i>) -> Option<&'a DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(table) => Some(table),
            _ => {
                self.wrong_type(key.get_ref(), value, "a table");
                None
            }
        }
    }

    fn array<'a, 'i>(&mut self, key: &Key<'_>, value: &'a Value<'i>) -> Option<&'a DeArray<'i>> {
        match value.get_ref() {
            DeValue::Array(array) => Some(array),
            _ => {
                self.wrong_type(key.get_ref(), value, "an array");
                None
            }
        }
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

    /// An array of strings; a non-string item is reported and left out.
    fn string_array(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Sp<Vec<Sp<String>>>> {
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

    fn string_list(&mut self, key: &Key<'_>, value: &Value<'_>) -> Vec<Sp<String>> {
        self.string_array(key, value)
            .map(|list| list.value)
            .unwrap_or_default()
    }

    fn date(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Sp<Date>> {
        let found = match value.get_ref() {
            DeValue::Datetime(datetime) => match datetime.date {
                Some(date) => {
                    return Date::new(i32::from(date.year), date.month, date.day)
                        .map(|date| Sp::new(date, value.span()));
                }
                None => "a time without a date".to_owned(),
            },
            DeValue::String(text) if Date::parse(text).is_some() => {
                self.findings.push(
                    Finding::new(
                        &rules::SRM021,
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
        self.findings.push(
            Finding::new(
                &rules::SRM021,
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

    fn wrong_type(&mut self, what: &str, value: &Value<'_>, expected: &str) {
        let what = if what.starts_with("an item") {
            what.to_owned()
        } else {
            format!("`{what}`")
        };
        self.findings.push(
            Finding::new(
                &rules::SRM021,
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

    fn unknown_key(&mut self, key: &Key<'_>, known: &[&str], place: &str) {
        let name = key.get_ref();
        self.findings.push(
            Finding::new(
                &rules::SRM021,
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

fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
    .to_owned()
}
