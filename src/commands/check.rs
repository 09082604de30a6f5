//! `painmap check`: validate roadmap.toml and its sources without ranking,
//! and lint the roadmap against the feedback. Problems exit 3, so a CI job
//! fails; warnings are printed and exit 0.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::check::{self, Finding, Locator, Severity, Usage};
use crate::cli::{CheckArgs, CheckFormat, GlobalArgs};
use crate::config::{self, Settings};
use crate::ingest::Diagnostics;
use crate::item::Item;
use crate::output::{self, write_to, Plan};
use crate::pipeline;
use crate::plural::count;
use crate::report::sanitize::terminal;
use crate::roadmap::Roadmap;
use crate::score::Window;
use crate::tag::{Scratch, Tagger};

/// What `check --format json` writes.
#[derive(Debug, Serialize)]
pub struct CheckReport {
    pub roadmap: String,
    pub problems: usize,
    pub warnings: usize,
    /// Problems first, then warnings, each in the order they were found.
    pub findings: Vec<Finding>,
    /// What the feedback showed; absent when there was none to read or the
    /// roadmap did not load.
    pub feedback: Option<FeedbackSummary>,
}

#[derive(Debug, Serialize)]
pub struct FeedbackSummary {
    pub sources: Vec<SourceCheck>,
    pub items: u64,
    pub linked: u64,
    pub unlinked: u64,
    pub rejected: u64,
    /// Rows that repeat an earlier one, counted once (as in rank's report).
    pub duplicates: u64,
    pub unlinked_share: f64,
    pub max_unlinked_share: f64,
    /// Items per feature, stage and persona id.
    pub features: BTreeMap<String, u64>,
    pub stages: BTreeMap<String, u64>,
    pub personas: BTreeMap<String, u64>,
}

#[derive(Debug, Serialize)]
pub struct SourceCheck {
    pub path: String,
    pub readable: bool,
    pub format: Option<String>,
    pub preset: Option<String>,
    pub items: u64,
    pub rejected: u64,
    pub duplicates: u64,
}

impl CheckReport {
    fn new(roadmap: String, mut findings: Vec<Finding>, feedback: Option<FeedbackSummary>) -> Self {
        findings.sort_by_key(|f| std::cmp::Reverse(f.level));
        let problems = findings
            .iter()
            .filter(|f| f.level == Severity::Problem)
            .count();
        CheckReport {
            roadmap,
            problems,
            warnings: findings.len() - problems,
            findings,
            feedback,
        }
    }
}

pub fn run(global: &GlobalArgs, settings: &Settings, args: &CheckArgs) -> anyhow::Result<u8> {
    let path = &global.roadmap;
    let name = path.display().to_string();
    // A roadmap that cannot be read is an error (exit 1); one that reads but
    // does not validate is what check is for: a problem (exit 3).
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        // Roadmap::load reads it the same way, and says why it cannot.
        Err(e) => {
            return Err(Roadmap::load(path)
                .err()
                .map_or_else(|| e.into(), Into::into))
        }
    };
    let roadmap = match Roadmap::parse(path, &text) {
        Ok(r) => r,
        Err(e) => {
            let findings = e.each().map(Finding::from_roadmap_error).collect();
            let report = CheckReport::new(name, findings, None);
            return finish(settings, args, &report, None);
        }
    };
    let loc = Locator::new(path, &text);
    let mut findings = check::static_findings(&roadmap, &loc);

    let feedback = if args.input.feedback.is_empty() && roadmap.sources.is_empty() {
        findings.push(Finding {
            level: Severity::Warning,
            code: "no-feedback",
            location: Some(name.clone()),
            message: "no feedback to check against, so the lints that need it were skipped".into(),
            help: Some(
                "add [[sources]] to the roadmap, or name feedback files: painmap check tickets.csv"
                    .into(),
            ),
        });
        None
    } else {
        let (summary, mut more) = measure(&roadmap, &loc, settings, args)?;
        findings.append(&mut more);
        Some(summary)
    };
    let report = CheckReport::new(name, findings, feedback);
    finish(settings, args, &report, Some(&roadmap))
}

/// Reads every source, tags every item and counts what was used; a source
/// that cannot be read becomes a problem and the others are still read.
fn measure(
    roadmap: &Roadmap,
    loc: &Locator,
    settings: &Settings,
    args: &CheckArgs,
) -> anyhow::Result<(FeedbackSummary, Vec<Finding>)> {
    let started = Instant::now();
    let sources = config::sources(roadmap, &args.input)?;
    // The report always goes to stdout, so `--rejects -` would interleave
    // the rejected rows with it.
    Plan::new()
        .writes_stdout("the report")
        .feedback(&roadmap.path, &sources, args.input.rejects.as_deref())
        .check()?;
    // check reports rejected rows rather than stopping at them, --strict
    // or not: under --strict any rejected row is a problem.
    let mut rejects = pipeline::Rejects::new(false, args.input.rejects.as_deref(), &sources)?;
    let from_roadmap = args.input.feedback.is_empty();
    let phrases = check::phrases(roadmap);
    let texts: Vec<String> = phrases.iter().map(|p| p.text.clone()).collect();
    let tagger = Tagger::counting(roadmap, &texts)?;
    let diag = Diagnostics::new(settings.quiet);
    let wanted = pipeline::wanted_fields(roadmap);
    let empty = Usage::new(roadmap, phrases.len());
    let window = settings.window(roadmap);
    let mut usage = empty.clone();
    let mut findings = Vec::new();
    let mut checked = Vec::new();
    let mut dates = Vec::new();

    // Every source in one read, as a ranking reads them, so that a row an
    // earlier source holds already (overlapping exports) is a duplicate
    // here too, and check counts what rank counts.
    // Rejected rows and duplicates of each source.
    let mut rejected = vec![(0u64, 0u64); sources.len()];
    let mut no_text = 0u64;
    let mut newest = vec![None; sources.len()];
    let results = pipeline::read_chunks_each(
        &sources,
        &wanted,
        &diag,
        &mut |items| {
            for item in &items {
                if item.created_at.is_some_and(|t| t <= window.as_of_end) {
                    newest[item.source] = newest[item.source].max(item.created_at);
                }
            }
            usage.merge(count_chunk(&tagger, &items, &empty, &window));
            Ok(())
        },
        &mut |r| {
            let counts = &mut rejected[r.source];
            if r.duplicate {
                counts.1 += 1;
            } else {
                counts.0 += 1;
                no_text += u64::from(r.reason == crate::ingest::NO_TEXT);
            }
            rejects.take(&r)
        },
    )?;
    usage.rejected += rejected.iter().map(|c| c.0).sum::<u64>();
    usage.duplicates += rejected.iter().map(|c| c.1).sum::<u64>();
    usage.empty += no_text;
    for (i, (src, result)) in sources.iter().zip(results).enumerate() {
        let location = if from_roadmap { loc.source(i) } else { None };
        dates.push(check::SourceDates {
            location: location.clone(),
            name: src.name.clone(),
            newest: newest[i],
        });
        match result {
            Ok(s) => {
                if settings.verbose {
                    output::describe_source(&src.name, &s);
                }
                checked.push(SourceCheck {
                    path: src.name.clone(),
                    readable: true,
                    format: Some(s.format.to_string()),
                    preset: s.preset.map(str::to_string),
                    // As in rank's report: every row read, rejected and
                    // duplicates included.
                    items: s.items + s.rejected + s.duplicates,
                    rejected: s.rejected,
                    duplicates: s.duplicates,
                });
            }
            Err(e) => {
                findings.push(Finding::unreadable_source(location, &e));
                checked.push(SourceCheck {
                    path: src.name.clone(),
                    readable: false,
                    format: None,
                    preset: None,
                    items: 0,
                    rejected: rejected[i].0,
                    duplicates: rejected[i].1,
                });
            }
        }
    }
    diag.finish();
    rejects.finish()?;
    findings.extend(check::rejected_finding(
        roadmap,
        loc,
        &usage,
        args.input.strict,
    ));
    if usage.linked + usage.unlinked > 0 {
        findings.extend(check::evidence_findings(roadmap, loc, &phrases, &usage));
        findings.extend(check::freshness_findings(
            roadmap,
            loc,
            &usage,
            &dates,
            &window,
            &settings.as_of_string(),
        ));
    }
    if settings.verbose {
        eprintln!(
            "painmap: read and tagged {} in {:.1} ms",
            count(usage.linked + usage.unlinked, "item"),
            started.elapsed().as_secs_f64() * 1e3
        );
    }
    let by_id = |ids: Vec<&String>, counts: &[u64]| -> BTreeMap<String, u64> {
        ids.into_iter()
            .cloned()
            .zip(counts.iter().copied())
            .collect()
    };
    let summary = FeedbackSummary {
        sources: checked,
        items: usage.linked + usage.unlinked + usage.rejected + usage.duplicates,
        linked: usage.linked,
        unlinked: usage.unlinked,
        rejected: usage.rejected,
        duplicates: usage.duplicates,
        unlinked_share: crate::report::round(usage.unlinked_share(), 4),
        max_unlinked_share: roadmap.check.max_unlinked_share,
        features: by_id(
            roadmap.features.iter().map(|f| &f.id).collect(),
            &usage.features,
        ),
        stages: by_id(
            roadmap.stages.iter().map(|s| &s.id).collect(),
            &usage.stages,
        ),
        personas: by_id(
            roadmap.personas.iter().map(|p| &p.id).collect(),
            &usage.personas,
        ),
    };
    Ok((summary, findings))
}

/// Tags a chunk on all cores and counts what it used.
fn count_chunk(tagger: &Tagger, items: &[Item], empty: &Usage, window: &Window) -> Usage {
    items
        .par_iter()
        .fold(
            || (empty.clone(), Scratch::default()),
            |(mut usage, mut scratch), item| {
                let tags = tagger.tag(item, &mut scratch);
                usage.add(&tags, scratch.counted());
                usage.add_unknown(tagger.unknown_explicit(item));
                usage.add_date(item.created_at, window);
                (usage, scratch)
            },
        )
        .map(|(usage, _)| usage)
        .reduce(
            || empty.clone(),
            |mut a, b| {
                a.merge(b);
                a
            },
        )
}

fn finish(
    settings: &Settings,
    args: &CheckArgs,
    report: &CheckReport,
    roadmap: Option<&Roadmap>,
) -> anyhow::Result<u8> {
    write_to(None, |out| {
        match args.format {
            CheckFormat::Json => {
                crate::report::json::to_writer_pretty(&mut *out, report)?;
                writeln!(out)?;
            }
            CheckFormat::Text => render_text(report, roadmap, settings, out)?,
        }
        Ok(())
    })?;
    Ok(if report.problems > 0 { 3 } else { 0 })
}

fn render_text(
    report: &CheckReport,
    roadmap: Option<&Roadmap>,
    settings: &Settings,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let paint = |label: &str, code: &str| {
        if settings.color {
            format!("\u{1b}[{code}m{label}\u{1b}[0m")
        } else {
            label.to_string()
        }
    };
    for f in &report.findings {
        // --quiet keeps the problems, which decide the exit code.
        if settings.quiet && f.level == Severity::Warning {
            continue;
        }
        let label = match f.level {
            Severity::Problem => paint("problem", "1;31"),
            Severity::Warning => paint("warning", "1;33"),
        };
        let location = f
            .location
            .as_deref()
            .map(|l| format!("{}: ", terminal(l)))
            .unwrap_or_default();
        writeln!(out, "{label}: {location}{}", terminal(&f.message))?;
        if let Some(help) = &f.help {
            writeln!(out, "  help: {}", terminal(help))?;
        }
    }
    if !report.findings.is_empty() && !settings.quiet {
        writeln!(out)?;
    }
    if let Some(r) = roadmap {
        let mut line = format!(
            "{}: {}, {}, {}",
            terminal(&report.roadmap),
            count(r.features.len(), "feature"),
            count(r.stages.len(), "stage"),
            count(r.personas.len(), "persona")
        );
        if let Some(fb) = &report.feedback {
            line.push_str(&format!(
                "; {}, {}: {} linked, {} unlinked ({:.1}%, at most {}%), {} rejected",
                count(fb.sources.len(), "source"),
                count(fb.items, "item"),
                fb.linked,
                fb.unlinked,
                fb.unlinked_share * 100.0,
                fb.max_unlinked_share * 100.0,
                fb.rejected
            ));
            // As rank's summary line words them.
            if fb.duplicates > 0 {
                line.push_str(&format!(", {}", count(fb.duplicates, "duplicate")));
            }
        }
        writeln!(out, "{line}")?;
    }
    let verdict = format!(
        "{}, {}",
        count(report.problems, "problem"),
        count(report.warnings, "warning")
    );
    if report.problems > 0 {
        writeln!(out, "{}", paint(&verdict, "1;31"))
    } else {
        writeln!(out, "{verdict}: ok")
    }
}
