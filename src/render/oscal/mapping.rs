//! `srmlint matrix --format oscal-mapping --framework ID`: the crosswalk from srmlint's
//! catalog to one framework as an OSCAL mapping collection. One map entry per
//! (control, requirement) link of the framework file, each with its relationship (in
//! NIST IR 8477's set terms) and the link's own basis; the framework, which has no
//! public OSCAL catalog, is a back-matter resource naming its title and version.

use std::collections::BTreeSet;

use super::fields::{Line, markdown};
use super::ids::MatrixIds;
use super::model::{
    BackMatter, Citation, GapSummary, Map, Mapping, MappingCollection, MappingItem, Metadata, Prop,
    Provenance, Resource, ResourceReference, SelectControls,
};
use super::{CATALOG_FILE, OscalDate, matrix_metadata, provenance, version_of};
use crate::data::frameworks::{Basis, Extent, Framework, Requirement};
use crate::data::matrix::Matrix;

/// The relationship of a control to a requirement, from the link's extent: `part` is
/// `intersects-with` (the control speaks to part of the requirement; the rest lies
/// outside srmlint's controls); `whole` is `superset-of` when the control is the
/// requirement's only whole link (its holder meets all of it), and `intersects-with`
/// when other whole links share the requirement (only together do they meet it).
fn relationship(extent: Extent, whole_links: usize) -> &'static str {
    match extent {
        Extent::Whole if whole_links == 1 => "superset-of",
        Extent::Whole | Extent::Part => "intersects-with",
    }
}

pub(super) fn build(matrix: &Matrix, framework: &Framework, date: OscalDate) -> MappingCollection {
    let ids = MatrixIds::of(&matrix.info);
    let fw = framework.id();
    let info = &framework.framework;
    let known = |control: &str| matrix.control(control).is_some();
    let mut maps = Vec::new();
    let mut linked_controls = BTreeSet::new();
    let mut unlinked: Vec<&Requirement> = Vec::new();
    for requirement in &framework.requirements {
        let links: Vec<_> = requirement
            .links
            .iter()
            .filter(|link| known(&link.control))
            .collect();
        if links.is_empty() {
            unlinked.push(requirement);
            continue;
        }
        let whole: Vec<&str> = links
            .iter()
            .filter(|link| link.extent == Extent::Whole)
            .map(|link| link.control.as_str())
            .collect();
        for link in links {
            linked_controls.insert(link.control.as_str());
            let basis = match link.basis {
                Basis::Cited => format!("Cited: {}", markdown(link.basis_text())),
                Basis::Judgement => format!("Judgement: {}", markdown(link.basis_text())),
            };
            let extent = match link.extent {
                Extent::Part => "Extent: part of the requirement; the rest lies outside \
                                 srmlint's controls."
                    .to_owned(),
                Extent::Whole if whole.len() == 1 => {
                    "Extent: whole; whoever holds the control meets all of the requirement."
                        .to_owned()
                }
                Extent::Whole => {
                    let others: Vec<String> = whole
                        .iter()
                        .filter(|other| **other != link.control)
                        .map(|other| markdown(other))
                        .collect();
                    format!(
                        "Extent: whole, together with {}: only with them is all of the \
                         requirement met.",
                        others.join(", ")
                    )
                }
            };
            let mut remarks = format!("{basis}\n\n{extent}");
            if let Some(duty) = &requirement.customer_duty {
                remarks.push_str(&format!(
                    "\n\nA duty the customer keeps toward its provider, never inherited: {}",
                    markdown(duty)
                ));
            }
            maps.push(Map {
                uuid: ids.map(fw, &link.control, &requirement.id),
                props: vec![
                    Prop::srmlint("basis", link.basis.as_str()),
                    Prop::srmlint("extent", link.extent.as_str()),
                ],
                relationship: relationship(link.extent, whole.len()),
                sources: vec![MappingItem {
                    kind: "control",
                    id_ref: link.control.clone(),
                }],
                targets: vec![MappingItem {
                    kind: "control",
                    id_ref: requirement.id.clone(),
                }],
                remarks: Some(remarks),
            });
        }
    }
    let unmapped: Vec<String> = matrix
        .control_ids()
        .filter(|id| !linked_controls.contains(id))
        .map(str::to_owned)
        .collect();
    let note = |control: &str| {
        framework
            .controls
            .get(control)
            .map(|note| format!("{}: {}", markdown(control), markdown(&note.note)))
    };
    let unmapped_notes: Vec<String> = unmapped.iter().filter_map(|id| note(id)).collect();
    let mut remarks = Vec::new();
    if !unlinked.is_empty() {
        let list: Vec<String> = unlinked
            .iter()
            .map(|requirement| {
                format!(
                    "{} {}",
                    markdown(&requirement.id),
                    markdown(&requirement.title)
                )
            })
            .collect();
        remarks.push(format!(
            "No srmlint control speaks to these {} of the {} requirements (srmlint reports \
             them `not_assessed`: they lie outside the shared responsibility model): {}.",
            unlinked.len(),
            framework.requirements.len(),
            list.join("; ")
        ));
    }
    if !unmapped_notes.is_empty() {
        remarks.push(format!(
            "Controls linked to no requirement of this framework: {}",
            unmapped_notes.join("; ")
        ));
    }
    let mut props = provenance(matrix, date);
    props.push(Prop::srmlint("framework", fw));
    props.push(Prop::srmlint("framework-version", &info.version));
    MappingCollection {
        uuid: ids.mapping_collection(fw),
        metadata: Metadata {
            props,
            ..matrix_metadata(
                matrix,
                date,
                &format!(
                    "srmlint controls ({} {}) mapped to {}",
                    matrix.info.title,
                    version_of(matrix),
                    info.title
                ),
                None,
            )
        },
        provenance: Provenance {
            method: "human",
            matching_rationale: "semantic",
            status: "complete",
            mapping_description: format!(
                "How each control of srmlint's catalog (`{CATALOG_FILE}`) speaks to the \
                     requirements of {} (version {}), as srmlint's posture report reads \
                     them. Each map entry is one link of srmlint's framework file: its \
                     `relationship` in NIST IR 8477's set terms (`superset-of`: the control \
                     meets the whole requirement; `intersects-with`: part of it, or all of \
                     it only together with other controls), its basis (property `basis`: \
                     `cited` with the text that names the requirement, `judgement` with \
                     srmlint's reason, both in the remarks) and its extent (property \
                     `extent`: `whole` or `part`). A requirement is met for a deployment \
                     only as the posture report judges it: a link says what a control can \
                     contribute, not that anyone has done it.",
                markdown(&info.title),
                markdown(&info.version)
            ),
        },
        mappings: vec![Mapping {
            uuid: ids.mapping(fw),
            source_resource: ResourceReference {
                kind: "catalog",
                href: CATALOG_FILE.to_owned(),
                remarks: None,
            },
            target_resource: ResourceReference {
                kind: "catalog",
                href: format!("#{}", ids.framework_resource(fw)),
                remarks: Some(
                    "No public OSCAL catalog of this framework exists: the back-matter \
                         resource names it by title and version, and the map entries name \
                         its requirements by their ids."
                        .to_owned(),
                ),
            },
            maps,
            remarks: (!remarks.is_empty()).then(|| remarks.join("\n\n")),
            source_gap_summary: (!unmapped.is_empty()).then(|| GapSummary {
                uuid: ids.gap_summary(fw),
                unmapped_controls: vec![SelectControls { with_ids: unmapped }],
            }),
        }],
        back_matter: BackMatter {
            resources: vec![Resource {
                uuid: ids.framework_resource(fw),
                title: Line::new(&info.title),
                description: Some(format!(
                    "The framework the map entries target, version {}. Its requirement \
                         ids and titles were checked against: {}.",
                    markdown(&info.version),
                    info.checked_against
                        .iter()
                        .map(|source| crate::text::escape::markdown_cited(source))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                props: vec![
                    Prop::srmlint("framework", fw),
                    Prop::srmlint("framework-version", &info.version),
                ],
                citation: Some(Citation {
                    text: format!(
                        "{}, version {}",
                        markdown(&info.reference),
                        markdown(&info.version)
                    ),
                }),
                rlinks: Vec::new(),
                remarks: None,
            }],
        },
    }
}
