//! The JSON array, JSON Lines and API-response readers on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use painmap::ingest::{read_from, Diagnostics, Event, ReadContext, Source};

fuzz_target!(|data: &[u8]| {
    // Start with [ or { so the JSON readers, not CSV, get the input.
    let mut bytes = vec![if data.first().is_some_and(|b| b % 2 == 0) { b'[' } else { b'{' }];
    bytes.extend_from_slice(data);
    let src = Source::from_arg("fuzz.json", None);
    let diag = Diagnostics::new(true);
    let ctx = ReadContext { index: 0, wanted: &[], diag: &diag, spare: None };
    let _ = read_from(&src, Box::new(bytes.as_slice()), None, &ctx, &mut |e| {
        if let Event::Item(item) = e {
            assert!(!item.text.trim().is_empty());
        }
        Ok(())
    });
});
