//! Terraform sources: the infrastructure a controls file declares, read so the rules
//! can hold the declaration against it. A source is a folder (a root module: its
//! `*.tf` files, parsed with a real HCL parser, and the local child modules it calls)
//! or a `.json` file (the output of `terraform show -json` for a plan or a state).
//! What is read becomes an `Inventory`: the files with their text (findings point into
//! them), each resource with the attributes the catalog asks about, resolved where a
//! static reading can, and every problem met on the way. Nothing outside the
//! repository root is read; anything that cannot be resolved is said, never skipped.

pub mod deployed;
mod eval;
mod hcl;
mod json;
mod plan;
pub mod sources;
mod syntax;
mod types;

pub use deployed::{ServiceOf, block_address, mapping_of, service_of};
pub use hcl::parses;

use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use crate::data::terraform::TerraformCatalog;
pub use crate::text::folder::Anchor;
use crate::text::folder::OpenFolder;
use crate::text::fs;
use crate::text::{SourceText, Sp};

/// `.tf` files are read up to the size of a controls file; a plan of a large
/// deployment is bigger, so JSON may be larger.
pub const MAX_PLAN_BYTES: u64 = 64 * 1024 * 1024;

/// One file read, as output shows it, with its text.
#[derive(Debug, Clone)]
pub struct InfraFile {
    pub path: String,
    pub source: Arc<SourceText>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A folder of `.tf` files and the local modules it calls.
    Module,
    /// `terraform show -json` of a saved plan.
    Plan,
    /// `terraform show -json` of a state.
    State,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Module => "module",
            SourceKind::Plan => "plan",
            SourceKind::State => "state",
        }
    }
}

/// What one source holds.
#[derive(Debug, Clone)]
pub struct Inventory {
    /// The source as output shows it.
    pub shown: String,
    pub kind: SourceKind,
    /// Every file read, in reading order; resources and problems index into it.
    pub files: Vec<InfraFile>,
    /// Managed resources, in file order (data sources are never resources).
    pub resources: Vec<Resource>,
    pub problems: Vec<Problem>,
}

/// A managed resource and the attributes the catalog asks about.
#[derive(Debug, Clone, Default)]
pub struct Resource {
    /// Index into `Inventory::files`.
    pub file: usize,
    /// `exoscale_dbaas.pg`, `module.events.exoscale_dbaas.kafka`, `…web[0]`.
    pub address: String,
    pub resource_type: String,
    /// The block header (`resource "type" "name"`), or the `address` value in JSON.
    pub header: Range<usize>,
    /// Each attribute asked for, by name.
    pub attributes: Vec<(String, Attribute)>,
    /// The attributes written in another file than the header (an override file), with
    /// that file's index: their spans lie there.
    pub attributes_elsewhere: Vec<(String, usize)>,
    /// Why the resource may not exist: a `count` or `for_each` (of it or of a module
    /// call above it) that could not be evaluated. It is taken as created.
    pub unsure: Option<String>,
    /// A resource of another provider that creates a service because its provider
    /// points at the platform's endpoint (`aws_s3_bucket` against SOS).
    pub through_endpoint: bool,
}

impl Resource {
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|(attribute, _)| attribute == name)
            .map(|(_, value)| value)
    }

    /// The file (index into `Inventory::files`) the attribute `name`'s span lies in.
    pub fn attribute_file(&self, name: &str) -> usize {
        self.attributes_elsewhere
            .iter()
            .find(|(attribute, _)| attribute == name)
            .map_or(self.file, |(_, file)| *file)
    }
}

/// Where a referenced value was set: the references followed to it (`var.zone`, an
/// input of a module call...) and the literal's file and offset. Put into words
/// ([`Inventory::describe`]) only for a finding that quotes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAt {
    pub trail: Vec<String>,
    pub file: usize,
    pub offset: usize,
    /// Where the literal ends.
    pub end: usize,
}

/// An attribute as a static reading sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attribute {
    /// A string value, at the span of the value in the resource (the literal, the
    /// reference or the JSON value); `from` says where a referenced value was set.
    Value {
        value: String,
        span: Range<usize>,
        from: Option<SetAt>,
    },
    /// Written, but not statically known: `why` names what stands in the way, and
    /// `variable` the input variable that would decide it, when one would.
    Unresolved {
        span: Range<usize>,
        why: String,
        variable: Option<String>,
    },
    /// Not written at all.
    Missing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The source or a file in it cannot be read as Terraform (SRM053).
    Invalid,
    /// Something that is not checked because it cannot be read statically (SRM054).
    NotChecked,
}

/// Something wrong or left unchecked in a source.
#[derive(Debug, Clone)]
pub struct Problem {
    pub kind: ProblemKind,
    /// The file it is in; `None` for the source as a whole.
    pub file: Option<usize>,
    pub span: Range<usize>,
    pub message: String,
    pub label: String,
    pub help: String,
}

impl Inventory {
    fn new(shown: &str, kind: SourceKind) -> Self {
        Self {
            shown: shown.to_owned(),
            kind,
            files: Vec::new(),
            resources: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn add_file(&mut self, path: String, text: String) -> usize {
        self.files.push(InfraFile {
            path,
            source: Arc::new(SourceText::new(text)),
        });
        self.files.len() - 1
    }

    fn problem(
        &mut self,
        kind: ProblemKind,
        file: Option<usize>,
        span: Range<usize>,
        message: String,
        label: &str,
        help: &str,
    ) {
        self.problems.push(Problem {
            kind,
            file,
            span,
            message,
            label: label.to_owned(),
            help: help.to_owned(),
        });
    }

    /// Where a referenced value was set, in words: "`var.zone`, set at
    /// infra/variables.tf:3".
    pub fn describe(&self, set_at: &SetAt) -> String {
        let read = &self.files[set_at.file];
        let line = read.source.position(set_at.offset).line;
        format!("{}, set at {}:{line}", set_at.trail.join(" → "), read.path)
    }
}

/// How a root module's variables and workspace are set beyond its own files: what
/// `terraform plan` would be given on its command line (`-var-file`, `-var`,
/// `terraform workspace select`). Environment variables (`TF_VAR_*`) are never read,
/// so the same files give the same findings on every machine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct VarSettings {
    /// Var files and single values, in the order they are applied (later wins).
    pub inputs: Vec<VarInput>,
    /// `terraform.workspace`; `"default"` when none is given.
    pub workspace: Option<String>,
}

/// One var file or `NAME=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VarInput {
    /// A var file, already confined to the repository (a `--var-file` to the links
    /// of its own path, as any command-line path), absolute, and as output shows it;
    /// or why it cannot be read (outside the repository, missing), never read.
    File {
        shown: String,
        path: Result<PathBuf, String>,
        /// Where the controls file names it (`None` for `--var-file`): a var file
        /// that is not read is said there.
        at: Option<Range<usize>>,
    },
    /// `--var NAME=VALUE`.
    Value { name: String, value: String },
}

impl VarSettings {
    pub fn workspace(&self) -> Rc<str> {
        Rc::from(self.workspace.as_deref().unwrap_or("default"))
    }

    /// The settings with every var file lexically inside `from` moved to the same
    /// place under `to` and confined there: a revision's var files, written out
    /// (`srmlint diff`). One outside `from` (a `--var-file` may lie anywhere) stays.
    pub fn moved(&self, from: &Path, to: &Path) -> Self {
        let mut moved = self.clone();
        for input in &mut moved.inputs {
            if let VarInput::File { path, .. } = input
                && let Some(inside) =
                    (path.as_ref().ok()).and_then(|path| moved_into(path, from, to))
            {
                *path = confine(to, &inside).map_err(|why| format!("{why}; it is not read"));
            }
        }
        moved
    }

    /// The settings with every var file confined to `repo_root`: one outside it (or
    /// led out by a symlink) becomes the reason it is not read, and is never opened.
    pub fn confined(&self, repo_root: &Path) -> Self {
        let inputs = self
            .inputs
            .iter()
            .map(|input| match input {
                VarInput::File { shown, path, at } => VarInput::File {
                    shown: shown.clone(),
                    at: at.clone(),
                    path: path.clone().and_then(|path| {
                        let inside = lexical_inside(repo_root, &path).ok_or_else(|| {
                            "lies outside the repository; it is not read".to_owned()
                        })?;
                        confine(repo_root, &inside).map_err(|why| format!("{why}; it is not read"))
                    }),
                },
                other => other.clone(),
            })
            .collect();
        Self {
            inputs,
            workspace: self.workspace.clone(),
        }
    }
}

/// The settings of a source named in a controls file: its table's var files
/// (relative to the controls file's folder `file_dir`, shown under `shown_dir`),
/// confined to `repo_root`, and its workspace.
pub fn declared_settings(
    file_dir: &Path,
    shown_dir: &str,
    repo_root: &Path,
    var_files: &[Sp<String>],
    workspace: Option<&Sp<String>>,
) -> VarSettings {
    let inputs = var_files
        .iter()
        .map(|file| {
            let normalized = file.value.replace('\\', "/");
            let absolute = Path::new(&normalized).is_absolute() || normalized.starts_with('/');
            // An absolute path is shown as written: joined to the folder it would lose its `/`.
            let (shown, path) = if absolute {
                (
                    file.value.clone(),
                    Err("is absolute; name it relative to the controls file's folder".to_owned()),
                )
            } else {
                (
                    shown_join(shown_dir, &file.value),
                    Ok(file_dir.join(&normalized)),
                )
            };
            VarInput::File {
                shown,
                path,
                at: Some(file.span.clone()),
            }
        })
        .collect();
    VarSettings {
        inputs,
        workspace: workspace.map(|workspace| workspace.value.clone()),
    }
    .confined(repo_root)
}

/// Where a source was named.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A value of `terraform = [...]` in the controls file.
    Declared(Sp<String>),
    /// `--terraform PATH`, as given.
    CommandLine(String),
}

/// A source of one controls file and what reading it gave: the inventory, or why
/// the path is no source at all (missing, outside the repository, not a folder or
/// JSON file).
#[derive(Debug, Clone)]
pub struct Source {
    pub origin: Origin,
    pub read: Result<Arc<Inventory>, String>,
}

impl Source {
    /// The source as messages name it.
    pub fn shown(&self) -> String {
        match (&self.read, &self.origin) {
            (Ok(inventory), _) => inventory.shown.clone(),
            (Err(_), Origin::Declared(value)) => value.value.clone(),
            (Err(_), Origin::CommandLine(path)) => path.clone(),
        }
    }
}

/// A source found inside the repository: its path, and the folder itself, already
/// open, when it is a folder reached without a symbolic link.
#[derive(Debug)]
pub struct Located {
    pub path: PathBuf,
    folder: Option<OpenFolder>,
}

impl Located {
    /// A source known by its path alone.
    pub fn at(path: PathBuf) -> Self {
        Self { path, folder: None }
    }
}

/// Where a source named in a controls file lies: `value` relative to `file_dir`,
/// which must stay inside `repo_root` (both absolute). The error is the reason, as
/// SRM053 words it; nothing beyond the repository is looked at. With `anchor` (the
/// repository root held open) a folder with no link on the way is opened at once,
/// the kernel refusing anything else; the rest is confined part by part.
pub fn resolve_declared(
    file_dir: &Path,
    repo_root: &Path,
    value: &str,
    plain: &fs::PlainFolders,
    anchor: Option<&Anchor>,
) -> Result<Located, String> {
    if value.trim().is_empty() {
        return Err("is empty".to_owned());
    }
    let normalized = value.replace('\\', "/");
    if crate::text::resolve::is_absolute_path(&normalized) {
        return Err("is absolute; name it relative to the controls file's folder".to_owned());
    }
    let Some(inside) = lexical_inside(repo_root, &file_dir.join(&normalized)) else {
        return Err("leaves the repository".to_owned());
    };
    // The quick ways below see no link; `.git` is refused as the resolver does.
    if inside.strip_prefix(repo_root).is_ok_and(fs::names_git) {
        return Err(fs::in_git(None));
    }
    let opened = anchor.zip(inside.strip_prefix(repo_root).ok());
    if let Some(folder) =
        opened.and_then(|(anchor, relative)| anchor.open_folder(relative, &inside))
    {
        return Ok(Located {
            path: inside,
            folder: Some(folder),
        });
    }
    confine_known(repo_root, &inside, plain).map(Located::at)
}

/// `path`, when it lies lexically inside `from`, at the same place under `to`.
pub fn moved_into(path: &Path, from: &Path, to: &Path) -> Option<PathBuf> {
    let inside = lexical_inside(from, path)?;
    Some(to.join(inside.strip_prefix(from).ok()?))
}

/// `path` with `.` and `..` resolved by text alone, when it stays under `root`.
fn lexical_inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                _ => return None,
            },
            other => parts.push(other),
        }
    }
    let joined: PathBuf = parts.iter().collect();
    joined.starts_with(root).then_some(joined)
}

/// `path` (lexically inside `root`) when it exists and, symlinks resolved, stays
/// inside: the one resolver of `text::resolve` decides, naming a link that leads out
/// and never looking beyond it. The path returned holds no link below `root`.
pub fn confine(root: &Path, path: &Path) -> Result<PathBuf, String> {
    fs::confine(root, path).map_err(|why| dangling_said(path, why))
}

/// A link to nothing is said to be one (not merely missing, not a loop).
fn dangling_said(path: &Path, why: String) -> String {
    let is_link = path
        .symlink_metadata()
        .is_ok_and(|metadata| metadata.file_type().is_symlink());
    if why == "does not exist" && is_link {
        "is a dangling symlink (what it points at does not exist)".to_owned()
    } else {
        why
    }
}

/// `confine`, starting below the deepest folder of `path` that `plain` already knows
/// to be plain, and teaching it the folders found plain on the way.
fn confine_known(root: &Path, path: &Path, plain: &fs::PlainFolders) -> Result<PathBuf, String> {
    if path.strip_prefix(root).is_err() {
        return Err("leaves the repository".to_owned());
    }
    let start = plain.deepest_known(root, path).unwrap_or(root);
    let Ok(relative) = path.strip_prefix(start) else {
        return Err("leaves the repository".to_owned());
    };
    let mut current = start.to_path_buf();
    let mut proven = Vec::new();
    for component in relative.components() {
        current.push(component);
        match current.symlink_metadata() {
            Err(_) => return Err("does not exist".to_owned()),
            Ok(metadata) if metadata.file_type().is_symlink() => {
                plain.learn(root, proven);
                return confine(root, path);
            }
            Ok(metadata) if metadata.is_dir() => proven.push(current.clone()),
            Ok(_) => {}
        }
    }
    // The source itself is rarely below another: its folders are what neighbours share.
    if proven.last().is_some_and(|last| last == path) {
        proven.pop();
    }
    plain.learn(root, proven);
    Ok(path.to_path_buf())
}

/// A folder's display path joined with a relative path, `.` and `..` resolved where
/// they can be, always with `/`.
pub fn shown_join(base: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let joined = format!("{base}/{relative}").replace('\\', "/");
    let absolute = base.starts_with('/');
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let text = parts.join("/");
    match (absolute, text.is_empty()) {
        (true, _) => format!("/{text}"),
        (false, true) => ".".to_owned(),
        (false, false) => text,
    }
}

/// Reads the source (absolute, already confined to `repo_root`), shown as
/// `shown`, asking each resource for the attributes `catalog` needs. The error says
/// why the path is no Terraform source at all.
pub fn read(
    source: Located,
    shown: &str,
    repo_root: &Path,
    catalog: &TerraformCatalog,
    settings: &VarSettings,
) -> Result<Inventory, String> {
    let root = repo_root;
    if let Some(folder) = source.folder {
        return Ok(hcl::read_root_module(
            Ok(folder),
            shown,
            root,
            catalog,
            settings,
        ));
    }
    let path = source.path.as_path();
    let metadata = std::fs::metadata(path).map_err(|error| format!("cannot be read: {error}"))?;
    if metadata.is_dir() {
        let folder = OpenFolder::open(path).map_err(|error| error.to_string());
        return Ok(hcl::read_root_module(
            folder, shown, root, catalog, settings,
        ));
    }
    if !metadata.is_file() {
        return Err(
            "is not a folder or a regular file (a device, FIFO or socket is never opened)"
                .to_owned(),
        );
    }
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let module = [".tf", ".tofu", ".tf.json", ".tofu.json"];
    if module.iter().any(|extension| name.ends_with(extension)) {
        return Ok(hcl::read_single_file(path, shown, root, catalog, settings));
    }
    if name.ends_with(".json") {
        return Ok(plan::read(path, shown, catalog));
    }
    Err("is neither a folder of `.tf` files, a `.tf` file nor a `.json` plan or state".to_owned())
}

/// Whether a `--terraform` path can be a source: it must exist and be a folder or a
/// regular `.json` or `.tf` file. The error is the tool's (exit 2), naming the path.
pub fn check_command_line_path(path: &Path) -> Result<(), String> {
    let shown = crate::text::escape::escape_inline(&fs::display_path(path));
    crate::text::resolve::command_line(path)
        .map_err(|why| format!("cannot read `--terraform`: {why}"))?;
    let metadata = std::fs::metadata(path)
        .map_err(|error| format!("cannot read `--terraform {shown}`: {error}"))?;
    let name = path.to_string_lossy();
    if metadata.is_dir()
        || (metadata.is_file()
            && (name.ends_with(".json") || name.ends_with(".tf") || name.ends_with(".tofu")))
    {
        Ok(())
    } else {
        Err(format!(
            "`--terraform {shown}` is not a folder of `.tf` files, a `.tf` file or a `.json` plan or state"
        ))
    }
}

/// Reads a text file for a source, or the reason it cannot be.
fn read_file(path: &Path, limit: u64) -> Result<String, String> {
    fs::read_text_limited(path, limit).map(fs::without_byte_order_mark)
}

/// The bytes of a source file as text, as `read_file` takes them.
fn decode_source(bytes: Vec<u8>, limit: u64) -> Result<String, String> {
    fs::decode_limited(bytes, limit).map(fs::without_byte_order_mark)
}

#[cfg(test)]
mod tests {
    use super::confine_known;
    use crate::text::fs::PlainFolders;

    #[cfg(unix)]
    #[test]
    fn folders_known_plain_still_leave_a_link_below_them_checked() {
        let dir = std::env::temp_dir().join(format!("srmlint-confine-{}", std::process::id()));
        let root = dir.join("repo");
        std::fs::create_dir_all(root.join("team/a/tf")).unwrap();
        std::fs::create_dir_all(dir.join("outside")).unwrap();
        std::os::unix::fs::symlink(dir.join("outside"), root.join("team/a/out")).unwrap();
        let plain = PlainFolders::default();
        assert!(confine_known(&root, &root.join("team/a/tf"), &plain).is_ok());
        assert_eq!(
            plain.deepest_known(&root, &root.join("team/a/out")),
            Some(root.join("team/a").as_path())
        );
        assert_eq!(
            confine_known(&root, &root.join("team/a/out"), &plain),
            Err("leads outside the repository through a symlink (`team/a/out`)".to_owned())
        );
        assert_eq!(
            confine_known(&root, &root.join("team/a/missing"), &plain),
            Err("does not exist".to_owned())
        );
        // What is plain below one root says nothing below another.
        assert_eq!(
            plain.deepest_known(&root.join("team"), &root.join("team/a/tf")),
            None
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
