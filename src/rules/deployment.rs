//! The deployment rules (SRM010–SRM016, SRM019): the `[deployment]` table and the
//! control ids judged against the matrix's catalog: provider, services, zones and
//! residency, frameworks, control ids the matrix does not have, and the matrix version
//! the file was written against. Pure: findings as values.

use crate::data::matrix::{Matrix, MatrixOwner};
use crate::data::scope::DeploymentScope;
use crate::data::versions::MatrixVersions;
use crate::diag::{Applicability, BuiltinRule, Finding, Proposal, Severity};
use crate::input::controls::{ControlsFile, SRM021, Services};
use crate::text::Sp;
use crate::text::suggest;

pub static SRM010: BuiltinRule = BuiltinRule {
    code: "SRM010",
    name: "unknown-control",
    severity: Severity::Error,
    summary: "The control id is not in the matrix.",
    doc: include_str!("../../docs/rules/SRM010.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM011: BuiltinRule = BuiltinRule {
    code: "SRM011",
    name: "unknown-service",
    severity: Severity::Error,
    summary: "The service id is not in the catalog.",
    doc: include_str!("../../docs/rules/SRM011.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM012: BuiltinRule = BuiltinRule {
    code: "SRM012",
    name: "unknown-zone",
    severity: Severity::Error,
    summary: "The zone id is not in the catalog.",
    doc: include_str!("../../docs/rules/SRM012.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM013: BuiltinRule = BuiltinRule {
    code: "SRM013",
    name: "residency-violation",
    severity: Severity::Error,
    summary: "A zone lies outside the declared residency.",
    doc: include_str!("../../docs/rules/SRM013.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM014: BuiltinRule = BuiltinRule {
    code: "SRM014",
    name: "unknown-provider",
    severity: Severity::Error,
    summary: "There is no matrix for the named provider.",
    doc: include_str!("../../docs/rules/SRM014.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM015: BuiltinRule = BuiltinRule {
    code: "SRM015",
    name: "no-services",
    severity: Severity::Error,
    summary: "The deployment declares no services.",
    doc: include_str!("../../docs/rules/SRM015.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM016: BuiltinRule = BuiltinRule {
    code: "SRM016",
    name: "unknown-framework",
    severity: Severity::Error,
    summary: "The framework has no mapping.",
    doc: include_str!("../../docs/rules/SRM016.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM017: BuiltinRule = BuiltinRule {
    code: "SRM017",
    name: "residency-unchecked",
    severity: Severity::Warning,
    summary: "A residency is declared but no zone, so nothing can be checked against it.",
    doc: include_str!("../../docs/rules/SRM017.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM019: BuiltinRule = BuiltinRule {
    code: "SRM019",
    name: "matrix-version-mismatch",
    severity: Severity::Warning,
    summary: "The file was written against another version of the matrix than the one loaded.",
    doc: include_str!("../../docs/rules/SRM019.md"),
    waivable: true,
    fixed_level: false,
};

pub static SRM018: BuiltinRule = BuiltinRule {
    code: "SRM018",
    name: "duplicate-value",
    severity: Severity::Warning,
    summary: "A value is listed twice in one list.",
    doc: include_str!("../../docs/rules/SRM018.md"),
    waivable: true,
    fixed_level: false,
};

/// A list to look for repeats in: its key, its items, and the entry's control.
type NamedList<'a> = (&'a str, &'a [Sp<String>], Option<&'a str>);

/// SRM018 for every value listed again in one list: `services`, `zones`,
/// `frameworks`, `terraform`, and each entry's `models` and `evidence`.
pub fn check_duplicates(file: &ControlsFile, findings: &mut Vec<Finding>) {
    let deployment = &file.deployment;
    let mut lists: Vec<NamedList<'_>> = vec![
        ("services", deployment.service_list(), None),
        ("zones", &deployment.zones, None),
        ("frameworks", &deployment.frameworks, None),
        ("terraform", &deployment.terraform, None),
    ];
    for entry in &file.entries {
        let control = Some(entry.control.value.as_str());
        if let Some(models) = &entry.models {
            lists.push(("models", &models.value, control));
        }
        if let Some(evidence) = &entry.evidence {
            lists.push(("evidence", &evidence.value, control));
        }
    }
    for (key, items, control) in lists {
        for (index, item) in items.iter().enumerate() {
            if items[..index]
                .iter()
                .any(|earlier| earlier.value == item.value)
            {
                let finding = Finding::new(
                    &SRM018,
                    item.span.clone(),
                    format!("`{}` is listed twice in `{key}`", item.value),
                )
                .propose(Proposal::RemoveRepeats)
                .label("listed before")
                .help(format!("remove the repeated `{}`", item.value));
                findings.push(match control {
                    Some(control) => finding.control(control),
                    None => finding,
                });
            }
        }
    }
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
    let update = match loaded {
        Some(version) => format!("then set `matrix_version = \"{version}\"`"),
        None => "then give the matrix file a `version` and pin that".to_owned(),
    };
    let (message, label, help) = match versions.resolve(matrix, &pinned.value) {
        Some(old) => {
            let changes = owner_changes(old, matrix, file.deployment.service_list());
            let diff_command = match loaded {
                Some(version) => format!(
                    "; `srmlint matrix diff {} {version}` lists every change",
                    pinned.value
                ),
                None => String::new(),
            };
            if changes.is_empty() {
                (
                    format!(
                        "this file was written against matrix version `{}`, but {loaded_shown}; no control changed owner for this deployment",
                        pinned.value
                    ),
                    "no owner changed".to_owned(),
                    format!("nothing to review for ownership: {update}{diff_command}"),
                )
            } else {
                let named: Vec<String> = changes.iter().map(OwnerChange::describe).collect();
                (
                    format!(
                        "this file was written against matrix version `{}`, but {loaded_shown}; for this deployment {} changed owner: {}",
                        pinned.value,
                        crate::diag::plural(changes.len(), "control"),
                        named.join(", ")
                    ),
                    format!(
                        "{} changed owner",
                        crate::diag::plural(changes.len(), "control")
                    ),
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
                    "this file was written against matrix version `{}`, but {loaded_shown}; srmlint does not hold `{}`, so it cannot tell which controls changed owner",
                    pinned.value, pinned.value
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

/// SRM014: the file names a provider the loaded matrix is not for. Nothing else about
/// the deployment can be judged soundly then: services, zones and controls are the
/// named provider's.
pub fn check_provider(file: &ControlsFile, matrix: &Matrix) -> Option<Finding> {
    let provider = file.deployment.provider.as_ref()?;
    if provider.value == matrix.info.provider {
        return None;
    }
    Some(
        Finding::new(
            &SRM014,
            provider.span.clone(),
            format!(
                "no matrix for provider `{}`{}; the loaded matrix is for `{}`",
                provider.value,
                suggest::hint(&provider.value, [matrix.info.provider.as_str()]),
                matrix.info.provider
            ),
        )
        .label("unknown provider")
        .help(format!(
            "write `provider = \"{}\"` or pass the provider's matrix with `--matrix FILE`",
            matrix.info.provider
        )),
    )
}

/// SRM010 for every entry whose control the matrix does not have.
pub fn check_control_ids(file: &ControlsFile, matrix: &Matrix, findings: &mut Vec<Finding>) {
    for entry in &file.entries {
        if matrix.control(&entry.control.value).is_some() {
            continue;
        }
        let written = &entry.control.value;
        // A short name for a long id (`backup` for `backup-restore`) is no typo that
        // a spelling distance finds.
        let meant = suggest::single(written, matrix.control_ids())
            .or_else(|| suggest::by_words(written, matrix.control_ids()));
        let hint = match meant {
            Some(meant) => suggest::suggestion(written, meant),
            None => suggest::hint(written, matrix.control_ids()),
        };
        findings.push(
            Finding::new(
                &SRM010,
                entry.control.span.clone(),
                format!("unknown control `{written}`{hint}"),
            )
            .propose_if(meant.map(safe_replacement))
            .label("not in the matrix")
            .help("run `srmlint matrix` for the control ids")
            .control(entry.control.value.clone()),
        );
    }
}

pub fn check_frameworks(file: &ControlsFile, known: &[&str], findings: &mut Vec<Finding>) {
    for framework in &file.deployment.frameworks {
        if !known.contains(&framework.value.as_str()) {
            findings.push(
                Finding::new(
                    &SRM016,
                    framework.span.clone(),
                    format!(
                        "no mapping for framework `{}`{}",
                        framework.value,
                        suggest::hint(&framework.value, known.iter().copied())
                    ),
                )
                .propose_if(
                    suggest::single(&framework.value, known.iter().copied()).map(safe_replacement),
                )
                .label("unknown framework")
                .help(format!("frameworks with a mapping: {}", known.join(", "))),
            );
        }
    }
}

pub fn check_services(file: &ControlsFile, matrix: &Matrix, findings: &mut Vec<Finding>) {
    let list = match &file.deployment.services {
        Services::Invalid => return,
        Services::Missing => {
            let (message, label) = if file.deployment.span.is_empty() {
                (
                    "the file has no `[deployment]` table, so it declares no services",
                    "no `[deployment]` in this file",
                )
            } else {
                ("the deployment declares no services", "no `services` here")
            };
            findings.push(
                Finding::new(&SRM015, file.deployment.span.clone(), message)
                    .label(label)
                    .help(services_help(matrix)),
            );
            return;
        }
        Services::List(list) => list,
    };
    if list.value.is_empty() {
        findings.push(
            Finding::new(&SRM015, list.span.clone(), "`services` is empty")
                .label("no services")
                .help(services_help(matrix)),
        );
    }
    for service in &list.value {
        if !matrix.services.contains_key(&service.value) {
            findings.push(
                Finding::new(
                    &SRM011,
                    service.span.clone(),
                    format!(
                        "unknown service `{}`{}",
                        service.value,
                        suggest::hint_or_alias(
                            &service.value,
                            matrix.service_of_alias(&service.value),
                            matrix.services.keys().map(String::as_str)
                        )
                    ),
                )
                .propose_if(
                    matrix
                        .service_of_alias(&service.value)
                        .or_else(|| {
                            suggest::single(&service.value, matrix.services.keys().map(String::as_str))
                        })
                        .map(safe_replacement),
                )
                .label("not in the service catalog")
                .help("run `srmlint matrix --format json` for the catalog, or `srmlint init` without `--services` for the list"),
            );
        }
    }
}

fn services_help(matrix: &Matrix) -> String {
    let ids: Vec<&str> = matrix.services.keys().map(String::as_str).collect();
    format!(
        "list what you use, e.g. `services = [\"{}\"]`; known services: {}",
        ids.first().copied().unwrap_or("..."),
        ids.join(", ")
    )
}

pub fn check_zones(file: &ControlsFile, matrix: &Matrix, findings: &mut Vec<Finding>) {
    let deployment = &file.deployment;
    let allowed = match &deployment.residency {
        None => None,
        Some(residency) => match matrix.residency_countries(&residency.value) {
            Ok(countries) => Some((residency, countries)),
            Err(bad) => {
                let regions: Vec<&str> = matrix.regions.keys().map(String::as_str).collect();
                let hint = bad
                    .suggestion
                    .as_ref()
                    .map(|meant| suggest::suggestion(&bad.part, meant))
                    .unwrap_or_default();
                // The value with the bad part replaced; a region for a word that names
                // another one (`EU` for the EEA) changes what is asserted.
                let proposal = bad.suggestion.as_ref().map(|meant| {
                    let with = residency
                        .value
                        .split('+')
                        .map(|part| {
                            if part == bad.part {
                                meant.as_str()
                            } else {
                                part
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("+");
                    Proposal::Replace {
                        with,
                        applicability: if bad.same_meaning {
                            Applicability::Safe
                        } else {
                            Applicability::Unsafe
                        },
                    }
                });
                let what = if bad.part == residency.value {
                    format!("`{}` is not a residency value{hint}", residency.value)
                } else {
                    format!(
                        "`{}` is not a residency value: `{}` is neither a country code nor a region{hint}",
                        residency.value, bad.part
                    )
                };
                findings.push(
                    Finding::new(&SRM021, residency.span.clone(), what)
                    .propose_if(proposal)
                    .label("not a country code or region")
                    .help(format!(
                        "use an upper-case ISO country code (`CH`), a region ({}) or several joined with `+` (`EEA+CH`)",
                        regions.join(", ")
                    )),
                );
                None
            }
        },
    };
    if let Some(residency) = &deployment.residency
        && deployment.zones.is_empty()
    {
        findings.push(
            Finding::new(
                &SRM017,
                residency.span.clone(),
                format!(
                    "`residency = \"{}\"` is declared, but no zone is, so nothing can be checked against it",
                    residency.value
                ),
            )
            .label("nothing to check")
            .help("list the zones the deployment runs in: `zones = [\"ch-gva-2\"]`"),
        );
    }
    for zone in &deployment.zones {
        let Some(known) = matrix.zones.get(&zone.value) else {
            findings.push(
                Finding::new(
                    &SRM012,
                    zone.span.clone(),
                    format!(
                        "unknown zone `{}`{}",
                        zone.value,
                        suggest::hint(&zone.value, matrix.zones.keys().map(String::as_str))
                    ),
                )
                .propose_if(
                    suggest::single(&zone.value, matrix.zones.keys().map(String::as_str))
                        .map(safe_replacement),
                )
                .label("not a zone of this provider")
                .help(format!(
                    "zones: {}",
                    matrix.zones.keys().cloned().collect::<Vec<_>>().join(", ")
                )),
            );
            continue;
        };
        if let Some((residency, countries)) = &allowed
            && !countries.contains(&known.country)
        {
            findings.push(
                Finding::new(
                    &SRM013,
                    zone.span.clone(),
                    format!(
                        "zone `{}` ({}, {}) is outside the declared residency `{}`",
                        zone.value, known.city, known.country, residency.value
                    ),
                )
                .label(format!("in {}", known.country))
                .help(format!(
                    "move the workload to a zone in `{}`, or correct `residency` if the data may leave it",
                    residency.value
                )),
            );
        }
    }
}

/// A did-you-mean that only corrects the spelling of an id: safe to apply.
fn safe_replacement(meant: &str) -> Proposal {
    Proposal::Replace {
        with: meant.to_owned(),
        applicability: Applicability::Safe,
    }
}
