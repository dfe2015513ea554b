//! Files: reading what a user or a repository names (regular files only, bounded in
//! size, decoded as UTF-8 text), writing what the user owns (through a temporary file
//! in the target's folder and a rename, so a reader never sees half a file and a
//! failure leaves the old one intact; never over an existing file unless the user said
//! `--force`), paths as output shows them, and repository roots.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use foldhash::HashMap;

use super::escape::escape_inline;

/// Files larger than this are not read: controls, policy, matrix and configuration
/// files are small text files.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The folder that marks a repository root.
pub const REPOSITORY_MARKER: &str = ".git";

/// Replaces (or creates) `path` with `contents` atomically: a fresh temporary file in
/// the same folder, renamed over it. A file replaced keeps its permissions (a 0600
/// file stays 0600); a new one gets the usual ones.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    let keep = {
        use std::os::unix::fs::PermissionsExt;
        path.symlink_metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|metadata| metadata.permissions().mode() & 0o777)
    };
    #[cfg(not(unix))]
    let keep: Option<u32> = None;
    let (temporary, mut file) = create_temporary(path, keep)?;
    let result = (|| {
        file.write_all(contents)?;
        #[cfg(unix)]
        if let Some(mode) = keep {
            use std::os::unix::fs::PermissionsExt;
            // Set on the open file, exactly: the umask may have taken bits away.
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// Creates a fresh temporary file beside `path` (with `mode` when it replaces a file,
/// so it is never more open than the file it replaces, not even for a moment).
/// `create_new` never opens an existing file or follows a symlink planted under the
/// temporary name, so a hostile checkout cannot redirect the write elsewhere.
fn create_temporary(path: &Path, mode: Option<u32>) -> std::io::Result<(PathBuf, std::fs::File)> {
    let dir = folder_of(path);
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".to_owned());
    let mut attempt = 0u32;
    loop {
        let temporary = dir.join(format!(
            ".{name}.srmlint-{}-{attempt}.tmp",
            std::process::id()
        ));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(mode);
        }
        #[cfg(not(unix))]
        let _ = mode;
        match options.open(&temporary) {
            Ok(file) => return Ok((temporary, file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// What writing to a path would do to what is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing is there: a new file is made.
    New,
    /// A regular file is there: it is replaced (with `--force`) through a temporary
    /// file and a rename.
    File,
    /// A character device or a named pipe (also reached through a symbolic link, as
    /// `/dev/stdout` is), or the process's own standard output or error: written
    /// through, never replaced, so `--output /dev/stdout` and `/dev/null` just work.
    Through,
}

/// The process's own standard output (1) or error (2), when `path` names it:
/// `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`... Written to as the descriptor it
/// is (a terminal, a pipe, or the file the shell redirected it to).
fn own_stream(path: &Path) -> Option<u8> {
    match path.to_str()? {
        "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" => Some(1),
        "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2" => Some(2),
        _ => None,
    }
}

/// What is at `path`, for writing. Refused, with the reason: a folder, a symbolic
/// link that leads to a regular file, a folder or nothing (never written through,
/// whatever `--force` says: in a checkout a pull request controls, it would write
/// outside the repository), a block device or a socket, and a path whose folder a
/// link of its repository leads out of it.
pub fn output_target(path: &Path) -> Result<Target, String> {
    if own_stream(path).is_some() {
        return Ok(Target::Through);
    }
    let shown = escape_inline(&path.to_string_lossy());
    let Ok(metadata) = path.symlink_metadata() else {
        // A new file: its folder must not be a repository's link to elsewhere.
        let folder = folder_of(path);
        if let Err(why) = super::resolve::command_line(folder) {
            return Err(format!("cannot write `{shown}`: {why}"));
        }
        return Ok(Target::New);
    };
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return Err(format!(
            "cannot write `{shown}`: it is a folder; name a file to write"
        ));
    }
    if file_type.is_symlink() {
        let Ok(target) = path.metadata() else {
            return Err(format!(
                "cannot write `{shown}`: it is a symbolic link that leads nowhere; remove it or name another file"
            ));
        };
        if target.is_dir() {
            return Err(format!(
                "cannot write `{shown}`: it leads to a folder; name a file to write"
            ));
        }
        if is_device_or_pipe(&target.file_type()) {
            return Ok(Target::Through);
        }
        return Err(format!(
            "cannot write `{shown}`: it is a symbolic link, and srmlint never writes through a link to a file (`--force` or not); remove the link or name another file"
        ));
    }
    if let Err(why) = super::resolve::command_line(folder_of(path)) {
        return Err(format!("cannot write `{shown}`: {why}"));
    }
    if file_type.is_file() {
        Ok(Target::File)
    } else if is_device_or_pipe(&file_type) {
        Ok(Target::Through)
    } else {
        Err(format!(
            "cannot write `{shown}`: it is {}, neither a regular file, a character device nor a named pipe",
            describe_file_type(&file_type)
        ))
    }
}

/// A character device or a named pipe: what `--output` writes through.
fn is_device_or_pipe(file_type: &std::fs::FileType) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        file_type.is_char_device() || file_type.is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = file_type;
        false
    }
}

/// The one writer of what srmlint writes (`--output`, `report`, `init`, `--fix`):
/// writes `contents` to `path` as its target allows: a new or (with `force`) replaced
/// regular file atomically, keeping its permissions; a character device or a named
/// pipe written through; anything else refused (see [`output_target`]). An existing
/// regular file is never replaced without `force`.
pub fn write_output(path: &Path, contents: &[u8], force: bool) -> Result<(), String> {
    let shown = escape_inline(&path.to_string_lossy());
    match output_target(path)? {
        Target::New => write_atomic(path, contents),
        Target::File if force => write_atomic(path, contents),
        Target::File => return Err(exists(&shown)),
        Target::Through => match own_stream(path) {
            Some(1) => {
                let mut out = std::io::stdout().lock();
                out.write_all(contents).and_then(|()| out.flush())
            }
            Some(_) => std::io::stderr().lock().write_all(contents),
            None => open_through(path).and_then(|mut file| file.write_all(contents)),
        },
    }
    .map_err(|error| format!("cannot write `{shown}`: {error}"))
}

/// Opens a device or a pipe for writing, never creating anything. A named pipe is
/// opened without waiting: with no process reading it, that is an error at once
/// rather than a run that never ends.
fn open_through(path: &Path) -> std::io::Result<std::fs::File> {
    // Opening a pipe without waiting fails when no one reads it; with a reader, it is
    // opened again as usual (a slow reader is then waited for), the first handle held
    // until then so the reader never sees the end of its input in between.
    #[cfg(unix)]
    let _probe = {
        use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
        if path
            .metadata()
            .is_ok_and(|target| target.file_type().is_fifo())
        {
            Some(
                std::fs::OpenOptions::new()
                    .write(true)
                    .custom_flags(libc::O_NONBLOCK)
                    .open(path)
                    .map_err(|error| {
                        if error.raw_os_error() == Some(libc::ENXIO) {
                            std::io::Error::other("it is a named pipe that no process is reading")
                        } else {
                            error
                        }
                    })?,
            )
        } else {
            None
        }
    };
    let file = std::fs::OpenOptions::new().write(true).open(path)?;
    // Whatever was swapped in since it was looked at, only a device or a pipe is
    // written through.
    if !is_device_or_pipe(&file.metadata()?.file_type()) {
        return Err(std::io::Error::other(
            "it is no longer a device or a named pipe; nothing was written",
        ));
    }
    Ok(file)
}

fn exists(shown: &str) -> String {
    format!("`{shown}` already exists; pass `--force` to replace it")
}

/// Refuses to write over a regular file at `path` unless `force` is given, and
/// anything [`output_target`] refuses (a check before work starts; `write_output`
/// holds to the same rule when it writes).
pub fn refuse_overwrite(path: &Path, force: bool) -> Result<(), String> {
    match output_target(path)? {
        Target::File if !force => Err(exists(&escape_inline(&path.to_string_lossy()))),
        _ => Ok(()),
    }
}

/// Whether `output` may be written: it may not be one of `inputs` (the files the
/// command reads, with their display names), `--force` or not, and may not replace
/// an existing file without `force`.
pub fn check_output_target<'a>(
    output: &Path,
    force: bool,
    inputs: impl IntoIterator<Item = (&'a Path, &'a str)>,
) -> Result<(), String> {
    if let Some((_, shown)) = inputs
        .into_iter()
        .find(|(input, _)| same_file(output, input))
    {
        return Err(format!(
            "`--output` names `{}`, a controls file being checked; choose another file",
            escape_inline(shown)
        ));
    }
    refuse_overwrite(output, force)
}

/// True when `a` and `b` name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Reads at most `limit + 1` bytes of a regular file (one more than allowed, so the
/// caller can tell a file that is too large), or says in one sentence why it cannot.
/// Anything but a regular file (a FIFO, a device, a socket) is refused before it is
/// opened: opening a FIFO for reading blocks until a writer comes, and a device such as
/// `/dev/zero` never ends. Use it for every file a user or a repository names
/// (controls, matrix, policy and config files).
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let len = regular_len(std::fs::metadata(path))?;
    let file =
        std::fs::File::open(path).map_err(|error| format!("cannot read the file: {error}"))?;
    read_sized(file, len, limit)
}

/// The length of a regular file, or why it is not one (or cannot be looked at).
fn regular_len(metadata: std::io::Result<std::fs::Metadata>) -> Result<u64, String> {
    let metadata = metadata.map_err(|error| format!("cannot read the file: {error}"))?;
    if !metadata.is_file() {
        return Err(format!(
            "not a regular file ({}); only plain text files are read",
            describe_file_type(&metadata.file_type())
        ));
    }
    Ok(metadata.len())
}

/// `read_regular_file` for a path a folder listing has just reported as a regular file
/// (not a symbolic link): opened first, without following a link and without waiting
/// on a writer, and confirmed a regular file from the open file itself. That is one
/// look-up of the path instead of two, which a walk of many small files notices; and
/// should the entry have been replaced since the listing, by a link or a pipe, it is
/// still refused and nothing waits.
pub fn read_listed_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = open_unfollowed(std::fs::OpenOptions::new().read(true), path)
        .map_err(|error| format!("cannot read the file: {error}"))?;
    read_open_file(file, limit)
}

/// Opens `path` as `options` say, without following a link in its last part, without
/// waiting on a pipe and without making a terminal the process's own.
pub fn open_unfollowed(
    options: &mut std::fs::OpenOptions,
    path: &Path,
) -> std::io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// Reads at most `limit + 1` bytes of a file opened without following a link, once its
/// metadata confirms it is a regular file.
pub(super) fn read_open_file(file: std::fs::File, limit: u64) -> Result<Vec<u8>, String> {
    let len = regular_len(file.metadata())?;
    read_sized(file, len, limit)
}

/// The most bytes one run reads from files, unless `--max-input-bytes` says otherwise.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// The run's input budget: bytes allowed, bytes taken, and whether a read was refused.
/// Unbounded until a run sets it (the command line always does), so a program that
/// uses the library for many runs (an editor's server) is never starved by the sum.
static INPUT_ALLOWED: AtomicU64 = AtomicU64::new(u64::MAX);
static INPUT_TAKEN: AtomicU64 = AtomicU64::new(0);
static INPUT_REFUSED: AtomicBool = AtomicBool::new(false);

/// Starts a run's input budget: at most `bytes` read from files in all
/// (`--max-input-bytes`), nothing taken yet.
pub fn set_input_budget(bytes: u64) {
    INPUT_ALLOWED.store(bytes, Ordering::Relaxed);
    INPUT_TAKEN.store(0, Ordering::Relaxed);
    INPUT_REFUSED.store(false, Ordering::Relaxed);
}

/// When a read was refused because the run's input budget was used up: the sentence
/// saying so and how to raise it (the tool could not do its job: exit 2).
pub fn input_budget_exceeded() -> Option<String> {
    INPUT_REFUSED
        .load(Ordering::Relaxed)
        .then(|| budget_message(INPUT_ALLOWED.load(Ordering::Relaxed)))
}

fn budget_message(allowed: u64) -> String {
    format!(
        "the input budget of {} for one run is used up, so some files were not read; raise it with `--max-input-bytes` (e.g. `--max-input-bytes {}`)",
        shown_bytes(allowed),
        allowed.saturating_mul(2).max(1024 * 1024)
    )
}

fn shown_bytes(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

/// Takes `bytes` from the run's input budget, or refuses when they do not fit (the
/// refusal is remembered: the run then ends with exit 2, saying which budget).
pub fn charge(bytes: u64) -> Result<(), String> {
    let allowed = INPUT_ALLOWED.load(Ordering::Relaxed);
    let taken = INPUT_TAKEN.fetch_add(bytes, Ordering::Relaxed);
    if taken.saturating_add(bytes) > allowed {
        INPUT_TAKEN.fetch_sub(bytes, Ordering::Relaxed);
        INPUT_REFUSED.store(true, Ordering::Relaxed);
        return Err(budget_message(allowed));
    }
    Ok(())
}

/// Reads at most `limit + 1` bytes of an open file whose metadata said `len`, taken
/// from the run's input budget first.
fn read_sized(file: std::fs::File, len: u64, limit: u64) -> Result<Vec<u8>, String> {
    let charged = len.min(limit.saturating_add(1));
    charge(charged)?;
    // Sized from the metadata, the file is read in one call instead of a doubling
    // series of small reads. A first read that returns exactly the size the metadata
    // gave, short of the room left for one more byte, has met the end (Linux returns
    // a short read from a regular file only there), so the call that would only
    // confirm it is saved; any other count reads on until the end.
    let expected = len.min(limit).saturating_add(1);
    let mut bytes = vec![0; usize::try_from(expected).unwrap_or(0)];
    let cannot = |error: std::io::Error| format!("cannot read the file: {error}");
    let mut file = file.take(limit.saturating_add(1));
    let first = loop {
        match file.read(&mut bytes) {
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            other => break other.map_err(cannot)?,
        }
    };
    bytes.truncate(first);
    if first as u64 != len || len == 0 {
        file.read_to_end(&mut bytes).map_err(cannot)?;
    }
    // A file that grew, or that says it is empty (as kernel files do), is charged
    // for what was read.
    let read = bytes.len() as u64;
    if read > charged {
        charge(read - charged)?;
    }
    Ok(bytes)
}

fn describe_file_type(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Appends `contents` to `path` (a file others write to as well, such as the CI
/// runner's `$GITHUB_STEP_SUMMARY`), creating it when missing; what it held is kept.
/// Opened without following a symbolic link and written only when it is a regular
/// file: a link or a device there is refused, nothing written.
pub fn append(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    let mut file = open_unfollowed(options.append(true).create(true), path).map_err(|error| {
        #[cfg(unix)]
        if error.raw_os_error() == Some(libc::ELOOP) {
            return std::io::Error::other("it is a symbolic link, which is never written through");
        }
        error
    })?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(std::io::Error::other(format!(
            "it is {}, not a regular file",
            describe_file_type(&metadata.file_type())
        )));
    }
    file.write_all(contents)
}

/// Reads a regular file of at most `MAX_FILE_BYTES` and decodes it as UTF-8 text, or
/// says in one sentence why it cannot.
pub fn read_text(path: &Path) -> Result<String, String> {
    read_regular_file(path, MAX_FILE_BYTES).and_then(decode)
}

/// Reads a regular file of at most `limit` bytes as UTF-8 text (infrastructure files
/// such as a Terraform plan may be larger than a controls file), or says in one
/// sentence why it cannot.
pub fn read_text_limited(path: &Path, limit: u64) -> Result<String, String> {
    // A file its metadata says is too large is refused unread (a 64 MiB read to learn
    // it is too large costs as much memory as reading it), charged as if read.
    if std::fs::metadata(path).is_ok_and(|metadata| metadata.is_file() && metadata.len() > limit) {
        charge(limit.saturating_add(1))?;
        return Err(too_large(limit));
    }
    read_regular_file(path, limit).and_then(|bytes| decode_limited(bytes, limit))
}

fn too_large(limit: u64) -> String {
    format!(
        "the file is larger than {} MiB, the most srmlint reads",
        limit / (1024 * 1024)
    )
}

/// Bytes read with a limit (at most `limit + 1` of them) as UTF-8 text, or why not.
pub fn decode_limited(bytes: Vec<u8>, limit: u64) -> Result<String, String> {
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    decode_text(bytes)
}

/// Bytes as UTF-8 text, or one sentence saying why they are not a text file.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(
            "the file is larger than 4 MiB; controls files are small text files".to_owned(),
        );
    }
    decode_text(bytes)
}

/// `decode` without the size limit.
fn decode_text(bytes: Vec<u8>) -> Result<String, String> {
    // UTF-16 text is full of NUL bytes; name it rather than calling it binary.
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(
            "the file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8"
                .to_owned(),
        );
    }
    // Validating UTF-8 and finding a NUL are both vectorised scans; a NUL in an
    // otherwise valid file still makes it binary.
    match String::from_utf8(bytes) {
        Ok(text) => match text.find('\0') {
            Some(offset) => Err(binary(offset)),
            None => Ok(text),
        },
        Err(error) => {
            let bytes = error.as_bytes();
            match bytes.iter().position(|&byte| byte == 0) {
                Some(offset) => Err(binary(offset)),
                None => Err(format!(
                    "the file is not UTF-8 (invalid byte at offset {})",
                    error.utf8_error().valid_up_to()
                )),
            }
        }
    }
}

/// The text without a leading byte-order mark, which is no part of the document.
pub fn without_byte_order_mark(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}

fn binary(offset: usize) -> String {
    format!("the file is binary (a NUL byte at offset {offset})")
}

/// A path as output shows it: `/`-separated, lossy for non-UTF-8 names, no trailing `/`.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    if text.len() > 1 {
        text.trim_end_matches('/').to_owned()
    } else {
        text
    }
}

/// A path as messages show it: relative to the working directory when it lies under
/// it, as given otherwise.
pub fn shown_path(path: &Path) -> String {
    display_path(path.strip_prefix(working_dir()).unwrap_or(path))
}

/// The folder a file lies in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// `path` when it is a folder, else the folder it lies in.
pub fn dir_of(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.to_path_buf()
    } else {
        folder_of(path).to_path_buf()
    }
}

/// The working directory, read once: srmlint never changes it, and asking the
/// operating system for every file checked costs a system call each.
pub fn working_dir() -> &'static Path {
    static WORKING_DIR: OnceLock<PathBuf> = OnceLock::new();
    WORKING_DIR.get_or_init(|| std::env::current_dir().unwrap_or_default())
}

/// `path` made absolute against the working directory, with `.` left out. A path with
/// no `..` is not looked at on disk. One with `..` is resolved physically, as the
/// file system would (`link/..` is the link target's parent): the longest part of it
/// that exists is resolved, and only what lies beyond that part, which does not exist,
/// is taken by the text. Left in, a `..` would let ancestors be found by the text of
/// the path, above the folder the file really lies in.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_relative() {
        working_dir().join(path)
    } else {
        path.to_path_buf()
    };
    let absolute = std::path::absolute(&joined).unwrap_or(joined);
    if !absolute
        .components()
        .any(|part| part == std::path::Component::ParentDir)
    {
        return absolute;
    }
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    let resolved = loop {
        if let Ok(resolved) = std::fs::canonicalize(existing) {
            break resolved;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                missing.push(last.as_os_str().to_owned());
                existing = parent;
            }
            // Not even the root resolves: nothing to resolve against.
            _ => break existing.to_path_buf(),
        }
    };
    let mut out = resolved;
    for name in missing.into_iter().rev() {
        out.push(name);
    }
    // What lies beyond the existing part holds no links to resolve: `..` is textual.
    let mut normal = PathBuf::new();
    for part in out.components() {
        match part {
            std::path::Component::ParentDir => {
                normal.pop();
            }
            std::path::Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal
}

/// What folders hold, for many paths at once: whether a folder holds a given name is
/// asked of the file system once, however many files sit below it.
#[derive(Debug, Default)]
pub struct RepoRoots {
    /// Per folder, the names asked about so far: (name, regular files only, held).
    folders: HashMap<PathBuf, Vec<(&'static str, bool, bool)>>,
}

impl RepoRoots {
    /// Whether the folder `dir` holds something called `name` (symlinks followed).
    pub fn holds(&mut self, dir: &Path, name: &'static str) -> bool {
        self.ask(dir, name, false)
    }

    /// Whether the folder `dir` holds something called `name` that is not a folder
    /// (a regular file, a symbolic link, a pipe...).
    pub fn holds_file(&mut self, dir: &Path, name: &'static str) -> bool {
        self.ask(dir, name, true)
    }

    fn ask(&mut self, dir: &Path, name: &'static str, files_only: bool) -> bool {
        // Looked up by reference first: most folders are asked about many times.
        if let Some(known) = self.folders.get(dir).and_then(|answers| {
            answers
                .iter()
                .find(|(asked, only, _)| *asked == name && *only == files_only)
        }) {
            return known.2;
        }
        let path = dir.join(name);
        let held = if files_only {
            // A symbolic link, a pipe or a device counts too: its reader resolves it
            // inside the repository and refuses one that leads out or is not a regular
            // file, rather than skip it unseen. Only a folder is not such a file.
            path.symlink_metadata()
                .is_ok_and(|metadata| !metadata.is_dir())
        } else {
            path.exists()
        };
        self.folders
            .entry(dir.to_path_buf())
            .or_default()
            .push((name, files_only, held));
        held
    }

    /// The repository root of the absolute folder `dir`: the nearest ancestor (itself
    /// included) holding `.git`; `None` outside any repository.
    pub fn root_of(&mut self, dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .find(|ancestor| self.holds(ancestor, REPOSITORY_MARKER))
            .map(Path::to_path_buf)
    }
}

/// Folders known to lie below a repository root with no symbolic link on the way
/// down from it, shared by the worker threads: confining a path below one of them
/// needs to look only at the parts below it, not again at every folder from the
/// root (sibling controls files share all but their last folders).
#[derive(Debug, Default)]
pub struct PlainFolders {
    /// Per repository root, the folders proven plain below it. Keyed by their bytes:
    /// the paths are built the same way, and hashing a `Path` walks its components.
    by_root: std::sync::Mutex<
        HashMap<PathBuf, std::collections::HashSet<OsString, foldhash::fast::RandomState>>,
    >,
}

impl PlainFolders {
    /// The deepest ancestor of `path` (itself included) proven plain below `root`.
    pub fn deepest_known<'p>(&self, root: &Path, path: &'p Path) -> Option<&'p Path> {
        let by_root = self
            .by_root
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let known = by_root.get(root)?;
        path.ancestors()
            .take_while(|ancestor| *ancestor != root)
            .find(|ancestor| known.contains(ancestor.as_os_str()))
    }

    /// Records folders proven plain below `root`.
    pub fn learn(&self, root: &Path, folders: Vec<PathBuf>) {
        if folders.is_empty() {
            return;
        }
        self.by_root
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(root.to_path_buf())
            .or_default()
            .extend(folders.into_iter().map(PathBuf::into_os_string));
    }
}

// Every read of a file a repository names is decided by one resolver
// (`text::resolve`); these names stay here for the code that calls them.
pub use super::resolve::{
    Resolved, canonical, canonical_below, confine, in_git, names_git, read_confined,
    resolve_inside, resolve_inside_canonical,
};
