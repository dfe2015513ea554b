//! `srmlint schema`: the JSON Schema of the controls file, so an editor (taplo / Even
//! Better TOML, or any JSON Schema aware TOML plugin) completes control ids, services,
//! zones and owner words and flags unknown keys while the user types.
//!
//! The keys come from the parser's own key lists (`controls::*_KEYS`) and every id from
//! the matrix, so the schema cannot drift from what `check` accepts. It is draft-07:
//! taplo validates with the `jsonschema` crate without its 2019-09/2020-12 features,
//! and every mainstream editor plugin reads draft-07. Taplo turns TOML dates into
//! strings before validating, so dates are `{"type": "string", "format": "date"}`.
//! `x-taplo` is taplo's extension for enum docs and the keys it inserts in a new table;
//! validators ignore it.

use serde_json::{Map, Value, json};

use crate::data::countries;
use crate::data::matrix::{Control, Matrix};
use crate::input::controls::{DEPLOYMENT_KEYS, ENTRY_KEYS, TOP_LEVEL_KEYS, WAIVER_KEYS};
use crate::rules;

/// The schema as pretty-printed JSON with a final newline: the text of the committed
/// `controls.schema.json` for the embedded matrix.
pub fn render(matrix: &Matrix) -> String {
    let mut text =
        serde_json::to_string_pretty(&schema(matrix)).expect("a JSON value always serializes");
    text.push('\n');
    text
}

/// The schema of a controls file for `matrix`.
pub fn schema(matrix: &Matrix) -> Value {
    let controls: Map<String, Value> = matrix
        .controls
        .iter()
        .map(|control| (control.id.clone(), entry_schema(matrix, control)))
        .collect();
    let top_level = properties(
        TOP_LEVEL_KEYS,
        [
            ("deployment", deployment_schema(matrix)),
            (
                "controls",
                json!({
                    "description": "One table a control: who owns it and how it is done. Each id is a control of the matrix (`srmlint matrix`).",
                    "type": "object",
                    "properties": controls,
                    "additionalProperties": false,
                }),
            ),
            (
                "waivers",
                json!({
                    "description": "Accepted findings, each with a reason, an approver and an expiry date.",
                    "type": "array",
                    "items": waiver_schema(matrix),
                }),
            ),
        ],
    );
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "srmlint controls file",
        "description": format!(
            "Who owns each security control of a deployment under the {}. Checked by `srmlint check`.",
            matrix.info.title
        ),
        "type": "object",
        "properties": top_level,
        "additionalProperties": false,
        "required": ["deployment"],
    })
}

fn deployment_schema(matrix: &Matrix) -> Value {
    let services: Vec<&str> = matrix.services.keys().map(String::as_str).collect();
    let service_docs: Vec<String> = matrix
        .services
        .values()
        .map(|service| format!("{} ({})", service.title, service.model))
        .collect();
    let zones: Vec<&str> = matrix.zones.keys().map(String::as_str).collect();
    let zone_docs: Vec<String> = matrix
        .zones
        .values()
        .map(|zone| format!("{}, {}", zone.city, zone.country))
        .collect();
    let frameworks: Vec<String> = crate::data::frameworks::embedded()
        .iter()
        .map(|framework| framework.id().to_owned())
        .collect();
    let regions: Vec<&str> = matrix.regions.keys().map(String::as_str).collect();
    json!({
        "description": "What is deployed: the services and zones decide which controls apply.",
        "type": "object",
        "properties": properties(DEPLOYMENT_KEYS, [
            ("name", json!({"description": "The deployment's name, as reports show it.", "type": "string"})),
            ("provider", json!({
                "description": "The provider whose matrix applies (default: the matrix's own).",
                "type": "string",
                "enum": [matrix.info.provider],
            })),
            ("services", json!({
                "description": "The provider services in use; each brings in its service model.",
                "type": "array",
                "minItems": 1,
                "uniqueItems": true,
                "items": {"type": "string", "enum": services, "x-taplo": {"docs": {"enumValues": service_docs}}},
            })),
            ("zones", json!({
                "description": "The zones the deployment runs in.",
                "type": "array",
                "uniqueItems": true,
                "items": {"type": "string", "enum": zones, "x-taplo": {"docs": {"enumValues": zone_docs}}},
            })),
            ("residency", json!({
                "description": format!(
                    "Where the data must stay: an ISO country code (CH), a region ({}), or several joined with `+` (EEA+CH). Every zone must lie in it.",
                    regions.join(", ")
                ),
                "type": "string",
                "pattern": residency_pattern(&regions),
            })),
            ("regulated", json!({
                "description": "Sector rules the deployment falls under (healthcare, financial-services, public-sector, ...); policies can select on them.",
                "type": "array",
                "items": {"type": "string"},
            })),
            ("frameworks", json!({
                "description": "Frameworks `srmlint report` maps claims to by default.",
                "type": "array",
                "uniqueItems": true,
                "items": {"type": "string", "enum": frameworks},
            })),
            ("matrix_version", json!({
                "description": format!(
                    "The version of the provider's matrix this file was written against (the loaded one is {}); when it differs, SRM019 names the controls whose owner changed.",
                    matrix.info.version.as_deref().unwrap_or("unversioned")
                ),
                "type": "string",
                "minLength": 1,
            })),
            ("terraform", json!({
                "description": "The deployment's Terraform: root-module folders and `terraform show -json` plan or state files, relative to this file and inside the repository. srmlint checks `services` and `zones` against them.",
                "type": "array",
                "uniqueItems": true,
                "items": {"oneOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "description": "A source with the var files and workspace `terraform plan` would be given.",
                        "properties": {
                            "path": {"type": "string", "description": "The root-module folder or plan/state JSON, relative to this file."},
                            "var_files": {"type": "array", "items": {"type": "string"}, "description": "Var files applied after the root module's own, in order, relative to this file."},
                            "workspace": {"type": "string", "minLength": 1, "description": "`terraform.workspace` (default: `default`)."},
                        },
                        "required": ["path"],
                        "additionalProperties": false,
                    },
                ]},
            })),
        ]),
        "additionalProperties": false,
        "required": ["services"],
    })
}

/// `^(CC|REGION)(\+(CC|REGION))*$`: what `Matrix::residency_countries` accepts.
fn residency_pattern(regions: &[&str]) -> String {
    // Every assigned country code by name: the checker refuses `EU` and `XX`, so the
    // schema does too.
    let mut atoms: Vec<String> = countries::codes().map(str::to_owned).collect();
    atoms.extend(regions.iter().map(|region| regex::escape(region)));
    let atom = format!("(?:{})", atoms.join("|"));
    format!("^{atom}(?:\\+{atom})*$")
}

/// Owner words, with a line each for editors that show enum docs.
fn owner_words(matrix: &Matrix) -> (Vec<String>, Vec<String>) {
    let mut words = vec!["customer".to_owned(), "shared".to_owned()];
    let mut docs = vec![
        "Yours alone: you claim the customer part.".to_owned(),
        "Split: you claim your part, the provider holds the rest.".to_owned(),
    ];
    for word in matrix.provider_owner_words() {
        words.push(word.to_owned());
        let title = matrix.party_title(word);
        docs.push(format!("Inherited: {title} holds it; you acknowledge it."));
    }
    (words, docs)
}

/// The schema of `[controls.<id>]`, its description saying what the matrix gives each
/// side in each model.
fn entry_schema(matrix: &Matrix, control: &Control) -> Value {
    let (words, word_docs) = owner_words(matrix);
    let models: Vec<&str> = matrix.models.keys().map(String::as_str).collect();
    let mut description = control.title.clone();
    for (model, parts) in &control.parts {
        let title = matrix.model_title(model);
        if let Some(customer) = &parts.customer {
            description.push_str(&format!("\n{title}, you: {}.", customer.scope));
        }
        if let Some(provider) = &parts.provider {
            let condition = if provider.when_services.is_empty() {
                String::new()
            } else {
                format!(" (when {} is in use)", provider.when_services.join(" or "))
            };
            description.push_str(&format!(
                "\n{title}, {}: {}{condition}.",
                provider.parties.join("/"),
                provider.scope
            ));
        }
    }
    json!({
        "description": description,
        "type": "object",
        "properties": properties(ENTRY_KEYS, [
            ("owner", json!({
                "description": "Who owns the control: `customer` or `shared` claim your part; a provider party acknowledges it as inherited.",
                "type": "string",
                "enum": words,
                "x-taplo": {"docs": {"enumValues": word_docs}},
            })),
            ("accountable", json!({"description": "Who answers for it: a team, role or address.", "type": "string"})),
            ("implementation", json!({"description": "What you do to meet it.", "type": "string"})),
            ("evidence", json!({
                "description": "Paths (relative to this file, inside the repository) or URLs that show the control working.",
                "type": "array",
                "items": {"type": "string"},
            })),
            ("reviewed", json!({"description": "The date of the last review (a TOML date: 2026-09-14).", "type": "string", "format": "date"})),
            ("models", json!({
                "description": "The service models this claim covers (default: every model in use).",
                "type": "array",
                "minItems": 1,
                "uniqueItems": true,
                "items": {"type": "string", "enum": models},
            })),
            ("notes", json!({"description": "Anything a reviewer should know.", "type": "string"})),
        ]),
        "additionalProperties": false,
        "required": ["owner"],
        "x-taplo": {"initKeys": ["owner", "accountable", "evidence"]},
    })
}

fn waiver_schema(matrix: &Matrix) -> Value {
    let codes: Vec<&str> = rules::BUILTIN_RULES
        .iter()
        .filter(|rule| !rules::is_unwaivable(rule.code))
        .map(|rule| rule.code)
        .collect();
    let controls: Vec<&str> = matrix.control_ids().collect();
    json!({
        "type": "object",
        "properties": properties(WAIVER_KEYS, [
            ("rule", json!({
                "description": "The code of the rule whose findings are waived (built-in or a policy's own).",
                "type": "string",
                "examples": codes,
            })),
            ("control", json!({"description": "Limit the waiver to one control.", "type": "string", "enum": controls})),
            ("reason", json!({"description": "Why the finding is accepted for now.", "type": "string", "minLength": 1})),
            ("approved_by", json!({"description": "Who accepted it.", "type": "string", "minLength": 1})),
            ("ticket", json!({"description": "The ticket that tracks the fix.", "type": "string"})),
            ("expires", json!({"description": "The last day the waiver covers (a TOML date).", "type": "string", "format": "date"})),
        ]),
        "additionalProperties": false,
        "required": ["rule", "reason", "approved_by", "expires"],
    })
}

/// The `properties` object for a table whose keys the parser lists in `keys`: every
/// key gets its schema, in the parser's order. A key without a schema, or a schema
/// for a key the parser does not accept, is a bug this catches at once.
fn properties<const N: usize>(keys: &[&str], schemas: [(&str, Value); N]) -> Map<String, Value> {
    let mut properties = Map::new();
    for key in keys {
        let schema = schemas
            .iter()
            .find(|(name, _)| name == key)
            .unwrap_or_else(|| panic!("the schema has no definition for parser key `{key}`"));
        properties.insert((*key).to_owned(), schema.1.clone());
    }
    assert_eq!(
        properties.len(),
        N,
        "the schema defines keys the parser does not accept"
    );
    properties
}
