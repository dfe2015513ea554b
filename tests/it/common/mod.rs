//! What every test module shares: the pinned date (`TODAY`), the repository's paths,
//! one way to run the built binary (`srmlint()`, with a deadline and a clean
//! environment), the runs most tests make (`check`, `check_json`) and the accessors of
//! what a run printed (`Run`), git with a fixed identity and clock (`git`), scratch
//! folders and repositories (`Scratch`), the tools some tests need and what happens
//! when one is missing (`tools`), the controls texts several modules check, the
//! hand-written service catalog (`catalog`), the terminal-safety check (`terminal`) and
//! the fuzz harness (`fuzzing`, which the fuzz target in `fuzz/` includes by path).

pub mod catalog;
pub mod fuzzing;
mod run;
mod scratch;
pub mod terminal;
mod tools;

use std::path::{Path, PathBuf};

pub use run::{DEADLINE, Run, Srmlint, check, check_json, srmlint, wait_within_deadline};
pub use scratch::{Scratch, git, git_with};
pub use tools::{require_python_module, require_tool, skip};

/// The date every test pins, so date rules are reproducible.
pub const TODAY: &str = "2026-11-28";

/// Writes `contents` to `path`, making its folders.
pub fn write(path: &Path, contents: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, contents).unwrap();
}

/// The repository root (the crate's manifest folder).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures")
}

/// The controls file written to attack output: escape sequences, bidi overrides,
/// HTML/XML/GitHub-command injection. Every format must show its text escaped.
pub fn hostile_fixture() -> PathBuf {
    fixtures().join("hostile/controls.toml")
}

/// A validator for SARIF 2.1.0, from the OASIS schema in `../shared/schemas`.
pub fn sarif_validator() -> jsonschema::Validator {
    let path = repo_root().join("../shared/schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    jsonschema::options()
        .should_validate_formats(true)
        .build(&json(&text))
        .expect("the SARIF schema compiles")
}

/// `text` parsed as JSON, or a failure that shows it.
pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}):\n{text}"))
}

/// The 1-based number of the first line of `text` that `matches`.
pub fn line_number(text: &str, matches: impl Fn(&str) -> bool) -> u64 {
    let index = text.lines().position(matches).expect("a line matches");
    index as u64 + 1
}

/// A controls file with every claim a Compute-only deployment owes, all clean.
pub const CLEAN: &str = include_str!("../../fixtures/policy/clean.controls.toml");

/// `CLEAN` with one claim's table replaced by `entry` (which starts with its header).
pub fn clean_with(control: &str, entry: &str) -> String {
    replace_table(CLEAN, control, entry)
}

/// `controls` with the table of `control` replaced by `entry`.
pub fn replace_table(controls: &str, control: &str, entry: &str) -> String {
    let header = format!("[controls.{control}]\n");
    let start = controls.find(&header).expect("the control is in the file");
    let end = controls[start + header.len()..]
        .find("\n[")
        .map_or(controls.len(), |offset| start + header.len() + offset + 1);
    format!(
        "{}{}\n\n{}",
        &controls[..start],
        entry.trim_end(),
        &controls[end..]
    )
}
