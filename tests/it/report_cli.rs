//! `srmlint report` run as a user runs it: the built binary, its stdout, stderr and
//! exit code, over the examples and over files written for one test.

use crate::common;

use common::{Scratch, TODAY, repo_root, srmlint};

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
    let output = srmlint()
        .args(["report", "examples/clinic/controls.toml", "--today", TODAY])
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    let report = output.stdout;
    assert!(report.starts_with("# Pre-audit posture report\n"));
    assert!(report.contains("Report date 2026-11-28"));
    assert!(report.contains("## Deployment patient-portal"));
    assert!(report.contains("### Gaps (0 findings)"));
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
        "| [`workload-operations`](#examples-clinic-controls-toml--workload-operations) | customer · claimed | n/a | customer | claimed |"
    ));
    assert!(report.contains(
        "| [`backup-restore`](#examples-clinic-controls-toml--backup-restore) | customer · claimed | shared · claimed | shared | claimed |"
    ));
    // The claim, and the provider's attestations as the source scopes them.
    assert!(report.contains("  - Accountable: dpo@clinic.example"));
    assert!(report.contains("  - Last review: 2026-09-14 (75 days ago)"));
    assert!(report.contains(
        "Provider attestations the source names: Exoscale: ISO 27001, SOC 2, C5, HDS (for Exoscale's infrastructure"
    ));
    assert!(report.contains(
        "Aiven (Exoscale's DBaaS partner): ISO 27001 (for the DBaaS platform it operates with Exoscale: the source names Aiven an ISO 27001-certified provider in partnership with which Exoscale operates part of the managed service (§2); the source does not make Aiven a party to the infrastructure's regulatory compliance)"
    ));
    // The file's frameworks, with counts over the whole catalogue.
    assert!(report.contains("#### ISO/IEC 27001:2022 Annex A"));
    assert!(report.contains(
        "| A.8.13 | Information backup | covered | `backup-restore` (claimed; cited, whole) |"
    ));
    assert!(report.contains(
        "All 10 requirements: 0 covered (0%), 0 incomplete (0%), 0 open (0%), 0 inherited (0%), 0 inherited in part (0%), 0 not applicable (0%), 10 not assessed (100%)."
    ));
    assert!(
        report.contains("`regulatory-compliance` is linked to no requirement of this framework")
    );
    assert!(!report.contains("#### SOC 2"));
}

#[test]
fn gaps_come_first_in_plain_words_with_their_line() {
    let output = srmlint()
        .args(["report", "examples/broken/controls.toml", "--today", TODAY])
        .run();
    // Writing the report succeeded, gaps or not.
    assert_eq!(output.code, 0, "{}", output.stderr);
    let report = output.stdout;
    let gaps = report.find("### Gaps (").expect("a gaps section");
    let grid = report.find("### Ownership grid").expect("a grid");
    assert!(gaps < grid, "gaps come before the grid");
    let source =
        std::fs::read_to_string(repo_root().join("examples/broken/controls.toml")).unwrap();
    let owner_line = line_after(&source, "[controls.backup-restore]", "owner = ");
    assert!(report.contains(&format!(
        "- **`backup-restore`** in IaaS\n  - `SRM003` `examples/broken/controls.toml:{owner_line}`: `backup-restore` is handed to `exoscale`, but in IaaS"
    )));
    let residency_line = line_after(&source, "[deployment]", "zones = ");
    assert!(report.contains(&format!("- **`SRM013`** `examples/broken/controls.toml:{residency_line}` zone `de-fra-1` (Frankfurt, DE) is outside the declared residency `CH`")));
    assert!(report.contains("- Frameworks: ISO/IEC 27001:2022 Annex A; `iso27701` (no mapping)"));
    // A gap on a control opens every requirement it is linked to.
    assert!(report.contains(
        "| A.8.13 | Information backup | **OPEN** | `backup-restore` (gap; cited, whole) |"
    ));
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
    let output = srmlint()
        .args([
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
        ])
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    let report = output.stdout;
    assert_eq!(
        report
            .matches("#### SOC 2: Trust Services Criteria")
            .count(),
        1
    );
    assert!(report.contains("#### BSI C5:2020"));
    assert!(!report.contains("#### ISO/IEC 27001"));

    let output = srmlint()
        .args(["report", "examples/clinic", "--framework", "iso2700"])
        .run();
    assert_eq!(output.code, 2);
    assert!(output.stdout.is_empty());
    assert!(
        output
            .stderr
            .contains("unknown framework `iso2700`; did you mean `iso27001`?"),
        "{}",
        output.stderr
    );
}

#[test]
fn output_is_written_atomically_and_never_overwritten_without_force() {
    let scratch = Scratch::outside_repository("atomic-output");
    let target = scratch.path("posture.html");
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
    let first = srmlint().args(args).run();
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stdout.is_empty());
    let written = std::fs::read_to_string(&target).unwrap();
    assert!(written.starts_with("<!DOCTYPE html>"));

    std::fs::write(&target, "keep me").unwrap();
    let refused = srmlint().args(args).run();
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("exists; pass `--force` to replace it")
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");

    let mut forced = args.to_vec();
    forced.push("--force");
    let replaced = srmlint().args(&forced).run();
    assert_eq!(replaced.code, 0, "{}", replaced.stderr);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), written);
    let leftovers: Vec<_> = std::fs::read_dir(&scratch.root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|entry| entry.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
}

#[test]
fn a_folder_yields_one_section_per_deployment_in_path_order() {
    let output = srmlint()
        .args(["report", "examples", "--today", TODAY])
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    let report = output.stdout;
    let files = [
        "examples/broken/controls.toml",
        "examples/broken/empty-services.controls.toml",
        "examples/clinic/controls.toml",
        "examples/webshop/controls.toml",
    ];
    let mut last = 0;
    for file in files {
        let at = report
            .find(&format!("\n- File: `{file}`\n"))
            .unwrap_or_else(|| panic!("no section for {file}"));
        assert!(at > last, "{file} out of order");
        last = at;
    }
    // An overview table leads when there are several deployments, and a file that is
    // not a controls file still gets its section with the reason.
    assert!(report.contains(
        "| Deployment | File | Controls | Claimed | Incomplete | Inherited | Gaps (findings) |"
    ));
    assert!(
        report.contains(
            "- **`SRM022`** `examples/broken/latin1.controls.toml:1` the file is not UTF-8"
        )
    );
    assert!(report.contains("- **`SRM020`** `examples/broken/syntax.controls.toml:"));
    // Exactly the files `check` would judge, under the same configuration (acme-org's
    // `.srmlint.toml` excludes its archive).
    let sections = report.matches("\n## Deployment ").count();
    let check = srmlint()
        .args(["check", "examples", "--format", "json", "--today", TODAY])
        .run();
    let checked = check.json();
    let checked = checked["files"].as_array().unwrap();
    assert_eq!(sections, checked.len());
    for file in checked {
        let file = file.as_str().unwrap();
        assert!(report.contains(&format!("\n- File: `{file}`\n")), "{file}");
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
    let scratch = Scratch::outside_repository("waivers");
    scratch.write("controls.toml", WAIVED);
    let markdown = scratch
        .srmlint()
        .args(["report", "--today", TODAY])
        .run()
        .stdout;
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

    let document = scratch
        .srmlint()
        .args(["report", "--today", TODAY, "--format", "json"])
        .run()
        .json();
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
    let scratch = Scratch::outside_repository("escaped");
    scratch.write("controls.toml", HOSTILE);
    let html = scratch
        .srmlint()
        .args(["report", "--today", TODAY, "--format", "html"])
        .run()
        .stdout;
    for raw in ["<script", "<img", "<iframe", "<b>", "onerror=alert(1)>"] {
        assert!(!html.contains(raw), "raw `{raw}` in HTML");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("docs/a&amp;b.md"));

    let markdown = scratch
        .srmlint()
        .args(["report", "--today", TODAY])
        .run()
        .stdout;
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

    let document = scratch
        .srmlint()
        .args(["report", "--today", TODAY, "--format", "json"])
        .run()
        .json();
    assert_eq!(
        document["deployments"][0]["name"],
        "<script>alert('name')</script>"
    );
}

#[test]
fn html_is_self_contained() {
    let output = srmlint()
        .args(["report", "examples", "--today", TODAY, "--format", "html"])
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    let html = output.stdout;
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
    let output = srmlint()
        .args([
            "report",
            "examples/broken/controls.toml",
            "--today",
            TODAY,
            "--format",
            "json",
            "--framework",
            "nis2",
        ])
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    let document = output.json();
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
            + counts["incomplete"].as_u64().unwrap()
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
    let count = |status: &str| counts[status].as_u64().unwrap();
    assert_eq!(
        count("applicable"),
        count("covered") + count("incomplete") + count("open") + count("inherited")
    );
    assert_eq!(
        count("total"),
        count("applicable") + count("not_applicable") + count("not_assessed")
    );
}

#[test]
fn paths_that_do_not_exist_are_tool_errors() {
    let output = srmlint().args(["report", "examples/nowhere"]).run();
    assert_eq!(output.code, 2);
    assert!(
        output
            .stderr
            .contains("cannot report on `examples/nowhere`")
    );
    let scratch = Scratch::outside_repository("empty");
    let empty = scratch.srmlint().args(["report"]).run();
    assert_eq!(empty.code, 2);
    assert!(empty.stderr.contains("no controls file found"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    for format in ["markdown", "html", "json"] {
        let args = ["report", "examples", "--today", TODAY, "--format", format];
        assert_eq!(
            srmlint().args(args).run().stdout,
            srmlint().args(args).run().stdout,
            "{format} differs between runs"
        );
    }
}
