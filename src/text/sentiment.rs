//! Sentiment in [-1, 1], by the rules of VADER (Hutto & Gilbert, "VADER: A
//! Parsimonious Rule-based Model for Sentiment Analysis of Social Media
//! Text", ICWSM 2014) with its human-rated lexicon, taken from the
//! `vader_sentiment` crate, plus product-feedback rules of ours.
//!
//! The constants (booster ±0.293, all-caps 0.733, negation ×−0.74, `!`
//! 0.292, `?` 0.18, normalization α = 15) are the paper's published values.
//! This is our own implementation, written for speed: one pass over the
//! words, one table lookup per word, no regular expressions, and buffers
//! reused between calls on the same thread.
//!
//! What VADER lacks for product feedback, and this adds:
//! - a product lexicon ("crashes", "laggy", "unusable", "junk", "refund");
//! - a broken function: a negation right before a verb of something working
//!   ("doesn't work", "can't log in", "won't load", "would not recognize")
//!   is a complaint, where VADER sees nothing (those verbs are neutral);
//! - something that stopped: "stopped working", "quit syncing";
//! - a few complaint idioms ("still waiting", "lost my data", "save your
//!   money", "send it back").
//!
//! As in VADER 3.3, a negation word only negates when it is not itself a
//! sentiment word, and "no" negates the word or two after it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::text::ascii::{class, ALNUM, LOWER, MARK, SPACE, UPPER};

const BOOST: f64 = 0.293;
const CAPS_BOOST: f64 = 0.733;
const NEGATION: f64 = -0.74;
const EXCLAIM: f64 = 0.292;
const QUESTION: f64 = 0.18;
const ALPHA: f64 = 15.0;

/// Words that push the next sentiment word up (`very`, `extremely`).
const BOOSTERS_UP: &[&str] = &[
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerably",
    "decidedly",
    "deeply",
    "enormously",
    "entirely",
    "especially",
    "exceptionally",
    "extremely",
    "fabulously",
    "freaking",
    "frickin",
    "fricking",
    "fully",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredibly",
    "insanely",
    "intensely",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "super",
    "thoroughly",
    "totally",
    "tremendously",
    "truly",
    "unbelievably",
    "unusually",
    "utterly",
    "very",
    "way",
];

/// Words that damp the next sentiment word (`slightly`, `kinda`).
const BOOSTERS_DOWN: &[&str] = &[
    "almost",
    "barely",
    "hardly",
    "kinda",
    "less",
    "little",
    "marginally",
    "occasionally",
    "partly",
    "scarcely",
    "slightly",
    "somewhat",
    "sorta",
];

/// Words that flip the polarity of what follows within three words.
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nope", "nor", "nothing", "nowhere", "neither", "without",
    "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "wasnt", "werent", "arent", "wont",
    "wouldnt", "couldnt", "shouldnt", "havent", "hasnt", "hadnt", "aint", "rarely", "seldom",
    "despite",
];

/// Product-feedback words VADER's lexicon lacks or under-weights, on the
/// lexicon's −4..+4 scale.
const PRODUCT_LEXICON: &[(&str, f64)] = &[
    ("crash", -2.0),
    ("crashes", -2.0),
    ("crashed", -2.0),
    ("crashing", -2.2),
    ("crashy", -2.0),
    ("buggy", -2.0),
    ("glitchy", -1.6),
    ("laggy", -1.6),
    ("sluggish", -1.4),
    ("unusable", -2.8),
    ("unresponsive", -1.8),
    ("freezes", -1.6),
    ("freezing", -1.4),
    ("timeout", -1.2),
    ("timeouts", -1.4),
    ("outage", -2.2),
    ("downtime", -1.8),
    ("workaround", -0.8),
    ("clunky", -1.5),
    ("janky", -1.6),
    ("flaky", -1.5),
    ("junk", -2.0),
    ("refund", -1.2),
    ("nonexistent", -1.5),
    ("paperweight", -1.8),
    ("flimsy", -1.5),
    ("overpriced", -1.5),
    ("malfunction", -2.0),
    ("malfunctions", -2.0),
    ("malfunctioning", -2.0),
    ("unreliable", -1.8),
    ("froze", -1.5),
    ("glitch", -1.5),
    ("glitches", -1.5),
    ("bug", -1.0),
    ("bugs", -1.2),
    ("garbage", -2.0),
    ("hassle", -1.5),
    ("poorly", -1.5),
    ("cheaply", -1.2),
    ("slow", -1.0),
    ("intuitive", 1.5),
    ("seamless", 1.5),
    ("reliable", 1.5),
    ("sturdy", 1.2),
    ("snappy", 1.2),
    ("smooth", 1.2),
    // Misspellings common enough in feedback to matter.
    ("disapointed", -2.1),
    ("dissapointed", -2.1),
    ("disapointing", -2.2),
];

/// Verbs of a product doing its job. Neutral on their own; right after a
/// negation ("doesn't work", "can't log in") they are a complaint, and
/// after a stop ("stopped syncing") a worse one.
const FUNCTIONAL: &[&str] = &[
    "work",
    "works",
    "worked",
    "working",
    "function",
    "functions",
    "functioned",
    "functioning",
    "load",
    "loads",
    "loaded",
    "loading",
    "open",
    "opens",
    "opened",
    "opening",
    "play",
    "plays",
    "played",
    "playing",
    "start",
    "starts",
    "started",
    "starting",
    "connect",
    "connects",
    "connected",
    "connecting",
    "sync",
    "syncs",
    "synced",
    "syncing",
    "recognize",
    "recognizes",
    "recognized",
    "recognizing",
    "respond",
    "responds",
    "responded",
    "responding",
    "charge",
    "charges",
    "charged",
    "charging",
    "print",
    "prints",
    "printing",
    "install",
    "installs",
    "installed",
    "installing",
    "update",
    "updates",
    "updated",
    "updating",
    "upload",
    "uploads",
    "uploaded",
    "uploading",
    "download",
    "downloads",
    "downloaded",
    "downloading",
    "login",
    "log",
    "logging",
    "launch",
    "launches",
    "launched",
    "launching",
    "boot",
    "boots",
    "booting",
    "display",
    "displays",
    "displaying",
    "detect",
    "detects",
    "detected",
    "detecting",
    "run",
    "runs",
    "running",
    "export",
    "exports",
    "exporting",
    "import",
    "imports",
    "importing",
    // Buying: "do not buy", "will never purchase again".
    "buy",
    "purchase",
    "order",
];

/// Valence of a functional verb after a negation, and after a stop.
const BROKEN: f64 = -2.0;
const STOPPED: f64 = -2.3;

/// Words that say something stopped: "stopped working", "quit syncing".
const STOPPERS: &[&str] = &["stopped", "stops", "quit", "ceased"];

/// Adverbs that may stand between a negation and the verb it negates
/// ("doesn't even load", "won't always sync").
const BETWEEN: &[&str] = &[
    "even",
    "ever",
    "always",
    "really",
    "properly",
    "correctly",
    "consistently",
    "reliably",
    "actually",
    "fully",
    "yet",
    "still",
];

/// Multi-word complaints and praise, matched on lower-case words, on the
/// lexicon's scale. Each replaces the valence of its last word; a phrase
/// carries its own negation, so only the words before it are looked at.
const PRODUCT_PHRASES: &[(&[&str], f64)] = &[
    (&["still", "waiting"], -1.8),
    (&["lost", "my", "data"], -3.0),
    (&["lost", "our", "data"], -3.0),
    (&["lost", "all", "my"], -2.5),
    (&["data", "loss"], -3.0),
    (&["keeps", "crashing"], -2.6),
    (&["times", "out"], -1.4),
    (&["timing", "out"], -1.4),
    (&["timed", "out"], -1.4),
    (&["takes", "forever"], -1.8),
    (&["took", "forever"], -1.8),
    (&["save", "your", "money"], -2.0),
    (&["send", "it", "back"], -1.5),
    (&["sent", "it", "back"], -1.5),
    (&["return", "it"], -1.2),
    (&["returned", "it"], -1.5),
    // VADER's own special-case idioms.
    (&["the", "shit"], 3.0),
    (&["the", "bomb"], 3.0),
    (&["bad", "ass"], 1.5),
    (&["yeah", "right"], -2.0),
    (&["kiss", "of", "death"], -1.5),
    (&["to", "die", "for"], 3.0),
];

#[derive(Debug, Clone, Copy, Default)]
struct Info {
    /// Lexicon valence, when the word is in the lexicon.
    valence: Option<f64>,
    /// Booster increment (positive or negative), 0 when not a booster.
    booster: f64,
    negation: bool,
    functional: bool,
    stopper: bool,
    between: bool,
    /// Which of the [`SPECIAL`] words the rules look for this is.
    special: Special,
    /// Last word of at least one product phrase: 1 + its index into
    /// [`Lexicon::ends`]; 0 when it ends none.
    phrase_end: u16,
}

/// Words the rules compare against, looked up once per word with the rest
/// of the lexicon instead of compared as strings at every use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Special {
    #[default]
    None,
    Kind,
    Of,
    No,
    Or,
    Nor,
    Never,
    So,
    This,
    Least,
    At,
    Very,
    But,
}

const SPECIAL: [(&str, Special); 12] = [
    ("kind", Special::Kind),
    ("of", Special::Of),
    ("no", Special::No),
    ("or", Special::Or),
    ("nor", Special::Nor),
    ("never", Special::Never),
    ("so", Special::So),
    ("this", Special::This),
    ("least", Special::Least),
    ("at", Special::At),
    ("very", Special::Very),
    ("but", Special::But),
];

/// The lexicon's keys are fixed, so a fixed seed is safe, and it keeps
/// every run alike.
type FxMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

struct Lexicon {
    /// The words of up to [`PACKED`] bytes, found by their bytes packed
    /// into two integers (see [`pack`]): open addressing, a power of two
    /// long and at most half full. Hashing a short word and comparing it
    /// are then a few integer operations, with no string hash or memcmp.
    slots: Vec<Slot>,
    /// What [`Slot::info`] points at.
    infos: Vec<Info>,
    /// The longer words.
    long: FxMap<Box<str>, Info>,
    /// For each word that ends product phrases, those phrases (indices
    /// into [`PRODUCT_PHRASES`], in order).
    ends: Vec<Vec<u16>>,
}

/// Words of up to this many bytes are kept in [`Lexicon::slots`].
const PACKED: usize = 16;

/// One word of [`Lexicon::slots`]: its packed bytes, its length, and 1 +
/// its index into [`Lexicon::infos`] (0 for an empty slot).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    lo: u64,
    hi: u64,
    len: u32,
    info: u32,
}

/// A word of at most [`PACKED`] bytes as two little-endian integers, zero
/// after its end. With its length it identifies the word.
fn pack(word: &[u8]) -> (u64, u64) {
    let mut b = [0u8; PACKED];
    b[..word.len()].copy_from_slice(word);
    let (lo, hi) = b.split_at(8);
    (
        u64::from_le_bytes(lo.try_into().expect("8 bytes")),
        u64::from_le_bytes(hi.try_into().expect("8 bytes")),
    )
}

/// The first [`PACKED`] bytes at the start of `bytes` (which must hold
/// that many), packed as [`pack`] packs its first `len` (at most
/// [`PACKED`]): two loads and two masks instead of a copy.
#[inline]
fn pack_prefix(bytes: &[u8], len: usize) -> (u64, u64) {
    let lo = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
    let hi = u64::from_le_bytes(bytes[8..PACKED].try_into().expect("8 bytes"));
    let mask = |n: usize| match n {
        0 => 0,
        8.. => u64::MAX,
        n => u64::MAX >> (64 - 8 * n),
    };
    (lo & mask(len), hi & mask(len.saturating_sub(8)))
}

impl Lexicon {
    #[inline]
    fn get(&self, w: &str) -> Info {
        if w.len() <= PACKED {
            let (lo, hi) = pack(w.as_bytes());
            self.get_packed(lo, hi, w.len())
        } else {
            self.long.get(w).copied().unwrap_or_default()
        }
    }

    /// The word of `len` bytes (at most [`PACKED`]) that [`pack`] packs
    /// into `lo` and `hi`.
    #[inline]
    fn get_packed(&self, lo: u64, hi: u64, len: usize) -> Info {
        let mask = self.slots.len() - 1;
        let mut i = slot_hash(lo, hi, len) & mask;
        loop {
            let s = &self.slots[i];
            if s.info == 0 {
                return Info::default();
            }
            if s.lo == lo && s.hi == hi && s.len as usize == len {
                return self.infos[s.info as usize - 1];
            }
            i = (i + 1) & mask;
        }
    }
}

#[inline]
fn slot_hash(lo: u64, hi: u64, len: usize) -> usize {
    let h = (lo.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ hi ^ len as u64)
        .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    (h >> 32) as usize
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut words: FxMap<Box<str>, Info> = FxMap::default();
        fn entry<'m>(words: &'m mut FxMap<Box<str>, Info>, w: &str) -> &'m mut Info {
            words.entry(w.into()).or_default()
        }
        for (k, v) in vader_sentiment::LEXICON.iter() {
            entry(&mut words, &k.to_lowercase()).valence = Some(*v);
        }
        for (w, v) in PRODUCT_LEXICON {
            entry(&mut words, w).valence = Some(*v);
        }
        for w in BOOSTERS_UP {
            entry(&mut words, w).booster = BOOST;
        }
        for w in BOOSTERS_DOWN {
            entry(&mut words, w).booster = -BOOST;
        }
        for w in NEGATIONS {
            entry(&mut words, w).negation = true;
        }
        for w in FUNCTIONAL {
            entry(&mut words, w).functional = true;
        }
        for w in STOPPERS {
            entry(&mut words, w).stopper = true;
        }
        for w in BETWEEN {
            entry(&mut words, w).between = true;
        }
        for (w, special) in SPECIAL {
            entry(&mut words, w).special = special;
        }
        let mut ends: Vec<Vec<u16>> = Vec::new();
        for (k, (phrase, _)) in PRODUCT_PHRASES.iter().enumerate() {
            if let Some(last) = phrase.last() {
                let info = entry(&mut words, last);
                if info.phrase_end == 0 {
                    ends.push(Vec::new());
                    info.phrase_end = u16::try_from(ends.len()).expect("few phrases");
                }
                ends[usize::from(info.phrase_end) - 1].push(k as u16);
            }
        }
        let mut infos = Vec::new();
        let mut long = FxMap::default();
        let short: Vec<(Box<str>, Info)> = words
            .into_iter()
            .filter_map(|(w, info)| {
                if w.len() <= PACKED {
                    Some((w, info))
                } else {
                    long.insert(w, info);
                    None
                }
            })
            .collect();
        let mut slots = vec![Slot::default(); (short.len() * 2).next_power_of_two().max(2)];
        let mask = slots.len() - 1;
        for (w, info) in short {
            infos.push(info);
            let (lo, hi) = pack(w.as_bytes());
            let mut i = slot_hash(lo, hi, w.len()) & mask;
            while slots[i].info != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = Slot {
                lo,
                hi,
                len: w.len() as u32,
                info: u32::try_from(infos.len()).expect("fewer than 2^32 words"),
            };
        }
        Lexicon {
            slots,
            infos,
            long,
            ends,
        }
    })
}

/// Forces the lexicon to load, so the first item does not pay for it.
pub fn warm_up() {
    lexicon();
}

/// One word of the text: where it is in the text and in the lower-case
/// buffer, and what the lexicon says about it.
#[derive(Debug, Clone, Copy)]
struct Word {
    raw: (u32, u32),
    lower: (u32, u32),
    info: Info,
    shouting: bool,
    /// Ends in "n't".
    contraction: bool,
}

#[derive(Default)]
struct Buffers {
    lower: String,
    words: Vec<Word>,
    valences: Vec<f64>,
}

thread_local! {
    static BUFFERS: RefCell<Buffers> = RefCell::new(Buffers::default());
}

/// One word's contribution, for `tag --explain`.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    pub word: String,
    pub valence: f64,
}

/// The compound sentiment of a text: −1 most negative, +1 most positive.
pub fn sentiment(text: &str) -> f64 {
    BUFFERS.with(|b| score(text, &mut b.borrow_mut(), None))
}

/// The sentiment and the words that made it, strongest first.
pub fn sentiment_terms(text: &str) -> (f64, Vec<Term>) {
    let mut terms = Vec::new();
    let s = score(text, &mut Buffers::default(), Some(&mut terms));
    terms.sort_by(|a, b| b.valence.abs().total_cmp(&a.valence.abs()));
    (s, terms)
}

fn score(text: &str, buf: &mut Buffers, terms: Option<&mut Vec<Term>>) -> f64 {
    let lex = lexicon();
    let marks = split_words(text, lex, buf);
    let Buffers {
        lower,
        words,
        valences,
    } = buf;
    if words.is_empty() {
        return 0.0;
    }
    let lower = lower.as_str();
    let caps_differ = {
        let caps = words.iter().filter(|w| w.shouting).count();
        caps > 0 && caps < words.len()
    };

    valences.clear();
    valences.resize(words.len(), 0.0);
    for i in 0..words.len() {
        let w = &words[i];
        if w.info.booster != 0.0 {
            continue;
        }
        if w.info.special == Special::Kind
            && words
                .get(i + 1)
                .is_some_and(|n| n.info.special == Special::Of)
        {
            continue;
        }
        let (mut v, span) = if let Some((v, span)) = product_valence(words, i, lower, lex) {
            // The phrase's words count once, as the phrase.
            valences[i + 1 - span..i].fill(0.0);
            (v, span)
        } else if let Some(mut v) = w.info.valence {
            // "no" before a sentiment word negates it rather than counting
            // as a word of its own (VADER 3.3).
            if w.info.special == Special::No
                && words.get(i + 1).is_some_and(|n| n.info.valence.is_some())
            {
                v = 0.0;
            }
            if (i >= 1 && words[i - 1].info.special == Special::No)
                || (i >= 2 && words[i - 2].info.special == Special::No)
                || (i >= 3
                    && words[i - 3].info.special == Special::No
                    && matches!(words[i - 1].info.special, Special::Or | Special::Nor))
            {
                v *= NEGATION;
            }
            (v, 1)
        } else {
            continue;
        };
        if caps_differ && w.shouting {
            v += CAPS_BOOST * v.signum();
        }
        for back in 1..=3 {
            if i + 1 < back + span {
                break;
            }
            let prev = &words[i + 1 - back - span];
            if prev.info.valence.is_none() && prev.info.booster != 0.0 {
                let mut b = prev.info.booster;
                if v < 0.0 {
                    b = -b;
                }
                if caps_differ && prev.shouting {
                    b += CAPS_BOOST * v.signum();
                }
                v += b * [1.0, 0.95, 0.9][back - 1];
            }
            if prev.info.valence.is_none() && is_negation(prev) {
                // "never so good" intensifies rather than negates.
                let never_so = back > 1
                    && prev.info.special == Special::Never
                    && matches!(
                        words[i + 2 - back - span].info.special,
                        Special::So | Special::This
                    );
                v *= if never_so { 1.25 } else { NEGATION };
            }
        }
        if i > 0
            && words[i - 1].info.special == Special::Least
            && !(i > 1 && matches!(words[i - 2].info.special, Special::At | Special::Very))
        {
            v *= NEGATION;
        }
        valences[i] = v;
    }

    // "but" shifts the weight onto what follows it.
    if let Some(b) = words.iter().position(|w| w.info.special == Special::But) {
        for (i, v) in valences.iter_mut().enumerate() {
            if i < b {
                *v *= 0.5;
            } else if i > b {
                *v *= 1.5;
            }
        }
    }

    if let Some(terms) = terms {
        for (w, v) in words.iter().zip(valences.iter()) {
            if *v != 0.0 {
                terms.push(Term {
                    word: text[w.raw.0 as usize..w.raw.1 as usize].to_string(),
                    valence: *v,
                });
            }
        }
    }

    let mut sum: f64 = valences.iter().sum();
    if sum != 0.0 {
        let (bangs, questions) =
            marks.unwrap_or_else(|| (text.matches('!').count(), text.matches('?').count()));
        let bangs = bangs.min(4) as f64 * EXCLAIM;
        let questions = match questions {
            0 | 1 => 0.0,
            n @ 2..=3 => n as f64 * QUESTION,
            _ => 0.96,
        };
        sum += (bangs + questions) * sum.signum();
    }
    (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0)
}

/// Splits on whitespace, strips punctuation around words (not around
/// emoticons such as ":)"), drops one-character words, and looks each word
/// up once. Returns how many `!` and `?` the text has when that came for
/// free (see [`split_ascii_words`]).
fn split_words(text: &str, lex: &Lexicon, buf: &mut Buffers) -> Option<(usize, usize)> {
    buf.lower.clear();
    buf.words.clear();
    if text.is_ascii() {
        return split_ascii_words(text, lex, buf);
    }
    split_words_by_chars(text, lex, buf);
    None
}

/// What [`split_ascii_words`] appends to the lowered text.
const ZEROS: &str = "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
const _: () = assert!(ZEROS.len() == PACKED);

/// [`split_words`] for ASCII text, on bytes; most feedback is ASCII. The
/// whole text is lowered at once, so a word's lower-case form is at the
/// same place in `buf.lower` as the word in `text`, and is looked up there
/// without a copy. `buf.lower` ends with [`PACKED`] zero bytes, so that
/// every word can be packed with two loads ([`pack_prefix`]). Returns
/// (0, 0) as the counts of `!` and `?` when the scan met neither, which is
/// most texts; `None` when it did, for the caller to count them.
fn split_ascii_words(text: &str, lex: &Lexicon, buf: &mut Buffers) -> Option<(usize, usize)> {
    buf.lower.push_str(text);
    buf.lower.make_ascii_lowercase();
    buf.lower.push_str(ZEROS);
    let Buffers { lower, words, .. } = buf;
    let low = lower.as_bytes();
    let bytes = text.as_bytes();
    // The classes of every byte that is not white space.
    let mut seen = 0;
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && class(bytes[i]) & SPACE != 0 {
            i += 1;
        }
        let start = i;
        // Stripping takes only punctuation, which is neither upper nor
        // lower case, so the token's cases are the word's.
        let mut cases = 0;
        while i < bytes.len() {
            let c = class(bytes[i]);
            if c & SPACE != 0 {
                break;
            }
            cases |= c;
            i += 1;
        }
        seen |= cases;
        if start == i {
            continue;
        }
        let (has_upper, has_lower) = (cases & UPPER != 0, cases & LOWER != 0);
        let (s, e) = strip_ascii_punctuation(bytes, start, i);
        let len = e - s;
        if len < 2 {
            continue;
        }
        let info = if len <= PACKED {
            let (lo, hi) = pack_prefix(&low[s..], len);
            lex.get_packed(lo, hi, len)
        } else {
            lex.get(&lower[s..e])
        };
        words.push(Word {
            raw: (s as u32, e as u32),
            lower: (s as u32, e as u32),
            info,
            shouting: has_upper && !has_lower,
            contraction: low[s..e].ends_with(b"n't"),
        });
    }
    (seen & MARK == 0).then_some((0, 0))
}

/// [`split_words`] for any text, a character at a time.
fn split_words_by_chars(text: &str, lex: &Lexicon, buf: &mut Buffers) {
    let base = text.as_ptr() as usize;
    for token in text.split_whitespace() {
        let raw = strip_punctuation(token);
        let start = raw.as_ptr() as usize - base;
        push_word(text, start, start + raw.len(), lex, buf);
    }
}

/// Looks up the word `text[start..end]` (already stripped of punctuation)
/// and appends it, unless it is a single character.
#[inline]
fn push_word(text: &str, start: usize, end: usize, lex: &Lexicon, buf: &mut Buffers) {
    let raw = &text[start..end];
    let lo = buf.lower.len();
    let shouting;
    if raw.is_ascii() {
        if raw.len() < 2 {
            return;
        }
        buf.lower.push_str(raw);
        let (mut upper, mut lower) = (false, false);
        for &b in raw.as_bytes() {
            upper |= b.is_ascii_uppercase();
            lower |= b.is_ascii_lowercase();
        }
        shouting = upper && !lower;
        if upper {
            buf.lower[lo..].make_ascii_lowercase();
        }
    } else {
        if raw.chars().nth(1).is_none() {
            return;
        }
        buf.lower.extend(raw.chars().flat_map(char::to_lowercase));
        shouting = is_shouting(raw);
    }
    let hi = buf.lower.len();
    let lower = &buf.lower[lo..hi];
    let info = lex.get(lower);
    let contraction = lower.ends_with("n't");
    buf.words.push(Word {
        raw: (start as u32, end as u32),
        lower: (lo as u32, hi as u32),
        info,
        shouting,
        contraction,
    });
}

/// [`strip_punctuation`] on the ASCII token `bytes[start..end]`, as a range.
#[inline]
fn strip_ascii_punctuation(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    // Most tokens are words with nothing to strip.
    let word = |b: u8| class(b) & ALNUM != 0;
    if word(bytes[start]) && word(bytes[end - 1]) {
        return (start, end);
    }
    let (mut s, mut e) = (start, end);
    let punct = |b: u8| b.is_ascii_punctuation() && b != b'\'';
    while s < e && punct(bytes[s]) {
        s += 1;
    }
    while e > s && punct(bytes[e - 1]) {
        e -= 1;
    }
    while s < e && bytes[s] == b'\'' {
        s += 1;
    }
    while e > s && bytes[e - 1] == b'\'' {
        e -= 1;
    }
    // Keep emoticons such as ":)" and ":-(" whole.
    if e - s < 3 {
        (start, end)
    } else {
        (s, e)
    }
}

/// The valence and length of a product rule ending at word `i`: a
/// negated or stopped functional verb, or a product phrase.
fn product_valence(words: &[Word], i: usize, lower: &str, lex: &Lexicon) -> Option<(f64, usize)> {
    let low = |w: &Word| lw(lower, w);
    let w = &words[i];
    if w.info.functional && w.info.valence.is_none() {
        if i >= 1 {
            let p = &words[i - 1];
            if p.info.stopper {
                return Some((STOPPED, 2));
            }
            if is_negation(p) {
                return Some((BROKEN, 2));
            }
            // "can not even load"; "can not log in" is matched at "log".
            if p.info.between && i >= 2 {
                let pp = &words[i - 2];
                if is_negation(pp) {
                    return Some((BROKEN, 3));
                }
            }
        }
        return None;
    }
    if w.info.phrase_end == 0 {
        return None;
    }
    lex.ends[usize::from(w.info.phrase_end) - 1]
        .iter()
        .find_map(|&k| {
            let (phrase, v) = &PRODUCT_PHRASES[usize::from(k)];
            let n = phrase.len();
            (i + 1 >= n
                && words[i + 1 - n..=i]
                    .iter()
                    .zip(phrase.iter())
                    .all(|(w, p)| low(w) == *p))
            .then_some((*v, n))
        })
}

fn strip_punctuation(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation() && c != '\'');
    let stripped = stripped.trim_matches('\'');
    // Keep emoticons such as ":)" and ":-(" whole.
    if stripped.chars().nth(2).is_none() {
        token
    } else {
        stripped
    }
}

fn is_shouting(w: &str) -> bool {
    w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
}

#[inline]
fn lw<'a>(lower: &'a str, w: &Word) -> &'a str {
    &lower[w.lower.0 as usize..w.lower.1 as usize]
}

#[inline]
fn is_negation(w: &Word) -> bool {
    w.info.negation || w.contraction
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polarity_follows_the_words() {
        assert!(sentiment("I love this app, it is great") > 0.5);
        assert!(sentiment("this is terrible and I hate it") < -0.5);
        assert_eq!(sentiment(""), 0.0);
        assert_eq!(sentiment("the board has columns"), 0.0);
    }

    #[test]
    fn negation_flips_and_boosters_intensify() {
        assert!(sentiment("not good") < 0.0);
        assert!(sentiment("very good") > sentiment("good"));
        assert!(sentiment("good!!!") > sentiment("good"));
        assert!(sentiment("GOOD job, team") > sentiment("good job, team"));
    }

    #[test]
    fn but_weights_the_second_clause() {
        assert!(sentiment("the app is great but the export is awful") < 0.0);
    }

    #[test]
    fn product_complaints_read_negative() {
        assert!(sentiment("the export doesn't work") < -0.3);
        assert!(sentiment("it keeps crashing") < -0.3);
        assert!(sentiment("stopped working after the update") < -0.3);
        assert!(sentiment("boards are laggy") < 0.0);
        assert!(sentiment("I can't log in since Monday") < -0.3);
        assert!(sentiment("the app won't even load") < -0.3);
        assert!(sentiment("it quit syncing last week") < -0.3);
        assert!(sentiment("still waiting for an answer") < -0.3);
        assert!(sentiment("the export keeps timing out") < -0.3);
        assert!(sentiment("the upload timed out again") < 0.0);
    }

    #[test]
    fn functional_verbs_alone_are_neutral() {
        assert_eq!(sentiment("the export works"), 0.0);
        assert_eq!(sentiment("I log in every morning"), 0.0);
    }

    #[test]
    fn idioms_read_as_people_mean_them() {
        assert!(sentiment("you can't go wrong with it") > 0.3);
        assert!(sentiment("save your money") < -0.3);
        assert!(sentiment("do not buy this") < -0.3);
        assert!(sentiment("no problems at all") > 0.0);
    }

    proptest::proptest! {
        #[test]
        fn ascii_split_matches_char_split(s in "[ -~\t\n\x0b\x0c\r]{0,60}") {
            let (mut fast, mut slow) = (Buffers::default(), Buffers::default());
            let marks = split_words(&s, lexicon(), &mut fast);
            if let Some(counts) = marks {
                proptest::prop_assert_eq!(counts, (s.matches('!').count(), s.matches('?').count()));
            }
            split_words_by_chars(&s, lexicon(), &mut slow);
            let view = |b: &Buffers| -> Vec<(u32, u32, String, bool, bool, String)> {
                b.words.iter().map(|w| (w.raw.0, w.raw.1, lw(&b.lower, w).to_string(), w.shouting, w.contraction, format!("{:?}", w.info))).collect()
            };
            proptest::prop_assert_eq!(view(&fast), view(&slow));
            for w in &fast.words {
                let raw = &s[w.raw.0 as usize..w.raw.1 as usize];
                proptest::prop_assert_eq!(w.shouting, is_shouting(raw));
                proptest::prop_assert_eq!(lw(&fast.lower, w), raw.to_lowercase());
            }
        }
    }

    #[test]
    fn every_lexicon_word_is_found() {
        let lex = lexicon();
        let mut long = 0;
        for k in vader_sentiment::LEXICON.keys() {
            let k = k.to_lowercase();
            long += usize::from(k.len() > PACKED);
            assert!(lex.get(&k).valence.is_some(), "{k}");
        }
        for (w, v) in PRODUCT_LEXICON {
            assert_eq!(lex.get(w).valence, Some(*v));
        }
        assert_eq!(lex.long.len(), long);
        assert!(lex.get("painmap").valence.is_none());
        assert!(lex.get("goo").valence.is_none() && lex.get("goodd").valence.is_none());
    }

    #[test]
    fn same_result_with_reused_buffers() {
        let a = sentiment("the sync is broken and I am furious");
        sentiment("something else entirely, quite long, with many words in it");
        assert_eq!(a, sentiment("the sync is broken and I am furious"));
        assert_eq!(a, sentiment_terms("the sync is broken and I am furious").0);
    }

    #[test]
    fn terms_name_the_words_that_decided() {
        let (_, terms) = sentiment_terms("great app but the export doesn't work");
        assert_eq!(terms[0].word, "work");
        assert!(terms[0].valence < 0.0);
        assert!(terms.iter().any(|t| t.word == "great" && t.valence > 0.0));
    }

    #[test]
    fn stays_in_range_on_extremes() {
        let s = sentiment(&"AWFUL HORRIBLE TERRIBLE!!!! ".repeat(50));
        assert!((-1.0..=1.0).contains(&s));
        assert!(s < -0.9);
    }
}
