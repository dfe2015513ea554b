//! Evaluating rules over a controls file: select entries, check each field, and place
//! every failure on the offending value (or the entry's header when it is missing).

use std::ops::Range;

use super::{Field, PolicyRule, Require, When, braced};
use crate::data::matrix::Matrix;
use crate::data::scope::DeploymentScope;
use crate::diag::{Finding, RuleRef};
use crate::input::config::Settings;
use crate::input::controls::{ControlsFile, Entry};
use crate::text::Sp;
use crate::text::date::Date;

/// What evaluation needs besides the rules and the file.
#[derive(Debug, Clone, Copy)]
pub struct PolicyContext<'a> {
    pub matrix: &'a Matrix,
    pub scope: &'a DeploymentScope,
    pub today: Date,
    pub settings: &'a Settings,
}

pub fn evaluate(
    rules: &[PolicyRule],
    file: &ControlsFile,
    context: PolicyContext<'_>,
) -> Vec<Finding> {
    let scope = context.scope;
    let mut findings = Vec::new();
    let selected: Vec<&PolicyRule> = rules
        .iter()
        .filter(|rule| deployment_selected(&rule.when, file, scope))
        .collect();
    for entry in &file.entries {
        // An unknown control is already SRM010; judging its fields would only add noise.
        if context.matrix.control(&entry.control.value).is_none() {
            continue;
        }
        let models: Vec<&str> = match &entry.models {
            Some(models) => models
                .value
                .iter()
                .map(|model| model.value.as_str())
                .collect(),
            None => scope.model_ids().collect(),
        };
        for rule in &selected {
            if !entry_selected(&rule.when, entry) {
                continue;
            }
            for &field in &rule.require.fields {
                for failure in check_field(&rule.require, entry, field, context) {
                    findings.push(place(rule, entry, field, &models, failure));
                }
            }
        }
    }
    findings
}

fn deployment_selected(when: &When, file: &ControlsFile, scope: &DeploymentScope) -> bool {
    let regulated = when.regulated.is_empty()
        || file
            .deployment
            .regulated
            .iter()
            .any(|sector| when.regulated.contains(&sector.value));
    let services = when.services.is_empty()
        || scope
            .services
            .iter()
            .any(|service| when.services.iter().any(|glob| glob.matches(service)));
    regulated && services
}

fn entry_selected(when: &When, entry: &Entry) -> bool {
    let control = when.controls.is_empty()
        || when
            .controls
            .iter()
            .any(|glob| glob.matches(&entry.control.value));
    let owner = when.owner.is_empty()
        || entry
            .owner
            .as_ref()
            .is_some_and(|owner| when.owner.iter().any(|word| word == owner.value.as_str()));
    control && owner
}

/// One failed requirement: where, the offending value, and what is wrong with it.
struct Failure {
    span: Range<usize>,
    value: String,
    label: String,
}

enum FieldValue<'a> {
    /// A text, or the owner word.
    Text(&'a str, &'a Range<usize>),
    List(&'a Sp<Vec<Sp<String>>>),
    Date(&'a Sp<Date>),
}

fn field_value<'a>(entry: &'a Entry, field: Field) -> Option<FieldValue<'a>> {
    let text = |text: &'a Sp<String>| FieldValue::Text(&text.value, &text.span);
    match field {
        Field::Owner => {
            (entry.owner.as_ref()).map(|owner| FieldValue::Text(owner.value.as_str(), &owner.span))
        }
        Field::Accountable => entry.accountable.as_ref().map(text),
        Field::Implementation => entry.implementation.as_ref().map(text),
        Field::Notes => entry.notes.as_ref().map(text),
        Field::Evidence => entry.evidence.as_ref().map(FieldValue::List),
        Field::Reviewed => entry.reviewed.as_ref().map(FieldValue::Date),
    }
}

/// Checks one field; `present` is judged first, and the other conditions only apply
/// to a field that is there. Each offending value is one failure.
fn check_field(
    require: &Require,
    entry: &Entry,
    field: Field,
    context: PolicyContext<'_>,
) -> Vec<Failure> {
    let name = field.as_str();
    let Some(value) = field_value(entry, field) else {
        return if require.present == Some(true) {
            vec![Failure {
                span: entry.header.clone(),
                value: String::new(),
                label: format!("no `{name}` in this entry"),
            }]
        } else {
            Vec::new()
        };
    };
    let (span, empty) = match &value {
        FieldValue::Text(text, span) => ((*span).clone(), text.trim().is_empty()),
        FieldValue::List(list) => (
            list.span.clone(),
            list.value.iter().all(|item| item.value.trim().is_empty()),
        ),
        FieldValue::Date(date) => (date.span.clone(), false),
    };
    // The value as a finding quotes it: only built when a requirement fails.
    let shown = || match &value {
        FieldValue::Text(text, _) => (*text).to_owned(),
        FieldValue::List(list) => list
            .value
            .iter()
            .map(|item| item.value.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        FieldValue::Date(date) => date.value.to_string(),
    };
    let fail = |label: String| Failure {
        span: span.clone(),
        value: shown(),
        label,
    };
    match require.present {
        Some(true) if empty => return vec![fail(format!("`{name}` is empty"))],
        Some(false) => return vec![fail(format!("`{name}` should not be set"))],
        _ => {}
    }
    let mut failures = Vec::new();
    match &value {
        FieldValue::Text(text, span) => failures.extend(check_text(require, text, span)),
        FieldValue::List(list) => {
            if let Some(min) = require.min_items
                && list.value.len() < min
            {
                failures.push(fail(format!(
                    "{} of at least {min} items",
                    list.value.len()
                )));
            }
            failures.extend(
                list.value
                    .iter()
                    .filter_map(|item| check_text(require, &item.value, &item.span)),
            );
        }
        FieldValue::Date(date) => {
            if let Some(limit) = &require.max_age_days {
                let limit = limit.resolve(context.settings);
                let age = date.value.days_until(context.today);
                if age > limit {
                    let ago = crate::diag::plural(age.unsigned_abs() as usize, "day");
                    failures.push(fail(format!("{ago} ago; the limit is {limit}")));
                }
            }
            if require.not_in_future && date.value > context.today {
                failures.push(fail(format!("after today ({})", context.today)));
            }
        }
    }
    failures
}

/// The first text condition a value fails, if any.
fn check_text(require: &Require, text: &str, span: &Range<usize>) -> Option<Failure> {
    let label = if let Some(regex) = &require.matches
        && !regex.is_match(text)
    {
        format!("does not match `{}`", regex.as_str())
    } else if let Some(regex) = &require.not_matches
        && let Some(found) = regex.find(text)
    {
        format!("`{found}` is not allowed here")
    } else {
        return None;
    };
    Some(Failure {
        span: span.clone(),
        value: text.to_owned(),
        label,
    })
}

fn place(
    rule: &PolicyRule,
    entry: &Entry,
    field: Field,
    models: &[&str],
    failure: Failure,
) -> Finding {
    let fill = |template: &str| {
        // One pass, so a value that itself contains `{control}` is not expanded.
        let mut filled = String::with_capacity(template.len());
        let mut copied = 0;
        for (range, name) in braced(template) {
            let value = match name {
                "control" => entry.control.value.clone(),
                "field" => field.as_str().to_owned(),
                "value" => failure.value.clone(),
                "model" => models.join(", "),
                _ => continue,
            };
            filled.push_str(&template[copied..range.start]);
            filled.push_str(&value);
            copied = range.end;
        }
        filled.push_str(&template[copied..]);
        filled
    };
    let origin = RuleRef::Loaded {
        code: rule.code.clone(),
        name: rule.name.clone(),
        severity: rule.severity,
    };
    let finding = Finding::of(origin, failure.span, fill(&rule.message))
        .help(fill(&rule.help))
        .label(failure.label)
        .control(entry.control.value.clone());
    match models {
        [model] => finding.model(*model),
        _ => finding,
    }
}
