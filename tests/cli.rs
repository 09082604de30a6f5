//! Runs the painmap binary on fixture folders: success paths in every
//! format, and every documented error with its message and exit code.

mod common;

use common::fixtures;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const AS_OF: &str = "2026-11-01";

/// The binary, run in `dir`, in the tests' fixed environment.
fn painmap(dir: &Path) -> Command {
    common::painmap_in(dir, 160)
}

fn basic() -> PathBuf {
    fixtures().join("basic")
}

fn json_report(dir: &Path, extra: &[&str]) -> Value {
    let out = painmap(dir)
        .args(["rank", "--format", "json", "--as-of", AS_OF])
        .args(extra)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

/// A temporary folder holding a copy of the basic roadmap and the given files.
fn scratch(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let roadmap = fs::read_to_string(basic().join("roadmap.toml")).unwrap();
    let roadmap = roadmap.split("[[sources]]").next().unwrap().to_string();
    fs::write(dir.path().join("roadmap.toml"), roadmap).unwrap();
    for (name, content) in files {
        fs::write(dir.path().join(name), content).unwrap();
    }
    dir
}

#[test]
fn rank_json_follows_the_schema() {
    let r = json_report(&basic(), &[]);
    assert_eq!(r["schema_version"], 1);
    assert_eq!(r["product"], "Testboard");
    assert_eq!(r["as_of"], AS_OF);
    assert_eq!(r["model"], "pain-value");
    let t = &r["totals"];
    assert_eq!(t["items"], 10);
    assert_eq!(
        t["items"].as_u64(),
        Some(
            t["linked"].as_u64().unwrap()
                + t["unlinked"].as_u64().unwrap()
                + t["rejected"].as_u64().unwrap()
        )
    );
    let features = r["features"].as_array().unwrap();
    assert_eq!(features.len(), 3);
    // Enterprise customers blocked on SSO outrank everything else.
    assert_eq!(features[0]["id"], "sso");
    assert_eq!(features[0]["rank"], 1);
    // The customer who wrote twice counts once; the "sso tax" item is excluded.
    assert_eq!(features[0]["customers"], 2);
    assert_eq!(features[0]["mentions"], 3);
    assert_eq!(features[0]["top_persona"], "admin");
    assert!(features[0]["breakdown"]["weighted_pain"].as_f64().unwrap() > 0.0);
    let evidence = features[0]["evidence"].as_array().unwrap();
    assert!(!evidence.is_empty() && evidence.len() <= 5);
    assert!(evidence[0]["quote"].as_str().unwrap().len() > 10);
    // Praise does not push dark mode up: one request, one praise.
    let dark = features.iter().find(|f| f["id"] == "dark-mode").unwrap();
    assert_eq!(dark["kinds"]["praise"], 1);
    assert_eq!(
        r["matrix"]["stages"],
        serde_json::json!(["onboarding", "usage", "unknown"])
    );
    assert_eq!(r["unlinked"]["count"], 2);
    assert_eq!(r["sources"][0]["items"], 10);
}

#[test]
fn rank_json_is_byte_identical_across_runs_and_thread_counts() {
    let run = |threads: &str| {
        painmap(&basic())
            .args([
                "rank",
                "--format",
                "json",
                "--as-of",
                AS_OF,
                "--threads",
                threads,
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let a = run("1");
    assert_eq!(a, run("1"));
    assert_eq!(a, run("2"));
}

#[test]
fn row_order_does_not_change_the_ranking() {
    let csv = fs::read_to_string(basic().join("feedback.csv")).unwrap();
    let mut lines: Vec<&str> = csv.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let reversed = format!("{header}\n{}\n", lines.join("\n"));
    let dir = scratch(&[
        ("feedback.csv", csv.as_bytes()),
        ("reversed.csv", reversed.as_bytes()),
    ]);
    let mut a = json_report(dir.path(), &["feedback.csv"]);
    let mut b = json_report(dir.path(), &["reversed.csv"]);
    for r in [&mut a, &mut b] {
        r["sources"][0]["path"] = Value::Null;
        for f in r["features"].as_array_mut().unwrap() {
            for e in f["evidence"].as_array_mut().unwrap() {
                e["source"] = Value::Null;
            }
        }
    }
    assert_eq!(a, b);
}

#[test]
fn rank_table_shows_every_feature_and_the_totals() {
    painmap(&basic())
        .args(["rank", "--as-of", AS_OF])
        .assert()
        .success()
        .stdout(predicate::str::contains("Testboard roadmap"))
        .stdout(predicate::str::contains("sso · Single sign-on"))
        .stdout(predicate::str::contains("dark-mode · Dark mode"))
        .stdout(predicate::str::contains(
            "10 items: 8 linked, 2 unlinked, 0 rejected",
        ))
        .stdout(predicate::str::contains("Journey stage × persona"))
        .stdout(predicate::str::contains("\u{1b}[").not())
        // Every row has as many cells as the header has columns.
        .stdout(predicate::str::is_match(r"pain\s*┆\s*trend\s*┆\s*value\s*┆\s*effort").unwrap());
    let out = painmap(&basic())
        .args(["rank", "--as-of", AS_OF])
        .assert()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let cells = |line: &str| line.matches('┆').count();
    let header = text.lines().find(|l| l.contains("feature")).unwrap();
    let ranking = text
        .lines()
        .skip_while(|l| !l.contains("feature"))
        .take_while(|l| !l.starts_with('└'));
    for row in ranking.filter(|l| l.contains(" · ")) {
        assert_eq!(cells(row), cells(header), "{row}");
    }
}

/// Feedback that stops weeks before `--as-of` makes every trend look like
/// a fall: the run says so, names the newest item's day and the flag to
/// pass, and still ranks.
#[test]
fn an_export_older_than_the_as_of_date_is_pointed_out() {
    // The newest item of the basic fixture is from 2026-10-30.
    let stale = "warning: the newest item up to --as-of 2026-12-02 is from 2026-10-30, 33 days \
                 earlier: none is from the trend's last 30 days, so every trend shows a fall; \
                 if the export ends on 2026-10-30, rank with --as-of 2026-10-30\n";
    painmap(&basic())
        .args(["rank", "--as-of", "2026-12-02"])
        .assert()
        .success()
        .stderr(stale)
        .stdout(predicate::str::contains("sso · Single sign-on"));
    painmap(&basic())
        .args(["rank", "--as-of", "2026-11-12"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "is from 2026-10-30, 13 days earlier: only 17 days of the trend's last 30 hold feedback",
        ));
    // Within a quarter of the trend's days of the newest item: silent.
    for as_of in ["2026-10-30", "2026-11-06"] {
        painmap(&basic())
            .args(["rank", "--as-of", as_of])
            .assert()
            .success()
            .stderr(predicate::str::is_empty());
    }
    painmap(&basic())
        .args(["--quiet", "rank", "--as-of", "2026-12-02"])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

/// An `--as-of` before every item (a typo in the year) scores nothing: the
/// run and `check` say so, instead of an all-zero ranking in silence.
#[test]
fn an_as_of_date_before_every_item_is_pointed_out() {
    let none = "all 10 dated items are after --as-of 2020-01-01 (the first is from 2026-09-01), \
                so nothing is scored and every score is 0";
    painmap(&basic())
        .args(["rank", "--as-of", "2020-01-01"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("warning: {none}")));
    painmap(&basic())
        .args(["check", "--as-of", "2020-01-01"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "warning: roadmap.toml: {none}"
        )));
    // One item up to --as-of is enough to score: no such warning.
    painmap(&basic())
        .args(["rank", "--as-of", "2026-09-01"])
        .assert()
        .success()
        .stderr(predicate::str::contains("nothing is scored").not());
}

/// The `created_at` of each item `tag` writes for `file`, with `extra` flags.
fn tagged_dates(dir: &Path, extra: &[&str], file: &str) -> (Vec<String>, String) {
    let out = painmap(dir)
        .args(["tag", "--as-of", AS_OF])
        .args(extra)
        .arg(file)
        .assert()
        .success()
        .get_output()
        .clone();
    let dates = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["created_at"].as_str().unwrap()[..10].to_string()
        })
        .collect();
    (dates, String::from_utf8(out.stderr).unwrap())
}

/// `07/11/2026` is July in a US export and November in most others. A
/// date that works one way only is read that way, and the run says when
/// the rest may have been read the wrong way and how to choose.
#[test]
fn slash_dates_that_could_be_either_way_are_pointed_out_and_chosen() {
    let day_first = b"id,created_at,customer_email,text\n\
        1,07/10/2026,a@x.example,the export fails\n\
        2,08/10/2026,b@x.example,sso please\n\
        3,14/10/2026,c@x.example,the export crashes\n";
    let dir = scratch(&[("eu.csv", day_first), ("us.csv", b"id,created_at,customer_email,text\n1,07/10/2026,a@x.example,the export fails\n2,10/14/2026,b@x.example,sso please\n")]);
    let (dates, err) = tagged_dates(dir.path(), &[], "eu.csv");
    assert_eq!(dates, ["2026-07-10", "2026-08-10", "2026-10-14"]);
    assert_eq!(
        err,
        "warning: eu.csv:2: 1 date can only be day-first (the first \"14/10/2026\" on line 4), \
         but 2 dates that could be either (the first \"07/10/2026\") were read month-first; \
         if the export writes them day-first, set date_order = \"day-first\" on the source in \
         roadmap.toml, or pass --date-order day-first\n"
    );
    let (dates, err) = tagged_dates(dir.path(), &["--date-order", "day-first"], "eu.csv");
    assert_eq!(dates, ["2026-10-07", "2026-10-08", "2026-10-14"]);
    assert_eq!(err, "");
    // A US export that shows its order needs no warning.
    let (dates, err) = tagged_dates(dir.path(), &[], "us.csv");
    assert_eq!(dates, ["2026-07-10", "2026-10-14"]);
    assert_eq!(err, "");
    // The order set on a roadmap source.
    let roadmap = dir.path().join("roadmap.toml");
    let mut text = fs::read_to_string(&roadmap).unwrap();
    text.push_str("\n[[sources]]\npath = \"eu.csv\"\ndate_order = \"day-first\"\n");
    fs::write(&roadmap, text).unwrap();
    let out = painmap(dir.path())
        .args(["tag", "--as-of", AS_OF])
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("\"created_at\":\"2026-10-07T00:00:00Z\""));
}

#[test]
fn no_command_means_rank() {
    let a = painmap(&basic())
        .args(["--as-of", AS_OF])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let b = painmap(&basic())
        .args(["rank", "--as-of", AS_OF])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(a, b);
}

#[test]
fn rank_csv_has_a_row_per_feature() {
    let out = painmap(&basic())
        .args(["rank", "--format", "csv", "--as-of", AS_OF])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "rank");
    assert_eq!(&headers[1], "id");
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][1], "sso");
}

#[test]
fn rank_markdown_is_a_report() {
    painmap(&basic())
        .args(["rank", "--format", "markdown", "--as-of", AS_OF])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("# Testboard roadmap"))
        .stdout(predicate::str::contains("| 1 | Single sign-on (`sso`) |"))
        .stdout(predicate::str::contains("## Journey stage × persona"))
        .stdout(predicate::str::contains("## Evidence"));
}

#[test]
fn model_flag_switches_to_rice() {
    let r = json_report(&basic(), &["--model", "rice"]);
    assert_eq!(r["model"], "rice");
    let b = &r["features"][0]["breakdown"];
    for term in ["reach", "impact", "confidence", "effort"] {
        assert!(b[term].is_number(), "{term} missing from {b}");
    }
}

#[test]
fn output_file_is_written_atomically() {
    let dir = scratch(&[(
        "feedback.csv",
        &fs::read(basic().join("feedback.csv")).unwrap(),
    )]);
    let out = dir.path().join("report.json");
    painmap(dir.path())
        .args([
            "rank",
            "feedback.csv",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let r: Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    assert_eq!(r["totals"]["items"], 10);
    // No temporary file is left behind.
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_failed_run_leaves_the_previous_output_untouched() {
    let dir = scratch(&[("bad.csv", b"id,date,score\n1,2026-01-01,3\n")]);
    let out = dir.path().join("report.json");
    fs::write(&out, "previous report").unwrap();
    painmap(dir.path())
        .args([
            "rank", "bad.csv", "--format", "json", "--as-of", AS_OF, "-o",
        ])
        .arg(&out)
        .assert()
        .code(1);
    assert_eq!(fs::read_to_string(&out).unwrap(), "previous report");
}

#[test]
fn generic_headers_work_without_sources_or_configuration() {
    let dir = scratch(&[(
        "generic.csv",
        &fs::read(fixtures().join("generic.csv")).unwrap(),
    )]);
    let r = json_report(dir.path(), &["generic.csv"]);
    assert_eq!(r["totals"]["items"], 3);
    assert_eq!(r["totals"]["linked"], 2);
    assert_eq!(r["sources"][0]["format"], "csv");
    let ids: Vec<&str> = r["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
}

#[test]
fn reads_stdin() {
    let dir = scratch(&[]);
    let r: Value = serde_json::from_slice(
        &painmap(dir.path())
            .args(["rank", "-", "--format", "json", "--as-of", AS_OF])
            .write_stdin(fs::read(fixtures().join("generic.csv")).unwrap())
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .unwrap();
    assert_eq!(r["totals"]["items"], 3);
    assert_eq!(r["sources"][0]["path"], "<stdin>");
}

#[test]
fn reads_json_lines_and_json_arrays() {
    let dir = scratch(&[
        (
            "reviews.jsonl",
            &fs::read(fixtures().join("reviews.jsonl")).unwrap(),
        ),
        (
            "reviews.json",
            &fs::read(fixtures().join("reviews.json")).unwrap(),
        ),
    ]);
    let r = json_report(dir.path(), &["reviews.jsonl", "reviews.json"]);
    assert_eq!(r["totals"]["items"], 5);
    assert_eq!(r["sources"][0]["format"], "jsonl");
    assert_eq!(r["sources"][1]["format"], "json");
    let sso = r["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "sso")
        .unwrap();
    // Nested author.email is found and lower-cased.
    assert_eq!(sso["evidence"][0]["customer"], "ann@bigco.test");
}

#[test]
fn tag_writes_one_json_object_per_item_in_order() {
    let out = painmap(&basic())
        .args(["tag", "--as-of", AS_OF])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 10);
    let first = &lines[0];
    for key in [
        "source",
        "id",
        "line",
        "customer",
        "account",
        "created_at",
        "features",
        "stage",
        "persona",
        "kind",
        "sentiment",
        "pain",
        "value",
    ] {
        assert!(first.get(key).is_some(), "{key} missing from {first}");
    }
    assert_eq!(first["id"], "1");
    assert_eq!(first["line"], 2);
    assert_eq!(first["features"], serde_json::json!(["sso"]));
    assert_eq!(first["stage"], "onboarding");
    assert_eq!(lines[4]["kind"], "praise");
    assert_eq!(lines[4]["pain"], 0.0);
    assert_eq!(
        lines[6]["features"],
        serde_json::json!([]),
        "the sso tax exclude vetoes the link"
    );
}

#[test]
fn tag_csv_parses_back() {
    let out = painmap(&basic())
        .args(["tag", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut r = csv::Reader::from_reader(out.as_slice());
    assert_eq!(r.records().count(), 10);
}

// ---- errors: message, exit code, no panic ---------------------------------

fn fails(dir: &Path, args: &[&str], code: i32, messages: &[&str]) {
    let mut assert = painmap(dir).args(args).assert().code(code);
    for m in messages {
        assert = assert.stderr(predicate::str::contains(*m));
    }
    assert.stderr(predicate::str::contains("panicked").not());
}

#[test]
fn missing_roadmap() {
    let dir = tempfile::tempdir().unwrap();
    fails(
        dir.path(),
        &["rank"],
        1,
        &["roadmap.toml: roadmap not found", "--roadmap"],
    );
}

#[test]
fn toml_syntax_error_names_line_and_column() {
    let dir = scratch(&[]);
    fs::write(dir.path().join("broken.toml"), "[product]\nname = \"x\n").unwrap();
    fails(
        dir.path(),
        &["rank", "-r", "broken.toml"],
        1,
        &["broken.toml:2:"],
    );
}

#[test]
fn unknown_key_lists_the_valid_keys() {
    let dir = scratch(&[]);
    let src = fs::read_to_string(dir.path().join("roadmap.toml"))
        .unwrap()
        .replace("effort = 2", "efort = 2");
    fs::write(dir.path().join("roadmap.toml"), src).unwrap();
    fails(
        dir.path(),
        &["rank", "x.csv"],
        1,
        &["roadmap.toml:37:1", "unknown field `efort`", "`effort`"],
    );
}

#[test]
fn unknown_stage_id_suggests_the_close_one() {
    let dir = scratch(&[]);
    let src = fs::read_to_string(dir.path().join("roadmap.toml"))
        .unwrap()
        .replace("stage = \"onboarding\"", "stage = \"onbording\"");
    fs::write(dir.path().join("roadmap.toml"), src).unwrap();
    fails(
        dir.path(),
        &["rank", "x.csv"],
        1,
        &[
            "roadmap.toml:35:9",
            "unknown stage `onbording`",
            "valid stages: onboarding, usage",
            "did you mean `onboarding`",
        ],
    );
}

#[test]
fn unknown_persona_id() {
    let dir = scratch(&[]);
    let src = fs::read_to_string(dir.path().join("roadmap.toml"))
        .unwrap()
        .replace("personas = [\"member\"]", "personas = [\"members\"]");
    fs::write(dir.path().join("roadmap.toml"), src).unwrap();
    fails(
        dir.path(),
        &["rank", "x.csv"],
        1,
        &["unknown persona `members`", "valid personas: admin, member"],
    );
}

#[test]
fn no_text_column_lists_the_headers() {
    let dir = scratch(&[("nums.csv", b"id,date,score\n1,2026-01-01,3\n")]);
    fails(
        dir.path(),
        &["rank", "nums.csv"],
        1,
        &[
            "nums.csv:1: no text column",
            "\"id\", \"date\", \"score\"",
            "[sources.columns]",
        ],
    );
}

#[test]
fn every_column_override_the_export_lacks_is_named_with_what_to_do() {
    let dir = scratch(&[("fb.csv", b"id,text\n1,export broken\n")]);
    let roadmap = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap()
        + "\n[[sources]]\npath = \"fb.csv\"\n[sources.columns]\ncustomer = \"Email\"\nvalue = \"ARR\"\n";
    fs::write(dir.path().join("roadmap.toml"), roadmap).unwrap();
    fails(
        dir.path(),
        &["rank"],
        1,
        &[
            "fb.csv:1: [sources.columns] customer = \"Email\", value = \"ARR\", but the export has no such columns; its headers are: \"id\", \"text\"",
            "help: name a header of the export",
        ],
    );
}

#[test]
fn unterminated_quote_is_malformed_csv() {
    let dir = scratch(&[(
        "bad.csv",
        b"id,text,rating\n1,fine,3\n2,\"never closed,4\n3,more,5\n4,rows,1\n",
    )]);
    fails(
        dir.path(),
        &["rank", "bad.csv"],
        1,
        &["bad.csv:3: malformed CSV", "never closed"],
    );
    // With as many fields as the header, the swallowed rows look like one
    // long last field; the file does not end with the closing quote.
    let dir = scratch(&[
        (
            "last.csv",
            b"id,text\n1,ok\n2,\"export broken\n3,sso\n4,ok\n",
        ),
        // Closed multi-line fields, a trailing row of empty cells and
        // blank lines are fine.
        (
            "closed.csv",
            b"id,text\n1,\"export\nbroken\"\n2,\"sso\nplease\"\n,\n\n",
        ),
    ]);
    fails(
        dir.path(),
        &["tag", "last.csv"],
        1,
        &["last.csv:3: malformed CSV", "never closed"],
    );
    painmap(dir.path())
        .args(["tag", "closed.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"line\":4"));
}

/// A quote left open and closed again by a quote in a later row makes one
/// row of the rows between, with as many fields as the header: the row is
/// rejected (with the line inside it that reads like a row), not ranked as
/// one item that mentions everything.
#[test]
fn a_quote_closed_rows_later_rejects_the_row_it_made() {
    let dir = scratch(&[
        (
            "open.csv",
            b"id,created_at,text\n1,2026-11-01,\"the sso is broken\n2,2026-11-02,export fails\n\
              3,2026-11-03,slack is \"down\"\n4,2026-11-04,export ok\n",
        ),
        (
            "doubled.csv",
            b"id,created_at,text\n1,2026-11-01,\"the sso is broken\n2,2026-11-02,export fails\n\
              3,2026-11-03,slack down \"\"\n",
        ),
        // A comment over several lines, commas and numbers and all, that
        // does not start like a row: one item.
        (
            "prose.csv",
            b"id,created_at,text\n1,2026-11-01,\"Hi,\nwe export daily, weekly, monthly\n\
              2 things: sso, then export,\n2026 roadmap, please\"\n2,2026-11-02,sso\n",
        ),
    ]);
    for file in ["open.csv", "doubled.csv"] {
        let out = painmap(dir.path())
            .args(["rank", "--format", "json", file])
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(
                "{file}:2: a quoted field in this row runs over line 3, which reads like a row of its own"
            )))
            .get_output()
            .clone();
        let r: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["totals"]["rejected"], 1, "{file}: {r}");
        painmap(dir.path())
            .args(["rank", "--strict", file])
            .assert()
            .code(1);
    }
    let out = painmap(dir.path())
        .args(["rank", "--format", "json", "prose.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("reads like a row").not())
        .get_output()
        .clone();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            r["totals"]["items"].clone(),
            r["totals"]["rejected"].clone()
        ),
        (2.into(), 0.into()),
        "{r}"
    );
}

#[test]
fn line_numbers_count_blank_lines_and_multi_line_fields() {
    let dir = scratch(&[
        (
            "lf.csv",
            b"\nid,created_at,text\n1,2026-11-01,\"export\nbroken\"\n\n\n2,someday,sso\n3,2026-11-01\n\n4,tomorrow,ok",
        ),
        (
            "crlf.csv",
            b"\r\nid,created_at,text\r\n1,2026-11-01,\"export\r\nbroken\"\r\n\r\n\r\n2,someday,sso\r\n3,2026-11-01\r\n\r\n4,tomorrow,ok",
        ),
    ]);
    for file in ["lf.csv", "crlf.csv"] {
        painmap(dir.path())
            .args(["tag", file])
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(
                "{file}:7: cannot read the date"
            )))
            .stderr(predicate::str::contains(format!(
                "{file}:8: the row has 2 fields"
            )))
            .stderr(predicate::str::contains(format!(
                "{file}:10: cannot read the date"
            )))
            .stdout(predicate::str::contains("\"line\":3"));
    }
}

#[test]
fn rows_with_the_wrong_field_count_are_rejected_and_counted() {
    let dir = scratch(&[(
        "ragged.csv",
        b"id,text,rating\n1,sso please,3\n2,too,many,fields\n3,export csv,2\n",
    )]);
    let out = painmap(dir.path())
        .args(["rank", "ragged.csv", "--format", "json", "--as-of", AS_OF])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "ragged.csv:3: the row has 4 fields but the header has 3",
        ))
        .get_output()
        .stdout
        .clone();
    let r: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(r["totals"]["rejected"], 1);
    assert_eq!(r["totals"]["items"], 3);
}

#[test]
fn invalid_json_names_the_line() {
    let dir = scratch(&[(
        "bad.json",
        b"[\n {\"text\": \"sso\"},\n {\"text\": \"oops\" \"x\"}\n]\n",
    )]);
    fails(
        dir.path(),
        &["rank", "bad.json"],
        1,
        &["bad.json:3:", "invalid JSON"],
    );
    // A file cut short names the line it ends on, from column 1, and says
    // the export looks cut short.
    let dir = scratch(&[(
        "cut.json",
        b"[\n {\"text\": \"sso\"},\n {\"text\": \"export\"}\n",
    )]);
    fails(
        dir.path(),
        &["rank", "cut.json"],
        1,
        &[
            "cut.json:4:1: invalid JSON: the file ends first (EOF while parsing a list)",
            "help: the export looks cut short",
        ],
    );
}

#[test]
fn a_bad_json_line_is_rejected_and_reading_goes_on() {
    let dir = scratch(&[(
        "some.jsonl",
        b"{\"text\": \"sso please\"}\n{\"text\": broken}\n{\"text\": \"export\"}\n",
    )]);
    let out = painmap(dir.path())
        .args(["rank", "some.jsonl", "--format", "json", "--as-of", AS_OF])
        .assert()
        .success()
        .stderr(predicate::str::contains("some.jsonl:2: invalid JSON"))
        .get_output()
        .stdout
        .clone();
    let r: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(r["totals"]["rejected"], 1);
    assert_eq!(r["totals"]["linked"], 2);
}

#[test]
fn missing_feedback_file_and_directory() {
    let dir = scratch(&[]);
    fails(
        dir.path(),
        &["rank", "nope.csv"],
        1,
        &["nope.csv: file not found"],
    );
    fs::create_dir(dir.path().join("exports")).unwrap();
    fails(
        dir.path(),
        &["rank", "exports"],
        1,
        &["exports: is a directory"],
    );
}

/// A `[[sources]]` file that is not there is named by its line in the
/// roadmap by every command that reads the sources, as `check` names it
/// (rank said only `exports/gone.csv: file not found`); `check` says the
/// line once.
#[test]
fn a_missing_roadmap_source_names_its_line_in_the_roadmap() {
    let dir = scratch(&[]);
    fs::create_dir(dir.path().join("exports")).unwrap();
    let path = dir.path().join("roadmap.toml");
    let mut roadmap = fs::read_to_string(&path).unwrap();
    if !roadmap.ends_with('\n') {
        roadmap.push('\n');
    }
    let line = roadmap.lines().count() + 2;
    let at = format!("roadmap.toml:{line}:8: ");
    fs::write(
        &path,
        format!("{roadmap}[[sources]]\npath = \"exports/gone.csv\"\n"),
    )
    .unwrap();
    let missing = format!("error: {at}exports/gone.csv: file not found");
    for args in [&["rank"][..], &["tag"], &["themes"], &["explain", "sso"]] {
        fails(
            dir.path(),
            args,
            1,
            &[
                &missing,
                "help: fix the [[sources]] path (it is relative to the roadmap's folder) or remove the entry",
            ],
        );
    }
    let out = painmap(dir.path())
        .args(["check", "--as-of", AS_OF])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains(&format!("problem: {at}exports/gone.csv: file not found\n")),
        "{out}"
    );

    // A pattern is not expanded, and the message says so.
    fs::write(
        &path,
        format!("{roadmap}[[sources]]\npath = \"exports/*.csv\"\n"),
    )
    .unwrap();
    fails(
        dir.path(),
        &["rank"],
        1,
        &[
            &format!("error: {at}exports/*.csv: file not found; [[sources]] paths are not glob patterns (* ? [)"),
            "help: list the files, one [[sources]] entry with its own path for each",
        ],
    );
    fails(
        dir.path(),
        &["rank", "exports/*.csv"],
        1,
        &[
            "error: exports/*.csv: file not found; painmap does not expand glob patterns (* ? [)",
            "help: leave the pattern unquoted so that the shell expands it",
        ],
    );
    // A folder that exists with `[` in its name is not a pattern.
    fs::create_dir(dir.path().join("[old]")).unwrap();
    fails(
        dir.path(),
        &["rank", "[old]/a.csv"],
        1,
        &["error: [old]/a.csv: file not found\n  help: check the path"],
    );
    // A folder given as a source says to list its files, at its line.
    fs::write(&path, format!("{roadmap}[[sources]]\npath = \"exports\"\n")).unwrap();
    fails(
        dir.path(),
        &["rank"],
        1,
        &[
            &format!("error: {at}exports: is a directory, not a feedback file"),
            "help: list the export files inside it, one [[sources]] entry with its own path for each",
        ],
    );
}

#[test]
fn empty_and_binary_files() {
    let dir = scratch(&[
        ("empty.csv", b""),
        ("img.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
    ]);
    fails(
        dir.path(),
        &["rank", "empty.csv"],
        1,
        &["empty.csv: the file is empty"],
    );
    fails(
        dir.path(),
        &["rank", "img.csv"],
        1,
        &["img.csv: this looks like a binary file"],
    );
}

#[test]
fn usage_errors_exit_2() {
    fails(
        &basic(),
        &["rank", "--format", "yaml"],
        2,
        &["invalid value 'yaml'"],
    );
    fails(
        &basic(),
        &["rank", "--as-of", "yesterday"],
        2,
        &["--as-of \"yesterday\" is not a date"],
    );
    fails(
        &basic(),
        &["rank", "--preset", "zendsk"],
        2,
        &["unknown preset `zendsk`", "did you mean `zendesk`"],
    );
    // A huge thread count would start that many threads.
    for n in ["0", "257", "99999999999"] {
        fails(
            &basic(),
            &["rank", "--threads", n],
            2,
            &["is not in 1..=256"],
        );
    }
}

#[test]
fn environment_sets_the_roadmap_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = painmap(dir.path())
        .env("PAINMAP_ROADMAP", basic().join("roadmap.toml"))
        .env("PAINMAP_AS_OF", AS_OF)
        .args(["rank", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let r: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(r["as_of"], AS_OF);
    assert_eq!(r["totals"]["items"], 10);
}

#[test]
fn ctrl_c_exits_130_and_leaves_no_partial_output() {
    use std::io::Write as _;
    use std::process::{Command as Std, Stdio};
    let dir = scratch(&[]);
    let out = dir.path().join("tags.jsonl");
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("painmap"))
        .current_dir(dir.path())
        .args(["tag", "-", "-o"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Feed some rows and keep stdin open, so painmap is mid-run, writing.
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"id,text\n1,sso is broken\n2,export please\n")
        .unwrap();
    stdin.flush().unwrap();
    let tmp_exists = || {
        fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
    };
    let started = std::time::Instant::now();
    while !tmp_exists() && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(tmp_exists(), "painmap should be writing its temporary file");
    let status = Std::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = child.wait().unwrap().code();
    drop(stdin);
    assert_eq!(code, Some(130));
    assert!(!tmp_exists(), "the temporary file is removed");
    assert!(!out.exists(), "no partial output");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read as _;
    use std::process::{Command as Std, Stdio};
    let rows: String = (0..20_000)
        .map(|i| format!("{i},the export is broken again and sso too\n"))
        .collect();
    let dir = scratch(&[("many.csv", format!("id,text\n{rows}").as_bytes())]);
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("painmap"))
        .current_dir(dir.path())
        .args(["tag", "many.csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe, as `| head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_shipped_example_ranks_every_feature_reproducibly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = || {
        painmap(root)
            .args(["rank", "--format", "json", "--as-of", AS_OF, "--quiet"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let first = run();
    assert_eq!(first, run(), "byte-identical across runs");
    let r: Value = serde_json::from_slice(&first).unwrap();
    let roadmap = fs::read_to_string(root.join("roadmap.toml")).unwrap();
    let declared = roadmap.matches("[[features]]").count();
    assert!(declared >= 15);
    assert_eq!(r["features"].as_array().unwrap().len(), declared);
    assert!(r["totals"]["items"].as_u64().unwrap() >= 600);
    assert_eq!(r["sources"].as_array().unwrap().len(), 4);
    // Every feature has evidence in the example.
    for f in r["features"].as_array().unwrap() {
        assert!(
            f["mentions"].as_u64().unwrap() > 0,
            "{} has no mentions",
            f["id"]
        );
    }
}

/// A write that fails names the file it was writing.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_names_the_file() {
    for args in [
        &["rank", "-o", "/dev/full"][..],
        &["tag", "-o", "/dev/full"][..],
    ] {
        painmap(&basic())
            .args(args)
            .args(["--as-of", AS_OF])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(
                "error: /dev/full: cannot write: No space left on device",
            ));
    }
}

#[test]
fn output_to_a_device_writes_through_it_and_leaves_it_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let before = fs::metadata("/dev/null").unwrap().file_type();
    assert!(before.is_char_device());
    painmap(&basic())
        .args([
            "rank",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            "-o",
            "/dev/null",
            "--rejects",
            "/dev/null",
        ])
        .assert()
        .success();
    // Renaming a temporary file onto it would have replaced the device.
    assert!(fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
}

// ---- where output goes: permissions, links, folders, stdin and stdout ------

/// The ragged export: three rows, one rejected for its field count.
const RAGGED: &[u8] = b"id,text,rating\n1,sso please,3\n2,too,many,fields\n3,export csv,2\n";

/// The binary run through `sh` with `umask` set first, in `dir`.
#[cfg(unix)]
fn painmap_with_umask(dir: &Path, umask: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.current_dir(dir)
        .env_remove("PAINMAP_ROADMAP")
        .env_remove("PAINMAP_AS_OF")
        .env("NO_COLOR", "1")
        .args(["-c", &format!("umask {umask} && exec \"$0\" \"$@\"")])
        .arg(assert_cmd::cargo::cargo_bin("painmap"));
    cmd
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
#[test]
fn written_files_keep_their_mode_and_new_ones_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch(&[("a.csv", RAGGED)]);
    let p = dir.path();
    let set_mode = |name: &str, m: u32| {
        fs::set_permissions(p.join(name), fs::Permissions::from_mode(m)).unwrap()
    };
    let rank = |umask: &str, extra: &[&str]| {
        painmap_with_umask(p, umask)
            .args(["rank", "a.csv", "--as-of", AS_OF, "--format", "csv"])
            .args(extra)
            .assert()
            .success();
    };
    // New files: 0666 less the umask, as any other program creates them.
    rank("022", &["-o", "new.csv", "--rejects", "new.jsonl"]);
    assert_eq!(mode(&p.join("new.csv")), 0o644);
    assert_eq!(mode(&p.join("new.jsonl")), 0o644);
    rank("077", &["-o", "private.csv"]);
    assert_eq!(mode(&p.join("private.csv")), 0o600);
    // Existing files keep their mode, whatever the umask.
    fs::write(p.join("rep.csv"), "old").unwrap();
    set_mode("rep.csv", 0o664);
    rank("077", &["-o", "rep.csv"]);
    assert_eq!(mode(&p.join("rep.csv")), 0o664);
    assert_ne!(fs::read_to_string(p.join("rep.csv")).unwrap(), "old");
    // rank --write on a shared roadmap leaves it shared.
    set_mode("roadmap.toml", 0o664);
    rank("022", &["--write"]);
    assert!(fs::read_to_string(p.join("roadmap.toml"))
        .unwrap()
        .contains("scored_at"));
    assert_eq!(mode(&p.join("roadmap.toml")), 0o664);
}

#[cfg(unix)]
#[test]
fn a_hard_linked_output_is_rewritten_in_place_and_keeps_its_owner() {
    use std::os::unix::fs::MetadataExt;
    let dir = scratch(&[("a.csv", RAGGED)]);
    let p = dir.path();
    fs::write(p.join("report.csv"), "old").unwrap();
    fs::hard_link(p.join("report.csv"), p.join("alias.csv")).unwrap();
    fs::write(p.join("mine.csv"), "old").unwrap();
    // As root, give the file to another user; a rename would hand it to
    // root. (Not root: chown fails, and only the hard link is checked.)
    let given = std::os::unix::fs::chown(p.join("mine.csv"), Some(1), Some(1)).is_ok();
    let rank = |out: &str| {
        painmap(p)
            .args(["rank", "a.csv", "--as-of", AS_OF, "--format", "csv"])
            .args(["-o", out])
            .assert()
            .success();
    };
    rank("report.csv");
    let report = fs::read_to_string(p.join("report.csv")).unwrap();
    assert!(report.starts_with("rank,"), "{report}");
    // Both names are still one file, with the new contents.
    assert_eq!(fs::read_to_string(p.join("alias.csv")).unwrap(), report);
    assert_eq!(fs::metadata(p.join("report.csv")).unwrap().nlink(), 2);
    rank("mine.csv");
    assert_eq!(fs::read_to_string(p.join("mine.csv")).unwrap(), report);
    if given {
        let meta = fs::metadata(p.join("mine.csv")).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (1, 1));
    }
    // --strict stops at the ragged row, and the rejects file it names
    // still gets that row: through both names.
    painmap(p)
        .args(["rank", "a.csv", "--as-of", AS_OF, "--strict"])
        .args(["--rejects", "report.csv"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--strict stops at the first rejected row",
        ));
    let rejects = fs::read_to_string(p.join("alias.csv")).unwrap();
    assert!(rejects.contains("too,many,fields"), "{rejects}");
    assert_eq!(fs::read_to_string(p.join("report.csv")).unwrap(), rejects);
    let tmp = fs::read_dir(p)
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"));
    assert!(!tmp, "a temporary file is left");
}

#[cfg(unix)]
#[test]
fn writing_through_a_symlink_updates_its_target_and_keeps_the_link() {
    use std::os::unix::fs::symlink;
    let dir = scratch(&[("a.csv", RAGGED)]);
    let p = dir.path();
    fs::create_dir(p.join("real")).unwrap();
    fs::rename(p.join("roadmap.toml"), p.join("real/roadmap.toml")).unwrap();
    symlink("real/roadmap.toml", p.join("roadmap.toml")).unwrap();
    fs::write(p.join("real/report.json"), "old").unwrap();
    symlink("real/report.json", p.join("report.json")).unwrap();
    // A link to a file that does not exist yet: the file is created.
    symlink("real/rejects.jsonl", p.join("rejects.jsonl")).unwrap();
    painmap(p)
        .args([
            "rank", "a.csv", "--as-of", AS_OF, "--write", "--format", "json",
        ])
        .args(["-o", "report.json", "--rejects", "rejects.jsonl"])
        .assert()
        .success();
    for link in ["roadmap.toml", "report.json", "rejects.jsonl"] {
        let meta = fs::symlink_metadata(p.join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link} is still a link");
    }
    assert!(fs::read_to_string(p.join("real/roadmap.toml"))
        .unwrap()
        .contains("scored_at"));
    let report: Value =
        serde_json::from_slice(&fs::read(p.join("real/report.json")).unwrap()).unwrap();
    assert_eq!(report["totals"]["rejected"], 1);
    let rejects = fs::read_to_string(p.join("real/rejects.jsonl")).unwrap();
    assert_eq!(rejects.lines().count(), 1);
    // No temporary file is left beside the links or the targets.
    for folder in [p.to_path_buf(), p.join("real")] {
        let tmp = fs::read_dir(&folder)
            .unwrap()
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"));
        assert!(!tmp, "a temporary file is left in {}", folder.display());
    }
}

#[test]
fn writing_into_a_missing_folder_says_to_create_it() {
    let dir = scratch(&[("a.csv", RAGGED)]);
    let p = dir.path();
    painmap(p)
        .args(["rank", "--as-of", AS_OF, "--format", "json"])
        .arg("-o")
        .arg(p.join("feedback-export.json"))
        .arg("a.csv")
        .assert()
        .success();
    let cases: &[&[&str]] = &[
        &["rank", "a.csv", "-o", "nodir/out.json"],
        &["rank", "a.csv", "--rejects", "nodir/out.json"],
        &["tag", "a.csv", "-o", "nodir/out.json"],
        &["explain", "sso", "a.csv", "-o", "nodir/out.json"],
        &["themes", "a.csv", "-o", "nodir/out.json"],
        &["init", "a.csv", "-o", "nodir/out.json"],
        &[
            "diff",
            "feedback-export.json",
            "feedback-export.json",
            "-o",
            "nodir/out.json",
        ],
    ];
    for args in cases {
        painmap(p)
            .args(*args)
            .args(["--as-of", AS_OF])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(
                "nodir/out.json: cannot write: the folder nodir does not exist",
            ))
            .stderr(predicate::str::contains("help: create it first"))
            .stderr(predicate::str::contains(".tmp").not())
            .stderr(predicate::str::contains(".painmap-").not());
    }
    assert!(!p.join("nodir").exists());
    fs::create_dir(p.join("reports")).unwrap();
    fails(
        p,
        &["rank", "a.csv", "-o", "reports"],
        1,
        &["reports: cannot write: it is a folder", "help: name a file"],
    );
}

/// Two reports of the basic fixture, a month apart, in a scratch folder.
fn two_basic_reports() -> tempfile::TempDir {
    let dir = scratch(&[(
        "feedback.csv",
        &fs::read(basic().join("feedback.csv")).unwrap(),
    )]);
    for (as_of, name) in [("2026-10-01", "old.json"), (AS_OF, "new.json")] {
        painmap(dir.path())
            .args(["rank", "feedback.csv", "--format", "json", "--as-of", as_of])
            .args(["-o", name])
            .assert()
            .success();
    }
    dir
}

#[test]
fn diff_reads_one_report_from_stdin() {
    let dir = two_basic_reports();
    let p = dir.path();
    let expected = painmap(p)
        .args(["diff", "old.json", "new.json", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(!expected.is_empty());
    for args in [["-", "new.json"], ["old.json", "-"]] {
        let stdin = if args[0] == "-" {
            "old.json"
        } else {
            "new.json"
        };
        painmap(p)
            .arg("diff")
            .args(args)
            .args(["--format", "json"])
            .pipe_stdin(p.join(stdin))
            .unwrap()
            .assert()
            .success()
            .stdout(expected.clone());
    }
    fails(p, &["diff", "-", "-"], 2, &["only one of the two reports"]);
}

#[test]
fn diff_names_a_missing_report_or_a_folder_once() {
    let dir = two_basic_reports();
    let p = dir.path();
    fs::create_dir(p.join("reports")).unwrap();
    fails(
        p,
        &["diff", "gone.json", "new.json"],
        1,
        &[
            "gone.json: file not found",
            "help: check the path, or write the report first with `painmap rank --format json -o gone.json`",
        ],
    );
    let out = painmap(p)
        .args(["diff", "reports", "new.json"])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("reports: is a directory, not a report"),
        "{err}"
    );
    assert!(err.contains("help: name the JSON file"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}

#[test]
fn rejects_dash_is_stdout_unless_the_report_is_there_too() {
    let dir = scratch(&[("a.csv", RAGGED)]);
    let p = dir.path();
    let out = painmap(p)
        .args(["rank", "a.csv", "--as-of", AS_OF, "--format", "json"])
        .args(["-o", "report.json", "--rejects", "-"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let lines: Vec<Value> = out
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["line"], 3);
    assert!(!p.join("-").exists(), "no file named -");
    let r: Value = serde_json::from_slice(&fs::read(p.join("report.json")).unwrap()).unwrap();
    assert_eq!(r["totals"]["rejected"], 1);
    // tag writes its lines to a file, and the rejects to stdout.
    painmap(p)
        .args(["tag", "a.csv", "-o", "tags.jsonl", "--rejects", "-"])
        .assert()
        .success()
        .stdout(predicate::str::contains("the row has 4 fields"));
    for args in [
        &["rank", "a.csv", "--rejects", "-"][..],
        &["rank", "a.csv", "--rejects", "-", "-o", "-"],
        &["tag", "a.csv", "--rejects", "-"],
        &["explain", "sso", "a.csv", "--rejects", "-"],
        &["themes", "a.csv", "--rejects", "-"],
        // /dev/stdout and its aliases are stdout too.
        &["tag", "a.csv", "-o", "-", "--rejects", "/dev/stdout"],
        &["rank", "a.csv", "-o", "/dev/fd/1", "--rejects", "-"],
        &["rank", "a.csv", "--rejects", "/proc/self/fd/1"],
    ] {
        fails(
            p,
            args,
            2,
            &["and the rejected rows would both go to stdout", "help:"],
        );
    }
    assert!(!p.join("-").exists(), "no file named -");
}

#[test]
fn check_refuses_rejects_dash_beside_its_report_on_stdout() {
    // check has no -o: its report, text or JSON, is always on stdout, and
    // rejected rows there would interleave with it.
    let dir = scratch(&[("a.csv", RAGGED)]);
    let p = dir.path();
    for format in ["text", "json"] {
        painmap(p)
            .args(["check", "a.csv", "--rejects", "-", "-f", format])
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(
                "error: the report and the rejected rows would both go to stdout\n  help: write the rejected rows to a file: --rejects FILE",
            ));
    }
    // To a file they are written, and the ragged row is its problem (3).
    painmap(p)
        .args(["check", "a.csv", "--rejects", "rejects.jsonl", "-f", "json"])
        .assert()
        .code(3);
    let rejects = fs::read_to_string(p.join("rejects.jsonl")).unwrap();
    assert!(rejects.contains("the row has 4 fields"), "{rejects}");
    assert!(!p.join("-").exists(), "no file named -");
}

#[test]
fn an_output_that_is_an_input_or_another_output_is_a_usage_error() {
    let dir = scratch(&[("a.csv", RAGGED), ("b.csv", RAGGED)]);
    let p = dir.path();
    #[cfg(unix)]
    std::os::unix::fs::symlink("a.csv", p.join("link.csv")).unwrap();
    let roadmap = fs::read_to_string(p.join("roadmap.toml")).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["rank", "a.csv", "-o", "a.csv"],
            "-o a.csv is the feedback file a.csv",
        ),
        (
            &["rank", "a.csv", "-o", "./a.csv"],
            "-o ./a.csv is the feedback file a.csv",
        ),
        (
            &["rank", "a.csv", "--rejects", "a.csv"],
            "--rejects a.csv is the feedback file a.csv",
        ),
        (
            &["rank", "a.csv", "-o", "roadmap.toml"],
            "-o roadmap.toml is the roadmap roadmap.toml",
        ),
        (
            &["rank", "a.csv", "--write", "-o", "roadmap.toml"],
            "-o roadmap.toml is the roadmap roadmap.toml",
        ),
        (
            &["rank", "a.csv", "--rejects", "x.out", "-o", "x.out"],
            "-o x.out and --rejects x.out are the same file",
        ),
        (
            &["tag", "a.csv", "b.csv", "-o", "b.csv"],
            "-o b.csv is the feedback file b.csv",
        ),
        (
            &["explain", "sso", "a.csv", "-o", "a.csv"],
            "-o a.csv is the feedback file a.csv",
        ),
        (
            &["themes", "a.csv", "-o", "a.csv"],
            "-o a.csv is the feedback file a.csv",
        ),
        (
            &["init", "a.csv", "-o", "a.csv", "--force"],
            "-o a.csv is the feedback file a.csv",
        ),
    ];
    for (args, message) in cases {
        fails(p, args, 2, &[message, "help:"]);
    }
    #[cfg(unix)]
    fails(
        p,
        &["rank", "a.csv", "-o", "link.csv"],
        2,
        &["-o link.csv is the feedback file a.csv"],
    );
    assert_eq!(fs::read(p.join("a.csv")).unwrap(), RAGGED);
    assert_eq!(fs::read(p.join("b.csv")).unwrap(), RAGGED);
    assert_eq!(fs::read_to_string(p.join("roadmap.toml")).unwrap(), roadmap);
    assert!(!p.join("x.out").exists());
    // rank --write is meant to update the roadmap.
    painmap(p)
        .args([
            "rank",
            "a.csv",
            "--write",
            "--as-of",
            AS_OF,
            "-o",
            "report.txt",
        ])
        .assert()
        .success();
}

#[test]
fn diff_refuses_to_write_over_a_report_it_reads() {
    let dir = two_basic_reports();
    let p = dir.path();
    let old = fs::read(p.join("old.json")).unwrap();
    fails(
        p,
        &["diff", "old.json", "new.json", "-o", "old.json"],
        2,
        &["-o old.json is the report old.json"],
    );
    assert_eq!(fs::read(p.join("old.json")).unwrap(), old);
}

#[test]
fn the_roadmap_sources_count_as_inputs_too() {
    let dir = scratch(&[("a.csv", RAGGED)]);
    let p = dir.path();
    let mut roadmap = fs::read_to_string(p.join("roadmap.toml")).unwrap();
    roadmap.push_str("\n[[sources]]\npath = \"a.csv\"\n");
    fs::write(p.join("roadmap.toml"), roadmap).unwrap();
    fails(
        p,
        &["rank", "-o", "a.csv"],
        2,
        &["-o a.csv is the feedback file a.csv"],
    );
    assert_eq!(fs::read(p.join("a.csv")).unwrap(), RAGGED);
}

#[test]
fn counts_of_one_are_singular() {
    let one = b"id,created_at,customer,plan,text\n1,2026-10-30,ann@x.test,enterprise,Our SSO login is broken\n";
    let dir = scratch(&[("one.csv", one)]);
    let text = |cmd: &mut Command| -> String {
        let o = cmd.output().unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
    };
    let explain = text(painmap(dir.path()).args(["explain", "sso", "one.csv", "--as-of", AS_OF]));
    assert!(
        explain.contains("Evidence: 1 customer, 1 mention, "),
        "{explain}"
    );
    let impact =
        text(painmap(&basic()).args(["explain", "dark-mode", "-m", "impact", "--as-of", AS_OF]));
    assert!(
        impact.contains("about 1 more customer for whom it is critical, or 3 for whom"),
        "{impact}"
    );

    fs::write(
        dir.path().join("one.toml"),
        "[[features]]\nid = \"sso\"\ntitle = \"Single sign-on\"\nkeywords = [\"sso\"]\neffort = 1\n",
    )
    .unwrap();
    let check =
        text(painmap(dir.path()).args(["check", "-r", "one.toml", "one.csv", "--as-of", AS_OF]));
    assert!(
        check.contains("one.toml: 1 feature, 0 stages, 0 personas; 1 source, 1 item: 1 linked"),
        "{check}"
    );

    let init = dir.path().join("init");
    fs::create_dir(&init).unwrap();
    let said = text(painmap(&init).args(["init", "../one.csv"]));
    assert!(said.contains(" from 1 item\n"), "{said}");
    let written = fs::read_to_string(init.join("roadmap.toml")).unwrap();
    for line in [
        "from 1 export (1 item).",
        "[[personas]]   # 1 item\n",
        "# csv: 1 item, 0 rejected;",
    ] {
        assert!(written.contains(line), "{line:?} in\n{written}");
    }
    for plural in [
        " 1 items",
        " 1 customers",
        " 1 mentions",
        " 1 features",
        " 1 more customers",
    ] {
        for out in [&explain, &impact, &check, &said, &written] {
            assert!(!out.contains(plural), "{plural:?} in\n{out}");
        }
    }
}

#[test]
fn top_zero_is_a_usage_error_not_an_empty_report() {
    for args in [
        &["rank", "--top", "0"][..],
        &["rank", "--compare", "rice,ice", "--top", "0"],
        &["themes", "--top", "0"],
    ] {
        painmap(&basic())
            .args(args)
            .args(["--as-of", "2026-11-01"])
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("it must be 1 or more"));
    }
    painmap(&basic())
        .args([
            "rank",
            "--top",
            "1",
            "--format",
            "csv",
            "--as-of",
            "2026-11-01",
        ])
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| s.lines().count() == 2));
}
