//! Checking many controls files at once, one worker thread per core, so a monorepo
//! with thousands of services is checked in one CI step. The output does not depend
//! on the thread count or on timing: reports are put back in candidate order and
//! `RunReport::new` sorts them by path.
//!
//! Plain `std::thread::scope` with workers pulling the next index from an atomic
//! counter (or, while the walk is still finding files, the next file from a channel)
//! is enough here: the work items are independent files of similar size, so
//! no work stealing is needed, and a crate such as rayon would add a thread pool and
//! its dependencies for no measurable gain at 10,000 files.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

use super::{Checker, FileReport, RunReport};
use crate::input::discover::{self, Candidate, Discovery};
use crate::rules::evidence::EvidenceBase;
use crate::text::fs::RepoRoots;

/// Checkers are shared by reference between the worker threads: everything loaded
/// once per process (matrix, frameworks, policies, compiled regexes) must stay `Sync`.
const _: () = {
    const fn assert_sync<T: Sync>() {}
    assert_sync::<Checker>();
};

/// What each file's report keeps once its findings are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The source text and the parsed model of every file.
    Everything,
    /// The findings, and the source text of files that have findings (the human format
    /// quotes it); no parsed model. At 10,000 files the models are most of the memory.
    Findings,
}

impl Keep {
    pub fn apply(self, mut report: FileReport) -> FileReport {
        if self == Keep::Findings {
            report.file = None;
            report.terraform = Vec::new();
            if report.diagnostics.is_empty() {
                report.source = None;
            }
        }
        report
    }
}

/// How one discovered file is checked: `None` leaves it out of the run (the
/// configuration that governs it excludes it).
pub type CheckOne<'a> = dyn Fn(&Candidate, &EvidenceBase) -> Option<FileReport> + Sync + 'a;

/// Checks `candidates` in parallel with `check`; files it leaves out are not reported.
pub fn check_candidates(candidates: &[Candidate], check: &CheckOne<'_>) -> RunReport {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(candidates.len());
    check_candidates_on(candidates, workers, check)
}

/// `check_candidates` on `workers` threads; 0 or 1 checks on this thread.
pub fn check_candidates_on(
    candidates: &[Candidate],
    workers: usize,
    check: &CheckOne<'_>,
) -> RunReport {
    let reports = map_in_order_with(
        candidates,
        workers,
        RepoRoots::default,
        |roots, candidate| check(candidate, &EvidenceBase::with_roots(&candidate.path, roots)),
    );
    RunReport::new(reports.into_iter().flatten().collect())
}

/// Discovers the controls files under `paths` (as `discover::discover`) and checks each with `check` as soon as the walk meets it:
/// walking a large tree takes about as long as checking a third of it, so the two
/// overlap. The result is the same as discovering, then checking every candidate.
pub fn discover_and_check(paths: &[PathBuf], check: &CheckOne<'_>) -> (Discovery, RunReport) {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let walks = paths.is_empty() || paths.iter().any(|path| path.is_dir());
    if workers <= 1 || !walks {
        // Files named one by one (a pre-commit hook): nothing to overlap.
        let discovery = discover::discover(paths);
        let report = check_candidates(&discovery.candidates, check);
        return (discovery, report);
    }
    let (sender, receiver) = mpsc::channel::<Candidate>();
    let receiver = Mutex::new(receiver);
    let (discovery, batches) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut roots = RepoRoots::default();
                    let mut done = Vec::new();
                    loop {
                        // The lock is only held while waiting for the next file.
                        let next = receiver
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .recv();
                        let Ok(candidate) = next else {
                            break done;
                        };
                        let base = EvidenceBase::with_roots(&candidate.path, &mut roots);
                        if let Some(report) = check(&candidate, &base) {
                            done.push(report);
                        }
                    }
                })
            })
            .collect();
        let discovery = discover::discover_each(paths, &mut |candidate| {
            // The workers outlive the walk, so the channel is open.
            let _ = sender.send(candidate.clone());
        });
        drop(sender);
        let batches: Vec<Vec<FileReport>> = handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
            })
            .collect();
        (discovery, batches)
    });
    let mut report = RunReport::new(batches.into_iter().flatten().collect());
    // A file reached twice (`check a a/b`) is reported once, as `discover` lists it once.
    report.files.dedup_by(|a, b| a.path == b.path);
    (discovery, report)
}

/// `map` over `items` on one thread per available core, results in the order of
/// `items`; fewer than two items or one core run on this thread.
pub fn map_in_order<T: Sync, R: Send>(items: &[T], map: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    map_in_order_with(items, workers, || (), |(), item| map(item))
}

/// The worker pool behind `check_candidates` and `map_in_order`: `workers` threads
/// pull the next index from an atomic counter, each with its own `state` for what it
/// can reuse from one item to the next; results come back in the order of `items`.
fn map_in_order_with<T: Sync, R: Send, S>(
    items: &[T],
    workers: usize,
    state: impl Fn() -> S + Sync,
    map: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    if workers <= 1 {
        let mut state = state();
        return items.iter().map(|item| map(&mut state, item)).collect();
    }
    let next = AtomicUsize::new(0);
    let batches: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut state = state();
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            break done;
                        };
                        done.push((index, map(&mut state, item)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    // A panic in a rule is a bug; let it surface as the panic it was.
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
            })
            .collect()
    });
    let mut indexed: Vec<(usize, R)> = batches.into_iter().flatten().collect();
    indexed.sort_by_key(|(index, _)| *index);
    indexed.into_iter().map(|(_, result)| result).collect()
}
