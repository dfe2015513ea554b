//! The formats of `srmlint diff` (`ownership`) and `srmlint matrix diff` (`matrix`):
//! the comparisons `diff` computes, written for a terminal, a pull request or a tool.

pub mod matrix;
pub mod ownership;

/// The output formats of `srmlint diff` and `srmlint matrix diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Human,
    Markdown,
    Json,
}
