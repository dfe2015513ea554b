//! The `srmlint` command line: parses arguments, calls the library, prints, exits.
//! Exit codes: 0 no error-level finding, 1 findings that fail the run, 2 the tool
//! could not do its job.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "the binary owns the terminal"
)]

mod cli;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use cli::{
    CheckArgs, Cli, ColorChoice, Command, CommonArgs, CompletionsArgs, ExplainArgs, InitArgs,
    ManArgs, MatrixArgs, ReportArgs, RulesArgs, SchemaArgs,
};
use srmlint::Error;
use srmlint::authoring::init::{self, InitRequest};
use srmlint::authoring::{explain, matrix_view, schema};
use srmlint::check::{self, Checker, LoadSettings, RunReport};
use srmlint::data::frameworks;
use srmlint::data::matrix::Matrix;
use srmlint::input::discover::Problem;
use srmlint::posture::{self, FrameworkSelection, ReportContext};
use srmlint::render::{self, Format, RenderOptions, github, human, report};
use srmlint::text::escape::{escape_for_terminal, escape_inline};
use srmlint::text::fs;
use srmlint::text::suggest;

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
        Err(error) => {
            // Messages may quote paths and file contents: never raw to the terminal.
            eprintln!("error: {}", escape_for_terminal(&error.0));
            ExitCode::from(2)
        }
    }
}

fn load_checker(common: &CommonArgs, paths: &[PathBuf]) -> Result<Checker, Error> {
    load_checker_with(common, paths, Vec::new())
}

/// `load_checker` with `--terraform` sources for every file.
fn load_checker_with(
    common: &CommonArgs,
    paths: &[PathBuf],
    terraform: Vec<PathBuf>,
) -> Result<Checker, Error> {
    Checker::load(&LoadSettings {
        matrix: common.matrix.clone(),
        policies: common.policy.clone(),
        today: common.today,
        config_dir: check::search_start(paths),
        terraform,
    })
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

fn run_check(args: CheckArgs) -> Result<ExitCode, Error> {
    for path in &args.terraform {
        srmlint::input::terraform::check_command_line_path(path).map_err(Error)?;
    }
    let checker = load_checker_with(&args.common, &args.paths, args.terraform.clone())?;
    // Each file is checked under its nearest configuration, which decides
    // include/exclude; checking starts while the walk goes on.
    let (discovery, report) = checker.check_walk(&args.paths, args.format.keep())?;
    let bad_arguments = print_discovery_problems(&discovery.problems, "check");
    if discovery.candidates.is_empty() && !bad_arguments {
        eprintln!("warning: no controls files found (`controls.toml` or `*.controls.toml`)");
    }
    if let Some(output) = &args.output {
        let inputs = discovery
            .candidates
            .iter()
            .map(|candidate| (candidate.path.as_path(), candidate.display.as_str()));
        fs::check_output_target(output, args.force, inputs).map_err(Error)?;
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let rules = checker.rules();
    let options = RenderOptions {
        color: use_color(args.color, to_terminal),
        rules: &rules,
        matrix: Some(&checker.matrix),
        ..RenderOptions::default()
    };
    emit(
        args.output.as_deref(),
        &render::render(&report, args.format, options),
    )?;
    after_render(&report, args.format);
    if bad_arguments {
        return Ok(ExitCode::from(2));
    }
    let fails = report.fails(args.deny_warnings) && !args.exit_zero;
    Ok(ExitCode::from(u8::from(fails)))
}

fn run_matrix(args: MatrixArgs) -> Result<ExitCode, Error> {
    let matrix = Matrix::load(args.matrix.as_deref())?;
    let text = matrix_view::render(&matrix, args.format, args.model.as_deref())?;
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn run_report(args: ReportArgs) -> Result<ExitCode, Error> {
    let checker = load_checker(&args.common, &args.paths)?;
    let frameworks = frameworks::embedded();
    let selection = FrameworkSelection::of_ids(args.frameworks, &frameworks)?;
    if let Some(path) = &args.output {
        fs::refuse_overwrite(path, args.force).map_err(Error)?;
    }
    // Each file is checked under its own `.srmlint.toml`, exactly as `check` does.
    let (discovery, run) = checker.check_walk(&args.paths, check::Keep::Everything)?;
    if print_discovery_problems(&discovery.problems, "report on") {
        return Ok(ExitCode::from(2));
    }
    if run.files.is_empty() {
        return Err(Error::new(
            "no controls file found (`controls.toml` or `*.controls.toml`)",
        ));
    }
    let context = ReportContext {
        matrix: &checker.matrix,
        frameworks: &frameworks,
        today: checker.today,
    };
    let posture = posture::build(&run.files, context, &selection);
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
        Format::Concise => eprintln!("{}", human::summary_line(report)),
        Format::Github => {
            let Some(path) =
                std::env::var_os("GITHUB_STEP_SUMMARY").filter(|path| !path.is_empty())
            else {
                return;
            };
            let summary = github::step_summary(report);
            if let Err(error) = fs::append(Path::new(&path), summary.as_bytes()) {
                eprintln!(
                    "warning: cannot append the step summary to `{}`: {error}",
                    escape_inline(&Path::new(&path).to_string_lossy())
                );
            }
        }
        _ => {}
    }
}

/// Writes to stdout; a reader that went away (`| head`) is not an error of ours.
fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error(format!("cannot write to stdout: {error}")))
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
                eprintln!("error: cannot {doing} `{}`: {message}", escape_inline(path));
            }
            Problem::Walk { path, message } => {
                eprintln!("warning: skipped `{}`: {message}", escape_inline(path));
            }
        }
    }
    bad_arguments
}

/// Prints `text`, or writes it to `output` through a temporary file and a rename.
fn emit(output: Option<&Path>, text: &str) -> Result<(), Error> {
    match output {
        None => write_stdout(text.as_bytes()),
        Some(path) => fs::write_atomic(path, text.as_bytes()).map_err(|error| {
            Error(format!(
                "cannot write `{}`: {error}",
                escape_inline(&path.to_string_lossy())
            ))
        }),
    }
}

fn run_init(args: InitArgs) -> Result<ExitCode, Error> {
    let matrix = Matrix::load(args.matrix.as_deref())?;
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout {
        fs::refuse_overwrite(&args.output, args.force).map_err(Error)?;
    }
    let mut request = InitRequest {
        name: args.name.clone().unwrap_or_else(|| {
            init::default_deployment_name((!to_stdout).then_some(args.output.as_path()))
        }),
        services: args.services,
        zones: args.zones,
        residency: args.residency,
        regulated: args.regulated,
        frameworks: frameworks::embedded_ids().map(str::to_owned).collect(),
        schema_reference: args.schema.clone(),
        terraform: Vec::new(),
    };
    if !args.terraform.is_empty() {
        // The infrastructure comes first; `--services` and `--zones` add to it.
        let found = init::read_terraform(
            &matrix,
            &args.terraform,
            (!to_stdout).then_some(args.output.as_path()),
        )?;
        for note in &found.notes {
            eprintln!("note: {}", escape_for_terminal(note));
        }
        request.services = merged(found.services, request.services);
        request.zones = merged(found.zones, request.zones);
        request.terraform = found.terraform;
        if request.services.is_empty() {
            return Err(Error::new(
                "the Terraform creates no service of the catalog; name the services with --services",
            ));
        }
    }
    let starter = init::render(&matrix, &request)?;
    if to_stdout {
        emit(None, &starter.text)?;
        return Ok(ExitCode::SUCCESS);
    }
    emit(Some(&args.output), &starter.text)?;
    let shown = escape_inline(&args.output.to_string_lossy());
    eprintln!(
        "wrote {shown}: {} claims to fill in (accountable, evidence).",
        starter.claims
    );
    if args.schema == init::DEFAULT_SCHEMA_REFERENCE {
        eprintln!(
            "Next: `srmlint schema > {}` for editor completion, then `srmlint check {shown}`.",
            escape_inline(&init::schema_beside(&args.output))
        );
    } else {
        eprintln!("Next: `srmlint check {shown}`.");
    }
    Ok(ExitCode::SUCCESS)
}

/// `first`, then the items of `more` it lacks.
fn merged(mut first: Vec<String>, more: Vec<String>) -> Vec<String> {
    for item in more {
        if !first.contains(&item) {
            first.push(item);
        }
    }
    first
}

fn run_explain(args: ExplainArgs) -> Result<ExitCode, Error> {
    let checker = load_checker(&args.common, &[])?;
    let rules = checker.rules();
    let frameworks = frameworks::embedded();
    let sources = explain::Sources {
        rules: &rules,
        matrix: &checker.matrix,
        frameworks: &frameworks,
    };
    let text = explain::explain(&args.name, sources)?;
    // Loaded rules bring their own text: it must not drive the terminal.
    emit(None, &escape_for_terminal(&text))?;
    Ok(ExitCode::SUCCESS)
}

fn run_rules(args: RulesArgs) -> Result<ExitCode, Error> {
    let checker = load_checker(&args.common, &[])?;
    let text = explain::render_rules(&checker.rules(), args.format);
    emit(None, &escape_for_terminal(&text))?;
    Ok(ExitCode::SUCCESS)
}

fn run_schema(args: SchemaArgs) -> Result<ExitCode, Error> {
    let matrix = Matrix::load(args.matrix.as_deref())?;
    emit(None, &schema::render(&matrix))?;
    Ok(ExitCode::SUCCESS)
}

fn run_completions(args: CompletionsArgs) -> Result<ExitCode, Error> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "srmlint", &mut script);
    write_stdout(&script)?;
    Ok(ExitCode::SUCCESS)
}

fn run_man(args: ManArgs) -> Result<ExitCode, Error> {
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
                return Err(Error(format!(
                    "unknown command `{name}`{}\ncommands are: {}",
                    suggest::hint(name, names.iter().map(String::as_str)),
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
        .map_err(|error| Error(format!("cannot render the man page: {error}")))?;
    write_stdout(&roff)?;
    Ok(ExitCode::SUCCESS)
}
