//! CSV: one row per ranked feature, for spreadsheets. Text cells are
//! neutralized against formula injection.

use std::io::{self, Write};

use super::sanitize::csv_cell;
use super::{Renderer, Report};

pub struct CsvRenderer;

impl Renderer for CsvRenderer {
    fn render(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "rank",
            "id",
            "title",
            "status",
            "score",
            "customers",
            "mentions",
            "pain",
            "value",
            "effort",
            "confidence",
            "top_stage",
            "top_persona",
            "top_quote",
            "trend",
        ])?;
        for f in &report.features {
            w.write_record([
                f.rank.to_string(),
                csv_cell(&f.id),
                csv_cell(&f.title),
                csv_cell(&f.status),
                f.score.to_string(),
                f.customers.to_string(),
                f.mentions.to_string(),
                f.pain.to_string(),
                f.value.to_string(),
                f.effort.to_string(),
                f.confidence.to_string(),
                f.top_stage.as_deref().map(csv_cell).unwrap_or_default(),
                f.top_persona.as_deref().map(csv_cell).unwrap_or_default(),
                f.evidence
                    .first()
                    .map(|e| csv_cell(&e.quote))
                    .unwrap_or_default(),
                // As in the table, a feature may have no trend.
                f.trend.map(|t| t.to_string()).unwrap_or_default(),
            ])?;
        }
        w.flush()
    }
}
