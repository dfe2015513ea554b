//! The posture report as a small document: `content` builds it once, with all of the
//! wording, and `markdown` and `html` print its blocks. Inline text is written for both
//! formats as it is built (`Words`), each string from a file through the one escaper
//! of each format. Where the formats have always said or laid out a thing differently,
//! `by_format` and `Block::ByFormat` hold both, so every such difference stands in
//! `content`. Classes and ids are HTML's, empty where there is none.

use std::ops::Add;

use crate::text::escape::{escape_for_terminal, html, markdown, markdown_fence};

pub struct Document {
    /// HTML's `<title>`.
    pub title: String,
    pub blocks: Vec<Block>,
}

pub enum Block {
    /// Level, class, id and content.
    Heading(usize, &'static str, String, Words),
    /// Class and content.
    Paragraph(&'static str, Words),
    /// Term → value pairs: a bullet list in Markdown, a `<dl>` in HTML, on one line
    /// when the flag is set.
    Facts(bool, Vec<Fact>),
    /// A numbered list of findings, each with its help (see `help`).
    List(Vec<(Words, Words)>),
    Table(Table),
    /// Element, class, id, and the blocks HTML wraps in that element.
    Group(&'static str, &'static str, String, Vec<Block>),
    /// A stacked bar with its label: percentages, each with its class. Markdown draws
    /// no bar; the sentence before it gives the numbers.
    Bar(String, Vec<(&'static str, u32)>),
    /// Blocks for Markdown, blocks for HTML.
    ByFormat(Vec<Block>, Vec<Block>),
}

pub struct Fact {
    pub term: Words,
    /// Empty in a format, the term is printed alone.
    pub value: Words,
    /// A detail of the fact before it, indented in Markdown.
    pub nested: bool,
}

pub struct Table {
    pub class: &'static str,
    /// The first cell of each row heads it.
    pub row_headers: bool,
    pub columns: Vec<(Words, ColumnKind)>,
    /// Each cell with its class; empty, the column's kind gives it.
    pub rows: Vec<Vec<(String, Words)>>,
}

/// Numbers align right; dates do not wrap.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Plain,
    Number,
    Date,
}

/// A piece of inline text as Markdown and as HTML.
#[derive(Clone, Default)]
pub struct Words {
    pub markdown: String,
    pub html: String,
}

impl Add for Words {
    type Output = Words;

    fn add(mut self, more: Words) -> Words {
        self.markdown.push_str(&more.markdown);
        self.html.push_str(&more.html);
        self
    }
}

fn each(markdown: impl Into<String>, html: impl Into<String>) -> Words {
    let (markdown, html) = (markdown.into(), html.into());
    Words { markdown, html }
}

/// The report's own words, with `**strong**`, `` `code` `` and `_emphasis_` marked,
/// and each `{}` taken by the next of `pieces`. Only `template` is read for marks,
/// never a piece; marks left open close at the end, and pieces left over go there
/// too, so nothing is lost.
pub fn words<const N: usize>(template: &'static str, pieces: [Words; N]) -> Words {
    let mut pieces = pieces.into_iter();
    let (mut out, mut open) = (Words::default(), Vec::new());
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        let mark = ["{}", "**", "`", "_"]
            .into_iter()
            .find(|m| rest.starts_with(m));
        rest = &rest[mark.map_or(c.len_utf8(), str::len)..];
        match mark {
            None => out = out + each(c, c),
            Some("{}") => out = out + pieces.next().unwrap_or_default(),
            Some(mark) if open.last() == Some(&mark) => out = out + markup(open.pop(), "/"),
            Some(mark) => {
                open.push(mark);
                out = out + markup(Some(mark), "");
            }
        }
    }
    while let Some(mark) = open.pop() {
        out = out + markup(Some(mark), "/");
    }
    pieces.fold(out, Add::add)
}

fn markup(mark: Option<&str>, slash: &str) -> Words {
    let (markdown, tag) = match mark {
        Some("**") => ("**", "strong"),
        Some("`") => ("`", "code"),
        _ => ("*", "em"),
    };
    each(markdown, format!("<{slash}{tag}>"))
}

/// Text from a file, escaped for each format.
pub fn text(value: &str) -> Words {
    each(markdown(value), html(value))
}

/// A value srmlint or the matrix defines (a code, a model, a date): Markdown has
/// always printed it as it is; HTML escapes it.
pub fn known(value: &str) -> Words {
    each(value, html(value))
}

/// A path or an id from a file: escaped text in Markdown, escaped code in HTML.
pub fn literal(value: &str) -> Words {
    each(markdown(value), format!("<code>{}</code>", html(value)))
}

pub fn num(number: impl std::fmt::Display) -> Words {
    each(number.to_string(), number.to_string())
}

/// HTML's `<span>` (with a class unless it is empty); Markdown prints the content.
pub fn span(class: &str, content: Words) -> Words {
    let class = if class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{class}\"")
    };
    each(
        content.markdown,
        format!("<span{class}>{}</span>", content.html),
    )
}

/// A status word; Markdown has no colour, so an `alarm` is bold capitals there.
pub fn badge(class: &str, label: &str, alarm: bool) -> Words {
    let markdown = if alarm {
        format!("**{}**", label.to_uppercase())
    } else {
        label.to_owned()
    };
    each(
        markdown,
        format!("<span class=\"badge {class}\">{label}</span>"),
    )
}

/// A link to an in-page target, for each format that has one (empty: none).
pub fn link(markdown_target: &str, html_target: &str, content: Words) -> Words {
    let markdown = match markdown_target {
        "" => content.markdown,
        target => format!("[{}](#{target})", content.markdown),
    };
    let html = match html_target {
        "" => content.html,
        target => format!("<a href=\"#{}\">{}</a>", html(target), content.html),
    };
    each(markdown, html)
}

/// Markdown's wording of one thing and HTML's.
pub fn by_format(markdown: Words, html: Words) -> Words {
    each(markdown.markdown, html.html)
}

/// A finding's help, laid out as written: after `label` in Markdown when it is one
/// line, else in a fence it cannot close; in `<pre>` in HTML.
pub fn help(label: &str, help: &str) -> Words {
    let markdown = if help.is_empty() {
        String::new()
    } else if help.contains('\n') {
        let fence = markdown_fence(help);
        let lines: String = help
            .lines()
            .map(|line| format!("  {}\n", escape_for_terminal(line)))
            .collect();
        format!("\n\n  {fence}text\n{lines}  {fence}\n")
    } else {
        format!("\n  {label}: {}", markdown(help))
    };
    let html = if help.is_empty() {
        String::new()
    } else {
        format!("<pre class=\"help\">{}</pre>", html(help))
    };
    each(markdown, html)
}
