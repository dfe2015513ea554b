//! What the checks and the report may not overstate, from the second outside audit's
//! reproductions: placeholders joined by `_`, placeholder evidence in folders and in
//! UTF-16, a deployment whose services cannot be determined, a controls file that
//! could not be parsed in the spreadsheets, the links of a `not_applicable`
//! requirement.

use crate::common;

use common::{Scratch, TODAY};
use serde_json::Value;

const DEPLOYMENT: &str = "[deployment]\nname = \"x\"\nservices = [\"compute\"]\nzones = [\"ch-gva-2\"]\nframeworks = [\"iso27001\"]\n";

fn report(scratch: &Scratch, format: &str) -> common::Run {
    scratch
        .srmlint()
        .args(["report", ".", "--format", format, "--today", TODAY])
        .run()
}

/// The report's requirements of one framework by id: (status, linked controls).
fn requirements(report: &Value, deployment: usize) -> Vec<(String, String, Vec<String>)> {
    report["deployments"][deployment]["frameworks"][0]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let controls = r["controls"].as_array().unwrap().iter();
            (
                r["id"].as_str().unwrap().to_owned(),
                r["status"].as_str().unwrap().to_owned(),
                controls
                    .map(|c| c["control"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn status_of(report: &Value, id: &str) -> String {
    let found = requirements(report, 0).into_iter().find(|r| r.0 == id);
    found.unwrap().1
}

/// `TODO_OWNER`, `FIXME_describe`, `__TODO__` and `_TBD_` are placeholders to SRM036
/// and SRM038 as the bare words are (in capitals an underscore parts words); `TODOS`,
/// `methodology` and names in small letters (`todo_app`) are not. The report then calls the claims incomplete and open.
#[test]
fn placeholders_joined_by_underscores_are_placeholders() {
    let scratch = Scratch::git_root("underscore-placeholders");
    scratch.write(
        "docs/runbook.md",
        "Runbook: restores are tested quarterly into a scratch project; results are archived and signed off by the SRE lead.\n",
    );
    scratch.write(
        "controls.toml",
        format!(
            "{DEPLOYMENT}\n[controls.backup-restore]\nowner = \"customer\"\naccountable = \"TODO_OWNER\"\nimplementation = \"FIXME_describe_restic\"\nevidence = [\"docs/runbook.md\"]\n\n\
             [controls.tenant-logging]\nowner = \"customer\"\naccountable = \"__TODO__\"\nimplementation = \"_TBD_\"\nevidence = []\n\n\
             [controls.tenant-iam]\nowner = \"customer\"\naccountable = \"TODOS team\"\nimplementation = \"a methodology of roles; the todo_app service, backup_job_tbd_cleanup\"\nevidence = [\"docs/runbook.md\"]\n"
        ),
    );
    let check = scratch
        .srmlint()
        .args(["check", ".", "--format", "json", "--today", TODAY])
        .run();
    assert_eq!(
        check.placed(&["SRM036", "SRM038"]),
        [
            "controls.toml:9: SRM036 `accountable` of `backup-restore` still holds a placeholder: \"TODO_OWNER\"",
            "controls.toml:10: SRM036 `implementation` of `backup-restore` still holds a placeholder: \"FIXME_describe_restic\"",
            "controls.toml:13: SRM038 the claim on `tenant-logging` is not filled in: no one accountable, no implementation, no evidence",
        ]
    );
    let json = report(&scratch, "json").json();
    assert_eq!(status_of(&json, "A.8.13"), "incomplete", "backup");
    assert_eq!(status_of(&json, "A.8.15"), "open", "logging");
    assert_eq!(status_of(&json, "A.5.15"), "covered", "access control");
}

/// Evidence that proves nothing in the forms a checkout holds it: a folder whose only
/// file is an empty `.gitkeep` or a README saying TODO (git keeps no empty folder), a
/// UTF-16 file saying TODO, a UTF-16 file holding only its byte-order mark. Each is
/// SRM037 and its requirement incomplete; a folder with one real record is not.
#[test]
fn placeholder_evidence_in_folders_and_utf16_is_a_stub() {
    let scratch = Scratch::git_root("stub-evidence");
    scratch.write("docs/ev/.gitkeep", "");
    scratch.write("docs/ev2/README.md", "TODO\n");
    scratch.write("docs/ev2/sub/.gitkeep", " \n");
    scratch.write("docs/real/.gitkeep", "");
    scratch.write("docs/real/restore.md", "Restored db-1 in 38 minutes.\n");
    let utf16: Vec<u8> = "\u{feff}TODO\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    scratch.write("docs/a.md", utf16);
    scratch.write("docs/b.md", [0xFF, 0xFE]);
    scratch.write(
        "docs/c.md",
        [0xFE, 0xFF, 0x00, b'T', 0x00, b'B', 0x00, b'D'],
    );
    let claim = |control: &str, evidence: &str| {
        format!(
            "\n[controls.{control}]\nowner = \"customer\"\naccountable = \"sec@x.example\"\nimplementation = \"done\"\nevidence = [{evidence}]\n"
        )
    };
    scratch.write(
        "controls.toml",
        [
            DEPLOYMENT.to_owned(),
            claim("tenant-iam", "\"docs/a.md\", \"docs/c.md\""),
            claim("tenant-logging", "\"docs/b.md\""),
            claim("network-security", "\"docs/ev\""),
            claim("backup-restore", "\"docs/ev2\", \"docs/real\""),
        ]
        .concat(),
    );
    let check = scratch
        .srmlint()
        .args(["check", ".", "--format", "json", "--today", TODAY])
        .run();
    assert_eq!(
        check.placed(&["SRM037"]),
        [
            "controls.toml:11: SRM037 evidence `docs/a.md` is a file of under 200 bytes that holds the placeholder word `TODO`",
            "controls.toml:11: SRM037 evidence `docs/c.md` is a file of under 200 bytes that holds the placeholder word `TBD`",
            "controls.toml:17: SRM037 evidence `docs/b.md` holds only white space",
            "controls.toml:23: SRM037 evidence `docs/ev` is a folder whose every file is empty, blank or a placeholder",
            "controls.toml:29: SRM037 evidence `docs/ev2` is a folder whose every file is empty, blank or a placeholder",
        ]
    );
    let json = report(&scratch, "json").json();
    for id in ["A.5.16", "A.8.15", "A.8.20", "A.8.13"] {
        assert_eq!(status_of(&json, id), "incomplete", "{id}");
    }
}

/// The rows of a `report --format csv` run, header first.
fn csv(scratch: &Scratch, args: &[&str]) -> Vec<Vec<String>> {
    let run = scratch
        .srmlint()
        .args(["report", "--format", "csv", "--today", TODAY])
        .args(args)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    crate::report_spreadsheet::parse_csv(&run.stdout)
}

/// The cells of one sheet of the workbook `report --format xlsx` writes, when a
/// spreadsheet reader is installed.
fn xlsx(scratch: &Scratch, args: &[&str], sheet: &str) -> Option<Vec<Vec<String>>> {
    let run = scratch
        .srmlint()
        .args([
            "report", "--format", "xlsx", "--output", "r.xlsx", "--force", "--today", TODAY,
        ])
        .args(args)
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let workbook = crate::report_spreadsheet::read_workbook(&scratch.path("r.xlsx"))?;
    let cells = &workbook["cells"][sheet];
    let cells: Vec<Vec<String>> = serde_json::from_value(cells.clone()).unwrap_or_default();
    Some(cells)
}

/// A requirement that no linked control applies to names those controls in every form:
/// a DBaaS-only deployment's A.5.37 rests on `workload-operations`, which has no
/// DBaaS part.
#[test]
fn a_not_applicable_requirement_names_the_controls_that_do_not_apply() {
    let scratch = Scratch::git_root("not-applicable-links");
    scratch.write(
        "controls.toml",
        DEPLOYMENT.replace("\"compute\"", "\"dbaas-pg\""),
    );
    let json = report(&scratch, "json").json();
    let a537 = requirements(&json, 0).into_iter().find(|r| r.0 == "A.5.37");
    let a537 = a537.unwrap();
    assert_eq!(
        (a537.1.as_str(), a537.2),
        ("not_applicable", vec!["workload-operations".to_owned()])
    );
    let controls = &json["deployments"][0]["frameworks"][0]["requirements"];
    let linked = controls
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "A.5.37");
    assert_eq!(linked.unwrap()["controls"][0]["status"], "not_applicable");
    let rows = csv(&scratch, &["."]);
    let row = rows.iter().find(|row| row[1] == "A.5.37").unwrap();
    assert_eq!(
        (row[3].as_str(), row[4].as_str()),
        ("not_applicable", "workload-operations")
    );
    let markdown = report(&scratch, "markdown").stdout;
    let line = markdown
        .lines()
        .find(|line| line.contains("| A.5.37 |"))
        .unwrap();
    assert!(
        line.contains("`workload-operations` (not in use here;"),
        "{line}"
    );
    assert!(!line.contains("no srmlint control"), "{line}");
    if let Some(soa) = xlsx(&scratch, &["."], "Statement of Applicability") {
        let row = soa.iter().find(|row| row[0] == "A.5.37").unwrap();
        assert_eq!(row[2], "Not in deployment");
        assert!(
            row[3].contains("(workload-operations) do not apply"),
            "{}",
            row[3]
        );
    }
}

/// When srmlint cannot tell which services a deployment uses (a misspelt service, a
/// file for another provider, no services), no requirement is excluded: those whose
/// linked controls it cannot rule out are open, and say why, in every form. The report
/// is written (exit 0) and its gaps name the error.
#[test]
fn an_undetermined_deployment_excludes_nothing() {
    let cases = [
        (
            "services = [\"compute\"]",
            "services = [\"computer\", \"postgres\"]",
            "SRM011",
        ),
        (
            "services = [\"compute\"]",
            "provider = \"aws\"\nservices = [\"compute\"]",
            "SRM014",
        ),
        ("services = [\"compute\"]", "services = []", "SRM015"),
    ];
    for (from, to, code) in cases {
        let scratch = Scratch::git_root("undetermined-scope");
        scratch.write("controls.toml", DEPLOYMENT.replace(from, to));
        let run = report(&scratch, "json");
        assert_eq!(run.code, 0, "{code}: {}", run.stderr);
        let json = run.json();
        let gaps = json["deployments"][0]["gaps"].as_array().unwrap();
        assert!(
            gaps.iter().any(|gap| gap["code"] == code),
            "{code}: {gaps:?}"
        );
        let statuses = requirements(&json, 0);
        assert!(
            statuses.iter().all(|r| r.1 != "not_applicable"),
            "{code}: {statuses:?}"
        );
        for id in ["A.5.15", "A.8.13", "A.5.37"] {
            assert_eq!(status_of(&json, id), "open", "{code}: {id}");
        }
        let counts = &json["deployments"][0]["frameworks"][0]["counts"];
        assert_eq!(counts["not_applicable"], 0, "{code}");
        let rows = csv(&scratch, &["."]);
        let backup = rows.iter().find(|row| row[1] == "A.8.13").unwrap();
        assert_eq!(
            (backup[3].as_str(), backup[4].as_str()),
            ("open", "backup-restore")
        );
        assert!(
            backup[10].contains("cannot tell which services"),
            "{code}: {backup:?}"
        );
        assert!(
            rows[1..].iter().all(|row| row[3] != "not_applicable"),
            "{code}"
        );
        let markdown = report(&scratch, "markdown").stdout;
        assert!(!markdown.contains("| not applicable |"), "{code}");
        if let Some(soa) = xlsx(&scratch, &["."], "Statement of Applicability") {
            assert!(
                soa.iter().all(|row| row[2] != "Not in deployment"),
                "{code}"
            );
            let backup = soa.iter().find(|row| row[0] == "A.8.13").unwrap();
            assert_eq!((backup[2].as_str(), backup[8].as_str()), ("Yes", "open"));
        }
    }
}

/// A controls file that could not be parsed is in the spreadsheets as a file nothing of
/// which is assessed, beside another that could, and alone; the cover sheet does not
/// list it as assessed.
#[test]
fn spreadsheets_show_a_file_that_could_not_be_read() {
    let scratch = Scratch::git_root("unparsed-in-sheets");
    scratch.write("a.controls.toml", DEPLOYMENT);
    scratch.write(
        "b.controls.toml",
        format!("{DEPLOYMENT}[controls.tenant-iam]\nowner = = \"customer\"\n"),
    );
    let rows = csv(&scratch, &["."]);
    let b: Vec<&Vec<String>> = rows
        .iter()
        .filter(|row| row[0] == "b.controls.toml")
        .collect();
    assert_eq!(b.len(), 1, "{rows:?}");
    assert_eq!(
        (b[0][1].as_str(), b[0][4].as_str()),
        ("iso27001", "not_assessed")
    );
    assert!(
        b[0][11].contains("could not be read") && b[0][11].contains("SRM020 (line 7)"),
        "{:?}",
        b[0]
    );
    let alone = csv(&scratch, &["b.controls.toml"]);
    assert_eq!(alone.len(), 2, "{alone:?}");
    assert_eq!(alone[1][3], "not_assessed");
    assert!(alone[1][10].contains("SRM020"), "{alone:?}");
    if let Some(cover) = xlsx(&scratch, &["."], "Report") {
        let line = cover
            .iter()
            .find(|row| row[0] == "Controls file b.controls.toml")
            .unwrap();
        assert!(
            line[1].contains("NOT ASSESSED") && line[1].contains("SRM020"),
            "{line:?}"
        );
        let soa = xlsx(&scratch, &["."], "Statement of Applicability").unwrap();
        let b = soa.iter().find(|row| row[0] == "b.controls.toml").unwrap();
        assert_eq!(
            (b[3].as_str(), b[9].as_str()),
            ("To decide", "not_assessed")
        );
        assert!(b[4].contains("could not be read"), "{b:?}");
    }
}
