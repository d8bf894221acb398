//! `shopassist eval nlu <file>`: understanding over labelled utterances
//! (tests/data/nlu/eval.jsonl), with per-intent and per-slot precision and recall.
//!
//! Slots compared: price_min, price_max (cents), colors, sizes (case-insensitive),
//! quantity, reference ("1", "2", …, "last", "this"), order_id. A predicted value in a
//! slot the label leaves empty counts as *invented*. The product type is compared
//! loosely (any shared word) and reported, not targeted.

use std::collections::BTreeMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::nlu::rules::Reference;
use crate::nlu::{Language, Understanding};

/// One labelled utterance.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub text: String,
    pub lang: String,
    pub intent: String,
    #[serde(default)]
    pub voice: bool,
    #[serde(default)]
    pub price_min: Option<i64>,
    #[serde(default)]
    pub price_max: Option<i64>,
    #[serde(default)]
    pub colors: Vec<String>,
    #[serde(default)]
    pub sizes: Vec<String>,
    #[serde(default)]
    pub quantity: Option<u32>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(default)]
    pub product_type: Option<String>,
}

/// Reads a JSONL file of cases; a bad line names its number.
pub fn read_cases(path: &std::path::Path) -> anyhow::Result<Vec<Case>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map_err(|e| anyhow::anyhow!("{} line {}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// Counts for precision and recall.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub true_positive: usize,
    pub false_positive: usize,
    pub false_negative: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_positive)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.true_positive, self.true_positive + self.false_negative)
    }
    pub fn f1(&self) -> f64 {
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
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The figures of one run.
#[derive(Debug, Clone, Serialize)]
pub struct NluReport {
    pub model: String,
    pub cases: usize,
    pub german: usize,
    pub voice: usize,
    pub intent_accuracy: f64,
    pub intents: BTreeMap<String, Counts>,
    pub slots: BTreeMap<String, Counts>,
    /// Predicted values in slots the label leaves empty.
    pub invented: usize,
    pub invented_examples: Vec<String>,
    /// Share of product-type labels whose words the prediction shares.
    pub product_type_recall: f64,
    pub language_accuracy: f64,
    pub llm_calls: usize,
    pub mean_ms: f64,
    pub p95_ms: f64,
    /// Median and p95 time of the utterances the model read (an open turn's
    /// constrained extraction after the cached prefix); NaN (`null`) when it read none.
    pub llm_p50_ms: f64,
    pub llm_p95_ms: f64,
    /// The first intent errors, for reading.
    pub intent_errors: Vec<String>,
    /// The first missed or wrong slot values, for reading.
    pub slot_errors: Vec<String>,
    /// The first language errors, for reading.
    pub language_errors: Vec<String>,
}

fn reference_label(r: Option<Reference>) -> Option<String> {
    r.map(|r| match r {
        Reference::Ordinal(n) => n.to_string(),
        Reference::Last => "last".into(),
        Reference::This => "this".into(),
    })
}

/// Runs `understand` over every case.
pub fn run(
    model: &str,
    cases: &[Case],
    mut understand: impl FnMut(&str, Language) -> Understanding,
) -> NluReport {
    let mut intents: BTreeMap<String, Counts> = BTreeMap::new();
    let mut slots: BTreeMap<String, Counts> = BTreeMap::new();
    let mut invented_examples = Vec::new();
    let mut invented = 0;
    let mut correct = 0;
    let mut lang_correct = 0;
    let mut pt_total = 0;
    let mut pt_hit = 0;
    let mut llm_calls = 0;
    let mut times = Vec::new();
    let mut llm_times = Vec::new();
    let mut intent_errors = Vec::new();
    let mut slot_errors = Vec::new();
    let mut language_errors = Vec::new();
    for case in cases {
        let session = Language::parse(&case.lang).unwrap_or_default();
        // The session language is the other one, so detection is what is measured.
        let session = if session == Language::De {
            Language::En
        } else {
            Language::De
        };
        let t = Instant::now();
        let u = understand(&case.text, session);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        times.push(ms);
        if u.used_llm {
            llm_times.push(ms);
        }
        llm_calls += usize::from(u.used_llm);
        if u.language.code() == case.lang {
            lang_correct += 1;
        } else if language_errors.len() < 40 {
            language_errors.push(format!(
                "{:?}: {} (want {})",
                case.text,
                u.language.code(),
                case.lang
            ));
        }
        let got = u.intent.as_str().to_string();
        if got == case.intent {
            correct += 1;
            intents.entry(got).or_default().true_positive += 1;
        } else {
            intents.entry(got.clone()).or_default().false_positive += 1;
            intents
                .entry(case.intent.clone())
                .or_default()
                .false_negative += 1;
            if intent_errors.len() < 40 {
                intent_errors.push(format!("{:?}: {} (want {})", case.text, got, case.intent));
            }
        }

        let price = u.slots.price.unwrap_or_default();
        let lower = |v: &[String]| -> Vec<String> { v.iter().map(|s| s.to_lowercase()).collect() };
        let compare: [(&str, Vec<String>, Vec<String>); 7] = [
            (
                "price_min",
                price.min.map(|v| v.to_string()).into_iter().collect(),
                case.price_min.map(|v| v.to_string()).into_iter().collect(),
            ),
            (
                "price_max",
                price.max.map(|v| v.to_string()).into_iter().collect(),
                case.price_max.map(|v| v.to_string()).into_iter().collect(),
            ),
            ("colors", lower(&u.slots.colors), lower(&case.colors)),
            ("sizes", lower(&u.slots.sizes), lower(&case.sizes)),
            (
                "quantity",
                u.slots
                    .quantity
                    .map(|q| q.to_string())
                    .into_iter()
                    .collect(),
                case.quantity.map(|q| q.to_string()).into_iter().collect(),
            ),
            (
                "reference",
                reference_label(u.slots.reference).into_iter().collect(),
                case.reference.clone().into_iter().collect(),
            ),
            (
                "order_id",
                u.slots.order_id.iter().map(|s| s.to_uppercase()).collect(),
                case.order_id.iter().map(|s| s.to_uppercase()).collect(),
            ),
        ];
        for (name, predicted, gold) in compare {
            let c = slots.entry(name.to_string()).or_default();
            for p in &predicted {
                if gold.contains(p) {
                    c.true_positive += 1;
                } else {
                    c.false_positive += 1;
                    if gold.is_empty() {
                        invented += 1;
                        if invented_examples.len() < 20 {
                            invented_examples.push(format!("{:?}: {name}={p}", case.text));
                        }
                    }
                }
            }
            let missed: Vec<&String> = gold.iter().filter(|g| !predicted.contains(g)).collect();
            c.false_negative += missed.len();
            if (!missed.is_empty() || predicted.iter().any(|p| !gold.contains(p)))
                && slot_errors.len() < 40
            {
                slot_errors.push(format!(
                    "{:?}: {name} got {predicted:?}, want {gold:?}",
                    case.text
                ));
            }
        }
        if let Some(gold) = &case.product_type {
            pt_total += 1;
            let got = u.product_type.clone().unwrap_or_default().to_lowercase();
            if gold.split_whitespace().any(|w| {
                got.split_whitespace()
                    .any(|g| g.contains(w) || w.contains(g))
            }) {
                pt_hit += 1;
            }
        }
    }
    times.sort_by(f64::total_cmp);
    llm_times.sort_by(f64::total_cmp);
    NluReport {
        model: model.to_string(),
        cases: cases.len(),
        german: cases.iter().filter(|c| c.lang == "de").count(),
        voice: cases.iter().filter(|c| c.voice).count(),
        intent_accuracy: ratio(correct, cases.len()),
        intents,
        slots,
        invented,
        invented_examples,
        product_type_recall: ratio(pt_hit, pt_total),
        language_accuracy: ratio(lang_correct, cases.len()),
        llm_calls,
        mean_ms: times.iter().sum::<f64>() / times.len().max(1) as f64,
        p95_ms: super::quantile(&times, 0.95),
        llm_p50_ms: super::quantile(&llm_times, 0.5),
        llm_p95_ms: super::quantile(&llm_times, 0.95),
        intent_errors,
        slot_errors,
        language_errors,
    }
}

impl std::fmt::Display for NluReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "model {}: {} utterances ({} German, {} voice style), LLM asked {} times",
            self.model, self.cases, self.german, self.voice, self.llm_calls
        )?;
        writeln!(
            f,
            "intent accuracy    {:.1} %",
            self.intent_accuracy * 100.0
        )?;
        writeln!(
            f,
            "language accuracy  {:.1} %",
            self.language_accuracy * 100.0
        )?;
        writeln!(f, "invented values    {}", self.invented)?;
        writeln!(
            f,
            "product type       {:.1} % of labelled ones share a word",
            self.product_type_recall * 100.0
        )?;
        writeln!(
            f,
            "time per utterance mean {:.1} ms, p95 {:.1} ms",
            self.mean_ms, self.p95_ms
        )?;
        if self.llm_calls > 0 {
            writeln!(
                f,
                "read by the model median {:.0} ms, p95 {:.0} ms",
                self.llm_p50_ms, self.llm_p95_ms
            )?;
        }
        writeln!(
            f,
            "\n{:<18} {:>9} {:>9} {:>9}",
            "slot", "precision", "recall", "F1"
        )?;
        for (name, c) in &self.slots {
            writeln!(
                f,
                "{name:<18} {:>8.1}% {:>8.1}% {:>8.1}%",
                c.precision() * 100.0,
                c.recall() * 100.0,
                c.f1() * 100.0
            )?;
        }
        writeln!(f, "\n{:<18} {:>9} {:>9}", "intent", "precision", "recall")?;
        for (name, c) in &self.intents {
            writeln!(
                f,
                "{name:<18} {:>8.1}% {:>8.1}%",
                c.precision() * 100.0,
                c.recall() * 100.0
            )?;
        }
        if !self.invented_examples.is_empty() {
            writeln!(f, "\ninvented:")?;
            for e in &self.invented_examples {
                writeln!(f, "  {e}")?;
            }
        }
        if !self.language_errors.is_empty() {
            writeln!(
                f,
                "\nlanguage errors (first {}):",
                self.language_errors.len()
            )?;
            for e in &self.language_errors {
                writeln!(f, "  {e}")?;
            }
        }
        if !self.slot_errors.is_empty() {
            writeln!(f, "\nslot errors (first {}):", self.slot_errors.len())?;
            for e in &self.slot_errors {
                writeln!(f, "  {e}")?;
            }
        }
        if !self.intent_errors.is_empty() {
            writeln!(f, "\nintent errors (first {}):", self.intent_errors.len())?;
            for e in &self.intent_errors {
                writeln!(f, "  {e}")?;
            }
        }
        Ok(())
    }
}
