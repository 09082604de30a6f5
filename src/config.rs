//! Flags, environment and roadmap resolved into the settings a run uses.
//! Everything after this sees decided values: the date, the colour, the
//! width, the sources, the model.
//!
//! Precedence, highest first: flags, then environment variables
//! (`PAINMAP_ROADMAP`, `PAINMAP_AS_OF`, `NO_COLOR`, `CLICOLOR_FORCE`,
//! `COLUMNS`), then roadmap.toml, then built-in defaults. clap applies the
//! first two for `--roadmap` and `--as-of`.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::Path;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::cli::{ColorChoice, DateOrderArg, GlobalArgs, InputArgs, ModelArg};
use crate::ingest::values::DateOrder;
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

/// Treats `PAINMAP_ROADMAP` and `PAINMAP_AS_OF` set to nothing as unset,
/// as `NO_COLOR` is treated: `PAINMAP_AS_OF=` means today, not an empty
/// date. Call it before the command line is parsed, while the program has
/// one thread.
pub fn unset_empty_environment() {
    for name in ["PAINMAP_ROADMAP", "PAINMAP_AS_OF"] {
        if std::env::var_os(name).is_some_and(|v| v.is_empty()) {
            std::env::remove_var(name);
        }
    }
}

impl Settings {
    pub fn resolve(g: &GlobalArgs) -> Result<Settings, UsageError> {
        let as_of = match &g.as_of {
            Some(s) => parse_as_of(s).map_err(|why| {
                let from_env = std::env::var("PAINMAP_AS_OF").is_ok_and(|e| e == *s);
                UsageError(format!(
                    "--as-of {s:?} {why}{}; use YYYY-MM-DD, e.g. --as-of 2026-11-01",
                    if from_env {
                        " (it comes from PAINMAP_AS_OF)"
                    } else {
                        ""
                    }
                ))
            })?,
            None => jiff::Timestamp::now()
                .to_zoned_datetime(TimeZone::UTC)
                .date(),
        };
        Ok(Settings {
            as_of,
            color: use_color(
                g.color,
                |name| std::env::var_os(name),
                std::io::stdout().is_terminal(),
            ),
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
        let sc = &roadmap.scoring;
        Window {
            as_of_end: end,
            max_age: (sc.window_days > 0).then(|| i64::from(sc.window_days) * 86_400),
            trend_recent: i64::from(sc.trend_days) * 86_400,
            trend_prior: i64::from(sc.trend_baseline_days) * 86_400,
        }
    }

    pub fn as_of_string(&self) -> String {
        self.as_of.to_string()
    }
}

/// Whether to colour stdout. `--color always|never` decide; with `auto`,
/// `NO_COLOR` (any value but empty) turns colour off, then `CLICOLOR_FORCE`
/// (any value but empty or `0`) turns it on, then `TERM=dumb` or
/// `CLICOLOR=0` turn it off, and otherwise a terminal gets colour.
pub fn use_color(
    choice: ColorChoice,
    env: impl Fn(&str) -> Option<OsString>,
    stdout_is_terminal: bool,
) -> bool {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set("NO_COLOR").is_some() {
                false
            } else if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else if set("TERM").is_some_and(|t| t == "dumb")
                || set("CLICOLOR").is_some_and(|v| v == "0")
            {
                false
            } else {
                stdout_is_terminal
            }
        }
    }
}

/// An `--as-of` date: `YYYY-MM-DD` exactly (jiff alone would also take
/// `20261120`), in the years painmap believes of an item's date
/// ([`YEARS`](crate::ingest::values::YEARS)), so a typo like `9999-12-31`
/// or `0206-11-20` is an error instead of a ranking where nothing scores.
fn parse_as_of(s: &str) -> Result<Date, String> {
    let s = s.trim();
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let date = match s.parse::<Date>() {
        Ok(d) if shaped => d,
        _ => return Err("is not a date".to_string()),
    };
    let years = crate::ingest::values::YEARS;
    if !years.contains(&date.year()) {
        return Err(format!(
            "is outside the years {} to {}",
            years.start(),
            years.end()
        ));
    }
    Ok(date)
}

/// COLUMNS when set (40 or more), else `None`: the table renderer then
/// asks the terminal, and off a terminal does not wrap.
fn table_width() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|w| *w >= 40)
}

pub fn model(roadmap: &Roadmap, flag: Option<ModelArg>) -> Model {
    flag.map_or(roadmap.scoring.model, Model::from)
}

/// A `--preset` name must be one painmap knows.
pub fn check_preset(name: &str) -> Result<(), UsageError> {
    match presets::by_name(name) {
        Some(_) => Ok(()),
        None => Err(unknown_preset(name)),
    }
}

/// Reading stdin (`-`) from a terminal would wait for typing that never
/// comes: say what to do instead.
pub fn refuse_terminal_stdin(input: &InputArgs, stdin_is_terminal: bool) -> Result<(), UsageError> {
    if stdin_is_terminal && input.feedback.iter().any(|f| f == "-") {
        return Err(UsageError(
            "- reads feedback from stdin, but stdin is a terminal; pipe an export in (end the command with < tickets.csv) or name the file in place of -".into(),
        ));
    }
    Ok(())
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
/// `--date-order`, if given.
fn date_order(input: &InputArgs) -> Option<DateOrder> {
    input.date_order.map(|o| match o {
        DateOrderArg::MonthFirst => DateOrder::MonthFirst,
        DateOrderArg::DayFirst => DateOrder::DayFirst,
    })
}

pub fn sources(roadmap: &Roadmap, input: &InputArgs) -> Result<Vec<Source>, UsageError> {
    if let Some(p) = &input.preset {
        check_preset(p)?;
    }
    // --preset and --date-order win over what a source entry says.
    let with_flags = |mut src: Source| {
        if input.preset.is_some() {
            src.preset.clone_from(&input.preset);
        }
        if let Some(order) = date_order(input) {
            src.date_order = Some(order);
        }
        src
    };
    if !input.feedback.is_empty() {
        if input.feedback.iter().filter(|f| *f == "-").count() > 1 {
            return Err(UsageError("stdin (-) can be read only once".into()));
        }
        refuse_terminal_stdin(input, std::io::stdin().is_terminal())?;
        // A file that is one of the roadmap's [[sources]] keeps that
        // entry's weight, preset, columns and date order: naming the
        // roadmap's own exports had silently dropped a `weight = 0.5`.
        return Ok(input
            .feedback
            .iter()
            .map(|f| {
                let entry = (f != "-")
                    .then(|| {
                        roadmap
                            .sources
                            .iter()
                            .find(|s| crate::output::same_file(Path::new(f), &s.path))
                    })
                    .flatten();
                with_flags(match entry {
                    Some(spec) => Source {
                        name: f.clone(),
                        ..Source::from_spec(spec)
                    },
                    None => Source::from_arg(f, None),
                })
            })
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
        .map(|s| with_flags(Source::from_spec(s)))
        .collect())
}

/// Loads the roadmap, printing its warnings unless quiet.
pub fn load_roadmap(path: &Path, quiet: bool) -> anyhow::Result<Roadmap> {
    let roadmap = Roadmap::load(path)?;
    if !quiet {
        for w in &roadmap.warnings {
            eprintln!(
                "warning: {}",
                crate::report::sanitize::terminal_lines(&w.to_string())
            );
        }
    }
    Ok(roadmap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_is_a_plausible_yyyy_mm_dd() {
        assert_eq!(
            parse_as_of(" 2026-11-20 "),
            Ok(Date::constant(2026, 11, 20))
        );
        assert_eq!(parse_as_of("1990-01-01"), Ok(Date::constant(1990, 1, 1)));
        assert_eq!(parse_as_of("2100-12-31"), Ok(Date::constant(2100, 12, 31)));
        for bad in [
            "20261120",
            "2026-1-20",
            "2026-11-31",
            "2026/11/20",
            "",
            "+2026-11-20",
        ] {
            assert_eq!(parse_as_of(bad), Err("is not a date".into()), "{bad}");
        }
        for far in ["9999-12-31", "0000-01-01", "1989-12-31", "2101-01-01"] {
            assert_eq!(
                parse_as_of(far),
                Err("is outside the years 1990 to 2100".into()),
                "{far}"
            );
        }
    }

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn colour_follows_flag_then_environment_then_terminal() {
        use ColorChoice::*;
        assert!(use_color(Auto, env(&[]), true));
        assert!(!use_color(Auto, env(&[]), false));
        assert!(!use_color(Auto, env(&[("NO_COLOR", "1")]), true));
        // An empty NO_COLOR is not set (no-color.org).
        assert!(use_color(Auto, env(&[("NO_COLOR", "")]), true));
        assert!(use_color(Auto, env(&[("CLICOLOR_FORCE", "1")]), false));
        assert!(!use_color(Auto, env(&[("CLICOLOR_FORCE", "0")]), false));
        assert!(!use_color(
            Auto,
            env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
            true
        ));
        assert!(!use_color(Auto, env(&[("TERM", "dumb")]), true));
        assert!(use_color(
            Auto,
            env(&[("TERM", "dumb"), ("CLICOLOR_FORCE", "1")]),
            false
        ));
        assert!(!use_color(Auto, env(&[("CLICOLOR", "0")]), true));
        // The flag wins over the environment.
        assert!(use_color(Always, env(&[("NO_COLOR", "1")]), false));
        assert!(!use_color(Never, env(&[("CLICOLOR_FORCE", "1")]), true));
    }

    #[test]
    fn stdin_from_a_terminal_is_refused_with_a_hint() {
        let input = InputArgs {
            feedback: vec!["-".into()],
            ..InputArgs::default()
        };
        let e = refuse_terminal_stdin(&input, true).unwrap_err();
        assert!(e.0.contains("stdin is a terminal"), "{e}");
        assert!(e.0.contains("end the command with < tickets.csv"));
        assert!(refuse_terminal_stdin(&input, false).is_ok());
        let files = InputArgs {
            feedback: vec!["a.csv".into()],
            ..InputArgs::default()
        };
        assert!(refuse_terminal_stdin(&files, true).is_ok());
    }

    #[test]
    fn unknown_presets_get_a_suggestion() {
        assert!(check_preset("zendesk").is_ok());
        let e = check_preset("zendsk").unwrap_err();
        assert!(e.0.contains("did you mean `zendesk`"), "{e}");
    }
}
