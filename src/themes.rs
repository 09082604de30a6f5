//! Themes: what customers talk about that no roadmap feature covers.
//!
//! Every item is tagged as usual. The phrases of the items that linked to
//! nothing (1- to 3-word runs of content words within a clause, stemmed,
//! stop words left out) are counted against the same phrases in the items
//! that did link. A phrase is a theme candidate when it is more frequent
//! among the unlinked items than among the linked ones and at least
//! `min_customers` customers said it; it ranks by customers × (½ + mean
//! pain) × specificity × sureness, where specificity is the share of its
//! rate that comes from unlinked items and sureness is Dunning's
//! log-likelihood G² (Computational Linguistics 19(1), 1993) over 3.84 (p <
//! 0.05), capped at 1. Phrases below a quarter of that (G² < 0.96) are the
//! product's everyday words ("card", "board") and are left out; a young
//! product's first themes come from few items, so the cut is that low.
//! Near-duplicates are merged: a phrase whose words contain or are
//! contained in a better theme's words, or whose items mostly overlap a
//! better theme's items (MinHash estimate), joins that theme.
//!
//! Memory grows with the number of distinct phrases, not rows: when the
//! phrase tables pass [`MAX_PHRASES`], phrases seen once are dropped (a
//! lossy count, which can only miss phrases too rare to be themes).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use serde::Serialize;

use crate::item::Item;
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
    "for",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "go",
    "going",
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
    "same",
    "see",
    "she",
    "should",
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
}

#[derive(Debug, Clone)]
struct Gram {
    /// Unlinked items with the phrase.
    docs: u32,
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

/// Up to this many items per phrase, overlaps are counted exactly.
const EXACT: usize = 32;

impl Gram {
    fn new(stages: usize, personas: usize) -> Gram {
        Gram {
            docs: 0,
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
        Phrasing { normalizer, stop }
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
    pub fn finish(self, top: usize, min_customers: usize) -> Themes {
        let (u, l) = (self.unlinked_items as f64, self.linked_items as f64);
        let mut candidates: Vec<(String, Gram, f64, f64)> = Vec::new();
        for (key, g) in self.unlinked {
            if g.customers.len() < min_customers.max(1) {
                continue;
            }
            let a = f64::from(g.docs);
            let b = f64::from(self.linked.get(&key).copied().unwrap_or(0));
            let rate_u = a / u.max(1.0);
            let rate_l = if l > 0.0 { b / l } else { 0.0 };
            if rate_u <= rate_l {
                continue;
            }
            let g2 = log_likelihood(a, u, b, l);
            // How sure the over-representation is, from G² (1 at p < 0.05).
            // Without linked items there is nothing to compare with.
            let sure = if l > 0.0 {
                (g2 / SIGNIFICANT).min(1.0)
            } else {
                1.0
            };
            if sure < 0.25 {
                continue;
            }
            let specificity = rate_u / (rate_u + rate_l);
            let mean_pain = g.pain as f64 / 1e6 / a;
            let score = g.customers.len() as f64 * (0.5 + mean_pain) * specificity * sure;
            candidates.push((key, g, g2, score));
        }
        candidates.sort_by(|x, y| {
            y.3.total_cmp(&x.3)
                .then(y.1.docs.cmp(&x.1.docs))
                .then(x.0.split(' ').count().cmp(&y.0.split(' ').count()))
                .then(x.0.cmp(&y.0))
        });

        // Merge near-duplicates into the best-ranked theme they resemble.
        struct Merged {
            key: String,
            words: Vec<String>,
            gram: Gram,
            g2: f64,
            score: f64,
            /// Merged phrases, and whether by their words (a variant of the
            /// theme, whose items count) or by their items (a phrase that
            /// co-occurs with it, already counted).
            members: Vec<(String, Gram, bool)>,
        }
        let mut merged: Vec<Merged> = Vec::new();
        for (key, gram, g2, score) in candidates {
            let words: Vec<String> = key.split(' ').map(str::to_string).collect();
            let full = merged.len() >= top;
            let by_words = |m: &Merged| {
                words.iter().all(|w| m.words.contains(w))
                    || m.words.iter().all(|w| words.contains(w))
            };
            let home = merged
                .iter_mut()
                .find(|m| by_words(m) || contained(&gram, &m.gram) >= SAME_ITEMS);
            match home {
                Some(m) => {
                    let variant = by_words(m);
                    // A longer phrase that covers most of the theme names it
                    // better ("dark" → "dark mode").
                    let longer = words.len() > m.words.len()
                        && m.words.iter().all(|w| words.contains(w))
                        && f64::from(gram.docs) >= 0.6 * f64::from(m.gram.docs);
                    // A co-occurring phrase that is much more telling and
                    // covers most of the theme names it better ("checklist"
                    // over "inside").
                    let telling = !variant
                        && g2 > 1.5 * m.g2
                        && f64::from(gram.docs) >= 0.6 * f64::from(m.gram.docs);
                    if longer || telling {
                        let old_key = std::mem::replace(&mut m.key, key.clone());
                        m.words = words;
                        m.g2 = m.g2.max(g2);
                        let old = std::mem::replace(&mut m.gram, gram);
                        m.members.push((old_key, old, !telling));
                    } else {
                        m.members.push((key, gram, variant));
                    }
                }
                None if !full => merged.push(Merged {
                    key,
                    words,
                    gram,
                    g2,
                    score,
                    members: Vec::new(),
                }),
                None => {}
            }
        }

        let mut ids: HashSet<String> = self.roadmap.features.iter().map(|f| f.id.clone()).collect();
        let themes = merged
            .into_iter()
            .map(|m| {
                let phrase = best_surface(&m.gram.surfaces).unwrap_or_else(|| m.key.clone());
                let mut keywords = vec![phrase.clone()];
                // A member that says it differently ("dark theme" next to
                // "dark mode") is a keyword when it is a phrase of its own
                // and common in the theme. The theme's own words alone
                // ("mode") are broader than the theme, and single words that
                // merely co-occur ("paste") would link far too much.
                for (key, g, _) in &m.members {
                    let new_words = key.split(' ').any(|w| !m.words.iter().any(|x| x == w));
                    let phrase = key.contains(' ');
                    let common = 2 * g.docs >= m.gram.docs;
                    let k = best_surface(&g.surfaces).unwrap_or_else(|| key.clone());
                    if new_words && phrase && common && !keywords.contains(&k) && keywords.len() < 5
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
                for (_, g, _) in m.members.iter().filter(|m| m.2) {
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
                let id = unique_id(
                    &crate::roadmap::slug(&phrase).unwrap_or_else(|| "theme".into()),
                    &mut ids,
                );
                let title = title(&phrase, &self.capitals);
                Theme {
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
                }
            })
            .collect();
        Themes {
            items: self.items,
            linked: self.linked_items,
            unlinked: self.unlinked_items,
            themes,
        }
    }
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
/// with the higher pain.
fn offer_quote(quotes: &mut Vec<(f64, u64, String)>, pain: f64, customer: u64, text: &str) {
    if quotes.iter().any(|q| q.1 == customer) {
        return;
    }
    let text = truncate(text, QUOTE_CHARS);
    if let Some(same) = quotes.iter_mut().find(|q| q.2.trim() == text.trim()) {
        if pain > same.0 {
            *same = (pain, customer, text);
            quotes.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
        }
        return;
    }
    if quotes.len() < QUOTES || quotes.iter().any(|q| q.0 < pain) {
        quotes.push((pain, customer, text));
        quotes.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)));
        quotes.truncate(QUOTES);
    }
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
        let r = roadmap();
        let tagger = Tagger::new(&r).unwrap();
        let mut miner = ThemeMiner::new(&r);
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
        miner.finish(top, 2)
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
        // One-customer topics are not themes.
        assert!(!phrases.iter().any(|p| p.contains("invoice")));
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
