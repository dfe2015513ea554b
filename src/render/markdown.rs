//! The one Markdown table writer, used by every output with a table (the GitHub step
//! summary, the posture report, the matrix view, both diffs), so all of them agree on
//! the shape: `| a | b |` rows under a `|---|---:|` rule.

/// Appends a GitHub-flavoured Markdown table to `out`: the header row, the rule (a
/// column whose `right` entry is true is aligned right, for numbers), one line a row.
/// Every cell is Markdown already: its builder escapes text from a file once, with
/// `text::escape::markdown`, and writes srmlint's own words and code spans as they are.
pub fn table<Row, Cell>(
    out: &mut String,
    header: &[impl AsRef<str>],
    right: &[bool],
    rows: impl IntoIterator<Item = Row>,
) where
    Row: IntoIterator<Item = Cell>,
    Cell: AsRef<str>,
{
    row(out, header);
    out.push('|');
    for column in 0..header.len() {
        let aligned = right.get(column).copied().unwrap_or(false);
        out.push_str(if aligned { "---:|" } else { "---|" });
    }
    out.push('\n');
    for cells in rows {
        row(out, cells);
    }
}

fn row(out: &mut String, cells: impl IntoIterator<Item = impl AsRef<str>>) {
    out.push('|');
    for cell in cells {
        out.push(' ');
        out.push_str(cell.as_ref());
        out.push_str(" |");
    }
    out.push('\n');
}
