//! The scoring models: each turns a feature's customers into a score.
//!
//! For every linked customer c (counted once, through their most recent
//! linked item): recency r = 2^(−age_days / half_life_days), pain p, value
//! weight v, source weight s and persona weight w. [`FeatureStats`] gathers
//! the sums every model is built from; the models that are relative by
//! nature (ICE, WSJF, opportunity, weighted) then normalize across features.
//! The README gives each formula and where it comes from.
//!
//! n = 1 + votes: people who endorsed a customer's item without writing
//! (GitHub reactions, Jira votes) count as more customers asking, with the
//! same recency, pain and value, in every sum over customers.

use std::collections::BTreeMap;

use crate::item::Kind;
use crate::roadmap::{Feature, Model, Scoring, ValueCurve};

use super::accumulate::{Accumulator, FeatureAcc, Mention, Window, MICROS};

const SECONDS_PER_DAY: f64 = 86_400.0;

/// Weights that come from the run rather than the feature.
#[derive(Debug, Clone)]
pub struct Weights {
    pub sources: Vec<f64>,
    pub personas: Vec<f64>,
}

/// One customer's terms, for `explain` and the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub customer: String,
    pub recency: f64,
    pub pain: f64,
    pub value_weight: f64,
    pub source_weight: f64,
    pub persona_weight: f64,
    /// n: 1 + the votes on the customer's item.
    pub voters: f64,
    /// The account value behind `value_weight`, when known.
    pub value: Option<f64>,
    pub sentiment: f64,
    pub kind: Kind,
    pub churn: bool,
}

impl Contribution {
    /// r·p·v·s·w·n: what this customer adds to `pain-value` before effort.
    pub fn weighted_pain(&self) -> f64 {
        self.pain * self.value_at_stake()
    }

    /// r·v·s·w·n: the customer value at stake, pain aside.
    pub fn value_at_stake(&self) -> f64 {
        self.recency * self.value_weight * self.source_weight * self.persona_weight * self.voters
    }

    /// Whether the customer's item hurts at all (pain above 0): whether
    /// they ask for something. A customer who praises the feature, or
    /// mentions it untroubled, asks for nothing, so the models that count
    /// who asks (WSJF's business value, the opportunity's importance, the
    /// weighted model's value) leave them out.
    pub fn asks(&self) -> bool {
        self.pain > 0.0
    }
}

/// Productboard's importance levels (0 not important … 3 critical), read
/// from pain.
pub fn importance_level(pain: f64) -> u8 {
    match pain {
        p if p < 0.05 => 0,
        p if p < 0.4 => 1,
        p if p < 0.7 => 2,
        _ => 3,
    }
}

/// The sums and means every model is built from, for one feature.
#[derive(Debug, Clone)]
pub struct FeatureStats {
    pub index: usize,
    /// Sorted by customer key.
    pub contributions: Vec<Contribution>,
    pub mentions: u64,
    /// Σ r·p·v·s·w.
    pub weighted_pain: f64,
    /// Σ r·s.
    pub reach: f64,
    /// Σ r and Σ r·p.
    pub recency_sum: f64,
    pub recency_pain_sum: f64,
    /// Σ r·v·s·w·n over the customers who ask ([`Contribution::asks`]),
    /// and over those who threatened churn.
    pub value_at_stake: f64,
    pub churn_value: f64,
    /// Means over the customers, each counted n times.
    pub mean_pain: f64,
    pub mean_sentiment: f64,
    /// Sum of the values of the distinct accounts behind the customers.
    pub value: f64,
    /// How many sources the feature's items came from.
    pub sources: usize,
    /// Relative change of daily pain, last `trend_days` against the
    /// `trend_baseline_days` before: +1 is double, −0.5 half. A feature
    /// with no pain before and some now counts +1; one with no pain in
    /// either has no trend (`None`).
    pub trend: Option<f64>,
    pub confidence: f64,
    pub effort: f64,
    pub strategic: f64,
    /// Days from `--as-of` to the feature's due date.
    pub due_in_days: Option<f64>,
}

impl FeatureStats {
    pub fn customers(&self) -> usize {
        self.contributions.len()
    }
}

#[derive(Debug, Clone)]
pub struct FeatureScore {
    pub index: usize,
    pub score: f64,
    pub customers: usize,
    pub mentions: u64,
    /// Mean pain of the customers' latest items.
    pub pain: f64,
    pub value: f64,
    pub confidence: f64,
    /// As [`FeatureStats::trend`].
    pub trend: Option<f64>,
    pub breakdown: BTreeMap<String, f64>,
    /// Sorted by customer key.
    pub contributions: Vec<Contribution>,
}

/// Value weights relative to the median positive account value.
#[derive(Debug, Clone)]
pub struct ValueScale {
    median: Option<f64>,
    curve: ValueCurve,
    floor: f64,
}

impl ValueScale {
    pub fn new(acc: &Accumulator, scoring: &Scoring) -> ValueScale {
        let mut values: Vec<f64> = acc
            .accounts
            .values()
            .copied()
            .filter(|v| *v > 0.0)
            .collect();
        values.sort_by(f64::total_cmp);
        let median = match values.len() {
            0 => None,
            n if n % 2 == 1 => Some(values[n / 2]),
            n => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
        };
        ValueScale {
            median,
            curve: scoring.value_curve,
            floor: scoring.value_floor,
        }
    }

    pub fn median(&self) -> Option<f64> {
        self.median
    }

    /// v for an account value; 1 when the run has no values at all.
    pub fn weight(&self, value: Option<f64>) -> f64 {
        let Some(median) = self.median else {
            return 1.0;
        };
        let ratio = value.unwrap_or(0.0) / median;
        let v = match self.curve {
            ValueCurve::Sqrt => ratio.sqrt(),
            ValueCurve::Linear => ratio,
            ValueCurve::Log => (1.0 + ratio).log2(),
            ValueCurve::None => 1.0,
        };
        v.max(self.floor)
    }
}

/// Recency weight of an item at `created_at`, 1 for undated items.
pub fn recency(created_at: Option<i64>, window: &Window, half_life_days: f64) -> f64 {
    match created_at {
        Some(t) => {
            let age_days = ((window.as_of_end - t) as f64 / SECONDS_PER_DAY).max(0.0);
            (-age_days / half_life_days).exp2()
        }
        None => 1.0,
    }
}

/// Confidence from the evidence, on Intercom's RICE levels: 100% (high)
/// when 20 or more customers asked through two or more sources, 80%
/// (medium) from 5 customers, else 50% (low).
pub fn derived_confidence(customers: usize, sources: usize) -> f64 {
    if customers >= 20 && sources >= 2 {
        1.0
    } else if customers >= 5 {
        0.8
    } else {
        0.5
    }
}

/// Gathers each feature's statistics.
pub fn feature_stats(
    acc: &Accumulator,
    features: &[Feature],
    scoring: &Scoring,
    window: &Window,
    weights: &Weights,
) -> Vec<FeatureStats> {
    gather(acc, features, scoring, window, weights, true)
}

/// The statistics; `named` puts each customer's name in their
/// contribution, which only `explain` shows: one String per feature and
/// customer is most of the memory of scoring at scale.
fn gather(
    acc: &Accumulator,
    features: &[Feature],
    scoring: &Scoring,
    window: &Window,
    weights: &Weights,
    named: bool,
) -> Vec<FeatureStats> {
    let scale = ValueScale::new(acc, scoring);
    let segments: BTreeMap<String, f64> = scoring
        .segments
        .iter()
        .map(|(k, v)| (k.to_lowercase(), *v))
        .collect();
    features
        .iter()
        .zip(&acc.features)
        .enumerate()
        .map(|(i, (f, fa))| {
            stats_one(
                i, f, fa, acc, scoring, window, weights, &scale, &segments, named,
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn stats_one(
    index: usize,
    feature: &Feature,
    fa: &FeatureAcc,
    acc: &Accumulator,
    scoring: &Scoring,
    window: &Window,
    weights: &Weights,
    scale: &ValueScale,
    segments: &BTreeMap<String, f64>,
    named: bool,
) -> FeatureStats {
    // Sorted so that float sums do not depend on hash order.
    let mut customers: Vec<(&str, &Mention)> = fa
        .customers
        .iter()
        .map(|(k, m)| (acc.keys.name(k), m))
        .collect();
    customers.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let contributions: Vec<Contribution> = customers
        .iter()
        .map(|(key, m)| {
            let value = acc.accounts.get(&m.value_key()).copied();
            let segment = m
                .segment()
                .and_then(|s| segments.get(acc.keys.name(s)))
                .copied()
                .unwrap_or(1.0);
            Contribution {
                customer: if named {
                    display_customer(key)
                } else {
                    String::new()
                },
                recency: recency(m.created_at(), window, scoring.half_life_days),
                pain: m.pain(),
                value_weight: scale.weight(value) * segment,
                source_weight: weights
                    .sources
                    .get(m.source() as usize)
                    .copied()
                    .unwrap_or(1.0),
                persona_weight: m
                    .persona()
                    .and_then(|p| weights.personas.get(p as usize))
                    .copied()
                    .unwrap_or(1.0),
                voters: 1.0 + f64::from(m.votes()),
                value,
                sentiment: m.sentiment(),
                kind: m.kind(),
                churn: m.churn(),
            }
        })
        .collect();
    let n = contributions.len();
    let sum = |f: &dyn Fn(&Contribution) -> f64| contributions.iter().map(f).sum::<f64>();
    // Each customer n times, as in the sums.
    let voters = sum(&|c| c.voters);
    let mean = |total: f64| if n == 0 { 0.0 } else { total / voters };
    // Each account's value once, in customer-key order.
    let mut seen = std::collections::HashSet::with_capacity(n);
    let value: f64 = customers
        .iter()
        .filter(|(_, m)| seen.insert(m.value_key()))
        .filter_map(|(_, m)| acc.accounts.get(&m.value_key()))
        .sum();
    let sources = fa.sources.iter().filter(|&&n| n > 0).count();
    let recent_rate =
        fa.recent_pain as f64 / MICROS / (window.trend_recent as f64 / SECONDS_PER_DAY);
    let prior_rate = fa.prior_pain as f64 / MICROS / (window.trend_prior as f64 / SECONDS_PER_DAY);
    // No pain in either period (nothing in the last 120 days hurt, or
    // nothing mentions the feature): no trend, rather than a flat one.
    let trend = if prior_rate > 0.0 {
        Some((recent_rate / prior_rate - 1.0).min(10.0))
    } else if recent_rate > 0.0 {
        Some(1.0)
    } else {
        None
    };
    let due_in_days = feature
        .due
        .and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
        // Days from the start of the --as-of day: 0 when due that day, 1
        // the day after; overdue only once the day has passed.
        .map(|z| {
            // `as_of_end` is the day's last second.
            let as_of_start = window.as_of_end + 1 - SECONDS_PER_DAY as i64;
            (z.timestamp().as_second() - as_of_start) as f64 / SECONDS_PER_DAY
        });
    FeatureStats {
        index,
        mentions: fa.mentions,
        weighted_pain: sum(&Contribution::weighted_pain),
        reach: sum(&|c| c.recency * c.source_weight * c.voters),
        recency_sum: sum(&|c| c.recency * c.voters),
        recency_pain_sum: sum(&|c| c.recency * c.pain * c.voters),
        value_at_stake: sum(&|c| if c.asks() { c.value_at_stake() } else { 0.0 }),
        churn_value: sum(&|c| if c.churn { c.value_at_stake() } else { 0.0 }),
        mean_pain: mean(sum(&|c| c.pain * c.voters)),
        mean_sentiment: mean(sum(&|c| c.sentiment * c.voters)),
        value,
        sources,
        trend,
        confidence: feature
            .confidence
            .unwrap_or_else(|| derived_confidence(n, sources)),
        effort: feature.effort,
        strategic: feature.strategic,
        due_in_days,
        contributions,
    }
}

/// Scores every feature with one model.
pub fn score_features(
    acc: &Accumulator,
    features: &[Feature],
    scoring: &Scoring,
    model: Model,
    window: &Window,
    weights: &Weights,
) -> Vec<FeatureScore> {
    let stats = feature_stats(acc, features, scoring, window, weights);
    score_stats(stats, acc, scoring, model)
}

/// Scores every feature like [`score_features`], but with `contributions`
/// left empty: a ranking needs only the totals, and keeping a named row
/// per feature and customer would be most of the memory at scale.
pub fn score_ranking(
    acc: &Accumulator,
    features: &[Feature],
    scoring: &Scoring,
    model: Model,
    window: &Window,
    weights: &Weights,
) -> Vec<FeatureScore> {
    let stats = gather(acc, features, scoring, window, weights, false);
    let mut scores = score_stats(stats, acc, scoring, model);
    for s in &mut scores {
        s.contributions = Vec::new();
    }
    scores
}

/// 1 + 9·x/max: a 1–10 scale relative to the largest across features.
fn one_to_ten(x: f64, max: f64) -> f64 {
    if max > 0.0 {
        1.0 + 9.0 * (x / max).clamp(0.0, 1.0)
    } else {
        1.0
    }
}

/// WSJF time criticality (1–10) from the trend of pain, or from a due date
/// when that is more pressing. The trend is the relative change of pain
/// (−0.5 when it halves, +1 when it doubles), read on a log scale: 1 when
/// pain halves or less, 5.5 when flat, 10 when it doubles or more. A
/// feature with no trend (`None`: no pain in the trend's days) gets 1.
pub fn time_criticality(trend: Option<f64>, due_in_days: Option<f64>) -> f64 {
    let from_trend = match trend {
        Some(t) if t > -1.0 => (5.5 + 4.5 * (1.0 + t).log2()).clamp(1.0, 10.0),
        _ => 1.0,
    };
    from_trend.max(due_criticality(due_in_days).unwrap_or(1.0))
}

/// The time criticality a due date alone gives (`None` without one).
pub fn due_criticality(due_in_days: Option<f64>) -> Option<f64> {
    Some(match due_in_days? {
        d if d < 0.0 => 10.0,
        d if d <= 30.0 => 9.0,
        d if d <= 90.0 => 7.0,
        d if d <= 180.0 => 5.0,
        _ => 2.0,
    })
}

/// Normalizes a driver to 0–100 across features: by the largest for
/// drivers that cannot be negative, min–max for the trend.
fn normalize(values: &[f64], min_max: bool) -> Vec<f64> {
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    values
        .iter()
        .map(|&x| {
            if min_max {
                if max > min {
                    100.0 * (x - min) / (max - min)
                } else {
                    50.0
                }
            } else if max > 0.0 {
                100.0 * x / max
            } else {
                0.0
            }
        })
        .collect()
}

/// The weighted model's trend driver: min–max over the features with a
/// trend, and 0 for a feature without one (nothing mentions it, or nothing
/// in the trend's days hurt): a flat 0 had put such a feature mid-scale,
/// above ones whose pain fell.
fn trend_driver(stats: &[FeatureStats]) -> Vec<f64> {
    let trends: Vec<f64> = stats.iter().filter_map(|s| s.trend).collect();
    let mut scaled = normalize(&trends, true).into_iter();
    stats
        .iter()
        .map(|s| match s.trend {
            None => 0.0,
            Some(_) => scaled.next().unwrap_or(0.0),
        })
        .collect()
}

/// Applies a model to the features' statistics.
pub fn score_stats(
    stats: Vec<FeatureStats>,
    acc: &Accumulator,
    scoring: &Scoring,
    model: Model,
) -> Vec<FeatureScore> {
    let max = |f: fn(&FeatureStats) -> f64| stats.iter().map(f).fold(0.0, f64::max);
    let max_weighted = max(|s| s.weighted_pain);
    let max_stake = max(|s| s.value_at_stake);
    let max_churn = max(|s| s.churn_value);
    // Customers who ask and those who voted for their items: n summed.
    let askers = |s: &FeatureStats| {
        s.contributions
            .iter()
            .filter(|c| c.asks())
            .map(|c| c.voters)
            .sum::<f64>()
    };
    let max_askers = stats.iter().map(askers).fold(0.0, f64::max);
    let total_customers = acc.customers.len().max(1) as f64;
    let drivers = if model == Model::Weighted {
        let w = |f: fn(&FeatureStats) -> f64| stats.iter().map(f).collect::<Vec<_>>();
        Some((
            normalize(&w(|s| s.reach), false),
            normalize(&w(|s| s.mean_pain), false),
            normalize(&w(|s| s.value_at_stake), false),
            trend_driver(&stats),
            // A PM's own 0–1 score, not rescaled: the largest fit across
            // features had become 100, so 0.1 scored as 1 did.
            w(|s| s.strategic * 100.0),
        ))
    } else {
        None
    };

    stats
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let mut b = BTreeMap::new();
            let mut put = |k: &str, v: f64| {
                b.insert(k.to_string(), v);
            };
            let n = s.customers() as f64;
            let score = match model {
                Model::PainValue => {
                    put("weighted_pain", s.weighted_pain);
                    put("effort", s.effort);
                    let mean = |f: fn(&Contribution) -> f64| {
                        if n == 0.0 {
                            0.0
                        } else {
                            s.contributions.iter().map(f).sum::<f64>() / n
                        }
                    };
                    put("mean_recency", mean(|c| c.recency));
                    put("mean_pain", s.mean_pain);
                    put("mean_value_weight", mean(|c| c.value_weight));
                    put("mean_source_weight", mean(|c| c.source_weight));
                    put("mean_persona_weight", mean(|c| c.persona_weight));
                    s.weighted_pain / s.effort
                }
                Model::Rice => {
                    // Recency can round to 0 for items many half-lives old:
                    // their mean pain, unweighted, then keeps impact on
                    // RICE's scale.
                    let impact = if s.recency_sum > 0.0 {
                        0.25 + 2.75 * (s.recency_pain_sum / s.recency_sum)
                    } else if n > 0.0 {
                        0.25 + 2.75 * s.mean_pain
                    } else {
                        0.0
                    };
                    put("reach", s.reach);
                    put("impact", impact);
                    put("confidence", s.confidence);
                    put("effort", s.effort);
                    s.reach * impact * s.confidence / s.effort
                }
                Model::Ice => {
                    // No customer who asks: nothing to make an impact on.
                    let impact = if s.weighted_pain > 0.0 {
                        one_to_ten(s.weighted_pain, max_weighted)
                    } else {
                        0.0
                    };
                    let confidence = 10.0 * s.confidence;
                    let ease = (10.0 / s.effort).clamp(1.0, 10.0);
                    put("impact", impact);
                    put("confidence", confidence);
                    put("ease", ease);
                    // Ease is derived; effort is what a roadmap sets, so
                    // `explain` gives its advice in person-months too.
                    put("effort", s.effort);
                    impact * confidence * ease
                }
                Model::Wsjf => {
                    // A feature no customer asks for (none mentions it, or
                    // every one praises it) has no cost of delay from
                    // feedback: the 1s at the bottom of each scale would
                    // otherwise give it 3 ÷ effort, and a small effort
                    // alone put it first. Only its due date counts.
                    let asked = askers(&s) > 0.0;
                    let (value, time, risk) = if asked {
                        (
                            one_to_ten(s.value_at_stake, max_stake),
                            time_criticality(s.trend, s.due_in_days),
                            if max_churn > 0.0 {
                                one_to_ten(s.churn_value, max_churn)
                            } else {
                                1.0
                            },
                        )
                    } else {
                        (0.0, due_criticality(s.due_in_days).unwrap_or(0.0), 0.0)
                    };
                    let cost_of_delay = value + time + risk;
                    put("business_value", value);
                    put("time_criticality", time);
                    put("risk_reduction", risk);
                    put("cost_of_delay", cost_of_delay);
                    put("job_size", s.effort);
                    cost_of_delay / s.effort
                }
                Model::Opportunity => {
                    let importance = if max_askers > 0.0 {
                        10.0 * askers(&s) / max_askers
                    } else {
                        0.0
                    };
                    let satisfaction = 10.0 * (s.mean_sentiment + 1.0) / 2.0;
                    put("share_of_customers", n / total_customers);
                    put("importance", importance);
                    put("satisfaction", satisfaction);
                    importance + (importance - satisfaction).max(0.0)
                }
                Model::Impact => {
                    // Customers at each level, each counted n times.
                    let mut levels = [0.0; 4];
                    for c in &s.contributions {
                        levels[importance_level(c.pain) as usize] += c.voters;
                    }
                    for (level, count) in ["not_important", "nice_to_have", "important", "critical"]
                        .iter()
                        .zip(levels)
                    {
                        put(level, count);
                    }
                    levels[1] + 2.0 * levels[2] + 3.0 * levels[3]
                }
                Model::Weighted => {
                    let (reach, pain, value, trend, strategic) =
                        drivers.as_ref().expect("computed for weighted");
                    let w = &scoring.weights;
                    let total = w.reach + w.pain + w.value + w.trend + w.strategic;
                    let sum = w.reach * reach[i]
                        + w.pain * pain[i]
                        + w.value * value[i]
                        + w.trend * trend[i]
                        + w.strategic * strategic[i];
                    put("reach", reach[i]);
                    put("pain", pain[i]);
                    put("value", value[i]);
                    put("trend", trend[i]);
                    put("strategic", strategic[i]);
                    put("effort", s.effort);
                    if total > 0.0 {
                        sum / total / s.effort
                    } else {
                        0.0
                    }
                }
            };
            FeatureScore {
                index: s.index,
                score,
                customers: s.customers(),
                mentions: s.mentions,
                pain: s.mean_pain,
                value: s.value,
                confidence: s.confidence,
                trend: s.trend,
                breakdown: b,
                contributions: s.contributions,
            }
        })
        .collect()
}

/// The customer as a person would read it: the key without its kind prefix.
fn display_customer(key: &str) -> String {
    key.split_once(':')
        .map_or(key, |(_, rest)| rest)
        .to_string()
}

/// Sorts scores best first; ties broken by feature id so output is stable.
pub fn rank(scores: &mut [FeatureScore], features: &[Feature]) {
    scores.sort_by(|a, b| {
        ranking_order(
            (a.score, &features[a.index].id),
            (b.score, &features[b.index].id),
        )
    });
}

/// The ranking's order of two features given as (score, id): the higher
/// score first, and on equal scores the id that sorts first. `explain`
/// uses it to say what would make a feature pass the one above.
pub fn ranking_order(a: (f64, &str), b: (f64, &str)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{Item, Kind};
    use crate::tag::Tags;

    const DAY: i64 = 86_400;
    const WINDOW: Window = Window {
        as_of_end: 1000 * DAY,
        max_age: None,
        trend_recent: 30 * DAY,
        trend_prior: 90 * DAY,
    };

    fn feature(id: &str, effort: f64) -> Feature {
        Feature {
            id: id.into(),
            title: id.into(),
            keywords: vec![],
            exclude: vec![],
            stage: None,
            personas: vec![],
            effort,
            effort_given: true,
            confidence: None,
            status: Default::default(),
            kind: Default::default(),
            strategic: 0.0,
            due: None,
        }
    }

    struct Mention<'a> {
        feature: u32,
        customer: &'a str,
        age_days: i64,
        pain: f64,
        value: Option<f64>,
        sentiment: f64,
        kind: Kind,
    }

    fn m(feature: u32, customer: &str, age_days: i64, pain: f64) -> Mention<'_> {
        Mention {
            feature,
            customer,
            age_days,
            pain,
            value: None,
            sentiment: 0.0,
            kind: Kind::Bug,
        }
    }

    fn acc(features: usize, mentions: &[Mention<'_>]) -> Accumulator {
        let mut acc = Accumulator::new(features, 0, 0, 1);
        for x in mentions {
            let item = Item {
                id: format!("{}-{}", x.customer, x.age_days),
                customer: Some(x.customer.into()),
                account: Some(x.customer.into()),
                created_at: Some(1000 * DAY - x.age_days * DAY),
                value: x.value,
                text: "x".into(),
                ..Item::default()
            };
            let tags = Tags {
                features: vec![x.feature],
                pain: x.pain,
                sentiment: x.sentiment,
                kind: Some(x.kind),
                ..Tags::default()
            };
            acc.add(&item, &tags, &WINDOW);
        }
        acc
    }

    fn weights() -> Weights {
        Weights {
            sources: vec![1.0],
            personas: vec![],
        }
    }

    fn score(acc: &Accumulator, features: &[Feature], model: Model) -> Vec<FeatureScore> {
        score_features(
            acc,
            features,
            &Scoring::default(),
            model,
            &WINDOW,
            &weights(),
        )
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn pain_value_by_hand() {
        // No values, so v = 1. a: age 0 (r = 1), pain 0.8; b: 90 days, one
        // half-life (r = 0.5), pain 0.5. Σ r·p = 0.8 + 0.25 = 1.05; effort 2.
        let a = acc(1, &[m(0, "a", 0, 0.8), m(0, "b", 90, 0.5)]);
        let s = score(&a, &[feature("f", 2.0)], Model::PainValue);
        assert!(close(s[0].score, 0.525), "{}", s[0].score);
        assert_eq!(s[0].customers, 2);
        assert!(close(s[0].breakdown["weighted_pain"], 1.05));
    }

    #[test]
    fn value_is_relative_to_the_median_with_a_floor() {
        // Values 100, 400, 900: median 400. v = sqrt(100/400) = 0.5, 1,
        // sqrt(900/400) = 1.5, and the floor 0.25 for d with no value.
        // Σ r·p·v = 0.5 + 1 + 1.5 + 0.25 = 3.25.
        let mut ms = vec![
            m(0, "a", 0, 1.0),
            m(0, "b", 0, 1.0),
            m(0, "c", 0, 1.0),
            m(0, "d", 0, 1.0),
        ];
        ms[0].value = Some(100.0);
        ms[1].value = Some(400.0);
        ms[2].value = Some(900.0);
        let a = acc(1, &ms);
        let s = score(&a, &[feature("f", 1.0)], Model::PainValue);
        let v: Vec<f64> = s[0].contributions.iter().map(|c| c.value_weight).collect();
        assert_eq!(v, vec![0.5, 1.0, 1.5, 0.25]);
        assert!(close(s[0].score, 3.25));
        assert_eq!(s[0].value, 1400.0);
    }

    #[test]
    fn rice_by_hand() {
        // a (r 1, p 1), b (r 0.5, p 0): reach = 1.5; impact = 0.25 + 2.75 ×
        // (1 / 1.5) = 2.0833; confidence 0.5 (2 customers); effort 1.
        // 1.5 × 2.08333 × 0.5 = 1.5625.
        let a = acc(1, &[m(0, "a", 0, 1.0), m(0, "b", 90, 0.0)]);
        let s = score(&a, &[feature("f", 1.0)], Model::Rice);
        assert!(close(s[0].score, 1.5625), "{}", s[0].score);
        assert_eq!(s[0].breakdown["confidence"], 0.5);
    }

    #[test]
    fn ice_by_hand() {
        // Weighted pain: f0 0.8, f1 0.4, so impact f0 = 10 and f1 = 1 + 9 ×
        // 0.5 = 5.5. Confidence 0.5 → 5. Ease 10 ÷ effort: f0 (2) 5, f1 (1) 10.
        // f0 = 10 × 5 × 5 = 250; f1 = 5.5 × 5 × 10 = 275.
        let a = acc(2, &[m(0, "a", 0, 0.8), m(1, "b", 0, 0.4)]);
        let s = score(&a, &[feature("f0", 2.0), feature("f1", 1.0)], Model::Ice);
        assert!(close(s[0].score, 250.0), "{}", s[0].score);
        assert!(close(s[1].score, 275.0), "{}", s[1].score);
        assert_eq!(s[0].breakdown["ease"], 5.0);
        assert_eq!(s[0].breakdown["effort"], 2.0);
    }

    #[test]
    fn wsjf_by_hand() {
        // Both features: one customer, v = 1, r = 1 → value at stake 1 →
        // business value 10. Both items are recent and nothing came before,
        // so the trend is +1 → time criticality 10. Only f0's customer
        // threatened churn: risk reduction f0 = 10, f1 = 1. Cost of delay
        // 30 and 21; job sizes 2 and 1 → 15 and 21.
        let mut churn = m(0, "a", 0, 0.8);
        churn.kind = Kind::ChurnRisk;
        let a = acc(2, &[churn, m(1, "b", 0, 0.4)]);
        let s = score(&a, &[feature("f0", 2.0), feature("f1", 1.0)], Model::Wsjf);
        assert!(close(s[0].score, 15.0), "{}", s[0].score);
        assert!(close(s[1].score, 21.0), "{}", s[1].score);
        assert_eq!(s[0].breakdown["risk_reduction"], 10.0);
    }

    #[test]
    fn wsjf_gives_a_feature_nobody_asks_for_no_cost_of_delay() {
        // f0's customer gives it business value 10, a rising trend (10)
        // and risk reduction 1: 21 ÷ 2. f1 nothing mentions and f2 one
        // customer praises (pain 0): no business value, time criticality
        // or risk reduction from feedback, so a tiny effort does not lift
        // them: 0, however small the job.
        let a = acc(3, &[m(0, "a", 0, 0.1), m(2, "b", 0, 0.0)]);
        let mut features = [feature("f0", 2.0), feature("f1", 0.01), feature("f2", 0.01)];
        let s = score(&a, &features, Model::Wsjf);
        assert!(close(s[0].score, 10.5), "{}", s[0].score);
        for f in &s[1..] {
            assert_eq!(f.score, 0.0, "{:?}", f.breakdown);
            assert_eq!(f.breakdown["business_value"], 0.0);
            assert_eq!(f.breakdown["risk_reduction"], 0.0);
        }
        // A due date a PM set is still a cost of delay: 9 within 30 days.
        features[1].due = Some(jiff::civil::date(1972, 10, 10));
        let s = score(&a, &features, Model::Wsjf);
        assert_eq!(s[1].breakdown["time_criticality"], 9.0);
        assert!(close(s[1].score, 900.0), "{}", s[1].score);
    }

    #[test]
    fn praise_does_not_make_a_feature_important() {
        // f0: ten customers praise it (pain 0, sentiment 0.8); f1: three
        // report it broken (pain 1, sentiment -0.8). Only f1's customers
        // ask: it leads under every model that counts who asks.
        let mut ms = Vec::new();
        let names: Vec<String> = (0..13).map(|i| format!("c{i}")).collect();
        for (i, name) in names.iter().enumerate() {
            let mut x = m(u32::from(i >= 10), name, 0, if i >= 10 { 1.0 } else { 0.0 });
            x.sentiment = if i >= 10 { -0.8 } else { 0.8 };
            ms.push(x);
        }
        let a = acc(2, &ms);
        let features = [feature("f0", 1.0), feature("f1", 1.0)];
        for model in [Model::Wsjf, Model::Opportunity, Model::Ice, Model::Weighted] {
            let s = score(&a, &features, model);
            assert!(
                s[1].score > s[0].score,
                "{model:?}: {} {:?} vs {} {:?}",
                s[1].score,
                s[1].breakdown,
                s[0].score,
                s[0].breakdown
            );
        }
        let o = score(&a, &features, Model::Opportunity);
        assert_eq!(o[0].breakdown["importance"], 0.0);
        assert_eq!(o[1].breakdown["importance"], 10.0);
    }

    #[test]
    fn wsjf_due_dates_raise_time_criticality() {
        assert_eq!(time_criticality(Some(-1.0), Some(-3.0)), 10.0);
        // Due on the --as-of day is not overdue yet.
        assert_eq!(time_criticality(Some(-1.0), Some(0.0)), 9.0);
        assert_eq!(time_criticality(Some(-1.0), Some(-1.0)), 10.0);
        assert_eq!(time_criticality(Some(-1.0), Some(20.0)), 9.0);
        assert_eq!(time_criticality(Some(-1.0), None), 1.0);
        assert_eq!(time_criticality(Some(0.0), None), 5.5);
        assert_eq!(time_criticality(Some(1.0), Some(400.0)), 10.0);
        // On a log scale: halving is 1, doubling 10, and a rise by half
        // is as far above flat as a fall by a third is below.
        assert_eq!(time_criticality(Some(-0.5), None), 1.0);
        assert_eq!(time_criticality(Some(-0.7), None), 1.0);
        assert!((time_criticality(Some(0.5), None) - (5.5 + 4.5 * 1.5f64.log2())).abs() < 1e-12);
        assert!(
            (time_criticality(Some(0.5), None)
                - 5.5
                - (5.5 - time_criticality(Some(-1.0 / 3.0), None)))
            .abs()
                < 1e-12
        );
        assert_eq!(time_criticality(Some(9.0), None), 10.0);
        // No customer, no trend: only a due date makes it urgent.
        assert_eq!(time_criticality(None, None), 1.0);
        assert_eq!(time_criticality(None, Some(10.0)), 9.0);
    }

    #[test]
    fn opportunity_by_hand() {
        // f0: 2 customers, the most → importance 10; sentiments 0 and −0.5,
        // mean −0.25 → satisfaction 10 × 0.75 / 2 = 3.75 → 10 + 6.25 = 16.25.
        // f1: 1 customer → importance 5; sentiment 0.6 → satisfaction 8 → 5.
        let mut a1 = m(0, "a", 0, 0.5);
        a1.sentiment = 0.0;
        let mut c1 = m(0, "c", 0, 0.5);
        c1.sentiment = -0.5;
        let mut b1 = m(1, "b", 0, 0.1);
        b1.sentiment = 0.6;
        let a = acc(2, &[a1, c1, b1]);
        let s = score(
            &a,
            &[feature("f0", 1.0), feature("f1", 1.0)],
            Model::Opportunity,
        );
        assert!(close(s[0].score, 16.25), "{}", s[0].score);
        assert!(close(s[1].score, 5.0), "{}", s[1].score);
        assert!(close(s[0].breakdown["share_of_customers"], 2.0 / 3.0));
    }

    #[test]
    fn impact_by_hand() {
        // Pains 0.9, 0.5, 0.2 and 0 are critical (3), important (2), nice to
        // have (1) and not important (0): 6.
        let a = acc(
            1,
            &[
                m(0, "a", 0, 0.9),
                m(0, "b", 0, 0.5),
                m(0, "c", 0, 0.2),
                m(0, "d", 0, 0.0),
            ],
        );
        let s = score(&a, &[feature("f", 5.0)], Model::Impact);
        assert_eq!(s[0].score, 6.0);
        assert_eq!(s[0].breakdown["critical"], 1.0);
    }

    #[test]
    fn weighted_by_hand() {
        // Default weights: reach 1, pain 1, value 1, trend 0.5, strategic 1
        // (4.5 in all). f0: one customer, pain 1; f1: two, pain 0.5 each.
        // reach 1 and 2 → 50 and 100; mean pain 1 and 0.5 → 100 and 50;
        // value at stake 1 and 2 → 50 and 100; trend equal → 50 and 50;
        // strategic 0 → 0. f0 = (50 + 100 + 50 + 25) / 4.5 = 50;
        // f1 = (100 + 50 + 100 + 25) / 4.5 = 61.111.
        let a = acc(
            2,
            &[m(0, "a", 0, 1.0), m(1, "b", 0, 0.5), m(1, "c", 0, 0.5)],
        );
        let s = score(
            &a,
            &[feature("f0", 1.0), feature("f1", 1.0)],
            Model::Weighted,
        );
        assert!(close(s[0].score, 50.0), "{}", s[0].score);
        assert!(close(s[1].score, 275.0 / 4.5), "{}", s[1].score);
        // A third feature nobody mentions scores nothing from the trend,
        // and the others' trends are scaled among themselves as before.
        let a = acc(
            3,
            &[m(0, "a", 0, 1.0), m(1, "b", 0, 0.5), m(1, "c", 0, 0.5)],
        );
        let s = score(
            &a,
            &[
                feature("f0", 1.0),
                feature("f1", 1.0),
                feature("ghost", 1.0),
            ],
            Model::Weighted,
        );
        assert_eq!(s[2].breakdown["trend"], 0.0);
        assert_eq!(s[2].score, 0.0);
        assert!(close(s[0].score, 50.0), "{}", s[0].score);
    }

    #[test]
    fn strategic_fit_is_the_pms_own_score_and_rice_impact_stays_on_its_scale() {
        let a = acc(1, &[m(0, "a", 0, 0.5)]);
        let mut f = feature("f", 1.0);
        f.strategic = 0.1;
        let s = score(&a, &[f], Model::Weighted);
        assert!(
            close(s[0].breakdown["strategic"], 10.0),
            "{:?}",
            s[0].breakdown
        );
        // Items so many half-lives old that recency rounds to 0: RICE's
        // impact is still 0.25 + 2.75 × mean pain, not 0.
        let a = acc(1, &[m(0, "a", 200_000, 0.5)]);
        let s = score(&a, &[feature("f", 1.0)], Model::Rice);
        assert!(
            close(s[0].breakdown["impact"], 0.25 + 2.75 * 0.5),
            "{:?}",
            s[0].breakdown
        );
    }

    #[test]
    fn votes_count_as_more_customers_asking() {
        // a (pain 0.8, 3 votes) and b (pain 0.4), both today: pain-value
        // Σ r·p·n = 0.8 × 4 + 0.4 = 3.6; RICE reach 4 + 1 = 5 and impact
        // 0.25 + 2.75 × 3.6 / 5 = 2.23.
        let mut acc = acc(2, &[m(0, "b", 0, 0.4)]);
        let voted = Item {
            id: "a-0".into(),
            customer: Some("a".into()),
            created_at: Some(1000 * DAY),
            text: "x".into(),
            votes: 3,
            ..Item::default()
        };
        let tags = Tags {
            features: vec![0],
            pain: 0.8,
            kind: Some(Kind::Request),
            ..Tags::default()
        };
        acc.add(&voted, &tags, &WINDOW);
        let features = [feature("f", 1.0), feature("g", 1.0)];
        let pv = score(&acc, &features, Model::PainValue);
        assert!(close(pv[0].score, 3.6), "{}", pv[0].score);
        // Voters add weight, not distinct customers.
        assert_eq!(pv[0].customers, 2);
        let rice = score(&acc, &features, Model::Rice);
        assert!(close(rice[0].breakdown["reach"], 5.0));
        assert!(close(rice[0].breakdown["impact"], 2.23));
        // impact: a is critical (3) for 4 people, b important (2): 14.
        let impact = score(&acc, &features, Model::Impact);
        assert_eq!(impact[0].score, 14.0);
        assert_eq!(impact[0].breakdown["critical"], 4.0);
        // opportunity: f has 5 askers, g 1 (one customer, no votes), so
        // g's importance is 10 × 1 / 5 = 2.
        let mut acc2 = acc.clone();
        acc2.add(
            &Item {
                id: "c-0".into(),
                customer: Some("c".into()),
                created_at: Some(1000 * DAY),
                text: "y".into(),
                ..Item::default()
            },
            &Tags {
                features: vec![1],
                pain: 0.5,
                ..Tags::default()
            },
            &WINDOW,
        );
        let o = score(&acc2, &features, Model::Opportunity);
        assert!(close(o[0].breakdown["importance"], 10.0));
        assert!(
            close(o[1].breakdown["importance"], 2.0),
            "{:?}",
            o[1].breakdown
        );
    }

    #[test]
    fn trend_compares_daily_pain_rates() {
        // Recent 30 days: pain 0.6 → 0.02 a day. Prior 90 days: 0.9 →
        // 0.01 a day. The rate doubled: +1.
        let a = acc(1, &[m(0, "a", 10, 0.6), m(0, "b", 60, 0.9)]);
        let s = score(&a, &[feature("f", 1.0)], Model::PainValue);
        assert_eq!(s[0].trend, Some(1.0));
        // Pain now and none before counts as doubling.
        let a = acc(1, &[m(0, "a", 10, 0.6)]);
        let s = score(&a, &[feature("f", 1.0)], Model::PainValue);
        assert_eq!(s[0].trend, Some(1.0));
    }

    #[test]
    fn no_pain_in_the_trends_days_is_no_trend_not_a_flat_one() {
        // f0 was reported 200 days ago and not since; f1 is only praised
        // (pain 0), today; f2 nothing mentions. None has a trend, and
        // WSJF reads that as the bottom of its scale, not as flat (5.5).
        let a = acc(3, &[m(0, "a", 200, 0.9), m(1, "b", 0, 0.0)]);
        let features = [feature("f0", 1.0), feature("f1", 1.0), feature("f2", 1.0)];
        let s = score(&a, &features, Model::Wsjf);
        for f in &s {
            assert_eq!(f.trend, None, "{}", f.index);
        }
        assert_eq!(s[0].breakdown["time_criticality"], 1.0);
        // A feature whose pain fell by half is still below a flat one and
        // above none: its trend is scaled among the features that have one.
        let a = acc(2, &[m(0, "a", 10, 0.3), m(1, "c", 200, 0.9)]);
        let w = score(
            &a,
            &[feature("f0", 1.0), feature("f1", 1.0)],
            Model::Weighted,
        );
        assert_eq!(w[0].breakdown["trend"], 50.0);
        assert_eq!(w[1].trend, None);
        assert_eq!(w[1].breakdown["trend"], 0.0);
    }

    #[test]
    fn doubling_effort_halves_pain_value_and_rice() {
        let a = acc(1, &[m(0, "a", 3, 0.7)]);
        for model in [Model::PainValue, Model::Rice] {
            let one = score(&a, &[feature("f", 1.0)], model);
            let two = score(&a, &[feature("f", 2.0)], model);
            assert!(close(one[0].score / 2.0, two[0].score));
        }
    }
}
