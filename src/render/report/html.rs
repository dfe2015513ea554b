//! The posture report as one self-contained HTML file: inline CSS, no scripts, no
//! fonts or images fetched from anywhere, so it can be mailed to an auditor or printed
//! to PDF. Status is shown by colour and by text, so the page reads in greyscale. The
//! blocks of the document `content` builds, printed with their HTML words (every
//! string from a file escaped by `text::escape::html`).

use std::fmt::Write;

use super::content;
use super::doc::{Block, ColumnKind, Fact, Table};
use crate::posture::PostureReport;
use crate::text::escape::html;

const STYLE: &str = r#"
:root { --ink: #1a1a1a; --muted: #555; --line: #c8c8c8;
  --customer: #dbe9ff; --shared: #fff0c2; --provider: #e3f4e3;
  --gap: #b00020; --gap-bg: #ffe1e1; --waived: #8a5a00; --claimed: #185c2b; --inherited: #3d4f63; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif;
  color: var(--ink); margin: 2rem auto; max-width: 72rem; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 1.8rem; }
h4 { font-size: 1rem; margin: 1.4rem 0 .3rem; }
.meta, .note { color: var(--muted); }
code { font: .9em/1.3 ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td.num, th.num { text-align: right; }
td.date { white-space: nowrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.owner-customer { background: var(--customer); }
.owner-shared { background: var(--shared); }
.owner-provider { background: var(--provider); }
.owner-na { color: var(--muted); text-align: center; }
.badge { display: inline-block; padding: 0 .35rem; border-radius: .25rem; font-size: .85em;
  font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
.status-claimed { color: var(--claimed); }
.status-inherited { color: var(--inherited); font-style: italic; border-style: dashed; }
.status-waived { color: var(--waived); border-style: dotted; }
.status-gap { color: var(--gap); background: var(--gap-bg); border-width: 2px; text-transform: uppercase; }
.req-covered { color: var(--claimed); }
.req-inherited { color: var(--inherited); font-style: italic; border-style: dashed; }
.req-open { color: var(--gap); background: var(--gap-bg); border-width: 2px; text-transform: uppercase; }
ol.gaps li { margin-bottom: .5rem; }
ol.gaps li::marker { font-weight: 700; }
pre.help { background: #f6f6f6; border-left: 3px solid var(--line); padding: .4rem .6rem; margin: .3rem 0;
  white-space: pre-wrap; }
.legend span { margin-right: .8rem; }
.swatch { display: inline-block; width: .9rem; height: .9rem; border: 1px solid var(--line); vertical-align: -2px; }
.control { border-top: 1px solid var(--line); padding-top: .2rem; }
.bar { display: flex; height: .9rem; border: 1px solid var(--ink); margin: .3rem 0 .6rem; max-width: 30rem; }
.bar span { display: block; height: 100%; }
.bar .covered { background: #3f8f4f; } .bar .inherited { background: #9fb3c8; } .bar .open { background: var(--gap); }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  @page { margin: 15mm 12mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-before: page; } h2.first { break-before: auto; }
  h2, h3, h4 { break-after: avoid; }
  tr, .control, ol.gaps li { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"#;

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
                for (content, help) in items {
                    let _ = writeln!(out, "<li>{}{}</li>", content.html, help.html);
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
