//! `srmlint init`: the starter controls file for a deployment, with every claim the
//! matrix says the customer owes already in place, so a newcomer fills in names and
//! evidence instead of working out the Shared Responsibility Model by hand.
//! Pure: builds text from the matrix; `main.rs` decides where it goes.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::matrix::{Control, Matrix, MatrixOwner};
use crate::suggest;

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
    /// What the `#:schema` directive points at.
    pub schema_reference: String,
}

/// A request the matrix cannot serve: unknown ids, or zones outside the residency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitError(pub String);

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InitError {}

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
    let models = models_in_use(matrix, services);
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

/// The models the services belong to, each once, in the order the services bring
/// them in.
fn models_in_use<'m, 's>(
    matrix: &'m Matrix,
    services: impl IntoIterator<Item = &'s String>,
) -> Vec<&'m str> {
    let mut models: Vec<&str> = Vec::new();
    for service in services {
        if let Some(model) = matrix.model_of_service(service)
            && !models.contains(&model)
        {
            models.push(model);
        }
    }
    models
}

/// Checks the request against the matrix and writes the controls file.
pub fn render(matrix: &Matrix, request: &InitRequest) -> Result<String, InitError> {
    // The directive is one comment line; a line break would end it and inject TOML.
    let reference = &request.schema_reference;
    if reference.trim().is_empty() || reference.chars().any(char::is_control) {
        return Err(InitError(format!(
            "the schema reference {reference:?} must be a path or URL on one line"
        )));
    }
    let services = validate_services(matrix, &request.services)?;
    let zones = validate_zones(matrix, &request.zones)?;
    if let Some(residency) = &request.residency {
        validate_residency(matrix, residency, &zones)?;
    }
    let in_use: BTreeSet<String> = services.iter().cloned().collect();
    let models = models_in_use(matrix, &services);
    let obligations = obligations(matrix, &in_use);

    let mut out = String::new();
    let _ = writeln!(out, "#:schema {}", request.schema_reference);
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
    let _ = writeln!(out, "zones = {}", toml_array(&zones));
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
    if !request.frameworks.is_empty() {
        let _ = writeln!(
            out,
            "# frameworks = {}   # the frameworks `srmlint report` maps claims to",
            toml_array(&request.frameworks)
        );
    }

    let claims: Vec<_> = obligations
        .iter()
        .filter_map(|(control, obligation)| match obligation {
            Obligation::Claim(owner) => Some((*control, *owner)),
            Obligation::Acknowledge(_) => None,
        })
        .collect();
    let acknowledged: Vec<_> = obligations
        .iter()
        .filter_map(|(control, obligation)| match obligation {
            Obligation::Acknowledge(party) => Some((*control, party.as_str())),
            Obligation::Claim(_) => None,
        })
        .collect();

    if !claims.is_empty() {
        out.push_str(
            "\n# ------------------------------------------------------------------------------\n\
             # Controls you owe. Each is yours (`customer`) or split with the provider\n\
             # (`shared`); the comment says what your part is.\n",
        );
    }
    for (control, owner) in claims {
        out.push('\n');
        comment(&mut out, &format!("{} ({})", control.title, owner.as_str()));
        for model in &models {
            let parts = matrix.effective_parts(control, model, &in_use);
            let title = model_title(matrix, model);
            if let Some(customer) = parts.customer {
                comment(&mut out, &format!("{title}, you: {}", customer.scope));
            }
            if let Some(provider) = parts.provider {
                comment(
                    &mut out,
                    &format!(
                        "{title}, {}: {}",
                        provider.parties.join("/"),
                        provider.scope
                    ),
                );
            }
        }
        let _ = writeln!(out, "[controls.{}]", toml_key(&control.id));
        let _ = writeln!(out, "owner = {}", toml_string(owner.as_str()));
        out.push_str("accountable = \"TODO\"\n");
        out.push_str("evidence = []\n");
    }

    if !acknowledged.is_empty() {
        out.push_str(
            "\n# ------------------------------------------------------------------------------\n\
             # Controls the provider holds. Nothing to do but know them: these entries\n\
             # acknowledge that you inherit them, and reports list them as such.\n",
        );
    }
    for (control, party) in acknowledged {
        out.push('\n');
        comment(&mut out, &control.title);
        for model in &models {
            if let Some(provider) = matrix.effective_parts(control, model, &in_use).provider {
                comment(
                    &mut out,
                    &format!(
                        "{}, {}: {}",
                        model_title(matrix, model),
                        provider.parties.join("/"),
                        provider.scope
                    ),
                );
            }
        }
        let _ = writeln!(out, "[controls.{}]", toml_key(&control.id));
        let _ = writeln!(out, "owner = {}", toml_string(party));
    }
    Ok(out)
}

/// Comment lines are wrapped here, so the file reads well in an 80-column editor.
const COMMENT_WIDTH: usize = 88;

/// Writes `text` as `# ` comment lines, wrapped at word boundaries; continuation lines
/// are indented so each scope reads as one item.
fn comment(out: &mut String, text: &str) {
    let mut line = String::from("#");
    for word in text.split_whitespace() {
        if line.len() > 2 && line.chars().count() + 1 + word.chars().count() > COMMENT_WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#  ");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
}

/// The services, each known to the catalog, without repeats, in the order given.
fn validate_services(matrix: &Matrix, services: &[String]) -> Result<Vec<String>, InitError> {
    if services.is_empty() {
        return Err(InitError(format!(
            "name the services the deployment uses with --services; services are:\n{}",
            service_listing(matrix)
        )));
    }
    for service in services {
        if !matrix.services.contains_key(service) {
            return Err(InitError(format!(
                "unknown service `{service}`{}\nservices are:\n{}",
                suggest::hint(service, matrix.services.keys().map(String::as_str)),
                service_listing(matrix)
            )));
        }
    }
    Ok(dedup(services))
}

fn validate_zones(matrix: &Matrix, zones: &[String]) -> Result<Vec<String>, InitError> {
    if zones.is_empty() {
        return Err(InitError(format!(
            "name the zones the deployment runs in with --zones; zones are:\n{}",
            zone_listing(matrix)
        )));
    }
    for zone in zones {
        if !matrix.zones.contains_key(zone) {
            return Err(InitError(format!(
                "unknown zone `{zone}`{}\nzones are:\n{}",
                suggest::hint(zone, matrix.zones.keys().map(String::as_str)),
                zone_listing(matrix)
            )));
        }
    }
    Ok(dedup(zones))
}

fn validate_residency(matrix: &Matrix, residency: &str, zones: &[String]) -> Result<(), InitError> {
    let regions: Vec<&str> = matrix.regions.keys().map(String::as_str).collect();
    let Some(countries) = matrix.residency_countries(residency) else {
        return Err(InitError(format!(
            "`{residency}` is not a residency: use an ISO country code (CH), a region ({}), or several joined with `+`",
            regions.join(", ")
        )));
    };
    for zone in zones {
        let country = &matrix.zones[zone].country;
        if !countries.contains(country) {
            return Err(InitError(format!(
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

fn model_title<'m>(matrix: &'m Matrix, model: &'m str) -> &'m str {
    matrix
        .models
        .get(model)
        .map_or(model, |known| known.title.as_str())
}

fn dedup(items: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    items
        .iter()
        .filter(|item| seen.insert(item.as_str()))
        .cloned()
        .collect()
}

/// A one-line TOML basic string: quotes, backslashes and control characters escaped,
/// so any name or id round-trips and none can end the line.
fn toml_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A table key: bare when TOML allows it, quoted otherwise (ids come from a matrix file).
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        key.to_owned()
    } else {
        toml_string(key)
    }
}

fn toml_array(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| toml_string(item)).collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::{Obligation, comment, obligations, toml_key, toml_string};
    use crate::matrix::{Matrix, MatrixOwner};

    fn owed(services: &[&str]) -> Vec<(String, Obligation)> {
        let matrix = Matrix::embedded();
        let services: BTreeSet<String> = services.iter().map(|s| (*s).to_owned()).collect();
        obligations(&matrix, &services)
            .into_iter()
            .map(|(control, obligation)| (control.id.clone(), obligation))
            .collect()
    }

    fn obligation_of<'a>(owed: &'a [(String, Obligation)], id: &str) -> Option<&'a Obligation> {
        owed.iter()
            .find(|(control, _)| control == id)
            .map(|(_, obligation)| obligation)
    }

    #[test]
    fn compute_alone_owns_encryption_at_rest_and_skips_nothing_iaas() {
        let owed = owed(&["compute"]);
        assert_eq!(
            obligation_of(&owed, "encryption-at-rest"),
            Some(&Obligation::Claim(MatrixOwner::Customer))
        );
        assert_eq!(
            obligation_of(&owed, "workload-operations"),
            Some(&Obligation::Claim(MatrixOwner::Customer))
        );
        assert_eq!(
            obligation_of(&owed, "physical-security"),
            Some(&Obligation::Acknowledge("exoscale".to_owned()))
        );
        assert_eq!(owed.len(), 18);
    }

    #[test]
    fn object_storage_makes_encryption_at_rest_shared() {
        let owed = owed(&["compute", "object-storage"]);
        assert_eq!(
            obligation_of(&owed, "encryption-at-rest"),
            Some(&Obligation::Claim(MatrixOwner::Shared))
        );
    }

    #[test]
    fn dbaas_only_leaves_out_workload_operations() {
        let owed = owed(&["dbaas-pg"]);
        assert_eq!(obligation_of(&owed, "workload-operations"), None);
        assert_eq!(
            obligation_of(&owed, "backup-restore"),
            Some(&Obligation::Claim(MatrixOwner::Shared))
        );
    }

    #[test]
    fn comments_wrap_and_never_leave_the_comment() {
        let mut out = String::new();
        let long = "word ".repeat(40);
        comment(
            &mut out,
            &format!("{long}\n[controls.injected]\nowner = \"customer\""),
        );
        assert!(out.lines().count() > 2);
        for line in out.lines() {
            assert!(
                line.starts_with('#') && line.chars().count() <= 88,
                "{line:?}"
            );
        }
        assert!(toml::from_str::<toml::Table>(&out).unwrap().is_empty());
    }

    #[test]
    fn odd_control_ids_are_quoted_keys() {
        assert_eq!(toml_key("backup-restore"), "backup-restore");
        assert_eq!(toml_key("a.b"), "\"a.b\"");
        assert_eq!(toml_key("x]\n[y"), "\"x]\\u000A[y\"");
        let line = format!("{} = {}", toml_key("a\"b\\"), toml_string("é\u{7f}\t"));
        let parsed: toml::Table = toml::from_str(&line).unwrap();
        assert_eq!(parsed["a\"b\\"].as_str(), Some("é\u{7f}\t"));
    }
}
