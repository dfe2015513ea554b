//! Glob patterns for policy selectors (`controls = ["encryption-*"]`) and for the
//! configuration's `include`/`exclude`. A glob is translated to a `regex`, so matching
//! is linear time whatever the pattern.

use regex::Regex;

/// `*` matches within one path segment, `**` across segments (`**/` also matches no
/// folder at all), `?` one character other than `/`; everything else is literal.
#[derive(Debug, Clone)]
pub struct Glob {
    pattern: String,
    regex: Regex,
}

impl Glob {
    /// Compiles a pattern; fails only when the pattern is too large for the regex
    /// engine's size limit.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let mut translated = String::from("^");
        let mut rest = pattern;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix("**/") {
                translated.push_str("(?:.*/)?");
                rest = after;
            } else if let Some(after) = rest.strip_prefix("**") {
                translated.push_str(".*");
                rest = after;
            } else {
                match c {
                    '*' => translated.push_str("[^/]*"),
                    '?' => translated.push_str("[^/]"),
                    other => translated.push_str(&regex::escape(other.encode_utf8(&mut [0; 4]))),
                }
                rest = &rest[c.len_utf8()..];
            }
        }
        translated.push('$');
        let regex = Regex::new(&translated).map_err(|error| error.to_string())?;
        Ok(Self {
            pattern: pattern.to_owned(),
            regex,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    pub fn matches(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

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
    }
}
