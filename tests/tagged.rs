//! `rank --tagged` ranks `tag`'s JSON Lines exactly as `rank` ranks the raw
//! export: tagging is a map step that can run anywhere, ranking the reduce.

#[path = "../examples/gen_feedback/synth.rs"]
mod synth;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const AS_OF: &str = synth::AS_OF;

fn painmap(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("painmap").unwrap();
    cmd.current_dir(dir)
        .env_remove("PAINMAP_ROADMAP")
        .env_remove("PAINMAP_AS_OF")
        .env("NO_COLOR", "1");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Vec<u8> {
    painmap(dir)
        .args(args)
        .args(["--as-of", AS_OF])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

/// The report with the one thing a tagged run cannot know, the format
/// each source was read in, taken out (and checked).
fn comparable(json: &[u8], tagged: bool) -> Value {
    let mut r: Value = serde_json::from_slice(json).unwrap();
    for s in r["sources"].as_array_mut().unwrap() {
        if tagged {
            assert_eq!(s["format"], "tagged");
        }
        let s = s.as_object_mut().unwrap();
        s.remove("format");
        s.remove("preset");
    }
    r
}

/// A folder with a generated export, listed in its roadmap as a source of
/// weight 2 (so the weight must survive the round trip too).
fn generated(rows: u64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let cfg = synth::Config::new(rows, 100, 5);
    let mut csv = Vec::new();
    synth::write_feedback(&cfg, &mut csv).unwrap();
    fs::write(dir.path().join("feedback.csv"), csv).unwrap();
    let mut roadmap = Vec::new();
    synth::write_roadmap(&cfg, &mut roadmap).unwrap();
    roadmap.extend_from_slice(b"[[sources]]\npath = \"feedback.csv\"\nweight = 2.0\n");
    fs::write(dir.path().join("roadmap.toml"), roadmap).unwrap();
    dir
}

#[test]
fn tagged_lines_rank_like_the_raw_export() {
    let dir = generated(5_000);
    let raw = run(dir.path(), &["rank", "--format", "json"]);
    let lines = run(dir.path(), &["tag"]);
    let first: Value =
        serde_json::from_slice(lines.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(first["weight"], 2.0);
    assert!(first["segment"].is_string());
    fs::write(dir.path().join("tagged.jsonl"), &lines).unwrap();
    let tagged = run(
        dir.path(),
        &["rank", "--tagged", "tagged.jsonl", "--format", "json"],
    );
    let raw = comparable(&raw, false);
    assert!(raw["features"][0]["customers"].as_u64().unwrap() > 100);
    // `rank` tags only the links of items outside the window, `tag` tags
    // them in full: both must count them alike.
    let outside = raw["totals"]["outside_window"].as_u64().unwrap();
    assert!(outside > 1_000, "{outside} items outside the window");
    assert_eq!(raw, comparable(&tagged, true));
}

#[test]
fn tagging_in_pieces_then_ranking_the_concatenation_matches() {
    let basic = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    let dir = tempfile::tempdir().unwrap();
    let csv = fs::read_to_string(basic.join("feedback.csv")).unwrap();
    let (header, rows) = csv.split_once('\n').unwrap();
    let rows: Vec<&str> = rows.lines().collect();
    let (a, b) = rows.split_at(rows.len() / 2);
    fs::write(
        dir.path().join("a.csv"),
        format!("{header}\n{}\n", a.join("\n")),
    )
    .unwrap();
    fs::write(
        dir.path().join("b.csv"),
        format!("{header}\n{}\n", b.join("\n")),
    )
    .unwrap();
    fs::copy(basic.join("roadmap.toml"), dir.path().join("roadmap.toml")).unwrap();

    let raw = run(dir.path(), &["rank", "a.csv", "b.csv", "--format", "json"]);
    let mut pieces = run(dir.path(), &["tag", "a.csv"]);
    pieces.extend(run(dir.path(), &["tag", "b.csv"]));
    let tagged = painmap(dir.path())
        .args([
            "rank", "--tagged", "-", "--format", "json", "--as-of", AS_OF,
        ])
        .write_stdin(pieces)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(comparable(&raw, false), comparable(&tagged, true));
}

#[test]
fn a_feature_the_roadmap_lacks_names_file_and_line() {
    let dir = generated(20);
    let lines = String::from_utf8(run(dir.path(), &["tag"])).unwrap();
    let mut broken: Vec<String> = lines.lines().map(str::to_string).collect();
    let mut line: Value = serde_json::from_str(&broken[2]).unwrap();
    line["features"] = serde_json::json!(["no-such-feature"]);
    broken[2] = line.to_string();
    fs::write(dir.path().join("t.jsonl"), broken.join("\n")).unwrap();
    painmap(dir.path())
        .args(["rank", "--tagged", "t.jsonl", "--as-of", AS_OF])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "t.jsonl:3: feature `no-such-feature` is not in the roadmap",
        ))
        .stderr(predicate::str::contains("run `painmap tag` again"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn a_line_that_is_not_tag_output_names_file_and_line() {
    let dir = generated(20);
    fs::write(dir.path().join("t.jsonl"), "{\"source\":\"x\"}\nnot json\n").unwrap();
    painmap(dir.path())
        .args(["rank", "--tagged", "t.jsonl", "--as-of", AS_OF])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "t.jsonl:1: not a line of `painmap tag` output",
        ))
        .stderr(predicate::str::contains("panicked").not());
    fs::write(dir.path().join("empty.jsonl"), "").unwrap();
    painmap(dir.path())
        .args(["rank", "--tagged", "empty.jsonl", "--as-of", AS_OF])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("empty.jsonl: no tagged lines"));
}

#[test]
fn tagged_and_feedback_files_together_are_a_usage_error() {
    let dir = generated(20);
    painmap(dir.path())
        .args(["rank", "--tagged", "t.jsonl", "feedback.csv"])
        .assert()
        .code(2);
}

#[test]
fn tag_output_over_several_chunks_is_in_input_order_on_any_thread_count() {
    // More rows than one chunk of the reader (8,192): chunks are tagged
    // while the next is read, and must still come out in order, whole.
    let rows = 20_000;
    let dir = generated(rows);
    let lines = run(dir.path(), &["tag", "--rejects", "rejects.jsonl"]);
    let one = run(dir.path(), &["--threads", "1", "tag"]);
    assert_eq!(lines, one);
    let numbers: Vec<u64> = lines
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            serde_json::from_slice::<Value>(l).unwrap()["line"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]));
    let rejected = fs::read_to_string(dir.path().join("rejects.jsonl"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(numbers.len() + rejected, rows as usize);
}

#[test]
fn themes_over_several_chunks_mine_the_rows_in_input_order() {
    // The command mines a chunk while it reads the next; the result must
    // be what mining every row in order, one at a time, gives.
    let dir = generated(20_000);
    let cli: Value =
        serde_json::from_slice(&run(dir.path(), &["themes", "--format", "json"])).unwrap();
    let text = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap();
    let roadmap =
        painmap::roadmap::Roadmap::parse(&dir.path().join("roadmap.toml"), &text).unwrap();
    let tagger = painmap::tag::Tagger::new(&roadmap).unwrap();
    let mut miner = painmap::themes::ThemeMiner::new(&roadmap);
    let sources = [painmap::ingest::Source::from_arg(
        dir.path().join("feedback.csv").to_str().unwrap(),
        None,
    )];
    let diag = painmap::ingest::Diagnostics::new(true);
    let wanted = painmap::pipeline::wanted_fields(&roadmap);
    let mut scratch = painmap::tag::Scratch::default();
    painmap::pipeline::read_chunks(
        &sources,
        &wanted,
        &diag,
        &mut |items| {
            for item in &items {
                miner.add(item, &tagger.tag(item, &mut scratch));
            }
            Ok(())
        },
        &mut |_| Ok(()),
    )
    .unwrap();
    let expected = serde_json::to_value(miner.finish(10, 2)).unwrap();
    assert!(!expected["themes"].as_array().unwrap().is_empty());
    assert_eq!(cli, expected);
}

#[test]
fn rejects_with_tagged_is_a_usage_error_that_points_to_tag() {
    let dir = generated(20);
    fs::write(dir.path().join("t.jsonl"), run(dir.path(), &["tag"])).unwrap();
    painmap(dir.path())
        .args(["rank", "--tagged", "t.jsonl", "--rejects", "r.jsonl"])
        .args(["--as-of", AS_OF])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "rank --tagged reads only the items `painmap tag` wrote, so the rows worth --rejects are the tag step's",
        ))
        .stderr(predicate::str::contains(
            "painmap tag FEEDBACK --rejects FILE",
        ));
    assert!(!dir.path().join("r.jsonl").exists());
}

#[test]
fn strict_with_tagged_ranks_and_still_stops_at_a_bad_line() {
    // Every line either ranks or stops the run, so --strict changes nothing.
    let dir = generated(20);
    let lines = run(dir.path(), &["tag"]);
    fs::write(dir.path().join("t.jsonl"), &lines).unwrap();
    let plain = run(
        dir.path(),
        &["rank", "--tagged", "t.jsonl", "--format", "json"],
    );
    let strict = run(
        dir.path(),
        &[
            "rank", "--tagged", "t.jsonl", "--strict", "--format", "json",
        ],
    );
    assert_eq!(plain, strict);
    let mut broken = lines.clone();
    broken.extend_from_slice(b"{broken\n");
    fs::write(dir.path().join("t.jsonl"), &broken).unwrap();
    let bad = lines
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .count()
        + 1;
    for strict in [false, true] {
        painmap(dir.path())
            .args(["rank", "--tagged", "t.jsonl", "--as-of", AS_OF])
            .args(strict.then_some("--strict"))
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "t.jsonl:{bad}: not a line of `painmap tag` output"
            )));
    }
}

/// A tagged file written twice over (a map task run again, outputs
/// concatenated twice) ranks as the raw export read twice does: each row
/// once, the repeats rejected with a warning. A BOM before the first line
/// is not part of it.
#[test]
fn repeated_tagged_lines_count_once_like_duplicate_rows() {
    let dir = generated(300);
    let lines = run(dir.path(), &["tag"]);
    let mut twice = b"\xef\xbb\xbf".to_vec();
    twice.extend_from_slice(&lines);
    twice.extend_from_slice(&lines);
    fs::write(dir.path().join("twice.jsonl"), twice).unwrap();
    let out = painmap(dir.path())
        .args([
            "rank",
            "--tagged",
            "twice.jsonl",
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("it counts once"));
    let twice = comparable(&out.get_output().stdout, true);
    // Ranking the lines once ranks like the raw export (tested above);
    // twice gives the same ranking, with the repeats counted as duplicates.
    fs::write(dir.path().join("once.jsonl"), &lines).unwrap();
    let once = comparable(
        &run(
            dir.path(),
            &["rank", "--tagged", "once.jsonl", "--format", "json"],
        ),
        true,
    );
    assert_eq!(twice["features"], once["features"]);
    assert_eq!(twice["matrix"], once["matrix"]);
    let rows = once["totals"]["items"].as_u64().unwrap();
    assert_eq!(twice["totals"]["duplicates"], rows);
    assert_eq!(twice["totals"]["rejected"], 0);
    assert_eq!(twice["totals"]["items"], 2 * rows);
    assert_eq!(twice["totals"]["linked"], once["totals"]["linked"]);
}

#[test]
fn a_number_out_of_the_range_tag_writes_names_file_and_line() {
    let dir = generated(20);
    let lines = String::from_utf8(run(dir.path(), &["tag"])).unwrap();
    let cases = [
        ("pain", serde_json::json!(7.5), "pain 7.5 is outside 0 to 1"),
        (
            "sentiment",
            serde_json::json!(-2),
            "sentiment -2.0 is outside -1 to 1",
        ),
        (
            "value",
            serde_json::json!(1e300),
            "value 1e300 is outside 0 to 1000000000000",
        ),
        (
            "weight",
            serde_json::json!(-1),
            "weight -1.0 is outside 0 to 100",
        ),
        (
            "votes",
            serde_json::json!(10_000_000),
            "votes 10000000.0 is outside 0 to 1000000",
        ),
        (
            "created_at",
            serde_json::json!("1969-07-20T20:17:00Z"),
            "created_at \"1969-07-20T20:17:00Z\" is not a timestamp `painmap tag` writes",
        ),
    ];
    for (field, number, message) in cases {
        let mut edited: Vec<String> = lines.lines().map(str::to_string).collect();
        let mut line: Value = serde_json::from_str(&edited[1]).unwrap();
        assert!(line.get(field).is_some(), "tag writes {field}");
        line[field] = number;
        edited[1] = line.to_string();
        fs::write(dir.path().join("t.jsonl"), edited.join("\n")).unwrap();
        painmap(dir.path())
            .args(["rank", "--tagged", "t.jsonl", "--as-of", AS_OF])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("t.jsonl:2: {message}")))
            .stderr(predicate::str::contains("panicked").not());
    }
    // The untouched lines still rank.
    fs::write(dir.path().join("t.jsonl"), &lines).unwrap();
    painmap(dir.path())
        .args(["rank", "--tagged", "t.jsonl", "--as-of", AS_OF])
        .assert()
        .success();
}
