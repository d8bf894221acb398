//! HTTP: translates requests into engine calls and results back into JSON. No
//! business logic lives here.

pub mod assist;
pub mod error;
pub mod openai;
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

use crate::llm::Engine;
use crate::readiness::Readiness;
use crate::shop::Shop;
pub use error::{ApiError, ErrorCode};

/// Everything a handler needs; cheap to clone (`Arc`s inside).
#[derive(Clone, Default)]
pub struct AppState {
    pub readiness: Readiness,
    /// The catalogue, set once it has opened (search answers before the model loads).
    pub shop: Arc<OnceLock<Arc<Shop>>>,
    /// The language model behind its bounded queue, set once loaded.
    pub engine: Arc<OnceLock<Engine>>,
    /// Carts and orders over the catalogue's store, set with the catalogue.
    pub orders: Arc<OnceLock<crate::orders::Orders>>,
    /// The webhook delivery thread, when a webhook URL is configured.
    pub webhooks: Arc<OnceLock<crate::orders::webhooks::Dispatcher>>,
    /// The conversation engine: rules-only once the catalogue is open, replaced by
    /// one with the model's extractor once the model has loaded.
    pub assistant: Arc<std::sync::RwLock<Option<Arc<crate::assist::Assistant>>>>,
}

/// The header carrying the request id, set on the way in if the client sent none and
/// echoed on the way out.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The router the daemon serves; tests build the same one.
pub fn app(state: AppState) -> Router {
    let request_id = axum::http::HeaderName::from_static(REQUEST_ID_HEADER);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/v1/assist", axum::routing::post(assist::assist))
        .route(
            "/v1/chat/completions",
            axum::routing::post(openai::completions),
        )
        .route("/v1/models", get(openai::models))
        .route("/v1/products/search", get(products::search))
        .route("/v1/products/{id}", get(products::get))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        // Bodies over 64 KiB: 413 on every route, before any handler reads them
        // (axum's DefaultBodyLimit covers only its extractors), in our JSON format.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY))
        .layer(axum::middleware::map_response(json_413))
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
