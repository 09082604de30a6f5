//! `painmap sources`: the export formats painmap recognizes, how each is
//! detected, and which of its columns feed which item field, so a PM can
//! check an export before ranking it (and `--preset` has a menu).

use std::fmt::Write as _;

use crate::cli::SourcesArgs;
use crate::config::unknown_preset;
use crate::ingest::columns;
use crate::ingest::presets::{self, Clean, Preset, Shape};
use crate::output::write_to;

pub fn run(args: &SourcesArgs) -> anyhow::Result<u8> {
    let text = match &args.preset {
        Some(name) => {
            let Some(p) = presets::by_name(name) else {
                return Err(unknown_preset(name).into());
            };
            describe(p)
        }
        None => listing(),
    };
    write_to(None, |out| Ok(out.write_all(text.as_bytes())?))?;
    Ok(0)
}

/// Every preset, then the generic column names used when none matches.
pub fn listing() -> String {
    let mut s = String::from(
        "painmap detects these exports by their headers (JSON: by their field names); \
         --preset NAME or [[sources]] preset = \"NAME\" skips detection.\n\
         Columns are found by [sources.columns] first, then the preset, then the generic names below.\n\n",
    );
    for p in presets::PRESETS {
        s.push_str(&describe(p));
        s.push('\n');
    }
    s.push_str(&generic());
    s
}

fn names(list: &[&str], sep: &str) -> String {
    list.join(sep)
}

/// One preset: what it reads, how it is detected, which column feeds
/// which field.
pub fn describe(p: &Preset) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", p.name, p.what);
    let mut row = |field: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(s, "  {field:<12} {value}");
        }
    };
    row(
        "format",
        match p.shape {
            Shape::Csv if p.header_rows == 2 => "CSV with two header rows".into(),
            Shape::Csv => "CSV (any common delimiter)".into(),
            Shape::Json => "JSON array, JSON Lines, or an API response".into(),
        },
    );
    row(
        "detected by",
        p.signatures
            .iter()
            .map(|sig| names(sig, ", "))
            .collect::<Vec<_>>()
            .join("  |or|  "),
    );
    row("id", names(p.id, ", else "));
    let text = if p.survey {
        "open questions, found by their wording (why, reason, improve, feedback, …)".to_string()
    } else {
        names(p.text, " + ")
    };
    row("text", text);
    row("created_at", names(p.created_at, ", else "));
    row(
        "customer",
        match (names(p.customer, ", else "), p.survey) {
            (c, true) if c.is_empty() => "a question that asks for an email".into(),
            (c, true) => format!("{c}, else a question that asks for an email"),
            (c, false) => c,
        },
    );
    row("account", names(p.account, ", else "));
    row("value", names(p.value, ", else "));
    let rating = if !p.rating.is_empty() {
        let scale = match (p.rating_scale, p.scale_by.0.is_empty()) {
            (Some(scale), _) => format!(
                " ({}, {}–{})",
                scale.name(),
                scale.range().0,
                scale.range().1
            ),
            (None, false) => format!(
                " (scale by {}: {})",
                names(p.scale_by.0, " or "),
                p.scale_by
                    .1
                    .iter()
                    .map(|(w, sc)| format!("{w} = {}–{}", sc.range().0, sc.range().1))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (None, true) => String::new(),
        };
        format!("{}{scale}", names(p.rating, ", else "))
    } else if p.survey {
        "the \"recommend\" question (NPS 0–10), else a rating or satisfaction question".into()
    } else {
        String::new()
    };
    let words = if p.rating_words.0.is_empty() {
        String::new()
    } else {
        format!(
            "{} ({})",
            names(p.rating_words.0, " or "),
            p.rating_words
                .1
                .iter()
                .map(|(w, v)| match v {
                    Some((v, _)) => format!("{w} = {v}"),
                    None => format!("{w} = none"),
                })
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    match (rating.is_empty(), words.is_empty()) {
        (false, false) => row("rating", format!("{rating}; else words: {words}")),
        (false, true) => row("rating", rating),
        (true, false) => row("rating", format!("words: {words}")),
        (true, true) => {}
    }
    row(
        "plan",
        match (names(p.segment, ", else "), p.survey) {
            (c, true) if c.is_empty() => "a question about the plan".into(),
            (c, _) => c,
        },
    );
    row("kind", names(p.kind, ", then "));
    row("votes", names(p.votes, " + "));
    row(
        "features",
        if p.feature.is_empty() {
            String::new()
        } else {
            format!(
                "{} (linked to the roadmap feature with that title or id)",
                names(p.feature, " or ")
            )
        },
    );
    row(
        "cleaned",
        p.clean
            .iter()
            .map(|(col, c)| match c {
                Clean::Html => format!("{col}: HTML to text"),
                Clean::JiraComment => format!("{col}: `date;author;` prefix dropped"),
                Clean::UrlParam(param) => format!("{col}: the `{param}` in the link"),
            })
            .collect::<Vec<_>>()
            .join("; "),
    );
    row("notes", p.notes.to_string());
    s
}

/// The generic header names used when no preset matches.
fn generic() -> String {
    let mut s =
        String::from("generic (no preset matched): lower case, `[type]` suffixes dropped\n");
    for (field, aliases) in [
        ("id", columns::ID_ALIASES),
        ("title", columns::TITLE_ALIASES),
        ("text", columns::TEXT_ALIASES),
        ("created_at", columns::DATE_ALIASES),
        ("customer", columns::CUSTOMER_ALIASES),
        ("account", columns::ACCOUNT_ALIASES),
        ("value", columns::VALUE_ALIASES),
        ("rating", columns::RATING_ALIASES),
        ("plan", columns::SEGMENT_ALIASES),
        ("stage", columns::STAGE_ALIASES),
        ("persona", columns::PERSONA_ALIASES),
        ("kind", columns::KIND_ALIASES),
    ] {
        let _ = write!(s, "  {field:<12} {}", aliases.join(", "));
        if field == "customer" {
            // ColumnMap::resolve falls back to any `…_email` column.
            s.push_str(", else any column ending in _email");
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_listed_with_its_detection_and_columns() {
        let text = listing();
        for p in presets::PRESETS {
            let block = describe(p);
            assert!(text.contains(&block), "{}", p.name);
            assert!(block.contains("detected by"), "{}", p.name);
            assert!(block.contains("  text "), "{}", p.name);
        }
        assert!(text.contains("generic (no preset matched)"));
    }

    #[test]
    fn a_preset_shows_its_awkward_parts() {
        let jira = describe(presets::by_name("jira").unwrap());
        assert!(jira.contains("text         Summary + Description + Comment"));
        assert!(jira.contains("votes        Votes"));
        assert!(jira.contains("Comment: `date;author;` prefix dropped"));
        let hubspot = describe(presets::by_name("hubspot").unwrap());
        assert!(hubspot.contains("scale by hs_survey_type or Survey type: nps = 0–10, ces = 1–7"));
        assert!(hubspot.contains("promoter = 1"));
        let monkey = describe(presets::by_name("surveymonkey").unwrap());
        assert!(monkey.contains("CSV with two header rows"));
    }
}
