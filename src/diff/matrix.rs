//! `srmlint matrix diff OLD NEW`: what changed between two versions of a
//! responsibility matrix — controls added, removed or renamed, and per control and
//! model the owner, the parts, their scope text, the provider parties and the
//! `when_services` condition; services and zones of the catalog too. The owner per
//! model is the one without conditional parts, as `srmlint matrix` shows it.
//! `diff(A, A)` is empty.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::data::matrix::{Control, Matrix, MatrixOwner, ModelParts};
use crate::data::versions::MatrixVersions;
use crate::diag::Error;
use crate::posture::MatrixSource;
use crate::text::escape::escape_inline;

/// An argument of `matrix diff`: an existing file is a matrix file; anything else must
/// be a version the binary holds.
pub fn load_side(argument: &str, versions: &MatrixVersions) -> Result<Matrix, Error> {
    let path = Path::new(argument);
    if path.symlink_metadata().is_ok() {
        return Matrix::load(Some(path));
    }
    let held: Vec<&str> = versions
        .all()
        .iter()
        .filter_map(|matrix| matrix.info.version.as_deref())
        .collect();
    match versions
        .all()
        .iter()
        .find(|matrix| matrix.info.version.as_deref() == Some(argument))
    {
        Some(matrix) => Ok(matrix.clone()),
        None => Err(Error::new(format!(
            "`{}` is neither a matrix file nor a matrix version srmlint holds (it holds {})",
            escape_inline(argument),
            held.join(", ")
        ))),
    }
}

/// Which matrix a side is: its provider, then what a posture report says of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixId {
    pub provider: String,
    #[serde(flatten)]
    pub source: MatrixSource,
}

impl MatrixId {
    pub fn of(matrix: &Matrix) -> Self {
        let provider = matrix.info.provider.clone();
        let source = MatrixSource::of(matrix);
        Self { provider, source }
    }

    /// `exoscale 2026-11`, or `exoscale (no version)`.
    pub fn short(&self) -> String {
        format!(
            "{} {}",
            self.provider,
            self.source.version.as_deref().unwrap_or("(no version)")
        )
    }
}

/// A value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    pub old: T,
    pub new: T,
}

impl<T: PartialEq> Change<T> {
    /// The change from `old` to `new`, or `None` when they are equal.
    pub fn of(old: T, new: T) -> Option<Self> {
        (old != new).then_some(Self { old, new })
    }
}

/// Items added to and removed from a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListChange {
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl ListChange {
    pub(crate) fn of<'a>(
        old: impl IntoIterator<Item = &'a str>,
        new: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let old: Vec<&str> = old.into_iter().collect();
        let new: Vec<&str> = new.into_iter().collect();
        Self {
            added: dedup(new.iter().filter(|item| !old.contains(item))),
            removed: dedup(old.iter().filter(|item| !new.contains(item))),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

fn dedup<'a>(items: impl Iterator<Item = &'a &'a str>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    items
        .filter(|item| seen.insert(**item))
        .map(|item| (*item).to_owned())
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlRef {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    pub old: String,
    pub new: String,
    /// What the two were matched on: `source` (the same place in the source) or
    /// `title`.
    pub matched_by: &'static str,
}

/// One control present in both versions (under its new id when renamed) that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ControlChange {
    pub id: String,
    pub renamed_from: Option<String>,
    pub title: Option<Change<String>>,
    pub models: Vec<ModelChange>,
}

/// How one control changed in one model. Fields are null when unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ModelChange {
    pub model: String,
    /// customer | shared | provider, or null where the control does not apply.
    pub owner: Option<Change<Option<MatrixOwner>>>,
    /// `customer` and/or `provider`.
    pub parts_added: Vec<&'static str>,
    pub parts_removed: Vec<&'static str>,
    pub customer_scope: Option<Change<String>>,
    pub provider_scope: Option<Change<String>>,
    pub provider_parties: Option<Change<Vec<String>>>,
    pub when_services: Option<Change<Vec<String>>>,
    /// The narrower provider part that stands in without some services, written
    /// `without <services>: <scope>` (empty when there is none).
    pub provider_narrowed: Option<Change<String>>,
}

impl ModelChange {
    fn is_empty(&self) -> bool {
        let mut unchanged = Self::default();
        unchanged.model.clone_from(&self.model);
        *self == unchanged
    }
}

/// A party of both versions whose title, attestations or their scope changed (how a
/// report names the party and what it says its attestations cover).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyChange {
    pub id: String,
    pub title: Option<Change<String>>,
    pub attestations: Option<Change<Vec<String>>>,
    pub attestation_scope: Option<Change<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ControlChanges {
    pub added: Vec<ControlRef>,
    pub removed: Vec<ControlRef>,
    pub renamed: Vec<Rename>,
    pub changed: Vec<ControlChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceRef {
    pub id: String,
    pub model: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceModelChange {
    pub id: String,
    pub model: Change<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceChanges {
    pub added: Vec<ServiceRef>,
    pub removed: Vec<ServiceRef>,
    /// Services that moved to another model: every control of both models changes
    /// for a deployment that uses them.
    pub changed: Vec<ServiceModelChange>,
}

/// Everything that differs between two matrices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixDiff {
    pub old: MatrixId,
    pub new: MatrixId,
    pub controls: ControlChanges,
    pub services: ServiceChanges,
    pub zones: ListChange,
    /// Parties present in both versions that changed.
    pub parties: Vec<PartyChange>,
}

impl MatrixDiff {
    /// How many changes there are: one for each line of the human form (a control
    /// added, removed or renamed; each owner, part, scope, party, condition and title
    /// change; each service and zone change).
    pub fn count(&self) -> usize {
        rows(self).len()
    }

    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }
}

/// Compares `old` with `new`.
pub fn diff(old: &Matrix, new: &Matrix) -> MatrixDiff {
    let mut controls = ControlChanges::default();
    let removed: Vec<&Control> = old
        .controls
        .iter()
        .filter(|control| new.control(&control.id).is_none())
        .collect();
    let added: Vec<&Control> = new
        .controls
        .iter()
        .filter(|control| old.control(&control.id).is_none())
        .collect();
    // A control that left under one id and came back under another, citing the same
    // place in the source (or, failing that, with the same title), was renamed.
    let mut pairs: Vec<(&Control, &Control, &'static str)> = Vec::new();
    for (rule, same) in [
        (
            "source",
            (|a: &Control, b: &Control| {
                a.source.section == b.source.section && a.source.row == b.source.row
            }) as fn(&Control, &Control) -> bool,
        ),
        ("title", |a: &Control, b: &Control| a.title == b.title),
    ] {
        for gone in &removed {
            if pairs.iter().any(|(old, _, _)| old.id == gone.id) {
                continue;
            }
            let free = added.iter().find(|candidate| {
                !pairs.iter().any(|(_, new, _)| new.id == candidate.id) && same(gone, candidate)
            });
            if let Some(came) = free {
                pairs.push((gone, came, rule));
            }
        }
    }
    let paired_old: BTreeSet<&str> = pairs.iter().map(|(old, _, _)| old.id.as_str()).collect();
    let paired_new: BTreeSet<&str> = pairs.iter().map(|(_, new, _)| new.id.as_str()).collect();
    controls.removed = removed
        .iter()
        .filter(|control| !paired_old.contains(control.id.as_str()))
        .map(|control| control_ref(control))
        .collect();
    controls.added = added
        .iter()
        .filter(|control| !paired_new.contains(control.id.as_str()))
        .map(|control| control_ref(control))
        .collect();
    controls.renamed = pairs
        .iter()
        .map(|(old, new, rule)| Rename {
            old: old.id.clone(),
            new: new.id.clone(),
            matched_by: rule,
        })
        .collect();
    let models: BTreeSet<&str> = old
        .models
        .keys()
        .chain(new.models.keys())
        .map(String::as_str)
        .collect();
    for control in &new.controls {
        let (previous, renamed_from) = match old.control(&control.id) {
            Some(previous) => (previous, None),
            None => match pairs.iter().find(|(_, new, _)| new.id == control.id) {
                Some((previous, _, _)) => (*previous, Some(previous.id.clone())),
                None => continue,
            },
        };
        let model_changes: Vec<ModelChange> = models
            .iter()
            .map(|model| model_change(old, previous, new, control, model))
            .filter(|change| !change.is_empty())
            .collect();
        let title = Change::of(previous.title.clone(), control.title.clone());
        if !model_changes.is_empty() || title.is_some() {
            controls.changed.push(ControlChange {
                id: control.id.clone(),
                renamed_from,
                title,
                models: model_changes,
            });
        }
    }
    MatrixDiff {
        old: MatrixId::of(old),
        new: MatrixId::of(new),
        controls,
        services: service_changes(old, new),
        parties: party_changes(old, new),
        zones: ListChange::of(
            old.zones.keys().map(String::as_str),
            new.zones.keys().map(String::as_str),
        ),
    }
}

fn control_ref(control: &Control) -> ControlRef {
    ControlRef {
        id: control.id.clone(),
        title: control.title.clone(),
    }
}

/// The owner of a control in one model with no conditional part in effect.
fn plain_owner(matrix: &Matrix, control: &Control, model: &str) -> Option<MatrixOwner> {
    matrix.owner_over(control, [model], &BTreeSet::new())
}

fn model_change(
    old_matrix: &Matrix,
    old: &Control,
    new_matrix: &Matrix,
    new: &Control,
    model: &str,
) -> ModelChange {
    let empty = ModelParts::default();
    let before = old.parts.get(model).unwrap_or(&empty);
    let after = new.parts.get(model).unwrap_or(&empty);
    let mut parts_added = Vec::new();
    let mut parts_removed = Vec::new();
    let customer = (before.customer.is_some(), after.customer.is_some());
    let provider = (before.provider.is_some(), after.provider.is_some());
    for (part, (had, has)) in [("customer", customer), ("provider", provider)] {
        match (had, has) {
            (false, true) => parts_added.push(part),
            (true, false) => parts_removed.push(part),
            _ => {}
        }
    }
    let customer_scope = match (&before.customer, &after.customer) {
        (Some(was), Some(is)) => Change::of(was.scope.clone(), is.scope.clone()),
        _ => None,
    };
    // A provider part that was added or removed is reported as such; its fields only
    // change when it is on both sides.
    let narrowed = |part: &crate::data::matrix::ProviderPart| match &part.narrowed {
        Some(narrowed) if !part.narrow_unless.is_empty() => format!(
            "without {}: {}",
            part.narrow_unless.join(", "),
            narrowed.scope
        ),
        _ => String::new(),
    };
    let (provider_scope, provider_parties, when_services, provider_narrowed) =
        match (&before.provider, &after.provider) {
            (Some(was), Some(is)) => (
                Change::of(was.scope.clone(), is.scope.clone()),
                Change::of(was.parties.clone(), is.parties.clone()),
                Change::of(was.when_services.clone(), is.when_services.clone()),
                Change::of(narrowed(was), narrowed(is)),
            ),
            _ => (None, None, None, None),
        };
    ModelChange {
        model: model.to_owned(),
        owner: Change::of(
            plain_owner(old_matrix, old, model),
            plain_owner(new_matrix, new, model),
        ),
        parts_added,
        parts_removed,
        customer_scope,
        provider_scope,
        provider_parties,
        when_services,
        provider_narrowed,
    }
}

fn party_changes(old: &Matrix, new: &Matrix) -> Vec<PartyChange> {
    new.parties
        .iter()
        .filter_map(|(id, party)| {
            let before = old.parties.get(id)?;
            let change = PartyChange {
                id: id.clone(),
                title: Change::of(before.title.clone(), party.title.clone()),
                attestations: Change::of(before.attestations.clone(), party.attestations.clone()),
                attestation_scope: Change::of(
                    before.attestation_scope.clone().unwrap_or_default(),
                    party.attestation_scope.clone().unwrap_or_default(),
                ),
            };
            let changed = change.title.is_some()
                || change.attestations.is_some()
                || change.attestation_scope.is_some();
            changed.then_some(change)
        })
        .collect()
}

fn service_changes(old: &Matrix, new: &Matrix) -> ServiceChanges {
    let mut changes = ServiceChanges::default();
    for (id, service) in &new.services {
        match old.services.get(id) {
            None => changes.added.push(ServiceRef {
                id: id.clone(),
                model: service.model.clone(),
            }),
            Some(before) => {
                if let Some(model) = Change::of(before.model.clone(), service.model.clone()) {
                    changes.changed.push(ServiceModelChange {
                        id: id.clone(),
                        model,
                    });
                }
            }
        }
    }
    for (id, service) in &old.services {
        if !new.services.contains_key(id) {
            changes.removed.push(ServiceRef {
                id: id.clone(),
                model: service.model.clone(),
            });
        }
    }
    changes
}

/// One line of the human and Markdown forms: what, which control or service, in
/// which model, before and after.
pub struct Row {
    pub change: &'static str,
    pub subject: String,
    pub model: String,
    pub old: String,
    pub new: String,
}

fn owner_word(owner: Option<MatrixOwner>) -> String {
    String::from(owner.map_or("does not apply", MatrixOwner::as_str))
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_owned()
    } else {
        items.join(", ")
    }
}

/// Every change as a row, in the order the human form lists them.
pub fn rows(diff: &MatrixDiff) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut row = |change, subject: &str, model: &str, old: &str, new: &str| {
        rows.push(Row {
            change,
            subject: subject.to_owned(),
            model: model.to_owned(),
            old: old.to_owned(),
            new: new.to_owned(),
        });
    };
    let lists = |change: &Change<Vec<String>>| (list(&change.old), list(&change.new));
    let controls = &diff.controls;
    for control in &controls.added {
        row("control added", &control.id, "", "", &control.title);
    }
    for control in &controls.removed {
        row("control removed", &control.id, "", &control.title, "");
    }
    for rename in &controls.renamed {
        row("control renamed", &rename.new, "", &rename.old, &rename.new);
    }
    for control in &controls.changed {
        let id = &control.id;
        if let Some(title) = &control.title {
            row("title", id, "", &title.old, &title.new);
        }
        for model in &control.models {
            let m = &model.model;
            if let Some(Change { old, new }) = model.owner {
                row("owner", id, m, &owner_word(old), &owner_word(new));
            }
            for part in &model.parts_added {
                row("part added", id, m, "", part);
            }
            for part in &model.parts_removed {
                row("part removed", id, m, part, "");
            }
            let texts = [
                ("customer scope", &model.customer_scope),
                ("provider scope", &model.provider_scope),
            ];
            for (change, scope) in texts {
                if let Some(scope) = scope {
                    row(change, id, m, &scope.old, &scope.new);
                }
            }
            let lists_changed = [
                ("provider parties", &model.provider_parties),
                ("when_services", &model.when_services),
            ];
            for (change, items) in lists_changed {
                if let Some((old, new)) = items.as_ref().map(lists) {
                    row(change, id, m, &old, &new);
                }
            }
            if let Some(narrowed) = &model.provider_narrowed {
                let change = "provider scope without services";
                row(change, id, m, &narrowed.old, &narrowed.new);
            }
        }
    }
    let services = &diff.services;
    for ServiceRef { id, model } in &services.added {
        row("service added", id, model, "", model);
    }
    for ServiceRef { id, model } in &services.removed {
        row("service removed", id, model, model, "");
    }
    for ServiceModelChange { id, model } in &services.changed {
        row("service model", id, "", &model.old, &model.new);
    }
    for zone in &diff.zones.added {
        row("zone added", zone, "", "", zone);
    }
    for zone in &diff.zones.removed {
        row("zone removed", zone, "", zone, "");
    }
    for party in &diff.parties {
        if let Some(title) = &party.title {
            row("party title", &party.id, "", &title.old, &title.new);
        }
        if let Some((old, new)) = party.attestations.as_ref().map(lists) {
            row("party attestations", &party.id, "", &old, &new);
        }
        if let Some(Change { old, new }) = &party.attestation_scope {
            row("party attestation scope", &party.id, "", old, new);
        }
    }
    rows
}
