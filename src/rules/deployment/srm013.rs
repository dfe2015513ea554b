//! SRM013 residency-violation: a declared zone, or the zone a Terraform resource runs
//! in, lies outside the declared residency.

use std::collections::BTreeSet;

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use crate::rules::terraform::zones;

pub static SRM013: BuiltinRule = BuiltinRule::new(
    "SRM013",
    "residency-violation",
    Severity::Error,
    "A zone lies outside the declared residency.",
    include_str!("../../../docs/rules/SRM013.md"),
);

/// SRM013 for every known zone, declared or of a Terraform resource, outside the
/// residency (a residency that is no valid value is SRM021, and judges nothing).
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    let deployment = &file.deployment;
    let Some(residency) = &deployment.residency else {
        return;
    };
    let Ok(countries) = matrix.residency_countries(&residency.value) else {
        return;
    };
    check_terraform(&residency.value, &countries, context, findings);
    for zone in &deployment.zones {
        let Some(known) = matrix.zones.get(&zone.value) else {
            continue;
        };
        if countries.contains(&known.country) {
            continue;
        }
        findings.push(
            Finding::new(
                &SRM013,
                zone.span.clone(),
                format!(
                    "zone `{}` ({}, {}) is outside the declared residency `{}`",
                    zone.value, known.city, known.country, residency.value
                ),
            )
            .label(format!("in {}", known.country))
            .help(format!(
                "move the workload to a zone in `{}`, or correct `residency` if the data may leave it",
                residency.value
            )),
        );
    }
}

/// SRM013 for the zone of every Terraform resource outside the residency, in its file.
fn check_terraform(
    residency: &str,
    countries: &BTreeSet<String>,
    context: &Context<'_>,
    findings: &mut Vec<Finding>,
) {
    for judged in zones(context) {
        let (item, zone) = (judged.item, judged.value.as_str());
        let Some(known) = context.matrix.zones.get(zone) else {
            continue;
        };
        if countries.contains(&known.country) {
            continue;
        }
        let from = judged.from.map_or(String::new(), |set_at| {
            format!("; from {}", item.inventory.describe(set_at))
        });
        findings.push(
            Finding::new(
                &SRM013,
                judged.span.clone(),
                format!(
                    "`{}` runs in `{zone}` ({}, {}{from}), outside the residency `{residency}` that `{}` declares",
                    item.resource.address,
                    known.city,
                    known.country,
                    context.controls
                ),
            )
            .label(format!("in {}", known.country))
            .help(format!(
                "move the resource to a zone in `{residency}`, or correct `residency` if the data may leave it"
            ))
            .in_file(item.file_of(judged.attribute)),
        );
    }
}
