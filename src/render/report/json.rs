//! The posture report as JSON for GRC tools: the report model serialized as is, with
//! the tool's name and version in front. The shape is documented in
//! `docs/report-json.md`; fields are added, never renamed.

use serde::Serialize;

use crate::posture::PostureReport;
use crate::render::json::{TOOL, Tool};

#[derive(Serialize)]
struct Document<'a> {
    tool: Tool,
    #[serde(flatten)]
    report: &'a PostureReport,
}

pub fn render(report: &PostureReport) -> String {
    crate::text::json::document(&Document { tool: TOOL, report })
}
