//! The benchmark generator (examples/gen_feedback) must be deterministic and
//! must produce what painmap reads: the benchmarks are only comparable if
//! everyone measures the same bytes.

#[path = "../examples/gen_feedback/synth.rs"]
mod synth;

use std::path::Path;

use painmap::roadmap::Roadmap;
use painmap::text::normalize::Normalizer;

fn feedback(rows: u64, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    synth::write_feedback(&synth::Config::new(rows, 100, seed), &mut out).unwrap();
    out
}

#[test]
fn same_seed_same_bytes_and_longer_files_extend_shorter_ones() {
    let a = feedback(2_000, 9);
    assert_eq!(a, feedback(2_000, 9));
    assert_ne!(a, feedback(2_000, 10));
    let longer = feedback(3_000, 9);
    assert!(longer.starts_with(&a));
}

#[test]
fn the_csv_has_the_documented_columns_and_rows() {
    let data = feedback(1_000, 1);
    let mut r = csv::Reader::from_reader(data.as_slice());
    assert_eq!(r.headers().unwrap(), synth::HEADER.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1_000);
    let customers: std::collections::HashSet<&str> = rows.iter().map(|r| &r[2]).collect();
    let accounts: std::collections::HashSet<&str> = rows.iter().map(|r| &r[3]).collect();
    assert!(customers.len() > 500, "{} customers", customers.len());
    assert!(accounts.len() > 200, "{} accounts", accounts.len());
    assert!(rows.iter().all(|r| !r[8].is_empty()));
}

#[test]
fn every_roadmap_size_parses_and_keywords_are_distinct() {
    for features in [1, 100, synth::MAX_FEATURES] {
        let cfg = synth::Config::new(0, features, 1);
        let mut toml = Vec::new();
        synth::write_roadmap(&cfg, &mut toml).unwrap();
        let r = Roadmap::parse(
            Path::new("roadmap.toml"),
            std::str::from_utf8(&toml).unwrap(),
        )
        .unwrap_or_else(|e| panic!("{features} features: {e}"));
        assert_eq!(r.features.len(), features);
        let n = Normalizer::new();
        let mut phrases: Vec<String> = r
            .features
            .iter()
            .flat_map(|f| f.keywords.iter().filter_map(|k| n.phrase(k)))
            .collect();
        let total = phrases.len();
        phrases.sort();
        phrases.dedup();
        assert_eq!(phrases.len(), total, "two features share a keyword");
    }
}

#[test]
fn the_inflections_in_texts_stem_like_the_keywords() {
    let n = Normalizer::new();
    for forms in synth::OBJECTS {
        let stem = n.phrase(forms[0]).unwrap();
        for f in forms.iter() {
            assert_eq!(
                n.phrase(f).unwrap(),
                stem,
                "{f} does not stem like {}",
                forms[0]
            );
        }
    }
}
