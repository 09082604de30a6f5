//! What `painmap init` writes: a starter roadmap.toml with the sources it
//! was given, default journey stages, personas from a persona or plan
//! column, and candidate features mined from the most frequent distinctive
//! phrases.
//!
//! The text is written by hand rather than serialized so that it can carry
//! the comments a first-time user needs; every string in it goes through
//! [`toml_string`], and `painmap init` parses the result before writing it.

use std::collections::{HashMap, HashSet};

use crate::plural::count;
use crate::report::sanitize::terminal;
use crate::roadmap::slug;
use crate::text::normalize::stem_of;

/// Journey stages every product has, with words customers use for them.
pub const DEFAULT_STAGES: &[(&str, &str, &[&str])] = &[
    (
        "awareness",
        "Awareness",
        &[
            "heard about",
            "found you",
            "your website",
            "pricing page",
            "recommended by",
        ],
    ),
    (
        "evaluation",
        "Evaluation",
        &[
            "trial",
            "evaluating",
            "comparing",
            "demo",
            "pilot",
            "security review",
        ],
    ),
    (
        "onboarding",
        "Onboarding",
        &[
            "sign up",
            "signing up",
            "getting started",
            "setup",
            "set up",
            "onboarding",
            "invite",
        ],
    ),
    (
        "usage",
        "Daily use",
        &["every day", "daily", "workflow", "every week", "day to day"],
    ),
    (
        "support",
        "Support",
        &[
            "support team",
            "support ticket",
            "response time",
            "no reply",
            "help center",
            "live chat",
        ],
    ),
    (
        "renewal",
        "Renewal",
        &[
            "renewal",
            "renew",
            "contract",
            "price increase",
            "downgrade",
            "cancel",
            "billing",
        ],
    ),
];

/// Words that say nothing about what a customer wants: function words, and
/// the words every piece of feedback uses (please, thanks, app, issue).
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "almost", "also", "always", "am",
    "an", "and", "any", "anyone", "anything", "are", "around", "as", "at", "back", "be", "been",
    "before", "being", "below", "between", "both", "but", "by", "can", "cannot", "could", "did",
    "do", "does", "doing", "done", "down", "during", "each", "either", "else", "enough", "even",
    "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
    "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "less", "let", "like", "lot", "lots", "many", "may", "me", "might", "more",
    "most", "much", "must", "my", "myself", "never", "no", "nor", "not", "now", "of", "off",
    "often", "on", "once", "one", "only", "or", "other", "others", "our", "ours", "out", "over",
    "own", "per", "quite", "rather", "really", "same", "she", "should", "since", "so", "some",
    "something", "still", "such", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "thing", "things", "this", "those", "though", "through", "to", "too", "under", "until",
    "up", "upon", "us", "very", "was", "way", "we", "well", "were", "what", "when", "where",
    "whether", "which", "while", "who", "whom", "why", "will", "with", "within", "without",
    "would", "yet", "you", "your", "yours", "yourself", "get", "gets", "getting", "got", "go",
    "goes", "going", "make", "makes", "made", "use", "used", "uses", "using", "want", "wants",
    "need", "needs", "needed", "please", "thanks", "thank", "hi", "hello", "hey", "dear", "team",
    "app", "application", "product", "tool", "software", "feature", "features", "issue", "issues",
    "problem", "problems", "question", "help", "time", "times", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "today", "yesterday", "new", "good", "great", "bad",
    "better", "best", "worse", "worst", "nice", "love", "loved", "hate", "awesome", "amazing",
    "terrible", "horrible", "excellent", "fine", "ok", "okay", "yes", "able", "unable", "keep",
    "keeps", "kept", "work", "works", "worked", "working", "try", "tried", "trying", "see",
    "seems", "seem", "know", "think", "feel", "look", "looks", "looking", "find", "found", "add",
    "added", "adding", "etc", "via", "everything", "nothing", "someone", "anybody", "everyone",
    "people", "user", "users", "customer", "customers", "bit", "little", "big", "whole", "last",
    "next", "first", "second", "two", "three", "put", "set", "take", "give", "say", "said", "tell",
    "told", "ask", "asked", "come", "came", "because", "show", "shows", "showing", "finds",
    "finding", "instead", "already",
    // How it went, not what it is about: complaints and verdicts.
    "slow", "slower", "fast", "faster", "missing", "broken", "crash", "crashes", "crashed",
    "crashing", "fix", "fixed", "fixes", "wrong", "easy", "easier", "difficult", "annoying",
    "frustrating", "confusing", "useless", "useful", "helpful", "simple", "load", "loads",
    "loading", "fails", "failed", "failing", "stopped", "happy", "disappointed", "wish",
];

/// How many distinct phrases are kept before rare ones are dropped, so that
/// memory stays bounded on a very large export (counts become approximate).
const MAX_DISTINCT: usize = 400_000;

/// A frequent phrase, proposed as a feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub phrase: String,
    /// Items it occurs in.
    pub items: u64,
}

/// Counts in how many items each word and each pair of adjacent content
/// words occurs. Words are counted by their stem, as keywords match, so
/// "note" and "notes" are one phrase, shown in its most common spelling.
pub struct PhraseCounter {
    /// By stemmed phrase: items, and how often each spelling was seen.
    counts: HashMap<String, (u64, HashMap<String, u64>)>,
    /// By stemmed word, its uses inside a sentence (not first): how many,
    /// and each capitalized spelling ("Pinwheel") with its count. A word
    /// written with a capital nearly every time is a name.
    capitals: HashMap<String, (u64, HashMap<String, u64>)>,
    /// Uses of each word right after a word that points at another product
    /// ("with Slack", "to Jira", "from Trello": [`OTHER_PRODUCT_CUES`]).
    pointed_at: HashMap<String, u64>,
    /// Stems of the product's name, left out of the candidates.
    product: Vec<String>,
    items: u64,
    stop: HashSet<&'static str>,
    stemmer: rust_stemmers::Stemmer,
    seen: HashMap<String, String>,
}

impl std::fmt::Debug for PhraseCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhraseCounter")
            .field("items", &self.items)
            .field("phrases", &self.counts.len())
            .finish()
    }
}

impl Default for PhraseCounter {
    fn default() -> Self {
        PhraseCounter::new()
    }
}

fn is_content(word: &str, stop: &HashSet<&'static str>) -> bool {
    word.chars().count() >= 2
        && word.chars().any(char::is_alphabetic)
        && !word.contains(['\'', '’'])
        && !stop.contains(word)
}

impl PhraseCounter {
    pub fn new() -> PhraseCounter {
        let mut stop: HashSet<&'static str> = STOP_WORDS.iter().copied().collect();
        for (_, _, keywords) in DEFAULT_STAGES {
            stop.extend(keywords.iter().filter(|k| !k.contains(' ')));
        }
        PhraseCounter {
            counts: HashMap::new(),
            capitals: HashMap::new(),
            pointed_at: HashMap::new(),
            product: Vec::new(),
            items: 0,
            stop,
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
            seen: HashMap::new(),
        }
    }

    pub fn items(&self) -> u64 {
        self.items
    }

    fn stem(&self, word: &str) -> String {
        word.split('-')
            .map(|part| stem_of(&self.stemmer, part).into_owned())
            .collect::<Vec<_>>()
            .join("-")
    }

    fn stem_phrase(&self, phrase: &str) -> String {
        phrase
            .split(' ')
            .map(|w| self.stem(w))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn add(&mut self, text: &str) {
        self.items += 1;
        let mut previous: Option<(String, String)> = None;
        let mut pointer = false;
        self.seen.clear();
        for (raw, first_in_sentence) in words(text) {
            let w = raw.to_lowercase();
            let after_pointer =
                std::mem::replace(&mut pointer, OTHER_PRODUCT_CUES.contains(&w.as_str()));
            if is_content(&w, &self.stop) {
                let stem = self.stem(&w);
                if !first_in_sentence {
                    if after_pointer {
                        *self.pointed_at.entry(stem.clone()).or_insert(0) += 1;
                    }
                    let (uses, spellings) = self.capitals.entry(stem.clone()).or_default();
                    *uses += 1;
                    let mut chars = raw.chars();
                    let capital = chars.next().is_some_and(char::is_uppercase)
                        && chars.any(char::is_lowercase);
                    if capital {
                        *spellings.entry(raw.to_string()).or_insert(0) += 1;
                    }
                }
                if let Some((pw, ps)) = &previous {
                    self.seen
                        .insert(format!("{ps} {stem}"), format!("{pw} {w}"));
                }
                self.seen.insert(stem.clone(), w.clone());
                previous = Some((w, stem));
            } else {
                previous = None;
            }
        }
        for (stem, spelling) in self.seen.drain() {
            let (items, spellings) = self.counts.entry(stem).or_default();
            *items += 1;
            *spellings.entry(spelling).or_insert(0) += 1;
        }
        if self.counts.len() > MAX_DISTINCT {
            self.counts.retain(|_, (n, _)| *n > 1);
            let counts = &self.counts;
            self.capitals.retain(|stem, _| counts.contains_key(stem));
            self.pointed_at.retain(|stem, _| counts.contains_key(stem));
        }
    }

    /// The product's name as customers write it, when one word stands out:
    /// in at least 5% of the items (and 3), written with a capital in at
    /// least 90% of its uses inside a sentence (at least 5 of them), and
    /// the most frequent such word. A name that follows "with", "to",
    /// "from" and the like in half its uses or more ("integrate with Slack",
    /// "switch to Asana") is another product's, and is passed over; other
    /// products' names can still slip through, which is why the guess is
    /// written down as one.
    pub fn product_guess(&self) -> Option<(String, u64)> {
        let floor = (self.items / 20).max(3);
        self.capitals
            .iter()
            .filter(|(stem, _)| !stem.contains(' '))
            .filter_map(|(stem, (uses, spellings))| {
                let capitals: u64 = spellings.values().sum();
                let items = self.counts.get(stem).map_or(0, |(n, _)| *n);
                let name = spellings
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?
                    .0;
                let pointed = self.pointed_at.get(stem).copied().unwrap_or(0);
                (items >= floor && *uses >= 5 && capitals * 10 >= uses * 9 && pointed * 2 < *uses)
                    .then(|| (name.clone(), items))
            })
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
    }

    /// Leaves the words of the product's name out of the candidates: every
    /// item could mention it, and it names no feature.
    pub fn exclude_product(&mut self, name: &str) {
        self.product = words(name)
            .map(|(w, _)| self.stem(&w.to_lowercase()))
            .collect();
    }

    /// Up to `max` phrases that occur in at least 2 items (and 0.5% of
    /// them). Pairs of words rank half again as high as single words, since
    /// "dark mode" says more than "dark"; a word is left out when a chosen
    /// pair accounts for half its uses, and a pair that only extends a more
    /// frequent one ("okta single" of "single sign-on") is left out too.
    pub fn candidates(&self, max: usize) -> Vec<Candidate> {
        let floor = (self.items / 200).max(2);
        let mut all: Vec<(String, Candidate)> = self
            .counts
            .iter()
            .filter(|(_, (items, _))| *items >= floor)
            .filter(|(stem, _)| !stem.split(' ').any(|w| self.product.iter().any(|p| p == w)))
            // Stage keywords are journey words, not features.
            .filter(|(stem, _)| {
                !DEFAULT_STAGES
                    .iter()
                    .flat_map(|(_, _, keywords)| keywords.iter())
                    .any(|k| self.stem_phrase(k) == **stem)
            })
            .map(|(stem, (items, spellings))| {
                let spelling = spellings
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                    .map(|(s, _)| s.clone())
                    .unwrap_or_else(|| stem.clone());
                (
                    stem.clone(),
                    Candidate {
                        phrase: spelling,
                        items: *items,
                    },
                )
            })
            .collect();
        let weight = |stem: &str, items: u64| {
            if stem.contains(' ') {
                items * 3
            } else {
                items * 2
            }
        };
        all.sort_by(|(sa, a), (sb, b)| {
            weight(sb, b.items)
                .cmp(&weight(sa, a.items))
                .then(b.items.cmp(&a.items))
                .then_with(|| a.phrase.cmp(&b.phrase))
        });
        // The pairs that are kept: a pair that only extends a more
        // frequent one ("okta single" of "single sign-on") is not.
        let mut pairs: Vec<(&str, &str, u64)> = Vec::new();
        for (stem, c) in &all {
            if let Some((a, b)) = stem.split_once(' ') {
                if !pairs.iter().any(|&(oa, ob, _)| a == ob || b == oa) {
                    pairs.push((a, b, c.items));
                }
            }
        }
        // A word that a kept pair accounts for half the uses of is left to
        // the pair, whether it ranks before or after it: "dark mode", not
        // "mode".
        let explained: HashSet<&str> = all
            .iter()
            .filter(|(stem, c)| {
                !stem.contains(' ')
                    && pairs
                        .iter()
                        .any(|&(a, b, n)| (a == stem || b == stem) && n * 2 >= c.items)
            })
            .map(|(stem, _)| stem.as_str())
            .collect();
        let mut chosen: Vec<(String, Candidate)> = Vec::new();
        for (stem, c) in &all {
            if explained.contains(stem.as_str()) {
                continue;
            }
            let words: Vec<&str> = stem.split(' ').collect();
            let redundant = chosen.iter().any(|(other, o)| {
                let ow: Vec<&str> = other.split(' ').collect();
                match (words.as_slice(), ow.as_slice()) {
                    ([w], [a, b]) => (w == a || w == b) && o.items * 2 >= c.items,
                    ([a, b], [oa, ob]) => a == ob || b == oa,
                    _ => false,
                }
            });
            if !redundant {
                chosen.push((stem.clone(), c.clone()));
            }
            if chosen.len() == max {
                break;
            }
        }
        chosen.into_iter().map(|(_, c)| c).collect()
    }
}

/// The words of a text, as the counter reads them (letters and digits,
/// with hyphens and apostrophes inside: "sign-on" is one word), each with
/// whether it starts a sentence or line.
fn words(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut sentence_start = true;
    let mut start: Option<usize> = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(i, c)| {
            if c.is_alphanumeric() || matches!(c, '\'' | '’' | '-') {
                start.get_or_insert(i);
                return None;
            }
            let word = start.take().map(|s| text[s..i].trim_matches('-'));
            let first = sentence_start;
            let boundary = matches!(c, '.' | '!' | '?' | '\n' | ':' | ';' | '"' | '(');
            match word {
                Some(w) if !w.is_empty() => {
                    sentence_start = boundary;
                    Some((w, first))
                }
                _ => {
                    sentence_start |= boundary;
                    None
                }
            }
        })
}

/// A one-line TOML basic string: quotes, backslashes and control
/// characters escaped.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text safe to put in a TOML comment: one line, no control characters.
fn comment(s: &str) -> String {
    terminal(s)
}

/// Words before another product's name: what customers connect, move
/// to or from, or compare with.
const OTHER_PRODUCT_CUES: &[&str] = &[
    "with", "to", "into", "from", "via", "than", "vs", "versus", "like", "onto",
];

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One `[[sources]]` entry to write.
#[derive(Debug, Clone, Default)]
pub struct SourceDraft {
    /// As written in roadmap.toml: relative to its folder where possible.
    pub path: String,
    pub preset: Option<String>,
    /// Whether the preset was detected from the headers (not given).
    pub detected: bool,
    pub format: String,
    /// How the columns were mapped (`ColumnMap::describe`).
    pub columns: String,
    /// Text columns chosen by init because no header said "text".
    pub guessed_text: Option<String>,
    pub items: u64,
    pub rejected: u64,
    pub duplicates: u64,
    /// Set when the export's numeric dates show day-first order
    /// (`14/03/2026`): written as the source's `date_order`.
    pub day_first_dates: bool,
}

/// Everything `init` learned, ready to be written.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub product: String,
    /// Where the name came from when `--product` did not give it; the
    /// roadmap says so in a comment.
    pub product_guess: Option<NameGuess>,
    pub sources: Vec<SourceDraft>,
    /// The plan or segment column personas are taken from when there is
    /// no persona column.
    pub plan_column: Option<String>,
    /// Its values, most frequent first, with their item counts.
    pub segments: Vec<(String, u64)>,
    /// The export's own persona column, which personas are taken from
    /// first: it says who is speaking, where a plan only says what they pay.
    pub persona_column: Option<String>,
    /// Its values, lower case, most frequent first, with their item counts.
    pub persona_values: Vec<(String, u64)>,
    pub candidates: Vec<Candidate>,
    pub items: u64,
}

/// Where a product name that was not given came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameGuess {
    /// The capitalized word customers write most, with the items that use it.
    Feedback(u64),
    /// The name of the folder the roadmap is written to; `current` when it
    /// is printed (`-o -`), so that the folder is the working one.
    Folder { current: bool },
    /// No folder name could be had (the root folder): a placeholder.
    Placeholder,
}

/// How many plan values become personas.
pub const MAX_PERSONAS: usize = 6;

/// How many values of a persona column become personas. The column is the
/// export's own list of personas, so more of it is kept than of a plan
/// column; past a dozen values it is more likely free text than a list.
pub const MAX_COLUMN_PERSONAS: usize = 12;

/// One `[[personas]]` entry to write.
#[derive(Debug, Clone, PartialEq)]
struct PersonaDraft {
    id: String,
    name: String,
    items: u64,
    /// The plan value it matches; none for a persona column's value, which
    /// names the persona by its id or name.
    plan: Option<String>,
}

/// Where the personas come from.
enum PersonaOrigin<'a> {
    /// The persona column of this header; `left_out` values past the cap.
    Column {
        header: &'a str,
        left_out: usize,
    },
    /// The plan column of this header.
    Plan(&'a str),
    None,
}

impl Draft {
    /// The personas the roadmap gets: one per value of the persona column
    /// when an export has one, else one per plan value.
    pub fn persona_count(&self) -> usize {
        self.personas().0.len()
    }

    fn personas(&self) -> (Vec<PersonaDraft>, PersonaOrigin<'_>) {
        // A value no id can be made of (`-`, `?`) is a placeholder, and
        // `unknown` is the reports' own id for no persona.
        let column_values: Vec<&(String, u64)> = self
            .persona_values
            .iter()
            .filter(|(v, _)| slug(v).is_some_and(|id| id != "unknown"))
            .collect();
        let (values, max, origin) = match (&self.persona_column, &self.plan_column) {
            (Some(header), _) if !column_values.is_empty() => {
                let left_out = column_values.len().saturating_sub(MAX_COLUMN_PERSONAS);
                (
                    column_values,
                    MAX_COLUMN_PERSONAS,
                    PersonaOrigin::Column { header, left_out },
                )
            }
            (_, Some(header)) if !self.segments.is_empty() => (
                self.segments.iter().collect(),
                MAX_PERSONAS,
                PersonaOrigin::Plan(header),
            ),
            _ => return (Vec::new(), PersonaOrigin::None),
        };
        let by_column = matches!(origin, PersonaOrigin::Column { .. });
        let mut personas: Vec<PersonaDraft> = Vec::new();
        for (i, (value, items)) in values.into_iter().take(max).enumerate() {
            // A column value that is an earlier persona's id (`team-lead`
            // after `Team lead`) is tagged with that persona: count it there.
            if let Some(p) = personas.iter_mut().find(|p| by_column && p.id == *value) {
                p.items += items;
                continue;
            }
            let prefix = if by_column { "persona" } else { "segment" };
            let mut id = slug(value).unwrap_or_else(|| format!("{prefix}-{}", i + 1));
            if personas.iter().any(|p| p.id == id) {
                id = format!("{id}-{}", i + 1);
            }
            // Tagging compares the value with the name in lower case, so
            // the name must read back as the value.
            let name = Some(capitalize(value))
                .filter(|n| !by_column || n.to_lowercase() == *value)
                .unwrap_or_else(|| value.clone());
            personas.push(PersonaDraft {
                id,
                name,
                items: *items,
                plan: (!by_column).then(|| value.clone()),
            });
        }
        (personas, origin)
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        let mut line = |l: &str| {
            s.push_str(l);
            s.push('\n');
        };
        let files = self.sources.len();
        if files == 0 {
            line("# roadmap.toml, written by `painmap init`.");
        } else {
            line(&format!(
                "# roadmap.toml, written by `painmap init` from {} ({}).",
                count(files, "export"),
                count(self.items, "item")
            ));
        }
        line("# Edit it, then run `painmap check` to lint it against the feedback and");
        line("# `painmap rank` to rank it.");
        line("");
        line("[product]");
        line(&format!("name = {}", toml_string(&self.product)));
        match self.product_guess {
            Some(NameGuess::Feedback(items)) => {
                line(&format!(
                    "# The name is a guess: the capitalized word customers write most ({}).",
                    count(items, "item")
                ));
                line(
                    "# It is left out of the candidate features below; if it is not the product's",
                );
                line("# name, change it here and run init again with --product NAME.");
            }
            Some(NameGuess::Folder { current }) => {
                let folder = if current {
                    "the current folder"
                } else {
                    "the folder this file is in"
                };
                line(&format!(
                    "# The name is a guess: the name of {folder}, as no word stood out"
                ));
                line("# in the feedback. Change it here, or run init again with --product NAME.");
            }
            Some(NameGuess::Placeholder) => {
                line("# A placeholder: no word stood out in the feedback. Change it here, or run");
                line("# init again with --product NAME.");
            }
            None => {}
        }
        line("");
        line("[scoring]");
        line("model = \"pain-value\"   # pain-value | rice");
        line("half_life_days = 90    # an item loses half its weight every 90 days");
        line("window_days = 365      # items older than this are ignored (0 keeps all)");
        line("");
        line("[check]");
        line("max_unlinked_share = 0.5   # painmap check fails when more items link to no feature");
        line("");
        line("# Journey stages, in journey order, with starter keywords.");
        for (id, name, keywords) in DEFAULT_STAGES {
            line("[[stages]]");
            line(&format!("id = {}", toml_string(id)));
            line(&format!("name = {}", toml_string(name)));
            let k: Vec<String> = keywords.iter().map(|k| toml_string(k)).collect();
            line(&format!("keywords = [{}]", k.join(", ")));
            line("");
        }

        let (personas, origin) = self.personas();
        match origin {
            PersonaOrigin::Column { header, left_out } => {
                line(&format!(
                    "# Personas from the {} column: an item whose value there is a persona's id",
                    toml_string(&comment(header))
                ));
                line("# or name gets that persona. Add keywords (\"as an admin\") for the items");
                line("# with no value.");
                if left_out > 0 {
                    line(&format!(
                        "# The column's {}, the rarest, have none; `painmap check` lists them.",
                        count(left_out as u64, "other value")
                    ));
                }
            }
            PersonaOrigin::Plan(header) => {
                line(&format!(
                    "# Personas from the {} column: an item whose plan matches gets the persona.",
                    toml_string(&comment(header))
                ));
                line("# Add keywords (\"as an admin\") for what people say about themselves.");
            }
            PersonaOrigin::None => {}
        }
        for p in &personas {
            line(&format!("[[personas]]   # {}", count(p.items, "item")));
            line(&format!("id = {}", toml_string(&p.id)));
            line(&format!("name = {}", toml_string(&p.name)));
            if let Some(plan) = &p.plan {
                line(&format!("match = {{ plan = [{}] }}", toml_string(plan)));
            }
            line("");
        }
        match origin {
            PersonaOrigin::Column { .. } | PersonaOrigin::Plan(_) => {}
            PersonaOrigin::None => {
                line(
                    "# No persona, plan or segment column was found, so there are no personas yet.",
                );
                line("# A persona is who is speaking; for example:");
                line("# [[personas]]");
                line("# id = \"admin\"");
                line("# name = \"Workspace admin\"");
                line("# keywords = [\"as an admin\", \"our it team\"]");
                line("");
            }
        }

        line("# Candidate features: the most frequent distinctive phrases in the feedback,");
        line("# with the number of items that use them. The first is switched on so that");
        line("# painmap rank has something to rank. Uncomment the real features, merge");
        line("# synonyms into one feature's keywords, and set effort in person-months.");
        let mut used = HashSet::new();
        let mut wrote_active = false;
        for c in &self.candidates {
            let Some(id) = slug(&c.phrase) else { continue };
            if !used.insert(id.clone()) {
                continue;
            }
            let share = if self.items == 0 {
                0.0
            } else {
                100.0 * c.items as f64 / self.items as f64
            };
            let prefix = if wrote_active { "# " } else { "" };
            line("");
            line(&format!(
                "{prefix}[[features]]   # {:?}: {} ({share:.1}%)",
                comment(&c.phrase),
                count(c.items, "item")
            ));
            line(&format!("{prefix}id = {}", toml_string(&id)));
            line(&format!(
                "{prefix}title = {}",
                toml_string(&capitalize(&c.phrase))
            ));
            line(&format!("{prefix}keywords = [{}]", toml_string(&c.phrase)));
            line(&format!("{prefix}effort = 1"));
            wrote_active = true;
        }
        if !wrote_active {
            line("");
            line("# The feedback had no phrase frequent enough to propose; an example:");
            line("[[features]]");
            line("id = \"example\"");
            line("title = \"An example feature: rename and describe it\"");
            line("keywords = [\"example feature\"]");
            line("effort = 1");
        }

        if !self.sources.is_empty() {
            line("");
            line("# The exports painmap reads when it is given no files. Paths are relative");
            line("# to this file.");
        }
        for src in &self.sources {
            line("[[sources]]");
            line(&format!("path = {}", toml_string(&src.path)));
            if let Some(p) = &src.preset {
                let how = if src.detected {
                    "detected from the headers"
                } else {
                    "given with --preset"
                };
                line(&format!("preset = {}   # {how}", toml_string(p)));
            }
            if src.day_first_dates {
                line("date_order = \"day-first\"   # its dates write the day first (14/03/2026)");
            }
            let duplicates = if src.duplicates > 0 {
                format!(", {}", count(src.duplicates, "duplicate"))
            } else {
                String::new()
            };
            line(&format!(
                "# {}: {}, {} rejected{duplicates}; columns: {}",
                comment(&src.format),
                count(src.items, "item"),
                src.rejected,
                comment(&src.columns)
            ));
            if let Some(text) = &src.guessed_text {
                line("[sources.columns]");
                line(&format!(
                    "text = {}   # guessed: the column with the longest values",
                    toml_string(text)
                ));
            }
            line("");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::Roadmap;
    use std::path::Path;

    fn counter(texts: &[&str]) -> PhraseCounter {
        let mut c = PhraseCounter::new();
        for t in texts {
            c.add(t);
        }
        c
    }

    #[test]
    fn pairs_win_over_the_words_they_explain() {
        let c = counter(&[
            "Please add a dark mode, my eyes hurt",
            "dark mode when?",
            "Dark mode would be lovely. Also the export is slow",
            "the export to Excel breaks",
            "export fails again",
            "dark corners of the settings",
        ]);
        let got = c.candidates(20);
        let got: Vec<(&str, u64)> = got.iter().map(|c| (c.phrase.as_str(), c.items)).collect();
        assert_eq!(got, [("dark mode", 3), ("export", 3)]);
    }

    #[test]
    fn spellings_merge_and_chains_of_pairs_drop() {
        let c = counter(&[
            "Okta single sign-on, please",
            "SAML single sign-on for our notes",
            "single sign-on is a must",
            "Okta single sign-on blocks us. My notes vanish",
            "lost a note",
        ]);
        let got = c.candidates(20);
        let got: Vec<(&str, u64)> = got.iter().map(|c| (c.phrase.as_str(), c.items)).collect();
        assert_eq!(got, [("single sign-on", 4), ("notes", 3), ("okta", 2)]);
    }

    #[test]
    fn counts_each_item_once_and_skips_stop_words() {
        let c = counter(&["sso sso sso", "SSO please", "thanks thanks", "the the"]);
        assert_eq!(
            c.candidates(20),
            [Candidate {
                phrase: "sso".into(),
                items: 2
            }]
        );
        assert_eq!(c.items(), 4);
    }

    #[test]
    fn words_stem_as_the_tagger_stems_them() {
        // Snowball alone folds "hardly" into "hard": the two must stay
        // apart here too, as they do in the tagger's keywords.
        let c = counter(&[
            "hard drive full",
            "hard reset",
            "hard limit",
            "hardly loads",
            "hardly responds",
        ]);
        let got = c.candidates(20);
        let got: Vec<(&str, u64)> = got.iter().map(|c| (c.phrase.as_str(), c.items)).collect();
        assert_eq!(got, [("hard", 3), ("hardly", 2)]);
    }

    #[test]
    fn the_product_name_is_guessed_and_left_out() {
        let c = counter(&[
            "Pinwheel keeps losing my boards.",
            "Love Pinwheel, but the boards are slow",
            "Why does Pinwheel log me out? Boards vanish",
            "pinwheel boards are great",
            "Exported from Pinwheel to Slack",
            "I wish Pinwheel had a dark mode",
            "Tried Pinwheel for a week",
            "our team moved boards into Pinwheel",
        ]);
        assert_eq!(c.product_guess(), Some(("Pinwheel".into(), 8)));
        let mut c = c;
        c.exclude_product("Pinwheel");
        let got = c.candidates(20);
        assert!(
            !got.iter().any(|x| x.phrase.contains("pinwheel")),
            "{got:?}"
        );
        assert!(got.iter().any(|x| x.phrase == "boards"), "{got:?}");
        // Words that start sentences, or are written in lower case as often
        // as not, are not names.
        let c = counter(&[
            "Boards are slow.",
            "Boards vanish. Boards again",
            "boards boards",
            "the boards",
            "my boards",
            "Boards!",
        ]);
        assert_eq!(c.product_guess(), None);
        // Slack comes up in more items than the product, but as what
        // customers connect it with.
        let c = counter(&[
            "Please integrate with Slack, then Pinwheel would be perfect",
            "Posting boards to Slack fails",
            "We sync cards with Slack daily",
            "the link with Slack broke and Pinwheel support helped",
            "alerts into Slack are late",
            "We love Pinwheel",
            "our boards in Pinwheel are slow with Slack on",
            "Notes from Slack vanish",
            "I use Pinwheel every day",
            "we picked Pinwheel last year",
        ]);
        assert_eq!(c.product_guess(), Some(("Pinwheel".into(), 6)));
    }

    #[test]
    fn a_word_is_left_to_the_pair_that_explains_it_even_when_more_frequent() {
        let c = counter(&[
            "dark mode please",
            "dark mode at night",
            "dark mode for my eyes",
            "offline mode",
            "mode",
        ]);
        let got: Vec<String> = c.candidates(20).into_iter().map(|c| c.phrase).collect();
        assert_eq!(got, ["dark mode"]);
    }

    #[test]
    fn caps_the_number_of_candidates() {
        let texts: Vec<String> = (0..30)
            .map(|i| format!("word{i} word{i} alpha{i}"))
            .collect();
        let mut c = PhraseCounter::new();
        for t in texts.iter().chain(&texts) {
            c.add(t);
        }
        assert_eq!(c.candidates(20).len(), 20);
    }

    #[test]
    fn slugs_and_strings() {
        assert_eq!(slug("Dark mode!").as_deref(), Some("dark-mode"));
        assert_eq!(slug("  --SSO/SAML-- ").as_deref(), Some("sso-saml"));
        // Other scripts are spelled in ASCII, as the roadmap's ids must be.
        assert_eq!(slug("Übersicht").as_deref(), Some("ubersicht"));
        assert_eq!(slug("Größere Schrift").as_deref(), Some("grossere-schrift"));
        assert_eq!(slug("cobrança").as_deref(), Some("cobranca"));
        assert_eq!(slug("日本").as_deref(), Some("ri-ben"));
        assert_eq!(slug("!!! ??"), None);
        assert_eq!(toml_string("a \"b\"\n"), "\"a \\\"b\\\"\\n\"");
    }

    proptest::proptest! {
        #[test]
        fn toml_strings_read_back_as_written(s in "\\PC*|[\"\\\\\n\t\u{0}-\u{1f}\u{7f}-\u{9f}]{0,8}") {
            let quoted = toml_string(&s);
            proptest::prop_assert!(!quoted.contains('\n'));
            let table: toml::Table = toml::from_str(&format!("k = {quoted}")).unwrap();
            proptest::prop_assert_eq!(table["k"].as_str(), Some(s.as_str()));
        }
    }

    #[test]
    fn the_draft_is_a_valid_roadmap() {
        let draft = Draft {
            product: "Acme \"Boards\"".into(),
            product_guess: Some(NameGuess::Feedback(9)),
            sources: vec![SourceDraft {
                path: "exports/survey.csv".into(),
                preset: None,
                detected: false,
                format: "csv".into(),
                columns: "text=Answer\nmore".into(),
                guessed_text: Some("What should we build?".into()),
                items: 12,
                rejected: 0,
                duplicates: 0,
                day_first_dates: true,
            }],
            plan_column: Some("Plan".into()),
            segments: vec![("enterprise".into(), 7), ("Free tier".into(), 5)],
            persona_column: None,
            persona_values: Vec::new(),
            candidates: vec![
                Candidate {
                    phrase: "dark mode".into(),
                    items: 4,
                },
                Candidate {
                    phrase: "export".into(),
                    items: 3,
                },
            ],
            items: 12,
        };
        let text = draft.render();
        let r = Roadmap::parse(Path::new("roadmap.toml"), &text).unwrap();
        assert_eq!(r.product, "Acme \"Boards\"");
        assert_eq!(r.stages.len(), DEFAULT_STAGES.len());
        let personas: Vec<&str> = r.personas.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(personas, ["enterprise", "free-tier"]);
        assert_eq!(
            r.personas[1].rules,
            [("plan".to_string(), vec!["free tier".to_string()])]
        );
        assert_eq!(
            r.features.len(),
            1,
            "only the first candidate is switched on"
        );
        assert_eq!(r.features[0].keywords, ["dark mode"]);
        assert!(text.contains("# [[features]]   # \"export\": 3 items (25.0%)"));
        assert_eq!(r.sources.len(), 1);
        assert_eq!(
            r.sources[0].columns.text.as_ref().map(|t| t.to_vec()),
            Some(vec!["What should we build?".to_string()])
        );
        assert!(text.contains("columns: text=Answer more"), "{text}");
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    /// An export's own persona column gave no personas (init wrote "no
    /// personas yet", and the first `check` flagged every value); now each
    /// value is a persona, named so that tagging finds it, before the plan.
    #[test]
    fn personas_come_from_the_persona_column_before_the_plan() {
        let mut values: Vec<(String, u64)> = ["admin", "team lead", "team-lead", "-", "unknown"]
            .iter()
            .map(|v| (v.to_string(), 3))
            .collect();
        values.extend((1..=12).map(|i| (format!("role {i}"), 1)));
        let draft = Draft {
            plan_column: Some("Plan".into()),
            segments: vec![("pro".into(), 4)],
            persona_column: Some("Persona".into()),
            persona_values: values,
            ..Draft::default()
        };
        let text = draft.render();
        let r = Roadmap::parse(Path::new("roadmap.toml"), &text).unwrap();
        // `team-lead` is the id `team lead` was given, so it counts there.
        assert_eq!(draft.persona_count(), MAX_COLUMN_PERSONAS - 1);
        let ids: Vec<&str> = r.personas.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids[..3], ["admin", "team-lead", "role-1"]);
        assert_eq!(ids.len(), MAX_COLUMN_PERSONAS - 1);
        assert!(text.contains("[[personas]]   # 6 items\nid = \"team-lead\""));
        // The tagger's explicit match: the value is the id or the name.
        for value in ["admin", "team lead", "team-lead", "role 1", "role 9"] {
            let hits = r
                .personas
                .iter()
                .filter(|p| p.id == value || p.name.to_lowercase() == value)
                .count();
            assert_eq!(hits, 1, "{value}");
        }
        assert!(r.personas.iter().all(|p| p.rules.is_empty()));
        assert!(
            text.contains("# The column's 3 other values, the rarest, have none"),
            "{text}"
        );
        assert!(!text.contains("match = { plan"), "{text}");

        // With no persona value worth a persona, the plan still gives them.
        let draft = Draft {
            persona_values: vec![("unknown".into(), 9)],
            ..draft
        };
        let r = Roadmap::parse(Path::new("roadmap.toml"), &draft.render()).unwrap();
        assert_eq!(r.personas.len(), 1);
        assert_eq!(
            r.personas[0].rules,
            [("plan".to_string(), vec!["pro".to_string()])]
        );
    }

    #[test]
    fn an_empty_draft_still_loads() {
        let text = Draft::default().render();
        let r = Roadmap::parse(Path::new("roadmap.toml"), &text).unwrap();
        assert_eq!(r.features[0].id, "example");
        assert!(r.personas.is_empty() && r.sources.is_empty());
    }
}
