//! One item in, its tags out: linked features, journey stage, persona, kind,
//! sentiment and pain.
//!
//! Everything the roadmap and painmap look for in text (feature keywords and
//! excludes, title words, stage and persona keywords, kind and severity
//! cues) is matched in one pass of one automaton over the item's normalized
//! text.

use crate::item::{Item, Kind};
use crate::roadmap::Roadmap;
use crate::text::cues::{decide_kind, Cue, CueCounts, CUES};
use crate::text::matcher::{PhraseSet, Span};
use crate::text::normalize::{Normalized, Normalizer};
use crate::text::sentiment::sentiment;

/// Words that carry no topic; a feature matched on its title ignores them.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of",
    "on", "or", "our", "per", "that", "the", "their", "this", "to", "via", "with", "your", "you",
    "my", "we", "more", "better", "new", "improved", "support", "all", "any", "can", "get", "make",
    "use", "using",
];

/// How far apart, in tokens, the words of a title may be and still match.
fn title_window(words: usize) -> u32 {
    words as u32 + 4
}

#[derive(Debug, Clone, Copy)]
enum Owner {
    Keyword(u32),
    Exclude(u32),
    TitleWord { feature: u32, word: u16 },
    Stage(u16),
    Persona(u16),
    Cue(Cue),
    // A phrase counted for `painmap check`: see `Tagger::counting`.
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

/// Per-thread buffers reused from item to item.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: Normalized,
    keyword_hits: Vec<(u32, Span)>,
    exclude_hits: Vec<(u32, Span)>,
    title_hits: Vec<(u32, u16, u32)>,
    stage_hits: Vec<u32>,
    persona_hits: Vec<u32>,
    counted: Vec<u32>,
}

impl Scratch {
    /// Which of a [`Tagger::counting`] tagger's phrases occurred in the item
    /// it tagged last: their indexes, each once, ascending.
    pub fn counted(&mut self) -> &[u32] {
        self.counted.sort_unstable();
        self.counted.dedup();
        &self.counted
    }
}

struct TitleRule {
    feature: u32,
    words: u16,
}

/// The tagger for one roadmap: built once, shared by all threads.
pub struct Tagger {
    normalizer: Normalizer,
    phrases: PhraseSet<Owner>,
    title_rules: Vec<TitleRule>,
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

    /// A tagger that also notes which of `phrases` occur in each item (read
    /// them with [`Scratch::counted`]), matched exactly as keywords are: for
    /// `painmap check`'s dead-keyword counts. Its tags are those of
    /// [`Tagger::new`], and with no phrases it is the same tagger.
    pub fn counting(roadmap: &Roadmap, phrases: &[String]) -> anyhow::Result<Tagger> {
        let normalizer = Normalizer::new();
        let mut entries: Vec<(String, Owner)> = Vec::new();
        let mut title_rules = Vec::new();
        let stop: Vec<String> = STOP_WORDS
            .iter()
            .filter_map(|w| normalizer.phrase(w))
            .collect();
        for (fi, f) in roadmap.features.iter().enumerate() {
            let fi = fi as u32;
            if f.keywords.is_empty() {
                let mut words: Vec<String> = normalizer
                    .stems(&f.title)
                    .into_iter()
                    .filter(|w| !stop.contains(&format!(" {w} ")))
                    .collect();
                if words.is_empty() {
                    words = normalizer.stems(&f.title);
                }
                words.dedup();
                for (wi, w) in words.iter().enumerate() {
                    entries.push((
                        format!(" {w} "),
                        Owner::TitleWord {
                            feature: fi,
                            word: wi as u16,
                        },
                    ));
                }
                title_rules.push(TitleRule {
                    feature: fi,
                    words: words.len() as u16,
                });
            }
            for k in &f.keywords {
                entries.extend(normalizer.phrase(k).map(|p| (p, Owner::Keyword(fi))));
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
        for (i, p) in phrases.iter().enumerate() {
            entries.extend(normalizer.phrase(p).map(|n| (n, Owner::Counted(i as u32))));
        }
        for (phrase, cue) in CUES {
            entries.extend(normalizer.phrase(phrase).map(|p| (p, Owner::Cue(*cue))));
        }
        let phrases = PhraseSet::new(entries)?;
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
        })
    }

    /// Tags one item.
    pub fn tag(&self, item: &Item, scratch: &mut Scratch) -> Tags {
        let Scratch {
            norm,
            keyword_hits,
            exclude_hits,
            title_hits,
            stage_hits,
            persona_hits,
            counted,
        } = scratch;
        self.normalizer.normalize_into(&item.text, norm);
        keyword_hits.clear();
        exclude_hits.clear();
        title_hits.clear();
        stage_hits.clear();
        stage_hits.resize(self.stages, 0);
        persona_hits.clear();
        persona_hits.resize(self.personas, 0);
        counted.clear();
        let mut cues = CueCounts::default();
        self.phrases.find(norm, |owner, span| match *owner {
            Owner::Keyword(f) => keyword_hits.push((f, span)),
            Owner::Exclude(f) => exclude_hits.push((f, span)),
            Owner::TitleWord { feature, word } => title_hits.push((feature, word, span.token)),
            Owner::Stage(s) => stage_hits[s as usize] += 1,
            Owner::Persona(p) => persona_hits[p as usize] += 1,
            Owner::Cue(c) => cues.add(c),
            Owner::Counted(i) => counted.push(i),
        });

        let mut features: Vec<u32> = keyword_hits
            .iter()
            .filter(|(f, span)| {
                !exclude_hits
                    .iter()
                    .any(|(ef, es)| ef == f && es.contains(*span))
            })
            .map(|(f, _)| *f)
            .collect();
        for rule in &self.title_rules {
            if title_matches(rule, title_hits) {
                features.push(rule.feature);
            }
        }
        features.extend(
            item.feature_refs
                .iter()
                .filter_map(|r| self.feature_names.get(r.as_str())),
        );
        features.sort_unstable();
        features.dedup();

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

        let sentiment = sentiment(&item.text);
        let asks = item.text.contains('?');
        let kind = item
            .kind
            .unwrap_or_else(|| decide_kind(&cues, sentiment, asks));
        let pain = pain(kind, sentiment, item.rating, cues.severity);
        Tags {
            features,
            stage,
            persona,
            kind: Some(kind),
            sentiment,
            pain,
        }
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

/// Whether every content word of the title occurs within a short window.
fn title_matches(rule: &TitleRule, hits: &[(u32, u16, u32)]) -> bool {
    let mut positions: Vec<(u32, u16)> = hits
        .iter()
        .filter(|(f, _, _)| *f == rule.feature)
        .map(|&(_, w, pos)| (pos, w))
        .collect();
    if rule.words == 0 || positions.is_empty() {
        return false;
    }
    positions.sort_unstable();
    let window = title_window(rule.words as usize);
    let need = rule.words as usize;
    let mut counts = vec![0u32; need];
    let mut covered = 0;
    let mut lo = 0;
    for hi in 0..positions.len() {
        let w = positions[hi].1 as usize;
        if counts[w] == 0 {
            covered += 1;
        }
        counts[w] += 1;
        while positions[hi].0 - positions[lo].0 >= window {
            let lw = positions[lo].1 as usize;
            counts[lw] -= 1;
            if counts[lw] == 0 {
                covered -= 1;
            }
            lo += 1;
        }
        if covered == need {
            return true;
        }
    }
    false
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
            "watch this. Many words later we talk about some other videos, offline too maybe"
        )
        .features
        .is_empty());
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
    fn pain_takes_the_worst_signal() {
        assert_eq!(pain(Kind::Request, 0.5, Some(1.0), 0), 0.3);
        assert_eq!(pain(Kind::Request, 0.5, Some(0.0), 0), 1.0);
        assert!((pain(Kind::Bug, -0.2, None, 2) - 0.7).abs() < 1e-9);
        assert_eq!(pain(Kind::Bug, -0.9, None, 3), 1.0);
    }
}
