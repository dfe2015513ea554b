//! The HTML report in a real browser: headless Chromium parses it (`--dump-dom`),
//! draws it (`--screenshot`) and prints it (`--print-to-pdf`), and the rendered page
//! must hold the ownership grid with a row and a section for every applicable control.
//! Outside CI a machine without Chromium skips these tests and says so; under
//! `SRMLINT_REQUIRE_TOOLS` (`.ci/run`) or `CI` a missing Chromium fails them.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{Run, Scratch, TODAY, srmlint, wait_within_deadline};

/// The browser, or `None` after saying why the test is skipped (a failure under
/// `SRMLINT_REQUIRE_TOOLS`).
fn chromium_or_skip() -> Option<PathBuf> {
    common::require_tool(
        "chromium",
        "install Debian's `chromium` package: `apt-get install chromium`",
    )
}

/// A run that must succeed.
fn succeeded(run: Run) -> Run {
    assert_eq!(run.code, 0, "{}", run.stderr);
    run
}

/// Runs headless Chromium on `page` with `extra` arguments; returns its stdout.
/// A browser that hangs is killed at the shared deadline and fails the test.
fn chromium(browser: &Path, scratch: &Scratch, page: &Path, extra: &[String]) -> String {
    let profile = scratch.path("profile");
    let stdout_path = scratch.path("chromium.stdout");
    let stdout_file = std::fs::File::create(&stdout_path).unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .env("HOME", &scratch.root)
        .stdin(Stdio::null())
        .stdout(stdout_file)
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let status = wait_within_deadline(&mut child, "chromium");
    assert!(status.success(), "chromium failed: {status}");
    std::fs::read_to_string(&stdout_path).unwrap()
}

/// Ids of the controls the report lists, from its JSON form.
fn applicable_controls(path: &str) -> Vec<String> {
    let document = succeeded(
        srmlint()
            .args(["report", path, "--today", TODAY, "--format", "json"])
            .run(),
    )
    .json();
    document["deployments"][0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|control| control["id"].as_str().unwrap().to_owned())
        .collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no `{start}`"));
    let rest = &text[from..];
    let to = rest
        .find(end)
        .unwrap_or_else(|| panic!("no `{end}` after `{start}`"));
    &rest[..to]
}

#[test]
fn the_rendered_page_holds_the_grid_and_every_applicable_control() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let scratch = Scratch::outside_repository("browser-examples");
    let page = scratch.path("report.html");
    for (example, models) in [
        ("examples/clinic/controls.toml", 2),
        ("examples/broken/controls.toml", 1),
    ] {
        let html = succeeded(
            srmlint()
                .args(["report", example, "--today", TODAY, "--format", "html"])
                .run(),
        )
        .stdout;
        std::fs::write(&page, html).unwrap();
        let dom = chromium(&browser, &scratch, &page, &["--dump-dom".to_owned()]);
        assert!(dom.contains("<h1>Pre-audit posture report</h1>"), "{dom}");
        // The header names what was assessed; prose shows code as code, never a
        // backtick (help blocks, laid out as written, aside).
        assert!(dom.contains("<dt>Git commit</dt>"), "{dom}");
        assert!(dom.contains("<dt>Controls files</dt>"), "{dom}");
        let body = between(&dom, "<body>", "</body>");
        let prose: String = body
            .split("<pre")
            .enumerate()
            .map(|(index, part)| match index {
                0 => part,
                _ => part.split_once("</pre>").map_or("", |(_, after)| after),
            })
            .collect();
        assert!(
            !prose.contains('`'),
            "{example}: a literal backtick on the page"
        );
        let grid = between(&dom, "<table class=\"grid\">", "</table>");
        let controls = applicable_controls(example);
        assert!(!controls.is_empty());
        assert_eq!(
            grid.matches("<tr>").count(),
            controls.len() + 1,
            "one header row and one row per control in {example}"
        );
        let header = between(grid, "<thead>", "</thead>");
        assert_eq!(header.matches("<th scope=\"col\">").count(), models + 3);
        for id in &controls {
            let row = format!("<th scope=\"row\"><a href=\"#d0-{id}\"><code>{id}</code></a></th>");
            assert!(grid.contains(&row), "{example}: no grid row for {id}");
            assert!(
                dom.contains(&format!("<div class=\"control\" id=\"d0-{id}\">")),
                "{example}: no section for {id}"
            );
        }
        // Status is readable as text, not only as colour.
        for cell in between(grid, "<tbody>", "</tbody>")
            .split("<td class=\"owner-")
            .skip(1)
        {
            let text = cell.split("</td>").next().unwrap();
            assert!(
                [
                    "claimed",
                    "incomplete",
                    "gap",
                    "inherited",
                    "waived",
                    "customer",
                    "shared",
                    "provider",
                    "n/a"
                ]
                .iter()
                .any(|word| text.contains(word)),
                "a grid cell without words: {text}"
            );
        }
    }

    let screenshot = scratch.path("report.png");
    chromium(
        &browser,
        &scratch,
        &page,
        &[format!("--screenshot={}", screenshot.display())],
    );
    let png = std::fs::read(&screenshot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(png.len() > 20_000, "the screenshot is nearly empty");

    let pdf = scratch.path("report.pdf");
    chromium(
        &browser,
        &scratch,
        &page,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_owned(),
        ],
    );
    let pdf = std::fs::read(&pdf).expect("a PDF");
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn hostile_strings_stay_text_in_the_browser() {
    let Some(browser) = chromium_or_skip() else {
        return;
    };
    let scratch = Scratch::outside_repository("browser-hostile");
    scratch.write(
        "controls.toml",
        r#"
[deployment]
name = "</title><script>document.title='pwned'</script>"
services = ["compute"]

[controls.data-classification]
owner = "customer"
accountable = "'><img src=x onerror=alert(1)>"
implementation = "<style>body{display:none}</style>"
"#,
    );
    let html = succeeded(
        scratch
            .srmlint()
            .args(["report", "--today", TODAY, "--format", "html"])
            .run(),
    )
    .stdout;
    let page = scratch.path("report.html");
    std::fs::write(&page, html).unwrap();
    let dom = chromium(&browser, &scratch, &page, &["--dump-dom".to_owned()]);
    assert!(!dom.contains("<script"), "a script element in the page");
    assert!(!dom.contains("<img"), "an image element in the page");
    assert_eq!(
        dom.matches("<style>").count(),
        1,
        "only the report's own style"
    );
    assert!(dom.contains("&lt;/title&gt;&lt;script&gt;document.title='pwned'&lt;/script&gt;"));
    assert!(dom.contains("<table class=\"grid\">"));
}
