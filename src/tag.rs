//! One item in, its tags out: linked features, journey stage, persona, kind,
//! sentiment and pain.
//!
//! Everything the roadmap and painmap look for in text (feature keywords and
//! excludes, title words, stage and persona keywords, kind and severity
//! cues) is matched in one pass of one automaton over the item's normalized
//! text.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::item::{Item, Kind};
use crate::roadmap::Roadmap;
use crate::score::accumulate::Window;
use crate::text::cues::{decide_kind, Cue, CueDef, ALL_CLEAR_REACH};
use crate::text::evidence::{self, CueHits};
use crate::text::features::{self, Model};
use crate::text::kind_model::{self, Decider};
use crate::text::matcher::{PhraseSet, Span};
use crate::text::normalize::{Normalized, Normalizer};
use crate::text::sentiment::{sentiment, sentiment_terms};
use crate::text::vocab::{LIGHT_VERBS, META_WORDS, STOP_WORDS, SYNONYMS};

/// How far apart, in tokens, the words of a title may be and still match.
fn title_window(words: usize) -> u32 {
    words as u32 + 4
}

#[derive(Debug, Clone, Copy)]
enum Owner {
    Keyword {
        feature: u32,
        keyword: u16,
    },
    Exclude(u32),
    TitleWord {
        feature: u32,
        word: u16,
    },
    Stage(u16),
    Persona(u16),
    /// Index into the tagger's cues ([`all_cues`](crate::text::cues::all_cues)).
    Cue(u16),
    /// A phrase counted for `painmap check`: see [`Tagger::counting`].
    Counted(u32),
}

/// Where a tag came from: shown by `tag --explain` and counted by `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    Column,
    Keyword,
    Rule,
    Feature,
    Unknown,
}

/// An item's tags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tags {
    /// Indexes of linked features, ascending.
    pub features: Vec<u32>,
    /// Index into the roadmap's stages; `None` is `unknown`.
    pub stage: Option<u16>,
    pub persona: Option<u16>,
    pub kind: Option<Kind>,
    pub sentiment: f64,
    pub pain: f64,
}

impl Tags {
    pub fn kind(&self) -> Kind {
        self.kind.unwrap_or(Kind::Other)
    }
}

/// How much of an item [`Tagger::tag_inner`] works out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    Full,
    /// The linked features alone.
    LinksOnly,
}

/// At most this many keyword, exclude, title-word and all-clear hits of
/// each sort are kept for an item: the first, in the order of the text.
const MAX_LINK_HITS: usize = 4096;

/// Per-thread buffers reused from item to item.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: Normalized,
    keyword_hits: Vec<(u32, u16, Span)>,
    exclude_hits: Vec<(u32, Span)>,
    title_hits: Vec<(u32, u16, Span)>,
    stage_hits: Vec<u32>,
    persona_hits: Vec<u32>,
    cue_hits: CueHits,
    /// The kind model's features found in the item: row and value.
    active: features::Active,
    all_clear: Vec<(Span, bool)>,
    slot_counts: Vec<u32>,
    counted: Vec<u32>,
    /// The clauses whose fault the text sets aside (hypothetical, or fixed
    /// since), which do not count towards pain.
    aside: Vec<usize>,
}

impl Scratch {
    /// Which of a [`Tagger::counting`] tagger's phrases occurred in the item
    /// it tagged last: their indexes, each once, ascending.
    /// The text of the item tagged last, normalized.
    pub fn normalized(&self) -> &Normalized {
        &self.norm
    }

    pub fn counted(&mut self) -> &[u32] {
        self.counted.sort_unstable();
        self.counted.dedup();
        &self.counted
    }
}

struct TitleRule {
    words: u16,
}

/// The tagger for one roadmap: built once, shared by all threads.
pub struct Tagger {
    normalizer: Normalizer,
    phrases: PhraseSet<Owner>,
    /// Per feature: its title rule when it has no keywords.
    title_rules: Vec<Option<TitleRule>>,
    /// Per feature, its declared stage and first persona.
    feature_stage: Vec<Option<u16>>,
    feature_persona: Vec<Option<u16>>,
    stage_names: Vec<(String, String)>,
    persona_names: Vec<(String, String)>,
    persona_rules: Vec<Vec<(String, Vec<String>)>>,
    /// Lower-case feature ids and titles, for items the export already
    /// links to a feature (Productboard's `feature_name`).
    feature_names: std::collections::HashMap<String, u32>,
    stages: usize,
    personas: usize,
    /// For explanations: feature ids, keywords and titles.
    feature_ids: Vec<String>,
    keywords: Vec<Vec<String>>,
    titles: Vec<String>,
    /// Every cue phrase, its cue and weight; `Owner::Cue` indexes it.
    cues: Vec<CueDef>,
    /// The kind model, when the build had training data.
    model: Option<Model<'static>>,
}

impl std::fmt::Debug for Tagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tagger")
            .field("patterns", &self.phrases.pattern_count())
            .finish()
    }
}

impl Tagger {
    pub fn new(roadmap: &Roadmap) -> anyhow::Result<Tagger> {
        Tagger::counting(roadmap, &[])
    }

    /// A tagger that also notes which of `phrases` occur in each item
    /// ([`Scratch::counted`]), in the same single pass. `painmap check`
    /// uses it to find keywords that never match. The tags are the same as
    /// [`Tagger::new`]'s.
    pub fn counting(roadmap: &Roadmap, phrases: &[String]) -> anyhow::Result<Tagger> {
        let normalizer = Normalizer::new();
        let mut entries: Vec<(String, Owner)> = Vec::new();
        for (i, p) in phrases.iter().enumerate() {
            entries.extend(normalizer.phrase(p).map(|n| (n, Owner::Counted(i as u32))));
        }
        let mut title_rules = Vec::new();
        let titles = TitleVocab::new(&normalizer, roadmap);
        for (fi, f) in roadmap.features.iter().enumerate() {
            let fi = fi as u32;
            if f.keywords.is_empty() {
                let slots = titles.required_slots(&normalizer, &f.title);
                for (wi, slot) in slots.iter().enumerate() {
                    for pattern in slot {
                        entries.push((
                            pattern.clone(),
                            Owner::TitleWord {
                                feature: fi,
                                word: wi as u16,
                            },
                        ));
                    }
                }
                title_rules.push(Some(TitleRule {
                    words: slots.len() as u16,
                }));
            } else {
                title_rules.push(None);
            }
            for (ki, k) in f.keywords.iter().enumerate() {
                entries.extend(normalizer.phrase(k).map(|p| {
                    (
                        p,
                        Owner::Keyword {
                            feature: fi,
                            keyword: ki as u16,
                        },
                    )
                }));
            }
            for k in &f.exclude {
                entries.extend(normalizer.phrase(k).map(|p| (p, Owner::Exclude(fi))));
            }
        }
        for (si, s) in roadmap.stages.iter().enumerate() {
            for k in &s.keywords {
                entries.extend(normalizer.phrase(k).map(|p| (p, Owner::Stage(si as u16))));
            }
        }
        for (pi, p) in roadmap.personas.iter().enumerate() {
            for k in &p.keywords {
                entries.extend(
                    normalizer
                        .phrase(k)
                        .map(|ph| (ph, Owner::Persona(pi as u16))),
                );
            }
        }
        let cues = cue_patterns();
        for (ci, (pattern, _)) in cues.iter().enumerate() {
            entries.push((pattern.clone(), Owner::Cue(ci as u16)));
        }
        let phrases = PhraseSet::new(entries);
        crate::text::sentiment::warm_up();
        Ok(Tagger {
            normalizer,
            phrases,
            title_rules,
            feature_stage: roadmap
                .features
                .iter()
                .map(|f| f.stage.map(|s| s as u16))
                .collect(),
            feature_persona: roadmap
                .features
                .iter()
                .map(|f| f.personas.first().map(|&p| p as u16))
                .collect(),
            stage_names: roadmap
                .stages
                .iter()
                .map(|s| (s.id.clone(), s.name.to_lowercase()))
                .collect(),
            persona_names: roadmap
                .personas
                .iter()
                .map(|p| (p.id.clone(), p.name.to_lowercase()))
                .collect(),
            persona_rules: roadmap.personas.iter().map(|p| p.rules.clone()).collect(),
            feature_names: roadmap
                .features
                .iter()
                .enumerate()
                .flat_map(|(i, f)| {
                    [f.id.to_lowercase(), f.title.trim().to_lowercase()].map(|n| (n, i as u32))
                })
                .collect(),
            stages: roadmap.stages.len(),
            personas: roadmap.personas.len(),
            feature_ids: roadmap.features.iter().map(|f| f.id.clone()).collect(),
            keywords: roadmap
                .features
                .iter()
                .map(|f| f.keywords.clone())
                .collect(),
            titles: roadmap.features.iter().map(|f| f.title.clone()).collect(),
            cues: cues.iter().map(|(_, def)| def.clone()).collect(),
            model: (kind_model::builtin_examples() > 0).then(kind_model::builtin),
        })
    }

    /// Tags one item.
    pub fn tag(&self, item: &Item, scratch: &mut Scratch) -> Tags {
        self.tag_inner(item, scratch, None, Depth::Full)
    }

    /// Tags one item for ranking within `window`: in full when the item
    /// counts, and only its links when it falls outside the window, since
    /// then ranking only counts it as linked or not ([`Accumulator::add`]).
    /// Its stage, persona and kind are `None`, and its sentiment and pain 0.
    /// Links are the cheap part of tagging: an export that reaches back
    /// further than `window_days` costs little more than the window itself.
    ///
    /// [`Accumulator::add`]: crate::score::accumulate::Accumulator::add
    pub fn tag_within(&self, item: &Item, scratch: &mut Scratch, window: &Window) -> Tags {
        let depth = match window.outside(item.created_at) {
            Some(_) => Depth::LinksOnly,
            None => Depth::Full,
        };
        self.tag_inner(item, scratch, None, depth)
    }

    /// Tags one item and says why: which phrases linked each feature and
    /// where, which cues decided the kind, and what made the pain.
    pub fn tag_explained(&self, item: &Item, scratch: &mut Scratch) -> (Tags, Explanation) {
        let mut why = Explanation::default();
        let tags = self.tag_inner(item, scratch, Some(&mut why), Depth::Full);
        (tags, why)
    }

    fn tag_inner(
        &self,
        item: &Item,
        scratch: &mut Scratch,
        mut why: Option<&mut Explanation>,
        depth: Depth,
    ) -> Tags {
        let Scratch {
            norm,
            keyword_hits,
            exclude_hits,
            title_hits,
            stage_hits,
            persona_hits,
            cue_hits,
            active,
            all_clear,
            slot_counts,
            counted,
            aside,
        } = scratch;
        self.normalizer.normalize_into(&item.text, norm);
        keyword_hits.clear();
        exclude_hits.clear();
        title_hits.clear();
        stage_hits.clear();
        stage_hits.resize(self.stages, 0);
        persona_hits.clear();
        persona_hits.resize(self.personas, 0);
        cue_hits.clear();
        all_clear.clear();
        counted.clear();
        // Each link hit is checked against the excludes and all-clears:
        // past MAX_LINK_HITS of a sort, hostile text ("csv export csv
        // export …" against an exclude "csv export") would cost the square
        // of its length. Real feedback comes nowhere near.
        let room = |len: usize| len < MAX_LINK_HITS;
        self.phrases.find(norm, |owner, span| match *owner {
            Owner::Keyword { feature, keyword } if room(keyword_hits.len()) => {
                keyword_hits.push((feature, keyword, span))
            }
            Owner::Exclude(f) if room(exclude_hits.len()) => exclude_hits.push((f, span)),
            Owner::TitleWord { feature, word } if room(title_hits.len()) => {
                title_hits.push((feature, word, span))
            }
            Owner::Keyword { .. } | Owner::Exclude(_) | Owner::TitleWord { .. } => {}
            Owner::Stage(s) => stage_hits[s as usize] += 1,
            Owner::Persona(p) => persona_hits[p as usize] += 1,
            Owner::Cue(c) => match self.cues[c as usize].cue {
                Cue::AllClear | Cue::AllClearAfter if !room(all_clear.len()) => {}
                Cue::AllClear => all_clear.push((span, false)),
                Cue::AllClearAfter => all_clear.push((span, true)),
                _ => cue_hits.push(&self.cues, c, span),
            },
            Owner::Counted(i) => counted.push(i),
        });
        let norm = &*norm;
        let spans = why
            .is_some()
            .then(|| Spans::new(&self.normalizer, &item.text, norm));

        // Links: keyword hits not vetoed by an exclude or an all-clear.
        let mut features: Vec<u32> = Vec::new();
        for &(f, k, span) in keyword_hits.iter() {
            let excluded = exclude_hits
                .iter()
                .any(|(ef, es)| *ef == f && es.contains(span));
            let cleared = cleared(norm, all_clear, span);
            if !excluded && !cleared {
                features.push(f);
            }
            if let (Some(why), Some(spans)) = (why.as_deref_mut(), &spans) {
                why.links.push(LinkWhy {
                    feature: self.feature_ids[f as usize].clone(),
                    rule: "keyword",
                    phrase: self.keywords[f as usize][k as usize].clone(),
                    matched: vec![spans.quote(span)],
                    linked: !excluded && !cleared,
                    reason: if excluded {
                        Some("covered by an exclude phrase")
                    } else if cleared {
                        Some(ALL_CLEAR_REASON)
                    } else {
                        None
                    },
                });
            }
        }
        // Title rules: every required slot within a short window.
        title_hits.sort_unstable_by_key(|&(f, _, span)| (f, span.token));
        let mut start = 0;
        while start < title_hits.len() {
            let f = title_hits[start].0;
            let end = start
                + title_hits[start..]
                    .iter()
                    .take_while(|(g, _, _)| *g == f)
                    .count();
            let group = &title_hits[start..end];
            start = end;
            let Some(rule) = &self.title_rules[f as usize] else {
                continue;
            };
            let found = title_window_match(rule, group, norm, all_clear, slot_counts);
            if found.is_some() {
                features.push(f);
            }
            if let (Some(why), Some(spans)) = (why.as_deref_mut(), &spans) {
                let any_cleared = group.iter().any(|&(_, _, s)| cleared(norm, all_clear, s));
                why.links.push(LinkWhy {
                    feature: self.feature_ids[f as usize].clone(),
                    rule: "title",
                    phrase: self.titles[f as usize].clone(),
                    matched: match found {
                        Some((lo, hi)) => group[lo..=hi]
                            .iter()
                            .map(|&(_, _, s)| spans.quote(s))
                            .collect(),
                        None => group.iter().map(|&(_, _, s)| spans.quote(s)).collect(),
                    },
                    linked: found.is_some(),
                    reason: match found {
                        Some(_) => None,
                        None if any_cleared => Some(ALL_CLEAR_REASON),
                        None => Some("not every required title word is within the window"),
                    },
                });
            }
        }
        // A link the export already made (Productboard's feature_name).
        let linked_before = features.len();
        features.extend(
            item.feature_refs
                .iter()
                .filter_map(|r| self.feature_names.get(r.as_str())),
        );
        if let Some(why) = why.as_deref_mut() {
            for &f in &features[linked_before..] {
                why.links.push(LinkWhy {
                    feature: self.feature_ids[f as usize].clone(),
                    rule: "export",
                    phrase: self.titles[f as usize].clone(),
                    matched: Vec::new(),
                    linked: true,
                    reason: None,
                });
            }
        }
        features.sort_unstable();
        features.dedup();
        if depth == Depth::LinksOnly {
            return Tags {
                features,
                stage: None,
                persona: None,
                kind: None,
                sentiment: 0.0,
                pain: 0.0,
            };
        }

        let stage = self
            .explicit(item.stage.as_deref(), &self.stage_names)
            .or_else(|| most_hits(stage_hits))
            .or_else(|| {
                features
                    .iter()
                    .find_map(|&f| self.feature_stage[f as usize])
            });
        let persona = self
            .explicit(item.persona.as_deref(), &self.persona_names)
            .or_else(|| most_hits(persona_hits))
            .or_else(|| self.persona_by_rule(item))
            .or_else(|| {
                features
                    .iter()
                    .find_map(|&f| self.feature_persona[f as usize])
            });

        // Kind: weighted cues, minus the negated, the hypothetical, the
        // fixed since and set phrases.
        aside.clear();
        let scores = evidence::score(&self.cues, norm, cue_hits, |w| {
            let def = &self.cues[w.cue as usize];
            if matches!(def.cue, Cue::Bug | Cue::Severity | Cue::Churn)
                && matches!(
                    w.reason,
                    Some(evidence::HYPOTHETICAL | evidence::FIXED_SINCE)
                )
            {
                aside.push(norm.clause(w.span.token));
            }
            if let (Some(why), Some(spans)) = (why.as_deref_mut(), &spans) {
                let def = &self.cues[w.cue as usize];
                why.cues.push(CueWhy {
                    cue: def.cue.name(),
                    phrase: def.phrase.clone(),
                    weight: w.weight,
                    matched: spans.quote(w.span),
                    counted: w.reason.is_none(),
                    reason: w.reason,
                });
            }
        });
        let asks = evidence::asks(&item.text);
        let (sentiment, terms) = match why {
            Some(_) => {
                let (s, t) = sentiment_terms(&item.text);
                (s, Some(t))
            }
            None => (sentiment(&item.text), None),
        };
        // Only a verdict on the product makes an item a review; a ticket's
        // satisfaction score grades the support it got.
        let review_rating = item.rating.filter(|_| !item.rates_support);
        let rated = review_rating.is_some();
        let rules = decide_kind(&scores, sentiment, asks, rated);
        let wanted = why.is_some() || kind_model::may_change(rules, rated);
        let probs = match (&self.model, item.kind) {
            (Some(model), None) if wanted => Some(model.score(
                &features::Input {
                    text: &item.text,
                    norm,
                    hits: cue_hits,
                    scores: &scores,
                    asks,
                    rating: review_rating,
                },
                active,
            )),
            _ => None,
        };
        let (kind, decider) = match item.kind {
            Some(k) => (k, None),
            None => {
                let (k, d) = kind_model::decide_after(probs.as_ref(), rules, rated);
                let (k, d) = kind_model::veto(k, d, rules, &scores, review_rating);
                (k, Some(d))
            }
        };
        // A fault the text only supposes ("in case the export crashes") or
        // says is fixed hurts nobody: the words of its clause do not count
        // towards pain, though they stay in the item's sentiment.
        // Only worth reading again when the negativity decides the pain.
        let negativity_decides = pain(kind, sentiment, item.rating, scores.severity)
            > pain(kind, 0.0, item.rating, scores.severity);
        let aside_words = (!aside.is_empty() && (negativity_decides || why.is_some()))
            .then(|| set_aside(&self.normalizer, &item.text, norm, aside))
            .flatten();
        let felt = match &aside_words {
            Some(rest) => sentiment.max(crate::text::sentiment::sentiment(&rest.text)),
            None => sentiment,
        };
        let pain = pain(kind, felt, item.rating, scores.severity);
        if let Some(why) = why {
            why.cues.sort_by_key(|c| c.matched.at.unwrap_or(0));
            why.kind = KindWhy {
                from: decider.map_or("column", Decider::name),
                model: probs.map(|p| {
                    features::CLASSES
                        .iter()
                        .zip(p)
                        .map(|(c, p)| (*c, crate::report::round(f64::from(p), 4)))
                        .collect()
                }),
                features: match (&self.model, probs) {
                    (Some(model), Some(p)) => model_features(model, kind, &p, active.scored()),
                    _ => Vec::new(),
                },
                bug: scores.bug,
                request: scores.request,
                question: scores.question,
                praise: scores.praise,
                churn: scores.churn,
                question_mark: if asks.in_subject {
                    "in the subject"
                } else if asks.anywhere {
                    "in the text"
                } else {
                    "none"
                },
            };
            why.pain = PainWhy {
                sentiment: crate::report::round(sentiment, 4),
                sentiment_words: terms
                    .unwrap_or_default()
                    .into_iter()
                    .take(5)
                    .map(|t| (t.word, crate::report::round(t.valence, 3)))
                    .collect(),
                negativity: crate::report::round((-felt).max(0.0), 4),
                set_aside: aside_words.map(|a| a.clauses).unwrap_or_default(),
                rating_pain: item
                    .rating
                    .map(|r| crate::report::round(1.0 - r.clamp(0.0, 1.0), 4)),
                kind_floor: if kind == Kind::Praise {
                    0.0
                } else {
                    kind_floor(kind)
                },
                severity_cues: scores.severity,
                pain: crate::report::round(pain, 4),
            };
        }
        Tags {
            features,
            stage,
            persona,
            kind: Some(kind),
            sentiment,
            pain,
        }
    }

    /// The item's own stage and persona values (its columns) that name no
    /// stage or persona of the roadmap, which tagging passes over as if the
    /// column were empty: `painmap check` reports them.
    pub fn unknown_explicit<'a>(&self, item: &'a Item) -> [Option<&'a str>; 2] {
        let unknown = |value: Option<&'a str>, names: &[(String, String)]| {
            value
                .map(str::trim)
                .filter(|v| !v.is_empty() && self.explicit(Some(v), names).is_none())
        };
        [
            unknown(item.stage.as_deref(), &self.stage_names),
            unknown(item.persona.as_deref(), &self.persona_names),
        ]
    }

    fn explicit(&self, value: Option<&str>, names: &[(String, String)]) -> Option<u16> {
        let v = value?.trim().to_lowercase();
        names
            .iter()
            .position(|(id, name)| *id == v || *name == v)
            .map(|i| i as u16)
    }

    fn persona_by_rule(&self, item: &Item) -> Option<u16> {
        self.persona_rules
            .iter()
            .position(|rules| {
                !rules.is_empty()
                    && rules.iter().all(|(field, accepted)| {
                        item.field(field).is_some_and(|v| {
                            accepted.iter().any(|a| a.eq_ignore_ascii_case(v.trim()))
                        })
                    })
            })
            .map(|i| i as u16)
    }
}

/// Every built-in cue with its normalized pattern, computed once per
/// process.
fn cue_patterns() -> &'static [(String, CueDef)] {
    static PATTERNS: OnceLock<Vec<(String, CueDef)>> = OnceLock::new();
    PATTERNS.get_or_init(|| evidence::cue_patterns(&Normalizer::new()))
}

/// What a feature matched on its title needs: which title words are
/// required, and what else each may match.
///
/// A title such as "Build photo collage" is split into slots (`build`,
/// `photo`, `collage`; "Sharpen and blur" is one slot with two
/// alternatives). A slot is not required when it is a stop word, a light
/// verb at the start ("build"), the product's name, or a word that several
/// titles of this roadmap share ("photo" in a photo editor's roadmap): such
/// words say which product, not which feature. If that leaves nothing, the
/// last slot that is not a light verb is required ("Watch movies" needs
/// "movie"). Each required word also matches its built-in synonyms.
struct TitleVocab {
    stop: HashSet<String>,
    light: HashSet<String>,
    /// Words also used about feedback itself; see [`META_WORDS`].
    meta: HashSet<String>,
    /// Normalized pattern → patterns that mean the same.
    synonyms: HashMap<String, Vec<String>>,
    /// Multi-word synonyms, as token sequences, so titles can contain them.
    phrases: Vec<Vec<String>>,
    /// Stems shared by two or more titles, and the product name's stems.
    shared: HashSet<String>,
}

impl TitleVocab {
    fn new(n: &Normalizer, roadmap: &Roadmap) -> TitleVocab {
        let stems =
            |words: &[&str]| -> HashSet<String> { words.iter().flat_map(|w| n.stems(w)).collect() };
        let stop = stems(STOP_WORDS);
        let light = stems(LIGHT_VERBS);
        let meta = stems(META_WORDS);
        let mut synonyms: HashMap<String, Vec<String>> = HashMap::new();
        let mut phrases = Vec::new();
        for group in SYNONYMS {
            let patterns: Vec<String> = group.iter().filter_map(|w| n.phrase(w)).collect();
            for p in &patterns {
                let others = synonyms.entry(p.clone()).or_default();
                others.extend(patterns.iter().filter(|q| *q != p).cloned());
                if p.trim().contains(' ') {
                    phrases.push(p.split_whitespace().map(str::to_string).collect());
                }
            }
        }
        let mut counts: HashMap<String, usize> = HashMap::new();
        for f in &roadmap.features {
            let mut seen: HashSet<String> = n.stems(&f.title).into_iter().collect();
            seen.retain(|w| !stop.contains(w));
            for w in seen {
                *counts.entry(w).or_default() += 1;
            }
        }
        let mut shared: HashSet<String> = counts
            .into_iter()
            .filter(|&(_, c)| c >= 2)
            .map(|(w, _)| w)
            .collect();
        shared.extend(n.stems(&roadmap.product));
        TitleVocab {
            stop,
            light,
            meta,
            synonyms,
            phrases,
            shared,
        }
    }

    /// The required slots of a title, each as the normalized patterns that
    /// fill it.
    fn required_slots(&self, n: &Normalizer, title: &str) -> Vec<Vec<String>> {
        let title = title.replace(['&', '/', '+', ','], " and ");
        let tokens = n.stems(&title);
        // Each slot: its alternatives, as token sequences.
        let mut slots: Vec<Vec<Vec<String>>> = Vec::new();
        let mut join = false;
        let mut i = 0;
        while i < tokens.len() {
            let phrase = self
                .phrases
                .iter()
                .filter(|p| tokens[i..].starts_with(p))
                .max_by_key(|p| p.len());
            let alternative = match phrase {
                Some(p) => {
                    i += p.len();
                    p.clone()
                }
                None => {
                    let t = &tokens[i];
                    i += 1;
                    if t == "and" || t == "or" {
                        join = !slots.is_empty();
                        continue;
                    }
                    if self.stop.contains(t) {
                        continue;
                    }
                    vec![t.clone()]
                }
            };
            match slots.last_mut() {
                Some(last) if join => last.push(alternative),
                _ => slots.push(vec![alternative]),
            }
            join = false;
        }
        if slots.is_empty() {
            // A title of stop words only: match it as written.
            slots = tokens.into_iter().map(|t| vec![vec![t]]).collect();
        }
        let light = |i: usize, slot: &[Vec<String>]| {
            i == 0
                && slots.len() > 1
                && slot.len() == 1
                && slot[0].len() == 1
                && self.light.contains(&slot[0][0])
        };
        let shared = |slot: &[Vec<String>]| {
            slot.iter()
                .all(|alt| alt.iter().all(|t| self.shared.contains(t)))
        };
        let meta = |slot: &[Vec<String>]| {
            slot.iter()
                .all(|alt| alt.len() == 1 && self.meta.contains(&alt[0]))
        };
        let mut required: Vec<&Vec<Vec<String>>> = slots
            .iter()
            .enumerate()
            .filter(|(i, s)| !light(*i, s) && !shared(s))
            .map(|(_, s)| s)
            .collect();
        if !required.is_empty() && required.iter().all(|s| meta(s)) {
            required = slots
                .iter()
                .enumerate()
                .filter(|(i, s)| !light(*i, s))
                .map(|(_, s)| s)
                .collect();
        }
        if required.is_empty() {
            let head = slots
                .iter()
                .enumerate()
                .rev()
                .find(|(i, s)| !light(*i, s))
                .map_or(slots.last(), |(_, s)| Some(s));
            required.extend(head);
        }
        required
            .into_iter()
            .map(|slot| {
                let mut patterns: Vec<String> = Vec::new();
                for alt in slot {
                    let p = format!(" {} ", alt.join(" "));
                    if let Some(more) = self.synonyms.get(&p) {
                        patterns.extend(more.iter().cloned());
                    }
                    patterns.push(p);
                }
                patterns.sort();
                patterns.dedup();
                patterns
            })
            .collect()
    }
}

/// The index with the most hits; ties go to the earliest (journey order).
fn most_hits(hits: &[u32]) -> Option<u16> {
    let mut best: Option<(usize, u32)> = None;
    for (i, &n) in hits.iter().enumerate() {
        if n > 0 && best.is_none_or(|(_, b)| n > b) {
            best = Some((i, n));
        }
    }
    best.map(|(i, _)| i as u16)
}

/// The first and last index into `group` (one feature's title hits, by
/// position) of a window that holds every required slot, if any.
fn title_window_match(
    rule: &TitleRule,
    group: &[(u32, u16, Span)],
    norm: &Normalized,
    all_clear: &[(Span, bool)],
    counts: &mut Vec<u32>,
) -> Option<(usize, usize)> {
    let need = rule.words as usize;
    if need == 0 {
        return None;
    }
    let window = title_window(need);
    counts.clear();
    counts.resize(need, 0);
    let mut covered = 0;
    let mut lo = 0;
    for hi in 0..group.len() {
        let (_, w, span) = group[hi];
        if cleared(norm, all_clear, span) {
            continue;
        }
        let w = w as usize;
        if counts[w] == 0 {
            covered += 1;
        }
        counts[w] += 1;
        while span.token - group[lo].2.token >= window || cleared(norm, all_clear, group[lo].2) {
            if !cleared(norm, all_clear, group[lo].2) {
                let lw = group[lo].1 as usize;
                counts[lw] -= 1;
                if counts[lw] == 0 {
                    covered -= 1;
                }
            }
            lo += 1;
        }
        if covered == need {
            return Some((lo, hi));
        }
    }
    None
}

const ALL_CLEAR_REASON: &str = "the customer says it is not a problem";

/// Whether a mention is cleared by an all-clear in its clause: right after
/// "no problem with", or right before "is not the issue".
fn cleared(norm: &Normalized, all_clear: &[(Span, bool)], mention: Span) -> bool {
    all_clear.iter().any(|&(c, after)| {
        let near = if after {
            c.token >= mention.end() && c.token - mention.end() <= ALL_CLEAR_REACH
        } else {
            c.end() <= mention.token && mention.token - c.end() <= ALL_CLEAR_REACH
        };
        near && norm.clause(c.token) == norm.clause(mention.token)
    })
}

/// The item's text with some clauses blanked out, and those clauses as
/// written.
struct SetAside {
    text: String,
    clauses: Vec<String>,
}

/// Blanks the clauses `aside` (their indexes, [`Normalized::clause`]) out
/// of `text`, with spaces, so that the rest keeps its punctuation and
/// places; `None` when the tokens cannot be mapped back to the text.
fn set_aside(
    normalizer: &Normalizer,
    text: &str,
    norm: &Normalized,
    aside: &mut Vec<usize>,
) -> Option<SetAside> {
    let spans = normalizer.token_spans(text);
    if spans.len() != norm.token_count() {
        return None;
    }
    aside.sort_unstable();
    aside.dedup();
    let mut out = SetAside {
        text: text.to_string(),
        clauses: Vec::new(),
    };
    for &clause in aside.iter() {
        let first = if clause == 0 {
            0
        } else {
            norm.breaks[clause - 1] as usize
        };
        let end = norm.breaks.get(clause).map_or(spans.len(), |&b| b as usize);
        if first >= end || end > spans.len() {
            continue;
        }
        let (a, b) = (spans[first].0, spans[end - 1].1);
        out.clauses.push(text[a..b].to_string());
        // Same length, all ASCII: every other byte offset still holds.
        out.text.replace_range(a..b, &" ".repeat(text[a..b].len()));
    }
    Some(out)
}

/// Maps tokens back to the item's own words, for explanations.
struct Spans<'a> {
    text: &'a str,
    spans: Vec<(usize, usize)>,
    tokens: Vec<String>,
}

impl<'a> Spans<'a> {
    fn new(normalizer: &Normalizer, text: &'a str, norm: &Normalized) -> Spans<'a> {
        let mut spans = normalizer.token_spans(text);
        if spans.len() != norm.token_count() {
            spans.clear();
        }
        Spans {
            text,
            spans,
            tokens: norm.tokens().map(str::to_string).collect(),
        }
    }

    /// The words a span covers, as written, and where (in characters).
    fn quote(&self, span: Span) -> Quote {
        let (a, b) = (span.token as usize, span.end() as usize);
        if b <= self.spans.len() && a < b {
            let (start, end) = (self.spans[a].0, self.spans[b - 1].1);
            Quote {
                text: self.text[start..end].to_string(),
                at: Some(self.text[..start].chars().count()),
            }
        } else {
            // The mapping failed (an exotic normalization): show the stems.
            Quote {
                text: self.tokens[a.min(self.tokens.len())..b.min(self.tokens.len())].join(" "),
                at: None,
            }
        }
    }
}

/// Why an item got its tags; `tag --explain` prints it.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Explanation {
    /// Every feature whose phrases were found, linked or not.
    pub links: Vec<LinkWhy>,
    /// Every kind and severity cue found, counted or not.
    pub cues: Vec<CueWhy>,
    pub kind: KindWhy,
    pub pain: PainWhy,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LinkWhy {
    pub feature: String,
    /// `keyword` or `title`.
    pub rule: &'static str,
    /// The keyword, or the title, as the roadmap has it.
    pub phrase: String,
    pub matched: Vec<Quote>,
    pub linked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

/// Words of the item as written, and the character offset where they start
/// (`None`, with the stems as text, in the rare case the words cannot be
/// mapped back).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Quote {
    pub text: String,
    pub at: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CueWhy {
    /// bug, request, question, praise, churn-risk or severity.
    pub cue: &'static str,
    pub phrase: String,
    /// The cue's weight, doubled in a subject line.
    pub weight: f32,
    pub matched: Quote,
    pub counted: bool,
    /// `negated` or `hypothetical` when not counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
}

/// The evidence for each kind, and where the kind came from.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct KindWhy {
    /// `column` (the export said), `model`, `churn rule`, or `rules` (the
    /// cue evidence below, when the model is unsure of every kind).
    pub from: &'static str,
    /// The model's probability of each kind it knows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<Vec<(&'static str, f64)>>,
    /// The model's features that weighed most for or against the kind (or,
    /// for a kind the model does not know, for its likeliest kind).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<FeatureWhy>,
    pub bug: f32,
    pub request: f32,
    pub question: f32,
    pub praise: f32,
    pub churn: f32,
    pub question_mark: &'static str,
}

/// One feature of the kind model and what it added to the log-odds of a
/// kind.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FeatureWhy {
    /// `word:crash` (a stem), `title:add` (a stem of the subject line),
    /// `words:keep crash` (two in a row), `first:how` (the first stem),
    /// `not:work` (a stem after a negation), `cue:bug` (the rules' evidence),
    /// `has:stack trace` (the item's shape).
    pub feature: &'static str,
    /// The kind whose log-odds it moved.
    pub kind: &'static str,
    pub weight: f64,
}

/// How many model features an explanation lists.
const EXPLAINED_FEATURES: usize = 6;

/// The features that weighed most for or against `kind`, largest effect
/// first.
fn model_features(
    model: &Model<'static>,
    kind: Kind,
    probs: &[f32; features::NCLASS],
    active: &[(u32, f32)],
) -> Vec<FeatureWhy> {
    let class = kind_model::class_of(kind).unwrap_or_else(|| {
        (0..features::NCLASS)
            .max_by(|&a, &b| probs[a].total_cmp(&probs[b]).then(b.cmp(&a)))
            .unwrap_or(0)
    });
    let mut out: Vec<FeatureWhy> = active
        .iter()
        .map(|&(r, v)| FeatureWhy {
            feature: model.names[r as usize],
            kind: features::CLASSES[class],
            weight: crate::report::round(f64::from(model.weights[r as usize][class] * v), 4),
        })
        .filter(|f| f.weight != 0.0)
        .collect();
    out.sort_by(|a, b| {
        b.weight
            .abs()
            .total_cmp(&a.weight.abs())
            .then(a.feature.cmp(b.feature))
    });
    out.truncate(EXPLAINED_FEATURES);
    out
}

/// The terms of the pain: the worst of negativity, rating pain and the
/// kind's floor, plus a step per severity cue.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct PainWhy {
    pub sentiment: f64,
    /// The words that moved the sentiment most, with their valence.
    pub sentiment_words: Vec<(String, f64)>,
    /// −sentiment without [`PainWhy::set_aside`], when that is above 0.
    pub negativity: f64,
    /// Clauses whose fault is only supposed or said to be fixed, left out
    /// of the negativity.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<String>,
    pub rating_pain: Option<f64>,
    pub kind_floor: f64,
    pub severity_cues: u16,
    pub pain: f64,
}

/// The least pain each kind carries, whatever the words.
pub fn kind_floor(kind: Kind) -> f64 {
    match kind {
        Kind::ChurnRisk => 0.7,
        Kind::Bug => 0.5,
        Kind::Request => 0.3,
        Kind::Question => 0.15,
        Kind::Other => 0.1,
        Kind::Praise => 0.0,
    }
}

/// Each severity cue adds this much pain, up to three cues.
pub const SEVERITY_STEP: f64 = 0.1;

/// Pain in [0, 1]: the worst of text negativity, rating pain and the kind's
/// floor, raised by severity cues. Praise carries none.
pub fn pain(kind: Kind, sentiment: f64, rating: Option<f64>, severity: u16) -> f64 {
    if kind == Kind::Praise {
        return 0.0;
    }
    let negativity = (-sentiment).max(0.0);
    let rating_pain = rating.map_or(0.0, |r| 1.0 - r.clamp(0.0, 1.0));
    let base = negativity.max(rating_pain).max(kind_floor(kind));
    (base + SEVERITY_STEP * f64::from(severity.min(3))).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn roadmap(features: &str) -> Roadmap {
        let src = format!(
            r#"
[[stages]]
id = "onboarding"
keywords = ["sign up", "setup"]
[[stages]]
id = "usage"
[[personas]]
id = "admin"
keywords = ["as an admin"]
match = {{ plan = ["enterprise"] }}
[[personas]]
id = "member"
{features}"#
        );
        Roadmap::parse(Path::new("t.toml"), &src).unwrap()
    }

    fn tag(r: &Roadmap, text: &str) -> Tags {
        let item = Item {
            text: text.into(),
            ..Item::default()
        };
        Tagger::new(r).unwrap().tag(&item, &mut Scratch::default())
    }

    const FEATURES: &str = r#"
[[features]]
id = "sso"
title = "Single sign-on"
keywords = ["sso", "saml"]
exclude = ["sso tax"]
stage = "onboarding"
personas = ["admin"]
effort = 1
[[features]]
id = "api"
title = "Public API"
keywords = ["api"]
stage = "usage"
effort = 1
[[features]]
id = "watch"
title = "Watch videos offline"
effort = 1
"#;

    #[test]
    fn links_every_mentioned_feature() {
        let r = roadmap(FEATURES);
        assert_eq!(
            tag(&r, "SSO and the API are both broken").features,
            vec![0, 1]
        );
        assert!(tag(&r, "a rapid response, thanks").features.is_empty());
    }

    #[test]
    fn exclude_vetoes_only_the_matches_it_covers() {
        let r = roadmap(FEATURES);
        assert!(tag(&r, "the SSO tax is outrageous").features.is_empty());
        assert_eq!(
            tag(&r, "the sso tax is bad, and SAML login fails").features,
            vec![0]
        );
    }

    #[test]
    fn features_without_keywords_match_title_words_in_a_window() {
        let r = roadmap(FEATURES);
        assert_eq!(
            tag(&r, "I want to watch my videos when offline").features,
            vec![2]
        );
        assert!(tag(
            &r,
            "videos are fine. Many words later, and after much else, we went offline"
        )
        .features
        .is_empty());
    }

    /// A titles-only roadmap, as a PM writes it first.
    fn titles(product: &str, titles: &[&str]) -> Roadmap {
        let mut src = format!("[product]\nname = \"{product}\"\n");
        for (i, t) in titles.iter().enumerate() {
            src.push_str(&format!(
                "[[features]]\nid = \"f{i}\"\ntitle = \"{t}\"\neffort = 1\n"
            ));
        }
        Roadmap::parse(Path::new("t.toml"), &src).unwrap()
    }

    #[test]
    fn light_verbs_are_not_required_and_variants_match() {
        let r = titles("Reelbox", &["Watch videos", "Get notified"]);
        assert_eq!(tag(&r, "the video froze halfway").features, vec![0]);
        assert_eq!(tag(&r, "watching a video is fine").features, vec![0]);
        assert_eq!(
            tag(&r, "notifications arrive an hour late").features,
            vec![1]
        );
        assert!(tag(&r, "I watch it every day").features.is_empty());
    }

    #[test]
    fn words_many_titles_share_say_which_product_not_which_feature() {
        let r = titles(
            "Snapfix",
            &[
                "Crop photo",
                "Rotate photo",
                "Photo filters",
                "Build photo collage",
            ],
        );
        assert_eq!(tag(&r, "cropping is too fiddly").features, vec![0]);
        assert_eq!(tag(&r, "more filters please").features, vec![2]);
        assert_eq!(tag(&r, "the collage maker is great").features, vec![3]);
        assert!(tag(&r, "my photos look great").features.is_empty());
        // The product's own name is never a feature.
        let r = titles("Snapfix", &["Snapfix albums"]);
        assert!(tag(&r, "Snapfix is great").features.is_empty());
        assert_eq!(tag(&r, "albums are slow").features, vec![0]);
    }

    #[test]
    fn synonyms_and_alternatives_in_titles() {
        let r = titles("Snapfix", &["Sharpen and blur", "Edit pictures"]);
        assert_eq!(tag(&r, "blur is too strong").features, vec![0]);
        assert_eq!(tag(&r, "sharpening works").features, vec![0]);
        assert_eq!(tag(&r, "editing a photo takes ages").features, vec![1]);
    }

    #[test]
    fn feedback_about_the_review_itself_does_not_link() {
        let r = titles("Reelbox", &["Rate movies", "Watch movies", "Browse movies"]);
        assert!(!tag(&r, "I rate this app five stars").features.contains(&0));
        assert!(tag(&r, "rating a movie takes three taps")
            .features
            .contains(&0));
    }

    #[test]
    fn stage_prefers_keywords_then_feature() {
        let r = roadmap(FEATURES);
        assert_eq!(tag(&r, "the api is slow").stage, Some(1));
        assert_eq!(tag(&r, "during setup the api failed").stage, Some(0));
        assert_eq!(tag(&r, "hello there").stage, None);
    }

    #[test]
    fn persona_from_keywords_rules_then_feature() {
        let r = roadmap(FEATURES);
        assert_eq!(tag(&r, "as an admin I need the api").persona, Some(0));
        let mut item = Item {
            text: "the api".into(),
            segment: Some("Enterprise".into()),
            ..Item::default()
        };
        let t = Tagger::new(&r).unwrap();
        assert_eq!(t.tag(&item, &mut Scratch::default()).persona, Some(0));
        item.segment = None;
        item.persona = Some("member".into());
        assert_eq!(t.tag(&item, &mut Scratch::default()).persona, Some(1));
        assert_eq!(tag(&r, "saml please").persona, Some(0));
    }

    fn explain(r: &Roadmap, text: &str) -> (Tags, Explanation) {
        let item = Item {
            text: text.into(),
            ..Item::default()
        };
        Tagger::new(r)
            .unwrap()
            .tag_explained(&item, &mut Scratch::default())
    }

    #[test]
    fn negated_faults_are_not_bugs() {
        let r = roadmap(FEATURES);
        assert_eq!(
            tag(&r, "the API crashes every morning").kind,
            Some(Kind::Bug)
        );
        let t = tag(&r, "the API never crashes, it is rock solid");
        assert_ne!(t.kind, Some(Kind::Bug));
        // The negation reaches only within its clause.
        assert_eq!(
            tag(&r, "not sure why, but the API crashes").kind,
            Some(Kind::Bug)
        );
    }

    #[test]
    fn hypothetical_faults_are_not_bugs_but_wishes_are_requests() {
        let r = roadmap(FEATURES);
        let t = tag(&r, "what happens to our boards if the API fails?");
        assert_eq!(t.kind, Some(Kind::Question));
        assert_eq!(t.features, vec![1]);
        let t = tag(&r, "if only it had SSO, we could roll it out");
        assert_eq!(t.kind, Some(Kind::Request));
        assert_eq!(t.features, vec![0]);
        // The clause after the condition is real.
        assert_eq!(
            tag(&r, "if I open the API console, it crashes").kind,
            Some(Kind::Bug)
        );
    }

    #[test]
    fn an_opener_and_the_same_cue_on_the_same_words_count_once() {
        let r = roadmap(FEATURES);
        let (t, why) = explain(&r, "Crash when I open the API console");
        assert_eq!(t.kind, Some(Kind::Bug));
        let crash: Vec<_> = why.cues.iter().filter(|c| c.phrase == "crash").collect();
        assert_eq!(crash.len(), 2, "{:?}", why.cues);
        assert_eq!(crash.iter().filter(|c| c.counted).count(), 1);
        assert!(crash
            .iter()
            .any(|c| c.reason == Some("counted as the opener")));
        assert_eq!(why.kind.bug, 3.0);
        // Later in the text, the cue counts on its own.
        let (_, why) = explain(&r, "The API console: crash on open");
        assert_eq!(why.kind.bug, 3.0);
        assert!(why.cues.iter().all(|c| c.phrase != "crash" || c.counted));
    }

    #[test]
    fn a_fault_only_supposed_or_fixed_carries_no_pain() {
        let r = roadmap(FEATURES);
        let t = tag(&r, "In case the API crashes, is there a backup?");
        // The words still read negative, but nothing is hurting yet.
        assert!(t.sentiment < -0.3, "{}", t.sentiment);
        assert_eq!(t.pain, kind_floor(Kind::Question));
        let (_, why) = explain(&r, "In case the API crashes, is there a backup?");
        assert_eq!(why.pain.set_aside, ["In case the API crashes"]);
        assert_eq!(why.pain.negativity, 0.0);
        // The clause after the condition is real, and so is its pain.
        let t = tag(&r, "if I open the API console, it crashes");
        assert!(t.pain > 0.4, "{}", t.pain);
        // Other complaints in the same item still count.
        let t = tag(
            &r,
            "The API is terrible and slow. If it crashes we lose the day",
        );
        let (_, why) = explain(
            &r,
            "The API is terrible and slow. If it crashes we lose the day",
        );
        assert_eq!(why.pain.set_aside, ["If it crashes we lose the day"]);
        assert!(t.pain > 0.5, "{}", t.pain);
        // Leaving words out never makes an item hurt more than it reads.
        for text in [
            "If the API is not great, tell me. It crashes daily",
            "The API crash was fixed, but the docs are awful",
        ] {
            let t = tag(&r, text);
            assert!(
                t.pain >= 0.0 && t.pain <= pain(t.kind(), t.sentiment, None, 3),
                "{text}"
            );
        }
    }

    #[test]
    fn an_all_clear_unlinks_the_feature_it_clears() {
        let r = roadmap(FEATURES);
        let t = tag(&r, "no problem with the API, but SAML login fails daily");
        assert_eq!(t.features, vec![0]);
        let t = tag(&r, "the API is not the issue here; SSO is");
        assert_eq!(t.features, vec![0]);
        // Far from the all-clear, a mention links again.
        let t = tag(&r, "no problem with exports. Separately, the API is slow");
        assert_eq!(t.features, vec![1]);
    }

    #[test]
    fn explanations_name_the_phrase_the_words_and_the_cues() {
        let r = roadmap(FEATURES);
        let (t, why) = explain(&r, "Our SAML login doesn't work since Monday");
        assert_eq!(t.features, vec![0]);
        let link = &why.links[0];
        assert_eq!(
            (link.feature.as_str(), link.phrase.as_str()),
            ("sso", "saml")
        );
        assert_eq!(link.matched[0].text, "SAML");
        assert_eq!(link.matched[0].at, Some(4));
        assert!(link.linked);
        let cue = why
            .cues
            .iter()
            .find(|c| c.counted && c.cue == "bug")
            .unwrap();
        assert_eq!(cue.matched.text, "doesn't work");
        assert!(["rules", "model"].contains(&why.kind.from));
        assert!(why.kind.bug >= 2.0);
        assert!(why.pain.negativity > 0.0);

        let (_, why) = explain(&r, "the sso tax is steep, it never crashes though");
        assert!(!why.links[0].linked);
        assert!(why.links[0].reason.is_some());
        let crash = why.cues.iter().find(|c| c.phrase == "crash").unwrap();
        assert!(!crash.counted);
        assert_eq!(crash.reason, Some("negated"));
    }

    #[test]
    fn a_fault_that_is_over_does_not_count_as_one() {
        let r = roadmap(FEATURES);
        let counted = |text: &str| {
            let (_, why) = explain(&r, text);
            let crash = why
                .cues
                .iter()
                .find(|c| ["crash", "error"].contains(&c.phrase.as_str()))
                .unwrap();
            (crash.counted, crash.reason)
        };
        for text in [
            "The export crash was fixed in the last update, thanks!",
            "Export crashed all week, but that got fixed yesterday.",
            "The crash on login has been resolved.",
            "Sync kept failing with an error. It was resolved after the update.",
        ] {
            assert_eq!(counted(text), (false, Some("fixed since")), "{text}");
            assert_ne!(tag(&r, text).kind, Some(Kind::Bug), "{text}");
        }
        // The past is over too.
        assert_eq!(
            counted("The app used to crash on export"),
            (false, Some("negated"))
        );
        for text in [
            "The export crash has not been fixed yet",
            "This crash should have been fixed months ago",
            // A full stop ends what a "was fixed" reaches back to.
            "Export crashes daily. The SSO bug was fixed.",
            "The login loop was fixed, but now export crashes",
        ] {
            assert_eq!(counted(text), (true, None), "{text}");
            assert_eq!(tag(&r, text).kind, Some(Kind::Bug), "{text}");
        }
    }

    #[test]
    fn a_threat_after_a_condition_is_churn_and_a_cancel_inside_one_is_not() {
        let r = roadmap(FEATURES);
        for text in [
            "if the export breaks again we will cancel",
            "If that's not fixed by the renewal we'll probably cancel.",
        ] {
            assert_eq!(tag(&r, text).kind, Some(Kind::ChurnRisk), "{text}");
        }
        assert_ne!(
            tag(&r, "what happens to our exports if we decide to cancel").kind,
            Some(Kind::ChurnRisk)
        );
    }

    #[test]
    fn a_fix_denied_is_a_fault_still_open() {
        let r = roadmap(FEATURES);
        for text in [
            "The export has not been fixed",
            "It's still not fixed, the export is useless",
            "The export hasn't been fixed after three updates",
        ] {
            assert_eq!(tag(&r, text).kind, Some(Kind::Bug), "{text}");
            let (_, why) = explain(&r, text);
            assert!(
                why.cues.iter().any(|c| c.cue == "bug" && c.counted),
                "{text}: {:?}",
                why.cues
            );
        }
        // A fix nobody needs is not a fault.
        let (_, why) = explain(&r, "I don't need a fix for export");
        assert!(
            why.cues.iter().all(|c| c.cue != "bug" || !c.counted),
            "{:?}",
            why.cues
        );
    }

    #[test]
    fn a_greeting_is_not_a_wish_and_usefulness_is_not_use() {
        let r = roadmap(FEATURES);
        let (_, why) = explain(&r, "Just wanted to say the new export is great");
        assert!(why.cues.iter().all(|c| c.cue != "request" || !c.counted));
        let (_, why) = explain(&r, "We used it daily. Great except the export");
        assert!(
            why.cues.iter().all(|c| c.phrase != "useful"),
            "{:?}",
            why.cues
        );
        assert!(
            why.cues.iter().all(|c| c.phrase != "exception"),
            "{:?}",
            why.cues
        );
        let (_, why) = explain(&r, "Really useful for our standups");
        assert!(why.cues.iter().any(|c| c.phrase == "useful" && c.counted));
    }

    /// Whatever a stranger types, tagging and explaining never panic, agree
    /// with each other, and every quoted match is the item's own text at its
    /// offset.
    #[test]
    fn explaining_any_text_quotes_the_text_itself() {
        use proptest::test_runner::{Config, TestRunner};
        let r = roadmap(FEATURES);
        let tagger = Tagger::new(&r).unwrap();
        let scratch = std::cell::RefCell::new(Scratch::default());
        let strategy = "(?s)(\\PC|[\u{0}-\u{1f}\u{300}-\u{36f}\u{202e}'’.,!? ]|SSO|api|not|if|crash|no problem with){0,40}";
        let mut runner = TestRunner::new(Config::with_cases(128));
        runner
            .run(&strategy, |text| {
                let item = Item {
                    text: text.clone(),
                    ..Item::default()
                };
                let scratch = &mut *scratch.borrow_mut();
                let (tags, why) = tagger.tag_explained(&item, scratch);
                proptest::prop_assert_eq!(&tags, &tagger.tag(&item, scratch));
                let chars: Vec<char> = text.chars().collect();
                let quotes = why
                    .links
                    .iter()
                    .flat_map(|l| l.matched.iter())
                    .chain(why.cues.iter().map(|c| &c.matched));
                for q in quotes {
                    let at = q.at.expect("every token maps back to the text");
                    let n = q.text.chars().count();
                    let found: String = chars.iter().skip(at).take(n).collect();
                    proptest::prop_assert_eq!(&found, &q.text);
                }
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn clear_cut_items_get_their_kind() {
        let r = roadmap(FEATURES);
        for (text, kind) in [
            (
                "App crashes on launch\nSince the last update it crashes every time I open it",
                Kind::Bug,
            ),
            (
                "Add a dark mode\nPlease add a dark theme option for night use",
                Kind::Request,
            ),
            (
                "How do I export my data?\nI can't find where to export my boards. Is there a way?",
                Kind::Question,
            ),
            ("I love this app, it is amazing, thank you!", Kind::Praise),
            (
                "We are cancelling our subscription and switching to a competitor",
                Kind::ChurnRisk,
            ),
        ] {
            assert_eq!(tag(&r, text).kind, Some(kind), "{text}");
        }
    }

    #[test]
    fn feedback_asks_for_things_in_its_own_words() {
        let r = roadmap(FEATURES);
        for text in [
            "dark theme pls\ndark theme pls. using it at night is painful",
            "Still no SSO. We have raised it for months.",
            "still waiting for recurring tasks!! otherwise 10/10",
            "Dark mode please\nThe app is nice but it's blinding at night.",
            "No way to give a client read-only access from the app.",
            "Love the design\nSo pretty and easy to use. A dark mode would make it perfect.",
            "Craft business heaven\nPerfect for my craft business! Would kill for subtasks though.",
        ] {
            assert_eq!(tag(&r, text).kind, Some(Kind::Request), "{text}");
        }
    }

    #[test]
    fn explanations_name_the_model_features_that_decided_the_kind() {
        if kind_model::builtin_examples() == 0 {
            return; // built without training data: the rules decide alone
        }
        let r = roadmap(FEATURES);
        let (t, why) = explain(
            &r,
            "Add an option to export to PDF\nIt would be great to have PDF export",
        );
        assert_eq!(t.kind, Some(Kind::Request));
        let probs = why.kind.model.as_ref().unwrap();
        assert_eq!(probs.len(), features::NCLASS);
        assert!(!why.kind.features.is_empty());
        assert!(why.kind.features.len() <= EXPLAINED_FEATURES);
        let f = &why.kind.features;
        assert!(f.iter().all(|f| f.kind == "request"));
        assert!(
            f.iter().any(|f| f.feature.starts_with("title:")
                || f.feature.starts_with("first:")
                || f.feature.starts_with("cue:")),
            "{f:?}"
        );
        // Largest effect first.
        assert!(f.windows(2).all(|w| w[0].weight.abs() >= w[1].weight.abs()));
    }

    #[test]
    fn a_support_rating_counts_for_pain_but_does_not_make_a_review() {
        let r = roadmap(FEATURES);
        let tagger = Tagger::new(&r).unwrap();
        let ticket = |rating: f64, rates_support: bool| {
            let item = Item {
                text: "Security questionnaire\nCould you send your latest SOC 2 report and \
                       confirm your plans for SAML? Thanks, Henrik"
                    .into(),
                rating: Some(rating),
                rates_support,
                ..Item::default()
            };
            tagger.tag(&item, &mut Scratch::default())
        };
        // Five stars on a review that says thanks: praise.
        assert_eq!(ticket(1.0, false).kind, Some(Kind::Praise));
        // A "good" satisfaction score on a support ticket rates the
        // support: the ticket is still the question it asks.
        let t = ticket(1.0, true);
        assert_eq!(t.kind, Some(Kind::Question));
        assert!(t.pain > 0.0, "{}", t.pain);
        // A "bad" one is still pain.
        assert_eq!(ticket(0.0, true).pain, 1.0);
    }

    #[test]
    fn a_low_rating_is_never_praise() {
        let r = roadmap(FEATURES);
        let tagger = Tagger::new(&r).unwrap();
        let review = |rating: f64| {
            let item = Item {
                text: "The pilot users love it but our IT will not approve it.".into(),
                rating: Some(rating),
                ..Item::default()
            };
            tagger.tag_explained(&item, &mut Scratch::default())
        };
        let (warm, _) = review(0.9);
        assert_eq!(warm.kind, Some(Kind::Praise));
        assert_eq!(warm.pain, 0.0);
        // The same words with an NPS of 3: the verdict wins, and it hurts.
        let (cold, why) = review(0.3);
        assert_eq!(cold.kind, Some(Kind::Other));
        assert!((cold.pain - 0.7).abs() < 1e-9, "{}", cold.pain);
        assert_eq!(why.kind.from, "low rating");
    }

    #[test]
    fn an_item_outside_the_window_is_tagged_with_its_links_alone() {
        let r = roadmap(FEATURES);
        let tagger = Tagger::new(&r).unwrap();
        let day = 86_400;
        let window = Window {
            as_of_end: 1_000 * day,
            max_age: Some(365 * day),
            trend_recent: 30 * day,
            trend_prior: 30 * day,
        };
        let item = |created_at: Option<i64>| Item {
            text: "The API keeps crashing and I can't export, this is a blocker".into(),
            created_at,
            ..Item::default()
        };
        let scratch = &mut Scratch::default();
        let full = tagger.tag(&item(None), scratch);
        assert_eq!(full.kind, Some(Kind::Bug));
        assert!(full.pain > 0.5, "{}", full.pain);
        // In the window, or with no date: tagged in full.
        for at in [None, Some(900 * day), Some(1_000 * day)] {
            assert_eq!(tagger.tag_within(&item(at), scratch, &window), full);
        }
        // Too old, or after --as-of: the same links, and nothing else.
        for at in [Some(600 * day), Some(1_001 * day)] {
            let t = tagger.tag_within(&item(at), scratch, &window);
            assert_eq!(t.features, full.features);
            assert!(!t.features.is_empty());
            assert_eq!((t.stage, t.persona, t.kind), (None, None, None));
            assert_eq!((t.sentiment, t.pain), (0.0, 0.0));
        }
    }

    #[test]
    fn praise_carries_no_pain() {
        let r = roadmap(FEATURES);
        let t = tag(&r, "I love the API, it is amazing, thank you!");
        assert_eq!(t.kind, Some(Kind::Praise));
        assert_eq!(t.pain, 0.0);
        let t = tag(
            &r,
            "the API keeps crashing and I can't export, this is a blocker",
        );
        assert_eq!(t.kind, Some(Kind::Bug));
        assert!(t.pain > 0.7, "{}", t.pain);
    }

    #[test]
    fn praise_of_what_shipped_is_not_a_request() {
        let r = roadmap(FEATURES);
        for text in [
            "Makes my life so much easier with the API!",
            "Really happy with the new features in the API, thanks!",
            "Love the new features of the API, thanks!",
        ] {
            let t = tag(&r, text);
            assert_eq!(t.kind, Some(Kind::Praise), "{text}");
            assert_eq!(t.pain, 0.0, "{text}");
        }
        // Asking for them still is one.
        for text in [
            "Make the API faster please",
            "Please add new features to the API",
        ] {
            assert_eq!(tag(&r, text).kind, Some(Kind::Request), "{text}");
        }
    }

    #[test]
    fn pain_takes_the_worst_signal() {
        assert_eq!(pain(Kind::Request, 0.5, Some(1.0), 0), 0.3);
        assert_eq!(pain(Kind::Request, 0.5, Some(0.0), 0), 1.0);
        assert!((pain(Kind::Bug, -0.2, None, 2) - 0.7).abs() < 1e-9);
        assert_eq!(pain(Kind::Bug, -0.9, None, 3), 1.0);
    }

    #[test]
    fn counting_tagger_notes_phrases_and_tags_the_same() {
        let r = roadmap(FEATURES);
        let phrases: Vec<String> = ["saml", "sso tax", "exports", "never said"]
            .map(String::from)
            .into();
        let counting = Tagger::counting(&r, &phrases).unwrap();
        let plain = Tagger::new(&r).unwrap();
        let mut scratch = Scratch::default();
        for text in [
            "the sso tax, and SAML, saml again",
            "export my api data",
            "hi",
        ] {
            let item = Item {
                text: text.into(),
                ..Item::default()
            };
            let tags = counting.tag(&item, &mut scratch);
            assert_eq!(tags, plain.tag(&item, &mut Scratch::default()));
            let expected: &[u32] = match text {
                "hi" => &[],
                "export my api data" => &[2],
                _ => &[0, 1],
            };
            assert_eq!(scratch.counted(), expected, "{text}");
        }
    }

    #[test]
    fn a_link_made_in_the_export_is_honoured() {
        let r = roadmap(FEATURES);
        let t = Tagger::new(&r).unwrap();
        let mut item = Item {
            text: "please make this less painful".into(),
            feature_refs: vec!["public api".into()],
            ..Item::default()
        };
        assert_eq!(t.tag(&item, &mut Scratch::default()).features, vec![1]);
        item.feature_refs = vec!["sso".into(), "no such feature".into()];
        assert_eq!(t.tag(&item, &mut Scratch::default()).features, vec![0]);
    }
}
