//! The part of the OSCAL 1.2.3 JSON model srmlint writes, as serde types in the
//! schemas' member order. Every optional array is skipped when empty and every optional
//! member when absent, because the schemas allow neither `[]` nor `null`. Fields of
//! OSCAL's one-line datatypes (`string`, `markup-line`) are `Line`s, which cannot hold
//! text those datatypes reject.

use serde::Serialize;

use super::fields::Line;

/// The OSCAL version every document declares; the schemas in the tests are this one's.
pub const OSCAL_VERSION: &str = "1.2.3";

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Metadata {
    pub title: Line,
    pub last_modified: String,
    pub version: Line,
    pub oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// A property. `ns` is srmlint's namespace for every name srmlint defines; OSCAL's own
/// names (`control-origination`, `implementation-point`, ...) go without it.
#[derive(Debug, Clone, Serialize)]
pub struct Prop {
    pub name: &'static str,
    pub value: Line,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ns: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Prop {
    /// A property in srmlint's namespace.
    pub fn srmlint(name: &'static str, value: &str) -> Self {
        Self {
            name,
            value: Line::new(value),
            ns: Some(super::ids::NAMESPACE),
            class: None,
            remarks: None,
        }
    }

    /// A property OSCAL itself defines (no `ns`).
    pub fn oscal(name: &'static str, value: &str) -> Self {
        Self {
            ns: None,
            ..Self::srmlint(name, value)
        }
    }

    /// With a `class`, which must be an OSCAL token (ids checked by `fields::check_ids`).
    pub fn class(mut self, class: &str) -> Self {
        self.class = Some(class.to_owned());
        self
    }

    pub fn remarks(mut self, remarks: String) -> Self {
        self.remarks = Some(remarks);
        self
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Link {
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rel: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Line>,
}

#[derive(Debug, Serialize)]
pub struct Role {
    pub id: &'static str,
    pub title: Line,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Party {
    pub uuid: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub name: Line,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_name: Option<Line>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub email_addresses: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ResponsibleRole {
    pub role_id: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub party_uuids: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct BackMatter {
    pub resources: Vec<Resource>,
}

#[derive(Debug, Serialize)]
pub struct Resource {
    pub uuid: String,
    pub title: Line,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rlinks: Vec<Rlink>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Citation {
    pub text: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Rlink {
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<Hash>,
}

/// A digest of what an rlink points to (`SHA-256`, lowercase hex).
#[derive(Debug, Serialize)]
pub struct Hash {
    pub algorithm: &'static str,
    pub value: String,
}

// ------------------------------------------------------------------------ catalog

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Catalog {
    pub uuid: String,
    pub metadata: Metadata,
    pub controls: Vec<Control>,
    pub back_matter: BackMatter,
}

#[derive(Debug, Serialize)]
pub struct Control {
    pub id: String,
    pub title: Line,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    pub parts: Vec<Part>,
}

#[derive(Debug, Serialize)]
pub struct Part {
    pub id: String,
    pub name: &'static str,
    pub prose: String,
}

// ---------------------------------------------------------------------------- SSP

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Ssp {
    pub uuid: String,
    pub metadata: Metadata,
    pub import_profile: ImportProfile,
    pub system_characteristics: SystemCharacteristics,
    pub system_implementation: SystemImplementation,
    pub control_implementation: ControlImplementation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub back_matter: Option<BackMatter>,
}

#[derive(Debug, Serialize)]
pub struct ImportProfile {
    pub href: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SystemCharacteristics {
    pub system_ids: Vec<SystemId>,
    pub system_name: Line,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_name_short: Option<Line>,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    pub system_information: SystemInformation,
    pub status: Status,
    pub authorization_boundary: Described,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SystemId {
    pub identifier_type: &'static str,
    pub id: Line,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SystemInformation {
    pub information_types: Vec<InformationType>,
}

#[derive(Debug, Serialize)]
pub struct InformationType {
    pub uuid: String,
    pub title: Line,
    pub description: String,
}

/// A life-cycle state (of the system or of a component) and why; or how far a control
/// is implemented.
#[derive(Debug, Serialize)]
pub struct Status {
    pub state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Status {
    pub const OPERATIONAL: Status = Status {
        state: "operational",
        remarks: None,
    };
}

#[derive(Debug, Serialize)]
pub struct Described {
    pub description: String,
}

/// No `leveraged-authorizations`: srmlint knows of no authorization to cite, and OSCAL
/// requires each to carry the date it was granted.
#[derive(Debug, Serialize)]
pub struct SystemImplementation {
    pub components: Vec<Component>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Component {
    pub uuid: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: Line,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    pub status: Status,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responsible_roles: Vec<ResponsibleRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

impl Component {
    /// An operational component with no links, roles or remarks.
    pub fn operational(
        uuid: String,
        kind: &'static str,
        title: &str,
        description: String,
        props: Vec<Prop>,
    ) -> Self {
        Self {
            uuid,
            kind,
            title: Line::new(title),
            description,
            props,
            links: Vec::new(),
            status: Status::OPERATIONAL,
            responsible_roles: Vec::new(),
            remarks: None,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ControlImplementation {
    pub description: String,
    pub implemented_requirements: Vec<ImplementedRequirement>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ImplementedRequirement {
    pub uuid: String,
    pub control_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    pub by_components: Vec<ByComponent>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ByComponent {
    pub component_uuid: String,
    pub uuid: String,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    /// Its `state` one of OSCAL's values for how far a control is done: `implemented`,
    /// `partial`, `planned`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implementation_status: Option<Status>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export: Option<Export>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inherited: Vec<Inherited>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub satisfied: Vec<Satisfied>,
}

/// What a leveraged system offers its customers; never empty (the metaschema wants a
/// `provided` or a `responsibility`), so a by-component with neither has no export.
#[derive(Debug, Serialize)]
pub struct Export {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provided: Vec<Provided>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responsibilities: Vec<Responsibility>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Provided {
    pub uuid: String,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    pub responsible_roles: Vec<ResponsibleRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Responsibility {
    pub uuid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provided_uuid: Option<String>,
    pub description: String,
    pub responsible_roles: Vec<ResponsibleRole>,
}

/// `inherited` has no `remarks` in OSCAL 1.2.3.
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Inherited {
    pub uuid: String,
    pub provided_uuid: String,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    pub responsible_roles: Vec<ResponsibleRole>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Satisfied {
    pub uuid: String,
    pub responsibility_uuid: String,
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responsible_roles: Vec<ResponsibleRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

// ------------------------------------------------------------------------ profile

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Profile {
    pub uuid: String,
    pub metadata: Metadata,
    pub imports: Vec<Import>,
}

/// An import of every control of the catalog at `href`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Import {
    pub href: String,
    pub include_all: IncludeAll,
}

/// OSCAL's `include-all`: an empty object.
#[derive(Debug, Serialize)]
pub struct IncludeAll {}

// ------------------------------------------------------------------------ mapping

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct MappingCollection {
    pub uuid: String,
    pub metadata: Metadata,
    pub provenance: Provenance,
    pub mappings: Vec<Mapping>,
    pub back_matter: BackMatter,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Provenance {
    pub method: &'static str,
    pub matching_rationale: &'static str,
    pub status: &'static str,
    pub mapping_description: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Mapping {
    pub uuid: String,
    pub source_resource: ResourceReference,
    pub target_resource: ResourceReference,
    pub maps: Vec<Map>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_gap_summary: Option<GapSummary>,
}

#[derive(Debug, Serialize)]
pub struct ResourceReference {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Map {
    pub uuid: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    pub relationship: &'static str,
    pub sources: Vec<MappingItem>,
    pub targets: Vec<MappingItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct MappingItem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub id_ref: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct GapSummary {
    pub uuid: String,
    pub unmapped_controls: Vec<SelectControls>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SelectControls {
    pub with_ids: Vec<String>,
}
