//! Built-in vocabulary for matching a feature by its title alone: the words
//! a title can do without, and a small synonym list for common product
//! vocabulary. A PM's first roadmap has titles, not keyword lists; these
//! let "Watch videos" match "watching a clip of my kid" and "Get notified"
//! match "the notifications stopped".
//!
//! Entries are written as people write them and normalized (stemmed) when
//! the tagger is built, so each lists the forms the stemmer does not merge
//! by itself ("notify" and "notification" have different stems).

/// Stop words: words that carry no topic, never required in a title.
pub const STOP_WORDS: &[&str] = &[
    "a", "about", "all", "an", "and", "any", "as", "at", "be", "better", "by", "can", "for",
    "from", "in", "into", "is", "it", "its", "make", "more", "my", "new", "of", "on", "or",
    "other", "others", "our", "people", "per", "support", "that", "the", "their", "them", "this",
    "to", "up", "use", "using", "via", "we", "with", "you", "your", "improved", "get", "things",
];

/// Verbs whose object says it all: "Watch videos" is about videos, "Set
/// reminders" about reminders. When a title starts with one and has more
/// words, the verb is not required.
pub const LIGHT_VERBS: &[&str] = &[
    "add", "build", "create", "do", "enable", "have", "keep", "keeping", "manage", "play", "put",
    "read", "see", "set", "show", "take", "view", "watch", "write",
];

/// Words customers also use about their feedback itself ("I rate it five
/// stars", "I recommend it"). Alone they are weak evidence of a feature,
/// so a title that needs only such words keeps its other words required
/// ("Rate movies" needs "movie" too).
pub const META_WORDS: &[&str] = &[
    "rate",
    "rating",
    "review",
    "star",
    "recommend",
    "suggest",
    "feedback",
];

/// Groups of words that mean the same thing in product feedback. A title
/// word from a group also matches the group's other words.
pub const SYNONYMS: &[&[&str]] = &[
    &["photo", "picture", "pic", "image", "photograph", "selfie"],
    &["video", "vid"],
    &["movie", "film", "flick"],
    &[
        "chat",
        "messenger",
        "instant message",
        "direct message",
        "dm",
    ],
    &["conversation", "chat"],
    &[
        "notify",
        "notification",
        "notified",
        "alert",
        "push notification",
    ],
    &["search", "searchable", "searching", "lookup", "look up"],
    &[
        "sync",
        "synchronize",
        "synchronise",
        "synchronization",
        "syncing",
    ],
    &["note", "memo"],
    &[
        "checklist",
        "check list",
        "to-do list",
        "todo list",
        "todo",
        "task list",
    ],
    &["reminder", "remind"],
    &["document", "doc", "docs"],
    &["organize", "organise", "organizing", "organising"],
    &["edit", "editing", "modify", "retouch", "touch up"],
    &["collaborate", "collaboration", "collaborative"],
    &["annotate", "annotation", "markup", "mark up"],
    &["attach", "attachment"],
    &["color", "colour"],
    &["brightness", "brighten"],
    &["enhance", "enhancement"],
    &["saturation", "saturate"],
    &["draw", "drawing", "doodle", "sketch"],
    &["text", "caption", "font"],
    &["frame", "border"],
    &["passcode", "pin code", "passcodes", "password"],
    &["membership", "subscription"],
    &["genre", "category"],
    &["suggest", "suggestion"],
    &["login", "log in", "sign in", "signin"],
    &["signup", "sign up", "register", "registration"],
    &[
        "offline",
        "no internet",
        "without internet",
        "no connection",
    ],
    &["shortcut", "short cut"],
    &["game", "gaming"],
    &["permission", "access control"],
];
