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
    let lower = |text: &str| {
        text.chars()
            .take(MAX_CHARS)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let input_lower = lower(input);
    let input_length = input.chars().count();
    let limit = (input_length / 3).max(2);
    candidates
        .into_iter()
        // The distance is at least the difference in length: most candidates are
        // rejected without computing it.
        .filter(|candidate| candidate.chars().count().abs_diff(input_length) <= limit)
        .map(|candidate| {
            (
                strsim::levenshtein(&input_lower, &lower(candidate)),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate)
}

/// The candidate a fix may write in place of `input`: the one `did_you_mean` finds,
/// when no other candidate is as close. Two equally likely words leave the choice to
/// a person.
pub fn single<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    let best = did_you_mean(input, candidates.iter().copied())?;
    let input_lower = input.to_ascii_lowercase();
    let distance =
        |candidate: &str| strsim::levenshtein(&input_lower, &candidate.to_ascii_lowercase());
    let best_distance = distance(best);
    // The distance is at least the difference in length.
    let input_length = input.chars().count();
    let ties = candidates
        .iter()
        .filter(|candidate| candidate.chars().count().abs_diff(input_length) <= best_distance)
        .filter(|candidate| distance(candidate) == best_distance)
        .count();
    (ties == 1).then_some(best)
}

/// The one candidate whose `-`-separated words include every word of `input`
/// (`backup` → `backup-restore`): a short name for a long id that no spelling
/// distance would find. `None` when no candidate or several qualify.
pub fn by_words<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let words: Vec<String> = input
        .split(['-', '_', ' ', '.'])
        .filter(|word| !word.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() || input.len() > 64 {
        return None;
    }
    let mut found = candidates.into_iter().filter(|candidate| {
        let own: Vec<String> = candidate.split('-').map(str::to_ascii_lowercase).collect();
        candidate.len() > input.len() && words.iter().all(|word| own.contains(word))
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// "; did you mean `x`?" or nothing, ready to append to a message.
pub fn hint<'a, I>(input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(input, candidates)
        .map(|candidate| suggestion(input, candidate))
        .unwrap_or_default()
}

/// `hint`, but a word that means a candidate (`postgres` for `dbaas-pg`, found by
/// the caller in its aliases) is suggested before any spelling guess.
pub fn hint_or_alias<'a, I>(input: &str, meant: Option<&str>, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    match meant {
        Some(candidate) => {
            format!("; did you mean `{candidate}`? (`{input}` is another name for it)")
        }
        None => hint(input, candidates),
    }
}

/// "; did you mean `x`?", naming the code points that differ when the two look the
/// same on screen (a Cyrillic `е` for a Latin `e`), so the user sees why.
pub fn suggestion(input: &str, candidate: &str) -> String {
    let mut out = format!("; did you mean `{candidate}`?");
    let written: Vec<char> = input.chars().collect();
    let meant: Vec<char> = candidate.chars().collect();
    if written.len() == meant.len() {
        let differing: Vec<(char, char)> = written
            .iter()
            .zip(&meant)
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (*a, *b))
            .collect();
        let look_alike = !differing.is_empty()
            && differing
                .iter()
                .all(|(a, b)| !a.is_ascii() && !a.eq_ignore_ascii_case(b));
        if look_alike {
            let named: Vec<String> = differing
                .iter()
                .map(|(a, b)| {
                    format!(
                        "U+{:04X} where `{b}` is U+{:04X}",
                        u32::from(*a),
                        u32::from(*b)
                    )
                })
                .collect();
            out.push_str(&format!(" (they differ: you wrote {})", named.join(", ")));
        }
    }
    out
}
