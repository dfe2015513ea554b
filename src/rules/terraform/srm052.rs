//! SRM052 undeclared-zone: a Terraform resource runs in a zone `zones` does not list.

use crate::diag::{BuiltinRule, Finding, Proposal, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use crate::rules::terraform::zones;

pub static SRM052: BuiltinRule = BuiltinRule::new(
    "SRM052",
    "undeclared-zone",
    Severity::Error,
    "A Terraform resource runs in a zone that `zones` does not list.",
    include_str!("../../../docs/rules/SRM052.md"),
);
/// SRM052 for every zone of a resource that `zones` does not list.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    for judged in zones(context) {
        let (item, attribute, zone) = (judged.item, judged.attribute, judged.value.as_str());
        if file
            .deployment
            .zones
            .iter()
            .any(|listed| listed.value == zone)
        {
            continue;
        }
        let resource = item.resource;
        let known = context.matrix.zones.get(zone);
        let unknown = known.map_or(", and is not a zone of the catalog", |_| "");
        let from_note = judged
            .from
            .map(|set_at| item.inventory.describe(set_at))
            .map_or(String::new(), |from| format!(" (from {from})"));
        findings.push(
            Finding::new(
                &SRM052,
                judged.span.clone(),
                format!(
                    "`{}` runs in `{zone}`{from_note}, which `{}` does not list in `zones`{unknown}",
                    resource.address, context.controls
                ),
            )
            .propose_if(known.map(|_| Proposal::AddToDeployment {
                key: "zones".to_owned(),
                value: zone.to_owned(),
            }))
            .label(format!("zone {zone}"))
            .help(if known.is_some() {
                format!(
                    "add \"{zone}\" to `zones` in `{}`, or move the resource to a declared zone",
                    context.controls
                )
            } else {
                let zones: Vec<&str> = context.matrix.zones.keys().map(String::as_str).collect();
                format!("use a zone of the catalog ({})", zones.join(", "))
            })
            .in_file(item.file_of(attribute)),
        );
    }
}
