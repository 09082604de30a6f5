//! The report: the ranked, explained roadmap as data, and the renderers
//! that write it as a table, JSON, CSV or Markdown.
//!
//! The JSON form is the stable, versioned contract (`schema_version`); the
//! other formats render the same data.

pub mod csv;
pub mod diff;
pub mod json;
pub mod markdown;
pub mod sanitize;
pub mod table;

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::ingest::values::format_timestamp;
use crate::ingest::SourceSummary;
use crate::item::Kind;
use crate::roadmap::{Model, Roadmap};
use crate::score::accumulate::{Accumulator, MICROS};
use crate::score::models::FeatureScore;

pub const SCHEMA_VERSION: u32 = 1;

/// How many quotes each feature shows, from distinct customers.
pub const EVIDENCE_SHOWN: usize = 5;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Report {
    pub schema_version: u32,
    pub product: String,
    pub as_of: String,
    pub model: String,
    pub formula: String,
    pub totals: Totals,
    pub sources: Vec<SourceReport>,
    pub features: Vec<FeatureReport>,
    pub matrix: Matrix,
    pub unlinked: Unlinked,
}

/// Every row is accounted for: `items = linked + unlinked + rejected +
/// duplicates`. `outside_window` and `future` count linked or unlinked
/// items that were left out of scoring because of their date.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Totals {
    pub items: u64,
    pub linked: u64,
    pub unlinked: u64,
    /// Rows that could not become items (malformed, or with no text).
    pub rejected: u64,
    /// Rows that repeat an earlier one, counted once through it. Reports
    /// written before duplicates were counted apart (they were among the
    /// rejected rows then) load with 0.
    #[serde(default)]
    pub duplicates: u64,
    pub outside_window: u64,
    pub future: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SourceReport {
    pub path: String,
    pub format: String,
    pub preset: Option<String>,
    pub weight: f64,
    pub items: u64,
    pub linked: u64,
    pub rejected: u64,
    #[serde(default)]
    pub duplicates: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FeatureReport {
    pub rank: usize,
    pub id: String,
    pub title: String,
    pub status: String,
    pub score: f64,
    pub customers: usize,
    pub mentions: u64,
    pub pain: f64,
    pub value: f64,
    pub effort: f64,
    pub confidence: f64,
    /// Relative change of daily pain, recent period against the one before;
    /// null when there is none (no pain in either period). Optional when
    /// reading, so older reports still load in `diff`.
    #[serde(default)]
    pub trend: Option<f64>,
    pub top_stage: Option<String>,
    pub top_persona: Option<String>,
    pub stages: BTreeMap<String, u64>,
    pub personas: BTreeMap<String, u64>,
    pub kinds: BTreeMap<String, u64>,
    pub breakdown: BTreeMap<String, f64>,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Evidence {
    pub source: String,
    pub id: String,
    pub customer: Option<String>,
    pub created_at: Option<String>,
    pub pain: f64,
    pub quote: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Matrix {
    pub stages: Vec<String>,
    pub personas: Vec<String>,
    /// `cells[stage][persona]`.
    pub cells: Vec<Vec<MatrixCell>>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct MatrixCell {
    pub items: u64,
    pub pain: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Unlinked {
    pub count: u64,
    pub share: f64,
    pub examples: Vec<String>,
}

impl Report {
    /// The report with e-mail addresses, phone numbers and card-like
    /// numbers replaced by `[email]`, `[phone]` and `[number]` in every
    /// quote, customer and unlinked example (`--redact`).
    pub fn redacted(mut self) -> Report {
        use sanitize::redact;
        for f in &mut self.features {
            for e in &mut f.evidence {
                e.quote = redact(&e.quote);
                e.customer = e.customer.as_deref().map(redact);
            }
        }
        for x in &mut self.unlinked.examples {
            *x = redact(x);
        }
        self
    }
}

/// Rounds for output: enough digits to compare, few enough to be stable
/// across platforms and readable in a diff.
pub fn round(x: f64, digits: i32) -> f64 {
    let m = 10f64.powi(digits);
    let r = (x * m).round() / m;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

pub fn formula(model: Model) -> &'static str {
    match model {
        Model::PainValue => "score = Σ over customers of recency × pain × value × source weight × persona weight × voters (1 + votes), ÷ effort",
        Model::Rice => "score = reach × impact × confidence ÷ effort (reach = Σ recency × source weight; impact = 0.25 + 2.75 × recency-weighted mean pain)",
        Model::Ice => "score = impact × confidence × ease, each 1–10 (impact relative to the most weighted pain; ease = 10 ÷ effort)",
        Model::Wsjf => "score = cost of delay ÷ job size (cost of delay = business value + time criticality + risk reduction, each 1–10, or 0 for a feature no customer asks for; job size = effort)",
        Model::Opportunity => "score = importance + max(importance − satisfaction, 0), on 0–10 (importance from the customers who ask, satisfaction from the sentiment of all)",
        Model::Impact => "score = Σ over customers of their latest importance, 0–3 (not important, nice to have, important, critical) from pain",
        Model::Weighted => "score = Σ weight × driver ÷ Σ weights ÷ effort, drivers (reach, pain, value, trend, strategic fit) normalized to 0–100 across features",
    }
}

/// Everything the report is built from.
pub struct ReportInput<'a> {
    pub roadmap: &'a Roadmap,
    pub as_of: &'a str,
    pub model: Model,
    pub acc: &'a Accumulator,
    /// Ranked best first.
    pub scores: &'a [FeatureScore],
    pub sources: &'a [(String, f64, SourceSummary)],
}

pub fn build(input: &ReportInput<'_>) -> Report {
    let ReportInput {
        roadmap,
        acc,
        scores,
        ..
    } = input;
    let stage_ids: Vec<String> = roadmap
        .stages
        .iter()
        .map(|s| s.id.clone())
        .chain([crate::roadmap::UNKNOWN_ID.to_string()])
        .collect();
    let persona_ids: Vec<String> = roadmap
        .personas
        .iter()
        .map(|p| p.id.clone())
        .chain([crate::roadmap::UNKNOWN_ID.to_string()])
        .collect();
    let source_names: Vec<&str> = input.sources.iter().map(|(n, _, _)| n.as_str()).collect();

    let features = scores
        .iter()
        .enumerate()
        .map(|(rank, s)| {
            let f = &roadmap.features[s.index];
            let fa = &acc.features[s.index];
            let counts = |ids: &[String], c: &[u64]| -> BTreeMap<String, u64> {
                ids.iter()
                    .zip(c)
                    .filter(|(_, n)| **n > 0)
                    .map(|(id, n)| (id.clone(), *n))
                    .collect()
            };
            let top = |ids: &[String], c: &[u64]| -> Option<String> {
                // The most frequent known value; `unknown` only if nothing else.
                let known = c.len().saturating_sub(1);
                (0..known)
                    .filter(|&i| c[i] > 0)
                    .max_by_key(|&i| (c[i], std::cmp::Reverse(i)))
                    .map(|i| ids[i].clone())
            };
            let kinds = Kind::ALL
                .iter()
                .filter(|k| fa.kinds[k.index()] > 0)
                .map(|k| (k.name().to_string(), fa.kinds[k.index()]))
                .collect();
            let mut seen = std::collections::HashSet::new();
            let evidence = fa
                .evidence
                .iter()
                .filter(|q| q.customer.as_ref().is_none_or(|c| seen.insert(c.clone())))
                .take(EVIDENCE_SHOWN)
                .map(|q| Evidence {
                    source: source_names
                        .get(q.source as usize)
                        .unwrap_or(&"?")
                        .to_string(),
                    id: q.id.clone(),
                    customer: q.customer.clone(),
                    created_at: q.created_at.map(format_timestamp),
                    pain: round(q.pain, 3),
                    quote: q.text.clone(),
                })
                .collect();
            FeatureReport {
                rank: rank + 1,
                id: f.id.clone(),
                title: f.title.clone(),
                status: f.status.name().to_string(),
                score: round(s.score, 4),
                customers: s.customers,
                mentions: s.mentions,
                pain: round(s.pain, 3),
                value: round(s.value, 2),
                effort: f.effort,
                confidence: round(s.confidence, 3),
                trend: s.trend.map(|t| round(t, 3)),
                top_stage: top(&stage_ids, &fa.stages),
                top_persona: top(&persona_ids, &fa.personas),
                stages: counts(&stage_ids, &fa.stages),
                personas: counts(&persona_ids, &fa.personas),
                kinds,
                breakdown: s
                    .breakdown
                    .iter()
                    .map(|(k, v)| (k.clone(), round(*v, 4)))
                    .collect(),
                evidence,
            }
        })
        .collect();

    let cols = acc.personas + 1;
    let cells = (0..=acc.stages)
        .map(|s| {
            (0..cols)
                .map(|p| {
                    let c = acc.matrix[s * cols + p];
                    MatrixCell {
                        items: c.items,
                        pain: if c.items == 0 {
                            0.0
                        } else {
                            round(c.pain_micros as f64 / MICROS / c.items as f64, 3)
                        },
                    }
                })
                .collect()
        })
        .collect();

    let accepted = acc.linked + acc.unlinked;
    Report {
        schema_version: SCHEMA_VERSION,
        product: roadmap.product.clone(),
        as_of: input.as_of.to_string(),
        model: input.model.name().to_string(),
        formula: formula(input.model).to_string(),
        totals: Totals {
            items: accepted + acc.rejected + acc.duplicates,
            linked: acc.linked,
            unlinked: acc.unlinked,
            rejected: acc.rejected,
            duplicates: acc.duplicates,
            outside_window: acc.outside_window,
            future: acc.future,
        },
        sources: input
            .sources
            .iter()
            .zip(&acc.sources)
            .map(|((name, weight, summary), counts)| SourceReport {
                path: name.clone(),
                format: summary.format.to_string(),
                preset: summary.preset.map(str::to_string),
                weight: *weight,
                items: counts.items + counts.rejected + counts.duplicates,
                linked: counts.linked,
                rejected: counts.rejected,
                duplicates: counts.duplicates,
            })
            .collect(),
        features,
        matrix: Matrix {
            stages: stage_ids,
            personas: persona_ids,
            cells,
        },
        unlinked: Unlinked {
            count: acc.unlinked,
            share: if accepted == 0 {
                0.0
            } else {
                round(acc.unlinked as f64 / accepted as f64, 4)
            },
            examples: acc
                .unlinked_examples
                .iter()
                .map(|q| q.text.clone())
                .collect(),
        },
    }
}

/// The output formats of `rank`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

/// Options that shape rendering, resolved from flags and the terminal.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub color: bool,
    /// Table width in columns; `None` lets the table size itself.
    pub width: Option<u16>,
    /// Redact personal data in quotes (see [`Report::redacted`]).
    pub redact: bool,
}

/// Writes a report in one format.
pub trait Renderer {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()>;
}

pub struct JsonRenderer;

impl Renderer for JsonRenderer {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        json::to_writer_pretty(&mut *out, report)?;
        writeln!(out)
    }
}

pub fn renderer(format: Format, options: RenderOptions) -> Box<dyn Renderer> {
    match format {
        Format::Table => Box::new(table::TableRenderer { options }),
        Format::Json => Box::new(JsonRenderer),
        Format::Csv => Box::new(csv::CsvRenderer),
        Format::Markdown => Box::new(markdown::MarkdownRenderer {
            redact: options.redact,
        }),
    }
}
