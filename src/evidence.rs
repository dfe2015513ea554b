//! Evidence paths (SRM032, SRM033): checked for existence only, never read, never
//! followed outside the repository. URLs are not fetched.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::controls::{ControlsFile, Sp};
use crate::diagnostic::Finding;
use crate::rules;

/// Where evidence paths are resolved from.
#[derive(Debug, Clone)]
pub struct EvidenceBase {
    /// The controls file's folder: paths are relative to it.
    pub file_dir: PathBuf,
    /// The nearest ancestor holding `.git`, or `file_dir` when there is none.
    pub repo_root: PathBuf,
}

impl EvidenceBase {
    /// The base for a controls file at `path`.
    pub fn for_file(path: &Path) -> Self {
        EvidenceBases::new().for_file(path)
    }
}

/// Evidence bases for many files, with the shared work done once: the working directory is read once, and whether a folder
/// holds `.git` is asked once per folder instead of once per file below it.
pub struct EvidenceBases {
    working_dir: Option<PathBuf>,
    holds_git: HashMap<PathBuf, bool>,
}

impl Default for EvidenceBases {
    fn default() -> Self {
        Self::new()
    }
}

impl EvidenceBases {
    pub fn new() -> Self {
        Self {
            working_dir: std::env::current_dir().ok(),
            holds_git: HashMap::new(),
        }
    }

    pub fn for_file(&mut self, path: &Path) -> EvidenceBase {
        let file_dir = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let joined = match &self.working_dir {
            Some(working_dir) => working_dir.join(file_dir),
            None => file_dir.to_path_buf(),
        };
        let absolute_dir = std::path::absolute(&joined).unwrap_or(joined);
        let mut repo_root = None;
        for ancestor in absolute_dir.ancestors() {
            let holds_git = match self.holds_git.get(ancestor) {
                Some(&holds_git) => holds_git,
                None => {
                    let holds_git = ancestor.join(".git").exists();
                    self.holds_git.insert(ancestor.to_path_buf(), holds_git);
                    holds_git
                }
            };
            if holds_git {
                repo_root = Some(ancestor.to_path_buf());
                break;
            }
        }
        EvidenceBase {
            repo_root: repo_root.unwrap_or_else(|| absolute_dir.clone()),
            file_dir: absolute_dir,
        }
    }
}

/// Checks every evidence path of every entry.
pub fn check(file: &ControlsFile, base: &EvidenceBase) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Many entries cite the same runbook, and resolving symlinks costs a system call
    // per path component: each distinct path is looked at once per file.
    let mut judged: HashMap<&str, Option<Finding>> = HashMap::new();
    for entry in &file.entries {
        let Some(evidence) = &entry.evidence else {
            continue;
        };
        for item in &evidence.value {
            let verdict = judged
                .entry(item.value.as_str())
                .or_insert_with(|| check_one(item, base));
            if let Some(finding) = verdict {
                let mut finding = finding.clone().control(entry.control.value.clone());
                finding.span = item.span.clone();
                findings.push(finding);
            }
        }
    }
    findings
}

fn check_one(item: &Sp<String>, base: &EvidenceBase) -> Option<Finding> {
    let text = item.value.as_str();
    if text.trim().is_empty() || is_uri(text) {
        return None;
    }
    if is_absolute(text) {
        return Some(outside(item, "is absolute"));
    }
    let Some(relative_to_root) = lexical_join(base, text) else {
        return Some(outside(item, "leaves the repository root"));
    };
    let full = base.repo_root.join(&relative_to_root);
    if full.symlink_metadata().is_err() {
        return Some(
            Finding::new(
                &rules::SRM032,
                item.span.clone(),
                format!("evidence `{text}` does not exist"),
            )
            .label("no such file or folder")
            .help(format!(
                "paths are relative to the controls file's folder; nothing exists at `{}` in the repository",
                relative_to_root.display()
            )),
        );
    }
    // A symlink inside the repository may still point out of it: resolve and compare,
    // without opening the target.
    if let (Ok(resolved), Ok(root)) = (full.canonicalize(), base.repo_root.canonicalize())
        && !resolved.starts_with(&root)
    {
        return Some(outside(
            item,
            "resolves through a symlink to outside the repository",
        ));
    }
    None
}

fn outside(item: &Sp<String>, why: &str) -> Finding {
    Finding::new(
        &rules::SRM033,
        item.span.clone(),
        format!("evidence `{}` {why}", item.value),
    )
    .label("outside the repository")
    .help("cite a path inside the repository, relative to the controls file's folder, or a URL")
}

/// `https://…`, `mailto:…` and other URIs; a one-letter scheme is a Windows drive.
fn is_uri(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn is_absolute(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.starts_with('/')
        || text.starts_with('\\')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
        || Path::new(text).is_absolute()
}

/// The evidence path relative to the repository root, resolving `.` and `..` by text
/// alone; `None` when it climbs above the root.
fn lexical_join(base: &EvidenceBase, text: &str) -> Option<PathBuf> {
    let dir_in_root = base.file_dir.strip_prefix(&base.repo_root).ok()?;
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    let normalized = text.replace('\\', "/");
    let evidence = Path::new(&normalized);
    for component in dir_in_root.components().chain(evidence.components()) {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

#[cfg(test)]
mod tests {
    use super::{is_absolute, is_uri};

    #[test]
    fn tells_uris_from_paths() {
        assert!(is_uri("https://wiki.example/page"));
        assert!(is_uri("mailto:sec@example.com"));
        assert!(!is_uri("C:\\evidence.txt"));
        assert!(!is_uri("docs/runbook.md"));
        assert!(is_absolute("/etc/passwd"));
        assert!(is_absolute("C:\\x"));
        assert!(!is_absolute("docs/x.md"));
    }
}
