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
use std::hash::{BuildHasherDefault, Hasher};

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

/// Why an item falls outside the [`Window`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outside {
    /// Written after the `--as-of` day.
    Future,
    /// Older than `window_days`.
    TooOld,
}

impl Window {
    /// Whether an item written at `created_at` is left out of the ranking,
    /// and why. An item with no date always counts.
    #[inline]
    pub fn outside(&self, created_at: Option<i64>) -> Option<Outside> {
        let t = created_at?;
        if t > self.as_of_end {
            Some(Outside::Future)
        } else if self.max_age.is_some_and(|max| self.as_of_end - t > max) {
            Some(Outside::TooOld)
        } else {
            None
        }
    }

    /// How far the feedback stops short of `--as-of`, when that is more
    /// than a quarter of the trend's recent days: those days then hold too
    /// little of it for a fair trend. `newest` is when the newest item up
    /// to `--as-of` was written. A daily or weekly export ranked on the day
    /// stays under it.
    pub fn staleness(&self, newest: Option<i64>) -> Option<Staleness> {
        let newest = newest?;
        let recent_days = self.trend_recent / 86_400;
        let days_before = self.as_of_end.saturating_sub(newest).max(0) / 86_400;
        (recent_days > 0 && days_before * 4 > recent_days).then_some(Staleness {
            newest,
            days_before,
            recent_days,
        })
    }
}

/// Feedback that ends well before `--as-of` ([`Window::staleness`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Staleness {
    /// When the newest item up to `--as-of` was written, epoch seconds.
    pub newest: i64,
    /// Whole days from it to the end of the `--as-of` day.
    pub days_before: i64,
    /// The trend's recent days (`trend_days`).
    pub recent_days: i64,
}

impl Staleness {
    /// The newest item's day, `YYYY-MM-DD`.
    pub fn day(&self) -> String {
        crate::ingest::values::format_day(self.newest)
    }

    /// What it does to the trends, for a warning that `--as-of` follows.
    pub fn describe(&self, as_of: &str) -> String {
        use crate::plural::count;
        let effect = if self.days_before >= self.recent_days {
            format!(
                "none is from the trend's last {}, so every trend shows a fall",
                count(self.recent_days as u64, "day")
            )
        } else {
            format!(
                "only {} of the trend's last {} hold feedback, so trends read low",
                count((self.recent_days - self.days_before) as u64, "day"),
                self.recent_days
            )
        };
        format!(
            "the newest item up to --as-of {as_of} is from {}, {} earlier: {effect}",
            self.day(),
            count(self.days_before as u64, "day"),
        )
    }
}

/// The earlier of two optional times, either of which may be missing.
pub fn earlier(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// When every dated item is after `--as-of` (`newest` is `None` and
/// `future` items were), nothing is scored and every score is 0: a typo in
/// the year, or a date that should be the export's end. What to say, or
/// `None` when some item is up to `--as-of`.
pub fn all_after_as_of(
    newest: Option<i64>,
    future: u64,
    first_future: Option<i64>,
    as_of: &str,
) -> Option<String> {
    if newest.is_some() || future == 0 {
        return None;
    }
    let items = if future == 1 {
        "the one dated item is".to_string()
    } else {
        format!("all {future} dated items are")
    };
    let first = first_future.map_or(String::new(), |t| {
        format!(
            " (the first is from {})",
            crate::ingest::values::format_day(t)
        )
    });
    Some(format!(
        "{items} after --as-of {as_of}{first}, so nothing is scored and every score is 0; check the year of --as-of, or rank as of the export's last day"
    ))
}

/// Rounds to millionths, the resolution the accumulator keeps pain and
/// sentiment at. `tag` writes them at that resolution, so that ranking its
/// output (`rank --tagged`) gives exactly the scores of ranking the raw
/// input, even if a JSON parser is off by one unit in the last place.
pub fn micros(x: f64) -> f64 {
    (x * MICROS).round() / MICROS
}

/// Hashes small integer ids that painmap assigns itself (so nobody can
/// choose them to collide): one multiply, no SipHash rounds.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        // The golden-ratio multiplier spreads consecutive ids over the
        // high bits, which hashbrown uses to pick groups.
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The hasher of maps keyed by ids or by hashes that are already mixed.
pub type IdBuild = BuildHasherDefault<IdHasher>;

/// A map keyed by ids from [`Keys`].
pub type IdMap<V> = HashMap<u32, V, IdBuild>;

/// The strings the accumulator refers to by number: customer keys, value
/// keys and segments. Numbers are local to one accumulator; merging
/// translates them.
///
/// Every item looks up its customer (and account) here, and there are tens
/// of thousands of customers, so the table does not fit in L2. With the
/// keys in `Arc<str>`s, a lookup missed twice: on the table entry, then on
/// the heap string the equality check compares. Short keys, which are
/// nearly all of them ("c:" and an e-mail address), are therefore kept in
/// the table's entries themselves, so the check reads the line the entry
/// is on; longer keys go to a second map. The names by number, which only
/// reports, ties and merging read, are one string.
///
/// Measured at 1M rows (50,000 customers), default threads, `perf record`:
/// `memcmp` and `Keys::intern` had 8-9% of the samples, `Keys::get` and
/// `memcmp` have 5-5.5%. Part of that comes back in the lookups that follow
/// (`keep_latest`, the customer set), whose misses the core probably
/// overlapped with the string's, running ahead on a guess that the
/// comparison succeeds; so the run as a whole gains little: median user
/// time 3.28 s to 3.16 s with the default threads, no measurable change
/// with one. Simulated last-level
/// read misses (cachegrind, 1 MiB, 100k rows, one thread): 3.96 M to
/// 3.68 M. Entries of 64 bytes aligned to a cache line (59 bytes inline)
/// missed slightly less but were no faster and took 1.5 MB more.
///
/// The short keys' table is our own (`ShortTable`) so that the pipeline
/// can fetch an item's entries an item ahead ([`Keys::prefetch`]): with
/// that, `Keys::get` fell from 8.5% to 1.1% of `perf record`'s samples on
/// one thread at 1M rows, for 1.8% spent fetching.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    /// Keys of up to [`INLINE`] bytes, with their numbers.
    short: ShortTable,
    /// Longer keys.
    long: HashMap<Box<str>, u32, foldhash::fast::RandomState>,
    /// Every key, by number, one after another.
    text: String,
    /// Where each key ends in `text`.
    ends: Vec<usize>,
}

/// The longest key [`Short`] holds: an entry is 48 bytes.
const INLINE: usize = 43;

/// A short key and its number, the entry of [`Keys::short`]. Equal and
/// hashed as its bytes alone, so that the set can be searched by `&[u8]`.
#[derive(Debug, Clone, Copy)]
struct Short {
    id: u32,
    len: u8,
    bytes: [u8; INLINE],
}

impl Short {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// The number [`ShortTable`] keeps in an empty slot.
const EMPTY: u32 = u32::MAX;

/// An open-addressing table of [`Short`] entries (linear probing, at most
/// half full), ours rather than a `HashSet` so that [`Keys::prefetch`] can
/// find the slot a key will be looked up in and fetch it into the cache
/// while the item is being tagged: a lookup of one of tens of thousands of
/// customers is otherwise a miss, which `perf` put at 7-8% of the time of
/// a run on one thread.
#[derive(Debug, Clone, Default)]
struct ShortTable {
    /// A power of two long, or empty; an entry numbered [`EMPTY`] is free.
    slots: Vec<Short>,
    used: usize,
    /// Seeded per process: keys come from the feedback, which must not be
    /// able to choose collisions.
    hasher: foldhash::fast::RandomState,
}

impl ShortTable {
    #[inline]
    fn home(&self, key: &[u8]) -> usize {
        use std::hash::BuildHasher;
        self.hasher.hash_one(key) as usize & self.slots.len().wrapping_sub(1)
    }

    /// The number of `key`, if it is in the table.
    #[inline]
    fn get(&self, key: &[u8]) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let e = &self.slots[i];
            if e.id == EMPTY {
                return None;
            }
            if e.as_bytes() == key {
                return Some(e.id);
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `key`, which is not in the table, as number `id`.
    fn insert(&mut self, key: &[u8], id: u32) {
        if 2 * (self.used + 1) > self.slots.len() {
            self.grow();
        }
        let mut bytes = [0; INLINE];
        bytes[..key.len()].copy_from_slice(key);
        let entry = Short {
            id,
            len: key.len() as u8,
            bytes,
        };
        self.place(entry);
        self.used += 1;
    }

    /// Puts `entry` in the first free slot from its home.
    fn place(&mut self, entry: Short) {
        let mask = self.slots.len() - 1;
        let mut i = self.home(entry.as_bytes());
        while self.slots[i].id != EMPTY {
            i = (i + 1) & mask;
        }
        self.slots[i] = entry;
    }

    fn grow(&mut self) {
        let free = Short {
            id: EMPTY,
            len: 0,
            bytes: [0; INLINE],
        };
        let len = (self.slots.len() * 2).max(64);
        let old = std::mem::replace(&mut self.slots, vec![free; len]);
        for e in old.into_iter().filter(|e| e.id != EMPTY) {
            self.place(e);
        }
    }

    /// Asks for the cache lines of the slot where `key`'s lookup starts.
    #[inline]
    fn prefetch(&self, key: &[u8]) {
        if let Some(e) = self.slots.get(self.home(key)) {
            // An entry is 48 bytes, so it may straddle two lines.
            let p = (e as *const Short).cast::<u8>();
            crate::prefetch::prefetch(p);
            crate::prefetch::prefetch(p.wrapping_add(std::mem::size_of::<Short>() - 1));
        }
    }
}

impl Keys {
    /// The number of `s`, adding it if new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(k) = self.get(s) {
            return k;
        }
        let k = u32::try_from(self.ends.len()).expect("fewer than 2^32 customers");
        if s.len() <= INLINE {
            self.short.insert(s.as_bytes(), k);
        } else {
            self.long.insert(s.into(), k);
        }
        self.text.push_str(s);
        self.ends.push(self.text.len());
        k
    }

    /// The number of `s`, if known.
    pub fn get(&self, s: &str) -> Option<u32> {
        if s.len() <= INLINE {
            self.short.get(s.as_bytes())
        } else {
            self.long.get(s).copied()
        }
    }

    /// Fetches into the cache where [`Keys::get`] will look for `s`: a
    /// hint, which changes nothing else.
    #[inline]
    pub fn prefetch(&self, s: &str) {
        if s.len() <= INLINE {
            self.short.prefetch(s.as_bytes());
        }
    }

    /// The key numbered `k`.
    pub fn name(&self, k: u32) -> &str {
        let k = k as usize;
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.text[start..self.ends[k]]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The keys in order of their numbers.
    fn names(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|k| self.name(k as u32))
    }
}

/// A set of [`Keys`] numbers, which are dense: a bit for each, and a
/// count. Every item adds its customer, and a hash set's lookup took 0.6 to
/// 1.2% of the run's samples (`perf record`, 1M rows).
#[derive(Debug, Clone, Default)]
pub struct KeySet {
    bits: Vec<u64>,
    len: usize,
}

impl KeySet {
    /// Adds `k`.
    pub fn insert(&mut self, k: u32) {
        let (word, bit) = (k as usize / 64, 1u64 << (k % 64));
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        if self.bits[word] & bit == 0 {
            self.bits[word] |= bit;
            self.len += 1;
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The numbers in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.bits.iter().enumerate().flat_map(|(w, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let b = rest.trailing_zeros();
                    rest &= rest - 1;
                    w as u32 * 64 + b
                })
            })
        })
    }
}

const NO_DATE: i64 = i64::MIN;
const NO_KEY: u32 = u32::MAX;
const NO_PERSONA: u16 = u16::MAX;

/// A customer's most recent linked item for one feature. There is one per
/// feature and customer, so it is kept small (48 bytes, no heap): numbers
/// in millionths, strings as [`Keys`] ids, the item id as a hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    created_at: i64,
    id_hash: u64,
    pain_micros: u32,
    sentiment_micros: i32,
    source: u32,
    value_key: u32,
    segment: u32,
    /// The most votes any of the customer's items for the feature had:
    /// people who endorsed it without writing (see `docs/PRESETS.md`).
    votes: u32,
    persona: u16,
    kind: Kind,
    /// Whether any of this customer's items on the feature threatened churn.
    churn: bool,
}

impl Mention {
    pub fn created_at(&self) -> Option<i64> {
        (self.created_at != NO_DATE).then_some(self.created_at)
    }

    pub fn pain(&self) -> f64 {
        f64::from(self.pain_micros) / MICROS
    }

    pub fn sentiment(&self) -> f64 {
        f64::from(self.sentiment_micros) / MICROS
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn source(&self) -> u32 {
        self.source
    }

    pub fn persona(&self) -> Option<u16> {
        (self.persona != NO_PERSONA).then_some(self.persona)
    }

    /// The [`Keys`] id of the key the account value is looked up by: the
    /// account, else the customer.
    pub fn value_key(&self) -> u32 {
        self.value_key
    }

    /// Whether any of the customer's items on the feature threatened churn.
    pub fn churn(&self) -> bool {
        self.churn
    }

    /// The most votes any of the customer's items on the feature had.
    pub fn votes(&self) -> u32 {
        self.votes
    }

    /// The [`Keys`] id of the item's plan or segment.
    pub fn segment(&self) -> Option<u32> {
        (self.segment != NO_KEY).then_some(self.segment)
    }

    /// A total order over the item's contents: later first; on the same
    /// date, more painful; then by source and item id. Strings are compared
    /// last, and only when everything else ties.
    fn rank(&self, other: &Mention, keys: &Keys) -> Ordering {
        self.created_at
            .cmp(&other.created_at)
            .then(self.pain_micros.cmp(&other.pain_micros))
            .then(other.source.cmp(&self.source))
            .then(other.id_hash.cmp(&self.id_hash))
            .then(self.sentiment_micros.cmp(&other.sentiment_micros))
            .then((self.kind, self.persona).cmp(&(other.kind, other.persona)))
            .then_with(|| {
                let name = |k: u32| (k != NO_KEY).then(|| keys.name(k));
                (name(self.value_key), name(self.segment))
                    .cmp(&(name(other.value_key), name(other.segment)))
            })
    }
}

/// A stable 64-bit hash of an item id (FNV-1a, the normalizer's
/// [`token_hash`]): the same on every machine and run, so the tie-break it
/// serves is deterministic.
///
/// [`token_hash`]: crate::text::normalize::token_hash
pub fn id_hash(id: &str) -> u64 {
    crate::text::normalize::token_hash(id)
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
        quote_prefix(self.pain, self.created_at, self.source, &self.id, other)
            .then_with(|| self.text.cmp(&other.text))
            .then_with(|| self.customer.cmp(&other.customer))
    }
}

/// The start of [`Quote::better`], from fields an item has without building
/// its quote.
fn quote_prefix(
    pain: f64,
    created_at: Option<i64>,
    source: u32,
    id: &str,
    other: &Quote,
) -> Ordering {
    other
        .pain
        .total_cmp(&pain)
        .then(other.created_at.cmp(&created_at))
        .then(source.cmp(&other.source))
        .then_with(|| id.cmp(&other.id))
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

/// Whether an item's quote could enter a full list: most items' cannot, and
/// this answers without building the quote (which copies and folds text).
fn may_enter(list: &[Quote], keep: usize, pain: f64, item: &Item) -> bool {
    if list.len() < keep {
        return true;
    }
    list.last().is_none_or(|worst| {
        quote_prefix(pain, item.created_at, item.source as u32, &item.id, worst)
            != Ordering::Greater
    })
}

#[derive(Debug, Clone, Default)]
pub struct FeatureAcc {
    pub mentions: u64,
    /// By the [`Keys`] id of the customer key.
    pub customers: Customers,
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
    pub duplicates: u64,
}

#[derive(Debug, Clone)]
pub struct Accumulator {
    pub features: Vec<FeatureAcc>,
    /// Customer keys, value keys and segments, by id.
    pub keys: Keys,
    /// The largest value seen for each account, by the [`Keys`] id of its
    /// value key.
    pub accounts: IdMap<f64>,
    pub stages: usize,
    pub personas: usize,
    /// `(stages + 1) × (personas + 1)` cells, row-major by stage.
    pub matrix: Vec<Cell>,
    pub linked: u64,
    pub unlinked: u64,
    pub rejected: u64,
    /// Rows that repeat an earlier one: counted once, through it.
    pub duplicates: u64,
    pub outside_window: u64,
    pub future: u64,
    /// When the newest item up to `--as-of` was written (epoch seconds),
    /// scored or too old, if any has a date: see [`Window::staleness`].
    pub newest: Option<i64>,
    /// When the first item after `--as-of` was written: see
    /// [`all_after_as_of`].
    pub first_future: Option<i64>,
    pub sources: Vec<SourceCounts>,
    pub unlinked_examples: Vec<Quote>,
    /// Every customer with a scored item, linked or not, by [`Keys`] id.
    pub customers: KeySet,
    /// Reused to build keys without allocating per item.
    buf: String,
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
            keys: Keys::default(),
            accounts: IdMap::default(),
            stages,
            personas,
            matrix: vec![Cell::default(); (stages + 1) * (personas + 1)],
            linked: 0,
            unlinked: 0,
            rejected: 0,
            duplicates: 0,
            outside_window: 0,
            future: 0,
            newest: None,
            first_future: None,
            sources: vec![SourceCounts::default(); sources],
            unlinked_examples: Vec::new(),
            customers: Default::default(),
            buf: String::new(),
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

    /// Makes room for one more source, for readers that learn their
    /// sources as they go.
    pub fn push_source(&mut self) {
        self.sources.push(SourceCounts::default());
        for f in &mut self.features {
            f.sources.push(0);
        }
    }

    pub fn reject(&mut self, source: usize) {
        self.rejected += 1;
        self.sources[source].rejected += 1;
    }

    /// Counts a row of `source` that repeats one read before.
    pub fn duplicate(&mut self, source: usize) {
        self.duplicates += 1;
        self.sources[source].duplicates += 1;
    }

    /// A customer's key, as [`customer_key`] spells it, by id.
    pub fn customer_id(&self, key: &str) -> Option<u32> {
        self.keys.get(key)
    }

    /// Fetches into the cache the entries of `item`'s customer and account
    /// that [`Accumulator::add`] will look up: call it an item ahead, so
    /// that the fetch overlaps with tagging rather than stalling the add.
    /// A hint, which changes nothing else.
    pub fn prefetch(&mut self, item: &Item, window: &Window) {
        // An item outside the window is counted and looks nothing up.
        if window.outside(item.created_at).is_some() {
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        write_customer_key(item, &mut buf);
        self.keys.prefetch(&buf);
        if let Some(a) = &item.account {
            write_account_key(a, &mut buf);
            self.keys.prefetch(&buf);
        }
        self.buf = buf;
    }

    /// Fetches into the cache the slots of `item`'s customer in each
    /// feature it links to, which [`Accumulator::add`] will update: call it
    /// once the item is tagged and add the item after tagging the next.
    /// Once its customer's entry is in the cache ([`Accumulator::prefetch`]),
    /// this looks up nothing that misses. A hint, which changes nothing else.
    pub fn prefetch_mentions(&mut self, item: &Item, tags: &Tags, window: &Window) {
        if tags.features.is_empty() || window.outside(item.created_at).is_some() {
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        write_customer_key(item, &mut buf);
        if let Some(customer) = self.keys.get(&buf) {
            for &f in &tags.features {
                self.features[f as usize].customers.prefetch(customer);
            }
        }
        self.buf = buf;
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
        // An item outside the window is counted above, as linked or not,
        // and no further: `Tagger::tag_within` gives it its links alone.
        match window.outside(item.created_at) {
            Some(Outside::Future) => {
                self.future += 1;
                self.first_future = earlier(self.first_future, item.created_at);
                return;
            }
            Some(Outside::TooOld) => {
                self.outside_window += 1;
                self.newest = self.newest.max(item.created_at);
                return;
            }
            None => self.newest = self.newest.max(item.created_at),
        }

        let stage = tags.stage.map_or(self.stages, usize::from);
        let persona = tags.persona.map_or(self.personas, usize::from);
        let pain_micros = (tags.pain.clamp(0.0, 1.0) * MICROS).round() as u32;
        let pain = f64::from(pain_micros) / MICROS;
        let cell = &mut self.matrix[stage * (self.personas + 1) + persona];
        cell.items += 1;
        cell.pain_micros += u64::from(pain_micros);

        let mut buf = std::mem::take(&mut self.buf);
        write_customer_key(item, &mut buf);
        let customer = self.keys.intern(&buf);
        self.customers.insert(customer);
        let value_key = match &item.account {
            Some(a) => {
                write_account_key(a, &mut buf);
                self.keys.intern(&buf)
            }
            None => customer,
        };
        self.buf = buf;
        if let Some(v) = item.value.filter(|v| *v > 0.0) {
            let slot = self.accounts.entry(value_key).or_insert(v);
            *slot = slot.max(v);
        }

        if tags.features.is_empty() {
            if may_enter(&self.unlinked_examples, UNLINKED_KEEP, pain, item) {
                offer(
                    &mut self.unlinked_examples,
                    quote(item, pain),
                    UNLINKED_KEEP,
                );
            }
            return;
        }
        let kind = tags.kind();
        let mention = Mention {
            created_at: item.created_at.unwrap_or(NO_DATE),
            id_hash: id_hash(&item.id),
            pain_micros,
            sentiment_micros: (tags.sentiment.clamp(-1.0, 1.0) * MICROS).round() as i32,
            source: src as u32,
            value_key,
            segment: item
                .segment
                .as_deref()
                .map_or(NO_KEY, |s| self.keys.intern(s)),
            votes: item.votes,
            persona: tags.persona.unwrap_or(NO_PERSONA),
            kind,
            churn: kind == Kind::ChurnRisk,
        };
        let age = item.created_at.map(|t| window.as_of_end - t);
        let recent = age.is_some_and(|a| a < window.trend_recent);
        let prior = age.is_some_and(|a| {
            a >= window.trend_recent && a < window.trend_recent + window.trend_prior
        });
        let mut quoted: Option<Quote> = None;
        for &f in &tags.features {
            let fa = &mut self.features[f as usize];
            fa.mentions += 1;
            fa.stages[stage] += 1;
            fa.personas[persona] += 1;
            fa.kinds[kind.index()] += 1;
            fa.sources[src] += 1;
            if recent {
                fa.recent_pain += u64::from(pain_micros);
            } else if prior {
                fa.prior_pain += u64::from(pain_micros);
            }
            keep_latest(&mut fa.customers, customer, mention, &self.keys);
            if may_enter(&fa.evidence, EVIDENCE_KEEP, pain, item) {
                let q = quoted.get_or_insert_with(|| quote(item, pain)).clone();
                offer(&mut fa.evidence, q, EVIDENCE_KEEP);
            }
        }
    }

    /// Merges another accumulator into this one. Order does not matter.
    pub fn merge(&mut self, other: Accumulator) {
        // Translate the other's key ids into ours.
        let remap: Vec<u32> = other.keys.names().map(|n| self.keys.intern(n)).collect();
        let at = |k: u32| {
            if k == NO_KEY {
                NO_KEY
            } else {
                remap[k as usize]
            }
        };
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
            a.customers.reserve(b.customers.len());
            for (k, m) in b.customers.into_mentions() {
                let m = Mention {
                    value_key: at(m.value_key),
                    segment: at(m.segment),
                    ..m
                };
                keep_latest(&mut a.customers, at(k), m, &self.keys);
            }
            for q in b.evidence {
                offer(&mut a.evidence, q, EVIDENCE_KEEP);
            }
        }
        for (k, v) in other.accounts {
            let slot = self.accounts.entry(at(k)).or_insert(v);
            *slot = slot.max(v);
        }
        for (a, b) in self.matrix.iter_mut().zip(other.matrix) {
            a.items += b.items;
            a.pain_micros += b.pain_micros;
        }
        self.linked += other.linked;
        self.unlinked += other.unlinked;
        self.rejected += other.rejected;
        self.duplicates += other.duplicates;
        self.outside_window += other.outside_window;
        self.future += other.future;
        self.newest = self.newest.max(other.newest);
        self.first_future = earlier(self.first_future, other.first_future);
        for (a, b) in self.sources.iter_mut().zip(other.sources) {
            a.items += b.items;
            a.linked += b.linked;
            a.rejected += b.rejected;
            a.duplicates += b.duplicates;
        }
        for q in other.unlinked_examples {
            offer(&mut self.unlinked_examples, q, UNLINKED_KEEP);
        }
        for k in other.customers.iter() {
            self.customers.insert(remap[k as usize]);
        }
    }
}

/// Who a customer is: the customer field, else the account, else the item.
pub fn customer_key(item: &Item) -> String {
    let mut key = String::new();
    write_customer_key(item, &mut key);
    key
}

/// A stable hash of an item's customer key, for routing each customer to
/// one worker. `buf` is scratch space.
pub fn customer_shard(item: &Item, buf: &mut String) -> u64 {
    write_customer_key(item, buf);
    id_hash(buf)
}

fn write_customer_key(item: &Item, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    match (&item.customer, &item.account) {
        (Some(c), _) => {
            out.push_str("c:");
            out.push_str(c);
        }
        (None, Some(a)) => write_account_key(a, out),
        (None, None) => {
            let _ = write!(out, "i:{}:{}", item.source, item.id);
        }
    }
}

/// `a:` and the account in lower case; accounts differ only in case are one.
fn write_account_key(account: &str, out: &mut String) {
    out.clear();
    out.push_str("a:");
    if account.is_ascii() {
        out.push_str(account);
        out[2..].make_ascii_lowercase();
    } else {
        // `str::to_lowercase` knows the context rules (final sigma).
        out.push_str(&account.to_lowercase());
    }
}

/// The first `max` characters of `text` with its runs of white space
/// folded to one space and none at the ends, and whether there was more.
fn fold_chars(text: &str, max: usize) -> (String, bool) {
    let mut cut = String::with_capacity(text.len().min(max.saturating_mul(4)));
    let mut chars = 0;
    for (k, word) in text.split_whitespace().enumerate() {
        for c in (k > 0).then_some(' ').into_iter().chain(word.chars()) {
            if chars == max {
                return (cut, true);
            }
            cut.push(c);
            chars += 1;
        }
    }
    (cut, false)
}

/// [`fold_chars`] for ASCII text, where a character is a byte: a word at a
/// time instead of a character at a time.
fn fold_ascii(text: &str, max: usize) -> (String, bool) {
    // `char::is_whitespace` on ASCII (vertical tab included).
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let bytes = text.as_bytes();
    let mut cut = String::with_capacity(text.len().min(max));
    let mut i = 0;
    loop {
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        if i == bytes.len() {
            return (cut, false);
        }
        let start = i;
        while i < bytes.len() && !is_space(bytes[i]) {
            i += 1;
        }
        if !cut.is_empty() {
            if cut.len() == max {
                return (cut, true);
            }
            cut.push(' ');
        }
        let room = max - cut.len();
        if i - start > room {
            cut.push_str(&text[start..start + room]);
            return (cut, true);
        }
        cut.push_str(&text[start..i]);
    }
}

/// Keeps the later of two mentions; both refer to `keys`.
fn keep_latest(map: &mut Customers, key: u32, mut m: Mention, keys: &Keys) {
    match map.slot(key) {
        Ok(old) => {
            // An OR and a maximum: whatever the order, merging gives the
            // same result.
            let churn = old.churn || m.churn;
            let votes = old.votes.max(m.votes);
            if m.rank(old, keys) == Ordering::Greater {
                m.churn = churn;
                *old = m;
            } else {
                old.churn = churn;
            }
            old.votes = votes;
        }
        Err(free) => map.fill(free, key, m),
    }
}

/// A feature's customers: the [`Mention`] that counts for each, by the
/// [`Keys`] id of their customer key.
///
/// Every linked item looks its customer up here, once per feature, and
/// the popular features have tens of thousands of customers, so a lookup
/// is a cache miss. The table is our own (open addressing, linear probing,
/// at most three quarters full, a cache line a slot) so that the pipeline
/// can fetch the slots an item will update while it tags the next item
/// ([`Customers::prefetch`]).
#[derive(Debug, Clone, Default)]
pub struct Customers {
    /// A power of two long, or empty; a slot keyed [`NO_KEY`] is free.
    slots: Vec<CustomerSlot>,
    len: usize,
}

#[derive(Debug, Clone, Copy)]
#[repr(align(64))]
struct CustomerSlot {
    key: u32,
    mention: Mention,
}

/// What a free slot holds.
const FREE: CustomerSlot = CustomerSlot {
    key: NO_KEY,
    mention: Mention {
        created_at: NO_DATE,
        id_hash: 0,
        pain_micros: 0,
        sentiment_micros: 0,
        source: 0,
        value_key: NO_KEY,
        segment: NO_KEY,
        votes: 0,
        persona: NO_PERSONA,
        kind: Kind::Other,
        churn: false,
    },
};

impl Customers {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where `key`'s lookup starts. Keys are numbers painmap hands out in
    /// order, so a multiply spreads them; nobody can choose them.
    #[inline]
    fn home(&self, key: u32) -> usize {
        let h = u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 32) as usize & self.slots.len().wrapping_sub(1)
    }

    /// The mention of `key`'s customer, if any.
    pub fn get(&self, key: u32) -> Option<&Mention> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            match self.slots[i].key {
                NO_KEY => return None,
                k if k == key => return Some(&self.slots[i].mention),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// `key`'s mention to update, or the free slot where it would go.
    #[inline]
    fn slot(&mut self, key: u32) -> Result<&mut Mention, usize> {
        if 4 * (self.len + 1) > 3 * self.slots.len() {
            self.grow(self.len + 1);
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            match self.slots[i].key {
                NO_KEY => return Err(i),
                k if k == key => return Ok(&mut self.slots[i].mention),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Puts `key`'s first mention in the free slot [`Customers::slot`] gave.
    fn fill(&mut self, free: usize, key: u32, mention: Mention) {
        self.slots[free] = CustomerSlot { key, mention };
        self.len += 1;
    }

    /// Makes room for `more` customers without growing again.
    pub fn reserve(&mut self, more: usize) {
        if 4 * (self.len + more) > 3 * self.slots.len() {
            self.grow(self.len + more);
        }
    }

    /// Grows to hold `n` customers at most three quarters full.
    fn grow(&mut self, n: usize) {
        let len = (n * 4).div_ceil(3).next_power_of_two().max(8);
        let old = std::mem::replace(&mut self.slots, vec![FREE; len]);
        let mask = len - 1;
        for s in old.into_iter().filter(|s| s.key != NO_KEY) {
            let mut i = self.home(s.key);
            while self.slots[i].key != NO_KEY {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }

    /// Each customer's key and mention, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &Mention)> {
        self.slots
            .iter()
            .filter(|s| s.key != NO_KEY)
            .map(|s| (s.key, &s.mention))
    }

    /// Each customer's key and mention, taken out, in no particular order.
    pub fn into_mentions(self) -> impl Iterator<Item = (u32, Mention)> {
        self.slots
            .into_iter()
            .filter(|s| s.key != NO_KEY)
            .map(|s| (s.key, s.mention))
    }

    /// Fetches into the cache the slot where `key`'s lookup starts: a
    /// hint, which changes nothing else.
    #[inline]
    pub fn prefetch(&self, key: u32) {
        if let Some(s) = self.slots.get(self.home(key)) {
            crate::prefetch::prefetch((s as *const CustomerSlot).cast());
        }
    }
}

fn add_all(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

fn quote(item: &Item, pain: f64) -> Quote {
    Quote {
        pain,
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
    // Folds and cuts in one pass: `cut` gets the first `max` characters of
    // the folded text, and `over` says whether there was more.
    let (cut, over) = if text.is_ascii() {
        fold_ascii(text, max)
    } else {
        fold_chars(text, max)
    };
    if !over {
        return cut;
    }
    let at = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', '.', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`truncate`] as first written, in several passes.
    fn truncate_by_passes(text: &str, max: usize) -> String {
        let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if folded.chars().count() <= max {
            return folded;
        }
        let cut: String = folded.chars().take(max).collect();
        let at = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
        format!("{}…", cut[..at].trim_end_matches([',', '.', ';', ':', ' ']))
    }

    proptest::proptest! {
        #[test]
        fn ascii_folding_matches_the_char_folding(
            text in "[a-c ,.\t\n\x0b\x0c\r]{0,40}",
            max in 0usize..30,
        ) {
            proptest::prop_assert_eq!(fold_ascii(&text, max), fold_chars(&text, max));
        }

        #[test]
        fn truncate_in_one_pass_matches_the_passes(
            text in "[a-zé, .;:\t\n]{0,60}",
            max in 0usize..30,
        ) {
            proptest::prop_assert_eq!(truncate(&text, max), truncate_by_passes(&text, max));
        }
    }

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
        let ann = acc.customer_id("c:ann").unwrap();
        assert_eq!(f.customers.get(ann).unwrap().pain(), 0.2);
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
            let ann = acc.customer_id("c:ann").unwrap();
            let m = acc.features[0].customers.get(ann).unwrap();
            assert_eq!((m.created_at(), m.votes()), (Some(95 * 86_400), 7));
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
            assert_eq!(by_name(&all, x), by_name(&b, y));
            assert_eq!(x.evidence, y.evidence);
        }
        assert_eq!(all.matrix, b.matrix);
    }

    /// A feature's customers with ids replaced by names, which do not
    /// depend on the order keys were first seen in.
    fn by_name(acc: &Accumulator, f: &FeatureAcc) -> Vec<(String, String, Option<i64>, f64)> {
        let mut v: Vec<_> = f
            .customers
            .iter()
            .map(|(k, m)| {
                (
                    acc.keys.name(k).to_string(),
                    acc.keys.name(m.value_key()).to_string(),
                    m.created_at(),
                    m.pain(),
                )
            })
            .collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v
    }

    #[test]
    fn a_mention_is_small() {
        // One per feature and customer: the bulk of the memory at scale.
        assert!(std::mem::size_of::<Mention>() <= 48);
    }

    #[test]
    fn a_key_set_counts_each_number_once() {
        let mut set = KeySet::default();
        assert!(set.is_empty());
        for k in [5, 64, 5, 0, 200, 64, 63] {
            set.insert(k);
        }
        assert_eq!(set.len(), 5);
        assert_eq!(set.iter().collect::<Vec<_>>(), [0, 5, 63, 64, 200]);
    }

    #[test]
    fn a_short_key_entry_is_48_bytes() {
        assert_eq!(std::mem::size_of::<Short>(), 48);
    }

    #[test]
    fn keys_short_and_long_are_numbered_in_order() {
        let mut keys = Keys::default();
        let long = "c:".to_string() + &"x".repeat(INLINE);
        let edge = "c:".to_string() + &"y".repeat(INLINE - 2);
        let names = ["c:a@b.test", long.as_str(), "", edge.as_str(), "a:é"];
        for (k, n) in names.iter().enumerate() {
            assert_eq!(keys.intern(n), k as u32);
        }
        for (k, n) in names.iter().enumerate() {
            assert_eq!(keys.intern(n), k as u32);
            assert_eq!(keys.get(n), Some(k as u32));
            assert_eq!(keys.name(k as u32), *n);
        }
        assert_eq!(keys.get(&long[..INLINE]), None);
        assert_eq!(keys.get(&edge[..INLINE - 1]), None);
        assert_eq!(keys.len(), names.len());
        assert!(keys.names().eq(names));
    }

    proptest::proptest! {
        /// The customer table finds what a map would, as it grows.
        #[test]
        fn customers_hold_what_a_map_holds(
            ops in proptest::collection::vec((0u32..3_000, 0u32..100), 0..400),
            more in 0usize..100,
        ) {
            let mut table = Customers::default();
            let mut map = std::collections::HashMap::new();
            for &(key, votes) in &ops {
                let m = Mention { votes, ..FREE.mention };
                match table.slot(key) {
                    Ok(old) => old.votes = old.votes.max(votes),
                    Err(free) => table.fill(free, key, m),
                }
                let e = map.entry(key).or_insert(0);
                *e = (*e).max(votes);
                table.prefetch(key);
            }
            table.reserve(more);
            proptest::prop_assert!(4 * (table.len() + more) <= 3 * table.slots.len().max(1));
            proptest::prop_assert_eq!(table.len(), map.len());
            for (&k, &v) in &map {
                proptest::prop_assert_eq!(table.get(k).map(|m| m.votes), Some(v));
            }
            proptest::prop_assert_eq!(table.get(3_000), None);
            let mut seen: Vec<(u32, u32)> = table.iter().map(|(k, m)| (k, m.votes)).collect();
            seen.sort_unstable();
            let mut owned: Vec<(u32, u32)> =
                table.into_mentions().map(|(k, m)| (k, m.votes)).collect();
            owned.sort_unstable();
            let mut want: Vec<(u32, u32)> = map.into_iter().collect();
            want.sort_unstable();
            proptest::prop_assert_eq!(&seen, &want);
            proptest::prop_assert_eq!(&owned, &want);
        }
    }

    #[test]
    fn keys_stay_found_as_the_table_grows() {
        let mut keys = Keys::default();
        let name = |k: usize| format!("c:customer{k}@example.test");
        for k in 0..5_000 {
            assert_eq!(keys.get(&name(k)), None);
            keys.prefetch(&name(k));
            assert_eq!(keys.intern(&name(k)), k as u32);
            // Every key so far is still there after each growth.
            if k.is_power_of_two() {
                assert!((0..=k).all(|j| keys.get(&name(j)) == Some(j as u32)));
            }
        }
        assert!((0..5_000).all(|j| keys.intern(&name(j)) == j as u32));
        assert_eq!(keys.len(), 5_000);
        assert!(2 * keys.short.used <= keys.short.slots.len());
        assert_eq!(keys.get("c:customer5000@example.test"), None);
    }

    #[test]
    fn account_keys_fold_case_like_to_lowercase() {
        let mut buf = String::new();
        write_account_key("BigCo", &mut buf);
        assert_eq!(buf, "a:bigco");
        write_account_key("ΣΟΦΟΣ", &mut buf);
        assert_eq!(buf, format!("a:{}", "ΣΟΦΟΣ".to_lowercase()));
    }

    #[test]
    fn all_items_after_as_of_is_said_once_nothing_else_is_up_to_it() {
        const DAY: i64 = 86_400;
        // Day 20_040 is 2024-11-13.
        let at = Some(20_040 * DAY + 3600);
        assert_eq!(all_after_as_of(at, 5, at, "2023-11-13"), None);
        assert_eq!(all_after_as_of(None, 0, None, "2023-11-13"), None);
        assert_eq!(
            all_after_as_of(None, 5, at, "2023-11-13").unwrap(),
            "all 5 dated items are after --as-of 2023-11-13 (the first is from 2024-11-13), \
             so nothing is scored and every score is 0; check the year of --as-of, or rank \
             as of the export's last day"
        );
        assert!(all_after_as_of(None, 1, at, "2023-11-13")
            .unwrap()
            .starts_with("the one dated item is after"));
        assert_eq!(earlier(Some(3), None), Some(3));
        assert_eq!(earlier(Some(3), Some(2)), Some(2));
        assert_eq!(earlier(None, None), None);
    }

    #[test]
    fn staleness_starts_past_a_quarter_of_the_trend_days() {
        const DAY: i64 = 86_400;
        // Day 20_040 is 2024-11-13; its last second is --as-of's end.
        let w = |trend_days: i64| Window {
            as_of_end: 20_041 * DAY - 1,
            max_age: None,
            trend_recent: trend_days * DAY,
            trend_prior: 3 * trend_days * DAY,
        };
        let at = |day: i64| Some(day * DAY + 12 * 3600);
        assert_eq!(w(30).staleness(at(20_040)), None);
        // 7 days before: a weekly export, ranked the day before the next.
        assert_eq!(w(30).staleness(at(20_033)), None);
        let eight = w(30).staleness(at(20_032)).unwrap();
        assert_eq!((eight.days_before, eight.day().as_str()), (8, "2024-11-05"));
        assert_eq!(
            eight.describe("2024-11-13"),
            "the newest item up to --as-of 2024-11-13 is from 2024-11-05, 8 days earlier: \
             only 22 days of the trend's last 30 hold feedback, so trends read low"
        );
        let forty = w(30).staleness(at(20_000)).unwrap();
        assert_eq!(forty.day(), "2024-10-04");
        assert!(
            forty
                .describe("2024-11-13")
                .ends_with("40 days earlier: none is from the trend's last 30 days, so every trend shows a fall"),
            "{}",
            forty.describe("2024-11-13")
        );
        // A shorter trend is stricter; no trend, or no dated item, never.
        assert!(w(7).staleness(at(20_038)).is_some());
        assert_eq!(w(0).staleness(at(0)), None);
        assert_eq!(w(30).staleness(None), None);
        // An --as-of at the end of time, and an item from before 1970.
        let end = Window {
            as_of_end: i64::MAX,
            ..w(30)
        };
        assert!(end.staleness(Some(-86_400)).is_some());
    }

    #[test]
    fn truncates_at_a_word_boundary() {
        assert_eq!(truncate("short  text\n", 20), "short text");
        assert_eq!(truncate("one two three four five", 12), "one two…");
    }
}
