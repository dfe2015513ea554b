//! `--format junit`: JUnit XML for CI test tabs (GitLab, Jenkins, Azure, ...): one
//! testsuite a controls file, one testcase a control that applies to its deployment.
//!
//! A testcase fails when an active error finding names its control (or, under
//! `--deny-warnings`, which fails the run on them, an active warning), is skipped when
//! its findings are waived and none fails it, and passes otherwise; other findings are
//! listed in its `system-out`. Findings that name no
//! control (the deployment, a broken file, a waiver) belong to a testcase named
//! `deployment`, first in every suite. A finding naming a control that does not apply
//! (SRM005) gets a testcase of its own, after the applicable ones. A run that exits 2
//! starts with a suite `srmlint` of one errored testcase a problem, so the test tab
//! never shows a run that did not happen as green. No times or timestamps are
//! written, so the XML is reproducible.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::check::{FileReport, RunError, RunReport};
use crate::data::matrix::Matrix;
use crate::diag::{Diagnostic, Severity};
use crate::render::concise;
use crate::text::escape::{escape_for_terminal, xml_chars};

/// Text from a file as JUnit carries it: terminal controls as visible escapes (CI
/// logs show it), and nothing XML 1.0 cannot hold (U+FFFE, U+FFFF), so the report
/// stays well-formed whatever the input. quick-junit escapes the markup characters.
fn xml_text(text: &str) -> String {
    xml_chars(&escape_for_terminal(text))
}

/// The testcase of findings that name no control.
pub const DEPLOYMENT_TESTCASE: &str = "deployment";

/// The report as JUnit XML; `deny_warnings`: active warnings fail their test case, as
/// they fail the run.
pub fn render(report: &RunReport, matrix: Option<&Matrix>, deny_warnings: bool) -> String {
    let mut junit = Report::new("srmlint");
    if !report.errors.is_empty() {
        junit.add_test_suite(run_errors(&report.errors));
    }
    for file in &report.files {
        junit.add_test_suite(suite(file, matrix, deny_warnings));
    }
    junit
        .to_string()
        .expect("an in-memory XML report serializes")
}

/// What kept the run from doing its job: JUnit's `<error>` (the test could not run,
/// rather than found something), named by the path concerned, else `run`.
fn run_errors(errors: &[RunError]) -> TestSuite {
    let mut suite = TestSuite::new(RUN_ERRORS_SUITE);
    suite.add_test_cases(errors.iter().map(|error| {
        let message = xml_text(&error.message);
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        // An attribute loses its line breaks: the first line, the whole in the body.
        status
            .set_message(message.lines().next().unwrap_or_default())
            .set_description(message.as_str());
        let mut case = TestCase::new(xml_text(error.path.as_deref().unwrap_or("run")), status);
        case.set_classname(RUN_ERRORS_SUITE);
        case
    }));
    suite
}

/// The suite of a run's own errors.
const RUN_ERRORS_SUITE: &str = "srmlint";

fn suite(file: &FileReport, matrix: Option<&Matrix>, deny_warnings: bool) -> TestSuite {
    let path = xml_text(&file.path);
    let mut suite = TestSuite::new(path.as_str());
    let mut controls = matrix.map_or_else(Vec::new, |matrix| applicable_controls(file, matrix));
    let mut others: Vec<&str> = file
        .diagnostics
        .iter()
        .filter_map(|diagnostic| diagnostic.control.as_deref())
        .filter(|control| !controls.contains(control))
        .collect();
    others.sort_unstable();
    others.dedup();
    controls.extend(others);
    let failing = |diagnostic: &Diagnostic| {
        diagnostic.is_active()
            && (diagnostic.severity == Severity::Error
                || (deny_warnings && diagnostic.severity == Severity::Warning))
    };
    let mut cases = vec![test_case(&path, DEPLOYMENT_TESTCASE, file, None, &failing)];
    cases.extend(
        controls
            .into_iter()
            .map(|control| test_case(&path, control, file, Some(control), &failing)),
    );
    suite.add_test_cases(cases);
    suite
}

/// The controls of the matrix that apply to the file's deployment, in matrix order:
/// those with a part in a model the deployment's services bring in. None when the
/// file could not be parsed or names another provider.
fn applicable_controls<'m>(file: &FileReport, matrix: &'m Matrix) -> Vec<&'m str> {
    let scope = file
        .file
        .as_ref()
        .and_then(|parsed| parsed.deployment.scope(matrix));
    scope.map_or_else(Vec::new, |scope| {
        scope
            .applicable(matrix)
            .map(|control| control.id.as_str())
            .collect()
    })
}

/// The testcase `name` of a file: the findings whose control is `control`; it fails on
/// those `failing` says fail the run.
fn test_case(
    classname: &str,
    name: &str,
    file: &FileReport,
    control: Option<&str>,
    failing: &dyn Fn(&Diagnostic) -> bool,
) -> TestCase {
    let findings: Vec<&Diagnostic> = file
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.control.as_deref() == control)
        .collect();
    let errors: Vec<&Diagnostic> = findings
        .iter()
        .copied()
        .filter(|diagnostic| failing(diagnostic))
        .collect();
    let listing: String = findings
        .iter()
        .map(|diagnostic| xml_chars(&concise::line(diagnostic)) + "\n")
        .collect();
    let status = if let Some(first) = errors.first() {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        let noun = if errors
            .iter()
            .all(|diagnostic| diagnostic.severity == Severity::Error)
        {
            "errors"
        } else {
            "errors and warnings"
        };
        let message = match errors.len() {
            1 => first.message.clone(),
            count => format!("{count} {noun}; the first: {}", first.message),
        };
        status
            .set_message(xml_text(&message))
            .set_type(first.code.as_str())
            .set_description(listing.as_str());
        status
    } else if let Some(waiver) = findings
        .iter()
        .find_map(|diagnostic| diagnostic.waiver.as_ref())
    {
        let mut status = TestCaseStatus::skipped();
        status
            .set_message(xml_text(&waiver.short()))
            .set_description(listing.as_str());
        status
    } else {
        TestCaseStatus::success()
    };
    let mut case = TestCase::new(xml_text(name), status);
    case.set_classname(classname);
    if !listing.is_empty() && errors.is_empty() {
        case.set_system_out(listing.as_str());
    }
    case
}
