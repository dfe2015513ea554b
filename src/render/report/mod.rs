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

/// Output formats of `srmlint report` (what each is for: the command line's help).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Markdown,
    Html,
    Json,
    Oscal,
    Csv,
    Xlsx,
}

/// Renders `report` in `format`, written to `output` (`None`: standard output). OSCAL
/// also needs the matrix (the ids it shares with the matrix export) and fails for
/// anything but one deployment srmlint could judge; the plan's relative hrefs start
/// from the folder it is written into.
pub fn render(
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
                "XLSX is a binary format: write it with `xlsx::render` to a file",
            ));
        }
    })
}
