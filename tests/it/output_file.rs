//! `check --output FILE`: the report goes through a temporary file in
//! the target's folder and a rename; an existing file is replaced only with
//! `--force`; a refusal or a failed write leaves what was there byte-for-byte as it
//! was, and no temporary file behind.

use crate::common;

use std::path::Path;

use common::{Scratch, TODAY, hostile_fixture};

fn broken_fixture() -> String {
    hostile_fixture().to_string_lossy().into_owned()
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
    let dir = Scratch::new("output-new");
    let input = broken_fixture();
    let output = dir
        .srmlint()
        .args([
            "check",
            &input,
            "--format",
            "json",
            "--output",
            "report.json",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(output.code, 1, "the findings still decide the exit code");
    assert_eq!(output.stdout, "");
    let written = std::fs::read_to_string(dir.path("report.json")).unwrap();
    let json = common::json(&written);
    assert!(json["summary"]["errors"].as_u64().unwrap() > 0);
    assert_eq!(
        listing(&dir.root),
        ["report.json"],
        "no temporary file is left"
    );
    // The same bytes as on stdout.
    let on_stdout = dir
        .srmlint()
        .args(["check", &input, "--format", "json", "--today", TODAY])
        .run();
    assert_eq!(on_stdout.stdout, written);
}

#[test]
fn an_existing_file_is_left_untouched_without_force_and_replaced_with_it() {
    let dir = Scratch::new("output-existing");
    let input = broken_fixture();
    let before: &[u8] = b"precious \xff\x00 bytes\r\n";
    dir.write("report.txt", before);
    let output = dir
        .srmlint()
        .args(["check", &input, "--output", "report.txt", "--today", TODAY])
        .run();
    assert_eq!(output.code, 2);
    assert!(
        output
            .stderr
            .contains("`report.txt` already exists; pass `--force` to replace it"),
        "{}",
        output.stderr
    );
    assert_eq!(std::fs::read(dir.path("report.txt")).unwrap(), before);
    assert_eq!(listing(&dir.root), ["report.txt"]);

    let output = dir
        .srmlint()
        .args([
            "check",
            &input,
            "--output",
            "report.txt",
            "--force",
            "--today",
            TODAY,
            "--color",
            "never",
        ])
        .run();
    assert_eq!(output.code, 1);
    let replaced = std::fs::read_to_string(dir.path("report.txt")).unwrap();
    assert!(replaced.contains("SRM010(unknown-control)"), "{replaced}");
    assert_eq!(listing(&dir.root), ["report.txt"]);
}

#[test]
fn the_output_never_replaces_a_controls_file_being_checked() {
    let dir = Scratch::new("output-input");
    let original = std::fs::read(hostile_fixture()).unwrap();
    dir.write("controls.toml", &original);
    for extra in [&[][..], &["--force"][..]] {
        let mut args = vec!["check", "--output", "./controls.toml", "--today", TODAY];
        args.extend_from_slice(extra);
        let output = dir.srmlint().args(&args).run();
        assert_eq!(output.code, 2, "{args:?}");
        assert!(
            output.stderr.contains("a controls file being checked"),
            "{}",
            output.stderr
        );
        assert_eq!(std::fs::read(dir.path("controls.toml")).unwrap(), original);
    }
}

#[test]
fn a_failed_write_leaves_no_trace_and_exits_2() {
    let dir = Scratch::new("output-fails");
    let input = broken_fixture();
    // Into a folder that does not exist.
    let output = dir
        .srmlint()
        .args([
            "check",
            &input,
            "--output",
            "missing/report.json",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains("cannot write `missing/report.json`"),
        "{}",
        output.stderr
    );
    // Onto a folder (the rename fails after the temporary file was written).
    std::fs::create_dir(dir.path("report.json")).unwrap();
    dir.write("report.json/keep.txt", "kept");
    let output = dir
        .srmlint()
        .args([
            "check",
            &input,
            "--output",
            "report.json",
            "--force",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains("cannot write `report.json`"),
        "{}",
        output.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path("report.json/keep.txt")).unwrap(),
        "kept"
    );
    assert_eq!(
        listing(&dir.root),
        ["report.json"],
        "the temporary file is removed"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_planted_at_a_temporary_name_is_never_written_through() {
    use srmlint::text::fs::write_atomic;
    let dir = Scratch::new("output-planted");
    dir.write("victim.txt", "victim");
    // Every name the writer might try for this process is a link to the victim.
    for attempt in 0..3 {
        std::os::unix::fs::symlink(
            dir.path("victim.txt"),
            dir.path(format!(
                ".out.txt.srmlint-{}-{attempt}.tmp",
                std::process::id()
            )),
        )
        .unwrap();
    }
    write_atomic(&dir.path("out.txt"), b"report").unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path("out.txt")).unwrap(),
        "report"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path("victim.txt")).unwrap(),
        "victim"
    );
}
