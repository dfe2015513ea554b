//! `srmlint check` and `srmlint matrix` as a user runs them: the built binary, its
//! stdout, stderr and exit code.

use crate::common;

use common::{Scratch, TODAY, check_json, srmlint};

#[test]
fn passing_examples_exit_zero_with_a_clean_summary() {
    let result = srmlint()
        .args(["check", "examples/clinic", "--today", TODAY])
        .run();
    assert_eq!(result.code, 0, "{}", result.stdout);
    assert_eq!(
        result.stdout,
        "srmlint: 1 file checked: 0 errors, 0 warnings\n"
    );
    assert_eq!(result.stderr, "");
}

/// The webshop's evidence files are stubs on purpose: every claim cites one, and each
/// is SRM037 (a warning: the run passes, `--deny-warnings` fails it).
#[test]
fn stub_evidence_is_a_warning_on_every_claim_of_the_webshop() {
    let result = srmlint()
        .args([
            "check",
            "examples/webshop",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(result.code, 0, "{}", result.stdout);
    let report = result.json();
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SRM037"; 11]);
    // The messages say what kind of stub each is, never what the file holds.
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(messages.iter().any(|m| m.ends_with("is an empty file")));
    assert!(
        messages
            .iter()
            .any(|m| m.ends_with("holds only white space"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("placeholder word `placeholder`"))
    );
    assert!(
        !result.stdout.contains("in a real repository"),
        "file text is never printed"
    );
    let denied = srmlint()
        .args([
            "check",
            "examples/webshop",
            "--deny-warnings",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(denied.code, 1);
}

#[test]
fn broken_example_shows_every_core_rule_in_json() {
    let result = srmlint()
        .args([
            "check",
            "examples/broken",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(result.code, 1);
    assert_eq!(result.stderr, "");
    let document = result.json();
    assert_eq!(document["tool"]["name"], "srmlint");
    let files: Vec<&str> = document["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file.as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        [
            "examples/broken/controls.toml",
            "examples/broken/empty-services.controls.toml",
            "examples/broken/latin1.controls.toml",
            "examples/broken/other-cloud.controls.toml",
            "examples/broken/syntax.controls.toml",
        ]
    );
    let diagnostics = document["diagnostics"].as_array().unwrap();
    let codes: std::collections::BTreeSet<&str> = diagnostics
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap())
        .collect();
    for code in [
        "SRM001", "SRM002", "SRM003", "SRM004", "SRM005", "SRM010", "SRM011", "SRM012", "SRM013",
        "SRM014", "SRM015", "SRM016", "SRM020", "SRM021", "SRM022", "SRM032", "SRM033",
    ] {
        assert!(codes.contains(code), "{code} missing from {codes:?}");
    }
    // Every diagnostic has the contract's fields, 1-based positions and a help.
    let keys = [
        "code",
        "name",
        "severity",
        "message",
        "help",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "control",
        "model",
        "waived",
        "fix",
    ];
    let first = &result.stdout[result.stdout.find("\"diagnostics\"").unwrap()..];
    let first = &first[..first.find('}').unwrap()];
    let positions: Vec<usize> = keys
        .iter()
        .map(|key| first.find(&format!("\"{key}\":")).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "field order is part of the contract"
    );
    for diagnostic in diagnostics {
        let object = diagnostic.as_object().unwrap();
        assert_eq!(object.len(), keys.len());
        assert!(diagnostic["line"].as_u64().unwrap() >= 1);
        assert!(diagnostic["column"].as_u64().unwrap() >= 1);
        assert!(!diagnostic["help"].as_str().unwrap().is_empty());
        assert_eq!(diagnostic["waived"], false);
    }
    // The SRM003 for backup-restore points at the owner value, line 13 column 9.
    let delegated = diagnostics
        .iter()
        .find(|diagnostic| diagnostic["code"] == "SRM003")
        .unwrap();
    assert_eq!(delegated["control"], "backup-restore");
    assert_eq!(delegated["model"], "iaas");
    assert_eq!(
        (delegated["line"].as_u64(), delegated["column"].as_u64()),
        (Some(13), Some(9))
    );
    assert_eq!(delegated["end_column"].as_u64(), Some(19));
    // Sorted by file, line, column, code.
    let keys: Vec<(String, u64, u64, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    let summary = &document["summary"];
    let errors = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d["severity"] == "warning")
        .count();
    assert_eq!(summary["files"], 5);
    assert_eq!(summary["errors"].as_u64(), Some(errors as u64));
    assert_eq!(summary["warnings"].as_u64(), Some(warnings as u64));
    assert_eq!(summary["waived"], 0);
}

#[test]
fn json_output_is_byte_for_byte_reproducible() {
    let args = ["check", "examples", "--format", "json", "--today", TODAY];
    let first = srmlint().args(args).run();
    let second = srmlint().args(args).run();
    assert_eq!(first.stdout, second.stdout);
    assert!(!first.stdout.is_empty());
}

#[test]
fn human_output_shows_excerpt_label_code_and_the_block_to_add() {
    let result = srmlint()
        .args([
            "check",
            "examples/broken/controls.toml",
            "--color",
            "never",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(result.code, 1);
    let out = &result.stdout;
    assert!(out.contains("SRM001(unclaimed-customer-control)"), "{out}");
    assert!(
        out.contains("╭─[examples/broken/controls.toml:5:13]"),
        "{out}"
    );
    assert!(out.contains("brings in IaaS"), "{out}");
    assert!(
        out.contains("[controls.tenant-iam]\n        owner = \"customer\""),
        "{out}"
    );
    assert!(
        out.contains("Exoscale does not back up your VMs") || out.contains("it is yours"),
        "{out}"
    );
    assert!(
        out.ends_with("srmlint: 1 file checked: 24 errors, 4 warnings, 1 info\n"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "no colour with --color never");
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let always = srmlint()
        .args([
            "check",
            "examples/broken/controls.toml",
            "--color",
            "always",
            "--today",
            TODAY,
        ])
        .run();
    assert!(always.stdout.contains('\u{1b}'));
    let auto = srmlint()
        .args(["check", "examples/broken/controls.toml", "--today", TODAY])
        .env("NO_COLOR", "1")
        .run();
    assert!(!auto.stdout.contains('\u{1b}'));
}

#[test]
fn a_missing_path_exits_two_after_checking_the_others() {
    let result = srmlint()
        .args(["check", "no/such/dir", "examples/clinic", "--today", TODAY])
        .run();
    assert_eq!(result.code, 2);
    assert!(result.stderr.contains("no/such/dir"), "{}", result.stderr);
    assert!(
        result.stdout.contains("1 file checked"),
        "{}",
        result.stdout
    );
}

#[test]
fn deny_warnings_and_exit_zero_change_only_the_exit_code() {
    let dir = Scratch::outside_repository("warnings");
    dir.write(
        "controls.toml",
        "[deployment]\nservices = [\"dbaas-pg\"]\n\n[controls.workload-operations]\nowner = \"customer\"\naccountable = \"sre@example.com\"\n\n[controls.data-classification]\nowner = \"customer\"\naccountable = \"sre@example.com\"\n[controls.encryption-in-transit]\nowner = \"shared\"\naccountable = \"sre@example.com\"\n[controls.encryption-at-rest]\nowner = \"shared\"\naccountable = \"sre@example.com\"\n[controls.key-management]\nowner = \"shared\"\naccountable = \"sre@example.com\"\n[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"sre@example.com\"\n[controls.network-security]\nowner = \"customer\"\naccountable = \"sre@example.com\"\n[controls.vuln-mgmt-workloads]\nowner = \"customer\"\naccountable = \"sre@example.com\"\n[controls.tenant-logging]\nowner = \"customer\"\naccountable = \"sre@example.com\"\n[controls.backup-restore]\nowner = \"shared\"\naccountable = \"sre@example.com\"\n[controls.regulatory-compliance]\nowner = \"customer\"\naccountable = \"sre@example.com\"\n",
    );
    let plain = srmlint()
        .arg("check")
        .arg(&dir.root)
        .args(["--format", "json", "--today", TODAY])
        .run();
    let document = plain.json();
    assert_eq!(document["summary"]["errors"], 0, "{}", plain.stdout);
    let inapplicable = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SRM005" && d["control"] == "workload-operations")
        .count();
    assert_eq!(inapplicable, 1, "SRM005 for workload-operations");
    assert!(document["summary"]["warnings"].as_u64().unwrap() >= 1);
    assert_eq!(plain.code, 0);
    let denied = srmlint()
        .arg("check")
        .arg(&dir.root)
        .args(["--deny-warnings", "--today", TODAY])
        .run();
    assert_eq!(denied.code, 1);
    let broken = srmlint()
        .args(["check", "examples/broken", "--exit-zero", "--today", TODAY])
        .run();
    assert_eq!(broken.code, 0);
    assert!(broken.stdout.contains("errors"));
}

#[test]
fn bad_arguments_exit_two() {
    let result = srmlint()
        .args(["check", "examples/clinic", "--today", "28.11.2026"])
        .run();
    assert_eq!(result.code, 2);
    assert!(result.stderr.contains("28.11.2026"), "{}", result.stderr);
    let result = srmlint()
        .args(["check", "examples/clinic", "--format", "yaml"])
        .run();
    assert_eq!(result.code, 2);
    let result = srmlint()
        .args([
            "check",
            "examples/clinic",
            "--matrix",
            "no-such-matrix.toml",
        ])
        .run();
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("no-such-matrix.toml"),
        "{}",
        result.stderr
    );
}

#[test]
fn walking_finds_controls_files_skips_vendor_folders_and_prints_relative_paths() {
    let dir = Scratch::outside_repository("walk");
    let file = "[deployment]\nservices = []\n";
    dir.write("controls.toml", file);
    dir.write("team/payments.controls.toml", file);
    dir.write("team/notes.toml", file);
    dir.write(".git/controls.toml", file);
    dir.write("target/controls.toml", file);
    dir.write("web/node_modules/pkg/controls.toml", file);
    let result = check_json(&dir, &[]);
    let document = result.json();
    assert_eq!(
        document["files"],
        serde_json::json!(["controls.toml", "team/payments.controls.toml"])
    );
    assert_eq!(result.code, 1, "SRM015 in both");
    let given = srmlint()
        .current_dir(dir.root.parent().unwrap())
        .arg("check")
        .arg(dir.root.file_name().unwrap())
        .args(["--format", "json", "--today", TODAY])
        .run();
    let name = dir.root.file_name().unwrap().to_string_lossy();
    assert_eq!(
        given.json()["files"],
        serde_json::json!([
            format!("{name}/controls.toml"),
            format!("{name}/team/payments.controls.toml")
        ])
    );
}

#[test]
fn undecodable_files_are_findings_and_the_rest_is_still_checked() {
    let dir = Scratch::outside_repository("undecodable");
    dir.write("binary.controls.toml", b"[deployment]\x00\x01\x02");
    dir.write("latin1.controls.toml", b"# caf\xe9\n");
    let mut big = b"# padding\n".repeat(500_000);
    big.extend_from_slice(b"[deployment]\nservices = [\"compute\"]\n");
    dir.write("huge.controls.toml", big);
    dir.write("good.controls.toml", "[deployment]\nservices = []\n");
    let result = srmlint()
        .arg("check")
        .arg(&dir.root)
        .args(["--format", "json", "--today", TODAY])
        .run();
    assert_eq!(result.code, 1);
    let document = result.json();
    let by_file: Vec<(String, String, String)> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap();
            (
                file.rsplit('/').next().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let find = |name: &str| {
        by_file
            .iter()
            .find(|(file, _, _)| file == name)
            .unwrap()
            .clone()
    };
    assert_eq!(find("binary.controls.toml").1, "SRM022");
    assert!(find("binary.controls.toml").2.contains("binary"));
    assert_eq!(find("latin1.controls.toml").1, "SRM022");
    assert!(find("latin1.controls.toml").2.contains("UTF-8"));
    assert_eq!(find("huge.controls.toml").1, "SRM022");
    assert!(find("huge.controls.toml").2.contains("4 MiB"));
    assert_eq!(find("good.controls.toml").1, "SRM015");
    assert_eq!(document["summary"]["files"], 4);
}

#[test]
fn evidence_resolves_against_the_repository_root() {
    let repo = Scratch::git_root("evidence");
    repo.write("docs/policy.md", "policy\n");
    let controls = "[deployment]\nservices = [\"dns\"]\n[controls.tenant-iam]\nowner = \"customer\"\nevidence = [\"../docs/policy.md\", \"../../outside.md\", \"../docs/gone.md\"]\n";
    repo.write("service/controls.toml", controls);
    let result = srmlint()
        .arg("check")
        .arg(repo.path("service/controls.toml"))
        .args(["--format", "json", "--today", TODAY])
        .run();
    let document = result.json();
    let evidence: Vec<(&str, &str)> = document["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SRM032" || d["code"] == "SRM033")
        .map(|d| (d["code"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(evidence.len(), 2, "{evidence:?}");
    assert!(
        evidence
            .iter()
            .any(|(code, message)| *code == "SRM033" && message.contains("../../outside.md"))
    );
    assert!(
        evidence
            .iter()
            .any(|(code, message)| *code == "SRM032" && message.contains("gone.md"))
    );
}

#[test]
fn matrix_prints_ownership_in_every_format() {
    let table = srmlint().args(["matrix"]).run();
    assert_eq!(table.code, 0);
    assert!(table.stdout.contains("backup-restore"));
    assert!(
        table
            .stdout
            .contains("customer (shared with object-storage)"),
        "{}",
        table.stdout
    );
    let markdown = srmlint()
        .args(["matrix", "--format", "markdown", "--model", "dbaas"])
        .run();
    assert!(
        markdown.stdout.contains("| `physical-security`"),
        "{}",
        markdown.stdout
    );
    assert!(!markdown.stdout.contains("IaaS owner"));
    let document = srmlint().args(["matrix", "--format", "json"]).run().json();
    let controls = document["controls"].as_array().unwrap();
    assert_eq!(controls.len(), 18);
    let backup = controls
        .iter()
        .find(|c| c["id"] == "backup-restore")
        .unwrap();
    assert_eq!(backup["models"][0]["model"], "dbaas");
    assert_eq!(backup["models"][0]["owner"], "shared");
    assert_eq!(backup["models"][1]["owner"], "customer");
    let unknown = srmlint().args(["matrix", "--model", "paas"]).run();
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("paas"));
}

/// `srmlint check … 2>&1 | head` closes both streams early: the run must still end with
/// its own exit code, not a panic (101) from a write to a reader that went away.
#[test]
fn a_reader_that_goes_away_ends_no_run_with_a_panic() {
    for format in ["human", "concise", "json", "github"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_srmlint"))
            .current_dir(common::repo_root())
            .args([
                "check",
                "examples/broken",
                "--today",
                TODAY,
                "--format",
                format,
            ])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary starts");
        drop(child.stdout.take());
        drop(child.stderr.take());
        let status = child.wait().expect("the run ends");
        assert_eq!(status.code(), Some(1), "--format {format}: {status}");
    }
}
