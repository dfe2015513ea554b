//! What the report can say of each evidence item a claim cites, so an auditor can tell
//! what was seen and how old it is: a file's SHA-256 (streamed, of any size) and the
//! date of the last commit that changed it, a folder's file count, a web address as not
//! verified. Looked up by the caller before `build`, which does no I/O.
//!
//! Paths resolve through the same resolution as the evidence check (SRM032/SRM033):
//! nothing outside the repository is looked at. git is run as a program with fixed
//! arguments; the one path it is given comes after `--`, with pathspec magic off.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::source::{Git, run};
use crate::check::FileReport;
use crate::rules::evidence::{self, EvidenceBase};
use crate::text::evidence_file::{self, Fingerprint};
use crate::text::fs::Resolved;

/// One evidence item as the report fingerprints it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EvidenceFingerprint {
    /// The value as the controls file writes it.
    pub evidence: String,
    /// `file`, `folder`, `url` (never fetched: not verified), `missing` (SRM032),
    /// `outside` (SRM033, never read), or `unreadable`.
    pub kind: &'static str,
    /// A file's SHA-256 (hex); null for anything else.
    pub sha256: Option<String>,
    /// A file's size in bytes.
    pub bytes: Option<u64>,
    /// A folder's regular files, at any depth.
    pub files: Option<usize>,
    /// The date (YYYY-MM-DD) of the last commit that changed it; `unknown` in a shallow
    /// clone (whose history is cut); null when git cannot say (see `note`).
    pub last_commit: Option<String>,
    /// Why something is missing, in a few words.
    pub note: Option<String>,
}

/// The fingerprints of every evidence item of every file, by (controls file as shown,
/// evidence value).
#[derive(Debug, Clone, Default)]
pub struct EvidenceIndex {
    items: BTreeMap<(String, String), EvidenceFingerprint>,
}

impl EvidenceIndex {
    /// Fingerprints every evidence item the parsed files cite.
    pub fn of_files(files: &[FileReport]) -> Self {
        let mut index = Self::default();
        let mut shallow: BTreeMap<PathBuf, Option<bool>> = BTreeMap::new();
        for report in files {
            let Some(file) = &report.file else { continue };
            let base = EvidenceBase::for_file(Path::new(&report.path));
            for entry in &file.entries {
                let Some(list) = &entry.evidence else {
                    continue;
                };
                for item in &list.value {
                    let key = (report.path.clone(), item.value.clone());
                    if index.items.contains_key(&key) {
                        continue;
                    }
                    let print = fingerprint(&item.value, &base, &mut shallow);
                    index.items.insert(key, print);
                }
            }
        }
        index
    }

    /// The fingerprint of `evidence` as cited by the controls file `file`.
    pub fn get(&self, file: &str, evidence: &str) -> Option<&EvidenceFingerprint> {
        self.items.get(&(file.to_owned(), evidence.to_owned()))
    }
}

fn fingerprint(
    value: &str,
    base: &EvidenceBase,
    shallow: &mut BTreeMap<PathBuf, Option<bool>>,
) -> EvidenceFingerprint {
    let mut print = EvidenceFingerprint {
        evidence: value.to_owned(),
        kind: "unreadable",
        ..EvidenceFingerprint::default()
    };
    let resolved = (!evidence::is_url(value)).then(|| evidence::resolve(value, base));
    let found = match resolved {
        Some(Some(Resolved::Inside(found))) => found,
        other => {
            let (kind, note) = match other {
                None => ("url", "not verified: srmlint never fetches a web address"),
                Some(None) => ("unreadable", "not an evidence link"),
                Some(Some(Resolved::Missing(_))) => ("missing", "does not exist in the repository"),
                _ => ("outside", "outside the repository: never read"),
            };
            print.kind = kind;
            print.note = Some(note.to_owned());
            return print;
        }
    };
    match evidence_file::fingerprint(&found) {
        Fingerprint::File { bytes, sha256 } => {
            print.kind = "file";
            print.sha256 = Some(sha256);
            print.bytes = Some(bytes);
        }
        Fingerprint::Folder { files } => {
            print.kind = "folder";
            print.files = Some(files);
        }
        Fingerprint::Unreadable(why) => {
            print.note = Some(why);
            return print;
        }
    }
    match last_commit(&found, shallow) {
        Ok(date) => print.last_commit = Some(date),
        Err(why) => print.note = Some(why.to_owned()),
    }
    print
}

/// The date of the last commit that changed `path`, `unknown` in a shallow clone, or
/// why git cannot say.
fn last_commit(
    path: &Path,
    shallow: &mut BTreeMap<PathBuf, Option<bool>>,
) -> Result<String, &'static str> {
    let folder = crate::text::fs::dir_of(path);
    let is_shallow = *shallow.entry(folder.clone()).or_insert_with(|| {
        let Ok(Git::Said(said)) = run(&folder, &["rev-parse", "--is-shallow-repository"]) else {
            return None;
        };
        Some(said == "true")
    });
    match is_shallow {
        None => return Err("not in a git repository: no commit date"),
        // A shallow clone's oldest commit would claim every file changed on its date.
        Some(true) => return Ok("unknown".to_owned()),
        Some(false) => {}
    }
    let path = path.to_string_lossy();
    // A repository with no commit yet makes `git log` fail: no history either way.
    let log = [
        "--literal-pathspecs",
        "log",
        "-1",
        "--format=%cs",
        "--",
        &path,
    ];
    match run(&folder, &log) {
        Ok(Git::Said(date)) if !date.is_empty() => Ok(date),
        _ => Err("not committed: git has no history for it"),
    }
}
