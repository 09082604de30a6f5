//! Built-in cue phrases that decide an item's kind and raise its pain, and
//! the markers that change what a cue or a feature mention means
//! (negation, a hypothetical "if", an all-clear such as "no problem with").
//!
//! They are matched by the same automaton as the roadmap's phrases (one pass
//! per item), and normalized the same way, so `crash` also catches
//! "crashes" and "crashing". Each cue has a weight: 1 weak, 2 normal, 3
//! strong, 4 decisive (a tracker template's own words, such as "steps to
//! reproduce" or "is your feature request related to a problem"), and 8
//! for a kind the reporter picked in a form ("Issue type: Support"). The
//! weights are set by hand, in those four steps, so that `tag --explain`
//! can show a person why an item got its kind; [`decide_kind`] turns the
//! weighted sums into a kind.

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
    /// "not", "never", "without": the cue right after it does not count.
    Negator,
    /// "if", "in case", "unless": opens a hypothetical clause.
    Conditional,
    /// "no problem with", "nothing wrong with": the feature named right
    /// after it is not what hurts.
    AllClear,
    /// "is not a problem", "is not the issue": the same, after the feature.
    AllClearAfter,
    /// A set phrase whose words are not cues: tracker template boilerplate
    /// ("do you want to request a feature or report a bug?"), praise that
    /// sounds like a fault ("can't live without"), a greeting that sounds
    /// like a wish ("just wanted to say").
    Boilerplate,
    /// A fault that is over ("was fixed", "has been resolved"): the bug and
    /// severity cues of its clause, and those shortly before it in the
    /// clause before ([`RESOLVED_REACH`]), do not count.
    Resolved,
}

impl Cue {
    pub fn name(self) -> &'static str {
        match self {
            Cue::Bug => "bug",
            Cue::Request => "request",
            Cue::Question => "question",
            Cue::Praise => "praise",
            Cue::Churn => "churn-risk",
            Cue::Severity => "severity",
            Cue::Negator => "negation",
            Cue::Conditional => "conditional",
            Cue::AllClear | Cue::AllClearAfter => "all-clear",
            Cue::Boilerplate => "boilerplate",
            Cue::Resolved => "resolved",
        }
    }

    /// Whether a negation right before this cue cancels it. Questions stay
    /// questions ("not sure how to"), and markers are not cues.
    pub fn negatable(self) -> bool {
        matches!(
            self,
            Cue::Bug | Cue::Request | Cue::Praise | Cue::Churn | Cue::Severity
        )
    }

    /// Whether a hypothetical clause ("if the export fails") cancels this
    /// cue: something that might break has not broken.
    pub fn hypothetical(self) -> bool {
        matches!(self, Cue::Bug | Cue::Churn | Cue::Severity)
    }
}

/// How many tokens before a cue a negation reaches ("never had a crash").
pub const NEGATION_REACH: u32 = 3;

/// How many tokens before a "was fixed" the fault it settles may start.
pub const RESOLVED_REACH: u32 = 8;

/// How many tokens an all-clear reaches to the feature it clears.
pub const ALL_CLEAR_REACH: u32 = 3;

/// The weight of a kind the reporter chose in a form ("Issue type: Bug").
pub const SELF_LABEL: u8 = 8;

/// The cue phrases, written as a person would, with their weights; they are
/// normalized when the tagger is built.
pub const CUES: &[(&str, Cue, u8)] = &[
    // Something is broken.
    ("bug", Cue::Bug, 3),
    ("buggy", Cue::Bug, 3),
    ("crash", Cue::Bug, 3),
    ("keeps crashing", Cue::Bug, 3),
    ("force close", Cue::Bug, 3),
    ("segfault", Cue::Bug, 3),
    ("segmentation fault", Cue::Bug, 3),
    ("core dumped", Cue::Bug, 3),
    ("broken", Cue::Bug, 3),
    // A fix denied: the fault is still there ("still not fixed").
    ("not fixed", Cue::Bug, 3),
    ("breaks", Cue::Bug, 1),
    ("not working", Cue::Bug, 3),
    ("does not work", Cue::Bug, 3),
    ("do not work", Cue::Bug, 3),
    ("did not work", Cue::Bug, 3),
    ("stopped working", Cue::Bug, 3),
    ("no longer works", Cue::Bug, 3),
    ("no longer working", Cue::Bug, 3),
    ("regression", Cue::Bug, 3),
    ("traceback", Cue::Bug, 3),
    ("stack trace", Cue::Bug, 3),
    ("stacktrace", Cue::Bug, 3),
    ("exception", Cue::Bug, 2),
    ("glitch", Cue::Bug, 3),
    ("freezes", Cue::Bug, 3),
    ("frozen", Cue::Bug, 2),
    ("blank screen", Cue::Bug, 3),
    ("white screen", Cue::Bug, 3),
    ("black screen", Cue::Bug, 3),
    ("error", Cue::Bug, 1),
    ("fails", Cue::Bug, 2),
    ("failed", Cue::Bug, 2),
    ("failing", Cue::Bug, 2),
    ("failure", Cue::Bug, 2),
    ("wrong", Cue::Bug, 2),
    ("incorrect", Cue::Bug, 2),
    ("incorrectly", Cue::Bug, 2),
    ("hangs", Cue::Bug, 1),
    ("stuck", Cue::Bug, 2),
    ("unresponsive", Cue::Bug, 2),
    ("not responding", Cue::Bug, 2),
    ("will not load", Cue::Bug, 3),
    ("does not load", Cue::Bug, 3),
    ("will not open", Cue::Bug, 3),
    ("does not open", Cue::Bug, 3),
    ("can not open", Cue::Bug, 2),
    ("can not log in", Cue::Bug, 3),
    ("can not login", Cue::Bug, 3),
    ("keeps logging me out", Cue::Bug, 3),
    ("disappeared", Cue::Bug, 2),
    ("disappears", Cue::Bug, 2),
    ("missing data", Cue::Bug, 2),
    ("times out", Cue::Bug, 2),
    ("timed out", Cue::Bug, 2),
    ("timeout", Cue::Bug, 2),
    ("500", Cue::Bug, 1),
    ("since the update", Cue::Bug, 2),
    ("after the update", Cue::Bug, 2),
    ("after update", Cue::Bug, 2),
    ("since updating", Cue::Bug, 2),
    ("new update", Cue::Bug, 1),
    ("last update", Cue::Bug, 1),
    ("after updating", Cue::Bug, 2),
    ("latest update", Cue::Bug, 1),
    ("please fix", Cue::Bug, 3),
    ("fix it", Cue::Bug, 2),
    ("fix this", Cue::Bug, 2),
    ("fix", Cue::Bug, 1),
    ("not shown", Cue::Bug, 2),
    ("not showing", Cue::Bug, 2),
    ("does not show", Cue::Bug, 2),
    ("does not appear", Cue::Bug, 2),
    ("unexpected", Cue::Bug, 1),
    ("unexpectedly", Cue::Bug, 2),
    ("memory leak", Cue::Bug, 3),
    ("assertion failed", Cue::Bug, 3),
    ("throws", Cue::Bug, 2),
    ("does not", Cue::Bug, 1),
    ("leaks", Cue::Bug, 2),
    ("duplicate", Cue::Bug, 1),
    ("abort", Cue::Bug, 1),
    ("problem", Cue::Bug, 1),
    ("issue", Cue::Bug, 1),
    ("actual behavior", Cue::Bug, 3),
    ("actual behaviour", Cue::Bug, 3),
    ("actual result", Cue::Bug, 3),
    ("steps to reproduce", Cue::Bug, 2),
    ("to reproduce", Cue::Bug, 2),
    ("repro steps", Cue::Bug, 3),
    ("reproduce", Cue::Bug, 1),
    // Asking for something new.
    ("feature request", Cue::Request, 4),
    (
        "is your feature request related to a problem",
        Cue::Request,
        4,
    ),
    ("describe the solution you'd like", Cue::Request, 4),
    ("describe alternatives you've considered", Cue::Request, 3),
    ("new feature", Cue::Request, 3),
    ("please add", Cue::Request, 3),
    ("would be nice", Cue::Request, 3),
    ("would be great", Cue::Request, 3),
    ("would be helpful", Cue::Request, 3),
    ("would be useful", Cue::Request, 3),
    ("would be awesome", Cue::Request, 3),
    ("would be cool", Cue::Request, 3),
    ("would be good", Cue::Request, 3),
    ("would be really", Cue::Request, 3),
    ("would be so", Cue::Request, 2),
    ("would help", Cue::Request, 2),
    ("it'd be nice", Cue::Request, 3),
    ("wish", Cue::Request, 3),
    ("if only", Cue::Request, 3),
    ("would love", Cue::Request, 3),
    ("enhancement", Cue::Request, 3),
    ("proposal", Cue::Request, 3),
    ("propose", Cue::Request, 3),
    ("consider adding", Cue::Request, 3),
    ("can you add", Cue::Request, 3),
    ("could you add", Cue::Request, 3),
    ("add an option", Cue::Request, 3),
    ("add support", Cue::Request, 3),
    ("add the ability", Cue::Request, 3),
    ("support for", Cue::Request, 2),
    ("please support", Cue::Request, 3),
    ("any plans", Cue::Request, 3),
    ("on the roadmap", Cue::Request, 3),
    ("need a way", Cue::Request, 3),
    ("want to be able", Cue::Request, 3),
    ("ability to", Cue::Request, 2),
    ("option to", Cue::Request, 2),
    ("allow users", Cue::Request, 3),
    ("make it possible", Cue::Request, 3),
    ("bring back", Cue::Request, 3),
    ("should add", Cue::Request, 3),
    ("should have", Cue::Request, 2),
    ("should be able", Cue::Request, 3),
    ("hope you add", Cue::Request, 3),
    ("hoping for", Cue::Request, 3),
    ("needs better", Cue::Request, 3),
    ("need better", Cue::Request, 3),
    ("needs more", Cue::Request, 3),
    ("it needs", Cue::Request, 2),
    ("would be better", Cue::Request, 3),
    ("better if", Cue::Request, 3),
    ("if you could", Cue::Request, 2),
    ("if it had", Cue::Request, 3),
    ("if there was", Cue::Request, 3),
    ("if there were", Cue::Request, 3),
    ("you should", Cue::Request, 3),
    ("please put", Cue::Request, 3),
    ("please bring", Cue::Request, 3),
    ("please allow", Cue::Request, 3),
    ("please include", Cue::Request, 3),
    ("please integrate", Cue::Request, 3),
    ("how about", Cue::Request, 3),
    ("what about", Cue::Request, 2),
    ("there is no", Cue::Request, 2),
    ("only thing missing", Cue::Request, 3),
    ("missing feature", Cue::Request, 3),
    ("only complaint", Cue::Request, 2),
    ("request", Cue::Request, 2),
    ("add", Cue::Request, 1),
    ("add more", Cue::Request, 3),
    ("add some", Cue::Request, 3),
    ("need to add", Cue::Request, 3),
    ("you add", Cue::Request, 2),
    ("allow", Cue::Request, 1),
    ("suggestion", Cue::Request, 2),
    ("suggest", Cue::Request, 2),
    ("improve", Cue::Request, 2),
    ("improvement", Cue::Request, 2),
    ("would like", Cue::Request, 2),
    ("i'd like", Cue::Request, 2),
    ("we need", Cue::Request, 2),
    ("i need", Cue::Request, 1),
    ("need more", Cue::Request, 2),
    ("want more", Cue::Request, 2),
    ("more options", Cue::Request, 2),
    ("please make", Cue::Request, 2),
    ("please give", Cue::Request, 2),
    ("lacks", Cue::Request, 2),
    ("lacking", Cue::Request, 2),
    ("missing", Cue::Request, 1),
    ("let us", Cue::Request, 1),
    ("let me", Cue::Request, 1),
    ("support", Cue::Request, 1),
    ("feature", Cue::Request, 1),
    ("option", Cue::Request, 1),
    ("implement", Cue::Request, 1),
    ("should", Cue::Request, 1),
    ("hope", Cue::Request, 1),
    // Asking the way feedback asks: "dark theme pls", "still no SSO".
    ("please", Cue::Request, 1),
    ("pls", Cue::Request, 2),
    ("plz", Cue::Request, 2),
    ("still no", Cue::Request, 2),
    ("still waiting for", Cue::Request, 2),
    ("still missing", Cue::Request, 2),
    ("no way to", Cue::Request, 2),
    ("want", Cue::Request, 1),
    ("give us", Cue::Request, 2),
    // What would make a happy customer happier is still a request:
    // "a timeline view would make it perfect", "would kill for subtasks".
    ("would make it", Cue::Request, 3),
    ("would be perfect", Cue::Request, 3),
    ("would be a", Cue::Request, 2),
    ("would kill for", Cue::Request, 3),
    ("keep me from", Cue::Request, 2),
    // Asking how.
    ("quick question", Cue::Question, 3),
    ("question", Cue::Question, 3),
    ("how to", Cue::Question, 3),
    ("how do i", Cue::Question, 3),
    ("how do we", Cue::Question, 3),
    ("how do you", Cue::Question, 3),
    ("how can i", Cue::Question, 3),
    ("how can we", Cue::Question, 3),
    ("how should i", Cue::Question, 3),
    ("is it possible", Cue::Question, 3),
    ("is there a way", Cue::Question, 3),
    ("is there any way", Cue::Question, 3),
    ("any way to", Cue::Question, 2),
    ("would like to know", Cue::Question, 3),
    ("want to know", Cue::Question, 3),
    ("wondering", Cue::Question, 3),
    ("i wonder", Cue::Question, 3),
    ("how does", Cue::Question, 2),
    ("how is", Cue::Question, 2),
    ("what is the", Cue::Question, 2),
    ("what are the", Cue::Question, 2),
    ("what does", Cue::Question, 2),
    ("why does", Cue::Question, 2),
    ("why is", Cue::Question, 2),
    ("why do", Cue::Question, 2),
    ("why are", Cue::Question, 2),
    ("where is", Cue::Question, 2),
    ("where can i", Cue::Question, 2),
    ("where do i", Cue::Question, 2),
    ("can i", Cue::Question, 2),
    ("can we", Cue::Question, 2),
    ("can someone", Cue::Question, 2),
    ("can anyone", Cue::Question, 2),
    ("does anyone", Cue::Question, 2),
    ("anyone know", Cue::Question, 2),
    ("any idea", Cue::Question, 2),
    ("any help", Cue::Question, 2),
    ("please help", Cue::Question, 2),
    ("need help", Cue::Question, 2),
    ("help me", Cue::Question, 2),
    ("not sure", Cue::Question, 2),
    ("confused", Cue::Question, 2),
    ("clarify", Cue::Question, 2),
    ("clarification", Cue::Question, 2),
    ("figure out", Cue::Question, 2),
    ("trying to", Cue::Question, 2),
    ("do you support", Cue::Question, 2),
    ("does it support", Cue::Question, 2),
    ("stackoverflow", Cue::Question, 2),
    ("stack overflow", Cue::Question, 2),
    ("documentation", Cue::Question, 1),
    ("example", Cue::Question, 1),
    ("tutorial", Cue::Question, 1),
    ("explain", Cue::Question, 1),
    ("understand", Cue::Question, 1),
    ("help", Cue::Question, 1),
    // A user stuck with their own work, rather than a product at fault.
    ("my code", Cue::Question, 2),
    ("my project", Cue::Question, 1),
    ("i am new", Cue::Question, 3),
    ("i'm new", Cue::Question, 3),
    ("beginner", Cue::Question, 2),
    ("newbie", Cue::Question, 2),
    ("doing wrong", Cue::Question, 3),
    ("doing something wrong", Cue::Question, 3),
    ("is this expected", Cue::Question, 3),
    ("is this normal", Cue::Question, 3),
    ("is this a bug", Cue::Question, 3),
    ("is it a bug", Cue::Question, 3),
    ("or is it", Cue::Question, 2),
    ("anybody", Cue::Question, 2),
    ("anyone", Cue::Question, 2),
    ("assist", Cue::Question, 2),
    ("guidance", Cue::Question, 2),
    ("advice", Cue::Question, 2),
    ("thanks in advance", Cue::Question, 2),
    ("what should i", Cue::Question, 3),
    ("what am i", Cue::Question, 3),
    ("i want to", Cue::Question, 1),
    ("i tried", Cue::Question, 1),
    ("possible to", Cue::Question, 2),
    ("how", Cue::Question, 1),
    ("why", Cue::Question, 1),
    // Happy.
    ("love", Cue::Praise, 2),
    ("great", Cue::Praise, 2),
    ("awesome", Cue::Praise, 2),
    ("amazing", Cue::Praise, 2),
    ("excellent", Cue::Praise, 2),
    ("fantastic", Cue::Praise, 2),
    ("perfect", Cue::Praise, 2),
    ("thank you", Cue::Praise, 2),
    ("thanks", Cue::Praise, 1),
    ("well done", Cue::Praise, 2),
    ("kudos", Cue::Praise, 2),
    ("game changer", Cue::Praise, 2),
    ("works great", Cue::Praise, 3),
    ("works well", Cue::Praise, 3),
    ("works perfectly", Cue::Praise, 3),
    ("easy to use", Cue::Praise, 2),
    ("highly recommend", Cue::Praise, 3),
    ("best", Cue::Praise, 2),
    ("favorite", Cue::Praise, 2),
    ("nice", Cue::Praise, 1),
    ("good", Cue::Praise, 1),
    ("useful", Cue::Praise, 1),
    ("helpful", Cue::Praise, 1),
    // About to leave.
    ("cancel", Cue::Churn, 3),
    ("cancelling", Cue::Churn, 3),
    ("canceling", Cue::Churn, 3),
    ("cancellation", Cue::Churn, 3),
    ("not renew", Cue::Churn, 3),
    ("will not renew", Cue::Churn, 3),
    ("not going to renew", Cue::Churn, 3),
    ("switch to", Cue::Churn, 2),
    ("switching to", Cue::Churn, 3),
    ("moving to", Cue::Churn, 2),
    ("move to another", Cue::Churn, 3),
    ("looking at alternatives", Cue::Churn, 3),
    ("looking for alternatives", Cue::Churn, 3),
    ("evaluating alternatives", Cue::Churn, 3),
    ("competitor", Cue::Churn, 2),
    ("refund", Cue::Churn, 3),
    ("churn", Cue::Churn, 3),
    ("last straw", Cue::Churn, 3),
    ("deal breaker", Cue::Churn, 3),
    ("dealbreaker", Cue::Churn, 3),
    ("leaving", Cue::Churn, 2),
    ("downgrade", Cue::Churn, 2),
    // Makes it hurt more.
    ("can not", Cue::Severity, 1),
    ("unable to", Cue::Severity, 1),
    ("data loss", Cue::Severity, 1),
    ("lost", Cue::Severity, 1),
    ("blocker", Cue::Severity, 1),
    ("blocking", Cue::Severity, 1),
    ("blocked", Cue::Severity, 1),
    ("urgent", Cue::Severity, 1),
    ("asap", Cue::Severity, 1),
    ("critical", Cue::Severity, 1),
    ("outage", Cue::Severity, 1),
    ("is down", Cue::Severity, 1),
    ("unusable", Cue::Severity, 1),
    ("every single", Cue::Severity, 1),
    ("again", Cue::Severity, 1),
    ("still", Cue::Severity, 1),
    ("furious", Cue::Severity, 1),
    ("cancel", Cue::Severity, 1),
    // Markers.
    ("not", Cue::Negator, 0),
    ("no", Cue::Negator, 0),
    ("never", Cue::Negator, 0),
    ("without", Cue::Negator, 0),
    ("none", Cue::Negator, 0),
    ("nothing", Cue::Negator, 0),
    ("neither", Cue::Negator, 0),
    ("nor", Cue::Negator, 0),
    ("hardly", Cue::Negator, 0),
    // The past: "it used to crash" is over, "used to love it" is no more.
    ("used to", Cue::Negator, 0),
    ("if", Cue::Conditional, 0),
    ("in case", Cue::Conditional, 0),
    ("unless", Cue::Conditional, 0),
    ("whether", Cue::Conditional, 0),
    ("suppose", Cue::Conditional, 0),
    ("supposing", Cue::Conditional, 0),
    ("hypothetically", Cue::Conditional, 0),
    ("no problem with", Cue::AllClear, 0),
    ("no problems with", Cue::AllClear, 0),
    ("not a problem with", Cue::AllClear, 0),
    ("no issue with", Cue::AllClear, 0),
    ("no issues with", Cue::AllClear, 0),
    ("not an issue with", Cue::AllClear, 0),
    ("nothing wrong with", Cue::AllClear, 0),
    ("never had a problem with", Cue::AllClear, 0),
    ("never had problems with", Cue::AllClear, 0),
    ("never had an issue with", Cue::AllClear, 0),
    ("never had issues with", Cue::AllClear, 0),
    ("no complaints about", Cue::AllClear, 0),
    ("no trouble with", Cue::AllClear, 0),
    ("is not a problem", Cue::AllClearAfter, 0),
    ("is not the problem", Cue::AllClearAfter, 0),
    ("is not an issue", Cue::AllClearAfter, 0),
    ("is not the issue", Cue::AllClearAfter, 0),
    ("was not the problem", Cue::AllClearAfter, 0),
    ("was not the issue", Cue::AllClearAfter, 0),
    ("bug report or feature request", Cue::Boilerplate, 0),
    ("feature request or bug report", Cue::Boilerplate, 0),
    ("if this is a bug", Cue::Boilerplate, 0),
    ("before reporting a bug", Cue::Boilerplate, 0),
    ("before submitting a bug", Cue::Boilerplate, 0),
    ("bug or feature", Cue::Boilerplate, 0),
    ("what is the current behavior", Cue::Boilerplate, 0),
    ("what is the current behaviour", Cue::Boilerplate, 0),
    ("what is the expected behavior", Cue::Boilerplate, 0),
    ("what is the expected behaviour", Cue::Boilerplate, 0),
    // Wishes that are praise or regret, not requests.
    ("wish i could give", Cue::Boilerplate, 0),
    // Praise that sounds like a fault.
    ("can not live without", Cue::Boilerplate, 0),
    ("can not go without", Cue::Boilerplate, 0),
    ("can not recommend it enough", Cue::Boilerplate, 0),
    ("can not say enough", Cue::Boilerplate, 0),
    ("can not wait", Cue::Boilerplate, 0),
    ("can not stop", Cue::Boilerplate, 0),
    ("can not complain", Cue::Boilerplate, 0),
    ("can not beat", Cue::Boilerplate, 0),
    ("can not go wrong", Cue::Boilerplate, 0),
    // A fault that is over. Not "fixed now" or "you fixed": they stem to
    // "fix now" and "you fix", which is how people ask for one.
    ("is fixed", Cue::Resolved, 0),
    ("was fixed", Cue::Resolved, 0),
    ("been fixed", Cue::Resolved, 0),
    ("got fixed", Cue::Resolved, 0),
    ("is resolved", Cue::Resolved, 0),
    ("was resolved", Cue::Resolved, 0),
    ("been resolved", Cue::Resolved, 0),
    ("got resolved", Cue::Resolved, 0),
    ("was solved", Cue::Resolved, 0),
    ("been solved", Cue::Resolved, 0),
    ("thanks for fixing", Cue::Resolved, 0),
    ("thank you for fixing", Cue::Resolved, 0),
    // A greeting, not a wish.
    ("wanted to say", Cue::Boilerplate, 0),
    ("want to say", Cue::Boilerplate, 0),
    ("wanted to let you know", Cue::Boilerplate, 0),
    ("want to let you know", Cue::Boilerplate, 0),
    ("wanted to thank", Cue::Boilerplate, 0),
    ("want to thank", Cue::Boilerplate, 0),
    ("wanted to share", Cue::Boilerplate, 0),
    // What the product already does, not what it should.
    ("allows me to", Cue::Boilerplate, 0),
    ("allowed me to", Cue::Boilerplate, 0),
    ("allowing me to", Cue::Boilerplate, 0),
    ("allows you to", Cue::Boilerplate, 0),
    // Praise of what the product does for someone: "makes my life so much
    // easier" opens with the request opener "make".
    ("make my life", Cue::Boilerplate, 0),
    ("make our life", Cue::Boilerplate, 0),
    ("make our lives", Cue::Boilerplate, 0),
    ("make life", Cue::Boilerplate, 0),
    ("make my day", Cue::Boilerplate, 0),
    ("make my job", Cue::Boilerplate, 0),
    ("make my work", Cue::Boilerplate, 0),
    ("make it so easy", Cue::Boilerplate, 0),
    ("make it easy", Cue::Boilerplate, 0),
    // Features that shipped, not features asked for: "happy with the new
    // features", "thanks for the new feature". Without the praise words,
    // which stay cues.
    ("the new feature", Cue::Boilerplate, 0),
    ("new feature were added", Cue::Boilerplate, 0),
    ("new feature have been added", Cue::Boilerplate, 0),
    ("new feature are great", Cue::Boilerplate, 0),
    ("would like to say", Cue::Boilerplate, 0),
    ("i would like to thank", Cue::Boilerplate, 0),
    ("wish i could rate", Cue::Boilerplate, 0),
    ("wish i had known", Cue::Boilerplate, 0),
    ("wish i had found", Cue::Boilerplate, 0),
    ("wish i would have known", Cue::Boilerplate, 0),
    ("wish i had not", Cue::Boilerplate, 0),
];

/// Verbs of a product doing its job. After a negation or a stop ("can't
/// upload", "won't even load", "stopped syncing") they are a bug cue of
/// weight 2, generated by [`all_cues`].
pub const FUNCTION_VERBS: &[&str] = &[
    "work", "load", "open", "start", "launch", "connect", "sync", "save", "upload", "download",
    "install", "update", "play", "show", "display", "send", "receive", "login", "log in",
    "sign in", "respond", "print", "export", "import", "access", "run", "boot", "charge", "record",
    "share", "delete", "edit", "scroll", "search", "refresh", "render", "compile", "build",
    "appear",
];

/// What makes a function verb a bug cue when it comes right before it.
pub const BROKEN_BEFORE: &[&str] = &[
    "not",
    "not even",
    "never",
    "unable to",
    "fails to",
    "failed to",
    "stopped",
    "stops",
    "quit",
    "no longer",
];

/// Words that say what an item is when they open it: a title that starts
/// with "Add", "Allow" or "Support" asks for something; one that starts
/// with "How", "Why" or "Is" asks a question; "Bug:" or "Crash" reports a
/// fault. They count only at the item's first word, on top of any cue the
/// same words are.
pub const OPENERS: &[(&str, Cue, u8)] = &[
    ("bug", Cue::Bug, 3),
    ("crash", Cue::Bug, 3),
    ("error", Cue::Bug, 2),
    ("regression", Cue::Bug, 3),
    ("broken", Cue::Bug, 3),
    ("unable to", Cue::Bug, 2),
    ("fails", Cue::Bug, 2),
    ("fix", Cue::Bug, 2),
    ("add", Cue::Request, 3),
    ("allow", Cue::Request, 3),
    ("support", Cue::Request, 3),
    ("provide", Cue::Request, 3),
    ("implement", Cue::Request, 3),
    ("expose", Cue::Request, 3),
    ("enable", Cue::Request, 2),
    ("improve", Cue::Request, 3),
    ("introduce", Cue::Request, 3),
    ("extend", Cue::Request, 2),
    ("make", Cue::Request, 2),
    ("feature", Cue::Request, 3),
    ("rfe", Cue::Request, 3),
    ("proposal", Cue::Request, 3),
    ("idea", Cue::Request, 3),
    ("option to", Cue::Request, 2),
    ("consider", Cue::Request, 2),
    ("how", Cue::Question, 3),
    ("why", Cue::Question, 3),
    ("what", Cue::Question, 3),
    ("where", Cue::Question, 3),
    ("which", Cue::Question, 3),
    ("is", Cue::Question, 2),
    ("are", Cue::Question, 2),
    ("does", Cue::Question, 2),
    ("do", Cue::Question, 2),
    ("can i", Cue::Question, 3),
    ("can we", Cue::Question, 3),
    ("can you", Cue::Question, 2),
    ("can someone", Cue::Question, 3),
    ("could", Cue::Question, 2),
    ("should i", Cue::Question, 3),
    ("question", Cue::Question, 3),
    ("help", Cue::Question, 3),
];

/// One cue phrase as the tagger uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueDef {
    pub phrase: String,
    pub cue: Cue,
    pub weight: u8,
    /// Counts only as the item's first words (see [`OPENERS`]).
    pub opener: bool,
}

/// Form fields where a reporter picks the kind ("Issue type: Bug"), with
/// the weight of the answer: [`SELF_LABEL`] for a dedicated field, less for
/// a word that is sometimes prose.
pub const KIND_PROMPTS: &[(&str, u8)] = &[
    ("issue type", SELF_LABEL),
    ("type", 4),
    ("kind", 4),
    ("category", 4),
];

/// The answers to [`KIND_PROMPTS`].
pub const KIND_ANSWERS: &[(&str, Cue)] = &[
    ("bug", Cue::Bug),
    ("bug report", Cue::Bug),
    ("defect", Cue::Bug),
    ("feature", Cue::Request),
    ("feature request", Cue::Request),
    ("enhancement", Cue::Request),
    ("improvement", Cue::Request),
    ("question", Cue::Question),
    ("support", Cue::Question),
    ("help", Cue::Question),
];

/// Every cue: [`CUES`], the generated "can't upload" family, the answers
/// to kind prompts, and [`OPENERS`].
pub fn all_cues() -> Vec<CueDef> {
    let def = |phrase: String, cue, weight, opener| CueDef {
        phrase,
        cue,
        weight,
        opener,
    };
    let mut out: Vec<CueDef> = CUES
        .iter()
        .map(|(p, c, w)| def((*p).to_string(), *c, *w, false))
        .collect();
    for before in BROKEN_BEFORE {
        for verb in FUNCTION_VERBS {
            out.push(def(format!("{before} {verb}"), Cue::Bug, 2, false));
        }
    }
    for (prompt, weight) in KIND_PROMPTS {
        for (answer, cue) in KIND_ANSWERS {
            out.push(def(format!("{prompt} {answer}"), *cue, *weight, false));
        }
    }
    for (p, c, w) in OPENERS {
        out.push(def((*p).to_string(), *c, *w, true));
    }
    out
}

/// The weighted evidence for each kind in one item.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct KindScores {
    pub bug: f32,
    pub request: f32,
    pub question: f32,
    pub praise: f32,
    pub churn: f32,
    /// Severity cues, counted.
    pub severity: u16,
    /// Fault cues that a "was fixed" settled, counted.
    pub settled: u16,
}

impl KindScores {
    pub fn add(&mut self, cue: Cue, weight: f32) {
        match cue {
            Cue::Bug => self.bug += weight,
            Cue::Request => self.request += weight,
            Cue::Question => self.question += weight,
            Cue::Praise => self.praise += weight,
            Cue::Churn => self.churn += weight,
            Cue::Severity => self.severity = self.severity.saturating_add(1),
            Cue::Negator
            | Cue::Conditional
            | Cue::AllClear
            | Cue::AllClearAfter
            | Cue::Boilerplate
            | Cue::Resolved => {}
        }
    }
}

/// Cues in the subject line (the first line of a text of several) weigh
/// this many times more: a title says what the item is about.
pub const SUBJECT_WEIGHT: f32 = 2.0;

/// What the punctuation of an item says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Asks {
    /// The subject line ends in a question mark.
    pub in_subject: bool,
    /// There is a question mark somewhere.
    pub anywhere: bool,
    /// How many questions the text asks (question marks before a space or
    /// the end).
    pub count: u16,
}

/// Question evidence a question mark gives, for up to
/// [`MAX_QUESTION_MARKS`] of them; a subject line that is a question gives
/// [`QUESTION_MARK_IN_SUBJECT`] instead.
pub const QUESTION_MARK: f32 = 3.0;
pub const MAX_QUESTION_MARKS: u16 = 3;
pub const QUESTION_MARK_IN_SUBJECT: f32 = 3.0;

/// A rated review or survey answer is an opinion: its questions are mostly
/// rhetorical ("why did you remove the widget?"), so question evidence
/// counts this much there.
pub const RATED_QUESTION_FACTOR: f32 = 0.25;

/// The least evidence that makes an item a bug, a request or a question.
pub const KIND_THRESHOLD: f32 = 2.0;

/// Decides the kind from the weighted cues, the sentiment and the question
/// marks. A customer threatening to leave matters most; then the strongest
/// of bug, request and question (ties in that order); then praise.
pub fn decide_kind(s: &KindScores, sentiment: f64, asks: Asks, rated: bool) -> Kind {
    let strongest = s.bug.max(s.request).max(s.question);
    if s.churn >= 3.0 && s.churn * 2.0 >= strongest && sentiment < 0.5 {
        return Kind::ChurnRisk;
    }
    let marks = if asks.in_subject {
        QUESTION_MARK_IN_SUBJECT
    } else if asks.anywhere {
        QUESTION_MARK * f32::from(asks.count.clamp(1, MAX_QUESTION_MARKS))
    } else {
        0.0
    };
    let question = (s.question + marks) * if rated { RATED_QUESTION_FACTOR } else { 1.0 };
    let mut best = (Kind::Other, KIND_THRESHOLD - f32::EPSILON);
    for (kind, score) in [
        (Kind::Bug, s.bug),
        (Kind::Request, s.request),
        (Kind::Question, question),
    ] {
        if score > best.1 {
            best = (kind, score);
        }
    }
    if best.0 != Kind::Other {
        return best.0;
    }
    if s.praise > 0.0 && sentiment > 0.2 {
        Kind::Praise
    } else if s.bug > 0.0 && sentiment < -0.3 {
        Kind::Bug
    } else if sentiment >= 0.5 {
        Kind::Praise
    } else {
        Kind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::Normalizer;

    fn scores(f: impl FnOnce(&mut KindScores)) -> KindScores {
        let mut c = KindScores::default();
        f(&mut c);
        c
    }

    const NO: Asks = Asks {
        in_subject: false,
        anywhere: false,
        count: 0,
    };

    #[test]
    fn churn_outranks_everything_while_negative() {
        let c = scores(|c| {
            c.churn = 3.0;
            c.bug = 6.0;
        });
        assert_eq!(decide_kind(&c, -0.5, NO, false), Kind::ChurnRisk);
        assert_eq!(decide_kind(&c, 0.8, NO, false), Kind::Bug);
        // A passing "cancel" in a long bug report.
        let c = scores(|c| {
            c.churn = 3.0;
            c.bug = 12.0;
        });
        assert_eq!(decide_kind(&c, -0.5, NO, false), Kind::Bug);
    }

    #[test]
    fn the_strongest_evidence_wins() {
        let c = scores(|c| {
            c.bug = 2.0;
            c.request = 3.0;
        });
        assert_eq!(decide_kind(&c, 0.0, NO, false), Kind::Request);
        let c = scores(|c| {
            c.bug = 3.0;
            c.request = 3.0;
        });
        assert_eq!(decide_kind(&c, 0.0, NO, false), Kind::Bug);
    }

    #[test]
    fn question_marks_count_most_in_the_subject() {
        let c = scores(|c| c.request = 2.0);
        let subject = Asks {
            in_subject: true,
            anywhere: true,
            count: 1,
        };
        let body = Asks {
            in_subject: false,
            anywhere: true,
            count: 1,
        };
        assert_eq!(decide_kind(&c, 0.0, subject, false), Kind::Question);
        assert_eq!(decide_kind(&c, 0.0, body, false), Kind::Question);
        let c = scores(|c| c.request = 4.0);
        assert_eq!(decide_kind(&c, 0.0, body, false), Kind::Request);
        // A rated review's question is mostly rhetorical.
        let c = scores(|c| c.question = 3.0);
        assert_eq!(decide_kind(&c, -0.5, body, false), Kind::Question);
        assert_eq!(decide_kind(&c, -0.5, body, true), Kind::Other);
        assert_eq!(
            decide_kind(&KindScores::default(), 0.0, subject, false),
            Kind::Question
        );
    }

    #[test]
    fn weak_evidence_falls_back_on_sentiment() {
        let c = scores(|c| c.praise = 2.0);
        assert_eq!(decide_kind(&c, 0.8, NO, false), Kind::Praise);
        assert_eq!(decide_kind(&c, 0.0, NO, false), Kind::Other);
        let c = scores(|c| c.bug = 1.0);
        assert_eq!(decide_kind(&c, -0.6, NO, false), Kind::Bug);
        assert_eq!(decide_kind(&c, 0.0, NO, false), Kind::Other);
        assert_eq!(
            decide_kind(&KindScores::default(), 0.0, NO, false),
            Kind::Other
        );
    }

    #[test]
    fn every_cue_normalizes_to_words() {
        let n = Normalizer::new();
        for CueDef {
            phrase,
            cue,
            weight,
            ..
        } in &all_cues()
        {
            assert!(n.phrase(phrase).is_some(), "{phrase}");
            let marker = matches!(
                cue,
                Cue::Negator
                    | Cue::Conditional
                    | Cue::AllClear
                    | Cue::AllClearAfter
                    | Cue::Boilerplate
                    | Cue::Resolved
            );
            assert_eq!(marker, *weight == 0, "{phrase}");
            assert!(*weight <= 4 || *weight == SELF_LABEL, "{phrase}");
        }
    }
}
