//! The OSCAL documents as a GRC tool meets them: `srmlint matrix --format oscal` (the
//! leveraged system's SSP), `--format oscal-catalog`, `--format oscal-profile`,
//! `--format oscal-mapping` and `srmlint report --format oscal` (a deployment's SSP)
//! validate against NIST's OSCAL 1.2.3 schemas (the profile, whose schema is not among
//! them, against compliance-trestle's models), every reference between and inside them
//! resolves (which JSON Schema cannot check), the output is reproducible, hostile text
//! stays valid and inert, and compliance-trestle imports and validates them. The
//! documents of `examples/clinic` are committed under `examples/oscal/`; regenerate them
//! with `SRMLINT_BLESS=1 cargo test --test it oscal::`.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use common::{Run, Scratch, TODAY, repo_root, srmlint};

const EXAMPLES: &[&str] = &[
    "examples/clinic/controls.toml",
    "examples/acme-org/controls.toml",
    "examples/webshop/controls.toml",
    "tests/fixtures/hostile/controls.toml",
];

/// Runs srmlint with `args`; the document it printed, after asserting exit 0.
fn document(args: &[&str]) -> String {
    let result = srmlint().args(args).run();
    assert_eq!(result.code, 0, "srmlint {args:?}: {}", result.stderr);
    assert!(
        result.stderr.is_empty(),
        "srmlint {args:?}: {}",
        result.stderr
    );
    result.stdout
}

fn matrix_ssp() -> String {
    document(&["matrix", "--format", "oscal"])
}

fn catalog() -> String {
    document(&["matrix", "--format", "oscal-catalog"])
}

fn profile() -> String {
    document(&["matrix", "--format", "oscal-profile"])
}

fn mapping(framework: &str) -> String {
    document(&[
        "matrix",
        "--format",
        "oscal-mapping",
        "--framework",
        framework,
    ])
}

const FRAMEWORKS: &[&str] = &["iso27001", "soc2", "nis2", "c5"];

fn deployment_ssp(path: &str) -> String {
    document(&["report", "--format", "oscal", path, "--today", TODAY])
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}):\n{text}"))
}

fn validator(schema: &str) -> jsonschema::Validator {
    let path = repo_root()
        .join("../shared/schemas/oscal-1.2.3")
        .join(schema);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    jsonschema::options()
        .should_validate_formats(true)
        .build(&serde_json::from_str(&text).unwrap())
        .expect("the OSCAL schema compiles")
}

fn schema_errors(validator: &jsonschema::Validator, document: &Value) -> Vec<String> {
    validator
        .iter_errors(document)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect()
}

// ------------------------------------------------------------------- schemas

#[test]
fn the_catalog_and_both_ssps_validate_against_nists_schemas() {
    let ssp_schema = validator("oscal_ssp_schema.json");
    let catalog_schema = validator("oscal_catalog_schema.json");
    let errors = schema_errors(&catalog_schema, &parse(&catalog()));
    assert!(errors.is_empty(), "catalog: {errors:#?}");
    let errors = schema_errors(&ssp_schema, &parse(&matrix_ssp()));
    assert!(errors.is_empty(), "matrix export: {errors:#?}");
    for path in EXAMPLES {
        let errors = schema_errors(&ssp_schema, &parse(&deployment_ssp(path)));
        assert!(errors.is_empty(), "{path}: {errors:#?}");
    }
    let mapping_schema = validator("oscal_mapping_schema.json");
    for framework in FRAMEWORKS {
        let errors = schema_errors(&mapping_schema, &parse(&mapping(framework)));
        assert!(errors.is_empty(), "{framework} mapping: {errors:#?}");
    }
}

/// What the schemas reject is what srmlint's text mapping avoids: without it these
/// documents would fail, so a passing validation above is not vacuous.
#[test]
fn the_schemas_reject_what_the_mapping_avoids() {
    let ssp_schema = validator("oscal_ssp_schema.json");
    let catalog_schema = validator("oscal_catalog_schema.json");
    let good = parse(&deployment_ssp("examples/clinic/controls.toml"));
    let mutations: &[(&str, &str, Value)] = &[
        (
            "/metadata/last-modified",
            "no time zone",
            "2026-11-28T00:00:00".into(),
        ),
        (
            "/system-characteristics/system-name",
            "a line break",
            "a\nb".into(),
        ),
        (
            "/system-characteristics/system-name",
            "trailing space",
            "a ".into(),
        ),
        ("/metadata/title", "a line break", "a\nb".into()),
        (
            "/uuid",
            "a version-1 UUID",
            "6ba7b810-9dad-11d1-80b4-00c04fd430c8".into(),
        ),
        (
            "/control-implementation/implemented-requirements/0/control-id",
            "a leading digit",
            "2fa".into(),
        ),
        (
            "/control-implementation/implemented-requirements/0/by-components/0/satisfied/0/links/0/href",
            "a space in a URI reference",
            "docs/a b.md".into(),
        ),
        (
            "/metadata/props",
            "an empty array",
            Value::Array(Vec::new()),
        ),
    ];
    for (pointer, what, value) in mutations {
        let mut bad = good.clone();
        *bad["system-security-plan"]
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{pointer} exists")) = value.clone();
        assert!(
            !schema_errors(&ssp_schema, &bad).is_empty(),
            "{what} at {pointer} passed the schema"
        );
    }
    let mut bad = parse(&catalog());
    bad["catalog"]["controls"][0]["id"] = "srm:backup".into();
    assert!(!schema_errors(&catalog_schema, &bad).is_empty());
    // A mapping's hrefs and relationships are checked too.
    let mapping_schema = validator("oscal_mapping_schema.json");
    let good = parse(&mapping("nis2"));
    for (pointer, value) in [
        ("/mappings/0/target-resource/href", "# no uuid"),
        ("/mappings/0/maps/0/relationship", "not a token"),
        (
            "/mappings/0/maps/0/uuid",
            "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        ),
    ] {
        let mut bad = good.clone();
        *bad["mapping-collection"].pointer_mut(pointer).unwrap() = value.into();
        assert!(
            !schema_errors(&mapping_schema, &bad).is_empty(),
            "{pointer} = {value} passed the schema"
        );
    }
}

// -------------------------------------------------------- cross-references

/// Every reference JSON Schema cannot check: inside each document (roles, parties,
/// components, back-matter resources, catalog ids) and from a deployment's SSP into the
/// matrix export of the same matrix version. Returns the broken ones.
fn broken_references(catalog: &Value, matrix: &Value, deployment: &Value) -> Vec<String> {
    let mut broken = Vec::new();
    let catalog = &catalog["catalog"];
    let matrix = &matrix["system-security-plan"];
    let deployment = &deployment["system-security-plan"];

    // The catalog: ids unique, a statement per control, links into its back matter.
    let mut control_ids = BTreeSet::new();
    let mut catalog_ids = BTreeSet::new();
    let resources = resource_ids(catalog);
    for control in array(&catalog["controls"]) {
        let id = text(&control["id"]);
        control_ids.insert(id.to_owned());
        if !catalog_ids.insert(id.to_owned()) {
            broken.push(format!("catalog: id {id} twice"));
        }
        let mut statements = 0;
        for part in array(&control["parts"]) {
            if !catalog_ids.insert(text(&part["id"]).to_owned()) {
                broken.push(format!("catalog: part id {} twice", part["id"]));
            }
            statements += usize::from(part["name"] == "statement");
        }
        if statements != 1 {
            broken.push(format!("catalog: {id} has {statements} statement parts"));
        }
        for link in array(&control["links"]) {
            let href = text(&link["href"]);
            if !href
                .strip_prefix('#')
                .is_some_and(|uuid| resources.contains(uuid))
            {
                broken.push(format!("catalog: {id} links to {href}, no resource"));
            }
        }
    }
    unique_uuids("catalog", catalog, &mut broken);

    // Both SSPs, each on its own.
    for (name, ssp) in [("matrix export", matrix), ("deployment", deployment)] {
        unique_uuids(name, ssp, &mut broken);
        check_ssp(name, ssp, &control_ids, &mut broken);
    }
    // Both import the profile, beside them, by its file name; nothing authorizes.
    for (name, ssp) in [("matrix export", matrix), ("deployment", deployment)] {
        if ssp["import-profile"]["href"] != "srmlint-profile.json" {
            broken.push(format!(
                "{name}: import-profile is {}",
                ssp["import-profile"]
            ));
        }
        if ssp["system-implementation"]
            .get("leveraged-authorizations")
            .is_some()
        {
            broken.push(format!("{name}: a leveraged authorization"));
        }
    }

    // The deployment into the export: provider parties by uuid; each inherited /
    // satisfied entry names a provided / responsibility of the same control in the
    // model component its component inherits from; a customer part is satisfied once.
    let matrix_parties: BTreeSet<&str> = array(&matrix["metadata"]["parties"])
        .iter()
        .map(|party| text(&party["uuid"]))
        .collect();
    for component in array(&deployment["system-implementation"]["components"]) {
        for role in array(&component["responsible-roles"]) {
            for party in array(&role["party-uuids"]) {
                if !matrix_parties.contains(text(party)) {
                    broken.push(format!(
                        "deployment: {} names no party of the export",
                        component["title"]
                    ));
                }
            }
        }
    }
    let mut satisfied_once = BTreeSet::new();
    walk(deployment, &mut |object| {
        if let Some(target) = object.get("responsibility-uuid").and_then(Value::as_str)
            && !satisfied_once.insert(target)
        {
            broken.push(format!(
                "deployment: responsibility {target} satisfied twice"
            ));
        }
    });
    let matrix_components: BTreeSet<&str> = array(&matrix["system-implementation"]["components"])
        .iter()
        .map(|component| text(&component["uuid"]))
        .collect();
    let mut exported: BTreeMap<&str, (&str, &str, &str)> = BTreeMap::new();
    for requirement in array(&matrix["control-implementation"]["implemented-requirements"]) {
        let control = text(&requirement["control-id"]);
        for by_component in array(&requirement["by-components"]) {
            let component = text(&by_component["component-uuid"]);
            for provided in array(&by_component["export"]["provided"]) {
                exported.insert(text(&provided["uuid"]), ("provided", control, component));
            }
            for responsibility in array(&by_component["export"]["responsibilities"]) {
                exported.insert(
                    text(&responsibility["uuid"]),
                    ("responsibility", control, component),
                );
            }
        }
    }
    let inherits_from: BTreeMap<&str, &str> =
        array(&deployment["system-implementation"]["components"])
            .iter()
            .filter_map(|component| {
                let inherited = array(&component["props"])
                    .iter()
                    .find(|prop| prop["name"] == "inherited-uuid" && prop.get("ns").is_none())?;
                Some((text(&component["uuid"]), text(&inherited["value"])))
            })
            .collect();
    for leveraged in inherits_from.values() {
        if !matrix_components.contains(leveraged) {
            broken.push(format!(
                "deployment: inherited-uuid {leveraged} is no export component"
            ));
        }
    }
    for requirement in array(&deployment["control-implementation"]["implemented-requirements"]) {
        let control = text(&requirement["control-id"]);
        for by_component in array(&requirement["by-components"]) {
            let leveraged = inherits_from
                .get(text(&by_component["component-uuid"]))
                .copied();
            let mut resolve = |kind: &str, reference: &str, entry: &Value| {
                let target = text(&entry[reference]);
                match exported.get(target) {
                    Some(&(found, of, component)) if found == kind && of == control => {
                        if leveraged != Some(component) {
                            broken.push(format!(
                                "deployment: {control} {reference} {target} is in another component"
                            ));
                        }
                    }
                    _ => broken.push(format!(
                        "deployment: {control} {reference} {target} names no {kind} of it"
                    )),
                }
            };
            for inherited in array(&by_component["inherited"]) {
                resolve("provided", "provided-uuid", inherited);
            }
            for satisfied in array(&by_component["satisfied"]) {
                resolve("responsibility", "responsibility-uuid", satisfied);
            }
        }
    }
    broken
}

/// The references inside one SSP.
fn check_ssp(name: &str, ssp: &Value, control_ids: &BTreeSet<String>, broken: &mut Vec<String>) {
    let roles: BTreeSet<&str> = array(&ssp["metadata"]["roles"])
        .iter()
        .map(|role| text(&role["id"]))
        .collect();
    let parties: BTreeSet<&str> = array(&ssp["metadata"]["parties"])
        .iter()
        .map(|party| text(&party["uuid"]))
        .collect();
    let resources = resource_ids(ssp);
    let implementation = &ssp["system-implementation"];
    let components: BTreeSet<&str> = array(&implementation["components"])
        .iter()
        .map(|component| text(&component["uuid"]))
        .collect();
    let titles: Vec<&str> = array(&implementation["components"])
        .iter()
        .map(|component| text(&component["title"]))
        .collect();
    if titles.len() != titles.iter().collect::<BTreeSet<_>>().len() {
        broken.push(format!(
            "{name}: component titles repeat (trestle keys on them)"
        ));
    }
    // Every `#uuid` href names a back-matter resource, and every resource is named
    // (compliance-trestle warns otherwise).
    let mut referenced = BTreeSet::new();
    walk(ssp, &mut |object| {
        if let Some(href) = object.get("href").and_then(Value::as_str)
            && let Some(uuid) = href.strip_prefix('#')
        {
            if !resources.contains(uuid) {
                broken.push(format!("{name}: {href} names no resource"));
            }
            referenced.insert(uuid.to_owned());
        }
    });
    for resource in resources.difference(&referenced) {
        broken.push(format!("{name}: resource {resource} is never referenced"));
    }
    for component in array(&implementation["components"]) {
        for prop in array(&component["props"]) {
            if prop["name"] == "leveraged-authorization-uuid" {
                broken.push(format!(
                    "{name}: {} names a leveraged authorization",
                    component["title"]
                ));
            }
        }
    }
    walk(ssp, &mut |object| {
        let Some(roles_here) = object.get("responsible-roles") else {
            return;
        };
        let mut seen = BTreeSet::new();
        for role in array(roles_here) {
            let id = text(&role["role-id"]);
            if !roles.contains(id) {
                broken.push(format!("{name}: role {id} is not in metadata.roles"));
            }
            if !seen.insert(id) {
                broken.push(format!("{name}: role {id} twice in one responsible-roles"));
            }
            for party in array(&role["party-uuids"]) {
                if !parties.contains(text(party)) {
                    broken.push(format!("{name}: party {party} is not in metadata.parties"));
                }
            }
        }
    });
    for requirement in array(&ssp["control-implementation"]["implemented-requirements"]) {
        let control = text(&requirement["control-id"]);
        if !control_ids.contains(control) {
            broken.push(format!("{name}: {control} is not in the catalog"));
        }
        let by_components = array(&requirement["by-components"]);
        if by_components.is_empty() {
            broken.push(format!("{name}: {control} has no by-component"));
        }
        let mut seen = BTreeSet::new();
        for by_component in by_components {
            let component = text(&by_component["component-uuid"]);
            if !components.contains(component) {
                broken.push(format!(
                    "{name}: {control} names unknown component {component}"
                ));
            }
            if !seen.insert(component) {
                broken.push(format!(
                    "{name}: {control} has two by-components for {component}"
                ));
            }
            let export = &by_component["export"];
            let provided: BTreeSet<&str> = array(&export["provided"])
                .iter()
                .map(|p| text(&p["uuid"]))
                .collect();
            if export.is_object()
                && provided.is_empty()
                && array(&export["responsibilities"]).is_empty()
            {
                broken.push(format!("{name}: {control} has an empty export"));
            }
            for responsibility in array(&export["responsibilities"]) {
                if let Some(target) = responsibility.get("provided-uuid")
                    && !provided.contains(text(target))
                {
                    broken.push(format!(
                        "{name}: {control} responsibility names no provided of its by-component"
                    ));
                }
            }
            if !provided.is_empty() && by_component.get("implementation-status").is_none() {
                broken.push(format!(
                    "{name}: {control} provides without a state (trestle fails)"
                ));
            }
        }
    }
}

fn resource_ids(document: &Value) -> BTreeSet<String> {
    array(&document["back-matter"]["resources"])
        .iter()
        .map(|resource| text(&resource["uuid"]).to_owned())
        .collect()
}

fn unique_uuids(name: &str, document: &Value, broken: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    walk(document, &mut |object| {
        if let Some(uuid) = object.get("uuid").and_then(Value::as_str)
            && !seen.insert(uuid.to_owned())
        {
            broken.push(format!("{name}: uuid {uuid} declared twice"));
        }
    });
}

fn walk<'a>(value: &'a Value, visit: &mut dyn FnMut(&'a serde_json::Map<String, Value>)) {
    match value {
        Value::Object(object) => {
            visit(object);
            object.values().for_each(|child| walk(child, visit));
        }
        Value::Array(items) => items.iter().for_each(|child| walk(child, visit)),
        _ => {}
    }
}

fn array(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

fn text(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is a string"))
}

#[test]
fn every_reference_resolves_across_the_documents_of_one_matrix_version() {
    let catalog = parse(&catalog());
    let matrix = parse(&matrix_ssp());
    for path in EXAMPLES {
        let deployment = parse(&deployment_ssp(path));
        let broken = broken_references(&catalog, &matrix, &deployment);
        assert!(broken.is_empty(), "{path}: {broken:#?}");
        let entries = count(&deployment, "inherited") + count(&deployment, "satisfied");
        assert!(entries >= 10, "{path}: only {entries} references checked");
    }
}

fn count(document: &Value, key: &str) -> usize {
    let mut total = 0;
    walk(document, &mut |object| {
        total += object.get(key).map_or(0, |items| array(items).len());
    });
    total
}

/// The checker above finds what it looks for: a broken reference of each kind.
#[test]
fn the_reference_check_finds_broken_references() {
    let catalog = parse(&catalog());
    let matrix = parse(&matrix_ssp());
    let good = parse(&deployment_ssp("examples/clinic/controls.toml"));
    assert!(broken_references(&catalog, &matrix, &good).is_empty());
    let requirement = "/system-security-plan/control-implementation/implemented-requirements";
    let cases = [
        // backup-restore's DBaaS by-component inherits and satisfies.
        "/12/by-components/1/inherited/0/provided-uuid",
        "/12/by-components/1/satisfied/0/responsibility-uuid",
        "/12/by-components/1/satisfied/0/responsible-roles/0/party-uuids/0",
        "/12/by-components/1/satisfied/0/links/0/href",
        "/12/by-components/0/component-uuid",
    ];
    for case in cases {
        let mut bad = good.clone();
        let pointer = format!("{requirement}{case}");
        // Another entry's uuid: a reference that exists, but to the wrong thing.
        *bad.pointer_mut(&pointer)
            .unwrap_or_else(|| panic!("{pointer} exists")) = if case.ends_with("href") {
            Value::from(format!("#{}", text(&good["system-security-plan"]["uuid"])))
        } else {
            good["system-security-plan"]["uuid"].clone()
        };
        assert!(
            !broken_references(&catalog, &matrix, &bad).is_empty(),
            "a wrong {case} went unnoticed"
        );
    }
    // The same reference from a deployment into another control's part.
    let mut bad = good.clone();
    let other = good.pointer(&format!(
        "{requirement}/1/by-components/0/inherited/0/provided-uuid"
    ));
    *bad.pointer_mut(&format!(
        "{requirement}/12/by-components/1/inherited/0/provided-uuid"
    ))
    .unwrap() = other
        .expect("encryption-in-transit inherits on compute")
        .clone();
    assert!(!broken_references(&catalog, &matrix, &bad).is_empty());
    // A customer part satisfied twice (copied onto a second component).
    let mut bad = good.clone();
    let by_components = bad
        .pointer_mut(&format!("{requirement}/12/by-components"))
        .unwrap()
        .as_array_mut()
        .unwrap();
    let copy = by_components[1].clone();
    by_components[0]["satisfied"] = copy["satisfied"].clone();
    assert!(!broken_references(&catalog, &matrix, &bad).is_empty());
}

// ------------------------------------------------------------------- content

fn requirement<'a>(ssp: &'a Value, control: &str) -> &'a Value {
    array(&ssp["system-security-plan"]["control-implementation"]["implemented-requirements"])
        .iter()
        .find(|requirement| requirement["control-id"] == control)
        .unwrap_or_else(|| panic!("{control} is implemented"))
}

fn by_component<'a>(ssp: &'a Value, control: &str, component_title: &str) -> &'a Value {
    let component = array(&ssp["system-security-plan"]["system-implementation"]["components"])
        .iter()
        .find(|component| component["title"] == component_title)
        .unwrap_or_else(|| panic!("a component {component_title}"));
    array(&requirement(ssp, control)["by-components"])
        .iter()
        .find(|by| by["component-uuid"] == component["uuid"])
        .unwrap_or_else(|| panic!("{control} has a by-component for {component_title}"))
}

#[test]
fn the_matrix_export_has_a_requirement_per_control_and_parts_per_model() {
    let matrix = parse(&matrix_ssp());
    let requirements = array(
        &matrix["system-security-plan"]["control-implementation"]["implemented-requirements"],
    );
    assert_eq!(requirements.len(), 18);
    // Shared in DBaaS: the responsibility complements the provided of its by-component,
    // whose responsible role names both provider parties.
    let dbaas = by_component(&matrix, "backup-restore", "DBaaS");
    let provided = &dbaas["export"]["provided"][0];
    assert_eq!(provided["description"], "managed backup per service");
    assert_eq!(provided["responsible-roles"][0]["role-id"], "provider");
    assert_eq!(
        array(&provided["responsible-roles"][0]["party-uuids"]).len(),
        2
    );
    assert!(
        text(&provided["remarks"]).contains("ISO 27001"),
        "attestations are named"
    );
    assert_eq!(
        dbaas["export"]["responsibilities"][0]["provided-uuid"],
        provided["uuid"]
    );
    assert_eq!(dbaas["implementation-status"]["state"], "implemented");
    // Customer-only in IaaS: a responsibility alone, no state.
    let iaas = by_component(&matrix, "backup-restore", "IaaS");
    assert!(iaas["export"].get("provided").is_none());
    assert!(
        iaas["export"]["responsibilities"][0]
            .get("provided-uuid")
            .is_none()
    );
    assert!(iaas.get("implementation-status").is_none());
    // The IaaS provider part of encryption at rest says it needs object storage.
    let at_rest = by_component(&matrix, "encryption-at-rest", "IaaS");
    let remark = text(&at_rest["export"]["provided"][0]["remarks"]);
    assert!(
        remark.contains("only when the deployment uses Simple Object Storage"),
        "{remark}"
    );
    // A control that does not apply in a model has no by-component there.
    let operations = array(&requirement(&matrix, "workload-operations")["by-components"]);
    assert_eq!(operations.len(), 1);
}

#[test]
fn the_catalog_defines_every_control_with_its_crosswalks() {
    let catalog = parse(&catalog());
    let controls = array(&catalog["catalog"]["controls"]);
    assert_eq!(controls.len(), 18);
    let backup = controls
        .iter()
        .find(|control| control["id"] == "backup-restore")
        .unwrap();
    let crosswalk: Vec<(&str, &str)> = array(&backup["props"])
        .iter()
        .filter(|prop| prop["name"] == "framework-requirement")
        .map(|prop| (text(&prop["class"]), text(&prop["value"])))
        .collect();
    assert!(crosswalk.contains(&("iso27001", "A.8.13")), "{crosswalk:?}");
    assert!(crosswalk.contains(&("nis2", "21(2)(c)")), "{crosswalk:?}");
    assert!(crosswalk.contains(&("soc2", "A1.2")), "{crosswalk:?}");
    // Each link carries its own basis: a citation names its own requirement.
    let remarks = |class: &str, value: &str| {
        let props = array(&backup["props"]);
        let prop = props
            .iter()
            .find(|prop| prop["class"] == class && prop["value"] == value)
            .unwrap();
        text(&prop["remarks"]).to_owned()
    };
    assert!(remarks("iso27001", "A.8.13").starts_with("Basis: cited (ISO/IEC 27001:2022 A.8.13"));
    assert!(remarks("nis2", "21(2)(c)").contains("Extent: part."));
    let responsibility: Vec<(&str, &str)> = array(&backup["props"])
        .iter()
        .filter(|prop| prop["name"] == "responsibility")
        .map(|prop| (text(&prop["class"]), text(&prop["value"])))
        .collect();
    assert_eq!(responsibility, [("dbaas", "shared"), ("iaas", "customer")]);
    assert_eq!(backup["parts"][0]["id"], "backup-restore_smt");
    assert!(text(&backup["parts"][0]["prose"]).contains("managed backup per service"));
}

#[test]
fn the_deployment_ssp_carries_claims_inheritance_and_the_deployment() {
    let ssp = parse(&deployment_ssp("examples/clinic/controls.toml"));
    let plan = &ssp["system-security-plan"];
    assert_eq!(
        plan["system-characteristics"]["system-name"],
        "patient-portal"
    );
    assert_eq!(plan["metadata"]["last-modified"], "2026-11-28T00:00:00Z");
    let props: Vec<(&str, &str)> = array(&plan["system-characteristics"]["props"])
        .iter()
        .map(|prop| (text(&prop["name"]), text(&prop["value"])))
        .collect();
    for expected in [
        ("zone", "ch-gva-2"),
        ("data-residency", "CH"),
        ("regulated-sector", "healthcare"),
        ("service", "dbaas-pg"),
    ] {
        assert!(props.contains(&expected), "{expected:?} in {props:?}");
    }
    // No authorization that is none: the provider parties are components naming the
    // attestations the source names for them, linking to the matrix export.
    assert!(
        plan["system-implementation"]
            .get("leveraged-authorizations")
            .is_none()
    );
    let components = array(&plan["system-implementation"]["components"]);
    let titles: Vec<&str> = components.iter().map(|c| text(&c["title"])).collect();
    assert_eq!(
        titles,
        [
            "This System",
            "IaaS",
            "DBaaS",
            "Exoscale",
            "Aiven (Exoscale's DBaaS partner)",
            "Providers (named beside Exoscale for perimeter and data-centre physical security)"
        ]
    );
    let props_of = |component: &Value, name: &str| -> Vec<String> {
        array(&component["props"])
            .iter()
            .filter(|prop| prop["name"] == name)
            .map(|prop| text(&prop["value"]).to_owned())
            .collect()
    };
    assert_eq!(
        props_of(&components[1], "service"),
        ["compute", "private-network"]
    );
    assert_eq!(
        props_of(&components[3], "attestation"),
        ["ISO 27001", "SOC 2", "C5", "HDS"]
    );
    assert_eq!(props_of(&components[3], "matrix-retrieved"), ["2026-12-07"]);
    assert!(props_of(&components[5], "attestation").is_empty());
    assert!(text(&components[5]["remarks"]).contains("names no attestation"));
    let matrix_link = &components[3]["links"][0];
    assert_eq!(matrix_link["rel"], "system-security-plan");
    let resource = array(&plan["back-matter"]["resources"])
        .iter()
        .find(|r| Some(text(&r["uuid"])) == text(&matrix_link["href"]).strip_prefix('#'))
        .expect("the link names a resource");
    assert_eq!(resource["rlinks"][0]["href"], "srmlint-matrix-ssp.json");

    // A customer part is satisfied once per model, on the model's component.
    let dbaas = by_component(&ssp, "backup-restore", "DBaaS");
    assert_eq!(dbaas["implementation-status"]["state"], "implemented");
    assert_eq!(
        dbaas["inherited"][0]["description"],
        "managed backup per service"
    );
    let satisfied = &dbaas["satisfied"][0];
    assert_eq!(
        satisfied["description"],
        "restic to a second zone, daily; DBaaS backups configured to 14 days with PITR"
    );
    assert_eq!(satisfied["props"][0]["name"], "last-reviewed");
    assert_eq!(satisfied["props"][0]["ns"], "urn:srmlint:oscal");
    assert_eq!(satisfied["props"][0]["value"], "2026-09-14");
    let satisfied_count = array(&requirement(&ssp, "backup-restore")["by-components"])
        .iter()
        .map(|by| array(&by["satisfied"]).len())
        .sum::<usize>();
    assert_eq!(satisfied_count, 2, "once in IaaS, once in DBaaS");
    // Evidence: a repository file is a back-matter resource with its SHA-256, its
    // href relative to where the plan was written (here the working directory, the
    // repository root); a URL is a link as it is.
    let links = array(&satisfied["links"]);
    assert_eq!(links[0]["rel"], "evidence");
    assert_eq!(links[0]["text"], "docs/runbooks/restore-test.md");
    assert_eq!(links[1]["href"], "https://wiki.clinic.example/bcp");
    let evidence = array(&plan["back-matter"]["resources"])
        .iter()
        .find(|r| Some(text(&r["uuid"])) == text(&links[0]["href"]).strip_prefix('#'))
        .expect("the evidence link names a resource");
    let rlink = &evidence["rlinks"][0];
    let path = "examples/clinic/docs/runbooks/restore-test.md";
    assert_eq!(rlink["href"], path);
    assert_eq!(rlink["hashes"][0]["algorithm"], "SHA-256");
    assert_eq!(
        rlink["hashes"][0]["value"],
        sha256_of(&repo_root().join(path))
    );
    // The FedRAMP split on the requirement.
    let origination = array(&requirement(&ssp, "backup-restore")["props"])
        .iter()
        .filter(|prop| prop["name"] == "control-origination")
        .map(|prop| {
            assert_eq!(prop["ns"], "https://fedramp.gov/ns/oscal");
            text(&prop["value"])
        })
        .collect::<Vec<_>>();
    assert_eq!(
        origination,
        ["customer-configured", "customer-provided", "inherited"]
    );
    for control in array(&plan["control-implementation"]["implemented-requirements"]) {
        assert!(
            array(&control["props"])
                .iter()
                .any(|prop| prop["name"] == "control-origination"),
            "{} has no control-origination",
            control["control-id"]
        );
    }
    // An e-mail address is a person reached there, not an organization.
    let accountable = text(&satisfied["responsible-roles"][0]["party-uuids"][0]);
    let party = array(&plan["metadata"]["parties"])
        .iter()
        .find(|party| party["uuid"] == accountable)
        .unwrap();
    assert_eq!(party["name"], "sre@clinic.example");
    assert_eq!(party["type"], "person");
    assert_eq!(party["email-addresses"][0], "sre@clinic.example");
    // Compute only, no object storage: encryption at rest has no IaaS provider part.
    let at_rest = by_component(&ssp, "encryption-at-rest", "IaaS");
    assert!(at_rest.get("inherited").is_none());
    assert_eq!(array(&at_rest["satisfied"]).len(), 1);
    // With object storage it has (examples/acme-org uses it).
    let acme = parse(&deployment_ssp("examples/acme-org/controls.toml"));
    let at_rest = by_component(&acme, "encryption-at-rest", "IaaS");
    assert_eq!(
        at_rest["inherited"][0]["description"],
        "encrypt the object storage layer (nothing else at rest on IaaS)"
    );
}

/// A clean Compute-only controls file in a scratch repository with `docs/ok.md`.
fn clean_file(scratch: &Scratch) -> PathBuf {
    scratch.write("docs/ok.md", "evidence\n");
    scratch.write("controls.toml", common::CLEAN)
}

#[test]
fn the_verdict_is_each_by_components_implementation_status() {
    let scratch = Scratch::git_root("oscal-verdicts");
    let path = clean_file(&scratch);
    let clean = std::fs::read_to_string(&path).unwrap();
    // Incomplete: no evidence (SRM031). A gap: tenant-iam not claimed (SRM001). A waived
    // gap: vuln-mgmt-workloads not claimed, SRM001 waived.
    let mut controls = common::replace_table(
        &clean,
        "backup-restore",
        "[controls.backup-restore]\nowner = \"customer\"\naccountable = \"sre@x.example\"\nimplementation = \"restic, daily\"\n",
    );
    controls = common::replace_table(&controls, "tenant-iam", "");
    controls = common::replace_table(&controls, "vuln-mgmt-workloads", "");
    controls.push_str(
        "\n[[waivers]]\nrule = \"SRM001\"\ncontrol = \"vuln-mgmt-workloads\"\nreason = \"scanner rollout in Q1\"\napproved_by = \"ciso@x.example\"\nexpires = 2027-01-31\n",
    );
    std::fs::write(&path, controls).unwrap();
    let shown = path.to_str().unwrap();
    let ssp = parse(&deployment_ssp(shown));
    let compute = "IaaS";

    let backup = by_component(&ssp, "backup-restore", compute);
    assert_eq!(backup["implementation-status"]["state"], "partial");
    assert!(text(&backup["implementation-status"]["remarks"]).contains("SRM031"));
    assert_eq!(
        array(&backup["satisfied"]).len(),
        1,
        "an incomplete claim still satisfies"
    );

    let iam = by_component(&ssp, "tenant-iam", compute);
    assert_eq!(iam["implementation-status"]["state"], "planned");
    assert!(text(&iam["implementation-status"]["remarks"]).contains("SRM001"));
    assert!(iam.get("satisfied").is_none(), "nothing claims it");

    let waived = by_component(&ssp, "vuln-mgmt-workloads", compute);
    assert_eq!(waived["implementation-status"]["state"], "planned");
    let remarks = text(&waived["implementation-status"]["remarks"]);
    for part in [
        "SRM001",
        "scanner rollout in Q1",
        "ciso@x.example",
        "2027-01-31",
    ] {
        assert!(remarks.contains(part), "{part} in {remarks}");
    }

    let remark = text(&ssp["system-security-plan"]["metadata"]["remarks"]);
    assert!(remark.contains("1 incomplete"), "{remark}");

    let logging = by_component(&ssp, "platform-logging", compute);
    assert_eq!(logging["implementation-status"]["state"], "implemented");
    assert!(logging["implementation-status"].get("remarks").is_none());
    let broken = broken_references(&parse(&catalog()), &parse(&matrix_ssp()), &ssp);
    assert!(broken.is_empty(), "{broken:#?}");
}

/// The plan says what the posture report says: per control and model, the state is the
/// report's status there (`implemented` only for covered or inherited), for every
/// example, gaps, waivers and hostile text included.
#[test]
fn every_state_is_the_reports_status_of_the_control_in_that_model() {
    let mut compared = 0;
    for path in EXAMPLES {
        let report = parse(&document(&[
            "report", "--format", "json", path, "--today", TODAY,
        ]));
        let ssp = parse(&deployment_ssp(path));
        let plan = &ssp["system-security-plan"];
        let model_of: BTreeMap<&str, &str> = array(&plan["system-implementation"]["components"])
            .iter()
            .filter_map(|component| {
                let model = array(&component["props"])
                    .iter()
                    .find(|prop| prop["name"] == "service-model")?;
                Some((text(&component["uuid"]), text(&model["value"])))
            })
            .collect();
        for control in array(&report["deployments"][0]["controls"]) {
            let id = text(&control["id"]);
            let Some(requirement) =
                array(&plan["control-implementation"]["implemented-requirements"])
                    .iter()
                    .find(|requirement| requirement["control-id"] == id)
            else {
                panic!("{path}: {id} is applicable and not in the plan");
            };
            for by_component in array(&requirement["by-components"]) {
                let model = model_of[text(&by_component["component-uuid"])];
                let cell = array(&control["cells"])
                    .iter()
                    .find(|cell| cell["model"] == model)
                    .unwrap();
                let expected = match text(&cell["status"]) {
                    "inherited" | "claimed" => "implemented",
                    "incomplete" => "partial",
                    "waived" | "gap" => "planned",
                    other => panic!("{path}: {id} has status {other}"),
                };
                assert_eq!(
                    by_component["implementation-status"]["state"], expected,
                    "{path}: {id} in {model}"
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 40, "only {compared} verdicts compared");
}

#[test]
fn only_evidence_srmlint_accepts_becomes_a_link() {
    let scratch = Scratch::git_root("oscal-evidence-links");
    let path = clean_file(&scratch);
    let clean = std::fs::read_to_string(&path).unwrap();
    let controls = common::replace_table(
        &clean,
        "backup-restore",
        "[controls.backup-restore]\nowner = \"customer\"\naccountable = \"sre@x.example\"\n\
         evidence = [\"javascript:alert(1)\", \"docs/ok.md\", \"https://wiki.x.example/restore\"]\n",
    );
    std::fs::write(&path, controls).unwrap();
    let ssp = parse(&deployment_ssp(path.to_str().unwrap()));
    let backup = by_component(&ssp, "backup-restore", "IaaS");
    let links: Vec<(&str, &str)> = array(&backup["satisfied"][0]["links"])
        .iter()
        .map(|link| (text(&link["text"]), text(&link["href"])))
        .collect();
    assert_eq!(links.len(), 2, "{links:?}");
    assert_eq!(links[0].0, "docs/ok.md");
    assert!(links[0].1.starts_with('#'), "{links:?}");
    assert_eq!(
        links[1],
        (
            "https://wiki.x.example/restore",
            "https://wiki.x.example/restore"
        )
    );
}

/// The SHA-256 of a file, as `sha256sum` prints it.
fn sha256_of(path: &Path) -> String {
    use sha2::Digest;
    let bytes = std::fs::read(path).unwrap();
    sha2::Sha256::digest(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Every string of a document, to look for paths of the machine.
fn strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => out.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|item| strings(item, out)),
        Value::Object(object) => object.values().for_each(|item| strings(item, out)),
        _ => {}
    }
}

fn assert_no_machine_path(document: &Value, machine: &[&Path]) {
    let mut all = Vec::new();
    strings(document, &mut all);
    for text in all {
        for path in machine {
            let path = path.to_str().unwrap();
            assert!(!text.contains(path), "{path} in {text:?}");
        }
    }
}

#[test]
fn evidence_hrefs_are_relative_to_where_the_plan_is_written() {
    let scratch = Scratch::git_root("oscal-placement");
    scratch.write("docs/a b#1.md", "restore test, signed off\n");
    scratch.write("docs/records/2026.md", "records\n");
    let path = clean_file(&scratch);
    let clean = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        common::replace_table(
            &clean,
            "backup-restore",
            "[controls.backup-restore]\nowner = \"customer\"\naccountable = \"Platform team\"\nimplementation = \"restic\"\nevidence = [\"docs/a b#1.md\", \"docs/records\"]\n",
        ),
    )
    .unwrap();
    let absolute = path.to_str().unwrap();
    let evidence_of = |ssp: &Value| -> Vec<(String, Option<String>)> {
        let plan = &ssp["system-security-plan"];
        let backup = by_component(ssp, "backup-restore", "IaaS");
        array(&backup["satisfied"][0]["links"])
            .iter()
            .map(|link| {
                let uuid = text(&link["href"]).strip_prefix('#').unwrap();
                let resource = array(&plan["back-matter"]["resources"])
                    .iter()
                    .find(|r| r["uuid"] == uuid)
                    .unwrap();
                let href = resource["rlinks"][0]["href"].as_str().map(str::to_owned);
                (text(&link["text"]).to_owned(), href)
            })
            .collect()
    };
    // Written into a folder of the repository: relative to it, from where the plan is.
    std::fs::create_dir(scratch.path("grc")).unwrap();
    let written = srmlint()
        .args([
            "report", "--format", "oscal", absolute, "--today", TODAY, "--output",
        ])
        .arg(scratch.path("grc/plan.json"))
        .run();
    assert_eq!(written.code, 0, "{}", written.stderr);
    let ssp = parse(&std::fs::read_to_string(scratch.path("grc/plan.json")).unwrap());
    assert_eq!(
        evidence_of(&ssp),
        [
            (
                "docs/a b#1.md".to_owned(),
                Some("../docs/a%20b%231.md".to_owned())
            ),
            (
                "docs/records".to_owned(),
                Some("../docs/records/".to_owned())
            )
        ]
    );
    assert_no_machine_path(&ssp, &[&scratch.root, repo_root()]);
    let props = array(&ssp["system-security-plan"]["metadata"]["props"]);
    assert!(
        props
            .iter()
            .any(|p| p["name"] == "controls-file" && p["value"] == "controls.toml"),
        "the controls file by its path from the repository root: {props:?}"
    );
    // A name that is no e-mail address is an organization, with a remark saying so.
    let party = array(&ssp["system-security-plan"]["metadata"]["parties"])
        .iter()
        .find(|party| party["name"] == "Platform team")
        .unwrap();
    assert_eq!(party["type"], "organization");
    assert!(party.get("email-addresses").is_none());
    // On standard output: relative to the working directory.
    let printed = srmlint()
        .current_dir(scratch.path("docs"))
        .args([
            "report",
            "--format",
            "oscal",
            "../controls.toml",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert_eq!(
        evidence_of(&parse(&printed.stdout)),
        [
            ("docs/a b#1.md".to_owned(), Some("a%20b%231.md".to_owned())),
            ("docs/records".to_owned(), Some("records/".to_owned()))
        ]
    );
    // Outside the repository a relative href would spell the machine's folders out:
    // the resource keeps its repository path and digest, and no href.
    let elsewhere = Scratch::outside_repository("oscal-placement-out");
    let written = srmlint()
        .args([
            "report", "--format", "oscal", absolute, "--today", TODAY, "--output",
        ])
        .arg(elsewhere.path("plan.json"))
        .run();
    assert_eq!(written.code, 0, "{}", written.stderr);
    let ssp = parse(&std::fs::read_to_string(elsewhere.path("plan.json")).unwrap());
    assert_eq!(
        evidence_of(&ssp),
        [
            ("docs/a b#1.md".to_owned(), None),
            ("docs/records".to_owned(), None)
        ]
    );
    assert_no_machine_path(&ssp, &[&scratch.root, &elsewhere.root, repo_root()]);
    let errors = schema_errors(&validator("oscal_ssp_schema.json"), &ssp);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_profile_imports_every_control_of_the_catalog_beside_it() {
    let profile = parse(&profile());
    let imports = array(&profile["profile"]["imports"]);
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0]["href"], "srmlint-catalog.json");
    assert_eq!(imports[0]["include-all"], serde_json::json!({}));
    assert_eq!(
        profile["profile"]["metadata"]["last-modified"],
        parse(&catalog())["catalog"]["metadata"]["last-modified"]
    );
}

#[test]
fn a_mapping_has_a_map_per_link_with_its_relationship_and_basis() {
    let frameworks = srmlint::data::frameworks::embedded();
    for framework in &frameworks {
        let document = parse(&mapping(framework.id()));
        let collection = &document["mapping-collection"];
        let mapping = &collection["mappings"][0];
        assert_eq!(mapping["source-resource"]["href"], "srmlint-catalog.json");
        // The framework, which has no public OSCAL catalog, is a back-matter resource
        // citing its title and version.
        let target = text(&mapping["target-resource"]["href"]);
        let resource = &collection["back-matter"]["resources"][0];
        assert_eq!(Some(text(&resource["uuid"])), target.strip_prefix('#'));
        assert_eq!(resource["title"], framework.framework.title.as_str());
        let citation = text(&resource["citation"]["text"]);
        assert!(
            citation.contains(&framework.framework.version),
            "{citation}"
        );
        let maps = array(&mapping["maps"]);
        let links: usize = framework.requirements.iter().map(|r| r.links.len()).sum();
        assert_eq!(maps.len(), links, "{}: a map per link", framework.id());
        for requirement in &framework.requirements {
            let whole = requirement
                .links
                .iter()
                .filter(|link| link.extent.as_str() == "whole")
                .count();
            for link in &requirement.links {
                let entry = maps
                    .iter()
                    .find(|map| {
                        map["sources"][0]["id-ref"] == link.control.as_str()
                            && map["targets"][0]["id-ref"] == requirement.id.as_str()
                    })
                    .unwrap_or_else(|| panic!("{} -> {}", link.control, requirement.id));
                let prop = |name: &str| {
                    array(&entry["props"])
                        .iter()
                        .find(|p| p["name"] == name)
                        .map(|p| text(&p["value"]).to_owned())
                };
                assert_eq!(prop("basis").as_deref(), Some(link.basis.as_str()));
                assert_eq!(prop("extent").as_deref(), Some(link.extent.as_str()));
                let expected = if link.extent.as_str() == "whole" && whole == 1 {
                    "superset-of"
                } else {
                    "intersects-with"
                };
                assert_eq!(entry["relationship"], expected);
                let remarks = text(&entry["remarks"]);
                let basis = if link.basis.as_str() == "cited" {
                    "Cited: "
                } else {
                    "Judgement: "
                };
                assert!(remarks.starts_with(basis), "{remarks}");
            }
        }
    }
}

#[test]
fn the_mapping_format_needs_one_known_framework() {
    for (args, why) in [
        (
            &["matrix", "--format", "oscal-mapping"][..],
            "needs `--framework ID`",
        ),
        (
            &["matrix", "--format", "oscal", "--framework", "nis2"][..],
            "applies only to `--format oscal-mapping`",
        ),
        (
            &[
                "matrix",
                "--format",
                "oscal-mapping",
                "--framework",
                "iso27002",
            ][..],
            "iso27001",
        ),
    ] {
        let result = srmlint().args(args).run();
        assert_eq!(result.code, 2, "{args:?}");
        assert!(result.stdout.is_empty());
        assert!(result.stderr.contains(why), "{args:?}: {}", result.stderr);
    }
}

// --------------------------------------------------------------- determinism

fn uuids(document: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    walk(document, &mut |object| {
        if let Some(uuid) = object.get("uuid").and_then(Value::as_str) {
            found.insert(uuid.to_owned());
        }
    });
    found
}

#[test]
fn the_same_input_gives_the_same_bytes_and_ids_do_not_follow_the_date() {
    assert_eq!(matrix_ssp(), matrix_ssp());
    assert_eq!(catalog(), catalog());
    let path = "examples/acme-org/controls.toml";
    let first = deployment_ssp(path);
    assert_eq!(first, deployment_ssp(path));
    // Another report date changes the dates, never a subject's id.
    let later = document(&["report", "--format", "oscal", path, "--today", "2027-02-01"]);
    assert_ne!(first, later);
    assert!(later.contains("\"last-modified\": \"2027-02-01T00:00:00Z\""));
    assert_eq!(uuids(&parse(&first)), uuids(&parse(&later)));
}

#[test]
fn uuids_are_version_4_over_the_documented_names() {
    use srmlint::render::oscal::{NAMESPACE, ROOT};
    use uuid::Uuid;
    assert_eq!(
        ROOT,
        Uuid::new_v5(&Uuid::NAMESPACE_URL, NAMESPACE.as_bytes())
    );
    // Namespaces nest as version-5 UUIDs; each written id is the version-5 UUID of its
    // name with the version digit 4.
    let ns = |parent: &Uuid, name: &str| Uuid::new_v5(parent, name.as_bytes());
    let id = |parent: &Uuid, name: &str| {
        let mut bytes = *ns(parent, name).as_bytes();
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        Uuid::from_bytes(bytes).to_string()
    };
    let provider = ns(&ROOT, "provider/exoscale");
    let version = ns(&provider, "matrix/2026-12");
    let matrix = parse(&matrix_ssp());
    let dbaas = by_component(&matrix, "backup-restore", "DBaaS");
    assert_eq!(
        dbaas["export"]["provided"][0]["uuid"],
        id(&version, "provided/backup-restore/dbaas")
    );
    assert_eq!(
        dbaas["export"]["responsibilities"][0]["uuid"],
        id(&version, "responsibility/backup-restore/dbaas")
    );
    assert_eq!(dbaas["component-uuid"], id(&provider, "component/dbaas"));
    let deployment = ns(&provider, "deployment/patient-portal");
    let ssp = parse(&deployment_ssp("examples/clinic/controls.toml"));
    assert_eq!(ssp["system-security-plan"]["uuid"], id(&deployment, "ssp"));
    assert_eq!(
        parse(&profile())["profile"]["uuid"],
        id(&version, "profile")
    );
    let nis2 = parse(&mapping("nis2"));
    assert_eq!(
        nis2["mapping-collection"]["mappings"][0]["maps"][0]["uuid"],
        id(&version, "map/nis2/infrastructure-compliance/21(2)(a)")
    );
    // compliance-trestle's generic models and reference scanner take version 4 only.
    let trestle_uuid =
        regex::Regex::new("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
            .unwrap();
    let documents = [matrix, ssp, parse(&catalog()), parse(&profile()), nis2];
    for uuid in documents.iter().flat_map(uuids) {
        assert!(trestle_uuid.is_match(&uuid), "{uuid}");
    }
}

// ------------------------------------------------------------------ escaping

#[test]
fn hostile_text_stays_valid_and_inert() {
    let raw = deployment_ssp("tests/fixtures/hostile/controls.toml");
    // Terminal controls and bidirectional overrides only as JSON escapes.
    let unsafe_char = raw
        .chars()
        .find(|&c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c));
    assert_eq!(unsafe_char, None, "a raw control character in the output");
    let ssp = parse(&raw);
    let errors = schema_errors(&validator("oscal_ssp_schema.json"), &ssp);
    assert!(errors.is_empty(), "{errors:#?}");
    let plan = &ssp["system-security-plan"];
    // The name is the file's, escapes and all; one-line fields lose only line breaks.
    assert_eq!(
        plan["system-characteristics"]["system-name"],
        "evil\u{1b}]0;pwned\u{7} \u{1b}[2J"
    );
    let zones: Vec<&str> = array(&plan["system-characteristics"]["props"])
        .iter()
        .filter(|prop| prop["name"] == "zone")
        .map(|prop| text(&prop["value"]))
        .collect();
    assert!(
        zones.contains(&"de-fra-1 ::error file=pwned::injected"),
        "{zones:?}"
    );
    // Markdown srmlint writes around file text cannot open a tag.
    let description = text(&plan["system-characteristics"]["description"]);
    assert!(!description.contains("<script>"), "{description}");
    assert!(description.contains(r"\<script\>"), "{description}");
    // Unknown services and controls are not components or requirements, but their
    // findings are in the plan.
    let remarks = text(&plan["system-characteristics"]["remarks"]);
    assert!(
        remarks.contains("SRM011") && remarks.contains("SRM010"),
        "{remarks}"
    );
    let models: Vec<&str> = array(&plan["system-implementation"]["components"])
        .iter()
        .filter(|component| {
            component.get("props").is_some_and(|props| {
                array(props)
                    .iter()
                    .any(|prop| prop["name"] == "service-model")
            })
        })
        .map(|component| text(&component["title"]))
        .collect();
    assert_eq!(models, ["IaaS"]);
    // Evidence that does not exist (SRM032) is no link: nothing to point at.
    let backup = by_component(&ssp, "backup-restore", "IaaS");
    assert!(backup["satisfied"][0].get("links").is_none());
    assert!(text(&backup["implementation-status"]["remarks"]).contains("SRM032"));
}

#[test]
fn claim_text_goes_in_exactly_and_still_validates() {
    let scratch = Scratch::git_root("oscal-claim-text");
    let path = clean_file(&scratch);
    let clean = std::fs::read_to_string(&path).unwrap();
    let implementation = "  Daily <b>restic</b> &amp; `pg_dump`\n\n- line two\u{202e}\t\r\n";
    let entry = format!(
        "[controls.backup-restore]\nowner = \"customer\"\naccountable = \"  ops\\nteam \"\nimplementation = {}\nevidence = [\"docs/ok.md\", \"docs/a b%#?.md\", \"https://wiki.x.example/a b?q=<1>#x#y\", \"c:d/e.md\"]\nreviewed = 2026-09-14\nnotes = \"see *below*\"\n",
        toml_string(implementation)
    );
    std::fs::write(
        &path,
        common::replace_table(&clean, "backup-restore", &entry),
    )
    .unwrap();
    let ssp = parse(&deployment_ssp(path.to_str().unwrap()));
    let errors = schema_errors(&validator("oscal_ssp_schema.json"), &ssp);
    assert!(errors.is_empty(), "{errors:#?}");
    let backup = by_component(&ssp, "backup-restore", "IaaS");
    // Two evidence paths do not exist (SRM032): a gap, and still the claim as written.
    assert_eq!(backup["implementation-status"]["state"], "planned");
    assert!(text(&backup["implementation-status"]["remarks"]).contains("SRM032"));
    let satisfied = &backup["satisfied"][0];
    assert_eq!(satisfied["description"], implementation);
    assert_eq!(satisfied["remarks"], "see *below*");
    // The file is a resource; the missing paths (`docs/a b%#?.md`, and `c:d/e.md`, a
    // Windows drive) are no links; a URL is encoded as a URI reference.
    let links: Vec<(&str, &str)> = array(&satisfied["links"])
        .iter()
        .map(|link| (text(&link["text"]), text(&link["href"])))
        .collect();
    assert_eq!(links.len(), 2, "{links:?}");
    assert_eq!(links[0].0, "docs/ok.md");
    assert_eq!(links[1].1, "https://wiki.x.example/a%20b?q=%3C1%3E#x%23y");
    let party = &array(&ssp["system-security-plan"]["metadata"]["parties"])
        .iter()
        .find(|party| party["uuid"] == satisfied["responsible-roles"][0]["party-uuids"][0])
        .unwrap()["name"];
    assert_eq!(*party, "ops team");
}

fn toml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

#[test]
fn one_line_fields_and_hrefs_follow_the_documented_mapping() {
    use srmlint::render::oscal::{EMPTY, Line, href};
    assert_eq!(Line::new("  a\r\nb\u{2028}c\t ").as_str(), "a b c");
    assert_eq!(Line::new("\u{feff} \u{85}x\u{a0}").as_str(), "x");
    assert_eq!(Line::new(" \n ").as_str(), EMPTY);
    // Every href srmlint makes is a URI reference to the schema's own format check.
    let schema = serde_json::json!({"type": "string", "format": "uri-reference"});
    let check = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    for evidence in [
        "docs/a b.md",
        "100%.md",
        "a:b/c.md",
        "//host/share",
        "C:\\evidence.txt",
        "docs/\u{1b}[1m\u{202e}x.md",
        "https://[::1]/x",
        "https://user@host:port/x y",
        "https://h/%zz%41?a=[1]#f#g",
        "mailto:a b@example.com",
        "https:",
    ] {
        let encoded = href(evidence);
        assert!(
            check.is_valid(&Value::from(encoded.as_str())),
            "{evidence:?} -> {encoded}"
        );
    }
    assert_eq!(
        href("https://h/%41"),
        "https://h/%41",
        "escapes already there stay"
    );
    assert_eq!(
        href("docs/%41"),
        "docs/%2541",
        "a path is not already encoded"
    );
}

// ------------------------------------------------------------- command line

#[test]
fn report_takes_exactly_one_controls_file() {
    let result = srmlint()
        .args(["report", "--format", "oscal", "tests/fixtures/hostile"])
        .run();
    assert_eq!(result.code, 2);
    assert!(result.stdout.is_empty());
    assert!(
        result
            .stderr
            .contains("writes the SSP of one deployment, and 2 controls files were found"),
        "{}",
        result.stderr
    );
    for (path, why) in [
        (
            "examples/broken/other-cloud.controls.toml",
            "names provider `hyperscaler`",
        ),
        (
            "examples/broken/syntax.controls.toml",
            "could not be read as a controls file",
        ),
        (
            "examples/broken/empty-services.controls.toml",
            "declares no service",
        ),
    ] {
        let result = srmlint().args(["report", "--format", "oscal", path]).run();
        assert_eq!(result.code, 2, "{path}");
        assert!(result.stderr.contains(why), "{path}: {}", result.stderr);
    }
}

#[test]
fn the_matrix_formats_refuse_what_oscal_cannot_carry() {
    let result = srmlint()
        .args(["matrix", "--format", "oscal", "--model", "iaas"])
        .run();
    assert_eq!(result.code, 2);
    assert!(
        result.stderr.contains("`--model` does not apply"),
        "{}",
        result.stderr
    );

    let scratch = Scratch::new("oscal-matrix");
    let embedded = srmlint::data::matrix::EMBEDDED_MATRIX;
    let undated = scratch.write(
        "undated.toml",
        embedded.replace("retrieved = 2026-12-07\n", ""),
    );
    let bad_id = scratch.write(
        "bad-id.toml",
        embedded.replace("id = \"backup-restore\"", "id = \"2-backup\""),
    );
    let cases = [
        (&undated, "oscal", "no `retrieved` date"),
        (&undated, "oscal-catalog", "no `retrieved` date"),
        (&bad_id, "oscal", "control `2-backup`"),
    ];
    for (matrix, format, why) in cases {
        let result = srmlint()
            .args(["matrix", "--format", format])
            .arg("--matrix")
            .arg(matrix)
            .run();
        assert_eq!(result.code, 2, "{format} {}", matrix.display());
        assert!(result.stderr.contains(why), "{}", result.stderr);
    }
    let too_old = srmlint()
        .args([
            "report",
            "--format",
            "oscal",
            "examples/clinic/controls.toml",
            "--today",
            "1899-12-31",
        ])
        .run();
    assert_eq!(too_old.code, 2);
    assert!(
        too_old.stderr.contains("1900 to 2999"),
        "{}",
        too_old.stderr
    );
}

// -------------------------------------------------------------- golden files

/// The clinic's SSP as written into `examples/oscal/` (run from there, so its evidence
/// hrefs are relative to that folder).
fn clinic_ssp_from_examples_oscal() -> String {
    let result = srmlint()
        .current_dir(repo_root().join("examples/oscal"))
        .args([
            "report",
            "--format",
            "oscal",
            "../clinic/controls.toml",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(result.code, 0, "{}", result.stderr);
    result.stdout
}

#[test]
fn committed_oscal_documents_of_the_clinic_match_the_tool() {
    let bless = std::env::var_os("SRMLINT_BLESS").is_some_and(|value| value == "1");
    let folder = repo_root().join("examples/oscal");
    let mut documents = vec![
        ("srmlint-catalog.json".to_owned(), catalog()),
        ("srmlint-profile.json".to_owned(), profile()),
        ("srmlint-matrix-ssp.json".to_owned(), matrix_ssp()),
        (
            "clinic-ssp.json".to_owned(),
            clinic_ssp_from_examples_oscal(),
        ),
    ];
    for framework in FRAMEWORKS {
        documents.push((
            format!("srmlint-mapping-{framework}.json"),
            mapping(framework),
        ));
    }
    let mut stale = Vec::new();
    for (name, fresh) in &documents {
        let path = folder.join(name);
        if bless {
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(&path, fresh).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_ref() != Some(fresh) {
            stale.push(format!("examples/oscal/{name}"));
        }
    }
    assert!(
        stale.is_empty(),
        "out of date (regenerate with `SRMLINT_BLESS=1 cargo test --test it oscal::`): {stale:?}"
    );
    // The committed plan's evidence hrefs resolve from its folder, to the hashed bytes.
    let ssp = parse(&clinic_ssp_from_examples_oscal());
    let mut checked = 0;
    for resource in array(&ssp["system-security-plan"]["back-matter"]["resources"]) {
        for rlink in array(&resource["rlinks"]) {
            let Some(hash) = rlink["hashes"].get(0) else {
                continue;
            };
            let file = folder.join(text(&rlink["href"]));
            assert_eq!(text(&hash["value"]), sha256_of(&file), "{}", file.display());
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} evidence files checked");
}

// ------------------------------------------------------------------- trestle

/// The Python compliance-trestle runs on, given its `trestle` script (on PATH, or in
/// the venv `.ci/run` makes under `target/`): the interpreter its script names, as pip
/// writes it, or the venv's own.
fn trestle_python(script: &Path) -> Option<PathBuf> {
    let text = std::fs::read(script).ok()?;
    let first_line = text.split(|&byte| byte == b'\n').next()?;
    let named = std::str::from_utf8(first_line)
        .ok()
        .and_then(|line| line.strip_prefix("#!"))
        .map(|interpreter| PathBuf::from(interpreter.trim()))
        .filter(|interpreter| interpreter.is_file());
    named.or_else(|| {
        let dir = script.parent()?;
        ["python3", "python"]
            .iter()
            .map(|name| dir.join(name))
            .find(|python| python.is_file())
    })
}

/// Outside CI a machine without trestle skips this and says so; under
/// `SRMLINT_REQUIRE_TOOLS` (`.ci/run`) or `CI` a missing trestle fails it.
#[test]
fn compliance_trestle_imports_and_validates_every_document() {
    let Some(script) = common::require_tool(
        "trestle",
        "`.ci/run` installs compliance-trestle in target/trestle-venv",
    ) else {
        return;
    };
    let python =
        trestle_python(&script).unwrap_or_else(|| panic!("no Python for {}", script.display()));
    // Everything written into one folder inside the repository, as docs/oscal.md
    // tells a GRC engineer to; the deployment with evidence, through `--output`.
    let scratch = Scratch::new("oscal-trestle");
    scratch.write("srmlint-catalog.json", catalog());
    scratch.write("srmlint-profile.json", profile());
    scratch.write("srmlint-matrix-ssp.json", matrix_ssp());
    let mut mappings = Vec::new();
    for framework in FRAMEWORKS {
        let name = format!("srmlint-mapping-{framework}.json");
        scratch.write(&name, mapping(framework));
        mappings.push(name);
    }
    let written = srmlint()
        .args([
            "report",
            "--format",
            "oscal",
            "examples/acme-org/controls.toml",
        ])
        .args(["--today", TODAY, "--output"])
        .arg(scratch.path("acme-ssp.json"))
        .run();
    assert_eq!(written.code, 0, "{}", written.stderr);
    let output = std::process::Command::new(python)
        .arg(repo_root().join("tests/trestle_reads.py"))
        .arg(&scratch.root)
        .arg("acme-ssp.json")
        .args(&mappings)
        .output()
        .expect("python runs");
    let result = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    for step in [
        "1. trestle import and validate: 8 documents valid",
        "5. deployment SSP",
    ] {
        assert!(result.stdout.contains(step), "{step}: {}", result.stdout);
    }
}

#[test]
fn relative_paths_climb_to_the_common_folder() {
    use srmlint::render::oscal::relative_path;
    let rel = |a: &str, b: &str| relative_path(Path::new(a), Path::new(b)).unwrap_or_default();
    assert_eq!(rel("/r/out", "/r/docs/a.md"), "../docs/a.md");
    assert_eq!(rel("/r", "/r/docs/a.md"), "docs/a.md");
    assert_eq!(rel("/r/a/b", "/r/a/b/c"), "c");
    assert_eq!(rel("/r/a/b", "/r/a/b"), ".");
    assert_eq!(rel("/r/a/b", "/r/x"), "../../x");
}
