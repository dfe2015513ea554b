//! `srmlint report` run as a user runs it: the built binary, its stdout, stderr and
//! exit code, over the examples and over files written for one test.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

const TODAY: &str = "2026-11-28";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn srmlint(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_srmlint"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("srmlint runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A folder for one test, removed when the test ends.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "srmlint-report-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const CONTROL_IDS: &[&str] = &[
    "data-classification",
    "encryption-in-transit",
    "encryption-at-rest",
    "key-management",
    "tenant-iam",
    "platform-iam",
    "network-security",
    "physical-security",
    "vuln-mgmt-workloads",
    "vuln-mgmt-platform",
    "tenant-logging",
    "platform-logging",
    "backup-restore",
    "platform-bcdr",
    "workload-operations",
    "regulatory-compliance",
    "platform-virtualization",
    "infrastructure-compliance",
];

#[test]
fn a_fully_claimed_deployment_has_no_gaps_and_a_row_per_control() {
    let output = srmlint(
        &root(),
        &["report", "examples/clinic/controls.toml", "--today", TODAY],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(report.starts_with("# Pre-audit posture report\n"));
    assert!(report.contains("Report date 2026-11-28"));
    assert!(report.contains("## Deployment patient-portal"));
    assert!(report.contains("### Gaps (0)"));
    assert!(report.contains("| Control | IaaS | DBaaS | Owner | Status |"));
    for id in CONTROL_IDS {
        let row = report
            .lines()
            .find(|line| line.starts_with(&format!("| [`{id}`]")))
            .unwrap_or_else(|| panic!("no grid row for {id}"));
        assert!(!row.contains("GAP"), "{row}");
    }
    // workload-operations does not apply to DBaaS; backup-restore is the customer's
    // alone in IaaS and shared in DBaaS.
    assert!(report.contains(
        "| [`workload-operations`](#examples-clinic-controls-toml--workload-operations) | customer · claimed | — | customer | claimed |"
    ));
    assert!(report.contains(
        "| [`backup-restore`](#examples-clinic-controls-toml--backup-restore) | customer · claimed | shared · claimed | shared | claimed |"
    ));
    // The claim, and what is inherited on which attestation.
    assert!(report.contains("  - Accountable: dpo@clinic.example"));
    assert!(report.contains("  - Last review: 2026-09-14 (75 days ago)"));
    assert!(report.contains(
        "Inherited on the attestations of Exoscale: ISO 27001, SOC 2, C5, HDS; Aiven (Exoscale's DBaaS partner): ISO 27001"
    ));
    // The file's frameworks, with counts and percentages.
    assert!(report.contains("### ISO/IEC 27001:2022 Annex A"));
    assert!(
        report.contains(
            "| A.8.13 | Information backup | covered | `backup-restore` claimed (cited) |"
        )
    );
    assert!(report.contains(
        "Of 10 requirements that apply: **7 covered (70%)**, 3 inherited (30%), **0 open (0%)**"
    ));
    assert!(report.contains("`regulatory-compliance` maps to no requirement of this framework"));
    assert!(!report.contains("### SOC 2"));
}

#[test]
fn gaps_come_first_in_plain_words_with_their_line() {
    let output = srmlint(
        &root(),
        &["report", "examples/broken/controls.toml", "--today", TODAY],
    );
    // Writing the report succeeded, gaps or not.
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    let gaps = report.find("### Gaps (").expect("a gaps section");
    let grid = report.find("### Ownership grid").expect("a grid");
    assert!(gaps < grid, "gaps come before the grid");
    let source = std::fs::read_to_string(root().join("examples/broken/controls.toml")).unwrap();
    let owner_line = line_after(&source, "[controls.backup-restore]", "owner = ");
    assert!(report.contains(&format!(
        "- **SRM003** examples/broken/controls.toml:{owner_line} `backup-restore`: \\`backup-restore\\` is handed to \\`exoscale\\`, but in IaaS"
    )));
    let residency_line = line_after(&source, "[deployment]", "zones = ");
    assert!(report.contains(&format!("- **SRM013** examples/broken/controls.toml:{residency_line} zone \\`de-fra-1\\` (Frankfurt, DE) is outside the declared residency \\`CH\\`")));
    assert!(report.contains("- Frameworks: ISO/IEC 27001:2022 Annex A; iso27701 (no mapping)"));
    // A gap on a control opens every requirement it maps to.
    assert!(
        report
            .contains("| A.8.13 | Information backup | **OPEN** | `backup-restore` gap (cited) |")
    );
}

/// The 1-based line of the first line starting with `key` after the line `header`.
fn line_after(text: &str, header: &str, key: &str) -> usize {
    let start = text
        .lines()
        .position(|line| line.trim() == header)
        .expect("header present");
    text.lines()
        .enumerate()
        .skip(start)
        .find(|(_, line)| line.starts_with(key))
        .map(|(index, _)| index + 1)
        .expect("key present")
}

#[test]
fn framework_flags_replace_the_files_list_and_unknown_ids_are_refused() {
    let output = srmlint(
        &root(),
        &[
            "report",
            "examples/clinic/controls.toml",
            "--today",
            TODAY,
            "--framework",
            "soc2",
            "--framework",
            "c5",
            "--framework",
            "soc2",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    assert_eq!(
        report
            .matches("### SOC 2 — Trust Services Criteria")
            .count(),
        1
    );
    assert!(report.contains("### BSI C5:2020"));
    assert!(!report.contains("### ISO/IEC 27001"));

    let output = srmlint(
        &root(),
        &["report", "examples/clinic", "--framework", "iso2700"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stdout(&output).is_empty());
    assert!(
        stderr(&output).contains("unknown framework `iso2700`; did you mean `iso27001`?"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn output_is_written_atomically_and_never_overwritten_without_force() {
    let scratch = Scratch::new();
    let target = scratch.0.join("posture.html");
    let target_arg = target.to_str().unwrap();
    let args = [
        "report",
        "examples/clinic/controls.toml",
        "--format",
        "html",
        "--today",
        TODAY,
        "--output",
        target_arg,
    ];
    let first = srmlint(&root(), &args);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stdout(&first).is_empty());
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("<!DOCTYPE html>"));

    std::fs::write(&target, "keep me").unwrap();
    let refused = srmlint(&root(), &args);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("exists; pass `--force` to replace it"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");

    let mut forced = args.to_vec();
    forced.push("--force");
    let replaced = srmlint(&root(), &forced);
    assert_eq!(replaced.status.code(), Some(0), "{}", stderr(&replaced));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), written);
    let leftovers: Vec<_> = std::fs::read_dir(&scratch.0)
        .unwrap()
        .filter_map(Result::ok)
        .map(|entry| entry.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
}

#[test]
fn a_folder_yields_one_section_per_deployment_in_path_order() {
    let output = srmlint(&root(), &["report", "examples", "--today", TODAY]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    let files = [
        "examples/broken/controls.toml",
        "examples/broken/empty-services.controls.toml",
        "examples/clinic/controls.toml",
        "examples/webshop/controls.toml",
    ];
    let mut last = 0;
    for file in files {
        let at = report
            .find(&format!("\n- File: {file}\n"))
            .unwrap_or_else(|| panic!("no section for {file}"));
        assert!(at > last, "{file} out of order");
        last = at;
    }
    // An overview table leads when there are several deployments, and a file that is
    // not a controls file still gets its section with the reason.
    assert!(
        report.contains("| Deployment | File | Controls | Claimed | Inherited | Gaps (findings) |")
    );
    assert!(
        report
            .contains("- **SRM022** examples/broken/latin1.controls.toml:1 the file is not UTF-8")
    );
    assert!(report.contains("- **SRM020** examples/broken/syntax.controls.toml:"));
    // Exactly the files `check` would judge, under the same configuration (acme-org's
    // `.srmlint.toml` excludes its archive).
    let sections = report.matches("\n## Deployment ").count();
    let check = srmlint(
        &root(),
        &["check", "examples", "--format", "json", "--today", TODAY],
    );
    let checked: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let checked = checked["files"].as_array().unwrap();
    assert_eq!(sections, checked.len());
    for file in checked {
        let file = file.as_str().unwrap();
        assert!(report.contains(&format!("\n- File: {file}\n")), "{file}");
    }
    assert!(!report.contains("archive/old.controls.toml"));
}

const WAIVED: &str = r#"
[deployment]
name = "waivers"
services = ["compute"]

[controls.data-classification]
owner = "customer"
accountable = "dpo@example.org"
implementation = "classes in the wiki"
evidence = ["https://wiki.example.org/classes"]

[[waivers]]
rule = "SRM001"
control = "tenant-logging"
reason = "SIEM onboarding in Q1"
approved_by = "ciso@example.org"
ticket = "SEC-1"
expires = 2026-12-31

[[waivers]]
rule = "SRM001"
control = "tenant-iam"
reason = "old exception"
approved_by = "ciso@example.org"
expires = 2026-11-01

[[waivers]]
rule = "SRM031"
reason = "last day"
approved_by = "ciso@example.org"
expires = 2026-11-28

[[waivers]]
rule = "SRM031"
reason = "no date"
approved_by = "ciso@example.org"
"#;

#[test]
fn waivers_show_days_left_and_expired_ones_stand_out() {
    let scratch = Scratch::new();
    scratch.write("controls.toml", WAIVED);
    let markdown = stdout(&srmlint(&scratch.0, &["report", "--today", TODAY]));
    assert!(markdown.contains("### Waivers (4)"));
    assert!(markdown.contains("| 12 | SRM001 | tenant-logging | SIEM onboarding in Q1 | ciso@example.org | SEC-1 | 2026-12-31 | 33 | active | 1 |"));
    assert!(markdown.contains("| 20 | SRM001 | tenant-iam | old exception | ciso@example.org | — | 2026-11-01 | -27 | **EXPIRED** | 0 |"));
    // The last covered day still counts, but this waiver matches nothing.
    assert!(markdown.contains("| 2026-11-28 | 0 | unused | 0 |"));
    assert!(markdown.contains("| — | — | **INVALID** | 0 |"));
    // The active waiver makes its gap `waived`; the expired one hides nothing.
    assert!(markdown.contains("| [`tenant-logging`](#controls-toml--tenant-logging) | customer · waived | customer | waived |"));
    assert!(markdown.contains(
        "| [`tenant-iam`](#controls-toml--tenant-iam) | customer · **GAP** | customer | **GAP** |"
    ));
    assert!(markdown.contains("No framework selected"));

    let json = stdout(&srmlint(
        &scratch.0,
        &["report", "--today", TODAY, "--format", "json"],
    ));
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    let waivers = &document["deployments"][0]["waivers"];
    assert_eq!(waivers[0]["days_left"], 33);
    assert_eq!(waivers[0]["state"], "active");
    assert_eq!(waivers[1]["days_left"], -27);
    assert_eq!(waivers[1]["state"], "expired");
    assert_eq!(waivers[3]["days_left"], serde_json::Value::Null);
    assert_eq!(waivers[3]["state"], "invalid");
    assert_eq!(waivers[0]["waived"], 1);
}

const HOSTILE: &str = r#"
[deployment]
name = "<script>alert('name')</script>"
services = ["compute"]
frameworks = ["nis2"]

[controls.data-classification]
owner = "customer"
accountable = "\"><img src=x onerror=alert(1)>"
implementation = "a | b [click](javascript:alert(2)) & <b>bold</b> *star* `tick`\nsecond line"
evidence = ["https://evil.example/<iframe>", "docs/a&b.md"]
notes = "it's \u001b[31mred"
"#;

#[test]
fn every_string_from_the_file_is_escaped() {
    let scratch = Scratch::new();
    scratch.write("controls.toml", HOSTILE);
    let html = stdout(&srmlint(
        &scratch.0,
        &["report", "--today", TODAY, "--format", "html"],
    ));
    for raw in ["<script", "<img", "<iframe", "<b>", "onerror=alert(1)>"] {
        assert!(!html.contains(raw), "raw `{raw}` in HTML");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("docs/a&amp;b.md"));

    let markdown = stdout(&srmlint(&scratch.0, &["report", "--today", TODAY]));
    // Escaped characters are preceded by a backslash; none may appear bare.
    let bare = markdown.replace("\\<", "").replace("\\]", "");
    for raw in [
        "<script",
        "<img",
        "<iframe",
        "<b>",
        "](javascript",
        "\u{1b}",
    ] {
        assert!(!bare.contains(raw), "raw `{raw}` in Markdown");
    }
    assert!(markdown.contains(
        "  - Implementation: a \\| b \\[click\\](javascript:alert(2)) &amp; \\<b\\>bold\\</b\\> \\*star\\* \\`tick\\` second line"
    ));
    assert!(markdown.contains("## Deployment \\<script\\>alert('name')\\</script\\>"));

    let json = stdout(&srmlint(
        &scratch.0,
        &["report", "--today", TODAY, "--format", "json"],
    ));
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        document["deployments"][0]["name"],
        "<script>alert('name')</script>"
    );
}

#[test]
fn html_is_self_contained() {
    let output = srmlint(
        &root(),
        &["report", "examples", "--today", TODAY, "--format", "html"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = stdout(&output);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.ends_with("</html>\n"));
    for fetching in [
        "<script",
        "<link",
        "<img",
        "@import",
        "url(",
        "src=",
        "href=\"http",
    ] {
        assert!(!html.contains(fetching), "`{fetching}` in the HTML");
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("<th scope=\"col\">Control</th>"));
}

#[test]
fn json_follows_the_documented_shape() {
    let output = srmlint(
        &root(),
        &[
            "report",
            "examples/broken/controls.toml",
            "--today",
            TODAY,
            "--format",
            "json",
            "--framework",
            "nis2",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let document: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(document["tool"]["name"], "srmlint");
    assert_eq!(document["today"], TODAY);
    let deployment = &document["deployments"][0];
    assert_eq!(deployment["file"], "examples/broken/controls.toml");
    assert_eq!(deployment["parsed"], true);
    assert_eq!(deployment["models"][0]["id"], "iaas");
    let controls = deployment["controls"].as_array().unwrap();
    assert_eq!(controls.len(), 18);
    let backup = controls
        .iter()
        .find(|c| c["id"] == "backup-restore")
        .unwrap();
    assert_eq!(backup["owner"], "customer");
    assert_eq!(backup["status"], "gap");
    assert_eq!(backup["cells"][0]["status"], "gap");
    assert_eq!(backup["entry"]["owner"], "exoscale");
    let counts = &deployment["counts"];
    assert_eq!(
        counts["applicable"].as_u64().unwrap(),
        counts["claimed"].as_u64().unwrap()
            + counts["inherited"].as_u64().unwrap()
            + counts["waived"].as_u64().unwrap()
            + counts["gap"].as_u64().unwrap()
    );
    let gaps = deployment["gaps"].as_array().unwrap();
    assert_eq!(
        gaps.len(),
        deployment["summary"]["errors"].as_u64().unwrap() as usize
    );
    assert!(gaps.iter().all(|gap| gap["severity"] == "error"));
    let nis2 = &deployment["frameworks"][0];
    assert_eq!(nis2["id"], "nis2");
    let point_c = nis2["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "21(2)(c)")
        .unwrap();
    assert_eq!(point_c["status"], "open");
    let counts = &nis2["counts"];
    assert_eq!(
        counts["applicable"].as_u64().unwrap(),
        counts["covered"].as_u64().unwrap()
            + counts["inherited"].as_u64().unwrap()
            + counts["open"].as_u64().unwrap()
    );
}

#[test]
fn paths_that_do_not_exist_are_tool_errors() {
    let output = srmlint(&root(), &["report", "examples/nowhere"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("cannot report on `examples/nowhere`"));
    let scratch = Scratch::new();
    let empty = srmlint(&scratch.0, &["report"]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(stderr(&empty).contains("no controls file found"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    for format in ["markdown", "html", "json"] {
        let args = ["report", "examples", "--today", TODAY, "--format", format];
        assert_eq!(
            srmlint(&root(), &args).stdout,
            srmlint(&root(), &args).stdout,
            "{format} differs between runs"
        );
    }
}
