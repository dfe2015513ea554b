//! The posture report's judgement, on the library: control status per model,
//! gaps and waivers, and each framework requirement's status.

use crate::common;

use common::TODAY;
use srmlint::check::Checker;
use srmlint::data::frameworks;
use srmlint::data::matrix::{Matrix, MatrixOwner};
use srmlint::diag::Suppression;
use srmlint::posture::{
    ControlReport, DeploymentReport, FrameworkSelection, GitState, ReportContext,
    RequirementStatus, Status, build, requirement_order, shares,
};
use srmlint::rules::evidence::EvidenceBase;
use srmlint::text::date::Date;

fn checker() -> Checker {
    Checker::new(Matrix::embedded(), Date::parse(TODAY).unwrap())
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
    // The report judges claims by the contract's copy of their findings: a waiver
    // marked here holds for both.
    for diagnostic in file.diagnostics.iter_mut().chain(file.contract.iter_mut()) {
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
    let frameworks = frameworks::embedded();
    let git = GitState::unknown("not looked up by the library test");
    let context = ReportContext {
        matrix: &checker.matrix,
        frameworks: &frameworks,
        today: checker.today,
        git: &git,
        evidence: &Default::default(),
    };
    build(&[file], context, &selection).deployments.remove(0)
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
    // The data centres are the provider's; the customer's own sites stay its own.
    assert_eq!(
        requirement(&report, "A.7.1"),
        RequirementStatus::InheritedInPart
    );
    // Supplier and cloud-use duties stay the customer's, whatever the provider holds.
    assert_eq!(
        requirement(&report, "A.5.23"),
        RequirementStatus::NotAssessed
    );
    // Only part of A.5.30 is the platform's: the customer's own readiness is not judged.
    assert_eq!(
        requirement(&report, "A.5.30"),
        RequirementStatus::NotAssessed
    );
    let counts = report.frameworks[0].counts;
    assert_eq!((counts.open, counts.incomplete, counts.total), (0, 0, 93));
    assert_eq!(
        counts.covered + counts.inherited + counts.inherited_in_part,
        counts.applicable
    );
    assert_eq!(counts.in_scope, counts.applicable);
    assert_eq!(
        counts.inherited_in_part, 8,
        "A.7.1-A.7.5, A.7.8, A.7.11, A.7.12"
    );
}

/// A Compute-only file that claims everything it owes but `tenant-logging`.
fn compute_without_tenant_logging(checker: &Checker) -> String {
    with_owners(
        claims("\"compute\"", &["tenant-logging"], ""),
        checker,
        &["iaas"],
        &["compute"],
    )
}

#[test]
fn an_unclaimed_control_is_a_gap_that_opens_its_requirements() {
    let checker = checker();
    let text = compute_without_tenant_logging(&checker);
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
    let text = compute_without_tenant_logging(&checker);
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
fn a_claim_with_a_hygiene_warning_is_incomplete_even_when_waived() {
    let checker = checker();
    let no_evidence = "[controls.backup-restore]\nowner = \"customer\"\naccountable = \"a\"\n";
    let text = with_owners(
        claims("\"compute\"", &["backup-restore"], no_evidence),
        &checker,
        &["iaas"],
        &["compute"],
    );
    let report = deployment(&checker, text.clone(), &[]);
    assert_eq!(
        control(&report, "backup-restore").status,
        Status::Incomplete
    );
    assert_eq!(
        requirement(&report, "A.8.13"),
        RequirementStatus::Incomplete
    );
    let waived = deployment(&checker, text, &[("SRM031", "backup-restore")]);
    assert_eq!(
        control(&waived, "backup-restore").status,
        Status::Incomplete
    );
    assert_eq!(
        requirement(&waived, "A.8.13"),
        RequirementStatus::Incomplete
    );
}

#[test]
fn shares_sum_to_a_hundred_by_largest_remainder() {
    assert_eq!(shares(&[1, 1, 1]), [34, 33, 33]);
    assert_eq!(shares(&[18, 0, 0, 8, 0, 67]), [19, 0, 0, 9, 0, 72]);
    assert_eq!(shares(&[2, 1, 0, 0]), [67, 33, 0, 0]);
    assert_eq!(shares(&[0, 0]), [0, 0]);
    for counts in [
        [1usize, 2, 3, 4, 5, 6],
        [7, 0, 0, 0, 0, 1],
        [3, 3, 3, 0, 0, 1],
    ] {
        assert_eq!(shares(&counts).iter().sum::<u32>(), 100, "{counts:?}");
    }
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

/// C5 OPS-24 (separation of datasets) rests on the virtualization layer alone, which is
/// the provider's: inherited through Exoscale's attestations. A matrix that names no
/// attestation for Exoscale earns no inheritance; the requirement is not assessed.
#[test]
fn nothing_is_inherited_from_a_party_the_source_names_no_attestation_for() {
    let status_of = |matrix: Matrix| {
        let checker = Checker::new(matrix, Date::parse(TODAY).unwrap());
        let text = with_owners(
            claims("\"compute\", \"dbaas-pg\"", &[], ""),
            &checker,
            &["iaas", "dbaas"],
            &["compute", "dbaas-pg"],
        );
        let base = EvidenceBase::for_file(std::path::Path::new("controls.toml"));
        let file = checker.check_text(text, "controls.toml", &base);
        let frameworks = frameworks::embedded();
        let git = GitState::unknown("not looked up by the library test");
        let context = ReportContext {
            matrix: &checker.matrix,
            frameworks: &frameworks,
            today: checker.today,
            git: &git,
            evidence: &Default::default(),
        };
        let selection = FrameworkSelection::Given(vec!["c5".to_owned()]);
        let report = build(&[file], context, &selection);
        let c5 = &report.deployments[0].frameworks[0];
        c5.requirements
            .iter()
            .find(|r| r.id == "OPS-24")
            .unwrap()
            .status
    };
    assert_eq!(status_of(Matrix::embedded()), RequirementStatus::Inherited);
    let text = srmlint::data::matrix::EMBEDDED_MATRIX;
    let named = "attestations = [\"ISO 27001\", \"SOC 2\", \"C5\", \"HDS\"]";
    assert!(text.contains(named));
    let unattested = Matrix::parse(&text.replace(named, "attestations = []")).unwrap();
    assert_eq!(status_of(unattested), RequirementStatus::NotAssessed);
}
