//! The posture report as one self-contained HTML file: inline CSS, no scripts, no
//! fonts or images fetched from anywhere, so it can be mailed to an auditor or printed
//! to PDF. Status is shown by colour and by text, so the page reads in greyscale. The
//! blocks of the document `content` builds, printed with their HTML words (every
//! string from a file escaped by `text::escape::html`).

use std::fmt::Write;

use super::content;
use super::doc::{Block, ColumnKind, Fact, Item, Table};
use crate::posture::PostureReport;
use crate::text::escape::html;

/// The page's whole style sheet, inlined so the file stays self-contained. The leading
/// line break keeps the `<style>` element's text as it always was.
const STYLE: &str = concat!("\n", include_str!("report.css"));

pub fn render(report: &PostureReport) -> String {
    let document = content::document(report);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"srmlint {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        html(&document.title)
    );
    print_blocks(&mut out, &document.blocks);
    out.push_str("</body>\n</html>\n");
    out
}

fn print_blocks(out: &mut String, blocks: &[Block]) {
    for block in blocks {
        match block {
            Block::Heading(level, class, id, content) => {
                let attributes = attributes(class, id);
                let _ = writeln!(out, "<h{level}{attributes}>{}</h{level}>", content.html);
            }
            Block::Paragraph(class, content) => {
                let _ = writeln!(out, "<p{}>{}</p>", attributes(class, ""), content.html);
            }
            Block::Facts(compact, facts) => {
                let end = if *compact { "" } else { "\n" };
                let _ = write!(out, "<dl class=\"facts\">{end}");
                for Fact(term, value, _) in facts {
                    let _ = write!(out, "<dt>{}</dt><dd>{}</dd>{end}", term.html, value.html);
                }
                out.push_str("</dl>\n");
            }
            Block::List(items) => {
                out.push_str("<ol class=\"gaps\">\n");
                for Item { head, lines, help } in items {
                    let _ = write!(out, "<li>{}", head.html);
                    if !lines.is_empty() {
                        out.push_str("<ul>");
                        for line in lines {
                            let _ = write!(out, "<li>{}</li>", line.html);
                        }
                        out.push_str("</ul>");
                    }
                    let _ = writeln!(out, "{}</li>", help.html);
                }
                out.push_str("</ol>\n");
            }
            Block::Table(table) => print_table(out, table),
            Block::Group(element, class, id, blocks) => {
                let _ = writeln!(out, "<{element}{}>", attributes(class, id));
                print_blocks(out, blocks);
                let _ = writeln!(out, "</{element}>");
            }
            Block::Bar(label, parts) => {
                let label = html(label);
                let _ = write!(
                    out,
                    "<div class=\"bar\" role=\"img\" aria-label=\"{label}\">"
                );
                for (class, width) in parts {
                    let _ = write!(
                        out,
                        "<span class=\"{class}\" style=\"width:{width}%\"></span>"
                    );
                }
                out.push_str("</div>\n");
            }
            Block::ByFormat(_, blocks) => print_blocks(out, blocks),
        }
    }
}

/// ` class="…" id="…"`, for those that are not empty; the id escaped.
fn attributes(class: &str, id: &str) -> String {
    let mut attributes = String::new();
    if !class.is_empty() {
        let _ = write!(attributes, " class=\"{class}\"");
    }
    if !id.is_empty() {
        let _ = write!(attributes, " id=\"{}\"", html(id));
    }
    attributes
}

fn print_table(out: &mut String, Table(class, row_headers, columns, rows): &Table) {
    let _ = write!(out, "<table{}>\n<thead><tr>", attributes(class, ""));
    for (label, kind) in columns {
        // Only numbers change a heading's look (aligned right); dates do not.
        let class = if *kind == ColumnKind::Number {
            "num"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<th scope=\"col\"{}>{}</th>",
            attributes(class, ""),
            label.html
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (index, (class, content)) in row.iter().enumerate() {
            let content = &content.html;
            if index == 0 && *row_headers {
                let _ = write!(out, "<th scope=\"row\">{content}</th>");
                continue;
            }
            let class = match columns.get(index).map(|(_, kind)| *kind) {
                _ if !class.is_empty() => class,
                Some(ColumnKind::Number) => "num",
                Some(ColumnKind::Date) => "date",
                Some(ColumnKind::Plain) | None => "",
            };
            let _ = write!(out, "<td{}>{content}</td>", attributes(class, ""));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}
