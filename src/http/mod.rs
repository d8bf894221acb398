//! HTTP: translates requests into engine calls and results back into JSON. No
//! business logic lives here.

pub mod assist;
pub mod auth;
pub mod catalog;
pub mod docs;
pub mod error;
pub mod metrics;
pub mod openai;
pub mod orders;
pub mod products;

use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::State;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::readiness::Readiness;
use crate::shop::Shop;
pub use error::{ApiError, ErrorBody, ErrorCode};

/// Everything a handler needs; cheap to clone (`Arc`s inside).
#[derive(Clone, Default)]
pub struct AppState {
    pub readiness: Readiness,
    /// The catalogue, set once it has opened (search answers before the model loads).
    pub shop: Arc<OnceLock<Arc<Shop>>>,
    /// Carts and orders over the catalogue's store, set with the catalogue.
    pub orders: Arc<OnceLock<crate::orders::Orders>>,
    /// The webhook delivery thread, when a webhook URL is configured.
    pub webhooks: Arc<OnceLock<crate::orders::webhooks::Dispatcher>>,
    /// The conversation engine, set once the catalogue is open; it reads with the
    /// rules until the model is attached to it.
    pub assistant: Arc<OnceLock<Arc<crate::assist::Assistant>>>,
    /// API keys, browser origins and how customers are vouched for; no keys
    /// configured means an open API (loopback only).
    pub guard: auth::Guard,
    /// Places for assistant turns, and their deadline.
    pub turns: TurnGate,
    /// How catalogue uploads are read (the configured currency).
    pub import: crate::catalog::import::ImportOptions,
}

impl AppState {
    /// The state for a daemon with these settings; components are set as they load.
    pub fn for_config(config: &crate::config::Config) -> AppState {
        AppState {
            guard: auth::Guard::for_config(config),
            turns: TurnGate::new(
                config.turn_concurrency,
                Duration::from_secs(config.turn_deadline_secs),
            ),
            import: config.import_options(),
            ..AppState::default()
        }
    }
}

/// Bounded places for assistant turns. A turn that finds every place taken is answered
/// 503 `overloaded` + `Retry-After` at once, never queued: this is tower's LoadShed in
/// front of a ConcurrencyLimit, done by hand because a turn's work runs on a blocking
/// thread (and, streamed, after the response has begun) where a tower layer's permit
/// would already have been released.
#[derive(Clone)]
pub struct TurnGate {
    permits: Arc<tokio::sync::Semaphore>,
    capacity: usize,
    /// Longest a turn may take before it is answered 503 `deadline_exceeded`.
    pub deadline: Duration,
}

impl Default for TurnGate {
    fn default() -> Self {
        TurnGate::new(8, Duration::from_secs(30))
    }
}

impl TurnGate {
    pub fn new(capacity: usize, deadline: Duration) -> TurnGate {
        let capacity = capacity.max(1);
        TurnGate {
            permits: Arc::new(tokio::sync::Semaphore::new(capacity)),
            capacity,
            deadline,
        }
    }

    /// A place, or 503 `overloaded` at once.
    pub fn try_enter(&self) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        self.permits.clone().try_acquire_owned().map_err(|_| {
            ::metrics::counter!("shopassist_turns_shed_total").increment(1);
            ApiError::new(
                ErrorCode::Overloaded,
                format!(
                    "{} turns are running, the most this daemon takes at once; try again shortly",
                    self.capacity
                ),
            )
        })
    }

    /// Turns running now.
    pub fn in_flight(&self) -> usize {
        self.capacity - self.permits.available_permits()
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

/// Runs blocking work (SQLite, the index) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))
}

/// The header carrying the request id, set on the way in if the client sent none and
/// echoed on the way out.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The router the daemon serves; tests build the same one.
pub fn app(state: AppState) -> Router {
    use axum::routing::{delete, post, put};
    let request_id = axum::http::HeaderName::from_static(REQUEST_ID_HEADER);
    metrics::install();
    let guard = state.guard.clone();
    let cors = cors_layer(&guard.allowed_origins);
    let api = Router::new()
        .route("/", get(docs::widget_page))
        .route("/widget.js", get(docs::widget_js))
        .route("/docs", get(docs::docs_page))
        .route("/openapi.json", get(docs::openapi))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/v1/stats", get(metrics::stats))
        .route("/v1/assist", post(assist::assist))
        .route("/v1/chat/completions", post(openai::completions))
        .route("/v1/models", get(openai::models))
        .route("/v1/products/search", get(products::search))
        .route("/v1/products/{id}", get(products::get))
        .route("/v1/cart", get(orders::cart))
        .route(
            "/v1/cart/items",
            post(orders::add_item).patch(orders::set_item),
        )
        .route(
            "/v1/cart/items/{product_id}/{variant_id}",
            delete(orders::remove_item),
        )
        .route("/v1/checkout", post(orders::checkout))
        .route("/v1/checkout/confirm", post(orders::confirm))
        .route("/v1/orders", get(orders::list_orders))
        .route("/v1/orders/{id}", get(orders::get_order))
        .route("/v1/orders/{id}/cancel", post(orders::cancel))
        .route("/v1/orders/{id}/returns", post(orders::request_return))
        .route("/v1/orders/{id}/reorder", post(orders::reorder))
        .route("/v1/returns", get(orders::returns))
        .route("/v1/reminders", get(orders::reminders))
        .route("/v1/feedback", post(orders::feedback))
        .route("/v1/admin/orders", get(orders::admin_list_orders))
        .route(
            "/v1/admin/orders/{id}/status",
            post(orders::admin_set_status),
        )
        .route("/v1/admin/stock", post(orders::admin_stock))
        .route("/v1/catalog/products", put(catalog::upsert))
        .route("/v1/catalog/products/{id}", delete(catalog::delete))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // Bodies over 64 KiB: 413 on every route, before any handler reads them
        // (axum's DefaultBodyLimit covers only its extractors), in our JSON format.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY));
    // A catalogue file is the one body allowed to be large (admin only).
    let import = Router::new()
        .route("/v1/catalog/import", post(catalog::import_file))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            catalog::MAX_IMPORT,
        ));
    api.merge(import)
        .with_state(state)
        .layer(axum::middleware::map_response(json_413))
        .layer(axum::middleware::from_fn_with_state(guard, auth::check))
        // Outside the guard: a browser's preflight carries no key.
        .layer(cors)
        // A bug must not drop the connection: a panic in a handler becomes a JSON 500
        // (and is logged), counted like any other answer.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panic_answer))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let id = req
                    .headers()
                    .get(REQUEST_ID_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// CORS for the configured storefront origins (none: no CORS headers, so browsers
/// keep foreign pages from reading answers).
fn cors_layer(origins: &[String]) -> tower_http::cors::CorsLayer {
    use axum::http::{header, HeaderName, HeaderValue, Method};
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    if origins.is_empty() {
        return CorsLayer::new();
    }
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("x-api-key"),
            HeaderName::from_static(auth::CUSTOMER_HEADER),
            HeaderName::from_static(auth::CUSTOMER_TOKEN_HEADER),
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static(REQUEST_ID_HEADER),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            HeaderName::from_static("idempotent-replayed"),
            HeaderName::from_static(REQUEST_ID_HEADER),
        ])
        .max_age(Duration::from_secs(600))
}

fn panic_answer(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("a panic");
    ApiError::new(ErrorCode::Internal, format!("handler panicked: {what}")).into_response()
}

/// The largest request body taken.
pub const MAX_BODY: usize = 64 * 1024;

/// tower-http's 413 has a plain-text body; clients get our JSON error instead.
async fn json_413(resp: Response) -> Response {
    let is_json = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if resp.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return ApiError::new(
            ErrorCode::PayloadTooLarge,
            format!("the request body is larger than {MAX_BODY} bytes"),
        )
        .into_response();
    }
    resp
}

/// Alive: the process answers. Says nothing about the model or the index.
async fn healthz() -> impl IntoResponse {
    Json(json!({ "status": "ok" }))
}

/// Ready: every start-up component (model, catalogue) is loaded. 503 with the reason
/// before that, so a load balancer holds traffic back.
async fn readyz(State(state): State<AppState>) -> Response {
    if state.readiness.is_ready() {
        let components = state.readiness.snapshot();
        (
            StatusCode::OK,
            Json(json!({ "status": "ready", "components": components })),
        )
            .into_response()
    } else {
        ApiError::new(ErrorCode::NotReady, state.readiness.reason()).into_response()
    }
}

async fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        "method not allowed on this route",
    )
}

/// How long in-flight requests may run on after a shutdown signal.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves `router` on `listener` until `shutdown` resolves, then lets in-flight
/// requests finish for at most [`SHUTDOWN_GRACE`].
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt as _;
    // TCP_NODELAY: a streamed turn writes several small events; with Nagle's algorithm
    // each one after the first waits for the client's delayed ACK, up to 40 ms (the
    // load benchmark showed every turn taking >= 44 ms on loopback before this).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!("cannot set TCP_NODELAY on a connection: {e}");
        }
    });
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, router).with_graceful_shutdown(async move {
        shutdown.await;
        let _ = tx.send(());
    });
    tokio::select! {
        r = server => r,
        _ = async {
            let _ = rx.await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => {
            tracing::warn!("in-flight requests outlived the shutdown grace period; stopping anyway");
            Ok(())
        }
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
