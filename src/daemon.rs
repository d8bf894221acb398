//! `shopassist serve`: binds the HTTP server at once (so `/healthz` answers while the
//! model loads), prepares the slow parts in the background (assembled by [`crate::app`]),
//! and reports them through [`crate::readiness::Readiness`].

use std::sync::Arc;

use crate::config::Config;
use crate::http::{self, AppState};
use crate::orders::webhooks::{Dispatcher, WebhookConfig};
use crate::orders::{Orders, OrdersConfig};
use crate::readiness::ComponentState;
use crate::shop::Shop;

/// Component name of the model in `/readyz`.
pub const MODEL: &str = "model";
/// Component name of the catalogue in `/readyz`.
pub const CATALOG: &str = "catalog";
/// The product vectors of semantic search (never holds readiness back).
pub const VECTORS: &str = "vectors";

/// Why the daemon could not serve.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("refusing to serve on {0} without API keys: set api_keys (see README, Authentication) or bind a loopback address")]
    OpenOnNetwork(std::net::SocketAddr),
    #[error("serving: {0}")]
    Io(#[from] std::io::Error),
}

/// Runs the daemon on the configured address until SIGINT or SIGTERM.
pub async fn run(config: Config) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| ServeError::Listen {
            addr: config.bind,
            source,
        })?;
    run_on(listener, config, http::shutdown_signal()).await
}

/// Runs the daemon on `listener` until `shutdown` resolves. Tests call this with an
/// ephemeral port.
pub async fn run_on(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let addr = listener.local_addr()?;
    if config.api_keys.is_empty() && !addr.ip().is_loopback() {
        return Err(ServeError::OpenOnNetwork(addr));
    }
    if config.api_keys.is_empty() {
        tracing::warn!("no api_keys configured: the API is open to anyone who can reach {addr}");
    }
    if let Err(e) = crate::nlu::install_prompts(Some(&config.prompts_dir)) {
        tracing::error!(error = %e, "intent phrases or lexicon in prompts_dir are broken; using the built-in ones");
    }
    let state = AppState::for_config(&config);
    spawn_catalog(config.clone(), state.clone());
    spawn_model(config, state.clone());
    tracing::info!(%addr, "listening");
    http::serve(listener, http::app(state), shutdown).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Prepares the model on a blocking thread: fetch if missing, load, prepare its
/// reading (the few-shot prefix), then fill the assistant's model slot.
fn spawn_model(config: Config, state: AppState) {
    let readiness = state.readiness.clone();
    readiness.set(
        MODEL,
        ComponentState::Loading(format!("resolving {}", config.model)),
    );
    tokio::task::spawn_blocking(move || {
        readiness.set(
            MODEL,
            ComponentState::Loading(format!("fetching, verifying and loading {}", config.model)),
        );
        let model = match crate::app::load_model(&config, false) {
            Ok(m) => Arc::new(m),
            Err(e) => {
                tracing::error!(error = %e, "model could not be prepared; the daemon keeps serving what needs no model");
                readiness.set(MODEL, ComponentState::Failed(e.to_string()));
                return;
            }
        };
        tracing::info!(model = %model.name, architecture = %model.architecture, "model ready");
        // Ready only once turns actually read with the model: preparing the
        // extractor evaluates its few-shot prefix, seconds on a CPU (the load
        // benchmark found /readyz 200 ten seconds before the model was used).
        readiness.set(
            MODEL,
            ComponentState::Loading("preparing the extraction prompt".into()),
        );
        let extractor = match crate::app::extractor(&config, &model) {
            Ok(x) => Arc::new(x),
            Err(e) => {
                tracing::error!(error = %e, "understanding stays rules-only");
                readiness.set(MODEL, ComponentState::Failed(e.to_string()));
                return;
            }
        };
        // The assistant exists once the catalogue has opened.
        let started = std::time::Instant::now();
        let assistant = loop {
            if let Some(a) = state.assistant.get() {
                break a.clone();
            }
            if started.elapsed() > std::time::Duration::from_secs(3600) {
                readiness.set(
                    MODEL,
                    ComponentState::Failed("the catalogue did not open within an hour".into()),
                );
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        };
        assistant.attach_model(extractor, model);
        tracing::info!("the assistant reads open slots with the model");
        readiness.set(MODEL, ComponentState::Ready);
        // What each product type is for, asked once per type and kept; a catalogue
        // that changes brings new types, looked for every minute.
        // A thread of its own: the runtime's blocking pool would wait for it on
        // shutdown.
        if !matches!(config.semantic, crate::config::EmbedChoice::Off) {
            let spawned =
                std::thread::Builder::new()
                    .name("type-uses".into())
                    .spawn(move || loop {
                        let asked = assistant.learn_type_uses();
                        if asked > 0 {
                            tracing::info!(asked, "learned what product types are for");
                        }
                        std::thread::sleep(std::time::Duration::from_secs(60));
                    });
            if let Err(e) = spawned {
                tracing::warn!(error = %e, "needs are read without what product types are for");
            }
        }
    });
}

/// Opens the catalogue on a blocking thread and loads the configured source (or the
/// embedded demo into an empty store), then builds the assistant over it.
fn spawn_catalog(config: Config, state: AppState) {
    state
        .readiness
        .set(CATALOG, ComponentState::Loading("opening the index".into()));
    tokio::task::spawn_blocking(move || match crate::app::open_shop(&config) {
        Ok(shop) => {
            tracing::info!(products = shop.len(), "catalogue ready");
            let shop = Arc::new(shop);
            let assistant = Arc::new(crate::app::assistant(&config, shop.clone()));
            let orders = assistant.orders.clone();
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
            spawn_pruning(Arc::downgrade(&shop), OrdersConfig::from_config(&config));
            if let Some(url) = config.database_url.as_deref().filter(|_| shop.is_shared()) {
                crate::store::postgres::follow_changes(Arc::downgrade(&shop), url);
            }
            let _ = state.assistant.set(assistant);
            let _ = state.orders.set(orders);
            let _ = state.shop.set(shop.clone());
            state.readiness.set(CATALOG, ComponentState::Ready);
            start_vectors(&config, &shop, &state.readiness);
        }
        Err(e) => {
            tracing::error!(error = %e, "catalogue could not be opened");
            state
                .readiness
                .set(CATALOG, ComponentState::Failed(e.to_string()));
        }
    });
}

/// Starts semantic search (on this blocking thread: loading the embedding model
/// takes a second; the vectors are computed on their own thread). The `vectors`
/// component says how far they are; it never holds readiness back, since search
/// answers lexically meanwhile.
fn start_vectors(config: &Config, shop: &Shop, readiness: &crate::readiness::Readiness) {
    if config.semantic == crate::config::EmbedChoice::Off {
        return;
    }
    readiness.set(
        VECTORS,
        ComponentState::Warming(format!("loading {}", config.semantic)),
    );
    let r = readiness.clone();
    let on_progress: crate::search::semantic::ProgressFn = Arc::new(move |p| {
        let state = if let Some(e) = &p.failed {
            ComponentState::Off(format!("{e}; search is lexical"))
        } else if p.ready && p.done >= p.total {
            ComponentState::Ready
        } else {
            let pct = (p.done * 100).checked_div(p.total).unwrap_or(100);
            ComponentState::Warming(format!(
                "{pct} % ({} of {} products); search is lexical until done",
                p.done, p.total
            ))
        };
        r.set(VECTORS, state);
    });
    if let Err(e) = crate::app::start_semantic(config, shop, on_progress, false) {
        tracing::error!(error = %e, "semantic search is off; search is lexical");
        readiness.set(
            VECTORS,
            ComponentState::Off(format!("{e}; search is lexical")),
        );
    }
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
