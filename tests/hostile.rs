//! Hostile and broken input: every case gets a clear message naming the
//! file and line, the right exit code, no panic, and no row goes missing.
//! Text written by strangers cannot inject escapes, formulas or markup.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const AS_OF: &str = "2026-11-01";

fn basic() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic")
}

/// A folder with the basic roadmap (no sources) and the given files.
fn scratch(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let roadmap = fs::read_to_string(basic().join("roadmap.toml")).unwrap();
    fs::write(
        dir.path().join("roadmap.toml"),
        roadmap.split("[[sources]]").next().unwrap(),
    )
    .unwrap();
    for (name, content) in files {
        fs::write(dir.path().join(name), content).unwrap();
    }
    dir
}

/// The binary, run in `dir`, in the tests' fixed environment.
fn painmap(dir: &Path) -> Command {
    let mut cmd = common::painmap_in(dir, 160);
    cmd.arg("--as-of").arg(AS_OF);
    cmd
}

fn no_panic() -> impl predicates::Predicate<str> {
    predicate::str::contains("panicked").not()
}

/// Runs `rank --format json` and returns the report and stderr.
fn report(dir: &Path, args: &[&str]) -> (Value, String) {
    let out = painmap(dir)
        .args(["rank", "--format", "json"])
        .args(args)
        .assert()
        .success()
        .stderr(no_panic());
    let o = out.get_output();
    (
        serde_json::from_slice(&o.stdout).unwrap(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs `tag` and returns its rows.
fn tagged(dir: &Path, args: &[&str]) -> (Vec<Value>, String) {
    let out = painmap(dir)
        .arg("tag")
        .args(args)
        .assert()
        .success()
        .stderr(no_panic());
    let o = out.get_output();
    let rows = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (rows, String::from_utf8_lossy(&o.stderr).into_owned())
}

fn totals_add_up(r: &Value) {
    let t = &r["totals"];
    let n = |k: &str| t[k].as_u64().unwrap();
    assert_eq!(
        n("items"),
        n("linked") + n("unlinked") + n("rejected") + n("duplicates"),
        "{t}"
    );
}

#[test]
fn header_only_file() {
    let dir = scratch(&[("h.csv", b"id,text,rating\n")]);
    painmap(dir.path())
        .args(["rank", "h.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "h.csv:1: the file has a header but no rows",
        ))
        .stderr(predicate::str::contains("help:"))
        .stderr(no_panic());
}

#[test]
fn json_with_no_records_is_an_error_like_an_empty_csv() {
    let dir = scratch(&[
        ("empty.csv", b""),
        ("empty.json", b"[]"),
        ("spread.json", b"[\n\n]\n"),
        ("response.json", b"{\n  \"data\": [],\n  \"links\": {}\n}\n"),
        ("page.json", b"{\"data\": []}\n"),
    ]);
    painmap(dir.path())
        .args(["rank", "empty.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("empty.csv: the file is empty"));
    for (file, what) in [
        ("empty.json", "the JSON array is empty"),
        ("spread.json", "the JSON array is empty"),
        ("response.json", "the response's list of records is empty"),
        // An empty page on one line reads as JSON Lines.
        ("page.json", "no line holds a record"),
    ] {
        for command in ["rank", "tag", "themes"] {
            painmap(dir.path())
                .args([command, file])
                .assert()
                .code(1)
                .stdout(predicate::str::is_empty())
                .stderr(predicate::str::contains(format!(
                    "{file}: the file has no records: {what}"
                )))
                .stderr(predicate::str::contains("help: export a date range"))
                .stderr(no_panic());
        }
    }
    // A preset does not make an empty page a record without text.
    painmap(dir.path())
        .args(["rank", "page.json", "--preset", "app-store"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "page.json: the file has no records: no line holds a record",
        ))
        .stderr(predicate::str::contains("no text").not());
    // From stdin too, and beside a file that has records.
    fs::write(
        dir.path().join("one.json"),
        br#"[{"text": "sso is broken"}]"#,
    )
    .unwrap();
    painmap(dir.path())
        .args(["rank", "one.json", "-"])
        .write_stdin("[ ]")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "<stdin>: the file has no records: the JSON array is empty",
        ));
}

#[test]
fn a_50_mb_field_is_rejected_with_its_line_and_the_rest_is_read() {
    let mut csv = b"id,text\n1,sso is broken\n2,\"".to_vec();
    csv.extend(std::iter::repeat_n(b'x', 50 << 20));
    csv.extend(b"\"\n3,export please\n");
    let dir = scratch(&[("big.csv", &csv)]);
    let (r, stderr) = report(dir.path(), &["big.csv"]);
    assert!(
        stderr.contains("big.csv:3: the text is 52.4 MB"),
        "{stderr}"
    );
    assert_eq!(r["totals"]["rejected"], 1);
    assert_eq!(r["totals"]["linked"], 2);
    totals_add_up(&r);
    painmap(dir.path())
        .args(["rank", "big.csv", "--strict"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("big.csv:3: the text is 52.4 MB"))
        .stderr(predicate::str::contains("--strict"));
}

#[test]
fn nul_bytes() {
    // Early: a binary file. Later, inside a field: stripped from terminals.
    let dir = scratch(&[("early.csv", b"id,text\n1,so\0so\n")]);
    painmap(dir.path())
        .args(["rank", "early.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "early.csv: this looks like a binary file (a NUL byte at byte 12)",
        ));
    let mut late = b"id,text\n".to_vec();
    for i in 0..400 {
        late.extend(format!("{i},plain feedback about nothing in particular\n").as_bytes());
    }
    late.extend(b"900,the export\0 is broken\n");
    let dir = scratch(&[("late.csv", &late)]);
    let (r, _) = report(dir.path(), &["late.csv"]);
    assert_eq!(r["totals"]["items"], 401);
    painmap(dir.path())
        .args(["explain", "export", "late.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\0").not())
        .stdout(predicate::str::contains("the export is broken"));
}

#[test]
fn lone_cr_line_endings() {
    let dir = scratch(&[(
        "mac.csv",
        b"id,text\r1,sso is broken\r2,export please\r3,dark mode\r",
    )]);
    let (rows, _) = tagged(dir.path(), &["mac.csv"]);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["id"], "2");
    assert_eq!(rows[1]["line"], 3);
    assert_eq!(rows[1]["features"], serde_json::json!(["export"]));
}

/// A file whose first line ends with a lone CR is read with CR as the
/// terminator even when CRLF lines follow (a file pasted together from
/// two exports); one that starts with LF and has lone CRs later cannot be
/// read row by row, and the rejection says why and what to do.
#[test]
fn mixed_line_endings_are_read_or_explained() {
    let dir = scratch(&[
        (
            "cr_then_crlf.csv",
            b"id,text\r1,sso is broken\r2,export please\r\n3,dark mode\r\n",
        ),
        (
            "lf_then_cr.csv",
            b"id,created_at,text\n1,2026-11-01,sso is broken\n2,2026-11-02,export please\r3,2026-11-03,dark mode\r",
        ),
    ]);
    let (rows, _) = tagged(dir.path(), &["cr_then_crlf.csv"]);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2]["id"], "3");
    assert_eq!(rows[2]["text"], "dark mode");
    let (rows, stderr) = tagged(dir.path(), &["lf_then_cr.csv"]);
    assert_eq!(rows.len(), 1);
    assert!(
        stderr.contains("lf_then_cr.csv:3: the row has 5 fields but the header has 3; it holds a line break that is a lone CR, so the file mixes line endings"),
        "{stderr}"
    );
    assert!(stderr.contains("tr '\\r' '\\n'"), "{stderr}");
    // The other way round: CR lines, then one that ends with a lone LF.
    let dir = scratch(&[(
        "cr_then_lf.csv",
        b"id,text\r1,sso is broken\r2,export please\n3,dark mode\r",
    )]);
    let (rows, stderr) = tagged(dir.path(), &["cr_then_lf.csv"]);
    assert_eq!(rows.len(), 1);
    assert!(
        stderr.contains("cr_then_lf.csv:3: the row has 3 fields but the header has 2; it holds an LF line break, though the file's first line ends with a lone CR"),
        "{stderr}"
    );
}

#[test]
fn mixed_encodings_are_replaced_and_counted() {
    let dir = scratch(&[(
        "mixed.csv",
        b"id,text\n1,caf\xe9 export is broken\n2,na\xc3\xafve sso\n",
    )]);
    let (rows, stderr) = tagged(dir.path(), &["mixed.csv"]);
    assert_eq!(rows.len(), 2);
    assert!(rows[0]["text"].as_str().unwrap().contains("caf\u{fffd}"));
    assert_eq!(rows[1]["text"], "na\u{ef}ve sso");
    assert!(stderr.contains("mixed.csv:2:"), "{stderr}");
}

#[test]
fn json_array_with_a_trailing_comma() {
    let dir = scratch(&[(
        "t.json",
        b"[\n  {\"text\": \"sso\"},\n  {\"text\": \"export\"},\n]\n",
    )]);
    painmap(dir.path())
        .args(["rank", "t.json"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("t.json:4:1: invalid JSON"))
        .stderr(no_panic());
}

#[test]
fn a_bad_json_line_stops_the_run_under_strict() {
    let dir = scratch(&[(
        "s.jsonl",
        b"{\"text\": \"sso please\"}\n{\"text\": oops}\n{\"text\": \"export\"}\n",
    )]);
    painmap(dir.path())
        .args(["rank", "s.jsonl", "--strict"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "s.jsonl:2: invalid JSON at column 10",
        ))
        .stderr(no_panic());
}

#[test]
fn deeply_nested_json() {
    let deep = "[".repeat(100_000);
    let dir = scratch(&[
        ("deep.json", deep.as_bytes()),
        ("deep.jsonl", format!("{{\"a\":{deep}\n").as_bytes()),
    ]);
    painmap(dir.path())
        .args(["rank", "deep.json"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("deep.json:1:"))
        .stderr(predicate::str::contains("invalid JSON"))
        .stderr(no_panic());
    painmap(dir.path())
        .args(["rank", "deep.jsonl"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("deep.jsonl"))
        .stderr(no_panic());
}

#[test]
fn money_in_every_spelling() {
    let csv = "id,text,account,arr\n1,sso,A,\"1,200\"\n2,sso,B,1.2e3\n3,sso,C,\"€1.200,00\"\n4,sso,D,$1200\n5,sso,E,lots\n";
    let dir = scratch(&[("m.csv", csv.as_bytes())]);
    let (rows, stderr) = tagged(dir.path(), &["m.csv"]);
    for row in &rows[..4] {
        assert_eq!(row["value"], 1200.0, "{row}");
    }
    assert!(rows[4]["value"].is_null());
    assert!(
        stderr.contains("m.csv:6: the account value \"lots\" is not a number"),
        "{stderr}"
    );
}

#[test]
fn negative_and_absurd_ratings_are_ignored_with_a_warning() {
    let csv = "id,text,stars\n1,sso,-3\n2,sso,4000\n3,sso,5\n";
    let dir = scratch(&[("r.csv", csv.as_bytes())]);
    let (rows, stderr) = tagged(dir.path(), &["r.csv"]);
    assert_eq!(rows.len(), 3);
    assert!(rows[0]["rating"].is_null() && rows[1]["rating"].is_null());
    assert_eq!(rows[2]["rating"], 1.0);
    assert!(
        stderr.contains("r.csv:2: the rating -3 is off the stars scale"),
        "{stderr}"
    );
    assert!(
        stderr.contains("r.csv:3: the rating 4000 is off the stars scale"),
        "{stderr}"
    );
}

#[test]
fn dates_from_the_year_0_and_9999() {
    let csv = "id,text,created_at\n1,sso,0000-01-01\n2,sso,9999-12-31\n3,sso,2026-10-01\n";
    let dir = scratch(&[("d.csv", csv.as_bytes())]);
    let (rows, stderr) = tagged(dir.path(), &["d.csv"]);
    assert!(rows[0]["created_at"].is_null() && rows[1]["created_at"].is_null());
    assert_eq!(rows[2]["created_at"], "2026-10-01T00:00:00Z");
    assert!(
        stderr.contains("d.csv:2: the date \"0000-01-01\" is in the year 0"),
        "{stderr}"
    );
    assert!(
        stderr.contains("d.csv:3: the date \"9999-12-31\" is in the year 9999"),
        "{stderr}"
    );
}

#[test]
fn warnings_are_grouped_after_twenty() {
    let rows: String = (0..50).map(|i| format!("{i},sso,someday\n")).collect();
    let dir = scratch(&[("w.csv", format!("id,text,date\n{rows}").as_bytes())]);
    let (_, stderr) = report(dir.path(), &["w.csv"]);
    assert_eq!(
        stderr.matches("cannot read the date").count(),
        20,
        "{stderr}"
    );
    assert!(
        stderr.contains("30 more `unparseable date` warnings not shown (50 in all)"),
        "{stderr}"
    );
}

#[test]
fn duplicates_count_once_and_rejects_are_written() {
    let csv = "id,customer,text\n1,ann@a.test,sso is broken\n2,bob@b.test,export please\n1,ann@a.test,sso is broken\n3,bob@b.test,Export  PLEASE\n4,cy@c.test,too,many\n";
    let dir = scratch(&[("dup.csv", csv.as_bytes())]);
    let (r, stderr) = report(dir.path(), &["dup.csv", "--rejects", "rejects.jsonl"]);
    assert_eq!(r["totals"]["items"], 5);
    // Two copies and one malformed row: duplicates are not rejected, but
    // the rejects file lists them with their reason.
    assert_eq!(r["totals"]["rejected"], 1);
    assert_eq!(r["totals"]["duplicates"], 2);
    totals_add_up(&r);
    assert!(
        stderr.contains("dup.csv:4: duplicate id 1 (first at line 2); it counts once"),
        "{stderr}"
    );
    assert!(
        stderr.contains("dup.csv:5: the same text from the same customer as dup.csv:3"),
        "{stderr}"
    );
    let rejects: Vec<Value> = fs::read_to_string(dir.path().join("rejects.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rejects.len(), 3);
    assert_eq!(rejects[0]["source"], "dup.csv");
    assert_eq!(rejects[0]["line"], 4);
    assert!(
        rejects[2]["reason"]
            .as_str()
            .unwrap()
            .contains("4 fields but the header has 3"),
        "{}",
        rejects[2]
    );
    assert_eq!(rejects[2]["row"], "4,cy@c.test,too,many");
}

/// Anonymous reviews carry only an id: a copy of them in a second export
/// counts once, while another store's reviews whose ids collide with them
/// are other reviews.
#[test]
fn a_copy_of_anonymous_rows_in_another_export_counts_once() {
    let reviews = "id,created_at,rating,text\n71,2026-11-02,2,dark mode please\n72,2026-11-03,1,export keeps crashing\n";
    let other = "id,created_at,rating,text\n71,2026-11-02,2,sso would be nice\n72,2026-11-04,1,export keeps crashing\n";
    let dir = scratch(&[
        ("play.csv", reviews.as_bytes()),
        ("play-copy.csv", reviews.as_bytes()),
        ("ios.csv", other.as_bytes()),
    ]);
    let (r, stderr) = report(dir.path(), &["play.csv", "play-copy.csv", "ios.csv"]);
    assert_eq!(r["totals"]["items"], 6, "{stderr}");
    assert_eq!(r["totals"]["duplicates"], 2, "{stderr}");
    totals_add_up(&r);
    assert!(
        stderr.contains("play-copy.csv:2: the same text with the same id as play.csv:2"),
        "{stderr}"
    );
    assert!(!stderr.contains("ios.csv:"), "{stderr}");
}

/// Votes an export could not hold (billions of reactions, negative or
/// worded counts) are ignored with a warning rather than clamped in
/// silence, so a forged export cannot decide the ranking alone.
#[test]
fn implausible_votes_are_ignored_with_a_warning() {
    let issue = |n: u32, count: &str| {
        format!(
            r#"{{"number": {n}, "title": "export broken", "body": "it fails", "createdAt": "2026-10-29T08:12:44Z", "author": {{"login": "u{n}"}}, "labels": [], "state": "OPEN", "url": "https://example.test/{n}", "reactionGroups": [{{"content": "THUMBS_UP", "users": {{"totalCount": {count}}}}}, {{"content": "HEART", "users": {{"totalCount": 3}}}}]}}"#
        )
    };
    let json = format!(
        "[{}, {}, {}, {}]",
        issue(1, "99999999999"),
        issue(2, "-5"),
        issue(3, "12"),
        issue(4, "\"lots\"")
    );
    let dir = scratch(&[("gh.json", json.as_bytes())]);
    let (items, stderr) = tagged(dir.path(), &["gh.json"]);
    let votes: Vec<u64> = items.iter().map(|i| i["votes"].as_u64().unwrap()).collect();
    assert_eq!(votes, [3, 3, 15, 3], "{stderr}");
    assert!(
        stderr.contains(
            "\"99999999999\" votes is over a million, which no item gets; they are ignored"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("\"-5\" votes is negative"), "{stderr}");
    assert!(
        stderr.contains("gh.json:1: the votes \"lots\" are not a number"),
        "{stderr}"
    );
}

#[test]
fn the_same_words_at_another_time_are_not_a_copy_and_row_order_does_not_matter() {
    let head = "id,created_at,customer,text\n";
    let old = "1,2026-09-05,ann@a.test,export is broken\n";
    let new = "2,2026-11-15,ann@a.test,export is broken\n";
    let copy = "3,2026-11-15,ann@a.test,Export is  broken\n";
    let dir = scratch(&[
        ("a.csv", format!("{head}{old}{new}{copy}").as_bytes()),
        ("b.csv", format!("{head}{copy}{new}{old}").as_bytes()),
    ]);
    let (a, a_err) = report(dir.path(), &["a.csv", "--as-of", "2026-11-20"]);
    let (b, _) = report(dir.path(), &["b.csv", "--as-of", "2026-11-20"]);
    // The copy with the same timestamp counts once; the complaint of
    // months earlier is a mention of its own.
    assert_eq!(a["totals"]["duplicates"], 1, "{a_err}");
    assert!(
        a_err.contains("a.csv:4: the same text from the same customer as a.csv:3"),
        "{a_err}"
    );
    let export = |r: &Value| {
        r["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "export")
            .cloned()
            .unwrap()
    };
    assert_eq!(export(&a)["mentions"], 2);
    assert_eq!(export(&a)["score"], export(&b)["score"]);
    assert_eq!(export(&a)["customers"], 1);
}

#[test]
fn huge_values_and_off_scale_ratings_are_ignored_with_a_plain_warning() {
    let csv = "id,customer,arr,rating,text\n1,ann@a.test,1e308,-1,export is broken\n2,bob@b.test,1e308,150,export please\n3,cy@c.test,1200,4,sso is broken\n";
    let dir = scratch(&[("big.csv", csv.as_bytes())]);
    let (r, stderr) = report(dir.path(), &["big.csv"]);
    assert!(
        stderr.contains("big.csv:2: the account value \"1e308\" is over a trillion"),
        "{stderr}"
    );
    assert!(
        stderr.contains("big.csv:3: the rating 150 is off the 1-5 stars, 0-10 and 0-100 scales (set rating_scale"),
        "{stderr}"
    );
    for f in r["features"].as_array().unwrap() {
        assert!(f["value"].as_f64().is_some_and(f64::is_finite), "{f}");
    }
    for format in ["csv", "table"] {
        let out = painmap(dir.path())
            .args(["rank", "big.csv", "--format", format])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&out.stdout);
        assert!(!out.contains("inf"), "{out}");
    }
}

/// A plain `rating` column is read value by value; when its values show
/// NPS (0, 6–10), the 1–5 among them were read as stars, and the source is
/// warned about once, with the setting that reads the column as one scale.
#[test]
fn a_rating_column_that_mixes_scales_is_pointed_out() {
    let nps = b"id,customer,rating,text\n1,a@x.test,9,sso is great\n2,b@x.test,10,sso fine\n\
                3,c@x.test,3,sso meh\n4,d@x.test,5,sso thing\n5,e@x.test,0,sso two\n";
    let stars = b"id,customer,rating,text\n1,a@x.test,1,sso\n2,b@x.test,5,sso fine\n";
    let dir = scratch(&[("nps.csv", nps), ("stars.csv", stars)]);
    let (_, stderr) = tagged(dir.path(), &["nps.csv"]);
    assert!(
        stderr.contains(
            "nps.csv:2: the rating column is read value by value, and 3 ratings of 0 or 6–10 \
             (the first \"9\") show a 0–10 scale, yet 2 ratings of 1–5 (the first \"3\" on line 4) \
             were read as stars; if the column holds one scale, set rating_scale = \"nps\""
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("rating column").count(), 1, "{stderr}");
    let (_, stderr) = tagged(dir.path(), &["stars.csv"]);
    assert!(!stderr.contains("rating column"), "{stderr}");
    // Read as one scale, as the warning says: no warning, and 5 is a passive.
    let roadmap = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap();
    fs::write(
        dir.path().join("roadmap.toml"),
        format!("{roadmap}\n[[sources]]\npath = \"nps.csv\"\n[sources.columns]\nrating_scale = \"nps\"\n"),
    )
    .unwrap();
    let (items, stderr) = tagged(dir.path(), &[]);
    assert!(!stderr.contains("rating column"), "{stderr}");
    assert_eq!(items[3]["rating"], 0.5, "{}", items[3]);
}

#[test]
fn a_broken_first_line_of_json_lines_is_rejected_like_any_other() {
    let dir = scratch(&[
        (
            "first.jsonl",
            b"{bad\n{\"id\":1,\"text\":\"export is broken\"}\n{\"id\":2,\"text\":\"sso\",\"rating\":1e999}\n{\"id\":3,\"text\":\"sso please\"}\n",
        ),
        // A pretty-printed document whose last record fits on a line is
        // still one document.
        (
            "doc.json",
            b"{\"data\": [\n  {\"id\": 1, \"text\": \"export is broken\"},\n  {\"id\": 2, \"text\": \"sso\"}\n]}\n",
        ),
    ]);
    let (r, stderr) = report(dir.path(), &["first.jsonl"]);
    assert_eq!(r["totals"]["items"], 4, "{stderr}");
    assert_eq!(r["totals"]["rejected"], 2, "{stderr}");
    assert!(stderr.contains("first.jsonl:1: invalid JSON"), "{stderr}");
    assert!(stderr.contains("first.jsonl:3: invalid JSON"), "{stderr}");
    let (r, stderr) = report(dir.path(), &["doc.json"]);
    assert_eq!(r["totals"]["items"], 2, "{stderr}");
    assert_eq!(r["totals"]["rejected"], 0, "{stderr}");
}

/// A first line longer than the look-ahead (an attachment in the first
/// record) is still read as JSON Lines, and the one with a text over the
/// limit is rejected alone.
#[test]
fn json_lines_whose_first_line_is_over_a_mebibyte_are_still_json_lines() {
    let big = "A".repeat(1_200_000);
    let jsonl = format!(
        "{{\"id\":1,\"text\":\"export broken\",\"att\":\"{big}\"}}\n{{\"id\":2,\"text\":\"{big}\"}}\n{{\"id\":3,\"text\":\"export fine\"}}\n"
    );
    let dir = scratch(&[("big.jsonl", jsonl.as_bytes())]);
    let (r, stderr) = report(dir.path(), &["big.jsonl"]);
    assert_eq!(r["totals"]["items"], 3, "{stderr}");
    assert_eq!(r["totals"]["rejected"], 1, "{stderr}");
    assert!(stderr.contains("big.jsonl:2:"), "{stderr}");
}

#[test]
fn a_json_array_names_real_lines_and_rejects_an_element_it_cannot_hold() {
    let json = "[\n  {\n    \"id\": 1,\n    \"text\": \"export is broken\"\n  },\n  {\n    \"id\": 3,\n    \"text\": \"sso\",\n    \"created_at\": \"garbage\"\n  },\n  {\"id\": 4, \"text\": \"export\", \"rating\": 1e999},\n  {\"id\": 5, \"text\": \"export again\"}\n]\n";
    let dir = scratch(&[("pretty.json", json.as_bytes())]);
    let (r, stderr) = report(dir.path(), &["pretty.json"]);
    assert_eq!(r["totals"]["items"], 4, "{stderr}");
    assert_eq!(r["totals"]["rejected"], 1, "{stderr}");
    assert!(
        stderr.contains("pretty.json:6: cannot read the date"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pretty.json:11: invalid JSON: number out of range"),
        "{stderr}"
    );
}

#[test]
fn themes_writes_rejects_and_stops_when_strict() {
    let csv = "id,customer,text\n1,ann@a.test,offline mode please\n2,bob@b.test,too,many\n3,cy@c.test,offline mode would help\n";
    let dir = scratch(&[("t.csv", csv.as_bytes())]);
    painmap(dir.path())
        .args([
            "themes",
            "t.csv",
            "--rejects",
            "rejects.jsonl",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .stderr(no_panic());
    let rejects = fs::read_to_string(dir.path().join("rejects.jsonl")).unwrap();
    assert_eq!(rejects.lines().count(), 1, "{rejects}");
    assert!(rejects.contains("\"line\":3"), "{rejects}");
    fs::remove_file(dir.path().join("rejects.jsonl")).unwrap();
    painmap(dir.path())
        .args(["themes", "t.csv", "--strict", "--rejects", "rejects.jsonl"])
        .assert()
        .code(1)
        .stderr(no_panic());
    assert!(dir.path().join("rejects.jsonl").exists());
}

#[test]
fn check_writes_rejects_and_strict_makes_any_a_problem() {
    // CRLF line ends: the rejected row is written without its `\r`.
    let csv = "id,customer,text\r\n1,ann@a.test,offline mode please\r\n2,bob@b.test,too,many\r\n3,cy@c.test,\r\n4,di@d.test,export is slow\r\n";
    let dir = scratch(&[("t.csv", csv.as_bytes())]);
    let roadmap = "[[features]]\nid = \"offline\"\ntitle = \"Offline mode\"\n[check]\nmax_rejected_share = 0.6\n";
    fs::write(dir.path().join("roadmap.toml"), roadmap).unwrap();
    // Two of four rows rejected, under the limit: a pass, and both written.
    painmap(dir.path())
        .args(["check", "t.csv", "--rejects", "r.jsonl"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2 rejected"));
    let rejects = fs::read_to_string(dir.path().join("r.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = rejects
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{rejects}");
    assert_eq!(lines[0]["line"], 3);
    assert_eq!(lines[1]["row"], "3,cy@c.test,", "{rejects}");
    // Under --strict, any rejected row is a problem (exit 3), reported
    // rather than stopped at.
    painmap(dir.path())
        .args(["check", "t.csv", "--strict"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "50.0% of the rows (2 of 4) were rejected; --strict allows none",
        ));
    // Rows with no text (score-only answers) are not malformed: a survey
    // with a third of them still passes the default 5% limit.
    fs::write(
        dir.path().join("sm.csv"),
        "id,text\n1,offline mode please\n2,\n3,offline mode\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("lim.toml"),
        "[[features]]\nid = \"offline\"\ntitle = \"Offline mode\"\n",
    )
    .unwrap();
    painmap(dir.path())
        .args(["check", "-r", "lim.toml", "sm.csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 rejected"))
        .stdout(predicate::str::contains("rejected-share").not());
    // A file whose every row is rejected fails check, limit or not.
    fs::write(dir.path().join("all.csv"), "id,text\n1,\n2,\n").unwrap();
    painmap(dir.path())
        .args(["check", "all.csv"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "100.0% of the rows (2 of 2) were rejected",
        ));
}

#[test]
fn escape_sequences_never_become_words() {
    let mut csv = String::from("id,customer,text\n");
    for (i, who) in ["ann", "bob", "cy", "dee"].iter().enumerate() {
        csv.push_str(&format!(
            "{},{who}@x.test,\"the \u{1b}[31mwidget\u{1b}[0m panel keeps freezing \u{1b}]8;;http://evil\u{7}here\u{1b}]8;;\u{7}\"\n",
            i + 1
        ));
    }
    let dir = scratch(&[("esc.csv", csv.as_bytes())]);
    for args in [
        &["themes", "esc.csv", "--format", "json"][..],
        &["tag", "esc.csv"][..],
    ] {
        let out = painmap(dir.path()).args(args).assert().success();
        let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(!stdout.contains("31m"), "{stdout}");
        assert!(!stdout.contains("evil"), "{stdout}");
        assert!(!stdout.contains("\\u001b"), "{stdout}");
    }
}

#[test]
fn strict_still_writes_the_rejects_file() {
    let dir = scratch(&[("s.csv", b"id,text\n1,sso\n2,\n3,export\n")]);
    painmap(dir.path())
        .args(["tag", "s.csv", "--strict", "--rejects", "r.jsonl"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("s.csv:3: no text"));
    let rejects = fs::read_to_string(dir.path().join("r.jsonl")).unwrap();
    assert!(rejects.contains("\"line\":3"), "{rejects}");
}

const OUT_OF_ORDER: &[u8] = b"id,created_at,customer_email,text
1,2026-10-01,a@x.com,export crashes
2,2026-10-02,b@x.com,export crashes again
3,2026-10-02,b@x.com,export crashes again
4,1850-01-01,c@x.com,sso please
5,2026-10-06,d@x.com,slack is broken
6,not-a-date,e@x.com,dark mode pls
";

/// The duplicate on line 4 is found a few rows after it is read, as the
/// reader looks ahead; its warning still comes before those of lines 5
/// and 7, and `--strict`, which stops at it, says nothing of them.
#[test]
fn warnings_come_in_line_order_and_strict_names_no_row_after_its_stop() {
    let dir = scratch(&[("w.csv", OUT_OF_ORDER)]);
    let out = painmap(dir.path())
        .args(["rank", "w.csv", "--format", "json"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let lines: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("warning: w.csv:"))
        .map(|l| l.split(':').next().unwrap())
        .collect();
    assert_eq!(lines, ["4", "5", "7"], "{stderr}");

    let out = painmap(dir.path())
        .args(["rank", "w.csv", "--strict", "--rejects", "r.jsonl"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("w.csv:4: the same text"), "{stderr}");
    assert!(
        !stderr.contains("w.csv:5") && !stderr.contains("w.csv:7"),
        "{stderr}"
    );
    let rejects = fs::read_to_string(dir.path().join("r.jsonl")).unwrap();
    assert_eq!(rejects.lines().count(), 1, "{rejects}");
    assert!(rejects.contains("\"line\":4"), "{rejects}");
}

#[test]
fn huge_roadmaps_work() {
    let mut roadmap = String::from("[product]\nname = \"Big\"\n");
    for i in 0..3000 {
        roadmap.push_str(&format!("[[features]]\nid = \"f{i}\"\ntitle = \"Feature number {i}\"\nkeywords = [\"kw{i}\", \"phrase {i} here\"]\neffort = 1\n"));
    }
    let many: Vec<String> = (0..10_000).map(|i| format!("\"word{i}\"")).collect();
    roadmap.push_str(&format!(
        "[[features]]\nid = \"wide\"\ntitle = \"Wide\"\nkeywords = [{}]\n",
        many.join(", ")
    ));
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("roadmap.toml"), roadmap).unwrap();
    fs::write(
        dir.path().join("f.csv"),
        "id,text\n1,kw17 is broken\n2,word9999 and phrase 2999 here\n",
    )
    .unwrap();
    let (r, _) = report(dir.path(), &["f.csv", "--top", "3", "--quiet"]);
    let ids: Vec<&str> = r["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"f17") && ids.contains(&"f2999") && ids.contains(&"wide"),
        "{ids:?}"
    );
}

const EVIL: &str = "=HYPERLINK(\"http://evil.test\") \u{1b}]8;;http://evil.test\u{7}click\u{1b}]8;;\u{7} \u{1b}[2J the export is broken | <img src=x onerror=alert(1)> ![x](http://evil.test/p.png) [link](http://evil.test) mail ann@bigco.test or +1 (555) 010-2345";

fn evil_dir() -> tempfile::TempDir {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "customer", "text"]).unwrap();
    w.write_record(["1", "ann@bigco.test", EVIL]).unwrap();
    scratch(&[("evil.csv", &w.into_inner().unwrap())])
}

#[test]
fn escapes_never_reach_the_terminal() {
    let dir = evil_dir();
    for args in [
        vec!["explain", "export", "evil.csv"],
        vec!["rank", "evil.csv"],
    ] {
        painmap(dir.path())
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains("\u{1b}").not())
            .stdout(predicate::str::contains("\u{7}").not());
    }
    // Warnings quote the row too.
    let bad = b"id,text,date\n1,sso,\"\x1b]0;owned\x07 2026\"\n";
    let dir = scratch(&[("w.csv", bad)]);
    painmap(dir.path())
        .args(["rank", "w.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("\u{1b}").not())
        .stderr(predicate::str::contains("cannot read the date"));
}

#[test]
fn csv_cells_cannot_run_formulas() {
    let dir = evil_dir();
    let out = painmap(dir.path())
        .args(["tag", "evil.csv", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let headers = r.headers().unwrap().clone();
    let text = headers.iter().position(|h| h == "text").unwrap();
    let row = r.records().next().unwrap().unwrap();
    assert!(row[text].starts_with("'=HYPERLINK"), "{}", &row[text]);
    let out = painmap(dir.path())
        .args(["rank", "evil.csv", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let quote = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "top_quote")
        .unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert!(rows[0][quote].starts_with("'=HYPERLINK"), "{:?}", &rows[0]);
    for row in &rows {
        assert!(
            row.iter().all(|cell| !cell.starts_with(['=', '+', '@'])),
            "{row:?}"
        );
    }
}

/// Ids come from the roadmap, which `init` writes from feedback: a
/// stage, persona or feature id that reads as a formula is guarded in
/// every CSV cell it reaches, and numbers are left as they are.
#[test]
fn roadmap_ids_that_read_as_formulas_are_guarded_in_csv() {
    let roadmap = "[[stages]]\nid = \"-9-9\"\nkeywords = [\"daily\"]\n[[personas]]\nid = \"-7-7\"\nkeywords = [\"our it\"]\n[[features]]\nid = \"-1-1\"\ntitle = \"Export\"\nkeywords = [\"export\"]\neffort = 1\n";
    let csv = "id,created_at,text\n1,2026-11-01,export fails daily for our it team\n2,2026-11-02,export is broken and I hate it\n";
    let dir = scratch(&[
        ("roadmap.toml", roadmap.as_bytes()),
        ("f.csv", csv.as_bytes()),
    ]);
    let cells = |args: &[&str]| -> Vec<(String, String)> {
        let out = painmap(dir.path()).args(args).assert().success();
        let mut r = csv::Reader::from_reader(out.get_output().stdout.as_slice());
        let headers = r.headers().unwrap().clone();
        r.records()
            .flat_map(|row| {
                let row = row.unwrap();
                headers
                    .iter()
                    .zip(row.iter())
                    .map(|(h, c)| (h.to_string(), c.to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let tagged = cells(&["tag", "f.csv", "--format", "csv", "--as-of", "2026-11-20"]);
    let ranked = cells(&["rank", "f.csv", "--format", "csv", "--as-of", "2026-11-20"]);
    for (column, cell) in tagged.iter().chain(&ranked) {
        if cell.parse::<f64>().is_err() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "{column}: {cell}");
        }
    }
    let get = |cells: &[(String, String)], column: &str| -> Vec<String> {
        cells
            .iter()
            .filter(|(h, _)| h == column)
            .map(|(_, c)| c.clone())
            .collect()
    };
    assert_eq!(get(&tagged, "features"), ["'-1-1", "'-1-1"]);
    assert_eq!(get(&tagged, "stage")[0], "'-9-9");
    assert_eq!(get(&tagged, "persona")[0], "'-7-7");
    assert!(get(&tagged, "sentiment").iter().any(|s| s.starts_with('-')));
    assert_eq!(get(&ranked, "top_stage"), ["'-9-9"]);
    assert_eq!(get(&ranked, "top_persona"), ["'-7-7"]);
}

#[test]
fn markdown_cannot_break_tables_or_inject_links_and_is_redacted() {
    let dir = evil_dir();
    let md = String::from_utf8(
        painmap(dir.path())
            .args(["rank", "evil.csv", "--format", "markdown"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(!md.contains("<img"), "{md}");
    // Links only inside code spans, where they are shown, not followed.
    assert!(!outside_code_spans(&md).contains("](http"), "{md}");
    assert!(!outside_code_spans(&md).contains("http"), "{md}");
    assert!(!md.contains("ann@bigco.test"), "{md}");
    assert!(
        md.contains("\\[email\\]") && md.contains("\\[phone\\]"),
        "{md}"
    );
    for line in md.lines().filter(|l| l.starts_with('>')) {
        assert!(
            !line.contains(" | "),
            "a quote may not open a table cell: {line}"
        );
    }
    let md = String::from_utf8(
        painmap(dir.path())
            .args(["rank", "evil.csv", "--format", "markdown", "--no-redact"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(md.contains("ann@bigco.test"), "{md}");
}

#[test]
fn redact_covers_json_evidence() {
    let dir = evil_dir();
    let (r, _) = report(dir.path(), &["evil.csv", "--redact"]);
    let e = &r["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "export")
        .unwrap()["evidence"][0];
    assert!(e["quote"].as_str().unwrap().contains("[email]"), "{e}");
    assert_eq!(e["customer"], "[email]");
    let (r, _) = report(dir.path(), &["evil.csv"]);
    let e = &r["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "export")
        .unwrap()["evidence"][0];
    assert_eq!(e["customer"], "ann@bigco.test");
}

/// Table cells a GitHub-flavoured Markdown row splits into: `|` ends a
/// cell unless a backslash escapes it, even inside a code span.
/// Markdown with its code spans taken out: what is inside one is shown as
/// written and never links, so only the rest can inject.
fn outside_code_spans(md: &str) -> String {
    let mut out = String::new();
    let mut rest = md;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let run = rest[start..].len() - rest[start..].trim_start_matches('`').len();
        let fence = &rest[start..start + run];
        let after = &rest[start + run..];
        // The closing fence: the same run of backticks, not part of a longer one.
        let close = (0..after.len()).find(|&i| {
            after[i..].starts_with(fence)
                && !after[i + run..].starts_with('`')
                && (i == 0 || !after[..i].ends_with('`'))
        });
        match close {
            Some(i) => rest = &after[i + run..],
            None => {
                out.push_str(fence);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn markdown_cells(row: &str) -> usize {
    let mut cells = 0usize;
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => cells += 1,
            _ => {}
        }
    }
    cells.saturating_sub(1)
}

#[test]
fn diff_cannot_inject_through_the_report_files() {
    let dir = scratch(&[]);
    let (old, _) = report(&basic(), &[]);
    let mut new = old.clone();
    new["features"][0]["id"] =
        "x` | <img src=x onerror=alert(1)> | [a](javascript:alert(1)) `".into();
    new["features"][1]["id"] = "\u{1b}]8;;http://evil\u{7}click\u{1b}]8;;\u{7}".into();
    new["features"][2]["title"] = "T\u{1b}[2J <b>|</b> [t](http://evil.test) \u{202e}".into();
    new["product"] = "Acme\u{1b}]0;owned\u{7} | <img src=x>".into();
    new["as_of"] = "2026-11-01\u{1b}[31m | [d](http://evil.test)".into();
    new["model"] = "rice\u{1b}[2J <img src=x>".into();
    fs::write(dir.path().join("old.json"), old.to_string()).unwrap();
    fs::write(dir.path().join("new.json"), new.to_string()).unwrap();
    let diff = |format: &str| {
        let out = painmap(dir.path())
            .args(["diff", "old.json", "new.json", "--format", format])
            .args(["--fail-on", "entered"])
            .assert()
            .code(3)
            .stderr(no_panic())
            .get_output()
            .clone();
        assert!(!out.stderr.contains(&0x1b), "{format}: ESC on stderr");
        String::from_utf8(out.stdout).unwrap()
    };
    for format in ["text", "markdown"] {
        let out = diff(format);
        for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(!out.contains(bad), "{format}: {bad:?} in\n{out}");
        }
    }
    let md = diff("markdown");
    for bad in ["<img", "<b>", "](javascript", "](http"] {
        assert!(!outside_code_spans(&md).contains(bad), "{bad} in\n{md}");
    }
    for row in md.lines().filter(|l| l.starts_with('|')) {
        assert_eq!(markdown_cells(row), 4, "a cell was split: {row}");
    }
    assert!(
        md.contains("x\\` \\| &lt;img src=x onerror=alert\\(1\\)&gt; \\|"),
        "{md}"
    );
    // JSON keeps the ids exactly, for machines to match on; the escapes
    // are JSON escapes, never raw control characters.
    let json = diff("json");
    assert!(!json.contains(['\u{1b}', '\u{7}']), "{json}");
    let d: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(d["changes"][0]["id"], new["features"][0]["id"]);
    assert_eq!(d["changes"][1]["id"], new["features"][1]["id"]);
}

#[test]
fn explain_does_not_echo_escapes_of_an_unknown_feature() {
    painmap(&basic())
        .args(["explain", "\u{1b}]8;;http://x\u{7}x\u{1b}[2J"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(r"no feature `\u{1b}]8;;http"))
        .stderr(predicate::str::contains("\u{1b}").not())
        .stderr(predicate::str::contains("\u{7}").not());
}

#[test]
fn errors_do_not_echo_escapes_of_file_names() {
    let dir = scratch(&[]);
    let missing = "nope\u{1b}[31m.csv";
    painmap(dir.path())
        .args(["rank", missing])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(r"nope\u{1b}[31m.csv"))
        .stderr(predicate::str::contains("\u{1b}").not())
        .stderr(no_panic());
    painmap(dir.path())
        .args(["-r", "no\u{1b}]0;PWNED\u{7}pe.toml", "rank"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("\u{1b}").not())
        .stderr(predicate::str::contains("\u{7}").not())
        .stderr(no_panic());
    // A roadmap from a shared repository names its sources.
    let roadmap = "[[features]]\nid = \"sso\"\ntitle = \"SSO\"\n\n\
                   [[sources]]\npath = \"x\\u001b[2Jy.csv\"\n";
    fs::write(dir.path().join("shared.toml"), roadmap).unwrap();
    painmap(dir.path())
        .args(["-r", "shared.toml", "rank"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(r"x\u{1b}[2Jy.csv"))
        .stderr(predicate::str::contains("\u{1b}").not())
        .stderr(no_panic());
}

#[test]
fn utf32_files_get_one_plain_error_that_says_how_to_convert() {
    let text = "id,text\n1,export is broken\n";
    let mut le = vec![0xFF, 0xFE, 0, 0];
    let mut be = vec![0, 0, 0xFE, 0xFF];
    for c in text.chars() {
        le.extend((c as u32).to_le_bytes());
        be.extend((c as u32).to_be_bytes());
    }
    let dir = scratch(&[("le.csv", &le), ("be.csv", &be)]);
    for (file, endian) in [("le.csv", "little-endian"), ("be.csv", "big-endian")] {
        painmap(dir.path())
            .args(["rank", file])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!(
                "{file}: the file is UTF-32 ({endian}), which painmap does not read"
            )))
            .stderr(predicate::str::contains(format!(
                "iconv -f UTF-32 -t UTF-8 {file} > {}-utf8.csv",
                &file[..2]
            )))
            // Not garbled UTF-16 headers, nor a "binary file".
            .stderr(predicate::str::contains("no text column").not())
            .stderr(predicate::str::contains("binary").not())
            .stderr(no_panic());
    }
}

#[test]
fn a_json_element_too_deep_or_out_of_range_is_rejected_and_the_rest_read() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let json = format!(
        "[\n{{\"text\": \"sso is broken\"}},\n{deep},\n{{\"text\": \"x\", \"n\": 1e999}},\n{{\"text\": \"export is slow\"}}\n]\n"
    );
    let dir = scratch(&[("deep.json", json.as_bytes())]);
    let (r, stderr) = report(dir.path(), &["deep.json"]);
    assert_eq!(r["totals"]["items"], 4, "{stderr}");
    assert_eq!(r["totals"]["rejected"], 2, "{stderr}");
    assert!(
        stderr.contains("deep.json:3: invalid JSON: recursion limit exceeded"),
        "{stderr}"
    );
    assert!(stderr.contains("deep.json:4: invalid JSON"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn two_columns_with_one_name_say_which_is_read() {
    let dir = scratch(&[
        (
            "dup.csv",
            b"id,Text,TEXT,Customer Email,customer_email\n1,sso is broken,export is slow,a@x.io,b@x.io\n",
        ),
        ("plain.csv", b"id,text,comment\n1,sso is broken,export is slow\n"),
    ]);
    let out = painmap(dir.path())
        .args(["tag", "dup.csv"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "dup.csv:1: columns 2 (\"Text\") and 3 (\"TEXT\") have one name as painmap reads names"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("the customer is read from column 4 and column 5 is ignored"),
        "{stderr}"
    );
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["text"], "sso is broken");
    // Different names that both could hold text are not one name.
    painmap(dir.path())
        .args(["tag", "plain.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("one name").not());
}

/// JSON output read on a terminal (`painmap tag | less`, a CI log) cannot
/// be turned around by a bidirectional override or a C1 control in the
/// text: they are written as `\uXXXX`, and parse back to the same text.
#[test]
fn json_escapes_bidi_and_c1_controls() {
    let text = "Acme\u{202e}lortnoc export \u{9b}31m broken";
    let dir = scratch(&[(
        "evil.csv",
        format!("id,customer,text\n1,ev\u{202e}il@x.test,{text}\n").as_bytes(),
    )]);
    for args in [
        &["tag", "evil.csv"][..],
        &["rank", "--format", "json", "--quiet", "evil.csv"],
        &[
            "explain", "export", "--format", "json", "--quiet", "evil.csv",
        ],
    ] {
        let out = painmap(dir.path()).args(args).assert().success();
        let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(
            !stdout.contains('\u{202e}') && !stdout.contains('\u{9b}'),
            "{args:?}"
        );
        assert!(stdout.contains("\\u202e"), "{args:?}: {stdout}");
    }
    // The CSI was stripped on reading; the override is kept, and parses
    // back as itself.
    let (rows, _) = tagged(dir.path(), &["evil.csv"]);
    assert_eq!(rows[0]["text"], "Acme\u{202e}lortnoc export  broken");
}

/// Blank lines before the first record count in the line numbers, in
/// JSON Lines as in CSV.
#[test]
fn blank_lines_before_the_first_record_count_in_line_numbers() {
    let dir = scratch(&[
        ("ws.jsonl", b"\n\n  {\"id\": \"a\", \"text\": \"sso is broken\"}\n{\"id\": \"b\", \"text\": \"export\"}\n"),
        ("ws.csv", b"\n\n\nid,text\n1,sso is broken\n"),
    ]);
    let (rows, _) = tagged(dir.path(), &["ws.jsonl"]);
    assert_eq!(
        (rows[0]["line"].as_u64(), rows[1]["line"].as_u64()),
        (Some(3), Some(4))
    );
    let (rows, _) = tagged(dir.path(), &["ws.csv"]);
    assert_eq!(rows[0]["line"], 5);
}
