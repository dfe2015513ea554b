//! The commands that help a user write and understand their files: `init`,
//! `explain`, `schema`, and the fixes of `check --fix`
//! (the `matrix`, `config` and `rules` views are written by `render`).

pub mod explain;
pub mod fix;
pub mod init;
pub mod schema;
