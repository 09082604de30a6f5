//! Explain, model comparison and writing ranks back: snapshots of what a
//! PM reads, and a round trip through a roadmap full of comments.

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

/// The binary, run in `dir`, in the tests' fixed environment.
fn painmap(dir: &Path) -> Command {
    common::painmap_in(dir, 160)
}

fn stdout(dir: &Path, args: &[&str]) -> String {
    String::from_utf8(
        painmap(dir)
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap()
}

#[test]
fn explain_snapshot() {
    insta::assert_snapshot!(stdout(&basic(), &["explain", "export", "--as-of", AS_OF]));
}

#[test]
fn explain_first_feature_snapshot() {
    insta::assert_snapshot!(stdout(
        &basic(),
        &["explain", "sso", "--as-of", AS_OF, "--model", "rice"]
    ));
}

#[test]
fn compare_snapshot() {
    insta::assert_snapshot!(stdout(
        &basic(),
        &[
            "rank",
            "--compare",
            "rice,wsjf,pain-value,impact",
            "--as-of",
            AS_OF
        ]
    ));
}

#[test]
fn explain_json_has_the_same_data() {
    let e: Value = serde_json::from_str(&stdout(
        &basic(),
        &["explain", "export", "--format", "json", "--as-of", AS_OF],
    ))
    .unwrap();
    assert_eq!(e["id"], "export");
    assert_eq!(e["rank"], 2);
    assert_eq!(e["of"], 3);
    assert_eq!(e["next_up"]["id"], "sso");
    let shares: f64 = e["top_customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["share"].as_f64().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-3, "shares add up to {shares}");
    assert!(e["terms"]["weighted_pain"].is_number());
    let quotes = e["quotes"].as_array().unwrap();
    let mut customers: Vec<&str> = quotes
        .iter()
        .filter_map(|q| q["customer"].as_str())
        .collect();
    let n = customers.len();
    customers.dedup();
    assert_eq!(customers.len(), n, "no two quotes from one customer");
}

#[test]
fn explain_accepts_prefixes_and_suggests_on_typos() {
    let e: Value = serde_json::from_str(&stdout(
        &basic(),
        &["explain", "Dark", "--format", "json", "--as-of", AS_OF],
    ))
    .unwrap();
    assert_eq!(e["id"], "dark-mode");
    painmap(&basic())
        .args(["explain", "expotr", "--as-of", AS_OF])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no feature `expotr`"))
        .stderr(predicate::str::contains("did you mean `export`"));
}

#[test]
fn every_model_ranks_every_feature() {
    for model in [
        "pain-value",
        "rice",
        "ice",
        "wsjf",
        "opportunity",
        "impact",
        "weighted",
    ] {
        let r: Value = serde_json::from_str(&stdout(
            &basic(),
            &["rank", "-f", "json", "--model", model, "--as-of", AS_OF],
        ))
        .unwrap();
        assert_eq!(r["model"], model);
        assert_eq!(r["features"].as_array().unwrap().len(), 3, "{model}");
        assert!(r["formula"].as_str().unwrap().starts_with("score ="));
    }
}

const COMMENTED: &str = r#"# Our roadmap. Comments must survive painmap rank --write.
[product]
name = "Testboard"   # the product

# Stages in journey order.
[[stages]]
id = "onboarding"
keywords = ["setup", "sign up"]

[[stages]]
id = "usage"

[[personas]]
id = "admin"
keywords = ["as an admin"]

# --- features ---
[[features]]
id = "sso"          # the big one
title = "Single sign-on"
keywords = ["sso", "saml", "okta"]
exclude = ["sso tax"]
stage = "onboarding"
effort = 2          # two person-months

[[features]]
id = "export"
title = "CSV export"
keywords = ["export", "csv"]
effort = 1
rank = 9            # stale, from an old run
score = 0.5

[[features]]
id = "dark-mode"
title = "Dark mode"
effort = 1
"#;

/// An inline `features = [{ … }]` array gets its ranks too (it had been
/// left untouched, with "already up to date"), spaced like the rest.
#[test]
fn write_fills_inline_feature_tables() {
    let dir = tempfile::tempdir().unwrap();
    let roadmap = "# inline\nfeatures = [ { id = \"a\", title = \"A\", keywords = [\"export\"], effort = 1 }, { id = \"b\", title = \"B\", keywords = [\"sso\"], effort = 2 } ]\n";
    fs::write(dir.path().join("roadmap.toml"), roadmap).unwrap();
    fs::write(
        dir.path().join("f.csv"),
        "id,created_at,text\n1,2026-10-30,export is broken\n2,2026-10-31,sso please\n",
    )
    .unwrap();
    painmap(dir.path())
        .args(["rank", "f.csv", "--write", "--as-of", AS_OF])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote rank, score"));
    let written = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap();
    assert!(written.starts_with("# inline\nfeatures = [ { id = \"a\", title = \"A\", keywords = [\"export\"], effort = 1, rank = 1, score = "), "{written}");
    assert!(
        written.contains("effort = 2, rank = 2, score = "),
        "{written}"
    );
    assert_eq!(
        written.matches("scored_by = \"pain-value\" }").count(),
        2,
        "{written}"
    );
    painmap(dir.path())
        .args(["rank", "f.csv", "--write", "--as-of", AS_OF])
        .assert()
        .success()
        .stderr(predicate::str::contains("already up to date"));
    assert_eq!(
        fs::read_to_string(dir.path().join("roadmap.toml")).unwrap(),
        written
    );
}

#[test]
fn write_round_trip_keeps_comments_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("roadmap.toml"), COMMENTED).unwrap();
    fs::copy(
        basic().join("feedback.csv"),
        dir.path().join("feedback.csv"),
    )
    .unwrap();
    painmap(dir.path())
        .args(["rank", "feedback.csv", "--write", "--as-of", AS_OF])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "wrote rank, score, scored_at and scored_by",
        ));
    let first = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap();
    for comment in [
        "# Our roadmap. Comments must survive painmap rank --write.",
        "name = \"Testboard\"   # the product",
        "# Stages in journey order.",
        "# --- features ---",
        "id = \"sso\"          # the big one",
        "effort = 2          # two person-months",
        "rank = 2            # stale, from an old run",
    ] {
        assert!(first.contains(comment), "lost {comment:?} in:\n{first}");
    }
    assert!(first.contains("scored_at = \"2026-11-01\""));
    assert!(first.contains("scored_by = \"pain-value\""));
    // The ranks written agree with the ranking, and the roadmap still loads.
    let r: Value = serde_json::from_str(&stdout(
        dir.path(),
        &["rank", "feedback.csv", "-f", "json", "--as-of", AS_OF],
    ))
    .unwrap();
    let sso_rank = r["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "sso")
        .unwrap()["rank"]
        .as_u64()
        .unwrap();
    assert!(first.contains(&format!("rank = {sso_rank}\n")));

    painmap(dir.path())
        .args(["rank", "feedback.csv", "--write", "--as-of", AS_OF])
        .assert()
        .success()
        .stderr(predicate::str::contains("already up to date"));
    assert_eq!(
        fs::read_to_string(dir.path().join("roadmap.toml")).unwrap(),
        first
    );
    // Another model's scores say which model made them.
    painmap(dir.path())
        .args([
            "rank",
            "feedback.csv",
            "--write",
            "--model",
            "rice",
            "--as-of",
            AS_OF,
        ])
        .assert()
        .success();
    let rice = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap();
    assert!(rice.contains("scored_by = \"rice\""), "{rice}");
    assert!(!rice.contains("scored_by = \"pain-value\""), "{rice}");
}

#[test]
fn compare_takes_top_and_refuses_model_and_fewer_than_two_models() {
    let compare = |extra: &[&str]| {
        let mut args = vec!["rank", "--compare", "rice,wsjf", "--as-of", AS_OF];
        args.extend_from_slice(extra);
        stdout(&basic(), &args)
    };
    let all = compare(&[]);
    let rows = |t: &str| t.lines().filter(|l| l.contains(" · ")).count();
    assert!(rows(&all) > 2, "{all}");
    let top = compare(&["--top", "2"]);
    assert_eq!(rows(&top), 2, "{top}");
    let csv = compare(&["--top", "2", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 3, "a header and two rows:\n{csv}");
    let json: Value = serde_json::from_str(&compare(&["--top", "1", "--format", "json"])).unwrap();
    assert_eq!(json["features"].as_array().unwrap().len(), 1);

    painmap(&basic())
        .args([
            "rank",
            "--compare",
            "rice,wsjf",
            "--model",
            "ice",
            "--as-of",
            AS_OF,
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--model"));
    painmap(&basic())
        .args(["rank", "--compare", "rice", "--as-of", AS_OF])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--compare needs at least two models, such as --compare rice,pain-value; \
             to rank by rice alone, use --model rice",
        ));
    painmap(&basic())
        .args(["rank", "--compare", "rice,rice", "--as-of", AS_OF])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--compare lists rice twice; name each model once",
        ));
}

#[test]
fn ice_explain_says_what_effort_would_pass_the_feature_above() {
    // Export at 4 person-months: ease 2.5, third under ICE. Ease is 10 ÷
    // effort, so the advice gives the effort to aim for as well.
    let dir = tempfile::tempdir().unwrap();
    let roadmap = fs::read_to_string(basic().join("roadmap.toml")).unwrap();
    let roadmap = roadmap.replace(
        "keywords = [\"export\", \"csv\"]\nstage = \"usage\"\neffort = 1",
        "keywords = [\"export\", \"csv\"]\nstage = \"usage\"\neffort = 4",
    );
    assert!(roadmap.contains("effort = 4"));
    fs::write(dir.path().join("roadmap.toml"), roadmap).unwrap();
    fs::copy(
        basic().join("feedback.csv"),
        dir.path().join("feedback.csv"),
    )
    .unwrap();
    let text = stdout(
        dir.path(),
        &["explain", "export", "--model", "ice", "--as-of", AS_OF],
    );
    assert!(text.contains("rank 3 of 3 under ice"), "{text}");
    // The break-evens (ease 4.875…, effort 2.05…) rounded towards passing
    // pass as they stand: no "more than" or "less than" before them.
    assert!(text.contains("  - ease 2.50 → 4.88"), "{text}");
    assert!(
        text.contains("  - or effort 4 → 2.0 person-months"),
        "{text}"
    );
    // And the effort advised does pass the feature above.
    let advised = fs::read_to_string(dir.path().join("roadmap.toml"))
        .unwrap()
        .replace(
            "stage = \"usage\"\neffort = 4",
            "stage = \"usage\"\neffort = 2.0",
        );
    let dir2 = tempfile::tempdir().unwrap();
    fs::write(dir2.path().join("roadmap.toml"), advised).unwrap();
    fs::copy(
        basic().join("feedback.csv"),
        dir2.path().join("feedback.csv"),
    )
    .unwrap();
    let ranked: Value = serde_json::from_str(&stdout(
        dir2.path(),
        &["rank", "-f", "json", "--model", "ice", "--as-of", AS_OF],
    ))
    .unwrap();
    let order: Vec<&str> = ranked["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["sso", "export", "dark-mode"]);
    let json: Value = serde_json::from_str(&stdout(
        dir.path(),
        &["rank", "-f", "json", "--model", "ice", "--as-of", AS_OF],
    ))
    .unwrap();
    let export = json["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "export")
        .unwrap();
    assert_eq!(export["breakdown"]["effort"], 4.0);
    assert_eq!(export["breakdown"]["ease"], 2.5);
}

#[test]
fn a_feature_due_on_the_as_of_day_is_not_overdue_until_it_has_passed() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        basic().join("feedback.csv"),
        dir.path().join("feedback.csv"),
    )
    .unwrap();
    let roadmap = fs::read_to_string(basic().join("roadmap.toml")).unwrap();
    let time = |due: &str| -> f64 {
        let edited = roadmap.replace("id = \"sso\"", &format!("id = \"sso\"\ndue = {due}"));
        fs::write(dir.path().join("roadmap.toml"), edited).unwrap();
        let out = stdout(
            dir.path(),
            &[
                "rank",
                "--model",
                "wsjf",
                "--format",
                "json",
                "--as-of",
                "2027-01-31",
                "--quiet",
            ],
        );
        let r: Value = serde_json::from_str(&out).unwrap();
        let sso = r["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "sso")
            .unwrap()
            .clone();
        sso["breakdown"]["time_criticality"].as_f64().unwrap()
    };
    // By then every trend has fallen to -100% (time criticality 1), so
    // the due date decides.
    assert_eq!(time("2027-01-30"), 10.0, "due yesterday: overdue");
    assert_eq!(time("2027-01-31"), 9.0, "due today: within 30 days");
    assert_eq!(time("2027-02-01"), 9.0, "due tomorrow");
    assert_eq!(time("2027-03-02"), 9.0, "due in 30 days");
    assert_eq!(time("2027-03-03"), 7.0, "due in 31 days");
}

#[test]
fn compare_top_shows_fewer_rows_but_the_same_verdict() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let compare = |extra: &[&str]| -> Value {
        let mut args = vec![
            "rank",
            "--compare",
            "pain-value,rice,wsjf",
            "--as-of",
            "2026-11-20",
            "--format",
            "json",
            "--quiet",
        ];
        args.extend_from_slice(extra);
        serde_json::from_str(&stdout(root, &args)).unwrap()
    };
    let all = compare(&[]);
    let top = compare(&["--top", "1"]);
    assert_eq!(top["features"].as_array().unwrap().len(), 1);
    assert_eq!(all["disagreement"], top["disagreement"]);
    // It names features past the row shown.
    let sentence = top["disagreement"].as_str().unwrap();
    let shown = &top["features"][0]["id"];
    let named_elsewhere = all["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| &f["id"] != shown && f["spread"].as_u64().unwrap() > 0)
        .any(|f| sentence.contains(&format!("{} (#", f["id"].as_str().unwrap())));
    assert!(named_elsewhere, "{sentence}");
}

/// Praise is not asking: a feature ten customers love and nobody has a
/// problem with stays below one three customers report broken, under
/// every model; a feature nothing mentions does not rise by a small
/// effort alone; and a feature whose mentions are all too old for the
/// trend's days has no trend, not a flat one.
#[test]
fn praise_stale_mentions_and_silence_do_not_make_a_feature_urgent() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("roadmap.toml"),
        r#"[product]
name = "Test"

[[features]]
id = "loved"
title = "Calendar view"
keywords = ["calendar"]
effort = 1

[[features]]
id = "hurts"
title = "Export"
keywords = ["export"]
effort = 1

[[features]]
id = "stale"
title = "Gantt"
keywords = ["gantt"]
effort = 1

[[features]]
id = "nobody"
title = "Quantum sync"
keywords = ["quantum"]
effort = 0.05
"#,
    )
    .unwrap();
    let mut csv = String::from("id,created_at,customer,rating,text\n");
    for i in 0..10 {
        csv += &format!(
            "l{i},2026-10-2{},fan{i}@x.test,5,I love the calendar view. It is great!\n",
            i % 9
        );
    }
    for i in 0..3 {
        csv += &format!(
            "h{i},2026-10-2{i},user{i}@x.test,1,Export is broken again. This is a blocker.\n"
        );
    }
    for i in 0..4 {
        csv += &format!(
            "s{i},2026-03-0{},old{i}@x.test,1,The gantt chart crashes every time.\n",
            i + 1
        );
    }
    fs::write(dir.path().join("feedback.csv"), csv).unwrap();
    let rank = |model: &str| -> Vec<Value> {
        let out = stdout(
            dir.path(),
            &[
                "rank",
                "--model",
                model,
                "--format",
                "json",
                "--as-of",
                AS_OF,
                "--quiet",
                "feedback.csv",
            ],
        );
        let r: Value = serde_json::from_str(&out).unwrap();
        r["features"].as_array().unwrap().clone()
    };
    for model in [
        "pain-value",
        "rice",
        "ice",
        "wsjf",
        "opportunity",
        "impact",
        "weighted",
    ] {
        let features = rank(model);
        let at = |id: &str| features.iter().position(|f| f["id"] == id).unwrap();
        assert!(at("hurts") < at("loved"), "{model}: {features:#?}");
        assert!(at("hurts") < at("nobody"), "{model}: {features:#?}");
        let stale = &features[at("stale")];
        assert_eq!(stale["trend"], Value::Null, "{model}");
        assert_eq!(features[at("nobody")]["trend"], Value::Null, "{model}");
        assert_eq!(features[at("nobody")]["score"], 0.0, "{model}");
        if model == "wsjf" {
            assert_eq!(stale["breakdown"]["time_criticality"], 1.0);
        }
    }
    let table = stdout(
        dir.path(),
        &["rank", "--as-of", AS_OF, "--quiet", "feedback.csv"],
    );
    let stale_row = table.lines().find(|l| l.contains("stale")).unwrap();
    assert!(!stale_row.contains('%'), "{stale_row}");
}

/// The votes on an item multiply its customer: explain's arithmetic shows
/// them, so that each line multiplies out to its weighted pain.
#[test]
fn explain_shows_the_voters_in_each_customers_arithmetic() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("roadmap.toml"),
        "[product]\nname = \"Test\"\n\n[[features]]\nid = \"alpha\"\ntitle = \"Alpha\"\nkeywords = [\"alpha\"]\neffort = 1\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("feedback.csv"),
        "Issue key,Issue id,Summary,Description,Created,Reporter,Votes,Issue Type\n\
         PRJ-1,10001,alpha,alpha is broken,2026-10-31 10:00,b@x.test,3,Bug\n\
         PRJ-2,10002,alpha,alpha is broken,2026-10-31 10:00,c@x.test,0,Bug\n",
    )
    .unwrap();
    let text = stdout(
        dir.path(),
        &[
            "explain",
            "alpha",
            "--as-of",
            AS_OF,
            "--quiet",
            "feedback.csv",
        ],
    );
    assert!(text.contains("persona × voters = weighted pain"), "{text}");
    let line = text.lines().find(|l| l.contains("b@x.test")).unwrap();
    let terms: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    // Six factors and their product (the share ends in %).
    assert_eq!(terms.len(), 7, "{line}");
    assert_eq!(terms[5], 4.0, "{line}");
    let product: f64 = terms[..6].iter().product();
    assert!((product - terms[6]).abs() < 0.01, "{line}");
    let json: Value = serde_json::from_str(&stdout(
        dir.path(),
        &[
            "explain",
            "alpha",
            "--as-of",
            AS_OF,
            "--quiet",
            "--format",
            "json",
            "feedback.csv",
        ],
    ))
    .unwrap();
    assert_eq!(json["top_customers"][0]["voters"], 4.0);
    assert_eq!(json["top_customers"][1]["voters"], 1.0);
}

/// A file named on the command line that is one of the roadmap's
/// [[sources]] keeps that entry's settings: its weight counted the same
/// as when the roadmap's sources are read.
#[test]
fn a_roadmap_source_named_on_the_command_line_keeps_its_weight() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("roadmap.toml"),
        "[[features]]\nid = \"alpha\"\ntitle = \"Alpha\"\nkeywords = [\"alpha\"]\neffort = 1\n\n\
         [[sources]]\npath = \"a.csv\"\n\n[[sources]]\npath = \"b.csv\"\nweight = 0.25\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("a.csv"),
        "id,created_at,customer,text\n1,2026-10-31,a@x.test,alpha is broken\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("b.csv"),
        "id,created_at,customer,text\n1,2026-10-31,b@x.test,alpha is broken\n",
    )
    .unwrap();
    let score = |files: &[&str]| -> f64 {
        let mut args = vec!["rank", "--format", "json", "--as-of", AS_OF, "--quiet"];
        args.extend(files);
        let r: Value = serde_json::from_str(&stdout(dir.path(), &args)).unwrap();
        r["features"][0]["score"].as_f64().unwrap()
    };
    let from_roadmap = score(&[]);
    assert_eq!(score(&["a.csv", "b.csv"]), from_roadmap);
    assert_eq!(score(&["./b.csv", "a.csv"]), from_roadmap);
    // b alone, at a quarter of a's weight.
    let a = score(&["a.csv"]);
    assert!((score(&["b.csv"]) - a / 4.0).abs() < 1e-3, "{a}");
}
