//! The posture report as GitHub-flavoured Markdown, for a pull-request comment or
//! `$GITHUB_STEP_SUMMARY`: the blocks of the document `content` builds, printed with
//! their Markdown words (every string from a file escaped by `text::escape::markdown`,
//! so a value cannot open a link, an HTML tag or a table cell of its own).

use std::fmt::Write;

use super::content;
use super::doc::{Block, ColumnKind, Fact, Item, Table};
use crate::posture::PostureReport;

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
            Block::Heading(level, _, _, content) => {
                let _ = writeln!(out, "{} {}\n", "#".repeat(*level), content.markdown);
            }
            Block::Paragraph(_, content) => {
                let _ = writeln!(out, "{}\n", content.markdown);
            }
            Block::Facts(_, facts) => {
                for Fact(term, value, nested) in facts {
                    let indent = if *nested { "  " } else { "" };
                    let colon = if value.markdown.is_empty() { "" } else { ": " };
                    let (term, value) = (&term.markdown, &value.markdown);
                    let _ = writeln!(out, "{indent}- {term}{colon}{value}");
                }
                out.push('\n');
            }
            Block::List(items) => {
                for Item { head, lines, help } in items {
                    let _ = write!(out, "- {}", head.markdown);
                    for line in lines {
                        let _ = write!(out, "\n  - {}", line.markdown);
                    }
                    let _ = writeln!(out, "{}", help.markdown);
                }
                out.push('\n');
            }
            Block::Table(Table(_, _, columns, rows)) => {
                let labels: Vec<&str> = columns.iter().map(|(label, _)| &*label.markdown).collect();
                let right: Vec<bool> = columns
                    .iter()
                    .map(|(_, kind)| *kind == ColumnKind::Number)
                    .collect();
                let cells = rows
                    .iter()
                    .map(|row| row.iter().map(|(_, cell)| &*cell.markdown));
                crate::render::markdown::table(out, &labels, &right, cells);
                out.push('\n');
            }
            Block::Group(.., blocks) | Block::ByFormat(blocks, _) => print_blocks(out, blocks),
            Block::Bar(..) => {}
        }
    }
}
