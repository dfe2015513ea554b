//! The command line's arguments: every command, option and value type, declared
//! with clap so `--help`, the man page and shell completions come from one place.
//! `fixing` runs `check --fix` and `--diff` for the binary.

pub mod completions;
pub mod fixing;
mod values;

use std::path::PathBuf;

mod terraform_args;
pub use terraform_args::TerraformVarArgs;

use clap::{Parser, Subcommand, ValueEnum};

use srmlint::data::frameworks;
use srmlint::data::matrix::Matrix;
use srmlint::render::Format;
use srmlint::render::config::ConfigFormat;
use srmlint::render::diff::DiffFormat;
use srmlint::render::matrix::MatrixFormat;
use srmlint::render::report::ReportFormat;
use srmlint::render::rules::RulesFormat;
use srmlint::rules::BUILTIN_RULES;
use srmlint::text::date::Date;
use values::{
    ConfigFormatArg, DiffFormatArg, FormatArg, MatrixFormatArg, ReportFormatArg, RulesFormatArg,
    choice,
};

/// Checks who owns each security control of a cloud deployment against the
/// provider's Shared Responsibility Model.
#[derive(Debug, Parser)]
#[command(
    name = "srmlint",
    version,
    about,
    propagate_version = true,
    after_help = "Examples:\n  srmlint init --services compute,dbaas-pg --zones ch-gva-2\n  srmlint check\n  srmlint explain SRM001\n\nExit codes: 0 no error-level finding, 1 findings that fail the run, 2 the tool could not do its job."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check controls files against the matrix.
    #[command(
        after_help = "Examples:\n  srmlint check\n  srmlint check examples/clinic --format json\n  srmlint check controls.toml --today 2026-11-28 --deny-warnings\n  srmlint check --diff\n  srmlint check --fix --unsafe-fixes"
    )]
    Check(CheckArgs),
    /// Print the responsibility matrix: who owns what, per service model.
    #[command(
        after_help = "Examples:\n  srmlint matrix\n  srmlint matrix --model dbaas --format markdown\n  srmlint matrix --format oscal > srmlint-matrix-ssp.json\n  srmlint matrix --format oscal-profile > srmlint-profile.json\n  srmlint matrix --format oscal-mapping --framework iso27001 > srmlint-mapping-iso27001.json"
    )]
    Matrix(MatrixArgs),
    /// Write a starter controls file with every claim your services owe.
    #[command(after_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Explain a rule (code or name) or a control of the matrix.
    #[command(
        after_help = "Examples:\n  srmlint explain SRM001\n  srmlint explain unclaimed-customer-control\n  srmlint explain backup-restore"
    )]
    Explain(ExplainArgs),
    /// List every rule, built-in and loaded from policies.
    #[command(
        after_help = "Examples:\n  srmlint rules\n  srmlint rules --format json\n  srmlint rules --policy policies/acme.toml"
    )]
    Rules(RulesArgs),
    /// Print the JSON Schema of the controls file, for editor completion.
    #[command(
        after_help = "Examples:\n  srmlint schema > controls.schema.json\n\nThen start controls.toml with `#:schema ./controls.schema.json` (taplo / Even Better TOML)."
    )]
    Schema(SchemaArgs),
    /// Print shell completions.
    #[command(
        after_help = "Examples:\n  srmlint completions bash > ~/.local/share/bash-completion/completions/srmlint\n  srmlint completions zsh > ~/.zfunc/_srmlint\n  srmlint completions fish > ~/.config/fish/completions/srmlint.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the man page (roff) of srmlint or of one of its commands.
    #[command(
        after_help = "Examples:\n  srmlint man > srmlint.1 && man ./srmlint.1\n  srmlint man check | man -l -"
    )]
    Man(ManArgs),
    /// Write the pre-audit posture report: ownership grid, claims, gaps, waivers and
    /// framework coverage, one section per deployment.
    #[command(
        after_help = "Exit codes: 0 the report was written (gaps or not; gate CI with `srmlint check`), 2 the tool could not write it.\n\nExamples:\n  srmlint report controls.toml --format html --output posture.html\n  srmlint report examples --framework iso27001 --framework nis2\n  srmlint report --format markdown >> \"$GITHUB_STEP_SUMMARY\"\n  srmlint report controls.toml --format oscal --output ssp.json"
    )]
    Report(ReportArgs),
    /// Show what a change does to control ownership: per controls file, the
    /// deployment, entry and waiver changes and the findings introduced or resolved.
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
    /// Show the effective configuration of a controls file or folder, each setting with
    /// the `.srmlint.toml` it came from.
    #[command(
        after_help = "Configuration inherits down the tree: policies add up, other settings and rule levels are overridden key by key by the nearer `.srmlint.toml`, and `root = true` starts afresh.\n\nExamples:\n  srmlint config\n  srmlint config services/payments/controls.toml --format json"
    )]
    Config(ConfigArgs),
    /// Run the language server (LSP over standard input and output) for editors:
    /// diagnostics, hover, completion and quick fixes in controls files and `.srmlint.toml`.
    #[command(
        after_help = "Started by an editor, not by hand: see docs/editors.md for VS Code, Neovim and Helix.\n\nExit codes: 0 after the client's shutdown and exit, 1 when the client went away without them, 2 the server could not start."
    )]
    Server(ServerArgs),
}

const DIFF_HELP: &str = "Compares the controls files of two revisions (default: HEAD and the work tree, untracked files included), both judged with the same matrix, configuration, policies and date.

Exit codes: 0 the change introduces no error-level finding, 1 it does, 2 the tool could not run (git missing, not a git repository, unknown revision).

Examples:
  srmlint diff
  srmlint diff --base origin/main --format markdown >> \"$GITHUB_STEP_SUMMARY\"
  srmlint diff --base v1.2.0 --head HEAD examples/clinic --format json";

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// Controls files or folders to compare (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// The revision the change starts from.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub base: String,
    /// The revision the change ends at (default: the work tree).
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// Output format.
    #[arg(long, value_parser = choice::<DiffFormatArg, DiffFormat>(), default_value = "human")]
    pub format: DiffFormat,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Also hold every file compared against this Terraform (as `check --terraform`).
    #[arg(long = "terraform", value_name = "PATH")]
    pub terraform: Vec<PathBuf>,
    #[command(flatten)]
    pub terraform_vars: TerraformVarArgs,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Controls files or folders to walk (default: the current folder); one section per file.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_parser = choice::<ReportFormatArg, ReportFormat>(), default_value = "markdown")]
    pub format: ReportFormat,
    /// Cover this framework (repeatable; default: each file's `frameworks`).
    #[arg(long = "framework", value_name = "ID", value_parser = Offered(framework_ids), hide_possible_values = true)]
    pub frameworks: Vec<String>,
    /// Write the report to FILE instead of stdout (atomically).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE given with `--output` when it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Also hold every file reported against this Terraform (as `check --terraform`).
    #[arg(long = "terraform", value_name = "PATH")]
    pub terraform: Vec<PathBuf>,
    #[command(flatten)]
    pub terraform_vars: TerraformVarArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Controls files or folders to walk (default: the current folder); `-` reads one
    /// controls file from standard input.
    pub paths: Vec<PathBuf>,
    /// With `-`: the path the text on standard input stands for, used in output and
    /// to resolve its evidence and configuration (editors, pre-commit on staged files).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_parser = choice::<FormatArg, Format>(), default_value = "human")]
    pub format: Format,
    /// Write the output to FILE instead of stdout (atomically).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the `--output` file when it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Exit 0 even when findings fail the run (the tool's own errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Colour in human output (`NO_COLOR` turns `auto` off).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Also hold every file checked against this Terraform: a root-module folder or a
    /// `terraform show -json` plan or state (repeatable; relative to the working directory).
    #[arg(long = "terraform", value_name = "PATH")]
    pub terraform: Vec<PathBuf>,
    #[command(flatten)]
    pub terraform_vars: TerraformVarArgs,
    /// Apply the safe fixes to the controls files, then report what is left
    /// (comments and layout are kept). With `-`: the fixed text goes to stdout, the
    /// findings to stderr.
    #[arg(long)]
    pub fix: bool,
    /// Also apply the fixes that need a person's review (with `--fix` or `--diff`).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff instead of writing them; exit 1 when there
    /// is something to fix.
    #[arg(long)]
    pub diff: bool,
}

/// Inputs shared by every command that checks files.
#[derive(Debug, clap::Args)]
pub struct CommonArgs {
    /// Use this matrix file instead of the embedded Exoscale matrix.
    #[arg(long, value_name = "FILE")]
    pub matrix: Option<PathBuf>,
    /// Load custom rules from a policy file, or a folder walked for `*.toml` (repeatable).
    #[arg(long, value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// Pin today's date (YYYY-MM-DD) for reproducible date rules.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,
    /// The most bytes one run reads from files, in all (a number of bytes, or with
    /// KiB, MiB or GiB); past it the run stops with exit 2.
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes, default_value = "256MiB")]
    pub max_input_bytes: u64,
}

/// `268435456`, `256MiB`, `512 KiB`, `1GiB`: a number of bytes.
fn parse_bytes(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a number of bytes (such as 268435456 or 256MiB)"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" | "kb" => 1024,
        "m" | "mib" | "mb" => 1024 * 1024,
        "g" | "gib" | "gb" => 1024 * 1024 * 1024,
        _ => return Err(format!("`{text}`: the unit must be KiB, MiB or GiB")),
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[derive(Debug, clap::Args)]
pub struct MatrixArgs {
    /// Output format.
    #[arg(long, value_parser = choice::<MatrixFormatArg, MatrixFormat>(), default_value = "table")]
    pub format: MatrixFormat,
    /// Only this service model (e.g. iaas, dbaas).
    #[arg(long, value_parser = Offered(model_ids), hide_possible_values = true)]
    pub model: Option<String>,
    /// With `--format oscal-mapping`: the framework to map srmlint's controls to.
    #[arg(long, value_name = "ID", value_parser = Offered(framework_ids), hide_possible_values = true)]
    pub framework: Option<String>,
    /// Show this matrix file instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    pub matrix: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<MatrixCommand>,
}

#[derive(Debug, Subcommand)]
pub enum MatrixCommand {
    /// Show what changed between two matrix files or versions srmlint holds.
    #[command(
        after_help = "OLD and NEW are each a matrix file (when such a file exists) or a matrix version built into srmlint.\n\nExit codes: 0 whatever changed (1 with --exit-code when something did), 2 an argument that is neither a file nor a held version, or an invalid matrix file.\n\nExamples:\n  srmlint matrix diff 2026-11 policies/exoscale.toml\n  srmlint matrix diff 2026-11 new-matrix.toml --format markdown\n  srmlint matrix diff old.toml new.toml --format json --exit-code"
    )]
    Diff(MatrixDiffArgs),
}

#[derive(Debug, clap::Args)]
pub struct MatrixDiffArgs {
    /// The older matrix: a file, or a version srmlint holds.
    pub old: String,
    /// The newer matrix: a file, or a version srmlint holds.
    pub new: String,
    /// Output format.
    #[arg(long, value_parser = choice::<DiffFormatArg, DiffFormat>(), default_value = "human")]
    pub format: DiffFormat,
    /// Exit 1 when the two differ, as `git diff --exit-code` does.
    #[arg(long)]
    pub exit_code: bool,
}

const INIT_EXAMPLES: &str = "Examples:
  srmlint init --services compute,object-storage,dbaas-pg --zones ch-gva-2 --residency CH
  srmlint init --services sks,block-storage --zones de-fra-1,de-muc-1 --regulated healthcare --output shop.controls.toml
  srmlint init --services compute --zones at-vie-1 --output -
  srmlint init --terraform infra --residency CH
  srmlint init          (lists the services and zones)";

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Services the deployment uses, comma-separated (without it, lists them).
    #[arg(long, value_name = "ID,...", value_delimiter = ',', value_parser = Offered(service_ids), hide_possible_values = true)]
    pub services: Vec<String>,
    /// Zones the deployment runs in, comma-separated (without it, lists them).
    #[arg(long, value_name = "ID,...", value_delimiter = ',', value_parser = Offered(zone_ids), hide_possible_values = true)]
    pub zones: Vec<String>,
    /// Where the data must stay: a country code (CH), a region (EEA), or both (EEA+CH).
    #[arg(long, value_name = "R")]
    pub residency: Option<String>,
    /// Sector rules the deployment falls under, comma-separated (e.g. healthcare).
    #[arg(long, value_name = "X,...", value_delimiter = ',')]
    pub regulated: Vec<String>,
    /// The deployment's name (default: the name of the folder the file goes to).
    #[arg(long)]
    pub name: Option<String>,
    /// Where to write the file; `-` prints it.
    #[arg(long, value_name = "FILE", default_value = "controls.toml")]
    pub output: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// What the `#:schema` line points at, relative to the file (or a URL). Without
    /// it, `init` writes `controls.schema.json` beside the file and points at that;
    /// with `--output -`, no line.
    #[arg(long, value_name = "PATH-OR-URL")]
    pub schema: Option<String>,
    /// Use this matrix file instead of the embedded Exoscale matrix.
    #[arg(long, value_name = "FILE")]
    pub matrix: Option<PathBuf>,
    /// Take services and zones from this Terraform (a root-module folder or a
    /// `terraform show -json` file; repeatable) and name it in `terraform`.
    #[arg(long = "terraform", value_name = "PATH")]
    pub terraform: Vec<PathBuf>,
    /// The most bytes the run reads from files, in all (as for `check`).
    #[arg(long, value_name = "BYTES", value_parser = parse_bytes, default_value = "256MiB")]
    pub max_input_bytes: u64,
    #[command(flatten)]
    pub terraform_vars: TerraformVarArgs,
}

#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// A controls file or folder (default: the current folder).
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_parser = choice::<ConfigFormatArg, ConfigFormat>(), default_value = "toml")]
    pub format: ConfigFormat,
}

#[derive(Debug, clap::Args)]
pub struct ServerArgs {
    /// Speak over standard input and output (the only transport; accepted because
    /// many editors pass it).
    #[arg(long)]
    pub stdio: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A rule code (SRM001), a rule name (unclaimed-customer-control) or a control id.
    #[arg(value_parser = Offered(rule_codes_and_control_ids), hide_possible_values = true)]
    pub name: String,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_parser = choice::<RulesFormatArg, RulesFormat>(), default_value = "table")]
    pub format: RulesFormat,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Build the schema from this matrix file instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    pub matrix: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// A command to print the page of (default: srmlint itself).
    pub command: Option<String>,
}

/// A value parser that takes any text (srmlint checks it and suggests what was meant)
/// and offers the embedded matrix's and registry's ids as values, so shell completions
/// complete rule codes, control ids, services, zones, models and frameworks.
#[derive(Clone, Copy)]
pub struct Offered(fn() -> Vec<String>);

impl clap::builder::TypedValueParser for Offered {
    type Value = String;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(command, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            (self.0)()
                .into_iter()
                .map(clap::builder::PossibleValue::new),
        ))
    }
}

fn service_ids() -> Vec<String> {
    Matrix::embedded().services.into_keys().collect()
}

fn zone_ids() -> Vec<String> {
    Matrix::embedded().zones.into_keys().collect()
}

fn model_ids() -> Vec<String> {
    Matrix::embedded().models.into_keys().collect()
}

fn framework_ids() -> Vec<String> {
    frameworks::embedded_ids().map(str::to_owned).collect()
}

fn rule_codes_and_control_ids() -> Vec<String> {
    let matrix = Matrix::embedded();
    let codes = BUILTIN_RULES.iter().map(|rule| rule.code);
    codes
        .chain(matrix.control_ids())
        .map(str::to_owned)
        .collect()
}

pub fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date of the form YYYY-MM-DD"))
}
