//! The workflows painmap fits into, run through the real binary: CI
//! (`check`, `diff --fail-on`, the Markdown report, the shipped CI
//! examples), shells (completions, man, colour, width, quiet, stdin), and a
//! first run (`init`). Every documented exit code is checked here.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const AS_OF: &str = "2026-11-01";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workflows")
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("painmap")
}

/// The binary, run in `dir`, in the tests' fixed environment.
fn painmap(dir: &Path) -> Command {
    common::painmap_in(dir, 120)
}

fn stdout(assert: assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

/// A temporary folder with a copy of the Quillpad fixtures.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(fixtures()).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} is not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

// ---- check ------------------------------------------------------------------

#[test]
fn check_passes_a_clean_roadmap() {
    painmap(&fixtures())
        .args(["check", "--as-of", AS_OF])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 problems, 0 warnings: ok"))
        .stdout(predicate::str::contains(
            "roadmap.toml: 6 features, 3 stages, 2 personas; 2 sources, 26 items: 20 linked, 6 unlinked (23.1%, at most 40%), 0 rejected",
        ));
}

/// The shipped roadmap is what a first-time user copies: every keyword in
/// it matches the shipped examples, and none repeats another.
#[test]
fn the_shipped_example_passes_its_own_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    painmap(root)
        .args(["check", "--as-of", "2026-11-20"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 problems, 0 warnings: ok"));
}

#[test]
fn check_reports_every_kind_of_problem_and_exits_3() {
    let out = stdout(
        painmap(&fixtures())
            .args(["check", "-r", "problems.toml", "--as-of", AS_OF])
            .assert()
            .code(3),
    );
    for expected in [
        "problem: problems.toml:44:12: feature `sso` both matches and excludes \"okta\"",
        "problem: problems.toml:57:8: missing-export.csv: file not found",
        "problem: problems.toml:31:37: feature `offline`: 1 of 3 keywords matched no item: \"airplane mode\"",
        "problem: problems.toml: 76.2% of the items (16 of 21) link to no feature; [check] max_unlinked_share is 20%",
        "warning: problems.toml:37:21: keyword \"Offline\" of feature `sync` matches like \"offline\" of feature `offline`",
        "warning: problems.toml:44:20: exclude \"pricing page\" of feature `sso` contains none of its keywords",
        "warning: problems.toml:48:6: feature `gantt` has no linked feedback",
        "warning: problems.toml:15:6: stage `awareness` was given to no item",
        "warning: problems.toml:24:6: persona `designer` was given to no item",
        "4 problems, 5 warnings",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    // Problems come before warnings.
    assert!(out.find("problem:").unwrap() < out.find("warning:").unwrap());
}

#[test]
fn check_lists_column_stages_the_roadmap_does_not_declare() {
    let dir = scratch();
    fs::write(
        dir.path().join("staged.csv"),
        "id,created_at,customer_email,stage,text\n\
         1,2026-10-01,a@example.com,Renewal,Offline mode would save us\n\
         2,2026-10-02,b@example.com,trial,Offline mode please\n\
         3,2026-10-03,c@example.com,Evaluaton,Offline mode please\n",
    )
    .unwrap();
    let out = stdout(
        painmap(dir.path())
            .args(["check", "--as-of", AS_OF, "staged.csv"])
            .assert()
            .code(0),
    );
    assert!(
        out.contains("warning: roadmap.toml:15:6: 2 items have a stage value that names no stage of the roadmap, so stage was tagged as if the column were empty: \"evaluaton\" (1), \"trial\" (1)"),
        "{out}"
    );
    assert!(
        out.contains("\"evaluaton\" may be `evaluation` misspelt"),
        "{out}"
    );
    // The value that is a stage's name counts for that stage.
    let tagged = stdout(
        painmap(dir.path())
            .args(["tag", "--as-of", AS_OF, "staged.csv"])
            .assert()
            .code(0),
    );
    assert!(
        tagged
            .lines()
            .next()
            .unwrap()
            .contains("\"stage\":\"renewal\""),
        "{tagged}"
    );
}

#[test]
fn check_json_is_for_machines() {
    let out = painmap(&fixtures())
        .args([
            "check",
            "-r",
            "problems.toml",
            "--format",
            "json",
            "--as-of",
            AS_OF,
        ])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let r: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(r["problems"], 4);
    assert_eq!(r["warnings"], 5);
    let codes: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "excluded-keyword",
            "source",
            "dead-keyword",
            "unlinked-share",
            "overlapping-keyword",
            "idle-exclude",
            "feature-without-feedback",
            "unused-stage",
            "unused-persona",
        ]
    );
    let fb = &r["feedback"];
    assert_eq!(fb["sources"][1]["readable"], false);
    assert_eq!(fb["items"], 21);
    assert_eq!(fb["features"]["gantt"], 0);
    assert_eq!(fb["features"]["offline"], 3);
}

#[test]
fn check_levels_come_from_the_check_table() {
    let dir = scratch();
    let roadmap = dir.path().join("problems.toml");
    edit(
        &roadmap,
        "dead_keywords = \"problem\"",
        "dead_keywords = \"off\"\nunused_stages = \"off\"\nmax_unlinked_share = 0.9",
    );
    edit(&roadmap, "max_unlinked_share = 0.2\n", "");
    let out = stdout(
        painmap(dir.path())
            .args(["check", "-r", "problems.toml", "--as-of", AS_OF])
            .assert()
            .code(3),
    );
    assert!(out.contains("2 problems, 4 warnings"), "{out}");
    assert!(!out.contains("dead"), "{out}");
    assert!(!out.contains("stage `awareness`"), "{out}");
}

#[test]
fn check_warnings_alone_exit_0_and_quiet_hides_them() {
    let dir = scratch();
    edit(
        &dir.path().join("roadmap.toml"),
        "keywords = [\"template\"]",
        "keywords = [\"template\", \"boilerplate\"]",
    );
    painmap(dir.path())
        .args(["check", "--as-of", AS_OF])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "warning: roadmap.toml:77:25: feature `templates`: 1 of 2 keywords matched no item: \"boilerplate\"",
        ))
        .stdout(predicate::str::contains("0 problems, 1 warning: ok"));
    painmap(dir.path())
        .args(["check", "--quiet", "--as-of", AS_OF])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("boilerplate").not())
        .stdout(predicate::str::contains("0 problems, 1 warning: ok"));
}

/// Feedback that ends weeks before `--as-of` is a warning by default
/// (the export may have stopped), a problem where `[check]` says so, and
/// nothing where it is off.
#[test]
fn check_points_out_feedback_that_stops_before_as_of() {
    let dir = scratch();
    let warning = "warning: roadmap.toml: the newest item up to --as-of 2026-12-02 is from \
                   2026-10-30, 33 days earlier: none is from the trend's last 30 days, so every \
                   trend shows a fall\n  help: export the feedback again; if it really ends on \
                   2026-10-30, rank with --as-of 2026-10-30";
    painmap(dir.path())
        .args(["check", "--as-of", "2026-12-02"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(warning))
        .stdout(predicate::str::contains("0 problems, 1 warning: ok"));
    let json: Value = serde_json::from_slice(
        &painmap(dir.path())
            .args(["check", "--as-of", "2026-12-02", "--format", "json"])
            .assert()
            .code(0)
            .get_output()
            .stdout,
    )
    .unwrap();
    assert_eq!(json["findings"][0]["code"], "stale-feedback");
    // A week after the newest item is a weekly export: no finding.
    painmap(dir.path())
        .args(["check", "--as-of", "2026-11-06"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 problems, 0 warnings: ok"));
    let roadmap = dir.path().join("roadmap.toml");
    edit(
        &roadmap,
        "[check]\n",
        "[check]\nstale_feedback = \"problem\"\n",
    );
    painmap(dir.path())
        .args(["check", "--as-of", "2026-12-02"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "problem: roadmap.toml: the newest item up to --as-of 2026-12-02",
        ));
    // Fresh feedback as a whole, but one source with nothing in the
    // trend's last 30 days: that source is named.
    let survey = dir.path().join("survey.jsonl");
    let moved = fs::read_to_string(&survey)
        .unwrap()
        .replace("2026-10-", "2026-08-");
    fs::write(&survey, moved).unwrap();
    painmap(dir.path())
        .args(["check", "--as-of", AS_OF])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            // Line 95: the line added to [check] above moved the source down.
            "problem: roadmap.toml:95:8: survey.jsonl: its newest item is from 2026-09-21, \
             41 days before --as-of 2026-11-01, so none of it is in the trend's last 30 days, \
             while the other sources run to 2026-10-30",
        ))
        .stdout(predicate::str::contains("1 problem, 0 warnings"));
    edit(
        &roadmap,
        "stale_feedback = \"problem\"",
        "stale_feedback = \"off\"",
    );
    painmap(dir.path())
        .args(["check", "--as-of", "2026-12-02"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 problems, 0 warnings: ok"));
}

#[test]
fn check_reports_schema_errors_with_line_and_column() {
    let dir = scratch();
    edit(&dir.path().join("roadmap.toml"), "effort = 2", "efort = 2");
    painmap(dir.path())
        .arg("check")
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "problem: roadmap.toml:55:1: unknown field `efort`, expected one of",
        ))
        .stdout(predicate::str::contains("1 problem, 0 warnings"));
    edit(&dir.path().join("roadmap.toml"), "efort = 2", "effort = 2");
    edit(
        &dir.path().join("roadmap.toml"),
        "max_unlinked_share = 0.4",
        "max_unlinked = 0.4",
    );
    let out = painmap(dir.path())
        .args(["check", "--format", "json"])
        .assert()
        .code(3)
        .get_output()
        .stdout
        .clone();
    let r: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(r["findings"][0]["code"], "roadmap");
    assert_eq!(r["findings"][0]["location"], "roadmap.toml:11:1");
    assert!(r["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("`max_unlinked_share`"));
    assert_eq!(r["feedback"], Value::Null);
}

#[test]
fn every_schema_error_is_reported_in_one_run() {
    let dir = scratch();
    let roadmap = dir.path().join("roadmap.toml");
    // Twelve features, each naming a stage that does not exist.
    let mut text = fs::read_to_string(&roadmap).unwrap();
    for i in 0..12 {
        text.push_str(&format!(
            "\n[[features]]\nid = \"bad-{i}\"\ntitle = \"Bad {i}\"\nstage = \"nowhere\"\n"
        ));
    }
    fs::write(&roadmap, text).unwrap();
    let out = stdout(painmap(dir.path()).arg("check").assert().code(3));
    assert_eq!(out.matches("unknown stage `nowhere`").count(), 12, "{out}");
    assert!(out.contains("12 problems"), "{out}");
    // Other commands stop at ten and point at check for the rest.
    let err = painmap(dir.path())
        .args(["rank", "--as-of", AS_OF])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert_eq!(err.matches("unknown stage `nowhere`").count(), 10, "{err}");
    assert!(
        err.ends_with("error: and 2 more in the roadmap; painmap check lists them all\n"),
        "{err}"
    );
}

#[test]
fn check_without_a_roadmap_is_an_error_not_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    painmap(dir.path())
        .arg("check")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("roadmap.toml: roadmap not found"));
}

#[test]
fn check_without_feedback_lints_what_it_can() {
    let dir = scratch();
    let roadmap = dir.path().join("roadmap.toml");
    let text = fs::read_to_string(&roadmap).unwrap();
    fs::write(&roadmap, text.split("[[sources]]").next().unwrap()).unwrap();
    painmap(dir.path())
        .arg("check")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "warning: roadmap.toml: no feedback to check against",
        ));
    // Files on the command line take the place of [[sources]].
    painmap(dir.path())
        .args(["check", "feedback.csv"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 source, 21 items"));
}

// ---- diff -------------------------------------------------------------------

/// Writes the Quillpad report as of `as_of` to `dir/name`.
fn report(dir: &Path, roadmap: &str, as_of: &str, name: &str) {
    painmap(dir)
        .args([
            "rank", "-r", roadmap, "--format", "json", "--as-of", as_of, "-o", name,
        ])
        .assert()
        .success();
}

fn two_reports() -> tempfile::TempDir {
    let dir = scratch();
    report(dir.path(), "roadmap.toml", "2026-10-15", "old.json");
    report(dir.path(), "roadmap.toml", AS_OF, "new.json");
    dir
}

#[test]
fn diff_shows_movements_and_exits_0_without_gates() {
    let dir = two_reports();
    let out = stdout(
        painmap(dir.path())
            .args(["diff", "old.json", "new.json"])
            .assert()
            .code(0),
    );
    assert!(
        out.starts_with(
            "2026-10-15 → 2026-11-01 · 0 entered, 0 left, 4 moved, 2 same rank with a new score, 0 unchanged\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("↑1 (was #2)  sso · Single sign-on (SAML)"),
        "{out}"
    );
    assert!(
        out.contains("↓1 (was #1)  history · Version history and audit trail"),
        "{out}"
    );
    assert!(out.contains("%)"), "score changes have percentages: {out}");
}

#[test]
fn diff_fail_on_exits_3_only_when_the_condition_holds() {
    let dir = two_reports();
    let run = |gate: &str| {
        painmap(dir.path())
            .args(["diff", "old.json", "new.json", "--fail-on", gate])
            .assert()
    };
    run("rank-change>1").code(0);
    run("new-top=2").code(0);
    run("rank-change>0")
        .code(3)
        .stdout(predicate::str::contains("--fail-on rank-change>0 holds:"))
        .stdout(predicate::str::contains(
            "sso (Single sign-on (SAML)) moved up 1 place (#2 → #1)",
        ))
        .stderr(predicate::str::contains(
            "painmap: --fail-on rank-change>0 holds (4 features)",
        ));
    run("new-top=1")
        .code(3)
        .stdout(predicate::str::contains("is new in the top 1 (#2 → #1)"));
}

#[test]
fn diff_sees_features_enter_and_leave() {
    let dir = scratch();
    let roadmap = dir.path().join("roadmap.toml");
    report(dir.path(), "roadmap.toml", AS_OF, "old.json");
    edit(&roadmap, "id = \"templates\"", "id = \"note-templates\"");
    report(dir.path(), "roadmap.toml", AS_OF, "new.json");
    painmap(dir.path())
        .args([
            "diff",
            "old.json",
            "new.json",
            "--fail-on",
            "entered",
            "--fail-on",
            "left",
        ])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "1 entered, 1 left, 0 moved, 0 same rank with a new score, 5 unchanged",
        ))
        .stdout(predicate::str::contains(
            "note-templates (Note templates) entered at #6",
        ))
        .stdout(predicate::str::contains(
            "templates (Note templates) left (was #6)",
        ));
}

#[test]
fn diff_markdown_is_a_pull_request_comment() {
    let dir = two_reports();
    let out = stdout(
        painmap(dir.path())
            .args([
                "diff",
                "old.json",
                "new.json",
                "--format",
                "markdown",
                "--fail-on",
                "new-top=1",
            ])
            .assert()
            .code(3),
    );
    assert!(
        out.starts_with("### Quillpad roadmap changes: 2026-10-15 → 2026-11-01\n"),
        "{out}"
    );
    assert!(out.contains("> **`--fail-on new-top=1` holds:**"));
    assert!(
        out.contains("**0 entered, 0 left, 4 moved, 2 same rank with a new score, 0 unchanged**"),
        "{out}"
    );
    assert!(out.contains("| rank | move | feature | score |\n|--:|---|---|--:|\n"));
    assert!(
        out.contains("| 1 | ↑1 (was #2) | Single sign-on \\(SAML\\) (`sso`) |"),
        "{out}"
    );
    let json = stdout(
        painmap(dir.path())
            .args(["diff", "old.json", "new.json", "--format", "json"])
            .assert()
            .code(0),
    );
    let d: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(d["moved"], 4);
    assert_eq!(d["rescored"], 2);
    assert_eq!(d["changes"][0]["id"], "sso");
    assert_eq!(d["changes"][0]["rank_change"], 1);
}

#[test]
fn diff_counts_every_feature_once() {
    let dir = two_reports();
    let json = stdout(
        painmap(dir.path())
            .args(["diff", "old.json", "new.json", "--format", "json"])
            .assert()
            .code(0),
    );
    let d: Value = serde_json::from_str(&json).unwrap();
    let n = |k: &str| d[k].as_u64().unwrap();
    let features = d["changes"].as_array().unwrap().len() as u64;
    assert_eq!(features, 6);
    assert_eq!(
        n("entered") + n("left") + n("moved") + n("rescored") + n("unchanged"),
        features,
        "{json}"
    );
}

/// Sets the score of feature `id` in the JSON report at `path`.
fn set_score(path: &Path, id: &str, score: f64) {
    let mut r: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let f = r["features"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|f| f["id"] == id)
        .unwrap();
    f["score"] = score.into();
    fs::write(path, r.to_string()).unwrap();
}

#[test]
fn diff_score_change_from_zero_exceeds_any_percentage() {
    let dir = two_reports();
    // Note templates has no scored evidence on 2026-10-15 and some on
    // 2026-11-01; export is made 0 in both.
    set_score(&dir.path().join("old.json"), "export", 0.0);
    set_score(&dir.path().join("new.json"), "export", 0.0);
    let out = stdout(
        painmap(dir.path())
            .args([
                "diff",
                "old.json",
                "new.json",
                "--fail-on",
                "score-change>1000%",
            ])
            .assert()
            .code(3),
    );
    assert!(
        out.contains("templates (Note templates): score rose from 0 to 0.06"),
        "{out}"
    );
    assert!(
        !out.contains("export (Markdown"),
        "0 → 0 is no change: {out}"
    );
}

#[test]
fn diff_rejects_a_report_with_a_duplicate_feature_id() {
    let dir = two_reports();
    let mut r: Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("new.json")).unwrap()).unwrap();
    let features = r["features"].as_array_mut().unwrap();
    let mut copy = features[1].clone();
    copy["id"] = features[0]["id"].clone();
    features.push(copy);
    fs::write(dir.path().join("dup.json"), r.to_string()).unwrap();
    for args in [["old.json", "dup.json"], ["dup.json", "new.json"]] {
        painmap(dir.path())
            .arg("diff")
            .args(args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(
                "dup.json: the feature id `sso` appears more than once",
            ));
    }
}

#[test]
fn diff_explains_bad_reports_and_bad_conditions() {
    let dir = two_reports();
    fs::write(
        dir.path().join("broken.json"),
        "{\"schema_version\": 1,\n \"product\": }",
    )
    .unwrap();
    fs::write(dir.path().join("future.json"), "{\"schema_version\": 9}").unwrap();
    fs::write(dir.path().join("other.json"), "{\"items\": []}").unwrap();
    let fails = |args: &[&str], code: i32, message: &str| {
        painmap(dir.path())
            .arg("diff")
            .args(args)
            .assert()
            .code(code)
            .stderr(predicate::str::contains(message))
            .stderr(predicate::str::contains("panicked").not());
    };
    fails(&["gone.json", "new.json"], 1, "gone.json: file not found");
    fails(
        &["broken.json", "new.json"],
        1,
        "broken.json:2:13: not a painmap JSON report",
    );
    fails(
        &["old.json", "future.json"],
        1,
        "future.json: the report has schema_version 9",
    );
    fails(
        &["other.json", "new.json"],
        1,
        "other.json:1:13: not a painmap JSON report: missing field",
    );
    fails(
        &["old.json", "new.json", "--fail-on", "rank-chnage>2"],
        2,
        "did you mean `rank-change`?",
    );
    fails(
        &["old.json", "new.json", "--fail-on", "new-top>2"],
        2,
        "write it as new-top=5",
    );
}

// ---- init -------------------------------------------------------------------

/// An export whose dates write the day first gets `date_order` from
/// `init`, so that the roadmap it writes reads 07/10/2026 as 7 October.
#[test]
fn init_sets_the_date_order_an_export_shows() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,created_at,customer_email,text\n");
    for (i, day) in ["07/10/2026", "08/10/2026", "21/10/2026"]
        .iter()
        .enumerate()
    {
        csv.push_str(&format!(
            "{i},{day},c{i}@x.example,the offline mode keeps losing my edits\n"
        ));
    }
    fs::write(dir.path().join("eu.csv"), csv).unwrap();
    painmap(dir.path())
        .args(["init", "eu.csv"])
        .assert()
        .code(0);
    let text = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap();
    assert!(
        text.contains("path = \"eu.csv\"\ndate_order = \"day-first\""),
        "{text}"
    );
    let out = painmap(dir.path())
        .args(["tag", "--as-of", AS_OF])
        .assert()
        .success()
        .stderr(predicate::str::contains("date").not())
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(
        out.contains("\"created_at\":\"2026-10-07T00:00:00Z\""),
        "{out}"
    );
}

#[test]
fn init_writes_a_roadmap_that_rank_and_check_accept() {
    let dir = scratch();
    fs::remove_file(dir.path().join("roadmap.toml")).unwrap();
    painmap(dir.path())
        .args(["init", "zendesk_tickets.csv", "survey_freeform.csv"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "painmap: wrote roadmap.toml: 2 sources, 6 stages, 4 personas",
        ));
    let text = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap();
    for expected in [
        "path = \"zendesk_tickets.csv\"\npreset = \"zendesk\"   # detected from the headers",
        "[sources.columns]\ntext = \"What should we build next?\"   # guessed",
        "[[personas]]   # 6 items\nid = \"business\"",
        "match = { plan = [\"enterprise\"] }",
        "[[features]]   # \"offline mode\": 5 items (27.8%)\nid = \"offline-mode\"",
        "# [[features]]   # \"search\": 5 items (27.8%)",
        "[[stages]]\nid = \"onboarding\"",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let candidates = text.matches("[[features]]").count();
    assert!((5..=20).contains(&candidates), "{candidates} candidates");

    let out = painmap(dir.path())
        .args(["rank", "--format", "json", "--as-of", AS_OF])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let r: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(r["totals"]["items"], 18);
    assert_eq!(r["sources"][0]["preset"], "zendesk");
    assert_eq!(r["features"][0]["id"], "offline-mode");
    assert_eq!(r["features"][0]["mentions"], 5);
    // check runs the roadmap against the same files; it may find problems
    // (a starter roadmap links little), but it is not an error.
    let code = painmap(dir.path())
        .arg("check")
        .assert()
        .get_output()
        .status
        .code();
    assert!(matches!(code, Some(0 | 3)), "{code:?}");
}

/// An export whose text column has no usual name: init guesses it, and
/// still finds the plan column beside it, so the personas it reports are
/// the ones it writes.
#[test]
fn init_finds_the_plan_column_beside_a_guessed_text_column() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("e.csv"),
        "id,datum,email,plan,kommentar\n1,14/10/2026,a@x.de,Pro,Export nach Excel fehlt\n2,07/10/2026,b@x.de,Pro,Export nach Excel bitte\n3,15/10/2026,c@x.de,Basic,Dark mode please dark mode\n4,16/10/2026,d@x.de,Basic,dark mode wanted\n",
    )
    .unwrap();
    painmap(dir.path())
        .args(["init", "e.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("6 stages, 2 personas"));
    let text = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap();
    assert!(text.contains("text = \"kommentar\"   # guessed"), "{text}");
    assert_eq!(text.matches("\n[[personas]]").count(), 2, "{text}");
    assert!(text.contains("match = { plan = [\"pro\"] }"), "{text}");
}

/// With no `--product` and no name in the feedback, the name is the
/// folder's, and the roadmap says so as it does for a name from the
/// feedback: the current folder when printed, else the roadmap's own.
#[test]
fn init_marks_a_product_name_taken_from_the_folder_as_a_guess() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path().join("quillpad");
    fs::create_dir_all(here.join("plan")).unwrap();
    fs::write(
        here.join("survey.csv"),
        "id,text\n1,the export keeps failing\n2,export to pdf please\n3,search is slow\n",
    )
    .unwrap();
    let printed = stdout(
        painmap(&here)
            .args(["init", "survey.csv", "-o", "-", "--quiet"])
            .assert()
            .success(),
    );
    assert!(
        printed.contains(
            "name = \"quillpad\"\n# The name is a guess: the name of the current folder,"
        ),
        "{printed}"
    );
    painmap(&here)
        .args(["init", "survey.csv", "-o", "plan/roadmap.toml", "--quiet"])
        .assert()
        .success();
    let written = fs::read_to_string(here.join("plan/roadmap.toml")).unwrap();
    assert!(
        written.contains(
            "name = \"plan\"\n# The name is a guess: the name of the folder this file is in,"
        ),
        "{written}"
    );
    let named = stdout(
        painmap(&here)
            .args([
                "init",
                "survey.csv",
                "-o",
                "-",
                "--quiet",
                "--product",
                "Quillpad",
            ])
            .assert()
            .success(),
    );
    assert!(named.contains("name = \"Quillpad\"\n\n"), "{named}");
}

/// An export with its own persona column gets one persona per value, so
/// the first `check` does not flag the values init had just read (it wrote
/// "no personas yet", and check warned that 4 items named no persona).
#[test]
fn init_makes_personas_of_a_persona_column() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("interviews.csv"),
        "id;date;customer;plan;persona;feedback\n\
         e1;2026-11-03;anna@x.example;pro;admin;The lack of SSO blocks our IT team\n\
         e2;2026-11-14;luc@x.example;pro;Editor;Search never finds the page I need\n\
         e3;2026-11-07;anna@x.example;basic;admin;Inviting people one by one is painful\n\
         e4;2026-11-12;pia@x.example;basic;Finance Lead;The renewal price is hard to justify\n",
    )
    .unwrap();
    painmap(dir.path())
        .args(["init", "interviews.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains("6 stages, 3 personas"));
    let text = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap();
    for expected in [
        "# Personas from the \"persona\" column",
        "[[personas]]   # 2 items\nid = \"admin\"\nname = \"Admin\"\n\n",
        "id = \"editor\"",
        "id = \"finance-lead\"\nname = \"Finance lead\"",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(!text.contains("match = { plan"), "{text}");
    let out = stdout(
        painmap(dir.path())
            .args(["check", "--as-of", AS_OF, "--format", "json"])
            .assert(),
    );
    assert!(!out.contains("unknown-persona-value"), "{out}");
    let tags = stdout(painmap(dir.path()).args(["tag", "--as-of", AS_OF]).assert());
    let personas: Vec<String> = tags
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["persona"].to_string())
        .collect();
    assert_eq!(
        personas,
        ["\"admin\"", "\"editor\"", "\"admin\"", "\"finance-lead\""]
    );
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let dir = scratch();
    let before = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap();
    painmap(dir.path())
        .args(["init", "feedback.csv"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "roadmap.toml: already exists; painmap init does not overwrite it",
        ))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        fs::read_to_string(dir.path().join("roadmap.toml")).unwrap(),
        before
    );
    painmap(dir.path())
        .args(["init", "feedback.csv", "--force", "--quiet"])
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
    let after = fs::read_to_string(dir.path().join("roadmap.toml")).unwrap();
    assert!(
        after.starts_with("# roadmap.toml, written by `painmap init` from 1 export (21 items).")
    );
}

#[test]
fn init_writes_source_paths_relative_to_the_roadmap() {
    let dir = scratch();
    fs::create_dir(dir.path().join("config")).unwrap();
    painmap(dir.path())
        .args(["init", "survey.jsonl", "-o", "config/roadmap.toml"])
        .assert()
        .code(0);
    let text = fs::read_to_string(dir.path().join("config/roadmap.toml")).unwrap();
    assert!(text.contains("path = \"../survey.jsonl\""), "{text}");
    painmap(dir.path())
        .args(["rank", "-r", "config/roadmap.toml", "--as-of", AS_OF])
        .assert()
        .success();
    let printed = stdout(
        painmap(dir.path())
            .args(["init", "-o", "-"])
            .assert()
            .code(0),
    );
    assert!(printed.contains("id = \"example\""), "{printed}");
    painmap(dir.path())
        .args(["init", "nope.csv", "-o", "other.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nope.csv: file not found"));
    assert!(!dir.path().join("other.toml").exists());
    painmap(dir.path())
        .args(["init", "nope*.csv", "-o", "other.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "nope*.csv: file not found; painmap does not expand glob patterns",
        ));
}

// ---- completions and man ----------------------------------------------------

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_painmap()"),
        ("zsh", "#compdef painmap"),
        ("fish", "complete -c painmap"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[painmap]"),
    ] {
        let out = stdout(
            painmap(&fixtures())
                .args(["completions", shell])
                .assert()
                .code(0),
        );
        assert!(out.contains(marker), "{shell}: no {marker:?}");
        for sub in ["rank", "check", "diff", "init"] {
            assert!(out.contains(sub), "{shell}: no {sub}");
        }
        // --preset completes the preset names, where clap_complete
        // writes values at all (not for PowerShell or Elvish).
        if matches!(shell, "bash" | "zsh" | "fish") {
            for preset in ["zendesk", "google-play", "salesforce"] {
                assert!(out.contains(preset), "{shell}: no {preset}");
            }
        }
    }
    painmap(&fixtures())
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "[possible values: bash, elvish, fish, powershell, zsh]",
        ));
}

#[test]
fn man_page_is_roff() {
    let out = stdout(painmap(&fixtures()).arg("man").assert().code(0));
    assert!(
        out.starts_with(".ie \\n(.g .ds Aq") || out.contains(".TH painmap 1"),
        "{out}"
    );
    assert!(out.contains(".TH painmap 1"));
    assert!(out.contains("painmap\\-check"), "subcommands are listed");
    assert!(out.contains("Exit codes"), "the exit codes are in the page");
}

#[test]
fn man_writes_a_page_for_every_command_it_lists() {
    let dir = tempfile::tempdir().unwrap();
    painmap(&fixtures())
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("wrote 11 man pages"));
    // Every page painmap(1) refers to exists, and names its command.
    let top = std::fs::read_to_string(dir.path().join("painmap.1")).unwrap();
    for sub in ["rank", "tag", "explain", "check", "diff", "init", "themes"] {
        assert!(
            top.contains(&format!("painmap\\-{sub}(1)")),
            "{sub} is listed"
        );
        let page = std::fs::read_to_string(dir.path().join(format!("painmap-{sub}.1"))).unwrap();
        assert!(page.contains(&format!(".TH painmap-{sub} 1")), "{page}");
        assert!(
            page.contains("\\-\\-roadmap"),
            "{sub}: global options are on the page"
        );
    }
    let rank = stdout(painmap(&fixtures()).args(["man", "rank"]).assert().code(0));
    assert!(rank.contains("\\-\\-tagged"), "{rank}");
    assert_eq!(
        rank,
        std::fs::read_to_string(dir.path().join("painmap-rank.1")).unwrap()
    );
    painmap(&fixtures())
        .args(["man", "ranks"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("one of: rank, tag"));
    painmap(&fixtures())
        .args(["man", "--dir"])
        .arg(dir.path().join("missing"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("help: create it first"));
}

// ---- conventions: exit codes, colour, width, quiet, verbose, environment ----

#[test]
fn help_documents_the_exit_codes_and_environment() {
    painmap(&fixtures())
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Exit codes:\n  0  success"))
        .stdout(predicate::str::contains("  1  error: bad input"))
        .stdout(predicate::str::contains("  2  usage error"))
        .stdout(predicate::str::contains("  3  a CI gate tripped"))
        .stdout(predicate::str::contains("PAINMAP_AS_OF"))
        .stdout(predicate::str::contains(
            "flags win over these, and these over roadmap.toml",
        ));
}

#[test]
fn each_exit_code() {
    let dir = fixtures();
    painmap(&dir)
        .args(["rank", "--as-of", AS_OF])
        .assert()
        .code(0);
    painmap(&dir).args(["rank", "missing.csv"]).assert().code(1);
    painmap(&dir)
        .args(["rank", "--frmat", "json"])
        .assert()
        .code(2);
    painmap(&dir)
        .args(["check", "-r", "problems.toml"])
        .assert()
        .code(3);
}

fn table(envs: &[(&str, &str)], args: &[&str]) -> String {
    let mut cmd = painmap(&fixtures());
    cmd.env_remove("NO_COLOR")
        .args(["rank", "--as-of", AS_OF])
        .args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    stdout(cmd.assert().code(0))
}

#[test]
fn colour_follows_no_color_clicolor_force_and_the_flag() {
    let escape = "\u{1b}[";
    assert!(
        !table(&[], &[]).contains(escape),
        "no colour off a terminal"
    );
    assert!(table(&[("CLICOLOR_FORCE", "1")], &[]).contains(escape));
    assert!(!table(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]).contains(escape));
    assert!(!table(&[("CLICOLOR_FORCE", "0")], &[]).contains(escape));
    assert!(table(&[("NO_COLOR", "1")], &["--color", "always"]).contains(escape));
    assert!(!table(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]).contains(escape));
    // check's labels follow the same rules.
    painmap(&fixtures())
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .args(["check", "-r", "problems.toml"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("\u{1b}[1;31mproblem\u{1b}[0m: "));
}

#[test]
fn columns_sets_the_table_width_and_long_titles_wrap() {
    let narrow = table(&[("COLUMNS", "100")], &[]);
    let widest = narrow.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 100, "a line is {widest} wide:\n{narrow}");
    assert!(
        !narrow.contains("Version history and audit trail"),
        "the title wraps:\n{narrow}"
    );
    let wide = table(&[("COLUMNS", "200")], &[]);
    assert!(
        wide.contains("history · Version history and audit trail"),
        "{wide}"
    );
}

/// The column headers of every table in `text`, each put back together
/// from the lines it wrapped over.
fn table_headers(text: &str) -> Vec<String> {
    let mut headers = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with('┌') {
            continue;
        }
        let mut columns: Vec<Vec<String>> = Vec::new();
        for row in lines.by_ref().take_while(|l| !l.starts_with('╞')) {
            let cells = row.trim_matches('│').split('┆');
            for (i, cell) in cells.enumerate() {
                if columns.len() <= i {
                    columns.push(Vec::new());
                }
                if !cell.trim().is_empty() {
                    columns[i].push(cell.trim().to_string());
                }
            }
        }
        headers.extend(columns.into_iter().map(|parts| parts.join(" ")));
    }
    headers
}

#[test]
fn the_shipped_example_table_fits_60_80_and_100_columns_without_breaking_words() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let known = [
        "#",
        "feature",
        "score",
        "customers",
        "mentions",
        "pain",
        "trend",
        "value",
        "effort",
        "top stage",
        "top persona",
        "stage \\ persona",
        "admin",
        "team-lead",
        "member",
        "finance",
        "unknown",
    ];
    for width in [60, 80, 100] {
        let out = stdout(
            painmap(root)
                .env("COLUMNS", width.to_string())
                .args(["rank", "--as-of", "2026-11-20", "-q"])
                .assert(),
        );
        for line in out.lines() {
            assert!(
                line.chars().count() <= width,
                "at {width} columns a line is {} wide: {line}\n{out}",
                line.chars().count()
            );
            if line.contains("onboar") {
                assert!(line.contains("onboarding"), "a stage id broke:\n{out}");
            }
        }
        let headers = table_headers(&out);
        assert!(headers.len() > 8, "{out}");
        for h in &headers {
            assert!(known.contains(&h.as_str()), "header {h:?} broke:\n{out}");
        }
        // The score and the titles are never what goes.
        assert!(headers.iter().any(|h| h == "score"), "{out}");
        assert!(out.contains("Single"), "{out}");
        // Columns dropped to fit are named.
        if !headers.iter().any(|h| h == "mentions") {
            assert!(out.contains("not shown at this width: mentions"), "{out}");
        }
    }
}

#[test]
fn the_matrix_corner_stays_on_one_line_when_the_width_has_room() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |width: &str| {
        stdout(
            painmap(root)
                .env("COLUMNS", width)
                .args(["rank", "--as-of", "2026-11-20", "-q"])
                .assert(),
        )
    };
    for width in [50, 80, 250] {
        let out = run(&width.to_string());
        let matrix = &out[out.find("Journey stage").expect("a matrix")..];
        assert!(
            matrix.lines().any(|l| l.starts_with("│ stage \\ persona ")),
            "at {width} columns:\n{out}"
        );
        assert!(
            matrix.lines().all(|l| l.chars().count() <= width),
            "at {width} columns:\n{matrix}"
        );
    }
}

/// Every line of `out` is at most `width` columns, and every header of
/// its tables is one of `known`, whole.
fn fits(out: &str, width: usize, known: &[&str]) {
    for line in out.lines() {
        let w = line.chars().count();
        assert!(
            w <= width,
            "at {width} columns a line is {w} wide: {line}\n{out}"
        );
    }
    let headers = table_headers(out);
    assert!(!headers.is_empty(), "{out}");
    for h in &headers {
        assert!(known.contains(&h.as_str()), "header {h:?} broke:\n{out}");
    }
}

/// The shipped example's themes are the topics its roadmap leaves out (as
/// the README says), and no theme suggests a keyword that is not about it.
#[test]
fn the_shipped_examples_themes_are_its_off_roadmap_topics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = stdout(
        painmap(root)
            .args(["--as-of", "2026-11-20", "-q", "themes", "--format", "json"])
            .assert(),
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let themes = v["themes"].as_array().unwrap();
    let phrases: Vec<&str> = themes
        .iter()
        .map(|t| t["phrase"].as_str().unwrap())
        .collect();
    for topic in [
        "crashes",
        "ai",
        "subtasks",
        "swimlanes",
        "checklist",
        "price",
    ] {
        assert!(phrases.contains(&topic), "{topic}: {phrases:?}");
    }
    let ai = &themes[phrases.iter().position(|p| *p == "ai").unwrap()];
    for k in ai["keywords"].as_array().unwrap() {
        assert!(k.as_str().unwrap().contains("ai"), "{ai}");
    }
}

#[test]
fn compare_and_themes_tables_fit_the_width_like_the_rank_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |width: usize, args: &[&str]| {
        stdout(
            painmap(root)
                .env("COLUMNS", width.to_string())
                .args(["--as-of", "2026-11-20", "-q"])
                .args(args)
                .assert(),
        )
    };
    let themes: Value = serde_json::from_str(&run(100, &["themes", "--format", "json"])).unwrap();
    let phrases: Vec<&str> = themes["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["phrase"].as_str().unwrap())
        .collect();
    assert!(!phrases.is_empty());
    for width in [60, 80, 100] {
        let out = run(width, &["rank", "--compare", "rice,wsjf,pain-value"]);
        fits(
            &out,
            width,
            &["feature", "rice", "wsjf", "pain-value", "spread"],
        );
        for model in ["rice", "wsjf", "pain-value"] {
            assert!(table_headers(&out).iter().any(|h| h == model), "{out}");
        }
        assert!(out.contains("The models disagree most on"), "{out}");

        let out = run(width, &["themes"]);
        // The [[features]] snippet after the table is pasted, not wrapped.
        let snippet = out.find("\n[[features]]").unwrap_or(out.len());
        let out = &out[..snippet];
        fits(
            out,
            width,
            &[
                "#",
                "theme",
                "customers",
                "mentions",
                "pain",
                "stage",
                "persona",
                "quotes",
            ],
        );
        // A theme is never broken over lines.
        for phrase in &phrases {
            assert!(
                out.lines().any(|l| l.contains(&format!("┆ {phrase} "))),
                "theme {phrase:?} broke at {width} columns:\n{out}"
            );
        }
        let headers = table_headers(out);
        if !headers.iter().any(|h| h == "mentions") {
            assert!(out.contains("not shown at this width: mentions"), "{out}");
        }
    }
}

#[test]
fn cjk_and_emoji_titles_fit_the_width_in_terminal_columns() {
    use unicode_width::UnicodeWidthStr;
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("roadmap.toml"),
        r#"[product]
name = "风车 项目 看板 面向 代理 机构 和 产品 团队 的 项目 管理 工具"

[[features]]
id = "export"
title = "导出 看板 到 表格 文件 并且 支持 所有 格式 📤 和 模板"
keywords = ["export"]

[[features]]
id = "sso"
title = "单点登录"
keywords = ["sso"]
"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("feedback.csv"),
        "id,created_at,text\n1,2026-10-01,export is broken\n2,2026-10-02,sso please\n",
    )
    .unwrap();
    for width in [60, 80] {
        for args in [&["rank"][..], &["rank", "--compare", "rice,pain-value"]] {
            let out = stdout(
                painmap(dir.path())
                    .env("COLUMNS", width.to_string())
                    .args(args)
                    .args(["--as-of", AS_OF, "-q", "feedback.csv"])
                    .assert()
                    .success(),
            );
            for line in out.lines() {
                assert!(
                    line.width() <= width,
                    "at {width} columns a line takes {}: {line}\n{out}",
                    line.width()
                );
            }
            assert!(out.contains("单点登录"), "{out}");
        }
    }
}

#[test]
fn quiet_silences_warnings_and_verbose_says_more() {
    let dir = scratch();
    let csv = dir.path().join("feedback.csv");
    edit(&csv, "Q-114,2026-10-05", "Q-114,someday");
    painmap(dir.path())
        .args([
            "rank", "--as-of", AS_OF, "-o", "out.md", "--format", "markdown",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: feedback.csv:15: cannot read the date \"someday\"",
        ));
    painmap(dir.path())
        .args([
            "rank", "--as-of", AS_OF, "-o", "out.md", "--format", "markdown", "--quiet",
        ])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    painmap(dir.path())
        .args(["rank", "--as-of", AS_OF, "-o", "out.md", "--verbose"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "painmap: feedback.csv: csv, utf-8, no preset matched, 21 items, 0 rejected; columns: text=comment",
        ))
        .stderr(predicate::str::contains(
            "painmap: survey.jsonl: jsonl, utf-8, no preset matched, 5 items",
        ))
        .stderr(predicate::str::contains("read and tagged 26 items in"))
        .stderr(predicate::str::is_match(
            r"20 linked, 6 unlinked, 0 rejected; scored \d+ features with pain-value in \d+\.\d ms; rendered in \d+\.\d ms",
        ).unwrap());
    // Every command that reads feedback describes it and says how long it took.
    for (command, timing) in [
        ("tag", "painmap: read, tagged and wrote 26 items in"),
        ("themes", "painmap: read, tagged and mined 26 items in"),
        ("check", "painmap: read and tagged 26 items in"),
    ] {
        painmap(dir.path())
            .args([command, "--as-of", AS_OF, "--verbose"])
            .assert()
            .stderr(predicate::str::contains(
                "painmap: survey.jsonl: jsonl, utf-8, no preset matched, 5 items",
            ))
            .stderr(predicate::str::contains(timing));
    }
    painmap(dir.path())
        .args(["themes", "--as-of", AS_OF, "--verbose"])
        .assert()
        .stderr(predicate::str::contains("6 of them unlinked; grouped"));
}

#[test]
fn flags_beat_environment_beats_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let roadmap = fixtures().join("roadmap.toml");
    let as_of = |cmd: &mut Command| -> Value {
        let out = cmd.assert().success().get_output().stdout.clone();
        let r: Value = serde_json::from_slice(&out).unwrap();
        r["as_of"].clone()
    };
    let base = || {
        let mut c = painmap(dir.path());
        c.env("PAINMAP_ROADMAP", &roadmap)
            .args(["rank", "--format", "json"]);
        c
    };
    assert_eq!(
        as_of(base().env("PAINMAP_AS_OF", "2026-10-01")),
        "2026-10-01"
    );
    assert_eq!(
        as_of(
            base()
                .env("PAINMAP_AS_OF", "2026-10-01")
                .args(["--as-of", AS_OF])
        ),
        AS_OF
    );
    // An empty variable counts as unset: today, not an error.
    base().env("PAINMAP_AS_OF", "").assert().success();
    base()
        .env("PAINMAP_AS_OF", "last tuesday")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--as-of \"last tuesday\" is not a date (it comes from PAINMAP_AS_OF)",
        ));
    // --roadmap beats PAINMAP_ROADMAP.
    painmap(dir.path())
        .env("PAINMAP_ROADMAP", dir.path().join("nowhere.toml"))
        .args(["check", "-r"])
        .arg(&roadmap)
        .assert()
        .code(0);
    painmap(dir.path())
        .env("PAINMAP_ROADMAP", dir.path().join("nowhere.toml"))
        .arg("check")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nowhere.toml: roadmap not found"));
}

#[test]
fn typos_get_suggestions() {
    let dir = fixtures();
    let suggests = |args: &[&str], hint: &str| {
        painmap(&dir)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(hint));
    };
    suggests(&["rnak"], "a similar subcommand exists: 'rank'");
    suggests(
        &["rank", "--format", "jsn"],
        "a similar value exists: 'json'",
    );
    suggests(
        &["rank", "--model", "rce"],
        "a similar value exists: 'rice'",
    );
    suggests(&["rank", "--preset", "zendsk"], "did you mean `zendesk`?");
    suggests(
        &["init", "--preset", "zendsk", "x.csv"],
        "did you mean `zendesk`?",
    );
}

// ---- the Markdown report ----------------------------------------------------

#[test]
fn markdown_report_is_self_contained_and_redacted() {
    let out = stdout(
        painmap(&fixtures())
            .args(["rank", "--format", "markdown", "--as-of", AS_OF])
            .assert()
            .code(0),
    );
    for expected in [
        "# Quillpad roadmap\n",
        "As of 2026-11-01, ranked by the `pain-value` model from 26 items in 2 sources.",
        "| 1 | Single sign-on \\(SAML\\) (`sso`) |",
        "### 3. Search that finds notes (`search`)",
        "> Search broke again after the update. Call me on \\[phone\\] or mail \\[email\\], we can't find client notes.",
        "## Journey stage × persona",
        "## Unlinked feedback\n\n6 of 26 items (23.1%) link to no feature.",
        "## Model\n\n`pain-value`: score = Σ over customers",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
    assert!(!out.contains("nia.b@harbor.test") && !out.contains("555 010"));
    // Three quotes per feature at most.
    let search = out
        .split("### 3.")
        .nth(1)
        .unwrap()
        .split("###")
        .next()
        .unwrap();
    assert_eq!(search.matches("\n> —").count(), 3, "{search}");
}

// ---- terminals: stdin hint and progress bar ---------------------------------

/// Runs a shell command under a pseudo-terminal (util-linux `script`), so
/// that stdin, stdout and stderr are all a terminal. `None` when `script`
/// is not installed.
fn in_terminal(dir: &Path, command: &str, envs: &[(&str, &str)]) -> Option<(i32, String)> {
    let probe = Process::new("script").arg("--version").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: util-linux `script` is not installed");
        return None;
    }
    let mut cmd = Process::new("script");
    cmd.args(["-q", "-e", "-c", command, "/dev/null"])
        .current_dir(dir)
        .env_remove("PAINMAP_ROADMAP")
        .env_remove("PAINMAP_AS_OF")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Some((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    ))
}

#[test]
fn stdin_from_a_terminal_gets_a_hint_instead_of_a_hang() {
    let command = format!("{} tag -", bin().display());
    let Some((code, out)) = in_terminal(&fixtures(), &command, &[]) else {
        return;
    };
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("stdin is a terminal"), "{out}");
    assert!(out.contains("end the command with < tickets.csv"), "{out}");
    // rank --tagged - would wait too.
    let command = format!("{} rank --tagged -", bin().display());
    let Some((code, out)) = in_terminal(&fixtures(), &command, &[]) else {
        return;
    };
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("--tagged - reads painmap tag's output from stdin, but stdin is a terminal"),
        "{out}"
    );
}

/// An export long enough to be read in several chunks.
fn long_export(dir: &Path) -> PathBuf {
    let path = dir.join("long.csv");
    let mut text = String::from("id,text\n");
    for i in 0..20_000 {
        text.push_str(&format!(
            "{i},the search is slow today and offline mode would help\n"
        ));
    }
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn progress_shows_on_a_terminal_and_hides_when_quiet_or_piped() {
    let dir = scratch();
    long_export(dir.path());
    let command = format!(
        "{} rank long.csv --as-of {AS_OF} -o out.json --format json",
        bin().display()
    );
    let delay = [("PAINMAP_PROGRESS_DELAY_MS", "0")];
    let Some((code, out)) = in_terminal(dir.path(), &command, &delay) else {
        return;
    };
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("items read"), "{out}");
    let (code, out) = in_terminal(dir.path(), &format!("{command} --quiet"), &delay).unwrap();
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("items read"), "{out}");
    // Off a terminal it never shows.
    painmap(dir.path())
        .env("PAINMAP_PROGRESS_DELAY_MS", "0")
        .args(["rank", "long.csv", "--as-of", AS_OF, "-o", "out.json"])
        .assert()
        .success()
        .stderr(predicate::str::contains("items read").not());
}

// ---- the shipped CI examples ------------------------------------------------

/// The painmap commands in a shell script: each as its words, with
/// redirections left out.
fn painmap_commands(script: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    for line in script.lines() {
        for part in line.split(['|', ';']).flat_map(|p| p.split("&&")) {
            let mut words: Vec<&str> = part.split_whitespace().collect();
            while matches!(words.first(), Some(&"if" | &"then" | &"else" | &"do")) {
                words.remove(0);
            }
            if words.first() != Some(&"painmap") {
                continue;
            }
            let command = words
                .iter()
                .take_while(|w| !w.starts_with('>') && !w.starts_with('<') && !w.starts_with("2>"))
                .map(|w| w.to_string())
                .collect();
            commands.push(command);
        }
    }
    commands
}

/// Checks that each command's subcommand and flags exist in painmap's help.
fn assert_commands_exist(commands: &[Vec<String>], wanted: &[&str]) {
    let help = stdout(painmap(&fixtures()).arg("--help").assert().code(0));
    let listed = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap();
    for c in commands {
        let sub = c.get(1).expect("painmap with a subcommand");
        assert!(
            listed
                .lines()
                .any(|l| l.split_whitespace().next() == Some(sub.as_str())),
            "`painmap {sub}` is not in painmap --help:\n{listed}"
        );
        let sub_help = stdout(
            painmap(&fixtures())
                .args([sub.as_str(), "--help"])
                .assert()
                .code(0),
        );
        for flag in c.iter().filter(|w| w.starts_with('-') && w.len() > 1) {
            let flag = flag.split('=').next().unwrap();
            let shown = if flag.starts_with("--") {
                format!("{flag} ")
            } else {
                format!("{flag}, ")
            };
            assert!(
                sub_help.contains(&shown) || sub_help.contains(&format!("{flag}\n")),
                "`painmap {sub} {flag}` is not in its --help"
            );
        }
    }
    for w in wanted {
        assert!(
            commands
                .iter()
                .any(|c| c.get(1).map(String::as_str) == Some(*w)),
            "no painmap {w}"
        );
    }
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci")
}

#[test]
fn github_actions_example_is_valid_yaml_running_real_commands() {
    use yaml_rust2::{Yaml, YamlLoader};
    let text = fs::read_to_string(examples().join("github-actions.yml")).unwrap();
    let docs = YamlLoader::load_from_str(&text).expect("valid YAML");
    let workflow = &docs[0];
    assert!(workflow["on"]["push"].as_hash().is_some());
    assert!(workflow["on"]["pull_request"].as_hash().is_some());
    let jobs = workflow["jobs"].as_hash().expect("jobs");
    let mut scripts = Vec::new();
    for (_, job) in jobs {
        assert!(job["runs-on"].as_str().is_some());
        for step in job["steps"].as_vec().expect("steps") {
            match (&step["run"], &step["uses"]) {
                (Yaml::String(run), _) => scripts.push(run.clone()),
                (_, Yaml::String(_)) => {}
                _ => panic!("a step with neither run nor uses: {step:?}"),
            }
        }
    }
    let commands: Vec<Vec<String>> = scripts.iter().flat_map(|s| painmap_commands(s)).collect();
    assert_commands_exist(&commands, &["check", "rank", "diff"]);
    // The report is regenerated with --as-of set to the commit date, and
    // the diff goes to the job summary.
    let all = scripts.join("\n");
    assert!(all.contains("as_of=$(git log -1 --format=%cs)"));
    assert!(all.contains("--as-of \"$as_of\" --format markdown -o ROADMAP.md"));
    assert!(all.contains("--format markdown >> \"$GITHUB_STEP_SUMMARY\""));
}

#[test]
fn makefile_example_runs() {
    let text = fs::read_to_string(examples().join("Makefile")).unwrap();
    let recipe = text
        .replace("$(PAINMAP)", "painmap")
        .replace("$(AS_OF)", AS_OF);
    let commands = painmap_commands(&recipe);
    assert_commands_exist(&commands, &["check", "rank", "diff"]);

    // And it works: twice, so that the second run has a report to diff.
    let probe = Process::new("make").arg("--version").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped running it: make is not installed");
        return;
    }
    let dir = scratch();
    let run = || {
        Process::new("make")
            .args(["-f"])
            .arg(examples().join("Makefile"))
            .arg("roadmap")
            .arg(format!("PAINMAP={}", bin().display()))
            .arg(format!("AS_OF={AS_OF}"))
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env_remove("PAINMAP_ROADMAP")
            .env_remove("PAINMAP_AS_OF")
            .output()
            .unwrap()
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let report = fs::read_to_string(dir.path().join("ROADMAP.md")).unwrap();
    assert!(report.starts_with("# Quillpad roadmap"));
    assert!(dir.path().join("ROADMAP.json").exists());
    let second = run();
    assert!(second.status.success());
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(
        out.contains("0 entered, 0 left, 0 moved, 0 same rank with a new score, 6 unchanged"),
        "{out}"
    );
}

#[test]
fn check_counts_each_source_as_rank_does() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let json = |args: &[&str]| -> Value {
        let out = painmap(root)
            .args(args)
            .args(["--as-of", "2026-11-20", "--format", "json", "--quiet"])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let check = json(&["check"]);
    let rank = json(&["rank"]);
    let sources = check["feedback"]["sources"].as_array().unwrap();
    let sum: u64 = sources.iter().map(|s| s["items"].as_u64().unwrap()).sum();
    assert_eq!(sum, check["feedback"]["items"].as_u64().unwrap());
    assert!(sources.iter().any(|s| s["rejected"].as_u64().unwrap() > 0));
    for (c, r) in sources.iter().zip(rank["sources"].as_array().unwrap()) {
        assert_eq!(c["path"], r["path"]);
        assert_eq!(c["items"], r["items"], "{}", c["path"]);
        assert_eq!(c["rejected"], r["rejected"], "{}", c["path"]);
    }
}

/// Two exports that overlap, as consecutive months' exports do: the last
/// rows of `oct.csv` are the first of `nov.csv`.
fn overlapping_exports(dir: &Path) {
    let feedback = fs::read_to_string(fixtures().join("feedback.csv")).unwrap();
    let (header, rows) = feedback.split_once('\n').unwrap();
    let rows: Vec<&str> = rows.lines().collect();
    let (oct, nov) = (&rows[..12], &rows[9..]);
    fs::write(
        dir.join("oct.csv"),
        format!("{header}\n{}\n", oct.join("\n")),
    )
    .unwrap();
    fs::write(
        dir.join("nov.csv"),
        format!("{header}\n{}\n", nov.join("\n")),
    )
    .unwrap();
}

#[test]
fn check_finds_the_duplicates_across_sources_that_rank_finds() {
    let dir = scratch();
    overlapping_exports(dir.path());
    let json = |command: &str| -> Value {
        let out = painmap(dir.path())
            .args([
                command, "oct.csv", "nov.csv", "--as-of", AS_OF, "-f", "json",
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("nov.csv:2: the same text from the same customer as oct.csv:11"),
            "{command}: {stderr}"
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let (check, rank) = (json("check"), json("rank"));
    let totals = &rank["totals"];
    assert_eq!(totals["items"], 21 + 3);
    for count in ["items", "linked", "unlinked", "rejected", "duplicates"] {
        assert_eq!(check["feedback"][count], totals[count], "{count}");
    }
    for (c, r) in check["feedback"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .zip(rank["sources"].as_array().unwrap())
    {
        assert_eq!(c["items"], r["items"], "{}", c["path"]);
        assert_eq!(c["rejected"], r["rejected"], "{}", c["path"]);
        assert_eq!(c["duplicates"], r["duplicates"], "{}", c["path"]);
    }
}

#[test]
fn duplicates_are_counted_once_not_rejected_as_malformed() {
    // 3 copies in 24 rows is over the default max_rejected_share of 5%,
    // but copies are no malformed rows: nothing to export again.
    let dir = scratch();
    overlapping_exports(dir.path());
    let files = ["oct.csv", "nov.csv", "--as-of", AS_OF];
    let out = stdout(
        painmap(dir.path())
            .arg("check")
            .args(files)
            .assert()
            .code(0),
    );
    assert!(
        out.contains(
            "24 items: 15 linked, 6 unlinked (28.6%, at most 40%), 0 rejected, 3 duplicates"
        ),
        "{out}"
    );
    let rank = stdout(painmap(dir.path()).arg("rank").args(files).assert().code(0));
    assert!(
        rank.contains("24 items: 15 linked, 6 unlinked, 0 rejected, 3 duplicates · model"),
        "{rank}"
    );
    let json: Value = serde_json::from_str(&stdout(
        painmap(dir.path())
            .arg("rank")
            .args(files)
            .args(["-f", "json"])
            .assert()
            .code(0),
    ))
    .unwrap();
    let totals = &json["totals"];
    assert_eq!(
        (&totals["rejected"], &totals["duplicates"]),
        (&0.into(), &3.into())
    );
    assert_eq!(json["sources"][1]["duplicates"], 3);
    // --strict stops a ranking at a copy, so check --strict reports them.
    painmap(dir.path())
        .arg("check")
        .args(files)
        .arg("--strict")
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "12.5% of the rows (3 of 24) were rejected or duplicates; --strict allows none",
        ));
    painmap(dir.path())
        .arg("rank")
        .args(files)
        .arg("--strict")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "nov.csv:2: the same text from the same customer as oct.csv:11 (--strict stops at the first duplicate)",
        ));
}

#[test]
fn a_score_gate_across_models_is_a_usage_error_not_a_pass() {
    let dir = two_reports();
    painmap(dir.path())
        .args([
            "rank",
            "--model",
            "rice",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            "-o",
            "rice.json",
        ])
        .assert()
        .success();
    painmap(dir.path())
        .args(["diff", "new.json", "rice.json", "--fail-on", "score-change>1%"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "--fail-on score-change>1% compares scores, but the reports were ranked with different models (pain-value and rice)",
        ))
        .stderr(predicate::str::contains("help: rank both with the same --model"));
    // Rank gates still work across models, and one model passes the gate.
    painmap(dir.path())
        .args([
            "diff",
            "new.json",
            "rice.json",
            "--fail-on",
            "rank-change>100",
        ])
        .assert()
        .code(0);
    painmap(dir.path())
        .args([
            "diff",
            "old.json",
            "new.json",
            "--fail-on",
            "score-change>1%",
        ])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("--fail-on score-change>1% holds:"));
    // A model name with an escape in it is shown escaped, so that it cannot
    // pass for the other report's model.
    let forged = fs::read_to_string(dir.path().join("new.json"))
        .unwrap()
        .replace(
            "\"model\": \"pain-value\"",
            "\"model\": \"pain-value\\u001b[31m\"",
        );
    assert!(
        forged.contains("\\u001b[31m"),
        "the report has a model field"
    );
    fs::write(dir.path().join("forged.json"), forged).unwrap();
    painmap(dir.path())
        .args([
            "diff",
            "old.json",
            "forged.json",
            "--fail-on",
            "score-change>1%",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "different models (pain-value and pain-value\\u{1b}[31m)",
        ))
        .stderr(predicate::str::contains("\u{1b}").not());
    painmap(dir.path())
        .args(["diff", "old.json", "forged.json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "note: the reports use different models (pain-value and pain-value\\u{1b}[31m)",
        ));
}

#[test]
fn init_guesses_the_product_name_and_leaves_it_out_of_the_features() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exports = [
        "examples/feedback/zendesk_tickets.csv",
        "examples/feedback/surveymonkey_nps.csv",
        "examples/feedback/reviews_reviews_com.pinwheel.boards_202611.csv",
    ];
    let draft = |extra: &[&str]| {
        stdout(
            painmap(root)
                .args(["init", "-o", "-", "--quiet"])
                .args(exports)
                .args(extra)
                .assert()
                .success(),
        )
    };
    let guessed = draft(&[]);
    assert!(
        guessed.contains("[product]\nname = \"Pinwheel\"\n# The name is a guess"),
        "{guessed}"
    );
    assert!(!guessed.contains("id = \"pinwheel\""), "{guessed}");
    // A pair takes the place of the word it explains.
    assert!(guessed.contains("id = \"dark-mode\""), "{guessed}");
    assert!(!guessed.contains("id = \"mode\""), "{guessed}");
    let named = draft(&["--product", "Quillpad"]);
    assert!(named.contains("name = \"Quillpad\"\n\n"), "{named}");
    assert!(!named.contains("is a guess"), "{named}");
}

/// The README's tour shows what `rank --as-of 2026-11-20` prints on the
/// shipped example: every table line it shows, and the numbers of its
/// JSON example for the first feature.
#[test]
fn the_readme_tour_shows_what_rank_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let tour = readme
        .split("$ painmap rank --as-of 2026-11-20\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the tour's rank example");
    let out = stdout(
        common::painmap_in(root, 250)
            .args(["rank", "--as-of", "2026-11-20", "-q"])
            .assert(),
    );
    for line in tour.lines().filter(|l| !l.is_empty() && *l != "…") {
        assert!(
            out.lines().any(|o| o == line),
            "README shows {line:?}; rank printed:\n{out}"
        );
    }

    let json: Value = serde_json::from_str(&stdout(
        common::painmap_in(root, 250)
            .args(["rank", "--as-of", "2026-11-20", "-q", "--format", "json"])
            .assert(),
    ))
    .unwrap();
    let first = &json["features"][0];
    let example = readme
        .split("\"rank\": 1, \"id\": \"sso\"")
        .nth(1)
        .and_then(|rest| rest.split("\"evidence\"").next())
        .expect("the JSON example's first feature");
    // Each `"key": number` the example shows, against the report's.
    let mut shown = 0;
    for pair in example.split([',', '{', '}']) {
        let Some((key, number)) = pair.trim().split_once(": ") else {
            continue;
        };
        let (Some(key), Ok(number)) = (
            key.strip_prefix('"').and_then(|k| k.strip_suffix('"')),
            number.trim().parse::<f64>(),
        ) else {
            continue;
        };
        let real = ["breakdown", "stages", "personas", "kinds"]
            .iter()
            .fold(first.get(key), |found, map| {
                found.or_else(|| first[*map].get(key))
            })
            .and_then(Value::as_f64);
        assert_eq!(real, Some(number), "README's {key} for sso");
        shown += 1;
    }
    assert!(shown >= 12, "{shown} numbers read from:\n{example}");
}

/// A narrow table says `--format csv` has every column: it does.
#[test]
fn csv_has_every_column_of_the_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let csv = stdout(
        common::painmap_in(root, 250)
            .args(["rank", "--as-of", "2026-11-20", "-q", "--format", "csv"])
            .assert(),
    );
    let table = stdout(
        common::painmap_in(root, 250)
            .args(["rank", "--as-of", "2026-11-20", "-q"])
            .assert(),
    );
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let shown = table_headers(&table);
    for column in shown
        .iter()
        .take_while(|h| h.as_str() != "stage \\ persona")
    {
        let name = match column.as_str() {
            "#" => "rank".to_string(),
            "feature" => "title".to_string(),
            other => other.replace(' ', "_"),
        };
        assert!(
            header.contains(&name.as_str()),
            "{column} is not in {header:?}"
        );
    }
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let trend = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "trend")
        .unwrap();
    let first = r.records().next().unwrap().unwrap();
    assert_eq!(&first[trend], "1.188");
}

/// The README's table of generic column names is what `painmap sources`
/// lists.
#[test]
fn the_readme_lists_the_generic_column_names_painmap_uses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let listed = stdout(painmap(root).args(["sources"]).assert());
    let generic = listed
        .split("generic (no preset matched)")
        .nth(1)
        .expect("sources lists the generic names");
    let mut checked = 0;
    for line in generic.lines().skip(1) {
        let Some((field, names)) = line.trim().split_once(' ') else {
            continue;
        };
        let names = names
            .trim()
            .split(", else ")
            .next()
            .unwrap()
            .replace(',', "");
        let table = readme
            .split("| item field | header aliases |")
            .nth(1)
            .and_then(|t| t.split("\n\n").next())
            .expect("the README's alias table");
        assert!(
            table.contains(&format!("`{names}`")),
            "{field}: sources lists `{names}`; the README's table:\n{table}"
        );
        checked += 1;
    }
    assert!(checked >= 8, "{generic}");
}
