//! The built-in rules and their registry: one file a code (`<area>/srmNNN.rs`), holding
//! the rule's registry entry (`BuiltinRule`) beside the check that finds it. `BUILTIN_RULES`
//! is the one table: `srmlint rules`, `explain`, SARIF and the docs list it, and
//! `evaluate` runs every check in it. Codes are a contract: never renamed, renumbered
//! or reused.
//!
//! - `ownership`: SRM001–SRM005, the owner words against the matrix (one pass over the
//!   entries finds all five);
//! - `deployment`: SRM010–SRM019, the `[deployment]` table, control ids, repeats and
//!   the pinned matrix version;
//! - `file`: SRM020–SRM022, the file itself: what the reader (`input::controls`) could
//!   not read or parse, made findings, and SRM021 on `residency`;
//! - `hygiene`: SRM030, 031, 034–036, written in the policy language
//!   (`policies/baseline.toml`), and SRM038, in Rust;
//! - `evidence`: SRM032, SRM033, SRM037 (one pass resolves each path once);
//! - `waivers`: SRM040–SRM042, judged after every other rule;
//! - `terraform`: SRM050–SRM055, the declaration against its Terraform (and SRM013 on a
//!   Terraform zone, in `deployment/srm013.rs`).

pub mod deployment;
pub mod evidence;
pub mod file;
pub mod hygiene;
pub mod ownership;
pub mod terraform;
pub mod waivers;

use std::ops::Deref;

use crate::data::matrix::Matrix;
use crate::data::scope::DeploymentScope;
use crate::data::versions::MatrixVersions;
use crate::diag::{BuiltinRule, Finding};
use crate::input::controls::ControlsFile;
use crate::input::terraform::Source;
use crate::input::terraform::deployed::Deployed;
use deployment::{srm010, srm011, srm012, srm013, srm014, srm015, srm016, srm017, srm018, srm019};
use evidence::{EvidenceBase, srm032, srm033, srm037};
use file::{srm020, srm021, srm022};
use hygiene::{srm030, srm031, srm034, srm035, srm036, srm038};
use ownership::{srm001, srm002, srm003, srm004, srm005};
use terraform::{srm050, srm051, srm052, srm053, srm054, srm055};
use waivers::{srm040, srm041, srm042};

/// A check: the findings of one rule (or of the codes its pass finds) in one file.
pub type Check = fn(&ControlsFile, &Context<'_>, &mut Vec<Finding>);

/// How the table runs a rule.
#[derive(Debug, Clone, Copy)]
pub enum Run {
    /// Judges the file on its own.
    File(Check),
    /// Judges the file against the loaded matrix's catalog: not run when the file
    /// names another provider (SRM014), whose services, zones and controls those are.
    Catalog(Check),
    /// Found elsewhere: by the reader, the policy language, the waivers pass, or the
    /// pass of another code (its file says which).
    Elsewhere,
}

/// A row of the table: the registry entry, and how it is run.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub entry: &'static BuiltinRule,
    pub run: Run,
}

/// A row reads as its registry entry (`rule.code`, `rule.summary`).
impl Deref for Rule {
    type Target = BuiltinRule;

    fn deref(&self) -> &BuiltinRule {
        self.entry
    }
}

const fn rule(entry: &'static BuiltinRule, run: Run) -> Rule {
    Rule { entry, run }
}

/// Every built-in rule, in code order.
pub static BUILTIN_RULES: &[Rule] = &[
    rule(&srm001::SRM001, Run::Catalog(ownership::check)),
    rule(&srm002::SRM002, Run::Elsewhere),
    rule(&srm003::SRM003, Run::Elsewhere),
    rule(&srm004::SRM004, Run::Elsewhere),
    rule(&srm005::SRM005, Run::Elsewhere),
    rule(&srm010::SRM010, Run::Catalog(srm010::check)),
    rule(&srm011::SRM011, Run::Catalog(srm011::check)),
    rule(&srm012::SRM012, Run::Catalog(srm012::check)),
    rule(&srm013::SRM013, Run::Catalog(srm013::check)),
    rule(&srm014::SRM014, Run::File(srm014::check)),
    rule(&srm015::SRM015, Run::Catalog(srm015::check)),
    rule(&srm016::SRM016, Run::File(srm016::check)),
    rule(&srm017::SRM017, Run::Catalog(srm017::check)),
    rule(&srm018::SRM018, Run::File(srm018::check)),
    rule(&srm019::SRM019, Run::Catalog(srm019::check)),
    rule(&srm020::SRM020, Run::Elsewhere),
    rule(&srm021::SRM021, Run::Catalog(srm021::check)),
    rule(&srm022::SRM022, Run::Elsewhere),
    rule(&srm030::SRM030, Run::Elsewhere),
    rule(&srm031::SRM031, Run::Elsewhere),
    rule(&srm032::SRM032, Run::File(evidence::check)),
    rule(&srm033::SRM033, Run::Elsewhere),
    rule(&srm034::SRM034, Run::Elsewhere),
    rule(&srm035::SRM035, Run::Elsewhere),
    rule(&srm036::SRM036, Run::Elsewhere),
    rule(&srm037::SRM037, Run::Elsewhere),
    rule(&srm038::SRM038, Run::File(srm038::check)),
    rule(&srm040::SRM040, Run::Elsewhere),
    rule(&srm041::SRM041, Run::Elsewhere),
    rule(&srm042::SRM042, Run::Elsewhere),
    rule(&srm050::SRM050, Run::Catalog(srm050::check)),
    rule(&srm051::SRM051, Run::Catalog(srm051::check)),
    rule(&srm052::SRM052, Run::Catalog(srm052::check)),
    rule(&srm053::SRM053, Run::Catalog(srm053::check)),
    rule(&srm054::SRM054, Run::Catalog(srm054::check)),
    rule(&srm055::SRM055, Run::Catalog(srm055::check)),
];

pub fn builtin(code: &str) -> Option<&'static BuiltinRule> {
    BUILTIN_RULES
        .iter()
        .find(|rule| rule.code == code)
        .map(|rule| rule.entry)
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
    /// Where evidence paths resolve (SRM032, SRM033, SRM037).
    pub evidence: &'a EvidenceBase,
    /// The controls file as output shows it: Terraform findings name it.
    pub controls: &'a str,
    /// Every Terraform source of the file, in order: `terraform = [...]`, then
    /// `--terraform`; none when the file names another provider.
    pub terraform: &'a [Source],
    /// What those sources deploy.
    pub deployed: &'a Deployed<'a>,
}

/// Runs every check of the table over a parsed file. When the file names another
/// provider (SRM014), only the checks that need no catalog run.
pub fn evaluate(file: &ControlsFile, context: &Context<'_>) -> Vec<Finding> {
    let foreign = file.deployment.is_foreign(context.matrix);
    let mut findings = Vec::new();
    for rule in BUILTIN_RULES {
        match rule.run {
            Run::File(check) => check(file, context, &mut findings),
            Run::Catalog(check) if !foreign => check(file, context, &mut findings),
            Run::Catalog(_) | Run::Elsewhere => {}
        }
    }
    findings
}
