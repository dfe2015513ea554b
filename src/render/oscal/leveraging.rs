//! `srmlint report --format oscal`: one deployment as the SSP of a leveraging system,
//! from its posture report. Each service model in use is a component that leverages
//! the matrix export's component of that model, with the deployment's services listed
//! on it; each provider party holding a part is a component naming the attestations
//! the provider's document names for it and linking to the matrix export. Each
//! applicable control has one by-component per model in which it has a part:
//! `inherited` naming the export's `provided` entry, `satisfied` naming its
//! `responsibility` for a claim (once per model, never copied per service), and
//! srmlint's verdict as the by-component's `implementation-status`.

use std::collections::{BTreeMap, BTreeSet};

use super::evidence::{Cited, LocalEvidence, Located};
use super::fields::{Line, href, markdown, prose};
use super::ids::{DeploymentIds, MatrixIds};
use super::leveraged::{THIS_SYSTEM, origination_props};
use super::model::{
    BackMatter, ByComponent, Component, ControlImplementation, Described, Hash,
    ImplementedRequirement, InformationType, Inherited, Link, Metadata, OSCAL_VERSION, Party, Prop,
    Resource, ResponsibleRole, Rlink, Role, Satisfied, Ssp, Status, SystemCharacteristics,
    SystemId, SystemImplementation, SystemInformation,
};
use super::{
    MATRIX_SSP_FILE, OscalDate, PROVIDER_ROLE, Placement, attestation_props, attestations_sentence,
    import_profile, party, party_attestations, provenance, provider_role, version_of,
};
use crate::data::matrix::{self, Matrix};
use crate::diag::Error;
use crate::posture::{self, Claim, ControlReport, DeploymentReport, Finding, GridCell};

const ACCOUNTABLE_ROLE: &str = "accountable";

/// The OSCAL `implementation-status.state` of a control in one model, from the posture
/// report's status of it there: `implemented` only for what the report counts done (the
/// provider's alone, or a claim it calls covered), `partial` for an incomplete claim,
/// `planned` for a gap, waived or not. Every status is named, so a new one cannot slip
/// through unmapped.
pub(super) fn state(status: posture::Status) -> &'static str {
    match status {
        posture::Status::Inherited | posture::Status::Claimed => "implemented",
        posture::Status::Incomplete => "partial",
        posture::Status::Waived | posture::Status::Gap => "planned",
        posture::Status::NotApplicable => "not-applicable",
    }
}

/// What the plan is built from.
struct Context<'a> {
    matrix: &'a Matrix,
    matrix_ids: MatrixIds,
    ids: DeploymentIds,
    located: Located,
    /// Known services in use, once each, in the file's order: (id, title, model).
    services: Vec<(&'a str, &'a str, &'a str)>,
    service_ids: BTreeSet<String>,
}

pub(super) fn build(
    deployment: &DeploymentReport,
    matrix: &Matrix,
    placement: &Placement,
    today: OscalDate,
    matrix_date: OscalDate,
) -> Result<Ssp, Error> {
    refuse_unjudged(deployment, matrix)?;
    let located = Located::of(&deployment.file, placement);
    let matrix_ids = MatrixIds::of(&matrix.info);
    let ids = DeploymentIds::of(&matrix_ids, deployment.name.as_deref(), &located.file);
    let mut seen = BTreeSet::new();
    let services: Vec<(&str, &str, &str)> = deployment
        .services
        .iter()
        .filter_map(|service| {
            Some((
                service.id.as_str(),
                service.title.as_deref()?,
                service.model.as_deref()?,
            ))
        })
        .filter(|(id, _, _)| seen.insert(*id))
        .collect();
    let service_ids = services.iter().map(|(id, _, _)| (*id).to_owned()).collect();
    let context = Context {
        matrix,
        matrix_ids,
        ids,
        located,
        services,
        service_ids,
    };
    let ctx = &context;

    // The provider parties holding a part for this deployment, the provider first.
    let mut holders = BTreeSet::new();
    for control in &deployment.controls {
        let Some(known) = matrix.control(&control.id) else {
            continue;
        };
        for model in &deployment.models {
            if let Some(provider) = matrix
                .effective_parts(known, &model.id, &ctx.service_ids)
                .provider
            {
                holders.extend(provider.parties.iter().map(String::as_str));
            }
        }
    }
    let provider = matrix.info.provider.as_str();
    let mut provider_parties: Vec<&str> = Vec::new();
    if holders.contains(provider) || matrix.parties.contains_key(provider) {
        provider_parties.push(provider);
    }
    provider_parties.extend(holders.iter().copied().filter(|party| *party != provider));

    let mut parties: Vec<Party> = provider_parties
        .iter()
        .map(|id| party(matrix, &ctx.matrix_ids, id))
        .collect();
    let mut accountable_seen = BTreeSet::new();
    for control in &deployment.controls {
        if let Some(accountable) = control.entry.as_ref().and_then(accountable_of)
            && accountable_seen.insert(accountable)
        {
            parties.push(accountable_party(ctx, accountable));
        }
    }

    let mut evidence = BTreeMap::new();
    let requirements = deployment
        .controls
        .iter()
        .filter_map(|control| requirement(ctx, control, &mut evidence))
        .collect();
    let mut components = vec![Component {
        status: unknown_state(),
        ..Component::operational(
            ctx.ids.this_system(),
            "this-system",
            THIS_SYSTEM,
            format!(
                "The deployment {} on {}, as its controls file declares it.",
                markdown(deployment.name.as_deref().unwrap_or(&ctx.located.file)),
                markdown(matrix.party_title(provider))
            ),
            Vec::new(),
        )
    }];
    components.extend(
        deployment
            .models
            .iter()
            .filter(|model| ctx.services.iter().any(|(_, _, m)| *m == model.id))
            .map(|model| model_component(ctx, &model.id, &model.title)),
    );
    components.extend(
        provider_parties
            .iter()
            .map(|party| provider_component(ctx, party, matrix_date)),
    );

    let name = deployment.name.as_deref().unwrap_or(&ctx.located.file);
    let counts = &deployment.counts;
    let mut resources = vec![matrix_resource(ctx)];
    resources.extend(
        evidence
            .into_values()
            .map(|(uuid, local)| evidence_resource(ctx, uuid, local)),
    );
    let mut props = provenance(matrix, matrix_date);
    props.push(Prop::srmlint("controls-file", &ctx.located.file));
    props.push(Prop::srmlint("report-date", &today.day()));
    Ok(Ssp {
        uuid: ctx.ids.ssp(),
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
                markdown(&ctx.located.file),
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
        import_profile: import_profile(),
        system_characteristics: characteristics(ctx, deployment, name),
        system_implementation: SystemImplementation { components },
        control_implementation: ControlImplementation {
            description: "One implemented requirement per control of the matrix that \
                              applies to the services in use, with FedRAMP's \
                              `control-origination`; one by-component per service model in \
                              which the control has a part: `inherited` for the provider's \
                              part (naming the matrix export's `provided` entry), `satisfied` \
                              for the customer's claim (naming its `responsibility`), and \
                              srmlint's verdict as the by-component's `implementation-status`: \
                              `implemented` (the provider's alone, or a claim the report calls \
                              covered), `partial` (claimed, but incomplete) or `planned` (a \
                              gap, waived or not)."
                .to_owned(),
            implemented_requirements: requirements,
        },
        back_matter: Some(BackMatter { resources }),
    })
}

/// A deployment srmlint could not judge has no plan to write.
fn refuse_unjudged(deployment: &DeploymentReport, matrix: &Matrix) -> Result<(), Error> {
    let why = if !deployment.parsed {
        let gaps = deployment.gaps.iter();
        let why: Vec<String> = gaps
            .map(|gap| format!("{} {}", gap.code, gap.message))
            .collect();
        format!(
            "it could not be read as a controls file ({})",
            why.join("; ")
        )
    } else if deployment.foreign_provider {
        format!(
            "it names provider `{}`, and the matrix is for `{}` (SRM014)",
            deployment.provider.as_deref().unwrap_or(""),
            matrix.info.provider
        )
    } else if deployment.controls.is_empty() {
        "it declares no service of the matrix's catalog, so no control applies to it".to_owned()
    } else {
        return Ok(());
    };
    let file = &deployment.file;
    Err(Error::new(format!(
        "cannot write the OSCAL SSP of `{file}`: {why}"
    )))
}

/// A claim's `accountable`, unless it is blank.
fn accountable_of(claim: &Claim) -> Option<&str> {
    claim
        .accountable
        .as_deref()
        .filter(|text| !text.trim().is_empty())
}

/// The party an `accountable` text names. An e-mail address is a person (or a shared
/// mailbox) reached at that address; any other text may be a team, a role or a person,
/// and OSCAL makes srmlint pick: an organization, with a remark that says so.
fn accountable_party(ctx: &Context, accountable: &str) -> Party {
    let address = accountable.trim();
    let (kind, email_addresses, remarks) = if is_email(address) {
        (
            "person",
            vec![address.to_owned()],
            "Named by `accountable` in the controls file, as an e-mail address: whoever \
             answers at it (a person or a shared mailbox).",
        )
    } else {
        (
            "organization",
            Vec::new(),
            "Named by `accountable` in the controls file: a team, a role or a person \
             (srmlint does not know which; OSCAL has no party type for a role).",
        )
    };
    Party {
        uuid: ctx.ids.accountable(accountable),
        kind,
        name: Line::new(accountable),
        short_name: None,
        props: Vec::new(),
        email_addresses,
        remarks: Some(remarks.to_owned()),
    }
}

/// A plain address (`local@domain.tld`, ASCII), as strict as the schema's `email`
/// format checkers: anything else is not written as an e-mail address.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

/// A service model in use, as the component that leverages the matrix export's
/// component of that model; the deployment's services of that model listed on it.
fn model_component(ctx: &Context, model: &str, title: &str) -> Component {
    let provider = markdown(ctx.matrix.party_title(&ctx.matrix.info.provider));
    let services: Vec<&(&str, &str, &str)> = ctx
        .services
        .iter()
        .filter(|(_, _, m)| *m == model)
        .collect();
    let mut props = vec![
        Prop::oscal("implementation-point", "external"),
        // What compliance-trestle and NIST's examples use to tie a component to the
        // leveraged system's component it stands for.
        Prop::oscal("inherited-uuid", &ctx.matrix_ids.model_component(model)),
        Prop::srmlint("service-model", model),
    ];
    props.extend(
        services
            .iter()
            .map(|(id, _, _)| Prop::srmlint("service", id)),
    );
    let listed: Vec<String> = services
        .iter()
        // Service ids are OSCAL tokens (`fields::check_ids`): nothing to escape in code.
        .map(|(id, title, _)| format!("{} (`{id}`)", markdown(title)))
        .collect();
    Component::operational(
        ctx.ids.model_component(model),
        "service",
        title,
        format!(
            "The deployment's use of {provider}'s {}: {}.",
            markdown(title),
            listed.join(", ")
        ),
        props,
    )
}

/// A provider party holding a part for this deployment: what it does is inherited, on
/// the strength of the attestations the provider's document names for it (none named,
/// none claimed), as the matrix export of the matrix's date describes it.
fn provider_component(ctx: &Context, party: &str, matrix_date: OscalDate) -> Component {
    let matrix = ctx.matrix;
    let parties = [party.to_owned()];
    let mut props = vec![Prop::oscal("implementation-point", "external")];
    props.extend(party_attestations(matrix, party));
    props.push(Prop::srmlint("matrix-version", version_of(matrix)));
    props.push(Prop::srmlint("matrix-retrieved", &matrix_date.day()));
    let title = matrix.party_title(party);
    Component {
        uuid: ctx.ids.provider_component(party),
        kind: "service",
        title: Line::new(title),
        description: format!(
            "What {} does for the deployment, as the {} (version {}) describes its part: \
             the `inherited` entries whose responsible role names this party.",
            markdown(title),
            markdown(&matrix.info.title),
            markdown(version_of(matrix))
        ),
        props,
        links: vec![Link {
            href: format!("#{}", ctx.matrix_ids.matrix_resource()),
            rel: Some("system-security-plan"),
            media_type: None,
            text: Some(Line::new("The provider side, exported by srmlint")),
        }],
        status: Status::OPERATIONAL,
        responsible_roles: vec![ResponsibleRole {
            role_id: PROVIDER_ROLE,
            party_uuids: vec![ctx.matrix_ids.party(party)],
        }],
        remarks: Some(attestations_sentence(matrix, &parties).unwrap_or_else(|| {
            // What the source says of such a party's assurance, never more.
            let scope = matrix
                .parties
                .get(party)
                .and_then(|known| known.attestation_scope.as_deref())
                .map(|scope| format!(" What it says: {}.", markdown(scope)))
                .unwrap_or_default();
            format!("The provider's document names no attestation of this party's own.{scope}")
        })),
    }
}

/// The matrix export, beside this plan.
fn matrix_resource(ctx: &Context) -> Resource {
    let matrix = ctx.matrix;
    Resource {
        uuid: ctx.matrix_ids.matrix_resource(),
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
            href: MATRIX_SSP_FILE.to_owned(),
            media_type: Some("application/oscal.ssp+json"),
            hashes: Vec::new(),
        }],
        remarks: None,
    }
}

/// An evidence file or folder of the repository, with its digest.
fn evidence_resource(ctx: &Context, uuid: String, local: LocalEvidence) -> Resource {
    let what = if local.is_folder { "folder" } else { "file" };
    let mut description = format!(
        "A {what} of the repository cited as evidence by the controls file {}; its path \
         from the repository root is {}.",
        markdown(&ctx.located.file),
        markdown(&local.path)
    );
    let mut props = vec![Prop::srmlint("evidence-path", &local.path)];
    if local.href.is_none() {
        description.push_str(
            " Not linked: this plan was written outside the repository, where a relative \
             href would spell out the machine's folders.",
        );
        if let Some(sha) = &local.sha256 {
            props.push(Prop::srmlint("sha256", sha));
        }
    }
    if !local.is_folder && local.sha256.is_none() {
        description.push_str(" It could not be read, so it has no digest.");
    }
    let hashes = (local.sha256.into_iter())
        .map(|value| Hash {
            algorithm: "SHA-256",
            value,
        })
        .collect();
    let rlink = local.href.map(|href| Rlink {
        href,
        media_type: None,
        hashes,
    });
    Resource {
        uuid,
        title: Line::new(&format!("Evidence: {}", local.path)),
        description: Some(description),
        props,
        citation: None,
        rlinks: rlink.into_iter().collect(),
        remarks: None,
    }
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
    ctx: &Context,
    deployment: &DeploymentReport,
    name: &str,
) -> SystemCharacteristics {
    let (matrix, ids) = (ctx.matrix, &ctx.ids);
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
    // What the file declares, as properties: services, zones, residency, sectors.
    let named_services = deployment
        .services
        .iter()
        .map(|s| ("service", s.id.as_str()));
    let named_zones = deployment.zones.iter().map(|z| ("zone", z.id.as_str()));
    let named_residency = (deployment.residency.iter()).map(|r| ("data-residency", r.as_str()));
    let named_sectors = (deployment.regulated.iter()).map(|s| ("regulated-sector", s.as_str()));
    let declared = named_services
        .chain(named_zones)
        .chain(named_residency)
        .chain(named_sectors);
    let mut props = vec![Prop::srmlint("controls-file", &ctx.located.file)];
    props.extend(declared.map(|(name, value)| Prop::srmlint(name, value)));
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
            markdown(&ctx.located.file)
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
                "The deployment's resources in the services and zones it declares (the \
                 service models in use are components, their services listed on them). \
                 What {provider} and the other parties of its responsibility model run \
                 beneath those services is outside it: inherited from the provider \
                 components, as the matrix export describes it."
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

type EvidenceResources = BTreeMap<String, (String, LocalEvidence)>;

fn requirement(
    ctx: &Context,
    control: &ControlReport,
    evidence: &mut EvidenceResources,
) -> Option<ImplementedRequirement> {
    let known = ctx.matrix.control(&control.id)?;
    let mut origination = Vec::new();
    let by_components: Vec<ByComponent> = control
        .cells
        .iter()
        .filter_map(|cell| {
            let status = cell.status?;
            // Only models whose services are in use (the report lists only those).
            if !ctx
                .services
                .iter()
                .any(|(_, _, model)| *model == cell.model)
            {
                return None;
            }
            let parts = ctx
                .matrix
                .effective_parts(known, &cell.model, &ctx.service_ids);
            if parts.is_empty() {
                return None;
            }
            origination.push((parts.customer.is_some(), parts.provider.is_some()));
            Some(by_component(
                ctx, control, known, cell, status, parts, evidence,
            ))
        })
        .collect();
    // The metaschema wants a by-component on every requirement; a control applies
    // only through a model whose services are listed, so one always exists.
    if by_components.is_empty() {
        return None;
    }
    let mut props = origination_props(&origination, "inherited");
    props.push(Prop::srmlint("responsibility", control.owner.as_str()));
    props.push(Prop::srmlint("status", control.status.as_str()));
    Some(ImplementedRequirement {
        uuid: ctx.ids.requirement(&control.id),
        control_id: control.id.clone(),
        props,
        by_components,
    })
}

fn by_component(
    ctx: &Context,
    control: &ControlReport,
    known: &matrix::Control,
    cell: &GridCell,
    status: posture::Status,
    parts: matrix::EffectiveParts<'_>,
    evidence: &mut EvidenceResources,
) -> ByComponent {
    let (matrix, model) = (ctx.matrix, cell.model.as_str());
    let inherited: Vec<Inherited> = parts
        .provider
        .iter()
        .map(|part| Inherited {
            uuid: ctx.ids.inherited(&control.id, model),
            provided_uuid: ctx.matrix_ids.provided(&known.id, model),
            description: prose(Some(&part.scope), "The provider's part."),
            props: attestation_props(matrix, &part.parties),
            responsible_roles: vec![ResponsibleRole {
                role_id: PROVIDER_ROLE,
                party_uuids: part
                    .parties
                    .iter()
                    .map(|p| ctx.matrix_ids.party(p))
                    .collect(),
            }],
        })
        .collect();
    let claim = control.entry.as_ref().filter(|_| cell.claimed);
    let satisfied: Vec<Satisfied> = match (parts.customer, claim) {
        (Some(_), Some(claim)) => vec![satisfied(ctx, control, model, claim, evidence)],
        _ => Vec::new(),
    };
    let findings: Vec<&Finding> = control
        .findings
        .iter()
        .filter(|finding| finding.model.as_deref().is_none_or(|m| m == model))
        .collect();
    let state = state(status);
    let mut remarks: Vec<String> = findings
        .iter()
        .map(|finding| finding_item(finding))
        .collect();
    if state == "planned" && parts.customer.is_some() && satisfied.is_empty() && remarks.is_empty()
    {
        remarks.push(format!(
            "- No entry of the controls file claims the customer's part in {}.",
            markdown(matrix.model_title(model))
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
    let services: Vec<String> = ctx
        .services
        .iter()
        .filter(|(_, _, m)| *m == model)
        .map(|(_, title, _)| markdown(title))
        .collect();
    ByComponent {
        component_uuid: ctx.ids.model_component(model),
        uuid: ctx.ids.by_component(&control.id, model),
        description: format!(
            "{} ({}): {}.",
            markdown(matrix.model_title(model)),
            and_list(&services),
            clauses.join("; ")
        ),
        props: vec![Prop::srmlint("status", status.as_str())],
        implementation_status: Some(Status {
            state,
            remarks: (!remarks.is_empty()).then(|| format!("{}\n", remarks.join("\n"))),
        }),
        export: None,
        inherited,
        satisfied,
    }
}

fn satisfied(
    ctx: &Context,
    control: &ControlReport,
    model: &str,
    claim: &Claim,
    evidence: &mut EvidenceResources,
) -> Satisfied {
    let mut props = Vec::new();
    if let Some(reviewed) = &claim.reviewed {
        props.push(Prop::srmlint("last-reviewed", reviewed));
    }
    let mut links = Vec::new();
    for item in &claim.evidence {
        // Only what srmlint accepts as evidence becomes a link: a `javascript:` value
        // (SRM021) would be a live link in every tool that shows the SSP; a path that
        // does not resolve inside the repository (SRM032, SRM033) points at nothing.
        let sha256 = (claim.evidence_fingerprints.iter())
            .find(|print| print.evidence == *item)
            .and_then(|print| print.sha256.clone());
        let target = match ctx.located.cite(item, sha256) {
            Cited::Nothing => continue,
            Cited::Url => href(item),
            Cited::Local(local) => {
                let uuid = ctx.ids.evidence(&local.path);
                let (uuid, _) = evidence.entry(local.path.clone()).or_insert((uuid, local));
                format!("#{uuid}")
            }
        };
        links.push(Link {
            href: target,
            rel: Some("evidence"),
            media_type: None,
            text: Some(Line::new(item)),
        });
    }
    let responsible_roles = accountable_of(claim)
        .map(|accountable| ResponsibleRole {
            role_id: ACCOUNTABLE_ROLE,
            party_uuids: vec![ctx.ids.accountable(accountable)],
        })
        .into_iter()
        .collect();
    Satisfied {
        uuid: ctx.ids.satisfied(&control.id, model),
        responsibility_uuid: ctx.matrix_ids.responsibility(&control.id, model),
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
