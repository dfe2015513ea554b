//! `srmlint matrix --format oscal-catalog`: the matrix's controls as an OSCAL catalog,
//! so the `control-id`s of both SSPs are defined somewhere a GRC tool can load. Each
//! control carries who holds it per service model, where the provider's document
//! says so, and the framework crosswalks: a `framework-requirement` property per
//! requirement (with its basis) and a link to the framework's back-matter resource.

use std::collections::BTreeSet;

use super::fields::{Line, markdown};
use super::ids::MatrixIds;
use super::model::{BackMatter, Catalog, Citation, Control, Link, Part, Prop, Resource};
use super::{OscalDate, condition_sentence, matrix_metadata, version_of};
use crate::data::frameworks::{Basis, Framework};
use crate::data::matrix::{self, Matrix};

pub(super) fn build(matrix: &Matrix, frameworks: &[Framework], date: OscalDate) -> Catalog {
    let ids = MatrixIds::of(&matrix.info);
    let controls = matrix
        .controls
        .iter()
        .map(|control| build_control(matrix, &ids, frameworks, control))
        .collect();
    let resources = frameworks
        .iter()
        .map(|framework| Resource {
            uuid: ids.framework_resource(framework.id()),
            title: Line::new(&framework.framework.title),
            description: Some(format!(
                "The requirements srmlint maps its controls to (the `framework-requirement` \
                 properties of class `{}`), version {}.",
                framework.id(),
                markdown(&framework.framework.version)
            )),
            props: vec![
                Prop::srmlint("framework", framework.id()),
                Prop::srmlint("framework-version", &framework.framework.version),
            ],
            citation: Some(Citation {
                text: markdown(&framework.framework.reference),
            }),
            rlinks: Vec::new(),
            remarks: None,
        })
        .collect();
    Catalog {
        uuid: ids.catalog(),
        metadata: matrix_metadata(
            matrix,
            date,
            &format!(
                "srmlint controls of the {} ({})",
                matrix.info.title,
                version_of(matrix)
            ),
            Some(
                "Each control is one responsibility of the provider's shared responsibility \
                     model; its statement says who does what in each service model."
                    .to_owned(),
            ),
        ),
        controls,
        back_matter: BackMatter { resources },
    }
}

fn build_control(
    matrix: &Matrix,
    ids: &MatrixIds,
    frameworks: &[Framework],
    control: &matrix::Control,
) -> Control {
    // `label` is what tools show beside the title (trestle: `id - [label] title`).
    let mut props = vec![
        Prop::oscal("label", &control.id),
        Prop::srmlint(
            "source",
            &format!("{}, “{}”", control.source.section, control.source.row),
        ),
    ];
    let no_services = BTreeSet::new();
    for model in matrix.models.keys() {
        let provider = control
            .parts
            .get(model)
            .and_then(|parts| parts.provider.as_ref());
        // The owner without any conditional part, the condition as the remark; a
        // conditional provider part alone is the provider's when it exists.
        let owner = match matrix.owner_over(control, [model.as_str()], &no_services) {
            Some(owner) => owner.as_str(),
            None if provider.is_some() => "provider",
            None => continue,
        };
        let mut prop = Prop::srmlint("responsibility", owner).class(model);
        prop.remarks = provider.and_then(|provider| condition_sentence(matrix, provider));
        props.push(prop);
    }
    let mut links = Vec::new();
    for framework in frameworks {
        let Some(mapping) = framework.controls.get(&control.id) else {
            continue;
        };
        // Each link has its own basis: a citation names only its own requirement.
        for (requirement, link) in framework.links_of(&control.id) {
            let basis = match link.basis {
                Basis::Cited => format!("Basis: cited ({}).", markdown(link.basis_text())),
                Basis::Judgement => {
                    format!("Basis: judgement: {}", markdown(link.basis_text()))
                }
            };
            let remarks = format!(
                "{basis} Extent: {}. {}",
                link.extent.as_str(),
                markdown(&mapping.note)
            );
            props.push(
                Prop::srmlint("framework-requirement", &requirement.id)
                    .class(framework.id())
                    .remarks(remarks),
            );
            links.push(Link {
                href: format!("#{}", ids.framework_resource(framework.id())),
                rel: Some("reference"),
                media_type: None,
                text: Some(Line::new(&format!(
                    "{}: {} {}",
                    framework.framework.title, requirement.id, requirement.title
                ))),
            });
        }
    }
    Control {
        id: control.id.clone(),
        title: Line::new(&control.title),
        props,
        links,
        parts: vec![Part {
            id: format!("{}_smt", control.id),
            name: "statement",
            prose: statement(matrix, control),
        }],
    }
}

/// Who does what in each model, as a Markdown list built around the matrix's scopes.
fn statement(matrix: &Matrix, control: &matrix::Control) -> String {
    let mut prose = format!(
        "{}: who does what in each service model of the {}.\n",
        markdown(&control.title),
        markdown(&matrix.info.title)
    );
    for (model, known) in &matrix.models {
        let title = markdown(&known.title);
        let Some(parts) = control.parts.get(model) else {
            prose.push_str(&format!("\n- {title}: does not apply."));
            continue;
        };
        if let Some(customer) = &parts.customer {
            prose.push_str(&format!(
                "\n- {title}, the customer: {}.",
                markdown(&customer.scope)
            ));
        }
        if let Some(provider) = &parts.provider {
            let parties: Vec<String> = provider
                .parties
                .iter()
                .map(|party| markdown(matrix.party_title(party)))
                .collect();
            let condition = condition_sentence(matrix, provider)
                .map(|sentence| format!(" {sentence}"))
                .unwrap_or_default();
            prose.push_str(&format!(
                "\n- {title}, the provider ({}): {}.{condition}",
                parties.join(", "),
                markdown(&provider.scope)
            ));
        }
    }
    prose.push('\n');
    prose
}
