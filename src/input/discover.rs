//! Finding controls files: explicit paths are taken as given; directories are walked
//! for `controls.toml` and `*.controls.toml`, skipping `.git`, `target` and
//! `node_modules`, without following symlinks.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::config::{CONFIG_FILE_NAME, FolderSeen};
use crate::text::fs::{REPOSITORY_MARKER, display_path};
use crate::text::resolve::{self, Resolved};

/// Folders never walked into.
pub const SKIPPED_DIRS: &[&str] = &[".git", "target", "node_modules"];

/// A file to check: where it is, and how output names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub display: String,
    /// What the walk saw in the file's folder, when it saw it all (see
    /// [`FolderSeen`]); `None` for files named on the command line.
    pub folder: Option<FolderSeen>,
    /// The walk's listing reported a regular file (not a link, a pipe or a device), so
    /// it can be opened without asking for its metadata first.
    pub listed_file: bool,
    /// Why the file is not read at all (a symbolic link met while walking that leads
    /// nowhere or out of the repository): checking it is one SRM022 finding.
    pub refused: Option<String>,
}

impl Candidate {
    /// A file named as it is, nothing known of its folder.
    pub fn named(path: PathBuf, display: String) -> Self {
        Self {
            path,
            display,
            ..Self::default()
        }
    }
}

/// Something that went wrong while discovering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A path given on the command line does not exist or cannot be read: the tool
    /// cannot do its job (exit 2).
    BadArgument { path: String, message: String },
    /// A folder met while walking could not be read, or a symlink loop: a warning.
    Walk { path: String, message: String },
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub candidates: Vec<Candidate>,
    pub problems: Vec<Problem>,
}

pub fn is_controls_file_name(name: &str) -> bool {
    name == "controls.toml"
        || (name.ends_with(".controls.toml") && name.len() > ".controls.toml".len())
}

/// Discovers the controls files under `paths` (the current directory when empty),
/// handing each to `found` as soon as it is met, in walk order, so files can be
/// checked while the walk goes on. Which walked files are then checked is each file's
/// configuration's business.
pub fn discover_each(paths: &[PathBuf], found: &mut dyn FnMut(&Candidate)) -> Discovery {
    let mut discovery = Discovery::default();
    let default = [PathBuf::from(".")];
    let paths: &[_] = if paths.is_empty() { &default } else { paths };
    // A file reached under two spellings (`. ./controls.toml`, relative and absolute,
    // a link and its file) is checked once, as first met. Only several paths can
    // reach a file twice: a walk follows no link.
    let mut seen = HashSet::new();
    let mut found = |candidate: &Candidate| {
        let file = std::fs::canonicalize(&candidate.path);
        let first = paths.len() < 2 || seen.insert(file.unwrap_or_else(|_| candidate.path.clone()));
        if first {
            found(candidate);
        }
        first
    };
    for path in paths {
        let given = display_path(path);
        // The path is the user's, but a link of the repository it reaches must not
        // lead out of it (a workflow's `infra` committed as a link elsewhere).
        let metadata = resolve::command_line(path)
            .and_then(|()| std::fs::metadata(path).map_err(|error| error.to_string()));
        match metadata {
            Err(message) => discovery.problems.push(Problem::BadArgument {
                path: given,
                message,
            }),
            Ok(metadata) if metadata.is_dir() => walk(path, &given, &mut found, &mut discovery),
            Ok(_) => {
                let candidate = Candidate::named(path.clone(), given);
                if found(&candidate) {
                    discovery.candidates.push(candidate);
                }
            }
        }
    }
    discovery
        .candidates
        .sort_by(|a, b| a.display.cmp(&b.display));
    // Two files whose names are not UTF-8 can share a display path: only the same
    // file named twice is dropped.
    discovery
        .candidates
        .dedup_by(|a, b| a.display == b.display && a.path == b.path);
    discovery
}

/// Walks `root` in file-name order without following symlinks, skipping the folders
/// in `SKIPPED_DIRS` below it: how both controls files and policy folders are walked.
pub fn walk_tree(root: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(entry.file_type().is_dir()
                    && SKIPPED_DIRS.contains(&entry.file_name().to_string_lossy().as_ref()))
        })
}

/// What the walk has met so far in one folder it is listing.
#[derive(Default)]
struct Listing {
    repository_marker: bool,
    config_file: bool,
    /// One of the two names was a symbolic link: the file system is asked instead.
    unsure: bool,
}

impl Listing {
    fn meet(&mut self, entry: &walkdir::DirEntry) {
        let name = entry.file_name();
        let kind = entry.file_type();
        if name == REPOSITORY_MARKER || name == CONFIG_FILE_NAME {
            if kind.is_symlink() {
                self.unsure = true;
            } else if name == REPOSITORY_MARKER {
                self.repository_marker = true;
            } else {
                // A pipe or a device named like the configuration is refused unread
                // when it is loaded: it must not be skipped unseen.
                self.config_file = !kind.is_dir();
            }
        }
    }

    /// What is known of the folder once the walk meets `name` in it.
    fn seen_before(&self, name: &std::ffi::OsStr) -> Option<FolderSeen> {
        let met_both = name.as_encoded_bytes() > REPOSITORY_MARKER.as_bytes()
            && name.as_encoded_bytes() > CONFIG_FILE_NAME.as_bytes();
        (met_both && !self.unsure).then_some(FolderSeen {
            repository_marker: self.repository_marker,
            config_file: self.config_file,
        })
    }
}

fn walk(
    root: &Path,
    given: &str,
    found: &mut dyn FnMut(&Candidate) -> bool,
    discovery: &mut Discovery,
) {
    let mut walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    // The listing of each folder being walked, by depth: a folder's entries come
    // straight after it, those of its subfolders in between.
    let mut listings: Vec<Listing> = Vec::new();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| given.to_owned(), |path| shown_path(root, given, path));
                let message = error
                    .io_error()
                    .map_or_else(|| error.to_string(), ToString::to_string);
                // The folder named on the command line itself cannot be read: the tool
                // cannot do its job (exit 2). Below it, a warning and the walk goes on.
                discovery.problems.push(if error.depth() == 0 {
                    Problem::BadArgument { path, message }
                } else {
                    Problem::Walk { path, message }
                });
                continue;
            }
        };
        let depth = entry.depth();
        if let Some(folder) = depth.checked_sub(1).and_then(|up| listings.get_mut(up)) {
            folder.meet(&entry);
        }
        if entry.file_type().is_dir() {
            let skipped = SKIPPED_DIRS.contains(&entry.file_name().to_string_lossy().as_ref());
            if depth > 0 && skipped {
                walker.skip_current_dir();
            } else {
                listings.truncate(depth);
                listings.push(Listing::default());
            }
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if !is_controls_file_name(&name) {
            continue;
        }
        let display = shown_path(root, given, entry.path());
        // Symlinks are not followed: a linked controls file is checked where it lives.
        // Saying so keeps a linked controls file from passing unseen; one that leads
        // nowhere or out of the repository is unreadable (SRM022), its target never
        // looked at.
        let mut refused = None;
        if entry.file_type().is_symlink() {
            match resolve::walked_link(entry.path(), root) {
                Resolved::Inside(_) => {
                    discovery.problems.push(Problem::Walk {
                        path: display,
                        message: "a symbolic link, not followed while walking; pass it on the command line to check it".to_owned(),
                    });
                    continue;
                }
                Resolved::Outside(why) => refused = Some(format!("not read: it {why}")),
                Resolved::Missing(why) => {
                    refused = Some(format!("a symbolic link that leads nowhere ({why})"));
                }
            }
        }
        // Anything else with a controls file's name (a named pipe, a device) is a
        // candidate: the check reports it as unreadable (SRM022) without opening it.
        let folder = depth
            .checked_sub(1)
            .and_then(|up| listings.get(up))
            .and_then(|listing| listing.seen_before(entry.file_name()));
        let candidate = Candidate {
            path: entry.path().to_path_buf(),
            display,
            folder,
            listed_file: entry.file_type().is_file(),
            refused,
        };
        if found(&candidate) {
            discovery.candidates.push(candidate);
        }
    }
}

/// A walked path as output shows it: the folder as given joined
/// with the path under it, with no `./` prefix under `.`.
fn shown_path(root: &Path, given: &str, path: &Path) -> String {
    let Ok(relative) = path.strip_prefix(root) else {
        return display_path(path);
    };
    let relative = display_path(relative);
    if relative.is_empty() {
        given.to_owned()
    } else if given == "." {
        relative
    } else {
        format!("{}/{relative}", given.trim_end_matches('/'))
    }
}
