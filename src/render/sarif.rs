//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//!
//! `driver.rules` lists every rule that can fire in the run (built-in and loaded), with
//! its documentation as help, so a viewer explains any result. Results point at
//! repository-relative URIs with 1-based regions whose end is exclusive, as SARIF's
//! are; columns count Unicode code points (`columnKind`). `partialFingerprints` hold
//! the line-independent fingerprint of `output::fingerprint`. A waived finding keeps
//! its result and carries a `suppressions` entry with the waiver's reason, so code
//! scanning shows it as dismissed instead of losing it.

use std::collections::HashMap;

use serde::Serialize;

use crate::check::{RunError, RunReport};
use crate::data::matrix::Matrix;
use crate::diag::RuleInfo;
use crate::diag::{Diagnostic, Severity};
use crate::text::fs::{self, RepoRoots};
use crate::text::source::Position;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    /// One invocation: whether the run did its whole job, and what stopped it.
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    /// Which matrix the run was judged against, so an uploaded result can be traced to
    /// the version of the provider's model it assumed.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties<'a>>,
}

#[derive(Serialize)]
struct RunProperties<'a> {
    matrix: MatrixProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MatrixProperties<'a> {
    provider: &'a str,
    title: &'a str,
    version: Option<&'a str>,
    retrieved: Option<String>,
    source_sha256: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    full_description: Text,
    help: Help<'a>,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Self { text }
    }
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    /// `built-in`, or the policy file a loaded rule came from.
    origin: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: PartialFingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix<'a>>,
    properties: ResultProperties<'a>,
}

/// A finding's fix: one artifact change per file it edits (the controls file, also
/// for a finding that lies in a Terraform file).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    description: Text,
    artifact_changes: Vec<ArtifactChange<'a>>,
    properties: FixProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: InsertedContent<'a>,
}

#[derive(Serialize)]
struct InsertedContent<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct FixProperties {
    /// `safe` (`check --fix` applies it) or `unsafe` (only with `--unsafe-fixes`).
    applicability: &'static str,
}

fn fixes(diagnostic: &Diagnostic) -> Vec<SarifFix<'_>> {
    let Some(fix) = &diagnostic.fix else {
        return Vec::new();
    };
    let mut changes: Vec<(&str, ArtifactChange<'_>)> = Vec::new();
    for edit in &fix.edits {
        let replacement = Replacement {
            deleted_region: Region::new(edit.start, edit.end),
            inserted_content: InsertedContent {
                text: &edit.content,
            },
        };
        match changes.iter_mut().find(|(file, _)| *file == edit.file) {
            Some((_, change)) => change.replacements.push(replacement),
            None => {
                let (uri, uri_base_id) = artifact_uri(&repository_relative(&edit.file));
                changes.push((
                    &edit.file,
                    ArtifactChange {
                        artifact_location: ArtifactLocation { uri, uri_base_id },
                        replacements: vec![replacement],
                    },
                ));
            }
        }
    }
    vec![SarifFix {
        description: Text::from(fix.message.clone()),
        artifact_changes: changes.into_iter().map(|(_, change)| change).collect(),
        properties: FixProperties {
            applicability: fix.applicability.as_str(),
        },
    }]
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

impl Region {
    fn new(start: Position, end: Position) -> Self {
        Self {
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

/// A place in the file at `path`, at `region` when there is one.
fn location(path: &str, region: Option<Region>) -> Location {
    let (uri, uri_base_id) = artifact_uri(&repository_relative(path));
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri, uri_base_id },
            region,
        },
    }
}

/// Keyed by `diag::fingerprint::FINGERPRINT_VERSION`, so a change of what is hashed shows
/// as a new key rather than as every finding changing identity.
#[derive(Serialize)]
struct PartialFingerprints {
    #[serde(rename = "srmlint-fingerprint/v1")]
    srmlint: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Suppression<'a> {
    kind: &'static str,
    status: &'static str,
    justification: &'a str,
    properties: SuppressionProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SuppressionProperties<'a> {
    approved_by: &'a str,
    expires: String,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    control: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    model: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    help: &'a str,
}

pub fn render(report: &RunReport, rules: &[RuleInfo]) -> String {
    render_with_matrix(report, rules, None)
}

/// `render`, with the matrix's provider, title, `version`, `retrieved` and
/// `source_sha256` in the run's `properties.matrix` (`srmlint check` always passes it).
pub fn render_with_matrix(
    report: &RunReport,
    rules: &[RuleInfo],
    matrix: Option<&Matrix>,
) -> String {
    let fingerprints = report.fingerprints();
    let results = report
        .diagnostics()
        .zip(fingerprints)
        .map(|(diagnostic, fingerprint)| result(diagnostic, fingerprint, rules))
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: rules.iter().map(rule).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: report.errors.is_empty(),
                tool_execution_notifications: report.errors.iter().map(notification).collect(),
            }],
            column_kind: "unicodeCodePoints",
            results,
            properties: matrix.map(|matrix| RunProperties {
                matrix: MatrixProperties {
                    provider: &matrix.info.provider,
                    title: &matrix.info.title,
                    version: matrix.info.version.as_deref(),
                    retrieved: matrix.info.retrieved.as_ref().map(ToString::to_string),
                    source_sha256: matrix.info.source_sha256.as_deref(),
                },
            }),
        }],
    };
    crate::text::json::document(&log)
}

/// A failure of the run as a SARIF notification, placed at its path when it has one.
fn notification(error: &RunError) -> Notification {
    Notification {
        level: "error",
        message: Text::from(error.message.clone()),
        locations: error.path.iter().map(|path| location(path, None)).collect(),
    }
}

fn rule(info: &RuleInfo) -> Rule<'_> {
    let full_description = first_section(&info.doc).unwrap_or_else(|| info.summary.clone());
    Rule {
        id: &info.code,
        name: &info.name,
        short_description: Text::from(info.summary.clone()),
        full_description: Text::from(full_description),
        help: Help {
            text: &info.doc,
            markdown: &info.doc,
        },
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: RuleProperties {
            origin: &info.origin,
        },
    }
}

fn result<'a>(
    diagnostic: &'a Diagnostic,
    fingerprint: String,
    rules: &[RuleInfo],
) -> SarifResult<'a> {
    SarifResult {
        rule_id: &diagnostic.code,
        rule_index: rules.iter().position(|rule| rule.code == diagnostic.code),
        level: level(diagnostic.severity),
        message: Text::from(diagnostic.message.clone()),
        locations: [location(
            &diagnostic.file,
            Some(Region::new(diagnostic.start, diagnostic.end)),
        )],
        partial_fingerprints: PartialFingerprints {
            srmlint: fingerprint,
        },
        suppressions: diagnostic
            .waiver
            .iter()
            .map(|waiver| Suppression {
                // The waiver lives in the controls file, outside the analysed code's
                // comments: SARIF calls that an external suppression.
                kind: "external",
                status: "accepted",
                justification: &waiver.reason,
                properties: SuppressionProperties {
                    approved_by: &waiver.approved_by,
                    expires: waiver.expires.to_string(),
                },
            })
            .collect(),
        fixes: fixes(diagnostic),
        properties: ResultProperties {
            name: &diagnostic.name,
            control: diagnostic.control.as_deref(),
            model: diagnostic.model.as_deref(),
            help: &diagnostic.help,
        },
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

thread_local! {
    /// Each path met so far, made repository-relative: a report names few files, each
    /// many times, and each is looked up on disk once.
    static RELATIVE: std::cell::RefCell<(RepoRoots, HashMap<String, String>)> =
        std::cell::RefCell::default();
}

/// `path` (as output shows it: relative to the folder srmlint ran in, or absolute)
/// relative to the root of its repository, which `%SRCROOT%` stands for: code scanning
/// matches results to the repository's files whatever folder srmlint ran in, and no
/// machine path is written. A path outside any repository, or naming nothing on disk
/// (`<stdin>`), is left as it is.
fn repository_relative(path: &str) -> String {
    RELATIVE.with(|known| {
        let (roots, known) = &mut *known.borrow_mut();
        let found = known.entry(path.to_owned()).or_insert_with(|| {
            let absolute = fs::absolute(std::path::Path::new(path));
            let root = (absolute.symlink_metadata().ok())
                .and_then(|_| roots.root_of(fs::folder_of(&absolute)));
            root.and_then(|root| Some(fs::display_path(absolute.strip_prefix(root).ok()?)))
                .filter(|inside| !inside.is_empty())
                .unwrap_or_else(|| path.to_owned())
        });
        found.clone()
    })
}

/// The URI of an output path (`/`-separated; see [`repository_relative`]): a relative
/// path stays relative (`%SRCROOT%`); an absolute one becomes a `file:` URI.
/// Characters outside RFC 3986's path characters are percent-encoded, and so is `:`,
/// which would otherwise read as a scheme in a relative reference.
pub fn artifact_uri(path: &str) -> (String, Option<&'static str>) {
    let encoded = percent_encode_path(path);
    if path.starts_with('/') {
        (format!("file://{encoded}"), None)
    } else if is_windows_absolute(path) {
        // Keep the drive letter's colon: `file:///C:/...`.
        (format!("file:///{}:{}", &path[..1], &encoded[4..]), None)
    } else {
        (
            encoded.strip_prefix("./").unwrap_or(&encoded).to_owned(),
            Some("%SRCROOT%"),
        )
    }
}

fn is_windows_absolute(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/'
}

fn percent_encode_path(path: &str) -> String {
    let keep = |c: char| c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=@".contains(c);
    crate::render::oscal::encode(path, keep)
}

/// The text of a rule documentation's first section (`What it checks`), as one
/// paragraph: SARIF's full description.
pub fn first_section(doc: &str) -> Option<String> {
    let body: Vec<&str> = doc
        .lines()
        .map(str::trim)
        .skip_while(|line| line.is_empty() || line.starts_with('#'))
        .take_while(|line| !line.starts_with('#'))
        .filter(|line| !line.is_empty())
        .collect();
    (!body.is_empty()).then(|| body.join(" "))
}
