//! Text from a controls or matrix file made valid for OSCAL's datatypes, each rule in
//! one place (docs/oscal.md, "Text"): one-line fields (`Line`), ids that must be OSCAL
//! tokens (`check_ids`), evidence as URI references (`href`), and text srmlint writes
//! into Markdown fields around the file's own text (`markdown`).

use std::fmt::Write as _;
use std::sync::LazyLock;

use serde::Serialize;

use crate::data::frameworks::Framework;
use crate::data::matrix::Matrix;
use crate::diag::Error;
use crate::rules::evidence;
use crate::text::escape;

/// What a one-line field holds when the text leaves nothing (empty or all white space).
pub const EMPTY: &str = "(empty)";

/// A value of OSCAL's `string` datatype (`^\S(.*\S)?$`), which also satisfies
/// `markup-line` (`^[^\n]+$`): line breaks become spaces and white space at either end
/// is dropped, for the white space of Rust's regexes (Unicode `White_Space`) and of
/// ECMAScript's (which adds U+FEFF and stops `.` at U+2028/U+2029 too), so every schema
/// engine accepts it. Text that leaves nothing is `EMPTY`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Line(String);

impl Line {
    pub fn new(text: &str) -> Self {
        let mut one_line = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                // One space for a CRLF, as for any other line break.
                '\r' if chars.peek() == Some(&'\n') => {}
                '\n' | '\r' | '\u{2028}' | '\u{2029}' => one_line.push(' '),
                _ => one_line.push(c),
            }
        }
        let trimmed = one_line.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if trimmed.is_empty() {
            Self(EMPTY.to_owned())
        } else {
            Self(trimmed.to_owned())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// OSCAL's token datatype, the schema's own pattern.
static TOKEN: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$").expect("the token pattern compiles")
});

/// Every id of the matrix and the frameworks that OSCAL output uses as an id or in one
/// (control ids become `control-id`s, model and party ids `class`es, and all of them
/// parts of UUID names, which a `/` could make ambiguous) must be an OSCAL token;
/// renaming them would break the references between documents, so a matrix with an
/// id that is not is refused, every such id named.
pub fn check_ids(matrix: &Matrix, frameworks: &[Framework]) -> Result<(), Error> {
    let ids = [("provider", matrix.info.provider.as_str())]
        .into_iter()
        .chain(matrix.control_ids().map(|id| ("control", id)))
        .chain(matrix.models.keys().map(|id| ("model", id.as_str())))
        .chain(matrix.parties.keys().map(|id| ("party", id.as_str())))
        .chain(matrix.services.keys().map(|id| ("service", id.as_str())))
        .chain(matrix.zones.keys().map(|id| ("zone", id.as_str())))
        .chain(frameworks.iter().map(|f| ("framework", f.id())));
    let bad: Vec<String> = ids
        .filter(|(_, id)| !TOKEN.is_match(id))
        .map(|(kind, id)| format!("{kind} `{}`", escape::escape_inline(id)))
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    Err(Error::new(format!(
        "cannot write OSCAL: these ids are not OSCAL tokens (a letter or `_` first, then \
         letters, digits, `.`, `-` or `_`): {}",
        bad.join(", ")
    )))
}

/// An evidence entry as an RFC 3986 URI reference, as OSCAL's `link.href` wants it: a
/// URI (`https://...`, anything with a scheme) keeps its structure and has every
/// character its part cannot hold percent-encoded; a repository path is a relative
/// reference with everything but unreserved characters, sub-delimiters and `/`
/// percent-encoded (`:` too, which in a first segment would read as a scheme; `%`
/// too: a file name is not already encoded).
pub fn href(evidence: &str) -> String {
    if !evidence::has_scheme(evidence) {
        return encode(evidence, |c| {
            is_unreserved(c) || is_sub_delim(c) || c == '/'
        });
    }
    let (scheme, rest) = evidence.split_once(':').unwrap_or((evidence, ""));
    let mut out = format!("{scheme}:");
    let (before_fragment, fragment) = split(rest, '#');
    let (before_query, query) = split(before_fragment, '?');
    let path = match before_query.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            out.push_str("//");
            out.push_str(&authority(&after[..end]));
            &after[end..]
        }
        None => before_query,
    };
    let in_path = |c: char| is_pchar(c) || c == '/';
    out.push_str(&encode_keeping_escapes(path, in_path));
    let in_query = |c: char| is_pchar(c) || c == '/' || c == '?';
    if let Some(query) = query {
        out.push('?');
        out.push_str(&encode_keeping_escapes(query, in_query));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(&encode_keeping_escapes(fragment, in_query));
    }
    out
}

/// `userinfo@host:port`: the port kept only when it is digits, the host a registered
/// name (an IP literal's brackets are encoded: evidence on a bare IPv6 address is not
/// worth a parser).
fn authority(text: &str) -> String {
    let (userinfo, host_port) = match text.rfind('@') {
        Some(at) => (Some(&text[..at]), &text[at + 1..]),
        None => (None, text),
    };
    let mut out = String::new();
    if let Some(userinfo) = userinfo {
        out.push_str(&encode_keeping_escapes(userinfo, |c| {
            is_unreserved(c) || is_sub_delim(c) || c == ':'
        }));
        out.push('@');
    }
    let (host, port) = match host_port.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => (host, Some(port)),
        _ => (host_port, None),
    };
    out.push_str(&encode_keeping_escapes(host, |c| {
        is_unreserved(c) || is_sub_delim(c)
    }));
    if let Some(port) = port {
        out.push(':');
        out.push_str(port);
    }
    out
}

fn split(text: &str, at: char) -> (&str, Option<&str>) {
    match text.split_once(at) {
        Some((before, after)) => (before, Some(after)),
        None => (text, None),
    }
}

fn is_unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

fn is_sub_delim(c: char) -> bool {
    matches!(
        c,
        '!' | '$' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | ';' | '='
    )
}

fn is_pchar(c: char) -> bool {
    is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@'
}

/// Percent-encodes (UTF-8, upper-case hex) every character `keep` refuses.
pub(crate) fn encode(text: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

/// `encode`, keeping `%` where it starts an escape already (`%2F`) in a URI.
fn encode_keeping_escapes(text: &str, keep: impl Fn(char) -> bool) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    for (index, c) in text.char_indices() {
        let escape_follows = c == '%'
            && bytes.len() > index + 2
            && bytes[index + 1].is_ascii_hexdigit()
            && bytes[index + 2].is_ascii_hexdigit();
        if escape_follows {
            out.push('%');
        } else {
            out.push_str(&encode(c.encode_utf8(&mut [0; 4]), &keep));
        }
    }
    out
}

/// Text from a file placed inside Markdown srmlint writes (a list item, a sentence):
/// inert, on one line, terminal controls visible. Fields that *are* a file's text (a
/// claim's implementation, a part's scope) are written as they are instead.
pub use crate::text::escape::markdown;

/// Text that is Markdown in OSCAL and that the file gives as it is: its own text, or
/// `fallback` when it has none (OSCAL allows an empty description, but a reader
/// should not meet one).
pub fn prose(text: Option<&str>, fallback: &str) -> String {
    match text {
        Some(text) if !text.trim().is_empty() => text.to_owned(),
        _ => fallback.to_owned(),
    }
}
