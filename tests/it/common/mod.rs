//! Helpers shared by the integration tests.

use std::fs::File;
use std::path::PathBuf;

use shopassist::models::{self, FetchOptions, KnownModel};

pub mod pg;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A registry model, fetched into `models/` on first use. Tests run in parallel,
/// so the fetch is serialised with a lock file.
fn fetched(name: &str) -> PathBuf {
    let dir = repo_root().join("models");
    std::fs::create_dir_all(&dir).unwrap();
    let lock = File::create(dir.join(".test-fetch.lock")).unwrap();
    lock.lock().unwrap();
    let model = KnownModel::by_name(name).unwrap_or_else(|| panic!("{name}: not a known model"));
    models::fetch(model, &dir, &FetchOptions::default())
        .unwrap_or_else(|e| panic!("fetching {name} failed: {e}"));
    model.path_in(&dir)
}

/// The test model (SmolLM2-135M).
pub fn test_model() -> PathBuf {
    fetched("test")
}

/// The model a model-quality test runs: the test model, or the one named by
/// `SHOPASSIST_TEST_MODEL` (`default` for the by-hand runs recorded in BENCHMARKS.md),
/// fetched like the test model.
pub fn model_under_test() -> PathBuf {
    let name = std::env::var("SHOPASSIST_TEST_MODEL").unwrap_or_else(|_| "test".into());
    let path = fetched(&name);
    if name != "test" {
        eprintln!("model under test: {}", path.display());
    }
    path
}

/// Skips a test whose outside tool is missing, saying so; under CI (`CI` set) fails.
pub fn skip_unless_ci(msg: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{msg}");
    }
    eprintln!("SKIPPED: {msg}");
}

/// The whole daemon (test model, demo catalogue, data in `data_dir`) on an ephemeral
/// loopback port, once `/readyz` says ready: its URL, and the sender that stops it.
pub async fn daemon_ready(
    data_dir: &std::path::Path,
) -> (String, tokio::sync::oneshot::Sender<()>) {
    use std::time::{Duration, Instant};
    let config = shopassist::config::Config {
        data_dir: data_dir.to_path_buf(),
        model: shopassist::config::ModelChoice::Path(test_model()),
        semantic: shopassist::config::EmbedChoice::Off,
        ..shopassist::config::Config::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(shopassist::daemon::run_on(listener, config, async {
        let _ = stopped.await;
    }));
    // Ready: catalogue open, model loaded and its extraction prompt prepared.
    let c = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(180);
    while c
        .get(format!("{url}/readyz"))
        .send()
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(Instant::now() < deadline, "daemon never became ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (url, stop)
}

/// The daemon in-process on an ephemeral loopback port: its base URL and the sender
/// that stops it. Components load in the background, as in production.
pub async fn start(
    config: shopassist::config::Config,
) -> (String, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(shopassist::daemon::run_on(listener, config, async {
        let _ = rx.await;
    }));
    (url, tx)
}

/// Settings over a fresh temporary data and models directory.
pub fn fresh_config(model: shopassist::config::ModelChoice) -> shopassist::config::Config {
    let dir = tempfile::tempdir().unwrap().keep();
    shopassist::config::Config {
        data_dir: dir.join("data"),
        models_dir: dir.join("models"),
        model,
        // Semantic search has its own tests (`semantic`); elsewhere it would embed
        // the demo catalogue in every daemon.
        semantic: shopassist::config::EmbedChoice::Off,
        ..shopassist::config::Config::default()
    }
}

/// A model that can never load: the daemon serves rules only.
pub fn no_model() -> shopassist::config::ModelChoice {
    shopassist::config::ModelChoice::Path("/nonexistent/m.gguf".into())
}

/// Polls until the catalogue answers (it opens in the background), with `key` if set.
pub async fn wait_for_catalogue(c: &reqwest::Client, url: &str, key: Option<&str>) {
    use std::time::{Duration, Instant};
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut r = c.get(format!("{url}/v1/products/search?q=x"));
        if let Some(k) = key {
            r = r.bearer_auth(k);
        }
        if r.send().await.unwrap().status() != 503 {
            return;
        }
        assert!(Instant::now() < deadline, "catalogue never opened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// An error answer's status and stable code.
pub async fn code_of(r: reqwest::Response) -> (reqwest::StatusCode, String) {
    let status = r.status();
    let v: serde_json::Value = r.json().await.expect("error body is JSON");
    (
        status,
        v["error"]["code"].as_str().unwrap_or("").to_string(),
    )
}

/// The embedding model (multilingual-e5-small, 4-bit).
pub fn embed_model() -> PathBuf {
    fetched("embed")
}

/// The embedding model loaded once for the whole test binary.
pub fn embedder() -> std::sync::Arc<shopassist::embed::Embedder> {
    static ONE: std::sync::OnceLock<std::sync::Arc<shopassist::embed::Embedder>> =
        std::sync::OnceLock::new();
    ONE.get_or_init(|| {
        let model = KnownModel::by_name("embed").unwrap();
        std::sync::Arc::new(
            shopassist::embed::Embedder::load(&embed_model(), model.sha256)
                .unwrap_or_else(|e| panic!("loading the embedding model failed: {e}")),
        )
    })
    .clone()
}

/// A JSONL catalogue of English listings by id and title, each $19.99 with three in
/// stock, on the shelf `category` (none when empty).
pub fn titled_listings(rows: &[(&str, &str)], category: &[&str]) -> String {
    rows.iter()
        .map(|(id, title)| {
            let mut p = serde_json::json!({
                "id": id,
                "title": title,
                "price": 1999,
                "currency": "USD",
                "language": "en",
                "variants": [{"id": format!("{id}-1"), "stock": 3}],
            });
            if !category.is_empty() {
                p["category"] = serde_json::json!(category);
            }
            format!("{p}\n")
        })
        .collect()
}

/// A rules-only assistant over `catalogue` imported into a fresh shop in `dir`, with
/// the import's report (the callers check how much was imported).
pub fn rules_only_assistant(
    dir: &std::path::Path,
    catalogue: &str,
    format: shopassist::catalog::import::Format,
) -> (
    shopassist::assist::Assistant,
    shopassist::catalog::import::ImportReport,
) {
    use shopassist::assist::{Assistant, Templates};
    let (shop, _) = shopassist::shop::Shop::open(dir).unwrap();
    let report = shop
        .import_text(catalogue, format, &Default::default())
        .unwrap();
    let shop = std::sync::Arc::new(shop);
    let assistant = Assistant::new(
        shop.clone(),
        shopassist::orders::Orders::new(shop, Default::default()),
        Templates::load(None).unwrap(),
        None,
    );
    (assistant, report)
}
