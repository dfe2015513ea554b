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

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use srmlint::check::{Checker, Keep, LoadSettings, RunReport};
use srmlint::date::Date;
use srmlint::discover::{self, Problem};
use srmlint::explain::{self, RulesFormat};
use srmlint::fsutil;
use srmlint::init::{self, InitRequest};
use srmlint::matrix_view::{self, MatrixFormat};
use srmlint::output::{self, Format, RenderOptions};
use srmlint::report::{self, FrameworkSelection, ReportFormat};
use srmlint::schema;

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
        after_help = "Exit codes: 0 the report was written (gaps or not; gate CI with `srmlint check`), 2 the tool could not write it.\n\nExamples:\n  srmlint report controls.toml --format html --output posture.html\n  srmlint report examples --framework iso27001 --framework nis2\n  srmlint report --format markdown >> \"$GITHUB_STEP_SUMMARY\""
    )]
    Report(ReportArgs),
}

#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// Controls files or folders to walk (default: the current folder); one section per file.
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    format: ReportFormat,
    /// Cover this framework (repeatable; default: each file's `frameworks`).
    #[arg(long = "framework", value_name = "ID")]
    frameworks: Vec<String>,
    /// Write the report to FILE instead of stdout (atomically).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace FILE given with `--output` when it exists.
    #[arg(long, requires = "output")]
    force: bool,
    #[command(flatten)]
    common: CommonArgs,
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
    /// Replace the `--output` file when it exists.
    #[arg(long, requires = "output")]
    force: bool,
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

const INIT_EXAMPLES: &str = "Examples:
  srmlint init --services compute,object-storage,dbaas-pg --zones ch-gva-2 --residency CH
  srmlint init --services sks,block-storage --zones de-fra-1,de-muc-1 --regulated healthcare --output shop.controls.toml
  srmlint init --services compute --zones at-vie-1 --output -
  srmlint init          (lists the services and zones)";

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// Services the deployment uses, comma-separated (without it, lists them).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    services: Vec<String>,
    /// Zones the deployment runs in, comma-separated (without it, lists them).
    #[arg(long, value_name = "ID,...", value_delimiter = ',')]
    zones: Vec<String>,
    /// Where the data must stay: a country code (CH), a region (EEA), or both (EEA+CH).
    #[arg(long, value_name = "R")]
    residency: Option<String>,
    /// Sector rules the deployment falls under, comma-separated (e.g. healthcare).
    #[arg(long, value_name = "X,...", value_delimiter = ',')]
    regulated: Vec<String>,
    /// The deployment's name (default: the name of the folder the file goes to).
    #[arg(long)]
    name: Option<String>,
    /// Where to write the file; `-` prints it.
    #[arg(long, value_name = "FILE", default_value = "controls.toml")]
    output: PathBuf,
    /// Replace the output file if it exists.
    #[arg(long)]
    force: bool,
    /// What the `#:schema` line points at, relative to the file (or a URL).
    #[arg(long, value_name = "PATH-OR-URL", default_value = init::DEFAULT_SCHEMA_REFERENCE)]
    schema: String,
    /// Use this matrix file instead of the embedded Exoscale matrix.
    #[arg(long, value_name = "FILE")]
    matrix: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    /// A rule code (SRM001), a rule name (unclaimed-customer-control) or a control id.
    name: String,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, clap::Args)]
struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    format: RulesFormat,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, clap::Args)]
struct SchemaArgs {
    /// Build the schema from this matrix file instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    matrix: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct CompletionsArgs {
    /// The shell to complete for.
    shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
struct ManArgs {
    /// A command to print the page of (default: srmlint itself).
    command: Option<String>,
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
        Command::Init(args) => run_init(args),
        Command::Explain(args) => run_explain(args),
        Command::Rules(args) => run_rules(args),
        Command::Schema(args) => run_schema(args),
        Command::Completions(args) => run_completions(args),
        Command::Man(args) => run_man(args),
        Command::Report(args) => run_report(args),
    };
    match result {
        Ok(code) => code,
        Err(Fatal(message)) => {
            // Messages may quote paths and file contents: never raw to the terminal.
            eprintln!("error: {}", output::escape_for_terminal(&message));
            ExitCode::from(2)
        }
    }
}

fn load_checker(common: &CommonArgs, paths: &[PathBuf]) -> Result<Checker, Fatal> {
    let settings = LoadSettings {
        matrix: common.matrix.clone(),
        policies: common.policy.clone(),
        today: common.today,
        config_dir: srmlint::config::search_start(paths),
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
    let checker = load_checker(&args.common, &args.paths)?;
    // Each file is checked under its nearest configuration, which decides
    // include/exclude; checking starts while the walk goes on.
    let (discovery, report) = checker
        .check_walk(&args.paths, Keep::for_format(args.format))
        .map_err(|error| Fatal(error.0))?;
    let bad_arguments = print_discovery_problems(&discovery.problems, "check");
    if discovery.candidates.is_empty() && !bad_arguments {
        eprintln!("warning: no controls files found (`controls.toml` or `*.controls.toml`)");
    }
    if let Some(output) = &args.output {
        check_output_target(output, args.force, &discovery.candidates)?;
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let rules = checker.rules();
    let options = RenderOptions {
        color: use_color(args.color, to_terminal),
        rules: &rules,
        matrix: Some(&checker.matrix),
        ..RenderOptions::default()
    };
    let text = output::render(&report, args.format, options);
    emit(args.output.as_deref(), &text)?;
    after_render(&report, args.format);
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
    emit(
        None,
        &matrix_view::render(&matrix, args.format, args.model.as_deref()),
    )?;
    Ok(ExitCode::SUCCESS)
}

fn run_report(args: ReportArgs) -> Result<ExitCode, Fatal> {
    let checker = load_checker(&args.common, &args.paths)?;
    let known: Vec<&str> = checker.frameworks.iter().map(|f| f.id()).collect();
    for id in &args.frameworks {
        if !known.contains(&id.as_str()) {
            return Err(Fatal(format!(
                "unknown framework `{id}`{}; frameworks with a mapping: {}",
                srmlint::suggest::hint(id, known.iter().copied()),
                known.join(", ")
            )));
        }
    }
    if let Some(path) = &args.output
        && !args.force
        && path.symlink_metadata().is_ok()
    {
        return Err(Fatal(format!(
            "`{}` already exists; pass --force to replace it",
            path.display()
        )));
    }
    // Each file is checked under its own `.srmlint.toml`, exactly as `check` does.
    let (discovery, run) = checker
        .check_walk(&args.paths, Keep::Everything)
        .map_err(|error| Fatal(error.0))?;
    if print_discovery_problems(&discovery.problems, "report on") {
        return Ok(ExitCode::from(2));
    }
    if run.files.is_empty() {
        return Err(Fatal(
            "no controls file found (`controls.toml` or `*.controls.toml`)".to_owned(),
        ));
    }
    let selection = if args.frameworks.is_empty() {
        FrameworkSelection::Declared
    } else {
        let mut ids = Vec::new();
        for id in args.frameworks {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        FrameworkSelection::Given(ids)
    };
    let posture = report::build(&run.files, &checker, &selection);
    emit(
        args.output.as_deref(),
        &report::render(&posture, args.format),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// What a format adds beside its document: the concise format's summary line on
/// stderr, and the GitHub format's Markdown step summary appended (never truncated)
/// to `$GITHUB_STEP_SUMMARY` when that variable names a file.
fn after_render(report: &RunReport, format: Format) {
    match format {
        // `emit` has flushed stdout, so the findings come first on a shared terminal.
        Format::Concise => eprintln!("{}", output::human::summary_line(report)),
        Format::Github => {
            let Some(path) =
                std::env::var_os("GITHUB_STEP_SUMMARY").filter(|path| !path.is_empty())
            else {
                return;
            };
            let summary = output::github::step_summary(report);
            if let Err(error) = fsutil::append(Path::new(&path), summary.as_bytes()) {
                eprintln!(
                    "warning: cannot append the step summary to `{}`: {error}",
                    Path::new(&path).display()
                );
            }
        }
        _ => {}
    }
}

/// Writes to stdout; a reader that went away (`| head`) is not an error of ours.
fn write_stdout(bytes: &[u8]) -> Result<(), Fatal> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Fatal(format!("cannot write to stdout: {error}")))
        }
        _ => Ok(()),
    }
}

/// Prints what discovery met on stderr, paths escaped (they come from the file system
/// and may hold any character); true when a path on the command line was bad.
fn print_discovery_problems(problems: &[Problem], doing: &str) -> bool {
    let mut bad_arguments = false;
    for problem in problems {
        match problem {
            Problem::BadArgument { path, message } => {
                bad_arguments = true;
                eprintln!(
                    "error: cannot {doing} `{}`: {message}",
                    output::escape_inline(path)
                );
            }
            Problem::Walk { path, message } => eprintln!(
                "warning: skipped `{}`: {message}",
                output::escape_inline(path)
            ),
        }
    }
    bad_arguments
}

/// Refuses an `--output` that exists (without `--force`) or that is one of the
/// controls files being checked (even with `--force`): a report never replaces input.
fn check_output_target(
    output: &Path,
    force: bool,
    candidates: &[discover::Candidate],
) -> Result<(), Fatal> {
    if let Some(input) = candidates
        .iter()
        .find(|candidate| fsutil::same_file(output, &candidate.path))
    {
        return Err(Fatal(format!(
            "`--output` names `{}`, a controls file being checked; choose another file",
            output::escape_inline(&input.display)
        )));
    }
    fsutil::refuse_overwrite(output, force).map_err(Fatal)
}

/// Prints `text`, or writes it to `output` through a temporary file and a rename.
fn emit(output: Option<&Path>, text: &str) -> Result<(), Fatal> {
    match output {
        None => write_stdout(text.as_bytes()),
        Some(path) => fsutil::write_atomic(path, text.as_bytes()).map_err(|error| {
            Fatal(format!(
                "cannot write `{}`: {error}",
                output::escape_inline(&path.to_string_lossy())
            ))
        }),
    }
}

fn load_matrix(path: Option<&Path>) -> Result<srmlint::matrix::Matrix, Fatal> {
    let settings = LoadSettings {
        matrix: path.map(Path::to_path_buf),
        ..LoadSettings::default()
    };
    Ok(Checker::load(&settings)
        .map_err(|error| Fatal(error.0))?
        .matrix)
}

fn run_init(args: InitArgs) -> Result<ExitCode, Fatal> {
    let checker = Checker::load(&LoadSettings {
        matrix: args.matrix.clone(),
        ..LoadSettings::default()
    })
    .map_err(|error| Fatal(error.0))?;
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout && !args.force && args.output.symlink_metadata().is_ok() {
        return Err(Fatal(format!(
            "`{}` already exists; pass --force to replace it, or --output to write elsewhere",
            args.output.display()
        )));
    }
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| default_deployment_name(&args.output, to_stdout));
    let request = InitRequest {
        name,
        services: args.services,
        zones: args.zones,
        residency: args.residency,
        regulated: args.regulated,
        frameworks: checker
            .frameworks
            .iter()
            .map(|framework| framework.id().to_owned())
            .collect(),
        schema_reference: args.schema.clone(),
    };
    let text = init::render(&checker.matrix, &request).map_err(|error| Fatal(error.0))?;
    if to_stdout {
        emit(None, &text)?;
        return Ok(ExitCode::SUCCESS);
    }
    fsutil::write_atomic(&args.output, text.as_bytes())
        .map_err(|error| Fatal(format!("cannot write `{}`: {error}", args.output.display())))?;
    let claims = text.matches("accountable = \"TODO\"").count();
    eprintln!(
        "wrote {}: {claims} claims to fill in (accountable, evidence).",
        args.output.display()
    );
    if args.schema == init::DEFAULT_SCHEMA_REFERENCE {
        eprintln!(
            "Next: `srmlint schema > {}` for editor completion, then `srmlint check {}`.",
            schema_beside(&args.output),
            args.output.display()
        );
    } else {
        eprintln!("Next: `srmlint check {}`.", args.output.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The folder name the controls file goes to, as a readable default deployment name.
fn default_deployment_name(output: &Path, to_stdout: bool) -> String {
    let folder = if to_stdout {
        std::env::current_dir().ok()
    } else {
        let parent = output
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty());
        parent
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
            .and_then(|folder| folder.canonicalize().ok())
    };
    folder
        .and_then(|folder| {
            folder
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "my-deployment".to_owned())
}

/// Where `#:schema ./controls.schema.json` resolves for a file written to `output`.
fn schema_beside(output: &Path) -> String {
    match output
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        Some(parent) => parent.join("controls.schema.json").display().to_string(),
        None => "controls.schema.json".to_owned(),
    }
}

fn run_explain(args: ExplainArgs) -> Result<ExitCode, Fatal> {
    let checker = load_checker(&args.common, &[])?;
    let rules = checker.rules();
    let sources = explain::Sources {
        rules: &rules,
        matrix: &checker.matrix,
        frameworks: &checker.frameworks,
    };
    let text = explain::explain(&args.name, sources).map_err(|error| Fatal(error.0))?;
    // Loaded rules bring their own text: it must not drive the terminal.
    emit(None, &output::escape_for_terminal(&text))?;
    Ok(ExitCode::SUCCESS)
}

fn run_rules(args: RulesArgs) -> Result<ExitCode, Fatal> {
    let checker = load_checker(&args.common, &[])?;
    let text = explain::render_rules(&checker.rules(), args.format);
    emit(None, &output::escape_for_terminal(&text))?;
    Ok(ExitCode::SUCCESS)
}

fn run_schema(args: SchemaArgs) -> Result<ExitCode, Fatal> {
    let matrix = load_matrix(args.matrix.as_deref())?;
    emit(None, &schema::render(&matrix))?;
    Ok(ExitCode::SUCCESS)
}

fn run_completions(args: CompletionsArgs) -> Result<ExitCode, Fatal> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "srmlint", &mut script);
    write_stdout(&script)?;
    Ok(ExitCode::SUCCESS)
}

fn run_man(args: ManArgs) -> Result<ExitCode, Fatal> {
    let mut command = Cli::command();
    command.build();
    let page = match &args.command {
        None => command,
        Some(name) => {
            let names: Vec<String> = command
                .get_subcommands()
                .map(|sub| sub.get_name().to_owned())
                .collect();
            let Some(sub) = command.find_subcommand(name) else {
                return Err(Fatal(format!(
                    "unknown command `{name}`{}\ncommands are: {}",
                    srmlint::suggest::hint(name, names.iter().map(String::as_str)),
                    names.join(", ")
                )));
            };
            let page_name = format!("srmlint-{name}");
            sub.clone().name(page_name.clone()).bin_name(page_name)
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .map_err(|error| Fatal(format!("cannot render the man page: {error}")))?;
    write_stdout(&roff)?;
    Ok(ExitCode::SUCCESS)
}
