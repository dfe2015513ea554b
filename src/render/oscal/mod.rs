//! NIST OSCAL 1.2.3 output (docs/oscal.md): the matrix as the SSP of a leveraged system
//! (`srmlint matrix --format oscal`), srmlint's controls as a catalog (`--format
//! oscal-catalog`), a profile importing all of it (`--format oscal-profile`), a
//! framework crosswalk as a mapping collection (`--format oscal-mapping`), and one
//! checked deployment as the SSP of a leveraging system (`srmlint report --format
//! oscal`), built from the posture report so it says what every other report format
//! says. Ids are derived from names (`ids`), so the documents of one matrix version
//! reference each other without being read together. Documents reference each other
//! by relative hrefs, under the file names below, written side by side.

mod catalog;
mod evidence;
mod fields;
mod ids;
mod leveraged;
mod leveraging;
mod mapping;
mod model;
mod profile;

use serde::Serialize;

use crate::data::frameworks::Framework;
use crate::data::matrix::{Matrix, ProviderPart};
use crate::diag::Error;
use crate::posture::PostureReport;
use crate::text::date::Date;

pub use evidence::{Placement, relative_path};
pub(crate) use fields::encode;
pub use fields::{EMPTY, Line, href};
pub use ids::{NAMESPACE, ROOT, id_of};

use fields::markdown;
use ids::MatrixIds;
use model::{Metadata, Party, Prop, Role};

/// The file name the profile and the mappings give the catalog: save `srmlint matrix
/// --format oscal-catalog` under it, beside them.
pub const CATALOG_FILE: &str = "srmlint-catalog.json";

/// The file name both SSPs give the profile (`import-profile.href`).
pub const PROFILE_FILE: &str = "srmlint-profile.json";

/// The file name a deployment's SSP gives the matrix export.
pub const MATRIX_SSP_FILE: &str = "srmlint-matrix-ssp.json";

/// FedRAMP's namespace, of its `control-origination` property.
pub const FEDRAMP_NAMESPACE: &str = "https://fedramp.gov/ns/oscal";

/// The catalog of the matrix's controls, with the frameworks' crosswalks.
pub fn catalog(matrix: &Matrix, frameworks: &[Framework]) -> Result<String, Error> {
    export(matrix, frameworks, "catalog", |date| {
        catalog::build(matrix, frameworks, date)
    })
}

/// A profile importing every control of the catalog (`CATALOG_FILE`, beside it): the
/// baseline both SSPs import.
pub fn profile(matrix: &Matrix) -> Result<String, Error> {
    export(matrix, &[], "profile", |date| profile::build(matrix, date))
}

/// The crosswalk from the catalog to `framework`, as an OSCAL mapping collection.
pub fn mapping(matrix: &Matrix, framework: &Framework) -> Result<String, Error> {
    let frameworks = std::slice::from_ref(framework);
    export(matrix, frameworks, "mapping-collection", |date| {
        mapping::build(matrix, framework, date)
    })
}

/// The matrix as the SSP of the leveraged system.
pub fn matrix_ssp(matrix: &Matrix) -> Result<String, Error> {
    export(matrix, &[], SSP_KEY, |date| leveraged::build(matrix, date))
}

/// The member an SSP document holds its plan under.
const SSP_KEY: &str = "system-security-plan";

/// A document of the matrix, dated by it: `build`'s model under its one member `key`,
/// once the ids of the matrix and `frameworks` are known to be OSCAL tokens.
fn export<T: Serialize>(
    matrix: &Matrix,
    frameworks: &[Framework],
    key: &str,
    build: impl FnOnce(OscalDate) -> T,
) -> Result<String, Error> {
    fields::check_ids(matrix, frameworks)?;
    let model = build(matrix_date(matrix)?);
    Ok(document(key, &model))
}

/// `{"key": model}`: every OSCAL document is one object of one member.
fn document(key: &str, model: &impl Serialize) -> String {
    crate::text::json::document(&std::collections::BTreeMap::from([(key, model)]))
}

/// The SSP of the one deployment `report` holds, judged against `matrix`, to be written
/// where `placement` says (its evidence hrefs are relative to that folder). An error
/// when the report holds another number of deployments, or one that srmlint could not
/// judge (unreadable, another provider, no known service): an SSP without controls
/// would read as a system with nothing to do.
pub fn deployment_ssp(
    report: &PostureReport,
    matrix: &Matrix,
    placement: &Placement,
) -> Result<String, Error> {
    fields::check_ids(matrix, &[])?;
    let [deployment] = report.deployments.as_slice() else {
        let files: Vec<String> = report
            .deployments
            .iter()
            .map(|deployment| format!("`{}`", deployment.file))
            .collect();
        return Err(Error::new(format!(
            "`--format oscal` writes the SSP of one deployment, and {} controls files were \
             found: {}; name one of them",
            report.deployments.len(),
            files.join(", ")
        )));
    };
    let today = Date::parse(&report.today)
        .ok_or_else(|| Error::new(format!("the report date `{}` is not a date", report.today)))?;
    let report_date = oscal_date(today, "the report date")?;
    let matrix_date = matrix_date(matrix)?;
    let plan = leveraging::build(deployment, matrix, placement, report_date, matrix_date)?;
    Ok(document(SSP_KEY, &plan))
}

/// A date OSCAL can carry: its date patterns only know the years 1900 to 2999.
#[derive(Debug, Clone, Copy)]
struct OscalDate(Date);

impl OscalDate {
    /// `date-time` (`metadata.last-modified`): midnight UTC of the day.
    fn midnight(self) -> String {
        format!("{}T00:00:00Z", self.0)
    }

    /// `date`, and properties that carry a day.
    fn day(self) -> String {
        self.0.to_string()
    }
}

fn oscal_date(date: Date, what: &str) -> Result<OscalDate, Error> {
    if (1900..=2999).contains(&date.year) {
        Ok(OscalDate(date))
    } else {
        Err(Error::new(format!(
            "{what} {date} cannot be written to OSCAL, whose dates lie in the years 1900 to 2999"
        )))
    }
}

/// The matrix's `retrieved` date: the date of every document of the matrix (export,
/// catalog, profile, mappings), and a property of a deployment's provider components.
fn matrix_date(matrix: &Matrix) -> Result<OscalDate, Error> {
    let date = matrix
        .info
        .retrieved
        .and_then(|retrieved| retrieved.date)
        .and_then(|date| Date::new(i32::from(date.year), date.month, date.day))
        .ok_or_else(|| {
            Error::new(
                "cannot write OSCAL: the matrix's `[matrix]` table has no `retrieved` date \
                 (when the provider's text was read), and every OSCAL document needs one",
            )
        })?;
    oscal_date(date, "the matrix's `retrieved` date")
}

/// The matrix version as documents name it.
fn version_of(matrix: &Matrix) -> &str {
    matrix.info.version.as_deref().unwrap_or("unversioned")
}

/// The metadata of a document exported from the matrix: titled, dated and versioned
/// by the matrix, with its provenance and no roles or parties.
fn matrix_metadata(
    matrix: &Matrix,
    date: OscalDate,
    title: &str,
    remarks: Option<String>,
) -> Metadata {
    Metadata {
        title: Line::new(title),
        last_modified: date.midnight(),
        version: Line::new(version_of(matrix)),
        oscal_version: model::OSCAL_VERSION,
        props: provenance(matrix, date),
        roles: Vec::new(),
        parties: Vec::new(),
        remarks,
    }
}

/// What every document says about where it comes from.
fn provenance(matrix: &Matrix, date: OscalDate) -> Vec<Prop> {
    let info = &matrix.info;
    let mut props = vec![
        Prop::srmlint("generator", concat!("srmlint ", env!("CARGO_PKG_VERSION"))),
        Prop::srmlint("matrix-title", &info.title),
        Prop::srmlint("matrix-version", version_of(matrix)),
        Prop::srmlint("matrix-retrieved", &date.day()),
    ];
    if let Some(sha) = &info.source_sha256 {
        props.push(Prop::srmlint("matrix-source-sha256", sha));
    }
    props.push(Prop::srmlint("matrix-source", &info.source));
    props
}

const PROVIDER_ROLE: &str = "provider";

fn provider_role() -> Role {
    Role {
        id: PROVIDER_ROLE,
        title: Line::new("Provider: holds the provider part of a control"),
    }
}

/// A provider party, with the same UUID in every document of the provider.
fn party(matrix: &Matrix, ids: &MatrixIds, id: &str) -> Party {
    Party {
        uuid: ids.party(id),
        kind: "organization",
        name: Line::new(matrix.party_title(id)),
        short_name: Some(Line::new(id)),
        props: party_attestations(matrix, id),
        email_addresses: Vec::new(),
        remarks: None,
    }
}

/// An `attestation` property for each attestation the source names for the party `id`.
fn party_attestations(matrix: &Matrix, id: &str) -> Vec<Prop> {
    let attestations = matrix
        .parties
        .get(id)
        .map(|known| known.attestations.iter());
    let props = attestations.into_iter().flatten();
    props
        .map(|attestation| Prop::srmlint("attestation", attestation))
        .collect()
}

/// "Exoscale: ISO 27001, SOC 2, C5, HDS; Aiven (...): ISO 27001." for the parties of a
/// provider part that the source names attestations for; `None` when it names none.
fn attestations_sentence(matrix: &Matrix, parties: &[String]) -> Option<String> {
    let named: Vec<String> = parties
        .iter()
        .filter_map(|id| matrix.parties.get(id))
        .filter(|party| !party.attestations.is_empty())
        .map(|party| {
            // What the source scopes them to, so they are never read as covering more.
            let scope = party.attestation_scope.as_deref();
            let scope = scope.map_or(String::new(), |scope| format!(" ({})", markdown(scope)));
            format!(
                "{}: {}{scope}",
                markdown(&party.title),
                markdown(&party.attestations.join(", "))
            )
        })
        .collect();
    (!named.is_empty()).then(|| {
        format!(
            "Attestations the provider's document names for its parties: {}.",
            named.join("; ")
        )
    })
}

/// `attestation` properties of the parties of a provider part, each classed by party.
fn attestation_props(matrix: &Matrix, parties: &[String]) -> Vec<Prop> {
    parties
        .iter()
        .filter_map(|id| matrix.parties.get(id).map(|party| (id, party)))
        .flat_map(|(id, party)| {
            party
                .attestations
                .iter()
                .map(move |attestation| Prop::srmlint("attestation", attestation).class(id))
        })
        .collect()
}

/// The sentence on a provider part that exists only with some services.
fn condition_sentence(matrix: &Matrix, part: &ProviderPart) -> Option<String> {
    if part.when_services.is_empty() {
        return None;
    }
    let services: Vec<String> = part
        .when_services
        .iter()
        .map(|service| {
            let title = matrix
                .services
                .get(service)
                .map_or(service.as_str(), |s| &s.title);
            format!("{} (`{service}`)", markdown(title))
        })
        .collect();
    Some(format!(
        "This provider part exists only when the deployment uses {}; without it the \
         customer holds the control alone in this model.",
        services.join(" or ")
    ))
}

/// `import-profile` of both SSPs: the profile, written beside them.
fn import_profile() -> model::ImportProfile {
    model::ImportProfile {
        href: PROFILE_FILE.to_owned(),
    }
}
