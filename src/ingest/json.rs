//! JSON arrays of objects, and JSON Lines (one object a line).
//!
//! Nested objects are flattened into dotted field names (`source.body`,
//! `attributes.rating`), arrays of values are joined, so the same column
//! resolution serves CSV and JSON. A JSON array is read element by element,
//! never whole.

use std::fmt;
use std::io::BufRead;

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::Value;

use super::{ColumnMap, Event, IngestError, Rejection, RowBuilder, SourceSummary};

/// A flattened JSON object: field names in first-seen order, and values.
#[derive(Debug, Default)]
struct Flat {
    keys: Vec<String>,
    values: Vec<String>,
}

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
                    self.add(key, item);
                }
            }
            Value::String(s) => self.push(key, s),
            Value::Bool(b) => self.push(key, if *b { "true" } else { "false" }),
            Value::Number(n) => self.push(key, &n.to_string()),
        }
    }

    /// Repeated keys (from arrays) are joined with "; ".
    fn push(&mut self, key: &str, value: &str) {
        match self.keys.iter().position(|k| k == key) {
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
            }
        }
    }
}

/// Resolves columns once per distinct set of keys, not once per object.
struct MapCache {
    keys: Vec<String>,
    map: Option<ColumnMap>,
    summary_columns: String,
}

struct Reader<'r, 'a> {
    row: &'r RowBuilder<'a>,
    cache: MapCache,
    summary: SourceSummary,
    /// The first object that had no text column: reported if none had one.
    no_text: Option<IngestError>,
}

impl Reader<'_, '_> {
    fn object(
        &mut self,
        value: &Value,
        line: u64,
        sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let Some(flat) = Flat::from_object(value) else {
            return self.reject(line, "not a JSON object".into(), sink);
        };
        if self.cache.map.is_none() || self.cache.keys != flat.keys {
            let preset = self
                .row
                .preset
                .or_else(|| super::presets::detect(&flat.keys));
            match self.row.map(&flat.keys, line, preset) {
                Ok(map) => {
                    if self.cache.summary_columns.is_empty() {
                        self.cache.summary_columns = map.describe(&flat.keys);
                        self.summary.preset = preset.map(|p| p.name);
                    }
                    self.cache.map = Some(map);
                    self.cache.keys.clone_from(&flat.keys);
                }
                Err(e @ IngestError::MissingColumn { .. }) => return Err(e.into()),
                Err(e) => {
                    self.no_text.get_or_insert(e);
                    self.cache.map = None;
                    return self.reject(line, "no text field".into(), sink);
                }
            }
        }
        let map = self.cache.map.as_ref().expect("resolved above");
        match self
            .row
            .item(map, line, |i| flat.values.get(i).map(String::as_str))
        {
            Ok(item) => {
                self.summary.items += 1;
                sink(Event::Item(item))
            }
            Err(reason) => self.reject(line, reason, sink),
        }
    }

    fn reject(
        &mut self,
        line: u64,
        reason: String,
        sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        self.row.warn_rejected(line, &reason);
        self.summary.rejected += 1;
        sink(Event::Rejected(Rejection {
            source: self.row.ctx.index,
            line,
            reason,
        }))
    }

    fn finish(mut self, format: &'static str) -> anyhow::Result<SourceSummary> {
        if self.summary.items == 0 {
            if let Some(e) = self.no_text.take() {
                return Err(e.into());
            }
        }
        self.summary.format = format;
        self.summary.columns = self.cache.summary_columns;
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
            summary: SourceSummary::default(),
            no_text: None,
        }
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
        let parsed = match std::str::from_utf8(&buf) {
            Ok(s) => serde_json::from_str::<Value>(s),
            Err(_) => {
                row.ctx.diag.warn(
                    "invalid UTF-8",
                    &row.location(line),
                    "the line has bytes that are not UTF-8; they were replaced with \u{fffd}",
                );
                serde_json::from_str::<Value>(&String::from_utf8_lossy(&buf))
            }
        };
        match parsed {
            Ok(v) => r.object(&v, line, sink)?,
            Err(e) => r.reject(
                line,
                format!(
                    "invalid JSON at column {}: {}",
                    e.column(),
                    strip_position(&e)
                ),
                sink,
            )?,
        }
    }
    r.finish("jsonl")
}

pub(super) fn read_array<R: BufRead>(
    reader: R,
    row: &RowBuilder<'_>,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
) -> anyhow::Result<SourceSummary> {
    let mut r = Reader::new(row);
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut failure: Option<anyhow::Error> = None;
    let result = Elements {
        reader: &mut r,
        sink,
        failure: &mut failure,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if let Some(e) = failure {
        return Err(e);
    }
    if let Err(e) = result {
        return Err(IngestError::Json {
            name: row.src.name.clone(),
            line: e.line() as u64,
            column: e.column() as u64,
            message: strip_position(&e),
        }
        .into());
    }
    r.finish("json")
}

/// serde_json appends " at line L column C"; painmap puts those first.
fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Visits the top-level array one element at a time.
struct Elements<'x, 'r, 'a> {
    reader: &'x mut Reader<'r, 'a>,
    sink: &'x mut dyn FnMut(Event) -> anyhow::Result<()>,
    failure: &'x mut Option<anyhow::Error>,
}

impl<'de> DeserializeSeed<'de> for Elements<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Elements<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of feedback objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0u64;
        while let Some(v) = seq.next_element::<Value>()? {
            n += 1;
            if let Err(e) = self.reader.object(&v, n, self.sink) {
                *self.failure = Some(e);
                return Err(serde::de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}
