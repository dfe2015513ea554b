//! The controls file: read, and parsed from TOML into a model where every key and
//! value keeps its byte span. Parsing collects every structural problem and keeps
//! whatever it can, so the rules still judge the rest of the file; `rules::file` turns
//! what went wrong into findings (SRM020–SRM022).

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::data::matrix::Matrix;
use crate::data::scope::DeploymentScope;
use crate::text::Sp;
use crate::text::date::Date;
use crate::text::fs;
use crate::text::suggest;
use crate::text::toml::{self as spanned, Key, Problem, Reader, Value};

/// Reads a controls file's text; the error is SRM022's message. Anything but a regular
/// file is refused unopened, so a FIFO or a device cannot hang the run.
pub fn read(path: &Path) -> Result<String, String> {
    fs::read_text(path)
}

/// `read` for a file a walk's folder listing reported as a regular file.
pub fn read_listed(path: &Path) -> Result<String, String> {
    fs::read_listed_file(path, fs::MAX_FILE_BYTES).and_then(fs::decode)
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

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Services {
    /// No `services` key.
    #[default]
    Missing,
    /// A `services` value of the wrong shape (already reported as SRM021).
    Invalid,
    List(Sp<Vec<Sp<String>>>),
}

#[derive(Debug, Clone, Default)]
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
    /// The matrix version the file was written against (SRM019 compares it).
    pub matrix_version: Option<Sp<String>>,
    /// Terraform sources (folders, plan or state JSON), relative to the file's folder.
    pub terraform: Vec<Sp<String>>,
    /// For each source of `terraform`, at the same index, what its table form adds:
    /// var files and a workspace (empty for a source written as a plain path).
    pub terraform_vars: Vec<SourceVars>,
}

/// What a source written as a table (`{ path, var_files, workspace }`) adds to it.
#[derive(Debug, Clone, Default)]
pub struct SourceVars {
    /// Var files, relative to the controls file's folder, in the order applied.
    pub var_files: Vec<Sp<String>>,
    pub workspace: Option<Sp<String>>,
}

/// The keys of a source written as a table.
pub const TERRAFORM_SOURCE_KEYS: &[&str] = &["path", "var_files", "workspace"];

impl Deployment {
    /// What the deployment brings in under `matrix`; `None` when it names another
    /// provider, whose services and controls this matrix cannot judge (SRM014).
    pub fn scope(&self, matrix: &Matrix) -> Option<DeploymentScope> {
        (!self.is_foreign(matrix)).then(|| DeploymentScope::of(matrix, self.service_list()))
    }

    /// Whether it names another provider than `matrix`'s (SRM014).
    pub fn is_foreign(&self, matrix: &Matrix) -> bool {
        (self.provider.as_ref()).is_some_and(|provider| provider.value != matrix.info.provider)
    }

    /// The `services` values, or none when the key is missing or broken.
    pub fn service_list(&self) -> &[Sp<String>] {
        match &self.services {
            Services::List(list) => &list.value,
            Services::Missing | Services::Invalid => &[],
        }
    }
}

/// One `[controls.X]` table.
#[derive(Debug, Clone, Default)]
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

impl Entry {
    /// Whether the entry claims the customer part of its control in `model`: its owner
    /// is `customer` or `shared`, and `model` is one it covers (its `models`, or every
    /// model in use when it names none).
    pub fn claims_model(&self, model: &str) -> bool {
        self.owner
            .as_ref()
            .is_some_and(|owner| owner.value.is_claim())
            && self
                .models
                .as_ref()
                .is_none_or(|models| models.value.iter().any(|covered| covered.value == model))
    }
}

/// One `[[waivers]]` table, as written; its meaning is judged by the waiver rules.
#[derive(Debug, Clone, Default)]
pub struct Waiver {
    pub span: Range<usize>,
    pub rule: Option<Sp<String>>,
    pub control: Option<Sp<String>>,
    pub reason: Option<Sp<String>>,
    pub approved_by: Option<Sp<String>>,
    pub ticket: Option<Sp<String>>,
    pub expires: Option<Sp<Date>>,
}

#[derive(Debug, Clone, Default)]
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
    "matrix_version",
    "terraform",
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

/// A key or value that could not be read, with the control whose entry it lies in.
pub type Unread = (Problem, Option<String>);

/// Parses a controls file, keeping whatever can be read so the rules still judge the
/// rest of it: the model and each key or value that could not be read; the error
/// says where and why the text is not TOML. `rules::file` makes findings of both.
pub fn parse(text: &str, matrix: &Matrix) -> Result<(ControlsFile, Vec<Unread>), Problem> {
    let mut parser = Parser::new(matrix);
    if let Some(file) = parser.read_quickly(text) {
        return Ok(parser.finish(file));
    }
    // Not in the common shape, or not TOML: `toml`'s table says exactly what is wrong.
    let mut parser = Parser::new(matrix);
    let file = parser.file(spanned::parse(text)?.get_ref());
    Ok(parser.finish(file))
}

/// The keys and values of a table, as `toml`'s table or the quick reader gives them.
trait Pairs<'a, 'i: 'a>: Iterator<Item = (&'a Key<'i>, &'a Value<'i>)> {}

impl<'a, 'i: 'a, T: Iterator<Item = (&'a Key<'i>, &'a Value<'i>)>> Pairs<'a, 'i> for T {}

struct Parser<'m> {
    matrix: &'m Matrix,
    reader: Reader,
    /// Which problems (by index) were found inside which control's entry.
    tags: Vec<(Range<usize>, String)>,
}

impl<'m> Parser<'m> {
    fn new(matrix: &'m Matrix) -> Self {
        Self {
            matrix,
            reader: Reader::default(),
            tags: Vec::new(),
        }
    }

    /// The model, and each problem with the control whose entry it lies in.
    fn finish(self, file: ControlsFile) -> (ControlsFile, Vec<Unread>) {
        let mut problems: Vec<Unread> = (self.reader.problems.into_iter())
            .map(|problem| (problem, None))
            .collect();
        // Problems inside an entry belong to its control, so they group with it.
        for (range, control) in self.tags {
            for (_, tagged) in &mut problems[range] {
                tagged.get_or_insert_with(|| control.clone());
            }
        }
        (file, problems)
    }

    /// Records that the problems from `start` on were found in `control`'s entry.
    fn tag_control(&mut self, start: usize, control: &str) {
        let end = self.reader.problems.len();
        if end > start {
            self.tags.push((start..end, control.to_owned()));
        }
    }

    /// The file read table by table as the TOML parser meets them, when it is in the
    /// common shape (`[deployment]`, `[controls.X]`, `[[waivers]]`, plain values): the
    /// same model and problems as `file`, without a table of the whole file.
    fn read_quickly(&mut self, text: &str) -> Option<ControlsFile> {
        let mut file = ControlsFile::default();
        let read = spanned::read_tables(text, &mut |table| {
            let pairs = table.pairs.iter().map(|(key, value)| (key, value));
            match (table.path, table.array) {
                ([name], false) if name.get_ref() == "deployment" => {
                    file.deployment = self.deployment(pairs, table.span);
                }
                ([name, control], false) if name.get_ref() == "controls" => {
                    let start = self.reader.problems.len();
                    let control = Sp::new(control.get_ref().to_string(), control.span());
                    let entry = self.entry_table(control, table.span, pairs);
                    self.tag_control(start, &entry.control.value);
                    file.entries.push(entry);
                }
                ([name], true) if name.get_ref() == "waivers" => {
                    file.waivers.push(self.waiver(pairs, table.span));
                }
                _ => return false,
            }
            true
        });
        read.then_some(file)
    }

    fn file(&mut self, root: &DeTable<'_>) -> ControlsFile {
        // A missing `[deployment]` is reported by SRM015 (it declares no services).
        let mut file = ControlsFile::default();
        for (key, value) in root.iter() {
            match key.get_ref().as_ref() {
                "deployment" => {
                    if let Some(table) = self.reader.table(key, value) {
                        file.deployment = self.deployment(table.iter(), value.span());
                    }
                }
                "controls" => {
                    if let Some(table) = self.reader.table(key, value) {
                        for (control_key, control_value) in table.iter() {
                            let start = self.reader.problems.len();
                            if let Some(entry) = self.entry(control_key, control_value) {
                                file.entries.push(entry);
                            }
                            self.tag_control(start, control_key.get_ref());
                        }
                    }
                }
                "waivers" => {
                    if let Some(array) = self.reader.array(key, value) {
                        for item in array.iter() {
                            if let DeValue::Table(table) = item.get_ref() {
                                file.waivers.push(self.waiver(table.iter(), item.span()));
                            } else {
                                self.reader
                                    .wrong_type("waivers", item, "a table (`[[waivers]]`)");
                            }
                        }
                    }
                }
                _ => self.unknown_key(key, value, TOP_LEVEL_KEYS, "at the top level"),
            }
        }
        file.entries.sort_by_key(|entry| entry.header.start);
        file
    }

    fn deployment<'a, 'i: 'a>(
        &mut self,
        pairs: impl Pairs<'a, 'i>,
        span: Range<usize>,
    ) -> Deployment {
        let mut deployment = Deployment {
            span,
            ..Deployment::default()
        };
        for (key, value) in pairs {
            match key.get_ref().as_ref() {
                "name" => deployment.name = self.reader.string(key, value),
                "provider" => deployment.provider = self.reader.string(key, value),
                "services" => {
                    deployment.services = match self.reader.string_array(key, value) {
                        Some(list) => Services::List(list),
                        None => Services::Invalid,
                    }
                }
                "zones" => deployment.zones = self.reader.string_list(key, value),
                "residency" => deployment.residency = self.reader.string(key, value),
                "regulated" => deployment.regulated = self.reader.string_list(key, value),
                "frameworks" => deployment.frameworks = self.reader.string_list(key, value),
                "matrix_version" => {
                    deployment.matrix_version = self.reader.non_empty_string(key, value);
                }
                "terraform" => self.terraform_sources(key, value, &mut deployment),
                _ => self.unknown_key(key, value, DEPLOYMENT_KEYS, "in `[deployment]`"),
            }
        }
        deployment
    }

    /// `terraform = [...]`: each source a path, or a table `{ path, var_files,
    /// workspace }`.
    fn terraform_sources(&mut self, key: &Key<'_>, value: &Value<'_>, deployment: &mut Deployment) {
        let Some(array) = self.reader.array(key, value) else {
            return;
        };
        for item in array.iter() {
            match item.get_ref() {
                DeValue::String(text) => {
                    deployment
                        .terraform
                        .push(Sp::new(text.to_string(), item.span()));
                    deployment.terraform_vars.push(SourceVars::default());
                }
                DeValue::Table(table) => {
                    let mut path = None;
                    let mut vars = SourceVars::default();
                    for (key, value) in table.iter() {
                        match key.get_ref().as_ref() {
                            "path" => path = self.reader.string(key, value),
                            "var_files" => vars.var_files = self.reader.string_list(key, value),
                            "workspace" => {
                                vars.workspace = self.reader.non_empty_string(key, value)
                            }
                            _ => self.unknown_key(
                                key,
                                value,
                                TERRAFORM_SOURCE_KEYS,
                                "in a Terraform source",
                            ),
                        }
                    }
                    match path {
                        Some(path) => {
                            deployment.terraform.push(path);
                            deployment.terraform_vars.push(vars);
                        }
                        None => self.reader.push(
                            Problem::new(item.span(), "a Terraform source written as a table needs a `path`".to_owned())
                                .label("no `path`")
                                .help("write it as `{ path = \"infra\", var_files = [\"infra/prod.tfvars\"], workspace = \"prod\" }`"),
                        ),
                    }
                }
                _ => self.reader.wrong_type(
                    "an item of `terraform`",
                    item,
                    "a string or a table `{ path, var_files, workspace }`",
                ),
            }
        }
    }

    fn entry(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Entry> {
        let control = Sp::new(key.get_ref().to_string(), key.span());
        let DeValue::Table(table) = value.get_ref() else {
            self.reader.push(
                Problem::new(
                    value.span(),
                    format!(
                        "`controls.{}` must be a table, found {}",
                        control.value,
                        spanned::describe(value.get_ref())
                    ),
                )
                .label("expected a table")
                .help(format!(
                    "write it as a table:\n[controls.{}]\nowner = \"customer\"",
                    control.value
                )),
            );
            return None;
        };
        Some(self.entry_table(control, value.span(), table.iter()))
    }

    /// The entry of `control` from its table's keys and values.
    fn entry_table<'a, 'i: 'a>(
        &mut self,
        control: Sp<String>,
        header: Range<usize>,
        pairs: impl Pairs<'a, 'i>,
    ) -> Entry {
        let mut entry = Entry {
            control,
            header,
            judgeable: true,
            ..Entry::default()
        };
        let mut owner_seen = false;
        for (key, value) in pairs {
            match key.get_ref().as_ref() {
                "owner" => {
                    owner_seen = true;
                    entry.owner = self.owner(key, value);
                }
                "models" => entry.models = self.models(key, value, &mut entry.judgeable),
                "accountable" => entry.accountable = self.reader.string(key, value),
                "implementation" => entry.implementation = self.reader.string(key, value),
                "evidence" => entry.evidence = self.reader.string_array(key, value),
                "reviewed" => entry.reviewed = self.reader.date(key, value),
                "notes" => entry.notes = self.reader.string(key, value),
                _ => self.unknown_key(key, value, ENTRY_KEYS, "in a control entry"),
            }
        }
        if !owner_seen {
            let words = self.owner_words().join(" | ");
            self.reader.push(
                Problem::new(
                    entry.control.span.clone(),
                    format!("`controls.{}` has no `owner`", entry.control.value),
                )
                .label("this entry needs an owner")
                .help(format!("add `owner = \"...\"` with one of: {words}")),
            );
        }
        entry.judgeable &= entry.owner.is_some();
        entry
    }

    fn owner_words(&self) -> Vec<&str> {
        let mut words = vec!["customer", "shared"];
        words.extend(self.matrix.provider_owner_words());
        words
    }

    fn owner(&mut self, key: &Key<'_>, value: &Value<'_>) -> Option<Sp<Owner>> {
        let word = self.reader.string(key, value)?;
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
                self.reader.push(
                    Problem::new(
                        word.span.clone(),
                        format!(
                            "`{other}` is not an owner{}",
                            suggest::hint(other, words.iter().copied())
                        ),
                    )
                    .replacement(suggest::single(other, words.iter().copied()))
                    .label("unknown owner")
                    .help(help),
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
        let Some(list) = self.reader.string_array(key, value) else {
            *judgeable = false;
            return None;
        };
        if list.value.is_empty() {
            *judgeable = false;
            self.reader.push(
                Problem::new(list.span.clone(), "`models` is empty")
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
                self.reader.push(
                    Problem::new(
                        model.span.clone(),
                        format!(
                            "unknown model `{}`{}",
                            model.value,
                            suggest::hint(&model.value, ids.iter().copied())
                        ),
                    )
                    .replacement(suggest::single(&model.value, ids.iter().copied()))
                    .label("unknown model")
                    .help(format!("models are: {}", ids.join(", "))),
                );
            }
        }
        Some(Sp::new(known, list.span))
    }

    /// An unknown key, with its rename to a known key offered only as a typo's fix:
    /// never onto a key its value could not be (`[waiver]` to `waivers`, `notes =
    /// "..."` to `zones`), nor for a key srmlint knows elsewhere (`notes` belongs in
    /// an entry, not in `[deployment]`): renamed, the file would say something else.
    fn unknown_key(&mut self, key: &Key<'_>, value: &Value<'_>, known: &[&str], place: &str) {
        self.reader.unknown_key(key, known, place);
        let written = key.get_ref().as_ref();
        let elsewhere = [
            TOP_LEVEL_KEYS,
            DEPLOYMENT_KEYS,
            ENTRY_KEYS,
            WAIVER_KEYS,
            TERRAFORM_SOURCE_KEYS,
        ]
        .concat()
        .contains(&written);
        let problem = self.reader.problems.last_mut();
        if let Some(problem) = problem.filter(|problem| {
            problem.replacement.as_deref().is_some_and(|meant| {
                elsewhere || kind_of_key(meant) != kind_of_value(value.get_ref())
            })
        }) {
            problem.replacement = None;
        }
    }

    fn waiver<'a, 'i: 'a>(&mut self, pairs: impl Pairs<'a, 'i>, span: Range<usize>) -> Waiver {
        let mut waiver = Waiver {
            span,
            ..Waiver::default()
        };
        for (key, value) in pairs {
            match key.get_ref().as_ref() {
                "rule" => waiver.rule = self.reader.string(key, value),
                "control" => waiver.control = self.reader.string(key, value),
                "reason" => waiver.reason = self.reader.string(key, value),
                "approved_by" => waiver.approved_by = self.reader.string(key, value),
                "ticket" => waiver.ticket = self.reader.string(key, value),
                "expires" => waiver.expires = self.reader.date(key, value),
                _ => self.unknown_key(key, value, WAIVER_KEYS, "in a waiver"),
            }
        }
        waiver
    }
}

/// The TOML type a known key holds.
fn kind_of_key(key: &str) -> &'static str {
    match key {
        "deployment" | "controls" => "table",
        "waivers" | "services" | "zones" | "regulated" | "frameworks" | "terraform"
        | "evidence" | "models" | "var_files" => "array",
        "reviewed" | "expires" => "date",
        _ => "string",
    }
}

/// The TOML type of a value, as [`kind_of_key`] names it.
fn kind_of_value(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::Table(_) => "table",
        DeValue::Array(_) => "array",
        DeValue::Datetime(_) => "date",
        DeValue::String(_) => "string",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::{Matrix, Parser, spanned};

    /// The model and problems as text, the problems sorted: `toml`'s table hands keys
    /// over sorted, the quick reader in file order, and findings are sorted anyway.
    fn read(text: &str, matrix: &Matrix, quickly: bool) -> Option<String> {
        let mut parser = Parser::new(matrix);
        let file = if quickly {
            parser.read_quickly(text)?
        } else {
            parser.file(spanned::parse(text).ok()?.get_ref())
        };
        let (file, problems) = parser.finish(file);
        let mut problems: Vec<String> = problems.iter().map(|p| format!("{p:?}")).collect();
        problems.sort();
        Some(format!("{file:#?}\n{problems:#?}"))
    }

    /// Read quickly, a file gives what `toml`'s table gives, or is declined; a file the
    /// table refuses is always declined. Returns whether it was read quickly.
    fn same(text: &str, matrix: &Matrix) -> bool {
        let quick = read(text, matrix, true);
        if let Some(quick) = &quick {
            let full = read(text, matrix, false);
            assert_eq!(Some(quick), full.as_ref(), "read differently:\n{text}");
        }
        quick.is_some()
    }

    #[test]
    fn the_quick_reader_reads_as_toml_or_declines() {
        let matrix = Matrix::embedded();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut taken = 0;
        for dir in ["tests", "examples", "policies"] {
            for entry in walkdir::WalkDir::new(root.join(dir)) {
                let path = entry.unwrap().into_path();
                if path
                    .extension()
                    .is_some_and(|extension| extension == "toml")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    taken += usize::from(same(&text, &matrix));
                }
            }
        }
        assert!(taken >= 40, "only {taken} files read quickly");
        let common = [
            "[deployment]\nservices = [\"compute\"]\n[controls.backup-restore]\nowner = \"customer\"\n",
            "# c\n[deployment] # c\nname = 'x' # c\nservices = [ # c\n  \"compute\", # c\n]\n",
            "[deployment]\nterraform = [\"a\", { path = \"b\", var_files = [\"c\", 'd'], workspace = \"e\" }]\n",
            "[controls.\"backup-restore\"]\nowner = \"custmer\"\nreviewed = 2026-01-02\n",
            "[[waivers]]\nrule = \"SRM001\"\nexpires = 2026-01-01T10:00:00Z\n[[waivers]]\nrule = true\n",
            "[ controls . x ]\nowner = true\nmodels = [\"iaas\", \"nope\", false]\n",
            "\u{feff}[deployment]\r\nname = \"a\\u00e9\\n\"\r\nnotes = \"\"\"\nx\n\"\"\"\n",
            "[deployment]\n[controls.a]\n[controls.b]\nowner = 'shared'\nunknown = [[\"x\"]]\n",
            "[controls.x]\nevidence = []\nnotes = '''\nmulti\n'''\n",
            "[deployment]\nservices = \"compute\"\nzones = [true, \"ch-gva-2\"]\nterraform = [{ var_files = [] }, false]\n",
            "",
            "# only a comment\n",
        ];
        for text in common {
            assert!(same(text, &matrix), "not read quickly:\n{text}");
        }
        // Each of these is declined, read or refused by `toml` alone.
        let uncommon = [
            "name = 1\n[deployment]\n",
            "[deployment]\nname = \"a\"\nname = \"b\"\n",
            "[deployment]\n[deployment]\n",
            "[controls]\n[controls.x]\nowner = \"customer\"\n",
            "[controls.x]\nowner = \"customer\"\n[controls]\n",
            "[controls.x]\n[controls.x]\n",
            "[controls.x.y]\nowner = \"customer\"\n",
            "[deployment]\nterraform = \"x\"\n[deployment.terraform]\n",
            "[[waivers]]\n[waivers]\n",
            "[waivers]\n[[waivers]]\n",
            "[[waivers.x]]\n",
            "[deployment]\nprovider.name = \"x\"\n",
            "[controls.x]\nowner = { a = 1 }\n",
            "[deployment]\nterraform = [{ path = \"a\", path = \"b\" }]\n",
            "[deployment]\nzones = [[[[\"a\"]]]]\n",
            "[deployment]\nname = 1.5\nx = 0x10\n",
            "[deployment]\nname = 1979-05-27T25:00:00\n",
            "[deployment]\nname = \"a\n",
            "[deployment]\nname = \"\\q\"\n",
            "[deployment\n",
            "[deployment]\nname = \"a\" # \u{7}\n",
            "[controls.\"a\nb\"]\n",
            "[deployment]\n= \"a\"\n",
            "[deployment]\nname =\n",
            "[x]\nname = 1\n",
            "[controls.a]\nowner = \"customer\"\n[controls.'a']\n",
        ];
        for text in uncommon {
            same(text, &matrix);
        }
    }
}
