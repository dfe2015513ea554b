//! Regular expressions as `regex::Regex::new` reads them (same syntax, same leftmost-first
//! matches, same errors), built without a literal prefilter: for the short values a
//! policy looks at, building one (for `(?i)\b(TODO|FIXME)\b`, every case variant of
//! every word) costs far more than it saves; for one file it was a fifth of a check.
//! A pattern is built once per run: the baseline's placeholder words serve the policy
//! rule and SRM038 alike, with one cache of matching states.

use std::sync::{Arc, Mutex};

use regex_automata::meta;
use regex_automata::util::syntax;

#[derive(Debug, Clone)]
pub struct Pattern {
    regex: Arc<meta::Regex>,
    text: String,
}

/// The patterns built so far (a policy has a handful).
static BUILT: Mutex<Vec<Pattern>> = Mutex::new(Vec::new());

impl Pattern {
    /// The error message is `regex::Error`'s.
    pub fn new(text: &str) -> Result<Self, String> {
        let mut built = BUILT
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(known) = built.iter().find(|known| known.text == text) {
            return Ok(known.clone());
        }
        let config = meta::Config::new()
            .nfa_size_limit(Some(10 * (1 << 20)))
            .hybrid_cache_capacity(2 * (1 << 20))
            .match_kind(regex_automata::MatchKind::LeftmostFirst)
            .utf8_empty(true)
            .auto_prefilter(false);
        meta::Builder::new()
            .configure(config)
            .syntax(syntax::Config::new().utf8(true))
            .build(text)
            .map(|regex| {
                let pattern = Pattern {
                    regex: Arc::new(regex),
                    text: text.to_owned(),
                };
                built.push(pattern.clone());
                pattern
            })
            .map_err(|error| match regex::Regex::new(text) {
                Err(error) => error.to_string(),
                Ok(_) => error.to_string(),
            })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.regex.is_match(haystack)
    }

    /// The leftmost-first match in `haystack`.
    pub fn find<'h>(&self, haystack: &'h str) -> Option<&'h str> {
        self.regex
            .find(haystack)
            .map(|found| &haystack[found.range()])
    }
}
