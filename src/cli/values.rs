//! The value types of the options that choose a format. The library's enums know no
//! clap; each is mirrored here, variant for variant, with the help `--help`, the man
//! page and the completions show, and parsed straight into the library's type.

use clap::ValueEnum;
use clap::builder::{EnumValueParser, TypedValueParser};

use srmlint::render::Format;
use srmlint::render::config::ConfigFormat;
use srmlint::render::diff::DiffFormat;
use srmlint::render::matrix::MatrixFormat;
use srmlint::render::report::ReportFormat;
use srmlint::render::rules::RulesFormat;

/// A clap value type `$name` with the variants of the library's `$library`, and the
/// conversion to it.
macro_rules! mirror {
    ($($name:ident => $library:ident { $($(#[$help:meta])* $variant:ident,)* })*) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
        pub enum $name {
            $($(#[$help])* $variant,)*
        }

        impl From<$name> for $library {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => Self::$variant,)*
                }
            }
        }
    )*};
}

mirror! {
    FormatArg => Format {
        /// miette's graphical report: source excerpt, labels, help, and a summary line.
        Human,
        /// The stable JSON document (`docs/formats.md`).
        Json,
        /// One line a finding, `path:line:col: severity[CODE] message`, for editors and
        /// pre-commit.
        Concise,
        /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
        Sarif,
        /// GitHub Actions workflow commands: annotations on the pull request's diff.
        Github,
        /// GitLab Code Quality JSON, for the merge-request widget.
        Gitlab,
        /// JUnit XML: one testsuite a file, one testcase a control, for CI test tabs.
        Junit,
    }
    ReportFormatArg => ReportFormat {
        /// GitHub-flavoured Markdown, fit for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
        Markdown,
        /// One self-contained HTML file: inline CSS, no scripts, nothing fetched; prints to PDF.
        Html,
        /// The report as data, for GRC tools (shape in docs/report-json.md).
        Json,
        /// One deployment as an OSCAL 1.2.3 system security plan (docs/oscal.md).
        Oscal,
        /// One row per requirement of each framework, RFC 4180 (docs/report.md).
        Csv,
        /// A workbook with the ISO 27001 Statement of Applicability; needs --output (docs/report.md).
        Xlsx,
    }
    DiffFormatArg => DiffFormat {
        /// Plain text for a terminal.
        Human,
        /// A pull-request comment or step summary: a verdict line, then short tables.
        Markdown,
        /// The stable JSON document (`docs/diff.md`).
        Json,
    }
    MatrixFormatArg => MatrixFormat {
        /// A terminal table of owners, then what each side does per control.
        Table,
        /// The same as a Markdown table.
        Markdown,
        /// The matrix as data: controls, parts, services and zones.
        Json,
        /// The provider side as an OSCAL 1.2.3 SSP of the leveraged system (docs/oscal.md).
        Oscal,
        /// srmlint's controls as an OSCAL 1.2.3 catalog, with the framework crosswalks.
        OscalCatalog,
        /// An OSCAL 1.2.3 profile importing every control of the catalog: what the SSPs import.
        OscalProfile,
        /// The crosswalk to one framework (`--framework`) as an OSCAL 1.2.3 mapping collection.
        OscalMapping,
    }
    ConfigFormatArg => ConfigFormat {
        /// TOML, each setting followed by a comment naming its file.
        Toml,
        /// JSON: each setting's value and the file it came from (null: the default).
        Json,
    }
    RulesFormatArg => RulesFormat {
        Table,
        Json,
    }
}

/// The parser of an option whose value is `Arg`'s name and whose field is the
/// library's type: `#[arg(value_parser = choice::<FormatArg, Format>())]`.
pub fn choice<Arg, Library>() -> impl TypedValueParser<Value = Library>
where
    Arg: ValueEnum + Clone + Send + Sync + 'static,
    Library: From<Arg> + Clone + Send + Sync + 'static,
{
    EnumValueParser::<Arg>::new().map(Library::from)
}
