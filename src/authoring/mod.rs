//! The commands that help a user write and understand their files: `init`,
//! `explain` and `rules`, `schema`, and the `matrix` views.

pub mod config_view;
pub mod explain;
pub mod init;
pub mod matrix_view;
pub mod schema;
