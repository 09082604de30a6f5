//! One normalization pass per text: Unicode NFKC, lower case, tokens, and
//! the English Snowball stemmer.
//!
//! The result is the stems joined by single spaces, with a space at each end
//! (`" export keep time out "`). Phrases are normalized the same way, so an
//! automaton over that string matches whole tokens only: `" api "` can never
//! match inside `" rapid "`. Contractions are split (`can't` becomes
//! `can not`) so that phrases written either way agree.

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::ascii::{class, is_break, ALNUM, BREAK, LOWER, UPPER};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Turns text into its normalized token string. Cheap to share: it holds
/// only the stemmer tables.
pub struct Normalizer {
    stemmer: Stemmer,
}

impl std::fmt::Debug for Normalizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Normalizer")
    }
}

/// A normalized text. Reused between items to avoid allocating per item.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    /// `" stem stem stem "`.
    pub text: String,
    /// Byte offset in `text` where each token starts.
    pub starts: Vec<u32>,
    /// Each token's [`token_hash`], by which the phrase matcher looks it
    /// up: a stem's hash is worked out once, when it enters the stem cache.
    pub hashes: Vec<u64>,
    /// Tokens that start a new clause: the first token after `. ! ? ; : ,`,
    /// a bracket or a line break, and every `but`. Ascending.
    pub breaks: Vec<u32>,
    /// Tokens that start a new sentence: the clause breaks after `. ! ?`
    /// or a line break, and a capital that follows a lower-case word (a
    /// sentence that lost its full stop). Ascending, a subset of `breaks`.
    pub sentences: Vec<u32>,
    /// How many tokens the first line has, when the text has more lines
    /// after it (a ticket's subject, an issue's title).
    pub first_line: Option<u32>,
    word: String,
    pending_break: bool,
    pending_stop: bool,
    /// A capitalized word follows a lower-case one with no punctuation
    /// between: a sentence that lost its full stop ("can't upload Please
    /// fix"), unless the word before is a function word ("with Slack").
    pending_capital: bool,
    last_lower: bool,
    stems: StemCache,
}

/// A fixed-size, two-way set-associative cache of word → stem. Feedback
/// repeats its words, and the Snowball stemmer is most of the cost of
/// normalizing; the cache lives in the per-thread scratch, so it needs no
/// lock, and its size never grows with the number of items. Two ways, not
/// one: frequent words that hash to the same set ("team" and "really" in
/// the bench data) would otherwise evict each other item after item.
#[derive(Debug, Default, Clone)]
struct StemCache {
    /// Sets of two slots side by side, the one used last first.
    slots: Vec<StemSlot>,
    /// Words stemmed before the cache was set up: a one-off normalization
    /// (a roadmap phrase) never pays for the table.
    uncached: u32,
}

/// A word and its stem. The word's first [`PACKED`] bytes are also kept
/// packed into two integers with its length (see [`pack`]), so that a
/// lookup hashes and compares integers; only a longer word is compared
/// whole. An empty slot has length 0 and an empty stem, which is the stem
/// of the empty word.
#[derive(Debug, Default, Clone)]
struct StemSlot {
    lo: u64,
    hi: u64,
    len: usize,
    word: String,
    stem: String,
    /// The stem's [`token_hash`].
    hash: u64,
}

const STEM_CACHE_SLOTS: usize = 4096;

/// Words a scratch stems directly before it sets up its cache.
const STEM_CACHE_AFTER: u32 = 256;

/// How many bytes of a word [`pack`] packs.
const PACKED: usize = 16;

/// The first [`PACKED`] bytes of `word` as two little-endian integers,
/// zero after its end. Read with loads that may overlap rather than copied
/// into a buffer: a copy whose length is known only at run time is a call
/// to `memcpy`, and this runs for every word of every item.
#[inline]
fn pack(word: &[u8]) -> (u64, u64) {
    let w = &word[..word.len().min(PACKED)];
    let n = w.len();
    if n < 8 {
        return (load_short(w), 0);
    }
    let lo = u64::from_le_bytes(w[..8].try_into().expect("8 bytes"));
    // Bytes 8.. are the end of the last eight, past those that repeat `lo`.
    let hi = match n {
        8 => 0,
        _ => u64::from_le_bytes(w[n - 8..].try_into().expect("8 bytes")) >> (8 * (PACKED - n)),
    };
    (lo, hi)
}

/// `w`, of fewer than 8 bytes, as a little-endian integer, zero after its
/// end: its first and last halves (which may overlap, with the same bytes
/// at the same places).
#[inline]
fn load_short(w: &[u8]) -> u64 {
    let n = w.len();
    if n >= 4 {
        let first = u32::from_le_bytes(w[..4].try_into().expect("4 bytes"));
        let last = u32::from_le_bytes(w[n - 4..].try_into().expect("4 bytes"));
        u64::from(first) | u64::from(last) << (8 * (n - 4))
    } else if n >= 2 {
        let first = u16::from_le_bytes(w[..2].try_into().expect("2 bytes"));
        let last = u16::from_le_bytes(w[n - 2..].try_into().expect("2 bytes"));
        u64::from(first) | u64::from(last) << (8 * (n - 2))
    } else {
        w.first().map_or(0, |&b| u64::from(b))
    }
}

impl StemCache {
    /// The stem of `word`, from the cache or stemmed into it, or `None`
    /// while the cache is not worth it yet.
    fn stem(&mut self, word: &str, stemmer: &Stemmer) -> Option<(&str, u64)> {
        if self.slots.is_empty() {
            self.uncached += 1;
            if self.uncached <= STEM_CACHE_AFTER {
                return None;
            }
            self.slots = vec![StemSlot::default(); STEM_CACHE_SLOTS];
        }
        let (lo, hi) = pack(word.as_bytes());
        let len = word.len();
        let h = (lo ^ hi.rotate_left(29) ^ len as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        let a = (h >> 32) as usize % (STEM_CACHE_SLOTS / 2) * 2;
        let hit = |s: &StemSlot| {
            s.lo == lo && s.hi == hi && s.len == len && (len <= PACKED || s.word == word)
        };
        if !hit(&self.slots[a]) {
            // The slot used less recently moves first: it is the one a
            // miss replaces.
            self.slots.swap(a, a + 1);
            if !hit(&self.slots[a]) {
                let slot = &mut self.slots[a];
                (slot.lo, slot.hi, slot.len) = (lo, hi, len);
                slot.word.clear();
                if len > PACKED {
                    slot.word.push_str(word);
                }
                slot.stem.clear();
                slot.stem.push_str(&stem_of(stemmer, word));
                slot.hash = token_hash(&slot.stem);
            }
        }
        let slot = &self.slots[a];
        Some((&slot.stem, slot.hash))
    }
}

impl Normalized {
    pub fn token_count(&self) -> usize {
        self.starts.len()
    }

    /// The index of the token that starts at byte `offset` of `text`.
    pub fn token_at(&self, offset: usize) -> usize {
        match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The tokens, in order.
    pub fn tokens(&self) -> impl Iterator<Item = &str> {
        self.text.split(' ').filter(|t| !t.is_empty())
    }

    /// Token `i`.
    pub fn token(&self, i: usize) -> &str {
        // Tokens are separated by one space, and the text ends with one.
        let start = self.starts[i] as usize;
        let end = match self.starts.get(i + 1) {
            Some(&next) => next as usize - 1,
            None => self.text.len() - 1,
        };
        &self.text[start..end]
    }

    /// Which clause token `i` is in (0 for the first).
    pub fn clause(&self, i: u32) -> usize {
        self.breaks.partition_point(|&b| b <= i)
    }

    /// Which sentence token `i` is in (0 for the first).
    pub fn sentence(&self, i: u32) -> usize {
        self.sentences.partition_point(|&b| b <= i)
    }

    /// Whether token `i` is in the first line of a text of several lines.
    pub fn in_first_line(&self, i: u32) -> bool {
        self.first_line.is_some_and(|n| i < n)
    }
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new()
    }
}

impl Normalizer {
    pub fn new() -> Normalizer {
        Normalizer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// Normalizes `input` into `out`, replacing what `out` held.
    pub fn normalize_into(&self, input: &str, out: &mut Normalized) {
        self.normalize_with(input, out, false);
    }

    /// [`Normalizer::normalize_into`], composing non-ASCII text even when
    /// it is in NFKC already if `always_compose` (to test the shortcut).
    fn normalize_with(&self, input: &str, out: &mut Normalized, always_compose: bool) {
        out.text.clear();
        out.starts.clear();
        out.hashes.clear();
        out.breaks.clear();
        out.sentences.clear();
        out.first_line = None;
        out.pending_break = false;
        out.pending_stop = false;
        out.pending_capital = false;
        out.last_lower = false;
        out.text.push(' ');
        let mut word = std::mem::take(&mut out.word);
        word.clear();
        let mut stems = std::mem::take(&mut out.stems);
        if input.is_ascii() {
            self.normalize_ascii(input, &mut word, out, &mut stems);
        } else if !always_compose && is_nfkc_quick(input.chars()) == IsNormalized::Yes {
            // Already in NFKC, as most non-ASCII feedback is (curly quotes,
            // emoji, precomposed accents): composing it again would give
            // the same characters, at several times the cost.
            self.feed_chars(input.chars(), &mut word, out, &mut stems);
        } else {
            self.feed_chars(input.nfkc(), &mut word, out, &mut stems);
        }
        self.flush(&mut word, out, &mut stems);
        out.word = word;
        out.stems = stems;
        if out
            .first_line
            .is_some_and(|n| n as usize >= out.starts.len())
        {
            out.first_line = None;
        }
    }

    /// Feeds each character of an NFKC text, lowered.
    fn feed_chars(
        &self,
        chars: impl Iterator<Item = char>,
        word: &mut String,
        out: &mut Normalized,
        stems: &mut StemCache,
    ) {
        for c in chars {
            let upper = c.is_uppercase();
            for lc in c.to_lowercase() {
                self.feed(lc, upper, word, out, stems);
            }
        }
    }

    /// The same as feeding `input` to [`Normalizer::feed`] one character at
    /// a time, for ASCII text, a word at a time: most feedback is ASCII, and
    /// this is the hottest loop of tagging. A word already in lower case is
    /// stemmed straight from `input`, without a copy.
    fn normalize_ascii(
        &self,
        input: &str,
        word: &mut String,
        out: &mut Normalized,
        stems: &mut StemCache,
    ) {
        let bytes = input.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let first = class(b);
            if first & ALNUM == 0 {
                // Not in a word (an apostrophe with no word before it
                // included): only clause breaks matter.
                if first & BREAK != 0 {
                    self.clause_break(b, out);
                }
                i += 1;
                continue;
            }
            if first & UPPER != 0 && out.last_lower {
                out.pending_capital = true;
            }
            let start = i;
            // The classes of the word's last letter or digit, and of all.
            let mut last = first;
            let mut cases = first;
            i += 1;
            while i < bytes.len() {
                let c = class(bytes[i]);
                if c & ALNUM != 0 {
                    cases |= c;
                    last = c;
                } else if bytes[i] != b'\'' {
                    break;
                }
                i += 1;
            }
            out.last_lower = last & LOWER != 0;
            if cases & UPPER != 0 {
                word.clear();
                word.extend(
                    bytes[start..i]
                        .iter()
                        .map(|&c| char::from(c.to_ascii_lowercase())),
                );
                self.flush(word, out, stems);
            } else {
                self.push_word(&input[start..i], out, stems);
            }
        }
    }

    /// Where each token of `normalize_into(input)` came from in `input`:
    /// the byte range of the word it was made of (both tokens of "can't"
    /// point at "can't"). Slower than `normalize_into`; for explaining and
    /// quoting, not for the hot path.
    pub fn token_spans(&self, input: &str) -> Vec<(usize, usize)> {
        self.token_spans_by(input, input.is_ascii())
    }

    /// [`Normalizer::token_spans`], a byte at a time when `ascii` (which
    /// `input` then must be), or else by Unicode characters.
    fn token_spans_by(&self, input: &str, ascii: bool) -> Vec<(usize, usize)> {
        let mut out = Normalized::default();
        out.text.push(' ');
        let mut word = String::new();
        let mut stems = StemCache::default();
        let mut spans = Vec::new();
        let (mut start, mut end) = (0, 0);
        // Feeds one character of the normalized text, which came from the
        // input character at bytes i..next.
        let mut feed = |i: usize, next: usize, lc: char, upper: bool, word: &mut String| {
            let was_empty = word.is_empty();
            let before = out.starts.len();
            self.feed(lc, upper, word, &mut out, &mut stems);
            for _ in before..out.starts.len() {
                spans.push((start, end));
            }
            if !word.is_empty() {
                if was_empty {
                    start = i;
                }
                end = next;
            }
        };
        if ascii {
            // NFKC leaves ASCII as it is.
            for (i, &b) in input.as_bytes().iter().enumerate() {
                feed(
                    i,
                    i + 1,
                    b.to_ascii_lowercase().into(),
                    b.is_ascii_uppercase(),
                    &mut word,
                );
            }
        } else {
            let mut buf = [0u8; 4];
            for (i, c) in input.char_indices() {
                let next = i + c.len_utf8();
                let one: &str = c.encode_utf8(&mut buf);
                for nc in one.nfkc() {
                    for lc in nc.to_lowercase() {
                        feed(i, next, lc, nc.is_uppercase(), &mut word);
                    }
                }
            }
        }
        let before = out.starts.len();
        self.flush(&mut word, &mut out, &mut stems);
        for _ in before..out.starts.len() {
            spans.push((start, end));
        }
        spans
    }

    /// The normalized form of a phrase, as a pattern for the automaton
    /// (`" singl sign on "`), or `None` when it has no words.
    pub fn phrase(&self, input: &str) -> Option<String> {
        let mut n = Normalized::default();
        self.normalize_into(input, &mut n);
        (n.token_count() > 0).then_some(n.text)
    }

    /// The stems of a text, one string each.
    pub fn stems(&self, input: &str) -> Vec<String> {
        let mut n = Normalized::default();
        self.normalize_into(input, &mut n);
        n.tokens().map(str::to_string).collect()
    }

    #[inline]
    fn feed(
        &self,
        c: char,
        upper: bool,
        word: &mut String,
        out: &mut Normalized,
        stems: &mut StemCache,
    ) {
        // A combining mark left after composition (a Devanagari vowel sign,
        // an accent with no precomposed letter) belongs to its word.
        if !c.is_ascii() && !word.is_empty() && is_combining_mark(c) {
            word.push(c);
            return;
        }
        if c.is_alphanumeric() {
            if word.is_empty() && upper && out.last_lower {
                out.pending_capital = true;
            }
            out.last_lower = !upper && c.is_alphabetic();
            word.push(c);
        } else if is_apostrophe(c) && !word.is_empty() {
            word.push('\'');
        } else {
            self.flush(word, out, stems);
            if c.is_ascii() && is_break(c as u8) {
                self.clause_break(c as u8, out);
            }
        }
    }

    /// Punctuation or a line break that ends a clause (`b`, an
    /// [`is_break`] byte), and a sentence when it is `. ! ?` or a line
    /// break.
    #[inline]
    fn clause_break(&self, b: u8, out: &mut Normalized) {
        out.pending_break = true;
        out.pending_stop |= matches!(b, b'.' | b'!' | b'?' | b'\n' | b'\r');
        out.last_lower = false;
        if b == b'\n' && out.first_line.is_none() && !out.starts.is_empty() {
            out.first_line = Some(out.starts.len() as u32);
        }
    }

    fn flush(&self, word: &mut String, out: &mut Normalized, stems: &mut StemCache) {
        self.push_word(word, out, stems);
        word.clear();
    }

    /// Pushes the tokens of one word (lower case; letters, digits and
    /// apostrophes): its stem, or the two tokens of a contraction.
    fn push_word(&self, word: &str, out: &mut Normalized, stems: &mut StemCache) {
        // Bytes, not `trim_matches`: an apostrophe is one byte, and this
        // runs for every word of every item.
        let b = word.as_bytes();
        let lead = b.iter().take_while(|&&c| c == b'\'').count();
        let trail = b[lead..].iter().rev().take_while(|&&c| c == b'\'').count();
        let trimmed = &word[lead..word.len() - trail];
        match trimmed.as_bytes().last() {
            None => return,
            // Every contraction below ends in a t: most words skip them.
            Some(&last) if last != b't' => return self.push_stem(trimmed, out, stems),
            Some(_) => {}
        }
        if let Some(base) = trimmed.strip_suffix("n't") {
            let base = match base {
                "ca" => "can",
                "wo" => "will",
                "sha" => "shall",
                "ai" => "is",
                b => b,
            };
            if !base.is_empty() {
                self.push_stem(base, out, stems);
            }
            self.push_token("not", NOT_HASH, out);
        } else if let Some(base) = contraction_without_apostrophe(trimmed) {
            self.push_stem(base, out, stems);
            self.push_token("not", NOT_HASH, out);
        } else {
            self.push_stem(trimmed, out, stems);
        }
    }

    fn push_stem(&self, word: &str, out: &mut Normalized, stems: &mut StemCache) {
        match stems.stem(word, &self.stemmer) {
            Some((stem, hash)) => self.push_token(stem, hash, out),
            None => {
                let stem = self.stem(word);
                self.push_token(&stem, token_hash(&stem), out);
            }
        }
    }

    /// The Snowball stem of `word`, except for the few words whose stem
    /// would make them another, commoner word ([`OWN_STEMS`]).
    fn stem<'w>(&self, word: &'w str) -> std::borrow::Cow<'w, str> {
        stem_of(&self.stemmer, word)
    }

    #[inline(always)]
    fn push_token(&self, token: &str, hash: u64, out: &mut Normalized) {
        let index = out.starts.len() as u32;
        let capital = out.pending_capital && index > 0 && {
            let prev = out.token(index as usize - 1);
            !FUNCTION_WORDS.contains(&prev)
        };
        if ((out.pending_break || capital) && index > 0) || token == "but" {
            out.breaks.push(index);
        }
        if (out.pending_stop || capital) && index > 0 {
            out.sentences.push(index);
        }
        out.pending_break = false;
        out.pending_stop = false;
        out.pending_capital = false;
        out.starts.push(out.text.len() as u32);
        out.hashes.push(hash);
        out.text.push_str(token);
        out.text.push(' ');
    }
}

/// The 64-bit FNV-1a hash of a token: cheap, and the same in every run.
/// Equal tokens have equal hashes; what looks a token up by its hash must
/// still compare the token (a hash can collide, by chance or by design).
pub const fn token_hash(token: &str) -> u64 {
    let b = token.as_bytes();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < b.len() {
        h = (h ^ b[i] as u64).wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    h
}

/// [`token_hash`] of the `not` that a contraction adds.
const NOT_HASH: u64 = token_hash("not");

/// The Snowball stem of `word`, or its own stem from [`OWN_STEMS`].
pub(crate) fn stem_of<'w>(stemmer: &Stemmer, word: &'w str) -> std::borrow::Cow<'w, str> {
    match OWN_STEMS.iter().find(|(w, _)| *w == word) {
        Some(&(_, stem)) => std::borrow::Cow::Borrowed(stem),
        None => stemmer.stem(word),
    }
}

/// Words that keep a stem of their own: Snowball folds "useful" into "use",
/// "helpful" into "help", "hardly" into "hard" and "exception" into
/// "except", so a phrase written with one would match every text with the
/// other ("the app used to crash" would praise it as useful, and "great
/// except for the ads" would report an exception).
const OWN_STEMS: &[(&str, &str)] = &[
    ("useful", "useful"),
    ("usefulness", "useful"),
    ("helpful", "helpful"),
    ("helpfulness", "helpful"),
    ("hardly", "hardly"),
    ("exception", "exception"),
    ("exceptions", "exception"),
];

/// Words after which a capitalized word is a name, not a new sentence.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "our", "the",
    "to", "with", "my", "your", "their", "via", "i", "use", "and", "like",
    // Determiners and negations, as stems: "the new Slack app", "this
    // Jira board", "not Okta" ("any" stems to "ani"). Not "it": "love it
    // Please add" lost its full stop.
    "new", "this", "that", "these", "those", "his", "her", "ani", "everi", "some", "each", "no",
    "not", "old",
];

/// Contractions typed without their apostrophe ("dont", "cant"), as the
/// word before "not"; "cannot" too.
fn contraction_without_apostrophe(word: &str) -> Option<&'static str> {
    Some(match word {
        "cannot" | "cant" => "can",
        "dont" => "do",
        "doesnt" => "does",
        "didnt" => "did",
        "wont" => "will",
        "isnt" => "is",
        "wasnt" => "was",
        "arent" => "are",
        "werent" => "were",
        "couldnt" => "could",
        "wouldnt" => "would",
        "shouldnt" => "should",
        "havent" => "have",
        "hasnt" => "has",
        "hadnt" => "had",
        _ => return None,
    })
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Whether a string has anything that normalizes to a token.
pub fn has_word(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-at-a-time path, which the ASCII fast path must match.
    fn norm_by_chars(s: &str) -> Normalized {
        let n = Normalizer::new();
        let mut out = Normalized::default();
        out.text.push(' ');
        let mut word = String::new();
        let mut stems = StemCache::default();
        for c in s.chars() {
            n.feed(
                c.to_ascii_lowercase(),
                c.is_ascii_uppercase(),
                &mut word,
                &mut out,
                &mut stems,
            );
        }
        n.flush(&mut word, &mut out, &mut stems);
        if out
            .first_line
            .is_some_and(|k| k as usize >= out.starts.len())
        {
            out.first_line = None;
        }
        out
    }

    /// Normalizes `s` by the ASCII fast path and by chars, and checks that
    /// both give the same tokens, breaks, sentences and first line.
    fn fast_path_agrees(s: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        let mut fast = Normalized::default();
        Normalizer::new().normalize_into(s, &mut fast);
        let slow = norm_by_chars(s);
        proptest::prop_assert_eq!(&fast.text, &slow.text);
        proptest::prop_assert_eq!(&fast.starts, &slow.starts);
        proptest::prop_assert_eq!(&fast.breaks, &slow.breaks);
        proptest::prop_assert_eq!(&fast.sentences, &slow.sentences);
        proptest::prop_assert_eq!(fast.first_line, slow.first_line);
        let tokens: Vec<&str> = fast.tokens().collect();
        let by_index: Vec<&str> = (0..fast.token_count()).map(|i| fast.token(i)).collect();
        proptest::prop_assert_eq!(tokens, by_index);
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_matches_char_path(s in "[ -~\t\r\n]{0,80}") {
            fast_path_agrees(&s)?;
        }

        #[test]
        fn ascii_spans_match_the_char_path(s in "[ -~\t\r\n]{0,80}") {
            let n = Normalizer::new();
            proptest::prop_assert_eq!(n.token_spans_by(&s, true), n.token_spans_by(&s, false));
        }

        #[test]
        fn packing_reads_the_first_sixteen_bytes(word in proptest::collection::vec(0u8..=255, 0..40)) {
            let mut b = [0u8; PACKED];
            let n = word.len().min(PACKED);
            b[..n].copy_from_slice(&word[..n]);
            let copied = (
                u64::from_le_bytes(b[..8].try_into().unwrap()),
                u64::from_le_bytes(b[8..].try_into().unwrap()),
            );
            proptest::prop_assert_eq!(pack(&word), copied);
        }

        #[test]
        fn ascii_fast_path_matches_on_words(s in "([A-Za-z']{1,7}[ ,.\n]{1,2}){0,12}") {
            fast_path_agrees(&s)?;
        }
    }

    fn norm(s: &str) -> String {
        let mut n = Normalized::default();
        Normalizer::new().normalize_into(s, &mut n);
        n.text
    }

    #[test]
    fn lowercases_tokenizes_and_stems() {
        assert_eq!(norm("Exporting EXPORTS, export!"), " export export export ");
        assert_eq!(norm(""), " ");
        assert_eq!(norm("  ...  "), " ");
    }

    proptest::proptest! {
        /// Text already in NFKC skips composing, with the same result.
        #[test]
        fn text_in_nfkc_normalizes_as_if_composed(
            s in "[ a-zA-Z'’.,!?\n]{0,12}[éÉüßİΣçñ👍…ﬁＳ\u{301}\u{2019}\u{a0}][ a-zA-Zé’'.\n]{0,12}"
        ) {
            let n = Normalizer::new();
            let (mut quick, mut composed) = (Normalized::default(), Normalized::default());
            n.normalize_into(&s, &mut quick);
            n.normalize_with(&s, &mut composed, true);
            proptest::prop_assert_eq!(&quick.text, &composed.text);
            proptest::prop_assert_eq!(&quick.starts, &composed.starts);
            proptest::prop_assert_eq!(&quick.hashes, &composed.hashes);
            proptest::prop_assert_eq!(&quick.breaks, &composed.breaks);
            proptest::prop_assert_eq!(&quick.sentences, &composed.sentences);
            proptest::prop_assert_eq!(quick.first_line, composed.first_line);
        }
    }

    #[test]
    fn nfkc_folds_compatibility_forms() {
        // Full-width letters and the "ﬁ" ligature become plain letters.
        assert_eq!(norm("ＳＳＯ"), " sso ");
        assert_eq!(norm("ﬁle"), norm("file"));
    }

    #[test]
    fn contractions_split_into_not() {
        assert_eq!(norm("can't"), " can not ");
        assert_eq!(norm("Can’t"), " can not ");
        assert_eq!(norm("cannot"), " can not ");
        assert_eq!(norm("won't"), " will not ");
        assert_eq!(norm("doesn't"), norm("does not"));
        assert_eq!(norm("doesnt"), norm("does not"));
        assert_eq!(norm("cant"), " can not ");
    }

    #[test]
    fn punctuation_separates_tokens() {
        assert_eq!(norm("single sign-on"), " singl sign on ");
        assert_eq!(norm("e-mail/slack"), " e mail slack ");
    }

    #[test]
    fn token_offsets_point_at_tokens() {
        let mut n = Normalized::default();
        Normalizer::new().normalize_into("the rapid api", &mut n);
        assert_eq!(n.token_count(), 3);
        let api = n.text.find(" api ").unwrap() + 1;
        assert_eq!(n.token_at(api), 2);
        assert_eq!(n.tokens().collect::<Vec<_>>(), ["the", "rapid", "api"]);
    }

    #[test]
    fn clauses_break_at_punctuation_and_but() {
        let mut n = Normalized::default();
        Normalizer::new().normalize_into("if it fails, we lose data. It is fine but slow", &mut n);
        let clauses: Vec<usize> = (0..n.token_count() as u32).map(|i| n.clause(i)).collect();
        assert_eq!(clauses, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3]);
        let sentences: Vec<usize> = (0..n.token_count() as u32).map(|i| n.sentence(i)).collect();
        assert_eq!(sentences, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    }

    #[test]
    fn a_capital_after_a_lower_case_word_starts_a_clause() {
        let mut n = Normalized::default();
        let norm = Normalizer::new();
        norm.normalize_into("cant upload Please fix", &mut n);
        assert_eq!(n.breaks, [3]);
        assert_eq!(n.sentences, [3]);
        // Not after a function word: "Slack" is a name.
        norm.normalize_into("no problem with Slack", &mut n);
        assert!(n.breaks.is_empty());
        norm.normalize_into("no problem with the new Slack app", &mut n);
        assert!(n.breaks.is_empty());
        norm.normalize_into("the app is not Crashing", &mut n);
        assert!(n.breaks.is_empty());
        for text in [
            "works with any Slack app",
            "works with every Jira board",
            "those Zapier zaps",
            "each Figma file",
        ] {
            norm.normalize_into(text, &mut n);
            assert!(n.breaks.is_empty(), "{text}: {:?}", n.breaks);
        }
        norm.normalize_into("ALL CAPS TEXT", &mut n);
        assert!(n.breaks.is_empty());
    }

    #[test]
    fn first_line_is_known_only_when_more_follows() {
        let mut n = Normalized::default();
        let norm = Normalizer::new();
        norm.normalize_into("Export fails\nsince Monday the CSV is empty", &mut n);
        assert_eq!(n.first_line, Some(2));
        assert!(n.in_first_line(1) && !n.in_first_line(2));
        norm.normalize_into("one line only\n", &mut n);
        assert_eq!(n.first_line, None);
    }

    #[test]
    fn token_spans_point_back_into_the_input() {
        let input = "Can't EXPORT the ﬁles, nai\u{308}ve café!";
        let norm = Normalizer::new();
        let spans = norm.token_spans(input);
        let mut n = Normalized::default();
        norm.normalize_into(input, &mut n);
        assert_eq!(spans.len(), n.token_count());
        let words: Vec<&str> = spans.iter().map(|&(a, b)| &input[a..b]).collect();
        assert_eq!(
            words,
            [
                "Can't",
                "Can't",
                "EXPORT",
                "the",
                "ﬁles",
                "nai\u{308}ve",
                "café"
            ]
        );
    }

    #[test]
    fn the_stem_cache_never_changes_a_result() {
        let n = Normalizer::new();
        // Long words too, which differ only after the packed bytes.
        let text: String = (0..5000)
            .map(|i| {
                format!(
                    "exporting{i} crashes running{} internationalizations{} ",
                    i % 7,
                    i % 3
                )
            })
            .collect();
        let mut warm = Normalized::default();
        n.normalize_into(&text, &mut warm);
        n.normalize_into(&text, &mut warm);
        let mut cold = Normalized::default();
        n.normalize_into(&text, &mut cold);
        assert_eq!(warm.text, cold.text);
        let direct: Vec<String> = text
            .split_whitespace()
            .map(|w| n.stem(w).into_owned())
            .collect();
        assert_eq!(warm.tokens().collect::<Vec<_>>(), direct);
    }

    #[test]
    fn a_word_keeps_its_own_stem_where_snowball_would_merge_it() {
        let n = Normalizer::new();
        let stems = |text: &str| {
            let mut out = Normalized::default();
            n.normalize_into(text, &mut out);
            out.tokens().map(str::to_string).collect::<Vec<_>>()
        };
        assert_eq!(
            stems("useful used helpful helps hardly hard exceptions except"),
            [
                "useful",
                "use",
                "helpful",
                "help",
                "hardly",
                "hard",
                "exception",
                "except"
            ]
        );
        // Through the stem cache too.
        let many = "useful used ".repeat(400);
        assert!(stems(&many).chunks(2).all(|pair| pair == ["useful", "use"]));
    }

    #[test]
    fn phrase_of_nothing_is_none() {
        assert_eq!(Normalizer::new().phrase("!!"), None);
        assert_eq!(
            Normalizer::new().phrase("Dark Mode").as_deref(),
            Some(" dark mode ")
        );
    }
}
