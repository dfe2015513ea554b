//! Edges of fixes, configuration and the command line that a second outside audit
//! found broken, each test built from the auditor's reproduction: `init` through a
//! stream, `--fix` whose write fails, the fixes offered together, waived findings,
//! `--diff` with a byte-order mark, `config` of a rejected file, one file under two
//! spellings, the completions of every shell, and a bad configuration among several
//! paths.

use crate::common::{Scratch, TODAY, json, srmlint};

const DNS: &str = "[deployment]\nname = \"x\"\nservices = [\"dns\"]\nzones = [\"ch-gva-2\"]\n";

/// `init --output` naming a stream (`/dev/stdout`, `/dev/null`, a named pipe) writes
/// through it as `--output -` prints: no schema file beside it (in `/dev/`), no
/// `#:schema` line pointing at one, and the deployment named after the working folder.
#[test]
fn init_through_a_stream_writes_nothing_beside_it() {
    let dir = Scratch::git_root("init-stream");
    let folder = dir.root.file_name().unwrap().to_string_lossy().into_owned();
    let init = |output: &str| {
        srmlint()
            .current_dir(&dir.root)
            .args(["init", "--services", "compute", "--zones", "ch-gva-2"])
            .args(["--output", output])
            .run()
    };
    let printed = init("-");
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert!(printed.stdout.contains(&format!("name = \"{folder}\"\n")));
    for device in ["/dev/stdout", "/dev/fd/1", "/dev/null"] {
        let in_dev = std::path::Path::new("/dev/controls.schema.json");
        let there_before = in_dev.exists();
        let run = init(device);
        assert_eq!(run.code, 0, "{device}: {}", run.stderr);
        assert!(!run.stderr.contains("schema"), "{device}: {}", run.stderr);
        assert!(
            there_before || !in_dev.exists(),
            "{device}: wrote into /dev"
        );
        if device != "/dev/null" {
            assert_eq!(
                run.stdout, printed.stdout,
                "{device}: as `--output -` prints"
            );
        }
    }
    // A named pipe in the repository: written through, nothing beside it.
    let pipe = dir.path("pipe");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    if made.is_ok_and(|status| status.success()) {
        let reader = {
            let pipe = pipe.clone();
            std::thread::spawn(move || std::fs::read_to_string(pipe).unwrap())
        };
        let run = init(pipe.to_str().unwrap());
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(reader.join().unwrap(), printed.stdout);
        assert!(!dir.path("controls.schema.json").exists());
    }
}

/// `check --fix` that cannot write a file reports the file as it stands on disk (its
/// SRM011 and SRM018 still there), says so, and counts no fix as made. Root writes
/// through any mode, so as root srmlint runs as `nobody` from a copy of the binary.
#[cfg(unix)]
#[test]
fn fix_that_cannot_be_written_reports_the_file_as_it_stands() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Scratch::outside_repository("fix-unwritable");
    let text = "[deployment]\nname = \"x\"\nservices = [\"postgres\", \"compute\", \"compute\"]\nzones = [\"ch-gva-2\"]\n";
    dir.write("repo/controls.toml", text);
    let copy = dir.path("srmlint");
    std::fs::copy(env!("CARGO_BIN_EXE_srmlint"), &copy).unwrap();
    let mode = |path: &std::path::Path, mode| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    mode(&dir.root, 0o755);
    mode(&copy, 0o755);
    let wrapper = format!("exec '{}' \"$@\"", copy.display());
    let nobody = [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        "sh",
        "-c",
        &wrapper,
    ];
    let as_root = runs_as_root();
    let run = |args: &[&str]| {
        let mut command = srmlint();
        if as_root {
            command.via(&nobody);
        }
        command
            .current_dir(dir.path("repo"))
            .args(["check", "--today", TODAY, "--format", "json"])
            .args(args)
            .run()
    };
    let on_disk = run(&[]);
    mode(&dir.path("repo"), 0o555);
    let fixed = run(&["--fix"]);
    mode(&dir.path("repo"), 0o755);
    assert_eq!(
        std::fs::read_to_string(dir.path("repo/controls.toml")).unwrap(),
        text
    );
    assert_eq!(fixed.code, 2, "{}", fixed.stderr);
    let report = fixed.json();
    let codes = |report: &serde_json::Value| {
        let mut codes: Vec<String> = (report["diagnostics"].as_array().unwrap().iter())
            .map(|diagnostic| diagnostic["code"].as_str().unwrap().to_owned())
            .collect();
        codes.dedup();
        codes
    };
    assert_eq!(codes(&report), codes(&on_disk.json()));
    assert!(codes(&report).contains(&"SRM018".to_owned()), "{report:#}");
    assert_eq!(report["summary"], on_disk.json()["summary"]);
    let error = report["errors"][0]["message"].as_str().unwrap();
    assert!(
        error.contains("cannot write") && error.contains("as it stands"),
        "{error}"
    );
    assert!(!fixed.stderr.contains("fixed "), "{}", fixed.stderr);
}

/// Whether this process runs as root (who writes through any file mode).
fn runs_as_root() -> bool {
    let probe = Scratch::new("root-probe");
    let file = probe.write("probe", "x");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::read(&file).is_ok()
}

/// The safe fixes JSON offers for one check (the unsafe ones too when `unsafe_too`),
/// applied together from the last to the first: the text they give.
fn fixes_applied(dir: &Scratch, text: &str, unsafe_too: bool) -> String {
    dir.write("controls.toml", text);
    let run = srmlint()
        .current_dir(&dir.root)
        .args(["check", "--today", TODAY, "--format", "json"])
        .run();
    let mut edits = Vec::new();
    for diagnostic in run.diagnostics() {
        let applicability = &diagnostic["fix"]["applicability"];
        if applicability == "safe" || (unsafe_too && applicability == "unsafe") {
            edits.extend(
                diagnostic["fix"]["edits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .cloned(),
            );
        }
    }
    assert!(!edits.is_empty(), "{}", run.stdout);
    crate::fix::apply_json_edits(text, &edits)
}

/// The fixes offered together never overlap and never rename two entries to one id:
/// a value corrected in a list whose repeat is removed keeps its correction, and two
/// misspellings of one control give valid TOML.
#[test]
fn fixes_offered_together_apply_together() {
    let dir = Scratch::git_root("fixes-together");
    let repeated = "[deployment]\nname = \"x\"\nservices = [\"postgres\", \"compute\", \"compute\"]\nzones = [\"ch-gva-2\"]\n";
    let together = fixes_applied(&dir, repeated, false);
    assert!(together.contains("\"dbaas-pg\""), "{together}");
    assert!(!together.contains("postgres"), "{together}");
    let renamed = "[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n\n[controls.tenant-loging]\nowner = \"customer\"\n\n[controls.tenant-logng]\nowner = \"customer\"\n";
    let together = fixes_applied(&dir, renamed, false);
    assert!(
        toml::from_str::<toml::Table>(&together).is_ok(),
        "{together}"
    );
    assert!(together.contains("[controls.tenant-logging]"), "{together}");
    // Two entries with the same misspelt key each keep their fix: they are two tables.
    let keys = "[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n\n[controls.tenant-logging]\nowner = \"customer\"\nacountable = \"a\"\n\n[controls.backup-restore]\nowner = \"customer\"\nacountable = \"b\"\n";
    let together = fixes_applied(&dir, keys, false);
    assert_eq!(
        together.matches("\naccountable = ").count(),
        2,
        "{together}"
    );
    // A control renamed onto the id whose missing claim SRM001 offers to add: applied
    // together (an editor's "apply all"), the table would be written twice.
    for renamed in [
        "[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n\n[controls.tenant-loging]\nowner = \"customer\"\n",
        "controls.tenant-loging.owner = \"customer\"\n[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n",
    ] {
        let together = fixes_applied(&dir, renamed, true);
        assert!(
            toml::from_str::<toml::Table>(&together).is_ok(),
            "{together}"
        );
        assert!(together.contains("tenant-logging"), "{together}");
    }
    // --fix still fixes everything, pass after pass.
    dir.write("controls.toml", repeated);
    let fixed = srmlint()
        .current_dir(&dir.root)
        .args(["check", "--today", TODAY, "--fix", "--format", "json"])
        .run();
    assert!(
        fixed.stderr.contains("fixed 2 findings in 1 file"),
        "{}",
        fixed.stderr
    );
}

/// A waived finding carries no fix in JSON or SARIF: it is never fixed.
#[test]
fn waived_findings_carry_no_fix() {
    let dir = Scratch::git_root("waived-fix");
    dir.write(
        "controls.toml",
        "[deployment]\nname = \"x\"\nservices = [\"dns\", \"dns\"]\nzones = [\"ch-gva-2\"]\n\n[[waivers]]\nrule = \"SRM018\"\nreason = \"kept on purpose\"\napproved_by = \"ciso@x.example\"\nexpires = 2027-01-31\n",
    );
    let check = |format: &str| {
        srmlint()
            .current_dir(&dir.root)
            .args(["check", "--today", TODAY, "--format", format])
            .run()
    };
    let waived = check("json").with_code("SRM018");
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["waived"], true);
    assert!(waived[0]["fix"].is_null(), "{:#}", waived[0]);
    let sarif = json(&check("sarif").stdout);
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        if result["ruleId"] == "SRM018" {
            assert!(result.get("fixes").is_none(), "{result:#}");
        }
    }
}

/// `--diff` of a file that starts with a byte-order mark keeps the mark in its lines,
/// so `git apply` applies it and gives the bytes `--fix` writes; also when the change
/// lies below the first line, which is then context.
#[test]
fn diff_of_a_file_with_a_byte_order_mark_applies() {
    let dir = Scratch::new("diff-bom");
    crate::common::git(&dir.root, &["init", "-q"]);
    for text in [
        "\u{feff}deployment = { name = \"x\", services = [\"compute\", \"compute\"], zones = [\"ch-gva-2\"] }\n",
        "\u{feff}[deployment]\nname = \"x\"\nservices = [\"compute\", \"compute\"]\nzones = [\"ch-gva-2\"]\n",
    ] {
        dir.write("controls.toml", text);
        let diff = srmlint()
            .current_dir(&dir.root)
            .args(["check", "--today", TODAY, "--diff"])
            .run();
        assert_eq!(diff.code, 1, "{}", diff.stderr);
        dir.write("fix.diff", &diff.stdout);
        crate::common::git(&dir.root, &["apply", "fix.diff"]);
        let applied = std::fs::read(dir.path("controls.toml")).unwrap();
        dir.write("controls.toml", text);
        let fixed = srmlint()
            .current_dir(&dir.root)
            .args(["check", "--today", TODAY, "--fix"])
            .run();
        assert!(fixed.stderr.contains("fixed 1 finding"), "{}", fixed.stderr);
        assert_eq!(applied, std::fs::read(dir.path("controls.toml")).unwrap());
    }
}

/// `srmlint config` refuses, as `check` does (exit 2, the same message), a
/// configuration whose `[rules]` names no rule of the run.
#[test]
fn config_refuses_what_check_refuses() {
    let dir = Scratch::git_root("config-refused");
    dir.write("controls.toml", DNS);
    dir.write(".srmlint.toml", "[rules]\nSRM999 = \"off\"\n");
    let config = srmlint()
        .current_dir(&dir.root)
        .args(["config", "controls.toml"])
        .run();
    let check = srmlint()
        .current_dir(&dir.root)
        .args(["check", "--today", TODAY])
        .run();
    assert_eq!((config.code, check.code), (2, 2), "{}", config.stdout);
    assert!(config.stdout.is_empty(), "{}", config.stdout);
    assert!(
        config.stderr.contains("unknown rule `SRM999`"),
        "{}",
        config.stderr
    );
    assert_eq!(config.stderr, check.stderr);
    // A good one is still shown.
    dir.write(".srmlint.toml", "[rules]\nSRM031 = \"off\"\n");
    let config = srmlint()
        .current_dir(&dir.root)
        .args(["config", "controls.toml"])
        .run();
    assert_eq!(config.code, 0, "{}", config.stderr);
    assert!(
        config.stdout.contains("SRM031 = \"off\""),
        "{}",
        config.stdout
    );
}

/// One file named under two spellings (`.` and `./controls.toml`, relative and
/// absolute) is checked once, reported under the spelling met first.
#[test]
fn one_file_under_two_spellings_is_checked_once() {
    let dir = Scratch::git_root("two-spellings");
    dir.write("controls.toml", DNS);
    let absolute = dir.path("controls.toml");
    let absolute = absolute.to_str().unwrap();
    let once = srmlint()
        .current_dir(&dir.root)
        .args([
            "check",
            "--today",
            TODAY,
            "--format",
            "json",
            "controls.toml",
        ])
        .run()
        .json();
    for paths in [[".", "./controls.toml"], ["controls.toml", absolute]] {
        let run = srmlint()
            .current_dir(&dir.root)
            .args(["check", "--today", TODAY, "--format", "json"])
            .args(paths)
            .run();
        let report = run.json();
        assert_eq!(report["files"], json(r#"["controls.toml"]"#), "{paths:?}");
        assert_eq!(report["summary"], once["summary"], "{paths:?}");
    }
}

/// Every shell's script completes the same values: elvish and PowerShell too, after
/// the option that takes them (zones, services, formats) and as `explain`'s argument.
#[test]
fn every_shell_completes_the_same_values() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = srmlint().args(["completions", shell]).run();
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for value in [
            "ch-gva-2",
            "dbaas-pg",
            "SRM001",
            "backup-restore",
            "iso27001",
            "sarif",
            "oscal-catalog",
        ] {
            assert!(run.stdout.contains(value), "{shell}: no `{value}`");
        }
    }
    let elvish = srmlint().args(["completions", "elvish"]).run().stdout;
    assert!(
        elvish.contains("&'srmlint;init;--zones'= ['at-vie-1'"),
        "{elvish}"
    );
    assert!(elvish.contains("&'srmlint;explain'= ['SRM001'"), "{elvish}");
    assert!(
        elvish
            .trim_end()
            .ends_with("$completions[$command]\n    }\n}"),
        "{elvish}"
    );
    let powershell = srmlint().args(["completions", "powershell"]).run().stdout;
    assert!(
        powershell.contains("'srmlint;check;--format' = @('human', 'json'"),
        "{powershell}"
    );
    assert!(
        powershell.contains("$values.ContainsKey($after)"),
        "{powershell}"
    );
}

/// A bad `.srmlint.toml` that governs one of several paths fails the run (exit 2)
/// once the others are checked: the rest is reported, and so is a missing path.
#[test]
fn a_bad_configuration_of_one_path_leaves_the_others_checked() {
    let dir = Scratch::git_root("bad-config-one-path");
    dir.write("a/controls.toml", DNS);
    dir.write("b/controls.toml", DNS);
    dir.write("b/.srmlint.toml", "[rules]\nSRM031 = \"of\"\n");
    let run = srmlint()
        .current_dir(&dir.root)
        .args([
            "check", "--today", TODAY, "--format", "json", "a", "b", "nope",
        ])
        .run();
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = run.json();
    assert_eq!(
        report["files"],
        json(r#"["a/controls.toml"]"#),
        "{report:#}"
    );
    assert_eq!(report["summary"]["errors"], 11, "{report:#}");
    let errors: Vec<&str> = (report["errors"].as_array().unwrap().iter())
        .map(|error| error["path"].as_str().unwrap())
        .collect();
    assert_eq!(errors, ["nope", "b/.srmlint.toml"]);
    assert!(run.stderr.contains("`of` is not a level"), "{}", run.stderr);
    // Walked: the folder the bad file governs is left out, the rest checked.
    let walked = srmlint()
        .current_dir(&dir.root)
        .args(["check", "--today", TODAY, "--format", "concise"])
        .run();
    assert_eq!(walked.code, 2, "{}", walked.stderr);
    assert!(
        walked.stdout.contains("a/controls.toml:"),
        "{}",
        walked.stdout
    );
    assert!(
        !walked.stdout.contains("b/controls.toml"),
        "{}",
        walked.stdout
    );
    assert_eq!(
        walked.stderr.matches("invalid config file").count(),
        1,
        "{}",
        walked.stderr
    );
}

/// The policy language page's "try them on a copy" examples print what the page shows.
#[test]
fn the_policy_language_examples_print_what_the_page_shows() {
    let page = std::fs::read_to_string(crate::common::repo_root().join("docs/policy-language.md"))
        .unwrap();
    let original =
        std::fs::read_to_string(crate::common::repo_root().join("examples/acme-org/controls.toml"))
            .unwrap();
    let dir = Scratch::git_root("policy-language-copy");
    dir.copy_in(&crate::common::repo_root().join("examples/acme-org"), ".");
    let concise = |text: String| {
        dir.write("controls.toml", text);
        let run = srmlint()
            .current_dir(&dir.root)
            .args(["check", "--today", TODAY, "--format", "concise"])
            .run();
        run.stdout
    };
    let dpo = concise(original.replace("\"dpo@acme.example\"", "\"the DPO\""));
    let start = original.find("[controls.backup-restore]").unwrap();
    let reviewed = start + original[start..].find("reviewed = ").unwrap();
    let old = &original[reviewed..reviewed + "reviewed = YYYY-MM-DD".len()];
    let late = concise(original.replacen(old, "reviewed = 2026-05-01", 1));
    let late: Vec<&str> = late
        .lines()
        .filter(|line| line.contains("warning["))
        .collect();
    assert_eq!(late.len(), 2, "{late:?}");
    for line in dpo.lines().chain(late) {
        assert!(
            page.contains(&format!("{line}\n")),
            "not on the page: {line}"
        );
    }
}

/// SARIF URIs are the repository root's, from any working folder, as docs/ci.md says.
#[test]
fn sarif_uris_are_relative_to_the_repository_root_as_the_ci_page_says() {
    let page = std::fs::read_to_string(crate::common::repo_root().join("docs/ci.md")).unwrap();
    assert!(page.contains("SARIF URIs are relative to the repository root"));
    assert!(!page.contains("annotations and SARIF URIs to match"));
    let dir = Scratch::git_root("sarif-from-a-subfolder");
    dir.write("team/controls.toml", DNS);
    let sarif = srmlint()
        .current_dir(dir.path("team"))
        .args([
            "check",
            "--today",
            TODAY,
            "--format",
            "sarif",
            "controls.toml",
        ])
        .run()
        .json();
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"], "team/controls.toml",
        "{location:#}"
    );
}
