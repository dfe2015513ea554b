//! The framework crosswalks shipped in `policies/frameworks/`: every file loads, speaks
//! only of controls the matrix has, maps every control of the matrix, and uses the
//! framework's own numbering.

use std::collections::BTreeSet;

use regex::Regex;
use srmlint::data::frameworks::{self, Basis, EMBEDDED_FRAMEWORKS, Framework};
use srmlint::data::matrix::Matrix;

fn shipped() -> Vec<Framework> {
    frameworks::embedded()
}

#[test]
fn the_four_frameworks_of_the_design_are_shipped() {
    let ids: BTreeSet<String> = shipped().iter().map(|f| f.id().to_owned()).collect();
    let expected: BTreeSet<String> = ["c5", "iso27001", "nis2", "soc2"]
        .iter()
        .map(|id| (*id).to_owned())
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(EMBEDDED_FRAMEWORKS.len(), 4);
}

#[test]
fn every_file_maps_exactly_the_controls_of_the_matrix() {
    let matrix = Matrix::embedded();
    let controls: BTreeSet<&str> = matrix.control_ids().collect();
    assert_eq!(controls.len(), 18);
    for framework in shipped() {
        let mapped: BTreeSet<&str> = framework.controls.keys().map(String::as_str).collect();
        let unknown: Vec<_> = mapped.difference(&controls).collect();
        assert!(
            unknown.is_empty(),
            "{} maps controls the matrix does not have: {unknown:?}",
            framework.id()
        );
        let missing: Vec<_> = controls.difference(&mapped).collect();
        assert!(
            missing.is_empty(),
            "{} leaves controls unmapped: {missing:?}",
            framework.id()
        );
    }
}

#[test]
fn every_mapping_resolves_and_says_why() {
    for framework in shipped() {
        let mut used = BTreeSet::new();
        for (control, mapping) in &framework.controls {
            for requirement in &mapping.requirements {
                assert!(
                    framework.requirements.contains_key(requirement),
                    "{}: {control} maps to unknown requirement {requirement}",
                    framework.id()
                );
                used.insert(requirement.as_str());
            }
            assert!(
                mapping.note.trim().len() > 20,
                "{}: {control} needs a note that explains the mapping",
                framework.id()
            );
            match mapping.basis {
                Basis::Cited => assert!(
                    mapping
                        .citation
                        .as_deref()
                        .is_some_and(|c| !c.trim().is_empty()),
                    "{}: {control} is cited but names no source",
                    framework.id()
                ),
                Basis::Judgement => {}
            }
            if mapping.requirements.is_empty() {
                assert_eq!(
                    mapping.basis,
                    Basis::Judgement,
                    "{}: {control} maps to nothing; that is a judgement with its reason in the note",
                    framework.id()
                );
            }
        }
        // A requirement in the catalog that no control reaches would show as
        // "not applicable" in every report: the catalog lists only what is mapped.
        let listed: BTreeSet<&str> = framework.requirements.keys().map(String::as_str).collect();
        let unused: Vec<_> = listed.difference(&used).collect();
        assert!(
            unused.is_empty(),
            "{} lists requirements no control maps to: {unused:?}",
            framework.id()
        );
        for (id, requirement) in &framework.requirements {
            assert!(
                !requirement.title.trim().is_empty(),
                "{}: {id} has no title",
                framework.id()
            );
        }
    }
}

fn framework(id: &str) -> Framework {
    shipped()
        .into_iter()
        .find(|f| f.id() == id)
        .unwrap_or_else(|| panic!("{id} is shipped"))
}

#[test]
fn iso27001_uses_the_2022_annex_a_numbering() {
    let iso = framework("iso27001");
    let pattern = Regex::new(r"^A\.[5-8]\.\d+$").unwrap();
    // The 2022 Annex A has 37 organizational, 8 people, 14 physical and 34
    // technological controls.
    let theme_sizes = [(5, 37), (6, 8), (7, 14), (8, 34)];
    for id in iso.requirements.keys() {
        assert!(pattern.is_match(id), "`{id}` is not 2022 Annex A numbering");
        let mut parts = id[2..].split('.');
        let theme: u32 = parts.next().unwrap().parse().unwrap();
        let number: u32 = parts.next().unwrap().parse().unwrap();
        let size = theme_sizes.iter().find(|(t, _)| *t == theme).unwrap().1;
        assert!(
            (1..=size).contains(&number),
            "`{id}` is past the end of theme A.{theme}"
        );
    }
    assert_eq!(iso.requirements["A.8.13"].title, "Information backup");
    assert!(
        iso.controls["backup-restore"]
            .requirements
            .contains(&"A.8.13".to_owned())
    );
    assert_eq!(iso.framework.version, "2022");
}

#[test]
fn nis2_uses_the_points_of_article_21_2() {
    let nis2 = framework("nis2");
    let expected: BTreeSet<String> = ('a'..='j').map(|point| format!("21(2)({point})")).collect();
    let listed: BTreeSet<String> = nis2.requirements.keys().cloned().collect();
    assert_eq!(listed, expected);
    assert!(
        nis2.controls["backup-restore"]
            .requirements
            .contains(&"21(2)(c)".to_owned())
    );
}

#[test]
fn soc2_and_c5_ids_follow_their_catalogues() {
    let soc2 = Regex::new(r"^(CC[1-9]|A1|C1|PI1|P[1-8])\.\d+$").unwrap();
    for id in framework("soc2").requirements.keys() {
        assert!(soc2.is_match(id), "`{id}` is not a 2017 TSC criterion id");
    }
    let c5 =
        Regex::new(r"^(OIS|SP|HR|AM|PS|OPS|IDM|CRY|COS|PI|DEV|SSO|SIM|BCM|COM|INQ|PSS)-\d{2}$")
            .unwrap();
    for id in framework("c5").requirements.keys() {
        assert!(c5.is_match(id), "`{id}` is not a C5:2020 criterion id");
    }
}

#[test]
fn a_broken_mapping_is_rejected_with_its_control() {
    let text = r#"
[framework]
id = "x"
title = "X"
version = "1"
reference = "X"
[requirements."R1"]
title = "one"
[controls.backup-restore]
requirements = ["R2"]
basis = "cited"
note = "n"
"#;
    let error = Framework::parse(text).unwrap_err();
    assert!(error.contains("`backup-restore` maps to `R2`"), "{error}");
    assert!(error.contains("needs `citation`"), "{error}");
}
