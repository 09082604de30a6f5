//! One file per subcommand, each a short composition of the library.

pub mod analysis;
pub mod check;
pub mod completions;
pub mod diff;
pub mod explain;
pub mod init;
pub mod man;
pub mod rank;
pub mod sources;
pub mod tag;
pub mod themes;
pub mod write_back;

use crate::cli::{Cli, Command, RankArgs};
use crate::config::Settings;

/// Runs the command line; `Ok` holds the exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    let settings = Settings::resolve(&cli.global)?;
    // clap keeps --threads within 1..=MAX_THREADS.
    if let Some(n) = cli.global.threads {
        // Fails only if the pool was built already, which leaves the default.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global();
    }
    crate::output::start_progress(!settings.quiet);
    let code = match cli.command {
        None => rank::run(&cli.global, &settings, &RankArgs::default()),
        Some(Command::Rank(args)) => rank::run(&cli.global, &settings, &args),
        Some(Command::Tag(args)) => tag::run(&cli.global, &settings, &args),
        Some(Command::Explain(args)) => explain::run(&cli.global, &settings, &args),
        Some(Command::Sources(args)) => sources::run(&args),
        Some(Command::Check(args)) => check::run(&cli.global, &settings, &args),
        Some(Command::Diff(args)) => diff::run(&settings, &args),
        Some(Command::Init(args)) => init::run(&cli.global, &settings, &args),
        Some(Command::Completions(args)) => completions::run(&args),
        Some(Command::Man(args)) => man::run(&settings, &args),
        Some(Command::Themes(args)) => themes::run(&cli.global, &settings, &args),
    };
    crate::output::stop_progress();
    code
}
