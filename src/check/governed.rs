//! Each file checked under the `.srmlint.toml` that governs it: the worker threads
//! share one cache, so each configuration is found and loaded once, the first time a
//! file under it comes by.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use super::{Checker, FileReport, Keep, LoadSettings};
use crate::diag::Error;
use crate::input::config::ConfigFinder;
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
    failure: Mutex<Option<Error>>,
}

#[derive(Default)]
struct GovernedCache {
    finder: ConfigFinder,
    checkers: HashMap<Option<PathBuf>, Option<Arc<Checker>>>,
}

impl<'a> Governed<'a> {
    pub(super) fn new(run: &'a Checker, explicit: &'a [PathBuf], keep: Keep) -> Self {
        Self {
            run,
            explicit,
            keep,
            cache: Mutex::default(),
            failure: Mutex::new(None),
        }
    }

    /// The report of one file, or `None` when its configuration excludes it (files
    /// named on the command line are always checked) or cannot be loaded.
    pub(super) fn check(&self, candidate: &Candidate, base: &EvidenceBase) -> Option<FileReport> {
        let own = self.checker_for(&candidate.path)?;
        let checker = own.as_deref().unwrap_or(self.run);
        let is_explicit = self.explicit.contains(&candidate.path);
        if !is_explicit && !checker.config.keeps_file(&candidate.path) {
            return None;
        }
        let report = checker.check_path(&candidate.path, &candidate.display, base);
        Some(self.keep.apply(report))
    }

    fn checker_for(&self, path: &Path) -> Option<Option<Arc<Checker>>> {
        let folder = fs::folder_of(path).to_path_buf();
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let GovernedCache { finder, checkers } = &mut *cache;
        let nearest = finder.find(&folder);
        if let Some(own) = checkers.get(&nearest) {
            return Some(own.clone());
        }
        let own = if nearest == self.run.config.path {
            None
        } else {
            let settings = LoadSettings {
                config_dir: Some(folder),
                today: Some(self.run.today),
                ..self.run.settings.clone()
            };
            match Checker::load_with(self.run.matrix.clone(), &settings) {
                Ok(mut checker) => {
                    checker.terraform_cache = self.run.terraform_cache.clone();
                    Some(Arc::new(checker))
                }
                Err(error) => {
                    *self.failure.lock().unwrap_or_else(PoisonError::into_inner) = Some(error);
                    return None;
                }
            }
        };
        checkers.insert(nearest, own.clone());
        Some(own)
    }

    /// The first configuration that could not be loaded fails the run.
    pub(super) fn finish(self) -> Result<(), Error> {
        match self
            .failure
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
        {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}
