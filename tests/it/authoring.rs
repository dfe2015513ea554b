//! The authoring commands as a user runs them: `init`, `explain`, `rules`, `schema`,
//! `completions`, `man`, and the examples in every command's `--help`.

use crate::common;

use common::{Scratch, check_json, repo_root, srmlint};

/// The codes SRM038 stands in for on an untouched claim.
const HYGIENE_PLACEHOLDER_CODES: &[&str] = &["SRM030", "SRM031", "SRM036"];

/// An untouched starter file fails `check` (SRM038 on every claim, nothing else), so it
/// can never pass CI; once its claims are filled in, it passes.
#[test]
fn init_writes_a_file_that_fails_check_until_its_claims_are_filled_in() {
    let deployments: &[&[&str]] = &[
        &["--services", "compute", "--zones", "de-fra-1"],
        &[
            "--services",
            "dbaas-pg",
            "--zones",
            "ch-gva-2",
            "--residency",
            "CH",
        ],
        &[
            "--services",
            "compute,object-storage,dbaas-pg",
            "--zones",
            "ch-gva-2,at-vie-1",
            "--residency",
            "EEA+CH",
            "--regulated",
            "healthcare",
        ],
        &[
            "--services",
            "sks,block-storage,private-network,security-groups,load-balancer,kms,dbaas-kafka,dbaas-valkey",
            "--zones",
            "de-muc-1",
            "--residency",
            "EEA",
        ],
    ];
    for (index, flags) in deployments.iter().enumerate() {
        let dir = Scratch::outside_repository(&format!("init-check-{index}"));
        let mut args = vec!["init"];
        args.extend_from_slice(flags);
        let output = srmlint().current_dir(&dir.root).args(&args).run();
        assert_eq!(output.code, 0, "{flags:?}: {}", output.stderr);
        let text = std::fs::read_to_string(dir.path("controls.toml")).unwrap();
        assert!(
            text.starts_with("#:schema ./controls.schema.json\n"),
            "{text}"
        );

        let run = check_json(&dir, &["controls.toml"]);
        let (report, code) = (run.json(), run.code);
        assert_eq!(code, 1, "{flags:?}: an untouched file fails: {report:#}");
        let claims = text.matches("accountable = \"TODO\"").count();
        assert!(claims > 0);
        let diagnostics = report["diagnostics"].as_array().unwrap();
        assert_eq!(diagnostics.len(), claims, "{flags:?}: {report:#}");
        for diagnostic in diagnostics {
            let code = diagnostic["code"].as_str().unwrap();
            assert_eq!(code, "SRM038", "{flags:?}: {diagnostic:#}");
            assert!(!HYGIENE_PLACEHOLDER_CODES.contains(&code));
        }
        // Filled in, the same file passes.
        let filled = text
            .replace(
                "accountable = \"TODO\"",
                "accountable = \"sre@shop.example\"",
            )
            .replace(
                "evidence = []",
                "evidence = [\"https://wiki.shop.example/controls\"]",
            );
        dir.write("controls.toml", filled);
        let run = check_json(&dir, &["controls.toml"]);
        let (report, code) = (run.json(), run.code);
        assert_eq!(code, 0, "{flags:?}: {report:#}");
        assert_eq!(report["summary"]["errors"], 0, "{flags:?}: {report:#}");
    }
}

#[test]
fn init_claims_what_the_deployment_owes_and_acknowledges_the_rest() {
    let dir = Scratch::outside_repository("init-content");
    let output = srmlint()
        .current_dir(&dir.root)
        .args([
            "init",
            "--services",
            "compute",
            "--zones",
            "de-fra-1",
            "--name",
            "shop",
            "--output",
            "-",
        ])
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    let text = output.stdout;
    // Compute alone: the provider encrypts nothing at rest, so the control is the customer's.
    assert!(
        text.contains(
            "[controls.encryption-at-rest]\nowner = \"customer\"\naccountable = \"TODO\"\nevidence = []\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("[controls.encryption-in-transit]\nowner = \"shared\"\n"),
        "{text}"
    );
    // The scope of the customer's part is written above the entry.
    assert!(
        text.contains("# IaaS, you: back up your data and restore it"),
        "{text}"
    );
    assert!(
        text.contains("[controls.physical-security]\nowner = \"exoscale\"\n"),
        "{text}"
    );
    assert!(text.contains("name = \"shop\"\n"), "{text}");
    assert!(
        !dir.path("controls.toml").exists(),
        "`--output -` writes no file"
    );

    let with_object_storage = srmlint()
        .current_dir(&dir.root)
        .args([
            "init",
            "--services",
            "compute,object-storage",
            "--zones",
            "de-fra-1",
            "--output",
            "-",
        ])
        .run();
    assert!(
        with_object_storage
            .stdout
            .contains("[controls.encryption-at-rest]\nowner = \"shared\"\n"),
        "object storage adds the provider's part"
    );

    let dbaas_only = srmlint()
        .current_dir(&dir.root)
        .args([
            "init",
            "--services",
            "dbaas-pg",
            "--zones",
            "de-fra-1",
            "--output",
            "-",
        ])
        .run();
    assert!(
        !dbaas_only.stdout.contains("workload-operations"),
        "a control no model in use involves is left out"
    );

    let elsewhere = srmlint()
        .current_dir(&dir.root)
        .args([
            "init",
            "--services",
            "compute",
            "--zones",
            "de-fra-1",
            "--schema",
            "../controls.schema.json",
            "--output",
            "-",
        ])
        .run();
    assert!(
        elsewhere
            .stdout
            .starts_with("#:schema ../controls.schema.json\n")
    );
    let injected = srmlint()
        .current_dir(&dir.root)
        .args([
            "init",
            "--services",
            "compute",
            "--zones",
            "de-fra-1",
            "--schema",
            "x\n[evil]",
            "--output",
            "-",
        ])
        .run();
    assert_eq!(injected.code, 2, "a line break cannot end the directive");
}

#[test]
fn init_never_overwrites_without_force() {
    let dir = Scratch::outside_repository("init-force");
    let original = b"# my hand-written controls\n[deployment]\nservices = [\"compute\"]\n";
    let target = dir.path("controls.toml");
    std::fs::write(&target, original).unwrap();

    let refused = srmlint()
        .current_dir(&dir.root)
        .args(["init", "--services", "compute", "--zones", "de-fra-1"])
        .run();
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("`controls.toml` already exists; pass `--force`"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read(&target).unwrap(),
        original,
        "left byte-for-byte untouched"
    );

    let forced = srmlint()
        .current_dir(&dir.root)
        .args([
            "init",
            "--services",
            "compute",
            "--zones",
            "de-fra-1",
            "--force",
        ])
        .run();
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    let replaced = std::fs::read_to_string(&target).unwrap();
    assert!(replaced.contains("[controls.backup-restore]"), "{replaced}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir.root)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "controls.toml" && name != "controls.schema.json")
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file is left: {leftovers:?}"
    );
    // The schema the file's `#:schema` line points at lies beside it.
    assert!(replaced.starts_with("#:schema ./controls.schema.json\n"));
    assert!(dir.path("controls.schema.json").is_file());
}

#[test]
fn init_lists_services_and_zones_and_rejects_unknown_ones() {
    let dir = Scratch::outside_repository("init-bad");
    let no_services = srmlint().current_dir(&dir.root).args(["init"]).run();
    assert_eq!(no_services.code, 2);
    let message = no_services.stderr;
    assert!(message.contains("--services"), "{message}");
    assert!(
        message.contains("dbaas-pg") && message.contains("Managed PostgreSQL"),
        "{message}"
    );

    let no_zones = srmlint()
        .current_dir(&dir.root)
        .args(["init", "--services", "compute"])
        .run();
    assert_eq!(no_zones.code, 2);
    assert!(
        no_zones.stderr.contains("ch-gva-2  Geneva, CH"),
        "{}",
        no_zones.stderr
    );

    let typo = srmlint()
        .current_dir(&dir.root)
        .args([
            "init",
            "--services",
            "compute,dbaas-pq",
            "--zones",
            "ch-gva-2",
        ])
        .run();
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr
            .contains("unknown service `dbaas-pq`; did you mean `dbaas-pg`?"),
        "{}",
        typo.stderr
    );
    // Another name for a service is suggested as that service, as `check` does: `k8s`
    // is SKS, not the nearest spelling (`kms`).
    for (word, meant) in [
        ("k8s", "sks"),
        ("s3", "object-storage"),
        ("kafka", "dbaas-kafka"),
    ] {
        let alias = srmlint()
            .current_dir(&dir.root)
            .args(["init", "--services", word, "--zones", "ch-gva-2"])
            .run();
        assert_eq!(alias.code, 2);
        assert!(
            alias.stderr.contains(&format!(
                "unknown service `{word}`; did you mean `{meant}`? (`{word}` is another name for it)"
            )),
            "{}",
            alias.stderr
        );
    }

    let zone = srmlint()
        .current_dir(&dir.root)
        .args(["init", "--services", "compute", "--zones", "ch-gva-3"])
        .run();
    assert!(
        zone.stderr
            .contains("unknown zone `ch-gva-3`; did you mean `ch-gva-2`?"),
        "{}",
        zone.stderr
    );

    let outside = srmlint()
        .current_dir(&dir.root)
        .args([
            "init",
            "--services",
            "compute",
            "--zones",
            "de-fra-1",
            "--residency",
            "CH",
        ])
        .run();
    assert_eq!(outside.code, 2);
    assert!(
        outside
            .stderr
            .contains("zone `de-fra-1` is in DE, outside the residency `CH`"),
        "{}",
        outside.stderr
    );
    assert!(
        !dir.path("controls.toml").exists(),
        "nothing is written on error"
    );
}

#[test]
fn explain_prints_a_rule_by_code_or_name() {
    let by_code = srmlint().args(["explain", "SRM001"]).run();
    assert_eq!(by_code.code, 0);
    let text = by_code.stdout;
    assert!(
        text.starts_with("SRM001 unclaimed-customer-control (error)\n"),
        "{text}"
    );
    for section in [
        "## What it checks",
        "## Why it matters",
        "## Example",
        "## Use instead",
        "## References",
    ] {
        assert!(text.contains(section), "missing {section}:\n{text}");
    }
    let by_name = srmlint()
        .args(["explain", "unclaimed-customer-control"])
        .run();
    assert_eq!(by_name.stdout, text);
}

#[test]
fn explain_prints_what_the_matrix_says_of_a_control() {
    let output = srmlint().args(["explain", "encryption-at-rest"]).run();
    assert_eq!(output.code, 0);
    let text = output.stdout;
    assert!(
        text.starts_with("encryption-at-rest — Encryption at rest\n"),
        "{text}"
    );
    assert!(text.contains("§3, row “Encryption at rest”"), "{text}");
    assert!(text.contains("IaaS: customer\n"), "{text}");
    assert!(text.contains("DBaaS: shared\n"), "{text}");
    assert!(
        text.contains("exists only when object-storage is in use"),
        "{text}"
    );
    assert!(text.contains("A.8.24  Use of cryptography"), "{text}");
    assert!(
        text.contains("Exoscale: ISO 27001, SOC 2, C5, HDS"),
        "{text}"
    );
}

#[test]
fn explain_an_unknown_name_suggests_the_closest() {
    let output = srmlint().args(["explain", "backup-restor"]).run();
    assert_eq!(output.code, 2);
    assert!(
        output.stderr.contains("did you mean `backup-restore`?"),
        "{}",
        output.stderr
    );
    let code = srmlint().args(["explain", "SRM04"]).run();
    assert_eq!(code.code, 2);
    assert!(
        code.stderr.contains("did you mean `SRM004`?"),
        "{}",
        code.stderr
    );
}

#[test]
fn rules_lists_every_rule_as_a_table_and_as_json() {
    let table = srmlint().args(["rules"]).run();
    assert_eq!(table.code, 0);
    let text = table.stdout;
    let header = text.lines().next().unwrap();
    assert!(
        header.starts_with("CODE ") && header.ends_with("ORIGIN"),
        "{header}"
    );
    assert!(
        text.lines()
            .any(|line| line.split_whitespace().collect::<Vec<_>>()
                == ["SRM004", "owner-mismatch", "warning", "built-in"]),
        "{text}"
    );

    let json = srmlint().args(["rules", "--format", "json"]).run();
    let rows = json.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(
        rows.len(),
        text.lines().count() - 1,
        "one row per rule in both formats"
    );
    let first = &rows[0];
    assert_eq!(first["code"], "SRM001");
    assert_eq!(first["name"], "unclaimed-customer-control");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["origin"], "built-in");
    assert!(
        first["summary"]
            .as_str()
            .is_some_and(|summary| !summary.is_empty())
    );
}

#[test]
fn schema_matches_the_committed_file() {
    let output = srmlint().args(["schema"]).run();
    assert_eq!(output.code, 0);
    let committed = std::fs::read_to_string(repo_root().join("controls.schema.json"))
        .expect("controls.schema.json is committed at the repository root");
    assert!(
        output.stdout == committed,
        "controls.schema.json is out of date: run `cargo run -- schema > controls.schema.json`"
    );
}

fn schema_value() -> serde_json::Value {
    let output = srmlint().args(["schema"]).run();
    output.json()
}

/// A controls file as an editor plugin sees it: TOML dates become strings.
fn toml_to_json(value: toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(text) => serde_json::Value::String(text),
        toml::Value::Integer(number) => serde_json::Value::from(number),
        toml::Value::Float(number) => serde_json::Value::from(number),
        toml::Value::Boolean(flag) => serde_json::Value::Bool(flag),
        toml::Value::Datetime(datetime) => serde_json::Value::String(datetime.to_string()),
        toml::Value::Array(items) => items.into_iter().map(toml_to_json).collect(),
        toml::Value::Table(table) => table
            .into_iter()
            .map(|(key, value)| (key, toml_to_json(value)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

fn schema_errors(schema: &serde_json::Value, toml_text: &str) -> Vec<String> {
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles");
    let instance = toml_to_json(toml::from_str(toml_text).expect("valid TOML"));
    validator
        .iter_errors(&instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

#[test]
fn schema_is_valid_draft_07_with_the_matrix_ids_as_enums() {
    let schema = schema_value();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::draft7::meta::validate(&schema).expect("valid against the draft-07 meta-schema");
    let services = &schema["properties"]["deployment"]["properties"]["services"]["items"]["enum"];
    assert!(services.as_array().unwrap().contains(&"dbaas-pg".into()));
    let zones = &schema["properties"]["deployment"]["properties"]["zones"]["items"]["enum"];
    assert!(zones.as_array().unwrap().contains(&"ch-gva-2".into()));
    let controls = schema["properties"]["controls"]["properties"]
        .as_object()
        .unwrap();
    assert_eq!(controls.len(), 18);
    let owner = &controls["backup-restore"]["properties"]["owner"]["enum"];
    assert_eq!(
        owner,
        &serde_json::json!(["customer", "shared", "aiven", "exoscale"])
    );
}

#[test]
fn schema_accepts_what_init_writes_and_a_full_entry() {
    let schema = schema_value();
    let dir = Scratch::outside_repository("schema-init");
    let output = srmlint()
        .current_dir(&dir.root)
        .args([
            "init",
            "--services",
            "compute,object-storage,dbaas-pg",
            "--zones",
            "ch-gva-2",
            "--residency",
            "EEA+CH",
            "--regulated",
            "healthcare",
            "--output",
            "-",
        ])
        .run();
    assert_eq!(schema_errors(&schema, &output.stdout), Vec::<String>::new());
    let full = r#"
[deployment]
name = "patient-portal"
provider = "exoscale"
services = ["compute", "dbaas-pg"]
zones = ["ch-gva-2"]
residency = "CH"
frameworks = ["iso27001", "nis2"]

[controls.backup-restore]
owner = "shared"
accountable = "sre@clinic.example"
implementation = "restic to a second zone"
evidence = ["docs/restore.md"]
reviewed = 2026-09-14
models = ["iaas", "dbaas"]
notes = "tested monthly"

[[waivers]]
rule = "SRM031"
control = "tenant-logging"
reason = "SIEM onboarding planned"
approved_by = "ciso@clinic.example"
ticket = "SEC-1234"
expires = 2027-03-31
"#;
    assert_eq!(schema_errors(&schema, full), Vec::<String>::new());
}

#[test]
fn schema_rejects_unknown_keys_ids_and_owner_words() {
    let schema = schema_value();
    let cases = [
        (
            "[deployment]\nservices = [\"compute\"]\nzone = [\"ch-gva-2\"]\n",
            "/deployment",
        ),
        (
            "[deployment]\nservices = [\"compute\", \"dbaas-pq\"]\n",
            "/deployment/services/1",
        ),
        (
            "[deployment]\nservices = [\"compute\"]\n[controls.backup-restor]\nowner = \"customer\"\n",
            "/controls",
        ),
        (
            "[deployment]\nservices = [\"compute\"]\n[controls.physical-security]\nowner = \"dc-providers\"\n",
            "/controls/physical-security/owner",
        ),
        (
            "[deployment]\nservices = [\"compute\"]\n[controls.tenant-iam]\nowner = \"customer\"\nacountable = \"x\"\n",
            "/controls/tenant-iam",
        ),
        (
            "[deployment]\nservices = [\"compute\"]\nresidency = \"Swiss\"\n",
            "/deployment/residency",
        ),
    ];
    for (text, path) in cases {
        let errors = schema_errors(&schema, text);
        assert!(
            errors
                .iter()
                .any(|error| error.starts_with(&format!("{path}: "))),
            "{text}\nexpected an error at {path}, got {errors:?}"
        );
    }
}

#[test]
fn completions_are_generated_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = srmlint().args(["completions", shell]).run();
        assert_eq!(output.code, 0, "{shell}");
        let script = output.stdout;
        // Subcommands and the options of `init` are offered (fish spells them `-l services`).
        assert!(
            script.contains("srmlint") && script.contains("explain") && script.contains("services"),
            "{shell}: the script does not complete srmlint's commands"
        );
        // Values too: rule codes and control ids for `explain`, services for `init`
        // (PowerShell's and elvish's scripts from clap_complete complete no values).
        if ["bash", "zsh", "fish"].contains(&shell) {
            for value in ["SRM001", "backup-restore", "dbaas-pg"] {
                assert!(script.contains(value), "{shell} does not offer {value}");
            }
        }
    }
    let unknown = srmlint().args(["completions", "tcsh"]).run();
    assert_eq!(unknown.code, 2);
}

#[test]
fn man_prints_roff_pages() {
    let page = srmlint().args(["man"]).run();
    assert_eq!(page.code, 0);
    let roff = page.stdout;
    assert!(roff.contains(".TH srmlint 1"), "{roff}");
    assert!(
        roff.contains(".SH SUBCOMMANDS") && roff.contains("explain"),
        "{roff}"
    );

    let check = srmlint().args(["man", "check"]).run();
    let roff = check.stdout;
    assert!(
        roff.contains(".TH srmlint\\-check 1") || roff.contains(".TH srmlint-check 1"),
        "{roff}"
    );
    assert!(roff.contains("deny\\-warnings"), "{roff}");

    let unknown = srmlint().args(["man", "chek"]).run();
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `check`?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn every_command_has_help_with_examples() {
    for command in [
        "check",
        "init",
        "matrix",
        "explain",
        "rules",
        "schema",
        "completions",
        "man",
    ] {
        let output = srmlint().args([command, "--help"]).run();
        assert_eq!(output.code, 0, "{command}");
        let help = output.stdout;
        assert!(
            help.contains("Examples:\n  srmlint "),
            "`srmlint {command} --help` has no examples:\n{help}"
        );
    }
}

#[test]
fn schema_and_init_follow_a_matrix_given_with_dash_dash_matrix() {
    let dir = Scratch::outside_repository("custom-matrix");
    let embedded = std::fs::read_to_string(repo_root().join("policies/exoscale.toml")).unwrap();
    let zone_line = "hr-zag-1 = { country = \"HR\", city = \"Zagreb\" }\n";
    assert!(embedded.contains(zone_line));
    let custom = embedded.replace(
        zone_line,
        &format!("{zone_line}ch-tst-9 = {{ country = \"CH\", city = \"Testville\" }}\n"),
    );
    dir.write("matrix.toml", custom);

    let schema = srmlint()
        .current_dir(&dir.root)
        .args(["schema", "--matrix", "matrix.toml"])
        .run();
    assert_eq!(schema.code, 0, "{}", schema.stderr);
    let schema = schema.json();
    let zones = &schema["properties"]["deployment"]["properties"]["zones"]["items"]["enum"];
    assert!(
        zones.as_array().unwrap().contains(&"ch-tst-9".into()),
        "{zones}"
    );

    let init = srmlint()
        .current_dir(&dir.root)
        .args([
            "init",
            "--matrix",
            "matrix.toml",
            "--services",
            "compute",
            "--zones",
            "ch-tst-9",
            "--residency",
            "CH",
            "--output",
            "-",
        ])
        .run();
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(init.stdout.contains("zones = [\"ch-tst-9\"]"));
    let embedded_init = srmlint()
        .current_dir(&dir.root)
        .args([
            "init",
            "--services",
            "compute",
            "--zones",
            "ch-tst-9",
            "--output",
            "-",
        ])
        .run();
    assert_eq!(
        embedded_init.code, 2,
        "the embedded matrix has no such zone"
    );
}
