//! `srmlint explain` and `srmlint rules`: what a rule checks and what the matrix says
//! of a control, from the same registry and data that `check`, SARIF and reports use,
//! so a user never needs the source document or the code to understand a finding.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::data::frameworks::{Basis, Framework};
use crate::data::matrix::{Control, Matrix};
use crate::diag::{Error, RuleInfo};
use crate::text::escape::escape_inline;
use crate::text::suggest;

/// What `explain` needs: the rules of this run, the matrix and the framework maps.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub rules: &'a [RuleInfo],
    pub matrix: &'a Matrix,
    pub frameworks: &'a [Framework],
}

/// Explains a rule (by code, any case, or by name) or a control (by id).
pub fn explain(name: &str, sources: Sources<'_>) -> Result<String, Error> {
    if let Some(rule) = sources
        .rules
        .iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(name) || rule.name == name)
    {
        return Ok(explain_rule(rule));
    }
    if let Some(control) = sources.matrix.control(name) {
        return Ok(explain_control(control, sources.matrix, sources.frameworks));
    }
    let candidates: Vec<&str> = sources
        .rules
        .iter()
        .flat_map(|rule| [rule.code.as_str(), rule.name.as_str()])
        .chain(sources.matrix.control_ids())
        .collect();
    Err(Error::new(format!(
        "`{name}` is neither a rule nor a control{}\n`srmlint rules` lists the rules, `srmlint matrix` the controls",
        suggest::hint(name, candidates.iter().copied())
    )))
}

fn explain_rule(rule: &RuleInfo) -> String {
    // A loaded rule's fields come from a policy file: each stays on its line, so no
    // value can start a line of its own (a CI log reads `::` there as a command).
    let mut out = format!(
        "{} {} ({})\n{}\nOrigin: {}\n",
        escape_inline(&rule.code),
        escape_inline(&rule.name),
        rule.severity.as_str(),
        escape_inline(&rule.summary),
        escape_inline(&rule.origin)
    );
    if !rule.doc.trim().is_empty() {
        out.push('\n');
        out.push_str(rule.doc.trim_end());
        out.push('\n');
    }
    out
}

fn explain_control(control: &Control, matrix: &Matrix, frameworks: &[Framework]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", control.id, control.title);
    let _ = writeln!(
        out,
        "Source: {}, {}, row “{}”",
        matrix.info.source, control.source.section, control.source.row
    );
    let mut parties_named = BTreeSet::new();
    for (model_id, model) in &matrix.models {
        out.push('\n');
        let Some(parts) = control.parts.get(model_id) else {
            let _ = writeln!(out, "{}: does not apply", model.title);
            continue;
        };
        let unconditional = matrix.owner_over(control, [model_id.as_str()], &BTreeSet::new());
        let owner = unconditional.map_or("—", |owner| owner.as_str());
        let _ = writeln!(out, "{}: {owner}", model.title);
        if let Some(customer) = &parts.customer {
            let _ = writeln!(out, "  you: {}", customer.scope);
        }
        if let Some(provider) = &parts.provider {
            let titles: Vec<&str> = provider
                .parties
                .iter()
                .map(|party| {
                    parties_named.insert(party.clone());
                    matrix.party_title(party)
                })
                .collect();
            let _ = writeln!(out, "  {}: {}", titles.join(" / "), provider.scope);
            if !provider.when_services.is_empty() {
                let _ = writeln!(
                    out,
                    "  (the provider part exists only when {} is in use; then the control is shared)",
                    provider.when_services.join(" or ")
                );
            }
        }
    }
    let attestations: Vec<String> = parties_named
        .iter()
        .filter_map(|party| {
            let known = matrix.parties.get(party)?;
            let named = match known.attestations.as_slice() {
                [] => "none named".to_owned(),
                names => names.join(", "),
            };
            let scope = known.attestation_scope.as_deref();
            let scope = scope.map(|scope| format!(" ({scope})")).unwrap_or_default();
            (!known.attestations.is_empty() || known.attestation_scope.is_some())
                .then(|| format!("{}: {named}{scope}", known.title))
        })
        .collect();
    if !attestations.is_empty() {
        out.push_str("\nAttestations the source names for the provider side:\n");
        for line in attestations {
            let _ = writeln!(out, "  {line}");
        }
    }
    let mapped: Vec<_> = frameworks
        .iter()
        .filter(|framework| framework.controls.contains_key(&control.id))
        .collect();
    if !mapped.is_empty() {
        out.push_str("\nFramework mappings (each link with its own basis):\n");
        for framework in mapped {
            let _ = writeln!(out, "  {} ({})", framework.framework.title, framework.id());
            if framework.links_of(&control.id).next().is_none() {
                out.push_str("    no requirement\n");
            }
            for (requirement, link) in framework.links_of(&control.id) {
                let basis = match link.basis {
                    Basis::Cited => format!("cited: {}", link.basis_text()),
                    Basis::Judgement => format!("srmlint's judgement: {}", link.basis_text()),
                };
                let _ = writeln!(
                    out,
                    "    {}  {} ({} of it)\n      {basis}",
                    requirement.id,
                    requirement.title,
                    link.extent.as_str()
                );
            }
            if let Some(note) = framework.controls.get(&control.id) {
                let _ = writeln!(out, "    {}", note.note);
            }
        }
    }
    let _ = writeln!(
        out,
        "\n`srmlint init` writes the entry this control needs for your services; `srmlint matrix` shows every control."
    );
    out
}
