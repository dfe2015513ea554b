//! The provider's responsibility matrix, its service catalog and its zones, loaded
//! from a policy file (the embedded `policies/exoscale.toml` unless `--matrix` names
//! another). Everything provider-specific lives in that data; this module only knows
//! models, parts, parties and owners.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use crate::data::countries;
use crate::data::terraform::{RawTerraform, TerraformCatalog, TerraformType};
use crate::diag::Error;
use crate::text::fs;

/// The matrix shipped in the binary.
pub const EMBEDDED_MATRIX: &str = include_str!("../../policies/exoscale.toml");

/// `EMBEDDED_MATRIX` converted to JSON when the binary is built (`build.rs`): a run
/// needs the matrix at once, and JSON reads several times faster than TOML.
const EMBEDDED_MATRIX_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/exoscale.json"));

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatrix {
    matrix: MatrixInfo,
    models: BTreeMap<String, Model>,
    parties: BTreeMap<String, Party>,
    controls: Vec<RawControl>,
    services: BTreeMap<String, Service>,
    zones: BTreeMap<String, Zone>,
    #[serde(default)]
    regions: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    region_aliases: BTreeMap<String, String>,
    #[serde(default)]
    terraform: RawTerraform,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixInfo {
    /// The provider id a controls file names in `deployment.provider`.
    pub provider: String,
    pub title: String,
    pub source: String,
    /// The provider document's date or revision as srmlint read it (`"2026-11"`).
    #[serde(default)]
    pub version: Option<String>,
    /// When the source text was read.
    #[serde(default)]
    pub retrieved: Option<toml::value::Datetime>,
    /// The SHA-256 of the source text the matrix was decoded from.
    #[serde(default)]
    pub source_sha256: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub title: String,
    /// Whether a controls file may name this party as `owner`.
    #[serde(default)]
    pub owner_word: bool,
    /// The owner word that acknowledges this party's part (for parties that are not
    /// owner words themselves, such as data-centre operators).
    pub acknowledge_with: Option<String>,
    /// Certifications and reports the source names for this party.
    #[serde(default)]
    pub attestations: Vec<String>,
    /// What the source says those attestations are for (or, with none, what it says of
    /// the party's assurance), so a report never stretches them further.
    #[serde(default)]
    pub attestation_scope: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub model: String,
    pub title: String,
    /// The words people write for it (`postgres` for `dbaas-pg`), for suggestions.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The Terraform resource types that create it.
    #[serde(default)]
    pub terraform: Vec<TerraformType>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    pub country: String,
    pub city: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub section: String,
    pub row: String,
}

impl std::fmt::Display for SourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}, “{}”", self.section, self.row)
    }
}

// No `deny_unknown_fields` here: serde cannot combine it with `flatten`; a stray key
// becomes a model id and is rejected as an unknown model.
#[derive(Debug, Deserialize)]
struct RawControl {
    id: String,
    title: String,
    source: SourceRef,
    #[serde(flatten)]
    models: BTreeMap<String, ModelParts>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerPart {
    pub scope: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderPart {
    pub parties: Vec<String>,
    pub scope: String,
    /// The part exists only when one of these services is in use.
    #[serde(default)]
    pub when_services: Vec<String>,
    /// Services without which the part is narrower: when none of them is in use,
    /// `narrowed` stands in for this part (key management's object storage key is the
    /// provider's only where object storage is in use).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub narrow_unless: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrowed: Option<Box<ProviderPart>>,
}

/// A residency value's part that is neither a country code nor a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadResidency {
    pub part: String,
    /// The value the user probably meant.
    pub suggestion: Option<String>,
    /// True when the suggestion says the same as what was written (a country's name
    /// for its code, a code in the wrong case); false when it names another area
    /// (`EU` for the EEA), which a person must confirm.
    pub same_meaning: bool,
}

/// What the matrix says of one control in one model.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelParts {
    pub customer: Option<CustomerPart>,
    pub provider: Option<ProviderPart>,
}

#[derive(Debug, Clone)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub source: SourceRef,
    /// Parts per model id; a model absent here means the control does not apply to it.
    pub parts: BTreeMap<String, ModelParts>,
}

/// Who owns a control over a set of models, as the matrix decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatrixOwner {
    Customer,
    Shared,
    Provider,
}

impl MatrixOwner {
    pub fn as_str(self) -> &'static str {
        match self {
            MatrixOwner::Customer => "customer",
            MatrixOwner::Shared => "shared",
            MatrixOwner::Provider => "provider",
        }
    }
}

/// The parts of a control that exist in one model for a given set of services.
#[derive(Debug, Clone, Copy, Default)]
pub struct EffectiveParts<'m> {
    pub customer: Option<&'m CustomerPart>,
    pub provider: Option<&'m ProviderPart>,
}

impl EffectiveParts<'_> {
    pub fn is_empty(&self) -> bool {
        self.customer.is_none() && self.provider.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct Matrix {
    pub info: MatrixInfo,
    pub models: BTreeMap<String, Model>,
    pub parties: BTreeMap<String, Party>,
    /// In the order of the matrix file, which is the order reports use.
    pub controls: Vec<Control>,
    pub services: BTreeMap<String, Service>,
    pub zones: BTreeMap<String, Zone>,
    pub regions: BTreeMap<String, Vec<String>>,
    /// Words people write for a region (`EU` → `EEA`), for suggestions only.
    pub region_aliases: BTreeMap<String, String>,
    /// Which Terraform resource types create which service.
    pub terraform: TerraformCatalog,
    /// Control id → index in `controls`: every file looks up each of its entries.
    control_index: foldhash::HashMap<String, usize>,
}

impl Matrix {
    pub fn embedded() -> Self {
        Self::embedded_json().expect("the embedded matrix is checked by the test suite")
    }

    /// The matrix of a run: the file `path` names (`--matrix`), or the embedded one.
    pub fn load(path: Option<&Path>) -> Result<Self, Error> {
        let Some(path) = path else {
            return Self::embedded_json().map_err(Error::new);
        };
        let shown = fs::display_path(path);
        // The user's path, but not through a link that leaves its repository.
        crate::text::resolve::command_line(path)
            .map_err(|why| Error::new(format!("cannot read matrix file: {why}")).at(&shown))?;
        let text = fs::read_text(path).map_err(|problem| {
            Error::new(format!("cannot read matrix file `{shown}`: {problem}")).at(&shown)
        })?;
        Self::parse(&text).map_err(|error| {
            Error::new(format!("invalid matrix file `{shown}`:\n{error}")).at(&shown)
        })
    }

    /// Parses and validates a matrix file; the error names the place and the problem.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::validate(toml::from_str(text).map_err(|error| error.to_string())?)
    }

    /// The embedded matrix, read from its JSON form.
    fn embedded_json() -> Result<Self, String> {
        Self::validate(serde_json::from_str(EMBEDDED_MATRIX_JSON).map_err(|e| e.to_string())?)
    }

    fn validate(raw: RawMatrix) -> Result<Self, String> {
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        let mut controls = Vec::with_capacity(raw.controls.len());
        for raw_control in raw.controls {
            if !seen.insert(raw_control.id.clone()) {
                problems.push(format!("control `{}` is defined twice", raw_control.id));
            }
            let mut parts = BTreeMap::new();
            for (model, raw_parts) in raw_control.models {
                if !raw.models.contains_key(&model) {
                    problems.push(format!(
                        "control `{}` has parts for unknown model `{model}`",
                        raw_control.id
                    ));
                }
                if let Some(provider) = &raw_parts.provider {
                    if provider.parties.is_empty() {
                        problems.push(format!(
                            "control `{}` ({model}): a provider part needs parties",
                            raw_control.id
                        ));
                    }
                    for party in &provider.parties {
                        if !raw.parties.contains_key(party) {
                            problems.push(format!(
                                "control `{}` ({model}) names unknown party `{party}`",
                                raw_control.id
                            ));
                        }
                    }
                    for service in &provider.when_services {
                        if !raw.services.contains_key(service) {
                            problems.push(format!(
                                "control `{}` ({model}) depends on unknown service `{service}`",
                                raw_control.id
                            ));
                        }
                    }
                }
                parts.insert(model, raw_parts);
            }
            controls.push(Control {
                id: raw_control.id,
                title: raw_control.title,
                source: raw_control.source,
                parts,
            });
        }
        let mut aliases = BTreeSet::new();
        for (id, service) in &raw.services {
            if !raw.models.contains_key(&service.model) {
                problems.push(format!(
                    "service `{id}` names unknown model `{}`",
                    service.model
                ));
            }
            for alias in &service.aliases {
                if raw.services.contains_key(alias) || !aliases.insert(alias.as_str()) {
                    problems.push(format!(
                        "service `{id}`: alias `{alias}` is a service id or another service's alias"
                    ));
                }
            }
        }
        for (id, party) in &raw.parties {
            if matches!(id.as_str(), "customer" | "shared") {
                problems.push(format!("party id `{id}` is reserved for the customer side"));
            }
            if let Some(word) = &party.acknowledge_with {
                let valid = raw.parties.get(word).is_some_and(|other| other.owner_word);
                if !valid {
                    problems.push(format!(
                        "party `{id}`: acknowledge_with `{word}` is not an owner-word party"
                    ));
                }
            }
        }
        let terraform = TerraformCatalog::build(
            raw.services
                .iter()
                .map(|(id, service)| (id.as_str(), service.terraform.as_slice())),
            &raw.terraform,
            &mut problems,
        );
        let control_index = controls
            .iter()
            .enumerate()
            .map(|(index, control)| (control.id.clone(), index))
            .collect();
        if problems.is_empty() {
            Ok(Self {
                control_index,
                info: raw.matrix,
                models: raw.models,
                parties: raw.parties,
                controls,
                services: raw.services,
                zones: raw.zones,
                regions: raw.regions,
                region_aliases: raw.region_aliases,
                terraform,
            })
        } else {
            Err(problems.join("\n"))
        }
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        self.control_index
            .get(id)
            .map(|&index| &self.controls[index])
    }

    pub fn control_ids(&self) -> impl Iterator<Item = &str> {
        self.controls.iter().map(|control| control.id.as_str())
    }

    /// Parties a controls file may name as `owner` to acknowledge a provider part.
    pub fn provider_owner_words(&self) -> impl Iterator<Item = &str> {
        self.parties
            .iter()
            .filter(|(_, party)| party.owner_word)
            .map(|(id, _)| id.as_str())
    }

    /// A model's title ("IaaS"), or its id when the matrix has no such model.
    pub fn model_title<'a>(&'a self, model: &'a str) -> &'a str {
        self.models
            .get(model)
            .map_or(model, |known| known.title.as_str())
    }

    /// A party's title ("Exoscale"), or its id when the matrix has no such party.
    pub fn party_title<'a>(&'a self, party: &'a str) -> &'a str {
        self.parties
            .get(party)
            .map_or(party, |known| known.title.as_str())
    }

    /// The service an alias names (`postgres` → `dbaas-pg`), ignoring ASCII case.
    pub fn service_of_alias(&self, word: &str) -> Option<&str> {
        self.services
            .iter()
            .find(|(_, service)| {
                service
                    .aliases
                    .iter()
                    .any(|alias| alias.eq_ignore_ascii_case(word))
            })
            .map(|(id, _)| id.as_str())
    }

    pub fn model_of_service(&self, service: &str) -> Option<&str> {
        self.services
            .get(service)
            .map(|service| service.model.as_str())
    }

    /// The parts of `control` that exist in `model` given the services in use.
    pub fn effective_parts<'m>(
        &'m self,
        control: &'m Control,
        model: &str,
        services_in_use: &BTreeSet<String>,
    ) -> EffectiveParts<'m> {
        let Some(parts) = control.parts.get(model) else {
            return EffectiveParts::default();
        };
        let in_use = |services: &[String]| {
            services
                .iter()
                .any(|service| services_in_use.contains(service))
        };
        let provider = parts
            .provider
            .as_ref()
            .filter(|provider| provider.when_services.is_empty() || in_use(&provider.when_services))
            .map(|provider| match &provider.narrowed {
                Some(narrowed)
                    if !provider.narrow_unless.is_empty() && !in_use(&provider.narrow_unless) =>
                {
                    narrowed.as_ref()
                }
                _ => provider,
            });
        EffectiveParts {
            customer: parts.customer.as_ref(),
            provider,
        }
    }

    /// The owner of `control` over `models`: only customer parts → customer, only
    /// provider parts → provider, both (in one model or across models) → shared.
    /// `None` when the control has no part in any of the models.
    pub fn owner_over<'a>(
        &self,
        control: &Control,
        models: impl IntoIterator<Item = &'a str>,
        services_in_use: &BTreeSet<String>,
    ) -> Option<MatrixOwner> {
        let mut customer = false;
        let mut provider = false;
        for model in models {
            let parts = self.effective_parts(control, model, services_in_use);
            customer |= parts.customer.is_some();
            provider |= parts.provider.is_some();
        }
        match (customer, provider) {
            (true, true) => Some(MatrixOwner::Shared),
            (true, false) => Some(MatrixOwner::Customer),
            (false, true) => Some(MatrixOwner::Provider),
            (false, false) => None,
        }
    }

    /// The owner word that acknowledges a party's part: the party itself when a
    /// controls file may name it, else the word it is acknowledged with
    /// (data-centre operators through the provider).
    pub fn acknowledged_by<'a>(&'a self, party: &'a str) -> Option<&'a str> {
        let known = self.parties.get(party)?;
        if known.owner_word {
            Some(party)
        } else {
            known.acknowledge_with.as_deref()
        }
    }

    /// The owner word that acknowledges a provider-only control over `models`: one
    /// that holds a part in every model with a provider part if there is one (Exoscale
    /// where Aiven shares only the DBaaS part), else the first the matrix names.
    pub fn acknowledging_party(
        &self,
        control: &Control,
        models: &[&str],
        services_in_use: &BTreeSet<String>,
    ) -> Option<String> {
        let provider_parts: Vec<&ProviderPart> = models
            .iter()
            .filter_map(|model| {
                self.effective_parts(control, model, services_in_use)
                    .provider
            })
            .collect();
        let words = |part: &ProviderPart| -> Vec<String> {
            part.parties
                .iter()
                .filter_map(|party| self.acknowledged_by(party).map(str::to_owned))
                .collect()
        };
        let candidates: Vec<String> = provider_parts.iter().flat_map(|part| words(part)).collect();
        let in_every = candidates
            .iter()
            .find(|word| provider_parts.iter().all(|part| words(part).contains(word)));
        in_every.or(candidates.first()).cloned()
    }

    /// The countries a residency value allows: an ISO country code, a region name, or
    /// several of them joined with `+`. `Err` names the first part that is neither,
    /// with a suggestion when one is close (`EU` → `EEA`, `ch` → `CH`).
    pub fn residency_countries(&self, residency: &str) -> Result<BTreeSet<String>, BadResidency> {
        let mut countries = BTreeSet::new();
        for part in residency.split('+') {
            if let Some(region) = self.regions.get(part) {
                countries.extend(region.iter().cloned());
            } else if part.len() == 2 && countries::is_country(part) {
                countries.insert(part.to_owned());
            } else {
                let alias = self
                    .region_aliases
                    .iter()
                    .find(|(alias, _)| alias.eq_ignore_ascii_case(part))
                    .map(|(_, region)| region.clone());
                let same = || {
                    let upper = part.to_ascii_uppercase();
                    (self.regions.contains_key(&upper) || countries::is_country(&upper))
                        .then_some(upper)
                        .or_else(|| countries::code_of_name(part).map(str::to_owned))
                };
                let (suggestion, same_meaning) = match alias {
                    Some(region) => (Some(region), false),
                    None => (same(), true),
                };
                return Err(BadResidency {
                    part: part.to_owned(),
                    suggestion,
                    same_meaning,
                });
            }
        }
        Ok(countries)
    }
}
