//! Regular expressions as `regex::Regex::new` reads them (same syntax, same leftmost-first
//! matches, same errors), built without a literal prefilter: for the short values a
//! policy looks at, building one (for `(?i)\b(TODO|FIXME)\b`, every case variant of
//! every word) costs far more than it saves; for one file it was a fifth of a check.
//! A pattern is built once while it is in use: the baseline's placeholder words serve
//! the policy rule and SRM038 alike, with one cache of matching states. The table of
//! built patterns holds them weakly, so a long-lived process (the language server,
//! reloading edited policies) does not keep every pattern it ever built.

use std::sync::{Arc, Mutex, Weak};

use regex_automata::meta;
use regex_automata::util::syntax;

#[derive(Debug, Clone)]
pub struct Pattern {
    regex: Arc<meta::Regex>,
    text: String,
}

/// The patterns in use, by their text (a policy has a handful).
static BUILT: Mutex<Vec<(String, Weak<meta::Regex>)>> = Mutex::new(Vec::new());

impl Pattern {
    /// The error message is `regex::Error`'s.
    pub fn new(text: &str) -> Result<Self, String> {
        let mut built = BUILT
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        built.retain(|(_, regex)| regex.strong_count() > 0);
        if let Some(regex) = (built.iter())
            .find(|(known, _)| known == text)
            .and_then(|(_, regex)| regex.upgrade())
        {
            return Ok(Pattern {
                regex,
                text: text.to_owned(),
            });
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
                built.push((text.to_owned(), Arc::downgrade(&pattern.regex)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_is_shared_while_in_use_and_forgotten_once_dropped() {
        let first = Pattern::new("shared-[0-9]+").unwrap();
        let second = Pattern::new("shared-[0-9]+").unwrap();
        assert!(Arc::ptr_eq(&first.regex, &second.regex));
        drop((first, second));
        Pattern::new("another-[a-z]").unwrap();
        let built = BUILT.lock().unwrap();
        assert!(!built.iter().any(|(text, _)| text == "shared-[0-9]+"));
    }
}
