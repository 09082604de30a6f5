//! The accumulator: everything scoring needs, folded from tagged items.
//!
//! It is a commutative monoid: items can be added in any order, in chunks on
//! any number of threads, and partial accumulators merged, with the same
//! result. That is why sums are kept as integers (pain in millionths), why
//! "a customer's latest item" and "the top quotes" are chosen by a total
//! order over the item's contents, and why nothing depends on row order.
//! Memory grows with distinct customers and features, not with rows.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::item::{Item, Kind};
use crate::tag::Tags;

/// Pain is summed in millionths so that addition is exact and associative.
pub const MICROS: f64 = 1_000_000.0;

/// How many quote candidates each feature keeps; reports show fewer, from
/// distinct customers.
pub const EVIDENCE_KEEP: usize = 32;

/// Which items count, measured from `--as-of`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// The end of the `--as-of` day, epoch seconds: items after it are ignored.
    pub as_of_end: i64,
    /// Items older than this many seconds before `as_of_end` are ignored.
    pub max_age: Option<i64>,
    /// The trend compares pain in the last `trend_recent` seconds with the
    /// `trend_prior` seconds before them.
    pub trend_recent: i64,
    pub trend_prior: i64,
}

/// A customer's most recent linked item for one feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub created_at: Option<i64>,
    pub pain: f64,
    pub sentiment: f64,
    pub kind: Kind,
    pub source: u32,
    pub persona: Option<u16>,
    pub id: String,
    /// The key the account value is looked up by: the account, else the customer.
    pub value_key: String,
    pub segment: Option<String>,
    /// Whether any of this customer's items on the feature threatened churn.
    pub churn: bool,
    /// The most votes any of the customer's items for the feature had:
    /// people who endorsed it without writing (see `docs/PRESETS.md`).
    pub votes: u32,
}

impl Mention {
    /// A total order: later first; on the same date, more painful.
    fn rank(&self, other: &Mention) -> Ordering {
        self.created_at
            .cmp(&other.created_at)
            .then(self.pain.total_cmp(&other.pain))
            .then(other.source.cmp(&self.source))
            .then_with(|| other.id.cmp(&self.id))
            .then_with(|| self.sentiment.total_cmp(&other.sentiment))
    }
}

/// A quote candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub pain: f64,
    pub created_at: Option<i64>,
    pub source: u32,
    pub id: String,
    pub customer: Option<String>,
    pub text: String,
}

impl Quote {
    /// Best first: most painful, then most recent, then by source and id.
    fn better(&self, other: &Quote) -> Ordering {
        other
            .pain
            .total_cmp(&self.pain)
            .then(other.created_at.cmp(&self.created_at))
            .then(self.source.cmp(&other.source))
            .then_with(|| self.id.cmp(&other.id))
            .then_with(|| self.text.cmp(&other.text))
            .then_with(|| self.customer.cmp(&other.customer))
    }
}

/// Keeps the best `keep` quotes.
fn offer(list: &mut Vec<Quote>, q: Quote, keep: usize) {
    if list.len() >= keep
        && list
            .last()
            .is_some_and(|worst| q.better(worst) != Ordering::Less)
    {
        return;
    }
    let at = list.partition_point(|x| x.better(&q) == Ordering::Less);
    list.insert(at, q);
    list.truncate(keep);
}

#[derive(Debug, Clone, Default)]
pub struct FeatureAcc {
    pub mentions: u64,
    pub customers: HashMap<String, Mention>,
    /// Counts by stage (last slot: unknown), persona (likewise), kind and source.
    pub stages: Vec<u64>,
    pub personas: Vec<u64>,
    pub kinds: [u64; 6],
    pub sources: Vec<u64>,
    pub evidence: Vec<Quote>,
    /// Pain (in millionths) and items in the trend's recent and prior periods.
    pub recent_pain: u64,
    pub prior_pain: u64,
}

/// Item counts and pain for one stage × persona cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    pub items: u64,
    pub pain_micros: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SourceCounts {
    pub items: u64,
    pub linked: u64,
    pub rejected: u64,
}

#[derive(Debug, Clone)]
pub struct Accumulator {
    pub features: Vec<FeatureAcc>,
    /// The largest value seen for each account.
    pub accounts: HashMap<String, f64>,
    pub stages: usize,
    pub personas: usize,
    /// `(stages + 1) × (personas + 1)` cells, row-major by stage.
    pub matrix: Vec<Cell>,
    pub linked: u64,
    pub unlinked: u64,
    pub rejected: u64,
    pub outside_window: u64,
    pub future: u64,
    pub sources: Vec<SourceCounts>,
    pub unlinked_examples: Vec<Quote>,
    /// Every customer with a scored item, linked or not.
    pub customers: std::collections::HashSet<String>,
}

/// How many unlinked items a report quotes.
pub const UNLINKED_KEEP: usize = 10;

/// Longest quote kept, in characters.
pub const QUOTE_CHARS: usize = 280;

impl Accumulator {
    pub fn new(features: usize, stages: usize, personas: usize, sources: usize) -> Accumulator {
        Accumulator {
            features: (0..features)
                .map(|_| FeatureAcc {
                    stages: vec![0; stages + 1],
                    personas: vec![0; personas + 1],
                    sources: vec![0; sources],
                    ..FeatureAcc::default()
                })
                .collect(),
            accounts: HashMap::new(),
            stages,
            personas,
            matrix: vec![Cell::default(); (stages + 1) * (personas + 1)],
            linked: 0,
            unlinked: 0,
            rejected: 0,
            outside_window: 0,
            future: 0,
            sources: vec![SourceCounts::default(); sources],
            unlinked_examples: Vec::new(),
            customers: std::collections::HashSet::new(),
        }
    }

    /// An empty accumulator shaped like this one.
    pub fn empty_like(&self) -> Accumulator {
        Accumulator::new(
            self.features.len(),
            self.stages,
            self.personas,
            self.sources.len(),
        )
    }

    pub fn reject(&mut self, source: usize) {
        self.rejected += 1;
        self.sources[source].rejected += 1;
    }

    pub fn add(&mut self, item: &Item, tags: &Tags, window: &Window) {
        let src = item.source;
        self.sources[src].items += 1;
        if tags.features.is_empty() {
            self.unlinked += 1;
        } else {
            self.linked += 1;
            self.sources[src].linked += 1;
        }
        if let Some(t) = item.created_at {
            if t > window.as_of_end {
                self.future += 1;
                return;
            }
            if window.max_age.is_some_and(|max| window.as_of_end - t > max) {
                self.outside_window += 1;
                return;
            }
        }

        let stage = tags.stage.map_or(self.stages, usize::from);
        let persona = tags.persona.map_or(self.personas, usize::from);
        let pain_micros = (tags.pain * MICROS).round() as u64;
        let cell = &mut self.matrix[stage * (self.personas + 1) + persona];
        cell.items += 1;
        cell.pain_micros += pain_micros;

        let customer_key = customer_key(item);
        if !self.customers.contains(&customer_key) {
            self.customers.insert(customer_key.clone());
        }
        let value_key = match &item.account {
            Some(a) => format!("a:{}", a.to_lowercase()),
            None => customer_key.clone(),
        };
        if let Some(v) = item.value.filter(|v| *v > 0.0) {
            let slot = self.accounts.entry(value_key.clone()).or_insert(v);
            *slot = slot.max(v);
        }

        if tags.features.is_empty() {
            offer(
                &mut self.unlinked_examples,
                quote(item, tags),
                UNLINKED_KEEP,
            );
            return;
        }
        let kind = tags.kind();
        let mention = Mention {
            created_at: item.created_at,
            pain: tags.pain,
            sentiment: tags.sentiment,
            kind,
            source: src as u32,
            persona: tags.persona,
            id: item.id.clone(),
            value_key,
            segment: item.segment.clone(),
            churn: kind == Kind::ChurnRisk,
            votes: item.votes,
        };
        let age = item.created_at.map(|t| window.as_of_end - t);
        let recent = age.is_some_and(|a| a < window.trend_recent);
        let prior = age.is_some_and(|a| {
            a >= window.trend_recent && a < window.trend_recent + window.trend_prior
        });
        for &f in &tags.features {
            let fa = &mut self.features[f as usize];
            fa.mentions += 1;
            fa.stages[stage] += 1;
            fa.personas[persona] += 1;
            fa.kinds[kind.index()] += 1;
            fa.sources[src] += 1;
            if recent {
                fa.recent_pain += pain_micros;
            } else if prior {
                fa.prior_pain += pain_micros;
            }
            keep_latest(&mut fa.customers, customer_key.clone(), mention.clone());
            offer(&mut fa.evidence, quote(item, tags), EVIDENCE_KEEP);
        }
    }

    /// Merges another accumulator into this one. Order does not matter.
    pub fn merge(&mut self, other: Accumulator) {
        for (a, b) in self.features.iter_mut().zip(other.features) {
            a.mentions += b.mentions;
            a.recent_pain += b.recent_pain;
            a.prior_pain += b.prior_pain;
            add_all(&mut a.stages, &b.stages);
            add_all(&mut a.personas, &b.personas);
            add_all(&mut a.sources, &b.sources);
            for (x, y) in a.kinds.iter_mut().zip(b.kinds) {
                *x += y;
            }
            for (k, m) in b.customers {
                keep_latest(&mut a.customers, k, m);
            }
            for q in b.evidence {
                offer(&mut a.evidence, q, EVIDENCE_KEEP);
            }
        }
        for (k, v) in other.accounts {
            let slot = self.accounts.entry(k).or_insert(v);
            *slot = slot.max(v);
        }
        for (a, b) in self.matrix.iter_mut().zip(other.matrix) {
            a.items += b.items;
            a.pain_micros += b.pain_micros;
        }
        self.linked += other.linked;
        self.unlinked += other.unlinked;
        self.rejected += other.rejected;
        self.outside_window += other.outside_window;
        self.future += other.future;
        for (a, b) in self.sources.iter_mut().zip(other.sources) {
            a.items += b.items;
            a.linked += b.linked;
            a.rejected += b.rejected;
        }
        for q in other.unlinked_examples {
            offer(&mut self.unlinked_examples, q, UNLINKED_KEEP);
        }
        self.customers.extend(other.customers);
    }
}

/// Who a customer is: the customer field, else the account, else the item.
pub fn customer_key(item: &Item) -> String {
    match (&item.customer, &item.account) {
        (Some(c), _) => format!("c:{c}"),
        (None, Some(a)) => format!("a:{}", a.to_lowercase()),
        (None, None) => format!("i:{}:{}", item.source, item.id),
    }
}

fn keep_latest(map: &mut HashMap<String, Mention>, key: String, mut m: Mention) {
    match map.get_mut(&key) {
        Some(old) => {
            // An OR and a maximum: whatever the order, merging gives the
            // same result.
            let churn = old.churn || m.churn;
            let votes = old.votes.max(m.votes);
            if m.rank(old) == Ordering::Greater {
                m.churn = churn;
                *old = m;
            } else {
                old.churn = churn;
            }
            old.votes = votes;
        }
        None => {
            map.insert(key, m);
        }
    }
}

fn add_all(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

fn quote(item: &Item, tags: &Tags) -> Quote {
    Quote {
        pain: tags.pain,
        created_at: item.created_at,
        source: item.source as u32,
        id: item.id.clone(),
        customer: item.customer.clone().or_else(|| item.account.clone()),
        text: truncate(&item.text, QUOTE_CHARS),
    }
}

/// Cuts text to `max` characters at a word boundary, with an ellipsis, and
/// folds runs of white space (quotes are shown on one line).
pub fn truncate(text: &str, max: usize) -> String {
    let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() <= max {
        return folded;
    }
    let cut: String = folded.chars().take(max).collect();
    let at = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', '.', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, customer: &str, day: i64, text: &str) -> Item {
        Item {
            id: id.into(),
            customer: Some(customer.into()),
            created_at: Some(day * 86_400),
            text: text.into(),
            ..Item::default()
        }
    }

    fn tags(features: &[u32], pain: f64) -> Tags {
        Tags {
            features: features.to_vec(),
            pain,
            kind: Some(Kind::Bug),
            ..Tags::default()
        }
    }

    const WINDOW: Window = Window {
        as_of_end: 100 * 86_400,
        max_age: Some(50 * 86_400),
        trend_recent: 10 * 86_400,
        trend_prior: 30 * 86_400,
    };

    #[test]
    fn a_customer_counts_once_through_the_latest_item() {
        let mut acc = Accumulator::new(1, 0, 0, 1);
        acc.add(&item("1", "ann", 90, "old"), &tags(&[0], 0.9), &WINDOW);
        acc.add(&item("2", "ann", 95, "new"), &tags(&[0], 0.2), &WINDOW);
        let f = &acc.features[0];
        assert_eq!(f.mentions, 2);
        assert_eq!(f.customers.len(), 1);
        assert_eq!(f.customers["c:ann"].id, "2");
    }

    #[test]
    fn a_customer_keeps_the_most_votes_in_any_order() {
        let mut voted = item("1", "ann", 90, "old, much voted");
        voted.votes = 7;
        let newer = item("2", "ann", 95, "new");
        for order in [[&voted, &newer], [&newer, &voted]] {
            let mut acc = Accumulator::new(1, 0, 0, 1);
            for i in order {
                acc.add(i, &tags(&[0], 0.5), &WINDOW);
            }
            let m = &acc.features[0].customers["c:ann"];
            assert_eq!((m.id.as_str(), m.votes), ("2", 7));
        }
    }

    #[test]
    fn window_and_future_items_are_counted_not_scored() {
        let mut acc = Accumulator::new(1, 0, 0, 1);
        acc.add(&item("1", "a", 10, "x"), &tags(&[0], 0.5), &WINDOW);
        acc.add(&item("2", "b", 101, "x"), &tags(&[0], 0.5), &WINDOW);
        acc.add(&item("3", "c", 60, "x"), &tags(&[], 0.5), &WINDOW);
        assert_eq!((acc.linked, acc.unlinked), (2, 1));
        assert_eq!((acc.outside_window, acc.future), (1, 1));
        assert_eq!(acc.features[0].mentions, 0);
    }

    #[test]
    fn merge_equals_sequential_adding() {
        let items: Vec<(Item, Tags)> = (0..40)
            .map(|i| {
                (
                    item(
                        &i.to_string(),
                        &format!("c{}", i % 7),
                        60 + i % 30,
                        &format!("text {i}"),
                    ),
                    tags(&[(i % 3) as u32], (i % 10) as f64 / 10.0),
                )
            })
            .collect();
        let mut all = Accumulator::new(3, 0, 0, 1);
        for (i, t) in &items {
            all.add(i, t, &WINDOW);
        }
        let mut a = Accumulator::new(3, 0, 0, 1);
        let mut b = Accumulator::new(3, 0, 0, 1);
        for (n, (i, t)) in items.iter().enumerate().rev() {
            if n % 2 == 0 { &mut a } else { &mut b }.add(i, t, &WINDOW);
        }
        b.merge(a);
        for (x, y) in all.features.iter().zip(&b.features) {
            assert_eq!(x.mentions, y.mentions);
            assert_eq!(x.customers, y.customers);
            assert_eq!(x.evidence, y.evidence);
        }
        assert_eq!(all.matrix, b.matrix);
    }

    #[test]
    fn truncates_at_a_word_boundary() {
        assert_eq!(truncate("short  text\n", 20), "short text");
        assert_eq!(truncate("one two three four five", 12), "one two…");
    }
}
