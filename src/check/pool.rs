//! Checking many controls files at once, one worker thread per core, so a monorepo
//! with thousands of services is checked in one CI step. The output does not depend
//! on the thread count or on timing: reports are put back in candidate order and
//! `RunReport::new` sorts them by path.
//!
//! Plain `std::thread::scope` with workers pulling the next item from a channel (fed
//! from a list, or by the walk while it is still finding files) is enough here: the work items are independent files of similar size, so
//! no work stealing is needed, and a crate such as rayon would add a thread pool and
//! its dependencies for no measurable gain at 10,000 files.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError, mpsc};

use super::{Checker, FileReport, RunReport};
use crate::input::discover::{self, Candidate, Discovery};

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
    /// quotes it, fingerprints hash the offending text); no parsed model. At 10,000
    /// files the models are most of the memory.
    Findings,
    /// The findings alone: every position is in them already.
    Diagnostics,
}

impl Keep {
    pub fn apply(self, mut report: FileReport) -> FileReport {
        if self != Keep::Everything {
            report.file = None;
            report.terraform = Vec::new();
            report.contract = Vec::new();
            if report.diagnostics.is_empty() || self == Keep::Diagnostics {
                report.source = None;
            }
            if self == Keep::Diagnostics {
                report.other_sources.clear();
            }
            // Kept for the whole run: a 100,000-file run holds every report at once.
            report.diagnostics.shrink_to_fit();
            report.waivers.shrink_to_fit();
        }
        report
    }
}

/// How one discovered file is checked: `None` leaves it out of the run (the
/// configuration that governs it excludes it).
pub type CheckOne<'a> = dyn Fn(&Candidate) -> Option<FileReport> + Sync + 'a;

/// Checks `candidates` in parallel with `check`; files it leaves out are not reported.
pub fn check_candidates(candidates: &[Candidate], check: &CheckOne<'_>) -> RunReport {
    check_candidates_on(candidates, workers_for(candidates.len()), check)
}

/// `check_candidates` on `workers` threads; 0 or 1 checks on this thread.
pub fn check_candidates_on(
    candidates: &[Candidate],
    workers: usize,
    check: &CheckOne<'_>,
) -> RunReport {
    let reports = run(
        workers,
        |send| candidates.iter().for_each(send),
        |candidate: &Candidate| check(candidate),
    );
    RunReport::new(reports.into_iter().flatten().collect())
}

/// Discovers the controls files under `paths` (as `discover::discover_each`) and checks
/// each with `check` as soon as the walk meets it: walking a large tree takes about as
/// long as checking a third of it, so the two overlap. The result is the same as
/// discovering, then checking every candidate.
pub fn discover_and_check(paths: &[PathBuf], check: &CheckOne<'_>) -> (Discovery, RunReport) {
    let mut discovery = Discovery::default();
    // Files named one by one (a pre-commit hook) need no more workers than files.
    let walks = paths.is_empty() || paths.iter().any(|path| path.is_dir());
    let workers = workers_for(if walks { usize::MAX } else { paths.len() });
    let reports = run(
        workers,
        |send| {
            // Handed over a few at a time: one channel operation (and one wake-up of
            // a waiting worker) per batch instead of per file.
            let mut batch = Vec::with_capacity(BATCH);
            discovery = discover::discover_each(paths, &mut |candidate| {
                batch.push(candidate.clone());
                if batch.len() == BATCH {
                    send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                }
            });
            if !batch.is_empty() {
                send(batch);
            }
        },
        |batch: Vec<Candidate>| batch.iter().map(check).collect::<Vec<_>>(),
    );
    // Counted first: a list grown by doubling would hold a copy of every report
    // while it moves them.
    let count = reports.iter().flatten().flatten().count();
    let mut all = Vec::with_capacity(count);
    all.extend(reports.into_iter().flatten().flatten());
    let mut report = RunReport::new(all);
    // A file reached twice (`check a a/b`) is reported once, as `discover_each` lists it once.
    report.files.dedup_by(|a, b| a.path == b.path);
    (discovery, report)
}

/// Walked files handed to a worker at once: small enough that the first worker starts
/// at once and the last batch leaves no core idle for long.
const BATCH: usize = 8;

/// `map` over `items` on one thread per available core, results in the order of
/// `items`; fewer than two items or one core run on this thread.
pub fn map_in_order<T: Sync, R: Send>(items: &[T], map: impl Fn(&T) -> R + Sync) -> Vec<R> {
    run(
        workers_for(items.len()),
        |send| items.iter().for_each(send),
        map,
    )
}

/// One worker per core, never more than there are items.
fn workers_for(items: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items)
}

/// The one worker pool: `feed` hands items over one by one (a list, or a walk still
/// finding files) while `workers` threads take them from a channel. Results come back in the
/// order `feed` gave the items. With 0 or 1 worker everything runs on this thread, and
/// so does a feed of a single item: the workers are started only once a second item
/// comes, so checking one file (a pre-commit hook, a folder with one controls file)
/// never pays for starting and stopping threads.
fn run<T: Send, R: Send>(
    workers: usize,
    feed: impl FnOnce(&mut dyn FnMut(T)),
    map: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    if workers <= 1 {
        let mut results = Vec::new();
        feed(&mut |item| results.push(map(item)));
        return results;
    }
    let (sender, receiver) = mpsc::channel::<(usize, T)>();
    let receiver = Mutex::new(receiver);
    let mut indexed: Vec<(usize, R)> = std::thread::scope(|scope| {
        let work = || {
            let mut done = Vec::new();
            loop {
                // The lock is only held while waiting for the next item.
                let next = receiver
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .recv();
                let Ok((index, item)) = next else {
                    break done;
                };
                done.push((index, map(item)));
            }
        };
        let mut handles = Vec::new();
        // The first item waits here until a second one shows there is work to share.
        let mut first = None;
        let mut index = 0;
        feed(&mut |item| {
            if index == 0 {
                first = Some(item);
            } else {
                if handles.is_empty() {
                    handles = (0..workers).map(|_| scope.spawn(work)).collect();
                    if let Some(first) = first.take() {
                        // The workers outlive the feed, so the channel is open.
                        let _ = sender.send((0, first));
                    }
                }
                let _ = sender.send((index, item));
            }
            index += 1;
        });
        drop(sender);
        let mut results: Vec<(usize, R)> = first.map(|item| (0, map(item))).into_iter().collect();
        results.extend(handles.into_iter().flat_map(|handle| {
            handle
                .join()
                // A panic in a rule is a bug; let it surface as the panic it was.
                .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
        }));
        results
    });
    indexed.sort_by_key(|(index, _)| *index);
    indexed.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::run;
    use std::thread::{ThreadId, current};

    fn fed(items: &[u32]) -> Vec<(u32, ThreadId)> {
        run(
            2,
            |send| items.iter().for_each(|item| send(*item)),
            |item| (item * 10, current().id()),
        )
    }

    #[test]
    fn one_item_is_worked_on_this_thread_and_more_in_order_on_workers() {
        let here = current().id();
        assert_eq!(fed(&[7]), [(70, here)]);
        assert!(fed(&[]).is_empty());
        let many: Vec<u32> = (0..50).collect();
        let results = fed(&many);
        let values: Vec<u32> = results.iter().map(|(value, _)| *value).collect();
        assert_eq!(
            values,
            many.iter().map(|item| item * 10).collect::<Vec<_>>()
        );
        assert!(results.iter().all(|(_, thread)| *thread != here));
    }
}
