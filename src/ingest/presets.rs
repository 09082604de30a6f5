//! Presets: the layouts of real feedback tools' exports, detected from the
//! file's own headers (or, for JSON, its flattened field names), so a PM can
//! rank a raw export with no configuration.
//!
//! A preset names, for each item field, the export's columns in order of
//! preference, and says how the tool writes its awkward parts: HTML bodies,
//! repeated columns, two header rows, word ratings, votes. `painmap sources`
//! prints this table; `docs/PRESETS.md` explains each choice.

use crate::item::RatingScale;

use super::columns::normalize_header;

/// How the reader must treat a column's cells before they are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clean {
    /// HTML: tags stripped, entities decoded.
    Html,
    /// Jira's `date;author;body` comment cells: the prefix dropped.
    JiraComment,
    /// A link whose query holds the id: that parameter's value.
    UrlParam(&'static str),
}

/// Words a tool rates with, what each is worth in [0, 1], and the scale
/// the word belongs to (a CSAT "good" grades a support conversation, an NPS
/// "promoter" the product); `None` words ("Offered") carry no rating.
pub type RatingWords = &'static [(&'static str, Option<(f64, RatingScale)>)];

/// Values of a column that names the row's rating scale, and the scales.
pub type ScaleNames = &'static [(&'static str, RatingScale)];

/// Which reader a preset applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Csv,
    Json,
}

/// One export layout. Column names are the export's own; they are compared
/// exactly first and then normalized (see [`normalize_header`]). A column
/// name that occurs several times in a header (Jira) means all of them.
#[derive(Debug)]
pub struct Preset {
    pub name: &'static str,
    pub what: &'static str,
    pub shape: Shape,
    /// Header sets that identify the export; one of them must be present in
    /// full. The preset with the largest matching set wins detection.
    pub signatures: &'static [&'static [&'static str]],
    pub id: &'static [&'static str],
    /// Joined in order to make the text.
    pub text: &'static [&'static str],
    pub created_at: &'static [&'static str],
    pub customer: &'static [&'static str],
    pub account: &'static [&'static str],
    pub value: &'static [&'static str],
    pub rating: &'static [&'static str],
    pub rating_scale: Option<RatingScale>,
    /// A column naming the row's rating scale (HubSpot's survey type), and
    /// the scale each of its values means. Rows whose type is not listed
    /// fall back to `rating_words`.
    pub scale_by: (
        &'static [&'static str],
        &'static [(&'static str, RatingScale)],
    ),
    /// A column of word ratings and what each word is worth in [0, 1];
    /// `None` words ("Offered") are known to carry no rating.
    pub rating_words: (&'static [&'static str], RatingWords),
    pub segment: &'static [&'static str],
    /// Every listed column is tried; cells may hold several labels.
    pub kind: &'static [&'static str],
    /// Summed: people who endorsed the item (reactions, votes).
    pub votes: &'static [&'static str],
    /// Features the tool already linked the item to, by title or id.
    pub feature: &'static [&'static str],
    pub clean: &'static [(&'static str, Clean)],
    /// How many header rows the export has (SurveyMonkey writes two).
    pub header_rows: u8,
    /// A survey: every column not in `meta` is a question, and the rating
    /// and open-text questions are recognized by their wording.
    pub survey: bool,
    /// Columns that are never questions (for `survey`).
    pub meta: &'static [&'static str],
    /// Encoding and date notes, for `painmap sources`.
    pub notes: &'static str,
}

/// Presets are told apart by name.
impl PartialEq for Preset {
    fn eq(&self, other: &Preset) -> bool {
        self.name == other.name
    }
}

const BASE: Preset = Preset {
    name: "",
    what: "",
    shape: Shape::Csv,
    signatures: &[],
    id: &[],
    text: &[],
    created_at: &[],
    customer: &[],
    account: &[],
    value: &[],
    rating: &[],
    rating_scale: None,
    scale_by: (&[], &[]),
    rating_words: (&[], &[]),
    segment: &[],
    kind: &[],
    votes: &[],
    feature: &[],
    clean: &[],
    header_rows: 1,
    survey: false,
    meta: &[],
    notes: "",
};

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "zendesk",
        what: "Zendesk tickets CSV (Reporting > Export > CSV)",
        signatures: &[&["Requester", "Subject", "Ticket type", "Created at"]],
        id: &["Id"],
        text: &["Subject", "Description"],
        created_at: &["Created at"],
        customer: &["Requester email", "Requester"],
        account: &["Organization", "Requester domain"],
        value: &["ARR", "MRR"],
        rating_words: (
            &["Satisfaction Score"],
            &[
                ("good", Some((1.0, RatingScale::Csat))),
                ("bad", Some((0.0, RatingScale::Csat))),
                ("offered", None),
                ("not offered", None),
                ("unoffered", None),
            ],
        ),
        segment: &["Plan"],
        kind: &["Ticket type"],
        notes: "Custom fields are written `Name [type]` and read by name (`Plan [list]` is `Plan`). \
                Satisfaction is good/bad. Dates with an offset are converted to UTC; without one they are taken as UTC.",
        ..BASE
    },
    Preset {
        name: "intercom",
        what: "Intercom conversations, JSON from the API (a bare array, or the list response with `conversations`)",
        shape: Shape::Json,
        signatures: &[
            &["source.body", "source.author.type", "source.delivered_as"],
            &["source.body", "conversation_rating.rating"],
        ],
        id: &["id"],
        text: &["source.subject", "source.body", "conversation_rating.remark"],
        created_at: &["created_at"],
        customer: &["source.author.email", "contacts.contacts.external_id", "contacts.contacts.id"],
        rating: &["conversation_rating.rating"],
        rating_scale: Some(RatingScale::Csat),
        kind: &["tags.tags.name"],
        clean: &[("source.body", Clean::Html), ("source.subject", Clean::Html)],
        notes: "Bodies are HTML: tags are stripped and entities decoded. `created_at` is Unix seconds (UTC).",
        ..BASE
    },
    Preset {
        name: "google-play",
        what: "Google Play Console reviews CSV (reviews_reviews_<package>_<YYYYMM>.csv)",
        signatures: &[&["Package Name", "Review Submit Date and Time", "Star Rating", "Review Text"]],
        id: &["Review Link"],
        text: &["Review Title", "Review Text"],
        created_at: &["Review Submit Date and Time", "Review Submit Millis Since Epoch"],
        rating: &["Star Rating"],
        rating_scale: Some(RatingScale::Stars),
        clean: &[("Review Link", Clean::UrlParam("reviewId"))],
        notes: "UTF-16 LE with a byte-order mark. Reviews are anonymous: each is its own customer. \
                Star-only reviews have no text and are rejected as `empty text`. \
                The id is the `reviewId` inside the review link.",
        ..BASE
    },
    Preset {
        name: "app-store",
        what: "App Store Connect customer reviews, JSON from the API (`{\"data\": [...]}`)",
        shape: Shape::Json,
        signatures: &[&["type", "attributes.reviewerNickname", "attributes.body", "attributes.rating"]],
        id: &["id"],
        text: &["attributes.title", "attributes.body"],
        created_at: &["attributes.createdDate"],
        customer: &["attributes.reviewerNickname"],
        rating: &["attributes.rating"],
        rating_scale: Some(RatingScale::Stars),
        notes: "Pages of the API response may be concatenated one per line. \
                `createdDate` carries an offset and is converted to UTC.",
        ..BASE
    },
    Preset {
        name: "jira",
        what: "Jira issues CSV (Export > CSV, all fields or current fields)",
        signatures: &[&["Summary", "Issue key", "Issue id", "Issue Type"]],
        id: &["Issue key", "Issue id"],
        text: &["Summary", "Description", "Comment"],
        created_at: &["Created"],
        customer: &["Reporter", "Creator"],
        account: &["Custom field (Organizations)", "Organizations"],
        kind: &["Issue Type", "Labels"],
        votes: &["Votes"],
        clean: &[("Comment", Clean::JiraComment)],
        notes: "Multi-value fields repeat the column name (Labels, Component/s, Comment, Watchers): \
                all are read. Comments lose their `date;author;` prefix. \
                Dates look like `12/Mar/24 3:41 PM` and are taken as UTC.",
        ..BASE
    },
    Preset {
        name: "github",
        what: "GitHub issues from `gh issue list --json number,title,body,author,labels,createdAt,state,url,reactionGroups`",
        shape: Shape::Json,
        // `gh issue list --json …`, or the REST API's issues
        // (`gh api repos/OWNER/REPO/issues`).
        signatures: &[
            &["number", "title", "createdAt", "author.login", "url"],
            &["number", "title", "created_at", "user.login", "html_url"],
        ],
        id: &["number"],
        text: &["title", "body"],
        created_at: &["createdAt", "created_at"],
        customer: &["author.login", "user.login"],
        kind: &["labels.name"],
        votes: &[
            "reactionGroups.THUMBS_UP",
            "reactionGroups.HEART",
            "reactionGroups.HOORAY",
            "reactionGroups.ROCKET",
            "reactions.+1",
            "reactions.heart",
            "reactions.hooray",
            "reactions.rocket",
        ],
        notes: "Labels such as `bug` and `enhancement` give the kind. 👍 ❤️ 🎉 🚀 reactions are votes; \
                👎 😕 😄 👀 are not.",
        ..BASE
    },
    Preset {
        name: "surveymonkey",
        what: "SurveyMonkey responses CSV (Analyze > Save as > CSV, expanded or condensed)",
        signatures: &[&["Respondent ID", "Collector ID", "Start Date", "End Date"]],
        id: &["Respondent ID"],
        created_at: &["End Date", "Start Date"],
        customer: &["Email Address"],
        header_rows: 2,
        survey: true,
        meta: &[
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            "Custom Data 1",
        ],
        notes: "Two header rows: questions, then answer labels (`Response`, `Open-Ended Response`, choices). \
                The 0–10 \"recommend\" question is the NPS rating; open questions (why, reason, improve, …) \
                are the text. Dates are month-first, taken as UTC.",
        ..BASE
    },
    Preset {
        name: "typeform",
        what: "Typeform responses CSV (Results > Download > CSV)",
        signatures: &[&["Response Type", "Start Date (UTC)", "Stage Date (UTC)", "Submit Date (UTC)", "Network ID"]],
        id: &["#", "Token"],
        created_at: &["Submit Date (UTC)", "Start Date (UTC)"],
        survey: true,
        meta: &[
            "#",
            "Token",
            "Response Type",
            "Start Date (UTC)",
            "Stage Date (UTC)",
            "Submit Date (UTC)",
            "Network ID",
            "Tags",
            "Ending",
        ],
        notes: "One column per question title. The \"recommend\" opinion scale is the NPS rating; \
                open questions are the text. Dates are UTC.",
        ..BASE
    },
    Preset {
        name: "productboard",
        what: "Productboard notes CSV (Insights > Export notes)",
        signatures: &[&["note_title", "note_text", "feature_name"], &["note_title", "note_text", "company_domain"]],
        id: &["id"],
        text: &["note_title", "note_text"],
        created_at: &["created_at"],
        customer: &["user_email", "user_name"],
        account: &["company_name", "company_domain"],
        kind: &["tags"],
        feature: &["feature_name", "feature_id"],
        clean: &[("note_text", Clean::Html)],
        notes: "A note with `feature_name` or `feature_id` is linked to the roadmap feature with that title \
                or id, whatever its words. Note text may be HTML.",
        ..BASE
    },
    Preset {
        name: "hubspot",
        what: "HubSpot feedback submissions (NPS, CSAT, CES), CSV or JSON, internal names or display labels",
        signatures: &[
            &["hs_object_id", "hs_survey_type", "hs_value", "hs_content"],
            &["Record ID", "Survey type", "Response group"],
        ],
        id: &["hs_object_id", "Record ID"],
        text: &["hs_content", "Response", "Content"],
        created_at: &["hs_submission_timestamp", "Submission timestamp", "hs_createdate", "Create date", "Created at"],
        customer: &["hs_contact_email_rollup", "Contact email", "Email"],
        rating: &["hs_value", "Value", "Response value"],
        scale_by: (
            &["hs_survey_type", "Survey type"],
            &[("nps", RatingScale::Nps), ("ces", RatingScale::Ces)],
        ),
        rating_words: (
            &["hs_response_group", "Response group"],
            &[
                ("promoter", Some((1.0, RatingScale::Nps))),
                ("passive", Some((0.5, RatingScale::Nps))),
                ("detractor", Some((0.0, RatingScale::Nps))),
                ("positive", Some((1.0, RatingScale::Csat))),
                ("neutral", Some((0.5, RatingScale::Csat))),
                ("negative", Some((0.0, RatingScale::Csat))),
            ],
        ),
        notes: "The scale follows the survey type: NPS 0–10, CES 1–7. CSAT answer sets vary by survey, so \
                CSAT rows are rated by their response group (promoter 1, passive 0.5, detractor 0).",
        ..BASE
    },
    Preset {
        name: "salesforce",
        what: "Salesforce cases: API field names (Data Loader, SOQL) or a report's column labels",
        signatures: &[
            &["CaseNumber", "Subject", "Status", "Origin", "CreatedDate"],
            &["Case Number", "Subject", "Date/Time Opened", "Case Origin"],
        ],
        id: &["CaseNumber", "Case Number", "Id", "Case ID"],
        text: &["Subject", "Description"],
        created_at: &["CreatedDate", "Date/Time Opened", "Opened Date"],
        customer: &["SuppliedEmail", "Web Email", "Contact Email", "ContactId", "Contact Name"],
        account: &["Account Name", "AccountId", "SuppliedCompany", "Web Company"],
        kind: &["Type", "Case Type"],
        notes: "`Type` (Problem, Question, Feature Request) gives the kind. API dates are UTC \
                (`2026-03-12T08:31:05.000+0000`); report dates are month-first, taken as UTC.",
        ..BASE
    },
];

/// The preset names, for validation and messages.
pub fn names() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|p| p.name)
}

pub fn by_name(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// What detection found in a header row.
#[derive(Debug, Clone, PartialEq)]
pub enum Detection {
    Found(&'static Preset),
    /// Presets that match equally well: the file needs `--preset`.
    Ambiguous(Vec<&'static Preset>),
    /// No preset matches; the one that came closest, if any came close.
    None(Option<Closest>),
}

/// The preset a header row came closest to, for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Closest {
    pub preset: &'static Preset,
    pub matched: usize,
    pub missing: Vec<&'static str>,
}

impl std::fmt::Display for Closest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total = self.matched + self.missing.len();
        write!(
            f,
            "`{}` ({} of its {} signature columns; missing {})",
            self.preset.name,
            self.matched,
            total,
            self.missing
                .iter()
                .map(|m| format!("{m:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// How many of the columns of `p`'s best-matched signature `headers` have,
/// and how many that signature names.
pub fn fit(p: &Preset, headers: &[String]) -> (usize, usize) {
    let has = header_test(headers);
    p.signatures
        .iter()
        .map(|sig| (sig.iter().filter(|s| has(s)).count(), sig.len()))
        .max_by(|a, b| (a.0 * b.1).cmp(&(b.0 * a.1)))
        .unwrap_or((0, 0))
}

/// Whether `headers` have a column, compared as painmap reads names.
fn header_test(headers: &[String]) -> impl Fn(&str) -> bool {
    let norm: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    move |s: &str| norm.contains(&normalize_header(s))
}

/// The most specific preset whose signature the headers carry: the one
/// whose matching signature has the most columns.
pub fn detect(headers: &[String]) -> Detection {
    let has = header_test(headers);
    let mut best: Vec<(&'static Preset, usize)> = Vec::new();
    let mut closest: Option<Closest> = None;
    for p in PRESETS {
        for sig in p.signatures {
            let missing: Vec<&'static str> = sig.iter().copied().filter(|s| !has(s)).collect();
            let matched = sig.len() - missing.len();
            if missing.is_empty() {
                best.push((p, sig.len()));
            } else if matched * 2 >= sig.len()
                && closest
                    .as_ref()
                    .is_none_or(|c| matched * (c.matched + c.missing.len()) > c.matched * sig.len())
            {
                closest = Some(Closest {
                    preset: p,
                    matched,
                    missing,
                });
            }
        }
    }
    let Some(top) = best.iter().map(|(_, n)| *n).max() else {
        return Detection::None(closest);
    };
    let mut winners: Vec<&'static Preset> = best
        .into_iter()
        .filter(|(_, n)| *n == top)
        .map(|(p, _)| p)
        .collect();
    winners.dedup_by(|a, b| a.name == b.name);
    if winners.len() == 1 {
        Detection::Found(winners[0])
    } else {
        Detection::Ambiguous(winners)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<String> {
        s.split(',').map(String::from).collect()
    }

    #[test]
    fn detects_zendesk_by_headers() {
        let found = detect(&h(
            "Id,Requester,Requester email,Subject,Description,Ticket type,Created at",
        ));
        assert_eq!(found, Detection::Found(by_name("zendesk").unwrap()));
        assert_eq!(detect(&h("id,text")), Detection::None(None));
    }

    #[test]
    fn every_preset_detects_its_own_signatures_and_no_other() {
        for p in PRESETS {
            for sig in p.signatures {
                let headers: Vec<String> = sig.iter().map(|s| s.to_string()).collect();
                match detect(&headers) {
                    Detection::Found(found) => assert_eq!(found.name, p.name, "{sig:?}"),
                    other => panic!("{}: {sig:?} gave {other:?}", p.name),
                }
            }
        }
    }

    #[test]
    fn the_more_specific_preset_wins() {
        // Both of HubSpot's signatures and one of Productboard's cannot
        // collide, but a file carrying two tools' columns picks the larger
        // signature.
        let mut headers = h("Summary,Issue key,Issue id,Issue Type");
        headers.extend(h("note_title,note_text,feature_name"));
        assert_eq!(detect(&headers), Detection::Found(by_name("jira").unwrap()));
    }

    #[test]
    fn equal_matches_are_ambiguous() {
        let mut headers = h("note_title,note_text,feature_name");
        headers.extend(h("hs_object_id,Record ID,Survey type,Response group"));
        match detect(&headers) {
            Detection::Ambiguous(v) => {
                let names: Vec<&str> = v.iter().map(|p| p.name).collect();
                assert_eq!(names, ["productboard", "hubspot"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn near_misses_name_the_closest_preset() {
        let Detection::None(Some(c)) = detect(&h("Id,Requester,Subject,Created at,Status")) else {
            panic!("expected a closest preset");
        };
        assert_eq!(c.preset.name, "zendesk");
        assert_eq!(c.missing, ["Ticket type"]);
        assert_eq!(
            c.to_string(),
            "`zendesk` (3 of its 4 signature columns; missing \"Ticket type\")"
        );
    }

    #[test]
    fn every_preset_says_what_it_reads() {
        for p in PRESETS {
            assert!(!p.what.is_empty() && !p.notes.is_empty(), "{}", p.name);
            assert!(!p.signatures.is_empty(), "{}", p.name);
            assert!(p.survey || !p.text.is_empty(), "{}", p.name);
        }
    }
}
