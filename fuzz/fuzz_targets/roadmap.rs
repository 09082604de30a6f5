//! The roadmap loader on arbitrary text: an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(roadmap) = painmap::roadmap::Roadmap::parse(std::path::Path::new("fuzz.toml"), &text) {
        // A roadmap that loads must also build a tagger.
        let _ = painmap::tag::Tagger::new(&roadmap);
    }
});
