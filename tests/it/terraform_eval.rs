//! Terraform evaluated as `terraform plan` would see it, through the built binary:
//! `count`/`for_each` on resources and module calls, variables in Terraform's
//! precedence, the JSON and OpenTofu syntaxes, a plan beside its code, installed
//! modules, buckets through the AWS provider against SOS, unknown values named, and
//! `init --terraform`. Each case is a fixture under `tests/fixtures/terraform-eval/`,
//! written the way public Exoscale modules are, copied into a repository of its own.

use crate::common;

use common::{Run, Scratch, TODAY, check_json, repo_root, srmlint};

/// The fixture `name` copied into a fresh repository.
fn fixture(name: &str) -> Scratch {
    let repo = Scratch::git_root(&format!("tf-eval-{name}"));
    repo.copy_in(
        &repo_root().join("tests/fixtures/terraform-eval").join(name),
        ".",
    );
    repo
}

fn messages(run: &Run, code: &str) -> Vec<String> {
    run.with_code(code)
        .iter()
        .map(|diagnostic| {
            format!(
                "{}:{}: {}",
                diagnostic["file"].as_str().unwrap(),
                diagnostic["line"],
                diagnostic["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn count_zero_false_conditions_and_empty_for_each_create_nothing() {
    let repo = fixture("count-switches");
    let run = check_json(&repo, &[]);
    // `bastion` (count false), `ingress` (count 0, in another zone), the SKS cluster
    // (count false) and both module calls (count 0, empty for_each) create nothing.
    assert!(messages(&run, "SRM050").is_empty(), "{}", run.stdout);
    assert!(messages(&run, "SRM052").is_empty(), "{}", run.stdout);
    assert!(messages(&run, "SRM054").is_empty(), "{}", run.stdout);
    // `web` has two instances; compute is declared and used (no SRM051).
    assert!(messages(&run, "SRM051").is_empty(), "{}", run.stdout);
    let report = repo
        .srmlint()
        .args(["report", "--format", "json", "--today", TODAY])
        .run();
    let report = report.json();
    let services = report["deployments"][0]["terraform"]["services"]
        .as_array()
        .unwrap()
        .clone();
    let addresses: Vec<&str> = services
        .iter()
        .flat_map(|service| service["resources"].as_array().unwrap())
        .map(|resource| resource["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        addresses,
        [
            "exoscale_compute_instance.web[0]",
            "exoscale_compute_instance.web[1]"
        ]
    );
}

#[test]
fn a_count_that_cannot_be_evaluated_is_taken_as_created_and_says_what_decides_it() {
    let repo = fixture("unknown-count");
    let run = check_json(&repo, &[]);
    assert_eq!(
        messages(&run, "SRM050"),
        [
            "infra/main.tf:13: `exoscale_sks_nodepool.workers` creates `sks` (it is taken as created: its `count = var.nodepool_size > 0 ? 1 : 0` was not evaluated: `var.nodepool_size` has no default and no var file sets it), which `controls.toml` does not list in `services`, so none of its obligations are checked"
        ]
    );
    // Given a value, the count is evaluated: 0 creates nothing.
    std::fs::write(repo.path("infra/terraform.tfvars"), "nodepool_size = 0\n").unwrap();
    let run = check_json(&repo, &[]);
    assert!(messages(&run, "SRM050").is_empty(), "{}", run.stdout);
    assert!(messages(&run, "SRM054").is_empty(), "{}", run.stdout);
}

#[test]
fn zones_are_checked_per_for_each_instance_once_per_distinct_zone() {
    let repo = fixture("for-each-zones");
    let run = check_json(&repo, &[]);
    assert_eq!(
        messages(&run, "SRM052"),
        [
            // Two instances run in de-fra-1: one finding, at the attribute.
            "infra/main.tf:28: `exoscale_compute_instance.edge[\"fra\"]` runs in `de-fra-1` (from `each.value`, set at infra/main.tf:11), which `controls.toml` does not list in `zones`",
            "infra/main.tf:37: `exoscale_private_network.backend[\"de-fra-1\"]` runs in `de-fra-1` (from `each.key`, set at infra/main.tf:11), which `controls.toml` does not list in `zones`",
        ]
    );
    // `lookup` over a local map through a chain of locals resolves to ch-gva-2.
    assert!(messages(&run, "SRM054").is_empty(), "{}", run.stdout);
    // Another environment picks another zone.
    let run = check_json(
        &repo,
        &["--terraform", "infra", "--var", "environment=staging"],
    );
    // The controls file names `infra` too, without the `--var`: the folder is
    // evaluated both ways, and what both find (de-fra-1) is said once.
    assert_eq!(
        messages(&run, "SRM052"),
        [
            "infra/main.tf:28: `exoscale_compute_instance.edge[\"fra\"]` runs in `de-fra-1` (from `each.value`, set at infra/main.tf:11), which `controls.toml` does not list in `zones`",
            "infra/main.tf:37: `exoscale_private_network.backend[\"de-fra-1\"]` runs in `de-fra-1` (from `each.key`, set at infra/main.tf:11), which `controls.toml` does not list in `zones`",
            "infra/main.tf:45: `exoscale_private_network.primary` runs in `at-vie-1` (from `local.network_zone`, set at infra/main.tf:19), which `controls.toml` does not list in `zones`",
        ]
    );
}

#[test]
fn variables_take_terraforms_precedence_and_never_the_environment() {
    let repo = fixture("var-precedence");
    // default at-vie-1 < terraform.tfvars < terraform.tfvars.json < a.auto < b.auto
    // < the source's var file (de-fra-1); the workspace `prod` picks de-muc-1.
    let run = repo
        .srmlint()
        .args(["check", "--today", TODAY, "--format", "json"])
        .env("TF_VAR_zone", "hr-zag-1")
        .env("TF_WORKSPACE", "dev")
        .run();
    assert_eq!(
        messages(&run, "SRM052"),
        [
            "infra/main.tf:12: `exoscale_compute_instance.app` runs in `de-fra-1` (from `var.zone`, set at infra/envs/prod.tfvars:1), which `controls.toml` does not list in `zones`",
            "infra/main.tf:19: `exoscale_compute_instance.worker` runs in `de-muc-1`, which `controls.toml` does not list in `zones`",
        ]
    );
    // Without the source's var file, the last auto file wins.
    std::fs::write(
        repo.path("controls.toml"),
        "[deployment]\nname = \"shop\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n",
    )
    .unwrap();
    let zone_of_app = |extra: &[&str]| -> String {
        let mut args = vec!["--terraform", "infra"];
        args.extend_from_slice(extra);
        let run = check_json(&repo, &args);
        messages(&run, "SRM052")
            .into_iter()
            .find(|message| message.contains("`exoscale_compute_instance.app`"))
            .unwrap_or_else(|| format!("no SRM052 for app: {}", run.stdout))
    };
    assert!(
        zone_of_app(&[])
            .contains("runs in `ch-dk-2` (from `var.zone`, set at infra/b.auto.tfvars.json:1)"),
        "{}",
        zone_of_app(&[])
    );
    // `--var-file` and `--var` apply in command-line order, later winning.
    assert!(
        zone_of_app(&[
            "--var",
            "zone=de-muc-1",
            "--var-file",
            "infra/envs/prod.tfvars"
        ])
        .contains("runs in `de-fra-1`")
    );
    assert!(
        zone_of_app(&[
            "--var-file",
            "infra/envs/prod.tfvars",
            "--var",
            "zone=de-muc-1"
        ])
        .contains("runs in `de-muc-1`")
    );
    // `--var-file` dev.tfvars gives ch-gva-2: declared, so no finding for `app`.
    let run = check_json(
        &repo,
        &[
            "--terraform",
            "infra",
            "--var-file",
            "infra/envs/dev.tfvars",
        ],
    );
    assert!(
        !messages(&run, "SRM052")
            .iter()
            .any(|message| message.contains("`exoscale_compute_instance.app`")),
        "{}",
        run.stdout
    );
    // `--workspace` decides `terraform.workspace`; the default is "default".
    let worker = |extra: &[&str]| {
        let mut args = vec!["--terraform", "infra", "--var", "zone=ch-gva-2"];
        args.extend_from_slice(extra);
        messages(&check_json(&repo, &args), "SRM052")
    };
    assert!(worker(&[]).is_empty(), "{:?}", worker(&[]));
    assert_eq!(worker(&["--workspace", "prod"]).len(), 1);
}

#[test]
fn var_files_a_repository_names_outside_it_are_never_read() {
    let repo = fixture("var-precedence");
    let outside = Scratch::outside_repository("tf-eval-outside-var-file");
    outside.write("secret.tfvars", "zone = \"bg-sof-1\"\n");
    let escaped = format!("{}/secret.tfvars", outside.root.display());
    std::fs::write(
        repo.path("controls.toml"),
        format!(
            "[deployment]\nname = \"shop\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\nterraform = [{{ path = \"infra\", var_files = [\"../{name}/secret.tfvars\"] }}]\n",
            name = outside.root.file_name().unwrap().to_string_lossy()
        ),
    )
    .unwrap();
    let run = check_json(&repo, &[]);
    let invalid = messages(&run, "SRM053");
    assert_eq!(invalid.len(), 1, "{invalid:?}");
    assert!(
        invalid[0].starts_with("controls.toml:5: the var file `")
            && invalid[0].ends_with("lies outside the repository; it is not read"),
        "{invalid:?}"
    );
    // Its zone is never seen.
    assert!(!run.stdout.contains("bg-sof-1"), "{}", run.stdout);
    // Named by an absolute path: refused, and shown as written.
    std::fs::write(
        repo.path("controls.toml"),
        format!(
            "[deployment]\nname = \"shop\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\nterraform = [{{ path = \"infra\", var_files = [\"{escaped}\"] }}]\n"
        ),
    )
    .unwrap();
    let run = check_json(&repo, &[]);
    assert_eq!(
        messages(&run, "SRM053"),
        [format!(
            "controls.toml:5: the var file `{escaped}` is absolute; name it relative to the controls file's folder"
        )]
    );
    assert!(!run.stdout.contains("bg-sof-1"), "{}", run.stdout);
    // A `--var-file` is the user's own choice and is read wherever it lies...
    std::fs::write(
        repo.path("controls.toml"),
        "[deployment]\nname = \"shop\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n",
    )
    .unwrap();
    let run = check_json(&repo, &["--terraform", "infra", "--var-file", &escaped]);
    assert!(messages(&run, "SRM053").is_empty(), "{}", run.stdout);
    assert!(
        (messages(&run, "SRM052").iter()).any(|message| message.contains(&format!(
            "runs in `bg-sof-1` (from `var.zone`, set at {escaped}:1)"
        ))),
        "{}",
        run.stdout
    );
    // ...but never through a link in the repository that leads out of it.
    std::os::unix::fs::symlink(
        outside.path("secret.tfvars"),
        repo.path("infra/linked.tfvars"),
    )
    .unwrap();
    let run = check_json(
        &repo,
        &["--terraform", "infra", "--var-file", "infra/linked.tfvars"],
    );
    assert!(!run.stdout.contains("bg-sof-1"), "{}", run.stdout);
    let invalid = messages(&run, "SRM053");
    assert_eq!(invalid.len(), 1, "{}", run.stdout);
    assert!(invalid[0].contains("leads outside"), "{invalid:?}");
}

#[test]
fn json_syntax_opentofu_files_and_overrides_are_read_as_terraform_reads_them() {
    let repo = fixture("json-tofu-override");
    let run = check_json(&repo, &[]);
    // network.tofu replaces network.tf: a private network, no elastic IP; the Kafka
    // service of main.tf.json has `count = 0`; override.tf moves `api` to de-fra-1.
    assert_eq!(
        messages(&run, "SRM050"),
        [
            "infra/network.tofu:2: `exoscale_private_network.api` creates `private-network`, which `controls.toml` does not list in `services`, so none of its obligations are checked"
        ]
    );
    assert_eq!(
        messages(&run, "SRM052"),
        [
            "infra/override.tf:2: `exoscale_compute_instance.api` runs in `de-fra-1`, which `controls.toml` does not list in `zones`"
        ]
    );
    assert!(messages(&run, "SRM053").is_empty(), "{}", run.stdout);
    assert!(messages(&run, "SRM054").is_empty(), "{}", run.stdout);
    // `init` reads the JSON syntax too, and does not give up.
    let init = repo
        .srmlint()
        .args(["init", "--terraform", "infra", "--output", "-"])
        .run();
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(
        init.stdout
            .contains("services = [\"compute\", \"private-network\"]"),
        "{}",
        init.stdout
    );
}

#[test]
fn json_syntax_in_the_shape_cdktf_writes_is_read_as_terraform_reads_it() {
    let repo = fixture("cdktf-json");
    let run = check_json(&repo, &[]);
    // `"//"` comments in bodies, `"provider": {"exoscale": [{}]}`, an array at the
    // type level and at the body level, `"resource"` written twice, a template that
    // quotes (`\"`), `$${` read literally, `\/` and `\u2014`: the load balancer in
    // Frankfurt is found, at its lines; the network with `count` 0 is not.
    assert_eq!(
        messages(&run, "SRM050"),
        [
            "infra/cdk.tf.json:70: `exoscale_nlb.ingress` creates `load-balancer`, which `controls.toml` does not list in `services`, so none of its obligations are checked"
        ]
    );
    assert_eq!(
        messages(&run, "SRM052"),
        [
            "infra/cdk.tf.json:78: `exoscale_nlb.ingress` runs in `de-fra-1`, which `controls.toml` does not list in `zones`"
        ]
    );
    for code in ["SRM051", "SRM053", "SRM054"] {
        assert!(messages(&run, code).is_empty(), "{code}: {}", run.stdout);
    }
    let report = repo
        .srmlint()
        .args(["report", "--format", "json", "--today", TODAY])
        .run();
    let report = report.json();
    let mut resources: Vec<String> = report["deployments"][0]["terraform"]["services"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|service| service["resources"].as_array().unwrap())
        .map(|resource| format!("{} {}", resource["address"], resource["zone"]))
        .collect();
    resources.sort();
    assert_eq!(
        resources,
        [
            "\"exoscale_compute_instance.web[0]\" \"ch-gva-2\"",
            "\"exoscale_compute_instance.web[1]\" \"ch-gva-2\"",
            "\"exoscale_dbaas.orders\" \"ch-gva-2\"",
            "\"exoscale_nlb.ingress\" \"de-fra-1\"",
        ]
    );
}

#[test]
fn every_form_the_json_syntax_allows_is_read_and_a_malformed_file_is_placed() {
    let repo = Scratch::git_root("tf-eval-json-forms");
    repo.write(
        "controls.toml",
        "[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\nterraform = [\"infra\"]\n",
    );
    // Each one creates a load balancer in de-fra-1: SRM050 and SRM052, never SRM053.
    let forms = [
        // An array of objects at a label level, and at the block type's.
        r#"{"resource": {"exoscale_nlb": [{"lb": {"zone": "de-fra-1"}}]}}"#,
        r#"{"resource": [{"exoscale_nlb": {"lb": {"zone": "de-fra-1"}}}]}"#,
        // A template quoting a string, as JSON encoders write it.
        r#"{"resource": {"exoscale_nlb": {"lb": {"zone": "${lower(\"DE-FRA-1\")}"}}}}"#,
        // JSON escapes, and a comment property.
        r#"{"//": "see https:\/\/wiki", "resource": {"exoscale_nlb": {"lb": {"zone": "de\u002dfra-1"}}}}"#,
        // A property written twice in one object, and a document that is an array.
        r#"{"resource": {"exoscale_compute_instance": {"w": {"zone": "ch-gva-2"}}}, "resource": {"exoscale_nlb": {"lb": {"zone": "de-fra-1"}}}}"#,
        r#"[{"resource": {"exoscale_compute_instance": {"w": {"zone": "ch-gva-2"}}}}, {"resource": {"exoscale_nlb": {"lb": {"zone": "de-fra-1"}}}}]"#,
        // A variable's default, read as `terraform` does.
        r#"{"variable": {"zone": {"type": "string", "default": "de-fra-1"}}, "resource": {"exoscale_nlb": {"lb": {"zone": "${var.zone}"}}}}"#,
    ];
    for form in forms {
        repo.write("infra/main.tf.json", form);
        let run = check_json(&repo, &[]);
        assert_eq!(run.with_code("SRM050").len(), 1, "{form}\n{}", run.stdout);
        let zone = run.with_code("SRM052");
        assert_eq!(zone.len(), 1, "{form}\n{}", run.stdout);
        assert!(
            zone[0]["message"]
                .as_str()
                .unwrap()
                .contains("runs in `de-fra-1`"),
            "{form}\n{}",
            run.stdout
        );
        assert_eq!(zone[0]["file"], "infra/main.tf.json");
        assert!(run.with_code("SRM053").is_empty(), "{form}\n{}", run.stdout);
    }
    // A file Terraform refuses is one SRM053 at the place, and is not read.
    for (form, line, column, why) in [
        (
            "{\n  \"resource\": {\n    \"exoscale_nlb\": {\"lb\": {\"zone\": \"de-fra-1\",}}\n  }\n}\n",
            3,
            48,
            "key must be a string",
        ),
        (
            "{\"resource\": {\n  \"exoscale_nlb\": \"lb\"\n}}\n",
            2,
            19,
            "the labels of a `resource` block are the names of a JSON object (or of an array of objects), not a string",
        ),
        (
            "{\"resource\": {\"exoscale_nlb\": {\"lb\": {\n  \"zone\": \"${var.zone\"\n}}}}\n",
            2,
            21,
            "expected `}`",
        ),
    ] {
        repo.write("infra/main.tf.json", form);
        let run = check_json(&repo, &[]);
        let invalid = run.with_code("SRM053");
        assert_eq!(invalid.len(), 1, "{form}\n{}", run.stdout);
        assert_eq!(invalid[0]["file"], "infra/main.tf.json");
        assert_eq!(
            (invalid[0]["line"].as_u64(), invalid[0]["column"].as_u64()),
            (Some(line), Some(column)),
            "{form}\n{}",
            run.stdout
        );
        assert_eq!(
            invalid[0]["message"],
            format!("`infra/main.tf.json` is not valid JSON configuration syntax: {why}"),
        );
        assert!(run.with_code("SRM052").is_empty(), "{form}\n{}", run.stdout);
    }
}

#[test]
fn a_plan_decides_what_exists_and_the_code_places_the_findings() {
    let repo = fixture("plan-and-code");
    let run = check_json(&repo, &[]);
    // The plan has `web[0]` and `web[1]` and the cache in de-fra-1; the `.tf` has the
    // blocks. One SRM050 and one SRM052, both in main.tf, nothing counted twice, and
    // no SRM054 for the count the plan has resolved.
    assert_eq!(
        messages(&run, "SRM050"),
        [
            "infra/main.tf:14: `exoscale_dbaas.cache` creates `dbaas-valkey`, which `controls.toml` does not list in `services`, so none of its obligations are checked"
        ]
    );
    assert_eq!(
        messages(&run, "SRM052"),
        [
            "infra/main.tf:15: `exoscale_dbaas.cache` runs in `de-fra-1`, which `controls.toml` does not list in `zones`"
        ]
    );
    assert!(messages(&run, "SRM054").is_empty(), "{}", run.stdout);
    assert!(messages(&run, "SRM051").is_empty(), "{}", run.stdout);
}

#[test]
fn installed_modules_are_read_and_findings_placed_in_the_repositorys_code() {
    let repo = fixture("installed-modules");
    let run = check_json(&repo, &[]);
    assert_eq!(
        messages(&run, "SRM050"),
        [
            "infra/main.tf:1: `module.ingress_ip.exoscale_elastic_ip.this` creates `elastic-ip`, which `controls.toml` does not list in `services`, so none of its obligations are checked"
        ]
    );
    let invalid = messages(&run, "SRM053");
    assert_eq!(
        invalid,
        [
            "infra/main.tf:10: the source `git::https://git.example.com/terraform/exoscale-network.git?ref=v2.0.0` of `module.network` is installed in `../../outside-the-repository/network`, outside the repository; it is not read"
        ]
    );
    let unresolved = messages(&run, "SRM054");
    assert_eq!(unresolved.len(), 1, "{unresolved:?}");
    assert!(
        unresolved[0].starts_with("infra/main.tf:16: `module.monitoring` comes from `acme/monitoring/exoscale`, which is not installed")
            && unresolved[0].ends_with("run terraform init, or give a plan"),
        "{unresolved:?}"
    );
    // Nothing lies under `.terraform/`.
    assert!(
        !run.stdout.contains("\"file\": \"infra/.terraform"),
        "{}",
        run.stdout
    );
    // The zone the caller passes is checked, and shown where the caller sets it.
    std::fs::write(
        repo.path("controls.toml"),
        "[deployment]\nname = \"mods\"\nservices = [\"elastic-ip\"]\nzones = [\"de-fra-1\"]\nterraform = [\"infra\"]\n",
    )
    .unwrap();
    let run = check_json(&repo, &[]);
    assert_eq!(
        messages(&run, "SRM052"),
        [
            "infra/main.tf:5: `module.ingress_ip.exoscale_elastic_ip.this` runs in `ch-gva-2` (from `var.zone`, set at infra/main.tf:5), which `controls.toml` does not list in `zones`"
        ]
    );
}

#[test]
fn buckets_through_the_aws_provider_against_sos_are_object_storage() {
    let repo = fixture("sos-endpoint");
    let run = check_json(&repo, &[]);
    // Only the bucket of the `aws.sos` provider is Exoscale's.
    assert_eq!(
        messages(&run, "SRM050"),
        [
            // The other: the bucket of `module.archive`, given `aws.sos` by `providers`.
            "infra/main.tf:1: `aws_s3_bucket.backups` creates `object-storage`, which `controls.toml` does not list in `services`, so none of its obligations are checked; 1 more resource creates it"
        ]
    );
    // One finding per bucket, though both lie at the provider's endpoint.
    assert_eq!(
        messages(&run, "SRM052"),
        [
            "infra/providers.tf:10: `aws_s3_bucket.backups` runs in `de-fra-1` (from the `endpoints.s3` of provider `aws.sos`, set at infra/providers.tf:10), which `controls.toml` does not list in `zones`",
            "infra/providers.tf:10: `module.archive.aws_s3_bucket.this` runs in `de-fra-1` (from the `endpoints.s3` of provider `aws.sos`, set at infra/providers.tf:10), which `controls.toml` does not list in `zones`",
        ]
    );
    let matrix = srmlint().args(["matrix", "--format", "json"]).run().json();
    let storage = matrix["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|service| service["id"] == "object-storage")
        .unwrap()
        .clone();
    let types: Vec<&str> = storage["terraform"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["resource"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"aws_s3_bucket"), "{types:?}");
    assert!(types.contains(&"exoscale_sos_bucket_policy"), "{types:?}");
}

#[test]
fn unknown_zones_name_the_variable_and_init_never_writes_an_empty_zone_list() {
    let repo = fixture("unknown-zone");
    let run = check_json(&repo, &[]);
    let unresolved = run.with_code("SRM054");
    let zone = unresolved
        .iter()
        .find(|diagnostic| diagnostic["line"] == 7)
        .unwrap();
    assert_eq!(
        zone["message"],
        "the `zone` of `exoscale_dbaas.pg` cannot be evaluated: `var.zone` has no default and no var file sets it; its zone is not checked"
    );
    let help = zone["help"].as_str().unwrap();
    assert!(help.contains("`--var zone=VALUE`"), "{help}");
    assert!(help.contains("terraform.tfvars"), "{help}");
    // A cycle of locals is named.
    assert!(
        unresolved.iter().any(|diagnostic| diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("a cycle: `local.a` → `local.b` → `local.a`")),
        "{unresolved:?}"
    );
    let init = repo
        .srmlint()
        .args(["init", "--terraform", "infra", "--output", "-"])
        .run();
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(!init.stdout.contains("zones = []"), "{}", init.stdout);
    assert!(
        init.stdout
            .contains("# Zones srmlint could not evaluate from the Terraform: `var.zone`"),
        "{}",
        init.stdout
    );
    // Given the variable, init writes the zone.
    let init = repo
        .srmlint()
        .args([
            "init",
            "--terraform",
            "infra",
            "--var",
            "zone=ch-gva-2",
            "--output",
            "-",
        ])
        .run();
    assert!(
        init.stdout.contains("zones = [\"ch-gva-2\"]"),
        "{}",
        init.stdout
    );
}

#[test]
fn init_then_check_on_a_repository_shaped_like_the_public_ones() {
    let repo = Scratch::git_root("tf-eval-new-user");
    repo.write(
        "terraform/variables.tf",
        "variable \"zone\" {\n  type = string\n}\n\nvariable \"workers\" {\n  type    = number\n  default = 2\n}\n",
    );
    repo.write("terraform/terraform.tfvars", "zone = \"de-fra-1\"\n");
    repo.write(
        "terraform/main.tf",
        "module \"worker\" {\n  source = \"./modules/worker\"\n  count  = var.workers\n\n  zone = var.zone\n  name = \"worker-${count.index}\"\n}\n",
    );
    repo.write(
        "terraform/modules/worker/main.tf",
        "variable \"zone\" {\n  type = string\n}\n\nvariable \"name\" {\n  type = string\n}\n\nresource \"exoscale_compute_instance\" \"this\" {\n  zone        = var.zone\n  name        = var.name\n  template_id = \"ubuntu-22.04\"\n  type        = \"standard.medium\"\n}\n",
    );
    let init = repo
        .srmlint()
        .args(["init", "--terraform", "terraform"])
        .run();
    assert_eq!(init.code, 0, "{}", init.stderr);
    let written = std::fs::read_to_string(repo.path("controls.toml")).unwrap();
    assert!(written.contains("services = [\"compute\"]"), "{written}");
    assert!(written.contains("zones = [\"de-fra-1\"]"), "{written}");
    let run = check_json(&repo, &[]);
    // Only the unfilled claims fail it: nothing about the Terraform.
    for code in ["SRM050", "SRM051", "SRM052", "SRM053", "SRM054"] {
        assert!(messages(&run, code).is_empty(), "{code}: {}", run.stdout);
    }
    // Read with a var file and a workspace, the file names them, relative to itself,
    // so `check` reads the Terraform as `init` did.
    repo.write("envs/prod.tfvars", "zone = \"ch-dk-2\"\n");
    std::fs::create_dir(repo.path("prod")).unwrap();
    let init = repo
        .srmlint()
        .args([
            "init",
            "--terraform",
            "terraform",
            "--var-file",
            "envs/prod.tfvars",
        ])
        .args(["--workspace", "prod", "--output", "prod/controls.toml"])
        .run();
    assert_eq!(init.code, 0, "{}", init.stderr);
    let written = std::fs::read_to_string(repo.path("prod/controls.toml")).unwrap();
    assert!(written.contains("zones = [\"ch-dk-2\"]"), "{written}");
    assert!(
        written.contains("terraform = [{ path = \"../terraform\", var_files = [\"../envs/prod.tfvars\"], workspace = \"prod\" }]"),
        "{written}"
    );
    let run = repo
        .srmlint()
        .args(["check", "prod", "--format", "json"])
        .run();
    for code in ["SRM050", "SRM051", "SRM052", "SRM053", "SRM054"] {
        assert!(!run.stdout.contains(code), "{code}: {}", run.stdout);
    }
}

#[test]
fn values_and_counts_that_explode_are_cut_off_and_said() {
    let repo = Scratch::git_root("tf-eval-explode");
    repo.write(
        "controls.toml",
        "[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\nterraform = [\"infra\"]\n",
    );
    // Each local doubles the one before: 2^40 elements if nothing stopped it.
    let mut locals = String::from("locals {\n  l0 = [\"ch-gva-2\", \"ch-gva-2\"]\n");
    for level in 1..=40 {
        locals.push_str(&format!(
            "  l{level} = [local.l{0}, local.l{0}]\n",
            level - 1
        ));
    }
    locals.push_str("}\n\n");
    repo.write(
        "infra/main.tf",
        format!(
            "{locals}resource \"exoscale_compute_instance\" \"doubled\" {{\n  zone = flatten(local.l40)[0]\n}}\n\nresource \"exoscale_compute_instance\" \"many\" {{\n  count = 1000000000000\n  zone  = \"ch-gva-2\"\n}}\n"
        ),
    );
    let run = check_json(&repo, &[]);
    let unresolved = messages(&run, "SRM054");
    assert!(
        unresolved
            .iter()
            .any(|message| message.contains("makes a value larger than srmlint evaluates")),
        "{unresolved:?}"
    );
    assert_eq!(
        messages(&run, "SRM053"),
        [
            "infra/main.tf:49: `exoscale_compute_instance.many` and the resources before it make more than 100000 instances; the rest are not checked"
        ]
    );
}

#[test]
fn diff_evaluates_each_revisions_terraform_and_reads_ignored_files_on_both_sides() {
    let repo = Scratch::git_root("tf-eval-diff");
    std::fs::remove_dir(repo.path(".git")).unwrap();
    repo.write(
        "controls.toml",
        "[deployment]\nname = \"shop\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\nterraform = [\"infra\"]\n",
    );
    repo.write(
        "infra/main.tf",
        "variable \"zone\" {\n  type = string\n}\n\nresource \"exoscale_compute_instance\" \"web\" {\n  zone        = var.zone\n  name        = \"web\"\n  template_id = \"ubuntu-22.04\"\n  type        = \"standard.small\"\n}\n",
    );
    // Git ignores the var file: no commit holds it, both sides read it.
    repo.write(".gitignore", "terraform.tfvars\n.terraform/\n");
    repo.write("infra/terraform.tfvars", "zone = \"ch-gva-2\"\n");
    repo.commit_all();
    // A pull request that only adds a Kafka service to the Terraform.
    let kafka = "\nresource \"exoscale_dbaas\" \"events\" {\n  zone = var.zone\n  name = \"events\"\n  type = \"kafka\"\n  plan = \"startup-2\"\n}\n";
    let main = std::fs::read_to_string(repo.path("infra/main.tf")).unwrap();
    repo.write("infra/main.tf", format!("{main}{kafka}"));
    let run = repo
        .srmlint()
        .args(["diff", "--format", "json", "--today", TODAY])
        .run();
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let diff = run.json();
    let introduced = diff["files"][0]["findings"]["introduced"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", run.stdout))
        .clone();
    assert_eq!(introduced.len(), 1, "{}", run.stdout);
    assert_eq!(introduced[0]["code"], "SRM050");
    // Committed, the same change between two revisions.
    repo.commit_all();
    let run = repo
        .srmlint()
        .args([
            "diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", "--today", TODAY,
        ])
        .run();
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    // And nothing when nothing changed: the ignored var file is no change.
    let run = repo
        .srmlint()
        .args(["diff", "--format", "json", "--today", TODAY])
        .run();
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.json()["files"].as_array().unwrap().is_empty(),
        "{}",
        run.stdout
    );
}

#[test]
fn a_plans_buckets_against_sos_are_object_storage_and_placed_in_the_code() {
    let repo = fixture("sos-plan");
    let run = check_json(&repo, &[]);
    // The plan has both instances of `backups` (provider `aws.sos`, its endpoint a
    // constant in the plan's configuration) and the AWS bucket, which is left out.
    assert_eq!(
        messages(&run, "SRM050"),
        [
            "infra/main.tf:14: `aws_s3_bucket.backups[0]` creates `object-storage`, which `controls.toml` does not list in `services`, so none of its obligations are checked; 1 more resource creates it"
        ]
    );
    assert_eq!(
        messages(&run, "SRM052"),
        [
            "infra/main.tf:6: `aws_s3_bucket.backups[0]` runs in `de-fra-1`, which `controls.toml` does not list in `zones`"
        ]
    );
}

#[test]
fn a_var_file_named_on_the_command_line_that_is_not_there_is_exit_2() {
    let repo = fixture("var-precedence");
    let run = check_json(
        &repo,
        &["--terraform", "infra", "--var-file", "nope.tfvars"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot read `--var-file nope.tfvars`"),
        "{}",
        run.stderr
    );
    // JSON says the run did not do its job.
    assert!(
        !run.json()["errors"].as_array().unwrap().is_empty(),
        "{}",
        run.stdout
    );
}

#[test]
fn findings_keep_their_place_when_braces_hide_in_strings_heredocs_and_comments() {
    // `.tf` files are parsed one top-level block at a time: braces in comments (`#`,
    // `//`, `/* */`), heredocs and strings must not end a block, and every finding
    // must point where it did when the file was parsed whole.
    let repo = fixture("block-wise");
    let run = check_json(&repo, &[]);
    let placed: Vec<String> = run
        .with_code("SRM052")
        .iter()
        .map(|diagnostic| {
            format!(
                "{}:{}:{}: {}",
                diagnostic["file"].as_str().unwrap(),
                diagnostic["line"],
                diagnostic["column"],
                diagnostic["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        placed,
        [
            "infra/main.tf:20:17: `exoscale_compute_instance.web` runs in `ch-dk-2`, which `controls.toml` does not list in `zones`",
            "infra/main.tf:31:10: `exoscale_compute_instance.db` runs in `ch-gva-2` (from `data.exoscale_template.ubuntu.zone`, set at infra/main.tf:15), which `controls.toml` does not list in `zones`",
        ],
        "{}",
        run.stdout
    );
    // Neither the resource in the comment nor the one in the heredoc exists.
    assert!(
        !run.stdout.contains("ghost") && !run.stdout.contains("fake"),
        "{}",
        run.stdout
    );
    // Files over 64 KiB are the ones parsed block by block: the same file made larger
    // by comments at its end gives the same output.
    let text = std::fs::read_to_string(repo.path("infra/main.tf")).unwrap();
    let padded = format!("{text}{}", "# padding } {\n".repeat(6000));
    repo.write("infra/main.tf", &padded);
    assert_eq!(check_json(&repo, &[]).stdout, run.stdout);
    // A syntax error in a later block is placed as in the whole file.
    repo.write(
        "infra/main.tf",
        padded.replace("name = \"db\"", "name = = \"db\""),
    );
    let run = check_json(&repo, &[]);
    let invalid = run.with_code("SRM053");
    assert_eq!(invalid.len(), 1, "{}", run.stdout);
    assert_eq!(
        (&invalid[0]["line"], &invalid[0]["column"]),
        (&serde_json::json!(32), &serde_json::json!(10)),
        "{}",
        run.stdout
    );
}
