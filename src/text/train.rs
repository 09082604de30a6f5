//! Training the kind model: reading our labelled feedback (`data/kind/`),
//! featurizing it exactly as the tagger does, and fitting one L2-regularized
//! logistic regression per class with L-BFGS.
//!
//! `build.rs` includes this file and runs it at every build that changes
//! the data or the feature code, writing the weights as Rust source into
//! `OUT_DIR`; the library exposes it too, so a test can check that training
//! is deterministic and `examples/kind_holdout.rs` can measure a held-out
//! split. Everything is deterministic: files and features are visited in
//! sorted order, there is no randomness, and the optimizer is a fixed
//! sequence of floating-point operations.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::item::RatingScale;
use crate::text::cues::{Asks, CueDef, KindScores};
use crate::text::evidence::{self, CueHits};
use crate::text::features::{extract, Active, Input, Model, CLASSES, NCLASS};
use crate::text::matcher::PhraseSet;
use crate::text::normalize::{Normalized, Normalizer};

/// One labelled item of the training data.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The text as the tagger sees it: the title, a line break, the body.
    pub text: String,
    /// The rating on [0, 1], 1 the best.
    pub rating: Option<f64>,
    /// Per class of [`CLASSES`], whether a person gave the item that label.
    pub labels: [bool; NCLASS],
    /// `file:line`, for messages.
    pub origin: String,
}

#[derive(serde::Deserialize)]
struct Line {
    #[serde(default)]
    title: Option<String>,
    text: String,
    #[serde(default)]
    rating: Option<f64>,
    labels: Vec<String>,
}

/// Labels of our data that are none of the model's classes: a complaint or
/// an account of use is `other` to painmap.
const OTHER_LABELS: &[&str] = &["complaint", "experience"];

/// Reads every `*.jsonl` file of `dir` (not dotfiles), in name order.
pub fn read_dir(dir: &Path) -> Result<Vec<Example>, String> {
    let mut files: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                !name.starts_with('.') && name.ends_with(".jsonl")
            })
            .collect(),
        Err(_) => return Ok(Vec::new()),
    };
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let src = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        for (i, line) in src.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let origin = format!("{}:{}", path.display(), i + 1);
            let l: Line = serde_json::from_str(line).map_err(|e| format!("{origin}: {e}"))?;
            let mut labels = [false; NCLASS];
            for label in &l.labels {
                match CLASSES.iter().position(|c| c == label) {
                    Some(c) => labels[c] = true,
                    None if OTHER_LABELS.contains(&label.as_str()) => {}
                    None => return Err(format!("{origin}: unknown label {label:?}")),
                }
            }
            let title = l.title.as_deref().unwrap_or("").trim();
            let text = if title.is_empty() {
                l.text
            } else {
                format!("{title}\n{}", l.text)
            };
            out.push(Example {
                text,
                rating: l.rating.and_then(|r| RatingScale::Stars.normalize(r)),
                labels,
                origin,
            });
        }
    }
    Ok(out)
}

/// Whether an example belongs to the held-out fifth (by a hash of its text,
/// so the split does not depend on file order).
pub fn held_out(e: &Example) -> bool {
    crate::text::normalize::token_hash(&e.text) % 5 == 0
}

/// Featurizes texts the way the tagger does: the same normalization, the
/// same cue automaton (without a roadmap's phrases, which the features do
/// not look at), the same evidence and the same [`extract`].
pub struct Featurizer {
    normalizer: Normalizer,
    phrases: PhraseSet<u16>,
    cues: Vec<CueDef>,
    norm: Normalized,
    hits: CueHits,
}

impl Default for Featurizer {
    fn default() -> Self {
        Featurizer::new()
    }
}

impl Featurizer {
    pub fn new() -> Featurizer {
        let normalizer = Normalizer::new();
        let patterns = evidence::cue_patterns(&normalizer);
        let phrases = PhraseSet::new(
            patterns
                .iter()
                .enumerate()
                .map(|(i, (p, _))| (p.clone(), i as u16)),
        );
        Featurizer {
            normalizer,
            phrases,
            cues: patterns.into_iter().map(|(_, d)| d).collect(),
            norm: Normalized::default(),
            hits: CueHits::default(),
        }
    }

    /// What `model` says of one text: its probabilities, with the rules'
    /// evidence and question marks that [`decide`](crate::text::kind_model::decide)
    /// also takes. `active` is scratch.
    pub fn predict(
        &mut self,
        model: &Model,
        text: &str,
        rating: Option<f64>,
        active: &mut Active,
    ) -> ([f32; NCLASS], KindScores, Asks) {
        self.read(text, rating, |input| {
            (model.score(input, active), *input.scores, input.asks)
        })
    }

    /// Normalizes `text` and finds its cues, as the tagger does, and calls
    /// `f` with what the model reads of it.
    fn read<R>(&mut self, text: &str, rating: Option<f64>, f: impl FnOnce(&Input) -> R) -> R {
        self.normalizer.normalize_into(text, &mut self.norm);
        self.hits.clear();
        let (cues, hits) = (&self.cues, &mut self.hits);
        self.phrases
            .find(&self.norm, |&c, span| hits.push(cues, c, span));
        let scores = evidence::score(&self.cues, &self.norm, &mut self.hits, |_| {});
        f(&Input {
            text,
            norm: &self.norm,
            hits: &self.hits,
            scores: &scores,
            asks: evidence::asks(text),
            rating,
        })
    }

    /// The features of one text, each once (its first value), with their
    /// names added to `names`.
    pub fn features(
        &mut self,
        text: &str,
        rating: Option<f64>,
        names: &mut BTreeMap<u64, String>,
    ) -> Vec<(u64, f32)> {
        let mut out: Vec<(u64, f32)> = Vec::new();
        self.read(text, rating, |input| {
            extract(input, |f, v, h| {
                // extract hashes each token once; it must agree with the
                // feature's own hash (tested in debug builds).
                debug_assert_eq!(h, f.hash(), "{}", f.name());
                names.entry(h).or_insert_with(|| f.name());
                out.push((h, v));
            });
        });
        out.sort_by_key(|&(h, _)| h);
        out.dedup_by_key(|&mut (h, _)| h);
        out
    }
}

/// How training is done.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// L2 penalty on the weights (not the biases).
    pub l2: f64,
    /// A feature must occur in this many training items to get a weight.
    pub min_count: usize,
    pub max_iterations: usize,
}

pub const PARAMS: Params = Params {
    l2: 2.0,
    min_count: 2,
    max_iterations: 300,
};

/// A trained model that owns its tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Trained {
    pub bias: [f32; NCLASS],
    /// The lookup table: a feature hash (0 for empty) and its row.
    pub slots: Vec<(u64, u32)>,
    pub weights: Vec<[f32; NCLASS]>,
    pub names: Vec<String>,
    /// Items trained on.
    pub examples: usize,
}

impl Trained {
    /// Calls `f` with the model as the tagger uses it.
    pub fn with_model<R>(&self, f: impl FnOnce(&Model) -> R) -> R {
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        f(&Model {
            bias: &self.bias,
            slots: &self.slots,
            weights: &self.weights,
            names: &names,
        })
    }

    /// The model as Rust source for `include!`: statics named as
    /// `kind_model.rs` expects.
    pub fn to_rust(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "// Generated by build.rs from data/kind: {} items. Do not edit.",
            self.examples
        );
        let _ = writeln!(s, "pub static EXAMPLES: usize = {};", self.examples);
        let _ = writeln!(s, "pub static BIAS: [f32; {NCLASS}] = {:?};", self.bias);
        let _ = writeln!(
            s,
            "pub static SLOTS: [(u64, u32); {}] = [",
            self.slots.len()
        );
        for (k, r) in &self.slots {
            let _ = writeln!(s, "({k}, {r}),");
        }
        let _ = writeln!(
            s,
            "];\npub static WEIGHTS: [[f32; {NCLASS}]; {}] = [",
            self.weights.len()
        );
        for w in &self.weights {
            let _ = writeln!(s, "{w:?},");
        }
        let _ = writeln!(s, "];\npub static NAMES: [&str; {}] = [", self.names.len());
        for n in &self.names {
            let _ = writeln!(s, "{n:?},");
        }
        s.push_str("];\n");
        s
    }
}

/// Trains the model on `examples`.
pub fn train(examples: &[Example], params: Params) -> Trained {
    let mut featurizer = Featurizer::new();
    let mut names = BTreeMap::new();
    let docs: Vec<Vec<(u64, f32)>> = examples
        .iter()
        .map(|e| featurizer.features(&e.text, e.rating, &mut names))
        .collect();
    // Features seen often enough, in hash order: column j of the problem.
    let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
    for d in &docs {
        for &(h, _) in d {
            *counts.entry(h).or_default() += 1;
        }
    }
    let kept: Vec<u64> = counts
        .into_iter()
        .filter(|&(_, c)| c >= params.min_count)
        .map(|(h, _)| h)
        .collect();
    let column: BTreeMap<u64, usize> = kept.iter().enumerate().map(|(j, &h)| (h, j)).collect();
    let rows: Vec<Vec<(usize, f64)>> = docs
        .iter()
        .map(|d| {
            d.iter()
                .filter_map(|&(h, v)| column.get(&h).map(|&j| (j, f64::from(v))))
                .collect()
        })
        .collect();
    let dim = kept.len();
    let mut bias = [0f32; NCLASS];
    let mut weights = vec![[0f32; NCLASS]; dim];
    for c in 0..NCLASS {
        let y: Vec<f64> = examples
            .iter()
            .map(|e| if e.labels[c] { 1.0 } else { -1.0 })
            .collect();
        let w = fit_logistic(&rows, &y, dim, params);
        for j in 0..dim {
            weights[j][c] = w[j] as f32;
        }
        bias[c] = w[dim] as f32;
    }
    // Open addressing at most half full.
    let size = (kept.len() * 2).next_power_of_two().max(2);
    let mut keys = vec![0u64; size];
    let mut slots = vec![0u32; size];
    for (j, &h) in kept.iter().enumerate() {
        let mut i = h as usize & (size - 1);
        while keys[i] != 0 {
            i = (i + 1) & (size - 1);
        }
        keys[i] = h;
        slots[i] = j as u32;
    }
    Trained {
        bias,
        slots: keys.into_iter().zip(slots).collect(),
        weights,
        names: kept.iter().map(|h| names[h].clone()).collect(),
        examples: examples.len(),
    }
}

/// Minimizes the L2-regularized logistic loss of labels `y` (±1) over
/// sparse `rows`; returns `dim` weights and the bias last.
fn fit_logistic(rows: &[Vec<(usize, f64)>], y: &[f64], dim: usize, params: Params) -> Vec<f64> {
    let n = dim + 1;
    let loss = |w: &[f64], g: &mut [f64]| -> f64 {
        g.iter_mut().for_each(|g| *g = 0.0);
        let mut f = 0.0;
        for (row, &yi) in rows.iter().zip(y) {
            let z = w[dim] + row.iter().map(|&(j, v)| w[j] * v).sum::<f64>();
            let m = yi * z;
            // log(1 + e^-m), and its derivative, without overflow.
            f += if m > 0.0 {
                (-m).exp().ln_1p()
            } else {
                -m + m.exp().ln_1p()
            };
            let d = -yi / (1.0 + m.exp());
            for &(j, v) in row {
                g[j] += d * v;
            }
            g[dim] += d;
        }
        for j in 0..dim {
            f += 0.5 * params.l2 * w[j] * w[j];
            g[j] += params.l2 * w[j];
        }
        f
    };
    lbfgs(n, params.max_iterations, loss)
}

/// Limited-memory BFGS (Nocedal & Wright, algorithm 7.4) with a
/// backtracking Armijo line search, from zero.
fn lbfgs(n: usize, max_iterations: usize, f: impl Fn(&[f64], &mut [f64]) -> f64) -> Vec<f64> {
    const MEMORY: usize = 8;
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let mut x = vec![0.0; n];
    let mut g = vec![0.0; n];
    let mut fx = f(&x, &mut g);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    for _ in 0..max_iterations {
        let gnorm = dot(&g, &g).sqrt();
        if gnorm < 1e-6 {
            break;
        }
        // Two-loop recursion: d = -H g.
        let mut q = g.clone();
        let k = s_hist.len();
        let mut alpha = vec![0.0; k];
        for i in (0..k).rev() {
            let rho = 1.0 / dot(&y_hist[i], &s_hist[i]);
            alpha[i] = rho * dot(&s_hist[i], &q);
            for (qj, yj) in q.iter_mut().zip(&y_hist[i]) {
                *qj -= alpha[i] * yj;
            }
        }
        let gamma = if k > 0 {
            dot(&s_hist[k - 1], &y_hist[k - 1]) / dot(&y_hist[k - 1], &y_hist[k - 1])
        } else {
            1.0 / gnorm
        };
        q.iter_mut().for_each(|v| *v *= gamma);
        for i in 0..k {
            let rho = 1.0 / dot(&y_hist[i], &s_hist[i]);
            let beta = rho * dot(&y_hist[i], &q);
            for (qj, sj) in q.iter_mut().zip(&s_hist[i]) {
                *qj += (alpha[i] - beta) * sj;
            }
        }
        let mut d: Vec<f64> = q.iter().map(|v| -v).collect();
        let mut slope = dot(&g, &d);
        if slope >= 0.0 {
            // Not a descent direction: restart from the gradient.
            d = g.iter().map(|v| -v).collect();
            slope = dot(&g, &d);
            s_hist.clear();
            y_hist.clear();
        }
        let mut step = 1.0;
        let mut accepted = false;
        for _ in 0..40 {
            for ((xn, xi), di) in x_new.iter_mut().zip(&x).zip(&d) {
                *xn = xi + step * di;
            }
            let f_new = f(&x_new, &mut g_new);
            if f_new <= fx + 1e-4 * step * slope {
                let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
                let yv: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
                if dot(&s, &yv) > 1e-12 {
                    if s_hist.len() == MEMORY {
                        s_hist.remove(0);
                        y_hist.remove(0);
                    }
                    s_hist.push(s);
                    y_hist.push(yv);
                }
                let improvement = fx - f_new;
                std::mem::swap(&mut x, &mut x_new);
                std::mem::swap(&mut g, &mut g_new);
                fx = f_new;
                accepted = improvement > 1e-9 * fx.abs().max(1.0);
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(text: &str, rating: Option<f64>, labels: [bool; NCLASS]) -> Example {
        Example {
            text: text.to_string(),
            rating,
            labels,
            origin: String::new(),
        }
    }

    /// A few items of our own, enough to train on.
    fn examples() -> Vec<Example> {
        let bug = [true, false, false, false];
        let request = [false, true, false, false];
        let question = [false, false, true, false];
        let praise = [false, false, false, true];
        let mut out = Vec::new();
        for i in 0..4 {
            out.push(example(
                &format!("Crash on start\nthe app crashes when I open board {i}"),
                None,
                bug,
            ));
            out.push(example(
                &format!("Add dark mode\nplease add a dark theme, page {i}"),
                None,
                request,
            ));
            out.push(example(
                &format!("How do I export?\nhow can I export board {i} to csv?"),
                None,
                question,
            ));
            out.push(example(
                &format!("love it, best planner I have used in {i} years"),
                Some(1.0),
                praise,
            ));
        }
        out
    }

    #[test]
    fn training_is_deterministic() {
        let a = train(&examples(), PARAMS);
        let b = train(&examples(), PARAMS);
        assert_eq!(a, b);
        let bits =
            |t: &Trained| -> Vec<u32> { t.weights.iter().flatten().map(|w| w.to_bits()).collect() };
        assert_eq!(bits(&a), bits(&b));
        assert_eq!(a.to_rust(), b.to_rust());
        assert!(!a.names.is_empty());
    }

    #[test]
    fn a_trained_model_tells_the_kinds_apart() {
        let trained = train(&examples(), PARAMS);
        let mut f = Featurizer::new();
        let mut active = Active::default();
        trained.with_model(|m| {
            for (text, rating, class) in [
                ("Crash on save\nit crashes when I save", None, 0),
                ("Add export to pdf\nplease add pdf export", None, 1),
                ("How do I share a board?\nhow can I share it?", None, 2),
                ("love it, the best app", Some(1.0), 3),
            ] {
                let (p, _, _) = f.predict(m, text, rating, &mut active);
                let best = (0..NCLASS).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap();
                assert_eq!(best, class, "{text}: {p:?}");
            }
        });
    }

    #[test]
    fn extract_hashes_each_feature_as_the_feature_itself_does() {
        let mut f = Featurizer::new();
        let mut names = std::collections::BTreeMap::new();
        for (text, rating) in [
            (
                "Crash on save\nit does not save, ```code``` Error: boom v1.2",
                None,
            ),
            (
                "love it but please add pdf export?? https://x.y",
                Some(0.75),
            ),
        ] {
            // `features` asserts that each hash is the feature's own.
            let feats = f.features(text, rating, &mut names);
            assert!(feats.len() > 10);
        }
        assert!(names.keys().all(|&h| h != 0));
    }

    #[test]
    fn every_row_of_the_table_is_found_by_its_hash() {
        let t = train(&examples(), PARAMS);
        t.with_model(|m| {
            for &(k, row) in &t.slots {
                if k != 0 {
                    assert_eq!(m.row(k), Some(row));
                }
            }
            assert_eq!(m.row(12345), None);
        });
    }

    #[test]
    fn our_training_data_reads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/kind");
        let examples = read_dir(&dir).unwrap();
        assert!(examples.iter().all(|e| !e.text.trim().is_empty()));
    }
}
