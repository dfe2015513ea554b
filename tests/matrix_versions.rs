//! Matrix versions: the shipped versions stay embedded and unique, a controls file's
//! `matrix_version` is compared with the loaded matrix (SRM019), and `srmlint matrix
//! diff` tells two versions apart. The second version is a test fixture,
//! `tests/fixtures/matrix-versions/exoscale-2027-05.toml` (its header lists how it
//! differs from the shipped 2026-11).

mod common;

use common::{json, run, srmlint};
use srmlint::data::matrix::{EMBEDDED_MATRIX, Matrix, MatrixOwner};
use srmlint::data::versions::{MatrixVersions, SHIPPED};
use srmlint::input::controls;
use srmlint::rules::deployment::{OwnerChange, check_matrix_version, owner_changes};

const NEXT: &str = include_str!("fixtures/matrix-versions/exoscale-2027-05.toml");
const NEXT_PATH: &str = "tests/fixtures/matrix-versions/exoscale-2027-05.toml";

fn two_versions() -> MatrixVersions {
    MatrixVersions::parse(&[NEXT, EMBEDDED_MATRIX]).expect("both versions parse")
}

#[test]
fn every_shipped_version_is_embedded_parses_and_is_unique() {
    let embedded = MatrixVersions::embedded();
    assert_eq!(embedded.all().len(), SHIPPED.len());
    assert_eq!(
        SHIPPED[0], EMBEDDED_MATRIX,
        "the current version comes first"
    );
    let versions: Vec<&str> = embedded.versions_of("exoscale").collect();
    assert_eq!(versions[0], "2026-11");
    // Every file kept in policies/matrix-versions/ is one of the shipped texts.
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/matrix-versions");
    let mut kept = 0;
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "toml") {
            kept += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                SHIPPED.contains(&text.as_str()),
                "{} is not listed in data::versions::SHIPPED",
                path.display()
            );
        }
    }
    assert_eq!(
        kept + 1,
        SHIPPED.len(),
        "SHIPPED lists a file that is not kept"
    );
}

#[test]
fn a_set_of_two_versions_resolves_each_and_refuses_duplicates() {
    let versions = two_versions();
    let versions_held: Vec<&str> = versions.versions_of("exoscale").collect();
    assert_eq!(versions_held, ["2027-05", "2026-11"]);
    assert!(versions.get("exoscale", "2026-11").is_some());
    assert!(versions.get("exoscale", "2025-01").is_none());
    assert!(versions.get("other", "2026-11").is_none());
    // The loaded matrix counts as held, whether or not it shipped.
    let loaded = Matrix::parse(NEXT).unwrap();
    let only_current = MatrixVersions::embedded();
    assert!(only_current.resolve(&loaded, "2027-05").is_some());
    assert!(only_current.resolve(&loaded, "2026-11").is_some());
    let duplicate = MatrixVersions::parse(&[EMBEDDED_MATRIX, EMBEDDED_MATRIX]).unwrap_err();
    assert!(duplicate.contains("listed twice"), "{duplicate}");
    let unversioned = EMBEDDED_MATRIX.replace("version = \"2026-11\"\n", "");
    let error = MatrixVersions::parse(&[&unversioned]).unwrap_err();
    assert!(error.contains("no `version`"), "{error}");
}

#[test]
fn owner_changes_are_for_the_deployment_services() {
    let old = Matrix::embedded();
    let new = Matrix::parse(NEXT).unwrap();
    let services = |ids: &[&str]| -> Vec<srmlint::text::Sp<String>> {
        ids.iter()
            .map(|id| srmlint::text::Sp::new((*id).to_owned(), 0..0))
            .collect()
    };
    let compute = owner_changes(&old, &new, &services(&["compute"]));
    let backup = compute
        .iter()
        .find(|change| change.control == "backup-restore")
        .expect("backup-restore changed owner for Compute");
    assert_eq!(
        backup,
        &OwnerChange {
            control: "backup-restore".to_owned(),
            old: Some(MatrixOwner::Customer),
            new: Some(MatrixOwner::Shared),
        }
    );
    assert_eq!(backup.describe(), "backup-restore (customer → shared)");
    let names: Vec<&str> = compute
        .iter()
        .map(|change| change.control.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "backup-restore",
            "platform-continuity",
            "supply-chain",
            "platform-bcdr",
            "platform-virtualization"
        ]
    );
    // encryption-at-rest gains a provider part with block storage only: a deployment
    // with block storage sees it change, one with Compute alone does not.
    assert!(!names.contains(&"encryption-at-rest"));
    let block = owner_changes(&old, &new, &services(&["compute", "block-storage"]));
    assert!(
        block
            .iter()
            .any(|change| change.describe() == "encryption-at-rest (customer → shared)"),
        "{block:?}"
    );
    // DBaaS alone: backup-restore was already shared there.
    let dbaas = owner_changes(&old, &new, &services(&["dbaas-pg"]));
    assert!(
        !dbaas
            .iter()
            .any(|change| change.control == "backup-restore")
    );
    assert!(owner_changes(&old, &old, &services(&["compute", "dbaas-pg"])).is_empty());
}

fn srm019_messages(text: &str, loaded: &Matrix, versions: &MatrixVersions) -> Vec<String> {
    let (file, _) = controls::parse(text, loaded);
    let mut findings = Vec::new();
    check_matrix_version(&file.unwrap(), loaded, versions, &mut findings);
    findings
        .into_iter()
        .map(|finding| finding.message)
        .collect()
}

#[test]
fn srm019_names_the_controls_whose_owner_changed_when_both_versions_are_held() {
    let loaded = Matrix::parse(NEXT).unwrap();
    let versions = two_versions();
    let pinned_old = "[deployment]\nservices = [\"compute\"]\nmatrix_version = \"2026-11\"\n";
    let messages = srm019_messages(pinned_old, &loaded, &versions);
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].contains(
            "for this deployment 5 controls changed owner: backup-restore (customer → shared)"
        ),
        "{}",
        messages[0]
    );
    // Pinned to the loaded version: nothing to say.
    let current = pinned_old.replace("2026-11", "2027-05");
    assert!(srm019_messages(&current, &loaded, &versions).is_empty());
    // No pin: nothing either.
    assert!(
        srm019_messages(
            "[deployment]\nservices = [\"compute\"]\n",
            &loaded,
            &versions
        )
        .is_empty()
    );
    // A version nobody holds: it says it cannot tell.
    let unknown = pinned_old.replace("2026-11", "2019-01");
    let messages = srm019_messages(&unknown, &loaded, &versions);
    assert!(messages[0].contains("cannot tell"), "{}", messages[0]);
}

#[test]
fn check_with_a_newer_matrix_file_warns_a_pinned_file_and_names_the_claims() {
    let dir = common::Scratch::new("matrix-versions-check", true);
    dir.write(
        "controls.toml",
        "[deployment]\nservices = [\"compute\"]\nmatrix_version = \"2026-11\"\n",
    );
    let path = dir.path("controls.toml");
    let output = run(srmlint().args([
        "check",
        path.to_str().unwrap(),
        "--matrix",
        NEXT_PATH,
        "--format",
        "json",
        "--today",
        "2027-05-10",
    ]));
    let found = output.with_code("SRM019");
    assert_eq!(found.len(), 1, "{}", output.stdout);
    assert_eq!(found[0]["severity"], "warning");
    assert_eq!(found[0]["line"], 3);
    let message = found[0]["message"].as_str().unwrap();
    assert!(
        message.contains("backup-restore (customer → shared)"),
        "{message}"
    );
    assert!(
        message.contains("supply-chain (not applicable → customer)"),
        "{message}"
    );
    let help = found[0]["help"].as_str().unwrap();
    assert!(
        help.contains("srmlint matrix diff 2026-11 2027-05"),
        "{help}"
    );
    // The embedded matrix is the version pinned: no SRM019.
    let same = run(srmlint().args(["check", path.to_str().unwrap(), "--format", "json"]));
    assert!(same.with_code("SRM019").is_empty(), "{}", same.stdout);
}

#[test]
fn matrix_version_must_be_a_non_empty_string() {
    let dir = common::Scratch::new("matrix-versions-invalid", true);
    dir.write(
        "controls.toml",
        "[deployment]\nservices = [\"compute\"]\nmatrix_version = 2026\n",
    );
    let output = run(srmlint().args([
        "check",
        dir.path("controls.toml").to_str().unwrap(),
        "--format",
        "json",
    ]));
    let invalid = output.with_code("SRM021");
    assert!(
        invalid.iter().any(|finding| finding["line"] == 3),
        "{}",
        output.stdout
    );
    let _ = json(&output.stdout);
}
