//! What a posture report assessed, so an auditor can tie it to exact inputs: the
//! srmlint version, the matrix (title, version, digest of the provider text it was read
//! from), the SHA-256 of every controls file, and the git commit the files lie in with
//! whether the work tree differed from it.
//!
//! git is run as a program, never through a shell, with fixed arguments only (no value
//! from a file reaches its command line). A report is still written without git, outside
//! a repository or in one with no commit: the commit is then null, and `note` says why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::data::matrix::Matrix;

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub srmlint: String,
    pub matrix: MatrixSource,
    /// Every controls file of the report, in the report's order.
    pub files: Vec<FileSource>,
    pub git: GitState,
    /// Every `[rules]` level in effect for a file of the report, with the configuration
    /// file that set it. The report's statuses do not follow them (claims are judged by
    /// the rules' own levels); they are listed so a reader knows what `check` ran under.
    pub overrides: Vec<crate::check::LevelOverride>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
        let paths: Vec<&Path> = paths.into_iter().collect();
        let folders: BTreeSet<PathBuf> = paths
            .iter()
            .map(|path| crate::text::fs::folder_of(path).to_path_buf())
            .collect();
        // Each work tree met, by its top as git prints it, with a folder in it that
        // git is run in: the top is compared, never run in, so a path git prints
        // differently from the one on disk cannot point at another repository.
        let mut tops: BTreeMap<String, PathBuf> = BTreeMap::new();
        let mut outside = false;
        for folder in &folders {
            // A report on a large estate has thousands of folders: one inside a work tree
            // already found, with no repository of its own in between, needs no git run.
            if tops.keys().any(|top| within(folder, Path::new(top))) {
                continue;
            }
            match run(folder, &["rev-parse", "--show-toplevel"]) {
                Ok(Git::Said(top)) if !top.is_empty() => {
                    tops.entry(top).or_insert_with(|| folder.clone());
                }
                Ok(_) => outside = true,
                Err(why) => return Self::unknown(why),
            }
        }
        let Some(inside) = tops.values().next() else {
            return Self::unknown(if outside {
                "the controls files are not inside a git repository"
            } else {
                "no controls file was read"
            });
        };
        if outside {
            return Self::unknown("some of the controls files are not inside a git repository");
        }
        if tops.len() > 1 {
            return Self::unknown("the controls files lie in more than one git repository");
        }
        let commit = match run(
            inside,
            &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
        ) {
            Ok(Git::Said(commit)) if !commit.is_empty() => commit,
            Ok(_) => return Self::unknown("the git repository has no commit yet"),
            Err(why) => return Self::unknown(why),
        };
        // Untracked files count: a controls file or evidence that is not committed is
        // not what the commit holds. Ignored files do not, but a controls file the
        // report assessed is never taken from the commit unless git tracks it.
        let status = ["status", "--porcelain", "--untracked-files=normal"];
        let changed = match run(inside, &status) {
            Ok(Git::Said(changes)) => !changes.is_empty(),
            Ok(Git::No) => return Self::commit_only(commit, "git status failed"),
            Err(why) => return Self::commit_only(commit, why),
        };
        let mut tracked = vec!["ls-files", "--error-unmatch", "--"];
        let named: Vec<String> = paths
            .iter()
            .map(|path| {
                crate::text::fs::absolute(path)
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        tracked.extend(named.iter().map(String::as_str));
        let untracked = match run(inside, &tracked) {
            Ok(Git::Said(_)) => false,
            Ok(Git::No) => true,
            Err(why) => return Self::commit_only(commit, why),
        };
        Self {
            commit: Some(commit),
            dirty: Some(changed || untracked),
            note: untracked.then(|| "a controls file is not tracked by git".to_owned()),
        }
    }

    /// The commit, with whether the work tree differs from it unknown for `why`.
    fn commit_only(commit: String, why: &str) -> Self {
        Self {
            commit: Some(commit),
            dirty: None,
            note: Some(why.to_owned()),
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

/// What git answered.
pub(super) enum Git {
    /// It succeeded: its output, without the line ending it adds.
    Said(String),
    /// It said no (not a repository, no such revision, a file it does not track) or
    /// failed on the repository.
    No,
}

/// Runs git in `cwd`; `Err` with the reason when git could not be run or refused to
/// read the repository.
pub(super) fn run(cwd: &Path, args: &[&str]) -> Result<Git, &'static str> {
    let output = crate::text::git::command(cwd).args(args).output();
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
        return Ok(Git::No);
    }
    Ok(Git::Said(crate::text::git::line(&output.stdout)))
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
