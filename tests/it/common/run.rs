//! Running the built binary: one builder for every test, and what a run printed.

use std::ffi::{OsStr, OsString};
use std::fmt::Display;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long one run may take before the test calls it a hang. Generous: debug builds
/// on a shared two-core machine are slow; a hang never ends.
pub const DEADLINE: Duration = Duration::from_secs(120);

/// The built binary, to be given arguments and run; see [`Srmlint::run`] for the
/// environment it gets.
pub fn srmlint() -> Srmlint {
    Srmlint {
        wrapper: Vec::new(),
        args: Vec::new(),
        current_dir: super::repo_root().to_path_buf(),
        env: Vec::new(),
        stdin: None,
    }
}

/// `srmlint check --today TODAY ARGS` run in `dir` (`args` may end in `--` and paths).
/// `dir` is borrowed: a [`super::Scratch`] handed over would be dropped, and its folder
/// removed, before the run.
pub fn check<P: AsRef<Path> + ?Sized>(dir: &P, args: &[&str]) -> Run {
    srmlint()
        .current_dir(dir.as_ref())
        .args(["check", "--today", super::TODAY])
        .args(args)
        .run()
}

/// [`check`] with `--format json`: read what it found with [`Run::json`],
/// [`Run::diagnostics`], [`Run::with_code`] and [`Run::summary`].
pub fn check_json<P: AsRef<Path> + ?Sized>(dir: &P, args: &[&str]) -> Run {
    srmlint()
        .current_dir(dir.as_ref())
        .args(["check", "--format", "json", "--today", super::TODAY])
        .args(args)
        .run()
}

/// One run of the binary being set up: its arguments, folder, environment and stdin.
#[derive(Debug, Clone)]
pub struct Srmlint {
    wrapper: Vec<OsString>,
    args: Vec<OsString>,
    current_dir: PathBuf,
    env: Vec<(OsString, OsString)>,
    stdin: Option<Vec<u8>>,
}

impl Srmlint {
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(&mut self, args: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|arg| arg.as_ref().to_owned()));
        self
    }

    /// The folder the binary runs in; the repository root unless set.
    pub fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.current_dir = dir.as_ref().to_path_buf();
        self
    }

    /// Sets a variable in the child's environment (after the clean-up, so this may set
    /// `NO_COLOR` or `GITHUB_STEP_SUMMARY` too).
    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Self {
        self.env
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Starts the binary through `wrapper`, a program and its arguments (such as
    /// `setpriv` dropping root); nothing changes when it is empty.
    pub fn via(&mut self, wrapper: &[&str]) -> &mut Self {
        self.wrapper = wrapper.iter().map(OsString::from).collect();
        self
    }

    /// Bytes written to the child's stdin (which is otherwise empty).
    pub fn stdin(&mut self, bytes: impl Into<Vec<u8>>) -> &mut Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Runs the binary and waits for it, failing the test if it does not finish by
    /// [`DEADLINE`] or is killed by a signal. The child gets this process's environment
    /// without `NO_COLOR` and `GITHUB_STEP_SUMMARY` (plus what [`Srmlint::env`] set),
    /// a null stdin unless [`Srmlint::stdin`] gave bytes, and piped stdout and stderr,
    /// which must be UTF-8.
    pub fn run(&self) -> Run {
        let binary = env!("CARGO_BIN_EXE_srmlint");
        let mut command = match self.wrapper.split_first() {
            Some((program, wrapper_args)) => {
                let mut command = Command::new(program);
                command.args(wrapper_args).arg(binary);
                command
            }
            None => Command::new(binary),
        };
        command
            .args(&self.args)
            .current_dir(&self.current_dir)
            .env_remove("NO_COLOR")
            .env_remove("GITHUB_STEP_SUMMARY")
            .envs(self.env.iter().map(|(key, value)| (key, value)))
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the srmlint binary runs");
        // Feed and drain the pipes on threads: a large report would otherwise fill a
        // pipe and block the child, which would look like a hang.
        let stdin = self.stdin.clone().map(|bytes| {
            let mut pipe = child.stdin.take().expect("stdin is piped");
            // A child that exits without reading all of it is not this test's failure.
            std::thread::spawn(move || drop(pipe.write_all(&bytes)))
        });
        let stdout = drain(child.stdout.take().expect("stdout is piped"));
        let stderr = drain(child.stderr.take().expect("stderr is piped"));
        let status = wait_within_deadline(&mut child, format_args!("srmlint {:?}", self.args));
        if let Some(writer) = stdin {
            writer.join().expect("stdin is written");
        }
        let code = status
            .code()
            .unwrap_or_else(|| panic!("srmlint {:?} was killed, not exited: {status}", self.args));
        let stdout = stdout.join().unwrap().expect("stdout reads");
        let stderr = stderr.join().unwrap().expect("stderr reads");
        Run {
            code,
            stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
        }
    }
}

/// Waits for `child`, killing it and failing the test (naming it `what`) if it has not
/// exited by [`DEADLINE`].
pub fn wait_within_deadline(child: &mut Child, what: impl Display) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("waiting for a child process") {
            return status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {DEADLINE:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn drain(
    mut pipe: impl Read + Send + 'static,
) -> std::thread::JoinHandle<std::io::Result<Vec<u8>>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes).map(|_| bytes)
    })
}

/// What one run printed, and how it exited.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Stdout as one JSON document, or a failure that shows both streams.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not JSON ({error}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// The diagnostics of a `check --format json` run.
    pub fn diagnostics(&self) -> Vec<serde_json::Value> {
        self.json()["diagnostics"].as_array().unwrap().clone()
    }

    /// The diagnostics with this code.
    pub fn with_code(&self, code: &str) -> Vec<serde_json::Value> {
        self.diagnostics()
            .into_iter()
            .filter(|diagnostic| diagnostic["code"] == code)
            .collect()
    }

    /// The diagnostics with one of `codes`, each as `file:line: CODE message`, in order.
    pub fn placed(&self, codes: &[&str]) -> Vec<String> {
        (self.diagnostics().iter())
            .filter(|d| codes.contains(&d["code"].as_str().unwrap()))
            .map(|d| {
                let text = |key: &str| d[key].as_str().unwrap().to_owned();
                format!(
                    "{}:{}: {} {}",
                    text("file"),
                    d["line"],
                    text("code"),
                    text("message")
                )
            })
            .collect()
    }

    /// The summary of a `check --format json` run.
    pub fn summary(&self) -> serde_json::Value {
        self.json()["summary"].clone()
    }
}
