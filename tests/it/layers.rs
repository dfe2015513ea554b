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
    "render",
    "diff",
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
