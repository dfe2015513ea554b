//! Reading a controls file's Terraform sources: its `terraform = [...]` values, confined
//! to its repository, then the `--terraform` paths, each read once a run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::data::matrix::Matrix;
use crate::input::controls::ControlsFile;
use crate::input::terraform::{
    Anchor, Inventory, Located, Origin, Source, VarSettings, confine, declared_settings,
    moved_into, read, resolve_declared, shown_join,
};
use crate::text::fs::{self, RepoRoots};

/// Repository roots held open at once for reading Terraform folders below them: far
/// below any limit on open files.
const MAX_HELD_ANCHORS: usize = 16;

/// A source read: its canonical path, repository root, shown path and variables.
type CacheKey = (PathBuf, PathBuf, String, VarSettings);

/// The Terraform sources of controls files, read once a run where they can be: the
/// `--terraform` sources already read, by (canonical path, repository root, shown
/// path), shared by the checkers of every configuration.
#[derive(Debug, Default)]
pub struct SourceCache {
    read: Mutex<HashMap<CacheKey, Arc<Inventory>>>,
    /// Folders found free of symbolic links while confining declared sources.
    plain_folders: fs::PlainFolders,
    /// Each repository root held open, to open declared folders below it (`None`
    /// where it cannot be).
    anchors: Mutex<HashMap<PathBuf, Option<Arc<Anchor>>>>,
    /// The `--terraform` paths as given, and where each lies: worked out once per run,
    /// not again for every controls file.
    command_line: Mutex<Option<ResolvedCommandLine>>,
}

/// The `--terraform` paths as given and the revision they were moved to, and each
/// resolved.
type ResolvedCommandLine = (CommandLineKey, Arc<[CommandLineSource]>);
type CommandLineKey = (Vec<PathBuf>, Option<(PathBuf, PathBuf)>);

/// A repository root and the folder that stands for it, where a revision's
/// Terraform is written out (`srmlint diff`).
pub type Revision<'a> = (&'a Path, &'a Path);

/// A `--terraform` path: as output shows it, resolved, and the repository it is
/// confined to (its own).
#[derive(Debug)]
struct CommandLineSource {
    shown: String,
    /// Where it lies, or why it is not read (a revision's link that leads out).
    path: Result<PathBuf, String>,
    root: PathBuf,
    /// The command line's var files (confined to `root`) and workspace.
    vars: VarSettings,
}

impl SourceCache {
    /// The source at `path`, read once. The lock is not held while reading, so files
    /// with sources of their own are read in parallel.
    fn get(
        &self,
        path: &Path,
        shown: &str,
        repo_root: &Path,
        matrix: &Matrix,
        vars: &VarSettings,
    ) -> Result<Arc<Inventory>, String> {
        let key = (
            path.to_path_buf(),
            repo_root.to_path_buf(),
            shown.to_owned(),
            vars.clone(),
        );
        let lock = || self.read.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = lock().get(&key) {
            return Ok(known.clone());
        }
        let located = Located::at(path.to_path_buf());
        let inventory = Arc::new(read(located, shown, repo_root, &matrix.terraform, vars)?);
        lock().insert(key, inventory.clone());
        Ok(inventory)
    }

    /// Where each of the `--terraform` paths `given` lies, worked out the first time.
    /// With a `revision`, a path inside its repository (and each var file) is read
    /// where the revision's Terraform is written out, confined to it like a declared
    /// source: a link in a revision never leads out of the repository.
    fn command_line(
        &self,
        given: &[PathBuf],
        vars: &VarSettings,
        revision: Option<Revision<'_>>,
    ) -> Arc<[CommandLineSource]> {
        let mut known = self
            .command_line
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let key = (
            given.to_vec(),
            revision.map(|(from, to)| (from.to_path_buf(), to.to_path_buf())),
        );
        if let Some((known_key, sources)) = known.as_ref()
            && *known_key == key
        {
            return sources.clone();
        }
        let mut roots = RepoRoots::default();
        let sources: Arc<[CommandLineSource]> = given
            .iter()
            .map(|given| {
                let absolute = fs::absolute(given);
                let moved = revision
                    .and_then(|(from, to)| Some((moved_into(&absolute, from, to)?, from, to)));
                let (path, root, vars) = match moved {
                    Some((path, from, to)) => {
                        (confine(to, &path), to.to_path_buf(), vars.moved(from, to))
                    }
                    None => {
                        let path = absolute.canonicalize().unwrap_or(absolute);
                        // A command-line source is confined to its own repository;
                        // its var files are the user's own choice, wherever they lie.
                        let folder = fs::dir_of(&path);
                        let root = roots.root_of(&folder).unwrap_or(folder);
                        (Ok(path), root, vars.clone())
                    }
                };
                CommandLineSource {
                    shown: fs::display_path(given),
                    path,
                    root,
                    vars,
                }
            })
            .collect();
        *known = Some((key, sources.clone()));
        sources
    }

    /// The repository root `root` held open, opened the first time it is asked for.
    /// Only the first `MAX_HELD_ANCHORS` roots stay open for the run; a tree of
    /// many more (controls files outside any repository are each their own root)
    /// opens the rest for one file at a time, so the run never holds more
    /// descriptors than the limit allows.
    fn anchor(&self, root: &Path) -> Option<Arc<Anchor>> {
        let mut anchors = self.anchors.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = anchors.get(root) {
            return known.clone();
        }
        let anchor = Anchor::open(root).map(Arc::new);
        if anchors.len() < MAX_HELD_ANCHORS {
            anchors.insert(root.to_path_buf(), anchor.clone());
        }
        anchor
    }

    /// Every Terraform source of a file, read (or taken from the cache): its
    /// `terraform = [...]` values, confined to its repository, then `--terraform`
    /// paths (with a `revision`, those inside its repository read from it). A source
    /// named twice with the same var files and workspace is read once; with others (one
    /// var file per environment), it is another evaluation.
    pub fn sources(
        &self,
        file: &ControlsFile,
        display_path: &str,
        (file_dir, repo_root): (&Path, &Path),
        matrix: &Matrix,
        (command_line, command_line_vars): (&[PathBuf], &VarSettings),
        revision: Option<Revision<'_>>,
    ) -> Vec<Source> {
        let mut sources = Vec::new();
        let mut seen = Vec::new();
        let shown_dir = fs::display_path(fs::folder_of(Path::new(display_path)));
        let anchor = if file.deployment.terraform.is_empty() {
            None
        } else {
            self.anchor(repo_root)
        };
        for (index, value) in file.deployment.terraform.iter().enumerate() {
            let shown = shown_join(&shown_dir, &value.value);
            let vars = file
                .deployment
                .terraform_vars
                .get(index)
                .map(|vars| {
                    declared_settings(
                        file_dir,
                        &shown_dir,
                        repo_root,
                        &vars.var_files,
                        vars.workspace.as_ref(),
                    )
                })
                .unwrap_or_default();
            let read = match resolve_declared(
                file_dir,
                repo_root,
                &value.value,
                &self.plain_folders,
                anchor.as_deref(),
            ) {
                // Named twice (also as `./x` and `x`): read and judged once.
                Ok(located)
                    if seen
                        .iter()
                        .any(|(path, known)| *path == located.path && *known == vars) =>
                {
                    continue;
                }
                // Read directly: a folder a controls file names is rarely named by
                // another, and keeping every one in the cache costs more than it saves.
                Ok(located) => {
                    seen.push((located.path.clone(), vars.clone()));
                    read(located, &shown, repo_root, &matrix.terraform, &vars).map(Arc::new)
                }
                Err(why) => Err(why),
            };
            sources.push(Source {
                origin: Origin::Declared(value.clone()),
                read,
            });
        }
        if command_line.is_empty() {
            return sources;
        }
        let command_line = self.command_line(command_line, command_line_vars, revision);
        for source in command_line.iter() {
            if let Ok(path) = &source.path {
                let key = (path.clone(), source.vars.clone());
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
            }
            let read = (source.path.clone()).and_then(|path| {
                self.get(&path, &source.shown, &source.root, matrix, &source.vars)
            });
            sources.push(Source {
                origin: Origin::CommandLine(source.shown.clone()),
                read,
            });
        }
        sources
    }
}
