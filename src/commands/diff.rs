//! `painmap diff OLD.json NEW.json`: rank and score movements between two
//! JSON reports, with `--fail-on` gates for CI.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;

use crate::cli::{DiffArgs, DiffFormat};
use crate::config::{Settings, UsageError};
use crate::output::{write_to, Plan};
use crate::plural::count;
use crate::report::diff::{Diff, Gate};
use crate::report::sanitize::{terminal, terminal_escaped};
use crate::report::{Report, SCHEMA_VERSION};

/// A JSON report that cannot be read. Names the file and, for bad JSON, the
/// line and column.
#[derive(Debug, thiserror::Error)]
pub enum ReportFileError {
    #[error("{path}: file not found\n  help: check the path, or write the report first with `painmap rank --format json -o {path}`")]
    NotFound { path: String },
    #[error("{path}: is a directory, not a report\n  help: name the JSON file `painmap rank --format json -o FILE` wrote")]
    Directory { path: String },
    /// The cause is not in the message: it follows it, as the error's source.
    #[error("{path}: cannot read")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: not a painmap JSON report: {message}\n  help: diff compares reports written by `painmap rank --format json`")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: the report has schema_version {found}, but this painmap reads version {SCHEMA_VERSION}\n  help: write both reports with the same painmap version")]
    Version { path: String, found: u64 },
    #[error("{path}: the feature id `{id}` appears more than once, so the report cannot be compared\n  help: diff matches features by id; write the report again with `painmap rank --format json`")]
    DuplicateId { path: String, id: String },
}

/// Reads a JSON report written by `painmap rank --format json`, from
/// stdin when `path` is `-`.
pub fn read_report(path: &Path) -> Result<Report, ReportFileError> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    if !stdin && path.is_dir() {
        return Err(ReportFileError::Directory { path: name });
    }
    let read = if stdin {
        std::io::read_to_string(std::io::stdin().lock())
    } else {
        std::fs::read_to_string(path)
    };
    let text = read.map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReportFileError::NotFound { path: name.clone() },
        _ => ReportFileError::Io {
            path: name.clone(),
            source: e,
        },
    })?;
    let invalid = |e: serde_json::Error| ReportFileError::Invalid {
        path: name.clone(),
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string(),
    };
    // The version is checked first so that a newer report gets a clear
    // message rather than a complaint about a field it renamed.
    let value: serde_json::Value = serde_json::from_str(&text).map_err(invalid)?;
    match value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
    {
        Some(v) if v != u64::from(SCHEMA_VERSION) => {
            return Err(ReportFileError::Version {
                path: name,
                found: v,
            })
        }
        _ => {}
    }
    let report: Report = serde_json::from_str(&text).map_err(invalid)?;
    let mut seen = HashSet::with_capacity(report.features.len());
    if let Some(f) = report.features.iter().find(|f| !seen.insert(&f.id)) {
        return Err(ReportFileError::DuplicateId {
            path: name,
            id: terminal(&f.id),
        });
    }
    Ok(report)
}

pub fn run(settings: &Settings, args: &DiffArgs) -> anyhow::Result<u8> {
    let from_stdin = [&args.old, &args.new]
        .iter()
        .filter(|p| p.as_os_str() == "-")
        .count();
    if from_stdin == 2 {
        return Err(UsageError(
            "- (stdin) can stand for only one of the two reports\n  help: name the other report's file: painmap diff - new.json < old.json".into(),
        )
        .into());
    }
    if from_stdin == 1 && std::io::stdin().is_terminal() {
        return Err(UsageError(
            "- reads a report from stdin, but stdin is a terminal; pipe one in (painmap diff - new.json < old.json) or name the file".into(),
        )
        .into());
    }
    Plan::new()
        .reads("the report", &args.old)
        .reads("the report", &args.new)
        .writes("the diff", "-o", args.output.as_deref())
        .check()?;
    let old = read_report(&args.old)?;
    let new = read_report(&args.new)?;
    let mut diff = Diff::new(&old, &new);
    if let Some(gate) = args
        .fail_on
        .iter()
        .find(|g| matches!(g, Gate::ScoreChange(_)))
        .filter(|_| !diff.comparable_scores)
    {
        // The gate could never trip: a CI job must not pass on it unawares.
        return Err(UsageError(format!(
            "--fail-on {gate} compares scores, but the reports were ranked with different models ({} and {}), whose scores are on different scales\n  help: rank both with the same --model, or gate on ranks (rank-change>N, new-top=N)",
            terminal_escaped(&old.model),
            terminal_escaped(&new.model)
        ))
        .into());
    }
    let tripped = diff.gate(&args.fail_on);
    write_to(args.output.as_deref(), |out| {
        match args.format {
            DiffFormat::Text => diff.render_text(out),
            DiffFormat::Markdown => diff.render_markdown(out),
            DiffFormat::Json => diff.render_json(out),
        }
        .context("writing the diff")
    })?;
    if settings.verbose {
        eprintln!(
            "painmap: compared {} ({}) with {} ({})",
            args.old.display(),
            count(old.features.len(), "feature"),
            args.new.display(),
            count(new.features.len(), "feature")
        );
    }
    if tripped {
        for t in &diff.tripped {
            eprintln!(
                "painmap: --fail-on {} holds ({})",
                t.condition,
                count(t.reasons.len(), "feature")
            );
        }
        return Ok(3);
    }
    Ok(0)
}
