//! Where output goes: stdout, or a file written atomically (a temporary
//! file in the same folder, renamed into place), so a failed run never
//! leaves half a report where the last good one was.

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Context;

/// Runs `write` against stdout (no path, or `-`) or a temporary file that
/// replaces `path` only once everything was written.
pub fn write_to(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    match path {
        None => write_stdout(write),
        Some(p) if p.as_os_str() == "-" => write_stdout(write),
        Some(path) => {
            let dir = match path.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let tmp = tempfile::Builder::new()
                .prefix(".painmap-")
                .suffix(".tmp")
                .tempfile_in(dir)
                .with_context(|| {
                    format!(
                        "{}: cannot create a temporary file in {}",
                        path.display(),
                        dir.display()
                    )
                })?;
            let mut w = BufWriter::new(tmp);
            write(&mut w)?;
            let tmp = w
                .into_inner()
                .map_err(|e| e.into_error())
                .with_context(|| format!("{}: cannot write", path.display()))?;
            tmp.persist(path)
                .map_err(|e| e.error)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            Ok(())
        }
    }
}

fn write_stdout(write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    write(&mut w)?;
    w.flush()?;
    Ok(())
}

/// Whether an error is a closed pipe (`painmap … | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
