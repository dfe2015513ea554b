//! Reporters: one module per output format, each turning a `RunReport` into text.
//! Machine formats are built from our own serde types, never from miette's renderer.

mod excerpt;
pub mod human;
pub mod json;

use crate::check::RunReport;

/// Every output format of `srmlint check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report: source excerpt, labels, help, and a summary line.
    Human,
    /// The stable JSON document of DESIGN.md §7.
    Json,
}

/// Settings that shape rendering but not content.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub color: bool,
    /// Columns the human format wraps at.
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
        }
    }
}

/// Renders a run in `format`.
pub fn render(report: &RunReport, format: Format, options: RenderOptions) -> String {
    match format {
        Format::Human => human::render(report, options),
        Format::Json => json::render(report),
    }
}

/// Text from a controls file made safe for a terminal: control characters (ESC, BEL,
/// C1 controls, lone carriage returns) and bidirectional overrides are written as
/// visible `\u{..}` escapes, so a file cannot drive the terminal or hide text.
pub fn escape_for_terminal(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            escaped.push(c);
        } else if is_unsafe_for_terminal(c) && c != '\n' && c != '\t' {
            escaped.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            escaped.push(c);
        }
    }
    escaped
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

fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

#[cfg(test)]
mod tests {
    use super::{escape_for_terminal, mask_for_terminal};

    #[test]
    fn escapes_terminal_controls_and_keeps_offsets_when_masking() {
        assert_eq!(escape_for_terminal("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape_for_terminal("x\u{202e}y\n"), "x\\u{202e}y\n");
        let text = "k = \"\u{1b}]0;pwned\u{7}\"\r\n\u{9b}";
        let masked = mask_for_terminal(text);
        assert_eq!(masked.len(), text.len());
        assert!(
            !masked.contains('\u{1b}') && !masked.contains('\u{7}') && !masked.contains('\u{9b}')
        );
        assert!(masked.contains("\r\n"));
    }
}
