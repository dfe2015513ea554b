//! The text of a file with a line index, so byte spans turn into the 1-based line and
//! column positions every output format reports.

use std::ops::Range;
use std::sync::OnceLock;

/// A value with the byte span of the text it was read from, so a finding about it
/// can point at the exact key or value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Range<usize>) -> Self {
        Self { value, span }
    }
}

/// A 1-based position; `column` counts Unicode scalar values, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Bytes between two character-count checkpoints: a column is counted over at most
/// this many bytes, however long the line (a multi-megabyte one-line file with a
/// million findings would otherwise be counted from its start a million times).
const CHECKPOINT_STRIDE: usize = 1024;

#[derive(Debug, Clone)]
pub struct SourceText {
    text: String,
    /// Built the first time a position is asked for: most files have no finding, and
    /// then no position is ever needed.
    index: OnceLock<LineIndex>,
}

#[derive(Debug, Clone)]
struct LineIndex {
    line_starts: Vec<usize>,
    /// `(byte offset, characters before it)`, one at the first character boundary at
    /// or after each multiple of `CHECKPOINT_STRIDE`; empty for ASCII text, where
    /// characters and bytes are the same.
    checkpoints: Vec<(usize, usize)>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        // Most controls files are ASCII: checking that is far cheaper than counting.
        let mut checkpoints = Vec::new();
        if !text.is_ascii() {
            checkpoints.push((0, 0));
            let mut next = CHECKPOINT_STRIDE;
            for (chars_before, (offset, _)) in text.char_indices().enumerate() {
                if offset >= next {
                    checkpoints.push((offset, chars_before));
                    next = offset + CHECKPOINT_STRIDE;
                }
            }
        }
        Self {
            line_starts,
            checkpoints,
        }
    }

    /// Characters of `text` before byte `offset`, which must be a character boundary.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.checkpoints.is_empty() {
            return offset;
        }
        // The last checkpoint at or before `offset` (the first is at 0).
        let index = self.checkpoints.partition_point(|&(at, _)| at <= offset) - 1;
        let (at, count) = self.checkpoints[index];
        count + text[at..offset].chars().count()
    }
}

impl SourceText {
    pub fn new(text: String) -> Self {
        Self {
            text,
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
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
        let index = self.index();
        // The last line starting at or before `offset` (the first starts at 0).
        let line_index = index.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = index.line_starts[line_index];
        let column =
            index.chars_before(&self.text, offset) - index.chars_before(&self.text, line_start) + 1;
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
