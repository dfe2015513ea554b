//! The deployment rules (SRM010–SRM019): the `[deployment]` table and the control ids
//! judged against the matrix's catalog: provider, services, zones and residency,
//! frameworks, control ids the matrix does not have, repeats, and the matrix version
//! the file was written against. One file a code; pure: findings as values.

pub mod srm010;
pub mod srm011;
pub mod srm012;
pub mod srm013;
pub mod srm014;
pub mod srm015;
pub mod srm016;
pub mod srm017;
pub mod srm018;
pub mod srm019;

pub use srm019::{OwnerChange, check_matrix_version, owner_changes};

use crate::diag::{Applicability, BuiltinRule, Finding, Proposal};
use crate::text::{Sp, suggest};

/// A did-you-mean that only corrects the spelling of an id: safe to apply.
pub fn safe_replacement(meant: &str) -> Proposal {
    Proposal::Replace {
        with: meant.to_owned(),
        applicability: Applicability::Safe,
    }
}

/// A finding of `rule` at `item`, an id none of `known`: "{what} `item`", with a
/// did-you-mean and the one likely id as a safe fix; `alias` is an id that `item` is
/// another name for, suggested first.
pub fn unknown_id(
    rule: &'static BuiltinRule,
    (item, what): (&Sp<String>, &str),
    known: &[&str],
    alias: Option<&str>,
) -> Finding {
    let written = &item.value;
    let hint = suggest::hint_or_alias(written, alias, known.iter().copied());
    let meant = alias.or_else(|| suggest::single(written, known.iter().copied()));
    Finding::new(rule, item.span.clone(), format!("{what} `{written}`{hint}"))
        .propose_if(meant.map(safe_replacement))
}
