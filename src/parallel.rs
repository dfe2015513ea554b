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

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

use crate::check::{Checker, FileReport, RunReport};
use crate::discover::{self, Candidate, Discovery};
use crate::evidence::EvidenceBase;
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

/// Checks every candidate with `checker`, in parallel over the available cores,
/// keeping everything of each file.
pub fn check_all(checker: &Checker, candidates: &[Candidate]) -> RunReport {
    check_all_keeping(checker, candidates, Keep::Everything)
}

/// `check_all`, keeping only what `keep` says of each file.
pub fn check_all_keeping(checker: &Checker, candidates: &[Candidate], keep: Keep) -> RunReport {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(candidates.len());
    check_with_workers(checker, candidates, keep, workers)
}

/// Discovers the controls files under `paths` (as `discover::discover`, `include`
/// being its `keep`) and checks them with `checker`, each as soon as the walk meets
/// it: walking a large tree takes about as long as checking a third of it, so the two
/// overlap. The result is the same as discovering, then checking every candidate.
pub fn discover_and_check(
    checker: &Checker,
    paths: &[PathBuf],
    include: &dyn Fn(&str) -> bool,
    keep: Keep,
) -> (Discovery, RunReport) {
    discover_and_check_with(paths, include, &|candidate, base| {
        Some(keep.apply(checker.check_path_with_base(&candidate.path, &candidate.display, base)))
    })
}

/// How one discovered file is checked: `None` leaves it out of the run (the
/// configuration that governs it excludes it).
pub type CheckOne<'a> = dyn Fn(&Candidate, &EvidenceBase) -> Option<FileReport> + Sync + 'a;

/// Checks `candidates` in parallel with `check`; files it leaves out are not reported.
pub fn check_candidates_with(candidates: &[Candidate], check: &CheckOne<'_>) -> RunReport {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(candidates.len());
    let reports = map_in_order_with(
        candidates,
        workers,
        EvidenceBases::new,
        |bases, candidate| check(candidate, &bases.for_file(&candidate.path)),
    );
    RunReport::new(reports.into_iter().flatten().collect())
}

/// `discover_and_check` with the check of each file given by the caller.
pub fn discover_and_check_with(
    paths: &[PathBuf],
    include: &dyn Fn(&str) -> bool,
    check: &CheckOne<'_>,
) -> (Discovery, RunReport) {
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let walks = paths.is_empty() || paths.iter().any(|path| path.is_dir());
    if workers <= 1 || !walks {
        // Files named one by one (a pre-commit hook): nothing to overlap.
        let discovery = discover::discover(paths, include);
        let report = check_candidates_with(&discovery.candidates, check);
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

/// Checks on `workers` threads; 0 or 1 checks on this thread.
fn check_with_workers(
    checker: &Checker,
    candidates: &[Candidate],
    keep: Keep,
    workers: usize,
) -> RunReport {
    let reports = map_in_order_with(
        candidates,
        workers,
        EvidenceBases::new,
        |bases, candidate| {
            let base = bases.for_file(&candidate.path);
            keep.apply(checker.check_path_with_base(&candidate.path, &candidate.display, &base))
        },
    );
    RunReport::new(reports)
}

/// `map` over `items` on one thread per available core, results in the order of
/// `items`; fewer than two items or one core run on this thread.
pub fn map_in_order<T: Sync, R: Send>(items: &[T], map: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len());
    map_in_order_with(items, workers, || (), |(), item| map(item))
}

/// The worker pool behind `check_all` and `map_in_order`: `workers` threads pull the
/// next index from an atomic counter, each with its own `state` for what it can
/// reuse from one item to the next; results come back in the order of `items`.
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

/// Evidence bases for many files, as `EvidenceBase::for_file` finds them, with the
/// shared work done once: the working directory is read once, and whether a folder
/// holds `.git` is asked once per folder instead of once per file below it.
struct EvidenceBases {
    working_dir: Option<PathBuf>,
    holds_git: HashMap<PathBuf, bool>,
}

impl EvidenceBases {
    fn new() -> Self {
        Self {
            working_dir: std::env::current_dir().ok(),
            holds_git: HashMap::new(),
        }
    }

    fn for_file(&mut self, path: &Path) -> EvidenceBase {
        let file_dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let joined = match &self.working_dir {
            Some(working_dir) => working_dir.join(file_dir),
            None => file_dir.to_path_buf(),
        };
        let absolute_dir = std::path::absolute(&joined).unwrap_or(joined);
        let mut repo_root = None;
        for ancestor in absolute_dir.ancestors() {
            let holds_git = match self.holds_git.get(ancestor) {
                Some(&holds_git) => holds_git,
                None => {
                    let holds_git = ancestor.join(".git").exists();
                    self.holds_git.insert(ancestor.to_path_buf(), holds_git);
                    holds_git
                }
            };
            if holds_git {
                repo_root = Some(ancestor.to_path_buf());
                break;
            }
        }
        EvidenceBase {
            repo_root: repo_root.unwrap_or_else(|| absolute_dir.clone()),
            file_dir: absolute_dir,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use crate::check::Checker;
    use crate::date::Date;
    use crate::discover::Candidate;
    use crate::evidence::EvidenceBase;
    use crate::matrix::{Matrix, MatrixOwner};
    use crate::output::json;

    use super::{Keep, check_all, check_with_workers, discover_and_check};
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

    #[test]
    fn shared_evidence_bases_match_the_per_file_lookup() {
        let mut bases = super::EvidenceBases::new();
        let here = std::env::current_dir().unwrap();
        for path in [
            PathBuf::from("controls.toml"),
            PathBuf::from("./src/controls.toml"),
            PathBuf::from("src/output/../controls.toml"),
            here.join("policies/controls.toml"),
            PathBuf::from("/controls.toml"),
        ] {
            let shared = bases.for_file(&path);
            let alone = EvidenceBase::for_file(&path);
            assert_eq!(shared.file_dir, alone.file_dir, "{}", path.display());
            assert_eq!(shared.repo_root, alone.repo_root, "{}", path.display());
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
        let expected = check_all(&checker, &discovery.candidates);
        let (streamed_discovery, streamed) =
            discover_and_check(&checker, &paths, &|_| true, Keep::Everything);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(streamed_discovery.candidates, discovery.candidates);
        assert_eq!(streamed_discovery.problems, discovery.problems);
        assert_eq!(streamed.files.len(), 30);
        assert_eq!(json::render(&streamed), json::render(&expected));
    }
}
