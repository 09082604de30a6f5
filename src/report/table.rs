//! The terminal table: the only renderer that knows about comfy-table,
//! colour and terminal width.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{
    Attribute, Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width,
};

use super::sanitize::terminal;
use super::{RenderOptions, Renderer, Report};
use crate::plural::count;

/// The narrowest terminal width believed: below it, the terminal is taken
/// to report no width at all. `COLUMNS` has the same floor.
const MIN_WIDTH: usize = 40;

pub struct TableRenderer {
    pub options: RenderOptions,
}

impl TableRenderer {
    fn table(&self, headers: &[&str]) -> Table {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        // Long titles wrap to fit: COLUMNS when set, else the terminal's
        // width; off a terminal, with no COLUMNS, nothing wraps. The
        // renderers set each column's width so that only free text wraps.
        t.set_content_arrangement(ContentArrangement::Dynamic);
        if let Some(w) = self.options.width {
            t.set_width(w);
        } else if t.width().is_some_and(|w| usize::from(w) < MIN_WIDTH) {
            // A terminal that reports no width (0 × 0 under `script`, some
            // serial consoles) is treated as unknown, not as one word wide.
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
        // Styling is only ever added to cells when colour is on.
        if self.options.color {
            t.enforce_styling();
        }
        t.set_header(headers.iter().map(|h| {
            let c = Cell::new(h);
            if self.options.color {
                c.add_attribute(Attribute::Bold).fg(Color::Cyan)
            } else {
                c
            }
        }));
        t
    }
}

/// How a table of short columns and one column of free text is laid out:
/// the short columns never break, the free text wraps between words to
/// what they leave, and when even that does not fit, columns are dropped
/// in `drop_order` and named under the table.
pub struct Layout<'a> {
    pub headers: &'a [&'a str],
    /// Columns read left-aligned; the rest are numbers.
    pub left: &'a [usize],
    /// The one column of free text.
    pub free: usize,
    pub drop_order: &'a [usize],
    /// The format that has every column, for the note on dropped ones.
    pub every_column: &'a str,
}

impl TableRenderer {
    /// The width tables are fitted to: `COLUMNS` (or the width given),
    /// else the terminal's; off a terminal, none, and nothing wraps.
    pub fn width(&self) -> Option<usize> {
        self.table(&[])
            .width()
            .map(usize::from)
            .filter(|w| self.options.width.is_some() || *w >= MIN_WIDTH)
    }

    /// Writes `rows` as a table laid out by `layout` and fitted to
    /// [`TableRenderer::width`], then the note naming the columns it
    /// dropped, if any. Cells of the free column may hold line breaks.
    pub fn write_fitted(
        &self,
        out: &mut dyn Write,
        layout: &Layout<'_>,
        rows: &[Vec<String>],
    ) -> io::Result<()> {
        let headers = layout.headers;
        let width = self.width();
        let mut t = self.table(headers);
        for row in rows {
            t.add_row(row.iter().enumerate().map(|(i, text)| {
                let c = Cell::new(text);
                if layout.left.contains(&i) {
                    c
                } else {
                    c.set_alignment(CellAlignment::Right)
                }
            }));
        }
        let mut hidden = Vec::new();
        if let Some(width) = width {
            let needs: Vec<usize> = (0..headers.len())
                .map(|i| column_need(headers[i], rows.iter().map(|r| r[i].as_str())))
                .collect();
            let longest_free = rows
                .iter()
                .flat_map(|r| r[layout.free].lines())
                .map(text_width)
                .chain([text_width(headers[layout.free])])
                .max()
                .unwrap_or(0);
            let wants: Vec<usize> = (0..headers.len())
                .map(|i| needs[i].max(text_width(headers[i])))
                .collect();
            let plan = fit(
                &needs,
                &wants,
                layout.free,
                longest_free,
                width,
                layout.drop_order,
            );
            for (i, w) in plan.iter().enumerate() {
                let constraint = match w {
                    Some(w) => ColumnConstraint::Absolute(Width::Fixed(clamp_u16(w + 2))),
                    None => {
                        hidden.push(i);
                        ColumnConstraint::Hidden
                    }
                };
                if let Some(c) = t.column_mut(i) {
                    c.set_constraint(constraint);
                }
            }
        }
        writeln!(out, "{t}")?;
        if !hidden.is_empty() {
            let names: Vec<&str> = hidden.iter().map(|&i| headers[i]).collect();
            let note = format!(
                "not shown at this width: {} (widen the terminal or set COLUMNS; {} has every column)",
                names.join(", "),
                layout.every_column
            );
            write_wrapped(out, &note, width)?;
        }
        Ok(())
    }
}

/// The rank table's columns, in table order.
const RANK_HEADERS: [&str; 11] = [
    "#",
    "feature",
    "score",
    "customers",
    "mentions",
    "pain",
    "trend",
    "value",
    "effort",
    "top stage",
    "top persona",
];
/// The one column of free text: it wraps, at spaces, to what the others leave.
const FEATURE: usize = 1;
/// Columns read left-aligned; the rest are numbers.
const RANK_LEFT: [usize; 3] = [FEATURE, 9, 10];
/// The columns dropped, in this order, when the table does not fit the
/// width with every short column unbroken: first what `explain` and the
/// other formats give in more detail (mentions, the top persona and stage),
/// then the score's inputs from the least to the most telling. `#`,
/// feature and score always stay. The README lists this order.
const RANK_DROP_ORDER: [usize; 8] = [4, 10, 9, 6, 8, 7, 5, 3];
/// The narrowest the feature column gets before columns are dropped: two
/// short words side by side.
const FEATURE_MIN: usize = 16;

/// Width in terminal columns: a CJK character or an emoji takes two, a
/// combining mark none, as comfy-table itself measures cells.
fn text_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// The content width a short column needs: every cell whole, and the
/// header allowed to wrap between words but never inside one.
fn column_need<'a>(header: &str, cells: impl Iterator<Item = &'a str>) -> usize {
    header
        .split_whitespace()
        .map(text_width)
        .chain(cells.map(text_width))
        .max()
        .unwrap_or(1)
        .max(1)
}

/// Content widths of a table's columns for `width` terminal columns, or
/// `None` for the columns dropped to get there.
///
/// `needs` are the unbreakable widths of each column, `wants` the widths
/// with their headers on one line; `free` is the column
/// of free text, which takes what is left, at least [`FEATURE_MIN`] (or
/// its longest line) and at most `longest`. Columns go in `drop_order`
/// until the rest fit; if even then they do not, the table is left wider
/// than asked rather than shredded.
fn fit(
    needs: &[usize],
    wants: &[usize],
    free: usize,
    longest: usize,
    width: usize,
    drop_order: &[usize],
) -> Vec<Option<usize>> {
    let free_min = FEATURE_MIN.min(longest).max(1);
    let mut shown: Vec<bool> = vec![true; needs.len()];
    // Each column has a space either side and one border to its right,
    // and the table one more at the left.
    let used = |shown: &[bool]| -> usize {
        1 + (0..needs.len())
            .filter(|&i| shown[i])
            .map(|i| if i == free { free_min } else { needs[i] } + 3)
            .sum::<usize>()
    };
    for &i in drop_order {
        if used(&shown) <= width {
            break;
        }
        shown[i] = false;
    }
    // What is left goes to the free text first, then to headers that
    // would otherwise wrap.
    let mut spare = width.saturating_sub(used(&shown));
    let free_width = (free_min + spare).min(longest.max(free_min));
    spare -= free_width - free_min;
    (0..needs.len())
        .map(|i| {
            shown[i].then(|| {
                if i == free {
                    free_width
                } else {
                    let grow = wants[i].saturating_sub(needs[i]);
                    if grow <= spare {
                        spare -= grow;
                        needs[i] + grow
                    } else {
                        needs[i]
                    }
                }
            })
        })
        .collect()
}

fn clamp_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Lines of at most `width` columns, broken at spaces; a word longer than
/// the width gets a line of its own.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && text_width(&line) + 1 + text_width(word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// A line of free text under a table, wrapped when there is a width.
pub fn write_wrapped(out: &mut dyn Write, text: &str, width: Option<usize>) -> io::Result<()> {
    match width {
        Some(w) => {
            for line in wrap_words(text, w) {
                writeln!(out, "{line}")?;
            }
            Ok(())
        }
        None => writeln!(out, "{text}"),
    }
}

/// 1234567.8 → "1.2M", 84000 → "84k", 950 → "950", 2.5e9 → "2.5B".
///
/// Each form holds values up to where the next takes over, judged after
/// rounding, so that 999.6 is "1.0k" and 999999 "1.0M", never "1000" or
/// "1000k".
pub fn compact(x: f64) -> String {
    // (unit, its suffix, decimals, where the next form takes over)
    const FORMS: [(f64, &str, usize, f64); 6] = [
        (1.0, "", 0, 1e3),
        (1e3, "k", 1, 1e4),
        (1e3, "k", 0, 1e6),
        (1e6, "M", 1, 1e9),
        (1e9, "B", 1, 1e12),
        (1e12, "T", 1, f64::INFINITY),
    ];
    let a = x.abs();
    let (unit, suffix, places, _) = FORMS
        .into_iter()
        .find(|&(unit, _, places, next)| {
            let m = 10f64.powi(places as i32);
            (a / unit * m).round() / m < next / unit
        })
        .unwrap_or(FORMS[FORMS.len() - 1]);
    format!("{:.places$}{suffix}", x / unit)
}

/// A trend as an arrow and a percentage: "↑ +80%", "→ +5%", "↓ −40%".
/// Changes within ±20% are flat.
pub fn trend(change: f64) -> String {
    let arrow = if change > 0.2 {
        '↑'
    } else if change < -0.2 {
        '↓'
    } else {
        '→'
    };
    let pct = (change * 100.0).round();
    if pct < 0.0 {
        format!("{arrow} −{}%", -pct)
    } else {
        format!("{arrow} +{pct}%")
    }
}

/// [`trend`], or "-" for a feature without one (nothing mentions it, or
/// nothing in the trend's days hurt), which would read as flat when there
/// is nothing to compare.
pub fn trend_cell(change: Option<f64>) -> String {
    change.map_or_else(|| "-".to_string(), trend)
}

/// The one-line account of every row, shown under the table.
pub fn summary_line(report: &Report) -> String {
    let t = &report.totals;
    let mut s = format!(
        "{}: {} linked, {} unlinked, {} rejected",
        count(t.items, "item"),
        t.linked,
        t.unlinked,
        t.rejected
    );
    if t.duplicates > 0 {
        s.push_str(&format!(", {}", count(t.duplicates, "duplicate")));
    }
    // Only what happened: "0 dated after" is noise under every table.
    let unscored: Vec<String> = [
        (t.outside_window, "too old for the window".to_string()),
        (t.future, format!("dated after {}", report.as_of)),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, why)| format!("{n} {why}"))
    .collect();
    if !unscored.is_empty() {
        s.push_str(&format!(" · {}, not scored", unscored.join(" and ")));
    }
    s.push_str(&format!(
        " · model {} · as of {}",
        report.model, report.as_of
    ));
    s
}

impl Renderer for TableRenderer {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let width = self.width();
        if !report.product.is_empty() {
            let title = format!("{} roadmap", terminal(&report.product));
            write_wrapped(out, &title, width)?;
        }
        let rows: Vec<Vec<String>> = report
            .features
            .iter()
            .map(|f| {
                vec![
                    f.rank.to_string(),
                    format!("{} · {}", terminal(&f.id), terminal(&f.title)),
                    format!("{:.2}", f.score),
                    f.customers.to_string(),
                    f.mentions.to_string(),
                    format!("{:.2}", f.pain),
                    trend_cell(f.trend),
                    compact(f.value),
                    f.effort.to_string(),
                    f.top_stage.as_deref().unwrap_or("-").to_string(),
                    f.top_persona.as_deref().unwrap_or("-").to_string(),
                ]
            })
            .collect();
        self.write_fitted(
            out,
            &Layout {
                headers: &RANK_HEADERS,
                left: &RANK_LEFT,
                free: FEATURE,
                drop_order: &RANK_DROP_ORDER,
                every_column: "--format csv",
            },
            &rows,
        )?;
        write_wrapped(out, &summary_line(report), width)?;

        // Stage × persona: where in the journey, and for whom, it hurts.
        let m = &report.matrix;
        let keep_rows: Vec<usize> = (0..m.stages.len())
            .filter(|&s| s + 1 < m.stages.len() || m.cells[s].iter().any(|c| c.items > 0))
            .collect();
        let keep_cols: Vec<usize> = (0..m.personas.len())
            .filter(|&p| p + 1 < m.personas.len() || m.cells.iter().any(|row| row[p].items > 0))
            .collect();
        let cells: Vec<Vec<String>> = keep_rows
            .iter()
            .map(|&s| {
                keep_cols
                    .iter()
                    .map(|&p| {
                        let c = m.cells[s][p];
                        if c.items == 0 {
                            "·".to_string()
                        } else {
                            format!("{} · {:.2}", c.items, c.pain)
                        }
                    })
                    .collect()
            })
            .collect();
        const CORNER: &str = "stage \\ persona";
        // A header wraps only when the width leaves no room for it on one
        // line beside the widest other column.
        let widest = |need: usize, want: usize, beside: usize| match width {
            Some(w) if 1 + want + 3 + beside + 3 > w => need,
            _ => want,
        };
        let persona_needs: Vec<(usize, usize)> = (0..keep_cols.len())
            .map(|j| {
                let cells = || cells.iter().map(|r| r[j].as_str());
                let name = &m.personas[keep_cols[j]];
                (
                    column_need(name, cells()),
                    cells().map(text_width).fold(text_width(name), usize::max),
                )
            })
            .collect();
        let stage_names = || keep_rows.iter().map(|&s| m.stages[s].as_str());
        let stage_need = widest(
            column_need(CORNER, stage_names()),
            stage_names()
                .map(text_width)
                .fold(text_width(CORNER), usize::max),
            persona_needs.iter().map(|p| p.0).max().unwrap_or(1),
        );
        let needs: Vec<usize> = persona_needs
            .iter()
            .map(|&(need, want)| widest(need, want, stage_need))
            .collect();
        // Personas that do not fit beside each other go on to a second
        // table (and a third…), each with the stages again, so no cell
        // breaks and no persona is left out.
        let mut chunks: Vec<Vec<usize>> = vec![Vec::new()];
        let mut used = 1 + stage_need + 3;
        for (j, need) in needs.iter().enumerate() {
            let last = chunks.last_mut().expect("one chunk at least");
            if width.is_some_and(|w| !last.is_empty() && used + need + 3 > w) {
                chunks.push(vec![j]);
                used = 1 + stage_need + 3 + need + 3;
            } else {
                last.push(j);
                used += need + 3;
            }
        }
        writeln!(out)?;
        writeln!(out, "Journey stage × persona (items · mean pain)")?;
        for chunk in chunks {
            let mut headers = vec![CORNER];
            headers.extend(chunk.iter().map(|&j| m.personas[keep_cols[j]].as_str()));
            let mut mt = self.table(&headers);
            for (r, &s) in keep_rows.iter().enumerate() {
                let mut row = vec![Cell::new(&m.stages[s])];
                row.extend(
                    chunk
                        .iter()
                        .map(|&j| Cell::new(&cells[r][j]).set_alignment(CellAlignment::Right)),
                );
                mt.add_row(row);
            }
            if width.is_some() {
                let widths = std::iter::once(stage_need).chain(chunk.iter().map(|&j| needs[j]));
                for (i, w) in widths.enumerate() {
                    if let Some(c) = mt.column_mut(i) {
                        c.set_constraint(ColumnConstraint::Absolute(Width::Fixed(clamp_u16(
                            w + 2,
                        ))));
                    }
                }
            }
            writeln!(out, "{mt}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_only_the_unscored_items_there_are() {
        let mut report: Report = serde_json::from_value(serde_json::json!({
            "schema_version": 1, "product": "Pinwheel", "as_of": "2026-11-20",
            "model": "pain-value", "formula": "f", "sources": [], "features": [],
            "totals": {"items": 674, "linked": 527, "unlinked": 125, "rejected": 22,
                       "outside_window": 10, "future": 0},
            "matrix": {"stages": [], "personas": [], "cells": []},
            "unlinked": {"count": 125, "share": 0.19, "examples": []}
        }))
        .unwrap();
        assert_eq!(
            summary_line(&report),
            "674 items: 527 linked, 125 unlinked, 22 rejected · 10 too old for the window, \
             not scored · model pain-value · as of 2026-11-20"
        );
        report.totals.future = 3;
        assert!(summary_line(&report).contains(
            "22 rejected · 10 too old for the window and 3 dated after 2026-11-20, not scored ·"
        ));
        report.totals.outside_window = 0;
        report.totals.future = 0;
        assert_eq!(
            summary_line(&report),
            "674 items: 527 linked, 125 unlinked, 22 rejected · model pain-value · as of 2026-11-20"
        );
        // Duplicates are not rejected rows: they have their own count.
        (report.totals.rejected, report.totals.duplicates) = (19, 3);
        assert!(
            summary_line(&report).starts_with(
                "674 items: 527 linked, 125 unlinked, 19 rejected, 3 duplicates · model"
            ),
            "{}",
            summary_line(&report)
        );
    }

    #[test]
    fn compacts_values() {
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(1200.0), "1.2k");
        assert_eq!(compact(84_000.0), "84k");
        assert_eq!(compact(1_234_567.0), "1.2M");
        assert_eq!(compact(2.5e9), "2.5B");
        assert_eq!(compact(-84_000.0), "-84k");
    }

    #[test]
    fn compact_values_that_round_up_carry_to_the_next_unit() {
        for (x, shown) in [
            (999.4, "999"),
            (999.6, "1.0k"),
            (9_949.0, "9.9k"),
            (9_950.0, "10k"),
            (999_499.0, "999k"),
            (999_500.0, "1.0M"),
            (999_999.0, "1.0M"),
            (999_949_999.0, "999.9M"),
            (999_999_999.0, "1.0B"),
            (1e9, "1.0B"),
            (999_960_000_000.0, "1.0T"),
            (1e12, "1.0T"),
            (-999_999.0, "-1.0M"),
        ] {
            assert_eq!(compact(x), shown, "{x}");
        }
    }

    #[test]
    fn fit_drops_columns_in_order_until_the_rest_fit_unbroken() {
        // Three columns of 5, a free one that wants 30, drop 3 then 2.
        let needs = [5, 30, 5, 5];
        let wants = [5, 30, 5, 5];
        let all = fit(&needs, &wants, 1, 30, 100, &[3, 2]);
        assert_eq!(all, [Some(5), Some(30), Some(5), Some(5)]);
        // 1 + (5+3) + (16+3) + (5+3) + (5+3) = 44 needed with every column.
        assert_eq!(
            fit(&needs, &wants, 1, 30, 44, &[3, 2]),
            [Some(5), Some(16), Some(5), Some(5)]
        );
        assert_eq!(
            fit(&needs, &wants, 1, 30, 43, &[3, 2]),
            [Some(5), Some(23), Some(5), None]
        );
        // Nothing left to drop: wider than asked rather than broken.
        assert_eq!(
            fit(&needs, &wants, 1, 30, 10, &[3, 2]),
            [Some(5), Some(16), None, None]
        );
    }

    #[test]
    fn fit_gives_spare_room_to_headers_after_the_free_text() {
        let needs = [5, 10, 7];
        let wants = [5, 10, 11];
        // 1 + 8 + 13 + 10 = 32; the title is whole, and 4 more unwrap the header.
        assert_eq!(
            fit(&needs, &wants, 1, 10, 36, &[]),
            [Some(5), Some(10), Some(11)]
        );
        assert_eq!(
            fit(&needs, &wants, 1, 10, 35, &[]),
            [Some(5), Some(10), Some(7)]
        );
    }

    #[test]
    fn free_text_wraps_between_words() {
        assert_eq!(wrap_words("a bb ccc dd", 6), ["a bb", "ccc dd"]);
        assert_eq!(
            wrap_words("averyverylongword x", 5),
            ["averyverylongword", "x"]
        );
        assert_eq!(wrap_words("", 5), [""]);
    }

    #[test]
    fn wide_characters_count_as_the_columns_they_take() {
        assert_eq!(text_width("单点登录"), 8);
        assert_eq!(text_width("export 📤"), 9);
        assert_eq!(text_width("e\u{301}"), 1);
        assert_eq!(column_need("top stage", ["单点登录"].into_iter()), 8);
        // Lines of at most 10 columns, not 10 chars.
        assert_eq!(
            wrap_words("单点 登录 导出 看板", 10),
            ["单点 登录", "导出 看板"]
        );
    }

    #[test]
    fn trends_have_arrows() {
        assert_eq!(trend(0.8), "↑ +80%");
        assert_eq!(trend(0.05), "→ +5%");
        assert_eq!(trend(-0.4), "↓ −40%");
        assert_eq!(trend(0.0), "→ +0%");
        // Nothing to compare is not flat.
        assert_eq!(trend_cell(None), "-");
        assert_eq!(trend_cell(Some(0.0)), "→ +0%");
    }
}
