//! Themes: what customers talk about that no roadmap feature covers.
//!
//! Every item is tagged as usual. The phrases of the items that linked to
//! nothing (1- to 3-word runs of content words within a clause, stemmed,
//! stop words left out) are counted against the same phrases in the items
//! that did link, plus a built-in background of `BACKGROUND_ITEMS` items
//! of ordinary feedback in which no topic phrase occurs: with few or no
//! linked items, one mention there does not make a topic everyday. A phrase
//! is a theme candidate when it is more frequent among the unlinked items
//! than in that background, is not only praised, and is not a verdict made
//! of [`VERDICT_WORDS`] ("useless"); it ranks by customers × (½ + mean
//! pain) × specificity × sureness, where specificity is the share of its
//! rate that comes from unlinked items and sureness is Dunning's
//! log-likelihood G² (Computational Linguistics 19(1), 1993) over what the
//! background could show at most for the phrase, at most 3.84 (p < 0.05),
//! capped at 1. Phrases below a quarter of that are the product's everyday
//! words ("card", "board") and are left out. A phrase one customer said
//! ranks after those several said.
//! Near-duplicates are merged: a phrase whose words contain or are
//! contained in a better theme's words, or most of whose items are a
//! better theme's items (MinHash estimate past 32), joins that theme. This
//! happens before `min_customers` picks the themes shown, so a theme's
//! keywords and counts do not depend on it.
//!
//! Memory grows with the number of distinct phrases, not rows: when the
//! phrase tables pass [`MAX_PHRASES`], phrases seen once are dropped (a
//! lossy count, which can only miss phrases too rare to be themes).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::item::{Item, Kind};
use crate::plural::count;
use crate::roadmap::Roadmap;
use crate::score::accumulate::{customer_key, truncate};
use crate::tag::Tags;
use crate::text::normalize::{Normalized, Normalizer};

/// Longest phrase, in content words.
pub const MAX_WORDS: usize = 3;

/// Phrase tables are pruned of single sightings past this size.
pub const MAX_PHRASES: usize = 200_000;

/// G² at p < 0.05 with one degree of freedom.
const SIGNIFICANT: f64 = 3.84;

/// Quotes kept per theme.
pub const QUOTES: usize = 2;

/// Characters kept of each quote.
pub const QUOTE_CHARS: usize = 200;

/// MinHash size for estimating how much two phrases' items overlap.
const SKETCH: usize = 16;

/// A phrase most of whose items (this share) are a better theme's items
/// belongs to that theme.
const SAME_ITEMS: f64 = 0.5;

/// Words that carry no topic in feedback: English function words, and the
/// words customers use about any topic ("app", "please", "love", "bug").
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "always",
    "am",
    "an",
    "and",
    "any",
    "anything",
    "are",
    "around",
    "as",
    "at",
    "back",
    "be",
    "because",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "down",
    "during",
    "each",
    "even",
    "ever",
    "every",
    "few",
    "find",
    "finding",
    "finds",
    "for",
    "found",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "go",
    "goes",
    "going",
    "gone",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "keep",
    "know",
    "last",
    "let",
    "like",
    "lot",
    "lots",
    "make",
    "makes",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "need",
    "needs",
    "never",
    "new",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "please",
    "quite",
    "rather",
    "really",
    "said",
    "same",
    "say",
    "says",
    "see",
    "she",
    "should",
    "show",
    "showing",
    "shown",
    "shows",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "though",
    "through",
    "to",
    "today",
    "too",
    "try",
    "trying",
    "two",
    "under",
    "until",
    "up",
    "us",
    "use",
    "used",
    "using",
    "very",
    "via",
    "want",
    "wants",
    "was",
    "way",
    "we",
    "week",
    "well",
    "went",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "without",
    "would",
    "yes",
    "yet",
    "you",
    "your",
    "yours",
    "able",
    "already",
    "anyone",
    "day",
    "days",
    "everything",
    "hi",
    "hello",
    "thanks",
    "thank",
    "app",
    "team",
    "love",
    "great",
    "good",
    "nice",
    "bad",
    "awesome",
    "amazing",
    "terrible",
    "awful",
    "bug",
    "bugs",
    "issue",
    "issues",
    "problem",
    "problems",
    "feature",
    "features",
    "request",
    "option",
    "support",
    "help",
    "work",
    "works",
    "working",
    "time",
    "times",
    "month",
    "months",
    "year",
    "years",
    "something",
    "someone",
    "lol",
    "ok",
    "okay",
    "sure",
    "etc",
    "since",
    "another",
    "better",
    "best",
    "worst",
    "fix",
    "fixed",
    "add",
    "added",
    "wish",
    "hope",
    "hoping",
    "able",
    "unable",
    "cannot",
    "can't",
    "won't",
    "inside",
    "people",
    "person",
    "everyone",
    "nothing",
    "right",
    "instead",
    "bit",
    "kind",
    "sort",
    "stuff",
    "part",
    "side",
    "whole",
    "maybe",
    "probably",
    "actually",
    "basically",
    "version",
    "versions",
];

/// Words that feedback about any product uses for how something went
/// rather than what it is about ("useless", "slow", "easy"). A phrase of
/// these words alone is a verdict, never a theme, however rarely the linked
/// items say it. They are not stop words: "slow loading" is a phrase.
pub const VERDICT_WORDS: &[&str] = &[
    "useless",
    "unusable",
    "usable",
    "useful",
    "helpful",
    "easy",
    "easier",
    "hard",
    "harder",
    "difficult",
    "simple",
    "fast",
    "faster",
    "quick",
    "quickly",
    "slow",
    "slower",
    "slowly",
    "annoying",
    "annoyed",
    "frustrating",
    "frustrated",
    "painful",
    "confusing",
    "confused",
    "intuitive",
    "clean",
    "fantastic",
    "excellent",
    "perfect",
    "horrible",
    "ridiculous",
    "cool",
    "weird",
    "strange",
    "ugly",
    "beautiful",
    "wonderful",
    "brilliant",
    "solid",
    "decent",
    "poor",
    "happy",
    "unhappy",
    "disappointed",
    "disappointing",
    "wrong",
    "broken",
    "missing",
    "lost",
    "little",
    "big",
    "huge",
    "small",
    "bigger",
    "smaller",
    "old",
    "long",
    "pretty",
    "super",
    "totally",
    "completely",
    "literally",
    "simply",
    "overall",
    "experience",
    "product",
    "tool",
    "software",
    "user",
    "users",
    "customer",
    "customers",
];

/// The built-in background: this many items of ordinary feedback, in which
/// no topic phrase occurs, are added to the linked items a phrase is
/// compared with. Next to a few linked items it keeps one mention there
/// from making a topic everyday; next to hundreds it hardly counts.
const BACKGROUND_ITEMS: f64 = 30.0;

/// Phrases this sure of their over-representation, or less, are everyday
/// words ("card", "board").
const EVERYDAY: f64 = 0.25;

/// Why there are no themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoThemes {
    /// Every item links to a feature.
    AllLinked,
    /// No phrase of the unlinked items was said by `--min-customers`
    /// customers.
    FewCustomers,
    /// Phrases were said by enough customers, but each is everyday
    /// vocabulary (as common in the linked items, or a verdict) or only
    /// praise.
    NoTopic,
}

/// A candidate theme, as reported.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Theme {
    /// The phrase as customers write it.
    pub phrase: String,
    /// A suggested feature id, unique in the roadmap.
    pub id: String,
    /// A suggested feature title: the phrase capitalized, with the words
    /// customers mostly write in capitals kept so ("AI", "SSO").
    pub title: String,
    pub customers: usize,
    pub mentions: u64,
    pub mean_pain: f64,
    pub top_stage: Option<String>,
    pub top_persona: Option<String>,
    /// Distinct phrasings that were merged into this theme, as keywords.
    pub keywords: Vec<String>,
    pub quotes: Vec<String>,
    /// Log-likelihood G² of the phrase among unlinked vs linked items.
    pub g2: f64,
    pub score: f64,
}

/// The result: themes, and how many items they were mined from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Themes {
    pub items: u64,
    pub linked: u64,
    pub unlinked: u64,
    pub themes: Vec<Theme>,
    /// Why `themes` is empty, when it is.
    #[serde(skip)]
    pub empty: Option<NoThemes>,
}

#[derive(Debug, Clone)]
struct Gram {
    /// Unlinked items with the phrase.
    docs: u32,
    /// Those of them that are not praise.
    needs: u32,
    customers: HashSet<u64>,
    /// Summed pain in millionths: integer sums do not depend on order.
    pain: u64,
    stages: Vec<u32>,
    personas: Vec<u32>,
    /// Surface forms, lower case, and how often each was written.
    surfaces: BTreeMap<String, u32>,
    /// (pain, customer, text) of the most painful items, distinct customers.
    quotes: Vec<(f64, u64, String)>,
    sketch: [u64; SKETCH],
    /// The items' hashes while there are at most [`EXACT`] of them, for an
    /// exact overlap where a sketch is too coarse.
    items: Vec<u64>,
}

/// A phrase distinctive enough to be a theme or part of one.
struct Candidate {
    key: String,
    gram: Gram,
    g2: f64,
    score: f64,
    /// Its place in the ranking.
    rank: usize,
}

/// Up to this many items per phrase, overlaps are counted exactly.
const EXACT: usize = 32;

impl Gram {
    fn new(stages: usize, personas: usize) -> Gram {
        Gram {
            docs: 0,
            needs: 0,
            customers: HashSet::new(),
            pain: 0,
            stages: vec![0; stages],
            personas: vec![0; personas],
            surfaces: BTreeMap::new(),
            quotes: Vec::new(),
            sketch: [u64::MAX; SKETCH],
            items: Vec::new(),
        }
    }
}

/// Hash maps keyed by phrase. Their order is never read ([`ThemeMiner::finish`]
/// sorts), so a fast fixed hasher does.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;

/// Collects phrases from tagged items, then ranks and merges them.
///
/// [`ThemeMiner::add`] does it in one step. To use all cores, find each
/// item's phrases with [`Phrasing::sight`] on any thread, then hand the
/// results to [`ThemeMiner::apply`] in input order: the themes are the same.
pub struct ThemeMiner<'r> {
    roadmap: &'r Roadmap,
    phrasing: Phrasing,
    norm: Normalized,
    unlinked: FastMap<String, Gram>,
    /// Linked items with each phrase.
    linked: FastMap<String, u32>,
    items: u64,
    linked_items: u64,
    unlinked_items: u64,
    /// The words of unlinked items, lower case, and how they were written.
    capitals: FastMap<String, Cased>,
}

/// Finds the phrases of one item, without the state of the items before
/// it: the part of mining that can run on every core.
#[derive(Debug)]
pub struct Phrasing {
    normalizer: Normalizer,
    stop: FastSet<String>,
    /// Stems of [`VERDICT_WORDS`].
    verdicts: FastSet<String>,
}

/// One item as [`ThemeMiner::apply`] counts it.
#[derive(Debug, Clone)]
pub struct Sighting {
    linked: bool,
    /// Each occurrence of a phrase: its key, how it was written (lower
    /// case; unlinked items only), and whether it is the key's first
    /// occurrence in the item. A linked item keeps first occurrences only.
    phrases: Vec<(String, Option<String>, bool)>,
    /// The words of an unlinked item that tell how customers capitalize
    /// them: lower case, and the form with capitals past the first letter.
    words: Vec<(String, Option<String>)>,
    customer: u64,
    item_hash: u64,
    sketch: [u64; SKETCH],
}

impl Phrasing {
    pub fn new(roadmap: &Roadmap) -> Phrasing {
        let normalizer = Normalizer::new();
        let mut stop: FastSet<String> = STOP_WORDS
            .iter()
            .flat_map(|w| normalizer.stems(w))
            .collect();
        // The product's own name is everywhere and names no theme.
        stop.extend(normalizer.stems(&roadmap.product));
        let verdicts = VERDICT_WORDS
            .iter()
            .flat_map(|w| normalizer.stems(w))
            .collect();
        Phrasing {
            normalizer,
            stop,
            verdicts,
        }
    }

    /// The phrases of a tagged item, from its text normalized (the
    /// tagger's, [`crate::tag::Scratch::normalized`], saves doing it twice).
    pub fn sight(&self, item: &Item, tags: &Tags, norm: &Normalized) -> Sighting {
        let linked = !tags.features.is_empty();
        let grams = phrases(norm, &self.stop);
        let mut phrases: Vec<(String, Option<String>, bool)> = Vec::with_capacity(grams.len());
        let mut words = Vec::new();
        let (mut customer, mut item_hash, mut sketch) = (0, 0, [u64::MAX; SKETCH]);
        if linked {
            for (key, _, _) in grams {
                if !phrases.iter().any(|p| p.0 == key) {
                    phrases.push((key, None, true));
                }
            }
        } else {
            let spans = self.normalizer.token_spans(&item.text);
            let mapped = spans.len() == norm.token_count();
            words.extend(spans.iter().filter_map(|&(s, e)| case_of(&item.text[s..e])));
            let who = customer_key(item);
            customer = hash(&who);
            // By content, not position: the same rows in any order give the
            // same sketches.
            item_hash = hash(&(&who, &item.text));
            for (k, slot) in sketch.iter_mut().enumerate() {
                *slot = hash(&(k, item_hash));
            }
            // Contact details are no theme: "u0@x.com" would make "com".
            let contacts = crate::report::sanitize::contact_spans(&item.text);
            let contact = |first: usize, last: usize| {
                mapped
                    && contacts
                        .iter()
                        .any(|c| c.start < spans[last].1 && spans[first].0 < c.end)
            };
            for (key, first, last) in grams {
                if contact(first, last) {
                    continue;
                }
                let surface = mapped.then(|| {
                    let surface = crate::report::sanitize::visible(
                        &item.text[spans[first].0..spans[last].1].to_lowercase(),
                    );
                    surface.split_whitespace().collect::<Vec<_>>().join(" ")
                });
                let new = !phrases.iter().any(|p| p.0 == key);
                phrases.push((key, surface, new));
            }
        }
        Sighting {
            linked,
            phrases,
            words,
            customer,
            item_hash,
            sketch,
        }
    }
}

/// How customers write a word: how often in all, and how often in each
/// form with capitals past its first letter.
#[derive(Debug, Default)]
struct Cased {
    all: u32,
    forms: BTreeMap<String, u32>,
}

/// Longest word in all capitals taken for an acronym rather than shouting.
const ACRONYM_CHARS: usize = 5;

impl<'r> ThemeMiner<'r> {
    pub fn new(roadmap: &'r Roadmap) -> ThemeMiner<'r> {
        ThemeMiner {
            roadmap,
            phrasing: Phrasing::new(roadmap),
            norm: Normalized::default(),
            unlinked: FastMap::default(),
            linked: FastMap::default(),
            items: 0,
            linked_items: 0,
            unlinked_items: 0,
            capitals: FastMap::default(),
        }
    }

    /// Counts one tagged item.
    pub fn add(&mut self, item: &Item, tags: &Tags) {
        self.phrasing
            .normalizer
            .normalize_into(&item.text, &mut self.norm);
        let sighting = self.phrasing.sight(item, tags, &self.norm);
        self.apply(item, tags, sighting);
    }

    /// Counts one tagged item from its [`Phrasing::sight`]. Items must come
    /// in input order: which quotes and spellings are kept depends on it.
    pub fn apply(&mut self, item: &Item, tags: &Tags, sighting: Sighting) {
        self.items += 1;
        if sighting.linked {
            self.linked_items += 1;
            for (key, _, _) in sighting.phrases {
                *self.linked.entry(key).or_default() += 1;
            }
        } else {
            self.unlinked_items += 1;
            for word in sighting.words {
                count_case(&mut self.capitals, word);
            }
            let (stages, personas) = (self.roadmap.stages.len(), self.roadmap.personas.len());
            let pain_micros = (tags.pain.clamp(0.0, 1.0) * 1e6).round() as u64;
            for (key, surface, first) in sighting.phrases {
                let g = self
                    .unlinked
                    .entry(key)
                    .or_insert_with(|| Gram::new(stages, personas));
                if let Some(surface) = surface {
                    if g.surfaces.len() < 8 || g.surfaces.contains_key(&surface) {
                        *g.surfaces.entry(surface).or_default() += 1;
                    }
                }
                if !first {
                    continue;
                }
                g.docs += 1;
                if tags.kind != Some(Kind::Praise) {
                    g.needs += 1;
                }
                g.customers.insert(sighting.customer);
                g.pain += pain_micros;
                if let Some(s) = tags.stage {
                    g.stages[s as usize] += 1;
                }
                if let Some(p) = tags.persona {
                    g.personas[p as usize] += 1;
                }
                if g.docs as usize <= EXACT {
                    g.items.push(sighting.item_hash);
                } else {
                    g.items = Vec::new();
                }
                for (slot, &h) in g.sketch.iter_mut().zip(&sighting.sketch) {
                    *slot = (*slot).min(h);
                }
                offer_quote(&mut g.quotes, tags.pain, sighting.customer, &item.text);
            }
        }
        if self.unlinked.len() > MAX_PHRASES {
            self.unlinked.retain(|_, g| g.docs > 1);
        }
        if self.capitals.len() > MAX_PHRASES {
            self.capitals.retain(|_, c| c.all > 1);
        }
        if self.linked.len() > MAX_PHRASES {
            self.linked.retain(|_, n| *n > 1);
        }
    }

    /// Ranks, merges and describes the themes; at most `top` of them, each
    /// said by at least `min_customers` customers.
    ///
    /// Phrases said by fewer customers are ranked and merged too, and
    /// `min_customers` only decides which themes are shown: a theme's
    /// keywords, counts and quotes are the same whatever it is.
    pub fn finish(self, top: usize, min_customers: usize) -> Themes {
        let min = min_customers.max(1);
        let (u, l) = (self.unlinked_items as f64, self.linked_items as f64);
        let verdicts = &self.phrasing.verdicts;
        let mut said_enough = false;
        let mut candidates: Vec<Candidate> = Vec::new();
        for (key, g) in self.unlinked {
            said_enough |= g.customers.len() >= min;
            // What customers only praise is there already, and a verdict
            // says how it went, not what about.
            if g.needs == 0 || key.split(' ').all(|w| verdicts.contains(w)) {
                continue;
            }
            let a = f64::from(g.docs);
            let b = f64::from(self.linked.get(&key).copied().unwrap_or(0));
            let Some((g2, specificity, sure)) = distinctiveness(a, u, b, l) else {
                continue;
            };
            let mean_pain = g.pain as f64 / 1e6 / a;
            let score = g.customers.len() as f64 * (0.5 + mean_pain) * specificity * sure;
            candidates.push(Candidate {
                key,
                gram: g,
                g2,
                score,
                rank: 0,
            });
        }
        // What one customer said is their wording: it ranks after every
        // phrase several said, so it never starts a theme that takes theirs.
        let several = |g: &Gram| g.customers.len() > 1;
        candidates.sort_by(|x, y| {
            several(&y.gram)
                .cmp(&several(&x.gram))
                .then(y.score.total_cmp(&x.score))
                .then(y.gram.docs.cmp(&x.gram.docs))
                .then(x.key.split(' ').count().cmp(&y.key.split(' ').count()))
                .then(x.key.cmp(&y.key))
        });
        for (rank, c) in candidates.iter_mut().enumerate() {
            c.rank = rank;
        }

        // Merge near-duplicates into the best-ranked theme they resemble.
        struct Merged {
            key: String,
            words: Vec<String>,
            gram: Gram,
            g2: f64,
            score: f64,
            rank: usize,
            /// Merged phrases, and whether by their words (a variant of the
            /// theme, whose items count) or by their items (a phrase that
            /// co-occurs with it, already counted).
            members: Vec<(Candidate, bool)>,
        }
        let related = |words: &[String], gram: &Gram, m: &Merged| {
            let by_words = words.iter().all(|w| m.words.contains(w))
                || m.words.iter().all(|w| words.contains(w));
            (by_words, by_words || contained(gram, &m.gram) > SAME_ITEMS)
        };
        let mut merged: Vec<Merged> = Vec::new();
        // Any phrase may start a theme, as long as a theme of enough
        // customers can still start after it: a theme of one customer
        // takes the phrases that resemble it whatever `min_customers` is.
        let last_shown = candidates
            .iter()
            .rposition(|c| c.gram.customers.len() >= min);
        let mut shown = 0;
        let mut pending: Vec<Candidate> = Vec::new();
        for first in candidates {
            pending.push(first);
            while let Some(c) = pending.pop() {
                let words: Vec<String> = c.key.split(' ').map(str::to_string).collect();
                let full = shown >= top || last_shown.is_none_or(|last| c.rank > last);
                let home = merged.iter_mut().find(|m| related(&words, &c.gram, m).1);
                let Some(m) = home else {
                    if !full {
                        shown += usize::from(c.gram.customers.len() >= min);
                        merged.push(Merged {
                            key: c.key,
                            words,
                            gram: c.gram,
                            g2: c.g2,
                            score: c.score,
                            rank: c.rank,
                            members: Vec::new(),
                        });
                    }
                    continue;
                };
                let variant = related(&words, &c.gram, m).0;
                let (docs, home_docs) = (f64::from(c.gram.docs), f64::from(m.gram.docs));
                // A longer phrase that covers most of the theme names it
                // better ("dark" → "dark mode").
                let longer = words.len() > m.words.len()
                    && m.words.iter().all(|w| words.contains(w))
                    && docs >= 0.6 * home_docs;
                // A co-occurring phrase that is much more telling and covers
                // most of the theme names it better ("checklist" over
                // "inside"), and so does one of more words in as many of its
                // items ("pdf export" over "client", where each customer who
                // wrote one wrote the other).
                let telling = !variant
                    && ((c.g2 > 1.5 * m.g2 && docs >= 0.6 * home_docs)
                        || (words.len() > m.words.len() && docs >= home_docs));
                if !(longer || telling) {
                    m.members.push((c, variant));
                    continue;
                }
                let old = Candidate {
                    key: std::mem::replace(&mut m.key, c.key),
                    gram: std::mem::replace(&mut m.gram, c.gram),
                    g2: m.g2,
                    score: m.score,
                    rank: m.rank,
                };
                m.words = words;
                m.g2 = m.g2.max(c.g2);
                // Variants of the old name that are unlike the new one go
                // their own way: "dark mode" joined "mode", which "offline
                // mode" now names.
                let members = std::mem::take(&mut m.members);
                for (member, variant) in members {
                    let member_words: Vec<String> =
                        member.key.split(' ').map(str::to_string).collect();
                    match related(&member_words, &member.gram, m) {
                        _ if !variant => m.members.push((member, false)),
                        (true, _) => m.members.push((member, true)),
                        (false, true) => m.members.push((member, false)),
                        (false, false) => pending.push(member),
                    }
                }
                m.members.push((old, !telling));
            }
        }
        // A theme started by a phrase let go above ranks where it belongs.
        merged.sort_by(|x, y| {
            several(&y.gram)
                .cmp(&several(&x.gram))
                .then(y.score.total_cmp(&x.score))
        });

        let mut ids: HashSet<String> = self.roadmap.features.iter().map(|f| f.id.clone()).collect();
        let themes: Vec<Theme> = merged
            .into_iter()
            .filter_map(|m| {
                let phrase = best_surface(&m.gram.surfaces).unwrap_or_else(|| m.key.clone());
                let mut keywords = vec![phrase.clone()];
                // A member that says it differently ("dark theme" next to
                // "dark mode", "home screen widget" next to "home screen")
                // is a keyword when it is a phrase of its own, shares a word
                // with the theme, and is common in it, and more than one
                // customer said it (else it is that customer's wording).
                // The theme's own words alone ("mode") are broader than the
                // theme, and phrases that merely co-occur ("evaluating
                // alternatives" next to "price") would link other topics.
                for (Candidate { key, gram: g, .. }, _) in &m.members {
                    let member: Vec<&str> = key.split(' ').collect();
                    let new_words = member.iter().any(|w| !m.words.iter().any(|x| x == w));
                    // "home screen widget" has the theme's words; "screen
                    // widget" shares one and is said in the theme's items.
                    let shared = m.words.iter().all(|x| member.contains(&x.as_str()))
                        || (member.iter().any(|w| m.words.iter().any(|x| x == w))
                            && contained(g, &m.gram) > SAME_ITEMS);
                    let phrase = member.len() > 1;
                    let common = 2 * g.docs >= m.gram.docs && g.customers.len() > 1;
                    let k = best_surface(&g.surfaces).unwrap_or_else(|| key.clone());
                    if new_words
                        && shared
                        && phrase
                        && common
                        && !keywords.contains(&k)
                        && keywords.len() < 5
                    {
                        keywords.push(k);
                    }
                }
                let mut customers = m.gram.customers.clone();
                let mut mentions = u64::from(m.gram.docs);
                let mut pain = m.gram.pain as f64 / 1e6;
                let mut quotes = m.gram.quotes.clone();
                let mut stages = m.gram.stages.clone();
                let mut personas = m.gram.personas.clone();
                // Variants add their customers; mentions and pain come from
                // the theme's own phrase plus variants' items not already in
                // it, estimated by their customers not yet counted.
                for (Candidate { gram: g, .. }, _) in m.members.iter().filter(|m| m.1) {
                    let new: Vec<u64> = g.customers.difference(&customers).copied().collect();
                    if !new.is_empty() {
                        let share = new.len() as f64 / g.customers.len() as f64;
                        mentions += (f64::from(g.docs) * share).round() as u64;
                        pain += g.pain as f64 / 1e6 * share;
                        customers.extend(new);
                    }
                    // The theme's own phrase first: a variant's quotes only
                    // fill what its own items leave empty.
                    for q in &g.quotes {
                        if quotes.len() < QUOTES {
                            offer_quote(&mut quotes, q.0, q.1, &q.2);
                        }
                    }
                    for (a, b) in stages.iter_mut().zip(&g.stages) {
                        *a += b;
                    }
                    for (a, b) in personas.iter_mut().zip(&g.personas) {
                        *a += b;
                    }
                }
                if customers.len() < min {
                    return None;
                }
                let id = unique_id(
                    &crate::roadmap::slug(&phrase).unwrap_or_else(|| "theme".into()),
                    &mut ids,
                );
                let title = title(&phrase, &self.capitals);
                Some(Theme {
                    phrase,
                    id,
                    title,
                    customers: customers.len(),
                    mentions,
                    mean_pain: crate::report::round(pain / mentions.max(1) as f64, 3),
                    top_stage: most(&stages).map(|i| self.roadmap.stages[i].id.clone()),
                    top_persona: most(&personas).map(|i| self.roadmap.personas[i].id.clone()),
                    keywords,
                    quotes: quotes.into_iter().map(|q| q.2).collect(),
                    g2: crate::report::round(m.g2, 2),
                    score: crate::report::round(m.score, 3),
                })
            })
            .take(top)
            .collect();
        let empty = match () {
            _ if !themes.is_empty() => None,
            _ if self.unlinked_items == 0 => Some(NoThemes::AllLinked),
            _ if !said_enough => Some(NoThemes::FewCustomers),
            _ => Some(NoThemes::NoTopic),
        };
        Themes {
            items: self.items,
            linked: self.linked_items,
            unlinked: self.unlinked_items,
            themes,
            empty,
        }
    }
}

/// How distinctive a phrase seen in `a` of `u` unlinked items and `b` of `l`
/// linked items is: (G², specificity, sureness), or `None` for everyday
/// vocabulary.
///
/// The phrase is compared with the linked items plus the built-in
/// background ([`BACKGROUND_ITEMS`]), so a few linked items cannot make a
/// topic everyday by mentioning it once. Specificity is the share of the
/// phrase's rate that comes from the unlinked items. Sureness is G² over
/// the most this background could show for the phrase (its G² were it
/// absent there), capped at the p < 0.05 level: a small background cannot
/// make three mentions significant, and a phrase it never saw is as sure as
/// it can be.
fn distinctiveness(a: f64, u: f64, b: f64, l: f64) -> Option<(f64, f64, f64)> {
    let rate_u = a / u.max(1.0);
    let l = l + BACKGROUND_ITEMS;
    let rate_l = b / l;
    if rate_u <= rate_l {
        return None;
    }
    let g2 = log_likelihood(a, u, b, l);
    let most = log_likelihood(a, u, 0.0, l).min(SIGNIFICANT);
    let sure = if most > 0.0 {
        (g2 / most).min(1.0)
    } else {
        1.0
    };
    if sure < EVERYDAY {
        return None;
    }
    Some((g2, rate_u / (rate_u + rate_l), sure))
}

/// The phrases of a normalized text: (key, first token, last token) for
/// every run of 1 to [`MAX_WORDS`] content tokens inside one clause.
fn phrases(norm: &Normalized, stop: &FastSet<String>) -> Vec<(String, usize, usize)> {
    let tokens: Vec<&str> = norm.tokens().collect();
    let mut out = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    let flush = |run: &mut Vec<usize>, out: &mut Vec<(String, usize, usize)>| {
        for start in 0..run.len() {
            for len in 1..=MAX_WORDS.min(run.len() - start) {
                let idx = &run[start..start + len];
                let mut key = String::with_capacity(idx.iter().map(|&i| tokens[i].len() + 1).sum());
                for (n, &i) in idx.iter().enumerate() {
                    if n > 0 {
                        key.push(' ');
                    }
                    key.push_str(tokens[i]);
                }
                out.push((key, idx[0], idx[len - 1]));
            }
        }
        run.clear();
    };
    for (i, t) in tokens.iter().enumerate() {
        if norm.breaks.binary_search(&(i as u32)).is_ok() {
            flush(&mut run, &mut out);
        }
        let topical =
            t.chars().count() > 1 && !t.chars().all(|c| c.is_ascii_digit()) && !stop.contains(*t);
        if topical {
            run.push(i);
        } else {
            // A stop word ends a run: phrases are contiguous content words.
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Keeps the most painful quotes, one per customer and one per text: the
/// same words pasted by two customers (a template, a macro) are one quote,
/// with the higher pain. Quotes are ordered by pain, then text, then
/// customer, and a customer's or a text's better quote replaces its worse
/// one, so the quotes kept do not depend on the order of the rows (the
/// first quote of a customer had stayed, and a tie at the bottom went to
/// whichever came first).
fn offer_quote(quotes: &mut Vec<(f64, u64, String)>, pain: f64, customer: u64, text: &str) {
    let text = truncate(text, QUOTE_CHARS);
    let new = (pain, customer, text);
    let order = |a: &(f64, u64, String), b: &(f64, u64, String)| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.2.cmp(&b.2))
            .then(a.1.cmp(&b.1))
    };
    let clashes = |q: &(f64, u64, String)| q.1 == new.1 || q.2.trim() == new.2.trim();
    if quotes.iter().any(|q| clashes(q) && order(q, &new).is_le()) {
        return;
    }
    quotes.retain(|q| !clashes(q));
    quotes.push(new);
    quotes.sort_by(order);
    quotes.truncate(QUOTES);
}

fn best_surface(surfaces: &BTreeMap<String, u32>) -> Option<String> {
    surfaces
        .iter()
        .max_by(|a, b| {
            a.1.cmp(b.1)
                .then(b.0.len().cmp(&a.0.len()))
                .then(b.0.cmp(a.0))
        })
        .map(|(s, _)| s.clone())
}

fn most(counts: &[u32]) -> Option<usize> {
    let mut best: Option<(usize, u32)> = None;
    for (i, &n) in counts.iter().enumerate() {
        if n > 0 && best.is_none_or(|(_, b)| n > b) {
            best = Some((i, n));
        }
    }
    best.map(|(i, _)| i)
}

/// Dunning's G² for a phrase seen in `a` of `n_a` unlinked items and `b` of
/// `n_b` linked items.
pub fn log_likelihood(a: f64, n_a: f64, b: f64, n_b: f64) -> f64 {
    let total = n_a + n_b;
    if total == 0.0 {
        return 0.0;
    }
    let e_a = n_a * (a + b) / total;
    let e_b = n_b * (a + b) / total;
    let term = |o: f64, e: f64| {
        if o > 0.0 && e > 0.0 {
            o * (o / e).ln()
        } else {
            0.0
        }
    };
    2.0 * (term(a, e_a) + term(b, e_b))
}

/// The share of `a`'s items that are also `b`'s: counted when both are
/// small, else estimated from their MinHash sketches and sizes.
fn contained(a: &Gram, b: &Gram) -> f64 {
    let exact = |g: &Gram| g.docs as usize <= EXACT && !g.items.is_empty();
    if exact(a) && exact(b) {
        let both = a.items.iter().filter(|h| b.items.contains(h)).count();
        return both as f64 / a.items.len() as f64;
    }
    let j = jaccard(&a.sketch, &b.sketch);
    let both = j / (1.0 + j) * f64::from(a.docs + b.docs);
    both / f64::from(a.docs.max(1))
}

fn jaccard(x: &[u64; SKETCH], y: &[u64; SKETCH]) -> f64 {
    let same = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a == b && **a != u64::MAX)
        .count();
    same as f64 / SKETCH as f64
}

fn hash(value: &impl Hash) -> u64 {
    // SipHash with fixed keys: the same on every run and platform width.
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

fn unique_id(base: &str, ids: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while ids.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    ids.insert(id.clone());
    id
}

/// A ready-to-paste `[[features]]` entry for each theme.
pub fn toml_snippet(themes: &Themes) -> String {
    let mut out = String::new();
    for t in &themes.themes {
        out.push_str(&format!(
            "# {}, {}, mean pain {:.2} (painmap themes)\n",
            count(t.customers, "customer"),
            count(t.mentions, "mention"),
            t.mean_pain
        ));
        out.push_str("[[features]]\n");
        out.push_str(&format!("id = {}\n", toml_string(&t.id)));
        out.push_str(&format!("title = {}\n", toml_string(&t.title)));
        let keywords: Vec<String> = t.keywords.iter().map(|k| toml_string(k)).collect();
        out.push_str(&format!("keywords = [{}]\n", keywords.join(", ")));
        if let Some(s) = &t.top_stage {
            out.push_str(&format!("stage = {}\n", toml_string(s)));
        }
        if let Some(p) = &t.top_persona {
            out.push_str(&format!("personas = [{}]\n", toml_string(p)));
        }
        out.push_str("effort = 1          # an estimate: set person-months\n");
        out.push_str("status = \"idea\"\n\n");
    }
    out
}

fn toml_string(s: &str) -> String {
    toml::Value::String(crate::report::sanitize::terminal(s)).to_string()
}

/// Counts how a word of an unlinked item was written. Only words whose
/// form could name something are noted: letters only, and in all capitals
/// only when short (longer is shouting, not an acronym).
/// A word as [`title`] learns its capitals from: lower case, and the word
/// itself when it has capitals past its first letter and is not shouted.
/// `None` for what is not a word of two letters or more.
fn case_of(word: &str) -> Option<(String, Option<String>)> {
    if word.chars().count() < 2 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let cased = word.chars().skip(1).any(char::is_uppercase);
    let shouted = word.chars().all(char::is_uppercase) && word.chars().count() > ACRONYM_CHARS;
    Some((
        word.to_lowercase(),
        (cased && !shouted).then(|| word.to_string()),
    ))
}

/// Counts a word from [`case_of`].
fn count_case(capitals: &mut FastMap<String, Cased>, (lower, form): (String, Option<String>)) {
    let c = capitals.entry(lower).or_default();
    c.all += 1;
    if let Some(form) = form {
        *c.forms.entry(form).or_default() += 1;
    }
}

/// A feature title for a phrase: each word as customers mostly write it
/// ("ai" → "AI", "ios" → "iOS"), and the first letter in capitals unless
/// that word has a form of its own ("Sso login" would be wrong twice).
fn title(phrase: &str, capitals: &FastMap<String, Cased>) -> String {
    let form = |w: &str| {
        let c = capitals.get(w)?;
        let (best, n) = c
            .forms
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
        (2 * n > c.all).then(|| best.clone())
    };
    let mut out = Vec::new();
    for (i, w) in phrase.split(' ').enumerate() {
        match form(w) {
            Some(f) => out.push(f),
            None if i == 0 => {
                let mut chars = w.chars();
                out.push(match chars.next() {
                    Some(c) => c.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                });
            }
            None => out.push(w.to_string()),
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tag::{Scratch, Tagger};
    use std::path::Path;

    fn roadmap() -> Roadmap {
        Roadmap::parse(
            Path::new("t.toml"),
            r#"
[product]
name = "Pinwheel"
[[stages]]
id = "usage"
keywords = ["every day"]
[[personas]]
id = "lead"
keywords = ["my team"]
[[features]]
id = "export"
title = "Export"
keywords = ["export", "csv"]
effort = 1
[[features]]
id = "custom-fields"
title = "Already taken id"
keywords = ["zzz"]
effort = 1
"#,
        )
        .unwrap()
    }

    fn mine(rows: &[(&str, &str)], top: usize) -> Themes {
        mine_in(&roadmap(), rows, top, 2)
    }

    /// A roadmap of one feature, with these keywords.
    fn one_feature(keywords: &str) -> Roadmap {
        Roadmap::parse(
            Path::new("t.toml"),
            &format!(
                "[product]\nname = \"Quillpad\"\n[[features]]\nid = \"f\"\ntitle = \"F\"\nkeywords = [{keywords}]\neffort = 1\n"
            ),
        )
        .unwrap()
    }

    fn mine_in(r: &Roadmap, rows: &[(&str, &str)], top: usize, min_customers: usize) -> Themes {
        let tagger = Tagger::new(r).unwrap();
        let mut miner = ThemeMiner::new(r);
        let mut scratch = Scratch::default();
        for (i, (customer, text)) in rows.iter().enumerate() {
            let item = Item {
                id: i.to_string(),
                line: i as u64 + 2,
                text: (*text).into(),
                customer: Some((*customer).into()),
                ..Item::default()
            };
            let tags = tagger.tag(&item, &mut scratch);
            miner.add(&item, &tags);
        }
        miner.finish(top, min_customers)
    }

    fn phrases_of(t: &Themes) -> Vec<&str> {
        t.themes.iter().map(|t| t.phrase.as_str()).collect()
    }

    /// A young product's feedback: three topics said by several customers,
    /// verdicts, praise, and one item about dark mode.
    const SPARSE: &[(&str, &str)] = &[
        ("a", "Sync lost my notes again"),
        ("b", "sync broke on the desktop"),
        ("c", "Sync conflict ate my edits"),
        ("d", "sync failed twice, useless"),
        ("e", "the sync stalls for hours"),
        ("f", "Offline mode is missing"),
        ("g", "offline mode for the train"),
        ("h", "Offline mode on Android"),
        ("a", "still no offline mode, useless on a plane"),
        ("i", "Search is slow"),
        ("j", "search never finds the page"),
        ("k", "search results are wrong"),
        ("b", "a better search"),
        ("l", "Please add a dark mode, my eyes hurt at night"),
        ("m", "Love the editor, it is fantastic"),
        ("n", "the editor is clean, love it, thank you"),
        ("o", "a table of contents would be nice"),
    ];

    #[test]
    fn one_linked_item_leaves_the_unlinked_topics_themes() {
        let linked_one = mine_in(&one_feature("\"eyes hurt\""), SPARSE, 10, 1);
        assert_eq!(linked_one.linked, 1);
        let linked_none = mine_in(&one_feature("\"zzzz\""), SPARSE, 10, 1);
        assert_eq!(linked_none.linked, 0);
        for t in [&linked_one, &linked_none] {
            let phrases = phrases_of(t);
            assert_eq!(
                phrases[..3],
                ["sync", "offline mode", "search"],
                "{phrases:?}"
            );
            // A verdict is no topic, nor what customers only praise.
            assert!(!phrases.contains(&"useless"), "{phrases:?}");
            assert!(!phrases.contains(&"editor"), "{phrases:?}");
        }
        assert!(linked_one.empty.is_none());
    }

    #[test]
    fn topics_a_few_linked_items_also_mention_stay_themes() {
        // A broad keyword links a third of the items, and they talk about
        // the same topics as the rest: a dozen linked items are too few to
        // call "search" the product's everyday vocabulary.
        let mut rows = SPARSE.to_vec();
        rows.extend([
            ("p", "Search misses my notes"),
            ("q", "search results leave out new notes"),
            ("r", "offline mode lost my notes"),
            ("s", "notes take a while to open"),
            ("t", "meeting notes need templates"),
            ("u", "a PDF export of my notes"),
            ("v", "We need templates for onboarding docs"),
            ("w", "templates for client handoffs"),
            ("x", "PDF export cuts off tables"),
            ("y", "the PDF export drops images"),
            ("z", "PDF export for the archive"),
        ]);
        let t = mine_in(&one_feature("\"notes\""), &rows, 50, 1);
        assert_eq!(t.linked, 7);
        let phrases = phrases_of(&t);
        for topic in ["offline mode", "search", "templates", "pdf export"] {
            assert!(phrases.contains(&topic), "{topic}: {phrases:?}");
        }
        assert!(!phrases.contains(&"useless"), "{phrases:?}");
        assert!(!phrases.contains(&"editor"), "{phrases:?}");
    }

    const PRICE: &[(&str, &str)] = &[
        (
            "p1",
            "Pricing went up 40% at renewal. We are evaluating alternatives.",
        ),
        (
            "p2",
            "The new price increase is too much, if it goes ahead we cancel",
        ),
        ("c1", "custom fields for budgets"),
        ("c2", "custom fields please"),
        ("c3", "no custom field for priority"),
    ];

    #[test]
    fn keywords_share_the_themes_words_whatever_the_min_customers() {
        let price = |min| {
            let t = mine_in(&roadmap(), PRICE, 10, min);
            t.themes
                .into_iter()
                .find(|t| t.phrase.starts_with("pric"))
                .expect("a price theme")
        };
        let (one, two) = (price(1), price(2));
        assert_eq!(one, two);
        let n = Normalizer::new();
        let stems = |s: &str| n.stems(s);
        let theme = stems(&one.phrase);
        for k in &one.keywords {
            assert!(
                stems(k).iter().any(|w| theme.contains(w)),
                "{k:?} is not about {:?}: {:?}",
                one.phrase,
                one.keywords
            );
        }
    }

    #[test]
    fn an_empty_result_says_why() {
        let r = roadmap();
        // Everything links.
        let t = mine_in(&r, &[("a", "export is slow"), ("b", "csv export")], 10, 2);
        assert_eq!(t.empty, Some(NoThemes::AllLinked));
        // Nothing is said by two customers.
        let t = mine_in(&r, &[("a", "gantt charts"), ("b", "dark mode")], 10, 2);
        assert_eq!(t.empty, Some(NoThemes::FewCustomers));
        // "board" is said by enough customers, but as often in the linked
        // items: everyday vocabulary, no theme.
        let mut rows: Vec<(String, String)> = (0..40)
            .map(|i| (format!("l{i}"), format!("export the board {i}")))
            .collect();
        for i in 0..4 {
            rows.push((format!("u{i}"), "the board".to_string()));
            rows.push((format!("v{i}"), format!("word{i}x")));
        }
        let rows: Vec<(&str, &str)> = rows.iter().map(|(c, t)| (c.as_str(), t.as_str())).collect();
        let t = mine_in(&r, &rows, 10, 2);
        assert_eq!(phrases_of(&t), Vec::<&str>::new());
        assert_eq!(t.empty, Some(NoThemes::NoTopic));
        let t = mine(ROWS, 5);
        assert_eq!(t.empty, None);
    }

    const ROWS: &[(&str, &str)] = &[
        (
            "ana",
            "We really need custom fields on cards, my team tracks budgets",
        ),
        (
            "ben",
            "Custom fields would let us store the client code. Every day I miss it",
        ),
        (
            "cho",
            "No custom field for priority? Pinwheel is great otherwise",
        ),
        ("dee", "Please add a custom field type for dates"),
        ("eli", "The CSV export drops the custom fields column"),
        ("fay", "Export to CSV is slow"),
        ("gus", "export keeps timing out"),
        ("hal", "Recurring invoices would help our agency"),
        ("ivy", "Dark mode please, my eyes hurt at night"),
        ("jon", "dark mode!!"),
        ("kim", "I want dark mode on mobile too"),
        ("ana", "custom fields, again, please"),
        ("lou", "CSV export of a board works well"),
        ("mia", "Could the export include archived cards?"),
        ("ned", "Export to Excel or CSV for our finance team"),
        ("oli", "the csv has broken accents"),
        ("pam", "Export takes a minute for big boards"),
        ("quin", "export button is hidden on mobile"),
        ("ross", "Custom fields for invoice numbers would be perfect"),
        (
            "sue",
            "Budget tracking went to a spreadsheet: there are no custom fields",
        ),
    ];

    #[test]
    fn the_same_words_from_two_customers_are_one_quote() {
        let mut quotes = Vec::new();
        offer_quote(&mut quotes, 0.4, 1, "Please add dark mode");
        offer_quote(&mut quotes, 0.4, 2, "Please add dark mode ");
        offer_quote(&mut quotes, 0.2, 3, "dark mode would be nice");
        assert_eq!(quotes.len(), 2);
        // A copy that hurts more takes the place of the first.
        offer_quote(&mut quotes, 0.9, 4, "Please add dark mode");
        assert_eq!(quotes.len(), 2);
        assert_eq!((quotes[0].0, quotes[0].1), (0.9, 4));
        assert_eq!(quotes[1].2, "dark mode would be nice");
    }

    #[test]
    fn unlinked_topics_said_by_several_customers_surface_first() {
        let t = mine(ROWS, 5);
        assert_eq!(t.items, 20);
        assert_eq!(t.linked, 9);
        let phrases: Vec<&str> = t.themes.iter().map(|t| t.phrase.as_str()).collect();
        assert_eq!(phrases[..2], ["custom fields", "dark mode"]);
        let cf = &t.themes[0];
        // ana twice, ben, cho, dee, ross, sue: eli's item linked to export.
        assert_eq!(cf.customers, 6);
        assert_eq!(cf.mentions, 7);
        assert_eq!(cf.keywords[0], "custom fields");
        assert!(!cf.keywords.iter().any(|k| k == "custom" || k == "fields"));
        assert_eq!(cf.quotes.len(), QUOTES);
        assert_eq!(cf.top_persona.as_deref(), Some("lead"));
        // The roadmap already has a feature with this id.
        assert_eq!(cf.id, "custom-fields-2");
        // One-customer topics are not themes: hal's "recurring invoices".
        // ("invoice" is, said by hal and ross; one of its two items is
        // not most of them, so it is no longer merged into custom fields.)
        assert!(
            !phrases.iter().any(|p| p.contains("recurring")),
            "{phrases:?}"
        );
    }

    #[test]
    fn the_snippet_is_a_valid_roadmap_entry() {
        let t = mine(ROWS, 3);
        let snippet = toml_snippet(&t);
        let mut src = String::from("[product]\nname = \"Pinwheel\"\n[[stages]]\nid = \"usage\"\n[[personas]]\nid = \"lead\"\n");
        src.push_str(&snippet);
        let r = Roadmap::parse(Path::new("t.toml"), &src).unwrap();
        assert_eq!(r.features.len(), t.themes.len());
        assert_eq!(r.features[0].title, "Custom fields");
        // The new keywords link the items that were unlinked.
        let tagger = Tagger::new(&r).unwrap();
        let item = Item {
            text: "we need custom fields".into(),
            ..Item::default()
        };
        assert_eq!(tagger.tag(&item, &mut Scratch::default()).features, vec![0]);
    }

    #[test]
    fn output_does_not_depend_on_row_order() {
        let mut rev = ROWS.to_vec();
        rev.reverse();
        let (a, b) = (mine(ROWS, 5), mine(&rev, 5));
        let strip = |t: &Themes| -> Vec<(String, String, usize, u64)> {
            t.themes
                .iter()
                .map(|t| (t.phrase.clone(), t.title.clone(), t.customers, t.mentions))
                .collect()
        };
        assert_eq!(strip(&a), strip(&b));
    }

    #[test]
    fn titles_keep_the_capitals_customers_write() {
        let mut caps = FastMap::default();
        for w in [
            "AI", "AI", "ai", "iOS", "ios", "iOS", "SSO", "EXPORTS", "EXPORTS", "exports", "SYNC",
            "sync", "sync", "2FA",
        ] {
            if let Some(word) = case_of(w) {
                count_case(&mut caps, word);
            }
        }
        assert_eq!(title("ai", &caps), "AI");
        assert_eq!(title("ios widget", &caps), "iOS widget");
        assert_eq!(title("sso login", &caps), "SSO login");
        assert_eq!(title("login sso", &caps), "Login SSO");
        // Shouting is not a name, nor a form most customers do not use.
        assert_eq!(title("exports", &caps), "Exports");
        assert_eq!(title("sync", &caps), "Sync");
        assert_eq!(title("custom fields", &caps), "Custom fields");
    }

    #[test]
    fn a_theme_is_quoted_by_its_own_phrase_first() {
        // "screen" alone is painful in other contexts; the theme "home
        // screen" is quoted where customers say "home screen".
        let rows = [
            ("a", "login screen is blank, it's broken and awful"),
            ("b", "the settings screen crashes, terrible"),
            ("c", "a widget for the home screen"),
            ("d", "home screen widget please"),
            ("e", "I'd love a home screen shortcut"),
        ];
        let t = mine(&rows, 3);
        let home = t
            .themes
            .iter()
            .find(|t| t.phrase.contains("home screen"))
            .expect("a home screen theme");
        assert_eq!(home.quotes.len(), QUOTES);
        for q in &home.quotes {
            assert!(q.contains("home screen"), "{q}");
        }
    }

    /// Whatever strangers type, mining never panics and every theme's
    /// numbers hold together.
    #[test]
    fn any_feedback_mines_without_panicking() {
        use proptest::test_runner::{Config, TestRunner};
        let strategy = proptest::collection::vec(
            "(?s)(\\PC|[\u{0}-\u{1f}\u{300}-\u{36f}'’.,!? ]|custom fields|export|dark mode){0,30}",
            0..20,
        );
        let mut runner = TestRunner::new(Config::with_cases(32));
        runner
            .run(&strategy, |texts| {
                let rows: Vec<(&str, &str)> = texts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (["a", "b", "c"][i % 3], t.as_str()))
                    .collect();
                let t = mine(&rows, 5);
                proptest::prop_assert_eq!(t.items, rows.len() as u64);
                for theme in &t.themes {
                    proptest::prop_assert!(theme.customers >= 2);
                    proptest::prop_assert!(theme.mentions >= theme.customers as u64);
                    proptest::prop_assert!((0.0..=1.0).contains(&theme.mean_pain));
                    proptest::prop_assert!(theme.quotes.len() <= QUOTES);
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn log_likelihood_grows_with_over_representation() {
        assert!(log_likelihood(10.0, 100.0, 1.0, 100.0) > log_likelihood(5.0, 100.0, 1.0, 100.0));
        assert!(log_likelihood(10.0, 100.0, 10.0, 100.0).abs() < 1e-9);
        assert_eq!(log_likelihood(0.0, 0.0, 0.0, 0.0), 0.0);
    }

    #[test]
    fn phrases_stay_inside_clauses_and_skip_stop_words() {
        let n = Normalizer::new();
        let stop: FastSet<String> = STOP_WORDS.iter().flat_map(|w| n.stems(w)).collect();
        let mut norm = Normalized::default();
        n.normalize_into("Gantt charts, dependency lines", &mut norm);
        let keys: Vec<String> = phrases(&norm, &stop).into_iter().map(|p| p.0).collect();
        assert!(keys.contains(&"gantt chart".to_string()));
        assert!(keys.contains(&"depend line".to_string()));
        assert!(!keys.iter().any(|k| k == "chart depend"));
    }
}
