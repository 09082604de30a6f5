//! The cue evidence of one item: the built-in cue phrases found in it,
//! weighed, minus the negated, the hypothetical, the fixed since and set
//! phrases such as template boilerplate.
//!
//! It lives apart from the tagger because `build.rs` computes the same
//! evidence for the kind model's training data: the model's cue features
//! must be the ones the tagger computes at run time, so both call this code.

use std::collections::HashMap;

use crate::text::cues::{
    all_cues, Asks, Cue, CueDef, KindScores, NEGATION_REACH, RESOLVED_REACH, SUBJECT_WEIGHT,
};
use crate::text::matcher::Span;
use crate::text::normalize::{Normalized, Normalizer};

/// Every built-in cue with its normalized pattern: cue phrases that
/// normalize alike ("fails", "failed") are one cue, with the higher weight.
/// The order is that of [`all_cues`], so it is the same in every build.
pub fn cue_patterns(normalizer: &Normalizer) -> Vec<(String, CueDef)> {
    let mut out: Vec<(String, CueDef)> = Vec::new();
    let mut seen: HashMap<(String, Cue, bool), usize> = HashMap::new();
    for def in all_cues() {
        let Some(pattern) = normalizer.phrase(&def.phrase) else {
            continue;
        };
        match seen.entry((pattern.clone(), def.cue, def.opener)) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let kept = &mut out[*e.get()].1;
                kept.weight = kept.weight.max(def.weight);
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(out.len());
                out.push((pattern, def));
            }
        }
    }
    out
}

/// The cue hits of one item, as the automaton reports them. Reused from
/// item to item.
#[derive(Debug, Default, Clone)]
pub struct CueHits {
    /// Kind and severity cues: index into the cue list, and where.
    pub cues: Vec<(u16, Span)>,
    pub negators: Vec<u32>,
    pub conditionals: Vec<u32>,
    pub boilerplate: Vec<Span>,
    pub resolved: Vec<Span>,
    /// The non-opener cues by where they start, with their kind: a buffer
    /// for [`score`].
    by_start: Vec<(Span, Cue)>,
}

impl CueHits {
    pub fn clear(&mut self) {
        self.cues.clear();
        self.negators.clear();
        self.conditionals.clear();
        self.boilerplate.clear();
        self.resolved.clear();
        self.by_start.clear();
    }

    /// Notes a hit of cue `c`. All-clear markers concern links, not kinds:
    /// they are the caller's and are ignored here. Hits from token
    /// [`MAX_CUE_TOKENS`] on are ignored too.
    pub fn push(&mut self, defs: &[CueDef], c: u16, span: Span) {
        if span.token >= MAX_CUE_TOKENS {
            return;
        }
        match defs[c as usize].cue {
            Cue::Negator => self.negators.push(span.token),
            Cue::Boilerplate => self.boilerplate.push(span),
            Cue::Resolved => self.resolved.push(span),
            Cue::Conditional => self.conditionals.push(span.token),
            Cue::AllClear | Cue::AllClearAfter => {}
            _ => self.cues.push((c, span)),
        }
    }
}

/// Cues, negations and conditions from this token on are not read. Each
/// cue is checked against the others, and a fix against the negations
/// ([`score`]), so the work grows with the product of their counts: one
/// 1 MB ticket of "cancel cancel …" took four minutes. Within this many
/// tokens the lists share the budget, so the worst text costs
/// milliseconds; and the kind of a text is decided long before (the kind
/// model reads the first [`crate::text::features::MAX_TOKENS`]).
pub const MAX_CUE_TOKENS: u32 = 4_000;

/// One cue as [`score`] weighed it, for explanations.
#[derive(Debug, Clone, Copy)]
pub struct Weighed {
    pub cue: u16,
    pub span: Span,
    /// The cue's weight, doubled in a subject line.
    pub weight: f32,
    /// Why it did not count, when it did not.
    pub reason: Option<&'static str>,
}

/// Weighs the cue hits into evidence per kind. Each phrase counts once in
/// the subject line and once in the rest, so a stack trace of forty "error"
/// lines does not drown the one sentence that asks how. `seen` is called
/// for every cue considered, counted or not.
pub fn score(
    defs: &[CueDef],
    norm: &Normalized,
    hits: &mut CueHits,
    mut seen: impl FnMut(Weighed),
) -> KindScores {
    let mut scores = KindScores::default();
    let CueHits {
        cues,
        negators,
        conditionals,
        boilerplate,
        resolved,
        by_start,
    } = hits;
    cues.sort_unstable_by_key(|&(c, span)| (c, !norm.in_first_line(span.token), span.token));
    // Every check below looks near a cue in lists sorted by position, so
    // that a text dense with cues costs n log n, not the square of n (one
    // 1 MB ticket of "cancel cancel …" had taken four minutes). They
    // arrive in the order the automaton ends them, nearly sorted.
    negators.sort_unstable();
    conditionals.sort_unstable();
    boilerplate.sort_unstable_by_key(|s| (s.token, s.len));
    resolved.sort_unstable_by_key(|s| (s.token, s.len));
    by_start.clear();
    by_start.extend(
        cues.iter()
            .filter(|(c, _)| !defs[*c as usize].opener)
            .map(|&(c, span)| (span, defs[c as usize].cue)),
    );
    // A short list is scanned whole (see `around`): most items have a few
    // cues, and sorting them cost 2% of a ranking's instructions.
    if by_start.len() > SCAN_WHOLE {
        by_start.sort_unstable_by_key(|(s, _)| (s.token, s.len));
    }
    let longest = |lens: &mut dyn Iterator<Item = u32>| lens.max().unwrap_or(0);
    let cue_reach = longest(&mut by_start.iter().map(|(s, _)| s.len));
    let boilerplate_reach = longest(&mut boilerplate.iter().map(|s| s.len));
    let resolved_reach = longest(&mut resolved.iter().map(|s| s.len));
    // The "was fixed" markers that say a fault is over: neither negated
    // nor a wish. Worked out once, not for every fault cue.
    let settling: Vec<Span> = resolved
        .iter()
        .copied()
        .filter(|&r| !negated(norm, negators, r) && !wished(norm, r))
        .collect();
    let mut last: Option<(u16, bool)> = None;
    for &(c, span) in cues.iter() {
        let CueDef {
            cue,
            weight,
            opener,
            ..
        } = defs[c as usize];
        if opener && span.token != 0 {
            continue;
        }
        // "does not work" counts once, not also as "not work".
        let inside_longer = !opener
            && around(by_start, cue_reach, span, |s| s.0)
                .iter()
                .any(|&(s2, other)| other == cue && s2.len > span.len && s2.contains(span));
        // "has not been fixed": a fix denied is a fault still open, and
        // says so as plainly as "is broken" does.
        let denied_fix = cue == Cue::Bug
            && around(resolved, resolved_reach, span, |s| *s)
                .iter()
                .any(|r| r.contains(span))
            && negated(norm, negators, span);
        let subject = norm.in_first_line(span.token);
        // An opener and a cue of the same kind on the same first words
        // ("Fix the crash": the opener "fix" and the cue "fix") count once.
        let under_opener = !opener
            && span.token == 0
            && cues.iter().any(|&(c2, s2)| {
                let other = &defs[c2 as usize];
                other.cue == cue && other.opener && s2.token == 0 && s2.contains(span)
            });
        let reason = if inside_longer {
            Some("part of a longer cue")
        } else if under_opener {
            Some("counted as the opener")
        } else if around(boilerplate, boilerplate_reach, span, |s| *s)
            .iter()
            .any(|b| b.contains(span))
        {
            Some("part of a set phrase")
        } else if matches!(cue, Cue::Bug | Cue::Severity) && settled(norm, &settling, span) {
            Some(FIXED_SINCE)
        } else if cue.negatable() && negated(norm, negators, span) && !denied_fix {
            Some("negated")
        } else if cue.hypothetical()
            && hypothetical(norm, conditionals, span)
            && !(cue == Cue::Churn && threat_after_condition(conditionals, span))
        {
            Some(HYPOTHETICAL)
        } else if last == Some((c, subject)) {
            Some("counted once")
        } else {
            None
        };
        let weight = if denied_fix {
            weight.max(DENIED_FIX)
        } else {
            weight
        };
        let weight = f32::from(weight) * if subject { SUBJECT_WEIGHT } else { 1.0 };
        match reason {
            None => {
                scores.add(cue, weight);
                last = Some((c, subject));
            }
            Some(FIXED_SINCE) if cue == Cue::Bug => scores.settled += 1,
            Some(_) => {}
        }
        seen(Weighed {
            cue: c,
            span,
            weight,
            reason,
        });
    }
    scores
}

/// Lists of at most this many entries are scanned whole by [`around`].
const SCAN_WHOLE: usize = 32;

/// The entries of `sorted` (by start token, as `start` reads it) that
/// start from `reach` tokens before `span` to its first token: every one
/// that can contain `span`, when none is longer than `reach` tokens; or
/// all of a list of at most [`SCAN_WHOLE`], sorted or not.
fn around<T>(sorted: &[T], reach: u32, span: Span, start: impl Fn(&T) -> Span) -> &[T] {
    // Scanning a short list whole is cheaper than searching it, and it
    // need not be sorted: the caller checks each entry anyway.
    if sorted.len() <= SCAN_WHOLE {
        return sorted;
    }
    let from = span.token.saturating_sub(reach);
    let lo = sorted.partition_point(|x| start(x).token < from);
    let hi = sorted.partition_point(|x| start(x).token <= span.token);
    &sorted[lo..hi.max(lo)]
}

/// The weight of a fix denied ("has not been fixed", "still isn't
/// fixed"): that of a plain fault cue such as "broken".
const DENIED_FIX: u8 = 3;

/// Why a cue inside a condition ("if", "in case") does not count.
pub const HYPOTHETICAL: &str = "hypothetical";

/// Why a fault cue that a "was fixed" settled does not count.
pub const FIXED_SINCE: &str = "fixed since";

/// Whether a fault cue is settled by a "was fixed": one in the cue's own
/// clause ("the crash on export was fixed in the last update"), or one
/// that starts at most [`RESOLVED_REACH`] tokens after the cue in the next
/// clause, of the same sentence ("it crashed, but that was fixed") or of
/// the next when that opens by pointing back ("Sync kept failing. It was
/// resolved."). `settling` holds the markers that are neither negated
/// ("has not been fixed") nor a wish ("should have been fixed").
fn settled(norm: &Normalized, settling: &[Span], cue: Span) -> bool {
    // `settling` is sorted by token, and clauses are runs of tokens: only
    // the markers from the cue's clause to RESOLVED_REACH after the cue
    // can settle it.
    let clause = norm.clause(cue.token);
    let clause_start = match clause {
        0 => 0,
        c => norm.breaks[c - 1],
    };
    let from = settling.partition_point(|r| r.token < clause_start);
    settling[from..].iter().any(|&r| {
        let marker = norm.clause(r.token);
        marker == clause
            || (marker == clause + 1
                && r.token.saturating_sub(cue.token) <= RESOLVED_REACH
                && (norm.sentence(r.token) == norm.sentence(cue.token)
                    || points_back(norm, r.token)))
    })
}

/// Whether a modal stands within three tokens before the "was fixed"
/// marker `r`, in its clause: "should have been fixed".
fn wished(norm: &Normalized, r: Span) -> bool {
    (r.token.saturating_sub(3)..r.token)
        .any(|t| norm.clause(t) == norm.clause(r.token) && MODALS.contains(&norm.token(t as usize)))
}

/// Whether the clause of token `t` opens, within two tokens before `t`,
/// with a word that points back ("it", "that", "this", "which", "they").
fn points_back(norm: &Normalized, t: u32) -> bool {
    let start = norm.breaks[..norm.clause(t)].last().copied().unwrap_or(0);
    t - start <= 2 && ["it", "that", "this", "which", "they"].contains(&norm.token(start as usize))
}

/// Words that make a "was fixed" after them a wish or a guess. Stems.
const MODALS: &[&str] = &["should", "would", "could", "must", "might", "hope", "need"];

/// Whether a negation stands within reach before the cue, in its clause.
/// `negators` is sorted.
pub fn negated(norm: &Normalized, negators: &[u32], cue: Span) -> bool {
    let from = negators.partition_point(|&n| n + NEGATION_REACH < cue.token);
    negators[from..]
        .iter()
        .take_while(|&&n| n < cue.token)
        .any(|&n| norm.clause(n) == norm.clause(cue.token))
}

/// Whether the cue is inside a clause opened by "if", "unless", "in case".
/// `conditionals` is sorted; clauses are runs of tokens, so the last
/// condition before the cue is in its clause when any is.
pub fn hypothetical(norm: &Normalized, conditionals: &[u32], cue: Span) -> bool {
    last_before(conditionals, cue).is_some_and(|c| norm.clause(c) == norm.clause(cue.token))
}

/// The last of the sorted `tokens` before the cue.
fn last_before(tokens: &[u32], cue: Span) -> Option<u32> {
    let i = tokens.partition_point(|&t| t < cue.token);
    i.checked_sub(1).map(|i| tokens[i])
}

/// Whether a churn cue stands too far after its condition to be part of
/// it: "if we cancel" is a hypothetical, "if the export breaks again we
/// will cancel" a threat whose condition lost its comma. The nearest
/// condition must be more than [`CONDITION_REACH`] tokens before the cue.
fn threat_after_condition(conditionals: &[u32], cue: Span) -> bool {
    last_before(conditionals, cue).is_none_or(|c| cue.token - c > CONDITION_REACH)
}

/// How many tokens after "if" a churn cue still belongs to the condition
/// ("if we decide to cancel").
const CONDITION_REACH: u32 = 4;

/// What the question marks of a text say.
pub fn asks(text: &str) -> Asks {
    // Most texts ask nothing, and then one search for a question mark
    // answers everything: each answer below needs one.
    if !text.as_bytes().contains(&b'?') {
        return Asks::default();
    }
    let first = text
        .trim_start()
        .split('\n')
        .next()
        .unwrap_or_default()
        .trim_end();
    Asks {
        in_subject: first.ends_with('?'),
        anywhere: text.contains('?'),
        count: questions(text),
    }
}

/// How many questions a text asks: question marks followed by white space
/// or the end (so "?!" and "a?b" in code count once or not at all).
fn questions(text: &str) -> u16 {
    let b = text.as_bytes();
    let n = b
        .iter()
        .enumerate()
        .filter(|&(i, &c)| c == b'?' && b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()))
        .count();
    n.min(usize::from(u16::MAX)) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text's normalized tokens and clauses.
    fn normalized(text: &str) -> Normalized {
        let mut norm = Normalized::default();
        Normalizer::new().normalize_into(text, &mut norm);
        norm
    }

    fn span(token: u32, len: u32) -> Span {
        Span { token, len }
    }

    proptest::proptest! {
        /// The windowed checks answer as a scan of the whole list does.
        #[test]
        fn windowed_checks_agree_with_whole_scans(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["a", "b", "if", "not", ",", "."]),
                1..60,
            ),
            marks in proptest::collection::vec(0u32..60, 0..12),
            // Past SCAN_WHOLE, so that the search is tried as well as the scan.
            spans in proptest::collection::vec((0u32..60, 1u32..5), 0..80),
            cue in (0u32..60, 1u32..4),
        ) {
            let norm = normalized(&words.join(" "));
            let mut marks = marks;
            marks.sort_unstable();
            let cue = span(cue.0, cue.1);
            let same_clause = |t: u32| norm.clause(t) == norm.clause(cue.token);
            let naive_negated = marks
                .iter()
                .any(|&n| n < cue.token && cue.token - n <= NEGATION_REACH && same_clause(n));
            proptest::prop_assert_eq!(negated(&norm, &marks, cue), naive_negated);
            let naive_hypothetical = marks.iter().any(|&c| c < cue.token && same_clause(c));
            proptest::prop_assert_eq!(hypothetical(&norm, &marks, cue), naive_hypothetical);
            let naive_threat = marks
                .iter()
                .filter(|&&c| c < cue.token)
                .all(|&c| cue.token - c > CONDITION_REACH);
            proptest::prop_assert_eq!(threat_after_condition(&marks, cue), naive_threat);
            let mut spans: Vec<Span> = spans.into_iter().map(|(t, l)| span(t, l)).collect();
            spans.sort_unstable_by_key(|s| (s.token, s.len));
            let reach = spans.iter().map(|s| s.len).max().unwrap_or(0);
            proptest::prop_assert_eq!(
                around(&spans, reach, cue, |s| *s).iter().any(|s| s.contains(cue)),
                spans.iter().any(|s| s.contains(cue))
            );
        }
    }

    #[test]
    fn cues_past_the_token_budget_are_not_read() {
        let defs = all_cues();
        let bug = defs
            .iter()
            .position(|d| d.phrase == "crash" && !d.opener)
            .unwrap() as u16;
        let negator = defs.iter().position(|d| d.cue == Cue::Negator).unwrap() as u16;
        let mut hits = CueHits::default();
        hits.push(&defs, bug, span(MAX_CUE_TOKENS - 1, 1));
        hits.push(&defs, bug, span(MAX_CUE_TOKENS, 1));
        hits.push(&defs, negator, span(MAX_CUE_TOKENS + 5, 1));
        assert_eq!(hits.cues.len(), 1);
        assert!(hits.negators.is_empty());
    }

    /// A text dense with cues is weighed as a short one is: each phrase
    /// once, however often it repeats, negations and conditions as ever.
    #[test]
    fn a_text_dense_with_cues_weighs_as_a_short_one() {
        let n = Normalizer::new();
        let patterns = cue_patterns(&n);
        let defs: Vec<CueDef> = patterns.iter().map(|(_, d)| d.clone()).collect();
        let set = crate::text::matcher::PhraseSet::new(
            patterns
                .iter()
                .enumerate()
                .map(|(i, (p, _))| (p.clone(), i as u16)),
        );
        let weigh = |text: &str| {
            let mut norm = Normalized::default();
            n.normalize_into(text, &mut norm);
            let mut hits = CueHits::default();
            set.find(&norm, |&c, span| hits.push(&defs, c, span));
            score(&defs, &norm, &mut hits, |_| {})
        };
        let short = weigh("it does not crash. we will cancel. if it crashes, fine.");
        let long = weigh(&"it does not crash. we will cancel. if it crashes, fine. ".repeat(3000));
        assert_eq!(short, long);
        assert!(short.churn > 0.0, "{short:?}");
    }
}
