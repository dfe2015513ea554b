//! The posture report as rows, for the spreadsheet forms (`csv`, `xlsx`): one row per
//! requirement of each framework of each deployment, and for ISO/IEC 27001 the
//! Statement of Applicability. Both forms write these rows, so they never disagree with
//! each other, and the rows are built from the same report model as the JSON.
//!
//! srmlint never decides an exclusion: a requirement whose controls do not apply is
//! "Not in deployment" (with the reason), one srmlint cannot judge is "To decide".

use crate::data::matrix::MatrixOwner;
use crate::posture::{
    ControlReport, DeploymentReport, FrameworkCoverage, PostureReport, RequirementCoverage,
    RequirementStatus, Status,
};

/// The framework whose Statement of Applicability the workbook carries.
pub const SOA_FRAMEWORK: &str = "iso27001";
/// The sheet's name, as an ISO auditor looks for it.
pub const SOA_SHEET: &str = "Statement of Applicability";

/// Columns of the requirement rows (after `file`, when there are several files).
pub const COLUMNS: [&str; 11] = [
    "framework",
    "id",
    "title",
    "status",
    "srmlint_controls",
    "owner",
    "accountable",
    "evidence",
    "evidence_sha256",
    "basis",
    "remarks",
];

/// Columns of the Statement of Applicability (after `File`, with several files).
pub const SOA_COLUMNS: [&str; 9] = [
    "Control",
    "Title",
    "Applicable",
    "Justification",
    "Implementation status",
    "Responsible party",
    "Accountable",
    "Evidence",
    "srmlint status",
];

/// What one list cell joins its items with.
pub const LIST_SEPARATOR: &str = "; ";

/// One requirement of one framework, for one controls file.
#[derive(Debug, Clone)]
pub struct Row {
    pub file: String,
    pub framework: String,
    pub id: String,
    pub title: String,
    pub status: RequirementStatus,
    /// The srmlint controls linked to it that apply, in the requirement's order.
    pub controls: Vec<String>,
    /// Each of `controls`' matrix owner over the models in use.
    pub owners: Vec<String>,
    /// Who answers for the claims on those controls, each once.
    pub accountable: Vec<String>,
    /// The evidence those claims cite, each once.
    pub evidence: Vec<String>,
    /// For each of `evidence`: a file's SHA-256, or what stands in for it.
    pub evidence_sha256: Vec<String>,
    /// Each of `controls`' basis (cited or judgement).
    pub basis: Vec<String>,
    /// Why the status is what it is, in a sentence or two.
    pub remarks: String,
    /// The parties holding the linked controls: "customer" and the provider parties.
    pub responsible: Vec<String>,
}

impl Row {
    /// The cells of the requirement row, in `COLUMNS` order.
    pub fn cells(&self) -> [String; 11] {
        let join = |items: &[String]| items.join(LIST_SEPARATOR);
        [
            self.framework.clone(),
            self.id.clone(),
            self.title.clone(),
            self.status.as_str().to_owned(),
            join(&self.controls),
            join(&self.owners),
            join(&self.accountable),
            join(&self.evidence),
            join(&self.evidence_sha256),
            join(&self.basis),
            self.remarks.clone(),
        ]
    }

    /// The cells of the Statement of Applicability, in `SOA_COLUMNS` order.
    pub fn soa_cells(&self) -> [String; 9] {
        let join = |items: &[String]| items.join(LIST_SEPARATOR);
        let (applicable, justification) = match self.status {
            RequirementStatus::NotApplicable => (
                "Not in deployment".to_owned(),
                format!(
                    "the srmlint controls linked to it ({}) do not apply to the services this deployment uses; whether it applies elsewhere in your organisation is for your ISMS to decide",
                    join(&self.controls)
                ),
            ),
            // A file that could not be read has a row with no requirement in it.
            RequirementStatus::NotAssessed if self.id.is_empty() => {
                ("To decide".to_owned(), self.remarks.clone())
            }
            RequirementStatus::NotAssessed => (
                "To decide".to_owned(),
                "decided by your ISMS risk treatment".to_owned(),
            ),
            _ => ("Yes".to_owned(), self.remarks.clone()),
        };
        let implementation = match self.status {
            RequirementStatus::Covered => {
                "Claimed by you, with evidence cited (not verified by an auditor)"
            }
            RequirementStatus::Incomplete => "Claimed by you, but a claim is incomplete",
            RequirementStatus::Open => "Open: a linked control has a gap",
            RequirementStatus::Inherited => {
                "Inherited from the provider (its attestation reports are your evidence)"
            }
            RequirementStatus::InheritedInPart => {
                "Inherited in part: your part remains yours to implement"
            }
            RequirementStatus::NotApplicable | RequirementStatus::NotAssessed => "",
        };
        [
            self.id.clone(),
            self.title.clone(),
            applicable,
            justification,
            implementation.to_owned(),
            join(&self.responsible),
            join(&self.accountable),
            join(&self.evidence),
            self.status.as_str().to_owned(),
        ]
    }
}

/// `cells` after `file` when the report covers several files: a row or a header.
pub fn with_file<T, const N: usize>(several: bool, file: T, cells: [T; N]) -> Vec<T> {
    several.then_some(file).into_iter().chain(cells).collect()
}

/// Every requirement row of the report, deployment by deployment (in file order), then
/// framework by framework (in the order selected), then in catalogue order. A file that
/// could not be read has no requirement judged: one `not_assessed` row per framework of
/// the report (or one row without a framework) says so, so that no sheet drops it.
pub fn rows(report: &PostureReport) -> Vec<Row> {
    let mut frameworks = frameworks(report);
    if frameworks.is_empty() {
        frameworks.push((String::new(), String::new()));
    }
    let mut rows = Vec::new();
    for deployment in &report.deployments {
        if !deployment.parsed {
            rows.extend(frameworks.iter().map(|(id, _)| Row {
                file: deployment.file.clone(),
                framework: id.clone(),
                id: String::new(),
                title: String::new(),
                status: RequirementStatus::NotAssessed,
                controls: Vec::new(),
                owners: Vec::new(),
                accountable: Vec::new(),
                evidence: Vec::new(),
                evidence_sha256: Vec::new(),
                basis: Vec::new(),
                remarks: unread(deployment),
                responsible: Vec::new(),
            }));
        }
        for framework in &deployment.frameworks {
            (framework.requirements.iter())
                .for_each(|requirement| rows.push(row(deployment, framework, requirement)));
        }
    }
    rows
}

/// Why nothing of a file that could not be read is judged: its findings.
pub fn unread(deployment: &DeploymentReport) -> String {
    let gaps = (deployment.gaps.iter())
        .map(|gap| format!("{} (line {}) {}", gap.code, gap.line, gap.message));
    format!(
        "this file could not be read as a controls file, so none of its requirements is judged; fix first: {}",
        gaps.collect::<Vec<_>>().join(LIST_SEPARATOR)
    )
}

/// The frameworks in the report, each once, in the order first met.
pub fn frameworks(report: &PostureReport) -> Vec<(String, String)> {
    let mut seen: Vec<(String, String)> = Vec::new();
    for framework in report.deployments.iter().flat_map(|d| &d.frameworks) {
        if !seen.iter().any(|(id, _)| id == &framework.info.id) {
            seen.push((framework.info.id.clone(), framework.info.title.clone()));
        }
    }
    seen
}

fn row(
    deployment: &DeploymentReport,
    framework: &FrameworkCoverage,
    requirement: &RequirementCoverage,
) -> Row {
    let controls: Vec<&ControlReport> = (requirement.controls.iter())
        .filter_map(|c| {
            deployment
                .controls
                .iter()
                .find(|control| control.id == c.control)
        })
        .collect();
    let mut accountable = Vec::new();
    let mut evidence = Vec::new();
    let mut evidence_sha256 = Vec::new();
    let mut responsible: Vec<String> = Vec::new();
    let add = |list: &mut Vec<String>, item: &str| {
        if !list.iter().any(|known| known == item) {
            list.push(item.to_owned());
        }
    };
    // The customer answers for a duty toward its provider, and for its own part of a
    // requirement the provider covers only in part, whoever holds the linked controls.
    let customer_part = requirement.customer_duty.is_some()
        || requirement
            .controls
            .iter()
            .any(|c| c.link.customer_scope.is_some());
    if customer_part {
        add(&mut responsible, "customer");
    }
    for control in &controls {
        if requirement.customer_duty.is_some() {
            break;
        }
        if control.owner != MatrixOwner::Provider {
            add(&mut responsible, "customer");
        }
        for part in &control.provider_parts {
            for party in &part.parties {
                add(&mut responsible, party);
            }
        }
        let Some(claim) = &control.entry else {
            continue;
        };
        if !matches!(claim.owner.as_deref(), Some("customer" | "shared")) {
            continue;
        }
        if let Some(who) = &claim.accountable {
            add(&mut accountable, who);
        }
        for value in &claim.evidence {
            if evidence.iter().any(|known| known == value) {
                continue;
            }
            evidence.push(value.clone());
            let print = claim
                .evidence_fingerprints
                .iter()
                .find(|p| &p.evidence == value);
            evidence_sha256.push(match print {
                Some(print) => match (print.kind, &print.sha256) {
                    ("file", Some(sha)) => sha.clone(),
                    ("folder", _) => match print.files.unwrap_or(0) {
                        1 => "folder of 1 file".to_owned(),
                        files => format!("folder of {files} files"),
                    },
                    ("url", _) => "not verified (a web address)".to_owned(),
                    (kind, _) => kind.to_owned(),
                },
                None => "not looked at".to_owned(),
            });
        }
    }
    Row {
        file: deployment.file.clone(),
        framework: framework.info.id.clone(),
        id: requirement.id.clone(),
        title: requirement.title.clone(),
        status: requirement.status,
        controls: requirement
            .controls
            .iter()
            .map(|c| c.control.clone())
            .collect(),
        // A linked control with no report of its own does not apply here, or (the
        // services in use not known) has no owner srmlint can tell.
        owners: (requirement.controls.iter())
            .map(
                |c| match controls.iter().find(|control| control.id == c.control) {
                    Some(control) => control.owner.as_str(),
                    None if c.status == Status::NotApplicable => "not applicable",
                    None => "unknown",
                },
            )
            .map(str::to_owned)
            .collect(),
        accountable,
        evidence,
        evidence_sha256,
        basis: requirement
            .controls
            .iter()
            .map(|c| c.link.basis.as_str().to_owned())
            .collect(),
        remarks: remarks(requirement, &controls),
        responsible,
    }
}

/// Why a requirement has its status, in plain words.
fn remarks(requirement: &RequirementCoverage, controls: &[&ControlReport]) -> String {
    let mut remarks: Vec<String> = Vec::new();
    match requirement.status {
        RequirementStatus::Covered => remarks.push(
            "every linked control you owe is claimed, with no gap and no claim-hygiene finding; your claims and evidence are what an auditor checks".to_owned(),
        ),
        RequirementStatus::Incomplete => {
            let which: Vec<String> = controls
                .iter()
                .filter(|c| c.status == crate::posture::Status::Incomplete)
                .map(|c| {
                    let codes: Vec<&str> = c.findings.iter().map(|f| f.code.as_str()).collect();
                    format!("{} ({})", c.id, codes.join(", "))
                })
                .collect();
            remarks.push(format!("a claim is incomplete: {}", which.join(LIST_SEPARATOR)));
        }
        RequirementStatus::Open => {
            let which: Vec<&str> = controls
                .iter()
                .filter(|c| {
                    matches!(c.status, crate::posture::Status::Gap | crate::posture::Status::Waived)
                })
                .map(|c| c.id.as_str())
                .collect();
            if !which.is_empty() {
                remarks.push(format!("a linked control has a gap, waived or not: {}", which.join(LIST_SEPARATOR)));
            }
            let unknown: Vec<&str> = (requirement.controls.iter())
                .filter(|c| !controls.iter().any(|control| control.id == c.control))
                .map(|c| c.control.as_str())
                .collect();
            if !unknown.is_empty() {
                remarks.push(format!(
                    "srmlint cannot tell which services this deployment uses (a service it does not know, another provider, or none declared), so these linked controls are not ruled out: {}",
                    unknown.join(LIST_SEPARATOR)
                ));
            }
        }
        RequirementStatus::Inherited => remarks.push(
            "held by the provider alone for these services; your evidence is the provider's attestation report, which you obtain and review".to_owned(),
        ),
        RequirementStatus::InheritedInPart => {}
        RequirementStatus::NotApplicable => remarks.push(
            "the linked srmlint controls do not apply to the services in use".to_owned(),
        ),
        RequirementStatus::NotAssessed if requirement.controls.is_empty() && requirement.customer_duty.is_none() => remarks.push(
            "no srmlint control speaks to it: outside the responsibility model".to_owned(),
        ),
        RequirementStatus::NotAssessed => remarks.push(
            "srmlint sees only part of it, or it is a duty you keep toward your provider".to_owned(),
        ),
    }
    for contribution in &requirement.controls {
        let link = &contribution.link;
        if let (Some(provider), Some(customer)) = (&link.provider_scope, &link.customer_scope) {
            remarks.push(format!(
                "inherited part ({}): {provider}; your part: {customer}",
                contribution.control
            ));
        }
    }
    if let Some(duty) = &requirement.customer_duty {
        remarks.push(format!(
            "a duty you keep toward your provider, never inherited: {duty}"
        ));
    }
    remarks.join(". ")
}
