//! The scoring models: each turns a feature's customers into a score.
//!
//! For every linked customer c (counted once, through their most recent
//! linked item): recency r = 2^(−age_days / half_life_days), pain p, value
//! weight v, source weight s and persona weight w.
//!
//! - `pain-value`: Σ_c r·p·v·s·w·n / effort.
//! - `rice` (Intercom): Reach × Impact × Confidence / Effort, with
//!   Reach = Σ_c r·s·n, Impact = 0.25 + 2.75 · Σ_c r·p·n / Σ_c r·n (RICE's 0.25–3
//!   scale), Confidence the feature's own or derived from the evidence.
//!
//! n = 1 + votes: people who endorsed the customer's item without writing
//! (GitHub reactions, Jira votes) count as more customers asking, with the
//! same recency, pain and value.

use std::collections::BTreeMap;

use crate::roadmap::{Feature, Model, Scoring, ValueCurve};

use super::accumulate::{Accumulator, FeatureAcc, Mention, Window};

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
    /// 1 + the votes on the customer's item.
    pub voters: f64,
    /// The account value behind `value_weight`, when known.
    pub value: Option<f64>,
}

impl Contribution {
    pub fn weighted_pain(&self) -> f64 {
        self.recency
            * self.pain
            * self.value_weight
            * self.source_weight
            * self.persona_weight
            * self.voters
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
    /// Sum of the values of the distinct accounts behind the customers.
    pub value: f64,
    pub confidence: f64,
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

/// RICE confidence from the evidence: Intercom's levels, 100% high, 80%
/// medium, 50% low, by how many customers asked.
pub fn derived_confidence(customers: usize) -> f64 {
    match customers {
        0..=4 => 0.5,
        5..=19 => 0.8,
        _ => 1.0,
    }
}

/// Scores every feature.
pub fn score_features(
    acc: &Accumulator,
    features: &[Feature],
    scoring: &Scoring,
    model: Model,
    window: &Window,
    weights: &Weights,
) -> Vec<FeatureScore> {
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
            score_one(
                i, f, fa, acc, scoring, model, window, weights, &scale, &segments,
            )
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn score_one(
    index: usize,
    feature: &Feature,
    fa: &FeatureAcc,
    acc: &Accumulator,
    scoring: &Scoring,
    model: Model,
    window: &Window,
    weights: &Weights,
    scale: &ValueScale,
    segments: &BTreeMap<String, f64>,
) -> FeatureScore {
    // Sorted so that float sums do not depend on hash order.
    let mut customers: Vec<(&String, &Mention)> = fa.customers.iter().collect();
    customers.sort_by(|a, b| a.0.cmp(b.0));
    let contributions: Vec<Contribution> = customers
        .iter()
        .map(|(key, m)| {
            let value = acc.accounts.get(&m.value_key).copied();
            let segment = m
                .segment
                .as_deref()
                .and_then(|s| segments.get(s))
                .copied()
                .unwrap_or(1.0);
            Contribution {
                customer: display_customer(key),
                recency: recency(m.created_at, window, scoring.half_life_days),
                pain: m.pain,
                value_weight: scale.weight(value) * segment,
                source_weight: weights
                    .sources
                    .get(m.source as usize)
                    .copied()
                    .unwrap_or(1.0),
                persona_weight: m
                    .persona
                    .and_then(|p| weights.personas.get(p as usize))
                    .copied()
                    .unwrap_or(1.0),
                voters: 1.0 + f64::from(m.votes),
                value,
            }
        })
        .collect();

    let n = contributions.len();
    let mean = |f: fn(&Contribution) -> f64| {
        if n == 0 {
            0.0
        } else {
            contributions.iter().map(f).sum::<f64>() / n as f64
        }
    };
    let mut seen = std::collections::BTreeSet::new();
    let value: f64 = customers
        .iter()
        .filter(|(_, m)| seen.insert(m.value_key.as_str()))
        .filter_map(|(_, m)| acc.accounts.get(&m.value_key))
        .sum();
    let confidence = feature.confidence.unwrap_or_else(|| derived_confidence(n));
    let effort = feature.effort;

    let mut breakdown = BTreeMap::new();
    let score = match model {
        Model::PainValue => {
            let weighted: f64 = contributions.iter().map(Contribution::weighted_pain).sum();
            breakdown.insert("weighted_pain".into(), weighted);
            breakdown.insert("effort".into(), effort);
            breakdown.insert("mean_recency".into(), mean(|c| c.recency));
            breakdown.insert("mean_pain".into(), mean(|c| c.pain));
            breakdown.insert("mean_value_weight".into(), mean(|c| c.value_weight));
            breakdown.insert("mean_source_weight".into(), mean(|c| c.source_weight));
            breakdown.insert("mean_persona_weight".into(), mean(|c| c.persona_weight));
            weighted / effort
        }
        Model::Rice => {
            let reach: f64 = contributions
                .iter()
                .map(|c| c.recency * c.source_weight * c.voters)
                .sum();
            let r_sum: f64 = contributions.iter().map(|c| c.recency * c.voters).sum();
            let rp_sum: f64 = contributions
                .iter()
                .map(|c| c.recency * c.pain * c.voters)
                .sum();
            let impact = if r_sum > 0.0 {
                0.25 + 2.75 * (rp_sum / r_sum)
            } else {
                0.0
            };
            breakdown.insert("reach".into(), reach);
            breakdown.insert("impact".into(), impact);
            breakdown.insert("confidence".into(), confidence);
            breakdown.insert("effort".into(), effort);
            reach * impact * confidence / effort
        }
    };
    FeatureScore {
        index,
        score,
        customers: n,
        mentions: fa.mentions,
        pain: mean(|c| c.pain),
        value,
        confidence,
        breakdown,
        contributions,
    }
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
        b.score
            .total_cmp(&a.score)
            .then_with(|| features[a.index].id.cmp(&features[b.index].id))
    });
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
    };

    fn feature(effort: f64) -> Feature {
        Feature {
            id: "f".into(),
            title: "F".into(),
            keywords: vec![],
            exclude: vec![],
            stage: None,
            personas: vec![],
            effort,
            effort_given: true,
            confidence: None,
            status: Default::default(),
            kind: Default::default(),
        }
    }

    fn add(acc: &mut Accumulator, customer: &str, age_days: i64, pain: f64, value: Option<f64>) {
        let item = Item {
            id: format!("{customer}-{age_days}"),
            customer: Some(customer.into()),
            account: Some(customer.into()),
            created_at: Some(1000 * DAY - age_days * DAY),
            value,
            text: "x".into(),
            ..Item::default()
        };
        let tags = Tags {
            features: vec![0],
            pain,
            kind: Some(Kind::Bug),
            ..Tags::default()
        };
        acc.add(&item, &tags, &WINDOW);
    }

    fn weights() -> Weights {
        Weights {
            sources: vec![1.0],
            personas: vec![],
        }
    }

    #[test]
    fn pain_value_by_hand() {
        // Two customers with no values (v = 1): a, 0 days old, pain 0.8
        // (r = 1); b, 90 days old, pain 0.5 (r = 0.5). Σ r·p = 0.8 + 0.25
        // = 1.05; effort 2 → 0.525.
        let mut acc = Accumulator::new(1, 0, 0, 1);
        add(&mut acc, "a", 0, 0.8, None);
        add(&mut acc, "b", 90, 0.5, None);
        let s = score_features(
            &acc,
            &[feature(2.0)],
            &Scoring::default(),
            Model::PainValue,
            &WINDOW,
            &weights(),
        );
        // The item is at the start of day 1000 and as_of_end is the end of
        // it... here as_of_end is exactly t, so age is exactly 0 and 90.
        assert!((s[0].score - 0.525).abs() < 1e-9, "{}", s[0].score);
        assert_eq!(s[0].customers, 2);
    }

    #[test]
    fn value_is_relative_to_the_median_with_a_floor() {
        // Values 100, 400, 900: median 400. sqrt(100/400) = 0.5,
        // sqrt(900/400) = 1.5, a customer with no value gets the floor 0.25.
        let mut acc = Accumulator::new(1, 0, 0, 1);
        add(&mut acc, "a", 0, 1.0, Some(100.0));
        add(&mut acc, "b", 0, 1.0, Some(400.0));
        add(&mut acc, "c", 0, 1.0, Some(900.0));
        add(&mut acc, "d", 0, 1.0, None);
        let s = score_features(
            &acc,
            &[feature(1.0)],
            &Scoring::default(),
            Model::PainValue,
            &WINDOW,
            &weights(),
        );
        let v: Vec<f64> = s[0].contributions.iter().map(|c| c.value_weight).collect();
        assert_eq!(v, vec![0.5, 1.0, 1.5, 0.25]);
        assert!((s[0].score - 3.25).abs() < 1e-9);
        assert_eq!(s[0].value, 1400.0);
    }

    #[test]
    fn rice_by_hand() {
        // Customers a (r 1, p 1) and b (r 0.5, p 0): reach 1.5, impact
        // 0.25 + 2.75 × (1 / 1.5) = 2.0833, confidence 0.5 (2 customers),
        // effort 1 → 1.5 × 2.0833 × 0.5 = 1.5625.
        let mut acc = Accumulator::new(1, 0, 0, 1);
        add(&mut acc, "a", 0, 1.0, None);
        add(&mut acc, "b", 90, 0.0, None);
        let s = score_features(
            &acc,
            &[feature(1.0)],
            &Scoring::default(),
            Model::Rice,
            &WINDOW,
            &weights(),
        );
        assert!((s[0].score - 1.5625).abs() < 1e-9, "{}", s[0].score);
        assert_eq!(s[0].breakdown["confidence"], 0.5);
    }

    #[test]
    fn votes_count_as_more_customers_asking() {
        // a (pain 0.8, 3 votes) and b (pain 0.4), both today: pain-value
        // Σ r·p·n = 0.8 × 4 + 0.4 = 3.6; RICE reach 4 + 1 = 5 and impact
        // 0.25 + 2.75 × 3.6 / 5 = 2.23.
        let mut acc = Accumulator::new(1, 0, 0, 1);
        let voted = Item {
            id: "a-0".into(),
            customer: Some("a".into()),
            created_at: Some(1000 * DAY),
            text: "x".into(),
            votes: 3,
            ..Item::default()
        };
        let tags = |pain| Tags {
            features: vec![0],
            pain,
            kind: Some(Kind::Request),
            ..Tags::default()
        };
        acc.add(&voted, &tags(0.8), &WINDOW);
        add(&mut acc, "b", 0, 0.4, None);
        let score = |model| {
            score_features(
                &acc,
                &[feature(1.0)],
                &Scoring::default(),
                model,
                &WINDOW,
                &weights(),
            )
            .remove(0)
        };
        let pv = score(Model::PainValue);
        assert!((pv.score - 3.6).abs() < 1e-9, "{}", pv.score);
        // Voters add weight, not distinct customers.
        assert_eq!(pv.customers, 2);
        let rice = score(Model::Rice);
        assert!((rice.breakdown["reach"] - 5.0).abs() < 1e-9);
        assert!((rice.breakdown["impact"] - 2.23).abs() < 1e-9);
    }

    #[test]
    fn doubling_effort_halves_the_score() {
        let mut acc = Accumulator::new(1, 0, 0, 1);
        add(&mut acc, "a", 3, 0.7, Some(10.0));
        for model in [Model::PainValue, Model::Rice] {
            let one = score_features(
                &acc,
                &[feature(1.0)],
                &Scoring::default(),
                model,
                &WINDOW,
                &weights(),
            );
            let two = score_features(
                &acc,
                &[feature(2.0)],
                &Scoring::default(),
                model,
                &WINDOW,
                &weights(),
            );
            assert!((one[0].score / 2.0 - two[0].score).abs() < 1e-12);
        }
    }
}
