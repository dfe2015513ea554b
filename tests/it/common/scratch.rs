//! Scratch folders: fresh and empty for one test, removed when it passes and kept for
//! a look when it fails.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::run::{Srmlint, srmlint};

/// A fresh, empty folder for one test; removed on drop unless the test is failing.
/// Each one gets its own name (crate, process, a counter and `name`), so tests running
/// at once, and test binaries of other checkouts, never share one.
#[derive(Debug)]
pub struct Scratch {
    pub root: PathBuf,
}

impl Scratch {
    /// A folder under Cargo's temporary directory for tests (inside this project's
    /// repository, which is then the one srmlint finds above it).
    pub fn new(name: &str) -> Self {
        Self::create(Path::new(env!("CARGO_TARGET_TMPDIR")), name)
    }

    /// [`Scratch::new`] holding `.git`: a repository root of its own.
    pub fn git_root(name: &str) -> Self {
        let scratch = Self::new(name);
        std::fs::create_dir(scratch.root.join(".git")).unwrap();
        scratch
    }

    /// A folder in the system's temporary folder, outside this project's repository
    /// (for behaviour outside any repository).
    pub fn outside_repository(name: &str) -> Self {
        Self::create(std::env::temp_dir(), name)
    }

    fn create(parent: impl AsRef<Path>, name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let root = parent.as_ref().join(format!(
            "srmlint-{}-{}-{}-{name}",
            env!("CARGO_CRATE_NAME"),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("a scratch folder can be made");
        Self { root }
    }

    /// Writes `contents` to `relative` under the root, making its folders; returns the
    /// file's path.
    pub fn write(&self, relative: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn path(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.root.join(relative)
    }

    /// Copies the folder `from`, its files and folders, to `relative` under the root
    /// (the examples it is used on hold no links).
    pub fn copy_in(&self, from: &Path, relative: impl AsRef<Path>) {
        fn copy(from: &Path, to: &Path) {
            std::fs::create_dir_all(to).unwrap();
            for entry in std::fs::read_dir(from).unwrap() {
                let entry = entry.unwrap();
                let target = to.join(entry.file_name());
                if entry.file_type().unwrap().is_dir() {
                    copy(&entry.path(), &target);
                } else {
                    std::fs::copy(entry.path(), &target).unwrap();
                }
            }
        }
        copy(from, &self.path(relative));
    }

    /// [`git`] in the root.
    pub fn git(&self, args: &[&str]) -> String {
        git(&self.root, args)
    }

    /// `git init` in the root, then everything in it added and committed.
    pub fn commit_all(&self) -> String {
        if !self.path(".git").exists() {
            self.git(&["init", "-q"]);
        }
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", "srmlint test files"]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// The binary, to be run in this folder.
    pub fn srmlint(&self) -> Srmlint {
        let mut command = srmlint();
        command.current_dir(&self.root);
        command
    }
}

/// Runs git in `dir` with a fixed identity and clock and no user or system
/// configuration, so a commit depends on the files alone; returns its stdout, trimmed.
/// A git that fails (or is missing) fails the test.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_with(dir, args, &[])
}

/// [`git`] with `env` set on top (another identity or date).
pub fn git_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_DEFAULT_HASH", "sha1")
        .env("GIT_AUTHOR_NAME", "srmlint tests")
        .env("GIT_AUTHOR_EMAIL", "tests@srmlint.invalid")
        .env("GIT_AUTHOR_DATE", "2026-11-28T00:00:00+00:00")
        .env("GIT_COMMITTER_NAME", "srmlint tests")
        .env("GIT_COMMITTER_EMAIL", "tests@srmlint.invalid")
        .env("GIT_COMMITTER_DATE", "2026-11-28T00:00:00+00:00")
        .envs(env.iter().copied())
        .output()
        .expect("git runs (install it: the tests make real repositories)");
    assert!(
        output.status.success(),
        "git {args:?} in {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// A scratch folder stands for its root wherever a path is asked for
/// (`common::check(&repo, ...)`).
impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.root
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}
