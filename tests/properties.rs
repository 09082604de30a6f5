//! Property tests of the invariants the ranking promises.

use std::path::Path;

use painmap::item::Item;
use painmap::report::{self, ReportInput};
use painmap::roadmap::{Model, Roadmap};
use painmap::score::models::{self, Weights};
use painmap::score::{Accumulator, Window};
use painmap::tag::{Scratch, Tagger};
use proptest::prelude::*;

const DAY: i64 = 86_400;
const WINDOW: Window = Window {
    as_of_end: 20_000 * DAY,
    max_age: Some(365 * DAY),
    trend_recent: 30 * DAY,
    trend_prior: 90 * DAY,
};

fn roadmap() -> Roadmap {
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/roadmap.toml"),
    )
    .unwrap();
    Roadmap::parse(Path::new("roadmap.toml"), &src).unwrap()
}

const PHRASES: &[&str] = &[
    "SSO with Okta is broken",
    "please add saml",
    "love it",
    "the export to csv crashes",
    "dark mode please",
    "great app, thanks!",
    "we will cancel if sso does not ship",
    "exporting is slow",
    "nothing to add",
];

prop_compose! {
    fn arb_item()(
        phrase in 0..PHRASES.len(),
        customer in 0..12u32,
        age in 0..400i64,
        value in prop::option::of(0..200_000u32),
        plan in prop::sample::select(vec!["free", "team", "enterprise"]),
        id in 0..1000u32,
    ) -> Item {
        Item {
            id: id.to_string(),
            text: PHRASES[phrase].to_string(),
            customer: Some(format!("c{customer}")),
            account: Some(format!("acct{}", customer % 4)),
            created_at: Some(WINDOW.as_of_end - age * DAY),
            value: value.map(f64::from),
            segment: Some(plan.to_string()),
            ..Item::default()
        }
    }
}

/// The tagger for the fixture roadmap, built once: proptest runs each
/// property hundreds of times.
fn tagger() -> &'static Tagger {
    static TAGGER: std::sync::OnceLock<Tagger> = std::sync::OnceLock::new();
    TAGGER.get_or_init(|| Tagger::new(&roadmap()).unwrap())
}

fn accumulate(roadmap: &Roadmap, tagger: &Tagger, items: &[Item]) -> Accumulator {
    let mut acc = Accumulator::new(
        roadmap.features.len(),
        roadmap.stages.len(),
        roadmap.personas.len(),
        1,
    );
    let mut scratch = Scratch::default();
    for item in items {
        let tags = tagger.tag(item, &mut scratch);
        acc.add(item, &tags, &WINDOW);
    }
    acc
}

fn scores(roadmap: &Roadmap, acc: &Accumulator, model: Model) -> Vec<f64> {
    let weights = Weights {
        sources: vec![1.0],
        personas: roadmap.personas.iter().map(|p| p.weight).collect(),
    };
    models::score_features(
        acc,
        &roadmap.features,
        &roadmap.scoring,
        model,
        &WINDOW,
        &weights,
    )
    .iter()
    .map(|s| s.score)
    .collect()
}

fn full_report(roadmap: &Roadmap, acc: &Accumulator) -> report::Report {
    let weights = Weights {
        sources: vec![1.0],
        personas: roadmap.personas.iter().map(|p| p.weight).collect(),
    };
    let mut s = models::score_features(
        acc,
        &roadmap.features,
        &roadmap.scoring,
        Model::PainValue,
        &WINDOW,
        &weights,
    );
    models::rank(&mut s, &roadmap.features);
    report::build(&ReportInput {
        roadmap,
        as_of: "x",
        model: Model::PainValue,
        acc,
        scores: &s,
        sources: &[("s".into(), 1.0, Default::default())],
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn one_more_painful_mention_never_lowers_a_score(
        items in prop::collection::vec(arb_item(), 0..40),
        new_customer in any::<bool>(),
        customer in 0..12u32,
    ) {
        let r = roadmap();
        let tagger = tagger();
        let before = accumulate(&r, tagger, &items);
        let mut more = items.clone();
        // A furious, brand-new mention of SSO: as painful as it gets.
        more.push(Item {
            id: "new".into(),
            text: "SSO is broken, this is a blocker, we will cancel, I hate this".into(),
            customer: Some(if new_customer { "someone-new".into() } else { format!("c{customer}") }),
            account: Some(if new_customer { "new-acct".into() } else { format!("acct{}", customer % 4) }),
            created_at: Some(WINDOW.as_of_end),
            rating: Some(0.0),
            ..Item::default()
        });
        let after = accumulate(&r, tagger, &more);
        let sso = r.features.iter().position(|f| f.id == "sso").unwrap();
        // The new item carries no account value, so the median that value
        // weights are relative to stays put (a new account's value moves it
        // for every feature alike; see the README).
        for model in [Model::PainValue, Model::Rice, Model::Impact] {
            let (b, a) = (scores(&r, &before, model)[sso], scores(&r, &after, model)[sso]);
            prop_assert!(a >= b - 1e-9, "{model}: {b} -> {a}");
        }
    }

    #[test]
    fn row_order_and_chunking_do_not_change_the_report(
        items in prop::collection::vec(arb_item(), 0..60),
        seed in any::<u64>(),
        split in 0..60usize,
    ) {
        let r = roadmap();
        let tagger = tagger();
        let in_order = full_report(&r, &accumulate(&r, tagger, &items));

        // Shuffle deterministically, accumulate in two chunks, merge.
        let mut shuffled = items.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let at = split.min(shuffled.len());
        let mut a = accumulate(&r, tagger, &shuffled[..at]);
        let b = accumulate(&r, tagger, &shuffled[at..]);
        a.merge(b);
        prop_assert_eq!(in_order, full_report(&r, &a));
    }

    #[test]
    fn doubling_effort_halves_pain_value_and_rice(items in prop::collection::vec(arb_item(), 1..40)) {
        let mut r = roadmap();
        let tagger = tagger();
        let acc = accumulate(&r, tagger, &items);
        for model in [Model::PainValue, Model::Rice] {
            let before = scores(&r, &acc, model);
            for f in &mut r.features {
                f.effort *= 2.0;
            }
            let after = scores(&r, &acc, model);
            for f in &mut r.features {
                f.effort /= 2.0;
            }
            for (b, a) in before.iter().zip(&after) {
                prop_assert!((b / 2.0 - a).abs() <= 1e-9 * b.abs().max(1.0), "{model}: {b} -> {a}");
            }
        }
    }

    #[test]
    fn praise_never_outranks_the_same_number_of_complaints(
        customers in 1..15u32,
        ages in prop::collection::vec(0..300i64, 15),
        values in prop::collection::vec(prop::option::of(1..100_000u32), 15),
    ) {
        // The same customers, dates and values: each praises export and
        // complains about SSO. Export's weighted pain must not exceed SSO's.
        let r = roadmap();
        let tagger = tagger();
        let mut items = Vec::new();
        for c in 0..customers as usize {
            for (n, text) in ["I love the export, it is great, thank you!", "SSO is broken and I can't log in"].iter().enumerate() {
                items.push(Item {
                    id: format!("{c}-{n}"),
                    text: text.to_string(),
                    customer: Some(format!("c{c}")),
                    account: Some(format!("acct{c}")),
                    created_at: Some(WINDOW.as_of_end - ages[c] * DAY),
                    value: values[c].map(f64::from),
                    ..Item::default()
                });
            }
        }
        let acc = accumulate(&r, tagger, &items);
        let weights = Weights { sources: vec![1.0], personas: r.personas.iter().map(|p| p.weight).collect() };
        let s = models::score_features(&acc, &r.features, &r.scoring, Model::PainValue, &WINDOW, &weights);
        let sso = r.features.iter().position(|f| f.id == "sso").unwrap();
        let export = r.features.iter().position(|f| f.id == "export").unwrap();
        prop_assert!(s[export].breakdown["weighted_pain"] <= s[sso].breakdown["weighted_pain"]);
        prop_assert_eq!(s[export].breakdown["weighted_pain"], 0.0);
    }

    #[test]
    fn renderers_survive_any_text_and_csv_parses_back(
        texts in prop::collection::vec("\\PC{0,80}|[=+\\-@\t\r\n\",|`<>\\[\\]\u{1b}]{0,20}", 1..12),
    ) {
        use painmap::report::{renderer, Format, RenderOptions};
        let r = roadmap();
        let tagger = tagger();
        // Every text mentions a feature, so it ends up in the evidence.
        let items: Vec<Item> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Item {
                id: format!("{i}"),
                text: format!("{t} sso export dark mode {t}"),
                customer: Some(format!("{t}@x.test")),
                created_at: Some(WINDOW.as_of_end),
                ..Item::default()
            })
            .collect();
        let acc = accumulate(&r, tagger, &items);
        let report = full_report(&r, &acc);
        for format in [Format::Table, Format::Json, Format::Csv, Format::Markdown] {
            let mut out = Vec::new();
            for width in [None, Some(40), Some(200)] {
                out.clear();
                renderer(format, RenderOptions { color: false, width, redact: true })
                    .render(&report, &mut out)
                    .unwrap();
            }
            if format == Format::Csv {
                let mut reader = csv::Reader::from_reader(out.as_slice());
                let header = reader.headers().unwrap().len();
                let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
                prop_assert_eq!(rows.len(), r.features.len());
                prop_assert!(rows.iter().all(|row| row.len() == header));
            }
            if format == Format::Table {
                let escape = char::from(0x1b);
                let text = String::from_utf8_lossy(&out);
                prop_assert!(!text.contains(escape), "an escape reached the table");
            }
        }
    }

    #[test]
    fn tagging_never_panics_and_stays_in_range(text in "\\PC{0,200}") {
        let r = roadmap();
        let tagger = tagger();
        let item = Item { text, ..Item::default() };
        let t = tagger.tag(&item, &mut Scratch::default());
        prop_assert!((0.0..=1.0).contains(&t.pain));
        prop_assert!((-1.0..=1.0).contains(&t.sentiment));
        prop_assert!(t.features.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(t.features.iter().all(|&f| (f as usize) < r.features.len()));
    }
}
