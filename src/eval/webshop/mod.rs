//! `shopassist eval webshop --goals <file>`: WebShop goals (Yao et al. 2022) through
//! the same engine path as `POST /v1/assist`, scored with WebShop's published reward
//! ([`reward`]).
//!
//! The WebShop catalogue (`products_1k_processed.json`, beside the goals file or in
//! `../shared/data/webshop`, or `--catalog`) is imported with the WebShop importer into
//! a fresh store and index in a temporary directory, with the environment's fixed
//! prices (`product_prices_1k.seed0.json` beside it) when present. Each goal's
//! instruction is one turn of a fresh session; the first product shown and its
//! selected options are "bought" and scored. Goals come as a JSON array (or JSONL) of
//! objects with `instruction_text`, `attributes`, `goal_options` (an object or a list),
//! `price_upper`, `query`, `name`, `product_category` and optionally `asin` and
//! `category`, as in WebShop's goal files.

pub mod reward;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;
use serde_json::Value;

use crate::assist::{Assistant, Channel, TurnInput};
use reward::{GoalSpec, Reward, ScoredProduct};

/// One goal.
#[derive(Debug, Clone)]
pub struct Goal {
    pub asin: Option<String>,
    pub category: String,
    pub instruction: String,
    pub spec: GoalSpec,
}

fn str_of(v: &Value, k: &str) -> String {
    v.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

fn strings_of(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        Some(Value::Object(o)) => o
            .values()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Reads goals from a JSON array or JSONL file; a goal without an instruction is an
/// error naming its position.
pub fn read_goals(path: &Path) -> anyhow::Result<Vec<Goal>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let values: Vec<Value> = if text.trim_start().starts_with('[') {
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?
    } else {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                serde_json::from_str(l)
                    .with_context(|| format!("{} line {}: not JSON", path.display(), i + 1))
            })
            .collect::<anyhow::Result<_>>()?
    };
    values
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let instruction = str_of(g, "instruction_text");
            anyhow::ensure!(
                !instruction.trim().is_empty(),
                "{} goal {}: no instruction_text",
                path.display(),
                i + 1
            );
            Ok(Goal {
                asin: g.get("asin").and_then(Value::as_str).map(String::from),
                category: str_of(g, "category"),
                instruction,
                spec: GoalSpec {
                    query: str_of(g, "query").to_lowercase().trim().to_string(),
                    name: str_of(g, "name"),
                    category: str_of(g, "product_category"),
                    attributes: strings_of(g.get("attributes")),
                    options: strings_of(g.get("goal_options")),
                    price_upper: g
                        .get("price_upper")
                        .and_then(Value::as_f64)
                        .unwrap_or(1_000_000.0),
                },
            })
        })
        .collect()
}

/// Where the WebShop product file is: `explicit`, else beside the goals, else in
/// ../shared/data/webshop.
pub fn find_catalog(explicit: Option<&Path>, goals: &Path) -> anyhow::Result<PathBuf> {
    if let Some(p) = explicit {
        return Ok(p.to_path_buf());
    }
    let name = "products_1k_processed.json";
    let mut candidates = Vec::new();
    if let Some(dir) = goals.parent() {
        candidates.push(dir.join(name));
    }
    candidates.push(PathBuf::from("../shared/data/webshop").join(name));
    candidates
        .iter()
        .find(|p| p.is_file())
        .cloned()
        .with_context(|| {
            format!(
                "no WebShop catalogue: looked for {}; name one with --catalog",
                candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

/// The WebShop catalogue: the items to import (with the fixed prices folded in as
/// `price`) and what the reward reads of each.
pub struct Catalog {
    pub import_text: String,
    pub scored: HashMap<String, ScoredProduct>,
    pub fixed_prices: bool,
}

pub fn read_catalog(path: &Path) -> anyhow::Result<Catalog> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut items: Vec<Value> = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a WebShop product array", path.display()))?;
    let prices_path = path.with_file_name("product_prices_1k.seed0.json");
    let prices: HashMap<String, f64> = match std::fs::read_to_string(&prices_path) {
        Ok(t) => serde_json::from_str(&t)
            .with_context(|| format!("{}: not a price map", prices_path.display()))?,
        Err(_) => HashMap::new(),
    };
    let mut scored = HashMap::new();
    for item in &mut items {
        let asin = str_of(item, "asin");
        if asin.is_empty() {
            continue;
        }
        let low = item
            .get("pricing")
            .and_then(Value::as_array)
            .and_then(|a| a.iter().filter_map(Value::as_f64).reduce(f64::min))
            .unwrap_or(100.0);
        let price = prices.get(&asin).copied().unwrap_or(low);
        if let Some(o) = item.as_object_mut() {
            o.insert("price".into(), Value::from(price));
        }
        let title = if str_of(item, "Title").is_empty() {
            str_of(item, "name")
        } else {
            str_of(item, "Title")
        };
        let description = if str_of(item, "Description").is_empty() {
            str_of(item, "full_description")
        } else {
            str_of(item, "Description")
        };
        scored.insert(
            asin.clone(),
            ScoredProduct {
                asin,
                title,
                bullets: strings_of(item.get("BulletPoints")),
                description,
                attributes: strings_of(item.get("Attributes")),
                query: str_of(item, "query").to_lowercase().trim().to_string(),
                category: str_of(item, "product_category"),
                price,
            },
        );
    }
    Ok(Catalog {
        import_text: serde_json::to_string(&items)?,
        scored,
        fixed_prices: !prices.is_empty(),
    })
}

/// One goal's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct GoalResult {
    pub instruction: String,
    pub category: String,
    pub goal_asin: Option<String>,
    pub bought: Option<String>,
    pub options: BTreeMap<String, String>,
    pub reward: Reward,
    pub goal_product_first: bool,
    /// Whether the model was asked in this turn.
    pub used_model: bool,
    pub millis: f64,
}

/// Score and success for a group of goals.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Group {
    pub goals: usize,
    /// Mean reward × 100.
    pub score: f64,
    /// Share with reward 1.
    pub success: f64,
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct WebShopReport {
    pub engine: String,
    pub goals: usize,
    pub overall: Group,
    pub by_category: BTreeMap<String, Group>,
    /// Mean parts of the reward, to see what limits it.
    pub mean_type_factor: f64,
    pub attributes_matched: f64,
    pub options_matched: f64,
    pub price_ok: f64,
    pub no_product: usize,
    pub goal_product_first: f64,
    /// Goals whose turn asked the model.
    pub model_calls: usize,
    pub median_ms: f64,
    pub p95_ms: f64,
    pub fixed_prices: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<GoalResult>,
}

fn group<'a>(results: impl Iterator<Item = &'a GoalResult>) -> Group {
    let mut g = Group::default();
    for r in results {
        g.goals += 1;
        g.score += r.reward.total;
        g.success += f64::from(u8::from(r.reward.total >= 1.0 - 1e-9));
    }
    if g.goals > 0 {
        g.score = 100.0 * g.score / g.goals as f64;
        g.success /= g.goals as f64;
    }
    g
}

/// Runs every goal as the first turn of a fresh session.
pub fn run(
    engine: &str,
    assistant: &Assistant,
    catalog: &Catalog,
    goals: &[Goal],
    keep_results: bool,
) -> anyhow::Result<WebShopReport> {
    let mut results = Vec::with_capacity(goals.len());
    for g in goals {
        let started = Instant::now();
        let out = assistant
            .turn(TurnInput {
                text: g.instruction.clone(),
                channel: Channel::Text,
                ..Default::default()
            })
            .map_err(|e| anyhow::anyhow!("{}: {e}", g.instruction))?;
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        let first = out.products.first();
        let bought = first.and_then(|p| catalog.scored.get(&p.id));
        let options: BTreeMap<String, String> =
            first.map(|p| p.options.clone()).unwrap_or_default();
        let values: Vec<String> = options.values().cloned().collect();
        let reward = bought
            .map(|p| reward::reward(p, &g.spec, &values))
            .unwrap_or_default();
        results.push(GoalResult {
            instruction: g.instruction.clone(),
            category: g.category.clone(),
            goal_asin: g.asin.clone(),
            bought: first.map(|p| p.id.clone()),
            options,
            reward,
            goal_product_first: g.asin.is_some() && g.asin == first.map(|p| p.id.clone()),
            used_model: out.understanding.used_llm,
            millis,
        });
    }
    let n = results.len().max(1) as f64;
    let mean = |f: &dyn Fn(&GoalResult) -> f64| results.iter().map(f).sum::<f64>() / n;
    let mut by_category: BTreeMap<String, Group> = BTreeMap::new();
    let mut cats: Vec<&str> = results.iter().map(|r| r.category.as_str()).collect();
    cats.sort_unstable();
    cats.dedup();
    for c in cats {
        by_category.insert(
            if c.is_empty() { "-" } else { c }.to_string(),
            group(results.iter().filter(|r| r.category == c)),
        );
    }
    let mut ms: Vec<f64> = results.iter().map(|r| r.millis).collect();
    ms.sort_by(f64::total_cmp);
    Ok(WebShopReport {
        engine: engine.to_string(),
        goals: results.len(),
        overall: group(results.iter()),
        by_category,
        mean_type_factor: mean(&|r| r.reward.r_type),
        attributes_matched: {
            let (m, t) = goals.iter().zip(&results).fold((0, 0), |(m, t), (g, r)| {
                (m + r.reward.attributes_matched, t + g.spec.attributes.len())
            });
            m as f64 / t.max(1) as f64
        },
        options_matched: {
            let (m, t) = goals.iter().zip(&results).fold((0, 0), |(m, t), (g, r)| {
                (m + r.reward.options_matched, t + g.spec.options.len())
            });
            m as f64 / t.max(1) as f64
        },
        price_ok: mean(&|r| f64::from(u8::from(r.reward.price_ok))),
        no_product: results.iter().filter(|r| r.bought.is_none()).count(),
        goal_product_first: mean(&|r| f64::from(u8::from(r.goal_product_first))),
        model_calls: results.iter().filter(|r| r.used_model).count(),
        median_ms: super::quantile(&ms, 0.5),
        p95_ms: super::quantile(&ms, 0.95),
        fixed_prices: catalog.fixed_prices,
        results: if keep_results { results } else { Vec::new() },
    })
}

impl fmt::Display for WebShopReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "WebShop goals: {} ({}, model asked in {}), prices: {}",
            self.goals,
            self.engine,
            self.model_calls,
            if self.fixed_prices {
                "environment's fixed draw"
            } else {
                "low end of ranges"
            }
        )?;
        writeln!(
            f,
            "score {:.1}  success {:.1}%",
            self.overall.score,
            100.0 * self.overall.success
        )?;
        for (c, g) in &self.by_category {
            writeln!(
                f,
                "  {c:<12} {:>5} goals  score {:>5.1}  success {:>5.1}%",
                g.goals,
                g.score,
                100.0 * g.success
            )?;
        }
        writeln!(
            f,
            "parts: type factor {:.3}, attributes {:.1}%, options {:.1}%, price {:.1}%; no product {}; goal product first {:.1}%",
            self.mean_type_factor,
            100.0 * self.attributes_matched,
            100.0 * self.options_matched,
            100.0 * self.price_ok,
            self.no_product,
            100.0 * self.goal_product_first
        )?;
        write!(
            f,
            "time per goal: median {:.0} ms, p95 {:.0} ms",
            self.median_ms, self.p95_ms
        )
    }
}
