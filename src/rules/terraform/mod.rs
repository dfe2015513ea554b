//! The infrastructure rules (SRM050–SRM055, and SRM013 on a Terraform zone): the
//! deployment a controls file declares held against the Terraform sources it names.
//! The sources are read, and their resources classified, before
//! (`input::terraform::deployed`); these rules only judge what was read. Findings about
//! a resource lie in its `.tf` or JSON file, where the reviewer of the change sees
//! them, and name the controls file in their message. One file a code.

pub mod srm050;
pub mod srm051;
pub mod srm052;
pub mod srm053;
pub mod srm054;
pub mod srm055;

use std::collections::BTreeSet;
use std::ops::Range;

use crate::diag::{BuiltinRule, Finding};
use crate::input::controls::ControlsFile;
use crate::input::terraform::deployed::{
    Found, ServiceOf, ZoneOf, other_file, service_of, zone_of,
};
use crate::input::terraform::{Inventory, Origin, ProblemKind, SetAt, Source};
use crate::rules::Context;

/// A zone a resource runs in, as the zone rules judge it.
pub struct Zone<'a> {
    pub item: &'a Found<'a>,
    pub attribute: &'a str,
    /// As a message quotes it (`short`).
    pub value: String,
    pub span: Range<usize>,
    pub from: Option<&'a SetAt>,
}

/// The zone of every resource whose service is or may be in the catalog, once per
/// block, attribute and zone: instances of one block (`count`, `for_each`) share
/// their spans.
pub fn zones<'a>(context: &Context<'a>) -> Vec<Zone<'a>> {
    let catalog = &context.matrix.terraform;
    let mut reported = BTreeSet::new();
    let mut zones = Vec::new();
    for item in &context.deployed.resources {
        if !matches!(
            service_of(item.resource, catalog),
            ServiceOf::Service(_) | ServiceOf::Undecided { .. }
        ) {
            continue;
        }
        let Some((attribute, ZoneOf::Runs { value, span, from })) = zone_of(item.resource, catalog)
        else {
            continue;
        };
        if reported.insert((item.key(attribute), value)) {
            zones.push(Zone {
                item,
                attribute,
                value: short(value),
                span: item.placed(attribute, span),
                from,
            });
        }
    }
    zones
}

/// An evaluated value as a message quotes it: no zone or type is long, but a value
/// built from templates can be.
pub fn short(value: &str) -> String {
    if value.chars().count() > 64 {
        format!("{}…", value.chars().take(60).collect::<String>())
    } else {
        value.to_owned()
    }
}

/// A finding about a source as a whole: at its value in `terraform = [...]`, or at
/// the `[deployment]` table for a `--terraform` path; one with a place of its own in
/// the controls file (a var file it names) stays there.
fn at_source(mut finding: Finding, source: &Source, file: &ControlsFile) -> Finding {
    finding.problem.span = match &source.origin {
        Origin::Declared(_) if !finding.problem.span.is_empty() => finding.problem.span,
        Origin::Declared(value) => value.span.clone(),
        Origin::CommandLine(_) => file.deployment.span.clone(),
    };
    finding
}

/// A finding of `rule` for every problem of `kind` met reading `source`: in the file it
/// lies in, or at the source.
fn problems(
    rule: &'static BuiltinRule,
    kind: ProblemKind,
    (source, inventory): (&Source, &Inventory),
    file: &ControlsFile,
    findings: &mut Vec<Finding>,
) {
    for problem in inventory
        .problems
        .iter()
        .filter(|problem| problem.kind == kind)
    {
        let finding = Finding::new(rule, problem.span.clone(), problem.message.clone())
            .label(problem.label.clone())
            .help(problem.help.clone());
        findings.push(match problem.file {
            Some(at) => finding.in_file(other_file(inventory, at)),
            None => at_source(finding, source, file),
        });
    }
}
