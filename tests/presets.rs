//! Every export preset against a fixture written in that tool's own shape
//! (tests/fixtures/exports/), tagged with no configuration: the preset is
//! detected from the file, and specific rows are checked for their id,
//! text, date (in UTC), rating, kind and votes. Then the ways detection can
//! go wrong: a named preset, a near miss, an ambiguous file, encodings.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn exports() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/exports")
}

/// The binary, run in `dir`, in the tests' fixed environment.
fn painmap(dir: &Path) -> Command {
    let mut cmd = common::painmap_in(dir, 120);
    cmd.args(["--as-of", "2026-11-01"]);
    cmd
}

/// What `painmap tag -v FILE` printed: the rows and the messages.
struct Tagged {
    rows: Vec<Value>,
    stderr: String,
}

impl Tagged {
    fn row(&self, id: &str) -> &Value {
        self.rows
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no row with id {id}; stderr:\n{}", self.stderr))
    }

    fn ids(&self) -> Vec<&str> {
        self.rows
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect()
    }
}

fn tag_in(dir: &Path, args: &[&str]) -> Tagged {
    let out = painmap(dir)
        .args(["tag", "-v", "-r"])
        .arg(exports().join("roadmap.toml"))
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    Tagged {
        rows: String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn tag(file: &str) -> Tagged {
    tag_in(&exports(), &[file])
}

fn text(row: &Value) -> &str {
    row["text"].as_str().unwrap()
}

fn features(row: &Value) -> Vec<&str> {
    row["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect()
}

/// A row whose first customer or account column is blank reads the
/// preset's next one, as dates do: a ticket with no requester e-mail still
/// names its requester.
#[test]
fn a_blank_customer_cell_falls_back_to_the_presets_next_column() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("zd.csv"),
        "Id,Requester,Requester email,Organization,Requester domain,Subject,Description,Ticket type,Created at\n\
         101,Ann,ann@nw.example,Northwind,nw.example,Export broken,It fails,incident,2026-10-28 10:00\n\
         102,Bob,,,bob.example,Export broken,Again,incident,2026-10-28 11:00\n",
    )
    .unwrap();
    let t = tag_in(dir.path(), &["zd.csv"]);
    assert!(
        t.stderr.contains(
            "customer=Requester email, else Requester, account=Organization, else Requester domain"
        ),
        "{}",
        t.stderr
    );
    assert_eq!(t.row("101")["customer"], "ann@nw.example");
    assert_eq!(t.row("102")["customer"], "bob");
    assert_eq!(t.row("102")["account"], "bob.example");
}

/// SurveyMonkey's multiple-choice plan question spreads over a column per
/// choice, each blank but the one chosen: the plan is whichever is filled.
#[test]
fn a_surveymonkey_plan_question_with_a_column_per_choice() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("sm.csv"),
        "Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,How likely is it that you would recommend Pinwheel to a friend or colleague?,What is the primary reason for your score?,Which plan are you on?,,\n\
         ,,,,,,,,,Response,Open-Ended Response,Free,Business,Enterprise\n\
         11,1,10/05/2026 09:12:44 AM,10/05/2026 09:15:02 AM,203.0.113.20,ann@nw.example,Ann,R,,9,Export is great,,,Enterprise\n\
         12,1,10/05/2026 10:12:44 AM,10/05/2026 10:15:02 AM,203.0.113.21,bo@nw.example,Bo,S,,3,Export is slow,Free,,\n",
    )
    .unwrap();
    let t = tag_in(dir.path(), &["sm.csv"]);
    assert!(t.stderr.contains("preset surveymonkey"), "{}", t.stderr);
    assert!(
        t.stderr.contains("plan=Which plan are you on? - Free, else Which plan are you on? - Business, else Which plan are you on? - Enterprise"),
        "{}",
        t.stderr
    );
    assert_eq!(t.row("11")["segment"], "enterprise");
    assert_eq!(t.row("12")["segment"], "free");
}

#[test]
fn zendesk_tickets() {
    let t = tag("zendesk_tickets.csv");
    assert!(
        t.stderr.contains(
            "zendesk_tickets.csv: csv, utf-8, preset zendesk (detected), 24 items, 0 rejected"
        ),
        "{}",
        t.stderr
    );
    assert_eq!(t.rows.len(), 24);
    let r = t.row("48211");
    // The description spans five lines; the next ticket starts on line 7.
    assert_eq!(r["line"], 2);
    assert_eq!(t.row("48214")["line"], 7);
    assert!(text(r)
        .starts_with("SSO with Okta keeps failing for new hires\nHi,\n\nWe rolled Okta SAML"));
    assert!(text(r).contains("\"SAML response invalid\""));
    // 08:14:09 at -0700.
    assert_eq!(r["created_at"], "2026-10-27T15:14:09Z");
    assert_eq!(r["kind"], "bug"); // ticket type "incident"
    assert_eq!(r["rating"], 1.0); // satisfaction "Good"
    assert_eq!(r["customer"], "priya@northwind.example");
    assert_eq!(r["account"], "Northwind Creative");
    assert_eq!(r["value"], 96000.0); // ARR [decimal]
    assert_eq!(features(r), ["sso"]);
    assert_eq!(t.row("48219")["rating"], 0.0); // "Bad"
    assert_eq!(t.row("48219")["kind"], "bug"); // "problem"
    assert_eq!(t.row("48214")["kind"], "question");
    // "Offered" carries no rating, silently; an empty ticket type leaves
    // the kind to the text.
    let r = t.row("48252");
    assert!(r["rating"].is_null());
    assert_eq!(r["kind"], "request");
    assert!(!t.stderr.contains("warning"), "{}", t.stderr);
    // "task" says nothing about the kind: the text asks to cancel.
    assert_eq!(t.row("48318")["kind"], "churn-risk");
}

#[test]
fn zendesk_formula_subject_is_neutralized_in_csv_output() {
    let out = painmap(&exports())
        .args([
            "tag",
            "--format",
            "csv",
            "-r",
            "roadmap.toml",
            "zendesk_tickets.csv",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let headers = r.headers().unwrap().clone();
    let text = headers.iter().position(|h| h == "text").unwrap();
    let rating = headers.iter().position(|h| h == "rating").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let evil = rows.iter().find(|r| &r[1] == "48247").unwrap();
    assert!(evil[text].starts_with("'=HYPERLINK("), "{}", &evil[text]);
    let good = rows.iter().find(|r| &r[1] == "48211").unwrap();
    assert_eq!(&good[rating], "1");
}

#[test]
fn intercom_conversations() {
    let t = tag("intercom_conversations.json");
    assert!(
        t.stderr
            .contains("json, utf-8, preset intercom (detected), 20 items, 1 rejected"),
        "{}",
        t.stderr
    );
    let r = t.row("215471001");
    // Tags and entities gone; the rating's remark is part of the text.
    assert_eq!(
        text(r),
        "Hi team,\nOur Okta SAML login started failing this morning with \"invalid audience\". \
         Nobody can get in – can you check?\nTook 3 hours to get a first reply while we were locked out."
    );
    // created_at is Unix seconds: 1792314000.
    assert_eq!(r["created_at"], "2026-10-18T09:00:00Z");
    assert_eq!(r["rating"], 0.25); // 2 on 1–5
    assert_eq!(r["kind"], "bug"); // tag "Bug"
    assert_eq!(r["customer"], "priya@northwind.example");
    // A list in the body becomes lines; &#8212; is an em dash.
    assert_eq!(
        text(t.row("215471005")),
        "Would love recurring tasks — half of our event checklist repeats every Monday.\nvenue check\nsupplier calls"
    );
    assert_eq!(t.row("215471002")["kind"], "request"); // "Feature request"
    assert!(t.row("215471003")["rating"].is_null()); // not rated
                                                     // A body that is only a screenshot has no text: rejected, with its place.
    assert!(
        t.stderr
            .contains("intercom_conversations.json:1254: 1 row with no text"),
        "{}",
        t.stderr
    );
    assert!(!t.ids().contains(&"215471015"));
}

#[test]
fn google_play_reviews_in_utf16() {
    let t = tag("reviews_reviews_com.pinwheel.boards_202609.csv");
    assert!(
        t.stderr
            .contains("csv, utf-16le, preset google-play (detected), 20 items, 2 rejected"),
        "{}",
        t.stderr
    );
    // The id is the review id inside the review link, percent-decoded.
    let r = t.row("gp:AOqpTOH0101xQ");
    assert_eq!(r["line"], 2);
    assert_eq!(
        text(r),
        "Useless without signal. I open my tasks on the train and get a blank screen. Please add offline mode!"
    );
    assert_eq!(r["created_at"], "2026-09-02T07:14:22Z");
    assert_eq!(r["rating"], 0.0); // one star
    assert!(r["customer"].is_null()); // reviews are anonymous
    assert_eq!(features(r), ["offline"]);
    // Non-ASCII text survives the UTF-16 decoding.
    assert_eq!(
        text(t.row("gp:AOqpTOH0175xQz9")),
        "Die App ist sehr langsam beim Laden großer Boards. Bitte verbessern."
    );
    let r = t.row("gp:AOqpTOH0212xQz9L"); // four stars, a line break in the text
    assert_eq!(r["rating"], 0.75);
    assert!(text(r).contains("late-night work.\nThe white background"));
    // Star-only reviews have no text.
    // Lines count from the file: one review before has a line break.
    assert!(t.stderr.contains(":7: 2 rows with no text"), "{}", t.stderr);
}

#[test]
fn app_store_connect_api_response() {
    let t = tag("app_store_reviews.json");
    assert!(
        t.stderr
            .contains("json, utf-8, preset app-store (detected), 20 items, 0 rejected"),
        "{}",
        t.stderr
    );
    let r = t.row("00000071-b3c2-0001-9e1f-2a7c00004101");
    assert_eq!(r["line"], 3); // the first record under "data" opens on line 3
    assert_eq!(
        text(r),
        "No offline mode\nI travel a lot and the app is empty on the plane. Please cache my boards offline."
    );
    assert_eq!(r["created_at"], "2026-10-28T13:12:44Z"); // 06:12:44-07:00
    assert_eq!(r["rating"], 0.0);
    assert_eq!(r["customer"], "jetlagged_jen");
    let r = t.row("00000071-b3c2-0004-9e1f-2a7c00004104");
    assert_eq!(r["rating"], 0.75);
    assert_eq!(features(r), ["dark-mode"]);
    // `type` is "customerReviews": a resource type, not a kind.
    assert!(!t.stderr.contains("kind=type"), "{}", t.stderr);
}

#[test]
fn app_store_pages_one_per_line_and_a_single_review() {
    let dir = tempfile::tempdir().unwrap();
    let doc: Value = serde_json::from_str(
        &fs::read_to_string(exports().join("app_store_reviews.json")).unwrap(),
    )
    .unwrap();
    let data = doc["data"].as_array().unwrap();
    // Two API pages, minified, one per line.
    let pages = format!(
        "{}\n{}\n",
        serde_json::json!({"data": &data[..12], "links": {}}),
        serde_json::json!({"data": &data[12..], "links": {}})
    );
    fs::write(dir.path().join("pages.jsonl"), pages).unwrap();
    // GET /customerReviews/{id}: one object under "data". A review not on
    // the pages, so that it is not a duplicate of one already read.
    let mut review = data[2].clone();
    review["id"] = "00000071-b3c2-0099-9e1f-2a7c00004199".into();
    review["attributes"]["body"] = "Widgets please, and the board view on iPad.".into();
    let single = serde_json::to_string_pretty(&serde_json::json!({"data": review})).unwrap();
    fs::write(dir.path().join("one.json"), single).unwrap();
    let t = tag_in(dir.path(), &["pages.jsonl", "one.json"]);
    assert_eq!(t.rows.len(), 21);
    assert!(t
        .stderr
        .contains("pages.jsonl: jsonl, utf-8, preset app-store (detected), 20 items"));
    assert!(t
        .stderr
        .contains("one.json: json, utf-8, preset app-store (detected), 1 item"));
    let last = t.rows.last().unwrap();
    assert_eq!(last["id"], "00000071-b3c2-0099-9e1f-2a7c00004199");
    assert_eq!(last["rating"], 0.25);
    // The same review read twice counts once.
    fs::write(
        dir.path().join("again.json"),
        serde_json::to_string_pretty(&serde_json::json!({"data": data[2]})).unwrap(),
    )
    .unwrap();
    // Single reviews, minified, one response per line.
    let singles = format!(
        "{}\n{}\n",
        serde_json::json!({"data": &data[0], "links": {"self": "u0"}}),
        serde_json::json!({"data": &data[1], "links": {"self": "u1"}})
    );
    fs::write(dir.path().join("singles.jsonl"), singles).unwrap();
    let t = tag_in(dir.path(), &["singles.jsonl"]);
    assert_eq!(t.rows.len(), 2, "{}", t.stderr);
    assert!(
        t.stderr
            .contains("singles.jsonl: jsonl, utf-8, preset app-store (detected), 2 items"),
        "{}",
        t.stderr
    );
    assert_eq!(t.rows[0]["id"], data[0]["id"]);
    let t = tag_in(dir.path(), &["pages.jsonl", "again.json"]);
    assert_eq!(t.rows.len(), 20);
    assert!(
        t.stderr
            .contains("again.json:2: the same text from the same customer as pages.jsonl:3"),
        "{}",
        t.stderr
    );
}

#[test]
fn jira_issues_with_repeated_columns() {
    let t = tag("jira_issues.csv");
    assert!(
        t.stderr
            .contains("csv, utf-8, preset jira (detected), 21 items, 0 rejected"),
        "{}",
        t.stderr
    );
    assert!(
        t.stderr.contains("text=Summary+Description+Comment (all)"),
        "{}",
        t.stderr
    );
    let r = t.row("CR-412");
    assert_eq!(r["created_at"], "2026-10-02T09:14:00Z"); // 02/Oct/26 9:14 AM
    assert_eq!(r["kind"], "bug");
    assert_eq!(r["votes"], 7);
    assert_eq!(r["account"], "Northwind Creative");
    assert_eq!(r["customer"], "priya@northwind.example");
    // Both comments, without their date;author; prefix.
    assert!(text(r).ends_with(
        "Reproduced on staging.\nTwo more customers hit this today; one is blocked on onboarding."
    ));
    assert!(!text(r).contains("557058"), "{}", text(r));
    assert_eq!(t.row("CR-411")["kind"], "request"); // Story
    assert_eq!(t.row("CR-407")["kind"], "request"); // Improvement
    assert_eq!(t.row("CR-402")["kind"], "request"); // New Feature
    assert_eq!(t.row("CR-404")["votes"], 44);
    // A Task says nothing; the second of three Labels columns says "bug".
    assert_eq!(t.row("CR-392")["kind"], "bug");
    assert_eq!(t.row("CR-412")["line"], 2);
}

#[test]
fn github_issues_with_reactions_as_votes() {
    let t = tag("github_issues.json");
    assert!(
        t.stderr
            .contains("json, utf-8, preset github (detected), 20 items, 0 rejected"),
        "{}",
        t.stderr
    );
    let r = t.row("214");
    assert!(text(r).starts_with("Webhook deliveries stop after about an hour\n### What happened"));
    assert_eq!(r["created_at"], "2026-10-29T08:12:44Z");
    assert_eq!(r["customer"], "mkowalska");
    assert_eq!(r["kind"], "bug");
    assert_eq!(r["votes"], 23); // 👍 23; 👀 4 are not votes
    assert_eq!(t.row("213")["votes"], 46); // 👍 41 + ❤️ 3 + 🚀 2
    assert_eq!(t.row("213")["kind"], "request"); // enhancement
    assert_eq!(t.row("212")["kind"], "question");
    assert_eq!(t.row("212")["votes"], 0);
    assert_eq!(t.row("196")["votes"], 7); // 👎 2 do not count
}

/// The REST API's issues (`gh api repos/OWNER/REPO/issues`) are GitHub
/// issues too: the login is the customer and the reactions are votes.
#[test]
fn github_rest_api_issues_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("rest.json"),
        r#"[{"number": 7, "title": "Export broken", "body": "fails", "user": {"login": "alice", "id": 1},
             "created_at": "2026-10-01T10:00:00Z", "html_url": "https://example.test/7",
             "labels": [{"name": "bug"}], "reactions": {"+1": 3, "heart": 1, "hooray": 1, "-1": 2}}]"#,
    )
    .unwrap();
    let t = tag_in(dir.path(), &["rest.json"]);
    assert!(
        t.stderr.contains("preset github (detected)"),
        "{}",
        t.stderr
    );
    let r = t.row("7");
    assert_eq!(r["customer"], "alice");
    assert_eq!(r["votes"], 5); // 👍 3 + ❤️ 1 + 🎉 1; 👎 is no vote
    assert_eq!(r["kind"], "bug");
    assert_eq!(r["created_at"], "2026-10-01T10:00:00Z");
}

/// A preset named for a file it does not fit is used, with a warning that
/// says which preset the headers are.
#[test]
fn a_preset_forced_on_a_file_it_does_not_fit_warns() {
    let t = tag_in(&exports(), &["--preset", "zendesk", "jira_issues.csv"]);
    assert!(
        t.stderr.contains("jira_issues.csv:1: preset zendesk was named for this file, but it has 0 of the 4 columns that preset zendesk is detected by; the headers are those of preset jira"),
        "{}",
        t.stderr
    );
    // Named for a file it fits, it says nothing.
    let t = tag_in(&exports(), &["--preset", "jira", "jira_issues.csv"]);
    assert!(
        !t.stderr.contains("was named for this file"),
        "{}",
        t.stderr
    );
    // A JSON source is checked against its first record's fields.
    let t = tag_in(&exports(), &["--preset", "zendesk", "github_issues.json"]);
    assert!(
        t.stderr.contains("preset zendesk was named for this file")
            && t.stderr.contains("those of preset github"),
        "{}",
        t.stderr
    );
    let t = tag_in(&exports(), &["--preset", "github", "github_issues.json"]);
    assert!(
        !t.stderr.contains("was named for this file"),
        "{}",
        t.stderr
    );
}

#[test]
fn votes_raise_a_feature_like_more_customers_asking() {
    // Two issues alike but for their topic; the one with reactions wins,
    // and moving the reactions moves the ranking.
    let dir = tempfile::tempdir().unwrap();
    let issue = |n: u32, login: &str, title: &str, thumbs: u32| {
        serde_json::json!({
            "author": {"id": format!("U{n}"), "is_bot": false, "login": login, "name": ""},
            "body": "This would help our team a lot.",
            "createdAt": "2026-10-30T10:00:00Z",
            "labels": [{"name": "enhancement"}],
            "number": n,
            "reactionGroups": if thumbs > 0 {
                serde_json::json!([{"content": "THUMBS_UP", "users": {"totalCount": thumbs}}])
            } else {
                serde_json::json!([])
            },
            "state": "OPEN",
            "title": title,
            "url": format!("https://github.com/pinwheel-hq/pinwheel-sdk/issues/{n}")
        })
    };
    let top = |a: u32, b: u32| -> String {
        let file = serde_json::json!([
            issue(1, "ann", "Please add a dark mode", a),
            issue(2, "bob", "Please add Outlook calendar sync", b)
        ]);
        fs::write(dir.path().join("issues.json"), file.to_string()).unwrap();
        let out = painmap(dir.path())
            .args(["rank", "--format", "json", "-r"])
            .arg(exports().join("roadmap.toml"))
            .arg("issues.json")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let report: Value = serde_json::from_slice(&out).unwrap();
        // Both features have effort 1 and 2; dark mode's is 1, calendar's 2.
        let f = &report["features"][0];
        assert_eq!(f["customers"], 1);
        f["id"].as_str().unwrap().to_string()
    };
    assert_eq!(top(0, 0), "dark-mode"); // less effort, same pain
    assert_eq!(top(0, 5), "calendar"); // six people asking, at twice the effort
    assert_eq!(top(5, 5), "dark-mode");
}

#[test]
fn surveymonkey_with_two_header_rows() {
    let t = tag("surveymonkey_nps.csv");
    assert!(
        t.stderr
            .contains("csv, utf-8 (BOM), preset surveymonkey (detected), 21 items, 1 rejected"),
        "{}",
        t.stderr
    );
    // The NPS question and the two open questions are found by wording.
    assert!(t.stderr.contains(
        "text=What is the primary reason for your score?+How could we make Pinwheel better for your team?"
    ));
    assert!(t.stderr.contains(
        "rating=How likely is it that you would recommend Pinwheel to a friend or colleague? (nps)"
    ));
    let r = t.row("114502938811");
    assert_eq!(r["line"], 3); // after the two header rows
    assert_eq!(
        text(r),
        "Boards are clear and my team actually uses them.\nSSO for contractors, please."
    );
    assert_eq!(r["created_at"], "2026-10-05T09:15:02Z"); // End Date, 09:15:02 AM
    assert_eq!(r["rating"], 0.9);
    assert_eq!(r["customer"], "priya@northwind.example");
    let r = t.row("114502955532");
    assert_eq!(r["created_at"], "2026-10-05T13:47:51Z"); // 01:47:51 PM
    assert_eq!(r["rating"], 0.3);
    let r = t.row("114503071984");
    assert_eq!(r["rating"], 0.1);
    assert_eq!(r["kind"], "churn-risk"); // "will not renew"
                                         // A respondent who skipped both open questions.
    assert!(
        t.stderr
            .contains("surveymonkey_nps.csv:14: 1 row with no text"),
        "{}",
        t.stderr
    );
}

#[test]
fn typeform_responses() {
    let t = tag("typeform_responses.csv");
    assert!(
        t.stderr
            .contains("csv, utf-8, preset typeform (detected), 20 items, 1 rejected"),
        "{}",
        t.stderr
    );
    let r = t.row("1d2419b277fbd1130cdaf8059a07f222");
    assert_eq!(r["line"], 2);
    assert_eq!(
        text(r),
        "The boards are simple enough that our clients use them too."
    );
    assert_eq!(r["created_at"], "2026-10-20T08:14:37Z"); // Submit Date (UTC)
    assert_eq!(r["rating"], 0.9);
    assert_eq!(r["customer"], "priya@northwind.example"); // the `email` hidden field
                                                          // Only the "anything else" answer.
    let r = t.row("ead01cb6ecb63ea8da0db6adaf2db3f0");
    assert_eq!(text(r), "We need to export reports to Excel for clients.");
    assert_eq!(features(r), ["export"]);
    // A partial response has no submit date: its start date is used.
    let r = t.row("f6ffd3a75a61701dd542c612ac837885");
    assert_eq!(r["created_at"], "2026-10-27T10:17:26Z");
    assert_eq!(r["rating"], 0.3);
    assert!(
        t.stderr
            .contains("typeform_responses.csv:13: 1 row with no text"),
        "{}",
        t.stderr
    );
}

#[test]
fn productboard_notes_keep_their_feature_links() {
    let t = tag("productboard_notes.csv");
    assert!(
        t.stderr
            .contains("csv, utf-8, preset productboard (detected), 21 items, 0 rejected"),
        "{}",
        t.stderr
    );
    let r = t.row("3f9a0000-4c1e-4b7a-9d2f-5e0c11000000");
    assert_eq!(
        text(r),
        "Call with Northwind: SSO for contractors\nPriya explained that contractors still sign in with passwords.\n\
         Okta for everyone\nneeded before renewal"
    );
    assert_eq!(r["created_at"], "2026-10-28T15:02:11Z");
    assert_eq!(r["account"], "Northwind Creative");
    // No timeline words in the note: linked by feature_name alone.
    let r = t.row("3f9a2006-4c1e-4b7a-9d2f-5e0c1100009a");
    assert!(!text(r).to_lowercase().contains("gantt") && !text(r).contains("timeline"));
    assert_eq!(features(r), ["gantt"]);
    // Linked by feature_id alone.
    assert_eq!(
        features(t.row("3f9a3009-4c1e-4b7a-9d2f-5e0c110000e7")),
        ["time-tracking"]
    );
    // A feature the roadmap does not have links nothing.
    assert!(features(t.row("3f9a6012-4c1e-4b7a-9d2f-5e0c110001ce")).is_empty());
    // An HTML note, decoded.
    assert_eq!(
        text(t.row("3f9a400c-4c1e-4b7a-9d2f-5e0c11000134")),
        "Slow boards\nHannah: the client board (900 cards) takes 20s – \"every single morning\"."
    );
    assert_eq!(t.row("3f9a400c-4c1e-4b7a-9d2f-5e0c11000134")["kind"], "bug"); // tag "bug"
}

#[test]
fn hubspot_feedback_submissions() {
    let t = tag("hubspot_feedback.csv");
    assert!(
        t.stderr
            .contains("csv, utf-8, preset hubspot (detected), 20 items, 1 rejected"),
        "{}",
        t.stderr
    );
    let r = t.row("23741001");
    assert_eq!(r["created_at"], "2026-10-02T09:12:44Z");
    assert_eq!(r["rating"], 0.9); // NPS 9
    assert_eq!(r["customer"], "priya@northwind.example");
    assert_eq!(text(r), "Our clients like the shared boards a lot.");
    // CSAT: rated by the response group.
    assert_eq!(t.row("23741040")["rating"], 1.0); // PROMOTER
    assert_eq!(t.row("23741092")["rating"], 0.0); // DETRACTOR
                                                  // CES on 1–7: 2 → 1/6.
    assert_eq!(t.row("23741053")["rating"], 0.1667);
    // 11 is off the NPS scale: rated by its group, with a warning.
    assert_eq!(t.row("23741261")["rating"], 1.0);
    assert!(t
        .stderr
        .contains("hubspot_feedback.csv:22: the rating 11 is off the nps scale"));
    assert!(
        t.stderr
            .contains("hubspot_feedback.csv:14: 1 row with no text"),
        "{}",
        t.stderr
    );
}

#[test]
fn hubspot_display_labels() {
    let t = tag("hubspot_feedback_labels.csv");
    assert!(
        t.stderr
            .contains("csv, utf-8, preset hubspot (detected), 6 items"),
        "{}",
        t.stderr
    );
    let r = t.row("23742027");
    assert_eq!(r["created_at"], "2026-10-17T14:22:00Z");
    assert_eq!(r["rating"], 0.0); // CSAT, Detractor
                                  // `Value` is the answer, not an account value.
    assert!(r["value"].is_null());
    assert_eq!(t.row("23742040")["rating"], 1.0); // CES 7
    assert_eq!(t.row("23742014")["rating"], 0.2); // NPS 2
}

#[test]
fn salesforce_cases_by_api_names_and_report_labels() {
    let t = tag("salesforce_cases.csv");
    assert!(
        t.stderr
            .contains("csv, utf-8, preset salesforce (detected), 20 items, 0 rejected"),
        "{}",
        t.stderr
    );
    let r = t.row("00001026");
    assert_eq!(
        text(r),
        "SAML SSO error for new users\nOkta returns 'invalid audience' for every user provisioned this week."
    );
    assert_eq!(r["created_at"], "2026-10-01T15:14:09Z"); // .000+0000
    assert_eq!(r["kind"], "bug"); // Problem
    assert_eq!(r["customer"], "priya@northwind.example");
    assert_eq!(r["account"], "0015g00000NwCrTAAV");
    assert_eq!(t.row("00001027")["kind"], "question");
    assert_eq!(t.row("00001029")["kind"], "request"); // Feature Request
    assert_eq!(t.row("00001045")["kind"], "churn-risk"); // no type; "cancel"

    let t = tag("salesforce_cases_report.csv");
    assert!(
        t.stderr.contains("preset salesforce (detected), 6 items"),
        "{}",
        t.stderr
    );
    let r = t.row("00001101");
    assert_eq!(r["line"], 2);
    assert_eq!(r["created_at"], "2026-10-21T09:14:00Z"); // 10/21/2026 9:14 AM
    assert_eq!(r["account"], "Northwind Creative");
    assert_eq!(r["kind"], "bug");
    assert_eq!(t.row("00001104")["kind"], "request");
}

// ---- detection going wrong, and what the user can do ------------------------

/// A Zendesk export someone trimmed: without `Ticket type` the headers no
/// longer carry the signature.
const TRIMMED_ZENDESK: &str = "\
Id,Requester,Requester email,Subject,Description,Created at,Satisfaction Score
7,Ann,ann@northwind.example,SSO broken,Okta login fails for everyone,2026-10-20 09:00:00 -0700,Good
8,Bo,bo@okapi.example,Slow,Boards are slow to load,next tuesday,Bad
";

#[test]
fn a_near_miss_names_the_closest_preset_and_reads_generically() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("trimmed.csv"), TRIMMED_ZENDESK).unwrap();
    let t = tag_in(dir.path(), &["trimmed.csv"]);
    assert!(
        t.stderr.contains(
            "no preset matched (closest: `zendesk` (3 of its 4 signature columns; missing \"Ticket type\"))"
        ),
        "{}",
        t.stderr
    );
    assert_eq!(t.rows.len(), 2);
    assert!(t.row("7")["rating"].is_null()); // generic names know no word ratings
                                             // An unparseable date is a warning; the row still counts, undated.
    assert!(t.row("8")["created_at"].is_null());
    assert!(t
        .stderr
        .contains("trimmed.csv:3: cannot read the date \"next tuesday\""));
}

#[test]
fn preset_flag_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("trimmed.csv"), TRIMMED_ZENDESK).unwrap();
    let t = tag_in(dir.path(), &["--preset", "zendesk", "trimmed.csv"]);
    assert!(t.stderr.contains("preset zendesk (named)"), "{}", t.stderr);
    assert_eq!(t.row("7")["rating"], 1.0);
    assert_eq!(t.row("8")["rating"], 0.0);
    assert_eq!(t.row("7")["created_at"], "2026-10-20T16:00:00Z");
}

#[test]
fn sources_preset_in_the_roadmap_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("trimmed.csv"), TRIMMED_ZENDESK).unwrap();
    let roadmap = fs::read_to_string(exports().join("roadmap.toml")).unwrap()
        + "\n[[sources]]\npath = \"trimmed.csv\"\npreset = \"zendesk\"\n";
    fs::write(dir.path().join("roadmap.toml"), roadmap).unwrap();
    let out = painmap(dir.path())
        .args(["tag", "-v"])
        .assert()
        .success()
        .stderr(predicate::str::contains("preset zendesk (named)"))
        .get_output()
        .stdout
        .clone();
    let first: Value =
        serde_json::from_str(String::from_utf8(out).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(first["rating"], 1.0);
}

fn fails(dir: &Path, args: &[&str], code: i32, messages: &[&str]) {
    let mut assert = painmap(dir)
        .arg("-r")
        .arg(exports().join("roadmap.toml"))
        .args(args)
        .assert()
        .code(code);
    for m in messages {
        assert = assert.stderr(predicate::str::contains(*m));
    }
    assert.stderr(predicate::str::contains("panicked").not());
}

#[test]
fn an_unknown_file_lists_its_headers_and_the_closest_preset() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("tickets.csv"),
        "Requester,Ticket type,Created at,Status\nAnn,incident,2026-10-01,open\n",
    )
    .unwrap();
    fails(
        dir.path(),
        &["tag", "tickets.csv"],
        1,
        &[
            "tickets.csv:1: no text column among the headers: \"Requester\", \"Ticket type\", \"Created at\", \"Status\"",
            "the closest is `zendesk` (3 of its 4 signature columns; missing \"Subject\")",
            "pass --preset zendesk",
            "[sources.columns]",
        ],
    );
}

#[test]
fn an_ambiguous_file_asks_for_a_preset() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("both.csv"),
        "note_title,note_text,feature_name,Record ID,Survey type,Response group\n\
         Hi,Export please,,1,NPS,Promoter\n",
    )
    .unwrap();
    fails(
        dir.path(),
        &["tag", "both.csv"],
        1,
        &[
            "both.csv:1: the headers match the presets productboard, hubspot equally well",
            "\"note_title\", \"note_text\"",
            "pass --preset NAME",
        ],
    );
    // Naming one settles it.
    let t = tag_in(dir.path(), &["--preset", "productboard", "both.csv"]);
    assert_eq!(text(&t.rows[0]), "Hi\nExport please");
}

#[test]
fn a_survey_without_an_open_question_says_how_to_name_one() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("closed.csv"),
        "Respondent ID,Collector ID,Start Date,End Date,How likely is it that you would recommend us?,Which plan?\n\
         ,,,,Response,Response\n\
         1,2,10/01/2026 09:00:00 AM,10/01/2026 09:01:00 AM,9,Team\n",
    )
    .unwrap();
    fails(
        dir.path(),
        &["tag", "closed.csv"],
        1,
        &[
            "closed.csv:2: no text column",
            "looks for open questions in a surveymonkey export",
            "(text = \"...\")",
        ],
    );
}

#[test]
fn a_detected_export_without_its_text_column_says_where_text_is_read() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("scores.csv"),
        "Record ID,Survey type,Value,Response group\n1,NPS,9,Promoter\n",
    )
    .unwrap();
    fails(
        dir.path(),
        &["tag", "scores.csv"],
        1,
        &[
            "scores.csv:1: no text column among the headers",
            "the `hubspot` preset reads the text from \"hs_content\" or \"Response\" or \"Content\"",
        ],
    );
}

#[test]
fn unknown_preset_names_are_usage_errors() {
    fails(
        &exports(),
        &["tag", "--preset", "zendsk", "zendesk_tickets.csv"],
        2,
        &["unknown preset `zendsk`", "did you mean `zendesk`"],
    );
    fails(
        &exports(),
        &["sources", "hubspt"],
        2,
        &["unknown preset `hubspt`", "did you mean `hubspot`"],
    );
}

// ---- encodings ---------------------------------------------------------------

#[test]
fn utf16_big_endian_reads_like_little_endian() {
    let le = fs::read(exports().join("reviews_reviews_com.pinwheel.boards_202609.csv")).unwrap();
    assert_eq!(&le[..2], &[0xFF, 0xFE]);
    let be: Vec<u8> = le.chunks(2).flat_map(|c| [c[1], c[0]]).collect();
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("be.csv"), be).unwrap();
    let t = tag_in(dir.path(), &["be.csv"]);
    assert!(t
        .stderr
        .contains("csv, utf-16be, preset google-play (detected), 20 items, 2 rejected"));
    let original = tag("reviews_reviews_com.pinwheel.boards_202609.csv");
    let strip = |rows: &[Value]| -> Vec<Value> {
        rows.iter()
            .map(|r| {
                let mut r = r.clone();
                r["source"] = Value::Null;
                r
            })
            .collect()
    };
    assert_eq!(strip(&t.rows), strip(&original.rows));
}

#[test]
fn invalid_bytes_are_replaced_and_each_row_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = b"id,created_at,customer,text\n".to_vec();
    csv.extend_from_slice(b"1,2026-10-01,a@x.example,Export is broken \xff\xfe badly\n");
    csv.extend_from_slice(b"2,2026-10-02,b@x.example,Dark mode please\n");
    csv.extend_from_slice(b"3,2026-10-03,c@x.example,Slow \xc3 boards\n");
    fs::write(dir.path().join("bad.csv"), &csv).unwrap();
    let mut json =
        b"[{\"id\": 1, \"text\": \"SSO \xe9chec\"}, {\"id\": 2, \"text\": \"fine\"}]".to_vec();
    json.push(b'\n');
    fs::write(dir.path().join("bad.json"), &json).unwrap();
    let t = tag_in(dir.path(), &["bad.csv", "bad.json"]);
    assert_eq!(t.rows.len(), 5, "{}", t.stderr);
    assert!(t.stderr.contains("bad.csv: csv, utf-8, no preset matched, 3 items, 0 rejected, 2 with invalid bytes replaced"), "{}", t.stderr);
    assert!(t.stderr.contains("bad.json: json, utf-8, no preset matched, 2 items, 0 rejected, 1 with invalid bytes replaced"), "{}", t.stderr);
    assert!(t
        .stderr
        .contains("bad.csv:2: the row has bytes that are not valid text"));
    assert_eq!(text(t.row("1")), "Export is broken \u{fffd}\u{fffd} badly");
    assert_eq!(features(&t.rows[0]), ["export"]);
}

// ---- painmap sources -------------------------------------------------------------

#[test]
fn sources_lists_every_preset_and_how_it_is_detected() {
    let out = painmap(&exports())
        .arg("sources")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    for name in [
        "zendesk",
        "intercom",
        "google-play",
        "app-store",
        "jira",
        "github",
        "surveymonkey",
        "typeform",
        "productboard",
        "hubspot",
        "salesforce",
    ] {
        assert!(
            out.contains(&format!("\n{name}  ")),
            "{name} missing:\n{out}"
        );
    }
    assert!(out.contains("detected by  Summary, Issue key, Issue id, Issue Type"));
    assert!(out.contains("generic (no preset matched)"));

    let one = painmap(&exports())
        .args(["sources", "google-play"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let one = String::from_utf8(one).unwrap();
    assert!(one.starts_with("google-play  Google Play Console reviews CSV"));
    assert!(one.contains("UTF-16 LE"));
    assert!(!one.contains("zendesk"));
}

/// A ticket's satisfaction score grades the support, not the product: it
/// counts toward pain, but the ticket is judged by what it says, as an
/// unrated ticket. The same words with five stars are a review.
#[test]
fn a_tickets_satisfaction_score_does_not_make_it_a_review() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Could you send your latest SOC 2 report and confirm your plans for SAML SSO? Thanks, Henrik";
    fs::write(
        dir.path().join("tickets.csv"),
        format!(
            "Id,Requester,Requester email,Subject,Description,Ticket type,Created at,Satisfaction Score\n\
             1,Henrik Voss,henrik@castellan.example,Security questionnaire,\"{text}\",,2026-10-14 18:30:51 +0000,Good\n\
             2,Ana Lind,ana@fjord.example,Security questionnaire,\"{text}\",,2026-10-15 09:00:00 +0000,Bad\n"
        ),
    )
    .unwrap();
    fs::write(
        dir.path().join("reviews.csv"),
        format!("id,stars,text\n1,5,\"Security questionnaire\n{text}\"\n"),
    )
    .unwrap();
    let tickets = tag_in(dir.path(), &["tickets.csv"]);
    let good = tickets.row("1");
    assert_eq!(good["rating"], 1.0, "{}", tickets.stderr);
    assert_eq!(good["kind"], "question");
    assert!(good["pain"].as_f64().unwrap() > 0.0);
    // A bad score is still the worst pain.
    assert_eq!(tickets.row("2")["pain"], 1.0);
    let reviews = tag_in(dir.path(), &["reviews.csv"]);
    assert_eq!(reviews.row("1")["rating"], 1.0);
    assert_eq!(reviews.row("1")["kind"], "praise");
}
