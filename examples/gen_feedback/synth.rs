//! A deterministic generator of synthetic feedback exports and the matching
//! roadmap, for benchmarks and for tests that need realistic volume.
//!
//! The same (rows, features, seed, customers, accounts) always give the same
//! bytes, on any machine: the generator uses its own small PRNG (SplitMix64)
//! rather than a crate whose stream might change between versions, and
//! formats dates itself. Rows are drawn from one stream in order, so the
//! first N rows of a larger file are the rows of the smaller one.
//!
//! This file is shared: `examples/gen_feedback/main.rs` is its command line,
//! and tests and benches include it with `#[path = …]`.
#![allow(dead_code)]

use std::io::{self, Write};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub rows: u64,
    pub features: usize,
    pub seed: u64,
    /// Distinct people who write feedback.
    pub customers: u64,
    /// Companies they belong to.
    pub accounts: u64,
}

impl Config {
    pub fn new(rows: u64, features: usize, seed: u64) -> Config {
        Config {
            rows,
            features,
            seed,
            customers: 50_000,
            accounts: 5_000,
        }
    }
}

/// The date the generated feedback ends on; rank with `--as-of` this day.
pub const AS_OF: &str = "2026-11-01";
/// Days since 1970-01-01 of [`AS_OF`].
const AS_OF_DAYS: i64 = 20_758;
/// Items are spread over this many days before [`AS_OF`]; with the
/// roadmap's 365-day window about a third fall outside it.
const SPAN_DAYS: i64 = 540;

/// The most features the vocabulary can name distinctly.
pub const MAX_FEATURES: usize = OBJECTS.len() * QUALIFIERS.len();

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast and well mixed,
/// which is all a data generator needs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

/// A stateless hash of an index, for properties that belong to a customer
/// or an account rather than to a row.
fn mix(seed: u64, x: u64) -> u64 {
    Rng::new(seed ^ x.wrapping_mul(0xD6E8_FEB8_6659_FD93)).next_u64()
}

fn unit_of(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Things a feature is about, each with inflections that the English
/// Snowball stemmer folds to one stem, so texts say "exports" or
/// "exporting" while the roadmap says "export".
pub const OBJECTS: &[&[&str]] = &[
    &["export", "exports", "exporting", "exported"],
    &["report", "reports", "reporting"],
    &["dashboard", "dashboards"],
    &["calendar", "calendars"],
    &["invoice", "invoices", "invoicing"],
    &["filter", "filters", "filtering", "filtered"],
    &["notification", "notifications"],
    &["comment", "comments", "commenting"],
    &["template", "templates"],
    &["search", "searches", "searching"],
    &["upload", "uploads", "uploading", "uploaded"],
    &["import", "imports", "importing", "imported"],
    &["sync", "syncs", "syncing"],
    &["webhook", "webhooks"],
    &["label", "labels", "labeling"],
    &["timeline", "timelines"],
    &["board", "boards"],
    &["workflow", "workflows"],
    &["reminder", "reminders"],
    &["permission", "permissions"],
    &["backup", "backups"],
    &["chart", "charts", "charting"],
    &["form", "forms"],
    &["field", "fields"],
    &["task", "tasks"],
    &["subtask", "subtasks"],
    &["attachment", "attachments"],
    &["integration", "integrations"],
    &["view", "views", "viewing"],
    &["digest", "digests"],
    &["checklist", "checklists"],
    &["shortcut", "shortcuts"],
    &["archive", "archives", "archiving", "archived"],
    &["estimate", "estimates", "estimating"],
    &["milestone", "milestones"],
    &["budget", "budgets", "budgeting"],
    &["timesheet", "timesheets"],
    &["audit log", "audit logs"],
    &["status page", "status pages"],
    &["mention", "mentions"],
];

/// How a feature qualifies its object, each with a second way of saying it
/// (the feature's second keyword).
const QUALIFIERS: &[(&str, &str)] = &[
    ("bulk", "mass"),
    ("custom", "customizable"),
    ("recurring", "repeating"),
    ("shared", "team-wide"),
    ("offline", "no-connection"),
    ("scheduled", "timed"),
    ("nested", "hierarchical"),
    ("private", "hidden"),
    ("automatic", "auto"),
    ("advanced", "power-user"),
    ("mobile", "phone"),
    ("weekly", "once-a-week"),
    ("monthly", "once-a-month"),
    ("granular", "fine-grained"),
    ("public", "external"),
    ("guest", "client"),
    ("smart", "ai"),
    ("visual", "graphical"),
    ("saved", "stored"),
    ("linked", "connected"),
    ("instant", "realtime"),
    ("global", "cross-workspace"),
    ("personal", "individual"),
    ("color-coded", "colored"),
    ("printable", "print-ready"),
    ("keyboard", "hotkey"),
];

/// The qualifier and object of feature `k`. Consecutive features (and so
/// the popular ones) differ in their object, so their keywords do not
/// overlap.
fn feature_parts(k: usize) -> (usize, usize) {
    let o = k % OBJECTS.len();
    let q = (k / OBJECTS.len() + o) % QUALIFIERS.len();
    (q, o)
}

fn feature_id(k: usize) -> String {
    let (q, o) = feature_parts(k);
    let slug = |s: &str| s.replace(' ', "-");
    format!("{}-{}", slug(QUALIFIERS[q].0), slug(OBJECTS[o][0]))
}

const STAGES: &[(&str, &str, &[&str])] = &[
    (
        "evaluation",
        "Evaluation",
        &["trial", "evaluating", "proof of concept", "security review"],
    ),
    (
        "onboarding",
        "Onboarding",
        &["sign up", "getting started", "setup", "invite my team"],
    ),
    (
        "usage",
        "Daily use",
        &["every day", "our workflow", "standup", "sprint"],
    ),
    (
        "support",
        "Support",
        &["support ticket", "response time", "help center"],
    ),
    (
        "renewal",
        "Renewal",
        &["renewal", "contract", "price increase", "seats"],
    ),
];

const PERSONAS: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "admin",
        "Workspace admin",
        &["as an admin", "our it", "security team"],
        &["enterprise"],
    ),
    (
        "team-lead",
        "Team lead",
        &["my team", "as a manager", "project manager"],
        &["business"],
    ),
    (
        "member",
        "Team member",
        &["as a designer", "as a developer", "my tasks"],
        &["pro"],
    ),
    (
        "finance",
        "Billing owner",
        &["finance team", "accounting", "our budget"],
        &[],
    ),
];

/// Writes a roadmap.toml with `cfg.features` features.
pub fn write_roadmap(cfg: &Config, out: &mut dyn Write) -> io::Result<()> {
    assert!(
        cfg.features <= MAX_FEATURES,
        "at most {MAX_FEATURES} features"
    );
    writeln!(
        out,
        "# Generated by `cargo run --release --example gen_feedback -- --features {} --seed {}`.",
        cfg.features, cfg.seed
    )?;
    writeln!(out, "# Rank with --as-of {AS_OF}.\n")?;
    writeln!(out, "[product]\nname = \"Synthetic Boards\"\n")?;
    writeln!(
        out,
        "[scoring]\nmodel = \"pain-value\"\nhalf_life_days = 90\nwindow_days = 365\n\
         value_curve = \"sqrt\"\nvalue_floor = 0.25\n"
    )?;
    writeln!(
        out,
        "[scoring.segments]\nenterprise = 1.5\nbusiness = 1.2\n"
    )?;
    for (id, name, keywords) in STAGES {
        writeln!(
            out,
            "[[stages]]\nid = \"{id}\"\nname = \"{name}\"\nkeywords = {}\n",
            toml_list(keywords)
        )?;
    }
    for (id, name, keywords, plans) in PERSONAS {
        writeln!(
            out,
            "[[personas]]\nid = \"{id}\"\nname = \"{name}\"\nkeywords = {}",
            toml_list(keywords)
        )?;
        if !plans.is_empty() {
            writeln!(out, "match = {{ plan = {} }}", toml_list(plans))?;
        }
        writeln!(out)?;
    }
    for k in 0..cfg.features {
        let (q, o) = feature_parts(k);
        let (qual, alt) = QUALIFIERS[q];
        let obj = OBJECTS[o][0];
        let h = mix(cfg.seed ^ 0xFEA7, k as u64);
        writeln!(out, "[[features]]\nid = \"{}\"", feature_id(k))?;
        writeln!(out, "title = \"{} {obj}\"", capitalize(qual))?;
        writeln!(
            out,
            "keywords = {}",
            toml_list(&[&format!("{qual} {obj}"), &format!("{alt} {obj}")])
        )?;
        if k % 7 == 3 {
            writeln!(out, "exclude = [\"{qual} {obj} addon\"]")?;
        }
        writeln!(out, "stage = \"{}\"", STAGES[(h % 5) as usize].0)?;
        if k % 3 == 0 {
            writeln!(
                out,
                "personas = [\"{}\"]",
                PERSONAS[(h >> 8) as usize % 4].0
            )?;
        }
        writeln!(out, "effort = {}", 1 + (h >> 16) % 8)?;
        writeln!(
            out,
            "status = \"{}\"\n",
            ["idea", "planned", "in-progress"][(h >> 24) as usize % 3]
        )?;
    }
    Ok(())
}

fn toml_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What a sentence says; it steers the rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Bug,
    Request,
    Praise,
    Churn,
}

/// Sentences about a feature; `{}` is the feature phrase.
const ABOUT: &[(&str, Tone)] = &[
    ("The {} keeps crashing.", Tone::Bug),
    ("{} is broken again since the update.", Tone::Bug),
    (
        "I can't get {} to work, it times out every time.",
        Tone::Bug,
    ),
    ("{} fails with an error on large projects.", Tone::Bug),
    (
        "Our {} stopped working yesterday and we lost data.",
        Tone::Bug,
    ),
    ("{} is so slow it's unusable.", Tone::Bug),
    ("Why does {} show the wrong numbers?", Tone::Bug),
    ("Please add {}.", Tone::Request),
    ("We really need {} for our team.", Tone::Request),
    ("Any plans for {}?", Tone::Request),
    ("It would be great to have {}.", Tone::Request),
    ("Is there a way to get {}?", Tone::Request),
    ("No {} is a blocker for us.", Tone::Request),
    ("I wish you had {}, like the other tools do.", Tone::Request),
    ("Love the new {}, thanks!", Tone::Praise),
    ("{} works great.", Tone::Praise),
    ("The {} is amazing, well done.", Tone::Praise),
    (
        "We will cancel if {} does not ship this quarter.",
        Tone::Churn,
    ),
    ("Without {} we are looking at alternatives.", Tone::Churn),
];

/// Sentences that link to no feature.
const NOISE: &[&str] = &[
    "Thanks for the quick reply.",
    "Sent from my phone.",
    "See the attached screenshot.",
    "Not sure who to ask about this.",
    "Our account manager said to write here.",
    "Let me know if you need more details.",
    "Same as my last message.",
    "The app is fine otherwise.",
    "Everything else is okay I guess.",
    "Following up on the \"urgent\" flag from last week.",
    "Happy to jump on a call, 10am works.",
    "Ok.",
];

/// Sentences that hint at a journey stage or a persona.
const CONTEXT: &[&str] = &[
    "We are two weeks into the trial.",
    "As an admin I look after 40 seats.",
    "My team uses it every day.",
    "Our renewal is coming up next month.",
    "Setup took us a whole week.",
    "I'm the project manager for a small group.",
    "The finance team asked me to raise this.",
    "It slows down our standup.",
    "The response time on the support ticket was long.",
    "As a developer this matters a lot to me.",
];

const GREETINGS: &[&str] = &["Hi team,", "Hello,", "Hey there!", "Hi,", "Dear support,"];

const CHANNELS: &[&str] = &["email", "chat", "app-store", "nps", "call", "community"];

const FIRST: &[&str] = &[
    "ann", "bob", "chen", "dana", "eli", "fatima", "gus", "hana", "ivan", "jo", "kemal", "lea",
    "mo", "nia", "omar", "pia", "quinn", "raj", "sara", "tom", "uma", "vic", "wei", "xena",
    "yusuf", "zoe",
];
const LAST: &[&str] = &[
    "smith", "garcia", "kim", "novak", "okafor", "silva", "tanaka", "weber", "jensen", "rossi",
    "dubois", "haddad", "patel", "nguyen", "cohen", "moreau",
];
const SYLLABLES: &[&str] = &[
    "blue", "fin", "cor", "vex", "nor", "tal", "mira", "quo", "zen", "lum", "pax", "ter", "ola",
    "dri", "kal", "sun", "bri", "vo",
];
const SUFFIXES: &[&str] = &[
    "Labs", "Inc", "GmbH", "Studio", "Group", "Systems", "Co", "Agency", "AG", "Ltd",
];

/// An account's name, plan and annual revenue, fixed by its index.
struct Account {
    name: String,
    domain: String,
    plan: &'static str,
    arr: u64,
}

fn account(seed: u64, a: u64) -> Account {
    let h = mix(seed ^ 0xACC0, a);
    let s1 = SYLLABLES[(h % SYLLABLES.len() as u64) as usize];
    let s2 = SYLLABLES[((h >> 8) % SYLLABLES.len() as u64) as usize];
    let suffix = SUFFIXES[((h >> 16) % SUFFIXES.len() as u64) as usize];
    let base = format!("{}{s2}", capitalize(s1));
    // Some companies write their name with letters outside ASCII.
    let base = if (h >> 24) % 40 == 0 {
        format!("{base}é")
    } else {
        base
    };
    let name = format!("{base} {suffix} {a}");
    let domain = format!("{s1}{s2}{a}.test");
    let u = unit_of(mix(seed ^ 0xA88, a));
    let (plan, arr) = if u < 0.3 {
        ("free", 0)
    } else {
        // Roughly log-normal: most accounts are small, a few are large.
        let arr = (600.0 * (u * 7.5).exp()) as u64 / 100 * 100;
        let plan = match arr {
            0..=4_999 => "pro",
            5_000..=59_999 => "business",
            _ => "enterprise",
        };
        (plan, arr)
    };
    Account {
        name,
        domain,
        plan,
        arr,
    }
}

/// Cumulative Zipf(1) weights over `n` features: feature k is mentioned
/// about 1/(k+1) as often as the most popular one.
fn zipf_table(n: usize) -> Vec<f64> {
    let mut acc = 0.0;
    (0..n)
        .map(|k| {
            acc += 1.0 / (k as f64 + 1.0);
            acc
        })
        .collect()
}

fn zipf_pick(rng: &mut Rng, table: &[f64]) -> usize {
    let total = *table.last().expect("at least one feature");
    let x = rng.unit() * total;
    table.partition_point(|&c| c <= x).min(table.len() - 1)
}

/// The civil date of a day count since 1970-01-01 (H. Hinnant's
/// days-to-civil algorithm).
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

pub const HEADER: [&str; 9] = [
    "id",
    "created_at",
    "customer_email",
    "account",
    "plan",
    "arr",
    "channel",
    "rating",
    "text",
];

/// Writes the feedback CSV.
pub fn write_feedback(cfg: &Config, out: &mut dyn Write) -> io::Result<()> {
    assert!(cfg.features >= 1 && cfg.features <= MAX_FEATURES);
    assert!(cfg.customers >= 1 && cfg.accounts >= 1);
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(out);
    w.write_record(HEADER)?;
    let zipf = zipf_table(cfg.features);
    let mut rng = Rng::new(cfg.seed);
    let mut text = String::with_capacity(512);
    let mut sentences: Vec<String> = Vec::with_capacity(8);
    let mut interests: Vec<usize> = Vec::with_capacity(8);
    let mut accounts: Vec<Option<Account>> = Vec::new();
    accounts.resize_with(cfg.accounts as usize, || None);
    for row in 0..cfg.rows {
        // Some people write far more than others.
        let c = (cfg.customers as f64 * rng.unit().powf(1.6)) as u64;
        let hc = mix(cfg.seed ^ 0xC057, c);
        // Big accounts have more people: a skewed customer → account map.
        let a = (cfg.accounts as f64 * unit_of(hc).powi(2)) as u64;
        let acct = accounts[a as usize].get_or_insert_with(|| account(cfg.seed, a));
        let email = format!(
            "{}.{}{}@{}",
            FIRST[((hc >> 8) % FIRST.len() as u64) as usize],
            LAST[((hc >> 16) % LAST.len() as u64) as usize],
            c,
            acct.domain
        );

        // Each customer cares about a few features and keeps writing about
        // those, as people do: the Zipf popularity shows across customers.
        let mut taste = Rng::new(hc);
        let n = 1 + taste.below(5) as usize;
        interests.clear();
        interests.extend((0..n).map(|_| zipf_pick(&mut taste, &zipf)));
        let tone = compose(&mut rng, &interests, &mut sentences, &mut text);
        let channel = *rng.pick(CHANNELS);
        let rating = match channel {
            "app-store" | "nps" => {
                let (lo, hi) = match tone {
                    Some(Tone::Bug | Tone::Churn) => (1, 2),
                    Some(Tone::Request) => (2, 4),
                    Some(Tone::Praise) => (4, 5),
                    None => (3, 5),
                };
                (lo + rng.below(hi - lo + 1)).to_string()
            }
            _ => String::new(),
        };
        let day = AS_OF_DAYS - rng.below(SPAN_DAYS as u64) as i64;
        let (y, m, d) = civil(day);
        let secs = rng.below(86_400);
        let created = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
        let arr = if acct.arr > 0 {
            acct.arr.to_string()
        } else {
            String::new()
        };
        w.write_record([
            (1_000_000 + row).to_string().as_str(),
            &created,
            &email,
            &acct.name,
            acct.plan,
            &arr,
            channel,
            &rating,
            &text,
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes one feedback text about some of `interests` (feature indexes)
/// into `text`; returns the tone of its first feature sentence, if any.
fn compose(
    rng: &mut Rng,
    interests: &[usize],
    sentences: &mut Vec<String>,
    text: &mut String,
) -> Option<Tone> {
    sentences.clear();
    let count = match rng.below(100) {
        0..=41 => 1,
        42..=76 => 2,
        77..=93 => 3,
        _ => 4,
    };
    let linked = match rng.below(100) {
        0..=17 => 0,
        18..=89 => 1,
        _ => 2,
    };
    let mut tone = None;
    for _ in 0..linked.min(count) {
        let k = *rng.pick(interests);
        let (q, o) = feature_parts(k);
        let (qual, alt) = QUALIFIERS[q];
        let qual = if rng.chance(0.3) { alt } else { qual };
        // Half the time the plain form, else any inflection.
        let obj = if rng.chance(0.5) {
            OBJECTS[o][0]
        } else {
            *rng.pick(OBJECTS[o])
        };
        let phrase = format!("{qual} {obj}");
        let (template, t) = *rng.pick(ABOUT);
        tone.get_or_insert(t);
        let mut s = template.replacen("{}", &phrase, 1);
        if template.starts_with("{}") {
            s = capitalize(&s);
        }
        if rng.chance(0.02) {
            // Vetoed by the feature's exclude, when it has one.
            s = format!("We don't want the {phrase} addon.");
        }
        sentences.push(s);
    }
    while sentences.len() < count {
        let s = if rng.chance(0.4) {
            *rng.pick(CONTEXT)
        } else {
            *rng.pick(NOISE)
        };
        sentences.push(s.to_string());
    }
    // Feature sentences are not always first.
    let n = sentences.len();
    for i in (1..n).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        sentences.swap(i, j);
    }
    text.clear();
    if rng.chance(0.15) {
        let greeting = GREETINGS[rng.below(GREETINGS.len() as u64) as usize];
        text.push_str(greeting);
    }
    for s in sentences.iter() {
        if !text.is_empty() {
            // Support tickets often have line breaks.
            text.push(if rng.chance(0.08) { '\n' } else { ' ' });
        }
        text.push_str(s);
    }
    match rng.below(100) {
        0..=1 => text.push_str(" 👍"),
        2..=3 => {
            // Typographic apostrophes, as phones write them.
            let t = text.replace('\'', "\u{2019}");
            *text = t;
        }
        4 => text.make_ascii_uppercase(),
        _ => {}
    }
    tone
}
