//! The waiver lifecycle (SRM040–SRM042): active, last day, expired,
//! unused, invalid and too long, as a user sees it in JSON, human output and the exit
//! code.

use crate::common;

use common::{Run, Scratch, TODAY, check_json, clean_with, line_number};

/// `tenant-logging` claimed without evidence (one SRM031 finding), then `waiver`.
fn controls_with_waiver(waiver: &str) -> String {
    let controls = clean_with(
        "tenant-logging",
        "[controls.tenant-logging]\nowner = \"customer\"\naccountable = \"sre@shop.example\"\n",
    );
    format!("{controls}\n{waiver}")
}

const WAIVER: &str = r#"[[waivers]]
rule = "SRM031"
control = "tenant-logging"
reason = "SIEM onboarding planned for Q1"
approved_by = "ciso@shop.example"
ticket = "SEC-1234"
expires = 2027-01-31
"#;

fn check(name: &str, controls: &str, today: &str, extra: &[&str]) -> Run {
    let repo = Scratch::git_root(name);
    repo.write("controls.toml", controls);
    // SRM031 as an error makes the waiver decide the exit code.
    repo.write(".srmlint.toml", "[rules]\nSRM031 = \"error\"\n");
    let mut args = vec!["check", "--today", today];
    args.extend_from_slice(extra);
    repo.srmlint().args(&args).run()
}

#[test]
fn an_active_waiver_keeps_the_finding_visible_but_passing() {
    let run = check(
        "waiver-active",
        &controls_with_waiver(WAIVER),
        TODAY,
        &["--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    let findings = run.with_code("SRM031");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["waived"], true);
    assert_eq!(findings[0]["control"], "tenant-logging");
    let summary = run.summary();
    assert_eq!(
        (summary["errors"].as_u64(), summary["waived"].as_u64()),
        (Some(0), Some(1))
    );
    assert!(run.with_code("SRM040").is_empty() && run.with_code("SRM041").is_empty());
}

#[test]
fn the_human_output_lists_waivers_with_the_days_left() {
    let run = check(
        "waiver-human",
        &controls_with_waiver(WAIVER),
        TODAY,
        &["--color", "never"],
    );
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("[waived until 2027-01-31: SIEM onboarding"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("srmlint: 1 file checked: 0 errors, 0 warnings (1 waived)\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "  waiver controls.toml: SRM031 on tenant-logging, expires 2027-01-31, 64 days left, waives 1 finding\n"
        ),
        "{}",
        run.stdout
    );
    let last_day = check(
        "waiver-human-last",
        &controls_with_waiver(WAIVER),
        "2027-01-31",
        &[],
    );
    assert!(
        last_day
            .stdout
            .contains("expires 2027-01-31, last day today"),
        "{}",
        last_day.stdout
    );
    let expired = check(
        "waiver-human-expired",
        &controls_with_waiver(WAIVER),
        "2027-02-01",
        &[],
    );
    assert!(
        expired
            .stdout
            .contains("SRM031 on tenant-logging, expires 2027-01-31, expired 1 day ago\n"),
        "{}",
        expired.stdout
    );
}

#[test]
fn expires_is_the_last_day_covered_and_the_day_after_fails() {
    let on_last_day = check(
        "waiver-last-day",
        &controls_with_waiver(WAIVER),
        "2027-01-31",
        &["--format", "json"],
    );
    assert_eq!(on_last_day.code, 0);
    assert_eq!(on_last_day.with_code("SRM031")[0]["waived"], true);

    let controls = controls_with_waiver(WAIVER);
    let run = check(
        "waiver-expired",
        &controls,
        "2027-02-01",
        &["--format", "json"],
    );
    assert_eq!(run.code, 1);
    let expired = run.with_code("SRM040");
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["severity"], "error");
    assert_eq!(expired[0]["waived"], false);
    assert_eq!(expired[0]["control"], "tenant-logging");
    let line = line_number(&controls, |line| line == "expires = 2027-01-31");
    assert_eq!(
        (expired[0]["line"].as_u64(), expired[0]["column"].as_u64()),
        (Some(line), Some(11))
    );
    // The finding it hid is back, not waived.
    assert_eq!(run.with_code("SRM031")[0]["waived"], false);
    assert_eq!(run.summary()["waived"], 0);
    assert!(
        (expired[0]["message"].as_str().unwrap()).ends_with("expired on 2027-01-31 (1 day ago)"),
        "{}",
        expired[0]["message"]
    );
}

#[test]
fn an_expired_waiver_fires_even_when_it_matches_nothing() {
    let waiver = WAIVER.replace("SRM031", "SRM030");
    let run = check(
        "waiver-expired-unmatched",
        &controls_with_waiver(&waiver),
        "2027-03-01",
        &["--format", "json"],
    );
    assert_eq!(run.with_code("SRM040").len(), 1);
    assert!(run.with_code("SRM041").is_empty());
}

#[test]
fn an_unused_waiver_is_a_warning() {
    let waiver = WAIVER.replace("SRM031", "SRM030");
    let run = check(
        "waiver-unused",
        &controls_with_waiver(&waiver),
        TODAY,
        &["--format", "json"],
    );
    let unused = run.with_code("SRM041");
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["severity"], "warning");
    assert_eq!(
        unused[0]["message"],
        "the waiver for SRM030 on `tenant-logging` matches no finding"
    );
    // The SRM031 error it did not cover still fails the run.
    assert_eq!(run.code, 1);
    assert_eq!(run.with_code("SRM031")[0]["waived"], false);
}

#[test]
fn an_incomplete_waiver_is_invalid_and_waives_nothing() {
    let waiver = WAIVER
        .replace("approved_by = \"ciso@shop.example\"\n", "")
        .replace(
            "reason = \"SIEM onboarding planned for Q1\"\n",
            "reason = \"  \"\n",
        );
    let run = check(
        "waiver-incomplete",
        &controls_with_waiver(&waiver),
        TODAY,
        &["--format", "json"],
    );
    assert_eq!(run.code, 1);
    let invalid = run.with_code("SRM042");
    assert_eq!(invalid.len(), 1);
    assert_eq!(
        invalid[0]["message"],
        "the waiver has no `reason`, `approved_by`"
    );
    assert_eq!(run.with_code("SRM031")[0]["waived"], false);
}

#[test]
fn a_waiver_longer_than_max_waiver_days_is_invalid() {
    let long = WAIVER.replace("2027-01-31", "2027-12-01");
    let run = check(
        "waiver-too-long",
        &controls_with_waiver(&long),
        TODAY,
        &["--format", "json"],
    );
    let invalid = run.with_code("SRM042");
    assert_eq!(invalid.len(), 1);
    assert_eq!(
        invalid[0]["message"],
        "the waiver runs 368 days from today, longer than the 365 days allowed"
    );
    assert!(
        invalid[0]["help"]
            .as_str()
            .unwrap()
            .contains("2027-11-28 or earlier")
    );
    assert_eq!(run.with_code("SRM031")[0]["waived"], false);

    // `max_waiver_days` in the configuration sets the limit.
    let repo = Scratch::git_root("waiver-limit-config");
    repo.write("controls.toml", controls_with_waiver(WAIVER));
    repo.write(".srmlint.toml", "max_waiver_days = 30\n");
    let run = check_json(&repo, &[]);
    assert_eq!(
        run.with_code("SRM042")[0]["message"],
        "the waiver runs 64 days from today, longer than the 30 days allowed"
    );
}

#[test]
fn unknown_rules_and_controls_and_waiver_rules_cannot_be_waived() {
    let unknown_rule = WAIVER.replace("rule = \"SRM031\"", "rule = \"SRM31\"");
    let run = check(
        "waiver-unknown-rule",
        &controls_with_waiver(&unknown_rule),
        TODAY,
        &["--format", "json"],
    );
    assert_eq!(
        run.with_code("SRM042")[0]["message"],
        "the waiver names an unknown rule `SRM31`; did you mean `SRM031`?"
    );
    let unknown_control = WAIVER.replace(
        "control = \"tenant-logging\"",
        "control = \"tenant-loging\"",
    );
    let run = check(
        "waiver-unknown-control",
        &controls_with_waiver(&unknown_control),
        TODAY,
        &["--format", "json"],
    );
    assert_eq!(
        run.with_code("SRM042")[0]["message"],
        "the waiver names an unknown control `tenant-loging`; did you mean `tenant-logging`?"
    );
    let unwaivable = format!("{WAIVER}\n{}", WAIVER.replace("SRM031", "SRM041"));
    let run = check(
        "waiver-unwaivable",
        &controls_with_waiver(&unwaivable),
        TODAY,
        &["--format", "json"],
    );
    assert_eq!(
        run.with_code("SRM042")[0]["message"],
        "SRM041 cannot be waived"
    );
}

#[test]
fn a_waiver_without_control_covers_every_finding_of_its_rule() {
    let controls = clean_with(
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"security@shop.example\"\n",
    );
    let controls = clean_with_in(&controls, "tenant-logging");
    let waiver = WAIVER.replace("control = \"tenant-logging\"\n", "");
    let run = check(
        "waiver-all-controls",
        &format!("{controls}\n{waiver}"),
        TODAY,
        &["--format", "json"],
    );
    let findings = run.with_code("SRM031");
    assert_eq!(findings.len(), 2);
    assert!(findings.iter().all(|finding| finding["waived"] == true));
    assert_eq!(run.code, 0);
}

/// Removes the evidence of `control` in `controls`.
fn clean_with_in(controls: &str, control: &str) -> String {
    let header = format!("[controls.{control}]\n");
    let start = controls.find(&header).unwrap();
    let evidence = controls[start..].find("evidence = ").unwrap() + start;
    let end = controls[evidence..].find('\n').unwrap() + evidence + 1;
    format!("{}{}", &controls[..evidence], &controls[end..])
}
