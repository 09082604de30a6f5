//! JSON arrays of objects, JSON Lines (one object a line), and API
//! responses that wrap the objects (`{"data": [...]}` from App Store
//! Connect, `{"conversations": [...]}` from Intercom).
//!
//! Nested objects are flattened into dotted field names (`source.body`,
//! `attributes.rating`), arrays of values are joined, so the same column
//! resolution serves CSV and JSON. Arrays are read element by element,
//! never whole.

use std::fmt;
use std::io::{self, BufRead, Read};

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::Value;

use super::presets::{Closest, Preset};
use super::{ColumnMap, Event, IngestError, Rejection, RowBuilder, SourceSummary};

/// Keys under which API responses put their list of records.
const WRAPPER_KEYS: &[&str] = &[
    "data",
    "conversations",
    "reviews",
    "results",
    "items",
    "records",
    "responses",
    "notes",
    "submissions",
    "issues",
    "feedback",
];

/// A flattened JSON object: field names in first-seen order, and values.
#[derive(Debug, Default)]
struct Flat {
    keys: Vec<String>,
    values: Vec<String>,
    /// Where each key is, once there are more than [`SCAN_KEYS`]: a record
    /// of 100,000 fields took 9 s with a scan of the keys for each.
    index: std::collections::HashMap<String, usize>,
}

/// Keys found by scanning, below which an index costs more than it saves.
const SCAN_KEYS: usize = 32;

impl Flat {
    fn from_object(v: &Value) -> Option<Flat> {
        let obj = v.as_object()?;
        let mut flat = Flat::default();
        for (k, v) in obj {
            flat.add(k, v);
        }
        Some(flat)
    }

    fn add(&mut self, key: &str, v: &Value) {
        match v {
            Value::Null => {}
            Value::Object(o) => {
                for (k, v) in o {
                    self.add(&format!("{key}.{k}"), v);
                }
            }
            Value::Array(items) => {
                for item in items {
                    match reaction_group(item) {
                        Some((content, count)) => self.push(&format!("{key}.{content}"), &count),
                        None => self.add(key, item),
                    }
                }
            }
            Value::String(s) => self.push(key, s),
            Value::Bool(b) => self.push(key, if *b { "true" } else { "false" }),
            Value::Number(n) => self.push(key, &n.to_string()),
        }
    }

    /// Repeated keys (from arrays) are joined with "; ".
    fn push(&mut self, key: &str, value: &str) {
        let found = if self.index.is_empty() {
            self.keys.iter().position(|k| k == key)
        } else {
            self.index.get(key).copied()
        };
        match found {
            Some(i) => {
                let v = &mut self.values[i];
                if !v.is_empty() {
                    v.push_str("; ");
                }
                v.push_str(value);
            }
            None => {
                self.keys.push(key.to_string());
                self.values.push(value.to_string());
                if self.keys.len() > SCAN_KEYS {
                    if self.index.is_empty() {
                        self.index = self.keys.iter().cloned().zip(0..).collect();
                    } else {
                        self.index.insert(key.to_string(), self.keys.len() - 1);
                    }
                }
            }
        }
    }
}

/// GitHub's reaction groups, `{"content": "THUMBS_UP", "users":
/// {"totalCount": 3}}`, become one field per reaction
/// (`reactionGroups.THUMBS_UP` = 3) rather than two lists whose order
/// would have to line up.
fn reaction_group(v: &Value) -> Option<(&str, String)> {
    let o = v.as_object()?;
    let content = o.get("content")?.as_str()?;
    // Any count, so that one the export could not hold is warned about
    // where votes are read, not taken for other fields.
    let count = match o.get("users")?.get("totalCount")? {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    Some((content, count))
}

/// The records array of an API response, if `v` is one.
fn wrapped(v: &Value) -> Option<&[Value]> {
    let o = v.as_object()?;
    WRAPPER_KEYS.iter().find_map(|k| match o.get(*k)? {
        Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_object) => Some(a.as_slice()),
        // An empty page of a response, on one line: no records, rather
        // than one record with no text.
        Value::Array(a) if a.is_empty() && only_metadata_beside(o, k) => Some(&[]),
        // One record, as `GET /customerReviews/{id}` returns it on one
        // line: only when everything beside it is response metadata, so
        // that a record with a `data` object of its own stays a record.
        one @ Value::Object(_) if only_metadata_beside(o, k) => Some(std::slice::from_ref(one)),
        _ => None,
    })
}

/// Whether every key of `o` but `records` is response metadata.
fn only_metadata_beside(o: &serde_json::Map<String, Value>, records: &str) -> bool {
    o.keys()
        .all(|key| key == records || RESPONSE_METADATA.contains(&key.as_str()))
}

/// Keys an API response carries beside its records.
const RESPONSE_METADATA: &[&str] = &[
    "links",
    "meta",
    "included",
    "jsonapi",
    "pagination",
    "paging",
];

/// Resolves columns once per distinct set of keys, not once per object.
struct MapCache {
    keys: Vec<String>,
    map: Option<ColumnMap>,
    summary_columns: String,
}

struct Reader<'r, 'a> {
    row: &'r RowBuilder<'a>,
    cache: MapCache,
    /// Once detected, the preset holds for the rest of the source: objects
    /// without optional fields must not fall back to generic columns.
    preset: Option<&'static Preset>,
    closest: Option<Closest>,
    summary: SourceSummary,
    /// Records unwrapped from API responses so far, for their numbers.
    unwrapped: u64,
    /// The first object that had no text column: reported if none had one.
    no_text: Option<IngestError>,
    /// Whether a named preset has been checked against the fields.
    fit_checked: bool,
}

impl Reader<'_, '_> {
    /// An object from the file: a record, or an API response holding them.
    fn object(
        &mut self,
        value: &Value,
        line: u64,
        sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        if let Some(records) = wrapped(value) {
            for v in records {
                self.unwrapped += 1;
                self.record(v, self.unwrapped, sink)?;
            }
            return Ok(());
        }
        self.record(value, line, sink)
    }

    fn record(
        &mut self,
        value: &Value,
        line: u64,
        sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let Some(flat) = Flat::from_object(value) else {
            return self.reject(
                line,
                "not a JSON object".into(),
                Some(value.to_string()),
                sink,
            );
        };
        if self.cache.map.is_none() || self.cache.keys != flat.keys {
            // A named preset is checked against the first record's fields
            // once, as a CSV's header is: a warning when it does not fit.
            if !self.fit_checked && self.row.preset.is_some() {
                self.fit_checked = true;
                self.row.detect(&flat.keys, line)?;
            }
            if self.preset.is_none() {
                let (preset, closest) = self.row.detect(&flat.keys, line)?;
                self.preset = preset;
                if self.closest.is_none() {
                    self.closest = closest;
                }
            }
            match self
                .row
                .map(&flat.keys, line, self.preset, self.closest.as_ref())
            {
                Ok(map) => {
                    if self.cache.summary_columns.is_empty() {
                        self.cache.summary_columns = map.describe(&flat.keys);
                    }
                    self.cache.map = Some(map);
                    self.cache.keys.clone_from(&flat.keys);
                }
                Err(e @ IngestError::MissingColumn { .. }) => return Err(e.into()),
                Err(e) => {
                    self.no_text.get_or_insert(e);
                    self.cache.map = None;
                    return self.reject(
                        line,
                        "no text field".into(),
                        Some(value.to_string()),
                        sink,
                    );
                }
            }
        }
        self.row.replaced(
            flat.values.iter().map(String::as_bytes),
            line,
            &mut self.summary,
        );
        let map = self.cache.map.as_ref().expect("resolved above");
        match self.row.item(map, line, flat.values.as_slice()) {
            Ok(item) => {
                self.summary.items += 1;
                sink(Event::Item(item))
            }
            Err(reason) => self.reject(line, reason, Some(value.to_string()), sink),
        }
    }

    fn reject(
        &mut self,
        line: u64,
        reason: String,
        row: Option<String>,
        sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        self.row.warn_rejected(line, &reason);
        self.summary.rejected += 1;
        sink(Event::Rejected(Rejection {
            source: self.row.ctx.index,
            line,
            reason,
            row: row.map(|r| super::excerpt(&r)),
            duplicate: false,
        }))
    }

    /// `empty` says what the source held when it held no record at all,
    /// which is an error as an empty or header-only CSV file is.
    fn finish(
        mut self,
        format: &'static str,
        empty: &'static str,
    ) -> anyhow::Result<SourceSummary> {
        if self.summary.items == 0 && self.summary.rejected == 0 {
            return Err(IngestError::NoRecords {
                name: self.row.src.name.clone(),
                what: empty,
            }
            .into());
        }
        if self.summary.items == 0 {
            if let Some(e) = self.no_text.take() {
                return Err(e.into());
            }
        }
        self.summary.format = format;
        self.summary.columns = self.cache.summary_columns;
        self.summary.preset = self.preset.map(|p| p.name);
        if self.preset.is_none() {
            self.summary.closest = self.closest.map(|c| c.to_string());
        }
        Ok(self.summary)
    }

    fn new<'r, 'a>(row: &'r RowBuilder<'a>) -> Reader<'r, 'a> {
        Reader {
            row,
            cache: MapCache {
                keys: Vec::new(),
                map: None,
                summary_columns: String::new(),
            },
            preset: row.preset,
            closest: None,
            summary: SourceSummary::default(),
            unwrapped: 0,
            no_text: None,
            fit_checked: false,
        }
    }
}

/// How far the first line is looked at to tell JSON Lines from one JSON
/// document spread over many lines.
const PEEK: usize = 1 << 20;

/// Lines looked at to tell JSON Lines whose first line is broken from one
/// document.
const PEEK_LINES: usize = 16;

/// How far a first line longer than [`PEEK`] is read to its end, so that
/// JSON Lines whose first record carries a large field (an attachment) are
/// still told from one document. Reading JSON Lines holds a line whole
/// anyway.
const FIRST_LINE_CAP: usize = 64 << 20;

/// A file that starts with `{`: JSON Lines when its first line is a whole
/// object, or when at least half of its first lines are (the first one is
/// broken, and reading goes on after it); else one JSON document (a
/// pretty-printed API response, whose lines are fragments).
pub(super) fn read_objects<R: BufRead>(
    mut reader: R,
    row: &RowBuilder<'_>,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
) -> anyhow::Result<SourceSummary> {
    let io_error = |e: io::Error| IngestError::Io {
        name: row.src.name.clone(),
        source: e,
    };
    // The first lines, whole, up to PEEK bytes in all; the first line to
    // its end, up to FIRST_LINE_CAP.
    let mut first = Vec::new();
    let mut lines: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    while lines.len() < PEEK_LINES
        && (first.len() < PEEK || (lines.is_empty() && first.len() < FIRST_LINE_CAP))
    {
        let buf = reader.fill_buf().map_err(io_error)?;
        if buf.is_empty() {
            if start < first.len() {
                lines.push(start..first.len());
            }
            break;
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                first.extend_from_slice(&buf[..=i]);
                reader.consume(i + 1);
                lines.push(start..first.len());
                start = first.len();
            }
            None => {
                let n = buf.len();
                first.extend_from_slice(buf);
                reader.consume(n);
            }
        }
    }
    let object = |r: &std::ops::Range<usize>| {
        serde_json::from_slice::<Value>(&first[r.clone()]).is_ok_and(|v| v.is_object())
    };
    let solid: Vec<&std::ops::Range<usize>> = lines
        .iter()
        .filter(|r| !first[(*r).clone()].iter().all(u8::is_ascii_whitespace))
        .collect();
    let whole = solid.iter().filter(|r| object(r)).count();
    let json_lines =
        solid.first().is_some_and(|r| object(r)) || (whole >= 1 && 2 * whole >= solid.len());
    let reader = io::BufReader::new(io::Cursor::new(first).chain(reader));
    if json_lines {
        read_lines(reader, row, sink)
    } else {
        read_document(reader, row, sink)
    }
}

pub(super) fn read_lines<R: BufRead>(
    mut reader: R,
    row: &RowBuilder<'_>,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
) -> anyhow::Result<SourceSummary> {
    let mut r = Reader::new(row);
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| IngestError::Io {
                name: row.src.name.clone(),
                source: e,
            })?;
        if n == 0 {
            break;
        }
        line += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // The decoder replaced invalid bytes already; the row counts them.
        let parsed = serde_json::from_str::<Value>(&String::from_utf8_lossy(&buf));
        match parsed {
            Ok(v) => r.object(&v, line, sink)?,
            Err(e) => r.reject(
                line,
                format!(
                    "invalid JSON at column {}: {}",
                    e.column(),
                    strip_position(&e)
                ),
                Some(String::from_utf8_lossy(&buf).trim_end().to_string()),
                sink,
            )?,
        }
    }
    r.finish("jsonl", "no line holds a record")
}

pub(super) fn read_array<R: BufRead>(
    reader: R,
    row: &RowBuilder<'_>,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
) -> anyhow::Result<SourceSummary> {
    let mut r = Reader::new(row);
    stream(reader, row, &mut r, sink, Top::Array)?;
    r.finish("json", "the JSON array is empty")
}

/// One JSON document that is an object: an API response whose records sit
/// under a key such as `data`, else a single record.
fn read_document<R: BufRead>(
    reader: R,
    row: &RowBuilder<'_>,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
) -> anyhow::Result<SourceSummary> {
    let mut r = Reader::new(row);
    stream(reader, row, &mut r, sink, Top::Object)?;
    r.finish("json", "the response's list of records is empty")
}

#[derive(Clone, Copy)]
enum Top {
    Array,
    Object,
}

/// Deserializes the document, handing records to the reader as they are
/// parsed; a failure in the sink stops parsing and is returned as is.
fn stream<R: BufRead>(
    reader: R,
    row: &RowBuilder<'_>,
    r: &mut Reader<'_, '_>,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
    top: Top,
) -> anyhow::Result<()> {
    let lines = std::rc::Rc::new(std::cell::Cell::new(1));
    let mut de = serde_json::Deserializer::from_reader(LineCount {
        inner: reader,
        line: lines.clone(),
    });
    let mut failure: Option<anyhow::Error> = None;
    let mut elements = Elements {
        reader: r,
        sink,
        failure: &mut failure,
        line: lines,
        key_line: 1,
    };
    let result = match top {
        Top::Array => (&mut elements).deserialize(&mut de),
        Top::Object => TopObject {
            elements: &mut elements,
        }
        .deserialize(&mut de),
    }
    .and_then(|()| de.end());
    if let Some(e) = failure {
        return Err(e);
    }
    result.map_err(|e| {
        let eof = e.is_eof();
        IngestError::Json {
            name: row.src.name.clone(),
            line: e.line() as u64,
            // serde_json counts columns from 1, and says 0 at the start of
            // a line: the end of a file that ends with a line break.
            column: (e.column() as u64).max(1),
            message: if eof {
                format!("the file ends first ({})", strip_position(&e))
            } else {
                strip_position(&e)
            },
            help: if eof {
                "the export looks cut short: export it again (or, if the records are all there, close the JSON where it ends)"
            } else {
                "fix the JSON at this position, or export it again"
            },
        }
        .into()
    })
}

/// serde_json appends " at line L column C"; painmap puts those first.
fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A reader that counts the lines it has passed on. serde_json reads a
/// byte at a time, so the count is where the parser is.
struct LineCount<R> {
    inner: R,
    line: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: io::Read> io::Read for LineCount<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let breaks = buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        self.line.set(self.line.get() + breaks);
        Ok(n)
    }
}

/// Visits an array one element at a time (or takes a lone object as one
/// record, as `GET /customerReviews/{id}` returns `{"data": {...}}`).
struct Elements<'x, 'r, 'a> {
    reader: &'x mut Reader<'r, 'a>,
    sink: &'x mut dyn FnMut(Event) -> anyhow::Result<()>,
    failure: &'x mut Option<anyhow::Error>,
    /// The line the parser is on.
    line: std::rc::Rc<std::cell::Cell<u64>>,
    /// The line of the key whose value is being read: a lone record's.
    key_line: u64,
}

impl Elements<'_, '_, '_> {
    fn take<E: serde::de::Error>(&mut self, v: &Value, line: u64) -> Result<(), E> {
        self.reader.unwrapped += 1;
        if let Err(e) = self.reader.object(v, line, self.sink) {
            *self.failure = Some(e);
            return Err(E::custom("stopped"));
        }
        Ok(())
    }

    /// One element of an array, parsed on its own: an element that is
    /// valid JSON but not a value painmap can hold (a number out of
    /// range) is rejected, and the rest of the array is read.
    fn element<E: serde::de::Error>(&mut self, raw: &RawValue) -> Result<(), E> {
        let text = raw.get();
        let breaks = text.bytes().filter(|&b| b == b'\n').count() as u64;
        let line = self.line.get().saturating_sub(breaks);
        match serde_json::from_str::<Value>(text) {
            Ok(v) => self.take(&v, line),
            Err(e) => {
                let rejected = self.reader.reject(
                    line,
                    format!("invalid JSON: {}", strip_position(&e)),
                    Some(text.to_string()),
                    self.sink,
                );
                if let Err(e) = rejected {
                    *self.failure = Some(e);
                    return Err(E::custom("stopped"));
                }
                Ok(())
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for &mut Elements<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for &mut Elements<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of feedback objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            self.element(&raw)?;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let v: Value =
            serde::Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        self.take(&v, self.key_line)
    }
}

/// The top-level object of a document: the records under a wrapper key
/// are streamed; anything else is kept in case the object is itself the
/// one record.
struct TopObject<'e, 'x, 'r, 'a> {
    elements: &'e mut Elements<'x, 'r, 'a>,
}

impl<'de> DeserializeSeed<'de> for TopObject<'_, '_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopObject<'_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if !found && WRAPPER_KEYS.contains(&key.as_str()) {
                found = true;
                self.elements.key_line = self.elements.line.get();
                map.next_value_seed(&mut *self.elements)?;
            } else {
                rest.insert(key, map.next_value()?);
            }
        }
        if !found {
            self.elements.take(&Value::Object(rest), 1)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reaction_groups_become_one_field_each() {
        let v: Value = serde_json::from_str(
            r#"{"number": 7, "reactionGroups": [
                {"content": "THUMBS_UP", "users": {"totalCount": 12}},
                {"content": "EYES", "users": {"totalCount": 1}}],
               "labels": [{"name": "bug"}, {"name": "sso"}]}"#,
        )
        .unwrap();
        let f = Flat::from_object(&v).unwrap();
        let get = |k: &str| {
            f.keys
                .iter()
                .position(|x| x == k)
                .map(|i| f.values[i].as_str())
        };
        assert_eq!(get("reactionGroups.THUMBS_UP"), Some("12"));
        assert_eq!(get("reactionGroups.EYES"), Some("1"));
        assert_eq!(get("labels.name"), Some("bug; sso"));
    }

    /// Past the keys found by scanning, the index gives the same fields in
    /// the same order, repeats joined.
    #[test]
    fn many_fields_flatten_in_order_with_repeats_joined() {
        let mut fields: Vec<String> = (0..200).map(|i| format!("\"k{i}\": {i}")).collect();
        fields.push(r#""tags": [{"name": "a"}, {"name": "b"}]"#.into());
        fields.push(r#""k5x": [1, 2]"#.into());
        let v: Value = serde_json::from_str(&format!("{{{}}}", fields.join(", "))).unwrap();
        let f = Flat::from_object(&v).unwrap();
        assert_eq!(f.keys.len(), 202);
        assert_eq!(f.keys.len(), f.values.len());
        let at = |k: &str| f.keys.iter().position(|x| x == k).unwrap();
        assert_eq!(f.values[at("k150")], "150");
        assert_eq!(f.values[at("tags.name")], "a; b");
        assert_eq!(f.values[at("k5x")], "1; 2");
        // The flat fields keep the order of the object's own keys.
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let flat: Vec<&str> = f
            .keys
            .iter()
            .map(|k| k.strip_suffix(".name").unwrap_or(k))
            .collect();
        assert_eq!(flat, keys);
    }

    #[test]
    fn api_responses_are_unwrapped() {
        let v: Value =
            serde_json::from_str(r#"{"data": [{"id": "a"}, {"id": "b"}], "links": {}}"#).unwrap();
        assert_eq!(wrapped(&v).map(<[Value]>::len), Some(2));
        // An item with a list of objects under an ordinary key is an item.
        let v: Value = serde_json::from_str(r#"{"id": 1, "labels": [{"name": "x"}]}"#).unwrap();
        assert!(wrapped(&v).is_none());
        // An empty page is a response with no records; a record with an
        // empty `data` list of its own is a record.
        let v: Value = serde_json::from_str(r#"{"data": [], "links": {}}"#).unwrap();
        assert_eq!(wrapped(&v).map(<[Value]>::len), Some(0));
        let v: Value = serde_json::from_str(r#"{"text": "hi", "data": []}"#).unwrap();
        assert!(wrapped(&v).is_none());
        // One record in a response, as a single line of JSON Lines.
        let v: Value = serde_json::from_str(
            r#"{"data": {"id": "r1", "attributes": {"body": "x"}}, "links": {"self": "u"}}"#,
        )
        .unwrap();
        let one = wrapped(&v).unwrap();
        assert_eq!(one.len(), 1);
        assert_eq!(one[0]["id"], "r1");
        // A record that has a `data` object of its own is a record.
        let v: Value =
            serde_json::from_str(r#"{"id": 2, "text": "hi", "data": {"plan": "pro"}}"#).unwrap();
        assert!(wrapped(&v).is_none());
    }
}
