//! Runs the binary for the insight-quality features: `tag --explain` and
//! `painmap themes`, on fixtures written for them.

mod common;

use common::fixtures;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// The binary, run in `dir`, in the tests' fixed environment.
fn painmap(dir: &Path) -> Command {
    common::painmap_in(dir, 160)
}

fn themes_dir() -> PathBuf {
    fixtures().join("themes")
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn themes_table_lists_off_roadmap_topics_with_quotes_and_a_snippet() {
    let out = stdout(painmap(&themes_dir()).args(["themes", "feedback.csv"]));
    assert!(
        out.starts_with("17 of 27 items link to no feature"),
        "{out}"
    );
    let first = |needle: &str| out.find(needle).unwrap_or(usize::MAX);
    assert!(first("custom fields") < first("swimlanes"), "{out}");
    assert!(first("swimlanes") < first("attachments"), "{out}");
    assert!(out.contains("“Please add swimlanes, the board is one long column soup”"));
    assert!(out.contains("[[features]]\nid = \"custom-fields\"\ntitle = \"Custom fields\""));
    // Topics the roadmap covers are not themes.
    assert!(!out.contains("title = \"Export"), "{out}");
}

#[test]
fn themes_json_counts_customers_mentions_and_pain() {
    let out = stdout(painmap(&themes_dir()).args(["themes", "feedback.csv", "--format", "json"]));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["items"], 27);
    assert_eq!(v["linked"], 10);
    let t = &v["themes"][0];
    assert_eq!(t["phrase"], "custom fields");
    // ana twice (items 1 and 26), ben, cho, dee, eli, zed.
    assert_eq!(t["customers"], 6);
    assert_eq!(t["mentions"], 7);
    assert_eq!(t["top_stage"], "usage");
    assert_eq!(t["top_persona"], "lead");
    assert_eq!(t["quotes"].as_array().unwrap().len(), 2);
    let pain = t["mean_pain"].as_f64().unwrap();
    assert!(pain > 0.0 && pain <= 1.0);
    // --top limits, --min-customers filters.
    let out = stdout(painmap(&themes_dir()).args([
        "themes",
        "feedback.csv",
        "--format",
        "json",
        "--top",
        "1",
    ]));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["themes"].as_array().unwrap().len(), 1);
    let out = stdout(painmap(&themes_dir()).args([
        "themes",
        "feedback.csv",
        "--format",
        "json",
        "--min-customers",
        "5",
    ]));
    let v: Value = serde_json::from_str(&out).unwrap();
    let phrases: Vec<&str> = v["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["phrase"].as_str().unwrap())
        .collect();
    assert_eq!(phrases, ["custom fields"]);
}

#[test]
fn the_toml_snippet_appended_to_the_roadmap_links_what_was_unlinked() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        themes_dir().join("feedback.csv"),
        dir.path().join("feedback.csv"),
    )
    .unwrap();
    let roadmap = fs::read_to_string(themes_dir().join("roadmap.toml")).unwrap();
    let snippet =
        stdout(painmap(&themes_dir()).args(["themes", "feedback.csv", "--format", "toml"]));
    fs::write(
        dir.path().join("roadmap.toml"),
        format!("{roadmap}\n{snippet}"),
    )
    .unwrap();
    let out = stdout(painmap(dir.path()).args(["tag", "-q", "feedback.csv"]));
    let linked_to = |id: &str| {
        out.lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|v| v["features"].as_array().unwrap().iter().any(|f| f == id))
            .count()
    };
    assert_eq!(linked_to("custom-fields"), 7);
    assert_eq!(linked_to("swimlanes"), 4);
    // With the themes on the roadmap, they are no longer themes.
    let out = stdout(painmap(dir.path()).args(["themes", "feedback.csv", "--format", "json"]));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(!v["themes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["phrase"] == "custom fields" || t["phrase"] == "swimlanes"));
}

/// Themes from words in other scripts get ids the roadmap accepts, so the
/// snippet can be appended as it is.
#[test]
fn the_snippet_of_words_in_other_scripts_is_a_roadmap_painmap_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "id,created_at,customer_email,text\n1,2026-11-01,a@x.de,Die Übersicht fehlt\n2,2026-11-02,b@x.de,Übersicht bitte\n3,2026-11-03,c@x.de,Keine Übersicht\n4,2026-11-04,d@x.jp,ダッシュボード が 遅い\n5,2026-11-05,e@x.jp,ダッシュボード を 直して\n";
    fs::write(dir.path().join("fb.csv"), csv).unwrap();
    let roadmap =
        "[[features]]\nid = \"export\"\ntitle = \"Export\"\nkeywords = [\"export\"]\neffort = 1\n";
    fs::write(dir.path().join("roadmap.toml"), roadmap).unwrap();
    let snippet = stdout(painmap(dir.path()).args([
        "themes",
        "fb.csv",
        "--format",
        "toml",
        "--as-of",
        "2026-11-20",
    ]));
    assert!(snippet.contains("id = \"ubersicht\""), "{snippet}");
    fs::write(
        dir.path().join("roadmap.toml"),
        format!("{roadmap}\n{snippet}"),
    )
    .unwrap();
    painmap(dir.path())
        .args(["check", "fb.csv", "--as-of", "2026-11-20"])
        .assert()
        .success();
}

/// Contact details are no theme, an invisible character stays out of a
/// keyword, and `--redact` hides the addresses in the quotes.
#[test]
fn themes_leave_contact_details_out_and_redact_quotes_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,created_at,customer_email,text\n");
    let zw = '\u{200b}';
    for i in 0..4 {
        csv.push_str(&format!(
            "{},2026-11-0{},u{i}@x.test,\"Gantt{zw} charts please. Mail me at u{i}@mailbox-acme.com or +1 555 010 234{i}\"\n",
            i + 1,
            i + 1
        ));
    }
    fs::write(dir.path().join("fb.csv"), csv).unwrap();
    let roadmap =
        "[[features]]\nid = \"export\"\ntitle = \"Export\"\nkeywords = [\"export\"]\neffort = 1\n";
    fs::write(dir.path().join("roadmap.toml"), roadmap).unwrap();
    let json = |extra: &[&str]| -> Value {
        serde_json::from_str(&stdout(
            painmap(dir.path())
                .args([
                    "themes",
                    "fb.csv",
                    "--format",
                    "json",
                    "--as-of",
                    "2026-11-20",
                ])
                .args(extra),
        ))
        .unwrap()
    };
    let plain = json(&[]);
    let themes = plain["themes"].as_array().unwrap();
    let phrases: Vec<&str> = themes
        .iter()
        .map(|t| t["phrase"].as_str().unwrap())
        .collect();
    assert!(phrases.contains(&"gantt charts"), "{phrases:?}");
    for t in themes {
        let mut words: Vec<&str> = vec![t["phrase"].as_str().unwrap(), t["id"].as_str().unwrap()];
        words.extend(
            t["keywords"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| k.as_str().unwrap()),
        );
        for w in words {
            assert!(
                !w.contains("mailbox") && w != "com" && !w.contains("acme"),
                "{t}"
            );
            assert!(!w.contains(zw), "{t}");
        }
    }
    assert!(
        plain.to_string().contains("u0@mailbox-acme.com"),
        "quotes are as written"
    );
    let redacted = json(&["--redact"]).to_string();
    assert!(!redacted.contains("mailbox-acme"), "{redacted}");
    assert!(
        redacted.contains("[email]") && redacted.contains("[phone]"),
        "{redacted}"
    );
}

/// A young product's feedback, and a roadmap of one feature.
fn sparse(keywords: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        ("a", "Sync lost my notes again"),
        ("b", "sync broke on the desktop"),
        ("c", "Sync conflict ate my edits"),
        ("d", "sync failed twice, useless"),
        ("e", "the sync stalls for hours"),
        ("f", "Offline mode is missing"),
        ("g", "offline mode for the train"),
        ("h", "Offline mode on Android"),
        ("a", "still no offline mode, useless on a plane"),
        ("i", "Search is slow"),
        ("j", "search never finds the page"),
        ("k", "search results are wrong"),
        ("b", "a better search"),
        ("l", "Please add a dark mode, my eyes hurt at night"),
        ("m", "Love the editor, it is fantastic"),
        ("n", "the editor is clean, love it, thank you"),
        (
            "p",
            "Pricing went up 40% at renewal. We are evaluating alternatives.",
        ),
        (
            "q",
            "The new price increase is too much, if it goes ahead we cancel",
        ),
    ];
    let mut csv = String::from("id,created_at,customer_email,text\n");
    for (i, (customer, text)) in rows.iter().enumerate() {
        csv.push_str(&format!("{i},2026-11-01,{customer}@x.test,\"{text}\"\n"));
    }
    fs::write(dir.path().join("fb.csv"), csv).unwrap();
    fs::write(
        dir.path().join("roadmap.toml"),
        format!("[[features]]\nid = \"f\"\ntitle = \"F\"\nkeywords = [{keywords}]\neffort = 1\n"),
    )
    .unwrap();
    dir
}

fn themes_of(dir: &Path, extra: &[&str]) -> String {
    stdout(
        painmap(dir)
            .args(["themes", "fb.csv", "--as-of", "2026-11-20"])
            .args(extra),
    )
}

/// One linked item is no background to tell topics from everyday words:
/// the themes are those of no linked item at all, not none.
#[test]
fn themes_with_one_linked_item_still_list_the_unlinked_topics() {
    let one = sparse("\"eyes hurt\"");
    let none = sparse("\"zzzz\"");
    let phrases = |dir: &Path| -> Vec<String> {
        let v: Value = serde_json::from_str(&themes_of(
            dir,
            &["--format", "json", "--min-customers", "1"],
        ))
        .unwrap();
        v["themes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["phrase"].as_str().unwrap().to_string())
            .collect()
    };
    let (with_one, with_none) = (phrases(one.path()), phrases(none.path()));
    assert_eq!(
        with_one[..3],
        ["sync", "offline mode", "search"],
        "{with_one:?}"
    );
    // The same, but for the one linked item's own topic.
    let without_dark_mode: Vec<&String> = with_none.iter().filter(|p| *p != "dark mode").collect();
    assert_eq!(with_one.iter().collect::<Vec<_>>(), without_dark_mode);
    // Verdicts and praise are no topic.
    assert!(
        !with_one.iter().any(|p| p == "useless" || p == "editor"),
        "{with_one:?}"
    );
    let out = themes_of(one.path(), &["--min-customers", "1"]);
    assert!(!out.contains("no themes"), "{out}");
}

/// The snippet's entry for a theme, keywords included, is the same with
/// any --min-customers that shows it, and its keywords are about it.
#[test]
fn a_themes_snippet_entry_does_not_depend_on_min_customers() {
    let dir = sparse("\"zzzz\"");
    let entry = |min: &str| -> String {
        let out = themes_of(dir.path(), &["--format", "toml", "--min-customers", min]);
        let id = out
            .find("id = \"price\"")
            .unwrap_or_else(|| panic!("{out}"));
        // From the comment with its customers and mentions.
        let start = out[..id].rfind("# ").unwrap();
        out[start..out[start..].find("\n\n").map_or(out.len(), |e| start + e)].to_string()
    };
    let two = entry("2");
    assert_eq!(entry("1"), two);
    assert!(two.contains("keywords = [\"price\"]"), "{two}");
}

#[test]
fn no_themes_says_why_and_blames_min_customers_only_when_it_is_the_cause() {
    // Every item links.
    let dir =
        sparse("\"sync\", \"offline mode\", \"search\", \"dark mode\", \"editor\", \"price\"");
    let out = themes_of(dir.path(), &[]);
    assert!(
        out.contains("no themes: every item links to a feature"),
        "{out}"
    );
    assert!(!out.contains("--min-customers"), "{out}");
    // Nothing is said by 50 customers.
    let dir = sparse("\"eyes hurt\"");
    let out = themes_of(dir.path(), &["--min-customers", "50"]);
    assert!(
        out.contains("said by enough customers (see --min-customers)"),
        "{out}"
    );
}

#[test]
fn themes_rejects_a_zero_top_as_a_usage_error() {
    painmap(&themes_dir())
        .args(["themes", "feedback.csv", "--top", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it must be 1 or more"));
}

fn explained(dir: &Path, csv: &str) -> Vec<Value> {
    fs::write(dir.join("feedback.csv"), csv).unwrap();
    let out = stdout(painmap(dir).args(["tag", "-q", "--explain", "feedback.csv"]));
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        themes_dir().join("roadmap.toml"),
        dir.path().join("roadmap.toml"),
    )
    .unwrap();
    dir
}

#[test]
fn explain_shows_the_phrase_and_where_it_matched_for_each_link() {
    let dir = scratch();
    let rows = explained(
        dir.path(),
        "id,text\n1,\"Since Monday our Okta login doesn't work, and the CSV exports are empty\"\n",
    );
    let why = &rows[0]["explain"];
    let links = why["links"].as_array().unwrap();
    let okta = links.iter().find(|l| l["phrase"] == "okta").unwrap();
    assert_eq!(okta["feature"], "sso");
    assert_eq!(okta["rule"], "keyword");
    assert_eq!(okta["matched"][0]["text"], "Okta");
    assert_eq!(okta["matched"][0]["at"], 17);
    assert_eq!(okta["linked"], true);
    let export = links.iter().find(|l| l["phrase"] == "export").unwrap();
    assert_eq!(export["matched"][0]["text"], "exports");
    // The kind, and the cue that decided it.
    assert_eq!(rows[0]["kind"], "bug");
    let cue = why["cues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cue"] == "bug" && c["counted"] == true)
        .unwrap();
    assert_eq!(cue["matched"]["text"], "doesn't work");
    assert!(why["kind"]["bug"].as_f64().unwrap() >= 2.0);
    // The pain's terms.
    let pain = &why["pain"];
    assert_eq!(pain["pain"], rows[0]["pain"]);
    assert!(pain["kind_floor"].as_f64().unwrap() > 0.0);
}

#[test]
fn explain_says_why_negated_hypothetical_and_cleared_mentions_do_not_count() {
    let dir = scratch();
    let rows = explained(
        dir.path(),
        "id,text\n\
         1,\"No problem with Slack. What happens to our boards if the export fails?\"\n\
         2,\"The timeline never crashes, it is just slow to open\"\n",
    );
    let links = rows[0]["explain"]["links"].as_array().unwrap();
    let slack = links.iter().find(|l| l["feature"] == "slack").unwrap();
    assert_eq!(slack["linked"], false);
    assert!(slack["reason"].as_str().unwrap().contains("not a problem"));
    assert_eq!(rows[0]["features"], serde_json::json!(["export"]));
    assert_eq!(rows[0]["kind"], "question");
    let fails = rows[0]["explain"]["cues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["phrase"] == "fails")
        .unwrap();
    assert_eq!(fails["counted"], false);
    assert_eq!(fails["reason"], "hypothetical");
    let crash = rows[1]["explain"]["cues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["phrase"] == "crash")
        .unwrap();
    assert_eq!(crash["reason"], "negated");
    assert_ne!(rows[1]["kind"], "bug");
}

#[test]
fn explain_names_the_kind_models_features_and_probabilities() {
    let dir = scratch();
    let rows = explained(
        dir.path(),
        "id,text\n1,\"Add an option to export boards to PDF\nIt would be great to have a PDF export\"\n",
    );
    assert_eq!(rows[0]["kind"], "request");
    let kind = &rows[0]["explain"]["kind"];
    assert!(["model", "rules"].contains(&kind["from"].as_str().unwrap()));
    let probs = kind["model"].as_array().unwrap();
    let request = probs.iter().find(|p| p[0] == "request").unwrap();
    assert!(request[1].as_f64().unwrap() > 0.5, "{probs:?}");
    let features = kind["features"].as_array().unwrap();
    assert!(!features.is_empty());
    for f in features {
        assert_eq!(f["kind"], "request");
        let name = f["feature"].as_str().unwrap();
        assert!(name.contains(':'), "{name}");
        assert!(f["weight"].is_number());
    }
}

#[test]
fn explain_quotes_lose_control_characters_and_csv_cells_their_formulas() {
    let dir = scratch();
    let rows = explained(
        dir.path(),
        "id,text\n1,\"the slack bot does\u{7}\u{9b} not work\"\n",
    );
    let cue = rows[0]["explain"]["cues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["phrase"] == "does not work")
        .unwrap();
    assert_eq!(cue["matched"]["text"], "does not work");

    fs::write(
        dir.path().join("feedback.csv"),
        "id,text\n1,\"=HYPERLINK(\"\"http://x\"\") slack is broken\"\n",
    )
    .unwrap();
    let out = stdout(painmap(dir.path()).args([
        "tag",
        "-q",
        "--explain",
        "--format",
        "csv",
        "feedback.csv",
    ]));
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(headers.iter().next_back(), Some("explain"));
    let rec = rdr.records().next().unwrap().unwrap();
    let text = &rec[headers.iter().position(|h| h == "text").unwrap()];
    assert!(text.starts_with("'="), "{text}");
    let explain: Value = serde_json::from_str(rec.get(headers.len() - 1).unwrap()).unwrap();
    assert_eq!(explain["links"][0]["feature"], "slack");
}

/// The themes, their quotes included, do not depend on the order of the
/// rows: a re-sorted export gives the same report. Several customers say
/// the same words at the same pain, so a tie decides which quotes stay.
#[test]
fn themes_do_not_depend_on_the_order_of_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("roadmap.toml"),
        "[[features]]\nid = \"f\"\ntitle = \"F\"\nkeywords = [\"invoice\"]\neffort = 1\n",
    )
    .unwrap();
    let mut rows = Vec::new();
    for i in 0..8 {
        rows.push(format!(
            "s{i},2026-11-0{},c{i}@x.test,\"Swimlanes please, team {i}\"",
            i % 5 + 1
        ));
        rows.push(format!(
            "t{i},2026-11-0{},c{i}@x.test,\"Subtasks would help us, team {i}\"",
            i % 5 + 1
        ));
        rows.push(format!(
            "u{i},2026-11-0{},d{i}@x.test,\"The invoice is wrong again\"",
            i % 5 + 1
        ));
    }
    let run = |rows: &[String], name: &str| {
        let csv = format!("id,created_at,customer_email,text\n{}\n", rows.join("\n"));
        fs::write(dir.path().join(name), csv).unwrap();
        stdout(painmap(dir.path()).args([
            "themes",
            name,
            "--as-of",
            "2026-11-20",
            "--format",
            "json",
            "--min-customers",
            "2",
        ]))
        .replace(name, "fb.csv")
    };
    let forward = run(&rows, "a.csv");
    rows.reverse();
    let backward = run(&rows, "b.csv");
    rows.sort_by_key(|r| r.len());
    let by_length = run(&rows, "c.csv");
    assert!(forward.contains("swimlanes"), "{forward}");
    assert_eq!(forward, backward);
    assert_eq!(forward, by_length);
}
