//! "Did you mean" suggestions for unknown ids, keys and codes.

/// The closest candidate to `input`, when it is close enough to be a likely typo:
/// an edit distance (ignoring ASCII case) of at most a third of its length, and at
/// least 2.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    // Inputs longer than this are not typos of short ids; cutting them keeps the cost
    // of a hostile multi-megabyte value bounded.
    const MAX_CHARS: usize = 256;
    let input_lower: String = input
        .chars()
        .take(MAX_CHARS)
        .collect::<String>()
        .to_ascii_lowercase();
    let input_length = input.chars().count();
    let limit = (input_length / 3).max(2);
    candidates
        .into_iter()
        // The distance is at least the difference in length: most candidates are
        // rejected without computing it.
        .filter(|candidate| candidate.chars().count().abs_diff(input_length) <= limit)
        .map(|candidate| {
            let candidate_lower: String = candidate
                .chars()
                .take(MAX_CHARS)
                .collect::<String>()
                .to_ascii_lowercase();
            (
                strsim::levenshtein(&input_lower, &candidate_lower),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate)
}

/// "; did you mean `x`?" or nothing, ready to append to a message.
pub fn hint<'a, I>(input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(input, candidates)
        .map(|candidate| format!("; did you mean `{candidate}`?"))
        .unwrap_or_default()
}
