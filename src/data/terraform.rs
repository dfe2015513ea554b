//! The Terraform side of the service catalog: which resource types create which
//! service, by which attribute a type that serves several services tells them apart
//! (a DBaaS resource by its `type`), which attribute names the zone, which types create
//! no service at all, and the type prefixes that belong to the provider. All of it is
//! data from the matrix file; this module only knows "resource type → service, maybe by
//! an attribute's value".

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;

/// One line of a service's `terraform` list in the matrix file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TerraformType {
    /// The resource type (`exoscale_compute_instance`).
    pub resource: String,
    /// The attribute holding the zone; none for a global resource.
    #[serde(default)]
    pub zone: Option<String>,
    /// With `equals`: the type creates this service only when this attribute holds
    /// that value (`exoscale_dbaas` with `type = "pg"`).
    #[serde(default)]
    pub attribute: Option<String>,
    #[serde(default)]
    pub equals: Option<String>,
}

/// The matrix file's `[terraform]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerraform {
    /// Resource type prefixes of the provider (`exoscale_`): a type with one of them
    /// that the catalog does not know is worth telling the user about (SRM055).
    #[serde(default)]
    pub prefixes: Vec<String>,
    /// Types of the provider that create no service of the catalog (rules, records,
    /// keys, users inside a service).
    #[serde(default)]
    pub serviceless: Vec<String>,
    /// Resources of another provider that create a service of the catalog when that
    /// provider is pointed at the platform's endpoint (buckets through the AWS
    /// provider against an S3-compatible endpoint).
    #[serde(default)]
    pub endpoints: Vec<RawEndpoint>,
}

/// One `[[terraform.endpoints]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEndpoint {
    /// The provider's name (`aws`).
    pub provider: String,
    /// The provider's source (`hashicorp/aws`, the default for `aws`): a module may
    /// give it another local name in `required_providers`.
    pub source: Option<String>,
    /// The argument of the provider's `endpoints` block (`s3`).
    pub endpoint: String,
    /// Other names the provider accepts for the same argument (`s3api`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The endpoint's URL with `{zone}` where the zone's id stands.
    pub url: String,
    /// The service its resources create.
    pub service: String,
    /// The resource types that create it.
    pub resources: Vec<String>,
}

/// A validated `[[terraform.endpoints]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub provider: String,
    pub source: String,
    pub endpoint: String,
    pub aliases: Vec<String>,
    /// The URL before and after `{zone}`.
    pub prefix: String,
    pub suffix: String,
    /// How its resources map: always to the service, zone from the endpoint.
    pub mapping: ResourceMapping,
}

impl Endpoint {
    /// The zone a URL names, when it is this endpoint. URLs are compared by host,
    /// ignoring case: the scheme, a user, a port and a path do not change which
    /// endpoint a URL reaches. The zone comes back in small letters.
    pub fn zone_of(&self, url: &str) -> Option<String> {
        let after_scheme = |text: &str| -> String {
            let text = text.to_ascii_lowercase();
            text.split_once("://")
                .map_or(text.clone(), |(_, rest)| rest.to_owned())
        };
        let url = after_scheme(url);
        let authority = url.split(['/', '?', '#']).next()?;
        let host = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let host = host.split_once(':').map_or(host, |(host, _)| host);
        let zone = (host.strip_prefix(&after_scheme(&self.prefix))?)
            .strip_suffix(&self.suffix.to_ascii_lowercase())?;
        (!zone.is_empty()).then(|| zone.to_owned())
    }

    /// Whether `name` is the endpoint's argument or another name of it.
    pub fn is_named(&self, name: &str) -> bool {
        self.endpoint == name || self.aliases.iter().any(|alias| alias == name)
    }

    /// Whether a provider's source (`hashicorp/aws`, or with its registry's host as a
    /// plan's full name writes it, `registry.terraform.io/hashicorp/aws`) is this
    /// endpoint's provider.
    pub fn is_source(&self, source: &str) -> bool {
        let parts = source.split('/').count();
        let short = match source.split_once('/') {
            Some((_, rest)) if parts == 3 => rest,
            _ => source,
        };
        short.eq_ignore_ascii_case(&self.source)
    }
}

/// How one resource type maps to services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceMapping {
    /// The attribute holding the zone, when the resource is zonal.
    pub zone: Option<String>,
    pub service: ServiceBy,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceBy {
    /// Every resource of the type creates this service.
    Always(String),
    /// The value of `attribute` picks the service; a value not listed maps to none.
    Attribute {
        attribute: String,
        values: BTreeMap<String, String>,
    },
}

impl ResourceMapping {
    /// The attributes a reader must resolve for a resource of this type.
    pub fn attributes(&self) -> impl Iterator<Item = &str> {
        let by = match &self.service {
            ServiceBy::Always(_) => None,
            ServiceBy::Attribute { attribute, .. } => Some(attribute.as_str()),
        };
        self.zone.as_deref().into_iter().chain(by)
    }

    /// Every service the type can create.
    pub fn services(&self) -> Vec<&str> {
        match &self.service {
            ServiceBy::Always(service) => vec![service.as_str()],
            ServiceBy::Attribute { values, .. } => {
                let unique: BTreeSet<&str> = values.values().map(String::as_str).collect();
                unique.into_iter().collect()
            }
        }
    }
}

/// The catalog's Terraform types, validated.
#[derive(Debug, Clone, Default)]
pub struct TerraformCatalog {
    pub prefixes: Vec<String>,
    pub serviceless: BTreeSet<String>,
    types: HashMap<String, ResourceMapping>,
    /// Types of other providers that map through an endpoint, by type.
    endpoints: HashMap<String, Endpoint>,
}

impl TerraformCatalog {
    /// Builds the catalog from each service's list and the `[terraform]` table; every
    /// inconsistency is a problem naming the service and type.
    pub fn build<'a>(
        services: impl IntoIterator<Item = (&'a str, &'a [TerraformType])>,
        raw: &RawTerraform,
        problems: &mut Vec<String>,
    ) -> Self {
        let mut types: HashMap<String, ResourceMapping> = HashMap::new();
        for (service, entries) in services {
            for entry in entries {
                let by = match (&entry.attribute, &entry.equals) {
                    (None, None) => ServiceBy::Always(service.to_owned()),
                    (Some(attribute), Some(value)) => ServiceBy::Attribute {
                        attribute: attribute.clone(),
                        values: BTreeMap::from([(value.clone(), service.to_owned())]),
                    },
                    _ => {
                        problems.push(format!(
                            "service `{service}`: Terraform type `{}` needs both `attribute` and `equals`, or neither",
                            entry.resource
                        ));
                        continue;
                    }
                };
                let Some(known) = types.get_mut(&entry.resource) else {
                    types.insert(
                        entry.resource.clone(),
                        ResourceMapping {
                            zone: entry.zone.clone(),
                            service: by,
                        },
                    );
                    continue;
                };
                if known.zone != entry.zone {
                    problems.push(format!(
                        "Terraform type `{}` names its zone attribute differently in two services",
                        entry.resource
                    ));
                }
                match (&mut known.service, by) {
                    (
                        ServiceBy::Attribute { attribute, values },
                        ServiceBy::Attribute {
                            attribute: other,
                            values: more,
                        },
                    ) if *attribute == other => {
                        for (value, service) in more {
                            if values.contains_key(&value) {
                                problems.push(format!(
                                    "Terraform type `{}` with `{attribute} = \"{value}\"` is mapped to two services",
                                    entry.resource
                                ));
                            }
                            values.insert(value, service);
                        }
                    }
                    _ => problems.push(format!(
                        "Terraform type `{}` is mapped to several services without one attribute telling them apart",
                        entry.resource
                    )),
                }
            }
        }
        let serviceless: BTreeSet<String> = raw.serviceless.iter().cloned().collect();
        for resource in &serviceless {
            if types.contains_key(resource) {
                problems.push(format!(
                    "Terraform type `{resource}` is listed as serviceless and mapped to a service"
                ));
            }
        }
        let known_services: BTreeSet<String> = types
            .values()
            .flat_map(|mapping| mapping.services().into_iter().map(str::to_owned))
            .collect();
        let mut endpoints = HashMap::new();
        for endpoint in &raw.endpoints {
            let Some((prefix, suffix)) = endpoint.url.split_once("{zone}") else {
                problems.push(format!(
                    "the Terraform endpoint `{}` of provider `{}` has no `{{zone}}` in its URL",
                    endpoint.endpoint, endpoint.provider
                ));
                continue;
            };
            // URLs are compared by host (`Endpoint::zone_of`): the zone stands in it.
            if suffix.contains(['/', '?', '#', '@', ':']) {
                problems.push(format!(
                    "the URL of Terraform endpoint `{}` of provider `{}` must end with the host that holds `{{zone}}`",
                    endpoint.endpoint, endpoint.provider
                ));
                continue;
            }
            if !known_services.contains(&endpoint.service) {
                problems.push(format!(
                    "the Terraform endpoint `{}` of provider `{}` names `{}`, which no service's `terraform` creates",
                    endpoint.endpoint, endpoint.provider, endpoint.service
                ));
            }
            for resource in &endpoint.resources {
                if types.contains_key(resource) || serviceless.contains(resource) {
                    problems.push(format!(
                        "Terraform type `{resource}` is mapped both directly and through an endpoint"
                    ));
                }
                endpoints.insert(
                    resource.clone(),
                    Endpoint {
                        provider: endpoint.provider.clone(),
                        source: (endpoint.source.clone())
                            .unwrap_or_else(|| format!("hashicorp/{}", endpoint.provider)),
                        endpoint: endpoint.endpoint.clone(),
                        aliases: endpoint.aliases.clone(),
                        prefix: prefix.to_owned(),
                        suffix: suffix.to_owned(),
                        mapping: ResourceMapping {
                            zone: Some("zone".to_owned()),
                            service: ServiceBy::Always(endpoint.service.clone()),
                        },
                    },
                );
            }
        }
        Self {
            prefixes: raw.prefixes.clone(),
            serviceless,
            types,
            endpoints,
        }
    }

    /// The types of other providers that create `service` through an endpoint,
    /// sorted.
    pub fn endpoints_for<'s>(
        &'s self,
        service: &'s str,
    ) -> impl Iterator<Item = (&'s str, &'s Endpoint)> {
        let mut found: Vec<(&str, &Endpoint)> = self
            .endpoints
            .iter()
            .filter(move |(_, endpoint)| endpoint.mapping.services() == [service])
            .map(|(resource, endpoint)| (resource.as_str(), endpoint))
            .collect();
        found.sort_by_key(|(resource, _)| *resource);
        found.into_iter()
    }

    /// How a type of another provider maps when its provider points at the
    /// platform's endpoint.
    pub fn endpoint(&self, resource_type: &str) -> Option<&Endpoint> {
        self.endpoints.get(resource_type)
    }

    /// How `resource_type` maps to services, when the catalog maps it.
    pub fn mapping(&self, resource_type: &str) -> Option<&ResourceMapping> {
        self.types.get(resource_type)
    }

    pub fn is_serviceless(&self, resource_type: &str) -> bool {
        self.serviceless.contains(resource_type)
    }

    /// Whether the type belongs to the provider (starts with one of its prefixes).
    pub fn is_provider_type(&self, resource_type: &str) -> bool {
        self.prefixes
            .iter()
            .any(|prefix| resource_type.starts_with(prefix.as_str()))
    }
}
