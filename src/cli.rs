//! The command line, as typed: clap derive types only. [`crate::config`]
//! turns these into resolved settings; nothing else sees clap.
//!
//! The doc comments here are clap's help text, and its brackets are TOML
//! tables (`[[sources]]`) and redaction marks (`[email]`), not rustdoc links.
#![allow(rustdoc::broken_intra_doc_links)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The most `--threads` takes: each worker holds a few batches of items,
/// so thousands of them would take memory and time for nothing.
pub const MAX_THREADS: i64 = 256;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error: bad input, unreadable file, failed write
  2  usage error: unknown flag or value
  3  a CI gate tripped: painmap check found a problem, or a diff --fail-on
     condition held
  130  interrupted (Ctrl-C); no partial output file is left

Environment (flags win over these, and these over roadmap.toml):
  PAINMAP_ROADMAP  default for --roadmap
  PAINMAP_AS_OF    default for --as-of
  NO_COLOR         disables colour; CLICOLOR_FORCE forces it; TERM=dumb
                   disables it
  COLUMNS          table width";

/// Turn customer feedback exports into a ranked, explainable roadmap.
///
/// painmap reads feedback exports (support tickets, NPS surveys, app-store
/// reviews) and a roadmap.toml of candidate features, links every item to
/// the features it mentions, and ranks the features by the pain of the
/// customers behind them, per unit of effort. With no command, it ranks.
#[derive(Debug, Parser)]
#[command(name = "painmap", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub global: GlobalArgs,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The roadmap file.
    #[arg(
        short,
        long,
        global = true,
        env = "PAINMAP_ROADMAP",
        value_name = "FILE",
        default_value = "roadmap.toml"
    )]
    pub roadmap: PathBuf,

    /// The date recency is measured from (YYYY-MM-DD); items after it are
    /// not scored (the totals count them). Defaults to today (UTC).
    #[arg(long, global = true, env = "PAINMAP_AS_OF", value_name = "DATE")]
    pub as_of: Option<String>,

    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Silence warnings.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Say more: detected formats, column mapping, counts, timings.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Threads for tagging, 1 to 256 (default: all cores); `rank` reads on
    /// one of them. Output is identical for any number.
    #[arg(long, global = true, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS))]
    pub threads: Option<u16>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rank the roadmap's features (the default command).
    Rank(RankArgs),
    /// Tag every item: features, stage, persona, kind, sentiment, pain.
    Tag(TagArgs),
    /// Explain one feature's score: its terms, customers, quotes, and what
    /// would change its rank.
    Explain(ExplainArgs),
    /// The export formats painmap recognizes, how it detects each, and
    /// which columns feed which item field.
    Sources(SourcesArgs),
    /// Validate roadmap.toml and its sources, and lint the roadmap against
    /// the feedback. Exits 3 when it finds a problem.
    Check(CheckArgs),
    /// Compare two JSON reports: features that entered, left or moved, and
    /// score changes. Exits 3 when a --fail-on condition holds.
    Diff(DiffArgs),
    /// Write a starter roadmap.toml from feedback exports: sources, journey
    /// stages, personas and candidate features.
    Init(InitArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout, or write every page to a folder.
    Man(ManArgs),
    /// Suggest new features from the feedback that links to nothing.
    Themes(ThemesArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Print this command's page (painmap-rank(1) for rank) instead of
    /// painmap(1).
    #[arg(value_name = "COMMAND", value_parser = command_name)]
    pub command: Option<String>,

    /// Write painmap.1 and a page for every command (painmap-rank.1, …)
    /// into DIR, which must exist, instead of printing one page.
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SourcesArgs {
    /// Show only this preset.
    #[arg(value_name = "PRESET", value_parser = PresetName)]
    pub preset: Option<String>,
}

#[derive(Debug, Args, Default)]
pub struct InputArgs {
    /// Feedback files (CSV, JSON or JSON Lines), or - for stdin. Without
    /// any, the roadmap's [[sources]] are read.
    #[arg(value_name = "FEEDBACK")]
    pub feedback: Vec<String>,

    /// Read the files with this export preset instead of detecting it.
    #[arg(long, value_name = "NAME", value_parser = PresetName)]
    pub preset: Option<String>,

    /// How to read numeric dates with slashes that could be either way
    /// (07/11/2026): month-first (the default, as US exports write them)
    /// or day-first. Overrides the sources' date_order. A date that works
    /// only one way (14/03/2026) is always read that way.
    #[arg(long, value_name = "ORDER")]
    pub date_order: Option<DateOrderArg>,

    /// Stop with exit code 1 at the first rejected row (malformed, empty)
    /// or duplicate, instead of skipping and counting it.
    #[arg(long)]
    pub strict: bool,

    /// Write every rejected row and duplicate, with its file, line and
    /// reason, to FILE as JSON Lines; - is stdout, when the output itself
    /// goes to a file (never for check, whose report is on stdout).
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<std::path::PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct RankArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = RankFormat::Table)]
    pub format: RankFormat,

    /// Write to FILE (atomically) instead of stdout; - is stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Scoring model (overrides [scoring] model).
    #[arg(short, long, value_enum, conflicts_with = "compare")]
    pub model: Option<ModelArg>,

    /// Show only the top N features (with --compare, by the first model).
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub top: Option<usize>,

    /// Rank the JSON Lines that `painmap tag` wrote (- for stdin) instead of
    /// reading feedback: tag as a map step anywhere, rank as the reduce.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["feedback", "preset"])]
    pub tagged: Option<PathBuf>,

    /// Rank under two or more models side by side (e.g. rice,wsjf,pain-value)
    /// and show where they disagree; rows follow the first model.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "MODELS")]
    pub compare: Vec<ModelArg>,

    /// Write rank, score, scored_at and scored_by (the model) back into each
    /// [[features]] entry of roadmap.toml, keeping its comments and
    /// formatting.
    #[arg(long, conflicts_with = "compare")]
    pub write: bool,

    /// Replace e-mail addresses, phone numbers and card-like numbers in
    /// quotes and customers with [email], [phone], [number]. On by default
    /// for --format markdown.
    #[arg(long, conflicts_with = "no_redact")]
    pub redact: bool,

    /// Keep quotes as they are, even in Markdown.
    #[arg(long)]
    pub no_redact: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The feature: its id, or a unique prefix of its id or title.
    #[arg(value_name = "FEATURE")]
    pub feature: String,

    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,

    /// Write to FILE (atomically) instead of stdout; - is stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Scoring model (overrides [scoring] model).
    #[arg(short, long, value_enum)]
    pub model: Option<ModelArg>,

    /// Replace e-mail addresses, phone numbers and card-like numbers in
    /// quotes and customers with [email], [phone], [number].
    #[arg(long)]
    pub redact: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Text for the terminal.
    Text,
    /// The same data as JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct TagArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = TagFormat::Jsonl)]
    pub format: TagFormat,

    /// Write to FILE (atomically) instead of stdout; - is stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Say why: for each link the phrase that matched and where, and the
    /// cues and terms behind the kind and the pain.
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Args)]
pub struct ThemesArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ThemesFormat::Table)]
    pub format: ThemesFormat,

    /// Write to FILE (atomically) instead of stdout; - is stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Show at most N themes.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = at_least_one)]
    pub top: usize,

    /// The fewest customers a theme needs.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_customers: usize,

    /// Replace e-mail addresses, phone numbers and card-like numbers in the
    /// quotes with [email], [phone], [number].
    #[arg(long)]
    pub redact: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemesFormat {
    /// A table and a ready-to-paste [[features]] snippet.
    Table,
    /// The themes as JSON.
    Json,
    /// Only the [[features]] snippet, to append to roadmap.toml.
    Toml,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier JSON report (painmap rank --format json); - reads it
    /// from stdin.
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,

    /// The later JSON report; - reads it from stdin.
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,

    /// Output format; markdown suits a pull-request comment or a CI job summary.
    #[arg(short, long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,

    /// Write to FILE (atomically) instead of stdout; - is stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit 3 when the condition holds: rank-change>N (a feature moved more
    /// than N places), new-top=N (a feature is new in the top N),
    /// score-change>P% (a score changed by more than P percent), entered,
    /// left. Repeatable.
    #[arg(long, value_name = "CONDITION")]
    pub fail_on: Vec<crate::report::diff::Gate>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Feedback exports to scaffold from (CSV, JSON or JSON Lines).
    #[arg(value_name = "FEEDBACK")]
    pub feedback: Vec<PathBuf>,

    /// Where to write the roadmap; - is stdout. Defaults to --roadmap.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,

    /// Read the files with this export preset instead of detecting it.
    #[arg(long, value_name = "NAME", value_parser = PresetName)]
    pub preset: Option<String>,

    /// The product's name, for [product] name; its words are left out of
    /// the candidate features. Without it, init guesses the name from the
    /// capitalized word customers use most.
    #[arg(long, value_name = "NAME")]
    pub product: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Findings for people.
    Text,
    /// One JSON document for machines.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A table for the terminal.
    Text,
    /// Markdown for a pull-request comment or a CI job summary.
    Markdown,
    /// One JSON document for machines.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum RankFormat {
    /// A table for the terminal.
    #[default]
    Table,
    /// The versioned JSON report.
    Json,
    /// One row per feature.
    Csv,
    /// A Markdown report.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TagFormat {
    /// One JSON object a line.
    Jsonl,
    /// One CSV row per item.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelArg {
    /// Σ recency × pain × value × weights ÷ effort.
    PainValue,
    /// Reach × Impact × Confidence ÷ Effort (Intercom).
    Rice,
    /// Impact × Confidence × Ease, each 1–10.
    Ice,
    /// Cost of Delay ÷ Job Size (SAFe).
    Wsjf,
    /// Importance + max(Importance − Satisfaction, 0) (Ulwick).
    Opportunity,
    /// Σ customers' importance 0–3 (Productboard).
    Impact,
    /// Weighted sum of normalized drivers ÷ effort ([scoring.weights]).
    Weighted,
}

impl From<ModelArg> for crate::roadmap::Model {
    fn from(m: ModelArg) -> Self {
        use crate::roadmap::Model;
        match m {
            ModelArg::PainValue => Model::PainValue,
            ModelArg::Rice => Model::Rice,
            ModelArg::Ice => Model::Ice,
            ModelArg::Wsjf => Model::Wsjf,
            ModelArg::Opportunity => Model::Opportunity,
            ModelArg::Impact => Model::Impact,
            ModelArg::Weighted => Model::Weighted,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}

/// `--date-order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateOrderArg {
    MonthFirst,
    DayFirst,
}

/// A count of 1 or more: `--top 0` would print an empty report and exit 0.
/// A painmap command's name, for `painmap man COMMAND`.
fn command_name(s: &str) -> Result<String, String> {
    use clap::CommandFactory;
    let cli = Cli::command();
    let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
    if names.contains(&s) {
        Ok(s.to_owned())
    } else {
        Err(format!("no such command; one of: {}", names.join(", ")))
    }
}

/// A preset's name. Any text is taken here, so that an unknown name gets
/// painmap's own error with a close match; the names are offered to shell
/// completion and listed in `--help`.
#[derive(Debug, Clone, Copy)]
struct PresetName;

impl clap::builder::TypedValueParser for PresetName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            crate::ingest::presets::PRESETS
                .iter()
                .map(|p| clap::builder::PossibleValue::new(p.name)),
        ))
    }
}

fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("it must be 1 or more: 0 would show nothing".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("it must be a whole number, 1 or more".into()),
    }
}
