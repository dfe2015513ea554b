//! Helpers for the hardening tests: running the built binary (with a deadline,
//! so a hang fails the test instead of stalling the suite), fresh scratch folders, and
//! the terminal-safety check every output format must pass on hostile input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The date every test pins, so date rules are reproducible.
pub const TODAY: &str = "2026-11-28";

/// How long one run may take before the test calls it a hang. Generous: debug builds
/// on a shared two-core machine are slow; a hang never ends.
pub const DEADLINE: Duration = Duration::from_secs(120);

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The controls file written to attack output: escape sequences, bidi overrides,
/// HTML/XML/GitHub-command injection. Every format must show its text escaped.
pub fn hostile_fixture() -> PathBuf {
    fixtures().join("hostile/controls.toml")
}

/// A fresh, empty folder for one test.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("srmlint-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

/// Runs `srmlint ARGS` in `cwd`, failing the test if it does not finish by `DEADLINE`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Output {
    run_in_via(cwd, &[], args)
}

/// `run_in`, with srmlint started through `wrapper` (a program and its arguments,
/// such as `setpriv` dropping root), when it is not empty.
pub fn run_in_via(cwd: &Path, wrapper: &[&str], args: &[&str]) -> Output {
    let binary = env!("CARGO_BIN_EXE_srmlint");
    let mut command = match wrapper.split_first() {
        Some((program, wrapper_args)) => {
            let mut command = Command::new(program);
            command.args(wrapper_args).arg(binary);
            command
        }
        None => Command::new(binary),
    };
    let mut child = command
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the srmlint binary runs");
    // Drain the pipes on threads: a large report would otherwise fill a pipe and block
    // the child, which would look like a hang.
    let mut stdout_pipe = child.stdout.take().expect("stdout is piped");
    let mut stderr_pipe = child.stderr.take().expect("stderr is piped");
    let stdout = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stdout_pipe, &mut bytes).map(|_| bytes)
    });
    let stderr = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stderr_pipe, &mut bytes).map(|_| bytes)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for srmlint") {
            break status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("srmlint {args:?} did not finish within {DEADLINE:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap().expect("stdout reads"),
        stderr: stderr.join().unwrap().expect("stderr reads"),
    }
}

pub fn run(args: &[&str]) -> Output {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

pub fn exit_code(output: &Output) -> i32 {
    output.status.code().expect("srmlint exited, not killed")
}

/// A character that must never reach a terminal raw: C0 and C1 controls, DEL, and the
/// bidirectional overrides and isolates. Written here from Unicode's definitions, not
/// taken from `src/`, so the test does not share the code it checks.
pub fn is_terminal_unsafe(c: char) -> bool {
    let code = u32::from(c);
    code < 0x20
        || (0x7f..=0x9f).contains(&code)
        || (0x202a..=0x202e).contains(&code)
        || (0x2066..=0x2069).contains(&code)
        || code == 0x200e
        || code == 0x200f
}

/// Fails with the offending place when `text` holds a terminal-unsafe character other
/// than LF, CR LF and tab.
pub fn assert_terminal_safe(text: &str, what: &str) {
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        let line_break =
            c == '\n' || (c == '\r' && chars.peek().map(|(_, next)| *next) == Some('\n'));
        if !line_break && c != '\t' && is_terminal_unsafe(c) {
            let mut from = index.saturating_sub(40);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            panic!(
                "{what}: raw U+{:04X} at byte {index}, after {:?}",
                u32::from(c),
                &text[from..index]
            );
        }
    }
}

/// Removes the colour sequences (`ESC [ digits ; ... m`) the tool itself writes, so
/// what is left can be checked for anything else.
pub fn strip_colour(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('\u{1b}') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let parameters = after.strip_prefix('[').map(|tail| {
            tail.len()
                - tail
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                    .len()
        });
        match parameters {
            Some(length) if after[1 + length..].starts_with('m') => {
                rest = &after[length + 2..];
            }
            _ => {
                // Not a colour sequence: keep the ESC so the safety check finds it.
                out.push('\u{1b}');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
