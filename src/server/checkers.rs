//! The checkers of the configurations that govern open documents, kept between
//! checks: loading one (the configuration chain, the baseline and every policy) costs
//! several times what checking a file does, and a person typing asks for a check
//! every few hundred milliseconds.
//!
//! A checker is used again only while everything it was loaded from is as it was:
//! the same configuration files (their size and modification time on disk, or the
//! text of their open buffer), the same day, and for at most `MAX_AGE`. A saved file
//! or a change the client reports on disk (`didSave`, `didChangeWatchedFiles`) drops
//! them all, since a policy file may be what changed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use crate::check::{Checker, LoadSettings};
use crate::data::matrix::Matrix;
use crate::diag::Error;
use crate::input::config::{ConfigFinder, Overlay};
use crate::text::date::Date;
use crate::text::fs;

/// How long a checker is used before it is loaded again from the files.
const MAX_AGE: Duration = Duration::from_secs(30);

/// Configurations kept at once: far more than the folders a person edits in.
const MAX_KEPT: usize = 16;

/// What a checker was loaded from: each configuration file of the chain with its
/// stand-in text or its size and time on disk, and the day.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    chain: Vec<(PathBuf, Source)>,
    today: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Buffer(String),
    Disk(Option<(u64, SystemTime)>),
}

#[derive(Debug)]
struct Entry {
    key: Key,
    loaded: Instant,
    checker: Result<Arc<Checker>, Error>,
}

#[derive(Debug, Default)]
pub(crate) struct Checkers {
    entries: Vec<Entry>,
}

impl Checkers {
    /// The checker of the configuration that governs the folder of `path`
    /// (absolute), or why it cannot be loaded.
    pub(crate) fn for_file(
        &mut self,
        path: &Path,
        matrix: &Matrix,
        settings: &LoadSettings,
        overlay: Overlay<'_>,
    ) -> Result<Arc<Checker>, Error> {
        let folder = fs::folder_of(path).to_path_buf();
        let chain = ConfigFinder::default().chain_overlaid(&folder, overlay);
        let key = Key {
            chain: chain
                .into_iter()
                .map(|file| {
                    let source = match overlay.iter().find(|(held, _)| *held == file) {
                        Some((_, text)) => Source::Buffer(text.clone()),
                        None => Source::Disk(
                            std::fs::metadata(&file)
                                .ok()
                                .and_then(|meta| Some((meta.len(), meta.modified().ok()?))),
                        ),
                    };
                    (file, source)
                })
                .collect(),
            today: settings.today.unwrap_or_else(Date::today_utc),
        };
        self.entries
            .retain(|entry| entry.loaded.elapsed() < MAX_AGE);
        if let Some(entry) = self.entries.iter().find(|entry| entry.key == key) {
            return entry.checker.clone();
        }
        let settings = LoadSettings {
            config_dir: Some(folder),
            today: Some(key.today),
            ..settings.clone()
        };
        let checker = Checker::load_overlaid(matrix.clone(), &settings, overlay).map(Arc::new);
        if self.entries.len() >= MAX_KEPT {
            self.entries.remove(0);
        }
        self.entries.push(Entry {
            key,
            loaded: Instant::now(),
            checker: checker.clone(),
        });
        checker
    }

    /// Forgets every checker: files on disk may have changed.
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}
