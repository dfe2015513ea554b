//! Terraform written in the other valid forms real configurations use, through the
//! built binary: a plan or state whose provider endpoint is no literal, the AWS
//! provider under other names and shapes, `nullable = false`, references to whole
//! resources, and `init --var-file` outside the repository. Nothing may be dropped
//! without a word: what is not evaluated is SRM054.

use crate::common;

use common::{Run, Scratch, check_json, srmlint};

/// A repository with `controls.toml` declaring `services` and `zones = ["ch-gva-2"]`,
/// reading `terraform`, and the files given.
fn repo(name: &str, services: &str, terraform: &str, files: &[(&str, &str)]) -> Scratch {
    let repo = Scratch::git_root(name);
    repo.write(
        "controls.toml",
        format!(
            "[deployment]\nname = \"x\"\nservices = [{services}]\nzones = [\"ch-gva-2\"]\nterraform = [{terraform}]\n"
        ),
    );
    for (path, text) in files {
        repo.write(path, text);
    }
    repo
}

/// The findings with one of `codes`, as `file:line: CODE message`.
fn found(run: &Run, codes: &[&str]) -> Vec<String> {
    run.placed(codes)
}

const SOS_BY_VARIABLE: &str = r#"variable "zone" { default = "de-fra-1" }
provider "aws" {
  endpoints {
    s3 = "https://sos-${var.zone}.exo.io"
  }
}
resource "aws_s3_bucket" "b" { bucket = "b" }
"#;

/// A plan of `aws_s3_bucket.b` whose provider's `endpoints.s3` is `endpoint` (as
/// `terraform show -json` writes the expression), with the variables given.
fn plan(endpoint: &str, variables: &str) -> String {
    format!(
        r#"{{"format_version":"1.2","terraform_version":"1.9.5",
 "variables":{{{variables}}},
 "planned_values":{{"root_module":{{"resources":[
   {{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{{"bucket":"b"}}}}]}}}},
 "configuration":{{"provider_config":{{"aws":{{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","expressions":{{"endpoints":[{{"s3":{endpoint}}}]}}}}}},
   "root_module":{{"resources":[{{"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_config_key":"aws","expressions":{{"bucket":{{"constant_value":"b"}}}},"schema_version":0}}]}}}}}}
"#
    )
}

const STATE: &str = r#"{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{"resources":[
 {"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"bucket":"b"}}]}}}
"#;

#[test]
fn a_plan_or_state_never_drops_a_bucket_whose_endpoint_it_does_not_give() {
    // The endpoint a template of `var.zone`: the plan gives only what it refers to.
    let templated = plan(
        r#"{"references":["var.zone"]}"#,
        r#""zone":{"value":"de-fra-1"}"#,
    );
    let files = [
        ("plan.json", templated.as_str()),
        ("infra/main.tf", SOS_BY_VARIABLE),
    ];
    let alone = repo("plan-alone", "\"object-storage\"", "\"plan.json\"", &files);
    let run = check_json(&alone, &[]);
    assert_eq!(
        found(&run, &["SRM050", "SRM051", "SRM052", "SRM054"]),
        [
            "plan.json:4: SRM054 the `zone` of `aws_s3_bucket.b` cannot be evaluated: the plan writes the `endpoints.s3` of its provider `aws` as an expression of `var.zone`, not a value, so whether it is one of the platform's resources is not known; its service is not checked"
        ]
    );
    // Beside the code, the code's evaluation of the endpoint decides.
    let both = repo(
        "plan-code",
        "\"object-storage\"",
        "\"plan.json\", \"infra\"",
        &files,
    );
    let run = check_json(&both, &[]);
    assert_eq!(
        found(&run, &["SRM050", "SRM051", "SRM052", "SRM054"]),
        [
            "infra/main.tf:4: SRM052 `aws_s3_bucket.b` runs in `de-fra-1` (from the `endpoints.s3` of provider `aws`, set at infra/main.tf:4), which `controls.toml` does not list in `zones`"
        ]
    );
    // An endpoint that is one variable holding the URL: the plan's value of it.
    let whole = plan(
        r#"{"references":["var.endpoint"]}"#,
        r#""endpoint":{"value":"https://sos-at-vie-1.exo.io"}"#,
    );
    let by_value = repo(
        "plan-var",
        "\"object-storage\"",
        "\"plan.json\"",
        &[("plan.json", &whole)],
    );
    let run = check_json(&by_value, &[]);
    assert_eq!(
        found(&run, &["SRM050", "SRM051", "SRM052", "SRM054"]),
        [
            "plan.json:2: SRM052 `aws_s3_bucket.b` runs in `at-vie-1`, which `controls.toml` does not list in `zones`"
        ]
    );
    // A state records no provider configuration at all.
    let files = [("state.json", STATE), ("infra/main.tf", SOS_BY_VARIABLE)];
    let state = repo("state-alone", "\"compute\"", "\"state.json\"", &files);
    let run = check_json(&state, &[]);
    let said = found(&run, &["SRM050", "SRM052", "SRM054"]);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with("state.json:2: SRM054 the `zone` of `aws_s3_bucket.b` cannot be evaluated: a state does not record the `endpoints` of the `aws` provider"),
        "{said:?}"
    );
    let state = repo(
        "state-code",
        "\"compute\"",
        "\"state.json\", \"infra\"",
        &files,
    );
    let run = check_json(&state, &[]);
    assert_eq!(
        found(&run, &["SRM050", "SRM052", "SRM054"]).len(),
        2,
        "{}",
        run.stdout
    );
    assert_eq!(run.with_code("SRM050")[0]["file"], "infra/main.tf");
    // A document read only in part (a resource without a type) still names the bucket.
    let broken = STATE.replace("}]}}}", "},\n {\"address\":\"x\",\"mode\":\"managed\"}]}}}");
    let state = repo(
        "state-broken",
        "\"compute\"",
        "\"state.json\"",
        &[("state.json", &broken)],
    );
    let run = check_json(&state, &[]);
    let said = found(&run, &["SRM053", "SRM054"]);
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(said[0].starts_with("state.json:2: SRM054 the `zone` of `aws_s3_bucket.b` cannot be evaluated: the document is not read in full"), "{said:?}");
}

/// (An endpoint's host in capitals, with the scheme's own port or a trailing `/`, is the
/// same endpoint.)
#[test]
fn buckets_behind_every_valid_form_of_the_aws_provider_are_evaluated_or_said() {
    let main = r#"terraform {
  required_providers {
    sos = { source = "hashicorp/aws" }
  }
}
provider "aws" {
  alias = "a"
  endpoints {
    s3api = "https://sos-de-fra-1.exo.io:443"
  }
}
provider "aws" {
  alias = "b"
  dynamic "endpoints" {
    for_each = ["https://sos-de-muc-1.exo.io"]
    content {
      s3 = endpoints.value
    }
  }
}
provider "sos" {
  endpoints {
    s3 = "https://SOS-AT-VIE-1.EXO.IO/"
  }
}
resource "aws_s3_bucket" "a" {
  provider = aws.a
  bucket   = "a"
}
resource "aws_s3_bucket" "b" {
  provider = aws.b
  bucket   = "b"
}
resource "aws_s3_bucket" "c" {
  provider = sos
  bucket   = "c"
}
"#;
    let forms = repo(
        "aws-forms",
        "\"compute\"",
        "\"infra\"",
        &[("infra/main.tf", main)],
    );
    let run = check_json(&forms, &[]);
    assert_eq!(
        found(&run, &["SRM050", "SRM052", "SRM054"]),
        [
            "infra/main.tf:9: SRM052 `aws_s3_bucket.a` runs in `de-fra-1` (from the `endpoints.s3api` of provider `aws.a`, set at infra/main.tf:9), which `controls.toml` does not list in `zones`",
            "infra/main.tf:15: SRM052 `aws_s3_bucket.b` runs in `de-muc-1` (from the `endpoints.s3` of provider `aws.b`, set at infra/main.tf:15), which `controls.toml` does not list in `zones`",
            "infra/main.tf:23: SRM052 `aws_s3_bucket.c` runs in `at-vie-1` (from the `endpoints.s3` of provider `sos`, set at infra/main.tf:23), which `controls.toml` does not list in `zones`",
            "infra/main.tf:26: SRM050 `aws_s3_bucket.a` creates `object-storage`, which `controls.toml` does not list in `services`, so none of its obligations are checked; 2 more resources create it",
        ]
    );
    // OpenTofu's provider `for_each`, each bucket with its own instance; an instance
    // key that cannot be evaluated is said.
    let tofu = r#"variable "zones" {
  type    = set(string)
  default = ["de-fra-1", "at-vie-1"]
}
variable "which" {}
provider "aws" {
  alias    = "sos"
  for_each = var.zones
  endpoints {
    s3 = "https://sos-${each.value}.exo.io"
  }
}
resource "aws_s3_bucket" "b" {
  for_each = var.zones
  provider = aws.sos[each.key]
  bucket   = "b-${each.key}"
}
resource "aws_s3_bucket" "unknown" {
  provider = aws.sos[var.which]
  bucket   = "u"
}
"#;
    let tofu = repo(
        "aws-tofu",
        "\"object-storage\"",
        "\"infra\"",
        &[("infra/main.tofu", tofu)],
    );
    let run = check_json(&tofu, &[]);
    let said = found(&run, &["SRM050", "SRM052", "SRM054"]);
    assert_eq!(said.len(), 3, "{said:?}");
    assert!(
        said[0].contains("`aws_s3_bucket.b[\"at-vie-1\"]` runs in `at-vie-1`"),
        "{said:?}"
    );
    assert!(
        said[1].contains("`aws_s3_bucket.b[\"de-fra-1\"]` runs in `de-fra-1`"),
        "{said:?}"
    );
    assert!(
        said[2].starts_with("infra/main.tofu:10: SRM054 the `endpoints.s3` of provider `aws.sos` cannot be evaluated (`var.which` has no default"),
        "{said:?}"
    );
    // An endpoint that cannot be evaluated is said at its value; a provider written
    // in no form srmlint reads, at the `provider` argument; the JSON syntax names
    // the provider's source too.
    let unknown = r#"variable "endpoint" {}
provider "aws" {
  alias = "x"
  endpoints {
    s3 = var.endpoint
  }
}
resource "aws_s3_bucket" "x" {
  provider = aws.x
}
resource "aws_s3_bucket" "y" {
  provider = aws.x[0][1]
}
"#;
    let json = r#"{"terraform": {"required_providers": {"s": {"source": "hashicorp/aws"}}},
 "provider": {"s": {"endpoints": {"s3": "https://sos-de-fra-1.exo.io"}}},
 "resource": {"aws_s3_bucket": {"b": {"provider": "s", "bucket": "b"}}}}
"#;
    let files = [("infra/other.tf", unknown), ("infra/main.tf.json", json)];
    let other = repo("aws-unknown", "\"object-storage\"", "\"infra\"", &files);
    let run = check_json(&other, &[]);
    let at: Vec<String> = (run.diagnostics().iter())
        .filter(|d| d["file"] != "controls.toml")
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["file"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            "infra/main.tf.json:2:41 SRM052",
            "infra/other.tf:5:10 SRM054",
            "infra/other.tf:12:14 SRM054"
        ]
    );
}

#[test]
fn init_with_a_var_file_outside_the_repository_writes_a_file_check_accepts() {
    let repo = Scratch::git_root("init-outside-var-file");
    repo.write(
        "infra/main.tf",
        "variable \"zone\" {}\nresource \"exoscale_compute_instance\" \"c\" {\n  zone = var.zone\n}\n",
    );
    // Where CI writes it: outside the repository.
    let ci = Scratch::outside_repository("init-ci-vars");
    let var_file = ci.write("ci.tfvars", "zone = \"de-fra-1\"\n");
    let var_file = var_file.to_str().unwrap();
    let init = srmlint()
        .current_dir(&repo.root)
        .args(["init", "--terraform", "infra", "--var-file", var_file])
        .run();
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(
        init.stderr.contains(&format!(
            "note: the var file `{var_file}` lies outside the repository"
        )),
        "{}",
        init.stderr
    );
    let written = std::fs::read_to_string(repo.path("controls.toml")).unwrap();
    // The zones `init` read from it, and the sources without it, a comment naming it.
    assert!(written.contains("zones = [\"de-fra-1\"]\n"), "{written}");
    assert!(written.contains("\nterraform = [\"infra\"]\n"), "{written}");
    assert!(
        written.contains(&format!("names none: {var_file}.")),
        "{written}"
    );
    let check = check_json(&repo, &[]);
    assert!(check.with_code("SRM053").is_empty(), "{}", check.stdout);
    // What the comment and the note advise works: the file copied into the repository
    // and named in `var_files`, `check` reads the Terraform as `init` did.
    assert!(written.contains("copy them into"), "{written}");
    repo.write("infra/ci.tfvars", "zone = \"de-fra-1\"\n");
    repo.write(
        "controls.toml",
        written.replace(
            "\nterraform = [\"infra\"]\n",
            "\nterraform = [{ path = \"infra\", var_files = [\"infra/ci.tfvars\"] }]\n",
        ),
    );
    let advised = check_json(&repo, &[]);
    for code in ["SRM052", "SRM053", "SRM054"] {
        assert!(
            advised.with_code(code).is_empty(),
            "{code}: {}",
            advised.stdout
        );
    }
    // The message of a var file that is not there reads as a sentence.
    let missing = ci.path("missing.tfvars");
    let missing = missing.to_str().unwrap();
    let init = srmlint()
        .current_dir(&repo.root)
        .args([
            "init",
            "--terraform",
            "infra",
            "--output",
            "other.toml",
            "--var-file",
            missing,
        ])
        .run();
    assert_eq!(init.code, 2, "{}", init.stderr);
    assert!(
        init.stderr.contains(&format!(
            "the var file `{missing}` cannot be read: No such file"
        )),
        "{}",
        init.stderr
    );
}

#[test]
fn a_null_passed_to_a_variable_that_is_not_nullable_takes_its_default() {
    let files = [
        (
            "infra/main.tf",
            "module \"m\" {\n  source = \"./m\"\n  zone   = null\n}\nmodule \"n\" {\n  source = \"./n\"\n  zone   = null\n}\n",
        ),
        (
            "infra/m/main.tf",
            "variable \"zone\" {\n  type     = string\n  default  = \"de-fra-1\"\n  nullable = false\n}\nresource \"exoscale_compute_instance\" \"c\" {\n  zone = var.zone\n}\n",
        ),
        // Nullable (the default): the `null` stands, which is said as such.
        (
            "infra/n/main.tf",
            "variable \"zone\" {\n  default  = \"de-fra-1\"\n}\nresource \"exoscale_compute_instance\" \"c\" {\n  zone = var.zone\n}\n",
        ),
    ];
    let repo = repo("not-nullable", "\"compute\"", "\"infra\"", &files);
    let run = check_json(&repo, &[]);
    assert_eq!(
        found(&run, &["SRM052", "SRM054"]),
        [
            "infra/m/main.tf:7: SRM052 `module.m.exoscale_compute_instance.c` runs in `de-fra-1` (from `var.zone`, set at infra/m/main.tf:3), which `controls.toml` does not list in `zones`",
            "infra/n/main.tf:5: SRM054 the `zone` of `module.n.exoscale_compute_instance.c` cannot be evaluated: `var.zone` is null; its zone is not checked",
        ]
    );
}

#[test]
fn whole_resources_splats_and_the_resource_prefix_are_evaluated() {
    let main = r#"resource "exoscale_sks_cluster" "m" {
  for_each = { a = "de-muc-1" }
  zone     = each.value
}
resource "exoscale_sks_cluster" "c" {
  count = 2
  zone  = "at-vie-1"
}
resource "exoscale_sks_nodepool" "chained" {
  for_each = exoscale_sks_cluster.m
  zone     = each.value.zone
}
resource "exoscale_nlb" "splat" {
  zone = element(exoscale_sks_cluster.c[*].zone, 0)
}
resource "exoscale_nlb" "values" {
  zone = element(values(exoscale_sks_cluster.m)[*].zone, 0)
}
resource "exoscale_elastic_ip" "prefixed" {
  zone = resource.exoscale_sks_cluster.m["a"].zone
}
resource "exoscale_elastic_ip" "map_splat" {
  zone = element(exoscale_sks_cluster.m[*].zone, 0)
}
resource "exoscale_elastic_ip" "itself" {
  for_each = exoscale_elastic_ip.itself
  zone     = each.value.zone
}
"#;
    let services = "\"sks\", \"load-balancer\", \"elastic-ip\"";
    let repo = repo(
        "whole-resources",
        services,
        "\"infra\"",
        &[("infra/main.tf", main)],
    );
    let run = check_json(&repo, &[]);
    let said = found(&run, &["SRM052", "SRM054"]);
    let line = |at: &str| {
        said.iter()
            .filter(|found| found.starts_with(at))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(said.len(), 8, "{said:?}");
    for at in [
        "infra/main.tf:11: SRM052 `exoscale_sks_nodepool.chained[\"a\"]` runs in `de-muc-1`",
        "infra/main.tf:14: SRM052 `exoscale_nlb.splat` runs in `at-vie-1`",
        "infra/main.tf:17: SRM052 `exoscale_nlb.values` runs in `de-muc-1`",
        "infra/main.tf:20: SRM052 `exoscale_elastic_ip.prefixed` runs in `de-muc-1`",
    ] {
        assert_eq!(line(at).len(), 1, "{at}: {said:?}");
    }
    // Terraform refuses a splat on a resource with `for_each` (a map); a block that
    // iterates over itself is a cycle. Both are said.
    assert_eq!(line("infra/main.tf:23: SRM054 the `zone` of `exoscale_elastic_ip.map_splat` cannot be evaluated: `exoscale_sks_cluster.m[*].zone` applies a splat to a map").len(), 1, "{said:?}");
    assert!(
        said.iter().any(|found| found.starts_with("infra/main.tf:")
            && found.contains("`exoscale_elastic_ip.itself")
            && found.contains("a cycle")),
        "{said:?}"
    );
    assert!(!run.stdout.contains("a whole the"), "{}", run.stdout);
}

#[test]
fn a_var_file_calling_a_function_is_said_not_evaluated() {
    let files = [
        (
            "infra/main.tf",
            "variable \"zone\" {}\nresource \"exoscale_compute_instance\" \"c\" {\n  zone = var.zone\n}\n",
        ),
        // Terraform refuses it: "Functions may not be called here".
        ("infra/terraform.tfvars", "zone = lower(\"DE-FRA-1\")\n"),
    ];
    let repo = repo("tfvars-function", "\"compute\"", "\"infra\"", &files);
    let run = check_json(&repo, &[]);
    assert_eq!(
        found(&run, &["SRM052", "SRM054"]),
        [
            "infra/main.tf:3: SRM054 the `zone` of `exoscale_compute_instance.c` cannot be evaluated: `lower(\"DE-FRA-1\")` calls a function, which Terraform refuses in a value given to a variable; its zone is not checked"
        ]
    );
}

#[test]
fn records_in_a_domain_managed_elsewhere_show_dns_in_use() {
    let record = "resource \"exoscale_domain_record\" \"www\" {\n  domain      = var.domain\n  name        = \"www\"\n  record_type = \"A\"\n  content     = \"192.0.2.10\"\n}\nvariable \"domain\" {}\n";
    let repo = repo(
        "domain-record",
        "\"compute\"",
        "\"infra\"",
        &[("infra/main.tf", record)],
    );
    let run = check_json(&repo, &[]);
    assert_eq!(
        found(&run, &["SRM050"]),
        [
            "infra/main.tf:1: SRM050 `exoscale_domain_record.www` creates `dns`, which `controls.toml` does not list in `services`, so none of its obligations are checked"
        ]
    );
}

/// An ordinary large module stays inside the evaluation budget: 2,000 instances that
/// each build a 500-item map are all evaluated (each gets its SRM052, none an SRM054).
#[test]
fn a_module_of_two_thousand_instances_each_building_a_map_is_evaluated() {
    let main = r#"locals {
  hosts = [for i in range(500) : { name = "h${i}", zone = "de-fra-1" }]
}
resource "exoscale_compute_instance" "a" {
  count = 2000
  zone  = { for h in local.hosts : h.name => h.zone }["h${count.index % 500}"]
}
"#;
    let large = repo(
        "budget-large-module",
        "\"compute\"",
        "\"infra\"",
        &[("infra/main.tf", main)],
    );
    let run = check_json(&large, &[]);
    assert!(run.with_code("SRM054").is_empty(), "{}", run.stdout);
    assert_eq!(run.with_code("SRM052").len(), 1, "{}", run.stdout);
}

/// A provider endpoint is known by its host: a path, a port or a user in the URL does
/// not hide a bucket (each was dropped with no finding).
#[test]
fn an_endpoint_is_known_by_its_host_whatever_else_its_url_holds() {
    let mut main = String::new();
    for (alias, url) in [
        ("a", "https://sos-de-fra-1.exo.io/some/path"),
        ("b", "https://sos-de-muc-1.exo.io:8443"),
        ("c", "https://key:secret@sos-at-vie-1.exo.io"),
    ] {
        main.push_str(&format!(
            "provider \"aws\" {{\n  alias = \"{alias}\"\n  endpoints {{ s3 = \"{url}\" }}\n}}\nresource \"aws_s3_bucket\" \"{alias}\" {{\n  provider = aws.{alias}\n}}\n"
        ));
    }
    let hosts = repo(
        "endpoint-hosts",
        "\"object-storage\"",
        "\"infra\"",
        &[("infra/main.tf", main.as_str())],
    );
    let run = check_json(&hosts, &[]);
    let zones: Vec<String> = (run.with_code("SRM052").into_iter())
        .map(|finding| finding["message"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(zones.len(), 3, "{}", run.stdout);
    for zone in ["de-fra-1", "de-muc-1", "at-vie-1"] {
        assert!(zones.iter().any(|m| m.contains(zone)), "{zone}: {zones:?}");
    }
}
