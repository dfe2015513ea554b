//! The UUID of every object srmlint writes to OSCAL: version-5 (name-based) UUIDs, so
//! the same input gives the same document, and a deployment's SSP computes the ids of
//! the matrix export's `provided` and `responsibility` entries instead of reading the
//! export. The scheme is documented in docs/oscal.md ("UUIDs"); changing a name below
//! changes ids users have stored, so names are only ever added.
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

fn id(namespace: &Uuid, name: &str) -> String {
    v5(namespace, name).to_string()
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

    /// The back-matter resource naming the catalog, the same in both SSPs.
    pub fn catalog_resource(&self) -> String {
        id(&self.version, "resource/catalog")
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
/// (or, without one, its file's path): they stay the same across matrix versions and
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

    pub fn service(&self, service: &str) -> String {
        id(&self.deployment, &format!("component/service/{service}"))
    }

    pub fn zone(&self, zone: &str) -> String {
        id(&self.deployment, &format!("component/zone/{zone}"))
    }

    pub fn leveraged_authorization(&self, party: &str) -> String {
        id(
            &self.deployment,
            &format!("leveraged-authorization/{party}"),
        )
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

    pub fn by_component(&self, control: &str, service: &str) -> String {
        id(
            &self.deployment,
            &format!("by-component/{control}/{service}"),
        )
    }

    pub fn inherited(&self, control: &str, service: &str) -> String {
        id(&self.deployment, &format!("inherited/{control}/{service}"))
    }

    pub fn satisfied(&self, control: &str, service: &str) -> String {
        id(&self.deployment, &format!("satisfied/{control}/{service}"))
    }
}
