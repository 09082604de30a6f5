//! `painmap themes`: what customers talk about that no feature covers, as
//! a table, JSON, or a `[[features]]` snippet to paste into roadmap.toml.

use std::io::{IsTerminal, Write};

use rayon::prelude::*;

use crate::cli::{GlobalArgs, ThemesArgs, ThemesFormat};
use crate::config::{self, Settings, UsageError};
use crate::ingest::Diagnostics;
use crate::output::{write_to, Plan};
use crate::pipeline;
use crate::report::sanitize::terminal;
use crate::report::table::{write_wrapped, Layout, TableRenderer};
use crate::report::RenderOptions;
use crate::tag::{Scratch, Tagger, Tags};
use crate::themes::{toml_snippet, NoThemes, Phrasing, Sighting, ThemeMiner, Themes};

pub fn run(global: &GlobalArgs, settings: &Settings, args: &ThemesArgs) -> anyhow::Result<u8> {
    if args.input.feedback.iter().any(|f| f == "-") && std::io::stdin().is_terminal() {
        return Err(UsageError(
            "painmap themes - reads feedback from stdin, but stdin is a terminal; pipe a file in (painmap themes - < tickets.csv) or name the file".into(),
        )
        .into());
    }
    let started = std::time::Instant::now();
    let roadmap = config::load_roadmap(&global.roadmap, settings.quiet)?;
    let sources = config::sources(&roadmap, &args.input)?;
    Plan::new()
        .writes("the themes", "-o", args.output.as_deref())
        .feedback(&global.roadmap, &sources, args.input.rejects.as_deref())
        .check()?;
    let mut rejects =
        pipeline::Rejects::new(args.input.strict, args.input.rejects.as_deref(), &sources)?;
    let tagger = Tagger::new(&roadmap)?;
    let diag = Diagnostics::new(settings.quiet);
    let wanted = pipeline::wanted_fields(&roadmap);
    // One chunk is tagged and mined while the next is read. Chunks are
    // processed one at a time and in order, so the lock is never contended.
    // Within a chunk, items are tagged and their phrases found on all cores,
    // then counted in input order.
    let phrasing = Phrasing::new(&roadmap);
    let miner = std::sync::Mutex::new(ThemeMiner::new(&roadmap));
    let read = pipeline::read_chunks_overlapped(
        &sources,
        &wanted,
        &diag,
        &|items| {
            let sighted: Vec<(Tags, Sighting)> = items
                .par_iter()
                .map_init(Scratch::default, |scratch, item| {
                    let tags = tagger.tag(item, scratch);
                    let sighting = phrasing.sight(item, &tags, scratch.normalized());
                    (tags, sighting)
                })
                .collect();
            let mut miner = miner.lock().unwrap_or_else(|p| p.into_inner());
            for (item, (tags, sighting)) in items.iter().zip(sighted) {
                miner.apply(item, &tags, sighting);
            }
        },
        &mut |()| Ok(()),
        &mut |r| rejects.take(&r),
    );
    // The rejects file is written even when --strict stops the run.
    rejects.finish()?;
    let summaries = read?;
    diag.finish();
    let read_in = started.elapsed();
    let miner = miner.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut themes = miner.finish(args.top, args.min_customers);
    if args.redact {
        for theme in &mut themes.themes {
            for quote in &mut theme.quotes {
                *quote = crate::report::sanitize::redact(quote);
            }
        }
    }
    if settings.verbose {
        for (src, summary) in sources.iter().zip(&summaries) {
            crate::output::describe_source(&src.name, summary);
        }
        eprintln!(
            "painmap: read, tagged and mined {} in {:.1} ms; {} of them unlinked; grouped {} in {:.1} ms",
            crate::plural::count(themes.items, "item"),
            read_in.as_secs_f64() * 1e3,
            themes.unlinked,
            crate::plural::count(themes.themes.len(), "theme"),
            (started.elapsed() - read_in).as_secs_f64() * 1e3
        );
    }
    write_to(args.output.as_deref(), |out| match args.format {
        ThemesFormat::Json => {
            crate::report::json::to_writer_pretty(&mut *out, &themes)?;
            out.write_all(b"\n")?;
            Ok(())
        }
        ThemesFormat::Toml => Ok(out.write_all(toml_snippet(&themes).as_bytes())?),
        ThemesFormat::Table => write_table(
            out,
            &themes,
            RenderOptions {
                color: settings.color && args.output.is_none(),
                width: settings.width,
                redact: false,
            },
        ),
    })?;
    Ok(0)
}

/// Why there are no themes, in words: only one of the reasons is the
/// `--min-customers` floor.
fn no_themes(why: NoThemes) -> &'static str {
    match why {
        NoThemes::AllLinked => "every item links to a feature",
        NoThemes::FewCustomers => {
            "no phrase of the unlinked items was said by enough customers (see --min-customers)"
        }
        NoThemes::NoTopic => {
            "the phrases of the unlinked items that enough customers said are as common in the linked items, verdicts (\"useless\", \"slow\"), or praise, not topics"
        }
    }
}

fn write_table(out: &mut dyn Write, themes: &Themes, options: RenderOptions) -> anyhow::Result<()> {
    let table = TableRenderer { options };
    let width = table.width();
    write_wrapped(
        out,
        &format!(
            "{} of {} items link to no feature; what they talk about:",
            themes.unlinked, themes.items
        ),
        width,
    )?;
    if let Some(why) = themes.empty {
        write_wrapped(out, &format!("no themes: {}", no_themes(why)), width)?;
        return Ok(());
    }
    const HEADERS: [&str; 8] = [
        "#",
        "theme",
        "customers",
        "mentions",
        "pain",
        "stage",
        "persona",
        "quotes",
    ];
    let rows: Vec<Vec<String>> = themes
        .themes
        .iter()
        .enumerate()
        .map(|(i, theme)| {
            let quotes: Vec<String> = theme
                .quotes
                .iter()
                .map(|q| format!("“{}”", terminal(q)))
                .collect();
            vec![
                (i + 1).to_string(),
                terminal(&theme.phrase),
                theme.customers.to_string(),
                theme.mentions.to_string(),
                format!("{:.2}", theme.mean_pain),
                theme
                    .top_stage
                    .as_deref()
                    .unwrap_or(crate::roadmap::UNKNOWN_ID)
                    .to_string(),
                theme
                    .top_persona
                    .as_deref()
                    .unwrap_or(crate::roadmap::UNKNOWN_ID)
                    .to_string(),
                quotes.join("\n"),
            ]
        })
        .collect();
    // The quotes are the free text that wraps; a theme is a short phrase
    // kept whole. When the short columns do not fit, what `--format json`
    // also gives goes first, as in the rank table.
    table.write_fitted(
        out,
        &Layout {
            headers: &HEADERS,
            left: &[1, 5, 6, 7],
            free: 7,
            drop_order: &[3, 6, 5, 4],
            every_column: "--format json",
        },
        &rows,
    )?;
    writeln!(out)?;
    write_wrapped(
        out,
        "To track them, add to roadmap.toml (painmap themes --format toml >> roadmap.toml):",
        width,
    )?;
    // The snippet is pasted as it is, so it is never wrapped.
    writeln!(out)?;
    out.write_all(toml_snippet(themes).as_bytes())?;
    Ok(())
}
