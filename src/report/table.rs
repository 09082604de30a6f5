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

pub struct TableRenderer {
    pub options: RenderOptions,
}

impl TableRenderer {
    fn table(&self, headers: &[&str]) -> Table {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        // Long titles wrap to fit: COLUMNS when set, else the terminal's
        // width; off a terminal, with no COLUMNS, nothing wraps.
        t.set_content_arrangement(ContentArrangement::Dynamic);
        if let Some(w) = self.options.width {
            t.set_width(w);
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
    if t.outside_window > 0 || t.future > 0 {
        s.push_str(&format!(
            " ({} too old for the window, {} dated after {}, not scored)",
            t.outside_window, t.future, report.as_of
        ));
    }
    s.push_str(&format!(
        " · model {} · as of {}",
        report.model, report.as_of
    ));
    s
}

impl Renderer for TableRenderer {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        if !report.product.is_empty() {
            writeln!(out, "{} roadmap", terminal(&report.product))?;
        }
        let mut t = self.table(&[
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
        ]);
        for f in &report.features {
            t.add_row(vec![
                Cell::new(f.rank).set_alignment(CellAlignment::Right),
                Cell::new(format!("{} · {}", terminal(&f.id), terminal(&f.title))),
                Cell::new(format!("{:.2}", f.score)).set_alignment(CellAlignment::Right),
                Cell::new(f.customers).set_alignment(CellAlignment::Right),
                Cell::new(f.mentions).set_alignment(CellAlignment::Right),
                Cell::new(format!("{:.2}", f.pain)).set_alignment(CellAlignment::Right),
                Cell::new(trend(f.trend)).set_alignment(CellAlignment::Right),
                Cell::new(compact(f.value)).set_alignment(CellAlignment::Right),
                Cell::new(f.effort).set_alignment(CellAlignment::Right),
                Cell::new(f.top_stage.as_deref().unwrap_or("-")),
                Cell::new(f.top_persona.as_deref().unwrap_or("-")),
            ]);
        }
        // Numbers never wrap; the feature, stage and persona columns share
        // what is left of the width, each at least a short word's: below
        // about 90 columns the table is wider than asked rather than unreadable.
        for i in [0, 2, 3, 4, 5, 6, 7] {
            if let Some(c) = t.column_mut(i) {
                c.set_constraint(ColumnConstraint::ContentWidth);
            }
        }
        for (i, least) in [(1, 14), (8, 8), (9, 8)] {
            if let Some(c) = t.column_mut(i) {
                c.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(least)));
            }
        }
        writeln!(out, "{t}")?;
        writeln!(out, "{}", summary_line(report))?;

        // Stage × persona: where in the journey, and for whom, it hurts.
        let m = &report.matrix;
        let keep_rows: Vec<usize> = (0..m.stages.len())
            .filter(|&s| s + 1 < m.stages.len() || m.cells[s].iter().any(|c| c.items > 0))
            .collect();
        let keep_cols: Vec<usize> = (0..m.personas.len())
            .filter(|&p| p + 1 < m.personas.len() || m.cells.iter().any(|row| row[p].items > 0))
            .collect();
        let mut headers = vec!["stage \\ persona"];
        headers.extend(keep_cols.iter().map(|&p| m.personas[p].as_str()));
        let mut mt = self.table(&headers);
        for &s in &keep_rows {
            let mut row = vec![Cell::new(&m.stages[s])];
            for &p in &keep_cols {
                let c = m.cells[s][p];
                row.push(
                    Cell::new(if c.items == 0 {
                        "·".to_string()
                    } else {
                        format!("{} · {:.2}", c.items, c.pain)
                    })
                    .set_alignment(CellAlignment::Right),
                );
            }
            mt.add_row(row);
        }
        writeln!(out)?;
        writeln!(out, "Journey stage × persona (items · mean pain)")?;
        writeln!(out, "{mt}")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn trends_have_arrows() {
        assert_eq!(trend(0.8), "↑ +80%");
        assert_eq!(trend(0.05), "→ +5%");
        assert_eq!(trend(-0.4), "↓ −40%");
        assert_eq!(trend(0.0), "→ +0%");
    }
}
