//! The ownership rules (SRM001–SRM005) and the deployment rules (SRM010–SRM016):
//! a controls file judged against the matrix. Pure: no I/O, findings as values.

use std::collections::{BTreeMap, BTreeSet};

use crate::controls::{ControlsFile, Entry, Owner, Services, Sp};
use crate::diagnostic::Finding;
use crate::matrix::{Control, Matrix, MatrixOwner};
use crate::rules;
use crate::suggest;

/// What the deployment rules need besides the file.
#[derive(Debug, Clone, Copy)]
pub struct EngineContext<'a> {
    pub matrix: &'a Matrix,
    /// Ids of the frameworks that have a mapping.
    pub frameworks: &'a [&'a str],
}

/// The deployment as the matrix sees it: which services and models are in use.
#[derive(Debug, Clone, Default)]
pub struct DeploymentScope {
    /// Known service ids in use.
    pub services: BTreeSet<String>,
    /// Each model in use, with the first `services` value that brings it in.
    pub models: BTreeMap<String, Sp<String>>,
}

impl DeploymentScope {
    pub fn of(file: &ControlsFile, matrix: &Matrix) -> Self {
        let mut scope = Self::default();
        if let Services::List(list) = &file.deployment.services {
            for service in &list.value {
                if let Some(model) = matrix.model_of_service(&service.value) {
                    scope.services.insert(service.value.clone());
                    scope
                        .models
                        .entry(model.to_owned())
                        .or_insert_with(|| service.clone());
                }
            }
        }
        scope
    }

    pub fn model_ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.models.keys().map(String::as_str)
    }
}

/// Runs SRM001–SRM005 and SRM010–SRM016 over a parsed file.
pub fn evaluate(file: &ControlsFile, context: EngineContext<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    check_frameworks(file, context.frameworks, &mut findings);
    let matrix = context.matrix;
    if let Some(provider) = &file.deployment.provider
        && provider.value != matrix.info.provider
    {
        findings.push(
            Finding::new(
                &rules::SRM014,
                provider.span.clone(),
                format!(
                    "no matrix for provider `{}`; the loaded matrix is for `{}`",
                    provider.value, matrix.info.provider
                ),
            )
            .label("unknown provider")
            .help(format!(
                "write `provider = \"{}\"` or pass the provider's matrix with `--matrix FILE`",
                matrix.info.provider
            )),
        );
        // Services, zones and controls are the named provider's: nothing more is sound.
        return findings;
    }
    check_services(file, matrix, &mut findings);
    check_zones(file, matrix, &mut findings);
    let scope = DeploymentScope::of(file, matrix);
    check_entries(file, matrix, &scope, &mut findings);
    findings
}

fn check_frameworks(file: &ControlsFile, known: &[&str], findings: &mut Vec<Finding>) {
    for framework in &file.deployment.frameworks {
        if !known.contains(&framework.value.as_str()) {
            findings.push(
                Finding::new(
                    &rules::SRM016,
                    framework.span.clone(),
                    format!(
                        "no mapping for framework `{}`{}",
                        framework.value,
                        suggest::hint(&framework.value, known.iter().copied())
                    ),
                )
                .label("unknown framework")
                .help(format!("frameworks with a mapping: {}", known.join(", "))),
            );
        }
    }
}

fn check_services(file: &ControlsFile, matrix: &Matrix, findings: &mut Vec<Finding>) {
    let list = match &file.deployment.services {
        Services::Invalid => return,
        Services::Missing => {
            let (message, label) = if file.deployment.span.is_empty() {
                (
                    "the file has no `[deployment]` table, so it declares no services",
                    "no `[deployment]` in this file",
                )
            } else {
                ("the deployment declares no services", "no `services` here")
            };
            findings.push(
                Finding::new(&rules::SRM015, file.deployment.span.clone(), message)
                    .label(label)
                    .help(services_help(matrix)),
            );
            return;
        }
        Services::List(list) => list,
    };
    if list.value.is_empty() {
        findings.push(
            Finding::new(&rules::SRM015, list.span.clone(), "`services` is empty")
                .label("no services")
                .help(services_help(matrix)),
        );
    }
    for service in &list.value {
        if !matrix.services.contains_key(&service.value) {
            findings.push(
                Finding::new(
                    &rules::SRM011,
                    service.span.clone(),
                    format!(
                        "unknown service `{}`{}",
                        service.value,
                        suggest::hint(&service.value, matrix.services.keys().map(String::as_str))
                    ),
                )
                .label("not in the service catalog")
                .help("run `srmlint matrix --format json` for the catalog, or `srmlint init` without `--services` for the list"),
            );
        }
    }
}

fn services_help(matrix: &Matrix) -> String {
    let ids: Vec<&str> = matrix.services.keys().map(String::as_str).collect();
    format!(
        "list what you use, e.g. `services = [\"{}\"]`; known services: {}",
        ids.first().copied().unwrap_or("..."),
        ids.join(", ")
    )
}

fn check_zones(file: &ControlsFile, matrix: &Matrix, findings: &mut Vec<Finding>) {
    let deployment = &file.deployment;
    let allowed = match &deployment.residency {
        None => None,
        Some(residency) => match matrix.residency_countries(&residency.value) {
            Some(countries) => Some((residency, countries)),
            None => {
                let regions: Vec<&str> = matrix.regions.keys().map(String::as_str).collect();
                findings.push(
                    Finding::new(
                        &rules::SRM021,
                        residency.span.clone(),
                        format!("`{}` is not a residency value", residency.value),
                    )
                    .label("not a country code or region")
                    .help(format!(
                        "use an upper-case ISO country code (`CH`), a region ({}) or several joined with `+` (`EEA+CH`)",
                        regions.join(", ")
                    )),
                );
                None
            }
        },
    };
    for zone in &deployment.zones {
        let Some(known) = matrix.zones.get(&zone.value) else {
            findings.push(
                Finding::new(
                    &rules::SRM012,
                    zone.span.clone(),
                    format!(
                        "unknown zone `{}`{}",
                        zone.value,
                        suggest::hint(&zone.value, matrix.zones.keys().map(String::as_str))
                    ),
                )
                .label("not a zone of this provider")
                .help(format!(
                    "zones: {}",
                    matrix.zones.keys().cloned().collect::<Vec<_>>().join(", ")
                )),
            );
            continue;
        };
        if let Some((residency, countries)) = &allowed
            && !countries.contains(&known.country)
        {
            findings.push(
                Finding::new(
                    &rules::SRM013,
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
}

/// How one model of a control is covered by the file's entries.
#[derive(Debug, Default, Clone, Copy)]
struct Coverage {
    claimed: bool,
    delegated: bool,
}

fn check_entries(
    file: &ControlsFile,
    matrix: &Matrix,
    scope: &DeploymentScope,
    findings: &mut Vec<Finding>,
) {
    let mut coverage: BTreeMap<(&str, &str), Coverage> = BTreeMap::new();
    // Controls with an entry that cannot be judged: it already has an SRM021 error,
    // so an SRM001 beside it would only repeat the problem.
    let mut attempted: BTreeSet<&str> = BTreeSet::new();
    for entry in &file.entries {
        let Some(control) = matrix.control(&entry.control.value) else {
            findings.push(
                Finding::new(
                    &rules::SRM010,
                    entry.control.span.clone(),
                    format!(
                        "unknown control `{}`{}",
                        entry.control.value,
                        suggest::hint(&entry.control.value, matrix.control_ids())
                    ),
                )
                .label("not in the matrix")
                .help("run `srmlint matrix` for the control ids"),
            );
            continue;
        };
        if !entry.judgeable || scope.models.is_empty() {
            attempted.insert(control.id.as_str());
            continue;
        }
        let covered = covered_models(entry, scope, findings);
        if covered.is_empty() {
            attempted.insert(control.id.as_str());
            continue;
        }
        let Some(matrix_owner) =
            matrix.owner_over(control, covered.iter().copied(), &scope.services)
        else {
            findings.push(
                Finding::new(
                    &rules::SRM005,
                    entry.control.span.clone(),
                    format!(
                        "`{}` does not apply to the models in use ({})",
                        control.id,
                        covered.join(", ")
                    ),
                )
                .label("inapplicable here")
                .help("remove this entry, or add the service it is meant for to `services`")
                .control(control.id.clone()),
            );
            attempted.insert(control.id.as_str());
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
                    &rules::SRM005,
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
            &rules::SRM002,
            owner.span.clone(),
            format!(
                "`{}` is the provider's alone in {models}; the customer has no part to claim",
                control.id
            ),
        )
        .label("claimed by the customer")
        .help(format!(
            "acknowledge it as inherited with `owner = \"{}\"`, or remove the entry",
            acknowledging_word(matrix, control, covered, services)
        )),
        (MatrixOwner::Shared, Owner::Customer) => Finding::new(
            &rules::SRM004,
            owner.span.clone(),
            format!(
                "`{}` is shared in {models}: the provider holds part of it, so the owner is `shared`, not `customer`",
                control.id
            ),
        )
        .label("should be \"shared\"")
        .help("write `owner = \"shared\"`, and describe your part in `implementation`"),
        (MatrixOwner::Customer, Owner::Shared) => Finding::new(
            &rules::SRM004,
            owner.span.clone(),
            format!(
                "`{}` is the customer's alone in {models}: the provider holds no part, so the owner is `customer`, not `shared`",
                control.id
            ),
        )
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
/// stands in for a claim the customer owes (SRM003 replaces SRM001 there).
fn judge_acknowledgement<'c>(
    owner: &Sp<Owner>,
    control: &Control,
    matrix: &Matrix,
    scope: &DeploymentScope,
    covered: &[&'c str],
    findings: &mut Vec<Finding>,
) -> Vec<&'c str> {
    let party = owner.value.as_str();
    let mut delegated = Vec::new();
    let mut party_holds_part = false;
    for &model in covered {
        let parts = matrix.effective_parts(control, model, &scope.services);
        if let Some(customer) = parts.customer {
            delegated.push(model);
            let provider_note = match parts.provider {
                Some(provider) => format!(" The provider's part is only to {}.", provider.scope),
                None => " The provider has no part in it.".to_owned(),
            };
            let owner_word = match parts.provider {
                Some(_) => "shared",
                None => "customer",
            };
            findings.push(
                Finding::new(
                    &rules::SRM003,
                    owner.span.clone(),
                    format!(
                        "`{}` is handed to `{party}`, but in {} it is yours: {}",
                        control.id,
                        model_titles(matrix, &[model]),
                        customer.scope
                    ),
                )
                .label(format!("{party} does not do this for you"))
                .help(format!(
                    "claim it with `owner = \"{owner_word}\"`, an accountable person and evidence.{provider_note}"
                ))
                .control(control.id.clone())
                .model(model),
            );
        }
        if let Some(provider) = parts.provider {
            party_holds_part |= provider.parties.iter().any(|holder| {
                holder == party
                    || matrix
                        .parties
                        .get(holder)
                        .and_then(|holder| holder.acknowledge_with.as_deref())
                        == Some(party)
            });
        }
    }
    if delegated.is_empty() && !party_holds_part {
        findings.push(
            Finding::new(
                &rules::SRM004,
                owner.span.clone(),
                format!(
                    "`{party}` holds no part of `{}` in {}",
                    control.id,
                    model_titles(matrix, covered)
                ),
            )
            .label(format!("not {party}'s"))
            .help(format!(
                "write `owner = \"{}\"`",
                acknowledging_word(matrix, control, covered, &scope.services)
            ))
            .control(control.id.clone()),
        );
    }
    delegated
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
            let model_title = matrix
                .models
                .get(model)
                .map_or(model.as_str(), |model| model.title.as_str());
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
                    format!(
                        "add this entry to the controls file:\n\n[controls.{}]\nowner = \"{}\"\naccountable = \"<team, role or address>\"\nimplementation = \"<what you do>\"\nevidence = [\"<path or URL>\"]",
                        control.id,
                        owner.as_str(),
                    )
                }
            };
            findings.push(
                Finding::new(
                    &rules::SRM001,
                    service.span.clone(),
                    format!(
                        "`{}` is the customer's in {model_title} (brought in by `{}`), but no entry claims it; your part: {}",
                        control.id, service.value, customer.scope
                    ),
                )
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
        .map(|model| {
            matrix
                .models
                .get(*model)
                .map_or(*model, |known| known.title.as_str())
        })
        .collect();
    match titles.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}
