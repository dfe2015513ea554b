//! The posture report as a small document: `content` builds it once, with all of the
//! wording, and `markdown` and `html` print its blocks. Inline text is written for both
//! formats as it is built (`Words`), each string from a file through the one escaper
//! of each format. Where the formats have always said or laid out a thing differently,
//! `either` and `Block::ByFormat` hold both, so every such difference stands in
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

/// A term, its value, and whether it is a detail of the fact before it (indented in
/// Markdown). A value empty in a format leaves the term alone there.
pub struct Fact(pub Words, pub Words, pub bool);

/// Class, whether the first cell of each row heads it, the columns, and the rows:
/// each cell with its class (empty: the column's kind gives it).
pub struct Table(
    pub &'static str,
    pub bool,
    pub Vec<(Words, ColumnKind)>,
    pub Vec<Vec<(String, Words)>>,
);

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

impl From<&'static str> for Words {
    fn from(template: &'static str) -> Self {
        words(template, [])
    }
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
/// and each `{}` taken by the next of `pieces` (`{N}` by piece N). Only `template` is
/// read for marks, never a piece; marks left open close at the end.
pub fn words<const N: usize>(template: &'static str, pieces: [Words; N]) -> Words {
    let (mut out, mut open, mut next) = (Words::default(), Vec::new(), 0);
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if let Some((index, after)) = hole(rest) {
            next = index.unwrap_or(next) + 1;
            out = out + pieces.get(next - 1).cloned().unwrap_or_default();
            rest = after;
            continue;
        }
        let mark = ["**", "`", "_"].into_iter().find(|m| rest.starts_with(m));
        rest = &rest[mark.map_or(c.len_utf8(), str::len)..];
        match mark {
            None => out = out + each(c, c),
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
    out
}

/// Markdown's wording of one thing and HTML's, from the same pieces.
pub fn either<const N: usize>(
    markdown: &'static str,
    html: &'static str,
    pieces: [Words; N],
) -> Words {
    let markdown = words(markdown, pieces.clone()).markdown;
    each(markdown, words(html, pieces).html)
}

/// `{}` or `{N}` at the start of `text`: the piece it names (none: the next one) and
/// what follows it.
fn hole(text: &str) -> Option<(Option<usize>, &str)> {
    let (key, after) = text.strip_prefix('{')?.split_once('}')?;
    let index = (!key.is_empty()).then(|| key.parse()).transpose().ok()?;
    Some((index, after))
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
    let class = match class {
        "" => String::new(),
        class => format!(" class=\"{class}\""),
    };
    let html = format!("<span{class}>{}</span>", content.html);
    each(content.markdown, html)
}

/// A status word; Markdown has no colour, so an `alarm` is bold capitals there.
pub fn badge(class: &str, label: &str, alarm: bool) -> Words {
    let html = format!("<span class=\"badge {class}\">{label}</span>");
    match alarm {
        true => each(format!("**{}**", label.to_uppercase()), html),
        false => each(label, html),
    }
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

/// A finding's help, laid out as written: after `label` in Markdown when it is one
/// line, else in a fence it cannot close; in `<pre>` in HTML.
pub fn help(label: &str, help: &str) -> Words {
    let markdown = if help.contains('\n') {
        let fence = markdown_fence(help);
        let lines: String = help
            .lines()
            .map(|line| format!("  {}\n", escape_for_terminal(line)))
            .collect();
        format!("\n\n  {fence}text\n{lines}  {fence}\n")
    } else {
        format!("\n  {label}: {}", markdown(help))
    };
    match help {
        "" => Words::default(),
        help => each(
            markdown,
            format!("<pre class=\"help\">{}</pre>", html(help)),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{either, text, words};

    #[test]
    fn templates_mark_up_their_own_words_and_never_a_piece() {
        let line = words("**{}** `{1}` _{0}_ {9}", [text("*a*"), text("<b>")]);
        assert_eq!(line.markdown, "**\\*a\\*** `\\<b\\>` *\\*a\\** ");
        assert_eq!(
            line.html,
            "<strong>*a*</strong> <code>&lt;b&gt;</code> <em>*a*</em> "
        );
        assert_eq!(words("**open {", []).html, "<strong>open {</strong>");
        let line = either("{} ({})", "{1}", [text("x"), text("y")]);
        assert_eq!((line.markdown.as_str(), line.html.as_str()), ("x (y)", "y"));
    }
}
