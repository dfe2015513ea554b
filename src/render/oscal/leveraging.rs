//! `srmlint report --format oscal`: one deployment as the SSP of a leveraging system,
//! from its posture report. The services in use are components that leverage the
//! matrix export's model components; each applicable control has one by-component per
//! service whose model has a part of it, `inherited` naming the export's `provided`
//! entry, `satisfied` naming its `responsibility` for a claim, and srmlint's verdict
//! as the by-component's `implementation-status`.

use std::collections::BTreeSet;

use super::fields::{Line, href, markdown, prose};
use super::ids::{DeploymentIds, MatrixIds};
use super::leveraged::THIS_SYSTEM;
use super::model::{
    ByComponent, Component, ControlImplementation, Described, ImplementationStatus,
    ImplementedRequirement, ImportProfile, InformationType, Inherited, LeveragedAuthorization,
    Link, Metadata, OSCAL_VERSION, Party, Prop, Resource, ResponsibleRole, Rlink, Role, Satisfied,
    Ssp, SspDocument, Status, SystemCharacteristics, SystemId, SystemImplementation,
    SystemInformation,
};
use super::{
    MATRIX_SSP_FILE, OscalDate, PROVIDER_ROLE, attestation_props, attestations_sentence,
    back_matter, catalog_resource, party, provenance, provider_role, version_of,
};
use crate::data::matrix::{self, Matrix};
use crate::diag::Error;
use crate::posture::{self, Claim, ControlReport, DeploymentReport, Finding, GridCell};
use crate::rules::evidence;

const ACCOUNTABLE_ROLE: &str = "accountable";

/// A known service the deployment uses, once each, in the file's order.
struct ServiceInUse<'a> {
    id: &'a str,
    title: &'a str,
    model: &'a str,
}

pub(super) fn build(
    deployment: &DeploymentReport,
    matrix: &Matrix,
    today: OscalDate,
    matrix_date: OscalDate,
) -> Result<SspDocument, Error> {
    refuse_unjudged(deployment, matrix)?;
    let matrix_ids = MatrixIds::of(&matrix.info);
    let ids = DeploymentIds::of(&matrix_ids, deployment.name.as_deref(), &deployment.file);
    let mut seen = BTreeSet::new();
    let services: Vec<ServiceInUse> = deployment
        .services
        .iter()
        .filter_map(|service| {
            Some(ServiceInUse {
                id: &service.id,
                title: service.title.as_deref()?,
                model: service.model.as_deref()?,
            })
        })
        .filter(|service| seen.insert(service.id))
        .collect();
    let service_ids: BTreeSet<String> = services.iter().map(|s| s.id.to_owned()).collect();

    // Every party holding a provider part for this deployment is a leveraged
    // authorization; the provider's own comes first and is the one the service
    // components leverage (the matrix export is its system's plan).
    let mut holders = BTreeSet::new();
    for control in &deployment.controls {
        let Some(known) = matrix.control(&control.id) else {
            continue;
        };
        for model in &deployment.models {
            if let Some(provider) = matrix
                .effective_parts(known, &model.id, &service_ids)
                .provider
            {
                holders.extend(provider.parties.iter().map(String::as_str));
            }
        }
    }
    let provider = matrix.info.provider.as_str();
    let mut la_parties: Vec<&str> = Vec::new();
    if matrix.parties.contains_key(provider) {
        la_parties.push(provider);
    }
    la_parties.extend(holders.iter().copied().filter(|party| *party != provider));
    let lead = la_parties.first().copied();

    let mut parties: Vec<Party> = la_parties
        .iter()
        .map(|id| party(matrix, &matrix_ids, id))
        .collect();
    let mut accountable_seen = BTreeSet::new();
    for control in &deployment.controls {
        if let Some(accountable) = control.entry.as_ref().and_then(accountable_of)
            && accountable_seen.insert(accountable)
        {
            parties.push(Party {
                uuid: ids.accountable(accountable),
                kind: "organization",
                name: Line::new(accountable),
                short_name: None,
                props: Vec::new(),
                remarks: Some(
                    "Named by `accountable` in the controls file: a person, a team or a role \
                     (srmlint does not know which)."
                        .to_owned(),
                ),
            });
        }
    }

    let leveraged_authorizations = la_parties
        .iter()
        .map(|id| leveraged_authorization(matrix, &matrix_ids, &ids, id, lead, matrix_date))
        .collect();
    let components = components(deployment, matrix, &matrix_ids, &ids, &services, lead);
    let requirements = deployment
        .controls
        .iter()
        .filter_map(|control| {
            requirement(matrix, &matrix_ids, &ids, control, &services, &service_ids)
        })
        .collect();

    let name = deployment.name.as_deref().unwrap_or(&deployment.file);
    let counts = &deployment.counts;
    let matrix_resource = Resource {
        uuid: matrix_ids.matrix_resource(),
        title: Line::new(&format!(
            "{} {}: the provider side, exported by srmlint",
            matrix.info.title,
            version_of(matrix)
        )),
        description: Some(format!(
            "The leveraged system's plan: `srmlint matrix --format oscal` of this matrix \
             version, saved as `{MATRIX_SSP_FILE}` beside this file. Its `provided` and \
             `responsibility` entries are what this plan's `inherited` and `satisfied` \
             entries name."
        )),
        props: vec![Prop::srmlint("matrix-version", version_of(matrix))],
        citation: None,
        rlinks: vec![Rlink {
            href: MATRIX_SSP_FILE,
            media_type: "application/oscal.ssp+json",
        }],
        remarks: None,
    };
    let mut props = provenance(matrix, matrix_date);
    props.push(Prop::srmlint("controls-file", &deployment.file));
    props.push(Prop::srmlint("report-date", &today.day()));
    Ok(SspDocument {
        system_security_plan: Ssp {
            uuid: ids.ssp(),
            metadata: Metadata {
                title: Line::new(&format!("{name}: system security plan (srmlint report)")),
                last_modified: today.midnight(),
                version: Line::new(&today.day()),
                oscal_version: OSCAL_VERSION,
                props,
                roles: vec![
                    provider_role(),
                    Role {
                        id: ACCOUNTABLE_ROLE,
                        title: Line::new("Accountable for a claim of the controls file"),
                    },
                ],
                parties,
                remarks: Some(format!(
                    "Written by srmlint from the controls file {} as checked on {} against \
                     the {} (version {}). {} applicable controls: {} claimed, {} incomplete, \
                     {} inherited, {} waived, {} with a gap.",
                    markdown(&deployment.file),
                    today.day(),
                    markdown(&matrix.info.title),
                    markdown(version_of(matrix)),
                    counts.applicable,
                    counts.claimed,
                    counts.incomplete,
                    counts.inherited,
                    counts.waived,
                    counts.gap
                )),
            },
            import_profile: ImportProfile {
                href: format!("#{}", matrix_ids.catalog_resource()),
            },
            system_characteristics: characteristics(deployment, matrix, &ids, name),
            system_implementation: SystemImplementation {
                leveraged_authorizations,
                components,
            },
            control_implementation: ControlImplementation {
                description: "One implemented requirement per control of the matrix that \
                              applies to the services in use; one by-component per service \
                              whose model has a part of the control: `inherited` for the \
                              provider's part (naming the matrix export's `provided` entry), \
                              `satisfied` for the customer's claim (naming its \
                              `responsibility`), and srmlint's verdict as the by-component's \
                              `implementation-status`: `implemented`, `partial` (claimed, but \
                              with no one accountable, no evidence or a placeholder) or \
                              `planned` (a gap, waived or not)."
                    .to_owned(),
                implemented_requirements: requirements,
            },
            back_matter: back_matter(vec![catalog_resource(matrix, &matrix_ids), matrix_resource]),
        },
    })
}

/// A deployment srmlint could not judge has no plan to write.
fn refuse_unjudged(deployment: &DeploymentReport, matrix: &Matrix) -> Result<(), Error> {
    let file = &deployment.file;
    if !deployment.parsed {
        let why: Vec<String> = deployment
            .gaps
            .iter()
            .map(|gap| format!("{} {}", gap.code, gap.message))
            .collect();
        return Err(Error::new(format!(
            "cannot write the OSCAL SSP of `{file}`: it could not be read as a controls file \
             ({})",
            why.join("; ")
        )));
    }
    if deployment.foreign_provider {
        return Err(Error::new(format!(
            "cannot write the OSCAL SSP of `{file}`: it names provider `{}`, and the matrix is \
             for `{}` (SRM014)",
            deployment.provider.as_deref().unwrap_or(""),
            matrix.info.provider
        )));
    }
    if deployment.controls.is_empty() {
        return Err(Error::new(format!(
            "cannot write the OSCAL SSP of `{file}`: it declares no service of the matrix's \
             catalog, so no control applies to it"
        )));
    }
    Ok(())
}

/// A claim's `accountable`, unless it is blank.
fn accountable_of(claim: &Claim) -> Option<&str> {
    claim
        .accountable
        .as_deref()
        .filter(|text| !text.trim().is_empty())
}

fn leveraged_authorization(
    matrix: &Matrix,
    matrix_ids: &MatrixIds,
    ids: &DeploymentIds,
    party: &str,
    lead: Option<&str>,
    matrix_date: OscalDate,
) -> LeveragedAuthorization {
    let parties = [party.to_owned()];
    let attestations = attestations_sentence(matrix, &parties).unwrap_or_else(|| {
        "The provider's document names no attestation of this party's own.".to_owned()
    });
    let links = if lead == Some(party) {
        vec![Link {
            href: format!("#{}", matrix_ids.matrix_resource()),
            rel: Some("system-security-plan"),
            media_type: None,
            text: None,
        }]
    } else {
        Vec::new()
    };
    LeveragedAuthorization {
        uuid: ids.leveraged_authorization(party),
        title: Line::new(&format!(
            "{}, as the {} describes its part",
            matrix.party_title(party),
            matrix.info.title
        )),
        props: attestation_props(matrix, &parties),
        links,
        party_uuid: matrix_ids.party(party),
        date_authorized: matrix_date.day(),
        remarks: format!(
            "`date-authorized` is the day srmlint read the provider's published shared \
             responsibility model (version {}), which OSCAL requires here: it is the date of \
             that model, not of an authorization. {attestations}",
            markdown(version_of(matrix))
        ),
    }
}

fn components(
    deployment: &DeploymentReport,
    matrix: &Matrix,
    matrix_ids: &MatrixIds,
    ids: &DeploymentIds,
    services: &[ServiceInUse],
    lead: Option<&str>,
) -> Vec<Component> {
    let provider = markdown(matrix.party_title(&matrix.info.provider));
    let name = deployment.name.as_deref().unwrap_or(&deployment.file);
    let mut components = vec![Component {
        uuid: ids.this_system(),
        kind: "this-system",
        title: Line::new(THIS_SYSTEM),
        description: format!(
            "The deployment {} on {provider}, as its controls file declares it.",
            markdown(name)
        ),
        props: Vec::new(),
        status: unknown_state(),
    }];
    for service in services {
        let mut props = vec![Prop::oscal("implementation-point", "external")];
        // What compliance-trestle and NIST's examples use to tie a component to the
        // leveraged system's component it stands for.
        if let Some(lead) = lead {
            props.push(Prop::oscal(
                "leveraged-authorization-uuid",
                &ids.leveraged_authorization(lead),
            ));
            props.push(Prop::oscal(
                "inherited-uuid",
                &matrix_ids.model_component(service.model),
            ));
        }
        props.push(Prop::srmlint("service", service.id));
        props.push(Prop::srmlint("service-model", service.model));
        components.push(Component {
            uuid: ids.service(service.id),
            kind: "service",
            title: Line::new(service.title),
            description: format!(
                "{provider}'s {} ({}), used by the deployment.",
                markdown(service.title),
                markdown(matrix.model_title(service.model))
            ),
            props,
            status: Status {
                state: "operational",
                remarks: None,
            },
        });
    }
    let mut seen = BTreeSet::new();
    for zone in &deployment.zones {
        let (Some(city), Some(country)) = (&zone.city, &zone.country) else {
            continue;
        };
        if !seen.insert(zone.id.as_str()) {
            continue;
        }
        components.push(Component {
            uuid: ids.zone(&zone.id),
            kind: "zone",
            title: Line::new(&format!("Zone {} ({city}, {country})", zone.id)),
            description: format!(
                "{provider}'s zone {} in {}, {}, where the deployment runs.",
                markdown(&zone.id),
                markdown(city),
                markdown(country)
            ),
            props: vec![
                Prop::srmlint("zone", &zone.id),
                Prop::srmlint("country", country),
            ],
            status: Status {
                state: "operational",
                remarks: None,
            },
        });
    }
    components
}

/// The state of what srmlint knows nothing about the life cycle of.
fn unknown_state() -> Status {
    Status {
        state: "other",
        remarks: Some(
            "The controls file does not record the system's life-cycle state.".to_owned(),
        ),
    }
}

fn characteristics(
    deployment: &DeploymentReport,
    matrix: &Matrix,
    ids: &DeploymentIds,
    name: &str,
) -> SystemCharacteristics {
    let listed = |items: Vec<String>| {
        if items.is_empty() {
            "none".to_owned()
        } else {
            items.join(", ")
        }
    };
    let services = listed(
        deployment
            .services
            .iter()
            .map(|service| match (&service.title, &service.model) {
                (Some(title), Some(model)) => format!(
                    "{} ({}, {})",
                    markdown(title),
                    markdown(&service.id),
                    markdown(matrix.model_title(model))
                ),
                _ => format!("{} (not in the catalog)", markdown(&service.id)),
            })
            .collect(),
    );
    let zones = listed(
        deployment
            .zones
            .iter()
            .map(|zone| match (&zone.city, &zone.country) {
                (Some(city), Some(country)) => format!(
                    "{} ({}, {})",
                    markdown(&zone.id),
                    markdown(city),
                    markdown(country)
                ),
                _ => format!("{} (not a zone of the catalog)", markdown(&zone.id)),
            })
            .collect(),
    );
    let residency = deployment
        .residency
        .as_deref()
        .map_or_else(|| "not declared".to_owned(), markdown);
    let regulated = listed(deployment.regulated.iter().map(|r| markdown(r)).collect());
    let provider = markdown(matrix.party_title(&matrix.info.provider));
    let mut props = vec![Prop::srmlint("controls-file", &deployment.file)];
    props.extend(
        deployment
            .services
            .iter()
            .map(|s| Prop::srmlint("service", &s.id)),
    );
    props.extend(
        deployment
            .zones
            .iter()
            .map(|z| Prop::srmlint("zone", &z.id)),
    );
    if let Some(residency) = &deployment.residency {
        props.push(Prop::srmlint("data-residency", residency));
    }
    props.extend(
        deployment
            .regulated
            .iter()
            .map(|sector| Prop::srmlint("regulated-sector", sector)),
    );
    SystemCharacteristics {
        system_ids: vec![SystemId {
            identifier_type: "https://ietf.org/rfc/rfc4122",
            id: Line::new(&ids.system_id()),
        }],
        system_name: Line::new(name),
        system_name_short: None,
        description: format!(
            "The deployment {} on {provider}, as its controls file {} declares it.\n\n\
             - Services: {services}\n- Zones: {zones}\n- Data residency: {residency}\n\
             - Regulated sectors: {regulated}\n",
            markdown(name),
            markdown(&deployment.file)
        ),
        props,
        system_information: SystemInformation {
            information_types: vec![InformationType {
                uuid: ids.information_type(),
                title: Line::new("Data of the deployment"),
                description: format!(
                    "The data the deployment stores and processes on {provider}. The controls \
                     file does not categorise it; it declares the data residency {residency} \
                     and the regulated sectors {regulated}."
                ),
            }],
        },
        status: unknown_state(),
        authorization_boundary: Described {
            description: format!(
                "The deployment's resources in the services and zones listed as components. \
                 What {provider} and the other parties of its responsibility model run \
                 beneath those services is outside it, inherited through the leveraged \
                 authorizations."
            ),
        },
        remarks: deployment_findings(deployment),
    }
}

/// Findings about no applicable control (an unknown service or zone, a misspelt
/// control id, a broken waiver), so the plan hides none of the file's findings.
fn deployment_findings(deployment: &DeploymentReport) -> Option<String> {
    let applicable: BTreeSet<&str> = deployment.controls.iter().map(|c| c.id.as_str()).collect();
    let mut findings: Vec<&Finding> = deployment
        .gaps
        .iter()
        .chain(&deployment.warnings)
        .chain(&deployment.waived)
        .filter(|finding| {
            finding
                .control
                .as_deref()
                .is_none_or(|control| !applicable.contains(control))
        })
        .collect();
    findings.sort_by_key(|finding| (finding.line, finding.column, finding.code.as_str()));
    if findings.is_empty() {
        return None;
    }
    let items: Vec<String> = findings
        .iter()
        .map(|finding| finding_item(finding))
        .collect();
    Some(format!(
        "Findings of the controls file that concern no applicable control:\n\n{}\n",
        items.join("\n")
    ))
}

/// One finding as a Markdown list item: code, name, severity or waiver, line, message.
fn finding_item(finding: &Finding) -> String {
    let how = match &finding.waiver {
        Some(waiver) => format!(
            "{}, waived until {} by {}: {}",
            finding.severity.as_str(),
            markdown(&waiver.expires.to_string()),
            markdown(&waiver.approved_by),
            markdown(&waiver.reason)
        ),
        None => finding.severity.as_str().to_owned(),
    };
    format!(
        "- {} {} ({how}), line {}: {}",
        markdown(&finding.code),
        markdown(&finding.name),
        finding.line,
        markdown(&finding.message)
    )
}

#[allow(
    clippy::too_many_arguments,
    reason = "one call site; the ids, the services and the report are what it joins"
)]
fn requirement(
    matrix: &Matrix,
    matrix_ids: &MatrixIds,
    ids: &DeploymentIds,
    control: &ControlReport,
    services: &[ServiceInUse],
    service_ids: &BTreeSet<String>,
) -> Option<ImplementedRequirement> {
    let known = matrix.control(&control.id)?;
    let by_components: Vec<ByComponent> = services
        .iter()
        .filter_map(|service| {
            let cell = control
                .cells
                .iter()
                .find(|cell| cell.model == service.model)?;
            let parts = matrix.effective_parts(known, service.model, service_ids);
            if parts.is_empty() {
                return None;
            }
            Some(by_component(
                matrix, matrix_ids, ids, control, known, service, cell, parts,
            ))
        })
        .collect();
    // The metaschema wants a by-component on every requirement; a control applies
    // only through a model whose services are listed, so one always exists.
    if by_components.is_empty() {
        return None;
    }
    Some(ImplementedRequirement {
        uuid: ids.requirement(&control.id),
        control_id: control.id.clone(),
        props: vec![
            Prop::srmlint("responsibility", control.owner.as_str()),
            Prop::srmlint("status", control.status.as_str()),
        ],
        by_components,
    })
}

#[allow(
    clippy::too_many_arguments,
    reason = "one call site; what a by-component joins is this many things"
)]
fn by_component(
    matrix: &Matrix,
    matrix_ids: &MatrixIds,
    ids: &DeploymentIds,
    control: &ControlReport,
    known: &matrix::Control,
    service: &ServiceInUse,
    cell: &GridCell,
    parts: matrix::EffectiveParts<'_>,
) -> ByComponent {
    let inherited: Vec<Inherited> = parts
        .provider
        .iter()
        .map(|part| Inherited {
            uuid: ids.inherited(&control.id, service.id),
            provided_uuid: matrix_ids.provided(&known.id, service.model),
            description: prose(Some(&part.scope), "The provider's part."),
            props: attestation_props(matrix, &part.parties),
            responsible_roles: vec![ResponsibleRole {
                role_id: PROVIDER_ROLE,
                party_uuids: part.parties.iter().map(|p| matrix_ids.party(p)).collect(),
            }],
        })
        .collect();
    let claim = control.entry.as_ref().filter(|_| cell.claimed);
    let satisfied: Vec<Satisfied> = match (parts.customer, claim) {
        (Some(_), Some(claim)) => vec![satisfied(matrix_ids, ids, control, service, claim)],
        _ => Vec::new(),
    };
    let findings: Vec<&Finding> = control
        .findings
        .iter()
        .filter(|finding| {
            finding
                .model
                .as_deref()
                .is_none_or(|model| model == service.model)
        })
        .collect();
    let state = match cell.status {
        Some(posture::Status::Gap | posture::Status::Waived) => "planned",
        // A claim with a claim-hygiene warning standing against it, waived or not.
        Some(posture::Status::Incomplete) => "partial",
        _ => "implemented",
    };
    let mut remarks: Vec<String> = findings
        .iter()
        .map(|finding| finding_item(finding))
        .collect();
    if state == "planned" && parts.customer.is_some() && satisfied.is_empty() && remarks.is_empty()
    {
        remarks.push(format!(
            "- No entry of the controls file claims the customer's part in {}.",
            markdown(matrix.model_title(service.model))
        ));
    }
    let parties: Vec<String> = parts
        .provider
        .map(|part| {
            part.parties
                .iter()
                .map(|party| markdown(matrix.party_title(party)))
                .collect()
        })
        .unwrap_or_default();
    let mut clauses = Vec::new();
    if !inherited.is_empty() {
        clauses.push(format!(
            "the provider's part is inherited from {}",
            and_list(&parties)
        ));
    }
    if parts.customer.is_some() {
        clauses.push(
            if satisfied.is_empty() {
                "no claim covers the customer's part"
            } else {
                "the customer's part is satisfied as the controls file claims it"
            }
            .to_owned(),
        );
    }
    let mut props = Vec::new();
    if !inherited.is_empty() {
        props.push(Prop::oscal("control-origination", "inherited"));
    }
    if parts.customer.is_some() {
        props.push(Prop::oscal("control-origination", "customer-provided"));
    }
    if let Some(status) = cell.status {
        props.push(Prop::srmlint("status", status.as_str()));
    }
    ByComponent {
        component_uuid: ids.service(service.id),
        uuid: ids.by_component(&control.id, service.id),
        description: format!(
            "{} ({}): {}.",
            markdown(service.title),
            markdown(matrix.model_title(service.model)),
            clauses.join("; ")
        ),
        props,
        implementation_status: Some(ImplementationStatus {
            state,
            remarks: (!remarks.is_empty()).then(|| format!("{}\n", remarks.join("\n"))),
        }),
        export: None,
        inherited,
        satisfied,
    }
}

fn satisfied(
    matrix_ids: &MatrixIds,
    ids: &DeploymentIds,
    control: &ControlReport,
    service: &ServiceInUse,
    claim: &Claim,
) -> Satisfied {
    let mut props = Vec::new();
    if let Some(reviewed) = &claim.reviewed {
        props.push(Prop::srmlint("last-reviewed", reviewed));
    }
    let links = claim
        .evidence
        .iter()
        // Only what srmlint accepts as evidence becomes a link: a `javascript:` value
        // (SRM021) would be a live link in every tool that shows the SSP.
        .filter(|item| !item.trim().is_empty() && evidence::is_linkable(item))
        .map(|item| Link {
            href: href(item),
            rel: Some("evidence"),
            media_type: None,
            text: Some(Line::new(item)),
        })
        .collect();
    let responsible_roles = accountable_of(claim)
        .map(|accountable| ResponsibleRole {
            role_id: ACCOUNTABLE_ROLE,
            party_uuids: vec![ids.accountable(accountable)],
        })
        .into_iter()
        .collect();
    Satisfied {
        uuid: ids.satisfied(&control.id, service.id),
        responsibility_uuid: matrix_ids.responsibility(&control.id, service.model),
        description: prose(
            claim.implementation.as_deref(),
            "The controls file gives no implementation text for this claim.",
        ),
        props,
        links,
        responsible_roles,
        remarks: claim
            .notes
            .as_deref()
            .filter(|notes| !notes.trim().is_empty())
            .map(str::to_owned),
    }
}

/// "A", "A and B", "A, B and C".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
