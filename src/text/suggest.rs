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
    fn cut(text: &str) -> &str {
        (text.char_indices().nth(MAX_CHARS)).map_or(text, |(at, _)| &text[..at])
    }
    let input_length = input.chars().count();
    let limit = (input_length / 3).max(2);
    let input = cut(input);
    candidates
        .into_iter()
        // The distance is at least the difference in length: most candidates are
        // rejected without computing it.
        .filter(|candidate| candidate.chars().count().abs_diff(input_length) <= limit)
        .map(|candidate| (distance(input, cut(candidate), limit), candidate))
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
    let best_distance = distance(input, best, usize::MAX - 1);
    // The distance is at least the difference in length.
    let input_length = input.chars().count();
    let ties = candidates
        .iter()
        .filter(|candidate| candidate.chars().count().abs_diff(input_length) <= best_distance)
        .filter(|candidate| distance(input, candidate, best_distance) == best_distance)
        .count();
    (ties == 1).then_some(best)
}

/// The edit distance between `a` and `b` in characters, ignoring ASCII case, or
/// `limit + 1` as soon as it must be more than `limit`: no row of the table has a
/// smaller cell than the row before, so a row whose every cell is over the limit ends
/// the count.
fn distance(a: &str, b: &str, limit: usize) -> usize {
    let b: Vec<char> = b.chars().map(|meant| meant.to_ascii_lowercase()).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, written) in a
        .chars()
        .map(|written| written.to_ascii_lowercase())
        .enumerate()
    {
        let mut diagonal = std::mem::replace(&mut row[0], i + 1);
        let mut smallest = i + 1;
        for (j, meant) in b.iter().enumerate() {
            let substituted = diagonal + usize::from(written != *meant);
            diagonal = row[j + 1];
            row[j + 1] = substituted.min(diagonal + 1).min(row[j] + 1);
            smallest = smallest.min(row[j + 1]);
        }
        if smallest > limit {
            return limit + 1;
        }
    }
    row[row.len() - 1].min(limit + 1)
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

#[cfg(test)]
mod tests {
    use super::distance;

    /// The whole table, no shortcut, of the lowercased words: what `distance` must agree with.
    fn full_table(a: &str, b: &str) -> usize {
        let lower = |text: &str| {
            text.chars()
                .map(|c| c.to_ascii_lowercase())
                .collect::<Vec<_>>()
        };
        let (a, b) = (lower(a), lower(b));
        let mut table = vec![vec![0; b.len() + 1]; a.len() + 1];
        for (i, row) in table.iter_mut().enumerate() {
            row[0] = i;
        }
        table[0] = (0..=b.len()).collect();
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let substituted = table[i - 1][j - 1] + usize::from(a[i - 1] != b[j - 1]);
                table[i][j] = substituted
                    .min(table[i - 1][j] + 1)
                    .min(table[i][j - 1] + 1);
            }
        }
        table[a.len()][b.len()]
    }

    #[test]
    fn the_bounded_distance_is_the_edit_distance_up_to_its_limit() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "backup",
            "backups",
            "bakcup",
            "backup-restore",
            "restore",
            "dbaas-pg",
            "dbaas-pq",
            "iaas",
            "IaaS",
            "kitten",
            "sitting",
            "intention",
            "execution",
            "ch-gva-2",
            "ch-dk-2",
            "de-fra-1",
            "cеntral",
            "central",
            "ü",
            "uu",
        ];
        for a in words {
            for b in words {
                let exact = full_table(a, b);
                for limit in 0..=16 {
                    assert_eq!(
                        distance(a, b, limit),
                        exact.min(limit + 1),
                        "{a:?} {b:?} {limit}"
                    );
                }
                assert_eq!(distance(a, b, usize::MAX - 1), exact, "{a:?} {b:?}");
            }
        }
    }
}
