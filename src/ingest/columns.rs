//! Which export column feeds which item field.
//!
//! Columns are found by, in order: the source's `[sources.columns]`, the
//! preset's mapping, then generic header aliases, so that an export with
//! columns like `id,created_at,customer_email,account,plan,arr,rating,text`
//! needs no configuration at all.

use std::sync::Arc;

use crate::item::RatingScale;
use crate::roadmap::ColumnOverrides;

use super::presets::Preset;

/// Lower case, `[type]` suffixes dropped, runs of anything but letters and
/// digits turned into one `_`: `"Requester email"` → `requester_email`,
/// `"ARR [decimal]"` → `arr`.
pub fn normalize_header(h: &str) -> String {
    let h = h.trim().trim_start_matches('\u{feff}');
    let h = match (h.rfind('['), h.ends_with(']')) {
        (Some(i), true) if i > 0 => &h[..i],
        _ => h,
    };
    let mut out = String::with_capacity(h.len());
    for c in h.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

pub const ID_ALIASES: &[&str] = &[
    "id",
    "ticket_id",
    "review_id",
    "response_id",
    "respondent_id",
    "item_id",
    "feedback_id",
    "issue_key",
    "key",
    "number",
    "uuid",
];
pub const TITLE_ALIASES: &[&str] = &["title", "subject", "summary", "review_title", "headline"];
pub const TEXT_ALIASES: &[&str] = &[
    "text",
    "body",
    "comment",
    "comments",
    "message",
    "description",
    "content",
    "review",
    "review_text",
    "feedback",
    "verbatim",
    "note",
    "answer",
];
pub const DATE_ALIASES: &[&str] = &[
    "created_at",
    "created",
    "date",
    "timestamp",
    "submitted_at",
    "created_date",
    "createddate",
    "datetime",
    "time",
    "submitted",
    "review_date",
];
pub const CUSTOMER_ALIASES: &[&str] = &[
    "customer",
    "customer_email",
    "email",
    "user",
    "user_email",
    "requester_email",
    "author",
    "reviewer",
    "customer_id",
    "user_id",
    "contact",
    "contact_email",
    "username",
    "nickname",
];
pub const ACCOUNT_ALIASES: &[&str] = &[
    "account",
    "company",
    "organization",
    "organisation",
    "org",
    "account_name",
    "company_name",
];
pub const VALUE_ALIASES: &[&str] = &[
    "arr",
    "mrr",
    "revenue",
    "value",
    "account_value",
    "acv",
    "contract_value",
];
pub const RATING_ALIASES: &[&str] = &[
    "rating",
    "score",
    "nps",
    "stars",
    "csat",
    "nps_score",
    "star_rating",
    "csat_score",
    "satisfaction",
];
pub const SEGMENT_ALIASES: &[&str] = &[
    "plan",
    "segment",
    "tier",
    "plan_name",
    "subscription",
    "customer_segment",
];
pub const STAGE_ALIASES: &[&str] = &["stage", "journey_stage"];
pub const PERSONA_ALIASES: &[&str] = &["persona"];
pub const KIND_ALIASES: &[&str] = &[
    "kind",
    "type",
    "ticket_type",
    "issue_type",
    "feedback_type",
    "category",
];

/// How a rating column's scale is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Known(RatingScale),
    /// A column named just `rating` or `score`: 1–5 reads as stars, 0 and
    /// 6–10 as NPS, 11–100 as a percentage.
    Guess,
}

impl Scale {
    pub fn normalize(self, raw: f64) -> Option<f64> {
        match self {
            Scale::Known(s) => s.normalize(raw),
            Scale::Guess if (1.0..=5.0).contains(&raw) => RatingScale::Stars.normalize(raw),
            Scale::Guess if (0.0..=10.0).contains(&raw) => RatingScale::Nps.normalize(raw),
            Scale::Guess => RatingScale::Percent.normalize(raw),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Scale::Known(s) => s.name(),
            Scale::Guess => "guessed from the value",
        }
    }

    fn from_header(h: &str) -> Scale {
        if h.contains("nps") || h.contains("recommend") {
            Scale::Known(RatingScale::Nps)
        } else if h.contains("star") {
            Scale::Known(RatingScale::Stars)
        } else if h.contains("csat") || h.contains("satisfaction") {
            Scale::Known(RatingScale::Csat)
        } else {
            Scale::Guess
        }
    }
}

/// Column indexes for one header row.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    pub id: Option<usize>,
    /// Joined in order to make the item's text (e.g. subject, then body).
    pub text: Vec<usize>,
    pub created_at: Option<usize>,
    pub customer: Option<usize>,
    pub account: Option<usize>,
    pub value: Option<usize>,
    pub rating: Option<(usize, Scale)>,
    pub segment: Option<usize>,
    pub stage: Option<usize>,
    pub persona: Option<usize>,
    pub kind: Option<usize>,
    /// Columns persona rules refer to.
    pub extra: Vec<(Arc<str>, usize)>,
}

/// Why no map could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnError {
    /// An override names a column the export does not have.
    MissingOverride {
        field: &'static str,
        column: String,
    },
    NoText,
}

impl ColumnMap {
    /// Resolves a header row. `wanted` lists the normalized field names that
    /// persona `match` rules use.
    pub fn resolve(
        headers: &[String],
        overrides: &ColumnOverrides,
        preset: Option<&Preset>,
        wanted: &[String],
    ) -> Result<ColumnMap, ColumnError> {
        let norm: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
        let find_exact = |name: &str| -> Option<usize> {
            headers.iter().position(|h| h.trim() == name).or_else(|| {
                let n = normalize_header(name);
                norm.iter().position(|h| *h == n)
            })
        };
        let find_alias = |aliases: &[&str]| -> Option<usize> {
            aliases
                .iter()
                .find_map(|a| norm.iter().position(|h| h == a))
        };
        let over = |field: &'static str,
                    name: &Option<String>|
         -> Result<Option<usize>, ColumnError> {
            match name {
                Some(n) => find_exact(n)
                    .map(Some)
                    .ok_or_else(|| ColumnError::MissingOverride {
                        field,
                        column: n.clone(),
                    }),
                None => Ok(None),
            }
        };
        let preset_col = |f: fn(&Preset) -> &'static [&'static str]| -> Option<usize> {
            preset.and_then(|p| f(p).iter().find_map(|name| find_exact(name)))
        };

        let mut map = ColumnMap {
            id: over("id", &overrides.id)?
                .or_else(|| preset_col(|p| p.id))
                .or_else(|| find_alias(ID_ALIASES)),
            created_at: over("created_at", &overrides.created_at)?
                .or_else(|| preset_col(|p| p.created_at))
                .or_else(|| find_alias(DATE_ALIASES)),
            customer: over("customer", &overrides.customer)?
                .or_else(|| preset_col(|p| p.customer))
                .or_else(|| find_alias(CUSTOMER_ALIASES))
                .or_else(|| norm.iter().position(|h| h.ends_with("_email"))),
            account: over("account", &overrides.account)?
                .or_else(|| preset_col(|p| p.account))
                .or_else(|| find_alias(ACCOUNT_ALIASES)),
            value: over("value", &overrides.value)?
                .or_else(|| preset_col(|p| p.value))
                .or_else(|| find_alias(VALUE_ALIASES)),
            segment: over("plan", &overrides.plan)?
                .or_else(|| preset_col(|p| p.segment))
                .or_else(|| find_alias(SEGMENT_ALIASES)),
            stage: over("stage", &overrides.stage)?.or_else(|| find_alias(STAGE_ALIASES)),
            persona: over("persona", &overrides.persona)?.or_else(|| find_alias(PERSONA_ALIASES)),
            kind: over("kind", &overrides.kind)?
                .or_else(|| preset_col(|p| p.kind))
                .or_else(|| find_alias(KIND_ALIASES)),
            ..ColumnMap::default()
        };

        let rating = over("rating", &overrides.rating)?
            .or_else(|| preset_col(|p| p.rating))
            .or_else(|| find_alias(RATING_ALIASES));
        map.rating = rating.map(|i| {
            let scale = overrides
                .rating_scale
                .map(Scale::Known)
                .or_else(|| preset.and_then(|p| p.rating_scale).map(Scale::Known))
                .unwrap_or_else(|| Scale::from_header(&norm[i]));
            (i, scale)
        });

        map.text = match &overrides.text {
            Some(cols) => {
                let mut v = Vec::new();
                for c in cols.to_vec() {
                    v.push(find_exact(&c).ok_or(ColumnError::MissingOverride {
                        field: "text",
                        column: c.clone(),
                    })?);
                }
                v
            }
            None => {
                let from_preset: Vec<usize> = preset
                    .map(|p| p.text.iter().filter_map(|n| find_exact(n)).collect())
                    .unwrap_or_default();
                if !from_preset.is_empty() {
                    from_preset
                } else {
                    find_alias(TITLE_ALIASES)
                        .into_iter()
                        .chain(find_alias(TEXT_ALIASES))
                        .collect()
                }
            }
        };
        if map.text.is_empty() {
            return Err(ColumnError::NoText);
        }
        for w in wanted {
            if let Some(i) = norm.iter().position(|h| h == w) {
                map.extra.push((Arc::from(w.as_str()), i));
            }
        }
        Ok(map)
    }

    /// A one-line description of the mapping, for `--verbose`.
    pub fn describe(&self, headers: &[String]) -> String {
        let name = |i: usize| headers.get(i).map_or("?", |s| s.as_str()).to_string();
        let mut parts = vec![format!(
            "text={}",
            self.text
                .iter()
                .map(|&i| name(i))
                .collect::<Vec<_>>()
                .join("+")
        )];
        for (field, col) in [
            ("id", self.id),
            ("created_at", self.created_at),
            ("customer", self.customer),
            ("account", self.account),
            ("value", self.value),
            ("plan", self.segment),
            ("stage", self.stage),
            ("persona", self.persona),
            ("kind", self.kind),
        ] {
            if let Some(i) = col {
                parts.push(format!("{field}={}", name(i)));
            }
        }
        if let Some((i, scale)) = self.rating {
            parts.push(format!("rating={} ({})", name(i), scale.name()));
        }
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(s: &str) -> Vec<String> {
        s.split(',').map(String::from).collect()
    }

    #[test]
    fn normalizes_headers() {
        assert_eq!(normalize_header("Requester email"), "requester_email");
        assert_eq!(normalize_header("ARR [decimal]"), "arr");
        assert_eq!(normalize_header("\u{feff}Id"), "id");
        assert_eq!(normalize_header("  Date/Time Opened "), "date_time_opened");
    }

    #[test]
    fn generic_headers_need_no_configuration() {
        let h = headers("id,created_at,customer_email,account,plan,arr,channel,rating,text");
        let m =
            ColumnMap::resolve(&h, &ColumnOverrides::default(), None, &["channel".into()]).unwrap();
        assert_eq!(m.id, Some(0));
        assert_eq!(m.created_at, Some(1));
        assert_eq!(m.customer, Some(2));
        assert_eq!(m.account, Some(3));
        assert_eq!(m.segment, Some(4));
        assert_eq!(m.value, Some(5));
        assert_eq!(m.rating, Some((7, Scale::Guess)));
        assert_eq!(m.text, vec![8]);
        assert_eq!(m.extra.len(), 1);
    }

    #[test]
    fn title_comes_before_body() {
        let h = headers("Title,Review,Stars");
        let m = ColumnMap::resolve(&h, &ColumnOverrides::default(), None, &[]).unwrap();
        assert_eq!(m.text, vec![0, 1]);
        assert_eq!(m.rating, Some((2, Scale::Known(RatingScale::Stars))));
    }

    #[test]
    fn overrides_win_and_must_exist() {
        let h = headers("Subject,Body,Notes");
        let o = ColumnOverrides {
            text: Some(crate::roadmap::OneOrMany::One("Notes".into())),
            ..ColumnOverrides::default()
        };
        assert_eq!(ColumnMap::resolve(&h, &o, None, &[]).unwrap().text, vec![2]);
        let o = ColumnOverrides {
            id: Some("Ticket".into()),
            ..ColumnOverrides::default()
        };
        assert_eq!(
            ColumnMap::resolve(&h, &o, None, &[]).unwrap_err(),
            ColumnError::MissingOverride {
                field: "id",
                column: "Ticket".into()
            }
        );
    }

    #[test]
    fn no_text_column_is_an_error() {
        let h = headers("id,date,score");
        assert_eq!(
            ColumnMap::resolve(&h, &ColumnOverrides::default(), None, &[]).unwrap_err(),
            ColumnError::NoText
        );
    }

    #[test]
    fn guessed_scales() {
        assert_eq!(Scale::Guess.normalize(5.0), Some(1.0));
        assert_eq!(Scale::Guess.normalize(0.0), Some(0.0));
        assert_eq!(Scale::Guess.normalize(8.0), Some(0.8));
        assert_eq!(Scale::Guess.normalize(50.0), Some(0.5));
        assert_eq!(Scale::Guess.normalize(-1.0), None);
    }
}
