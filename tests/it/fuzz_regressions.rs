//! Replays every input under `tests/fixtures/fuzz-regressions/` through the same
//! harness the fuzz target runs (`tests/it/common/fuzzing.rs`): each file is
//! an input that once crashed, hung or broke an output invariant, or a hostile shape
//! found while hardening. Plain `cargo test` runs them, no fuzzer needed.

use crate::common::fixtures;
use crate::common::fuzzing::{FUZZ_FILE_NAME, check_and_render};

#[test]
fn every_regression_input_is_checked_and_rendered_without_a_panic() {
    let dir = fixtures().join("fuzz-regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("the regression folder exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 10,
        "regression inputs are missing from {}",
        dir.display()
    );
    for input in inputs {
        let bytes = std::fs::read(&input).unwrap();
        let report = check_and_render(&bytes);
        let file = &report.files[0];
        assert_eq!(file.path, FUZZ_FILE_NAME);
        // Every regression input is broken or hostile: each one yields a finding.
        assert!(
            !file.diagnostics.is_empty(),
            "{}: no finding for a hostile input",
            input.display()
        );
    }
}

#[test]
fn the_harness_rejects_output_that_would_reach_a_terminal_raw() {
    use crate::common::fuzzing::first_unsafe_char;
    assert_eq!(first_unsafe_char("ok\r\n\tfine ü"), None);
    assert_eq!(first_unsafe_char("a\u{1b}[2J"), Some('\u{1b}'));
    assert_eq!(first_unsafe_char("lone\rcr"), Some('\r'));
    assert_eq!(first_unsafe_char("x\u{9b}y"), Some('\u{9b}'));
    assert_eq!(first_unsafe_char("x\u{202e}y"), Some('\u{202e}'));
}
