//! Reporters: one module per output format, each turning a `RunReport` into text.
//! Machine formats are built from our own serde types, never from miette's renderer.

pub mod concise;
pub mod excerpt;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod safe_json;
pub mod sarif;
#[cfg(test)]
mod test_support;

use crate::check::{RuleInfo, RunReport};
use crate::matrix::Matrix;

/// Every output format of `srmlint check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report: source excerpt, labels, help, and a summary line.
    Human,
    /// The stable JSON document of DESIGN.md §7.
    Json,
    /// One line a finding, `path:line:col: severity[CODE] message`, for editors and
    /// pre-commit.
    Concise,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request's diff.
    Github,
    /// GitLab Code Quality JSON, for the merge-request widget.
    Gitlab,
    /// JUnit XML: one testsuite a file, one testcase a control, for CI test tabs.
    Junit,
}

/// Settings that shape rendering, and the context some formats describe besides the
/// findings.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    pub color: bool,
    /// Columns the human format wraps at.
    pub width: usize,
    /// Every rule that can fire in this run (`Checker::rules()`): SARIF lists them all
    /// in `driver.rules`, so a viewer can show the documentation of any result.
    pub rules: &'a [RuleInfo],
    /// The matrix the files were checked against: JUnit needs it to know which
    /// controls apply to each deployment. Without it, JUnit lists only the controls
    /// that findings name.
    pub matrix: Option<&'a Matrix>,
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
            rules: &[],
            matrix: None,
        }
    }
}

/// Renders a run in `format`.
pub fn render(report: &RunReport, format: Format, options: RenderOptions) -> String {
    match format {
        Format::Human => human::render(report, options),
        Format::Json => json::render(report),
        Format::Concise => concise::render(report),
        Format::Sarif => sarif::render(report, options.rules),
        Format::Github => github::render(report),
        Format::Gitlab => gitlab::render(report),
        Format::Junit => junit::render(report, options.matrix),
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

/// Text that must stay on one line (a path, an id), made safe for a terminal: like
/// `escape_for_terminal`, and line breaks and tabs are escaped too, so a file named
/// `x\n::error::...` cannot start a line of its own (a CI log would read that line as
/// a workflow command).
pub fn escape_inline(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe_for_terminal(c) {
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

/// Control characters and bidirectional overrides: what must never reach a terminal raw.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

#[cfg(test)]
mod tests {
    use super::{escape_for_terminal, escape_inline, mask_for_terminal};

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

    #[test]
    fn inline_text_never_breaks_the_line() {
        assert_eq!(
            escape_inline("a\n::error::x\tb"),
            "a\\u{a}::error::x\\u{9}b"
        );
        assert_eq!(escape_inline("é ✓"), "é ✓");
    }
}
