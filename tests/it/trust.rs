//! Trust at the edges, one test per thing a careful user or an attacker saw go wrong:
//! writes that must never destroy anything, reads that must stay inside the
//! repository, verdicts that were wrong, output that must stay well-formed and safe,
//! and what users reached for and did not find. Every test runs the built binary.

use crate::common;

use common::{CLEAN, Run, Scratch, TODAY, check, clean_with, json, replace_table};

/// The codes of a `--format json` run's diagnostics, with their control and model.
fn findings(run: &Run) -> Vec<(String, Option<String>, Option<String>)> {
    run.diagnostics()
        .iter()
        .map(|diagnostic| {
            let text = |key: &str| diagnostic[key].as_str().map(str::to_owned);
            (text("code").unwrap(), text("control"), text("model"))
        })
        .collect()
}

fn codes(run: &Run) -> Vec<String> {
    findings(run).into_iter().map(|(code, _, _)| code).collect()
}

// ------------------------------------------------------------------- 1, 2: writes

#[cfg(unix)]
#[test]
fn output_writes_through_devices_pipes_and_links_and_refuses_folders() {
    let dir = Scratch::git_root("trust-write-through");
    dir.write("controls.toml", CLEAN);
    // /dev/null and /dev/stdout need no --force and stay what they are.
    for device in ["/dev/null", "/dev/stdout"] {
        let run = check(
            &dir,
            &["controls.toml", "--format", "json", "--output", device],
        );
        assert_eq!(run.code, 0, "{device}: {}", run.stderr);
    }
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(!null.is_file(), "/dev/null is still a device");
    // A symlink to a regular file is never written through, `--force` or not: in a
    // checkout a pull request controls it would write outside the repository. The
    // link and its target stay as they were.
    dir.write("target.json", "old");
    std::os::unix::fs::symlink(dir.path("target.json"), dir.path("link.json")).unwrap();
    for force in [false, true] {
        let mut args = vec!["controls.toml", "--format", "json", "--output", "link.json"];
        if force {
            args.push("--force");
        }
        let refused = check(&dir, &args);
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(
            refused
                .stderr
                .contains("never writes through a link to a file"),
            "{}",
            refused.stderr
        );
        let link = std::fs::symlink_metadata(dir.path("link.json")).unwrap();
        assert!(link.file_type().is_symlink(), "the link was replaced");
        assert_eq!(
            std::fs::read_to_string(dir.path("target.json")).unwrap(),
            "old"
        );
    }
    // A link to a character device is written through, as /dev/stdout is.
    std::os::unix::fs::symlink("/dev/null", dir.path("null.json")).unwrap();
    let run = check(
        &dir,
        &["controls.toml", "--format", "json", "--output", "null.json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::symlink_metadata(dir.path("null.json"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A named pipe is written through, never replaced by a file.
    let fifo = dir.path("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::read_to_string(fifo).unwrap()
    });
    let run = check(
        &dir,
        &[
            "controls.toml",
            "--format",
            "json",
            "--output",
            "pipe",
            "--force",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(reader.join().unwrap().contains("\"summary\""));
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    // A pipe no process reads is an error at once, not a run that waits for ever.
    let run = check(&dir, &["controls.toml", "--output", "pipe", "--force"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no process is reading"),
        "{}",
        run.stderr
    );
    // A link that leads nowhere would make a file wherever it points: refused.
    std::os::unix::fs::symlink(dir.path("nowhere/new.md"), dir.path("dangling.md")).unwrap();
    for force in [false, true] {
        let mut args = vec!["controls.toml", "--output", "dangling.md"];
        if force {
            args.push("--force");
        }
        let run = check(&dir, &args);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("leads nowhere"), "{}", run.stderr);
        assert!(
            !dir.path("nowhere").exists(),
            "written through a dangling link"
        );
    }
    // A folder is an error, even with --force.
    std::fs::create_dir(dir.path("out")).unwrap();
    let run = check(&dir, &["controls.toml", "--output", "out", "--force"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("it is a folder"), "{}", run.stderr);
}

#[test]
fn no_command_replaces_a_controls_file_it_reads() {
    let dir = Scratch::git_root("trust-report-over-input");
    dir.write("controls.toml", CLEAN);
    let run = dir
        .srmlint()
        .args([
            "report",
            "controls.toml",
            "--output",
            "controls.toml",
            "--force",
        ])
        .args(["--today", TODAY])
        .run();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("a controls file being checked"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path("controls.toml")).unwrap(),
        CLEAN
    );
}

#[test]
fn a_refused_output_never_takes_the_error_document_either() {
    // JSON and SARIF runs that fail write an error document to `--output`; when the
    // failure is that `--output` names the controls file, nothing may be written.
    let dir = Scratch::git_root("trust-error-document-over-input");
    dir.write("controls.toml", CLEAN);
    #[cfg(unix)]
    std::os::unix::fs::symlink("controls.toml", dir.path("out.lnk")).unwrap();
    let mut cases = vec![
        vec![
            "check",
            "controls.toml",
            "--format",
            "json",
            "--output",
            "controls.toml",
        ],
        vec![
            "check",
            "controls.toml",
            "--format",
            "sarif",
            "--output",
            "./controls.toml",
        ],
        vec![
            "check",
            "-",
            "--stdin-filename",
            "controls.toml",
            "--format",
            "json",
            "--output",
            "controls.toml",
        ],
    ];
    if cfg!(unix) {
        cases.push(vec![
            "check",
            "controls.toml",
            "--format",
            "sarif",
            "--output",
            "out.lnk",
        ]);
    }
    for case in cases {
        let run = dir
            .srmlint()
            .args(&case)
            .args(["--force", "--today", TODAY])
            .stdin(CLEAN)
            .run();
        assert_eq!(run.code, 2, "{case:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("a controls file being checked"),
            "{case:?}: {}",
            run.stderr
        );
        assert_eq!(
            std::fs::read_to_string(dir.path("controls.toml")).unwrap(),
            CLEAN,
            "{case:?} replaced the controls file"
        );
    }
}

// -------------------------------------------------------------------- 3: reads

#[test]
fn a_path_with_dot_dot_is_judged_where_the_file_really_lies() {
    let dir = Scratch::git_root("trust-dot-dot");
    dir.write("outside.md", "evidence\n");
    dir.write(
        "team/tf/main.tf",
        "resource \"exoscale_compute_instance\" \"web\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    let entry = "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\nevidence = [\"../outside.md\"]\n";
    let controls = clean_with("tenant-iam", entry).replace(
        "zones = [\"ch-gva-2\"]",
        "zones = [\"ch-gva-2\"]\nterraform = [\"tf\"]",
    );
    dir.write("team/controls.toml", &controls);
    std::fs::create_dir_all(dir.path("team/sub")).unwrap();
    // Named through `..`, the file is the same file: its Terraform is inside the
    // repository and its evidence is found.
    let run = dir
        .srmlint()
        .current_dir(dir.path("team/sub"))
        .args([
            "check",
            "../controls.toml",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .run();
    let found = codes(&run);
    assert!(
        !found
            .iter()
            .any(|code| matches!(code.as_str(), "SRM032" | "SRM033" | "SRM053")),
        "{}",
        run.stdout
    );
    // Standing for a file that lies nowhere, outside every repository, standard input
    // cannot reach a file beside the repository it is run from through `..` in its
    // name: the repository is found where the stand-in really lies, not by the text.
    let outside = Scratch::outside_repository("trust-dot-dot-stdin");
    outside.write("secret.md", "not evidence\n");
    std::fs::create_dir_all(outside.path("repo/.git")).unwrap();
    let root = std::fs::canonicalize(outside.path("")).unwrap();
    let name = root.file_name().unwrap().to_string_lossy().into_owned();
    let run = outside
        .srmlint()
        .current_dir(outside.path("repo"))
        .args([
            "check",
            "-",
            "--stdin-filename",
            "../../nowhere/controls.toml",
        ])
        .args(["--format", "json", "--today", TODAY])
        .stdin(controls.replace("../outside.md", &format!("../{name}/secret.md")))
        .run();
    assert!(codes(&run).contains(&"SRM033".to_owned()), "{}", run.stdout);
}

#[test]
fn a_configuration_never_reads_a_policy_outside_the_repository() {
    let outside = Scratch::outside_repository("trust-secret");
    let secret = outside.write(
        "credentials.toml",
        "aws_secret_access_key = \"AKIA-SECRET\"\n",
    );
    let dir = Scratch::git_root("trust-config-escape");
    dir.write("controls.toml", CLEAN);
    for named in [
        secret.to_string_lossy().into_owned(),
        "../../../../../../../etc/passwd".to_owned(),
    ] {
        dir.write(
            ".srmlint.toml",
            format!(
                "policies = [{}]\n",
                srmlint::text::escape::toml_string(&named)
            ),
        );
        let run = check(&dir, &["controls.toml"]);
        assert_eq!(run.code, 2, "{named}");
        assert!(run.stderr.contains("`policies` names"), "{}", run.stderr);
        assert!(!run.stderr.contains("AKIA-SECRET"), "{}", run.stderr);
        assert!(!run.stderr.contains("root:"), "{}", run.stderr);
    }
    // A link inside the repository that leads out is refused too.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, dir.path("policy.toml")).unwrap();
        dir.write(".srmlint.toml", "policies = [\"policy.toml\"]\n");
        let run = check(&dir, &["controls.toml"]);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr.contains("leads outside the repository"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("AKIA-SECRET"), "{}", run.stderr);
        // So is a link inside a policy folder the configuration names: never
        // followed, never skipped in silence.
        std::fs::create_dir_all(dir.path("policies")).unwrap();
        std::os::unix::fs::symlink(&secret, dir.path("policies/linked.toml")).unwrap();
        dir.write(".srmlint.toml", "policies = [\"policies\"]\n");
        let run = check(&dir, &["controls.toml"]);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr
                .contains("holds `policies/linked.toml`, a symbolic link"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("AKIA-SECRET"), "{}", run.stderr);
    }
}

// ----------------------------------------------------------- 4 to 8: verdicts

/// A Compute + PostgreSQL deployment with `entry` for one control and nothing else.
fn mixed(control: &str, entry: &str) -> String {
    format!(
        "[deployment]\nservices = [\"compute\", \"dbaas-pg\"]\nzones = [\"ch-gva-2\"]\n\n[controls.{control}]\n{entry}"
    )
}

#[test]
fn an_entry_for_the_wrong_model_leaves_the_right_one_unclaimed() {
    let dir = Scratch::git_root("trust-wrong-model");
    dir.write(
        "controls.toml",
        mixed(
            "workload-operations",
            "owner = \"customer\"\nmodels = [\"dbaas\"]\n",
        ),
    );
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let found = findings(&run);
    assert!(found.contains(&(
        "SRM001".to_owned(),
        Some("workload-operations".to_owned()),
        Some("iaas".to_owned())
    )));
    let inapplicable = run.with_code("SRM005");
    let message = inapplicable[0]["message"].as_str().unwrap();
    assert!(message.contains("has no part in DBaaS"), "{message}");
    assert!(!message.contains("not in use"), "{message}");
}

#[test]
fn owner_mismatch_states_the_matrix_per_model() {
    let dir = Scratch::git_root("trust-srm004-message");
    dir.write(
        "controls.toml",
        mixed("backup-restore", "owner = \"customer\"\n"),
    );
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    let message = run.with_code("SRM004")[0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("shared in DBaaS, customer in IaaS"),
        "{message}"
    );
    assert!(!message.contains("shared in DBaaS and IaaS"), "{message}");
}

#[test]
fn a_partner_handed_a_mixed_control_gets_one_fix() {
    let dir = Scratch::git_root("trust-one-fix");
    dir.write(
        "controls.toml",
        mixed("backup-restore", "owner = \"aiven\"\n"),
    );
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    let delegated = run.with_code("SRM003");
    assert_eq!(delegated.len(), 2);
    let fixes: Vec<&str> = delegated
        .iter()
        .map(|d| d["help"].as_str().unwrap())
        .collect();
    for help in &fixes {
        assert!(help.contains("owner = \"shared\""), "{help}");
    }
}

#[test]
fn a_partner_without_a_part_is_srm004_on_mixed_deployments_too() {
    let dir = Scratch::git_root("trust-partner-no-part");
    dir.write(
        "controls.toml",
        mixed("platform-bcdr", "owner = \"aiven\"\n"),
    );
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    let mismatch = run.with_code("SRM004");
    assert_eq!(mismatch.len(), 1, "{}", run.stdout);
    assert!(
        mismatch[0]["help"]
            .as_str()
            .unwrap()
            .contains("owner = \"exoscale\"")
    );
}

#[cfg(unix)]
#[test]
fn evidence_that_does_not_exist_never_passes_and_only_web_addresses_are_urls() {
    let dir = Scratch::git_root("trust-evidence");
    dir.write("docs/e.md", "evidence\n");
    std::os::unix::fs::symlink(dir.path("docs/gone.md"), dir.path("docs/dangling.md")).unwrap();
    std::os::unix::fs::symlink(dir.path("docs/loop-b"), dir.path("docs/loop-a")).unwrap();
    std::os::unix::fs::symlink(dir.path("docs/loop-a"), dir.path("docs/loop-b")).unwrap();
    let cases = [
        ("docs/e.md", None),
        ("docs/dangling.md", Some("SRM032")),
        ("docs/loop-a", Some("SRM032")),
        ("docs/missing/../e.md", Some("SRM032")),
        ("docs/e.md/", Some("SRM032")),
        ("file:///etc/passwd", Some("SRM033")),
        ("file:docs/e.md", None),
        ("javascript:alert(1)", Some("SRM021")),
        ("ftp://files.example/e.md", Some("SRM021")),
        ("https:wiki/runbook", Some("SRM021")),
        ("https://wiki.example/runbook", None),
    ];
    for (evidence, expected) in cases {
        let entry = format!(
            "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\nevidence = [{}]\n",
            srmlint::text::escape::toml_string(evidence)
        );
        dir.write("controls.toml", clean_with("tenant-iam", &entry));
        let run = check(&dir, &["controls.toml", "--format", "json"]);
        let found: Vec<String> = codes(&run)
            .into_iter()
            .filter(|code| matches!(code.as_str(), "SRM021" | "SRM032" | "SRM033"))
            .collect();
        assert_eq!(
            found,
            expected.into_iter().collect::<Vec<_>>(),
            "{evidence}: {}",
            run.stdout
        );
    }
}

#[cfg(unix)]
#[test]
fn evidence_resolves_the_same_when_the_controls_file_is_reached_through_a_link() {
    let dir = Scratch::git_root("trust-evidence-links");
    dir.write("team/real/runbook.md", "evidence\n");
    dir.write("outside-the-team.md", "evidence\n");
    let entry = "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\n\
                 evidence = [\"runbook.md\", \"../../outside-the-team.md\", \"../../../x.md\", \"gone.md\"]\n";
    dir.write("team/real/controls.toml", clean_with("tenant-iam", entry));
    // A folder link below the repository root, at another depth (`..` is taken from
    // where the file really is), and a link to the root itself.
    std::fs::create_dir_all(dir.path("deep/er")).unwrap();
    std::os::unix::fs::symlink(dir.path("team/real"), dir.path("deep/er/alias")).unwrap();
    std::os::unix::fs::symlink(dir.path(""), dir.path("self")).unwrap();
    for named in [
        "team/real/controls.toml",
        "deep/er/alias/controls.toml",
        "self/team/real/controls.toml",
        "self/deep/er/alias/controls.toml",
    ] {
        let run = check(&dir, &[named, "--format", "json"]);
        let found: Vec<String> = codes(&run)
            .into_iter()
            .filter(|code| matches!(code.as_str(), "SRM032" | "SRM033"))
            .collect();
        assert_eq!(found, ["SRM033", "SRM032"], "{named}: {}", run.stdout);
    }
}

// ----------------------------------------------------- 9: residency, SRM017

#[test]
fn residency_values_are_checked_with_a_suggestion_and_need_zones() {
    let dir = Scratch::git_root("trust-residency");
    dir.write(
        "controls.toml",
        CLEAN.replace(
            "zones = [\"ch-gva-2\"]",
            "zones = [\"de-fra-1\"]\nresidency = \"EU\"",
        ),
    );
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    let invalid = run.with_code("SRM021");
    let message = invalid[0]["message"].as_str().unwrap();
    assert!(message.contains("did you mean `EEA`"), "{message}");
    assert!(
        run.with_code("SRM013").is_empty(),
        "a bad value flags no zone"
    );
    dir.write(
        "controls.toml",
        CLEAN.replace(
            "zones = [\"ch-gva-2\"]",
            "zones = [\"de-fra-1\"]\nresidency = \"XX\"",
        ),
    );
    assert_eq!(
        check(&dir, &["controls.toml", "--format", "json"])
            .with_code("SRM021")
            .len(),
        1
    );
    dir.write(
        "controls.toml",
        CLEAN.replace("zones = [\"ch-gva-2\"]", "residency = \"CH\""),
    );
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    assert_eq!(run.with_code("SRM017").len(), 1, "{}", run.stdout);
}

// ------------------------------------------------- 10: configuration inheritance

#[test]
fn configuration_inherits_down_the_tree_unless_root_and_says_what_it_excludes() {
    let dir = Scratch::git_root("trust-config-inherit");
    dir.write(".srmlint.toml", "[rules]\nSRM031 = \"error\"\n");
    dir.write("team/.srmlint.toml", "");
    let without_evidence = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\n",
    );
    dir.write("team/controls.toml", &without_evidence);
    let run = check(&dir, &["team", "--format", "json"]);
    let missing = run.with_code("SRM031");
    assert_eq!(
        missing[0]["severity"], "error",
        "the root's level still holds"
    );
    dir.write("team/.srmlint.toml", "root = true\n");
    let run = check(&dir, &["team", "--format", "json"]);
    assert_eq!(run.with_code("SRM031")[0]["severity"], "warning");
    // `srmlint config` names where each setting comes from.
    dir.write("team/.srmlint.toml", "max_waiver_days = 30\n");
    let shown = dir
        .srmlint()
        .args(["config", "team/controls.toml", "--format", "json"])
        .run();
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let shown = json(&shown.stdout);
    assert_eq!(shown["max_waiver_days"]["value"], 30);
    assert!(
        shown["max_waiver_days"]["from"]
            .as_str()
            .unwrap()
            .ends_with("team/.srmlint.toml")
    );
    assert_eq!(
        shown["max_review_age_days"]["from"],
        serde_json::Value::Null
    );
    assert_eq!(shown["rules"][0]["code"], "SRM031");
    // Excluding every controls file found is said on stderr.
    dir.write(".srmlint.toml", "exclude = [\"**\"]\n");
    let run = check(&dir, &["."]);
    assert!(
        run.stderr.contains("every one is left out by `exclude`"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_walked_file_meets_its_folders_configuration_whatever_its_name_sorts_by() {
    // The walk lists each folder in file-name order and remembers whether it held
    // `.git` and `.srmlint.toml`; a file whose name sorts before those, or a
    // configuration that is a symbolic link, must still be governed by it.
    let dir = Scratch::git_root("trust-walk-markers");
    let without_evidence = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\n",
    );
    for name in [
        "team/controls.toml",
        "team/+early.controls.toml",
        "linked/controls.toml",
    ] {
        dir.write(name, &without_evidence);
    }
    dir.write("team/.srmlint.toml", "[rules]\nSRM031 = \"error\"\n");
    dir.write("shared.toml", "[rules]\nSRM031 = \"error\"\n");
    std::os::unix::fs::symlink("../shared.toml", dir.path("linked/.srmlint.toml")).unwrap();
    let run = check(&dir, &[".", "--format", "json"]);
    let mut governed: Vec<String> = run
        .with_code("SRM031")
        .iter()
        .filter(|finding| finding["severity"] == "error")
        .map(|finding| finding["file"].as_str().unwrap().to_owned())
        .collect();
    governed.sort();
    assert_eq!(
        governed,
        [
            "linked/controls.toml",
            "team/+early.controls.toml",
            "team/controls.toml"
        ],
        "{}",
        run.stdout
    );
}

// ----------------------------------------------- 11, 12: policies, names

#[test]
fn a_policy_named_twice_loads_once_and_names_are_unique() {
    let dir = Scratch::git_root("trust-policy-twice");
    let rule = "[[rule]]\ncode = \"ACME001\"\nname = \"on-wiki\"\nmessage = \"m\"\n[rule.require]\nfield = \"notes\"\npresent = false\n";
    dir.write("policies/acme.toml", rule);
    dir.write(".srmlint.toml", "policies = [\"policies/acme.toml\"]\n");
    dir.write("controls.toml", CLEAN);
    let run = check(&dir, &["controls.toml", "--policy", "policies/acme.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir.write(
        "policies/acme.toml",
        rule.replace("on-wiki", "missing-evidence"),
    );
    let run = check(&dir, &["controls.toml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("duplicate rule name `missing-evidence`"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------- 13 to 15: well-formed output

#[test]
fn junit_stays_well_formed_whatever_the_input() {
    let dir = Scratch::git_root("trust-junit-xml");
    dir.write(
        "controls.toml",
        // TOML allows these only as escapes; decoded, XML 1.0 forbids them.
        "[deployment]\nname = \"a\\uFFFEb\"\nservices = [\"compute\", \"x\\uFFFE\\u0001y\"]\nzones = [\"ch-gva-2\"]\n",
    );
    let run = check(&dir, &["controls.toml", "--format", "junit"]);
    for forbidden in ['\u{fffe}', '\u{ffff}', '\u{1}'] {
        assert!(!run.stdout.contains(forbidden), "{forbidden:?} in the XML");
    }
    assert!(run.stdout.contains("x\\u{fffe}\\u{1}y"), "{}", run.stdout);
}

#[test]
fn html_report_and_matrix_views_show_controls_and_overrides_as_escapes() {
    let dir = Scratch::git_root("trust-html-escapes");
    dir.write(
        "controls.toml",
        CLEAN.replace(
            "name = \"shop\"",
            "name = \"s\u{202e}h\\u001b[31mo\\u0007p\"",
        ),
    );
    let html = dir
        .srmlint()
        .args([
            "report",
            "controls.toml",
            "--format",
            "html",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(html.code, 0, "{}", html.stderr);
    for raw in ['\u{202e}', '\u{1b}', '\u{7}'] {
        assert!(!html.stdout.contains(raw), "{raw:?} raw in HTML");
    }
    let matrix = srmlint::data::matrix::EMBEDDED_MATRIX.replace(
        "title = \"Exoscale Shared Responsibility Model\"",
        "title = \"Exo\\u001b]0;pwned\\u0007 <b>*m*</b> | x\"",
    );
    dir.write("matrix.toml", matrix);
    let table = dir
        .srmlint()
        .args(["matrix", "--matrix", "matrix.toml"])
        .run();
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(!table.stdout.contains('\u{1b}') && !table.stdout.contains('\u{7}'));
    let markdown = dir
        .srmlint()
        .args(["matrix", "--matrix", "matrix.toml", "--format", "markdown"])
        .run();
    assert!(
        markdown.stdout.contains("\\<b\\>\\*m\\*\\</b\\> \\| x"),
        "{}",
        markdown.stdout
    );
}

#[test]
fn a_run_that_exits_2_leaves_artifacts_that_say_so() {
    let dir = Scratch::git_root("trust-exit-2");
    dir.write("controls.toml", CLEAN);
    let run = check(
        &dir,
        &["controls.toml", "missing.toml", "--format", "sarif"],
    );
    assert_eq!(run.code, 2);
    let sarif = run.json();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("missing.toml")
    );
    let run = check(&dir, &["controls.toml", "missing.toml", "--format", "json"]);
    assert_eq!(run.json()["errors"][0]["path"], "missing.toml");
    // A run that cannot start (a broken configuration) still writes its artifact.
    dir.write(".srmlint.toml", "max_waiver_days = \"soon\"\n");
    dir.write("result.sarif", "stale");
    let run = check(
        &dir,
        &[
            "controls.toml",
            "--format",
            "sarif",
            "--output",
            "result.sarif",
            "--force",
        ],
    );
    assert_eq!(run.code, 2);
    let written = json(&std::fs::read_to_string(dir.path("result.sarif")).unwrap());
    assert_eq!(
        written["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    let clean = check(&dir.clone_clean(), &["controls.toml", "--format", "json"]);
    assert_eq!(clean.json()["errors"], serde_json::json!([]));
}

trait CleanCopy {
    fn clone_clean(&self) -> Scratch;
}

impl CleanCopy for Scratch {
    /// A new repository holding only the clean controls file.
    fn clone_clean(&self) -> Scratch {
        let copy = Scratch::git_root("trust-clean-copy");
        copy.write("controls.toml", CLEAN);
        copy
    }
}

// --------------------------------------------- 16 to 21: what users reached for

#[test]
fn suggestions_by_meaning_case_look_alikes_and_rule_names() {
    let dir = Scratch::git_root("trust-suggestions");
    let expectations = [
        ("postgres", "dbaas-pg"),
        ("kubernetes", "sks"),
        ("s3", "object-storage"),
        ("kafka", "dbaas-kafka"),
    ];
    for (written, meant) in expectations {
        dir.write(
            "controls.toml",
            CLEAN.replace(
                "services = [\"compute\"]",
                &format!("services = [\"compute\", \"{written}\"]"),
            ),
        );
        let run = check(&dir, &["controls.toml", "--format", "json"]);
        let message = run.with_code("SRM011")[0]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            message.contains(&format!("did you mean `{meant}`")),
            "{written}: {message}"
        );
    }
    dir.write(
        "controls.toml",
        CLEAN.replace(
            "name = \"shop\"",
            "name = \"shop\"\nprovider = \"Exoscale\"",
        ),
    );
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    assert!(
        run.with_code("SRM014")[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `exoscale`")
    );
    // A Cyrillic `е` in an owner word: the suggestion names the code points.
    dir.write(
        "controls.toml",
        clean_with(
            "tenant-iam",
            "[controls.tenant-iam]\nowner = \"\u{435}xoscale\"\n",
        ),
    );
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    let message = run.with_code("SRM021")[0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("U+0435") && message.contains("U+0065"),
        "{message}"
    );
    // A waiver naming a rule by its name is told the code.
    let waiver = format!(
        "{CLEAN}\n[[waivers]]\nrule = \"missing-evidence\"\nreason = \"r\"\napproved_by = \"a\"\nexpires = 2027-01-31\n"
    );
    dir.write("controls.toml", waiver);
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    let message = run.with_code("SRM042")[0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("write `rule = \"SRM031\"`"), "{message}");
}

#[test]
fn unknown_controls_keep_their_id_in_json_and_sarif() {
    let dir = Scratch::git_root("trust-srm010-control");
    dir.write(
        "controls.toml",
        format!("{CLEAN}\n[controls.backup-restor]\nowner = \"customer\"\n"),
    );
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    assert_eq!(run.with_code("SRM010")[0]["control"], "backup-restor");
    let sarif = check(&dir, &["controls.toml", "--format", "sarif"]).json();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|result| result["ruleId"] == "SRM010")
        .unwrap()
        .clone();
    assert_eq!(result["properties"]["control"], "backup-restor");
}

#[test]
fn repeated_values_are_srm018() {
    let dir = Scratch::git_root("trust-srm018");
    let text = replace_table(
        &CLEAN
            .replace(
                "services = [\"compute\"]",
                "services = [\"compute\", \"compute\"]",
            )
            .replace(
                "zones = [\"ch-gva-2\"]",
                "zones = [\"ch-gva-2\", \"ch-gva-2\"]",
            ),
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\nmodels = [\"iaas\", \"iaas\"]\nevidence = [\"https://x.example\", \"https://x.example\"]\n",
    );
    dir.write("controls.toml", text);
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    let repeats: Vec<String> = run
        .with_code("SRM018")
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(repeats.len(), 4, "{repeats:?}");
    for key in ["services", "zones", "models", "evidence"] {
        assert!(
            repeats.iter().any(|m| m.contains(&format!("`{key}`"))),
            "{key}: {repeats:?}"
        );
    }
}

#[test]
fn check_reads_standard_input_named_by_stdin_filename() {
    let dir = Scratch::git_root("trust-stdin");
    dir.write("team/docs/e.md", "evidence\n");
    let text = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\nevidence = [\"docs/e.md\", \"docs/none.md\"]\n",
    );
    let run = dir
        .srmlint()
        .args([
            "check",
            "-",
            "--stdin-filename",
            "team/controls.toml",
            "--format",
            "json",
            "--today",
            TODAY,
        ])
        .stdin(text)
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    let missing = run.with_code("SRM032");
    assert_eq!(missing.len(), 1, "only the missing file: {}", run.stdout);
    assert_eq!(missing[0]["file"], "team/controls.toml");
    let both = dir
        .srmlint()
        .args(["check", "-", "controls.toml"])
        .stdin("")
        .run();
    assert_eq!(both.code, 2);
}

#[test]
fn schema_and_checker_agree_on_dates_and_residency() {
    let dir = Scratch::git_root("trust-dates");
    let entry = "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\nevidence = [\"https://x.example\"]\nreviewed = 2026-09-14T10:00:00Z\n";
    dir.write("controls.toml", clean_with("tenant-iam", entry));
    let run = check(&dir, &["controls.toml", "--format", "json"]);
    let invalid = run.with_code("SRM021");
    assert!(
        invalid[0]["message"]
            .as_str()
            .unwrap()
            .contains("time of day"),
        "{}",
        run.stdout
    );
    let schema = json(&dir.srmlint().arg("schema").run().stdout);
    let reviewed =
        &schema["properties"]["controls"]["properties"]["tenant-iam"]["properties"]["reviewed"];
    assert_eq!(reviewed["format"], "date");
    let residency = schema["properties"]["deployment"]["properties"]["residency"]["pattern"]
        .as_str()
        .unwrap();
    let pattern = regex::Regex::new(residency).unwrap();
    assert!(pattern.is_match("EEA+CH") && !pattern.is_match("EU") && !pattern.is_match("XX"));
}

#[test]
fn completions_offer_rule_codes_controls_services_zones_and_frameworks() {
    let dir = Scratch::new("trust-completions");
    for shell in ["bash", "zsh", "fish"] {
        let script = dir.srmlint().args(["completions", shell]).run().stdout;
        // clap's fish script completes options only, never positionals such
        // as `explain`'s rule code or control id.
        if shell != "fish" {
            assert!(script.contains("SRM001"), "{shell}: no rule codes");
            assert!(script.contains("backup-restore"), "{shell}: no controls");
        }
        for value in ["dbaas-pg", "ch-gva-2", "iso27001"] {
            assert!(script.contains(value), "{shell}: no `{value}`");
        }
    }
}
