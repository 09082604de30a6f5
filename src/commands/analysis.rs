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
                count(acc.linked + acc.unlinked + acc.rejected, "item"),
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
        let (acc, sources) = crate::tagged::accumulate(&roadmap, tagged_path, &window)?;
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

/// Warns when the feedback stops well before `--as-of`: no scored item is
/// from the trend's recent days, so every trend reads as a fall to nothing
/// (an export from last month ranked today, with `--as-of` left at today).
fn warn_if_stale(acc: &Accumulator, window: &Window, settings: &Settings) {
    if settings.quiet {
        return;
    }
    if let Some(w) = stale_export(acc, window, &settings.as_of_string()) {
        eprintln!("warning: {w}");
    }
}

/// The warning [`warn_if_stale`] gives: when the newest scored item is
/// more than a quarter of the trend's recent days before `--as-of`, the
/// recent days hold too little of the feedback for a fair trend. A daily
/// or weekly export ranked on the day stays under it.
fn stale_export(acc: &Accumulator, window: &Window, as_of: &str) -> Option<String> {
    let newest = acc.newest?;
    let recent_days = window.trend_recent / 86_400;
    let before = (window.as_of_end - 1 - newest).max(0) / 86_400;
    if recent_days <= 0 || before * 4 <= recent_days {
        return None;
    }
    let day = crate::ingest::values::format_day(newest);
    let effect = if before >= recent_days {
        format!(
            "none is from the trend's last {}, so every trend shows a fall",
            count(recent_days as u64, "day")
        )
    } else {
        format!(
            "only {} of the trend's last {} hold feedback, so trends read low",
            count((recent_days - before) as u64, "day"),
            recent_days
        )
    };
    Some(format!(
        "the newest scored item is from {day}, {} before --as-of {as_of}: {effect}; if the \
         export ends on {day}, rank with --as-of {day}",
        count(before as u64, "day"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    /// An accumulator whose newest scored item was written at `newest`.
    fn acc(newest: Option<i64>) -> Accumulator {
        let mut acc = Accumulator::new(0, 0, 0, 1);
        acc.newest = newest;
        acc
    }

    fn window(as_of_day: i64, trend_days: i64) -> Window {
        Window {
            as_of_end: (as_of_day + 1) * DAY,
            max_age: None,
            trend_recent: trend_days * DAY,
            trend_prior: 2 * trend_days * DAY,
        }
    }

    #[test]
    fn stale_export_warns_past_a_quarter_of_the_trend_days() {
        // Day 20_000 is 2024-10-04; as of day 20_040.
        let at = |day: i64| Some(day * DAY + 12 * 3600);
        let w = window(20_040, 30);
        assert_eq!(stale_export(&acc(at(20_040)), &w, "2024-11-13"), None);
        // 7 days before: a weekly export, ranked on the day before the next.
        assert_eq!(stale_export(&acc(at(20_033)), &w, "2024-11-13"), None);
        let eight = stale_export(&acc(at(20_032)), &w, "2024-11-13").unwrap();
        assert!(
            eight.starts_with(
                "the newest scored item is from 2024-11-05, 8 days before --as-of 2024-11-13: \
                 only 22 days of the trend's last 30 hold feedback"
            ),
            "{eight}"
        );
        let forty = stale_export(&acc(at(20_000)), &w, "2024-11-13").unwrap();
        assert!(
            forty.contains(
                "40 days before --as-of 2024-11-13: none is from the trend's last 30 days"
            ) && forty.ends_with("rank with --as-of 2024-10-04"),
            "{forty}"
        );
    }

    #[test]
    fn stale_export_needs_dated_items_and_a_trend() {
        assert_eq!(stale_export(&acc(None), &window(20_040, 30), "x"), None);
        assert_eq!(stale_export(&acc(Some(0)), &window(20_040, 0), "x"), None);
    }

    #[test]
    fn the_newest_item_is_the_newest_scored_one() {
        let mut a = Accumulator::new(0, 0, 0, 1);
        let w = Window {
            as_of_end: 100 * DAY,
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
        // Too old, then after --as-of: neither is scored.
        a.add(&item(10), &tags, &w);
        a.add(&item(120), &tags, &w);
        assert_eq!(a.newest, None);
        a.add(&item(70), &tags, &w);
        let mut b = a.empty_like();
        b.add(&item(80), &tags, &w);
        a.merge(b);
        assert_eq!(a.newest, Some(80 * DAY));
    }
}
