//! ISO 3166-1 alpha-2 country codes (`policies/countries.toml`): which two-letter
//! words a `residency` value may name as a country.

use std::collections::BTreeSet;
use std::sync::LazyLock;

const EMBEDDED_COUNTRIES: &str = include_str!("../../policies/countries.toml");

#[derive(serde::Deserialize)]
struct Countries {
    codes: BTreeSet<String>,
}

/// Parsed the first time a residency value is judged.
static CODES: LazyLock<BTreeSet<String>> = LazyLock::new(|| {
    toml::from_str::<Countries>(EMBEDDED_COUNTRIES)
        .expect("the embedded country list is checked by the test suite")
        .codes
});

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_country(code: &str) -> bool {
    CODES.contains(code)
}

/// Every assigned code, for suggestions and the schema.
pub fn codes() -> impl Iterator<Item = &'static str> {
    CODES.iter().map(String::as_str)
}
