//! Text processing: normalization, the phrase automaton, sentiment and the
//! built-in cues that decide an item's kind and severity.

pub mod cues;
pub mod matcher;
pub mod normalize;
pub mod sentiment;
pub mod vocab;
