//! The framework crosswalks shipped in `policies/frameworks/`: each holds its whole
//! catalogue in the catalogue's own order, speaks only of controls the matrix has, gives
//! every link its own basis, and never lets a provider-held control settle a duty the
//! customer keeps toward its provider; a file that breaks these rules does not load.

use std::collections::BTreeSet;

use srmlint::data::frameworks::{self, Basis, EMBEDDED_FRAMEWORKS, Extent, Framework};
use srmlint::data::matrix::Matrix;

fn shipped() -> Vec<Framework> {
    frameworks::embedded()
}

fn framework(id: &str) -> Framework {
    shipped()
        .into_iter()
        .find(|f| f.id() == id)
        .unwrap_or_else(|| panic!("{id} is shipped"))
}

fn ids(framework: &Framework) -> Vec<String> {
    framework
        .requirements
        .iter()
        .map(|r| r.id.clone())
        .collect()
}

/// `prefix` + 1..=count, numbered as `number` writes it, for each (prefix, count).
fn catalogue(groups: &[(&str, usize)], number: fn(usize) -> String) -> Vec<String> {
    groups
        .iter()
        .flat_map(|(prefix, count)| (1..=*count).map(move |n| format!("{prefix}{}", number(n))))
        .collect()
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
fn iso27001_holds_all_93_annex_a_controls_in_order() {
    let iso = framework("iso27001");
    let groups = [("A.5.", 37), ("A.6.", 8), ("A.7.", 14), ("A.8.", 34)];
    assert_eq!(ids(&iso), catalogue(&groups, |n| n.to_string()));
    assert_eq!(iso.framework.count, 93);
    assert_eq!(
        iso.requirement("A.8.13").unwrap().title,
        "Information backup"
    );
    assert_eq!(
        iso.requirement("A.5.23").unwrap().title,
        "Information security for use of cloud services"
    );
}

#[test]
fn soc2_holds_all_61_criteria_in_order_with_paraphrased_titles() {
    let soc2 = framework("soc2");
    let groups = [
        ("CC1.", 5),
        ("CC2.", 3),
        ("CC3.", 4),
        ("CC4.", 2),
        ("CC5.", 3),
        ("CC6.", 8),
        ("CC7.", 5),
        ("CC8.", 1),
        ("CC9.", 2),
        ("A1.", 3),
        ("C1.", 2),
        ("PI1.", 5),
        ("P1.", 1),
        ("P2.", 1),
        ("P3.", 2),
        ("P4.", 3),
        ("P5.", 2),
        ("P6.", 7),
        ("P7.", 1),
        ("P8.", 1),
    ];
    assert_eq!(ids(&soc2), catalogue(&groups, |n| n.to_string()));
    // The AICPA gives criteria no titles: every one here is srmlint's and says so.
    assert!(soc2.requirements.iter().all(|r| r.paraphrased));
}

#[test]
fn c5_holds_all_121_basic_criteria_in_order() {
    let c5 = framework("c5");
    let groups = [
        ("OIS-", 7),
        ("SP-", 3),
        ("HR-", 6),
        ("AM-", 6),
        ("PS-", 7),
        ("OPS-", 24),
        ("IDM-", 9),
        ("CRY-", 4),
        ("COS-", 8),
        ("PI-", 3),
        ("DEV-", 10),
        ("SSO-", 5),
        ("SIM-", 5),
        ("BCM-", 4),
        ("COM-", 4),
        ("INQ-", 4),
        ("PSS-", 12),
    ];
    assert_eq!(ids(&c5), catalogue(&groups, |n| format!("{n:02}")));
    // C5:2020's own words: "for transmission", "for storage".
    assert_eq!(
        c5.requirement("CRY-02").unwrap().title,
        "Encryption of data for transmission (transport encryption)"
    );
    assert_eq!(
        c5.requirement("CRY-03").unwrap().title,
        "Encryption of sensitive data for storage"
    );
    let text = EMBEDDED_FRAMEWORKS
        .iter()
        .find(|(id, _)| *id == "c5")
        .unwrap()
        .1;
    assert!(text.contains("complementary customer criteria"));
    assert!(
        !text.contains("counterpart"),
        "C5's notion is complementary customer criteria"
    );
}

#[test]
fn nis2_holds_points_a_to_j_of_article_21_2() {
    let nis2 = framework("nis2");
    let expected: Vec<String> = ('a'..='j').map(|point| format!("21(2)({point})")).collect();
    assert_eq!(ids(&nis2), expected);
    assert!(nis2.requirements.iter().all(|r| r.paraphrased));
}

#[test]
fn every_file_speaks_of_exactly_the_controls_of_the_matrix() {
    let matrix = Matrix::embedded();
    let controls: BTreeSet<&str> = matrix.control_ids().collect();
    assert_eq!(controls.len(), 18);
    for framework in shipped() {
        let noted: BTreeSet<&str> = framework.controls.keys().map(String::as_str).collect();
        assert_eq!(
            noted,
            controls,
            "{}: a note for every control",
            framework.id()
        );
        for requirement in &framework.requirements {
            for link in &requirement.links {
                assert!(
                    controls.contains(link.control.as_str()),
                    "{} {}: unknown control {}",
                    framework.id(),
                    requirement.id,
                    link.control
                );
            }
        }
        for (control, note) in &framework.controls {
            assert!(
                note.note.trim().len() > 20,
                "{}: {control} needs a note",
                framework.id()
            );
        }
    }
}

/// Controls that have no customer part in any model: the provider holds them alone
/// wherever they apply.
fn provider_only(matrix: &Matrix) -> BTreeSet<String> {
    let only = |control: &&srmlint::data::matrix::Control| {
        control.parts.values().all(|parts| parts.customer.is_none())
    };
    matrix
        .controls
        .iter()
        .filter(only)
        .map(|c| c.id.clone())
        .collect()
}

#[test]
fn customer_duties_toward_the_provider_are_marked_and_never_held_by_the_provider() {
    let expected = [
        (
            "iso27001",
            &["A.5.19", "A.5.20", "A.5.21", "A.5.22", "A.5.23", "A.5.35"][..],
        ),
        ("soc2", &["CC4.1", "CC9.2"][..]),
        ("nis2", &["21(2)(a)", "21(2)(d)", "21(2)(f)"][..]),
    ];
    for (id, duties) in expected {
        let framework = framework(id);
        for duty in duties {
            let requirement = framework.requirement(duty).unwrap();
            assert!(
                requirement
                    .customer_duty
                    .as_deref()
                    .is_some_and(|why| why.len() > 20),
                "{id} {duty} is a duty toward the provider, with its reason"
            );
        }
    }
    let provider = provider_only(&Matrix::embedded());
    for framework in shipped() {
        for requirement in &framework.requirements {
            for link in &requirement.links {
                let held_whole = provider.contains(&link.control) && link.extent == Extent::Whole;
                assert!(
                    !(held_whole && requirement.customer_duty.is_some()),
                    "{} {}: {} cannot hold a duty the customer keeps",
                    framework.id(),
                    requirement.id,
                    link.control
                );
            }
        }
    }
}

#[test]
fn every_cited_link_names_its_own_requirement_and_every_judgement_says_why() {
    for framework in shipped() {
        for requirement in &framework.requirements {
            for link in &requirement.links {
                let place = format!("{} {} {}", framework.id(), requirement.id, link.control);
                match link.basis {
                    Basis::Cited => {
                        let citation = link.citation.as_deref().unwrap_or_default();
                        assert!(citation.contains(&requirement.id), "{place}: {citation}");
                        assert!(link.reason.is_none(), "{place}");
                    }
                    Basis::Judgement => {
                        assert!(
                            link.reason.as_deref().is_some_and(|r| r.len() > 20),
                            "{place}"
                        );
                        assert!(link.citation.is_none(), "{place}");
                    }
                }
            }
        }
    }
}

const SMALL: &str = r#"
[framework]
id = "x"
title = "X"
version = "1"
reference = "X"
count = 2
id_pattern = '^R[0-9]$'
checked_against = ["a public list"]
[[requirements]]
id = "R1"
title = "one"
[[requirements.links]]
control = "backup-restore"
basis = "cited"
citation = "X R1 (one); the source, §1 “Backup and restoration of their data (IaaS)”"
extent = "whole"
[[requirements]]
id = "R2"
title = "two"
[controls.backup-restore]
note = "why backup-restore maps where it does"
"#;

#[test]
fn a_whole_well_formed_catalogue_loads() {
    let framework = Framework::parse(SMALL).unwrap();
    let links: Vec<&str> = framework
        .links_of("backup-restore")
        .map(|(requirement, _)| requirement.id.as_str())
        .collect();
    assert_eq!(links, ["R1"]);
}

#[test]
fn a_catalogue_that_could_overstate_is_refused() {
    let broken = |from: &str, to: &str| {
        assert!(SMALL.contains(from), "{from}");
        Framework::parse(&SMALL.replacen(from, to, 1)).unwrap_err()
    };
    let error = broken("count = 2", "count = 3");
    assert!(
        error.contains("has 2 requirements but `count` says 3"),
        "{error}"
    );
    let error = broken("id = \"R2\"", "id = \"R1\"");
    assert!(error.contains("`R1` is listed twice"), "{error}");
    let error = broken("id = \"R2\"", "id = \"Q2\"");
    assert!(
        error.contains("`Q2` does not match `id_pattern`"),
        "{error}"
    );
    let error = broken("id = \"R2\"", "id = \"R0\"");
    assert!(error.contains("`R0` comes after `R1`"), "{error}");
    let error = broken("citation = \"X R1 ", "citation = \"X R2 ");
    assert!(error.contains("the citation does not name `R1`"), "{error}");
    // A citation that only repeats the requirement's title is no citation.
    let error = broken("“Backup and restoration of their data (IaaS)”", "“one”");
    assert!(error.contains("a citation quotes its source"), "{error}");
    let error = broken("“Backup and restoration of their data (IaaS)”", "");
    assert!(error.contains("a citation quotes its source"), "{error}");
    // The provider's part and the customer's go together.
    let error = broken(
        "extent = \"whole\"",
        "extent = \"whole\"\nprovider_scope = \"the data centres\"",
    );
    assert!(
        error.contains("`provider_scope` and `customer_scope` go together"),
        "{error}"
    );
    let error = broken("basis = \"cited\"", "basis = \"judgement\"");
    assert!(error.contains("a judgement needs its `reason`"), "{error}");
    let error = broken("control = \"backup-restore\"", "control = \"backups\"");
    assert!(
        error.contains("which has no `[controls.backups]` note"),
        "{error}"
    );
}

/// Every quotation of the provider's document in a shipped mapping (a citation's or a
/// reason's “…” after “the source”, or after a section sign) is the document's own words,
/// character for character: a citation quotes, it never paraphrases.
#[test]
fn every_quote_of_the_source_is_verbatim() {
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seed/000_3c007d2971d46084.txt");
    let seed = std::fs::read_to_string(&seed).expect("the source document beside the repository");
    let mut quotes = 0;
    for framework in frameworks::embedded() {
        for requirement in &framework.requirements {
            for link in &requirement.links {
                let text = link.basis_text();
                // Quotes of the source follow `§N “`; framework texts follow a colon.
                for (at, _) in text.match_indices('§') {
                    let rest = &text[at..];
                    let Some(open) = rest.find('“') else {
                        continue;
                    };
                    let between = &rest[..open];
                    // `§1 “…”` or `§3 row “…”`: the quote belongs to this section sign.
                    if between.chars().count() > 8 {
                        continue;
                    }
                    let quoted = rest[open + '“'.len_utf8()..].split('”').next().unwrap();
                    quotes += 1;
                    assert!(
                        seed.contains(quoted),
                        "{} {} {}: “{quoted}” is not in the source",
                        framework.id(),
                        requirement.id,
                        link.control
                    );
                }
            }
        }
    }
    assert!(quotes > 40, "{quotes} quotes checked");
}
