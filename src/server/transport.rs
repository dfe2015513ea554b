//! The protocol's framing on a byte stream: `Content-Length` headers, then a JSON-RPC
//! message. Messages are read on a thread of their own, so the main loop can wait for
//! the next message and for the end of a debounce at once; they are written by the
//! main loop. A frame that cannot be read as a message is handed on as `Malformed`
//! and reading goes on: a client's bad message is answered, never the end of the
//! server (lsp-server's own stdio reader stops at the first one).

use std::io::{self, BufRead, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use lsp_server::{Message, RequestId};

/// A message body larger than this is skipped: far above the 4 MiB a controls file may
/// have, even as JSON with every character escaped.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// A header line longer than this is cut off and the header block refused.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// Messages read ahead of the main loop: beyond these, the reader waits, and so does a
/// client that writes faster than the server checks.
const QUEUE: usize = 64;

/// What the reader hands the main loop.
#[derive(Debug)]
pub(crate) enum Incoming {
    Message(Message),
    /// A frame that is not a JSON-RPC message, with the request id when one could be
    /// read from it (then the request is answered with an error).
    Malformed {
        id: Option<RequestId>,
        why: String,
    },
}

/// Starts the thread that reads `input` until it ends; the receiver is closed then.
pub(crate) fn spawn_reader(input: impl BufRead + Send + 'static) -> io::Result<Receiver<Incoming>> {
    let (sender, receiver) = sync_channel(QUEUE);
    std::thread::Builder::new()
        .name("srmlint-lsp-reader".to_owned())
        .spawn(move || read_all(input, &sender))?;
    Ok(receiver)
}

fn read_all(mut input: impl BufRead, sender: &SyncSender<Incoming>) {
    loop {
        let incoming = match read_frame(&mut input) {
            Ok(Some(incoming)) => incoming,
            // The input ended, or cannot be read any more.
            Ok(None) | Err(_) => return,
        };
        let is_exit =
            matches!(&incoming, Incoming::Message(Message::Notification(n)) if n.method == "exit");
        if sender.send(incoming).is_err() || is_exit {
            return;
        }
    }
}

/// Reads one frame: `None` when the input ends.
fn read_frame(input: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut problem = None;
    let mut saw_header = false;
    loop {
        let Some(line) = read_line(input)? else {
            return Ok(None);
        };
        let line = match line {
            Line::Text(line) => line,
            Line::TooLong => {
                problem = Some("a header line is too long".to_owned());
                saw_header = true;
                continue;
            }
        };
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        saw_header = true;
        let Some((name, value)) = line.split_once(':') else {
            problem = Some(format!("`{}` is not a header", shorten(line)));
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| format!("`{}` is not a Content-Length", shorten(value.trim()))),
            );
        }
    }
    let length = match length {
        Some(Ok(length)) => length,
        Some(Err(why)) => return Ok(Some(Incoming::Malformed { id: None, why })),
        None => {
            let why = problem.unwrap_or_else(|| "a message without Content-Length".to_owned());
            return Ok(Some(Incoming::Malformed { id: None, why }));
        }
    };
    if length > MAX_BODY_BYTES {
        let skipped = io::copy(&mut Read::take(&mut *input, length as u64), &mut io::sink())?;
        if (skipped as usize) < length {
            return Ok(None);
        }
        let why = format!("a message of {length} bytes is over the limit of {MAX_BODY_BYTES}");
        return Ok(Some(Incoming::Malformed { id: None, why }));
    }
    let mut body = vec![0; length];
    if let Err(error) = input.read_exact(&mut body) {
        return if error.kind() == io::ErrorKind::UnexpectedEof {
            Ok(None)
        } else {
            Err(error)
        };
    }
    Ok(Some(parse(&body)))
}

/// A message body as a message, or why it is not one.
fn parse(body: &[u8]) -> Incoming {
    match serde_json::from_slice::<Message>(body) {
        Ok(message) => Incoming::Message(message),
        Err(error) => {
            // Valid JSON that is not a message may still carry a request's id.
            let id = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|value| request_id(value.get("id")?));
            let why = format!("not a JSON-RPC message: {error}");
            Incoming::Malformed { id, why }
        }
    }
}

fn request_id(value: &serde_json::Value) -> Option<RequestId> {
    match value {
        serde_json::Value::Number(number) => {
            i32::try_from(number.as_i64()?).ok().map(RequestId::from)
        }
        serde_json::Value::String(text) => Some(RequestId::from(text.clone())),
        _ => None,
    }
}

enum Line {
    Text(String),
    TooLong,
}

/// One line (up to `\n`), at most `MAX_HEADER_LINE` bytes kept; `None` at the end of
/// the input.
fn read_line(input: &mut impl BufRead) -> io::Result<Option<Line>> {
    let mut kept = Vec::new();
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            if !read_any {
                return Ok(None);
            }
            break;
        }
        read_any = true;
        let (chunk, done) = match available.iter().position(|&byte| byte == b'\n') {
            Some(at) => (&available[..=at], true),
            None => (available, false),
        };
        let room = MAX_HEADER_LINE.saturating_sub(kept.len());
        if chunk.len() > room {
            too_long = true;
        }
        kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len();
        input.consume(used);
        if done {
            break;
        }
    }
    if too_long {
        return Ok(Some(Line::TooLong));
    }
    Ok(Some(Line::Text(
        String::from_utf8_lossy(&kept).into_owned(),
    )))
}

/// At most 80 characters of a client's text, for a message about it.
fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(80).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Incoming> {
        let mut reader = io::BufReader::new(input.as_bytes());
        let mut all = Vec::new();
        while let Some(frame) = read_frame(&mut reader).unwrap() {
            all.push(frame);
        }
        all
    }

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn a_bad_frame_is_reported_and_the_next_one_read() {
        let input = [
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":7,"method":42}"#),
            "Content-Type: x\r\n\r\n".to_owned(),
            "Content-Length: lots\r\n\r\n".to_owned(),
            framed(r#"{"jsonrpc":"2.0","method":"exit"}"#),
        ]
        .concat();
        let all = frames(&input);
        assert_eq!(all.len(), 5, "{all:?}");
        assert!(matches!(&all[0], Incoming::Malformed { id: None, .. }));
        assert!(
            matches!(&all[1], Incoming::Malformed { id: Some(id), .. } if *id == RequestId::from(7))
        );
        assert!(
            matches!(&all[2], Incoming::Malformed { id: None, why } if why.contains("Content-Length"))
        );
        assert!(matches!(&all[3], Incoming::Malformed { id: None, .. }));
        assert!(
            matches!(&all[4], Incoming::Message(Message::Notification(n)) if n.method == "exit")
        );
    }

    #[test]
    fn a_frame_cut_short_ends_the_input() {
        assert!(frames("Content-Length: 50\r\n\r\n{}").is_empty());
        assert!(frames("").is_empty());
    }

    #[test]
    fn an_endless_header_line_is_cut_off() {
        let input = format!("{}\r\n\r\n{}", "x".repeat(100_000), framed("{}"));
        let all = frames(&input);
        assert!(matches!(&all[0], Incoming::Malformed { why, .. } if why.contains("too long")));
    }
}
