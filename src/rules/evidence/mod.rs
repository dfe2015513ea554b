//! Evidence paths (SRM032, SRM033, SRM037): resolved inside the repository, never
//! followed outside it; a file or folder found inside is looked at only to tell a stub
//! from a record (SRM037), and never printed. URLs are not fetched. One pass judges
//! each distinct path once; each code's file holds its registry entry and finding.

pub mod srm032;
pub mod srm033;
pub mod srm037;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use foldhash::HashMap;

use crate::diag::Finding;
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use crate::rules::file::srm021::SRM021;
use crate::text::Sp;
use crate::text::evidence_file;
use crate::text::fs::{self, RepoRoots, Resolved};

/// Where evidence paths are resolved from.
#[derive(Debug, Clone)]
pub struct EvidenceBase {
    /// The controls file's folder: paths are relative to it.
    pub file_dir: PathBuf,
    /// The nearest ancestor holding `.git`, or `file_dir` when there is none.
    pub repo_root: PathBuf,
    /// `repo_root` with its symbolic links resolved, when a caller checking many files
    /// under one root has worked it out once.
    pub canonical_root: Option<Arc<Path>>,
}

impl EvidenceBase {
    /// The base for a controls file at `path`.
    pub fn for_file(path: &Path) -> Self {
        let file_dir = fs::absolute(fs::folder_of(path));
        EvidenceBase {
            repo_root: RepoRoots::default()
                .root_of(&file_dir)
                .unwrap_or_else(|| file_dir.clone()),
            file_dir,
            canonical_root: None,
        }
    }

    /// The repository root and the file's folder, their symbolic links resolved.
    fn canonical(&self) -> (PathBuf, PathBuf) {
        let repo_root = (self.canonical_root.as_deref())
            .map_or_else(|| fs::canonical(&self.repo_root), Path::to_path_buf);
        let file_dir = fs::canonical_below(&self.repo_root, &repo_root, &self.file_dir);
        (repo_root, file_dir)
    }
}

pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let base = context.evidence;
    // Many entries cite the same runbook, and resolving symlinks costs a system call
    // per path component: each distinct path is looked at once per file.
    let mut judged: HashMap<&str, Option<Finding>> =
        HashMap::with_capacity_and_hasher(file.entries.len(), Default::default());
    // Resolved once, and only for a file that cites a path.
    let mut canonical: Option<(PathBuf, PathBuf)> = None;
    for entry in &file.entries {
        let Some(evidence) = &entry.evidence else {
            continue;
        };
        for item in &evidence.value {
            let verdict = judged
                .entry(item.value.as_str())
                .or_insert_with(|| check_one(item, base, &mut canonical));
            if let Some(finding) = verdict {
                let mut finding = finding.clone().control(entry.control.value.clone());
                finding.problem.span = item.span.clone();
                findings.push(finding);
            }
        }
    }
}

fn check_one(
    item: &Sp<String>,
    base: &EvidenceBase,
    canonical: &mut Option<(PathBuf, PathBuf)>,
) -> Option<Finding> {
    let text = item.value.as_str();
    if text.trim().is_empty() {
        return None;
    }
    let (message, label, help) = match classify(text) {
        Kind::Url => return None,
        Kind::NoHost => (
            format!("evidence `{text}` is not a web address: it names no host"),
            "no host after the scheme",
            "write the address in full, `https://host/path`",
        ),
        Kind::OtherScheme(scheme) => (
            format!("evidence `{text}` is a `{scheme}:` link, neither a web address nor a path"),
            "not an evidence link",
            "cite an `https://` (or `http://`) address, or a path inside the repository relative to the controls file's folder",
        ),
        Kind::Path(path) => {
            let (repo_root, file_dir) = canonical.get_or_insert_with(|| base.canonical());
            return match fs::resolve_inside_canonical(repo_root, file_dir, path) {
                Resolved::Inside(found) => {
                    evidence_file::judge(&found).map(|stub| srm037::placeholder(item, &stub))
                }
                Resolved::Outside(why) => Some(srm033::outside(item, &why)),
                Resolved::Missing(why) => Some(srm032::missing(item, &why)),
            };
        }
    };
    Some(
        Finding::new(&SRM021, item.span.clone(), message)
            .label(label)
            .help(help),
    )
}

/// Where an evidence value leads, for a report that fingerprints it: `None` for a web
/// address or a value that is no evidence link; else the path resolved inside the
/// repository by the same resolution the check uses (never followed outside it).
pub fn resolve(text: &str, base: &EvidenceBase) -> Option<Resolved> {
    let Kind::Path(path) = classify(text) else {
        return None;
    };
    if text.trim().is_empty() {
        return None;
    }
    let (repo_root, file_dir) = base.canonical();
    Some(fs::resolve_inside_canonical(&repo_root, &file_dir, path))
}

/// Whether an evidence value is a web address (never fetched, never fingerprinted).
pub fn is_url(text: &str) -> bool {
    matches!(classify(text), Kind::Url)
}

/// What an evidence value is: a web address (never fetched), a link of another
/// scheme (not evidence), or a path (a `file:` URL is a path too).
enum Kind<'a> {
    Url,
    /// `https:` without `//host`: meant as a web address, but it cannot be opened.
    NoHost,
    OtherScheme(&'a str),
    Path(&'a str),
}

/// Whether an evidence value carries a scheme (`https:`, `file:`, `mailto:`...): a
/// URI to write as it stands, not a repository path.
pub fn has_scheme(text: &str) -> bool {
    !matches!(classify(text), Kind::Path(path) if path == text)
}

/// Whether an evidence value may be handed on as a link: a web address with a host,
/// or a path. Another scheme (`javascript:`, `ftp:`) is SRM021, never a link.
pub fn is_linkable(text: &str) -> bool {
    matches!(classify(text), Kind::Url | Kind::Path(_))
}

/// The repository path an evidence value names (a `file:` URL's path included), or
/// `None` for a web address or a link of another scheme.
pub fn local_path(text: &str) -> Option<&str> {
    match classify(text) {
        Kind::Path(path) => Some(path),
        _ => None,
    }
}

fn classify(text: &str) -> Kind<'_> {
    let Some((scheme, rest)) = text.split_once(':') else {
        return Kind::Path(text);
    };
    // A one-letter scheme is a Windows drive: a path (an absolute one).
    let is_scheme = scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return Kind::Path(text);
    }
    if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
        let has_host = rest
            .strip_prefix("//")
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with(['/', '?', '#']));
        return if has_host { Kind::Url } else { Kind::NoHost };
    }
    if scheme.eq_ignore_ascii_case("file") {
        // `file:///etc/x` and `file:/etc/x` name absolute paths, `file:docs/x` a relative
        // one; `file://host/etc/x` (`localhost` or any host) names `/etc/x` on that
        // host: absolute too, whatever the host.
        return Kind::Path(match rest.strip_prefix("//") {
            Some(authority_and_path) => match authority_and_path.find('/') {
                Some(slash) => &authority_and_path[slash..],
                None => "/",
            },
            None => rest,
        });
    }
    Kind::OtherScheme(scheme)
}

#[cfg(test)]
mod tests {
    use super::{Kind, classify};

    #[test]
    fn only_web_addresses_are_urls_and_file_urls_are_paths() {
        assert!(matches!(classify("https://wiki.example/page"), Kind::Url));
        assert!(matches!(classify("HTTP://wiki.example/page"), Kind::Url));
        assert!(matches!(
            classify("file:///etc/passwd"),
            Kind::Path("/etc/passwd")
        ));
        assert!(matches!(
            classify("file:docs/x.md"),
            Kind::Path("docs/x.md")
        ));
        assert!(matches!(
            classify("javascript:alert(1)"),
            Kind::OtherScheme("javascript")
        ));
        assert!(matches!(classify("ftp://x"), Kind::OtherScheme("ftp")));
        assert!(matches!(classify("https:wiki/page"), Kind::NoHost));
        assert!(matches!(classify("https:///etc/passwd"), Kind::NoHost));
        assert!(matches!(classify("C:\\evidence.txt"), Kind::Path(_)));
        assert!(matches!(
            classify("docs/runbook.md"),
            Kind::Path("docs/runbook.md")
        ));
    }
}
