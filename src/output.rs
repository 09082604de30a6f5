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
            // Removed on Ctrl-C; on an error, dropping `tmp` removes it.
            let _pending = crate::interrupt::Pending::new(tmp.path().to_path_buf());
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
/// The I/O error may come wrapped by the JSON or CSV writer.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let pipe = |kind: Option<io::ErrorKind>| kind == Some(io::ErrorKind::BrokenPipe);
    err.chain().any(|e| {
        pipe(e.downcast_ref::<io::Error>().map(io::Error::kind))
            || pipe(
                e.downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind),
            )
            || e.downcast_ref::<csv::Error>()
                .is_some_and(|c| match c.kind() {
                    csv::ErrorKind::Io(io) => pipe(Some(io.kind())),
                    _ => false,
                })
    })
}
