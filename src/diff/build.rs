//! The ownership diff: which controls files a change touches, both sides of each
//! evaluated by one checker (same matrix, configuration, policies and date), and per
//! file what changed in the deployment, the entries and the waivers, and which
//! findings appeared or went away (matched by `render::fingerprint`, as SARIF's
//! `partialFingerprints` are). Only files whose bytes differ are evaluated, and only
//! files with some change are listed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::snapshot::{self, Snapshot};
use crate::check::{Checker, FileReport, RunReport, Supplied};
use crate::data::matrix::{Matrix, MatrixOwner};
use crate::data::scope::DeploymentScope;
use crate::diag::{Diagnostic, Error, Severity};
use crate::diff::git::{Repository, TreeFile};
use crate::diff::matrix::{Change, ListChange, MatrixId};
use crate::input::controls::{self, ControlsFile, Entry};
use crate::input::discover::{self, SKIPPED_DIRS, is_controls_file_name};
use crate::input::terraform::VarInput;
pub use crate::posture::WaiverView;
use crate::text::escape::escape_inline;
use crate::text::{Sp, fs, resolve};

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    /// A commit: the revision as the user wrote it, and the commit id it names.
    Revision { name: String, commit: String },
    /// The files as they are on disk, untracked ones included.
    WorkTree,
}

/// A side as the JSON document names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SideInfo {
    /// The revision as given (`HEAD`, `origin/main`), null for the work tree.
    pub revision: Option<String>,
    /// The full commit id, null for the work tree.
    pub commit: Option<String>,
    pub work_tree: bool,
}

impl Side {
    pub fn info(&self) -> SideInfo {
        let revision = match self {
            Side::Revision { name, .. } => Some(name.clone()),
            Side::WorkTree => None,
        };
        SideInfo {
            revision,
            commit: self.commit().map(str::to_owned),
            work_tree: *self == Side::WorkTree,
        }
    }

    /// The commit id of a revision; none for the work tree.
    fn commit(&self) -> Option<&str> {
        match self {
            Side::Revision { commit, .. } => Some(commit),
            Side::WorkTree => None,
        }
    }

    /// `HEAD (3f2a9c1d0e4b)` or `the work tree`.
    pub fn describe(&self) -> String {
        match self {
            Side::Revision { name, commit } => {
                let short = &commit[..commit.len().min(12)];
                if name == commit {
                    short.to_owned()
                } else {
                    format!("{name} ({short})")
                }
            }
            Side::WorkTree => "the work tree".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Added,
    Deleted,
    Modified,
}

/// How the matrix owner of a control for the deployment changed while it applies on
/// both sides (`customer` → `shared` when object storage comes in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerShift {
    pub control: String,
    pub old: MatrixOwner,
    pub new: MatrixOwner,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeploymentDiff {
    pub services: ListChange,
    pub zones: ListChange,
    pub residency: Option<Change<Option<String>>>,
    /// Service models brought in or no longer in use.
    pub models: ListChange,
    /// Controls in which the customer has a part for the deployment: those that start
    /// being owed (a claim is now needed) and those that stop.
    pub owed: ListChange,
    pub owner_changes: Vec<OwnerShift>,
}

impl DeploymentDiff {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryChangeKind {
    Added,
    Removed,
    Changed,
}

/// An entry as the diff shows it; fields absent from the file are null.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryView {
    pub owner: Option<String>,
    /// True for `customer`/`shared` (a claim), false for a provider's word (an
    /// acknowledgement); null without a valid owner.
    pub claim: Option<bool>,
    pub models: Option<Vec<String>>,
    pub accountable: Option<String>,
    pub implementation: Option<String>,
    pub evidence: Option<Vec<String>>,
}

impl EntryView {
    fn of(entry: &Entry) -> Self {
        let owner = entry.owner.as_ref().map(|owner| &owner.value);
        Self {
            owner: owner.map(|owner| owner.as_str().to_owned()),
            claim: owner.map(crate::input::controls::Owner::is_claim),
            models: entry.models.as_ref().map(|models| {
                models
                    .value
                    .iter()
                    .map(|model| model.value.clone())
                    .collect()
            }),
            accountable: entry.accountable.as_ref().map(|text| text.value.clone()),
            implementation: entry.implementation.as_ref().map(|text| text.value.clone()),
            evidence: entry
                .evidence
                .as_ref()
                .map(|items| items.value.iter().map(|item| item.value.clone()).collect()),
        }
    }

    /// The names of the fields that differ from `other`.
    fn changed_fields(&self, other: &EntryView) -> Vec<&'static str> {
        changed([
            ("owner", self.owner != other.owner),
            ("models", self.models != other.models),
            ("accountable", self.accountable != other.accountable),
            (
                "implementation",
                self.implementation != other.implementation,
            ),
            ("evidence", self.evidence != other.evidence),
        ])
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryDiff {
    pub control: String,
    pub change: EntryChangeKind,
    /// `owner`, `models`, `accountable`, `implementation`, `evidence`: what differs
    /// (for `changed`; empty for `added` and `removed`).
    pub fields: Vec<&'static str>,
    pub old: Option<EntryView>,
    pub new: Option<EntryView>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WaiverChangeKind {
    Added,
    Removed,
    /// A later `expires`.
    Extended,
    /// An earlier `expires`.
    Shortened,
    /// The same `expires`, another reason, approver or ticket.
    Changed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverDiff {
    pub rule: Option<String>,
    pub control: Option<String>,
    pub change: WaiverChangeKind,
    /// `expires`, `reason`, `approved_by`, `ticket`: what differs.
    pub fields: Vec<&'static str>,
    pub old: Option<WaiverView>,
    pub new: Option<WaiverView>,
}

impl WaiverDiff {
    /// `change` from `old` to `new`, no field named; named by the side that exists.
    fn whole(change: WaiverChangeKind, old: Option<WaiverView>, new: Option<WaiverView>) -> Self {
        let named = new.as_ref().or(old.as_ref());
        Self {
            rule: named.and_then(|view| view.rule.clone()),
            control: named.and_then(|view| view.control.clone()),
            change,
            fields: Vec::new(),
            old,
            new,
        }
    }
}

/// A finding as the diff lists it, at its place on the side it is found on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingView {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub message: String,
    /// The file the finding lies in when it is not the controls file (a Terraform
    /// file); `line` and `column` are in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
    pub control: Option<String>,
    pub model: Option<String>,
    pub waived: bool,
    pub fingerprint: String,
}

impl FindingView {
    fn of(diagnostic: &Diagnostic, fingerprint: &str, controls: &str) -> Self {
        Self {
            code: diagnostic.code.clone(),
            name: diagnostic.name.clone(),
            severity: diagnostic.severity,
            message: diagnostic.message.clone(),
            file: (diagnostic.file != controls).then(|| diagnostic.file.clone()),
            line: diagnostic.start.line,
            column: diagnostic.start.column,
            control: diagnostic.control.clone(),
            model: diagnostic.model.clone(),
            waived: diagnostic.is_waived(),
            fingerprint: fingerprint.to_owned(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FindingsDiff {
    /// At head, not at base (by fingerprint).
    pub introduced: Vec<FindingView>,
    /// At base, not at head.
    pub resolved: Vec<FindingView>,
    /// On both sides, waived at base and no longer at head: they fail again.
    pub unwaived: Vec<FindingView>,
    /// On both sides, active at base and waived at head.
    pub newly_waived: Vec<FindingView>,
}

impl FindingsDiff {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Active at head and not at base: what the change makes fail.
    pub fn newly_failing(&self) -> impl Iterator<Item = &FindingView> {
        self.introduced
            .iter()
            .filter(|finding| !finding.waived)
            .chain(self.unwaived.iter())
    }
}

/// Everything that changed in one controls file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDiff {
    pub path: String,
    pub status: FileStatus,
    pub deployment: DeploymentDiff,
    pub entries: Vec<EntryDiff>,
    pub waivers: Vec<WaiverDiff>,
    pub findings: FindingsDiff,
}

impl FileDiff {
    fn is_empty(&self) -> bool {
        !self.changes_ownership() && self.findings.is_empty()
    }

    /// Whether who owns what changed: the deployment, an entry or a waiver.
    pub fn changes_ownership(&self) -> bool {
        !(self.deployment.is_empty() && self.entries.is_empty() && self.waivers.is_empty())
    }
}

/// A control left uncovered by the change: an active error finding that names it,
/// new at head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub file: String,
    pub control: String,
    /// The models the findings name (empty when they name none).
    pub models: Vec<String>,
    /// The rule codes, in order.
    pub codes: Vec<String>,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnershipDiff {
    pub base: Side,
    pub head: Side,
    pub matrix: MatrixId,
    /// Files with a change, in path order.
    pub files: Vec<FileDiff>,
    /// Controls files present on either side.
    pub compared: usize,
}

impl OwnershipDiff {
    /// The gaps the change opens, file by file, control by control.
    pub fn new_gaps(&self) -> Vec<Gap> {
        let mut gaps: Vec<Gap> = Vec::new();
        for file in &self.files {
            for finding in file.findings.newly_failing() {
                if finding.severity != Severity::Error {
                    continue;
                }
                let Some(control) = &finding.control else {
                    continue;
                };
                let gap = match gaps
                    .iter_mut()
                    .find(|gap| gap.file == file.path && &gap.control == control)
                {
                    Some(gap) => gap,
                    None => {
                        gaps.push(Gap {
                            file: file.path.clone(),
                            control: control.clone(),
                            models: Vec::new(),
                            codes: Vec::new(),
                        });
                        gaps.last_mut().expect("just pushed")
                    }
                };
                if let Some(model) = &finding.model
                    && !gap.models.contains(model)
                {
                    gap.models.push(model.clone());
                }
                if !gap.codes.contains(&finding.code) {
                    gap.codes.push(finding.code.clone());
                }
            }
        }
        for gap in &mut gaps {
            gap.models.sort();
        }
        gaps
    }

    /// Active error findings the change brings, with or without a control.
    pub fn new_errors(&self) -> usize {
        let errors = self.newly_failing();
        errors
            .filter(|finding| finding.severity == Severity::Error)
            .count()
    }

    /// What the change makes fail, file by file (`FindingsDiff::newly_failing`).
    pub fn newly_failing(&self) -> impl Iterator<Item = &FindingView> {
        self.files
            .iter()
            .flat_map(|file| file.findings.newly_failing())
    }

    /// How many of the files with a change are `status`.
    pub fn files_with(&self, status: FileStatus) -> usize {
        self.files
            .iter()
            .filter(|file| file.status == status)
            .count()
    }

    /// Exit 1: the change introduces an error-level finding.
    pub fn fails(&self) -> bool {
        self.new_errors() > 0
    }
}

/// What `srmlint diff` compares.
#[derive(Debug, Clone)]
pub struct Request {
    pub base: Side,
    pub head: Side,
    /// Files and folders to compare, relative to `cwd`; empty: `cwd` itself.
    pub paths: Vec<PathBuf>,
    /// The working folder, absolute.
    pub cwd: PathBuf,
}

/// One selected path filter: a repository-relative file or folder.
#[derive(Debug, Clone)]
struct Filter {
    /// `/`-separated, relative to the top of the work tree; `""` is the top.
    path: String,
    /// What the user wrote, for messages and for the work tree's walk.
    given: PathBuf,
}

impl Filter {
    /// `Some(explicit)` when `file` is selected: named exactly (explicit), or a
    /// controls file below the folder, outside the folders a walk skips.
    fn selects(&self, file: &str) -> Option<bool> {
        if file == self.path {
            return Some(true);
        }
        let below = if self.path.is_empty() {
            file
        } else {
            file.strip_prefix(&self.path)?.strip_prefix('/')?
        };
        let mut parts: Vec<&str> = below.split('/').collect();
        let name = parts.pop()?;
        if !is_controls_file_name(name) || parts.iter().any(|part| SKIPPED_DIRS.contains(part)) {
            return None;
        }
        Some(false)
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system; `None` when it climbs
/// above its start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    Some(out)
}

/// A path on disk (relative to `cwd`, or absolute) as a path relative to the top of
/// the work tree.
fn repository_path(repository: &Repository, cwd: &Path, path: &Path) -> Option<String> {
    let absolute = normalize(&cwd.join(path))?;
    let relative = absolute.strip_prefix(&repository.root).ok()?;
    Some(fs::display_path(relative))
}

/// A repository path as output shows it: relative to the working folder, with `../`
/// when it lies outside it.
fn shown(repository: &Repository, path: &str) -> String {
    if let Some(rest) = path.strip_prefix(repository.prefix.as_str()) {
        return rest.to_owned();
    }
    let depth = repository.prefix.matches('/').count();
    format!("{}{path}", "../".repeat(depth))
}

/// Whether a controls file's bytes may hold the key `word`: written out, or spelt
/// with an escape in a quoted key (`"terr\u0061form"`).
fn may_hold(bytes: &[u8], word: &str) -> bool {
    let text = String::from_utf8_lossy(bytes);
    ["\\u", "\\U", word]
        .iter()
        .any(|needle| text.contains(needle))
}

/// The repository paths of the var files a controls file at `path` (from the top of
/// the work tree) names for its Terraform sources, where they stay inside: a var file
/// may have any name, where sources (folders, `.tf` and JSON files) have Terraform's.
fn named_var_files(matrix: &Matrix, path: &str, bytes: &[u8]) -> Vec<String> {
    if !may_hold(bytes, "var_files") {
        return Vec::new();
    }
    let Ok(text) = fs::decode(bytes.to_vec()) else {
        return Vec::new();
    };
    let Ok((file, _)) = controls::parse(&fs::without_byte_order_mark(text), matrix) else {
        return Vec::new();
    };
    let folder = Path::new(path).parent().unwrap_or(Path::new(""));
    (file.deployment.terraform_vars.iter())
        .flat_map(|vars| &vars.var_files)
        .filter(|value| !value.value.starts_with(['/', '\\']))
        .filter_map(|value| normalize(&folder.join(&value.value)))
        .map(|path| fs::display_path(&path))
        .collect()
}

/// The files of one side: repository path → where the bytes come from.
type Listing = BTreeMap<String, Source>;

#[derive(Debug, Clone)]
enum Source {
    Blob(String),
    Disk(PathBuf),
    /// A revision's link that leads out of the repository or nowhere: SRM022, why.
    Refused(String),
}

/// Compares the controls files of `request.base` and `request.head` in `repository`
/// with `checker`.
pub fn compare(
    checker: &Checker,
    repository: &Repository,
    request: &Request,
) -> Result<OwnershipDiff, Error> {
    let cwd = &request.cwd;
    let mut filters = Vec::new();
    let given: Vec<PathBuf> = if request.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        request.paths.clone()
    };
    for path in &given {
        let Some(relative) = repository_path(repository, cwd, path) else {
            return Err(Error::new(format!(
                "`{}` is outside the repository `{}`",
                escape_inline(&path.to_string_lossy()),
                escape_inline(&repository.root.to_string_lossy())
            )));
        };
        filters.push(Filter {
            path: relative,
            given: path.clone(),
        });
    }
    let select = |file: &str| -> Option<bool> {
        filters
            .iter()
            .filter_map(|filter| filter.selects(file))
            .reduce(|a, b| a || b)
    };
    let mut explicit: BTreeSet<String> = BTreeSet::new();
    // A revision's controls file that is a link is taken as `check` takes one on disk:
    // one that leads out of the repository or nowhere is SRM022; one inside is read
    // when named on the command line, and passed over by the walk.
    let mut list_tree = |tree: &[TreeFile], targets: &HashMap<String, String>| -> Listing {
        let mut listing = Listing::new();
        let blobs: HashMap<&str, &str> = (tree.iter().filter(|file| !file.link))
            .map(|file| (file.path.as_str(), file.blob.as_str()))
            .collect();
        for TreeFile { path, blob, link } in tree {
            let Some(is_explicit) = select(path) else {
                continue;
            };
            let source = match snapshot::follow(path, targets) {
                _ if !link => Source::Blob(blob.clone()),
                // Worded as the work tree's read says it.
                None => Source::Refused(format!("the path {}", resolve::through_link(path))),
                Some(found) => match blobs.get(found.as_str()) {
                    Some(blob) if is_explicit => Source::Blob((*blob).to_owned()),
                    Some(_) => continue,
                    None => Source::Refused("the path does not exist".to_owned()),
                },
            };
            if is_explicit {
                explicit.insert(path.clone());
            }
            listing.insert(path.clone(), source);
        }
        listing
    };
    let base_commit = request.base.commit().unwrap_or_default();
    let head_commit = request.head.commit();
    let base_tree = match &request.base {
        Side::Revision { commit, .. } => repository.tree(commit)?,
        Side::WorkTree => return Err(Error::new("the base of a diff must be a revision")),
    };
    let head_tree = head_commit
        .map(|commit| repository.tree(commit))
        .transpose()?;
    let base_targets = snapshot::link_targets(repository, &base_tree)?;
    let head_targets = match &head_tree {
        Some(tree) => snapshot::link_targets(repository, tree)?,
        None => HashMap::new(),
    };
    let base = list_tree(&base_tree, &base_targets);
    let head = match &head_tree {
        Some(tree) => list_tree(tree, &head_targets),
        None => {
            // What `check` would find: a walk of each path that exists on disk.
            let existing: Vec<PathBuf> = filters
                .iter()
                .map(|filter| cwd.join(&filter.given))
                .filter(|path| path.symlink_metadata().is_ok())
                .collect();
            let mut listing = Listing::new();
            if !existing.is_empty() {
                let discovery = discover::discover_each(&existing, &mut |_| {});
                for candidate in discovery.candidates {
                    let Some(path) = repository_path(repository, cwd, &candidate.path) else {
                        continue;
                    };
                    if existing.contains(&candidate.path) {
                        explicit.insert(path.clone());
                    }
                    listing.insert(path, Source::Disk(candidate.path));
                }
            }
            listing
        }
    };
    for filter in &filters {
        let on_disk = cwd.join(&filter.given).symlink_metadata().is_ok();
        let in_a_tree = [&base, &head].iter().any(|listing| {
            listing.keys().any(|path| {
                filter.path.is_empty()
                    || path == &filter.path
                    || path.starts_with(&format!("{}/", filter.path))
            })
        });
        if !on_disk && !in_a_tree {
            return Err(Error::new(format!(
                "`{}` exists neither in the work tree nor at {}",
                escape_inline(&filter.given.to_string_lossy()),
                escape_inline(&request.base.describe())
            )));
        }
    }
    let paths: BTreeSet<&String> = base.keys().chain(head.keys()).collect();
    let compared = paths.len();
    // Bytes of every blob that is needed: both sides of a path whose blobs differ, a
    // base blob to compare with a work-tree file, and the one side of an added or
    // deleted file. One git process reads them all.
    let mut wanted: Vec<&str> = Vec::new();
    for path in &paths {
        match (base.get(*path), head.get(*path)) {
            (Some(Source::Blob(a)), Some(Source::Blob(b))) if a == b => {}
            (a, b) => {
                for source in [a, b].into_iter().flatten() {
                    if let Source::Blob(blob) = source {
                        wanted.push(blob);
                    }
                }
            }
        }
    }
    // Each side's Terraform is read as it is at that side. When a file a source may
    // read changed, a controls file whose bytes did not is still judged on both
    // sides, if it has Terraform sources (or `--terraform` gives it some).
    let changed = repository.changed_paths(base_commit, head_commit)?;
    let others: Vec<&String> = (changed.iter())
        .filter(|path| !base.contains_key(*path) && !head.contains_key(*path))
        .collect();
    let command_line_terraform = !checker.settings.terraform.is_empty();
    // By its bytes (`may_hold`): a file that cannot name Terraform is not judged again.
    let names_terraform = |bytes: Option<&[u8]>| {
        command_line_terraform || bytes.is_some_and(|bytes| may_hold(bytes, "terraform"))
    };
    // Another file changed: it may be one a controls file names (a var file of any
    // name), so every controls file is read to find out.
    if !others.is_empty() {
        for path in &paths {
            for source in [base.get(*path), head.get(*path)].into_iter().flatten() {
                if let Source::Blob(blob) = source {
                    wanted.push(blob);
                }
            }
        }
    }
    wanted.sort_unstable();
    wanted.dedup();
    let contents: HashMap<&str, Vec<u8>> = wanted
        .iter()
        .copied()
        .zip(repository.read_blobs(&wanted)?)
        .collect();
    // What the command line names, and, for a controls file the same on both sides,
    // what it names: a change to any of these, to a Terraform file or to a link is a
    // change to the Terraform a source reads.
    let command_line_named: Vec<String> = (checker.settings.terraform.iter())
        .chain(
            checker
                .settings
                .terraform_vars
                .inputs
                .iter()
                .filter_map(|input| match input {
                    VarInput::File { path: Ok(path), .. } => Some(path),
                    _ => None,
                }),
        )
        .filter_map(|path| repository_path(repository, cwd, path))
        .collect();
    let named_by = |files: &[(String, &[u8])]| -> Vec<String> {
        let named =
            (files.iter()).flat_map(|(path, bytes)| named_var_files(&checker.matrix, path, bytes));
        command_line_named.iter().cloned().chain(named).collect()
    };
    let terraform_changed = !others.is_empty() && {
        // A file that changed is judged on both sides anyway: what matters is what the
        // others name, the same at base as at head.
        let at_base: Vec<(String, &[u8])> = (paths.iter())
            .filter_map(|path| match base.get(*path) {
                Some(Source::Blob(blob)) => {
                    Some(((*path).clone(), contents.get(blob.as_str())?.as_slice()))
                }
                _ => None,
            })
            .collect();
        let named = named_by(&at_base);
        let base_paths = snapshot::terraform_paths(&base_tree, &base_targets, &named);
        let head_paths = (head_tree.as_deref())
            .map(|tree| snapshot::terraform_paths(tree, &head_targets, &named))
            .unwrap_or_default();
        let is_link_on_disk = |path: &str| {
            head_tree.is_none()
                && (repository.root.join(path).symlink_metadata())
                    .is_ok_and(|metadata| metadata.file_type().is_symlink())
        };
        others.iter().any(|path| {
            snapshot::is_terraform_file(path)
                || base_paths.contains(*path)
                || head_paths.contains(*path)
                || named.contains(*path)
                || is_link_on_disk(path)
        })
    };
    let bytes_of = |source: &Source| -> Option<Vec<u8>> {
        match source {
            Source::Blob(blob) => contents.get(blob.as_str()).cloned(),
            Source::Disk(_) | Source::Refused(_) => None,
        }
    };
    let mut base_files = Vec::new();
    let mut head_files = Vec::new();
    for path in &paths {
        let (old, new) = (base.get(*path), head.get(*path));
        if let (Some(Source::Blob(a)), Some(Source::Blob(b))) = (old, new)
            && a == b
            && !(terraform_changed && names_terraform(contents.get(a.as_str()).map(Vec::as_slice)))
        {
            continue;
        }
        if let (Some(Source::Refused(a)), Some(Source::Refused(b))) = (old, new)
            && a == b
        {
            continue;
        }
        // A work-tree file compared with its blob is read once: the bytes compared are
        // the bytes checked.
        let mut read_on_disk = None;
        if let (Some(Source::Blob(blob)), Some(Source::Disk(disk))) = (old, new) {
            // Confined to the repository: a work-tree file committed as a link out
            // of it is never read.
            let on_disk =
                fs::read_confined(&repository.root, &cwd.join(disk), fs::MAX_FILE_BYTES + 1).ok();
            if on_disk.is_some()
                && on_disk.as_deref() == contents.get(blob.as_str()).map(Vec::as_slice)
                && !(terraform_changed && names_terraform(on_disk.as_deref()))
            {
                continue;
            }
            read_on_disk = on_disk;
        }
        let supplied = |source: &Source, bytes: Option<Vec<u8>>| Supplied {
            path: match source {
                Source::Disk(disk) => cwd.join(disk),
                Source::Blob(_) | Source::Refused(_) => repository.root.join(path.as_str()),
            },
            refused: match source {
                Source::Refused(why) => Some(why.clone()),
                _ => None,
            },
            display: shown(repository, path),
            bytes: bytes.or_else(|| bytes_of(source)),
            explicit: explicit.contains(path.as_str()),
            terraform_root: None,
        };
        base_files.extend(old.map(|source| supplied(source, None)));
        head_files.extend(new.map(|source| supplied(source, read_on_disk)));
    }
    // A revision side with Terraform to read gets its snapshot (kept until both
    // sides are checked).
    let needs_snapshot = |files: &[Supplied]| {
        files
            .iter()
            .any(|file| names_terraform(file.bytes.as_deref()))
    };
    // What the files of a side name is written out with the side's Terraform.
    let snapshot_of = |files: &[Supplied], tree: &[TreeFile], targets| {
        let read: Vec<(String, &[u8])> = (files.iter())
            .filter_map(|file| {
                let path = repository_path(repository, cwd, &file.path)?;
                Some((path, file.bytes.as_deref()?))
            })
            .collect();
        Snapshot::of(repository, tree, targets, &named_by(&read))
    };
    let base_snapshot = if needs_snapshot(&base_files) {
        Some(snapshot_of(&base_files, &base_tree, &base_targets)?)
    } else {
        None
    };
    let head_snapshot = match &head_tree {
        Some(tree) if needs_snapshot(&head_files) => {
            Some(snapshot_of(&head_files, tree, &head_targets)?)
        }
        _ => None,
    };
    for (files, snapshot) in [
        (&mut base_files, &base_snapshot),
        (&mut head_files, &head_snapshot),
    ] {
        if let Some(snapshot) = snapshot {
            for file in files.iter_mut().filter(|file| file.bytes.is_some()) {
                file.terraform_root = Some(snapshot.root.clone());
            }
        }
    }
    let base_report = checker.check_supplied(&base_files)?;
    let head_report = checker.check_supplied(&head_files)?;
    let (base_prints, head_prints) = (
        base_report.fingerprints_by_file(),
        head_report.fingerprints_by_file(),
    );
    let base_side = side_reports(&base_report, &base_prints);
    let head_side = side_reports(&head_report, &head_prints);
    let displays: BTreeSet<&str> = base_side.keys().chain(head_side.keys()).copied().collect();
    let mut files = Vec::new();
    for display in displays {
        let old = base_side.get(display);
        let new = head_side.get(display);
        let status = match (old, new) {
            (None, Some(_)) => FileStatus::Added,
            (Some(_), None) => FileStatus::Deleted,
            _ => FileStatus::Modified,
        };
        let [old_file, new_file] =
            [old, new].map(|side| side.and_then(|side| side.report.file.as_deref()));
        let diff = FileDiff {
            path: display.to_owned(),
            status,
            deployment: deployment_diff(&checker.matrix, old_file, new_file),
            entries: entry_diffs(old_file, new_file),
            waivers: waiver_diffs(old_file, new_file),
            findings: findings_diff(old, new),
        };
        if status != FileStatus::Modified || !diff.is_empty() {
            files.push(diff);
        }
    }
    Ok(OwnershipDiff {
        base: request.base.clone(),
        head: request.head.clone(),
        matrix: MatrixId::of(&checker.matrix),
        files,
        compared,
    })
}

/// One side's reports by path, each with its findings' fingerprints.
type SideReports<'a> = BTreeMap<&'a str, SideFile<'a>>;

struct SideFile<'a> {
    report: &'a FileReport,
    fingerprints: &'a [String],
}

/// `by_file` are the fingerprints of `report`'s files, as SARIF gives them; they
/// depend only on each file's own findings, so a diff and a whole-run check agree.
fn side_reports<'a>(report: &'a RunReport, by_file: &'a [Vec<String>]) -> SideReports<'a> {
    report
        .files
        .iter()
        .zip(by_file)
        .map(|(file, fingerprints)| {
            (
                file.path.as_str(),
                SideFile {
                    report: file,
                    fingerprints,
                },
            )
        })
        .collect()
}

/// The controls owed and the owner of each applicable control, for one deployment.
fn obligations(
    matrix: &Matrix,
    file: Option<&ControlsFile>,
) -> (DeploymentScope, BTreeMap<String, (bool, MatrixOwner)>) {
    let Some(file) = file else {
        return (DeploymentScope::default(), BTreeMap::new());
    };
    let scope = DeploymentScope::of(matrix, file.deployment.service_list());
    let mut controls = BTreeMap::new();
    for control in &matrix.controls {
        let Some(owner) = matrix.owner_over(control, scope.model_ids(), &scope.services) else {
            continue;
        };
        let owed = scope.model_ids().any(|model| {
            matrix
                .effective_parts(control, model, &scope.services)
                .customer
                .is_some()
        });
        controls.insert(control.id.clone(), (owed, owner));
    }
    (scope, controls)
}

fn deployment_diff(
    matrix: &Matrix,
    old: Option<&ControlsFile>,
    new: Option<&ControlsFile>,
) -> DeploymentDiff {
    let services: fn(&ControlsFile) -> &[Sp<String>] = |file| file.deployment.service_list();
    let zones: fn(&ControlsFile) -> &[Sp<String>] = |file| &file.deployment.zones;
    let residency = |file: Option<&ControlsFile>| {
        file.and_then(|file| file.deployment.residency.as_ref())
            .map(|residency| residency.value.clone())
    };
    let (old_scope, old_controls) = obligations(matrix, old);
    let (new_scope, new_controls) = obligations(matrix, new);
    // In matrix order, so the lists read like `srmlint matrix`.
    let owed_in = |controls: &BTreeMap<String, (bool, MatrixOwner)>| -> Vec<&str> {
        matrix
            .control_ids()
            .filter(|id| controls.get(*id).is_some_and(|(owed, _)| *owed))
            .collect()
    };
    let owner_changes = matrix
        .control_ids()
        .filter_map(|id| {
            let (_, old) = old_controls.get(id)?;
            let (_, new) = new_controls.get(id)?;
            (old != new).then(|| OwnerShift {
                control: id.to_owned(),
                old: *old,
                new: *new,
            })
        })
        .collect();
    DeploymentDiff {
        services: ListChange::of(listed(old, services), listed(new, services)),
        zones: ListChange::of(listed(old, zones), listed(new, zones)),
        residency: Change::of(residency(old), residency(new)),
        models: ListChange::of(old_scope.model_ids(), new_scope.model_ids()),
        owed: ListChange::of(owed_in(&old_controls), owed_in(&new_controls)),
        owner_changes,
    }
}

/// What `pick` lists of a side's file (services, zones) as written; nothing without one.
fn listed(
    file: Option<&ControlsFile>,
    pick: fn(&ControlsFile) -> &[Sp<String>],
) -> impl Iterator<Item = &str> {
    file.map_or(&[][..], pick)
        .iter()
        .map(|item| item.value.as_str())
}

fn entry_diffs(old: Option<&ControlsFile>, new: Option<&ControlsFile>) -> Vec<EntryDiff> {
    let entries = |file: Option<&ControlsFile>| -> Vec<(String, EntryView)> {
        file.map(|file| {
            file.entries
                .iter()
                .map(|entry| (entry.control.value.clone(), EntryView::of(entry)))
                .collect()
        })
        .unwrap_or_default()
    };
    let (before, after) = (entries(old), entries(new));
    let mut diffs = Vec::new();
    for (control, view) in &after {
        let was = before
            .iter()
            .find(|(id, _)| id == control)
            .map(|(_, was)| was);
        let (change, fields) = match was {
            None => (EntryChangeKind::Added, Vec::new()),
            Some(was) => (EntryChangeKind::Changed, was.changed_fields(view)),
        };
        if was.is_none() || !fields.is_empty() {
            diffs.push(EntryDiff {
                control: control.clone(),
                change,
                fields,
                old: was.cloned(),
                new: Some(view.clone()),
            });
        }
    }
    for (control, view) in &before {
        if !after.iter().any(|(id, _)| id == control) {
            diffs.push(EntryDiff {
                control: control.clone(),
                change: EntryChangeKind::Removed,
                fields: Vec::new(),
                old: Some(view.clone()),
                new: None,
            });
        }
    }
    diffs.sort_by(|a, b| a.control.cmp(&b.control));
    diffs
}

fn waiver_diffs(old: Option<&ControlsFile>, new: Option<&ControlsFile>) -> Vec<WaiverDiff> {
    let waivers = |file: Option<&ControlsFile>| -> Vec<WaiverView> {
        file.map(|file| file.waivers.iter().map(WaiverView::of).collect())
            .unwrap_or_default()
    };
    let (before, mut after): (Vec<WaiverView>, Vec<Option<WaiverView>>) =
        (waivers(old), waivers(new).into_iter().map(Some).collect());
    let mut diffs = Vec::new();
    for was in before {
        // A waiver is the same waiver when it waives the same rule for the same
        // control; several such are paired in file order.
        let partner = after.iter_mut().find(|candidate| {
            candidate
                .as_ref()
                .is_some_and(|is| is.rule == was.rule && is.control == was.control)
        });
        match partner.and_then(Option::take) {
            None => diffs.push(WaiverDiff::whole(
                WaiverChangeKind::Removed,
                Some(was),
                None,
            )),
            Some(is) => {
                let fields = changed([
                    ("expires", was.expires != is.expires),
                    ("reason", was.reason != is.reason),
                    ("approved_by", was.approved_by != is.approved_by),
                    ("ticket", was.ticket != is.ticket),
                ]);
                if fields.is_empty() {
                    continue;
                }
                // Dates are YYYY-MM-DD, so text order is date order.
                let change = match (&was.expires, &is.expires) {
                    (Some(a), Some(b)) if b > a => WaiverChangeKind::Extended,
                    (None, Some(_)) => WaiverChangeKind::Extended,
                    (Some(a), Some(b)) if b < a => WaiverChangeKind::Shortened,
                    (Some(_), None) => WaiverChangeKind::Shortened,
                    _ => WaiverChangeKind::Changed,
                };
                diffs.push(WaiverDiff {
                    fields,
                    ..WaiverDiff::whole(change, Some(was), Some(is))
                });
            }
        }
    }
    for is in after.into_iter().flatten() {
        diffs.push(WaiverDiff::whole(WaiverChangeKind::Added, None, Some(is)));
    }
    diffs
}

fn findings_diff(old: Option<&SideFile<'_>>, new: Option<&SideFile<'_>>) -> FindingsDiff {
    let views = |side: Option<&SideFile<'_>>| -> Vec<FindingView> {
        side.map(|side| {
            side.report
                .diagnostics
                .iter()
                .zip(side.fingerprints)
                .map(|(diagnostic, fingerprint)| {
                    FindingView::of(diagnostic, fingerprint, &side.report.path)
                })
                .collect()
        })
        .unwrap_or_default()
    };
    let (before, after) = (views(old), views(new));
    let index = |findings: &[FindingView]| -> HashMap<String, bool> {
        findings
            .iter()
            .map(|finding| (finding.fingerprint.clone(), finding.waived))
            .collect()
    };
    let (was, is) = (index(&before), index(&after));
    let mut diff = FindingsDiff::default();
    for finding in after {
        match was.get(&finding.fingerprint) {
            None => diff.introduced.push(finding),
            Some(true) if !finding.waived => diff.unwaived.push(finding),
            Some(false) if finding.waived => diff.newly_waived.push(finding),
            Some(_) => {}
        }
    }
    for finding in before {
        if !is.contains_key(&finding.fingerprint) {
            diff.resolved.push(finding);
        }
    }
    diff
}

/// The names of the fields that differ, in the order given.
fn changed<const N: usize>(fields: [(&'static str, bool); N]) -> Vec<&'static str> {
    let differ = fields.into_iter().filter(|(_, differs)| *differs);
    differ.map(|(name, _)| name).collect()
}
