//! Escaping text from controls, policy and matrix files for every medium srmlint
//! writes to, each in one place: a terminal (control characters and bidirectional
//! overrides as visible escapes), Markdown (no markup, link, tag or table cell can be
//! opened), HTML (element content and quoted attributes) and XML (no character XML
//! forbids). JSON lives in `text::json`.

/// Text made safe for a terminal: control characters (ESC, BEL, C1 controls, lone
/// carriage returns) and bidirectional overrides are written as visible `\u{..}`
/// escapes, so a file cannot drive the terminal or hide text. Line breaks and tabs stay.
pub fn escape_for_terminal(text: &str) -> String {
    replace_unsafe(text, true, push_visible_escape)
}

/// Text that must stay on one line (a path, an id), made safe for a terminal: like
/// `escape_for_terminal`, and line breaks and tabs are escaped too, so a file named
/// `x\n::error::...` cannot start a line of its own (a CI log would read that line as
/// a workflow command).
pub fn escape_inline(text: &str) -> String {
    replace_unsafe(text, false, push_visible_escape)
}

/// `text` with every character unsafe for a terminal written by `replace`; with
/// `keep_breaks`, line breaks (LF, CRLF) and tabs stay as they are.
fn replace_unsafe(text: &str, keep_breaks: bool, replace: fn(&mut String, char)) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let kept =
            keep_breaks && (c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n')));
        if is_unsafe_for_terminal(c) && !kept {
            replace(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

fn push_visible_escape(out: &mut String, c: char) {
    out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
}

/// Like `escape_for_terminal`, but keeps every byte offset: each unsafe character
/// becomes as many `?` as it has bytes, so spans into the text stay valid.
pub fn mask_for_terminal(text: &str) -> String {
    replace_unsafe(text, true, |out, c| {
        out.extend(std::iter::repeat_n('?', c.len_utf8()));
    })
}

/// Control characters and bidirectional overrides: what must never reach a terminal raw.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// Text made inert in Markdown (a paragraph, a list item or a table cell): on one
/// line, terminal controls escaped, `&` as an entity (so no entity can be spelled
/// out), and every character that could start an HTML tag, emphasis, code, a link, a
/// heading, an image or a cell backslash-escaped (CommonMark reads any escaped ASCII
/// punctuation as itself). So is the `:` of `://` and the `.` of `www.`, which GitHub
/// would otherwise turn into a link by themselves.
pub fn markdown(text: &str) -> String {
    markdown_with(text, true)
}

/// [`markdown`] that leaves web addresses for a renderer to link: for the sources
/// srmlint itself cites, never for text from a checkout.
pub fn markdown_cited(text: &str) -> String {
    markdown_with(text, false)
}

fn markdown_with(text: &str, unlink: bool) -> String {
    let one_line = text.replace("\r\n", " ").replace(['\r', '\n'], " ");
    let shown = escape_for_terminal(&one_line);
    let mut escaped = String::with_capacity(one_line.len());
    let after_www = |escaped: &String| {
        (escaped.as_bytes().rchunks(3).next()).is_some_and(|last| last.eq_ignore_ascii_case(b"www"))
    };
    for (at, c) in shown.char_indices() {
        match c {
            '&' => escaped.push_str("&amp;"),
            ':' if unlink && shown[at + 1..].starts_with("//") => escaped.push_str("\\:"),
            '.' if unlink && after_www(&escaped) => escaped.push_str("\\."),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' => {
                escaped.push('\\');
                escaped.push(c);
            }
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A code fence longer than any run of backticks inside `content`, so the content
/// cannot close it.
pub fn markdown_fence(content: &str) -> String {
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// Text made inert in HTML element content and in quoted attribute values. Terminal
/// controls and bidirectional overrides become visible `\u{..}` escapes too: raw,
/// they would reorder or hide what a reader of the page sees.
pub fn html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            '\n' | '\t' => escaped.push(c),
            c if is_unsafe_for_terminal(c) => push_visible_escape(&mut escaped, c),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// Text that XML 1.0 can carry: characters outside its `Char` production (C0 controls
/// other than tab, LF and CR; lone surrogates cannot occur in Rust strings; U+FFFE and
/// U+FFFF) become visible `\u{..}` escapes, so a document stays well-formed whatever
/// the input. Markup characters are left to the XML writer.
pub fn xml_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let allowed = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
        if allowed {
            out.push(c);
        } else {
            push_visible_escape(&mut out, c);
        }
    }
    out
}

/// Comment lines are wrapped here, so a file reads well in an 80-column editor.
const COMMENT_WIDTH: usize = 88;

/// Writes `text` as `# ` TOML comment lines, wrapped at word boundaries (so no line
/// break in `text` can end the comment); continuation lines are indented so each item
/// reads as one.
pub fn toml_comment(out: &mut String, text: &str) {
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() > 2 && line.chars().count() + 1 + word.chars().count() > COMMENT_WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#  ");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
}

/// A one-line TOML basic string: quotes, backslashes and control characters escaped,
/// so any name or id round-trips and none can end the line.
pub fn toml_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    // `##[` would read as a CI command in a log (see `workflow_safe`); in a TOML
    // string it is written with the escape TOML reads back as `[`.
    if quoted.contains("##[") {
        quoted = quoted.replace("##[", "##\\u005B");
    }
    quoted
}

/// A TOML key: bare when TOML allows it, quoted otherwise.
pub fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_owned()
    } else {
        toml_string(key)
    }
}

/// A TOML array of one-line strings.
pub fn toml_array(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| toml_string(item)).collect();
    format!("[{}]", quoted.join(", "))
}

/// What a document is, for [`workflow_safe`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogSink {
    /// Plain text or Markdown (a terminal, a CI log, a step summary).
    Text,
    /// A JSON document (strings hold no raw line break).
    Json,
    /// XML or HTML (JUnit, OSCAL XML, the HTML report).
    Markup,
    /// GitHub workflow commands: every line is srmlint's own `::command`.
    Commands,
}

impl LogSink {
    /// The sink a finished document is, told by its first character: `{` JSON, `<`
    /// markup, anything else text.
    pub fn of_document(text: &str) -> Self {
        match text.trim_start().as_bytes().first() {
            Some(b'{') => LogSink::Json,
            Some(b'<') => LogSink::Markup,
            // A JSON array, or text that starts with `[` (a TOML table): told apart
            // only when it matters, by parsing.
            Some(b'[')
                if text.contains("##[")
                    && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() =>
            {
                LogSink::Json
            }
            _ => LogSink::Text,
        }
    }
}

/// A CI runner (GitHub Actions) reads every line of a step's output: a line whose
/// first non-blank characters are `::` is a workflow command (blank as the runner
/// trims: any Unicode white space, a no-break space included) (`::add-mask::`,
/// `::error::`, `::stop-commands::`), and the legacy `##[` is one anywhere in a line.
/// No text from a checkout may do either, so every document srmlint prints or writes
/// passes here last, broken up the same documented way each time:
/// - `##[` becomes `##\[` in text, Markdown and workflow commands, `##\u005b` in
///   JSON, `##&#91;` in XML and HTML: each still reads as `##[` where it is read as
///   its format (Markdown and JSON parsers, XML readers);
/// - a line that would start with `::` after its blanks gets a `\` before them in
///   text (Markdown reads `\:` as `:`), and its first `:` as `&#58;` in markup. JSON
///   strings cannot hold a line break, and workflow commands are srmlint's own.
///
/// A path that starts with `::` is written `./::…` where a line starts with it
/// (the concise format), before this pass.
pub fn workflow_safe(text: &str, sink: LogSink) -> std::borrow::Cow<'_, str> {
    // A runner may end a line at a carriage return as well as at a line feed.
    const BREAKS: [char; 2] = ['\n', '\r'];
    let legacy = text.contains("##[");
    let command_line = !matches!(sink, LogSink::Json | LogSink::Commands)
        && text.split(BREAKS).any(|line| {
            line.trim_start_matches(char::is_whitespace)
                .starts_with("::")
        });
    if !legacy && !command_line {
        return std::borrow::Cow::Borrowed(text);
    }
    let broken_legacy = match sink {
        LogSink::Text | LogSink::Commands => "##\\[",
        LogSink::Json => "##\\u005b",
        LogSink::Markup => "##&#91;",
    };
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    loop {
        let end = rest.find(BREAKS).unwrap_or(rest.len());
        let (line, tail) = rest.split_at(end);
        let line = if legacy {
            std::borrow::Cow::Owned(line.replace("##[", broken_legacy))
        } else {
            std::borrow::Cow::Borrowed(line)
        };
        let body = line.trim_start_matches(char::is_whitespace);
        if command_line && body.starts_with("::") {
            out.push_str(&line[..line.len() - body.len()]);
            let (mark, body) = match sink {
                LogSink::Markup => ("&#58;", &body[1..]),
                _ => ("\\", body),
            };
            out.push_str(mark);
            out.push_str(body);
        } else {
            out.push_str(&line);
        }
        let Some(separator) = tail.chars().next() else {
            break;
        };
        out.push(separator);
        rest = &tail[separator.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}
