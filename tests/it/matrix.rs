//! The decoded ownership of every control in every model, written out here by hand
//! from the source document and independent of `policies/exoscale.toml`: a change to the data
//! that changes who owns what fails this test.

use crate::common;

use std::collections::BTreeSet;

use common::catalog::{DBAAS_SERVICES, IAAS_SERVICES, ZONES};
use srmlint::data::matrix::{Matrix, MatrixOwner};

/// (control, IaaS owner, DBaaS owner); `None` = the control does not apply.
/// IaaS owners are for a deployment without object storage.
const EXPECTED: &[(&str, Option<MatrixOwner>, Option<MatrixOwner>)] = {
    use MatrixOwner::{Customer as C, Provider as P, Shared as S};
    &[
        ("data-classification", Some(C), Some(C)),
        ("encryption-in-transit", Some(S), Some(S)),
        ("encryption-at-rest", Some(C), Some(S)),
        ("key-management", Some(S), Some(S)),
        ("tenant-iam", Some(C), Some(C)),
        ("platform-iam", Some(P), Some(P)),
        ("network-security", Some(C), Some(C)),
        ("physical-security", Some(P), Some(P)),
        ("vuln-mgmt-workloads", Some(C), Some(C)),
        ("vuln-mgmt-platform", Some(P), Some(P)),
        ("tenant-logging", Some(C), Some(C)),
        ("platform-logging", Some(P), Some(P)),
        ("backup-restore", Some(C), Some(S)),
        ("platform-bcdr", Some(P), Some(P)),
        ("workload-operations", Some(C), None),
        ("regulatory-compliance", Some(C), Some(C)),
        ("platform-virtualization", Some(P), Some(P)),
        ("infrastructure-compliance", Some(P), Some(P)),
    ]
};

/// Provider parties per control and model, as the source names them.
const PARTIES: &[(&str, &[&str], &[&str])] = &[
    (
        "encryption-in-transit",
        &["exoscale"],
        &["exoscale", "aiven"],
    ),
    ("encryption-at-rest", &["exoscale"], &["exoscale", "aiven"]),
    ("key-management", &["exoscale"], &["aiven", "exoscale"]),
    ("platform-iam", &["exoscale"], &["exoscale"]),
    (
        "physical-security",
        &["exoscale", "dc-providers"],
        &["exoscale", "dc-providers"],
    ),
    ("vuln-mgmt-platform", &["exoscale"], &["exoscale", "aiven"]),
    ("platform-logging", &["exoscale"], &["exoscale", "aiven"]),
    ("backup-restore", &[], &["exoscale", "aiven"]),
    ("platform-bcdr", &["exoscale"], &["exoscale", "aiven"]),
    (
        "platform-virtualization",
        &["exoscale"],
        &["exoscale", "aiven"],
    ),
    ("infrastructure-compliance", &["exoscale"], &["exoscale"]),
];

fn services(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| (*id).to_owned()).collect()
}

#[test]
fn every_control_has_the_decoded_owner_in_every_model() {
    let matrix = Matrix::embedded();
    let ids: Vec<&str> = matrix.control_ids().collect();
    let expected_ids: Vec<&str> = EXPECTED.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids, expected_ids, "the 18 controls, in the source's order");
    let none = services(&[]);
    for (id, iaas, dbaas) in EXPECTED {
        let control = matrix.control(id).unwrap();
        assert_eq!(
            matrix.owner_over(control, ["iaas"], &none),
            *iaas,
            "{id} in IaaS"
        );
        assert_eq!(
            matrix.owner_over(control, ["dbaas"], &none),
            *dbaas,
            "{id} in DBaaS"
        );
    }
}

#[test]
fn object_storage_adds_the_provider_part_of_encryption_at_rest_in_iaas() {
    let matrix = Matrix::embedded();
    let control = matrix.control("encryption-at-rest").unwrap();
    let compute_only = services(&["compute"]);
    let with_object_storage = services(&["compute", "object-storage"]);
    assert_eq!(
        matrix.owner_over(control, ["iaas"], &compute_only),
        Some(MatrixOwner::Customer)
    );
    assert_eq!(
        matrix.owner_over(control, ["iaas"], &with_object_storage),
        Some(MatrixOwner::Shared)
    );
    // Across models the DBaaS provider part makes it shared even without object storage.
    assert_eq!(
        matrix.owner_over(control, ["iaas", "dbaas"], &compute_only),
        Some(MatrixOwner::Shared)
    );
    // No other control depends on a service.
    for other in matrix
        .controls
        .iter()
        .filter(|c| c.id != "encryption-at-rest")
    {
        for parts in other.parts.values() {
            if let Some(provider) = &parts.provider {
                assert!(provider.when_services.is_empty(), "{}", other.id);
            }
        }
    }
}

#[test]
fn provider_parts_name_the_parties_of_the_source() {
    let matrix = Matrix::embedded();
    let all = services(&["object-storage"]);
    for (id, iaas, dbaas) in PARTIES {
        let control = matrix.control(id).unwrap();
        for (model, expected) in [("iaas", iaas), ("dbaas", dbaas)] {
            let parties: Vec<&str> = matrix
                .effective_parts(control, model, &all)
                .provider
                .map(|part| part.parties.iter().map(String::as_str).collect())
                .unwrap_or_default();
            assert_eq!(&parties, expected, "{id} in {model}");
        }
    }
    // Owner words: customer and shared are built in; only these parties may be named.
    let words: Vec<&str> = matrix.provider_owner_words().collect();
    assert_eq!(words, ["aiven", "exoscale"]);
}

#[test]
fn catalog_and_zones_are_complete() {
    let matrix = Matrix::embedded();
    for &id in IAAS_SERVICES {
        assert_eq!(matrix.model_of_service(id), Some("iaas"), "{id}");
    }
    for &id in DBAAS_SERVICES {
        assert_eq!(matrix.model_of_service(id), Some("dbaas"), "{id}");
    }
    assert_eq!(
        matrix.services.len(),
        IAAS_SERVICES.len() + DBAAS_SERVICES.len()
    );
    assert_eq!(matrix.zones.len(), ZONES.len());
    let eea_ch = matrix.residency_countries("EEA+CH").unwrap();
    for &(zone, country) in ZONES {
        assert_eq!(matrix.zones[zone].country, country, "{zone}");
        assert!(
            eea_ch.contains(country),
            "every zone is in the EEA or Switzerland"
        );
    }
}

#[test]
fn every_control_cites_its_place_in_the_source() {
    let matrix = Matrix::embedded();
    for control in &matrix.controls {
        assert!(
            control.source.section == "§3" || control.source.section == "§1",
            "{}",
            control.id
        );
        assert!(!control.source.row.is_empty(), "{}", control.id);
    }
}

#[test]
fn the_json_built_into_the_binary_reads_as_the_toml_it_came_from() {
    use srmlint::data::matrix::EMBEDDED_MATRIX;
    let from_toml = Matrix::parse(EMBEDDED_MATRIX).expect("the embedded matrix parses");
    let from_json = Matrix::embedded();
    // Every field read from the file; the control index and the Terraform catalog
    // (built from the services) hold hash maps, printed in no fixed order.
    let shown = |m: &Matrix| {
        let fields = (&m.info, &m.models, &m.parties, &m.controls, &m.services);
        format!(
            "{fields:?} {:?} {:?} {:?}",
            m.zones, m.regions, m.region_aliases
        )
    };
    assert_eq!(shown(&from_json), shown(&from_toml));
    assert!(from_json.info.retrieved.is_some());
}
