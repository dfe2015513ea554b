//! The ownership rules (SRM001–SRM005): each entry's owner word judged against the
//! matrix over the models it covers, and every customer part that no entry claims.
//! Pure: no I/O, findings as values.

use std::collections::{BTreeMap, BTreeSet};

use crate::data::matrix::{Control, Matrix, MatrixOwner};
use crate::data::scope::DeploymentScope;
use crate::diag::{Applicability, BuiltinRule, Finding, Proposal, Severity};
use crate::input::controls::{ControlsFile, Entry, Owner};
use crate::text::Sp;

pub static SRM001: BuiltinRule = BuiltinRule {
    code: "SRM001",
    name: "unclaimed-customer-control",
    severity: Severity::Error,
    summary: "A control with a customer part in a model in use has no claim covering that model.",
    doc: include_str!("../../docs/rules/SRM001.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM002: BuiltinRule = BuiltinRule {
    code: "SRM002",
    name: "provider-control-claimed",
    severity: Severity::Error,
    summary: "The entry claims a control that the matrix gives to the provider only for every model it covers.",
    doc: include_str!("../../docs/rules/SRM002.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM003: BuiltinRule = BuiltinRule {
    code: "SRM003",
    name: "customer-control-delegated",
    severity: Severity::Error,
    summary: "The entry hands to the provider a control in which the customer has a part.",
    doc: include_str!("../../docs/rules/SRM003.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM004: BuiltinRule = BuiltinRule {
    code: "SRM004",
    name: "owner-mismatch",
    severity: Severity::Warning,
    summary: "The owner word differs from the matrix owner over the models the entry covers.",
    doc: include_str!("../../docs/rules/SRM004.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM005: BuiltinRule = BuiltinRule {
    code: "SRM005",
    name: "inapplicable-control",
    severity: Severity::Warning,
    summary: "The entry concerns a control or model that the deployment does not use.",
    doc: include_str!("../../docs/rules/SRM005.md"),
    waivable: true,
    fixed_level: false,
};

/// How one model of a control is covered by the file's entries.
#[derive(Debug, Default, Clone, Copy)]
struct Coverage {
    claimed: bool,
    delegated: bool,
}

/// Judges every entry (SRM002–SRM005) and reports every customer part no entry
/// covers (SRM001).
pub fn check_entries(
    file: &ControlsFile,
    matrix: &Matrix,
    scope: &DeploymentScope,
    findings: &mut Vec<Finding>,
) {
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
        let covered = covered_models(entry, scope, findings);
        if covered.is_empty() {
            continue;
        }
        let Some(matrix_owner) =
            matrix.owner_over(control, covered.iter().copied(), &scope.services)
        else {
            let message = if entry.models.is_some() {
                format!(
                    "`{}` has no part in {}, the model(s) this entry covers",
                    control.id,
                    model_titles(matrix, &covered)
                )
            } else {
                format!(
                    "`{}` does not apply to the models in use ({})",
                    control.id,
                    model_titles(matrix, &covered)
                )
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
            judge_claim(
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
            for model in judge_acknowledgement(owner, control, matrix, scope, &covered, findings) {
                coverage.entry((&control.id, model)).or_default().delegated = true;
            }
        }
    }
    report_unclaimed(file, matrix, scope, &coverage, &attempted, findings);
}

/// The models an entry covers, reporting `models` values that name a model not in use.
fn covered_models<'e>(
    entry: &'e Entry,
    scope: &'e DeploymentScope,
    findings: &mut Vec<Finding>,
) -> Vec<&'e str> {
    let Some(models) = &entry.models else {
        return scope.model_ids().collect();
    };
    let mut covered = Vec::new();
    for model in &models.value {
        if scope.models.contains_key(&model.value) {
            if !covered.contains(&model.value.as_str()) {
                covered.push(model.value.as_str());
            }
        } else {
            findings.push(
                Finding::new(
                    &SRM005,
                    model.span.clone(),
                    format!(
                        "`models` names `{}`, but no service of that model is in use",
                        model.value
                    ),
                )
                .label("model not in use")
                .help(format!(
                    "remove `{}` from `models`, or add the service that uses it to `services`",
                    model.value
                ))
                .control(entry.control.value.clone())
                .model(model.value.clone()),
            );
        }
    }
    covered.sort_unstable();
    covered
}

fn judge_claim(
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
        (MatrixOwner::Provider, _) => Finding::new(
            &SRM002,
            owner.span.clone(),
            format!(
                "`{}` is the provider's alone in {models}; the customer has no part to claim",
                control.id
            ),
        )
        .propose_if(
            matrix
                .acknowledging_party(control, covered, services)
                .map(|party| owner_word(&party, Applicability::Unsafe)),
        )
        .label("claimed by the customer")
        .help(format!(
            "acknowledge it as inherited with `owner = \"{}\"`, or remove the entry",
            acknowledging_word(matrix, control, covered, services)
        )),
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
    let finding = finding.control(control.id.clone());
    findings.push(match single_model {
        Some(model) => finding.model(model),
        None => finding,
    });
}

/// The owner word to suggest for a provider-only control, as the matrix names it.
fn acknowledging_word(
    matrix: &Matrix,
    control: &Control,
    covered: &[&str],
    services: &BTreeSet<String>,
) -> String {
    matrix
        .acknowledging_party(control, covered, services)
        .unwrap_or_else(|| "<provider>".to_owned())
}

/// Judges `owner = <provider party>`; returns the models where the acknowledgement
/// stands in for a claim the customer owes (SRM003 replaces SRM001 there). Every
/// SRM003 of one entry gives the same fix: the matrix owner over all the models the
/// entry covers.
fn judge_acknowledgement<'c>(
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
            let provider_note = match parts.provider {
                Some(provider) => format!(
                    " In {} the provider's part is only to {}.",
                    matrix.model_title(model),
                    provider.scope
                ),
                None => format!(
                    " In {} the provider has no part in it.",
                    matrix.model_title(model)
                ),
            };
            findings.push(
                Finding::new(
                    &SRM003,
                    owner.span.clone(),
                    format!(
                        "`{}` is handed to `{party}`, but in {} it is yours: {}",
                        control.id,
                        matrix.model_title(model),
                        customer.scope
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
            .propose_if(
                matrix
                    .acknowledging_party(control, covered, services)
                    .map(|word| owner_word(&word, Applicability::Safe)),
            )
            .label(format!("not {party}'s"))
            .help(format!(
                "write `owner = \"{}\"`",
                acknowledging_word(matrix, control, covered, services)
            ))
            .control(control.id.clone()),
        );
    }
    delegated
}

/// "customer in IaaS, shared in DBaaS": the matrix owner of a control in each model.
fn owners_per_model(
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

fn report_unclaimed(
    file: &ControlsFile,
    matrix: &Matrix,
    scope: &DeploymentScope,
    coverage: &BTreeMap<(&str, &str), Coverage>,
    attempted: &BTreeSet<&str>,
    findings: &mut Vec<Finding>,
) {
    for (model, service) in &scope.models {
        for control in &matrix.controls {
            let parts = matrix.effective_parts(control, model, &scope.services);
            let Some(customer) = parts.customer else {
                continue;
            };
            let covered = coverage
                .get(&(control.id.as_str(), model.as_str()))
                .copied()
                .unwrap_or_default();
            if covered.claimed || covered.delegated || attempted.contains(control.id.as_str()) {
                continue;
            }
            let model_title = matrix.model_title(model);
            let mut proposal = None;
            let help = match file
                .entries
                .iter()
                .find(|entry| entry.control.value == control.id)
            {
                Some(_) => format!(
                    "add \"{model}\" to `models` in `[controls.{}]`, or remove `models` so the entry covers every model in use",
                    control.id
                ),
                None => {
                    let owner = matrix
                        .owner_over(control, scope.model_ids(), &scope.services)
                        .unwrap_or(MatrixOwner::Customer);
                    proposal = Some(Proposal::AddClaim {
                        control: control.id.clone(),
                        owner: owner.as_str().to_owned(),
                    });
                    format!(
                        "add this entry to the controls file:\n\n[controls.{}]\nowner = \"{}\"\naccountable = \"<team, role or address>\"\nimplementation = \"<what you do>\"\nevidence = [\"<path or URL>\"]",
                        control.id,
                        owner.as_str(),
                    )
                }
            };
            findings.push(
                Finding::new(
                    &SRM001,
                    service.span.clone(),
                    format!(
                        "`{}` is the customer's in {model_title} (brought in by `{}`), but no entry claims it; your part: {}",
                        control.id, service.value, customer.scope
                    ),
                )
                .propose_if(proposal)
                .label(format!("brings in {model_title}"))
                .help(help)
                .control(control.id.clone())
                .model(model.clone()),
            );
        }
    }
}

/// "IaaS and DBaaS": model ids as the matrix titles them.
fn model_titles(matrix: &Matrix, models: &[&str]) -> String {
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
fn owner_word(word: &str, applicability: Applicability) -> Proposal {
    Proposal::Replace {
        with: word.to_owned(),
        applicability,
    }
}
