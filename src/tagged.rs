//! Reading `tag` output back, for `rank --tagged FILE`.
//!
//! `tag` is a map step (it can run on any engine, in pieces) and ranking is
//! the reduce: each JSON line carries what the accumulator needs (features,
//! stage, persona, kind, sentiment, pain at millionths, customer, account,
//! value, segment, source weight and the text for quotes), so ranking the
//! lines gives the same report as ranking the raw export. Ids are looked up
//! in the roadmap; a line that names an id the roadmap does not have is an
//! error, because it means the lines were tagged against another roadmap.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use crate::ingest::SourceSummary;
use crate::item::{Item, Kind};
use crate::roadmap::{Roadmap, UNKNOWN_ID};
use crate::score::{Accumulator, Window};
use crate::tag::Tags;

/// How `rank --tagged` reports the format of the sources it read.
pub const FORMAT: &str = "tagged";

/// One line of `tag` output, as read back. Fields `tag` did not write in
/// older versions have defaults; unknown fields are ignored, so lines
/// annotated by another tool still read.
#[derive(Debug, Deserialize)]
struct Line {
    source: String,
    id: String,
    #[serde(default)]
    line: u64,
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    account: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    features: Vec<String>,
    stage: String,
    persona: String,
    kind: Kind,
    sentiment: f64,
    pain: f64,
    #[serde(default)]
    value: Option<f64>,
    #[serde(default)]
    segment: Option<String>,
    #[serde(default)]
    votes: u32,
    #[serde(default = "one")]
    weight: f64,
    #[serde(default)]
    text: String,
}

fn one() -> f64 {
    1.0
}

/// A source named in the tagged lines, in order of first appearance.
#[derive(Debug, Clone)]
pub struct TaggedSource {
    pub name: String,
    pub weight: f64,
    pub summary: SourceSummary,
}

/// A tagged line that cannot be ranked. Names the file and line.
#[derive(Debug, thiserror::Error)]
pub enum TaggedError {
    #[error("{name}:{line}: not a line of `painmap tag` output: {message}\n  help: give --tagged the JSON Lines that `painmap tag` wrote (not --format csv)")]
    Json {
        name: String,
        line: u64,
        message: String,
    },
    #[error("{name}:{line}: {what} `{id}` is not in the roadmap\n  help: the lines were tagged against another roadmap; run `painmap tag` again with this one")]
    UnknownId {
        name: String,
        line: u64,
        what: &'static str,
        id: String,
    },
    #[error("{name}:{line}: created_at {value:?} is not a timestamp `painmap tag` writes\n  help: created_at is written by `painmap tag` as RFC 3339 in the years 1990 to 2100, e.g. 2026-11-01T09:30:00Z")]
    Date {
        name: String,
        line: u64,
        value: String,
    },
    #[error("{name}:{line}: source {source_name:?} has weight {weight} here but {first} on an earlier line\n  help: a source's weight comes from its [[sources]] entry; tag every piece with the same roadmap")]
    Weight {
        name: String,
        line: u64,
        source_name: String,
        weight: f64,
        first: f64,
    },
    #[error("{name}:{line}: {field} {value:?} is outside {range}, where `painmap tag` writes it\n  help: the line was edited or written by another tool; tag the feedback again, or keep {field} within {range}")]
    Range {
        name: String,
        line: u64,
        field: &'static str,
        value: f64,
        range: String,
    },
    #[error("{name}: no tagged lines\n  help: run `painmap tag` on the feedback first, e.g. painmap tag feedback.csv -o tagged.jsonl")]
    Empty { name: String },
}

/// Ids of the roadmap, for turning names on the lines back into indexes.
struct Ids {
    features: HashMap<String, u32>,
    stages: HashMap<String, u16>,
    personas: HashMap<String, u16>,
}

impl Ids {
    fn new(roadmap: &Roadmap) -> Ids {
        Ids {
            features: (0..)
                .zip(&roadmap.features)
                .map(|(i, f)| (f.id.clone(), i))
                .collect(),
            stages: (0..)
                .zip(&roadmap.stages)
                .map(|(i, s)| (s.id.clone(), i))
                .collect(),
            personas: (0..)
                .zip(&roadmap.personas)
                .map(|(i, p)| (p.id.clone(), i))
                .collect(),
        }
    }
}

/// Reads tagged lines from `path` (`-` is stdin) into an accumulator.
pub fn accumulate(
    roadmap: &Roadmap,
    path: &Path,
    window: &Window,
    diag: &crate::ingest::Diagnostics,
) -> anyhow::Result<(Accumulator, Vec<TaggedSource>)> {
    let (name, input): (String, Box<dyn Read>) = if path.as_os_str() == "-" {
        ("<stdin>".into(), Box::new(io::stdin().lock()))
    } else {
        let name = path.display().to_string();
        let file = File::open(path).with_context(|| format!("{name}: cannot open"))?;
        (name, Box::new(file))
    };
    let mut reader = BufReader::with_capacity(1 << 18, input);
    let ids = Ids::new(roadmap);
    let mut sources: Vec<TaggedSource> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    // Sources become known as lines name them.
    let mut acc = Accumulator::new(
        roadmap.features.len(),
        roadmap.stages.len(),
        roadmap.personas.len(),
        0,
    );
    let mut buf = String::new();
    let mut lineno = 0u64;
    // The raw path's duplicate check, so that lines written twice (a map
    // task run again, two outputs concatenated) count once, as the rows
    // they came from did; `names` are the sources, for its messages.
    let mut dedup = crate::pipeline::Dedup::default();
    let mut names: Vec<crate::ingest::Source> = Vec::new();
    let mut folded = Vec::new();
    loop {
        buf.clear();
        let n = reader
            .read_line(&mut buf)
            .with_context(|| format!("{name}: cannot read"))?;
        if n == 0 {
            break;
        }
        lineno += 1;
        // A BOM, as PowerShell's Out-File writes one, is not part of the
        // first line.
        let text = match lineno {
            1 => buf.strip_prefix('\u{feff}').unwrap_or(&buf),
            _ => &buf,
        };
        if text.trim().is_empty() {
            continue;
        }
        let line: Line = serde_json::from_str(text).map_err(|e| TaggedError::Json {
            name: name.clone(),
            line: lineno,
            message: e.to_string(),
        })?;
        check_ranges(&line, &name, lineno)?;
        let source = match index.get(&line.source) {
            Some(&i) => {
                let first = sources[i].weight;
                if first != line.weight {
                    return Err(TaggedError::Weight {
                        name,
                        line: lineno,
                        source_name: line.source,
                        weight: line.weight,
                        first,
                    }
                    .into());
                }
                i
            }
            None => {
                index.insert(line.source.clone(), sources.len());
                sources.push(TaggedSource {
                    name: line.source.clone(),
                    weight: line.weight,
                    summary: SourceSummary {
                        format: FORMAT,
                        ..SourceSummary::default()
                    },
                });
                acc.push_source();
                names.push(crate::ingest::Source::from_arg(&line.source, None));
                sources.len() - 1
            }
        };
        let (item, tags) = to_item(&ids, &name, lineno, source, line)?;
        let repeat = crate::pipeline::Prints::of(&item, &mut folded)
            .and_then(|p| dedup.check_prints(&p, &item, &names));
        if let Some(reason) = repeat {
            diag.warn_now(
                "duplicate",
                &format!("{name}:{lineno}"),
                &format!(
                    "{reason} (line {} of {}); it counts once",
                    item.line, names[source].name
                ),
            );
            sources[source].summary.duplicates += 1;
            acc.duplicate(source);
            continue;
        }
        sources[source].summary.items += 1;
        acc.add(&item, &tags, window);
    }
    if sources.is_empty() {
        return Err(TaggedError::Empty { name }.into());
    }
    Ok((acc, sources))
}

/// The numbers of a line must be what `tag` writes, or ranking it would
/// give what ranking the raw feedback never could (a pain of 7.5 clamped,
/// an account worth 1e300): the bounds the raw path applies.
fn check_ranges(line: &Line, name: &str, lineno: u64) -> Result<(), TaggedError> {
    let max_value = crate::ingest::MAX_VALUE;
    let max_weight = crate::roadmap::MAX_WEIGHT;
    let checks = [
        ("pain", Some(line.pain), 0.0, 1.0),
        ("sentiment", Some(line.sentiment), -1.0, 1.0),
        ("value", line.value, 0.0, max_value),
        ("weight", Some(line.weight), 0.0, max_weight),
        (
            "votes",
            Some(f64::from(line.votes)),
            0.0,
            crate::ingest::MAX_VOTES,
        ),
    ];
    for (field, value, lo, hi) in checks {
        if let Some(v) = value.filter(|v| !(lo..=hi).contains(v)) {
            return Err(TaggedError::Range {
                name: name.to_string(),
                line: lineno,
                field,
                value: v,
                range: format!("{lo} to {hi}"),
            });
        }
    }
    Ok(())
}

fn to_item(
    ids: &Ids,
    name: &str,
    lineno: u64,
    source: usize,
    line: Line,
) -> Result<(Item, Tags), TaggedError> {
    let unknown = |what: &'static str, id: &str| TaggedError::UnknownId {
        name: name.to_string(),
        line: lineno,
        what,
        id: id.to_string(),
    };
    let mut features = line
        .features
        .iter()
        .map(|f| {
            ids.features
                .get(f)
                .copied()
                .ok_or_else(|| unknown("feature", f))
        })
        .collect::<Result<Vec<u32>, _>>()?;
    features.sort_unstable();
    features.dedup();
    let stage = match line.stage.as_str() {
        UNKNOWN_ID => None,
        s => Some(*ids.stages.get(s).ok_or_else(|| unknown("stage", s))?),
    };
    let persona = match line.persona.as_str() {
        UNKNOWN_ID => None,
        p => Some(*ids.personas.get(p).ok_or_else(|| unknown("persona", p))?),
    };
    let created_at = match &line.created_at {
        None => None,
        // Only dates the raw path keeps: it reads others as undated.
        Some(s) => Some(
            parse_timestamp(s)
                .filter(|&t| crate::ingest::values::plausible_second(t))
                .ok_or_else(|| TaggedError::Date {
                    name: name.to_string(),
                    line: lineno,
                    value: s.clone(),
                })?,
        ),
    };
    let item = Item {
        source,
        line: line.line,
        id: line.id,
        text: line.text,
        created_at,
        customer: line.customer,
        account: line.account,
        value: line.value,
        segment: line.segment,
        votes: line.votes,
        ..Item::default()
    };
    let tags = Tags {
        features,
        stage,
        persona,
        kind: Some(line.kind),
        sentiment: line.sentiment,
        pain: line.pain,
    };
    Ok((item, tags))
}

/// `tag` writes RFC 3339 UTC, or epoch seconds for dates outside what a
/// timestamp holds.
fn parse_timestamp(s: &str) -> Option<i64> {
    s.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .ok()
        .or_else(|| s.parse::<i64>().ok())
}

/// The report's source list for a tagged run.
pub fn named(sources: Vec<TaggedSource>) -> Vec<(String, f64, SourceSummary)> {
    sources
        .into_iter()
        .map(|s| (s.name, s.weight, s.summary))
        .collect()
}
