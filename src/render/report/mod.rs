//! The posture report's formats: each renders the one `posture::PostureReport`, so
//! Markdown, HTML and JSON can never disagree.

mod content;
mod doc;
pub mod html;
pub mod json;
pub mod markdown;

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
}

/// Renders `report` in `format`.
pub fn render(report: &PostureReport, format: ReportFormat) -> String {
    match format {
        ReportFormat::Markdown => markdown::render(report),
        ReportFormat::Html => html::render(report),
        ReportFormat::Json => json::render(report),
    }
}
