//! The features of one item for the kind model, and the linear model that
//! weighs them.
//!
//! `build.rs` includes this file to featurize the training data, and the
//! tagger calls it at run time, so training and tagging cannot drift apart.
//! A feature is named (`word:crash`, `title:add`, `cue:bug`, …) but scored
//! by a 64-bit hash of its name, computed without allocating; the model is
//! an open-addressing table from hash to weights that keeps the name of
//! every feature it has a weight for, so an explanation can show it.

use crate::text::cues::{Asks, KindScores};
use crate::text::evidence::CueHits;
use crate::text::normalize::{token_hash, Normalized};

/// What the model tells apart. An item that is none of them is `other`.
pub const CLASSES: [&str; 4] = ["bug", "request", "question", "praise"];
pub const NCLASS: usize = CLASSES.len();

/// Tokens after this many are not looked at: a long log says no more about
/// the kind than its first lines, and the cost stays bounded.
pub const MAX_TOKENS: usize = 400;

/// Up to this many tokens, a word's value is 1; beyond, 1 / sqrt(tokens /
/// LENGTH_SCALE).
const LENGTH_SCALE: f32 = 16.0;

/// How far a negation reaches, in tokens ("does not even load").
const NEGATION_REACH: u32 = 3;

/// Tokens longer than this (hashes, paths, minified code) are left out.
const MAX_TOKEN_BYTES: usize = 24;

/// One feature of an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature<'a> {
    /// A stem anywhere in the text, not negated.
    Word(&'a str),
    /// A stem of the subject line (an issue's title).
    Title(&'a str),
    /// The item's first stem, and its first two.
    First(&'a str),
    FirstPair(&'a str, &'a str),
    /// Two stems in a row in one clause.
    Pair(&'a str, &'a str),
    /// A stem within three tokens after a negation ("never crashes").
    Not(&'a str),
    /// The weighted evidence of a cue kind from the hand-written rules
    /// (value ln(1 + evidence)), and the same in a rated item.
    Cue(&'static str),
    RatedCue(&'static str),
    /// Something about the item's shape: a code block, a stack trace, a
    /// question mark in the subject, a star rating.
    Has(&'static str),
}

impl Feature<'_> {
    fn tag(&self) -> u8 {
        match self {
            Feature::Word(_) => b'w',
            Feature::Title(_) => b't',
            Feature::First(_) => b'f',
            Feature::FirstPair(..) => b'F',
            Feature::Pair(..) => b'p',
            Feature::Not(_) => b'n',
            Feature::Cue(_) => b'c',
            Feature::RatedCue(_) => b'r',
            Feature::Has(_) => b'h',
        }
    }

    /// The 64-bit hash of the feature, never 0 (an empty slot): its tag
    /// mixed with the hash of each of its words, so that [`extract`] can
    /// hash every token once and reuse it for all the features it is in.
    pub fn hash(&self) -> u64 {
        let (a, b) = self.word_hashes();
        self.hash_of(a, b)
    }

    /// The [`word_hash`] of the feature's word, and of its second (0 for a
    /// one-word feature).
    fn word_hashes(&self) -> (u64, u64) {
        match *self {
            Feature::Word(a)
            | Feature::Title(a)
            | Feature::First(a)
            | Feature::Not(a)
            | Feature::Cue(a)
            | Feature::RatedCue(a)
            | Feature::Has(a) => (word_hash(a), 0),
            Feature::FirstPair(a, b) | Feature::Pair(a, b) => (word_hash(a), word_hash(b)),
        }
    }

    /// [`Feature::hash`] from the [`word_hash`] of its word(s) (`b` is
    /// ignored for a one-word feature).
    #[inline]
    fn hash_of(&self, a: u64, b: u64) -> u64 {
        let h = mix(u64::from(self.tag()), a);
        let h = match self {
            Feature::FirstPair(..) | Feature::Pair(..) => mix(h, b),
            _ => h,
        };
        h.max(1)
    }

    /// The name an explanation shows.
    pub fn name(&self) -> String {
        match *self {
            Feature::Word(a) => format!("word:{a}"),
            Feature::Title(a) => format!("title:{a}"),
            Feature::First(a) => format!("first:{a}"),
            Feature::FirstPair(a, b) => format!("first:{a} {b}"),
            Feature::Pair(a, b) => format!("words:{a} {b}"),
            Feature::Not(a) => format!("not:{a}"),
            Feature::Cue(a) => format!("cue:{a}"),
            Feature::RatedCue(a) => format!("cue:{a} (rated)"),
            Feature::Has(a) => format!("has:{a}"),
        }
    }
}

/// FNV-1a of a word's bytes: the normalizer's [`token_hash`], so that a
/// token's hash is worked out once, when its stem enters the stem cache.
#[inline]
pub fn word_hash(word: &str) -> u64 {
    token_hash(word)
}

/// Combines two hashes (a multiply and a xor-shift, as in SplitMix64).
#[inline]
fn mix(a: u64, b: u64) -> u64 {
    let x = (a.rotate_left(26) ^ b).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^ (x >> 31)
}

/// What the tagger knows about an item when it asks the model.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The text as written (for its shape: code blocks, stack traces).
    pub text: &'a str,
    pub norm: &'a Normalized,
    /// The negations and conditionals the cue automaton found.
    pub hits: &'a CueHits,
    /// The rules' weighted evidence.
    pub scores: &'a KindScores,
    pub asks: Asks,
    /// The rating on [0, 1], 1 the best.
    pub rating: Option<f64>,
}

/// Calls `emit` with every feature of the item, its value and its
/// [`Feature::hash`]. A feature may be emitted more than once; only its
/// first value counts (see [`Model::score`]).
pub fn extract(input: &Input, mut emit: impl FnMut(Feature, f32, u64)) {
    let mut emit = |f: Feature, v: f32, a: u64, b: u64| {
        let h = f.hash_of(a, b);
        emit(f, v, h)
    };
    let norm = input.norm;
    let n = norm.token_count().min(MAX_TOKENS);
    let title = norm.first_line.map_or(0, |t| t as usize);
    // Words of a long text each say less: their values are scaled so that
    // the sum over a long issue stays on the scale of a short review's.
    let body = (LENGTH_SCALE / n.max(1) as f32).sqrt().min(1.0);
    let mut prev: Option<(&str, usize, u64)> = None;
    // The clause of token `i` ([`Normalized::clause`]), kept as `i` goes up.
    let mut clause = 0;
    for i in 0..n {
        while norm.breaks.get(clause).is_some_and(|&b| b as usize <= i) {
            clause += 1;
        }
        let tok = norm.token(i);
        if tok.len() > MAX_TOKEN_BYTES {
            prev = None;
            continue;
        }
        // A token with a digit is "#". Otherwise its hash is the one the
        // normalizer gave it, which is its `word_hash`.
        let (tok, h) = if tok.bytes().any(|b| b.is_ascii_digit()) {
            ("#", word_hash("#"))
        } else {
            (tok, norm.hashes[i])
        };
        let negated = input.hits.negators.iter().any(|&ng| {
            (ng as usize) < i && i as u32 - ng <= NEGATION_REACH && norm.clause(ng) == clause
        });
        if negated {
            emit(Feature::Not(tok), body, h, 0);
        } else {
            emit(Feature::Word(tok), body, h, 0);
        }
        if i < title {
            emit(Feature::Title(tok), 1.0, h, 0);
        }
        if i == 0 {
            emit(Feature::First(tok), 1.0, h, 0);
        }
        if let Some((p, pc, ph)) = prev {
            if pc == clause {
                emit(Feature::Pair(p, tok), body, ph, h);
                if i == 1 {
                    emit(Feature::FirstPair(p, tok), 1.0, ph, h);
                }
            }
        }
        prev = Some((tok, clause, h));
    }

    // The rest are few per item, and their names are constants, hashed
    // when painmap is compiled: hashing them a byte at a time for every
    // item was an eighth of the model's instructions.
    let mut named =
        |f: fn(&'static str) -> Feature<'static>, n: Name, v: f32| emit(f(n.0), v, n.1, 0);
    let s = input.scores;
    let rated = input.rating.is_some();
    for (name, v) in [
        (CUE_BUG, s.bug),
        (CUE_REQUEST, s.request),
        (CUE_QUESTION, s.question),
        (CUE_PRAISE, s.praise),
        (CUE_CHURN, s.churn),
    ] {
        if v > 0.0 {
            let v = (1.0 + v).ln();
            named(Feature::Cue, name, v);
            if rated {
                named(Feature::RatedCue, name, v);
            }
        }
    }
    if s.severity > 0 {
        named(Feature::Cue, CUE_SEVERITY, f32::from(s.severity.min(3)));
    }
    let asks = input.asks;
    if asks.in_subject {
        named(Feature::Has, HAS_ASK_IN_SUBJECT, 1.0);
    }
    if asks.anywhere {
        named(Feature::Has, HAS_ASK, 1.0);
    }
    if asks.count >= 2 {
        named(Feature::Has, HAS_ASKS, 1.0);
    }
    if title > 0 {
        named(Feature::Has, HAS_SUBJECT, 1.0);
    }
    match input.rating {
        Some(r) => {
            named(Feature::Has, HAS_RATING, 1.0);
            named(Feature::Has, RATING_BUCKETS[rating_bucket(r)], 1.0);
        }
        None => named(Feature::Has, HAS_NO_RATING, 1.0),
    }
    named(Feature::Has, LENGTH_BUCKETS[length_bucket(n)], 1.0);
    shape(input.text, &mut |n, v| named(Feature::Has, n, v));
}

/// A constant feature name and its [`word_hash`], worked out at compile
/// time.
#[derive(Debug, Clone, Copy)]
struct Name(&'static str, u64);

const fn name(s: &'static str) -> Name {
    Name(s, token_hash(s))
}

const CUE_BUG: Name = name("bug");
const CUE_REQUEST: Name = name("request");
const CUE_QUESTION: Name = name("question");
const CUE_PRAISE: Name = name("praise");
const CUE_CHURN: Name = name("churn");
const CUE_SEVERITY: Name = name("severity");
const HAS_ASK_IN_SUBJECT: Name = name("question mark in the subject");
const HAS_ASK: Name = name("question mark");
const HAS_ASKS: Name = name("several questions");
const HAS_SUBJECT: Name = name("subject line");
const HAS_RATING: Name = name("rating");
const HAS_NO_RATING: Name = name("no rating");

const RATING_BUCKETS: [Name; 5] = [
    name("rating 1/5"),
    name("rating 2/5"),
    name("rating 3/5"),
    name("rating 4/5"),
    name("rating 5/5"),
];

fn rating_bucket(r: f64) -> usize {
    ((r.clamp(0.0, 1.0) * 4.0).round() as usize).min(4)
}

const LENGTH_BUCKETS: [Name; 4] = [
    name("under 12 words"),
    name("12 to 39 words"),
    name("40 to 149 words"),
    name("150 words or more"),
];

fn length_bucket(n: usize) -> usize {
    match n {
        0..12 => 0,
        12..40 => 1,
        40..150 => 2,
        _ => 3,
    }
}

/// Features of the text's shape: what a tracker's bug report carries.
fn shape(text: &str, emit: &mut impl FnMut(Name, f32)) {
    let (mut code, mut trace, mut version, mut heading, mut checkbox, mut link) =
        (false, false, false, false, false, false);
    for line in text.lines().take(MAX_TOKENS) {
        let t = line.trim_start();
        // Each substring searched for below has a colon: most lines have
        // none, and one memchr spares them three substring searches.
        let colon = t.as_bytes().contains(&b':');
        code |= t.starts_with("```") || line.starts_with("    ") || line.starts_with('\t');
        trace |= (t.starts_with("at ") && t.contains('('))
            || t.starts_with("Traceback")
            || t.starts_with("File \"")
            || (colon && (t.contains("Error: ") || t.contains("Exception: ")));
        heading |= t.starts_with('#');
        checkbox |= t.starts_with("- [");
        link |= colon && t.contains("://");
        version = version || has_version(t);
    }
    const SHAPES: [Name; 6] = [
        name("code block"),
        name("stack trace"),
        name("version number"),
        name("markdown heading"),
        name("checkbox"),
        name("link"),
    ];
    for (on, shape) in [code, trace, version, heading, checkbox, link]
        .into_iter()
        .zip(SHAPES)
    {
        if on {
            emit(shape, 1.0);
        }
    }
}

/// Whether a line holds a version number such as 1.2 or v10.4.1.
fn has_version(line: &str) -> bool {
    // From each full stop (found by memchr), not from every byte.
    let b = line.as_bytes();
    line.match_indices('.').any(|(i, _)| {
        i > 0 && i + 1 < b.len() && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit()
    })
}

/// A trained linear model: per class a bias, and per feature a weight for
/// each class, found by the feature's hash.
#[derive(Debug, Clone, Copy)]
pub struct Model<'a> {
    pub bias: &'a [f32; NCLASS],
    /// Open addressing, a power of two long: a feature hash (0 for an
    /// empty slot) and its row in `weights` and `names`, side by side so
    /// that a lookup reads one cache line.
    pub slots: &'a [(u64, u32)],
    pub weights: &'a [[f32; NCLASS]],
    pub names: &'a [&'a str],
}

impl Model<'_> {
    /// The row of a feature, if the model has a weight for it.
    #[inline]
    pub fn row(&self, hash: u64) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            match self.slots[i] {
                (0, _) => return None,
                (k, row) if k == hash => return Some(row),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// The probability of each class (one-vs-rest logistic), and the rows
    /// of the features that counted with their values in `active` (a
    /// scratch buffer, cleared first).
    pub fn score(&self, input: &Input, active: &mut Active) -> [f32; NCLASS] {
        active.start(self.weights.len());
        extract(input, |_, v, h| {
            if let Some(r) = self.row(h) {
                active.add(r, v);
            }
        });
        let mut z = *self.bias;
        for &(r, v) in active.rows() {
            let w = &self.weights[r as usize];
            for c in 0..NCLASS {
                z[c] += w[c] * v;
            }
        }
        z.map(|z| 1.0 / (1.0 + (-z).exp()))
    }
}

/// The features of one item that the model has weights for, each row once
/// with its first value, in the order of their rows: the order their
/// weights are summed in, which the scores depend on to the last bit.
///
/// Each row is marked in a bitmap, with a bit for each word of the bitmap
/// that has one set, and both are read back in order: no sort of the rows
/// and no pass to drop repeats. `Model::score` took 416 M instructions at
/// 100k rows this way, 444 M sorting.
#[derive(Debug, Default, Clone)]
pub struct Active {
    rows: Vec<(u32, f32)>,
    /// Bit `r % 64` of word `r / 64` is set while row `r` is marked.
    marked: Vec<u64>,
    /// Bit `w % 64` of word `w / 64` is set while `marked[w]` is not 0.
    words: Vec<u64>,
    /// The first value of each marked row.
    values: Vec<f32>,
}

impl Active {
    /// Clears the rows, for a model of `rows` rows.
    fn start(&mut self, rows: usize) {
        self.rows.clear();
        if self.values.len() != rows {
            self.values = vec![0.0; rows];
            self.marked = vec![0; rows.div_ceil(64)];
            self.words = vec![0; self.marked.len().div_ceil(64)];
        }
    }

    /// Marks row `r` with value `v`, unless it is marked already: only a
    /// feature's first value counts (every repeat of a feature in one item
    /// has the same value anyway: a word's value depends on the item's
    /// length, not on where it is).
    #[inline]
    fn add(&mut self, r: u32, v: f32) {
        let r = r as usize;
        let (w, bit) = (r / 64, 1u64 << (r % 64));
        if self.marked[w] & bit == 0 {
            self.marked[w] |= bit;
            self.words[w / 64] |= 1 << (w % 64);
            self.values[r] = v;
        }
    }

    /// The marked rows with their values, ascending, unmarking them: call
    /// once after the last [`Active::add`].
    fn rows(&mut self) -> &[(u32, f32)] {
        for (i, word) in self.words.iter_mut().enumerate() {
            let mut ws = std::mem::take(word);
            while ws != 0 {
                let w = i * 64 + ws.trailing_zeros() as usize;
                ws &= ws - 1;
                let mut bits = std::mem::take(&mut self.marked[w]);
                while bits != 0 {
                    let r = w * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    self.rows.push((r as u32, self.values[r]));
                }
            }
        }
        &self.rows
    }

    /// The rows of the last [`Model::score`], ascending, with their values.
    pub fn scored(&self) -> &[(u32, f32)] {
        &self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The rows come out as sorting them and keeping each one's first
        /// value did, item after item.
        #[test]
        fn active_rows_are_sorted_and_unique(
            items in proptest::collection::vec(
                proptest::collection::vec((0u32..200, 0u8..4), 0..40), 1..4)
        ) {
            let mut active = Active::default();
            for item in items {
                active.start(200);
                let mut expected = Vec::new();
                for &(r, v) in &item {
                    active.add(r, f32::from(v));
                    if !expected.iter().any(|&(e, _)| e == r) {
                        expected.push((r, f32::from(v)));
                    }
                }
                expected.sort_by_key(|&(r, _)| r);
                proptest::prop_assert_eq!(active.rows(), expected.as_slice());
                proptest::prop_assert_eq!(active.scored(), expected.as_slice());
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn has_version_is_a_window_scan(s in "[0-9.aé ]{0,12}") {
            let b = s.as_bytes();
            let windows = b
                .windows(3)
                .any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit());
            proptest::prop_assert_eq!(has_version(&s), windows);
        }
    }
}
