//! Rank and score movements between two JSON reports, and the CI gates
//! (`--fail-on`) that can be set on them.
//!
//! Features are matched by id. Ranks are compared as they are in each
//! report; scores are compared only when both reports use the same model.

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use serde::Serialize;

use super::sanitize::{markdown as md, markdown_code, terminal, terminal_escaped};
use super::{FeatureReport, Report};
use crate::plural::count;
use crate::suggest::did_you_mean;

/// What was compared: one side of the diff.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Side {
    pub product: String,
    pub as_of: String,
    pub model: String,
    pub features: usize,
    pub items: u64,
}

/// One feature's movement. A feature only in the new report has no old
/// rank (it entered); one only in the old report has no new rank (it left).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    pub id: String,
    pub title: String,
    pub old_rank: Option<usize>,
    pub new_rank: Option<usize>,
    pub old_score: Option<f64>,
    pub new_score: Option<f64>,
    /// Places moved up (positive) or down (negative).
    pub rank_change: Option<i64>,
    pub score_change: Option<f64>,
    /// The score change relative to the old score, in percent; `None` when
    /// the old score was 0 or the models differ. A change from 0 trips any
    /// `score-change` gate.
    pub score_change_pct: Option<f64>,
}

impl Change {
    pub fn entered(&self) -> bool {
        self.old_rank.is_none()
    }

    pub fn left(&self) -> bool {
        self.new_rank.is_none()
    }

    /// In both reports, at the same rank, with a different score.
    pub fn rescored(&self) -> bool {
        self.rank_change == Some(0) && self.score_change.is_some_and(|d| d != 0.0)
    }

    /// Same rank and, where comparable, the same score.
    pub fn unchanged(&self) -> bool {
        self.rank_change == Some(0) && self.score_change.is_none_or(|d| d == 0.0)
    }
}

/// A gate that trips, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tripped {
    pub condition: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    /// Whether scores are comparable (both reports use the same model).
    pub comparable_scores: bool,
    /// In new-rank order, then features that left in old-rank order.
    pub changes: Vec<Change>,
    /// How many features entered, left, moved, kept their rank with a new
    /// score, or did not change: each feature is in exactly one of these.
    pub entered: usize,
    pub left: usize,
    pub moved: usize,
    pub rescored: usize,
    pub unchanged: usize,
    /// Filled in by [`Diff::gate`].
    pub tripped: Vec<Tripped>,
}

fn side(r: &Report) -> Side {
    Side {
        product: r.product.clone(),
        as_of: r.as_of.clone(),
        model: r.model.clone(),
        features: r.features.len(),
        items: r.totals.items,
    }
}

/// A rank as a signed number, so that moves can be subtracted. Ranks come
/// from a file, so an absurd one saturates rather than overflows.
fn places(rank: usize) -> i64 {
    i64::try_from(rank).unwrap_or(i64::MAX)
}

/// Rounds a percentage so that reports written on different machines agree.
fn pct(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

impl Diff {
    pub fn new(old: &Report, new: &Report) -> Diff {
        let comparable_scores = old.model == new.model;
        let find = |r: &'_ Report, id: &str| -> Option<FeatureReport> {
            r.features.iter().find(|f| f.id == id).cloned()
        };
        let mut new_sorted: Vec<&FeatureReport> = new.features.iter().collect();
        new_sorted.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.id.cmp(&b.id)));
        let mut old_sorted: Vec<&FeatureReport> = old.features.iter().collect();
        old_sorted.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.id.cmp(&b.id)));

        let mut changes = Vec::new();
        for f in new_sorted {
            let before = find(old, &f.id);
            let (score_change, score_change_pct) = match &before {
                Some(o) if comparable_scores => {
                    let d = super::round(f.score - o.score, 4);
                    let p = (o.score != 0.0).then(|| pct(100.0 * d / o.score.abs()));
                    (Some(d), p)
                }
                _ => (None, None),
            };
            changes.push(Change {
                id: f.id.clone(),
                title: f.title.clone(),
                old_rank: before.as_ref().map(|o| o.rank),
                new_rank: Some(f.rank),
                old_score: before.as_ref().map(|o| o.score),
                new_score: Some(f.score),
                rank_change: before.as_ref().map(|o| places(o.rank) - places(f.rank)),
                score_change,
                score_change_pct,
            });
        }
        for o in old_sorted {
            if find(new, &o.id).is_none() {
                changes.push(Change {
                    id: o.id.clone(),
                    title: o.title.clone(),
                    old_rank: Some(o.rank),
                    new_rank: None,
                    old_score: Some(o.score),
                    new_score: None,
                    rank_change: None,
                    score_change: None,
                    score_change_pct: None,
                });
            }
        }
        let count = |p: fn(&Change) -> bool| changes.iter().filter(|c| p(c)).count();
        Diff {
            old: side(old),
            new: side(new),
            comparable_scores,
            entered: count(Change::entered),
            left: count(Change::left),
            moved: count(|c| c.rank_change.is_some_and(|d| d != 0)),
            rescored: count(Change::rescored),
            unchanged: count(Change::unchanged),
            changes,
            tripped: Vec::new(),
        }
    }

    /// Evaluates the gates, records those that trip, and says whether any did.
    pub fn gate(&mut self, gates: &[Gate]) -> bool {
        self.tripped = gates
            .iter()
            .filter_map(|g| {
                let reasons = g.reasons(self);
                (!reasons.is_empty()).then(|| Tripped {
                    condition: g.to_string(),
                    reasons,
                })
            })
            .collect();
        !self.tripped.is_empty()
    }

    /// The changes worth a row: everything but the unchanged.
    fn notable(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| !c.unchanged())
    }

    fn headline(&self) -> String {
        format!(
            "{} entered, {} left, {} moved, {} same rank with a new score, {} unchanged",
            self.entered, self.left, self.moved, self.rescored, self.unchanged
        )
    }

    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.comparable_scores {
            notes.push(format!(
                "the reports use different models ({} and {}), so only ranks are compared",
                terminal_escaped(&self.old.model),
                terminal_escaped(&self.new.model)
            ));
        }
        if self.old.product != self.new.product {
            notes.push(format!(
                "the reports are for different products ({:?} and {:?})",
                self.old.product, self.new.product
            ));
        }
        notes
    }

    /// A plain-text table for the terminal.
    pub fn render_text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "{} → {} · {}",
            terminal(&self.old.as_of),
            terminal(&self.new.as_of),
            self.headline()
        )?;
        for n in self.notes() {
            writeln!(out, "note: {}", terminal(&n))?;
        }
        let rows: Vec<[String; 4]> = self
            .notable()
            .map(|c| {
                [
                    c.new_rank.map_or("-".into(), |r| r.to_string()),
                    movement(c),
                    format!("{} · {}", terminal(&c.id), terminal(&c.title)),
                    score_text(c),
                ]
            })
            .collect();
        if !rows.is_empty() {
            let header = ["rank", "move", "feature", "score"].map(String::from);
            let widths: Vec<usize> = (0..4)
                .map(|i| {
                    rows.iter()
                        .chain([&header])
                        .map(|r| r[i].chars().count())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            writeln!(out)?;
            for row in [&header].into_iter().chain(&rows) {
                writeln!(
                    out,
                    "{:>w0$}  {:<w1$}  {:<w2$}  {}",
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    w0 = widths[0],
                    w1 = widths[1],
                    w2 = widths[2],
                )?;
            }
        }
        for t in &self.tripped {
            writeln!(out, "\n--fail-on {} holds:", t.condition)?;
            for r in &t.reasons {
                writeln!(out, "  {}", terminal(r))?;
            }
        }
        Ok(())
    }

    /// Markdown for a pull-request comment or a CI job summary.
    pub fn render_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        let product = if self.new.product.is_empty() {
            String::new()
        } else {
            format!("{} ", md(&self.new.product))
        };
        writeln!(
            out,
            "### {product}roadmap changes: {} → {}\n",
            md(&self.old.as_of),
            md(&self.new.as_of)
        )?;
        writeln!(out, "**{}**.\n", self.headline())?;
        for n in self.notes() {
            writeln!(out, "> Note: {}.\n", md(&n))?;
        }
        for t in &self.tripped {
            // The condition is painmap's own rendering of a parsed gate
            // (letters, digits, `>`, `=`, `%`), so it can sit in a code span,
            // where an escape would show literally.
            writeln!(out, "> **`--fail-on {}` holds:**", t.condition)?;
            for r in &t.reasons {
                writeln!(out, "> - {}", md(r))?;
            }
            writeln!(out)?;
        }
        if self.notable().next().is_none() {
            writeln!(out, "No feature moved.")?;
            return Ok(());
        }
        writeln!(out, "| rank | move | feature | score |")?;
        writeln!(out, "|--:|---|---|--:|")?;
        for c in self.notable() {
            writeln!(
                out,
                "| {} | {} | {} ({}) | {} |",
                c.new_rank.map_or("–".into(), |r| r.to_string()),
                // Movement and score are painmap's own words and digits; the
                // id and title come from the report files, which anyone can edit.
                movement(c),
                md(&c.title),
                markdown_code(&c.id),
                score_text(c)
            )?;
        }
        Ok(())
    }

    pub fn render_json(&self, out: &mut dyn Write) -> io::Result<()> {
        super::json::to_writer_pretty(&mut *out, self)?;
        writeln!(out)
    }
}

fn movement(c: &Change) -> String {
    match (c.old_rank, c.rank_change) {
        (None, _) => "new".into(),
        (Some(old), None) => format!("left (was #{old})"),
        (Some(_), Some(0)) => "=".into(),
        (Some(old), Some(d)) if d > 0 => format!("↑{d} (was #{old})"),
        (Some(old), Some(d)) => format!("↓{} (was #{old})", -d),
    }
}

fn score_text(c: &Change) -> String {
    match (c.old_score, c.new_score, c.score_change) {
        (_, Some(new), Some(d)) => match c.score_change_pct {
            Some(p) => format!("{new:.2} ({d:+.2}, {p:+.1}%)"),
            None => format!("{new:.2} ({d:+.2})"),
        },
        (_, Some(new), None) => format!("{new:.2}"),
        (Some(old), None, _) => format!("was {old:.2}"),
        (None, None, _) => String::new(),
    }
}

/// A `--fail-on` condition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gate {
    /// A feature in both reports moved more than this many places.
    RankChange(usize),
    /// A feature is in the new top N that was not in the old top N.
    NewTop(usize),
    /// A feature's score changed by more than this many percent.
    ScoreChange(f64),
    /// A feature entered the roadmap.
    Entered,
    /// A feature left the roadmap.
    Left,
}

const GATE_NAMES: [&str; 5] = ["rank-change", "new-top", "score-change", "entered", "left"];

impl fmt::Display for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Gate::RankChange(n) => write!(f, "rank-change>{n}"),
            Gate::NewTop(n) => write!(f, "new-top={n}"),
            Gate::ScoreChange(p) => write!(f, "score-change>{p}%"),
            Gate::Entered => f.write_str("entered"),
            Gate::Left => f.write_str("left"),
        }
    }
}

impl FromStr for Gate {
    type Err = String;

    fn from_str(s: &str) -> Result<Gate, String> {
        let s = s.trim();
        let at = s.find(['>', '=']).unwrap_or(s.len());
        let (name, rest) = s.split_at(at);
        let (op, value) = match rest.chars().next() {
            Some(c) => (Some(c), rest[1..].trim()),
            None => (None, ""),
        };
        let name = name.trim();
        let count = |what: &str| -> Result<usize, String> {
            value.parse::<usize>().map_err(|_| {
                format!(
                    "`{name}` needs a whole number of {what}, e.g. {}",
                    example(name)
                )
            })
        };
        let expect = |want: Option<char>| -> Result<(), String> {
            if op == want {
                Ok(())
            } else {
                Err(format!("write it as {}", example(name)))
            }
        };
        match name {
            "rank-change" => {
                expect(Some('>'))?;
                Ok(Gate::RankChange(count("places")?))
            }
            "new-top" => {
                expect(Some('='))?;
                let n = count("ranks")?;
                if n == 0 {
                    return Err("new-top needs a top of at least 1, e.g. new-top=5".into());
                }
                Ok(Gate::NewTop(n))
            }
            "score-change" => {
                expect(Some('>'))?;
                let p = value
                    .trim_end_matches('%')
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|p| p.is_finite() && *p >= 0.0)
                    .ok_or_else(|| {
                        format!("`score-change` needs a percentage, e.g. {}", example(name))
                    })?;
                Ok(Gate::ScoreChange(p))
            }
            "entered" => expect(None).map(|_| Gate::Entered),
            "left" => expect(None).map(|_| Gate::Left),
            _ => {
                let mut msg = format!(
                    "unknown condition `{name}`; the conditions are rank-change>N, new-top=N, score-change>P%, entered and left"
                );
                if let Some(s) = did_you_mean(name, GATE_NAMES) {
                    msg.push_str(&format!(" (did you mean `{s}`?)"));
                }
                Err(msg)
            }
        }
    }
}

fn example(name: &str) -> &'static str {
    match name {
        "rank-change" => "rank-change>3",
        "new-top" => "new-top=5",
        "score-change" => "score-change>20%",
        "entered" => "entered",
        _ => "left",
    }
}

impl Gate {
    /// Why the gate trips: one line per feature, empty when it holds not.
    fn reasons(&self, d: &Diff) -> Vec<String> {
        let name = |c: &Change| format!("{} ({})", c.id, c.title);
        d.changes
            .iter()
            .filter_map(|c| match *self {
                Gate::RankChange(n) => {
                    c.rank_change
                        .filter(|m| m.unsigned_abs() as usize > n)
                        .map(|m| {
                            format!(
                                "{} moved {} {} (#{} → #{})",
                                name(c),
                                if m > 0 { "up" } else { "down" },
                                count(m.unsigned_abs(), "place"),
                                c.old_rank.unwrap_or(0),
                                c.new_rank.unwrap_or(0)
                            )
                        })
                }
                Gate::NewTop(n) => {
                    let now = c.new_rank.is_some_and(|r| r <= n);
                    let before = c.old_rank.is_some_and(|r| r <= n);
                    (now && !before).then(|| match c.old_rank {
                        Some(old) => format!(
                            "{} is new in the top {n} (#{old} → #{})",
                            name(c),
                            c.new_rank.unwrap_or(0)
                        ),
                        None => format!("{} entered at #{}", name(c), c.new_rank.unwrap_or(0)),
                    })
                }
                // A score that was 0 has no percentage change, but any
                // change from 0 is larger than every percentage.
                Gate::ScoreChange(p) => match (c.score_change_pct, c.score_change, c.new_score) {
                    (Some(x), _, _) => {
                        (x.abs() > p).then(|| format!("{}: score {x:+.1}%", name(c)))
                    }
                    (None, Some(d), Some(new)) if d != 0.0 && c.old_score == Some(0.0) => {
                        Some(format!(
                            "{}: score {} from 0 to {new:.2}",
                            name(c),
                            if d > 0.0 { "rose" } else { "fell" }
                        ))
                    }
                    _ => None,
                },
                Gate::Entered => c
                    .entered()
                    .then(|| format!("{} entered at #{}", name(c), c.new_rank.unwrap_or(0))),
                Gate::Left => c
                    .left()
                    .then(|| format!("{} left (was #{})", name(c), c.old_rank.unwrap_or(0))),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feature(id: &str, rank: usize, score: f64) -> FeatureReport {
        let json = serde_json::json!({
            "rank": rank, "id": id, "title": format!("Title of {id}"), "status": "idea",
            "score": score, "customers": 1, "mentions": 1, "pain": 0.5, "value": 1.0,
            "effort": 1.0, "confidence": 0.5, "top_stage": null, "top_persona": null,
            "stages": {}, "personas": {}, "kinds": {}, "breakdown": {}, "evidence": []
        });
        serde_json::from_value(json).unwrap()
    }

    fn report(as_of: &str, features: &[(&str, f64)]) -> Report {
        let json = serde_json::json!({
            "schema_version": 1, "product": "Acme", "as_of": as_of, "model": "pain-value",
            "formula": "f", "sources": [],
            "totals": {"items": 10, "linked": 8, "unlinked": 2, "rejected": 0,
                       "outside_window": 0, "future": 0},
            "features": [],
            "matrix": {"stages": [], "personas": [], "cells": []},
            "unlinked": {"count": 2, "share": 0.2, "examples": []}
        });
        let mut r: Report = serde_json::from_value(json).unwrap();
        r.features = features
            .iter()
            .enumerate()
            .map(|(i, (id, s))| feature(id, i + 1, *s))
            .collect();
        r
    }

    fn sample() -> Diff {
        let old = report(
            "2026-10-01",
            &[
                ("a", 10.0),
                ("b", 8.0),
                ("c", 6.0),
                ("d", 4.0),
                ("e", 2.0),
                ("f", 1.0),
            ],
        );
        let new = report(
            "2026-11-01",
            &[
                ("e", 12.0),
                ("a", 10.0),
                ("new", 7.0),
                ("b", 6.0),
                ("c", 3.0),
                ("f", 1.0),
            ],
        );
        Diff::new(&old, &new)
    }

    #[test]
    fn finds_entered_left_moved_and_score_changes() {
        let d = sample();
        assert_eq!((d.entered, d.left, d.moved, d.unchanged), (1, 1, 4, 1));
        let e = d.changes.iter().find(|c| c.id == "e").unwrap();
        assert_eq!(e.rank_change, Some(4));
        assert_eq!(e.score_change, Some(10.0));
        assert_eq!(e.score_change_pct, Some(500.0));
        let c = d.changes.iter().find(|c| c.id == "c").unwrap();
        assert_eq!(c.rank_change, Some(-2));
        assert_eq!(c.score_change_pct, Some(-50.0));
        assert!(d.changes.iter().find(|c| c.id == "new").unwrap().entered());
        let last = d.changes.last().unwrap();
        assert_eq!((last.id.as_str(), last.left()), ("d", true));
    }

    proptest::proptest! {
        /// Old and new scores for up to 8 features; `None` leaves the
        /// feature out of that report. Equal scores are common on purpose.
        #[test]
        fn the_counts_cover_every_feature_once(
            scores in proptest::collection::vec(
                (proptest::option::of(0u8..4), proptest::option::of(0u8..4)),
                0..8,
            ),
        ) {
            let ids: Vec<String> = (0..scores.len()).map(|i| format!("f{i}")).collect();
            let side = |new: bool| -> Vec<(&str, f64)> {
                let mut v: Vec<(&str, f64)> = ids
                    .iter()
                    .zip(&scores)
                    .filter_map(|(id, s)| {
                        let score = if new { s.1 } else { s.0 };
                        score.map(|x| (id.as_str(), f64::from(x)))
                    })
                    .collect();
                v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                v
            };
            let d = Diff::new(&report("2026-10-01", &side(false)), &report("2026-11-01", &side(true)));
            let features = scores.iter().filter(|s| s.0.is_some() || s.1.is_some()).count();
            proptest::prop_assert_eq!(d.changes.len(), features);
            proptest::prop_assert_eq!(d.entered + d.left + d.moved + d.rescored + d.unchanged, features);
        }
    }

    #[test]
    fn a_feature_that_keeps_its_rank_with_a_new_score_is_counted() {
        let old = report("2026-10-01", &[("a", 10.0), ("b", 8.0)]);
        let new = report("2026-11-01", &[("a", 12.0), ("b", 8.0)]);
        let d = Diff::new(&old, &new);
        assert_eq!(
            (d.entered, d.left, d.moved, d.rescored, d.unchanged),
            (0, 0, 0, 1, 1)
        );
        assert!(d
            .headline()
            .contains("1 same rank with a new score, 1 unchanged"));
    }

    #[test]
    fn gates_trip_only_when_their_condition_holds() {
        let mut d = sample();
        assert!(d.gate(&["rank-change>3".parse().unwrap()]));
        assert_eq!(d.tripped[0].reasons.len(), 1);
        assert!(d.tripped[0].reasons[0].contains("e (Title of e) moved up 4 places (#5 → #1)"));
        assert!(!d.gate(&["rank-change>4".parse().unwrap()]));
        assert!(d.gate(&["new-top=3".parse().unwrap()]));
        assert_eq!(d.tripped[0].reasons.len(), 2, "{:?}", d.tripped);
        assert!(d.gate(&["new-top=6".parse().unwrap()]));
        assert_eq!(d.tripped[0].reasons, ["new (Title of new) entered at #3"]);
        assert!(d.gate(&["score-change>50%".parse().unwrap()]));
        assert!(!d.gate(&["score-change>500".parse().unwrap()]));
        assert!(d.gate(&[Gate::Entered, Gate::Left]));
        assert_eq!(d.tripped.len(), 2);
        let same = report("2026-10-01", &[("a", 1.0), ("b", 0.5)]);
        let mut d = Diff::new(&same, &same);
        assert_eq!(d.unchanged, 2);
        assert!(!d.gate(&[
            Gate::RankChange(0),
            Gate::NewTop(1),
            Gate::ScoreChange(0.0),
            Gate::Entered,
            Gate::Left
        ]));
    }

    #[test]
    fn a_score_change_from_zero_exceeds_any_percentage() {
        let old = report("2026-01-15", &[("a", 4.0), ("b", 0.0), ("c", 0.0)]);
        let new = report("2026-11-20", &[("a", 4.0), ("b", 2.5), ("c", 0.0)]);
        let mut d = Diff::new(&old, &new);
        assert!(d.gate(&[Gate::ScoreChange(50.0)]));
        assert_eq!(
            d.tripped[0].reasons,
            ["b (Title of b): score rose from 0 to 2.50"]
        );
        assert!(d.gate(&[Gate::ScoreChange(1e9)]));
        // 0 → 0 is no change.
        let same = report("2026-01-15", &[("a", 4.0), ("c", 0.0)]);
        let mut d = Diff::new(&same, &same);
        assert!(!d.gate(&[Gate::ScoreChange(0.0)]));
    }

    #[test]
    fn parses_conditions_and_explains_mistakes() {
        assert_eq!("rank-change>3".parse(), Ok(Gate::RankChange(3)));
        assert_eq!(" new-top = 5 ".parse(), Ok(Gate::NewTop(5)));
        assert_eq!("score-change>12.5%".parse(), Ok(Gate::ScoreChange(12.5)));
        assert_eq!("left".parse(), Ok(Gate::Left));
        let e = "rank-chnage>3".parse::<Gate>().unwrap_err();
        assert!(e.contains("did you mean `rank-change`"), "{e}");
        let e = "new-top>5".parse::<Gate>().unwrap_err();
        assert!(e.contains("new-top=5"), "{e}");
        let e = "rank-change>many".parse::<Gate>().unwrap_err();
        assert!(e.contains("whole number"), "{e}");
        assert!("new-top=0".parse::<Gate>().is_err());
        assert!("entered=1".parse::<Gate>().is_err());
        for g in [
            "rank-change>3",
            "new-top=5",
            "score-change>20%",
            "entered",
            "left",
        ] {
            assert_eq!(g.parse::<Gate>().unwrap().to_string(), g);
        }
    }

    #[test]
    fn markdown_is_a_table_with_the_tripped_gates() {
        let mut d = sample();
        d.gate(&[Gate::NewTop(1)]);
        let mut out = Vec::new();
        d.render_markdown(&mut out).unwrap();
        let md = String::from_utf8(out).unwrap();
        assert!(
            md.starts_with("### Acme roadmap changes: 2026-10-01 → 2026-11-01"),
            "{md}"
        );
        assert!(md
            .contains("**1 entered, 1 left, 4 moved, 0 same rank with a new score, 1 unchanged**"));
        assert!(md.contains("> **`--fail-on new-top=1` holds:**"));
        assert!(
            md.contains("| 1 | ↑4 (was #5) | Title of e (`e`) | 12.00 (+10.00, +500.0%) |"),
            "{md}"
        );
        assert!(md.contains("| 3 | new | Title of new (`new`) | 7.00 |"));
        assert!(md.contains("| – | left (was #4) | Title of d (`d`) | was 4.00 |"));
        assert!(!md.contains("(`f`)"), "unchanged rows are left out");
    }

    #[test]
    fn text_from_the_report_files_is_sanitized_in_every_format() {
        let old = report("2026-10-01", &[("a", 10.0), ("b", 8.0), ("c", 1.0)]);
        let mut new = old.clone();
        new.features[0].id =
            "x` | <img src=x onerror=alert(1)> | [a](javascript:alert(1)) `".into();
        new.features[1].id = "\u{1b}]8;;http://evil\u{7}click\u{1b}]8;;\u{7}".into();
        new.features[2].title = "<b>bold</b> | \u{1b}[2J".into();
        new.features[2].rank = usize::MAX;
        new.product = "Acme\u{1b}]0;owned\u{7}".into();
        new.model = "rice\u{9b}2J".into();
        let mut d = Diff::new(&old, &new);
        d.gate(&[Gate::Entered, Gate::RankChange(0)]);
        let render = |f: fn(&Diff, &mut dyn Write) -> io::Result<()>| {
            let mut out = Vec::new();
            f(&d, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        for out in [render(Diff::render_text), render(Diff::render_markdown)] {
            assert!(!out.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{out}");
        }
        // JSON keeps the text as it was, as `rank --format json` does, with
        // control characters written as JSON escapes.
        let json = render(Diff::render_json);
        assert!(!json.contains(['\u{1b}', '\u{7}']), "{json}");
        assert!(
            json.contains("\\u001b]8;;http://evil\\u0007click"),
            "{json}"
        );
        let md = render(Diff::render_markdown);
        assert!(!md.contains("<img") && !md.contains("<b>"), "{md}");
        assert!(!md.contains("](javascript"), "{md}");
        assert!(
            md.contains("| 1 | new | Title of a (x\\` \\| &lt;img src=x onerror=alert\\(1\\)&gt; \\| \\[a\\]\\(javascript:alert\\(1\\)\\) \\`) | 10.00 |"),
            "{md}"
        );
        assert!(
            md.contains("| 2 | new | Title of b (click) | 8.00 |"),
            "{md}"
        );
        assert!(md.contains("&lt;b&gt;bold&lt;/b&gt; \\|"), "{md}");
        // Ids a code span shows as they are stay in one.
        assert!(md.contains("(`a`) | was 10.00 |"), "{md}");
    }

    #[test]
    fn different_models_compare_ranks_only() {
        let old = report("2026-10-01", &[("a", 10.0), ("b", 8.0)]);
        let mut new = report("2026-11-01", &[("b", 80.0), ("a", 10.0)]);
        new.model = "rice".into();
        let mut d = Diff::new(&old, &new);
        assert!(!d.comparable_scores);
        assert!(d.changes.iter().all(|c| c.score_change.is_none()));
        assert!(!d.gate(&[Gate::ScoreChange(1.0)]));
        assert!(d.gate(&[Gate::RankChange(0)]));
        let mut out = Vec::new();
        d.render_text(&mut out).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .contains("only ranks are compared"));
    }
}
