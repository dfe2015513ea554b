//! `srmlint check` over a folder of many controls files: checked in parallel, the
//! output is sorted and the same on every run, and human excerpts deep in a large file
//! show the right lines. These runs set `NO_COLOR=1`, as they always have.

use crate::common;

use common::{Scratch, TODAY};

/// A fleet of 60 files in nested folders under `fleet/`; every third one names an
/// unknown zone.
fn write_fleet(dir: &Scratch) {
    for index in 0..60 {
        let zone = if index % 3 == 0 {
            "ch-gva-9"
        } else {
            "ch-gva-2"
        };
        dir.write(
            format!("fleet/team-{}/svc-{index:02}/controls.toml", index % 4),
            format!("[deployment]\nservices = [\"dbaas-pg\"]\nzones = [\"{zone}\"]\n"),
        );
    }
}

#[test]
fn a_fleet_is_reported_in_path_order_and_the_same_every_run() {
    let dir = Scratch::outside_repository("fleet");
    write_fleet(&dir);
    let args = ["check", "fleet", "--format", "json", "--today", TODAY];
    let run = dir.srmlint().env("NO_COLOR", "1").args(args).run();
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 1);
    for _ in 0..3 {
        assert_eq!(
            dir.srmlint().env("NO_COLOR", "1").args(args).run().stdout,
            run.stdout
        );
    }
    let json = run.json();
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
}

#[test]
fn human_output_of_a_fleet_lists_files_in_path_order() {
    let dir = Scratch::outside_repository("human-fleet");
    write_fleet(&dir);
    let args = ["check", "fleet", "--today", TODAY];
    let run = dir.srmlint().env("NO_COLOR", "1").args(args).run();
    let first = &run.stdout;
    assert_eq!(run.code, 1);
    assert_eq!(
        &dir.srmlint().env("NO_COLOR", "1").args(args).run().stdout,
        first
    );
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
}

#[test]
fn human_excerpts_deep_in_a_large_file_show_the_right_lines() {
    let dir = Scratch::outside_repository("large");
    let mut text = "[deployment]\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n".to_owned();
    for index in 0..2_000 {
        text.push_str(&format!(
            "\n[controls.backup-restore-{index}]\nowner = \"customer\"\n"
        ));
    }
    dir.write("controls.toml", &text);
    let run = dir
        .srmlint()
        .env("NO_COLOR", "1")
        .args(["check", "controls.toml", "--today", TODAY])
        .run();
    let stdout = &run.stdout;
    assert_eq!(run.code, 1);
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
}
