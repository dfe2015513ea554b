//! The built-in rules, by area, and their registry. Each area's file holds its rules'
//! registry entries beside their logic; `BUILTIN_RULES` lists them all, in code order,
//! for `srmlint rules`, `explain`, SARIF and the docs. Codes are a contract: never
//! renamed, renumbered or reused.
//!
//! - `ownership`: SRM001–SRM005, the owner words against the matrix;
//! - `deployment`: SRM010–SRM019, the `[deployment]` table, control ids, repeats and
//!   the pinned matrix version;
//! - `input::controls`: SRM020–SRM022, the file itself (raised while reading it);
//! - `hygiene`: SRM030, 031, 034–036, written in the policy language, and SRM038
//!   (an untouched claim), in Rust;
//! - `evidence`: SRM032, SRM033, SRM037;
//! - `waivers`: SRM040–SRM042;
//! - `terraform`: SRM050–SRM055, the declaration against its Terraform (and SRM013
//!   on a Terraform zone).

pub mod deployment;
pub mod evidence;
pub mod hygiene;
pub mod ownership;
pub mod terraform;
pub mod waivers;

use crate::data::matrix::Matrix;
use crate::data::scope::DeploymentScope;
use crate::data::versions::MatrixVersions;
use crate::diag::{BuiltinRule, Finding};
use crate::input::controls::{self, ControlsFile};

/// Every built-in rule, in code order.
pub static BUILTIN_RULES: &[&BuiltinRule] = &[
    &ownership::SRM001,
    &ownership::SRM002,
    &ownership::SRM003,
    &ownership::SRM004,
    &ownership::SRM005,
    &deployment::SRM010,
    &deployment::SRM011,
    &deployment::SRM012,
    &deployment::SRM013,
    &deployment::SRM014,
    &deployment::SRM015,
    &deployment::SRM016,
    &deployment::SRM017,
    &deployment::SRM018,
    &deployment::SRM019,
    &controls::SRM020,
    &controls::SRM021,
    &controls::SRM022,
    &hygiene::SRM030,
    &hygiene::SRM031,
    &evidence::SRM032,
    &evidence::SRM033,
    &hygiene::SRM034,
    &hygiene::SRM035,
    &hygiene::SRM036,
    &evidence::SRM037,
    &hygiene::SRM038,
    &waivers::SRM040,
    &waivers::SRM041,
    &waivers::SRM042,
    &terraform::SRM050,
    &terraform::SRM051,
    &terraform::SRM052,
    &terraform::SRM053,
    &terraform::SRM054,
    &terraform::SRM055,
];

/// The built-in rule with this code, if any.
pub fn builtin(code: &str) -> Option<&'static BuiltinRule> {
    BUILTIN_RULES.iter().copied().find(|rule| rule.code == code)
}

/// Rules about waivers themselves: a waiver never hides them.
pub fn is_unwaivable(code: &str) -> bool {
    builtin(code).is_some_and(|rule| !rule.waivable)
}

/// The codes whose level `[rules]` may not change.
pub fn fixed_level_codes() -> Vec<&'static str> {
    BUILTIN_RULES
        .iter()
        .filter(|rule| rule.fixed_level)
        .map(|rule| rule.code)
        .collect()
}

/// What the built-in rules need besides the file.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub matrix: &'a Matrix,
    /// The file's deployment as the matrix sees it.
    pub scope: &'a DeploymentScope,
    /// Ids of the frameworks that have a mapping (SRM016).
    pub frameworks: &'a [&'a str],
    /// The matrix versions `matrix_version` may name besides the loaded one (SRM019),
    /// asked for only when a file pins another version: parsing them costs as much as
    /// loading the matrix again.
    pub versions: fn() -> &'static MatrixVersions,
}

/// Runs the ownership and deployment rules (SRM001–SRM016, SRM019) over a parsed file.
pub fn evaluate(file: &ControlsFile, context: Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    deployment::check_frameworks(file, context.frameworks, &mut findings);
    deployment::check_duplicates(file, &mut findings);
    let matrix = context.matrix;
    if let Some(foreign) = deployment::check_provider(file, matrix) {
        // Services, zones and controls are the named provider's: nothing more is sound.
        findings.push(foreign);
        return findings;
    }
    deployment::check_services(file, matrix, &mut findings);
    deployment::check_zones(file, matrix, &mut findings);
    deployment::check_control_ids(file, matrix, &mut findings);
    let pins_other_version = file
        .deployment
        .matrix_version
        .as_ref()
        .is_some_and(|pinned| matrix.info.version.as_deref() != Some(pinned.value.as_str()));
    if pins_other_version {
        deployment::check_matrix_version(file, matrix, (context.versions)(), &mut findings);
    }
    ownership::check_entries(file, matrix, context.scope, &mut findings);
    findings
}
