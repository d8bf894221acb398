//! API keys and scopes, and the customer a storefront asserts.
//!
//! - A key travels as `Authorization: Bearer <key>` (what OpenAI clients send) or
//!   `X-API-Key: <key>`.
//! - Routes are open (health, readiness, the widget, the API docs), storefront (the
//!   shopper's calls) or admin (catalogue changes, every order, stock, stats, metrics);
//!   an admin key may also make storefront calls.
//! - No key on a guarded route → 401 `unauthorized`; a key of the wrong scope → 403
//!   `forbidden`.
//! - With no keys configured the API is open; the daemon allows that only on a
//!   loopback address (see `daemon::run_on`).
//! - Customer data (cart, orders, returns, reminders) is read and written as the
//!   customer the storefront asserts in `X-Customer-Id`; one customer's id never
//!   reaches another's data, because every order operation takes that id.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::{ApiError, ErrorCode};
use crate::config::{ApiKey, Scope};

/// The header naming the signed-in customer, asserted by the storefront.
pub const CUSTOMER_HEADER: &str = "x-customer-id";

/// Prefixes of ids the daemon uses itself (anonymous carts, the shop's own records).
const RESERVED_PREFIXES: &[&str] = &["anon:", "shop:"];

/// Longest customer id taken.
pub const CUSTOMER_ID_MAX: usize = 128;

/// The configured keys, kept as digests so comparing does not leak a key's prefix
/// through timing.
#[derive(Clone, Default)]
pub struct Keys(Arc<Vec<([u8; 32], Scope)>>);

impl Keys {
    pub fn new(keys: &[ApiKey]) -> Keys {
        Keys(Arc::new(
            keys.iter()
                .map(|k| (Sha256::digest(k.key.as_bytes()).into(), k.scope))
                .collect(),
        ))
    }

    /// No keys configured: every route is open.
    pub fn is_open(&self) -> bool {
        self.0.is_empty()
    }

    fn scope_of(&self, key: &str) -> Option<Scope> {
        let digest: [u8; 32] = Sha256::digest(key.as_bytes()).into();
        // Digests compared whole; the best scope wins if a key is listed twice.
        self.0
            .iter()
            .filter(|(d, _)| *d == digest)
            .map(|(_, s)| *s)
            .max()
    }
}

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Open,
    Scope(Scope),
}

/// The route table of scopes, by path.
pub fn need(path: &str) -> Need {
    const OPEN: &[&str] = &[
        "/",
        "/healthz",
        "/readyz",
        "/widget.js",
        "/docs",
        "/openapi.json",
    ];
    if OPEN.contains(&path) {
        Need::Open
    } else if path.starts_with("/v1/catalog/")
        || path.starts_with("/v1/admin/")
        || path == "/v1/stats"
        || path == "/metrics"
    {
        Need::Scope(Scope::Admin)
    } else {
        Need::Scope(Scope::Storefront)
    }
}

/// Who is calling, as the middleware found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller(pub Scope);

fn presented(parts: &axum::http::HeaderMap) -> Option<&str> {
    if let Some(v) = parts
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let v = v.trim();
        if let Some(key) = v
            .strip_prefix("Bearer ")
            .or_else(|| v.strip_prefix("bearer "))
        {
            return Some(key.trim());
        }
    }
    parts
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// Checks the key against the route's scope and records the [`Caller`].
pub async fn check(State(keys): State<Keys>, mut req: Request, next: Next) -> Response {
    let need = need(req.uri().path());
    let caller = if keys.is_open() {
        Scope::Admin
    } else {
        let scope = presented(req.headers()).and_then(|k| keys.scope_of(k));
        match (need, scope) {
            (Need::Open, s) => s.unwrap_or(Scope::Storefront),
            (Need::Scope(_), None) => {
                let message = if presented(req.headers()).is_some() {
                    "the API key is not known"
                } else {
                    "this route needs an API key: Authorization: Bearer <key>"
                };
                return ApiError::new(ErrorCode::Unauthorized, message).into_response();
            }
            (Need::Scope(wanted), Some(have)) if have < wanted => {
                return ApiError::new(
                    ErrorCode::Forbidden,
                    match wanted {
                        Scope::Admin => "this route needs an admin key",
                        Scope::Storefront => "this route needs a storefront key",
                    },
                )
                .into_response();
            }
            (Need::Scope(_), Some(have)) => have,
        }
    };
    req.extensions_mut().insert(Caller(caller));
    next.run(req).await
}

/// The customer the storefront asserts in `X-Customer-Id`; 400 `customer_required`
/// when absent or malformed.
#[derive(Debug, Clone)]
pub struct CustomerId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CustomerId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let missing = || {
            ApiError::new(
                ErrorCode::CustomerRequired,
                format!(
                    "this route acts for one customer: send their id in X-Customer-Id (1 to {CUSTOMER_ID_MAX} visible characters)"
                ),
            )
        };
        let id = parts
            .headers
            .get(CUSTOMER_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .ok_or_else(missing)?;
        if id.is_empty()
            || id.len() > CUSTOMER_ID_MAX
            || id.chars().any(|c| c.is_control())
            || RESERVED_PREFIXES.iter().any(|p| id.starts_with(p))
        {
            return Err(missing());
        }
        Ok(CustomerId(id.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_classified() {
        assert_eq!(need("/healthz"), Need::Open);
        assert_eq!(need("/"), Need::Open);
        assert_eq!(need("/v1/assist"), Need::Scope(Scope::Storefront));
        assert_eq!(need("/v1/cart"), Need::Scope(Scope::Storefront));
        assert_eq!(need("/v1/catalog/import"), Need::Scope(Scope::Admin));
        assert_eq!(need("/v1/admin/orders"), Need::Scope(Scope::Admin));
        assert_eq!(need("/metrics"), Need::Scope(Scope::Admin));
        // A path that only starts like an open one is not open.
        assert_eq!(need("/healthz/x"), Need::Scope(Scope::Storefront));
    }

    #[test]
    fn keys_match_whole_and_the_best_scope_wins() {
        let keys = Keys::new(&[
            ApiKey {
                scope: Scope::Storefront,
                key: "storefront-key-0001".into(),
            },
            ApiKey {
                scope: Scope::Admin,
                key: "admin-key-000000001".into(),
            },
        ]);
        assert_eq!(
            keys.scope_of("storefront-key-0001"),
            Some(Scope::Storefront)
        );
        assert_eq!(keys.scope_of("admin-key-000000001"), Some(Scope::Admin));
        assert_eq!(keys.scope_of("admin-key-00000000"), None);
        assert_eq!(keys.scope_of(""), None);
        assert!(!keys.is_open());
        assert!(Keys::new(&[]).is_open());
    }
}
