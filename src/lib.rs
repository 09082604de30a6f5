//! painmap: turn customer feedback exports into a ranked, explainable
//! product roadmap.
//!
//! The library is the pipeline:
//!
//! ```text
//! sources → items → tagger → accumulator → scorer → report → renderer
//! ```
//!
//! [`ingest`] reads exports into [`item::Item`]s, [`tag`] links each item to
//! features and tags its stage, persona, kind and pain, [`score`] folds the
//! tags into a mergeable accumulator and scores each feature, and
//! [`report`] holds the ranked result and writes it. [`cli`], [`config`] and
//! [`commands`] are the command line; nothing else knows about it.

pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod escapes;
pub mod ingest;
pub mod interrupt;
pub mod item;
pub mod output;
pub mod pipeline;
pub mod plural;
pub mod prefetch;
pub mod report;
pub mod roadmap;
pub mod scaffold;
pub mod score;
pub mod suggest;
pub mod tag;
pub mod tagged;
pub mod text;
pub mod themes;
