//! Writes a synthetic feedback export and a matching roadmap.toml, the same
//! bytes for the same arguments on any machine.
//!
//! ```text
//! cargo run --release --example gen_feedback -- \
//!     --rows 1000000 --features 100 --seed 1 --out feedback.csv --roadmap roadmap.toml
//! ```
//!
//! Rank the result with `--as-of 2026-11-01`.

mod synth;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

/// Generate a synthetic feedback CSV and its roadmap.toml.
#[derive(Debug, Parser)]
struct Args {
    /// Rows of feedback.
    #[arg(long, default_value_t = 100_000)]
    rows: u64,
    /// Features in the roadmap (at most 1040).
    #[arg(long, default_value_t = 100)]
    features: usize,
    /// Seed: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Distinct customers who write feedback.
    #[arg(long, default_value_t = 50_000)]
    customers: u64,
    /// Accounts (companies) the customers belong to.
    #[arg(long, default_value_t = 5_000)]
    accounts: u64,
    /// Where to write the CSV; - for stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Where to write the roadmap.toml.
    #[arg(long, value_name = "FILE")]
    roadmap: Option<PathBuf>,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_feedback: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> anyhow::Result<()> {
    if args.features == 0 || args.features > synth::MAX_FEATURES {
        anyhow::bail!(
            "--features {} is out of range; use 1 to {}",
            args.features,
            synth::MAX_FEATURES
        );
    }
    if args.customers == 0 || args.accounts == 0 {
        anyhow::bail!("--customers and --accounts must be at least 1");
    }
    if args.out.is_none() && args.roadmap.is_none() {
        anyhow::bail!("nothing to write: give --out FILE, --roadmap FILE, or both");
    }
    let cfg = synth::Config {
        customers: args.customers,
        accounts: args.accounts,
        ..synth::Config::new(args.rows, args.features, args.seed)
    };
    if let Some(path) = &args.roadmap {
        write_file(path, |w| synth::write_roadmap(&cfg, w))?;
    }
    if let Some(path) = &args.out {
        write_file(path, |w| synth::write_feedback(&cfg, w))?;
    }
    Ok(())
}

fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    if path.as_os_str() == "-" {
        let mut out = BufWriter::new(std::io::stdout().lock());
        write(&mut out).context("writing to stdout")?;
        return Ok(out.flush()?);
    }
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = BufWriter::new(file);
    write(&mut out).with_context(|| format!("writing {}", path.display()))?;
    out.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
