//! The infrastructure rules (SRM050–SRM055, and SRM013 on a Terraform zone): the
//! deployment a controls file declares held against the Terraform sources it names.
//! The sources are read before (`input::terraform`); these rules only judge what was
//! read. Findings about a resource lie in its `.tf` or JSON file, where the reviewer
//! of the change sees them, and name the controls file in their message.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;

use crate::data::matrix::Matrix;
use crate::diag::{Applicability, BuiltinRule, Finding, OtherFile, Proposal, Severity};
use crate::input::controls::{ControlsFile, Services};
use crate::input::terraform::{
    Attribute, Inventory, Origin, ProblemKind, Resource, ServiceOf, SetAt, Source, SourceKind,
    block_address, mapping_of, service_of,
};
use crate::rules::deployment::SRM013;

pub static SRM050: BuiltinRule = BuiltinRule {
    code: "SRM050",
    name: "undeclared-service",
    severity: Severity::Error,
    summary: "The Terraform creates a service that `services` does not list.",
    doc: include_str!("../../docs/rules/SRM050.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM051: BuiltinRule = BuiltinRule {
    code: "SRM051",
    name: "unused-service",
    severity: Severity::Warning,
    summary: "A declared service has no resource in the Terraform sources.",
    doc: include_str!("../../docs/rules/SRM051.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM052: BuiltinRule = BuiltinRule {
    code: "SRM052",
    name: "undeclared-zone",
    severity: Severity::Error,
    summary: "A Terraform resource runs in a zone that `zones` does not list.",
    doc: include_str!("../../docs/rules/SRM052.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM053: BuiltinRule = BuiltinRule {
    code: "SRM053",
    name: "invalid-terraform",
    severity: Severity::Error,
    summary: "A Terraform source is missing, outside the repository, unreadable or not valid.",
    doc: include_str!("../../docs/rules/SRM053.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM054: BuiltinRule = BuiltinRule {
    code: "SRM054",
    name: "unresolved-terraform-value",
    severity: Severity::Info,
    summary: "A zone, a DBaaS type or a module that srmlint cannot read statically.",
    doc: include_str!("../../docs/rules/SRM054.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM055: BuiltinRule = BuiltinRule {
    code: "SRM055",
    name: "unmapped-resource",
    severity: Severity::Info,
    summary: "A resource type of the provider that the catalog does not know.",
    doc: include_str!("../../docs/rules/SRM055.md"),
    waivable: true,
    fixed_level: false,
};

/// What the infrastructure rules need besides the controls file.
#[derive(Debug, Clone, Copy)]
pub struct TerraformContext<'a> {
    pub matrix: &'a Matrix,
    /// The controls file as output shows it: messages name it.
    pub controls: &'a str,
    /// Every source of the file, in order: `terraform = [...]`, then `--terraform`.
    pub sources: &'a [Source],
}

/// A resource and the source it was read from.
struct Found<'a> {
    inventory: &'a Inventory,
    resource: &'a Resource,
    /// The `.tf` block that declares a resource read from a plan or state, when one
    /// of the file's folders has it: findings are placed there, in the code.
    place: Option<(&'a Inventory, &'a Resource)>,
    /// (source, file, offset): file order, then line.
    order: (usize, usize, usize),
}

impl<'a> Found<'a> {
    /// Where findings about the resource lie: the declaring block, else the resource.
    fn at(&self) -> (&'a Inventory, &'a Resource) {
        self.place.unwrap_or((self.inventory, self.resource))
    }

    fn file(&self) -> OtherFile {
        let (inventory, resource) = self.at();
        other_file(inventory, resource.file)
    }

    /// The file the span of the resource's `attribute` lies in: the header's, or the
    /// override file that set it.
    fn file_of(&self, attribute: &str) -> OtherFile {
        let (inventory, resource) = self.at();
        other_file(inventory, resource.attribute_file(attribute))
    }

    fn header(&self) -> Range<usize> {
        self.at().1.header.clone()
    }

    /// The span of `attribute` where findings are placed.
    fn span(&self, attribute: &str) -> Range<usize> {
        attribute_span(self.at().1, attribute)
    }
}

fn other_file(inventory: &Inventory, file: usize) -> OtherFile {
    let read = &inventory.files[file];
    OtherFile {
        path: read.path.clone(),
        source: read.source.clone(),
    }
}

/// SRM050–SRM055 and SRM013 on Terraform zones, over every source of the file.
pub fn check(file: &ControlsFile, context: TerraformContext<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    if context.sources.is_empty() {
        return findings;
    }
    let matrix = context.matrix;
    let catalog = &matrix.terraform;
    let deployment = &file.deployment;
    // Every source read in full: only then can a declared service be called unused.
    let mut complete = true;
    let mut found: Vec<Found<'_>> = Vec::new();
    // With a plan or state, it alone says what exists; the `.tf` folders only place
    // the findings about it (nothing is counted twice).
    let with_plan = context.sources.iter().any(|source| {
        source
            .read
            .as_ref()
            .is_ok_and(|inventory| inventory.kind != SourceKind::Module)
    });
    let mut declared: BTreeMap<String, (&Inventory, &Resource)> = BTreeMap::new();
    let mut declared_blocks: BTreeMap<String, (&Inventory, &Resource)> = BTreeMap::new();
    for (index, source) in context.sources.iter().enumerate() {
        let inventory = match &source.read {
            Ok(inventory) => inventory,
            Err(why) => {
                complete = false;
                findings.push(unusable_source(source, why, file));
                continue;
            }
        };
        let placing_only = with_plan && inventory.kind == SourceKind::Module;
        for problem in &inventory.problems {
            // What the code leaves unevaluated, the plan has evaluated.
            if placing_only && problem.kind == ProblemKind::NotChecked {
                continue;
            }
            complete = false;
            let rule = match problem.kind {
                ProblemKind::Invalid => &SRM053,
                ProblemKind::NotChecked => &SRM054,
            };
            let finding = Finding::new(rule, problem.span.clone(), problem.message.clone())
                .label(problem.label.clone())
                .help(problem.help.clone());
            findings.push(match problem.file {
                Some(at) => finding.in_file(other_file(inventory, at)),
                None => at_source(finding, source, file),
            });
        }
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
            found.push(Found {
                inventory,
                resource,
                place: None,
                order: (index, resource.file, resource.header.start),
            });
        }
    }
    if with_plan {
        let sources: BTreeMap<*const Inventory, usize> = context
            .sources
            .iter()
            .enumerate()
            .filter_map(|(index, source)| {
                source
                    .read
                    .as_ref()
                    .ok()
                    .map(|inventory| (Arc::as_ptr(inventory), index))
            })
            .collect();
        for item in &mut found {
            let place = declared
                .get(&item.resource.address)
                .or_else(|| declared_blocks.get(&block_address(&item.resource.address)))
                .copied();
            if let Some((inventory, resource)) = place {
                item.place = Some((inventory, resource));
                let source = sources
                    .get(&std::ptr::from_ref(inventory))
                    .copied()
                    .unwrap_or(item.order.0);
                item.order = (source, resource.file, resource.header.start);
            }
        }
    }
    found.sort_by_key(|found| found.order);

    let declared_services: BTreeSet<&str> = deployment
        .service_list()
        .iter()
        .map(|service| service.value.as_str())
        .collect();
    let declared_zones: BTreeSet<&str> = deployment
        .zones
        .iter()
        .map(|zone| zone.value.as_str())
        .collect();
    let residency = deployment.residency.as_ref().and_then(|residency| {
        matrix
            .residency_countries(&residency.value)
            .ok()
            .map(|countries| (residency.value.as_str(), countries))
    });
    let mut by_service: BTreeMap<&str, Vec<&Found<'_>>> = BTreeMap::new();
    // Instances of one block (`count`, `for_each`) share its spans: a zone or an
    // unresolved value is reported once per block, attribute and zone.
    let mut reported: BTreeSet<(usize, usize, usize, String)> = BTreeSet::new();
    let mut first_report = |item: &Found<'_>, attribute: &str, what: &str| {
        let at = item.at().1.attribute_file(attribute);
        let offset = item.span(attribute).start;
        reported.insert((item.order.0, at, offset, format!("{attribute}\0{what}")))
    };
    // Services a resource of undecided service could be: never called unused.
    let mut maybe: BTreeSet<&str> = BTreeSet::new();
    for item in &found {
        let resource = item.resource;
        let service = match service_of(resource, catalog) {
            ServiceOf::Serviceless => continue,
            ServiceOf::Unmapped => {
                findings.push(
                    Finding::new(
                        &SRM055,
                        item.header(),
                        format!(
                            "`{}` is of type `{}`, which the service catalog neither maps to a service nor lists as creating none; it is not checked",
                            resource.address, resource.resource_type
                        ),
                    )
                    .label("unknown resource type")
                    .help("if it creates a service, the catalog (`policies/` of srmlint, or your `--matrix` file) needs it under that service's `terraform`; otherwise under `[terraform] serviceless`")
                    .in_file(item.file()),
                );
                continue;
            }
            ServiceOf::UnknownValue { attribute, value } => {
                let span = item.span(attribute);
                findings.push(
                    Finding::new(
                        &SRM055,
                        span,
                        format!(
                            "`{}` has `{attribute} = \"{}\"`, which no service of the catalog is created by; it is not checked",
                            resource.address,
                            short(&value)
                        ),
                    )
                    .label("no service for this value")
                    .help(format!(
                        "the catalog knows these for `{}`: {}",
                        resource.resource_type,
                        known_values(matrix, &resource.resource_type, attribute).join(", ")
                    ))
                    .in_file(item.file_of(attribute)),
                );
                continue;
            }
            ServiceOf::Undecided {
                attribute,
                candidates,
            } => {
                maybe.extend(candidates);
                if first_report(item, attribute, "") {
                    findings.push(unresolved(item, attribute, "its service"));
                }
                // Whichever service it is, its zone is still judged.
                None
            }
            ServiceOf::Service(service) => Some(service),
        };
        if let Some(service) = service {
            by_service.entry(service).or_default().push(item);
        }
        let Some(zone_attribute) =
            mapping_of(resource, catalog).and_then(|mapping| mapping.zone.as_deref())
        else {
            continue;
        };
        match resource.attribute(zone_attribute) {
            Some(Attribute::Value { value, span, from }) => {
                if !first_report(item, zone_attribute, value) {
                    continue;
                }
                let span = if item.place.is_some() {
                    &item.span(zone_attribute)
                } else {
                    span
                };
                check_zone(
                    &mut findings,
                    (item, zone_attribute),
                    (value, span, from.as_ref()),
                    &declared_zones,
                    residency
                        .as_ref()
                        .map(|(text, countries)| (*text, countries)),
                    context,
                );
            }
            _ => {
                if first_report(item, zone_attribute, "") {
                    findings.push(unresolved(item, zone_attribute, "its zone"));
                }
            }
        }
    }

    for (service, resources) in &by_service {
        if declared_services.contains(service) {
            continue;
        }
        let first = resources[0];
        let others = match resources.len() - 1 {
            0 => String::new(),
            1 => "; 1 more resource creates it".to_owned(),
            more => format!("; {more} more resources create it"),
        };
        // Only when every resource that would create it may not exist is that said:
        // one that surely exists decides.
        let unsure = if resources
            .iter()
            .all(|found| found.resource.unsure.is_some())
        {
            format!(
                " (it is taken as created: {})",
                first.resource.unsure.as_deref().unwrap_or_default()
            )
        } else {
            String::new()
        };
        findings.push(
            Finding::new(
                &SRM050,
                first.header(),
                format!(
                    "`{}` creates `{service}`{unsure}, which `{}` does not list in `services`, so none of its obligations are checked{others}",
                    first.resource.address, context.controls
                ),
            )
            .propose(Proposal::AddToDeployment {
                key: "services".to_owned(),
                value: (*service).to_owned(),
            })
            .label(format!("creates {service}"))
            .help(format!(
                "add \"{service}\" to `services` in `{}` and claim what it brings in",
                context.controls
            ))
            .in_file(first.file()),
        );
    }

    if complete && let Services::List(list) = &deployment.services {
        let shown: Vec<String> = context.sources.iter().map(Source::shown).collect();
        let mut seen = BTreeSet::new();
        for service in &list.value {
            let id = service.value.as_str();
            let creatable = matrix
                .services
                .get(id)
                .is_some_and(|known| !known.terraform.is_empty());
            if !creatable || by_service.contains_key(id) || maybe.contains(id) || !seen.insert(id) {
                continue;
            }
            findings.push(
                Finding::new(
                    &SRM051,
                    service.span.clone(),
                    format!(
                        "no resource in the Terraform sources ({}) creates `{id}`",
                        shown.join(", ")
                    ),
                )
                .propose(Proposal::RemoveItem {
                    applicability: Applicability::Unsafe,
                })
                .label("not in the Terraform")
                .help("remove the service if the deployment no longer uses it; if it is created elsewhere (another provider or repository), waive SRM051 with the reason"),
            );
        }
    }
    findings
}

/// The span of an attribute a finding is about, or the resource's header when the
/// attribute is not written.
fn attribute_span(resource: &Resource, attribute: &str) -> Range<usize> {
    match resource.attribute(attribute) {
        Some(Attribute::Value { span, .. } | Attribute::Unresolved { span, .. }) => span.clone(),
        Some(Attribute::Missing) | None => resource.header.clone(),
    }
}

/// SRM054 for an attribute of a mapped resource that is not statically known.
fn unresolved(item: &Found<'_>, attribute: &str, what: &str) -> Finding {
    let resource = item.resource;
    let (span, why, variable) = match resource.attribute(attribute) {
        Some(Attribute::Unresolved {
            span,
            why,
            variable,
        }) => (
            if item.place.is_some() {
                item.span(attribute)
            } else {
                span.clone()
            },
            why.clone(),
            variable.clone(),
        ),
        _ => (item.header(), format!("`{attribute}` is not set"), None),
    };
    let help = match &variable {
        Some(variable) => format!(
            "give `var.{variable}` a value: in `terraform.tfvars` or a `*.auto.tfvars` file beside the root module, in a var file named for the source (`terraform = [{{ path = \"...\", var_files = [\"prod.tfvars\"] }}]`), or with `--var {variable}=VALUE`; or name a plan JSON (`terraform show -json plan.out > plan.json`), where Terraform has resolved it"
        ),
        None => "name a plan JSON (`terraform show -json plan.out > plan.json`), where Terraform has resolved it; or write the value so it can be evaluated (a literal, a variable with a value, a `local.`)".to_owned(),
    };
    Finding::new(
        &SRM054,
        span,
        format!(
            "the `{attribute}` of `{}` cannot be evaluated: {why}; {what} is not checked",
            resource.address
        ),
    )
    .label("not resolved")
    .help(help)
    .in_file(item.file_of(attribute))
}

fn known_values(matrix: &Matrix, resource_type: &str, attribute: &str) -> Vec<String> {
    match matrix.terraform.mapping(resource_type).map(|m| &m.service) {
        Some(crate::data::terraform::ServiceBy::Attribute {
            attribute: by,
            values,
        }) if by == attribute => values.keys().map(|value| format!("`{value}`")).collect(),
        _ => Vec::new(),
    }
}

/// An evaluated value as a message quotes it: no zone or type is long, but a value
/// built from templates can be.
fn short(value: &str) -> String {
    if value.chars().count() > 64 {
        format!("{}…", value.chars().take(60).collect::<String>())
    } else {
        value.to_owned()
    }
}

/// SRM052 when the zone is not declared; SRM013 when it lies outside the residency.
fn check_zone(
    findings: &mut Vec<Finding>,
    (item, attribute): (&Found<'_>, &str),
    (zone, span, from): (&str, &Range<usize>, Option<&SetAt>),
    declared: &BTreeSet<&str>,
    residency: Option<(&str, &BTreeSet<String>)>,
    context: TerraformContext<'_>,
) {
    let resource = item.resource;
    // Where a referenced zone was set, put into words only for a finding.
    let from = || from.map(|set_at| item.inventory.describe(set_at));
    let known = context.matrix.zones.get(zone);
    // An evaluated value can be long (a template of a template); no zone is.
    let shortened = short(zone);
    let zone = shortened.as_str();
    if !declared.contains(zone) {
        let unknown = if known.is_none() {
            ", and is not a zone of the catalog"
        } else {
            ""
        };
        let from_note = from().map_or(String::new(), |from| format!(" (from {from})"));
        findings.push(
            Finding::new(
                &SRM052,
                span.clone(),
                format!(
                    "`{}` runs in `{zone}`{from_note}, which `{}` does not list in `zones`{unknown}",
                    resource.address, context.controls
                ),
            )
            .propose_if(known.map(|_| Proposal::AddToDeployment {
                key: "zones".to_owned(),
                value: zone.to_owned(),
            }))
            .label(format!("zone {zone}"))
            .help(if known.is_some() {
                format!(
                    "add \"{zone}\" to `zones` in `{}`, or move the resource to a declared zone",
                    context.controls
                )
            } else {
                format!(
                    "use a zone of the catalog ({})",
                    context
                        .matrix
                        .zones
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .in_file(item.file_of(attribute)),
        );
    }
    if let (Some(known), Some((residency, countries))) = (known, residency)
        && !countries.contains(&known.country)
    {
        findings.push(
            Finding::new(
                &SRM013,
                span.clone(),
                format!(
                    "`{}` runs in `{zone}` ({}, {}{}), outside the residency `{residency}` that `{}` declares",
                    resource.address,
                    known.city,
                    known.country,
                    from().map_or(String::new(), |from| format!("; from {from}")),
                    context.controls
                ),
            )
            .label(format!("in {}", known.country))
            .help(format!(
                "move the resource to a zone in `{residency}`, or correct `residency` if the data may leave it"
            ))
            .in_file(item.file_of(attribute)),
        );
    }
}

/// SRM053 for a source that is no Terraform at all, at its `terraform` value.
fn unusable_source(source: &Source, why: &str, file: &ControlsFile) -> Finding {
    let finding = Finding::new(
        &SRM053,
        0..0,
        format!("the Terraform source `{}` {why}", source.shown()),
    )
    .label("not read")
    .help("name a folder of `.tf` files or a `terraform show -json` file, relative to the controls file's folder and inside the repository");
    at_source(finding, source, file)
}

/// A finding about a source as a whole: at its value in `terraform = [...]`, or at
/// the `[deployment]` table for a `--terraform` path.
fn at_source(mut finding: Finding, source: &Source, file: &ControlsFile) -> Finding {
    finding.span = match &source.origin {
        Origin::Declared(value) => value.span.clone(),
        Origin::CommandLine(_) => file.deployment.span.clone(),
    };
    finding
}
