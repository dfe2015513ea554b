//! Where in a TOML document a position lies, read from the text alone (it may not
//! parse while someone types): in a table header, at a key, or in the value of which
//! key of which table, inside a string or not. Hover and completion decide from it.

use std::ops::Range;

/// The place of a position in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Place {
    /// Inside `[...]` or `[[...]]`: `typed` is the text between the brackets before
    /// the position, starting at byte `start`.
    Header { typed: String, start: usize },
    /// Where a key is written, in the table `table`.
    Key { table: Vec<String> },
    /// In the value of `key` (its last part) of `table` (the header's path and the
    /// key's leading dotted parts).
    Value {
        table: Vec<String>,
        key: String,
        in_string: bool,
    },
    /// In a comment.
    Comment,
}

/// The characters of an id: control ids, services, zones, frameworks, rule codes,
/// residency values (`EEA+CH`).
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+')
}

/// The byte span of the word around `offset` (touching it on either side), if any.
pub(crate) fn word_at(text: &str, offset: usize) -> Option<Range<usize>> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = word_start(text, offset);
    let end = offset
        + text[offset..]
            .char_indices()
            .find(|(_, c)| !is_word_char(*c))
            .map_or(text.len() - offset, |(at, _)| at);
    (start < end).then_some(start..end)
}

/// Where the word that ends at `offset` starts (`offset` when none does).
pub(crate) fn word_start(text: &str, offset: usize) -> usize {
    text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(offset, |(at, _)| at)
}

/// How a string being read ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    Basic,
    Literal,
    MultiBasic,
    MultiLiteral,
}

impl Quote {
    /// The string `"` or `'` opens, once or three times.
    fn of(c: char, triple: bool) -> Self {
        match (c == '"', triple) {
            (true, false) => Quote::Basic,
            (false, false) => Quote::Literal,
            (true, true) => Quote::MultiBasic,
            (false, true) => Quote::MultiLiteral,
        }
    }
}

/// The state of the scan at a point of the text.
#[derive(Debug, Default)]
struct Scan {
    table: Vec<String>,
    /// The key being assigned, while its value is read.
    key: Option<Vec<String>>,
    /// Open `[` and `{` of the value.
    depth: usize,
    quote: Option<Quote>,
    in_comment: bool,
    /// Collecting a key at the start of a statement.
    key_text: Option<String>,
    /// On a header line: its text so far and where it started.
    header: Option<(String, usize)>,
}

/// The place of byte `offset` of `text`.
pub(crate) fn place_at(text: &str, offset: usize) -> Place {
    let offset = offset.min(text.len());
    let mut scan = Scan::default();
    let mut chars = text[..offset].char_indices().peekable();
    let bytes = text.as_bytes();
    let mut line_start = true;
    while let Some((at, c)) = chars.next() {
        if c == '\n' {
            scan.in_comment = false;
            if matches!(scan.quote, Some(Quote::Basic | Quote::Literal)) {
                scan.quote = None;
            }
            if let Some((header, _)) = scan.header.take() {
                scan.table = header_path(&header);
            }
            if scan.quote.is_none() && scan.depth == 0 {
                scan.key = None;
            }
            // An array left open while typing ends where a header or a new key
            // starts a line: no array element looks like either.
            if scan.quote.is_none() && scan.depth > 0 && starts_statement(&text[at + 1..]) {
                scan.key = None;
                scan.depth = 0;
            }
            scan.key_text = None;
            line_start = true;
            continue;
        }
        if scan.in_comment {
            continue;
        }
        if let Some(quote) = scan.quote {
            match (quote, c) {
                (Quote::Basic | Quote::MultiBasic, '\\') => {
                    chars.next();
                }
                (Quote::Basic, '"') | (Quote::Literal, '\'') => scan.quote = None,
                (Quote::MultiBasic, '"') | (Quote::MultiLiteral, '\'')
                    if text[at..].starts_with(&c.to_string().repeat(3)) =>
                {
                    chars.next();
                    chars.next();
                    scan.quote = None;
                }
                _ => {}
            }
            if let Some(key_text) = &mut scan.key_text {
                key_text.push(c);
            }
            continue;
        }
        if let Some((header, _)) = &mut scan.header {
            match c {
                '#' => scan.in_comment = true,
                _ => header.push(c),
            }
            continue;
        }
        if scan.key.is_some() {
            // Reading a value.
            match c {
                '#' => scan.in_comment = true,
                '"' | '\'' => scan.quote = Some(open_quote(text, at, c, &mut chars)),
                '[' | '{' => scan.depth += 1,
                ']' | '}' => scan.depth = scan.depth.saturating_sub(1),
                _ => {}
            }
            continue;
        }
        if line_start && c.is_whitespace() {
            continue;
        }
        if line_start && c == '[' {
            let start = if bytes.get(at + 1) == Some(&b'[') {
                chars.next();
                at + 2
            } else {
                at + 1
            };
            scan.header = Some((String::new(), start));
            line_start = false;
            continue;
        }
        line_start = false;
        match c {
            '#' => scan.in_comment = true,
            '=' => {
                let key = scan.key_text.take().unwrap_or_default();
                scan.key = Some(key_path(&key));
                scan.depth = 0;
            }
            '"' | '\'' => {
                scan.key_text.get_or_insert_with(String::new).push(c);
                scan.quote = Some(Quote::of(c, false));
            }
            _ => scan.key_text.get_or_insert_with(String::new).push(c),
        }
    }
    if scan.in_comment {
        return Place::Comment;
    }
    if let Some((header, start)) = scan.header {
        let typed = header.trim_start().to_owned();
        return Place::Header {
            start: (offset - typed.len()).max(start),
            typed,
        };
    }
    match scan.key {
        Some(mut key) => {
            let last = key.pop().unwrap_or_default();
            let mut table = scan.table;
            table.extend(key);
            Place::Value {
                table,
                key: last,
                in_string: scan.quote.is_some(),
            }
        }
        None => Place::Key { table: scan.table },
    }
}

/// Whether a line starts a header (`[name`, `[[name`) or assigns a key (`name =`).
fn starts_statement(rest: &str) -> bool {
    let line = rest.split('\n').next().unwrap_or("").trim_start();
    let header = line.trim_start_matches('[');
    if line.starts_with('[') {
        return header.starts_with(|c: char| c.is_ascii_alphabetic());
    }
    let key_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(line.len());
    key_end > 0 && line[key_end..].trim_start().starts_with('=')
}

/// Which string opens at `at` with `c`, consuming the rest of a triple quote.
fn open_quote(
    text: &str,
    at: usize,
    c: char,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
) -> Quote {
    let triple = text[at..].starts_with(&c.to_string().repeat(3));
    if triple {
        chars.next();
        chars.next();
    }
    Quote::of(c, triple)
}

/// `controls.backup-restore` or `controls."a.b"` as its parts.
fn key_path(key: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    for c in key.trim().chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, '.') => parts.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(c),
        }
    }
    parts.push(current.trim().to_owned());
    parts
}

/// The path a header line names (`[controls.x]`, `[[waivers]]`), its brackets gone.
fn header_path(header: &str) -> Vec<String> {
    let inner = header.trim().trim_end_matches(']').trim_start_matches('[');
    key_path(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The place at the `|` of `marked`.
    fn at(marked: &str) -> Place {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        place_at(&text, offset)
    }

    fn value(table: &[&str], key: &str, in_string: bool) -> Place {
        Place::Value {
            table: table.iter().map(|part| (*part).to_owned()).collect(),
            key: key.to_owned(),
            in_string,
        }
    }

    #[test]
    fn values_are_placed_by_table_and_key() {
        assert_eq!(
            at("[deployment]\nservices = [\"comp|"),
            value(&["deployment"], "services", true)
        );
        assert_eq!(
            at("[deployment]\nservices = [\n  \"compute\",\n  |\n]\n"),
            value(&["deployment"], "services", false)
        );
        assert_eq!(
            at("[controls.backup-restore]\nowner = \"sh|\""),
            value(&["controls", "backup-restore"], "owner", true)
        );
        assert_eq!(
            at("controls.tenant-iam.owner = |"),
            value(&["controls", "tenant-iam"], "owner", false)
        );
        assert_eq!(
            at("[[waivers]]\nrule = \"SRM0|\""),
            value(&["waivers"], "rule", true)
        );
        // An array left open while typing ends at the next key or header.
        assert_eq!(
            at("[deployment]\nzones = [\"ch-gva-2\", \"de-]\n\n[controls.x]\nowner = \"|"),
            value(&["controls", "x"], "owner", true)
        );
        assert_eq!(
            at("[deployment]\nzones = [\"de-\nservices = [\"|"),
            value(&["deployment"], "services", true)
        );
        // A `#` or `]` in a string neither comments nor closes anything.
        assert_eq!(
            at("[deployment]\nname = \"a # ] b\"\nzones = [\"ch|"),
            value(&["deployment"], "zones", true)
        );
    }

    #[test]
    fn headers_keys_and_comments_are_told_apart() {
        assert_eq!(
            at("[deployment]\n[controls.back|"),
            Place::Header {
                typed: "controls.back".to_owned(),
                start: 14
            }
        );
        assert_eq!(
            at("[deployment]\nservices = [\"compute\"]\n|"),
            Place::Key {
                table: vec!["deployment".to_owned()]
            }
        );
        assert_eq!(at("[deployment]\n# services = [\"|"), Place::Comment);
        assert_eq!(
            at("implementation = \"\"\"\n[controls.x]\n|"),
            value(&[], "implementation", true)
        );
    }

    #[test]
    fn words_are_ids() {
        let text = "[controls.backup-restore]";
        assert_eq!(word_at(text, 12), Some(10..24));
        assert_eq!(word_at(text, 24), Some(10..24));
        assert_eq!(word_at("a = \"é\"", 5), None);
    }
}
