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

use crate::check::{Checker, FileReport, RunReport};
use crate::discover::{self, Candidate, Discovery};
use crate::evidence::{EvidenceBase, EvidenceBases};
use crate::output::Format;

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
    /// What `format` needs: only JUnit reads the parsed model (to list the controls
    /// that apply as test cases).
    pub fn for_format(format: Format) -> Self {
        if format != Format::Junit {
            Keep::Findings
        } else {
            Keep::Everything
        }
    }

    pub fn apply(self, mut report: FileReport) -> FileReport {
        if self == Keep::Findings {
            report.file = None;
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
fn check_candidates_on(
    candidates: &[Candidate],
    workers: usize,
    check: &CheckOne<'_>,
) -> RunReport {
    let reports = map_in_order_with(
        candidates,
        workers,
        EvidenceBases::new,
        |bases, candidate| check(candidate, &bases.for_file(&candidate.path)),
    );
    RunReport::new(reports.into_iter().flatten().collect())
}

/// Discovers the controls files under `paths` (as `discover::discover`, `include`
/// being its `keep`) and checks each with `check` as soon as the walk meets it:
/// walking a large tree takes about as long as checking a third of it, so the two
/// overlap. The result is the same as discovering, then checking every candidate.
pub fn discover_and_check(
    paths: &[PathBuf],
    include: &dyn Fn(&str) -> bool,
    check: &CheckOne<'_>,
) -> (Discovery, RunReport) {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let walks = paths.is_empty() || paths.iter().any(|path| path.is_dir());
    if workers <= 1 || !walks {
        // Files named one by one (a pre-commit hook): nothing to overlap.
        let discovery = discover::discover(paths, include);
        let report = check_candidates(&discovery.candidates, check);
        return (discovery, report);
    }
    let (sender, receiver) = mpsc::channel::<Candidate>();
    let receiver = Mutex::new(receiver);
    let (discovery, batches) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut bases = EvidenceBases::new();
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
                        let base = bases.for_file(&candidate.path);
                        if let Some(report) = check(&candidate, &base) {
                            done.push(report);
                        }
                    }
                })
            })
            .collect();
        let discovery = discover::discover_each(paths, include, &mut |candidate| {
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

#[cfg(test)]
mod tests {
    use crate::check::Checker;
    use crate::date::Date;
    use crate::discover::Candidate;
    use crate::evidence::EvidenceBase;
    use crate::matrix::{Matrix, MatrixOwner};
    use crate::output::json;

    use super::{Keep, check_candidates, check_candidates_on, discover_and_check};

    /// Checks `candidates` with `checker` on `workers` threads, keeping what `keep` says.
    fn check_with_workers(
        checker: &Checker,
        candidates: &[Candidate],
        keep: Keep,
        workers: usize,
    ) -> crate::check::RunReport {
        check_candidates_on(candidates, workers, &|candidate, base| {
            Some(keep.apply(checker.check_path_with_base(
                &candidate.path,
                &candidate.display,
                base,
            )))
        })
    }
    use crate::discover;

    /// Controls files with different findings: clean, an unknown service, not TOML.
    const TEXTS: &[&str] = &[
        "[deployment]\nservices = [\"dns\"]\nzones = [\"ch-gva-2\"]\n",
        "[deployment]\nservices = [\"compue\"]\nzones = [\"de-fra-1\"]\n",
        "[deployment\nservices = 1\n",
    ];

    #[test]
    fn the_report_is_the_same_whatever_the_number_of_workers() {
        let checker = Checker::new(
            Matrix::embedded(),
            Vec::new(),
            Date::parse("2026-11-28").unwrap(),
        );
        let dir = std::env::temp_dir().join(format!("srmlint-parallel-{}", std::process::id()));
        // Given in reverse order, with one file that does not exist (SRM022).
        let mut candidates: Vec<Candidate> = Vec::new();
        for index in (0..40).rev() {
            let path = dir.join(format!("{index:02}.controls.toml"));
            if index != 13 {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, TEXTS[index % TEXTS.len()]).unwrap();
            }
            candidates.push(Candidate {
                path,
                display: format!("fleet/{index:02}.controls.toml"),
            });
        }
        let run =
            |keep, workers| json::render(&check_with_workers(&checker, &candidates, keep, workers));
        let sequential = run(Keep::Everything, 1);
        let with_two = run(Keep::Everything, 2);
        let with_seven = run(Keep::Findings, 7);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(with_two, sequential);
        assert_eq!(with_seven, sequential);
        // Sorted by path, and every kind of finding is there.
        let first = sequential.find("fleet/00.controls.toml").unwrap();
        let last = sequential.find("fleet/39.controls.toml").unwrap();
        assert!(first < last);
        for code in ["SRM011", "SRM020", "SRM022"] {
            assert!(
                sequential.contains(code),
                "{code} missing from {sequential}"
            );
        }
    }

    /// A controls file for a DNS-only deployment that claims every control it owes.
    fn clean_text(matrix: &Matrix) -> String {
        let in_use = ["dns".to_owned()].into_iter().collect();
        let mut text = "[deployment]\nservices = [\"dns\"]\nzones = [\"ch-gva-2\"]\n".to_owned();
        for control in &matrix.controls {
            let owner = match matrix.owner_over(control, ["iaas"], &in_use) {
                Some(MatrixOwner::Customer) => "customer",
                Some(MatrixOwner::Shared) => "shared",
                _ => continue,
            };
            text.push_str(&format!(
                "[controls.{}]\nowner = \"{owner}\"\naccountable = \"sre@example.com\"\n\
                 evidence = [\"https://wiki.example.com/x\"]\n",
                control.id
            ));
        }
        text
    }

    #[test]
    fn keeping_findings_drops_models_and_the_sources_of_clean_files() {
        let checker = Checker::new(
            Matrix::embedded(),
            Vec::new(),
            Date::parse("2026-11-28").unwrap(),
        );
        let dir = std::env::temp_dir().join(format!("srmlint-keep-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let clean = dir.join("clean.controls.toml");
        let faulty = dir.join("faulty.controls.toml");
        std::fs::write(&clean, clean_text(&checker.matrix)).unwrap();
        std::fs::write(&faulty, TEXTS[1]).unwrap();
        let candidates: Vec<Candidate> = [("clean", &clean), ("faulty", &faulty)]
            .into_iter()
            .map(|(name, path)| Candidate {
                path: path.clone(),
                display: name.to_owned(),
            })
            .collect();
        let everything = check_with_workers(&checker, &candidates, Keep::Everything, 2);
        let findings = check_with_workers(&checker, &candidates, Keep::Findings, 2);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            everything
                .files
                .iter()
                .all(|file| file.file.is_some() && file.source.is_some())
        );
        let [clean, faulty] = &findings.files[..] else {
            panic!("two reports expected");
        };
        assert!(clean.diagnostics.is_empty(), "{:?}", clean.diagnostics);
        assert!(clean.source.is_none() && clean.file.is_none());
        assert!(!faulty.diagnostics.is_empty());
        assert!(faulty.source.is_some() && faulty.file.is_none());
        assert_eq!(json::render(&findings), json::render(&everything));
    }

    #[test]
    fn discovering_while_checking_gives_the_same_report() {
        let checker = Checker::new(
            Matrix::embedded(),
            Vec::new(),
            Date::parse("2026-11-28").unwrap(),
        );
        let dir = std::env::temp_dir().join(format!("srmlint-stream-{}", std::process::id()));
        for index in 0..30 {
            let folder = dir.join(format!("team-{}/svc-{index:02}", index % 3));
            std::fs::create_dir_all(&folder).unwrap();
            let text = TEXTS[index % TEXTS.len()];
            std::fs::write(folder.join("controls.toml"), text).unwrap();
        }
        // The folder twice, one of its files again, and a path that does not exist.
        let paths = vec![
            dir.clone(),
            dir.join("team-1/svc-04/controls.toml"),
            dir.clone(),
            dir.join("missing"),
        ];
        let discovery = discover::discover(&paths, &|_| true);
        let check = |candidate: &Candidate, base: &EvidenceBase| {
            Some(checker.check_path_with_base(&candidate.path, &candidate.display, base))
        };
        let expected = check_candidates(&discovery.candidates, &check);
        let (streamed_discovery, streamed) = discover_and_check(&paths, &|_| true, &check);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(streamed_discovery.candidates, discovery.candidates);
        assert_eq!(streamed_discovery.problems, discovery.problems);
        assert_eq!(streamed.files.len(), 30);
        assert_eq!(json::render(&streamed), json::render(&expected));
    }
}
