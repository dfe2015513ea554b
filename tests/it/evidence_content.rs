//! SRM037 and the report's evidence fingerprints on the file system's odd corners: an
//! empty folder (which git cannot hold, so it is made here), a named pipe that must
//! never be opened (and proves nothing), links out of the repository that must never be followed, a file
//! over the judging limit that is still fingerprinted whole.

use crate::common;

use common::{Scratch, TODAY};

#[cfg(unix)]
#[test]
fn odd_evidence_is_judged_or_left_alone_and_never_read_outside() {
    let scratch = Scratch::git_root("evidence-content");
    std::fs::create_dir_all(scratch.path("docs/empty")).unwrap();
    std::fs::create_dir_all(scratch.path("docs/records/2026")).unwrap();
    scratch.write(
        "docs/records/2026/restore.md",
        "Restored db-1 in 38 minutes.\n".repeat(10),
    );
    let fifo = scratch.path("docs/pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let outside = Scratch::outside_repository("evidence-content-outside");
    outside.write("secret.md", "TODO\n");
    std::os::unix::fs::symlink(outside.path("secret.md"), scratch.path("docs/secret.md")).unwrap();
    // Over 4 MiB: not judged (no SRM037 however it starts), fingerprinted whole.
    let mut big = b"TODO\n".to_vec();
    big.resize(5 * 1024 * 1024, b'a');
    scratch.write("docs/big.md", &big);
    scratch.write(
        "controls.toml",
        "[deployment]\nservices = [\"compute\"]\n[controls.backup-restore]\nowner = \"customer\"\n\
         accountable = \"sre@shop.example\"\n\
         evidence = [\"docs/empty\", \"docs/pipe\", \"docs/secret.md\", \"docs/big.md\", \"docs/records\"]\n",
    );
    let check = scratch
        .srmlint()
        .args([
            "check",
            "controls.toml",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .run();
    let evidence: Vec<(String, String)> = check.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["control"] == "backup-restore")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        evidence,
        [
            (
                "SRM037".to_owned(),
                "evidence `docs/empty` is a folder with no file in it".to_owned()
            ),
            // Never opened, and proves nothing.
            (
                "SRM037".to_owned(),
                "evidence `docs/pipe` is a pipe, a device or a socket, not a file".to_owned()
            ),
            (
                "SRM033".to_owned(),
                "evidence `docs/secret.md` leads outside the repository through a symlink (`docs/secret.md`)"
                    .to_owned()
            ),
        ]
    );
    let report = scratch
        .srmlint()
        .args([
            "report",
            "controls.toml",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(report.code, 0, "{}", report.stderr);
    let document = report.json();
    let controls = document["deployments"][0]["controls"].as_array().unwrap();
    let backup = controls
        .iter()
        .find(|c| c["id"] == "backup-restore")
        .unwrap();
    let prints = backup["entry"]["evidence_fingerprints"].as_array().unwrap();
    let kinds: Vec<&str> = prints.iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["folder", "unreadable", "outside", "file", "folder"]);
    assert_eq!(prints[0]["files"], 0);
    assert_eq!(prints[4]["files"], 1);
    assert_eq!(prints[3]["bytes"], big.len());
    assert_eq!(
        prints[3]["sha256"],
        srmlint::text::digest::sha256_hex(&big).as_str()
    );
    assert!(prints[2]["sha256"].is_null());
    // Not a git repository with history: no date, and says why.
    assert!(prints[3]["last_commit"].is_null());
    assert!(prints[3]["note"].as_str().is_some());
    assert!(
        !report.stdout.contains("TODO\\n"),
        "no evidence text in the report"
    );
}
