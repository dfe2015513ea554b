//! The text of a file with a line index, so byte spans turn into the 1-based line and
//! column positions every output format reports.

use std::ops::Range;

/// A 1-based position; `column` counts Unicode scalar values, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub struct SourceText {
    text: String,
    line_starts: Vec<usize>,
}

impl SourceText {
    pub fn new(text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        Self { text, line_starts }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The position of a byte offset; offsets past the end or inside a character are
    /// clamped to the nearest character boundary before it.
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(index) => index,
            Err(index) => index - 1,
        };
        let line_start = self.line_starts[line_index];
        let column = self.text[line_start..offset].chars().count() + 1;
        Position {
            line: line_index + 1,
            column,
        }
    }

    /// Start and exclusive end position of a span.
    pub fn range(&self, span: &Range<usize>) -> (Position, Position) {
        (self.position(span.start), self.position(span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::SourceText;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let source = SourceText::new("ab\nçd = 1\n".to_owned());
        assert_eq!(source.position(0).line, 1);
        assert_eq!(source.position(0).column, 1);
        let after_cedilla = "ab\nç".len();
        let position = source.position(after_cedilla);
        assert_eq!((position.line, position.column), (2, 2));
        // An offset inside the two-byte `ç` clamps to its start.
        let inside = source.position(4);
        assert_eq!((inside.line, inside.column), (2, 1));
    }
}
