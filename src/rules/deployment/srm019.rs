//! SRM019 matrix-version-mismatch: the file pins another matrix version than the
//! loaded one; and how owners differ between two versions, which `diff` shows too.

use crate::data::matrix::{Matrix, MatrixOwner};
use crate::data::scope::DeploymentScope;
use crate::data::versions::MatrixVersions;
use crate::diag::{BuiltinRule, Finding, Severity};
use crate::input::controls::ControlsFile;
use crate::rules::Context;
use crate::text::Sp;

pub static SRM019: BuiltinRule = BuiltinRule::new(
    "SRM019",
    "matrix-version-mismatch",
    Severity::Warning,
    "The file was written against another version of the matrix than the one loaded.",
    include_str!("../../../docs/rules/SRM019.md"),
);

/// SRM019, asking for the held versions only when the file pins another one: parsing
/// them costs as much as loading the matrix again.
pub fn check(file: &ControlsFile, context: &Context<'_>, findings: &mut Vec<Finding>) {
    let matrix = context.matrix;
    if let Some(pinned) = &file.deployment.matrix_version
        && matrix.info.version.as_deref() != Some(pinned.value.as_str())
    {
        check_matrix_version(file, matrix, (context.versions)(), findings);
    }
}

/// SRM019: `matrix_version` names another version than the loaded matrix's. Where the
/// pinned version is held (`versions`, or the loaded matrix itself), the finding names
/// the controls whose owner for this deployment changed between the two; otherwise it
/// says that it cannot tell.
pub fn check_matrix_version(
    file: &ControlsFile,
    matrix: &Matrix,
    versions: &MatrixVersions,
    findings: &mut Vec<Finding>,
) {
    let Some(pinned) = &file.deployment.matrix_version else {
        return;
    };
    let loaded = matrix.info.version.as_deref();
    if loaded == Some(pinned.value.as_str()) {
        return;
    }
    let loaded_shown = loaded.map_or_else(
        || "the loaded matrix records no version".to_owned(),
        |version| format!("`{version}` is loaded"),
    );
    let written = format!(
        "this file was written against matrix version `{}`, but {loaded_shown}",
        pinned.value
    );
    let update = match loaded {
        Some(version) => format!("then set `matrix_version = \"{version}\"`"),
        None => "then give the matrix file a `version` and pin that".to_owned(),
    };
    let (message, label, help) = match versions.resolve(matrix, &pinned.value) {
        Some(old) => {
            let changes = owner_changes(old, matrix, file.deployment.service_list());
            let diff_command = loaded.map_or(String::new(), |version| {
                format!(
                    "; `srmlint matrix diff {} {version}` lists every change",
                    pinned.value
                )
            });
            if changes.is_empty() {
                (
                    format!("{written}; no control changed owner for this deployment"),
                    "no owner changed".to_owned(),
                    format!("nothing to review for ownership: {update}{diff_command}"),
                )
            } else {
                let named: Vec<String> = changes.iter().map(OwnerChange::describe).collect();
                let count = crate::diag::plural(changes.len(), "control");
                (
                    format!(
                        "{written}; for this deployment {count} changed owner: {}",
                        named.join(", ")
                    ),
                    format!("{count} changed owner"),
                    format!(
                        "review the entries of {} against `srmlint explain CONTROL`, {update}{diff_command}",
                        changes
                            .iter()
                            .map(|change| format!("`{}`", change.control))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            }
        }
        None => {
            let held: Vec<&str> = versions.versions_of(&matrix.info.provider).collect();
            (
                format!(
                    "{written}; srmlint does not hold `{}`, so it cannot tell which controls changed owner",
                    pinned.value
                ),
                "version not held".to_owned(),
                format!(
                    "review every entry against `srmlint matrix`, {update} (versions srmlint holds: {})",
                    if held.is_empty() {
                        "none".to_owned()
                    } else {
                        held.join(", ")
                    }
                ),
            )
        }
    };
    findings.push(
        Finding::new(&SRM019, pinned.span.clone(), message)
            .label(label)
            .help(help),
    );
}

/// How the owner of one control for one deployment differs between two matrix
/// versions; `None` on a side: the control is not in that matrix, or no model in use
/// involves it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerChange {
    pub control: String,
    pub old: Option<MatrixOwner>,
    pub new: Option<MatrixOwner>,
}

impl OwnerChange {
    /// `backup-restore (shared → customer)`.
    pub fn describe(&self) -> String {
        let word = |owner: Option<MatrixOwner>| owner.map_or("not applicable", MatrixOwner::as_str);
        format!("{} ({} → {})", self.control, word(self.old), word(self.new))
    }
}

/// The owner, for a deployment using `services`, of every control whose owner differs
/// between `old` and `new`: in `new`'s order, then controls only `old` has. Each side
/// reads the services through its own catalog, so a service that changed model counts.
pub fn owner_changes(old: &Matrix, new: &Matrix, services: &[Sp<String>]) -> Vec<OwnerChange> {
    let old_scope = DeploymentScope::of(old, services);
    let new_scope = DeploymentScope::of(new, services);
    let owner = |matrix: &Matrix, scope: &DeploymentScope, id: &str| {
        let control = matrix.control(id)?;
        matrix.owner_over(control, scope.model_ids(), &scope.services)
    };
    let ids = new
        .control_ids()
        .chain(old.control_ids().filter(|id| new.control(id).is_none()));
    ids.filter_map(|id| {
        let change = OwnerChange {
            control: id.to_owned(),
            old: owner(old, &old_scope, id),
            new: owner(new, &new_scope, id),
        };
        (change.old != change.new).then_some(change)
    })
    .collect()
}
