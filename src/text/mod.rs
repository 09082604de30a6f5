//! Text processing: normalization, the phrase automaton, sentiment and the
//! built-in cues that decide an item's kind and severity.

pub mod ascii;
pub mod cues;
pub mod evidence;
pub mod features;
pub mod kind_model;
pub mod matcher;
pub mod normalize;
pub mod sentiment;
pub mod train;
pub mod vocab;
