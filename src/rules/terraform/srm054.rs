//! SRM054 unresolved-terraform-value: a zone, a service-deciding value or a module
//! that srmlint cannot read statically.

use std::collections::BTreeSet;

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::input::terraform::deployed::{Found, ServiceOf, ZoneOf, service_of, zone_of};
use crate::input::terraform::{Attribute, ProblemKind, SourceKind};
use crate::rules::Context;
use crate::rules::terraform::problems;

pub static SRM054: BuiltinRule = BuiltinRule::new(
    "SRM054",
    "unresolved-terraform-value",
    Severity::Info,
    "A zone, a DBaaS type or a module that srmlint cannot read statically.",
    include_str!("../../../docs/rules/SRM054.md"),
);
/// SRM054 for what a source leaves unevaluated (unless a plan has evaluated it), and
/// for a service-deciding attribute or a zone of a resource that is not known, once
/// per block and attribute.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    for source in context.terraform {
        let Ok(inventory) = &source.read else {
            continue;
        };
        // What the code leaves unevaluated, the plan has evaluated.
        if context.deployed.with_plan && inventory.kind == SourceKind::Module {
            continue;
        }
        let kind = ProblemKind::NotChecked;
        problems(&SRM054, kind, (source, inventory), file, findings);
    }
    let catalog = &context.matrix.terraform;
    let mut reported = BTreeSet::new();
    for item in &context.deployed.resources {
        match service_of(item.resource, catalog) {
            ServiceOf::Undecided { attribute, .. } => {
                if reported.insert((item.key(attribute), attribute)) {
                    findings.push(unresolved(item, attribute, "its service"));
                }
            }
            ServiceOf::Service(_) => {}
            _ => continue,
        }
        if let Some((attribute, ZoneOf::Unresolved { .. } | ZoneOf::Unset)) =
            zone_of(item.resource, catalog)
            && reported.insert((item.key(attribute), attribute))
        {
            findings.push(unresolved(item, attribute, "its zone"));
        }
    }
}

/// SRM054 for an attribute of a mapped resource that is not statically known.
fn unresolved(item: &Found<'_>, attribute: &str, what: &str) -> Finding {
    let resource = item.resource;
    let (span, why, variable) = match resource.attribute(attribute) {
        Some(Attribute::Unresolved {
            span,
            why,
            variable,
        }) => (item.placed(attribute, span), why.clone(), variable.clone()),
        _ => (item.header(), format!("`{attribute}` is not set"), None),
    };
    let help = match &variable {
        _ if resource.through_endpoint => "name the `.tf` folder beside the plan or state (`terraform = [\"plan.json\", \"infra\"]`), whose code srmlint evaluates for the endpoint; or write the endpoint as a literal URL".to_owned(),
        Some(variable) => format!(
            "give `var.{variable}` a value: in `terraform.tfvars` or a `*.auto.tfvars` file beside the root module, in a var file named for the source (`terraform = [{{ path = \"...\", var_files = [\"prod.tfvars\"] }}]`), or with `--var {variable}=VALUE`; or name a plan JSON (`terraform show -json plan.out > plan.json`), where Terraform has resolved it"
        ),
        None => "name a plan JSON (`terraform show -json plan.out > plan.json`), where Terraform has resolved it; or write the value so it can be evaluated (a literal, a variable with a value, a `local.`)".to_owned(),
    };
    Finding::new(
        &SRM054,
        span,
        format!(
            "the `{attribute}` of `{}` cannot be evaluated: {why}; {what} is not checked",
            resource.address
        ),
    )
    .label("not resolved")
    .help(help)
    .in_file(item.file_of(attribute))
}
