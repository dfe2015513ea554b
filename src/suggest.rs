//! "Did you mean" suggestions for unknown ids, keys and codes.

/// The closest candidate to `input`, when it is close enough to be a likely typo.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let input_lower = input.to_ascii_lowercase();
    let input_length = input.chars().count();
    let limit = (input_length / 3).max(2);
    candidates
        .into_iter()
        // The distance is at least the difference in length: most candidates are
        // rejected without computing it.
        .filter(|candidate| candidate.chars().count().abs_diff(input_length) <= limit)
        .map(|candidate| {
            (
                edit_distance(&input_lower, &candidate.to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate)
}

/// " (did you mean `x`?)" or nothing, ready to append to a message.
pub fn hint<'a, I>(input: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(input, candidates)
        .map(|candidate| format!("; did you mean `{candidate}`?"))
        .unwrap_or_default()
}

/// Levenshtein distance over characters; inputs longer than 256 characters are not
/// typos of short ids, so they are cut off to keep the cost bounded.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(256).collect();
    let b: Vec<char> = b.chars().take(256).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["backup-restore", "tenant-iam", "platform-iam"];
        assert_eq!(did_you_mean("backup-restor", ids), Some("backup-restore"));
        assert_eq!(did_you_mean("tenant-ima", ids), Some("tenant-iam"));
        assert_eq!(did_you_mean("kubernetes", ids), None);
    }
}
