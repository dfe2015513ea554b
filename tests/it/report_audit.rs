//! What an audit-grade posture report may claim, asserted on the built binary's output:
//! no duty the customer keeps toward its provider shown as inherited, whole catalogues
//! whose statuses add up to exactly 100%, nothing covered by an untouched `init` file,
//! a basis and citation per (control, requirement) link, the commit and digests that
//! tie the report to what it assessed, gaps once per control, code as code in HTML,
//! counts in words, and every string of a hostile matrix escaped.

use crate::common;

use common::{Scratch, TODAY, repo_root, srmlint};
use serde_json::Value;

const ALL: [&str; 8] = [
    "--framework",
    "iso27001",
    "--framework",
    "soc2",
    "--framework",
    "c5",
    "--framework",
    "nis2",
];

/// `report` of the controls file at `path` (run in `scratch`) as JSON, every framework.
fn report_json(scratch: &Scratch, path: &str) -> Value {
    let run = scratch
        .srmlint()
        .args(["report", path, "--today", TODAY, "--format", "json"])
        .args(ALL)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

/// `srmlint report controls.toml --format json` in `scratch`, to run with more set.
fn report_json_of(scratch: &Scratch) -> common::Srmlint {
    let mut command = scratch.srmlint();
    command.args([
        "report",
        "controls.toml",
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    command
}

fn report_text(scratch: &Scratch, path: &str, format: &str) -> String {
    let run = scratch
        .srmlint()
        .args(["report", path, "--today", TODAY, "--format", format])
        .args(ALL)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// The clinic example (Compute, a private network and managed PostgreSQL, every claim
/// made, clean), copied into a committed repository of its own.
fn clinic() -> Scratch {
    let scratch = Scratch::outside_repository("audit-clinic");
    scratch.copy_in(&repo_root().join("examples/clinic"), "");
    scratch.commit_all();
    scratch
}

fn frameworks(document: &Value) -> &Vec<Value> {
    document["deployments"][0]["frameworks"].as_array().unwrap()
}

fn requirement<'a>(framework: &'a Value, id: &str) -> &'a Value {
    (framework["requirements"].as_array().unwrap().iter())
        .find(|requirement| requirement["id"] == id)
        .unwrap_or_else(|| panic!("{} has {id}", framework["id"]))
}

#[test]
fn no_customer_duty_is_inherited_for_a_complete_clean_iaas_dbaas_deployment() {
    let scratch = clinic();
    let document = report_json(&scratch, "controls.toml");
    let deployment = &document["deployments"][0];
    // Complete and clean: every control claimed or the provider's, no finding at all.
    assert_eq!(deployment["summary"]["errors"], 0);
    assert_eq!(deployment["summary"]["warnings"], 0);
    let models: Vec<&str> = (deployment["models"].as_array().unwrap().iter())
        .map(|model| model["id"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["iaas", "dbaas"]);
    let duties = [
        (
            "iso27001",
            &["A.5.19", "A.5.20", "A.5.21", "A.5.22", "A.5.23", "A.5.35"][..],
        ),
        ("soc2", &["CC4.1", "CC9.2"][..]),
        ("nis2", &["21(2)(a)", "21(2)(d)", "21(2)(f)"][..]),
    ];
    for (id, listed) in duties {
        let framework = frameworks(&document)
            .iter()
            .find(|f| f["id"] == id)
            .unwrap();
        for duty in listed {
            let requirement = requirement(framework, duty);
            assert!(requirement["customer_duty"].is_string(), "{id} {duty}");
            assert_eq!(requirement["status"], "not_assessed", "{id} {duty}");
        }
    }
    let controls = deployment["controls"].as_array().unwrap();
    let owner = |id: &str| {
        let control = controls.iter().find(|c| c["id"] == id).unwrap();
        control["owner"].as_str().unwrap().to_owned()
    };
    let mut inherited = 0;
    for framework in frameworks(&document) {
        for requirement in framework["requirements"].as_array().unwrap() {
            if requirement["status"] != "inherited" {
                continue;
            }
            inherited += 1;
            let place = format!("{} {}", framework["id"], requirement["id"]);
            assert!(requirement["customer_duty"].is_null(), "{place} is a duty");
            // Earned: every link is the provider's alone and holds the requirement whole.
            for link in requirement["controls"].as_array().unwrap() {
                assert_eq!(
                    owner(link["control"].as_str().unwrap()),
                    "provider",
                    "{place}"
                );
                assert_eq!(link["extent"], "whole", "{place}");
            }
        }
    }
    assert!(
        inherited > 0,
        "the platform's own requirements are inherited"
    );
    // Physical security is the data centres', not the customer's own sites: in part.
    let iso = frameworks(&document)
        .iter()
        .find(|f| f["id"] == "iso27001")
        .unwrap();
    for id in [
        "A.7.1", "A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.8", "A.7.11", "A.7.12",
    ] {
        let requirement = requirement(iso, id);
        assert_eq!(requirement["status"], "inherited_in_part", "{id}");
        let link = &requirement["controls"][0];
        assert!(
            link["provider_scope"].as_str().unwrap().contains("data"),
            "{id}"
        );
        assert!(
            link["customer_scope"].as_str().unwrap().contains("own"),
            "{id}"
        );
    }
}

#[test]
fn catalogues_are_whole_and_their_statuses_sum_to_a_hundred() {
    let scratch = clinic();
    let document = report_json(&scratch, "controls.toml");
    let statuses = [
        "covered",
        "incomplete",
        "open",
        "inherited",
        "inherited_in_part",
        "not_applicable",
        "not_assessed",
    ];
    let mut totals = Vec::new();
    for framework in frameworks(&document) {
        let counts = &framework["counts"];
        let requirements = framework["requirements"].as_array().unwrap();
        let total = counts["total"].as_u64().unwrap();
        assert_eq!(total as usize, requirements.len());
        let counted: u64 = statuses.iter().map(|s| counts[*s].as_u64().unwrap()).sum();
        assert_eq!(counted, total, "{}", framework["id"]);
        let percent: u64 = (statuses.iter())
            .map(|s| counts[format!("{s}_percent")].as_u64().unwrap())
            .sum();
        assert_eq!(percent, 100, "{}", framework["id"]);
        for requirement in requirements {
            let status = requirement["status"].as_str().unwrap();
            assert!(statuses.contains(&status), "{status}");
        }
        totals.push((framework["id"].as_str().unwrap().to_owned(), total));
    }
    let expected = [("iso27001", 93), ("soc2", 61), ("c5", 121), ("nis2", 10)];
    let expected: Vec<(String, u64)> = expected.iter().map(|(i, n)| ((*i).into(), *n)).collect();
    assert_eq!(totals, expected);
    // Both documents say the same counts over the whole catalogue.
    let iso = &frameworks(&document)[0]["counts"];
    let count = |status: &str| iso[status].as_u64().unwrap();
    let percent = |status: &str| iso[format!("{status}_percent")].as_u64().unwrap();
    let sentence = format!(
        "All 93 requirements: {} covered ({}%), {} incomplete ({}%), {} open ({}%), {} inherited ({}%), {} inherited in part ({}%), {} not applicable ({}%), {} not assessed ({}%).",
        count("covered"),
        percent("covered"),
        count("incomplete"),
        percent("incomplete"),
        count("open"),
        percent("open"),
        count("inherited"),
        percent("inherited"),
        count("inherited_in_part"),
        percent("inherited_in_part"),
        count("not_applicable"),
        percent("not_applicable"),
        count("not_assessed"),
        percent("not_assessed"),
    );
    assert!(report_text(&scratch, "controls.toml", "markdown").contains(&sentence));
    let html = report_text(&scratch, "controls.toml", "html");
    let covered = format!(
        "<span class=\"badge req-covered\">{} covered</span> ({}%)",
        count("covered"),
        percent("covered")
    );
    assert!(html.contains("All 93 requirements: "), "{html}");
    assert!(html.contains(&covered));
}

#[test]
fn an_untouched_init_file_has_nothing_covered() {
    let scratch = Scratch::outside_repository("audit-init");
    let init = scratch
        .srmlint()
        .args([
            "init",
            "--services",
            "compute,dbaas-pg",
            "--zones",
            "ch-gva-2",
        ])
        .run();
    assert_eq!(init.code, 0, "{}", init.stderr);
    let document = report_json(&scratch, "controls.toml");
    let deployment = &document["deployments"][0];
    // Every claim is there, with a TODO accountable and no evidence: unfilled (SRM038),
    // a gap, so every requirement resting on one is open.
    assert_eq!(deployment["counts"]["claimed"], 0);
    assert_eq!(deployment["counts"]["incomplete"], 0);
    assert_eq!(deployment["counts"]["gap"], 11);
    let gaps: Vec<&str> = (deployment["gaps"].as_array().unwrap().iter())
        .map(|gap| gap["code"].as_str().unwrap())
        .collect();
    assert_eq!(gaps, ["SRM038"; 11]);
    for framework in frameworks(&document) {
        let counts = &framework["counts"];
        assert_eq!(counts["covered"], 0, "{}", framework["id"]);
        assert_eq!(counts["covered_percent"], 0, "{}", framework["id"]);
    }
    let iso = &frameworks(&document)[0];
    assert_eq!(requirement(iso, "A.8.13")["status"], "open");
    assert!(iso["counts"]["open"].as_u64().unwrap() > 0);
    let markdown = report_text(&scratch, "controls.toml", "markdown");
    assert!(markdown.contains(" 0 covered (0%), "), "{markdown}");
}

#[test]
fn every_link_carries_its_own_basis_and_citation_in_the_json() {
    let scratch = clinic();
    let document = report_json(&scratch, "controls.toml");
    let c5 = frameworks(&document)
        .iter()
        .find(|f| f["id"] == "c5")
        .unwrap();
    // CRY-01 is not what CRY-03's citation names: its links are judgements.
    let policy = requirement(c5, "CRY-01");
    let at_rest = (policy["controls"].as_array().unwrap().iter())
        .find(|link| link["control"] == "encryption-at-rest")
        .unwrap();
    assert_eq!(at_rest["basis"], "judgement");
    assert!(at_rest["citation"].is_null());
    assert!(at_rest["reason"].as_str().unwrap().len() > 20);
    let storage = requirement(c5, "CRY-03");
    assert_eq!(storage["title"], "Encryption of sensitive data for storage");
    // C5's criteria are the provider's to meet and their texts were not quoted: the
    // link is a judgement, and it holds only part of the criterion.
    let link = &storage["controls"][0];
    assert_eq!(
        (
            &link["control"],
            &link["basis"],
            &link["status"],
            &link["extent"]
        ),
        (
            &Value::from("encryption-at-rest"),
            &Value::from("judgement"),
            &Value::from("claimed"),
            &Value::from("part")
        )
    );
    assert!(link["citation"].is_null());
    // Every entry is {control, status, basis, citation}, a citation naming its own
    // requirement.
    for framework in frameworks(&document) {
        for requirement in framework["requirements"].as_array().unwrap() {
            let id = requirement["id"].as_str().unwrap();
            for link in requirement["controls"].as_array().unwrap() {
                for key in ["control", "status", "basis", "citation", "reason", "extent"] {
                    assert!(link.get(key).is_some(), "{id}: no `{key}`");
                }
                match link["basis"].as_str().unwrap() {
                    "cited" => {
                        let citation = link["citation"].as_str().unwrap();
                        assert!(citation.contains(id), "{id}");
                        // A citation quotes its source, never only the title.
                        assert!(
                            citation.contains('“') && citation.contains('”'),
                            "{id}: {citation}"
                        );
                    }
                    _ => assert!(link["citation"].is_null(), "{id}"),
                }
            }
        }
    }
    // The control's side of the same links.
    let controls = document["deployments"][0]["controls"].as_array().unwrap();
    let at_rest = controls
        .iter()
        .find(|c| c["id"] == "encryption-at-rest")
        .unwrap();
    let c5_mapping = (at_rest["mappings"].as_array().unwrap().iter())
        .find(|mapping| mapping["framework"] == "c5")
        .unwrap();
    let links: Vec<(&str, &str)> = (c5_mapping["links"].as_array().unwrap().iter())
        .map(|l| {
            (
                l["requirement"].as_str().unwrap(),
                l["basis"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(links, [("CRY-01", "judgement"), ("CRY-03", "judgement")]);
}

#[test]
fn the_source_is_the_files_own_repository_and_an_untracked_file_is_not_the_commit() {
    let scratch = clinic();
    let head = scratch.git(&["rev-parse", "HEAD"]);
    // Another repository named by the environment, as a git hook does: ignored.
    let decoy = Scratch::outside_repository("audit-decoy");
    decoy.write("readme.md", "decoy\n");
    decoy.commit_all();
    let run = report_json_of(&scratch)
        .env("GIT_DIR", decoy.path(".git"))
        .run();
    assert_eq!(
        run.json()["source"]["git"]["commit"],
        head.as_str(),
        "{}",
        run.stdout
    );
    // A controls file git ignores was never committed: the commit does not hold it.
    scratch.write(".gitignore", "controls.toml\n");
    scratch.git(&["rm", "--quiet", "--cached", "controls.toml"]);
    scratch.commit_all();
    let git = &report_json(&scratch, "controls.toml")["source"]["git"];
    assert_eq!(git["dirty"], true, "{git}");
    assert_eq!(
        git["note"], "a controls file is not tracked by git",
        "{git}"
    );
    // git cannot read the index: whether the tree differs is not known, not "clean".
    std::fs::write(scratch.path(".git/index"), "garbage").unwrap();
    let git = &report_json(&scratch, "controls.toml")["source"]["git"];
    assert!(git["dirty"].is_null(), "{git}");
    assert_eq!(git["note"], "git status failed", "{git}");
}

#[test]
fn the_source_names_the_commit_whether_it_was_dirty_and_every_digest() {
    let scratch = clinic();
    let head = scratch.git(&["rev-parse", "HEAD"]);
    let document = report_json(&scratch, "controls.toml");
    let source = &document["source"];
    assert_eq!(source["srmlint"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        source["matrix"]["title"],
        "Exoscale Shared Responsibility Model"
    );
    assert_eq!(source["matrix"]["version"], "2026-12");
    assert_eq!(
        source["matrix"]["source_sha256"].as_str().unwrap().len(),
        64
    );
    assert_eq!(source["git"]["commit"], head.as_str());
    assert_eq!(source["git"]["dirty"], false);
    assert!(source["git"]["note"].is_null());
    let bytes = std::fs::read(scratch.path("controls.toml")).unwrap();
    let digest = srmlint::text::digest::sha256_hex(&bytes);
    assert_eq!(source["files"][0]["path"], "controls.toml");
    assert_eq!(source["files"][0]["sha256"], digest.as_str());
    for format in ["markdown", "html"] {
        let text = report_text(&scratch, "controls.toml", format);
        let header = &text[..text.find("Deployment patient-portal").unwrap()];
        assert!(header.contains(&head), "{format}: {header}");
        assert!(header.contains(&digest), "{format}");
        assert!(header.contains("the work tree matched it"), "{format}");
        assert!(header.contains("version 2026-12"), "{format}");
    }

    // An uncommitted change: the same commit, a dirty tree, a new digest.
    let mut changed = String::from_utf8(bytes).unwrap();
    changed.push_str("\n# reviewed again\n");
    scratch.write("controls.toml", &changed);
    let document = report_json(&scratch, "controls.toml");
    assert_eq!(document["source"]["git"]["commit"], head.as_str());
    assert_eq!(document["source"]["git"]["dirty"], true);
    assert_ne!(document["source"]["files"][0]["sha256"], digest.as_str());
    let markdown = report_text(&scratch, "controls.toml", "markdown");
    assert!(markdown.contains("**UNCOMMITTED CHANGES**: the work tree differed from this commit"));
    // The digest is of the bytes on disk, a leading byte-order mark and CRLF included.
    let marked = format!("\u{feff}{}", changed.replace('\n', "\r\n"));
    scratch.write("controls.toml", &marked);
    let document = report_json(&scratch, "controls.toml");
    assert_eq!(
        document["source"]["files"][0]["sha256"],
        srmlint::text::digest::sha256_hex(marked.as_bytes()).as_str()
    );

    // Outside a repository, and without git at all: no commit, and why.
    let outside = Scratch::outside_repository("audit-no-repository");
    outside.copy_in(&repo_root().join("examples/clinic"), "");
    let git = &report_json(&outside, "controls.toml")["source"]["git"];
    assert!(git["commit"].is_null() && git["dirty"].is_null());
    assert_eq!(
        git["note"],
        "the controls files are not inside a git repository"
    );
    let empty = Scratch::outside_repository("audit-no-git-on-path");
    let run = report_json_of(&outside).env("PATH", &empty.root).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.json()["source"]["git"]["note"],
        "git is not installed or not on PATH"
    );
}

#[test]
fn gaps_are_listed_once_per_control_with_all_its_models() {
    let scratch = clinic();
    // Drop the tenant-logging claim: it is owed in IaaS and in DBaaS, one SRM001 each.
    let text = std::fs::read_to_string(scratch.path("controls.toml")).unwrap();
    let start = text.find("[controls.tenant-logging]").unwrap();
    let end = start + 1 + text[start + 1..].find("\n[").unwrap();
    scratch.write(
        "controls.toml",
        format!("{}{}", &text[..start], &text[end + 1..]),
    );
    let document = report_json(&scratch, "controls.toml");
    let gaps = document["deployments"][0]["gaps"].as_array().unwrap();
    assert_eq!(gaps.len(), 2, "one finding per model");
    let markdown = report_text(&scratch, "controls.toml", "markdown");
    let section =
        &markdown[markdown.find("### Gaps").unwrap()..markdown.find("### Ownership grid").unwrap()];
    assert!(section.contains("### Gaps (2 findings)"), "{section}");
    assert_eq!(section.matches("\n- ").count(), 1, "one entry: {section}");
    assert!(
        section.contains("- **`tenant-logging`** in IaaS, DBaaS\n"),
        "{section}"
    );
    assert_eq!(section.matches("\n  - `SRM001`").count(), 2, "{section}");
    assert_eq!(
        section.matches("[controls.tenant-logging]").count(),
        1,
        "{section}"
    );
    let html = report_text(&scratch, "controls.toml", "html");
    let section = &html[html.find("<ol class=\"gaps\">").unwrap()..];
    let section = &section[..section.find("</ol>").unwrap()];
    assert_eq!(
        section.matches("[controls.tenant-logging]").count(),
        1,
        "{section}"
    );
    assert_eq!(
        section.matches("<li>").count(),
        3,
        "an entry with two lines: {section}"
    );
}

/// `html` without its `<pre>` blocks (help laid out as written) and its style sheet.
fn prose_of(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<pre") {
        out.push_str(&rest[..start]);
        rest = &rest[start + rest[start..].find("</pre>").unwrap() + 6..];
    }
    out.push_str(rest);
    let (before, after) = out.split_once("<style>").unwrap();
    format!("{before}{}", after.split_once("</style>").unwrap().1)
}

#[test]
fn html_shows_code_as_code_and_no_literal_backticks() {
    // The broken example's findings name controls, services and owner words in code.
    let html = srmlint()
        .args([
            "report",
            "examples/broken/controls.toml",
            "--today",
            TODAY,
            "--format",
            "html",
        ])
        .run()
        .stdout;
    let prose = prose_of(&html);
    assert!(!prose.contains('`'), "a literal backtick in the HTML");
    assert!(html.contains(
        "<code>backup-restore</code> is handed to <code>exoscale</code>, but in IaaS it is yours"
    ));
    assert!(html.contains("<p class=\"help\">Fix: "));
    assert!(html.contains("<code>SRM003</code>"));
}

#[test]
fn counts_are_written_in_words() {
    let scratch = Scratch::outside_repository("audit-words");
    // One error (SRM001: backup-restore is not claimed), one warning (SRM031: no
    // evidence), a review one day before the report.
    let mut text = String::from("[deployment]\nname = \"one\"\nservices = [\"compute\"]\n");
    let owed = [
        "data-classification",
        "encryption-in-transit",
        "encryption-at-rest",
        "key-management",
        "tenant-iam",
        "network-security",
        "vuln-mgmt-workloads",
        "tenant-logging",
        "workload-operations",
        "regulatory-compliance",
    ];
    for control in owed {
        let owner = if control.ends_with("transit") || control == "key-management" {
            "shared"
        } else {
            "customer"
        };
        text.push_str(&format!(
            "[controls.{control}]\nowner = \"{owner}\"\naccountable = \"a@b.example\"\nevidence = [\"https://wiki.example/x\"]\nreviewed = 2026-11-27\n"
        ));
    }
    text = text.replacen("evidence = [\"https://wiki.example/x\"]\n", "", 1);
    scratch.write("controls.toml", text);
    let document = report_json(&scratch, "controls.toml");
    let summary = &document["deployments"][0]["summary"];
    assert_eq!(
        (summary["errors"].as_u64(), summary["warnings"].as_u64()),
        (Some(1), Some(1))
    );
    for format in ["markdown", "html"] {
        let report = report_text(&scratch, "controls.toml", format);
        assert!(report.contains("1 error, 1 warning, 0 waived"), "{format}");
        assert!(report.contains("2026-11-27 (1 day ago)"), "{format}");
        assert!(report.contains("Gaps (1 finding)"), "{format}");
        assert!(!report.contains("(s)"), "{format}: a count not in words");
        assert!(!report.contains("1 days"), "{format}");
    }
}

#[test]
fn every_string_of_a_hostile_matrix_is_escaped() {
    let scratch = Scratch::outside_repository("audit-hostile-matrix");
    let matrix = srmlint::data::matrix::EMBEDDED_MATRIX
        .replace("title = \"IaaS\"", "title = \"IaaS <b>*i*</b>\u{202e}\"")
        .replace("city = \"Geneva\"", "city = \"Gen\u{202e}eva <i>|\"")
        .replace(
            "title = \"Data classification and application-layer access\"",
            "title = \"Data <script>x</script> | \u{2066}class\"",
        )
        .replace(
            "scope = \"classify the data you store",
            "scope = \"`tick` \u{202e}classify <b>the</b> data you store",
        );
    scratch.write("matrix.toml", matrix);
    scratch.write(
        "controls.toml",
        "[deployment]\nname = \"h\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n[controls.\"x\u{9b}31m\u{202e}\"]\nowner = \"customer\"\n",
    );
    let render = |format: &str| {
        let run = scratch
            .srmlint()
            .args([
                "report",
                "--matrix",
                "matrix.toml",
                "--today",
                TODAY,
                "--format",
                format,
            ])
            .run();
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let (markdown, html) = (render("markdown"), render("html"));
    for (format, text) in [("markdown", &markdown), ("html", &html)] {
        for raw in ['\u{202e}', '\u{2066}', '\u{9b}'] {
            assert!(!text.contains(raw), "{format}: raw {:?}", raw);
        }
        // Markdown shows an escaped `<` as `\<`; none may stand bare.
        let bare = text.replace("\\<", "");
        assert!(!bare.contains("<b>") && !bare.contains("<i>"), "{format}");
        assert!(!bare.contains("<script"), "{format}");
    }
    // A visible escape's backslash is itself escaped in Markdown, so it shows as one.
    let title = "IaaS \\<b\\>\\*i\\*\\</b\\>\\\\u{202e}";
    assert!(markdown.contains(&format!("| Control | {title} | Owner | Status |")));
    assert!(markdown.contains(&format!("Your part ({title})")));
    assert!(markdown.contains("(Gen\\\\u{202e}eva \\<i\\>\\|, CH)"));
    assert!(
        markdown.contains("- **x\\\\u{9b}31m\\\\u{202e}**\n"),
        "{markdown}"
    );
    assert!(markdown.contains("`tick` \\\\u{202e}classify \\<b\\>the"));
    assert!(html.contains("IaaS &lt;b&gt;*i*&lt;/b&gt;\\u{202e}"));
    assert!(html.contains("Gen\\u{202e}eva &lt;i&gt;|"));
    assert!(html.contains("<code>tick</code> \\u{202e}classify &lt;b&gt;the&lt;/b&gt; data"));
}

/// Switching the claim rules off quiets `check`, never the report: a claim with a TODO
/// accountable and stub evidence is judged as the rules define it, and the header says
/// which rule was switched off by which file.
#[test]
fn the_report_judges_by_the_rules_own_levels_and_discloses_every_override() {
    let scratch = clinic();
    scratch.write(
        ".srmlint.toml",
        "[rules]\nSRM030 = \"off\"\nSRM031 = \"off\"\nSRM036 = \"off\"\nSRM037 = \"info\"\n",
    );
    let controls = std::fs::read_to_string(scratch.path("controls.toml")).unwrap();
    let controls = controls.replacen(
        "accountable = \"sre@clinic.example\"",
        "accountable = \"TODO\"",
        1,
    );
    scratch.write("controls.toml", controls);
    scratch.write("docs/security/tls.md", "TODO\n");
    // `check` obeys the configuration: the TODO and the stub are no warnings there.
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
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert_eq!(check.json()["summary"]["warnings"], 0);
    // The report does not.
    let document = report_json(&scratch, "controls.toml");
    let deployment = &document["deployments"][0];
    let controls = deployment["controls"].as_array().unwrap();
    let transit = controls
        .iter()
        .find(|c| c["id"] == "encryption-in-transit")
        .unwrap();
    assert_eq!(transit["status"], "incomplete");
    let codes: Vec<&str> = (transit["findings"].as_array().unwrap().iter())
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["SRM036", "SRM037"], "at their own levels");
    let iso = frameworks(&document)
        .iter()
        .find(|f| f["id"] == "iso27001")
        .unwrap();
    assert_ne!(requirement(iso, "A.8.24")["status"], "covered");
    let overrides = document["source"]["overrides"].as_array().unwrap();
    let listed: Vec<(&str, &str, &str)> = overrides
        .iter()
        .map(|o| {
            (
                o["code"].as_str().unwrap(),
                o["level"].as_str().unwrap(),
                o["file"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("SRM030", "off", ".srmlint.toml"),
            ("SRM031", "off", ".srmlint.toml"),
            ("SRM036", "off", ".srmlint.toml"),
            ("SRM037", "info", ".srmlint.toml")
        ]
    );
    assert_eq!(overrides[0]["default"], "warning");
    for format in ["markdown", "html"] {
        let text = report_text(&scratch, "controls.toml", format);
        let header = &text[..text.find("Deployment patient-portal").unwrap()];
        assert!(
            header.contains("Rule levels changed by configuration"),
            "{format}"
        );
        assert!(header.contains("SRM031"), "{format}: {header}");
        assert!(
            header.contains("set to off (its own level: warning) by"),
            "{format}"
        );
    }
    // Without overrides the header says so.
    std::fs::remove_file(scratch.path(".srmlint.toml")).unwrap();
    let text = report_text(&scratch, "controls.toml", "markdown");
    assert!(
        text.contains("Rule levels changed by configuration: none"),
        "{text}"
    );
}

/// Every evidence file the report relied on is fingerprinted: its SHA-256, its size and
/// the date of the last commit that changed it; a URL is "not verified"; in a shallow
/// clone the date is unknown, never the clone's own.
#[test]
fn evidence_is_fingerprinted_with_its_hash_and_last_commit_date() {
    let scratch = clinic();
    let document = report_json(&scratch, "controls.toml");
    let controls = document["deployments"][0]["controls"].as_array().unwrap();
    let backup = controls
        .iter()
        .find(|c| c["id"] == "backup-restore")
        .unwrap();
    let prints = backup["entry"]["evidence_fingerprints"].as_array().unwrap();
    assert_eq!(prints.len(), 2);
    let bytes = std::fs::read(scratch.path("docs/runbooks/restore-test.md")).unwrap();
    assert_eq!(prints[0]["evidence"], "docs/runbooks/restore-test.md");
    assert_eq!(prints[0]["kind"], "file");
    assert_eq!(
        prints[0]["sha256"],
        srmlint::text::digest::sha256_hex(&bytes).as_str()
    );
    assert_eq!(prints[0]["bytes"], bytes.len());
    let date = scratch.git(&[
        "log",
        "-1",
        "--format=%cs",
        "--",
        "docs/runbooks/restore-test.md",
    ]);
    assert_eq!(prints[0]["last_commit"], date.as_str());
    assert_eq!(prints[1]["kind"], "url");
    assert!(prints[1]["sha256"].is_null());
    assert!(prints[1]["note"].as_str().unwrap().contains("not verified"));
    let markdown = report_text(&scratch, "controls.toml", "markdown");
    assert!(
        markdown.contains(&format!(
            "`docs/runbooks/restore-test.md` (SHA-256 `{}`",
            prints[0]["sha256"].as_str().unwrap()
        )),
        "{markdown}"
    );
    assert!(markdown.contains(&format!("last commit {date}")));
    assert!(
        !markdown.contains("Restored"),
        "evidence text is never printed"
    );
    // A shallow clone of it: the history is cut, so the date is unknown.
    let clone = Scratch::outside_repository("audit-shallow");
    let from = format!("file://{}", scratch.root.display());
    common::git(&clone.root, &["clone", "--quiet", "--depth=1", &from, "c"]);
    let output = srmlint()
        .current_dir(clone.path("c"))
        .args([
            "report",
            "controls.toml",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .run();
    let document = output.json();
    let controls = document["deployments"][0]["controls"].as_array().unwrap();
    let backup = controls
        .iter()
        .find(|c| c["id"] == "backup-restore")
        .unwrap();
    assert_eq!(
        backup["entry"]["evidence_fingerprints"][0]["last_commit"],
        "unknown"
    );
}
