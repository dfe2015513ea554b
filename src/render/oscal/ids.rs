//! The UUID of every object srmlint writes to OSCAL, derived from a name, so the same
//! input gives the same document, and a deployment's SSP computes the ids of the matrix
//! export's `provided` and `responsibility` entries instead of reading the export.
//!
//! Each id is the version-5 UUID of its name (SHA-1 of a namespace UUID and the name)
//! with its version digit set to 4: OSCAL's schemas accept versions 4 and 5, but
//! compliance-trestle's generic models and its reference scanner accept only 4, so
//! srmlint writes what both accept (a version-4 UUID is any 122 bits that look random,
//! and these do). The scheme is documented in docs/oscal.md ("UUIDs"); changing a name
//! below changes ids users have stored, so names are only ever added.
//!
//! Names nest: a provider namespace under srmlint's root, then a matrix version, or a
//! deployment, under the provider. Every name is a fixed word followed by ids that are
//! OSCAL tokens (so they hold no `/`, `fields::check_ids`) and at most one free text,
//! last, so no two subjects share a name.

use uuid::Uuid;

use crate::data::matrix::MatrixInfo;

/// srmlint's namespace: the `ns` of every property srmlint defines, and the name its
/// root UUID is derived from.
pub const NAMESPACE: &str = "urn:srmlint:oscal";

/// The version-5 UUID of `NAMESPACE` in RFC 9562's URL namespace (a test derives it).
pub const ROOT: Uuid = uuid::uuid!("fbbd9a9e-7020-54c5-809f-67d08448206c");

fn v5(namespace: &Uuid, name: &str) -> Uuid {
    Uuid::new_v5(namespace, name.as_bytes())
}

/// The id of `name` under `namespace`, as written: the version-5 UUID with the version
/// digit 4 (its variant bits are already RFC 9562's).
pub fn id_of(namespace: &Uuid, name: &str) -> Uuid {
    uuid::Builder::from_random_bytes(*v5(namespace, name).as_bytes()).into_uuid()
}

fn id(namespace: &Uuid, name: &str) -> String {
    id_of(namespace, name).to_string()
}

/// Methods `name(&self, args...) -> String`, each the id of its name (a format
/// string over its arguments) under the namespace held in `field`: the naming scheme
/// as one table.
macro_rules! named_ids {
    ($field:ident: $($(#[$doc:meta])* $name:ident($($arg:ident),*) => $format:literal;)*) => {
        $($(#[$doc])* pub fn $name(&self, $($arg: &str),*) -> String {
            id(&self.$field, &format!($format))
        })*
    };
}

/// Ids of the matrix export and of the catalog. Parties, the system and its
/// components are the provider's and keep their ids across matrix versions; what a
/// matrix version says (its documents, requirements and parts) is keyed by version.
#[derive(Debug, Clone)]
pub struct MatrixIds {
    provider: Uuid,
    version: Uuid,
}

impl MatrixIds {
    pub fn of(info: &MatrixInfo) -> Self {
        let provider = v5(&ROOT, &format!("provider/{}", info.provider));
        let version = match &info.version {
            Some(version) => v5(&provider, &format!("matrix/{version}")),
            None => v5(&provider, "matrix"),
        };
        Self { provider, version }
    }

    named_ids! { provider:
        party(party) => "party/{party}";
        system_id() => "system-id";
        this_system() => "this-system";
        /// The component of a service model (`iaas`, `dbaas`).
        model_component(model) => "component/{model}";
    }

    named_ids! { version:
        ssp() => "ssp";
        catalog() => "catalog";
        profile() => "profile";
        /// The mapping collection from the catalog to `framework`, and its one mapping.
        mapping_collection(framework) => "mapping-collection/{framework}";
        mapping(framework) => "mapping/{framework}";
        gap_summary(framework) => "gap-summary/{framework}";
        /// The map entry of one (control, requirement) link; the requirement id is last,
        /// as the one part that is not an OSCAL token.
        map(framework, control, requirement) => "map/{framework}/{control}/{requirement}";
        /// The back-matter resource of a deployment's SSP naming the matrix export.
        matrix_resource() => "resource/matrix-ssp";
        framework_resource(framework) => "resource/framework/{framework}";
        information_type() => "information-type";
        requirement(control) => "implemented-requirement/{control}";
        by_component(control, model) => "by-component/{control}/{model}";
        /// The provider part of `control` in `model`.
        provided(control, model) => "provided/{control}/{model}";
        /// The customer part of `control` in `model`.
        responsibility(control, model) => "responsibility/{control}/{model}";
    }
}

/// Ids of one deployment's SSP, under the provider and keyed by the deployment's name
/// (or, without one, its file's path from the repository root, so the working directory
/// does not change them): they stay the same across matrix versions and
/// report dates, so a GRC tool sees the same subjects each time.
#[derive(Debug, Clone)]
pub struct DeploymentIds {
    deployment: Uuid,
}

impl DeploymentIds {
    pub fn of(matrix: &MatrixIds, name: Option<&str>, file: &str) -> Self {
        let name = match name {
            Some(name) => format!("deployment/{name}"),
            None => format!("deployment-file/{file}"),
        };
        Self {
            deployment: v5(&matrix.provider, &name),
        }
    }

    named_ids! { deployment:
        ssp() => "ssp";
        system_id() => "system-id";
        information_type() => "information-type";
        this_system() => "this-system";
        /// The component standing for a service model in use (`iaas`, `dbaas`).
        model_component(model) => "component/model/{model}";
        /// The component standing for a provider party that holds a part.
        provider_component(party) => "component/provider/{party}";
        /// The back-matter resource of an evidence file or folder, by its path from the
        /// repository root.
        evidence(path) => "resource/evidence/{path}";
        /// The party named by an `accountable` text, exactly as written.
        accountable(text) => "party/accountable/{text}";
        requirement(control) => "implemented-requirement/{control}";
        by_component(control, model) => "by-component/{control}/{model}";
        inherited(control, model) => "inherited/{control}/{model}";
        satisfied(control, model) => "satisfied/{control}/{model}";
    }
}
