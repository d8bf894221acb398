//! `POST /v1/assist`: one shopper message in, the assistant's turn out (reply,
//! understanding, products with their chosen variants, actions, cart, handoff).

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;

use super::{ApiError, AppState, ErrorCode};
use crate::assist::{Channel, TurnError, TurnInput, TurnOutput};
use crate::nlu::Language;

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssistRequest {
    /// Continue this session; a new one is made when absent.
    pub session_id: Option<String>,
    /// The shop's own id of the signed-in customer, asserted by the storefront.
    pub customer_id: Option<String>,
    pub text: String,
    #[serde(default)]
    pub channel: Channel,
    /// "de" or "en"; detected from the text when absent.
    pub language: Option<String>,
}

/// `POST /v1/assist`.
pub async fn assist(
    State(state): State<AppState>,
    body: Result<Json<AssistRequest>, JsonRejection>,
) -> Result<Json<TurnOutput>, ApiError> {
    let Json(req) = body?;
    let language = match req.language.as_deref() {
        None => None,
        Some(l) => Some(Language::parse(l).ok_or_else(|| {
            ApiError::new(
                ErrorCode::BadRequest,
                format!("language `{l}`: use de or en"),
            )
        })?),
    };
    let assistant = state
        .assistant
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .ok_or_else(|| ApiError::new(ErrorCode::NotReady, "the catalogue is still loading"))?;
    let input = TurnInput {
        session_id: req.session_id,
        customer_id: req.customer_id,
        text: req.text,
        channel: req.channel,
        language,
    };
    let out = tokio::task::spawn_blocking(move || assistant.turn(input))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    match out {
        Ok(o) => Ok(Json(o)),
        Err(TurnError::BadRequest(m)) => Err(ApiError::new(ErrorCode::BadRequest, m)),
        Err(TurnError::Orders(e)) => Err(e.into()),
        Err(TurnError::Search(m)) => Err(ApiError::new(ErrorCode::Internal, m)),
    }
}
