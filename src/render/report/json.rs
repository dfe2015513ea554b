//! The posture report as JSON for GRC tools: the report model serialized as is, with
//! the tool's name and version in front. The shape is documented in
//! `docs/report-json.md`; fields are added, never renamed.

use serde::Serialize;

use crate::posture::PostureReport;

#[derive(Serialize)]
struct Document<'a> {
    tool: Tool,
    #[serde(flatten)]
    report: &'a PostureReport,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

pub fn render(report: &PostureReport) -> String {
    let document = Document {
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        report,
    };
    let mut text = crate::text::json::to_string_pretty(&document);
    text.push('\n');
    text
}
