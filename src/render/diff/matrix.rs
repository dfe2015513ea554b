//! The formats of `srmlint matrix diff`: a line a change for a terminal, a table for
//! a pull request, the diff as JSON. Every string may come from a user's matrix file
//! and goes through the escaper of its medium.

use serde::Serialize;

use super::DiffFormat;
use crate::diff::matrix::{MatrixDiff, rows};
use crate::text::escape::{escape_inline, markdown};

/// Renders the diff in `format`.
pub fn render(diff: &MatrixDiff, format: DiffFormat) -> String {
    match format {
        DiffFormat::Human => human(diff),
        DiffFormat::Markdown => markdown_form(diff),
        DiffFormat::Json => crate::text::json::document(&JsonDiff {
            diff,
            changes: diff.count(),
        }),
    }
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    #[serde(flatten)]
    diff: &'a MatrixDiff,
    changes: usize,
}

fn headline(diff: &MatrixDiff) -> String {
    let change = match diff.count() {
        0 => "no change".to_owned(),
        count => crate::diag::plural(count, "change"),
    };
    let (old, new) = (diff.old.short(), diff.new.short());
    format!("matrix diff {old} → {new}: {change}")
}

fn human(diff: &MatrixDiff) -> String {
    // Every string here may come from a user's matrix file.
    let mut out = escape_inline(&headline(diff));
    out.push('\n');
    for (side, id) in [("old", &diff.old), ("new", &diff.new)] {
        if let Some(sha) = &id.source.source_sha256 {
            out.push_str(&format!(
                "  {side}: source SHA-256 {}\n",
                escape_inline(sha)
            ));
        }
    }
    for row in rows(diff) {
        let model = if row.model.is_empty() {
            String::new()
        } else {
            format!(" [{}]", escape_inline(&row.model))
        };
        let detail = match (row.old.is_empty(), row.new.is_empty()) {
            (true, _) => escape_inline(&row.new),
            (false, true) => escape_inline(&row.old),
            (false, false) => format!("{} → {}", escape_inline(&row.old), escape_inline(&row.new)),
        };
        out.push_str(&format!(
            "  {}: {}{model}: {detail}\n",
            row.change,
            escape_inline(&row.subject)
        ));
    }
    out
}

fn markdown_form(diff: &MatrixDiff) -> String {
    let mut out = format!("**{}**\n\n", markdown(&headline(diff)));
    let rows = rows(diff);
    if rows.is_empty() {
        return out;
    }
    let cell = |text: &str| {
        if text.is_empty() {
            "—".to_owned()
        } else {
            markdown(text)
        }
    };
    crate::render::markdown::table(
        &mut out,
        &["change", "control or service", "model", "old", "new"],
        &[],
        rows.iter().map(|row| {
            [
                row.change.to_owned(),
                markdown(&row.subject),
                cell(&row.model),
                cell(&row.old),
                cell(&row.new),
            ]
        }),
    );
    out
}
