//! `POST /v1/assist`: one shopper message in, the assistant's turn out (reply,
//! understanding, products with their chosen variants and options, actions, cart,
//! handoff). With `Accept: text/event-stream` the turn streams as server-sent events:
//! `understanding`, `products` (as soon as the rules and the index have them, before
//! any model phrasing), `reply.delta` (the reply in pieces), and `done` with the whole
//! turn; an error after the stream began is an `error` event with the usual body.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::auth::Vouched;
use super::ErrorBody;
use super::{ApiError, AppState, ErrorCode, TurnGate};
use crate::assist::{check_input, Assistant, Channel, TurnError, TurnEvent, TurnInput, TurnOutput};
use crate::nlu::Language;

/// The request body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
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

impl From<TurnError> for ApiError {
    fn from(e: TurnError) -> ApiError {
        match e {
            TurnError::TooLong(n) => ApiError::new(
                ErrorCode::Domain("text_too_long"),
                format!("text has {n} characters; at most 2000 are taken"),
            ),
            TurnError::BadRequest(m) => ApiError::new(ErrorCode::BadRequest, m),

            TurnError::InvalidCustomer(m) => ApiError::new(ErrorCode::InvalidCustomerId, m),
            TurnError::Orders(e) => e.into(),
            TurnError::Search(m) => ApiError::new(ErrorCode::Internal, m),
        }
    }
}

/// The assistant, or 503 while the catalogue is still loading.
pub(crate) fn assistant_of(state: &AppState) -> Result<Arc<Assistant>, ApiError> {
    state
        .assistant
        .get()
        .cloned()
        .ok_or_else(|| ApiError::new(ErrorCode::NotReady, "the catalogue is still loading"))
}

fn parse_language(l: Option<&str>) -> Result<Option<Language>, ApiError> {
    match l {
        None => Ok(None),
        Some(l) => Language::parse(l).map(Some).ok_or_else(|| {
            ApiError::new(
                ErrorCode::BadRequest,
                format!("language `{l}`: use de or en"),
            )
        }),
    }
}

fn wants_stream(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"))
}

/// `POST /v1/assist`.
#[utoipa::path(post, path = "/v1/assist", tag = "assistant", request_body = AssistRequest, responses((status = 200, description = "The turn; with Accept: text/event-stream, the events understanding, products, reply.delta and done", body = TurnOutput), (status = 422, description = "Text over 2000 characters", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn assist(
    State(state): State<AppState>,
    axum::Extension(vouched): axum::Extension<Vouched>,
    headers: HeaderMap,
    body: Result<Json<AssistRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(req) = body?;
    let language = parse_language(req.language.as_deref())?;
    let mut input = TurnInput {
        session_id: req.session_id,
        customer_id: req.customer_id,
        text: req.text,
        channel: req.channel,
        language,
    };
    // Every input is checked before the turn runs (and writes anything).
    check_input(&input)?;
    input.customer_id = vouched.resolve(input.customer_id.as_deref())?;
    let assistant = assistant_of(&state)?;
    if wants_stream(&headers) {
        let rx = run_streamed(&state.turns, assistant, input)?;
        return Ok(stream_turn(rx).into_response());
    }
    let out = run_turn(&state.turns, assistant, input).await?;
    Ok(Json(out).into_response())
}

fn deadline_exceeded(gate: &TurnGate) -> ApiError {
    ApiError::new(
        ErrorCode::DeadlineExceeded,
        format!(
            "the turn took longer than {} s; try again",
            gate.deadline.as_secs()
        ),
    )
}

/// Runs a whole turn on a blocking thread, holding one of the gate's places for as
/// long as the work runs (even past the deadline, so the gate counts real load).
pub(crate) async fn run_turn(
    gate: &TurnGate,
    assistant: Arc<Assistant>,
    input: TurnInput,
) -> Result<TurnOutput, ApiError> {
    let permit = gate.try_enter()?;
    let work = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        assistant.turn(input)
    });
    match tokio::time::timeout(gate.deadline, work).await {
        Err(_) => Err(deadline_exceeded(gate)),
        Ok(Err(e)) => Err(ApiError::new(ErrorCode::Internal, e.to_string())),
        Ok(Ok(out)) => Ok(out?),
    }
}

/// What a streamed turn produces, in order.
pub(crate) enum Streamed {
    Understanding(serde_json::Value),
    Products(serde_json::Value),
    Done(Box<TurnOutput>),
    Failed(ApiError),
}

/// Runs the turn on a blocking thread, sending what is ready as it is ready; past the
/// gate's deadline the stream ends with a `deadline_exceeded` failure. The place in
/// the gate is taken before anything streams, so "overloaded" is a plain 503.
pub(crate) fn run_streamed(
    gate: &TurnGate,
    assistant: Arc<Assistant>,
    input: TurnInput,
) -> Result<tokio::sync::mpsc::UnboundedReceiver<Streamed>, ApiError> {
    let permit = gate.try_enter()?;
    let (tx, mut work_rx) = tokio::sync::mpsc::unbounded_channel();
    let (out_tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let late = deadline_exceeded(gate);
    let deadline = tokio::time::sleep(gate.deadline);
    tokio::spawn(async move {
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                e = work_rx.recv() => {
                    let Some(e) = e else { break };
                    let last = matches!(e, Streamed::Done(_) | Streamed::Failed(_));
                    if out_tx.send(e).is_err() || last {
                        break;
                    }
                }
                _ = &mut deadline => {
                    let _ = out_tx.send(Streamed::Failed(late));
                    break;
                }
            }
        }
    });
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut on_event = |e: TurnEvent<'_>| {
            let _ = tx.send(match e {
                TurnEvent::Understanding {
                    session_id,
                    language,
                    understanding,
                } => Streamed::Understanding(json!({
                    "session_id": session_id,
                    "language": language,
                    "intent": understanding.intent,
                    "understanding": understanding,
                })),
                TurnEvent::Products { products, revision } => {
                    Streamed::Products(json!({ "products": products, "revision": revision }))
                }
            });
        };
        let done = match assistant.turn_with(input, &mut on_event) {
            Ok(out) => Streamed::Done(Box::new(out)),
            Err(e) => Streamed::Failed(e.into()),
        };
        let _ = tx.send(done);
    });
    Ok(rx)
}

/// The reply in pieces for `reply.delta`: a line or a sentence at a time.
pub(crate) fn pieces(reply: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in reply.chars() {
        current.push(c);
        if c == '\n' || (matches!(c, '.' | '!' | '?') && current.len() > 1) {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn stream_turn(
    rx: tokio::sync::mpsc::UnboundedReceiver<Streamed>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let events = futures_util::stream::unfold(
        (rx, Vec::<Event>::new()),
        |(mut rx, mut queued)| async move {
            if let Some(e) = queued.pop() {
                return Some((Ok(e), (rx, queued)));
            }
            let event = match rx.recv().await? {
                Streamed::Understanding(v) => {
                    Event::default().event("understanding").data(v.to_string())
                }
                Streamed::Products(v) => Event::default().event("products").data(v.to_string()),
                Streamed::Done(out) => {
                    // Reversed, so `pop` sends them in order; `done` last.
                    queued.push(
                        Event::default()
                            .event("done")
                            .data(serde_json::to_string(&*out).unwrap_or_default()),
                    );
                    for piece in pieces(&out.reply).into_iter().rev() {
                        queued.push(
                            Event::default()
                                .event("reply.delta")
                                .data(json!({ "text": piece }).to_string()),
                        );
                    }
                    queued.pop()?
                }
                Streamed::Failed(e) => Event::default().event("error").data(e.body().to_string()),
            };
            Some((Ok(event), (rx, queued)))
        },
    );
    Sse::new(events).keep_alive(KeepAlive::default())
}
