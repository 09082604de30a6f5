//! The feedback item: what every export row becomes, whatever its shape.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// One piece of feedback, normalized from a CSV row or a JSON object.
#[derive(Debug, Clone, Default)]
pub struct Item {
    /// Index of the source this item came from (into the run's source list).
    pub source: usize,
    /// Where in the source: the line for CSV and JSON Lines, the element
    /// number for a JSON array.
    pub line: u64,
    /// The export's own id, or `line` when it has none.
    pub id: String,
    pub text: String,
    /// Seconds since the Unix epoch, UTC.
    pub created_at: Option<i64>,
    pub customer: Option<String>,
    pub account: Option<String>,
    /// Account value (ARR or similar), in the export's currency.
    pub value: Option<f64>,
    /// Rating normalized to [0, 1], 1 the best.
    pub rating: Option<f64>,
    /// The rating grades a support conversation (CSAT, customer effort, a
    /// ticket's satisfaction), not the product. It still counts toward
    /// pain, but it does not make the item a review: the kind is judged as
    /// for an unrated ticket.
    pub rates_support: bool,
    /// Plan, segment or tier, lower case.
    pub segment: Option<String>,
    /// Explicit tags from the export, when it has them.
    pub stage: Option<String>,
    pub persona: Option<String>,
    pub kind: Option<Kind>,
    /// People who endorsed the item without writing it (GitHub reactions,
    /// Jira votes): each counts as one more customer asking. See
    /// `docs/PRESETS.md`.
    pub votes: u32,
    /// Features the export already links this item to, by id or title,
    /// lower case (Productboard's `feature_name`, `feature_id`).
    pub feature_refs: Vec<String>,
    /// Fields that persona `match` rules refer to, by normalized header name.
    pub fields: Vec<(Arc<str>, String)>,
}

impl Item {
    /// The field a persona rule names: the item's own plan/segment and
    /// explicit columns first, then any other column by its header.
    pub fn field(&self, name: &str) -> Option<&str> {
        match name {
            "plan" | "segment" | "tier" => self.segment.as_deref(),
            "account" | "company" | "organization" => self.account.as_deref(),
            "customer" => self.customer.as_deref(),
            _ => self
                .fields
                .iter()
                .find(|(k, _)| &**k == name)
                .map(|(_, v)| v.as_str()),
        }
    }
}

/// What a piece of feedback is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Bug,
    Request,
    Question,
    Praise,
    ChurnRisk,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Bug,
        Kind::Request,
        Kind::Question,
        Kind::Praise,
        Kind::ChurnRisk,
        Kind::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Bug => "bug",
            Kind::Request => "request",
            Kind::Question => "question",
            Kind::Praise => "praise",
            Kind::ChurnRisk => "churn-risk",
            Kind::Other => "other",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// Maps the kind vocabularies of helpdesks and trackers (Zendesk ticket
    /// types, Jira issue types, GitHub labels) onto painmap's kinds.
    /// Vague types such as "task" give no answer, so the text decides.
    pub fn from_label(label: &str) -> Option<Kind> {
        let l = label.trim().to_ascii_lowercase();
        let l = l.as_str();
        Some(match l {
            "bug" | "defect" | "incident" | "problem" | "error" | "crash" | "type: bug"
            | "kind/bug" => Kind::Bug,
            "request" | "feature" | "feature request" | "feature-request" | "enhancement"
            | "story" | "improvement" | "new feature" | "idea" | "suggestion" | "type: feature"
            | "kind/feature" => Kind::Request,
            "question" | "how-to" | "howto" | "support" | "help" | "type: question" => {
                Kind::Question
            }
            "praise" | "compliment" | "kudos" => Kind::Praise,
            "churn-risk" | "churn risk" | "churn" | "cancellation" | "cancel" => Kind::ChurnRisk,
            "other" => Kind::Other,
            _ => return None,
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The scale an export's rating column is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RatingScale {
    /// 1–5 stars (app stores).
    Stars,
    /// 0–10 likelihood to recommend.
    Nps,
    /// 1–5 satisfaction.
    Csat,
    /// 1–10.
    Ten,
    /// 1–7 customer effort score, 7 the easiest.
    Ces,
    /// 0–100.
    Percent,
}

impl RatingScale {
    pub fn range(self) -> (f64, f64) {
        match self {
            RatingScale::Stars | RatingScale::Csat => (1.0, 5.0),
            RatingScale::Nps => (0.0, 10.0),
            RatingScale::Ten => (1.0, 10.0),
            RatingScale::Ces => (1.0, 7.0),
            RatingScale::Percent => (0.0, 100.0),
        }
    }

    /// The rating as a share of the scale, 0 the worst and 1 the best, or
    /// `None` when it is off the scale.
    pub fn normalize(self, raw: f64) -> Option<f64> {
        let (lo, hi) = self.range();
        if !raw.is_finite() || raw < lo || raw > hi {
            return None;
        }
        Some((raw - lo) / (hi - lo))
    }

    /// Whether a rating on this scale grades a support conversation rather
    /// than the product.
    pub fn grades_support(self) -> bool {
        matches!(self, RatingScale::Csat | RatingScale::Ces)
    }

    pub fn name(self) -> &'static str {
        match self {
            RatingScale::Stars => "stars",
            RatingScale::Nps => "nps",
            RatingScale::Csat => "csat",
            RatingScale::Ten => "ten",
            RatingScale::Ces => "ces",
            RatingScale::Percent => "percent",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_normalize_to_unit_interval() {
        assert_eq!(RatingScale::Stars.normalize(1.0), Some(0.0));
        assert_eq!(RatingScale::Stars.normalize(5.0), Some(1.0));
        assert_eq!(RatingScale::Nps.normalize(6.0), Some(0.6));
        assert_eq!(RatingScale::Stars.normalize(0.0), None);
        assert_eq!(RatingScale::Nps.normalize(11.0), None);
        assert_eq!(RatingScale::Nps.normalize(f64::NAN), None);
    }

    #[test]
    fn tracker_labels_map_to_kinds() {
        assert_eq!(Kind::from_label("Incident"), Some(Kind::Bug));
        assert_eq!(Kind::from_label("enhancement"), Some(Kind::Request));
        assert_eq!(Kind::from_label("question"), Some(Kind::Question));
        assert_eq!(Kind::from_label("task"), None);
    }
}
