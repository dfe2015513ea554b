//! SRM021 invalid-field: a key or value of the wrong type or shape. The reader finds
//! those of the file's structure (`rules::file::parse` makes them findings); this file
//! judges the values the catalog decides: `residency` (and evidence links, in
//! `rules::evidence`).

use crate::diag::{Applicability, BuiltinRule, Finding, Proposal, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use crate::text::suggest;

pub static SRM021: BuiltinRule = BuiltinRule::new(
    "SRM021",
    "invalid-field",
    Severity::Error,
    "Unknown key, wrong type or bad value.",
    include_str!("../../../docs/rules/SRM021.md"),
);

/// SRM021 when `residency` is neither a country code nor a region, nor several joined
/// with `+`.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    let Some(residency) = &file.deployment.residency else {
        return;
    };
    let Err(bad) = matrix.residency_countries(&residency.value) else {
        return;
    };
    let regions: Vec<&str> = matrix.regions.keys().map(String::as_str).collect();
    let hint = bad
        .suggestion
        .as_ref()
        .map(|meant| suggest::suggestion(&bad.part, meant))
        .unwrap_or_default();
    // The value with the bad part replaced; a region for a word that names
    // another one (`EU` for the EEA) changes what is asserted.
    let proposal = bad.suggestion.as_ref().map(|meant| {
        let with = residency
            .value
            .split('+')
            .map(|part| {
                if part == bad.part {
                    meant.as_str()
                } else {
                    part
                }
            })
            .collect::<Vec<_>>()
            .join("+");
        Proposal::Replace {
            with,
            applicability: if bad.same_meaning {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            },
        }
    });
    let what = if bad.part == residency.value {
        format!("`{}` is not a residency value{hint}", residency.value)
    } else {
        format!(
            "`{}` is not a residency value: `{}` is neither a country code nor a region{hint}",
            residency.value, bad.part
        )
    };
    findings.push(
            Finding::new(&SRM021, residency.span.clone(), what)
            .propose_if(proposal)
            .label("not a country code or region")
            .help(format!(
                "use an upper-case ISO country code (`CH`), a region ({}) or several joined with `+` (`EEA+CH`)",
                regions.join(", ")
            )),
        );
}
