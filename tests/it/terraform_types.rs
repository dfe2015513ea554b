//! A variable's `type` applied to every value it is given, as Terraform applies it
//! before `count`, `for_each` and `zone` read the variable: `set(string)` makes a
//! list a set that `for_each` takes, `optional(type, default)` fills what an object
//! leaves out, and a value that does not fit is said, never guessed. Through the built
//! binary, on modules written the way public Exoscale modules are.

use crate::common;

use common::{Scratch, check_json};

fn repository(name: &str, services: &str, main_tf: &str) -> Scratch {
    let repo = Scratch::git_root(name);
    repo.write("infra/main.tf", main_tf);
    repo.write(
        "controls.toml",
        format!(
            "[deployment]\nname = \"x\"\nservices = [{services}]\nzones = [\"ch-gva-2\"]\nterraform = [\"infra\"]\n"
        ),
    );
    repo
}

#[test]
fn an_empty_set_creates_nothing_and_optional_attributes_take_their_default() {
    let repo = repository(
        "tf-types-switches",
        "\"instance-pool\"",
        r#"variable "replica_zones" {
  type    = set(string)
  default = []
}
variable "pool" {
  type    = object({ size = number, use_pool = optional(bool, true) })
  default = { size = 2 }
}
resource "exoscale_dbaas" "replica" {
  for_each = var.replica_zones
  type     = "pg"
  zone     = each.key
}
resource "exoscale_instance_pool" "p" {
  count = var.pool.use_pool ? 1 : 0
  zone  = "ch-gva-2"
}
resource "exoscale_compute_instance" "c" {
  count = var.pool.use_pool ? 0 : var.pool.size
  zone  = "ch-gva-2"
}
"#,
    );
    let run = check_json(&repo, &[]);
    // `terraform plan` creates the pool only: no replica (empty set), no instance.
    assert_eq!(
        run.placed(&["SRM050", "SRM052", "SRM054"]),
        Vec::<String>::new(),
        "{}",
        run.stdout
    );
    assert!(run.with_code("SRM051").is_empty(), "{}", run.stdout);
    // The same, given on the command line: `use_pool = false` switches to instances.
    let flags = [
        "--terraform",
        "infra",
        "--var",
        "pool={ size = 2, use_pool = false }",
    ];
    std::fs::write(
        repo.path("controls.toml"),
        "[deployment]\nname = \"x\"\nservices = [\"instance-pool\"]\nzones = [\"ch-gva-2\"]\n",
    )
    .unwrap();
    let run = check_json(&repo, &flags);
    let found = run.placed(&["SRM050", "SRM052", "SRM054"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "infra/main.tf:18: SRM050 `exoscale_compute_instance.c[0]` creates `compute`"
        ) && found[0].ends_with("; 1 more resource creates it"),
        "{found:?}"
    );
}

#[test]
fn a_set_of_zones_is_iterated_and_each_zone_checked() {
    let repo = repository(
        "tf-types-zones",
        "\"compute\"",
        r#"variable "zones" {
  type    = set(string)
  default = ["ch-gva-2", "de-fra-1", "ch-gva-2"]
}
resource "exoscale_compute_instance" "web" {
  for_each = var.zones
  zone     = each.value
}
"#,
    );
    let run = check_json(&repo, &[]);
    assert_eq!(
        run.placed(&["SRM050", "SRM052", "SRM054"]),
        [
            "infra/main.tf:7: SRM052 `exoscale_compute_instance.web[\"de-fra-1\"]` runs in `de-fra-1` (from `each.value`, set at infra/main.tf:3), which `controls.toml` does not list in `zones`"
        ]
    );
    // From a var file and from `--var`, converted alike.
    repo.write("infra/terraform.tfvars", "zones = [\"at-vie-1\"]\n");
    let run = check_json(&repo, &[]);
    let found = run.placed(&["SRM050", "SRM052", "SRM054"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("runs in `at-vie-1`"), "{found:?}");
    std::fs::write(
        repo.path("controls.toml"),
        "[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\n",
    )
    .unwrap();
    let run = check_json(
        &repo,
        &["--terraform", "infra", "--var", r#"zones=["de-muc-1"]"#],
    );
    let found = run.placed(&["SRM050", "SRM052", "SRM054"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("runs in `de-muc-1`"), "{found:?}");
}

#[test]
fn module_inputs_are_converted_to_the_modules_types() {
    let repo = repository(
        "tf-types-module",
        "\"compute\", \"sks\"",
        r#"module "workers" {
  source = "./workers"
  zones  = ["de-fra-1"]
  groups = {
    small = { zone = "ch-gva-2" }
    large = { zone = "at-vie-1", enabled = false }
  }
}
"#,
    );
    repo.write(
        "infra/workers/main.tf",
        r#"variable "zones" {
  type = set(string)
}
variable "groups" {
  type = map(object({
    zone    = string
    size    = optional(number, 1)
    enabled = optional(bool, true)
    extra   = optional(string)
  }))
}
resource "exoscale_sks_cluster" "c" {
  for_each = var.zones
  zone     = each.key
}
resource "exoscale_compute_instance" "w" {
  for_each = { for name, group in var.groups : name => group if group.enabled && group.extra == null }
  zone     = each.value.zone
}
"#,
    );
    let run = check_json(&repo, &[]);
    // The large group is switched off; the small one runs in a declared zone.
    assert_eq!(
        run.placed(&["SRM050", "SRM052", "SRM054"]),
        [
            "infra/workers/main.tf:14: SRM052 `module.workers.exoscale_sks_cluster.c[\"de-fra-1\"]` runs in `de-fra-1` (from `each.key`, set at infra/main.tf:3), which `controls.toml` does not list in `zones`"
        ]
    );
}

#[test]
fn a_value_that_does_not_fit_its_type_is_said_and_taken_as_created() {
    let repo = repository(
        "tf-types-mismatch",
        "\"instance-pool\"",
        r#"variable "pool" {
  type    = object({ size = number, use_pool = optional(bool, true) })
  default = { use_pool = false }
}
resource "exoscale_compute_instance" "c" {
  count = var.pool.use_pool ? 0 : var.pool.size
  zone  = "ch-gva-2"
}
"#,
    );
    let run = check_json(&repo, &[]);
    assert_eq!(
        run.placed(&["SRM050", "SRM052", "SRM054"]),
        [
            "infra/main.tf:5: SRM050 `exoscale_compute_instance.c` creates `compute` (it is taken as created: its `count = var.pool.use_pool ? 0 : var.pool.size` was not evaluated: `var.pool` does not fit its type: attribute `size` is required), which `controls.toml` does not list in `services`, so none of its obligations are checked"
        ]
    );
}

#[test]
fn the_json_syntax_writes_the_type_as_a_string() {
    let repo = repository("tf-types-json", "\"compute\"", "");
    std::fs::remove_file(repo.path("infra/main.tf")).unwrap();
    repo.write(
        "infra/main.tf.json",
        r#"{
  "variable": { "zones": { "type": "set(string)", "default": ["de-fra-1"] } },
  "resource": { "exoscale_compute_instance": { "web": { "for_each": "${var.zones}", "zone": "${each.key}" } } }
}
"#,
    );
    let run = check_json(&repo, &[]);
    let found = run.placed(&["SRM050", "SRM052", "SRM054"]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("infra/main.tf.json:3: SRM052 `exoscale_compute_instance.web[\"de-fra-1\"]` runs in `de-fra-1`"),
        "{found:?}"
    );
}
