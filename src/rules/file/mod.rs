//! The rules about the controls file itself (SRM020–SRM022): it cannot be read, is not
//! TOML, or holds a key or value of the wrong shape. The reader (`input::controls`)
//! finds what is wrong; these files make it findings.

pub mod srm020;
pub mod srm021;
pub mod srm022;

use crate::data::matrix::Matrix;
use crate::diag::Finding;
use crate::input::controls::{self, ControlsFile};

/// Parses a controls file: the model of what could be read (`None` when the text is
/// not TOML) and a finding for every key or value that could not.
pub fn parse(text: &str, matrix: &Matrix) -> (Option<ControlsFile>, Vec<Finding>) {
    match controls::parse(text, matrix) {
        Err(problem) => (None, vec![srm020::finding(problem)]),
        Ok((file, problems)) => {
            let findings = problems
                .into_iter()
                .map(|(problem, control)| Finding {
                    control,
                    ..Finding::from_problem(&srm021::SRM021, problem)
                })
                .collect();
            (Some(file), findings)
        }
    }
}
