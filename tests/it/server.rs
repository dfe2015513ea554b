//! `srmlint server`, the built binary over stdio: a real LSP client (pytest-lsp,
//! `tests/lsp/test_server.py`) drives it end to end; this file also speaks the
//! protocol byte by byte, to send what no well-behaved client sends (broken frames,
//! bad parameters) and to watch the server's memory over 10,000 changes.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Instant;

use serde_json::{Value, json};

use common::{DEADLINE, Scratch, TODAY, repo_root, wait_within_deadline};

// ------------------------------------------------------------------ a raw client

/// The server, started from the built binary, and what it has said so far.
struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Messages read while waiting for another.
    pending: Vec<Value>,
}

impl Session {
    fn start(folder: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_srmlint"))
            .args(["server", "--today", TODAY])
            .current_dir(folder)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            messages,
            pending: Vec::new(),
        }
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response.
    fn request(&mut self, id: i64, method: &str, params: Value) -> Value {
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|message| message["id"] == json!(id) && message.get("method").is_none())
    }

    /// The first message (read before or from now on) that `wanted` accepts.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(at) = self.pending.iter().position(&wanted) {
            return self.pending.remove(at);
        }
        let started = Instant::now();
        loop {
            let left = DEADLINE.saturating_sub(started.elapsed());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.pending.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("no awaited message within {DEADLINE:?}"),
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the server ended; it had said: {:#?}", self.pending)
                }
            }
        }
    }

    /// The next diagnostics published for `uri` at `version`; messages before it are
    /// dropped.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        self.pending.clear();
        let message = self.wait_for(|message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
                && message["params"]["version"] == json!(version)
        });
        self.pending.clear();
        message["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    fn initialize(&mut self, options: Value) {
        let response = self.request(
            1,
            "initialize",
            json!({"processId": null, "capabilities": {}, "initializationOptions": options}),
        );
        assert!(response["result"]["capabilities"]["hoverProvider"] == json!(true));
        self.notify("initialized", json!({}));
    }

    /// `shutdown`, then `exit`: the exit status.
    fn shut_down(mut self) -> ExitStatus {
        let response = self.request(999_999, "shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        wait_within_deadline(&mut self.child, "the server after exit")
    }

    /// The server's resident memory in KiB (Linux).
    fn resident_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/PID/status reads");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS is in /proc/PID/status")
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One message the server wrote, or `None` when its output ended.
fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("a header");
        assert_eq!(
            name, "Content-Length",
            "the server writes only Content-Length"
        );
        length = Some(value.trim().parse::<usize>().expect("a length"));
    }
    let mut body = vec![0; length.expect("Content-Length is given")];
    reader.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("the server writes JSON"))
}

fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_str().expect("a UTF-8 path").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(byte));
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

/// A repository holding a copy of examples/clinic, its `controls.toml` naming a
/// Terraform folder that creates every service it declares.
fn clinic_repository(name: &str) -> (Scratch, PathBuf) {
    let scratch = Scratch::git_root(name);
    for entry in walkdir::WalkDir::new(repo_root().join("examples/clinic")) {
        let entry = entry.unwrap();
        let relative = entry
            .path()
            .strip_prefix(repo_root().join("examples/clinic"))
            .unwrap();
        if entry.file_type().is_file() {
            scratch.write(relative, std::fs::read(entry.path()).unwrap());
        }
    }
    scratch.write(
        "infra/main.tf",
        "resource \"exoscale_compute_instance\" \"web\" {\n  zone = \"ch-gva-2\"\n}\n\
         resource \"exoscale_private_network\" \"net\" {\n  zone = \"ch-gva-2\"\n}\n\
         resource \"exoscale_dbaas\" \"db\" {\n  type = \"pg\"\n  zone = \"ch-gva-2\"\n}\n",
    );
    let controls = scratch.path("controls.toml");
    let text = std::fs::read_to_string(&controls).unwrap().replace(
        "frameworks = [\"iso27001\", \"nis2\"]",
        "frameworks = [\"iso27001\", \"nis2\"]\nterraform = [\"infra\"]",
    );
    std::fs::write(&controls, text).unwrap();
    (scratch, controls)
}

fn open(session: &mut Session, uri: &str, text: &str) {
    session.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}}),
    );
}

fn change(session: &mut Session, uri: &str, version: i64, text: &str) {
    session.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}],
        }),
    );
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    let mut codes: Vec<&str> = diagnostics
        .iter()
        .filter_map(|diagnostic| diagnostic["code"].as_str())
        .collect();
    codes.sort_unstable();
    codes
}

// ------------------------------------------------------------------ robustness

#[test]
fn broken_messages_are_answered_and_the_server_goes_on() {
    let (scratch, controls) = clinic_repository("server-broken");
    let mut session = Session::start(&scratch.root);
    // Before `initialize`, a request is refused.
    let early = session.request(5, "textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], json!(-32002), "{early}");
    session.initialize(json!({"debounceMs": 0}));

    // Not JSON; JSON that is no message but carries an id; a header block with no
    // length; a header line that never ends (cut off, not held).
    session.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    session.send_raw(b"Content-Length: 32\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":7,\"x\":1}  ");
    let invalid = session.wait_for(|message| message["id"] == json!(7));
    assert_eq!(invalid["error"]["code"], json!(-32600), "{invalid}");
    session.send_raw(b"X-Nothing: here\r\n\r\n");
    session.send_raw(&[b'x'; 100_000]);
    session.send_raw(b"\r\n\r\n");

    // Parameters of the wrong shape, an unknown method, a document never opened.
    let bad = session.request(8, "textDocument/hover", json!({"textDocument": 3}));
    assert_eq!(bad["error"]["code"], json!(-32602), "{bad}");
    let unknown = session.request(9, "textDocument/formatting", json!({}));
    assert_eq!(unknown["error"]["code"], json!(-32601), "{unknown}");
    let unopened = session.request(
        10,
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere/controls.toml"},
               "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(unopened["result"], Value::Null, "{unopened}");
    session.notify("textDocument/didChange", json!({"bogus": true}));
    session.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere/controls.toml", "version": 2},
               "contentChanges": [{"text": "x"}]}),
    );

    // Documents that are not controls files: binary, not TOML, huge positions.
    let uri = file_uri(&controls);
    open(&mut session, &uri, "\u{0}\u{1}binary");
    let unreadable = session.diagnostics(&uri, 1);
    assert_eq!(codes(&unreadable), ["SRM022"], "{unreadable:?}");
    change(&mut session, &uri, 2, "[deployment\nservices = [");
    assert_eq!(codes(&session.diagnostics(&uri, 2)), ["SRM020"]);
    session.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3},
               "contentChanges": [{"range": {"start": {"line": 4_000_000_000u32, "character": 9},
                                             "end": {"line": 0, "character": 0}},
                                   "text": "é"}]}),
    );
    session.diagnostics(&uri, 3);
    let hover = session.request(
        11,
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4_000_000_000u32, "character": 4_000_000_000u32}}),
    );
    assert!(hover.get("error").is_none(), "{hover}");

    // After all of it the server still checks, hovers and shuts down cleanly.
    let text = std::fs::read_to_string(&controls).unwrap();
    change(&mut session, &uri, 4, &text);
    assert_eq!(session.diagnostics(&uri, 4), Vec::<Value>::new());
    let hover = session.request(
        12,
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 13, "character": 15}}),
    );
    assert!(
        hover["result"]["contents"]["value"]
            .as_str()
            .is_some_and(|value| value.contains("data-classification")),
        "{hover}"
    );
    let status = session.shut_down();
    assert!(status.success(), "{status}");
}

#[test]
fn exit_without_shutdown_is_exit_code_1_and_a_closed_input_ends_the_server() {
    let scratch = Scratch::git_root("server-exit");
    let mut session = Session::start(&scratch.root);
    session.initialize(json!({}));
    session.notify("exit", Value::Null);
    let status = wait_within_deadline(&mut session.child, "the server after exit");
    assert_eq!(status.code(), Some(1));

    let mut session = Session::start(&scratch.root);
    session.initialize(json!({}));
    drop(session.stdin.take());
    let status = wait_within_deadline(&mut session.child, "the server after its input closed");
    assert_eq!(status.code(), Some(1));
}

// ------------------------------------------------------------------ memory

/// The server runs for days: after 10,000 changes (each checked: no debounce) its
/// memory is within twice what it was after the first.
#[cfg(target_os = "linux")]
#[test]
#[allow(
    clippy::print_stderr,
    reason = "the measured memory is for the person running the test (`--nocapture`)"
)]
fn memory_after_ten_thousand_changes_stays_within_twice_the_first() {
    let (scratch, controls) = clinic_repository("server-memory");
    let mut session = Session::start(&scratch.root);
    session.initialize(json!({"debounceMs": 0}));
    let uri = file_uri(&controls);
    let text = std::fs::read_to_string(&controls).unwrap();
    open(&mut session, &uri, &text);
    assert_eq!(session.diagnostics(&uri, 1), Vec::<Value>::new());
    // Every change is a different text, half of them with findings.
    let variant = |version: i64| {
        let mut changed = text.replace(
            "dpo@clinic.example",
            &format!("dpo{version}@clinic.example"),
        );
        if version % 2 == 1 {
            changed = changed.replace("\"compute\"", "\"compte\"");
        }
        changed
    };
    change(&mut session, &uri, 2, &variant(2));
    session.diagnostics(&uri, 2);
    let after_first = session.resident_kib();
    const CHANGES: i64 = 10_000;
    for version in 3..=CHANGES + 1 {
        change(&mut session, &uri, version, &variant(version));
        if version % 500 == 0 {
            // Keep the test's own queue short.
            session.diagnostics(&uri, version);
        }
    }
    let last = session.diagnostics(&uri, CHANGES + 1);
    assert_eq!(codes(&last), ["SRM011"], "{last:?}");
    let after_all = session.resident_kib();
    eprintln!(
        "server memory: {after_first} KiB after the first change, {after_all} KiB after {CHANGES}"
    );
    assert!(
        after_all <= 2 * after_first,
        "{after_all} KiB after {CHANGES} changes, {after_first} KiB after the first"
    );
    assert!(session.shut_down().success());
}

// ------------------------------------------------------------------ a real client

/// pytest-lsp, a real LSP client, drives the server. Its Python is the one
/// `SRMLINT_LSP_PYTHON` names, else the venv `.ci/run` makes under `target/`, else
/// `python3`. Outside CI a machine without it skips this and says so; under
/// `SRMLINT_REQUIRE_TOOLS` (`.ci/run`) or `CI` a missing pytest-lsp fails it.
#[test]
fn a_real_lsp_client_drives_the_server_end_to_end() {
    let Some(python) = common::require_python_module(
        "pytest_lsp",
        "SRMLINT_LSP_PYTHON",
        "lsp-venv",
        "`.ci/run` installs pytest-lsp in target/lsp-venv",
    ) else {
        return;
    };
    let scratch = Scratch::new("server-pytest");
    let mut child = Command::new(&python)
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-q"])
        .args(["-o", "asyncio_mode=auto"])
        .args(["-o", "asyncio_default_fixture_loop_scope=function"])
        .arg("--basetemp")
        .arg(scratch.path("pytest"))
        .arg(repo_root().join("tests/lsp/test_server.py"))
        .current_dir(&scratch.root)
        .env("SRMLINT_BIN", env!("CARGO_BIN_EXE_srmlint"))
        .env("SRMLINT_EXAMPLES", repo_root().join("examples"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python runs");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let status = wait_within_deadline(&mut child, "pytest-lsp");
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    assert!(status.success(), "pytest-lsp failed:\n{out}\n{err}");
    assert!(out.contains("8 passed"), "{out}\n{err}");
}

#[test]
fn the_debounce_is_at_most_300_ms() {
    // A client asking for a longer one gets 300 ms: a change is published well within
    // the deadline, though the client asked for an hour.
    let (scratch, controls) = clinic_repository("server-debounce");
    let mut session = Session::start(&scratch.root);
    session.initialize(json!({"debounceMs": 3_600_000}));
    let uri = file_uri(&controls);
    let text = std::fs::read_to_string(&controls).unwrap();
    open(&mut session, &uri, &text);
    session.diagnostics(&uri, 1);
    change(
        &mut session,
        &uri,
        2,
        &text.replace("\"compute\"", "\"compte\""),
    );
    assert_eq!(codes(&session.diagnostics(&uri, 2)), ["SRM011"]);
}
