//! The programs some tests drive (Chromium, compliance-trestle, openpyxl, pytest-lsp,
//! git, setpriv, ...): found here, and when one is missing, one rule. Under
//! `SRMLINT_REQUIRE_TOOLS` (which `.ci/run` sets; `CI`, as CI services set it, counts
//! too) a missing tool fails the test; elsewhere the test is skipped and says so on
//! stderr, naming the tool and how to install it. Never a silent pass.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The variable that turns a missing tool into a failure; `.ci/run` sets it.
pub const REQUIRE_TOOLS: &str = "SRMLINT_REQUIRE_TOOLS";

/// Whether a missing tool fails the test: `SRMLINT_REQUIRE_TOOLS` or `CI` set to
/// anything but empty, `0` or `false`.
pub fn tools_required() -> bool {
    [REQUIRE_TOOLS, "CI"].iter().any(|name| {
        std::env::var(name).is_ok_and(|value| !matches!(value.trim(), "" | "0" | "false"))
    })
}

/// What a test does without `what`: fails under [`tools_required`], otherwise prints
/// a note naming `what` and `install` and gives `None` (the caller returns: a skip).
pub fn skip<T>(what: &str, install: &str) -> Option<T> {
    assert!(
        !tools_required(),
        "{what} is required ({REQUIRE_TOOLS} or CI is set) and missing: {install}"
    );
    // Straight to the process's stderr: the test harness captures `eprintln!` of a
    // passing test, and a skip must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "note: skipped {}: {what} is missing ({install}; {REQUIRE_TOOLS}=1 turns this into a failure)",
        std::thread::current().name().unwrap_or("a test")
    );
    None
}

/// The program `name`: on `PATH`, else in the virtual environment `.ci/run` makes for
/// it under `target/` (`target/NAME-venv/bin/NAME`); when neither has it, [`skip`].
pub fn require_tool(name: &str, install: &str) -> Option<PathBuf> {
    find_tool(name).or_else(|| skip(&format!("`{name}`"), install))
}

/// The program `name` on `PATH` or in `target/NAME-venv/bin`, if there.
pub fn find_tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([super::repo_root().join(format!("target/{name}-venv/bin"))])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A Python that imports `module`: the one `variable` names, else the virtual
/// environment `target/VENV/bin/python` `.ci/run` makes, else `python3`; when none
/// can, [`skip`].
pub fn require_python_module(
    module: &str,
    variable: &str,
    venv: &str,
    install: &str,
) -> Option<PathBuf> {
    if let Some(python) = std::env::var_os(variable) {
        return Some(PathBuf::from(python));
    }
    let candidates = [
        super::repo_root()
            .join("target")
            .join(venv)
            .join("bin/python"),
        PathBuf::from("python3"),
    ];
    candidates
        .into_iter()
        .find(|python| {
            Command::new(python)
                .args(["-c", &format!("import {module}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success())
        })
        .or_else(|| skip(&format!("the Python module `{module}`"), install))
}
