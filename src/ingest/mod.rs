//! Reading exports: files or stdin, CSV (any common delimiter), JSON arrays,
//! JSON Lines and JSON API responses (`{"data": [...]}`), in UTF-8 (with or
//! without BOM) or UTF-16 LE/BE with a BOM. Invalid bytes are replaced and
//! each affected row counted, never fatal.
//!
//! Each source is matched against the [`presets`] of real feedback tools'
//! exports, by its headers, unless a preset is named.
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
use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::borrow::Cow;
use std::collections::VecDeque;

use encoding_rs_io::DecodeReaderBytesBuilder;

use crate::item::{Item, Kind, RatingScale};
use crate::roadmap::{ColumnOverrides, SourceSpec};

pub use self::columns::ColumnMap;
pub use self::diagnostics::Diagnostics;
use self::presets::{Clean, Closest, Detection, Preset};
use self::values::{
    leading_number, parse_date_in, parse_number, DateOrder, DateProblem, SlashDate,
};

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
    /// How numeric dates with slashes that could be read either way are
    /// read; `None` is month-first, not chosen on purpose.
    pub date_order: Option<DateOrder>,
    /// For a roadmap's `[[sources]]` entry, where its path is written
    /// (`roadmap.toml:12:8`): an error about a missing file points there.
    pub declared_at: Option<String>,
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
            date_order: None,
            declared_at: None,
        }
    }

    pub fn from_spec(spec: &SourceSpec) -> Source {
        Source {
            name: spec.path.display().to_string(),
            path: Some(spec.path.clone()),
            preset: spec.preset.clone(),
            weight: spec.weight,
            columns: spec.columns.clone(),
            date_order: spec.date_order,
            declared_at: Some(spec.location.clone()),
        }
    }
}

/// A row that could not become an item, or that repeats one read before.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub source: usize,
    pub line: u64,
    pub reason: String,
    /// The row as read (fields joined), cut to [`ROW_EXCERPT`] characters,
    /// for `--rejects`.
    pub row: Option<String>,
    /// The row is a duplicate: well-formed, and counted once through the
    /// row it repeats. Duplicates are counted apart from malformed rows
    /// (overlapping exports are normal, and no export needs fixing), but
    /// go where rejected rows go: `--rejects` lists them, `--strict` stops
    /// at them.
    pub duplicate: bool,
}

/// How much of a rejected row `--rejects` keeps, in characters.
pub const ROW_EXCERPT: usize = 2000;

/// The longest text painmap reads for one item. Anything longer is almost
/// always a quote that was never closed, or a file pasted into a cell.
pub const MAX_TEXT: usize = 1 << 20;

/// The largest account value taken (a trillion, in any currency): beyond
/// it a value is a typo or a unit mix-up, and sums of such values would
/// overflow to infinity.
pub const MAX_VALUE: f64 = 1e12;

/// The most votes (reactions, upvotes) one item's field is believed to
/// carry: the most-voted requests on public boards have thousands, so more
/// than a million is a forged or broken export, which would otherwise
/// decide the ranking alone.
pub const MAX_VOTES: f64 = 1e6;

/// A row cut to [`ROW_EXCERPT`] characters.
pub fn excerpt(s: &str) -> String {
    match s.char_indices().nth(ROW_EXCERPT) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
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
    /// `utf-8`, `utf-8 (BOM)`, `utf-16le` or `utf-16be`.
    pub encoding: &'static str,
    pub preset: Option<&'static str>,
    /// The preset was named (`--preset`, `[[sources]] preset`), not detected.
    pub preset_named: bool,
    /// When no preset matched: the closest one, described.
    pub closest: Option<String>,
    pub columns: String,
    pub items: u64,
    pub rejected: u64,
    /// Rows that repeat an earlier one, counted once (see
    /// [`Rejection::duplicate`]); neither items nor rejected.
    pub duplicates: u64,
    /// Rows that had invalid bytes, replaced with U+FFFD.
    pub replaced: u64,
    /// Numeric dates with slashes that could be read either way, that
    /// could only be day-first, and that could only be month-first.
    pub slash_dates: SlashDates,
}

/// How many of a source's numeric dates with slashes said what about the
/// order of day and month ([`SlashDate`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SlashDates {
    pub either: u64,
    pub day_first: u64,
    pub month_first: u64,
}

impl SlashDates {
    /// The order the source's dates show when they show only one; `None`
    /// when they show neither or mix both.
    pub fn shown(&self) -> Option<DateOrder> {
        match (self.day_first > 0, self.month_first > 0) {
            (true, false) => Some(DateOrder::DayFirst),
            (false, true) => Some(DateOrder::MonthFirst),
            _ => None,
        }
    }
}

impl SourceSummary {
    /// One line for `--verbose`: format, encoding, preset, counts, columns.
    pub fn describe(&self, name: &str) -> String {
        let preset = match (self.preset, &self.closest) {
            (Some(p), _) if self.preset_named => format!("preset {p} (named)"),
            (Some(p), _) => format!("preset {p} (detected)"),
            (None, Some(c)) => format!("no preset matched (closest: {c})"),
            (None, None) => "no preset matched".into(),
        };
        let replaced = if self.replaced > 0 {
            format!(", {} with invalid bytes replaced", self.replaced)
        } else {
            String::new()
        };
        let duplicates = if self.duplicates > 0 {
            format!(", {}", crate::plural::count(self.duplicates, "duplicate"))
        } else {
            String::new()
        };
        format!(
            "{name}: {}, {}, {preset}, {}, {} rejected{duplicates}{replaced}; columns: {}",
            self.format,
            self.encoding,
            crate::plural::count(self.items, "item"),
            self.rejected,
            self.columns
        )
    }
}

/// A source that cannot be read at all. Each message names the file and,
/// where it applies, the line, and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// `declared_at` is where a roadmap's `[[sources]]` entry names the
    /// file; `glob` is set when the missing part of the path holds `*`, `?`
    /// or `[`, which painmap does not expand.
    #[error("{}", not_found(name, declared_at.as_deref(), *glob))]
    NotFound {
        name: String,
        declared_at: Option<String>,
        glob: bool,
    },
    #[error("{}", directory(name, declared_at.as_deref()))]
    Directory {
        name: String,
        declared_at: Option<String>,
    },
    #[error("{name}: cannot read: {source}")]
    Io { name: String, source: io::Error },
    #[error("{name}: the file is empty\n  help: export the feedback again, or remove it from the command line or [[sources]]")]
    Empty { name: String },
    #[error("{name}:{line}: the file has a header but no rows\n  help: export a date range that has feedback, or remove the file")]
    HeaderOnly { name: String, line: u64 },
    #[error("{name}: the file has no records: {what}\n  help: export a date range that has feedback, or remove the file")]
    NoRecords { name: String, what: &'static str },
    #[error("{name}: the file is UTF-32 ({endian}), which painmap does not read\n  help: convert it to UTF-8 and read that instead: {convert}")]
    Utf32 {
        name: String,
        endian: &'static str,
        convert: String,
    },
    #[error("{name}: this looks like a binary file (a NUL byte at byte {offset}), not CSV, JSON or JSON Lines\n  help: export the feedback as CSV or JSON; run `painmap sources` for the formats painmap reads")]
    Binary { name: String, offset: usize },
    #[error("{name}:{line}: no text column among the headers: {headers}\n  help: {help}")]
    NoText {
        name: String,
        line: u64,
        headers: String,
        help: String,
    },
    #[error("{name}:{line}: the headers match the presets {presets} equally well; the headers are: {headers}\n  help: pass --preset NAME (one of {presets}), or set `preset` in the roadmap's [[sources]]")]
    Ambiguous {
        name: String,
        line: u64,
        presets: String,
        headers: String,
    },
    #[error("{name}:{line}: [sources.columns] {missing}, but the export has no such {}; its headers are: {headers}\n  help: name a header of the export (case, spaces and punctuation aside), or remove the line from the source's [sources.columns] in the roadmap to let painmap find the column", if *.count == 1 { "column" } else { "columns" })]
    MissingColumn {
        name: String,
        line: u64,
        /// `field = "Column"`, each missing one, joined.
        missing: String,
        count: usize,
        headers: String,
    },
    #[error("{name}:{line}:{column}: invalid JSON: {message}\n  help: {help}")]
    Json {
        name: String,
        line: u64,
        column: u64,
        message: String,
        help: &'static str,
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

/// The message for a feedback file that is not there. A `[[sources]]`
/// entry is named by its place in the roadmap, as `check` names it, since
/// that is where the fix goes.
fn not_found(name: &str, declared_at: Option<&str>, glob: bool) -> String {
    match (declared_at, glob) {
        (None, false) => format!(
            "{name}: file not found\n  help: check the path; feedback files are read relative to the current folder, [[sources]] paths relative to the roadmap"
        ),
        (None, true) => format!(
            "{name}: file not found; painmap does not expand glob patterns (* ? [)\n  help: leave the pattern unquoted so that the shell expands it, or name each file"
        ),
        (Some(at), false) => format!(
            "{at}: {name}: file not found\n  help: fix the [[sources]] path (it is relative to the roadmap's folder) or remove the entry; to read other files once, name them on the command line"
        ),
        (Some(at), true) => format!(
            "{at}: {name}: file not found; [[sources]] paths are not glob patterns (* ? [)\n  help: list the files, one [[sources]] entry with its own path for each"
        ),
    }
}

/// The message for a directory given as a feedback file.
fn directory(name: &str, declared_at: Option<&str>) -> String {
    match declared_at {
        None => format!(
            "{name}: is a directory, not a feedback file\n  help: name the export files inside it, e.g. `{name}/*.csv`"
        ),
        Some(at) => format!(
            "{at}: {name}: is a directory, not a feedback file\n  help: list the export files inside it, one [[sources]] entry with its own path for each"
        ),
    }
}

/// Whether the part of `path` that does not exist holds a glob character,
/// so that a missing `exports/*.csv` was meant as a pattern; a folder that
/// exists with `[` in its name is not one.
pub fn looks_like_glob(path: &Path) -> bool {
    let existing = path
        .ancestors()
        .find(|a| !a.as_os_str().is_empty() && a.exists());
    let missing = existing
        .and_then(|a| path.strip_prefix(a).ok())
        .unwrap_or(path);
    missing.to_string_lossy().contains(['*', '?', '['])
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
    /// Items done with, whose buffers new items reuse (see [`Spare`]).
    pub spare: Option<&'a Spare>,
}

/// Items the pipeline has finished with, kept so that reading the next
/// rows fills their strings instead of allocating new ones. Allocation and
/// freeing were a sixth of a ranking run's time, and items freed on a
/// worker thread serialized on the reader's allocator lock.
pub struct Spare {
    /// Spent batches, kept whole: items are taken from the end of the
    /// first. Moving every item (300 bytes) into one list cost more than
    /// handing it out. The oldest is emptied first, so that no remnant of
    /// a batch stays behind holding a batch's memory.
    batches: std::cell::RefCell<VecDeque<Vec<Item>>>,
    /// The last batch whose items were all taken, for a new batch to fill.
    emptied: std::cell::RefCell<Option<Vec<Item>>>,
    /// Items kept at most; the rest are freed.
    limit: usize,
}

impl Spare {
    /// An item's text longer than this is freed rather than kept, so one
    /// huge row does not pin its buffer for the rest of the run.
    const KEEP: usize = 16 << 10;

    /// Keeps at most `limit` items: as many as the pipeline has in flight,
    /// so that memory stays flat however long the input.
    pub fn new(limit: usize) -> Spare {
        Spare {
            batches: std::cell::RefCell::new(VecDeque::new()),
            emptied: std::cell::RefCell::new(None),
            limit,
        }
    }

    /// Keeps the items for reuse, unless that would keep more than the
    /// limit: then they are freed, all of them, so that every batch kept
    /// is a whole one and the memory held stays that of `limit` items.
    pub fn give(&self, mut items: Vec<Item>) {
        let mut batches = self.batches.borrow_mut();
        let held: usize = batches.iter().map(Vec::len).sum();
        // Moves nothing unless a text is too long to keep.
        items.retain(|i| i.text.capacity() <= Self::KEEP);
        if items.len() > self.limit.saturating_sub(held) {
            items.clear();
        }
        if items.is_empty() {
            *self.emptied.borrow_mut() = Some(items);
        } else {
            batches.push_back(items);
        }
    }

    /// An empty vector that held a batch, to fill as the next one.
    pub fn emptied(&self) -> Option<Vec<Item>> {
        self.emptied.borrow_mut().take()
    }

    /// A spare item, or a new one whose strings have room for most rows,
    /// so that they do not grow again and again while it is reused.
    fn item(&self) -> Item {
        self.take().unwrap_or_else(|| Item {
            text: String::with_capacity(256),
            id: String::with_capacity(16),
            customer: Some(String::with_capacity(48)),
            account: Some(String::with_capacity(32)),
            segment: Some(String::with_capacity(16)),
            ..Item::default()
        })
    }

    fn take(&self) -> Option<Item> {
        let mut batches = self.batches.borrow_mut();
        loop {
            let first = batches.front_mut()?;
            if let Some(item) = first.pop() {
                return Some(item);
            }
            *self.emptied.borrow_mut() = batches.pop_front();
        }
    }
}

/// Sets `buf` to `s`, keeping its allocation.
fn set(buf: &mut String, s: &str) {
    buf.clear();
    buf.push_str(s);
}

/// Sets `slot` to `s` (lower-cased when asked), reusing its string.
fn set_opt(slot: &mut Option<String>, s: Option<&str>, lower_case: bool) {
    match s {
        None => *slot = None,
        Some(s) => {
            let buf = slot.get_or_insert_with(String::new);
            buf.clear();
            if !lower_case {
                buf.push_str(s);
            } else if s.is_ascii() {
                buf.push_str(s);
                buf.make_ascii_lowercase();
            } else {
                buf.push_str(&s.to_lowercase());
            }
        }
    }
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
    let io_error = |e: io::Error| IngestError::Io {
        name: src.name.clone(),
        source: e,
    };
    let raw: Box<dyn Read> = match &src.path {
        None => Box::new(io::stdin().lock()),
        Some(path) => {
            if path.is_dir() {
                return Err(IngestError::Directory {
                    name: src.name.clone(),
                    declared_at: src.declared_at.clone(),
                }
                .into());
            }
            match File::open(path) {
                Ok(f) => Box::new(f),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Err(IngestError::NotFound {
                        name: src.name.clone(),
                        declared_at: src.declared_at.clone(),
                        glob: looks_like_glob(path),
                    }
                    .into())
                }
                Err(e) => return Err(io_error(e).into()),
            }
        }
    };
    read_from(src, raw, preset, ctx, sink)
}

/// Reads an export from any reader: what [`read_source`] does once the file
/// is open. Fuzz targets call it on arbitrary bytes.
pub fn read_from(
    src: &Source,
    mut raw: Box<dyn Read + '_>,
    preset: Option<&'static Preset>,
    ctx: &ReadContext<'_>,
    sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
) -> anyhow::Result<SourceSummary> {
    let io_error = |e: io::Error| IngestError::Io {
        name: src.name.clone(),
        source: e,
    };
    // Sniff the first bytes before decoding: a NUL outside UTF-16 means a
    // binary file (a spreadsheet, an image), not an export painmap reads.
    let mut head = Vec::with_capacity(SNIFF);
    raw.by_ref()
        .take(SNIFF as u64)
        .read_to_end(&mut head)
        .map_err(io_error)?;
    // A UTF-32 BOM: its LE form starts like UTF-16 LE's and its BE form
    // with NULs, so without this check the file reads as garbled UTF-16 or
    // as "binary", and either message misleads.
    let utf32 = if head.starts_with(&[0xFF, 0xFE, 0, 0]) {
        Some("little-endian")
    } else if head.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some("big-endian")
    } else {
        None
    };
    if let Some(endian) = utf32 {
        let convert = match &src.path {
            Some(path) => {
                let stem = path.file_stem().unwrap_or_default().to_string_lossy();
                let copy = path.with_file_name(match path.extension() {
                    Some(ext) => format!("{stem}-utf8.{}", ext.to_string_lossy()),
                    None => format!("{stem}-utf8"),
                });
                format!("iconv -f UTF-32 -t UTF-8 {} > {}", src.name, copy.display())
            }
            None => "pipe it through iconv -f UTF-32 -t UTF-8".into(),
        };
        return Err(IngestError::Utf32 {
            name: src.name.clone(),
            endian,
            convert,
        }
        .into());
    }
    let encoding = if head.starts_with(&[0xFF, 0xFE]) {
        "utf-16le"
    } else if head.starts_with(&[0xFE, 0xFF]) {
        "utf-16be"
    } else if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        "utf-8 (BOM)"
    } else {
        "utf-8"
    };
    if !encoding.starts_with("utf-16") {
        if let Some(offset) = head.iter().position(|&b| b == 0) {
            return Err(IngestError::Binary {
                name: src.name.clone(),
                offset,
            }
            .into());
        }
    }
    // Transcodes UTF-16 with a BOM to UTF-8 and drops a UTF-8 BOM. Without a
    // BOM the bytes are taken as UTF-8. Invalid sequences become U+FFFD
    // here, once, whatever the format; readers count the rows that have one.
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding_rs::UTF_8))
        .bom_override(true)
        .strip_bom(true)
        .build(io::Cursor::new(head).chain(raw));
    let mut reader = BufReader::with_capacity(1 << 18, decoded);
    let mut head = reader.fill_buf().map_err(io_error)?;
    // The decoder may hand out its first bytes in a small piece. White
    // space before the first record is kept, to be read again: its line
    // breaks count in the line numbers.
    let mut blank = Vec::new();
    while !head.is_empty() && head.iter().all(u8::is_ascii_whitespace) {
        let n = head.len();
        blank.extend_from_slice(head);
        reader.consume(n);
        head = reader.fill_buf().map_err(io_error)?;
    }
    if head.is_empty() {
        return Err(IngestError::Empty {
            name: src.name.clone(),
        }
        .into());
    }
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let row = RowBuilder {
        src,
        ctx,
        preset,
        dates: DatesSeen::default(),
        ratings: RatingsSeen::default(),
    };
    fn read_as<R: BufRead>(
        first: Option<u8>,
        reader: R,
        row: &RowBuilder<'_>,
        sink: &mut dyn FnMut(Event) -> anyhow::Result<()>,
    ) -> anyhow::Result<SourceSummary> {
        match first {
            Some(b'[') => json::read_array(reader, row, sink),
            Some(b'{') => json::read_objects(reader, row, sink),
            _ => csv::read(reader, row, sink),
        }
    }
    let mut summary = if blank.is_empty() {
        read_as(first, reader, &row, sink)
    } else {
        read_as(first, io::Cursor::new(blank).chain(reader), &row, sink)
    }?;
    row.dates.warn(src, ctx.diag);
    row.ratings.warn(src, ctx.diag);
    summary.slash_dates = row.dates.counts();
    summary.encoding = encoding;
    summary.preset_named = preset.is_some();
    Ok(summary)
}

/// Turns the fields of one row into an item, with warnings for the values
/// it had to drop.
pub(crate) struct RowBuilder<'a> {
    pub src: &'a Source,
    pub ctx: &'a ReadContext<'a>,
    /// The preset named for this source, if any.
    pub preset: Option<&'static Preset>,
    /// What the source's numeric dates with slashes said about their order.
    pub dates: DatesSeen,
    /// The ratings read on a guessed scale, by the scale each was read on.
    pub ratings: RatingsSeen,
}

/// The ratings of a plain `rating` or `score` column ([`columns::Scale::Guess`]),
/// which are read value by value: 1–5 as stars, 0 and 6–10 as NPS, 11–100
/// as a percentage. A column holds one scale, so when its values fall in
/// more than one of these, the smaller ones were read on the wrong scale
/// (an NPS of 5 as five stars), and the source is warned about once read.
#[derive(Debug, Default)]
pub(crate) struct RatingsSeen {
    stars: DateTally,
    ten: DateTally,
    hundred: DateTally,
}

impl RatingsSeen {
    fn add(&self, value: f64, line: u64, raw: &str) {
        let tally = if (1.0..=5.0).contains(&value) {
            &self.stars
        } else if (0.0..=10.0).contains(&value) {
            &self.ten
        } else {
            &self.hundred
        };
        tally.add(line, raw.trim());
    }

    /// Once the source is read: a warning when the column's values show a
    /// wider scale than some of them were read on.
    fn warn(&self, src: &Source, diag: &Diagnostics) {
        let (wide, scale, range) = match (self.hundred.get(), self.ten.get()) {
            (Some(h), _) => (h, RatingScale::Percent, "11–100"),
            (None, Some(t)) => (t, RatingScale::Nps, "0 or 6–10"),
            (None, None) => return,
        };
        // Each group read on a smaller scale: how many, and the first.
        let mut misread = Vec::new();
        if let Some(stars) = self.stars.get() {
            misread.push((stars, "1–5", "stars"));
        }
        if let (RatingScale::Percent, Some(ten)) = (scale, self.ten.get()) {
            misread.push((ten, "0 or 6–10", "NPS"));
        }
        let mut said = String::new();
        for (i, ((n, at, raw), range, read_as)) in misread.iter().enumerate() {
            let group = format!(
                "{} of {range} (the first {raw:?} on line {at})",
                crate::plural::count(*n, "rating")
            );
            if i == 0 {
                let were = if *n == 1 { "was" } else { "were" };
                said.push_str(&format!("{group} {were} read as {read_as}"));
            } else {
                said.push_str(&format!(" and {group} as {read_as}"));
            }
        }
        if said.is_empty() {
            return;
        }
        let (n, at, raw) = wide;
        let message = format!(
            "the rating column is read value by value, and {} of {range} (the first {raw:?}) {} a {} scale, yet {said}; if the column holds one scale, set rating_scale = \"{}\" in the source's [sources.columns]",
            crate::plural::count(n, "rating"),
            if n == 1 { "shows" } else { "show" },
            if scale == RatingScale::Nps { "0–10" } else { "0–100" },
            scale.name(),
        );
        diag.warn_now(
            "mixed rating scales",
            &format!("{}:{at}", src.name),
            &message,
        );
    }
}

/// The numeric dates with slashes of one source, by what each said about
/// the order of day and month ([`SlashDate`]): how many, and the first.
/// Read on the reading thread only, so cells do.
#[derive(Debug, Default)]
pub(crate) struct DatesSeen {
    either: DateTally,
    day_first: DateTally,
    month_first: DateTally,
}

#[derive(Debug, Default)]
struct DateTally {
    count: std::cell::Cell<u64>,
    first: std::cell::RefCell<Option<(u64, String)>>,
}

impl DateTally {
    fn add(&self, line: u64, raw: &str) {
        self.count.set(self.count.get() + 1);
        let mut first = self.first.borrow_mut();
        if first.is_none() {
            *first = Some((line, raw.to_string()));
        }
    }

    /// The count, and the first date's line and text.
    fn get(&self) -> Option<(u64, u64, String)> {
        let (line, raw) = self.first.borrow().clone()?;
        Some((self.count.get(), line, raw))
    }
}

impl DatesSeen {
    fn counts(&self) -> SlashDates {
        SlashDates {
            either: self.either.count.get(),
            day_first: self.day_first.count.get(),
            month_first: self.month_first.count.get(),
        }
    }

    fn add(&self, seen: SlashDate, line: u64, raw: &str) {
        match seen {
            SlashDate::No => {}
            SlashDate::Either => self.either.add(line, raw),
            SlashDate::DayFirst => self.day_first.add(line, raw),
            SlashDate::MonthFirst => self.month_first.add(line, raw),
        }
    }

    /// Once the source is read: a warning when its dates that could be
    /// read either way may have been read the wrong way. Dates that could
    /// be read only one way were read that way, and need none.
    fn warn(&self, src: &Source, diag: &Diagnostics) {
        let Some((either, line, example)) = self.either.get() else {
            return;
        };
        let order = src.date_order.unwrap_or_default();
        let other = match order {
            DateOrder::MonthFirst => DateOrder::DayFirst,
            DateOrder::DayFirst => DateOrder::MonthFirst,
        };
        let (against, along) = match order {
            DateOrder::MonthFirst => (self.day_first.get(), self.month_first.get()),
            DateOrder::DayFirst => (self.month_first.get(), self.day_first.get()),
        };
        let dates = crate::plural::count(either, "date");
        let were = if either == 1 { "was" } else { "were" };
        let fix = format!(
            "if the export writes them {}, set date_order = \"{}\" on the source in roadmap.toml, or pass --date-order {}",
            other.name(),
            other.name(),
            other.name()
        );
        let message = match (against, along) {
            (Some((n, at, raw)), Some((m, at2, raw2))) => format!(
                "the dates mix the orders: {} can only be {} (the first {raw:?} on line {at}) and {} only {} ({raw2:?} on line {at2}); each was read the way it works, and {dates} that could be either (the first {example:?}) {were} read {}",
                crate::plural::count(n, "date"),
                other.name(),
                m,
                order.name(),
                order.name(),
            ),
            (Some((n, at, raw)), None) => format!(
                "{} can only be {} (the first {raw:?} on line {at}), but {dates} that could be either (the first {example:?}) {were} read {}; {fix}",
                crate::plural::count(n, "date"),
                other.name(),
                order.name(),
            ),
            // The configured order is borne out, or was chosen on purpose.
            (None, Some(_)) => return,
            (None, None) if src.date_order.is_some() => return,
            (None, None) => format!(
                "{dates} (the first {example:?}) could be day-first or month-first and {were} read {}; {fix}",
                order.name(),
            ),
        };
        diag.warn_now("ambiguous dates", &format!("{}:{line}", src.name), &message);
    }
}

impl RowBuilder<'_> {
    pub fn location(&self, line: u64) -> String {
        format!("{}:{line}", self.src.name)
    }

    /// Tells the user a row was rejected: rows with no text are tallied
    /// per source, anything else is a warning of its own.
    pub fn warn_rejected(&self, line: u64, reason: &str) {
        if reason == NO_TEXT {
            self.ctx.diag.tally("no text", &self.src.name, line);
        } else {
            self.ctx.diag.warn(
                "rejected row",
                &self.location(line),
                &format!("{reason}; the row is rejected"),
            );
        }
    }

    /// The preset for a header row: the named one, else the detected one.
    /// The second value is the closest preset when none matched.
    pub fn detect(
        &self,
        headers: &[String],
        line: u64,
    ) -> Result<(Option<&'static Preset>, Option<Closest>), IngestError> {
        if let Some(p) = self.preset {
            // A preset named for a file it does not fit is still used, but
            // not in silence: its columns would be missing or wrong.
            let (matched, of) = presets::fit(p, headers);
            if of > 0 && 2 * matched < of {
                let looks = match presets::detect(headers) {
                    Detection::Found(other) if other.name != p.name => {
                        format!("; the headers are those of preset {}", other.name)
                    }
                    _ => String::new(),
                };
                self.ctx.diag.warn(
                    "preset mismatch",
                    &self.location(line),
                    &format!(
                        "preset {} was named for this file, but it has {matched} of the {of} columns that preset {} is detected by{looks}; reading it with preset {} anyway (leave the preset out to have it detected)",
                        p.name, p.name, p.name
                    ),
                );
            }
            return Ok((Some(p), None));
        }
        match presets::detect(headers) {
            Detection::Found(p) => Ok((Some(p), None)),
            Detection::None(closest) => Ok((None, closest)),
            Detection::Ambiguous(ps) => Err(IngestError::Ambiguous {
                name: self.src.name.clone(),
                line,
                presets: ps.iter().map(|p| p.name).collect::<Vec<_>>().join(", "),
                headers: list_headers(headers),
            }),
        }
    }

    pub fn map(
        &self,
        headers: &[String],
        line: u64,
        preset: Option<&'static Preset>,
        closest: Option<&Closest>,
    ) -> Result<ColumnMap, IngestError> {
        let map = ColumnMap::resolve(headers, &self.src.columns, preset, self.ctx.wanted).map_err(
            |e| match e {
                columns::ColumnError::NoText => IngestError::NoText {
                    name: self.src.name.clone(),
                    line,
                    headers: list_headers(headers),
                    help: no_text_help(preset, closest),
                },
                columns::ColumnError::MissingOverrides(missing) => IngestError::MissingColumn {
                    name: self.src.name.clone(),
                    line,
                    missing: missing
                        .iter()
                        .map(|(field, column)| format!("{field} = {column:?}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    count: missing.len(),
                    headers: list_headers(headers),
                },
            },
        )?;
        for (field, read, ignored) in map.shadowed(headers) {
            self.ctx.diag.warn(
                "shadowed column",
                &self.location(line),
                &format!(
                    "columns {} ({:?}) and {} ({:?}) have one name as painmap reads names, case and punctuation aside: the {field} is read from column {} and column {} is ignored; rename one of them in the export if column {} holds the {field}",
                    read + 1,
                    headers[read],
                    ignored + 1,
                    headers[ignored],
                    read + 1,
                    ignored + 1,
                    ignored + 1,
                ),
            );
        }
        Ok(map)
    }

    /// Builds an item from a row's fields; `Err` is the reason the row is
    /// rejected.
    pub fn item<'f, F: Fields + ?Sized>(
        &self,
        map: &ColumnMap,
        line: u64,
        fields: &'f F,
    ) -> Result<Item, String> {
        let diag = self.ctx.diag;
        let cell = |i: usize| -> Option<Cow<'f, str>> {
            let raw = fields
                .field(i)
                .map(values::trim)
                .filter(|s| !s.is_empty())?;
            let cleaned = match map.clean_of(i) {
                None => return Some(Cow::Borrowed(raw)),
                Some(Clean::Html) => values::html_to_text(raw),
                Some(Clean::JiraComment) => Cow::Borrowed(values::strip_jira_comment(raw).trim()),
                Some(Clean::UrlParam(name)) => values::url_param(raw, name),
            };
            (!cleaned.trim().is_empty()).then_some(cleaned)
        };
        let opt = |i: Option<usize>| i.and_then(cell);

        let mut item = self.ctx.spare.map_or_else(Item::default, Spare::item);
        let text = &mut item.text;
        text.clear();
        for &i in &map.text {
            if let Some(t) = cell(i) {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&t);
            }
        }
        if text.len() > MAX_TEXT {
            return Err(format!(
                "the text is {:.1} MB, more than the {} MB painmap reads for one item; \
                 a quote may be unclosed or a file pasted into the cell",
                text.len() as f64 / 1e6,
                MAX_TEXT >> 20
            ));
        }
        values::strip_controls(text);
        if text.trim().is_empty() {
            return Err(NO_TEXT.into());
        }
        let date =
            opt(map.created_at).or_else(|| map.created_at_else.iter().find_map(|&i| cell(i)));
        let created_at = date.and_then(|raw| {
            let (parsed, seen) = parse_date_in(&raw, self.src.date_order.unwrap_or_default());
            self.dates.add(seen, line, &raw);
            match parsed {
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
            }
        });
        let value = match opt(map.value) {
            Some(raw) => match parse_number(&raw) {
                Some(v) if (0.0..=MAX_VALUE).contains(&v) => Some(v),
                Some(v) if v > MAX_VALUE => {
                    diag.warn(
                        "implausible value",
                        &self.location(line),
                        &format!("the account value {raw:?} is over a trillion, which no account is worth; it is ignored"),
                    );
                    None
                }
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
        let rating = self.rating(map, line, &cell);
        let kind = map.kind.iter().find_map(|&i| {
            cell(i).and_then(|labels| {
                labels
                    .split([';', ','])
                    .find_map(|l| Kind::from_label(l.trim()))
            })
        });
        let mut votes = 0u32;
        for &i in &map.votes {
            let Some(raw) = cell(i) else { continue };
            match parse_number(&raw) {
                Some(n) if (0.0..=MAX_VOTES).contains(&n) => {
                    votes = votes.saturating_add(n as u32);
                }
                Some(n) => diag.warn(
                    "implausible votes",
                    &self.location(line),
                    &format!(
                        "{raw:?} votes is {}, which no item gets; they are ignored",
                        if n < 0.0 {
                            "negative"
                        } else {
                            "over a million"
                        }
                    ),
                ),
                None => diag.warn(
                    "non-numeric votes",
                    &self.location(line),
                    &format!("the votes {raw:?} are not a number; they are ignored"),
                ),
            }
        }
        let feature_refs = &mut item.feature_refs;
        feature_refs.clear();
        for &i in &map.feature {
            if let Some(v) = cell(i) {
                let v = v.to_lowercase();
                for piece in std::iter::once(v.as_str()).chain(v.split([';', ','])) {
                    let piece = piece.trim();
                    if !piece.is_empty() && !feature_refs.iter().any(|r| r == piece) {
                        feature_refs.push(piece.to_string());
                    }
                }
            }
        }
        let mut n = 0;
        for (name, i) in &map.extra {
            let Some(v) = cell(*i) else { continue };
            match item.fields.get_mut(n) {
                Some((had, buf)) => {
                    if !Arc::ptr_eq(had, name) {
                        *had = Arc::clone(name);
                    }
                    set(buf, &v);
                }
                None => item.fields.push((Arc::clone(name), v.into_owned())),
            }
            n += 1;
        }
        item.fields.truncate(n);
        match opt(map.id) {
            Some(id) => set(&mut item.id, &id),
            None => {
                use std::fmt::Write;
                item.id.clear();
                let _ = write!(item.id, "{line}");
            }
        }
        let or_else = |first: Option<usize>, rest: &[usize]| {
            opt(first).or_else(|| rest.iter().find_map(|&i| cell(i)))
        };
        set_opt(
            &mut item.customer,
            or_else(map.customer, &map.customer_else).as_deref(),
            true,
        );
        set_opt(
            &mut item.account,
            or_else(map.account, &map.account_else).as_deref(),
            false,
        );
        set_opt(
            &mut item.segment,
            or_else(map.segment, &map.segment_else).as_deref(),
            true,
        );
        set_opt(&mut item.stage, opt(map.stage).as_deref(), false);
        set_opt(&mut item.persona, opt(map.persona).as_deref(), false);
        item.source = self.ctx.index;
        item.line = line;
        item.created_at = created_at;
        item.value = value;
        item.rating = rating.map(|(r, _)| r);
        item.rates_support = rating.is_some_and(|(_, support)| support);
        item.kind = kind;
        item.votes = votes;
        Ok(item)
    }

    /// The row's rating in [0, 1]: the number on its scale (the row's own
    /// scale when a column names it), else a word rating; and whether it
    /// grades a support conversation rather than the product.
    fn rating<'f>(
        &self,
        map: &ColumnMap,
        line: u64,
        cell: &impl Fn(usize) -> Option<Cow<'f, str>>,
    ) -> Option<(f64, bool)> {
        let diag = self.ctx.diag;
        let words = || {
            let (i, table) = map.rating_words?;
            let raw = cell(i)?;
            let raw = raw.trim();
            match table.iter().find(|(w, _)| w.eq_ignore_ascii_case(raw)) {
                Some((_, v)) => v.map(|(v, scale)| (v, scale.grades_support())),
                None => {
                    diag.warn(
                        "unknown rating word",
                        &self.location(line),
                        &format!("the rating {raw:?} is not one of the words this export uses; it is ignored"),
                    );
                    None
                }
            }
        };
        let Some((i, scale)) = map.rating else {
            return words();
        };
        let scale = match map.scale_by {
            None => scale,
            Some((by, table)) => {
                let kind = cell(by);
                let known = kind.as_deref().and_then(|k| {
                    table
                        .iter()
                        .find(|(w, _)| w.eq_ignore_ascii_case(k.trim()))
                        .map(|(_, s)| *s)
                });
                match known {
                    Some(s) => columns::Scale::Known(s),
                    // A survey type whose scale is not fixed (CSAT): the
                    // word rating says more than the number.
                    None => return words(),
                }
            }
        };
        let Some(raw) = cell(i) else {
            return words();
        };
        match parse_number(&raw)
            .or_else(|| leading_number(&raw))
            .map(|v| (v, scale.normalize(v)))
        {
            Some((v, Some(r))) => {
                if matches!(scale, columns::Scale::Guess) {
                    self.ratings.add(v, line, &raw);
                }
                Some((r, scale.grades_support()))
            }
            Some((v, None)) => {
                let fallback = words();
                let scale = match scale {
                    columns::Scale::Guess => {
                        "1-5 stars, 0-10 and 0-100 scales (set rating_scale in [sources.columns] if the export uses another)".to_string()
                    }
                    known => format!("{} scale", known.name()),
                };
                diag.warn(
                    "rating off the scale",
                    &self.location(line),
                    &format!(
                        "the rating {v} is off the {scale}; {}",
                        if fallback.is_some() {
                            "the row is rated by its words instead"
                        } else {
                            "it is ignored"
                        }
                    ),
                );
                fallback
            }
            None => words().or_else(|| {
                if map.rating_words.is_none() {
                    diag.warn(
                        "non-numeric rating",
                        &self.location(line),
                        &format!("the rating {raw:?} is not a number; it is ignored"),
                    );
                }
                None
            }),
        }
    }

    /// Counts and reports a row whose bytes were not valid in its encoding:
    /// the decoder replaced them with U+FFFD. `bytes` are the row's fields,
    /// in one slice or several.
    pub fn replaced<'b>(
        &self,
        bytes: impl IntoIterator<Item = &'b [u8]>,
        line: u64,
        summary: &mut SourceSummary,
    ) {
        if bytes.into_iter().any(has_replacement) {
            summary.replaced += 1;
            self.ctx.diag.warn(
                "invalid bytes",
                &self.location(line),
                "the row has bytes that are not valid text in its encoding; they were replaced with \u{fffd}",
            );
        }
    }
}

/// A row's fields by column index: a CSV record is read in place, without
/// copying each field into a `String`.
pub trait Fields {
    fn field(&self, i: usize) -> Option<&str>;
}

impl Fields for [String] {
    fn field(&self, i: usize) -> Option<&str> {
        self.get(i).map(String::as_str)
    }
}

impl Fields for ::csv::StringRecord {
    fn field(&self, i: usize) -> Option<&str> {
        self.get(i)
    }
}

/// `s` in lower case; ASCII (most ids and plans) without the Unicode tables.
/// Whether UTF-8 bytes hold U+FFFD. Its lead byte 0xEF is rare in feedback
/// text, so one fast scan settles most rows.
fn has_replacement(bytes: &[u8]) -> bool {
    // A fold without an early exit vectorizes; `contains` went a word at
    // a time.
    let lead = bytes.iter().fold(false, |acc, &b| acc | (b == 0xEF));
    lead && bytes.windows(3).any(|w| w == "\u{fffd}".as_bytes())
}

/// What to do about a file with no text column, given what detection found.
fn no_text_help(preset: Option<&Preset>, closest: Option<&Closest>) -> String {
    const NAME_IT: &str =
        "name the text column in the roadmap's [sources.columns] (text = \"...\")";
    match (preset, closest) {
        (Some(p), _) if p.survey => format!(
            "painmap looks for open questions in a {} export by their wording (why, reason, improve, feedback, …) and found none; {NAME_IT}",
            p.name
        ),
        (Some(p), _) => format!(
            "the `{}` preset reads the text from {}; {NAME_IT}",
            p.name,
            p.text
                .iter()
                .map(|t| format!("{t:?}"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        (None, Some(c)) => format!(
            "no export preset matched; the closest is {c}. If this is that export, pass --preset {}; otherwise {NAME_IT}, or rename it to one of: {}",
            c.preset.name,
            generic_text_aliases()
        ),
        (None, None) => format!(
            "no export preset matched (run `painmap sources` for the formats painmap knows); {NAME_IT}, or rename it to one of: {}",
            generic_text_aliases()
        ),
    }
}

fn generic_text_aliases() -> String {
    [columns::TEXT_ALIASES, columns::TITLE_ALIASES]
        .concat()
        .join(", ")
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every item of `csv`, read with `spare` (or none), as debug text.
    fn read_all(csv: &str, wanted: &[String], spare: Option<&Spare>) -> Vec<String> {
        let src = Source::from_arg("t.csv", None);
        let diag = Diagnostics::new(true);
        let ctx = ReadContext {
            index: 0,
            wanted,
            diag: &diag,
            spare,
        };
        let mut items = Vec::new();
        read_from(&src, Box::new(csv.as_bytes()), None, &ctx, &mut |e| {
            if let Event::Item(item) = e {
                items.push(format!("{item:?}"));
            }
            Ok(())
        })
        .unwrap();
        items
    }

    #[test]
    fn reused_items_keep_nothing_of_what_they_held() {
        // Rows that leave out, one by one, what the row before had.
        let csv =
            "id,created_at,customer_email,account,plan,arr,rating,role,stage,persona,kind,text\n\
                   7,2026-01-02,Ana@X.test,Acme,Pro,1200,4,admin,usage,admin,bug,The export fails\n\
                   ,,,,,,,,,,,Slow sync\n\
                   9,2026-02-03,bo@y.test,Beta,free,,5,,,,,Love it\n";
        let wanted = vec!["role".to_string()];
        let fresh = read_all(csv, &wanted, None);
        assert_eq!(fresh.len(), 3);
        // Spare items full of other values, as after a long run.
        let junk = Item {
            source: 9,
            line: 99,
            id: "old-id".into(),
            text: "old text that is longer than any row here".into(),
            created_at: Some(1),
            customer: Some("old@customer".into()),
            account: Some("Old account".into()),
            value: Some(5.0),
            rating: Some(0.1),
            rates_support: true,
            segment: Some("old plan".into()),
            stage: Some("old stage".into()),
            persona: Some("old persona".into()),
            kind: Some(Kind::Praise),
            votes: 7,
            feature_refs: vec!["old feature".into()],
            fields: vec![
                (Arc::from("role"), "old role".into()),
                (Arc::from("team"), "old team".into()),
            ],
        };
        let spare = Spare::new(10);
        spare.give(vec![junk.clone(), junk.clone()]);
        spare.give(vec![junk]);
        assert_eq!(read_all(csv, &wanted, Some(&spare)), fresh);
        // New items made by the pool, with room reserved, read the same.
        assert_eq!(read_all(csv, &wanted, Some(&Spare::new(10))), fresh);
    }

    #[test]
    fn replacement_characters_are_found_anywhere_and_only_they() {
        let long = "plain text ".repeat(20);
        for text in ["\u{fffd}", "a\u{fffd}", &format!("{long}\u{fffd}{long}")] {
            assert!(has_replacement(text.as_bytes()), "{text:?}");
        }
        // Other characters whose UTF-8 starts with 0xEF.
        for text in ["", "\u{feff}x", &format!("{long}\u{f000}\u{ffff}\u{fffc}")] {
            assert!(!has_replacement(text.as_bytes()), "{text:?}");
        }
    }

    #[test]
    fn spare_items_stay_within_their_limit() {
        let spare = Spare::new(5);
        let huge = Item {
            text: "x".repeat(Spare::KEEP + 1),
            ..Item::default()
        };
        let numbered = |from: u64, n: u64| -> Vec<Item> {
            (from..from + n)
                .map(|line| Item {
                    line,
                    ..Item::default()
                })
                .collect()
        };
        let mut first = numbered(1, 2);
        first.insert(1, huge);
        spare.give(first);
        spare.give(numbered(10, 3));
        // Over the limit: freed whole, not kept in part.
        spare.give(numbered(20, 2));
        // The huge text is freed; the oldest batch is taken first.
        let kept: Vec<u64> = std::iter::from_fn(|| spare.take())
            .map(|i| i.line)
            .collect();
        assert_eq!(kept, [2, 1, 12, 11, 10]);
        // The emptied batches' vectors are handed out to fill.
        assert!(spare.emptied().is_some_and(|v| v.is_empty()));
        assert!(spare.emptied().is_none());
    }

    #[test]
    fn spare_batches_are_emptied_oldest_first() {
        // Items given faster than they are taken: no remnant stays behind,
        // so the batches held never outnumber what the limit holds whole.
        let spare = Spare::new(8);
        for round in 0..1000 {
            spare.give(vec![Item::default(); 4]);
            for _ in 0..(3 + round % 3) {
                spare.take();
            }
            assert!(spare.batches.borrow().len() <= 3, "round {round}");
        }
    }
}
