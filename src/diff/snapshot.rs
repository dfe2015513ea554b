//! The Terraform of a revision, for `srmlint diff`: each side's Terraform is read as
//! it is at that side's revision, not from the work tree. The revision's Terraform
//! files (`.tf`, `.tf.json`, `.tofu`, var files, JSON plans) are written to a private
//! temporary folder laid out like the repository, and the files git ignores
//! (`terraform.tfvars`, `.terraform/`), which no commit holds, are copied in from the
//! work tree, so both sides read the same ignored files and they never show as a
//! change. The folder is removed when the snapshot is dropped.

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::git::Repository;
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

impl Snapshot {
    /// The Terraform files of `commit`, and the ignored ones of the work tree.
    pub fn of(repository: &Repository, commit: &str) -> Result<Self, Error> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "srmlint-diff-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).map_err(|error| {
            Error::new(format!(
                "cannot make a folder for the revision's Terraform: {error}"
            ))
        })?;
        let snapshot = Self { root };
        let files: Vec<_> = repository
            .tree(commit)?
            .into_iter()
            .filter(|file| is_terraform_file(&file.path))
            .collect();
        let blobs: Vec<&str> = files.iter().map(|file| file.blob.as_str()).collect();
        let contents = repository.read_blobs(&blobs)?;
        for (file, bytes) in files.iter().zip(contents) {
            snapshot.write(&file.path, &bytes)?;
        }
        for path in repository.ignored_files(TERRAFORM_GLOBS) {
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
        std::fs::write(&target, bytes)
            .map_err(|error| Error::new(format!("cannot write the revision's Terraform: {error}")))
    }
}
