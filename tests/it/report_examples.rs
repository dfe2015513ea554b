//! The reports of the examples committed under `examples/reports/` stay what
//! `srmlint report` writes today: one `<name>.md`, `.html` and `.json` for each
//! `examples/<name>/controls.toml`, rendered with `--today 2026-12-07` (`REPORT_DAY`).
//! Regenerate them with `SRMLINT_BLESS=1 cargo test --test it report_examples::`.
//!
//! A report names the git commit it assessed, and a report committed in this repository
//! cannot name the commit that holds it. So the examples are copied into a scratch
//! repository and committed there under a fixed author, date and message: the same
//! example files always give the same commit, and the reports show a clean work tree.
//! That commit exists only in the scratch repository.

use crate::common;

use std::path::Path;

use common::{Scratch, repo_root};

/// The date the committed reports are written for: not before the day the embedded
/// matrix's source text was read, which each report names in its header.
const REPORT_DAY: &str = "2026-12-07";

const FORMATS: &[(&str, &str)] = &[("markdown", "md"), ("html", "html"), ("json", "json")];

/// Every example with a `controls.toml`, by folder name.
fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo_root().join("examples"))
        .expect("examples/ exists")
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("controls.toml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A scratch repository holding `examples/<name>/` of every example, committed.
fn repository(names: &[String]) -> Scratch {
    let scratch = Scratch::new("report-examples");
    for name in names {
        let relative = format!("examples/{name}");
        scratch.copy_in(&repo_root().join(&relative), &relative);
    }
    scratch.commit_all();
    scratch
}

fn render(repository: &Scratch, name: &str, format: &str) -> String {
    // Run from the scratch repository's root so paths in the report read
    // `examples/<name>/...`.
    let output = repository
        .srmlint()
        .args(["report", &format!("examples/{name}/controls.toml")])
        .args(["--format", format, "--today", REPORT_DAY])
        .run();
    assert_eq!(
        output.code, 0,
        "report of {name} as {format} failed: {}",
        output.stderr
    );
    output.stdout
}

#[test]
fn committed_example_reports_match_the_tool() {
    let bless = std::env::var_os("SRMLINT_BLESS").is_some_and(|value| value == "1");
    let reports = repo_root().join("examples/reports");
    let names = examples();
    assert!(!names.is_empty(), "no example with a controls.toml");
    let repository = repository(&names);
    let mut stale = Vec::new();
    for name in &names {
        for (format, extension) in FORMATS {
            let path = reports.join(format!("{name}.{extension}"));
            let fresh = render(&repository, name, format);
            if bless {
                std::fs::create_dir_all(&reports).unwrap();
                std::fs::write(&path, &fresh).unwrap();
                continue;
            }
            match std::fs::read_to_string(&path) {
                Ok(committed) if committed == fresh => {}
                Ok(_) => stale.push(format!("{} differs", display(&path))),
                Err(_) => stale.push(format!("{} is missing", display(&path))),
            }
        }
    }
    // Reports of examples that are gone would mislead a reader.
    if let Ok(entries) = std::fs::read_dir(&reports) {
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let known_extension = FORMATS
                .iter()
                .any(|(_, ext)| path.extension().is_some_and(|e| e == *ext));
            if !known_extension || !names.contains(&stem) {
                if bless {
                    std::fs::remove_file(&path).unwrap();
                } else {
                    stale.push(format!("{} has no example", display(&path)));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "example reports are out of date; run `SRMLINT_BLESS=1 cargo test --test it report_examples::`:\n{}",
        stale.join("\n")
    );
}

fn display(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .display()
        .to_string()
}
