//! SRM002 provider-control-claimed: a claim on a control the provider holds alone; and
//! the judgement of every claim (which finds SRM004 too).

use std::collections::BTreeSet;

use crate::data::matrix::{Control, Matrix, MatrixOwner};
use crate::diag::{Applicability, BuiltinRule, Finding, Severity};
use crate::input::controls::Owner;
use crate::rules::ownership::srm003::{acknowledging_word, owners_per_model};
use crate::rules::ownership::srm004::SRM004;
use crate::rules::ownership::{model_titles, owner_word};
use crate::text::Sp;

pub static SRM002: BuiltinRule = BuiltinRule::new(
    "SRM002",
    "provider-control-claimed",
    Severity::Error,
    "The entry claims a control that the matrix gives to the provider only for every model it covers.",
    include_str!("../../../docs/rules/SRM002.md"),
);

/// Judges `owner = "customer"` or `"shared"` against the matrix owner.
pub fn judge_claim(
    owner: &Sp<Owner>,
    control: &Control,
    matrix: &Matrix,
    services: &BTreeSet<String>,
    matrix_owner: MatrixOwner,
    covered: &[&str],
    findings: &mut Vec<Finding>,
) {
    let matches_matrix = matches!(
        (matrix_owner, &owner.value),
        (MatrixOwner::Customer, Owner::Customer) | (MatrixOwner::Shared, Owner::Shared)
    );
    if matches_matrix {
        return;
    }
    // Only built when there is something to report: most claims are right.
    let models = model_titles(matrix, covered);
    let single_model = (covered.len() == 1).then(|| covered[0].to_owned());
    let finding = match (matrix_owner, &owner.value) {
        (MatrixOwner::Provider, _) => {
            let covering = (control, covered);
            let (word, fix) =
                acknowledging_word(matrix, covering, services, Applicability::Unsafe);
            Finding::new(
            &SRM002,
            owner.span.clone(),
            format!(
                "`{}` is the provider's alone in {models}; the customer has no part to claim",
                control.id
            ),
        )
            .propose_if(fix)
            .label("claimed by the customer")
            .help(format!(
                "acknowledge it as inherited with `owner = \"{word}\"`, or remove the entry"
            ))
        }
        (MatrixOwner::Shared, Owner::Customer) => Finding::new(
            &SRM004,
            owner.span.clone(),
            format!(
                "`{}` is shared over the models this entry covers ({}): the provider holds part of it, so the owner is `shared`, not `customer`",
                control.id,
                owners_per_model(matrix, control, covered, services)
            ),
        )
        .propose(owner_word("shared", Applicability::Safe))
        .label("should be \"shared\"")
        .help("write `owner = \"shared\"`, and describe your part in `implementation`"),
        (MatrixOwner::Customer, Owner::Shared) => Finding::new(
            &SRM004,
            owner.span.clone(),
            format!(
                "`{}` is the customer's alone in {models}: the provider holds no part, so the owner is `customer`, not `shared`",
                control.id
            ),
        )
        .propose(owner_word("customer", Applicability::Safe))
        .label("should be \"customer\"")
        .help("write `owner = \"customer\"`: nobody else does this for you"),
        _ => return,
    };
    let mut finding = finding.control(control.id.clone());
    finding.model = single_model;
    findings.push(finding);
}
