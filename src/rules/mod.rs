//! The registry of built-in rules: codes, names, default severities and the
//! documentation that `srmlint explain`, `srmlint rules` and SARIF all print.
//! Codes are a contract: never renamed, renumbered or reused.

use crate::diagnostic::Severity;

#[derive(Debug)]
pub struct BuiltinRule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    /// One line on what fires it; the short description in SARIF and `rules`.
    pub summary: &'static str,
    /// Markdown with the sections What it checks / Why it matters / Example /
    /// Use instead / References.
    pub doc: &'static str,
}

macro_rules! builtin_rules {
    ($($ident:ident, $name:literal, $severity:ident, $summary:literal;)*) => {
        $(
            pub static $ident: BuiltinRule = BuiltinRule {
                code: stringify!($ident),
                name: $name,
                severity: Severity::$severity,
                summary: $summary,
                doc: include_str!(concat!("docs/", stringify!($ident), ".md")),
            };
        )*
        /// Every built-in rule, in code order.
        pub static BUILTIN_RULES: &[&BuiltinRule] = &[$(&$ident),*];
    };
}

builtin_rules! {
    SRM001, "unclaimed-customer-control", Error, "A control with a customer part in a model in use has no claim covering that model.";
    SRM002, "provider-control-claimed", Error, "The entry claims a control that the matrix gives to the provider only for every model it covers.";
    SRM003, "customer-control-delegated", Error, "The entry hands to the provider a control in which the customer has a part.";
    SRM004, "owner-mismatch", Warning, "The owner word differs from the matrix owner over the models the entry covers.";
    SRM005, "inapplicable-control", Warning, "The entry concerns a control or model that the deployment does not use.";
    SRM010, "unknown-control", Error, "The control id is not in the matrix.";
    SRM011, "unknown-service", Error, "The service id is not in the catalog.";
    SRM012, "unknown-zone", Error, "The zone id is not in the catalog.";
    SRM013, "residency-violation", Error, "A zone lies outside the declared residency.";
    SRM014, "unknown-provider", Error, "There is no matrix for the named provider.";
    SRM015, "no-services", Error, "The deployment declares no services.";
    SRM016, "unknown-framework", Error, "The framework has no mapping.";
    SRM020, "invalid-toml", Error, "The file is not valid TOML.";
    SRM021, "invalid-field", Error, "Unknown key, wrong type or bad value.";
    SRM022, "unreadable-file", Error, "The controls file cannot be read or decoded.";
    SRM030, "missing-accountable", Warning, "A customer claim names no one accountable.";
    SRM031, "missing-evidence", Warning, "A customer claim cites no evidence.";
    SRM032, "evidence-not-found", Error, "A repository-relative evidence path does not exist.";
    SRM033, "evidence-outside-repo", Error, "An evidence path is absolute or escapes the repository root.";
    SRM034, "stale-review", Warning, "The last review is older than the limit.";
    SRM035, "review-in-future", Warning, "The review date is after today.";
    SRM036, "placeholder-value", Warning, "A claim's field still holds a placeholder.";
    SRM040, "expired-waiver", Error, "A waiver is past its expiry date.";
    SRM041, "unused-waiver", Warning, "A waiver matched no finding.";
    SRM042, "invalid-waiver", Error, "A waiver is incomplete, too long, or names an unknown rule or control.";
}

/// The built-in rule with this code, if any.
pub fn builtin(code: &str) -> Option<&'static BuiltinRule> {
    BUILTIN_RULES.iter().copied().find(|rule| rule.code == code)
}

/// The built-in rule with this code or name.
pub fn builtin_by_code_or_name(key: &str) -> Option<&'static BuiltinRule> {
    let upper = key.to_ascii_uppercase();
    BUILTIN_RULES
        .iter()
        .copied()
        .find(|rule| rule.code == upper || rule.name == key)
}

/// Rules about waivers themselves: a waiver never hides them.
pub fn is_unwaivable(code: &str) -> bool {
    matches!(code, "SRM040" | "SRM041" | "SRM042")
}
