//! One entry point shared by the fuzz target (`fuzz/`, which includes this file by
//! path) and the test that replays the inputs it found (`tests/it/fuzz_regressions.rs`),
//! so both run exactly the same code:
//! decode, parse, check, render in every format, and assert what must hold for any
//! input. A panic here is a bug, whatever the bytes.

use std::path::PathBuf;
use std::sync::OnceLock;

use srmlint::check::{Checker, LoadSettings, RunReport};
use srmlint::render::{self, Format, RenderOptions};
use srmlint::rules::evidence::EvidenceBase;
use srmlint::text::date::Date;

/// The file name fuzzed input is reported under.
pub const FUZZ_FILE_NAME: &str = "fuzz.controls.toml";

fn checker() -> &'static Checker {
    static CHECKER: OnceLock<Checker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let settings = LoadSettings {
            today: Date::parse("2026-11-28"),
            ..LoadSettings::default()
        };
        Checker::load(&settings).expect("the embedded matrix loads")
    })
}

/// Checks `bytes` as a controls file and renders the result in every format, panicking
/// when an invariant breaks: human output without colour holds no terminal control
/// character or bidirectional override, JSON output parses back and names the file.
pub fn check_and_render(bytes: &[u8]) -> RunReport {
    // Evidence resolves against a folder that does not exist, so no fuzzed path is
    // ever found and the outcome does not depend on this machine's files.
    let base = EvidenceBase {
        file_dir: PathBuf::from("/nonexistent-srmlint-fuzz"),
        repo_root: PathBuf::from("/nonexistent-srmlint-fuzz"),
        canonical_root: None,
    };
    let file = checker().check_bytes(bytes.to_vec(), FUZZ_FILE_NAME, &base);
    let report = RunReport::new(vec![file]);
    assert!(
        !report.files[0].diagnostics.is_empty() || report.files[0].file.is_some(),
        "a file that does not parse has a finding"
    );
    if let Some(source) = &report.files[0].source {
        for diagnostic in &report.files[0].diagnostics {
            let text = source.text();
            for (offset, position) in [
                (diagnostic.span.start, diagnostic.start),
                (diagnostic.span.end, diagnostic.end),
            ] {
                assert_eq!(
                    (position.line, position.column),
                    counted_position(text, offset),
                    "{} at byte {offset}",
                    diagnostic.code
                );
            }
        }
    }
    let plain = render::render(&report, Format::Human, RenderOptions::default());
    if let Some(unsafe_char) = first_unsafe_char(&plain) {
        panic!(
            "human output holds the unsafe character U+{:04X}",
            u32::from(unsafe_char)
        );
    }
    let coloured = RenderOptions {
        color: true,
        ..RenderOptions::default()
    };
    let _ = render::render(&report, Format::Human, coloured);
    let json = render::render(&report, Format::Json, RenderOptions::default());
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON output parses");
    assert_eq!(parsed["files"][0], FUZZ_FILE_NAME);
    if let Some(unsafe_char) = first_unsafe_char(&json) {
        panic!(
            "JSON output holds the unsafe character U+{:04X}",
            u32::from(unsafe_char)
        );
    }
    report
}

/// The first character of plain (uncoloured) output that must not reach a terminal:
/// anything but line breaks (LF, CR LF), tabs and printable text.
pub fn first_unsafe_char(output: &str) -> Option<char> {
    let mut chars = output.chars().peekable();
    while let Some(c) = chars.next() {
        let harmless = c == '\n' || c == '\t' || (c == '\r' && chars.peek() == Some(&'\n'));
        if !harmless && srmlint::text::escape::is_unsafe_for_terminal(c) {
            return Some(c);
        }
    }
    None
}

/// Line and column of a byte offset by plain counting, the slow way, to hold the
/// indexed `SourceText::position` to: offsets past the end or inside a character
/// clamp to the boundary before them.
fn counted_position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    (line, text[line_start..offset].chars().count() + 1)
}
