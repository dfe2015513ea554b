//! What a posture report assessed, so an auditor can tie it to exact inputs: the
//! srmlint version, the matrix (title, version, digest of the provider text it was read
//! from), the SHA-256 of every controls file, and the git commit the files lie in with
//! whether the work tree differed from it.
//!
//! git is run as a program, never through a shell, with fixed arguments only (no value
//! from a file reaches its command line). A report is still written without git, outside
//! a repository or in one with no commit: the commit is then null, and `note` says why.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;

use crate::data::matrix::Matrix;

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub srmlint: String,
    pub matrix: MatrixSource,
    /// Every controls file of the report, in the report's order.
    pub files: Vec<FileSource>,
    pub git: GitState,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixSource {
    pub title: String,
    /// The provider document's version as srmlint read it; null when the matrix has none.
    pub version: Option<String>,
    /// When that text was read (YYYY-MM-DD).
    pub retrieved: Option<String>,
    /// The SHA-256 of the provider text the matrix was decoded from.
    pub source_sha256: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileSource {
    pub path: String,
    /// The SHA-256 of the file's bytes; null when it could not be read as text.
    pub sha256: Option<String>,
}

/// The git commit holding the controls files. `commit` and `dirty` are null when they
/// cannot be known, and `note` says why; `note` is null when they are known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GitState {
    pub commit: Option<String>,
    /// Whether the work tree differed from `commit` (changed, staged or untracked
    /// files that git does not ignore).
    pub dirty: Option<bool>,
    pub note: Option<String>,
}

impl MatrixSource {
    pub fn of(matrix: &Matrix) -> Self {
        let info = &matrix.info;
        Self {
            title: info.title.clone(),
            version: info.version.clone(),
            retrieved: info.retrieved.as_ref().map(ToString::to_string),
            source_sha256: info.source_sha256.clone(),
        }
    }
}

impl GitState {
    /// Unknown, for `why`.
    pub fn unknown(why: &str) -> Self {
        Self {
            commit: None,
            dirty: None,
            note: Some(why.to_owned()),
        }
    }

    /// The state of the one work tree that holds every file of `paths` (as given: a
    /// relative path is taken from the working directory). Files in several work trees
    /// have no one commit, so that is said rather than picking one.
    pub fn of_files<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Self {
        let folders: BTreeSet<PathBuf> = paths
            .into_iter()
            .map(|path| crate::text::fs::folder_of(path).to_path_buf())
            .collect();
        let mut tops: BTreeSet<String> = BTreeSet::new();
        for folder in &folders {
            // A report on a large estate has thousands of folders: one inside a work tree
            // already found, with no repository of its own in between, needs no git run.
            if tops.iter().any(|top| within(folder, Path::new(top))) {
                continue;
            }
            match run(folder, &["rev-parse", "--show-toplevel"]) {
                Ok(Some(top)) => {
                    tops.insert(top);
                }
                Ok(None) => {
                    return Self::unknown("the controls files are not inside a git repository");
                }
                Err(why) => return Self::unknown(why),
            }
        }
        let Some(top) = tops.first() else {
            return Self::unknown("no controls file was read");
        };
        if tops.len() > 1 {
            return Self::unknown("the controls files lie in more than one git repository");
        }
        let top = Path::new(top);
        let commit = match run(top, &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]) {
            Ok(Some(commit)) => commit,
            Ok(None) => return Self::unknown("the git repository has no commit yet"),
            Err(why) => return Self::unknown(why),
        };
        // Untracked files count: a controls file or evidence that is not committed is
        // not what the commit holds. Ignored files do not.
        let status = ["status", "--porcelain", "--untracked-files=normal"];
        match run(top, &status) {
            Ok(changes) => Self {
                commit: Some(commit),
                dirty: Some(changes.is_some()),
                note: None,
            },
            Err(why) => Self {
                commit: Some(commit),
                dirty: None,
                note: Some(why.to_owned()),
            },
        }
    }
}

/// Whether `folder` lies in the work tree whose top is `top` and no folder between them
/// (itself included, `top` excluded) holds a `.git` of its own (a nested repository or
/// a submodule).
fn within(folder: &Path, top: &Path) -> bool {
    let Ok(folder) = std::fs::canonicalize(folder) else {
        return false;
    };
    let Ok(rest) = folder.strip_prefix(top) else {
        return false;
    };
    let mut current = folder.as_path();
    for _ in rest.components() {
        if current.join(".git").exists() {
            return false;
        }
        match current.parent() {
            Some(parent) => current = parent,
            None => return false,
        }
    }
    true
}

/// Runs git in `cwd`: `Ok(Some(output))` trimmed, `Ok(None)` when git printed nothing or
/// said no (not a repository, no such revision), `Err` with the reason when git could
/// not be run or refused to read the repository.
fn run(cwd: &Path, args: &[&str]) -> Result<Option<String>, &'static str> {
    let output = Command::new("git")
        .current_dir(cwd)
        .args(args)
        // No pager, no prompt, no lock taken by `status`, no replaced objects.
        .env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_NO_REPLACE_OBJECTS", "1")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output();
    let output = match output {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err("git is not installed or not on PATH");
        }
        Err(_) => return Err("git could not be run"),
    };
    if !output.status.success() {
        // git names an unsafe owner in its message; anything else is a plain no.
        let message = String::from_utf8_lossy(&output.stderr);
        if message.contains("dubious ownership") {
            return Err("git refused to read the repository (it is owned by another user)");
        }
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    Ok((!text.is_empty()).then_some(text))
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn a_folder_with_a_repository_of_its_own_is_not_within_the_outer_one() {
        let top = std::env::temp_dir().join(format!("srmlint-within-{}", std::process::id()));
        let inner = top.join("a/b");
        std::fs::create_dir_all(inner.join("c")).unwrap();
        let top = std::fs::canonicalize(&top).unwrap();
        assert!(within(&inner.join("c"), &top));
        assert!(within(&top, &top));
        std::fs::create_dir(inner.join(".git")).unwrap();
        assert!(!within(&inner.join("c"), &top));
        assert!(!within(&inner, &top));
        assert!(within(&top.join("a"), &top));
        assert!(!within(&std::env::temp_dir(), &top));
        std::fs::remove_dir_all(&top).unwrap();
    }
}
