//! CSV and other delimited text: the delimiter is sniffed from the header
//! line; quoted fields may hold delimiters, quotes and newlines.

use std::io::BufRead;

use super::{Event, IngestError, RowBuilder, SourceSummary};

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How much of the first line the delimiter and line ending are sniffed from.
const SNIFF_LINE: u64 = 1 << 16;

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
    // Sniff on the whole first line (up to 64 KiB): the decoder may hand
    // out its first bytes in a small piece, too small to judge by.
    let mut head = Vec::new();
    std::io::Read::take(&mut reader, SNIFF_LINE)
        .read_until(b'\n', &mut head)
        .map_err(|e| IngestError::Io {
            name: name.clone(),
            source: e,
        })?;
    let delimiter = sniff_delimiter(&head);
    // Old Mac exports end lines with a lone CR: when the first line ends
    // with one, CR is the record terminator.
    let first_break = head.iter().position(|&b| b == b'\r' || b == b'\n');
    let terminator = match first_break {
        Some(i) if head[i] == b'\r' && head.get(i + 1) != Some(&b'\n') => b'\r',
        _ => b'\n',
    };
    let reader = Tail::new(
        std::io::Read::chain(std::io::Cursor::new(head), reader),
        delimiter,
    );
    // Records end at `\n`. With the default CR-or-LF terminator, a record
    // after `\r\n` starts at the leftover `\n` and its line number is one
    // short; the `\r` this leaves at the end of a line is trimmed like any
    // other surrounding white space, and blank lines are skipped below.
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(terminator))
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    type Csv<R> = csv::Reader<Tail<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>>;
    let read = |csv: &mut Csv<R>, record: &mut csv::ByteRecord| -> Result<bool, IngestError> {
        csv.read_byte_record(record).map_err(|e| csv_error(name, e))
    };
    // The header is the first line that is not blank (in a CRLF file, a
    // blank line reads as a lone CR).
    let blank = |r: &csv::ByteRecord| r.iter().all(|f| f.iter().all(u8::is_ascii_whitespace));
    loop {
        if !read(&mut csv, &mut record)? {
            return Err(IngestError::Empty { name: name.clone() }.into());
        }
        if !blank(&record) {
            break;
        }
    }
    let mut header_line = line_of(&csv, &record, terminator);
    let mut headers: Vec<String> = fields_of(&record);
    let (preset, closest) = row.detect(&headers, header_line)?;
    // A row read ahead while looking for a second header row, that turned
    // out to be data.
    let mut pending = None;
    if preset.is_some_and(|p| p.header_rows == 2) && read(&mut csv, &mut record)? {
        let second = fields_of(&record);
        // Under the metadata columns the second header row is blank; a
        // value there is a response, so the export has one header row.
        if second.first().is_none_or(String::is_empty) {
            headers = merge_header_rows(&headers, &second);
            header_line = line_of(&csv, &record, terminator);
        } else {
            pending = Some(record.clone());
        }
    }
    let map = row.map(&headers, header_line, preset, closest.as_ref())?;
    let mut summary = SourceSummary {
        format: match delimiter {
            b'\t' => "tsv",
            b';' => "csv (;)",
            b'|' => "csv (|)",
            _ => "csv",
        },
        preset: preset.map(|p| p.name),
        closest: closest.map(|c| c.to_string()),
        columns: map.describe(&headers),
        ..SourceSummary::default()
    };
    let mut fields: Vec<String> = Vec::new();
    let mut rows = 0u64;
    // The line of the last row, when its last field spans lines.
    let mut spanning: Option<u64> = None;
    loop {
        match pending.take() {
            Some(r) => record = r,
            None => {
                if !read(&mut csv, &mut record)? {
                    break;
                }
            }
        }
        if blank(&record) {
            continue;
        }
        rows += 1;
        let line = line_of(&csv, &record, terminator);
        // Most rows are one line: only a row read over several is looked
        // into.
        let several = terminator == b'\r' || csv.position().line() > line + 1 || csv.get_ref().eof;
        spanning = (several
            && record
                .iter()
                .next_back()
                .is_some_and(|f| f.contains(&terminator)))
        .then_some(line);
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
        }
        let malformed = if record.len() != headers.len() {
            // A line break of the other kind inside the row: the file mixes
            // line endings, and the rows it ends were read as one.
            let other = if terminator == b'\n' { b'\r' } else { b'\n' };
            let mixed = record.iter().any(|f| lone(f, other));
            Some(format!(
                "the row has {} fields but the header has {}{}",
                record.len(),
                headers.len(),
                if mixed {
                    match other {
                        b'\r' => "; it holds a line break that is a lone CR, so the file mixes line endings and this row is probably several: make every line end alike (`tr '\\r' '\\n'` turns lone CRs into LFs), then read it again",
                        _ => "; it holds an LF line break, though the file's first line ends with a lone CR, so the file mixes line endings and this row is probably several: make every line end alike (`tr '\\r' '\\n'`), then read it again",
                    }
                } else {
                    ""
                }
            ))
        } else if several {
            // A quote left open and closed again by a quote in a later row
            // makes one row of several, with the right number of fields:
            // only the lines inside a field that read like rows of their
            // own show it.
            row_like_line(&record, terminator, delimiter).map(|inner| {
                format!(
                    "a quoted field in this row runs over line {}, which reads like a row of its own: a quote is probably left open and closed by a later row, so this row holds several; close the quote (a quote inside a field is written twice: \"\"), or export the file again",
                    line + inner
                )
            })
        } else {
            None
        };
        if let Some(reason) = malformed {
            reject(
                row,
                &mut summary,
                sink,
                line,
                reason,
                joined(&record, delimiter),
            )?;
            continue;
        }
        row.replaced([record.as_slice()], line, &mut summary);
        // The decoder already replaced invalid bytes, so the record is
        // valid UTF-8 in practice and its fields are read in place (the
        // buffer goes back into `record` afterwards); it stays lossy rather
        // than trusting that.
        let built = match csv::StringRecord::from_byte_record(std::mem::take(&mut record)) {
            Ok(text) => {
                let built = row.item(&map, line, &text);
                record = text.into_byte_record();
                built
            }
            Err(e) => {
                record = e.into_byte_record();
                fields.clear();
                fields.extend(
                    record
                        .iter()
                        .map(|f| String::from_utf8_lossy(f).into_owned()),
                );
                row.item(&map, line, fields.as_slice())
            }
        };
        match built {
            Ok(item) => {
                summary.items += 1;
                sink(Event::Item(item))?;
            }
            Err(reason) => reject(
                row,
                &mut summary,
                sink,
                line,
                reason,
                joined(&record, delimiter),
            )?,
        }
    }
    // A quote that is never closed runs to the end of the file, and the
    // rows it swallowed read as one multi-line field: the last field of the
    // last row. Had the quote been closed, the file would end with it.
    if let Some(line) = spanning.filter(|_| csv.get_ref().last_solid != b'"') {
        return Err(IngestError::Csv {
            name: name.clone(),
            line,
            message: "a quoted field in the row starting here is never closed, so it runs to the end of the file".into(),
            help: "close the quote (a quote inside a field is written twice: \"\"), or export the file again".into(),
        }
        .into());
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

fn fields_of(record: &csv::ByteRecord) -> Vec<String> {
    record
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_string())
        .collect()
}

/// SurveyMonkey's two header rows as one: the question (carried over the
/// blank cells after it, which belong to the same question), then the
/// answer label unless it is just `Response` or `Open-Ended Response`:
/// `Which plan are you on? - Other (please specify)`.
fn merge_header_rows(questions: &[String], answers: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(questions.len().max(answers.len()));
    let mut current = String::new();
    for i in 0..questions.len().max(answers.len()) {
        let q = questions.get(i).map_or("", String::as_str);
        let a = answers.get(i).map_or("", String::as_str);
        if !q.is_empty() {
            current = q.to_string();
        }
        let plain = a.is_empty()
            || a.eq_ignore_ascii_case("response")
            || a.eq_ignore_ascii_case("open-ended response");
        out.push(match (current.is_empty(), plain) {
            (true, _) => a.to_string(),
            (false, true) => current.clone(),
            (false, false) => format!("{current} - {a}"),
        });
    }
    out
}

/// Whether `field` holds the line break `b` on its own: a lone CR (not
/// before an LF), or an LF (not after a CR).
fn lone(field: &[u8], b: u8) -> bool {
    field.iter().enumerate().any(|(i, &c)| {
        c == b
            && match b {
                b'\r' => field.get(i + 1) != Some(&b'\n'),
                _ => i == 0 || field[i - 1] != b'\r',
            }
    })
}

/// The line `record`, just read by `csv`, starts on.
///
/// The csv crate counts LFs, but a record's position is where reading it
/// began, before the blank lines it skipped. So the line is counted back
/// from the record's end: the line after it, less its terminator and the
/// line breaks inside its fields. In a file whose lines end with a lone CR
/// (no LFs to count), records are counted instead (exact unless a quoted
/// field spans lines).
fn line_of<R: std::io::Read>(
    csv: &csv::Reader<Tail<R>>,
    record: &csv::ByteRecord,
    terminator: u8,
) -> u64 {
    let Some(start) = record.position() else {
        return 0;
    };
    if terminator == b'\r' {
        return start.record() + 1;
    }
    let end = csv.position();
    let tail = csv.get_ref();
    // Only the file's last record can end without a terminator.
    let terminated = !(tail.eof && end.byte() == tail.total && tail.last != b'\n');
    if end.line() == start.line() + u64::from(terminated) {
        // One line, with no blank lines before it: most rows.
        return start.line();
    }
    let inside: u64 = record
        .iter()
        .map(|f| f.iter().filter(|&&b| b == b'\n').count() as u64)
        .sum();
    let counted_back = end.line().saturating_sub(inside + u64::from(terminated));
    counted_back.max(start.line())
}

/// A reader that notes how the bytes it passed on end: how many there were,
/// the last one, and the last that is neither white space nor the
/// delimiter (a trailing row of empty cells has no content).
struct Tail<R> {
    inner: R,
    delimiter: u8,
    total: u64,
    last: u8,
    last_solid: u8,
    eof: bool,
}

impl<R> Tail<R> {
    fn new(inner: R, delimiter: u8) -> Tail<R> {
        Tail {
            inner,
            delimiter,
            total: 0,
            last: 0,
            last_solid: 0,
            eof: false,
        }
    }
}

impl<R: std::io::Read> std::io::Read for Tail<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let got = &buf[..n];
        self.total += n as u64;
        self.eof |= n == 0 && !buf.is_empty();
        if let Some(&b) = got.last() {
            self.last = b;
        }
        let solid = |b: &&u8| !b.is_ascii_whitespace() && **b != self.delimiter;
        if let Some(&b) = got.iter().rev().find(solid) {
            self.last_solid = b;
        }
        Ok(n)
    }
}

/// Tells the user, counts the row as rejected, and hands it to the sink.
fn reject(
    row: &RowBuilder<'_>,
    summary: &mut SourceSummary,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
    line: u64,
    reason: String,
    raw: String,
) -> anyhow::Result<()> {
    row.warn_rejected(line, &reason);
    summary.rejected += 1;
    sink(Event::Rejected(super::Rejection {
        source: row.ctx.index,
        line,
        reason,
        row: Some(raw),
        duplicate: false,
    }))
}

/// How a row-like line is recognized: the kind of value in each of a
/// row's first fields.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Empty,
    /// Digits only: an id, a rating.
    Number,
    /// A digit first, then digits and date or time punctuation.
    Date,
    Email,
    Other,
}

fn shape(f: &[u8]) -> Shape {
    let f = f.trim_ascii();
    match f.first() {
        None => Shape::Empty,
        _ if f.iter().all(u8::is_ascii_digit) => Shape::Number,
        Some(b'0'..=b'9')
            if f.iter().all(|&b| {
                b.is_ascii_digit()
                    || matches!(b, b'-' | b'/' | b'.' | b':' | b'T' | b'Z' | b'+' | b' ')
            }) =>
        {
            Shape::Date
        }
        _ if f.contains(&b'@') && !f.contains(&b' ') => Shape::Email,
        _ => Shape::Other,
    }
}

/// In a record read over several lines, the first line inside one of its
/// fields that reads like the start of a row: as many delimiters as a row
/// has (at least), and its first fields (up to three, never the last) of
/// the same shapes as the record's own, one of them a number or a date.
/// Prose that wraps (a comment of several lines) does not start with an
/// id and a date. Returns how many lines after the record's first it is.
fn row_like_line(record: &csv::ByteRecord, terminator: u8, delimiter: u8) -> Option<u64> {
    let columns = record.len();
    let k = (columns.saturating_sub(1)).min(3);
    if k == 0 {
        return None;
    }
    let first: Vec<Shape> = record.iter().take(k).map(shape).collect();
    if !first
        .iter()
        .any(|s| matches!(s, Shape::Number | Shape::Date))
    {
        return None;
    }
    let mut lines_before = 0u64;
    for field in record.iter() {
        for (i, inner) in field.split(|&b| b == terminator).enumerate() {
            if i == 0 {
                continue;
            }
            let delimiters = inner.iter().filter(|&&b| b == delimiter).count();
            if delimiters + 1 >= columns
                && inner
                    .split(|&b| b == delimiter)
                    .take(k)
                    .map(shape)
                    .eq(first.iter().copied())
            {
                return Some(lines_before + i as u64);
            }
        }
        lines_before += field.iter().filter(|&&b| b == terminator).count() as u64;
    }
    None
}

/// A record's fields joined by the delimiter, for `--rejects`.
fn joined(record: &csv::ByteRecord, delimiter: u8) -> String {
    let d = char::from(delimiter).to_string();
    let fields: Vec<String> = record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let row = fields.join(&d);
    // Records end at `\n`, so a CRLF file's last field keeps its `\r`.
    super::excerpt(row.strip_suffix('\r').unwrap_or(&row))
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

    #[test]
    fn two_header_rows_merge_into_one() {
        let q: Vec<String> = ["Respondent ID", "How likely…?", "Which plan?", "", "Why?"]
            .map(String::from)
            .to_vec();
        let a: Vec<String> = [
            "",
            "Response",
            "Response",
            "Other (please specify)",
            "Open-Ended Response",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            merge_header_rows(&q, &a),
            [
                "Respondent ID",
                "How likely…?",
                "Which plan?",
                "Which plan? - Other (please specify)",
                "Why?"
            ]
        );
    }
}
