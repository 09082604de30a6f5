//! `painmap tag`: every item with its tags, one JSON object a line (or CSV),
//! in input order. Tagging is a map step: its output can be ranked later.

use rayon::prelude::*;
use serde::Serialize;

use crate::cli::{GlobalArgs, TagArgs, TagFormat};
use crate::config::{self, Settings};
use crate::ingest::values::format_timestamp;
use crate::ingest::Diagnostics;
use crate::item::Item;
use crate::output::{write_to, Plan};
use crate::pipeline;
use crate::report::round;
use crate::report::sanitize::{csv_cell, terminal};
use crate::roadmap::Roadmap;
use crate::score::accumulate::micros;
use crate::tag::{Explanation, Scratch, Tagger, Tags};

/// One line of `tag` output.
#[derive(Debug, Serialize)]
pub struct TaggedItem<'a> {
    pub source: &'a str,
    pub id: &'a str,
    pub line: u64,
    pub customer: Option<&'a str>,
    pub account: Option<&'a str>,
    pub created_at: Option<String>,
    pub features: Vec<&'a str>,
    pub stage: &'a str,
    pub persona: &'a str,
    pub kind: &'a str,
    pub sentiment: f64,
    pub pain: f64,
    pub value: Option<f64>,
    /// The export's rating normalized to [0, 1], 1 the best.
    pub rating: Option<f64>,
    /// People who endorsed the item without writing it (reactions, votes).
    pub votes: u32,
    /// The plan or segment, for `[scoring.segments]` when ranking the lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<&'a str>,
    /// The source's weight, written when it is not 1.
    #[serde(skip_serializing_if = "is_one")]
    pub weight: f64,
    pub text: &'a str,
    /// With `--explain`: why the item got its tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Explanation>,
}

fn is_one(w: &f64) -> bool {
    *w == 1.0
}

impl<'a> TaggedItem<'a> {
    pub fn new(
        roadmap: &'a Roadmap,
        source: &'a str,
        item: &'a Item,
        tags: &Tags,
    ) -> TaggedItem<'a> {
        TaggedItem::weighted(roadmap, source, 1.0, item, tags)
    }

    /// A line for an item from a source of weight `weight`.
    pub fn weighted(
        roadmap: &'a Roadmap,
        source: &'a str,
        weight: f64,
        item: &'a Item,
        tags: &Tags,
    ) -> TaggedItem<'a> {
        TaggedItem {
            source,
            id: &item.id,
            line: item.line,
            customer: item.customer.as_deref(),
            account: item.account.as_deref(),
            created_at: item.created_at.map(format_timestamp),
            features: tags
                .features
                .iter()
                .map(|&f| roadmap.features[f as usize].id.as_str())
                .collect(),
            stage: tags.stage.map_or(crate::roadmap::UNKNOWN_ID, |s| {
                roadmap.stages[s as usize].id.as_str()
            }),
            persona: tags.persona.map_or(crate::roadmap::UNKNOWN_ID, |p| {
                roadmap.personas[p as usize].id.as_str()
            }),
            kind: tags.kind().name(),
            // Millionths: the accumulator's resolution, so that ranking
            // these lines (`rank --tagged`) matches ranking the raw input.
            sentiment: micros(tags.sentiment),
            pain: micros(tags.pain),
            value: item.value,
            rating: item.rating.map(|r| round(r, 4)),
            votes: item.votes,
            segment: item.segment.as_deref(),
            weight,
            text: &item.text,
            explain: None,
        }
    }
}

/// Explanations quote the customer's words; like every text painmap
/// prints, they lose their control characters.
fn sanitize(mut why: Explanation) -> Explanation {
    for link in &mut why.links {
        link.phrase = terminal(&link.phrase);
        for q in &mut link.matched {
            q.text = terminal(&q.text);
        }
    }
    for cue in &mut why.cues {
        cue.matched.text = terminal(&cue.matched.text);
    }
    for (word, _) in &mut why.pain.sentiment_words {
        *word = terminal(word);
    }
    why
}

const CSV_HEADER: [&str; 17] = [
    "source",
    "id",
    "line",
    "customer",
    "account",
    "created_at",
    "features",
    "stage",
    "persona",
    "kind",
    "sentiment",
    "pain",
    "value",
    "rating",
    "votes",
    "text",
    "explain",
];

/// Items tagged and written as one piece of output.
const LINES_PER_PIECE: usize = 256;

/// How `tag` writes its lines.
struct Lines<'a> {
    roadmap: &'a Roadmap,
    names: &'a [&'a str],
    sources: &'a [crate::ingest::Source],
    csv: bool,
    explain: bool,
}

impl Lines<'_> {
    /// Tags `items` and appends their lines to `buf`.
    fn write(
        &self,
        tagger: &Tagger,
        scratch: &mut Scratch,
        items: &[Item],
        buf: &mut Vec<u8>,
    ) -> anyhow::Result<()> {
        let mut csv = self.csv.then(|| csv::Writer::from_writer(Vec::new()));
        for item in items {
            let (t, why) = if self.explain {
                let (tags, why) = tagger.tag_explained(item, scratch);
                (tags, Some(sanitize(why)))
            } else {
                (tagger.tag(item, scratch), None)
            };
            let mut row = TaggedItem::weighted(
                self.roadmap,
                self.names[item.source],
                self.sources[item.source].weight,
                item,
                &t,
            );
            // The explanation states the pain and sentiment the line
            // carries, at the line's resolution.
            row.explain = why.map(|mut why| {
                why.pain.pain = row.pain;
                why.pain.sentiment = row.sentiment;
                why
            });
            match &mut csv {
                None => {
                    crate::report::json::to_writer(&mut *buf, &row)?;
                    buf.push(b'\n');
                }
                Some(w) => {
                    let explain = match &row.explain {
                        Some(why) => crate::report::json::to_string(why)?,
                        None => String::new(),
                    };
                    let mut record = vec![
                        csv_cell(row.source),
                        csv_cell(row.id),
                        row.line.to_string(),
                        row.customer.map(csv_cell).unwrap_or_default(),
                        row.account.map(csv_cell).unwrap_or_default(),
                        row.created_at.unwrap_or_default(),
                        csv_cell(&row.features.join(";")),
                        csv_cell(row.stage),
                        csv_cell(row.persona),
                        row.kind.to_string(),
                        row.sentiment.to_string(),
                        row.pain.to_string(),
                        row.value.map(|v| v.to_string()).unwrap_or_default(),
                        row.rating.map(|v| v.to_string()).unwrap_or_default(),
                        row.votes.to_string(),
                        csv_cell(row.text),
                    ];
                    if self.explain {
                        record.push(csv_cell(&explain));
                    }
                    w.write_record(&record)?;
                }
            }
        }
        if let Some(w) = csv {
            buf.extend_from_slice(&w.into_inner().map_err(|e| e.into_error())?);
        }
        Ok(())
    }
}

pub fn run(global: &GlobalArgs, settings: &Settings, args: &TagArgs) -> anyhow::Result<u8> {
    let started = std::time::Instant::now();
    let roadmap = config::load_roadmap(&global.roadmap, settings.quiet)?;
    let sources = config::sources(&roadmap, &args.input)?;
    Plan::new()
        .writes("the tagged items", "-o", args.output.as_deref())
        .feedback(&global.roadmap, &sources, args.input.rejects.as_deref())
        .check()?;
    let tagger = Tagger::new(&roadmap)?;
    let diag = Diagnostics::new(settings.quiet);
    let wanted = pipeline::wanted_fields(&roadmap);
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    let mut rejects =
        pipeline::Rejects::new(args.input.strict, args.input.rejects.as_deref(), &sources)?;

    let result = write_to(args.output.as_deref(), |out| {
        let csv = args.format == TagFormat::Csv;
        if csv {
            let columns = if args.explain { 17 } else { 16 };
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(&CSV_HEADER[..columns])?;
            w.flush()?;
        }
        let shape = Lines {
            roadmap: &roadmap,
            names: &names,
            sources: &sources,
            csv,
            explain: args.explain,
        };
        // Tagging and writing the lines both run on all cores, in pieces
        // whose bytes are then written in input order.
        let lines = |items: Vec<Item>| -> Vec<anyhow::Result<Vec<u8>>> {
            items
                .par_chunks(LINES_PER_PIECE)
                .map_init(Scratch::default, |scratch, items| {
                    let mut buf = Vec::with_capacity(items.len() * 512);
                    shape.write(&tagger, scratch, items, &mut buf)?;
                    Ok(buf)
                })
                .collect()
        };
        // One chunk is tagged while the next is read.
        let summaries = pipeline::read_chunks_overlapped(
            &sources,
            &wanted,
            &diag,
            &lines,
            &mut |pieces| {
                for piece in pieces {
                    out.write_all(&piece?)?;
                }
                Ok(())
            },
            &mut |r| rejects.take(&r),
        )?;
        if settings.verbose {
            for (src, summary) in sources.iter().zip(&summaries) {
                crate::output::describe_source(&src.name, summary);
            }
            eprintln!(
                "painmap: read, tagged and wrote {} in {:.1} ms",
                crate::plural::count(summaries.iter().map(|s| s.items).sum::<u64>(), "item"),
                started.elapsed().as_secs_f64() * 1e3
            );
        }
        Ok(())
    });
    rejects.finish()?;
    result?;
    diag.finish();
    Ok(0)
}
