//! One item in, its tags out: linked features, journey stage, persona, kind,
//! sentiment and pain.
//!
//! Everything the roadmap and painmap look for in text (feature keywords and
//! excludes, title words, stage and persona keywords, kind and severity
//! cues) is matched in one pass of one automaton over the item's normalized
//! text.

use std::collections::{HashMap, HashSet};

use crate::item::{Item, Kind};
use crate::roadmap::Roadmap;
use crate::text::cues::{decide_kind, Cue, CueCounts, CUES};
use crate::text::matcher::{PhraseSet, Span};
use crate::text::normalize::{Normalized, Normalizer};
use crate::text::sentiment::sentiment;
use crate::text::vocab::{LIGHT_VERBS, META_WORDS, STOP_WORDS, SYNONYMS};

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
        let normalizer = Normalizer::new();
        let mut entries: Vec<(String, Owner)> = Vec::new();
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
                title_rules.push(TitleRule {
                    feature: fi,
                    words: slots.len() as u16,
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
        } = scratch;
        self.normalizer.normalize_into(&item.text, norm);
        keyword_hits.clear();
        exclude_hits.clear();
        title_hits.clear();
        stage_hits.clear();
        stage_hits.resize(self.stages, 0);
        persona_hits.clear();
        persona_hits.resize(self.personas, 0);
        let mut cues = CueCounts::default();
        self.phrases.find(norm, |owner, span| match *owner {
            Owner::Keyword(f) => keyword_hits.push((f, span)),
            Owner::Exclude(f) => exclude_hits.push((f, span)),
            Owner::TitleWord { feature, word } => title_hits.push((feature, word, span.token)),
            Owner::Stage(s) => stage_hits[s as usize] += 1,
            Owner::Persona(p) => persona_hits[p as usize] += 1,
            Owner::Cue(c) => cues.add(c),
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
    fn pain_takes_the_worst_signal() {
        assert_eq!(pain(Kind::Request, 0.5, Some(1.0), 0), 0.3);
        assert_eq!(pain(Kind::Request, 0.5, Some(0.0), 0), 1.0);
        assert!((pain(Kind::Bug, -0.2, None, 2) - 0.7).abs() < 1e-9);
        assert_eq!(pain(Kind::Bug, -0.9, None, 3), 1.0);
    }
}
