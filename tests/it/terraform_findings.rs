//! How many findings the Terraform rules give, through the built binary: a folder
//! named twice with other var files is evaluated twice (one var file per environment),
//! zone findings are one per resource block even where several blocks share the place
//! a finding lies at, and the same finding met again is said once.

use crate::common;

use common::{Scratch, check_json};

fn controls(services: &str, zones: &str, terraform: &str) -> String {
    format!(
        "[deployment]\nname = \"x\"\nservices = [{services}]\nzones = [{zones}]\nresidency = \"CH\"\nterraform = [\n{terraform}]\n"
    )
}

#[test]
fn one_folder_with_a_var_file_per_environment_is_evaluated_for_each() {
    let repo = Scratch::git_root("tf-findings-environments");
    repo.write(
        "infra/main.tf",
        r#"variable "zone" {
  type = string
}
variable "lb_zone" {}
resource "exoscale_compute_instance" "web" {
  zone = var.zone
}
resource "exoscale_nlb" "lb" {
  zone = var.lb_zone
}
"#,
    );
    repo.write("envs/prod.tfvars", "zone = \"ch-gva-2\"\n");
    repo.write("envs/staging.tfvars", "zone = \"de-fra-1\"\n");
    let prod = "  { path = \"infra\", var_files = [\"envs/prod.tfvars\"] },\n";
    let staging = "  { path = \"infra\", var_files = [\"envs/staging.tfvars\"] },\n";
    let expected = [
        "infra/main.tf:6: SRM052 `exoscale_compute_instance.web` runs in `de-fra-1` (from `var.zone`, set at envs/staging.tfvars:1), which `controls.toml` does not list in `zones`",
        // Unknown in both evaluations alike: said once.
        "infra/main.tf:9: SRM054 the `zone` of `exoscale_nlb.lb` cannot be evaluated: `var.lb_zone` has no default and no var file sets it; its zone is not checked",
    ];
    let codes = ["SRM018", "SRM050", "SRM052", "SRM054"];
    // In either order: both environments are checked.
    for terraform in [format!("{prod}{staging}"), format!("{staging}{prod}")] {
        repo.write(
            "controls.toml",
            controls("\"compute\", \"load-balancer\"", "\"ch-gva-2\"", &terraform),
        );
        let run = check_json(&repo, &[]);
        assert_eq!(run.placed(&codes), expected, "{}", run.stdout);
    }
    // The resources of both evaluations are one resource each, as SRM050 counts them.
    repo.write(
        "controls.toml",
        controls(
            "\"load-balancer\"",
            "\"ch-gva-2\"",
            &format!("{prod}{staging}"),
        ),
    );
    let run = check_json(&repo, &[]);
    let undeclared = run.placed(&["SRM050"]);
    assert_eq!(
        undeclared,
        [
            "infra/main.tf:5: SRM050 `exoscale_compute_instance.web` creates `compute`, which `controls.toml` does not list in `services`, so none of its obligations are checked"
        ]
    );
    // Named twice with the same settings, it is a repeat, read once.
    repo.write(
        "controls.toml",
        controls(
            "\"compute\", \"load-balancer\"",
            "\"ch-gva-2\"",
            &format!("{staging}{staging}  \"infra\",\n  {{ path = \"infra\" }},\n"),
        ),
    );
    let run = check_json(&repo, &[]);
    assert_eq!(
        run.placed(&["SRM018"]),
        [
            "controls.toml:8: SRM018 `infra` is listed twice in `terraform`",
            "controls.toml:10: SRM018 `infra` is listed twice in `terraform`",
        ],
        "{}",
        run.stdout
    );
    assert_eq!(run.placed(&["SRM052"]), expected[..1]);
}

#[test]
fn zone_findings_are_one_per_resource_block_where_blocks_share_a_place() {
    // A registry module installed by `terraform init`: its findings lie at the call.
    let repo = Scratch::git_root("tf-findings-blocks");
    repo.write(
        "infra/main.tf",
        "module \"sks\" {\n  source = \"example/sks/exoscale\"\n  zone   = \"de-fra-1\"\n}\n",
    );
    repo.write(
        "infra/.terraform/modules/sks/main.tf",
        r#"variable "zone" {}
resource "exoscale_sks_cluster" "c" {
  count = 3
  zone  = var.zone
}
resource "exoscale_nlb" "lb" {
  zone = var.zone
}
resource "exoscale_private_network" "pn" {
  zone = var.zone
}
"#,
    );
    repo.write(
        "infra/.terraform/modules/modules.json",
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"sks","Source":"registry.terraform.io/example/sks/exoscale","Version":"1.0.0","Dir":".terraform/modules/sks"}]}"#,
    );
    repo.write(
        "controls.toml",
        controls(
            "\"sks\", \"load-balancer\", \"private-network\"",
            "\"ch-gva-2\"",
            "  \"infra\",\n",
        ),
    );
    let run = check_json(&repo, &[]);
    let place = "infra/main.tf:3:";
    let from = "(from `var.zone`, set at infra/main.tf:3)";
    let mut expected = Vec::new();
    // The three instances of the cluster are one block.
    for address in [
        "module.sks.exoscale_nlb.lb",
        "module.sks.exoscale_private_network.pn",
        "module.sks.exoscale_sks_cluster.c[0]",
    ] {
        expected.push(format!(
            "{place} SRM013 `{address}` runs in `de-fra-1` (Frankfurt, DE; {}, outside the residency `CH` that `controls.toml` declares",
            &from[1..]
        ));
        expected.push(format!(
            "{place} SRM052 `{address}` runs in `de-fra-1` {from}, which `controls.toml` does not list in `zones`"
        ));
    }
    let mut got = run.placed(&["SRM013", "SRM052"]);
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "{}", run.stdout);
}

#[test]
fn the_same_finding_met_again_is_said_once() {
    // Every instance of `module.a` would follow `module.b` past the limit on
    // resources: one finding, not forty.
    let repo = Scratch::git_root("tf-findings-repeats");
    repo.write(
        "infra/main.tf",
        "module \"big\" {\n  source = \"./big\"\n}\nmodule \"a\" {\n  source = \"./a\"\n  count  = 40\n}\n",
    );
    repo.write(
        "infra/big/main.tf",
        "resource \"exoscale_compute_instance\" \"x\" {\n  count = 100000\n  zone  = \"ch-gva-2\"\n}\n",
    );
    repo.write(
        "infra/a/main.tf",
        "module \"b\" {\n  source = \"../b\"\n}\n",
    );
    repo.write(
        "infra/b/main.tf",
        "resource \"exoscale_compute_instance\" \"y\" {\n  zone = \"ch-gva-2\"\n}\n",
    );
    repo.write(
        "controls.toml",
        controls("\"compute\"", "\"ch-gva-2\"", "  \"infra\",\n"),
    );
    let run = check_json(&repo, &[]);
    assert_eq!(
        run.placed(&["SRM053"]),
        [
            "infra/a/main.tf:2: SRM053 following `module.b` would take more than 100000 resources from module instances; it is not followed"
        ]
    );
    // Past the limit within a module's instances, the block that passed it says so
    // once, not once for every instance after it.
    repo.write(
        "infra/main.tf",
        "module \"a\" {\n  source = \"./a\"\n  count  = 30\n}\n",
    );
    repo.write(
        "infra/a/main.tf",
        "module \"b\" {\n  source = \"../b\"\n  count  = 30\n}\n",
    );
    repo.write(
        "infra/b/main.tf",
        "module \"c\" {\n  source = \"../c\"\n  count  = 1000\n}\n",
    );
    repo.write(
        "infra/c/main.tf",
        "resource \"exoscale_compute_instance\" \"x\" {\n  count = 1000\n  zone  = \"ch-gva-2\"\n}\n",
    );
    let run = check_json(&repo, &[]);
    assert_eq!(
        run.placed(&["SRM053"]),
        [
            "infra/c/main.tf:1: SRM053 `module.a[0].module.b[0].module.c[100].exoscale_compute_instance.x` and the resources before it make more than 100000 instances; the rest are not checked"
        ]
    );
}
