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
    CheckArgs, Cli, ColorChoice, Command, CommonArgs, CompletionsArgs, ConfigArgs, DiffArgs,
    ExplainArgs, InitArgs, ManArgs, MatrixArgs, MatrixCommand, MatrixDiffArgs, ReportArgs,
    RulesArgs, SchemaArgs, ServerArgs, TerraformVarArgs,
};
use srmlint::Error;
use srmlint::authoring::fix::{self, Mode as FixMode};
use srmlint::authoring::init::{self, InitRequest};
use srmlint::authoring::{explain, schema};
use srmlint::check::{self, Checker, LoadSettings, RunError, RunReport};
use srmlint::data::frameworks;
use srmlint::data::matrix::Matrix;
use srmlint::data::versions::MatrixVersions;
use srmlint::diag::plural;
use srmlint::diff::Side;
use srmlint::diff::build::Request;
use srmlint::diff::git::Repository;
use srmlint::input::discover::{Discovery, Problem};
use srmlint::posture::{self, FrameworkSelection, ReportContext};
use srmlint::render::{self, Format, RenderOptions, github, human, report};
use srmlint::text::escape::{LogSink, escape_for_terminal, escape_inline, workflow_safe};

use cli::fixing;
use srmlint::text::fs;
use srmlint::text::suggest;

/// `eprintln!` through `workflow_safe`: nothing from a checkout that srmlint writes on
/// stderr can start a CI workflow command or hold `##[`.
macro_rules! eprintln_safe {
    ($($arg:tt)*) => {
        write_stderr(&format!("{}\n", workflow_safe(&format!($($arg)*), LogSink::Text)))
    };
}

/// Writes to stderr; a reader that went away (`2>&1 | head`) is not an error of ours,
/// and `eprint!` would panic on it.
fn write_stderr(text: &str) {
    use std::io::Write;
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Checking allocates many small, short-lived values per file on every core; mimalloc
/// serves them from per-thread pages, a fifth less CPU than the system allocator on a
/// 10,000-file run (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Every command reads within a budget; `--max-input-bytes` sets it where offered.
    fs::set_input_budget(fs::DEFAULT_MAX_INPUT_BYTES);
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
        Command::Diff(args) => run_diff(args),
        Command::Config(args) => run_config(args),
        Command::Server(args) => run_server(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // Messages may quote paths and file contents: never raw to the terminal.
            eprintln_safe!("error: {}", human::error(&error));
            ExitCode::from(2)
        }
    }
}

/// The checker of a command's files, with `--terraform` sources (and their variables)
/// for every file.
fn load_checker(
    common: &CommonArgs,
    paths: &[PathBuf],
    terraform: &[PathBuf],
    vars: &TerraformVarArgs,
) -> Result<Checker, Error> {
    fs::set_input_budget(common.max_input_bytes);
    for path in terraform {
        srmlint::input::terraform::check_command_line_path(path)
            .map_err(|why| Error::new(why).at(fs::display_path(path)))?;
    }
    // A var file named on the command line that is not there: the tool cannot do
    // what was asked (as for any path given on the command line).
    for path in &vars.var_files {
        if !path.is_file() {
            return Err(Error::new(format!(
                "cannot read `--var-file {}`: not a file",
                escape_inline(&fs::display_path(path))
            ))
            .at(fs::display_path(path)));
        }
    }
    Checker::load(&LoadSettings {
        matrix: common.matrix.clone(),
        policies: common.policy.clone(),
        today: common.today,
        config_dir: check::search_start(paths),
        terraform: terraform.to_vec(),
        terraform_vars: vars.settings(),
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
    match check(&args) {
        Err(failure)
            if failure.output_usable
                && matches!(
                    args.format,
                    Format::Json | Format::Sarif | Format::Gitlab | Format::Junit | Format::Github
                ) =>
        {
            // The run failed before it could check anything: the artifact says so
            // rather than looking like a clean run (or an old file staying behind).
            let report = RunReport {
                errors: vec![RunError {
                    message: failure.error.to_string(),
                    path: failure.error.path.clone(),
                }],
                ..RunReport::default()
            };
            let text = render::render(&report, args.format, RenderOptions::default());
            let sink = sink_of(args.format);
            if let Err(why) = emit_as(args.output.as_deref(), args.force, &text, sink) {
                eprintln_safe!(
                    "warning: the error document was not written: {}",
                    human::error(&why)
                );
            }
            Err(failure.error)
        }
        outcome => outcome.map_err(|failure| failure.error),
    }
}

/// Why `check` failed, and whether its `--output` may still take the error document:
/// not when the output itself was refused (it names a controls file being checked).
struct CheckFailure {
    error: Error,
    output_usable: bool,
}

impl From<Error> for CheckFailure {
    fn from(error: Error) -> Self {
        Self {
            error,
            output_usable: true,
        }
    }
}

fn check(args: &CheckArgs) -> Result<ExitCode, CheckFailure> {
    let reads_stdin = args.paths.iter().any(|path| path.as_os_str() == "-");
    if reads_stdin && args.paths.len() > 1 {
        return Err(Error::new(
            "`-` reads one controls file from standard input; name no other path with it",
        )
        .into());
    }
    let config_paths = match (&args.stdin_filename, reads_stdin) {
        (Some(name), true) => vec![name.clone()],
        _ => args.paths.clone(),
    };
    if args.diff && args.format != Format::Human {
        return Err(Error::new(
            "`--diff` prints only a unified diff, in no other format; leave out `--format`, or write the fixes with `--fix`",
        )
        .into());
    }
    if args.unsafe_fixes && !args.fix && !args.diff {
        return Err(Error::new(
            "`--unsafe-fixes` goes with `--fix` (write them) or `--diff` (show them)",
        )
        .into());
    }
    let fixing = args.fix || args.diff;
    let mode = if args.unsafe_fixes {
        FixMode::Unsafe
    } else {
        FixMode::Safe
    };
    let mut checker = load_checker(
        &args.common,
        &config_paths,
        &args.terraform,
        &args.terraform_vars,
    )?;
    // Each diagnostic carries its fix where the output shows it (JSON `fix`, SARIF
    // `fixes`, the human hint) or the run applies it.
    if fixing || args.format.shows_fixes() {
        checker.finish = Some(fix::attach);
    }
    if reads_stdin && fixing {
        return fix_standard_input(args, &checker, mode).map_err(CheckFailure::from);
    }
    let keep = if fixing {
        check::Keep::Everything
    } else {
        args.format.keep()
    };
    let (discovery, mut report, unloaded) = if reads_stdin {
        let display = stdin_display(args);
        let mut file = checker.check_stdin(args.stdin_filename.as_deref(), &display);
        fix::attach(&mut file, &checker.matrix);
        (
            Discovery::default(),
            RunReport::new(vec![args.format.keep().apply(file)]),
            Vec::new(),
        )
    } else {
        // Each file is checked under its own folder's configuration, which decides
        // include/exclude; checking starts while the walk goes on.
        checker.check_walk(&args.paths, keep)
    };
    report.errors = discovery_problems(&discovery.problems, "check");
    // A configuration that governs some of the files and cannot be loaded fails the
    // run once the others are checked.
    for error in unloaded {
        eprintln_safe!("error: {}", human::error(&error));
        let path = error.path.clone();
        report.errors.push(RunError {
            message: error.to_string(),
            path,
        });
    }
    let mut bad_arguments = !report.errors.is_empty();
    if let Some(message) = fs::input_budget_exceeded() {
        report.errors.push(run_error(message, None));
        bad_arguments = true;
    }
    if discovery.candidates.is_empty() && !bad_arguments && !reads_stdin {
        eprintln_safe!("warning: no controls files found (`controls.toml` or `*.controls.toml`)");
    }
    print_exclusions(&report);
    let stands_for = args.stdin_filename.as_deref().filter(|_| reads_stdin);
    refuse_input_as_output(args.output.as_deref(), args.force, &discovery, stands_for).map_err(
        |error| CheckFailure {
            error,
            output_usable: false,
        },
    )?;
    if fixing {
        match apply_fixes(args, &checker, &mut report, &discovery, mode) {
            FixOutcome::Diff(found) => {
                let code = if bad_arguments { 2 } else { u8::from(found) };
                return Ok(ExitCode::from(code));
            }
            FixOutcome::Written { failures } => {
                bad_arguments |= !failures.is_empty();
                report.errors.extend(failures);
            }
        }
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let rendered = render_check(args, &checker, &report, to_terminal);
    emit_as(
        args.output.as_deref(),
        args.force,
        &rendered,
        sink_of(args.format),
    )?;
    after_render(&report, args.format);
    if args.format == Format::Human && !fixing {
        print_fixable(&report);
    }
    let fails = report.fails(args.deny_warnings) && !args.exit_zero;
    // The process ends next: freeing ten thousand reports one allocation at a time
    // would cost more than checking a thousand files, for memory the exit returns.
    std::mem::forget(report);
    std::mem::forget(checker);
    if bad_arguments {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::from(u8::from(fails)))
}

/// An error of the run: said on stderr at once, and kept for the machine formats.
fn run_error(message: String, path: Option<String>) -> RunError {
    eprintln_safe!("error: {message}");
    RunError { message, path }
}

/// The path shown for the controls file read from standard input.
fn stdin_display(args: &CheckArgs) -> String {
    let name = args.stdin_filename.as_deref();
    name.map_or_else(|| "<stdin>".to_owned(), fs::display_path)
}

/// `report` in `check`'s format, coloured when it goes `to_terminal` and colour is on.
fn render_check(
    args: &CheckArgs,
    checker: &Checker,
    report: &RunReport,
    to_terminal: bool,
) -> String {
    let rules = checker.rules();
    let options = RenderOptions {
        color: use_color(args.color, to_terminal),
        rules: &rules,
        matrix: Some(&checker.matrix),
        deny_warnings: args.deny_warnings,
        ..RenderOptions::default()
    };
    render::render(report, args.format, options)
}

/// Says on stderr how many of the findings shown `--fix` would fix, as ruff does: the
/// newcomer learns that srmlint can do the work.
fn print_fixable(report: &RunReport) {
    let (mut safe, mut unsafe_only) = (0, 0);
    for diagnostic in report.diagnostics().filter(|d| d.is_active()) {
        match diagnostic.fix.as_ref().map(|fix| fix.applicability) {
            Some(srmlint::diag::Applicability::Safe) => safe += 1,
            Some(srmlint::diag::Applicability::Unsafe) => unsafe_only += 1,
            None => {}
        }
    }
    if safe + unsafe_only == 0 {
        return;
    }
    let more = match unsafe_only {
        0 => String::new(),
        count => format!("; {count} more with `--unsafe-fixes`"),
    };
    eprintln_safe!(
        "hint: {} a fix that `srmlint check --fix` applies (`--diff` shows it){more}",
        match safe {
            1 => "1 finding has".to_owned(),
            count => format!("{count} findings have"),
        }
    );
}

/// What `--fix` or `--diff` did to a walked run.
enum FixOutcome {
    /// `--diff` printed the diff; true when there was something to fix.
    Diff(bool),
    /// `--fix` wrote the files; what could not be written (or was refused), as the
    /// machine formats report it.
    Written { failures: Vec<RunError> },
}

/// Fixes every file of `report` until no fix applies; prints the diff (`--diff`) or
/// writes the files (`--fix`), and leaves in `report` what remains.
fn apply_fixes(
    args: &CheckArgs,
    checker: &Checker,
    report: &mut RunReport,
    discovery: &Discovery,
    mode: FixMode,
) -> FixOutcome {
    let mut failures = Vec::new();
    let mut skip = Vec::new();
    if !args.diff {
        // A link that leads out of its repository is refused before anything is fixed.
        for candidate in &discovery.candidates {
            if let Err(why) = fixing::target(&candidate.path, &candidate.display) {
                skip.push(candidate.display.clone());
                failures.push(run_error(why, Some(candidate.display.clone())));
            }
        }
    }
    let changed = fixing::fix_run(checker, report, &discovery.candidates, mode, &skip);
    if args.diff {
        let applied: usize = changed.iter().map(|change| change.applied).sum();
        for change in &changed {
            let _ = write_stdout(diff_for_terminal(&fixing::unified_diff(change)).as_bytes());
        }
        if !changed.is_empty() {
            eprintln_safe!(
                "would fix {} in {}",
                plural(applied, "finding"),
                plural(changed.len(), "file")
            );
        }
        return FixOutcome::Diff(!changed.is_empty());
    }
    let (mut written, mut fixed) = (0, 0);
    for change in &changed {
        match fixing::write(change) {
            Ok(()) => (written, fixed) = (written + 1, fixed + change.applied),
            Err(why) => {
                fixing::unfix(checker, report, change);
                let why = format!("{why}; its findings are those of the file as it stands");
                failures.push(run_error(why, Some(change.display.clone())));
            }
        }
    }
    if written > 0 {
        eprintln_safe!(
            "fixed {} in {}",
            plural(fixed, "finding"),
            plural(written, "file")
        );
    }
    let keep = args.format.keep();
    report.files = std::mem::take(&mut report.files)
        .into_iter()
        .map(|file| keep.apply(file))
        .collect();
    FixOutcome::Written { failures }
}

/// A diff as shown: the file's own text may hold control characters, shown as visible
/// escapes on a terminal; piped, the diff stays exact so `patch` can apply it, except
/// that, as in every log srmlint writes, no line of the file may start a workflow
/// command (` ::error`, `##[`): `--diff` is read by people and CI logs. (`check -
/// --fix` writes the fixed file itself byte for byte: it is data for an editor.)
fn diff_for_terminal(diff: &str) -> String {
    let shown = if std::io::stdout().is_terminal() {
        escape_for_terminal(diff)
    } else {
        diff.to_owned()
    };
    workflow_safe(&shown, LogSink::Text).into_owned()
}

/// `check - --fix` and `check - --diff`: the fixed text (or the diff) on stdout, the
/// findings left on stderr (or in `--output`).
fn fix_standard_input(
    args: &CheckArgs,
    checker: &Checker,
    mode: FixMode,
) -> Result<ExitCode, Error> {
    let display = stdin_display(args);
    // `--output` takes the findings: never the file standard input stands for.
    refuse_input_as_output(
        args.output.as_deref(),
        args.force,
        &Discovery::default(),
        args.stdin_filename.as_deref(),
    )?;
    let bytes = check::read_stdin().map_err(Error::new)?;
    // Text over the size limit is not checked, and comes back whole.
    let cut_short = bytes.len() as u64 > fs::MAX_FILE_BYTES;
    let base = check::stdin_base(args.stdin_filename.as_deref());
    let mut first = checker.check_bytes(bytes.clone(), &display, &base);
    fix::attach(&mut first, &checker.matrix);
    let (file, changed, fixed) = fixing::fix_stdin(checker, first, bytes, &base, mode);
    if args.diff {
        if let Some(change) = &changed {
            write_stdout(diff_for_terminal(&fixing::unified_diff(change)).as_bytes())?;
        }
        return Ok(ExitCode::from(u8::from(changed.is_some())));
    }
    write_stdout(&fixed)?;
    if cut_short {
        fixing::pass_rest_of_stdin().map_err(Error::new)?;
    }
    let report = RunReport::new(vec![file]);
    let to_terminal = args.output.is_none() && std::io::stderr().is_terminal();
    let rendered = render_check(args, checker, &report, to_terminal);
    match &args.output {
        Some(path) => {
            let rendered = workflow_safe(&rendered, sink_of(args.format));
            fs::write_output(path, rendered.as_bytes(), args.force).map_err(Error::new)?
        }
        None => write_stderr(&workflow_safe(&rendered, sink_of(args.format))),
    }
    if args.format == Format::Concise {
        eprintln_safe!("{}", human::summary_line(&report));
    }
    let fails = report.fails(args.deny_warnings) && !args.exit_zero;
    Ok(ExitCode::from(u8::from(fails)))
}

/// An `--output` that may be written: never one of the controls files the command
/// read, `--force` or not; an existing file only with `--force`.
fn refuse_input_as_output(
    output: Option<&Path>,
    force: bool,
    discovery: &Discovery,
    stands_for: Option<&Path>,
) -> Result<(), Error> {
    let Some(output) = output else {
        return Ok(());
    };
    // The file standard input stands for (an editor's buffer of it) is read too.
    let shown = stands_for.map(fs::display_path);
    let inputs = discovery
        .candidates
        .iter()
        .map(|candidate| (candidate.path.as_path(), candidate.display.as_str()))
        .chain(stands_for.zip(shown.as_deref()));
    fs::check_output_target(output, force, inputs).map_err(Error::new)
}

/// Says on stderr when a walk found controls files and their configuration left
/// every one of them out: "0 files checked" must not read as a clean repository.
fn print_exclusions(report: &RunReport) {
    if report.excluded.is_empty() || !report.files.is_empty() {
        return;
    }
    let mut by: Vec<String> = report
        .excluded
        .iter()
        .map(|excluded| match &excluded.origin {
            Some(origin) => format!("`{}` in `{}`", excluded.setting, fs::shown_path(origin)),
            None => format!("`{}`", excluded.setting),
        })
        .collect();
    by.sort();
    by.dedup();
    eprintln_safe!(
        "warning: {} found, and every one is left out by {}; nothing was checked",
        plural(report.excluded.len(), "controls file"),
        escape_inline(&by.join(", "))
    );
}

fn run_matrix(args: MatrixArgs) -> Result<ExitCode, Error> {
    if let Some(MatrixCommand::Diff(diff)) = args.command {
        return run_matrix_diff(diff);
    }
    let matrix = Matrix::load(args.matrix.as_deref())?;
    let model = args.model.as_deref();
    print(&render::matrix::render(
        &matrix,
        args.format,
        model,
        args.framework.as_deref(),
    )?)
}

fn run_matrix_diff(args: MatrixDiffArgs) -> Result<ExitCode, Error> {
    let versions = MatrixVersions::embedded();
    let old = srmlint::diff::matrix::load_side(&args.old, versions)?;
    let new = srmlint::diff::matrix::load_side(&args.new, versions)?;
    let diff = srmlint::diff::matrix::diff(&old, &new);
    print(&render::diff::matrix::render(&diff, args.format))?;
    Ok(ExitCode::from(u8::from(args.exit_code && !diff.is_empty())))
}

fn run_diff(args: DiffArgs) -> Result<ExitCode, Error> {
    let cwd = std::env::current_dir()
        .map_err(|error| Error::new(format!("cannot tell the working folder: {error}")))?;
    let repository = Repository::open(&cwd)?;
    let base = Side::Revision {
        commit: repository.resolve(&args.base)?,
        name: args.base,
    };
    let head = match args.head {
        Some(name) => Side::Revision {
            commit: repository.resolve(&name)?,
            name,
        },
        None => Side::WorkTree,
    };
    for path in &args.paths {
        srmlint::text::resolve::command_line(path).map_err(Error::new)?;
    }
    let checker = load_checker(
        &args.common,
        &args.paths,
        &args.terraform,
        &args.terraform_vars,
    )?;
    let request = Request {
        base,
        head,
        paths: args.paths,
        cwd,
    };
    let diff = srmlint::diff::build::compare(&checker, &repository, &request)?;
    if let Some(message) = fs::input_budget_exceeded() {
        return Err(Error::new(message));
    }
    print(&render::diff::ownership::render(&diff, args.format))?;
    Ok(ExitCode::from(u8::from(diff.fails())))
}

fn run_report(args: ReportArgs) -> Result<ExitCode, Error> {
    let checker = load_checker(
        &args.common,
        &args.paths,
        &args.terraform,
        &args.terraform_vars,
    )?;
    let frameworks = frameworks::embedded();
    let mut selection = FrameworkSelection::of_ids(args.frameworks, &frameworks)?;
    let spreadsheet = matches!(
        args.format,
        report::ReportFormat::Csv | report::ReportFormat::Xlsx
    );
    if spreadsheet && selection == FrameworkSelection::Declared {
        // A spreadsheet for a file that names no framework still lists every requirement.
        selection = FrameworkSelection::DeclaredOrAll;
    }
    if args.format == report::ReportFormat::Xlsx && args.output.is_none() {
        return Err(Error::new(
            "XLSX is a binary workbook and is not written to the terminal: give `--output FILE` (for example `--output posture.xlsx`)",
        ));
    }
    if let Some(path) = &args.output {
        fs::refuse_overwrite(path, args.force).map_err(Error::new)?;
    }
    // Each file is checked under its own `.srmlint.toml`, exactly as `check` does.
    let (discovery, run, unloaded) = checker.check_walk(&args.paths, check::Keep::Everything);
    if let Some(error) = unloaded.into_iter().next() {
        return Err(error);
    }
    if !discovery_problems(&discovery.problems, "report on").is_empty() {
        return Ok(ExitCode::from(2));
    }
    refuse_input_as_output(args.output.as_deref(), args.force, &discovery, None)?;
    if run.files.is_empty() {
        return Err(Error::new(
            "no controls file found (`controls.toml` or `*.controls.toml`)",
        ));
    }
    // The commit of the files as they were read: looked up once, before rendering.
    let paths = discovery.candidates.iter().map(|c| c.path.as_path());
    let git = posture::GitState::of_files(paths);
    let evidence = posture::evidence::EvidenceIndex::of_files(&run.files);
    let context = ReportContext {
        matrix: &checker.matrix,
        frameworks: &frameworks,
        today: checker.today,
        git: &git,
        evidence: &evidence,
    };
    if let Some(message) = fs::input_budget_exceeded() {
        return Err(Error::new(message));
    }
    let posture = posture::build(&run.files, context, &selection);
    let output = args.output.as_deref();
    if let (report::ReportFormat::Xlsx, Some(path)) = (args.format, output) {
        // A workbook is binary and goes to a file only (`--output` is required for it):
        // no log sink reads it, so it is written as it is.
        let bytes = report::xlsx::render(&posture)?;
        fs::write_output(path, &bytes, args.force).map_err(Error::new)?;
    } else {
        let text = report::render(&posture, args.format, &checker.matrix, output)?;
        emit(output, args.force, &text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What a format adds beside its document: the concise format's summary line on
/// stderr, and the GitHub format's Markdown step summary appended (never truncated)
/// to `$GITHUB_STEP_SUMMARY` when that variable names a file.
fn after_render(report: &RunReport, format: Format) {
    match format {
        // `emit` has flushed stdout, so the findings come first on a shared terminal.
        Format::Concise => eprintln_safe!("{}", human::summary_line(report)),
        Format::Github => {
            let Some(path) =
                std::env::var_os("GITHUB_STEP_SUMMARY").filter(|path| !path.is_empty())
            else {
                return;
            };
            let summary = github::step_summary(report);
            let summary = workflow_safe(&summary, LogSink::Text);
            if let Err(error) = fs::append(Path::new(&path), summary.as_bytes()) {
                eprintln_safe!(
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
            Err(Error::new(format!("cannot write to stdout: {error}")))
        }
        _ => Ok(()),
    }
}

/// Prints what discovery met on stderr, paths escaped (they come from the file system
/// and may hold any character); returns the command-line paths that could not be
/// used, as the machine formats report them.
fn discovery_problems(problems: &[Problem], doing: &str) -> Vec<RunError> {
    let mut bad_arguments = Vec::new();
    for problem in problems {
        match problem {
            Problem::BadArgument { path, message } => {
                eprintln_safe!("error: cannot {doing} `{}`: {message}", escape_inline(path));
                bad_arguments.push(RunError {
                    message: format!("cannot {doing} `{path}`: {message}"),
                    path: Some(path.clone()),
                });
            }
            Problem::Walk { path, message } => {
                eprintln_safe!("warning: skipped `{}`: {message}", escape_inline(path));
            }
        }
    }
    bad_arguments
}

/// Prints `text`, or writes it to `output`: a regular file through a temporary file
/// and a rename (an existing one only with `force`), anything else written through.
/// Every document passes `workflow_safe` last: no text from a checkout can start a
/// workflow command in a CI log, whichever command printed it.
fn emit(output: Option<&Path>, force: bool, text: &str) -> Result<(), Error> {
    emit_as(output, force, text, LogSink::of_document(text))
}

/// `emit` to standard output, for a command that succeeds when it could print.
fn print(text: &str) -> Result<ExitCode, Error> {
    emit(None, false, text)?;
    Ok(ExitCode::SUCCESS)
}

/// `emit` for a document whose sink is known (a check format).
fn emit_as(output: Option<&Path>, force: bool, text: &str, sink: LogSink) -> Result<(), Error> {
    let text = workflow_safe(text, sink);
    match output {
        None => write_stdout(text.as_bytes()),
        Some(path) => fs::write_output(path, text.as_bytes(), force).map_err(Error::new),
    }
}

/// The sink of a check format's document.
fn sink_of(format: Format) -> LogSink {
    match format {
        Format::Json | Format::Sarif | Format::Gitlab => LogSink::Json,
        Format::Junit => LogSink::Markup,
        Format::Github => LogSink::Commands,
        Format::Human | Format::Concise => LogSink::Text,
    }
}

fn run_init(args: InitArgs) -> Result<ExitCode, Error> {
    fs::set_input_budget(args.max_input_bytes);
    let matrix = Matrix::load(args.matrix.as_deref())?;
    // A stream (`-`, a device or a named pipe such as `/dev/stdout`) is written through
    // as printed text is: no folder is beside it to hold a schema or name the deployment.
    let printed = args.output.as_os_str() == "-";
    let to_stdout = printed || fs::output_target(&args.output) == Ok(fs::Target::Through);
    if !printed {
        fs::refuse_overwrite(&args.output, args.force).map_err(Error::new)?;
    }
    // The directive points at a file that exists: the one written beside the file,
    // or what the user named; printed text has no folder to write one into.
    let writes_schema = args.schema.is_none() && !to_stdout;
    let schema_reference = match &args.schema {
        Some(reference) => Some(reference.clone()),
        None if to_stdout => None,
        None => Some(init::DEFAULT_SCHEMA_REFERENCE.to_owned()),
    };
    let mut request = InitRequest {
        name: args.name.clone().unwrap_or_else(|| {
            init::default_deployment_name((!to_stdout).then_some(args.output.as_path()))
        }),
        services: args.services,
        zones: args.zones,
        residency: args.residency,
        regulated: args.regulated,
        frameworks: frameworks::embedded_ids().map(str::to_owned).collect(),
        schema_reference,
        ..InitRequest::default()
    };
    if !args.terraform.is_empty() {
        // The infrastructure comes first; `--services` and `--zones` add to it.
        let found = init::read_terraform(
            &matrix,
            &args.terraform,
            (!to_stdout).then_some(args.output.as_path()),
            &args.terraform_vars.settings(),
        )?;
        for note in &found.notes {
            // One line each: a resource name cannot start a line of the log.
            eprintln_safe!("note: {}", escape_inline(note));
        }
        if let Some(message) = fs::input_budget_exceeded() {
            return Err(Error::new(message));
        }
        request.services = init::dedup(&[found.services, request.services].concat());
        request.zones = init::dedup(&[found.zones, request.zones].concat());
        request.terraform = found.terraform;
        request.unresolved_zones = found.unresolved_zones;
        request.outside_var_files = found.outside_var_files;
        if request.services.is_empty() {
            return Err(Error::new(
                "the Terraform creates no service of the catalog; name the services with --services",
            ));
        }
    }
    let starter = init::render(&matrix, &request)?;
    if to_stdout {
        emit((!printed).then_some(&args.output), false, &starter.text)?;
        return Ok(ExitCode::SUCCESS);
    }
    emit(Some(&args.output), args.force, &starter.text)?;
    let shown = escape_inline(&args.output.to_string_lossy());
    eprintln_safe!(
        "wrote {shown}: {} claims to fill in (accountable, implementation, evidence)",
        starter.claims
    );
    if writes_schema {
        write_schema_beside(&matrix, &args.output, args.force);
    } else if let Some(reference) = &args.schema
        && !reference.contains("://")
        && !fs::folder_of(&args.output).join(reference).exists()
    {
        eprintln_safe!(
            "note: `#:schema {}` points at no file yet: `srmlint schema > FILE` writes it",
            escape_inline(reference)
        );
    }
    write_stderr(&workflow_safe(&init::next_steps(&shown), LogSink::Text));
    Ok(ExitCode::SUCCESS)
}

/// Writes the JSON Schema the starter file's `#:schema` line points at beside it. One
/// that is there already is kept unless it is the same or `--force` is given.
fn write_schema_beside(matrix: &Matrix, output: &Path, force: bool) {
    let path = PathBuf::from(init::schema_beside(output));
    let shown = escape_inline(&path.to_string_lossy());
    let text = schema::render(matrix);
    // Only a regular file is compared, read no further than the schema's length: a
    // link, a FIFO or `/dev/zero` there is "not the same", for the writer to judge.
    let same =
        fs::read_listed_file(&path, text.len() as u64).is_ok_and(|bytes| bytes == text.as_bytes());
    if same {
        return;
    }
    match fs::write_output(&path, text.as_bytes(), force) {
        Ok(()) => eprintln_safe!(
            "wrote {shown}: the JSON Schema editors complete and check {} with",
            escape_inline(&output.to_string_lossy())
        ),
        Err(why) => eprintln_safe!(
            "note: {}; `srmlint schema > {shown}` updates it",
            escape_inline(&why)
        ),
    }
}

fn run_config(args: ConfigArgs) -> Result<ExitCode, Error> {
    let path = args.path.unwrap_or_else(|| PathBuf::from("."));
    srmlint::text::resolve::command_line(&path).map_err(Error::new)?;
    if path.symlink_metadata().is_err() {
        return Err(Error::new(format!(
            "`{}` does not exist",
            escape_inline(&path.to_string_lossy())
        )));
    }
    // Loaded as `check` loads it, so what `check` refuses (a rule no policy defines, a
    // bad policy it names) is refused here too.
    let settings = LoadSettings {
        config_dir: Some(fs::dir_of(&path)),
        ..LoadSettings::default()
    };
    let checker = Checker::load(&settings)?;
    let shown = fs::display_path(&path);
    print(&render::config::render(
        &checker.config,
        &shown,
        args.format,
    ))
}

fn run_explain(args: ExplainArgs) -> Result<ExitCode, Error> {
    let checker = load_checker(&args.common, &[], &[], &TerraformVarArgs::default())?;
    let rules = checker.rules();
    let frameworks = frameworks::embedded();
    let sources = explain::Sources {
        rules: &rules,
        matrix: &checker.matrix,
        frameworks: &frameworks,
    };
    let text = explain::explain(&args.name, sources)?;
    // Loaded rules bring their own text: it must not drive the terminal.
    print(&escape_for_terminal(&text))
}

fn run_server(args: ServerArgs) -> Result<ExitCode, Error> {
    let _ = args.stdio;
    let settings = LoadSettings {
        matrix: args.common.matrix,
        policies: args.common.policy,
        today: args.common.today,
        ..LoadSettings::default()
    };
    let ending = srmlint::server::serve(
        std::io::BufReader::new(std::io::stdin()),
        std::io::stdout().lock(),
        &settings,
    )?;
    Ok(ExitCode::from(u8::from(
        ending != srmlint::server::Ending::Clean,
    )))
}

fn run_rules(args: RulesArgs) -> Result<ExitCode, Error> {
    let checker = load_checker(&args.common, &[], &[], &TerraformVarArgs::default())?;
    print(&escape_for_terminal(&render::rules::render(
        &checker.rules(),
        args.format,
    )))
}

fn run_schema(args: SchemaArgs) -> Result<ExitCode, Error> {
    let matrix = Matrix::load(args.matrix.as_deref())?;
    print(&schema::render(&matrix))
}

fn run_completions(args: CompletionsArgs) -> Result<ExitCode, Error> {
    let script = cli::completions::script(args.shell, &mut Cli::command());
    write_stdout(script.as_bytes())?;
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
                return Err(Error::new(format!(
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
        .map_err(|error| Error::new(format!("cannot render the man page: {error}")))?;
    write_stdout(&roff)?;
    Ok(ExitCode::SUCCESS)
}
