//! Looking at an evidence file that lies inside the repository: whether it holds
//! anything (SRM037) and its fingerprint for the report (a streamed SHA-256, or a
//! folder's file count). The caller has already resolved the path inside the
//! repository (`fs::resolve_inside*`), so every symbolic link in it is resolved; the
//! last part is still opened without following a link and without waiting on a
//! writer, and anything but a regular file or a folder is left alone. Nothing read
//! here is ever returned as text: only verdicts, counts and digests.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The most a file is read to judge it (the same limit as a controls file); larger
/// files are fingerprinted, streamed, but not judged.
pub const JUDGE_LIMIT: u64 = 4 * 1024 * 1024;

/// Below this many bytes, a placeholder word marks a file as a stub.
pub const STUB_BYTES: u64 = 200;

/// The words that mark a short file as a stub, as the report names them.
pub const PLACEHOLDER_WORDS: &[&str] = &[
    "TODO",
    "TBD",
    "FIXME",
    "CHANGEME",
    "placeholder",
    "lorem ipsum",
];

/// Folders are counted up to this many entries: a folder cited as evidence is a
/// handful of records, not a file system.
const MAX_FOLDER_ENTRIES: usize = 100_000;

/// Why an evidence file proves nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stub {
    /// A file of zero bytes.
    Empty,
    /// A file holding only white space.
    Blank,
    /// A folder with no file anywhere in it.
    EmptyFolder,
    /// A folder whose every file is a stub itself (a `.gitkeep`, a README saying TODO:
    /// how git keeps an empty folder).
    FolderOfStubs,
    /// A pipe, a device or a socket: nothing a record can be kept in.
    NotAFile,
    /// A file under [`STUB_BYTES`] holding this placeholder word (as listed in
    /// [`PLACEHOLDER_WORDS`], never the file's own text).
    Placeholder(&'static str),
}

/// What an evidence path inside the repository is, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fingerprint {
    File {
        bytes: u64,
        sha256: String,
    },
    /// A folder and how many regular files lie in it, at any depth (links not followed).
    Folder {
        files: usize,
    },
    /// It could not be fingerprinted; the sentence says why.
    Unreadable(String),
}

/// Judges the file or folder at `path`: `Some` when it is a stub; a device, a pipe or
/// a socket always is (never opened); a folder is when every regular file in it is (up
/// to the bound [`count_files`] has). A file over [`JUDGE_LIMIT`] or one that cannot
/// be read is not judged.
pub fn judge(path: &Path) -> Option<Stub> {
    let metadata = std::fs::symlink_metadata(path).ok()?;
    if metadata.is_dir() {
        let mut files = regular_files(path).peekable();
        if files.peek().is_none() {
            return Some(Stub::EmptyFolder);
        }
        return files
            .all(|file| judge(file.path()).is_some())
            .then_some(Stub::FolderOfStubs);
    }
    if !metadata.is_file() {
        return (!metadata.is_symlink()).then_some(Stub::NotAFile);
    }
    if metadata.len() > JUDGE_LIMIT {
        return None;
    }
    // What is read counts toward the run's input budget like every other file.
    super::fs::charge(metadata.len().min(JUDGE_LIMIT + 1)).ok()?;
    let mut bytes = Vec::new();
    open_file(path)
        .ok()?
        .take(JUDGE_LIMIT + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    judge_bytes(&bytes)
}

/// The verdict on a file's bytes (see [`judge`]): UTF-16 when it starts with a UTF-16
/// byte-order mark (as Windows' "Unicode" writes it), else UTF-8.
pub fn judge_bytes(bytes: &[u8]) -> Option<Stub> {
    if bytes.is_empty() {
        return Some(Stub::Empty);
    }
    let utf16 = |unit: fn([u8; 2]) -> u16| {
        let units = bytes
            .chunks(2)
            .map(|pair| unit([pair[0], *pair.get(1).unwrap_or(&0)]));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    let text = match bytes {
        [0xFF, 0xFE, ..] => utf16(u16::from_le_bytes).into(),
        [0xFE, 0xFF, ..] => utf16(u16::from_be_bytes).into(),
        _ => String::from_utf8_lossy(bytes),
    };
    // A byte-order mark or a zero-width character shows nothing either.
    let invisible = |c: char| {
        c.is_whitespace() || matches!(c, '\u{feff}' | '\u{200b}'..='\u{200d}' | '\u{2060}')
    };
    if text.trim_matches(invisible).is_empty() {
        return Some(Stub::Blank);
    }
    if bytes.len() as u64 >= STUB_BYTES {
        return None;
    }
    let lower = text.to_lowercase();
    PLACEHOLDER_WORDS
        .iter()
        .copied()
        .find(|word| holds_word(&lower, &word.to_lowercase()))
        .map(Stub::Placeholder)
}

/// Whether `word` stands in `text` as a word of its own (not inside `TODOS` or
/// `xplaceholder`). An underscore parts words: `_TODO_` is Markdown for an
/// emphasised TODO.
fn holds_word(text: &str, word: &str) -> bool {
    let is_word_char = |c: char| c.is_alphanumeric();
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}

/// The fingerprint of the file or folder at `path`: a file's SHA-256 of any size,
/// streamed; a folder's file count.
pub fn fingerprint(path: &Path) -> Fingerprint {
    let metadata = match std::fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) => return Fingerprint::Unreadable(format!("cannot be read: {error}")),
    };
    if metadata.is_dir() {
        return Fingerprint::Folder {
            files: count_files(path),
        };
    }
    if !metadata.is_file() {
        return Fingerprint::Unreadable("is not a regular file or a folder".to_owned());
    }
    // Hashing reads the whole file: it counts toward the run's input budget.
    if let Err(why) = super::fs::charge(metadata.len()) {
        return Fingerprint::Unreadable(why);
    }
    let mut file = match open_file(path) {
        Ok(file) => file,
        Err(error) => return Fingerprint::Unreadable(format!("cannot be read: {error}")),
    };
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut bytes = 0u64;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => {
                hasher.update(&buffer[..read]);
                bytes += read as u64;
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Fingerprint::Unreadable(format!("cannot be read: {error}")),
        }
    }
    Fingerprint::File {
        bytes,
        sha256: format!("{:x}", hasher.finalize()),
    }
}

/// Opens a regular file without following a link in its last part and without
/// blocking on a pipe swapped in since it was looked at; anything else is refused.
fn open_file(path: &Path) -> std::io::Result<std::fs::File> {
    let file = super::fs::open_unfollowed(std::fs::OpenOptions::new().read(true), path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

/// Regular files at any depth under `folder`, symbolic links not followed and `.git`
/// left out (the resolver refuses it), counted up to a bound.
fn count_files(folder: &Path) -> usize {
    regular_files(folder).count()
}

/// The regular files at any depth under `folder`, symbolic links not followed, among
/// its first [`MAX_FOLDER_ENTRIES`] entries.
fn regular_files(folder: &Path) -> impl Iterator<Item = walkdir::DirEntry> {
    walkdir::WalkDir::new(folder)
        .follow_links(false)
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || entry.file_name() != super::fs::REPOSITORY_MARKER
        })
        .take(MAX_FOLDER_ENTRIES)
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
}
