//! The posture report's formats: each renders the one `posture::PostureReport`, so
//! Markdown, HTML, JSON and OSCAL can never disagree.

mod content;
pub mod csv;
mod doc;
pub mod html;
pub mod json;
pub mod markdown;
pub mod sheet;
pub mod xlsx;

use crate::data::matrix::Matrix;
use crate::diag::Error;
use crate::posture::PostureReport;

/// Output formats of `srmlint report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// GitHub-flavoured Markdown, fit for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    Markdown,
    /// One self-contained HTML file: inline CSS, no scripts, nothing fetched; prints to PDF.
    Html,
    /// The report as data, for GRC tools (shape in docs/report-json.md).
    Json,
    /// One deployment as an OSCAL 1.2.3 system security plan (docs/oscal.md).
    Oscal,
    /// One row per requirement of each framework, RFC 4180 (docs/report.md).
    Csv,
    /// A workbook with the ISO 27001 Statement of Applicability; needs --output (docs/report.md).
    Xlsx,
}

/// Renders `report` in `format`. OSCAL also needs the matrix (the ids it shares with
/// the matrix export) and fails for anything but one deployment srmlint could judge;
/// its evidence hrefs are relative to the working directory (see `render_to`).
pub fn render(
    report: &PostureReport,
    format: ReportFormat,
    matrix: &Matrix,
) -> Result<String, Error> {
    render_to(report, format, matrix, None)
}

/// `render` for a report written to `output` (`None`: standard output): the OSCAL
/// plan's relative hrefs start from the folder it is written into.
pub fn render_to(
    report: &PostureReport,
    format: ReportFormat,
    matrix: &Matrix,
    output: Option<&std::path::Path>,
) -> Result<String, Error> {
    let placement = || crate::render::oscal::Placement::for_output(output);
    Ok(match format {
        ReportFormat::Markdown => markdown::render(report),
        ReportFormat::Html => html::render(report),
        ReportFormat::Json => json::render(report),
        ReportFormat::Oscal => crate::render::oscal::deployment_ssp(report, matrix, &placement())?,
        ReportFormat::Csv => csv::render(report),
        ReportFormat::Xlsx => {
            return Err(Error::new(
                "XLSX is a binary format: write it with `render_bytes` to a file",
            ));
        }
    })
}

/// Renders `report` in `format` as bytes, written to `output` (`None`: standard
/// output): the workbook for XLSX, the text otherwise.
pub fn render_bytes(
    report: &PostureReport,
    format: ReportFormat,
    matrix: &Matrix,
    output: Option<&std::path::Path>,
) -> Result<Vec<u8>, Error> {
    match format {
        ReportFormat::Xlsx => xlsx::render(report),
        format => render_to(report, format, matrix, output).map(String::into_bytes),
    }
}
