//! The whole tag step on arbitrary text: features, stage, persona, kind,
//! sentiment and pain, with every tag in range.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use painmap::item::Item;
use painmap::roadmap::Roadmap;
use painmap::tag::{Scratch, Tagger};

const ROADMAP: &str = include_str!("../../roadmap.toml");

fn tagger() -> &'static (Roadmap, Tagger) {
    static T: OnceLock<(Roadmap, Tagger)> = OnceLock::new();
    T.get_or_init(|| {
        let r = Roadmap::parse(std::path::Path::new("roadmap.toml"), ROADMAP).unwrap();
        let t = Tagger::new(&r).unwrap();
        (r, t)
    })
}

fuzz_target!(|data: &[u8]| {
    let (roadmap, tagger) = tagger();
    let item = Item {
        text: String::from_utf8_lossy(data).into_owned(),
        ..Item::default()
    };
    let tags = tagger.tag(&item, &mut Scratch::default());
    assert!((0.0..=1.0).contains(&tags.pain));
    assert!((-1.0..=1.0).contains(&tags.sentiment));
    assert!(tags.features.iter().all(|&f| (f as usize) < roadmap.features.len()));
});
