//! CSV and other delimited text: the delimiter is sniffed from the header
//! line; quoted fields may hold delimiters, quotes and newlines.

use std::io::BufRead;

use super::{Event, IngestError, RowBuilder, SourceSummary};

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Picks the delimiter that occurs most often outside quotes in the first
/// line; ties go to the comma.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for &b in head {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = DELIMITERS.iter().position(|&d| d == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..DELIMITERS.len())
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    DELIMITERS[best]
}

pub(super) fn read<R: BufRead>(
    mut reader: R,
    row: &RowBuilder<'_>,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
) -> anyhow::Result<SourceSummary> {
    let name = &row.src.name;
    let delimiter = sniff_delimiter(reader.fill_buf().unwrap_or_default());
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let read =
        |csv: &mut csv::Reader<R>, record: &mut csv::ByteRecord| -> Result<bool, IngestError> {
            csv.read_byte_record(record).map_err(|e| csv_error(name, e))
        };
    if !read(&mut csv, &mut record)? {
        return Err(IngestError::Empty { name: name.clone() }.into());
    }
    let header_line = record.position().map_or(1, |p| p.line());
    let headers: Vec<String> = record
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_string())
        .collect();
    let preset = row.preset.or_else(|| super::presets::detect(&headers));
    let map = row.map(&headers, header_line, preset)?;
    let mut summary = SourceSummary {
        format: match delimiter {
            b'\t' => "tsv",
            b';' => "csv (;)",
            b'|' => "csv (|)",
            _ => "csv",
        },
        preset: preset.map(|p| p.name),
        columns: map.describe(&headers),
        ..SourceSummary::default()
    };
    let mut fields: Vec<String> = Vec::with_capacity(headers.len());
    let mut rows = 0u64;
    while read(&mut csv, &mut record)? {
        rows += 1;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != headers.len() {
            // A quote that is never closed swallows the rest of the file into
            // one field: every later row would be lost, so this is fatal.
            let unclosed = record.len() < headers.len()
                && record
                    .iter()
                    .next_back()
                    .is_some_and(|f| f.contains(&b'\n'));
            if unclosed {
                return Err(IngestError::Csv {
                    name: name.clone(),
                    line,
                    message: format!(
                        "a quoted field in the row starting here is never closed, so it runs to the end of the file ({} of {} fields)",
                        record.len(),
                        headers.len()
                    ),
                    help: "close the quote (a quote inside a field is written twice: \"\"), or export the file again".into(),
                }
                .into());
            }
            let reason = format!(
                "the row has {} fields but the header has {}",
                record.len(),
                headers.len()
            );
            row.ctx.diag.warn(
                "malformed row",
                &row.location(line),
                &format!("{reason}; the row is rejected"),
            );
            summary.rejected += 1;
            sink(Event::Rejected(super::Rejection {
                source: row.ctx.index,
                line,
                reason,
            }))?;
            continue;
        }
        fields.clear();
        let mut replaced = false;
        for f in record.iter() {
            match std::str::from_utf8(f) {
                Ok(s) => fields.push(s.to_string()),
                Err(_) => {
                    replaced = true;
                    fields.push(String::from_utf8_lossy(f).into_owned());
                }
            }
        }
        if replaced {
            row.ctx.diag.warn(
                "invalid UTF-8",
                &row.location(line),
                "the row has bytes that are not UTF-8; they were replaced with \u{fffd}",
            );
        }
        match row.item(&map, line, |i| fields.get(i).map(String::as_str)) {
            Ok(item) => {
                summary.items += 1;
                sink(Event::Item(item))?;
            }
            Err(reason) => {
                row.warn_rejected(line, &reason);
                summary.rejected += 1;
                sink(Event::Rejected(super::Rejection {
                    source: row.ctx.index,
                    line,
                    reason,
                }))?;
            }
        }
    }
    if rows == 0 {
        return Err(IngestError::HeaderOnly {
            name: name.clone(),
            line: header_line,
        }
        .into());
    }
    Ok(summary)
}

fn csv_error(name: &str, e: csv::Error) -> IngestError {
    let line = e.position().map_or(0, |p| p.line());
    match e.kind() {
        csv::ErrorKind::Io(io) => IngestError::Csv {
            name: name.to_string(),
            line,
            message: io.to_string(),
            help: "check that the file is readable".into(),
        },
        _ => IngestError::Csv {
            name: name.to_string(),
            line,
            message: e.to_string(),
            help: "export the file again as CSV, or fix the row".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_delimiter_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1;2"), b',');
        assert_eq!(sniff_delimiter(b"a;b;c\n"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b;c\",d\n"), b',');
        assert_eq!(sniff_delimiter(b"text\n"), b',');
    }
}
