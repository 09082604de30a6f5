//! The CSV reader with column resolution and presets, on arbitrary bytes:
//! rows become items or rejections, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use painmap::ingest::{read_from, Diagnostics, Event, ReadContext, Source};

fuzz_target!(|data: &[u8]| {
    // Half the inputs get a known header so the fuzzer explores rows; the
    // other half fuzz the header (and preset detection) too.
    let mut bytes = Vec::new();
    if data.first().is_some_and(|b| b % 2 == 0) {
        bytes.extend_from_slice(b"id,created_at,customer_email,account,plan,arr,rating,text\n");
    }
    bytes.extend_from_slice(data);
    // A leading [ or { would make it JSON: that has its own target.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| *b == b'[' || *b == b'{') {
        return;
    }
    let src = Source::from_arg("fuzz.csv", None);
    let diag = Diagnostics::new(true);
    let wanted = vec!["role".to_string()];
    let ctx = ReadContext { index: 0, wanted: &wanted, diag: &diag, spare: None };
    let mut items = 0u64;
    let mut rejected = 0u64;
    if let Ok(summary) = read_from(&src, Box::new(bytes.as_slice()), None, &ctx, &mut |e| {
        match e {
            Event::Item(item) => {
                assert!(!item.text.trim().is_empty());
                assert!(item.rating.is_none_or(|r| (0.0..=1.0).contains(&r)));
                items += 1;
            }
            Event::Rejected(_) => rejected += 1,
        }
        Ok(())
    }) {
        // Every row is accounted for.
        assert_eq!(summary.items, items);
        assert_eq!(summary.rejected, rejected);
    }
});
