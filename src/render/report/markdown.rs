//! The posture report as GitHub-flavoured Markdown, for a pull-request comment or
//! `$GITHUB_STEP_SUMMARY`: the blocks of the document `content` builds, printed with
//! their Markdown words (every string from a file escaped by `text::escape::markdown`,
//! so a value cannot open a link, an HTML tag or a table cell of its own).

use std::fmt::Write;

use super::content;
use super::doc::{Block, ColumnKind, Fact};
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
                for Fact {
                    term,
                    value,
                    nested,
                } in facts
                {
                    let indent = if *nested { "  " } else { "" };
                    let colon = if value.markdown.is_empty() { "" } else { ": " };
                    let _ = writeln!(out, "{indent}- {}{colon}{}", term.markdown, value.markdown);
                }
                out.push('\n');
            }
            Block::List(items) => {
                for (content, help) in items {
                    let _ = writeln!(out, "- {}{}", content.markdown, help.markdown);
                }
                out.push('\n');
            }
            Block::Table(table) => {
                let labels: Vec<&str> = table
                    .columns
                    .iter()
                    .map(|(l, _)| l.markdown.as_str())
                    .collect();
                let rule: String = (table.columns.iter())
                    .map(|(_, kind)| {
                        if *kind == ColumnKind::Number {
                            "---:|"
                        } else {
                            "---|"
                        }
                    })
                    .collect();
                let _ = writeln!(out, "| {} |\n|{rule}", labels.join(" | "));
                for row in &table.rows {
                    let cells: Vec<&str> =
                        row.iter().map(|(_, cell)| cell.markdown.as_str()).collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
                out.push('\n');
            }
            Block::Group(.., blocks) | Block::ByFormat(blocks, _) => print_blocks(out, blocks),
            Block::Bar(..) => {}
        }
    }
}
