//! One fixture folder per rule under `tests/fixtures/rules/<CODE>/`: every `*.toml` in
//! it is checked, and the findings of that rule must be exactly the ones its
//! `# expect: CODE control=<id|-> model=<id|-> line=<n>` comments list (none for a
//! passing case). Every built-in code `srmlint rules` lists has its folder, with a
//! failing and a passing case.

use crate::common;

use std::path::PathBuf;

use common::{TODAY, fixtures, srmlint};
use srmlint::check::Checker;
use srmlint::data::matrix::Matrix;
use srmlint::rules::evidence::EvidenceBase;
use srmlint::text::date::Date;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    code: String,
    control: Option<String>,
    model: Option<String>,
    line: usize,
}

fn parse_expectations(text: &str) -> Vec<Expected> {
    let dash_is_none = |value: &str| (value != "-").then(|| value.to_owned());
    let mut expected: Vec<Expected> = text
        .lines()
        .filter_map(|line| line.strip_prefix("# expect: "))
        .map(|spec| {
            let mut words = spec.split_whitespace();
            let code = words.next().expect("a code").to_owned();
            let mut control = None;
            let mut model = None;
            let mut line = 0;
            for word in words {
                let (key, value) = word.split_once('=').expect("key=value");
                match key {
                    "control" => control = dash_is_none(value),
                    "model" => model = dash_is_none(value),
                    "line" => line = value.parse().expect("a line number"),
                    other => panic!("unknown expectation key {other}"),
                }
            }
            Expected {
                code,
                control,
                model,
                line,
            }
        })
        .collect();
    expected.sort();
    expected
}

fn checker() -> Checker {
    Checker::new(Matrix::embedded(), Date::parse(TODAY).unwrap())
}

#[test]
fn every_rule_fixture_yields_exactly_its_expected_findings() {
    let checker = checker();
    let mut rule_dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("rules"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    rule_dirs.sort();
    let listed = srmlint().args(["rules", "--format", "json"]).run().json();
    let builtin: Vec<&str> = listed
        .as_array()
        .expect("`rules --format json` lists rules")
        .iter()
        .filter(|rule| rule["origin"] == "built-in")
        .map(|rule| rule["code"].as_str().expect("a code"))
        .collect();
    assert!(builtin.len() > 30, "{builtin:?}");
    let folders: Vec<String> = rule_dirs
        .iter()
        .map(|dir| dir.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let missing: Vec<&&str> = builtin
        .iter()
        .filter(|code| !folders.iter().any(|folder| folder == *code))
        .collect();
    assert!(missing.is_empty(), "no fixture folder for {missing:?}");
    let mut failures = Vec::new();
    let mut cases = 0;
    for dir in rule_dirs {
        let code = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut has_failing_case = false;
        let mut has_passing_case = false;
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        files.sort();
        for file in files {
            cases += 1;
            // Bytes, not text: a fixture may be a file the tool cannot decode (SRM022).
            let bytes = std::fs::read(&file).unwrap();
            let expected = parse_expectations(&String::from_utf8_lossy(&bytes));
            if expected.is_empty() {
                has_passing_case = true;
            } else {
                has_failing_case = true;
            }
            assert!(
                expected.iter().all(|expectation| expectation.code == code),
                "{}: expectations must be for {code}",
                file.display()
            );
            let report = checker.check_bytes(bytes, "fixture.toml", &EvidenceBase::for_file(&file));
            let mut actual: Vec<Expected> = report
                .diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.code == code)
                .map(|diagnostic| Expected {
                    code: diagnostic.code.clone(),
                    control: diagnostic.control.clone(),
                    model: diagnostic.model.clone(),
                    line: diagnostic.start.line,
                })
                .collect();
            actual.sort();
            if actual != expected {
                failures.push(format!(
                    "{}:\n  expected {expected:?}\n  actual   {actual:?}",
                    file.display()
                ));
            }
        }
        assert!(has_failing_case, "{code} needs a failing fixture");
        assert!(has_passing_case, "{code} needs a passing fixture");
    }
    assert!(cases > 30);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
