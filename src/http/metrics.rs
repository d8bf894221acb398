//! `GET /metrics` (Prometheus text) and `GET /v1/stats` (the shop's figures).
//!
//! Request counters and latency come from a middleware over every route, labelled by
//! the route's pattern (never the raw path, so ids don't explode the label set). The
//! catalogue, index, order and queue gauges are read when scraped.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::rejection::QueryRejection;
use axum::extract::{MatchedPath, Query, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde::Deserialize;

use super::orders::orders_of;
use super::ErrorBody;
use super::{blocking, ApiError, AppState, ErrorCode};
use crate::orders::stats::Stats;

/// The process-wide recorder: metrics are per process, so every server in it (tests
/// start several) shares one.
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| match PrometheusBuilder::new().install_recorder() {
            Ok(h) => Some(h),
            Err(e) => {
                tracing::warn!(error = %e, "metrics recorder not installed; /metrics stays empty");
                None
            }
        })
        .as_ref()
}

/// Installs the recorder; call once before serving.
pub fn install() {
    let _ = handle();
}

/// A method as a label: the methods HTTP defines, any other `other`. Labels come
/// from closed sets only (this, route patterns, status codes), so no client can grow
/// the number of series: 2,000 made-up methods once made 20,000 of them.
fn method_label(m: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "other",
    }
}

/// Counts every request and its latency by route pattern, method and status.
pub async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = method_label(req.method());
    let started = Instant::now();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("shopassist_http_requests_total", "route" => route.clone(), "method" => method, "status" => status).increment(1);
    metrics::histogram!("shopassist_http_request_duration_seconds", "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    resp
}

/// `GET /metrics`.
#[utoipa::path(get, path = "/metrics", tag = "admin", responses((status = 200, description = "Prometheus text format", content_type = "text/plain")), security(("api_key" = [])))]
pub async fn metrics(State(state): State<AppState>) -> Response {
    metrics::gauge!("shopassist_turns_in_flight").set(state.turns.in_flight() as f64);
    metrics::gauge!("shopassist_turns_capacity").set(state.turns.capacity() as f64);
    if let Some(shop) = state.shop.get() {
        metrics::gauge!("shopassist_catalog_products").set(shop.len() as f64);
        metrics::gauge!("shopassist_index_bytes").set(shop.index_size() as f64);
    }
    if let Ok(orders) = orders_of(&state) {
        if let Ok(Ok(counts)) = blocking(move || orders.order_counts()).await {
            for (status, n) in counts {
                metrics::gauge!("shopassist_orders", "status" => status).set(n as f64);
            }
        }
    }
    let body = handle().map(|h| h.render()).unwrap_or_default();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// The window of `GET /v1/stats`, in milliseconds since the epoch; the last 30 days
/// by default.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsParams {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// Latest time taken: the year 9999.
const MAX_TIME: i64 = 253_402_300_799_999;

/// `GET /v1/stats?from=&to=`.
#[utoipa::path(get, path = "/v1/stats", tag = "admin", params(StatsParams), responses((status = 200, description = "The window's figures", body = Stats), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn stats(
    State(state): State<AppState>,
    q: Result<Query<StatsParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = q.map_err(|e| ApiError::new(ErrorCode::BadRequest, e.body_text()))?;
    let orders = orders_of(&state)?;
    for (name, v) in [("from", p.from), ("to", p.to)] {
        if v.is_some_and(|v| !(0..=MAX_TIME).contains(&v)) {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                format!("{name} is milliseconds since 1970, between 0 and {MAX_TIME}"),
            ));
        }
    }
    let to = p.to.unwrap_or_else(|| orders.now() + 1);
    let from = p
        .from
        .unwrap_or(to.saturating_sub(30 * 24 * 3600 * 1000).max(0));
    let stats = blocking(move || orders.stats(from, to)).await??;
    Ok(Json(stats).into_response())
}
