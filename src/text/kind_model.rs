//! The kind model built into painmap, and how its verdict combines with the
//! hand-written rules.
//!
//! `build.rs` trains the model from `data/kind/` (see
//! [`train`](crate::text::train)) and writes its tables as Rust source;
//! this module includes them. The rules keep the last word where they are
//! near-certain: a kind the reporter picked in a form, a customer about to
//! leave. In an unrated item (a ticket, an issue) the model overrides the
//! rules' bug, request or question when it is very sure (p ≥ 0.9), and
//! decides where the rules find no such kind when it is sure (p ≥ 0.5). In
//! a rated review the rules keep bug, request and question, and the model
//! says only whether an item they leave alone is praise. Where the model is
//! unsure, the rules decide as they did before it.

use crate::item::Kind;
use crate::text::cues::{decide_kind, Asks, KindScores};
use crate::text::features::{Model, CLASSES, NCLASS};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/kind_model.rs"));
}

/// The model trained from `data/kind/` at build time.
pub fn builtin() -> Model<'static> {
    Model {
        bias: &generated::BIAS,
        slots: &generated::SLOTS,
        weights: &generated::WEIGHTS,
        names: &generated::NAMES,
    }
}

/// How many labelled items the built-in model was trained on (0 when the
/// build had no training data: then the rules decide alone).
pub fn builtin_examples() -> usize {
    generated::EXAMPLES
}

/// The model overrides the rules' bug, request or question at this
/// probability, and fills in where the rules find none at [`CONFIDENT`].
pub const OVERRIDE: f32 = 0.9;
pub const CONFIDENT: f32 = 0.5;

/// The class index of each kind the model knows.
pub fn class_of(kind: Kind) -> Option<usize> {
    CLASSES.iter().position(|c| *c == kind.to_string())
}

fn kind_of(class: usize) -> Kind {
    [Kind::Bug, Kind::Request, Kind::Question, Kind::Praise][class]
}

/// What decided an item's kind, for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    /// The churn rule: churn cues while the tone is not warm.
    ChurnRule,
    Model,
    /// The rules alone: no model, or the model unsure of every class.
    Rules,
    /// A review rated below [`PRAISE_MIN_RATING`] that rules or model
    /// called praise: its words are warm, its verdict is not.
    LowRating,
    /// An item the model called a bug whose every fault cue a "was fixed"
    /// settled: the fault is over ("the export crash was fixed, thanks").
    FixedSince,
}

/// The lowest review rating (on [0, 1]) an item called praise may have:
/// three stars, or 5 on NPS's 0–10. "Users love it but IT will not approve
/// it without SSO", with an NPS of 4, is not praise, and praise carries no
/// pain.
pub const PRAISE_MIN_RATING: f64 = 0.5;

impl Decider {
    pub fn name(self) -> &'static str {
        match self {
            Decider::ChurnRule => "churn rule",
            Decider::Model => "model",
            Decider::Rules => "rules",
            Decider::LowRating => "low rating",
            Decider::FixedSince => "fixed since",
        }
    }
}

/// Whether the model's verdict could change the kind the rules give: not
/// for churn, nor for a rated review the rules call a bug, request or
/// question. Scoring the model costs as much as the rest of tagging, so
/// the tagger skips it when it cannot matter.
pub fn may_change(rules: Kind, rated: bool) -> bool {
    match rules {
        Kind::ChurnRisk => false,
        Kind::Bug | Kind::Request | Kind::Question => !rated,
        _ => true,
    }
}

/// The last word on a verdict (`kind`, from `decider`): an item whose
/// fault cues were all fixed since is not a bug report but what the rules
/// make of the rest (`rules`), and a review rated below
/// [`PRAISE_MIN_RATING`] is not praise.
pub fn veto(
    kind: Kind,
    decider: Decider,
    rules: Kind,
    scores: &KindScores,
    review_rating: Option<f64>,
) -> (Kind, Decider) {
    let (kind, decider) = if kind == Kind::Bug && scores.bug == 0.0 && scores.settled > 0 {
        (rules, Decider::FixedSince)
    } else {
        (kind, decider)
    };
    if kind == Kind::Praise && review_rating.is_some_and(|r| r < PRAISE_MIN_RATING) {
        return (Kind::Other, Decider::LowRating);
    }
    (kind, decider)
}

/// The kind, from the model's probabilities (`None` without a model) and
/// the rules' evidence.
pub fn decide(
    probs: Option<&[f32; NCLASS]>,
    scores: &KindScores,
    sentiment: f64,
    asks: Asks,
    rated: bool,
) -> (Kind, Decider) {
    decide_after(probs, decide_kind(scores, sentiment, asks, rated), rated)
}

/// [`decide`], given the kind the rules decided (`decide_kind`).
pub fn decide_after(probs: Option<&[f32; NCLASS]>, rules: Kind, rated: bool) -> (Kind, Decider) {
    let Some(p) = probs else {
        return (rules, Decider::Rules);
    };
    if rules == Kind::ChurnRisk {
        return (rules, Decider::ChurnRule);
    }
    let actionable = matches!(rules, Kind::Bug | Kind::Request | Kind::Question);
    // The actionable kinds first: a review that praises and asks for more
    // is a request.
    let mut best = (0, p[0]);
    for (c, &pc) in p.iter().enumerate().take(3).skip(1) {
        if pc > best.1 {
            best = (c, pc);
        }
    }
    // In a rated review the rules keep bug, request and question: see
    // QUALITY.md (public review labels call many crash reports requests,
    // and our training data does not).
    if !rated && (best.1 >= OVERRIDE || (!actionable && best.1 >= CONFIDENT)) {
        return (kind_of(best.0), Decider::Model);
    }
    if actionable {
        return (rules, Decider::Rules);
    }
    if p[3] >= CONFIDENT {
        return (Kind::Praise, Decider::Model);
    }
    (rules, Decider::Rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(bug: f32, request: f32) -> KindScores {
        KindScores {
            bug,
            request,
            ..KindScores::default()
        }
    }

    #[test]
    fn the_rules_decide_without_a_model_and_keep_churn() {
        let s = scores(3.0, 0.0);
        assert_eq!(
            decide(None, &s, 0.0, Asks::default(), false),
            (Kind::Bug, Decider::Rules)
        );
        let churn = KindScores {
            churn: 6.0,
            ..KindScores::default()
        };
        let p = [0.1, 0.95, 0.1, 0.1];
        assert_eq!(
            decide(Some(&p), &churn, -0.5, Asks::default(), false).0,
            Kind::ChurnRisk
        );
    }

    #[test]
    fn a_bug_whose_faults_were_all_fixed_since_is_what_the_rules_say() {
        let settled = KindScores {
            praise: 1.0,
            settled: 1,
            ..KindScores::default()
        };
        assert_eq!(
            veto(Kind::Bug, Decider::Model, Kind::Praise, &settled, None),
            (Kind::Praise, Decider::FixedSince)
        );
        // A low rating still makes that praise other.
        assert_eq!(
            veto(
                Kind::Bug,
                Decider::Model,
                Kind::Praise,
                &settled,
                Some(0.25)
            ),
            (Kind::Other, Decider::LowRating)
        );
        // One fault still open keeps it a bug.
        let open = KindScores {
            bug: 3.0,
            ..settled
        };
        assert_eq!(
            veto(Kind::Bug, Decider::Model, Kind::Bug, &open, None),
            (Kind::Bug, Decider::Model)
        );
    }

    #[test]
    fn a_skipped_model_could_not_have_changed_the_kind() {
        let grid = [0.0, 0.3, 0.5, 0.7, 0.95];
        for (bug, request, churn) in [
            (3.0, 0.0, 0.0),
            (0.0, 2.0, 0.0),
            (0.0, 0.0, 6.0),
            (0.0, 0.0, 0.0),
        ] {
            let s = KindScores {
                bug,
                request,
                churn,
                ..KindScores::default()
            };
            for rated in [false, true] {
                for sentiment in [-0.6, 0.0, 0.6] {
                    let rules = decide_kind(&s, sentiment, Asks::default(), rated);
                    if may_change(rules, rated) {
                        continue;
                    }
                    let without = decide(None, &s, sentiment, Asks::default(), rated).0;
                    for &a in &grid {
                        for &b in &grid {
                            let p = [a, b, 1.0 - a, b];
                            let with = decide(Some(&p), &s, sentiment, Asks::default(), rated).0;
                            assert_eq!(with, without, "{s:?} rated={rated} p={p:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_sure_model_overrides_and_an_unsure_one_defers() {
        let s = scores(3.0, 0.0);
        let sure = [0.05, 0.95, 0.1, 0.0];
        let unsure = [0.3, 0.6, 0.1, 0.0];
        assert_eq!(
            decide(Some(&sure), &s, 0.0, Asks::default(), false),
            (Kind::Request, Decider::Model)
        );
        assert_eq!(
            decide(Some(&unsure), &s, 0.0, Asks::default(), false),
            (Kind::Bug, Decider::Rules)
        );
        // Where the rules find nothing, a sure model decides.
        let none = scores(0.0, 0.0);
        assert_eq!(
            decide(Some(&unsure), &none, 0.0, Asks::default(), false),
            (Kind::Request, Decider::Model)
        );
        // In a rated review the rules keep the actionable kinds.
        assert_eq!(
            decide(Some(&sure), &s, 0.0, Asks::default(), true),
            (Kind::Bug, Decider::Rules)
        );
        let praise = [0.1, 0.1, 0.0, 0.9];
        assert_eq!(
            decide(Some(&praise), &none, 0.0, Asks::default(), true),
            (Kind::Praise, Decider::Model)
        );
    }
}
