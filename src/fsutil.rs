//! Writing files the user owns: through a temporary file in the target's folder and a
//! rename, so a reader never sees half a file and a failure leaves the old one intact;
//! and never over an existing file unless the user said `--force`. Reading files a
//! repository names: regular files only, bounded in size.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Replaces (or creates) `path` with `contents` atomically.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let (temporary, mut file) = create_temporary(path)?;
    let result = (|| {
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// Creates a fresh temporary file beside `path`. `create_new` never opens an existing
/// file or follows a symlink planted under the temporary name, so a hostile checkout
/// cannot redirect the write elsewhere.
fn create_temporary(path: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
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
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => return Ok((temporary, file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Refuses to write over something that exists at `path` unless `force` is given; a
/// dangling symlink counts as existing, since writing would replace it.
pub fn refuse_overwrite(path: &Path, force: bool) -> Result<(), String> {
    if force || path.symlink_metadata().is_err() {
        return Ok(());
    }
    Err(format!(
        "`{}` already exists; pass `--force` to replace it",
        crate::output::escape_inline(&path.to_string_lossy())
    ))
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
    let metadata =
        std::fs::metadata(path).map_err(|error| format!("cannot read the file: {error}"))?;
    if !metadata.is_file() {
        return Err(format!(
            "not a regular file ({}); only plain text files are read",
            describe_file_type(&metadata.file_type())
        ));
    }
    let file =
        std::fs::File::open(path).map_err(|error| format!("cannot read the file: {error}"))?;
    // Sized from the metadata, the file is read in one call (plus the one that finds
    // the end) instead of a doubling series of small reads.
    let expected = metadata.len().min(limit).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| format!("cannot read the file: {error}"))?;
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

/// Appends `contents` to `path`, creating it when missing; what it held is kept.
pub fn append(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(contents)
}
