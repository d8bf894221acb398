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
//!   reaches another's data, because every order operation takes that id. With
//!   `customer_auth = "signed"` a storefront key alone acts only as a guest
//!   (`guest-…` ids); a customer needs a token the shop's backend signed
//!   ([`crate::customer_token`]), sent as `X-Customer-Token`.
//! - In open mode (no keys, loopback only) a web page in the operator's browser could
//!   otherwise reach the API: requests whose `Host` is not a loopback name (DNS
//!   rebinding) or whose `Origin` is a foreign page (cross-site requests) are refused.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::{ApiError, ErrorCode};
use crate::config::{ApiKey, Config, CustomerAuth, Scope};

/// The header naming the signed-in customer, asserted by the storefront.
pub const CUSTOMER_HEADER: &str = "x-customer-id";

/// The header carrying a signed customer token (`customer_auth = "signed"`).
pub const CUSTOMER_TOKEN_HEADER: &str = "x-customer-token";

/// Ids a storefront key may use without a token in signed mode: the widget's random
/// guest ids (`guest-<uuid>`), unguessable and owned by one browser.
pub const GUEST_PREFIX: &str = "guest-";

pub use crate::orders::CUSTOMER_ID_MAX;

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

/// Everything the guard in front of the routes checks, from the config.
#[derive(Clone, Default)]
pub struct Guard {
    pub keys: Keys,
    /// Exact browser origins allowed besides the daemon's own.
    pub allowed_origins: Arc<Vec<String>>,
    pub customer_auth: CustomerAuth,
    /// The secret of customer tokens (signed mode).
    pub token_secret: Arc<String>,
}

impl Guard {
    pub fn for_config(config: &Config) -> Guard {
        Guard {
            keys: Keys::new(&config.api_keys),
            allowed_origins: Arc::new(config.allowed_origins.clone()),
            customer_auth: config.customer_auth,
            token_secret: Arc::new(config.customer_token_secret.clone()),
        }
    }
}

/// The customer a request may act as, as the middleware established it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Vouched {
    /// The caller is trusted to name any customer (header mode, an admin key, open
    /// mode).
    Any,
    /// Signed mode with a valid token: this customer only.
    Customer(String),
    /// Signed mode without a token: guests only.
    GuestOnly,
}

impl Vouched {
    /// The customer a request acts as, given the id it asserts (header or body):
    /// checked with the one customer-id rule, then against what was vouched for.
    pub fn resolve(&self, asserted: Option<&str>) -> Result<Option<String>, ApiError> {
        if let Some(id) = asserted {
            crate::orders::check_customer_id(id)
                .map_err(|m| ApiError::new(ErrorCode::InvalidCustomerId, m))?;
        }
        match (self, asserted) {
            (Vouched::Any, a) => Ok(a.map(str::to_string)),
            (Vouched::Customer(c), None) => Ok(Some(c.clone())),
            (Vouched::Customer(c), Some(a)) if a == c => Ok(Some(c.clone())),
            (Vouched::Customer(_), Some(_)) => Err(ApiError::new(
                ErrorCode::Forbidden,
                "the customer id differs from the one the customer token names",
            )),
            (Vouched::GuestOnly, Some(a)) if a.starts_with(GUEST_PREFIX) => {
                Ok(Some(a.to_string()))
            }
            (Vouched::GuestOnly, Some(_)) => Err(ApiError::new(
                ErrorCode::CustomerTokenRequired,
                "acting as a signed-in customer needs the customer token the shop's backend signs (X-Customer-Token); without one, only guest-… ids",
            )),
            (Vouched::GuestOnly, None) => Ok(None),
        }
    }
}

/// Whether `host` (a `Host` header: name or address, maybe a port) names this
/// machine's loopback interface.
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        // [::1]:8080
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(host, |(name, _)| name)
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Open mode only: refuses what a web page in the operator's browser could send.
fn open_mode_refusal(guard: &Guard, req: &Request, need: Need) -> Option<ApiError> {
    let headers = req.headers();
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()));
    if let Some(host) = host {
        if !is_loopback_host(host) {
            return Some(ApiError::new(
                ErrorCode::HostNotAllowed,
                "without API keys the daemon answers only requests to a loopback name (localhost, 127.0.0.1, [::1])",
            ));
        }
    }
    if need == Need::Open {
        // The widget, the docs and health are public and read-only.
        return None;
    }
    match headers.get(axum::http::header::ORIGIN).map(|v| v.to_str()) {
        Some(Ok(origin)) => {
            let origin = origin.trim_end_matches('/').to_ascii_lowercase();
            let own = host.is_some_and(|h| {
                let h = h.to_ascii_lowercase();
                origin == format!("http://{h}") || origin == format!("https://{h}")
            });
            if !own && !guard.allowed_origins.contains(&origin) {
                return Some(ApiError::new(
                    ErrorCode::OriginNotAllowed,
                    format!("requests from the web page {origin} are not allowed; list it in allowed_origins"),
                ));
            }
        }
        Some(Err(_)) => {
            return Some(ApiError::new(
                ErrorCode::OriginNotAllowed,
                "the Origin header is not readable",
            ))
        }
        None => {
            // A browser that sends no Origin (a plain GET) still says where it came from.
            let site = headers
                .get("sec-fetch-site")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if site == "cross-site" || site == "same-site" {
                return Some(ApiError::new(
                    ErrorCode::OriginNotAllowed,
                    "requests from other web pages are not allowed; list the page's origin in allowed_origins",
                ));
            }
        }
    }
    None
}

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

/// Checks the request against the guard: in open mode its `Host` and `Origin`; else
/// the key against the route's scope. Records the [`Caller`] and what customer it may
/// act as ([`Vouched`]).
pub async fn check(State(guard): State<Guard>, mut req: Request, next: Next) -> Response {
    let need = need(req.uri().path());
    let keys = &guard.keys;
    let caller = if keys.is_open() {
        if let Some(refusal) = open_mode_refusal(&guard, &req, need) {
            return refusal.into_response();
        }
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
    let vouched = if guard.customer_auth == CustomerAuth::Signed && caller == Scope::Storefront {
        match req
            .headers()
            .get(CUSTOMER_TOKEN_HEADER)
            .map(|v| v.to_str().unwrap_or(""))
        {
            None => Vouched::GuestOnly,
            Some(token) => match crate::customer_token::verify(
                &guard.token_secret,
                token,
                crate::customer_token::now_secs(),
            ) {
                Ok(customer) => Vouched::Customer(customer),
                Err(e) => {
                    return ApiError::new(ErrorCode::InvalidCustomerToken, e.to_string())
                        .into_response()
                }
            },
        }
    } else {
        Vouched::Any
    };
    req.extensions_mut().insert(Caller(caller));
    req.extensions_mut().insert(vouched);
    next.run(req).await
}

/// The customer the storefront asserts in `X-Customer-Id`; 400 `customer_required`
/// when absent or malformed.
#[derive(Debug, Clone)]
pub struct CustomerId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CustomerId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let missing = |why: &str| {
            ApiError::new(
                ErrorCode::CustomerRequired,
                format!(
                    "this route acts for one customer: send their id in X-Customer-Id (1 to {CUSTOMER_ID_MAX} visible characters){why}"
                ),
            )
        };
        let asserted = parts
            .headers
            .get(CUSTOMER_HEADER)
            .map(|v| v.to_str().map(str::trim).unwrap_or("\u{0}"));
        let vouched = parts
            .extensions
            .get::<Vouched>()
            .cloned()
            .unwrap_or(Vouched::Any);
        // A malformed header is answered as a missing one (`customer_required`).
        vouched
            .resolve(asserted)
            .map_err(|e| match e.code {
                ErrorCode::InvalidCustomerId => missing(&format!(": {}", e.message)),
                _ => e,
            })?
            .map(CustomerId)
            .ok_or_else(|| missing(""))
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

    #[test]
    fn loopback_hosts_are_told_from_others() {
        for h in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:9",
            "127.1.2.3",
            "[::1]:8080",
            "[::1]",
            "LOCALHOST.",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "attacker.example",
            "attacker.example:8080",
            "localhost.attacker.example",
            "10.0.0.1:80",
            "[::2]:80",
            "0.0.0.0:8080",
            "",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }
}
