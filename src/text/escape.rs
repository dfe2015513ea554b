//! Escaping text from controls, policy and matrix files for every medium srmlint
//! writes to, each in one place: a terminal (control characters and bidirectional
//! overrides as visible escapes), Markdown (no markup, link, tag or table cell can be
//! opened), HTML (element content and quoted attributes) and XML (no character XML
//! forbids). JSON lives in `text::json`.

/// Text made safe for a terminal: control characters (ESC, BEL, C1 controls, lone
/// carriage returns) and bidirectional overrides are written as visible `\u{..}`
/// escapes, so a file cannot drive the terminal or hide text. Line breaks and tabs stay.
pub fn escape_for_terminal(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            escaped.push(c);
        } else if is_unsafe_for_terminal(c) && c != '\n' && c != '\t' {
            push_visible_escape(&mut escaped, c);
        } else {
            escaped.push(c);
        }
    }
    escaped
}

/// Text that must stay on one line (a path, an id), made safe for a terminal: like
/// `escape_for_terminal`, and line breaks and tabs are escaped too, so a file named
/// `x\n::error::...` cannot start a line of its own (a CI log would read that line as
/// a workflow command).
pub fn escape_inline(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe_for_terminal(c) {
            push_visible_escape(&mut escaped, c);
        } else {
            escaped.push(c);
        }
    }
    escaped
}

fn push_visible_escape(out: &mut String, c: char) {
    out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
}

/// Like `escape_for_terminal`, but keeps every byte offset: each unsafe character
/// becomes as many `?` as it has bytes, so spans into the text stay valid.
pub fn mask_for_terminal(text: &str) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let keep = c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n'));
        if is_unsafe_for_terminal(c) && !keep {
            masked.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            masked.push(c);
        }
    }
    masked
}

/// Control characters and bidirectional overrides: what must never reach a terminal raw.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// Text made inert in Markdown (a paragraph, a list item or a table cell): on one
/// line, terminal controls escaped, `&` as an entity (so no entity can be spelled
/// out), and every character that could start an HTML tag, emphasis, code, a link, a
/// heading, an image or a cell backslash-escaped (CommonMark reads any escaped ASCII
/// punctuation as itself).
pub fn markdown(text: &str) -> String {
    let one_line = text.replace("\r\n", " ").replace(['\r', '\n'], " ");
    let mut escaped = String::with_capacity(one_line.len());
    for c in escape_for_terminal(&one_line).chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
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
