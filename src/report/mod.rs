//! The pre-audit posture report (`srmlint report`): what a compliance lead hands an
//! auditor. This module builds the report as data from checked files — who owns each
//! control, what is claimed or inherited, the gaps, the waivers and the framework
//! coverage — and one module per format renders it. The model is computed once, so
//! Markdown, HTML and JSON can never disagree.

pub mod html;
pub mod json;
pub mod markdown;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::check::{Checker, FileReport};
use crate::controls::{ControlsFile, Entry, Services};
use crate::date::Date;
use crate::diagnostic::{Diagnostic, Severity, Summary};
use crate::engine::DeploymentScope;
use crate::frameworks::{Basis, Framework};
use crate::matrix::{Control, Matrix, MatrixOwner};
use crate::waivers;

/// Output formats of `srmlint report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// GitHub-flavoured Markdown, fit for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// One self-contained HTML file: inline CSS, no scripts, nothing fetched; prints to PDF.
    Html,
    /// The report as data, for GRC tools (shape in docs/report-json.md).
    Json,
}

/// Renders `report` in `format`.
pub fn render(report: &PostureReport, format: ReportFormat) -> String {
    match format {
        ReportFormat::Markdown => markdown::render(report),
        ReportFormat::Html => html::render(report),
        ReportFormat::Json => json::render(report),
    }
}

/// Which frameworks a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameworkSelection {
    /// Each deployment's own `frameworks` list (the default).
    Declared,
    /// These framework ids for every deployment (`--framework`), already validated.
    Given(Vec<String>),
}

/// The whole report: one section per controls file, in path order.
#[derive(Debug, Clone, Serialize)]
pub struct PostureReport {
    pub today: String,
    pub matrix: String,
    pub deployments: Vec<DeploymentReport>,
}

/// The report for one controls file.
#[derive(Debug, Clone, Serialize)]
pub struct DeploymentReport {
    /// The file as given on the command line (DESIGN.md §2).
    pub file: String,
    /// False when the file could not be read or parsed: only its gaps are reported.
    pub parsed: bool,
    pub name: Option<String>,
    pub provider: Option<String>,
    pub services: Vec<ServiceInUse>,
    pub zones: Vec<ZoneInUse>,
    pub residency: Option<String>,
    pub regulated: Vec<String>,
    /// True when the file names a provider the loaded matrix is not for (SRM014):
    /// nothing is judged against the matrix, so no control is listed.
    pub foreign_provider: bool,
    /// The service models in use, in the order `services` brings them in: the columns
    /// of the ownership grid.
    pub models: Vec<ModelInUse>,
    /// Every control that applies to the models in use, in matrix order.
    pub controls: Vec<ControlReport>,
    pub counts: ControlCounts,
    /// Every active error-level finding of the file, in file order.
    pub gaps: Vec<Finding>,
    /// Active warnings: not gaps, but worth a look before the audit.
    pub warnings: Vec<Finding>,
    /// Findings covered by a waiver (they stay visible, marked).
    pub waived: Vec<Finding>,
    pub waivers: Vec<WaiverReport>,
    pub frameworks: Vec<FrameworkCoverage>,
    /// Frameworks named in the file that have no mapping (also an SRM016 gap).
    pub unknown_frameworks: Vec<String>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceInUse {
    pub id: String,
    /// Null for a service the catalog does not know (an SRM011 gap).
    pub title: Option<String>,
    pub model: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ZoneInUse {
    pub id: String,
    pub city: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelInUse {
    pub id: String,
    pub title: String,
}

/// How a control stands for this deployment, from the best to the worst news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The provider holds it alone; the customer inherits it.
    Inherited,
    /// The customer's part is claimed, with no error finding against it.
    Claimed,
    /// A gap covered by an unexpired waiver: accepted for now, still not done.
    Waived,
    /// An active error finding, or a customer part nobody claims.
    Gap,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Inherited => "inherited",
            Status::Claimed => "claimed",
            Status::Waived => "waived",
            Status::Gap => "gap",
        }
    }
}

/// One cell of the ownership grid: a control in one model.
#[derive(Debug, Clone, Serialize)]
pub struct GridCell {
    pub model: String,
    /// Null when the control does not apply in this model.
    pub owner: Option<MatrixOwner>,
    pub status: Option<Status>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CustomerScope {
    pub model: String,
    pub scope: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProviderScope {
    pub model: String,
    /// Party titles as the matrix names them (e.g. "Exoscale", "Aiven (...)").
    pub parties: Vec<String>,
    pub scope: String,
}

/// The certifications and reports the source names for one provider party.
#[derive(Debug, Clone, Serialize)]
pub struct Attestations {
    pub party: String,
    pub attestations: Vec<String>,
}

/// The customer's entry for a control, as written in the file.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    /// The owner word: customer, shared, or a provider party acknowledging it.
    pub owner: Option<String>,
    pub accountable: Option<String>,
    pub implementation: Option<String>,
    pub evidence: Vec<String>,
    pub reviewed: Option<String>,
    /// Days since `reviewed` (negative when it lies in the future).
    pub reviewed_days_ago: Option<i64>,
    pub notes: Option<String>,
    pub line: usize,
}

/// A section of the provider's document and the row or line in it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceCitation {
    pub section: String,
    pub row: String,
}

impl std::fmt::Display for SourceCitation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, “{}”", self.section, self.row)
    }
}

/// How one framework maps a control.
#[derive(Debug, Clone, Serialize)]
pub struct ControlMapping {
    pub framework: String,
    pub requirements: Vec<String>,
    pub basis: Basis,
    pub citation: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ControlReport {
    pub id: String,
    pub title: String,
    /// Where in the provider's document the control comes from.
    pub source: SourceCitation,
    /// The matrix owner over the models in use.
    pub owner: MatrixOwner,
    pub status: Status,
    pub cells: Vec<GridCell>,
    pub customer_parts: Vec<CustomerScope>,
    pub provider_parts: Vec<ProviderScope>,
    /// The attestations of every provider party holding a part, in party order.
    pub attestations: Vec<Attestations>,
    /// The file's entry for the control, when there is one.
    pub entry: Option<Claim>,
    /// Codes and messages of the findings against this control (gaps and warnings).
    pub findings: Vec<Finding>,
    pub mappings: Vec<ControlMapping>,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ControlCounts {
    pub applicable: usize,
    pub customer: usize,
    pub shared: usize,
    pub provider: usize,
    pub claimed: usize,
    pub inherited: usize,
    pub waived: usize,
    pub gap: usize,
}

/// A finding, reduced to what a reader of the report needs.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub code: String,
    pub name: String,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    pub line: usize,
    pub column: usize,
    pub control: Option<String>,
    pub model: Option<String>,
    /// The waiver covering it, for a waived finding.
    pub waiver: Option<FindingWaiver>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingWaiver {
    pub reason: String,
    pub approved_by: String,
    pub expires: String,
}

impl Finding {
    fn of(diagnostic: &Diagnostic) -> Self {
        Self {
            code: diagnostic.code.clone(),
            name: diagnostic.name.clone(),
            severity: diagnostic.severity,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            line: diagnostic.start.line,
            column: diagnostic.start.column,
            control: diagnostic.control.clone(),
            model: diagnostic.model.clone(),
            waiver: diagnostic.waiver.as_ref().map(|waiver| FindingWaiver {
                reason: waiver.reason.clone(),
                approved_by: waiver.approved_by.clone(),
                expires: waiver.expires.to_string(),
            }),
        }
    }
}

/// What became of a waiver, as the check judged it (`waivers::WaiverState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WaiverState {
    /// Valid, not expired, and waives at least one finding.
    Active,
    /// Valid and not expired, but matches no finding (SRM041).
    Unused,
    /// Past `expires`: what it hid counts again (SRM040).
    Expired,
    /// Incomplete, too long, or naming an unknown rule or control (SRM042).
    Invalid,
}

impl From<waivers::WaiverState> for WaiverState {
    fn from(state: waivers::WaiverState) -> Self {
        match state {
            waivers::WaiverState::Active => WaiverState::Active,
            waivers::WaiverState::Unused => WaiverState::Unused,
            waivers::WaiverState::Expired => WaiverState::Expired,
            waivers::WaiverState::Invalid => WaiverState::Invalid,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverReport {
    pub rule: Option<String>,
    pub control: Option<String>,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub ticket: Option<String>,
    pub expires: Option<String>,
    /// Days from the report date to `expires`: 0 on the last covered day, negative once expired.
    pub days_left: Option<i64>,
    pub state: WaiverState,
    /// How many findings it waives.
    pub waived: usize,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequirementStatus {
    /// Every contributing control the customer owes is claimed without a gap.
    Covered,
    /// Only provider-held controls contribute.
    Inherited,
    /// A contributing control has a gap (waived or not).
    Open,
    /// No control that applies to this deployment maps to it.
    NotApplicable,
}

impl RequirementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RequirementStatus::Covered => "covered",
            RequirementStatus::Inherited => "inherited",
            RequirementStatus::Open => "open",
            RequirementStatus::NotApplicable => "not applicable",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Contribution {
    pub control: String,
    pub status: Status,
    pub basis: Basis,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementCoverage {
    pub id: String,
    pub title: String,
    pub status: RequirementStatus,
    pub controls: Vec<Contribution>,
}

/// Counts over the applicable requirements; percentages are whole numbers, rounded
/// half up, of `applicable`.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CoverageCounts {
    pub applicable: usize,
    pub covered: usize,
    pub inherited: usize,
    pub open: usize,
    pub not_applicable: usize,
    pub covered_percent: u32,
    pub inherited_percent: u32,
    pub open_percent: u32,
}

/// An applicable control the framework maps to nothing, with the mapping's reason.
#[derive(Debug, Clone, Serialize)]
pub struct UnmappedControl {
    pub control: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkCoverage {
    pub id: String,
    pub title: String,
    pub version: String,
    pub reference: String,
    pub counts: CoverageCounts,
    /// In the framework file's order of ids (sorted).
    pub requirements: Vec<RequirementCoverage>,
    pub unmapped_controls: Vec<UnmappedControl>,
}

/// Builds the report for checked files. `frameworks` are validated ids when given.
pub fn build(
    files: &[FileReport],
    checker: &Checker,
    selection: &FrameworkSelection,
) -> PostureReport {
    let mut deployments: Vec<DeploymentReport> = files
        .iter()
        .map(|file| build_deployment(file, checker, selection))
        .collect();
    deployments.sort_by(|a, b| a.file.cmp(&b.file));
    PostureReport {
        today: checker.today.to_string(),
        matrix: checker.matrix.info.title.clone(),
        deployments,
    }
}

fn build_deployment(
    report: &FileReport,
    checker: &Checker,
    selection: &FrameworkSelection,
) -> DeploymentReport {
    let active = |severity: Severity| {
        report
            .diagnostics
            .iter()
            .filter(move |d| d.is_active() && d.severity == severity)
            .map(Finding::of)
            .collect::<Vec<_>>()
    };
    let gaps = active(Severity::Error);
    let mut warnings = active(Severity::Warning);
    warnings.extend(active(Severity::Info));
    warnings.sort_by_key(|finding| (finding.line, finding.column));
    let waived = report
        .diagnostics
        .iter()
        .filter(|d| d.is_waived())
        .map(Finding::of)
        .collect();
    let summary = Summary::of(1, &report.diagnostics);
    let mut deployment = DeploymentReport {
        file: report.path.clone(),
        parsed: report.file.is_some(),
        name: None,
        provider: None,
        services: Vec::new(),
        zones: Vec::new(),
        residency: None,
        regulated: Vec::new(),
        foreign_provider: false,
        models: Vec::new(),
        controls: Vec::new(),
        counts: ControlCounts::default(),
        gaps,
        warnings,
        waived,
        waivers: Vec::new(),
        frameworks: Vec::new(),
        unknown_frameworks: Vec::new(),
        summary,
    };
    let (Some(file), Some(source)) = (&report.file, &report.source) else {
        return deployment;
    };
    let matrix = &checker.matrix;
    let line_of = |offset: usize| source.position(offset).line;
    // A file for another provider is judged against nothing (SRM014): no controls,
    // and its services and zones are not looked up in this provider's catalog.
    let foreign = file
        .deployment
        .provider
        .as_ref()
        .is_some_and(|provider| provider.value != matrix.info.provider);
    describe_deployment(&mut deployment, file, matrix, foreign);
    deployment.foreign_provider = foreign;
    let scope = if foreign {
        DeploymentScope::default()
    } else {
        DeploymentScope::of(file, matrix)
    };
    // Columns follow the file: a model comes in where its first service is listed.
    let mut model_order: Vec<(&String, usize)> = scope
        .models
        .iter()
        .map(|(model, service)| (model, service.span.start))
        .collect();
    model_order.sort_by_key(|&(model, start)| (start, model));
    let model_order: Vec<&str> = model_order
        .iter()
        .map(|(model, _)| model.as_str())
        .collect();
    deployment.models = model_order
        .iter()
        .map(|&id| ModelInUse {
            id: id.to_owned(),
            title: matrix
                .models
                .get(id)
                .map_or_else(|| id.to_owned(), |m| m.title.clone()),
        })
        .collect();
    let selected: Vec<&Framework> = match selection {
        FrameworkSelection::Given(ids) => ids
            .iter()
            .filter_map(|id| checker.frameworks.iter().find(|f| f.id() == id))
            .collect(),
        FrameworkSelection::Declared => {
            let mut seen = BTreeSet::new();
            file.deployment
                .frameworks
                .iter()
                .filter(|id| seen.insert(id.value.as_str()))
                .filter_map(|id| {
                    let found = checker.frameworks.iter().find(|f| f.id() == id.value);
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
            &report.diagnostics,
            matrix,
            &scope,
            &model_order,
            &selected,
            &line_of,
            checker.today,
        ) {
            deployment.controls.push(control_report);
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
                .map(|expires| checker.today.days_until(expires.value));
            WaiverReport {
                rule: waiver.rule.as_ref().map(|v| v.value.clone()),
                control: waiver.control.as_ref().map(|v| v.value.clone()),
                reason: waiver.reason.as_ref().map(|v| v.value.clone()),
                approved_by: waiver.approved_by.as_ref().map(|v| v.value.clone()),
                ticket: waiver.ticket.as_ref().map(|v| v.value.clone()),
                expires: waiver.expires.as_ref().map(|v| v.value.to_string()),
                days_left,
                state: judged.map_or(WaiverState::Invalid, |judged| judged.state.into()),
                waived: judged.map_or(0, |judged| judged.waived),
                line: line_of(waiver.span.start),
            }
        })
        .collect();
    deployment.frameworks = selected
        .iter()
        .map(|framework| coverage(framework, &deployment.controls))
        .collect();
    deployment
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
                    .map(|party| {
                        matrix
                            .parties
                            .get(party)
                            .map_or_else(|| party.clone(), |p| p.title.clone())
                    })
                    .collect(),
                scope: provider.scope.clone(),
            });
        }
        let cell_owner = matrix.owner_over(control, [model], &scope.services);
        let status =
            cell_owner.map(|cell_owner| cell_status(cell_owner, model, entry, &against_control));
        cells.push(GridCell {
            model: model.to_owned(),
            owner: cell_owner,
            status,
        });
    }
    let status = cells
        .iter()
        .filter_map(|cell| cell.status)
        .max()
        .unwrap_or(Status::Inherited);
    let attestations = party_ids
        .iter()
        .filter_map(|id| matrix.parties.get(*id))
        .filter(|party| !party.attestations.is_empty())
        .map(|party| Attestations {
            party: party.title.clone(),
            attestations: party.attestations.clone(),
        })
        .collect();
    let mut findings: Vec<Finding> = against_control
        .iter()
        .filter(|d| d.is_active() || d.is_waived())
        .map(|d| Finding::of(d))
        .collect();
    findings.sort_by_key(|finding| (finding.line, finding.column));
    let mappings = frameworks
        .iter()
        .filter_map(|framework| {
            framework
                .controls
                .get(&control.id)
                .map(|mapping| ControlMapping {
                    framework: framework.id().to_owned(),
                    requirements: mapping.requirements.clone(),
                    basis: mapping.basis,
                    citation: mapping.citation.clone(),
                    note: mapping.note.clone(),
                })
        })
        .collect();
    Some(ControlReport {
        id: control.id.clone(),
        title: control.title.clone(),
        source: SourceCitation {
            section: control.source.section.clone(),
            row: control.source.row.clone(),
        },
        owner,
        status,
        cells,
        customer_parts,
        provider_parts,
        attestations,
        entry: entry.map(|entry| claim_of(entry, line_of, today)),
        findings,
        mappings,
    })
}

/// The status of a control in one model: an error against it (for this model or for
/// the whole control) is a gap; a provider-only cell is inherited; a customer part is
/// claimed when an entry claims it over this model, and a gap otherwise.
fn cell_status(
    owner: MatrixOwner,
    model: &str,
    entry: Option<&Entry>,
    against_control: &[&Diagnostic],
) -> Status {
    let errors = against_control
        .iter()
        .filter(|d| d.severity == Severity::Error && d.model.as_deref().is_none_or(|m| m == model));
    let mut waived = false;
    for diagnostic in errors {
        if diagnostic.is_active() {
            return Status::Gap;
        }
        waived = true;
    }
    if waived {
        return Status::Waived;
    }
    if owner == MatrixOwner::Provider {
        return Status::Inherited;
    }
    let claims_model = entry.is_some_and(|entry| {
        entry.owner.as_ref().is_some_and(|o| o.value.is_claim())
            && entry
                .models
                .as_ref()
                .is_none_or(|models| models.value.iter().any(|covered| covered.value == model))
    });
    if claims_model {
        Status::Claimed
    } else {
        Status::Gap
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
            Status::Inherited => counts.inherited += 1,
            Status::Waived => counts.waived += 1,
            Status::Gap => counts.gap += 1,
        }
    }
    counts
}

/// A requirement's status from the applicable controls that map to it: open when
/// any has a gap (waived or not); otherwise covered when any is owed by the customer
/// (customer or shared) — all of those are then claimed — and inherited when only
/// provider-held controls map to it. No applicable control: not applicable.
fn coverage(framework: &Framework, controls: &[ControlReport]) -> FrameworkCoverage {
    let mut requirements = Vec::new();
    let mut counts = CoverageCounts::default();
    for (id, requirement) in &framework.requirements {
        let contributions: Vec<Contribution> = controls
            .iter()
            .filter_map(|control| {
                let mapping = framework.controls.get(&control.id)?;
                mapping.requirements.contains(id).then(|| Contribution {
                    control: control.id.clone(),
                    status: control.status,
                    basis: mapping.basis,
                })
            })
            .collect();
        let owed = |c: &Contribution| {
            controls
                .iter()
                .any(|control| control.id == c.control && control.owner != MatrixOwner::Provider)
        };
        let status = if contributions.is_empty() {
            counts.not_applicable += 1;
            RequirementStatus::NotApplicable
        } else if contributions
            .iter()
            .any(|c| matches!(c.status, Status::Gap | Status::Waived))
        {
            counts.open += 1;
            RequirementStatus::Open
        } else if contributions.iter().any(owed) {
            counts.covered += 1;
            RequirementStatus::Covered
        } else {
            counts.inherited += 1;
            RequirementStatus::Inherited
        };
        requirements.push(RequirementCoverage {
            id: id.clone(),
            title: requirement.title.clone(),
            status,
            controls: contributions,
        });
    }
    counts.applicable = counts.covered + counts.inherited + counts.open;
    counts.covered_percent = percent(counts.covered, counts.applicable);
    counts.inherited_percent = percent(counts.inherited, counts.applicable);
    counts.open_percent = percent(counts.open, counts.applicable);
    requirements.sort_by_key(|a| requirement_order(&a.id));
    let unmapped_controls = controls
        .iter()
        .filter_map(|control| {
            let mapping = framework.controls.get(&control.id)?;
            mapping.requirements.is_empty().then(|| UnmappedControl {
                control: control.id.clone(),
                note: mapping.note.clone(),
            })
        })
        .collect();
    FrameworkCoverage {
        id: framework.id().to_owned(),
        title: framework.framework.title.clone(),
        version: framework.framework.version.clone(),
        reference: framework.framework.reference.clone(),
        counts,
        requirements,
        unmapped_controls,
    }
}

/// Requirement ids in reading order: number runs compare as numbers, so `A.8.2`
/// comes before `A.8.13` and `CC6.8` before `CC6.10`.
fn requirement_order(id: &str) -> Vec<(String, u64)> {
    let mut key = Vec::new();
    let mut text = String::new();
    let mut chars = id.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut number = String::from(c);
            while let Some(&next) = chars.peek().filter(|n| n.is_ascii_digit()) {
                number.push(next);
                chars.next();
            }
            key.push((
                std::mem::take(&mut text),
                number.parse().unwrap_or(u64::MAX),
            ));
        } else {
            text.push(c);
        }
    }
    key.push((text, 0));
    key
}

/// `part` of `whole` as a whole percentage, rounded half up; 0 of nothing is 0.
pub fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    ((part * 200 + whole) / (whole * 2)) as u32
}

#[cfg(test)]
mod tests {
    use super::{
        ControlReport, DeploymentReport, FrameworkSelection, RequirementStatus, Status, build,
        percent, requirement_order,
    };
    use crate::check::Checker;
    use crate::date::Date;
    use crate::diagnostic::Suppression;
    use crate::evidence::EvidenceBase;
    use crate::frameworks;
    use crate::matrix::{Matrix, MatrixOwner};

    fn checker() -> Checker {
        Checker::new(
            Matrix::embedded(),
            frameworks::embedded(),
            Date::parse("2026-11-28").unwrap(),
        )
    }

    /// Every customer control claimed with a URL as evidence, except those in `skip`.
    fn claims(services: &str, skip: &[&str], extra: &str) -> String {
        let mut text = format!("[deployment]\nname = \"t\"\nservices = [{services}]\n{extra}\n");
        let matrix = Matrix::embedded();
        for control in &matrix.controls {
            if skip.contains(&control.id.as_str()) {
                continue;
            }
            let provider_only = control.parts.values().all(|parts| parts.customer.is_none());
            if provider_only {
                continue;
            }
            text.push_str(&format!(
                "[controls.{}]\nowner = \"{{owner:{}}}\"\naccountable = \"a@b.example\"\nevidence = [\"https://wiki.example/x\"]\n",
                control.id, control.id
            ));
        }
        text
    }

    /// Fills the owner placeholders with the matrix owner over the models in use.
    fn with_owners(text: String, checker: &Checker, models: &[&str], services: &[&str]) -> String {
        let in_use = services.iter().map(|s| (*s).to_owned()).collect();
        let mut text = text;
        for control in &checker.matrix.controls {
            let owner = checker
                .matrix
                .owner_over(control, models.iter().copied(), &in_use)
                .map_or("customer", MatrixOwner::as_str);
            text = text.replace(&format!("{{owner:{}}}", control.id), owner);
        }
        text
    }

    fn deployment(checker: &Checker, text: String, waive: &[(&str, &str)]) -> DeploymentReport {
        let base = EvidenceBase::for_file(std::path::Path::new("controls.toml"));
        let mut file = checker.check_text(text, "controls.toml", &base);
        for diagnostic in &mut file.diagnostics {
            let waived = waive.iter().any(|(code, control)| {
                diagnostic.code == *code && diagnostic.control.as_deref() == Some(*control)
            });
            if waived {
                diagnostic.waiver = Some(Suppression {
                    reason: "r".to_owned(),
                    approved_by: "a".to_owned(),
                    expires: Date::parse("2027-01-01").unwrap(),
                });
            }
        }
        let selection = FrameworkSelection::Given(vec!["iso27001".to_owned()]);
        build(&[file], checker, &selection).deployments.remove(0)
    }

    fn control<'a>(deployment: &'a DeploymentReport, id: &str) -> &'a ControlReport {
        deployment.controls.iter().find(|c| c.id == id).unwrap()
    }

    fn requirement(deployment: &DeploymentReport, id: &str) -> RequirementStatus {
        deployment.frameworks[0]
            .requirements
            .iter()
            .find(|r| r.id == id)
            .unwrap()
            .status
    }

    #[test]
    fn a_complete_file_is_claimed_and_inherited_only() {
        let checker = checker();
        let text = with_owners(
            claims("\"compute\", \"dbaas-pg\"", &[], ""),
            &checker,
            &["iaas", "dbaas"],
            &["compute", "dbaas-pg"],
        );
        let report = deployment(&checker, text, &[]);
        assert!(report.gaps.is_empty(), "{:#?}", report.gaps);
        assert_eq!(report.controls.len(), 18);
        assert_eq!(report.counts.gap, 0);
        assert_eq!(report.counts.claimed + report.counts.inherited, 18);
        assert_eq!(control(&report, "platform-bcdr").status, Status::Inherited);
        assert_eq!(requirement(&report, "A.8.13"), RequirementStatus::Covered);
        assert_eq!(requirement(&report, "A.7.1"), RequirementStatus::Inherited);
        let counts = report.frameworks[0].counts;
        assert_eq!(counts.open, 0);
        assert_eq!(counts.covered + counts.inherited, counts.applicable);
    }

    #[test]
    fn an_unclaimed_control_is_a_gap_that_opens_its_requirements() {
        let checker = checker();
        let text = with_owners(
            claims("\"compute\"", &["tenant-logging"], ""),
            &checker,
            &["iaas"],
            &["compute"],
        );
        let report = deployment(&checker, text, &[]);
        assert_eq!(control(&report, "tenant-logging").status, Status::Gap);
        assert_eq!(report.counts.gap, 1);
        assert_eq!(report.gaps.len(), 1);
        assert_eq!(report.gaps[0].code, "SRM001");
        // A.8.15 Logging: tenant-logging has a gap, platform-logging is inherited.
        assert_eq!(requirement(&report, "A.8.15"), RequirementStatus::Open);
    }

    #[test]
    fn a_waived_gap_is_waived_and_still_open() {
        let checker = checker();
        let text = with_owners(
            claims("\"compute\"", &["tenant-logging"], ""),
            &checker,
            &["iaas"],
            &["compute"],
        );
        let report = deployment(&checker, text, &[("SRM001", "tenant-logging")]);
        assert_eq!(control(&report, "tenant-logging").status, Status::Waived);
        assert!(report.gaps.is_empty());
        assert_eq!(report.waived.len(), 1);
        assert_eq!(report.counts.waived, 1);
        assert_eq!(requirement(&report, "A.8.15"), RequirementStatus::Open);
    }

    #[test]
    fn cells_follow_the_models_an_entry_covers() {
        let checker = checker();
        let text = with_owners(
            claims("\"compute\", \"dbaas-pg\"", &["backup-restore"], "")
                + "[controls.backup-restore]\nowner = \"customer\"\nmodels = [\"iaas\"]\naccountable = \"a\"\nevidence = [\"https://x.example\"]\n",
            &checker,
            &["iaas", "dbaas"],
            &["compute", "dbaas-pg"],
        );
        let report = deployment(&checker, text, &[]);
        let backup = control(&report, "backup-restore");
        assert_eq!(backup.owner, MatrixOwner::Shared);
        let cells: Vec<(&str, Option<MatrixOwner>, Option<Status>)> = backup
            .cells
            .iter()
            .map(|cell| (cell.model.as_str(), cell.owner, cell.status))
            .collect();
        assert_eq!(
            cells,
            [
                ("iaas", Some(MatrixOwner::Customer), Some(Status::Claimed)),
                ("dbaas", Some(MatrixOwner::Shared), Some(Status::Gap)),
            ]
        );
        let operations = control(&report, "workload-operations");
        assert_eq!(operations.cells[1].owner, None);
        assert_eq!(operations.cells[1].status, None);
    }

    #[test]
    fn object_storage_makes_encryption_at_rest_shared_on_iaas() {
        let checker = checker();
        let compute = deployment(
            &checker,
            with_owners(
                claims("\"compute\"", &[], ""),
                &checker,
                &["iaas"],
                &["compute"],
            ),
            &[],
        );
        let at_rest = control(&compute, "encryption-at-rest");
        assert_eq!(at_rest.owner, MatrixOwner::Customer);
        assert!(at_rest.provider_parts.is_empty() && at_rest.attestations.is_empty());
        let storage = deployment(
            &checker,
            with_owners(
                claims("\"compute\", \"object-storage\"", &[], ""),
                &checker,
                &["iaas"],
                &["compute", "object-storage"],
            ),
            &[],
        );
        let at_rest = control(&storage, "encryption-at-rest");
        assert_eq!(at_rest.owner, MatrixOwner::Shared);
        assert_eq!(at_rest.attestations[0].party, "Exoscale");
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(5, 5), 100);
    }

    #[test]
    fn requirement_ids_sort_by_number() {
        let mut ids = vec![
            "A.8.13", "A.8.2", "A.5.37", "21(2)(j)", "21(2)(a)", "CC6.10",
        ];
        ids.sort_by_key(|id| requirement_order(id));
        assert_eq!(
            ids,
            [
                "21(2)(a)", "21(2)(j)", "A.5.37", "A.8.2", "A.8.13", "CC6.10"
            ]
        );
    }
}
