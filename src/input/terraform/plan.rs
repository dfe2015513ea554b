//! `terraform show -json` output, for a saved plan or a state: resources are read
//! from `planned_values` (a plan) or `values` (a state), in the root module and every
//! child module, so `count`, `for_each`, variables and modules are already resolved by
//! Terraform. Only `format_version` 1.x is read: a new major version may change the
//! shape, and guessing would report wrong things confidently.

use std::ops::Range;
use std::path::Path;

use super::{Attribute, Inventory, MAX_PLAN_BYTES, ProblemKind, Resource, SourceKind, read_file};
use crate::data::terraform::TerraformCatalog;
use crate::text::spanned_json::{self, Kind, Value};

const NOT_TERRAFORM_HELP: &str = "write the file with `terraform show -json plan.out > plan.json` (a plan) or `terraform show -json > state.json` (a state)";

pub(super) fn read(path: &Path, shown: &str, catalog: &TerraformCatalog) -> Inventory {
    let mut inventory = Inventory::new(shown, SourceKind::State);
    let text = match read_file(path, MAX_PLAN_BYTES) {
        Ok(text) => text,
        Err(why) => {
            let file = inventory.add_file(shown.to_owned(), String::new());
            inventory.problem(
                ProblemKind::Invalid,
                Some(file),
                0..0,
                format!("`{shown}` cannot be read: {why}"),
                "this file",
                "a plan or state JSON is UTF-8 text, inside the repository",
            );
            return inventory;
        }
    };
    let file = inventory.add_file(shown.to_owned(), text);
    let source = inventory.files[file].source.clone();
    // The common case, a well-formed plan or state, is read into the fields needed,
    // borrowing the text; anything else is read again as a spanned tree, to say
    // precisely what is wrong with it.
    if let Some((kind, resources)) = typed::read(source.text(), file, catalog) {
        inventory.kind = kind;
        inventory.resources = resources;
        return inventory;
    }
    let document = match spanned_json::parse(source.text()) {
        Ok(document) => document,
        Err(error) => {
            let end = source.text()[error.offset..]
                .chars()
                .next()
                .map_or(error.offset, |c| error.offset + c.len_utf8());
            inventory.problem(
                ProblemKind::Invalid,
                Some(file),
                error.offset..end,
                format!("`{shown}` is not valid JSON: {}", error.message),
                "here",
                NOT_TERRAFORM_HELP,
            );
            return inventory;
        }
    };
    let (values, kind) = match document_values(&document, source.text(), shown) {
        Ok(found) => found,
        Err(problem) => {
            if let Some((span, message, label)) = problem {
                let help = NOT_TERRAFORM_HELP;
                let kind = ProblemKind::Invalid;
                inventory.problem(kind, Some(file), span, message, label, help);
            }
            return inventory;
        }
    };
    inventory.kind = kind;
    if let Some(root) = values.get("root_module") {
        walk_module(root, (source.text(), file), kind, catalog, &mut inventory);
    }
    inventory
}

/// What a JSON document holds that is no well-formed plan or state: its resource
/// values and their kind, or why it is not a plan or state, with the place, message
/// and label to say so (`None`: an empty state, nothing to say).
#[allow(clippy::type_complexity, reason = "a local result, read once")]
fn document_values<'d>(
    document: &'d Value,
    text: &str,
    shown: &str,
) -> Result<(&'d Value, SourceKind), Option<(Range<usize>, String, &'static str)>> {
    if !document.is_object() {
        let message = format!(
            "`{shown}` is {}, not the output of `terraform show -json`",
            document.describe()
        );
        return Err(Some((
            document.span.clone(),
            message,
            "not a Terraform document",
        )));
    }
    let Some(version) = document.get("format_version") else {
        let start = document.span.start;
        let message = format!(
            "`{shown}` has no `format_version`: it is not the output of `terraform show -json`"
        );
        return Err(Some((start..start + 1, message, "no `format_version`")));
    };
    if version.as_str().and_then(|text| text.split('.').next()) != Some("1") {
        let written = &text[version.span.clone()];
        let message = format!(
            "`format_version` {written} is not supported: srmlint reads the 1.x format of Terraform 1.0 and later"
        );
        return Err(Some((version.span.clone(), message, "unsupported version")));
    }
    match (document.get("planned_values"), document.get("values")) {
        (Some(planned), _) => Ok((planned, SourceKind::Plan)),
        (None, Some(values)) => Ok((values, SourceKind::State)),
        (None, None) => {
            // An empty state is printed as the version alone; anything else with a
            // `format_version` (provider schemas, `terraform version -json`) is not a
            // plan or a state.
            let Kind::Object(members) = &document.kind else {
                return Err(None);
            };
            let other = (members.iter())
                .find(|(key, _, _)| key != "format_version" && key != "terraform_version");
            Err(other.map(|(key, key_span, _)| {
                let message = format!(
                    "`{shown}` has neither `planned_values` (a plan) nor `values` (a state) but `{key}`: it is not a plan or state"
                );
                (key_span.clone(), message, "not a plan or state")
            }))
        }
    }
}

/// `file` is the document's text and its index in the inventory.
fn walk_module(
    module: &Value,
    file: (&str, usize),
    kind: SourceKind,
    catalog: &TerraformCatalog,
    inventory: &mut Inventory,
) {
    for resource in module
        .get("resources")
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        if let Some(read) = resource_of(resource, file, kind, catalog, inventory) {
            inventory.resources.push(read);
        }
    }
    for child in module
        .get("child_modules")
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        // The JSON reader bounds nesting, so this recursion is bounded too.
        walk_module(child, file, kind, catalog, inventory);
    }
}

fn resource_of(
    resource: &Value,
    (text, file): (&str, usize),
    kind: SourceKind,
    catalog: &TerraformCatalog,
    inventory: &mut Inventory,
) -> Option<Resource> {
    if resource.get("mode").and_then(Value::as_str) == Some("data") {
        return None;
    }
    let Some(resource_type) = resource.get("type").and_then(Value::as_str) else {
        inventory.problem(
            ProblemKind::Invalid,
            Some(file),
            resource.span.clone(),
            "a resource without a `type` string".to_owned(),
            "no `type`",
            NOT_TERRAFORM_HELP,
        );
        return None;
    };
    let mapping = catalog.mapping(resource_type);
    let through_endpoint = catalog.endpoint(resource_type).is_some();
    if mapping.is_none() && !catalog.is_provider_type(resource_type) && !through_endpoint {
        return None;
    }
    let address = resource.get("address");
    let header = address.map_or_else(|| resource.span.clone(), |value| value.span.clone());
    let address = address
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| {
            let name = resource.get("name").and_then(Value::as_str).unwrap_or("?");
            format!("{resource_type}.{name}")
        });
    if through_endpoint {
        // What a well-formed document would decide by its configuration.
        let why = "the document is not read in full (see its other finding), so the endpoint of its provider is not known";
        return Some(Resource {
            file,
            address,
            resource_type: resource_type.to_owned(),
            attributes: vec![(
                "zone".to_owned(),
                Attribute::Unresolved {
                    span: header.clone(),
                    why: why.to_owned(),
                    variable: None,
                },
            )],
            header,
            through_endpoint,
            ..Resource::default()
        });
    }
    let values = resource.get("values");
    let attributes = mapping
        .into_iter()
        .flat_map(|mapping| mapping.attributes())
        .map(|name| {
            let attribute = match values.and_then(|values| values.get(name)) {
                Some(Value {
                    kind: Kind::String(value),
                    span,
                }) => Attribute::Value {
                    value: value.clone(),
                    span: span.clone(),
                    from: None,
                },
                Some(Value { span, .. }) => not_a_string(kind, span.clone(), &text[span.clone()]),
                None => absent(kind, name, &header),
            };
            (name.to_owned(), attribute)
        })
        .collect();
    Some(Resource {
        file,
        address,
        resource_type: resource_type.to_owned(),
        header,
        attributes,
        ..Resource::default()
    })
}

/// A plan or state read into typed fields that borrow the document's text (serde's
/// `RawValue` keeps each value's place, so findings still point into the file): no
/// generic value tree, a few words per resource besides the text itself.
mod typed {
    use std::borrow::Cow;
    use std::collections::HashMap;

    use serde::Deserialize;
    use serde::de::IgnoredAny;
    use serde_json::value::RawValue;

    use super::super::{Attribute, Resource, SourceKind, block_address};
    use super::{absent, not_a_string};
    use crate::data::terraform::{Endpoint, TerraformCatalog};

    #[derive(Deserialize)]
    struct Document<'a> {
        #[serde(borrow)]
        format_version: Option<Cow<'a, str>>,
        #[serde(borrow)]
        planned_values: Option<Values<'a>>,
        #[serde(borrow)]
        values: Option<Values<'a>>,
        /// The configuration behind a plan: which provider configuration each
        /// resource uses, and what the configurations say (an S3 endpoint).
        #[serde(borrow)]
        configuration: Option<Configuration<'a>>,
        /// The root module's variables, as the plan was made with them.
        #[serde(borrow, default)]
        variables: HashMap<Cow<'a, str>, Variable<'a>>,
    }

    #[derive(Deserialize)]
    struct Variable<'a> {
        #[serde(borrow)]
        value: Option<&'a RawValue>,
    }

    #[derive(Deserialize)]
    struct Configuration<'a> {
        #[serde(borrow, default)]
        provider_config: HashMap<Cow<'a, str>, ProviderConfig<'a>>,
        #[serde(borrow)]
        root_module: Option<ConfigModule<'a>>,
    }

    #[derive(Deserialize)]
    struct ProviderConfig<'a> {
        #[serde(borrow)]
        name: Option<Cow<'a, str>>,
        #[serde(borrow)]
        full_name: Option<Cow<'a, str>>,
        #[serde(borrow)]
        expressions: Option<ProviderExpressions<'a>>,
    }

    #[derive(Deserialize)]
    struct ProviderExpressions<'a> {
        #[serde(borrow)]
        endpoints: Option<Vec<HashMap<Cow<'a, str>, Constant<'a>>>>,
    }

    #[derive(Deserialize)]
    struct Constant<'a> {
        #[serde(borrow)]
        constant_value: Option<&'a RawValue>,
        /// What an expression that is no constant refers to (`var.zone`).
        #[serde(borrow, default)]
        references: Vec<Cow<'a, str>>,
    }

    #[derive(Deserialize)]
    struct ConfigModule<'a> {
        #[serde(borrow, default)]
        resources: Vec<ConfigResource<'a>>,
        #[serde(borrow, default)]
        module_calls: HashMap<Cow<'a, str>, ConfigCall<'a>>,
    }

    #[derive(Deserialize)]
    struct ConfigCall<'a> {
        #[serde(borrow)]
        module: Option<ConfigModule<'a>>,
    }

    #[derive(Deserialize)]
    struct ConfigResource<'a> {
        #[serde(borrow)]
        address: Option<Cow<'a, str>>,
        #[serde(borrow)]
        provider_config_key: Option<Cow<'a, str>>,
    }

    /// A provider configuration's key and the configuration.
    type BlockProvider<'a> = (&'a str, &'a ProviderConfig<'a>);

    /// For each resource block of the configuration (by address without instance
    /// keys), its provider configuration: whose `endpoints` make an `aws_s3_bucket`
    /// Exoscale's.
    fn providers_by_block<'a>(
        configuration: &'a Configuration<'a>,
    ) -> HashMap<String, BlockProvider<'a>> {
        let mut found = HashMap::new();
        let mut pending: Vec<(String, &ConfigModule<'a>)> = configuration
            .root_module
            .iter()
            .map(|module| (String::new(), module))
            .collect();
        while let Some((prefix, module)) = pending.pop() {
            for resource in &module.resources {
                let (Some(address), Some(key)) = (&resource.address, &resource.provider_config_key)
                else {
                    continue;
                };
                if let Some((key, config)) =
                    configuration.provider_config.get_key_value(key.as_ref())
                {
                    found.insert(format!("{prefix}{address}"), (key.as_ref(), config));
                }
            }
            for (call, child) in &module.module_calls {
                if let Some(child) = &child.module {
                    pending.push((format!("{prefix}module.{call}."), child));
                }
            }
        }
        found
    }

    #[derive(Deserialize)]
    struct Values<'a> {
        #[serde(borrow)]
        root_module: Option<Module<'a>>,
    }

    #[derive(Deserialize)]
    struct Module<'a> {
        #[serde(borrow, default)]
        resources: Vec<PlanResource<'a>>,
        #[serde(borrow, default)]
        child_modules: Vec<Module<'a>>,
    }

    #[derive(Deserialize)]
    struct PlanResource<'a> {
        #[serde(borrow)]
        address: Option<&'a RawValue>,
        #[serde(borrow)]
        mode: Option<Cow<'a, str>>,
        #[serde(borrow, rename = "type")]
        resource_type: Option<Cow<'a, str>>,
        #[serde(borrow)]
        name: Option<Cow<'a, str>>,
        #[serde(borrow)]
        values: Option<HashMap<Cow<'a, str>, &'a RawValue>>,
        // Read to be skipped, never kept.
        #[serde(default)]
        #[allow(
            dead_code,
            reason = "present so the field is skipped without a value tree"
        )]
        sensitive_values: Option<IgnoredAny>,
    }

    /// The kind and resources of a well-formed plan or state of format 1.x; `None`
    /// for anything else (not JSON, another shape), which the spanned reader explains.
    pub(super) fn read(
        text: &str,
        file: usize,
        catalog: &TerraformCatalog,
    ) -> Option<(SourceKind, Vec<Resource>)> {
        let document: Document<'_> = serde_json::from_str(text).ok()?;
        if document.format_version?.split('.').next() != Some("1") {
            return None;
        }
        let (values, kind) = match (document.planned_values, document.values) {
            (Some(planned), _) => (planned, SourceKind::Plan),
            (None, Some(values)) => (values, SourceKind::State),
            (None, None) => return None,
        };
        let endpoints = Endpoints {
            by_block: (document.configuration.as_ref()).map(providers_by_block),
            variables: &document.variables,
        };
        let mut resources = Vec::new();
        if let Some(root) = values.root_module {
            let mut pending = vec![root];
            while let Some(module) = pending.pop() {
                resources.reserve(module.resources.len());
                for resource in module.resources {
                    if resource.mode.as_deref() == Some("data") {
                        continue;
                    }
                    resources.extend(resource_of(
                        text, file, kind, catalog, resource, &endpoints,
                    )?);
                }
                // Children after their parent, in document order.
                pending.extend(module.child_modules.into_iter().rev());
            }
        }
        Some((kind, resources))
    }

    /// What the document says of the providers' endpoints: each resource block's
    /// provider configuration (`None` for a state, which records none), and the
    /// variables an endpoint may refer to.
    struct Endpoints<'d, 'a> {
        by_block: Option<HashMap<String, BlockProvider<'a>>>,
        variables: &'d HashMap<Cow<'a, str>, Variable<'a>>,
    }

    impl Endpoints<'_, '_> {
        /// The zone the endpoint of the provider of `address` names, as an attribute:
        /// its value, or unresolved (at `header`) when the document does not tell
        /// whether the endpoint is the platform's; `None` for a provider not pointed
        /// at it.
        fn zone(
            &self,
            text: &str,
            (address, header): (&str, &std::ops::Range<usize>),
            endpoint: &Endpoint,
        ) -> Option<Attribute> {
            let unresolved = |why: String| Attribute::Unresolved {
                span: header.clone(),
                why,
                variable: None,
            };
            let Some(by_block) = &self.by_block else {
                return Some(unresolved(format!(
                    "a state does not record the `endpoints` of the `{}` provider it used, so whether it is one of the platform's resources is not known",
                    endpoint.provider
                )));
            };
            let (key, config) = by_block.get(&block_address(address))?;
            let source = config.full_name.as_deref().or(config.name.as_deref());
            if !source
                .is_some_and(|source| endpoint.is_source(source) || source == endpoint.provider)
            {
                return None;
            }
            let endpoints = config.expressions.as_ref()?.endpoints.as_ref()?.first()?;
            let (name, written) = endpoints.iter().find(|(name, _)| endpoint.is_named(name))?;
            let raw = match (written.constant_value, written.references.as_slice()) {
                (Some(raw), _) => raw,
                // A root module's endpoint that is one variable holding the URL.
                (None, [reference]) if !key.contains(':') && reference.starts_with("var.") => {
                    match self
                        .variables
                        .get(&reference["var.".len()..])
                        .and_then(|variable| variable.value)
                    {
                        Some(raw)
                            if serde_json::from_str::<String>(raw.get())
                                .is_ok_and(|url| endpoint.zone_of(&url).is_some()) =>
                        {
                            raw
                        }
                        _ => return Some(unresolved(expression(name, key, &written.references))),
                    }
                }
                (None, references) => return Some(unresolved(expression(name, key, references))),
            };
            let url = serde_json::from_str::<String>(raw.get()).ok()?;
            let zone = endpoint.zone_of(&url)?;
            Some(Attribute::Value {
                value: zone,
                span: span_of(text, raw),
                from: None,
            })
        }
    }

    /// Why an endpoint the plan writes as an expression leaves its resources undecided.
    fn expression(name: &str, key: &str, references: &[Cow<'_, str>]) -> String {
        let refers: Vec<String> = references
            .iter()
            .map(|reference| format!("`{reference}`"))
            .collect();
        let refers = if refers.is_empty() {
            String::new()
        } else {
            format!(" of {}", refers.join(", "))
        };
        format!(
            "the plan writes the `endpoints.{name}` of its provider `{key}` as an expression{refers}, not a value, so whether it is one of the platform's resources is not known"
        )
    }

    /// Where a raw value lies in `text`.
    fn span_of(text: &str, raw: &RawValue) -> std::ops::Range<usize> {
        let start = raw.get().as_ptr() as usize - text.as_ptr() as usize;
        start..start + raw.get().len()
    }

    /// `None` to give up on the typed reading (a resource without a type); `Some(None)`
    /// for a resource of no interest.
    #[allow(
        clippy::option_option,
        reason = "give up, skip, or keep: three outcomes"
    )]
    fn resource_of(
        text: &str,
        file: usize,
        kind: SourceKind,
        catalog: &TerraformCatalog,
        resource: PlanResource<'_>,
        endpoints: &Endpoints<'_, '_>,
    ) -> Option<Option<Resource>> {
        let resource_type = resource.resource_type?;
        let header = resource.address.map_or(0..0, |raw| span_of(text, raw));
        let address =
            (resource.address).and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
        let mapping = catalog.mapping(&resource_type);
        let through_endpoint = mapping.is_none() && !catalog.is_provider_type(&resource_type);
        let (address, attributes) = if through_endpoint {
            // A resource of another provider pointed at the platform's endpoint.
            let Some(endpoint) = catalog.endpoint(&resource_type) else {
                return Some(None);
            };
            let address = address?;
            let Some(zone) = endpoints.zone(text, (&address, &header), endpoint) else {
                return Some(None);
            };
            (address, vec![("zone".to_owned(), zone)])
        } else {
            let name = resource.name.as_deref().unwrap_or("?");
            let address = address.unwrap_or_else(|| format!("{resource_type}.{name}"));
            // Exactly as many as the type has (one or two): collected, the list would
            // take room for four, which a plan of 750,000 resources notices.
            let names = || mapping.into_iter().flat_map(|mapping| mapping.attributes());
            let mut attributes = Vec::with_capacity(names().count());
            attributes.extend(names().map(|name| {
                let raw = resource.values.as_ref().and_then(|values| values.get(name));
                let attribute = match raw {
                    Some(raw) => attribute_of(text, kind, raw),
                    None => absent(kind, name, &header),
                };
                (name.to_owned(), attribute)
            }));
            (address, attributes)
        };
        Some(Some(Resource {
            file,
            address,
            resource_type: resource_type.into_owned(),
            header,
            attributes,
            through_endpoint,
            ..Resource::default()
        }))
    }

    fn attribute_of(text: &str, kind: SourceKind, raw: &RawValue) -> Attribute {
        let span = span_of(text, raw);
        match serde_json::from_str::<String>(raw.get()) {
            Ok(value) => Attribute::Value {
                value,
                span,
                from: None,
            },
            Err(_) => not_a_string(kind, span, raw.get()),
        }
    }
}

/// An attribute the JSON writes as something other than a string (`written` is its
/// text): a plan's `null` is known only after apply, a state's was never set.
fn not_a_string(kind: SourceKind, span: std::ops::Range<usize>, written: &str) -> Attribute {
    let described = match written.as_bytes().first() {
        Some(b'n') if kind == SourceKind::Plan => {
            return Attribute::Unresolved {
                span,
                why: "it is known only after apply".to_owned(),
                variable: None,
            };
        }
        Some(b'n') => return Attribute::Missing,
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        _ => "a number",
    };
    Attribute::Unresolved {
        span,
        why: format!("it is {described}, not a string"),
        variable: None,
    }
}

/// An attribute the JSON leaves out: a plan leaves out what is unknown until apply; a
/// state has every attribute of the schema, so a missing one was never set.
fn absent(kind: SourceKind, name: &str, header: &std::ops::Range<usize>) -> Attribute {
    if kind == SourceKind::Plan {
        Attribute::Unresolved {
            span: header.clone(),
            why: format!("the plan does not know `{name}` yet (it is known only after apply)"),
            variable: None,
        }
    } else {
        Attribute::Missing
    }
}
