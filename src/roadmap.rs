//! `roadmap.toml`: the model, loading, and validation.
//!
//! Parsing is strict (`deny_unknown_fields`) because a misspelled key that is
//! silently ignored would change a ranking without anyone noticing. Every
//! error names the file, the line and column, and the valid choices.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::suggest::did_you_mean;

/// A roadmap that has been parsed and validated: every id is unique, every
/// reference resolves, every number is in range.
#[derive(Debug, Clone)]
pub struct Roadmap {
    /// Where it was read from; `[[sources]]` paths are relative to its folder.
    pub path: PathBuf,
    pub product: String,
    pub scoring: Scoring,
    pub stages: Vec<Stage>,
    pub personas: Vec<Persona>,
    pub features: Vec<Feature>,
    pub sources: Vec<SourceSpec>,
    /// `[check]`: how strict `painmap check` is.
    pub check: CheckRules,
    /// Problems worth telling the user that do not stop the run.
    pub warnings: Vec<RoadmapWarning>,
}

/// A problem of the roadmap that does not stop the run, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoadmapWarning {
    /// `path:line:col`, or the path alone.
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for RoadmapWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// `[scoring]`, validated: every number in range.
#[derive(Debug, Clone)]
pub struct Scoring {
    pub model: Model,
    pub half_life_days: f64,
    /// 0 keeps every item.
    pub window_days: u32,
    pub value_curve: ValueCurve,
    pub value_floor: f64,
    /// Value multipliers by plan or segment, compared case-insensitively.
    pub segments: BTreeMap<String, f64>,
    /// Trend: pain in the last `trend_days` against the `trend_baseline_days` before.
    pub trend_days: u32,
    pub trend_baseline_days: u32,
    /// Driver weights of the `weighted` model.
    pub weights: DriverWeights,
}

/// `[scoring.weights]`: how much each normalized driver counts in the
/// `weighted` model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DriverWeights {
    pub reach: f64,
    pub pain: f64,
    pub value: f64,
    pub trend: f64,
    pub strategic: f64,
}

impl Default for DriverWeights {
    fn default() -> Self {
        DriverWeights {
            reach: 1.0,
            pain: 1.0,
            value: 1.0,
            trend: 0.5,
            strategic: 1.0,
        }
    }
}

fn default_trend_days() -> u32 {
    30
}
fn default_trend_baseline() -> u32 {
    90
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            model: Model::default(),
            half_life_days: default_half_life(),
            window_days: default_window(),
            value_curve: ValueCurve::default(),
            value_floor: default_value_floor(),
            segments: BTreeMap::new(),
            trend_days: default_trend_days(),
            trend_baseline_days: default_trend_baseline(),
            weights: DriverWeights::default(),
        }
    }
}

fn default_half_life() -> f64 {
    90.0
}
fn default_window() -> u32 {
    365
}
fn default_value_floor() -> f64 {
    0.25
}

/// The scoring models painmap can rank by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Model {
    #[default]
    PainValue,
    Rice,
    Ice,
    Wsjf,
    Opportunity,
    Impact,
    Weighted,
}

impl Model {
    pub const ALL: [Model; 7] = [
        Model::PainValue,
        Model::Rice,
        Model::Ice,
        Model::Wsjf,
        Model::Opportunity,
        Model::Impact,
        Model::Weighted,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Model::PainValue => "pain-value",
            Model::Rice => "rice",
            Model::Ice => "ice",
            Model::Wsjf => "wsjf",
            Model::Opportunity => "opportunity",
            Model::Impact => "impact",
            Model::Weighted => "weighted",
        }
    }

    pub fn from_name(name: &str) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.name() == name)
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `[check]`: what `painmap check` reports as a problem (exit code 3), as a
/// warning, or not at all.
#[derive(Debug, Clone)]
pub struct CheckRules {
    /// A problem when a larger share of the items links to no feature.
    pub max_unlinked_share: f64,
    /// A problem when a larger share of the rows is rejected.
    pub max_rejected_share: f64,
    /// A keyword shared by two features, or by a feature and an exclude.
    pub overlapping_keywords: Level,
    /// A keyword that matched no item.
    pub dead_keywords: Level,
    /// A feature that no item links to.
    pub features_without_feedback: Level,
    /// A stage that no item was tagged with.
    pub unused_stages: Level,
    /// A persona that no item was tagged with.
    pub unused_personas: Level,
    /// Stage or persona column values that name no stage or persona.
    pub unknown_values: Level,
    /// Feedback whose newest item is well before `--as-of`
    /// ([`crate::score::Window::staleness`]): the export may have stopped.
    pub stale_feedback: Level,
}

impl Default for CheckRules {
    fn default() -> Self {
        CheckRules {
            max_unlinked_share: default_max_unlinked_share(),
            max_rejected_share: default_max_rejected_share(),
            overlapping_keywords: Level::default(),
            dead_keywords: Level::default(),
            features_without_feedback: Level::default(),
            unused_stages: Level::default(),
            unused_personas: Level::default(),
            unknown_values: Level::default(),
            stale_feedback: Level::default(),
        }
    }
}

fn default_max_unlinked_share() -> f64 {
    0.5
}
fn default_max_rejected_share() -> f64 {
    0.05
}

/// How seriously `check` takes a finding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Off,
    #[default]
    Warning,
    Problem,
}

/// How an account's value, relative to the median account, weighs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueCurve {
    #[default]
    Sqrt,
    Linear,
    Log,
    None,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Persona {
    pub id: String,
    pub name: String,
    pub keywords: Vec<String>,
    /// Field name (normalized like a header) to accepted values (lower case).
    pub rules: Vec<(String, Vec<String>)>,
    pub weight: f64,
}

#[derive(Debug, Clone)]
pub struct Feature {
    pub id: String,
    pub title: String,
    pub keywords: Vec<String>,
    pub exclude: Vec<String>,
    /// Index into `Roadmap::stages`.
    pub stage: Option<usize>,
    /// Indexes into `Roadmap::personas`.
    pub personas: Vec<usize>,
    pub effort: f64,
    pub effort_given: bool,
    pub confidence: Option<f64>,
    pub status: Status,
    pub kind: FeatureKind,
    /// Strategic fit, 0–1, for the `weighted` model.
    pub strategic: f64,
    /// When it is due, for WSJF's time criticality.
    pub due: Option<jiff::civil::Date>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Idea,
    Planned,
    InProgress,
    Shipped,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Idea => "idea",
            Status::Planned => "planned",
            Status::InProgress => "in-progress",
            Status::Shipped => "shipped",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeatureKind {
    #[default]
    Feature,
    Fix,
    Improvement,
}

/// One `[[sources]]` entry, with its path resolved against the roadmap's folder.
#[derive(Debug, Clone)]
pub struct SourceSpec {
    pub path: PathBuf,
    pub preset: Option<String>,
    pub weight: f64,
    pub columns: ColumnOverrides,
    /// `date_order`: how `07/11/2026` is read.
    pub date_order: Option<crate::ingest::values::DateOrder>,
    /// Where its `path` is written, `roadmap.toml:12:8`, for an error
    /// about the file to point at.
    pub location: String,
}

/// `[sources.columns]`: which export columns feed which item field.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnOverrides {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub text: Option<OneOrMany>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub rating: Option<String>,
    /// `stars` (1–5), `nps` (0–10), `csat` (1–5), `ten` (1–10), `percent` (0–100).
    #[serde(default)]
    pub rating_scale: Option<crate::item::RatingScale>,
    #[serde(default, alias = "segment")]
    pub plan: Option<String>,
    #[serde(default)]
    pub stage: Option<String>,
    #[serde(default)]
    pub persona: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A roadmap that could not be loaded. The message already names the file,
/// line and column; `help` says what to do about it.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {message}")]
pub struct RoadmapError {
    pub location: String,
    pub message: String,
    pub help: Option<String>,
    /// The other errors in the file, after this one in file order: a
    /// roadmap is read to its end, so that one run shows every error.
    pub more: Vec<RoadmapError>,
    /// Where in the file, for that order (the end for the whole file).
    offset: usize,
}

impl RoadmapError {
    fn at(
        path: &Path,
        source: &str,
        span: Option<std::ops::Range<usize>>,
        message: String,
    ) -> Self {
        let offset = span.as_ref().map_or(usize::MAX, |s| s.start);
        let location = match span {
            Some(span) => {
                let (line, col) = line_col(source, span.start);
                format!("{}:{line}:{col}", path.display())
            }
            None => path.display().to_string(),
        };
        RoadmapError {
            location,
            message,
            help: None,
            more: Vec::new(),
            offset,
        }
    }

    /// The first of `errors` in file order, holding the rest; `None` when
    /// there are none.
    fn all(mut errors: Vec<RoadmapError>) -> Option<RoadmapError> {
        errors.sort_by_key(|e| e.offset);
        let mut errors = errors.into_iter();
        let mut first = errors.next()?;
        first.more = errors.collect();
        Some(first)
    }

    /// This error and the others in the file, in file order.
    pub fn each(&self) -> impl Iterator<Item = &RoadmapError> {
        std::iter::once(self).chain(&self.more)
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

// ---- the file as written -------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoadmap {
    #[serde(default)]
    product: RawProduct,
    #[serde(default)]
    scoring: RawScoring,
    #[serde(default)]
    stages: Vec<Spanned<RawStage>>,
    #[serde(default)]
    personas: Vec<Spanned<RawPersona>>,
    #[serde(default)]
    features: Vec<Spanned<RawFeature>>,
    #[serde(default)]
    sources: Vec<Spanned<RawSource>>,
    #[serde(default)]
    check: RawCheck,
}

/// `[scoring]` as written: numbers keep their place in the file so that a
/// value out of range can be pointed at.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawScoring {
    #[serde(default)]
    model: Model,
    half_life_days: Option<Spanned<f64>>,
    /// Whole days, read as any TOML value so that `-5` or `1.5` get a
    /// message in words rather than serde's "expected u32".
    window_days: Option<Spanned<toml::Value>>,
    #[serde(default)]
    value_curve: ValueCurve,
    value_floor: Option<Spanned<f64>>,
    #[serde(default)]
    segments: BTreeMap<String, Spanned<f64>>,
    trend_days: Option<Spanned<toml::Value>>,
    trend_baseline_days: Option<Spanned<toml::Value>>,
    #[serde(default)]
    weights: RawWeights,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWeights {
    reach: Option<Spanned<f64>>,
    pain: Option<Spanned<f64>>,
    value: Option<Spanned<f64>>,
    trend: Option<Spanned<f64>>,
    strategic: Option<Spanned<f64>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    max_unlinked_share: Option<Spanned<f64>>,
    max_rejected_share: Option<Spanned<f64>>,
    #[serde(default)]
    overlapping_keywords: Level,
    #[serde(default)]
    dead_keywords: Level,
    #[serde(default)]
    features_without_feedback: Level,
    #[serde(default)]
    unused_stages: Level,
    #[serde(default)]
    unused_personas: Level,
    #[serde(default)]
    unknown_values: Level,
    #[serde(default)]
    stale_feedback: Level,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    id: Spanned<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    keywords: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPersona {
    id: Spanned<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    keywords: Vec<Spanned<String>>,
    #[serde(default, rename = "match")]
    rules: BTreeMap<String, OneOrMany>,
    #[serde(default)]
    weight: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeature {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    keywords: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    stage: Option<Spanned<String>>,
    #[serde(default)]
    personas: Vec<Spanned<String>>,
    #[serde(default)]
    effort: Option<Spanned<f64>>,
    #[serde(default)]
    confidence: Option<Spanned<f64>>,
    #[serde(default)]
    status: Status,
    #[serde(default)]
    kind: FeatureKind,
    #[serde(default)]
    strategic: Option<Spanned<f64>>,
    #[serde(default)]
    due: Option<Spanned<toml::value::Datetime>>,
    /// Written by `rank --write`; read back as nothing.
    #[serde(default, rename = "rank")]
    _rank: Option<toml::Value>,
    #[serde(default, rename = "score")]
    _score: Option<toml::Value>,
    #[serde(default, rename = "scored_at")]
    _scored_at: Option<toml::Value>,
    #[serde(default, rename = "scored_by")]
    _scored_by: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    path: Spanned<String>,
    #[serde(default)]
    preset: Option<Spanned<String>>,
    #[serde(default)]
    weight: Option<Spanned<f64>>,
    #[serde(default)]
    columns: ColumnOverrides,
    #[serde(default)]
    date_order: Option<crate::ingest::values::DateOrder>,
}

impl Roadmap {
    /// Reads and validates a roadmap file.
    pub fn load(path: &Path) -> Result<Roadmap, RoadmapError> {
        let source = match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(RoadmapError::at(path, "", None, "roadmap not found".into()).help(
                    "run painmap next to a roadmap.toml, pass --roadmap FILE, or set PAINMAP_ROADMAP \
                     (see the README's roadmap.toml reference)",
                ));
            }
            Err(err) => {
                return Err(RoadmapError::at(
                    path,
                    "",
                    None,
                    format!("cannot read the roadmap: {err}"),
                ))
            }
        };
        Roadmap::parse(path, &source)
    }

    /// Parses and validates roadmap text; `path` is used for messages and to
    /// resolve `[[sources]]` paths.
    pub fn parse(path: &Path, source: &str) -> Result<Roadmap, RoadmapError> {
        let raw: RawRoadmap = toml::from_str(source).map_err(|err| {
            // serde's names for types are Rust's: say what a person writes.
            let message = err
                .message()
                .trim_end()
                .replace("expected f64", "expected a number")
                .replace("expected i64", "expected a whole number")
                .replace("expected u32", "expected a whole number");
            let help = toml_help(&message, source, err.span());
            RoadmapError::at(path, source, err.span(), message).help(help)
        })?;
        validate(path, source, raw)
    }

    pub fn stage_index(&self, id: &str) -> Option<usize> {
        self.stages.iter().position(|s| s.id == id)
    }

    pub fn persona_index(&self, id: &str) -> Option<usize> {
        self.personas.iter().position(|p| p.id == id)
    }
}

fn validate(path: &Path, source: &str, raw: RawRoadmap) -> Result<Roadmap, RoadmapError> {
    let err = |span: std::ops::Range<usize>, message: String| {
        RoadmapError::at(path, source, Some(span), message)
    };
    let mut warnings = Vec::new();
    // Every error is noted and the rest of the file still read, so that one
    // run of `check` shows them all.
    let mut errors: Vec<RoadmapError> = Vec::new();
    let mut noted = |r: Result<(), RoadmapError>| {
        if let Err(e) = r {
            errors.push(e);
        }
    };
    let mut scoring_value = Scoring::default();
    noted(scoring(&raw.scoring, &err).map(|s| scoring_value = s));
    let scoring = scoring_value;
    let mut check = CheckRules::default();
    noted(check_rules(&raw.check, &err).map(|c| check = c));
    let span = scoring.trend_days + scoring.trend_baseline_days;
    if let Some(w) = raw
        .scoring
        .window_days
        .as_ref()
        .filter(|_| scoring.window_days > 0 && scoring.window_days < span)
    {
        let (line, col) = line_col(source, w.span().start);
        warnings.push(RoadmapWarning {
            location: format!("{}:{line}:{col}", path.display()),
            message: format!(
                "window_days {} is shorter than the trend's {span} days (trend_days {} + trend_baseline_days {}): items older than the window are not scored, so the trend's baseline misses them and trends read as rising; set window_days to {span} or more, or shorten trend_baseline_days",
                scoring.window_days, scoring.trend_days, scoring.trend_baseline_days
            ),
        });
    }

    let mut stages = Vec::new();
    let mut seen = HashSet::new();
    for st in raw.stages {
        let st = st.into_inner();
        noted(
            check_id(&st.id, "stage", &mut seen)
                .and_then(|()| not_reserved(&st.id, "stage"))
                .map_err(|m| err(st.id.span(), m)),
        );
        let keywords = keywords_of(&st.keywords, &err).unwrap_or_else(|e| {
            noted(Err(e));
            Vec::new()
        });
        let id = st.id.into_inner();
        stages.push(Stage {
            name: st.name.unwrap_or_else(|| id.clone()),
            id,
            keywords,
        });
    }

    let mut personas = Vec::new();
    let mut seen = HashSet::new();
    for p in raw.personas {
        let p = p.into_inner();
        noted(
            check_id(&p.id, "persona", &mut seen)
                .and_then(|()| not_reserved(&p.id, "persona"))
                .map_err(|m| err(p.id.span(), m)),
        );
        let keywords = keywords_of(&p.keywords, &err).unwrap_or_else(|e| {
            noted(Err(e));
            Vec::new()
        });
        let weight = number(
            p.weight.as_ref(),
            1.0,
            is_weight,
            &format!("persona weight must be a number from 0 to {MAX_WEIGHT}"),
            &err,
        )
        .unwrap_or_else(|e| {
            noted(Err(e));
            1.0
        });
        let rules = p
            .rules
            .iter()
            .map(|(field, values)| {
                (
                    crate::ingest::columns::normalize_header(field),
                    values
                        .to_vec()
                        .iter()
                        .map(|v| v.trim().to_lowercase())
                        .collect(),
                )
            })
            .collect();
        let id = p.id.into_inner();
        personas.push(Persona {
            name: p.name.unwrap_or_else(|| id.clone()),
            id,
            keywords,
            rules,
            weight,
        });
    }

    let stage_ids: Vec<&str> = stages.iter().map(|s| s.id.as_str()).collect();
    let persona_ids: Vec<&str> = personas.iter().map(|p| p.id.as_str()).collect();
    let mut features = Vec::new();
    let mut seen = HashSet::new();
    let mut no_effort = Vec::new();
    for f in raw.features {
        let f = f.into_inner();
        noted(check_id(&f.id, "feature", &mut seen).map_err(|m| err(f.id.span(), m)));
        if f.title.trim().is_empty() {
            noted(Err(err(
                f.id.span(),
                format!("feature `{}` has an empty title", f.id.get_ref()),
            )));
        }
        let mut keywords_or_none = |list: &[Spanned<String>]| {
            keywords_of(list, &err).unwrap_or_else(|e| {
                noted(Err(e));
                Vec::new()
            })
        };
        let keywords = keywords_or_none(&f.keywords);
        let exclude = keywords_or_none(&f.exclude);
        let stage = f.stage.as_ref().and_then(|s| {
            resolve(s, "stage", &stage_ids)
                .map_err(|e| noted(Err(err(s.span(), e))))
                .ok()
        });
        let mut pers = Vec::new();
        for p in &f.personas {
            match resolve(p, "persona", &persona_ids) {
                Ok(i) => pers.push(i),
                Err(e) => noted(Err(err(p.span(), e))),
            }
        }
        let effort = number(
            f.effort.as_ref(),
            1.0,
            |x| (MIN_EFFORT..=MAX_EFFORT).contains(&x),
            &format!(
                "effort must be a number of person-months from {MIN_EFFORT} (about a \
                 working hour and a half) to {MAX_EFFORT}"
            ),
            &err,
        )
        .unwrap_or_else(|e| {
            noted(Err(e));
            1.0
        });
        let effort_given = f.effort.is_some();
        if !effort_given {
            no_effort.push((f.id.get_ref().clone(), f.id.span()));
        }
        let confidence = match &f.confidence {
            Some(c) if !(c.get_ref().is_finite() && *c.get_ref() > 0.0 && *c.get_ref() <= 1.0) => {
                noted(Err(err(
                    c.span(),
                    "confidence must be greater than 0 and at most 1".into(),
                )));
                None
            }
            Some(c) => Some(*c.get_ref()),
            None => None,
        };
        let strategic = match &f.strategic {
            Some(v) if !(0.0..=1.0).contains(v.get_ref()) => {
                noted(Err(err(
                    v.span(),
                    "strategic must be between 0 and 1".into(),
                )));
                0.0
            }
            Some(v) => *v.get_ref(),
            None => 0.0,
        };
        let due = f.due.as_ref().and_then(|d| {
            let date = d
                .get_ref()
                .to_string()
                .get(..10)
                .and_then(|s| s.parse().ok());
            if date.is_none() {
                noted(Err(err(
                    d.span(),
                    format!("due must be a date such as 2027-03-31, not {}", d.get_ref()),
                )));
            }
            date
        });
        features.push(Feature {
            strategic,
            due,
            id: f.id.into_inner(),
            title: f.title,
            keywords,
            exclude,
            stage,
            personas: pers,
            effort,
            effort_given,
            confidence,
            status: f.status,
            kind: f.kind,
        });
    }
    if features.is_empty() {
        noted(Err(RoadmapError::at(
            path,
            source,
            None,
            "the roadmap has no [[features]] to rank".into(),
        )
        .help(
            "add at least one [[features]] entry with an id and a title",
        )));
    }
    if let Some((_, first)) = no_effort.first() {
        let (line, col) = line_col(source, first.start);
        let ids: Vec<String> = no_effort.iter().map(|(id, _)| id.clone()).collect();
        warnings.push(RoadmapWarning {
            location: format!("{}:{line}:{col}", path.display()),
            message: format!(
                "no effort set for {}; using 1 person-month (add effort = … in person-months to each)",
                list_ids(&ids)
            ),
        });
    }

    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let roadmap_name = path.display().to_string();
    let mut sources = Vec::new();
    for s in raw.sources {
        let s = s.into_inner();
        if s.path.get_ref().trim().is_empty() {
            noted(Err(err(s.path.span(), "source path is empty".into())));
        }
        let weight = number(
            s.weight.as_ref(),
            1.0,
            is_weight,
            &format!("source weight must be a number from 0 to {MAX_WEIGHT}"),
            &err,
        )
        .unwrap_or_else(|e| {
            noted(Err(e));
            1.0
        });
        let preset = match &s.preset {
            Some(p) => {
                let names: Vec<&str> = crate::ingest::presets::names().collect();
                if !names.contains(&p.get_ref().as_str()) {
                    let mut msg = format!(
                        "unknown preset `{}`; valid presets: {}",
                        p.get_ref(),
                        names.join(", ")
                    );
                    if let Some(s) = did_you_mean(p.get_ref(), names.iter().copied()) {
                        msg.push_str(&format!(" (did you mean `{s}`?)"));
                    }
                    noted(Err(err(p.span(), msg)));
                    None
                } else {
                    Some(p.get_ref().clone())
                }
            }
            None => None,
        };
        let rel = PathBuf::from(s.path.get_ref());
        let path = if rel.is_absolute() {
            rel
        } else {
            base.join(rel)
        };
        let (line, col) = line_col(source, s.path.span().start);
        sources.push(SourceSpec {
            path,
            preset,
            weight,
            columns: s.columns,
            date_order: s.date_order,
            location: format!("{roadmap_name}:{line}:{col}"),
        });
    }

    if let Some(e) = RoadmapError::all(errors) {
        return Err(e);
    }
    Ok(Roadmap {
        path: path.to_path_buf(),
        product: raw.product.name,
        scoring,
        stages,
        personas,
        features,
        sources,
        check,
        warnings,
    })
}

/// What to do about a TOML or schema error serde reported at `span` of
/// `source`.
fn toml_help(message: &str, source: &str, span: Option<Range<usize>>) -> String {
    if message.starts_with("unknown field") {
        return "remove or rename the key; the valid keys are listed above".into();
    }
    if message.starts_with("missing field") {
        return "add the missing key".into();
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        // "unknown variant `ricee`, expected one of `pain-value`, `rice`, …"
        let given = rest.split('`').next().unwrap_or_default();
        let options: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        return match did_you_mean(given, options.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? Use one of the values listed above"),
            None => "use one of the values listed above".into(),
        };
    }
    if message.starts_with("invalid type: string") {
        if message.contains("datetime") {
            return "write the date without quotes, as TOML dates are: due = 2027-03-01".into();
        }
        let whole = message.contains("expected a whole number");
        if whole || message.contains("expected a number") {
            return quoted_number_help(source, span, whole);
        }
    }
    "fix the TOML at this position".into()
}

/// The help for a number written as a string at `span`: the key as
/// written with the value unquoted (`weight = 0.5`), or, when the string
/// holds no such number (`effort = "large"`), the key with an example.
fn quoted_number_help(source: &str, span: Option<Range<usize>>, whole: bool) -> String {
    let generic = "write the number without quotes, e.g. effort = 2".to_string();
    let Some(span) = span else { return generic };
    let (Some(before), Some(value)) = (source.get(..span.start), source.get(span)) else {
        return generic;
    };
    // The key is what stands before the `=` on the value's line, after any
    // `{` or `,` of an inline table: `weight` in `{ weight = "0.5" }`.
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let Some(key) = line.trim_end().strip_suffix('=') else {
        return generic;
    };
    let key = key.rsplit(['{', ',']).next().unwrap_or(key).trim();
    if key.is_empty() {
        return generic;
    }
    let unquoted = value.trim_matches(['"', '\'']).trim();
    // Read as TOML reads it, so that the advice is never a value TOML
    // refuses (`.5`, `1,5`).
    let reads = match toml::from_str::<toml::Table>(&format!("v = {unquoted}")) {
        Ok(t) => match t.get("v") {
            Some(toml::Value::Integer(_)) => true,
            Some(toml::Value::Float(x)) => !whole && x.is_finite(),
            _ => false,
        },
        Err(_) => false,
    };
    if reads {
        format!("write the number without quotes: {key} = {unquoted}")
    } else {
        let what = if whole { "a whole number" } else { "a number" };
        format!("{key} takes {what}, written without quotes, e.g. {key} = 1")
    }
}

/// A number of the roadmap, or its default when left out; out of range,
/// an error pointing at it that says what is allowed.
fn number(
    value: Option<&Spanned<f64>>,
    default: f64,
    in_range: impl Fn(f64) -> bool,
    what: &str,
    err: &ErrAt<'_>,
) -> Result<f64, RoadmapError> {
    match value {
        Some(v) if !(v.get_ref().is_finite() && in_range(*v.get_ref())) => Err(err(
            v.span(),
            format!("{what}, not {}", shown(*v.get_ref())),
        )),
        Some(v) => Ok(*v.get_ref()),
        None => Ok(default),
    }
}

/// A number as a person would write it: `2`, `0.5`, `1e-300` (never 300
/// digits).
fn shown(x: f64) -> String {
    if x == 0.0 || (1e-4..1e15).contains(&x.abs()) {
        x.to_string()
    } else {
        format!("{x:?}")
    }
}

/// A whole number of days in `min..=max`, or `default` when left out.
fn days(
    value: &Option<Spanned<toml::Value>>,
    default: u32,
    (min, max): (u32, u32),
    key: &str,
    err: &ErrAt<'_>,
) -> Result<u32, RoadmapError> {
    let Some(v) = value else {
        return Ok(default);
    };
    let in_range = match v.get_ref() {
        toml::Value::Integer(n) => u32::try_from(*n).ok().filter(|n| (min..=max).contains(n)),
        _ => None,
    };
    in_range.ok_or_else(|| {
        let zero = if min == 0 { " (keep every item)" } else { "" };
        err(
            v.span(),
            format!(
                "[scoring] {key} must be a whole number of days from {min}{zero} to {max}, \
                 such as {default}, not {}",
                v.get_ref()
            ),
        )
    })
}

/// A century: more than any export spans, and far from overflowing the
/// date arithmetic.
const MAX_DAYS: u32 = 36_500;

/// Effort divides every score that uses it, so a tiny effort makes a
/// meaningless giant score (1e-300 gave a 300-digit number). A hundredth
/// of a person-month is about an hour and a half of work; less is noise.
/// A thousand person-months is a large team for years.
pub const MIN_EFFORT: f64 = 0.01;
const MAX_EFFORT: f64 = 1000.0;

/// Weights and multipliers (persona, source, segment, driver) scale the
/// terms of a score relative to each other; a factor above 100 drowns
/// every other term, and is a typo more often than a choice.
pub const MAX_WEIGHT: f64 = 100.0;

fn is_weight(x: f64) -> bool {
    (0.0..=MAX_WEIGHT).contains(&x)
}

fn scoring(raw: &RawScoring, err: &ErrAt<'_>) -> Result<Scoring, RoadmapError> {
    let weight = |v: &Option<Spanned<f64>>, default: f64, key: &str| {
        number(
            v.as_ref(),
            default,
            is_weight,
            &format!("[scoring.weights] {key} must be a number from 0 to {MAX_WEIGHT}"),
            err,
        )
    };
    let mut segments = BTreeMap::new();
    for (segment, w) in &raw.segments {
        let what = format!("[scoring.segments] {segment} must be a number from 0 to {MAX_WEIGHT}");
        let w = number(Some(w), 1.0, is_weight, &what, err)?;
        segments.insert(segment.clone(), w);
    }
    let weights = DriverWeights {
        reach: weight(&raw.weights.reach, 1.0, "reach")?,
        pain: weight(&raw.weights.pain, 1.0, "pain")?,
        value: weight(&raw.weights.value, 1.0, "value")?,
        trend: weight(&raw.weights.trend, 0.5, "trend")?,
        strategic: weight(&raw.weights.strategic, 1.0, "strategic")?,
    };
    let w = &raw.weights;
    let given = [&w.reach, &w.pain, &w.value, &w.trend, &w.strategic];
    if weights.reach + weights.pain + weights.value + weights.trend + weights.strategic == 0.0 {
        // Every default is above 0, so every weight was given.
        if let Some(first) = given.iter().find_map(|v| v.as_ref()) {
            return Err(err(
                first.span(),
                "[scoring.weights] are all 0, so every `weighted` score would be 0: give at least one driver (reach, pain, value, trend, strategic) a weight above 0".into(),
            ));
        }
    }
    Ok(Scoring {
        model: raw.model,
        half_life_days: number(
            raw.half_life_days.as_ref(),
            default_half_life(),
            |x| (1.0..=f64::from(MAX_DAYS)).contains(&x),
            &format!("[scoring] half_life_days must be a number of days from 1 to {MAX_DAYS}"),
            err,
        )?,
        window_days: days(
            &raw.window_days,
            default_window(),
            (0, MAX_DAYS),
            "window_days",
            err,
        )?,
        value_curve: raw.value_curve,
        value_floor: number(
            raw.value_floor.as_ref(),
            default_value_floor(),
            |x| (0.0..=1.0).contains(&x),
            "[scoring] value_floor must be between 0 and 1",
            err,
        )?,
        segments,
        trend_days: days(
            &raw.trend_days,
            default_trend_days(),
            (1, MAX_DAYS),
            "trend_days",
            err,
        )?,
        trend_baseline_days: days(
            &raw.trend_baseline_days,
            default_trend_baseline(),
            (1, MAX_DAYS),
            "trend_baseline_days",
            err,
        )?,
        weights,
    })
}

fn check_rules(raw: &RawCheck, err: &ErrAt<'_>) -> Result<CheckRules, RoadmapError> {
    let share = |v: &Option<Spanned<f64>>, default: f64, key: &str| {
        number(
            v.as_ref(),
            default,
            |x| (0.0..=1.0).contains(&x),
            &format!("[check] {key} must be between 0 and 1 (a share, e.g. 0.4 for 40%)"),
            err,
        )
    };
    Ok(CheckRules {
        max_unlinked_share: share(
            &raw.max_unlinked_share,
            default_max_unlinked_share(),
            "max_unlinked_share",
        )?,
        max_rejected_share: share(
            &raw.max_rejected_share,
            default_max_rejected_share(),
            "max_rejected_share",
        )?,
        overlapping_keywords: raw.overlapping_keywords,
        dead_keywords: raw.dead_keywords,
        features_without_feedback: raw.features_without_feedback,
        unused_stages: raw.unused_stages,
        unused_personas: raw.unused_personas,
        unknown_values: raw.unknown_values,
        stale_feedback: raw.stale_feedback,
    })
}

fn list_ids(ids: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut s = ids
        .iter()
        .take(SHOWN)
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        s.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    s
}

/// An id the roadmap accepts, made from free text: `"Dark mode!"` →
/// `dark-mode`, `"Übersicht"` → `ubersicht` (non-ASCII letters spelled in
/// ASCII); `None` when nothing is left.
pub fn slug(s: &str) -> Option<String> {
    let mut out = String::new();
    for c in deunicode::deunicode(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    (!out.is_empty()).then_some(out)
}

fn check_id(id: &Spanned<String>, what: &str, seen: &mut HashSet<String>) -> Result<(), String> {
    let id = id.get_ref();
    if id.is_empty() {
        return Err(format!("{what} id is empty"));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        return Err(format!(
            "{what} id `{id}` may use only lower-case letters, digits, `-` and `_`"
        ));
    }
    if !seen.insert(id.clone()) {
        return Err(format!("duplicate {what} id `{id}`; ids must be unique"));
    }
    Ok(())
}

/// The id reports give an item with no stage or persona; a stage or
/// persona of that id would be counted with them.
pub const UNKNOWN_ID: &str = "unknown";

fn not_reserved(id: &Spanned<String>, what: &str) -> Result<(), String> {
    if id.get_ref() == UNKNOWN_ID {
        return Err(format!(
            "{what} id `{UNKNOWN_ID}` is what reports call an item with no {what}, so it cannot be a {what} of its own; pick another id (its name may still be \"Unknown\")"
        ));
    }
    Ok(())
}

fn resolve(reference: &Spanned<String>, what: &str, ids: &[&str]) -> Result<usize, String> {
    let name = reference.get_ref();
    if let Some(i) = ids.iter().position(|id| id == name) {
        return Ok(i);
    }
    let mut msg = if ids.is_empty() {
        format!("unknown {what} `{name}`: the roadmap declares no [[{what}s]]")
    } else {
        format!("unknown {what} `{name}`; valid {what}s: {}", ids.join(", "))
    };
    if let Some(s) = did_you_mean(name, ids.iter().copied()) {
        msg.push_str(&format!(" (did you mean `{s}`?)"));
    }
    Err(msg)
}

type ErrAt<'a> = dyn Fn(std::ops::Range<usize>, String) -> RoadmapError + 'a;

/// Keywords must contain at least one word: an empty keyword would match
/// nothing and is almost always a typo.
fn keywords_of(list: &[Spanned<String>], err: &ErrAt<'_>) -> Result<Vec<String>, RoadmapError> {
    let mut out = Vec::with_capacity(list.len());
    for k in list {
        if !crate::text::normalize::has_word(k.get_ref()) {
            return Err(err(
                k.span(),
                format!(
                    "keyword {:?} has no letters or digits, so it could never match",
                    k.get_ref()
                ),
            )
            .help("remove the empty keyword"));
        }
        out.push(k.get_ref().clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Roadmap, RoadmapError> {
        Roadmap::parse(Path::new("roadmap.toml"), src)
    }

    const MINIMAL: &str = r#"
[product]
name = "Acme"
[[stages]]
id = "onboarding"
[[personas]]
id = "admin"
[[features]]
id = "sso"
title = "Single sign-on"
stage = "onboarding"
personas = ["admin"]
effort = 2
"#;

    #[test]
    fn minimal_roadmap_resolves_references() {
        let r = parse(MINIMAL).unwrap();
        assert_eq!(r.product, "Acme");
        assert_eq!(r.features[0].stage, Some(0));
        assert_eq!(r.features[0].personas, vec![0]);
        assert_eq!(r.features[0].effort, 2.0);
        assert_eq!(r.scoring.half_life_days, 90.0);
        assert!(r.warnings.is_empty());
    }

    /// Each case: a table appended to MINIMAL, the offending value as
    /// written (its first occurrence in the table), and the message.
    fn assert_points_at(cases: &[(&str, &str, &str)]) {
        for (table, value, message) in cases {
            let src = format!("{MINIMAL}{table}\n");
            let at = MINIMAL.len() + table.find(value).expect("the value is in the table");
            let (line, col) = line_col(&src, at);
            let e = parse(&src).expect_err(table);
            assert_eq!(e.location, format!("roadmap.toml:{line}:{col}"), "{table}");
            assert!(e.message.contains(message), "{table}: {}", e.message);
        }
    }

    #[test]
    fn scoring_and_check_errors_name_line_and_column() {
        assert_points_at(&[
            ("[scoring]\nvalue_floor = 2", "2", "value_floor must be between 0 and 1, not 2"),
            (
                "[scoring.segments]\nenterprise = -3",
                "-3",
                "[scoring.segments] enterprise must be a number from 0 to 100, not -3",
            ),
            (
                "[scoring]\nhalf_life_days = nan",
                "nan",
                "half_life_days must be a number of days from 1 to 36500, not NaN",
            ),
            ("[scoring]\ntrend_days = 0", "0", "trend_days must be a whole number of days"),
            (
                "[scoring]\ntrend_baseline_days = 0",
                "0",
                "trend_baseline_days must be a whole number of days from 1",
            ),
            (
                "[scoring]\nwindow_days = -5",
                "-5",
                "window_days must be a whole number of days from 0 (keep every item) to 36500, such as 365, not -5",
            ),
            ("[scoring]\nwindow_days = 1.5", "1.5", "whole number of days"),
            ("[scoring.weights]\ntrend = -1", "-1", "[scoring.weights] trend must be"),
            (
                "[scoring.weights]\nreach = 0\npain = 0\nvalue = 0.0\ntrend = 0\nstrategic = 0",
                "0",
                "[scoring.weights] are all 0, so every `weighted` score would be 0",
            ),
            (
                "[check]\nmax_rejected_share = 5",
                "5",
                "[check] max_rejected_share must be between 0 and 1",
            ),
        ]);
        for table in [
            "[scoring]\nwindow_days = 0",
            "[scoring]\nvalue_floor = 0\ntrend_days = 1",
        ] {
            parse(&format!("{MINIMAL}{table}\n")).expect(table);
        }
    }

    #[test]
    fn numbers_out_of_their_sane_range_are_errors_with_line_and_column() {
        let effort = |e: &str| MINIMAL.replace("effort = 2", &format!("effort = {e}"));
        for e in ["1e-300", "0.001", "0", "-1", "1e6", "inf"] {
            let src = effort(e);
            let err = parse(&src).expect_err(e);
            let (line, col) = line_col(&src, src.find(&format!("= {e}")).unwrap() + 2);
            assert_eq!(err.location, format!("roadmap.toml:{line}:{col}"), "{e}");
            assert!(
                err.message
                    .starts_with("effort must be a number of person-months from 0.01"),
                "{}",
                err.message
            );
            assert!(err.message.len() < 200, "{}", err.message);
        }
        assert!(parse(&effort("1e-300"))
            .unwrap_err()
            .message
            .ends_with("not 1e-300"));
        for e in ["0.01", "0.5", "1000"] {
            parse(&effort(e)).expect(e);
        }
        assert_points_at(&[
            (
                "[scoring.weights]\nvalue = 1e300",
                "1e300",
                "from 0 to 100, not 1e300",
            ),
            (
                "[scoring.segments]\nenterprise = 1e9",
                "1e9",
                "from 0 to 100",
            ),
            (
                "[scoring]\nhalf_life_days = 1e-300",
                "1e-300",
                "from 1 to 36500",
            ),
            (
                "[[sources]]\npath = \"a.csv\"\nweight = 1e200",
                "1e200",
                "source weight must be a number from 0 to 100",
            ),
        ]);
        let persona = MINIMAL.replace("id = \"admin\"", "id = \"admin\"\nweight = 500");
        let err = parse(&persona).unwrap_err();
        assert!(err
            .message
            .contains("persona weight must be a number from 0 to 100, not 500"));
        assert_eq!(err.location, "roadmap.toml:8:10");
    }

    #[test]
    fn unknown_stage_names_line_column_and_choices() {
        let src = MINIMAL.replace("stage = \"onboarding\"", "stage = \"onbording\"");
        let e = parse(&src).unwrap_err();
        assert_eq!(e.location, "roadmap.toml:11:9");
        assert!(
            e.message.contains("unknown stage `onbording`"),
            "{}",
            e.message
        );
        assert!(e.message.contains("valid stages: onboarding"));
        assert!(e.message.contains("did you mean `onboarding`"));
    }

    #[test]
    fn a_stage_or_persona_cannot_take_the_id_reports_give_no_stage() {
        let src = "[[stages]]\nid = \"unknown\"\n[[personas]]\nid = \"unknown\"\nname = \"Unknown\"\n[[features]]\nid = \"unknown\"\ntitle = \"A feature may\"\n";
        let e = parse(src).unwrap_err();
        let found: Vec<(&str, &str)> = e
            .each()
            .map(|e| (e.location.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "roadmap.toml:2:6");
        assert!(
            found[0]
                .1
                .starts_with("stage id `unknown` is what reports call an item with no stage"),
            "{found:?}"
        );
        assert_eq!(found[1].0, "roadmap.toml:4:6");
        assert!(found[1].1.starts_with("persona id `unknown`"), "{found:?}");
        // Another id with the name "Unknown" is fine.
        let renamed = src.replacen("id = \"unknown\"", "id = \"unsure\"", 2);
        assert!(parse(&renamed).is_ok(), "{:?}", parse(&renamed).err());
    }

    #[test]
    fn every_error_in_the_file_is_reported_in_file_order() {
        let src = format!(
            "{}\n[scoring]\nhalf_life_days = -1\n[[features]]\nid = \"sso\"\ntitle = \"Again\"\nconfidence = 2\n[[sources]]\npath = \"x.csv\"\npreset = \"zendsk\"\n",
            MINIMAL
                .replace("stage = \"onboarding\"", "stage = \"onbording\"")
                .replace("effort = 2", "effort = -3")
        );
        let e = parse(&src).unwrap_err();
        let found: Vec<(&str, &str)> = e
            .each()
            .map(|e| (e.location.as_str(), e.message.as_str()))
            .collect();
        let expected = [
            ("roadmap.toml:11:9", "unknown stage `onbording`"),
            ("roadmap.toml:13:10", "effort must be"),
            ("roadmap.toml:16:18", "half_life_days"),
            ("roadmap.toml:18:6", "duplicate feature id `sso`"),
            ("roadmap.toml:20:14", "confidence must be"),
            ("roadmap.toml:23:10", "unknown preset `zendsk`"),
        ];
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for ((at, message), (want_at, want)) in found.iter().zip(expected) {
            assert_eq!(*at, want_at, "{message}");
            assert!(message.contains(want), "{message} lacks {want}");
        }
        // A roadmap with no errors has nothing more to say.
        assert!(parse(MINIMAL).is_ok());
    }

    #[test]
    fn unknown_key_lists_valid_keys() {
        let src = MINIMAL.replace("effort = 2", "efort = 2");
        let e = parse(&src).unwrap_err();
        assert!(e.location.starts_with("roadmap.toml:13:"), "{}", e.location);
        assert!(e.message.contains("unknown field `efort`"), "{}", e.message);
        assert!(e.message.contains("effort"));
    }

    #[test]
    fn empty_keyword_is_an_error() {
        let src = MINIMAL.replace("effort = 2", "effort = 2\nkeywords = [\"sso\", \"  \"]");
        let e = parse(&src).unwrap_err();
        assert!(e.message.contains("could never match"), "{}", e.message);
    }

    #[test]
    fn type_errors_and_typos_say_what_to_write() {
        let cases = [
            (
                MINIMAL.replace("effort = 2", "effort = \"2\""),
                "invalid type: string \"2\", expected a number",
                "write the number without quotes",
            ),
            (
                MINIMAL.replace("effort = 2", "effort = 2\ndue = \"2027-03-01\""),
                "expected a TOML datetime",
                "write the date without quotes, as TOML dates are: due = 2027-03-01",
            ),
            (
                format!("{MINIMAL}[scoring]\nmodel = \"ricee\"\n"),
                "unknown variant `ricee`",
                "did you mean `rice`?",
            ),
            (
                format!("{MINIMAL}[scoring]\nmodel = \"zzzz\"\n"),
                "unknown variant `zzzz`",
                "use one of the values listed above",
            ),
        ];
        for (src, message, help) in cases {
            let e = parse(&src).unwrap_err();
            assert!(e.message.contains(message), "{}", e.message);
            let h = e.help.unwrap_or_default();
            assert!(h.contains(help), "{h}");
        }
    }

    /// The hint for a quoted number once always said `effort = 2`, even
    /// for `weight = "0.5"`; it names the key that was quoted.
    #[test]
    fn a_quoted_number_hint_names_its_own_key_and_value() {
        let cases = [
            (
                format!("{MINIMAL}[[sources]]\npath = \"a.csv\"\nweight = \"0.5\"\n"),
                "write the number without quotes: weight = 0.5",
            ),
            (
                format!("{MINIMAL}[scoring]\nhalf_life_days = \"90\"\n"),
                "write the number without quotes: half_life_days = 90",
            ),
            (
                format!("{MINIMAL}[scoring]\nvalue_floor = '0.25'\n"),
                "write the number without quotes: value_floor = 0.25",
            ),
            (
                MINIMAL.replace("effort = 2", "effort = 2\nconfidence = \" 0.8 \""),
                "write the number without quotes: confidence = 0.8",
            ),
            (
                format!("{MINIMAL}[scoring.segments]\nenterprise = \"1.5\"\n"),
                "write the number without quotes: enterprise = 1.5",
            ),
            (
                MINIMAL.replace("effort = 2", "effort = \"large\""),
                "effort takes a number, written without quotes, e.g. effort = 1",
            ),
            // Not a number TOML reads, so not one to advise.
            (
                MINIMAL.replace("effort = 2", "effort = \".5\""),
                "effort takes a number, written without quotes, e.g. effort = 1",
            ),
        ];
        for (src, help) in cases {
            let e = parse(&src).unwrap_err();
            assert!(
                e.message.starts_with("invalid type: string"),
                "{}",
                e.message
            );
            assert_eq!(e.help.as_deref(), Some(help), "{src}");
        }
    }

    #[test]
    fn a_window_shorter_than_the_trend_warns_at_its_line() {
        let src = format!("{MINIMAL}[scoring]\nwindow_days = 40\n");
        let r = parse(&src).unwrap();
        let (line, _) = line_col(&src, src.find("window_days").unwrap());
        assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
        assert!(
            r.warnings[0].to_string().starts_with(&format!(
                "roadmap.toml:{line}:15: window_days 40 is shorter than the trend's 120 days"
            )),
            "{}",
            r.warnings[0]
        );
        // 0 keeps every item; a window as long as the trend is enough.
        for ok in [
            "window_days = 0",
            "window_days = 120",
            "window_days = 60\ntrend_baseline_days = 30",
        ] {
            let r = parse(&format!("{MINIMAL}[scoring]\n{ok}\n")).unwrap();
            assert!(r.warnings.is_empty(), "{ok}: {:?}", r.warnings);
        }
    }

    #[test]
    fn missing_effort_warns_and_defaults_to_one() {
        let src = MINIMAL.replace("effort = 2", "");
        let r = parse(&src).unwrap();
        assert_eq!(r.features[0].effort, 1.0);
        assert!(r.warnings[0].message.contains("no effort set for sso"));
        let (line, col) = line_col(&src, src.find("\"sso\"").unwrap());
        assert_eq!(r.warnings[0].location, format!("roadmap.toml:{line}:{col}"));
    }

    #[test]
    fn check_table_has_defaults_levels_and_limits() {
        let r = parse(MINIMAL).unwrap();
        assert_eq!(r.check.max_unlinked_share, 0.5);
        assert_eq!(r.check.dead_keywords, Level::Warning);
        let r = parse(&format!(
            "{MINIMAL}\n[check]\nmax_unlinked_share = 0.4\ndead_keywords = \"problem\"\nunused_stages = \"off\"\n"
        ))
        .unwrap();
        assert_eq!(r.check.max_unlinked_share, 0.4);
        assert_eq!(r.check.dead_keywords, Level::Problem);
        assert_eq!(r.check.unused_stages, Level::Off);
        let e = parse(&format!("{MINIMAL}\n[check]\nmax_unlinked = 0.4\n")).unwrap_err();
        assert!(
            e.message.contains("unknown field `max_unlinked`"),
            "{}",
            e.message
        );
        assert!(e.message.contains("max_unlinked_share"), "{}", e.message);
        let e = parse(&format!("{MINIMAL}\n[check]\nmax_rejected_share = 5\n")).unwrap_err();
        assert!(e.message.contains("between 0 and 1"), "{}", e.message);
        let e = parse(&format!("{MINIMAL}\n[check]\ndead_keywords = \"error\"\n")).unwrap_err();
        assert!(e.message.contains("problem"), "{}", e.message);
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé\nx", 7), (3, 1));
        assert_eq!(line_col("ab\ncé\nx", 3), (2, 1));
    }
}
