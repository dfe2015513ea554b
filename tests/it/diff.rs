//! `srmlint diff` over real temporary git repositories: two commits, the work tree
//! against HEAD (untracked files included), added and deleted files, revisions that do
//! not exist or look like options, folders outside any repository, and the Markdown
//! and JSON of a pull request that hands a customer control to Exoscale, compared
//! with golden files (`SRMLINT_BLESS=1 cargo test --test it diff::` rewrites them).

use crate::common;

use std::path::{Path, PathBuf};

use common::{CLEAN, Run, Scratch, json, replace_table};

/// A git repository in a scratch folder, with fixed identities and dates so commit
/// ids (and so the golden files) are the same on every machine.
struct Repo {
    root: PathBuf,
    commits: usize,
    /// Owns the folder: removed when the test passes.
    _scratch: Scratch,
}

impl Repo {
    fn new(name: &str) -> Self {
        let scratch = Scratch::outside_repository(name);
        let repo = Self {
            root: scratch.root.clone(),
            commits: 0,
            _scratch: scratch,
        };
        repo.git(&["init", "--quiet", "--initial-branch=main"]);
        repo
    }

    /// git as the golden files' commits were made: their identity, and one day
    /// later for each commit.
    fn git(&self, args: &[&str]) -> String {
        let date = format!("2026-11-2{} 12:00:00 +0000", self.commits);
        common::git_with(
            &self.root,
            args,
            &[
                ("GIT_AUTHOR_NAME", "Test"),
                ("GIT_AUTHOR_EMAIL", "test@example.com"),
                ("GIT_COMMITTER_NAME", "Test"),
                ("GIT_COMMITTER_EMAIL", "test@example.com"),
                ("GIT_AUTHOR_DATE", &date),
                ("GIT_COMMITTER_DATE", &date),
            ],
        )
    }

    fn write(&self, relative: &str, text: &str) {
        common::write(&self.root.join(relative), text);
    }

    fn remove(&self, relative: &str) {
        std::fs::remove_file(self.root.join(relative)).unwrap();
    }

    /// Commits everything; returns the commit id.
    fn commit(&mut self, message: &str) -> String {
        self.git(&["add", "--all"]);
        self.git(&["commit", "--quiet", "--allow-empty", "-m", message]);
        self.commits += 1;
        self.git(&["rev-parse", "HEAD"])
    }

    fn diff(&self, args: &[&str]) -> Run {
        self.diff_in(&self.root, args)
    }

    fn diff_in(&self, cwd: &Path, args: &[&str]) -> Run {
        common::srmlint()
            .arg("diff")
            .args(args)
            .args(["--today", "2026-11-28"])
            .current_dir(cwd)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .run()
    }
}

/// The clean Compute-only file, with `services` replaced.
fn with_services(services: &str) -> String {
    CLEAN.replace(
        "services = [\"compute\"]",
        &format!("services = {services}"),
    )
}

/// The pull request of the issue: `backup-restore` handed to Exoscale, the
/// `tenant-logging` claim dropped, and `dbaas-kafka` added with its obligations.
fn risky_change() -> String {
    let text = with_services("[\"compute\", \"dbaas-kafka\"]");
    let text = replace_table(
        &text,
        "backup-restore",
        "[controls.backup-restore]\nowner = \"exoscale\"\n",
    );
    let start = text.find("[controls.tenant-logging]").unwrap();
    let end = text[start + 1..]
        .find("\n[")
        .map_or(text.len(), |at| start + at + 2);
    format!("{}{}", &text[..start], &text[end..])
}

fn document(output: &Run) -> serde_json::Value {
    json(&output.stdout)
}

#[test]
fn two_commits_a_handed_control_and_a_dropped_claim_are_new_gaps_named_first() {
    let mut repo = Repo::new("diff-two-commits");
    repo.write("shop/controls.toml", CLEAN);
    let base = repo.commit("clean");
    repo.write("shop/controls.toml", &risky_change());
    let head = repo.commit("hand backup to exoscale");
    let markdown = repo.diff(&["--base", &base, "--head", &head, "--format", "markdown"]);
    assert_eq!(markdown.code, 1, "{}{}", markdown.stdout, markdown.stderr);
    let first = markdown.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("**srmlint: this change leaves "),
        "{first}"
    );
    assert!(first.contains("`backup-restore`"), "{first}");
    assert!(first.contains("`SRM003`"), "{first}");
    assert!(first.contains("`tenant-logging`"), "{first}");
    assert!(first.contains("`SRM001`"), "{first}");

    let output = repo.diff(&["--base", &base, "--head", &head, "--format", "json"]);
    assert_eq!(output.code, 1);
    let doc = document(&output);
    assert_eq!(doc["base"]["commit"], base.as_str());
    assert_eq!(doc["head"]["commit"], head.as_str());
    assert_eq!(doc["head"]["work_tree"], false);
    assert_eq!(doc["matrix"]["version"], "2026-12");
    let file = &doc["files"][0];
    assert_eq!(file["path"], "shop/controls.toml");
    assert_eq!(file["status"], "modified");
    assert_eq!(
        file["deployment"]["services"]["added"],
        serde_json::json!(["dbaas-kafka"])
    );
    assert_eq!(
        file["deployment"]["models"]["added"],
        serde_json::json!(["dbaas"])
    );
    let entries = file["entries"].as_array().unwrap();
    let backup = entries
        .iter()
        .find(|entry| entry["control"] == "backup-restore")
        .unwrap();
    assert_eq!(backup["change"], "changed");
    assert_eq!(
        backup["fields"],
        serde_json::json!(["owner", "accountable", "evidence"])
    );
    assert_eq!(backup["old"]["owner"], "customer");
    assert_eq!(backup["new"]["owner"], "exoscale");
    assert_eq!(backup["new"]["claim"], false);
    let logging = entries
        .iter()
        .find(|entry| entry["control"] == "tenant-logging")
        .unwrap();
    assert_eq!(logging["change"], "removed");
    let gaps: Vec<&str> = doc["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|gap| gap["control"].as_str().unwrap())
        .collect();
    assert_eq!(gaps, ["tenant-logging", "backup-restore"]);
    assert_eq!(doc["summary"]["fails"], true);
    assert!(doc["summary"]["introduced"]["errors"].as_u64().unwrap() >= 3);
    // Reversed, the same change resolves what it introduced and opens nothing.
    let back = repo.diff(&["--base", &head, "--head", &base, "--format", "json"]);
    assert_eq!(back.code, 0, "{}", back.stdout);
    let back = document(&back);
    assert!(back["gaps"].as_array().unwrap().is_empty());
    assert_eq!(
        back["summary"]["resolved"]["errors"],
        doc["summary"]["introduced"]["errors"]
    );
    assert!(
        back["verdict"]
            .as_str()
            .unwrap()
            .starts_with("no new gap; ownership changes in 1 controls file; resolves")
    );
}

#[test]
fn the_work_tree_against_head_counts_untracked_files_as_added_and_removed_ones_as_deleted() {
    let mut repo = Repo::new("diff-work-tree");
    repo.write("a/controls.toml", CLEAN);
    repo.write("b/prod.controls.toml", CLEAN);
    repo.write("notes/readme.toml", "not a controls file");
    repo.commit("two files");
    // Untracked, never added: discovery finds it, so it counts as added.
    repo.write("c/controls.toml", &with_services("[\"dns\"]"));
    repo.remove("b/prod.controls.toml");
    let output = repo.diff(&["--format", "json"]);
    let doc = document(&output);
    assert_eq!(doc["head"]["work_tree"], true);
    assert_eq!(doc["base"]["revision"], "HEAD");
    let files: Vec<(&str, &str)> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| {
            (
                file["path"].as_str().unwrap(),
                file["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            ("b/prod.controls.toml", "deleted"),
            ("c/controls.toml", "added")
        ]
    );
    assert_eq!(doc["summary"]["compared"], 3);
    // A deleted file counts whole: every entry removed, every finding resolved.
    let deleted = &doc["files"][0];
    assert!(
        deleted["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|entry| entry["change"] == "removed")
    );
    assert_eq!(deleted["entries"].as_array().unwrap().len(), 11);
    assert_eq!(
        deleted["deployment"]["services"]["removed"],
        serde_json::json!(["compute"])
    );
    // An added file counts whole: every entry added, every service brought in.
    let added = &doc["files"][1];
    assert!(
        added["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|entry| entry["change"] == "added")
    );
    assert_eq!(
        added["deployment"]["services"]["added"],
        serde_json::json!(["dns"])
    );
    // Only folder `a` asked for: nothing changed there.
    let only_a = repo.diff(&["a", "--format", "json"]);
    assert_eq!(only_a.code, 0);
    let only_a = document(&only_a);
    assert!(only_a["files"].as_array().unwrap().is_empty());
    assert_eq!(only_a["verdict"], "no ownership change");
    // Run from inside a folder, paths are relative to it, and a deleted file can be
    // named even though it no longer exists on disk.
    let inside = repo.diff_in(
        &repo.root.join("a"),
        &["../b/prod.controls.toml", "--format", "json"],
    );
    let inside = document(&inside);
    assert_eq!(inside["files"][0]["path"], "../b/prod.controls.toml");
    assert_eq!(inside["files"][0]["status"], "deleted");
}

#[test]
fn an_edit_that_changes_no_ownership_says_so_and_exits_zero() {
    let mut repo = Repo::new("diff-comment-only");
    repo.write("controls.toml", CLEAN);
    repo.commit("clean");
    // New lines above every finding and a comment: fingerprints ignore line numbers.
    repo.write(
        "controls.toml",
        &format!("# reviewed in the audit\n\n{CLEAN}"),
    );
    let output = repo.diff(&[]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(
        output
            .stdout
            .starts_with("srmlint diff: no ownership change\n"),
        "{}",
        output.stdout
    );
    let markdown = repo.diff(&["--format", "markdown"]);
    assert!(
        markdown
            .stdout
            .starts_with("**srmlint: no ownership change**\n"),
        "{}",
        markdown.stdout
    );
    assert!(!markdown.stdout.contains("####"), "no table for no change");
}

/// The clean file with `tenant-iam` handed to Exoscale: an error (SRM003) a change
/// can introduce, move or fix.
fn tenant_iam_handed_to_exoscale() -> String {
    replace_table(
        CLEAN,
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"exoscale\"\n",
    )
}

#[test]
fn a_finding_that_moves_is_not_new_and_a_fixed_one_is_resolved() {
    let mut repo = Repo::new("diff-fingerprints");
    let broken = tenant_iam_handed_to_exoscale();
    repo.write("controls.toml", &broken);
    let base = repo.commit("broken");
    repo.write("controls.toml", &format!("# moved down\n\n\n{broken}"));
    let moved = document(&repo.diff(&["--base", &base, "--format", "json"]));
    assert!(moved["files"].as_array().unwrap().is_empty(), "{moved}");
    repo.write("controls.toml", CLEAN);
    let fixed = repo.diff(&["--base", &base, "--format", "json"]);
    assert_eq!(fixed.code, 0);
    let fixed = document(&fixed);
    let resolved = fixed["files"][0]["findings"]["resolved"]
        .as_array()
        .unwrap();
    assert!(resolved.iter().all(|finding| finding["code"] == "SRM003"));
    assert!(!resolved.is_empty());
    assert!(
        fixed["files"][0]["findings"]["introduced"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn findings_in_terraform_files_stay_with_their_own_controls_file() {
    // A finding in a Terraform file sorts under that file's path, after `b`'s own
    // findings: pairing each file with its fingerprints must not follow that order.
    let mut repo = Repo::new("diff-terraform-fingerprints");
    repo.write(
        "a.controls.toml",
        &CLEAN.replace(
            "zones = [\"ch-gva-2\"]",
            "zones = [\"ch-gva-2\"]\nterraform = [\"infra\"]",
        ),
    );
    repo.write(
        "infra/main.tf",
        "variable \"zone\" {\n  type = string\n}\n\nresource \"exoscale_compute_instance\" \"web\" {\n  zone = var.zone\n}\n",
    );
    let broken = tenant_iam_handed_to_exoscale();
    repo.write("b.controls.toml", &broken);
    let base = repo.commit("two files");
    let a = std::fs::read_to_string(repo.root.join("a.controls.toml")).unwrap();
    repo.write("a.controls.toml", &format!("{a}# a comment only\n"));
    repo.write("b.controls.toml", CLEAN);
    let diff = document(&repo.diff(&["--base", &base, "--format", "json"]));
    let files = diff["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "only b changed in meaning: {diff}");
    assert_eq!(files[0]["path"], "b.controls.toml", "{diff}");
    let resolved = files[0]["findings"]["resolved"].as_array().unwrap();
    assert!(
        !resolved.is_empty() && resolved.iter().all(|f| f["code"] == "SRM003"),
        "{diff}"
    );
    assert!(
        files[0]["findings"]["introduced"]
            .as_array()
            .unwrap()
            .is_empty(),
        "{diff}"
    );
}

#[test]
fn fingerprints_are_those_of_sarif() {
    let mut repo = Repo::new("diff-sarif-fingerprints");
    repo.write("controls.toml", CLEAN);
    repo.commit("clean");
    repo.write("controls.toml", &tenant_iam_handed_to_exoscale());
    let diff = document(&repo.diff(&["--format", "json"]));
    let sarif = common::srmlint()
        .current_dir(&repo.root)
        .args(["check", "--format", "sarif", "--today", "2026-11-28"])
        .run();
    let sarif = json(&sarif.stdout);
    let mut from_sarif: Vec<String> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|result| {
            result["partialFingerprints"]["srmlint-fingerprint/v1"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut from_diff: Vec<String> = diff["files"][0]["findings"]["introduced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["fingerprint"].as_str().unwrap().to_owned())
        .collect();
    from_sarif.sort();
    from_diff.sort();
    assert!(!from_diff.is_empty());
    assert_eq!(from_diff, from_sarif);
}

#[test]
fn waiver_changes_are_added_removed_extended_and_reworded() {
    let waiver = |expires: &str, reason: &str, approver: &str| {
        format!(
            "\n[[waivers]]\nrule = \"SRM003\"\ncontrol = \"tenant-iam\"\nreason = \"{reason}\"\napproved_by = \"{approver}\"\nexpires = {expires}\n"
        )
    };
    let broken = tenant_iam_handed_to_exoscale();
    let mut repo = Repo::new("diff-waivers");
    repo.write(
        "controls.toml",
        &format!(
            "{broken}{}",
            waiver("2027-01-31", "IdP migration", "ciso@shop.example")
        ),
    );
    let base = repo.commit("waived");
    repo.write(
        "controls.toml",
        &format!(
            "{broken}{}",
            waiver("2027-06-30", "IdP migration slipped", "ciso@shop.example")
        ),
    );
    let extended = document(&repo.diff(&["--base", &base, "--format", "json"]));
    let change = &extended["files"][0]["waivers"][0];
    assert_eq!(change["change"], "extended");
    assert_eq!(change["fields"], serde_json::json!(["expires", "reason"]));
    assert_eq!(change["old"]["expires"], "2027-01-31");
    assert_eq!(change["new"]["expires"], "2027-06-30");
    repo.write(
        "controls.toml",
        &format!(
            "{broken}{}",
            waiver("2027-01-31", "IdP migration", "cto@shop.example")
        ),
    );
    let reworded = document(&repo.diff(&["--base", &base, "--format", "json"]));
    assert_eq!(reworded["files"][0]["waivers"][0]["change"], "changed");
    assert_eq!(
        reworded["files"][0]["waivers"][0]["fields"],
        serde_json::json!(["approved_by"])
    );
    // Removing the waiver makes its findings fail again: exit 1, no longer waived.
    repo.write("controls.toml", &broken);
    let removed = repo.diff(&["--base", &base, "--format", "json"]);
    assert_eq!(removed.code, 1, "{}", removed.stdout);
    let removed = document(&removed);
    assert_eq!(removed["files"][0]["waivers"][0]["change"], "removed");
    let unwaived = removed["files"][0]["findings"]["unwaived"]
        .as_array()
        .unwrap();
    assert_eq!(unwaived.len(), 1, "{removed}");
    assert!(
        unwaived
            .iter()
            .all(|finding| finding["code"] == "SRM003" && finding["waived"] == false)
    );
    assert_eq!(removed["gaps"][0]["control"], "tenant-iam");
    // And adding one is the reverse.
    repo.write("controls.toml", &broken);
    let head = repo.commit("unwaived");
    let added = document(&repo.diff(&["--base", &head, "--head", &base, "--format", "json"]));
    assert_eq!(added["files"][0]["waivers"][0]["change"], "added");
    assert_eq!(
        added["files"][0]["findings"]["newly_waived"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(added["summary"]["fails"], false);
}

#[test]
fn an_unknown_revision_is_exit_2_with_a_clear_message() {
    let mut repo = Repo::new("diff-unknown-revision");
    repo.write("controls.toml", CLEAN);
    repo.commit("one");
    let output = repo.diff(&["--base", "no-such-branch"]);
    assert_eq!(output.code, 2);
    assert_eq!(output.stdout, "");
    assert!(
        output.stderr.contains("unknown revision `no-such-branch`"),
        "{}",
        output.stderr
    );
    let head = repo.diff(&["--head", "deadbeef"]);
    assert_eq!(head.code, 2);
    assert!(
        head.stderr.contains("unknown revision `deadbeef`"),
        "{}",
        head.stderr
    );
    // A path that exists on neither side.
    let missing = repo.diff(&["nowhere"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("`nowhere` exists neither"),
        "{}",
        missing.stderr
    );
}

/// The hint about shallow clones is given only where the clone is shallow; elsewhere a
/// mistyped revision is just unknown.
#[test]
fn the_shallow_clone_hint_is_given_only_in_a_shallow_clone() {
    let mut repo = Repo::new("diff-shallow-origin");
    repo.write("controls.toml", CLEAN);
    repo.commit("one");
    repo.write("controls.toml", &format!("{CLEAN}\n"));
    repo.commit("two");
    let full = repo.diff(&["--base", "HEAD~1"]);
    assert_eq!(full.code, 0, "{}", full.stderr);
    let typo = repo.diff(&["--base", "mian"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr
            .contains("unknown revision `mian`: no commit of this repository has that name"),
        "{}",
        typo.stderr
    );
    assert!(!typo.stderr.contains("shallow"), "{}", typo.stderr);

    let clone = Scratch::outside_repository("diff-shallow-clone");
    let url = format!("file://{}", repo.root.display());
    common::git(&clone.root, &["clone", "--quiet", "--depth=1", &url, "."]);
    let shallow = common::srmlint()
        .current_dir(&clone.root)
        .args(["diff", "--base", "HEAD~1"])
        .run();
    assert_eq!(shallow.code, 2, "{}", shallow.stdout);
    assert!(
        shallow
            .stderr
            .contains("unknown revision `HEAD~1`: no commit of this repository has that name, and the clone is shallow"),
        "{}",
        shallow.stderr
    );
}

#[test]
fn a_repository_without_commits_has_no_head_to_compare_with() {
    let repo = Repo::new("diff-no-commits");
    repo.write("controls.toml", CLEAN);
    let output = repo.diff(&[]);
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains("unknown revision `HEAD`"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_revision_that_looks_like_an_option_is_refused_and_never_reaches_git() {
    let mut repo = Repo::new("diff-option-revision");
    repo.write("controls.toml", CLEAN);
    repo.commit("one");
    let target = repo.root.join("written-by-git");
    for revision in [
        format!("--output={}", target.display()),
        "-h".to_owned(),
        "--all".to_owned(),
    ] {
        for flag in ["--base", "--head"] {
            let output = repo.diff(&[&format!("{flag}={revision}")]);
            assert_eq!(output.code, 2, "{flag}={revision}: {}", output.stdout);
            assert!(
                output.stderr.contains("starts with `-`"),
                "{flag}={revision}: {}",
                output.stderr
            );
        }
    }
    assert!(
        !target.exists(),
        "a revision was passed to git as an option"
    );
    // Written as a separate word, clap itself rejects it as an unknown option.
    let separate = repo.diff(&["--base", "--output=x"]);
    assert_eq!(separate.code, 2);
}

#[test]
fn outside_a_repository_is_exit_2_and_without_git_too() {
    let outside = Scratch::outside_repository("diff-not-a-repository");
    common::write(&outside.root.join("controls.toml"), CLEAN);
    let output = common::srmlint()
        .arg("diff")
        .current_dir(&outside.root)
        // Stop git's search for a repository at the scratch folder's parent.
        .env("GIT_CEILING_DIRECTORIES", outside.root.parent().unwrap())
        .run();
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains("is not inside a git repository"),
        "{}",
        output.stderr
    );

    let mut repo = Repo::new("diff-without-git");
    repo.write("controls.toml", CLEAN);
    repo.commit("one");
    let empty = Scratch::outside_repository("diff-empty-path");
    let output = common::srmlint()
        .arg("diff")
        .current_dir(&repo.root)
        .env("PATH", &empty.root)
        .run();
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains("git is not installed"),
        "{}",
        output.stderr
    );
}

#[test]
fn both_sides_are_judged_under_the_work_tree_configuration() {
    let mut repo = Repo::new("diff-configuration");
    repo.write(
        ".srmlint.toml",
        "exclude = [\"archive/**\"]\n[rules]\nSRM003 = \"warning\"\n",
    );
    repo.write("controls.toml", CLEAN);
    repo.write("archive/controls.toml", CLEAN);
    repo.commit("configured");
    let broken = tenant_iam_handed_to_exoscale();
    repo.write("controls.toml", &broken);
    repo.write("archive/controls.toml", &broken);
    let output = repo.diff(&["--format", "json"]);
    // SRM003 is a warning here: no new error, exit 0; the excluded file is not compared.
    assert_eq!(output.code, 0, "{}", output.stdout);
    let doc = document(&output);
    let paths: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|file| file["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["controls.toml"]);
    assert_eq!(
        doc["files"][0]["findings"]["introduced"][0]["severity"],
        "warning"
    );
    // Named on the command line, an excluded file is compared, as `check` does.
    let named = document(&repo.diff(&["archive/controls.toml", "--format", "json"]));
    assert_eq!(named["files"][0]["path"], "archive/controls.toml");
}

/// Compares `actual` with the golden file, or rewrites it under `SRMLINT_BLESS`.
fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name);
    if std::env::var_os("SRMLINT_BLESS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name} differs from the golden file; run `SRMLINT_BLESS=1 cargo test --test it diff::` after an intended change\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

#[test]
fn golden_markdown_and_json_of_a_pull_request() {
    let mut repo = Repo::new("diff-golden");
    repo.write("services/shop/controls.toml", CLEAN);
    repo.write("services/old/controls.toml", &with_services("[\"dns\"]"));
    let waived = format!(
        "{}\n[[waivers]]\nrule = \"SRM031\"\ncontrol = \"tenant-iam\"\nreason = \"evidence in the *new* wiki | <soon>\"\napproved_by = \"ciso@shop.example\"\nexpires = 2027-01-31\n",
        replace_table(
            CLEAN,
            "tenant-iam",
            "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"security@shop.example\"\n"
        )
    );
    repo.write("services/api/controls.toml", &waived);
    let base = repo.commit("base");
    repo.write("services/shop/controls.toml", &risky_change());
    repo.remove("services/old/controls.toml");
    repo.write(
        "services/api/controls.toml",
        &waived.replace("2027-01-31", "2027-03-31").replace("`", ""),
    );
    repo.write(
        "services/new/controls.toml",
        &with_services("[\"compute\"]").replace("name = \"shop\"", "name = \"new\\u001b[31m\""),
    );
    let head = repo.commit("head");
    let markdown = repo.diff(&["--base", &base, "--head", &head, "--format", "markdown"]);
    assert_eq!(markdown.code, 1);
    golden("pull-request.md", &markdown.stdout);
    let json_output = repo.diff(&["--base", &base, "--head", &head, "--format", "json"]);
    assert_eq!(json_output.code, 1);
    golden("pull-request.json", &json_output.stdout);
    let human = repo.diff(&["--base", &base, "--head", &head]);
    golden("pull-request.txt", &human.stdout);
    // Reproducible: the same revisions give the same bytes.
    let again = repo.diff(&["--base", &base, "--head", &head, "--format", "json"]);
    assert_eq!(again.stdout, json_output.stdout);
}

#[test]
fn text_from_the_files_is_escaped_in_every_format() {
    let mut repo = Repo::new("diff-escaping");
    repo.write("controls.toml", CLEAN);
    repo.commit("clean");
    let hostile = replace_table(
        CLEAN,
        "tenant-iam",
        "[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"\\u001b]8;;evil\\u0007 | <script> **x** \\u202e\"\nevidence = [\"https://wiki.shop.example/iam\"]\n",
    );
    repo.write("controls.toml", &hostile);
    for format in ["human", "markdown", "json"] {
        let output = repo.diff(&["--format", format]);
        assert!(!output.stdout.contains('\u{1b}'), "{format}: raw ESC");
        assert!(!output.stdout.contains('\u{7}'), "{format}: raw BEL");
        assert!(
            !output.stdout.contains('\u{202e}'),
            "{format}: raw bidi override"
        );
        if format == "markdown" {
            assert!(!output.stdout.contains("<script>"), "{}", output.stdout);
            assert!(output.stdout.contains("\\<script\\>"), "{}", output.stdout);
            assert!(!output.stdout.contains(" | <"), "a cell was split");
        }
        if format == "json" {
            let doc = json(&output.stdout);
            let accountable = doc["files"][0]["entries"][0]["new"]["accountable"]
                .as_str()
                .unwrap();
            assert!(
                accountable.starts_with('\u{1b}'),
                "JSON keeps the value: {accountable:?}"
            );
        }
    }
}

#[test]
fn the_verdict_names_five_gaps_and_counts_the_rest() {
    let mut repo = Repo::new("diff-many-gaps");
    repo.write("controls.toml", CLEAN);
    let base = repo.commit("clean");
    let mut text = CLEAN.to_owned();
    let handed = [
        "data-classification",
        "encryption-at-rest",
        "tenant-iam",
        "network-security",
        "vuln-mgmt-workloads",
        "tenant-logging",
        "backup-restore",
    ];
    for control in handed {
        text = replace_table(
            &text,
            control,
            &format!("[controls.{control}]\nowner = \"exoscale\"\n"),
        );
    }
    repo.write("controls.toml", &text);
    let output = repo.diff(&["--base", &base, "--format", "json"]);
    let doc = document(&output);
    assert_eq!(doc["gaps"].as_array().unwrap().len(), 7);
    let verdict = doc["verdict"].as_str().unwrap();
    assert!(
        verdict.starts_with("this change leaves 7 new gaps: "),
        "{verdict}"
    );
    assert!(verdict.ends_with(", and 2 more"), "{verdict}");
    assert_eq!(verdict.matches("SRM003").count(), 5, "{verdict}");
}

#[test]
fn diff_and_matrix_diff_have_help_with_examples() {
    for args in [&["diff", "--help"][..], &["matrix", "diff", "--help"][..]] {
        let output = common::srmlint().args(args).run();
        assert_eq!(output.code, 0);
        assert!(
            output.stdout.contains("Examples:\n  srmlint "),
            "{args:?}: {}",
            output.stdout
        );
        assert!(output.stdout.contains("Exit codes: 0 "), "{args:?}");
    }
}

/// A small deployment: Compute in Geneva (its claims left out: their findings are the
/// same on both sides), and `terraform` as given.
fn deployment(terraform: &str) -> String {
    format!(
        "[deployment]\nname = \"shop\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n{terraform}"
    )
}

/// What a diff introduced and resolved, each as `file:line code`, `file` being where
/// the finding lies.
fn changed_findings(diff: &serde_json::Value) -> (Vec<String>, Vec<String>) {
    let list = |change: &str| -> Vec<String> {
        let files = diff["files"].as_array().unwrap();
        let mut found: Vec<String> = files
            .iter()
            .flat_map(|file| {
                let path = file["path"].as_str().unwrap().to_owned();
                file["findings"][change]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(move |finding| {
                        let at = finding["file"].as_str().unwrap_or(&path);
                        format!(
                            "{at}:{} {}",
                            finding["line"],
                            finding["code"].as_str().unwrap()
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        found.sort();
        found
    };
    (list("introduced"), list("resolved"))
}

#[test]
fn command_line_terraform_and_var_files_are_read_as_at_each_revision() {
    let mut repo = Repo::new("diff-command-line-terraform");
    repo.write("team/controls.toml", &deployment(""));
    repo.write(
        "infra/main.tf",
        "variable \"zone\" {}\n\nresource \"exoscale_compute_instance\" \"web\" {\n  zone = var.zone\n}\n",
    );
    repo.write("envs/prod.tfvars", "zone = \"ch-gva-2\"\n");
    repo.commit("compute in Geneva");
    let options = [
        "--terraform",
        "infra",
        "--var-file",
        "envs/prod.tfvars",
        "--format",
        "json",
    ];
    // Nothing changed: nothing to say.
    let run = repo.diff(&options);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        document(&run)["files"],
        serde_json::json!([]),
        "{}",
        run.stdout
    );
    // A load balancer in Frankfurt, not yet committed: the work tree has it, HEAD not.
    repo.write(
        "infra/lb.tf",
        "resource \"exoscale_nlb\" \"lb\" {\n  zone = \"de-fra-1\"\n}\n",
    );
    let run = repo.diff(&options);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let (introduced, resolved) = changed_findings(&document(&run));
    assert_eq!(introduced, ["infra/lb.tf:1 SRM050", "infra/lb.tf:2 SRM052"]);
    assert!(resolved.is_empty(), "{resolved:?}");
    // Committed with the var file moving the instance to Frankfurt: between the two
    // commits, each read as it was.
    repo.write("envs/prod.tfvars", "zone = \"de-fra-1\"\n");
    let head = repo.commit("Frankfurt");
    let base = repo.git(&["rev-parse", "HEAD~1"]);
    let between = [
        &["--base", base.as_str(), "--head", head.as_str()][..],
        &options,
    ]
    .concat();
    let run = repo.diff(&between);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let (introduced, _) = changed_findings(&document(&run));
    assert_eq!(
        introduced,
        [
            "infra/lb.tf:1 SRM050",
            "infra/lb.tf:2 SRM052",
            "infra/main.tf:4 SRM052"
        ]
    );
    // The same commit on both sides: no change, though the work tree differs from it.
    repo.write("envs/prod.tfvars", "zone = \"at-vie-1\"\n");
    let same = [
        &["--base", head.as_str(), "--head", head.as_str()][..],
        &options,
    ]
    .concat();
    let run = repo.diff(&same);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        document(&run)["files"],
        serde_json::json!([]),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn a_revisions_terraform_holds_links_and_var_files_of_any_name() {
    use std::os::unix::fs::symlink;
    // The Exoscale provider's examples share `ssh.tf` through a link (here to a file
    // of another name), and a var file may have any name.
    let mut repo = Repo::new("diff-links-and-var-files");
    repo.write(
        "controls.toml",
        &deployment(
            "terraform = [{ path = \"infra\", var_files = [\"envs/prod.vars\", \"envs/local.vars\"] }]\n",
        ),
    );
    repo.write(
        "infra/main.tf",
        "variable \"zone\" {}\nvariable \"size\" {}\n\nresource \"exoscale_compute_instance\" \"web\" {\n  zone = var.zone\n}\n",
    );
    repo.write(
        "common/ssh.inc",
        "resource \"exoscale_security_group\" \"ssh\" {\n  name = \"ssh\"\n}\n",
    );
    symlink("../common/ssh.inc", repo.root.join("infra/ssh.tf")).unwrap();
    // A var file behind a linked folder, and one git ignores (in no commit: both sides
    // read it from the work tree).
    repo.write("config/prod.vars", "zone = \"ch-gva-2\"\n");
    symlink("config", repo.root.join("envs")).unwrap();
    repo.write(".gitignore", "local.vars\n");
    repo.write("config/local.vars", "size = \"small\"\n");
    repo.commit("compute in Geneva");
    let check = common::srmlint()
        .current_dir(&repo.root)
        .args(["check", "--format", "json", "--today", "2026-11-28"])
        .run();
    let codes: Vec<String> = json(&check.stdout)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] != "controls.toml")
        .map(|d| {
            format!(
                "{} {}",
                d["file"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(codes, ["infra/ssh.tf SRM050"], "{}", check.stdout);
    // A comment only: the same findings on both sides.
    let main = std::fs::read_to_string(repo.root.join("infra/main.tf")).unwrap();
    repo.write("infra/main.tf", &format!("{main}# a comment only\n"));
    let run = repo.diff(&["--format", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        document(&run)["files"],
        serde_json::json!([]),
        "{}",
        run.stdout
    );
    // The var file behind the link moves the instance to Frankfurt.
    repo.write("config/prod.vars", "zone = \"de-fra-1\"\n");
    let run = repo.diff(&["--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        changed_findings(&document(&run)).0,
        ["infra/main.tf:5 SRM052"]
    );
    // And between two commits, where the linked `.tf` file itself changes too.
    repo.write(
        "common/ssh.inc",
        "resource \"exoscale_nlb\" \"ssh\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    repo.commit("Frankfurt, and a load balancer");
    let run = repo.diff(&["--base", "HEAD~1", "--head", "HEAD", "--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let (introduced, resolved) = changed_findings(&document(&run));
    assert_eq!(
        introduced,
        ["infra/main.tf:5 SRM052", "infra/ssh.tf:1 SRM050"]
    );
    assert_eq!(resolved, ["infra/ssh.tf:1 SRM050"], "the security group's");
}

#[cfg(unix)]
#[test]
fn a_link_in_a_revision_never_leads_diff_out_of_the_repository() {
    use std::os::unix::fs::symlink;
    let outside = Scratch::outside_repository("diff-outside");
    std::fs::write(
        outside.path("main.tf"),
        "resource \"exoscale_nlb\" \"stolen_outside\" {\n  zone = \"de-fra-1\"\n}\n",
    )
    .unwrap();
    std::fs::write(outside.path("prod.vars"), "zone = \"de-muc-1\"\n").unwrap();
    let mut repo = Repo::new("diff-links-out");
    repo.write(
        "controls.toml",
        &deployment("terraform = [{ path = \"infra\", var_files = [\"envs/prod.vars\"] }]\n"),
    );
    repo.write(
        "infra/main.tf",
        "variable \"zone\" {\n  default = \"ch-gva-2\"\n}\n\nresource \"exoscale_compute_instance\" \"web\" {\n  zone = var.zone\n}\n",
    );
    repo.write("infra/inside.tf", "# nothing\n");
    repo.write("envs/.keep", "");
    // The revision links out at every place a source reads: a `.tf` file (absolute
    // and relative), a folder given on the command line, a var file.
    let relative_out = format!(
        "../../{}/main.tf",
        outside.root.file_name().unwrap().to_string_lossy()
    );
    symlink(outside.path("main.tf"), repo.root.join("infra/abs.tf")).unwrap();
    symlink(&relative_out, repo.root.join("infra/rel.tf")).unwrap();
    symlink(&outside.root, repo.root.join("tf-out")).unwrap();
    symlink(outside.path("prod.vars"), repo.root.join("envs/prod.vars")).unwrap();
    repo.commit("links out");
    // The work tree drops them all.
    for link in ["infra/abs.tf", "infra/rel.tf", "tf-out", "envs/prod.vars"] {
        repo.remove(link);
    }
    repo.write("envs/prod.vars", "zone = \"ch-gva-2\"\n");
    repo.write("tf-out/main.tf", "# nothing\n");
    let run = repo.diff(&["--terraform", "tf-out", "--format", "json"]);
    assert!(
        !run.stdout.contains("stolen_outside") && !run.stdout.contains("de-muc-1"),
        "{}",
        run.stdout
    );
    let (introduced, resolved) = changed_findings(&document(&run));
    assert!(introduced.is_empty(), "{introduced:?}");
    // At the revision each link is refused by name (SRM053), never read.
    let messages: Vec<String> = document(&run)["files"][0]["findings"]["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["message"].as_str().unwrap().to_owned())
        .collect();
    for link in ["infra/abs.tf", "infra/rel.tf", "envs/prod.vars", "tf-out"] {
        assert!(
            messages
                .iter()
                .any(|message| message.contains(link) && message.contains("outside")),
            "{link}: {messages:?}"
        );
    }
    assert!(
        resolved.iter().all(|finding| finding.ends_with("SRM053")),
        "{resolved:?}"
    );
}

#[test]
fn a_terraform_finding_is_shown_in_its_own_file_in_every_format() {
    let mut repo = Repo::new("diff-terraform-file");
    repo.write("controls.toml", &deployment("terraform = [\"infra\"]\n"));
    repo.write(
        "infra/main.tf",
        "resource \"exoscale_compute_instance\" \"web\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    repo.commit("compute");
    repo.write(
        "infra/main.tf",
        "resource \"exoscale_compute_instance\" \"web\" {\n  zone = \"ch-gva-2\"\n}\n\nresource \"exoscale_nlb\" \"lb\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    repo.write(
        "controls.toml",
        &deployment("terraform = [\"infra\"]\nresidency = \"XX\"\n"),
    );
    let json = document(&repo.diff(&["--format", "json"]));
    let introduced = json["files"][0]["findings"]["introduced"]
        .as_array()
        .unwrap();
    let srm050 = introduced.iter().find(|f| f["code"] == "SRM050").unwrap();
    assert_eq!(srm050["file"], "infra/main.tf", "{json}");
    assert_eq!(
        (srm050["line"].as_u64(), srm050["column"].as_u64()),
        (Some(5), Some(1))
    );
    // A finding in the controls file keeps the shape it had: no `file`.
    let srm021 = introduced.iter().find(|f| f["code"] == "SRM021").unwrap();
    assert!(srm021.get("file").is_none(), "{srm021}");
    let human = repo.diff(&[]).stdout;
    assert!(
        human.contains("    infra/main.tf:5:1: error[SRM050] "),
        "{human}"
    );
    assert!(human.contains("    6:13: error[SRM021] "), "{human}");
    let markdown = repo.diff(&["--format", "markdown"]).stdout;
    assert!(markdown.contains("| `infra/main.tf`:5 |"), "{markdown}");
    assert!(markdown.contains("| `controls.toml`:6 |"), "{markdown}");
}

#[test]
fn a_terraform_key_spelt_with_an_escape_still_brings_the_terraform_change() {
    // `"terr\u0061form"` is the key `terraform`: the controls file does not change,
    // its Terraform does, and the diff must not take it for a file without sources.
    let mut repo = Repo::new("diff-escaped-terraform-key");
    repo.write(
        "controls.toml",
        &deployment("\"terr\\u0061form\" = [\"infra\"]\n"),
    );
    repo.write(
        "infra/main.tf",
        "resource \"exoscale_compute_instance\" \"web\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    repo.commit("compute");
    repo.write(
        "infra/lb.tf",
        "resource \"exoscale_nlb\" \"lb\" {\n  zone = \"de-fra-1\"\n}\n",
    );
    let run = repo.diff(&["--format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let (introduced, _) = changed_findings(&document(&run));
    assert_eq!(introduced, ["infra/lb.tf:1 SRM050", "infra/lb.tf:2 SRM052"]);
}
