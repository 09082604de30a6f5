//! Trains the kind model from our labelled feedback in `data/kind/` and
//! writes its weights into `OUT_DIR/kind_model.rs`, which
//! `src/text/kind_model.rs` includes.
//!
//! The features are computed by the crate's own modules, included here by
//! path, so that training and tagging cannot drift apart. Training is
//! deterministic: the same data gives the same weights, bit for bit.

#[allow(dead_code)]
#[path = "src/item.rs"]
pub mod item;

#[allow(dead_code)]
#[path = "src/text/ascii.rs"]
pub mod ascii;
#[allow(dead_code)]
#[path = "src/text/cues.rs"]
pub mod cues;
#[allow(dead_code)]
#[path = "src/text/evidence.rs"]
pub mod evidence;
#[allow(dead_code)]
#[path = "src/text/features.rs"]
pub mod features;
#[allow(dead_code)]
#[path = "src/text/matcher.rs"]
pub mod matcher;
#[allow(dead_code)]
#[path = "src/text/normalize.rs"]
pub mod normalize;
#[allow(dead_code)]
#[path = "src/text/train.rs"]
pub mod train;

/// The crate's `text` module, as the included files name it.
mod text {
    pub use super::{ascii, cues, evidence, features, matcher, normalize};
}

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=data/kind");
    for file in [
        "src/item.rs",
        "src/text/cues.rs",
        "src/text/evidence.rs",
        "src/text/features.rs",
        "src/text/matcher.rs",
        "src/text/normalize.rs",
        "src/text/train.rs",
    ] {
        println!("cargo:rerun-if-changed={file}");
    }
    let examples = match train::read_dir(Path::new("data/kind")) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: the kind model's training data: {e}");
            std::process::exit(1);
        }
    };
    let trained = train::train(&examples, train::PARAMS);
    let out =
        Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("kind_model.rs");
    if let Err(e) = std::fs::write(&out, trained.to_rust()) {
        eprintln!("error: writing {}: {e}", out.display());
        std::process::exit(1);
    }
}
