//! Shoppers who know what they want: superlatives, specs with units, the head of a
//! noun phrase, exact models and several steps in one message, each judged against a
//! hand-written gold set of product ids.
//!
//! A case is one message in a fresh session. Figures: precision, recall and F1 of the
//! products shown (those shown apart as relaxed do not count as answers) per task
//! kind; for superlatives, whether the first product is one of the right ones; for
//! several steps, whether the cart holds exactly the asked products and a checkout
//! was proposed when asked; for cases that give the plan they expect, each field of
//! `understanding.plan` they name (per task kind and per field).

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
    /// Several steps: the products the cart must hold afterwards, or the variant
    /// where the request names one.
    #[serde(default)]
    pub cart: Vec<String>,
    /// Several steps: whether a checkout must be proposed.
    #[serde(default)]
    pub checkout: bool,
    /// The plan the message should be read into: only the fields given are checked.
    #[serde(default)]
    pub plan: Option<GoldPlan>,
}

/// The fields of `understanding.plan` a case expects, as a person writes them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldPlan {
    /// One entry per product asked for, in order; their number is checked too.
    #[serde(default)]
    pub targets: Vec<GoldTarget>,
    /// `show`, `add_to_cart`, `checkout`, in the order they run.
    #[serde(default)]
    pub steps: Option<Vec<String>>,
}

/// One target's expected fields.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldTarget {
    /// The head, singular and lower case ("cable").
    pub kind: Option<String>,
    /// Model tokens, lower case ("a25"), in any order.
    pub models: Option<Vec<String>>,
    pub brand: Option<String>,
    /// Constraints as a reply writes them: "≥ 20 ft", "1–2 TB".
    pub specs: Option<Vec<String>>,
    /// Connectors as the index names them ("USB-C", "AM5"), in any order.
    pub connectors: Option<Vec<String>>,
    /// `price_asc`, `price_desc`, `spec_desc` or `spec_asc`; `none` for no sort.
    pub order: Option<String>,
    /// Price limits in the currency's main unit (40 for $40).
    pub price_min: Option<f64>,
    pub price_max: Option<f64>,
    pub quantity: Option<u32>,
}

/// Each field a gold plan names, and whether the turn's plan has it so; a wrong one
/// carries what was read.
pub fn check_plan(
    gold: &GoldPlan,
    got: Option<&crate::nlu::understand::plan::Plan>,
) -> Vec<PlanField> {
    use crate::nlu::understand::plan::{Order, Step};
    let mut out = Vec::new();
    let mut field = |name: &str, want: String, read: String| {
        out.push(PlanField {
            right: want == read,
            field: name.to_string(),
            want,
            read,
        });
    };
    let empty = crate::nlu::understand::plan::Plan::default();
    let got = got.unwrap_or(&empty);
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v.join(", ")
    };
    if let Some(steps) = &gold.steps {
        let read: Vec<&str> = got
            .steps
            .iter()
            .map(|s| match s {
                Step::Show => "show",
                Step::AddToCart => "add_to_cart",
                Step::Checkout => "checkout",
            })
            .collect();
        field("steps", steps.join(", "), read.join(", "));
    }
    if gold.targets.is_empty() {
        return out;
    }
    field(
        "targets",
        gold.targets.len().to_string(),
        got.targets.len().to_string(),
    );
    let none = crate::nlu::understand::plan::Target::default();
    for (i, want) in gold.targets.iter().enumerate() {
        let t = got.targets.get(i).unwrap_or(&none);
        if let Some(k) = &want.kind {
            field("kind", k.to_lowercase(), t.kind.clone().unwrap_or_default());
        }
        if let Some(m) = &want.models {
            field(
                "models",
                sorted(m.iter().map(|x| x.to_lowercase()).collect()),
                sorted(t.models.clone()),
            );
        }
        if let Some(b) = &want.brand {
            field(
                "brand",
                b.to_lowercase(),
                t.brand.clone().unwrap_or_default().to_lowercase(),
            );
        }
        if let Some(s) = &want.specs {
            field(
                "specs",
                sorted(s.clone()),
                sorted(t.specs.iter().map(|w| w.to_string()).collect()),
            );
        }
        if let Some(c) = &want.connectors {
            field(
                "connectors",
                sorted(c.clone()),
                sorted(t.connectors.clone()),
            );
        }
        if let Some(o) = &want.order {
            let read = match &t.order {
                None => "none",
                Some(Order::Price { desc: false }) => "price_asc",
                Some(Order::Price { desc: true }) => "price_desc",
                Some(Order::Spec { desc: true, .. }) => "spec_desc",
                Some(Order::Spec { desc: false, .. }) => "spec_asc",
            };
            field("order", o.clone(), read.to_string());
        }
        let money = |v: Option<i64>| {
            v.map(|c| format!("{:.2}", c as f64 / 100.0))
                .unwrap_or_default()
        };
        if let Some(p) = want.price_min {
            field("price_min", format!("{p:.2}"), money(t.price_min));
        }
        if let Some(p) = want.price_max {
            field("price_max", format!("{p:.2}"), money(t.price_max));
        }
        if let Some(q) = want.quantity {
            field(
                "quantity",
                q.to_string(),
                t.quantity.map(|q| q.to_string()).unwrap_or_default(),
            );
        }
    }
    out
}

/// One checked field of a plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanField {
    pub field: String,
    pub right: bool,
    pub want: String,
    pub read: String,
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
    /// The plan's fields the case names, each right or not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<PlanField>,
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
    /// Plan fields checked, and how many were right.
    pub plan_fields: usize,
    pub plan_right: usize,
}

/// How often one plan field was read right.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FieldTally {
    pub checked: usize,
    pub right: usize,
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
    /// Per plan field, over all cases that name it.
    pub plan_by_field: BTreeMap<String, FieldTally>,
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
        let share = |right: usize, all: usize| 100.0 * right as f64 / all.max(1) as f64;
        let by_task: Vec<String> = self
            .by_task
            .iter()
            .filter(|(_, k)| k.plan_fields > 0)
            .map(|(task, k)| {
                format!(
                    "{task} {:.1} % ({} of {})",
                    share(k.plan_right, k.plan_fields),
                    k.plan_right,
                    k.plan_fields
                )
            })
            .collect();
        if !by_task.is_empty() {
            writeln!(f, "plan fields right, per task: {}", by_task.join(", "))?;
            let by_field: Vec<String> = self
                .plan_by_field
                .iter()
                .map(|(name, t)| {
                    format!("{name} {:.1} % ({})", share(t.right, t.checked), t.checked)
                })
                .collect();
            writeln!(f, "plan fields right, per field: {}", by_field.join(", "))?;
        }
        for (catalog, c) in &self.coverage {
            writeln!(f, "spec coverage, {catalog}: {c}")?;
        }
        let misses: Vec<&CaseResult> = self
            .results
            .iter()
            .filter(|r| {
                r.f1 < 0.999
                    || r.first_right == Some(false)
                    || r.steps_right == Some(false)
                    || r.plan.iter().any(|p| !p.right)
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
            for p in r.plan.iter().filter(|p| !p.right) {
                writeln!(
                    f,
                    "      plan {}: want {:?}, read {:?}",
                    p.field, p.want, p.read
                )?;
            }
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
/// A product shown twice is found once and shown once too many.
pub fn prf(shown: &[String], gold: &[String]) -> (f64, f64, f64) {
    if shown.is_empty() && gold.is_empty() {
        return (1.0, 1.0, 1.0);
    }
    let hit = gold.iter().filter(|g| shown.contains(g)).count() as f64;
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
        // A cart entry naming a variant counts as its product among those shown.
        let cart_products: Vec<String> = c
            .cart
            .iter()
            .map(|e| {
                out.cart
                    .iter()
                    .flat_map(|cart| &cart.items)
                    .find(|l| l.item.variant_id == *e)
                    .map_or_else(|| e.clone(), |l| l.item.product_id.clone())
            })
            .collect();
        let gold = if c.gold.is_empty() {
            &cart_products
        } else {
            &c.gold
        };
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
                    // A gold entry may name the variant ("G01-2": the 1 TB one).
                    cart.items
                        .iter()
                        .map(|l| {
                            if c.cart.contains(&l.item.variant_id) {
                                l.item.variant_id.clone()
                            } else {
                                l.item.product_id.clone()
                            }
                        })
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
        let plan = c
            .plan
            .as_ref()
            .map(|g| check_plan(g, out.understanding.plan.as_ref()))
            .unwrap_or_default();
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
            plan,
            reply: out.reply,
        });
    }
    let mut by_task: BTreeMap<String, Kind> = BTreeMap::new();
    let mut plan_by_field: BTreeMap<String, FieldTally> = BTreeMap::new();
    for r in &results {
        let k = by_task.entry(r.task.clone()).or_default();
        k.cases += 1;
        k.plan_fields += r.plan.len();
        k.plan_right += r.plan.iter().filter(|p| p.right).count();
        for p in &r.plan {
            let t = plan_by_field.entry(p.field.clone()).or_default();
            t.checked += 1;
            t.right += usize::from(p.right);
        }
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
        plan_by_field,
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
    fn a_gold_plan_checks_only_the_fields_it_names() {
        use crate::nlu::understand::plan::{Order, Plan, Step, Target};
        let gold: GoldPlan = serde_json::from_str(
            r#"{"targets": [{"kind": "cable", "order": "price_asc", "quantity": 2}], "steps": ["show", "add_to_cart"]}"#,
        )
        .unwrap();
        let read = Plan {
            targets: vec![Target {
                kind: Some("cable".into()),
                order: Some(Order::Price { desc: false }),
                models: vec!["313".into()],
                ..Default::default()
            }],
            steps: vec![Step::Show],
        };
        let fields = check_plan(&gold, Some(&read));
        let names: Vec<(&str, bool)> = fields.iter().map(|f| (f.field.as_str(), f.right)).collect();
        assert_eq!(
            names,
            [
                ("steps", false),
                ("targets", true),
                ("kind", true),
                ("order", true),
                ("quantity", false)
            ]
        );
        // No plan read at all: every named field is wrong, none is skipped.
        assert!(check_plan(&gold, None).iter().all(|f| !f.right));
    }

    #[test]
    fn a_misspelt_plan_field_is_an_error_naming_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("set.jsonl");
        std::fs::write(
            &path,
            "// comment\n{\"task\": \"head\", \"text\": \"tv\", \"gold\": [\"A\"], \"plan\": {\"targets\": [{\"knd\": \"tv\"}]}}\n",
        )
        .unwrap();
        let e = read_cases(&path).unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("knd"), "{e}");
    }

    #[test]
    fn precision_recall_and_f1_of_a_shown_list() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(prf(&s(&["a", "b"]), &s(&["a"])), (0.5, 1.0, 2.0 / 3.0));
        assert_eq!(prf(&s(&[]), &s(&["a"])), (0.0, 0.0, 0.0));
        assert_eq!(prf(&s(&["a"]), &s(&["a"])), (1.0, 1.0, 1.0));
        assert_eq!(prf(&s(&["a", "a"]), &s(&["a"])), (0.5, 1.0, 2.0 / 3.0));
    }
}
