//! Which export column feeds which item field.
//!
//! Columns are found by, in order: the source's `[sources.columns]`, the
//! preset's mapping, then generic header aliases, so that an export with
//! columns like `id,created_at,customer_email,account,plan,arr,rating,text`
//! needs no configuration at all.

use std::sync::Arc;

use crate::item::RatingScale;
use crate::roadmap::{ColumnOverrides, OneOrMany};

use super::presets::{Clean, Preset, RatingWords, ScaleNames};

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

    /// See [`RatingScale::grades_support`]; a guessed scale is taken to
    /// rate the product.
    pub fn grades_support(self) -> bool {
        matches!(self, Scale::Known(s) if s.grades_support())
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
    /// Read when `created_at` is empty in a row (a partial survey response
    /// has a start date but no submit date).
    pub created_at_else: Vec<usize>,
    pub customer: Option<usize>,
    /// Read in order when `customer` is empty in a row: the preset's other
    /// customer columns (a ticket with no requester e-mail still names the
    /// requester), or a survey's e-mail question.
    pub customer_else: Vec<usize>,
    pub account: Option<usize>,
    /// The same for `account`.
    pub account_else: Vec<usize>,
    pub value: Option<usize>,
    pub rating: Option<(usize, Scale)>,
    /// A column naming each row's rating scale, and what its values mean.
    pub scale_by: Option<(usize, ScaleNames)>,
    /// A column of word ratings, used when `rating` gives none.
    pub rating_words: Option<(usize, RatingWords)>,
    pub segment: Option<usize>,
    /// Read in order when `segment` is empty in a row: the other choice
    /// columns of a survey's plan question, one per choice.
    pub segment_else: Vec<usize>,
    pub stage: Option<usize>,
    pub persona: Option<usize>,
    /// Tried in order; the first label that names a kind wins.
    pub kind: Vec<usize>,
    /// Summed into the item's votes.
    pub votes: Vec<usize>,
    /// Features the export links the item to.
    pub feature: Vec<usize>,
    /// Cells that need cleaning before use, by column.
    pub clean: Vec<(usize, Clean)>,
    /// Columns persona rules refer to.
    pub extra: Vec<(Arc<str>, usize)>,
}

/// Why no map could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnError {
    /// Overrides that name columns the export does not have: each field
    /// with the column it names, in the order of the fields.
    MissingOverrides(Vec<(&'static str, String)>),
    NoText,
}

/// A header row, searchable by the export's own names and by normalized
/// names. Every lookup returns all positions: Jira repeats a column name
/// once per value.
struct Headers<'h> {
    raw: &'h [String],
    norm: Vec<String>,
    /// Columns that overrides or the preset claim: generic names never
    /// pick them for another field (HubSpot's `Value` is a rating, not an
    /// account value; App Store's `type` is not a kind).
    taken: Vec<usize>,
}

impl Headers<'_> {
    fn all(&self, name: &str) -> Vec<usize> {
        let exact: Vec<usize> = (0..self.raw.len())
            .filter(|&i| self.raw[i].trim() == name)
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        let n = normalize_header(name);
        if n.is_empty() {
            return Vec::new();
        }
        (0..self.norm.len())
            .filter(|&i| self.norm[i] == n)
            .collect()
    }

    fn first(&self, name: &str) -> Option<usize> {
        self.all(name).first().copied()
    }

    /// The first listed name that the header has.
    fn first_of(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.first(n))
    }

    /// Every position of every listed name, in list order.
    fn all_of(&self, names: &[&str]) -> Vec<usize> {
        let mut out = Vec::new();
        for n in names {
            for i in self.all(n) {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    }

    fn alias(&self, aliases: &[&str]) -> Option<usize> {
        aliases.iter().find_map(|a| self.free(|h| h == *a))
    }

    /// The first column not taken whose normalized name passes `test`.
    fn free(&self, test: impl Fn(&str) -> bool) -> Option<usize> {
        (0..self.norm.len()).find(|&i| !self.taken.contains(&i) && test(&self.norm[i]))
    }

    fn claim(&mut self, overrides: &ColumnOverrides, preset: Option<&Preset>) {
        let mut taken = Vec::new();
        for name in [
            &overrides.id,
            &overrides.created_at,
            &overrides.customer,
            &overrides.account,
            &overrides.value,
            &overrides.rating,
            &overrides.plan,
            &overrides.stage,
            &overrides.persona,
            &overrides.kind,
        ]
        .into_iter()
        .flatten()
        {
            taken.extend(self.all(name));
        }
        for c in overrides.text.iter().flat_map(|t| t.to_vec()) {
            taken.extend(self.all(&c));
        }
        if let Some(p) = preset {
            for list in [
                p.id,
                p.text,
                p.created_at,
                p.customer,
                p.account,
                p.value,
                p.rating,
                p.segment,
                p.kind,
                p.votes,
                p.feature,
                p.scale_by.0,
                p.rating_words.0,
            ]
            .into_iter()
            .chain(p.signatures.iter().copied())
            {
                taken.extend(self.all_of(list));
            }
        }
        taken.sort_unstable();
        taken.dedup();
        self.taken = taken;
    }
}

impl ColumnMap {
    /// Resolves a header row. `wanted` lists the normalized field names that
    /// persona `match` rules use.
    pub fn resolve(
        headers: &[String],
        overrides: &ColumnOverrides,
        preset: Option<&'static Preset>,
        wanted: &[String],
    ) -> Result<ColumnMap, ColumnError> {
        let mut h = Headers {
            raw: headers,
            norm: headers.iter().map(|x| normalize_header(x)).collect(),
            taken: Vec::new(),
        };
        h.claim(overrides, preset);
        let h = h;
        // Every override that names no column, not only the first.
        let named = [
            ("id", &overrides.id),
            ("created_at", &overrides.created_at),
            ("customer", &overrides.customer),
            ("account", &overrides.account),
            ("value", &overrides.value),
            ("plan", &overrides.plan),
            ("stage", &overrides.stage),
            ("persona", &overrides.persona),
            ("rating", &overrides.rating),
            ("kind", &overrides.kind),
        ];
        let texts = overrides
            .text
            .as_ref()
            .map(OneOrMany::to_vec)
            .unwrap_or_default();
        let missing: Vec<(&'static str, String)> = texts
            .iter()
            .map(|c| ("text", c))
            .chain(
                named
                    .iter()
                    .filter_map(|(f, n)| n.as_ref().map(|n| (*f, n))),
            )
            .filter(|(_, n)| h.first(n).is_none())
            .map(|(f, n)| (f, n.clone()))
            .collect();
        if !missing.is_empty() {
            return Err(ColumnError::MissingOverrides(missing));
        }
        // Each override names a column now, checked above.
        let over = |name: &Option<String>| name.as_ref().and_then(|n| h.first(n));
        let preset_col = |f: fn(&Preset) -> &'static [&'static str]| -> Option<usize> {
            preset.and_then(|p| h.first_of(f(p)))
        };
        let survey = preset.filter(|p| p.survey).map(|p| Survey::new(&h, p));
        let survey_col = |f: fn(&Survey) -> Option<usize>| survey.as_ref().and_then(f);

        let mut map = ColumnMap {
            id: over(&overrides.id)
                .or_else(|| preset_col(|p| p.id))
                .or_else(|| h.alias(ID_ALIASES)),
            created_at: over(&overrides.created_at)
                .or_else(|| preset_col(|p| p.created_at))
                .or_else(|| h.alias(DATE_ALIASES)),
            customer: over(&overrides.customer)
                .or_else(|| preset_col(|p| p.customer))
                .or_else(|| survey_col(|s| s.email))
                .or_else(|| h.alias(CUSTOMER_ALIASES))
                .or_else(|| h.free(|x| x.ends_with("_email"))),
            account: over(&overrides.account)
                .or_else(|| preset_col(|p| p.account))
                .or_else(|| survey_col(|s| s.company))
                .or_else(|| h.alias(ACCOUNT_ALIASES)),
            value: over(&overrides.value)
                .or_else(|| preset_col(|p| p.value))
                .or_else(|| h.alias(VALUE_ALIASES)),
            segment: over(&overrides.plan)
                .or_else(|| preset_col(|p| p.segment))
                .or_else(|| survey_col(|s| s.plan.first().copied()))
                .or_else(|| h.alias(SEGMENT_ALIASES)),
            stage: over(&overrides.stage).or_else(|| h.alias(STAGE_ALIASES)),
            persona: over(&overrides.persona).or_else(|| h.alias(PERSONA_ALIASES)),
            ..ColumnMap::default()
        };
        map.kind = match &overrides.kind {
            Some(n) => h.all(n),
            None => preset.map(|p| h.all_of(p.kind)).unwrap_or_default(),
        };
        if map.kind.is_empty() {
            map.kind.extend(h.alias(KIND_ALIASES));
        }

        let rating = over(&overrides.rating)
            .or_else(|| preset_col(|p| p.rating))
            .map(|i| (i, None))
            .or_else(|| survey.as_ref().and_then(|s| s.rating))
            .or_else(|| h.alias(RATING_ALIASES).map(|i| (i, None)));
        map.rating = rating.map(|(i, survey_scale)| {
            let scale = overrides
                .rating_scale
                .map(Scale::Known)
                .or_else(|| preset.and_then(|p| p.rating_scale).map(Scale::Known))
                .or(survey_scale)
                .unwrap_or_else(|| Scale::from_header(&h.norm[i]));
            (i, scale)
        });
        if let Some(p) = preset {
            if overrides.rating_scale.is_none() {
                map.scale_by = h.first_of(p.scale_by.0).map(|i| (i, p.scale_by.1));
            }
            if overrides.rating.is_none() {
                map.rating_words = h.first_of(p.rating_words.0).map(|i| (i, p.rating_words.1));
            }
            let others = |names: &[&str], survey: Option<usize>, chosen: Option<usize>| {
                let mut v: Vec<usize> = h.all_of(names);
                v.extend(survey);
                v.retain(|&i| Some(i) != chosen);
                v.dedup();
                v
            };
            if overrides.created_at.is_none() {
                map.created_at_else = others(p.created_at, None, map.created_at);
            }
            if overrides.customer.is_none() {
                let email = survey.as_ref().and_then(|s| s.email);
                map.customer_else = others(p.customer, email, map.customer);
            }
            if overrides.account.is_none() {
                let company = survey.as_ref().and_then(|s| s.company);
                map.account_else = others(p.account, company, map.account);
            }
            if let (None, Some(s)) = (&overrides.plan, &survey) {
                // A multiple-choice plan question spreads over a column per
                // choice, each blank but the one chosen.
                map.segment_else = s
                    .plan
                    .iter()
                    .copied()
                    .filter(|&i| Some(i) != map.segment)
                    .collect();
            }
            map.votes = h.all_of(p.votes);
            map.feature = h.all_of(p.feature);
            for (name, clean) in p.clean {
                for i in h.all(name) {
                    map.clean.push((i, *clean));
                }
            }
        }

        map.text = match &overrides.text {
            Some(cols) => {
                let mut v = Vec::new();
                for c in cols.to_vec() {
                    v.extend(h.all(&c));
                }
                v
            }
            None => {
                let from_preset = preset.map(|p| h.all_of(p.text)).unwrap_or_default();
                if !from_preset.is_empty() {
                    from_preset
                } else if let Some(s) = &survey {
                    s.text.clone()
                } else {
                    h.alias(TITLE_ALIASES)
                        .into_iter()
                        .chain(h.alias(TEXT_ALIASES))
                        .collect()
                }
            }
        };
        if map.text.is_empty() {
            return Err(ColumnError::NoText);
        }
        for w in wanted {
            if let Some(i) = h.norm.iter().position(|x| x == w) {
                map.extra.push((Arc::from(w.as_str()), i));
            }
        }
        Ok(map)
    }

    /// Columns the map reads whose name another, unread column shares
    /// once names are normalized (`Text` and `TEXT`, `Customer email` and
    /// `customer_email`): the field, the column read and the one ignored.
    pub fn shadowed(&self, headers: &[String]) -> Vec<(&'static str, usize, usize)> {
        let mut read: Vec<(&'static str, usize)> = Vec::new();
        read.extend(self.text.iter().map(|&i| ("text", i)));
        read.extend(self.kind.iter().map(|&i| ("kind", i)));
        for (field, col) in [
            ("id", self.id),
            ("created_at", self.created_at),
            ("customer", self.customer),
            ("account", self.account),
            ("value", self.value),
            ("rating", self.rating.map(|(i, _)| i)),
            ("plan", self.segment),
            ("stage", self.stage),
            ("persona", self.persona),
        ] {
            read.extend(col.map(|i| (field, i)));
        }
        let norm: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
        let mut out = Vec::new();
        for &(field, i) in &read {
            let Some(name) = norm.get(i).filter(|n| !n.is_empty()) else {
                continue;
            };
            let ignored = norm
                .iter()
                .enumerate()
                .find(|&(j, n)| j != i && n == name && !read.iter().any(|&(_, k)| k == j));
            if let Some((j, _)) = ignored {
                out.push((field, i, j));
            }
        }
        out
    }

    /// How a column's cells are cleaned, if they are.
    pub fn clean_of(&self, i: usize) -> Option<Clean> {
        self.clean.iter().find(|(c, _)| *c == i).map(|(_, k)| *k)
    }

    /// A one-line description of the mapping, for `--verbose`.
    pub fn describe(&self, headers: &[String]) -> String {
        let name = |i: usize| headers.get(i).map_or("?", |s| s.as_str()).to_string();
        let list = |cols: &[usize], sep: &str| {
            let mut names: Vec<String> = Vec::new();
            for &i in cols {
                let n = name(i);
                match names.iter_mut().find(|x| x.trim_end_matches(" (all)") == n) {
                    Some(x) if !x.ends_with(" (all)") => x.push_str(" (all)"),
                    Some(_) => {}
                    None => names.push(n),
                }
            }
            names.join(sep)
        };
        let mut parts = vec![format!("text={}", list(&self.text, "+"))];
        // A field's column, then those read when it is blank in a row.
        let fields: [(&str, Option<usize>, &[usize]); 6] = [
            ("created_at", self.created_at, &self.created_at_else),
            ("id", self.id, &[]),
            ("customer", self.customer, &self.customer_else),
            ("account", self.account, &self.account_else),
            ("value", self.value, &[]),
            ("plan", self.segment, &self.segment_else),
        ];
        for (field, first, rest) in fields {
            if let Some(i) = first {
                let mut cols = vec![i];
                cols.extend(rest);
                parts.push(format!("{field}={}", list(&cols, ", else ")));
            }
        }
        for (field, col) in [("stage", self.stage), ("persona", self.persona)] {
            if let Some(i) = col {
                parts.push(format!("{field}={}", name(i)));
            }
        }
        if !self.kind.is_empty() {
            parts.push(format!("kind={}", list(&self.kind, ", then ")));
        }
        if let Some((i, scale)) = self.rating {
            match self.scale_by {
                Some((by, _)) => parts.push(format!("rating={} (scale by {})", name(i), name(by))),
                None => parts.push(format!("rating={} ({})", name(i), scale.name())),
            }
        }
        if let Some((i, _)) = self.rating_words {
            parts.push(format!("rating words={}", name(i)));
        }
        if !self.votes.is_empty() {
            parts.push(format!("votes={}", list(&self.votes, "+")));
        }
        if !self.feature.is_empty() {
            parts.push(format!("linked feature={}", list(&self.feature, " or ")));
        }
        parts.join(", ")
    }
}

/// The columns of a survey export found by the wording of their questions.
struct Survey {
    rating: Option<(usize, Option<Scale>)>,
    text: Vec<usize>,
    email: Option<usize>,
    company: Option<usize>,
    /// Every column of the plan question: one, or one per choice.
    plan: Vec<usize>,
}

/// Words of open questions: "Why did you give that score?", "What is the
/// main reason…", "How could we improve?", "Anything else?".
const OPEN_CUES: &[&str] = &[
    "why",
    "reason",
    "improve",
    "better",
    "feedback",
    "comment",
    "comments",
    "suggest",
    "suggestion",
    "suggestions",
    "anything",
    "tell",
    "explain",
    "describe",
    "missing",
    "disappoint",
    "disappointed",
    "change",
    "wish",
    "frustrating",
    "love",
];

/// Words of questions about the respondent, never open feedback.
const IDENTITY_CUES: &[&str] = &[
    "email",
    "name",
    "phone",
    "company",
    "organization",
    "organisation",
    "role",
    "plan",
    "job",
    "title",
    "country",
    "age",
];

impl Survey {
    fn new(h: &Headers<'_>, preset: &Preset) -> Survey {
        let meta: Vec<String> = preset.meta.iter().map(|m| normalize_header(m)).collect();
        let questions: Vec<(usize, Vec<&str>)> = h
            .norm
            .iter()
            .enumerate()
            .filter(|(i, n)| !n.is_empty() && !meta.contains(n) && h.raw[*i].trim() != "#")
            .map(|(i, n)| (i, n.split('_').collect()))
            .collect();
        let has = |words: &[&str], cues: &[&str]| words.iter().any(|w| cues.contains(w));
        let find = |cue: &str| {
            questions
                .iter()
                .find(|(_, w)| w.contains(&cue))
                .map(|(i, _)| *i)
        };
        let rating = find("recommend")
            .or_else(|| find("nps"))
            .map(|i| (i, Some(Scale::Known(RatingScale::Nps))))
            .or_else(|| {
                questions
                    .iter()
                    .find(|(_, w)| has(w, &["rate", "rating", "satisfied", "satisfaction"]))
                    .map(|(i, _)| (*i, None))
            });
        let text = questions
            .iter()
            .filter(|(i, w)| {
                Some(*i) != rating.map(|r| r.0) && has(w, OPEN_CUES) && !has(w, IDENTITY_CUES)
            })
            .map(|(i, _)| *i)
            .collect();
        Survey {
            rating,
            text,
            email: find("email"),
            company: find("company")
                .or_else(|| find("organization"))
                .or_else(|| find("organisation")),
            plan: questions
                .iter()
                .filter(|(_, w)| w.contains(&"plan"))
                .map(|(i, _)| *i)
                .collect(),
        }
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
            ColumnError::MissingOverrides(vec![("id", "Ticket".into())])
        );
        // Every missing one, text first, then in the order of the fields.
        let o = ColumnOverrides {
            text: Some(OneOrMany::Many(vec![
                "Message".into(),
                "Body".into(),
                "Comment".into(),
            ])),
            value: Some("ARR".into()),
            customer: Some("Email".into()),
            ..ColumnOverrides::default()
        };
        assert_eq!(
            ColumnMap::resolve(&h, &o, None, &[]).unwrap_err(),
            ColumnError::MissingOverrides(vec![
                ("text", "Message".into()),
                ("text", "Comment".into()),
                ("customer", "Email".into()),
                ("value", "ARR".into()),
            ])
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
