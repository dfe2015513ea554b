//! The CI formats end to end: the built binary run on fixtures and on `examples/`,
//! its stdout, stderr, exit code and written files checked as a CI system would read
//! them, and the CI recipes of docs/ci.md and the pre-commit hook run as documented.

use crate::common;

use std::path::{Path, PathBuf};

use common::{Run, Scratch, TODAY, check, fixtures, json, repo_root, sarif_validator, srmlint};

const FORMATS: &[&str] = &["concise", "sarif", "github", "gitlab", "junit"];

/// Runs `srmlint ARGS --today TODAY` in `dir`; `GITHUB_STEP_SUMMARY` names `summary`
/// when given (the shared runner unsets it otherwise).
fn run_in(dir: &Path, args: &[&str], summary: Option<&Path>) -> Run {
    let mut command = srmlint();
    command.current_dir(dir).args(args).args(["--today", TODAY]);
    if let Some(summary) = summary {
        command.env("GITHUB_STEP_SUMMARY", summary);
    }
    command.run()
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn assert_valid_sarif(text: &str) -> serde_json::Value {
    let log: serde_json::Value = serde_json::from_str(text).expect("SARIF is JSON");
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
    log
}

#[test]
fn every_format_keeps_the_exit_codes_and_machine_formats_keep_stderr_empty() {
    for format in FORMATS {
        let failing = check(repo_root(), &["tests/fixtures/formats", "--format", format]);
        assert_eq!(failing.code, 1, "{format}: {}", failing.stderr);
        assert!(!failing.stdout.is_empty(), "{format}");
        let clean = check(
            repo_root(),
            &["tests/fixtures/formats/clean", "--format", format],
        );
        assert_eq!(clean.code, 0, "{format}: {}", clean.stdout);
        if *format != "concise" {
            assert_eq!(
                failing.stderr, "",
                "{format} prints nothing beside its document"
            );
        }
        let exit_zero = check(
            repo_root(),
            &["tests/fixtures/formats", "--format", format, "--exit-zero"],
        );
        assert_eq!(exit_zero.code, 0, "{format}");
        let missing = check(
            repo_root(),
            &["tests/fixtures/formats/missing", "--format", format],
        );
        assert_eq!(missing.code, 2, "{format}");
    }
}

#[test]
fn every_format_is_byte_for_byte_reproducible() {
    for format in FORMATS {
        let first = check(repo_root(), &["tests/fixtures/formats", "--format", format]);
        let second = check(repo_root(), &["tests/fixtures/formats", "--format", format]);
        assert_eq!(first.stdout, second.stdout, "{format}");
        let dir = Scratch::new("reproducible");
        let (a, b) = (dir.path("a"), dir.path("b"));
        for path in [&a, &b] {
            let written = check(
                repo_root(),
                &[
                    "tests/fixtures/formats",
                    "--format",
                    format,
                    "--output",
                    path.to_str().unwrap(),
                ],
            );
            assert_eq!(written.stdout, "", "{format}: --output leaves stdout empty");
        }
        assert_eq!(
            std::fs::read(&a).unwrap(),
            first.stdout.as_bytes(),
            "{format}"
        );
        assert_eq!(
            std::fs::read(&b).unwrap(),
            first.stdout.as_bytes(),
            "{format}"
        );
    }
}

#[test]
fn concise_is_one_line_a_finding_with_the_summary_on_stderr() {
    let output = check(
        repo_root(),
        &["tests/fixtures/formats/shop", "--format", "concise"],
    );
    let text = output.stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.contains(
        &"tests/fixtures/formats/shop/controls.toml:5:53: error[SRM011] unknown service `object-storag`; did you mean `object-storage`?"
    ), "{text}");
    assert!(lines.contains(
        &"tests/fixtures/formats/shop/controls.toml:23:9: warning[SRM004] `tenant-logging` is the customer's alone in DBaaS and IaaS: the provider holds no part, so the owner is `customer`, not `shared`"
    ), "{text}");
    let shape = regex::Regex::new(r"^[^:]+:\d+:\d+: (error|warning|info)\[[A-Z]+\d+\] \S").unwrap();
    assert!(lines.iter().all(|line| shape.is_match(line)), "{text}");
    let summary = output.stderr;
    assert!(
        summary.starts_with("srmlint: 1 file checked: ") && summary.ends_with('\n'),
        "{summary}"
    );
}

#[test]
fn sarif_is_valid_and_lists_every_rule_with_repository_relative_uris() {
    let output = check(
        repo_root(),
        &["tests/fixtures/formats", "--format", "sarif"],
    );
    let log = assert_valid_sarif(&output.stdout);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    // Every rule that can fire is listed, not only those that fired.
    assert!(rules.iter().any(|rule| rule["id"] == "SRM042"));
    assert!(rules.iter().all(|rule| {
        rule["help"]["markdown"]
            .as_str()
            .is_some_and(|help| help.contains("## What it checks"))
    }));
    let results = run["results"].as_array().unwrap();
    let unknown = results
        .iter()
        .find(|result| result["ruleId"] == "SRM011")
        .unwrap();
    let location = &unknown["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "tests/fixtures/formats/shop/controls.toml"
    );
    assert_eq!(
        location["region"],
        serde_json::json!({"startLine": 5, "startColumn": 53, "endLine": 5, "endColumn": 68})
    );
    assert_eq!(unknown["level"], "error");
    let index = unknown["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "SRM011");

    // Run from a folder below the repository's root, or given an absolute path, the
    // URI is still relative to the root (no machine path); stdin keeps its name.
    let repo = Scratch::git_root("sarif-uris");
    repo.write(
        "infra/team/controls.toml",
        "[deployment]\nservices = [\"comptue\"]\n",
    );
    let absolute = repo.path("infra/team").display().to_string();
    for (folder, path) in [("infra", "team"), ("infra/team", absolute.as_str())] {
        let output = run_in(
            &repo.path(folder),
            &["check", path, "--format", "sarif"],
            None,
        );
        let log = assert_valid_sarif(&output.stdout);
        let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"],
            "infra/team/controls.toml"
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    }
}

/// The fingerprints of `text` checked as `controls.toml` in a fresh folder.
fn fingerprints_of(format: &str, text: &str) -> Vec<String> {
    let dir = Scratch::new("fingerprints");
    dir.write("controls.toml", text);
    let output = run_in(
        &dir.root,
        &["check", "controls.toml", "--format", format],
        None,
    );
    let document = output.json();
    let mut prints: Vec<String> = match format {
        "sarif" => document["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|result| {
                result["partialFingerprints"]["srmlint-fingerprint/v1"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect(),
        _ => document
            .as_array()
            .unwrap()
            .iter()
            .map(|issue| issue["fingerprint"].as_str().unwrap().to_owned())
            .collect(),
    };
    prints.sort();
    prints
}

#[test]
fn fingerprints_are_unique_and_stay_when_unrelated_lines_move() {
    let original = std::fs::read_to_string(fixtures().join("formats/shop/controls.toml")).unwrap();
    // Unrelated lines added above every finding, and a table moved to the end.
    let (head, tail) = original.split_at(original.find("[controls.tenant-iam]").unwrap());
    let (tenant_iam, rest) = tail.split_at(tail.find("[controls.tenant-logging]").unwrap());
    let moved = format!("# reviewed by the platform team\n\n{head}{rest}\n{tenant_iam}");
    for format in ["sarif", "gitlab"] {
        let before = fingerprints_of(format, &original);
        let after = fingerprints_of(format, &moved);
        assert!(before.len() > 10, "{format}: {before:?}");
        assert_eq!(before, after, "{format}");
        let mut unique = before.clone();
        unique.dedup();
        assert_eq!(unique, before, "{format}: fingerprints are unique");
    }
}

#[test]
fn gitlab_code_quality_has_the_documented_severities() {
    let output = check(
        repo_root(),
        &["tests/fixtures/formats", "--format", "gitlab"],
    );
    let issues = output.json();
    let issues = issues.as_array().unwrap();
    for issue in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[key].is_string(), "{key} in {issue}");
        }
        assert!(issue["location"]["path"].is_string());
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
    }
    let severity_of = |code: &str| {
        issues
            .iter()
            .find(|issue| issue["check_name"] == code)
            .map(|issue| issue["severity"].as_str().unwrap().to_owned())
    };
    assert_eq!(severity_of("SRM011").as_deref(), Some("major"));
    assert_eq!(severity_of("SRM004").as_deref(), Some("minor"));
}

#[test]
fn junit_has_a_suite_a_file_and_a_case_a_control_that_applies() {
    let output = check(
        repo_root(),
        &["tests/fixtures/formats", "--format", "junit"],
    );
    let report = quick_junit::Report::deserialize_from_str(&output.stdout).expect("valid JUnit");
    let names: Vec<&str> = report
        .test_suites
        .iter()
        .map(|suite| suite.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "tests/fixtures/formats/clean/controls.toml",
            "tests/fixtures/formats/shop/controls.toml"
        ]
    );
    let clean = &report.test_suites[0];
    assert_eq!(clean.failures, 0);
    // The clean file uses IaaS only: 18 controls have a part there, plus `deployment`.
    let cases: Vec<&str> = clean
        .test_cases
        .iter()
        .map(|case| case.name.as_str())
        .collect();
    assert_eq!(cases.first(), Some(&"deployment"));
    assert!(cases.contains(&"physical-security") && cases.contains(&"backup-restore"));
    let shop = &report.test_suites[1];
    let failed: Vec<&str> = shop
        .test_cases
        .iter()
        .filter(|case| matches!(case.status, quick_junit::TestCaseStatus::NonSuccess { .. }))
        .map(|case| case.name.as_str())
        .collect();
    // SRM011 fails the deployment; SRM032 fails backup-restore; SRM002 platform-iam.
    for expected in [
        "deployment",
        "backup-restore",
        "platform-iam",
        "network-security",
    ] {
        assert!(failed.contains(&expected), "{expected} in {failed:?}");
    }
    // A warning does not fail its testcase.
    assert!(!failed.contains(&"tenant-logging"));
    assert!(!failed.contains(&"tenant-iam"));

    // Under --deny-warnings the run fails on warnings, and so do their test cases.
    let denied = check(
        repo_root(),
        &[
            "tests/fixtures/formats",
            "--format",
            "junit",
            "--deny-warnings",
        ],
    );
    assert_eq!(denied.code, 1);
    let denied = quick_junit::Report::deserialize_from_str(&denied.stdout).expect("valid JUnit");
    let denied_shop = &denied.test_suites[1];
    let failure_type = |name: &str| {
        denied_shop
            .test_cases
            .iter()
            .find(|case| case.name.as_str() == name)
            .and_then(|case| match &case.status {
                quick_junit::TestCaseStatus::NonSuccess { ty, .. } => {
                    Some(ty.as_ref().map_or("", |ty| ty.as_str()).to_owned())
                }
                _ => None,
            })
    };
    assert_eq!(failure_type("tenant-logging").as_deref(), Some("SRM004"));
    assert_eq!(failure_type("tenant-iam"), None, "no finding, no failure");
    assert!(failure_type("backup-restore").is_some());
    assert!(denied_shop.failures > shop.failures);
}

#[test]
fn github_commands_escape_percent_line_breaks_colons_and_commas() {
    let scratch = Scratch::new("github");
    scratch.write(
        "team:a,b 100%/controls.toml",
        "[deployment]\nname = \"x\"\nservices = [\"compute\", \"a%b\\n:c,d\"]\nzones = [\"de-fra-1\"]\n",
    );
    let output = run_in(&scratch.root, &["check", "--format", "github"], None);
    assert_eq!(output.code, 1);
    let text = output.stdout;
    let unknown = text
        .lines()
        .find(|line| line.contains("title=SRM011"))
        .unwrap_or_else(|| panic!("no SRM011 in {text}"));
    assert!(
        unknown.starts_with(
            "::error file=team%3Aa%2Cb 100%25/controls.toml,line=3,col=24,endLine=3,endColumn=35,title=SRM011 unknown-service::unknown service `a%25b%0A:c,d`"
        ),
        "{unknown}"
    );
    // Every line is one workflow command: nothing from the file broke a line.
    assert!(
        text.lines().all(|line| line.starts_with("::error ")),
        "{text}"
    );
}

#[test]
fn github_step_summary_is_appended_never_truncated() {
    let dir = Scratch::new("summary");
    let summary = dir.path("summary.md");
    std::fs::write(&summary, "# earlier step\n\n").unwrap();
    for _ in 0..2 {
        let output = run_in(
            repo_root(),
            &["check", "tests/fixtures/formats", "--format", "github"],
            Some(&summary),
        );
        assert_eq!(output.code, 1);
        assert!(output.stdout.lines().all(|line| line.starts_with("::")));
    }
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("# earlier step\n\n## srmlint\n"), "{text}");
    assert_eq!(text.matches("## srmlint\n").count(), 2);
    assert!(
        text.contains("| error | SRM011 unknown-service | tests/fixtures/formats/shop/controls.toml:5:53 |  | unknown service \\`object-storag\\`"),
        "{text}"
    );
    // Without the variable nothing is written anywhere else.
    let plain = check(
        repo_root(),
        &["tests/fixtures/formats", "--format", "github"],
    );
    assert_eq!(plain.stderr, "");
}

/// The `srmlint check ...` commands of the CI page (`docs/ci.md`, which the README
/// links), as written.
fn readme_commands() -> Vec<Vec<String>> {
    let page = std::fs::read_to_string(repo_root().join("docs/ci.md")).unwrap();
    let section = page.as_str();
    let mut commands = Vec::new();
    let mut in_code = false;
    for line in section.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if let Some(start) = line.find("srmlint check ").filter(|_| in_code) {
            let command = line[start..].split(" #").next().unwrap();
            commands.push(command.split_whitespace().map(str::to_owned).collect());
        }
    }
    commands
}

/// Folders the recipes are run in: the fixtures, and `examples/` when present.
fn recipe_targets() -> Vec<PathBuf> {
    let mut targets = vec![fixtures().join("formats")];
    let examples = repo_root().join("examples");
    if examples.is_dir() {
        targets.push(examples);
    }
    targets
}

#[test]
fn the_readme_ci_recipes_work_as_documented() {
    let commands = readme_commands();
    let formats: Vec<&str> = commands
        .iter()
        .filter_map(|command| {
            let at = command.iter().position(|word| word == "--format")?;
            command.get(at + 1).map(String::as_str)
        })
        .collect();
    assert_eq!(
        formats,
        ["github", "sarif", "junit", "gitlab"],
        "{commands:?}"
    );
    for target in recipe_targets() {
        let repo = Scratch::new("recipe");
        copy_tree(&target, &repo.root);
        let summary = repo.path("step-summary.md");
        // The runner's temporary folder, outside the checkout, as a shell expands it.
        let runner_temp = Scratch::outside_repository("recipe-runner-temp");
        for command in &commands {
            let command: Vec<String> = command
                .iter()
                .map(|word| {
                    word.trim_matches('"')
                        .replace("$RUNNER_TEMP", &runner_temp.root.to_string_lossy())
                })
                .collect();
            let args: Vec<&str> = command[1..].iter().map(String::as_str).collect();
            let output = run_in(&repo.root, &args, Some(&summary));
            let code = output.code;
            let context = format!("{command:?} in {}: {}", target.display(), output.stderr);
            if command.iter().any(|word| word == "--exit-zero") {
                assert_eq!(code, 0, "{context}");
            } else {
                assert!(matches!(code, 0 | 1), "{context}");
            }
            assert_eq!(output.stderr, "", "{context}");
            let format_at = command.iter().position(|word| word == "--format").unwrap();
            let written = match command.iter().position(|word| word == "--output") {
                Some(at) => {
                    assert_eq!(output.stdout, "", "{context}");
                    std::fs::read_to_string(repo.path(&command[at + 1])).unwrap()
                }
                None => output.stdout,
            };
            match command[format_at + 1].as_str() {
                "github" => {
                    assert!(
                        written.lines().all(|line| line.starts_with("::")),
                        "{context}"
                    );
                    let summary = std::fs::read_to_string(&summary).unwrap();
                    assert!(summary.starts_with("## srmlint\n"), "{context}");
                }
                "sarif" => {
                    assert_valid_sarif(&written);
                }
                "gitlab" => {
                    let issues = json(&written);
                    assert!(issues.is_array(), "{context}");
                }
                "junit" => {
                    let report = quick_junit::Report::deserialize_from_str(&written).unwrap();
                    assert!(!report.test_suites.is_empty(), "{context}");
                }
                other => panic!("the README uses an unknown format {other}"),
            }
        }
    }
}

#[test]
fn the_pre_commit_hook_runs_on_the_files_it_selects() {
    let hooks = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let value_of = |key: &str| {
        hooks
            .lines()
            .find_map(|line| line.trim().strip_prefix(&format!("{key}: ")))
            .unwrap_or_else(|| panic!("no {key} in the hook"))
            .trim_matches('\'')
            .to_owned()
    };
    assert_eq!(value_of("language"), "rust");
    let files = regex::Regex::new(&value_of("files")).unwrap();
    for name in [
        "controls.toml",
        "a/b/controls.toml",
        "prod.controls.toml",
        "x/prod.controls.toml",
    ] {
        assert!(files.is_match(name), "{name}");
    }
    for name in [
        "mycontrols.toml",
        "controls.toml.bak",
        "controls.yaml",
        ".controls.toml/x",
    ] {
        assert!(!files.is_match(name), "{name}");
    }
    let entry = value_of("entry");
    let words: Vec<&str> = entry.split_whitespace().collect();
    assert_eq!(words[0], "srmlint");
    let shape =
        regex::Regex::new(r"^[^:]+\.(toml|tf|json):\d+:\d+: (error|warning|info)\[[A-Z]+\d+\] ")
            .unwrap();
    for target in recipe_targets() {
        // pre-commit passes the matching files, relative to the repository root.
        let selected: Vec<String> = walkdir::WalkDir::new(&target)
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap)
            .map(|entry| {
                entry
                    .path()
                    .strip_prefix(&target)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .filter(|path| files.is_match(path))
            .collect();
        assert!(!selected.is_empty(), "{}", target.display());
        let mut args: Vec<&str> = words[1..].to_vec();
        args.extend(selected.iter().map(String::as_str));
        let output = run_in(&target, &args, None);
        assert!(matches!(output.code, 0 | 1), "{}", output.stderr);
        let text = output.stdout;
        assert!(text.lines().all(|line| shape.is_match(line)), "{text}");
        let files_word = if selected.len() == 1 { "file" } else { "files" };
        let summary = output.stderr;
        assert!(
            summary.starts_with(&format!("srmlint: {} {files_word} checked", selected.len())),
            "{summary}"
        );
    }
}

#[test]
fn text_from_the_file_is_escaped_in_every_format() {
    let dir = Scratch::new("escaping");
    dir.write(
        "controls.toml",
        "[deployment]\nname = \"x\"\nservices = [\"compute\", \"<a&b>\\u001b[31m\\r\"]\nzones = [\"de-fra-1\"]\n",
    );
    let run = |format: &str| {
        let output = run_in(&dir.root, &["check", "--format", format], None);
        assert_eq!(output.code, 1, "{format}");
        output.stdout
    };
    let junit = run("junit");
    assert!(
        junit.contains("unknown service `&lt;a&amp;b&gt;\\u{1b}[31m\\u{d}`"),
        "{junit}"
    );
    quick_junit::Report::deserialize_from_str(&junit).expect("well-formed XML");
    let github = run("github");
    assert!(
        github.contains("unknown service `<a&b>\\u{1b}[31m\\u{d}`"),
        "{github}"
    );
    assert!(!github.contains('\u{1b}') && !github.contains('\r'));
    let concise = run("concise");
    assert!(
        !concise.contains('\u{1b}') && !concise.contains('\r'),
        "{concise}"
    );
    for format in ["sarif", "gitlab"] {
        let text = run(format);
        assert!(
            !text.contains('\u{1b}'),
            "{format}: JSON escapes control characters"
        );
        let document = json(&text);
        assert!(
            document.to_string().contains("<a&b>\\u001b[31m\\r"),
            "{format}"
        );
    }
}

/// The run's own errors as a GitLab report and a JUnit report of `dir`: the issues
/// with `check_name` `srmlint`, and the `srmlint` suite's (test case, `<error>`
/// message) pairs. Each document must also parse as its consumer reads it.
fn run_errors_in(dir: &Path, args: &[&str]) -> (Vec<serde_json::Value>, Vec<(String, String)>) {
    let gitlab = check(dir, &[args, &["--format", "gitlab"]].concat());
    assert_eq!(gitlab.code, 2, "{}", gitlab.stderr);
    let issues: Vec<serde_json::Value> = (gitlab.json().as_array().unwrap().iter())
        .filter(|issue| issue["check_name"] == "srmlint")
        .cloned()
        .collect();
    let junit = check(dir, &[args, &["--format", "junit"]].concat());
    assert_eq!(junit.code, 2, "{}", junit.stderr);
    let report = quick_junit::Report::deserialize_from_str(&junit.stdout).expect("valid JUnit");
    assert_eq!(report.errors, report.test_suites[0].test_cases.len());
    let errored = (report.test_suites.iter())
        .filter(|suite| suite.name.as_str() == "srmlint")
        .flat_map(|suite| &suite.test_cases)
        .map(|case| match &case.status {
            quick_junit::TestCaseStatus::NonSuccess {
                kind: quick_junit::NonSuccessKind::Error,
                message,
                ..
            } => (
                case.name.to_string(),
                message.as_ref().map_or("", |m| m.as_str()).to_owned(),
            ),
            other => panic!("{:?} is not an <error>: {other:?}", case.name),
        })
        .collect();
    (issues, errored)
}

/// A run that exited 2 (a path that does not exist, a bad configuration) gave a
/// passing JUnit suite, an empty GitLab report and no GitHub annotation, and JSON
/// `errors[].path` and the SARIF notification named no file where the file at fault
/// was known.
#[test]
fn a_run_that_exits_2_never_looks_clean_and_names_the_file_at_fault() {
    let dir = Scratch::git_root("formats-exit-2");
    dir.write("controls.toml", common::CLEAN);
    let (issues, errored) = run_errors_in(&dir.root, &["controls.toml", "renamed-dir"]);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0]["severity"], "blocker");
    assert_eq!(issues[0]["location"]["path"], "renamed-dir");
    assert_eq!(issues[0]["location"]["lines"]["begin"], 1);
    let description = issues[0]["description"].as_str().unwrap();
    assert!(
        description.contains("cannot check `renamed-dir`"),
        "{description}"
    );
    assert_eq!(errored.len(), 1);
    assert_eq!(errored[0].0, "renamed-dir");
    assert!(
        errored[0].1.contains("cannot check `renamed-dir`"),
        "{errored:?}"
    );
    // The fingerprint stays from run to run, and each problem has its own.
    let (again, _) = run_errors_in(&dir.root, &["controls.toml", "renamed-dir"]);
    assert_eq!(again[0]["fingerprint"], issues[0]["fingerprint"]);
    let (two, _) = run_errors_in(&dir.root, &["gone", "renamed-dir", "gone"]);
    let mut prints: Vec<&str> = two
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), 3, "{two:?}");
    assert!(
        prints
            .iter()
            .all(|p| p.len() == 16 && p.chars().all(|c| c.is_ascii_hexdigit()))
    );
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), 3, "{two:?}");

    // A run that cannot start: each format names the file at fault, also written
    // with --output over an earlier, clean report.
    dir.write(".srmlint.toml", "max_review_days = 1\n");
    let (issues, errored) = run_errors_in(&dir.root, &[]);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0]["location"]["path"], ".srmlint.toml");
    assert_eq!(errored.len(), 1);
    assert_eq!(errored[0].0, ".srmlint.toml");
    assert_eq!(errored[0].1, "invalid config file `.srmlint.toml`");
    for (format, clean) in [("junit", "<testsuites"), ("gitlab", "[]")] {
        dir.write(format!("report.{format}"), clean);
        let run = check(
            &dir,
            &[
                "--format",
                format,
                "--output",
                &format!("report.{format}"),
                "--force",
            ],
        );
        assert_eq!(run.code, 2, "{}", run.stderr);
        let written = std::fs::read_to_string(dir.path(format!("report.{format}"))).unwrap();
        assert!(written.contains(".srmlint.toml"), "{format}: {written}");
    }
    let document = check(&dir, &["--format", "json"]).json();
    assert_eq!(document["errors"][0]["path"], ".srmlint.toml");
    // GitHub annotates the file at fault, with the reason, as one workflow command.
    let github = check(&dir, &["--format", "github"]);
    assert_eq!(github.code, 2, "{}", github.stderr);
    assert!(
        github.stdout.starts_with(
            "::error file=.srmlint.toml,title=srmlint::srmlint exited 2: invalid config file"
        ),
        "{}",
        github.stdout
    );
    assert_eq!(github.stdout.lines().count(), 1, "{}", github.stdout);
    let sarif = check(&dir, &["--format", "sarif"]).json();
    let note = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        ".srmlint.toml"
    );
    std::fs::remove_file(dir.path(".srmlint.toml")).unwrap();

    // A policy or matrix file that cannot be read or is invalid.
    dir.write("bad.toml", "[[rule]]\ncode = \"acme-1\"\n");
    for (args, path) in [
        (&["--policy", "bad.toml"][..], "bad.toml"),
        (&["--policy", "absent.toml"], "absent.toml"),
        (&["--matrix", "bad.toml"], "bad.toml"),
        (&["--matrix", "/dev/zero"], "/dev/zero"),
        (&["--terraform", "absent"], "absent"),
    ] {
        let run = check(&dir, &[args, &["--format", "json"]].concat());
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.json()["errors"][0]["path"], path, "{args:?}");
        let (issues, errored) = run_errors_in(&dir.root, args);
        assert_eq!(issues[0]["location"]["path"], path, "{args:?}");
        assert_eq!(errored[0].0, path, "{args:?}");
    }
}
