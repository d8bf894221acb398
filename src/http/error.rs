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
            ErrorCode::Internal => "internal",
            ErrorCode::Domain { code, .. } => code,
        }
    }

    /// The HTTP status this code is answered with.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::BadRequest | ErrorCode::InvalidJson => StatusCode::BAD_REQUEST,
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

#[derive(Serialize)]
struct Body<'a> {
    error: Inner<'a>,
}

#[derive(Serialize)]
struct Inner<'a> {
    code: &'a str,
    message: &'a str,
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
        serde_json::to_value(Body {
            error: Inner {
                code: self.code.as_str(),
                message,
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
        let code = if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ErrorCode::PayloadTooLarge
        } else {
            ErrorCode::InvalidJson
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
