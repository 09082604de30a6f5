//! Reading exports: files or stdin, CSV (any common delimiter), JSON arrays
//! and JSON Lines, in UTF-8 (with or without BOM) or UTF-16 with a BOM.
//!
//! Reading streams: rows are turned into [`Item`]s one at a time and handed
//! to a sink, so memory does not grow with the size of the export. Every
//! row ends up as an item or a [`Rejection`] with its reason and line.

pub mod columns;
mod csv;
pub mod diagnostics;
mod json;
pub mod presets;
pub mod values;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;

use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::item::{Item, Kind};
use crate::roadmap::{ColumnOverrides, SourceSpec};

pub use self::columns::ColumnMap;
pub use self::diagnostics::Diagnostics;
use self::values::{parse_date, parse_number, DateProblem};

/// Where to read feedback from, and how to read it.
#[derive(Debug, Clone)]
pub struct Source {
    /// How messages and reports name it: the path as given, or `<stdin>`.
    pub name: String,
    /// `None` reads standard input.
    pub path: Option<PathBuf>,
    pub preset: Option<String>,
    pub weight: f64,
    pub columns: ColumnOverrides,
}

impl Source {
    /// A file or `-` named on the command line.
    pub fn from_arg(arg: &str, preset: Option<String>) -> Source {
        let path = (arg != "-").then(|| PathBuf::from(arg));
        Source {
            name: if arg == "-" {
                "<stdin>".into()
            } else {
                arg.into()
            },
            path,
            preset,
            weight: 1.0,
            columns: ColumnOverrides::default(),
        }
    }

    pub fn from_spec(spec: &SourceSpec) -> Source {
        Source {
            name: spec.path.display().to_string(),
            path: Some(spec.path.clone()),
            preset: spec.preset.clone(),
            weight: spec.weight,
            columns: spec.columns.clone(),
        }
    }
}

/// A row that could not become an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub source: usize,
    pub line: u64,
    pub reason: String,
}

/// What a source hands the pipeline, in file order.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // items are the common case; boxing them costs an allocation each
pub enum Event {
    Item(Item),
    Rejected(Rejection),
}

/// What was learned reading a source: for reports and `--verbose`.
#[derive(Debug, Clone, Default)]
pub struct SourceSummary {
    pub format: &'static str,
    pub preset: Option<&'static str>,
    pub columns: String,
    pub items: u64,
    pub rejected: u64,
}

/// A source that cannot be read at all. Each message names the file and,
/// where it applies, the line, and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{name}: file not found\n  help: check the path; feedback files are read relative to the current folder, [[sources]] paths relative to the roadmap")]
    NotFound { name: String },
    #[error("{name}: is a directory, not a feedback file\n  help: name the export files inside it, e.g. `{name}/*.csv`")]
    Directory { name: String },
    #[error("{name}: cannot read: {source}")]
    Io { name: String, source: io::Error },
    #[error("{name}: the file is empty\n  help: export the feedback again, or remove it from the command line or [[sources]]")]
    Empty { name: String },
    #[error("{name}:{line}: the file has a header but no rows\n  help: export a date range that has feedback, or remove the file")]
    HeaderOnly { name: String, line: u64 },
    #[error("{name}: this looks like a binary file (a NUL byte at byte {offset}), not CSV, JSON or JSON Lines\n  help: export the feedback as CSV or JSON; run `painmap sources` for the formats painmap reads")]
    Binary { name: String, offset: usize },
    #[error("{name}:{line}: no text column among the headers: {headers}\n  help: name the text column in the roadmap's [sources.columns] (text = \"...\"), or rename it to one of: {aliases}")]
    NoText {
        name: String,
        line: u64,
        headers: String,
        aliases: String,
    },
    #[error("{name}:{line}: [sources.columns] {field} = {column:?}, but there is no such column; the headers are: {headers}")]
    MissingColumn {
        name: String,
        line: u64,
        field: &'static str,
        column: String,
        headers: String,
    },
    #[error("{name}:{line}:{column}: invalid JSON: {message}\n  help: fix the JSON at this position, or export it again")]
    Json {
        name: String,
        line: u64,
        column: u64,
        message: String,
    },
    #[error("{name}:{line}: malformed CSV: {message}\n  help: {help}")]
    Csv {
        name: String,
        line: u64,
        message: String,
        help: String,
    },
    #[error("{name}: unknown preset `{preset}`; valid presets: {valid}")]
    UnknownPreset {
        name: String,
        preset: String,
        valid: String,
    },
}

/// The rejection reason of a row with no text. It is common (a survey
/// answered with a score only), so it is summarized per source rather than
/// warned about row by row.
pub const NO_TEXT: &str = "no text";

/// How many bytes are looked at to tell a binary file from text.
const SNIFF: usize = 8192;

/// Context a reader needs besides the source itself.
pub struct ReadContext<'a> {
    pub index: usize,
    /// Normalized field names that persona rules match on.
    pub wanted: &'a [String],
    pub diag: &'a Diagnostics,
}

/// Reads one source to the end, handing each row to `sink`.
pub fn read_source(
    src: &Source,
    ctx: &ReadContext<'_>,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
) -> anyhow::Result<SourceSummary> {
    let preset = match &src.preset {
        Some(p) => Some(
            presets::by_name(p).ok_or_else(|| IngestError::UnknownPreset {
                name: src.name.clone(),
                preset: p.clone(),
                valid: presets::names().collect::<Vec<_>>().join(", "),
            })?,
        ),
        None => None,
    };
    let raw: Box<dyn Read> = match &src.path {
        None => Box::new(io::stdin().lock()),
        Some(path) => {
            if path.is_dir() {
                return Err(IngestError::Directory {
                    name: src.name.clone(),
                }
                .into());
            }
            match File::open(path) {
                Ok(f) => Box::new(f),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Err(IngestError::NotFound {
                        name: src.name.clone(),
                    }
                    .into())
                }
                Err(e) => {
                    return Err(IngestError::Io {
                        name: src.name.clone(),
                        source: e,
                    }
                    .into())
                }
            }
        }
    };
    // Sniff the first bytes before decoding: a NUL outside UTF-16 means a
    // binary file (a spreadsheet, an image), not an export painmap reads.
    let mut raw = raw;
    let mut head = Vec::with_capacity(SNIFF);
    raw.by_ref()
        .take(SNIFF as u64)
        .read_to_end(&mut head)
        .map_err(|e| IngestError::Io {
            name: src.name.clone(),
            source: e,
        })?;
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if !utf16 {
        if let Some(offset) = head.iter().position(|&b| b == 0) {
            return Err(IngestError::Binary {
                name: src.name.clone(),
                offset,
            }
            .into());
        }
    }
    // Transcodes UTF-16 with a BOM to UTF-8 and drops a UTF-8 BOM; other
    // bytes pass through untouched, and invalid UTF-8 is replaced per field.
    let decoded = DecodeReaderBytesBuilder::new()
        .strip_bom(true)
        .utf8_passthru(true)
        .build(io::Cursor::new(head).chain(raw));
    let mut reader = BufReader::with_capacity(1 << 18, decoded);
    let mut head = reader.fill_buf().map_err(|e| IngestError::Io {
        name: src.name.clone(),
        source: e,
    })?;
    // The decoder may hand out its first bytes in a small piece.
    while !head.is_empty() && head.iter().all(u8::is_ascii_whitespace) {
        let n = head.len();
        reader.consume(n);
        head = reader.fill_buf().map_err(|e| IngestError::Io {
            name: src.name.clone(),
            source: e,
        })?;
    }
    if head.is_empty() {
        return Err(IngestError::Empty {
            name: src.name.clone(),
        }
        .into());
    }
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let row = RowBuilder { src, ctx, preset };
    match first {
        Some(b'[') => json::read_array(reader, &row, sink),
        Some(b'{') => json::read_lines(reader, &row, sink),
        _ => csv::read(reader, &row, sink),
    }
}

/// Turns the fields of one row into an item, with warnings for the values
/// it had to drop.
pub(crate) struct RowBuilder<'a> {
    pub src: &'a Source,
    pub ctx: &'a ReadContext<'a>,
    pub preset: Option<&'static presets::Preset>,
}

impl RowBuilder<'_> {
    pub fn location(&self, line: u64) -> String {
        format!("{}:{line}", self.src.name)
    }

    /// Tells the user a row was rejected: rows with no text are tallied
    /// per source, anything else is a warning of its own.
    pub fn warn_rejected(&self, line: u64, reason: &str) {
        if reason == NO_TEXT {
            self.ctx
                .diag
                .tally("rows with no text", &self.src.name, line);
        } else {
            self.ctx.diag.warn(
                "rejected row",
                &self.location(line),
                &format!("{reason}; the row is rejected"),
            );
        }
    }

    pub fn map(
        &self,
        headers: &[String],
        line: u64,
        preset: Option<&presets::Preset>,
    ) -> Result<ColumnMap, IngestError> {
        ColumnMap::resolve(headers, &self.src.columns, preset, self.ctx.wanted).map_err(|e| match e
        {
            columns::ColumnError::NoText => IngestError::NoText {
                name: self.src.name.clone(),
                line,
                headers: list_headers(headers),
                aliases: [columns::TEXT_ALIASES, columns::TITLE_ALIASES]
                    .concat()
                    .join(", "),
            },
            columns::ColumnError::MissingOverride { field, column } => IngestError::MissingColumn {
                name: self.src.name.clone(),
                line,
                field,
                column,
                headers: list_headers(headers),
            },
        })
    }

    /// Builds an item; `Err` is the reason the row is rejected.
    pub fn item<'f>(
        &self,
        map: &ColumnMap,
        line: u64,
        get: impl Fn(usize) -> Option<&'f str>,
    ) -> Result<Item, String> {
        let diag = self.ctx.diag;
        let cell = |i: Option<usize>| -> Option<&'f str> {
            i.and_then(&get).map(str::trim).filter(|s| !s.is_empty())
        };
        let owned = |i: Option<usize>| cell(i).map(str::to_string);

        let mut text = String::new();
        for &i in &map.text {
            if let Some(t) = cell(Some(i)) {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(t);
            }
        }
        if text.trim().is_empty() {
            return Err(NO_TEXT.into());
        }
        let created_at = match cell(map.created_at) {
            Some(raw) => match parse_date(raw) {
                Ok(t) => Some(t),
                Err(DateProblem::Unparseable) => {
                    diag.warn(
                        "unparseable date",
                        &self.location(line),
                        &format!("cannot read the date {raw:?}; the item counts without recency"),
                    );
                    None
                }
                Err(DateProblem::Implausible(year)) => {
                    diag.warn("implausible date", &self.location(line), &format!("the date {raw:?} is in the year {year}; the item counts without recency"));
                    None
                }
            },
            None => None,
        };
        let value = match cell(map.value) {
            Some(raw) => match parse_number(raw) {
                Some(v) if v >= 0.0 => Some(v),
                Some(_) => {
                    diag.warn(
                        "negative value",
                        &self.location(line),
                        &format!("the account value {raw:?} is negative; it is ignored"),
                    );
                    None
                }
                None => {
                    diag.warn(
                        "non-numeric value",
                        &self.location(line),
                        &format!("the account value {raw:?} is not a number; it is ignored"),
                    );
                    None
                }
            },
            None => None,
        };
        let rating = match (map.rating, cell(map.rating.map(|(i, _)| i))) {
            (Some((_, scale)), Some(raw)) => {
                match parse_number(raw).map(|v| (v, scale.normalize(v))) {
                    Some((_, Some(r))) => Some(r),
                    Some((v, None)) => {
                        diag.warn(
                            "rating off the scale",
                            &self.location(line),
                            &format!(
                                "the rating {v} is off the {} scale; it is ignored",
                                scale.name()
                            ),
                        );
                        None
                    }
                    None => {
                        diag.warn(
                            "non-numeric rating",
                            &self.location(line),
                            &format!("the rating {raw:?} is not a number; it is ignored"),
                        );
                        None
                    }
                }
            }
            _ => None,
        };
        let kind = cell(map.kind).and_then(Kind::from_label);
        let extra = map
            .extra
            .iter()
            .filter_map(|(name, i)| cell(Some(*i)).map(|v| (Arc::clone(name), v.to_string())))
            .collect();
        Ok(Item {
            source: self.ctx.index,
            line,
            id: owned(map.id).unwrap_or_else(|| line.to_string()),
            text,
            created_at,
            customer: owned(map.customer).map(|c| c.to_lowercase()),
            account: owned(map.account),
            value,
            rating,
            segment: owned(map.segment).map(|s| s.to_lowercase()),
            stage: owned(map.stage),
            persona: owned(map.persona),
            kind,
            fields: extra,
        })
    }
}

fn list_headers(headers: &[String]) -> String {
    if headers.is_empty() {
        return "(none)".into();
    }
    headers
        .iter()
        .map(|h| format!("{:?}", crate::report::sanitize::terminal(h)))
        .collect::<Vec<_>>()
        .join(", ")
}
