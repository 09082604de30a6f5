//! `rank --write`: records each feature's rank, score, date and model in
//! roadmap.toml itself, with toml_edit so that every comment, blank line
//! and key order the team wrote survives. A second run on the same input
//! changes nothing.

use std::collections::HashMap;

use anyhow::Context;
use toml_edit::{value, DocumentMut, Item, TableLike};

use crate::output::write_to;
use crate::report::round;
use crate::roadmap::Roadmap;
use crate::score::models::FeatureScore;

/// Updates the roadmap file in place; returns whether anything changed.
pub fn write_ranks(
    roadmap: &Roadmap,
    ranked: &[FeatureScore],
    as_of: &str,
    model: &str,
) -> anyhow::Result<bool> {
    let path = &roadmap.path;
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let updated = update(&text, roadmap, ranked, as_of, model)
        .with_context(|| format!("{}: cannot update", path.display()))?;
    if updated == text {
        return Ok(false);
    }
    write_to(Some(path), |out| {
        out.write_all(updated.as_bytes())?;
        Ok(())
    })?;
    Ok(true)
}

/// The roadmap text with `rank`, `score`, `scored_at` and `scored_by` (the
/// model, since a score means nothing without it) set on every feature
/// that was ranked.
pub fn update(
    text: &str,
    roadmap: &Roadmap,
    ranked: &[FeatureScore],
    as_of: &str,
    model: &str,
) -> anyhow::Result<String> {
    let mut doc: DocumentMut = text.parse()?;
    let by_id: HashMap<&str, (i64, f64)> = ranked
        .iter()
        .enumerate()
        .map(|(r, s)| {
            (
                roadmap.features[s.index].id.as_str(),
                (r as i64 + 1, round(s.score, 4)),
            )
        })
        .collect();
    // `[[features]]` tables, or an inline `features = [{ … }, …]`.
    // Each with whether it is inline.
    let mut tables: Vec<(&mut dyn TableLike, bool)> = match doc.get_mut("features") {
        Some(Item::ArrayOfTables(a)) => a
            .iter_mut()
            .map(|t| (t as &mut dyn TableLike, false))
            .collect(),
        Some(Item::Value(toml_edit::Value::Array(a))) => a
            .iter_mut()
            .filter_map(|v| v.as_inline_table_mut())
            .map(|t| (t as &mut dyn TableLike, true))
            .collect(),
        _ => Vec::new(),
    };
    let mut written = 0;
    for (table, inline) in &mut tables {
        let Some(id) = table.get("id").and_then(Item::as_str).map(str::to_string) else {
            continue;
        };
        if let Some(&(rank, score)) = by_id.get(id.as_str()) {
            written += 1;
            let added = [
                set(*table, "rank", value(rank), |i| {
                    i.as_integer() == Some(rank)
                }),
                set(*table, "score", value(score), |i| {
                    i.as_float() == Some(score)
                }),
                set(*table, "scored_at", value(as_of), |i| {
                    i.as_str() == Some(as_of)
                }),
                set(*table, "scored_by", value(model), |i| {
                    i.as_str() == Some(model)
                }),
            ];
            // New keys in an inline table: spaced like the rest of it
            // (`effort = 1, rank = 2 }`, not `effort = 1 , rank = 2}`).
            if *inline && added.contains(&true) {
                table.fmt();
            }
        }
    }
    if written < by_id.len() {
        anyhow::bail!(
            "found the entries of {written} of the {} ranked features; --write updates [[features]] tables and an inline features = [{{ … }}] array",
            by_id.len()
        );
    }
    Ok(doc.to_string())
}

/// Sets a key unless it already holds that value, so untouched keys keep
/// their exact formatting and trailing comments; returns whether the key
/// is new.
fn set(table: &mut dyn TableLike, key: &str, new: Item, same: impl Fn(&Item) -> bool) -> bool {
    if table.get(key).is_some_and(same) {
        return false;
    }
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(existing) => {
            let decor = existing.decor().clone();
            if let Ok(mut v) = new.into_value() {
                *v.decor_mut() = decor;
                *existing = v;
            }
        }
        None => {
            table.insert(key, new);
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(index: usize, score: f64) -> FeatureScore {
        FeatureScore {
            index,
            score,
            customers: 1,
            mentions: 1,
            pain: 0.5,
            value: 0.0,
            confidence: 0.5,
            trend: None,
            breakdown: Default::default(),
            contributions: Vec::new(),
        }
    }

    /// The file changed since it was loaded (a feature renamed by hand):
    /// the rank that cannot be written is an error, not "up to date".
    #[test]
    fn a_ranked_feature_the_file_no_longer_has_is_an_error() {
        let loaded =
            "[[features]]\nid = \"a\"\ntitle = \"A\"\n[[features]]\nid = \"b\"\ntitle = \"B\"\n";
        let roadmap = Roadmap::parse(std::path::Path::new("roadmap.toml"), loaded).unwrap();
        let ranked = [scored(1, 2.0), scored(0, 1.0)];
        let now = loaded.replace("id = \"b\"", "id = \"bee\"");
        let e = update(&now, &roadmap, &ranked, "2026-11-20", "pain-value").unwrap_err();
        assert_eq!(
            e.to_string(),
            "found the entries of 1 of the 2 ranked features; --write updates [[features]] tables and an inline features = [{ … }] array"
        );
        let written = update(loaded, &roadmap, &ranked, "2026-11-20", "pain-value").unwrap();
        assert!(
            written.contains("id = \"b\"\ntitle = \"B\"\nrank = 1\n"),
            "{written}"
        );
    }
}
