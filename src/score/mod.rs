//! From tagged items to scores: a mergeable accumulator, then the models.

pub mod accumulate;
pub mod models;

pub use accumulate::{Accumulator, Staleness, Window};
pub use models::{score_features, FeatureScore};
