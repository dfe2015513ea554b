//! The GitHub Action (`action.yml` and `action/entrypoint.sh`) run end to end offline:
//! the entrypoint with `INPUT_*`, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` set to
//! temporary files and `SRMLINT_BIN` pointing at the built binary (so nothing is
//! built), in real git repositories — a pull request in a shallow clone that lacks its
//! base commit, a push, and a report too long for the step summary.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{CLEAN, Scratch, git, json, replace_table, repo_root};

fn commit(cwd: &Path, message: &str) -> String {
    git(cwd, &["add", "--all"]);
    git(cwd, &["commit", "--quiet", "-m", message]);
    git(cwd, &["rev-parse", "HEAD"])
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
    outputs: String,
    summary: String,
    /// `$RUNNER_TEMP`, kept for the run's files (the default SARIF lies there).
    runner_temp: Scratch,
}

impl Outcome {
    /// The value of one output, as the runner reads `$GITHUB_OUTPUT`: `name=value`
    /// lines or `name<<DELIMITER` blocks.
    fn output(&self, name: &str) -> String {
        outputs_of(&self.outputs)
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
            .unwrap_or_else(|| panic!("no output {name} in:\n{}", self.outputs))
    }
}

/// Every output of a `$GITHUB_OUTPUT` file, read as the runner reads it.
fn outputs_of(text: &str) -> Vec<(String, String)> {
    let mut outputs = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let mut value = Vec::new();
            for line in lines.by_ref() {
                if line == delimiter {
                    break;
                }
                value.push(line);
            }
            outputs.push((name.to_owned(), value.join("\n")));
        } else if let Some((name, value)) = line.split_once('=') {
            outputs.push((name.to_owned(), value.to_owned()));
        }
    }
    outputs
}

/// Runs the entrypoint in `cwd` with `inputs` (`("deny-warnings", "true")`, ...) and
/// `env` on top, as the composite step would.
fn entrypoint(cwd: &Path, inputs: &[(&str, &str)], env: &[(&str, &str)]) -> Outcome {
    let files = Scratch::outside_repository(&format!(
        "action-files-{}",
        cwd.file_name().unwrap().to_string_lossy()
    ));
    let outputs = files.root.join("github-output");
    let summary = files.root.join("step-summary.md");
    std::fs::write(&outputs, "").unwrap();
    std::fs::write(&summary, "").unwrap();
    let mut command = Command::new("bash");
    command
        .arg(repo_root().join("action/entrypoint.sh"))
        .current_dir(cwd)
        .env("SRMLINT_BIN", env!("CARGO_BIN_EXE_srmlint"))
        .env("SRMLINT_ACTION_PATH", repo_root())
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("RUNNER_TEMP", &files.root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("SRMLINT_BASE_SHA")
        .env_remove("NO_COLOR");
    // Every input is set, as action.yml's `env:` sets each from `inputs.*`.
    for (name, default) in [
        ("paths", "."),
        ("deny-warnings", "false"),
        ("today", "2026-11-28"),
        ("sarif", "auto"),
        ("report-summary", "true"),
        ("diff", "true"),
    ] {
        let value = inputs
            .iter()
            .find(|(input, _)| *input == name)
            .map_or(default, |(_, value)| value);
        command.env(input_variable(name), value);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("bash runs the entrypoint");
    Outcome {
        code: output.status.code().expect("exited"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        outputs: std::fs::read_to_string(&outputs).unwrap(),
        summary: std::fs::read_to_string(&summary).unwrap(),
        runner_temp: files,
    }
}

/// `deny-warnings` → `INPUT_DENY_WARNINGS`, as the runner would name it.
fn input_variable(name: &str) -> String {
    format!("INPUT_{}", name.to_uppercase().replace('-', "_"))
}

fn handed_to_exoscale() -> String {
    replace_table(
        CLEAN,
        "backup-restore",
        "[controls.backup-restore]\nowner = \"exoscale\"\n",
    )
}

#[test]
fn a_pull_request_in_a_shallow_clone_gets_sarif_outputs_the_report_and_the_diff() {
    let origin_scratch = Scratch::outside_repository("action-origin");
    let origin = origin_scratch.root.clone();
    git(&origin, &["init", "--quiet", "--initial-branch=main"]);
    common::write(&origin.join("shop/controls.toml"), CLEAN);
    let base = commit(&origin, "clean");
    common::write(&origin.join("shop/controls.toml"), handed_to_exoscale());
    commit(&origin, "hand backup to exoscale");
    // As actions/checkout leaves it: one commit deep, the base missing.
    let clone_parent_scratch = Scratch::outside_repository("action-clone");
    let clone_parent = clone_parent_scratch.root.clone();
    git(
        &clone_parent,
        &[
            "clone",
            "--quiet",
            "--depth=1",
            &format!("file://{}", origin.display()),
            "work",
        ],
    );
    let work = clone_parent.join("work");
    let missing = Command::new("git")
        .args(["cat-file", "-e", &format!("{base}^{{commit}}")])
        .current_dir(&work)
        .status()
        .unwrap();
    assert!(!missing.success(), "the shallow clone should lack the base");

    let outcome = entrypoint(&work, &[], &[("SRMLINT_BASE_SHA", &base)]);
    assert_eq!(outcome.code, 1, "{}\n{}", outcome.stdout, outcome.stderr);
    // By default the SARIF lies under $RUNNER_TEMP, outside the checkout.
    let default_sarif = outcome.runner_temp.root.join("srmlint.sarif");
    assert_eq!(
        outcome.output("sarif-file"),
        default_sarif.to_str().unwrap()
    );
    assert!(!work.join("srmlint.sarif").exists());
    assert_eq!(outcome.output("errors"), "1");
    assert_eq!(outcome.output("warnings"), "0");
    let sarif = json(&std::fs::read_to_string(&default_sarif).unwrap());
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "SRM003");
    assert_eq!(
        sarif["runs"][0]["properties"]["matrix"]["version"],
        "2026-12"
    );
    // The report, then the diff, whose first line names the gap.
    let report_at = outcome
        .summary
        .find("# Pre-audit posture report")
        .expect("the report");
    let diff_at = outcome
        .summary
        .find("\n**srmlint: this change leaves 1 new gap: `backup-restore` (iaas: `SRM003`)**\n")
        .unwrap_or_else(|| panic!("the diff's verdict in:\n{}", outcome.summary));
    assert!(report_at < diff_at);
    // The base commit was fetched.
    git(&work, &["cat-file", "-e", &format!("{base}^{{commit}}")]);
}

#[test]
fn a_push_gets_no_diff_and_a_clean_tree_exits_zero() {
    let repo_scratch = Scratch::outside_repository("action-push");
    let repo = repo_scratch.root.clone();
    git(&repo, &["init", "--quiet", "--initial-branch=main"]);
    common::write(&repo.join("controls.toml"), CLEAN);
    commit(&repo, "clean");
    let outcome = entrypoint(&repo, &[("sarif", "out/results.sarif")], &[]);
    // `--output` writes into an existing folder only.
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    std::fs::create_dir_all(repo.join("out")).unwrap();
    let outcome = entrypoint(&repo, &[("sarif", "out/results.sarif")], &[]);
    assert_eq!(outcome.code, 0, "{}\n{}", outcome.stdout, outcome.stderr);
    assert_eq!(outcome.output("sarif-file"), "out/results.sarif");
    assert_eq!(outcome.output("errors"), "0");
    assert!(repo.join("out/results.sarif").is_file());
    assert!(
        outcome.summary.starts_with("# Pre-audit posture report"),
        "{}",
        outcome.summary
    );
    assert!(
        !outcome.summary.contains("**srmlint:"),
        "no diff without a pull request"
    );
    // Neither summary part when both are switched off; no SARIF when `sarif` is empty.
    let quiet = entrypoint(
        &repo,
        &[
            ("sarif", ""),
            ("report-summary", "false"),
            ("diff", "false"),
        ],
        &[("SRMLINT_BASE_SHA", &git(&repo, &["rev-parse", "HEAD"]))],
    );
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert_eq!(quiet.output("sarif-file"), "");
    assert_eq!(quiet.summary, "");
}

#[test]
fn deny_warnings_fails_on_a_warning_and_a_bad_flag_value_is_refused() {
    let repo_scratch = Scratch::outside_repository("action-warnings");
    let repo = repo_scratch.root.clone();
    git(&repo, &["init", "--quiet", "--initial-branch=main"]);
    // A claim without evidence: SRM031, a warning.
    let warned = replace_table(
        CLEAN,
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"security@shop.example\"\n",
    );
    common::write(&repo.join("controls.toml"), &warned);
    commit(&repo, "warned");
    let lenient = entrypoint(&repo, &[], &[]);
    assert_eq!(lenient.code, 0, "{}", lenient.stderr);
    assert_eq!(lenient.output("warnings"), "1");
    let strict = entrypoint(&repo, &[("deny-warnings", "true")], &[]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    let bad = entrypoint(&repo, &[("deny-warnings", "sometimes")], &[]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("is not true or false"),
        "{}",
        bad.stderr
    );
}

#[test]
fn the_step_summary_is_trimmed_under_one_mebibyte() {
    let repo_scratch = Scratch::outside_repository("action-trim");
    let repo = repo_scratch.root.clone();
    git(&repo, &["init", "--quiet", "--initial-branch=main"]);
    // Enough deployments that the posture report alone passes 1 MiB.
    for index in 0..130 {
        common::write(
            &repo.join(format!("team-{index:03}/controls.toml")),
            CLEAN.replace("name = \"shop\"", &format!("name = \"shop-{index}\"")),
        );
    }
    let base = commit(&repo, "fleet");
    common::write(&repo.join("team-000/controls.toml"), handed_to_exoscale());
    let full = common::srmlint()
        .current_dir(&repo)
        .args(["report", "--today", "2026-11-28"])
        .run();
    assert!(
        full.stdout.len() > 1024 * 1024,
        "the report is only {} bytes",
        full.stdout.len()
    );
    let outcome = entrypoint(&repo, &[], &[("SRMLINT_BASE_SHA", &base)]);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert!(
        outcome.summary.len() < 1024 * 1024,
        "{} bytes",
        outcome.summary.len()
    );
    assert!(
        outcome.summary.contains("*The posture report was cut here"),
        "no cut note"
    );
    // The diff keeps its room after the long report.
    assert!(
        outcome
            .summary
            .contains("**srmlint: this change leaves 1 new gap")
    );
    // The report is cut between lines, never in the middle of a table row.
    let cut = outcome
        .summary
        .find("*The posture report was cut here")
        .unwrap();
    assert!(
        outcome.summary[..cut].ends_with('\n'),
        "cut mid-line: {:?}",
        &outcome.summary[cut.saturating_sub(80)..cut]
    );
}

#[test]
fn action_yml_sets_every_input_as_an_input_variable_and_pins_upload_sarif() {
    let text = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    assert!(text.contains("\n  using: composite\n"));
    let inputs: Vec<&str> = text
        .split("\ninputs:\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        .filter_map(|line| line.strip_prefix("  ")?.strip_suffix(':'))
        .filter(|name| !name.starts_with(' '))
        .collect();
    assert_eq!(
        inputs,
        [
            "paths",
            "deny-warnings",
            "today",
            "sarif",
            "report-summary",
            "diff"
        ]
    );
    for input in &inputs {
        let line = format!("{}: ${{{{ inputs.{input} }}}}", input_variable(input));
        assert!(text.contains(&line), "action.yml lacks `{line}`");
    }
    for output in ["sarif-file", "errors", "warnings"] {
        assert!(text.contains(&format!("value: ${{{{ steps.srmlint.outputs.{output} }}}}")));
    }
    let uses = text
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("uses: github/codeql-action/upload-sarif@")
        })
        .expect("the upload step");
    assert_eq!(uses.len(), 40, "pinned by a full commit id: {uses}");
    assert!(uses.bytes().all(|byte| byte.is_ascii_hexdigit()));
    assert!(text.contains("category: srmlint"));
    assert!(text.contains("SRMLINT_BASE_SHA: ${{ github.event.pull_request.base.sha }}"));
    // The entrypoint the step runs is the one tested above.
    assert!(text.contains("\"$SRMLINT_ACTION_PATH/action/entrypoint.sh\""));
    let script = std::fs::read_to_string(repo_root().join("action/entrypoint.sh")).unwrap();
    assert!(script.contains("\nset -euo pipefail\n"));
    assert!(script.contains("cargo install --locked --quiet --path \"$action_root\""));
}

/// When the base commit cannot be fetched into the shallow clone, the hint says what
/// helps (a full clone), once, and the check still decides the step.
#[test]
fn a_base_that_cannot_be_fetched_says_to_clone_in_full() {
    let origin_scratch = Scratch::outside_repository("action-unfetchable-origin");
    let origin = origin_scratch.root.clone();
    git(&origin, &["init", "--quiet", "--initial-branch=main"]);
    common::write(&origin.join("controls.toml"), CLEAN);
    commit(&origin, "clean");
    let clone_scratch = Scratch::outside_repository("action-unfetchable-clone");
    git(
        &clone_scratch.root,
        &[
            "clone",
            "--quiet",
            "--depth=1",
            &format!("file://{}", origin.display()),
            "work",
        ],
    );
    let work = clone_scratch.root.join("work");
    let missing = "1".repeat(40);
    let outcome = entrypoint(&work, &[], &[("SRMLINT_BASE_SHA", &missing)]);
    assert_eq!(outcome.code, 0, "{}\n{}", outcome.stdout, outcome.stderr);
    let hints: Vec<&str> = outcome
        .stdout
        .lines()
        .filter(|line| line.starts_with("::warning title=srmlint::no ownership diff"))
        .collect();
    assert_eq!(hints.len(), 1, "{}", outcome.stdout);
    assert!(
        hints[0].contains("could not be fetched") && hints[0].contains("fetch-depth: 0"),
        "{}",
        hints[0]
    );
    assert!(
        !outcome.summary.contains("ownership"),
        "{}",
        outcome.summary
    );
}
