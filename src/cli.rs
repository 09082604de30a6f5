//! The command line, as typed: clap derive types only. [`crate::config`]
//! turns these into resolved settings; nothing else sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error: bad input, unreadable file, failed write
  2  usage error: unknown flag or value
  3  a CI gate tripped

Environment:
  PAINMAP_ROADMAP  default for --roadmap
  PAINMAP_AS_OF    default for --as-of
  NO_COLOR         disables colour; CLICOLOR_FORCE forces it
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
    /// ignored. Defaults to today (UTC).
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

    /// Worker threads for tagging (default: all cores). Output is identical
    /// for any number.
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rank the roadmap's features (the default command).
    Rank(RankArgs),
    /// Tag every item: features, stage, persona, kind, sentiment, pain.
    Tag(TagArgs),
    /// Suggest new features from the feedback that links to nothing.
    Themes(ThemesArgs),
}

#[derive(Debug, Args, Default)]
pub struct InputArgs {
    /// Feedback files (CSV, JSON or JSON Lines), or - for stdin. Without
    /// any, the roadmap's [[sources]] are read.
    #[arg(value_name = "FEEDBACK")]
    pub feedback: Vec<String>,

    /// Read the files with this export preset instead of detecting it.
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
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
    #[arg(short, long, value_enum)]
    pub model: Option<ModelArg>,

    /// Show only the top N features.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
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
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,

    /// The fewest customers a theme needs.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_customers: usize,
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
