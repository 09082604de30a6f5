//! Measures the kind model on a held-out fifth of our own training data.
//!
//! ```text
//! cargo run --release --example kind_holdout
//! cargo run --release --example kind_holdout -- --l2 1.0 --min-count 2
//! ```
//!
//! It trains on the other four fifths of `data/kind/` (the split is by a
//! hash of each item's text, see `train::held_out`), tags the held-out
//! items with the same decision the tagger makes, and prints a Markdown
//! table: for reviews, F1 of bug and of request as yes/no questions (as the
//! eval harness asks of app reviews), and for issues, F1 of bug, request and
//! question and their mean.

use std::path::Path;
use std::process::ExitCode;

use painmap::item::Kind;
use painmap::text::features::{Active, Model};
use painmap::text::kind_model::decide;
use painmap::text::sentiment::sentiment;
use painmap::text::train::{held_out, read_dir, train, Example, Featurizer, PARAMS};

#[derive(Default, Clone, Copy)]
struct Confusion {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Confusion {
    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }
    fn f1(&self) -> f64 {
        let d = 2 * self.tp + self.fp + self.fn_;
        if d == 0 {
            0.0
        } else {
            2.0 * self.tp as f64 / d as f64
        }
    }
}

fn main() -> ExitCode {
    let mut params = PARAMS;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next().and_then(|v| v.parse::<f64>().ok());
        match (a.as_str(), value) {
            ("--l2", Some(v)) => params.l2 = v,
            ("--min-count", Some(v)) => params.min_count = v as usize,
            _ => {
                eprintln!("usage: kind_holdout [--l2 X] [--min-count N]");
                return ExitCode::from(2);
            }
        }
    }
    let examples = match read_dir(Path::new("data/kind")) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("kind_holdout: {e}");
            return ExitCode::from(2);
        }
    };
    let (test, training): (Vec<Example>, Vec<Example>) = examples.into_iter().partition(held_out);
    let trained = train(&training, params);
    let mut featurizer = Featurizer::new();
    let mut active = Active::default();
    println!(
        "trained on {} items, held out {} (l2 {}, min count {})\n",
        training.len(),
        test.len(),
        params.l2,
        params.min_count
    );
    println!("| decided by | held-out items | metric | value |\n|---|---|---|---:|");
    for (name, how) in [
        ("painmap (model and rules)", How::Both),
        ("the rules alone", How::Rules),
        ("the model alone", How::Model),
    ] {
        trained.with_model(|model| measure(name, how, model, &test, &mut featurizer, &mut active));
    }
    ExitCode::SUCCESS
}

#[derive(Clone, Copy, PartialEq)]
enum How {
    Both,
    Rules,
    /// The likeliest of the model's classes when it is at least 0.5, else
    /// other.
    Model,
}

fn measure(
    name: &str,
    how: How,
    model: &Model,
    test: &[Example],
    featurizer: &mut Featurizer,
    active: &mut Active,
) {
    let (mut r_bug, mut r_req) = (Confusion::default(), Confusion::default());
    let mut issues = [Confusion::default(); 3];
    let (mut n_reviews, mut n_issues, mut right) = (0, 0, 0);
    for e in test {
        let (probs, scores, asks) = featurizer.predict(model, &e.text, e.rating, active);
        let kind = match how {
            How::Model => {
                let best = (0..4)
                    .max_by(|&a, &b| probs[a].total_cmp(&probs[b]))
                    .unwrap_or(0);
                if probs[best] >= 0.5 {
                    [Kind::Bug, Kind::Request, Kind::Question, Kind::Praise][best]
                } else {
                    Kind::Other
                }
            }
            How::Both | How::Rules => {
                decide(
                    (how == How::Both).then_some(&probs),
                    &scores,
                    sentiment(&e.text),
                    asks,
                    e.rating.is_some(),
                )
                .0
            }
        };
        if e.rating.is_some() {
            n_reviews += 1;
            r_bug.add(kind == Kind::Bug, e.labels[0]);
            r_req.add(kind == Kind::Request, e.labels[1]);
        } else {
            n_issues += 1;
            for (c, k) in [Kind::Bug, Kind::Request, Kind::Question]
                .iter()
                .enumerate()
            {
                issues[c].add(kind == *k, e.labels[c]);
                if kind == *k && e.labels[c] {
                    right += 1;
                }
            }
        }
    }
    let macro_f1 = issues.iter().map(Confusion::f1).sum::<f64>() / 3.0;
    println!(
        "| {name} | {n_reviews} reviews | bug F1 / request F1 | {:.3} / {:.3} |",
        r_bug.f1(),
        r_req.f1()
    );
    println!(
        "| | {n_issues} issues | bug / request / question F1 | {:.3} / {:.3} / {:.3} |",
        issues[0].f1(),
        issues[1].f1(),
        issues[2].f1()
    );
    println!(
        "| | | accuracy / macro F1 | {:.3} / {macro_f1:.3} |",
        right as f64 / n_issues.max(1) as f64
    );
}
