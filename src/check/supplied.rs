//! Checking controls files whose text comes from somewhere other than the file at
//! their path — a git revision, for `srmlint diff` — exactly as a walk would check a
//! file lying there: under the `.srmlint.toml` that governs that folder, with its
//! `include`/`exclude`, evidence resolved from that folder. So both sides of a diff
//! are judged under one configuration, and only the controls files differ.

use std::path::PathBuf;

use super::governed::Governed;
use super::{Checker, FileReport, Keep, RunReport};
use crate::diag::Error;
use crate::input::discover::Candidate;
use crate::text::fs;

#[derive(Debug, Clone)]
pub struct Supplied {
    /// Where the file lies, or would lie, in the work tree.
    pub path: PathBuf,
    /// The path as output shows it.
    pub display: String,
    /// The file's bytes; `None` reads the file at `path` (SRM022 when it cannot).
    pub bytes: Option<Vec<u8>>,
    /// Why the file is not read at all (a revision's link out of the repository):
    /// one SRM022 finding, as for a walk's `Candidate::refused`.
    pub refused: Option<String>,
    /// Named on the command line: kept whatever `include`/`exclude` say.
    pub explicit: bool,
    /// A folder standing for the repository root when the file's Terraform sources
    /// are read (a revision's Terraform written out); `None`: the repository itself.
    pub terraform_root: Option<PathBuf>,
}

impl Checker {
    /// Checks `files` in parallel, each under the configuration that governs its
    /// folder; files that configuration excludes are left out of the report. Every
    /// report keeps its source text and parsed model.
    pub fn check_supplied(&self, files: &[Supplied]) -> Result<RunReport, Error> {
        let governed = Governed::new(self, &[], Keep::Everything);
        let candidates: Vec<Candidate> = files
            .iter()
            .map(|file| Candidate::named(file.path.clone(), file.display.clone()))
            .collect();
        let by_display: std::collections::HashMap<&str, &Supplied> = files
            .iter()
            .map(|file| (file.display.as_str(), file))
            .collect();
        let report = super::pool::check_candidates(&candidates, &|candidate| {
            let file = by_display.get(candidate.display.as_str())?;
            governed.check_at(
                &candidate.path,
                &candidate.display,
                file.explicit,
                None,
                |checker, base| -> FileReport {
                    let root = file.terraform_root.as_deref();
                    match (&file.refused, &file.bytes) {
                        (Some(why), _) => checker.check_read(Err(why.clone()), &file.display, base),
                        (None, Some(bytes)) => {
                            checker.check_bytes_in(bytes.clone(), &file.display, base, root)
                        }
                        // A work-tree file is read through the one resolver, so a link
                        // out of the repository is refused unread.
                        (None, None) => {
                            let at = match file.path.file_name() {
                                Some(name) => base.file_dir.join(name),
                                None => file.path.clone(),
                            };
                            let read = fs::read_confined(&base.repo_root, &at, fs::MAX_FILE_BYTES);
                            checker.check_read(read.and_then(fs::decode), &file.display, base)
                        }
                    }
                },
            )
        });
        match governed.finish().1.into_iter().next() {
            Some(error) => Err(error),
            None => Ok(report),
        }
    }
}
