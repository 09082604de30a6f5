//! Per-row warnings on stderr, grouped so that one bad export cannot flood
//! the terminal: the first 20 of each kind are printed, the rest counted.
//!
//! While rows wait in line for their duplicate check, their warnings wait
//! with them ([`Diagnostics::hold`]): so warnings come out in input order,
//! and a run that `--strict` stops at a row says nothing about the rows
//! read ahead of it.

use std::collections::{BTreeMap, VecDeque};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    held: Mutex<Held>,
    /// How many notes were ever held: a row read notes it, and when the
    /// row's turn comes, the notes up to there are let out.
    held_total: AtomicUsize,
    /// How many held notes were let out or dropped. Changed only under the
    /// `held` lock, read without it: most rows have nothing to let out.
    released_total: AtomicUsize,
}

/// Notes held back while [`Diagnostics::hold`] is on.
#[derive(Debug, Default)]
struct Held {
    on: bool,
    queue: VecDeque<Note>,
}

#[derive(Debug)]
enum Note {
    Warn {
        kind: &'static str,
        location: String,
        message: String,
    },
    Tally {
        what: &'static str,
        source: String,
        line: u64,
    },
}

impl Diagnostics {
    pub fn new(quiet: bool) -> Diagnostics {
        Diagnostics {
            quiet,
            ..Diagnostics::default()
        }
    }

    /// Holds back row warnings and tallies from now on, until
    /// [`release`](Self::release) lets them out in order or
    /// [`stop_holding`](Self::stop_holding) drops the rest.
    pub fn hold(&self) {
        self.held.lock().unwrap_or_else(|e| e.into_inner()).on = true;
    }

    /// How many notes were ever held: where the notes of the rows read so
    /// far end.
    pub fn held_mark(&self) -> usize {
        self.held_total.load(Ordering::Relaxed)
    }

    /// Lets out the held notes, in order, up to `mark` (a
    /// [`held_mark`](Self::held_mark)).
    pub fn release(&self, mark: usize) {
        if mark <= self.released_total.load(Ordering::Relaxed) {
            return;
        }
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        while self.released_total.load(Ordering::Relaxed) < mark {
            let Some(note) = held.queue.pop_front() else {
                break;
            };
            self.released_total.fetch_add(1, Ordering::Relaxed);
            match note {
                Note::Warn {
                    kind,
                    location,
                    message,
                } => self.emit(kind, &location, &message),
                Note::Tally { what, source, line } => self.count_tally(what, &source, line),
            }
        }
    }

    /// Drops the notes still held (rows that were read but never had their
    /// turn) and stops holding.
    pub fn stop_holding(&self) {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        self.released_total
            .fetch_add(held.queue.len(), Ordering::Relaxed);
        held.queue.clear();
        held.on = false;
    }

    /// Holds the note `make` makes if holding is on, and says whether it
    /// did.
    fn hold_note(&self, make: impl FnOnce() -> Note) -> bool {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        if held.on {
            held.queue.push_back(make());
            self.held_total.fetch_add(1, Ordering::Relaxed);
        }
        held.on
    }

    /// Reports a problem with one row. `message` may quote the row, so it is
    /// stripped of control characters before it reaches the terminal.
    pub fn warn(&self, kind: &'static str, location: &str, message: &str) {
        let held = self.hold_note(|| Note::Warn {
            kind,
            location: location.to_string(),
            message: message.to_string(),
        });
        if !held {
            self.emit(kind, location, message);
        }
    }

    /// [`warn`](Self::warn), never held: for a problem found as a row has
    /// its turn (a duplicate), when the notes before it are out.
    pub fn warn_now(&self, kind: &'static str, location: &str, message: &str) {
        self.emit(kind, location, message);
    }

    fn emit(&self, kind: &'static str, location: &str, message: &str) {
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
        let held = self.hold_note(|| Note::Tally {
            what,
            source: source.to_string(),
            line,
        });
        if !held {
            self.count_tally(what, source, line);
        }
    }

    fn count_tally(&self, what: &'static str, source: &str, line: u64) {
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
