//! `painmap rank`: read, tag, score, rank, render.

use std::time::Instant;

use crate::cli::{GlobalArgs, RankArgs, RankFormat};
use crate::config::{self, Settings};
use crate::ingest::Diagnostics;
use crate::output::write_to;
use crate::pipeline;
use crate::report::{self, Format, RenderOptions, ReportInput};
use crate::score::models::{self, Weights};
use crate::tag::Tagger;

pub fn run(global: &GlobalArgs, settings: &Settings, args: &RankArgs) -> anyhow::Result<u8> {
    let started = Instant::now();
    let roadmap = config::load_roadmap(&global.roadmap, settings.quiet)?;
    let sources = config::sources(&roadmap, &args.input)?;
    let model = config::model(&roadmap, args.model);
    let window = settings.window(&roadmap);
    let tagger = Tagger::new(&roadmap)?;
    let diag = Diagnostics::new(settings.quiet);

    let (acc, summaries) =
        pipeline::accumulate(&roadmap, &tagger, &sources, &window, &diag, &mut |_| Ok(()))?;
    diag.finish();
    let read = started.elapsed();

    let weights = Weights {
        sources: sources.iter().map(|s| s.weight).collect(),
        personas: roadmap.personas.iter().map(|p| p.weight).collect(),
    };
    let mut scores = models::score_features(
        &acc,
        &roadmap.features,
        &roadmap.scoring,
        model,
        &window,
        &weights,
    );
    models::rank(&mut scores, &roadmap.features);
    if let Some(n) = args.top {
        scores.truncate(n);
    }
    let named: Vec<(String, f64, _)> = sources
        .iter()
        .zip(summaries)
        .map(|(s, summary)| (s.name.clone(), s.weight, summary))
        .collect();
    if settings.verbose {
        for (name, _, s) in &named {
            crate::output::describe_source(name, s);
        }
        eprintln!(
            "painmap: read and tagged {} items in {:.1} ms; scored {} features in {:.1} ms",
            acc.linked + acc.unlinked + acc.rejected,
            read.as_secs_f64() * 1e3,
            scores.len(),
            (started.elapsed() - read).as_secs_f64() * 1e3
        );
    }
    let as_of = settings.as_of_string();
    let report = report::build(&ReportInput {
        roadmap: &roadmap,
        as_of: &as_of,
        model,
        acc: &acc,
        scores: &scores,
        sources: &named,
    });
    let format = match args.format {
        RankFormat::Table => Format::Table,
        RankFormat::Json => Format::Json,
        RankFormat::Csv => Format::Csv,
        RankFormat::Markdown => Format::Markdown,
    };
    let color = settings.color && args.output.is_none();
    let renderer = report::renderer(
        format,
        RenderOptions {
            color,
            width: settings.width,
        },
    );
    let rendering = Instant::now();
    write_to(args.output.as_deref(), |out| {
        Ok(renderer.render(&report, out)?)
    })?;
    if settings.verbose {
        let t = &report.totals;
        eprintln!(
            "painmap: {} linked, {} unlinked, {} rejected; rendered in {:.1} ms; done in {:.1} ms",
            t.linked,
            t.unlinked,
            t.rejected,
            rendering.elapsed().as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    Ok(0)
}
