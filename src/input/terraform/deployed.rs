//! The deployed resources: which resource of a controls file's Terraform sources is
//! which service, in which zone, as the catalog reads it. The one classification the
//! infrastructure rules (`rules::terraform`) and `init --terraform` share.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use crate::data::terraform::{ResourceMapping, ServiceBy, TerraformCatalog};
use crate::diag::OtherFile;
use crate::input::terraform::{Attribute, Inventory, Resource, SetAt, Source, SourceKind};

/// What the catalog makes of a resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceOf<'c> {
    Service(&'c str),
    /// The type picks its service by an attribute whose value is not known.
    Undecided {
        attribute: &'c str,
        candidates: Vec<&'c str>,
    },
    /// The attribute's value picks no service of the catalog.
    UnknownValue {
        attribute: &'c str,
        value: String,
    },
    /// A type of the provider that creates no service.
    Serviceless,
    /// A type with the provider's prefix that the catalog does not know.
    Unmapped,
}

/// Where a resource of a mapped type runs, as its zone attribute (`attribute`) says.
#[derive(Debug, Clone, Copy)]
pub enum ZoneOf<'r> {
    /// A value known statically; `from` says where a referenced value was set.
    Runs {
        value: &'r str,
        span: &'r Range<usize>,
        from: Option<&'r SetAt>,
    },
    /// Written, but not known statically.
    Unresolved {
        why: &'r str,
        variable: Option<&'r str>,
    },
    /// Not written.
    Unset,
}

/// An address with its instance keys left out (`module.db.exoscale_dbaas.pg`), to
/// match a plan's instance with the block that declares it.
pub fn block_address(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut quoted = false;
    let mut escaped = false;
    for c in address.chars() {
        if depth > 0 {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                '[' if !quoted => depth += 1,
                ']' if !quoted => depth -= 1,
                _ => {}
            }
            continue;
        }
        if c == '[' {
            depth = 1;
            continue;
        }
        out.push(c);
    }
    out
}

/// The catalog's mapping of the resource's type (of the endpoint it reaches, for a
/// resource read through one).
pub fn mapping_of<'c>(
    resource: &Resource,
    catalog: &'c TerraformCatalog,
) -> Option<&'c ResourceMapping> {
    if resource.through_endpoint {
        return catalog
            .endpoint(&resource.resource_type)
            .map(|endpoint| &endpoint.mapping);
    }
    catalog.mapping(&resource.resource_type)
}

/// The service `resource` creates, as far as the catalog and the resolved attributes tell.
pub fn service_of<'c>(resource: &Resource, catalog: &'c TerraformCatalog) -> ServiceOf<'c> {
    let Some(mapping) = mapping_of(resource, catalog) else {
        return if catalog.is_serviceless(&resource.resource_type) {
            ServiceOf::Serviceless
        } else {
            ServiceOf::Unmapped
        };
    };
    match &mapping.service {
        // A resource whose provider's endpoint is not known may be the platform's
        // or not (its zone would come from the endpoint).
        ServiceBy::Always(_)
            if resource.through_endpoint
                && !matches!(resource.attribute("zone"), Some(Attribute::Value { .. })) =>
        {
            ServiceOf::Undecided {
                attribute: mapping.zone.as_deref().unwrap_or("zone"),
                candidates: mapping.services(),
            }
        }
        ServiceBy::Always(service) => ServiceOf::Service(service),
        ServiceBy::Attribute { attribute, values } => match resource.attribute(attribute) {
            Some(Attribute::Value { value, .. }) => match values.get(value) {
                Some(service) => ServiceOf::Service(service),
                None => ServiceOf::UnknownValue {
                    attribute,
                    value: value.clone(),
                },
            },
            _ => ServiceOf::Undecided {
                attribute,
                candidates: mapping.services(),
            },
        },
    }
}

/// The zone attribute of the resource's type and what it holds; `None` for a type
/// that runs in no zone (or that the catalog does not map).
pub fn zone_of<'r, 'c>(
    resource: &'r Resource,
    catalog: &'c TerraformCatalog,
) -> Option<(&'c str, ZoneOf<'r>)> {
    let attribute = mapping_of(resource, catalog)?.zone.as_deref()?;
    let zone = match resource.attribute(attribute) {
        Some(Attribute::Value { value, span, from }) => ZoneOf::Runs {
            value,
            span,
            from: from.as_ref(),
        },
        Some(Attribute::Unresolved { why, variable, .. }) => ZoneOf::Unresolved {
            why,
            variable: variable.as_deref(),
        },
        Some(Attribute::Missing) | None => ZoneOf::Unset,
    };
    Some((attribute, zone))
}

/// A deployed resource and the source it was read from.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    pub inventory: &'a Inventory,
    pub resource: &'a Resource,
    /// The `.tf` block that declares a resource read from a plan or state, when one
    /// of the file's folders has it: findings are placed there, in the code.
    pub place: Option<(&'a Inventory, &'a Resource)>,
    /// (source, file, offset): file order, then line.
    pub order: (usize, usize, usize),
}

impl<'a> Found<'a> {
    /// Where findings about the resource lie: the declaring block, else the resource.
    pub fn at(&self) -> (&'a Inventory, &'a Resource) {
        self.place.unwrap_or((self.inventory, self.resource))
    }

    pub fn file(&self) -> OtherFile {
        let (inventory, resource) = self.at();
        other_file(inventory, resource.file)
    }

    /// The file the span of the resource's `attribute` lies in: the header's, or the
    /// override file that set it.
    pub fn file_of(&self, attribute: &str) -> OtherFile {
        let (inventory, resource) = self.at();
        other_file(inventory, resource.attribute_file(attribute))
    }

    pub fn header(&self) -> Range<usize> {
        self.at().1.header.clone()
    }

    /// The span of `attribute` where findings are placed, or the header when the
    /// attribute is not written.
    pub fn span(&self, attribute: &str) -> Range<usize> {
        let resource = self.at().1;
        match resource.attribute(attribute) {
            Some(Attribute::Value { span, .. } | Attribute::Unresolved { span, .. }) => {
                span.clone()
            }
            Some(Attribute::Missing) | None => resource.header.clone(),
        }
    }

    /// Where a value the resource holds at `span` is shown: at the declaring block's
    /// attribute for a plan's resource, else at `span`.
    pub fn placed(&self, attribute: &str, span: &Range<usize>) -> Range<usize> {
        if self.place.is_some() {
            self.span(attribute)
        } else {
            span.clone()
        }
    }

    /// A key of the place of `attribute`'s finding and the block it is about:
    /// instances of one block (`count`, `for_each`, calls of its module) share it, so a
    /// finding is reported once per block and attribute. Blocks of one module whose
    /// values a module call passes in share the place (the caller's argument), not
    /// the block's `type.name`.
    pub fn key(&self, attribute: &str) -> (usize, usize, usize, String) {
        let resource = self.at().1;
        let at = resource.attribute_file(attribute);
        let address = block_address(&resource.address);
        let mut parts = address.rsplitn(3, '.');
        let (name, kind) = (parts.next(), parts.next());
        let block = format!("{}.{}", kind.unwrap_or(""), name.unwrap_or(""));
        (self.order.0, at, self.span(attribute).start, block)
    }
}

/// A file of a source as a finding names it.
pub fn other_file(inventory: &Inventory, file: usize) -> OtherFile {
    let read = &inventory.files[file];
    OtherFile {
        path: read.path.clone(),
        source: read.source.clone(),
    }
}

/// What a controls file's Terraform sources deploy.
#[derive(Debug)]
pub struct Deployed<'a> {
    /// A plan or state is among the sources: it alone says what exists, and the
    /// `.tf` folders only place the findings about it (nothing is counted twice).
    pub with_plan: bool,
    /// Every source read in full: only then can a declared service be called unused.
    pub complete: bool,
    /// The resources that exist, in file order, then line.
    pub resources: Vec<Found<'a>>,
}

impl<'a> Deployed<'a> {
    pub fn of(sources: &'a [Source]) -> Self {
        let with_plan = sources.iter().any(|source| {
            source
                .read
                .as_ref()
                .is_ok_and(|inventory| inventory.kind != SourceKind::Module)
        });
        let mut complete = true;
        let mut resources = Vec::new();
        let mut declared: BTreeMap<String, (&Inventory, &Resource)> = BTreeMap::new();
        let mut declared_blocks: BTreeMap<String, (&Inventory, &Resource)> = BTreeMap::new();
        for (index, source) in sources.iter().enumerate() {
            let Ok(inventory) = &source.read else {
                complete = false;
                continue;
            };
            let placing_only = with_plan && inventory.kind == SourceKind::Module;
            // What the code leaves unevaluated, the plan has evaluated.
            complete &= inventory
                .problems
                .iter()
                .all(|problem| placing_only && problem.kind == super::ProblemKind::NotChecked);
            for resource in &inventory.resources {
                if placing_only {
                    declared
                        .entry(resource.address.clone())
                        .or_insert((inventory, resource));
                    declared_blocks
                        .entry(block_address(&resource.address))
                        .or_insert((inventory, resource));
                    continue;
                }
                resources.push(Found {
                    inventory,
                    resource,
                    place: None,
                    order: (index, resource.file, resource.header.start),
                });
            }
        }
        if with_plan {
            let indexes: BTreeMap<*const Inventory, usize> = sources
                .iter()
                .enumerate()
                .filter_map(|(index, source)| {
                    let inventory = source.read.as_ref().ok()?;
                    Some((Arc::as_ptr(inventory), index))
                })
                .collect();
            for item in &mut resources {
                let place = declared
                    .get(&item.resource.address)
                    .or_else(|| declared_blocks.get(&block_address(&item.resource.address)))
                    .copied();
                if let Some((inventory, resource)) = place {
                    item.place = Some((inventory, resource));
                    // An endpoint the plan leaves undecided, the code may have evaluated.
                    let decided = |resource: &Resource| {
                        resource.through_endpoint
                            && matches!(resource.attribute("zone"), Some(Attribute::Value { .. }))
                    };
                    if item.resource.through_endpoint
                        && !decided(item.resource)
                        && decided(resource)
                    {
                        (item.inventory, item.resource, item.place) = (inventory, resource, None);
                    }
                    let source = indexes
                        .get(&std::ptr::from_ref(inventory))
                        .copied()
                        .unwrap_or(item.order.0);
                    item.order = (source, resource.file, resource.header.start);
                }
            }
        }
        resources.sort_by_key(|found| found.order);
        Self {
            with_plan,
            complete,
            resources,
        }
    }
}
