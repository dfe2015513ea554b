//! Fixes: the edits that resolve a finding, worked out from what its rule proposes
//! (`diag::Proposal`) and the controls file as written, and applied to a file's text
//! until no fix applies. Edits keep every comment and the layout outside the place
//! they change: a key or value is replaced where it stands (a key in every place it
//! is written), a list item is added or removed in the list alone with toml_edit, and
//! a new key or entry is added with toml_edit, which keeps the rest of the document.
//! Each edit is the one changed stretch of text, so JSON, SARIF and an editor's code
//! action apply exactly what `check --fix` writes; a fix whose text would not read
//! back as what it means is not offered.
//!
//! The API for a client (the command line, a language server): [`compute`] gives each
//! diagnostic of a checked file its fix, [`apply`] applies edits to a text, and
//! [`fix_until_stable`] repeats both with a fresh check until nothing changes.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::authoring::init;
use crate::check::FileReport;
use crate::data::matrix::{Matrix, MatrixOwner};
use crate::data::scope::DeploymentScope;
use crate::diag::{Applicability, Diagnostic, Edit, Fix, Proposal};
use crate::input::controls::ControlsFile;
use crate::text::SourceText;
use crate::text::escape::{toml_key, toml_string};
use crate::text::toml::key_spans;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Only the safe ones (`--fix`).
    Safe,
    /// The unsafe ones too (`--unsafe-fixes`).
    Unsafe,
}

impl Mode {
    pub fn allows(self, applicability: Applicability) -> bool {
        self == Mode::Unsafe || applicability == Applicability::Safe
    }
}

/// The fix of each diagnostic of `report`, in the order of `report.diagnostics`;
/// `None` where there is none (no proposal, a file that is not TOML, a fix that
/// would write a key or table that already exists).
pub fn compute(report: &FileReport, matrix: &Matrix) -> Vec<Option<Fix>> {
    let proposes = (report.diagnostics.iter()).any(|diagnostic| diagnostic.proposal.is_some());
    let (true, Some(source), Some(file)) = (proposes, &report.source, &report.file) else {
        return vec![None; report.diagnostics.len()];
    };
    // Corrected owner words, services, zones and models are string values the first
    // parse placed: their fixes need no second parse of the file.
    let strings: HashSet<(usize, usize)> = (file.entries.iter())
        .flat_map(|entry| {
            let owner = entry.owner.as_ref().map(|owner| &owner.span);
            let models = entry.models.iter().flat_map(|models| &models.value);
            owner.into_iter().chain(models.map(|model| &model.span))
        })
        .chain(
            (file.deployment.service_list().iter())
                .chain(&file.deployment.zones)
                .map(|item| &item.span),
        )
        .map(|span| (span.start, span.end))
        .collect();
    let text = source.text();
    // A control id is a key the first parse placed too. Written once, with no escape
    // anywhere that could spell it (or the new name) another way, it is renamed where
    // it stands, without a second parse.
    let plain = !text.contains('\\') && !has_unread_parts(report);
    let controls: HashMap<(usize, usize), &str> = (file.entries.iter())
        .filter(|_| plain)
        .map(|entry| {
            let span = &entry.control.span;
            ((span.start, span.end), entry.control.value.as_str())
        })
        .collect();
    let direct = |diagnostic: &Diagnostic| match &diagnostic.proposal {
        Some(Proposal::Replace {
            with,
            applicability,
        }) if diagnostic.file == report.path => {
            let at = (diagnostic.span.start, diagnostic.span.end);
            if strings.contains(&at) {
                Some(replace_string(
                    report,
                    source,
                    &diagnostic.span,
                    with,
                    *applicability,
                ))
            } else {
                let control = controls.get(&at)?;
                let fix =
                    rename_control_once(report, file, source, &diagnostic.span, control, with)?;
                Some(fix.map(|fix| Fix {
                    applicability: *applicability,
                    ..fix
                }))
            }
        }
        _ => None,
    };
    // A claim to add goes after the last claim: where toml_edit puts it can be told from
    // the text alone when the text is plain, and then the file need not be parsed again.
    // Worked out once, for the first claim to add: most files have none.
    let mut claim_at = None;
    let mut rewrites = 0;
    let quick: Option<Vec<Option<Fix>>> = (report.diagnostics.iter())
        .map(|diagnostic| match &diagnostic.proposal {
            None => Some(None),
            Some(Proposal::AddClaim { control, owner }) => {
                let at = (*claim_at.get_or_insert_with(|| after_last_claim(report, file, text)))?;
                let new = new_claim(matrix, file, control, owner);
                let Some((block, message)) = new.filter(|_| rewrites < MAX_REWRITES) else {
                    return Some(None);
                };
                rewrites += 1;
                let after = format!("{}\n{block}{}", &text[..at], &text[at..]);
                let (span, content) = changed_stretch(text, &after)?;
                Some(Some(Fix {
                    applicability: Applicability::Unsafe,
                    message,
                    edits: vec![edit(report, source, span, content)],
                }))
            }
            _ => direct(diagnostic),
        })
        .collect();
    if let Some(fixes) = quick {
        return fixes;
    }
    let Ok(document) = toml_edit::Document::parse(source.text()) else {
        return vec![None; report.diagnostics.len()];
    };
    // Only the places a fix replaces or removes are looked up: the rest of the
    // document is walked without being recorded.
    let wanted = (report.diagnostics.iter())
        .filter(|diagnostic| {
            matches!(
                diagnostic.proposal,
                Some(
                    Proposal::Replace { .. }
                        | Proposal::RemoveItem { .. }
                        | Proposal::RemoveRepeats
                )
            ) && diagnostic.file == report.path
                && direct(diagnostic).is_none()
        })
        .map(|diagnostic| (diagnostic.span.start, diagnostic.span.end))
        .collect();
    let context = Context {
        report,
        source,
        index: Index::of(document.as_table(), wanted),
        document: &document,
        matrix,
        rewrites: Cell::new(0),
        unchanged: OnceCell::new(),
        removals: RefCell::default(),
    };
    report
        .diagnostics
        .iter()
        .map(|diagnostic| direct(diagnostic).unwrap_or_else(|| context.fix(diagnostic)))
        .collect()
}

/// Sets `fix` on every diagnostic of `report` that has one and that can be applied
/// together with all the others set, as JSON, SARIF and an editor offer them: a
/// waived finding is never fixed, and of two fixes that overlap, or that rename two
/// keys of one table to one name, only the first is set (safe ones first, in the
/// order `select` applies them); the other is offered once that one is applied.
/// Findings that one change resolves all carry it.
pub fn attach(report: &mut FileReport, matrix: &Matrix) {
    let fixes = compute(report, matrix);
    let mut offered = Vec::new();
    for (index, (diagnostic, fix)) in report.diagnostics.iter_mut().zip(fixes).enumerate() {
        diagnostic.fix = fix.filter(|_| !diagnostic.is_waived());
        if let Some(fix) = &diagnostic.fix {
            offered.push((
                fix.applicability != Applicability::Safe,
                round(diagnostic),
                index,
            ));
        }
    }
    if offered.len() < 2 {
        return;
    }
    offered.sort_unstable();
    // The tables keyed by where each entry's header starts: a key renamed belongs to
    // the last entry opened before it (a control id, to `controls` itself). Looked up
    // only for a file with a rename.
    let tables = OnceCell::new();
    let tables = || {
        tables.get_or_init(|| {
            let entries = report.file.iter().flat_map(|file| &file.entries);
            let mut headers: Vec<usize> = entries.clone().map(|entry| entry.header.start).collect();
            headers.sort_unstable();
            let controls: HashSet<(usize, usize)> = (entries)
                .map(|entry| (entry.control.span.start, entry.control.span.end))
                .collect();
            (headers, controls)
        })
    };
    // The edits set so far, by (start, end): they never overlap, so an edit can only
    // clash with the last one starting before it or one starting inside it.
    let mut taken: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut names: HashSet<(usize, String)> = HashSet::new();
    let mut kept: Vec<usize> = Vec::new();
    for (_, _, index) in offered {
        let diagnostic = &report.diagnostics[index];
        let Some(fix) = &diagnostic.fix else {
            continue;
        };
        let clashes = (fix.edits.iter()).any(|edit| {
            let (start, end) = (edit.span.start, edit.span.end);
            let before = taken.range(..(start, 0)).next_back();
            let inside = taken.range((start, 0)..(end.max(start + 1), 0));
            before.is_some_and(|&(_, other_end)| other_end > start)
                || inside.into_iter().any(|&(other_start, other_end)| {
                    other_start > start || start < end || other_start < other_end
                })
        });
        let renamed = match &diagnostic.proposal {
            Some(Proposal::Replace { with, .. })
                if fix
                    .edits
                    .first()
                    .is_some_and(|edit| edit.content != toml_string(with)) =>
            {
                let span = &diagnostic.span;
                let (headers, controls) = tables();
                let table = if controls.contains(&(span.start, span.end)) {
                    usize::MAX
                } else {
                    headers.partition_point(|start| *start <= span.start)
                };
                Some((table, with.clone()))
            }
            // A claim added names its control in `controls` as a rename onto it does:
            // with both applied, the table would be written twice.
            Some(Proposal::AddClaim { control, .. }) => Some((usize::MAX, control.clone())),
            _ => None,
        };
        if clashes || renamed.is_some_and(|name| !names.insert(name)) {
            // Two findings one change resolves (a value two rules flag) share it.
            let shared = kept
                .iter()
                .any(|&other| report.diagnostics[other].fix.as_ref() == Some(fix));
            if !shared {
                report.diagnostics[index].fix = None;
            }
        } else {
            taken.extend(
                fix.edits
                    .iter()
                    .map(|edit| (edit.span.start, edit.span.end)),
            );
            kept.push(index);
        }
    }
}

/// Why edits could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyError {
    /// Two edits change the same stretch of text (or insert at one place).
    Overlap,
    /// An edit lies outside the text or splits a character.
    OutOfRange,
}

/// `text` with `edits` applied. Edits are placed by their byte `span`; they may come
/// in any order but may not overlap.
pub fn apply(text: &str, edits: &[&Edit]) -> Result<String, ApplyError> {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (index, edit) in sorted.iter().enumerate() {
        let span = &edit.span;
        if span.start > span.end
            || span.end > text.len()
            || !text.is_char_boundary(span.start)
            || !text.is_char_boundary(span.end)
        {
            return Err(ApplyError::OutOfRange);
        }
        if span.start < at || (index > 0 && span.start == at && sorted[index - 1].span == *span) {
            return Err(ApplyError::Overlap);
        }
        out.push_str(&text[at..span.start]);
        out.push_str(&edit.content);
        at = span.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// The fixes of `diagnostics` that `mode` allows and that can be applied together
/// to `file`: in order, each one whose edits all lie in `file` and touch no edit
/// already chosen. Waived findings are left alone. The rest wait for the next pass.
/// Fixes come in rounds (see [`round`]): one of a later round waits until no fix of an
/// earlier one applies.
pub fn select<'d>(diagnostics: &'d [Diagnostic], file: &str, mode: Mode) -> Vec<&'d Fix> {
    (0..=2)
        .map(|wanted| {
            select_among(
                diagnostics.iter().filter(|d| round(d) == wanted),
                file,
                mode,
            )
        })
        .find(|chosen| !chosen.is_empty())
        .unwrap_or_default()
}

/// When a diagnostic's fix may be applied. The owner a control should have follows
/// from the services in use, so an owner word is corrected (SRM002–SRM004) only once
/// the ids of the file are (a misspelt service changes the models in use); a new entry
/// (SRM001) comes last, since a renamed entry may be the claim it would add.
fn round(diagnostic: &Diagnostic) -> u8 {
    match (&diagnostic.proposal, diagnostic.code.as_str()) {
        (Some(Proposal::AddClaim { .. }), _) => 2,
        (_, "SRM002" | "SRM003" | "SRM004") => 1,
        _ => 0,
    }
}

fn select_among<'d>(
    diagnostics: impl Iterator<Item = &'d Diagnostic>,
    file: &str,
    mode: Mode,
) -> Vec<&'d Fix> {
    let mut chosen: Vec<&Fix> = Vec::new();
    let mut taken: Vec<Range<usize>> = Vec::new();
    for diagnostic in diagnostics {
        let Some(fix) = &diagnostic.fix else {
            continue;
        };
        if diagnostic.is_waived() || !mode.allows(fix.applicability) {
            continue;
        }
        if fix.edits.is_empty() || fix.edits.iter().any(|edit| edit.file != file) {
            continue;
        }
        let clashes = fix.edits.iter().any(|edit| {
            taken
                .iter()
                .any(|other| edit.span.start <= other.end && other.start <= edit.span.end)
        });
        if clashes {
            continue;
        }
        taken.extend(fix.edits.iter().map(|edit| edit.span.clone()));
        chosen.push(fix);
    }
    chosen
}

/// At most this many passes: each pass applies every fix that does not clash with
/// another, so real files settle in two or three; the bound only stops fixes that
/// would undo each other.
pub const MAX_PASSES: usize = 16;

/// What fixing a file came to.
#[derive(Debug)]
pub struct Fixed {
    /// The text after every pass.
    pub text: String,
    /// How many findings the applied fixes resolved, over all passes.
    pub applied: usize,
    /// The check of `text`, with the fixes that remain attached.
    pub report: FileReport,
}

/// Applies the fixes `mode` allows to the file `report` checked, checks the result
/// again with `recheck`, and repeats until no fix applies (a fix may make another
/// possible: a corrected typo that duplicates a value). Applying the result again
/// changes nothing.
pub fn fix_until_stable(
    mut report: FileReport,
    matrix: &Matrix,
    mode: Mode,
    mut recheck: impl FnMut(String) -> FileReport,
) -> Fixed {
    let mut applied = 0;
    let Some(mut text) = report
        .source
        .as_ref()
        .map(|source| source.text().to_owned())
    else {
        return Fixed {
            text: String::new(),
            applied,
            report,
        };
    };
    attach(&mut report, matrix);
    for _ in 0..MAX_PASSES {
        let chosen = select(&report.diagnostics, &report.path, mode);
        if chosen.is_empty() {
            break;
        }
        let Some((next, done)) = apply_valid(&text, &chosen) else {
            break;
        };
        // Findings resolved: each whose fix was applied (one fix may serve several,
        // as the removal of a value's repeats does).
        applied += report
            .diagnostics
            .iter()
            .filter(|diagnostic| {
                diagnostic.is_active()
                    && diagnostic
                        .fix
                        .as_ref()
                        .is_some_and(|fix| done.contains(&fix))
            })
            .count();
        text = next;
        report = recheck(text.clone());
        attach(&mut report, matrix);
    }
    Fixed {
        text,
        applied,
        report,
    }
}

/// `text` with every fix of `chosen` applied, and the fixes applied; should the fixes
/// together not give TOML (two fixes that each hold alone but not side by side), the
/// first fix alone that does. `None` when none changes the text into TOML.
fn apply_valid<'f>(text: &str, chosen: &[&'f Fix]) -> Option<(String, Vec<&'f Fix>)> {
    let is_toml = |candidate: &str| toml_edit::Document::parse(candidate).is_ok();
    let edits: Vec<&Edit> = chosen.iter().flat_map(|fix| fix.edits.iter()).collect();
    if let Ok(next) = apply(text, &edits)
        && next != text
        && is_toml(&next)
    {
        return Some((next, chosen.to_vec()));
    }
    chosen.iter().find_map(|fix| {
        let edits: Vec<&Edit> = fix.edits.iter().collect();
        apply(text, &edits)
            .ok()
            .filter(|next| next != text && is_toml(next))
            .map(|next| (next, vec![*fix]))
    })
}

/// What a fix is computed from.
struct Context<'a> {
    report: &'a FileReport,
    source: &'a SourceText,
    /// The controls file parsed with spans.
    document: &'a toml_edit::Document<&'a str>,
    /// What lies at each span of it.
    index: Index,
    matrix: &'a Matrix,
    /// How many fixes were worked out by writing a list or the whole document again.
    rewrites: Cell<usize>,
    /// The document as toml_edit writes it unchanged, once a fix needs it.
    unchanged: OnceCell<String>,
    /// The fix that removes a value from a list (or its repeats), by list, value as
    /// written and whether the first stays: the same for each of its findings.
    removals: RefCell<HashMap<RemovalOf, Option<Fix>>>,
}

/// A list (by where it starts), a value in it as written, whether the first stays.
type RemovalOf = (usize, String, bool);

/// Fixes worked out by writing a list or the whole document again (adding or removing
/// a list item, adding an entry) per check of a file: each costs the size of what is
/// written, so a hostile file with a hundred thousand repeated values is not rewritten
/// a hundred thousand times. `--fix` takes the rest in its next passes.
pub const MAX_REWRITES: usize = 64;

impl Context<'_> {
    fn fix(&self, diagnostic: &Diagnostic) -> Option<Fix> {
        let proposal = diagnostic.proposal.as_ref()?;
        // Only a finding in the controls file marks a place in it; a finding in a
        // Terraform file proposes something to add, which needs no place.
        let in_file = diagnostic.file == self.report.path;
        match proposal {
            Proposal::Replace {
                with,
                applicability,
            } if in_file => self.replace(&diagnostic.span, with, *applicability),
            Proposal::RemoveItem { applicability } if in_file => {
                self.remove_item(&diagnostic.span, *applicability)
            }
            Proposal::RemoveRepeats if in_file => self.remove_repeats(&diagnostic.span),
            Proposal::AddToDeployment { key, value } => self.add_to_deployment(key, value),
            Proposal::AddClaim { control, owner } => self.add_claim(control, owner),
            Proposal::Replace { .. } | Proposal::RemoveItem { .. } | Proposal::RemoveRepeats => {
                None
            }
        }
    }

    fn text(&self) -> &str {
        self.source.text()
    }

    /// `with` in place of the key or string value at `span`; not offered when a key
    /// would be renamed to one its table already has.
    fn replace(
        &self,
        span: &Range<usize>,
        with: &str,
        applicability: Applicability,
    ) -> Option<Fix> {
        let found = self.index.get(span)?;
        let Found::Key { again, .. } = found else {
            return replace_string(self.report, self.source, span, with, applicability);
        };
        let written = self.text().get(span.clone())?;
        let content = toml_key(with);
        if self.index.has_sibling(found, with) || content == written {
            return None;
        }
        // A key written in several places is renamed in every one, or not at all: the
        // table would be cut in two.
        let spans = match again {
            None => vec![span.clone()],
            Some((names, times)) => {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                Some(key_spans(self.text(), &names)?).filter(|spans| spans.len() == *times)?
            }
        };
        let edits = (spans.into_iter())
            .map(|span| edit(self.report, self.source, span, content.clone()))
            .collect();
        Some(Fix {
            applicability,
            message: format!("rename `{}` to `{with}`", unquote(written)),
            edits,
        })
    }

    /// Removes the value at `span` from its list, each time it is written there.
    fn remove_item(&self, span: &Range<usize>, applicability: Applicability) -> Option<Fix> {
        self.remove_value(span, applicability, false)
    }

    /// Removes every repeat of the value at `span` from its list, keeping the first.
    fn remove_repeats(&self, span: &Range<usize>) -> Option<Fix> {
        self.remove_value(span, Applicability::Safe, true)
    }

    /// Removes the value at `span` from its list wherever it is written there, but for
    /// the first time when `keep_first`: one fix for all the findings about the value
    /// in the list, worked out once however many there are.
    fn remove_value(
        &self,
        span: &Range<usize>,
        applicability: Applicability,
        keep_first: bool,
    ) -> Option<Fix> {
        let Found::String {
            list: Some((list, key, _)),
        } = self.index.get(span)?
        else {
            return None;
        };
        let value = self.text().get(span.clone())?.to_owned();
        let of = (list.start, value, keep_first);
        if let Some(known) = self.removals.borrow().get(&of) {
            return known.clone();
        }
        let target = self.index_value(span);
        let fix = target.and_then(|target| {
            self.list_fix(list, applicability, |array| {
                let written: Vec<usize> = (array.iter().enumerate())
                    .filter(|(_, item)| item.as_str() == Some(target.as_str()))
                    .map(|(index, _)| index)
                    .skip(usize::from(keep_first))
                    .collect();
                for index in written.iter().rev() {
                    remove_keeping_layout(array, *index)?;
                }
                let repeated = if keep_first { "the repeated " } else { "" };
                let message = format!("remove {repeated}`{target}` from `{key}`");
                (!written.is_empty()).then_some(message)
            })
        });
        self.removals.borrow_mut().insert(of, fix.clone());
        fix
    }

    /// The string value at `span`, as TOML reads it.
    fn index_value(&self, span: &Range<usize>) -> Option<String> {
        let file = self.report.file.as_ref()?;
        let lists = [
            file.deployment.service_list(),
            &file.deployment.zones,
            &file.deployment.frameworks,
            &file.deployment.terraform,
            &file.deployment.regulated,
        ];
        let in_entries = file.entries.iter().flat_map(|entry| {
            let models = entry.models.iter().flat_map(|models| models.value.iter());
            let evidence = entry
                .evidence
                .iter()
                .flat_map(|evidence| evidence.value.iter());
            models.chain(evidence)
        });
        lists
            .into_iter()
            .flatten()
            .chain(in_entries)
            .find(|item| item.span == *span)
            .map(|item| item.value.clone())
    }

    /// Adds `value` to the deployment's list `key`, or writes the key when missing.
    fn add_to_deployment(&self, key: &str, value: &str) -> Option<Fix> {
        let message = format!("add `{value}` to `{key}`");
        if let Some(item) = self.document.get("deployment")?.as_table()?.get(key) {
            return self.list_fix(&item.as_array()?.span()?, Applicability::Safe, |list| {
                let there = list.iter().any(|item| item.as_str() == Some(value));
                push_keeping_layout(list, value);
                (!there).then_some(message)
            });
        }
        let mut document = self.mutable()?;
        let mut list = Array::new();
        list.push(value);
        let deployment = document.get_mut("deployment")?.as_table_mut()?;
        deployment.insert(key, toml_edit::value(list));
        self.fix_from(&document, Applicability::Safe, message)
    }

    /// Adds the entry `init` would write for `control`, after the last claim.
    fn add_claim(&self, control: &str, owner: &str) -> Option<Fix> {
        let file = self.report.file.as_ref()?;
        let (block, message) = new_claim(self.matrix, file, control, owner)?;
        let parsed: DocumentMut = block.parse().ok()?;
        let mut entry = parsed.get("controls")?.get(control)?.as_table()?.clone();
        // After the last claim, where a person looks for claims; the entry takes its
        // place in the document, so it comes before what follows it (acknowledgements,
        // waivers) and the comments that open them.
        let last_claim = file
            .entries
            .iter()
            .rev()
            .find(|entry| {
                entry
                    .owner
                    .as_ref()
                    .is_some_and(|owner| owner.value.is_claim())
            })
            .and_then(|entry| {
                self.document
                    .get("controls")?
                    .get(&entry.control.value)?
                    .as_table()?
                    .position()
            });
        entry.set_position(last_claim);
        let comments = entry
            .decor()
            .prefix()
            .and_then(|prefix| prefix.as_str())
            .unwrap_or("")
            .to_owned();
        entry.decor_mut().set_prefix(format!("\n{comments}"));
        let mut document = self.mutable()?;
        let controls = document
            .entry("controls")
            .or_insert_with(|| {
                let mut table = Table::new();
                table.set_implicit(true);
                Item::Table(table)
            })
            .as_table_mut()?;
        controls.insert(control, Item::Table(entry));
        self.fix_from(&document, Applicability::Unsafe, message)
    }

    /// Counts one more rewrite; false once `MAX_REWRITES` were made.
    fn may_rewrite(&self) -> bool {
        let made = self.rewrites.get();
        self.rewrites.set(made + 1);
        made < MAX_REWRITES
    }

    /// The document as toml_edit edits it; `None` once `MAX_REWRITES` were made.
    fn mutable(&self) -> Option<DocumentMut> {
        self.may_rewrite().then(|| self.document.clone().into_mut())
    }

    /// The fix that makes `change` to the list written at `span` (`change` says what
    /// it did, or `None` for nothing to do): the list alone is read, changed and
    /// written again, so nothing outside it moves. Offered only when what is written
    /// reads back as the items `change` left, in order, so a layout that would put an
    /// item or the closing bracket inside a comment is never offered.
    fn list_fix(
        &self,
        span: &Range<usize>,
        applicability: Applicability,
        change: impl FnOnce(&mut Array) -> Option<String>,
    ) -> Option<Fix> {
        if !self.may_rewrite() {
            return None;
        }
        let text = self.text();
        let mut list: Value = text.get(span.clone())?.parse().ok()?;
        let message = change(list.as_array_mut()?)?;
        let written = self.line_breaks(list.to_string());
        let items = |list: &Value| -> Option<Vec<Option<String>>> {
            let items = list.as_array()?.iter();
            Some(items.map(|item| item.as_str().map(str::to_owned)).collect())
        };
        let read_back: Value = written.parse().ok()?;
        if items(&read_back)? != items(&list)? {
            return None;
        }
        // The lines the list is on, with it written again: the one stretch of them
        // that changed is the edit.
        let start = text[..span.start].rfind('\n').map_or(0, |at| at + 1);
        let end = (text[span.end..].find('\n')).map_or(text.len(), |at| span.end + at + 1);
        let after = format!(
            "{}{written}{}",
            &text[start..span.start],
            &text[span.end..end]
        );
        let (stretch, content) = changed_stretch(&text[start..end], &after)?;
        let stretch = start + stretch.start..start + stretch.end;
        Some(Fix {
            applicability,
            message,
            edits: vec![edit(self.report, self.source, stretch, content)],
        })
    }

    /// What toml_edit wrote, with `\r\n` line breaks when the file has them (toml_edit
    /// writes the lines it adds with `\n`).
    fn line_breaks(&self, written: String) -> String {
        if self.text().contains("\r\n") {
            written.replace("\r\n", "\n").replace('\n', "\r\n")
        } else {
            written
        }
    }

    /// The fix that turns the file's text into `document`'s: the one stretch that
    /// differs, so everything around it stays byte for byte; none when what toml_edit
    /// writes is not TOML.
    fn fix_from(
        &self,
        document: &DocumentMut,
        applicability: Applicability,
        message: String,
    ) -> Option<Fix> {
        let text = self.text();
        let after = self.line_breaks(document.to_string());
        toml_edit::Document::parse(after.as_str()).ok()?;
        let (mut span, mut content) = changed_stretch(text, &after)?;
        // toml_edit may write a part it was not asked to change otherwise than the text
        // has it (a header's keys, such as `[ a . "b" ]`, are shared with the headers
        // below it). The change is then the one between the document written unchanged
        // and changed, on the same lines of the text, when they read the same there.
        let unchanged = (self.unchanged)
            .get_or_init(|| self.line_breaks(self.document.clone().into_mut().to_string()));
        let lines = |text: &str| text.matches('\n').count();
        if unchanged != text
            && lines(unchanged) == lines(text)
            && let Some((at, change)) = changed_stretch(unchanged, &after)
        {
            let start = line_start(text, lines(&unchanged[..at.start]));
            let end = line_start(text, lines(&unchanged[..at.end]));
            if text.get(start..end) == unchanged.get(at) {
                (span, content) = (start..end, change);
            }
        }
        Some(Fix {
            applicability,
            message,
            edits: vec![edit(self.report, self.source, span, content)],
        })
    }
}

/// Where line `number` (from 0) of `text` starts.
fn line_start(text: &str, number: usize) -> usize {
    text.split_inclusive('\n').take(number).map(str::len).sum()
}

/// One edit of the file `report` checked: `span` of its text becomes `content`.
fn edit(report: &FileReport, source: &SourceText, span: Range<usize>, content: String) -> Edit {
    let (start, end) = source.range(&span);
    Edit {
        file: report.path.clone(),
        span,
        start,
        end,
        content,
    }
}

/// `with` in place of the string value at `span`.
fn replace_string(
    report: &FileReport,
    source: &SourceText,
    span: &Range<usize>,
    with: &str,
    applicability: Applicability,
) -> Option<Fix> {
    let written = source.text().get(span.clone())?;
    let content = toml_string(with);
    if content == written {
        return None;
    }
    Some(Fix {
        applicability,
        message: format!("replace `{}` with `{with}`", unquote(written)),
        edits: vec![edit(report, source, span.clone(), content)],
    })
}

/// The entry `init` writes for `control`, and the message of the fix that adds it,
/// when the file has none for it and the matrix knows it.
fn new_claim(
    matrix: &Matrix,
    file: &ControlsFile,
    control: &str,
    owner: &str,
) -> Option<(String, String)> {
    let known = matrix.control(control)?;
    if (file.entries.iter()).any(|entry| entry.control.value == control) {
        return None;
    }
    let owner = match owner {
        "shared" => MatrixOwner::Shared,
        _ => MatrixOwner::Customer,
    };
    let scope = DeploymentScope::of(matrix, file.deployment.service_list());
    let models = scope.models_in_file_order();
    let block = init::claim_block(matrix, known, owner, &models, &scope.services);
    let message = format!(
        "add a `[controls.{control}]` claim (owner `{}`) to fill in",
        owner.as_str()
    );
    Some((block, message))
}

/// Whether the first parse left part of the file unread (an unknown key, a value of
/// the wrong type, a file that is not TOML): then only toml_edit can tell what is there.
fn has_unread_parts(report: &FileReport) -> bool {
    (report.diagnostics.iter())
        .any(|diagnostic| ["SRM020", "SRM021", "SRM022"].contains(&diagnostic.code.as_str()))
}

/// The fix renaming the control id at `span` (decoded: `control`) to `with`, when the
/// text settles it alone: none when an entry for `with` exists already (the table
/// would have the key twice); the rename when the id is written nowhere else (so the
/// entry is not split) and the new name nowhere at all. `None` leaves the question to
/// toml_edit. The caller has made sure no escape in the text could spell either name
/// differently.
fn rename_control_once(
    report: &FileReport,
    file: &ControlsFile,
    source: &SourceText,
    span: &Range<usize>,
    control: &str,
    with: &str,
) -> Option<Option<Fix>> {
    if (file.entries.iter()).any(|entry| entry.control.value == with) {
        return Some(None);
    }
    let text = source.text();
    let written = text.get(span.clone())?;
    let content = toml_key(with);
    if text.matches(control).count() != 1 || text.contains(with) || content == written {
        return None;
    }
    Some(Some(Fix {
        applicability: Applicability::Safe,
        message: format!("rename `{}` to `{with}`", unquote(written)),
        edits: vec![edit(report, source, span.clone(), content)],
    }))
}

/// Where toml_edit writes an entry placed after the last claim: after that table's
/// last key and value, before the blank and comment lines that open what follows (or
/// end the file). `None` when the text leaves room for doubt: no claim, or the last one
/// inline; a carriage return, a multi-line string, no final line break; a key or value
/// the reader could not take.
fn after_last_claim(report: &FileReport, file: &ControlsFile, text: &str) -> Option<usize> {
    if has_unread_parts(report) || !text.ends_with('\n') || text.contains('\r') {
        return None;
    }
    let last = (file.entries.iter().rev())
        .find(|entry| (entry.owner.as_ref()).is_some_and(|owner| owner.value.is_claim()))?;
    // Only the text from the last claim on is read, so only there could a multi-line
    // string hide a line that looks like a header.
    let tail = text.get(last.header.start..)?;
    if !tail.starts_with('[') || tail.contains("\"\"\"") || tail.contains("'''") {
        return None;
    }
    let mut at = last.header.end + text[last.header.end..].find('\n')? + 1;
    let mut offset = at;
    for line in text[at..].split_inclusive('\n') {
        let written = line.trim_start();
        if written.starts_with('[') {
            break;
        }
        offset += line.len();
        if !written.is_empty() && !written.starts_with('#') {
            at = offset;
        }
    }
    Some(at)
}

/// The lines of `before` that differ from `after`, and what `after` has in their
/// place: the common leading and trailing lines left out, so an edit adds, removes or
/// replaces whole lines and reads as the change a person would make.
fn changed_stretch(before: &str, after: &str) -> Option<(Range<usize>, String)> {
    if before == after {
        return None;
    }
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    let leading = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let room = (old.len() - leading).min(new.len() - leading);
    let trailing = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let length = |lines: &[&str]| -> usize { lines.iter().map(|line| line.len()).sum() };
    let start = length(&old[..leading]);
    let old_tail = length(&old[old.len() - trailing..]);
    let new_tail = length(&new[new.len() - trailing..]);
    Some((
        start..before.len() - old_tail,
        after[start..after.len() - new_tail].to_owned(),
    ))
}

/// What lies at a span of the document.
#[derive(Debug, Clone)]
enum Found {
    /// A key; `table` indexes [`Index::tables`], the keys of its table. `again` is
    /// set when the key is written more than once (a table of dotted keys, a table
    /// named in several headers): the names down to it, and how many times.
    Key {
        table: usize,
        again: Option<(Vec<String>, usize)>,
    },
    /// A string value; `list` is the span and key of the list holding it and its
    /// index there, when in one.
    String {
        list: Option<(Range<usize>, String, usize)>,
    },
}

/// The keys and string values of the document at the spans asked about, gathered in
/// one walk, so that a file with many findings is not walked once for each; nothing
/// else is recorded.
#[derive(Debug, Default)]
struct Index {
    wanted: HashSet<(usize, usize)>,
    at: HashMap<(usize, usize), Found>,
    tables: Vec<HashSet<String>>,
}

impl Index {
    fn of(table: &Table, wanted: HashSet<(usize, usize)>) -> Self {
        let mut index = Index {
            wanted,
            ..Index::default()
        };
        if !index.wanted.is_empty() {
            index.table(table, &mut Vec::new());
        }
        index
    }

    fn get(&self, span: &Range<usize>) -> Option<&Found> {
        self.at.get(&(span.start, span.end))
    }

    /// Whether the table of the key `found` has a key `name`.
    fn has_sibling(&self, found: &Found, name: &str) -> bool {
        match found {
            Found::Key { table, .. } => self.tables[*table].contains(name),
            Found::String { .. } => false,
        }
    }

    /// Whether `span` is asked about.
    fn wants(&self, span: Option<Range<usize>>) -> Option<(usize, usize)> {
        let span = span?;
        let at = (span.start, span.end);
        self.wanted.contains(&at).then_some(at)
    }

    /// Records the keys asked about among a table's (at `path`), with the names of
    /// all of them.
    fn keys(&mut self, of: &dyn toml_edit::TableLike, path: &[&str]) {
        let keys = || (of.iter()).filter_map(|(name, _)| of.key(name).map(|key| (key, name)));
        let table = self.tables.len();
        let mut any = false;
        for (key, name) in keys() {
            if let Some(at) = self.wants(key.span()) {
                let times = of.get(name).map_or(1, writes);
                let again = (times > 1).then(|| {
                    let names = path.iter().copied().chain([name]);
                    (names.map(str::to_owned).collect(), times)
                });
                self.at.insert(at, Found::Key { table, again });
                any = true;
            }
        }
        if any {
            self.tables
                .push(keys().map(|(_, name)| name.to_owned()).collect());
        }
    }

    fn table<'t>(&mut self, table: &'t Table, path: &mut Vec<&'t str>) {
        self.keys(table, path);
        for (name, item) in table.iter() {
            let tables: Box<dyn Iterator<Item = &Table>> = match item {
                Item::Table(inner) => Box::new(std::iter::once(inner)),
                Item::ArrayOfTables(tables) => Box::new(tables.iter()),
                Item::Value(value) => {
                    self.value(value, path, name, None);
                    continue;
                }
                Item::None => continue,
            };
            path.push(name);
            for inner in tables {
                self.table(inner, path);
            }
            path.pop();
        }
    }

    /// A value under the key `name` of the table at `path`; `list` is the span of the
    /// list holding it and its place there, when it is an item of one.
    fn value<'t>(
        &mut self,
        value: &'t Value,
        path: &mut Vec<&'t str>,
        name: &'t str,
        list: Option<(&Range<usize>, usize)>,
    ) {
        match value {
            Value::String(_) => {
                if let Some(at) = self.wants(value.span()) {
                    let list = list.map(|(span, index)| (span.clone(), name.to_owned(), index));
                    self.at.insert(at, Found::String { list });
                }
            }
            Value::Array(array) => {
                let span = array.span();
                for (index, item) in array.iter().enumerate() {
                    self.value(item, path, name, span.as_ref().map(|span| (span, index)));
                }
            }
            Value::InlineTable(table) => {
                path.push(name);
                self.keys(table, path);
                for (inner, item) in table.iter() {
                    self.value(item, path, inner, None);
                }
                path.pop();
            }
            _ => {}
        }
    }
}

/// How many times the key holding `item` is written: once for a value, once for a
/// table's own header and once more for each header below it; for a table of dotted
/// keys (`a.b = 1`, `a.c = 2`), once for each key below it.
fn writes(item: &Item) -> usize {
    match item {
        Item::Table(table) => written(table, !table.is_implicit()),
        Item::ArrayOfTables(tables) => tables.iter().map(|table| written(table, true)).sum(),
        Item::Value(Value::InlineTable(table)) if table.is_dotted() => written(table, false),
        _ => 1,
    }
}

/// How many times the key holding `table` is written, `header` telling whether the
/// table has its own.
fn written(table: &dyn toml_edit::TableLike, header: bool) -> usize {
    let dotted = table.is_dotted();
    let below = (table.iter()).filter(|(_, item)| {
        dotted
            || item.is_array_of_tables()
            || item.as_table().is_some_and(|inner| !inner.is_dotted())
    });
    usize::from(header) + below.map(|(_, item)| writes(item)).sum::<usize>()
}

/// The text of a decor part as written, or nothing.
fn raw(part: Option<&toml_edit::RawString>) -> String {
    part.and_then(|raw| raw.as_str()).unwrap_or("").to_owned()
}

/// Adds `value` at the end of `list` as its items are laid out: on a line of its
/// own, indented like the last, in a list written one item a line; after `, ` in a
/// list on one line. A comment after the last item stays on that item's line.
fn push_keeping_layout(list: &mut Array, value: &str) {
    let Some(last) = list.get(list.len().wrapping_sub(1)) else {
        list.push(value);
        return;
    };
    let last_prefix = raw(last.decor().prefix());
    let last_suffix = raw(last.decor().suffix());
    let mut item = Value::from(value);
    let multiline = last_prefix
        .rfind('\n')
        .map(|at| last_prefix[at..].to_owned());
    match multiline {
        Some(indent) if list.trailing_comma() => {
            // `"a",   # note\n]`: the note stays after "a".
            let trailing = raw(Some(list.trailing()));
            let (same_line, rest) = split_line(&trailing);
            item.decor_mut().set_prefix(format!("{same_line}{indent}"));
            item.decor_mut().set_suffix("");
            let rest = rest.to_owned();
            list.push_formatted(item);
            list.set_trailing(rest);
            list.set_trailing_comma(true);
        }
        indent => {
            // The new item takes over what the last one had before the closing bracket
            // (`"a" ]` → `"a", "b" ]`), but for a comment on the last item's line,
            // which stays there, after the comma: the new item then starts a line.
            let (same_line, rest) = split_line(&last_suffix);
            let (prefix, suffix) = if same_line.contains('#') {
                let indent = indent.as_deref().unwrap_or("\n  ");
                (format!("{same_line}{indent}"), rest)
            } else {
                (
                    indent.unwrap_or_else(|| " ".to_owned()),
                    last_suffix.as_str(),
                )
            };
            item.decor_mut().set_prefix(prefix);
            item.decor_mut().set_suffix(suffix);
            if let Some(last) = list.get_mut(list.len() - 1) {
                last.decor_mut().set_suffix("");
            }
            list.push_formatted(item);
        }
    }
}

/// Decor as what is on its first line and the rest, from the first line break on.
fn split_line(decor: &str) -> (&str, &str) {
    decor.split_at(decor.find('\n').unwrap_or(decor.len()))
}

/// Removes item `index` of `list`, keeping the layout of the rest and every comment:
/// the first item's place (`[` then no space) passes to the next; the last item's
/// space before `]` to the one before it; comments before the removed item (the one
/// after the previous item's comma, comment lines of its own) and after it stay where
/// they were, each still ended by a line break. Returns the removed value as written.
fn remove_keeping_layout(list: &mut Array, index: usize) -> Option<String> {
    let count = list.len();
    let removed = list.get(index)?;
    let prefix = raw(removed.decor().prefix());
    let suffix = raw(removed.decor().suffix());
    let text = removed.as_str().unwrap_or_default().to_owned();
    list.remove(index);
    // The removed item's line starts after the last line break before it: the lines
    // before that are comments to keep.
    let (kept, indent) = prefix.split_at(prefix.rfind('\n').unwrap_or(0));
    if index + 1 < count {
        let next = list.get_mut(index)?;
        let own = raw(next.decor().prefix());
        let own = match index {
            0 if own.contains('#') => format!("{prefix}{}", own.trim_start()),
            0 => prefix,
            _ => after_comments(kept, &own, indent, false),
        };
        next.decor_mut().set_prefix(own);
    } else if count == 1 {
        // The list is left empty, with the comments that were around the item.
        if format!("{prefix}{suffix}").contains('#') {
            let trailing = raw(Some(list.trailing()));
            list.set_trailing(format!("{prefix}{suffix}{trailing}"));
        }
        list.set_trailing_comma(false);
    } else if list.trailing_comma() {
        let trailing = raw(Some(list.trailing()));
        list.set_trailing(after_comments(kept, &trailing, indent, true));
    } else {
        let before = list.get_mut(index - 1)?;
        let own = raw(before.decor().suffix());
        let rest = after_comments(kept, &suffix, indent, true);
        before.decor_mut().set_suffix(format!("{own}{rest}"));
    }
    Some(text)
}

/// `kept`, the comment lines that stood before a removed item, then `rest`, what
/// stood after it. A comment that ends `kept` is ended by `rest`'s line break, or, when
/// `rest` has none or has a comment of its own on that line, by a new one: then comes
/// `indent` (the removed item's line break and spaces) for that comment or the next
/// item, or a bare line break for the closing bracket.
fn after_comments(kept: &str, rest: &str, indent: &str, closing: bool) -> String {
    let open = kept
        .rsplit('\n')
        .next()
        .is_some_and(|line| line.contains('#'));
    let (same_line, _) = split_line(rest);
    let commented = same_line.contains('#');
    if !open || !(commented || same_line.len() == rest.len()) {
        return format!("{kept}{rest}");
    }
    let line_break = if closing && !commented { "\n" } else { indent };
    format!("{kept}{line_break}{}", rest.trim_start_matches([' ', '\t']))
}

/// A key or string as a person reads it in a message: without its quotes.
fn unquote(written: &str) -> &str {
    (['"', '\''].into_iter())
        .find_map(|quote| written.strip_prefix(quote)?.strip_suffix(quote))
        .unwrap_or(written)
}
