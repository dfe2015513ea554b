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
/// and SRM038 as the bare words are (an underscore parts words); `TODOS` and
/// `methodology` are not. The report then calls the claims incomplete and open.
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
             [controls.tenant-iam]\nowner = \"customer\"\naccountable = \"TODOS team\"\nimplementation = \"a methodology of roles\"\nevidence = [\"docs/runbook.md\"]\n"
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
    scratch.write("docs/c.md", [0xFE, 0xFF, 0x00, b'T', 0x00, b'B', 0x00, b'D']);
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
