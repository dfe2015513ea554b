//! Prepares embedded data at build time, so a run does not parse TOML at start:
//! `policies/countries.toml` becomes two sorted tables of Rust constants
//! (`$OUT_DIR/countries.rs`, included by `src/data/countries.rs`), and the embedded
//! matrix `policies/exoscale.toml` becomes JSON (`$OUT_DIR/exoscale.json`, read by
//! `src/data/matrix.rs`), which reads several times faster. It also packs the
//! binary's relative relocations where the system can load them packed (see
//! [`pack_relative_relocations`]).

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
    pack_relative_relocations();
}

/// Links `srmlint` with its relative relocations packed (DT_RELR): at every start the
/// loader then reads a few kilobytes instead of some 280 KB of relocation entries,
/// most of what a one-file check spends before `main`. Only a native build on glibc
/// 2.36 or later, the first glibc whose loader reads them; elsewhere (an older glibc,
/// another libc or system, a cross build) the binary keeps the usual relocations.
fn pack_relative_relocations() {
    let var = |key: &str| std::env::var(key).unwrap_or_default();
    let linux_gnu = var("CARGO_CFG_TARGET_OS") == "linux" && var("CARGO_CFG_TARGET_ENV") == "gnu";
    if linux_gnu && var("TARGET") == var("HOST") && glibc_reads_packed_relocations() {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether the glibc this build script runs on (the target's, in a native build) is
/// 2.36 or later, as `getconf` tells ("glibc 2.36"); no answer counts as no.
fn glibc_reads_packed_relocations() -> bool {
    let Ok(output) = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
    else {
        return false;
    };
    let answer = String::from_utf8_lossy(&output.stdout);
    let mut parts = (answer
        .trim()
        .strip_prefix("glibc ")
        .unwrap_or_default()
        .split('.'))
    .map(|part| part.parse::<u32>().unwrap_or(0));
    output.status.success() && (parts.next().unwrap_or(0), parts.next().unwrap_or(0)) >= (2, 36)
}
