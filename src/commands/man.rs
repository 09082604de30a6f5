//! `painmap man`: the man pages (roff), generated from the clap definitions:
//! painmap(1), and painmap-rank(1) and the like for each command.

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::{Cli, ManArgs};
use crate::config::Settings;
use crate::output::write_to;

pub fn run(settings: &Settings, args: &ManArgs) -> anyhow::Result<u8> {
    // Built from the root, so that each command's page is named
    // painmap-COMMAND and lists the global options too.
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    if let Some(dir) = &args.dir {
        if !dir.is_dir() {
            anyhow::bail!(
                "{}: cannot write the man pages: no such folder\n  help: create it first (mkdir -p {0})",
                dir.display()
            );
        }
        let pages = pages(&root);
        for page in &pages {
            let man = page_of(page.clone());
            man.generate_to(dir).with_context(|| {
                format!("{}: cannot write", dir.join(man.get_filename()).display())
            })?;
        }
        if !settings.quiet {
            eprintln!(
                "painmap: wrote {} man pages to {}",
                pages.len(),
                dir.display()
            );
        }
        return Ok(0);
    }
    let page = match &args.command {
        // clap let only a command's name through.
        Some(name) => root
            .find_subcommand(name)
            .cloned()
            .with_context(|| format!("no command {name}"))?,
        None => root,
    };
    let man = page_of(page);
    write_to(None, |out| Ok(man.render(out)?))?;
    Ok(0)
}

/// One command's page, its footer naming painmap's version.
fn page_of(cmd: clap::Command) -> clap_mangen::Man {
    clap_mangen::Man::new(cmd).source(concat!("painmap ", env!("CARGO_PKG_VERSION")))
}

/// The root command and every command under it, the root first.
fn pages(root: &clap::Command) -> Vec<clap::Command> {
    let mut pages = vec![root.clone()];
    pages.extend(root.get_subcommands().filter(|c| !c.is_hide_set()).cloned());
    pages
}
