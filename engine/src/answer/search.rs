//! Matching what a person types in the service box against service names.

/// How well a name matches; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    Prefix,
    WordStart,
    Inside,
}

/// The indices of the `names` that match `query`, best first: names that start
/// with it, then names with a word that starts with it (`ec2` finds `AmazonEC2`),
/// then names that merely contain it. Case is ignored; ties keep the order of
/// `names`, which callers sort by cost. An empty query matches everything.
pub fn rank<'a>(query: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
    let query = query.trim().to_lowercase();
    let mut found: Vec<(Match, usize)> = names
        .into_iter()
        .enumerate()
        .filter_map(|(index, name)| quality(&query, name).map(|quality| (quality, index)))
        .collect();
    found.sort_by_key(|&(quality, index)| (quality, index));
    found.into_iter().map(|(_, index)| index).collect()
}

fn quality(query: &str, name: &str) -> Option<Match> {
    if query.is_empty() {
        return Some(Match::Prefix);
    }
    let lower = name.to_lowercase();
    if lower.starts_with(query) {
        return Some(Match::Prefix);
    }
    let chars: Vec<char> = name.chars().collect();
    let word_starts = chars.iter().enumerate().filter_map(|(i, &c)| {
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let starts = match previous {
            None => true,
            Some(p) => !p.is_alphanumeric() && c.is_alphanumeric() || p.is_lowercase() && c.is_uppercase(),
        };
        starts.then(|| chars[i..].iter().collect::<String>().to_lowercase())
    });
    for rest in word_starts {
        if rest.starts_with(query) {
            return Some(Match::WordStart);
        }
    }
    lower.contains(query).then_some(Match::Inside)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 6] =
        ["AmazonEC2", "AmazonS3", "AWSDataTransfer", "AmazonGuardDuty", "AWSGlue", "AmazonCloudWatch"];

    #[track_caller]
    fn check(query: &str, expected: &[&str]) {
        let found: Vec<&str> = rank(query, NAMES).into_iter().map(|i| NAMES[i]).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn empty_query_keeps_everything_in_order() {
        check("", &NAMES);
    }

    #[test]
    fn prefix_beats_word_start_beats_inside() {
        check("aws", &["AWSDataTransfer", "AWSGlue"]);
        check("ec2", &["AmazonEC2"]);
        check("guard", &["AmazonGuardDuty"]);
        check("a", &NAMES);
        check("ta", &["AWSDataTransfer"]);
        check("clo", &["AmazonCloudWatch"]);
    }

    #[test]
    fn case_and_spaces_are_ignored() {
        check("  S3 ", &["AmazonS3"]);
        check("zzz", &[]);
    }
}
