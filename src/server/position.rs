//! Byte offsets of srmlint's spans and the positions of the Language Server Protocol:
//! a line and a character offset counted in UTF-16 code units, as the protocol
//! requires whatever the client's own encoding. Lines end at `\n`, `\r\n` or a lone
//! `\r`, as the protocol counts them.

use lsp_types::{Position, Range};

/// Where each line of a text starts, to turn byte offsets into LSP positions and back.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    /// Byte offset of the start of every line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut index = 0;
        while index < bytes.len() {
            match bytes[index] {
                b'\n' => starts.push(index + 1),
                b'\r' if bytes.get(index + 1) != Some(&b'\n') => starts.push(index + 1),
                _ => {}
            }
            index += 1;
        }
        Self { starts }
    }

    /// The LSP position of byte `offset` of `text` (clamped to the text, and back to
    /// the start of the character it falls in).
    pub(crate) fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let character = text[start..offset].encode_utf16().count();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The LSP range of the byte span `start..end` of `text`.
    pub(crate) fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(
            self.position(text, start),
            self.position(text, end.max(start)),
        )
    }

    /// The byte offset of an LSP position in `text`: a line past the end is the end of
    /// the text, a character past the end of its line is the end of that line, and a
    /// character inside a surrogate pair is the start of that character.
    pub(crate) fn offset(&self, text: &str, position: Position) -> usize {
        let line = position.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self.line_end(text, line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (at, c) in text[start..end].char_indices() {
            let next = units + c.len_utf16();
            if next > wanted {
                return start + at;
            }
            units = next;
        }
        end
    }

    /// The byte offset where line `line` ends, before its line break.
    fn line_end(&self, text: &str, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(text.len());
        let content = &text[self.starts[line]..next];
        let trimmed = content
            .strip_suffix("\r\n")
            .or_else(|| content.strip_suffix('\n'))
            .or_else(|| content.strip_suffix('\r'))
            .unwrap_or(content);
        self.starts[line] + trimmed.len()
    }
}

/// The largest character boundary of `text` at or before `offset`.
fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// LSP positions are `u32`; a text of four gigabytes is far past any limit.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_counted_in_utf16_units() {
        // `é` is one unit, `𝄞` (outside the BMP) two.
        let text = "a = \"é𝄞x\"\nb";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), Position::new(0, 8));
        assert_eq!(index.offset(text, Position::new(0, 8)), x);
        // Inside the surrogate pair: the start of the character.
        let clef = text.find('𝄞').unwrap();
        assert_eq!(index.offset(text, Position::new(0, 7)), clef);
        assert_eq!(index.position(text, text.len()), Position::new(1, 1));
    }

    #[test]
    fn every_line_break_the_protocol_knows_ends_a_line() {
        let text = "a\r\nb\rc\nd";
        let index = LineIndex::new(text);
        assert_eq!(
            index.position(text, text.find('b').unwrap()),
            Position::new(1, 0)
        );
        assert_eq!(
            index.position(text, text.find('c').unwrap()),
            Position::new(2, 0)
        );
        assert_eq!(
            index.position(text, text.find('d').unwrap()),
            Position::new(3, 0)
        );
        // Past the end of a line: the end of that line, before its break.
        assert_eq!(index.offset(text, Position::new(0, 99)), 1);
        assert_eq!(index.offset(text, Position::new(99, 0)), text.len());
    }

    #[test]
    fn offsets_inside_a_character_fall_back_to_its_start() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1), Position::new(0, 0));
        assert_eq!(index.position(text, 99), Position::new(0, 1));
    }
}
