//! The parse floor for `painmap rank`: read a CSV with the csv crate and
//! touch its text column once, doing nothing else. bench/run.sh times this
//! beside `painmap rank` on the same file, so the ratio between the two
//! says how much the tagging, scoring and reporting cost on top of reading.
//!
//! ```text
//! cargo run --release --example csv_floor -- feedback.csv
//! ```

use std::fs::File;
use std::io::BufReader;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: csv_floor FILE.csv");
        return ExitCode::from(2);
    };
    match run(&path) {
        Ok((rows, bytes)) => {
            println!("{rows} rows, {bytes} bytes of text");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("csv_floor: {}: {e}", path.to_string_lossy());
            ExitCode::FAILURE
        }
    }
}

fn run(path: &std::ffi::OsStr) -> Result<(u64, u64), Box<dyn std::error::Error>> {
    let file = File::open(path)?;
    let mut reader = csv::Reader::from_reader(BufReader::with_capacity(1 << 18, file));
    let text = reader
        .byte_headers()?
        .iter()
        .position(|h| h == b"text")
        .ok_or("no `text` column in the header")?;
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut bytes) = (0u64, 0u64);
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        // Validate the text as UTF-8, as any tagger must: it reads every
        // byte once, so the compiler cannot skip the work.
        let t = record.get(text).unwrap_or_default();
        bytes += std::str::from_utf8(t).map_or(0, |s| s.len() as u64);
    }
    Ok((rows, bytes))
}
