//! Waivers (SRM040–SRM042): a recorded, time-boxed acceptance of a finding. A waived
//! finding is never dropped; it is marked and stops failing the run. A waiver that is
//! expired or invalid waives nothing, so its finding shows again.

use crate::data::matrix::Matrix;
use crate::diag::{BuiltinRule, Diagnostic, Finding, Severity, Suppression};
use crate::input::controls::{ControlsFile, Waiver};
use crate::text::Sp;
use crate::text::date::Date;
use crate::text::suggest;

pub static SRM040: BuiltinRule = BuiltinRule {
    code: "SRM040",
    name: "expired-waiver",
    severity: Severity::Error,
    summary: "A waiver is past its expiry date.",
    doc: include_str!("../../docs/rules/SRM040.md"),
    waivable: false,
    fixed_level: true,
};

pub static SRM041: BuiltinRule = BuiltinRule {
    code: "SRM041",
    name: "unused-waiver",
    severity: Severity::Warning,
    summary: "A waiver matched no finding.",
    doc: include_str!("../../docs/rules/SRM041.md"),
    waivable: false,
    fixed_level: false,
};

pub static SRM042: BuiltinRule = BuiltinRule {
    code: "SRM042",
    name: "invalid-waiver",
    severity: Severity::Error,
    summary: "A waiver is incomplete, too long, or names an unknown rule or control.",
    doc: include_str!("../../docs/rules/SRM042.md"),
    waivable: false,
    fixed_level: true,
};

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
    for waiver in &file.waivers {
        let first = findings.len();
        let problems = problems_of(waiver, context);
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
                        "the waiver for {} expired on {} ({} days ago)",
                        subject(waiver),
                        expires.value,
                        expires.value.days_until(context.today)
                    ),
                )
                .label("last day covered")
                .help("fix the finding and delete the waiver, or renew it with a fresh approval and date"),
            );
        }
        let mut waived = 0;
        if !invalid && !expired {
            waived = cover(waiver, diagnostics);
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
fn cover(waiver: &Waiver, diagnostics: &mut [Diagnostic]) -> usize {
    let (Some(rule), Some(reason), Some(approved_by), Some(expires)) = (
        &waiver.rule,
        &waiver.reason,
        &waiver.approved_by,
        &waiver.expires,
    ) else {
        return 0;
    };
    let mut count = 0;
    for diagnostic in diagnostics.iter_mut() {
        let matches = diagnostic.code == rule.value
            && !super::is_unwaivable(&diagnostic.code)
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

/// A suggestion for an unknown waiver rule: the code of a rule named so (or nearly
/// so) before a code spelled nearly so.
fn rule_hint(written: &str, context: WaiverContext<'_>) -> String {
    let names = context.rule_names.iter().map(|(_, name)| name.as_str());
    if let Some(name) = suggest::did_you_mean(written, names)
        && let Some((code, _)) = context.rule_names.iter().find(|(_, known)| known == name)
    {
        return format!("; `{name}` is the name of {code}: write `rule = \"{code}\"`");
    }
    suggest::hint(written, context.known_rules.iter().map(String::as_str))
}

/// Every reason the waiver is invalid (SRM042), each at the place to fix.
fn problems_of(waiver: &Waiver, context: WaiverContext<'_>) -> Vec<Finding> {
    let mut problems = Vec::new();
    let mut push = |finding: Finding| problems.push(finding);
    let blank = |text: &Option<Sp<String>>| {
        text.as_ref()
            .is_none_or(|text| text.value.trim().is_empty())
    };
    let missing: Vec<String> = [
        ("rule", blank(&waiver.rule)),
        ("reason", blank(&waiver.reason)),
        ("approved_by", blank(&waiver.approved_by)),
        ("expires", waiver.expires.is_none()),
    ]
    .into_iter()
    .filter(|(_, missing)| *missing)
    .map(|(key, _)| format!("`{key}`"))
    .collect();
    if !missing.is_empty() {
        let keys = missing.join(", ");
        push(
            Finding::new(&SRM042, waiver.span.clone(), format!("the waiver has no {keys}"))
                .label("incomplete waiver")
                .help("a waiver needs the rule it waives, a reason, who approved it (`approved_by`) and the last day it covers (`expires`)"),
        );
    }
    if let Some(rule) = &waiver.rule
        && !rule.value.trim().is_empty()
    {
        if super::is_unwaivable(&rule.value) {
            push(
                Finding::new(
                    &SRM042,
                    rule.span.clone(),
                    format!("{} cannot be waived", rule.value),
                )
                .label("not waivable")
                .help("findings about waivers themselves are fixed in the waiver, never waived"),
            );
        } else if !context.known_rules.contains(&rule.value) {
            push(
                Finding::new(
                    &SRM042,
                    rule.span.clone(),
                    format!(
                        "the waiver names an unknown rule `{}`{}",
                        rule.value,
                        rule_hint(&rule.value, context)
                    ),
                )
                .label("unknown rule")
                .help("`srmlint rules` lists every built-in and loaded rule code"),
            );
        }
    }
    if let Some(control) = &waiver.control
        && context.matrix.control(&control.value).is_none()
    {
        push(
            Finding::new(
                &SRM042,
                control.span.clone(),
                format!(
                    "the waiver names an unknown control `{}`{}",
                    control.value,
                    suggest::hint(&control.value, context.matrix.control_ids())
                ),
            )
            .label("unknown control")
            .help("`srmlint matrix` lists the control ids"),
        );
    }
    if let Some(expires) = &waiver.expires {
        let days = context.today.days_until(expires.value);
        if days > context.max_waiver_days {
            push(
                Finding::new(
                    &SRM042,
                    expires.span.clone(),
                    format!(
                        "the waiver runs {days} days from today, longer than the {} days allowed",
                        context.max_waiver_days
                    ),
                )
                .label("too far ahead")
                .help(format!(
                    "set `expires` to {} or earlier, and renew the waiver when it runs out (the limit is `max_waiver_days` in `.srmlint.toml`)",
                    Date::from_days_since_epoch(
                        context.today.days_since_epoch() + context.max_waiver_days
                    )
                )),
            );
        }
    }
    problems
}
