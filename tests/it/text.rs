//! The text layer's helpers on their own: positions, globs, dates, JSON (plain and
//! with spans), did-you-mean, every escaper, digests, evidence stubs, the symlink-aware
//! resolver and folders held open.

mod source {
    use srmlint::text::source::SourceText;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let source = SourceText::new("ab\nçd = 1\n".to_owned());
        assert_eq!(source.position(0).line, 1);
        assert_eq!(source.position(0).column, 1);
        let after_cedilla = "ab\nç".len();
        let position = source.position(after_cedilla);
        assert_eq!((position.line, position.column), (2, 2));
        // An offset inside the two-byte `ç` clamps to its start.
        let inside = source.position(4);
        assert_eq!((inside.line, inside.column), (2, 1));
    }

    #[test]
    fn columns_on_long_lines_agree_with_counting_characters() {
        let line = "ab é ✓ 😀 ".repeat(2_000);
        let text = format!("x\n{line}\n{line}");
        let source = SourceText::new(text.clone());
        for (offset, _) in text.char_indices().step_by(37) {
            let line_start = text[..offset].rfind('\n').map_or(0, |index| index + 1);
            let expected = text[line_start..offset].chars().count() + 1;
            assert_eq!(source.position(offset).column, expected, "offset {offset}");
        }
    }
}

mod glob {
    use srmlint::text::glob::Glob;

    fn matches(pattern: &str, text: &str) -> bool {
        Glob::new(pattern).unwrap().matches(text)
    }

    #[test]
    fn star_stays_within_a_segment() {
        assert!(matches("encryption-*", "encryption-at-rest"));
        assert!(!matches("encryption-*", "key-management"));
        assert!(matches("*.controls.toml", "shop.controls.toml"));
        assert!(!matches("*.controls.toml", "teams/shop.controls.toml"));
    }

    #[test]
    fn double_star_crosses_segments() {
        assert!(matches("**/controls.toml", "controls.toml"));
        assert!(matches("**/controls.toml", "a/b/controls.toml"));
        assert!(matches("fixtures/**", "fixtures/x/controls.toml"));
        assert!(!matches("fixtures/**", "src/controls.toml"));
    }

    #[test]
    fn question_mark_and_literals() {
        assert!(matches("dbaas-?g", "dbaas-pg"));
        assert!(!matches("dbaas-?g", "dbaas-mysql"));
        assert!(matches("a+b(c).toml", "a+b(c).toml"));
        assert!(!matches("a.toml", "abtoml"));
        assert!(Glob::new("a[").is_err());
    }

    // The limits glob.rs sets: alternatives nested 32 deep, patterns of 4,096 bytes.
    const MAX_NESTING: usize = 32;
    const MAX_PATTERN_BYTES: usize = 4096;

    #[test]
    fn deep_or_huge_patterns_are_errors_never_panics() {
        let nested = |depth: usize| format!("{}a{}", "{".repeat(depth), "}".repeat(depth));
        let glob = Glob::new(&nested(MAX_NESTING)).expect("32 deep compiles");
        assert!(glob.matches("a"));
        for depth in [MAX_NESTING + 1, 250, 1000, 2000] {
            let error = Glob::new(&nested(depth)).unwrap_err();
            assert!(error.contains("nested more than 32 deep"), "{error}");
        }
        let error = Glob::new(&"a".repeat(MAX_PATTERN_BYTES + 1)).unwrap_err();
        assert!(error.contains("longer than 4096 bytes"), "{error}");
        // Braces inside a class or escaped are not alternatives.
        assert!(Glob::new(&format!("[{}]", "{".repeat(40))).is_ok());
        assert!(Glob::new(&"\\{".repeat(40)).is_ok());
        // The largest patterns allowed compile, or are refused with a reason.
        let fill = |unit: &str| unit.repeat(MAX_PATTERN_BYTES / unit.len());
        for pattern in [
            fill("?"),
            fill("*"),
            fill("**/"),
            fill("[a-z]"),
            fill("[!/]"),
            format!("{}{}", "{a,".repeat(MAX_NESTING), "}".repeat(MAX_NESTING)),
            format!("{{{}}}", fill("a,").trim_end_matches(',')),
        ] {
            let _ = Glob::new(&pattern);
        }
    }
}

mod date {
    use srmlint::text::date::Date;

    #[test]
    fn round_trips_through_day_numbers() {
        for days in [-800_000, -1, 0, 1, 19_000, 20_000, 2_932_896] {
            let date = Date::from_days_since_epoch(days);
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
        assert_eq!(
            Date::parse("2026-11-28").unwrap().days_since_epoch(),
            20_785
        );
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(Date::parse("2026-02-29").is_none());
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2026-13-01").is_none());
        assert!(Date::parse("26-01-01").is_none());
    }
}

mod json {
    use srmlint::text::json::document;

    #[test]
    fn escapes_c1_controls_and_bidi_overrides_and_reads_back_the_same() {
        let text = "a\u{1b}[31m b\u{9b}2J c\u{202e}d e\u{7f} ü\u{1f600}";
        let json = document(&[text]);
        assert!(json.contains(r"\u001b") && json.contains(r"\u009b"));
        assert!(json.contains(r"\u202e") && json.contains(r"\u007f"));
        assert!(json.contains("ü\u{1f600}"), "printable text stays as it is");
        assert!(json.ends_with("]\n"));
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [text]);
    }

    #[test]
    fn bidirectional_controls_are_escaped_after_plain_non_ascii_text() {
        let json = document(&["Zürich — \u{202e}gpj.exe\u{2066}", "Genève", "\u{200f}"]);
        let lines: Vec<&str> = json.lines().map(str::trim).collect();
        assert_eq!(
            lines,
            [
                "[",
                "\"Zürich — \\u202egpj.exe\\u2066\",",
                "\"Genève\",",
                "\"\\u200f\"",
                "]"
            ]
        );
    }
}

mod suggest {
    use srmlint::text::suggest::did_you_mean;

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["backup-restore", "tenant-iam", "platform-iam"];
        assert_eq!(did_you_mean("backup-restor", ids), Some("backup-restore"));
        assert_eq!(did_you_mean("tenant-ima", ids), Some("tenant-iam"));
        assert_eq!(did_you_mean("kubernetes", ids), None);
    }
}

mod escape {
    use srmlint::text::escape::*;

    #[test]
    fn terminal_escapes_keep_offsets_when_masking() {
        assert_eq!(escape_for_terminal("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape_for_terminal("x\u{202e}y\n"), "x\\u{202e}y\n");
        let text = "k = \"\u{1b}]0;pwned\u{7}\"\r\n\u{9b}";
        let masked = mask_for_terminal(text);
        assert_eq!(masked.len(), text.len());
        assert!(
            !masked.contains('\u{1b}') && !masked.contains('\u{7}') && !masked.contains('\u{9b}')
        );
        assert!(masked.contains("\r\n"));
        assert_eq!(
            escape_inline("a\n::error::x\tb"),
            "a\\u{a}::error::x\\u{9}b"
        );
        assert_eq!(escape_inline("é ✓"), "é ✓");
    }

    #[test]
    fn markdown_text_cannot_make_markup() {
        assert_eq!(
            markdown("<img src=x> | [a](http://e) & `b`\nnext # !"),
            "\\<img src=x\\> \\| \\[a\\](http\\://e) &amp; \\`b\\` next \\# \\!"
        );
        assert_eq!(markdown("a\r\nb\rc"), "a b c");
        assert_eq!(markdown_fence("plain"), "```");
        assert_eq!(markdown_fence("a ```` b"), "`````");
    }

    #[test]
    fn html_and_xml_escape_what_their_readers_would_act_on() {
        assert_eq!(
            html(r#"<script>alert('x' & "y")</script>"#),
            "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;"
        );
        assert_eq!(html("a\u{202e}b\u{1b}\u{7}"), "a\\u{202e}b\\u{1b}\\u{7}");
        assert_eq!(xml_chars("a\u{fffe}b\u{1}\tc"), "a\\u{fffe}b\\u{1}\tc");
    }

    #[test]
    fn toml_strings_and_keys_round_trip() {
        assert_eq!(toml_key("backup-restore"), "backup-restore");
        assert_eq!(toml_key("a.b"), "\"a.b\"");
        assert_eq!(toml_key("x]\n[y"), "\"x]\\u000A[y\"");
        let line = format!("{} = {}", toml_key("a\"b\\"), toml_string("é\u{7f}\t"));
        let parsed: ::toml::Table = ::toml::from_str(&line).unwrap();
        assert_eq!(parsed["a\"b\\"].as_str(), Some("é\u{7f}\t"));
    }

    #[test]
    fn no_line_starts_a_workflow_command_and_no_legacy_command_survives() {
        use LogSink::{Commands, Json, Markup, Text};
        let cases = [
            (
                "ok\n::add-mask::x\n  \t::error::y\nkeep ::in the middle\nsee ##[error]z",
                Text,
                "ok\n\\::add-mask::x\n  \t\\::error::y\nkeep ::in the middle\nsee ##\\[error]z",
            ),
            // The runner trims every kind of white space, a no-break space too...
            ("\u{a0}\u{3000}::x", Text, "\u{a0}\u{3000}\\::x"),
            // ...and may end a line at a lone carriage return.
            (
                "<a>x\r::add-mask::y\r\n</a>",
                Markup,
                "<a>x\r&#58;:add-mask::y\r\n</a>",
            ),
            ("<a>\n::x\n##[y</a>", Markup, "<a>\n&#58;:x\n##&#91;y</a>"),
            (
                "{\"m\": \"##[error]\"}",
                Json,
                "{\"m\": \"##\\u005berror]\"}",
            ),
            // srmlint's own commands are left as they are; only `##[` is broken up.
            ("::error file=a::##[x", Commands, "::error file=a::##\\[x"),
        ];
        for (text, sink, expected) in cases {
            assert_eq!(workflow_safe(text, sink), expected, "{text:?} as {sink:?}");
        }
        let plain = "nothing to do\n";
        assert!(matches!(
            workflow_safe(plain, Text),
            std::borrow::Cow::Borrowed(_)
        ));
        for (document, sink) in [
            (" {\"a\": 1}", Json),
            ("<?xml", Markup),
            ("# Report", Text),
            ("[{\"a\": \"##[\"}]", Json),
            ("[deployment]\n# ##[x\n", Text),
        ] {
            assert_eq!(LogSink::of_document(document), sink, "{document:?}");
        }
    }

    #[test]
    fn a_toml_string_holds_no_legacy_command_and_reads_back_the_same() {
        let quoted = toml_string("a ##[error] b");
        assert_eq!(quoted, "\"a ##\\u005Berror] b\"");
        let value: toml::Value = toml::from_str(&format!("k = {quoted}")).unwrap();
        assert_eq!(value["k"].as_str(), Some("a ##[error] b"));
    }

    #[test]
    fn json_broken_up_reads_back_the_same() {
        let broken = workflow_safe("{\"m\":\"a ##[b\"}", LogSink::Json);
        let value: serde_json::Value = serde_json::from_str(&broken).unwrap();
        assert_eq!(value["m"], "a ##[b");
    }
}

mod pattern {
    use srmlint::text::pattern::Pattern;

    /// A policy pattern finds what `regex::Regex` finds, and fails with its message.
    #[test]
    fn patterns_match_and_fail_as_the_regex_crate_does() {
        let haystacks = [
            "TODO",
            "a todo b",
            "éTODO x",
            "ＴＯＤＯ",
            "tbd_",
            "CHANGEMEΣ todo",
            "fix me FIXME.",
            "",
            "ab12-cd",
        ];
        for text in [
            r"(?i)\b(TODO|TBD|FIXME|CHANGEME)\b",
            r"^[a-z]+\d*",
            r"\w+-\w+",
            r"x*",
        ] {
            let ours = Pattern::new(text).expect("a valid pattern");
            let theirs = regex::Regex::new(text).expect("a valid regex");
            assert_eq!(ours.as_str(), text);
            for haystack in haystacks {
                assert_eq!(
                    ours.is_match(haystack),
                    theirs.is_match(haystack),
                    "{text} on {haystack:?}"
                );
                assert_eq!(
                    ours.find(haystack),
                    theirs.find(haystack).map(|found| found.as_str()),
                    "{text} on {haystack:?}"
                );
            }
        }
        for text in ["(unclosed", r"(\w{200}){200}", r"\p{NotAClass}", "a{5,2}"] {
            let theirs = regex::Regex::new(text)
                .expect_err("an invalid regex")
                .to_string();
            assert_eq!(Pattern::new(text).expect_err("an invalid pattern"), theirs);
        }
    }
}

mod digest {
    use srmlint::text::digest::sha256_hex;

    #[test]
    fn matches_the_published_test_vectors() {
        // FIPS 180-2, appendix B.1, and the digest of nothing.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}

mod evidence_file {
    use srmlint::text::evidence_file::{Stub, judge_bytes};

    #[test]
    fn stubs_are_empty_blank_or_short_with_a_placeholder_word() {
        assert_eq!(judge_bytes(b""), Some(Stub::Empty));
        assert_eq!(judge_bytes(b" \n\t\r\n"), Some(Stub::Blank));
        assert_eq!(
            judge_bytes(b"# Restore test\n\nTODO: write this up\n"),
            Some(Stub::Placeholder("TODO"))
        );
        assert_eq!(
            judge_bytes(b"Lorem Ipsum dolor sit amet"),
            Some(Stub::Placeholder("lorem ipsum"))
        );
        assert_eq!(judge_bytes(b"see TODOS.md"), None);
        // A byte-order mark or a zero-width space shows nothing; Markdown emphasis
        // around a placeholder word is still that word.
        assert_eq!(judge_bytes(b"\xef\xbb\xbf"), Some(Stub::Blank));
        assert_eq!(
            judge_bytes("\u{feff}\r\n\u{200b}\n".as_bytes()),
            Some(Stub::Blank)
        );
        for emphasised in ["_TODO_", "__TODO__", "# Backups\n\n__tbd__\n"] {
            assert!(
                matches!(
                    judge_bytes(emphasised.as_bytes()),
                    Some(Stub::Placeholder(_))
                ),
                "{emphasised:?}"
            );
        }
        assert_eq!(
            judge_bytes(b"# Restore test\n\nRestored db-1 on 2026-09-14 in 42 minutes.\n"),
            None
        );
        let long = format!("{}\nTODO later\n", "A real record line.\n".repeat(12));
        assert!(long.len() >= 200);
        assert_eq!(judge_bytes(long.as_bytes()), None);
    }
}

mod spanned_json {
    use srmlint::text::spanned_json::{Kind, MAX_DEPTH, parse};

    #[test]
    fn values_keep_their_spans() {
        let text = r#"{"a": [1, "zo\u00e9", true], "b": null}"#;
        let value = parse(text).unwrap();
        let a = value.get("a").unwrap();
        assert_eq!(&text[a.span.clone()], r#"[1, "zo\u00e9", true]"#);
        let items = a.as_array().unwrap();
        assert_eq!(items[1].as_str(), Some("zoé"));
        assert_eq!(&text[items[1].span.clone()], r#""zo\u00e9""#);
        assert_eq!(value.get("b").unwrap().kind, Kind::Null);
    }

    #[test]
    fn a_member_named_twice_is_refused_where_it_appears_again() {
        let text = r#"{"type": "pg", "zone": "ch-gva-2", "type": "kafka"}"#;
        let error = parse(text).unwrap_err();
        assert_eq!(error.offset, text.rfind("\"type\"").unwrap());
        assert!(
            error.message.contains("`type` appears twice"),
            "{}",
            error.message
        );
        // The same name in two objects is no repetition.
        assert!(parse(r#"[{"type": "pg"}, {"type": "kafka"}]"#).is_ok());
    }

    #[test]
    fn bad_json_is_located() {
        assert_eq!(parse("{\"a\" 1}").unwrap_err().offset, 5);
        assert!(parse("[1,]").is_err());
        assert!(parse("\"\\ud800\"").is_err());
        assert!(parse("01").is_err());
        assert!(parse("{} x").is_err());
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().message.contains("nested deeper"));
        let fits = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&fits).is_ok());
    }
}

#[cfg(unix)]
mod resolve {
    use srmlint::text::resolve::{
        Resolved, command_line, confine, read_confined, resolve_inside, walked_link,
    };
    use std::os::unix::fs::symlink;

    #[test]
    fn links_out_are_refused_by_name_and_links_inside_followed() {
        let dir = std::env::temp_dir().join(format!("srmlint-resolve-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let root = dir.join("repo");
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::create_dir_all(dir.join("outside")).unwrap();
        std::fs::write(root.join("docs/e.md"), "e").unwrap();
        std::fs::write(dir.join("outside/secret"), "SECRET").unwrap();
        symlink(dir.join("outside"), root.join("out")).unwrap();
        symlink("../outside/secret", root.join("rel")).unwrap();
        symlink("docs/e.md", root.join("alias.md")).unwrap();
        symlink("docs", root.join("d")).unwrap();
        symlink("../outside/missing", root.join("gone")).unwrap();

        let root_ = std::fs::canonicalize(&root).unwrap();
        assert_eq!(
            resolve_inside(&root, &root, "out/secret"),
            Resolved::Outside("leads outside the repository through a symlink (`out`)".to_owned())
        );
        assert_eq!(
            resolve_inside(&root, &root, "rel"),
            Resolved::Outside("leads outside the repository through a symlink (`rel`)".to_owned())
        );
        // A link out that leads nowhere reads the same as one that leads somewhere.
        assert_eq!(
            resolve_inside(&root, &root, "gone"),
            Resolved::Outside("leads outside the repository through a symlink (`gone`)".to_owned())
        );
        assert_eq!(
            resolve_inside(&root, &root, "d/../alias.md"),
            Resolved::Inside(root_.join("docs/e.md"))
        );
        assert_eq!(
            confine(&root, &root.join("d/e.md")),
            Ok(root.join("docs/e.md"))
        );
        assert_eq!(
            confine(&root, &root.join("out/secret")),
            Err("leads outside the repository through a symlink (`out`)".to_owned())
        );
        assert_eq!(
            read_confined(&root, &root.join("alias.md"), 10).unwrap(),
            b"e"
        );
        let refused = read_confined(&root, &root.join("rel"), 10).unwrap_err();
        assert!(
            refused.contains("(`rel`)") && !refused.contains("SECRET"),
            "{refused}"
        );

        assert!(command_line(&root.join("docs")).is_ok());
        assert!(command_line(&root.join("d/e.md")).is_ok());
        let error = command_line(&root.join("out")).unwrap_err();
        assert!(error.contains("through a symlink (`out`)"), "{error}");
        assert!(command_line(&root.join("out/secret")).is_err());
        assert!(command_line(&dir.join("outside/secret")).is_ok());

        assert!(matches!(
            walked_link(&root.join("rel"), &root),
            Resolved::Outside(_)
        ));
        assert!(matches!(
            walked_link(&root.join("alias.md"), &root),
            Resolved::Inside(_)
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[cfg(target_os = "linux")]
mod folder {
    use srmlint::text::folder::{Anchor, EntryKind, OpenFolder};

    #[test]
    fn an_anchor_opens_plain_folders_only_and_reads_through_them() {
        let dir = std::env::temp_dir().join(format!("srmlint-folder-{}", std::process::id()));
        let root = dir.join("repo");
        std::fs::create_dir_all(root.join("a/tf")).unwrap();
        std::fs::create_dir_all(dir.join("outside")).unwrap();
        std::fs::write(root.join("a/tf/main.tf"), "resource \"x\" \"y\" {}\n").unwrap();
        std::os::unix::fs::symlink("main.tf", root.join("a/tf/link.tf")).unwrap();
        std::os::unix::fs::symlink(dir.join("outside"), root.join("a/out")).unwrap();
        std::os::unix::fs::symlink("tf", root.join("a/inside")).unwrap();
        let anchor = Anchor::open(&root).expect("a folder can be held open");

        let mut folder = anchor
            .open_folder("a/tf".as_ref(), &root.join("a/tf"))
            .expect("a plain folder opens");
        let mut entries = folder.entries().unwrap();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            entries,
            [
                ("link.tf".to_owned(), EntryKind::Link),
                ("main.tf".to_owned(), EntryKind::File)
            ]
        );
        assert_eq!(
            folder.read_file("main.tf", 1024).unwrap(),
            b"resource \"x\" \"y\" {}\n"
        );
        // A link is never followed by a read through the folder.
        assert!(folder.read_file("link.tf", 1024).is_err());

        // A link on the way, out or even inside, a way out, a file, nothing: refused.
        for refused in ["a/out", "a/inside", "a/../..", "a/tf/main.tf", "a/missing"] {
            assert!(
                anchor.open_folder(refused.as_ref(), &root).is_none(),
                "{refused}"
            );
        }
        assert!(anchor.open_folder("".as_ref(), &root).is_some());
        assert!(OpenFolder::open(&root.join("a/inside")).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
