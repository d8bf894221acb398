//! The end-to-end benchmark behind `bench/run load`: starts the release daemon on the
//! demo catalogue in a fresh data directory, and measures it over loopback the way a
//! storefront meets it.
//!
//! - cold start: process start to `/healthz`, to the first product search answered, and
//!   to `/readyz` (model loaded) and to no component warming (the product vectors
//!   in); once on an empty data directory (import + index + vectors) and once again on
//!   the same directory (index and vectors reopened). Turns are measured only once
//!   the vectors are in: before that search is lexical, and an open message that
//!   names no product finds nothing by its words and waits for the model;
//! - RSS idle after ready, and the highest RSS seen while each load step runs;
//! - conversations of seven turns (search, refine, product question, add to cart,
//!   checkout, confirm, and an open message with no cue the rules know, which the model
//!   reads), German and English, text and voice channel, streamed from
//!   `POST /v1/assist`: per kind of turn, time to the first `products` event and to
//!   `done`, p50/p95/p99, at each concurrency (1, 4, 16 by default). A turn answered 503
//!   is counted as shed and sent again after `Retry-After`, the way a client does;
//! - saturation: many clients (far more than the daemon's turn places) each sending
//!   search turns back to back, nobody retrying: answered turns per second, the 503
//!   share, how fast the 503s come, and catalogue search latency meanwhile;
//! - the model's work over the whole run (tokens read and generated, from `/metrics`).
//!
//! Every step has a bounded number of requests and the run ends by itself.
//!
//!     cargo run --release --example load -- --model test [--json]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use futures_util::StreamExt;
use serde_json::{json, Value};
use shopassist::eval::quantile;

#[derive(Parser)]
struct Args {
    /// The daemon binary.
    #[arg(long, default_value = "target/release/shopassist")]
    bin: PathBuf,
    /// Model: default, test, or a .gguf path.
    #[arg(long, default_value = "default")]
    model: String,
    /// Concurrency levels for the conversation step.
    #[arg(long, value_delimiter = ',', default_value = "1,4,16")]
    concurrency: Vec<usize>,
    /// Conversations per concurrency level: this many per client, at least 8 in all.
    #[arg(long, default_value_t = 2)]
    rounds: usize,
    /// Clients in the saturation step.
    #[arg(long, default_value_t = 64)]
    burst: usize,
    /// Turns each saturation client sends, one after another.
    #[arg(long, default_value_t = 4)]
    burst_turns: usize,
    /// Print one JSON document instead of tables.
    #[arg(long)]
    json: bool,
}

/// One scripted conversation: language, channel, and (kind, text) turns.
struct Script {
    lang: &'static str,
    channel: &'static str,
    turns: [(&'static str, &'static str); 8],
}

/// Kinds in the order each conversation has them (and the report lists them).
const KINDS: [&str; 8] = [
    "search",
    "refine",
    "question",
    "add_to_cart",
    "checkout",
    "confirm",
    "open",
    "keyword",
];

const SCRIPTS: &[Script] = &[
    Script {
        lang: "de",
        channel: "text",
        turns: [
            ("search", "Ich suche eine wasserdichte Regenjacke"),
            ("refine", "unter 150 Euro"),
            ("question", "ist die erste wasserdicht?"),
            ("add_to_cart", "leg die erste in den Warenkorb"),
            ("checkout", "zur Kasse"),
            ("confirm", "ja"),
            ("open", "mir ist beim Radfahren immer so kalt an den Händen"),
            ("keyword", "kaffee"),
        ],
    },
    Script {
        lang: "en",
        channel: "text",
        turns: [
            ("search", "I need running shoes in black"),
            ("refine", "under 120 euros"),
            ("question", "how much is the second one?"),
            ("add_to_cart", "add the first one to my cart"),
            ("checkout", "checkout please"),
            ("confirm", "yes"),
            ("open", "my wife is always cold in the office"),
            ("keyword", "t-shirt white"),
        ],
    },
    Script {
        lang: "de",
        channel: "voice",
        turns: [
            ("search", "äh ich brauche kopfhörer"),
            ("refine", "unter zweihundert euro"),
            ("question", "was kostet das zweite"),
            ("add_to_cart", "das erste bitte in den warenkorb"),
            ("checkout", "ich möchte bestellen"),
            ("confirm", "ja bitte"),
            ("open", "meine oma friert immer so beim spazierengehen"),
            ("keyword", "rucksack in blau"),
        ],
    },
    Script {
        lang: "en",
        channel: "voice",
        turns: [
            ("search", "um i am looking for a sweater in red"),
            ("refine", "under fifty euros"),
            ("question", "is the first one in stock"),
            ("add_to_cart", "put the first one in my cart"),
            ("checkout", "i want to check out"),
            ("confirm", "yes"),
            ("open", "something nice for a rainy weekend in the hills"),
            ("keyword", "headphones up to eighty euros"),
        ],
    },
];

/// A daemon process, stopped when dropped.
struct Daemon {
    child: Child,
    base: String,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Times from process start, in ms.
#[derive(Debug, Default, Clone, serde::Serialize)]
struct Start {
    healthz_ms: f64,
    first_search_ms: f64,
    ready_ms: f64,
    /// To no component warming: the product vectors are in, so search is hybrid.
    /// Turns are measured only from here: before it an open message finds nothing by
    /// its words and waits for the model.
    warm_ms: f64,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn start(args: &Args, data: &Path) -> anyhow::Result<(Daemon, Start)> {
    let port = free_port();
    let log = std::fs::File::create(data.join("daemon.log"))?;
    let t0 = Instant::now();
    let child = Command::new(&args.bin)
        .args(["--model", &args.model, "--data-dir"])
        .arg(data)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()?;
    let daemon = Daemon {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let http = reqwest::blocking::Client::new();
    let mut times = Start::default();
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    let search = format!("{}/v1/products/search?q=jacke&limit=1", daemon.base);
    loop {
        anyhow::ensure!(
            t0.elapsed() < Duration::from_secs(600),
            "the daemon was not ready (vectors in) within 10 minutes; see {}",
            data.join("daemon.log").display()
        );
        let ok = |u: &str| http.get(u).send().is_ok_and(|r| r.status().is_success());
        if times.healthz_ms == 0.0 && ok(&format!("{}/healthz", daemon.base)) {
            times.healthz_ms = ms(t0);
        }
        if times.healthz_ms > 0.0 && times.first_search_ms == 0.0 && ok(&search) {
            times.first_search_ms = ms(t0);
        }
        if times.first_search_ms > 0.0
            && times.ready_ms == 0.0
            && ok(&format!("{}/readyz", daemon.base))
        {
            times.ready_ms = ms(t0);
        }
        if times.ready_ms > 0.0 {
            let warming = http
                .get(format!("{}/readyz", daemon.base))
                .send()
                .and_then(|r| r.json::<Value>())
                .map(|v| {
                    v["components"]
                        .as_object()
                        .is_some_and(|c| c.values().any(|s| s["state"] == "warming"))
                })
                .unwrap_or(true);
            if !warming {
                times.warm_ms = ms(t0);
                return Ok((daemon, times));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Resident and peak resident memory of a process, in MB.
fn rss_mb(pid: u32) -> (f64, f64) {
    shopassist::bench::memory_mb(&pid.to_string())
}

/// What one streamed turn gave.
struct TurnTimes {
    status: u16,
    to_products_ms: Option<f64>,
    to_done_ms: f64,
    session_id: Option<String>,
}

async fn streamed_turn(
    http: &reqwest::Client,
    base: &str,
    body: &Value,
) -> anyhow::Result<TurnTimes> {
    let t0 = Instant::now();
    let resp = http
        .post(format!("{base}/v1/assist"))
        .header("accept", "text/event-stream")
        .json(body)
        .send()
        .await?;
    let status = resp.status().as_u16();
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    if status != 200 {
        let _ = resp.bytes().await;
        return Ok(TurnTimes {
            status,
            to_products_ms: None,
            to_done_ms: ms(t0),
            session_id: None,
        });
    }
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    let mut out = TurnTimes {
        status,
        to_products_ms: None,
        to_done_ms: 0.0,
        session_id: None,
    };
    while let Some(chunk) = stream.next().await {
        buf.push_str(&String::from_utf8_lossy(&chunk?));
        while let Some(end) = buf.find("\n\n") {
            let event: String = buf.drain(..end + 2).collect();
            let name = event
                .lines()
                .find_map(|l| l.strip_prefix("event:"))
                .map(str::trim);
            let data: String = event
                .lines()
                .filter_map(|l| l.strip_prefix("data:"))
                .map(str::trim_start)
                .collect();
            match name {
                Some("understanding") => {
                    let v: Value = serde_json::from_str(&data)?;
                    out.session_id = v["session_id"].as_str().map(String::from);
                }
                Some("products") if out.to_products_ms.is_none() => {
                    out.to_products_ms = Some(ms(t0));
                }
                Some("done") => {
                    out.to_done_ms = ms(t0);
                    return Ok(out);
                }
                Some("error") => anyhow::bail!("turn failed mid-stream: {data}"),
                _ => {}
            }
        }
    }
    anyhow::bail!("the stream ended without a done event")
}

/// Latencies collected per kind of turn and channel.
#[derive(Default)]
struct Samples {
    to_products: BTreeMap<String, Vec<f64>>,
    to_done: BTreeMap<String, Vec<f64>>,
    turns: usize,
    shed: usize,
}

fn summary(values: &[f64]) -> Value {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    json!({
        "n": v.len(),
        "p50_ms": quantile(&v, 0.50),
        "p95_ms": quantile(&v, 0.95),
        "p99_ms": quantile(&v, 0.99),
    })
}

/// Runs `conversations` scripted conversations with `clients` of them at a time.
async fn conversations(base: &str, clients: usize, conversations: usize, tag: &str) -> Samples {
    let next = Arc::new(AtomicUsize::new(0));
    let samples = Arc::new(Mutex::new(Samples::default()));
    let http = reqwest::Client::new();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (next, samples, http, base, tag) = (
            next.clone(),
            samples.clone(),
            http.clone(),
            base.to_string(),
            tag.to_string(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= conversations {
                    break;
                }
                let script = &SCRIPTS[n % SCRIPTS.len()];
                let customer = format!("bench-{tag}-{n}");
                let mut session: Option<String> = None;
                for (kind, text) in script.turns {
                    let body = json!({
                        "session_id": session,
                        "customer_id": customer,
                        "text": text,
                        "channel": script.channel,
                        "language": script.lang,
                    });
                    // A shed turn is sent again after Retry-After (1 s), at most 30 times.
                    let mut tries = 0;
                    let t = loop {
                        tries += 1;
                        match streamed_turn(&http, &base, &body).await {
                            Ok(t) if t.status == 503 && tries < 30 => {
                                samples.lock().unwrap().shed += 1;
                                tokio::time::sleep(Duration::from_secs(1)).await;
                            }
                            Ok(t) => break Some(t),
                            Err(e) => {
                                eprintln!("turn `{text}`: {e}");
                                break None;
                            }
                        }
                    };
                    let Some(t) = t else { break };
                    if t.status != 200 {
                        eprintln!("turn `{text}`: HTTP {}", t.status);
                        break;
                    }
                    session = t.session_id.or(session);
                    let mut s = samples.lock().unwrap();
                    s.turns += 1;
                    for key in [kind.to_string(), format!("{kind}/{}", script.channel)] {
                        if let Some(p) = t.to_products_ms {
                            s.to_products.entry(key.clone()).or_default().push(p);
                        }
                        s.to_done.entry(key).or_default().push(t.to_done_ms);
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Arc::try_unwrap(samples)
        .ok()
        .expect("every client has finished")
        .into_inner()
        .unwrap()
}

/// Samples RSS every 50 ms until told to stop; gives the highest seen.
fn watch_rss(
    pid: u32,
) -> (
    Arc<std::sync::atomic::AtomicBool>,
    std::thread::JoinHandle<f64>,
) {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let handle = std::thread::spawn(move || {
        let mut max: f64 = 0.0;
        while !flag.load(Ordering::Relaxed) {
            max = max.max(rss_mb(pid).0);
            std::thread::sleep(Duration::from_millis(50));
        }
        max
    });
    (stop, handle)
}

/// `clients` clients each sending `turns` search turns back to back, nobody retrying;
/// catalogue searches alongside.
async fn saturation(base: &str, clients: usize, turns: usize) -> Value {
    let http = reqwest::Client::new();
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for n in 0..clients {
        let (http, base) = (http.clone(), base.to_string());
        let script = &SCRIPTS[n % SCRIPTS.len()];
        let body = json!({
            "text": script.turns[0].1,
            "channel": script.channel,
            "language": script.lang,
        });
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for _ in 0..turns {
                out.push(streamed_turn(&http, &base, &body).await.ok());
            }
            out
        }));
    }
    let searcher = {
        let (http, base) = (http.clone(), base.to_string());
        tokio::spawn(async move {
            let mut search_ms = Vec::new();
            for q in [
                "regenjacke",
                "laufschuhe schwarz",
                "kopfhörer",
                "pullover rot",
            ]
            .iter()
            .cycle()
            .take(40)
            {
                let t = Instant::now();
                let ok = http
                    .get(format!("{base}/v1/products/search?q={q}&limit=10"))
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                if ok {
                    search_ms.push(t.elapsed().as_secs_f64() * 1e3);
                }
            }
            search_ms
        })
    };
    let (mut ok, mut shed_ms, mut other) = (Vec::new(), Vec::new(), 0usize);
    for t in tasks {
        for r in t.await.unwrap_or_default() {
            match r {
                Some(t) if t.status == 200 => ok.push(t.to_done_ms),
                Some(t) if t.status == 503 => shed_ms.push(t.to_done_ms),
                _ => other += 1,
            }
        }
    }
    let wall = t0.elapsed().as_secs_f64();
    let search_ms = searcher.await.unwrap_or_default();
    let sent = clients * turns;
    json!({
        "clients": clients,
        "sent": sent,
        "answered": ok.len(),
        "shed_503": shed_ms.len(),
        "shed_share": shed_ms.len() as f64 / sent as f64,
        "failed_other": other,
        "wall_s": wall,
        "turns_per_s": ok.len() as f64 / wall,
        "answered_to_done": summary(&ok),
        "shed_answer": summary(&shed_ms),
        "search_during_burst": summary(&search_ms),
    })
}

/// The model's token counters from `/metrics`.
fn model_tokens(base: &str) -> Value {
    let text = reqwest::blocking::get(format!("{base}/metrics"))
        .and_then(|r| r.text())
        .unwrap_or_default();
    let counter = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().last())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    json!({
        "prompt_tokens": counter("shopassist_llm_prompt_tokens_total"),
        "generated_tokens": counter("shopassist_llm_generated_tokens_total"),
    })
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let data = tempfile::tempdir()?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;

    // Cold start on an empty directory, then a restart on the same one.
    let (first, cold) = start(&args, data.path())?;
    drop(first);
    let (daemon, warm) = start(&args, data.path())?;
    let pid = daemon.child.id();
    std::thread::sleep(Duration::from_millis(500));
    let (idle_rss, _) = rss_mb(pid);

    let mut levels = Vec::new();
    for &c in &args.concurrency {
        let n = (c * args.rounds).max(8);
        let (stop, watcher) = watch_rss(pid);
        let t0 = Instant::now();
        let s = rt.block_on(conversations(&daemon.base, c, n, &format!("c{c}")));
        let wall = t0.elapsed().as_secs_f64();
        stop.store(true, Ordering::Relaxed);
        let peak = watcher.join().unwrap_or(0.0);
        let kinds = |m: &BTreeMap<String, Vec<f64>>| -> Value {
            m.iter().map(|(k, v)| (k.clone(), summary(v))).collect()
        };
        levels.push(json!({
            "concurrency": c,
            "conversations": n,
            "turns": s.turns,
            "shed_503": s.shed,
            "wall_s": wall,
            "turns_per_s": s.turns as f64 / wall,
            "rss_peak_mb": peak,
            "to_products": kinds(&s.to_products),
            "to_done": kinds(&s.to_done),
        }));
    }
    let (stop, watcher) = watch_rss(pid);
    let sat = rt.block_on(saturation(&daemon.base, args.burst, args.burst_turns));
    stop.store(true, Ordering::Relaxed);
    let sat_peak = watcher.join().unwrap_or(0.0);
    let (_, hwm) = rss_mb(pid);

    let report = json!({
        "model": args.model,
        "cold_start_empty_dir": cold,
        "restart": warm,
        "rss_idle_mb": idle_rss,
        "rss_peak_mb": hwm,
        "conversations": levels,
        "saturation": sat,
        "saturation_rss_peak_mb": sat_peak,
        "model_tokens": model_tokens(&daemon.base),
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_tables(&report);
    }
    Ok(())
}

fn print_tables(r: &Value) {
    let f = |v: &Value| v.as_f64().map_or("-".into(), |x| format!("{x:.0}"));
    println!("model: {}", r["model"].as_str().unwrap_or(""));
    for (name, key) in [
        ("first start", "cold_start_empty_dir"),
        ("restart", "restart"),
    ] {
        let s = &r[key];
        println!(
            "{name}: healthz {} ms, first search {} ms, ready {} ms, vectors in {} ms",
            f(&s["healthz_ms"]),
            f(&s["first_search_ms"]),
            f(&s["ready_ms"]),
            f(&s["warm_ms"])
        );
    }
    println!(
        "RSS idle {} MB, peak {} MB",
        f(&r["rss_idle_mb"]),
        f(&r["rss_peak_mb"])
    );
    for l in r["conversations"].as_array().into_iter().flatten() {
        println!(
            "\nconcurrency {}: {} turns in {:.1} s ({:.2} turns/s), {} shed and retried, RSS peak {} MB",
            l["concurrency"],
            l["turns"],
            l["wall_s"].as_f64().unwrap_or(0.0),
            l["turns_per_s"].as_f64().unwrap_or(0.0),
            l["shed_503"],
            f(&l["rss_peak_mb"])
        );
        println!("| turn | n | to products p50 / p95 / p99 ms | to done p50 / p95 / p99 ms |");
        println!("| --- | --- | --- | --- |");
        let rows = KINDS
            .iter()
            .flat_map(|k| [k.to_string(), format!("{k}/text"), format!("{k}/voice")]);
        for kind in rows {
            let d = &l["to_done"][&kind];
            if d.is_null() {
                continue;
            }
            let p = &l["to_products"][&kind];
            let triple = |s: &Value| {
                if s.is_null() {
                    "-".to_string()
                } else {
                    format!(
                        "{} / {} / {}",
                        f(&s["p50_ms"]),
                        f(&s["p95_ms"]),
                        f(&s["p99_ms"])
                    )
                }
            };
            println!("| {kind} | {} | {} | {} |", d["n"], triple(p), triple(d));
        }
    }
    let s = &r["saturation"];
    println!(
        "\nsaturation: {} clients, {} turns: {} answered ({:.2} turns/s), {} shed ({:.0} %), shed answered p50 {} / p99 {} ms; search during the burst p50 {} / p99 {} ms",
        s["clients"],
        s["sent"],
        s["answered"],
        s["turns_per_s"].as_f64().unwrap_or(0.0),
        s["shed_503"],
        s["shed_share"].as_f64().unwrap_or(0.0) * 100.0,
        f(&s["shed_answer"]["p50_ms"]),
        f(&s["shed_answer"]["p99_ms"]),
        f(&s["search_during_burst"]["p50_ms"]),
        f(&s["search_during_burst"]["p99_ms"]),
    );
    println!(
        "model over the run: {} prompt tokens read, {} generated",
        r["model_tokens"]["prompt_tokens"], r["model_tokens"]["generated_tokens"]
    );
}
