//! Waivers (SRM040–SRM042): a recorded, time-boxed acceptance of a finding. A waived
//! finding is never dropped; it is marked and stops failing the run. A waiver that is
//! expired or invalid waives nothing, so its finding shows again. Waivers are judged
//! after every other rule, on the placed diagnostics; each code's file holds its
//! registry entry.

pub mod srm040;
pub mod srm041;
pub mod srm042;

use srm040::SRM040;
use srm041::SRM041;

use std::collections::HashMap;

use crate::data::matrix::Matrix;
use crate::diag::{Diagnostic, Finding, Suppression, plural};
use crate::input::controls::{ControlsFile, Waiver};
use crate::text::date::Date;

/// What judging waivers needs besides the file.
#[derive(Debug, Clone, Copy)]
pub struct WaiverContext<'a> {
    pub today: Date,
    pub max_waiver_days: i64,
    /// Every rule code of the run, built-in and loaded.
    pub known_rules: &'a [String],
    /// Every rule's (code, name), so a waiver that names a rule by name is told its code.
    pub rule_names: &'a [(String, String)],
    pub matrix: &'a Matrix,
}

/// What became of a waiver; the posture report's JSON names it in lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WaiverState {
    /// Valid, not expired, and waives at least one finding.
    Active,
    /// Valid and not expired, but matched nothing (SRM041).
    Unused,
    /// Past its last day (SRM040).
    Expired,
    /// Incomplete, too long, or naming an unknown rule or control (SRM042).
    Invalid,
}

/// One waiver as the reports list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiverStatus {
    pub rule: String,
    pub control: Option<String>,
    pub expires: Option<Date>,
    /// Days from today to `expires`, inclusive of neither (0 = expires today).
    pub days_left: Option<i64>,
    pub state: WaiverState,
    /// How many findings it waives.
    pub waived: usize,
}

/// Judges every waiver of `file`, marks the findings the valid ones cover, and
/// returns the waiver findings (SRM040–SRM042) and each waiver's status.
pub fn apply(
    file: &ControlsFile,
    diagnostics: &mut [Diagnostic],
    context: WaiverContext<'_>,
) -> (Vec<Finding>, Vec<WaiverStatus>) {
    let mut findings = Vec::new();
    let mut statuses = Vec::new();
    // Each waiver looks only at the findings of its rule: thousands of waivers over
    // thousands of findings must not take seconds.
    let mut by_code: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, diagnostic) in diagnostics.iter().enumerate() {
        by_code
            .entry(diagnostic.code.clone())
            .or_default()
            .push(index);
    }
    for waiver in &file.waivers {
        let first = findings.len();
        let problems = srm042::problems_of(waiver, context);
        let invalid = !problems.is_empty();
        findings.extend(problems);
        let expires = waiver.expires.as_ref().map(|expires| expires.value);
        let expired = expires.is_some_and(|expires| expires < context.today);
        if let Some(expires) = &waiver.expires
            && expired
        {
            findings.push(
                Finding::new(
                    &SRM040,
                    expires.span.clone(),
                    format!(
                        "the waiver for {} expired on {} ({} ago)",
                        subject(waiver),
                        expires.value,
                        plural(expires.value.days_until(context.today).unsigned_abs() as usize, "day")
                    ),
                )
                .label("last day covered")
                .help("fix the finding and delete the waiver, or renew it with a fresh approval and date"),
            );
        }
        let mut waived = 0;
        if !invalid && !expired {
            waived = cover(waiver, diagnostics, &by_code);
            if waived == 0 {
                findings.push(
                    Finding::new(
                        &SRM041,
                        waiver.span.clone(),
                        format!("the waiver for {} matches no finding", subject(waiver)),
                    )
                    .label("unused waiver")
                    .help("the finding is gone: delete the waiver so it cannot hide it if it comes back"),
                );
            }
        }
        let state = match (invalid, expired, waived) {
            (true, _, _) => WaiverState::Invalid,
            (false, true, _) => WaiverState::Expired,
            (false, false, 0) => WaiverState::Unused,
            _ => WaiverState::Active,
        };
        // Waiver findings carry the control the waiver names, so they group with it.
        if let Some(control) = &waiver.control {
            for finding in &mut findings[first..] {
                finding.control = Some(control.value.clone());
            }
        }
        statuses.push(WaiverStatus {
            rule: waiver
                .rule
                .as_ref()
                .map(|rule| rule.value.clone())
                .unwrap_or_default(),
            control: waiver.control.as_ref().map(|control| control.value.clone()),
            expires,
            days_left: expires.map(|expires| context.today.days_until(expires)),
            state,
            waived,
        });
    }
    (findings, statuses)
}

fn subject(waiver: &Waiver) -> String {
    let rule = waiver.rule.as_ref().map_or("?", |rule| rule.value.as_str());
    match &waiver.control {
        Some(control) => format!("{rule} on `{}`", control.value),
        None => rule.to_owned(),
    }
}

/// Marks the active findings this waiver covers; returns how many.
fn cover(
    waiver: &Waiver,
    diagnostics: &mut [Diagnostic],
    by_code: &HashMap<String, Vec<usize>>,
) -> usize {
    let (Some(rule), Some(reason), Some(approved_by), Some(expires)) = (
        &waiver.rule,
        &waiver.reason,
        &waiver.approved_by,
        &waiver.expires,
    ) else {
        return 0;
    };
    let mut count = 0;
    for &index in by_code.get(&rule.value).into_iter().flatten() {
        let diagnostic = &mut diagnostics[index];
        let matches = !super::is_unwaivable(&diagnostic.code)
            && waiver.control.as_ref().is_none_or(|control| {
                diagnostic.control.as_deref() == Some(control.value.as_str())
            });
        if matches {
            count += 1;
            // A finding covered by two waivers keeps the first.
            diagnostic.waiver.get_or_insert_with(|| Suppression {
                reason: reason.value.clone(),
                approved_by: approved_by.value.clone(),
                expires: expires.value,
            });
        }
    }
    count
}
