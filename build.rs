//! Prepares embedded data at build time, so a run does not parse TOML at start:
//! `policies/countries.toml` becomes two sorted tables of Rust constants
//! (`$OUT_DIR/countries.rs`, included by `src/data/countries.rs`), and the embedded
//! matrix `policies/exoscale.toml` becomes JSON (`$OUT_DIR/exoscale.json`, read by
//! `src/data/matrix.rs`), which reads several times faster.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

fn main() {
    let dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let matrix = "policies/exoscale.toml";
    println!("cargo::rerun-if-changed={matrix}");
    let text = std::fs::read_to_string(matrix).expect("policies/exoscale.toml is readable");
    let value: toml::Table = text.parse().expect("policies/exoscale.toml is TOML");
    let json = serde_json::to_string(&value).expect("TOML values convert to JSON");
    std::fs::write(format!("{dir}/exoscale.json"), json).expect("OUT_DIR is writable");

    let source = "policies/countries.toml";
    println!("cargo::rerun-if-changed={source}");
    let text = std::fs::read_to_string(source).expect("policies/countries.toml is readable");
    let table: toml::Table = text.parse().expect("policies/countries.toml is TOML");
    let strings = |value: &toml::Value| -> Vec<String> {
        value
            .as_array()
            .expect("a list of strings")
            .iter()
            .map(|item| item.as_str().expect("a string").to_owned())
            .collect()
    };
    let codes: BTreeSet<String> = strings(&table["codes"]).into_iter().collect();
    // A name given twice keeps its last code, as a map built in order would.
    let mut by_name = BTreeMap::new();
    if let Some(names) = table.get("names").and_then(toml::Value::as_table) {
        let names: BTreeMap<&String, &toml::Value> = names.iter().collect();
        for (code, names) in names {
            for name in strings(names) {
                by_name.insert(name.to_lowercase(), code.clone());
            }
        }
    }
    let mut out = String::from("/// Every assigned code, sorted.\nstatic CODES: &[&str] = &[\n");
    for code in &codes {
        writeln!(out, "    {code:?},").unwrap();
    }
    out.push_str(
        "];\n/// (lower-case name, code), sorted by name.\nstatic NAMES: &[(&str, &str)] = &[\n",
    );
    for (name, code) in &by_name {
        writeln!(out, "    ({name:?}, {code:?}),").unwrap();
    }
    out.push_str("];\n");
    std::fs::write(format!("{dir}/countries.rs"), out).expect("OUT_DIR is writable");
}
