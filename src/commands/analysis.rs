//! The shared first half of `rank` and `explain`: load the roadmap, read
//! and tag every source, accumulate, and score under a model.

use std::path::Path;
use std::time::Instant;

use crate::cli::InputArgs;
use crate::config::{self, Settings};
use crate::ingest::{Diagnostics, SourceSummary};
use crate::output::Plan;
use crate::pipeline;
use crate::plural::count;
use crate::report::{self, Report, ReportInput};
use crate::roadmap::{Model, Roadmap};
use crate::score::models::{self, FeatureScore, Weights};
use crate::score::{Accumulator, Window};
use crate::tag::Tagger;

/// [`models::score_features`] or [`models::score_ranking`].
type ScoreFn = fn(
    &Accumulator,
    &[crate::roadmap::Feature],
    &crate::roadmap::Scoring,
    Model,
    &Window,
    &Weights,
) -> Vec<FeatureScore>;

/// Everything read from the feedback, ready to be scored by any model.
pub struct Analysis {
    pub roadmap: Roadmap,
    /// Each source's display name, weight and what reading it found.
    pub sources: Vec<(String, f64, SourceSummary)>,
    pub acc: Accumulator,
    pub window: Window,
    pub weights: Weights,
    pub as_of: String,
}

impl Analysis {
    /// `plan` holds what the command writes besides the rejected rows.
    pub fn run(
        roadmap_path: &Path,
        settings: &Settings,
        input: &InputArgs,
        plan: Plan,
    ) -> anyhow::Result<Analysis> {
        let started = Instant::now();
        let roadmap = config::load_roadmap(roadmap_path, settings.quiet)?;
        let sources = config::sources(&roadmap, input)?;
        plan.feedback(roadmap_path, &sources, input.rejects.as_deref())
            .check()?;
        let window = settings.window(&roadmap);
        let tagger = Tagger::new(&roadmap)?;
        let diag = Diagnostics::new(settings.quiet);
        let (acc, summaries) = {
            let mut rejects =
                pipeline::Rejects::new(input.strict, input.rejects.as_deref(), &sources)?;
            let result =
                pipeline::accumulate(&roadmap, &tagger, &sources, &window, &diag, &mut |r| {
                    rejects.take(&r)
                });
            rejects.finish()?;
            result?
        };
        diag.finish();
        warn_if_stale(&acc, &window, settings);
        let sources: Vec<_> = sources
            .iter()
            .zip(summaries)
            .map(|(s, summary)| (s.name.clone(), s.weight, summary))
            .collect();
        if settings.verbose {
            for (name, _, s) in &sources {
                crate::output::describe_source(name, s);
            }
            eprintln!(
                "painmap: read and tagged {} in {:.1} ms",
                count(
                    acc.linked + acc.unlinked + acc.rejected + acc.duplicates,
                    "item"
                ),
                started.elapsed().as_secs_f64() * 1e3
            );
        }
        Ok(Analysis::assemble(roadmap, sources, acc, window, settings))
    }

    /// Like [`Analysis::run`], from the JSON Lines `painmap tag` wrote
    /// (`rank --tagged`) instead of the feedback.
    pub fn run_tagged(
        roadmap_path: &Path,
        settings: &Settings,
        tagged_path: &Path,
        plan: Plan,
    ) -> anyhow::Result<Analysis> {
        let started = Instant::now();
        plan.reads("the roadmap", roadmap_path)
            .reads("the tagged file", tagged_path)
            .check()?;
        let roadmap = config::load_roadmap(roadmap_path, settings.quiet)?;
        let window = settings.window(&roadmap);
        let diag = crate::ingest::Diagnostics::new(settings.quiet);
        let (acc, sources) = crate::tagged::accumulate(&roadmap, tagged_path, &window, &diag)?;
        diag.finish();
        warn_if_stale(&acc, &window, settings);
        let sources = crate::tagged::named(sources);
        if settings.verbose {
            eprintln!(
                "painmap: read {} in {:.1} ms",
                count(acc.linked + acc.unlinked, "tagged item"),
                started.elapsed().as_secs_f64() * 1e3
            );
        }
        Ok(Analysis::assemble(roadmap, sources, acc, window, settings))
    }

    /// The analysis of what was read: source and persona weights taken
    /// from the sources and the roadmap.
    fn assemble(
        roadmap: Roadmap,
        sources: Vec<(String, f64, SourceSummary)>,
        acc: Accumulator,
        window: Window,
        settings: &Settings,
    ) -> Analysis {
        let weights = Weights {
            sources: sources.iter().map(|(_, w, _)| *w).collect(),
            personas: roadmap.personas.iter().map(|p| p.weight).collect(),
        };
        Analysis {
            roadmap,
            sources,
            acc,
            window,
            weights,
            as_of: settings.as_of_string(),
        }
    }

    /// Every feature's score under `model`, best first, without the
    /// per-customer contributions (see [`models::score_ranking`]).
    pub fn ranking(&self, model: Model) -> Vec<FeatureScore> {
        self.rank_by(model, models::score_ranking)
    }

    /// Every feature's score under `model`, best first, with each
    /// customer's contribution (for `explain`).
    pub fn ranked(&self, model: Model) -> Vec<FeatureScore> {
        self.rank_by(model, models::score_features)
    }

    /// Scores every feature with `score` and ranks them, best first.
    fn rank_by(&self, model: Model, score: ScoreFn) -> Vec<FeatureScore> {
        let mut scores = score(
            &self.acc,
            &self.roadmap.features,
            &self.roadmap.scoring,
            model,
            &self.window,
            &self.weights,
        );
        models::rank(&mut scores, &self.roadmap.features);
        scores
    }

    pub fn report(&self, model: Model, ranked: &[FeatureScore]) -> Report {
        report::build(&ReportInput {
            roadmap: &self.roadmap,
            as_of: &self.as_of,
            model,
            acc: &self.acc,
            scores: ranked,
            sources: &self.sources,
        })
    }
}

/// Warns when the feedback stops well before `--as-of`
/// ([`Window::staleness`]): every trend then reads as a fall (an export from
/// last month ranked today, with `--as-of` left at today).
fn warn_if_stale(acc: &Accumulator, window: &Window, settings: &Settings) {
    if settings.quiet {
        return;
    }
    let as_of = settings.as_of_string();
    if let Some(none) =
        crate::score::accumulate::all_after_as_of(acc.newest, acc.future, acc.first_future, &as_of)
    {
        eprintln!("warning: {none}");
    }
    if let Some(stale) = window.staleness(acc.newest) {
        eprintln!(
            "warning: {}; if the export ends on {day}, rank with --as-of {day}",
            stale.describe(&as_of),
            day = stale.day()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn the_newest_item_is_the_newest_up_to_as_of() {
        let mut a = Accumulator::new(0, 0, 0, 1);
        let w = Window {
            as_of_end: 100 * DAY - 1,
            max_age: Some(50 * DAY),
            trend_recent: 10 * DAY,
            trend_prior: 30 * DAY,
        };
        let item = |day: i64| crate::item::Item {
            id: day.to_string(),
            customer: Some("ann".into()),
            created_at: Some(day * DAY),
            text: "words".into(),
            ..crate::item::Item::default()
        };
        let tags = crate::tag::Tags::default();
        // After --as-of: not counted. Too old: counted (it is still the
        // newest of the export).
        a.add(&item(120), &tags, &w);
        assert_eq!(a.newest, None);
        a.add(&item(10), &tags, &w);
        assert_eq!(a.newest, Some(10 * DAY));
        a.add(&item(70), &tags, &w);
        let mut b = a.empty_like();
        b.add(&item(80), &tags, &w);
        a.merge(b);
        assert_eq!(a.newest, Some(80 * DAY));
    }
}
