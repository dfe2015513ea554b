//! Glob patterns for policy selectors (`controls = ["encryption-*"]`) and for the
//! configuration's `include`/`exclude`, matched with `globset` (ripgrep's matcher,
//! compiled to a linear-time regex whatever the pattern).

use globset::GlobMatcher;

/// `*` and `?` stay within one path segment, `**` crosses segments (`**/` also
/// matches no folder at all), `[...]` is a character class and `{a,b}` an alternative.
#[derive(Debug, Clone)]
pub struct Glob {
    pattern: String,
    matcher: GlobMatcher,
}

impl Glob {
    /// Compiles a pattern; the error says what is wrong with it.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let glob = globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|error| error.kind().to_string())?;
        Ok(Self {
            pattern: pattern.to_owned(),
            matcher: glob.compile_matcher(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    pub fn matches(&self, text: &str) -> bool {
        self.matcher.is_match(text)
    }
}
