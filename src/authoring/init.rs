//! `srmlint init`: the starter controls file for a deployment, with every claim the
//! matrix says the customer owes already in place, so a newcomer fills in names and
//! evidence instead of working out the Shared Responsibility Model by hand.
//! Builds text from the matrix; the command line decides where it goes.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::data::matrix::{Control, Matrix, MatrixOwner};
use crate::data::scope::DeploymentScope;
use crate::diag::Error;
use crate::input::terraform::deployed::{ServiceOf, ZoneOf, service_of, zone_of};
use crate::input::terraform::{self, ProblemKind};
use crate::render::oscal::relative_path;
use crate::text::escape::{toml_array, toml_comment, toml_key, toml_string};
use crate::text::fs::{self, RepoRoots};
use crate::text::suggest;

/// The path `#:schema` points at, relative to the controls file (taplo resolves a
/// relative directive against the document's own location).
pub const DEFAULT_SCHEMA_REFERENCE: &str = "./controls.schema.json";

/// What the user asked `init` for.
#[derive(Debug, Clone, Default)]
pub struct InitRequest {
    pub name: String,
    pub services: Vec<String>,
    pub zones: Vec<String>,
    pub residency: Option<String>,
    pub regulated: Vec<String>,
    /// Framework ids offered in a comment, for `srmlint report`.
    pub frameworks: Vec<String>,
    /// What the `#:schema` directive points at; `None` writes no directive.
    pub schema_reference: Option<String>,
    /// Terraform sources as the file writes them in `terraform`: each a TOML value, a
    /// path relative to the file's folder or a table with its var files and workspace.
    pub terraform: Vec<String>,
    /// Zones the Terraform sets that could not be evaluated, each named (`var.zone`
    /// at infra/main.tf:4): written as a comment beside `zones`.
    pub unresolved_zones: Vec<String>,
    /// Var files read that lie outside the repository, as given: a controls file
    /// cannot name them, so a comment beside `terraform` does.
    pub outside_var_files: Vec<String>,
}

/// What the deployment owes or inherits for one control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Obligation {
    /// The customer has a part: an entry with this owner word (`customer` or `shared`).
    Claim(MatrixOwner),
    /// Only the provider has a part: acknowledged with this owner-word party.
    Acknowledge(String),
}

/// The obligation of every control that applies to the services in use, in matrix
/// order; controls no model in use involves are left out.
pub fn obligations<'m>(
    matrix: &'m Matrix,
    services: &BTreeSet<String>,
) -> Vec<(&'m Control, Obligation)> {
    let scope = DeploymentScope::of_ids(matrix, services);
    let models: Vec<&str> = scope.model_ids().collect();
    matrix
        .controls
        .iter()
        .filter_map(|control| {
            let owner = matrix.owner_over(control, models.iter().copied(), services)?;
            let obligation = match owner {
                MatrixOwner::Customer | MatrixOwner::Shared => Obligation::Claim(owner),
                MatrixOwner::Provider => {
                    Obligation::Acknowledge(matrix.acknowledging_party(control, &models, services)?)
                }
            };
            Some((control, obligation))
        })
        .collect()
}

/// What `init` wrote: the file's text, and how many claims are left to fill in.
#[derive(Debug, Clone)]
pub struct Starter {
    pub text: String,
    pub claims: usize,
}

/// Checks the request against the matrix and writes the controls file.
pub fn render(matrix: &Matrix, request: &InitRequest) -> Result<Starter, Error> {
    // The directive is one comment line; a line break would end it and inject TOML.
    if let Some(reference) = &request.schema_reference
        && (reference.trim().is_empty() || reference.chars().any(char::is_control))
    {
        return Err(Error::new(format!(
            "the schema reference {reference:?} must be a path or URL on one line"
        )));
    }
    let services = validate_ids(
        "services",
        &request.services,
        matrix.services.keys().map(String::as_str),
        &service_listing(matrix),
        |id| matrix.service_of_alias(id),
    )?;
    // Terraform of global resources only (DNS, security groups) runs in no zone.
    let zones = if request.zones.is_empty() && !request.terraform.is_empty() {
        Vec::new()
    } else {
        validate_ids(
            "zones",
            &request.zones,
            matrix.zones.keys().map(String::as_str),
            &zone_listing(matrix),
            |_| None,
        )?
    };
    if let Some(residency) = &request.residency {
        validate_residency(matrix, residency, &zones)?;
    }
    let in_use: BTreeSet<String> = services.iter().cloned().collect();
    let scope = DeploymentScope::of_ids(matrix, &services);
    let models = scope.models_in_file_order();
    let obligations = obligations(matrix, &in_use);

    let mut out = String::new();
    if let Some(reference) = &request.schema_reference {
        let _ = writeln!(out, "#:schema {reference}");
    }
    let _ = writeln!(
        out,
        "# Who owns each security control of this deployment, checked by srmlint against\n\
         # the {}. Written by `srmlint init`: name who is\n\
         # accountable for each claim, cite evidence, then run `srmlint check`.",
        matrix.info.title
    );
    out.push('\n');
    out.push_str("[deployment]\n");
    let _ = writeln!(out, "name = {}", toml_string(&request.name));
    let _ = writeln!(out, "provider = {}", toml_string(&matrix.info.provider));
    let _ = writeln!(out, "services = {}", toml_array(&services));
    if !request.unresolved_zones.is_empty() {
        let _ = writeln!(
            out,
            "# Zones srmlint could not evaluate from the Terraform: {}.\n\
             # Add the zones they take here, or give them values (a var file, `--var`, a plan JSON).",
            // One comment line: a name holding a line break must not end it.
            crate::text::escape::escape_inline(&request.unresolved_zones.join(", "))
        );
    }
    if zones.is_empty() {
        // An empty list would say "runs nowhere"; leaving the key out leaves it open.
        if request.unresolved_zones.is_empty() {
            out.push_str("# zones: the Terraform's resources run in no zone\n");
        } else {
            out.push_str("# zones = [\"...\"]\n");
        }
    } else {
        let _ = writeln!(out, "zones = {}", toml_array(&zones));
    }
    if let Some(residency) = &request.residency {
        let _ = writeln!(out, "residency = {}", toml_string(residency));
    }
    if !request.regulated.is_empty() {
        let _ = writeln!(
            out,
            "regulated = {}",
            toml_array(&dedup(&request.regulated))
        );
    }
    if !request.outside_var_files.is_empty() {
        let _ = writeln!(
            out,
            "# `srmlint init` also read these var files, outside the repository, where a controls\n\
             # file names none: {}. `check` reads the Terraform without them: copy them into\n\
             # the repository and name them in `var_files` to read it as `init` did.",
            crate::text::escape::escape_inline(&request.outside_var_files.join(", "))
        );
    }
    if !request.terraform.is_empty() {
        let _ = writeln!(out, "terraform = [{}]", request.terraform.join(", "));
    }
    if !request.frameworks.is_empty() {
        let _ = writeln!(
            out,
            "# frameworks = {}   # the frameworks `srmlint report` maps claims to",
            toml_array(&request.frameworks)
        );
    }

    let is_claim = |(_, obligation): &&(_, Obligation)| matches!(obligation, Obligation::Claim(_));
    let claim_count = obligations.iter().filter(is_claim).count();
    if claim_count > 0 {
        out.push_str(
            "\n# ------------------------------------------------------------------------------\n\
             # Controls you owe. Each is yours (`customer`) or split with the provider\n\
             # (`shared`); the comment says what your part is.\n",
        );
    }
    for (control, obligation) in &obligations {
        if let Obligation::Claim(owner) = obligation {
            out.push('\n');
            out.push_str(&claim_block(matrix, control, *owner, &models, &in_use));
        }
    }

    if obligations.len() > claim_count {
        out.push_str(
            "\n# ------------------------------------------------------------------------------\n\
             # Controls the provider holds. Nothing to do but know them: these entries\n\
             # acknowledge that you inherit them, and reports list them as such.\n",
        );
    }
    for (control, obligation) in &obligations {
        if let Obligation::Acknowledge(party) = obligation {
            out.push('\n');
            toml_comment(&mut out, &control.title);
            part_comments(&mut out, matrix, control, &models, &in_use);
            let _ = writeln!(out, "[controls.{}]", toml_key(&control.id));
            let _ = writeln!(out, "owner = {}", toml_string(party));
        }
    }
    Ok(Starter {
        text: out,
        claims: claim_count,
    })
}

/// The entry `init` writes for a control the customer owes: comments on what the
/// customer's part (and the provider's) is in each model in use, then the claim with
/// `owner`, `accountable = "TODO"` and no evidence, left for a person to fill in.
/// `check --fix --unsafe-fixes` adds the same block for a missing claim (SRM001).
pub fn claim_block(
    matrix: &Matrix,
    control: &Control,
    owner: MatrixOwner,
    models: &[&str],
    in_use: &BTreeSet<String>,
) -> String {
    let mut out = String::new();
    toml_comment(&mut out, &format!("{} ({})", control.title, owner.as_str()));
    part_comments(&mut out, matrix, control, models, in_use);
    let _ = writeln!(out, "[controls.{}]", toml_key(&control.id));
    let _ = writeln!(out, "owner = {}", toml_string(owner.as_str()));
    out.push_str("accountable = \"TODO\"\n");
    out.push_str("evidence = []\n");
    out
}

/// A comment line for each part of `control` in each model in use: the customer's,
/// then the provider's.
fn part_comments(
    out: &mut String,
    matrix: &Matrix,
    control: &Control,
    models: &[&str],
    in_use: &BTreeSet<String>,
) {
    for model in models {
        let parts = matrix.effective_parts(control, model, in_use);
        let title = matrix.model_title(model);
        if let Some(customer) = parts.customer {
            toml_comment(out, &format!("{title}, you: {}", customer.scope));
        }
        if let Some(provider) = parts.provider {
            toml_comment(
                out,
                &provider_line(title, &provider.parties, &provider.scope),
            );
        }
    }
}

/// "DBaaS, exoscale/aiven: encrypt at the service endpoints". A scope that names
/// its parties itself ("Exoscale: compliance ...; Aiven, ...") is not prefixed with
/// them again.
fn provider_line(model_title: &str, parties: &[String], scope: &str) -> String {
    let names_a_party = scope.split_once(':').is_some_and(|(head, _)| {
        parties
            .iter()
            .any(|party| head.trim().eq_ignore_ascii_case(party))
    });
    if names_a_party {
        format!("{model_title}, {scope}")
    } else {
        format!("{model_title}, {}: {scope}", parties.join("/"))
    }
}

/// What to do after `init` wrote `shown` (already escaped for the terminal), the
/// steps the README's "Getting started" follows.
pub fn next_steps(shown: &str) -> String {
    format!(
        "Next steps:\n  \
         1. In each claim of {shown}, name who is `accountable`, say how (`implementation`) and cite `evidence`.\n  \
         2. srmlint check {shown}          (fails until every claim is filled in)\n  \
         3. srmlint check --fix {shown}    (corrects what srmlint is sure of)\n  \
         4. srmlint report {shown} --format html --output posture.html\n"
    )
}

/// What `init --terraform` read: the services and zones the infrastructure shows,
/// the sources as the new file names them, and notes on what could not be read.
#[derive(Debug, Clone, Default)]
pub struct FromTerraform {
    pub services: Vec<String>,
    pub zones: Vec<String>,
    /// Each source relative to the folder the controls file goes to, as a TOML value:
    /// with the var files and workspace it was read with, so `check` reads it the same.
    pub terraform: Vec<String>,
    /// What was not resolved (the user completes it by hand), one sentence each.
    pub notes: Vec<String>,
    /// Each zone that could not be evaluated, named once (`var.zone`, or the
    /// expression and where it is written).
    pub unresolved_zones: Vec<String>,
    /// The var files read that lie outside the repository, as given.
    pub outside_var_files: Vec<String>,
}

/// Reads the Terraform at `paths` (relative to the working directory) for a controls
/// file written to `output` (`None`: printed, so paths stay relative to the working
/// directory). A source that cannot be read, or a zone the catalog does not know, is
/// an error: the file would not pass `check`.
pub fn read_terraform(
    matrix: &Matrix,
    paths: &[PathBuf],
    output: Option<&Path>,
    vars: &terraform::VarSettings,
) -> Result<FromTerraform, Error> {
    let mut roots = RepoRoots::default();
    let output_dir = fs::absolute(output.map_or(Path::new("."), fs::folder_of));
    let mut found = FromTerraform::default();
    let mut services = BTreeSet::new();
    let mut zones = BTreeSet::new();
    let mut problems = Vec::new();
    for path in paths {
        terraform::check_command_line_path(path).map_err(Error::new)?;
        let shown = fs::display_path(path);
        let absolute = fs::absolute(path);
        let folder = fs::dir_of(&absolute);
        let root = roots.root_of(&folder).unwrap_or(folder);
        let inventory = terraform::read(
            terraform::Located::at(absolute.clone()),
            &shown,
            &root,
            &matrix.terraform,
            vars,
        )
        .map_err(|why| Error::new(format!("the Terraform source `{shown}` {why}")))?;
        let place_in = |file: usize, offset: usize| {
            let read = &inventory.files[file];
            format!("{}:{}", read.path, read.source.position(offset).line)
        };
        for problem in &inventory.problems {
            let place = problem.file.map_or_else(
                || inventory.shown.clone(),
                |file| place_in(file, problem.span.start),
            );
            match problem.kind {
                ProblemKind::Invalid => problems.push(format!("{place}: {}", problem.message)),
                ProblemKind::NotChecked => {
                    found.notes.push(format!("{place}: {}", problem.message))
                }
            }
        }
        for resource in &inventory.resources {
            let place = place_in(resource.file, resource.header.start);
            let left_out = match service_of(resource, &matrix.terraform) {
                ServiceOf::Service(service) => {
                    services.insert(service.to_owned());
                    None
                }
                ServiceOf::Serviceless => continue,
                ServiceOf::Unmapped => Some(format!(
                    "`{}` is a type the catalog does not know; it is left out",
                    resource.resource_type
                )),
                ServiceOf::UnknownValue { attribute, value } => Some(format!(
                    "`{}` has `{attribute} = \"{value}\"`, which maps to no service; it is left out",
                    resource.address
                )),
                ServiceOf::Undecided { attribute, .. } => Some(format!(
                    "the `{attribute}` of `{}` is not known statically; add its service by hand",
                    resource.address
                )),
            };
            if let Some(note) = left_out {
                found.notes.push(format!("{place}: {note}"));
                continue;
            }
            let Some((_, zone)) = zone_of(resource, &matrix.terraform) else {
                continue;
            };
            match zone {
                ZoneOf::Runs { value, .. } if matrix.zones.contains_key(value) => {
                    zones.insert(value.to_owned());
                }
                ZoneOf::Runs { value, .. } => problems.push(format!(
                    "{place}: `{}` runs in `{value}`, which is not a zone of the catalog{}",
                    resource.address,
                    suggest::hint(value, matrix.zones.keys().map(String::as_str))
                )),
                ZoneOf::Unresolved { variable, why } => {
                    let named = match variable {
                        Some(variable) => format!("`var.{variable}`"),
                        None => format!("the zone of `{}` ({place})", resource.address),
                    };
                    if !found.unresolved_zones.contains(&named) {
                        found.notes.push(format!(
                            "{place}: the zone of `{}` cannot be evaluated ({why}); add it to `zones` by hand",
                            resource.address
                        ));
                        found.unresolved_zones.push(named);
                    }
                }
                ZoneOf::Unset => found.notes.push(format!(
                    "{place}: `{}` sets no zone; add its zone to `zones` by hand",
                    resource.address
                )),
            }
        }
        let path = toml_string(&relative_path(&output_dir, &absolute).unwrap_or(shown));
        let entry = source_entry(path, &output_dir, &root, vars, &mut found.outside_var_files);
        found.terraform.push(entry);
    }
    if !problems.is_empty() {
        return Err(Error::new(format!(
            "the Terraform cannot be used as it is:\n  {}",
            // One line each: a resource name holding a line break cannot start a
            // line of its own (a CI log reads `::error ...` at a line's start).
            problems
                .iter()
                .map(|problem| crate::text::escape::escape_inline(problem))
                .collect::<Vec<_>>()
                .join("\n  ")
        )));
    }
    if (vars.inputs.iter()).any(|input| matches!(input, terraform::VarInput::Value { .. })) {
        found.notes.push("a `--var` value is not written to the file, which has no place for one: set it in a var file for `check` to read it as `init` did".to_owned());
    }
    for shown in &found.outside_var_files {
        found.notes.push(format!(
            "the var file `{shown}` lies outside the repository, where a controls file names none: the file names the Terraform without it; copy it into the repository and name it in `var_files` for `check` to read the Terraform as `init` did"
        ));
    }
    found.services = services.into_iter().collect();
    found.zones = zones.into_iter().collect();
    Ok(found)
}

/// A source as the controls file names it: its `path` (a TOML string) alone, or a
/// table with the var files (relative to `output_dir`) and workspace it was read with.
/// A `--var` has no place in the file and is left out (`read_terraform`'s caller says
/// so), as is a var file outside the repository `root` (added to `outside`).
fn source_entry(
    path: String,
    output_dir: &Path,
    root: &Path,
    vars: &terraform::VarSettings,
    outside: &mut Vec<String>,
) -> String {
    let canonical_root = root.canonicalize().ok();
    let mut var_files = Vec::new();
    for input in &vars.inputs {
        let terraform::VarInput::File { shown, path, .. } = input else {
            continue;
        };
        let inside = path.as_ref().map_or(true, |path| {
            path.starts_with(root)
                || canonical_root
                    .as_ref()
                    .is_some_and(|root| path.starts_with(root))
        });
        if !inside {
            if !outside.contains(shown) {
                outside.push(shown.clone());
            }
            continue;
        }
        var_files.push(
            (path.as_ref().ok())
                .and_then(|path| relative_path(output_dir, path))
                .unwrap_or_else(|| shown.clone()),
        );
    }
    if var_files.is_empty() && vars.workspace.is_none() {
        return path;
    }
    let mut entry = format!("{{ path = {path}");
    if !var_files.is_empty() {
        entry.push_str(&format!(", var_files = {}", toml_array(&var_files)));
    }
    if let Some(workspace) = &vars.workspace {
        entry.push_str(&format!(", workspace = {}", toml_string(workspace)));
    }
    entry + " }"
}

/// The ids given for `--services` or `--zones` (`kind`), each one the catalog knows,
/// without repeats, in the order given; the error lists the catalog and suggests the
/// id an unknown one is another name for (`alias`), else the closest spelling.
fn validate_ids<'a>(
    kind: &str,
    given: &[String],
    known: impl Iterator<Item = &'a str> + Clone,
    listing: &str,
    alias: impl Fn(&str) -> Option<&'a str>,
) -> Result<Vec<String>, Error> {
    if given.is_empty() {
        let what = if kind == "services" {
            "services the deployment uses"
        } else {
            "zones the deployment runs in"
        };
        return Err(Error::new(format!(
            "name the {what} with --{kind}; {kind} are:\n{listing}"
        )));
    }
    for id in given {
        if !known.clone().any(|candidate| candidate == id) {
            return Err(Error::new(format!(
                "unknown {} `{id}`{}\n{kind} are:\n{listing}",
                kind.trim_end_matches('s'),
                suggest::hint_or_alias(id, alias(id), known.clone())
            )));
        }
    }
    Ok(dedup(given))
}

fn validate_residency(matrix: &Matrix, residency: &str, zones: &[String]) -> Result<(), Error> {
    let regions: Vec<&str> = matrix.regions.keys().map(String::as_str).collect();
    let Ok(countries) = matrix.residency_countries(residency) else {
        return Err(Error::new(format!(
            "`{residency}` is not a residency: use an ISO country code (CH), a region ({}), or several joined with `+`",
            regions.join(", ")
        )));
    };
    for zone in zones {
        let country = &matrix.zones[zone].country;
        if !countries.contains(country) {
            return Err(Error::new(format!(
                "zone `{zone}` is in {country}, outside the residency `{residency}`"
            )));
        }
    }
    Ok(())
}

/// One line a service: id, model and title, for messages that list the catalog.
pub fn service_listing(matrix: &Matrix) -> String {
    let width = matrix.services.keys().map(String::len).max().unwrap_or(0);
    let mut listing = String::new();
    for (id, service) in &matrix.services {
        let _ = writeln!(
            listing,
            "  {id:<width$}  {:<6}  {}",
            service.model, service.title
        );
    }
    listing
}

/// One line a zone: id, city and country.
pub fn zone_listing(matrix: &Matrix) -> String {
    let width = matrix.zones.keys().map(String::len).max().unwrap_or(0);
    let mut listing = String::new();
    for (id, zone) in &matrix.zones {
        let _ = writeln!(listing, "  {id:<width$}  {}, {}", zone.city, zone.country);
    }
    listing
}

/// The folder name the controls file goes to, as a readable default deployment name.
pub fn default_deployment_name(output: Option<&Path>) -> String {
    let folder = match output {
        None => std::env::current_dir().ok(),
        Some(output) => {
            let parent = output
                .parent()
                .filter(|parent| !parent.as_os_str().is_empty());
            parent
                .map(Path::to_path_buf)
                .or_else(|| std::env::current_dir().ok())
                .and_then(|folder| folder.canonicalize().ok())
        }
    };
    folder
        .and_then(|folder| {
            folder
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "my-deployment".to_owned())
}

/// Where `#:schema ./controls.schema.json` resolves for a file written to `output`.
pub fn schema_beside(output: &Path) -> String {
    match output
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        Some(parent) => parent.join("controls.schema.json").display().to_string(),
        None => "controls.schema.json".to_owned(),
    }
}

/// `items` without repeats, each where it first stands.
pub fn dedup(items: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    items
        .iter()
        .filter(|item| seen.insert(item.as_str()))
        .cloned()
        .collect()
}
