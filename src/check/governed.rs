//! Each file checked under the `.srmlint.toml` that governs it: the worker threads
//! share one cache, so each configuration is found and loaded once, the first time a
//! file under it comes by.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use foldhash::HashMap;

use super::{Checker, Excluded, FileReport, Keep, LoadSettings};
use crate::diag::Error;
use crate::input::config::{self, ConfigFinder, FolderSeen};
use crate::input::controls;
use crate::input::discover::Candidate;
use crate::rules::evidence::EvidenceBase;
use crate::text::fs;

/// Checks each file under the `.srmlint.toml` nearest to it, shared by the worker
/// threads: each configuration is found and loaded once, the first time a file under
/// it comes by. `None` in the cache stands for the run's own checker.
pub(super) struct Governed<'a> {
    run: &'a Checker,
    explicit: &'a [PathBuf],
    keep: Keep,
    cache: Mutex<GovernedCache>,
    failures: Mutex<Vec<Error>>,
    excluded: Mutex<Vec<Excluded>>,
}

/// The checker of a chain of configuration files: `None` for the run's own, `Err`
/// for a chain that could not be loaded (tried once).
type Loaded = Result<Option<Arc<Checker>>, ()>;

#[derive(Default)]
struct GovernedCache {
    finder: ConfigFinder,
    /// Keyed by the chain of configuration files that governs a folder.
    checkers: HashMap<Arc<[PathBuf]>, Loaded>,
    /// Each repository root with its symbolic links resolved, for evidence paths.
    canonical_roots: HashMap<Arc<Path>, Arc<Path>>,
}

impl<'a> Governed<'a> {
    pub(super) fn new(run: &'a Checker, explicit: &'a [PathBuf], keep: Keep) -> Self {
        Self {
            run,
            explicit,
            keep,
            cache: Mutex::default(),
            failures: Mutex::default(),
            excluded: Mutex::default(),
        }
    }

    /// The report of one file, or `None` when its configuration excludes it (files
    /// named on the command line are always checked) or cannot be loaded.
    pub(super) fn check(&self, candidate: &Candidate) -> Option<FileReport> {
        let is_explicit = self.explicit.contains(&candidate.path);
        self.check_at(
            &candidate.path,
            &candidate.display,
            is_explicit,
            candidate.folder,
            |checker, base| {
                let read = if let Some(refused) = &candidate.refused {
                    Err(refused.clone())
                } else if candidate.listed_file {
                    controls::read_listed(&candidate.path)
                } else {
                    controls::read(&candidate.path)
                };
                checker.check_read(read, &candidate.display, base)
            },
        )
    }

    /// `check` for a file that lies (or would lie) at `path`, shown as `display`, its
    /// report made by `report` with the checker of the configuration that governs
    /// `path` and the base its evidence resolves from; `seen` is what a walk saw in
    /// the file's folder. `explicit` files are kept whatever `include`/`exclude` say,
    /// and a file left out is recorded with the setting that leaves it out.
    pub(super) fn check_at(
        &self,
        path: &Path,
        display: &str,
        explicit: bool,
        seen: Option<FolderSeen>,
        report: impl FnOnce(&Checker, &EvidenceBase) -> FileReport,
    ) -> Option<FileReport> {
        let (own, base) = self.checker_for(path, seen)?;
        let checker = own.as_deref().unwrap_or(self.run);
        if !explicit && let Err(setting) = checker.config.keeps_file(path) {
            let origin = match setting {
                "include" => checker.config.include.origin.clone(),
                _ => checker.config.exclude.origin.clone(),
            };
            self.excluded
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Excluded {
                    file: display.to_owned(),
                    setting,
                    origin,
                });
            return None;
        }
        let mut report = report(checker, &base);
        if let Some(finish) = self.run.finish {
            finish(&mut report, &checker.matrix);
        }
        Some(self.keep.apply(report))
    }

    /// The checker of the configuration that governs the file at `path` (`None`: the
    /// run's own) and the base its evidence resolves from, both from one look at its
    /// folder; `None` when that configuration cannot be loaded.
    fn checker_for(
        &self,
        path: &Path,
        seen: Option<FolderSeen>,
    ) -> Option<(Option<Arc<Checker>>, EvidenceBase)> {
        let folder = fs::folder_of(path).to_path_buf();
        let file_dir = fs::absolute(&folder);
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let GovernedCache {
            finder,
            checkers,
            canonical_roots,
        } = &mut *cache;
        let facts = finder.facts_seen(&file_dir, seen);
        let canonical_root = facts.root.as_ref().map(|root| {
            canonical_roots
                .entry(root.clone())
                .or_insert_with(|| Arc::from(fs::canonical(root)))
                .clone()
        });
        let base = EvidenceBase {
            repo_root: facts.root.as_deref().unwrap_or(&file_dir).to_path_buf(),
            file_dir,
            canonical_root,
        };
        let chain = config::with_buffers(&facts, &base.file_dir, &self.run.overlay);
        if let Some(own) = checkers.get(&chain) {
            return Some((own.clone().ok()?, base));
        }
        let own = if *chain == *self.run.config.files {
            None
        } else {
            let settings = LoadSettings {
                config_dir: Some(folder),
                today: Some(self.run.today),
                ..self.run.settings.clone()
            };
            match Checker::load_overlaid(self.run.matrix.clone(), &settings, &self.run.overlay) {
                Ok(mut checker) => {
                    checker.terraform_cache = self.run.terraform_cache.clone();
                    Some(Arc::new(checker))
                }
                Err(error) => {
                    let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
                    failures.push(error);
                    checkers.insert(chain, Err(()));
                    return None;
                }
            }
        };
        checkers.insert(chain, Ok(own.clone()));
        Some((own, base))
    }

    /// The files left out, and each configuration (or policy it names) that could not
    /// be loaded, once, in path order: the files it governs were not checked.
    pub(super) fn finish(self) -> (Vec<Excluded>, Vec<Error>) {
        let mut failures = (self.failures.into_inner()).unwrap_or_else(PoisonError::into_inner);
        failures.sort_by_cached_key(|error| (error.path.clone(), error.to_string()));
        failures.dedup_by(|a, b| a.path == b.path && a.to_string() == b.to_string());
        let mut excluded = self
            .excluded
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        excluded.sort_by(|a, b| a.file.cmp(&b.file));
        (excluded, failures)
    }
}
