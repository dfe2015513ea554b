//! The formats of `srmlint diff`: `human` for a terminal, `markdown` for a
//! pull-request comment or step summary (a verdict line first, then short tables,
//! shortest first), `json` (the stable document of `docs/diff.md`). Every string from
//! a controls or matrix file goes through the escaper of its medium.

use serde::Serialize;

use super::DiffFormat;
use crate::diag::{Severity, plural};
use crate::diff::build::{
    EntryChangeKind, EntryDiff, EntryView, FileDiff, FileStatus, FindingView, FindingsDiff, Gap,
    OwnershipDiff, SideInfo, WaiverChangeKind, WaiverDiff, WaiverView,
};
use crate::diff::matrix::MatrixId;
use crate::render::json::{TOOL, Tool};
use crate::text::escape::{escape_inline, markdown};

/// Rows a Markdown table shows before it says how many more there are: a pull-request
/// comment stays readable, and GitHub caps a step summary at 1 MiB.
pub const MAX_TABLE_ROWS: usize = 100;

pub fn render(diff: &OwnershipDiff, format: DiffFormat) -> String {
    match format {
        DiffFormat::Human => human(diff),
        DiffFormat::Markdown => markdown_form(diff),
        DiffFormat::Json => json(diff),
    }
}

/// A gap as the verdict names it, `text` writing its models and `code` its ids: plain
/// (unescaped) for the human and JSON forms, each escaping it for its medium.
fn gap_words(
    gap: &Gap,
    several_files: bool,
    text: fn(&str) -> String,
    code: fn(&str) -> String,
) -> String {
    let mut detail = Vec::new();
    if !gap.models.is_empty() {
        detail.push(text(&gap.models.join(", ")));
    }
    let codes: Vec<String> = gap.codes.iter().map(|c| code(c)).collect();
    detail.push(codes.join(", "));
    let place = match several_files {
        true => format!(" in {}", code(&gap.file)),
        false => String::new(),
    };
    format!("{} ({}){place}", code(&gap.control), detail.join(": "))
}

/// Gaps the verdict names before it counts the rest: the line stays readable when a
/// change touches a whole fleet.
pub const MAX_VERDICT_GAPS: usize = 5;

/// The one-line answer to "what does this change do to who owns what?".
pub fn verdict(diff: &OwnershipDiff) -> String {
    verdict_with(diff, str::to_owned, str::to_owned)
}

/// The verdict, each named gap written by `gap_words` with `text` and `code`. The
/// words around the names are fixed text, safe in every format.
fn verdict_with(
    diff: &OwnershipDiff,
    text: fn(&str) -> String,
    code: fn(&str) -> String,
) -> String {
    let gaps = diff.new_gaps();
    let errors = diff.new_errors();
    let gap_findings: usize = diff
        .newly_failing()
        .filter(|finding| finding.severity == Severity::Error && finding.control.is_some())
        .count();
    let other_errors = errors - gap_findings;
    if let Some(first) = gaps.first() {
        let several_files = gaps.iter().any(|gap| gap.file != first.file);
        let mut named: Vec<String> = gaps
            .iter()
            .take(MAX_VERDICT_GAPS)
            .map(|gap| gap_words(gap, several_files, text, code))
            .collect();
        if gaps.len() > MAX_VERDICT_GAPS {
            named.push(format!("and {} more", gaps.len() - MAX_VERDICT_GAPS));
        }
        let mut text = format!(
            "this change leaves {}: {}",
            plural(gaps.len(), "new gap"),
            named.join(", ")
        );
        if other_errors > 0 {
            text.push_str(&format!(
                "; and {}",
                plural(other_errors, "other new error")
            ));
        }
        return text;
    }
    if errors > 0 {
        return format!(
            "this change introduces {} and leaves no control uncovered",
            plural(errors, "new error")
        );
    }
    let ownership = diff
        .files
        .iter()
        .filter(|file| file.changes_ownership())
        .count();
    let resolved_errors: usize = diff
        .files
        .iter()
        .flat_map(|file| file.findings.resolved.iter())
        .filter(|finding| !finding.waived && finding.severity == Severity::Error)
        .count();
    let warnings: usize = diff
        .newly_failing()
        .filter(|finding| finding.severity == Severity::Warning)
        .count();
    let mut text = if ownership == 0 {
        "no ownership change".to_owned()
    } else {
        format!(
            "no new gap; ownership changes in {}",
            plural(ownership, "controls file")
        )
    };
    if resolved_errors > 0 {
        text.push_str(&format!("; resolves {}", plural(resolved_errors, "error")));
    }
    if warnings > 0 {
        text.push_str(&format!("; {}", plural(warnings, "new warning")));
    }
    text
}

fn status_word(status: FileStatus) -> &'static str {
    match status {
        FileStatus::Added => "added",
        FileStatus::Deleted => "deleted",
        FileStatus::Modified => "modified",
    }
}

/// `Compared HEAD (3f2a…) with the work tree under matrix exoscale 2026-11: …`.
fn context_line(diff: &OwnershipDiff) -> String {
    format!(
        "compared {} with {} under matrix {}: {} of {} with a change ({} added, {} deleted)",
        diff.base.describe(),
        diff.head.describe(),
        diff.matrix.short(),
        diff.files.len(),
        plural(diff.compared, "controls file"),
        diff.files_with(FileStatus::Added),
        diff.files_with(FileStatus::Deleted),
    )
}

/// One change as a table row or a line: what changed, and how.
struct Line {
    what: String,
    detail: String,
}

fn owner_words(view: Option<&EntryView>) -> String {
    view.and_then(|view| view.owner.clone())
        .unwrap_or_else(|| "(no valid owner)".to_owned())
}

fn entry_line(entry: &EntryDiff) -> Line {
    let kind = |view: Option<&EntryView>| match view.and_then(|view| view.claim) {
        Some(true) => "claim",
        Some(false) => "acknowledgement",
        None => "entry",
    };
    match entry.change {
        EntryChangeKind::Added => Line {
            what: format!("{} added", kind(entry.new.as_ref())),
            detail: format!("owner {}", owner_words(entry.new.as_ref())),
        },
        EntryChangeKind::Removed => Line {
            what: format!("{} removed", kind(entry.old.as_ref())),
            detail: format!("was owner {}", owner_words(entry.old.as_ref())),
        },
        EntryChangeKind::Changed => {
            let (old, new) = (entry.old.as_ref(), entry.new.as_ref());
            let mut details = Vec::new();
            for field in &entry.fields {
                let detail = match *field {
                    "owner" => {
                        let handed = old.and_then(|view| view.claim) == Some(true)
                            && new.and_then(|view| view.claim) == Some(false);
                        let taken = old.and_then(|view| view.claim) == Some(false)
                            && new.and_then(|view| view.claim) == Some(true);
                        let note = if handed {
                            " (handed to the provider)"
                        } else if taken {
                            " (now claimed)"
                        } else {
                            ""
                        };
                        format!("owner {} → {}{note}", owner_words(old), owner_words(new))
                    }
                    "models" => {
                        let words = |view: Option<&EntryView>| {
                            view.and_then(|view| view.models.clone())
                                .map_or_else(|| "all in use".to_owned(), |models| models.join(", "))
                        };
                        format!("models {} → {}", words(old), words(new))
                    }
                    "accountable" => {
                        let words = |view: Option<&EntryView>| {
                            view.and_then(|view| view.accountable.clone())
                                .unwrap_or_else(|| "(none)".to_owned())
                        };
                        format!("accountable {} → {}", words(old), words(new))
                    }
                    "evidence" => {
                        let items = |view: Option<&EntryView>| {
                            view.and_then(|view| view.evidence.clone())
                                .unwrap_or_default()
                        };
                        let (was, is) = (items(old), items(new));
                        let missing = |from: &[String], among: &[String]| -> Vec<String> {
                            let gone = from.iter().filter(|item| !among.contains(item));
                            gone.cloned().collect()
                        };
                        let mut parts = Vec::new();
                        for (sign, items) in [("+", missing(&is, &was)), ("−", missing(&was, &is))]
                        {
                            if !items.is_empty() {
                                parts.push(format!("{sign} {}", items.join(", ")));
                            }
                        }
                        if parts.is_empty() {
                            "evidence reordered".to_owned()
                        } else {
                            format!("evidence {}", parts.join(", "))
                        }
                    }
                    other => format!("{other} changed"),
                };
                details.push(detail);
            }
            Line {
                what: "entry changed".to_owned(),
                detail: details.join("; "),
            }
        }
    }
}

fn waiver_line(waiver: &WaiverDiff) -> Line {
    let what = match waiver.change {
        WaiverChangeKind::Added => "added",
        WaiverChangeKind::Removed => "removed",
        WaiverChangeKind::Extended => "extended",
        WaiverChangeKind::Shortened => "shortened",
        WaiverChangeKind::Changed => "changed",
    };
    let view = waiver.new.as_ref().or(waiver.old.as_ref());
    let text = |value: Option<&String>| value.cloned().unwrap_or_else(|| "(none)".to_owned());
    let detail = match waiver.change {
        WaiverChangeKind::Added | WaiverChangeKind::Removed => format!(
            "until {}, approved by {}: {}",
            text(view.and_then(|view| view.expires.as_ref())),
            text(view.and_then(|view| view.approved_by.as_ref())),
            text(view.and_then(|view| view.reason.as_ref())),
        ),
        _ => {
            let (old, new) = (waiver.old.as_ref(), waiver.new.as_ref());
            waiver
                .fields
                .iter()
                .map(|field| {
                    let pick = |side: Option<&WaiverView>| {
                        text(side.and_then(|side| match *field {
                            "expires" => side.expires.as_ref(),
                            "reason" => side.reason.as_ref(),
                            "approved_by" => side.approved_by.as_ref(),
                            _ => side.ticket.as_ref(),
                        }))
                    };
                    format!("{field} {} → {}", pick(old), pick(new))
                })
                .collect::<Vec<_>>()
                .join("; ")
        }
    };
    let subject = format!(
        "{}{}",
        text(waiver.rule.as_ref()),
        waiver
            .control
            .as_ref()
            .map_or_else(String::new, |control| format!(" on {control}"))
    );
    Line {
        what: format!("waiver {what}: {subject}"),
        detail,
    }
}

fn deployment_lines(file: &FileDiff) -> Vec<Line> {
    let deployment = &file.deployment;
    let mut lines = Vec::new();
    let mut list = |what: &str, items: &[String]| {
        if !items.is_empty() {
            lines.push(Line {
                what: what.to_owned(),
                detail: items.join(", "),
            });
        }
    };
    list("services added", &deployment.services.added);
    list("services removed", &deployment.services.removed);
    list("zones added", &deployment.zones.added);
    list("zones removed", &deployment.zones.removed);
    list("models now in use", &deployment.models.added);
    list("models no longer in use", &deployment.models.removed);
    list("controls now owed", &deployment.owed.added);
    list("controls no longer owed", &deployment.owed.removed);
    if let Some(residency) = &deployment.residency {
        let word = |value: &Option<String>| value.clone().unwrap_or_else(|| "(none)".to_owned());
        lines.push(Line {
            what: "residency".to_owned(),
            detail: format!("{} → {}", word(&residency.old), word(&residency.new)),
        });
    }
    for shift in &deployment.owner_changes {
        lines.push(Line {
            what: "matrix owner".to_owned(),
            detail: format!(
                "{}: {} → {}",
                shift.control,
                shift.old.as_str(),
                shift.new.as_str()
            ),
        });
    }
    lines
}

fn finding_words(finding: &FindingView) -> String {
    format!(
        "{}[{}] {}{}",
        finding.severity.as_str(),
        finding.code,
        finding.message,
        if finding.waived { " (waived)" } else { "" }
    )
}

/// A file's changed findings, by change, as the Markdown table names it.
fn by_change(findings: &FindingsDiff) -> [(&'static str, &[FindingView]); 4] {
    [
        ("new", &findings.introduced),
        ("no longer waived", &findings.unwaived),
        ("resolved", &findings.resolved),
        ("now waived", &findings.newly_waived),
    ]
}

fn human(diff: &OwnershipDiff) -> String {
    let mut out = format!("srmlint diff: {}\n", escape_inline(&verdict(diff)));
    out.push_str(&format!("  {}\n", escape_inline(&context_line(diff))));
    for file in &diff.files {
        out.push_str(&format!(
            "\n{} ({})\n",
            escape_inline(&file.path),
            status_word(file.status)
        ));
        let mut section = |title: &str, lines: Vec<Line>| {
            if lines.is_empty() {
                return;
            }
            out.push_str(&format!("  {title}:\n"));
            for line in lines {
                out.push_str(&format!(
                    "    {}: {}\n",
                    escape_inline(&line.what),
                    escape_inline(&line.detail)
                ));
            }
        };
        section("deployment", deployment_lines(file));
        section(
            "entries",
            file.entries
                .iter()
                .map(|entry| {
                    let line = entry_line(entry);
                    Line {
                        what: format!("{} {}", entry.control, line.what),
                        detail: line.detail,
                    }
                })
                .collect(),
        );
        section("waivers", file.waivers.iter().map(waiver_line).collect());
        let titles = [
            "findings introduced",
            "findings no longer waived",
            "findings resolved",
            "findings now waived",
        ];
        for (title, (_, list)) in titles.into_iter().zip(by_change(&file.findings)) {
            section(
                title,
                list.iter()
                    .map(|finding| Line {
                        what: match &finding.file {
                            Some(other) => format!("{other}:{}:{}", finding.line, finding.column),
                            None => format!("{}:{}", finding.line, finding.column),
                        },
                        detail: finding_words(finding),
                    })
                    .collect(),
            );
        }
    }
    out
}

/// Text as Markdown code when it needs no escaping (ids, paths), else escaped text.
fn code(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/' | ':' | '+'));
    if plain {
        format!("`{text}`")
    } else {
        markdown(text)
    }
}

/// A Markdown table: a heading, a header row and at most `MAX_TABLE_ROWS` rows.
struct Table {
    title: &'static str,
    header: &'static [&'static str],
    rows: Vec<Vec<String>>,
}

impl Table {
    fn write(&self, out: &mut String) {
        out.push_str(&format!("\n#### {} ({})\n\n", self.title, self.rows.len()));
        let shown = self.rows.iter().take(MAX_TABLE_ROWS);
        crate::render::markdown::table(out, self.header, &[], shown);
        if self.rows.len() > MAX_TABLE_ROWS {
            out.push_str(&format!(
                "\n…and {} more; run `srmlint diff` for all of them.\n",
                self.rows.len() - MAX_TABLE_ROWS
            ));
        }
    }
}

fn finding_row(file: &FileDiff, finding: &FindingView, change: &str) -> Vec<String> {
    vec![
        change.to_owned(),
        finding.severity.as_str().to_owned(),
        format!("{} {}", code(&finding.code), markdown(&finding.name)),
        format!(
            "{}:{}",
            code(finding.file.as_deref().unwrap_or(&file.path)),
            finding.line
        ),
        finding
            .control
            .as_deref()
            .map_or_else(|| "—".to_owned(), code),
        format!(
            "{}{}",
            markdown(&finding.message),
            if finding.waived { " (waived)" } else { "" }
        ),
    ]
}

fn markdown_form(diff: &OwnershipDiff) -> String {
    // The controls, rules and files the verdict names, as code.
    let mut out = format!("**srmlint: {}**\n\n", verdict_with(diff, markdown, code));
    out.push_str(&format!(
        "{}.\n",
        markdown(&upper_first(&context_line(diff)))
    ));
    let gaps = diff.new_gaps();
    let mut tables = vec![
        Table {
            title: "New gaps",
            header: &["control", "file", "models", "rules"],
            rows: gaps
                .iter()
                .map(|gap| {
                    vec![
                        code(&gap.control),
                        code(&gap.file),
                        if gap.models.is_empty() {
                            "—".to_owned()
                        } else {
                            markdown(&gap.models.join(", "))
                        },
                        gap.codes
                            .iter()
                            .map(|c| code(c))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ]
                })
                .collect(),
        },
        Table {
            title: "Findings",
            header: &["change", "severity", "rule", "where", "control", "message"],
            rows: diff
                .files
                .iter()
                .flat_map(|file| {
                    by_change(&file.findings)
                        .into_iter()
                        .flat_map(move |(change, list)| {
                            list.iter()
                                .map(move |finding| finding_row(file, finding, change))
                        })
                })
                .collect(),
        },
        Table {
            title: "Entries",
            header: &["file", "control", "change", "detail"],
            rows: diff
                .files
                .iter()
                .flat_map(|file| {
                    file.entries.iter().map(move |entry| {
                        let line = entry_line(entry);
                        vec![
                            code(&file.path),
                            code(&entry.control),
                            markdown(&line.what),
                            markdown(&line.detail),
                        ]
                    })
                })
                .collect(),
        },
        Table {
            title: "Deployment",
            header: &["file", "change", "detail"],
            rows: line_rows(diff, deployment_lines),
        },
        Table {
            title: "Waivers",
            header: &["file", "change", "detail"],
            rows: line_rows(diff, |file| file.waivers.iter().map(waiver_line).collect()),
        },
    ];
    tables.retain(|table| !table.rows.is_empty());
    // Shortest first: the reader sees every small table before a long one; the sort
    // is stable, so equal lengths keep the order above.
    tables.sort_by_key(|table| table.rows.len());
    for table in &tables {
        table.write(&mut out);
    }
    out
}

/// `file | change | detail` rows: the lines `lines` gives for each file.
fn line_rows(diff: &OwnershipDiff, lines: impl Fn(&FileDiff) -> Vec<Line>) -> Vec<Vec<String>> {
    let row = |file: &FileDiff, line: Line| {
        vec![
            code(&file.path),
            markdown(&line.what),
            markdown(&line.detail),
        ]
    };
    let rows = diff
        .files
        .iter()
        .flat_map(|file| lines(file).into_iter().map(move |line| row(file, line)));
    rows.collect()
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Serialize)]
struct JsonDocument<'a> {
    tool: Tool,
    base: SideInfo,
    head: SideInfo,
    matrix: &'a MatrixId,
    verdict: String,
    gaps: Vec<Gap>,
    files: &'a [FileDiff],
    summary: JsonSummary,
}

#[derive(Serialize, Default)]
struct Counts {
    errors: usize,
    warnings: usize,
    infos: usize,
}

impl Counts {
    /// The findings counted by severity, waived or not: the caller picks the active ones.
    fn of<'a>(findings: impl Iterator<Item = &'a FindingView>) -> Self {
        let mut counts = Counts::default();
        for finding in findings {
            match finding.severity {
                Severity::Error => counts.errors += 1,
                Severity::Warning => counts.warnings += 1,
                Severity::Info => counts.infos += 1,
            }
        }
        counts
    }
}

#[derive(Serialize)]
struct JsonSummary {
    compared: usize,
    changed: usize,
    added: usize,
    deleted: usize,
    modified: usize,
    new_gaps: usize,
    /// Active findings new at head (introduced, or no longer waived).
    introduced: Counts,
    /// Active findings at base that are gone or waived at head.
    resolved: Counts,
    /// The exit code is 1.
    fails: bool,
}

fn json(diff: &OwnershipDiff) -> String {
    let gaps = diff.new_gaps();
    let document = JsonDocument {
        tool: TOOL,
        base: diff.base.info(),
        head: diff.head.info(),
        matrix: &diff.matrix,
        verdict: verdict(diff),
        summary: JsonSummary {
            compared: diff.compared,
            changed: diff.files.len(),
            added: diff.files_with(FileStatus::Added),
            deleted: diff.files_with(FileStatus::Deleted),
            modified: diff.files_with(FileStatus::Modified),
            new_gaps: gaps.len(),
            introduced: Counts::of(diff.newly_failing()),
            // Resolved findings are shown as they were at base, so the waived ones there
            // drop out; newly waived ones were active at base.
            resolved: Counts::of(diff.files.iter().flat_map(|file| {
                let findings = &file.findings;
                let resolved = findings.resolved.iter().filter(|finding| !finding.waived);
                resolved.chain(&findings.newly_waived)
            })),
            fails: diff.fails(),
        },
        gaps,
        files: &diff.files,
    };
    crate::text::json::document(&document)
}
