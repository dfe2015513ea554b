//! The one way srmlint runs the `git` command (as a program, never through a shell):
//! the environment it runs in, so that every git call reads the repository of the
//! folder it runs in, the same way on a developer's machine, in CI and in a git hook.

use std::path::Path;
use std::process::{Command, Stdio};

/// Variables that point git at another repository, index or work tree than the one
/// `cwd` lies in. A git hook sets some of them, and a report run from one must still
/// name the commit of the controls files' own repository.
const REPOSITORY_OVERRIDES: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE",
];

/// `git` ready to run in `cwd`: no pager, no prompt, no lock taken by `status`, no
/// locale-dependent messages, no replace refs or grafts (which would make a revision
/// mean something else), and no variable choosing another repository.
///
/// A checkout may hold a folder laid out as a git directory (`HEAD`, `objects/`,
/// `refs/` and a `config` naming an `fsmonitor` program): run in it, git would take
/// it for a repository and run that program. Command-line configuration outranks a
/// repository's, so git is told to use no bare repository it merely finds
/// (`safe.bareRepository=explicit`, git 2.38 and later) and to run no file-system
/// monitor (`core.fsmonitor=false`, for older git too).
pub fn command(cwd: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .args([
            "-c",
            "safe.bareRepository=explicit",
            "-c",
            "core.fsmonitor=false",
        ])
        .current_dir(cwd)
        .env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_NO_REPLACE_OBJECTS", "1")
        .env("LC_ALL", "C")
        .stdin(Stdio::null());
    for variable in REPOSITORY_OVERRIDES {
        command.env_remove(variable);
    }
    command
}

/// git's output line without its line ending: only the one newline git adds is taken
/// off, so a path that ends in a space stays that path.
pub fn line(stdout: &[u8]) -> String {
    let text = String::from_utf8_lossy(stdout);
    let text = text.strip_suffix('\n').unwrap_or(&text);
    text.strip_suffix('\r').unwrap_or(text).to_owned()
}
