//! `srmlint rules`: every rule of the run, one a row of a terminal table or an entry
//! of a JSON array, from the same registry `explain`, SARIF and the docs use.

use std::fmt::Write as _;

use serde::Serialize;

use crate::diag::RuleInfo;

/// How `srmlint rules` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulesFormat {
    Table,
    Json,
}

#[derive(Serialize)]
struct RuleRow<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    summary: &'a str,
    origin: &'a str,
}

/// Every rule, one a row (table) or as a JSON array, in the order given.
pub fn render(rules: &[RuleInfo], format: RulesFormat) -> String {
    match format {
        RulesFormat::Json => {
            let rows: Vec<RuleRow<'_>> = rules
                .iter()
                .map(|rule| RuleRow {
                    code: &rule.code,
                    name: &rule.name,
                    severity: rule.severity.as_str(),
                    summary: &rule.summary,
                    origin: &rule.origin,
                })
                .collect();
            crate::text::json::document(&rows)
        }
        RulesFormat::Table => {
            let code_width = column_width("CODE", rules.iter().map(|rule| rule.code.as_str()));
            let name_width = column_width("NAME", rules.iter().map(|rule| rule.name.as_str()));
            let mut out = format!(
                "{:<code_width$}  {:<name_width$}  {:<8}  ORIGIN\n",
                "CODE", "NAME", "SEVERITY"
            );
            for rule in rules {
                let _ = writeln!(
                    out,
                    "{:<code_width$}  {:<name_width$}  {:<8}  {}",
                    rule.code,
                    rule.name,
                    rule.severity.as_str(),
                    rule.origin
                );
            }
            out
        }
    }
}

fn column_width<'a>(header: &str, cells: impl Iterator<Item = &'a str>) -> usize {
    cells
        .map(|cell| cell.chars().count())
        .chain([header.len()])
        .max()
        .unwrap_or(0)
}
