//! `srmlint server`: the Language Server Protocol over a byte stream (the binary
//! gives it standard input and output), for controls files and `.srmlint.toml`.
//!
//! One synchronous loop, as ruff's server has it: it waits for the next message or
//! for the end of a document's debounce, whichever comes first. Diagnostics come from
//! the same `Checker` that `check` uses (see `diagnostics`); hover and completion read
//! the matrix, the rules and the framework maps. A check that fails yields a
//! diagnostic, a bad message an error response, and a panic in a handler an error,
//! never the end of the server; only `exit` or the end of the input ends it.

mod checkers;
mod code_actions;
mod completion;
mod context;
mod diagnostics;
mod hover;
mod position;
mod transport;
mod uri;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CompletionOptions, CompletionParams, CompletionResponse, Diagnostic,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    HoverParams, HoverProviderCapability, InitializeParams, InitializeResult, MessageType,
    PublishDiagnosticsParams, SaveOptions, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};

use self::completion::FileKind;
use self::position::LineIndex;
use crate::authoring::explain::Sources;
use crate::check::{Checker, LoadSettings};
use crate::data::frameworks::{self, Framework};
use crate::data::matrix::Matrix;
use crate::data::scope::DeploymentScope;
use crate::diag::{Error, RuleInfo};
use crate::input::config::CONFIG_FILE_NAME;
use crate::input::discover::is_controls_file_name;
use crate::rules;
use crate::text::date::Date;

/// How long a document must stay unchanged before it is checked, unless the client
/// asks for another (`initializationOptions.debounceMs`, at most `MAX_DEBOUNCE`).
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(200);

/// The longest debounce a client may ask for.
pub const MAX_DEBOUNCE: Duration = Duration::from_millis(300);

/// How the server ended, for the exit code: 0 only after `shutdown` then `exit`, as
/// the protocol asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`.
    Clean,
    /// `exit` without `shutdown`.
    ExitWithoutShutdown,
    /// The input ended before `exit`.
    InputClosed,
}

/// Serves the protocol on `input` and `output` until `exit` or the end of the input.
/// Fails only when the matrix or a `--policy` cannot be loaded, the reader thread
/// cannot be started, or the output cannot be written (the client is gone).
/// `settings` are the command line's `--matrix`, `--policy` and `--today`
/// (`config_dir` and `terraform` are ignored: every document is checked under its own
/// folder's configuration and the Terraform sources it names).
pub fn serve(
    input: impl BufRead + Send + 'static,
    output: impl Write,
    settings: &LoadSettings,
) -> Result<Ending, Error> {
    let matrix = Matrix::load(settings.matrix.as_deref())?;
    let settings = LoadSettings {
        config_dir: None,
        terraform: Vec::new(),
        ..settings.clone()
    };
    // A `--policy` that cannot be loaded stops the server before it starts, as it
    // stops `check`; a configuration that cannot is a diagnostic of the files under it.
    Checker::load_overlaid(matrix.clone(), &settings, &[])?;
    let incoming = transport::spawn_reader(input)
        .map_err(|error| Error::new(format!("cannot start the server's reader: {error}")))?;
    let mut server = Server {
        output,
        matrix,
        settings,
        frameworks: frameworks::embedded(),
        debounce: DEFAULT_DEBOUNCE,
        phase: Phase::Uninitialized,
        documents: BTreeMap::new(),
        elsewhere: BTreeMap::new(),
        checkers: checkers::Checkers::default(),
    };
    loop {
        let received = match server.next_due() {
            Some(due) => incoming.recv_timeout(due.saturating_duration_since(Instant::now())),
            None => incoming.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match received {
            Ok(transport::Incoming::Message(message)) => {
                if let Some(ending) = server.handle(message)? {
                    return Ok(ending);
                }
            }
            Ok(transport::Incoming::Malformed { id, why }) => server.malformed(id, &why)?,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(Ending::InputClosed),
        }
        server.check_due()?;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
}

/// Which documents are checked, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Controls,
    Config,
    /// Any other file the client opens: held, never checked.
    Other,
}

#[derive(Debug)]
struct Document {
    uri: Uri,
    /// The local file it is, for a `file:` URI.
    path: Option<PathBuf>,
    kind: Kind,
    text: String,
    version: i32,
    /// When it is to be checked next.
    due: Option<Instant>,
}

struct Server<W> {
    output: W,
    matrix: Matrix,
    settings: LoadSettings,
    frameworks: Vec<Framework>,
    debounce: Duration,
    phase: Phase,
    /// By the text of their URI (the protocol's `Uri` type is no map key).
    documents: BTreeMap<String, Document>,
    /// Diagnostics that lie in other files (Terraform), by that file's URI, then by
    /// the document whose check found them.
    elsewhere: BTreeMap<String, BTreeMap<String, Vec<Diagnostic>>>,
    checkers: checkers::Checkers,
}

/// A request's answer, or the error it gets.
type Answer = Result<serde_json::Value, (ErrorCode, String)>;

impl<W: Write> Server<W> {
    /// Writes one message with its header, and flushes.
    fn send(&mut self, message: impl Into<Message>) -> Result<(), Error> {
        message
            .into()
            .write(&mut self.output)
            .map_err(|error| Error::new(format!("cannot write to the client: {error}")))
    }

    fn notify(&mut self, method: &str, params: impl serde::Serialize) -> Result<(), Error> {
        self.send(Notification::new(method.to_owned(), params))
    }

    /// A line in the client's log (`window/logMessage`).
    fn log(&mut self, kind: MessageType, message: String) -> Result<(), Error> {
        self.notify(
            "window/logMessage",
            lsp_types::LogMessageParams { typ: kind, message },
        )
    }

    fn malformed(&mut self, id: Option<RequestId>, why: &str) -> Result<(), Error> {
        match id {
            Some(id) => self.send(Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                why.to_owned(),
            )),
            None => self.log(
                MessageType::ERROR,
                format!("srmlint ignored a message: {why}"),
            ),
        }
    }

    /// Handles one message; `Some` when the server is to end.
    fn handle(&mut self, message: Message) -> Result<Option<Ending>, Error> {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let answer = catch_unwind(AssertUnwindSafe(|| self.answer(request)));
                let answer = answer.unwrap_or_else(|_| {
                    let why = "srmlint failed on this request (a bug: please report it)";
                    Err((ErrorCode::InternalError, why.to_owned()))
                });
                let response = match answer {
                    Ok(result) => Response::new_ok(id, result),
                    Err((code, message)) => Response::new_err(id, code as i32, message),
                };
                self.send(response)?;
                Ok(None)
            }
            Message::Notification(notification) => {
                if notification.method == "exit" {
                    return Ok(Some(if self.phase == Phase::ShutDown {
                        Ending::Clean
                    } else {
                        Ending::ExitWithoutShutdown
                    }));
                }
                if self.phase != Phase::Running {
                    return Ok(None);
                }
                let method = notification.method.clone();
                match catch_unwind(AssertUnwindSafe(|| self.notified(notification))) {
                    Ok(Ok(())) => {}
                    Ok(Err(why)) => self.log(MessageType::WARNING, why)?,
                    Err(_) => self.log(
                        MessageType::ERROR,
                        format!("srmlint failed on `{method}` (a bug: please report it)"),
                    )?,
                }
                Ok(None)
            }
            // The server sends no requests, so no response is awaited.
            Message::Response(_) => Ok(None),
        }
    }

    fn answer(&mut self, request: Request) -> Answer {
        match (self.phase, request.method.as_str()) {
            (Phase::Uninitialized, "initialize") => self.initialize(request),
            (Phase::Uninitialized, _) => Err((
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet".to_owned(),
            )),
            (Phase::ShutDown, _) => Err((
                ErrorCode::InvalidRequest,
                "the server is shutting down".to_owned(),
            )),
            (Phase::Running, "initialize") => Err((
                ErrorCode::InvalidRequest,
                "the server is initialized already".to_owned(),
            )),
            (Phase::Running, "shutdown") => {
                self.phase = Phase::ShutDown;
                Ok(serde_json::Value::Null)
            }
            (Phase::Running, "textDocument/hover") => Ok(to_json(self.hover(&params_of(request)?))),
            (Phase::Running, "textDocument/completion") => {
                Ok(to_json(self.completion(&params_of(request)?)))
            }
            (Phase::Running, "textDocument/codeAction") => {
                Ok(to_json(self.code_actions(&params_of(request)?)))
            }
            (Phase::Running, method) => Err((
                ErrorCode::MethodNotFound,
                format!("srmlint does not answer `{method}`"),
            )),
        }
    }

    fn initialize(&mut self, request: Request) -> Answer {
        let params: InitializeParams = params_of(request)?;
        if let Some(asked) = params
            .initialization_options
            .as_ref()
            .and_then(|options| options.get("debounceMs"))
            .and_then(serde_json::Value::as_u64)
        {
            self.debounce = Duration::from_millis(asked).min(MAX_DEBOUNCE);
        }
        self.phase = Phase::Running;
        let capabilities = ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                        include_text: Some(false),
                    })),
                    ..TextDocumentSyncOptions::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..CodeActionOptions::default()
            })),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["\"".to_owned(), ".".to_owned(), "[".to_owned()]),
                ..CompletionOptions::default()
            }),
            ..ServerCapabilities::default()
        };
        Ok(to_json(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "srmlint".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        }))
    }

    /// Handles a notification while running; `Err` is a warning for the client's log.
    fn notified(&mut self, notification: Notification) -> Result<(), String> {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let params: DidOpenTextDocumentParams = notification_params(notification)?;
                let item = params.text_document;
                let path = uri::to_path(&item.uri);
                let kind = kind_of(path.as_deref());
                if kind == Kind::Config {
                    self.schedule_under(path.as_deref(), self.debounce);
                }
                self.documents.insert(
                    item.uri.as_str().to_owned(),
                    Document {
                        uri: item.uri,
                        path,
                        kind,
                        text: item.text,
                        version: item.version,
                        // Other files are held for nothing but hover and completion
                        // requests, which find nothing in them: never checked.
                        due: (kind != Kind::Other).then(Instant::now),
                    },
                );
                Ok(())
            }
            "textDocument/didChange" => {
                let params: DidChangeTextDocumentParams = notification_params(notification)?;
                let debounce = self.debounce;
                let Some(document) = self.documents.get_mut(params.text_document.uri.as_str())
                else {
                    return Err(format!(
                        "a change to `{}`, which is not open",
                        params.text_document.uri.as_str()
                    ));
                };
                for change in params.content_changes {
                    match change.range {
                        Some(range) => {
                            let index = LineIndex::new(&document.text);
                            let start = index.offset(&document.text, range.start);
                            let end = index.offset(&document.text, range.end).max(start);
                            document.text.replace_range(start..end, &change.text);
                        }
                        None => document.text = change.text,
                    }
                }
                document.version = params.text_document.version;
                if document.kind != Kind::Other {
                    document.due = Some(Instant::now() + debounce);
                }
                let (kind, path) = (document.kind, document.path.clone());
                if kind == Kind::Config {
                    self.schedule_under(path.as_deref(), debounce);
                }
                Ok(())
            }
            "textDocument/didClose" => {
                let params: DidCloseTextDocumentParams = notification_params(notification)?;
                let uri = params.text_document.uri;
                if let Some(document) = self.documents.remove(uri.as_str())
                    && document.kind == Kind::Config
                {
                    self.schedule_under(document.path.as_deref(), Duration::ZERO);
                }
                self.publish_elsewhere(uri.as_str(), BTreeMap::new())
                    .map_err(|error| error.to_string())?;
                self.publish(uri, Vec::new(), None)
                    .map_err(|error| error.to_string())
            }
            // A saved file, or files changed on disk (evidence, Terraform, a policy):
            // every open document may read differently now.
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => {
                let now = Instant::now();
                self.checkers.clear();
                for document in self.documents.values_mut() {
                    if document.kind != Kind::Other {
                        document.due = Some(document.due.map_or(now, |due| due.min(now)));
                    }
                }
                Ok(())
            }
            // Nothing to do: every request is answered at once, and settings come
            // from `.srmlint.toml`.
            _ => Ok(()),
        }
    }

    /// Checks the open documents governed by the `.srmlint.toml` at `config` again,
    /// `after` from now.
    fn schedule_under(&mut self, config: Option<&Path>, after: Duration) {
        let Some(folder) = config.and_then(Path::parent) else {
            return;
        };
        let due = Instant::now() + after;
        for document in self.documents.values_mut() {
            let governed = document
                .path
                .as_deref()
                .is_some_and(|path| path.starts_with(folder));
            if governed && document.kind == Kind::Controls {
                document.due = Some(document.due.map_or(due, |known| known.min(due)));
            }
        }
    }

    /// The earliest time a document is to be checked.
    fn next_due(&self) -> Option<Instant> {
        self.documents
            .values()
            .filter_map(|document| document.due)
            .min()
    }

    /// Checks every document whose time has come, and publishes what it found.
    fn check_due(&mut self) -> Result<(), Error> {
        let now = Instant::now();
        let due: Vec<String> = self
            .documents
            .iter()
            .filter(|(_, document)| document.due.is_some_and(|due| due <= now))
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            let Some(document) = self.documents.get_mut(&uri) else {
                continue;
            };
            document.due = None;
            let version = document.version;
            let target = document.uri.clone();
            let checked =
                catch_unwind(AssertUnwindSafe(|| self.check(&uri))).unwrap_or_else(|_| {
                    diagnostics::Checked::only(vec![diagnostics::failure(
                        "srmlint failed while checking this file (a bug: please report it)",
                    )])
                });
            self.publish_elsewhere(&uri, checked.elsewhere)?;
            self.publish(target, checked.own, Some(version))?;
        }
        Ok(())
    }

    /// What a check of the open document `uri` finds.
    fn check(&mut self, uri: &str) -> diagnostics::Checked {
        let document = self.documents.get(uri).filter(|d| d.kind != Kind::Other);
        let Some((document, path)) = document.and_then(|d| Some((d, d.path.clone()?))) else {
            return diagnostics::Checked::default();
        };
        if document.kind == Kind::Config && !path.is_file() {
            // A new `.srmlint.toml`, not saved yet: no folder's chain holds it.
            let loaded =
                diagnostics::load_new_config(&self.matrix, &self.settings, &path, &document.text);
            let own = diagnostics::check_config(loaded.as_ref().map(|_| ()), &path, &document.text);
            return diagnostics::Checked::only(own);
        }
        let loaded = self.checker_for(&path);
        let Some(document) = self.documents.get(uri) else {
            return diagnostics::Checked::default();
        };
        match document.kind {
            Kind::Controls => diagnostics::check_controls(&loaded, &path, &document.text),
            Kind::Config => diagnostics::Checked::only(diagnostics::check_config(
                loaded.as_ref().map(|_| ()),
                &path,
                &document.text,
            )),
            Kind::Other => diagnostics::Checked::default(),
        }
    }

    /// The checker of the configuration that governs the folder of `path`, open
    /// `.srmlint.toml` buffers standing in for their files.
    fn checker_for(&mut self, path: &Path) -> Result<Arc<Checker>, Error> {
        let overlay = self.overlay();
        self.checkers
            .for_file(path, &self.matrix, &self.settings, &overlay)
    }

    /// The open `.srmlint.toml` buffers, standing in for their files.
    fn overlay(&self) -> Vec<(PathBuf, String)> {
        self.documents
            .values()
            .filter(|document| document.kind == Kind::Config)
            .filter_map(|document| Some((document.path.clone()?, document.text.clone())))
            .collect()
    }

    fn publish(
        &mut self,
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    ) -> Result<(), Error> {
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        )
    }

    /// Records what the check of `from` found in other files, and publishes each
    /// file whose diagnostics changed: the union over every open document.
    fn publish_elsewhere(
        &mut self,
        from: &str,
        found: BTreeMap<String, Vec<Diagnostic>>,
    ) -> Result<(), Error> {
        let mut touched: BTreeSet<String> = self
            .elsewhere
            .iter()
            .filter(|(_, by)| by.contains_key(from))
            .map(|(target, _)| target.clone())
            .collect();
        for by in self.elsewhere.values_mut() {
            by.remove(from);
        }
        for (target, diagnostics) in found {
            touched.insert(target.clone());
            self.elsewhere
                .entry(target)
                .or_default()
                .insert(from.to_owned(), diagnostics);
        }
        for target in touched {
            let all: Vec<Diagnostic> = self
                .elsewhere
                .get(&target)
                .map(|by| by.values().flatten().cloned().collect())
                .unwrap_or_default();
            if all.is_empty() {
                self.elsewhere.remove(&target);
            }
            // Made from a `Uri` by `diagnostics`, so it parses.
            if let Ok(uri) = Uri::from_str(&target) {
                self.publish(uri, all, None)?;
            }
        }
        Ok(())
    }

    /// The rules of the folder of `path`: built-in and those its configuration loads.
    fn rules_for(&mut self, path: Option<&Path>) -> Vec<RuleInfo> {
        match path.map(|path| self.checker_for(path)) {
            Some(Ok(checker)) => checker.rules(),
            _ => Checker::new(self.matrix.clone(), Date::today_utc()).rules(),
        }
    }

    fn hover(&mut self, params: &HoverParams) -> Option<lsp_types::Hover> {
        let position = &params.text_document_position_params;
        let uri = position.text_document.uri.as_str();
        let path = self.documents.get(uri)?.path.clone();
        let rules = self.rules_for(path.as_deref());
        let document = self.documents.get(uri)?;
        if document.kind == Kind::Other {
            return None;
        }
        let index = LineIndex::new(&document.text);
        let offset = index.offset(&document.text, position.position);
        let scope = (document.kind == Kind::Controls)
            .then(|| rules::file::parse(&document.text, &self.matrix).0)
            .flatten()
            .map(|file| DeploymentScope::of(&self.matrix, file.deployment.service_list()));
        let known = Sources {
            matrix: &self.matrix,
            rules: &rules,
            frameworks: &self.frameworks,
        };
        let (span, markdown) = hover::hover_at(&document.text, offset, known, scope.as_ref())?;
        let range = index.range(&document.text, span.start, span.end);
        Some(hover::to_lsp(range, markdown))
    }

    /// The quick fixes at a range of a controls file, or of a Terraform file an open
    /// controls file names (its SRM050 is fixed in the controls file).
    fn code_actions(&mut self, params: &CodeActionParams) -> Vec<CodeAction> {
        if let Some(only) = &params.context.only
            && !only
                .iter()
                .any(|kind| CodeActionKind::QUICKFIX.as_str().starts_with(kind.as_str()))
        {
            return Vec::new();
        }
        let target = params.text_document.uri.as_str().to_owned();
        let mut sources: Vec<String> = self
            .elsewhere
            .get(&target)
            .map(|by| by.keys().cloned().collect())
            .unwrap_or_default();
        sources.push(target.clone());
        let mut actions = Vec::new();
        for source in sources {
            let document = self.documents.get(&source);
            let controls = document.filter(|document| document.kind == Kind::Controls);
            let Some(path) = controls.and_then(|document| document.path.clone()) else {
                continue;
            };
            let Ok(checker) = self.checker_for(&path) else {
                continue;
            };
            let Some(document) = self.documents.get(&source) else {
                continue;
            };
            actions.extend(code_actions::quick_fixes(
                &checker,
                (&document.uri, &path, &document.text),
                &params.text_document.uri,
                params.range,
            ));
        }
        actions
    }

    fn completion(&mut self, params: &CompletionParams) -> Option<CompletionResponse> {
        let position = &params.text_document_position;
        let uri = position.text_document.uri.as_str();
        let path = self.documents.get(uri)?.path.clone();
        let rules = self.rules_for(path.as_deref());
        let document = self.documents.get(uri)?;
        let kind = match document.kind {
            Kind::Controls => FileKind::Controls,
            Kind::Config => FileKind::Config,
            Kind::Other => return None,
        };
        let index = LineIndex::new(&document.text);
        let offset = index.offset(&document.text, position.position);
        let known = Sources {
            matrix: &self.matrix,
            rules: &rules,
            frameworks: &self.frameworks,
        };
        let items = completion::complete(&document.text, offset, kind, known);
        Some(CompletionResponse::Array(items))
    }
}

/// Which kind of document a file is, by its name: `controls.toml` and
/// `*.controls.toml` are checked, as a walk finds them; `.srmlint.toml` too.
fn kind_of(path: Option<&Path>) -> Kind {
    let name = path
        .and_then(Path::file_name)
        .and_then(|name| name.to_str())
        .unwrap_or("");
    if is_controls_file_name(name) {
        Kind::Controls
    } else if name == CONFIG_FILE_NAME {
        Kind::Config
    } else {
        Kind::Other
    }
}

fn params_of<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(request.params).map_err(|error| {
        (
            ErrorCode::InvalidParams,
            format!("invalid parameters for `{}`: {error}", request.method),
        )
    })
}

fn notification_params<P: serde::de::DeserializeOwned>(
    notification: Notification,
) -> Result<P, String> {
    serde_json::from_value(notification.params)
        .map_err(|error| format!("invalid parameters for `{}`: {error}", notification.method))
}

fn to_json(value: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}
