//! Built-in cue phrases that decide an item's kind and raise its pain.
//!
//! They are matched by the same automaton as the roadmap's phrases (one pass
//! per item), and normalized the same way, so `crash` also catches
//! "crashes" and "crashing". The rules that turn cue counts into a kind live
//! in [`decide_kind`]; they are deliberately simple so that `tag` can show
//! which cues decided.

use crate::item::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cue {
    Bug,
    Request,
    Question,
    Praise,
    Churn,
    /// Makes an item hurt more: "can't", "data loss", "blocker".
    Severity,
}

/// The cue phrases, written as a person would; they are normalized when the
/// tagger is built.
pub const CUES: &[(&str, Cue)] = &[
    // Something is broken.
    ("bug", Cue::Bug),
    ("buggy", Cue::Bug),
    ("crash", Cue::Bug),
    ("error", Cue::Bug),
    ("broken", Cue::Bug),
    ("breaks", Cue::Bug),
    ("not working", Cue::Bug),
    ("does not work", Cue::Bug),
    ("do not work", Cue::Bug),
    ("stopped working", Cue::Bug),
    ("fails", Cue::Bug),
    ("failed", Cue::Bug),
    ("failing", Cue::Bug),
    ("glitch", Cue::Bug),
    ("freezes", Cue::Bug),
    ("frozen", Cue::Bug),
    ("hangs", Cue::Bug),
    ("stuck", Cue::Bug),
    ("blank screen", Cue::Bug),
    ("white screen", Cue::Bug),
    ("times out", Cue::Bug),
    ("timed out", Cue::Bug),
    ("timeout", Cue::Bug),
    ("500", Cue::Bug),
    ("wrong", Cue::Bug),
    ("incorrect", Cue::Bug),
    ("disappeared", Cue::Bug),
    ("missing data", Cue::Bug),
    ("will not load", Cue::Bug),
    ("won't load", Cue::Bug),
    ("does not load", Cue::Bug),
    ("can not log in", Cue::Bug),
    ("keeps logging me out", Cue::Bug),
    ("regression", Cue::Bug),
    ("since the update", Cue::Bug),
    ("after the update", Cue::Bug),
    ("please fix", Cue::Bug),
    // Asking for something new.
    ("please add", Cue::Request),
    ("add", Cue::Request),
    ("would be nice", Cue::Request),
    ("would be great", Cue::Request),
    ("would love", Cue::Request),
    ("would like", Cue::Request),
    ("wish", Cue::Request),
    ("feature request", Cue::Request),
    ("we need", Cue::Request),
    ("i need", Cue::Request),
    ("need a way", Cue::Request),
    ("want to be able", Cue::Request),
    ("be able to", Cue::Request),
    ("ability to", Cue::Request),
    ("option to", Cue::Request),
    ("support for", Cue::Request),
    ("please support", Cue::Request),
    ("any plans", Cue::Request),
    ("on the roadmap", Cue::Request),
    ("missing", Cue::Request),
    ("lacks", Cue::Request),
    ("allow", Cue::Request),
    ("let us", Cue::Request),
    ("let me", Cue::Request),
    ("suggestion", Cue::Request),
    ("hoping for", Cue::Request),
    ("when will", Cue::Request),
    // Asking how.
    ("how do i", Cue::Question),
    ("how do we", Cue::Question),
    ("how can i", Cue::Question),
    ("how can we", Cue::Question),
    ("how to", Cue::Question),
    ("is there a way", Cue::Question),
    ("is it possible", Cue::Question),
    ("can i", Cue::Question),
    ("can we", Cue::Question),
    ("where do i", Cue::Question),
    ("where is", Cue::Question),
    ("what is the", Cue::Question),
    ("does pinwheel", Cue::Question),
    ("do you support", Cue::Question),
    ("quick question", Cue::Question),
    // Happy.
    ("love", Cue::Praise),
    ("great", Cue::Praise),
    ("awesome", Cue::Praise),
    ("amazing", Cue::Praise),
    ("excellent", Cue::Praise),
    ("fantastic", Cue::Praise),
    ("perfect", Cue::Praise),
    ("thank you", Cue::Praise),
    ("thanks", Cue::Praise),
    ("well done", Cue::Praise),
    ("kudos", Cue::Praise),
    ("game changer", Cue::Praise),
    ("works great", Cue::Praise),
    ("best", Cue::Praise),
    // About to leave.
    ("cancel", Cue::Churn),
    ("cancelling", Cue::Churn),
    ("canceling", Cue::Churn),
    ("cancellation", Cue::Churn),
    ("not renew", Cue::Churn),
    ("will not renew", Cue::Churn),
    ("not going to renew", Cue::Churn),
    ("switch to", Cue::Churn),
    ("switching to", Cue::Churn),
    ("moving to", Cue::Churn),
    ("move to another", Cue::Churn),
    ("looking at alternatives", Cue::Churn),
    ("looking for alternatives", Cue::Churn),
    ("evaluating alternatives", Cue::Churn),
    ("competitor", Cue::Churn),
    ("refund", Cue::Churn),
    ("churn", Cue::Churn),
    ("last straw", Cue::Churn),
    ("deal breaker", Cue::Churn),
    ("dealbreaker", Cue::Churn),
    ("leaving", Cue::Churn),
    ("downgrade", Cue::Churn),
    // Makes it hurt more.
    ("can not", Cue::Severity),
    ("unable to", Cue::Severity),
    ("data loss", Cue::Severity),
    ("lost", Cue::Severity),
    ("blocker", Cue::Severity),
    ("blocking", Cue::Severity),
    ("blocked", Cue::Severity),
    ("urgent", Cue::Severity),
    ("asap", Cue::Severity),
    ("critical", Cue::Severity),
    ("outage", Cue::Severity),
    ("is down", Cue::Severity),
    ("unusable", Cue::Severity),
    ("every single", Cue::Severity),
    ("again", Cue::Severity),
    ("still", Cue::Severity),
    ("furious", Cue::Severity),
    ("cancel", Cue::Severity),
];

/// How many of each cue an item has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CueCounts {
    pub bug: u16,
    pub request: u16,
    pub question: u16,
    pub praise: u16,
    pub churn: u16,
    pub severity: u16,
}

impl CueCounts {
    pub fn add(&mut self, cue: Cue) {
        let slot = match cue {
            Cue::Bug => &mut self.bug,
            Cue::Request => &mut self.request,
            Cue::Question => &mut self.question,
            Cue::Praise => &mut self.praise,
            Cue::Churn => &mut self.churn,
            Cue::Severity => &mut self.severity,
        };
        *slot = slot.saturating_add(1);
    }
}

/// Decides the kind from cue counts, the sentiment and whether the text asks
/// a question. Order of precedence: a customer threatening to leave matters
/// most, then something broken, then a question asked outright, then a
/// request, then praise.
pub fn decide_kind(cues: &CueCounts, sentiment: f64, asks: bool) -> Kind {
    if cues.churn > 0 && sentiment < 0.5 {
        Kind::ChurnRisk
    } else if cues.bug > 0
        && cues.bug >= cues.request
        && !(sentiment > 0.5 && cues.praise > cues.bug)
    {
        Kind::Bug
    } else if (cues.question > 0 || asks) && cues.request <= cues.question {
        Kind::Question
    } else if cues.request > 0 {
        Kind::Request
    } else if cues.bug > 0 && sentiment < 0.0 {
        Kind::Bug
    } else if cues.praise > 0 && sentiment > 0.2 {
        Kind::Praise
    } else if asks {
        Kind::Question
    } else {
        Kind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(f: impl FnOnce(&mut CueCounts)) -> CueCounts {
        let mut c = CueCounts::default();
        f(&mut c);
        c
    }

    #[test]
    fn churn_outranks_everything_while_negative() {
        let c = counts(|c| {
            c.churn = 1;
            c.bug = 2;
        });
        assert_eq!(decide_kind(&c, -0.5, false), Kind::ChurnRisk);
    }

    #[test]
    fn bug_request_question_praise_other() {
        assert_eq!(decide_kind(&counts(|c| c.bug = 1), -0.4, false), Kind::Bug);
        assert_eq!(
            decide_kind(&counts(|c| c.request = 1), 0.1, false),
            Kind::Request
        );
        assert_eq!(
            decide_kind(&counts(|c| c.question = 1), 0.0, true),
            Kind::Question
        );
        assert_eq!(
            decide_kind(&counts(|c| c.praise = 2), 0.8, false),
            Kind::Praise
        );
        assert_eq!(decide_kind(&CueCounts::default(), 0.0, false), Kind::Other);
        assert_eq!(
            decide_kind(&CueCounts::default(), 0.0, true),
            Kind::Question
        );
    }
}
