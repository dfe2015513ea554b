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

    pub fn party(&self, party: &str) -> String {
        id(&self.provider, &format!("party/{party}"))
    }

    pub fn system_id(&self) -> String {
        id(&self.provider, "system-id")
    }

    pub fn this_system(&self) -> String {
        id(&self.provider, "this-system")
    }

    /// The component of a service model (`iaas`, `dbaas`).
    pub fn model_component(&self, model: &str) -> String {
        id(&self.provider, &format!("component/{model}"))
    }

    pub fn ssp(&self) -> String {
        id(&self.version, "ssp")
    }

    pub fn catalog(&self) -> String {
        id(&self.version, "catalog")
    }

    pub fn profile(&self) -> String {
        id(&self.version, "profile")
    }

    /// The mapping collection from the catalog to `framework`, and its one mapping.
    pub fn mapping_collection(&self, framework: &str) -> String {
        id(&self.version, &format!("mapping-collection/{framework}"))
    }

    pub fn mapping(&self, framework: &str) -> String {
        id(&self.version, &format!("mapping/{framework}"))
    }

    pub fn gap_summary(&self, framework: &str) -> String {
        id(&self.version, &format!("gap-summary/{framework}"))
    }

    /// The map entry of one (control, requirement) link; the requirement id is last,
    /// as the one part that is not an OSCAL token.
    pub fn map(&self, framework: &str, control: &str, requirement: &str) -> String {
        id(
            &self.version,
            &format!("map/{framework}/{control}/{requirement}"),
        )
    }

    /// The back-matter resource of a deployment's SSP naming the matrix export.
    pub fn matrix_resource(&self) -> String {
        id(&self.version, "resource/matrix-ssp")
    }

    pub fn framework_resource(&self, framework: &str) -> String {
        id(&self.version, &format!("resource/framework/{framework}"))
    }

    pub fn information_type(&self) -> String {
        id(&self.version, "information-type")
    }

    pub fn requirement(&self, control: &str) -> String {
        id(&self.version, &format!("implemented-requirement/{control}"))
    }

    pub fn by_component(&self, control: &str, model: &str) -> String {
        id(&self.version, &format!("by-component/{control}/{model}"))
    }

    /// The provider part of `control` in `model`.
    pub fn provided(&self, control: &str, model: &str) -> String {
        id(&self.version, &format!("provided/{control}/{model}"))
    }

    /// The customer part of `control` in `model`.
    pub fn responsibility(&self, control: &str, model: &str) -> String {
        id(&self.version, &format!("responsibility/{control}/{model}"))
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

    pub fn ssp(&self) -> String {
        id(&self.deployment, "ssp")
    }

    pub fn system_id(&self) -> String {
        id(&self.deployment, "system-id")
    }

    pub fn information_type(&self) -> String {
        id(&self.deployment, "information-type")
    }

    pub fn this_system(&self) -> String {
        id(&self.deployment, "this-system")
    }

    /// The component standing for a service model in use (`iaas`, `dbaas`).
    pub fn model_component(&self, model: &str) -> String {
        id(&self.deployment, &format!("component/model/{model}"))
    }

    /// The component standing for a provider party that holds a part.
    pub fn provider_component(&self, party: &str) -> String {
        id(&self.deployment, &format!("component/provider/{party}"))
    }

    /// The back-matter resource of an evidence file or folder, by its path from the
    /// repository root.
    pub fn evidence(&self, path: &str) -> String {
        id(&self.deployment, &format!("resource/evidence/{path}"))
    }

    /// The party named by an `accountable` text, exactly as written.
    pub fn accountable(&self, text: &str) -> String {
        id(&self.deployment, &format!("party/accountable/{text}"))
    }

    pub fn requirement(&self, control: &str) -> String {
        id(
            &self.deployment,
            &format!("implemented-requirement/{control}"),
        )
    }

    pub fn by_component(&self, control: &str, model: &str) -> String {
        id(&self.deployment, &format!("by-component/{control}/{model}"))
    }

    pub fn inherited(&self, control: &str, model: &str) -> String {
        id(&self.deployment, &format!("inherited/{control}/{model}"))
    }

    pub fn satisfied(&self, control: &str, model: &str) -> String {
        id(&self.deployment, &format!("satisfied/{control}/{model}"))
    }
}
