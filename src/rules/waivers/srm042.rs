//! SRM042 invalid-waiver: a waiver that is incomplete, too long, or names an unknown
//! rule or control.

use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::Waiver;
use crate::rules::waivers::WaiverContext;
use crate::text::Sp;
use crate::text::date::Date;
use crate::text::suggest;

pub static SRM042: BuiltinRule = BuiltinRule {
    code: "SRM042",
    name: "invalid-waiver",
    severity: Severity::Error,
    summary: "A waiver is incomplete, too long, or names an unknown rule or control.",
    doc: include_str!("../../../docs/rules/SRM042.md"),
    waivable: false,
    fixed_level: true,
};

/// Every reason the waiver is invalid (SRM042), each at the place to fix.
pub fn problems_of(waiver: &Waiver, context: WaiverContext<'_>) -> Vec<Finding> {
    let mut problems = Vec::new();
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
        problems.push(
            Finding::new(&SRM042, waiver.span.clone(), format!("the waiver has no {keys}"))
                .label("incomplete waiver")
                .help("a waiver needs the rule it waives, a reason, who approved it (`approved_by`) and the last day it covers (`expires`)"),
        );
    }
    if let Some(rule) = &waiver.rule
        && !rule.value.trim().is_empty()
    {
        if crate::rules::is_unwaivable(&rule.value) {
            problems.push(
                Finding::new(
                    &SRM042,
                    rule.span.clone(),
                    format!("{} cannot be waived", rule.value),
                )
                .label("not waivable")
                .help("findings about waivers themselves are fixed in the waiver, never waived"),
            );
        } else if !context.known_rules.contains(&rule.value) {
            problems.push(
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
        problems.push(
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
            problems.push(
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
