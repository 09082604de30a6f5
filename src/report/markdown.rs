//! Markdown: a self-contained report to commit or post as a CI job summary.
//!
//! All feedback text is escaped so a quote cannot break the table or inject
//! links, images or HTML, and quotes are redacted (e-mail addresses, phone
//! and card numbers) because the report is meant to be shared.

use std::io::{self, Write};

use super::sanitize::{markdown as md, redact};
use super::table::{compact, summary_line};
use super::{Renderer, Report};
use crate::plural::count;

/// Quotes shown per feature, and unlinked examples shown.
const QUOTES: usize = 3;

/// Quotes longer than this many characters are cut, so one long ticket
/// cannot swamp the report.
const QUOTE_CHARS: usize = 280;

pub struct MarkdownRenderer {
    /// Redact e-mail addresses, phone numbers and card-like numbers in
    /// quotes: on unless `--no-redact`, since reports get shared.
    pub redact: bool,
}

/// A quote as the report shows it: redacted, shortened, escaped.
fn quote(text: &str, redacting: bool) -> String {
    let text = if redacting {
        redact(text)
    } else {
        text.to_string()
    };
    let mut chars = text.chars();
    let mut short: String = chars.by_ref().take(QUOTE_CHARS).collect();
    if chars.next().is_some() {
        short.truncate(short.trim_end().len());
        short.push('…');
    }
    md(&short)
}

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
            "As of {}, ranked by the `{}` model from {} in {}.\n",
            md(&report.as_of),
            md(&report.model),
            count(report.totals.items, "item"),
            count(report.sources.len(), "source")
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
                super::table::trend_cell(f.trend),
                compact(f.value),
                f.effort,
                md(f.top_stage.as_deref().unwrap_or("-")),
                md(f.top_persona.as_deref().unwrap_or("-")),
            )?;
        }
        writeln!(out, "\n{}\n", md(&summary_line(report)))?;

        writeln!(out, "## Evidence\n")?;
        writeln!(
            out,
            "The most painful quotes, one per customer; e-mail addresses and numbers are redacted.\n"
        )?;
        for f in &report.features {
            if f.evidence.is_empty() {
                continue;
            }
            writeln!(out, "### {}. {} (`{}`)\n", f.rank, md(&f.title), f.id)?;
            for e in f.evidence.iter().take(QUOTES) {
                let date = e
                    .created_at
                    .as_deref()
                    .map(|d| format!(", {}", md(d.get(..10).unwrap_or(d))))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "> {}\n>\n> — pain {:.2}{date}, {}\n",
                    quote(&e.quote, self.redact),
                    e.pain,
                    md(&e.source)
                )?;
            }
        }

        let m = &report.matrix;
        writeln!(out, "## Journey stage × persona\n")?;
        writeln!(out, "Items · mean pain.\n")?;
        let personas: Vec<String> = m.personas.iter().map(|p| md(p)).collect();
        writeln!(out, "| stage | {} |", personas.join(" | "))?;
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
            writeln!(out, "| {} | {} |", md(s), cells.join(" | "))?;
        }

        writeln!(out, "\n## Unlinked feedback\n")?;
        write!(
            out,
            "{} of {} items ({:.1}%) link to no feature",
            report.unlinked.count,
            report.totals.linked + report.unlinked.count,
            report.unlinked.share * 100.0
        )?;
        let left_out: Vec<String> = [
            (report.totals.rejected, "rejected row"),
            (report.totals.duplicates, "duplicate"),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| count(n, what))
        .collect();
        let one = report.totals.rejected + report.totals.duplicates == 1;
        match (left_out.is_empty(), one) {
            (true, _) => writeln!(out, ".")?,
            (false, true) => writeln!(out, "; the {} is not among them.", left_out[0])?,
            (false, false) => {
                writeln!(out, "; the {} are not among them.", left_out.join(" and "))?
            }
        }
        if !report.unlinked.examples.is_empty() {
            writeln!(
                out,
                " A few of them, which may point at missing features:\n"
            )?;
            for e in report.unlinked.examples.iter().take(QUOTES) {
                writeln!(out, "> {}\n", quote(e, self.redact))?;
            }
        } else {
            writeln!(out)?;
        }

        if !report.sources.is_empty() {
            writeln!(out, "## Sources\n")?;
            // A column of zeros under every report would be noise.
            let duplicates = report.totals.duplicates > 0;
            let (head, rule) = if duplicates {
                (" duplicates |", "--:|")
            } else {
                ("", "")
            };
            writeln!(
                out,
                "| source | format | preset | weight | items | linked | rejected |{head}"
            )?;
            writeln!(out, "|---|---|---|--:|--:|--:|--:|{rule}")?;
            for s in &report.sources {
                write!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    md(&s.path),
                    md(&s.format),
                    md(s.preset.as_deref().unwrap_or("-")),
                    s.weight,
                    s.items,
                    s.linked,
                    s.rejected
                )?;
                if duplicates {
                    write!(out, " {} |", s.duplicates)?;
                }
                writeln!(out)?;
            }
            writeln!(out)?;
        }

        writeln!(out, "## Model\n")?;
        writeln!(out, "`{}`: {}.", md(&report.model), md(&report.formula))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{
        Evidence, FeatureReport, Matrix, MatrixCell, SourceReport, Totals, Unlinked,
    };

    fn report() -> Report {
        Report {
            schema_version: 1,
            product: "Acme | Boards".into(),
            as_of: "2026-11-01".into(),
            model: "pain-value".into(),
            formula: "score = pain × value ÷ effort".into(),
            totals: Totals {
                items: 10,
                linked: 6,
                unlinked: 3,
                rejected: 1,
                duplicates: 0,
                outside_window: 0,
                future: 0,
            },
            sources: vec![SourceReport {
                path: "tickets.csv".into(),
                format: "csv".into(),
                preset: None,
                weight: 1.0,
                items: 10,
                linked: 6,
                rejected: 1,
                duplicates: 0,
            }],
            features: vec![FeatureReport {
                rank: 1,
                id: "sso".into(),
                title: "Single sign-on".into(),
                status: "idea".into(),
                score: 2.5,
                customers: 4,
                mentions: 5,
                pain: 0.8,
                value: 1200.0,
                effort: 2.0,
                confidence: 0.5,
                trend: Some(0.0),
                top_stage: Some("onboarding".into()),
                top_persona: None,
                stages: Default::default(),
                personas: Default::default(),
                kinds: Default::default(),
                breakdown: Default::default(),
                evidence: (0..5)
                    .map(|i| Evidence {
                        source: "tickets.csv".into(),
                        id: i.to_string(),
                        customer: Some(format!("c{i}@x.test")),
                        created_at: Some("2026-10-30T00:00:00Z".into()),
                        pain: 0.9,
                        quote: format!(
                            "quote {i}: SSO broke, call me at +1 555 010 2345 or c{i}@x.test [link](http://evil)"
                        ),
                    })
                    .collect(),
            }],
            matrix: Matrix {
                stages: vec!["onboarding".into(), "unknown".into()],
                personas: vec!["admin".into(), "unknown".into()],
                cells: vec![
                    vec![
                        MatrixCell {
                            items: 2,
                            pain: 0.75,
                        },
                        MatrixCell {
                            items: 0,
                            pain: 0.0,
                        },
                    ],
                    vec![
                        MatrixCell {
                            items: 0,
                            pain: 0.0,
                        },
                        MatrixCell {
                            items: 4,
                            pain: 0.5,
                        },
                    ],
                ],
            },
            unlinked: Unlinked {
                count: 3,
                share: 0.3333,
                examples: vec!["the new logo is ugly, mail x@y.test".into()],
            },
        }
    }

    fn render(r: &Report) -> String {
        let mut out = Vec::new();
        MarkdownRenderer { redact: true }
            .render(r, &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn has_every_section() {
        let md = render(&report());
        assert!(md.starts_with("# Acme \\| Boards roadmap\n"), "{md}");
        assert!(md.contains("As of 2026-11-01"));
        assert!(
            md.contains(
                "| 1 | Single sign-on (`sso`) | 2.50 | 4 | 5 | 0.80 | → +0% | 1.2k | 2 | onboarding | - |"
            ),
            "{md}"
        );
        assert!(md.contains("## Evidence"));
        assert!(md.contains("## Journey stage × persona"));
        assert!(md.contains("| onboarding | 2 · 0.75 | · |"));
        // The share leaves rejected rows out, and says so when there are any.
        let mut r = report();
        r.totals.rejected = 2;
        assert!(render(&r).contains(
            "3 of 9 items (33.3%) link to no feature; the 2 rejected rows are not among them."
        ));
        r.totals.rejected = 0;
        assert!(render(&r).contains("3 of 9 items (33.3%) link to no feature.\n"));
        assert!(md.contains("## Sources"));
        assert!(
            md.contains("| tickets.csv | csv | - | 1 | 10 | 6 | 1 |\n"),
            "{md}"
        );
        // Duplicates are left out of the share too, and get a column of
        // their own when there are any.
        (r.totals.rejected, r.totals.duplicates) = (1, 2);
        (r.sources[0].items, r.sources[0].duplicates) = (12, 2);
        let with_duplicates = render(&r);
        assert!(
            with_duplicates.contains(
                "link to no feature; the 1 rejected row and 2 duplicates are not among them."
            ),
            "{with_duplicates}"
        );
        assert!(
            with_duplicates.contains("| tickets.csv | csv | - | 1 | 12 | 6 | 1 | 2 |\n"),
            "{with_duplicates}"
        );
        assert!(md.contains("`pain-value`: score = pain × value ÷ effort."));
    }

    #[test]
    fn shows_three_quotes_redacted_and_escaped() {
        let md = render(&report());
        assert_eq!(md.matches("> quote ").count(), 3, "{md}");
        assert!(
            md.contains(
                "> quote 0: SSO broke, call me at \\[phone\\] or \\[email\\] `[link](http://evil)`"
            ),
            "{md}"
        );
        assert!(!md.contains("c0@x.test"));
        assert!(!md.contains("x@y.test"));
        assert!(md.contains("— pain 0.90, 2026-10-30, tickets.csv"));
    }

    #[test]
    fn cuts_long_quotes() {
        let mut r = report();
        r.features[0].evidence[0].quote = "word ".repeat(200);
        let md = render(&r);
        let line = md.lines().find(|l| l.starts_with("> word")).unwrap();
        assert!(line.ends_with('…'));
        assert!(line.chars().count() <= QUOTE_CHARS + 3);
    }
}
