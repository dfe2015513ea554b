//! The library's building blocks, each on its own: the baseline policy, `explain`, the
//! embedded matrix and frameworks, discovery names.

mod policy {
    use srmlint::data::matrix::Matrix;
    use srmlint::policy::{baseline, parse};
    use srmlint::rules;

    #[test]
    fn the_baseline_loads_and_matches_the_registry() {
        let matrix = Matrix::embedded();
        let rules_loaded = baseline(&matrix).unwrap();
        let codes: Vec<&str> = rules_loaded.iter().map(|rule| rule.code.as_str()).collect();
        assert_eq!(codes, ["SRM030", "SRM031", "SRM034", "SRM035", "SRM036"]);
        for rule in &rules_loaded {
            let registered = rules::builtin(&rule.code).unwrap();
            assert_eq!(rule.name, registered.name, "{}", rule.code);
            assert_eq!(rule.severity, registered.severity, "{}", rule.code);
        }
    }

    #[test]
    fn user_policies_may_not_use_srm_codes_but_the_baseline_may() {
        let matrix = Matrix::embedded();
        let text = "[[rule]]\ncode = \"SRM030\"\nname = \"n\"\nmessage = \"m\"\n[rule.require]\nfield = \"notes\"\npresent = true\n";
        assert!(parse(text, "user.toml", &matrix, false).is_err());
        assert!(parse(text, "baseline", &matrix, true).is_ok());
    }
}

mod explain {
    use srmlint::authoring::explain::{Sources, explain};
    use srmlint::check::{Checker, LoadSettings};
    use srmlint::render::rules::{RulesFormat, render as render_rules};

    fn checker() -> Checker {
        Checker::load(&LoadSettings::default()).unwrap()
    }

    /// `explain(name)` over the default checker's rules and the embedded matrix and
    /// frameworks.
    fn explain_default(name: &str) -> Result<String, srmlint::diag::Error> {
        let checker = checker();
        let rules = checker.rules();
        let sources = Sources {
            rules: &rules,
            matrix: &checker.matrix,
            frameworks: &srmlint::data::frameworks::embedded(),
        };
        explain(name, sources)
    }

    #[test]
    fn a_rule_is_found_by_code_in_any_case_and_by_name() {
        let by_code = explain_default("srm001").unwrap();
        assert!(by_code.starts_with("SRM001 unclaimed-customer-control (error)\n"));
        assert!(by_code.contains("## Why it matters"));
        assert_eq!(
            explain_default("unclaimed-customer-control").unwrap(),
            by_code
        );
    }

    #[test]
    fn a_typo_gets_a_suggestion() {
        let error = explain_default("backup-restor").unwrap_err();
        assert!(
            error.message.contains("did you mean `backup-restore`?"),
            "{error}"
        );
    }

    #[test]
    fn the_rule_table_has_a_row_per_rule() {
        let rules = checker().rules();
        let table = render_rules(&rules, RulesFormat::Table);
        assert_eq!(table.lines().count(), rules.len() + 1);
    }
}

mod matrix {
    use srmlint::data::matrix::Matrix;

    #[test]
    fn embedded_matrix_loads() {
        let matrix = Matrix::embedded();
        assert_eq!(matrix.controls.len(), 18);
        assert_eq!(matrix.zones.len(), 8);
    }

    #[test]
    fn residency_accepts_codes_regions_and_unions() {
        let matrix = Matrix::embedded();
        let eea_ch = matrix.residency_countries("EEA+CH").unwrap();
        assert!(eea_ch.contains("CH") && eea_ch.contains("DE") && eea_ch.contains("NO"));
        assert!(!matrix.residency_countries("EEA").unwrap().contains("CH"));
        assert_eq!(matrix.residency_countries("CH").unwrap().len(), 1);
        assert!(matrix.residency_countries("Swiss").is_err());
        assert!(matrix.residency_countries("ch").is_err());
    }
}

mod frameworks {
    #[test]
    fn each_file_is_named_after_its_id() {
        let parsed: Vec<String> = srmlint::data::frameworks::embedded()
            .iter()
            .map(|framework| framework.id().to_owned())
            .collect();
        let named: Vec<&str> = srmlint::data::frameworks::embedded_ids().collect();
        assert_eq!(parsed, named);
    }
}

mod discover {
    use srmlint::input::discover::is_controls_file_name;

    #[test]
    fn recognises_controls_file_names() {
        assert!(is_controls_file_name("controls.toml"));
        assert!(is_controls_file_name("payments.controls.toml"));
        assert!(!is_controls_file_name(".controls.toml"));
        assert!(!is_controls_file_name("controls.toml.bak"));
        assert!(!is_controls_file_name("Cargo.toml"));
    }
}

mod init {
    use std::collections::BTreeSet;

    use srmlint::authoring::init::{Obligation, obligations};
    use srmlint::data::matrix::{Matrix, MatrixOwner};
    use srmlint::text::escape::toml_comment;

    fn owed(services: &[&str]) -> Vec<(String, Obligation)> {
        let matrix = Matrix::embedded();
        let services: BTreeSet<String> = services.iter().map(|s| (*s).to_owned()).collect();
        obligations(&matrix, &services)
            .into_iter()
            .map(|(control, obligation)| (control.id.clone(), obligation))
            .collect()
    }

    fn obligation_of<'a>(owed: &'a [(String, Obligation)], id: &str) -> Option<&'a Obligation> {
        owed.iter()
            .find(|(control, _)| control == id)
            .map(|(_, obligation)| obligation)
    }

    #[test]
    fn compute_alone_owns_encryption_at_rest_and_skips_nothing_iaas() {
        let owed = owed(&["compute"]);
        assert_eq!(
            obligation_of(&owed, "encryption-at-rest"),
            Some(&Obligation::Claim(MatrixOwner::Customer))
        );
        assert_eq!(
            obligation_of(&owed, "workload-operations"),
            Some(&Obligation::Claim(MatrixOwner::Customer))
        );
        assert_eq!(
            obligation_of(&owed, "physical-security"),
            Some(&Obligation::Acknowledge("exoscale".to_owned()))
        );
        assert_eq!(owed.len(), 18);
    }

    #[test]
    fn object_storage_makes_encryption_at_rest_shared() {
        let owed = owed(&["compute", "object-storage"]);
        assert_eq!(
            obligation_of(&owed, "encryption-at-rest"),
            Some(&Obligation::Claim(MatrixOwner::Shared))
        );
    }

    #[test]
    fn dbaas_only_leaves_out_workload_operations() {
        let owed = owed(&["dbaas-pg"]);
        assert_eq!(obligation_of(&owed, "workload-operations"), None);
        assert_eq!(
            obligation_of(&owed, "backup-restore"),
            Some(&Obligation::Claim(MatrixOwner::Shared))
        );
    }

    #[test]
    fn comments_wrap_and_never_leave_the_comment() {
        let mut out = String::new();
        let long = "word ".repeat(40);
        toml_comment(
            &mut out,
            &format!("{long}\n[controls.injected]\nowner = \"customer\""),
        );
        assert!(out.lines().count() > 2);
        for line in out.lines() {
            assert!(
                line.starts_with('#') && line.chars().count() <= 88,
                "{line:?}"
            );
        }
        assert!(toml::from_str::<toml::Table>(&out).unwrap().is_empty());
    }
}

mod schema {
    use srmlint::authoring::schema::{render, schema};
    use srmlint::data::matrix::Matrix;

    #[test]
    fn residency_pattern_matches_what_the_matrix_accepts() {
        let matrix = Matrix::embedded();
        let schema = schema(&matrix);
        let pattern = schema["properties"]["deployment"]["properties"]["residency"]["pattern"]
            .as_str()
            .expect("residency has a pattern");
        let regex = regex::Regex::new(pattern).unwrap();
        for accepted in ["CH", "EEA", "EEA+CH", "DE+AT"] {
            assert!(regex.is_match(accepted), "{accepted}");
            assert!(Matrix::embedded().residency_countries(accepted).is_ok());
        }
        for rejected in ["ch", "Swiss", "EEA+", "+CH", "EEAX", "EU", "XX"] {
            assert!(!regex.is_match(rejected), "{rejected}");
            assert!(Matrix::embedded().residency_countries(rejected).is_err());
        }
    }

    #[test]
    fn rendering_is_stable() {
        let matrix = Matrix::embedded();
        assert_eq!(render(&matrix), render(&matrix));
    }
}

mod evidence {
    use srmlint::check::Checker;
    use srmlint::data::matrix::Matrix;
    use srmlint::rules::evidence::EvidenceBase;
    use srmlint::text::date::Date;

    /// The codes an entry citing `evidence` gets, checked in a folder outside any
    /// repository that holds nothing.
    fn codes_for(evidence: &str) -> Vec<String> {
        let dir = std::env::temp_dir().join(format!("srmlint-evidence-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = format!(
            "[deployment]\nservices = [\"dns\"]\nzones = [\"ch-gva-2\"]\n[controls.tenant-iam]\nowner = \"customer\"\naccountable = \"a@b.example\"\nevidence = [{}]\n",
            srmlint::text::escape::toml_string(evidence)
        );
        let checker = Checker::new(Matrix::embedded(), Date::parse("2026-11-28").unwrap());
        let base = EvidenceBase::for_file(&dir.join("controls.toml"));
        let report = checker.check_text(text, "controls.toml", &base);
        report
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.code.starts_with("SRM03"))
            .map(|diagnostic| diagnostic.code.clone())
            .collect()
    }

    #[test]
    fn urls_are_never_looked_up_and_absolute_paths_are_outside() {
        assert!(codes_for("https://wiki.example/page").is_empty());
        assert_eq!(codes_for("/etc/passwd"), ["SRM033"]);
        assert_eq!(codes_for("C:\\evidence.txt"), ["SRM033"]);
        assert_eq!(codes_for("docs/x.md"), ["SRM032"]);
    }
}
