//! The text layer's helpers on their own: positions, globs, dates, JSON, did-you-mean
//! and every escaper.

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
            "\\<img src=x\\> \\| \\[a\\](http://e) &amp; \\`b\\` next \\# \\!"
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
