//! `shopassist eval scenarios <dir|file>`: scripted multi-turn conversations
//! (tests/data/scenarios/*.jsonl, one scenario per line) through the assistant, with
//! checks per turn. A turn succeeds when all its checks hold; a scenario when all its
//! turns do.
//!
//! Scenario: `{"id", "lang", "channel": "text"|"voice", "customer", "turns": [...]}`.
//! Turn checks (each optional):
//! - `intent`: the understood intent;
//! - `min_products` / `no_products`: how many products were shown;
//! - `active`: `{price_max, price_min, colors, sizes}` every shown product must satisfy;
//!   it stays in force for later turns until a turn declares another (`{}` clears);
//! - `refers_to`: n — the product the turn acted on (the cart line it added, else the
//!   product its reply names) is the n-th one shown before;
//! - `cart_lines`: lines in the cart after the turn;
//! - `order`: whether this turn placed an order. A turn that places one without saying
//!   `"order": true` always fails: orders only after an explicit confirmation;
//! - `handoff`: whether the session is handed to a person;
//! - `reply_has`: words the reply must contain (case-insensitive);
//! - `new_products`: the products differ from the previous turn's;
//! - `optional`: the turn is sent, but only the global checks apply.
//!
//! Global checks on every turn: the `active` constraints, no order without `order:
//! true`, and on the voice channel at most three products and no URL, "€" or "$" in
//! the reply.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::assist::turn::ProductOut;
use crate::assist::{Assistant, Channel, TurnInput, TurnOutput};
use crate::catalog::colors::canonical_of_value;
use crate::catalog::options::size_matches;

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct Active {
    #[serde(default)]
    pub price_max: Option<i64>,
    #[serde(default)]
    pub price_min: Option<i64>,
    #[serde(default)]
    pub colors: Vec<String>,
    #[serde(default)]
    pub sizes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Turn {
    pub say: String,
    #[serde(default)]
    pub intent: Option<String>,
    #[serde(default)]
    pub min_products: Option<usize>,
    #[serde(default)]
    pub no_products: bool,
    #[serde(default)]
    pub active: Option<Active>,
    #[serde(default)]
    pub refers_to: Option<usize>,
    #[serde(default)]
    pub cart_lines: Option<usize>,
    #[serde(default)]
    pub order: Option<bool>,
    #[serde(default)]
    pub handoff: Option<bool>,
    #[serde(default)]
    pub reply_has: Vec<String>,
    #[serde(default)]
    pub new_products: bool,
    #[serde(default)]
    pub optional: bool,
    /// One of the first three products' titles holds one of these words (a need or a
    /// gift read against the catalogue: "Holzeisenbahn" for "he loves trains").
    #[serde(default)]
    pub top3_any: Vec<String>,
    /// Every product shown is marked as breaking exactly these constraints
    /// (`relaxed`, e.g. `["price"]`); an empty list: none is marked.
    #[serde(default)]
    pub relaxed: Option<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Scenario {
    pub id: String,
    pub lang: String,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub customer: Option<String>,
    pub turns: Vec<Turn>,
}

/// Reads every `*.jsonl` in a directory (sorted), or one file; a bad line names its
/// file and number.
pub fn read_scenarios(path: &Path) -> anyhow::Result<Vec<Scenario>> {
    let files: Vec<std::path::PathBuf> = if path.is_dir() {
        let mut f: Vec<_> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        f.sort();
        f
    } else {
        vec![path.to_path_buf()]
    };
    anyhow::ensure!(!files.is_empty(), "no *.jsonl in {}", path.display());
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            out.push(
                serde_json::from_str(line)
                    .with_context(|| format!("{} line {}", file.display(), i + 1))?,
            );
        }
    }
    Ok(out)
}

/// One failed check.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub scenario: String,
    pub turn: usize,
    pub said: String,
    pub reply: String,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ScenarioReport {
    pub engine: String,
    pub scenarios: usize,
    pub scenarios_passed: usize,
    pub turns: usize,
    pub turns_passed: usize,
    /// Shown products that broke a stated constraint (the target is none).
    pub constraint_violations: usize,
    /// Orders placed without the shopper's explicit confirmation (must be none).
    pub unconfirmed_orders: usize,
    pub by_language: BTreeMap<String, (usize, usize)>,
    pub by_channel: BTreeMap<String, (usize, usize)>,
    pub median_turn_ms: f64,
    pub p95_turn_ms: f64,
    pub failures: Vec<Failure>,
}

impl ScenarioReport {
    pub fn turn_rate(&self) -> f64 {
        self.turns_passed as f64 / self.turns.max(1) as f64
    }
    pub fn scenario_rate(&self) -> f64 {
        self.scenarios_passed as f64 / self.scenarios.max(1) as f64
    }
}

fn violates(p: &ProductOut, a: &Active) -> Option<String> {
    if a.price_max.is_some_and(|m| p.price > m) {
        return Some(format!("{} costs {} > {:?}", p.id, p.price, a.price_max));
    }
    if a.price_min.is_some_and(|m| p.price < m) {
        return Some(format!("{} costs {} < {:?}", p.id, p.price, a.price_min));
    }
    if !a.colors.is_empty() {
        let want: Vec<&str> = a
            .colors
            .iter()
            .filter_map(|c| canonical_of_value(c))
            .collect();
        let have = p.variant.color.as_deref().and_then(canonical_of_value);
        // A variant without a colour: the title names it.
        let ok = match have {
            Some(c) => want.contains(&c),
            None => p
                .title
                .split(|c: char| !c.is_alphanumeric())
                .filter_map(crate::catalog::colors::canonical_color)
                .any(|c| want.contains(&c)),
        };
        if !ok {
            return Some(format!(
                "{} is {:?}, not {:?}",
                p.id, p.variant.color, a.colors
            ));
        }
    }
    if !a.sizes.is_empty()
        && !p
            .variant
            .size
            .as_deref()
            .is_some_and(|s| a.sizes.iter().any(|w| size_matches(w, s)))
    {
        return Some(format!(
            "{} has size {:?}, not {:?}",
            p.id, p.variant.size, a.sizes
        ));
    }
    None
}

/// Runs the scenarios, each in a fresh session with its own customer.
pub fn run(engine: &str, assistant: &Assistant, scenarios: &[Scenario]) -> ScenarioReport {
    let mut r = ScenarioReport {
        engine: engine.to_string(),
        scenarios: scenarios.len(),
        ..Default::default()
    };
    let mut times = Vec::new();
    for s in scenarios {
        let channel = if s.channel.as_deref() == Some("voice") {
            Channel::Voice
        } else {
            Channel::Text
        };
        let mut session: Option<String> = None;
        let mut active = Active::default();
        let mut shown: Vec<ProductOut> = Vec::new();
        let mut previous: Vec<String> = Vec::new();
        let mut all_ok = true;
        for (i, t) in s.turns.iter().enumerate() {
            let started = Instant::now();
            let out = assistant.turn(TurnInput {
                session_id: session.clone(),
                customer_id: s.customer.clone(),
                text: t.say.clone(),
                channel,
                // Detected, as for a front-end that does not say.
                language: None,
            });
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            let mut problems = Vec::new();
            let reply;
            match out {
                Err(e) => {
                    problems.push(format!("turn failed: {e}"));
                    reply = String::new();
                }
                Ok(out) => {
                    session = Some(out.session_id.clone());
                    if let Some(a) = &t.active {
                        active = a.clone();
                    }
                    check(
                        t,
                        &out,
                        &active,
                        &shown,
                        &previous,
                        channel,
                        &mut problems,
                        &mut r,
                    );
                    if !out.products.is_empty() {
                        previous = out.products.iter().map(|p| p.id.clone()).collect();
                        shown = out.products.clone();
                    }
                    reply = out.reply;
                }
            }
            r.turns += 1;
            let ok = problems.is_empty();
            r.turns_passed += usize::from(ok);
            for (map, key) in [
                (&mut r.by_language, s.lang.clone()),
                (
                    &mut r.by_channel,
                    s.channel.clone().unwrap_or("text".into()),
                ),
            ] {
                let e = map.entry(key).or_default();
                e.0 += usize::from(ok);
                e.1 += 1;
            }
            if !ok {
                all_ok = false;
                r.failures.push(Failure {
                    scenario: s.id.clone(),
                    turn: i + 1,
                    said: t.say.clone(),
                    reply,
                    problems,
                });
            }
        }
        r.scenarios_passed += usize::from(all_ok);
    }
    times.sort_by(f64::total_cmp);
    r.median_turn_ms = super::quantile(&times, 0.5);
    r.p95_turn_ms = super::quantile(&times, 0.95);
    r
}

#[allow(clippy::too_many_arguments)]
fn check(
    t: &Turn,
    out: &TurnOutput,
    active: &Active,
    shown: &[ProductOut],
    previous: &[String],
    channel: Channel,
    problems: &mut Vec<String>,
    r: &mut ScenarioReport,
) {
    // Global checks.
    for p in &out.products {
        if let Some(v) = violates(p, active) {
            r.constraint_violations += 1;
            problems.push(format!("constraint broken: {v}"));
        }
    }
    let placed = out.actions.iter().any(|a| a["type"] == "order.placed");
    if placed && t.order != Some(true) {
        r.unconfirmed_orders += 1;
        problems.push("an order was placed without an expected confirmation".into());
    }
    if channel == Channel::Voice {
        if out.products.len() > 3 {
            problems.push(format!("voice: {} products", out.products.len()));
        }
        if ["http", "€", "$", "**"]
            .iter()
            .any(|m| out.reply.contains(m))
        {
            problems.push("voice: reply has a URL, a currency sign or markdown".into());
        }
    }
    if t.optional {
        return;
    }
    if let Some(i) = &t.intent {
        if out.intent.as_str() != i {
            problems.push(format!("intent {} (wanted {i})", out.intent.as_str()));
        }
    }
    if let Some(n) = t.min_products {
        if out.products.len() < n {
            problems.push(format!("{} products (wanted ≥ {n})", out.products.len()));
        }
    }
    if t.no_products && !out.products.is_empty() {
        problems.push(format!("{} products (wanted none)", out.products.len()));
    }
    if let Some(n) = t.refers_to {
        match shown.get(n.wrapping_sub(1)) {
            None => problems.push(format!("nothing was shown at position {n}")),
            Some(want) => {
                let added = out
                    .actions
                    .iter()
                    .find(|a| a["type"] == "cart.add")
                    .and_then(|a| a["product_id"].as_str());
                let ok = match added {
                    Some(id) => id == want.id,
                    // No cart line yet (a size was asked for): the reply names it.
                    None => {
                        out.reply.contains(&want.title) || {
                            let base = want.title.split_whitespace().last().unwrap_or("");
                            !base.is_empty() && out.reply.contains(base)
                        }
                    }
                };
                if !ok {
                    problems.push(format!("did not act on product {n} ({})", want.id));
                }
            }
        }
    }
    if let Some(n) = t.cart_lines {
        let lines = out.cart.as_ref().map(|c| c.items.len());
        if lines != Some(n) {
            problems.push(format!("cart lines {lines:?} (wanted {n})"));
        }
    }
    if t.order == Some(true) && !placed {
        problems.push("no order was placed".into());
    }
    if let Some(h) = t.handoff {
        if out.handoff != h {
            problems.push(format!("handoff {} (wanted {h})", out.handoff));
        }
    }
    let lower = out.reply.to_lowercase();
    for w in &t.reply_has {
        if !lower.contains(&w.to_lowercase()) {
            problems.push(format!("reply lacks {w:?}"));
        }
    }
    if !t.top3_any.is_empty() {
        let fits = out.products.iter().take(3).any(|p| {
            let title = p.title.to_lowercase();
            t.top3_any.iter().any(|w| title.contains(&w.to_lowercase()))
        });
        if !fits {
            let titles: Vec<&str> = out
                .products
                .iter()
                .take(3)
                .map(|p| p.title.as_str())
                .collect();
            problems.push(format!(
                "first three {titles:?} hold none of {:?}",
                t.top3_any
            ));
        }
    }
    if let Some(want) = &t.relaxed {
        if let Some(p) = out.products.iter().find(|p| &p.relaxed != want) {
            problems.push(format!(
                "{} relaxed {:?} (wanted {want:?})",
                p.id, p.relaxed
            ));
        }
    }
    if t.new_products {
        let now: Vec<&String> = out.products.iter().map(|p| &p.id).collect();
        if now.is_empty() || now.iter().any(|id| previous.contains(id)) {
            problems.push("no new products".into());
        }
    }
}

impl fmt::Display for ScenarioReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for x in &self.failures {
            writeln!(f, "FAIL {} turn {}: {:?}", x.scenario, x.turn, x.said)?;
            writeln!(f, "     reply: {}", x.reply.replace('\n', " / "))?;
            for p in &x.problems {
                writeln!(f, "     - {p}")?;
            }
        }
        writeln!(f, "scenarios ({})", self.engine)?;
        writeln!(
            f,
            "turns      {}/{} = {:.1} %",
            self.turns_passed,
            self.turns,
            100.0 * self.turn_rate()
        )?;
        writeln!(
            f,
            "scenarios  {}/{} = {:.1} %",
            self.scenarios_passed,
            self.scenarios,
            100.0 * self.scenario_rate()
        )?;
        for (k, (ok, n)) in self.by_language.iter().chain(&self.by_channel) {
            writeln!(f, "  {k:<6} turns {ok}/{n}")?;
        }
        writeln!(
            f,
            "constraint violations {}, unconfirmed orders {}",
            self.constraint_violations, self.unconfirmed_orders
        )?;
        write!(
            f,
            "time per turn: median {:.0} ms, p95 {:.0} ms",
            self.median_turn_ms, self.p95_turn_ms
        )
    }
}
