//! Flags, environment and roadmap resolved into the settings a run uses.
//! Everything after this sees decided values: the date, the colour, the
//! width, the sources, the model.

use std::io::IsTerminal;
use std::path::Path;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::cli::{ColorChoice, GlobalArgs, InputArgs, ModelArg};
use crate::ingest::{presets, Source};
use crate::roadmap::{Model, Roadmap};
use crate::score::Window;
use crate::suggest::did_you_mean;

/// A mistake in how painmap was called: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Settings shared by every command.
#[derive(Debug, Clone)]
pub struct Settings {
    pub as_of: Date,
    pub color: bool,
    pub width: Option<u16>,
    pub quiet: bool,
    pub verbose: bool,
}

impl Settings {
    pub fn resolve(g: &GlobalArgs) -> Result<Settings, UsageError> {
        let as_of = match &g.as_of {
            Some(s) => s.trim().parse::<Date>().map_err(|_| {
                UsageError(format!(
                    "--as-of {s:?} is not a date; use YYYY-MM-DD, e.g. --as-of 2026-11-01"
                ))
            })?,
            None => jiff::Timestamp::now()
                .to_zoned_datetime(TimeZone::UTC)
                .date(),
        };
        Ok(Settings {
            as_of,
            color: use_color(g.color),
            width: table_width(),
            quiet: g.quiet,
            verbose: g.verbose && !g.quiet,
        })
    }

    /// The `--as-of` date and scoring window as epoch seconds.
    pub fn window(&self, roadmap: &Roadmap) -> Window {
        let end = self
            .as_of
            .tomorrow()
            .ok()
            .and_then(|d| d.to_zoned_datetime(TimeZone::UTC).ok())
            .map_or(i64::MAX, |z| z.timestamp().as_second() - 1);
        let days = roadmap.scoring.window_days;
        Window {
            as_of_end: end,
            max_age: (days > 0).then(|| i64::from(days) * 86_400),
        }
    }

    pub fn as_of_string(&self) -> String {
        self.as_of.to_string()
    }
}

/// Colour on a terminal unless NO_COLOR or TERM=dumb; CLICOLOR_FORCE forces it.
fn use_color(choice: ColorChoice) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set("NO_COLOR") {
                false
            } else if set("CLICOLOR_FORCE") {
                true
            } else {
                std::io::stdout().is_terminal()
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        }
    }
}

/// COLUMNS when set, else the terminal's own width (comfy-table asks it).
fn table_width() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|w| *w >= 40)
}

pub fn model(roadmap: &Roadmap, flag: Option<ModelArg>) -> Model {
    match flag {
        Some(ModelArg::PainValue) => Model::PainValue,
        Some(ModelArg::Rice) => Model::Rice,
        None => roadmap.scoring.model,
    }
}

/// `--preset` or `painmap sources` named a preset that does not exist.
pub fn unknown_preset(name: &str) -> UsageError {
    let names: Vec<&str> = presets::names().collect();
    let mut msg = format!(
        "unknown preset `{name}`; valid presets: {}",
        names.join(", ")
    );
    if let Some(s) = did_you_mean(name, names.iter().copied()) {
        msg.push_str(&format!(" (did you mean `{s}`?)"));
    }
    UsageError(msg)
}

/// The sources to read: the files named, or else the roadmap's [[sources]].
pub fn sources(roadmap: &Roadmap, input: &InputArgs) -> Result<Vec<Source>, UsageError> {
    if let Some(p) = &input.preset {
        if presets::by_name(p).is_none() {
            return Err(unknown_preset(p));
        }
    }
    if !input.feedback.is_empty() {
        if input.feedback.iter().filter(|f| *f == "-").count() > 1 {
            return Err(UsageError("stdin (-) can be read only once".into()));
        }
        return Ok(input
            .feedback
            .iter()
            .map(|f| Source::from_arg(f, input.preset.clone()))
            .collect());
    }
    if roadmap.sources.is_empty() {
        return Err(UsageError(format!(
            "no feedback to read: name files (or - for stdin) on the command line, or add [[sources]] to {}",
            roadmap.path.display()
        )));
    }
    Ok(roadmap
        .sources
        .iter()
        .map(|s| {
            let mut src = Source::from_spec(s);
            if input.preset.is_some() {
                src.preset.clone_from(&input.preset);
            }
            src
        })
        .collect())
}

/// Loads the roadmap, printing its warnings unless quiet.
pub fn load_roadmap(path: &Path, quiet: bool) -> anyhow::Result<Roadmap> {
    let roadmap = Roadmap::load(path)?;
    if !quiet {
        for w in &roadmap.warnings {
            eprintln!("warning: {w}");
        }
    }
    Ok(roadmap)
}
