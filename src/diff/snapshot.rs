//! The Terraform of a revision, for `srmlint diff`: each side's Terraform is read as
//! it is at that side's revision, not from the work tree. The revision's files that a
//! source may read — Terraform files (`.tf`, `.tf.json`, `.tofu`, var files, JSON
//! plans), the var files a controls file or the command line names whatever their
//! names, and what the revision's symbolic links lead to inside it —
//! are written to a private temporary folder laid out like the repository, links as
//! links, so a source is read there as `check` reads it (a link that leads out of the
//! repository leads out of that folder, and is refused). The files git ignores
//! (`terraform.tfvars`, `.terraform/`), which no commit holds, are copied in from the
//! work tree, so both sides read the same ignored files and they never show as a
//! change. The folder is removed when the snapshot is dropped.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::git::{Repository, TreeFile};
use crate::diag::Error;
use crate::text::fs;

/// The pathspec globs of the files a Terraform source may read.
pub const TERRAFORM_GLOBS: &[&str] = &[
    "**/*.tf",
    "**/*.tf.json",
    "**/*.tofu",
    "**/*.tofu.json",
    "**/*.tfvars",
    "**/*.tfvars.json",
    "**/*.json",
    "**/.terraform/modules/**",
];

/// Whether a repository path is a file a Terraform source may read.
pub fn is_terraform_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    // The endings of `TERRAFORM_GLOBS` (`**/*.tf`, ...), and whatever lies in `.terraform`.
    let mut endings = TERRAFORM_GLOBS
        .iter()
        .filter_map(|glob| glob.strip_prefix("**/*"));
    endings.any(|ending| name.ends_with(ending)) || path.split('/').any(|part| part == ".terraform")
}

/// A revision's Terraform written out; removed on drop.
#[derive(Debug)]
pub struct Snapshot {
    pub root: PathBuf,
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A repository path that stays inside the folder it is joined to.
fn plain_relative(path: &str) -> Option<&Path> {
    let relative = Path::new(path);
    relative
        .components()
        .all(|component| matches!(component, Component::Normal(_)))
        .then_some(relative)
}

/// The target of each symbolic link of `tree` (its blob), by the link's path.
pub fn link_targets(
    repository: &Repository,
    tree: &[TreeFile],
) -> Result<HashMap<String, String>, Error> {
    let links: Vec<&TreeFile> = tree.iter().filter(|file| file.link).collect();
    let blobs: Vec<&str> = links.iter().map(|link| link.blob.as_str()).collect();
    let targets = repository.read_blobs(&blobs)?;
    Ok((links.iter().zip(targets))
        .map(|(link, target)| {
            // Cut at a NUL, as git does when it checks the link out.
            let target = target.split(|&byte| byte == 0).next().unwrap_or_default();
            (
                link.path.clone(),
                String::from_utf8_lossy(target).into_owned(),
            )
        })
        .collect())
}

/// `path` (from the top of the tree) with the tree's links followed, `..` taken by
/// text as the file system takes it after a link; `None` when it climbs out of the
/// tree, meets an absolute link or loops. Only the tree is read, never the disk.
pub fn follow(path: &str, targets: &HashMap<String, String>) -> Option<String> {
    let mut done: Vec<String> = Vec::new();
    let mut rest: VecDeque<String> = path.split('/').map(str::to_owned).collect();
    let mut hops = 0;
    while let Some(part) = rest.pop_front() {
        match part.as_str() {
            "" | "." => {}
            ".." => {
                done.pop()?;
            }
            _ => {
                done.push(part);
                if let Some(target) = targets.get(&done.join("/")) {
                    hops += 1;
                    if hops > 40 || target.starts_with('/') {
                        return None;
                    }
                    done.pop();
                    let mut next: VecDeque<String> = target.split('/').map(str::to_owned).collect();
                    next.extend(rest);
                    rest = next;
                }
            }
        }
    }
    Some(done.join("/"))
}

/// The paths of `tree` a Terraform source may read at that revision: every Terraform
/// file and link, and the file that each of `named` (repository paths of var files
/// and `--terraform` paths) and each link with a Terraform file's name leads to,
/// whatever its name.
pub fn terraform_paths(
    tree: &[TreeFile],
    targets: &HashMap<String, String>,
    named: &[String],
) -> HashSet<String> {
    let files: HashSet<&str> = (tree.iter())
        .filter(|file| !file.link)
        .map(|file| file.path.as_str())
        .collect();
    let mut paths: HashSet<String> = (tree.iter())
        .filter(|file| file.link || is_terraform_file(&file.path))
        .map(|file| file.path.clone())
        .collect();
    let linked = (targets.iter())
        .filter(|(link, _)| is_terraform_file(link))
        .map(|(link, target)| match link.rsplit_once('/') {
            Some((folder, _)) => format!("{folder}/{target}"),
            None => target.clone(),
        });
    for wanted in named.iter().cloned().chain(linked) {
        if let Some(found) = follow(&wanted, targets)
            && files.contains(found.as_str())
        {
            paths.insert(found);
        }
    }
    paths
}

impl Snapshot {
    /// The files of `tree` (a commit's) that a Terraform source may read
    /// (`terraform_paths`), and the ignored ones of the work tree.
    pub fn of(
        repository: &Repository,
        tree: &[TreeFile],
        targets: &HashMap<String, String>,
        named: &[String],
    ) -> Result<Self, Error> {
        let snapshot = Self {
            root: private_folder()?,
        };
        let paths = terraform_paths(tree, targets, named);
        let files: Vec<&TreeFile> = (tree.iter())
            .filter(|file| !file.link && paths.contains(&file.path))
            .collect();
        let blobs: Vec<&str> = files.iter().map(|file| file.blob.as_str()).collect();
        let contents = repository.read_blobs(&blobs)?;
        for (file, bytes) in files.iter().zip(contents) {
            snapshot.write(&file.path, &bytes)?;
        }
        // The named files with the tree's links followed, and apart: git refuses a
        // whole list with a path beyond a link.
        let globs = TERRAFORM_GLOBS
            .iter()
            .map(|glob| format!(":(top,glob){glob}"));
        let literal = (named.iter())
            .filter_map(|path| follow(path, targets))
            .map(|path| format!(":(top,literal){path}"));
        let ignored = [globs.collect::<Vec<_>>(), literal.collect()];
        for path in ignored
            .iter()
            .filter(|specs| !specs.is_empty())
            .flat_map(|specs| repository.ignored_files(specs))
        {
            let Some(relative) = plain_relative(&path) else {
                continue;
            };
            // A regular file only, bounded: a link (which could lead out of the
            // repository) is left where it is.
            let on_disk = repository.root.join(relative);
            if !on_disk
                .symlink_metadata()
                .is_ok_and(|metadata| metadata.file_type().is_file())
            {
                continue;
            }
            let Ok(bytes) = fs::read_regular_file(&on_disk, 64 * 1024 * 1024) else {
                continue;
            };
            snapshot.write(&path, &bytes)?;
        }
        // Links last, so no file is written through one; one where an ignored folder
        // now lies, or below another link (no tree git accepts has one), is left out.
        #[cfg(unix)]
        for (link, target) in targets {
            let below_a_link =
                (link.match_indices('/')).any(|(at, _)| targets.contains_key(&link[..at]));
            let Some(relative) = plain_relative(link).filter(|_| !below_a_link) else {
                continue;
            };
            let at = snapshot.root.join(relative);
            if at.symlink_metadata().is_ok() {
                continue;
            }
            if let Some(parent) = at.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            // A target no link can hold (a NUL in it) leaves the link out: the
            // reader then says it does not exist.
            let _ = std::os::unix::fs::symlink(target, &at);
        }
        Ok(snapshot)
    }

    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let Some(relative) = plain_relative(path) else {
            return Ok(());
        };
        let target = self.root.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|error| {
                Error::new(format!("cannot write the revision's Terraform: {error}"))
            })?;
        }
        // A new file only, never through a link; one written already (named twice
        // among the ignored files) stays.
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .and_then(|mut file| std::io::Write::write_all(&mut file, bytes));
        match written {
            Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => Err(Error::new(
                format!("cannot write the revision's Terraform: {error}"),
            )),
            _ => Ok(()),
        }
    }
}

/// A new folder in the system's temporary folder that only this user may enter, made
/// at once under a name no one can guess: one there already (another user's, with
/// links waiting in it) is never used, and another name is tried.
fn private_folder() -> Result<PathBuf, Error> {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    let mut last = None;
    for _ in 0..16 {
        // Keys the standard library draws at random for each process.
        let mut random = std::collections::hash_map::RandomState::new().build_hasher();
        random.write_usize(COUNTER.fetch_add(1, Ordering::Relaxed));
        let root = std::env::temp_dir().join(format!(
            "srmlint-diff-{}-{:016x}",
            std::process::id(),
            random.finish()
        ));
        match builder.create(&root) {
            Ok(()) => return Ok(root),
            Err(error) => last = Some(error),
        }
    }
    Err(Error::new(format!(
        "cannot make a folder for the revision's Terraform: {}",
        last.map_or_else(String::new, |error| error.to_string())
    )))
}

#[cfg(all(test, unix))]
mod tests {
    use super::{Snapshot, private_folder};
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_snapshot_is_private_and_writes_through_no_link() {
        let snapshot = Snapshot {
            root: private_folder().unwrap(),
        };
        let mode = snapshot.root.metadata().unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        let victim = snapshot.root.with_extension("victim");
        std::fs::write(&victim, "mine").unwrap();
        std::fs::create_dir(snapshot.root.join("infra")).unwrap();
        std::os::unix::fs::symlink(&victim, snapshot.root.join("infra/main.tf")).unwrap();
        snapshot.write("infra/main.tf", b"revision").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "mine");
        std::fs::remove_file(victim).unwrap();
    }
}
