//! srmlint's integration tests, one crate (one build, one link) with a module per
//! subject; `common` is what they share. Run one module with `cargo test --test it
//! MODULE::`, one test with `cargo test NAME`. A new test file goes here as a module:
//! `every_test_file_is_a_module_of_this_crate` below fails on a file left out, and on
//! a `.rs` file beside `tests/it/` (which cargo would build as a crate of its own).

mod common;

mod action;
mod authoring;
mod checkout_attacks;
mod cli;
mod cli_edges;
mod config;
mod diff;
mod evidence_content;
mod fix;
mod formats;
mod frameworks;
mod fuzz_regressions;
mod generative;
mod getting_started;
mod hostile;
mod layers;
mod library;
mod matrix;
mod matrix_versions;
mod oscal;
mod output_file;
mod parallel_check;
mod policy;
mod pool;
mod posture;
mod readme;
mod registry;
mod render;
mod report_audit;
mod report_browser;
mod report_cli;
mod report_examples;
mod report_faithful;
mod report_spreadsheet;
mod rules;
mod server;
mod terraform;
mod terraform_eval;
mod terraform_findings;
mod terraform_forms;
mod terraform_types;
mod text;
mod trust;
mod untrusted;
mod waivers;

/// Every `.rs` file in `tests/it/` is declared above (a file left out is never
/// compiled, so its tests would silently not run), and `tests/` holds no other test
/// crate.
#[test]
fn every_test_file_is_a_module_of_this_crate() {
    let tests = common::repo_root().join("tests");
    let main = std::fs::read_to_string(tests.join("it/main.rs")).unwrap();
    let declared: Vec<&str> = main
        .lines()
        .filter_map(|line| line.strip_prefix("mod ")?.strip_suffix(';'))
        .collect();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(tests.join("it")).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        let module =
            path.extension().is_some_and(|ext| ext == "rs") || path.join("mod.rs").is_file();
        if module && stem != "main" && !declared.contains(&stem) {
            missing.push(path.display().to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "not declared in tests/it/main.rs: {missing:?}"
    );
    let crates: Vec<String> = std::fs::read_dir(&tests)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "rs")
                || (path.is_dir() && path.join("main.rs").is_file() && !path.ends_with("it"))
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        crates.is_empty(),
        "test crates beside tests/it (move each into tests/it as a module): {crates:?}"
    );
}
