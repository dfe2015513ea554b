//! ISO 3166-1 alpha-2 country codes (`policies/countries.toml`): which two-letter
//! words a `residency` value may name as a country, and the names people write for
//! a country, which a did-you-mean turns into its code. The list is turned into
//! sorted tables when the binary is built (`build.rs`), so nothing is parsed at run
//! time.

include!(concat!(env!("OUT_DIR"), "/countries.rs"));

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_country(code: &str) -> bool {
    CODES.binary_search(&code).is_ok()
}

/// Every assigned code, for suggestions and the schema.
pub fn codes() -> impl Iterator<Item = &'static str> {
    CODES.iter().copied()
}

/// The code of the country `name` names (`Switzerland`, `schweiz` → `CH`), ignoring
/// case and surrounding spaces.
pub fn code_of_name(name: &str) -> Option<&'static str> {
    let name = name.trim().to_lowercase();
    NAMES
        .binary_search_by(|(known, _)| (*known).cmp(name.as_str()))
        .ok()
        .map(|at| NAMES[at].1)
}

/// Every name with its code, for the test that holds the names to the codes.
pub fn names() -> impl Iterator<Item = (&'static str, &'static str)> {
    NAMES.iter().copied()
}
