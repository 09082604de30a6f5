//! Measures painmap's tagging against human-labelled data.
//!
//! ```text
//! cargo run --release --example eval -- ../shared/eval
//! cargo run --release --example eval -- ../shared/eval --floor linking.f1=0.85
//! ```
//!
//! The data is described in the eval folder's README.md; it stays outside
//! this repository. The program prints one Markdown table, and exits with 1
//! when a metric named by `--floor METRIC=VALUE` is below its floor (CI uses
//! that so quality cannot silently regress). `--errors TASK` lists the items
//! a task gets wrong, for diagnosis (tasks: linking, bug, request, issues,
//! tweets, amazon).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use painmap::item::{Item, Kind};
use painmap::roadmap::Roadmap;
use painmap::tag::{Scratch, Tagger};
use painmap::text::sentiment::sentiment;

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("eval: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

struct Args {
    dir: PathBuf,
    floors: Vec<(String, f64)>,
    errors: Option<String>,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut dir = None;
    let mut floors = Vec::new();
    let mut errors = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--floor" => {
                let spec = args.next().context("--floor needs METRIC=VALUE")?;
                let (name, value) = spec
                    .split_once('=')
                    .with_context(|| format!("--floor {spec}: use METRIC=VALUE"))?;
                let value: f64 = value
                    .parse()
                    .with_context(|| format!("--floor {spec}: {value} is not a number"))?;
                floors.push((name.to_string(), value));
            }
            "--errors" => errors = Some(args.next().context("--errors needs a task name")?),
            "-h" | "--help" => {
                println!(
                    "usage: eval EVAL_DIR [--floor METRIC=VALUE]... [--errors linking|bug|request|issues|tweets|amazon]"
                );
                std::process::exit(0);
            }
            _ if dir.is_none() && !a.starts_with('-') => dir = Some(PathBuf::from(a)),
            _ => bail!("unexpected argument {a}; usage: eval EVAL_DIR [--floor METRIC=VALUE]..."),
        }
    }
    let dir = dir.context("name the eval folder, e.g. ../shared/eval")?;
    if !dir.join("README.md").is_file() {
        bail!(
            "{} does not look like the eval folder (no README.md)",
            dir.display()
        );
    }
    Ok(Args {
        dir,
        floors,
        errors,
    })
}

/// One row of the results table.
struct Metric {
    task: &'static str,
    key: &'static str,
    value: f64,
    target: Option<f64>,
    n: usize,
}

fn run() -> anyhow::Result<bool> {
    let args = parse_args()?;
    let mut metrics = Vec::new();
    let errors = args.errors.as_deref();
    linking(&args.dir, errors, &mut metrics)?;
    maalej(&args.dir, errors, &mut metrics)?;
    issues(&args.dir, errors, &mut metrics)?;
    sentiments(&args.dir, errors, &mut metrics)?;

    println!("| task | metric | value | target | n |");
    println!("|---|---|---:|---:|---:|");
    for m in &metrics {
        println!(
            "| {} | {} | {:.4} | {} | {} |",
            m.task,
            m.key,
            m.value,
            m.target.map_or(String::new(), |t| format!("≥ {t:.2}")),
            m.n
        );
    }
    let mut ok = true;
    for (name, floor) in &args.floors {
        match metrics.iter().find(|m| m.key == name) {
            None => {
                let keys: Vec<&str> = metrics.iter().map(|m| m.key).collect();
                bail!(
                    "--floor {name}: no such metric; metrics: {}",
                    keys.join(", ")
                );
            }
            Some(m) if m.value < *floor => {
                eprintln!(
                    "eval: {name} = {:.3} is below its floor {floor:.3}",
                    m.value
                );
                ok = false;
            }
            Some(_) => {}
        }
    }
    Ok(ok)
}

fn reader(path: &Path, tsv: bool) -> anyhow::Result<csv::Reader<std::fs::File>> {
    csv::ReaderBuilder::new()
        .delimiter(if tsv { b'\t' } else { b',' })
        .quoting(!tsv)
        .flexible(tsv)
        .from_path(path)
        .with_context(|| format!("reading {}", path.display()))
}

/// The rows of a CSV file as maps from header to value.
fn rows(path: &Path, tsv: bool) -> anyhow::Result<Vec<HashMap<String, String>>> {
    let mut r = reader(path, tsv)?;
    let headers = r.headers()?.clone();
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: row {}", path.display(), i + 2))?;
        out.push(
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect(),
        );
    }
    Ok(out)
}

fn field<'a>(row: &'a HashMap<String, String>, name: &str) -> &'a str {
    row.get(name).map_or("", String::as_str)
}

#[derive(Default, Clone, Copy)]
struct Confusion {
    tp: usize,
    fp: usize,
    fn_: usize,
    n: usize,
}

impl Confusion {
    fn add(&mut self, predicted: bool, actual: bool) {
        self.n += 1;
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.trim().to_string()).to_string()
}

/// Linking: one roadmap per app, features with titles only.
fn linking(dir: &Path, errors: Option<&str>, out: &mut Vec<Metric>) -> anyhow::Result<()> {
    let features = rows(&dir.join("linking/dabrowski_features_dev.csv"), false)?;
    let judged = rows(&dir.join("linking/dabrowski_judgments_dev.csv"), false)?;
    let mut by_app: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for f in &features {
        by_app
            .entry(field(f, "app"))
            .or_default()
            .push(field(f, "feature"));
    }
    let mut taggers = HashMap::new();
    for (app, titles) in &by_app {
        let mut src = format!("[product]\nname = {}\n", toml_string(app));
        for t in titles {
            src.push_str(&format!(
                "[[features]]\nid = {}\ntitle = {}\neffort = 1\n",
                toml_string(&slug(t)),
                toml_string(t)
            ));
        }
        let roadmap = Roadmap::parse(Path::new(&format!("{app}.toml")), &src)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let tagger = Tagger::new(&roadmap)?;
        taggers.insert(*app, (roadmap, tagger));
    }
    let mut scratch = Scratch::default();
    let mut c = Confusion::default();
    for row in &judged {
        let app = field(row, "app");
        let Some((roadmap, tagger)) = taggers.get(app) else {
            bail!("judgments name app {app:?}, which has no features");
        };
        let want = field(row, "feature").trim();
        let fi = roadmap
            .features
            .iter()
            .position(|f| f.title == want)
            .with_context(|| format!("judgments name feature {want:?} of {app}"))?;
        let item = Item {
            text: field(row, "review").to_string(),
            ..Item::default()
        };
        let tags = tagger.tag(&item, &mut scratch);
        let predicted = tags.features.contains(&(fi as u32));
        let actual = field(row, "relevant").trim().eq_ignore_ascii_case("y");
        c.add(predicted, actual);
        if errors == Some("linking") && predicted != actual {
            println!(
                "{} [{app}] {want}: {}",
                if predicted { "FP" } else { "FN" },
                field(row, "review")
            );
        }
    }
    let t = "Linking (Dąbrowski, titles only)";
    out.push(metric(t, "linking.precision", c.precision(), None, c.n));
    out.push(metric(t, "linking.recall", c.recall(), None, c.n));
    out.push(metric(t, "linking.f1", c.f1(), Some(0.85), c.n));
    Ok(())
}

fn metric(
    task: &'static str,
    key: &'static str,
    value: f64,
    target: Option<f64>,
    n: usize,
) -> Metric {
    Metric {
        task,
        key,
        value,
        target,
        n,
    }
}

/// A roadmap with one feature nothing mentions: kind needs no features.
fn kind_tagger() -> anyhow::Result<Tagger> {
    let src =
        "[[features]]\nid = \"none\"\ntitle = \"None\"\nkeywords = [\"zzqqxx\"]\neffort = 1\n";
    let roadmap =
        Roadmap::parse(Path::new("kind.toml"), src).map_err(|e| anyhow::anyhow!("{e}"))?;
    Tagger::new(&roadmap)
}

/// Kind on app reviews: bug and request detection, each a yes/no question.
fn maalej(dir: &Path, errors: Option<&str>, out: &mut Vec<Metric>) -> anyhow::Result<()> {
    let reviews = rows(&dir.join("kind/maalej2016_reviews_dev.csv"), false)?;
    let tagger = kind_tagger()?;
    let mut scratch = Scratch::default();
    let (mut bug, mut request) = (Confusion::default(), Confusion::default());
    for row in &reviews {
        let text = join_title(field(row, "title"), field(row, "comment"));
        let rating = field(row, "rating")
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|r| painmap::item::RatingScale::Stars.normalize(r));
        let item = Item {
            text,
            rating,
            ..Item::default()
        };
        let kind = tagger.tag(&item, &mut scratch).kind();
        let labels: Vec<&str> = field(row, "labels").split(';').map(str::trim).collect();
        let is_bug = labels.contains(&"Bug");
        let is_request = labels.contains(&"Feature");
        bug.add(kind == Kind::Bug, is_bug);
        request.add(kind == Kind::Request, is_request);
        let show = match errors {
            Some("bug") => (kind == Kind::Bug) != is_bug,
            Some("request") => (kind == Kind::Request) != is_request,
            _ => false,
        };
        if show {
            println!("{kind} vs {:?}: {}", labels, item.text.replace('\n', " "));
        }
    }
    let t = "Kind on app reviews (Maalej)";
    out.push(metric(
        t,
        "reviews.bug.precision",
        bug.precision(),
        None,
        bug.n,
    ));
    out.push(metric(t, "reviews.bug.recall", bug.recall(), None, bug.n));
    out.push(metric(t, "reviews.bug.f1", bug.f1(), Some(0.75), bug.n));
    out.push(metric(
        t,
        "reviews.request.precision",
        request.precision(),
        None,
        request.n,
    ));
    out.push(metric(
        t,
        "reviews.request.recall",
        request.recall(),
        None,
        request.n,
    ));
    out.push(metric(
        t,
        "reviews.request.f1",
        request.f1(),
        Some(0.70),
        request.n,
    ));
    Ok(())
}

fn join_title(title: &str, body: &str) -> String {
    let title = title.trim();
    if title.is_empty() {
        body.to_string()
    } else {
        format!("{title}\n{body}")
    }
}

/// Kind on GitHub issues: macro F1 over bug, request (`feature`), question.
fn issues(dir: &Path, errors: Option<&str>, out: &mut Vec<Metric>) -> anyhow::Result<()> {
    let issues = rows(&dir.join("kind/nlbse24_issues_dev.csv"), false)?;
    let tagger = kind_tagger()?;
    let mut scratch = Scratch::default();
    let classes = [
        ("bug", Kind::Bug),
        ("feature", Kind::Request),
        ("question", Kind::Question),
    ];
    let mut per = [Confusion::default(); 3];
    let mut right = 0;
    for row in &issues {
        let item = Item {
            text: join_title(field(row, "title"), field(row, "body")),
            ..Item::default()
        };
        let kind = tagger.tag(&item, &mut scratch).kind();
        let label = field(row, "label").trim();
        for (c, (name, k)) in per.iter_mut().zip(classes) {
            c.add(kind == k, label == name);
        }
        let ok = classes.iter().any(|(n, k)| *n == label && *k == kind);
        right += usize::from(ok);
        if errors == Some("issues") && !ok {
            let (_, why) = tagger.tag_explained(&item, &mut scratch);
            let k = &why.kind;
            let title = field(row, "title");
            println!(
                "{kind} vs {label}: b{} r{} q{} ({}) {title}",
                k.bug, k.request, k.question, k.question_mark
            );
            if std::env::var_os("EVAL_VERBOSE").is_some() {
                let cues: Vec<String> = why
                    .cues
                    .iter()
                    .filter(|c| c.counted)
                    .map(|c| format!("{}:{}:{}", c.cue, c.phrase, c.weight))
                    .collect();
                println!("    {}", cues.join(", "));
            }
        }
    }
    let t = "Kind on issues (NLBSE'24)";
    for (c, (name, _)) in per.iter().zip(classes) {
        let key = match name {
            "bug" => "issues.bug.f1",
            "feature" => "issues.request.f1",
            _ => "issues.question.f1",
        };
        out.push(metric(t, key, c.f1(), None, c.n));
    }
    let macro_f1 = per.iter().map(Confusion::f1).sum::<f64>() / 3.0;
    out.push(metric(
        t,
        "issues.accuracy",
        ratio(right, issues.len()),
        None,
        issues.len(),
    ));
    out.push(metric(
        t,
        "issues.macro_f1",
        macro_f1,
        Some(0.70),
        issues.len(),
    ));
    Ok(())
}

/// Sentiment: Pearson r with the mean human rating, and sign agreement on
/// the items people did not rate neutral.
fn sentiments(dir: &Path, errors: Option<&str>, out: &mut Vec<Metric>) -> anyhow::Result<()> {
    for (name, file, task, keys, target) in [
        (
            "tweets",
            "sentiment/vader_tweets.tsv",
            "Sentiment on tweets (VADER)",
            ["tweets.pearson_r", "tweets.sign_agreement"],
            0.87,
        ),
        (
            "amazon",
            "sentiment/vader_amazon.tsv",
            "Sentiment on Amazon snippets (VADER)",
            ["amazon.pearson_r", "amazon.sign_agreement"],
            0.60,
        ),
    ] {
        let path = dir.join(file);
        let rows = rows(&path, true)?;
        let mut xs = Vec::with_capacity(rows.len());
        let mut ys = Vec::with_capacity(rows.len());
        let (mut agree, mut polar) = (0usize, 0usize);
        for row in &rows {
            let Ok(y) = field(row, "mean_rating").trim().parse::<f64>() else {
                continue;
            };
            let x = sentiment(field(row, "text"));
            if y.abs() > 0.05 {
                polar += 1;
                if x != 0.0 && x.signum() == y.signum() {
                    agree += 1;
                }
            }
            if errors == Some(name) {
                println!("{x:.4}\t{y}\t{}", field(row, "text"));
            }
            xs.push(x);
            ys.push(y);
        }
        out.push(metric(
            task,
            keys[0],
            pearson(&xs, &ys),
            Some(target),
            xs.len(),
        ));
        out.push(metric(task, keys[1], ratio(agree, polar), None, polar));
    }
    Ok(())
}

fn pearson(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}
