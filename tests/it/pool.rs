//! The worker pool behind `check`: the report does not depend on the number of
//! workers, on what each report keeps, or on whether files are checked while the walk
//! goes on.

use crate::common;

use common::{Scratch, TODAY};
use srmlint::check::pool::{check_candidates, check_candidates_on, discover_and_check};
use srmlint::check::{Checker, Keep, RunReport};
use srmlint::data::matrix::{Matrix, MatrixOwner};
use srmlint::input::discover::{self, Candidate};
use srmlint::render::json;
use srmlint::rules::evidence::EvidenceBase;
use srmlint::text::date::Date;

/// Checks `candidates` with `checker` on `workers` threads, keeping what `keep` says.
fn check_with_workers(
    checker: &Checker,
    candidates: &[Candidate],
    keep: Keep,
    workers: usize,
) -> RunReport {
    check_candidates_on(candidates, workers, &|candidate| {
        let base = EvidenceBase::for_file(&candidate.path);
        Some(keep.apply(checker.check_path(&candidate.path, &candidate.display, &base)))
    })
}

/// Controls files with different findings: clean, an unknown service, not TOML.
const TEXTS: &[&str] = &[
    "[deployment]\nservices = [\"dns\"]\nzones = [\"ch-gva-2\"]\n",
    "[deployment]\nservices = [\"compue\"]\nzones = [\"de-fra-1\"]\n",
    "[deployment\nservices = 1\n",
];

#[test]
fn the_report_is_the_same_whatever_the_number_of_workers() {
    let checker = Checker::new(Matrix::embedded(), Date::parse(TODAY).unwrap());
    let dir = Scratch::outside_repository("workers");
    // Given in reverse order, with one file that does not exist (SRM022).
    let mut candidates: Vec<Candidate> = Vec::new();
    for index in (0..40).rev() {
        let path = dir.path(format!("{index:02}.controls.toml"));
        if index != 13 {
            std::fs::write(&path, TEXTS[index % TEXTS.len()]).unwrap();
        }
        candidates.push(Candidate::named(
            path,
            format!("fleet/{index:02}.controls.toml"),
        ));
    }
    let run =
        |keep, workers| json::render(&check_with_workers(&checker, &candidates, keep, workers));
    let sequential = run(Keep::Everything, 1);
    let with_two = run(Keep::Everything, 2);
    let with_seven = run(Keep::Findings, 7);
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
    let checker = Checker::new(Matrix::embedded(), Date::parse(TODAY).unwrap());
    let dir = Scratch::outside_repository("keep");
    let clean = dir.path("clean.controls.toml");
    let faulty = dir.path("faulty.controls.toml");
    std::fs::write(&clean, clean_text(&checker.matrix)).unwrap();
    std::fs::write(&faulty, TEXTS[1]).unwrap();
    let candidates: Vec<Candidate> = [("clean", &clean), ("faulty", &faulty)]
        .into_iter()
        .map(|(name, path)| Candidate::named(path.clone(), name.to_owned()))
        .collect();
    let everything = check_with_workers(&checker, &candidates, Keep::Everything, 2);
    let findings = check_with_workers(&checker, &candidates, Keep::Findings, 2);
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
    let checker = Checker::new(Matrix::embedded(), Date::parse(TODAY).unwrap());
    let dir = Scratch::outside_repository("stream");
    for index in 0..30 {
        let text = TEXTS[index % TEXTS.len()];
        dir.write(
            format!("team-{}/svc-{index:02}/controls.toml", index % 3),
            text,
        );
    }
    // The folder twice, one of its files again, and a path that does not exist.
    let paths = vec![
        dir.root.clone(),
        dir.path("team-1/svc-04/controls.toml"),
        dir.root.clone(),
        dir.path("missing"),
    ];
    let discovery = discover::discover_each(&paths, &mut |_| {});
    let check = |candidate: &Candidate| {
        let base = EvidenceBase::for_file(&candidate.path);
        Some(checker.check_path(&candidate.path, &candidate.display, &base))
    };
    let expected = check_candidates(&discovery.candidates, &check);
    let (streamed_discovery, streamed) = discover_and_check(&paths, &check);
    assert_eq!(streamed_discovery.candidates, discovery.candidates);
    assert_eq!(streamed_discovery.problems, discovery.problems);
    assert_eq!(streamed.files.len(), 30);
    assert_eq!(json::render(&streamed), json::render(&expected));
}
