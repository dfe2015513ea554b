//! `srmlint matrix`: the responsibility matrix written for a person deciding what to
//! claim, as a terminal table, Markdown, or JSON; or for a GRC tool as OSCAL.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::data::frameworks;
use crate::data::matrix::{Control, Matrix, MatrixOwner, ProviderPart, SourceRef, Zone};
use crate::diag::Error;
use crate::render::oscal;
use crate::text::escape;
use crate::text::suggest;

/// The formats of `srmlint matrix` (what each is for: the command line's help).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixFormat {
    Table,
    Markdown,
    Json,
    Oscal,
    OscalCatalog,
    OscalProfile,
    OscalMapping,
}

impl MatrixFormat {
    fn is_oscal(self) -> bool {
        matches!(
            self,
            MatrixFormat::Oscal
                | MatrixFormat::OscalCatalog
                | MatrixFormat::OscalProfile
                | MatrixFormat::OscalMapping
        )
    }
}

/// The owner of a control in one model when no conditional part applies, and the
/// services that would add a provider part.
fn owner_in(matrix: &Matrix, control: &Control, model: &str) -> (Option<MatrixOwner>, Vec<String>) {
    let none = BTreeSet::new();
    let owner = matrix.owner_over(control, [model], &none);
    let conditional = control
        .parts
        .get(model)
        .and_then(|parts| parts.provider.as_ref())
        .map(|provider| provider.when_services.clone())
        .unwrap_or_default();
    (owner, conditional)
}

fn owner_cell(matrix: &Matrix, control: &Control, model: &str) -> String {
    match owner_in(matrix, control, model) {
        (None, _) => "—".to_owned(),
        (Some(owner), conditional) if conditional.is_empty() => owner.as_str().to_owned(),
        (Some(owner), conditional) => {
            format!(
                "{} (shared with {})",
                owner.as_str(),
                conditional.join(", ")
            )
        }
    }
}

fn party_titles(matrix: &Matrix, parties: &[String]) -> String {
    parties
        .iter()
        .map(|party| matrix.party_title(party))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// Renders the matrix; `model` limits it to one model, which must be one of the
/// matrix's; `framework` is the one `--format oscal-mapping` maps to (required there,
/// and refused with any other format).
pub fn render(
    matrix: &Matrix,
    format: MatrixFormat,
    model: Option<&str>,
    framework: Option<&str>,
) -> Result<String, Error> {
    let frameworks = frameworks::embedded();
    let known: Vec<&str> = frameworks.iter().map(frameworks::Framework::id).collect();
    let mapped = match (format, framework) {
        (MatrixFormat::OscalMapping, None) => {
            return Err(Error::new(format!(
                "`--format oscal-mapping` needs `--framework ID`, the framework to map to: {}",
                known.join(", ")
            )));
        }
        (MatrixFormat::OscalMapping, Some(id)) => Some(
            frameworks
                .iter()
                .find(|candidate| candidate.id() == id)
                .ok_or_else(|| {
                    Error::new(format!(
                        "unknown framework `{}`{}; frameworks with a mapping: {}",
                        escape::escape_inline(id),
                        suggest::hint(id, known.iter().copied()),
                        known.join(", ")
                    ))
                })?,
        ),
        (_, Some(_)) => {
            return Err(Error::new(
                "`--framework` applies only to `--format oscal-mapping`",
            ));
        }
        (_, None) => None,
    };
    if let Some(model) = model
        && !matrix.models.contains_key(model)
    {
        let models: Vec<&str> = matrix.models.keys().map(String::as_str).collect();
        return Err(Error::new(format!(
            "unknown model `{model}`{}; models are: {}",
            suggest::hint(model, models.iter().copied()),
            models.join(", ")
        )));
    }
    // Deployments' SSPs reference the whole export, so it is never cut to one model.
    if format.is_oscal() && model.is_some() {
        return Err(Error::new(
            "`--model` does not apply to the OSCAL formats: they export every model",
        ));
    }
    let models: Vec<&str> = matrix
        .models
        .keys()
        .map(String::as_str)
        .filter(|id| model.is_none_or(|wanted| wanted == *id))
        .collect();
    Ok(match format {
        // Text from a `--matrix` file must not drive the terminal.
        MatrixFormat::Table => escape::escape_for_terminal(&table(matrix, &models)),
        MatrixFormat::Markdown => markdown(matrix, &models),
        MatrixFormat::Json => json(matrix, &models),
        MatrixFormat::Oscal => oscal::matrix_ssp(matrix)?,
        MatrixFormat::OscalCatalog => oscal::catalog(matrix, &frameworks)?,
        MatrixFormat::OscalProfile => oscal::profile(matrix)?,
        MatrixFormat::OscalMapping => {
            let framework = mapped.ok_or_else(|| Error::new("no framework to map to"))?;
            oscal::mapping(matrix, framework)?
        }
    })
}

/// `version 2026-11, retrieved 2026-11-28, source SHA-256 ac0d…`: which reading of the
/// provider's model this is, so a printed matrix can be traced to its source text.
/// `None` for a matrix file that records none of it.
fn version_line(matrix: &Matrix) -> Option<String> {
    let info = &matrix.info;
    let retrieved = info.retrieved.as_ref().map(ToString::to_string);
    let parts: Vec<String> = [
        ("version", info.version.as_ref()),
        ("retrieved", retrieved.as_ref()),
        ("source SHA-256", info.source_sha256.as_ref()),
    ]
    .into_iter()
    .filter_map(|(what, value)| Some(format!("{what} {}", value?)))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn table(matrix: &Matrix, models: &[&str]) -> String {
    let id_width = matrix.control_ids().map(str::len).max().unwrap_or(7).max(7);
    // The title and version come from a matrix file, which may be a user's.
    let mut out = escape::escape_for_terminal(&matrix.info.title);
    out.push('\n');
    if let Some(line) = version_line(matrix) {
        out.push_str(&escape::escape_for_terminal(&line));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&format!("{:id_width$}", "CONTROL"));
    for model in models {
        out.push_str(&format!("  {:34}", model.to_uppercase()));
    }
    out.push('\n');
    for control in &matrix.controls {
        out.push_str(&format!("{:id_width$}", control.id));
        for model in models {
            out.push_str(&format!("  {:34}", owner_cell(matrix, control, model)));
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    }
    out.push_str("\nWhat each side does:\n");
    for control in &matrix.controls {
        out.push_str(&format!(
            "\n{} — {} ({}, {})\n",
            control.id, control.title, control.source.section, control.source.row
        ));
        for model in models {
            let Some(parts) = control.parts.get(*model) else {
                out.push_str(&format!("  {model:6} does not apply\n"));
                continue;
            };
            if let Some(customer) = &parts.customer {
                out.push_str(&format!("  {model:6} you: {}\n", customer.scope));
            }
            if let Some(provider) = &parts.provider {
                let condition = if provider.when_services.is_empty() {
                    String::new()
                } else {
                    format!(" [only with {}]", provider.when_services.join(", "))
                };
                out.push_str(&format!(
                    "  {model:6} {}: {}{condition}\n",
                    party_titles(matrix, &provider.parties),
                    provider.scope
                ));
            }
        }
    }
    out
}

fn markdown(matrix: &Matrix, models: &[&str]) -> String {
    let mut out = format!("# {}\n\n", escape::markdown(&matrix.info.title));
    if let Some(line) = version_line(matrix) {
        out.push_str(&format!("Matrix {}.\n\n", escape::markdown(&line)));
    }
    let mut header = vec!["Control".to_owned()];
    for model in models {
        let title = escape::markdown(matrix.model_title(model));
        header.extend(
            [" owner", " customer part", " provider part"].map(|what| format!("{title}{what}")),
        );
    }
    let rows = matrix.controls.iter().map(|control| {
        let mut cells = vec![format!(
            "`{}` {}",
            control.id,
            escape::markdown(&control.title)
        )];
        for model in models {
            let parts = control.parts.get(*model);
            let customer = parts
                .and_then(|parts| parts.customer.as_ref())
                .map_or("—".to_owned(), |part| escape::markdown(&part.scope));
            let provider =
                parts
                    .and_then(|parts| parts.provider.as_ref())
                    .map_or("—".to_owned(), |part| {
                        let condition = if part.when_services.is_empty() {
                            String::new()
                        } else {
                            format!(
                                " (only with {})",
                                escape::markdown(&part.when_services.join(", "))
                            )
                        };
                        format!(
                            "{}: {}{condition}",
                            escape::markdown(&party_titles(matrix, &part.parties)),
                            escape::markdown(&part.scope)
                        )
                    });
            cells.extend([owner_cell(matrix, control, model), customer, provider]);
        }
        cells
    });
    crate::render::markdown::table(&mut out, &header, &[], rows);
    out.push_str(&format!(
        "\nSource: {}.\n",
        escape::markdown(&matrix.info.source)
    ));
    out
}

#[derive(Serialize)]
struct JsonMatrix<'a> {
    provider: &'a str,
    title: &'a str,
    source: &'a str,
    /// The matrix's `version`, `retrieved` (YYYY-MM-DD) and `source_sha256`; null when
    /// the matrix file does not record them.
    version: Option<&'a str>,
    retrieved: Option<String>,
    source_sha256: Option<&'a str>,
    models: Vec<&'a str>,
    controls: Vec<JsonControl<'a>>,
    services: Vec<JsonService<'a>>,
    zones: Vec<JsonZone<'a>>,
}

#[derive(Serialize)]
struct JsonControl<'a> {
    id: &'a str,
    title: &'a str,
    source: &'a SourceRef,
    models: Vec<JsonModel<'a>>,
}

#[derive(Serialize)]
struct JsonModel<'a> {
    model: &'a str,
    /// customer | shared | provider, or null when the control does not apply.
    owner: Option<&'static str>,
    customer: Option<&'a str>,
    provider: Option<&'a ProviderPart>,
}

#[derive(Serialize)]
struct JsonService<'a> {
    id: &'a str,
    model: &'a str,
    title: &'a str,
    /// The Terraform resource types that create it.
    terraform: Vec<JsonTerraformType<'a>>,
}

#[derive(Serialize, Default)]
struct JsonTerraformType<'a> {
    resource: &'a str,
    /// The attribute naming the zone; null for a global resource.
    zone: Option<&'a str>,
    /// With `equals`: the type creates this service only when the attribute holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    equals: Option<&'a str>,
    /// For a type of another provider: the provider and endpoint it must point at.
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint: Option<String>,
}

#[derive(Serialize)]
struct JsonZone<'a> {
    id: &'a str,
    /// `country` and `city`.
    #[serde(flatten)]
    zone: &'a Zone,
}

fn json(matrix: &Matrix, models: &[&str]) -> String {
    let document = JsonMatrix {
        provider: &matrix.info.provider,
        title: &matrix.info.title,
        source: &matrix.info.source,
        version: matrix.info.version.as_deref(),
        retrieved: matrix.info.retrieved.as_ref().map(ToString::to_string),
        source_sha256: matrix.info.source_sha256.as_deref(),
        models: models.to_vec(),
        controls: matrix
            .controls
            .iter()
            .map(|control| JsonControl {
                id: &control.id,
                title: &control.title,
                source: &control.source,
                models: models
                    .iter()
                    .map(|model| {
                        let parts = control.parts.get(*model);
                        JsonModel {
                            model,
                            owner: owner_in(matrix, control, model).0.map(MatrixOwner::as_str),
                            customer: parts
                                .and_then(|parts| parts.customer.as_ref())
                                .map(|part| part.scope.as_str()),
                            provider: parts.and_then(|parts| parts.provider.as_ref()),
                        }
                    })
                    .collect(),
            })
            .collect(),
        services: matrix
            .services
            .iter()
            .filter(|(_, service)| models.contains(&service.model.as_str()))
            .map(|(id, service)| JsonService {
                id,
                model: &service.model,
                title: &service.title,
                terraform: service
                    .terraform
                    .iter()
                    .map(|entry| JsonTerraformType {
                        resource: &entry.resource,
                        zone: entry.zone.as_deref(),
                        attribute: entry.attribute.as_deref(),
                        equals: entry.equals.as_deref(),
                        ..JsonTerraformType::default()
                    })
                    .chain(
                        matrix
                            .terraform
                            .endpoints_for(id)
                            .map(|(resource, endpoint)| JsonTerraformType {
                                resource,
                                provider: Some(&endpoint.provider),
                                endpoint: Some(format!(
                                    "{} = {}{{zone}}{}",
                                    endpoint.endpoint, endpoint.prefix, endpoint.suffix
                                )),
                                ..JsonTerraformType::default()
                            }),
                    )
                    .collect(),
            })
            .collect(),
        zones: matrix
            .zones
            .iter()
            .map(|(id, zone)| JsonZone { id, zone })
            .collect(),
    };
    crate::text::json::document(&document)
}
