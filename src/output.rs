//! Where output goes: stdout, or a file written atomically (a temporary
//! file in the same folder, renamed into place), so a failed run never
//! leaves half a report where the last good one was. And what goes to
//! stderr besides messages: the progress bar and `--verbose` notes.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tempfile::NamedTempFile;

use crate::config::UsageError;
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
            // A failed write names the file ("/dev/full: cannot write: No
            // space left on device"); other errors are the command's own.
            write(&mut out).map_err(|e| {
                if io_error_kind(&e).is_some() {
                    e.context(format!("{}: cannot write", path.display()))
                } else {
                    e
                }
            })?;
            out.finish()
        }
    }
}

/// The files a command reads and writes, checked once the roadmap has
/// named its sources and before any feedback is read, so that a mistake in
/// naming them costs no work and loses nothing: an output must not be an
/// input or another output, at most one output goes to stdout, and each
/// output's folder must exist.
#[derive(Debug, Default)]
pub struct Plan {
    reads: Vec<Input>,
    writes: Vec<Output>,
}

/// One input: what it is (such as "the roadmap") and its path.
#[derive(Debug)]
struct Input {
    what: &'static str,
    path: PathBuf,
}

/// One output: what it holds, the flag that can name its file (`None`
/// for an output that always goes to stdout), and its path (`None` for
/// stdout).
#[derive(Debug)]
struct Output {
    what: &'static str,
    flag: Option<&'static str>,
    path: Option<PathBuf>,
}

impl Output {
    /// The flag that named the output's file: every output written to a
    /// file has one.
    fn named_by(&self) -> &'static str {
        self.flag.unwrap_or_default()
    }
}

impl Plan {
    pub fn new() -> Plan {
        Plan::default()
    }

    /// `what` (such as "the feedback file") will be read from `path`; `-`
    /// (stdin) is left out.
    pub fn reads(mut self, what: &'static str, path: &Path) -> Plan {
        if path.as_os_str() != "-" {
            self.reads.push(Input {
                what,
                path: path.to_path_buf(),
            });
        }
        self
    }

    /// What every command that reads feedback reads and writes besides its
    /// own output: the roadmap, the feedback files (`-` is left out), and
    /// the rejected rows when `--rejects` names a file.
    pub fn feedback(
        mut self,
        roadmap: &Path,
        sources: &[crate::ingest::Source],
        rejects: Option<&Path>,
    ) -> Plan {
        if rejects.is_some() {
            self = self.writes("the rejected rows", "--rejects", rejects);
        }
        self = self.reads("the roadmap", roadmap);
        for path in sources.iter().filter_map(|s| s.path.as_deref()) {
            self = self.reads("the feedback file", path);
        }
        self
    }

    /// `what` (such as "the report") will be written to `path`, named with
    /// `flag`; `None`, `-`, or a name for stdout (`/dev/stdout`) is stdout.
    pub fn writes(mut self, what: &'static str, flag: &'static str, path: Option<&Path>) -> Plan {
        let path = path.filter(|p| p.as_os_str() != "-" && !names_stdout(p));
        self.writes.push(Output {
            what,
            flag: Some(flag),
            path: path.map(Path::to_path_buf),
        });
        self
    }

    /// `what` will be written to stdout, and no flag sends it elsewhere
    /// (`check`'s report): any other output must then go to a file.
    pub fn writes_stdout(mut self, what: &'static str) -> Plan {
        self.writes.push(Output {
            what,
            flag: None,
            path: None,
        });
        self
    }

    /// Refuses, as a usage error, two outputs that would both go to stdout,
    /// an output that is an input, and two outputs that are one file; and
    /// as an error, an output that cannot be created where it is named.
    ///
    /// Paths are compared as files, not as strings (`./a.csv`, a link to
    /// it, and on Unix a hard link are all `a.csv`). Devices and pipes are
    /// left out: two outputs may share `/dev/null`.
    pub fn check(&self) -> anyhow::Result<()> {
        let stdout: Vec<&Output> = self.writes.iter().filter(|w| w.path.is_none()).collect();
        if let [a, b, ..] = stdout[..] {
            let help = match (a.flag, b.flag) {
                (Some(fa), Some(fb)) => {
                    format!("write one of them to a file: {fa} FILE or {fb} FILE")
                }
                (None, Some(f)) => format!("write {} to a file: {f} FILE", b.what),
                (Some(f), None) => format!("write {} to a file: {f} FILE", a.what),
                (None, None) => format!("{} and {} cannot be written apart", a.what, b.what),
            };
            return Err(UsageError(format!(
                "{} and {} would both go to stdout\n  help: {help}",
                a.what, b.what
            ))
            .into());
        }
        let files: Vec<(&Output, &Path)> = self
            .writes
            .iter()
            .filter_map(|w| Some((w, w.path.as_deref()?)))
            .collect();
        let reads: Vec<(&Input, FileId)> = self
            .reads
            .iter()
            .filter_map(|r| Some((r, existing_id(&r.path)?)))
            .collect();
        let mut written: Vec<(&Output, &Path, FileId)> = Vec::new();
        for &(w, path) in &files {
            let Some(id) = output_id(path) else { continue };
            if let Some((r, _)) = reads.iter().find(|(_, r)| *r == id) {
                return Err(UsageError(format!(
                    "{} {} is {} {}; writing {} there would replace it\n  help: write {} to another file",
                    w.named_by(),
                    path.display(),
                    r.what,
                    r.path.display(),
                    w.what,
                    w.what
                ))
                .into());
            }
            if let Some((first, first_path, _)) = written.iter().find(|(_, _, f)| *f == id) {
                return Err(UsageError(format!(
                    "{} {} and {} {} are the same file; {} would replace {}\n  help: give each its own file",
                    first.named_by(),
                    first_path.display(),
                    w.named_by(),
                    path.display(),
                    w.what,
                    first.what
                ))
                .into());
            }
            written.push((w, path, id));
        }
        for &(_, path) in &files {
            if let Some(e) = unwritable(path) {
                return Err(e);
            }
        }
        Ok(())
    }
}

/// What makes two paths one file.
#[derive(Debug, PartialEq)]
enum FileId {
    /// An existing file on Unix: its device and inode, which no spelling
    /// of the path, symbolic or hard link can hide.
    #[cfg(unix)]
    Inode(u64, u64),
    /// An existing file elsewhere, by its canonical path; or a file not
    /// there yet, by where it would be created.
    Path(PathBuf),
}

/// Whether `path` is one of the names of this process's stdout: writing
/// there is writing to stdout, whatever stdout is (`--rejects /dev/stdout`
/// into a pipe had passed the check that two outputs do not share it).
fn names_stdout(path: &Path) -> bool {
    ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
        .iter()
        .any(|name| path == Path::new(name))
}

/// Whether two paths name one existing regular file (through links,
/// `./`, `..`).
pub fn same_file(a: &Path, b: &Path) -> bool {
    existing_id(a).is_some_and(|id| existing_id(b) == Some(id))
}

/// An existing regular file's identity; `None` for anything else.
fn existing_id(path: &Path) -> Option<FileId> {
    let meta = std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)?;
    Some(file_id(path, &meta))
}

#[cfg(unix)]
fn file_id(_path: &Path, meta: &std::fs::Metadata) -> FileId {
    use std::os::unix::fs::MetadataExt;
    FileId::Inode(meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn file_id(path: &Path, _meta: &std::fs::Metadata) -> FileId {
    FileId::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// The identity of the file writing `path` will replace or create: the
/// existing file's, or for one not there yet, the canonical path it will
/// be created at (links followed). `None` for a device or a pipe, which is
/// written through, and for a path that cannot be written (see
/// [`unwritable`]).
fn output_id(path: &Path) -> Option<FileId> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Some(file_id(path, &meta)),
        Ok(_) => None,
        Err(_) => {
            let dest = rename_target(path).ok()??;
            let dir = std::fs::canonicalize(folder_of(&dest)).ok()?;
            Some(FileId::Path(dir.join(dest.file_name()?)))
        }
    }
}

/// Why `path` cannot be written, when that can be told before writing it:
/// it is a folder, or the folder it would be created in does not exist.
fn unwritable(path: &Path) -> Option<anyhow::Error> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Some(is_a_folder(path)),
        Ok(_) => None,
        Err(_) => {
            let dest = rename_target(path).ok()??;
            let dir = folder_of(&dest);
            match std::fs::metadata(dir) {
                Ok(meta) if meta.is_dir() => None,
                Ok(_) => Some(cannot_create_in(path, dir, io::ErrorKind::NotADirectory)),
                Err(e) => Some(cannot_create_in(path, dir, e.kind())),
            }
        }
    }
}

/// The folder a file is created in.
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn is_a_folder(path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{}: cannot write: it is a folder\n  help: name a file to write, not a folder",
        path.display()
    )
}

/// A file being written: a temporary file in the same folder, renamed onto
/// the path by [`OutFile::finish`]; dropped unfinished (an error, Ctrl-C),
/// it is removed and the path keeps what it had. A device or a pipe
/// (`/dev/null`, `/dev/stderr`, a FIFO) is written to directly, because
/// renaming a file onto it would replace it.
///
/// The file written keeps the mode of the one it replaces, and a path that
/// is a symbolic link is written through: the file the link points to is
/// replaced, and the link stays a link. The owner is kept too where the
/// temporary file can be given it (as root, or when it is ours already).
/// A file that a rename would cut off from something is instead rewritten
/// in place from the finished temporary file: one with other hard links,
/// which would keep the old contents, and one whose owner the temporary
/// file cannot take. So a failed or interrupted run leaves such a file as
/// it was too; only an error or Ctrl-C while copying, at the very end,
/// could leave it part written.
pub struct OutFile {
    w: BufWriter<Target>,
    /// The path as the user named it, for messages.
    path: PathBuf,
    /// Where the temporary file is renamed to: `path` with its symbolic
    /// links followed.
    dest: PathBuf,
    /// Copy the temporary file into `dest` rather than rename it.
    in_place: bool,
}

enum Target {
    /// `-`: for `--rejects -` while the report goes to a file.
    Stdout(io::Stdout),
    Direct(std::fs::File),
    /// With the guard that removes it on Ctrl-C.
    Temp(tempfile::NamedTempFile, crate::interrupt::Pending),
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Target::Stdout(f) => f.write(buf),
            Target::Direct(f) => f.write(buf),
            Target::Temp(f, _) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Target::Stdout(f) => f.flush(),
            Target::Direct(f) => f.flush(),
            Target::Temp(f, _) => f.flush(),
        }
    }
}

impl OutFile {
    /// Starts writing `path`; `-` is stdout.
    pub fn create(path: &Path) -> anyhow::Result<OutFile> {
        if path.as_os_str() == "-" {
            if io::stdout().is_terminal() {
                stop_progress();
            }
            return Ok(OutFile {
                w: BufWriter::new(Target::Stdout(io::stdout())),
                path: path.to_path_buf(),
                dest: path.to_path_buf(),
                in_place: false,
            });
        }
        let cannot = || format!("{}: cannot write", path.display());
        let direct = |append: bool| -> anyhow::Result<(Target, PathBuf)> {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .append(append)
                .open(path)
                .with_context(cannot)?;
            Ok((Target::Direct(file), path.to_path_buf()))
        };
        let mut in_place = false;
        let (target, dest) = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => return Err(is_a_folder(path)),
            Ok(m) if !m.is_file() => direct(false)?,
            found => match rename_target(path).with_context(cannot)? {
                // The shell opened this file for us (`-o /dev/stdout > f`,
                // or `>> f`) and may have written to it: add to it.
                None => direct(true)?,
                Some(dest) => {
                    let dir = folder_of(&dest);
                    let existing = found.ok();
                    let (tmp, owned) = temp_file_in(dir, existing.as_ref())
                        .map_err(|e| cannot_create_in(path, dir, e.kind()))?;
                    in_place = !owned || existing.as_ref().is_some_and(has_other_links);
                    let pending = crate::interrupt::Pending::new(tmp.path().to_path_buf());
                    (Target::Temp(tmp, pending), dest)
                }
            },
        };
        Ok(OutFile {
            w: BufWriter::new(target),
            path: path.to_path_buf(),
            dest,
            in_place,
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
            Target::Stdout(_) | Target::Direct(_) => Ok(()),
            Target::Temp(mut tmp, _pending) => {
                if self.in_place {
                    match std::fs::OpenOptions::new().write(true).open(&self.dest) {
                        Ok(mut dest) => {
                            // Truncated only now, with every byte ready.
                            dest.set_len(0).with_context(cannot)?;
                            let file = tmp.as_file_mut();
                            io::Seek::rewind(file).with_context(cannot)?;
                            io::copy(file, &mut dest).with_context(cannot)?;
                            return Ok(());
                        }
                        // Not writable in place (a file of another owner in
                        // a folder of ours): replaced, as before.
                        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {}
                        Err(e) => return Err(e).with_context(cannot),
                    }
                }
                tmp.persist(&self.dest)
                    .map_err(|e| e.error)
                    .with_context(cannot)?;
                Ok(())
            }
        }
    }
}

/// Why no file can be created in `dir` to write `path`, in words that
/// name the folder but not the temporary file (tempfile's own error names
/// it, and it means nothing to the user).
fn cannot_create_in(path: &Path, dir: &Path, kind: io::ErrorKind) -> anyhow::Error {
    let (p, d) = (path.display(), dir.display());
    match kind {
        io::ErrorKind::NotFound => anyhow::anyhow!(
            "{p}: cannot write: the folder {d} does not exist\n  help: create it first, or write somewhere else"
        ),
        io::ErrorKind::NotADirectory => anyhow::anyhow!(
            "{p}: cannot write: {d} is not a folder\n  help: check the path"
        ),
        io::ErrorKind::PermissionDenied => anyhow::anyhow!(
            "{p}: cannot write: no permission to create files in the folder {d}\n  help: write somewhere else, or get write access to {d}"
        ),
        kind => anyhow::anyhow!("{p}: cannot write in the folder {d}: {kind}"),
    }
}

/// How many symbolic links in a row are followed, as Linux's `ELOOP` limit.
const MAX_LINKS: usize = 40;

/// Where a finished temporary file is renamed to: the file at the end of
/// `path`'s chain of symbolic links, which may not exist yet. Renaming onto
/// the link itself would replace the link and leave the file it points to
/// as it was. The temporary file goes beside the end of the chain, so that
/// the rename stays on one file system.
///
/// `None`: a regular file reached through `/dev` or `/proc`, such as
/// `/dev/stdout` redirected to a file, which the shell has open; replacing
/// it would lose what the shell wrote there. It is written in place.
fn rename_target(path: &Path) -> io::Result<Option<PathBuf>> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if is_system_path(&at) {
            return Ok(None);
        }
        // Not a link (or not there yet): this is the file.
        let Ok(link) = std::fs::read_link(&at) else {
            return Ok(Some(at));
        };
        // A relative link is relative to the folder it is in; joining an
        // absolute one replaces the path.
        at = at.parent().unwrap_or(Path::new("")).join(link);
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// `/dev` and `/proc`: devices and the process's own descriptors, never
/// replaced by a rename.
#[cfg(unix)]
fn is_system_path(path: &Path) -> bool {
    path.starts_with("/dev") || path.starts_with("/proc")
}

#[cfg(not(unix))]
fn is_system_path(_path: &Path) -> bool {
    false
}

/// The temporary file that will replace `existing` (or become a new file),
/// with the mode the finished file should have: the mode `existing` has,
/// or for a new file 0666 less the umask, as a shell's `>` would create it.
/// And whether it has `existing`'s owner and group too (always, for a new
/// file); only root can give a file to someone else.
///
/// The umask is never read: umask(2) can only read it by setting it, and
/// another thread creating a file in between would get the wrong mode.
/// Instead a new file's mode, 0666, is given to open(2), which applies the
/// umask itself; and an existing file's mode is set with fchmod(2), which
/// does not apply it, before anything is written.
fn temp_file_in(
    dir: &Path,
    existing: Option<&std::fs::Metadata>,
) -> io::Result<(NamedTempFile, bool)> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".painmap-").suffix(".tmp");
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let tmp = builder.tempfile_in(dir)?;
    #[cfg(unix)]
    if let Some(meta) = existing {
        use std::os::unix::fs::MetadataExt;
        let mine = tmp.as_file().metadata()?;
        let owned = (mine.uid(), mine.gid()) == (meta.uid(), meta.gid())
            || std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid())).is_ok();
        // After the owner: changing it may clear the set-id bits.
        tmp.as_file().set_permissions(meta.permissions())?;
        return Ok((tmp, owned));
    }
    #[cfg(not(unix))]
    let _ = existing;
    Ok((tmp, true))
}

/// Whether the file has another name, a hard link, that a rename onto this
/// one would leave with the old contents.
#[cfg(unix)]
fn has_other_links(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.nlink() > 1
}

#[cfg(not(unix))]
fn has_other_links(_meta: &std::fs::Metadata) -> bool {
    false
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
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    io_error_kind(err) == Some(io::ErrorKind::BrokenPipe)
}

/// The kind of the I/O error in an error's chain, if it has one. The I/O
/// error may come wrapped by the JSON or CSV writer.
fn io_error_kind(err: &anyhow::Error) -> Option<io::ErrorKind> {
    err.chain().find_map(kind_of)
}

/// The I/O error kind of one error, looking inside an `io::Error` that
/// wraps a CSV or JSON error: `?` on a `csv::Error` in a renderer makes
/// one of kind `Other` around it, and `source()` skips the wrapped error
/// itself, so a closed pipe under a long CSV report read as a failure.
fn kind_of(e: &(dyn std::error::Error + 'static)) -> Option<io::ErrorKind> {
    if let Some(io) = e.downcast_ref::<io::Error>() {
        return match io.get_ref() {
            Some(inner) if io.kind() == io::ErrorKind::Other => kind_of(inner).or(Some(io.kind())),
            _ => Some(io.kind()),
        };
    }
    e.downcast_ref::<serde_json::Error>()
        .and_then(serde_json::Error::io_error_kind)
        .or_else(|| {
            e.downcast_ref::<csv::Error>().and_then(|c| match c.kind() {
                csv::ErrorKind::Io(io) => Some(io.kind()),
                _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A closed pipe is one however the writer wrapped it: `?` on a CSV
    /// writer's error makes an `io::Error` of kind `Other` around it.
    #[test]
    fn a_closed_pipe_is_found_inside_wrapped_writer_errors() {
        let pipe = || io::Error::from(io::ErrorKind::BrokenPipe);
        let csv_err = csv::Error::from(pipe());
        let wrapped: io::Error = csv_err.into();
        assert_eq!(wrapped.kind(), io::ErrorKind::Other);
        assert!(is_broken_pipe(&anyhow::Error::from(wrapped)));
        let json: io::Error = serde_json::Error::io(pipe()).into();
        assert!(is_broken_pipe(&anyhow::Error::from(json)));
        assert!(is_broken_pipe(
            &anyhow::Error::from(pipe()).context("writing")
        ));
        let other: io::Error = csv::Error::from(io::Error::other("disk full")).into();
        assert!(!is_broken_pipe(&anyhow::Error::from(other)));
        assert!(!is_broken_pipe(&anyhow::anyhow!("no pipe here")));
    }
}
