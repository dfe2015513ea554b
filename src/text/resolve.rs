//! The one resolver: every file srmlint reads because a repository names it
//! (configuration, policies, evidence, Terraform sources, var files and modules,
//! controls files met while walking) is located here, one path component at a time
//! below the repository root. Symbolic links are followed only while they stay inside
//! the repository; the moment one leads out the answer is "outside", naming the link,
//! and nothing beyond it is looked at — not opened, not even asked whether it exists.
//! Reads then open the resolved path, which holds no link, without following one.
//!
//! New code reads a file a repository names with [`read_confined`] (or, for a path
//! written in a file, [`resolve_inside`]); a path typed on the command line is the
//! user's own, checked once by [`command_line`] for links that leave its repository.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use super::fs::{REPOSITORY_MARKER, display_path, read_listed_file, working_dir};

/// Where a path named by a file in the repository leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// It exists inside the repository: the path with every symbolic link resolved.
    Inside(PathBuf),
    /// Nothing exists there; the sentence says why (a missing part, a dangling or
    /// looping link, a file used as a folder).
    Missing(String),
    /// It lies outside the repository; the sentence says how it gets there (and names
    /// the symbolic link that leads out, when one does).
    Outside(String),
}

/// The parts of `path`, as the resolver walks them.
fn parts_of<Parts: FromIterator<OsString>>(path: &Path) -> Parts {
    path.components()
        .map(|part| part.as_os_str().to_owned())
        .collect()
}

/// Links followed before a path counts as a loop (Linux gives up at 40 as well).
const MAX_LINK_HOPS: usize = 40;

/// `.git` (in any case, for case-insensitive file systems): git's folder holds the
/// runner's settings (a remote URL with a token), not the checkout, so a path the
/// checkout names through it, by text or by a link, is refused as outside and never
/// looked at.
fn is_git(part: &std::ffi::OsStr) -> bool {
    part.eq_ignore_ascii_case(REPOSITORY_MARKER)
}

/// Whether a part of `path` is `.git` (see [`is_git`]): for the quick ways to a
/// folder that skip [`resolve_parts`] when no link is on the way.
pub fn names_git(path: &Path) -> bool {
    path.components().any(|part| is_git(part.as_os_str()))
}

/// The reason given for a path into `.git`, by text or through the symbolic link `link`.
pub fn in_git(link: Option<&str>) -> String {
    match link {
        Some(link) => {
            format!("leads into `.git`, outside the checkout, through a symlink (`{link}`)")
        }
        None => "lies in `.git`, outside the checkout".to_owned(),
    }
}

/// The reason given for a path that a symbolic link leads out of the repository.
pub fn through_link(link: &str) -> String {
    format!("leads outside the repository through a symlink (`{link}`)")
}

/// Resolves `path` (as written in a file: `/` or `\` separated, relative to the folder
/// `from`) inside the repository at `root`, one component at a time, following
/// symbolic links only while they stay inside: the moment a link or a `..` leads out
/// of the repository the answer is `Outside`, and nothing beyond is looked at — not
/// even whether it exists. `..` is taken physically, after the links before it, so
/// `docs/missing/../e.md` needs `docs/missing` to exist. `root` and `from` must be
/// absolute; they are resolved first.
pub fn resolve_inside(root: &Path, from: &Path, path: &str) -> Resolved {
    resolve_inside_canonical(&canonical(root), &canonical(from), path)
}

/// `path` with every symbolic link resolved, or as given when that fails.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// [`canonical`] of the folder `dir` under `root`, whose canonical form
/// `canonical_root` is known: only the parts of `dir` below `root` are looked at, one
/// `lstat` each, instead of resolving every part from `/` again. Anything but plain
/// names below `root`, or a symbolic link among them, is resolved in full.
pub fn canonical_below(root: &Path, canonical_root: &Path, dir: &Path) -> PathBuf {
    let Ok(below) = dir.strip_prefix(root) else {
        return canonical(dir);
    };
    let mut resolved = canonical_root.to_path_buf();
    for part in below.components() {
        let Component::Normal(name) = part else {
            return canonical(dir);
        };
        resolved.push(name);
        let is_plain_folder = resolved
            .symlink_metadata()
            .is_ok_and(|metadata| metadata.is_dir());
        if !is_plain_folder {
            return canonical(dir);
        }
    }
    resolved
}

/// [`resolve_inside`] with `root` and `from` already [`canonical`]: a file that names
/// many paths resolves its folders once.
pub fn resolve_inside_canonical(root: &Path, from: &Path, path: &str) -> Resolved {
    let normalized = path.replace('\\', "/");
    if is_absolute_path(&normalized) {
        return Resolved::Outside("is an absolute path".to_owned());
    }
    let Ok(from_in_root) = from.strip_prefix(root) else {
        return Resolved::Outside("is relative to a folder outside the repository".to_owned());
    };
    // `from` must be resolved: a `..` left in it would climb by the text alone.
    if from_in_root
        .components()
        .any(|part| !matches!(part, Component::Normal(_)))
    {
        return Resolved::Outside("is relative to a folder that is not resolved".to_owned());
    }
    let stack = parts_of(from_in_root);
    let pending = parts_of(Path::new(&normalized));
    resolve_parts(root, stack, pending, normalized.ends_with('/'))
}

/// The resolver itself: `stack` is where it stands below the canonical `root`,
/// `pending` what is left to walk. Every component is looked at with `lstat`; a link
/// is read (never followed by the system) and its target walked in its place, unless
/// it is absolute outside `root` or climbs above it.
fn resolve_parts(
    root: &Path,
    mut stack: Vec<OsString>,
    mut pending: VecDeque<OsString>,
    wants_folder: bool,
) -> Resolved {
    let mut hops = 0;
    // The last link followed, as shown from the root: a way out is blamed on it.
    let mut through: Option<String> = None;
    let shown = |stack: &[OsString]| display_path(&stack.iter().collect::<PathBuf>());
    while let Some(part) = pending.pop_front() {
        if part == "." || part.is_empty() {
            continue;
        }
        if part == ".." {
            if stack.pop().is_none() {
                return Resolved::Outside(match &through {
                    Some(link) => through_link(link),
                    None => "leaves the repository root".to_owned(),
                });
            }
            continue;
        }
        if is_git(&part) {
            return Resolved::Outside(in_git(through.as_deref()));
        }
        let here: PathBuf = std::iter::once(root.as_os_str())
            .chain(stack.iter().map(|part| part.as_os_str()))
            .chain(std::iter::once(part.as_os_str()))
            .collect();
        let Ok(metadata) = here.symlink_metadata() else {
            stack.push(part);
            return Resolved::Missing(format!("`{}` does not exist", shown(&stack)));
        };
        if metadata.file_type().is_symlink() {
            hops += 1;
            if hops > MAX_LINK_HOPS {
                return Resolved::Missing("symbolic links that loop".to_owned());
            }
            let Ok(target) = std::fs::read_link(&here) else {
                return Resolved::Missing(format!("`{}` cannot be read", display_path(&here)));
            };
            let mut link = stack.clone();
            link.push(part);
            let link = shown(&link);
            let target_parts: Vec<OsString> = if target.has_root() || target.is_absolute() {
                let Ok(inside) = target.strip_prefix(root) else {
                    return Resolved::Outside(through_link(&link));
                };
                stack.clear();
                parts_of(inside)
            } else {
                parts_of(&target)
            };
            through = Some(link);
            for target_part in target_parts.into_iter().rev() {
                pending.push_front(target_part);
            }
            continue;
        }
        let more = pending.iter().any(|rest| rest != ".");
        if !metadata.is_dir() && (more || wants_folder || !pending.is_empty()) {
            stack.push(part);
            return Resolved::Missing(format!("`{}` is a file, not a folder", shown(&stack)));
        }
        stack.push(part);
    }
    // The walk may have started inside `.git` (a file named there on the command line
    // or as `--stdin-filename`) and stayed there.
    if stack.iter().any(|part| is_git(part)) {
        return Resolved::Outside(in_git(through.as_deref()));
    }
    Resolved::Inside(root.join(stack.iter().collect::<PathBuf>()))
}

/// `/x`, `\x` and `C:x`: paths that do not start from a folder of the repository.
pub fn is_absolute_path(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.starts_with('/')
        || text.starts_with('\\')
        || (bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':')
        || Path::new(text).is_absolute()
}

/// Confines `path`, an absolute path that lies (by its text) under the repository
/// root `root`: the same path with every link below the root resolved, when it
/// exists and every link on the way stays inside. The error is the reason in a few
/// words ("does not exist", "leads outside the repository through a symlink (`x`)").
/// The path returned starts with `root` as given and holds no link below it.
pub fn confine(root: &Path, path: &Path) -> Result<PathBuf, String> {
    let Ok(relative) = path.strip_prefix(root) else {
        return Err("leaves the repository".to_owned());
    };
    let mut pending = VecDeque::new();
    for part in relative.components() {
        match part {
            Component::Normal(name) => pending.push_back(name.to_owned()),
            Component::CurDir => {}
            Component::ParentDir => pending.push_back(OsString::from("..")),
            _ => return Err("leaves the repository".to_owned()),
        }
    }
    let canonical_root = canonical(root);
    match resolve_parts(&canonical_root, Vec::new(), pending, false) {
        Resolved::Inside(resolved) => Ok(match resolved.strip_prefix(&canonical_root) {
            Ok(below) if below.as_os_str().is_empty() => root.to_path_buf(),
            Ok(below) => root.join(below),
            Err(_) => resolved,
        }),
        Resolved::Outside(why) => Err(why),
        Resolved::Missing(why) if why.contains("loop") => {
            Err(format!("cannot be resolved ({why})"))
        }
        Resolved::Missing(_) => Err("does not exist".to_owned()),
    }
}

/// Reads at most `limit + 1` bytes of the regular file at `path`, which a file of the
/// repository at `root` names (`path` lies under `root` by its text): confined first,
/// then opened without following a link, without waiting on a writer, and confirmed a
/// regular file from the open file. The error says why in one sentence; a link out
/// of the repository is refused by name and its target never opened. Use it for
/// every file a repository names.
pub fn read_confined(root: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let confined = confine(root, path).map_err(|why| format!("the path {why}"))?;
    read_listed_file(&confined, limit)
}

/// The repository root of `dir` (a folder with no link in its path): the nearest
/// ancestor, itself included, that holds `.git`.
fn repository_of(dir: &Path) -> Option<&Path> {
    dir.ancestors()
        .find(|ancestor| ancestor.join(REPOSITORY_MARKER).symlink_metadata().is_ok())
}

/// Checks a path typed on the command line (or named by a workflow): it may lie
/// anywhere, but once it reaches inside a repository a symbolic link below that
/// repository's root must not lead out of it (`infra` committed as a link to the
/// runner's home folder). Links outside any repository (`/tmp` on some systems) are
/// the machine's own and followed. The error names the path and the link; nothing
/// beyond the link is looked at. A path that does not exist is left to the caller.
pub fn command_line(path: &Path) -> Result<(), String> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        working_dir().join(path)
    };
    // Where the walk stands, with no link in it: it starts at the root of the system.
    let mut current = PathBuf::new();
    let mut parts: VecDeque<OsString> = VecDeque::new();
    for part in absolute.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => current.push(part.as_os_str()),
            other => parts.push_back(other.as_os_str().to_owned()),
        }
    }
    let mut hops = 0;
    while let Some(part) = parts.pop_front() {
        if part == "." {
            continue;
        }
        if part == ".." {
            current.pop();
            continue;
        }
        let here = current.join(&part);
        let Ok(metadata) = here.symlink_metadata() else {
            return Ok(());
        };
        if !metadata.file_type().is_symlink() {
            current = here;
            continue;
        }
        if let Some(root) = repository_of(&current) {
            let below = current.strip_prefix(root).unwrap_or(Path::new(""));
            let stack = parts_of(below);
            parts.push_front(part);
            return match resolve_parts(root, stack, parts, false) {
                Resolved::Outside(why) => Err(format!(
                    "`{}` {why}; name the place it leads to instead if that is what you mean",
                    display_path(path)
                )),
                Resolved::Inside(_) | Resolved::Missing(_) => Ok(()),
            };
        }
        // Outside any repository: the system's own link, followed.
        hops += 1;
        if hops > MAX_LINK_HOPS {
            return Ok(());
        }
        let Ok(target) = std::fs::read_link(&here) else {
            return Ok(());
        };
        let target_parts: Vec<OsString> = target
            .components()
            .filter(|c| !matches!(c, Component::Prefix(_) | Component::RootDir))
            .map(|c| c.as_os_str().to_owned())
            .collect();
        if target.has_root() {
            current = PathBuf::from("/");
        }
        for target_part in target_parts.into_iter().rev() {
            parts.push_front(target_part);
        }
    }
    Ok(())
}

/// What a symbolic link met while walking (at `path`, in a folder with no link in
/// its path) leads to, judged inside its repository (or, outside any, inside
/// `boundary`, the folder named on the command line).
pub fn walked_link(path: &Path, boundary: &Path) -> Resolved {
    let folder = canonical(path.parent().unwrap_or(Path::new("/")));
    let Some(name) = path.file_name() else {
        return Resolved::Missing("not a file name".to_owned());
    };
    let root = repository_of(&folder)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| canonical(boundary));
    let Ok(below) = folder.strip_prefix(&root) else {
        return Resolved::Outside("lies outside the folder walked".to_owned());
    };
    let stack = parts_of(below);
    resolve_parts(&root, stack, VecDeque::from([name.to_owned()]), false)
}
