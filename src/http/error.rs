//! The one error type of the HTTP boundary: every failure becomes
//! `{"error":{"code":"...","message":"..."}}` with a stable snake_case code and a status
//! chosen in one place.

use axum::extract::rejection::JsonRejection;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to an HTTP client.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

/// Stable error codes. Clients match on these, never on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    BadRequest,
    InvalidJson,
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    NotReady,
    /// No API key, or an unknown one.
    Unauthorized,
    /// A key whose scope does not cover the route.
    Forbidden,
    /// A customer route without `X-Customer-Id`.
    CustomerRequired,
    /// Too many turns at once: try again shortly.
    Overloaded,
    /// The turn took longer than its deadline.
    DeadlineExceeded,
    /// A JSON route was sent a body that is not `application/json`.
    UnsupportedMediaType,
    /// Open mode: the `Host` is not a loopback name (DNS rebinding).
    HostNotAllowed,
    /// Open mode: the request comes from a foreign web page.
    OriginNotAllowed,
    /// A customer id that breaks the rule (length, control characters, reserved prefix).
    InvalidCustomerId,
    /// Signed mode: a storefront key named a customer without their token.
    CustomerTokenRequired,
    /// Signed mode: the customer token is malformed, forged or expired.
    InvalidCustomerToken,
    Internal,
    /// A refusal of the engine (`cart_changed`, `out_of_stock`, `text_too_long`, ...)
    /// with its own stable code; its status comes from [`STATUS_OF`].
    Domain(&'static str),
}

impl ErrorCode {
    /// The code as clients see it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::NotReady => "not_ready",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::CustomerRequired => "customer_required",
            ErrorCode::Overloaded => "overloaded",
            ErrorCode::DeadlineExceeded => "deadline_exceeded",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::HostNotAllowed => "host_not_allowed",
            ErrorCode::OriginNotAllowed => "origin_not_allowed",
            ErrorCode::InvalidCustomerId => "invalid_customer_id",
            ErrorCode::CustomerTokenRequired => "customer_token_required",
            ErrorCode::InvalidCustomerToken => "invalid_customer_token",
            ErrorCode::Internal => "internal",
            ErrorCode::Domain(code) => code,
        }
    }

    /// The HTTP status this code is answered with, from [`STATUS_OF`].
    pub fn status(self) -> StatusCode {
        status_of(self.as_str())
    }
}

/// Every stable error code and the HTTP status it is answered with: the one table.
/// The engine's errors carry their codes (`OrderError::code`, `TurnError`); which
/// status a code gets is decided here and nowhere else.
pub const STATUS_OF: &[(&str, u16)] = &[
    ("bad_request", 400),
    ("invalid_json", 400),
    ("customer_required", 400),
    ("invalid_customer_id", 400),
    ("unauthorized", 401),
    ("invalid_customer_token", 401),
    ("forbidden", 403),
    ("host_not_allowed", 403),
    ("origin_not_allowed", 403),
    ("customer_token_required", 403),
    ("not_found", 404),
    ("unknown_product", 404),
    ("unknown_order", 404),
    ("unknown_session", 404),
    ("confirmation_unknown", 404),
    ("not_in_cart", 404),
    ("method_not_allowed", 405),
    ("cart_changed", 409),
    ("confirmation_used", 409),
    ("out_of_stock", 409),
    ("invalid_transition", 409),
    ("idempotency_key_in_flight", 409),
    ("confirmation_expired", 410),
    ("payload_too_large", 413),
    ("unsupported_media_type", 415),
    ("text_too_long", 422),
    ("invalid_catalog", 422),
    ("unknown_variant", 422),
    ("variant_required", 422),
    ("invalid_quantity", 422),
    ("cart_empty", 422),
    ("amount_out_of_range", 422),
    ("return_window_closed", 422),
    ("idempotency_key_reused", 422),
    ("internal", 500),
    ("not_ready", 503),
    ("database_unavailable", 503),
    ("overloaded", 503),
    ("deadline_exceeded", 503),
];

/// The status of a stable code; a code missing from [`STATUS_OF`] is a bug, answered
/// as 500 (a test checks every code the engine has is listed).
pub fn status_of(code: &str) -> StatusCode {
    STATUS_OF
        .iter()
        .find(|(c, _)| *c == code)
        .and_then(|(_, s)| StatusCode::from_u16(*s).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }
}

/// The body of every error answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// An error's stable code (match on it) and a message for people.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

impl ApiError {
    /// The JSON body `{"error": {"code", "message"}}`; an internal error's detail is
    /// logged, not sent.
    pub fn body(&self) -> serde_json::Value {
        let message = if self.code == ErrorCode::Internal {
            tracing::error!(error = %self.message, "internal error");
            "internal error; see the daemon's log"
        } else {
            self.message.as_str()
        };
        serde_json::to_value(ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().to_string(),
                message: message.to_string(),
            },
        })
        .unwrap_or_default()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.code.status();
        let mut resp = (status, axum::Json(self.body())).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        resp
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let code = match r {
            _ if r.status() == StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            JsonRejection::MissingJsonContentType(_) => ErrorCode::UnsupportedMediaType,
            _ => ErrorCode::InvalidJson,
        };
        ApiError::new(code, r.body_text())
    }
}

impl From<crate::orders::OrderError> for ApiError {
    fn from(e: crate::orders::OrderError) -> Self {
        match e {
            crate::orders::OrderError::Internal { message } => {
                ApiError::new(ErrorCode::Internal, message)
            }
            e => ApiError::new(ErrorCode::Domain(e.code()), e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::OrderError;

    #[test]
    fn every_code_has_one_status() {
        let mut seen = std::collections::HashSet::new();
        for (code, _) in STATUS_OF {
            assert!(seen.insert(code), "{code} is listed twice");
        }
        let engine = [
            OrderError::UnknownProduct {
                product_id: "p".into(),
            },
            OrderError::CartEmpty,
            OrderError::ConfirmationExpired,
            OrderError::IdempotencyKeyInFlight,
            OrderError::AmountOutOfRange { what: "x".into() },
            OrderError::InvalidRequest {
                message: "m".into(),
            },
            OrderError::ReturnWindowClosed { days: 30 },
            OrderError::IdempotencyKeyReused,
            OrderError::NotInCart {
                product_id: "p".into(),
                variant_id: "v".into(),
            },
            OrderError::UnknownSession {
                session_id: "s".into(),
            },
            OrderError::DatabaseUnavailable {
                message: "m".into(),
            },
        ];
        for e in engine {
            assert!(
                STATUS_OF.iter().any(|(c, _)| *c == e.code()),
                "{} has no status",
                e.code()
            );
        }
        assert_eq!(status_of("out_of_stock"), StatusCode::CONFLICT);
        assert_eq!(status_of("no_such_code"), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
