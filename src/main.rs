//! The painmap binary: parse the command line, run, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

use painmap::cli::Cli;
use painmap::config::UsageError;
use painmap::output::is_broken_pipe;
use painmap::report::sanitize::terminal_lines;
use painmap::roadmap::RoadmapError;

fn main() -> ExitCode {
    painmap::config::unset_empty_environment();
    let cli = Cli::parse();
    painmap::interrupt::install();
    match painmap::commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        // `painmap tag … | head` closing the pipe early is not a failure.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            if let Some(e) = err.downcast_ref::<RoadmapError>() {
                // An error may name a file or quote a roadmap, whose text
                // may hold terminal escapes.
                // Enough to fix in one go; `check` lists them all.
                const SHOWN: usize = 10;
                for e in e.each().take(SHOWN) {
                    eprintln!("error: {}", terminal_lines(&e.to_string()));
                    if let Some(help) = &e.help {
                        eprintln!("  help: {}", terminal_lines(help));
                    }
                }
                let hidden = e.more.len().saturating_sub(SHOWN - 1);
                if hidden > 0 {
                    eprintln!(
                        "error: and {hidden} more in the roadmap; painmap check lists them all"
                    );
                }
                return ExitCode::from(1);
            }
            eprintln!("error: {}", terminal_lines(&format!("{err:#}")));
            if err.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
