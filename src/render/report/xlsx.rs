//! The report as an XLSX workbook: a cover sheet with what was assessed (the report's
//! `source`), one sheet per framework with a row per requirement, and for ISO/IEC
//! 27001:2022 the "Statement of Applicability". Every cell that carries text from the
//! input is a string cell, never a formula. The workbook is byte-for-byte reproducible:
//! its document dates are the report date, and the archive's entries carry a fixed time.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::sheet::{self, COLUMNS, Row, SOA_COLUMNS, SOA_FRAMEWORK, SOA_SHEET, with_file};
use crate::diag::Error;
use crate::posture::PostureReport;

/// The most characters a cell holds (Excel's limit).
const MAX_CELL_CHARS: usize = 32_767;

pub fn render(report: &PostureReport) -> Result<Vec<u8>, Error> {
    build(report).map_err(|error| Error::new(format!("cannot write the XLSX workbook: {error}")))
}

fn build(report: &PostureReport) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let date = ExcelDateTime::parse_from_str(&report.today)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title("Pre-audit posture report")
            .set_creation_datetime(&date),
    );
    let bold = Format::new().set_bold();
    let several = report.deployments.len() > 1;
    let rows = sheet::rows(report);

    let cover = workbook.add_worksheet();
    cover.set_name("Report")?;
    cover_sheet(cover, report, &bold)?;

    for (id, _) in sheet::frameworks(report) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&id))?;
        let header = with_file(several, "file", COLUMNS);
        let body = (rows.iter().filter(|row| row.framework == id))
            .map(|row| with_file(several, row.file.clone(), row.cells()));
        table(sheet, &header, body, &bold)?;
    }

    let soa: Vec<&Row> = rows
        .iter()
        .filter(|row| row.framework == SOA_FRAMEWORK)
        .collect();
    if !soa.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(SOA_SHEET)?;
        let header = with_file(several, "File", SOA_COLUMNS);
        let body = (soa.iter()).map(|row| with_file(several, row.file.clone(), row.soa_cells()));
        table(sheet, &header, body, &bold)?;
    }
    workbook.save_to_buffer()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(id: &str) -> String {
    id.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect()
}

/// A header row in bold, then the rows, every cell a string; frozen header, filter.
fn table(
    sheet: &mut Worksheet,
    header: &[&str],
    body: impl Iterator<Item = Vec<String>>,
    bold: &Format,
) -> Result<(), XlsxError> {
    for (column, name) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col(column), *name, bold)?;
        sheet.set_column_width(col(column), if column < 2 { 14 } else { 28 })?;
    }
    let mut last = 0;
    for (index, cells) in body.enumerate() {
        let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
        for (column, value) in cells.iter().enumerate() {
            sheet.write_string(row, col(column), cell(value))?;
        }
        last = row;
    }
    sheet.set_freeze_panes(1, 0)?;
    if last > 0 && !header.is_empty() {
        sheet.autofilter(0, 0, last, col(header.len() - 1))?;
    }
    Ok(())
}

fn col(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

/// Text as a cell holds it: characters XML cannot carry replaced, cut at Excel's limit.
fn cell(value: &str) -> String {
    let clean = value.replace(['\u{FFFE}', '\u{FFFF}'], "\u{FFFD}");
    if clean.chars().count() > MAX_CELL_CHARS {
        let mut cut: String = clean.chars().take(MAX_CELL_CHARS - 1).collect();
        cut.push('…');
        cut
    } else {
        clean
    }
}

/// What was assessed, as the JSON report's `source` says it, and the counts per framework.
fn cover_sheet(
    sheet: &mut Worksheet,
    report: &PostureReport,
    bold: &Format,
) -> Result<(), XlsxError> {
    let source = &report.source;
    let matrix = &source.matrix;
    let mut facts: Vec<(String, String)> = Vec::new();
    let mut fact = |term: &str, value: &str| facts.push((term.to_owned(), value.to_owned()));
    fact("Report", "Pre-audit posture report, written by srmlint");
    fact("Report date", &report.today);
    fact("srmlint", &source.srmlint);
    fact("Matrix", &matrix.title);
    let or_empty = |value: &Option<String>| value.clone().unwrap_or_default();
    fact("Matrix version", &or_empty(&matrix.version));
    fact("Matrix source read", &or_empty(&matrix.retrieved));
    let sha = or_empty(&matrix.source_sha256);
    fact("SHA-256 of the matrix's source text", &sha);
    for file in &source.files {
        let sha = file.sha256.as_ref();
        let mut sha = sha.map_or_else(|| "not read".to_owned(), |sha| format!("SHA-256 {sha}"));
        let deployment = report.deployments.iter().find(|d| d.file == file.path);
        if let Some(deployment) = deployment.filter(|d| !d.parsed) {
            sha = format!("{sha}; NOT ASSESSED: {}", sheet::unread(deployment));
        }
        fact(&format!("Controls file {}", file.path), &sha);
    }
    let commit = match (&source.git.commit, source.git.dirty) {
        (Some(commit), Some(false)) => format!("{commit} (the work tree matched it)"),
        (Some(commit), Some(true)) => format!("{commit} (the work tree differed from it)"),
        (Some(commit), None) => format!("{commit} (whether the work tree matched it is unknown)"),
        (None, _) => format!("none: {}", or_empty(&source.git.note)),
    };
    fact("Git commit", &commit);
    if source.overrides.is_empty() {
        let none = "none: every rule ran at its own level";
        fact("Rule levels changed by configuration", none);
    }
    for o in &source.overrides {
        let value = format!(
            "set to {} (its own level: {}) by {}; the statuses do not follow it",
            o.level,
            o.default.as_deref().unwrap_or("unknown"),
            o.file.as_deref().unwrap_or("the defaults")
        );
        fact(&format!("Rule level {}", o.code), &value);
    }
    for deployment in &report.deployments {
        for framework in &deployment.frameworks {
            let counts = framework.counts;
            let parts: Vec<String> = crate::posture::RequirementStatus::ALL
                .iter()
                .map(|status| format!("{} {}", counts.count(*status), status.label()))
                .collect();
            let value = format!("{} requirements: {}", counts.total, parts.join(", "));
            let title = &framework.info.title;
            fact(&format!("{}: {title}", deployment.file), &value);
        }
    }
    fact(
        "What this workbook does not claim",
        "A status is srmlint's reading of the controls file against the provider's responsibility matrix, not an auditor's finding. Evidence is fingerprinted, not judged for what it proves; web addresses are not verified. srmlint never decides that a requirement is excluded: \"To decide\" rows are for your ISMS risk treatment.",
    );
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(1, 100)?;
    for (index, (term, value)) in facts.iter().enumerate() {
        let row = u32::try_from(index).unwrap_or(u32::MAX);
        sheet.write_string_with_format(row, 0, cell(term), bold)?;
        sheet.write_string(row, 1, cell(value))?;
    }
    Ok(())
}
