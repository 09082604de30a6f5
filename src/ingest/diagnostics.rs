//! Per-row warnings on stderr, grouped so that one bad export cannot flood
//! the terminal: the first 20 of each kind are printed, the rest counted.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Mutex;

/// How many warnings of one kind are shown before the rest are only counted.
pub const SHOWN_PER_KIND: u64 = 20;

/// How many rows, and the first line.
type Tally = (u64, u64);

#[derive(Debug, Default)]
pub struct Diagnostics {
    quiet: bool,
    counts: Mutex<BTreeMap<&'static str, u64>>,
    /// (what, source) → (how many, first line): benign problems told once
    /// per source.
    tallies: Mutex<BTreeMap<(&'static str, String), Tally>>,
}

impl Diagnostics {
    pub fn new(quiet: bool) -> Diagnostics {
        Diagnostics {
            quiet,
            counts: Mutex::new(BTreeMap::new()),
            tallies: Mutex::new(BTreeMap::new()),
        }
    }

    /// Reports a problem with one row. `message` may quote the row, so it is
    /// stripped of control characters before it reaches the terminal.
    pub fn warn(&self, kind: &'static str, location: &str, message: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let n = counts.entry(kind).or_insert(0);
        *n += 1;
        if !self.quiet && *n <= SHOWN_PER_KIND {
            let _ = writeln!(
                std::io::stderr(),
                "warning: {}: {}",
                crate::report::sanitize::terminal(location),
                crate::report::sanitize::terminal(message)
            );
        }
    }

    /// Counts a benign per-row problem, reported once per source by
    /// [`finish`](Self::finish).
    pub fn tally(&self, what: &'static str, source: &str, line: u64) {
        let mut t = self.tallies.lock().unwrap_or_else(|e| e.into_inner());
        let e = t.entry((what, source.to_string())).or_insert((0, line));
        e.0 += 1;
        e.1 = e.1.min(line);
    }

    /// A warning about the run, not a row: always shown unless quiet.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            let _ = writeln!(
                std::io::stderr(),
                "warning: {}",
                crate::report::sanitize::terminal(message)
            );
        }
    }

    /// How many warnings of each kind were raised.
    pub fn counts(&self) -> BTreeMap<&'static str, u64> {
        self.counts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Prints how many warnings of each kind were not shown.
    pub fn finish(&self) {
        if self.quiet {
            return;
        }
        for ((what, source), (n, first)) in self
            .tallies
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
        {
            let _ = writeln!(
                std::io::stderr(),
                "warning: {}:{first}: {n} {} with {what} (the first on this line), counted as rejected",
                crate::report::sanitize::terminal(source),
                if *n == 1 { "row" } else { "rows" }
            );
        }
        for (kind, n) in self.counts() {
            if n > SHOWN_PER_KIND {
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: {} not shown ({n} in all)",
                    crate::plural::count(n - SHOWN_PER_KIND, &format!("more `{kind}` warning"))
                );
            }
        }
    }
}
