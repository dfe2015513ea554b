//! The source excerpt the human format shows under a finding, bounded in size. miette
//! shows whole lines and finds them by scanning the file from its start, so a file
//! with thousands of findings on one multi-megabyte line would print that line once a
//! finding and scan the file once a finding: gigabytes and minutes. This source finds
//! lines through an index and, where the lines around a finding are long, shows only
//! a window of them around the finding.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::text::source::SourceText;

/// Context (the finding's lines and the lines around them) longer than this is cut to
/// a window around the finding.
pub const MAX_CONTEXT_BYTES: usize = 2048;
/// Bytes shown before and after a finding in a window.
const WINDOW_MARGIN_BYTES: usize = 80;
/// Labels longer than this are shortened to their start (a whole multi-line value
/// would otherwise be printed in full).
pub const MAX_LABEL_BYTES: usize = 512;

/// Terminal-safe text of one file with a line index, as miette's source.
#[derive(Debug)]
pub struct BoundedSource<'a> {
    name: String,
    text: String,
    /// Byte offset where each line starts; lines end at `\n`.
    line_starts: Vec<usize>,
    /// The file as read: columns are counted on it, as every other format counts them.
    original: &'a SourceText,
}

impl<'a> BoundedSource<'a> {
    /// `masked` is `original`'s text masked for the terminal (`mask_for_terminal`):
    /// the same bytes offsets and line breaks.
    pub fn new(name: String, masked: String, original: &'a SourceText) -> Self {
        let line_starts = std::iter::once(0)
            .chain(masked.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        Self {
            name,
            text: masked,
            line_starts,
            original,
        }
    }

    /// The part of `span` a label underlines: inside the text, on character
    /// boundaries, at most `MAX_LABEL_BYTES` long.
    pub fn label_span(&self, span: &Range<usize>) -> Range<usize> {
        let start = self.floor_boundary(span.start);
        let end = self.floor_boundary(span.end.min(start.saturating_add(MAX_LABEL_BYTES)));
        start..end.max(start)
    }

    fn floor_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    fn ceil_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset += 1;
        }
        offset
    }

    /// The 0-based line holding `offset`.
    fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(index) => index,
            Err(index) => index - 1,
        }
    }

    /// Where line `line` ends, its `\n` included (or the end of the text).
    fn line_end(&self, line: usize) -> usize {
        self.line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// `range` of the text as miette's contents: `line` is where the range starts,
    /// `column` the 0-based character column of the span it was asked for (miette's
    /// header shows it as the finding's place).
    fn contents(
        &self,
        range: Range<usize>,
        span_start: usize,
        line_count: usize,
    ) -> Box<dyn SpanContents<'_> + '_> {
        let line = self.line_of(range.start);
        let column = self.original.position(span_start).column - 1;
        Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &self.text.as_bytes()[range.clone()],
            SourceSpan::from(range.start..range.end),
            line,
            column,
            line_count,
        ))
    }
}

impl SourceCode for BoundedSource<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start.saturating_add(span.len());
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self.line_of(start);
        // An empty span, or one ending right after a `\n`, ends on the line it started on.
        let last_line = self.line_of(end.saturating_sub(1).max(start));
        let context_first = first_line.saturating_sub(context_lines_before);
        let context_last =
            (last_line + context_lines_after).min(self.line_starts.len().saturating_sub(1));
        let context = self.line_starts[context_first]..self.line_end(context_last);
        if context.len() <= MAX_CONTEXT_BYTES {
            return Ok(self.contents(context, start, context_last - first_line));
        }
        // Long lines: a window of the finding's own lines around it.
        let window_start = self.floor_boundary(
            start
                .saturating_sub(WINDOW_MARGIN_BYTES)
                .max(self.line_starts[first_line]),
        );
        let line_end = self.line_end(last_line);
        let window_end = self.ceil_boundary(
            end.saturating_add(WINDOW_MARGIN_BYTES)
                .min(line_end)
                .max(end),
        );
        // Keep the window on whole lines' ends: a trailing `\n` stays, half a CR LF not.
        Ok(self.contents(window_start..window_end, start, last_line - first_line))
    }
}
