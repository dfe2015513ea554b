//! JSON text that is safe to print on a terminal: serde_json escapes the C0 controls
//! JSON requires, and this also escapes the C1 controls (U+0080–U+009F, such as the
//! 8-bit CSI U+009B), DEL and the bidirectional overrides, so a controls file's text
//! cannot drive a terminal or hide text when JSON, SARIF or GitLab output is shown
//! raw. The escapes are plain JSON: every parser reads the same strings back.

use std::fmt::Write as _;

use serde::Serialize;

use super::escape::is_unsafe_for_terminal;

/// Pretty-printed JSON with every terminal-unsafe character written as `\uXXXX`, and
/// a final newline: a whole document.
pub fn document<T: Serialize + ?Sized>(value: &T) -> String {
    document_sized(value, 0)
}

/// `document` written into a buffer of `capacity` bytes from the start: a document of
/// megabytes then never doubles its buffer (and holds twice its size) on the way.
pub fn document_sized<T: Serialize + ?Sized>(value: &T, capacity: usize) -> String {
    let mut bytes = Vec::with_capacity(capacity);
    serde_json::to_writer_pretty(&mut bytes, value).expect("plain data serializes");
    let json = String::from_utf8(bytes).expect("serde_json writes UTF-8");
    let mut text = made_safe(json);
    text.push('\n');
    text
}

fn made_safe(json: String) -> String {
    // Outside strings JSON is ASCII punctuation, digits, letters and white space, so
    // every unsafe character left in the text stands inside a string, where `\u`
    // escapes mean the same character; none lies outside the BMP, so one escape each.
    // The line breaks are the pretty printer's own: serde_json escapes those in strings.
    let is_unsafe = |c: char| c != '\n' && is_unsafe_for_terminal(c);
    // Most documents hold none: then the text is kept as it is, not copied.
    let Some(first) = first_unsafe(&json) else {
        return json;
    };
    let mut out = String::with_capacity(json.len() + 16);
    out.push_str(&json[..first]);
    for c in json[first..].chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Where the first character `made_safe` escapes starts. Printable ASCII and line
/// breaks are passed over byte by byte, far faster than decoding every character;
/// only the rest (a document's few non-ASCII letters and dashes) is decoded.
fn first_unsafe(json: &str) -> Option<usize> {
    let is_plain = |byte: &u8| (b' '..b'\x7f').contains(byte) || *byte == b'\n';
    let mut at = 0;
    while let Some(skipped) = json.as_bytes()[at..]
        .iter()
        .position(|byte| !is_plain(byte))
    {
        // Only ASCII was passed over, so `start` begins a character.
        let start = at + skipped;
        let c = json[start..].chars().next()?;
        if is_unsafe_for_terminal(c) {
            return Some(start);
        }
        at = start + c.len_utf8();
    }
    None
}
