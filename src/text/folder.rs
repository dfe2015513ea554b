//! A folder opened once and read through its descriptor: its entries listed from it
//! and its files opened by name relative to it. Nothing is looked up again from `/`
//! for every file, and the folder read is the folder that was opened: a link swapped
//! in for it afterwards changes nothing. An [`Anchor`] (a repository root held open)
//! opens folders below it in one system call that the kernel refuses when the path
//! meets a symbolic link or climbs out of the root; whatever it refuses or cannot
//! do is left to the caller's own confinement, which says why.

use std::path::{Path, PathBuf};

/// What a listing says an entry is, without asking the file system again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Link,
    /// A folder, a pipe, a device, or a file system that does not say.
    Other,
}

/// A folder held open for listing and reading.
#[derive(Debug)]
pub struct OpenFolder {
    #[cfg(unix)]
    dir: rustix::fs::Dir,
    path: PathBuf,
}

impl OpenFolder {
    /// Opens the folder at `path`, following symbolic links: the caller has confined it.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use rustix::fs::{CWD, Mode};
            let fd = rustix::fs::openat(CWD, path, folder_flags(), Mode::empty())?;
            Self::from_fd(fd, path)
        }
        #[cfg(not(unix))]
        {
            if !path.is_dir() {
                return Err(std::io::Error::other("not a folder"));
            }
            Ok(Self {
                path: path.to_path_buf(),
            })
        }
    }

    #[cfg(unix)]
    fn from_fd(fd: rustix::fd::OwnedFd, path: &Path) -> std::io::Result<Self> {
        Ok(Self {
            dir: rustix::fs::Dir::new(fd)?,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every entry but `.` and `..`, in listing order; names that are not UTF-8 are
    /// shown with replacement characters (and cannot be opened by [`Self::read_file`]).
    pub fn entries(&mut self) -> std::io::Result<Vec<(String, EntryKind)>> {
        let mut entries = Vec::new();
        #[cfg(unix)]
        {
            use rustix::fs::FileType;
            while let Some(entry) = self.dir.read() {
                let entry = entry?;
                let name = entry.file_name().to_bytes();
                if name == b"." || name == b".." {
                    continue;
                }
                let kind = match entry.file_type() {
                    FileType::RegularFile => EntryKind::File,
                    FileType::Symlink => EntryKind::Link,
                    _ => EntryKind::Other,
                };
                entries.push((String::from_utf8_lossy(name).into_owned(), kind));
            }
        }
        #[cfg(not(unix))]
        {
            for entry in std::fs::read_dir(&self.path)? {
                let entry = entry?;
                let kind = match entry.file_type() {
                    Ok(kind) if kind.is_symlink() => EntryKind::Link,
                    Ok(kind) if kind.is_file() => EntryKind::File,
                    _ => EntryKind::Other,
                };
                entries.push((entry.file_name().to_string_lossy().into_owned(), kind));
            }
        }
        Ok(entries)
    }

    /// Reads at most `limit + 1` bytes of the entry `name`, which the listing called a
    /// regular file: opened relative to the folder without following a link or waiting
    /// on a writer, and confirmed a regular file from the open file, as
    /// [`super::fs::read_listed_file`] does for a path.
    pub fn read_file(&self, name: &str, limit: u64) -> Result<Vec<u8>, String> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags};
            let cannot = |error: rustix::io::Errno| {
                format!("cannot read the file: {}", std::io::Error::from(error))
            };
            let dir = self.dir.fd().map_err(cannot)?;
            let flags = OFlags::RDONLY
                | OFlags::NOFOLLOW
                | OFlags::NONBLOCK
                | OFlags::NOCTTY
                | OFlags::CLOEXEC;
            let fd = rustix::fs::openat(dir, name, flags, Mode::empty()).map_err(cannot)?;
            let file = std::fs::File::from(fd);
            super::fs::read_open_file(file, limit)
        }
        #[cfg(not(unix))]
        {
            super::fs::read_listed_file(&self.path.join(name), limit)
        }
    }
}

#[cfg(unix)]
fn folder_flags() -> rustix::fs::OFlags {
    use rustix::fs::OFlags;
    OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NONBLOCK | OFlags::CLOEXEC
}

/// A repository root held open, to open folders below it.
#[derive(Debug)]
pub struct Anchor {
    #[cfg(target_os = "linux")]
    fd: rustix::fd::OwnedFd,
}

impl Anchor {
    /// Holds `root` open; `None` where the system cannot (then every folder takes the
    /// caller's own way).
    pub fn open(root: &Path) -> Option<Self> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{CWD, Mode, OFlags};
            let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
            rustix::fs::openat(CWD, root, flags, Mode::empty())
                .ok()
                .map(|fd| Self { fd })
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = root;
            None
        }
    }

    /// Opens the folder `relative` (plain names, no `..`) below the root, shown as
    /// `path`, when no part of the way is a symbolic link: the kernel resolves it and
    /// refuses a link or a way out. `None` for anything else (missing, a file, a link
    /// on the way, a kernel without `openat2`): the caller confines the path itself and
    /// says what is wrong.
    pub fn open_folder(&self, relative: &Path, path: &Path) -> Option<OpenFolder> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, ResolveFlags};
            let relative = if relative.as_os_str().is_empty() {
                Path::new(".")
            } else {
                relative
            };
            let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS;
            let fd =
                rustix::fs::openat2(&self.fd, relative, folder_flags(), Mode::empty(), resolve)
                    .ok()?;
            OpenFolder::from_fd(fd, path).ok()
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = (relative, path);
            None
        }
    }
}
