//! The terminal-safety check every output format must pass on hostile input.

/// A character that must never reach a terminal raw: C0 and C1 controls, DEL, and the
/// bidirectional overrides and isolates. Written here from Unicode's definitions, not
/// taken from `src/`, so the test does not share the code it checks.
pub fn is_terminal_unsafe(c: char) -> bool {
    let code = u32::from(c);
    code < 0x20
        || (0x7f..=0x9f).contains(&code)
        || (0x202a..=0x202e).contains(&code)
        || (0x2066..=0x2069).contains(&code)
        || code == 0x200e
        || code == 0x200f
}

/// Fails with the offending place when `text` holds a terminal-unsafe character other
/// than LF, CR LF and tab.
pub fn assert_terminal_safe(text: &str, what: &str) {
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let line_break =
            c == '\n' || (c == '\r' && chars.peek().map(|(_, next)| *next) == Some('\n'));
        if !line_break && c != '\t' && is_terminal_unsafe(c) {
            let mut from = index.saturating_sub(40);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            panic!(
                "{what}: raw U+{:04X} at byte {index}, after {:?}",
                u32::from(c),
                &text[from..index]
            );
        }
    }
}

/// Removes the colour sequences (`ESC [ digits ; ... m`) the tool itself writes, so
/// what is left can be checked for anything else.
pub fn strip_colour(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('\u{1b}') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let parameters = after.strip_prefix('[').map(|tail| {
            tail.len()
                - tail
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                    .len()
        });
        match parameters {
            Some(length) if after[1 + length..].starts_with('m') => {
                rest = &after[length + 2..];
            }
            _ => {
                // Not a colour sequence: keep the ESC so the safety check finds it.
                out.push('\u{1b}');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
