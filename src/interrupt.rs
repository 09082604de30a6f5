//! Ctrl-C: stop with exit code 130 and leave no partial output behind.
//!
//! A report is written to a temporary file that is renamed into place only
//! when complete. The default SIGINT action would kill the process with the
//! temporary file still on disk, so painmap handles the signal: it removes
//! the files being written and exits 130 (128 + SIGINT), as shells expect.

use std::path::PathBuf;
use std::sync::Mutex;

/// Temporary files being written right now.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The exit code of a run stopped by Ctrl-C.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Installs the handler. Harmless to call more than once.
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        let pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        for path in pending.iter() {
            let _ = std::fs::remove_file(path);
        }
        std::process::exit(i32::from(EXIT_INTERRUPTED));
    });
}

/// Registers a temporary file for removal on Ctrl-C until the guard drops.
pub struct Pending(PathBuf);

impl Pending {
    pub fn new(path: PathBuf) -> Pending {
        PENDING
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.clone());
        Pending(path)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let mut pending = PENDING.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|p| *p != self.0);
    }
}
