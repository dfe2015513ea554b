//! The rule registry is a contract: codes are unique and never renamed, every rule is
//! documented in the fixed sections, and the list below changes only on purpose.

use std::collections::BTreeSet;

use srmlint::rules::BUILTIN_RULES;

#[test]
fn codes_and_names_are_unique_and_stable() {
    let listed: Vec<(&str, &str, &str)> = BUILTIN_RULES
        .iter()
        .map(|rule| (rule.code, rule.name, rule.severity.as_str()))
        .collect();
    let expected = [
        ("SRM001", "unclaimed-customer-control", "error"),
        ("SRM002", "provider-control-claimed", "error"),
        ("SRM003", "customer-control-delegated", "error"),
        ("SRM004", "owner-mismatch", "warning"),
        ("SRM005", "inapplicable-control", "warning"),
        ("SRM010", "unknown-control", "error"),
        ("SRM011", "unknown-service", "error"),
        ("SRM012", "unknown-zone", "error"),
        ("SRM013", "residency-violation", "error"),
        ("SRM014", "unknown-provider", "error"),
        ("SRM015", "no-services", "error"),
        ("SRM016", "unknown-framework", "error"),
        ("SRM017", "residency-unchecked", "warning"),
        ("SRM018", "duplicate-value", "warning"),
        ("SRM019", "matrix-version-mismatch", "warning"),
        ("SRM020", "invalid-toml", "error"),
        ("SRM021", "invalid-field", "error"),
        ("SRM022", "unreadable-file", "error"),
        ("SRM030", "missing-accountable", "warning"),
        ("SRM031", "missing-evidence", "warning"),
        ("SRM032", "evidence-not-found", "error"),
        ("SRM033", "evidence-outside-repo", "error"),
        ("SRM034", "stale-review", "warning"),
        ("SRM035", "review-in-future", "warning"),
        ("SRM036", "placeholder-value", "warning"),
        ("SRM037", "evidence-placeholder", "warning"),
        ("SRM038", "unfilled-claim", "error"),
        ("SRM040", "expired-waiver", "error"),
        ("SRM041", "unused-waiver", "warning"),
        ("SRM042", "invalid-waiver", "error"),
        ("SRM050", "undeclared-service", "error"),
        ("SRM051", "unused-service", "warning"),
        ("SRM052", "undeclared-zone", "error"),
        ("SRM053", "invalid-terraform", "error"),
        ("SRM054", "unresolved-terraform-value", "info"),
        ("SRM055", "unmapped-resource", "info"),
    ];
    assert_eq!(listed, expected);
    let codes: BTreeSet<&str> = BUILTIN_RULES.iter().map(|rule| rule.code).collect();
    let names: BTreeSet<&str> = BUILTIN_RULES.iter().map(|rule| rule.name).collect();
    assert_eq!(codes.len(), BUILTIN_RULES.len());
    assert_eq!(names.len(), BUILTIN_RULES.len());
    // The rules about waivers can neither be waived nor, for the two that fail a
    // run, turned down.
    let unwaivable: Vec<&str> = BUILTIN_RULES
        .iter()
        .filter(|rule| !rule.waivable)
        .map(|rule| rule.code)
        .collect();
    assert_eq!(unwaivable, ["SRM040", "SRM041", "SRM042"]);
    let fixed: Vec<&str> = BUILTIN_RULES
        .iter()
        .filter(|rule| rule.fixed_level)
        .map(|rule| rule.code)
        .collect();
    assert_eq!(fixed, ["SRM040", "SRM042"]);
}

#[test]
fn every_rule_is_documented_in_the_fixed_sections() {
    let sections = [
        "## What it checks",
        "## Why it matters",
        "## Example",
        "## Use instead",
        "## References",
    ];
    for rule in BUILTIN_RULES {
        assert!(!rule.summary.is_empty(), "{}", rule.code);
        let mut last = 0;
        for section in sections {
            let position = rule
                .doc
                .find(section)
                .unwrap_or_else(|| panic!("{} lacks `{section}`", rule.code));
            assert!(position >= last, "{}: `{section}` out of order", rule.code);
            let body = rule.doc[position + section.len()..]
                .split("\n## ")
                .next()
                .unwrap();
            assert!(
                body.trim().len() > 20,
                "{}: `{section}` is empty",
                rule.code
            );
            last = position;
        }
        assert!(rule.doc.starts_with("## What it checks"), "{}", rule.code);
    }
}
