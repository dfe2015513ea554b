//! JSON text that is safe to print on a terminal: serde_json escapes the C0 controls
//! JSON requires, and this formatter also escapes the C1 controls (U+0080–U+009F, such
//! as the 8-bit CSI U+009B), DEL and the bidirectional overrides, so a controls file's
//! text cannot drive a terminal or hide text when JSON, SARIF or GitLab output is
//! shown raw. The escapes are plain JSON: every parser reads the same strings back.

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use super::escape::is_unsafe_for_terminal;

/// Pretty-printed JSON with every terminal-unsafe character written as `\uXXXX`.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    let mut bytes = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut bytes, TerminalSafe(PrettyFormatter::new()));
    value
        .serialize(&mut serializer)
        .expect("plain data serializes");
    String::from_utf8(bytes).expect("serde_json writes UTF-8")
}

/// serde_json's pretty formatter, with string fragments escaped for terminals.
struct TerminalSafe<'a>(PrettyFormatter<'a>);

impl Formatter for TerminalSafe<'_> {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (index, c) in fragment.char_indices() {
            if is_unsafe_for_terminal(c) {
                writer.write_all(&fragment.as_bytes()[start..index])?;
                // Characters outside the BMP are never unsafe, so one escape suffices.
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = index + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::to_string_pretty;

    #[test]
    fn escapes_c1_controls_and_bidi_overrides_and_reads_back_the_same() {
        let text = "a\u{1b}[31m b\u{9b}2J c\u{202e}d e\u{7f} ü\u{1f600}";
        let json = to_string_pretty(&[text]);
        assert!(json.contains(r"\u001b") && json.contains(r"\u009b"));
        assert!(json.contains(r"\u202e") && json.contains(r"\u007f"));
        assert!(json.contains("ü\u{1f600}"), "printable text stays as it is");
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [text]);
    }
}
