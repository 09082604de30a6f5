//! `painmap explain FEATURE`: why a feature scores what it does, down to
//! the customers and quotes, and what would change its rank.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use crate::cli::{ExplainArgs, ExplainFormat, GlobalArgs};
use crate::config::{self, Settings, UsageError};
use crate::item::Kind;
use crate::output::write_to;
use crate::plural::count;
use crate::report::sanitize::terminal;
use crate::report::table::{compact, trend};
use crate::report::{round, Evidence};
use crate::roadmap::{Feature, Model};
use crate::score::models::FeatureScore;
use crate::suggest::did_you_mean;

use super::analysis::Analysis;

/// How many customers the explanation lists.
const TOP_CUSTOMERS: usize = 10;

#[derive(Debug, Serialize)]
pub struct Explanation {
    pub as_of: String,
    pub model: String,
    pub formula: String,
    pub rank: usize,
    pub of: usize,
    pub id: String,
    pub title: String,
    pub status: String,
    pub score: f64,
    /// The model's terms with their values.
    pub terms: BTreeMap<String, f64>,
    pub customers: usize,
    pub mentions: u64,
    pub pain: f64,
    pub value: f64,
    pub trend: f64,
    pub stages: Vec<Count>,
    pub personas: Vec<Count>,
    pub kinds: Vec<Count>,
    pub sources: Vec<Count>,
    pub top_customers: Vec<CustomerShare>,
    pub quotes: Vec<Evidence>,
    /// The feature ranked just above, and what would close the gap.
    pub next_up: Option<NextUp>,
}

#[derive(Debug, Serialize)]
pub struct Count {
    pub name: String,
    pub count: u64,
}

#[derive(Debug, Serialize)]
pub struct CustomerShare {
    pub customer: String,
    pub recency: f64,
    pub pain: f64,
    pub value_weight: f64,
    pub source_weight: f64,
    pub persona_weight: f64,
    /// recency × pain × value × source × persona.
    pub weighted_pain: f64,
    /// Of the feature's total weighted pain.
    pub share: f64,
}

#[derive(Debug, Serialize)]
pub struct NextUp {
    pub rank: usize,
    pub id: String,
    pub title: String,
    pub score: f64,
    pub gap: f64,
    /// Ways to close the gap, one driver each.
    pub levers: Vec<String>,
}

impl Explanation {
    /// Quotes and customers with personal data replaced (`--redact`).
    pub fn redacted(mut self) -> Explanation {
        use crate::report::sanitize::redact;
        for q in &mut self.quotes {
            q.quote = redact(&q.quote);
            q.customer = q.customer.as_deref().map(redact);
        }
        for c in &mut self.top_customers {
            c.customer = redact(&c.customer);
        }
        self
    }
}

pub fn run(global: &GlobalArgs, settings: &Settings, args: &ExplainArgs) -> anyhow::Result<u8> {
    let analysis = Analysis::run(&global.roadmap, settings, &args.input)?;
    let index = resolve(&args.feature, &analysis.roadmap.features)?;
    let model = config::model(&analysis.roadmap, args.model);
    let mut e = explain(&analysis, model, index);
    if args.redact {
        e = e.redacted();
    }
    write_to(args.output.as_deref(), |out| match args.format {
        ExplainFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &e)?;
            writeln!(out)?;
            Ok(())
        }
        ExplainFormat::Text => Ok(render_text(&e, out)?),
    })?;
    Ok(0)
}

/// Finds a feature by id, or by a unique prefix of its id or title.
pub fn resolve(query: &str, features: &[Feature]) -> Result<usize, UsageError> {
    if let Some(i) = features.iter().position(|f| f.id == query) {
        return Ok(i);
    }
    let q = query.trim().to_lowercase();
    for key in [
        |f: &Feature| f.id.clone(),
        |f: &Feature| f.title.to_lowercase(),
    ] {
        let hits: Vec<usize> = (0..features.len())
            .filter(|&i| !q.is_empty() && key(&features[i]).starts_with(&q))
            .collect();
        match hits.len() {
            1 => return Ok(hits[0]),
            0 => continue,
            _ => {
                let names: Vec<&str> = hits.iter().map(|&i| features[i].id.as_str()).collect();
                return Err(UsageError(format!(
                    "`{}` matches several features: {}; give more of the id",
                    terminal(query),
                    names.join(", ")
                )));
            }
        }
    }
    // The query is echoed to a terminal, like any text painmap did not write.
    let mut msg = format!("no feature `{}` in the roadmap", terminal(query));
    if let Some(s) = did_you_mean(&q, features.iter().map(|f| f.id.as_str())) {
        msg.push_str(&format!("; did you mean `{s}`?"));
    } else if features.len() <= 30 {
        let ids: Vec<&str> = features.iter().map(|f| f.id.as_str()).collect();
        msg.push_str(&format!("; the features are: {}", ids.join(", ")));
    } else {
        msg.push_str("; run `painmap rank` to see the feature ids");
    }
    Err(UsageError(msg))
}

pub fn explain(analysis: &Analysis, model: Model, index: usize) -> Explanation {
    let ranked = analysis.ranked(model);
    let pos = ranked
        .iter()
        .position(|s| s.index == index)
        .expect("every feature is ranked");
    let s = &ranked[pos];
    let report = analysis.report(model, std::slice::from_ref(s));
    let fr = &report.features[0];
    let feature = &analysis.roadmap.features[index];
    let fa = &analysis.acc.features[index];

    let counts = |names: Vec<String>, values: &[u64]| -> Vec<Count> {
        let mut v: Vec<Count> = names
            .into_iter()
            .zip(values)
            .filter(|(_, n)| **n > 0)
            .map(|(name, &count)| Count { name, count })
            .collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        v
    };
    let with_unknown = |ids: Vec<String>| {
        ids.into_iter()
            .chain(["unknown".to_string()])
            .collect::<Vec<_>>()
    };
    let stages = with_unknown(
        analysis
            .roadmap
            .stages
            .iter()
            .map(|x| x.id.clone())
            .collect(),
    );
    let personas = with_unknown(
        analysis
            .roadmap
            .personas
            .iter()
            .map(|x| x.id.clone())
            .collect(),
    );
    let kinds: Vec<String> = Kind::ALL.iter().map(|k| k.name().to_string()).collect();
    let sources: Vec<String> = analysis.sources.iter().map(|(n, _, _)| n.clone()).collect();

    let total: f64 = s.contributions.iter().map(|c| c.weighted_pain()).sum();
    let mut top: Vec<CustomerShare> = s
        .contributions
        .iter()
        .map(|c| CustomerShare {
            customer: c.customer.clone(),
            recency: round(c.recency, 3),
            pain: round(c.pain, 3),
            value_weight: round(c.value_weight, 3),
            source_weight: round(c.source_weight, 3),
            persona_weight: round(c.persona_weight, 3),
            weighted_pain: c.weighted_pain(),
            share: if total > 0.0 {
                c.weighted_pain() / total
            } else {
                0.0
            },
        })
        .collect();
    top.sort_by(|a, b| {
        b.weighted_pain
            .total_cmp(&a.weighted_pain)
            .then_with(|| a.customer.cmp(&b.customer))
    });
    top.truncate(TOP_CUSTOMERS);
    for c in &mut top {
        c.weighted_pain = round(c.weighted_pain, 4);
        c.share = round(c.share, 4);
    }

    let next_up = pos.checked_sub(1).map(|above| {
        let a = &ranked[above];
        let af = &analysis.roadmap.features[a.index];
        NextUp {
            rank: above + 1,
            id: af.id.clone(),
            title: af.title.clone(),
            score: round(a.score, 4),
            gap: round(a.score - s.score, 4),
            levers: levers(model, s, a.score),
        }
    });

    Explanation {
        as_of: analysis.as_of.clone(),
        model: model.name().to_string(),
        formula: report.formula.clone(),
        rank: pos + 1,
        of: ranked.len(),
        id: feature.id.clone(),
        title: feature.title.clone(),
        status: feature.status.name().to_string(),
        score: fr.score,
        terms: fr.breakdown.clone(),
        customers: fr.customers,
        mentions: fr.mentions,
        pain: fr.pain,
        value: fr.value,
        trend: fr.trend,
        stages: counts(stages, &fa.stages),
        personas: counts(personas, &fa.personas),
        kinds: counts(kinds, &fa.kinds),
        sources: counts(sources, &fa.sources),
        top_customers: top,
        quotes: fr.evidence.clone(),
        next_up,
    }
}

/// For each driver of the model, the change that alone would lift the
/// feature's score to `target`.
fn levers(model: Model, s: &FeatureScore, target: f64) -> Vec<String> {
    let b = &s.breakdown;
    let term = |k: &str| b.get(k).copied().unwrap_or(0.0);
    let effort = term("effort").max(term("job_size"));
    let mut out = Vec::new();
    if s.score <= 0.0 {
        out.push("it has no scored evidence yet: any painful mention from a customer would give it a score".into());
        return out;
    }
    let factor = target / s.score;
    let pct = |f: f64| format!("{:+.0}%", (f - 1.0) * 100.0);
    match model {
        Model::PainValue => {
            let w = term("weighted_pain");
            let mean = w / s.customers.max(1) as f64;
            let more = ((target * effort - w) / mean).ceil().max(1.0);
            out.push(format!(
                "{} weighted pain ({:.2} → {:.2}), about {} like its average",
                pct(factor),
                w,
                target * effort,
                count(more as u64, "more customer")
            ));
        }
        Model::Rice => {
            out.push(format!(
                "{} reach ({:.2} → {:.2})",
                pct(factor),
                term("reach"),
                term("reach") * factor
            ));
            if term("impact") * factor <= 3.0 {
                out.push(format!(
                    "impact {:.2} → {:.2} (more painful mentions)",
                    term("impact"),
                    term("impact") * factor
                ));
            }
            if term("confidence") * factor <= 1.0 {
                out.push(format!(
                    "confidence {:.2} → {:.2}",
                    term("confidence"),
                    term("confidence") * factor
                ));
            }
        }
        Model::Ice => {
            for k in ["impact", "confidence", "ease"] {
                if term(k) * factor <= 10.0 {
                    out.push(format!("{k} {:.2} → {:.2}", term(k), term(k) * factor));
                }
            }
        }
        Model::Wsjf => {
            out.push(format!(
                "cost of delay {:.2} → {:.2}",
                term("cost_of_delay"),
                term("cost_of_delay") * factor
            ));
        }
        Model::Opportunity => {
            out.push(format!(
                "{:+.2} opportunity points: more customers asking (importance {:.2}) or less satisfied ones (satisfaction {:.2})",
                target - s.score,
                term("importance"),
                term("satisfaction")
            ));
        }
        Model::Impact => {
            let gap = target - s.score;
            out.push(format!(
                "about {} for whom it is critical, or {} for whom it is nice to have",
                count((gap / 3.0).ceil().max(1.0) as u64, "more customer"),
                gap.ceil().max(1.0)
            ));
        }
        Model::Weighted => {
            out.push(format!("{} on the weighted drivers", pct(factor)));
        }
    }
    if !matches!(model, Model::Opportunity | Model::Impact) && effort > 0.0 {
        let needed = if model == Model::Ice {
            // Ease is 10 ÷ effort, between 1 and 10.
            let ease = term("ease") * factor;
            (ease <= 10.0).then(|| 10.0 / ease)
        } else {
            Some(effort / factor)
        };
        if let Some(e) = needed {
            out.push(format!("or effort {effort} → {e:.1} person-months"));
        }
    }
    out
}

fn render_text(e: &Explanation, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{} · {}", terminal(&e.id), terminal(&e.title))?;
    writeln!(
        out,
        "rank {} of {} under {} · score {:.2} · status {} · as of {}",
        e.rank, e.of, e.model, e.score, e.status, e.as_of
    )?;
    writeln!(out)?;
    writeln!(out, "Formula: {}", e.formula)?;
    for (k, v) in &e.terms {
        writeln!(out, "  {:<22} {:>10.4}", k.replace('_', " "), v)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Evidence: {}, {}, mean pain {:.2}, value at stake {}, trend {}",
        count(e.customers, "customer"),
        count(e.mentions, "mention"),
        e.pain,
        compact(e.value),
        trend(e.trend)
    )?;
    for (label, list) in [
        ("stage", &e.stages),
        ("persona", &e.personas),
        ("kind", &e.kinds),
        ("source", &e.sources),
    ] {
        let parts: Vec<String> = list
            .iter()
            .map(|c| format!("{} {}", terminal(&c.name), c.count))
            .collect();
        writeln!(
            out,
            "  by {label:<8} {}",
            if parts.is_empty() {
                "-".into()
            } else {
                parts.join(" · ")
            }
        )?;
    }
    writeln!(out)?;
    if !e.top_customers.is_empty() {
        writeln!(
            out,
            "Top customers (recency × pain × value × source × persona = weighted pain, share)"
        )?;
        for c in &e.top_customers {
            writeln!(
                out,
                "  {:<40} {:.2} × {:.2} × {:.2} × {:.2} × {:.2} = {:.3}  {:>5.1}%",
                truncate_chars(&terminal(&c.customer), 40),
                c.recency,
                c.pain,
                c.value_weight,
                c.source_weight,
                c.persona_weight,
                c.weighted_pain,
                c.share * 100.0
            )?;
        }
        writeln!(out)?;
    }
    if !e.quotes.is_empty() {
        writeln!(
            out,
            "Quotes (most painful, then most recent; one per customer)"
        )?;
        for q in &e.quotes {
            writeln!(out, "  “{}”", terminal(&q.quote))?;
            writeln!(
                out,
                "     {} · {} · pain {:.2} · {}#{}",
                q.customer
                    .as_deref()
                    .map(terminal)
                    .unwrap_or_else(|| "anonymous".into()),
                q.created_at
                    .as_deref()
                    .map_or("undated", |d| d.get(..10).unwrap_or(d)),
                q.pain,
                terminal(&q.source),
                terminal(&q.id)
            )?;
        }
        writeln!(out)?;
    }
    match &e.next_up {
        None => writeln!(out, "It ranks first.")?,
        Some(n) => {
            writeln!(
                out,
                "To pass #{} {} (score {:.2}, a gap of {:.2}), it would need one of:",
                n.rank, n.id, n.score, n.gap
            )?;
            for l in &n.levers {
                writeln!(out, "  - {l}")?;
            }
        }
    }
    Ok(())
}

fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn features() -> Vec<Feature> {
        let src = r#"
[[features]]
id = "sso"
title = "Single sign-on"
[[features]]
id = "scim"
title = "User provisioning"
[[features]]
id = "search"
title = "Search that finds things"
"#;
        crate::roadmap::Roadmap::parse(Path::new("r.toml"), src)
            .unwrap()
            .features
    }

    #[test]
    fn resolves_ids_prefixes_and_titles() {
        let f = features();
        assert_eq!(resolve("sso", &f).unwrap(), 0);
        assert_eq!(resolve("sci", &f).unwrap(), 1);
        assert_eq!(resolve("User prov", &f).unwrap(), 1);
        assert_eq!(resolve("se", &f).unwrap(), 2);
        let e = resolve("s", &f).unwrap_err();
        assert!(
            e.0.contains("matches several features: sso, scim, search"),
            "{}",
            e.0
        );
        let e = resolve("ssoo", &f).unwrap_err();
        assert!(e.0.contains("did you mean `sso`"), "{}", e.0);
    }

    #[test]
    fn an_unknown_feature_is_echoed_without_escapes() {
        let e = resolve("\u{1b}]8;;http://x\u{7}x\u{1b}[2J", &features()).unwrap_err();
        assert!(
            e.0.starts_with("no feature `x` in the roadmap"),
            "{:?}",
            e.0
        );
        let e = resolve("s\u{7}", &features()).unwrap_err();
        assert!(!e.0.contains('\u{7}'), "{:?}", e.0);
    }
}
