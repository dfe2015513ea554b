//! The commands that help a user write and understand their files: `init`,
//! `explain` and `rules`, `schema`, the `matrix` views, and the fixes of `check --fix`.

pub mod config_view;
pub mod explain;
pub mod fix;
pub mod init;
pub mod matrix_view;
pub mod schema;
