//! `shopassist serve`: binds the HTTP server at once (so `/healthz` answers while the
//! model loads), prepares the slow parts in the background, and reports them through
//! [`Readiness`].

use std::sync::Arc;

use crate::assist::{Assistant, Templates};
use crate::catalog::import::{Format, ImportOptions};
use crate::config::Config;
use crate::http::{self, AppState};
use crate::llm::{Engine, Model};
use crate::models::{self, FetchOptions};
use crate::nlu::{ExtractPrompt, Extractor};
use crate::orders::webhooks::{Dispatcher, WebhookConfig};
use crate::orders::Orders;
use crate::readiness::{ComponentState, Readiness};
use crate::search::OpenOutcome;
use crate::shop::{Shop, DEMO_CATALOG};

/// Component name of the model in `/readyz`.
pub const MODEL: &str = "model";
/// Component name of the catalogue in `/readyz`.
pub const CATALOG: &str = "catalog";

/// Runs the daemon on the configured address until SIGINT or SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.bind))?;
    run_on(listener, config, http::shutdown_signal()).await
}

/// Runs the daemon on `listener` until `shutdown` resolves. Tests call this with an
/// ephemeral port.
pub async fn run_on(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    if config.api_keys.is_empty() && !addr.ip().is_loopback() {
        anyhow::bail!(
            "refusing to serve on {addr} without API keys: set api_keys (see README, Authentication) or bind a loopback address"
        );
    }
    if config.api_keys.is_empty() {
        tracing::warn!("no api_keys configured: the API is open to anyone who can reach {addr}");
    }
    let state = AppState::for_config(&config);
    spawn_catalog(config.clone(), state.clone());
    spawn_model(config, state.clone());
    tracing::info!(%addr, "listening");
    http::serve(listener, http::app(state), shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Prepares the model on a blocking thread: fetch if missing, then load.
fn spawn_model(config: Config, state: AppState) {
    let readiness = state.readiness.clone();
    readiness.set(
        MODEL,
        ComponentState::Loading(format!("resolving {}", config.model)),
    );
    tokio::task::spawn_blocking(move || match prepare_model(&config, &readiness) {
        Ok(model) => {
            tracing::info!(model = %model.name, architecture = %model.architecture, "model ready");
            let model = Arc::new(model);
            let _ = state
                .engine
                .set(Engine::new(model.clone(), config.model_queue));
            // Ready only once turns actually read with the model: preparing the
            // extractor evaluates its few-shot prefix, seconds on a CPU (the load
            // benchmark found /readyz 200 ten seconds before the model was used).
            readiness.set(
                MODEL,
                ComponentState::Loading("preparing the extraction prompt".into()),
            );
            match give_assistant_the_model(&state, &config, model) {
                Ok(()) => readiness.set(MODEL, ComponentState::Ready),
                Err(e) => readiness.set(MODEL, ComponentState::Failed(e)),
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "model could not be prepared; the daemon keeps serving what needs no model");
            readiness.set(MODEL, ComponentState::Failed(e.to_string()));
        }
    });
}

/// Once the catalogue's assistant exists, replaces it with one that reads open slots
/// with the model (the few-shot prefix is evaluated here, once). Blocking.
fn give_assistant_the_model(
    state: &AppState,
    config: &Config,
    model: Arc<Model>,
) -> Result<(), String> {
    let started = std::time::Instant::now();
    let current = loop {
        if let Some(a) = state
            .assistant
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
        {
            break a;
        }
        if started.elapsed() > std::time::Duration::from_secs(3600) {
            return Err("the catalogue did not open within an hour".into());
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let extractor = ExtractPrompt::load(Some(&config.prompts_dir))
        .and_then(|prompt| Extractor::new(&model, &prompt));
    match extractor {
        Ok(extractor) => {
            let upgraded = Assistant::new(
                current.shop.clone(),
                current.orders.clone(),
                current.templates.clone(),
                Some((Arc::new(extractor), model)),
            )
            .with_model_phrasing(config.model_phrasing);
            *state.assistant.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(upgraded));
            tracing::info!("the assistant reads open slots with the model");
            Ok(())
        }
        Err(e) => {
            tracing::error!(error = %e, "the extraction prompt could not be prepared; understanding stays rules-only");
            Err(format!("the extraction prompt could not be prepared: {e}"))
        }
    }
}

/// Opens the catalogue on a blocking thread and loads the configured source (or the
/// embedded demo) when it changed since the last start.
fn spawn_catalog(config: Config, state: AppState) {
    state
        .readiness
        .set(CATALOG, ComponentState::Loading("opening the index".into()));
    tokio::task::spawn_blocking(move || match open_catalog(&config) {
        Ok(shop) => {
            tracing::info!(products = shop.len(), "catalogue ready");
            let shop = Arc::new(shop);
            let orders = Orders::new(shop.clone(), config.orders());
            if let Some(url) = &config.webhook_url {
                let webhook = WebhookConfig {
                    url: url.clone(),
                    secret: config.webhook_secret.clone(),
                    retry_base: std::time::Duration::from_secs(1),
                };
                let _ = state.webhooks.set(Dispatcher::spawn(
                    orders.clone(),
                    webhook,
                    std::time::Duration::from_millis(500),
                ));
            }
            spawn_pruning(Arc::downgrade(&shop), config.orders());
            let templates = match Templates::load(Some(&config.prompts_dir)) {
                Ok(t) => t,
                Err(e) => {
                    tracing::error!(error = %e, "reply templates in prompts_dir are broken; using the built-in ones");
                    Templates::load(None).expect("the built-in templates are valid")
                }
            };
            *state.assistant.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(
                Assistant::new(shop.clone(), orders.clone(), templates, None),
            ));
            let _ = state.orders.set(orders);
            let _ = state.shop.set(shop);
            state.readiness.set(CATALOG, ComponentState::Ready);
        }
        Err(e) => {
            tracing::error!(error = %e, "catalogue could not be opened");
            state
                .readiness
                .set(CATALOG, ComponentState::Failed(format!("{e:#}")));
        }
    });
}

/// How often the retention pass runs (also once at start).
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Deletes what is past its retention (see `orders::retention`) now and every hour,
/// for as long as the shop is open (it holds the shop weakly, so a stopped daemon's
/// index and database are released).
fn spawn_pruning(shop: std::sync::Weak<Shop>, config: crate::orders::OrdersConfig) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(PRUNE_EVERY);
        loop {
            tick.tick().await;
            let Some(shop) = shop.upgrade() else { break };
            let o = Orders::new(shop, config.clone());
            match tokio::task::spawn_blocking(move || o.prune()).await {
                Ok(Ok(p)) if p.total() > 0 => {
                    tracing::info!(?p, "pruned what is past its retention")
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "retention pruning failed"),
                Err(e) => tracing::warn!(error = %e, "retention pruning panicked"),
            }
        }
    });
}

/// Opens the shop under `data_dir`. With a configured catalogue file (`--catalog`,
/// `catalog = …`), the served catalogue becomes that file whenever the file changed
/// since it was last loaded; without one, the embedded demo is loaded only into a
/// store that has never held a catalogue. A catalogue built with `shopassist index`
/// or the catalogue API is never replaced by the demo.
pub fn open_catalog(config: &Config) -> anyhow::Result<Shop> {
    let (shop, outcome) = Shop::open(&config.data_dir)?;
    if let OpenOutcome::Rebuilt(reason) = outcome {
        tracing::info!(%reason, "search index rebuilt");
    }
    let (text, format, name) = match &config.catalog {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read catalogue {}: {e}", path.display()))?;
            let format = Format::detect(path, &text).ok_or_else(|| {
                anyhow::anyhow!("cannot tell the format of catalogue {}", path.display())
            })?;
            (text, format, path.display().to_string())
        }
        None if shop.never_stocked()? => (
            DEMO_CATALOG.to_string(),
            Format::Jsonl,
            "the embedded demo catalogue".into(),
        ),
        None => {
            tracing::info!(products = shop.len(), "serving the stored catalogue");
            return Ok(shop);
        }
    };
    if let Some(report) = shop.load_source(&text, format, &ImportOptions::default())? {
        for e in &report.errors {
            tracing::warn!(line = e.line, id = e.id.as_deref().unwrap_or("-"), reason = %e.reason, "catalogue row skipped");
        }
        tracing::info!(source = %name, imported = report.imported, rejected = report.errors.len(), "catalogue loaded");
    }
    Ok(shop)
}

fn prepare_model(config: &Config, readiness: &Readiness) -> anyhow::Result<Model> {
    readiness.set(
        MODEL,
        ComponentState::Loading(format!("fetching or verifying {}", config.model)),
    );
    let path = models::resolve(
        &config.model,
        &config.models_dir,
        &FetchOptions { progress: false },
    )?;
    readiness.set(
        MODEL,
        ComponentState::Loading(format!("loading {}", path.display())),
    );
    let device =
        crate::llm::model::device(config.device).map_err(|e| anyhow::anyhow!("device {e}"))?;
    let started = std::time::Instant::now();
    let model = Model::load(&path, &device)?;
    tracing::info!(path = %path.display(), seconds = started.elapsed().as_secs_f64(), "model loaded");
    Ok(model)
}
