//! Shoppers who know what they want: superlatives, specs with units, the head of a
//! noun phrase, exact models and several steps in one message, each judged against a
//! hand-written gold set of product ids.
//!
//! A case is one message in a fresh session. Figures: precision, recall and F1 of the
//! products shown (those shown apart as relaxed do not count as answers) per task
//! kind; for superlatives, whether the first product is one of the right ones; for
//! several steps, whether the cart holds exactly the asked products and a checkout
//! was proposed when asked.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::assist::{Assistant, Channel, TurnInput};

/// One request of a specs set (JSONL).
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub text: String,
    /// `superlative`, `spec`, `head`, `exact` or `steps`.
    pub task: String,
    /// `webshop`, `demo` or `<name>` for `<name>_catalog.jsonl` beside the set: the
    /// catalogue the gold set was read from.
    #[serde(default = "webshop")]
    pub catalog: String,
    #[serde(default)]
    pub style: Option<String>,
    /// The products that answer it.
    #[serde(default)]
    pub gold: Vec<String>,
    /// Superlatives: the products that may come first (ties).
    #[serde(default)]
    pub first: Vec<String>,
    /// Several steps: the products the cart must hold afterwards.
    #[serde(default)]
    pub cart: Vec<String>,
    /// Several steps: whether a checkout must be proposed.
    #[serde(default)]
    pub checkout: bool,
}

fn webshop() -> String {
    "webshop".into()
}

/// Reads a JSONL specs set; a bad line is an error naming its number.
pub fn read_cases(path: &Path) -> anyhow::Result<Vec<Case>> {
    let text = std::fs::read_to_string(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with("//") {
            continue;
        }
        let c: Case = serde_json::from_str(line)
            .map_err(|e| anyhow::anyhow!("{} line {}: {e}", path.display(), i + 1))?;
        anyhow::ensure!(
            !c.gold.is_empty() || !c.cart.is_empty(),
            "{} line {}: no gold products",
            path.display(),
            i + 1
        );
        out.push(c);
    }
    Ok(out)
}

/// One request's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub text: String,
    pub task: String,
    pub shown: Vec<String>,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// F1 of the search box: the raw message as the index's query, its first five.
    pub baseline_f1: f64,
    /// Superlatives: the first product is a right one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_right: Option<bool>,
    /// Several steps: the cart holds exactly the asked products (and the checkout
    /// was proposed when asked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps_right: Option<bool>,
    pub reply: String,
}

/// Figures of one task kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Kind {
    pub cases: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// The search box's F1 over the same requests.
    pub baseline_f1: f64,
}

/// The figures of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub engine: String,
    pub cases: usize,
    pub f1: f64,
    /// The search box's F1 over all requests.
    pub baseline_f1: f64,
    pub by_task: BTreeMap<String, Kind>,
    /// Share of superlative requests whose first product is right.
    pub first_right: f64,
    /// Share of several-step requests that end with the right cart (and proposal).
    pub steps_right: f64,
    /// Per catalogue, how far specs were read from its products.
    pub coverage: BTreeMap<String, crate::catalog::specs::Coverage>,
    pub results: Vec<CaseResult>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "specs: {} requests ({})", self.cases, self.engine)?;
        writeln!(
            f,
            "F1 {:.3} over all requests (search box: raw message, first {BASELINE_TOP}: F1 {:.3})",
            self.f1, self.baseline_f1
        )?;
        for (task, k) in &self.by_task {
            writeln!(
                f,
                "  {task:<12} {:>3} requests  P {:.3}  R {:.3}  F1 {:.3}  (search box {:.3})",
                k.cases, k.precision, k.recall, k.f1, k.baseline_f1
            )?;
        }
        writeln!(
            f,
            "superlatives: first product right {:.1} %; several steps: right cart {:.1} %",
            100.0 * self.first_right,
            100.0 * self.steps_right
        )?;
        for (catalog, c) in &self.coverage {
            writeln!(f, "spec coverage, {catalog}: {c}")?;
        }
        let misses: Vec<&CaseResult> = self
            .results
            .iter()
            .filter(|r| {
                r.f1 < 0.999 || r.first_right == Some(false) || r.steps_right == Some(false)
            })
            .collect();
        writeln!(f, "not perfect ({}):", misses.len())?;
        for r in misses.iter().take(60) {
            writeln!(
                f,
                "  [{}] {:?} F1 {:.2} -> {}",
                r.task,
                r.text,
                r.f1,
                r.shown.join(", ")
            )?;
        }
        Ok(())
    }
}

/// How many products the search-box baseline shows.
const BASELINE_TOP: usize = 5;

/// The search box's query: the raw message, nothing read out of it.
fn search_box_query(text: &str) -> crate::search::SearchQuery {
    crate::search::SearchQuery {
        text: text.to_string(),
        limit: BASELINE_TOP,
        ..Default::default()
    }
}

/// Precision, recall and F1 of `shown` against `gold`; both empty counts as right.
pub fn prf(shown: &[String], gold: &[String]) -> (f64, f64, f64) {
    if shown.is_empty() && gold.is_empty() {
        return (1.0, 1.0, 1.0);
    }
    let hit = shown.iter().filter(|s| gold.contains(s)).count() as f64;
    let p = if shown.is_empty() {
        0.0
    } else {
        hit / shown.len() as f64
    };
    let r = if gold.is_empty() {
        0.0
    } else {
        hit / gold.len() as f64
    };
    let f1 = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f1)
}

/// Runs every case of one catalogue as the first message of a fresh session.
pub fn run(
    engine: &str,
    assistants: &BTreeMap<String, Assistant>,
    cases: &[Case],
) -> anyhow::Result<Report> {
    let mut results = Vec::with_capacity(cases.len());
    for (i, c) in cases.iter().enumerate() {
        let assistant = assistants
            .get(&c.catalog)
            .ok_or_else(|| anyhow::anyhow!("{}: no catalogue {:?}", c.text, c.catalog))?;
        let voice = c.style.as_deref() == Some("voice");
        let out = assistant
            .turn(TurnInput {
                text: c.text.clone(),
                customer_id: Some(format!("eval-specs-{i}")),
                channel: if voice { Channel::Voice } else { Channel::Text },
                ..Default::default()
            })
            .map_err(|e| anyhow::anyhow!("{}: {e}", c.text))?;
        let shown: Vec<String> = out
            .products
            .iter()
            .filter(|p| p.relaxed.is_empty())
            .map(|p| p.id.clone())
            .collect();
        let gold = if c.gold.is_empty() { &c.cart } else { &c.gold };
        let (precision, recall, f1) = prf(&shown, gold);
        // The search box: the raw message as the query, ranked as the index ranks.
        let boxed: Vec<String> = assistant
            .shop
            .search(&search_box_query(&c.text))
            .map(|r| r.hits.into_iter().map(|h| h.id).collect())
            .unwrap_or_default();
        let (_, _, baseline_f1) = prf(&boxed, gold);
        let first_right = (c.task == "superlative" && !c.first.is_empty())
            .then(|| shown.first().is_some_and(|s| c.first.contains(s)));
        let steps_right = (!c.cart.is_empty()).then(|| {
            let mut cart: Vec<String> = out
                .cart
                .as_ref()
                .map(|cart| {
                    cart.items
                        .iter()
                        .map(|l| l.item.product_id.clone())
                        .collect()
                })
                .unwrap_or_default();
            cart.sort();
            cart.dedup();
            let mut want = c.cart.clone();
            want.sort();
            let proposed = out.actions.iter().any(|a| a["type"] == "checkout.proposed");
            cart == want && (!c.checkout || proposed)
        });
        results.push(CaseResult {
            text: c.text.clone(),
            task: c.task.clone(),
            shown,
            precision,
            recall,
            f1,
            baseline_f1,
            first_right,
            steps_right,
            reply: out.reply,
        });
    }
    let mut by_task: BTreeMap<String, Kind> = BTreeMap::new();
    for r in &results {
        let k = by_task.entry(r.task.clone()).or_default();
        k.cases += 1;
        k.precision += r.precision;
        k.recall += r.recall;
        k.f1 += r.f1;
        k.baseline_f1 += r.baseline_f1;
    }
    for k in by_task.values_mut() {
        let n = k.cases.max(1) as f64;
        k.precision /= n;
        k.recall /= n;
        k.f1 /= n;
        k.baseline_f1 /= n;
    }
    let share = |v: Vec<bool>| v.iter().filter(|x| **x).count() as f64 / v.len().max(1) as f64;
    Ok(Report {
        engine: engine.to_string(),
        cases: results.len(),
        f1: results.iter().map(|r| r.f1).sum::<f64>() / results.len().max(1) as f64,
        baseline_f1: results.iter().map(|r| r.baseline_f1).sum::<f64>()
            / results.len().max(1) as f64,
        by_task,
        first_right: share(results.iter().filter_map(|r| r.first_right).collect()),
        steps_right: share(results.iter().filter_map(|r| r.steps_right).collect()),
        coverage: assistants
            .iter()
            .map(|(name, a)| (name.clone(), a.shop.spec_coverage()))
            .collect(),
        results,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_recall_and_f1_of_a_shown_list() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(prf(&s(&["a", "b"]), &s(&["a"])), (0.5, 1.0, 2.0 / 3.0));
        assert_eq!(prf(&s(&[]), &s(&["a"])), (0.0, 0.0, 0.0));
        assert_eq!(prf(&s(&["a"]), &s(&["a"])), (1.0, 1.0, 1.0));
    }
}
