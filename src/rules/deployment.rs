//! The deployment rules (SRM010–SRM016): the `[deployment]` table and the control ids
//! judged against the matrix's catalog: provider, services, zones and residency,
//! frameworks, and control ids the matrix does not have. Pure: findings as values.

use crate::data::matrix::Matrix;
use crate::diag::{BuiltinRule, Finding, Severity};
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
/// `frameworks`, and each entry's `models` and `evidence`.
pub fn check_duplicates(file: &ControlsFile, findings: &mut Vec<Finding>) {
    let deployment = &file.deployment;
    let mut lists: Vec<NamedList<'_>> = vec![
        ("services", deployment.service_list(), None),
        ("zones", &deployment.zones, None),
        ("frameworks", &deployment.frameworks, None),
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
        findings.push(
            Finding::new(
                &SRM010,
                entry.control.span.clone(),
                format!(
                    "unknown control `{}`{}",
                    entry.control.value,
                    suggest::hint(&entry.control.value, matrix.control_ids())
                ),
            )
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
                    .map(|meant| suggest::suggestion(&bad.part, &meant))
                    .unwrap_or_default();
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
