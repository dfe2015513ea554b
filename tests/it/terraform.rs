//! The deployment held against its Terraform, through the built binary: findings in
//! the `.tf` or JSON file in every format, `check --terraform`, `init --terraform`,
//! the report's Terraform section, paths that leave the repository, and hostile
//! sources (huge, deep, binary, FIFOs, symlink loops). The per-rule cases are the
//! fixtures under `tests/fixtures/rules/SRM05x/` (run by `tests/rules.rs`).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Run, Scratch, TODAY, check_json, json, repo_root, srmlint};

const KAFKA_TF: &str = r#"resource "exoscale_compute_instance" "web" {
  zone = "ch-gva-2"
}

resource "exoscale_dbaas" "events" {
  zone = "ch-gva-2"
  type = "kafka"
}
"#;

fn controls(terraform: &str) -> String {
    format!(
        "[deployment]\nname = \"shop\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n{terraform}\n"
    )
}

fn check(cwd: &Path, extra: &[&str]) -> Run {
    common::check(cwd, &[&["--color", "never"], extra].concat())
}

fn srmlint_in(cwd: &Path, args: &[&str]) -> Run {
    srmlint().current_dir(cwd).args(args).run()
}

/// A repository whose Terraform creates Kafka, which its controls file does not declare.
fn kafka_repo(name: &str) -> Scratch {
    let repo = Scratch::git_root(name);
    repo.write("controls.toml", controls("terraform = [\"infra\"]"));
    repo.write("infra/main.tf", KAFKA_TF);
    repo
}

#[test]
fn an_undeclared_service_fails_the_run_and_points_into_the_tf_file_in_every_format() {
    let repo = kafka_repo("tf-every-format");
    let run = check(&repo.root, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let found = run.with_code("SRM050");
    assert_eq!(found.len(), 1, "{}", run.stdout);
    let finding = &found[0];
    assert_eq!(finding["file"], "infra/main.tf");
    assert_eq!(
        (finding["line"].as_u64(), finding["column"].as_u64()),
        (Some(5), Some(1))
    );
    assert_eq!(finding["end_column"].as_u64(), Some(35));
    assert_eq!(finding["control"], serde_json::Value::Null);
    let message = finding["message"].as_str().unwrap();
    assert!(
        message.contains("`exoscale_dbaas.events` creates `dbaas-kafka`"),
        "{message}"
    );
    assert!(message.contains("`controls.toml`"), "{message}");
    assert!(
        finding["help"]
            .as_str()
            .unwrap()
            .contains("\"dbaas-kafka\"")
    );
    // The run lists the controls file it checked, not the Terraform files.
    assert_eq!(
        json(&run.stdout)["files"],
        serde_json::json!(["controls.toml"])
    );

    let concise = check(&repo.root, &["--format", "concise"]);
    assert!(
        concise.stdout.contains(
            "infra/main.tf:5:1: error[SRM050] `exoscale_dbaas.events` creates `dbaas-kafka`"
        ),
        "{}",
        concise.stdout
    );

    let sarif = json(&check(&repo.root, &["--format", "sarif"]).stdout);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let result = results.iter().find(|r| r["ruleId"] == "SRM050").unwrap();
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "infra/main.tf");
    assert_eq!(location["region"]["startLine"], 5);

    let github = check(&repo.root, &["--format", "github"]).stdout;
    assert!(
        github.contains("::error file=infra/main.tf,line=5,col=1,endLine=5,endColumn=35,title=SRM050 undeclared-service::"),
        "{github}"
    );

    let gitlab = json(&check(&repo.root, &["--format", "gitlab"]).stdout);
    let issue = gitlab
        .as_array()
        .unwrap()
        .iter()
        .find(|issue| issue["check_name"] == "SRM050")
        .unwrap();
    assert_eq!(issue["location"]["path"], "infra/main.tf");
    assert_eq!(issue["location"]["lines"]["begin"], 5);

    let junit = check(&repo.root, &["--format", "junit"]).stdout;
    assert!(
        junit.contains("infra/main.tf:5:1: error[SRM050]"),
        "{junit}"
    );

    // The human format quotes the Terraform file, not the controls file.
    let human = check(&repo.root, &[]).stdout;
    assert!(human.contains("╭─[infra/main.tf:5:1]"), "{human}");
    assert!(
        human.contains(r#"resource "exoscale_dbaas" "events" {"#),
        "{human}"
    );
    assert!(human.contains("creates dbaas-kafka"), "{human}");
}

#[test]
fn declaring_the_service_makes_the_terraform_check_pass() {
    let repo = kafka_repo("tf-declared");
    repo.write(
        "controls.toml",
        controls("terraform = [\"infra\"]")
            .replace("[\"compute\"]", "[\"compute\", \"dbaas-kafka\"]"),
    );
    let run = check(&repo.root, &["--format", "json"]);
    for code in ["SRM050", "SRM051", "SRM052", "SRM053", "SRM054", "SRM055"] {
        assert!(run.with_code(code).is_empty(), "{code}: {}", run.stdout);
    }
}

#[test]
fn the_terraform_option_applies_to_every_file_checked() {
    let repo = Scratch::git_root("tf-option");
    repo.write("a/controls.toml", controls(""));
    repo.write("b/controls.toml", controls(""));
    repo.write("infra/main.tf", KAFKA_TF);
    let run = check(&repo.root, &["--terraform", "infra", "--format", "json"]);
    assert_eq!(run.code, 1);
    let found = run.with_code("SRM050");
    assert_eq!(found.len(), 2, "{}", run.stdout);
    for (finding, controls) in found.iter().zip(["a/controls.toml", "b/controls.toml"]) {
        assert_eq!(finding["file"], "infra/main.tf");
        assert!(
            finding["message"].as_str().unwrap().contains(controls),
            "{finding}"
        );
    }
    // Relative to the working directory, not to each controls file.
    let run = check(
        &repo.root.join("a"),
        &["--terraform", "../infra", "--format", "json"],
    );
    assert_eq!(run.with_code("SRM050")[0]["file"], "../infra/main.tf");
    // The two findings keep distinct identities for code scanning.
    let sarif = json(&check(&repo.root, &["--terraform", "infra", "--format", "sarif"]).stdout);
    let fingerprints: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|result| result["ruleId"] == "SRM050")
        .map(|result| &result["partialFingerprints"]["srmlint-fingerprint/v1"])
        .collect();
    assert_eq!(fingerprints.len(), 2);
    assert_ne!(fingerprints[0], fingerprints[1]);
}

#[test]
fn a_terraform_option_that_is_no_source_is_exit_2() {
    let repo = kafka_repo("tf-option-bad");
    let run = check(&repo.root, &["--terraform", "nowhere"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("cannot read `--terraform nowhere`"),
        "{}",
        run.stderr
    );
    let run = check(&repo.root, &["--terraform", "/dev/null"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not a folder of `.tf` files"),
        "{}",
        run.stderr
    );
}

#[test]
fn init_from_terraform_writes_a_file_that_passes_the_terraform_rules() {
    let repo = Scratch::git_root("tf-init");
    repo.write(
        "infra/main.tf",
        r#"variable "zone" {
  default = "de-fra-1"
}

resource "exoscale_sks_cluster" "main" {
  zone = var.zone
}

resource "exoscale_sks_nodepool" "workers" {
  zone = exoscale_sks_cluster.main.zone
}

resource "exoscale_domain" "site" {
  name = "shop.example"
}

module "db" {
  source = "./modules/db"
  zone   = "de-muc-1"
}
"#,
    );
    repo.write(
        "infra/modules/db/main.tf",
        "variable \"zone\" {}\nresource \"exoscale_dbaas\" \"pg\" {\n  zone = var.zone\n  type = \"pg\"\n}\n",
    );
    std::fs::create_dir_all(repo.path("team")).unwrap();
    let run = srmlint_in(
        &repo.root,
        &[
            "init",
            "--terraform",
            "infra",
            "--output",
            "team/controls.toml",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_to_string(repo.path("team/controls.toml")).unwrap();
    assert!(
        written.contains(
            "services = [\"dbaas-pg\", \"dns\", \"sks\"]\nzones = [\"de-fra-1\", \"de-muc-1\"]\n"
        ),
        "{written}"
    );
    // The source as the new file names it: relative to its own folder.
    assert!(
        written.contains("terraform = [\"../infra\"]\n"),
        "{written}"
    );
    let check_run = check(&repo.root, &["team/controls.toml", "--format", "json"]);
    for code in ["SRM050", "SRM051", "SRM052", "SRM053", "SRM054"] {
        assert!(
            check_run.with_code(code).is_empty(),
            "{code}: {}",
            check_run.stdout
        );
    }
}

#[test]
fn init_from_a_plan_takes_instances_and_refuses_a_broken_source() {
    let repo = Scratch::git_root("tf-init-plan");
    let plan =
        std::fs::read_to_string(repo_root().join("examples/acme-org/terraform/plan.json")).unwrap();
    repo.write("plan.json", &plan);
    let run = srmlint_in(
        &repo.root,
        &["init", "--terraform", "plan.json", "--output", "-"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "services = [\"compute\", \"dbaas-pg\", \"kms\", \"object-storage\", \"private-network\", \"security-groups\"]\nzones = [\"ch-dk-2\", \"ch-gva-2\"]\nterraform = [\"plan.json\"]\n"
        ),
        "{}",
        run.stdout
    );
    repo.write(
        "broken/main.tf",
        "resource \"exoscale_nlb\" \"x\" {\n  zone =\n}\n",
    );
    let run = srmlint_in(
        &repo.root,
        &["init", "--terraform", "broken", "--output", "-"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("broken/main.tf:2: `broken/main.tf` is not valid HCL"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn the_report_lists_the_terraform_sources_and_resources_per_service() {
    let run = srmlint_in(
        repo_root(),
        &[
            "report",
            "examples/acme-org",
            "--format",
            "json",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = json(&run.stdout);
    let terraform = &report["deployments"][0]["terraform"];
    let sources = terraform["sources"].as_array().unwrap();
    assert_eq!(sources[0]["path"], "examples/acme-org/terraform");
    assert_eq!(sources[0]["kind"], "module");
    assert!(
        sources[0]["files"]
            .as_array()
            .unwrap()
            .contains(&"examples/acme-org/terraform/modules/postgres/main.tf".into())
    );
    assert_eq!(sources[1]["kind"], "plan");
    let services = terraform["services"].as_array().unwrap();
    let kms = services.iter().find(|s| s["id"] == "kms").unwrap();
    assert_eq!(kms["declared"], true);
    assert_eq!(kms["resources"][0]["address"], "exoscale_kms_key.records");
    assert_eq!(kms["resources"][0]["zone"], "ch-gva-2");
    assert!(kms["resources"][0].get("global").is_none());
    // A security group runs in no zone: its null zone is not one left unread.
    let groups = services.iter().find(|s| s["id"] == "security-groups");
    let group = &groups.unwrap()["resources"][0];
    assert!(
        group["zone"].is_null() && group["global"] == true,
        "{group}"
    );
    // The plan has both instances of `count = 2`, and alone says what exists: the
    // `.tf` folder beside it does not count the block again.
    let compute = services.iter().find(|s| s["id"] == "compute").unwrap();
    let addresses: Vec<&str> = compute["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        addresses,
        [
            "exoscale_compute_instance.web[0]",
            "exoscale_compute_instance.web[1]"
        ]
    );
    // Markdown and HTML show the same: the sources, then every resource by service,
    // an undeclared service marked, and findings placed in the `.tf` file.
    let repo = kafka_repo("tf-report");
    for format in ["markdown", "html"] {
        let run = srmlint_in(
            &repo.root,
            &["report", "--format", format, "--today", TODAY],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let page = &run.stdout;
        assert!(page.contains("Terraform"), "{format}: {page}");
        assert!(page.contains("exoscale_dbaas.events"), "{format}");
        assert!(page.contains("infra/main.tf:5"), "{format}: {page}");
        let kafka_row = page
            .lines()
            .find(|line| line.contains("exoscale_dbaas.events"))
            .unwrap();
        assert!(
            kafka_row.to_lowercase().contains("not declared"),
            "{format}: {kafka_row}"
        );
        let gap = page
            .lines()
            .find(|line| line.contains("SRM050"))
            .unwrap_or_else(|| panic!("{format}: no SRM050 line"));
        assert!(
            gap.contains("infra/main.tf:5") && !gap.contains("controls.toml:"),
            "{format}: the SRM050 gap points into the Terraform: {gap}"
        );
    }
    // A deployment without Terraform has none.
    let run = srmlint_in(
        repo_root(),
        &[
            "report",
            "examples/clinic",
            "--format",
            "json",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(
        json(&run.stdout)["deployments"][0]["terraform"],
        serde_json::Value::Null
    );
}

#[test]
fn every_tf_fixture_and_example_is_valid_hcl_except_the_invalid_ones() {
    let mut checked = 0;
    for root in ["tests/fixtures", "examples"] {
        for entry in walkdir::WalkDir::new(repo_root().join(root)) {
            let entry = entry.unwrap();
            let path = entry.path();
            if path.extension().is_none_or(|ext| ext != "tf") {
                continue;
            }
            checked += 1;
            let text = std::fs::read_to_string(path).unwrap();
            let parsed = srmlint::input::terraform::parses(&text);
            let meant_invalid = path.file_name().unwrap() == "invalid.tf";
            assert_eq!(
                parsed.is_ok(),
                !meant_invalid,
                "{}: {parsed:?}",
                path.display()
            );
        }
    }
    assert!(checked > 20, "only {checked} .tf files");
}

/// The SRM053 messages of a JSON run.
fn invalid(run: &Run) -> Vec<String> {
    run.with_code("SRM053")
        .iter()
        .map(|d| {
            format!(
                "{}: {}",
                d["file"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_are_never_followed_or_printed() {
    use std::os::unix::fs::symlink;
    let outside = Scratch::outside_repository("tf-outside-target");
    outside.write(
        "main.tf",
        "resource \"exoscale_dbaas\" \"secret\" {\n  zone = \"TOP-SECRET-ZONE\"\n  type = \"kafka\"\n}\n",
    );
    let repo = Scratch::git_root("tf-symlinks-out");
    repo.write(
        "controls.toml",
        controls("terraform = [\"linked\", \"infra\"]"),
    );
    symlink(&outside.root, repo.path("linked")).unwrap();
    repo.write(
        "infra/main.tf",
        "module \"m\" {\n  source = \"./m\"\n}\nresource \"exoscale_compute_instance\" \"a\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    symlink(&outside.root, repo.path("infra/m")).unwrap();
    symlink(outside.path("main.tf"), repo.path("infra/stolen.tf")).unwrap();
    symlink("/dev/zero", repo.path("infra/zero.tf")).unwrap();
    let run = check(&repo.root, &["--format", "json"]);
    assert_eq!(run.code, 1);
    let messages = invalid(&run);
    assert!(
        messages.contains(&"controls.toml: the Terraform source `linked` leads outside the repository through a symlink (`linked`)".to_owned()),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with(
            "infra/main.tf: the source `./m` of `module.m` leads outside the repository"
        )),
        "{messages:?}"
    );
    for file in ["stolen.tf", "zero.tf"] {
        assert!(
            messages.contains(&format!("infra/{file}: `infra/{file}` cannot be read: leads outside the repository through a symlink (`infra/{file}`)")),
            "{messages:?}"
        );
    }
    assert!(!run.stdout.contains("TOP-SECRET"), "{}", run.stdout);
    let human = check(&repo.root, &[]);
    assert!(!human.stdout.contains("TOP-SECRET"), "{}", human.stdout);
}

/// Override files change the blocks of the module's other files, as Terraform merges
/// them, instead of adding resources of their own; one that overrides nothing is an
/// error, as Terraform says.
#[test]
fn override_files_change_the_blocks_they_name() {
    let repo = Scratch::git_root("tf-override-files");
    repo.write("controls.toml", controls("terraform = [\"infra\"]"));
    repo.write(
        "infra/main.tf",
        r#"variable "db_zone" {
  default = "ch-gva-2"
}

locals {
  worker_zone = "ch-gva-2"
}

resource "exoscale_compute_instance" "web" {
  zone = "ch-gva-2"
}

resource "exoscale_compute_instance" "worker" {
  zone = local.worker_zone
}

resource "exoscale_dbaas" "db" {
  zone = var.db_zone
  type = "pg"
}
"#,
    );
    repo.write(
        "infra/override.tf",
        r#"resource "exoscale_compute_instance" "web" {
  zone = "de-fra-1"
}

locals {
  worker_zone = "at-vie-1"
}

variable "db_zone" {
  default = "bg-sof-1"
}
"#,
    );
    repo.write(
        "infra/z_override.tf",
        "resource \"exoscale_dbaas\" \"db\" {\n  type = \"kafka\"\n}\n",
    );
    repo.write(
        "infra/lonely_override.tf",
        "resource \"exoscale_nlb\" \"front\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    let run = check(&repo.root, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let placed = |code: &str| -> Vec<String> {
        run.with_code(code)
            .iter()
            .map(|d| {
                format!(
                    "{}:{}: {}",
                    d["file"].as_str().unwrap(),
                    d["line"],
                    d["message"].as_str().unwrap()
                )
            })
            .collect()
    };
    // Each zone as the override file set it, found where it is written; one resource
    // per block, not two.
    assert_eq!(
        placed("SRM052"),
        [
            "infra/main.tf:14: `exoscale_compute_instance.worker` runs in `at-vie-1` (from `local.worker_zone`, set at infra/override.tf:6), which `controls.toml` does not list in `zones`",
            "infra/main.tf:18: `exoscale_dbaas.db` runs in `bg-sof-1` (from `var.db_zone`, set at infra/override.tf:10), which `controls.toml` does not list in `zones`",
            "infra/override.tf:2: `exoscale_compute_instance.web` runs in `de-fra-1`, which `controls.toml` does not list in `zones`",
        ]
    );
    // The type the later override file gave, at the block that defines the resource.
    assert_eq!(
        placed("SRM050"),
        [
            "infra/main.tf:17: `exoscale_dbaas.db` creates `dbaas-kafka`, which `controls.toml` does not list in `services`, so none of its obligations are checked"
        ]
    );
    assert_eq!(
        invalid(&run),
        [
            "infra/lonely_override.tf: `infra/lonely_override.tf` overrides resource \"exoscale_nlb\" \"front\", which no other file of the module defines"
        ]
    );
}

/// A source folder is opened directly only when no link lies on the way; a way
/// through links that stay inside must read the same, and one that leaves must not.
#[cfg(unix)]
#[test]
fn sources_through_links_inside_the_repository_read_as_plain_ones() {
    use std::os::unix::fs::symlink;
    let outside = Scratch::outside_repository("tf-links-inside-outside");
    outside.write("infra/main.tf", KAFKA_TF);
    let repo = Scratch::git_root("tf-links-inside");
    repo.write("real/infra/main.tf", KAFKA_TF);
    // The last part a link, a part on the way a link, an absolute link, and a part on
    // the way that leads out.
    symlink("real/infra", repo.path("alias")).unwrap();
    symlink("real", repo.path("via")).unwrap();
    symlink(repo.path("real/infra"), repo.path("absolute")).unwrap();
    symlink(&outside.root, repo.path("away")).unwrap();
    repo.write(
        "controls.toml",
        controls(
            "terraform = [\"real/infra\", \"alias\", \"via/infra\", \"absolute\", \"away/infra\"]",
        ),
    );
    let run = check(&repo.root, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    // One finding for the service, at its resource: the three ways through links
    // that stay inside lead to the same folder, which is read (and counted) once, as
    // a folder named twice is.
    let found = run.with_code("SRM050");
    assert_eq!(found.len(), 1, "{}", run.stdout);
    assert_eq!(found[0]["file"], "real/infra/main.tf");
    assert!(
        !found[0]["message"]
            .as_str()
            .unwrap()
            .contains("more resources create it"),
        "{}",
        found[0]["message"]
    );
    assert_eq!(
        invalid(&run),
        [
            "controls.toml: the Terraform source `away/infra` leads outside the repository through a symlink (`away`)"
        ]
    );
}

/// Controls files outside any repository are each their own root: a run over many
/// must not keep a descriptor open per root until the process runs out of them.
#[cfg(unix)]
#[test]
fn many_roots_never_exhaust_open_files() {
    let tree = Scratch::outside_repository("tf-many-roots");
    for index in 0..120 {
        tree.write(
            format!("service-{index}/controls.toml"),
            controls("terraform = [\"terraform\"]"),
        );
        tree.write(
            format!("service-{index}/terraform/main.tf"),
            "resource \"exoscale_compute_instance\" \"web\" {\n  zone = \"ch-gva-2\"\n}\n",
        );
    }
    let binary = env!("CARGO_BIN_EXE_srmlint");
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n 48 && exec '{binary}' check . --format json --today {TODAY}"
        ))
        .current_dir(&tree.root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        !stdout.contains("Too many open files") && !stderr.contains("Too many open files"),
        "{stdout}{stderr}"
    );
    let report = json(&stdout);
    assert_eq!(report["summary"]["files"], 120, "{stdout}");
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap())
        .collect();
    assert!(codes.iter().all(|code| *code == "SRM001"), "{codes:?}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_findings() {
    use std::os::unix::fs::symlink;
    let repo = Scratch::git_root("tf-symlink-loops");
    repo.write(
        "controls.toml",
        controls("terraform = [\"loop\", \"infra\"]"),
    );
    symlink("loop", repo.path("loop")).unwrap();
    repo.write(
        "infra/main.tf",
        "resource \"exoscale_compute_instance\" \"a\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    symlink("again.tf", repo.path("infra/again.tf")).unwrap();
    symlink("nowhere.tf", repo.path("infra/dangling.tf")).unwrap();
    let run = check(&repo.root, &["--format", "json"]);
    let messages = invalid(&run);
    assert!(
        messages
            .iter()
            .any(|m| m == "controls.toml: the Terraform source `loop` cannot be resolved (symbolic links that loop)"),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m == "infra/again.tf: `infra/again.tf` cannot be read: cannot be resolved (symbolic links that loop)"),
        "{messages:?}"
    );
    // A link to nothing is said to be dangling, not taken for a loop.
    assert!(
        messages.iter().any(|m| m
            == "infra/dangling.tf: `infra/dangling.tf` cannot be read: is a dangling symlink (what it points at does not exist)"),
        "{messages:?}"
    );
}

#[cfg(unix)]
#[test]
fn fifos_named_as_sources_are_never_opened() {
    let repo = Scratch::git_root("tf-fifo");
    repo.write(
        "controls.toml",
        controls("terraform = [\"pipe.json\", \"infra\"]"),
    );
    repo.write(
        "infra/main.tf",
        "resource \"exoscale_compute_instance\" \"a\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    for fifo in ["pipe.json", "infra/pipe.tf"] {
        let status = Command::new("mkfifo")
            .arg(repo.path(fifo))
            .status()
            .unwrap();
        assert!(status.success(), "mkfifo {fifo}");
    }
    // A FIFO opened for reading would block forever: the shared runner's deadline
    // turns that into a failure.
    let run = check_json(&repo, &[]);
    let messages = invalid(&run);
    assert!(
        messages.contains(&"controls.toml: the Terraform source `pipe.json` is not a folder or a regular file (a device, FIFO or socket is never opened)".to_owned()),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with(
            "infra/pipe.tf: `infra/pipe.tf` cannot be read: not a regular file (a named pipe)"
        )),
        "{messages:?}"
    );
}

#[test]
fn huge_deep_and_binary_sources_are_findings() {
    let repo = Scratch::git_root("tf-hostile");
    repo.write(
        "controls.toml",
        controls("terraform = [\"huge\", \"deep\", \"binary\", \"deep.json\", \"huge.json\"]"),
    );
    let huge = format!("# {}\n", "x".repeat(4 * 1024 * 1024));
    repo.write("huge/main.tf", &huge);
    let deep = format!(
        "locals {{\n  zone = {}{}\n}}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    repo.write("deep/main.tf", &deep);
    let path: PathBuf = repo.path("binary/main.tf");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"resource \"exoscale_nlb\" \"\xff\xfe\" {}\n").unwrap();
    repo.write(
        "deep.json",
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    );
    // A plan may be larger than a controls file, but not without bound.
    let big_plan = format!(
        "{{\"format_version\":\"1.0\",\"x\":\"{}\"}}",
        "y".repeat(65 * 1024 * 1024)
    );
    repo.write("huge.json", &big_plan);
    // A hang would be caught by the runner's deadline; speed is measured in bench/.
    let run = check(&repo.root, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let messages = invalid(&run);
    let expect = [
        "huge/main.tf: `huge/main.tf` cannot be read: the file is larger than 4 MiB",
        "deep/main.tf: `deep/main.tf` is not valid HCL",
        "binary/main.tf: `binary/main.tf` cannot be read: the file is not UTF-8",
        "deep.json: `deep.json` is not valid JSON: nested deeper than 128 levels",
        "huge.json: `huge.json` cannot be read: the file is larger than 64 MiB",
    ];
    for start in expect {
        assert!(
            messages.iter().any(|m| m.starts_with(start)),
            "{start}\n{messages:?}"
        );
    }
}

#[test]
fn modules_are_instantiated_per_call_with_their_literal_inputs() {
    let repo = Scratch::git_root("tf-module-calls");
    repo.write(
        "controls.toml",
        controls("terraform = [\"infra\"]").replace("[\"compute\"]", "[\"dbaas-pg\"]"),
    );
    repo.write(
        "infra/main.tf",
        "module \"geneva\" {\n  source = \"./db\"\n  zone   = \"ch-gva-2\"\n}\n\nmodule \"vienna\" {\n  source = \"./db\"\n  zone   = \"at-vie-1\"\n}\n",
    );
    repo.write(
        "infra/db/main.tf",
        "variable \"zone\" {\n  type = string\n}\n\nresource \"exoscale_dbaas\" \"pg\" {\n  zone = var.zone\n  type = \"pg\"\n}\n",
    );
    let run = check(&repo.root, &["--format", "json"]);
    let zones = run.with_code("SRM052");
    assert_eq!(zones.len(), 1, "{}", run.stdout);
    let message = zones[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("`module.vienna.exoscale_dbaas.pg` runs in `at-vie-1` (from `var.zone`, set at infra/main.tf:8)"),
        "{message}"
    );
    assert_eq!(zones[0]["file"], "infra/db/main.tf");
    assert_eq!(zones[0]["line"], 6);
}

#[test]
fn modules_that_fan_out_are_cut_off_before_they_copy_resources_without_end() {
    // Each module calls the next twice, and the last holds 400 resources: followed
    // whole, 2^8 × 400 = 102,400 resource copies (in 511 instances, under the cap on
    // instances) from 1,200 lines of HCL.
    let repo = Scratch::git_root("tf-fan-out");
    repo.write("controls.toml", controls("terraform = [\"infra\"]"));
    repo.write("infra/main.tf", "module \"a\" {\n  source = \"./m0\"\n}\n");
    for level in 0..8 {
        let next = level + 1;
        repo.write(
            format!("infra/m{level}/main.tf"),
            format!(
                "module \"a\" {{\n  source = \"../m{next}\"\n}}\nmodule \"b\" {{\n  source = \"../m{next}\"\n}}\n"
            ),
        );
    }
    let resources: String = (0..400)
        .map(|n| {
            format!(
                "resource \"exoscale_compute_instance\" \"r{n}\" {{\n  zone = \"ch-gva-2\"\n}}\n"
            )
        })
        .collect();
    repo.write("infra/m8/main.tf", resources);
    let run = check(&repo.path(""), &["controls.toml", "--format", "json"]);
    let cut = invalid(&run);
    assert!(
        cut.iter()
            .any(|problem| problem.contains("more than 100000 resources from module instances")),
        "{cut:?}"
    );
    let listed = run.json()["diagnostics"].as_array().unwrap().len();
    assert!(listed < 2000, "{listed} diagnostics");
}

#[test]
fn shown_paths_are_joined_and_normalised() {
    use srmlint::input::terraform::shown_join;
    assert_eq!(
        shown_join("examples/acme", "terraform"),
        "examples/acme/terraform"
    );
    assert_eq!(shown_join(".", "./terraform/"), "terraform");
    assert_eq!(shown_join("a/b", "../infra"), "a/infra");
    assert_eq!(shown_join("..", "../x"), "../../x");
    assert_eq!(shown_join("a", ".."), ".");
    assert_eq!(shown_join("/srv/repo", "../x"), "/srv/x");
}
