//! OpenAI-compatible chat: `POST /v1/chat/completions` (with `stream: true` as SSE
//! `data:` chunks ending in `data: [DONE]`) and `GET /v1/models`, so any OpenAI client
//! can talk to the assistant unchanged.
//!
//! The last `user` message is the shopper's text; `user` (the OpenAI field) is the
//! session key, so a client that sends it keeps one conversation (session
//! `oai:<user>`, customer `<user>`); without it every request is a fresh session.
//! The structured turn (products, actions, cart, handoff) travels in the extra field
//! `shopassist` of the completion (and of the last chunk). Sampling fields
//! (`temperature`, `max_tokens`, ...) are accepted and ignored: replies come from the
//! catalogue, not from free generation.

use std::convert::Infallible;

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::assist::{assistant_of, pieces, run_streamed, run_turn, Streamed};
use super::ErrorBody;
use super::{ApiError, AppState, ErrorCode};
use crate::assist::{check_input, Channel, TurnInput};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ChatMessage {
    pub role: String,
    /// A string, or OpenAI's list of content parts (their `text` parts are joined).
    #[serde(default)]
    pub content: Value,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ChatRequest {
    #[serde(default)]
    pub model: Option<String>,
    pub messages: Vec<ChatMessage>,
    #[serde(default)]
    pub stream: bool,
    #[serde(default)]
    pub user: Option<String>,
}

fn content_text(c: &Value) -> String {
    match c {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        _ => String::new(),
    }
}

/// The model name clients see: the loaded model's, or the rules engine's.
fn model_name(state: &AppState) -> String {
    state
        .assistant
        .get()
        .and_then(|a| a.model().map(|m| m.name.clone()))
        .unwrap_or_else(|| "shopassist".to_string())
}

/// `GET /v1/models`.
#[utoipa::path(get, path = "/v1/models", tag = "assistant", responses((status = 200, description = "The loaded model, OpenAI style")), security(("api_key" = [])))]
pub async fn models(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "object": "list",
        "data": [{"id": model_name(&state), "object": "model", "created": 0, "owned_by": "shopassist"}],
    }))
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `POST /v1/chat/completions`.
#[utoipa::path(post, path = "/v1/chat/completions", tag = "assistant", request_body = ChatRequest, responses((status = 200, description = "An OpenAI chat completion (or its SSE chunks ending in [DONE]), with the turn in the extra field `shopassist`"), (status = 422, description = "Text over 2000 characters", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn completions(
    State(state): State<AppState>,
    axum::Extension(vouched): axum::Extension<super::auth::Vouched>,
    body: Result<Json<ChatRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(req) = body?;
    let text = req
        .messages
        .iter()
        .rev()
        .find(|m| m.role == "user")
        .map(|m| content_text(&m.content))
        .ok_or_else(|| ApiError::new(ErrorCode::BadRequest, "no user message in `messages`"))?;
    let user = req.user.filter(|u| !u.trim().is_empty());
    let mut input = TurnInput {
        session_id: user.as_ref().map(|u| format!("oai:{u}")),
        customer_id: user.clone(),
        text,
        channel: Channel::Text,
        language: None,
    };
    // `user` is a customer id like any other: the same check, before anything runs.
    check_input(&input)?;
    input.customer_id = vouched.resolve(input.customer_id.as_deref())?;
    let assistant = assistant_of(&state)?;
    let id = format!("chatcmpl-{}", uuid::Uuid::new_v4().simple());
    let model = req.model.unwrap_or_else(|| model_name(&state));
    let created = now();
    if !req.stream {
        let out = run_turn(&state.turns, assistant, input).await?;
        return Ok(Json(json!({
            "id": id,
            "object": "chat.completion",
            "created": created,
            "model": model,
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": out.reply},
                "finish_reason": "stop",
            }],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            "shopassist": out,
        }))
        .into_response());
    }
    let chunk = move |delta: Value, finish: Option<&str>, extra: Option<Value>| {
        let mut c = json!({
            "id": id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        });
        if let Some(x) = extra {
            c["shopassist"] = x;
        }
        Event::default().data(c.to_string())
    };
    let rx = run_streamed(&state.turns, assistant, input)?;
    let events = futures_util::stream::unfold(
        (rx, Vec::<Event>::new(), chunk, false),
        |(mut rx, mut queued, chunk, mut started)| async move {
            loop {
                if let Some(e) = queued.pop() {
                    return Some((Ok::<_, Infallible>(e), (rx, queued, chunk, started)));
                }
                if !started {
                    started = true;
                    queued.push(chunk(
                        json!({"role": "assistant", "content": ""}),
                        None,
                        None,
                    ));
                    continue;
                }
                match rx.recv().await? {
                    Streamed::Understanding(_) | Streamed::Products(_) => continue,
                    Streamed::Done(out) => {
                        let extra = serde_json::to_value(&*out).ok();
                        // Reversed, so `pop` sends them in order.
                        queued.push(Event::default().data("[DONE]"));
                        queued.push(chunk(json!({}), Some("stop"), extra));
                        for piece in pieces(&out.reply).into_iter().rev() {
                            queued.push(chunk(json!({"content": piece}), None, None));
                        }
                    }
                    Streamed::Failed(e) => {
                        queued.push(Event::default().data("[DONE]"));
                        queued.push(Event::default().data(e.body().to_string()));
                    }
                }
            }
        },
    );
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response())
}
