//! The posture report as a small document: `content` builds it once, with all of the
//! wording, and `markdown` and `html` print its blocks. Inline text is written for both
//! formats as it is built (`Words`), each string from a controls, policy or matrix file
//! through the one escaper of each format (`text`, `literal`, `prose`); only srmlint's
//! own words and numbers go in as they are (`words`, `known`, `num`). Both formats say
//! the same words; `Block::ByFormat` holds the one thing only HTML can show (colour
//! swatches). Classes and ids are HTML's, empty where there is none.

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
    /// A list of findings (see `Item`).
    List(Vec<Item>),
    Table(Table),
    /// Element, class, id, and the blocks HTML wraps in that element.
    Group(&'static str, &'static str, String, Vec<Block>),
    /// A stacked bar with its label: percentages, each with its class. Markdown draws
    /// no bar; the sentence before it gives the numbers.
    Bar(String, Vec<(&'static str, u32)>),
    /// Blocks for Markdown, blocks for HTML.
    ByFormat(Vec<Block>, Vec<Block>),
}

/// One entry of a list: its head, the lines under it (a nested list), and the help
/// after them (see `help`), each possibly empty.
pub struct Item {
    pub head: Words,
    pub lines: Vec<Words>,
    pub help: Words,
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

/// A value srmlint itself makes (a status word, a date it formats, its version): no
/// file can put anything in it, so Markdown prints it as it is; HTML still escapes it.
pub fn known(value: &str) -> Words {
    each(value, html(value))
}

/// A path, an id or a code from a file, shown as code: in Markdown a code span when it
/// holds only characters a code span shows as they are (a backslash escape would show
/// in one, and `|` would end a table cell), else escaped text; escaped code in HTML.
pub fn literal(value: &str) -> Words {
    let plain = |c: char| c.is_alphanumeric() || "-._/:@+,=()#".contains(c);
    let spanable = value.chars().all(|c| plain(c) || c == ' ')
        && !value.starts_with(' ')
        && !value.ends_with(' ')
        && !value.is_empty();
    let markdown = match spanable {
        true => format!("`{value}`"),
        false => markdown(value),
    };
    each(markdown, format!("<code>{}</code>", html(value)))
}

/// Text from a file or a rule's message, with its `` `code` `` spans shown as code:
/// each span through `literal`, the rest through `text`. A lone backtick stays text.
pub fn prose(value: &str) -> Words {
    let mut out = Words::default();
    let mut rest = value;
    while let Some(start) = rest.find('`') {
        let Some(length) = rest[start + 1..].find('`') else {
            break;
        };
        let inner = &rest[start + 1..start + 1 + length];
        out = out + text(&rest[..start]);
        out = out
            + if inner.is_empty() {
                text("``")
            } else {
                literal(inner)
            };
        rest = &rest[start + 2 + length..];
    }
    out + text(rest)
}

/// `count` and its noun, singular for one ("1 error", "2 errors", "0 days").
pub fn count(count: usize, one: &'static str, many: &'static str) -> Words {
    let noun = if count == 1 { one } else { many };
    known(&format!("{count} {noun}"))
}

/// Markdown's explicit anchor (GitHub drops ids from headings), nothing in HTML, where
/// the element itself carries the id.
pub fn anchor(id: &str) -> Words {
    each(format!("<a id=\"{}\"></a>", html(id)), String::new())
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

/// A finding's help, laid out as written: one line after `label` (its `code` as
/// code); several, such as the TOML to add, in a block (a Markdown fence it cannot
/// close, HTML's `<pre>`).
pub fn help(label: &'static str, help: &str) -> Words {
    if help.is_empty() {
        return Words::default();
    }
    if !help.contains('\n') {
        let line = words("{}: {}", [known(label), prose(help)]);
        let html = format!("<p class=\"help\">{}</p>", line.html);
        return each(format!("\n  {}", line.markdown), html);
    }
    let fence = markdown_fence(help);
    let lines: String = help
        .lines()
        .map(|line| format!("  {}\n", escape_for_terminal(line)))
        .collect();
    let markdown = format!("\n\n  {fence}text\n{lines}  {fence}\n");
    each(
        markdown,
        format!("<pre class=\"help\">{}</pre>", html(help)),
    )
}

#[cfg(test)]
mod tests {
    use super::{count, literal, prose, text, words};

    #[test]
    fn templates_mark_up_their_own_words_and_never_a_piece() {
        let line = words("**{}** `{1}` _{0}_ {9}", [text("*a*"), text("<b>")]);
        assert_eq!(line.markdown, "**\\*a\\*** `\\<b\\>` *\\*a\\** ");
        assert_eq!(
            line.html,
            "<strong>*a*</strong> <code>&lt;b&gt;</code> <em>*a*</em> "
        );
        assert_eq!(words("**open {", []).html, "<strong>open {</strong>");
    }

    #[test]
    fn code_spans_hold_only_what_they_show_as_written() {
        assert_eq!(literal("backup-restore").markdown, "`backup-restore`");
        // A bidi override, a pipe or a backtick cannot go into a Markdown code span.
        assert_eq!(literal("a\u{202e}b").markdown, "a\\\\u{202e}b");
        assert_eq!(literal("a|b").markdown, "a\\|b");
        assert_eq!(literal("a|b").html, "<code>a|b</code>");
    }

    #[test]
    fn prose_shows_its_code_spans_as_code() {
        let line = prose("the claim on `tenant-iam` names <no> one, `");
        assert_eq!(
            line.html,
            "the claim on <code>tenant-iam</code> names &lt;no&gt; one, `"
        );
        assert_eq!(
            line.markdown,
            "the claim on `tenant-iam` names \\<no\\> one, \\`"
        );
        assert_eq!(count(1, "error", "errors").markdown, "1 error");
        assert_eq!(count(0, "day", "days").markdown, "0 days");
    }
}
