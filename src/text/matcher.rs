//! One Aho-Corasick automaton over every phrase painmap looks for.
//!
//! Patterns are normalized phrases with a space at each end (see
//! [`normalize`](super::normalize)), so a hit always covers whole tokens.
//! Several owners may share one phrase (a keyword used by two features, or
//! by a feature and a stage); the automaton holds it once and reports it to
//! each owner.

use std::collections::HashMap;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind};

use super::normalize::Normalized;

/// A set of phrases, each with one or more owners of type `O`.
#[derive(Debug, Clone)]
pub struct PhraseSet<O> {
    dfa: Option<DFA>,
    /// For pattern `p`, its owners are `owners[ranges[p].0 .. ranges[p].1]`.
    ranges: Vec<(u32, u32)>,
    owners: Vec<O>,
    /// Length of each pattern in tokens.
    lengths: Vec<u32>,
}

/// Where a phrase matched: its first token and its length in tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub token: u32,
    pub len: u32,
}

impl Span {
    pub fn end(self) -> u32 {
        self.token + self.len
    }

    pub fn contains(self, other: Span) -> bool {
        self.token <= other.token && other.end() <= self.end()
    }
}

impl<O: Clone> PhraseSet<O> {
    /// Builds the automaton from normalized patterns (as produced by
    /// [`Normalizer::phrase`](super::normalize::Normalizer::phrase)).
    pub fn new(
        entries: impl IntoIterator<Item = (String, O)>,
    ) -> Result<PhraseSet<O>, aho_corasick::BuildError> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut grouped: Vec<(String, Vec<O>)> = Vec::new();
        for (pattern, owner) in entries {
            match index.get(&pattern) {
                Some(&i) => grouped[i].1.push(owner),
                None => {
                    index.insert(pattern.clone(), grouped.len());
                    grouped.push((pattern, vec![owner]));
                }
            }
        }
        let mut ranges = Vec::with_capacity(grouped.len());
        let mut owners = Vec::new();
        let mut lengths = Vec::with_capacity(grouped.len());
        let mut patterns = Vec::with_capacity(grouped.len());
        for (pattern, os) in grouped {
            let start = owners.len() as u32;
            owners.extend(os);
            ranges.push((start, owners.len() as u32));
            lengths.push(pattern.trim().split(' ').count() as u32);
            patterns.push(pattern);
        }
        let dfa = if patterns.is_empty() {
            None
        } else {
            Some(
                // A DFA: one table lookup per byte. Every text of every
                // item runs through this automaton; the phrases are few
                // (thousands) and the table stays small.
                DFA::builder()
                    .match_kind(MatchKind::Standard)
                    // Every pattern starts with a space, so a prefilter
                    // would stop at every word for nothing.
                    .prefilter(false)
                    .build(&patterns)?,
            )
        };
        Ok(PhraseSet {
            dfa,
            ranges,
            owners,
            lengths,
        })
    }

    /// Calls `f` for every owner of every phrase found in `text`, including
    /// overlapping ones, in order of where they end.
    pub fn find(&self, text: &Normalized, mut f: impl FnMut(&O, Span)) {
        let Some(dfa) = &self.dfa else { return };
        // The automaton's overlapping search (what `find_overlapping_iter`
        // runs), as one loop over the bytes: the same matches in the same
        // order, without returning from the search at each match.
        let mut report = |sid: StateID, end: usize| {
            for k in 0..dfa.match_len(sid) {
                let pid = dfa.match_pattern(sid, k);
                let p = pid.as_usize();
                // The match starts at the space before its first token.
                let start = end - dfa.pattern_len(pid);
                let span = Span {
                    token: text.token_at(start + 1) as u32,
                    len: self.lengths[p],
                };
                let (a, b) = self.ranges[p];
                for owner in &self.owners[a as usize..b as usize] {
                    f(owner, span);
                }
            }
        };
        let mut sid = dfa
            .start_state(Anchored::No)
            .expect("the automaton is built for unanchored searches");
        if dfa.is_match(sid) {
            report(sid, 0);
        }
        for (i, &b) in text.text.as_bytes().iter().enumerate() {
            sid = dfa.next_state(Anchored::No, sid, b);
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    return;
                }
                if dfa.is_match(sid) {
                    report(sid, i + 1);
                }
            }
        }
    }

    pub fn pattern_count(&self) -> usize {
        self.ranges.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::Normalizer;

    fn hits(phrases: &[&str], text: &str) -> Vec<(usize, Span)> {
        let n = Normalizer::new();
        let set = PhraseSet::new(
            phrases
                .iter()
                .enumerate()
                .map(|(i, p)| (n.phrase(p).unwrap(), i)),
        )
        .unwrap();
        let mut norm = Normalized::default();
        n.normalize_into(text, &mut norm);
        let mut out = Vec::new();
        set.find(&norm, |&o, s| out.push((o, s)));
        out
    }

    #[test]
    fn matches_whole_tokens_only() {
        assert!(hits(&["api"], "a rapid response").is_empty());
        assert!(hits(&["api"], "the APIs are down").len() == 1);
        assert!(hits(&["export"], "exporting fails").len() == 1);
    }

    #[test]
    fn multi_word_phrases_report_their_span() {
        let h = hits(&["single sign-on"], "we need Single Sign On now");
        assert_eq!(h, vec![(0, Span { token: 2, len: 3 })]);
    }

    #[test]
    fn overlapping_and_shared_phrases_all_report() {
        let h = hits(&["sso", "sso tax", "SSO"], "the sso tax again");
        let owners: Vec<usize> = h.iter().map(|(o, _)| *o).collect();
        assert_eq!(owners, vec![0, 2, 1]);
    }

    proptest::proptest! {
        #[test]
        fn finds_what_the_library_search_finds(text in "[abcd ,]{0,40}") {
            let patterns = [" a ", " a b ", " b ", " ab ", " b c a ", " c c ", " a b c d "];
            let set = PhraseSet::new(patterns.iter().map(|p| (p.to_string(), *p))).unwrap();
            let mut norm = Normalized::default();
            Normalizer::new().normalize_into(&text, &mut norm);
            let mut ours = Vec::new();
            set.find(&norm, |&p, s| ours.push((p, s)));
            let ac = aho_corasick::AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .prefilter(false)
                .build(patterns)
                .unwrap();
            let theirs: Vec<(&str, Span)> = ac
                .find_overlapping_iter(&norm.text)
                .map(|m| {
                    let p = patterns[m.pattern().as_usize()];
                    let span = Span {
                        token: norm.token_at(m.start() + 1) as u32,
                        len: p.trim().split(' ').count() as u32,
                    };
                    (p, span)
                })
                .collect();
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn adjacent_matches_share_the_space_between_them() {
        assert_eq!(hits(&["dark", "mode"], "dark mode").len(), 2);
    }
}
