//! Reading revisions with the `git` command line: where the repository is, which
//! commit a revision names, the controls files of a commit's tree and their blobs.
//! git is run as a program, never through a shell; a revision is user input, so it is
//! refused when it starts with `-` and always passed after `--end-of-options`, and
//! only the commit id it resolves to is handed on to later commands.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::diag::Error;
use crate::text::escape::escape_inline;
use crate::text::fs::MAX_FILE_BYTES;

/// A git work tree, as seen from the folder srmlint runs in.
#[derive(Debug, Clone)]
pub struct Repository {
    /// The top of the work tree.
    pub root: PathBuf,
    /// The working folder relative to `root`, `/`-separated, `""` or ending in `/`.
    pub prefix: String,
    /// The folder git runs in (the working folder).
    cwd: PathBuf,
}

/// One file of a commit's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    /// Relative to the top of the tree, `/`-separated.
    pub path: String,
    /// The blob's object id.
    pub blob: String,
    /// A symbolic link (its blob is the target's path).
    pub link: bool,
}

fn spawn_error(error: &std::io::Error) -> Error {
    if error.kind() == std::io::ErrorKind::NotFound {
        Error::new(
            "git is not installed or not on PATH: `srmlint diff` reads revisions with the `git` command",
        )
    } else {
        Error::new(format!("cannot run git: {error}"))
    }
}

/// Runs git with `args` in `cwd`; stdout on success, else git's own message.
fn output(cwd: &Path, args: &[&str]) -> Result<Result<Vec<u8>, String>, Error> {
    let output = crate::text::git::command(cwd)
        .args(args)
        .output()
        .map_err(|error| spawn_error(&error))?;
    if output.status.success() {
        Ok(Ok(output.stdout))
    } else {
        Ok(Err(String::from_utf8_lossy(&output.stderr)
            .trim()
            .to_owned()))
    }
}

impl Repository {
    /// The repository `cwd` lies in; exit 2 with a clear message when git is missing
    /// or `cwd` is in no repository.
    pub fn open(cwd: &Path) -> Result<Self, Error> {
        let shown = escape_inline(&cwd.to_string_lossy());
        match output(cwd, &["rev-parse", "--show-toplevel", "--show-prefix"])? {
            Ok(stdout) => {
                let text = String::from_utf8_lossy(&stdout);
                let mut lines = text.lines();
                let root = lines.next().unwrap_or_default();
                let prefix = lines.next().unwrap_or_default();
                if root.is_empty() {
                    return Err(Error::new(format!(
                        "`{shown}` is not inside a git work tree: `srmlint diff` compares revisions of one"
                    )));
                }
                Ok(Self {
                    root: PathBuf::from(root),
                    prefix: prefix.to_owned(),
                    cwd: cwd.to_path_buf(),
                })
            }
            Err(message) => Err(Error::new(format!(
                "`{shown}` is not inside a git repository: `srmlint diff` compares revisions of one ({})",
                escape_inline(&message)
            ))),
        }
    }

    /// The commit id `revision` names. A revision starting with `-` is refused, so it
    /// can never be read as an option.
    pub fn resolve(&self, revision: &str) -> Result<String, Error> {
        let shown = escape_inline(revision);
        if revision.is_empty() {
            return Err(Error::new("an empty revision names no commit"));
        }
        if revision.starts_with('-') {
            return Err(Error::new(format!(
                "revision `{shown}` starts with `-`; srmlint never passes such a value to git, where it would read as an option"
            )));
        }
        if revision.contains('\0') {
            return Err(Error::new(format!(
                "revision `{shown}` contains a NUL character"
            )));
        }
        let wanted = format!("{revision}^{{commit}}");
        match output(
            &self.cwd,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &wanted,
            ],
        )? {
            Ok(stdout) => {
                let id = String::from_utf8_lossy(&stdout).trim().to_owned();
                if id.is_empty() || !id.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                    return Err(Error::new(format!("unknown revision `{shown}`")));
                }
                Ok(id)
            }
            Err(_) if self.is_shallow() => Err(Error::new(format!(
                "unknown revision `{shown}`: no commit of this repository has that name, and the clone is shallow, so it may lack it ({}, or `fetch-depth: 0` in actions/checkout)",
                fetch_hint(&shown)
            ))),
            Err(_) => Err(Error::new(format!(
                "unknown revision `{shown}`: no commit of this repository has that name"
            ))),
        }
    }

    /// Whether the repository is a shallow clone, which may lack the commit asked for.
    fn is_shallow(&self) -> bool {
        matches!(
            output(&self.cwd, &["rev-parse", "--is-shallow-repository"]),
            Ok(Ok(stdout)) if stdout.trim_ascii() == b"true"
        )
    }

    /// Every regular file and symbolic link of `commit`'s tree (submodules left out).
    /// `commit` must come from `resolve`.
    pub fn tree(&self, commit: &str) -> Result<Vec<TreeFile>, Error> {
        let stdout = output(&self.cwd, &["ls-tree", "-r", "-z", "--full-tree", commit])?.map_err(
            |message| {
                Error::new(format!(
                    "cannot list the files of {commit}: {}",
                    escape_inline(&message)
                ))
            },
        )?;
        let mut files = Vec::new();
        for record in stdout.split(|&byte| byte == 0) {
            // `<mode> SP <type> SP <object> TAB <path>`
            let Some(tab) = record.iter().position(|&byte| byte == b'\t') else {
                continue;
            };
            let header = String::from_utf8_lossy(&record[..tab]);
            let mut fields = header.split(' ');
            let (Some(mode), Some(kind), Some(object)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let link = mode == "120000";
            if kind != "blob" || !(link || mode == "100644" || mode == "100755") {
                continue;
            }
            files.push(TreeFile {
                path: String::from_utf8_lossy(&record[tab + 1..]).into_owned(),
                blob: object.to_owned(),
                link,
            });
        }
        Ok(files)
    }

    /// The paths (from the top of the work tree) whose contents differ between
    /// `base` and `head` (`None`: the work tree, untracked files included), as far
    /// as git tracks them.
    pub fn changed_paths(&self, base: &str, head: Option<&str>) -> Result<Vec<String>, Error> {
        let mut args = vec!["diff", "--name-only", "-z", "--no-renames", base];
        if let Some(head) = head {
            args.push(head);
        }
        args.extend(["--", ":/"]);
        let mut paths = split_nul(output(&self.cwd, &args)?.map_err(|message| {
            Error::new(format!(
                "cannot compare revisions: {}",
                escape_inline(&message)
            ))
        })?);
        if head.is_none() {
            let untracked = output(
                &self.cwd,
                &[
                    "ls-files",
                    "--others",
                    "--exclude-standard",
                    "-z",
                    "--full-name",
                    "--",
                    ":/",
                ],
            )?
            .unwrap_or_default();
            paths.extend(split_nul(untracked));
        }
        Ok(paths)
    }

    /// The files git ignores (`terraform.tfvars`, `.terraform/`) among those matching
    /// `pathspecs`, from the top of the work tree: what no commit holds.
    pub fn ignored_files(&self, pathspecs: &[String]) -> Vec<String> {
        let mut args = vec![
            "ls-files",
            "--others",
            "--ignored",
            "--exclude-standard",
            "-z",
            "--full-name",
            "--",
        ];
        args.extend(pathspecs.iter().map(String::as_str));
        match output(&self.cwd, &args) {
            Ok(Ok(stdout)) => split_nul(stdout),
            _ => Vec::new(),
        }
    }

    /// The contents of `blobs`, in order, read by one `git cat-file --batch`: one
    /// process for any number of files.
    pub fn read_blobs(&self, blobs: &[&str]) -> Result<Vec<Vec<u8>>, Error> {
        if blobs.is_empty() {
            return Ok(Vec::new());
        }
        let mut child = crate::text::git::command(&self.cwd)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| spawn_error(&error))?;
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let request: String = blobs.iter().map(|blob| format!("{blob}\n")).collect();
        // Written from another thread: git answers while it reads, and a full pipe
        // in each direction would otherwise stall both.
        let writer = std::thread::spawn(move || {
            let result = stdin.write_all(request.as_bytes());
            drop(stdin);
            result
        });
        let mut reader = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut contents = Vec::with_capacity(blobs.len());
        let failure = |what: String| Error::new(format!("cannot read a blob from git: {what}"));
        let io = |error: std::io::Error| failure(error.to_string());
        for blob in blobs {
            let mut header = String::new();
            reader.read_line(&mut header).map_err(io)?;
            let mut fields = header.split_whitespace();
            let (Some(_), Some(kind), Some(size)) = (fields.next(), fields.next(), fields.next())
            else {
                return Err(failure(format!("no object {blob}")));
            };
            let size: usize = size
                .parse()
                .map_err(|_| failure(format!("bad header `{}`", header.trim())))?;
            if kind != "blob" {
                return Err(failure(format!("{blob} is a {kind}")));
            }
            // Never more than a controls file may be, plus the byte that tells the
            // check it is too large: a committed blob of gigabytes is not held.
            let kept = size.min(usize::try_from(MAX_FILE_BYTES + 1).unwrap_or(usize::MAX));
            let mut content = vec![0; kept];
            reader.read_exact(&mut content).map_err(io)?;
            std::io::copy(
                &mut (&mut reader).take((size - kept) as u64),
                &mut std::io::sink(),
            )
            .map_err(io)?;
            let mut newline = [0u8; 1];
            reader.read_exact(&mut newline).map_err(io)?;
            contents.push(content);
        }
        let _ = writer.join();
        let status = child.wait().map_err(io)?;
        if !status.success() {
            return Err(failure(format!("git cat-file exited with {status}")));
        }
        Ok(contents)
    }
}

/// NUL-separated paths, as `-z` prints them.
fn split_nul(stdout: Vec<u8>) -> Vec<String> {
    stdout
        .split(|&byte| byte == 0)
        .filter(|path| !path.is_empty())
        .map(|path| String::from_utf8_lossy(path).into_owned())
        .collect()
}

/// How to bring a revision into a shallow clone: a commit id is fetched as it is; a
/// branch is fetched into its remote-tracking name (a bare `git fetch origin main`
/// only fills `FETCH_HEAD`, and `main` would still be unknown).
fn fetch_hint(shown: &str) -> String {
    let is_commit_id =
        (7..=64).contains(&shown.len()) && shown.bytes().all(|byte| byte.is_ascii_hexdigit());
    if is_commit_id {
        return format!("`git fetch --depth=1 origin {shown}`");
    }
    let branch = shown.strip_prefix("origin/").unwrap_or(shown);
    format!(
        "`git fetch --depth=1 origin {branch}:refs/remotes/origin/{branch}`, then `--base origin/{branch}`"
    )
}

#[cfg(test)]
mod hint_tests {
    use super::fetch_hint;

    #[test]
    fn the_shallow_clone_hint_fetches_what_the_name_needs() {
        assert_eq!(
            fetch_hint("0123abcd"),
            "`git fetch --depth=1 origin 0123abcd`"
        );
        // `git fetch origin main` fills only FETCH_HEAD: the hint names a ref to keep.
        assert_eq!(
            fetch_hint("origin/main"),
            "`git fetch --depth=1 origin main:refs/remotes/origin/main`, then `--base origin/main`"
        );
        assert!(fetch_hint("main").contains("main:refs/remotes/origin/main"));
    }
}
