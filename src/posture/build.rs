//! Judging checked files into the posture report: a control's status per model, the
//! gaps, the waivers, and each framework requirement's status from the controls
//! linked to it, over the whole catalogue.

use std::collections::{BTreeMap, BTreeSet};

use super::source::{FileSource, GitState, MatrixSource, Source};
use super::{
    Attestations, Claim, Contribution, ControlCounts, ControlMapping, ControlReport,
    CoverageCounts, CustomerScope, DeploymentReport, Finding, FrameworkCoverage,
    FrameworkSelection, GridCell, MappedLink, ModelInUse, PostureReport, ProviderScope,
    RequirementCoverage, RequirementStatus, ServiceInUse, Status, TerraformReport,
    TerraformResource, TerraformService, TerraformSource, UnmappedControl, WaiverReport,
    WaiverState, WaiverView, ZoneInUse,
};
use crate::check::FileReport;
use crate::data::frameworks::{Extent, Framework, Requirement};
use crate::data::matrix::MatrixOwner;
use crate::data::matrix::{Control, Matrix};
use crate::data::scope::DeploymentScope;
use crate::diag::{Diagnostic, Severity, Summary};
use crate::input::controls::{ControlsFile, Entry, Services};
use crate::input::terraform::{self, Attribute, ServiceOf};
use crate::text::date::Date;

/// What a report judges the checked files against.
#[derive(Debug, Clone, Copy)]
pub struct ReportContext<'a> {
    pub matrix: &'a Matrix,
    /// Every framework mapping a report may cover.
    pub frameworks: &'a [Framework],
    pub today: Date,
    /// The commit the files lie in (`GitState::of_files`), looked up by the caller so
    /// that judging stays free of I/O.
    pub git: &'a GitState,
    /// The fingerprints of the evidence the files cite (`EvidenceIndex::of_files`),
    /// likewise looked up by the caller.
    pub evidence: &'a super::evidence::EvidenceIndex,
}

/// Builds the report for checked files. `frameworks` are validated ids when given.
pub fn build(
    files: &[FileReport],
    context: ReportContext<'_>,
    selection: &FrameworkSelection,
) -> PostureReport {
    let mut deployments: Vec<DeploymentReport> = files
        .iter()
        .map(|file| build_deployment(file, context, selection))
        .collect();
    deployments.sort_by(|a, b| a.file.cmp(&b.file));
    let files_in = files;
    let mut files: Vec<FileSource> = files
        .iter()
        .map(|file| FileSource {
            path: file.path.clone(),
            sha256: file.sha256(),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut overrides: Vec<crate::check::LevelOverride> = files_in
        .iter()
        .flat_map(|file| file.overrides.iter().cloned())
        .collect();
    overrides.sort_by(|a, b| (&a.file, &a.code).cmp(&(&b.file, &b.code)));
    overrides.dedup();
    PostureReport {
        today: context.today.to_string(),
        matrix: context.matrix.info.title.clone(),
        source: Source {
            srmlint: env!("CARGO_PKG_VERSION").to_owned(),
            matrix: MatrixSource::of(context.matrix),
            files,
            git: context.git.clone(),
            overrides,
        },
        deployments,
    }
}

fn build_deployment(
    report: &FileReport,
    context: ReportContext<'_>,
    selection: &FrameworkSelection,
) -> DeploymentReport {
    // Claims are judged by the contract: the claim rules (SRM030–SRM038) at their
    // default levels, whatever `[rules]` turned off or lowered (the header lists those
    // overrides); every other finding as the check reported it.
    let judged: Vec<Diagnostic> = report
        .diagnostics
        .iter()
        .filter(|d| !crate::check::is_claim_rule(&d.code))
        .chain(&report.contract)
        .cloned()
        .collect();
    let active = |severity: Severity| {
        judged
            .iter()
            .filter(move |d| d.is_active() && d.severity == severity)
            .map(Finding::of)
            .collect::<Vec<_>>()
    };
    let gaps = active(Severity::Error);
    let mut warnings = active(Severity::Warning);
    warnings.extend(active(Severity::Info));
    warnings.sort_by_key(|finding| (finding.line, finding.column));
    let waived = judged
        .iter()
        .filter(|d| d.is_waived())
        .map(Finding::of)
        .collect();
    let summary = Summary::of(1, &report.diagnostics);
    let mut deployment = DeploymentReport {
        file: report.path.clone(),
        parsed: report.file.is_some(),
        gaps,
        warnings,
        waived,
        terraform: terraform_report(report, context.matrix),
        summary,
        ..DeploymentReport::default()
    };
    let (Some(file), Some(source)) = (&report.file, &report.source) else {
        return deployment;
    };
    let matrix = context.matrix;
    let line_of = |offset: usize| source.position(offset).line;
    // A file for another provider is judged against nothing (SRM014): no controls,
    // and its services and zones are not looked up in this provider's catalog.
    let scope = file.deployment.scope(matrix);
    let foreign = scope.is_none();
    describe_deployment(&mut deployment, file, matrix, foreign);
    deployment.foreign_provider = foreign;
    let scope = scope.unwrap_or_default();
    // Columns follow the file: a model comes in where its first service is listed.
    let model_order = scope.models_in_file_order();
    deployment.models = model_order
        .iter()
        .map(|&id| ModelInUse {
            id: id.to_owned(),
            title: matrix.model_title(id).to_owned(),
        })
        .collect();
    let selected: Vec<&Framework> = match selection {
        FrameworkSelection::Given(ids) => ids
            .iter()
            .filter_map(|id| context.frameworks.iter().find(|f| f.id() == id))
            .collect(),
        FrameworkSelection::DeclaredOrAll if file.deployment.frameworks.is_empty() => {
            context.frameworks.iter().collect()
        }
        FrameworkSelection::Declared | FrameworkSelection::DeclaredOrAll => {
            let mut seen = BTreeSet::new();
            file.deployment
                .frameworks
                .iter()
                .filter(|id| seen.insert(id.value.as_str()))
                .filter_map(|id| {
                    let found = context.frameworks.iter().find(|f| f.id() == id.value);
                    if found.is_none() {
                        deployment.unknown_frameworks.push(id.value.clone());
                    }
                    found
                })
                .collect()
        }
    };
    for control in &matrix.controls {
        if let Some(control_report) = build_control(
            control,
            file,
            &judged,
            matrix,
            &scope,
            &model_order,
            &selected,
            &line_of,
            context.today,
        ) {
            deployment.controls.push(control_report);
        }
    }
    for control in &mut deployment.controls {
        if let Some(claim) = &mut control.entry {
            claim.evidence_fingerprints = (claim.evidence.iter())
                .filter_map(|value| context.evidence.get(&report.path, value).cloned())
                .collect();
        }
    }
    deployment.counts = count_controls(&deployment.controls);
    // The check judged each waiver, in file order; the report adds what the file says.
    deployment.waivers = file
        .waivers
        .iter()
        .enumerate()
        .map(|(index, waiver)| {
            let judged = report.waivers.get(index);
            let days_left = waiver
                .expires
                .as_ref()
                .map(|expires| context.today.days_until(expires.value));
            WaiverReport {
                waiver: WaiverView::of(waiver),
                days_left,
                state: judged.map_or(WaiverState::Invalid, |judged| judged.state),
                waived: judged.map_or(0, |judged| judged.waived),
                line: line_of(waiver.span.start),
            }
        })
        .collect();
    // Which services are in use is not known when one is not in the catalog (SRM011),
    // the provider is another (SRM014) or none is declared (SRM015): then no control can
    // be ruled out, and srmlint never turns that into an exclusion.
    let listed = file.deployment.service_list();
    let undetermined = foreign
        || listed.is_empty()
        || (listed.iter()).any(|service| matrix.model_of_service(&service.value).is_none());
    deployment.frameworks = selected
        .iter()
        .map(|framework| coverage(framework, &deployment.controls, undetermined))
        .collect();
    deployment
}

/// The Terraform sources of a file and the resources they hold, per service.
fn terraform_report(report: &FileReport, matrix: &Matrix) -> Option<TerraformReport> {
    if report.terraform.is_empty() {
        return None;
    }
    let declared: BTreeSet<&str> = report
        .file
        .as_ref()
        .map(|file| {
            file.deployment
                .service_list()
                .iter()
                .map(|service| service.value.as_str())
                .collect()
        })
        .unwrap_or_default();
    let mut sources = Vec::new();
    let mut services: BTreeMap<&str, Vec<TerraformResource>> = BTreeMap::new();
    let mut other_resources = 0;
    // With a plan or state, it alone says what exists: `.tf` folders beside it only
    // place findings, and their resources are not counted again.
    let with_plan = report.terraform.iter().any(|source| {
        source
            .read
            .as_ref()
            .is_ok_and(|inventory| inventory.kind != terraform::SourceKind::Module)
    });
    // Where the code declares each resource (by address, and by address without
    // instance keys): a plan's resource is shown at its block in the `.tf`.
    let mut declared_at: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let place = |inventory: &terraform::Inventory, resource: &terraform::Resource| {
        let file = &inventory.files[resource.file];
        let line = file.source.position(resource.header.start).line;
        (file.path.clone(), line)
    };
    if with_plan {
        for source in &report.terraform {
            let Ok(inventory) = &source.read else {
                continue;
            };
            if inventory.kind != terraform::SourceKind::Module {
                continue;
            }
            for resource in &inventory.resources {
                let place = place(inventory, resource);
                declared_at
                    .entry(resource.address.clone())
                    .or_insert_with(|| place.clone());
                declared_at
                    .entry(terraform::block_address(&resource.address))
                    .or_insert(place);
            }
        }
    }
    for source in &report.terraform {
        let inventory = match &source.read {
            Ok(inventory) => inventory,
            Err(why) => {
                sources.push(TerraformSource {
                    path: source.shown(),
                    problem: Some(why.clone()),
                    ..TerraformSource::default()
                });
                continue;
            }
        };
        sources.push(TerraformSource {
            path: inventory.shown.clone(),
            kind: Some(inventory.kind.as_str().to_owned()),
            files: inventory
                .files
                .iter()
                .map(|file| file.path.clone())
                .collect(),
            resources: inventory.resources.len(),
            problem: None,
        });
        if with_plan && inventory.kind == terraform::SourceKind::Module {
            continue;
        }
        for resource in &inventory.resources {
            let ServiceOf::Service(service) = terraform::service_of(resource, &matrix.terraform)
            else {
                other_resources += 1;
                continue;
            };
            let zone_attribute = terraform::mapping_of(resource, &matrix.terraform)
                .and_then(|mapping| mapping.zone.as_deref());
            let zone = zone_attribute.and_then(|name| match resource.attribute(name) {
                Some(Attribute::Value { value, .. }) => Some(value.clone()),
                _ => None,
            });
            services.entry(service).or_default().push({
                let (file, line) = declared_at
                    .get(&resource.address)
                    .or_else(|| declared_at.get(&terraform::block_address(&resource.address)))
                    .cloned()
                    .unwrap_or_else(|| place(inventory, resource));
                TerraformResource {
                    address: resource.address.clone(),
                    resource_type: resource.resource_type.clone(),
                    file,
                    line,
                    zone,
                    global: zone_attribute.is_none(),
                }
            });
        }
    }
    Some(TerraformReport {
        sources,
        services: services
            .into_iter()
            .map(|(id, resources)| TerraformService {
                id: id.to_owned(),
                title: matrix.services.get(id).map(|known| known.title.clone()),
                declared: declared.contains(id),
                resources,
            })
            .collect(),
        other_resources,
    })
}

fn describe_deployment(
    deployment: &mut DeploymentReport,
    file: &ControlsFile,
    matrix: &Matrix,
    foreign: bool,
) {
    let declared = &file.deployment;
    deployment.name = declared.name.as_ref().map(|name| name.value.clone());
    deployment.provider = Some(
        declared
            .provider
            .as_ref()
            .map_or_else(|| matrix.info.provider.clone(), |p| p.value.clone()),
    );
    if let Services::List(list) = &declared.services {
        deployment.services = list
            .value
            .iter()
            .map(|service| {
                let known = matrix.services.get(&service.value).filter(|_| !foreign);
                ServiceInUse {
                    id: service.value.clone(),
                    title: known.map(|s| s.title.clone()),
                    model: known.map(|s| s.model.clone()),
                }
            })
            .collect();
    }
    deployment.zones = declared
        .zones
        .iter()
        .map(|zone| {
            let known = matrix.zones.get(&zone.value).filter(|_| !foreign);
            ZoneInUse {
                id: zone.value.clone(),
                city: known.map(|z| z.city.clone()),
                country: known.map(|z| z.country.clone()),
            }
        })
        .collect();
    deployment.residency = declared.residency.as_ref().map(|r| r.value.clone());
    deployment.regulated = declared.regulated.iter().map(|r| r.value.clone()).collect();
}

/// The report of one control, or `None` when it applies to no model in use.
#[allow(
    clippy::too_many_arguments,
    reason = "one call site; a context struct would only rename the arguments"
)]
fn build_control(
    control: &Control,
    file: &ControlsFile,
    diagnostics: &[Diagnostic],
    matrix: &Matrix,
    scope: &DeploymentScope,
    model_order: &[&str],
    frameworks: &[&Framework],
    line_of: &dyn Fn(usize) -> usize,
    today: Date,
) -> Option<ControlReport> {
    let owner = matrix.owner_over(control, scope.model_ids(), &scope.services)?;
    let entry = file
        .entries
        .iter()
        .find(|entry| entry.control.value == control.id);
    let against_control: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.control.as_deref() == Some(control.id.as_str()))
        .collect();
    let mut customer_parts = Vec::new();
    let mut provider_parts = Vec::new();
    // Parties in the order the matrix names them, so Exoscale leads where it does.
    let mut party_ids: Vec<&str> = Vec::new();
    let mut cells = Vec::new();
    for &model in model_order {
        let parts = matrix.effective_parts(control, model, &scope.services);
        if let Some(customer) = parts.customer {
            customer_parts.push(CustomerScope {
                model: model.to_owned(),
                scope: customer.scope.clone(),
            });
        }
        if let Some(provider) = parts.provider {
            for party in &provider.parties {
                if !party_ids.contains(&party.as_str()) {
                    party_ids.push(party);
                }
            }
            provider_parts.push(ProviderScope {
                model: model.to_owned(),
                parties: provider
                    .parties
                    .iter()
                    .map(|party| matrix.party_title(party).to_owned())
                    .collect(),
                scope: provider.scope.clone(),
            });
        }
        let cell_owner = matrix.owner_over(control, [model], &scope.services);
        let claimed = entry.is_some_and(|entry| entry.claims_model(model));
        let status =
            cell_owner.map(|cell_owner| cell_status(cell_owner, model, claimed, &against_control));
        cells.push(GridCell {
            model: model.to_owned(),
            owner: cell_owner,
            status,
            claimed,
        });
    }
    let status = cells
        .iter()
        .filter_map(|cell| cell.status)
        .max()
        .unwrap_or(Status::Inherited);
    // A party the source names no attestation for is listed too, with what the source
    // says of it, so nobody reads the others' reports as covering it.
    let attestations = party_ids
        .iter()
        .filter_map(|id| matrix.parties.get(*id))
        .filter(|party| !party.attestations.is_empty() || party.attestation_scope.is_some())
        .map(|party| Attestations {
            party: party.title.clone(),
            attestations: party.attestations.clone(),
            scope: party.attestation_scope.clone(),
        })
        .collect();
    // Inheritance needs an attestation the source names for each party holding a part:
    // its own, or that of the party that acknowledges it (the Providers, through
    // Exoscale's).
    let attested = |id: &str| {
        matrix
            .parties
            .get(id)
            .is_some_and(|party| !party.attestations.is_empty())
    };
    let provider_attested = party_ids.iter().all(|id| {
        attested(id)
            || matrix
                .parties
                .get(*id)
                .and_then(|party| party.acknowledge_with.as_deref())
                .is_some_and(attested)
    });
    let mut findings: Vec<Finding> = against_control
        .iter()
        .filter(|d| d.is_active() || d.is_waived())
        .map(|d| Finding::of(d))
        .collect();
    findings.sort_by_key(|finding| (finding.line, finding.column));
    let mappings = frameworks
        .iter()
        .filter_map(|framework| {
            let note = framework.controls.get(&control.id)?;
            let links: Vec<MappedLink> = framework
                .links_of(&control.id)
                .map(|(requirement, link)| MappedLink {
                    requirement: requirement.id.clone(),
                    link: link.clone(),
                })
                .collect();
            Some(ControlMapping {
                framework: framework.id().to_owned(),
                requirements: links.iter().map(|l| l.requirement.clone()).collect(),
                links,
                note: note.note.clone(),
            })
        })
        .collect();
    Some(ControlReport {
        id: control.id.clone(),
        title: control.title.clone(),
        source: control.source.clone(),
        owner,
        status,
        cells,
        customer_parts,
        provider_parts,
        attestations,
        entry: entry.map(|entry| claim_of(entry, line_of, today)),
        findings,
        mappings,
        provider_attested,
    })
}

/// The status of a control in one model: an error against it (for this model or for
/// the whole control) is a gap; a provider-only cell is inherited; a customer part is
/// claimed when an entry claims it over this model (`claimed`) — incomplete while a
/// claim-hygiene warning stands against it — and a gap otherwise.
fn cell_status(
    owner: MatrixOwner,
    model: &str,
    claimed: bool,
    against_control: &[&Diagnostic],
) -> Status {
    let here = |d: &&&Diagnostic| d.model.as_deref().is_none_or(|m| m == model);
    let errors = against_control.iter().filter(here);
    let errors: Vec<_> = errors.filter(|d| d.severity == Severity::Error).collect();
    if errors.iter().any(|d| d.is_active()) {
        return Status::Gap;
    }
    if !errors.is_empty() {
        return Status::Waived;
    }
    if owner == MatrixOwner::Provider {
        return Status::Inherited;
    }
    if !claimed {
        return Status::Gap;
    }
    // Waived or not: a waiver accepts a missing field for a while, it does not fill it.
    let hygiene = against_control.iter().filter(here).any(|d| {
        d.severity != Severity::Error && super::CLAIM_HYGIENE_CODES.contains(&d.code.as_str())
    });
    if hygiene {
        Status::Incomplete
    } else {
        Status::Claimed
    }
}

fn claim_of(entry: &Entry, line_of: &dyn Fn(usize) -> usize, today: Date) -> Claim {
    Claim {
        owner: entry.owner.as_ref().map(|o| o.value.as_str().to_owned()),
        accountable: entry.accountable.as_ref().map(|v| v.value.clone()),
        implementation: entry.implementation.as_ref().map(|v| v.value.clone()),
        evidence: entry
            .evidence
            .as_ref()
            .map(|list| list.value.iter().map(|item| item.value.clone()).collect())
            .unwrap_or_default(),
        evidence_fingerprints: Vec::new(),
        reviewed: entry.reviewed.as_ref().map(|d| d.value.to_string()),
        reviewed_days_ago: entry.reviewed.as_ref().map(|d| d.value.days_until(today)),
        notes: entry.notes.as_ref().map(|v| v.value.clone()),
        line: line_of(entry.header.start),
    }
}

fn count_controls(controls: &[ControlReport]) -> ControlCounts {
    let mut counts = ControlCounts {
        applicable: controls.len(),
        ..ControlCounts::default()
    };
    for control in controls {
        match control.owner {
            MatrixOwner::Customer => counts.customer += 1,
            MatrixOwner::Shared => counts.shared += 1,
            MatrixOwner::Provider => counts.provider += 1,
        }
        match control.status {
            Status::Claimed => counts.claimed += 1,
            Status::Incomplete => counts.incomplete += 1,
            Status::Inherited => counts.inherited += 1,
            Status::Waived => counts.waived += 1,
            Status::Gap => counts.gap += 1,
            Status::NotApplicable => {}
        }
    }
    counts
}

/// Every requirement of the catalogue with its status from the applicable controls
/// linked to it; see `requirement_status` for the rules. When the services in use are
/// `undetermined`, a linked control that does not apply to the known ones is a gap.
fn coverage(
    framework: &Framework,
    controls: &[ControlReport],
    undetermined: bool,
) -> FrameworkCoverage {
    let mut counts = CoverageCounts::default();
    let requirements: Vec<RequirementCoverage> = framework
        .requirements
        .iter()
        .map(|requirement| {
            let linked = requirement.links.iter().map(|link| {
                let control = controls.iter().find(|c| c.id == link.control);
                let status = match control {
                    Some(control) => control.status,
                    None if undetermined => Status::Gap,
                    None => Status::NotApplicable,
                };
                let contribution = Contribution {
                    control: link.control.clone(),
                    status,
                    link: link.clone(),
                };
                // The owner of a control not in use is never looked at: a gap is open first.
                let owner = control.map_or(MatrixOwner::Customer, |c| c.owner);
                (
                    contribution,
                    owner,
                    control.is_some_and(|c| c.provider_attested),
                )
            });
            let (contributions, not_applicable): (Vec<_>, Vec<_>) =
                linked.partition(|(c, ..)| c.status != Status::NotApplicable);
            let status = requirement_status(requirement, &contributions);
            *counts.of_status(status).0 += 1;
            // A requirement no linked control applies to names them, so it shows why.
            let controls = match status {
                RequirementStatus::NotApplicable => not_applicable,
                _ => contributions,
            };
            RequirementCoverage {
                id: requirement.id.clone(),
                title: requirement.title.clone(),
                paraphrased: requirement.paraphrased,
                customer_duty: requirement.customer_duty.clone(),
                status,
                controls: controls.into_iter().map(|(c, ..)| c).collect(),
            }
        })
        .collect();
    counts.total = requirements.len();
    // Each requirement has one status: the judged ones are all but these two.
    counts.applicable = counts.total - counts.not_applicable - counts.not_assessed;
    counts.in_scope = counts.applicable;
    let shares = shares(&RequirementStatus::ALL.map(|status| counts.count(status)));
    for (status, share) in RequirementStatus::ALL.into_iter().zip(shares) {
        *counts.of_status(status).1 = share;
    }
    let unmapped_controls = controls
        .iter()
        .filter(|control| framework.links_of(&control.id).next().is_none())
        .filter_map(|control| {
            let note = framework.controls.get(&control.id)?;
            Some(UnmappedControl {
                control: control.id.clone(),
                note: note.note.clone(),
            })
        })
        .collect();
    FrameworkCoverage {
        info: framework.framework.clone(),
        counts,
        requirements,
        unmapped_controls,
    }
}

/// A requirement's status from the applicable controls linked to it, each with its
/// matrix owner over the models in use and whether its provider parties are attested.
/// In order (the first that applies wins: open, incomplete, inherited in part, covered,
/// inherited):
/// - no link at all: `not_assessed` (srmlint has no control for it);
/// - no linked control applies: `not_applicable`;
/// - a linked control has a gap, waived or not: `open`;
/// - a claim the customer owes on it has a claim-hygiene finding, and one of the links
///   it owes holds the requirement whole: `incomplete`;
/// - a provider-held link names the provider's part only (`provider_scope`) and the
///   provider's parties are attested: `inherited_in_part`;
/// - some linked control is owed by the customer (customer or shared): `covered` when
///   one of those links holds the requirement whole, else `not_assessed` (srmlint sees
///   only part of it);
/// - only the provider holds them: `inherited` when every link holds the requirement
///   whole, every provider party is attested and it is no duty of the customer toward
///   its provider; else `not_assessed`.
fn requirement_status(
    requirement: &Requirement,
    contributions: &[(Contribution, MatrixOwner, bool)],
) -> RequirementStatus {
    if requirement.links.is_empty() {
        return RequirementStatus::NotAssessed;
    }
    if contributions.is_empty() {
        return RequirementStatus::NotApplicable;
    }
    if contributions
        .iter()
        .any(|(c, ..)| matches!(c.status, Status::Gap | Status::Waived))
    {
        return RequirementStatus::Open;
    }
    let owed: Vec<&Contribution> = contributions
        .iter()
        .filter(|(_, owner, _)| *owner != MatrixOwner::Provider)
        .map(|(c, ..)| c)
        .collect();
    // srmlint judges the customer's claims on it only through a link that holds it whole.
    let judged = owed.iter().any(|c| c.link.extent == Extent::Whole);
    if judged && owed.iter().any(|c| c.status == Status::Incomplete) {
        return RequirementStatus::Incomplete;
    }
    let held = |(c, owner, attested): &&(Contribution, MatrixOwner, bool)| {
        *owner == MatrixOwner::Provider && *attested && c.link.provider_scope.is_some()
    };
    if requirement.customer_duty.is_none() && contributions.iter().any(|c| held(&c)) {
        return RequirementStatus::InheritedInPart;
    }
    if !owed.is_empty() {
        return if judged {
            RequirementStatus::Covered
        } else {
            RequirementStatus::NotAssessed
        };
    }
    let whole = contributions.iter().all(|(c, _, attested)| {
        c.link.extent == Extent::Whole && c.link.provider_scope.is_none() && *attested
    });
    if whole && requirement.customer_duty.is_none() {
        RequirementStatus::Inherited
    } else {
        RequirementStatus::NotAssessed
    }
}

/// Whole percentages of `counts` that sum to exactly 100 (largest-remainder rounding:
/// each share rounded down, the points left over going to the largest remainders, ties
/// to the earlier count); all 0 when the counts are.
pub fn shares<const N: usize>(counts: &[usize; N]) -> [u32; N] {
    let total: usize = counts.iter().sum();
    let mut shares = [0u32; N];
    if total == 0 {
        return shares;
    }
    let mut remainders: Vec<(usize, usize)> = Vec::with_capacity(N);
    let mut given = 0;
    for (index, count) in counts.iter().enumerate() {
        let scaled = count * 100;
        shares[index] = (scaled / total) as u32;
        given += shares[index];
        remainders.push((scaled % total, index));
    }
    // Largest remainder first; among equals, the earlier status.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders.into_iter().take((100 - given) as usize) {
        shares[index] += 1;
    }
    shares
}
