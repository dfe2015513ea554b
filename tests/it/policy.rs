//! The policy language end to end: user rules loaded with `--policy` select claims,
//! require one thing of a field, and report where the value is wrong; bad policies
//! stop the run with exit 2 and a located error.

use crate::common;

use common::{CLEAN, Scratch, TODAY, check, check_json, clean_with, line_number};

/// Runs a check of `controls` under the policy `policy`, as JSON.
fn check_with_policy(name: &str, policy: &str, controls: &str) -> common::Run {
    let repo = Scratch::git_root(name);
    repo.write("org.toml", policy);
    repo.write("controls.toml", controls);
    check_json(&repo, &["controls.toml", "--policy", "org.toml"])
}

/// The (line, column) of each finding.
fn places(findings: &[serde_json::Value]) -> Vec<(u64, u64)> {
    findings
        .iter()
        .map(|finding| {
            (
                finding["line"].as_u64().unwrap(),
                finding["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

const EMAIL_RULE: &str = r#"
[[rule]]
code = "ACME002"
name = "accountable-is-address"
severity = "error"
message = "accountable of {control} must be an address, found '{value}' in {field} ({model})"
help = "name a mailbox for {control}"

[rule.when]
owner = ["customer", "shared"]

[rule.require]
field = "accountable"
matches = '^[^@\s]+@[^@\s]+$'
"#;

#[test]
fn matches_reports_the_offending_value_with_the_message_filled_in() {
    let controls = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"the security team\"\nevidence = [\"https://wiki.shop.example/iam\"]\n",
    );
    let run = check_with_policy("policy-matches", EMAIL_RULE, &controls);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.with_code("ACME002");
    assert_eq!(findings.len(), 1, "{findings:?}");
    let finding = &findings[0];
    assert_eq!(finding["name"], "accountable-is-address");
    assert_eq!(finding["severity"], "error");
    assert_eq!(
        finding["message"],
        "accountable of tenant-iam must be an address, found 'the security team' in accountable (iaas)"
    );
    assert_eq!(finding["help"], "name a mailbox for tenant-iam");
    assert_eq!(finding["control"], "tenant-iam");
    assert_eq!(finding["model"], "iaas");
    let line = line_number(&controls, |line| line.contains("the security team"));
    assert_eq!(places(&findings), vec![(line, 15)]);
    assert_eq!(finding["end_column"], 34);
}

#[test]
fn a_rule_that_holds_reports_nothing_and_the_run_passes() {
    let run = check_with_policy("policy-holds", EMAIL_RULE, CLEAN);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.with_code("ACME002").is_empty());
}

#[test]
fn present_points_at_the_table_header_when_the_field_is_missing() {
    let policy = r#"
[[rule]]
code = "ORG1"
name = "implementation-described"
message = "{control} does not say how it is implemented"
[rule.require]
field = "implementation"
present = true
"#;
    let controls = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\nimplementation = \"\"\nevidence = [\"https://x.example\"]\n",
    );
    let run = check_with_policy("policy-present", policy, &controls);
    let findings = run.with_code("ORG1");
    // Every entry but tenant-iam lacks the field (header); tenant-iam has it empty (value).
    assert_eq!(findings.len(), 11);
    assert!(
        findings
            .iter()
            .all(|finding| finding["severity"] == "warning")
    );
    let header_line = line_number(&controls, |line| line == "[controls.backup-restore]");
    let backup = findings
        .iter()
        .find(|finding| finding["control"] == "backup-restore")
        .unwrap();
    assert_eq!(
        (
            backup["line"].as_u64().unwrap(),
            backup["column"].as_u64().unwrap()
        ),
        (header_line, 1)
    );
    let empty_line = line_number(&controls, |line| line == "implementation = \"\"");
    let iam = findings
        .iter()
        .find(|finding| finding["control"] == "tenant-iam")
        .unwrap();
    assert_eq!(
        (
            iam["line"].as_u64().unwrap(),
            iam["column"].as_u64().unwrap()
        ),
        (empty_line, 18)
    );
    // A warning alone does not fail the run.
    assert_eq!(run.code, 0);
}

#[test]
fn present_false_forbids_the_field() {
    let policy = r#"
[[rule]]
code = "ORG2"
name = "no-notes"
message = "keep notes out of {control}"
[rule.when]
controls = ["tenant-iam"]
[rule.require]
field = "notes"
present = false
"#;
    let controls = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\nnotes = \"x\"\nevidence = [\"https://x.example\"]\n",
    );
    let run = check_with_policy("policy-absent", policy, &controls);
    assert_eq!(run.with_code("ORG2").len(), 1);
    let run = check_with_policy("policy-absent-clean", policy, CLEAN);
    assert!(run.with_code("ORG2").is_empty());
}

#[test]
fn not_matches_and_matches_check_every_item_of_a_list() {
    let policy = r#"
[[rule]]
code = "ORG3"
name = "evidence-https"
message = "evidence {value} of {control} is not https"
[rule.when]
controls = ["tenant-*"]
[rule.require]
field = "evidence"
matches = '^https://'
not_matches = 'draft'
"#;
    let controls = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\nevidence = [\"https://ok.example\", \"http://plain.example\", \"https://x.example/draft\"]\n",
    );
    let run = check_with_policy("policy-list", policy, &controls);
    let findings = run.with_code("ORG3");
    let messages: Vec<&str> = findings
        .iter()
        .map(|finding| finding["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        vec![
            "evidence http://plain.example of tenant-iam is not https",
            "evidence https://x.example/draft of tenant-iam is not https",
        ]
    );
    // tenant-logging is selected by the glob too, and is clean.
    assert!(
        findings
            .iter()
            .all(|finding| finding["control"] == "tenant-iam")
    );
}

#[test]
fn min_items_points_at_the_list() {
    let policy = r#"
[[rule]]
code = "ORG4"
name = "two-pieces-of-evidence"
message = "{control} cites too little evidence"
[rule.when]
controls = ["backup-restore"]
[rule.require]
field = "evidence"
min_items = 2
"#;
    let run = check_with_policy("policy-min-items", policy, CLEAN);
    let findings = run.with_code("ORG4");
    assert_eq!(findings.len(), 1);
    let line = line_number(CLEAN, |line| line.contains("wiki.shop.example/backup"));
    assert_eq!(places(&findings), vec![(line, 12)]);
}

#[test]
fn max_age_days_takes_a_number_or_a_setting_and_follows_today() {
    let policy = r#"
[[rule]]
code = "ORG5"
name = "quarterly-review"
message = "{control} reviewed on {value}"
[rule.require]
field = "reviewed"
max_age_days = 90

[[rule]]
code = "ORG6"
name = "review-by-setting"
message = "{control} reviewed on {value}"
[rule.require]
field = "reviewed"
max_age_days = "max_review_age_days"
"#;
    let controls = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\nevidence = [\"https://x.example\"]\nreviewed = 2026-08-30\n",
    );
    // 2026-08-30 is 90 days before 2026-11-28: still within the limit.
    let run = check_with_policy("policy-age-in", policy, &controls);
    assert!(run.with_code("ORG5").is_empty());
    let repo = Scratch::git_root("policy-age-out");
    repo.write("org.toml", policy);
    repo.write("controls.toml", &controls);
    let run = repo
        .srmlint()
        .args([
            "check",
            "--policy",
            "org.toml",
            "--format",
            "json",
            "--today",
            "2026-11-29",
        ])
        .run();
    assert_eq!(run.with_code("ORG5").len(), 1);
    assert_eq!(
        run.with_code("ORG5")[0]["message"],
        "tenant-iam reviewed on 2026-08-30"
    );
    // The setting defaults to 365 days.
    assert!(run.with_code("ORG6").is_empty());
    let run = repo
        .srmlint()
        .args([
            "check",
            "--policy",
            "org.toml",
            "--format",
            "json",
            "--today",
            "2027-08-31",
        ])
        .run();
    assert_eq!(run.with_code("ORG6").len(), 1);
    // Entries without `reviewed` are not judged by max_age_days.
    assert_eq!(run.with_code("ORG5").len(), 1);
}

#[test]
fn when_selects_by_owner_regulated_and_services() {
    let policy = r#"
[[rule]]
code = "ORG7"
name = "healthcare-dbaas-notes"
message = "{control} needs notes"
[rule.when]
owner = ["shared"]
regulated = ["healthcare"]
services = ["dbaas-*"]
[rule.require]
field = "notes"
present = true
"#;
    let run = check_with_policy("policy-when-none", policy, CLEAN);
    assert!(run.with_code("ORG7").is_empty(), "not regulated, no DBaaS");
    let regulated = CLEAN.replace(
        "zones = [\"ch-gva-2\"]",
        "zones = [\"ch-gva-2\"]\nregulated = [\"healthcare\"]",
    );
    let run = check_with_policy("policy-when-regulated", policy, &regulated);
    assert!(run.with_code("ORG7").is_empty(), "no DBaaS service");
    let with_dbaas = regulated.replace(
        "services = [\"compute\"]",
        "services = [\"compute\", \"dbaas-pg\"]",
    );
    let run = check_with_policy("policy-when-all", policy, &with_dbaas);
    let controls: Vec<String> = run
        .with_code("ORG7")
        .iter()
        .map(|finding| finding["control"].as_str().unwrap().to_owned())
        .collect();
    // Only the two entries with owner = "shared".
    assert_eq!(controls, vec!["encryption-in-transit", "key-management"]);
}

#[test]
fn a_list_of_fields_reports_each_failing_field() {
    let policy = r#"
[[rule]]
code = "ORG8"
name = "no-placeholder"
message = "{field} of {control}: {value}"
[rule.when]
controls = ["tenant-iam"]
[rule.require]
field = ["accountable", "implementation", "notes"]
not_matches = 'XXX'
"#;
    let controls = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"XXX\"\nimplementation = \"fine\"\nnotes = \"XXX later\"\nevidence = [\"https://x.example\"]\n",
    );
    let run = check_with_policy("policy-fields", policy, &controls);
    let messages: Vec<String> = run
        .with_code("ORG8")
        .iter()
        .map(|finding| finding["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        messages,
        vec![
            "accountable of tenant-iam: XXX",
            "notes of tenant-iam: XXX later"
        ]
    );
}

#[test]
fn placeholders_are_filled_once_and_other_braces_stay_as_written() {
    let policy = r#"
[[rule]]
code = "ORG9"
name = "braces"
message = "{{value}} in {control {field} of {control}"
[rule.when]
controls = ["tenant-iam"]
[rule.require]
field = "notes"
not_matches = 'control'
"#;
    let controls = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\nnotes = \"{control}\"\nevidence = [\"https://x.example\"]\n",
    );
    let run = check_with_policy("policy-braces", policy, &controls);
    let found = run.with_code("ORG9");
    // The value's own `{control}` is not expanded again; `{control ` (no closing
    // brace before the next one) is text.
    assert_eq!(
        found[0]["message"],
        "{{control}} in {control notes of tenant-iam"
    );
}

#[test]
fn a_policy_folder_is_walked_for_toml_files_and_rules_may_be_waived() {
    let repo = Scratch::git_root("policy-folder");
    repo.write("policies/a.toml", EMAIL_RULE);
    repo.write("policies/nested/readme.md", "not a policy [[");
    let controls = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"security team\"\nevidence = [\"https://x.example\"]\n",
    );
    let waiver = "\n[[waivers]]\nrule = \"ACME002\"\ncontrol = \"tenant-iam\"\nreason = \"mailbox being created\"\napproved_by = \"ciso@shop.example\"\nexpires = 2027-01-31\n";
    repo.write("controls.toml", format!("{controls}{waiver}"));
    let run = repo
        .srmlint()
        .args([
            "check", "--policy", "policies", "--format", "json", "--today", TODAY,
        ])
        .run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let findings = run.with_code("ACME002");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["waived"], true);
    assert_eq!(run.summary()["waived"], 1);
}

/// Runs with a bad policy and returns stderr, asserting exit 2 and no output.
fn bad_policy(name: &str, policy: &str) -> String {
    let repo = Scratch::git_root(name);
    repo.write("org.toml", policy);
    repo.write("controls.toml", CLEAN);
    let run = repo
        .srmlint()
        .args(["check", "--policy", "org.toml", "--today", TODAY])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("invalid policy file `org.toml`"),
        "{}",
        run.stderr
    );
    run.stderr
}

#[test]
fn an_unknown_key_is_a_located_error_with_a_suggestion() {
    let stderr = bad_policy("bad-key", &EMAIL_RULE.replace("severity =", "severty ="));
    assert!(
        stderr.contains("unknown key `severty` in a `[[rule]]`; did you mean `severity`?"),
        "{stderr}"
    );
    assert!(stderr.contains("[org.toml:5:1]"), "{stderr}");
}

#[test]
fn an_invalid_regex_shows_the_regex_crates_explanation() {
    let stderr = bad_policy(
        "bad-regex",
        &EMAIL_RULE.replace("'^[^@\\s]+@[^@\\s]+$'", "'^(unclosed'"),
    );
    assert!(
        stderr.contains("`matches` is not a valid regex"),
        "{stderr}"
    );
    assert!(stderr.contains("unclosed group"), "{stderr}");
    assert!(stderr.contains("[org.toml:14:11]"), "{stderr}");
}

#[test]
fn a_duplicate_code_is_an_error_in_one_file_and_across_files() {
    let stderr = bad_policy("bad-duplicate", &format!("{EMAIL_RULE}\n{EMAIL_RULE}"));
    assert!(stderr.contains("duplicate rule code `ACME002`"), "{stderr}");

    let repo = Scratch::git_root("bad-duplicate-files");
    repo.write("policies/a.toml", EMAIL_RULE);
    repo.write("policies/b.toml", EMAIL_RULE);
    repo.write("controls.toml", CLEAN);
    let run = repo
        .srmlint()
        .args(["check", "--policy", "policies", "--today", TODAY])
        .run();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid policy file"), "{}", run.stderr);
    assert!(run.stderr.contains("policies/b.toml"), "{}", run.stderr);
    assert!(
        run.stderr.contains("already defined in `policies/a.toml`"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_srm_prefix_is_reserved() {
    let stderr = bad_policy("bad-prefix", &EMAIL_RULE.replace("ACME002", "srm900"));
    assert!(
        stderr.contains("`srm900` uses the reserved prefix `SRM`"),
        "{stderr}"
    );
}

/// `owner` is a field a rule can require something of (it was "unknown field").
#[test]
fn a_rule_can_require_something_of_the_owner() {
    let policy = r#"
[[rule]]
code = "ACME010"
name = "encryption-is-ours"
severity = "error"
message = "{control} is owned '{value}'; encryption is ours alone"
[rule.when]
controls = ["encryption-*"]
[rule.require]
field = "owner"
matches = '^customer$'
"#;
    let run = check_with_policy("policy-owner", policy, CLEAN);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let findings = run.with_code("ACME010");
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(
        findings[0]["message"],
        "encryption-in-transit is owned 'shared'; encryption is ours alone"
    );
    let line = line_number(CLEAN, |line| line == "[controls.encryption-in-transit]") + 1;
    assert_eq!(places(&findings), vec![(line, 9)]);

    let absent = policy.replace("matches = '^customer$'", "present = false");
    let run = check_with_policy("policy-owner-absent", &absent, CLEAN);
    // Both encryption entries set an owner.
    assert_eq!(run.with_code("ACME010").len(), 2, "{}", run.stdout);
    let stderr = bad_policy(
        "bad-owner-fit",
        &policy.replace("matches", "min_items = 1\n#"),
    );
    assert!(
        stderr.contains("`min_items` does not apply to the field `owner`"),
        "{stderr}"
    );
}

/// A code is upper-case letters then digits, a name lower-case letters, digits and
/// `-`; anything else was listed by `srmlint rules` as it was written.
#[test]
fn codes_and_names_that_are_not_identifiers_are_located_errors() {
    let policy = "[[rule]]\ncode = \"acme-1\"\nname = \"Not A Name!\"\nmessage = \"m\"\n[rule.require]\nfield = \"accountable\"\npresent = true\n";
    let stderr = bad_policy("bad-identifiers", policy);
    assert!(stderr.contains("`acme-1` is not a rule code"), "{stderr}");
    assert!(stderr.contains("[org.toml:2:8]"), "{stderr}");
    assert!(
        stderr.contains("`Not A Name!` is not a rule name"),
        "{stderr}"
    );
    assert!(stderr.contains("[org.toml:3:8]"), "{stderr}");
    for (code, name) in [
        ("ACME_1", "n"),
        ("ACME", "n"),
        ("1ACME", "n"),
        ("AcME1", "n"),
        ("ACME1", "x_y"),
        ("ACME1", "SRM031"),
        ("ACME1", "caf\u{e9}"),
    ] {
        let policy = policy.replace("acme-1", code).replace("Not A Name!", name);
        let stderr = bad_policy("bad-identifier", &policy);
        assert!(stderr.contains("is not a rule"), "{code} {name}: {stderr}");
    }
    let good = policy
        .replace("acme-1", "ACME1")
        .replace("Not A Name!", "a-1");
    let repo = Scratch::git_root("good-identifiers");
    repo.write("org.toml", good);
    let run = repo.srmlint().args(["rules", "--policy", "org.toml"]).run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        (run.stdout.lines()).any(|line| line.split_whitespace().take(2).eq(["ACME1", "a-1"])),
        "{}",
        run.stdout
    );
}

/// A policy could make `explain SRM031` print its own rule (`name = "SRM031"`), make
/// a waiver's `rule = "missing-evidence"` mean its own rule (`code =
/// "missing-evidence"`), and make `explain tenant-iam` print a rule instead of the
/// control. Codes and names are one namespace, compared ignoring case.
#[test]
fn a_policy_cannot_take_over_a_built_in_code_or_name() {
    let repo = Scratch::git_root("bad-takeover");
    repo.write("controls.toml", CLEAN);
    let rule = |code: &str, name: &str| {
        format!(
            "[[rule]]\ncode = \"{code}\"\nname = \"{name}\"\nmessage = \"m\"\n[rule.require]\nfield = \"accountable\"\npresent = false\n"
        )
    };
    for (code, name, said) in [
        ("ACME1", "SRM031", "`SRM031` is not a rule name"),
        (
            "missing-evidence",
            "x-y",
            "`missing-evidence` is not a rule code",
        ),
        (
            "ACME1",
            "srm031",
            "rule name `srm031` clashes with the rule code `SRM031`",
        ),
        (
            "ACME1",
            "missing-evidence",
            "duplicate rule name `missing-evidence`",
        ),
    ] {
        repo.write("p.toml", rule(code, name));
        let explain = repo
            .srmlint()
            .args(["explain", "SRM031", "--policy", "p.toml"])
            .run();
        assert_eq!(explain.code, 2, "{code} {name}: {}", explain.stdout);
        assert!(explain.stdout.is_empty(), "{}", explain.stdout);
        assert!(explain.stderr.contains(said), "{}", explain.stderr);
    }
    // Nor what `explain tenant-iam` says of the control (rules are looked up first).
    repo.write("p.toml", rule("ACME1", "tenant-iam"));
    let explain = repo
        .srmlint()
        .args(["explain", "tenant-iam", "--policy", "p.toml"])
        .run();
    assert_eq!(explain.code, 2, "{}", explain.stdout);
    assert!(
        explain
            .stderr
            .contains("`tenant-iam` is a control id, not a rule name"),
        "{}",
        explain.stderr
    );
    // Across rules and files: one rule's name may not be another's code in any case.
    repo.write("p.toml", rule("ACME1", "on-wiki"));
    repo.write("q.toml", rule("ACME2", "acme1"));
    let run = check(&repo, &["--policy", "p.toml", "--policy", "q.toml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("rule name `acme1` clashes with the rule code `ACME1`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("already defined in `p.toml`"),
        "{}",
        run.stderr
    );
    // A rule whose name is its own code in lower case names one rule: allowed.
    repo.write("p.toml", rule("ACME1", "acme1"));
    let run = check(&repo, &["--policy", "p.toml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A field named twice was judged twice: every failure of it was reported twice.
#[test]
fn a_field_named_twice_is_an_error() {
    let stderr = bad_policy(
        "bad-field-twice",
        &EMAIL_RULE.replace(
            "field = \"accountable\"",
            "field = [\"accountable\", \"notes\", \"accountable\"]",
        ),
    );
    assert!(stderr.contains("`accountable` is named twice"), "{stderr}");
}

#[test]
fn an_unknown_field_is_an_error_with_a_suggestion() {
    let stderr = bad_policy(
        "bad-field",
        &EMAIL_RULE.replace("field = \"accountable\"", "field = \"acountable\""),
    );
    assert!(
        stderr.contains("unknown field `acountable`; did you mean `accountable`?"),
        "{stderr}"
    );
}

#[test]
fn conditions_must_fit_the_field_and_settings_must_exist() {
    let stderr = bad_policy(
        "bad-fit",
        &EMAIL_RULE.replace("matches = '^[^@\\s]+@[^@\\s]+$'", "min_items = 1"),
    );
    assert!(
        stderr.contains("`min_items` does not apply to the field `accountable`"),
        "{stderr}"
    );
    let policy = "[[rule]]\ncode = \"X1\"\nname = \"n\"\nmessage = \"m\"\n[rule.require]\nfield = \"reviewed\"\nmax_age_days = \"max_review_days\"\n";
    let stderr = bad_policy("bad-setting", policy);
    assert!(
        stderr.contains("did you mean `max_review_age_days`?"),
        "{stderr}"
    );
}

#[test]
fn missing_required_keys_and_unknown_placeholders_are_errors() {
    let stderr = bad_policy(
        "bad-missing",
        "[[rule]]\ncode = \"X1\"\nmessage = \"{contrl}\"\n",
    );
    assert!(stderr.contains("this rule has no `name`"), "{stderr}");
    assert!(stderr.contains("this rule has no `require`"), "{stderr}");
    assert!(
        stderr.contains("unknown placeholder `{contrl}`; did you mean `control`?"),
        "{stderr}"
    );
}

#[test]
fn a_missing_policy_path_is_exit_2() {
    let repo = Scratch::git_root("bad-missing-path");
    repo.write("controls.toml", CLEAN);
    let run = repo
        .srmlint()
        .args(["check", "--policy", "nowhere.toml", "--today", TODAY])
        .run();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read policy `nowhere.toml`"),
        "{}",
        run.stderr
    );
}

#[test]
fn loaded_rules_are_listed_with_their_origin_and_configured_severity() {
    use srmlint::check::{Checker, LoadSettings};
    use srmlint::diag::Severity;

    let repo = Scratch::git_root("policy-rules-listing");
    repo.write("policies/org.toml", EMAIL_RULE);
    repo.write(
        ".srmlint.toml",
        "policies = [\"policies\"]\n[rules]\nACME002 = \"warning\"\nSRM030 = \"error\"\n",
    );
    let checker = Checker::load(&LoadSettings {
        config_dir: Some(repo.root.clone()),
        ..LoadSettings::default()
    })
    .unwrap();
    let rules = checker.rules();
    let codes: Vec<&str> = rules.iter().map(|rule| rule.code.as_str()).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted, "rules are listed in code order");
    let user = rules.iter().find(|rule| rule.code == "ACME002").unwrap();
    assert_eq!(user.name, "accountable-is-address");
    assert_eq!(user.severity, Severity::Warning);
    assert!(
        user.origin.ends_with("policies/org.toml"),
        "{}",
        user.origin
    );
    assert!(user.doc.contains("accountable"));
    let baseline = rules.iter().find(|rule| rule.code == "SRM030").unwrap();
    assert_eq!(
        (baseline.origin.as_str(), baseline.severity),
        ("built-in", Severity::Error)
    );
    assert_eq!(codes.iter().filter(|code| **code == "SRM030").count(), 1);
}

#[test]
fn selectors_that_match_nothing_are_typos() {
    let policy = EMAIL_RULE.replace(
        "owner = [\"customer\", \"shared\"]",
        "controls = [\"tenant-im\"]\nservices = [\"dbaas-postgres*\"]\nowner = [\"customr\"]",
    );
    let stderr = bad_policy("bad-selectors", &policy);
    assert!(
        stderr.contains("`tenant-im` matches no control of the matrix; did you mean `tenant-iam`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`dbaas-postgres*` matches no service of the catalog"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`customr` is not an owner; did you mean `customer`?"),
        "{stderr}"
    );
}

#[test]
fn templates_are_filled_in_one_pass() {
    let controls = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"{control} team\"\nevidence = [\"https://wiki.shop.example/iam\"]\n",
    );
    let run = check_with_policy("policy-one-pass", EMAIL_RULE, &controls);
    let findings = run.with_code("ACME002");
    assert_eq!(
        findings[0]["message"],
        "accountable of tenant-iam must be an address, found '{control} team' in accountable (iaas)"
    );
}

#[test]
fn the_baseline_rules_judge_claims_through_the_same_engine() {
    let repo = Scratch::git_root("policy-baseline");
    let controls = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"TODO\"\nimplementation = \"tbd: SSO\"\nevidence = [\"https://wiki.shop.example/iam\", \"FIXME\"]\nnotes = \"CHANGEME\"\nreviewed = 2026-12-01\n",
    );
    let controls = common::replace_table(
        &controls,
        "tenant-logging",
        "[controls.tenant-logging]\nowner = \"customer\"\nimplementation = \"Logs shipped to the SIEM\"\nevidence = []\n",
    );
    let controls = format!(
        "{controls}\n[controls.physical-security]\nowner = \"exoscale\"\nreviewed = 2020-01-01\n"
    );
    repo.write("controls.toml", &controls);
    let run = check_json(&repo, &[]);
    let line_of = |text: &str| line_number(&controls, |line| line == text);
    let placeholder: Vec<(u64, u64)> = places(&run.with_code("SRM036"));
    assert_eq!(
        placeholder,
        vec![
            (line_of("accountable = \"TODO\""), 15),
            (line_of("implementation = \"tbd: SSO\""), 18),
            (
                line_of("evidence = [\"https://wiki.shop.example/iam\", \"FIXME\"]"),
                46
            ),
            (line_of("notes = \"CHANGEME\""), 9),
        ]
    );
    assert_eq!(
        run.with_code("SRM036")[0]["message"],
        "`accountable` of `tenant-iam` still holds a placeholder: \"TODO\""
    );
    assert_eq!(
        places(&run.with_code("SRM035")),
        vec![(line_of("reviewed = 2026-12-01"), 12)]
    );
    // Missing accountable: at the header; empty evidence: at the value.
    assert_eq!(
        places(&run.with_code("SRM030")),
        vec![(line_of("[controls.tenant-logging]"), 1)]
    );
    assert_eq!(
        places(&run.with_code("SRM031")),
        vec![(line_of("evidence = []"), 12)]
    );
    // An acknowledged entry needs no accountable, but its review date still counts.
    assert_eq!(
        places(&run.with_code("SRM034")),
        vec![(line_of("reviewed = 2020-01-01"), 12)]
    );
    assert!(run.with_code("SRM034")[0]["control"] == "physical-security");
}
