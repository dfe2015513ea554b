//! A hostile repository, built here as a pull request's author could commit it:
//! symbolic links out of the repository at every place srmlint reads or writes a
//! file, names and values that try to start workflow commands or drive a terminal,
//! and huge and deeply nested files. Every command that reads a checkout — `check` in
//! each format, `report`, `diff`, `config`, `init --terraform`, `explain`, `rules` —
//! and the GitHub Action's entrypoint with the runner's files are run over it. None
//! may print, quote or write anything outside the repository: a marker written in
//! every file outside must never appear in any output, and no file outside may change.

#![cfg(unix)]

use crate::common;

use std::collections::BTreeMap;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::terminal::{assert_terminal_safe, strip_colour};
use common::{Run, Scratch, TODAY, check};

/// Written in every file outside the repository.
const MARKER: &str = "OUTSIDE-MARKER-7f3a";

/// The files outside the repository that its links point at.
fn outside() -> Scratch {
    let outside = Scratch::outside_repository("untrusted-outside");
    outside.write("secret.toml", format!("{MARKER} = \"runner secret\"\n"));
    outside.write(
        "dir/controls.toml",
        format!("[deployment]\nname = \"{MARKER}\"\nservices = [\"{MARKER}\"]\n"),
    );
    outside.write("dir/.srmlint.toml", format!("{MARKER} = 1\n"));
    outside.write(
        "main.tf",
        format!(
            "resource \"exoscale_dbaas\" \"{MARKER}\" {{\n  zone = \"{MARKER}\"\n  type = \"kafka\"\n}}\n"
        ),
    );
    outside.write("plan.json", format!("{{\"format_version\": \"{MARKER}\"\n"));
    outside.write("policy.toml", format!("[[rule]]\ncode = \"{MARKER}\"\n"));
    outside.write("target.txt", format!("{MARKER}: must stay as it is\n"));
    outside.write("private.txt", format!("{MARKER}: mode 0600\n"));
    std::fs::set_permissions(
        outside.path("private.txt"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    outside
}

/// Every file and folder under `root` with its bytes and mode, to tell any change.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, u32)> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let metadata = std::fs::symlink_metadata(entry.path()).unwrap();
            let bytes = if metadata.is_file() {
                std::fs::read(entry.path()).unwrap()
            } else {
                Vec::new()
            };
            if metadata.is_dir() {
                pending.push(entry.path());
            }
            files.insert(entry.path(), (bytes, metadata.permissions().mode()));
        }
    }
    files
}

const CONTROLS: &str = r###"[deployment]
name = "shop"
services = ["compute"]
zones = ["ch-gva-2"]
terraform = ["infra", "tf-out", "plan-out.json", "tf-out/main.tf", "infra/mod-out"]

[controls.data-classification]
owner = "customer"
accountable = "sec@example.com"
evidence = ["ev-out.md", "out/secret.toml", "docs/../out/secret.toml", "OUTSIDE_FILE_URL_HOST", "OUTSIDE_FILE_URL", "OUTSIDE_RELATIVE"]

[controls."::add-mask::pwned"]
owner = "customer"
accountable = "##[error]legacy"

[controls."x\n::error title=injected::from an id"]
owner = "customer"

[controls."cr\r::error title=cr::from an id"]
owner = "customer"
accountable = "\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 \u202e"
"###;

const EVIL_POLICY: &str = r#"[[rule]]
code = "ACME001"
name = "evil-name"
severity = "warning"
message = "a | b <img src=x> [link](https://evil.example) ![i](https://evil.example/i.png)\n::set-output name=x::y\n##[error]legacy \u001b[2J"
help = "help\n::add-mask::secret"

[rule.when]
owner = ["customer"]

[rule.require]
field = "implementation"
present = true
"#;

/// The hostile repository, committed, with one change in the work tree for `diff`.
fn hostile_repository(outside: &Scratch) -> Scratch {
    let repo = Scratch::outside_repository("untrusted-repo");
    let o = |name: &str| outside.path(name);
    let relative_out = format!(
        "../{}/secret.toml",
        outside.root.file_name().unwrap().to_string_lossy()
    );
    repo.write(
        "controls.toml",
        CONTROLS
            .replace(
                "OUTSIDE_FILE_URL_HOST",
                &format!("file://localhost{}", o("secret.toml").display()),
            )
            .replace(
                "OUTSIDE_FILE_URL",
                &format!("file://{}", o("secret.toml").display()),
            )
            .replace("OUTSIDE_RELATIVE", &relative_out),
    );
    repo.write(".srmlint.toml", "policies = [\"policies/evil.toml\"]\n");
    repo.write("policies/evil.toml", EVIL_POLICY);
    repo.write(
        "infra/main.tf",
        "resource \"exoscale_compute_instance\" \"web\" {\n  zone = \"ch-gva-2\"\n}\n\nmodule \"m\" {\n  source = \"./mod-out\"\n}\n",
    );
    repo.write("docs/readme.md", "docs\n");
    // Links out at every place srmlint reads.
    symlink(&outside.root, repo.path("infra/mod-out")).unwrap();
    symlink(o("main.tf"), repo.path("infra/stolen.tf")).unwrap();
    symlink(&outside.root, repo.path("tf-out")).unwrap();
    symlink(o("plan.json"), repo.path("plan-out.json")).unwrap();
    symlink(o("secret.toml"), repo.path("ev-out.md")).unwrap();
    symlink(&outside.root, repo.path("out")).unwrap();
    symlink(o("dir/controls.toml"), repo.path("linked.controls.toml")).unwrap();
    symlink(&relative_out, repo.path("relative.controls.toml")).unwrap();
    symlink(o("dir"), repo.path("team-out")).unwrap();
    symlink("/dev/zero", repo.path("zero.controls.toml")).unwrap();
    // ...and at every place it writes.
    for name in ["srmlint.sarif", "report.md", "new.controls.toml"] {
        symlink(o("target.txt"), repo.path(name)).unwrap();
    }
    symlink(o("private.txt"), repo.path("private.md")).unwrap();
    symlink(&outside.root, repo.path("outdir")).unwrap();
    symlink(o("nothing-here.txt"), repo.path("dangling.json")).unwrap();
    // Names that try to start workflow commands or drive the terminal.
    let small = "[deployment]\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n";
    for name in [
        "::notice title=pwned::x.controls.toml",
        "##[error]z.controls.toml",
        "nl\n::error::w.controls.toml",
        "  ::warning::indented.controls.toml",
        "\u{a0}\u{3000}::warning::nbsp.controls.toml",
        "esc\u{1b}]8;;https:evil\u{7}.controls.toml",
    ] {
        repo.write(name, small);
    }
    // Huge and deep.
    let mut big = small.as_bytes().to_vec();
    big.resize(5 * 1024 * 1024, b' ');
    repo.write("big.controls.toml", big);
    repo.write(
        "deep.controls.toml",
        format!(
            "{small}name = {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    repo.commit_all();
    // A change in the work tree for `diff`.
    let changed = std::fs::read_to_string(repo.path("controls.toml"))
        .unwrap()
        .replace("name = \"shop\"", "name = \"shop2\"");
    repo.write("controls.toml", changed);
    repo
}

/// What every output must hold to: no marker from outside, no line a CI runner reads
/// as a workflow command other than srmlint's own, no legacy `##[`.
fn assert_safe(what: &str, text: &str) {
    assert!(!text.contains(MARKER), "{what}: text from outside:\n{text}");
    assert!(
        !text.contains("runner secret"),
        "{what}: text from outside:\n{text}"
    );
    assert!(
        !text.contains("##["),
        "{what}: a legacy `##[` command:\n{text}"
    );
    // A runner may end a line at a carriage return too.
    for line in text.split(['\n', '\r']) {
        let body = line.trim_start_matches(char::is_whitespace);
        let Some(rest) = body.strip_prefix("::") else {
            continue;
        };
        // srmlint's own commands: `::error file=…,title=…::message`, whose properties
        // hold no `:` (escaped as %3A), and the Action's `::warning title=srmlint::`.
        let (head, _) = rest
            .split_once("::")
            .unwrap_or_else(|| panic!("{what}: a line starting with `::`: {line}"));
        let command = head.split(' ').next().unwrap();
        assert!(
            ["error", "warning", "notice"].contains(&command) && !head.contains(':'),
            "{what}: a workflow command from the checkout: {line}"
        );
        assert!(
            head.starts_with(&format!("{command} file="))
                || head == format!("{command} title=srmlint"),
            "{what}: a workflow command from the checkout: {line}"
        );
    }
}

fn run(repo: &Scratch, runner: &Path, args: &[&str]) -> Run {
    repo.srmlint()
        .env("GITHUB_STEP_SUMMARY", runner.join("summary.md"))
        .args(args)
        .run()
}

fn assert_run_safe(what: &str, run: &Run) {
    assert!(run.code <= 2, "{what}: exit {}: {}", run.code, run.stderr);
    assert_safe(&format!("{what} (stdout)"), &run.stdout);
    assert_safe(&format!("{what} (stderr)"), &run.stderr);
    assert_terminal_safe(&run.stderr, &format!("{what} (stderr)"));
}

#[test]
fn a_hostile_repository_never_leaks_or_writes_outside_and_never_hijacks_output() {
    let outside = outside();
    let before = snapshot(&outside.root);
    let repo = hostile_repository(&outside);
    let runner = Scratch::outside_repository("untrusted-runner");

    // `check` in every format, over the whole repository.
    for format in [
        "human", "concise", "json", "sarif", "github", "gitlab", "junit",
    ] {
        for colour in ["never", "always"] {
            let run = run(
                &repo,
                &runner.root,
                &[
                    "check", "--today", TODAY, "--format", format, "--color", colour,
                ],
            );
            let what = format!("check --format {format} --color {colour}");
            assert_run_safe(&what, &run);
            assert_eq!(run.code, 1, "{what}: {}", run.stderr);
            if matches!(format, "human" | "concise") {
                assert_terminal_safe(&strip_colour(&run.stdout), &what);
            }
        }
    }
    let summary = std::fs::read_to_string(runner.path("summary.md")).unwrap();
    assert_safe("the step summary", &summary);
    // No HTML, image or link from the checkout: every `<`, `[` and `|` is escaped.
    for markup in ['<', '[', '!'] {
        let unescaped = summary
            .match_indices(markup)
            .filter(|(at, _)| !summary[..*at].ends_with('\\'))
            .count();
        assert_eq!(unescaped, 0, "an unescaped `{markup}` in:\n{summary}");
    }
    assert!(summary.contains("a \\| b \\<img src=x\\>"), "{summary}");

    // What each link out became: SRM033, SRM053 or SRM022, named, never followed.
    let json = run(
        &repo,
        &runner.root,
        &["check", "--today", TODAY, "--format", "json"],
    )
    .json();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let with = |code: &str, file: &str| -> Vec<String> {
        diagnostics
            .iter()
            .filter(|d| d["code"] == code && d["file"] == file)
            .map(|d| d["message"].as_str().unwrap().to_owned())
            .collect()
    };
    let outside_evidence = with("SRM033", "controls.toml");
    assert_eq!(outside_evidence.len(), 6, "{outside_evidence:?}");
    assert!(outside_evidence.iter().any(|m| m.contains("(`ev-out.md`)")));
    assert!(
        outside_evidence
            .iter()
            .any(|m| m.contains("file://localhost"))
    );
    let terraform = with("SRM053", "controls.toml");
    for source in ["tf-out", "plan-out.json", "tf-out/main.tf", "infra/mod-out"] {
        assert!(
            terraform.iter().any(|m| m.contains(&format!("`{source}`"))
                && m.contains("leads outside the repository through a symlink")),
            "{source}: {terraform:?}"
        );
    }
    for file in [
        "linked.controls.toml",
        "relative.controls.toml",
        "zero.controls.toml",
    ] {
        let found = with("SRM022", file);
        assert_eq!(found.len(), 1, "{file}: {json}");
        assert!(
            found[0].contains("leads outside the repository"),
            "{found:?}"
        );
    }

    // Outputs through links: refused, exit 2, the target untouched.
    for output in [
        "srmlint.sarif",
        "outdir/new.sarif",
        "dangling.json",
        "private.md",
    ] {
        for force in [false, true] {
            let mut args = vec![
                "check", "--today", TODAY, "--format", "sarif", "--output", output,
            ];
            if force {
                args.push("--force");
            }
            let run = run(&repo, &runner.root, &args);
            assert_run_safe(&format!("check --output {output}"), &run);
            assert_eq!(run.code, 2, "--output {output}: {}", run.stderr);
        }
    }
    // Paths named on the command line that a link leads out of the repository.
    for args in [
        vec!["check", "team-out"],
        vec!["check", "linked.controls.toml"],
        vec!["check", "out/dir"],
        vec!["check", "--terraform", "tf-out", "controls.toml"],
        vec!["check", "--policy", "out/policy.toml", "controls.toml"],
        vec!["check", "--matrix", "out/secret.toml", "controls.toml"],
        vec!["report", "team-out"],
        vec!["config", "team-out"],
        vec!["diff", "--base", "HEAD", "team-out"],
    ] {
        let run = run(&repo, &runner.root, &args);
        assert_run_safe(&args.join(" "), &run);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("symlink"), "{args:?}: {}", run.stderr);
    }

    // The report, the diff, the configuration, init and the rule views.
    for args in [
        vec!["report", "--today", TODAY, "--format", "markdown"],
        vec!["report", "--today", TODAY, "--format", "html"],
        vec!["report", "--today", TODAY, "--format", "json"],
        vec!["report", "--today", TODAY, "--format", "oscal"],
        vec![
            "report",
            "--today",
            TODAY,
            "--output",
            "report.md",
            "--force",
        ],
        vec!["diff", "--today", TODAY, "--base", "HEAD"],
        vec![
            "diff", "--today", TODAY, "--base", "HEAD", "--format", "markdown",
        ],
        vec![
            "diff", "--today", TODAY, "--base", "HEAD", "--format", "json",
        ],
        vec!["config"],
        vec!["config", "--format", "json"],
        vec!["config", "controls.toml"],
        vec!["init", "--terraform", "infra", "--output", "-"],
        vec!["init", "--terraform", "tf-out", "--output", "-"],
        vec![
            "init",
            "--terraform",
            "infra",
            "--output",
            "new.controls.toml",
            "--force",
        ],
        vec!["explain", "ACME001"],
        vec!["rules"],
        vec!["rules", "--format", "json"],
    ] {
        let run = run(&repo, &runner.root, &args);
        assert_run_safe(&args.join(" "), &run);
    }

    // The Action's entrypoint, with the runner's files regular, then links out.
    let files = Scratch::outside_repository("untrusted-runner-files");
    files.write("output", "");
    files.write("summary.md", "");
    let action = |env: &[(&str, &Path)], sarif: &str| {
        let mut command = Command::new("bash");
        command
            .arg(common::repo_root().join("action/entrypoint.sh"))
            .current_dir(&repo.root)
            .env("SRMLINT_BIN", env!("CARGO_BIN_EXE_srmlint"))
            .env("SRMLINT_ACTION_PATH", common::repo_root())
            .env("RUNNER_TEMP", &files.root)
            .env("INPUT_PATHS", ".")
            .env("INPUT_TODAY", TODAY)
            .env("INPUT_SARIF", sarif)
            .env("INPUT_DENY_WARNINGS", "false")
            .env("INPUT_REPORT_SUMMARY", "true")
            .env("INPUT_DIFF", "true")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("SRMLINT_BASE_SHA");
        for (name, value) in env {
            command.env(name, value);
        }
        command.output().expect("bash runs the entrypoint")
    };
    let regular = action(
        &[
            ("GITHUB_OUTPUT", &files.path("output")),
            ("GITHUB_STEP_SUMMARY", &files.path("summary.md")),
        ],
        "auto",
    );
    for (what, bytes) in [("stdout", &regular.stdout), ("stderr", &regular.stderr)] {
        assert_safe(
            &format!("the Action's {what}"),
            &String::from_utf8_lossy(bytes),
        );
    }
    assert_eq!(regular.status.code(), Some(1));
    for file in ["output", "summary.md", "srmlint.sarif"] {
        let text = std::fs::read_to_string(files.path(file)).unwrap();
        assert_safe(&format!("the Action's {file}"), &text);
    }
    // The runner's files as links out, and a SARIF path in the checkout that is one.
    let linked = Scratch::outside_repository("untrusted-runner-links");
    symlink(outside.path("target.txt"), linked.path("output")).unwrap();
    symlink(outside.path("target.txt"), linked.path("summary.md")).unwrap();
    let refused = action(
        &[
            ("GITHUB_OUTPUT", &linked.path("output")),
            ("GITHUB_STEP_SUMMARY", &linked.path("summary.md")),
        ],
        "srmlint.sarif",
    );
    let stdout = String::from_utf8_lossy(&refused.stdout);
    assert_safe("the Action's stdout (links)", &stdout);
    assert_safe(
        "the Action's stderr (links)",
        &String::from_utf8_lossy(&refused.stderr),
    );
    assert_eq!(refused.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("is not a regular file"), "{stdout}");

    // Nothing outside changed, not even a file's mode.
    assert_eq!(
        snapshot(&outside.root),
        before,
        "a file outside the repository changed"
    );
}

/// A configuration file is read before anything is checked: a link out, at the root
/// or in a subfolder, or naming a policy through one, stops the run (exit 2) with the
/// link named, and nothing of its target is ever printed.
#[test]
fn configuration_links_out_are_refused_by_name_and_never_quoted() {
    let outside = outside();
    let before = snapshot(&outside.root);
    let cases: [(&str, &[(&str, &str)]); 3] = [
        (".srmlint.toml", &[]),
        ("team/.srmlint.toml", &[("team/controls.toml", "")]),
        (
            "pol-out.toml",
            &[(".srmlint.toml", "policies = [\"pol-out.toml\"]\n")],
        ),
    ];
    for (link, extra) in cases {
        let repo = Scratch::outside_repository("untrusted-config");
        repo.git(&["init", "-q"]);
        repo.write("controls.toml", "[deployment]\nservices = [\"compute\"]\n");
        for (name, text) in extra {
            repo.write(name, text);
        }
        let target = if link.ends_with("pol-out.toml") {
            outside.path("policy.toml")
        } else {
            outside.path("secret.toml")
        };
        std::fs::create_dir_all(repo.path(link).parent().unwrap()).unwrap();
        symlink(&target, repo.path(link)).unwrap();
        for args in [
            vec!["check", "--format", "json", "--today", TODAY],
            vec!["check", "--format", "sarif", "--today", TODAY],
            vec!["check", "--today", TODAY, "team"],
            vec!["report"],
            vec!["config", "team"],
            vec!["config"],
        ] {
            // Only the runs that read the configuration holding the link.
            let reads_it = if link.starts_with("team/") {
                args != ["config"]
            } else {
                !args.contains(&"team")
            };
            if !reads_it {
                continue;
            }
            let run = repo.srmlint().args(&args).run();
            let what = format!("{link}: {}", args.join(" "));
            assert_run_safe(&what, &run);
            assert_eq!(run.code, 2, "{what}: {}{}", run.stdout, run.stderr);
            assert!(
                run.stderr.contains("symlink") || run.stdout.contains("symlink"),
                "{what}: the link is not named: {}",
                run.stderr
            );
        }
    }
    assert_eq!(snapshot(&outside.root), before);
}

// Each attack of the report that asked for all this, one regression test each.

/// The Action wrote its SARIF into the checkout with `--force`: a committed link of
/// that name overwrote a file outside. By default it now writes under `$RUNNER_TEMP`,
/// and a path a workflow names is still never written through a link.
#[test]
fn the_actions_sarif_never_overwrites_a_file_outside_through_a_committed_link() {
    let outside = outside();
    let before = snapshot(&outside.root);
    let repo = Scratch::outside_repository("attack-sarif");
    repo.write("controls.toml", "[deployment]\nservices = [\"compute\"]\n");
    symlink(outside.path("target.txt"), repo.path("srmlint.sarif")).unwrap();
    repo.commit_all();
    let temp = Scratch::outside_repository("attack-sarif-temp");
    let entrypoint = |sarif: &str| {
        Command::new("bash")
            .arg(common::repo_root().join("action/entrypoint.sh"))
            .current_dir(&repo.root)
            .env("SRMLINT_BIN", env!("CARGO_BIN_EXE_srmlint"))
            .env("RUNNER_TEMP", &temp.root)
            .env("INPUT_SARIF", sarif)
            .env("INPUT_TODAY", TODAY)
            .env("GITHUB_OUTPUT", temp.path("output"))
            .env_remove("GITHUB_STEP_SUMMARY")
            .env_remove("SRMLINT_BASE_SHA")
            .output()
            .unwrap()
    };
    let default = entrypoint("auto");
    assert_eq!(default.status.code(), Some(1));
    assert!(temp.path("srmlint.sarif").is_file());
    let named = entrypoint("srmlint.sarif");
    assert_eq!(named.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&named.stderr).contains("never writes through a link"),
        "{}",
        String::from_utf8_lossy(&named.stderr)
    );
    assert!(
        std::fs::symlink_metadata(repo.path("srmlint.sarif"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(snapshot(&outside.root), before);
}

/// A folder on the command line (the Action's `paths`) followed a link under it out
/// of the repository and printed an excerpt of a system file.
#[test]
fn a_folder_on_the_command_line_never_follows_a_link_out_of_its_repository() {
    let outside = outside();
    let repo = Scratch::outside_repository("attack-walk");
    repo.git(&["init", "-q"]);
    std::fs::create_dir_all(repo.path("services")).unwrap();
    symlink(outside.path("dir"), repo.path("services/shop")).unwrap();
    symlink(
        outside.path("dir/controls.toml"),
        repo.path("services/controls.toml"),
    )
    .unwrap();
    symlink(outside.path("dir"), repo.path("platform")).unwrap();
    let walked = check(&repo, &["--format", "json", "services"]);
    assert_run_safe("check services", &walked);
    assert_eq!(walked.code, 1);
    let json = walked.json();
    assert_eq!(json["files"], serde_json::json!(["services/controls.toml"]));
    assert_eq!(json["diagnostics"][0]["code"], "SRM022");
    let named = repo.srmlint().args(["check", "platform"]).run();
    assert_run_safe("check platform", &named);
    assert_eq!(named.code, 2);
    assert!(
        named
            .stderr
            .contains("leads outside the repository through a symlink (`platform`)"),
        "{}",
        named.stderr
    );
}

/// A file named `::notice ...` injected workflow commands through the concise and
/// GitHub formats.
#[test]
fn a_file_named_like_a_workflow_command_stays_data_in_every_format() {
    let repo = Scratch::git_root("attack-names");
    let name = "::add-mask::x.controls.toml";
    repo.write(name, "[deployment]\nservices = [\"compute\"]\n");
    let concise = check(&repo, &["--format", "concise"]);
    assert_run_safe("concise", &concise);
    assert!(
        concise
            .stdout
            .starts_with("./::add-mask::x.controls.toml:2:"),
        "{}",
        concise.stdout
    );
    let github = check(&repo, &["--format", "github"]);
    assert_run_safe("github", &github);
    assert!(
        github
            .stdout
            .contains("file=%3A%3Aadd-mask%3A%3Ax.controls.toml,"),
        "{}",
        github.stdout
    );
    // Named on the command line, the JSON keeps the name exactly.
    let json = check(&repo, &["--format", "json", "--", name]);
    assert_eq!(json.json()["files"], serde_json::json!([name]));
}

/// An Action input with a line break wrote extra keys into `$GITHUB_OUTPUT`.
#[test]
fn an_action_input_with_a_line_break_adds_no_output_of_its_own() {
    let repo = Scratch::outside_repository("attack-output");
    repo.write("controls.toml", "[deployment]\nservices = [\"compute\"]\n");
    repo.commit_all();
    let temp = Scratch::outside_repository("attack-output-temp");
    temp.write("output", "");
    let sarif = format!("{}\nerrors=0\nwarnings=0", temp.path("x.sarif").display());
    let run = Command::new("bash")
        .arg(common::repo_root().join("action/entrypoint.sh"))
        .current_dir(&repo.root)
        .env("SRMLINT_BIN", env!("CARGO_BIN_EXE_srmlint"))
        .env("RUNNER_TEMP", &temp.root)
        .env("INPUT_SARIF", &sarif)
        .env("INPUT_TODAY", TODAY)
        .env("GITHUB_OUTPUT", temp.path("output"))
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("SRMLINT_BASE_SHA")
        .output()
        .unwrap();
    let output = std::fs::read_to_string(temp.path("output")).unwrap();
    // Read as the runner reads it: each `name<<DELIMITER` block is one value.
    let mut names = Vec::new();
    let mut lines = output.lines();
    while let Some(line) = lines.next() {
        let (name, delimiter) = line
            .split_once("<<")
            .unwrap_or_else(|| panic!("not a heredoc output: {line}\n{output}"));
        assert!(delimiter.len() > 20, "a guessable delimiter: {delimiter}");
        names.push(name.to_owned());
        for line in lines.by_ref() {
            if line == delimiter {
                break;
            }
        }
    }
    assert_eq!(names, ["sarif-file", "errors", "warnings"], "{output}");
    assert!(
        output.contains("\nerrors=0\nwarnings=0\n"),
        "the value is kept whole"
    );
    assert_ne!(run.status.code(), Some(0));
}

/// A policy rule's `name` reached the terminal raw (ESC) and the step summary raw
/// (`|`, `<img>`); `explain` printed a raw line break from the policy. Such a name is
/// now refused, and its message and help still carry the markup.
#[test]
fn a_policy_rules_name_and_text_are_escaped_on_the_terminal_in_markdown_and_in_explain() {
    let repo = Scratch::git_root("attack-policy");
    repo.write("controls.toml", "[deployment]\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n\n[controls.data-classification]\nowner = \"customer\"\naccountable = \"a@example.com\"\n");
    repo.write("policies/evil.toml", EVIL_POLICY);
    repo.write(".srmlint.toml", "policies = [\"policies/evil.toml\"]\n");
    let summary = repo.path("summary.md");
    let human = check(&repo, &["--color", "always"]);
    assert_run_safe("human", &human);
    assert_terminal_safe(&strip_colour(&human.stdout), "human");
    assert!(
        human.stdout.contains("ACME001(evil-name)"),
        "{}",
        human.stdout
    );
    let github = repo
        .srmlint()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--today", TODAY, "--format", "github"])
        .run();
    assert_run_safe("github", &github);
    let markdown = std::fs::read_to_string(&summary).unwrap();
    assert!(
        markdown.contains("| ACME001 evil-name | controls.toml:5:1 | data-classification | a \\| b \\<img src=x\\>"),
        "{markdown}"
    );
    let explain = repo.srmlint().args(["explain", "ACME001"]).run();
    assert_run_safe("explain", &explain);
    assert_eq!(explain.code, 0, "{}", explain.stderr);
    assert!(
        explain.stdout.contains("help\\u{a}::add-mask::secret"),
        "{}",
        explain.stdout
    );
    assert!(!explain.stdout.contains("\n::"), "{}", explain.stdout);

    // A name that is not kebab-case (here markup, a terminal escape and a CI command)
    // makes the policy invalid; the refusal quotes it inert.
    let hostile = r"evil|name<img src=x onerror=alert(1)>\u001b[2J\n::error::pwned";
    repo.write(
        "policies/evil.toml",
        EVIL_POLICY.replace("\"evil-name\"", &format!("\"{hostile}\"")),
    );
    for format in ["human", "json", "github"] {
        let refused = check(&repo, &["--format", format]);
        assert_run_safe(&format!("refused ({format})"), &refused);
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(
            refused.stderr.contains("is not a rule name"),
            "{}",
            refused.stderr
        );
    }
}

/// Memory and time had no bound on what a run reads: past its input budget a run
/// stops with exit 2, naming the budget and how to raise it, and the machine formats
/// say so.
#[test]
fn the_input_budget_stops_a_run_with_exit_2_and_says_how_to_raise_it() {
    let repo = Scratch::git_root("attack-budget");
    let file = "[deployment]\nservices = [\"compute\"]\n";
    for index in 0..20 {
        repo.write(format!("team{index}/controls.toml"), file);
    }
    let json = check(&repo, &["--format", "json", "--max-input-bytes", "300"]);
    assert_eq!(json.code, 2, "{}", json.stderr);
    let errors = &json.json()["errors"];
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("input budget of 300 bytes") && message.contains("--max-input-bytes"),
        "{message}"
    );
    let sarif = check(&repo, &["--format", "sarif", "--max-input-bytes", "300"]);
    assert_eq!(sarif.code, 2);
    let invocation = &sarif.json()["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert!(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("--max-input-bytes")
    );
    let report = repo
        .srmlint()
        .args(["report", "--today", TODAY, "--max-input-bytes", "300"])
        .run();
    assert_eq!(report.code, 2, "{}", report.stderr);
    assert!(report.stderr.contains("input budget"), "{}", report.stderr);
    // Raised, the same run reads everything; the default is far above it.
    for budget in [&["--max-input-bytes", "1MiB"][..], &[]] {
        let run = repo
            .srmlint()
            .args(["check", "--today", TODAY, "--format", "json"])
            .args(budget)
            .run();
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.json()["errors"], serde_json::json!([]));
    }
    let bad = repo
        .srmlint()
        .args(["check", "--max-input-bytes", "lots"])
        .run();
    assert_eq!(bad.code, 2);
}

#[test]
fn evidence_read_to_judge_and_fingerprint_counts_toward_the_input_budget() {
    // A pull request can commit one large evidence file: hashing it for the report is
    // reading it, so it is charged like every other file and stops the run past the
    // budget instead of being read whole.
    let repo = Scratch::git_root("attack-budget-evidence");
    repo.write(
        "controls.toml",
        "[deployment]\nservices = [\"compute\"]\n[controls.backup-restore]\nowner = \"customer\"\n\
         accountable = \"sre@shop.example\"\nimplementation = \"restic, daily\"\n\
         evidence = [\"docs/huge.log\"]\n",
    );
    repo.write("docs/huge.log", vec![b'x'; 3 * 1024 * 1024]);
    let within = repo
        .srmlint()
        .args(["report", "--format", "json", "--today", TODAY])
        .args(["--max-input-bytes", "8MiB"])
        .run();
    assert_eq!(within.code, 0, "{}", within.stderr);
    let over = repo
        .srmlint()
        .args(["report", "--format", "json", "--today", TODAY])
        .args(["--max-input-bytes", "1MiB"])
        .run();
    assert_eq!(over.code, 2, "{over:?}");
    assert!(over.stderr.contains("--max-input-bytes"), "{}", over.stderr);
}

/// `--force` turned a 0600 file into 0644.
#[test]
fn force_keeps_the_mode_of_the_file_it_replaces() {
    let repo = Scratch::git_root("attack-mode");
    repo.write("controls.toml", "[deployment]\nservices = [\"compute\"]\n");
    for (output, args) in [
        (
            "out.sarif",
            &["check", "--format", "sarif", "--today", TODAY][..],
        ),
        ("report.md", &["report", "--today", TODAY][..]),
        (
            "new.controls.toml",
            &["init", "--services", "compute", "--zones", "ch-gva-2"][..],
        ),
    ] {
        repo.write(output, "old");
        std::fs::set_permissions(repo.path(output), std::fs::Permissions::from_mode(0o600))
            .unwrap();
        let run = repo
            .srmlint()
            .args(args)
            .args(["--output", output, "--force"])
            .run();
        assert!(run.code <= 1, "{output}: {}", run.stderr);
        let metadata = std::fs::metadata(repo.path(output)).unwrap();
        assert_eq!(metadata.permissions().mode() & 0o777, 0o600, "{output}");
        assert_ne!(std::fs::read_to_string(repo.path(output)).unwrap(), "old");
    }
}

/// `file://localhost/etc/passwd` as evidence was SRM032 (missing) instead of SRM033
/// (outside the repository).
#[test]
fn a_file_url_with_a_host_is_evidence_outside_the_repository() {
    let repo = Scratch::git_root("attack-file-url");
    repo.write(
        "controls.toml",
        "[deployment]\nservices = [\"compute\"]\n\n[controls.data-classification]\nowner = \"customer\"\naccountable = \"a@example.com\"\nevidence = [\"file://localhost/etc/passwd\", \"file://server/share/x\", \"file:///etc/passwd\", \"file:docs/x.md\"]\n",
    );
    let run = check(&repo, &["--format", "json"]);
    let codes: Vec<(String, String)> = run
        .diagnostics()
        .iter()
        .filter(|d| d["control"] == "data-classification")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let of = |value: &str| {
        codes
            .iter()
            .filter(|(_, message)| message.contains(&format!("`{value}`")))
            .map(|(code, _)| code.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(of("file://localhost/etc/passwd"), ["SRM033"], "{codes:?}");
    assert_eq!(of("file://server/share/x"), ["SRM033"], "{codes:?}");
    assert_eq!(of("file:///etc/passwd"), ["SRM033"], "{codes:?}");
    assert_eq!(of("file:docs/x.md"), ["SRM032"], "{codes:?}");
}

/// Found in the attack session: a folder of the checkout laid out as a git directory,
/// whose `config` names an `fsmonitor` program, made `git status` (run by `report` in
/// a controls file's folder) run that program.
#[test]
fn a_git_directory_committed_in_the_checkout_runs_nothing() {
    let outside = outside();
    let repo = Scratch::outside_repository("attack-gitdir");
    repo.write(
        "evil/controls.toml",
        "[deployment]\nservices = [\"compute\"]\n",
    );
    repo.commit_all();
    let pwned = outside.path("PWNED");
    // A git directory of its own: objects copied, a branch, and a monitor to run.
    let copy = Command::new("cp")
        .arg("-r")
        .arg(repo.path(".git/objects"))
        .arg(repo.path("evil/objects"))
        .status()
        .unwrap();
    assert!(copy.success());
    repo.write(
        "evil/refs/heads/main",
        format!("{}\n", repo.git(&["rev-parse", "HEAD"])),
    );
    repo.write("evil/HEAD", "ref: refs/heads/main\n");
    repo.write(
        "evil/config",
        format!(
            "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = ..\n\tfsmonitor = \"touch '{}'; false\"\n",
            pwned.display()
        ),
    );
    repo.commit_all();
    // The layout is live: plain git run in that folder runs the monitor.
    common::git(&repo.path("evil"), &["status", "--porcelain"]);
    assert!(
        pwned.exists(),
        "the planted monitor should run under plain git"
    );
    std::fs::remove_file(&pwned).unwrap();
    for args in [
        vec!["report", "--today", TODAY, "evil"],
        vec![
            "report",
            "--today",
            TODAY,
            "--format",
            "json",
            "evil/controls.toml",
        ],
        vec!["report", "--today", TODAY],
        vec!["diff", "--today", TODAY, "--base", "HEAD", "evil"],
    ] {
        let run = repo.srmlint().args(&args).run();
        assert_run_safe(&args.join(" "), &run);
        assert!(!pwned.exists(), "{args:?} ran the planted monitor");
    }
}

/// Found in the attack session: the warning that every controls file is left out
/// quoted a folder name holding `##[` raw on stderr.
#[test]
fn warnings_on_stderr_hold_no_workflow_command_either() {
    let repo = Scratch::git_root("attack-stderr");
    let folder = "##[error]x\n::warning::y";
    repo.write(
        format!("{folder}/.srmlint.toml"),
        "include = [\"nothing\"]\n",
    );
    repo.write(format!("{folder}/controls.toml"), "[deployment]\n");
    let run = repo.srmlint().args(["check", folder]).run();
    assert!(run.stderr.contains("left out by"), "{}", run.stderr);
    assert_run_safe("the exclusion warning", &run);
}
