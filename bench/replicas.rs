//! The scale benchmark behind `bench/run replicas`: 1, 2 and 4 release daemons over
//! one PostgreSQL database on loopback (and one over SQLite, the embedded default, for
//! comparison), rules only (no model: the figure is the store's and the daemons', not
//! the model's), each with its own index. Clients spread over the daemons round-robin
//! and run shopping conversations to the end: search, add the first to the cart,
//! checkout, confirm ("ja"), each with a customer of its own. Reported per setup:
//! turns per second, p50/p95 of a turn, orders placed, and the database's share of
//! the turns' time (`shopassist_db_microseconds_total` of every daemon ÷ the
//! turns' summed latency).
//!
//! On a 2-core machine the daemons, PostgreSQL and the clients share two cores: more
//! daemons show the cost of sharing, not a speed-up.
//!
//!     cargo run --release --example replicas -- --database-url postgres://…/postgres

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{json, Value};
use shopassist::eval::quantile;

#[derive(Parser)]
struct Args {
    /// The daemon binary.
    #[arg(long, default_value = "target/release/shopassist")]
    bin: PathBuf,
    /// A PostgreSQL server and a role that may create databases (one is made per run).
    #[arg(long, env = "SHOPASSIST_BENCH_DATABASE_URL")]
    database_url: String,
    /// Daemon counts to measure over PostgreSQL.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4")]
    replicas: Vec<usize>,
    /// Concurrent clients.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Conversations per client.
    #[arg(long, default_value_t = 10)]
    conversations: usize,
}

const TURNS: [&str; 4] = [
    "Ich suche Laufschuhe in schwarz in Größe 38",
    "das erste bitte in den Warenkorb",
    "zur Kasse",
    "ja",
];

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

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn start(
    bin: &Path,
    data: &Path,
    catalog: &Path,
    database_url: Option<&str>,
) -> anyhow::Result<Daemon> {
    std::fs::create_dir_all(data)?;
    let port = free_port();
    let mut cmd = Command::new(bin);
    cmd.args(["--model", "/nonexistent/rules-only.gguf", "--data-dir"])
        .arg(data)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--catalog"])
        .arg(catalog)
        .env("SHOPASSIST_SEMANTIC", "off")
        .env_remove("SHOPASSIST_BENCH_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(data.join("daemon.log"))?);
    if let Some(url) = database_url {
        cmd.env("SHOPASSIST_DATABASE_URL", url);
    }
    let daemon = Daemon {
        child: cmd.spawn()?,
        base: format!("http://127.0.0.1:{port}"),
    };
    let http = reqwest::blocking::Client::new();
    let t0 = Instant::now();
    loop {
        let url = format!("{}/v1/products/search?q=schuhe&limit=1", daemon.base);
        if http.get(&url).send().is_ok_and(|r| r.status().is_success()) {
            return Ok(daemon);
        }
        if t0.elapsed() > Duration::from_secs(120) {
            let log = std::fs::read_to_string(data.join("daemon.log")).unwrap_or_default();
            anyhow::bail!("a daemon did not answer search within 2 minutes; its log:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A PostgreSQL database of its own for one setup, on the server `admin` names.
fn fresh_database(admin: &str, name: &str) -> anyhow::Result<String> {
    let mut c = postgres::Client::connect(admin, postgres::NoTls)?;
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
    c.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let base = &admin[..admin.rfind('/').unwrap_or(admin.len())];
    Ok(format!("{base}/{name}"))
}

fn db_microseconds(http: &reqwest::blocking::Client, base: &str) -> f64 {
    let text = http
        .get(format!("{base}/metrics"))
        .send()
        .and_then(|r| r.text())
        .unwrap_or_default();
    text.lines()
        .filter(|l| l.starts_with("shopassist_db_microseconds_total"))
        .filter_map(|l| l.split_whitespace().last()?.parse::<f64>().ok())
        .sum()
}

struct Figures {
    turns_per_second: f64,
    p50_ms: f64,
    p95_ms: f64,
    orders: usize,
    turns: usize,
    db_share: f64,
}

async fn run_clients(bases: &[String], args: &Args) -> (Vec<f64>, usize, f64) {
    let c = reqwest::Client::new();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..args.clients {
        let (c, base) = (c.clone(), bases[client % bases.len()].clone());
        let n = args.conversations;
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut orders = 0;
            for k in 0..n {
                let session = format!("bench-{client}-{k}-{}", uuid::Uuid::new_v4().simple());
                for text in TURNS {
                    let t = Instant::now();
                    let r: Value = c
                        .post(format!("{base}/v1/assist"))
                        .json(&json!({"text": text, "session_id": session, "customer_id": session}))
                        .send()
                        .await
                        .expect("a turn")
                        .json()
                        .await
                        .expect("a JSON answer");
                    latencies.push(t.elapsed().as_secs_f64() * 1e3);
                    let placed = r["actions"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|a| a["type"] == "order.placed"));
                    orders += usize::from(placed);
                }
            }
            (latencies, orders)
        }));
    }
    let mut all = Vec::new();
    let mut orders = 0;
    for t in tasks {
        let (l, o) = t.await.expect("a client");
        all.extend(l);
        orders += o;
    }
    (all, orders, started.elapsed().as_secs_f64())
}

fn measure(rt: &tokio::runtime::Runtime, daemons: &[Daemon], args: &Args) -> Figures {
    let http = reqwest::blocking::Client::new();
    let bases: Vec<String> = daemons.iter().map(|d| d.base.clone()).collect();
    let db_before: f64 = bases.iter().map(|b| db_microseconds(&http, b)).sum();
    let (mut latencies, orders, seconds) = rt.block_on(run_clients(&bases, args));
    let db_after: f64 = bases.iter().map(|b| db_microseconds(&http, b)).sum();
    latencies.sort_by(f64::total_cmp);
    let turn_ms: f64 = latencies.iter().sum();
    Figures {
        turns_per_second: latencies.len() as f64 / seconds,
        p50_ms: quantile(&latencies, 0.5),
        p95_ms: quantile(&latencies, 0.95),
        orders,
        turns: latencies.len(),
        db_share: (db_after - db_before) / 1e3 / turn_ms,
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let root = tempfile::tempdir()?;
    // The demo catalogue with stock that does not run out during the run.
    let demo = std::fs::read_to_string("catalog/demo.jsonl")?;
    let stock = regex::Regex::new(r#""stock":\s*\d+"#)?;
    let catalog = root.path().join("catalog.jsonl");
    std::fs::write(
        &catalog,
        stock.replace_all(&demo, r#""stock":1000000"#).as_ref(),
    )?;
    let rt = tokio::runtime::Runtime::new()?;
    println!(
        "{} clients × {} conversations of {} turns, rules only",
        args.clients,
        args.conversations,
        TURNS.len()
    );
    println!(
        "| setup | turns | turns/s | p50 ms | p95 ms | orders | database share of turn time |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let row = |name: &str, f: &Figures| {
        println!(
            "| {name} | {} | {:.1} | {:.1} | {:.1} | {} | {:.0} % |",
            f.turns,
            f.turns_per_second,
            f.p50_ms,
            f.p95_ms,
            f.orders,
            f.db_share * 100.0
        );
    };
    {
        let d = start(&args.bin, &root.path().join("sqlite"), &catalog, None)?;
        row("1 daemon, SQLite", &measure(&rt, &[d], &args));
    }
    for &n in &args.replicas {
        let url = fresh_database(&args.database_url, &format!("shopassist_bench_{n}"))?;
        let mut daemons = Vec::new();
        for i in 0..n {
            daemons.push(start(
                &args.bin,
                &root.path().join(format!("pg-{n}-{i}")),
                &catalog,
                Some(&url),
            )?);
        }
        row(
            &format!("{n} daemon{}, PostgreSQL", if n == 1 { "" } else { "s" }),
            &measure(&rt, &daemons, &args),
        );
    }
    Ok(())
}
