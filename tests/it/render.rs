//! The check formats' renderers on reports built from inline text or by hand:
//! concise, GitLab, GitHub, JUnit and SARIF.

mod support {
    //! Reports built by hand or from inline controls-file text, for the reporters' unit
    //! tests: the waiver rules live elsewhere, so waived findings are made here directly.

    use srmlint::check::{Checker, FileReport, RunReport};
    use srmlint::data::matrix::Matrix;
    use srmlint::diag::{Diagnostic, Severity, Suppression};
    use srmlint::rules::evidence::EvidenceBase;
    use srmlint::text::Position;
    use srmlint::text::date::Date;

    use crate::common::TODAY;

    pub fn checker() -> Checker {
        Checker::new(Matrix::embedded(), Date::parse(TODAY).unwrap())
    }

    /// The report of checking `text` as a file named `path`.
    pub fn report_of(path: &str, text: &str) -> RunReport {
        let base = EvidenceBase::for_file(std::path::Path::new(path));
        RunReport::new(vec![checker().check_text(text.to_owned(), path, &base)])
    }

    /// A warning with no source behind it.
    pub fn diagnostic(file: &str, message: &str) -> Diagnostic {
        Diagnostic {
            code: "SRM031".to_owned(),
            name: "missing-evidence".to_owned(),
            severity: Severity::Warning,
            message: message.to_owned(),
            help: "cite evidence".to_owned(),
            label: String::new(),
            file: file.to_owned(),
            span: 0..0,
            start: Position { line: 3, column: 1 },
            end: Position { line: 3, column: 9 },
            control: Some("tenant-logging".to_owned()),
            model: None,
            waiver: None,
            proposal: None,
            fix: None,
        }
    }

    pub fn waiver(reason: &str) -> Suppression {
        Suppression {
            reason: reason.to_owned(),
            approved_by: "ciso@example.com".to_owned(),
            expires: Date::parse("2027-03-31").unwrap(),
        }
    }

    /// A report of one file holding `diagnostics`, with no source text.
    pub fn report_with(path: &str, diagnostics: Vec<Diagnostic>) -> RunReport {
        RunReport::new(vec![FileReport {
            path: path.to_owned(),
            source: None,
            byte_order_mark: false,
            file: None,
            diagnostics,
            waivers: Vec::new(),
            other_sources: Default::default(),
            terraform: Vec::new(),
            contract: Vec::new(),
            overrides: Vec::new(),
        }])
    }

    /// A controls file with an owner mismatch (SRM004 on tenant-logging), an unknown
    /// service (SRM011) and unclaimed controls (SRM001).
    pub const SAMPLE: &str = r#"[deployment]
name = "shop"
services = ["compute", "nope"]
zones = ["de-fra-1"]

[controls.tenant-logging]
owner = "shared"
accountable = "sre@shop.example"
"#;
}

mod concise {
    use super::support::{diagnostic, report_with, waiver};
    use srmlint::render::concise::{line, render, single_line};

    #[test]
    fn one_line_a_finding_even_when_text_has_line_breaks_and_escapes() {
        let finding = diagnostic("a/controls.toml", "bad \u{1b}[31mvalue\nnext");
        assert_eq!(
            line(&finding),
            "a/controls.toml:3:1: warning[SRM031] bad \\u{1b}[31mvalue\\nnext"
        );
        assert_eq!(single_line("a\r\nb"), "a\\r\\nb");
    }

    #[test]
    fn waived_findings_say_so_and_until_when() {
        let mut finding = diagnostic("controls.toml", "no evidence");
        finding.waiver = Some(waiver("SIEM onboarding in Q1"));
        assert_eq!(
            render(&report_with("controls.toml", vec![finding])),
            "controls.toml:3:1: warning[SRM031] no evidence [waived until 2027-03-31: SIEM onboarding in Q1]\n"
        );
    }
}

mod gitlab {
    use super::support::{SAMPLE, report_of, waiver};
    use srmlint::render::gitlab::render;

    #[test]
    fn issues_have_the_code_quality_fields_and_unique_fingerprints() {
        let mut report = report_of("shop/controls.toml", SAMPLE);
        let waived = report.files[0]
            .diagnostics
            .iter_mut()
            .find(|diagnostic| diagnostic.code == "SRM004")
            .unwrap();
        waived.waiver = Some(waiver("SIEM onboarding in Q1"));
        let issues: serde_json::Value = serde_json::from_str(&render(&report)).unwrap();
        let issues = issues.as_array().unwrap();
        assert_eq!(issues.len(), report.diagnostics().count());
        let unknown = issues
            .iter()
            .find(|issue| issue["check_name"] == "SRM011")
            .unwrap();
        assert_eq!(unknown["severity"], "major");
        assert_eq!(unknown["location"]["path"], "shop/controls.toml");
        assert_eq!(unknown["location"]["lines"]["begin"], 3);
        assert!(
            unknown["description"]
                .as_str()
                .unwrap()
                .starts_with("SRM011 unknown-service: unknown service `nope`")
        );
        let waived = issues
            .iter()
            .find(|issue| issue["check_name"] == "SRM004")
            .unwrap();
        assert_eq!(waived["severity"], "info");
        assert!(waived["description"].as_str().unwrap().ends_with(
            "(waived until 2027-03-31, approved by ciso@example.com: SIEM onboarding in Q1)"
        ));
        let mut fingerprints: Vec<&str> = issues
            .iter()
            .map(|issue| issue["fingerprint"].as_str().unwrap())
            .collect();
        fingerprints.sort_unstable();
        fingerprints.dedup();
        assert_eq!(fingerprints.len(), issues.len());
    }

    #[test]
    fn an_empty_run_is_an_empty_array() {
        assert_eq!(render(&srmlint::check::RunReport::default()), "[]\n");
    }
}

mod github {
    use super::support::{diagnostic, report_with, waiver};
    use srmlint::diag::Severity;
    use srmlint::render::github::{command, escape_data, escape_property, render, step_summary};

    #[test]
    fn escapes_percent_line_breaks_and_in_properties_colon_and_comma() {
        assert_eq!(
            escape_data("100% done\r\nnext: a,b"),
            "100%25 done%0D%0Anext: a,b"
        );
        assert_eq!(
            escape_property("dir:x,y/100%\ncontrols.toml"),
            "dir%3Ax%2Cy/100%25%0Acontrols.toml"
        );
        assert_eq!(escape_data("\u{1b}[31m"), "\\u{1b}[31m");
    }

    #[test]
    fn severities_map_to_error_warning_and_notice() {
        let mut finding = diagnostic("a,b:c/controls.toml", "50% of it\nis: missing, really");
        finding.help = String::new();
        assert_eq!(
            command(&finding),
            "::warning file=a%2Cb%3Ac/controls.toml,line=3,col=1,endLine=3,endColumn=9,title=SRM031 missing-evidence::50%25 of it%0Ais: missing, really"
        );
        finding.severity = Severity::Error;
        assert!(command(&finding).starts_with("::error file="));
        finding.severity = Severity::Info;
        assert!(command(&finding).starts_with("::notice file="));
    }

    #[test]
    fn waived_findings_are_notices_that_name_the_waiver() {
        let mut finding = diagnostic("controls.toml", "no evidence");
        finding.severity = Severity::Error;
        finding.waiver = Some(waiver("SIEM onboarding, Q1"));
        let text = render(&report_with("controls.toml", vec![finding]));
        assert_eq!(
            text,
            "::notice file=controls.toml,line=3,col=1,endLine=3,endColumn=9,title=SRM031 missing-evidence (waived)::no evidence (waived until 2027-03-31, approved by ciso@example.com: SIEM onboarding, Q1)%0A%0Ahelp: cite evidence\n"
        );
    }

    #[test]
    fn step_summary_is_a_table_with_inert_cells() {
        let mut waived = diagnostic("controls.toml", "quiet");
        waived.waiver = Some(waiver("later"));
        let report = report_with(
            "controls.toml",
            vec![diagnostic("controls.toml", "a | b <script>\nx"), waived],
        );
        let summary = step_summary(&report);
        assert!(summary.starts_with("## srmlint\n\nsrmlint: 1 file checked: 0 errors, 1 warning (1 waived)\n\n| Severity |"), "{summary}");
        assert!(summary.contains(
            "| warning | SRM031 missing-evidence | controls.toml:3:1 | tenant-logging | a \\| b \\<script\\> x |\n"
        ), "{summary}");
        assert!(summary.contains("| warning (waived) |"), "{summary}");
        assert!(
            summary.contains("waived until 2027-03-31: later"),
            "{summary}"
        );
    }
}

mod junit {
    use super::support::{SAMPLE, report_of, waiver};
    use srmlint::data::matrix::Matrix;
    use srmlint::render::junit::render;

    #[test]
    fn one_suite_a_file_one_case_a_control_that_applies() {
        let matrix = Matrix::embedded();
        let mut report = report_of("shop/controls.toml", SAMPLE);
        let xml = render(&report, Some(&matrix), false);
        assert!(xml.starts_with("<?xml"), "{xml}");
        assert_eq!(xml.matches("<testsuite ").count(), 1);
        assert!(
            xml.contains(r#"<testsuite name="shop/controls.toml""#),
            "{xml}"
        );
        // Compute brings in IaaS: physical security applies, DBaaS-only controls do not.
        assert!(
            xml.contains(r#"<testcase name="physical-security" classname="shop/controls.toml""#),
            "{xml}"
        );
        // The unknown service is a deployment error.
        let deployment = xml.split(r#"<testcase name="deployment""#).nth(1).unwrap();
        let deployment = &deployment[..deployment.find("</testcase>").unwrap()];
        assert!(
            deployment.contains(r#"<failure message="unknown service `nope`"#),
            "{deployment}"
        );
        assert!(deployment.contains(r#"type="SRM011""#), "{deployment}");
        // SRM001 for an unclaimed control fails its testcase.
        assert!(
            xml.contains(r#"<testcase name="backup-restore" classname="shop/controls.toml">"#),
            "{xml}"
        );
        let backup = xml
            .split(r#"<testcase name="backup-restore""#)
            .nth(1)
            .unwrap();
        assert!(backup[..backup.find("</testcase>").unwrap()].contains("SRM001"));

        let waived = report.files[0]
            .diagnostics
            .iter_mut()
            .find(|diagnostic| diagnostic.code == "SRM004")
            .unwrap();
        waived.waiver = Some(waiver("SIEM <onboarding> in Q1"));
        let xml = render(&report, Some(&matrix), false);
        let logging = xml
            .split(r#"<testcase name="tenant-logging""#)
            .nth(1)
            .unwrap();
        let logging = &logging[..logging.find("</testcase>").unwrap()];
        assert!(
            logging.contains(
                r#"<skipped message="waived until 2027-03-31: SIEM &lt;onboarding&gt; in Q1""#
            ),
            "{logging}"
        );
    }

    #[test]
    fn without_a_matrix_only_named_controls_are_cases() {
        let report = report_of("controls.toml", SAMPLE);
        let xml = render(&report, None, false);
        assert!(!xml.contains(r#"name="physical-security""#));
        assert!(xml.contains(r#"name="tenant-logging""#));
    }
}

mod sarif {
    use super::support::{SAMPLE, checker, report_of, waiver};
    use crate::common::sarif_validator;
    use srmlint::render::sarif::render;

    #[test]
    fn waived_findings_are_valid_sarif_with_the_reason_as_justification() {
        let mut report = report_of("shop/controls.toml", SAMPLE);
        let rules = checker().rules();
        let diagnostic = report.files[0]
            .diagnostics
            .iter_mut()
            .find(|diagnostic| diagnostic.code == "SRM004")
            .expect("the sample has an owner mismatch");
        diagnostic.waiver = Some(waiver("SIEM onboarding in Q1"));
        let text = render(&report, &rules);
        let log: serde_json::Value = serde_json::from_str(&text).unwrap();
        let validator = sarif_validator();
        // The validator is not vacuous: a driver without a name is rejected.
        assert!(!validator.is_valid(
            &serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})
        ));
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|error| format!("{error} at {}", error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let results = log["runs"][0]["results"].as_array().unwrap();
        let waived = results
            .iter()
            .find(|result| result["ruleId"] == "SRM004")
            .unwrap();
        assert_eq!(
            waived["suppressions"],
            serde_json::json!([{
                "kind": "external",
                "status": "accepted",
                "justification": "SIEM onboarding in Q1",
                "properties": {"approvedBy": "ciso@example.com", "expires": "2027-03-31"}
            }])
        );
        let active = results
            .iter()
            .find(|result| result["ruleId"] == "SRM011")
            .unwrap();
        assert!(active.get("suppressions").is_none());
        assert_eq!(
            active["partialFingerprints"][srmlint::diag::fingerprint::FINGERPRINT_VERSION]
                .as_str()
                .map(str::len),
            Some(16)
        );
        assert_eq!(
            active["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "shop/controls.toml"
        );
        assert_eq!(
            active["locations"][0]["physicalLocation"]["region"],
            serde_json::json!({"startLine": 3, "startColumn": 24, "endLine": 3, "endColumn": 30})
        );
        let rule_index = active["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            log["runs"][0]["tool"]["driver"]["rules"][rule_index]["id"],
            "SRM011"
        );
    }

    #[test]
    fn every_rule_is_listed_with_its_documentation_as_help() {
        let rules = checker().rules();
        let log: serde_json::Value =
            serde_json::from_str(&render(&report_of("controls.toml", SAMPLE), &rules)).unwrap();
        let listed = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(listed.len(), rules.len());
        for (listed, rule) in listed.iter().zip(&rules) {
            assert_eq!(listed["id"], rule.code.as_str());
            assert_eq!(listed["help"]["markdown"], rule.doc.as_str());
            assert_eq!(listed["shortDescription"]["text"], rule.summary.as_str());
            let full = listed["fullDescription"]["text"].as_str().unwrap();
            assert!(!full.is_empty() && !full.starts_with('#'), "{full}");
        }
    }
}

mod fingerprint {
    use super::support::report_of;

    #[test]
    fn fingerprints_survive_moved_lines_and_are_unique() {
        let original = "[deployment]\nname = \"x\"\nservices = [\"compute\", \"nope\", \"nope\"]\nzones = [\"de-fra-1\"]\n";
        let moved = "# a comment\n\n[deployment]\nname = \"x\"\nzones = [\"de-fra-1\"]\nservices = [\"compute\", \"nope\", \"nope\"]\n";
        let before = report_of("controls.toml", original);
        let after = report_of("controls.toml", moved);
        let before_prints = before.fingerprints();
        let after_prints = after.fingerprints();
        assert!(before_prints.len() > 3, "{before_prints:?}");
        let mut sorted_before = before_prints.clone();
        sorted_before.sort();
        let mut sorted_after = after_prints.clone();
        sorted_after.sort();
        assert_eq!(sorted_before, sorted_after);
        let mut unique = sorted_before.clone();
        unique.dedup();
        assert_eq!(
            unique.len(),
            sorted_before.len(),
            "two `nope` findings differ"
        );
        assert!(before_prints.iter().all(|print| print.len() == 16));
    }
}

mod excerpt {
    use miette::SourceCode;

    use srmlint::render::excerpt::{BoundedSource, MAX_CONTEXT_BYTES};
    use srmlint::text::source::SourceText;

    fn source(text: &str) -> (SourceText, String) {
        (SourceText::new(text.to_owned()), text.to_owned())
    }

    #[test]
    fn short_lines_come_whole_with_their_context() {
        let (original, text) = source("a = 1\nb = 2\nc = 3\n");
        let source = BoundedSource::new("f".into(), text, &original);
        let contents = source.read_span(&(6..7).into(), 1, 1).unwrap();
        assert_eq!(contents.data(), b"a = 1\nb = 2\nc = 3\n");
        assert_eq!((contents.line(), contents.column()), (0, 0));
        let primary = source.read_span(&(10..11).into(), 0, 0).unwrap();
        assert_eq!((primary.line(), primary.column()), (1, 4));
    }

    #[test]
    fn a_long_line_is_cut_to_a_window_around_the_span() {
        let line = format!("x = [{}\"needle\"]\n", "\"hay\", ".repeat(10_000));
        let text = format!("[deployment]\n{line}");
        let start = text.find("needle").unwrap();
        let original = SourceText::new(text.clone());
        let source = BoundedSource::new("f".into(), text.clone(), &original);
        let contents = source.read_span(&(start..start + 6).into(), 1, 1).unwrap();
        assert!(contents.data().len() < MAX_CONTEXT_BYTES);
        let shown = std::str::from_utf8(contents.data()).unwrap();
        assert!(shown.contains("needle"));
        assert_eq!(contents.line(), 1);
        assert_eq!(contents.span().offset(), start - 80);
        assert_eq!(contents.column(), start - "[deployment]\n".len());
    }

    #[test]
    fn labels_are_capped_and_kept_on_character_boundaries() {
        let (original, text) = source(&"é".repeat(1000));
        let source = BoundedSource::new("f".into(), text, &original);
        let label = source.label_span(&(1..2000));
        assert_eq!(label, 0..512);
        assert_eq!(source.label_span(&(5000..6000)), 2000..2000);
    }
}

mod sarif_text {
    use srmlint::render::sarif::{artifact_uri, first_section};

    #[test]
    fn uris_are_relative_and_percent_encoded() {
        assert_eq!(
            artifact_uri("a b/c:d,e%/controls.toml"),
            (
                "a%20b/c%3Ad,e%25/controls.toml".to_owned(),
                Some("%SRCROOT%")
            )
        );
        assert_eq!(artifact_uri("./x.toml").0, "x.toml");
        assert_eq!(
            artifact_uri("/srv/repo/controls.toml"),
            ("file:///srv/repo/controls.toml".to_owned(), None)
        );
        assert_eq!(
            artifact_uri("C:/repo/ü.toml").0,
            "file:///C:/repo/%C3%BC.toml"
        );
    }

    #[test]
    fn full_description_is_the_first_section() {
        let doc = "## What it checks\nA control is\nunclaimed.\n\n## Why it matters\nBecause.\n";
        assert_eq!(
            first_section(doc).as_deref(),
            Some("A control is unclaimed.")
        );
        assert_eq!(first_section("## Only a heading\n"), None);
    }
}

mod fnv1a {
    use srmlint::diag::fingerprint::Fnv1a;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(Fnv1a::default().finish(), 0xcbf2_9ce4_8422_2325);
        assert_eq!(Fnv1a::default().bytes(b"a").finish(), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            Fnv1a::default().bytes(b"foobar").finish(),
            0x8594_4171_f739_67e8
        );
    }
}
