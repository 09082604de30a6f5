//! One Aho-Corasick automaton over every phrase painmap looks for, run over
//! the tokens of a normalized text rather than its bytes.
//!
//! Patterns are normalized phrases with a space at each end (see
//! [`normalize`](super::normalize)), so a hit always covers whole tokens.
//! Several owners may share one phrase (a keyword used by two features, or
//! by a feature and a stage); the automaton holds it once and reports it to
//! each owner.
//!
//! The automaton steps once a token, not once a byte: each token is looked
//! up by the hash the normalizer gave it ([`Normalized::hashes`]) in the
//! vocabulary of the patterns' tokens, and a token no pattern has sends the
//! search back to the start at once. Matches come out as a byte-level
//! Aho-Corasick search over the normalized text reports them (overlapping,
//! by where they end, and the longest first among those that end at one
//! token), which a test checks against the `aho-corasick` crate.

use std::collections::HashMap;

use super::normalize::{token_hash, Normalized};

/// A set of phrases, each with one or more owners of type `O`.
#[derive(Debug, Clone)]
pub struct PhraseSet<O> {
    /// The patterns' distinct tokens: open addressing by [`token_hash`]
    /// (linear probing, at most half full); `(0, _)` is a free slot. Each
    /// slot holds the hash and the token's number.
    vocab: Vec<(u64, u32)>,
    /// The tokens by number, to compare on a hash match.
    words: Vec<Box<str>>,
    /// The start state's transition for each token number.
    root: Vec<u32>,
    /// The transitions of every other state, sorted by token: state `s`'s
    /// are `edges[edge_ranges[s].0 .. edge_ranges[s].1]`.
    edges: Vec<(u32, u32)>,
    edge_ranges: Vec<(u32, u32)>,
    /// Each state's failure state.
    fail: Vec<u32>,
    /// The patterns that end at each state, longest first:
    /// `outputs[output_ranges[s].0 .. output_ranges[s].1]`.
    outputs: Vec<u32>,
    output_ranges: Vec<(u32, u32)>,
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

/// The start state.
const ROOT: u32 = 0;

/// No transition.
const NONE: u32 = u32::MAX;

impl<O: Clone> PhraseSet<O> {
    /// Builds the automaton from normalized patterns (as produced by
    /// [`Normalizer::phrase`](super::normalize::Normalizer::phrase)).
    /// A pattern without a token matches nothing. Patterns are told apart
    /// by their tokens, which is what normalized patterns differ in.
    pub fn new(entries: impl IntoIterator<Item = (String, O)>) -> PhraseSet<O> {
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
        let mut words: Vec<Box<str>> = Vec::new();
        let mut numbers: HashMap<String, u32> = HashMap::new();
        // The trie: each state's transitions, and the pattern ending there.
        let mut trie: Vec<Vec<(u32, u32)>> = vec![Vec::new()];
        let mut ends: Vec<Option<u32>> = vec![None];
        for (p, (pattern, os)) in grouped.into_iter().enumerate() {
            let start = owners.len() as u32;
            owners.extend(os);
            ranges.push((start, owners.len() as u32));
            let tokens: Vec<&str> = pattern.split(' ').filter(|t| !t.is_empty()).collect();
            lengths.push(tokens.len() as u32);
            if tokens.is_empty() {
                continue;
            }
            let mut state = ROOT;
            for t in tokens {
                let n = *numbers.entry(t.to_string()).or_insert_with(|| {
                    words.push(t.into());
                    words.len() as u32 - 1
                });
                state = match trie[state as usize].iter().find(|&&(w, _)| w == n) {
                    Some(&(_, next)) => next,
                    None => {
                        let next = trie.len() as u32;
                        trie.push(Vec::new());
                        ends.push(None);
                        trie[state as usize].push((n, next));
                        next
                    }
                };
            }
            debug_assert!(
                ends[state as usize].is_none(),
                "{pattern:?} is not normalized"
            );
            ends[state as usize] = Some(p as u32);
        }

        // Failure links, breadth first, and each state's outputs: its own
        // pattern, then its failure state's (which are shorter).
        let states = trie.len();
        let mut fail = vec![ROOT; states];
        let mut out: Vec<Vec<u32>> = vec![Vec::new(); states];
        let mut queue = std::collections::VecDeque::new();
        for &(_, next) in &trie[ROOT as usize] {
            queue.push_back(next);
        }
        let step = |trie: &[Vec<(u32, u32)>], s: u32, w: u32| {
            trie[s as usize]
                .iter()
                .find(|&&(t, _)| t == w)
                .map(|&(_, next)| next)
        };
        while let Some(s) = queue.pop_front() {
            let mut own: Vec<u32> = ends[s as usize].into_iter().collect();
            own.extend(out[fail[s as usize] as usize].iter().copied());
            out[s as usize] = own;
            for &(w, next) in &trie[s as usize] {
                let mut f = fail[s as usize];
                let target = loop {
                    if let Some(t) = step(&trie, f, w) {
                        break t;
                    }
                    if f == ROOT {
                        break ROOT;
                    }
                    f = fail[f as usize];
                };
                fail[next as usize] = if s == ROOT { ROOT } else { target };
                queue.push_back(next);
            }
        }

        let mut root = vec![NONE; words.len()];
        for &(w, next) in &trie[ROOT as usize] {
            root[w as usize] = next;
        }
        let (mut edges, mut edge_ranges) = (Vec::new(), Vec::with_capacity(states));
        let (mut outputs, mut output_ranges) = (Vec::new(), Vec::with_capacity(states));
        for (t, o) in trie.iter_mut().zip(&out) {
            t.sort_unstable();
            let a = edges.len() as u32;
            edges.extend(t.iter().copied());
            edge_ranges.push((a, edges.len() as u32));
            let a = outputs.len() as u32;
            outputs.extend(o.iter().copied());
            output_ranges.push((a, outputs.len() as u32));
        }
        let slots = (2 * words.len()).next_power_of_two().max(16);
        let mut vocab = vec![(0u64, 0u32); slots];
        for (n, w) in words.iter().enumerate() {
            let h = token_hash(w).max(1);
            let mut i = h as usize & (slots - 1);
            while vocab[i].0 != 0 {
                i = (i + 1) & (slots - 1);
            }
            vocab[i] = (h, n as u32);
        }
        PhraseSet {
            vocab,
            words,
            root,
            edges,
            edge_ranges,
            fail,
            outputs,
            output_ranges,
            ranges,
            owners,
            lengths,
        }
    }

    /// The number of token `i` of `text` among the patterns' tokens.
    #[inline]
    fn number(&self, text: &Normalized, i: usize) -> Option<u32> {
        let h = text.hashes[i].max(1);
        let mask = self.vocab.len() - 1;
        let mut at = h as usize & mask;
        loop {
            match self.vocab[at] {
                (0, _) => return None,
                (k, n) if k == h && *self.words[n as usize] == *text.token(i) => return Some(n),
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// The state after `state` on token number `w`.
    #[inline]
    fn next(&self, mut state: u32, w: u32) -> u32 {
        loop {
            if state == ROOT {
                let next = self.root[w as usize];
                return if next == NONE { ROOT } else { next };
            }
            let (a, b) = self.edge_ranges[state as usize];
            let edges = &self.edges[a as usize..b as usize];
            if let Ok(k) = edges.binary_search_by_key(&w, |&(t, _)| t) {
                return edges[k].1;
            }
            state = self.fail[state as usize];
        }
    }

    /// Calls `f` for every owner of every phrase found in `text`, including
    /// overlapping ones, in order of where they end (the longest first
    /// among those that end together).
    pub fn find(&self, text: &Normalized, mut f: impl FnMut(&O, Span)) {
        if self.words.is_empty() {
            return;
        }
        let mut state = ROOT;
        for i in 0..text.token_count() {
            state = match self.number(text, i) {
                Some(w) => self.next(state, w),
                // No pattern has this token: nothing spans it.
                None => ROOT,
            };
            let (a, b) = self.output_ranges[state as usize];
            for &p in &self.outputs[a as usize..b as usize] {
                let len = self.lengths[p as usize];
                let span = Span {
                    token: i as u32 + 1 - len,
                    len,
                };
                let (a, b) = self.ranges[p as usize];
                for owner in &self.owners[a as usize..b as usize] {
                    f(owner, span);
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
    use crate::text::normalize::{token_hash, Normalizer};

    fn hits(phrases: &[&str], text: &str) -> Vec<(usize, Span)> {
        let n = Normalizer::new();
        let set = PhraseSet::new(
            phrases
                .iter()
                .enumerate()
                .map(|(i, p)| (n.phrase(p).unwrap(), i)),
        );
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
        fn finds_what_the_library_search_finds(text in "[abcd ,]{0,60}") {
            let patterns = [
                " a ", " a b ", " b ", " ab ", " b c a ", " c c ", " a b c d ", " b c ",
                " a b c ", " c ", " c a ", " b c d ", " d d d ", " c c c ",
            ];
            let set = PhraseSet::new(patterns.iter().map(|p| (p.to_string(), *p)));
            let mut norm = Normalized::default();
            Normalizer::new().normalize_into(&text, &mut norm);
            let mut ours = Vec::new();
            set.find(&norm, |&p, s| ours.push((p, s)));
            let ac = aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::Standard)
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
    fn a_token_whose_hash_collides_is_not_a_match() {
        let n = Normalizer::new();
        let set = PhraseSet::new([(n.phrase("export").unwrap(), 0)]);
        let mut norm = Normalized::default();
        n.normalize_into("imports fail", &mut norm);
        let found = |norm: &Normalized| {
            let mut out = Vec::new();
            set.find(norm, |&o, s| out.push((o, s)));
            out
        };
        assert!(found(&norm).is_empty());
        // A forged hash, as if "import" hashed like "export": the token
        // itself is compared, so it still does not match.
        norm.hashes[0] = token_hash("export");
        assert!(found(&norm).is_empty());
        n.normalize_into("exports fail", &mut norm);
        assert_eq!(found(&norm), vec![(0, Span { token: 0, len: 1 })]);
    }

    #[test]
    fn tokens_no_pattern_has_restart_the_search() {
        let h = hits(&["single sign-on", "sign"], "single user sign on");
        assert_eq!(h, vec![(1, Span { token: 2, len: 1 })]);
        assert!(hits(&[], "anything at all").is_empty());
    }

    #[test]
    fn adjacent_matches_share_the_space_between_them() {
        assert_eq!(hits(&["dark", "mode"], "dark mode").len(), 2);
    }
}
