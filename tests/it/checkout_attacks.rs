//! A hostile pull request run by CI, as a second outside audit attacked it: what a
//! checkout can name (paths into `.git`), write into the log (`--diff`), or make
//! srmlint compute (Terraform that never ends), each test built from the auditor's
//! reproduction.

#![cfg(unix)]

use crate::common;

use std::os::unix::fs::symlink;

use common::{Scratch, check, check_json};

/// Written in the repository's `.git/config`, as a runner's token in a remote URL.
const SECRET: &str = "SUPERSECRETTOKEN123";

const DEPLOYMENT: &str = "[deployment]\nname = \"x\"\nservices = [\"dns\"]\n";

/// A repository whose `.git/config` holds a credential.
fn with_git_config() -> Scratch {
    let repo = Scratch::git_root("atk-git");
    repo.write(
        ".git/config",
        format!("[remote \"origin\"]\n\turl = https://ci-token:{SECRET}@gitlab.example/g/r.git\n"),
    );
    repo.write("controls.toml", DEPLOYMENT);
    repo
}

fn assert_secret_kept(run: &common::Run, what: &str) {
    assert!(
        !run.stdout.contains(SECRET) && !run.stderr.contains(SECRET),
        "{what}: the token in `.git/config` was printed:\n{}\n{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn a_config_naming_git_config_is_refused_and_never_quoted() {
    // `.srmlint.toml` committed as a link into `.git`.
    let repo = with_git_config();
    symlink(".git/config", repo.path(".srmlint.toml")).unwrap();
    let run = check(&repo.root, &["--format", "sarif", "--", "."]);
    assert_secret_kept(&run, "a link into .git");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`.srmlint.toml`") && run.stderr.contains("`.git`"),
        "{}",
        run.stderr
    );
    // `policies` naming it by text, in `check` and `config`.
    std::fs::remove_file(repo.path(".srmlint.toml")).unwrap();
    repo.write(".srmlint.toml", "policies = [\".git/config\"]\n");
    for args in [&["check", "--today", common::TODAY][..], &["config"]] {
        let run = repo.srmlint().args(args).run();
        assert_secret_kept(&run, "policies = [\".git/config\"]");
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(".srmlint.toml:1:13"), "{}", run.stderr);
    }
    // A nested config linking up into `.git`.
    std::fs::remove_file(repo.path(".srmlint.toml")).unwrap();
    repo.write("team/controls.toml", DEPLOYMENT);
    symlink("../.git/config", repo.path("team/.srmlint.toml")).unwrap();
    let run = check(&repo.root, &[]);
    assert_secret_kept(&run, "team/.srmlint.toml -> ../.git/config");
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn controls_files_into_git_are_refused_given_or_walked() {
    let repo = with_git_config();
    symlink(".git/config", repo.path("x.controls.toml")).unwrap();
    // Given on the command line (human format shows excerpts).
    let run = check(&repo.root, &["x.controls.toml"]);
    assert_secret_kept(&run, "check x.controls.toml");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("leads into `.git`"), "{}", run.stderr);
    // Met while walking: SRM022, as a link out is.
    let run = check_json(&repo.root, &[]);
    assert_secret_kept(&run, "walked");
    assert_eq!(
        run.placed(&["SRM022"]),
        [
            "x.controls.toml:1: SRM022 not read: it leads into `.git`, outside the checkout, through a symlink (`x.controls.toml`)"
        ]
    );
}

#[test]
fn sources_var_files_and_evidence_in_git_are_outside() {
    let repo = with_git_config();
    repo.write(
        "infra/main.tf",
        "resource \"exoscale_compute_instance\" \"a\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    symlink("../.git/config", repo.path("infra/link.tfvars")).unwrap();
    repo.write(
        "controls.toml",
        r#"[deployment]
name = "x"
services = ["compute"]
zones = ["ch-gva-2"]
terraform = [{ path = "infra", var_files = [".git/config", "infra/link.tfvars"] }, ".git", ".GIT/config"]

[controls.tenant-iam]
owner = "customer"
accountable = "a"
implementation = "b"
evidence = [".git/config", "."]
"#,
    );
    let run = check_json(&repo.root, &[]);
    assert_secret_kept(&run, "sources");
    let placed = run.placed(&["SRM053", "SRM033"]);
    let in_git = |what: &str| placed.iter().filter(|line| line.contains(what)).count();
    assert_eq!(
        in_git("lies in `.git`, outside the checkout"),
        4,
        "{placed:#?}"
    );
    assert_eq!(in_git("leads into `.git`"), 1, "{placed:#?}");
    // The folder `.` counts the checkout's files, not git's.
    let report = repo
        .srmlint()
        .args(["report", "--format", "json", "--today", common::TODAY])
        .run();
    let folder = report.stdout.split("\"evidence\": \".\"").nth(1).unwrap();
    let files = folder.split("\"files\": ").nth(1).unwrap();
    assert!(files.starts_with("2,"), "{folder}");
    // A controls file named as if it lay in `.git` (`--stdin-filename`): its evidence
    // relative to it stays in `.git` and is refused; a path that climbs out is read.
    repo.write(".git/ev/x.md", "TODO\n");
    let piped = "[deployment]\nname = \"x\"\nservices = [\"dns\"]\nzones = [\"ch-gva-2\"]\n\n[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@x.example\"\nimplementation = \"b\"\nevidence = [\"ev/x.md\", \"config\", \"../infra/main.tf\"]\n";
    let run = repo
        .srmlint()
        .args(["check", "--format", "json", "--today", common::TODAY])
        .args(["--stdin-filename", ".git/controls.toml", "-"])
        .stdin(piped)
        .run();
    assert_secret_kept(&run, "stdin in .git");
    let placed = run.placed(&["SRM033", "SRM037"]);
    assert_eq!(placed.len(), 2, "{placed:#?}");
    assert!(
        placed
            .iter()
            .all(|line| line.contains("lies in `.git`, outside the checkout")),
        "{placed:#?}"
    );
}

/// A controls file with a fix to offer, whose note holds workflow commands.
const COMMANDS: &str = "[deployment]\nname = \"x\"\nservices = [\"dns\", \"dns\"]\nnotes = \"\"\"\n::add-mask::x\n  ::error file=controls.toml,line=1::PWNED\n##[error]legacy\n\"\"\"\n";

/// No line of `text` is a workflow command once the runner trims its blanks.
fn assert_no_workflow_command(text: &str, what: &str) {
    for line in text.split(['\n', '\r']) {
        let body = line.trim_start();
        assert!(
            !body.starts_with("::") && !line.contains("##["),
            "{what} printed a workflow command: {line:?}\n{text}"
        );
    }
}

#[test]
fn diffs_of_a_checkout_start_no_workflow_command() {
    let repo = Scratch::git_root("atk-diff");
    repo.write("controls.toml", COMMANDS);
    let run = check(&repo.root, &["--diff"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("+services = [\"dns\"]"),
        "{}",
        run.stdout
    );
    assert_no_workflow_command(&run.stdout, "check --diff");
    assert!(run.stdout.contains(" \\::add-mask::x"), "{}", run.stdout);
    let run = repo
        .srmlint()
        .args(["check", "--today", common::TODAY, "--diff", "-"])
        .stdin(COMMANDS)
        .run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_no_workflow_command(&run.stdout, "check - --diff");
    // `check - --fix` gives an editor the fixed file itself, byte for byte.
    let run = repo
        .srmlint()
        .args(["check", "--today", common::TODAY, "--fix", "-"])
        .stdin(COMMANDS)
        .run();
    assert_eq!(
        run.stdout,
        COMMANDS.replace("[\"dns\", \"dns\"]", "[\"dns\"]")
    );
}

/// The SRM021 findings of `controls`, each with the fix it offers (or `null`).
fn key_fixes(controls: &str) -> Vec<String> {
    let repo = Scratch::git_root("atk-rename");
    repo.write("controls.toml", controls);
    let run = check_json(&repo.root, &[]);
    run.with_code("SRM021")
        .iter()
        .map(|d| format!("{} -> {}", d["message"], d["fix"]["message"]))
        .collect()
}

#[test]
fn an_unknown_key_is_renamed_only_as_a_typo_into_a_value_of_its_type() {
    let deployment = "[deployment]\nname = \"x\"\nservices = [\"dns\"]\n";
    // `notes` belongs in an entry: in `[deployment]` it is misplaced, not a misspelt
    // `zones`, whatever its value.
    for notes in ["notes = \"prod, see wiki\"", "notes = [\"prod\"]"] {
        let fixes = key_fixes(&format!("{deployment}{notes}\n"));
        assert_eq!(fixes.len(), 1, "{fixes:?}");
        assert!(fixes[0].ends_with("-> null"), "{notes}: {fixes:?}");
    }
    // `zone` is a typo of `zones`, but a string is no list of zones.
    let fixes = key_fixes(&format!("{deployment}zone = \"ch-gva-2\"\n"));
    assert!(fixes[0].ends_with("-> null"), "{fixes:?}");
    let fixes = key_fixes(&format!("{deployment}zone = [\"ch-gva-2\"]\n"));
    assert!(
        fixes[0].ends_with("-> \"rename `zone` to `zones`\""),
        "{fixes:?}"
    );
    // `--fix` leaves the note where it is.
    let repo = Scratch::git_root("atk-rename-fix");
    let before = "[deployment]\nname = \"x\"\nnotes = \"prod, see wiki\"\nservices = [\"dns\"]\n";
    repo.write("controls.toml", before);
    let run = check(&repo.root, &["--fix"]);
    assert!(!run.stderr.contains("fixed"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(repo.path("controls.toml")).unwrap(),
        before
    );
}

/// `check --format json` of a repository whose `infra/main.tf` is `main_tf`: the
/// SRM054 messages, each with its line.
fn evaluated(main_tf: &str) -> Vec<String> {
    let repo = Scratch::git_root("atk-eval");
    repo.write(
        "controls.toml",
        "[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\nterraform = [\"infra\"]\n",
    );
    repo.write("infra/main.tf", main_tf);
    check_json(&repo.root, &[]).placed(&["SRM054"])
}

#[test]
fn terraform_evaluation_stops_within_a_budget() {
    // Memory: the outer list would hold 10^10 strings.
    let placed = evaluated(
        "locals {\n  big = [for a in range(100000) : [for b in range(100000) : \"xxxxxxxx\"]]\n}\nresource \"exoscale_compute_instance\" \"a\" {\n  zone = \"ch-gva-${length(local.big)}\"\n}\n",
    );
    assert_eq!(placed.len(), 1, "{placed:?}");
    assert!(
        placed[0].starts_with("infra/main.tf:5: SRM054 the `zone` of `exoscale_compute_instance.a` cannot be evaluated: `[for a in range(100000)")
            && placed[0].contains("makes a value larger than srmlint evaluates"),
        "{placed:?}"
    );
    // Steps: 10^10 of them, across `count` instances or nested in one value.
    for main_tf in [
        "resource \"exoscale_compute_instance\" \"a\" {\n  count = 100000\n  zone  = \"ch-gva-${length([for b in range(100000) : count.index]) - 99998}\"\n}\n",
        "locals {\n  n = [for a in range(100000) : length([for b in range(100000) : b])]\n}\nresource \"exoscale_compute_instance\" \"a\" {\n  zone = \"ch-gva-${length(local.n) - 99998}\"\n}\n",
    ] {
        let placed = evaluated(main_tf);
        assert!(!placed.is_empty(), "{main_tf}");
        assert!(
            placed[0].contains(": `[for ")
                && placed[0]
                    .contains("srmlint spends at most 20000000 steps on one Terraform source"),
            "{placed:?}"
        );
    }
    // Strings: sized before they are built.
    let placed = evaluated(&format!(
        "locals {{\n  s = \"{}\"\n}}\nresource \"exoscale_compute_instance\" \"a\" {{\n  zone = \"ch-gva-${{length(replace(local.s, \"a\", local.s))}}\"\n}}\n",
        "a".repeat(100_000)
    ));
    assert!(
        placed[0].contains("`replace` makes a string of more than 8000000 bytes"),
        "{placed:?}"
    );
    // A template of a long string many times: 6 GB once built, so run under a limit.
    let repo = Scratch::git_root("atk-template");
    repo.write(
        "controls.toml",
        "[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\nterraform = [\"infra\"]\n",
    );
    repo.write(
        "infra/main.tf",
        format!(
            "locals {{\n  s = join(\"\", [for i in range(100000) : \"{}\"])\n  t = \"{}\"\n}}\nresource \"exoscale_compute_instance\" \"a\" {{\n  zone = \"ch-gva-${{length(local.t)}}\"\n}}\n",
            "a".repeat(60),
            "${local.s}".repeat(1000)
        ),
    );
    let run = repo
        .srmlint()
        .via(&["sh", "-c", "ulimit -v 2000000 && exec \"$0\" \"$@\""])
        .args(["check", "--format", "json", "--today", common::TODAY])
        .run();
    assert_eq!(
        run.placed(&["SRM054"]),
        [
            "infra/main.tf:6: SRM054 the `zone` of `exoscale_compute_instance.a` cannot be evaluated: a template makes a string of more than 8000000 bytes, larger than srmlint evaluates; its zone is not checked"
        ]
    );
}

fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.expect("mkfifo runs").success());
}

#[test]
fn init_compares_its_schema_only_with_a_regular_file() {
    // A FIFO beside the output, and a link to one outside: neither is opened to read,
    // so nothing waits for a writer (the run's deadline would call it a hang).
    let outside = Scratch::outside_repository("atk-init-outside");
    mkfifo(&outside.path("pipe"));
    for link in [false, true] {
        let repo = Scratch::git_root("atk-init");
        let schema = repo.path("controls.schema.json");
        if link {
            symlink(outside.path("pipe"), &schema).unwrap();
        } else {
            mkfifo(&schema);
        }
        let run = repo
            .srmlint()
            .args(["init", "--services", "compute", "--zones", "ch-gva-2"])
            .run();
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("note: cannot write `controls.schema.json`"),
            "{}",
            run.stderr
        );
        assert!(repo.path("controls.toml").is_file());
    }
}

#[test]
fn diff_writes_revisions_into_a_folder_no_one_can_have_made_first() {
    let repo = Scratch::git_root("atk-snapshot");
    std::fs::remove_dir(repo.path(".git")).unwrap();
    repo.write(
        "controls.toml",
        "[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\nterraform = [\"infra\"]\n",
    );
    let main_tf = "resource \"exoscale_compute_instance\" \"a\" {\n  zone = \"ch-gva-2\"\n}\n";
    repo.write("infra/main.tf", main_tf);
    repo.commit_all();
    repo.write("infra/main.tf", main_tf.replace("gva-2", "gva-3"));
    // Another user of the machine has taken every name a process id would give.
    let tmp = Scratch::new("atk-snapshot-tmp");
    let pid_max: u32 = std::fs::read_to_string("/proc/sys/kernel/pid_max")
        .map_or(32768, |text| text.trim().parse().unwrap_or(32768));
    for pid in 1..=pid_max.min(100_000) {
        std::fs::write(tmp.path(format!("srmlint-diff-{pid}-0")), "").unwrap();
    }
    let run = repo
        .srmlint()
        .args(["diff", "--base", "HEAD", "--today", common::TODAY])
        .env("TMPDIR", &tmp.root)
        .run();
    assert!(run.code < 2, "{}", run.stderr);
    // Nothing is left behind.
    let left = std::fs::read_dir(&tmp.root).unwrap().count();
    assert_eq!(left as u32, pid_max.min(100_000));
}

#[test]
fn a_revisions_controls_file_that_is_a_link_is_judged_as_on_disk() {
    let repo = Scratch::git_root("atk-diff-links");
    std::fs::remove_dir(repo.path(".git")).unwrap();
    repo.write("controls.toml", DEPLOYMENT);
    let base = repo.commit_all();
    std::fs::create_dir(repo.path("team")).unwrap();
    symlink(
        "/tmp/elsewhere/controls.toml",
        repo.path("team/controls.toml"),
    )
    .unwrap();
    symlink("/etc/passwd", repo.path("x.controls.toml")).unwrap();
    // Inside the repository: passed over by the walk, as `check` does.
    symlink("controls.toml", repo.path("y.controls.toml")).unwrap();
    let head = repo.commit_all();
    let diff = |args: &[&str]| {
        let run = repo
            .srmlint()
            .args(["diff", "--base", &base, "--today", common::TODAY])
            .args(args)
            .run();
        (run.code, run.stdout)
    };
    let (code, at_head) = diff(&["--head", &head]);
    assert_eq!(code, 1, "{at_head}");
    let (_, work_tree) = diff(&[]);
    // The revision says what the same tree checked out says, but for the side's name.
    assert_eq!(
        at_head.lines().skip(2).collect::<Vec<_>>(),
        work_tree.lines().skip(2).collect::<Vec<_>>()
    );
    for file in ["team/controls.toml", "x.controls.toml"] {
        assert!(
            at_head.contains(&format!(
                "{file} (added)\n  findings introduced:\n    1:1: error[SRM022] the path leads outside the repository through a symlink (`{file}`)"
            )),
            "{at_head}"
        );
    }
    assert!(!at_head.contains("y.controls.toml"), "{at_head}");
}

#[test]
fn a_var_file_not_read_is_said_at_its_own_value() {
    let repo = Scratch::git_root("atk-var-place");
    repo.write(
        "infra/main.tf",
        "resource \"exoscale_compute_instance\" \"a\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    symlink("/etc/passwd", repo.path("infra/link-out.tfvars")).unwrap();
    let line = r#"terraform = [{ path = "infra", var_files = ["/abs.tfvars", "../../out.tfvars", "infra/link-out.tfvars"] }]"#;
    repo.write(
        "controls.toml",
        format!(
            "[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n{line}\n"
        ),
    );
    let run = check_json(&repo.root, &[]);
    let columns: Vec<(u64, u64)> = run
        .with_code("SRM053")
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    let column = |text: &str| line.find(text).unwrap() as u64 + 1;
    assert_eq!(
        columns,
        [
            (5, column("\"/abs")),
            (5, column("\"../..")),
            (5, column("\"infra/link"))
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn markdown_leaves_no_bare_address_from_the_checkout_for_github_to_link() {
    let repo = Scratch::git_root("atk-autolink");
    std::fs::remove_dir(repo.path(".git")).unwrap();
    let controls = |accountable: &str| {
        format!(
            "[deployment]\nname = \"x https://evil.example/p.png\"\nservices = [\"dns\"]\n\n[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"{accountable}\"\nimplementation = \"b\"\nevidence = [\"e.md\"]\n"
        )
    };
    repo.write("e.md", "e\n");
    repo.write("controls.toml", controls("ops"));
    let base = repo.commit_all();
    repo.write(
        "controls.toml",
        controls("[x](https://evil.example) or WWW.evil.example"),
    );
    let report = repo
        .srmlint()
        .args(["report", "--format", "markdown", "--today", common::TODAY])
        .run();
    let diff = repo
        .srmlint()
        .args([
            "diff",
            "--base",
            &base,
            "--format",
            "markdown",
            "--today",
            common::TODAY,
        ])
        .run();
    for (what, run, needs) in [
        ("report", &report, "https\\://evil.example/p.png"),
        ("diff", &diff, "WWW\\.evil.example"),
    ] {
        assert!(run.stdout.contains(needs), "{what}:\n{}", run.stdout);
        for line in run
            .stdout
            .lines()
            .filter(|line| line.contains("evil.example"))
        {
            // Escaped, `\://` and `www\.` are shown as written but link nothing.
            let lower = line.to_ascii_lowercase().replace("\\://", "");
            assert!(
                !lower.contains("://") && !lower.contains("www."),
                "{what}: {line}"
            );
        }
    }
}
