//! Helpers shared by the integration tests: run the built binary, make scratch folders
//! and scratch repositories.

#![allow(dead_code, reason = "each test crate uses a different subset")]

pub mod guarded;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The built binary, run from the repository root with a clean environment for the
/// variables srmlint reads.
pub fn srmlint() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_srmlint"));
    command
        .current_dir(repo_root())
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_STEP_SUMMARY");
    command
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(command: &mut Command) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = command.output().expect("the binary runs");
    Run {
        code: status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

/// A fresh empty folder under the system temp dir, unique per process and call.
pub fn scratch_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "srmlint-test-{}-{}-{name}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn write(path: &Path, contents: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, contents).unwrap();
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|error| panic!("not JSON ({error}):\n{text}"))
}

/// A controls file with every claim a Compute-only deployment owes, all clean.
pub const CLEAN: &str = include_str!("../fixtures/policy/clean.controls.toml");

/// A folder under the target directory, emptied on creation.
pub struct Scratch {
    pub root: PathBuf,
}

impl Scratch {
    /// A fresh folder; with `git`, it is a repository root (holds `.git`).
    pub fn new(name: &str, git: bool) -> Self {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        if git {
            std::fs::create_dir_all(root.join(".git")).unwrap();
        }
        Self { root }
    }

    /// A fresh folder in the system's temporary folder, outside this project's git
    /// repository (for behaviour outside any repository).
    pub fn outside_repository(name: &str) -> Self {
        let root = std::env::temp_dir()
            .join(format!("srmlint-tests-{}", std::process::id()))
            .join(name);
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        Self { root }
    }

    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }
}

impl Run {
    /// The diagnostics of a `--format json` run.
    pub fn diagnostics(&self) -> Vec<serde_json::Value> {
        let document: serde_json::Value =
            serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
                panic!("not JSON ({error}):\n{}\n{}", self.stdout, self.stderr)
            });
        document["diagnostics"].as_array().unwrap().clone()
    }

    pub fn summary(&self) -> serde_json::Value {
        let document: serde_json::Value = serde_json::from_str(&self.stdout).unwrap();
        document["summary"].clone()
    }

    /// The diagnostics with this code.
    pub fn with_code(&self, code: &str) -> Vec<serde_json::Value> {
        self.diagnostics()
            .into_iter()
            .filter(|diagnostic| diagnostic["code"] == code)
            .collect()
    }
}

/// Runs `srmlint` with `args` in `cwd`.
/// Runs the binary in `cwd` with `args`.
pub fn srmlint_in(cwd: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_srmlint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        code: output.status.code().unwrap_or(-1),
    }
}

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
