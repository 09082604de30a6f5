//! Where output goes: stdout, or a file written atomically (a temporary
//! file in the same folder, renamed into place), so a failed run never
//! leaves half a report where the last good one was. And what goes to
//! stderr besides messages: the progress bar and `--verbose` notes.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::ingest::SourceSummary;

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
            let mut out = OutFile::create(path)?;
            write(&mut out)?;
            out.finish()
        }
    }
}

/// A file being written: a temporary file in the same folder, renamed onto
/// the path by [`OutFile::finish`]; dropped unfinished (an error, Ctrl-C),
/// it is removed and the path keeps what it had. A device or a pipe
/// (`/dev/null`, `/dev/stderr`, a FIFO) is written to directly, because
/// renaming a file onto it would replace it.
pub struct OutFile {
    w: BufWriter<Target>,
    path: std::path::PathBuf,
}

enum Target {
    Direct(std::fs::File),
    /// With the guard that removes it on Ctrl-C.
    Temp(tempfile::NamedTempFile, crate::interrupt::Pending),
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Target::Direct(f) => f.write(buf),
            Target::Temp(f, _) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Target::Direct(f) => f.flush(),
            Target::Temp(f, _) => f.flush(),
        }
    }
}

impl OutFile {
    pub fn create(path: &Path) -> anyhow::Result<OutFile> {
        let target = if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("{}: cannot write", path.display()))?;
            Target::Direct(file)
        } else {
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
            let pending = crate::interrupt::Pending::new(tmp.path().to_path_buf());
            Target::Temp(tmp, pending)
        };
        Ok(OutFile {
            w: BufWriter::new(target),
            path: path.to_path_buf(),
        })
    }

    /// Writes out what is buffered and puts the file in place.
    pub fn finish(self) -> anyhow::Result<()> {
        let cannot = || format!("{}: cannot write", self.path.display());
        let target = self
            .w
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(cannot)?;
        match target {
            Target::Direct(_) => Ok(()),
            Target::Temp(tmp, _pending) => {
                tmp.persist(&self.path)
                    .map_err(|e| e.error)
                    .with_context(cannot)?;
                Ok(())
            }
        }
    }
}

impl Write for OutFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.w.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.w.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

fn write_stdout(write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>) -> anyhow::Result<()> {
    // Data on a terminal and a progress bar on the same terminal would
    // scramble each other: the bar goes.
    if io::stdout().is_terminal() {
        stop_progress();
    }
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

/// The progress bar: items read so far and the rate, on stderr. It appears
/// only once reading has taken [`PROGRESS_DELAY`], never when stderr is not
/// a terminal or with `--quiet`, and goes away before data is written to a
/// terminal. One per process, because the pipeline that advances it runs
/// deep below the commands.
struct Progress {
    bar: ProgressBar,
    enabled: AtomicBool,
    started: Instant,
    delay: Duration,
}

static PROGRESS: OnceLock<Progress> = OnceLock::new();

/// How long reading runs before the progress bar is shown.
pub const PROGRESS_DELAY: Duration = Duration::from_secs(1);

/// Sets up the progress bar; it stays hidden unless `enabled` and stderr is
/// a terminal. `PAINMAP_PROGRESS_DELAY_MS` (undocumented) shortens the
/// delay for tests.
pub fn start_progress(enabled: bool) {
    let delay = std::env::var("PAINMAP_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(PROGRESS_DELAY, Duration::from_millis);
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {human_pos} items read ({per_sec:0}, {elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let _ = PROGRESS.set(Progress {
        bar,
        enabled: AtomicBool::new(enabled && io::stderr().is_terminal()),
        started: Instant::now(),
        delay,
    });
}

/// Counts `items` more items read.
pub fn advance_progress(items: u64) {
    let Some(p) = PROGRESS.get() else { return };
    p.bar.inc(items);
    if p.enabled.load(Ordering::Relaxed) && p.bar.is_hidden() && p.started.elapsed() >= p.delay {
        p.bar.set_draw_target(ProgressDrawTarget::stderr());
    }
}

/// Clears the progress bar for good.
pub fn stop_progress() {
    if let Some(p) = PROGRESS.get() {
        p.enabled.store(false, Ordering::Relaxed);
        if !p.bar.is_hidden() {
            p.bar.finish_and_clear();
        }
        p.bar.set_draw_target(ProgressDrawTarget::hidden());
    }
}

/// `--verbose`: how a source was read, on stderr.
pub fn describe_source(name: &str, s: &SourceSummary) {
    eprintln!(
        "painmap: {}",
        crate::report::sanitize::terminal(&s.describe(name))
    );
}
