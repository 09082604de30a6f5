//! Markdown: a self-contained report to commit or post as a CI summary.
//! All feedback text is escaped so a quote cannot break the table or
//! inject links, images or HTML.

use std::io::{self, Write};

use super::sanitize::markdown as md;
use super::table::{compact, summary_line};
use super::{Renderer, Report};

/// Quotes shown per feature in the Markdown report.
const QUOTES: usize = 3;

pub struct MarkdownRenderer;

impl Renderer for MarkdownRenderer {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let title = if report.product.is_empty() {
            "Roadmap".to_string()
        } else {
            format!("{} roadmap", md(&report.product))
        };
        writeln!(out, "# {title}\n")?;
        writeln!(
            out,
            "As of {}, model `{}`: {}.\n",
            report.as_of,
            report.model,
            md(&report.formula)
        )?;
        writeln!(
            out,
            "| # | feature | score | customers | mentions | pain | trend | value | effort | top stage | top persona |"
        )?;
        writeln!(out, "|--:|---|--:|--:|--:|--:|--:|--:|--:|---|---|")?;
        for f in &report.features {
            writeln!(
                out,
                "| {} | {} (`{}`) | {:.2} | {} | {} | {:.2} | {} | {} | {} | {} | {} |",
                f.rank,
                md(&f.title),
                f.id,
                f.score,
                f.customers,
                f.mentions,
                f.pain,
                super::table::trend(f.trend),
                compact(f.value),
                f.effort,
                f.top_stage.as_deref().unwrap_or("-"),
                f.top_persona.as_deref().unwrap_or("-"),
            )?;
        }
        writeln!(out, "\n{}\n", md(&summary_line(report)))?;

        writeln!(out, "## Evidence\n")?;
        for f in &report.features {
            if f.evidence.is_empty() {
                continue;
            }
            writeln!(out, "### {}. {}\n", f.rank, md(&f.title))?;
            for e in f.evidence.iter().take(QUOTES) {
                writeln!(out, "> {} (pain {:.2})\n", md(&e.quote), e.pain)?;
            }
        }

        let m = &report.matrix;
        writeln!(out, "## Journey stage × persona\n")?;
        writeln!(out, "Items · mean pain.\n")?;
        writeln!(out, "| stage | {} |", m.personas.join(" | "))?;
        writeln!(out, "|---|{}", "--:|".repeat(m.personas.len()))?;
        for (s, row) in m.stages.iter().zip(&m.cells) {
            let cells: Vec<String> = row
                .iter()
                .map(|c| {
                    if c.items == 0 {
                        "·".into()
                    } else {
                        format!("{} · {:.2}", c.items, c.pain)
                    }
                })
                .collect();
            writeln!(out, "| {s} | {} |", cells.join(" | "))?;
        }
        writeln!(
            out,
            "\n{} of {} items ({:.1}%) link to no feature.",
            report.unlinked.count,
            report.totals.linked + report.unlinked.count,
            report.unlinked.share * 100.0
        )?;
        Ok(())
    }
}
