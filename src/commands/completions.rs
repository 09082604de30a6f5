//! `painmap completions SHELL`: a completion script generated from the
//! clap definitions, so it always matches the real flags.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::output::write_to;

pub fn run(args: &CompletionsArgs) -> anyhow::Result<u8> {
    let mut cmd = Cli::command();
    write_to(None, |out| {
        clap_complete::generate(args.shell, &mut cmd, "painmap", out);
        Ok(())
    })?;
    Ok(0)
}
