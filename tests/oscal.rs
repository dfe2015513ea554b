//! The OSCAL documents as a GRC tool meets them: `srmlint matrix --format oscal` (the
//! leveraged system's SSP), `--format oscal-catalog` and `srmlint report --format
//! oscal` (a deployment's SSP) validate against NIST's OSCAL 1.2.3 schemas, every
//! reference between and inside them resolves (which JSON Schema cannot check), the
//! output is reproducible, hostile text stays valid and inert, and compliance-trestle
//! reads them. The documents of `examples/clinic` are committed under
//! `examples/oscal/`; regenerate them with `SRMLINT_BLESS=1 cargo test --test oscal`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use common::{Run, Scratch, Srmlint, TODAY, srmlint};

const EXAMPLES: &[&str] = &[
    "examples/clinic/controls.toml",
    "examples/acme-org/controls.toml",
    "examples/webshop/controls.toml",
    "tests/fixtures/hostile/controls.toml",
];

/// Runs a prepared command of the built binary (the shared runner's deadline and
/// clean environment included).
fn run(command: &mut Srmlint) -> Run {
    command.run()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs srmlint with `args`; the document it printed, after asserting exit 0.
fn document(args: &[&str]) -> String {
    let result = run(srmlint().args(args));
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

fn deployment_ssp(path: &str) -> String {
    document(&["report", "--format", "oscal", path, "--today", TODAY])
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}):\n{text}"))
}

fn validator(schema: &str) -> jsonschema::Validator {
    let path = root().join("../shared/schemas/oscal-1.2.3").join(schema);
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
    // Both import the same catalog resource, which names the catalog.
    if matrix["import-profile"] != deployment["import-profile"] {
        broken.push("the two SSPs import different resources".to_owned());
    }
    let catalog_resource = &matrix["back-matter"]["resources"][0];
    if catalog_resource["rlinks"][0]["media-type"] != "application/oscal.catalog+json" {
        broken.push("the imported resource does not name a catalog".to_owned());
    }

    // The deployment into the export: provider parties and model components by uuid;
    // each inherited / satisfied entry names a provided / responsibility of the same
    // control in the model component its service component inherits from.
    let matrix_parties: BTreeSet<&str> = array(&matrix["metadata"]["parties"])
        .iter()
        .map(|party| text(&party["uuid"]))
        .collect();
    for la in array(&deployment["system-implementation"]["leveraged-authorizations"]) {
        if !matrix_parties.contains(text(&la["party-uuid"])) {
            broken.push(format!(
                "deployment: {} leverages no party of the export",
                la["title"]
            ));
        }
    }
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
    let href = text(&ssp["import-profile"]["href"]);
    if !href
        .strip_prefix('#')
        .is_some_and(|uuid| resources.contains(uuid))
    {
        broken.push(format!("{name}: import-profile {href} names no resource"));
    }
    let authorizations: BTreeSet<&str> = array(&implementation["leveraged-authorizations"])
        .iter()
        .map(|la| text(&la["uuid"]))
        .collect();
    for la in array(&implementation["leveraged-authorizations"]) {
        if !parties.contains(text(&la["party-uuid"])) {
            broken.push(format!("{name}: leveraged authorization party is no party"));
        }
        for link in array(&la["links"]) {
            let href = text(&link["href"]);
            if !href
                .strip_prefix('#')
                .is_some_and(|uuid| resources.contains(uuid))
            {
                broken.push(format!("{name}: leveraged authorization links to {href}"));
            }
        }
    }
    for component in array(&implementation["components"]) {
        for prop in array(&component["props"]) {
            if prop["name"] == "leveraged-authorization-uuid"
                && !authorizations.contains(text(&prop["value"]))
            {
                broken.push(format!(
                    "{name}: {} leverages no authorization",
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
        "/12/by-components/2/inherited/0/provided-uuid",
        "/12/by-components/2/satisfied/0/responsibility-uuid",
        "/12/by-components/2/satisfied/0/responsible-roles/0/party-uuids/0",
        "/12/by-components/0/component-uuid",
    ];
    for case in cases {
        let mut bad = good.clone();
        let pointer = format!("{requirement}{case}");
        // Another entry's uuid: a reference that exists, but to the wrong thing.
        *bad.pointer_mut(&pointer)
            .unwrap_or_else(|| panic!("{pointer} exists")) =
            good["system-security-plan"]["uuid"].clone();
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
        "{requirement}/12/by-components/2/inherited/0/provided-uuid"
    ))
    .unwrap() = other
        .expect("encryption-in-transit inherits on compute")
        .clone();
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
    let authorizations = array(&plan["system-implementation"]["leveraged-authorizations"]);
    let titles: Vec<&str> = authorizations.iter().map(|la| text(&la["title"])).collect();
    assert_eq!(authorizations.len(), 3, "{titles:?}");
    assert_eq!(authorizations[0]["date-authorized"], "2026-12-07");
    assert!(text(&authorizations[0]["remarks"]).contains("not of an authorization"));

    let dbaas = by_component(&ssp, "backup-restore", "Managed PostgreSQL");
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
    let links: Vec<(&str, &str)> = array(&satisfied["links"])
        .iter()
        .map(|link| (text(&link["href"]), text(&link["rel"])))
        .collect();
    assert_eq!(
        links,
        [
            ("docs/runbooks/restore-test.md", "evidence"),
            ("https://wiki.clinic.example/bcp", "evidence")
        ]
    );
    let accountable = text(&satisfied["responsible-roles"][0]["party-uuids"][0]);
    let party = array(&plan["metadata"]["parties"])
        .iter()
        .find(|party| party["uuid"] == accountable)
        .unwrap();
    assert_eq!(party["name"], "sre@clinic.example");
    // Compute only, no object storage: encryption at rest has no IaaS provider part.
    let at_rest = by_component(&ssp, "encryption-at-rest", "Compute instances");
    assert!(at_rest.get("inherited").is_none());
    assert_eq!(array(&at_rest["satisfied"]).len(), 1);
    // With object storage it has (examples/acme-org uses it).
    let acme = parse(&deployment_ssp("examples/acme-org/controls.toml"));
    let at_rest = by_component(&acme, "encryption-at-rest", "Simple Object Storage (SOS)");
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
    let compute = "Compute instances";

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
    let backup = by_component(&ssp, "backup-restore", "Compute instances");
    let hrefs: Vec<&str> = array(&backup["satisfied"][0]["links"])
        .iter()
        .map(|link| text(&link["href"]))
        .collect();
    assert_eq!(hrefs, ["docs/ok.md", "https://wiki.x.example/restore"]);
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
fn uuids_are_version_5_over_the_documented_names() {
    use uuid::Uuid;
    assert_eq!(
        srmlint::render::oscal::ROOT,
        Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            srmlint::render::oscal::NAMESPACE.as_bytes()
        )
    );
    let ns = |parent: &Uuid, name: &str| Uuid::new_v5(parent, name.as_bytes());
    let provider = ns(&srmlint::render::oscal::ROOT, "provider/exoscale");
    let version = ns(&provider, "matrix/2026-12");
    let matrix = parse(&matrix_ssp());
    let dbaas = by_component(&matrix, "backup-restore", "DBaaS");
    assert_eq!(
        dbaas["export"]["provided"][0]["uuid"],
        ns(&version, "provided/backup-restore/dbaas").to_string()
    );
    assert_eq!(
        dbaas["export"]["responsibilities"][0]["uuid"],
        ns(&version, "responsibility/backup-restore/dbaas").to_string()
    );
    assert_eq!(
        dbaas["component-uuid"],
        ns(&provider, "component/dbaas").to_string()
    );
    let deployment = ns(&provider, "deployment/patient-portal");
    let ssp = parse(&deployment_ssp("examples/clinic/controls.toml"));
    assert_eq!(
        ssp["system-security-plan"]["uuid"],
        ns(&deployment, "ssp").to_string()
    );
    for uuid in uuids(&matrix).iter().chain(&uuids(&ssp)) {
        let parsed = Uuid::parse_str(uuid).unwrap();
        assert_eq!(parsed.get_version_num(), 5, "{uuid}");
        assert_eq!(*uuid, parsed.to_string(), "lower-case, hyphenated");
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
    let services: Vec<&str> = array(&plan["system-implementation"]["components"])
        .iter()
        .filter(|component| component["type"] == "service")
        .map(|component| text(&component["title"]))
        .collect();
    assert_eq!(services, ["Compute instances"]);
    // Evidence hrefs are URI references, the text as written.
    let backup = by_component(&ssp, "backup-restore", "Compute instances");
    let links = array(&backup["satisfied"][0]["links"]);
    assert_eq!(links[0]["href"], "docs/%1B%5B1mmissing.md");
    assert_eq!(links[0]["text"], "docs/\u{1b}[1mmissing.md");
    assert_eq!(links[1]["href"], "docs/%3Cb%3E&amp;%3C/b%3E.md");
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
    let backup = by_component(&ssp, "backup-restore", "Compute instances");
    // Two evidence paths do not exist (SRM032): a gap, and still the claim as written.
    assert_eq!(backup["implementation-status"]["state"], "planned");
    assert!(text(&backup["implementation-status"]["remarks"]).contains("SRM032"));
    let satisfied = &backup["satisfied"][0];
    assert_eq!(satisfied["description"], implementation);
    assert_eq!(satisfied["remarks"], "see *below*");
    let hrefs: Vec<&str> = array(&satisfied["links"])
        .iter()
        .map(|link| text(&link["href"]))
        .collect();
    assert_eq!(
        hrefs,
        [
            "docs/ok.md",
            "docs/a%20b%25%23%3F.md",
            "https://wiki.x.example/a%20b?q=%3C1%3E#x%23y",
            // A one-letter scheme is a Windows drive: a path, its `:` encoded.
            "c%3Ad/e.md"
        ]
    );
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
    let result = run(srmlint().args(["report", "--format", "oscal", "tests/fixtures/hostile"]));
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
        let result = run(srmlint().args(["report", "--format", "oscal", path]));
        assert_eq!(result.code, 2, "{path}");
        assert!(result.stderr.contains(why), "{path}: {}", result.stderr);
    }
}

#[test]
fn the_matrix_formats_refuse_what_oscal_cannot_carry() {
    let result = run(srmlint().args(["matrix", "--format", "oscal", "--model", "iaas"]));
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
        let result = run(srmlint()
            .args(["matrix", "--format", format])
            .arg("--matrix")
            .arg(matrix));
        assert_eq!(result.code, 2, "{format} {}", matrix.display());
        assert!(result.stderr.contains(why), "{}", result.stderr);
    }
    let too_old = run(srmlint().args([
        "report",
        "--format",
        "oscal",
        "examples/clinic/controls.toml",
        "--today",
        "1899-12-31",
    ]));
    assert_eq!(too_old.code, 2);
    assert!(
        too_old.stderr.contains("1900 to 2999"),
        "{}",
        too_old.stderr
    );
}

// -------------------------------------------------------------- golden files

#[test]
fn committed_oscal_documents_of_the_clinic_match_the_tool() {
    let bless = std::env::var_os("SRMLINT_BLESS").is_some_and(|value| value == "1");
    let folder = root().join("examples/oscal");
    let documents = [
        ("srmlint-catalog.json", catalog()),
        ("srmlint-matrix-ssp.json", matrix_ssp()),
        (
            "clinic-ssp.json",
            deployment_ssp("examples/clinic/controls.toml"),
        ),
    ];
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
        "out of date (regenerate with `SRMLINT_BLESS=1 cargo test --test oscal`): {stale:?}"
    );
}

// ------------------------------------------------------------------- trestle

/// The Python compliance-trestle runs on, when `trestle` is on PATH (`.ci/run` installs
/// it): the interpreter its script names, as pip writes it, or the venv's own.
fn trestle_python() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let script = std::env::split_paths(&path)
        .map(|dir| dir.join("trestle"))
        .find(|script| script.is_file())?;
    let text = std::fs::read(&script).ok()?;
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

/// Outside CI a machine without trestle skips this and says so; with `CI` set a
/// missing trestle fails it.
#[test]
#[allow(
    clippy::print_stderr,
    reason = "the skip note must reach the person running the tests"
)]
fn compliance_trestle_reads_the_catalog_and_both_ssps() {
    let Some(python) = trestle_python() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set and compliance-trestle is not on PATH: `.ci/run` installs it"
        );
        eprintln!("skipped: compliance-trestle is not on PATH (`pip install compliance-trestle`)");
        return;
    };
    let scratch = Scratch::new("oscal-trestle");
    let catalog = scratch.write("srmlint-catalog.json", catalog());
    let matrix = scratch.write("srmlint-matrix-ssp.json", matrix_ssp());
    let deployment = scratch.write(
        "clinic-ssp.json",
        deployment_ssp("examples/acme-org/controls.toml"),
    );
    let output = std::process::Command::new(python)
        .arg(root().join("tests/trestle_reads.py"))
        .arg(scratch.path("trestle"))
        .args([&catalog, &matrix, &deployment])
        .output()
        .expect("python runs");
    let result = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert_eq!(result.code, 0, "{}\n{}", result.stdout, result.stderr);
    assert!(
        result.stdout.contains("5. deployment SSP"),
        "{}",
        result.stdout
    );
}
