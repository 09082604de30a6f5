//! `painmap init [FEEDBACK]...`: write a starter roadmap.toml.
//!
//! Each export's headers are sampled and handed to the ingest detection
//! ([`presets::detect`], [`ColumnMap::resolve`]) to decide its
//! `[[sources]]` entry; then every item is read to find personas (the
//! persona column's values, else the plan column's) and candidate features
//! (frequent phrases). The result is parsed as a roadmap before it is
//! written, and an existing file is only replaced with `--force`.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Component, Path, PathBuf};

use anyhow::Context;
use encoding_rs_io::DecodeReaderBytesBuilder;
use serde::de::{DeserializeSeed, IgnoredAny, SeqAccess, Visitor};
use serde_json::Value;

use crate::cli::{GlobalArgs, InitArgs};
use crate::config::{Settings, UsageError};
use crate::ingest::columns::{ColumnError, ColumnMap};
use crate::ingest::{presets, Diagnostics, Source};
use crate::output::{self, write_to, Plan};
use crate::pipeline;
use crate::plural::count;
use crate::roadmap::{ColumnOverrides, OneOrMany, Roadmap};
use crate::scaffold::{Draft, NameGuess, PhraseCounter, SourceDraft};

/// Rows sampled per export to see its columns.
const SAMPLE_ROWS: usize = 200;

/// How many candidate features are proposed.
const CANDIDATES: usize = 20;

/// A roadmap that is there already.
#[derive(Debug, thiserror::Error)]
#[error("{0}: already exists; painmap init does not overwrite it\n  help: pass --force to replace it, or -o FILE to write elsewhere")]
pub struct Exists(String);

pub fn run(global: &GlobalArgs, settings: &Settings, args: &InitArgs) -> anyhow::Result<u8> {
    let target = args
        .output
        .clone()
        .unwrap_or_else(|| global.roadmap.clone());
    let to_stdout = target.as_os_str() == "-";
    if args.feedback.iter().any(|f| f.as_os_str() == "-") {
        return Err(UsageError(
            "painmap init needs files it can name in [[sources]], not stdin (-)".into(),
        )
        .into());
    }
    if let Some(p) = &args.preset {
        crate::config::check_preset(p)?;
    }
    let flag = if args.output.is_some() {
        "-o"
    } else {
        "--roadmap"
    };
    let mut plan = Plan::new().writes("the roadmap", flag, Some(&target));
    for path in &args.feedback {
        plan = plan.reads("the feedback file", path);
    }
    plan.check()?;
    if !to_stdout && target.exists() && !args.force {
        return Err(Exists(target.display().to_string()).into());
    }
    let base = if to_stdout {
        PathBuf::from(".")
    } else {
        match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };

    let (product, guess) = match folder_name(&base) {
        Some(name) => (name, NameGuess::Folder { current: to_stdout }),
        None => ("My product".to_string(), NameGuess::Placeholder),
    };
    let mut draft = Draft {
        product,
        product_guess: Some(guess),
        ..Draft::default()
    };
    let mut sources = Vec::new();
    for path in &args.feedback {
        let (source, columns) = plan_source(path, args.preset.as_deref())?;
        if draft.plan_column.is_none() {
            draft.plan_column = columns.plan;
        }
        if draft.persona_column.is_none() {
            draft.persona_column = columns.persona;
        }
        sources.push(source);
    }

    // Read every item once: phrases for features, persona and plan values
    // for personas.
    let diag = Diagnostics::new(settings.quiet);
    let mut phrases = PhraseCounter::new();
    let mut segments: HashMap<String, u64> = HashMap::new();
    let mut personas: HashMap<String, u64> = HashMap::new();
    let summaries = pipeline::read_chunks(
        &sources,
        &[],
        &diag,
        &mut |items| {
            for item in &items {
                phrases.add(&item.text);
                if let Some(s) = &item.segment {
                    *segments.entry(s.clone()).or_insert(0) += 1;
                }
                // Lower case, as tagging compares a persona value with
                // the personas' ids and names.
                let persona = item.persona.as_deref().map(str::trim);
                if let Some(p) = persona.filter(|p| !p.is_empty()) {
                    *personas.entry(p.to_lowercase()).or_insert(0) += 1;
                }
            }
            Ok(())
        },
        &mut |_| Ok(()),
    )?;
    diag.finish();

    for (src, summary) in sources.iter().zip(&summaries) {
        if settings.verbose {
            output::describe_source(&src.name, summary);
        }
        let path = src.path.as_deref().unwrap_or(Path::new("-"));
        draft.sources.push(SourceDraft {
            path: relative_to(path, &base).to_string_lossy().into_owned(),
            preset: summary.preset.map(str::to_string),
            detected: args.preset.is_none(),
            format: summary.format.to_string(),
            columns: summary.columns.clone(),
            guessed_text: src.columns.text.as_ref().map(|t| t.to_vec().join(", ")),
            items: summary.items,
            rejected: summary.rejected,
            duplicates: summary.duplicates,
            day_first_dates: summary.slash_dates.shown()
                == Some(crate::ingest::values::DateOrder::DayFirst),
        });
    }
    draft.segments = most_frequent_first(segments);
    draft.persona_values = most_frequent_first(personas);
    draft.items = phrases.items();
    match (&args.product, phrases.product_guess()) {
        (Some(name), _) => {
            draft.product = name.clone();
            draft.product_guess = None;
            phrases.exclude_product(name);
        }
        (None, Some((name, items))) => {
            phrases.exclude_product(&name);
            draft.product_guess = Some(NameGuess::Feedback(items));
            draft.product = name;
        }
        (None, None) => {}
    }
    draft.candidates = phrases.candidates(CANDIDATES);

    let text = draft.render();
    // A scaffold that painmap itself cannot load would be a bug: never write one.
    let check_path = if to_stdout {
        Path::new("roadmap.toml")
    } else {
        &target
    };
    Roadmap::parse(check_path, &text)
        .map_err(|e| anyhow::anyhow!("internal error: the roadmap init made does not load: {e}"))?;
    write_to(Some(&target), |out| Ok(out.write_all(text.as_bytes())?))?;
    if !to_stdout && !settings.quiet {
        eprintln!(
            "painmap: wrote {}: {}, {}, {}, {} from {}",
            target.display(),
            count(draft.sources.len(), "source"),
            count(crate::scaffold::DEFAULT_STAGES.len(), "stage"),
            count(draft.persona_count(), "persona"),
            count(draft.candidates.len(), "candidate feature"),
            count(draft.items, "item")
        );
        eprintln!("painmap: next, edit it and run `painmap check`");
    }
    Ok(0)
}

/// Values with their item counts, most frequent first, ties by value.
fn most_frequent_first(counts: HashMap<String, u64>) -> Vec<(String, u64)> {
    let mut values: Vec<(String, u64)> = counts.into_iter().collect();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    values
}

/// The headers of the columns personas can be made from.
#[derive(Debug, Default)]
struct PersonaColumns {
    plan: Option<String>,
    persona: Option<String>,
}

/// The folder's name, as a placeholder product name; resolved first, so
/// that `..` is named too. None for the root folder.
fn folder_name(base: &Path) -> Option<String> {
    std::fs::canonicalize(base)
        .or_else(|_| std::path::absolute(base))
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
}

/// Decides how a file is read: its preset, and the text column when no
/// header says which it is. Also returns the plan and persona columns'
/// headers.
fn plan_source(path: &Path, preset: Option<&str>) -> anyhow::Result<(Source, PersonaColumns)> {
    let name = path.display().to_string();
    if !path.is_file() {
        let what = if path.is_dir() {
            "is a directory, not an export"
        } else if crate::ingest::looks_like_glob(path) {
            "file not found; painmap does not expand glob patterns (* ? [), the shell does, when the pattern is unquoted"
        } else {
            "file not found"
        };
        anyhow::bail!("{name}: {what}\n  help: name the export files painmap init should read");
    }
    let sample = sample(path).with_context(|| format!("{name}: cannot read its columns"))?;
    let mut source = Source::from_arg(&name, preset.map(str::to_string));
    let preset = match preset {
        Some(p) => presets::by_name(p),
        None => match presets::detect(&sample.headers) {
            presets::Detection::Found(p) => Some(p),
            // Ambiguous or unknown: write no preset and let the user choose.
            presets::Detection::Ambiguous(_) | presets::Detection::None(_) => None,
        },
    };
    let columns_of = |overrides: &ColumnOverrides| {
        ColumnMap::resolve(&sample.headers, overrides, preset, &[]).map(|map| {
            let header = |i: Option<usize>| i.map(|i| sample.headers[i].clone());
            PersonaColumns {
                plan: header(map.segment),
                persona: header(map.persona),
            }
        })
    };
    let columns = match columns_of(&ColumnOverrides::default()) {
        Ok(columns) => columns,
        // The text column is guessed; the others are found as with it named.
        Err(ColumnError::NoText) => match sample.longest_column() {
            Some(text) => {
                source.columns.text = Some(OneOrMany::One(text));
                columns_of(&source.columns).unwrap_or_default()
            }
            None => PersonaColumns::default(),
        },
        // No overrides were given, so none can be missing.
        Err(ColumnError::MissingOverrides(_)) => PersonaColumns::default(),
    };
    Ok((source, columns))
}

/// `file` as written in a roadmap in `base`: relative when it can be.
fn relative_to(file: &Path, base: &Path) -> PathBuf {
    // Resolved, so that `../exports/a.csv` is written relative too; as
    // given (made absolute) when either does not exist.
    let resolved = std::fs::canonicalize(file).and_then(|f| Ok((f, std::fs::canonicalize(base)?)));
    let (file_abs, base_abs) = match resolved {
        Ok(both) => both,
        Err(_) => match (std::path::absolute(file), std::path::absolute(base)) {
            (Ok(f), Ok(b)) => (f, b),
            _ => return file.to_path_buf(),
        },
    };
    fn normal(p: &Path) -> Vec<Component<'_>> {
        p.components().filter(|c| *c != Component::CurDir).collect()
    }
    let (f, b) = (normal(&file_abs), normal(&base_abs));
    let common = f.iter().zip(&b).take_while(|(x, y)| x == y).count();
    // Different roots (another drive), or `..` in either: keep it absolute.
    if common == 0 || f.iter().chain(&b).any(|c| *c == Component::ParentDir) {
        return file_abs;
    }
    let mut rel = PathBuf::new();
    for _ in common..b.len() {
        rel.push("..");
    }
    for c in &f[common..] {
        rel.push(c);
    }
    rel
}

/// The headers and first rows of an export.
#[derive(Debug, Default, PartialEq)]
struct Sample {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Sample {
    /// The column whose values are longest on average, for free text; not
    /// a column of numbers.
    fn longest_column(&self) -> Option<String> {
        (0..self.headers.len())
            .map(|i| {
                let values: Vec<&str> = self
                    .rows
                    .iter()
                    .filter_map(|r| r.get(i).map(|v| v.trim()))
                    .filter(|v| !v.is_empty())
                    .collect();
                let texty = values
                    .iter()
                    .filter(|v| v.chars().filter(|c| c.is_alphabetic()).count() >= 3)
                    .count();
                let mean = values.iter().map(|v| v.chars().count()).sum::<usize>() as f64
                    / values.len().max(1) as f64;
                (i, texty * 2 >= values.len() && texty > 0, mean)
            })
            .filter(|(_, texty, _)| *texty)
            .max_by(|a, b| a.2.total_cmp(&b.2).then(b.0.cmp(&a.0)))
            .map(|(i, _, _)| self.headers[i].clone())
    }

    fn push_object(&mut self, v: &Value) {
        let Some(obj) = v.as_object() else { return };
        let mut flat: Vec<(String, String)> = Vec::new();
        for (k, v) in obj {
            flatten(k, v, &mut flat);
        }
        let mut row = vec![String::new(); self.headers.len()];
        for (k, v) in flat {
            let i = match self.headers.iter().position(|h| *h == k) {
                Some(i) => i,
                None => {
                    self.headers.push(k);
                    row.push(String::new());
                    self.headers.len() - 1
                }
            };
            if !row[i].is_empty() {
                row[i].push_str("; ");
            }
            row[i].push_str(&v);
        }
        self.rows.push(row);
    }
}

/// Nested objects become dotted names and arrays repeat their name, as the
/// ingest readers name JSON fields.
fn flatten(key: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Null => {}
        Value::Object(o) => {
            for (k, v) in o {
                flatten(&format!("{key}.{k}"), v, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                flatten(key, item, out);
            }
        }
        Value::String(s) => out.push((key.to_string(), s.clone())),
        other => out.push((key.to_string(), other.to_string())),
    }
}

fn sample(path: &Path) -> anyhow::Result<Sample> {
    let file = File::open(path)?;
    let decoded = DecodeReaderBytesBuilder::new()
        .strip_bom(true)
        .utf8_passthru(true)
        .build(file);
    let mut reader = BufReader::new(decoded);
    let first = loop {
        let buf = reader.fill_buf()?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => break Some(buf[i]),
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                reader.consume(n);
            }
        }
    };
    let mut sample = Sample::default();
    match first {
        None => {}
        Some(b'[') => {
            let mut de = serde_json::Deserializer::from_reader(reader);
            FirstObjects(&mut sample).deserialize(&mut de)?;
        }
        Some(b'{') => {
            for line in reader.lines().take(SAMPLE_ROWS) {
                if let Ok(v) = serde_json::from_str::<Value>(&line?) {
                    sample.push_object(&v);
                }
            }
        }
        Some(_) => {
            let mut head = String::new();
            reader.read_line(&mut head)?;
            let delimiter = [b',', b';', b'\t', b'|']
                .into_iter()
                .max_by_key(|&d| {
                    let fields = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .delimiter(d)
                        .from_reader(head.as_bytes())
                        .records()
                        .next()
                        .and_then(Result::ok)
                        .map_or(0, |r| r.len());
                    // Ties go to the comma, the first.
                    (fields, d == b',')
                })
                .unwrap_or(b',');
            let mut csv = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(head.as_bytes().chain(reader));
            for (i, record) in csv.records().take(SAMPLE_ROWS + 1).enumerate() {
                let Ok(record) = record else { break };
                let fields: Vec<String> = record.iter().map(|f| f.trim().to_string()).collect();
                if i == 0 {
                    sample.headers = fields;
                } else {
                    sample.rows.push(fields);
                }
            }
        }
    }
    Ok(sample)
}

/// Keeps the first [`SAMPLE_ROWS`] objects of a JSON array and skips the
/// rest without keeping them.
struct FirstObjects<'s>(&'s mut Sample);

impl<'de> DeserializeSeed<'de> for FirstObjects<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for FirstObjects<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while self.0.rows.len() < SAMPLE_ROWS {
            match seq.next_element::<Value>()? {
                Some(v) => self.0.push_object(&v),
                None => return Ok(()),
            }
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_relative_to_the_roadmap() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            relative_to(Path::new("exports/a.csv"), Path::new(".")),
            Path::new("exports/a.csv")
        );
        assert_eq!(
            relative_to(Path::new("exports/a.csv"), Path::new("exports")),
            Path::new("a.csv")
        );
        assert_eq!(
            relative_to(Path::new("data/a.csv"), Path::new("config")),
            Path::new("../data/a.csv")
        );
        assert_eq!(
            relative_to(&cwd.join("x.csv"), Path::new(".")),
            Path::new("x.csv")
        );
        // Files that exist are resolved first, `..` and all.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("exports")).unwrap();
        std::fs::create_dir_all(dir.path().join("plan")).unwrap();
        std::fs::write(dir.path().join("exports/a.csv"), "id,text\n").unwrap();
        assert_eq!(
            relative_to(
                &dir.path().join("plan/../exports/a.csv"),
                &dir.path().join("plan")
            ),
            Path::new("../exports/a.csv")
        );
    }

    fn sample_of(name: &str, content: &[u8]) -> Sample {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        sample(&path).unwrap()
    }

    #[test]
    fn samples_csv_with_its_delimiter() {
        let s = sample_of(
            "a.csv",
            b"\xef\xbb\xbfid;Answer;Plan\n1;\"the export; it fails\";pro\n",
        );
        assert_eq!(s.headers, ["id", "Answer", "Plan"]);
        assert_eq!(s.rows, [["1", "the export; it fails", "pro"]]);
    }

    #[test]
    fn samples_json_lines_and_arrays_with_dotted_names() {
        let s = sample_of(
            "a.jsonl",
            b"{\"id\": 1, \"body\": \"hi\", \"author\": {\"email\": \"a@x.test\"}}\n{\"id\": 2, \"tags\": [\"a\", \"b\"]}\n",
        );
        assert_eq!(s.headers, ["author.email", "body", "id", "tags"]);
        assert_eq!(s.rows[1], ["", "", "2", "a; b"]);
        let many: String = format!(
            "[{}]",
            (0..500)
                .map(|i| format!("{{\"n\": {i}, \"t\": \"x\"}}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let s = sample_of("a.json", many.as_bytes());
        assert_eq!(s.headers, ["n", "t"]);
        assert_eq!(s.rows.len(), SAMPLE_ROWS);
    }

    #[test]
    fn guesses_the_text_column_by_length() {
        let s = Sample {
            headers: vec!["id".into(), "score".into(), "Why?".into(), "Short".into()],
            rows: vec![
                vec![
                    "1".into(),
                    "9".into(),
                    "The calendar sync drops events".into(),
                    "ok".into(),
                ],
                vec![
                    "2".into(),
                    "3".into(),
                    "Search is slow".into(),
                    "fine".into(),
                ],
                vec![
                    "3".into(),
                    "10000000000000000000000000000000".into(),
                    "".into(),
                    "no".into(),
                ],
            ],
        };
        assert_eq!(s.longest_column().as_deref(), Some("Why?"));
    }
}
