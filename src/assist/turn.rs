//! One turn of a conversation: understand the message, act on the session's state
//! (search, refine, answer, cart, checkout with confirmation, orders, handoff), reply
//! from the templates in `prompts/<lang>/replies.toml`, and persist the session and
//! its transcript.
//!
//! Everything a reply states comes from the catalogue or the database: the templates
//! only receive values read from there. Cart changes are built from the shopper's own
//! words (intent rules, slots, references), never from model output.

mod after_sale;
mod cart;
mod discover;
mod templates;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::answer::{answer, compare, Topic, Verdict};
use super::refine::{resolve, ActiveSearch, Change, Shown, PAGE};
use super::voice;
use crate::catalog::{format_price, Product};
use crate::llm::Model;
use crate::nlu::{understand, Extractor, Intent, Language, Understanding};
use crate::orders::{Cart, CartAction, OrderError, OrderFilter, Orders};
use crate::search::{Hit, SearchQuery, Sort};
use crate::shop::Shop;
pub use templates::Templates;

/// Where the reply goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    #[default]
    Text,
    Voice,
}

/// What a session remembers between turns (persisted as JSON in the store).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SessionState {
    pub language: Option<Language>,
    pub search: ActiveSearch,
    pub shown: Vec<Shown>,
    pub focused: Option<Shown>,
    /// Token of a checkout proposal awaiting the shopper's yes or no.
    pub pending_checkout: Option<String>,
    /// A product the shopper wanted in the cart while its size or colour was open:
    /// the next message that names one ("Größe M", "in blau") adds it.
    #[serde(default)]
    pub pending_add: Option<Shown>,
    /// Turns in a row without progress.
    pub stalls: u32,
    pub handoff: bool,
}

/// One message in.
#[derive(Debug, Clone, Default)]
pub struct TurnInput {
    pub session_id: Option<String>,
    pub customer_id: Option<String>,
    pub text: String,
    pub channel: Channel,
    pub language: Option<Language>,
}

/// A product in a reply, with the variant chosen for the shopper.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProductOut {
    pub id: String,
    pub title: String,
    pub brand: Option<String>,
    /// Minor units.
    pub price: i64,
    pub currency: String,
    pub in_stock: bool,
    pub variant: crate::catalog::Variant,
    /// The selected value of each option (size, colour, style, flavour, ...): what a
    /// shopper who asked for "size 3x-large" expects to get.
    pub options: std::collections::BTreeMap<String, String>,
    /// Units of the chosen variant in stock.
    pub stock: u32,
    /// The ranking score, rounded to 1/1000 so that it reads the same in every event
    /// and body (an `f32` turned into a JSON value gains digits the direct text lacks).
    pub score: f64,
    /// The constraints it satisfies and the terms it matched.
    pub reasons: Vec<String>,
}

/// One turn's answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TurnOutput {
    pub session_id: String,
    pub reply: String,
    pub language: Language,
    pub intent: Intent,
    /// What the assistant understood: intent, language, slots and their sources.
    #[schema(value_type = Object)]
    pub understanding: Understanding,
    pub products: Vec<ProductOut>,
    /// What changed: `{"type": "cart.add", ...}`, `{"type": "order.placed", ...}`.
    pub actions: Vec<Value>,
    pub cart: Option<Cart>,
    pub handoff: bool,
}

/// Why a turn could not run.
#[derive(Debug, thiserror::Error)]
pub enum TurnError {
    #[error("{0}")]
    BadRequest(String),
    #[error("text has {0} characters; at most 2000 are taken")]
    TooLong(usize),
    #[error(transparent)]
    Orders(#[from] OrderError),
    #[error("search: {0}")]
    Search(String),
    #[error("{0}")]
    InvalidCustomer(String),
}

impl From<crate::store::StoreError> for TurnError {
    fn from(e: crate::store::StoreError) -> Self {
        TurnError::Orders(e.into())
    }
}

/// The assistant: catalogue, orders, templates and optionally a model for the open
/// slots. Blocking; run turns on a blocking thread.
pub struct Assistant {
    pub shop: Arc<Shop>,
    pub orders: Orders,
    pub templates: Templates,
    /// The model's slot: empty (rules only) until the model is ready, then filled
    /// once ([`Assistant::attach_model`]); turns running meanwhile read with the rules.
    llm: std::sync::OnceLock<(Arc<Extractor>, Arc<Model>)>,
    /// One model reading at a time; a turn that finds it busy understands with the
    /// rules alone instead of waiting.
    llm_gate: std::sync::Mutex<()>,
    /// Let the model reword replies (validated; see [`super::phrasing`]).
    model_phrasing: bool,
}

impl Assistant {
    pub fn new(
        shop: Arc<Shop>,
        orders: Orders,
        templates: Templates,
        llm: Option<(Arc<Extractor>, Arc<Model>)>,
    ) -> Assistant {
        let slot = std::sync::OnceLock::new();
        if let Some(llm) = llm {
            let _ = slot.set(llm);
        }
        Assistant {
            shop,
            orders,
            templates,
            llm: slot,
            llm_gate: std::sync::Mutex::new(()),
            model_phrasing: false,
        }
    }

    /// Lets the model reword text replies when it is free (once it is attached); a
    /// reply it cannot word without changing a fact stays the template's.
    pub fn with_model_phrasing(mut self, on: bool) -> Assistant {
        self.model_phrasing = on;
        self
    }

    /// Fills the model's slot; later turns read open messages with it. A second call
    /// keeps the first model and returns false.
    pub fn attach_model(&self, extractor: Arc<Extractor>, model: Arc<Model>) -> bool {
        self.llm.set((extractor, model)).is_ok()
    }

    /// The model open messages are read with, once attached.
    pub fn model(&self) -> Option<&Arc<Model>> {
        self.llm.get().map(|(_, m)| m)
    }
}

const ANGRY: &[&str] = &[
    "scheiße",
    "scheisse",
    "mist",
    "blöd",
    "blöde",
    "nervt",
    "nervig",
    "ärgerlich",
    "frechheit",
    "unverschämt",
    "katastrophe",
    "useless",
    "stupid",
    "terrible",
    "awful",
    "wtf",
    "ridiculous",
    "annoying",
    "damn",
    "crap",
];

struct Ctx<'a> {
    lang: Language,
    channel: Channel,
    customer: Option<&'a str>,
    cart_owner: String,
}

/// What a turn has ready before it is done, in this order (for streaming): the
/// understanding, then the products (from the rules and the index, before any model
/// phrasing of the reply).
#[derive(Debug)]
pub enum TurnEvent<'a> {
    Understanding {
        session_id: &'a str,
        language: Language,
        understanding: &'a Understanding,
    },
    Products(&'a [ProductOut]),
}

/// Transcript lines a handoff event carries (the last ones); the whole transcript
/// stays readable by its session id.
pub const HANDOFF_TRANSCRIPT_TURNS: usize = 20;

/// The longest message a turn takes, in characters.
pub const MAX_TEXT: usize = 2000;

/// Whether a message is one a turn accepts: not empty, at most [`MAX_TEXT`] characters.
pub fn check_text(text: &str) -> Result<(), TurnError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(TurnError::BadRequest("text is empty".into()));
    }
    let n = text.chars().count();
    if n > MAX_TEXT {
        return Err(TurnError::TooLong(n));
    }
    Ok(())
}

/// Checks everything a turn takes before the turn writes anything: the text, the
/// session id and the customer id (the same check as every other entry point's).
pub fn check_input(input: &TurnInput) -> Result<(), TurnError> {
    check_text(&input.text)?;
    if let Some(id) = &input.session_id {
        crate::orders::check_session_id(id).map_err(TurnError::BadRequest)?;
    }
    if let Some(id) = &input.customer_id {
        crate::orders::check_customer_id(id).map_err(TurnError::InvalidCustomer)?;
    }
    Ok(())
}

impl Assistant {
    /// Runs one turn.
    pub fn turn(&self, input: TurnInput) -> Result<TurnOutput, TurnError> {
        self.turn_with(input, &mut |_| {})
    }

    /// Runs one turn, telling `on_event` what is ready as soon as it is.
    ///
    /// Every input is checked before anything is written; then the turn's action,
    /// its transcript lines, the session state and its statistics are written as one
    /// transaction ([`Orders::unit`]): they commit together or not at all.
    pub fn turn_with(
        &self,
        input: TurnInput,
        on_event: &mut dyn FnMut(TurnEvent<'_>),
    ) -> Result<TurnOutput, TurnError> {
        check_input(&input)?;
        let started = std::time::Instant::now();
        let text = input.text.trim();
        let session_id = input
            .session_id
            .clone()
            .unwrap_or_else(|| format!("s_{}", uuid::Uuid::new_v4().simple()));
        let customer = input.customer_id.as_deref();
        let mut state: SessionState = self
            .orders
            .session(&session_id, customer)?
            .and_then(|s| serde_json::from_value(s.state).ok())
            .unwrap_or_default();
        let session_lang = input.language.or(state.language).unwrap_or_default();
        let gate = self.llm.get().and_then(|_| self.llm_gate.try_lock().ok());
        if self.llm.get().is_some() && gate.is_none() {
            ::metrics::counter!("shopassist_model_busy_total").increment(1);
            tracing::info!("model busy; understanding with the rules alone");
        }
        let llm = self
            .llm
            .get()
            .filter(|_| gate.is_some())
            .map(|(e, m)| (e.as_ref(), m.as_ref()));
        let u = understand(text, session_lang, llm);
        drop(gate);
        let lang = input.language.unwrap_or(u.language);
        state.language = Some(lang);
        on_event(TurnEvent::Understanding {
            session_id: &session_id,
            language: lang,
            understanding: &u,
        });
        let ctx = Ctx {
            lang,
            channel: input.channel,
            customer,
            cart_owner: customer
                .map(str::to_string)
                .unwrap_or_else(|| format!("anon:{session_id}")),
        };
        self.orders.unit(|| {
            let angry = u.normalised.split_whitespace().any(|w| ANGRY.contains(&w));
            let mut out = Outcome::default();
            if angry
                || u.intent == Intent::Handoff
                || state.stalls >= 2 && !matches!(u.intent, Intent::Greeting)
            {
                self.handoff(&session_id, text, &ctx, &mut state, &u, &mut out)?;
            } else {
                self.act(&ctx, &mut state, &u, &mut out)?;
                state.stalls = if out.progress { 0 } else { state.stalls + 1 };
            }
            on_event(TurnEvent::Products(&out.products));
            let reply = self.word(&ctx, &out);
            let intent = serde_json::to_value(u.intent).unwrap_or(Value::Null);
            let stats = crate::orders::stats::TurnRecord {
                session_id: &session_id,
                intent: intent.as_str().unwrap_or("unknown"),
                ms: started.elapsed().as_millis() as u64,
                searched: !out.products.is_empty(),
                ordered: out.actions.iter().any(|a| a["type"] == "order.placed"),
                handoff: state.handoff,
            };
            // The conversation's side of the turn, in one call.
            self.orders
                .persist_turn(&crate::orders::sessions::PersistedTurn {
                    session_id: &session_id,
                    customer,
                    shopper: text,
                    reply: &reply,
                    state: &serde_json::to_value(&state).unwrap_or(Value::Null),
                    stats: &stats,
                })?;
            Ok(TurnOutput {
                session_id: session_id.clone(),
                reply,
                language: lang,
                intent: u.intent,
                understanding: u.clone(),
                products: out.products,
                actions: out.actions,
                cart: out.cart,
                handoff: state.handoff,
            })
        })
    }

    /// The reply to a turn's outcome: its lines joined, optionally reworded by the
    /// model (validated), shaped for speech on the voice channel.
    fn word(&self, ctx: &Ctx<'_>, out: &Outcome) -> String {
        let mut reply = out.lines.join(if ctx.channel == Channel::Voice {
            " "
        } else {
            "\n"
        });
        if self.model_phrasing && !reply.is_empty() {
            if let (Some((_, model)), Ok(_gate)) = (self.llm.get(), self.llm_gate.try_lock()) {
                let titles: Vec<String> = out
                    .products
                    .iter()
                    .filter_map(|p| self.shop.product(&p.id))
                    .map(|p| title(&p, ctx.lang))
                    .collect();
                if let Some(better) = super::phrasing::rephrase(model, ctx.lang, &reply, &titles) {
                    reply = better;
                }
            }
        }
        if ctx.channel == Channel::Voice {
            reply = voice::for_speech(&reply);
        }
        reply
    }

    fn find(&self, q: &SearchQuery) -> Result<crate::search::SearchResults, TurnError> {
        self.shop
            .search(q)
            .map_err(|e| TurnError::Search(e.to_string()))
    }

    /// Says which constraint was dropped and what there is instead, then shows it.
    fn relaxed(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        hits: &[Hit],
        (dropped, instead): (String, String),
        out: &mut Outcome,
    ) {
        out.say(self.t(
            ctx,
            "relaxed",
            json!({"dropped": dropped, "instead": instead}),
        ));
        self.show(ctx, state, hits, out);
        out.progress = true;
    }

    fn t(&self, ctx: &Ctx<'_>, key: &str, v: Value) -> String {
        self.templates.render(ctx.lang, key, v)
    }

    fn price(&self, ctx: &Ctx<'_>, cents: i64, currency: &str) -> String {
        match ctx.channel {
            Channel::Voice => voice::speak_price(cents, currency, ctx.lang),
            Channel::Text => format_price(cents, currency, ctx.lang.code()),
        }
    }

    fn act(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        // A pending checkout takes the yes or no first.
        if let Some(token) = state.pending_checkout.clone() {
            match u.intent {
                Intent::Confirm => return self.confirm(ctx, state, &token, out),
                Intent::CancelAction => {
                    state.pending_checkout = None;
                    out.say(self.t(ctx, "cancelled_action", json!({})));
                    out.progress = true;
                    return Ok(());
                }
                _ => state.pending_checkout = None,
            }
        }
        // An add waiting for its size or colour takes a message that names one.
        if let Some(pending) = state.pending_add.take() {
            let names_version = !u.slots.sizes.is_empty() || !u.slots.colors.is_empty();
            let only_version = matches!(u.intent, Intent::Refine | Intent::AddToCart)
                || u.intent == Intent::Search && u.product_type.is_none();
            if names_version && only_version && u.slots.reference.is_none() {
                state.focused = Some(pending);
                let mut add = u.clone();
                add.intent = Intent::AddToCart;
                return self.add(ctx, state, &add, out);
            }
        }
        match u.intent {
            Intent::Greeting => {
                out.say(self.t(ctx, "greeting", json!({})));
                out.progress = true;
            }
            Intent::Search | Intent::Refine => self.search(ctx, state, u, out)?,
            Intent::ProductQuestion => self.question(ctx, state, u, out),
            Intent::Compare => self.compare(ctx, state, u, out),
            Intent::AddToCart => self.add(ctx, state, u, out)?,
            Intent::RemoveFromCart => self.remove(ctx, state, u, out)?,
            Intent::ShowCart => {
                let cart = self.orders.cart(&ctx.cart_owner)?;
                self.say_cart(ctx, &cart, out);
                out.cart = Some(cart);
                out.progress = true;
            }
            Intent::Checkout => self.checkout(ctx, state, out)?,
            Intent::Confirm | Intent::CancelAction => {
                out.say(self.t(ctx, "nothing_pending", json!({})));
            }
            Intent::OrderStatus => self.order_status(ctx, out)?,
            Intent::CancelOrder => self.cancel_order(ctx, u, out)?,
            Intent::ReturnItem => {
                let days = self.orders.config().return_window_ms / (24 * 3600 * 1000);
                out.say(self.t(ctx, "return_info", json!({ "days": days })));
                state.handoff = true;
                out.progress = true;
                self.orders.record_event(
                    "handoff.requested",
                    ctx.customer,
                    &json!({"reason": "return", "text": u.normalised}),
                )?;
            }
            Intent::Reorder => self.reorder(ctx, out)?,
            Intent::Feedback => {
                if let Some(score) = u
                    .normalised
                    .split_whitespace()
                    .find_map(|w| w.parse::<i64>().ok())
                {
                    let fb = crate::orders::Feedback::Rating {
                        score,
                        comment: Some(u.normalised.clone()),
                    };
                    let _ = self.orders.feedback(ctx.customer, None, &fb);
                }
                out.say(self.t(ctx, "feedback", json!({})));
                out.progress = true;
            }
            Intent::OutOfScope => out.say(self.t(ctx, "out_of_scope", json!({}))),
            Intent::Handoff => unreachable!("handled before"),
        }
        Ok(())
    }
}

/// What a turn produced.
#[derive(Default)]
struct Outcome {
    lines: Vec<String>,
    products: Vec<ProductOut>,
    actions: Vec<Value>,
    cart: Option<Cart>,
    progress: bool,
}

impl Outcome {
    fn say(&mut self, line: String) {
        self.lines.push(line);
    }
}

fn title(p: &Product, lang: Language) -> String {
    match (lang, &p.title_en) {
        (Language::En, Some(t)) => t.clone(),
        _ => p.title.clone(),
    }
}

fn options(p: &Product) -> String {
    p.variants
        .iter()
        .filter(|v| v.stock > 0)
        .map(|v| {
            [v.size.clone(), v.color.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A date from epoch milliseconds, as people write it (UTC).
fn chrono_date(ms: i64, lang: Language) -> String {
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let days = ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    match lang {
        Language::De => format!("{d:02}.{m:02}.{y}"),
        Language::En => format!("{y}-{m:02}-{d:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_epoch_millis() {
        assert_eq!(chrono_date(0, Language::De), "01.01.1970");
        assert_eq!(chrono_date(1_795_046_400_000, Language::En), "2026-11-19");
    }
}
