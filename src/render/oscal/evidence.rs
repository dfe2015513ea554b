//! Where a deployment's SSP is written, and how it points at the repository from there:
//! evidence files and folders become back-matter resources whose `rlinks` hrefs are
//! relative to the SSP's own folder, a file's with its SHA-256; the controls file is
//! named by its path from the repository root. No absolute path of the machine is
//! written: when the SSP's folder lies outside the repository, a relative href would
//! climb to the file system's root and spell the machine's paths out, so the resources
//! carry their repository path and digest without an href.

use std::path::{Component, Path, PathBuf};

use crate::rules::evidence;
use crate::text::fs::{self, Resolved};

/// The folder an SSP is written into, which its relative hrefs start from.
#[derive(Debug, Clone)]
pub struct Placement {
    folder: PathBuf,
}

impl Placement {
    /// For `--output FILE`: the file's folder; for standard output, and for a device
    /// or pipe that `--output` writes through (`/dev/stdout`), the working directory.
    pub fn for_output(output: Option<&Path>) -> Self {
        let writes_a_file = output.filter(|path| {
            matches!(
                fs::output_target(path),
                Ok(fs::Target::New | fs::Target::File)
            )
        });
        let folder = match writes_a_file {
            Some(path) => fs::absolute(fs::folder_of(path)),
            None => fs::working_dir().to_path_buf(),
        };
        Self {
            folder: fs::canonical(&folder),
        }
    }
}

/// A controls file, placed in its repository.
pub(super) struct Located {
    /// The repository root, every link resolved.
    root: PathBuf,
    /// The controls file's folder, every link resolved.
    file_dir: PathBuf,
    /// The controls file's path from the repository root, `/`-separated.
    pub file: String,
    /// The SSP's folder, when it lies inside the repository.
    folder: Option<PathBuf>,
}

/// What an evidence entry becomes in the SSP.
pub(super) enum Cited {
    /// A file or folder inside the repository: a back-matter resource.
    Local(LocalEvidence),
    /// A web address: a link as it is (never fetched, so never hashed).
    Url,
    /// Nothing to point at: missing, outside the repository, not a link (SRM021,
    /// SRM032, SRM033 say why, in the verdict's remarks).
    Nothing,
}

pub(super) struct LocalEvidence {
    /// The path from the repository root, `/`-separated: the resource's subject.
    pub path: String,
    /// Relative to the SSP's folder; `None` when that folder is outside the repository.
    pub href: Option<String>,
    /// SHA-256 of a regular file, lowercase hex; `None` for a folder, or a file that
    /// could not be read.
    pub sha256: Option<String>,
    pub is_folder: bool,
}

impl Located {
    /// `file` as the report names it (the path given on the command line).
    pub fn of(file: &str, placement: &Placement) -> Self {
        let absolute = fs::absolute(Path::new(file));
        let file_dir = fs::canonical(fs::folder_of(&absolute));
        let root = fs::RepoRoots::default()
            .root_of(&file_dir)
            .unwrap_or_else(|| file_dir.clone());
        let root = fs::canonical(&root);
        let name = absolute.file_name().map_or_else(
            || file.to_owned(),
            |name| name.to_string_lossy().into_owned(),
        );
        let shown = file_dir
            .join(&name)
            .strip_prefix(&root)
            .map_or(name, fs::display_path);
        let folder = placement
            .folder
            .starts_with(&root)
            .then(|| placement.folder.clone());
        Self {
            root,
            file_dir,
            file: shown,
            folder,
        }
    }

    /// What the evidence entry `text` (as written in the controls file) becomes, with
    /// the SHA-256 the posture report already took of it (`None` for a folder). Nothing
    /// is read; nothing outside the repository is looked at (the one resolver confines
    /// every path, links included).
    pub fn cite(&self, text: &str, sha256: Option<String>) -> Cited {
        if text.trim().is_empty() || !evidence::is_linkable(text) {
            return Cited::Nothing;
        }
        let Some(path) = evidence::local_path(text) else {
            return Cited::Url;
        };
        let Resolved::Inside(target) =
            fs::resolve_inside_canonical(&self.root, &self.file_dir, path)
        else {
            return Cited::Nothing;
        };
        let is_folder = target.is_dir();
        let in_repo = target
            .strip_prefix(&self.root)
            .map(fs::display_path)
            .unwrap_or_default();
        let href = self.folder.as_deref().map(|folder| {
            let mut href = super::href(&relative_path(folder, &target).unwrap_or_default());
            if is_folder && !href.ends_with('/') {
                href.push('/');
            }
            href
        });
        Cited::Local(LocalEvidence {
            path: if in_repo.is_empty() {
                ".".to_owned()
            } else {
                in_repo
            },
            href,
            sha256: sha256.filter(|_| !is_folder),
            is_folder,
        })
    }
}

/// `to` relative to the folder `from` (both absolute), by text: `..` for each folder
/// of `from` below their common ancestor, then the rest of `to` (`../infra`); `.` for
/// the folder itself; `None` when they share no ancestor (another drive).
pub fn relative_path(from: &Path, to: &Path) -> Option<String> {
    fn normal(path: &Path) -> Vec<Component<'_>> {
        let mut parts = Vec::new();
        for component in path.components() {
            match component {
                Component::CurDir => {}
                Component::ParentDir => {
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        parts
    }
    let (from, to) = (normal(from), normal(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return None;
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|part| part.as_os_str().to_string_lossy().into_owned()),
    );
    Some(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}
