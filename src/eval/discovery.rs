//! Discovery: open requests (needs, problems, activities, occasions, gifts for a
//! described person) as a shopper's first turn, judged by the first products shown.
//!
//! A case names the product types that would fit; a shown product fits when its
//! category's last segment is one of them or its title begins with one ("Regenjacke
//! Nordkap" is a "Regenjacke"). Figures: hit@3 (a fitting product among the first
//! three), precision@3 (fitting share of the first three slots), nDCG@5 (binary gain)
//! and the time per request.

use std::path::Path;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::quantile;
use crate::assist::{Assistant, Channel, TurnInput};
use crate::catalog::Product;

/// One request of a discovery set (JSONL).
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub text: String,
    #[serde(default)]
    pub lang: Option<String>,
    /// `typed` or `voice` (sent on the voice channel).
    #[serde(default)]
    pub style: Option<String>,
    pub types: Vec<String>,
}

/// Reads a JSONL discovery set; a bad line is an error naming its number.
pub fn read_cases(path: &Path) -> anyhow::Result<Vec<Case>> {
    let text = std::fs::read_to_string(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let c: Case = serde_json::from_str(line)
            .map_err(|e| anyhow::anyhow!("{} line {}: {e}", path.display(), i + 1))?;
        anyhow::ensure!(
            !c.types.is_empty(),
            "{} line {}: no types",
            path.display(),
            i + 1
        );
        out.push(c);
    }
    Ok(out)
}

/// Whether `p` is one of `types`.
pub fn fits(p: &Product, types: &[String]) -> bool {
    let last = p
        .category
        .last()
        .map(|c| c.to_lowercase())
        .unwrap_or_default();
    let title = p.title.to_lowercase();
    types.iter().any(|t| {
        let t = t.to_lowercase();
        last == t || title.starts_with(&format!("{t} ")) || title == t
    })
}

/// One request's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub text: String,
    pub shown: Vec<String>,
    /// The model's ideas for the request, if it was asked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ideas: Vec<String>,
    pub hit_at_3: bool,
    pub precision_at_3: f64,
    pub ndcg_at_5: f64,
    pub millis: f64,
}

/// The figures of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub engine: String,
    pub cases: usize,
    pub hit_at_3: f64,
    pub precision_at_3: f64,
    pub ndcg_at_5: f64,
    pub hit_at_3_de: f64,
    pub hit_at_3_en: f64,
    pub hit_at_3_voice: f64,
    /// Requests the model gave ideas for, and how many of those hit.
    pub with_ideas: usize,
    pub with_ideas_hit: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub results: Vec<CaseResult>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "discovery: {} requests ({})", self.cases, self.engine)?;
        writeln!(
            f,
            "hit@3 {:.1} %  precision@3 {:.1} %  nDCG@5 {:.3}",
            100.0 * self.hit_at_3,
            100.0 * self.precision_at_3,
            self.ndcg_at_5
        )?;
        writeln!(
            f,
            "hit@3 German {:.1} %, English {:.1} %, voice style {:.1} %",
            100.0 * self.hit_at_3_de,
            100.0 * self.hit_at_3_en,
            100.0 * self.hit_at_3_voice
        )?;
        if self.with_ideas > 0 {
            writeln!(
                f,
                "the model's ideas: {} requests, {} of them hit",
                self.with_ideas, self.with_ideas_hit
            )?;
        }
        writeln!(
            f,
            "time per request: median {:.0} ms, p95 {:.0} ms",
            self.p50_ms, self.p95_ms
        )?;
        let misses: Vec<&CaseResult> = self.results.iter().filter(|r| !r.hit_at_3).collect();
        writeln!(f, "misses ({}):", misses.len())?;
        for r in misses.iter().take(40) {
            let ideas = if r.ideas.is_empty() {
                String::new()
            } else {
                format!(" (ideas: {})", r.ideas.join(", "))
            };
            writeln!(f, "  {:?}{ideas} -> {}", r.text, r.shown.join(" | "))?;
        }
        Ok(())
    }
}

/// Runs every case as the first turn of a fresh session.
pub fn run(engine: &str, assistant: &Assistant, cases: &[Case]) -> anyhow::Result<Report> {
    let mut results = Vec::with_capacity(cases.len());
    let mut groups: Vec<(bool, bool, bool)> = Vec::new();
    let mut with_ideas = (0usize, 0usize);
    for c in cases {
        let voice = c.style.as_deref() == Some("voice");
        let started = Instant::now();
        let out = assistant
            .turn(TurnInput {
                text: c.text.clone(),
                channel: if voice { Channel::Voice } else { Channel::Text },
                ..Default::default()
            })
            .map_err(|e| anyhow::anyhow!("{}: {e}", c.text))?;
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        let gains: Vec<bool> = out
            .products
            .iter()
            .take(5)
            .map(|p| {
                assistant
                    .shop
                    .product(&p.id)
                    .is_some_and(|p| fits(&p, &c.types))
            })
            .collect();
        let hit_at_3 = gains.iter().take(3).any(|g| *g);
        let precision_at_3 = gains.iter().take(3).filter(|g| **g).count() as f64 / 3.0;
        let dcg: f64 = gains
            .iter()
            .enumerate()
            .filter(|(_, g)| **g)
            .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
            .sum();
        let ideal: f64 = (0..5).map(|i| 1.0 / (i as f64 + 2.0).log2()).sum();
        groups.push((c.lang.as_deref() == Some("de"), voice, hit_at_3));
        if !out.understanding.ideas.is_empty() {
            with_ideas.0 += 1;
            with_ideas.1 += usize::from(hit_at_3);
        }
        results.push(CaseResult {
            text: c.text.clone(),
            shown: out
                .products
                .iter()
                .take(3)
                .map(|p| p.title.clone())
                .collect(),
            ideas: out.understanding.ideas.clone(),
            hit_at_3,
            precision_at_3,
            ndcg_at_5: dcg / ideal,
            millis,
        });
    }
    let n = results.len().max(1) as f64;
    let mean = |f: &dyn Fn(&CaseResult) -> f64| results.iter().map(f).sum::<f64>() / n;
    let share = |pick: &dyn Fn(&(bool, bool, bool)) -> bool| {
        let g: Vec<_> = groups.iter().filter(|x| pick(x)).collect();
        g.iter().filter(|x| x.2).count() as f64 / g.len().max(1) as f64
    };
    let mut times: Vec<f64> = results.iter().map(|r| r.millis).collect();
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(Report {
        engine: engine.to_string(),
        cases: results.len(),
        hit_at_3: mean(&|r| f64::from(u8::from(r.hit_at_3))),
        precision_at_3: mean(&|r| r.precision_at_3),
        ndcg_at_5: mean(&|r| r.ndcg_at_5),
        hit_at_3_de: share(&|x| x.0),
        hit_at_3_en: share(&|x| !x.0),
        hit_at_3_voice: share(&|x| x.1),
        with_ideas: with_ideas.0,
        with_ideas_hit: with_ideas.1,
        p50_ms: quantile(&times, 0.5),
        p95_ms: quantile(&times, 0.95),
        results,
    })
}
