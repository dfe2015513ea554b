//! Hover: what srmlint knows of the id under the cursor. A control id shows what
//! `srmlint explain` says of it (the matrix row: owner per model, each party's part
//! and scope, framework links); a rule code shows the rule's documentation; a service,
//! zone or framework id shows what the catalog calls it.

use std::collections::BTreeSet;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Range};

use super::context::word_at;
use super::diagnostics::escape_multiline;
use crate::authoring::explain::{self, Sources};
use crate::data::matrix::Matrix;
use crate::data::scope::DeploymentScope;
use crate::diag::RuleInfo;
use crate::rules;
use crate::text::escape::{markdown, markdown_fence};

/// The hover at byte `offset` of `text`, with the byte span of the id it is about.
/// `scope` holds the services and models the document declares, when it is a
/// controls file that reads: a control's hover then says who owns it for this
/// deployment.
pub(crate) fn hover_at(
    text: &str,
    offset: usize,
    known: Sources<'_>,
    scope: Option<&DeploymentScope>,
) -> Option<(std::ops::Range<usize>, String)> {
    let span = word_at(text, offset)?;
    let markdown = describe(&text[span.clone()], known, scope)?;
    Some((span, markdown))
}

/// The Markdown a hover shows for `word`, when it is an id srmlint knows.
fn describe(word: &str, known: Sources<'_>, scope: Option<&DeploymentScope>) -> Option<String> {
    if let Some(rule) = known.rules.iter().find(|rule| rule.code == word) {
        return Some(describe_rule(rule, known));
    }
    if let Some(control) = known.matrix.control(word) {
        let text = explain::explain(word, known).ok()?;
        let here = scope
            .filter(|scope| !scope.services.is_empty())
            .map(|scope| {
                let owner = known
                    .matrix
                    .owner_over(control, scope.model_ids(), &scope.services)
                    .map_or("not involved (no model in use has a part)", |owner| {
                        owner.as_str()
                    });
                let services: Vec<&str> = scope.services.iter().map(String::as_str).collect();
                format!(
                    "**For this deployment** ({}): {}\n\n",
                    markdown(&services.join(", ")),
                    markdown(owner)
                )
            })
            .unwrap_or_default();
        return Some(format!("{here}{}", fenced(&text)));
    }
    if let Some(service) = known.matrix.services.get(word) {
        let mut text = format!(
            "**{}** — {} ({} service)",
            markdown(word),
            markdown(&service.title),
            markdown(known.matrix.model_title(&service.model))
        );
        if !service.aliases.is_empty() {
            text.push_str(&format!(
                "\n\nAlso written: {}",
                markdown(&service.aliases.join(", "))
            ));
        }
        return Some(text);
    }
    if let Some(zone) = known.matrix.zones.get(word) {
        return Some(format!(
            "**{}** — zone in {}, {}",
            markdown(word),
            markdown(&zone.city),
            markdown(&zone.country)
        ));
    }
    if let Some(framework) = known
        .frameworks
        .iter()
        .find(|framework| framework.id() == word)
    {
        return Some(format!(
            "**{}** — {} ({}), {} requirements",
            markdown(word),
            markdown(&framework.framework.title),
            markdown(&framework.framework.version),
            framework.requirements.len()
        ));
    }
    None
}

/// A rule: its code, name and level, then its documentation. A built-in rule's
/// documentation is srmlint's own Markdown; a loaded rule's text comes from a policy
/// file and is shown verbatim in a code block.
fn describe_rule(rule: &RuleInfo, sources: Sources<'_>) -> String {
    if rules::builtin(&rule.code).is_some() {
        return format!(
            "**{}** {} ({})\n\n{}\n\n{}",
            markdown(&rule.code),
            markdown(&rule.name),
            rule.severity.as_str(),
            markdown(&rule.summary),
            rule.doc.trim()
        );
    }
    let text = explain::explain(&rule.code, sources).unwrap_or_default();
    fenced(&text)
}

/// Plain text in a code block that nothing inside it can close.
fn fenced(text: &str) -> String {
    // Text from a matrix or policy file may hold control characters: shown, not obeyed.
    let text = escape_multiline(text.trim_end());
    let fence = markdown_fence(&text);
    format!("{fence}text\n{text}\n{fence}")
}

/// The protocol's hover.
pub(crate) fn to_lsp(range: Range, markdown: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(range),
    }
}

/// The owner of `control` in each model, in words: "IaaS: customer · DBaaS: shared".
pub(crate) fn owners_in_words(matrix: &Matrix, control: &str) -> String {
    let Some(control) = matrix.control(control) else {
        return String::new();
    };
    matrix
        .models
        .iter()
        .map(|(id, model)| {
            let owner = matrix
                .owner_over(control, [id.as_str()], &BTreeSet::new())
                .map_or("does not apply", |owner| owner.as_str());
            format!("{}: {owner}", model.title)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
