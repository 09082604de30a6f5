//! The pipeline: sources → items → tags → accumulator, in parallel chunks.
//!
//! Sources are read in order on the calling thread. For `tag`, each chunk of
//! items is tagged on all cores with rayon while the next chunk is read, and
//! its lines are written in input order (see `commands::tag`). For
//! ranking, reading overlaps with tagging: the reader hands batches through
//! bounded channels to a worker on each rayon thread but one, each of which
//! tags and accumulates into its own accumulator, and tags batches itself
//! when the workers fall behind; the workers' accumulators are merged at
//! the end. Because the accumulator is a commutative monoid, the
//! result is the same for any number of threads and any batch size.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::ingest::{
    read_source, Diagnostics, Event, ReadContext, Rejection, Source, SourceSummary, Spare,
};
use crate::item::Item;
use crate::prefetch::prefetch;
use crate::roadmap::Roadmap;
use crate::score::accumulate::customer_shard;
use crate::score::{Accumulator, Window};
use crate::tag::{Scratch, Tagger, Tags};

/// Items per chunk: large enough to keep every core busy, small enough that
/// memory stays flat.
pub const CHUNK: usize = 8192;

/// The normalized field names that persona `match` rules read.
pub fn wanted_fields(roadmap: &Roadmap) -> Vec<String> {
    let mut names: Vec<String> = roadmap
        .personas
        .iter()
        .flat_map(|p| p.rules.iter().map(|(field, _)| field.clone()))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Reads every source in order, handing items to `on_chunk` in chunks of
/// [`CHUNK`] and rejected rows to `on_reject`, and returns what was learned
/// about each source.
pub fn read_chunks(
    sources: &[Source],
    wanted: &[String],
    diag: &Diagnostics,
    on_chunk: &mut dyn FnMut(Vec<Item>) -> anyhow::Result<()>,
    on_reject: &mut dyn FnMut(Rejection) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<SourceSummary>> {
    read_chunks_of(CHUNK, None, sources, wanted, diag, on_chunk, on_reject)
}

/// [`read_chunks`], reading on past a source that cannot be read (for
/// `check`, which reports it and measures the others): its error takes its
/// place in the list. The sources share one duplicate check, as a ranking's
/// do, so a row an earlier source holds already counts once here too. An
/// error from `on_chunk` or `on_reject` still stops the reading.
pub fn read_chunks_each(
    sources: &[Source],
    wanted: &[String],
    diag: &Diagnostics,
    on_chunk: &mut dyn FnMut(Vec<Item>) -> anyhow::Result<()>,
    on_reject: &mut dyn FnMut(Rejection) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<anyhow::Result<SourceSummary>>> {
    read_sources(
        CHUNK, None, true, sources, wanted, diag, on_chunk, on_reject,
    )
}

fn read_chunks_of(
    size: usize,
    spare: Option<&Spare>,
    sources: &[Source],
    wanted: &[String],
    diag: &Diagnostics,
    on_chunk: &mut dyn FnMut(Vec<Item>) -> anyhow::Result<()>,
    on_reject: &mut dyn FnMut(Rejection) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<SourceSummary>> {
    read_sources(
        size, spare, false, sources, wanted, diag, on_chunk, on_reject,
    )?
    .into_iter()
    .collect()
}

/// Reads `sources` in order into chunks of `size`; `read_on` goes on to
/// the next source when one cannot be read, instead of returning its error.
#[allow(clippy::too_many_arguments)]
fn read_sources(
    size: usize,
    spare: Option<&Spare>,
    read_on: bool,
    sources: &[Source],
    wanted: &[String],
    diag: &Diagnostics,
    on_chunk: &mut dyn FnMut(Vec<Item>) -> anyhow::Result<()>,
    on_reject: &mut dyn FnMut(Rejection) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<anyhow::Result<SourceSummary>>> {
    let mut summaries = Vec::with_capacity(sources.len());
    // Items go into the chunk as they are read, and stay there: an item
    // is 300 bytes, and moving each through the line below and back cost
    // more than checking it. The first `checked` have had their duplicate
    // check; the rest wait for theirs (at most [`LOOKAHEAD`] + 1).
    let capacity = size + LOOKAHEAD + 1;
    let mut chunk: Vec<Item> = Vec::with_capacity(capacity);
    let mut checked = 0;
    let mut dedup = Dedup::default();
    // Rows wait here for [`LOOKAHEAD`] more before their duplicate check,
    // so that the check finds its customer's entry in the cache: it is
    // fetched when the row arrives. Rejections wait in the same line, so
    // everything still comes out in input order.
    // Each with the warnings read up to it (a [`Diagnostics::held_mark`]),
    // which wait with it: so warnings come out in input order, and none
    // names a row after one that `--strict` stops at.
    let mut waiting: VecDeque<(Waiting, usize)> = VecDeque::with_capacity(LOOKAHEAD + 1);
    diag.hold();
    let _holding = Holding(diag);
    let mut folded = Vec::new();
    for (index, src) in sources.iter().enumerate() {
        let ctx = ReadContext {
            index,
            wanted,
            diag,
            spare,
        };
        let mut duplicates = 0;
        // Checks the first row in line and passes it on; an item's row is
        // `chunk[*checked]`.
        let mut pass = |dedup: &mut Dedup,
                        chunk: &mut Vec<Item>,
                        checked: &mut usize,
                        (row, mark): (Waiting, usize)|
         -> anyhow::Result<()> {
            // The row's own warnings, and those of the rows before it.
            diag.release(mark);
            match row {
                Waiting::Item(prints) => {
                    let item = &chunk[*checked];
                    if let Some(reason) = prints.and_then(|p| dedup.check_prints(&p, item, sources))
                    {
                        duplicates += 1;
                        let item = chunk.remove(*checked);
                        diag.warn_now(
                            "duplicate",
                            &format!("{}:{}", src.name, item.line),
                            &format!("{reason}; it counts once"),
                        );
                        return on_reject(Rejection {
                            source: item.source,
                            line: item.line,
                            reason,
                            row: Some(crate::ingest::excerpt(&item.text)),
                            duplicate: true,
                        });
                    }
                    *checked += 1;
                    if *checked >= size {
                        crate::output::advance_progress(size as u64);
                        // The unchecked items go on to the next chunk.
                        let mut next = Vec::with_capacity(capacity);
                        next.extend(chunk.drain(*checked..));
                        *checked = 0;
                        on_chunk(std::mem::replace(chunk, next))?;
                    }
                }
                Waiting::Rejected(r) => on_reject(r)?,
            }
            Ok(())
        };
        // Whether passing a row on failed (`--strict`): then the rows after
        // it are not passed on, as they would not have been read.
        let mut stopped = false;
        let read = read_source(src, &ctx, &mut |event| {
            match event {
                Event::Item(item) => {
                    let prints = Prints::of(&item, &mut folded);
                    if let Some(p) = &prints {
                        dedup.prefetch_slot(p);
                    }
                    chunk.push(item);
                    waiting.push_back((Waiting::Item(prints), diag.held_mark()));
                }
                Event::Rejected(r) => waiting.push_back((Waiting::Rejected(r), diag.held_mark())),
            }
            // Halfway along the line, the slot is in: fetch the ring.
            if let Some((Waiting::Item(Some(p)), _)) = waiting
                .len()
                .checked_sub(LOOKAHEAD / 2 + 1)
                .and_then(|i| waiting.get(i))
            {
                dedup.prefetch_ring(p);
            }
            if waiting.len() > LOOKAHEAD {
                if let Some(row) = waiting.pop_front() {
                    if let Err(e) = pass(&mut dedup, &mut chunk, &mut checked, row) {
                        stopped = true;
                        return Err(e);
                    }
                }
            }
            Ok(())
        });
        // The rows read before the end (or before a read error) go on
        // first, as they would have without the lookahead.
        while let Some(row) = waiting.pop_front() {
            if !stopped {
                pass(&mut dedup, &mut chunk, &mut checked, row)?;
            }
        }
        // Warnings after the last row (a source that ends badly).
        if !stopped {
            diag.release(diag.held_mark());
        }
        let mut summary = match read {
            Ok(summary) => summary,
            // The source's own failure, not a callback's (`stopped`).
            Err(e) if read_on && !stopped => {
                summaries.push(Err(e));
                continue;
            }
            Err(e) => return Err(e),
        };
        summary.items -= duplicates;
        summary.duplicates += duplicates;
        summaries.push(Ok(summary));
    }
    if !chunk.is_empty() {
        on_chunk(chunk)?;
    }
    Ok(summaries)
}

/// Stops holding warnings when reading ends, however it ends: the held
/// warnings of rows that never had their turn are dropped.
struct Holding<'a>(&'a Diagnostics);

impl Drop for Holding<'_> {
    fn drop(&mut self) {
        self.0.stop_holding();
    }
}

/// A row in line for its duplicate check.
enum Waiting {
    /// An item, with its fingerprints; the item itself is in the chunk.
    Item(Option<Prints>),
    Rejected(Rejection),
}

/// How many of a customer's recent items are remembered to find duplicates.
pub const DEDUP_RECENT: usize = 8;

/// Rows read ahead of the duplicate check, whose customers' entries are
/// fetched into the cache meanwhile.
const LOOKAHEAD: usize = 16;

/// Finds rows that repeat an earlier one from the same customer: the same
/// id in the same source, or the same text with the same timestamp (or
/// both without one).
///
/// Memory must grow with customers, not rows, so each customer keeps the
/// fingerprints of their last [`DEDUP_RECENT`] items only. A duplicate of an
/// item the customer wrote more than that many items earlier goes unnoticed;
/// it changes no score (a customer counts once, through their latest item),
/// only the mention counts.
///
/// One lookup per row into a table as large as the customers was a cache
/// miss per row on the reading thread, which every worker waits on. The
/// table is therefore our own: an open-addressing index from customer to
/// ring (linear probing, at most half full) and the rings in blocks, so
/// that [`Dedup::prefetch_slot`] can fetch a customer's index slot when the
/// row is read, [`Dedup::prefetch_ring`] the ring halfway along, and the
/// check, 16 rows later, finds both in the cache.
#[derive(Default)]
pub struct Dedup {
    /// (customer fingerprint, ring number); a fingerprint of 0 is empty.
    index: Vec<(u64, u32)>,
    /// The rings, [`RING_BLOCK`] to a block: they never move.
    rings: Vec<Box<[Recent]>>,
    customers: usize,
}

/// Rings per block of [`Dedup::rings`].
const RING_BLOCK: usize = 1024;

/// A customer's last [`DEDUP_RECENT`] items, oldest overwritten first.
#[derive(Default, Clone, Copy)]
struct Recent {
    seen: [Seen; DEDUP_RECENT],
    len: u8,
    next: u8,
}

#[derive(Default, Clone, Copy)]
struct Seen {
    /// 0 for no id (a fingerprint of 0 is one in 2^64).
    id: u64,
    text: u64,
    line: u64,
    source: u32,
}

/// What the duplicate check needs of an item: its fingerprints.
pub struct Prints {
    /// Whose items to compare with (never 0).
    key: u64,
    /// The id's fingerprint, 0 when the id is only the line number.
    id: u64,
    text: u64,
}

impl Prints {
    /// `None` for an anonymous item without an id: nothing to compare.
    /// `folded` is a buffer for the folded text and account, reused from
    /// item to item.
    pub fn of(item: &Item, folded: &mut Vec<u8>) -> Option<Prints> {
        // An id that is only the line number says nothing about duplicates.
        let real_id = item.id.parse::<u64>() != Ok(item.line);
        let source = item.source as u64;
        let key = match (&item.customer, &item.account) {
            (Some(c), _) => fingerprint(b'c', 0, c.as_bytes()),
            (None, Some(a)) => {
                folded.clear();
                if a.is_ascii() {
                    folded.extend_from_slice(a.as_bytes());
                    folded.make_ascii_lowercase();
                } else {
                    folded.extend_from_slice(a.to_lowercase().as_bytes());
                }
                fingerprint(b'a', 0, folded)
            }
            (None, None) if !real_id => return None,
            // Anonymous: the id stands for the customer, in every source,
            // so that a copy of a row in another export (the same id, text
            // and timestamp) is found; ids that only collide across
            // sources carry other texts.
            (None, None) => fingerprint(b'i', 0, item.id.as_bytes()),
        };
        let id = if real_id {
            fingerprint(b'd', source, item.id.as_bytes()).max(1)
        } else {
            0
        };
        // The same words from the same customer at another time are said
        // again, not copied: a copy (overlapping exports, one ticket in two
        // files) carries the same timestamp. So which copy is read first
        // decides nothing about recency, and the ranking does not depend
        // on the order of the rows.
        let when = item.created_at.map_or(u64::MAX, |t| t as u64);
        fold_text(&item.text, folded);
        Some(Prints {
            key: key.max(1),
            id,
            text: fingerprint(b't', when, folded),
        })
    }
}

/// The seed of [`fingerprint`]: fixed, so that a run's fingerprints do
/// not depend on the process.
const PRINT_SEED: foldhash::quality::FixedState =
    foldhash::quality::FixedState::with_seed(0x7061_696e_6d61_7073);

/// A 64-bit fingerprint of a tagged field: `tag` says which field, `num`
/// what it belongs to (a source, a timestamp), `bytes` its value. Every
/// item is fingerprinted on the reading thread, which the taggers wait on,
/// so this must be cheap: SipHash fed one character at a time cost 18% of
/// all instructions, and FNV-1a a byte at a time still 9% of the reader's.
/// foldhash reads 16 bytes at a step. A collision can only make two items
/// of one customer look alike.
fn fingerprint(tag: u8, num: u64, bytes: &[u8]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = PRINT_SEED.build_hasher();
    h.write_u8(tag);
    h.write_u64(num);
    h.write(bytes);
    h.finish()
}

/// Sets `out` to `text` as the duplicate check compares it: its words,
/// each character in lower case (`char::to_lowercase`), one space between
/// words and none around them. Words hold no white space, so two texts
/// fold alike exactly when their words are alike.
fn fold_text(text: &str, out: &mut Vec<u8>) {
    out.clear();
    let bytes = text.as_bytes();
    if !bytes.is_ascii() {
        fold_words(text, out);
    } else if spaced_once(bytes) {
        // Most feedback: one space between words, so the text folds to
        // itself in lower case. Both passes vectorize.
        out.extend_from_slice(bytes);
        out.make_ascii_lowercase();
    } else {
        // `char::is_whitespace` on ASCII is these six bytes.
        let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
        for word in bytes.split(space).filter(|w| !w.is_empty()) {
            if !out.is_empty() {
                out.push(b' ');
            }
            let start = out.len();
            out.extend_from_slice(word);
            out[start..].make_ascii_lowercase();
        }
    }
}

/// Whether ASCII `b` has no white space but single spaces between words.
fn spaced_once(b: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return true;
    };
    if first == b' ' || last == b' ' {
        return false;
    }
    // Each fold runs over the whole text without branching, so that it
    // vectorizes: most texts pass, and are short.
    let control = b.iter().fold(0u8, |acc, &x| acc | u8::from(x < 0x20));
    let doubled = b.iter().zip(&b[1..]).fold(0u8, |acc, (&x, &y)| {
        acc | u8::from((x == b' ') & (y == b' '))
    });
    control | doubled == 0
}

/// [`fold_text`] for any text, a word and a character at a time.
fn fold_words(text: &str, out: &mut Vec<u8>) {
    let mut utf8 = [0u8; 4];
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(b' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
    }
}

impl Dedup {
    /// `Some(reason)` when the item repeats one seen before.
    pub fn check(&mut self, item: &Item, sources: &[Source]) -> Option<String> {
        self.check_prints(&Prints::of(item, &mut Vec::new())?, item, sources)
    }

    /// Fetches the index slot where the check will look for `p`'s
    /// customer: the first of two steps, taken when the row is read.
    pub fn prefetch_slot(&self, p: &Prints) {
        if let Some(home) = self
            .index
            .get(p.key as usize & self.index.len().wrapping_sub(1))
        {
            prefetch((home as *const (u64, u32)).cast());
        }
    }

    /// Fetches `p`'s customer's ring, once [`Dedup::prefetch_slot`] has had
    /// time to bring the index slot in: the second step.
    pub fn prefetch_ring(&self, p: &Prints) {
        let Some(at) = self.find(p.key) else { return };
        let ring = &self.rings[at / RING_BLOCK][at % RING_BLOCK];
        // A ring spans five cache lines; the check reads them all.
        let base = (ring as *const Recent).cast::<u8>();
        for offset in (0..std::mem::size_of::<Recent>()).step_by(64) {
            prefetch(base.wrapping_add(offset));
        }
    }

    /// Where `key` is in `index`, or the empty slot where it would go
    /// (linear probing; the index is never full).
    fn slot(index: &[(u64, u32)], key: u64) -> usize {
        let mask = index.len() - 1;
        let mut i = key as usize & mask;
        while index[i].0 != 0 && index[i].0 != key {
            i = (i + 1) & mask;
        }
        i
    }

    /// The ring number of `key`'s customer, if known.
    fn find(&self, key: u64) -> Option<usize> {
        if self.index.is_empty() {
            return None;
        }
        let (k, at) = self.index[Self::slot(&self.index, key)];
        (k == key).then_some(at as usize)
    }

    /// The ring of `key`'s customer, made if new.
    fn ring(&mut self, key: u64) -> &mut Recent {
        if 2 * (self.customers + 1) > self.index.len() {
            self.grow();
        }
        let i = Self::slot(&self.index, key);
        let at = if self.index[i].0 == key {
            self.index[i].1 as usize
        } else {
            let at = self.customers;
            if at % RING_BLOCK == 0 {
                self.rings
                    .push(vec![Recent::default(); RING_BLOCK].into_boxed_slice());
            }
            let n = u32::try_from(at).expect("fewer than 2^32 customers");
            self.index[i] = (key, n);
            self.customers += 1;
            at
        };
        &mut self.rings[at / RING_BLOCK][at % RING_BLOCK]
    }

    /// Doubles the index (the rings stay where they are).
    fn grow(&mut self) {
        let size = (self.index.len() * 2).max(1024);
        let old = std::mem::replace(&mut self.index, vec![(0, 0); size]);
        for entry in old.into_iter().filter(|s| s.0 != 0) {
            let i = Self::slot(&self.index, entry.0);
            self.index[i] = entry;
        }
    }

    /// [`Dedup::check`] with the item's fingerprints made already.
    pub fn check_prints(&mut self, p: &Prints, item: &Item, sources: &[Source]) -> Option<String> {
        let seen = self.ring(p.key);
        let name = |s: usize| {
            sources
                .get(s)
                .map_or("?", |src| src.name.as_str())
                .to_string()
        };
        // Oldest first, so the earliest match names the line.
        let (newer, older) = seen.seen[..usize::from(seen.len)]
            .split_at(usize::from(seen.next).min(usize::from(seen.len)));
        for s in older.iter().chain(newer) {
            if p.id != 0 && s.id == p.id && s.source as usize == item.source {
                return Some(format!(
                    "duplicate id {} (first at line {})",
                    item.id, s.line
                ));
            }
            if s.text == p.text {
                let whose = if item.customer.is_none() && item.account.is_none() {
                    "with the same id"
                } else {
                    "from the same customer"
                };
                return Some(format!(
                    "the same text {whose} as {}:{}",
                    name(s.source as usize),
                    s.line
                ));
            }
        }
        seen.seen[usize::from(seen.next)] = Seen {
            id: p.id,
            text: p.text,
            line: item.line,
            source: item.source as u32,
        };
        seen.next = (seen.next + 1) % DEDUP_RECENT as u8;
        seen.len = (seen.len + 1).min(DEDUP_RECENT as u8);
        None
    }
}

/// Where rejected rows go: counted always, written to `--rejects FILE` as
/// JSON Lines when asked, and fatal under `--strict`.
pub struct Rejects {
    strict: bool,
    names: Vec<String>,
    out: Option<crate::output::OutFile>,
}

impl Rejects {
    pub fn new(
        strict: bool,
        path: Option<&std::path::Path>,
        sources: &[Source],
    ) -> anyhow::Result<Rejects> {
        let out = path.map(crate::output::OutFile::create).transpose()?;
        Ok(Rejects {
            strict,
            names: sources.iter().map(|s| s.name.clone()).collect(),
            out,
        })
    }

    pub fn take(&mut self, r: &Rejection) -> anyhow::Result<()> {
        use std::io::Write;
        let name = self.names.get(r.source).map_or("?", String::as_str);
        if let Some(w) = &mut self.out {
            let line = serde_json::json!({"source": name, "line": r.line, "reason": r.reason, "row": r.row});
            crate::report::json::to_writer(&mut *w, &line)?;
            w.write_all(b"\n")?;
        }
        if self.strict {
            let (what, fix) = if r.duplicate {
                (
                    "duplicate",
                    "remove the copy, or drop --strict to count such rows once",
                )
            } else {
                (
                    "rejected row",
                    "fix the row, or drop --strict to skip such rows and count them",
                )
            };
            anyhow::bail!(
                "{name}:{}: {} (--strict stops at the first {what})\n  help: {fix}",
                r.line,
                r.reason
            );
        }
        Ok(())
    }

    /// Moves the rejects file into place; call it whether or not the run
    /// succeeded, so `--strict` still leaves the row that stopped it.
    pub fn finish(self) -> anyhow::Result<()> {
        match self.out {
            Some(out) => out.finish(),
            None => Ok(()),
        }
    }
}

/// [`read_chunks`], with each chunk's work done while the next chunk is
/// read: `process` runs on a thread of its own for one chunk at a time, in
/// input order, and `consume` takes its results on this thread, in the
/// same order, once the next chunk has been read (or at the end).
///
/// When reading fails, the chunk being processed is still consumed (it was
/// read whole before the failure) and the failure is the error returned.
pub fn read_chunks_overlapped<T: Send>(
    sources: &[Source],
    wanted: &[String],
    diag: &Diagnostics,
    process: &(dyn Fn(Vec<Item>) -> T + Sync),
    consume: &mut dyn FnMut(T) -> anyhow::Result<()>,
    on_reject: &mut dyn FnMut(Rejection) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<SourceSummary>> {
    std::thread::scope(|s| {
        let finish = |h: std::thread::ScopedJoinHandle<'_, T>| {
            h.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        let mut running: Option<std::thread::ScopedJoinHandle<'_, T>> = None;
        let summaries = read_chunks(
            sources,
            wanted,
            diag,
            &mut |items| {
                // The chunk before is finished first, so that chunks are
                // processed one at a time, in order.
                let before = running.take().map(finish);
                running = Some(s.spawn(move || process(items)));
                match before {
                    Some(result) => consume(result),
                    None => Ok(()),
                }
            },
            on_reject,
        );
        let last = match running.take().map(finish) {
            Some(result) => consume(result),
            None => Ok(()),
        };
        let summaries = summaries?;
        last?;
        Ok(summaries)
    })
}

/// Tags a chunk on all cores, keeping input order.
pub fn tag_chunk(tagger: &Tagger, items: &[Item]) -> Vec<Tags> {
    items
        .par_iter()
        .map_init(Scratch::default, |scratch, item| tagger.tag(item, scratch))
        .collect()
}

/// Items per batch from the reader to a ranking worker: small, so that
/// little sits in the channels, large enough that handing over is rare.
pub const BATCH: usize = 1024;

/// Batches a worker's channel holds before the reader waits for it.
const QUEUE: usize = 2;

/// A batch of items for the customers one worker owns.
struct Batch {
    owner: usize,
    items: Vec<Item>,
}

/// Items a helper (another worker, or the reader) tagged for their owner
/// to accumulate: the batch as the reader made it, and the tags of each
/// item in order. The items stay in the reader's own vector, which goes
/// back to the reader; pairing them up in a new vector on the helper's
/// thread, about 400 kB a batch, made glibc's per-thread arenas fragment
/// as those vectors were freed on other threads: peak memory on 5M rows
/// grew from 63 MB to 75–89 MB.
type Tagged = (Vec<Item>, Vec<Tags>);

/// One worker's ends of the channels.
struct Ends {
    batches: Receiver<Batch>,
    tagged: Receiver<Tagged>,
    /// To every other worker's `tagged`; `None` at the worker's own index.
    to_owners: Vec<Option<Sender<Tagged>>>,
    /// Batches whose items are done with, back to the reader, with the
    /// tags a helper made for them (none for a worker's own batches).
    spent: Sender<Tagged>,
}

/// Reads, tags and accumulates every source, reading on this thread while
/// the rayon threads tag and accumulate.
///
/// The reading thread counts as one of the rayon pool's threads: there is a
/// worker for each of the others, and the reader tags a batch itself when
/// the workers' queues are full. With a worker for every core, the reader
/// took a third thread on two cores, and the three of them shared the
/// cores' caches and time: 3.41 s of CPU on 1M rows against 2.9 s with one
/// worker. With one thread, the reader does everything itself.
///
/// Items are routed to workers by customer, and only a customer's owner
/// accumulates their items, so each customer's entries live in one
/// accumulator: memory stays at one accumulator's worth whatever the
/// number of threads, and the final merge never meets a key twice. When
/// one customer dominates (an export where most rows are "anonymous"), the
/// owner's queue fills while other workers run dry; then a batch goes to an
/// idle worker, which tags it and hands the tagged items back to the owner
/// to accumulate. Tagging is nearly all the work, so every core stays busy.
/// Routing never changes the result.
pub fn accumulate(
    roadmap: &Roadmap,
    tagger: &Tagger,
    sources: &[Source],
    window: &Window,
    diag: &Diagnostics,
    on_reject: &mut dyn FnMut(Rejection) -> anyhow::Result<()>,
) -> anyhow::Result<(Accumulator, Vec<SourceSummary>)> {
    let shape = Accumulator::new(
        roadmap.features.len(),
        roadmap.stages.len(),
        roadmap.personas.len(),
        sources.len(),
    );
    let wanted = wanted_fields(roadmap);
    let workers = rayon::current_num_threads().saturating_sub(1);
    // Rejected rows and duplicates of each source.
    let mut rejected = vec![(0u64, 0u64); sources.len()];
    let mut on_reject = |r: Rejection| {
        let counts = &mut rejected[r.source];
        if r.duplicate {
            counts.1 += 1;
        } else {
            counts.0 += 1;
        }
        on_reject(r)
    };
    if workers == 0 {
        let mut acc = shape;
        let summaries = read_alone(
            tagger,
            window,
            &mut acc,
            sources,
            &wanted,
            diag,
            &mut on_reject,
        )?;
        add_rejected(&mut acc, &rejected);
        return Ok((acc, summaries));
    }
    let queued: Vec<AtomicUsize> = (0..workers).map(|_| AtomicUsize::new(0)).collect();
    let mut senders = Vec::with_capacity(workers);
    let mut batch_rx = Vec::with_capacity(workers);
    let (tagged_tx, tagged_rx): (Vec<_>, Vec<_>) = (0..workers).map(|_| channel()).unzip();
    // Items go back to the thread that allocated them, the reader, to be
    // reused. When workers freed them, glibc's allocator took the reader's
    // arena lock for every free, and the two workers and the reader queued
    // on it: `--threads 2` took 3.46 s on 1M rows, `--threads 1` 2.77 s.
    // The tags the reader made for a worker go back to it too, to be freed
    // where they were allocated, as the items are.
    let (spent_tx, spent_rx) = channel::<Tagged>();
    for _ in 0..workers {
        let (tx, rx) = sync_channel::<Batch>(QUEUE);
        senders.push(tx);
        batch_rx.push(rx);
    }
    // Each worker takes its ends out of its slot. Helpers' results go
    // through unbounded channels: a helper never waits on an owner, so no
    // two workers can wait on each other.
    let slots: Vec<Mutex<Option<Ends>>> = batch_rx
        .into_iter()
        .zip(tagged_rx)
        .enumerate()
        .map(|(w, (batches, tagged))| {
            let to_owners = tagged_tx
                .iter()
                .enumerate()
                .map(|(o, tx)| (o != w).then(|| tx.clone()))
                .collect();
            Mutex::new(Some(Ends {
                batches,
                tagged,
                to_owners,
                spent: spent_tx.clone(),
            }))
        })
        .collect();
    let routes = Routes {
        senders,
        queued: &queued,
        tagger,
        window,
        to_owners: tagged_tx,
    };
    drop(spent_tx);

    let (read, partials) = std::thread::scope(|s| {
        // The workers run on the rayon pool; this thread only waits for them.
        let handle = s.spawn(|| {
            // One pool thread has no worker: the reader takes its place.
            rayon::broadcast(|ctx| {
                let w = ctx.index();
                let ends = slots.get(w)?.lock().ok()?.take()?;
                let mut acc = shape.empty_like();
                work(tagger, window, w, ends, &queued[w], &mut acc);
                Some(acc)
            })
        });
        // `read_routed` owns the channels, so they close when it returns,
        // which tells the workers the input has ended, and also when a panic
        // while reading (or tagging, there) unwinds it: otherwise the scope
        // would wait for the workers, and they for more input, forever.
        let read = read_routed(routes, &spent_rx, sources, &wanted, diag, &mut on_reject);
        let partials = handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read, partials)
    });
    let summaries = read?;

    let mut partials = partials.into_iter().flatten();
    let mut acc = partials.next().unwrap_or(shape);
    for p in partials {
        acc.merge(p);
    }
    add_rejected(&mut acc, &rejected);
    Ok((acc, summaries))
}

/// Counts in `acc` the rows each source had rejected and the duplicates
/// it held (`rejected[source]`).
fn add_rejected(acc: &mut Accumulator, rejected: &[(u64, u64)]) {
    for (source, &(rows, duplicates)) in rejected.iter().enumerate() {
        for _ in 0..rows {
            acc.reject(source);
        }
        for _ in 0..duplicates {
            acc.duplicate(source);
        }
    }
}

/// A ranking worker: tags and accumulates its own batches, tags other
/// workers' batches for them, and accumulates what others tagged for it,
/// until the input ends.
fn work(
    tagger: &Tagger,
    window: &Window,
    me: usize,
    ends: Ends,
    queued: &AtomicUsize,
    acc: &mut Accumulator,
) {
    let Ends {
        batches,
        tagged,
        to_owners,
        spent,
    } = ends;
    let mut scratch = Scratch::default();
    // Fails only once the reader has finished; then the worker frees.
    let give_back = |spent_batch: Tagged| {
        let _ = spent.send(spent_batch);
    };
    while let Ok(batch) = batches.recv() {
        queued.fetch_sub(1, Ordering::Relaxed);
        while let Ok(done) = tagged.try_recv() {
            give_back(add_tagged(acc, done, window));
        }
        match to_owners.get(batch.owner).and_then(Option::as_ref) {
            Some(owner) if batch.owner != me => {
                let tags: Vec<Tags> = batch
                    .items
                    .iter()
                    .map(|item| tagger.tag_within(item, &mut scratch, window))
                    .collect();
                // Fails only if the owner died; its panic surfaces anyway.
                let _ = owner.send((batch.items, tags));
            }
            _ => {
                tag_and_add(tagger, window, &batch.items, &mut scratch, acc);
                give_back((batch.items, Vec::new()));
            }
        }
    }
    // The input has ended: stop helping, then take what others still send.
    drop(to_owners);
    while let Ok(done) = tagged.recv() {
        give_back(add_tagged(acc, done, window));
    }
}

/// Tags `items` and accumulates them, with the accumulator's entries for
/// each item fetched while another is tagged: an item's customer entries
/// while the item before it is tagged ([`Accumulator::prefetch`]), and,
/// once it is tagged, its mentions of the features it links to while the
/// next is tagged ([`Accumulator::prefetch_mentions`]); so each item is
/// added after the next one is tagged. The order of adds does not change
/// the result.
fn tag_and_add(
    tagger: &Tagger,
    window: &Window,
    items: &[Item],
    scratch: &mut Scratch,
    acc: &mut Accumulator,
) {
    let mut tagged: Option<(&Item, Tags)> = None;
    for (i, item) in items.iter().enumerate() {
        if let Some(next) = items.get(i + 1) {
            acc.prefetch(next, window);
        }
        let tags = tagger.tag_within(item, scratch, window);
        acc.prefetch_mentions(item, &tags, window);
        if let Some((before, before_tags)) = tagged.replace((item, tags)) {
            acc.add(before, &before_tags, window);
        }
    }
    if let Some((last, last_tags)) = tagged {
        acc.add(last, &last_tags, window);
    }
}

/// How many items ahead [`add_tagged`] fetches the accumulator's entries:
/// without tagging between them, an add is short, and a fetch from memory
/// takes several.
const AHEAD: usize = 4;

/// Accumulates items another thread tagged, and returns them.
fn add_tagged(acc: &mut Accumulator, done: Tagged, window: &Window) -> Tagged {
    let (items, tags) = (&done.0, &done.1);
    for (i, (item, item_tags)) in items.iter().zip(tags).enumerate() {
        if let Some(ahead) = items.get(i + AHEAD) {
            acc.prefetch(ahead, window);
        }
        // Halfway along, the customer's entry is in: fetch its mentions.
        if let (Some(half), Some(half_tags)) = (items.get(i + AHEAD / 2), tags.get(i + AHEAD / 2)) {
            acc.prefetch_mentions(half, half_tags, window);
        }
        acc.add(item, item_tags, window);
    }
    done
}

/// The reader's ends of the workers' channels. `read_routed` owns them, so
/// that they close when it returns or unwinds: that is how the workers learn
/// the input has ended.
struct Routes<'a> {
    /// To every worker's `batches`.
    senders: Vec<SyncSender<Batch>>,
    /// How many batches wait in each worker's queue.
    queued: &'a [AtomicUsize],
    /// To tag a batch here, for its owner.
    tagger: &'a Tagger,
    window: &'a Window,
    /// To every worker's `tagged`.
    to_owners: Vec<Sender<Tagged>>,
}

/// Reads every source, sending each item to the worker that owns its
/// customer, and tagging a batch here when every worker is busy and its
/// owner's queue is full.
fn read_routed(
    routes: Routes,
    spent: &Receiver<Tagged>,
    sources: &[Source],
    wanted: &[String],
    diag: &Diagnostics,
    on_reject: &mut dyn FnMut(Rejection) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<SourceSummary>> {
    let Routes {
        senders,
        queued,
        tagger,
        window,
        to_owners,
    } = routes;
    let n = senders.len();
    let mut batches: Vec<Vec<Item>> = (0..n).map(|_| Vec::with_capacity(BATCH)).collect();
    let mut key = String::new();
    // Every batch can be in flight at once: queued, being tagged, or
    // waiting to be filled here.
    let spare = Spare::new((QUEUE + 2) * n * BATCH);
    // Batches sent and not yet back: queued, being tagged or accumulated.
    let out = std::cell::Cell::new(0usize);
    // Every spent batch's items are kept for reuse (all of them, so none
    // wait in the channel while new items are made).
    let keep_spent = || {
        while let Ok((items, tags)) = spent.try_recv() {
            out.set(out.get() - 1);
            spare.give(items);
            drop(tags);
        }
    };
    // A batch to fill, in the vector of one whose items were all reused.
    let fresh = || {
        keep_spent();
        spare.emptied().unwrap_or_else(|| Vec::with_capacity(BATCH))
    };
    let scratch = std::cell::RefCell::new(Scratch::default());
    let send = |owner: usize, items: Vec<Item>| -> anyhow::Result<()> {
        out.set(out.get() + 1);
        // The owner, unless it is backed up: then a worker that idles, or
        // else this thread, which would otherwise wait for the owner. The
        // counts are a heuristic: a stale read only moves a batch. Batches
        // tagged here wait for their owner in a channel without a bound,
        // so this thread tags only while at most QUEUE + 3 batches a worker
        // are out (with one worker: a full queue, the batch being tagged
        // there, and two tagged here). Without that bound, batches piled up
        // whenever a worker was held up (another process on its core), and
        // peak memory grew with the length of the run: 58.4 to 62.8 MB at
        // 5M rows against 57.5 MB at 1M; with it, 57.2 and 57.8 MB.
        let to = if queued[owner].load(Ordering::Relaxed) >= QUEUE {
            keep_spent();
            match (0..n).find(|&w| queued[w].load(Ordering::Relaxed) == 0) {
                Some(w) => w,
                None if out.get() > (QUEUE + 3) * n => owner,
                None => {
                    let mut scratch = scratch.borrow_mut();
                    let tags = items
                        .iter()
                        .map(|item| tagger.tag_within(item, &mut scratch, window))
                        .collect();
                    // Fails only if the owner died; its panic surfaces anyway.
                    let _ = to_owners[owner].send((items, tags));
                    return Ok(());
                }
            }
        } else {
            owner
        };
        queued[to].fetch_add(1, Ordering::Relaxed);
        senders[to]
            .send(Batch { owner, items })
            .map_err(|_| anyhow::anyhow!("a tagging worker stopped early"))
    };
    let summaries = read_chunks_of(
        BATCH,
        Some(&spare),
        sources,
        wanted,
        diag,
        &mut |chunk| {
            if n == 1 {
                // The chunk is sent as it is; only the spent items are kept.
                keep_spent();
                return send(0, chunk);
            }
            for item in chunk {
                let to = (customer_shard(&item, &mut key) % n as u64) as usize;
                batches[to].push(item);
                if batches[to].len() >= BATCH {
                    send(to, std::mem::replace(&mut batches[to], fresh()))?;
                }
            }
            Ok(())
        },
        on_reject,
    )?;
    for (to, batch) in batches.into_iter().enumerate() {
        if !batch.is_empty() {
            send(to, batch)?;
        }
    }
    Ok(summaries)
}

/// Reads, tags and accumulates every source on this thread: the pipeline
/// with one thread.
fn read_alone(
    tagger: &Tagger,
    window: &Window,
    acc: &mut Accumulator,
    sources: &[Source],
    wanted: &[String],
    diag: &Diagnostics,
    on_reject: &mut dyn FnMut(Rejection) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<SourceSummary>> {
    let spare = Spare::new(BATCH);
    let mut scratch = Scratch::default();
    read_chunks_of(
        BATCH,
        Some(&spare),
        sources,
        wanted,
        diag,
        &mut |chunk| {
            tag_and_add(tagger, window, &chunk, &mut scratch, acc);
            spare.give(chunk);
            Ok(())
        },
        on_reject,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fingerprint of `text` written at no time.
    fn text_print(text: &str) -> u64 {
        let mut folded = Vec::new();
        fold_text(text, &mut folded);
        fingerprint(b't', u64::MAX, &folded)
    }

    #[test]
    fn text_fingerprints_fold_case_and_white_space_only() {
        let f = text_print;
        assert_eq!(f("The Export  fails\n"), f("the export fails"));
        assert_eq!(f("ÉCOLE Straße"), f("école straße"));
        // Case is folded a character at a time: the Kelvin sign is a k.
        assert_eq!(f("\u{212a}ey  export"), f("key export"));
        assert_ne!(f("ab c"), f("a bc"));
        assert_ne!(f("export fails"), f("export failed"));
        assert_ne!(f(""), f(" x"));
    }

    proptest::proptest! {
        /// The fast path folds as the word-at-a-time one does, and both
        /// keep exactly the words in lower case, as the duplicate check
        /// compares them.
        #[test]
        fn folded_text_is_the_lower_case_words(
            s in "[ -~\t\n\x0b\x0c\r]{0,40}|[ aZ\t\n\u{a0}\u{2003}\u{85}é\u{212a}ΣẞİÅ]{0,20}"
        ) {
            let mut fast = Vec::new();
            fold_text(&s, &mut fast);
            let mut slow = Vec::new();
            fold_words(&s, &mut slow);
            proptest::prop_assert_eq!(&fast, &slow);
            let words: Vec<String> = s
                .split_whitespace()
                .map(|w| w.chars().flat_map(char::to_lowercase).collect())
                .collect();
            proptest::prop_assert_eq!(String::from_utf8(fast).unwrap(), words.join(" "));
        }
    }

    #[test]
    fn each_customer_remembers_their_last_items_oldest_first() {
        let item = |line: u64, id: &str, text: &str| Item {
            line,
            id: id.into(),
            text: text.into(),
            customer: Some("c@x.test".into()),
            ..Item::default()
        };
        let mut d = Dedup::default();
        for n in 1..=10 {
            assert_eq!(
                d.check(&item(n, &format!("id-{n}"), &format!("text {n}")), &[]),
                None
            );
        }
        // Only the last eight are remembered: item 2 is forgotten.
        assert_eq!(d.check(&item(11, "id-11", "text 2"), &[]), None);
        assert_eq!(
            d.check(&item(12, "id-12", "TEXT  5"), &[]).as_deref(),
            Some("the same text from the same customer as ?:5")
        );
        // The id of item 10 and the text of item 4: the older one is named.
        assert_eq!(
            d.check(&item(13, "id-10", "text 4"), &[]).as_deref(),
            Some("the same text from the same customer as ?:4")
        );
        assert_eq!(
            d.check(&item(14, "id-10", "something new"), &[]).as_deref(),
            Some("duplicate id id-10 (first at line 10)")
        );
    }

    /// A file of 40 rows: every seventh repeats the row before it (the same
    /// customer and text), and every eleventh has a field too many.
    fn mixed_rows() -> tempfile::NamedTempFile {
        use std::io::Write;
        let mut f = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
        writeln!(f, "id,customer,text").unwrap();
        for n in 1..=40 {
            let (id, text) = if n % 7 == 0 {
                (n, format!("text {}", n - 1))
            } else {
                (n, format!("text {n}"))
            };
            let customer = if n % 7 == 0 { n - 1 } else { n };
            if n % 11 == 0 {
                writeln!(f, "{id},c{customer}@x.test,{text},extra").unwrap();
            } else {
                writeln!(f, "{id},c{customer}@x.test,{text}").unwrap();
            }
        }
        f.flush().unwrap();
        f
    }

    #[test]
    fn rows_come_out_in_input_order_through_the_lookahead() {
        let f = mixed_rows();
        let sources = [Source::from_arg(f.path().to_str().unwrap(), None)];
        let diag = Diagnostics::new(true);
        let order = std::cell::RefCell::new(Vec::new());
        let mut rejected = Vec::new();
        read_chunks_of(
            1,
            None,
            &sources,
            &[],
            &diag,
            &mut |chunk| {
                order.borrow_mut().extend(chunk.iter().map(|i| i.line));
                Ok(())
            },
            &mut |r| {
                order.borrow_mut().push(r.line);
                rejected.push((r.line, r.reason.starts_with("the same text")));
                Ok(())
            },
        )
        .unwrap();
        // Line = n + 1. Every row once, in order.
        assert_eq!(order.into_inner(), (2..=41).collect::<Vec<u64>>());
        let dup_lines: Vec<u64> = rejected.iter().filter(|r| r.1).map(|r| r.0).collect();
        assert_eq!(dup_lines, vec![8, 15, 22, 29, 36]);
        assert_eq!(rejected.len(), 5 + 3);
    }

    #[test]
    fn chunks_fill_in_input_order_when_duplicates_fall_on_their_edges() {
        // Items wait in the chunk for their check: a duplicate among them
        // leaves it, and a full chunk carries the unchecked on.
        let f = mixed_rows();
        let sources = [Source::from_arg(f.path().to_str().unwrap(), None)];
        let diag = Diagnostics::new(true);
        // Line = n + 1; every seventh row repeats the one before it, every
        // eleventh has a field too many.
        let rejected = |line: u64| (line - 1) % 7 == 0 || (line - 1) % 11 == 0;
        for size in [2, 3, 5, 16, 17, 100] {
            let events = std::cell::RefCell::new(Vec::new());
            read_chunks_of(
                size,
                None,
                &sources,
                &[],
                &diag,
                &mut |chunk| {
                    let lines: Vec<u64> = chunk.iter().map(|i| i.line).collect();
                    events.borrow_mut().push(format!("chunk {lines:?}"));
                    Ok(())
                },
                &mut |r| {
                    events.borrow_mut().push(format!("reject {}", r.line));
                    Ok(())
                },
            )
            .unwrap();
            // Rows in order: rejections as they come, items in full chunks.
            let mut expected = Vec::new();
            let mut chunk = Vec::new();
            for line in 2..=41 {
                if rejected(line) {
                    expected.push(format!("reject {line}"));
                } else {
                    chunk.push(line);
                    if chunk.len() == size {
                        expected.push(format!("chunk {:?}", std::mem::take(&mut chunk)));
                    }
                }
            }
            if !chunk.is_empty() {
                expected.push(format!("chunk {chunk:?}"));
            }
            assert_eq!(events.into_inner(), expected, "chunks of {size}");
        }
    }

    #[test]
    fn a_failed_rejection_stops_the_rows_after_it() {
        // As `--strict` does: the first rejected row (line 8, the first
        // repeat) ends the run, and no row after it reaches the chunks,
        // lookahead or not.
        let f = mixed_rows();
        let sources = [Source::from_arg(f.path().to_str().unwrap(), None)];
        let diag = Diagnostics::new(true);
        let mut items = Vec::new();
        let err = read_chunks_of(
            1,
            None,
            &sources,
            &[],
            &diag,
            &mut |chunk| {
                items.extend(chunk.iter().map(|i| i.line));
                Ok(())
            },
            &mut |r| anyhow::bail!("stop at {}", r.line),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "stop at 8");
        assert_eq!(items, (2..8).collect::<Vec<u64>>());
    }

    #[test]
    fn reading_on_past_a_missing_source_keeps_one_duplicate_check() {
        // `check` reads every source this way: the missing one is its own
        // error, and the copy after it still finds the first file's rows.
        let f = mixed_rows();
        let path = f.path().to_str().unwrap();
        let sources = [
            Source::from_arg(path, None),
            Source::from_arg("no-such-export.csv", None),
            Source::from_arg(path, None),
        ];
        let diag = Diagnostics::new(true);
        let mut items = 0;
        let mut duplicates = [0u64; 3];
        let results = read_chunks_each(
            &sources,
            &[],
            &diag,
            &mut |chunk| {
                items += chunk.len();
                Ok(())
            },
            &mut |r| {
                duplicates[r.source] += u64::from(r.reason.starts_with("the same text"));
                Ok(())
            },
        )
        .unwrap();
        assert!(results[0].is_ok());
        assert!(results[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("no-such-export.csv"));
        // Of the 40 rows, 5 repeat the row before and 3 are malformed: 32
        // items, all of which the copy holds again, with the 5 repeats.
        assert_eq!(results[2].as_ref().unwrap().items, 0);
        assert_eq!(duplicates, [5, 0, 32 + 5]);
        assert_eq!(items, 32);
    }

    #[test]
    fn thousands_of_customers_keep_their_own_rings() {
        // Past the first index size and ring block, every customer's items
        // are still found, and only theirs.
        let item = |c: usize, line: u64, text: &str| Item {
            line,
            id: line.to_string(),
            text: text.into(),
            customer: Some(format!("c{c}@x.test")),
            ..Item::default()
        };
        let mut d = Dedup::default();
        let n = 5000;
        for c in 0..n {
            assert_eq!(d.check(&item(c, 1 + c as u64, "the same words"), &[]), None);
        }
        for c in 0..n {
            let again = d.check(&item(c, 10_000 + c as u64, "the same words"), &[]);
            assert_eq!(
                again.as_deref(),
                Some(format!("the same text from the same customer as ?:{}", 1 + c).as_str())
            );
        }
        assert_eq!(d.customers, n);
        assert!(2 * d.customers <= d.index.len());
    }

    #[test]
    fn customer_and_id_fingerprints_keep_fields_apart() {
        assert_ne!(fingerprint(b'c', 0, b"ab"), fingerprint(b'a', 0, b"ab"));
        assert_ne!(fingerprint(b'd', 0, b"7"), fingerprint(b'd', 1, b"7"));
        assert_ne!(fingerprint(b'c', 0, b"ab"), fingerprint(b'c', 0, b"abc"));
        // An account is compared in lower case.
        let key = |account: &str| {
            let item = Item {
                account: Some(account.into()),
                id: "x".into(),
                ..Item::default()
            };
            Prints::of(&item, &mut Vec::new()).map(|p| p.key)
        };
        assert_eq!(key("BigCo"), key("bigco"));
        assert_eq!(key("ÉCOLE Σ"), key("école σ"));
        assert_ne!(key("BigCo"), key("BigCo2"));
    }
}
