//! `painmap man`: the man page (roff), generated from the clap definitions.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::output::write_to;

pub fn run() -> anyhow::Result<u8> {
    let man = clap_mangen::Man::new(Cli::command());
    write_to(None, |out| Ok(man.render(out)?))?;
    Ok(0)
}
