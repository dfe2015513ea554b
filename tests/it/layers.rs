//! The layering of the library, checked the way rust-analyzer's tidy tests check its
//! source: every file under `src/` may only name, through `crate::`, its own top-level
//! module or one below it in `LAYERS`. A new module must be given a place here, which
//! is the moment to decide what it may use.

/// Top-level modules from the bottom up.
const LAYERS: &[&str] = &[
    "text",
    "diag",
    "data",
    "input",
    "rules",
    "policy",
    "check",
    "posture",
    "diff",
    "render",
    "authoring",
    "server",
];

/// The top-level modules a piece of source names through `crate::`, with the line.
fn crate_paths(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((index + 1, name));
            }
            rest = after;
        }
    }
    found
}

/// The top-level module of a file under `src/` (`check/pool.rs` → `check`).
fn module_of(relative: &std::path::Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_owned())
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rank = |module: &str| LAYERS.iter().position(|layer| *layer == module);
    let mut upward = Vec::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("src/ can be walked");
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).expect("under src/");
        let Some(module) = module_of(relative) else {
            continue;
        };
        // The binary and the crate root sit above every layer.
        if matches!(module.as_str(), "main" | "lib" | "cli" | "layers") {
            continue;
        }
        let own = rank(&module).unwrap_or_else(|| {
            panic!(
                "src/{} is in no layer: add `{module}` to LAYERS",
                relative.display()
            )
        });
        files += 1;
        let source = std::fs::read_to_string(path).expect("source is UTF-8");
        for (line, used) in crate_paths(&source) {
            if let Some(theirs) = rank(&used)
                && theirs > own
            {
                upward.push(format!(
                    "src/{}:{line}: `{module}` uses `crate::{used}`, a layer above it",
                    relative.display()
                ));
            }
        }
    }
    assert!(files > 30, "only {files} files were read");
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}

#[test]
fn the_scanner_sees_paths_in_use_lines_and_expressions() {
    let source =
        "use crate::text::Sp;\nlet x = crate::render::json::render(&r); // crate::posture\n";
    let names: Vec<String> = crate_paths(source)
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    assert_eq!(names, ["text", "render"]);
}

/// Every line of the library's sources (all of `src/` but the binary: `src/cli/` and
/// `src/main.rs`) that `matches`, as `src/FILE:LINE`.
fn library_lines(matches: impl Fn(&std::path::Path, &str) -> bool) -> Vec<String> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("src/ can be walked");
        let relative = entry.path().strip_prefix(&src).expect("under src/");
        let binary = relative.starts_with("cli") || relative == std::path::Path::new("main.rs");
        if binary || entry.path().extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(entry.path()).expect("source is UTF-8");
        for (index, line) in source.lines().enumerate() {
            if matches(relative, line) {
                found.push(format!("src/{}:{}", relative.display(), index + 1));
            }
        }
    }
    found
}

/// The library knows no clap: the command line's value types and argument structs live
/// in `src/cli/` and `src/main.rs`, which map them to the library's plain enums.
#[test]
fn only_the_command_line_names_clap() {
    let naming = library_lines(|_, line| line.contains("clap"));
    assert!(
        naming.is_empty(),
        "clap outside src/cli/ and src/main.rs:\n{}",
        naming.join("\n")
    );
}

/// A file's module path (`render/report/html.rs` → `render::report::html`,
/// `check/mod.rs` → `check`).
fn module_path(relative: &std::path::Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .components()
        .filter_map(|part| part.as_os_str().to_str())
        .map(|part| part.trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts
}

/// Every path a piece of source names from `crate::`, `super::` or `self::`, resolved
/// against the module `own` and written out from the crate root; `use` trees with
/// braces are expanded.
fn resolved_paths(source: &str, own: &[String]) -> Vec<Vec<String>> {
    let code: String = source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = ["crate::", "super::", "self::"]
        .iter()
        .filter_map(|start| rest.find(start))
        .min()
    {
        // A path that merely ends in `crate::` etc. (`my_crate::`) is not one.
        let before = rest[..at].chars().next_back();
        let tree_end = tree_length(&rest[at..]);
        if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            expand(&rest[at..at + tree_end], &mut Vec::new(), &mut found);
        }
        rest = &rest[at + tree_end.max(1)..];
    }
    found
        .into_iter()
        .filter_map(|path| resolve(&path, own))
        .collect()
}

/// The length of the path or `use` tree at the start of `text`.
fn tree_length(text: &str) -> usize {
    let mut depth = 0usize;
    for (index, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return index,
            '}' => depth -= 1,
            c if depth > 0 || c.is_ascii_alphanumeric() || c == '_' || c == ':' => {}
            _ => return index,
        }
    }
    text.len()
}

/// The paths of a `use` tree (`a::{b, c::{d}}` → `a::b`, `a::c::d`).
fn expand(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    let (head, group) = match tree.find('{') {
        Some(at) => (
            &tree[..at],
            Some(&tree[at + 1..tree.rfind('}').unwrap_or(tree.len())]),
        ),
        None => (tree, None),
    };
    let depth = prefix.len();
    prefix.extend(
        head.split("::")
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(str::to_owned),
    );
    match group {
        None => out.push(prefix.clone()),
        Some(group) => {
            let mut level = 0usize;
            let mut start = 0;
            for (index, c) in group.char_indices() {
                match c {
                    '{' => level += 1,
                    '}' => level = level.saturating_sub(1),
                    ',' if level == 0 => {
                        expand(&group[start..index], prefix, out);
                        start = index + 1;
                    }
                    _ => {}
                }
            }
            expand(&group[start..], prefix, out);
        }
    }
    prefix.truncate(depth);
}

/// `path` (starting with `crate`, `super` or `self`) from the crate root, seen from
/// the module `own`.
fn resolve(path: &[String], own: &[String]) -> Option<Vec<String>> {
    let mut at: Vec<String> = own.to_vec();
    let mut parts = path.iter().peekable();
    match parts.peek()?.as_str() {
        "crate" => at.clear(),
        "self" | "super" => {}
        _ => return None,
    }
    while let Some(part) = parts.peek() {
        match part.as_str() {
            "crate" | "self" => {}
            "super" => {
                at.pop()?;
            }
            _ => break,
        }
        parts.next();
    }
    at.extend(parts.cloned());
    Some(at)
}

/// The part of a layer a module path lies in: the layer's own root (`check/mod.rs`
/// and what it declares inline) or one of its sub-modules (`check::pool`), given by
/// the files under `src/`.
fn part_of(path: &[String], src: &std::path::Path) -> Option<String> {
    let top = path.first()?;
    match path.get(1) {
        Some(sub)
            if src.join(top).join(format!("{sub}.rs")).is_file()
                || src.join(top).join(sub).is_dir() =>
        {
            Some(format!("{top}::{sub}"))
        }
        _ => Some(top.clone()),
    }
}

/// Import cycles known and left for now, each named with why; the test fails when
/// one of them is gone too, so the list only shrinks.
const KNOWN_CYCLES: &[&str] = &[
    // `text::fs` re-exports the resolver's names for their callers across the crate
    // (rules, render, input/terraform, posture, diff) and asks it about command-line
    // paths, while the resolver reads through `fs`: breaking it means changing the
    // imports of those callers, left for a round where no one else edits them.
    "text::fs <-> text::resolve",
];

#[test]
fn no_import_cycles_inside_a_layer() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // Edges between the parts of a layer, a sub-module's use of its layer's root left
    // out: the root declares the sub-modules and re-exports them, which is a module
    // tree, not a cycle.
    let mut edges: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("src/ can be walked");
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&src).expect("under src/");
        let own = module_path(relative);
        let Some(from) = part_of(&own, &src) else {
            continue;
        };
        let source = std::fs::read_to_string(path).expect("source is UTF-8");
        for used in resolved_paths(&source, &own) {
            let Some(to) = part_of(&used, &src) else {
                continue;
            };
            let same_layer = used.first() == own.first();
            if same_layer && to != from && to.contains("::") && from.contains("::") {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    let mut cycles = Vec::new();
    for (from, targets) in &edges {
        for to in targets {
            if from < to && reaches(&edges, to, from) {
                cycles.push(format!("{from} <-> {to}"));
            }
        }
    }
    assert_eq!(
        cycles, KNOWN_CYCLES,
        "import cycles inside a layer (each pair reaches the other)"
    );
}

/// Whether `to` is reachable from `from` along `edges`.
fn reaches(
    edges: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    from: &str,
    to: &str,
) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(at) = stack.pop() {
        if at == to {
            return true;
        }
        if seen.insert(at.clone()) {
            stack.extend(edges.get(&at).into_iter().flatten().cloned());
        }
    }
    false
}

#[test]
fn use_trees_are_expanded_and_resolved() {
    let own = ["input".to_owned(), "config".to_owned()];
    let source = "use super::{discover::FolderSeen, controls};\nuse crate::text::{fs::{self, X}};\nlet a = my_crate::x; super::super::check::run();";
    let paths: Vec<String> = resolved_paths(source, &own)
        .into_iter()
        .map(|path| path.join("::"))
        .collect();
    assert_eq!(
        paths,
        [
            "input::discover::FolderSeen",
            "input::controls",
            "text::fs::self",
            "text::fs::X",
            "check::run"
        ]
    );
}

/// The library never prints: what it finds is returned as values, and only the binary
/// (`src/main.rs`, `src/cli/`) decides what reaches stdout and stderr. The one
/// exception is the writer of `--output /dev/stdout`, which writes to the process's own
/// descriptor rather than reopen it.
#[test]
fn the_library_never_prints() {
    let printing = library_lines(|file, line| {
        let code = line.split("//").next().unwrap_or("");
        let prints = ["println!", "print!(", "eprint!(", "eprintln!", "dbg!("]
            .iter()
            .any(|name| code.contains(name));
        let own_stream = code.contains("io::stdout()") || code.contains("io::stderr()");
        prints || (own_stream && file != std::path::Path::new("text/fs.rs"))
    });
    assert!(
        printing.is_empty(),
        "the library prints (return a value instead):\n{}",
        printing.join("\n")
    );
}
