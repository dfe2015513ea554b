//! The ownership rules (SRM001–SRM005): each entry's owner word judged against the
//! matrix over the models it covers, and every customer part that no entry claims.
//! One pass over the entries finds all five (what one entry covers decides what is
//! unclaimed); each code's file holds its registry entry and its findings. Pure.

pub mod srm001;
pub mod srm002;
pub mod srm003;
pub mod srm004;
pub mod srm005;

use std::collections::{BTreeMap, BTreeSet};

use crate::data::matrix::Matrix;
use crate::diag::{Applicability, Finding, Proposal};
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use srm005::SRM005;

/// How one model of a control is covered by the file's entries.
#[derive(Debug, Default, Clone, Copy)]
pub struct Coverage {
    pub claimed: bool,
    pub delegated: bool,
}

/// Judges every entry (SRM002–SRM005) and reports every customer part no entry
/// covers (SRM001).
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let (matrix, scope) = (context.matrix, context.scope);
    let mut coverage: BTreeMap<(&str, &str), Coverage> = BTreeMap::new();
    // Controls with an entry that cannot be judged: it already has an SRM021 error,
    // so an SRM001 beside it would only repeat the problem. An entry that can be
    // judged but covers none of the models the control applies to suppresses
    // nothing: the parts it misses are still unclaimed (SRM001).
    let mut attempted: BTreeSet<&str> = BTreeSet::new();
    for entry in &file.entries {
        // An unknown control is SRM010 (`deployment::check_control_ids`).
        let Some(control) = matrix.control(&entry.control.value) else {
            continue;
        };
        if !entry.judgeable {
            attempted.insert(control.id.as_str());
            continue;
        }
        // Nothing is in use to judge against (SRM015 says why).
        if scope.models.is_empty() {
            continue;
        }
        let covered = srm005::covered_models(entry, scope, findings);
        if covered.is_empty() {
            continue;
        }
        let Some(matrix_owner) =
            matrix.owner_over(control, covered.iter().copied(), &scope.services)
        else {
            let (id, titles) = (&control.id, model_titles(matrix, &covered));
            let message = if entry.models.is_some() {
                format!("`{id}` has no part in {titles}, the model(s) this entry covers")
            } else {
                format!("`{id}` does not apply to the models in use ({titles})")
            };
            findings.push(
                Finding::new(&SRM005, entry.control.span.clone(), message)
                    .label("inapplicable here")
                    .help("remove this entry, or cover the models the control applies to (`srmlint explain` shows them)")
                    .control(control.id.clone()),
            );
            continue;
        };
        let owner = entry
            .owner
            .as_ref()
            .expect("judgeable entries have an owner");
        if owner.value.is_claim() {
            srm002::judge_claim(
                owner,
                control,
                matrix,
                &scope.services,
                matrix_owner,
                &covered,
                findings,
            );
            for model in &covered {
                coverage.entry((&control.id, model)).or_default().claimed = true;
            }
        } else {
            for model in
                srm003::judge_acknowledgement(owner, control, matrix, scope, &covered, findings)
            {
                coverage.entry((&control.id, model)).or_default().delegated = true;
            }
        }
    }
    srm001::report(file, matrix, scope, &coverage, &attempted, findings);
}

/// "IaaS and DBaaS": model ids as the matrix titles them.
pub fn model_titles(matrix: &Matrix, models: &[&str]) -> String {
    let titles: Vec<&str> = models
        .iter()
        .map(|model| matrix.model_title(model))
        .collect();
    match titles.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The owner word that resolves an ownership finding, written over the old one.
pub fn owner_word(word: &str, applicability: Applicability) -> Proposal {
    Proposal::Replace {
        with: word.to_owned(),
        applicability,
    }
}
