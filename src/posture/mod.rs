//! The pre-audit posture report (`srmlint report`) as data: what a compliance lead
//! hands an auditor. `build` judges checked files — who owns each control, what is
//! claimed or inherited, the gaps, the waivers and the framework coverage — into this
//! model; `render::report` writes it as Markdown, HTML or JSON, so the forms can
//! never disagree.

mod build;
pub mod evidence;
pub mod source;

use serde::Serialize;

use crate::data::frameworks::{Framework, FrameworkInfo, Link};
use crate::data::matrix::MatrixOwner;
use crate::diag::{Diagnostic, Error, Severity, Summary, Suppression};
use crate::input::controls::Waiver;
pub use crate::rules::waivers::WaiverState;
use crate::text::suggest;

pub use crate::data::frameworks::requirement_order;
pub use build::{ReportContext, build, shares};
pub use source::{FileSource, GitState, MatrixSource, Source};

/// Which frameworks a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameworkSelection {
    /// Each deployment's own `frameworks` list (the default).
    Declared,
    /// These framework ids for every deployment (`--framework`), already validated.
    Given(Vec<String>),
    /// Each deployment's own list, or every framework for one that names none (the
    /// spreadsheet forms, which list whole catalogues).
    DeclaredOrAll,
}

impl FrameworkSelection {
    /// The selection for `--framework` ids (none: each file's own list); an id with
    /// no mapping is an error with a did-you-mean.
    pub fn of_ids(ids: Vec<String>, frameworks: &[Framework]) -> Result<Self, Error> {
        if ids.is_empty() {
            return Ok(Self::Declared);
        }
        let known: Vec<&str> = frameworks.iter().map(Framework::id).collect();
        let mut given: Vec<String> = Vec::new();
        for id in ids {
            if !known.contains(&id.as_str()) {
                return Err(Error::new(format!(
                    "unknown framework `{id}`{}; frameworks with a mapping: {}",
                    suggest::hint(&id, known.iter().copied()),
                    known.join(", ")
                )));
            }
            if !given.contains(&id) {
                given.push(id);
            }
        }
        Ok(Self::Given(given))
    }
}

/// The whole report: one section per controls file, in path order.
#[derive(Debug, Clone, Serialize)]
pub struct PostureReport {
    pub today: String,
    pub matrix: String,
    /// What was assessed: srmlint, the matrix, each controls file's digest, the commit.
    pub source: Source,
    pub deployments: Vec<DeploymentReport>,
}

/// The report for one controls file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeploymentReport {
    /// The file as given on the command line.
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
    /// The Terraform the deployment was held against; null when it names none.
    pub terraform: Option<TerraformReport>,
    pub summary: Summary,
}

/// The Terraform sources of a deployment and what they create.
#[derive(Debug, Clone, Serialize)]
pub struct TerraformReport {
    /// In the order they were named: `terraform = [...]`, then `--terraform`.
    pub sources: Vec<TerraformSource>,
    /// Each catalog service a resource creates, in id order, declared or not.
    pub services: Vec<TerraformService>,
    /// Resources that create no service of the catalog, or whose service is not known.
    pub other_resources: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TerraformSource {
    /// As output shows it.
    pub path: String,
    /// `module`, `plan` or `state`; null when the source could not be read.
    pub kind: Option<String>,
    /// The files read, in reading order.
    pub files: Vec<String>,
    /// Managed resources of the provider found in it.
    pub resources: usize,
    /// Why the source could not be read (SRM053), when it could not.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TerraformService {
    pub id: String,
    pub title: Option<String>,
    /// Whether `services` lists it (if not, SRM050).
    pub declared: bool,
    pub resources: Vec<TerraformResource>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TerraformResource {
    pub address: String,
    pub resource_type: String,
    pub file: String,
    pub line: usize,
    /// The zone, when it is known statically.
    pub zone: Option<String>,
    /// A resource of a type that runs in no zone (DNS, security groups): its `zone` is
    /// null because there is none, not because it could not be read. Written only when
    /// true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub global: bool,
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
    /// It applies to no model in use: only on a `not_applicable` requirement's links,
    /// to name the controls that make it so (such a control has no section of its own).
    #[serde(rename = "not_applicable")]
    NotApplicable,
    /// The provider holds it alone; the customer inherits it.
    Inherited,
    /// The customer's part is claimed, with no error finding and no claim-hygiene
    /// warning against it.
    Claimed,
    /// Claimed, but a claim-hygiene warning stands against it (a placeholder, no one
    /// accountable, no evidence, a review too old or in the future), waived or not.
    Incomplete,
    /// A gap covered by an unexpired waiver: accepted for now, still not done.
    Waived,
    /// An active error finding, or a customer part nobody claims.
    Gap,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotApplicable => "not_applicable",
            Status::Inherited => "inherited",
            Status::Claimed => "claimed",
            Status::Incomplete => "incomplete",
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
    /// Whether the file's entry claims the customer part here (owner `customer` or
    /// `shared`, covering this model), whatever the findings against it.
    pub claimed: bool,
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

/// The certifications and reports the source names for one provider party, and what
/// it says they are for.
#[derive(Debug, Clone, Serialize)]
pub struct Attestations {
    pub party: String,
    /// Empty when the source names none for this party.
    pub attestations: Vec<String>,
    /// What the source scopes them to (or says of the party's assurance).
    pub scope: Option<String>,
}

/// The customer's entry for a control, as written in the file.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    /// The owner word: customer, shared, or a provider party acknowledging it.
    pub owner: Option<String>,
    pub accountable: Option<String>,
    pub implementation: Option<String>,
    pub evidence: Vec<String>,
    /// What the report saw of each evidence item, in the order of `evidence`.
    pub evidence_fingerprints: Vec<evidence::EvidenceFingerprint>,
    pub reviewed: Option<String>,
    /// Days since `reviewed` (negative when it lies in the future).
    pub reviewed_days_ago: Option<i64>,
    pub notes: Option<String>,
    pub line: usize,
}

/// A section of the provider's document and the row or line in it.
pub use crate::data::matrix::SourceRef as SourceCitation;

/// How one framework maps a control: each link with its own basis.
#[derive(Debug, Clone, Serialize)]
pub struct ControlMapping {
    pub framework: String,
    /// The ids of `links`, in catalogue order.
    pub requirements: Vec<String>,
    pub links: Vec<MappedLink>,
    pub note: String,
}

/// One (control, requirement) link, as the framework file states it: `basis`, its
/// `citation` (for `cited`) or `reason` (for `judgement`), `extent`, and the
/// `provider_scope` and `customer_scope` of a link that covers only part.
#[derive(Debug, Clone, Serialize)]
pub struct MappedLink {
    pub requirement: String,
    #[serde(flatten)]
    pub link: Link,
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
    /// Whether every provider party holding a part has an attestation the source names,
    /// its own or that of the party that acknowledges it: nothing is inherited otherwise.
    #[serde(skip)]
    pub provider_attested: bool,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ControlCounts {
    pub applicable: usize,
    pub customer: usize,
    pub shared: usize,
    pub provider: usize,
    pub claimed: usize,
    pub incomplete: usize,
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
    /// The file it lies in: the controls file, or a Terraform file it names.
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub control: Option<String>,
    pub model: Option<String>,
    /// The waiver covering it, for a waived finding.
    pub waiver: Option<Suppression>,
}

/// The claim-hygiene rules, whose warnings leave a claim incomplete: no one
/// accountable (SRM030), no evidence (SRM031), a review too old or in the future
/// (SRM034, SRM035), a placeholder left in a field (SRM036), evidence that is a stub
/// (SRM037).
pub const CLAIM_HYGIENE_CODES: &[&str] =
    &["SRM030", "SRM031", "SRM034", "SRM035", "SRM036", "SRM037"];

impl Finding {
    pub(crate) fn of(diagnostic: &Diagnostic) -> Self {
        Self {
            code: diagnostic.code.clone(),
            name: diagnostic.name.clone(),
            severity: diagnostic.severity,
            message: diagnostic.message.clone(),
            help: diagnostic.help.clone(),
            file: diagnostic.file.clone(),
            line: diagnostic.start.line,
            column: diagnostic.start.column,
            control: diagnostic.control.clone(),
            model: diagnostic.model.clone(),
            waiver: diagnostic.waiver.clone(),
        }
    }
}

/// A waiver as the file writes it; fields absent from it are null.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverView {
    pub rule: Option<String>,
    pub control: Option<String>,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub ticket: Option<String>,
    /// YYYY-MM-DD.
    pub expires: Option<String>,
}

impl WaiverView {
    pub(crate) fn of(waiver: &Waiver) -> Self {
        let text =
            |value: &Option<crate::text::Sp<String>>| value.as_ref().map(|text| text.value.clone());
        Self {
            rule: text(&waiver.rule),
            control: text(&waiver.control),
            reason: text(&waiver.reason),
            approved_by: text(&waiver.approved_by),
            ticket: text(&waiver.ticket),
            expires: waiver.expires.as_ref().map(|date| date.value.to_string()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct WaiverReport {
    #[serde(flatten)]
    pub waiver: WaiverView,
    /// Days from the report date to `expires`: 0 on the last covered day, negative once expired.
    pub days_left: Option<i64>,
    pub state: WaiverState,
    /// How many findings it waives.
    pub waived: usize,
    pub line: usize,
}

/// How a requirement stands for a deployment (see `build` for the rules), from the best
/// to the worst news for the customer's own claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequirementStatus {
    /// Every control mapped to it that the customer owes is claimed, with no error and
    /// no claim-hygiene warning, through at least one link that holds it whole.
    Covered,
    /// As covered, but a claim it rests on still has a claim-hygiene warning.
    Incomplete,
    /// A mapped control has a gap (waived or not).
    Open,
    /// Every mapped control that applies is the provider's alone, each link holds the
    /// requirement whole, and it is no duty of the customer toward its provider.
    Inherited,
    /// The provider covers part of it (a link's `provider_scope`, through an attestation
    /// the source names), the rest stays the customer's (`customer_scope`): never
    /// `inherited`.
    InheritedInPart,
    /// Only controls that do not apply to this deployment map to it.
    NotApplicable,
    /// srmlint cannot judge it: no control maps to it, the controls that do hold only
    /// part of it, or it is a duty the customer keeps toward its provider.
    NotAssessed,
}

impl RequirementStatus {
    /// Every status, in the order reports count them.
    pub const ALL: [RequirementStatus; 7] = [
        RequirementStatus::Covered,
        RequirementStatus::Incomplete,
        RequirementStatus::Open,
        RequirementStatus::Inherited,
        RequirementStatus::InheritedInPart,
        RequirementStatus::NotApplicable,
        RequirementStatus::NotAssessed,
    ];

    /// The JSON word.
    pub fn as_str(self) -> &'static str {
        match self {
            RequirementStatus::Covered => "covered",
            RequirementStatus::Incomplete => "incomplete",
            RequirementStatus::Open => "open",
            RequirementStatus::Inherited => "inherited",
            RequirementStatus::InheritedInPart => "inherited_in_part",
            RequirementStatus::NotApplicable => "not_applicable",
            RequirementStatus::NotAssessed => "not_assessed",
        }
    }

    /// The words a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            RequirementStatus::NotApplicable => "not applicable",
            RequirementStatus::NotAssessed => "not assessed",
            RequirementStatus::InheritedInPart => "inherited in part",
            status => status.as_str(),
        }
    }
}

/// A control's part in a requirement, for this deployment, with the framework's link
/// (see `MappedLink`).
#[derive(Debug, Clone, Serialize)]
pub struct Contribution {
    pub control: String,
    pub status: Status,
    #[serde(flatten)]
    pub link: Link,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequirementCoverage {
    pub id: String,
    pub title: String,
    /// The title is srmlint's short description, not the framework's words.
    pub paraphrased: bool,
    /// Why it is a duty the customer keeps toward its provider; null otherwise.
    pub customer_duty: Option<String>,
    pub status: RequirementStatus,
    /// The applicable controls linked to it; for a `not_applicable` one, the linked
    /// controls that do not apply. Where the services in use are not known, a linked
    /// control that does not apply to the known ones is not ruled out: it is a gap.
    pub controls: Vec<Contribution>,
}

/// Counts over the whole catalogue (`total`); each percentage is of `total`, and the
/// seven sum to exactly 100 (largest-remainder rounding), or are all 0 for an empty one.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CoverageCounts {
    pub total: usize,
    /// Requirements srmlint judges for this deployment: covered, incomplete, open,
    /// inherited or inherited in part. Kept for compatibility; `in_scope` is the same
    /// count under the name a Statement of Applicability reader expects.
    pub applicable: usize,
    /// Requirements whose status is neither `not_applicable` nor `not_assessed`: the rows
    /// the Statement of Applicability marks `Applicable: Yes`.
    pub in_scope: usize,
    pub covered: usize,
    pub incomplete: usize,
    pub open: usize,
    pub inherited: usize,
    pub inherited_in_part: usize,
    pub not_applicable: usize,
    pub not_assessed: usize,
    pub covered_percent: u32,
    pub incomplete_percent: u32,
    pub open_percent: u32,
    pub inherited_percent: u32,
    pub inherited_in_part_percent: u32,
    pub not_applicable_percent: u32,
    pub not_assessed_percent: u32,
}

impl CoverageCounts {
    /// The count and the percentage of `status`.
    pub(crate) fn of_status(&mut self, status: RequirementStatus) -> (&mut usize, &mut u32) {
        match status {
            RequirementStatus::Covered => (&mut self.covered, &mut self.covered_percent),
            RequirementStatus::Incomplete => (&mut self.incomplete, &mut self.incomplete_percent),
            RequirementStatus::Open => (&mut self.open, &mut self.open_percent),
            RequirementStatus::Inherited => (&mut self.inherited, &mut self.inherited_percent),
            RequirementStatus::InheritedInPart => (
                &mut self.inherited_in_part,
                &mut self.inherited_in_part_percent,
            ),
            RequirementStatus::NotApplicable => {
                (&mut self.not_applicable, &mut self.not_applicable_percent)
            }
            RequirementStatus::NotAssessed => {
                (&mut self.not_assessed, &mut self.not_assessed_percent)
            }
        }
    }

    /// The count of `status`.
    pub fn count(mut self, status: RequirementStatus) -> usize {
        *self.of_status(status).0
    }

    /// The percentage of `status`.
    pub fn percent(mut self, status: RequirementStatus) -> u32 {
        *self.of_status(status).1
    }
}

/// An applicable control the framework maps to nothing, with the mapping's reason.
#[derive(Debug, Clone, Serialize)]
pub struct UnmappedControl {
    pub control: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FrameworkCoverage {
    /// `id`, `title`, `version`, `reference` and `checked_against` (the public sources
    /// its ids and titles were checked against).
    #[serde(flatten)]
    pub info: FrameworkInfo,
    pub counts: CoverageCounts,
    /// Every requirement of the catalogue, in the catalogue's order.
    pub requirements: Vec<RequirementCoverage>,
    pub unmapped_controls: Vec<UnmappedControl>,
}
