//! ISO 3166-1 alpha-2 country codes (`policies/countries.toml`): which two-letter
//! words a `residency` value may name as a country, and the names people write for
//! a country, which a did-you-mean turns into its code.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

const EMBEDDED_COUNTRIES: &str = include_str!("../../policies/countries.toml");

#[derive(serde::Deserialize)]
struct Countries {
    codes: BTreeSet<String>,
    #[serde(default)]
    names: BTreeMap<String, Vec<String>>,
}

/// The codes, and every name by its lower-case form.
struct Parsed {
    codes: BTreeSet<String>,
    by_name: BTreeMap<String, String>,
}

/// Parsed the first time a residency value is judged.
static COUNTRIES: LazyLock<Parsed> = LazyLock::new(|| {
    let countries = toml::from_str::<Countries>(EMBEDDED_COUNTRIES)
        .expect("the embedded country list is checked by the test suite");
    let by_name = countries
        .names
        .iter()
        .flat_map(|(code, names)| {
            names
                .iter()
                .map(move |name| (name.to_lowercase(), code.clone()))
        })
        .collect();
    Parsed {
        codes: countries.codes,
        by_name,
    }
});

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_country(code: &str) -> bool {
    COUNTRIES.codes.contains(code)
}

/// Every assigned code, for suggestions and the schema.
pub fn codes() -> impl Iterator<Item = &'static str> {
    COUNTRIES.codes.iter().map(String::as_str)
}

/// The code of the country `name` names (`Switzerland`, `schweiz` → `CH`), ignoring
/// case and surrounding spaces.
pub fn code_of_name(name: &str) -> Option<&'static str> {
    COUNTRIES
        .by_name
        .get(&name.trim().to_lowercase())
        .map(String::as_str)
}

/// Every name with its code, for the test that holds the names to the codes.
pub fn names() -> impl Iterator<Item = (&'static str, &'static str)> {
    COUNTRIES
        .by_name
        .iter()
        .map(|(name, code)| (name.as_str(), code.as_str()))
}
