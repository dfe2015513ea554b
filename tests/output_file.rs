//! `check --output FILE` (DESIGN.md §8): the report goes through a temporary file in
//! the target's folder and a rename; an existing file is replaced only with
//! `--force`; a refusal or a failed write leaves what was there byte-for-byte as it
//! was, and no temporary file behind.

mod common;

use std::path::Path;

use common::guarded::{TODAY, exit_code, fixtures, run_in, scratch_dir, stderr, stdout};

fn broken_fixture() -> String {
    fixtures()
        .join("hostile/controls.toml")
        .to_string_lossy()
        .into_owned()
}

/// Every file name in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort_unstable();
    names
}

#[test]
fn writes_the_report_to_the_file_and_nothing_to_stdout() {
    let dir = scratch_dir("output-new");
    let input = broken_fixture();
    let output = run_in(
        &dir,
        &[
            "check",
            &input,
            "--format",
            "json",
            "--output",
            "report.json",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(
        exit_code(&output),
        1,
        "the findings still decide the exit code"
    );
    assert_eq!(stdout(&output), "");
    let written = std::fs::read_to_string(dir.join("report.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert!(json["summary"]["errors"].as_u64().unwrap() > 0);
    assert_eq!(listing(&dir), ["report.json"], "no temporary file is left");
    // The same bytes as on stdout.
    let on_stdout = run_in(
        &dir,
        &["check", &input, "--format", "json", "--today", TODAY],
    );
    assert_eq!(stdout(&on_stdout), written);
}

#[test]
fn an_existing_file_is_left_untouched_without_force_and_replaced_with_it() {
    let dir = scratch_dir("output-existing");
    let input = broken_fixture();
    let before: &[u8] = b"precious \xff\x00 bytes\r\n";
    std::fs::write(dir.join("report.txt"), before).unwrap();
    let output = run_in(
        &dir,
        &["check", &input, "--output", "report.txt", "--today", TODAY],
    );
    assert_eq!(exit_code(&output), 2);
    assert!(
        stderr(&output).contains("`report.txt` already exists; pass `--force` to replace it"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(dir.join("report.txt")).unwrap(), before);
    assert_eq!(listing(&dir), ["report.txt"]);

    let output = run_in(
        &dir,
        &[
            "check",
            &input,
            "--output",
            "report.txt",
            "--force",
            "--today",
            TODAY,
            "--color",
            "never",
        ],
    );
    assert_eq!(exit_code(&output), 1);
    let replaced = std::fs::read_to_string(dir.join("report.txt")).unwrap();
    assert!(replaced.contains("SRM010(unknown-control)"), "{replaced}");
    assert_eq!(listing(&dir), ["report.txt"]);
}

#[test]
fn the_output_never_replaces_a_controls_file_being_checked() {
    let dir = scratch_dir("output-input");
    let original = std::fs::read(fixtures().join("hostile/controls.toml")).unwrap();
    std::fs::write(dir.join("controls.toml"), &original).unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let mut args = vec!["check", "--output", "./controls.toml", "--today", TODAY];
        args.extend_from_slice(extra);
        let output = run_in(&dir, &args);
        assert_eq!(exit_code(&output), 2, "{args:?}");
        assert!(
            stderr(&output).contains("a controls file being checked"),
            "{}",
            stderr(&output)
        );
        assert_eq!(std::fs::read(dir.join("controls.toml")).unwrap(), original);
    }
}

#[test]
fn a_failed_write_leaves_no_trace_and_exits_2() {
    let dir = scratch_dir("output-fails");
    let input = broken_fixture();
    // Into a folder that does not exist.
    let output = run_in(
        &dir,
        &[
            "check",
            &input,
            "--output",
            "missing/report.json",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(exit_code(&output), 2);
    assert!(
        stderr(&output).contains("cannot write `missing/report.json`"),
        "{}",
        stderr(&output)
    );
    // Onto a folder (the rename fails after the temporary file was written).
    std::fs::create_dir(dir.join("report.json")).unwrap();
    std::fs::write(dir.join("report.json/keep.txt"), "kept").unwrap();
    let output = run_in(
        &dir,
        &[
            "check",
            &input,
            "--output",
            "report.json",
            "--force",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(exit_code(&output), 2);
    assert!(
        stderr(&output).contains("cannot write `report.json`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("report.json/keep.txt")).unwrap(),
        "kept"
    );
    assert_eq!(
        listing(&dir),
        ["report.json"],
        "the temporary file is removed"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_planted_at_a_temporary_name_is_never_written_through() {
    use srmlint::text::fs::write_atomic;
    let dir = scratch_dir("output-planted");
    std::fs::write(dir.join("victim.txt"), "victim").unwrap();
    // Every name the writer might try for this process is a link to the victim.
    for attempt in 0..3 {
        std::os::unix::fs::symlink(
            dir.join("victim.txt"),
            dir.join(format!(
                ".out.txt.srmlint-{}-{attempt}.tmp",
                std::process::id()
            )),
        )
        .unwrap();
    }
    write_atomic(&dir.join("out.txt"), b"report").unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("out.txt")).unwrap(),
        "report"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("victim.txt")).unwrap(),
        "victim"
    );
}
