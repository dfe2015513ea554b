//! Code actions: the fixes of `check --fix` (`authoring::fix`), offered as quick fixes
//! on the findings they resolve. The document is checked again as it stands when
//! asked (a fix computed for an older text would edit the wrong place), the fixes are
//! computed from that report exactly as `check --fix` computes them, and each edit
//! becomes a text edit of the controls file. A safe fix is the preferred action; an
//! unsafe one is offered too, its title saying it needs review. A finding that lies in
//! a Terraform file (SRM050) is fixed in the controls file that named that Terraform.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, Uri, WorkspaceEdit};

use super::diagnostics::{self, Report};
use super::position::LineIndex;
use crate::authoring::fix;
use crate::check::Checker;
use crate::diag::Applicability;

/// The quick fixes of the findings of the controls document `document` (holding
/// `text`, checked by `checker`) that lie in `target` and touch `range`.
pub(crate) fn quick_fixes(
    checker: &Checker,
    document: (&Uri, &std::path::Path, &str),
    target: &Uri,
    range: Range,
) -> Vec<CodeAction> {
    let (uri, path, text) = document;
    let Ok(Some(mut checked)) = diagnostics::report_of(checker, path, text) else {
        return Vec::new();
    };
    fix::attach(&mut checked.report, &checker.matrix);
    let mut actions = Vec::new();
    for finding in &checked.report.diagnostics {
        let Some(fix) = finding.fix.as_ref().filter(|_| !finding.is_waived()) else {
            continue;
        };
        let Some((place, found_at)) = diagnostics::place(&checked, finding, uri, text) else {
            continue;
        };
        if place != *target || !touches(found_at, range) {
            continue;
        }
        let Some(edits) = text_edits(&checked, fix, text) else {
            continue;
        };
        let safe = fix.applicability == Applicability::Safe;
        let title = if safe {
            fix.message.clone()
        } else {
            format!("{} (unsafe: review it)", fix.message)
        };
        actions.push(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostics::to_lsp(finding, found_at)]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), edits)])),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(safe),
            ..CodeAction::default()
        });
    }
    actions
}

/// A fix's edits as text edits of the document; `None` when one lies in another file
/// (fixes edit the controls file only).
fn text_edits(checked: &Report, fix: &crate::diag::Fix, text: &str) -> Option<Vec<TextEdit>> {
    let index = LineIndex::new(text);
    let mark = diagnostics::bom_len(&checked.report);
    fix.edits
        .iter()
        .map(|edit| {
            (edit.file == checked.display).then(|| {
                TextEdit::new(
                    index.range(text, edit.span.start + mark, edit.span.end + mark),
                    edit.content.clone(),
                )
            })
        })
        .collect()
}

/// Whether two ranges meet (an empty request range at the edge of a finding counts).
fn touches(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}
