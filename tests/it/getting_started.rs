//! The README's "Getting started", followed command by command in a fresh folder as a
//! new user would: each command this test runs is one the section shows, and what the
//! section says it prints or does is what the built binary prints and does.

use crate::common;

use common::{Run, Scratch, TODAY, repo_root, srmlint};

/// The README's "Getting started" section.
fn getting_started() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let start = readme
        .find("\n## Getting started\n")
        .expect("the README has a Getting started section");
    let rest = &readme[start + 1..];
    let end = rest[1..].find("\n## ").map_or(rest.len(), |end| end + 1);
    rest[..end].to_owned()
}

/// The code block of `language` that follows `after` in `section`.
fn block_after(section: &str, after: &str, language: &str) -> String {
    let at = section
        .find(after)
        .unwrap_or_else(|| panic!("the section shows {after:?}"));
    let fence = format!("```{language}\n");
    let start = section[at..].find(&fence).expect("a block follows") + at + fence.len();
    let end = section[start..].find("```").unwrap() + start;
    section[start..end].to_owned()
}

/// Runs `command` (as the README writes it, starting with `srmlint`) in `dir`; asserts
/// the README shows it.
fn run_shown(section: &str, dir: &Scratch, command: &str) -> Run {
    assert!(
        section.contains(&format!("\n{command}\n")),
        "the README's Getting started shows `{command}`"
    );
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(words[0], "srmlint");
    let mut run = srmlint();
    run.current_dir(&dir.root).args(&words[1..]);
    if words[1] == "check" || words[1] == "report" {
        run.args(["--today", TODAY]);
    }
    run.run()
}

#[test]
fn the_getting_started_path_works_as_written() {
    let section = getting_started();
    let dir = Scratch::git_root("getting-started");

    // 1. init: writes the file and the schema its first line points at, and prints
    //    exactly the next steps the README shows.
    let init = run_shown(
        &section,
        &dir,
        "srmlint init --services compute,dbaas-pg --zones ch-gva-2 --residency CH",
    );
    assert_eq!(init.code, 0, "{init:?}");
    let shown = block_after(&section, "--residency CH\n```", "text");
    assert_eq!(init.stderr, shown, "init prints what the README shows");
    let starter = std::fs::read_to_string(dir.path("controls.toml")).unwrap();
    assert!(starter.starts_with("#:schema ./controls.schema.json\n"));
    assert!(
        dir.path("controls.schema.json").is_file(),
        "the #:schema line resolves"
    );
    let claims = starter.matches("accountable = \"TODO\"").count();
    assert_eq!(claims, 11);
    // The claim the README shows as the starter's is in the file as shown.
    let untouched = block_after(&section, "Each claim starts as:", "toml");
    assert!(starter.contains(&untouched), "{starter}");

    // 3, before 2: an untouched file does not pass: every claim is reported.
    let check = run_shown(&section, &dir, "srmlint check");
    assert_eq!(check.code, 1, "an untouched file fails: {check:?}");
    assert_eq!(
        check.stdout.matches("SRM038(unfilled-claim)").count(),
        claims,
        "every untouched claim is reported: {}",
        check.stdout
    );
    let strict = srmlint()
        .current_dir(&dir.root)
        .args(["check", "--deny-warnings", "--today", TODAY])
        .run();
    assert_eq!(strict.code, 1, "an untouched file fails CI: {strict:?}");

    // 2. Fill in the claims as the README shows.
    let filled_example = block_after(&section, "Name who answers for it", "toml");
    assert!(filled_example.contains("accountable = \"sre@shop.example\""));
    dir.write(
        "docs/runbooks/restore-test.md",
        "# Restore test\n\nEvery quarter we restore last night's backup into a scratch project, \
         compare row counts and checksums with production, and record the time it took. \
         The last run took 41 minutes and matched on every table.\n",
    );
    let filled = starter
        .replace(
            "accountable = \"TODO\"",
            "accountable = \"sre@shop.example\"",
        )
        .replace(
            "evidence = []",
            "evidence = [\"docs/runbooks/restore-test.md\"]",
        );
    dir.write("controls.toml", &filled);
    let check = run_shown(&section, &dir, "srmlint check");
    assert_eq!(check.code, 0, "{check:?}");
    let clean = block_after(&section, "`srmlint explain backup-restore`", "text");
    assert!(check.stdout.ends_with(&clean), "{}", check.stdout);

    // 4. The mistakes the README names, shown by --diff and fixed by --fix.
    assert!(section.contains("`\"postgres\"`") && section.contains("`\"ch-gva2\"`"));
    let mistaken = filled.replacen("\"dbaas-pg\"", "\"postgres\"", 1).replacen(
        "zones = [\"ch-gva-2\"]",
        "zones = [\"ch-gva2\"]",
        1,
    );
    assert_ne!(mistaken, filled);
    dir.write("controls.toml", &mistaken);
    let check = run_shown(&section, &dir, "srmlint check");
    assert_eq!(check.code, 1, "{check:?}");
    assert!(
        check.stderr.starts_with("hint: ")
            && check.stderr.contains("`srmlint check --fix` applies"),
        "the hint the README promises: {}",
        check.stderr
    );
    let diff = run_shown(&section, &dir, "srmlint check --diff");
    assert_eq!(diff.code, 1, "{diff:?}");
    assert!(
        diff.stdout
            .contains("-services = [\"compute\", \"postgres\"]"),
        "{}",
        diff.stdout
    );
    assert!(
        diff.stdout.contains("+zones = [\"ch-gva-2\"]"),
        "{}",
        diff.stdout
    );
    let fix = run_shown(&section, &dir, "srmlint check --fix");
    assert_eq!(fix.code, 0, "{fix:?}");
    assert!(
        fix.stderr.contains("fixed 2 findings in 1 file"),
        "{}",
        fix.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path("controls.toml")).unwrap(),
        filled
    );

    // 5. The report.
    let report = run_shown(
        &section,
        &dir,
        "srmlint report --format html --output posture.html",
    );
    assert_eq!(report.code, 0, "{report:?}");
    let html = std::fs::read_to_string(dir.path("posture.html")).unwrap();
    assert!(html.contains("<html"), "a self-contained HTML report");

    // 6. CI: every input the README's Action step sets is an input of action.yml.
    let workflow = block_after(&section, "### 6. CI", "yaml");
    let action = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    let inputs = &action[action.find("\ninputs:\n").unwrap()..action.find("\noutputs:\n").unwrap()];
    let with = &workflow[workflow.find("with:\n").expect("the step sets inputs") + 6..];
    for line in with.lines().filter(|line| line.contains(':')) {
        let key = line.trim().split(':').next().unwrap();
        assert!(
            inputs.contains(&format!("\n  {key}:\n")),
            "action.yml has the input {key}"
        );
    }
    assert!(with.contains("deny-warnings: \"true\""));
}

#[test]
fn the_readme_stays_short_and_its_links_lead_somewhere() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    assert!(
        readme.lines().count() < 300,
        "the README is under 300 lines"
    );
    let mut rest = readme.as_str();
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let target = &rest[..rest.find(')').unwrap()];
        if target.starts_with("http") {
            continue;
        }
        let path = target.split('#').next().unwrap();
        assert!(
            repo_root().join(path).exists(),
            "the README links to {target}, which exists"
        );
    }
}
