//! `check --fix` and `check --diff` for the binary: each controls file fixed until no
//! fix applies (checked again after every pass under the configuration of its own
//! folder), then written back through the one atomic writer or shown as a unified
//! diff. The fixes themselves are `srmlint::authoring::fix`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use srmlint::authoring::fix::{self, Mode};
use srmlint::check::{Checker, FileReport, RunReport, Supplied};
use srmlint::input::discover::Candidate;
use srmlint::rules::evidence::EvidenceBase;
use srmlint::text::escape::escape_inline;
use srmlint::text::fs::{self, RepoRoots};

/// One controls file whose fixes changed its text.
#[derive(Debug)]
pub struct Changed {
    /// Where it lies (`None`: it came from standard input).
    pub path: Option<PathBuf>,
    /// As output shows it.
    pub display: String,
    pub before: String,
    pub after: String,
    /// The file began with a byte-order mark, which is written back.
    pub byte_order_mark: bool,
    /// How many fixes were applied to it.
    pub applied: usize,
}

impl Changed {
    /// The fixed file's bytes, as they are written.
    pub fn bytes(&self) -> Vec<u8> {
        with_mark(&self.after, self.byte_order_mark)
    }
}

fn with_mark(text: &str, byte_order_mark: bool) -> Vec<u8> {
    if byte_order_mark {
        format!("\u{feff}{text}").into_bytes()
    } else {
        text.as_bytes().to_vec()
    }
}

/// Fixes every file of `run` until no fix applies, each checked again under the
/// configuration that governs it; each report is replaced by the check of the fixed
/// text. Returns the files whose text changed, in report order.
pub fn fix_run(
    checker: &Checker,
    run: &mut RunReport,
    candidates: &[Candidate],
    mode: Mode,
    skip: &[String],
) -> Vec<Changed> {
    let on_disk: HashMap<&str, &Path> = candidates
        .iter()
        .map(|candidate| (candidate.display.as_str(), candidate.path.as_path()))
        .collect();
    let mut changed = Vec::new();
    for slot in &mut run.files {
        let Some(path) = on_disk
            .get(slot.path.as_str())
            .map(|path| path.to_path_buf())
        else {
            continue;
        };
        if slot.source.is_none() || slot.file.is_none() || skip.contains(&slot.path) {
            continue;
        }
        let report = std::mem::take(slot);
        let (report, change) = fix_file(checker, report, mode, Some(&path), |bytes, display| {
            check_as(checker, &path, display, bytes)
        });
        changed.extend(change);
        *slot = report;
    }
    changed
}

/// The check of `bytes` as the file at `path` (shown as `display`), under the
/// configuration of its own folder.
fn check_as(checker: &Checker, path: &Path, display: &str, bytes: Vec<u8>) -> FileReport {
    let supplied = Supplied {
        path: path.to_path_buf(),
        display: display.to_owned(),
        bytes: Some(bytes.clone()),
        explicit: true,
        terraform_root: None,
        refused: None,
    };
    match checker.check_supplied(std::slice::from_ref(&supplied)) {
        Ok(mut again) if again.files.len() == 1 => again.files.remove(0),
        // The configuration was loaded for the first check; should it fail now, the
        // file is still judged, under the run's own configuration.
        _ => checker.check_bytes(bytes, display, &EvidenceBase::for_file(path)),
    }
}

/// Puts back in `run` the report of the file as it stands, for a `change` that could
/// not be written: the findings shown are those of the text on disk.
pub fn unfix(checker: &Checker, run: &mut RunReport, change: &Changed) {
    let Some(path) = &change.path else {
        return;
    };
    if let Some(slot) = (run.files.iter_mut()).find(|file| file.path == change.display) {
        let before = with_mark(&change.before, change.byte_order_mark);
        *slot = check_as(checker, path, &change.display, before);
    }
}

/// Fixes the file `report` checked until no fix applies, each pass's bytes checked
/// again with `recheck` (under the name output shows); returns the report of the
/// fixed text and the change, if the text changed.
fn fix_file(
    checker: &Checker,
    report: FileReport,
    mode: Mode,
    path: Option<&Path>,
    recheck: impl Fn(Vec<u8>, &str) -> FileReport,
) -> (FileReport, Option<Changed>) {
    let display = report.path.clone();
    let byte_order_mark = report.byte_order_mark;
    let before = (report.source.as_ref())
        .map(|source| source.text().to_owned())
        .unwrap_or_default();
    let fixed = fix::fix_until_stable(report, &checker.matrix, mode, |text: String| {
        recheck(with_mark(&text, byte_order_mark), &display)
    });
    let changed = (fixed.text != before).then(|| Changed {
        path: path.map(Path::to_path_buf),
        display,
        before,
        after: fixed.text,
        byte_order_mark,
        applied: fixed.applied,
    });
    (fixed.report, changed)
}

/// Fixes the text read from standard input (`original`, and `report` its check);
/// returns the report of the fixed text, the change if any, and the bytes to give
/// back: the fixed text, or what came in when it could not be read as text (for text
/// over the size limit, the part read: `pass_rest_of_stdin` gives the rest).
pub fn fix_stdin(
    checker: &Checker,
    report: FileReport,
    original: Vec<u8>,
    base: &EvidenceBase,
    mode: Mode,
) -> (FileReport, Option<Changed>, Vec<u8>) {
    let Some(before) = report
        .source
        .as_ref()
        .map(|source| source.text().to_owned())
    else {
        // Not text: nothing to fix, and nothing to give back but what came in.
        return (report, None, original);
    };
    let byte_order_mark = report.byte_order_mark;
    let (report, changed) = fix_file(checker, report, mode, None, |bytes, display| {
        checker.check_bytes(bytes, display, base)
    });
    let after = changed.as_ref().map_or(&before, |change| &change.after);
    let bytes = with_mark(after, byte_order_mark);
    (report, changed, bytes)
}

/// Copies to stdout what standard input holds past what was read: text too large to
/// be checked is given back whole, streamed through rather than held.
pub fn pass_rest_of_stdin() -> Result<(), String> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let copied = std::io::copy(&mut std::io::stdin().lock(), &mut stdout);
    match copied.and_then(|_| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(format!(
            "cannot give standard input back on stdout: {error}"
        )),
        _ => Ok(()),
    }
}

/// The change as a unified diff, `---`/`+++` naming the file as output shows it. The
/// lines are those on disk, a byte-order mark included, so `patch` applies it.
pub fn unified_diff(changed: &Changed) -> String {
    let mark = if changed.byte_order_mark {
        "\u{feff}"
    } else {
        ""
    };
    let (before, after) = (
        format!("{mark}{}", changed.before),
        format!("{mark}{}", changed.after),
    );
    let diff = similar::TextDiff::from_lines(&before, &after);
    let shown = escape_inline(&changed.display);
    diff.unified_diff()
        .context_radius(3)
        .header(&shown, &shown)
        .to_string()
}

/// Writes a fixed controls file through the atomic writer. A controls file that is a
/// symbolic link keeps its link: the file it leads to is rewritten, when that lies
/// inside the repository of the link; a link that leads outside is refused.
pub fn write(changed: &Changed) -> Result<(), String> {
    let Some(path) = &changed.path else {
        return Ok(());
    };
    let target = target(path, &changed.display)?;
    fs::write_output(&target, &changed.bytes(), true)
}

/// The file a fix of the controls file at `path` (shown as `display`) is written to:
/// the file itself, or the file its link leads to when that lies inside the link's
/// repository; a link that leads outside is refused, and nothing is written.
pub fn target(path: &Path, display: &str) -> Result<PathBuf, String> {
    let shown = escape_inline(display);
    let is_link = path
        .symlink_metadata()
        .is_ok_and(|metadata| metadata.file_type().is_symlink());
    if !is_link {
        return Ok(path.to_path_buf());
    }
    let target = std::fs::canonicalize(path)
        .map_err(|error| format!("cannot fix `{shown}`: cannot follow the link: {error}"))?;
    let mut roots = RepoRoots::default();
    let folder = fs::absolute(fs::folder_of(path));
    let root = roots.root_of(&folder).unwrap_or(folder);
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    if !target.starts_with(&root) {
        return Err(format!(
            "not fixing `{shown}`: it is a link that leads outside its repository; fix the file it leads to where it lies"
        ));
    }
    Ok(target)
}
