//! The report's spreadsheet forms: `--format csv` and `--format xlsx`. The workbook is
//! opened by a real spreadsheet reader (openpyxl, from a venv `.ci/run` installs under
//! `target/`) and its sheets compared with the JSON report row by row; the CSV is read
//! back by RFC 4180 rules and compared the same way. Both examples are read: the clinic,
//! whose evidence is real, and the webshop, whose evidence is stubs.

use crate::common;

use common::{Scratch, TODAY, repo_root, srmlint};
use serde_json::Value;

/// The workbook as openpyxl reads it (the Python `SRMLINT_OPENPYXL_PYTHON` names, else
/// the venv `.ci/run` makes under `target/`); `None` (a skip, said on stderr) outside CI
/// when openpyxl is not installed. Under `SRMLINT_REQUIRE_TOOLS` or `CI` a missing
/// reader fails the test.
pub(crate) fn read_workbook(path: &std::path::Path) -> Option<Value> {
    let python = common::require_python_module(
        "openpyxl",
        "SRMLINT_OPENPYXL_PYTHON",
        "xlsx-venv",
        "python3 -m venv target/xlsx-venv && target/xlsx-venv/bin/pip install openpyxl",
    )?;
    let output = std::process::Command::new(python)
        .arg(repo_root().join("tests/xlsx_reads.py"))
        .arg(path)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "openpyxl could not read {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("the reader prints JSON"))
}

fn report_json(controls: &str, cwd: &std::path::Path) -> Value {
    let output = srmlint()
        .current_dir(cwd)
        .args(["report", controls, "--format", "json", "--today", TODAY])
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    common::json(&output.stdout)
}

/// Reads CSV by RFC 4180: fields split on commas, quoted fields with doubled quotes,
/// records ended by CRLF.
pub(crate) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        record.is_empty() && field.is_empty(),
        "the last record ends with CRLF"
    );
    records
}

/// A CSV field as the JSON says it: the `'` that defuses a formula taken off.
fn undefused(field: &str) -> &str {
    match field.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => field,
    }
}

/// The scratch repository holding both examples, committed, as the example reports are.
fn examples() -> Scratch {
    let scratch = Scratch::new("report-spreadsheet");
    for name in ["clinic", "webshop"] {
        let relative = format!("examples/{name}");
        scratch.copy_in(&repo_root().join(&relative), &relative);
    }
    scratch.commit_all();
    scratch
}

/// What the JSON says a requirement's spreadsheet row holds: (framework, id, title,
/// status, controls).
fn json_rows(report: &Value) -> Vec<(String, String, String, String, String)> {
    let mut rows = Vec::new();
    for deployment in report["deployments"].as_array().unwrap() {
        for framework in deployment["frameworks"].as_array().unwrap() {
            for requirement in framework["requirements"].as_array().unwrap() {
                let controls: Vec<&str> = requirement["controls"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["control"].as_str().unwrap())
                    .collect();
                rows.push((
                    framework["id"].as_str().unwrap().to_owned(),
                    requirement["id"].as_str().unwrap().to_owned(),
                    requirement["title"].as_str().unwrap().to_owned(),
                    requirement["status"].as_str().unwrap().to_owned(),
                    controls.join("; "),
                ));
            }
        }
    }
    rows
}

#[test]
fn csv_has_one_row_per_requirement_and_agrees_with_json() {
    let scratch = examples();
    for name in ["clinic", "webshop"] {
        let controls = format!("examples/{name}/controls.toml");
        let report = report_json(&controls, &scratch.root);
        let output = scratch
            .srmlint()
            .args(["report", &controls, "--format", "csv", "--today", TODAY])
            .run();
        assert_eq!(output.code, 0, "{}", output.stderr);
        let records = parse_csv(&output.stdout);
        assert_eq!(
            records[0],
            [
                "framework",
                "id",
                "title",
                "status",
                "srmlint_controls",
                "owner",
                "accountable",
                "evidence",
                "evidence_sha256",
                "basis",
                "remarks"
            ]
        );
        let expected = json_rows(&report);
        assert_eq!(
            records.len() - 1,
            expected.len(),
            "{name}: one row per requirement"
        );
        for (record, (framework, id, title, status, controls)) in records[1..].iter().zip(&expected)
        {
            assert_eq!(record.len(), 11, "{name} {id}");
            let fields: Vec<&str> = record.iter().map(|f| undefused(f)).collect();
            assert_eq!(
                (fields[0], fields[1], fields[2], fields[3], fields[4]),
                (
                    framework.as_str(),
                    id.as_str(),
                    title.as_str(),
                    status.as_str(),
                    controls.as_str()
                ),
                "{name}"
            );
        }
        // The clinic's evidence is real: requirements are covered and every evidence
        // file's SHA-256 is the file's. The webshop's stubs cover nothing.
        let covered = expected.iter().filter(|row| row.3 == "covered").count();
        if name == "clinic" {
            assert!(covered >= 10, "{covered} covered");
            let row = records
                .iter()
                .find(|r| r[1] == "A.8.13")
                .expect("A.8.13 Information backup");
            let evidence: Vec<&str> = row[7].split("; ").collect();
            let hashes: Vec<&str> = row[8].split("; ").collect();
            assert_eq!(
                evidence,
                [
                    "docs/runbooks/restore-test.md",
                    "https://wiki.clinic.example/bcp"
                ]
            );
            let bytes =
                std::fs::read(scratch.path("examples/clinic/docs/runbooks/restore-test.md"))
                    .unwrap();
            assert_eq!(hashes[0], sha256(&bytes));
            assert_eq!(hashes[1], "not verified (a web address)");
        } else {
            assert_eq!(covered, 0, "stub evidence covers nothing");
            assert!(expected.iter().any(|row| row.3 == "incomplete"));
        }
    }
}

fn sha256(bytes: &[u8]) -> String {
    // `sha256sum` from coreutils: an outside implementation to compare with.
    let scratch = Scratch::new("sha256");
    let path = scratch.write("f", bytes);
    let output = std::process::Command::new("sha256sum")
        .arg(&path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn the_statement_of_applicability_opens_in_a_spreadsheet_reader_and_matches_json() {
    let scratch = examples();
    for name in ["clinic", "webshop"] {
        let controls = format!("examples/{name}/controls.toml");
        let report = report_json(&controls, &scratch.root);
        let workbook = scratch.path(format!("{name}.xlsx"));
        let output = scratch
            .srmlint()
            .args(["report", &controls, "--format", "xlsx", "--today", TODAY])
            .arg("--output")
            .arg(&workbook)
            .run();
        assert_eq!(output.code, 0, "{}", output.stderr);
        let Some(read) = read_workbook(&workbook) else {
            return;
        };
        let sheets: Vec<&str> = read["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(sheets[0], "Report", "{name}");
        assert!(
            sheets.contains(&"Statement of Applicability"),
            "{name}: {sheets:?}"
        );
        // The document's date is the report date, so the file is reproducible.
        assert_eq!(read["created"], format!("{TODAY}T00:00:00"), "{name}");
        // Every cell that holds anything is a string: no formula, no number.
        for sheet in &sheets {
            let types: Vec<&str> = read["types"][sheet]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            assert_eq!(types, ["s"], "{name} {sheet}");
        }
        let soa = read["cells"]["Statement of Applicability"]
            .as_array()
            .unwrap();
        let header: Vec<&str> = soa[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(
            header,
            [
                "Control",
                "Title",
                "Applicable",
                "Justification",
                "Implementation status",
                "Responsible party",
                "Accountable",
                "Evidence",
                "srmlint status"
            ]
        );
        let iso = report["deployments"][0]["frameworks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "iso27001")
            .expect("both examples map ISO 27001");
        let requirements = iso["requirements"].as_array().unwrap();
        assert_eq!(soa.len() - 1, requirements.len(), "{name}: all 93 controls");
        let mut yes = 0;
        for (row, requirement) in soa[1..].iter().zip(requirements) {
            let cell = |index: usize| row[index].as_str().unwrap();
            let status = requirement["status"].as_str().unwrap();
            assert_eq!(cell(0), requirement["id"].as_str().unwrap(), "{name}");
            assert_eq!(cell(1), requirement["title"].as_str().unwrap(), "{name}");
            assert_eq!(cell(8), status, "{name} {}", cell(0));
            let applicable = match status {
                "covered" | "incomplete" | "open" | "inherited" | "inherited_in_part" => "Yes",
                "not_applicable" => "Not in deployment",
                "not_assessed" => "To decide",
                other => panic!("unknown status {other}"),
            };
            assert_eq!(cell(2), applicable, "{name} {}", cell(0));
            if applicable == "To decide" {
                assert_eq!(cell(3), "decided by your ISMS risk treatment");
            }
            if applicable == "Yes" {
                yes += 1;
                assert!(!cell(3).is_empty(), "{name} {}: a justification", cell(0));
            }
        }
        // `in_scope` is the SoA's count of `Yes`; `applicable` keeps its own meaning.
        assert_eq!(iso["counts"]["in_scope"].as_u64().unwrap(), yes, "{name}");
        // Each framework sheet has a row per requirement, as the JSON.
        let sheet = read["cells"]["iso27001"].as_array().unwrap();
        assert_eq!(sheet.len() - 1, requirements.len());
        for (row, requirement) in sheet[1..].iter().zip(requirements) {
            assert_eq!(row[1], requirement["id"]);
            assert_eq!(row[3], requirement["status"]);
        }
    }
}

#[test]
fn spreadsheets_carry_no_formula_and_xlsx_needs_a_file() {
    let scratch = Scratch::git_root("report-spreadsheet-hostile");
    scratch.write(
        "controls.toml",
        "[deployment]\nservices = [\"compute\"]\nframeworks = [\"iso27001\"]\n\
         [controls.backup-restore]\nowner = \"customer\"\n\
         accountable = \"=HYPERLINK(\\\"https://evil.example\\\",\\\"x\\\")\"\n\
         implementation = \"@SUM(1)\"\nevidence = [\"+cmd|' /C calc'!A0\"]\n",
    );
    let csv = scratch
        .srmlint()
        .args([
            "report",
            "controls.toml",
            "--format",
            "csv",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    let records = parse_csv(&csv.stdout);
    let row = records.iter().find(|r| r[1] == "A.8.13").unwrap();
    assert_eq!(row[6], "'=HYPERLINK(\"https://evil.example\",\"x\")");
    assert_eq!(row[7], "'+cmd|' /C calc'!A0");
    assert!(
        records
            .iter()
            .flatten()
            .all(|f| !f.starts_with(['=', '+', '-', '@']))
    );

    // XLSX is binary: never to the terminal, exit 2.
    let refused = scratch
        .srmlint()
        .args(["report", "controls.toml", "--format", "xlsx"])
        .run();
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("--output"), "{}", refused.stderr);
    assert!(refused.stdout.is_empty());

    // Written twice, byte for byte the same.
    let write = |name: &str| {
        let path = scratch.path(name);
        let output = scratch
            .srmlint()
            .args([
                "report",
                "controls.toml",
                "--format",
                "xlsx",
                "--today",
                TODAY,
            ])
            .arg("--output")
            .arg(&path)
            .run();
        assert_eq!(output.code, 0, "{}", output.stderr);
        std::fs::read(path).unwrap()
    };
    let first = write("a.xlsx");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(first, write("b.xlsx"), "the workbook is reproducible");
    if let Some(read) = read_workbook(&scratch.path("a.xlsx")) {
        let soa = read["cells"]["Statement of Applicability"]
            .as_array()
            .unwrap();
        let row = soa.iter().find(|r| r[0] == "A.8.13").unwrap();
        assert_eq!(
            row[6], "=HYPERLINK(\"https://evil.example\",\"x\")",
            "kept as text"
        );
    }
}

/// With several controls files, every row says which one it is for, and a file that
/// names no framework still gets every catalogue.
#[test]
fn several_files_get_a_leading_file_column() {
    let scratch = Scratch::git_root("report-spreadsheet-several");
    let file = "[deployment]\nservices = [\"compute\"]\n[controls.backup-restore]\nowner = \"customer\"\naccountable = \"sre@shop.example\"\n";
    scratch.write("a/controls.toml", file);
    scratch.write("b/controls.toml", file);
    let output = scratch
        .srmlint()
        .args(["report", "a", "b", "--format", "csv", "--today", TODAY])
        .run();
    assert_eq!(output.code, 0, "{}", output.stderr);
    let records = parse_csv(&output.stdout);
    assert_eq!(records[0][0], "file");
    assert_eq!(records[0][1], "framework");
    let per_file = |name: &str| records.iter().filter(|r| r[0] == name).count();
    // No `frameworks` in the files: all four catalogues, 93 + 61 + 10 + 121 rows.
    assert_eq!(per_file("a/controls.toml"), 285);
    assert_eq!(per_file("b/controls.toml"), 285);
}

#[test]
fn formulas_are_defused_and_fields_quoted() {
    use srmlint::render::report::csv::field;
    assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    assert_eq!(field("+1"), "'+1");
    assert_eq!(field("-1"), "'-1");
    assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(field("\tx"), "'\tx");
    assert_eq!(field("\rx"), "\"'\rx\"");
    assert_eq!(field("a, b"), "\"a, b\"");
    assert_eq!(field("plain"), "plain");
    assert_eq!(field("a=b"), "a=b");
}
