//! The lints of `painmap check`: what is wrong with a roadmap on its own
//! (overlapping keywords, excludes that veto nothing), and what the
//! feedback shows (keywords that never match, features no item links to,
//! stages and personas nothing uses, too many unlinked or rejected rows).
//!
//! Each finding is a problem (a CI gate: exit code 3) or a warning, as the
//! roadmap's `[check]` table says.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::plural::count;
use crate::roadmap::{line_col, Level, Roadmap, RoadmapError};
use crate::score::Window;
use crate::tag::Tags;
use crate::text::normalize::Normalizer;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Warning,
    Problem,
}

/// One thing `check` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub level: Severity,
    /// A stable name for the kind of finding, for scripts.
    pub code: &'static str,
    /// `file:line:col`, or the file, when known.
    pub location: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    fn new(level: Severity, code: &'static str, location: Option<String>, message: String) -> Self {
        Finding {
            level,
            code,
            location,
            message,
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A roadmap that does not load: always a problem.
    pub fn from_roadmap_error(e: &RoadmapError) -> Finding {
        Finding {
            level: Severity::Problem,
            code: "roadmap",
            location: Some(e.location.clone()),
            message: e.message.clone(),
            help: e.help.clone(),
        }
    }

    /// A source that cannot be read: always a problem. Ingest errors carry
    /// their advice after a "help:" line; it is kept apart.
    pub fn unreadable_source(location: Option<String>, error: &anyhow::Error) -> Finding {
        let text = format!("{error:#}");
        // A missing `[[sources]]` file's error names its place in the
        // roadmap itself, for the commands that have no finding to put it
        // in; the finding's location says it once.
        let text = match location.as_deref().map(|l| format!("{l}: ")) {
            Some(prefix) if text.starts_with(&prefix) => text[prefix.len()..].to_string(),
            _ => text,
        };
        let (message, help) = match text.split_once("\n  help: ") {
            Some((m, h)) => (m.to_string(), Some(h.to_string())),
            None => (text, None),
        };
        Finding {
            level: Severity::Problem,
            code: "source",
            location,
            message,
            help,
        }
    }
}

fn severity(level: Level) -> Option<Severity> {
    match level {
        Level::Off => None,
        Level::Warning => Some(Severity::Warning),
        Level::Problem => Some(Severity::Problem),
    }
}

// ---- where things are in roadmap.toml -------------------------------------

#[derive(Deserialize, Default)]
struct LooseRoadmap {
    #[serde(default)]
    features: Vec<LooseOwner>,
    #[serde(default)]
    stages: Vec<LooseOwner>,
    #[serde(default)]
    personas: Vec<LooseOwner>,
    #[serde(default)]
    sources: Vec<LooseSource>,
}

#[derive(Deserialize)]
struct LooseOwner {
    id: Spanned<String>,
    #[serde(default)]
    keywords: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
struct LooseSource {
    path: Spanned<String>,
}

/// Where ids, keywords and sources are in roadmap.toml, for messages. A
/// second, lenient parse of a file that has already been validated; if it
/// fails, locations fall back to the file name.
pub struct Locator {
    path: String,
    source: String,
    spans: LooseRoadmap,
}

/// What owns a phrase the roadmap declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Feature(usize),
    Stage(usize),
    Persona(usize),
}

impl Locator {
    pub fn new(path: &Path, source: &str) -> Locator {
        Locator {
            path: path.display().to_string(),
            source: source.to_string(),
            spans: toml::from_str(source).unwrap_or_default(),
        }
    }

    fn at(&self, span: Option<Range<usize>>) -> Option<String> {
        Some(match span {
            Some(s) => {
                let (line, col) = line_col(&self.source, s.start);
                format!("{}:{line}:{col}", self.path)
            }
            None => self.path.clone(),
        })
    }

    fn owner(&self, owner: Owner) -> Option<&LooseOwner> {
        match owner {
            Owner::Feature(i) => self.spans.features.get(i),
            Owner::Stage(i) => self.spans.stages.get(i),
            Owner::Persona(i) => self.spans.personas.get(i),
        }
    }

    pub fn id(&self, owner: Owner) -> Option<String> {
        self.at(self.owner(owner).map(|o| o.id.span()))
    }

    pub fn keyword(&self, owner: Owner, k: usize) -> Option<String> {
        self.at(self
            .owner(owner)
            .and_then(|o| o.keywords.get(k))
            .map(Spanned::span))
    }

    pub fn exclude(&self, owner: Owner, k: usize) -> Option<String> {
        self.at(self
            .owner(owner)
            .and_then(|o| o.exclude.get(k))
            .map(Spanned::span))
    }

    /// The `path = …` of the roadmap's `i`th `[[sources]]`.
    pub fn source(&self, i: usize) -> Option<String> {
        self.at(self.spans.sources.get(i).map(|s| s.path.span()))
    }
}

// ---- the phrases counted against the feedback -----------------------------

/// A keyword of a feature, stage or persona.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub owner: Owner,
    /// Its index in the owner's `keywords`.
    pub index: usize,
    pub text: String,
}

/// Every keyword of every feature, stage and persona, in roadmap order.
pub fn phrases(roadmap: &Roadmap) -> Vec<Phrase> {
    let lists = roadmap
        .features
        .iter()
        .enumerate()
        .map(|(i, f)| (Owner::Feature(i), &f.keywords))
        .chain(
            roadmap
                .stages
                .iter()
                .enumerate()
                .map(|(i, s)| (Owner::Stage(i), &s.keywords)),
        )
        .chain(
            roadmap
                .personas
                .iter()
                .enumerate()
                .map(|(i, p)| (Owner::Persona(i), &p.keywords)),
        );
    lists
        .flat_map(|(owner, keywords)| {
            keywords.iter().enumerate().map(move |(index, k)| Phrase {
                owner,
                index,
                text: k.clone(),
            })
        })
        .collect()
}

/// The most distinct unknown stage (or persona) values [`Usage`] keeps.
pub const MAX_UNKNOWN: usize = 100;

/// What the feedback used: a commutative monoid, like the accumulator, so
/// chunks can be counted in parallel and merged.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Usage {
    /// Items each phrase (see [`phrases`]) occurred in.
    pub phrases: Vec<u64>,
    /// Items linked to each feature.
    pub features: Vec<u64>,
    /// Items tagged with each stage and persona.
    pub stages: Vec<u64>,
    pub personas: Vec<u64>,
    /// The stage and persona column values that name none of the roadmap's
    /// (trimmed, lower-cased), with their item counts: the [`MAX_UNKNOWN`]
    /// first in byte order, which any order of merging keeps the same, the
    /// items of the rest counted in `unknown_more`.
    pub unknown: [BTreeMap<String, u64>; 2],
    pub unknown_more: [u64; 2],
    pub linked: u64,
    pub unlinked: u64,
    pub rejected: u64,
    /// Of the rejected rows, those with no text: a score-only survey
    /// answer, a star-only review. They are not malformed, so they do not
    /// count towards `max_rejected_share`.
    pub empty: u64,
    /// Rows that repeat an earlier one, counted once: not rejected, and
    /// not towards `max_rejected_share` (but under `--strict`, which stops
    /// a ranking at them).
    pub duplicates: u64,
    /// When the newest item up to `--as-of` was written, epoch seconds.
    pub newest: Option<i64>,
    /// Items dated after `--as-of`, and when the first was written.
    pub future: u64,
    pub first_future: Option<i64>,
}

impl Usage {
    pub fn new(roadmap: &Roadmap, phrases: usize) -> Usage {
        Usage {
            phrases: vec![0; phrases],
            features: vec![0; roadmap.features.len()],
            stages: vec![0; roadmap.stages.len()],
            personas: vec![0; roadmap.personas.len()],
            ..Usage::default()
        }
    }

    /// Counts one tagged item; `counted` are the phrases found in it.
    pub fn add(&mut self, tags: &Tags, counted: &[u32]) {
        for &p in counted {
            self.phrases[p as usize] += 1;
        }
        for &f in &tags.features {
            self.features[f as usize] += 1;
        }
        if let Some(s) = tags.stage {
            self.stages[s as usize] += 1;
        }
        if let Some(p) = tags.persona {
            self.personas[p as usize] += 1;
        }
        if tags.features.is_empty() {
            self.unlinked += 1;
        } else {
            self.linked += 1;
        }
    }

    /// Counts an item's stage and persona values that the roadmap does not
    /// know ([`crate::tag::Tagger::unknown_explicit`]).
    pub fn add_unknown(&mut self, values: [Option<&str>; 2]) {
        for (i, value) in values.into_iter().enumerate() {
            if let Some(v) = value {
                self.count_unknown(i, v.to_lowercase(), 1);
            }
        }
    }

    fn count_unknown(&mut self, i: usize, value: String, n: u64) {
        let map = &mut self.unknown[i];
        *map.entry(value).or_default() += n;
        if map.len() > MAX_UNKNOWN {
            if let Some((_, dropped)) = map.pop_last() {
                self.unknown_more[i] += dropped;
            }
        }
    }

    pub fn merge(&mut self, other: Usage) {
        let add = |a: &mut Vec<u64>, b: Vec<u64>| {
            if a.len() < b.len() {
                a.resize(b.len(), 0);
            }
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        };
        add(&mut self.phrases, other.phrases);
        add(&mut self.features, other.features);
        add(&mut self.stages, other.stages);
        add(&mut self.personas, other.personas);
        for (i, map) in other.unknown.into_iter().enumerate() {
            for (value, n) in map {
                self.count_unknown(i, value, n);
            }
            self.unknown_more[i] += other.unknown_more[i];
        }
        self.linked += other.linked;
        self.unlinked += other.unlinked;
        self.rejected += other.rejected;
        self.empty += other.empty;
        self.duplicates += other.duplicates;
        self.newest = self.newest.max(other.newest);
        self.future += other.future;
        self.first_future =
            crate::score::accumulate::earlier(self.first_future, other.first_future);
    }

    /// Notes when an item was written: the newest up to `window`'s
    /// `--as-of`, or the first after it.
    pub fn add_date(&mut self, created_at: Option<i64>, window: &Window) {
        match created_at {
            Some(t) if t <= window.as_of_end => self.newest = self.newest.max(created_at),
            Some(_) => {
                self.future += 1;
                self.first_future =
                    crate::score::accumulate::earlier(self.first_future, created_at);
            }
            None => {}
        }
    }

    /// The share of accepted items that link to no feature.
    pub fn unlinked_share(&self) -> f64 {
        let accepted = self.linked + self.unlinked;
        if accepted == 0 {
            0.0
        } else {
            self.unlinked as f64 / accepted as f64
        }
    }
}

// ---- the lints ------------------------------------------------------------

/// One source as the `stale-feedback` lint sees it.
pub struct SourceDates {
    /// How a finding names it: its place in roadmap.toml, or its path.
    pub location: Option<String>,
    pub name: String,
    /// When its newest item up to `--as-of` was written.
    pub newest: Option<i64>,
}

/// The `stale-feedback` lint ([`Window::staleness`]): the newest item of
/// all the feedback is well before `--as-of`, so a ranking made as of that
/// date shows every trend falling; or, when the feedback as a whole is
/// fresh, one source has nothing in the trend's recent days, so its export
/// may have stopped while the others go on (a quieter source, a survey
/// with a response a week, stays under that).
pub fn freshness_findings(
    roadmap: &Roadmap,
    loc: &Locator,
    usage: &Usage,
    sources: &[SourceDates],
    window: &Window,
    as_of: &str,
) -> Vec<Finding> {
    let Some(level) = severity(roadmap.check.stale_feedback) else {
        return Vec::new();
    };
    if let Some(none) = crate::score::accumulate::all_after_as_of(
        usage.newest,
        usage.future,
        usage.first_future,
        as_of,
    ) {
        return vec![Finding::new(level, "stale-feedback", loc.at(None), none)];
    }
    if let Some(stale) = window.staleness(usage.newest) {
        return vec![
            Finding::new(level, "stale-feedback", loc.at(None), stale.describe(as_of)).help(
                format!(
            "export the feedback again; if it really ends on {day}, rank with --as-of {day}",
            day = stale.day()
        ),
            ),
        ];
    }
    let Some(newest) = usage.newest else {
        return Vec::new();
    };
    let all = crate::ingest::values::format_day(newest);
    sources
        .iter()
        .filter_map(|src| {
            let stale = window
                .staleness(src.newest)
                .filter(|s| s.days_before >= s.recent_days)?;
            Some(
                Finding::new(
                    level,
                    "stale-feedback",
                    src.location.clone().or_else(|| Some(src.name.clone())),
                    format!(
                        "{}: its newest item is from {}, {} before --as-of {as_of}, so none of it is in the trend's last {}, while the other sources run to {all}",
                        src.name,
                        stale.day(),
                        count(stale.days_before as u64, "day"),
                        count(stale.recent_days as u64, "day"),
                    ),
                )
                .help("its export may have stopped: export it again, or leave it out of [[sources]] if it has ended"),
            )
        })
        .collect()
}

fn quoted(list: &[&str]) -> String {
    list.iter()
        .map(|k| format!("{k:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lints that need only the roadmap.
pub fn static_findings(roadmap: &Roadmap, loc: &Locator) -> Vec<Finding> {
    let rules = &roadmap.check;
    let mut out: Vec<Finding> = roadmap
        .warnings
        .iter()
        .map(|w| {
            Finding::new(
                Severity::Warning,
                "roadmap",
                Some(w.location.clone()),
                w.message.clone(),
            )
        })
        .collect();
    let n = Normalizer::new();

    // Keywords of two features, or twice in one: every item that says one
    // links to both, or the second is dead weight.
    if let Some(level) = severity(rules.overlapping_keywords) {
        let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
        for (fi, f) in roadmap.features.iter().enumerate() {
            for (ki, k) in f.keywords.iter().enumerate() {
                let Some(norm) = n.phrase(k) else { continue };
                match seen.get(&norm) {
                    None => {
                        seen.insert(norm, (fi, ki));
                    }
                    Some(&(first_f, first_k)) => {
                        let first = &roadmap.features[first_f];
                        let (message, help) = if first_f == fi {
                            (
                                format!(
                                    "feature `{}` lists {k:?} and {:?}, which match the same words",
                                    f.id, first.keywords[first_k]
                                ),
                                "keep one of them",
                            )
                        } else {
                            (
                                format!(
                                    "keyword {k:?} of feature `{}` matches like {:?} of feature `{}`, so every item that says it links to both",
                                    f.id, first.keywords[first_k], first.id
                                ),
                                "keep it in one feature, or make each more specific",
                            )
                        };
                        out.push(
                            Finding::new(
                                level,
                                "overlapping-keyword",
                                loc.keyword(Owner::Feature(fi), ki),
                                message,
                            )
                            .help(help),
                        );
                    }
                }
            }
        }
    }

    // A keyword that is also an exclude of its feature can never link; an
    // exclude that contains none of the feature's keywords vetoes nothing,
    // because an exclude only cancels the keyword matches it covers.
    for (fi, f) in roadmap.features.iter().enumerate() {
        let keywords: Vec<String> = f.keywords.iter().filter_map(|k| n.phrase(k)).collect();
        for (ei, e) in f.exclude.iter().enumerate() {
            let Some(ex) = n.phrase(e) else { continue };
            if let Some(ki) = keywords.iter().position(|k| *k == ex) {
                out.push(
                    Finding::new(
                        Severity::Problem,
                        "excluded-keyword",
                        loc.exclude(Owner::Feature(fi), ei),
                        format!(
                            "feature `{}` both matches and excludes {:?}, so that keyword can never link an item",
                            f.id, f.keywords[ki]
                        ),
                    )
                    .help("remove it from keywords or from exclude"),
                );
            } else if let Some(level) = severity(rules.overlapping_keywords) {
                if !keywords.iter().any(|k| ex.contains(k.as_str())) {
                    out.push(
                        Finding::new(
                            level,
                            "idle-exclude",
                            loc.exclude(Owner::Feature(fi), ei),
                            format!(
                                "exclude {e:?} of feature `{}` contains none of its keywords, so it vetoes nothing",
                                f.id
                            ),
                        )
                        .help("an exclude cancels only the keyword matches inside it: write the whole phrase, e.g. \"sso tax\" to veto \"sso\""),
                    );
                }
            }
        }
    }
    out
}

/// Stage and persona column values that name no stage or persona: tagging
/// passes over them as if the column were empty, which the user should
/// know, since they set the column for a reason.
fn unknown_value_findings(
    roadmap: &Roadmap,
    loc: &Locator,
    usage: &Usage,
    level: Severity,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, what) in ["stage", "persona"].into_iter().enumerate() {
        let values = &usage.unknown[i];
        let items: u64 = values.values().sum::<u64>() + usage.unknown_more[i];
        if items == 0 {
            continue;
        }
        let mut by_count: Vec<(&String, u64)> = values.iter().map(|(v, &n)| (v, n)).collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        const SHOWN: usize = 5;
        let mut list: Vec<String> = by_count
            .iter()
            .take(SHOWN)
            .map(|(v, n)| format!("{:?} ({n})", crate::score::accumulate::truncate(v, 40)))
            .collect();
        let hidden = by_count.len().saturating_sub(SHOWN);
        if hidden > 0 || usage.unknown_more[i] > 0 {
            list.push(if usage.unknown_more[i] > 0 {
                format!("and more than {hidden} other values")
            } else {
                format!("and {}", count(hidden, "other value"))
            });
        }
        let (ids, owner): (Vec<&str>, fn(usize) -> Owner) = if i == 0 {
            (
                roadmap.stages.iter().map(|s| s.id.as_str()).collect(),
                Owner::Stage,
            )
        } else {
            (
                roadmap.personas.iter().map(|p| p.id.as_str()).collect(),
                Owner::Persona,
            )
        };
        let close = by_count.iter().find_map(|(v, _)| {
            crate::suggest::did_you_mean(v, ids.iter().copied()).map(|id| (*v, id))
        });
        let mut help = format!(
            "add a [[{what}s]] entry whose id or name is the value, or change the export's values to the ids ({})",
            if ids.is_empty() {
                "the roadmap declares none".to_string()
            } else {
                ids.join(", ")
            }
        );
        if let Some((v, id)) = close {
            help.push_str(&format!("; {v:?} may be `{id}` misspelt"));
        }
        out.push(
            Finding::new(
                level,
                if i == 0 {
                    "unknown-stage-value"
                } else {
                    "unknown-persona-value"
                },
                if ids.is_empty() {
                    loc.at(None)
                } else {
                    loc.id(owner(0))
                },
                format!(
                    "{} {} a {what} value that names no {what} of the roadmap, so {what} was tagged as if the column were empty: {}",
                    count(items as usize, "item"),
                    if items == 1 { "has" } else { "have" },
                    list.join(", ")
                ),
            )
            .help(help),
        );
    }
    out
}

/// Lints that measure the roadmap against the feedback.
pub fn evidence_findings(
    roadmap: &Roadmap,
    loc: &Locator,
    phrases: &[Phrase],
    usage: &Usage,
) -> Vec<Finding> {
    let rules = &roadmap.check;
    let mut out = Vec::new();

    if let Some(level) = severity(rules.features_without_feedback) {
        for (fi, f) in roadmap.features.iter().enumerate() {
            if usage.features[fi] == 0 {
                let how = if f.keywords.is_empty() {
                    "no item mentions the words of its title"
                } else {
                    "none of its keywords matched"
                };
                out.push(
                    Finding::new(
                        level,
                        "feature-without-feedback",
                        loc.id(Owner::Feature(fi)),
                        format!("feature `{}` has no linked feedback: {how}", f.id),
                    )
                    .help("add the words customers use for it as keywords (`painmap tag` shows how each item was tagged), or drop the feature if nobody asks for it"),
                );
            }
        }
    }

    if let Some(level) = severity(rules.dead_keywords) {
        let mut by_owner: BTreeMap<(u8, usize), Vec<&Phrase>> = BTreeMap::new();
        for (p, n) in phrases.iter().zip(&usage.phrases) {
            if *n == 0 {
                let key = match p.owner {
                    Owner::Feature(i) => (0, i),
                    Owner::Stage(i) => (1, i),
                    Owner::Persona(i) => (2, i),
                };
                by_owner.entry(key).or_default().push(p);
            }
        }
        for dead in by_owner.values() {
            let owner = dead[0].owner;
            let (what, id, total) = match owner {
                Owner::Feature(i) => {
                    // An owner nothing used at all is reported on its own.
                    if usage.features[i] == 0 && severity(rules.features_without_feedback).is_some()
                    {
                        continue;
                    }
                    let f = &roadmap.features[i];
                    ("feature", &f.id, f.keywords.len())
                }
                Owner::Stage(i) => {
                    if usage.stages[i] == 0 && severity(rules.unused_stages).is_some() {
                        continue;
                    }
                    let s = &roadmap.stages[i];
                    ("stage", &s.id, s.keywords.len())
                }
                Owner::Persona(i) => {
                    if usage.personas[i] == 0 && severity(rules.unused_personas).is_some() {
                        continue;
                    }
                    let p = &roadmap.personas[i];
                    ("persona", &p.id, p.keywords.len())
                }
            };
            let words: Vec<&str> = dead.iter().map(|p| p.text.as_str()).collect();
            out.push(
                Finding::new(
                    level,
                    "dead-keyword",
                    loc.keyword(owner, dead[0].index),
                    format!(
                        "{what} `{id}`: {} of {} matched no item: {}",
                        dead.len(),
                        count(total, "keyword"),
                        quoted(&words)
                    ),
                )
                .help("check their spelling against the feedback, or remove them"),
            );
        }
    }

    for (level, what, ids, counts, declared) in [
        (
            rules.unused_stages,
            "stage",
            roadmap
                .stages
                .iter()
                .map(|s| (&s.id, s.keywords.is_empty()))
                .collect::<Vec<_>>(),
            &usage.stages,
            roadmap
                .features
                .iter()
                .filter_map(|f| f.stage)
                .collect::<Vec<_>>(),
        ),
        (
            rules.unused_personas,
            "persona",
            roadmap
                .personas
                .iter()
                .map(|p| (&p.id, p.keywords.is_empty() && p.rules.is_empty()))
                .collect(),
            &usage.personas,
            roadmap
                .features
                .iter()
                .flat_map(|f| f.personas.iter().copied())
                .collect(),
        ),
    ] {
        let Some(level) = severity(level) else {
            continue;
        };
        for (i, (id, no_evidence)) in ids.iter().enumerate() {
            if counts[i] > 0 {
                continue;
            }
            let why = if *no_evidence && !declared.contains(&i) {
                format!(
                    ": it has no keywords{} and no feature names it",
                    if what == "persona" {
                        " or match rules"
                    } else {
                        ""
                    }
                )
            } else {
                String::new()
            };
            let owner = if what == "stage" {
                Owner::Stage(i)
            } else {
                Owner::Persona(i)
            };
            out.push(
                Finding::new(
                    level,
                    if what == "stage" {
                        "unused-stage"
                    } else {
                        "unused-persona"
                    },
                    loc.id(owner),
                    format!("{what} `{id}` was given to no item{why}"),
                )
                .help(format!(
                    "add keywords customers use for it, or remove the {what}"
                )),
            );
        }
    }

    if let Some(level) = severity(rules.unknown_values) {
        out.extend(unknown_value_findings(roadmap, loc, usage, level));
    }

    let share = usage.unlinked_share();
    if usage.linked + usage.unlinked > 0 && share > rules.max_unlinked_share {
        out.push(
            Finding::new(
                Severity::Problem,
                "unlinked-share",
                loc.at(None),
                format!(
                    "{:.1}% of the items ({} of {}) link to no feature; [check] max_unlinked_share is {}%",
                    share * 100.0,
                    usage.unlinked,
                    usage.linked + usage.unlinked,
                    rules.max_unlinked_share * 100.0
                ),
            )
            .help("add features or keywords for what those items talk about (`painmap tag` lists each item's features), or raise max_unlinked_share"),
        );
    }
    out
}

/// The lint on rejected rows: a problem when more of the rows than
/// `[check] max_rejected_share` were rejected as malformed (rows with no
/// text, such as score-only answers, aside; duplicates are not rejected),
/// under `--strict` when any row was rejected or a duplicate (a ranking
/// would stop there), and always when every row was rejected, which leaves
/// the other lints nothing to measure.
pub fn rejected_finding(
    roadmap: &Roadmap,
    loc: &Locator,
    usage: &Usage,
    strict: bool,
) -> Option<Finding> {
    let rows = usage.linked + usage.unlinked + usage.rejected + usage.duplicates;
    let every = usage.linked + usage.unlinked == 0;
    let counted = if strict {
        usage.rejected + usage.duplicates
    } else if every {
        usage.rejected
    } else {
        usage.rejected - usage.empty
    };
    if counted == 0 {
        return None;
    }
    let limit = roadmap.check.max_rejected_share;
    let share = counted as f64 / rows as f64;
    let what = if strict && usage.duplicates > 0 {
        "rejected or duplicates"
    } else {
        "rejected"
    };
    let why = if strict {
        "--strict allows none".to_string()
    } else if every {
        "no row is left to rank".to_string()
    } else if share > limit {
        let count = crate::plural::count;
        let uncounted: Vec<String> = [
            (usage.empty > 0).then(|| {
                format!(
                    "{} with no text (score-only answers)",
                    count(usage.empty, "row")
                )
            }),
            (usage.duplicates > 0).then(|| count(usage.duplicates, "duplicate")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut why = format!("[check] max_rejected_share is {}%", limit * 100.0);
        if !uncounted.is_empty() {
            why.push_str(&format!(
                " and does not count the {}",
                uncounted.join(" or the ")
            ));
        }
        why
    } else {
        return None;
    };
    Some(
        Finding::new(
            Severity::Problem,
            "rejected-share",
            loc.at(None),
            format!(
                "{:.1}% of the rows ({counted} of {rows}) were {what}; {why}",
                share * 100.0,
            ),
        )
        .help(if strict && usage.duplicates > 0 {
            "the warnings above name each row's file and line (--rejects FILE writes them all); fix the rejected rows and remove the copies, or drop --strict, which counts a duplicate once"
        } else {
            "the warnings above name each rejected row's file and line (--rejects FILE writes them all); export the feedback again or fix the rows"
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROADMAP: &str = r#"
[[stages]]
id = "onboarding"
keywords = ["setup"]
[[stages]]
id = "renewal"
[[personas]]
id = "admin"
keywords = ["as an admin"]
[[features]]
id = "sso"
title = "Single sign-on"
keywords = ["sso", "saml", "okta"]
exclude = ["sso tax", "pricing page"]
stage = "onboarding"
effort = 1
[[features]]
id = "export"
title = "Export"
keywords = ["export", "csv", "exports", "SSO"]
exclude = ["csv"]
effort = 1
"#;

    fn roadmap(extra: &str) -> (Roadmap, Locator) {
        let src = format!("{ROADMAP}{extra}");
        let path = Path::new("roadmap.toml");
        (
            Roadmap::parse(path, &src).unwrap(),
            Locator::new(path, &src),
        )
    }

    fn codes(f: &[Finding]) -> Vec<(&'static str, Severity)> {
        f.iter().map(|f| (f.code, f.level)).collect()
    }

    #[test]
    fn static_lints_find_overlaps_and_excludes() {
        let (r, loc) = roadmap("");
        let f = static_findings(&r, &loc);
        assert_eq!(
            codes(&f),
            [
                ("overlapping-keyword", Severity::Warning),
                ("overlapping-keyword", Severity::Warning),
                ("idle-exclude", Severity::Warning),
                ("excluded-keyword", Severity::Problem),
            ]
        );
        assert!(
            f[0].message.contains("lists \"exports\" and \"export\""),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].location.as_deref(), Some("roadmap.toml:20:30"));
        assert!(f[1]
            .message
            .contains("keyword \"SSO\" of feature `export` matches like \"sso\" of feature `sso`"));
        assert!(f[2]
            .message
            .contains("exclude \"pricing page\" of feature `sso`"));
        assert_eq!(f[2].location.as_deref(), Some("roadmap.toml:14:23"));
        assert!(f[3].message.contains("both matches and excludes \"csv\""));
    }

    #[test]
    fn levels_come_from_the_check_table() {
        let (r, loc) = roadmap("[check]\noverlapping_keywords = \"off\"\n");
        assert_eq!(
            codes(&static_findings(&r, &loc)),
            [("excluded-keyword", Severity::Problem)]
        );
        let (r, loc) = roadmap("[check]\noverlapping_keywords = \"problem\"\n");
        assert!(static_findings(&r, &loc)
            .iter()
            .all(|f| f.level == Severity::Problem));
    }

    #[test]
    fn column_values_the_roadmap_does_not_know_are_reported_with_a_close_id() {
        let (r, loc) = roadmap("");
        let phrases = phrases(&r);
        let mut u = usage(
            &r,
            &phrases,
            &["sso", "setup", "as an admin", "export"],
            &[5, 1],
        );
        u.personas = vec![2];
        for v in ["Onbording", "trial", "trial", " Trial "] {
            u.add_unknown([Some(v.trim()), None]);
        }
        u.add_unknown([None, Some("CEO")]);
        let f = evidence_findings(&r, &loc, &phrases, &u);
        let stage = f.iter().find(|f| f.code == "unknown-stage-value").unwrap();
        assert_eq!(stage.level, Severity::Warning);
        assert_eq!(stage.location.as_deref(), Some("roadmap.toml:3:6"));
        assert!(
            stage
                .message
                .starts_with("4 items have a stage value that names no stage of the roadmap"),
            "{}",
            stage.message
        );
        assert!(stage
            .message
            .ends_with(": \"trial\" (3), \"onbording\" (1)"));
        let help = stage.help.as_deref().unwrap();
        assert!(help.contains("(onboarding, renewal)"), "{help}");
        assert!(
            help.contains("\"onbording\" may be `onboarding` misspelt"),
            "{help}"
        );
        let persona = f
            .iter()
            .find(|f| f.code == "unknown-persona-value")
            .unwrap();
        assert!(persona.message.starts_with("1 item has a persona value"));
        assert!(!persona.help.as_deref().unwrap().contains("misspelt"));
        // [check] unknown_values = "off" silences both.
        let (r, loc) = roadmap("[check]\nunknown_values = \"off\"\n");
        let f = evidence_findings(&r, &loc, &phrases, &u);
        assert!(f.iter().all(|f| !f.code.starts_with("unknown-")));
    }

    proptest::proptest! {
        /// However the items are split into chunks and merged, the unknown
        /// values kept and their counts come out the same, and every item
        /// is counted once.
        #[test]
        fn unknown_values_merge_in_any_order(
            values in proptest::collection::vec(0u16..400, 0..600),
            cut in 0usize..600,
        ) {
            let (r, _) = roadmap("");
            let count = |vs: &[u16]| {
                let mut u = Usage::new(&r, 0);
                for v in vs {
                    u.add_unknown([Some(&format!("v{v}")), None]);
                }
                u
            };
            let cut = cut.min(values.len());
            let (a, b) = values.split_at(cut);
            let (mut ab, mut ba) = (count(a), count(b));
            ab.merge(count(b));
            ba.merge(count(a));
            let whole = count(&values);
            proptest::prop_assert_eq!(&ab.unknown, &whole.unknown);
            proptest::prop_assert_eq!(&ba.unknown, &whole.unknown);
            proptest::prop_assert_eq!(ab.unknown_more, whole.unknown_more);
            proptest::prop_assert_eq!(ba.unknown_more, whole.unknown_more);
            let kept: u64 = whole.unknown[0].values().sum();
            proptest::prop_assert_eq!(kept + whole.unknown_more[0], values.len() as u64);
            proptest::prop_assert!(whole.unknown[0].len() <= MAX_UNKNOWN);
        }
    }

    fn usage(r: &Roadmap, phrases: &[Phrase], hits: &[&str], features: &[u64]) -> Usage {
        let mut u = Usage::new(r, phrases.len());
        for (i, p) in phrases.iter().enumerate() {
            if hits.contains(&p.text.as_str()) {
                u.phrases[i] = 3;
            }
        }
        u.features = features.to_vec();
        u.stages = vec![4, 0];
        u.personas = vec![0];
        u.linked = 6;
        u.unlinked = 4;
        u
    }

    #[test]
    fn evidence_lints_find_dead_keywords_and_unused_ids() {
        let (r, loc) = roadmap("");
        let phrases = phrases(&r);
        assert_eq!(phrases.len(), 3 + 4 + 1 + 1);
        let u = usage(&r, &phrases, &["sso", "setup"], &[5, 0]);
        let f = evidence_findings(&r, &loc, &phrases, &u);
        assert_eq!(
            codes(&f),
            [
                ("feature-without-feedback", Severity::Warning),
                ("dead-keyword", Severity::Warning),
                ("unused-stage", Severity::Warning),
                ("unused-persona", Severity::Warning),
            ]
        );
        assert!(f[0]
            .message
            .contains("feature `export` has no linked feedback"));
        assert_eq!(
            f[1].message,
            "feature `sso`: 2 of 3 keywords matched no item: \"saml\", \"okta\""
        );
        assert_eq!(f[1].location.as_deref(), Some("roadmap.toml:13:20"));
        assert!(f[2].message.contains(
            "stage `renewal` was given to no item: it has no keywords and no feature names it"
        ));
        assert_eq!(f[3].message, "persona `admin` was given to no item");
        // A persona that was used, but not through its keyword.
        let mut u = u;
        u.personas = vec![2];
        let f = evidence_findings(&r, &loc, &phrases, &u);
        assert_eq!(
            f[2].message,
            "persona `admin`: 1 of 1 keyword matched no item: \"as an admin\""
        );
        assert!(f.iter().all(|f| f.code != "unused-persona"));
    }

    #[test]
    fn unlinked_and_rejected_shares_are_problems_over_their_limits() {
        let (r, loc) = roadmap("[check]\nmax_unlinked_share = 0.3\nmax_rejected_share = 0.1\n");
        let phrases = phrases(&r);
        let everything: Vec<&str> = phrases.iter().map(|p| p.text.as_str()).collect();
        let mut u = usage(&r, &phrases, &everything, &[5, 1]);
        u.personas = vec![1];
        u.stages = vec![1, 1];
        u.rejected = 1;
        let f = evidence_findings(&r, &loc, &phrases, &u);
        assert_eq!(codes(&f), [("unlinked-share", Severity::Problem)]);
        assert!(f[0].message.starts_with("40.0% of the items (4 of 10) link to no feature; [check] max_unlinked_share is 30%"), "{}", f[0].message);
        // 1 of 11 rows is under the limit, 2 of 12 over it.
        assert!(rejected_finding(&r, &loc, &u, false).is_none());
        u.rejected = 2;
        let f = rejected_finding(&r, &loc, &u, false).expect("over the limit");
        assert_eq!((f.code, f.level), ("rejected-share", Severity::Problem));
        assert!(
            f.message.starts_with(
                "16.7% of the rows (2 of 12) were rejected; [check] max_rejected_share is 10%"
            ),
            "{}",
            f.message
        );
        u.unlinked = 1;
        u.rejected = 0;
        assert!(evidence_findings(&r, &loc, &phrases, &u).is_empty());
        assert!(rejected_finding(&r, &loc, &u, true).is_none());
        // Rows with no text (score-only answers) are not malformed: they
        // count under --strict only.
        u.rejected = 4;
        u.empty = 3;
        assert!(rejected_finding(&r, &loc, &u, false).is_none());
        u.empty = 1;
        let f = rejected_finding(&r, &loc, &u, false).expect("3 of 11 malformed");
        assert!(
            f.message
                .starts_with("27.3% of the rows (3 of 11) were rejected"),
            "{}",
            f.message
        );
        assert!(
            f.message
                .ends_with("does not count the 1 row with no text (score-only answers)"),
            "{}",
            f.message
        );
        (u.rejected, u.empty) = (0, 0);
        // Under --strict one rejected row is a problem; and so is a file
        // whose every row was rejected, with nothing linked or unlinked.
        u.rejected = 1;
        let f = rejected_finding(&r, &loc, &u, true).expect("strict");
        assert!(
            f.message.ends_with("were rejected; --strict allows none"),
            "{}",
            f.message
        );
        let mut none = usage(&r, &phrases, &[], &[0, 0]);
        (none.linked, none.unlinked, none.rejected) = (0, 0, 3);
        let f = rejected_finding(&r, &loc, &none, false).expect("all rejected");
        assert!(
            f.message.starts_with("100.0% of the rows (3 of 3)"),
            "{}",
            f.message
        );
    }

    #[test]
    fn duplicates_count_once_and_toward_no_rejected_share() {
        let (r, loc) = roadmap("[check]\nmax_rejected_share = 0.1\n");
        let phrases = phrases(&r);
        let mut u = usage(&r, &phrases, &[], &[5, 1]);
        // 3 copies of 22 rows: overlapping exports, nothing to fix.
        (u.linked, u.unlinked, u.duplicates) = (15, 4, 3);
        assert!(rejected_finding(&r, &loc, &u, false).is_none());
        // A ranking under --strict stops at a duplicate, so check says so.
        let f = rejected_finding(&r, &loc, &u, true).expect("strict");
        assert_eq!(
            f.message,
            "13.6% of the rows (3 of 22) were rejected or duplicates; --strict allows none"
        );
        // Over the limit, the share counts the malformed rows only, of
        // every row read.
        u.rejected = 3;
        let f = rejected_finding(&r, &loc, &u, false).expect("3 of 25 malformed");
        assert_eq!(
            f.message,
            "12.0% of the rows (3 of 25) were rejected; [check] max_rejected_share is 10% and does not count the 3 duplicates"
        );
        (u.rejected, u.empty) = (4, 1);
        let f = rejected_finding(&r, &loc, &u, false).expect("3 of 26 malformed");
        assert!(
            f.message.ends_with(
                "does not count the 1 row with no text (score-only answers) or the 3 duplicates"
            ),
            "{}",
            f.message
        );
    }

    #[test]
    fn usage_merges_like_a_monoid() {
        let (r, _) = roadmap("");
        let tags = |features: Vec<u32>, stage| Tags {
            features,
            stage,
            ..Tags::default()
        };
        let mut a = Usage::new(&r, 3);
        a.add(&tags(vec![0, 1], Some(0)), &[0, 2]);
        let mut b = Usage::new(&r, 3);
        b.add(&tags(vec![], None), &[2]);
        let mut ab = a.clone();
        ab.merge(b.clone());
        let mut ba = b;
        ba.merge(a);
        assert_eq!(ab, ba);
        assert_eq!(ab.phrases, [1, 0, 2]);
        assert_eq!(ab.features, [1, 1]);
        assert_eq!((ab.linked, ab.unlinked), (1, 1));
        assert_eq!(ab.unlinked_share(), 0.5);
    }
}
