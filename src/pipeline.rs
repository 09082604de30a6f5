//! The pipeline: sources → items → tags → accumulator, in parallel chunks.
//!
//! Sources are read in order on the calling thread. For `tag`, each chunk of
//! items is tagged on all cores with rayon and written in input order. For
//! ranking, reading overlaps with tagging: the reader hands batches through
//! bounded channels to one worker per rayon thread, each of which tags and
//! accumulates into its own accumulator; the workers' accumulators are
//! merged at the end. Because the accumulator is a commutative monoid, the
//! result is the same for any number of threads and any batch size.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::ingest::{
    read_source, Diagnostics, Event, ReadContext, Rejection, Source, SourceSummary, Spare,
};
use crate::item::Item;
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

fn read_chunks_of(
    size: usize,
    spare: Option<&Spare>,
    sources: &[Source],
    wanted: &[String],
    diag: &Diagnostics,
    on_chunk: &mut dyn FnMut(Vec<Item>) -> anyhow::Result<()>,
    on_reject: &mut dyn FnMut(Rejection) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<SourceSummary>> {
    let mut summaries = Vec::with_capacity(sources.len());
    let mut chunk: Vec<Item> = Vec::with_capacity(size);
    let mut dedup = Dedup::default();
    for (index, src) in sources.iter().enumerate() {
        let ctx = ReadContext {
            index,
            wanted,
            diag,
            spare,
        };
        let mut duplicates = 0;
        let mut summary = read_source(src, &ctx, &mut |event| {
            match event {
                Event::Item(item) => {
                    if let Some(reason) = dedup.check(&item, sources) {
                        duplicates += 1;
                        diag.warn(
                            "duplicate",
                            &format!("{}:{}", src.name, item.line),
                            &format!("{reason}; it counts once"),
                        );
                        return on_reject(Rejection {
                            source: item.source,
                            line: item.line,
                            reason,
                            row: Some(crate::ingest::excerpt(&item.text)),
                        });
                    }
                    chunk.push(item);
                    if chunk.len() >= size {
                        crate::output::advance_progress(size as u64);
                        on_chunk(std::mem::replace(&mut chunk, Vec::with_capacity(size)))?;
                    }
                }
                Event::Rejected(r) => on_reject(r)?,
            }
            Ok(())
        })?;
        summary.items -= duplicates;
        summary.rejected += duplicates;
        summaries.push(summary);
    }
    if !chunk.is_empty() {
        on_chunk(chunk)?;
    }
    Ok(summaries)
}

/// How many of a customer's recent items are remembered to find duplicates.
pub const DEDUP_RECENT: usize = 8;

/// Finds rows that repeat an earlier one: the same id in the same source,
/// or the same text from the same customer.
///
/// Memory must grow with customers, not rows, so each customer keeps the
/// fingerprints of their last [`DEDUP_RECENT`] items only. A duplicate of an
/// item the customer wrote more than that many items earlier goes unnoticed;
/// it changes no score (a customer counts once, through their latest item),
/// only the mention counts.
#[derive(Default)]
pub struct Dedup {
    /// By a hash of the customer's identity. The ring is stored in the
    /// table itself: one memory access per row, no allocation per customer.
    recent: std::collections::HashMap<u64, Recent, crate::score::accumulate::IdBuild>,
}

/// A customer's last [`DEDUP_RECENT`] items, oldest overwritten first.
#[derive(Default)]
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

/// FNV-1a over 32-bit units, with a final mix. Every item is fingerprinted
/// on the reading thread, which the taggers wait on, so this must be cheap:
/// SipHash fed one character at a time cost 18% of all instructions. A
/// collision can only make two items of one customer look alike.
struct Fingerprint(u64);

/// Ends a word or a field; above every `char`, so it cannot be one.
const SEPARATOR: u32 = 0x11_0000;

impl Fingerprint {
    fn new(tag: u8) -> Fingerprint {
        let mut f = Fingerprint(0xCBF2_9CE4_8422_2325);
        f.unit(u32::from(tag));
        f
    }

    fn unit(&mut self, u: u32) {
        self.0 = (self.0 ^ u64::from(u)).wrapping_mul(0x0100_0000_01B3);
    }

    fn str(&mut self, s: &str) -> &mut Fingerprint {
        for b in s.bytes() {
            self.unit(u32::from(b));
        }
        self.unit(SEPARATOR);
        self
    }

    /// `s` in lower case, as `str::to_lowercase` would write it.
    fn lower(&mut self, s: &str) -> &mut Fingerprint {
        if s.is_ascii() {
            for b in s.bytes() {
                self.unit(u32::from(b.to_ascii_lowercase()));
            }
            self.unit(SEPARATOR);
            self
        } else {
            self.str(&s.to_lowercase())
        }
    }

    fn num(&mut self, n: usize) -> &mut Fingerprint {
        let n = n as u64;
        self.unit(n as u32);
        self.unit((n >> 32) as u32);
        self.unit(SEPARATOR);
        self
    }

    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        z ^ (z >> 33)
    }
}

/// A hash of the text with case and runs of white space folded, computed
/// without building the folded string.
fn text_fingerprint(text: &str) -> u64 {
    let mut h = Fingerprint::new(b't');
    if text.is_ascii() {
        // The same units as below, a byte at a time. `char::is_whitespace`
        // on ASCII is these six bytes.
        let mut in_word = false;
        for &b in text.as_bytes() {
            if matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
                if in_word {
                    h.unit(SEPARATOR);
                    in_word = false;
                }
            } else {
                h.unit(u32::from(b.to_ascii_lowercase()));
                in_word = true;
            }
        }
        if in_word {
            h.unit(SEPARATOR);
        }
        return h.finish();
    }
    text_fingerprint_by_chars(h, text)
}

/// [`text_fingerprint`] for any text, a character at a time.
fn text_fingerprint_by_chars(mut h: Fingerprint, text: &str) -> u64 {
    for word in text.split_whitespace() {
        for c in word.chars() {
            if c.is_ascii() {
                h.unit(u32::from(c.to_ascii_lowercase()));
            } else {
                for l in c.to_lowercase() {
                    h.unit(u32::from(l));
                }
            }
        }
        h.unit(SEPARATOR);
    }
    h.finish()
}

impl Dedup {
    /// `Some(reason)` when the item repeats one seen before.
    pub fn check(&mut self, item: &Item, sources: &[Source]) -> Option<String> {
        // An id that is only the line number says nothing about duplicates.
        let real_id = item.id.parse::<u64>() != Ok(item.line);
        let key = match (&item.customer, &item.account) {
            (Some(c), _) => Fingerprint::new(b'c').str(c).finish(),
            (None, Some(a)) => Fingerprint::new(b'a').lower(a).finish(),
            // Anonymous and without an id: nothing to compare it with.
            (None, None) if !real_id => return None,
            (None, None) => Fingerprint::new(b'i')
                .num(item.source)
                .str(&item.id)
                .finish(),
        };
        let id = if real_id {
            Fingerprint::new(b'd')
                .num(item.source)
                .str(&item.id)
                .finish()
                .max(1)
        } else {
            0
        };
        let text = text_fingerprint(&item.text);
        let seen = self.recent.entry(key).or_default();
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
            if id != 0 && s.id == id && s.source as usize == item.source {
                return Some(format!(
                    "duplicate id {} (first at line {})",
                    item.id, s.line
                ));
            }
            if s.text == text {
                return Some(format!(
                    "the same text from the same customer as {}:{}",
                    name(s.source as usize),
                    s.line
                ));
            }
        }
        seen.seen[usize::from(seen.next)] = Seen {
            id,
            text,
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
            serde_json::to_writer(&mut *w, &line)?;
            w.write_all(b"\n")?;
        }
        if self.strict {
            anyhow::bail!(
                "{name}:{}: {} (--strict stops at the first rejected row)\n  help: fix the row, or drop --strict to skip such rows and count them",
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

/// Tags a chunk on all cores, keeping input order.
pub fn tag_chunk(tagger: &Tagger, items: &[Item]) -> Vec<Tags> {
    items
        .par_iter()
        .map_init(Scratch::default, |scratch, item| tagger.tag(item, scratch))
        .collect()
}

/// Tags and accumulates a chunk on all cores.
pub fn accumulate_chunk(
    tagger: &Tagger,
    items: &[Item],
    window: &Window,
    empty: &Accumulator,
) -> Accumulator {
    items
        .par_iter()
        .fold(
            || (empty.empty_like(), Scratch::default()),
            |(mut acc, mut scratch), item| {
                let tags = tagger.tag(item, &mut scratch);
                acc.add(item, &tags, window);
                (acc, scratch)
            },
        )
        .map(|(acc, _)| acc)
        .reduce(
            || empty.empty_like(),
            |mut a, b| {
                a.merge(b);
                a
            },
        )
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

/// Items a helper tagged for their owner to accumulate.
type Tagged = Vec<(Item, Tags)>;

/// One worker's ends of the channels.
struct Ends {
    batches: Receiver<Batch>,
    tagged: Receiver<Tagged>,
    /// To every other worker's `tagged`; `None` at the worker's own index.
    to_owners: Vec<Option<Sender<Tagged>>>,
    /// Batches whose items are done with, back to the reader.
    spent: Sender<Vec<Item>>,
}

/// Reads, tags and accumulates every source, reading on this thread while
/// the rayon threads tag and accumulate.
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
    let workers = rayon::current_num_threads().max(1);
    let queued: Vec<AtomicUsize> = (0..workers).map(|_| AtomicUsize::new(0)).collect();
    let mut senders = Vec::with_capacity(workers);
    let mut batch_rx = Vec::with_capacity(workers);
    let (tagged_tx, tagged_rx): (Vec<_>, Vec<_>) = (0..workers).map(|_| channel()).unzip();
    // Items go back to the thread that allocated them, the reader, to be
    // reused. When workers freed them, glibc's allocator took the reader's
    // arena lock for every free, and the two workers and the reader queued
    // on it: `--threads 2` took 3.46 s on 1M rows, `--threads 1` 2.77 s.
    let (spent_tx, spent_rx) = channel::<Vec<Item>>();
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
    drop(tagged_tx);
    drop(spent_tx);
    let mut rejected = vec![0u64; sources.len()];

    let (read, partials) = std::thread::scope(|s| {
        // The workers run on the rayon pool; this thread only waits for them.
        let handle = s.spawn(|| {
            rayon::broadcast(|ctx| {
                let w = ctx.index();
                let ends = slots[w].lock().ok().and_then(|mut e| e.take());
                let mut acc = shape.empty_like();
                if let Some(ends) = ends {
                    work(tagger, window, w, ends, &queued[w], &mut acc);
                }
                acc
            })
        });
        let read = read_routed(
            &senders,
            &queued,
            &spent_rx,
            sources,
            &wanted,
            diag,
            &mut |r| {
                rejected[r.source] += 1;
                on_reject(r)
            },
        );
        // Closing the channels tells the workers the input has ended.
        senders.clear();
        let partials = handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (read, partials)
    });
    let summaries = read?;

    let mut partials = partials.into_iter();
    let mut acc = partials.next().unwrap_or(shape);
    for p in partials {
        acc.merge(p);
    }
    for (source, n) in rejected.into_iter().enumerate() {
        for _ in 0..n {
            acc.reject(source);
        }
    }
    Ok((acc, summaries))
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
    let give_back = |items: Vec<Item>| {
        let _ = spent.send(items);
    };
    while let Ok(batch) = batches.recv() {
        queued.fetch_sub(1, Ordering::Relaxed);
        while let Ok(done) = tagged.try_recv() {
            give_back(add_tagged(acc, done, window));
        }
        match to_owners.get(batch.owner).and_then(Option::as_ref) {
            Some(owner) if batch.owner != me => {
                let done: Tagged = batch
                    .items
                    .into_iter()
                    .map(|item| {
                        let tags = tagger.tag(&item, &mut scratch);
                        (item, tags)
                    })
                    .collect();
                // Fails only if the owner died; its panic surfaces anyway.
                let _ = owner.send(done);
            }
            _ => {
                for item in &batch.items {
                    let tags = tagger.tag(item, &mut scratch);
                    acc.add(item, &tags, window);
                }
                give_back(batch.items);
            }
        }
    }
    // The input has ended: stop helping, then take what others still send.
    drop(to_owners);
    while let Ok(done) = tagged.recv() {
        give_back(add_tagged(acc, done, window));
    }
}

/// Accumulates items another worker tagged, and returns the items.
fn add_tagged(acc: &mut Accumulator, done: Tagged, window: &Window) -> Vec<Item> {
    done.into_iter()
        .map(|(item, tags)| {
            acc.add(&item, &tags, window);
            item
        })
        .collect()
}

/// Reads every source, sending each item to the worker that owns its
/// customer.
fn read_routed(
    senders: &[SyncSender<Batch>],
    queued: &[AtomicUsize],
    spent: &Receiver<Vec<Item>>,
    sources: &[Source],
    wanted: &[String],
    diag: &Diagnostics,
    on_reject: &mut dyn FnMut(Rejection) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<SourceSummary>> {
    let n = senders.len();
    let mut batches: Vec<Vec<Item>> = (0..n).map(|_| Vec::with_capacity(BATCH)).collect();
    let mut key = String::new();
    // Every batch can be in flight at once: queued, being tagged, or
    // waiting to be filled here.
    let spare = Spare::new((QUEUE + 2) * n * BATCH);
    // A batch to fill: every spent batch's items are kept for reuse (all of
    // them, so none wait in the channel while new items are made), and one
    // of their vectors is reused.
    let fresh = || {
        let mut batch = None;
        while let Ok(mut items) = spent.try_recv() {
            spare.give(&mut items);
            batch = Some(items);
        }
        batch.unwrap_or_else(|| Vec::with_capacity(BATCH))
    };
    let send = |owner: usize, items: Vec<Item>| -> anyhow::Result<()> {
        // The owner, unless it is backed up while another worker idles.
        // The counts are a heuristic: a stale read only moves a batch.
        let to = if queued[owner].load(Ordering::Relaxed) >= QUEUE {
            (0..n)
                .find(|&w| queued[w].load(Ordering::Relaxed) == 0)
                .unwrap_or(owner)
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
                drop(fresh());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fingerprints_fold_case_and_white_space_only() {
        let f = text_fingerprint;
        assert_eq!(f("The Export  fails\n"), f("the export fails"));
        assert_eq!(f("ÉCOLE Straße"), f("école straße"));
        assert_ne!(f("ab c"), f("a bc"));
        assert_ne!(f("export fails"), f("export failed"));
        assert_ne!(f(""), f(" x"));
    }

    proptest::proptest! {
        #[test]
        fn ascii_fingerprint_matches_char_fingerprint(s in "[ -~\t\n\x0b\x0c\r]{0,40}") {
            proptest::prop_assert_eq!(
                text_fingerprint(&s),
                text_fingerprint_by_chars(Fingerprint::new(b't'), &s)
            );
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

    #[test]
    fn customer_and_id_fingerprints_keep_fields_apart() {
        let k = |tag, a: &str, b: &str| Fingerprint::new(tag).str(a).str(b).finish();
        assert_ne!(k(b'c', "ab", "c"), k(b'c', "a", "bc"));
        assert_ne!(k(b'c', "a", "b"), k(b'a', "a", "b"));
        assert_eq!(
            Fingerprint::new(b'a').lower("BigCo").finish(),
            Fingerprint::new(b'a').lower("bigco").finish()
        );
    }
}
