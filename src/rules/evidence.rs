//! Evidence paths (SRM032, SRM033): checked for existence only, never read, never
//! followed outside the repository. URLs are not fetched.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::text::Sp;
use crate::text::fs::{self, RepoRoots};

pub static SRM032: BuiltinRule = BuiltinRule {
    code: "SRM032",
    name: "evidence-not-found",
    severity: Severity::Error,
    summary: "A repository-relative evidence path does not exist.",
    doc: include_str!("../../docs/rules/SRM032.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM033: BuiltinRule = BuiltinRule {
    code: "SRM033",
    name: "evidence-outside-repo",
    severity: Severity::Error,
    summary: "An evidence path is absolute or escapes the repository root.",
    doc: include_str!("../../docs/rules/SRM033.md"),
    waivable: true,
    fixed_level: false,
};

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
        Self::with_roots(path, &mut RepoRoots::default())
    }

    /// The base for a controls file at `path`, with repository roots found through
    /// `roots` (shared by the files of one worker).
    pub fn with_roots(path: &Path, roots: &mut RepoRoots) -> Self {
        let file_dir = roots.absolute(fs::folder_of(path));
        EvidenceBase {
            repo_root: roots.root_of(&file_dir).unwrap_or_else(|| file_dir.clone()),
            file_dir,
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
                &SRM032,
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
        &SRM033,
        item.span.clone(),
        format!("evidence `{}` {why}", item.value),
    )
    .label("outside the repository")
    .help("cite a path inside the repository, relative to the controls file's folder, or a URL")
}

/// `https://…`, `mailto:…` and other URIs; a one-letter scheme is a Windows drive.
pub fn is_uri(text: &str) -> bool {
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
