//! `painmap explain FEATURE`: why a feature scores what it does, down to
//! the customers and quotes, and what would change its rank.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use crate::cli::{ExplainArgs, ExplainFormat, GlobalArgs};
use crate::config::{self, Settings, UsageError};
use crate::item::Kind;
use crate::output::{write_to, Plan};
use crate::plural::count;
use crate::report::sanitize::terminal;
use crate::report::table::{compact, trend_cell};
use crate::report::{round, Evidence};
use crate::roadmap::{DriverWeights, Feature, Model};
use crate::score::models::{ranking_order, FeatureScore};
use crate::suggest::did_you_mean;

use super::analysis::Analysis;

/// How many customers the explanation lists.
const TOP_CUSTOMERS: usize = 10;

#[derive(Debug, Serialize)]
pub struct Explanation {
    pub as_of: String,
    pub model: String,
    pub formula: String,
    pub rank: usize,
    pub of: usize,
    pub id: String,
    pub title: String,
    pub status: String,
    pub score: f64,
    /// The model's terms with their values.
    pub terms: BTreeMap<String, f64>,
    pub customers: usize,
    pub mentions: u64,
    pub pain: f64,
    pub value: f64,
    pub trend: Option<f64>,
    pub stages: Vec<Count>,
    pub personas: Vec<Count>,
    pub kinds: Vec<Count>,
    pub sources: Vec<Count>,
    pub top_customers: Vec<CustomerShare>,
    pub quotes: Vec<Evidence>,
    /// The feature ranked just above, and what would close the gap.
    pub next_up: Option<NextUp>,
}

#[derive(Debug, Serialize)]
pub struct Count {
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Serialize)]
pub struct CustomerShare {
    pub customer: String,
    pub recency: f64,
    pub pain: f64,
    pub value_weight: f64,
    pub source_weight: f64,
    pub persona_weight: f64,
    /// n: 1 + the votes on the customer's item.
    pub voters: f64,
    /// recency × pain × value × source × persona × voters.
    pub weighted_pain: f64,
    /// Of the feature's total weighted pain.
    pub share: f64,
}

#[derive(Debug, Serialize)]
pub struct NextUp {
    pub rank: usize,
    pub id: String,
    pub title: String,
    pub score: f64,
    pub gap: f64,
    /// Ways to pass it, one driver each; empty when no single driver can.
    pub levers: Vec<String>,
}

impl Explanation {
    /// Quotes and customers with personal data replaced (`--redact`).
    pub fn redacted(mut self) -> Explanation {
        use crate::report::sanitize::redact;
        for q in &mut self.quotes {
            q.quote = redact(&q.quote);
            q.customer = q.customer.as_deref().map(redact);
        }
        for c in &mut self.top_customers {
            c.customer = redact(&c.customer);
        }
        self
    }
}

pub fn run(global: &GlobalArgs, settings: &Settings, args: &ExplainArgs) -> anyhow::Result<u8> {
    let plan = Plan::new().writes("the explanation", "-o", args.output.as_deref());
    let analysis = Analysis::run(&global.roadmap, settings, &args.input, plan)?;
    let index = resolve(&args.feature, &analysis.roadmap.features)?;
    let model = config::model(&analysis.roadmap, args.model);
    let mut e = explain(&analysis, model, index);
    if args.redact {
        e = e.redacted();
    }
    write_to(args.output.as_deref(), |out| match args.format {
        ExplainFormat::Json => {
            crate::report::json::to_writer_pretty(&mut *out, &e)?;
            writeln!(out)?;
            Ok(())
        }
        ExplainFormat::Text => Ok(render_text(&e, out)?),
    })?;
    Ok(0)
}

/// Finds a feature by id, or by a unique prefix of its id or title.
pub fn resolve(query: &str, features: &[Feature]) -> Result<usize, UsageError> {
    if let Some(i) = features.iter().position(|f| f.id == query) {
        return Ok(i);
    }
    let q = query.trim().to_lowercase();
    // A whole id in other capitals ("API" for `api`) is that feature, not
    // a prefix of `api-v2` too.
    let same: Vec<usize> = (0..features.len())
        .filter(|&i| features[i].id.to_lowercase() == q)
        .collect();
    if let [i] = same[..] {
        return Ok(i);
    }
    for key in [
        |f: &Feature| f.id.to_lowercase(),
        |f: &Feature| f.title.to_lowercase(),
    ] {
        let hits: Vec<usize> = (0..features.len())
            .filter(|&i| !q.is_empty() && key(&features[i]).starts_with(&q))
            .collect();
        match hits.len() {
            1 => return Ok(hits[0]),
            0 => continue,
            _ => {
                let names: Vec<&str> = hits.iter().map(|&i| features[i].id.as_str()).collect();
                return Err(UsageError(format!(
                    "`{}` matches several features: {}; give more of the id",
                    terminal(query),
                    names.join(", ")
                )));
            }
        }
    }
    // The query is echoed to a terminal, like any text painmap did not
    // write. One that holds control characters is shown escaped: stripped,
    // it could read as the id of a feature that exists.
    let shown = if terminal(query) == query {
        query.to_string()
    } else {
        query.escape_debug().to_string()
    };
    let mut msg = format!("no feature `{shown}` in the roadmap");
    if let Some(s) = did_you_mean(&q, features.iter().map(|f| f.id.as_str())) {
        msg.push_str(&format!("; did you mean `{s}`?"));
    } else if features.len() <= 30 {
        let ids: Vec<&str> = features.iter().map(|f| f.id.as_str()).collect();
        msg.push_str(&format!("; the features are: {}", ids.join(", ")));
    } else {
        msg.push_str("; run `painmap rank` to see the feature ids");
    }
    Err(UsageError(msg))
}

pub fn explain(analysis: &Analysis, model: Model, index: usize) -> Explanation {
    let ranked = analysis.ranked(model);
    let pos = ranked
        .iter()
        .position(|s| s.index == index)
        .expect("every feature is ranked");
    let s = &ranked[pos];
    let report = analysis.report(model, std::slice::from_ref(s));
    let fr = &report.features[0];
    let feature = &analysis.roadmap.features[index];
    let fa = &analysis.acc.features[index];

    let counts = |names: Vec<String>, values: &[u64]| -> Vec<Count> {
        let mut v: Vec<Count> = names
            .into_iter()
            .zip(values)
            .filter(|(_, n)| **n > 0)
            .map(|(name, &count)| Count { name, count })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        v
    };
    let with_unknown = |ids: Vec<String>| {
        ids.into_iter()
            .chain([crate::roadmap::UNKNOWN_ID.to_string()])
            .collect::<Vec<_>>()
    };
    let stages = with_unknown(
        analysis
            .roadmap
            .stages
            .iter()
            .map(|x| x.id.clone())
            .collect(),
    );
    let personas = with_unknown(
        analysis
            .roadmap
            .personas
            .iter()
            .map(|x| x.id.clone())
            .collect(),
    );
    let kinds: Vec<String> = Kind::ALL.iter().map(|k| k.name().to_string()).collect();
    let sources: Vec<String> = analysis.sources.iter().map(|(n, _, _)| n.clone()).collect();

    let total: f64 = s.contributions.iter().map(|c| c.weighted_pain()).sum();
    let mut top: Vec<CustomerShare> = s
        .contributions
        .iter()
        .map(|c| CustomerShare {
            customer: c.customer.clone(),
            recency: round(c.recency, 3),
            pain: round(c.pain, 3),
            value_weight: round(c.value_weight, 3),
            source_weight: round(c.source_weight, 3),
            persona_weight: round(c.persona_weight, 3),
            voters: c.voters,
            weighted_pain: c.weighted_pain(),
            share: if total > 0.0 {
                c.weighted_pain() / total
            } else {
                0.0
            },
        })
        .collect();
    top.sort_by(|a, b| {
        b.weighted_pain
            .total_cmp(&a.weighted_pain)
            .then_with(|| a.customer.cmp(&b.customer))
    });
    top.truncate(TOP_CUSTOMERS);
    for c in &mut top {
        c.weighted_pain = round(c.weighted_pain, 4);
        c.share = round(c.share, 4);
    }

    let next_up = pos.checked_sub(1).map(|above| {
        let a = &ranked[above];
        let af = &analysis.roadmap.features[a.index];
        NextUp {
            rank: above + 1,
            id: af.id.clone(),
            title: af.title.clone(),
            score: round(a.score, 4),
            gap: round(a.score - s.score, 4),
            levers: levers(
                model,
                s,
                &feature.id,
                (a.score, &af.id),
                &analysis.roadmap.scoring.weights,
            ),
        }
    });

    Explanation {
        as_of: analysis.as_of.clone(),
        model: model.name().to_string(),
        formula: report.formula.clone(),
        rank: pos + 1,
        of: ranked.len(),
        id: feature.id.clone(),
        title: feature.title.clone(),
        status: feature.status.name().to_string(),
        score: fr.score,
        terms: fr.breakdown.clone(),
        customers: fr.customers,
        mentions: fr.mentions,
        pain: fr.pain,
        value: fr.value,
        trend: fr.trend,
        stages: counts(stages, &fa.stages),
        personas: counts(personas, &fa.personas),
        kinds: counts(kinds, &fa.kinds),
        sources: counts(sources, &fa.sources),
        top_customers: top,
        quotes: fr.evidence.clone(),
        next_up,
    }
}

/// How far a driver has to go for the feature to pass the one above it.
/// The ranking breaks equal scores by id, so drawing level is enough only
/// when this feature's id sorts first; otherwise it has to go beyond.
/// Values are rounded towards the safe side, so that following the advice
/// as printed passes the feature ahead.
struct Bar {
    level_is_enough: bool,
}

impl Bar {
    /// "" or "more than ", before a value a driver has to rise to.
    fn beyond(&self) -> &'static str {
        if self.level_is_enough {
            ""
        } else {
            "more than "
        }
    }

    /// A value a driver has to rise to, rounded up to 2 places, or to
    /// 3 significant digits below 0.1. Drawing level loses a tie, so "more
    /// than" goes before a value that is the break-even itself; a value
    /// rounded past it passes as it stands.
    fn up(&self, x: f64) -> String {
        let places = places_for(x);
        // `+ 0.0`: ceil(-1e-9) of a 0 is -0.
        let v = round_up(x, places) + 0.0;
        let beyond = if v == x { self.beyond() } else { "" };
        format!("{beyond}{v:.prec$}", prec = places as usize)
    }

    /// "before → after", the rise [`Bar::up`] gives, with `before` to as
    /// many places as the value it rises to: with two places, a weighted
    /// pain of 0.0705 that has to pass 0.0917 read "0.07 → 0.10", +42%
    /// beside the +31% asked for.
    fn rising(&self, before: f64, after: f64) -> String {
        let places = places_for(after) as usize;
        format!("{before:.places$} → {}", self.up(after))
    }

    /// A relative rise, rounded up to a whole percent: "more than +0%"
    /// for a tie the feature would lose, which any rise passes.
    fn rise(&self, factor: f64) -> String {
        if rise_pct(factor) == 0.0 {
            format!("{}{}", self.beyond(), rise(factor))
        } else {
            rise(factor)
        }
    }

    /// A value a driver has to fall to (effort), rounded down to 1 place,
    /// or to more places when that would round it to 0.
    fn down(&self, x: f64) -> String {
        let (places, v) = (1..=4)
            .map(|p| (p, round_down(x, p)))
            .find(|(_, v)| *v > 0.0)
            .unwrap_or((4, x));
        // As in `up`: "less than" only before the break-even itself.
        let below = if self.level_is_enough || v != x {
            ""
        } else {
            "less than "
        };
        format!("{below}{v:.prec$}", prec = places as usize)
    }

    /// Whether a driver can reach `x` within its scale's `cap`.
    fn within(&self, x: f64, cap: f64) -> bool {
        if self.level_is_enough {
            x <= cap
        } else {
            x < cap
        }
    }
}

/// The decimals that show `x` to 3 significant digits, and at least 2.
fn places_for(x: f64) -> i32 {
    if x > 0.0 && x < 0.1 {
        (2 - x.log10().floor() as i32).min(8)
    } else {
        2
    }
}

/// The rise that multiplies by `factor`, rounded up to a whole percent.
fn rise(factor: f64) -> String {
    format!("{:+.0}%", rise_pct(factor))
}

/// The rise that multiplies by `factor`, in percent, rounded up to a whole
/// one.
fn rise_pct(factor: f64) -> f64 {
    // `+ 0.0` turns the -0 of a tie (factor 1, rounded up from -1e-9) into 0.
    round_up((factor - 1.0) * 100.0, 0) + 0.0
}

/// x rounded up to `places` decimals; a float a hair above a round value
/// (2.6200000000000001) stays at it.
fn round_up(x: f64, places: i32) -> f64 {
    let m = 10f64.powi(places);
    (x * m - 1e-9).ceil() / m
}

fn round_down(x: f64, places: i32) -> f64 {
    let m = 10f64.powi(places);
    (x * m + 1e-9).floor() / m
}

/// For each driver of the model, the change that alone would lift the
/// feature (`id`, scored `s`) past the one above, given as its score and
/// id. Empty when no single driver can go far enough.
fn levers(
    model: Model,
    s: &FeatureScore,
    id: &str,
    above: (f64, &str),
    weights: &DriverWeights,
) -> Vec<String> {
    let b = &s.breakdown;
    let term = |k: &str| b.get(k).copied().unwrap_or(0.0);
    let effort = term("effort").max(term("job_size"));
    let mut out = Vec::new();
    if s.score <= 0.0 {
        out.push("it has no scored evidence yet: any painful mention from a customer would give it a score".into());
        return out;
    }
    let target = above.0;
    let passes = |score: f64| ranking_order((score, id), above).is_lt();
    let bar = Bar {
        level_is_enough: passes(target),
    };
    // The fewest customers, each adding `step` to the score, that pass.
    let fewest = |step: f64| -> u64 {
        let mut n = ((target - s.score) / step).ceil().max(1.0);
        if n > 1.0 && passes(s.score + (n - 1.0) * step) {
            n -= 1.0;
        }
        if !passes(s.score + n * step) {
            n += 1.0;
        }
        n as u64
    };
    let factor = target / s.score;
    match model {
        Model::PainValue => {
            let w = term("weighted_pain");
            let mean = w / s.customers.max(1) as f64;
            out.push(format!(
                "{} weighted pain ({}), about {} like its average",
                bar.rise(factor),
                bar.rising(w, target * effort),
                count(fewest(mean / effort), "more customer")
            ));
        }
        Model::Rice => {
            out.push(format!(
                "{} reach ({})",
                bar.rise(factor),
                bar.rising(term("reach"), term("reach") * factor)
            ));
            if bar.within(term("impact") * factor, 3.0) {
                out.push(format!(
                    "impact {} (more painful mentions)",
                    bar.rising(term("impact"), term("impact") * factor)
                ));
            }
            if bar.within(term("confidence") * factor, 1.0) {
                out.push(format!(
                    "confidence {}",
                    bar.rising(term("confidence"), term("confidence") * factor)
                ));
            }
        }
        Model::Ice => {
            for k in ["impact", "confidence", "ease"] {
                if bar.within(term(k) * factor, 10.0) {
                    out.push(format!("{k} {}", bar.rising(term(k), term(k) * factor)));
                }
            }
        }
        Model::Wsjf => {
            // Three parts of 1 to 10 each.
            if bar.within(term("cost_of_delay") * factor, 30.0) {
                out.push(format!(
                    "cost of delay {}",
                    bar.rising(term("cost_of_delay"), term("cost_of_delay") * factor)
                ));
            }
        }
        Model::Opportunity => {
            out.push(format!(
                "{}{:+.2} opportunity points: more customers asking (importance {:.2}) or less satisfied ones (satisfaction {:.2})",
                bar.beyond(),
                round_up(target - s.score, 2) + 0.0,
                term("importance"),
                term("satisfaction")
            ));
        }
        Model::Impact => {
            out.push(format!(
                "about {} for whom it is critical, or {} for whom it is nice to have",
                count(fewest(3.0), "more customer"),
                fewest(1.0)
            ));
        }
        Model::Weighted => {
            // Each driver is 0 to 100: say which one alone could close the
            // gap, and how far it would go ("+50% on the weighted drivers"
            // was advised to a feature whose drivers were at 100 already).
            let w = weights;
            let drivers = [
                ("reach", w.reach),
                ("pain", w.pain),
                ("value", w.value),
                ("trend", w.trend),
                ("strategic", w.strategic),
            ];
            let total: f64 = drivers.iter().map(|d| d.1).sum();
            let current: f64 = drivers.iter().map(|&(k, wk)| wk * term(k)).sum();
            let gap = target * effort * total - current;
            for (k, wk) in drivers.into_iter().filter(|d| d.1 > 0.0) {
                // A tie's gap can come out a hair below 0: no fall, no -0.
                let to = (term(k) + gap / wk).max(term(k)) + 0.0;
                if !bar.within(to, 100.0) {
                    continue;
                }
                out.push(if k == "strategic" {
                    // The one driver a PM sets: in the roadmap's 0-1.
                    format!(
                        "strategic fit {} (`strategic` in roadmap.toml)",
                        bar.rising(term(k) / 100.0, to / 100.0)
                    )
                } else {
                    format!("{k} driver {} of 100", bar.rising(term(k), to))
                });
            }
        }
    }
    if !matches!(model, Model::Opportunity | Model::Impact) && effort > 0.0 {
        let needed = if model == Model::Ice {
            // Ease is 10 ÷ effort, between 1 and 10.
            let ease = term("ease") * factor;
            bar.within(ease, 10.0).then(|| 10.0 / ease)
        } else {
            Some(effort / factor)
        };
        // Only an effort the roadmap accepts is a way to pass.
        if let Some(e) = needed.filter(|&e| e >= crate::roadmap::MIN_EFFORT) {
            out.push(format!(
                "{}effort {effort} → {} person-months",
                if out.is_empty() { "" } else { "or " },
                bar.down(e)
            ));
        }
    }
    out
}

fn render_text(e: &Explanation, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{} · {}", terminal(&e.id), terminal(&e.title))?;
    writeln!(
        out,
        "rank {} of {} under {} · score {:.2} · status {} · as of {}",
        e.rank, e.of, e.model, e.score, e.status, e.as_of
    )?;
    writeln!(out)?;
    writeln!(out, "Formula: {}", e.formula)?;
    for (k, v) in &e.terms {
        writeln!(out, "  {:<22} {:>10.4}", k.replace('_', " "), v)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Evidence: {}, {}, mean pain {:.2}, value at stake {}, trend {}",
        count(e.customers, "customer"),
        count(e.mentions, "mention"),
        e.pain,
        compact(e.value),
        trend_cell(e.trend)
    )?;
    for (label, list) in [
        ("stage", &e.stages),
        ("persona", &e.personas),
        ("kind", &e.kinds),
        ("source", &e.sources),
    ] {
        let parts: Vec<String> = list
            .iter()
            .map(|c| format!("{} {}", terminal(&c.name), c.count))
            .collect();
        writeln!(
            out,
            "  by {label:<8} {}",
            if parts.is_empty() {
                "-".into()
            } else {
                parts.join(" · ")
            }
        )?;
    }
    writeln!(out)?;
    if !e.top_customers.is_empty() {
        // The voters only when some item has votes: most exports have none,
        // and a column of "× 1" would be noise.
        let votes = e.top_customers.iter().any(|c| c.voters != 1.0);
        writeln!(
            out,
            "Top customers (recency × pain × value × source × persona{} = weighted pain, share)",
            if votes { " × voters" } else { "" }
        )?;
        for c in &e.top_customers {
            let voters = if votes {
                format!(" × {}", c.voters)
            } else {
                String::new()
            };
            writeln!(
                out,
                "  {:<40} {:.2} × {:.2} × {:.2} × {:.2} × {:.2}{voters} = {:.3}  {:>5.1}%",
                truncate_chars(&terminal(&c.customer), 40),
                c.recency,
                c.pain,
                c.value_weight,
                c.source_weight,
                c.persona_weight,
                c.weighted_pain,
                c.share * 100.0
            )?;
        }
        writeln!(out)?;
    }
    if !e.quotes.is_empty() {
        writeln!(
            out,
            "Quotes (most painful, then most recent; one per customer)"
        )?;
        for q in &e.quotes {
            writeln!(out, "  “{}”", terminal(&q.quote))?;
            writeln!(
                out,
                "     {} · {} · pain {:.2} · {}#{}",
                q.customer
                    .as_deref()
                    .map(terminal)
                    .unwrap_or_else(|| "anonymous".into()),
                q.created_at
                    .as_deref()
                    .map_or("undated", |d| d.get(..10).unwrap_or(d)),
                q.pain,
                terminal(&q.source),
                terminal(&q.id)
            )?;
        }
        writeln!(out)?;
    }
    render_next_up(e.next_up.as_ref(), out)
}

/// What would change the rank: the levers, or that it ranks first, or
/// that no single lever is enough.
fn render_next_up(next: Option<&NextUp>, out: &mut dyn Write) -> std::io::Result<()> {
    let Some(n) = next else {
        return writeln!(out, "It ranks first.");
    };
    let to_pass = format!(
        "To pass #{} {} (score {:.2}, a gap of {:.2})",
        n.rank,
        terminal(&n.id),
        n.score,
        n.gap
    );
    if n.levers.is_empty() {
        return writeln!(
            out,
            "{to_pass}, no single change is enough: it would take several of its drivers rising together."
        );
    }
    let one = if n.levers.len() == 1 { "" } else { " one of" };
    writeln!(out, "{to_pass}, it would need{one}:")?;
    for l in &n.levers {
        writeln!(out, "  - {l}")?;
    }
    Ok(())
}

fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn features() -> Vec<Feature> {
        let src = r#"
[[features]]
id = "sso"
title = "Single sign-on"
[[features]]
id = "scim"
title = "User provisioning"
[[features]]
id = "search"
title = "Search that finds things"
"#;
        crate::roadmap::Roadmap::parse(Path::new("r.toml"), src)
            .unwrap()
            .features
    }

    /// A score with the given model terms.
    fn scored(score: f64, customers: usize, terms: &[(&str, f64)]) -> FeatureScore {
        FeatureScore {
            index: 0,
            score,
            customers,
            mentions: customers as u64,
            pain: 0.5,
            value: 0.0,
            confidence: 0.5,
            trend: None,
            breakdown: terms.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            contributions: Vec::new(),
        }
    }

    #[test]
    fn small_values_show_enough_digits_to_agree_with_their_rise() {
        let bar = Bar {
            level_is_enough: true,
        };
        // 0.0705 has to pass 0.0917 (+31%): two places read 0.07 → 0.10.
        assert_eq!(bar.rising(0.0705, 0.0917), "0.0705 → 0.0917");
        assert_eq!(bar.rising(0.07051, 0.09171), "0.0705 → 0.0918");
        assert_eq!(bar.rising(2.7149, 3.2251), "2.71 → 3.23");
        assert_eq!(bar.rising(0.5, 0.61), "0.50 → 0.61");
        assert_eq!(places_for(0.000123), 6);
        assert_eq!(places_for(0.0), 2);
    }

    /// The whole number in `lever` right after `before`.
    fn number_after(lever: &str, before: &str) -> f64 {
        let rest = &lever[lever.find(before).unwrap() + before.len()..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        digits.parse().unwrap()
    }

    #[test]
    fn impact_advice_accounts_for_the_tie_break_by_id() {
        // 2 against 5: one critical customer (+3) only draws level, and a
        // tie goes to the id that sorts first.
        let s = scored(2.0, 1, &[("nice_to_have", 2.0)]);
        let behind = levers(
            Model::Impact,
            &s,
            "zz",
            (5.0, "aa"),
            &DriverWeights::default(),
        );
        assert_eq!(
            behind,
            ["about 2 more customers for whom it is critical, or 4 for whom it is nice to have"]
        );
        let ahead = levers(
            Model::Impact,
            &s,
            "aa",
            (5.0, "zz"),
            &DriverWeights::default(),
        );
        assert_eq!(
            ahead,
            ["about 1 more customer for whom it is critical, or 3 for whom it is nice to have"]
        );
        // Following the advice passes the feature ahead, by the ranking's
        // own order, for any gap and either id order.
        for gap in 0..12 {
            let target = 2.0 + f64::from(gap);
            for (id, other) in [("aa", "zz"), ("zz", "aa")] {
                let lever = &levers(
                    Model::Impact,
                    &s,
                    id,
                    (target, other),
                    &DriverWeights::default(),
                )[0];
                let critical = number_after(lever, "about ");
                let nice = number_after(lever, ", or ");
                for (n, step) in [(critical, 3.0), (nice, 1.0)] {
                    let passes =
                        |k: f64| ranking_order((2.0 + k * step, id), (target, other)).is_lt();
                    assert!(passes(n), "{lever} (gap {gap}, {id} vs {other})");
                    assert!(n == 1.0 || !passes(n - 1.0), "{lever} is more than needed");
                }
            }
        }
    }

    #[test]
    fn pain_value_advice_goes_past_a_tie_it_would_lose() {
        // 2 customers, weighted pain 1.0, effort 1: 0.5 a customer. Against
        // 2.0, three more draw level; a tie lost by id needs a fourth.
        let s = scored(1.0, 2, &[("weighted_pain", 1.0), ("effort", 1.0)]);
        let behind = levers(
            Model::PainValue,
            &s,
            "zz",
            (2.0, "aa"),
            &DriverWeights::default(),
        );
        assert_eq!(
            behind,
            [
                "+100% weighted pain (1.00 → more than 2.00), about 3 more customers like its average",
                "or effort 1 → less than 0.5 person-months"
            ]
        );
        let ahead = levers(
            Model::PainValue,
            &s,
            "aa",
            (2.0, "zz"),
            &DriverWeights::default(),
        );
        assert_eq!(
            ahead,
            [
                "+100% weighted pain (1.00 → 2.00), about 2 more customers like its average",
                "or effort 1 → 0.5 person-months"
            ]
        );
    }

    #[test]
    fn a_tie_lost_by_id_asks_for_more_than_nothing_and_never_minus_zero() {
        let s = scored(1.0, 2, &[("weighted_pain", 1.0), ("effort", 1.0)]);
        let pv = levers(
            Model::PainValue,
            &s,
            "zz",
            (1.0, "aa"),
            &DriverWeights::default(),
        );
        assert!(
            pv[0].starts_with("more than +0% weighted pain (1.00 → more than 1.00)"),
            "{pv:?}"
        );
        let s = scored(4.0, 2, &[("importance", 5.0), ("satisfaction", 6.0)]);
        let op = levers(
            Model::Opportunity,
            &s,
            "zz",
            (4.0, "aa"),
            &DriverWeights::default(),
        );
        assert!(
            op[0].starts_with("more than +0.00 opportunity points"),
            "{op:?}"
        );
        let drivers = [
            ("reach", 50.0),
            ("pain", 50.0),
            ("value", 50.0),
            ("trend", 50.0),
            ("strategic", 0.0),
            ("effort", 1.0),
        ];
        let s = scored(175.0 / 4.5, 2, &drivers);
        let w = levers(
            Model::Weighted,
            &s,
            "zz",
            (175.0 / 4.5, "aa"),
            &DriverWeights::default(),
        );
        assert_eq!(w[0], "reach driver 50.00 → more than 50.00 of 100");
        for l in pv.iter().chain(&op).chain(&w) {
            assert!(!l.contains("-0") && !l.contains("+-"), "{l}");
        }
    }

    #[test]
    fn weighted_advice_names_only_drivers_that_can_rise_far_enough() {
        // reach, pain and value at 100, trend 50, strategic 0: 325 / 4.5.
        // Passing 80 needs 360 weighted points, 35 more: strategic (weight
        // 1) to 35, the trend (weight 0.5) to 120, past its 100, and the
        // others are full.
        let s = scored(
            325.0 / 4.5,
            2,
            &[
                ("reach", 100.0),
                ("pain", 100.0),
                ("value", 100.0),
                ("trend", 50.0),
                ("strategic", 0.0),
                ("effort", 1.0),
            ],
        );
        let w = levers(
            Model::Weighted,
            &s,
            "aa",
            (80.0, "zz"),
            &DriverWeights::default(),
        );
        assert_eq!(
            w,
            [
                "strategic fit 0.00 → 0.35 (`strategic` in roadmap.toml)",
                "or effort 1 → 0.9 person-months"
            ]
        );
    }

    #[test]
    fn wsjf_advice_stays_within_a_cost_of_delay_of_30() {
        // Cost of delay 20 at job size 2: 10. Passing 12 needs 24, within
        // reach; passing 20 needs 40, which three parts of 1-10 cannot give.
        let s = scored(10.0, 3, &[("cost_of_delay", 20.0), ("job_size", 2.0)]);
        let near = levers(
            Model::Wsjf,
            &s,
            "zz",
            (12.0, "aa"),
            &DriverWeights::default(),
        );
        assert!(
            near[0].starts_with("cost of delay 20.00 → more than 24.00"),
            "{near:?}"
        );
        let far = levers(
            Model::Wsjf,
            &s,
            "zz",
            (20.0, "aa"),
            &DriverWeights::default(),
        );
        assert!(!far.iter().any(|l| l.contains("cost of delay")), "{far:?}");
        // The effort is then the one lever, without an "or" before it.
        assert!(far[0].starts_with("effort 2 → less than 1"), "{far:?}");
    }

    #[test]
    fn advice_rounds_towards_passing() {
        // Score 0.98 against 2.62: effort 1 → 0.374, which rounds to 0.4
        // but would not be enough; it is shown as 0.3.
        let s = scored(0.98, 3, &[("weighted_pain", 0.98), ("effort", 1.0)]);
        let l = levers(
            Model::PainValue,
            &s,
            "aa",
            (2.62, "zz"),
            &DriverWeights::default(),
        );
        assert_eq!(l[1], "or effort 1 → 0.3 person-months");
        // Tiny efforts keep a digit that is not 0.
        let l = levers(
            Model::PainValue,
            &s,
            "aa",
            (98.0, "zz"),
            &DriverWeights::default(),
        );
        assert_eq!(l[1], "or effort 1 → 0.01 person-months");
        // An effort under the roadmap's least (0.01) is no way to pass.
        let l = levers(
            Model::PainValue,
            &s,
            "aa",
            (250.0, "zz"),
            &DriverWeights::default(),
        );
        assert_eq!(l.len(), 1, "{l:?}");
        assert!(l[0].contains("weighted pain"), "{l:?}");
    }

    #[test]
    fn ice_says_when_no_single_change_is_enough() {
        // 3 × 8 × 5 = 120 against 500: each term would have to pass 10.
        let s = scored(
            120.0,
            5,
            &[("impact", 3.0), ("confidence", 8.0), ("ease", 5.0)],
        );
        let l = levers(
            Model::Ice,
            &s,
            "aa",
            (500.0, "zz"),
            &DriverWeights::default(),
        );
        assert!(l.is_empty(), "{l:?}");
        let next = NextUp {
            rank: 1,
            id: "export".into(),
            title: "Export".into(),
            score: 500.0,
            gap: 380.0,
            levers: l,
        };
        let mut out = Vec::new();
        render_next_up(Some(&next), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "To pass #1 export (score 500.00, a gap of 380.00), no single change is enough: it would take several of its drivers rising together.\n"
        );
        // A term that can reach 10 but not pass it is listed only when a
        // tie would go this feature's way.
        let s = scored(
            250.0,
            5,
            &[("impact", 5.0), ("confidence", 10.0), ("ease", 5.0)],
        );
        assert_eq!(
            levers(
                Model::Ice,
                &s,
                "aa",
                (500.0, "zz"),
                &DriverWeights::default()
            ),
            ["impact 5.00 → 10.00", "ease 5.00 → 10.00"]
        );
        assert!(levers(
            Model::Ice,
            &s,
            "zz",
            (500.0, "aa"),
            &DriverWeights::default()
        )
        .is_empty());
    }

    #[test]
    fn ice_advice_gives_the_effort_that_would_pass() {
        // 5 × 10 × 5 = 250 against 400: ease has to reach 8, which is
        // effort 10 ÷ 8 = 1.25, shown rounded down.
        let s = scored(
            250.0,
            5,
            &[
                ("impact", 5.0),
                ("confidence", 10.0),
                ("ease", 5.0),
                ("effort", 2.0),
            ],
        );
        assert_eq!(
            levers(
                Model::Ice,
                &s,
                "aa",
                (400.0, "zz"),
                &DriverWeights::default()
            ),
            [
                "impact 5.00 → 8.00",
                "ease 5.00 → 8.00",
                "or effort 2 → 1.2 person-months"
            ]
        );
        assert_eq!(
            levers(
                Model::Ice,
                &s,
                "zz",
                (400.0, "aa"),
                &DriverWeights::default()
            ),
            [
                "impact 5.00 → more than 8.00",
                "ease 5.00 → more than 8.00",
                // 1.2 is under the break-even 1.25, so it passes as it
                // stands: "less than 1.2" would ask for more than needed.
                "or effort 2 → 1.2 person-months"
            ]
        );
        // Ease cannot pass 10, so no effort is small enough.
        let l = levers(
            Model::Ice,
            &s,
            "aa",
            (600.0, "zz"),
            &DriverWeights::default(),
        );
        assert!(!l.iter().any(|l| l.contains("effort")), "{l:?}");
    }

    #[test]
    fn resolves_ids_prefixes_and_titles() {
        let f = features();
        assert_eq!(resolve("sso", &f).unwrap(), 0);
        assert_eq!(resolve("sci", &f).unwrap(), 1);
        assert_eq!(resolve("User prov", &f).unwrap(), 1);
        assert_eq!(resolve("se", &f).unwrap(), 2);
        let e = resolve("s", &f).unwrap_err();
        assert!(
            e.0.contains("matches several features: sso, scim, search"),
            "{}",
            e.0
        );
        let e = resolve("ssoo", &f).unwrap_err();
        assert!(e.0.contains("did you mean `sso`"), "{}", e.0);
        // A whole id in capitals is that id, even when it prefixes another.
        let mut f = f;
        let mut v2 = f[0].clone();
        v2.id = "sso-v2".into();
        f.push(v2);
        assert_eq!(resolve("SSO", &f).unwrap(), 0);
        assert!(resolve("ss", &f).is_err());
    }

    #[test]
    fn an_unknown_feature_is_echoed_without_escapes() {
        let e = resolve("\u{1b}]8;;http://x\u{7}x\u{1b}[2J", &features()).unwrap_err();
        assert!(
            e.0.starts_with(r"no feature `\u{1b}]8;;http://x\u{7}x\u{1b}[2J` in the roadmap"),
            "{:?}",
            e.0
        );
        let e = resolve("s\u{7}", &features()).unwrap_err();
        assert!(!e.0.contains('\u{7}'), "{:?}", e.0);
        // Stripped, this query would read as the id of a feature that exists.
        let e = resolve("ss\u{1b}[31mo", &features()).unwrap_err();
        assert!(
            e.0.starts_with(r"no feature `ss\u{1b}[31mo` in the roadmap"),
            "{:?}",
            e.0
        );
    }
}
