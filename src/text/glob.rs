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

/// Alternatives (`{a,{b,c}}`) nested deeper than this are refused: no path pattern
/// needs more, and globset panics on a pattern whose regex nests past the regex
/// crate's limit instead of returning an error.
const MAX_NESTING: usize = 32;
/// Longer patterns are refused for the same reason (the regex has a size limit): a
/// path is at most 4,096 bytes, and so is a pattern for one.
const MAX_PATTERN_BYTES: usize = 4096;

impl Glob {
    /// Compiles a pattern; the error says what is wrong with it.
    pub fn new(pattern: &str) -> Result<Self, String> {
        if pattern.len() > MAX_PATTERN_BYTES {
            return Err(format!(
                "the pattern is longer than {MAX_PATTERN_BYTES} bytes, the most a path can be"
            ));
        }
        if nesting(pattern) > MAX_NESTING {
            return Err(format!(
                "alternatives (`{{...}}`) are nested more than {MAX_NESTING} deep"
            ));
        }
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

/// The deepest nesting of `{` alternatives in a pattern, outside character classes
/// and escapes.
fn nesting(pattern: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '{' if !in_class => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            '}' if !in_class => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}
