//! Reporters: one module per output format of `check`, each turning a `RunReport`
//! into text, and `report/` for the posture report's formats. Machine formats are
//! built from serde types with line and column, never from miette's renderer.

pub mod concise;
pub mod config;
pub mod diff;
pub mod excerpt;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod matrix;
pub mod oscal;
pub mod report;
pub mod rules;
pub mod sarif;

use crate::check::{Keep, RunReport};
use crate::data::matrix::Matrix;
use crate::diag::RuleInfo;

/// Every output format of `srmlint check` (`docs/formats.md`; what each is for is the
/// command line's help, `cli::values`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Concise,
    Sarif,
    Github,
    Gitlab,
    Junit,
}

impl Format {
    /// What a file's report must keep for this format: only JUnit reads the parsed
    /// model (to list the controls that apply as test cases); the human format quotes
    /// the text and SARIF and GitLab hash it into fingerprints; the others need only
    /// the findings.
    pub fn keep(self) -> Keep {
        match self {
            Format::Junit => Keep::Everything,
            Format::Human | Format::Sarif | Format::Gitlab => Keep::Findings,
            Format::Json | Format::Concise | Format::Github => Keep::Diagnostics,
        }
    }

    /// Whether the format shows each finding's fix: JSON's `fix`, SARIF's `fixes`, and
    /// the human format's count of fixable findings. Computing fixes parses the file
    /// again (toml_edit), so the other formats skip it.
    pub fn shows_fixes(self) -> bool {
        match self {
            Format::Json | Format::Sarif | Format::Human => true,
            Format::Concise | Format::Github | Format::Gitlab | Format::Junit => false,
        }
    }
}

/// Settings that shape rendering, and the context some formats describe besides the
/// findings.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    pub color: bool,
    /// Columns the human format wraps at.
    pub width: usize,
    /// Every rule that can fire in this run (`Checker::rules()`): SARIF lists them all
    /// in `driver.rules`, so a viewer can show the documentation of any result.
    pub rules: &'a [RuleInfo],
    /// The matrix the files were checked against: JUnit needs it to know which
    /// controls apply to each deployment (without it, JUnit lists only the controls
    /// that findings name), and SARIF names its version in the run's properties.
    pub matrix: Option<&'a Matrix>,
    /// `--deny-warnings`: warnings fail the run, so JUnit fails their test cases too.
    pub deny_warnings: bool,
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        Self {
            color: false,
            width: 100,
            rules: &[],
            matrix: None,
            deny_warnings: false,
        }
    }
}

/// Renders a run in `format`.
pub fn render(report: &RunReport, format: Format, options: RenderOptions) -> String {
    match format {
        Format::Human => human::render(report, options),
        Format::Json => json::render(report),
        Format::Concise => concise::render(report),
        Format::Sarif => sarif::render_with_matrix(report, options.rules, options.matrix),
        Format::Github => github::render(report),
        Format::Gitlab => gitlab::render(report),
        Format::Junit => junit::render(report, options.matrix, options.deny_warnings),
    }
}
