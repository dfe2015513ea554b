//! SRM003 customer-control-delegated: a control the customer owes acknowledged as the
//! provider's; and the judgement of every acknowledgement (which finds SRM004 too).

use std::collections::BTreeSet;

use crate::data::matrix::{Control, Matrix, MatrixOwner};
use crate::data::scope::DeploymentScope;
use crate::diag::{Applicability, BuiltinRule, Finding, Proposal, Severity};
use crate::input::controls::Owner;
use crate::rules::ownership::srm004::SRM004;
use crate::rules::ownership::{model_titles, owner_word};
use crate::text::Sp;

pub static SRM003: BuiltinRule = BuiltinRule::new(
    "SRM003",
    "customer-control-delegated",
    Severity::Error,
    "The entry hands to the provider a control in which the customer has a part.",
    include_str!("../../../docs/rules/SRM003.md"),
);

/// Judges `owner = <provider party>`; returns the models where the acknowledgement
/// stands in for a claim the customer owes (SRM003 replaces SRM001 there). Every
/// SRM003 of one entry gives the same fix: the matrix owner over all the models the
/// entry covers.
pub fn judge_acknowledgement<'c>(
    owner: &Sp<Owner>,
    control: &Control,
    matrix: &Matrix,
    scope: &DeploymentScope,
    covered: &[&'c str],
    findings: &mut Vec<Finding>,
) -> Vec<&'c str> {
    let party = owner.value.as_str();
    let services = &scope.services;
    let fix = matrix
        .owner_over(control, covered.iter().copied(), services)
        .filter(|owner| *owner != MatrixOwner::Provider)
        .unwrap_or(MatrixOwner::Customer);
    let mut delegated = Vec::new();
    // Models where the provider holds a part the named party has no share in.
    let mut not_held = Vec::new();
    for &model in covered {
        let parts = matrix.effective_parts(control, model, services);
        if let Some(customer) = parts.customer {
            delegated.push(model);
            let title = matrix.model_title(model);
            let provider_note = match parts.provider {
                Some(provider) => {
                    format!(
                        " In {title} the provider's part is only to {}.",
                        provider.scope
                    )
                }
                None => format!(" In {title} the provider has no part in it."),
            };
            findings.push(
                Finding::new(
                    &SRM003,
                    owner.span.clone(),
                    format!(
                        "`{}` is handed to `{party}`, but in {title} it is yours: {}",
                        control.id, customer.scope
                    ),
                )
                .propose(owner_word(fix.as_str(), Applicability::Unsafe))
                .label(format!("{party} does not do this for you"))
                .help(format!(
                    "claim it with `owner = \"{}\"`, an accountable person and evidence.{provider_note}",
                    fix.as_str()
                ))
                .control(control.id.clone())
                .model(model),
            );
        }
        if let Some(provider) = parts.provider
            && !provider
                .parties
                .iter()
                .any(|holder| matrix.acknowledged_by(holder) == Some(party))
        {
            not_held.push(model);
        }
    }
    if delegated.is_empty() && !not_held.is_empty() {
        let covering = (control, covered);
        let (word, fix) = acknowledging_word(matrix, covering, services, Applicability::Safe);
        findings.push(
            Finding::new(
                &SRM004,
                owner.span.clone(),
                format!(
                    "`{party}` holds no part of `{}` in {}",
                    control.id,
                    model_titles(matrix, &not_held)
                ),
            )
            .propose_if(fix)
            .label(format!("not {party}'s"))
            .help(format!("write `owner = \"{word}\"`"))
            .control(control.id.clone()),
        );
    }
    delegated
}

/// The owner word to suggest for a provider-only control, as the matrix names it
/// (`<provider>` when it names none), and the fix that writes it, when there is one.
pub fn acknowledging_word(
    matrix: &Matrix,
    (control, covered): (&Control, &[&str]),
    services: &BTreeSet<String>,
    applicability: Applicability,
) -> (String, Option<Proposal>) {
    let word = matrix.acknowledging_party(control, covered, services);
    let fix = word.as_deref().map(|word| owner_word(word, applicability));
    (word.unwrap_or_else(|| "<provider>".to_owned()), fix)
}

/// "customer in IaaS, shared in DBaaS": the matrix owner of a control in each model.
pub fn owners_per_model(
    matrix: &Matrix,
    control: &Control,
    covered: &[&str],
    services: &BTreeSet<String>,
) -> String {
    covered
        .iter()
        .filter_map(|model| {
            let owner = matrix.owner_over(control, [*model], services)?;
            Some(format!(
                "{} in {}",
                owner.as_str(),
                matrix.model_title(model)
            ))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
