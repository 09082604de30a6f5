//! `painmap rank`: read, tag, score, rank, render; or compare models, or
//! write the ranks back into roadmap.toml.

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::cli::{GlobalArgs, ModelArg, RankArgs, RankFormat};
use crate::config::{self, Settings, UsageError};
use crate::output::{write_to, Plan};
use crate::plural::count;
use crate::report::sanitize::{csv_cell, markdown, terminal};
use crate::report::table::{write_wrapped, Layout, TableRenderer};
use crate::report::{self, round, Format, RenderOptions};
use crate::roadmap::Model;

use super::analysis::Analysis;

pub fn run(global: &GlobalArgs, settings: &Settings, args: &RankArgs) -> anyhow::Result<u8> {
    refuse_unusable_tagged(args)?;
    let compared = compared_models(&args.compare)?;
    let plan = Plan::new().writes("the report", "-o", args.output.as_deref());
    let analysis = match &args.tagged {
        Some(path) => Analysis::run_tagged(&global.roadmap, settings, path, plan)?,
        None => Analysis::run(&global.roadmap, settings, &args.input, plan)?,
    };
    if !compared.is_empty() {
        let mut cmp = compare(&analysis, &compared);
        if let Some(n) = args.top {
            cmp.features.truncate(n);
        }
        let options = RenderOptions {
            color: settings.color && args.output.is_none(),
            width: settings.width,
            redact: false,
        };
        write_to(args.output.as_deref(), |out| {
            write_compare(&cmp, args.format, options, out)
        })?;
        return Ok(0);
    }
    let model = config::model(&analysis.roadmap, args.model);
    let scoring = std::time::Instant::now();
    let mut ranked = analysis.ranking(model);
    let scored_in = scoring.elapsed();
    if args.write {
        let changed = super::write_back::write_ranks(
            &analysis.roadmap,
            &ranked,
            &analysis.as_of,
            model.name(),
        )?;
        if !settings.quiet {
            let path = analysis.roadmap.path.display();
            if changed {
                eprintln!("painmap: wrote rank, score, scored_at and scored_by to {path}");
            } else {
                eprintln!("painmap: {path} is already up to date");
            }
        }
    }
    if let Some(n) = args.top {
        ranked.truncate(n);
    }
    let format = match args.format {
        RankFormat::Table => Format::Table,
        RankFormat::Json => Format::Json,
        RankFormat::Csv => Format::Csv,
        RankFormat::Markdown => Format::Markdown,
    };
    // Markdown reports get shared, so they are redacted unless asked not to.
    let redact = args.redact || (format == Format::Markdown && !args.no_redact);
    let mut report = analysis.report(model, &ranked);
    if redact {
        report = report.redacted();
    }
    let renderer = report::renderer(
        format,
        RenderOptions {
            color: settings.color && args.output.is_none(),
            width: settings.width,
            redact,
        },
    );
    let rendering = std::time::Instant::now();
    write_to(args.output.as_deref(), |out| {
        Ok(renderer.render(&report, out)?)
    })?;
    if settings.verbose {
        let t = &report.totals;
        let duplicates = if t.duplicates > 0 {
            format!(", {}", count(t.duplicates, "duplicate"))
        } else {
            String::new()
        };
        eprintln!(
            "painmap: {} linked, {} unlinked, {} rejected{duplicates}; scored {} with {} in {:.1} ms; rendered in {:.1} ms",
            t.linked,
            t.unlinked,
            t.rejected,
            count(report.features.len(), "feature"),
            report.model,
            scored_in.as_secs_f64() * 1e3,
            rendering.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok(0)
}

/// `rank --tagged` rejects only repeated lines (warned about, as the raw
/// path warns about duplicate rows): `tag` wrote only the items, and a line
/// it cannot rank stops the run (so it always reads as `--strict` asks).
/// The rows worth a `--rejects` file are the tag step's, so the flag is
/// refused rather than ignored, with a pointer to that step.
fn refuse_unusable_tagged(args: &RankArgs) -> Result<(), UsageError> {
    if args.tagged.as_ref().is_some_and(|p| p.as_os_str() == "-") && std::io::stdin().is_terminal()
    {
        return Err(UsageError(
            "--tagged - reads painmap tag's output from stdin, but stdin is a terminal; pipe it in (painmap tag tickets.csv | painmap rank --tagged -) or name the file".into(),
        ));
    }
    if args.tagged.is_some() && args.input.rejects.is_some() {
        return Err(UsageError(
            "rank --tagged reads only the items `painmap tag` wrote, so the rows worth --rejects are the tag step's (a line repeated in the tagged file is warned about and counted once)\n  help: pass --rejects FILE to the tag step instead: painmap tag FEEDBACK --rejects FILE -o tagged.jsonl".into(),
        ));
    }
    Ok(())
}

/// The models of `--compare`, checked before any feedback is read: a
/// comparison needs two or more, each once.
fn compared_models(list: &[ModelArg]) -> Result<Vec<Model>, UsageError> {
    let mut models: Vec<Model> = Vec::new();
    for &m in list {
        let m = Model::from(m);
        if models.contains(&m) {
            return Err(UsageError(format!(
                "--compare lists {} twice; name each model once",
                m.name()
            )));
        }
        models.push(m);
    }
    if let [only] = models[..] {
        let other = if only == Model::PainValue {
            Model::Rice
        } else {
            Model::PainValue
        };
        let (only, other) = (only.name(), other.name());
        return Err(UsageError(format!(
            "--compare needs at least two models, such as --compare {only},{other}; \
             to rank by {only} alone, use --model {only}"
        )));
    }
    Ok(models)
}

/// Each feature's rank and score under several models.
#[derive(Debug, Serialize)]
pub struct Comparison {
    pub as_of: String,
    pub models: Vec<String>,
    /// In the order of the first model's ranking.
    pub features: Vec<ComparedFeature>,
    /// Where the models disagree most, over every feature (`--top` shows
    /// fewer rows, not a different verdict).
    pub disagreement: String,
}

#[derive(Debug, Serialize)]
pub struct ComparedFeature {
    pub id: String,
    pub title: String,
    /// Rank under each model, in `models` order.
    pub ranks: Vec<usize>,
    pub scores: Vec<f64>,
    /// Worst rank minus best rank: how much the models disagree.
    pub spread: usize,
}

pub fn compare(analysis: &Analysis, models: &[Model]) -> Comparison {
    let features = &analysis.roadmap.features;
    // ranks[m][feature index] and scores likewise.
    let per_model: Vec<(Vec<usize>, Vec<f64>)> = models
        .iter()
        .map(|&m| {
            let ranked = analysis.ranking(m);
            let mut ranks = vec![0; features.len()];
            let mut scores = vec![0.0; features.len()];
            for (r, s) in ranked.iter().enumerate() {
                ranks[s.index] = r + 1;
                scores[s.index] = round(s.score, 4);
            }
            (ranks, scores)
        })
        .collect();
    let mut order: Vec<usize> = (0..features.len()).collect();
    order.sort_by_key(|&i| per_model[0].0[i]);
    let mut cmp = Comparison {
        as_of: analysis.as_of.clone(),
        models: models.iter().map(|m| m.name().to_string()).collect(),
        disagreement: String::new(),
        features: order
            .into_iter()
            .map(|i| {
                let ranks: Vec<usize> = per_model.iter().map(|(r, _)| r[i]).collect();
                let spread = ranks.iter().max().unwrap_or(&0) - ranks.iter().min().unwrap_or(&0);
                ComparedFeature {
                    id: features[i].id.clone(),
                    title: features[i].title.clone(),
                    scores: per_model.iter().map(|(_, s)| s[i]).collect(),
                    ranks,
                    spread,
                }
            })
            .collect(),
    };
    cmp.disagreement = disagreement(&cmp);
    cmp
}

/// The sentence under the table: where the models disagree most.
fn disagreement(cmp: &Comparison) -> String {
    let mut by_spread: Vec<&ComparedFeature> =
        cmp.features.iter().filter(|f| f.spread > 0).collect();
    by_spread.sort_by(|a, b| b.spread.cmp(&a.spread).then_with(|| a.id.cmp(&b.id)));
    if by_spread.is_empty() {
        return "The models agree on every rank.".into();
    }
    let worst: Vec<String> = by_spread
        .iter()
        .take(3)
        .map(|f| {
            let lo = f.ranks.iter().min().unwrap_or(&0);
            let hi = f.ranks.iter().max().unwrap_or(&0);
            format!("{} (#{lo} to #{hi})", f.id)
        })
        .collect();
    let top_agree = cmp.features.first().is_some_and(|f| f.spread == 0);
    format!(
        "The models disagree most on {}. {}",
        worst.join(", "),
        if top_agree {
            "They agree on the top feature."
        } else {
            "They do not agree on the top feature: look at the evidence before deciding."
        }
    )
}

fn write_compare(
    cmp: &Comparison,
    format: RankFormat,
    options: RenderOptions,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        RankFormat::Json => {
            crate::report::json::to_writer_pretty(&mut *out, cmp)?;
            writeln!(out)?;
        }
        RankFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            let mut header = vec!["id".to_string(), "title".to_string()];
            header.extend(cmp.models.iter().map(|m| format!("rank_{m}")));
            header.push("spread".into());
            w.write_record(&header)?;
            for f in &cmp.features {
                let mut row = vec![csv_cell(&f.id), csv_cell(&f.title)];
                row.extend(f.ranks.iter().map(usize::to_string));
                row.push(f.spread.to_string());
                w.write_record(&row)?;
            }
            w.flush()?;
        }
        RankFormat::Markdown => {
            writeln!(out, "| feature | {} | spread |", cmp.models.join(" | "))?;
            writeln!(out, "|---|{}--:|", "--:|".repeat(cmp.models.len()))?;
            for f in &cmp.features {
                let ranks: Vec<String> = f.ranks.iter().map(|r| format!("#{r}")).collect();
                writeln!(
                    out,
                    "| {} (`{}`) | {} | {} |",
                    markdown(&f.title),
                    f.id,
                    ranks.join(" | "),
                    f.spread
                )?;
            }
            writeln!(out, "\n{}", cmp.disagreement)?;
        }
        RankFormat::Table => {
            let mut headers = vec!["feature"];
            headers.extend(cmp.models.iter().map(String::as_str));
            headers.push("spread");
            let rows: Vec<Vec<String>> = cmp
                .features
                .iter()
                .map(|f| {
                    let mut row = vec![format!("{} · {}", terminal(&f.id), terminal(&f.title))];
                    row.extend(f.ranks.iter().map(|r| format!("#{r}")));
                    row.push(f.spread.to_string());
                    row
                })
                .collect();
            let table = TableRenderer { options };
            let width = table.width();
            write_wrapped(out, &format!("Ranks by model, as of {}", cmp.as_of), width)?;
            // Every rank is the point of the table, so only the spread
            // (which the sentence under it sums up) is ever dropped.
            table.write_fitted(
                out,
                &Layout {
                    headers: &headers,
                    left: &(0..headers.len()).collect::<Vec<_>>(),
                    free: 0,
                    drop_order: &[headers.len() - 1],
                    every_column: "--format csv",
                },
                &rows,
            )?;
            write_wrapped(out, &cmp.disagreement, width)?;
        }
    }
    Ok(())
}
