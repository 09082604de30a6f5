//! The pipeline: sources → items → tags → accumulator, in parallel chunks.
//!
//! Sources are read in order on the calling thread; each chunk of items is
//! tagged (and, for ranking, accumulated) on all cores with rayon. Because
//! the accumulator is a commutative monoid, the result is the same for any
//! number of threads and any chunk size.

use rayon::prelude::*;

use crate::ingest::{
    read_source, Diagnostics, Event, ReadContext, Rejection, Source, SourceSummary,
};
use crate::item::Item;
use crate::roadmap::Roadmap;
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
    let mut summaries = Vec::with_capacity(sources.len());
    let mut chunk: Vec<Item> = Vec::with_capacity(CHUNK);
    for (index, src) in sources.iter().enumerate() {
        let ctx = ReadContext {
            index,
            wanted,
            diag,
        };
        let summary = read_source(src, &ctx, &mut |event| {
            match event {
                Event::Item(item) => {
                    chunk.push(item);
                    if chunk.len() >= CHUNK {
                        crate::output::advance_progress(CHUNK as u64);
                        on_chunk(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))?;
                    }
                }
                Event::Rejected(r) => on_reject(r)?,
            }
            Ok(())
        })?;
        summaries.push(summary);
    }
    if !chunk.is_empty() {
        on_chunk(chunk)?;
    }
    Ok(summaries)
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

/// Reads, tags and accumulates every source.
pub fn accumulate(
    roadmap: &Roadmap,
    tagger: &Tagger,
    sources: &[Source],
    window: &Window,
    diag: &Diagnostics,
    on_reject: &mut dyn FnMut(Rejection) -> anyhow::Result<()>,
) -> anyhow::Result<(Accumulator, Vec<SourceSummary>)> {
    let mut acc = Accumulator::new(
        roadmap.features.len(),
        roadmap.stages.len(),
        roadmap.personas.len(),
        sources.len(),
    );
    let empty = acc.empty_like();
    let wanted = wanted_fields(roadmap);
    let mut rejected = vec![0u64; sources.len()];
    let summaries = read_chunks(
        sources,
        &wanted,
        diag,
        &mut |items| {
            acc.merge(accumulate_chunk(tagger, &items, window, &empty));
            Ok(())
        },
        &mut |r| {
            rejected[r.source] += 1;
            on_reject(r)
        },
    )?;
    for (source, n) in rejected.into_iter().enumerate() {
        for _ in 0..n {
            acc.reject(source);
        }
    }
    Ok((acc, summaries))
}
