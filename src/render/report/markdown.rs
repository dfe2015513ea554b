//! The posture report as GitHub-flavoured Markdown, for a pull-request comment or
//! `$GITHUB_STEP_SUMMARY`: the document `content` builds, printed. Every string from a
//! file goes through `text::escape::markdown`, so a value cannot open a link, an HTML
//! tag or a table cell of its own.

use std::fmt::Write;

use super::content;
use super::doc::{Block, ColumnKind, Inline, Item, Table};
use crate::posture::PostureReport;
use crate::text::escape::{escape_for_terminal, markdown, markdown_fence};

pub fn render(report: &PostureReport) -> String {
    let mut out = String::new();
    print_blocks(&mut out, &content::document(report).blocks);
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Each block ends with a blank line.
fn print_blocks(out: &mut String, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading {
                level,
                anchor,
                content,
                ..
            } => {
                let target = (anchor.markdown.as_ref())
                    .map(|id| format!("<a id=\"{id}\"></a>"))
                    .unwrap_or_default();
                let _ = writeln!(out, "{} {target}{}\n", "#".repeat(*level), line(content));
            }
            Block::Paragraph { content, .. } => {
                let _ = writeln!(out, "{}\n", line(content));
            }
            Block::Facts { facts, .. } => {
                for fact in facts {
                    let indent = if fact.nested { "  " } else { "" };
                    let value = line(&fact.value);
                    let value = if value.is_empty() {
                        value
                    } else {
                        format!(": {value}")
                    };
                    let _ = writeln!(out, "{indent}- {}{value}", line(&fact.term));
                }
                out.push('\n');
            }
            Block::List(items) => {
                for item in items {
                    list_item(out, item);
                }
                out.push('\n');
            }
            Block::Table(table) => print_table(out, table),
            Block::Group { blocks, .. } => print_blocks(out, blocks),
            Block::ByFormat { markdown, .. } => print_blocks(out, markdown),
            Block::Bar { .. } => {}
        }
    }
}

fn list_item(out: &mut String, item: &Item) {
    let _ = writeln!(out, "- {}", line(&item.content));
    match &item.help {
        // Help of several lines keeps its layout in a fence it cannot close.
        Some(help) if help.text.contains('\n') => {
            let fence = markdown_fence(&help.text);
            let _ = writeln!(out, "\n  {fence}text");
            for help_line in help.text.lines() {
                let _ = writeln!(out, "  {}", escape_for_terminal(help_line));
            }
            let _ = writeln!(out, "  {fence}\n");
        }
        Some(help) => {
            let _ = writeln!(out, "  {}: {}", help.label, markdown(&help.text));
        }
        None => {}
    }
}

fn print_table(out: &mut String, table: &Table) {
    let labels: Vec<String> = table.columns.iter().map(|c| line(&c.label)).collect();
    let rule: String = (table.columns.iter())
        .map(|column| match column.kind {
            ColumnKind::Number => "---:|",
            ColumnKind::Text | ColumnKind::Date => "---|",
        })
        .collect();
    let _ = writeln!(out, "| {} |\n|{rule}", labels.join(" | "));
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(|cell| line(&cell.content)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn line(parts: &[Inline]) -> String {
    parts.iter().map(inline).collect()
}

fn inline(part: &Inline) -> String {
    match part {
        Inline::Word(words) | Inline::Known(words) => words.clone(),
        Inline::Text(value) | Inline::Literal(value) => markdown(value),
        Inline::Code(content) => format!("`{}`", line(content)),
        Inline::Strong(content) => format!("**{}**", line(content)),
        Inline::Emphasis(content) => format!("*{}*", line(content)),
        Inline::Span(_, content) => line(content),
        Inline::Badge {
            label, alarm: true, ..
        } => format!("**{}**", label.to_uppercase()),
        Inline::Badge { label, .. } => label.clone(),
        Inline::Link(anchor, content) => match &anchor.markdown {
            Some(id) => format!("[{}](#{id})", line(content)),
            None => line(content),
        },
        Inline::Break => "<br>".to_owned(),
        Inline::ByFormat { markdown, .. } => line(markdown),
    }
}
