//! The benchmark's floor (`bench/run.sh`): walks a tree for controls files, reads each
//! and parses it with the TOML parser srmlint uses (`toml::de::DeTable::parse`), and
//! nothing else. No check can be faster than this, so srmlint's time is reported as a
//! ratio to it.
//!
//! `cargo run --release --example parse_floor -- DIR [--threads N]`
//!
//! By default it uses as many threads as srmlint does (one per available core), so the
//! ratio measures srmlint's own work, not its parallelism; `--threads 1` gives the
//! single-core floor.
#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a command-line helper owns its terminal"
)]

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use walkdir::WalkDir;

/// The same file names srmlint discovers.
fn is_controls_file_name(name: &str) -> bool {
    name == "controls.toml" || name.ends_with(".controls.toml")
}

/// Reads and parses one file; the number of top-level keys, so the parse is used.
fn read_and_parse(path: &PathBuf) -> usize {
    let Ok(text) = std::fs::read_to_string(path) else {
        return 0;
    };
    toml::de::DeTable::parse(&text).map_or(0, |table| table.get_ref().len())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), threads) = (args.next(), args.next()) else {
        eprintln!("usage: parse_floor DIR [--threads N]");
        return ExitCode::from(2);
    };
    let threads = match (threads.as_deref(), args.next()) {
        (None, _) => std::thread::available_parallelism().map_or(1, usize::from),
        (Some("--threads"), Some(count)) => match count.parse::<usize>() {
            Ok(count) if count > 0 => count,
            _ => {
                eprintln!("parse_floor: --threads takes a positive number, not `{count}`");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: parse_floor DIR [--threads N]");
            return ExitCode::from(2);
        }
    };
    let files: Vec<PathBuf> = WalkDir::new(&dir)
        .into_iter()
        .filter_entry(|entry| entry.file_name() != ".git")
        .filter_map(Result::ok)
        .filter(|entry| {
            entry.file_type().is_file()
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(is_controls_file_name)
        })
        .map(walkdir::DirEntry::into_path)
        .collect();
    // Workers pull the next file from a shared index, as srmlint's check does.
    let next = AtomicUsize::new(0);
    let keys: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut keys = 0;
                    while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                        keys += read_and_parse(path);
                    }
                    keys
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap_or(0))
            .sum()
    });
    println!(
        "parsed {} files ({keys} top-level keys) with {threads} threads",
        files.len()
    );
    ExitCode::SUCCESS
}
