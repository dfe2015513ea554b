//! `srmlint matrix --format oscal`: the provider side of the matrix as the SSP of a
//! leveraged system. Each service model is a component; each control is an
//! implemented requirement with one by-component per model it has parts in, exporting
//! the provider part as `provided` and the customer part as a `responsibility` that
//! names the `provided` entry it complements in the same by-component (as
//! compliance-trestle requires). A deployment's SSP inherits and satisfies these.

use super::fields::{Line, markdown, prose};
use super::ids::MatrixIds;
use super::model::{
    ByComponent, Component, ControlImplementation, Described, Export, ImplementedRequirement,
    InformationType, Metadata, Prop, Provided, Responsibility, ResponsibleRole, Role, Ssp, Status,
    SystemCharacteristics, SystemId, SystemImplementation, SystemInformation,
};
use super::{
    FEDRAMP_NAMESPACE, OscalDate, PROVIDER_ROLE, attestation_props, attestations_sentence,
    condition_sentence, import_profile, matrix_metadata, party, provider_role, version_of,
};
use crate::data::matrix::{self, Matrix};

/// The role of the customer in a `responsibility`: whoever leverages the system.
const CUSTOMER_ROLE: &str = "customer";

/// The title compliance-trestle gives the component that stands for the whole system.
pub(super) const THIS_SYSTEM: &str = "This System";

pub(super) fn build(matrix: &Matrix, date: OscalDate) -> Ssp {
    let ids = MatrixIds::of(&matrix.info);
    let provider = matrix.party_title(&matrix.info.provider);
    let mut components = vec![Component::operational(
        ids.this_system(),
        "this-system",
        THIS_SYSTEM,
        format!(
            "The {} platform as its shared responsibility model describes it.",
            markdown(provider)
        ),
        Vec::new(),
    )];
    for (id, model) in &matrix.models {
        let mut props = vec![Prop::srmlint("service-model", id)];
        props.extend(
            matrix
                .services
                .iter()
                .filter(|(_, service)| service.model == *id)
                .map(|(service, _)| Prop::srmlint("service", service)),
        );
        components.push(Component::operational(
            ids.model_component(id),
            "service",
            &model.title,
            markdown(&model.description),
            props,
        ));
    }
    let requirements = matrix
        .controls
        .iter()
        .map(|control| requirement(matrix, &ids, control))
        .collect();
    let model_titles: Vec<String> = matrix
        .models
        .values()
        .map(|model| {
            format!(
                "{} ({})",
                markdown(&model.title),
                markdown(&model.description)
            )
        })
        .collect();
    Ssp {
        uuid: ids.ssp(),
        metadata: Metadata {
            roles: vec![
                provider_role(),
                Role {
                    id: CUSTOMER_ROLE,
                    title: Line::new("Customer: holds the customer part of a control"),
                },
            ],
            parties: matrix
                .parties
                .keys()
                .map(|id| party(matrix, &ids, id))
                .collect(),
            ..matrix_metadata(
                matrix,
                date,
                &format!(
                    "{} {}: the provider side, exported by srmlint",
                    matrix.info.title,
                    version_of(matrix)
                ),
                Some(format!(
                    "Dated with the day srmlint read the provider's document \
                         (`retrieved` in the matrix), not with a day of this export. Source: {}.",
                    markdown(&matrix.info.source)
                )),
            )
        },
        import_profile: import_profile(),
        system_characteristics: SystemCharacteristics {
            system_ids: vec![SystemId {
                identifier_type: "https://ietf.org/rfc/rfc4122",
                id: Line::new(&ids.system_id()),
            }],
            system_name: Line::new(provider),
            system_name_short: Some(Line::new(&matrix.info.provider)),
            description: format!(
                "The provider side of the {} (version {}): per control and service \
                     model, what the provider does (`export.provided`) and what it leaves \
                     to its customers (`export.responsibilities`).",
                markdown(&matrix.info.title),
                markdown(version_of(matrix))
            ),
            props: Vec::new(),
            system_information: SystemInformation {
                information_types: vec![InformationType {
                    uuid: ids.information_type(),
                    title: Line::new("Customer data"),
                    description: "The data customers store and process on the platform; \
                                      each customer categorises its own in its own plan."
                        .to_owned(),
                }],
            },
            status: Status::OPERATIONAL,
            authorization_boundary: Described {
                description: format!(
                    "The service models of the responsibility model: {}.",
                    model_titles.join("; ")
                ),
            },
            remarks: None,
        },
        system_implementation: SystemImplementation { components },
        control_implementation: ControlImplementation {
            description: "One implemented requirement per control of the matrix; one \
                              by-component per service model in which the control has a part: \
                              `export.provided` for the provider's part, \
                              `export.responsibilities` for the customer's (naming the \
                              provided entry it complements)."
                .to_owned(),
            implemented_requirements: requirements,
        },
        back_matter: None,
    }
}

fn requirement(
    matrix: &Matrix,
    ids: &MatrixIds,
    control: &matrix::Control,
) -> ImplementedRequirement {
    let by_components: Vec<ByComponent> = matrix
        .models
        .iter()
        .filter_map(|(model, known)| {
            let parts = control.parts.get(model)?;
            by_component(matrix, ids, control, model, &known.title, parts)
        })
        .collect();
    // FedRAMP's reading of who does it: the provider's system for a provider part.
    let parts = control.parts.values();
    let origination: Vec<_> = parts
        .map(|p| (p.customer.is_some(), p.provider.is_some()))
        .collect();
    let mut props = vec![Prop::srmlint(
        "source",
        &format!("{}, “{}”", control.source.section, control.source.row),
    )];
    props.extend(origination_props(&origination, "sp-system"));
    ImplementedRequirement {
        uuid: ids.requirement(&control.id),
        control_id: control.id.clone(),
        props,
        by_components,
    }
}

fn by_component(
    matrix: &Matrix,
    ids: &MatrixIds,
    control: &matrix::Control,
    model: &str,
    model_title: &str,
    parts: &matrix::ModelParts,
) -> Option<ByComponent> {
    let provided = parts.provider.as_ref().map(|part| Provided {
        uuid: ids.provided(&control.id, model),
        description: prose(Some(&part.scope), "The provider's part."),
        props: attestation_props(matrix, &part.parties),
        responsible_roles: vec![ResponsibleRole {
            role_id: PROVIDER_ROLE,
            party_uuids: part.parties.iter().map(|party| ids.party(party)).collect(),
        }],
        remarks: {
            let sentences: Vec<String> = [
                condition_sentence(matrix, part),
                attestations_sentence(matrix, &part.parties),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!sentences.is_empty()).then(|| sentences.join("\n\n"))
        },
    });
    let responsibility = parts.customer.as_ref().map(|part| Responsibility {
        uuid: ids.responsibility(&control.id, model),
        provided_uuid: provided.as_ref().map(|provided| provided.uuid.clone()),
        description: prose(Some(&part.scope), "The customer's part."),
        responsible_roles: vec![ResponsibleRole {
            role_id: CUSTOMER_ROLE,
            party_uuids: Vec::new(),
        }],
    });
    let model_title = markdown(model_title);
    let (description, owner) = match (&provided, &responsibility) {
        (Some(_), Some(_)) => (
            format!(
                "{model_title}: shared. The provider does its part; the customer's part \
                 complements it."
            ),
            "shared",
        ),
        (Some(_), None) => (
            format!("{model_title}: the provider's alone; customers inherit it."),
            "provider",
        ),
        (None, Some(_)) => (
            format!("{model_title}: the customer's alone; the provider does nothing for it."),
            "customer",
        ),
        (None, None) => return None,
    };
    let props = vec![Prop::srmlint("responsibility", owner)];
    Some(ByComponent {
        component_uuid: ids.model_component(model),
        uuid: ids.by_component(&control.id, model),
        description,
        props,
        // compliance-trestle reads a control as inherited only from by-components whose
        // state is `implemented`, and fails on one that provides without a state.
        implementation_status: provided.as_ref().map(|_| Status {
            state: "implemented",
            remarks: None,
        }),
        export: Some(Export {
            provided: provided.into_iter().collect(),
            responsibilities: responsibility.into_iter().collect(),
        }),
        inherited: Vec::new(),
        satisfied: Vec::new(),
    })
}

/// FedRAMP `control-origination` properties of the parts of a control, each (customer
/// part, provider part) of one model, each value once, in FedRAMP's order: `provider`
/// for a provider part, and for a customer part `customer-configured` (configuring its
/// side of a shared control) or `customer-provided`.
pub(super) fn origination_props(parts: &[(bool, bool)], provider: &str) -> Vec<Prop> {
    let values: Vec<&str> = (parts.iter())
        .flat_map(|&(customer, provided)| {
            let side = if provided {
                "customer-configured"
            } else {
                "customer-provided"
            };
            [provided.then_some(provider), customer.then_some(side)]
        })
        .flatten()
        .collect();
    const ORDER: [&str; 5] = [
        "sp-corporate",
        "sp-system",
        "customer-configured",
        "customer-provided",
        "inherited",
    ];
    ORDER
        .into_iter()
        .filter(|value| values.contains(value))
        .map(|value| Prop {
            ns: Some(FEDRAMP_NAMESPACE),
            ..Prop::oscal("control-origination", value)
        })
        .collect()
}
