//! `docs/examples.md` shows the human output of `examples/broken` exactly as the binary
//! prints it (the README names the command and links there). Run with
//! `SRMLINT_BLESS=1` to rewrite the block after an intended change.

use crate::common;

use common::{TODAY, repo_root, srmlint};

const START: &str = "<!-- broken-output:start -->\n```text\n";
const END: &str = "```\n<!-- broken-output:end -->";

#[test]
fn the_examples_page_shows_the_broken_example_as_the_binary_prints_it() {
    let result = srmlint()
        .args([
            "check",
            "examples/broken",
            "--color",
            "never",
            "--today",
            TODAY,
        ])
        .run();
    assert_eq!(result.code, 1);
    let readme_path = repo_root().join("docs/examples.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let start = readme.find(START).expect("start marker") + START.len();
    let end = readme.find(END).expect("end marker");
    if std::env::var_os("SRMLINT_BLESS").is_some() {
        let updated = format!("{}{}{}", &readme[..start], result.stdout, &readme[end..]);
        std::fs::write(&readme_path, updated).unwrap();
        return;
    }
    let shown = &readme[start..end];
    if shown != result.stdout {
        let first_difference = shown
            .lines()
            .zip(result.stdout.lines())
            .position(|(readme_line, binary_line)| readme_line != binary_line)
            .unwrap_or_else(|| shown.lines().count().min(result.stdout.lines().count()));
        panic!(
            "docs/examples.md is out of date from line {} of the block:\n  README: {:?}\n  binary: {:?}\nrun `SRMLINT_BLESS=1 cargo test --test it readme::`",
            first_difference + 1,
            shown.lines().nth(first_difference),
            result.stdout.lines().nth(first_difference)
        );
    }
}
