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
    /// A refusal of the order rules (`cart_changed`, `out_of_stock`, ...), with its
    /// own stable code and status.
    Domain {
        code: &'static str,
        status: u16,
    },
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
            ErrorCode::Domain { code, .. } => code,
        }
    }

    /// The HTTP status this code is answered with.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::BadRequest
            | ErrorCode::InvalidJson
            | ErrorCode::CustomerRequired
            | ErrorCode::InvalidCustomerId => StatusCode::BAD_REQUEST,
            ErrorCode::Unauthorized | ErrorCode::InvalidCustomerToken => StatusCode::UNAUTHORIZED,
            ErrorCode::Forbidden
            | ErrorCode::HostNotAllowed
            | ErrorCode::OriginNotAllowed
            | ErrorCode::CustomerTokenRequired => StatusCode::FORBIDDEN,
            ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::Overloaded | ErrorCode::DeadlineExceeded => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::NotReady => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Domain { status, .. } => {
                StatusCode::from_u16(status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
            }
        }
    }
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
            e => ApiError::new(
                ErrorCode::Domain {
                    code: e.code(),
                    status: e.status(),
                },
                e.to_string(),
            ),
        }
    }
}
