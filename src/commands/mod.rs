//! One file per subcommand, each a short composition of the library.

pub mod rank;
pub mod tag;
pub mod themes;

use crate::cli::{Cli, Command, RankArgs};
use crate::config::Settings;

/// Runs the command line; `Ok` holds the exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    let settings = Settings::resolve(&cli.global)?;
    if let Some(n) = cli.global.threads {
        if n == 0 {
            return Err(crate::config::UsageError("--threads must be at least 1".into()).into());
        }
        // Fails only if the pool was built already, which leaves the default.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global();
    }
    match cli.command {
        None => rank::run(&cli.global, &settings, &RankArgs::default()),
        Some(Command::Rank(args)) => rank::run(&cli.global, &settings, &args),
        Some(Command::Tag(args)) => tag::run(&cli.global, &settings, &args),
        Some(Command::Themes(args)) => themes::run(&cli.global, &settings, &args),
    }
}
