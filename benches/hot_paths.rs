//! Micro-benchmarks of the hot paths, so that regressions show up:
//! normalize + match, sentiment, tagging as a whole, and accumulating.
//!
//! `cargo bench --bench hot_paths` (add `-- --quick` for a fast look). The
//! input is the first rows of a generated export (see
//! examples/gen_feedback), read through the real ingest code.

#[path = "../examples/gen_feedback/synth.rs"]
mod synth;

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

use painmap::ingest::{Diagnostics, Source};
use painmap::item::Item;
use painmap::pipeline;
use painmap::roadmap::Roadmap;
use painmap::score::{Accumulator, Window};
use painmap::tag::{Scratch, Tagger, Tags};
use painmap::text::matcher::PhraseSet;
use painmap::text::normalize::{Normalized, Normalizer};
use painmap::text::sentiment::sentiment;

const ROWS: u64 = 4_000;

struct Fixture {
    roadmap: Roadmap,
    items: Vec<Item>,
}

fn fixture(features: usize) -> Fixture {
    let cfg = synth::Config::new(ROWS, features, 7);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let csv = dir.path().join("feedback.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&csv).expect("create"));
    synth::write_feedback(&cfg, &mut out).expect("write feedback");
    drop(out);
    let mut toml = Vec::new();
    synth::write_roadmap(&cfg, &mut toml).expect("write roadmap");
    let roadmap = Roadmap::parse(
        Path::new("roadmap.toml"),
        std::str::from_utf8(&toml).expect("utf-8"),
    )
    .expect("a valid roadmap");
    let sources = [Source::from_arg(csv.to_str().expect("utf-8 path"), None)];
    let wanted = pipeline::wanted_fields(&roadmap);
    let diag = Diagnostics::new(true);
    let mut items = Vec::new();
    pipeline::read_chunks(
        &sources,
        &wanted,
        &diag,
        &mut |chunk| {
            items.extend(chunk);
            Ok(())
        },
        &mut |_| Ok(()),
    )
    .expect("readable feedback");
    Fixture { roadmap, items }
}

fn text_bytes(items: &[Item]) -> u64 {
    items.iter().map(|i| i.text.len() as u64).sum()
}

fn normalize_and_match(c: &mut Criterion) {
    for features in [100, 1000] {
        let fx = fixture(features);
        let normalizer = Normalizer::new();
        let phrases = PhraseSet::new(fx.roadmap.features.iter().enumerate().flat_map(|(i, f)| {
            f.keywords
                .iter()
                .filter_map(|k| normalizer.phrase(k))
                .map(move |p| (p, i))
                .collect::<Vec<_>>()
        }));
        let mut group = c.benchmark_group(format!("normalize+match/{features} features"));
        group.throughput(Throughput::Bytes(text_bytes(&fx.items)));
        group.bench_function("normalize", |b| {
            let mut norm = Normalized::default();
            b.iter(|| {
                for item in &fx.items {
                    normalizer.normalize_into(black_box(&item.text), &mut norm);
                }
                norm.token_count()
            })
        });
        group.bench_function("normalize+match", |b| {
            let mut norm = Normalized::default();
            b.iter(|| {
                let mut hits = 0usize;
                for item in &fx.items {
                    normalizer.normalize_into(black_box(&item.text), &mut norm);
                    phrases.find(&norm, |_, _| hits += 1);
                }
                hits
            })
        });
        group.finish();
    }
}

fn sentiment_bench(c: &mut Criterion) {
    let fx = fixture(100);
    let mut group = c.benchmark_group("sentiment");
    group.throughput(Throughput::Bytes(text_bytes(&fx.items)));
    group.bench_function("vader", |b| {
        b.iter(|| {
            fx.items
                .iter()
                .map(|i| sentiment(black_box(&i.text)))
                .sum::<f64>()
        })
    });
    group.finish();
}

fn tag_bench(c: &mut Criterion) {
    let fx = fixture(100);
    let tagger = Tagger::new(&fx.roadmap).expect("a tagger");
    let mut group = c.benchmark_group("tag");
    group.throughput(Throughput::Elements(fx.items.len() as u64));
    group.bench_function("one item at a time", |b| {
        let mut scratch = Scratch::default();
        b.iter(|| {
            fx.items
                .iter()
                .map(|i| tagger.tag(black_box(i), &mut scratch).features.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn accumulate_bench(c: &mut Criterion) {
    let fx = fixture(100);
    let tagger = Tagger::new(&fx.roadmap).expect("a tagger");
    let mut scratch = Scratch::default();
    let tags: Vec<Tags> = fx
        .items
        .iter()
        .map(|i| tagger.tag(i, &mut scratch))
        .collect();
    let window = Window {
        as_of_end: 20_758 * 86_400 + 86_399,
        max_age: Some(365 * 86_400),
        trend_recent: 30 * 86_400,
        trend_prior: 90 * 86_400,
    };
    let empty = Accumulator::new(
        fx.roadmap.features.len(),
        fx.roadmap.stages.len(),
        fx.roadmap.personas.len(),
        1,
    );
    let mut group = c.benchmark_group("accumulate");
    group.throughput(Throughput::Elements(fx.items.len() as u64));
    group.bench_function("add", |b| {
        b.iter_batched_ref(
            || empty.empty_like(),
            |acc| {
                for (item, t) in fx.items.iter().zip(&tags) {
                    acc.add(item, t, &window);
                }
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("merge halves", |b| {
        let half = fx.items.len() / 2;
        let mut a = empty.empty_like();
        let mut z = empty.empty_like();
        for (n, (item, t)) in fx.items.iter().zip(&tags).enumerate() {
            if n < half { &mut a } else { &mut z }.add(item, t, &window);
        }
        b.iter_batched(
            || (a.clone(), z.clone()),
            |(mut a, z)| {
                a.merge(z);
                a
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(
    benches,
    normalize_and_match,
    sentiment_bench,
    tag_bench,
    accumulate_bench
);
criterion_main!(benches);
