//! Comparisons for review: `srmlint diff` (what a change to controls files does to who
//! owns what: `build` the model, `git` the revisions) and `srmlint matrix diff` (what
//! changed between two versions of the matrix: `matrix`). Their formats are written by
//! `render::diff`, which sits above this layer.

pub mod build;
pub mod git;
pub mod matrix;
pub mod snapshot;

pub use build::{OwnershipDiff, Side};
