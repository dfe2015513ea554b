//! `srmlint check` over a folder of many controls files: checked in parallel, the
//! output is sorted and the same on every run, and human excerpts deep in a large file
//! show the right lines.

use std::path::{Path, PathBuf};
use std::process::Command;

fn srmlint(args: &[&str], dir: &Path) -> (String, String, Option<i32>) {
    let output = Command::new(env!("CARGO_BIN_EXE_srmlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("srmlint runs");
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("srmlint-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fleet of 60 files in nested folders; every third one names an unknown zone.
fn write_fleet(root: &Path) {
    for index in 0..60 {
        let folder = root.join(format!("team-{}/svc-{index:02}", index % 4));
        std::fs::create_dir_all(&folder).unwrap();
        let zone = if index % 3 == 0 {
            "ch-gva-9"
        } else {
            "ch-gva-2"
        };
        std::fs::write(
            folder.join("controls.toml"),
            format!("[deployment]\nservices = [\"dbaas-pg\"]\nzones = [\"{zone}\"]\n"),
        )
        .unwrap();
    }
}

#[test]
fn a_fleet_is_reported_in_path_order_and_the_same_every_run() {
    let dir = scratch("fleet");
    write_fleet(&dir.join("fleet"));
    let args = [
        "check",
        "fleet",
        "--format",
        "json",
        "--today",
        "2026-11-28",
    ];
    let (first, stderr, code) = srmlint(&args, &dir);
    assert_eq!(stderr, "");
    assert_eq!(code, Some(1));
    for _ in 0..3 {
        assert_eq!(srmlint(&args, &dir).0, first);
    }
    let json: serde_json::Value = serde_json::from_str(&first).unwrap();
    let files: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file.as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 60);
    assert!(files.is_sorted(), "{files:?}");
    assert_eq!(files[0], "fleet/team-0/svc-00/controls.toml");
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let unknown_zones: Vec<&str> = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic["code"] == "SRM012")
        .map(|diagnostic| diagnostic["file"].as_str().unwrap())
        .collect();
    assert_eq!(unknown_zones.len(), 20);
    let files_in_output_order: Vec<&str> = diagnostics
        .iter()
        .map(|diagnostic| diagnostic["file"].as_str().unwrap())
        .collect();
    assert!(files_in_output_order.is_sorted());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn human_output_of_a_fleet_lists_files_in_path_order() {
    let dir = scratch("human-fleet");
    write_fleet(&dir.join("fleet"));
    let args = ["check", "fleet", "--today", "2026-11-28"];
    let (first, _, code) = srmlint(&args, &dir);
    assert_eq!(code, Some(1));
    assert_eq!(srmlint(&args, &dir).0, first);
    let headers: Vec<&str> = first
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("╭─["))
        .collect();
    assert!(headers.len() >= 60, "{first}");
    assert!(headers.is_sorted(), "{headers:?}");
    assert!(
        first.ends_with("srmlint: 60 files checked: 620 errors, 0 warnings\n"),
        "{first}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn human_excerpts_deep_in_a_large_file_show_the_right_lines() {
    let dir = scratch("large");
    let mut text = "[deployment]\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n".to_owned();
    for index in 0..2_000 {
        text.push_str(&format!(
            "\n[controls.backup-restore-{index}]\nowner = \"customer\"\n"
        ));
    }
    std::fs::write(dir.join("controls.toml"), &text).unwrap();
    let (stdout, _, code) = srmlint(&["check", "controls.toml", "--today", "2026-11-28"], &dir);
    assert_eq!(code, Some(1));
    // The last entry's header is on line 3 + 3 × 2000 - 1 = 6002.
    let last = "`backup-restore-1999`";
    let at = stdout
        .find(last)
        .expect("the last unknown control is reported");
    let excerpt = &stdout[at..];
    assert!(
        excerpt.contains("╭─[controls.toml:6002:11]"),
        "{}",
        &excerpt[..400]
    );
    assert!(excerpt.contains("6002 │ [controls.backup-restore-1999]"));
    assert!(excerpt.contains("6003 │ owner = \"customer\""));
    assert_eq!(stdout.matches("SRM010").count(), 2_000);
    std::fs::remove_dir_all(&dir).unwrap();
}
