//! Sentiment in [-1, 1], by the rules of VADER (Hutto & Gilbert, "VADER: A
//! Parsimonious Rule-based Model for Sentiment Analysis of Social Media
//! Text", ICWSM 2014) with its human-rated lexicon, taken from the
//! `vader_sentiment` crate, plus a small product-feedback lexicon of ours.
//!
//! The constants (booster ±0.293, all-caps 0.733, negation ×−0.74, `!`
//! 0.292, `?` 0.18, normalization α = 15) are the paper's published values.
//! This is our own implementation, written for speed: one pass over the
//! words, no regular expressions, no allocation for ASCII words.

use std::collections::HashMap;
use std::sync::OnceLock;

const BOOST: f64 = 0.293;
const CAPS_BOOST: f64 = 0.733;
const NEGATION: f64 = -0.74;
const EXCLAIM: f64 = 0.292;
const QUESTION: f64 = 0.18;
const ALPHA: f64 = 15.0;

/// Words that push the next sentiment word up (`very`, `extremely`).
const BOOSTERS_UP: &[&str] = &[
    "absolutely",
    "amazingly",
    "awfully",
    "completely",
    "considerably",
    "decidedly",
    "deeply",
    "enormously",
    "entirely",
    "especially",
    "exceptionally",
    "extremely",
    "fabulously",
    "freaking",
    "frickin",
    "fricking",
    "fully",
    "greatly",
    "hella",
    "highly",
    "hugely",
    "incredibly",
    "insanely",
    "intensely",
    "majorly",
    "more",
    "most",
    "particularly",
    "purely",
    "quite",
    "really",
    "remarkably",
    "so",
    "substantially",
    "super",
    "thoroughly",
    "totally",
    "tremendously",
    "truly",
    "unbelievably",
    "unusually",
    "utterly",
    "very",
    "way",
];

/// Words that damp the next sentiment word (`slightly`, `kinda`).
const BOOSTERS_DOWN: &[&str] = &[
    "almost",
    "barely",
    "hardly",
    "kinda",
    "less",
    "little",
    "marginally",
    "occasionally",
    "partly",
    "scarcely",
    "slightly",
    "somewhat",
    "sorta",
];

/// Words that flip the polarity of what follows within three words.
const NEGATIONS: &[&str] = &[
    "not", "no", "never", "none", "nope", "nor", "nothing", "nowhere", "neither", "without",
    "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "wasnt", "werent", "arent", "wont",
    "wouldnt", "couldnt", "shouldnt", "havent", "hasnt", "hadnt", "aint", "rarely", "seldom",
    "despite",
];

/// Product-feedback words VADER's lexicon lacks or under-weights, on the
/// lexicon's −4..+4 scale.
const PRODUCT_LEXICON: &[(&str, f64)] = &[
    ("crash", -2.0),
    ("crashes", -2.0),
    ("crashed", -2.0),
    ("crashing", -2.2),
    ("crashy", -2.0),
    ("buggy", -2.0),
    ("glitchy", -1.6),
    ("laggy", -1.6),
    ("sluggish", -1.4),
    ("unusable", -2.8),
    ("unresponsive", -1.8),
    ("freezes", -1.6),
    ("freezing", -1.4),
    ("timeout", -1.2),
    ("timeouts", -1.4),
    ("outage", -2.2),
    ("downtime", -1.8),
    ("workaround", -0.8),
    ("clunky", -1.5),
    ("janky", -1.6),
    ("flaky", -1.5),
];

/// Multi-word product complaints, matched on lower-case words, on the same
/// scale. Each replaces the valence of its last word.
const PRODUCT_PHRASES: &[(&[&str], f64)] = &[
    (&["doesn't", "work"], -2.0),
    (&["doesnt", "work"], -2.0),
    (&["does", "not", "work"], -2.0),
    (&["not", "working"], -2.0),
    (&["stopped", "working"], -2.3),
    (&["stops", "working"], -2.0),
    (&["still", "waiting"], -1.8),
    (&["lost", "my", "data"], -3.0),
    (&["lost", "our", "data"], -3.0),
    (&["data", "loss"], -3.0),
    (&["keeps", "crashing"], -2.6),
    (&["won't", "load"], -2.0),
    (&["wont", "load"], -2.0),
    (&["takes", "forever"], -1.8),
];

struct Lexicon {
    words: HashMap<String, f64>,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut words: HashMap<String, f64> = vader_sentiment::LEXICON
            .iter()
            .map(|(k, v)| (k.to_lowercase(), *v))
            .collect();
        for (w, v) in PRODUCT_LEXICON {
            words.insert((*w).to_string(), *v);
        }
        Lexicon { words }
    })
}

/// Forces the lexicon to load, so the first item does not pay for it.
pub fn warm_up() {
    lexicon();
}

struct Word<'a> {
    raw: &'a str,
    lower: String,
}

/// The compound sentiment of a text: −1 most negative, +1 most positive.
pub fn sentiment(text: &str) -> f64 {
    let lex = lexicon();
    let words: Vec<Word<'_>> = text
        .split_whitespace()
        .map(strip_punctuation)
        .filter(|w| w.chars().count() > 1)
        .map(|raw| Word {
            raw,
            lower: raw.to_lowercase(),
        })
        .collect();
    if words.is_empty() {
        return 0.0;
    }
    let caps_differ = {
        let caps = words.iter().filter(|w| is_shouting(w.raw)).count();
        caps > 0 && caps < words.len()
    };

    let mut valences = vec![0.0f64; words.len()];
    for i in 0..words.len() {
        let w = &words[i].lower;
        if is_booster(w).is_some() {
            continue;
        }
        if w == "kind" && words.get(i + 1).is_some_and(|n| n.lower == "of") {
            continue;
        }
        // A product phrase ("doesn't work") carries its own negation, so
        // the words before it are looked at, not the words inside it.
        let (mut v, span) = match phrase_valence(&words, i) {
            Some(found) => found,
            None => match lex.words.get(w.as_str()) {
                Some(&v) => (v, 1),
                None => continue,
            },
        };
        if caps_differ && is_shouting(words[i].raw) {
            v += CAPS_BOOST * v.signum();
        }
        for back in 1..=3 {
            if i + 1 < back + span {
                break;
            }
            let prev = &words[i + 1 - back - span];
            if !lex.words.contains_key(prev.lower.as_str()) {
                if let Some(mut b) = is_booster(&prev.lower) {
                    if v < 0.0 {
                        b = -b;
                    }
                    if caps_differ && is_shouting(prev.raw) {
                        b += CAPS_BOOST * v.signum();
                    }
                    v += b * [1.0, 0.95, 0.9][back - 1];
                }
            }
            if is_negation(&prev.lower) {
                // "never so good" intensifies rather than negates.
                let never_so = back > 1
                    && prev.lower == "never"
                    && matches!(words[i + 2 - back - span].lower.as_str(), "so" | "this");
                v *= if never_so { 1.25 } else { NEGATION };
            }
        }
        if i > 0
            && words[i - 1].lower == "least"
            && !(i > 1 && matches!(words[i - 2].lower.as_str(), "at" | "very"))
        {
            v *= NEGATION;
        }
        valences[i] = v;
    }

    // "but" shifts the weight onto what follows it.
    if let Some(b) = words.iter().position(|w| w.lower == "but") {
        for (i, v) in valences.iter_mut().enumerate() {
            if i < b {
                *v *= 0.5;
            } else if i > b {
                *v *= 1.5;
            }
        }
    }

    let mut sum: f64 = valences.iter().sum();
    if sum != 0.0 {
        let bangs = text.matches('!').count().min(4) as f64 * EXCLAIM;
        let questions = match text.matches('?').count() {
            0 | 1 => 0.0,
            n @ 2..=3 => n as f64 * QUESTION,
            _ => 0.96,
        };
        sum += (bangs + questions) * sum.signum();
    }
    (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0)
}

/// The valence and length of a product phrase ending at word `i`.
fn phrase_valence(words: &[Word<'_>], i: usize) -> Option<(f64, usize)> {
    PRODUCT_PHRASES.iter().find_map(|(phrase, v)| {
        let n = phrase.len();
        (i + 1 >= n
            && words[i + 1 - n..=i]
                .iter()
                .zip(phrase.iter())
                .all(|(w, p)| w.lower == *p))
        .then_some((*v, n))
    })
}

fn strip_punctuation(token: &str) -> &str {
    let stripped = token.trim_matches(|c: char| c.is_ascii_punctuation() && c != '\'');
    let stripped = stripped.trim_matches('\'');
    // Keep emoticons such as ":)" and ":-(" whole.
    if stripped.chars().count() <= 2 {
        token
    } else {
        stripped
    }
}

fn is_shouting(w: &str) -> bool {
    w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase)
}

fn is_booster(w: &str) -> Option<f64> {
    if BOOSTERS_UP.contains(&w) {
        Some(BOOST)
    } else if BOOSTERS_DOWN.contains(&w) {
        Some(-BOOST)
    } else {
        None
    }
}

fn is_negation(w: &str) -> bool {
    NEGATIONS.contains(&w) || w.ends_with("n't")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polarity_follows_the_words() {
        assert!(sentiment("I love this app, it is great") > 0.5);
        assert!(sentiment("this is terrible and I hate it") < -0.5);
        assert_eq!(sentiment(""), 0.0);
        assert_eq!(sentiment("the board has columns"), 0.0);
    }

    #[test]
    fn negation_flips_and_boosters_intensify() {
        assert!(sentiment("not good") < 0.0);
        assert!(sentiment("very good") > sentiment("good"));
        assert!(sentiment("good!!!") > sentiment("good"));
        assert!(sentiment("GOOD job, team") > sentiment("good job, team"));
    }

    #[test]
    fn but_weights_the_second_clause() {
        assert!(sentiment("the app is great but the export is awful") < 0.0);
    }

    #[test]
    fn product_complaints_read_negative() {
        assert!(sentiment("the export doesn't work") < -0.3);
        assert!(sentiment("it keeps crashing") < -0.3);
        assert!(sentiment("stopped working after the update") < -0.3);
        assert!(sentiment("boards are laggy") < 0.0);
    }

    #[test]
    fn stays_in_range_on_extremes() {
        let s = sentiment(&"AWFUL HORRIBLE TERRIBLE!!!! ".repeat(50));
        assert!((-1.0..=1.0).contains(&s));
        assert!(s < -0.9);
    }
}
