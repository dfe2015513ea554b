//! Completion of the ids a controls file is made of, by the key being written:
//! services, zones, residency, frameworks and the provider in `[deployment]`; owner
//! words and models in a `[controls.X]` entry; rule codes and control ids in a
//! `[[waivers]]` entry; control ids in a `[controls.` header; the keys each table
//! takes. In `.srmlint.toml`: rule codes and their levels under `[rules]`, and its keys.

use std::collections::BTreeSet;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, Range, TextEdit,
};

use super::context::{Place, place_at, word_start};
use super::hover::owners_in_words;
use super::position::LineIndex;
// What completion may offer: the rules, the matrix and the framework maps.
use crate::authoring::explain::Sources as Known;
use crate::data::matrix::Matrix;
use crate::input::config::CONFIG_KEYS;
use crate::input::controls::{DEPLOYMENT_KEYS, ENTRY_KEYS, WAIVER_KEYS};

/// Which kind of file is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Controls,
    Config,
}

/// One thing to offer before it is placed: what is inserted, and what is shown.
struct Offer {
    value: String,
    detail: String,
    documentation: Option<String>,
    kind: CompletionItemKind,
}

impl Offer {
    fn new(value: impl Into<String>, detail: impl Into<String>, kind: CompletionItemKind) -> Self {
        Self {
            value: value.into(),
            detail: detail.into(),
            documentation: None,
            kind,
        }
    }

    fn documented(mut self, documentation: String) -> Self {
        self.documentation = Some(documentation);
        self
    }
}

/// A value to offer: an id, a word of the matrix or a level.
fn value(value: &str, detail: impl Into<String>) -> Offer {
    Offer::new(value, detail, CompletionItemKind::ENUM_MEMBER)
}

/// The completions at byte `offset` of `text`.
pub(crate) fn complete(
    text: &str,
    offset: usize,
    kind: FileKind,
    known: Known<'_>,
) -> Vec<CompletionItem> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return Vec::new();
    }
    let place = place_at(text, offset);
    let start = match &place {
        // In a header, the id being typed starts after the last `.`.
        Place::Header { typed, start } if kind == FileKind::Controls => {
            start + typed.rfind('.').map_or(0, |dot| dot + 1)
        }
        _ => word_start(text, offset),
    };
    let (offers, quote) = match (&place, kind) {
        (Place::Comment, _) => return Vec::new(),
        (Place::Header { typed, .. }, FileKind::Controls) => {
            (header_offers(text, typed, known), false)
        }
        (Place::Header { .. }, FileKind::Config) => {
            let rules = Offer::new("rules", "per-rule levels", CompletionItemKind::MODULE);
            (vec![rules], false)
        }
        (Place::Key { table }, FileKind::Controls) => (key_offers(controls_keys(table)), false),
        (Place::Key { table }, FileKind::Config) => match table.as_slice() {
            [] => (key_offers(CONFIG_KEYS), false),
            [rules] if rules == "rules" => (rule_offers(known), false),
            _ => (Vec::new(), false),
        },
        (
            Place::Value {
                table,
                key,
                in_string,
            },
            FileKind::Controls,
        ) => (controls_value_offers(table, key, known), !in_string),
        (
            Place::Value {
                table, in_string, ..
            },
            FileKind::Config,
        ) => match table.as_slice() {
            [rules] if rules == "rules" => (level_offers(), !in_string),
            _ => (Vec::new(), !in_string),
        },
    };
    let index = LineIndex::new(text);
    let range: Range = index.range(text, start, offset);
    offers
        .into_iter()
        .enumerate()
        .map(|(order, offer)| {
            let insert = if quote {
                format!("\"{}\"", offer.value)
            } else {
                offer.value.clone()
            };
            CompletionItem {
                label: offer.value.clone(),
                kind: Some(offer.kind),
                detail: Some(offer.detail),
                documentation: offer.documentation.map(Documentation::String),
                sort_text: Some(format!("{order:04}")),
                filter_text: Some(offer.value),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, insert))),
                ..CompletionItem::default()
            }
        })
        .collect()
}

/// In a header: the tables, or after `controls.` the control ids that have no entry
/// yet (a second `[controls.X]` table is not TOML).
fn header_offers(text: &str, typed: &str, known: Known<'_>) -> Vec<Offer> {
    if let Some(rest) = typed.strip_prefix("controls.") {
        if rest.contains('.') {
            return Vec::new();
        }
        return control_offers(known.matrix)
            .into_iter()
            .filter(|offer| !text.contains(&format!("[controls.{}]", offer.value)))
            .collect();
    }
    if typed.contains('.') {
        return Vec::new();
    }
    ["deployment", "controls", "waivers"]
        .into_iter()
        .map(|table| Offer::new(table, "table", CompletionItemKind::MODULE))
        .collect()
}

/// The keys a table of a controls file takes.
fn controls_keys(table: &[String]) -> &'static [&'static str] {
    match table {
        // Before any header only dotted keys go, which nobody completes.
        [] => &[],
        [deployment] if deployment == "deployment" => DEPLOYMENT_KEYS,
        [controls, _] if controls == "controls" => ENTRY_KEYS,
        [waivers] if waivers == "waivers" => WAIVER_KEYS,
        _ => &[],
    }
}

fn key_offers(keys: &[&str]) -> Vec<Offer> {
    keys.iter()
        .map(|key| Offer::new(*key, "key", CompletionItemKind::PROPERTY))
        .collect()
}

fn controls_value_offers(table: &[String], key: &str, known: Known<'_>) -> Vec<Offer> {
    let matrix = known.matrix;
    match (table, key) {
        ([deployment], "services") if deployment == "deployment" => (matrix.services.iter())
            .map(|(id, service)| {
                let model = matrix.model_title(&service.model);
                let offer = value(id, format!("{model}: {}", service.title));
                match service.aliases.as_slice() {
                    [] => offer,
                    aliases => offer.documented(format!("Also written: {}", aliases.join(", "))),
                }
            })
            .collect(),
        ([deployment], "zones") if deployment == "deployment" => (matrix.zones.iter())
            .map(|(id, zone)| value(id, format!("{}, {}", zone.city, zone.country)))
            .collect(),
        ([deployment], "residency") if deployment == "deployment" => {
            let countries: BTreeSet<&str> = matrix
                .zones
                .values()
                .map(|zone| zone.country.as_str())
                .collect();
            let regions = (matrix.regions.iter())
                .map(|(id, members)| value(id, format!("region: {} countries", members.len())));
            let countries = countries
                .into_iter()
                .map(|country| value(country, "country of a zone"));
            regions.chain(countries).collect()
        }
        ([deployment], "frameworks") if deployment == "deployment" => (known.frameworks.iter())
            .map(|framework| {
                let info = &framework.framework;
                value(framework.id(), format!("{} ({})", info.title, info.version))
            })
            .collect(),
        ([deployment], "provider") if deployment == "deployment" => {
            vec![value(&matrix.info.provider, matrix.info.title.as_str())]
        }
        ([controls, control], "owner") if controls == "controls" => owner_offers(matrix, control),
        ([controls, _], "models") if controls == "controls" => (matrix.models.iter())
            .map(|(id, model)| value(id, model.title.as_str()))
            .collect(),
        ([waivers], "rule") if waivers == "waivers" => rule_offers(known),
        ([waivers], "control") if waivers == "waivers" => control_offers(matrix),
        _ => Vec::new(),
    }
}

fn control_offers(matrix: &Matrix) -> Vec<Offer> {
    (matrix.controls.iter())
        .map(|control| {
            let offer = value(&control.id, control.title.as_str());
            offer.documented(owners_in_words(matrix, &control.id))
        })
        .collect()
}

/// The owner words, each with what the matrix says of the control.
fn owner_offers(matrix: &Matrix, control: &str) -> Vec<Offer> {
    let mut words = vec![
        value(
            "customer",
            "you hold the customer part, and no provider holds any",
        ),
        value(
            "shared",
            "you hold the customer part; the provider holds the rest",
        ),
    ];
    words.extend(matrix.provider_owner_words().map(|word| {
        value(
            word,
            format!("acknowledged as held by {}", matrix.party_title(word)),
        )
    }));
    let owners = owners_in_words(matrix, control);
    if owners.is_empty() {
        return words;
    }
    let documented = |offer: Offer| offer.documented(format!("The matrix: {owners}"));
    words.into_iter().map(documented).collect()
}

fn rule_offers(known: Known<'_>) -> Vec<Offer> {
    (known.rules.iter())
        .map(|rule| {
            let detail = format!("{} ({})", rule.name, rule.severity.as_str());
            value(&rule.code, detail).documented(rule.summary.clone())
        })
        .collect()
}

fn level_offers() -> Vec<Offer> {
    [
        ("error", "fails the run"),
        ("warning", "shown; fails the run under --deny-warnings"),
        ("info", "shown, never fails the run"),
        ("off", "not reported"),
    ]
    .into_iter()
    .map(|(word, detail)| value(word, detail))
    .collect()
}
