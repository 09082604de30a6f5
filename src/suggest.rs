//! "Did you mean …?" for ids, presets and keys.

/// The closest candidate to `input`, if any is close enough to be a typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_matches_only() {
        assert_eq!(
            did_you_mean("onbording", ["onboarding", "usage"]),
            Some("onboarding")
        );
        assert_eq!(did_you_mean("zendsk", ["zendesk"]), Some("zendesk"));
        assert_eq!(did_you_mean("xyz", ["onboarding", "usage"]), None);
    }
}
