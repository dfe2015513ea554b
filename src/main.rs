//! The `srmlint` command line: parses arguments, calls the library, prints, exits.
//! Exit codes: 0 no error-level finding, 1 findings that fail the run, 2 the tool
//! could not do its job.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the binary owns the terminal"
)]

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use srmlint::check::{self, Checker, LoadSettings};
use srmlint::date::Date;
use srmlint::discover::Problem;
use srmlint::fsutil;
use srmlint::matrix_view::{self, MatrixFormat};
use srmlint::output::{self, Format, RenderOptions};

/// Checks who owns each security control of a cloud deployment against the
/// provider's Shared Responsibility Model.
#[derive(Debug, Parser)]
#[command(name = "srmlint", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check controls files against the matrix.
    #[command(
        after_help = "Examples:\n  srmlint check\n  srmlint check examples/clinic --format json\n  srmlint check controls.toml --today 2026-11-28 --deny-warnings"
    )]
    Check(CheckArgs),
    /// Print the responsibility matrix: who owns what, per service model.
    #[command(
        after_help = "Examples:\n  srmlint matrix\n  srmlint matrix --model dbaas --format markdown"
    )]
    Matrix(MatrixArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Controls files or folders to walk (default: the current folder).
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the output to FILE instead of stdout (atomically).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    common: CommonArgs,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Exit 0 even when findings fail the run (the tool's own errors still exit 2).
    #[arg(long)]
    exit_zero: bool,
    /// Colour in human output (`NO_COLOR` turns `auto` off).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Inputs shared by every command that checks files.
#[derive(Debug, clap::Args)]
struct CommonArgs {
    /// Use this matrix file instead of the embedded Exoscale matrix.
    #[arg(long, value_name = "FILE")]
    matrix: Option<PathBuf>,
    /// Load custom rules from a policy file, or a folder walked for `*.toml` (repeatable).
    #[arg(long, value_name = "PATH")]
    policy: Vec<PathBuf>,
    /// Pin today's date (YYYY-MM-DD) for reproducible date rules.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    today: Option<Date>,
}

#[derive(Debug, clap::Args)]
struct MatrixArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = MatrixFormat::Table)]
    format: MatrixFormat,
    /// Only this service model (e.g. iaas, dbaas).
    #[arg(long)]
    model: Option<String>,
    /// Show this matrix file instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    matrix: Option<PathBuf>,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date of the form YYYY-MM-DD"))
}

/// The tool could not do its job: printed to stderr, exit 2.
struct Fatal(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => run_check(args),
        Command::Matrix(args) => run_matrix(args),
    };
    match result {
        Ok(code) => code,
        Err(Fatal(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn load_checker(common: &CommonArgs) -> Result<Checker, Fatal> {
    let settings = LoadSettings {
        matrix: common.matrix.clone(),
        policies: common.policy.clone(),
        today: common.today,
        config_dir: std::env::current_dir().ok(),
    };
    Checker::load(&settings).map_err(|error| Fatal(error.0))
}

fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        }
    }
}

fn run_check(args: CheckArgs) -> Result<ExitCode, Fatal> {
    let checker = load_checker(&args.common)?;
    let keep = check::Keep::for_format(args.format);
    let (discovery, report) = check::discover_and_check(&checker, &args.paths, &|_| true, keep);
    let mut bad_arguments = false;
    for problem in &discovery.problems {
        match problem {
            Problem::BadArgument { path, message } => {
                bad_arguments = true;
                eprintln!("error: cannot check `{path}`: {message}");
            }
            Problem::Walk { path, message } => eprintln!("warning: skipped `{path}`: {message}"),
        }
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let options = RenderOptions {
        color: use_color(args.color, to_terminal),
        ..RenderOptions::default()
    };
    let text = output::render(&report, args.format, options);
    emit(args.output.as_deref(), &text)?;
    if bad_arguments {
        return Ok(ExitCode::from(2));
    }
    let fails = report.fails(args.deny_warnings) && !args.exit_zero;
    Ok(ExitCode::from(u8::from(fails)))
}

fn run_matrix(args: MatrixArgs) -> Result<ExitCode, Fatal> {
    let settings = LoadSettings {
        matrix: args.matrix.clone(),
        ..LoadSettings::default()
    };
    let matrix = Checker::load(&settings)
        .map_err(|error| Fatal(error.0))?
        .matrix;
    if let Some(model) = &args.model
        && !matrix.models.contains_key(model)
    {
        let models: Vec<&str> = matrix.models.keys().map(String::as_str).collect();
        return Err(Fatal(format!(
            "unknown model `{model}`{}; models are: {}",
            srmlint::suggest::hint(model, models.iter().copied()),
            models.join(", ")
        )));
    }
    print!(
        "{}",
        matrix_view::render(&matrix, args.format, args.model.as_deref())
    );
    Ok(ExitCode::SUCCESS)
}

/// Prints `text`, or writes it to `output` through a temporary file and a rename.
fn emit(output: Option<&Path>, text: &str) -> Result<(), Fatal> {
    match output {
        None => {
            print!("{text}");
            Ok(())
        }
        Some(path) => fsutil::write_atomic(path, text.as_bytes())
            .map_err(|error| Fatal(format!("cannot write `{}`: {error}", path.display()))),
    }
}
