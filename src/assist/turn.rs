//! One turn of a conversation: understand the message, act on the session's state
//! (search, refine, answer, cart, checkout with confirmation, orders, handoff), reply
//! from the templates in `prompts/<lang>/replies.toml`, and persist the session and
//! its transcript.
//!
//! Everything a reply states comes from the catalogue or the database: the templates
//! only receive values read from there. Cart changes are built from the shopper's own
//! words (intent rules, slots, references), never from model output.

use std::collections::BTreeMap;
use std::path::Path;
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

const DE: &str = include_str!("../../prompts/de/replies.toml");
const EN: &str = include_str!("../../prompts/en/replies.toml");

/// Reply templates per language: the shop's files over the built-in ones, key by key.
#[derive(Debug, Clone)]
pub struct Templates {
    de: BTreeMap<String, String>,
    en: BTreeMap<String, String>,
}

impl Templates {
    /// Loads `dir/<lang>/replies.toml` over the built-in templates.
    pub fn load(dir: Option<&Path>) -> Result<Templates, String> {
        let parse = |text: &str, name: &str| -> Result<BTreeMap<String, String>, String> {
            toml::from_str(text).map_err(|e| format!("{name}: {e}"))
        };
        let mut t = Templates {
            de: parse(DE, "built-in de/replies.toml")?,
            en: parse(EN, "built-in en/replies.toml")?,
        };
        if let Some(dir) = dir {
            for (lang, map) in [("de", &mut t.de), ("en", &mut t.en)] {
                let p = dir.join(lang).join("replies.toml");
                if p.is_file() {
                    let text =
                        std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                    map.extend(parse(&text, &p.display().to_string())?);
                }
            }
        }
        // Every template must parse; a broken one is an error at load (the daemon then
        // logs it and keeps the built-in ones), never a failed turn.
        for (lang, map) in [("de", &t.de), ("en", &t.en)] {
            for (k, v) in map {
                minijinja::Environment::new()
                    .template_from_str(v)
                    .map_err(|e| format!("{lang}/replies.toml `{k}`: {e}"))?;
            }
        }
        Ok(t)
    }

    /// Renders `key` in `lang`; an unknown key or a render error gives the key itself
    /// (logged), so a shop's typo never breaks a turn.
    pub fn render(&self, lang: Language, key: &str, ctx: Value) -> String {
        let map = match lang {
            Language::De => &self.de,
            Language::En => &self.en,
        };
        let Some(src) = map.get(key) else {
            tracing::warn!(key, "missing reply template");
            return key.to_string();
        };
        let env = minijinja::Environment::new();
        match env.render_str(src, ctx) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(key, error = %e, "reply template failed");
                key.to_string()
            }
        }
    }
}

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
    pub llm: Option<(Arc<Extractor>, Arc<Model>)>,
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
        Assistant {
            shop,
            orders,
            templates,
            llm,
            llm_gate: std::sync::Mutex::new(()),
            model_phrasing: false,
        }
    }

    /// Lets the model reword text replies when it is free; a reply it cannot word
    /// without changing a fact stays the template's.
    pub fn with_model_phrasing(mut self, on: bool) -> Assistant {
        self.model_phrasing = on && self.llm.is_some();
        self
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
        let gate = self
            .llm
            .as_ref()
            .and_then(|_| self.llm_gate.try_lock().ok());
        if self.llm.is_some() && gate.is_none() {
            tracing::info!("model busy; understanding with the rules alone");
        }
        let llm = self
            .llm
            .as_ref()
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
            self.orders
                .append_turn(&session_id, customer, "shopper", text)?;
            let angry = u.normalised.split_whitespace().any(|w| ANGRY.contains(&w));
            let mut out = Outcome::default();
            if angry
                || u.intent == Intent::Handoff
                || state.stalls >= 2 && !matches!(u.intent, Intent::Greeting)
            {
                self.handoff(&session_id, &ctx, &mut state, &u, &mut out)?;
            } else {
                self.act(&ctx, &mut state, &u, &mut out)?;
                state.stalls = if out.progress { 0 } else { state.stalls + 1 };
            }
            on_event(TurnEvent::Products(&out.products));
            let reply = self.word(&ctx, &out);
            self.orders
                .append_turn(&session_id, customer, "assistant", &reply)?;
            self.orders.save_session(
                &session_id,
                customer,
                &serde_json::to_value(&state).unwrap_or(Value::Null),
            )?;
            let intent = serde_json::to_value(u.intent).unwrap_or(Value::Null);
            let record = crate::orders::stats::TurnRecord {
                session_id: &session_id,
                intent: intent.as_str().unwrap_or("unknown"),
                ms: started.elapsed().as_millis() as u64,
                searched: !out.products.is_empty(),
                ordered: out.actions.iter().any(|a| a["type"] == "order.placed"),
                handoff: state.handoff,
            };
            // Statistics are not worth failing the shopper's turn for (a failed write
            // rolls back to its own savepoint; the turn's other writes stand).
            if let Err(e) = self.orders.record_turn(customer, &record) {
                tracing::warn!(error = %e, "the turn could not be recorded for statistics");
            }
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
            if let (Some((_, model)), Ok(_gate)) = (&self.llm, self.llm_gate.try_lock()) {
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

    fn handoff(
        &self,
        session_id: &str,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        // One notification per session: a shopper who keeps typing after the handoff
        // is already with a colleague (repeating it stored the whole transcript again
        // on every turn: 24 MB for 150 abusive turns).
        if !state.handoff {
            let (transcript, turns) =
                self.orders
                    .transcript_tail(session_id, ctx.customer, HANDOFF_TRANSCRIPT_TURNS)?;
            self.orders.record_event(
                "handoff.requested",
                ctx.customer,
                &json!({
                    "session_id": session_id,
                    "customer_id": ctx.customer,
                    "reason": if u.intent == Intent::Handoff { "asked" } else { "frustration" },
                    "transcript": transcript,
                    "transcript_turns": turns,
                    "state": state,
                }),
            )?;
        }
        state.handoff = true;
        state.stalls = 0;
        out.say(self.t(ctx, "handoff", json!({})));
        out.actions.push(json!({"type": "handoff.requested"}));
        out.progress = true;
        Ok(())
    }

    fn search(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        let changes = state.search.apply(u, &state.shown, state.focused.as_ref());
        if state.search.text.is_empty() && changes.is_empty() {
            out.say(self.t(ctx, "ask_what", json!({})));
            return Ok(());
        }
        let described = self.describe(ctx, &changes);
        let results = self.find(&state.search.query())?;
        if !results.hits.is_empty() {
            out.say(self.t(
                ctx,
                "results",
                json!({"total": results.total, "changes": described}),
            ));
            self.show(ctx, state, &results.hits, out);
            out.progress = true;
            return Ok(());
        }
        if changes.iter().any(|c| matches!(c, Change::NextPage { .. })) {
            out.say(self.t(ctx, "more_none", json!({})));
            return Ok(());
        }
        // Nothing: relax the least important constraint — the price limit, then the
        // colour, then the size — and say which and by how much.
        if let Some(max) = state.search.price_max {
            let q = SearchQuery {
                price_max: None,
                sort: Sort::PriceAsc,
                ..state.search.query()
            };
            let hits = self.find(&q)?.hits;
            if let Some(first) = hits.first() {
                let currency = first.currency.clone();
                let (dropped, instead) = match ctx.lang {
                    Language::De => (
                        format!("Bis {}", self.price(ctx, max, &currency)),
                        format!("ab {}", self.price(ctx, first.price, &currency)),
                    ),
                    Language::En => (
                        format!("up to {}", self.price(ctx, max, &currency)),
                        format!("from {}", self.price(ctx, first.price, &currency)),
                    ),
                };
                self.relaxed(ctx, state, &hits, (dropped, instead), out);
                return Ok(());
            }
        }
        for relax in ["colors", "sizes"] {
            let mut q = state.search.query();
            let what = match relax {
                "colors" if !q.colors.is_empty() => std::mem::take(&mut q.colors).join(", "),
                "sizes" if !q.sizes.is_empty() => std::mem::take(&mut q.sizes).join(", "),
                _ => continue,
            };
            let hits = self.find(&q)?.hits;
            if !hits.is_empty() {
                let (dropped, instead) = match ctx.lang {
                    Language::De => (format!("In {what}"), "in anderen Ausführungen".to_string()),
                    Language::En => (format!("in {what}"), "in other versions".to_string()),
                };
                self.relaxed(ctx, state, &hits, (dropped, instead), out);
                return Ok(());
            }
        }
        out.say(self.t(ctx, "no_results", json!({"changes": described})));
        Ok(())
    }

    /// Lists hits (three on voice, a page on text) and remembers them as shown.
    fn show(&self, ctx: &Ctx<'_>, state: &mut SessionState, hits: &[Hit], out: &mut Outcome) {
        let max = if ctx.channel == Channel::Voice {
            3
        } else {
            PAGE
        };
        state.shown.clear();
        for (i, h) in hits.iter().take(max).enumerate() {
            let variant = [h.variant.size.clone(), h.variant.color.clone()]
                .into_iter()
                .flatten()
                .map(|v| match ctx.channel {
                    Channel::Voice => voice::speak_size(&v, ctx.lang),
                    Channel::Text => v,
                })
                .collect::<Vec<_>>()
                .join(", ");
            out.say(self.t(
                ctx,
                "product_line",
                json!({
                    "n": i + 1,
                    "title": title(&h.product, ctx.lang),
                    "brand": h.product.brand,
                    "price": self.price(ctx, h.price, &h.currency),
                    "variant": variant,
                    "in_stock": h.in_stock,
                }),
            ));
            state.shown.push(Shown {
                id: h.id.clone(),
                price: h.price,
                brand: h.product.brand.clone(),
                size: h.variant.size.clone(),
            });
            out.products.push(ProductOut {
                id: h.id.clone(),
                title: h.title.clone(),
                brand: h.product.brand.clone(),
                price: h.price,
                currency: h.currency.clone(),
                in_stock: h.in_stock,
                variant: h.variant.clone(),
                options: h.options.clone(),
                stock: h.variant.stock,
                score: (f64::from(h.score) * 1000.0).round() / 1000.0,
                reasons: h.reasons.clone(),
            });
        }
        state.focused = state.shown.first().cloned();
    }

    fn describe(&self, ctx: &Ctx<'_>, changes: &[Change]) -> String {
        let de = ctx.lang == Language::De;
        changes
            .iter()
            .filter_map(|c| match c {
                Change::PriceMax { cents } => Some(format!(
                    "{} {}",
                    if de { "bis" } else { "up to" },
                    self.price(ctx, *cents, "EUR")
                )),
                Change::PriceMin { cents } => Some(format!(
                    "{} {}",
                    if de { "ab" } else { "from" },
                    self.price(ctx, *cents, "EUR")
                )),
                Change::Colors { colors } => Some(
                    colors
                        .iter()
                        .map(|c| {
                            if de {
                                crate::catalog::colors::german_name(c).to_string()
                            } else {
                                c.clone()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Change::Sizes { sizes } => Some(format!(
                    "{} {}",
                    if de { "Größe" } else { "size" },
                    sizes.join(", ")
                )),
                Change::ExcludeBrands { brands } => Some(format!(
                    "{} {}",
                    if de { "nicht von" } else { "not by" },
                    brands.join(", ")
                )),
                Change::Exclude { words } => Some(format!(
                    "{} {}",
                    if de { "ohne" } else { "without" },
                    words.join(", ")
                )),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The product a message is about: a reference, else the focused product.
    fn target(&self, state: &SessionState, u: &Understanding) -> Option<Arc<Product>> {
        let id = resolve(u, &state.shown, state.focused.as_ref())
            .or_else(|| state.focused.as_ref().map(|f| f.id.clone()))?;
        self.shop.product(&id)
    }

    fn question(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) {
        let Some(p) = self.target(state, u) else {
            out.say(self.t(ctx, "no_focus", json!({})));
            return;
        };
        state.focused = state
            .shown
            .iter()
            .find(|s| s.id == p.id)
            .cloned()
            .or(state.focused.take());
        let a = answer(u, &p);
        let title = title(&p, ctx.lang);
        let values = a.values.join(", ");
        let line = match (&a.topic, a.verdict) {
            (Topic::Sizes, Verdict::Yes) => self.t(ctx, "sizes", json!({"title": title, "values": values})),
            (Topic::Colors, Verdict::Yes) => self.t(ctx, "colors", json!({"title": title, "values": values})),
            (Topic::Stock { size, color }, v) => {
                let what = [size.clone(), color.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ");
                let key = if v == Verdict::Yes { "stock_yes" } else { "stock_no" };
                self.t(ctx, key, json!({"title": title, "what": what}))
            }
            (Topic::Price, _) => {
                let cents: i64 = values.parse().unwrap_or(p.price);
                self.t(ctx, "price", json!({"title": title, "price": self.price(ctx, cents, &p.currency)}))
            }
            (Topic::Material, Verdict::Yes) => self.t(ctx, "material", json!({"title": title, "values": values})),
            (Topic::Attribute { name }, Verdict::Yes) => self.t(ctx, "answer_yes", json!({"title": title, "name": name, "values": if values.eq_ignore_ascii_case("ja") || values.eq_ignore_ascii_case("yes") { String::new() } else { values.clone() }})),
            (Topic::Attribute { name }, Verdict::No) => self.t(ctx, "answer_no", json!({"title": title, "name": name})),
            _ => self.t(ctx, "answer_unknown", json!({"title": title})),
        };
        out.say(line);
        out.progress = true;
    }

    fn compare(&self, ctx: &Ctx<'_>, state: &SessionState, u: &Understanding, out: &mut Outcome) {
        let first =
            resolve(u, &state.shown, None).or_else(|| state.shown.first().map(|s| s.id.clone()));
        let second = state
            .shown
            .iter()
            .map(|s| s.id.clone())
            .find(|id| Some(id) != first.as_ref());
        let (Some(a), Some(b)) = (
            first.and_then(|id| self.shop.product(&id)),
            second.and_then(|id| self.shop.product(&id)),
        ) else {
            out.say(self.t(ctx, "no_focus", json!({})));
            return;
        };
        let c = compare(&a, &b);
        let name = |id: &str| {
            if id == a.id {
                title(&a, ctx.lang)
            } else {
                title(&b, ctx.lang)
            }
        };
        let de = ctx.lang == Language::De;
        let cheaper = match &c.cheaper {
            Some((id, diff)) => format!(
                "{} {} {}. ",
                name(id),
                if de {
                    "ist günstiger um"
                } else {
                    "is cheaper by"
                },
                self.price(ctx, *diff, &a.currency)
            ),
            None => (if de {
                "Beide kosten gleich viel. "
            } else {
                "Both cost the same. "
            })
            .to_string(),
        };
        let rated = c
            .better_rated
            .as_ref()
            .map(|id| {
                format!(
                    "{} {}. ",
                    name(id),
                    if de {
                        "ist besser bewertet"
                    } else {
                        "is rated higher"
                    }
                )
            })
            .unwrap_or_default();
        let shared = if c.shared.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = c
                .shared
                .iter()
                .map(|(k, va, vb)| format!("{k}: {} / {}", va.join(", "), vb.join(", ")))
                .collect();
            format!(
                "{} {}.",
                if de { "Gemeinsam:" } else { "Both have:" },
                list.join("; ")
            )
        };
        out.say(
            self.t(
                ctx,
                "compare",
                json!({"cheaper": cheaper, "rated": rated, "shared": shared}),
            )
            .trim()
            .to_string(),
        );
        out.progress = true;
    }

    fn add(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        let Some(p) = self.target(state, u) else {
            out.say(self.t(ctx, "no_focus", json!({})));
            return Ok(());
        };
        // The variant from the shopper's words, else the search's constraints.
        let sizes = if u.slots.sizes.is_empty() {
            &state.search.sizes
        } else {
            &u.slots.sizes
        };
        let colors = if u.slots.colors.is_empty() {
            &state.search.colors
        } else {
            &u.slots.colors
        };
        let fits: Vec<_> = p
            .variants
            .iter()
            .filter(|v| {
                sizes.is_empty()
                    || v.size.as_ref().is_some_and(|s| {
                        sizes
                            .iter()
                            .any(|w| crate::catalog::options::size_matches(w, s))
                    })
            })
            .filter(|v| {
                colors.is_empty()
                    || v.color
                        .as_deref()
                        .and_then(crate::catalog::colors::canonical_of_value)
                        .is_some_and(|c| colors.iter().any(|w| w == c))
            })
            .collect();
        // Choose only what the shopper fixed: if the fitting variants still differ in a
        // size or colour they did not name, ask.
        let differ = |f: fn(&crate::catalog::Variant) -> Option<&String>| {
            let mut seen: Vec<Option<&String>> = fits.iter().map(|v| f(v)).collect();
            seen.sort();
            seen.dedup();
            seen.len() > 1
        };
        let open = (sizes.is_empty() && differ(|v| v.size.as_ref()))
            || (colors.is_empty() && differ(|v| v.color.as_ref()));
        let variant_id = match fits.as_slice() {
            [] if p.variants.len() == 1 => Some(p.variants[0].id.clone()),
            [] => {
                out.say(self.t(ctx, "refused", json!({"reason": match ctx.lang {
                    Language::De => format!("{} gibt es nicht in dieser Ausführung. Verfügbar: {}", title(&p, ctx.lang), options(&p)),
                    Language::En => format!("{} does not come in that version. Available: {}", title(&p, ctx.lang), options(&p)),
                }})));
                return Ok(());
            }
            _ if open => None,
            fits => fits
                .iter()
                .find(|v| v.stock > 0)
                .or(fits.first())
                .map(|v| v.id.clone()),
        };
        let Some(variant_id) = variant_id else {
            state.pending_add = Some(Shown {
                id: p.id.clone(),
                price: p.price,
                brand: p.brand.clone(),
                size: None,
            });
            out.say(self.t(
                ctx,
                "which_version",
                json!({"title": title(&p, ctx.lang), "options": options(&p)}),
            ));
            // A question on the way to the cart is progress, not a stall.
            out.progress = true;
            return Ok(());
        };
        let action = CartAction {
            product_id: p.id.clone(),
            variant_id: Some(variant_id.clone()),
            quantity: i64::from(u.slots.quantity.unwrap_or(1)),
        };
        match self.orders.add_to_cart(&ctx.cart_owner, &action) {
            Ok(cart) => {
                let v = p.variant(&variant_id);
                let variant = v
                    .map(|v| {
                        [v.size.clone(), v.color.clone()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                out.say(self.t(ctx, "added", json!({"title": title(&p, ctx.lang), "variant": variant, "total": self.price(ctx, cart.total, &cart.currency)})));
                out.actions.push(json!({"type": "cart.add", "product_id": p.id, "variant_id": variant_id, "quantity": action.quantity}));
                out.cart = Some(cart);
                out.progress = true;
            }
            Err(e) => out.say(self.t(ctx, "refused", json!({"reason": e.to_string()}))),
        }
        Ok(())
    }

    fn remove(
        &self,
        ctx: &Ctx<'_>,
        state: &SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        let cart = self.orders.cart(&ctx.cart_owner)?;
        // The referenced product, else a cart line whose title shares a word, else the
        // only line.
        let target = self.target(state, u).map(|p| p.id.clone());
        let line = cart
            .items
            .iter()
            .find(|l| Some(&l.product_id) == target.as_ref())
            .or_else(|| {
                cart.items.iter().find(|l| {
                    let t = l.title.to_lowercase();
                    u.normalised
                        .split_whitespace()
                        .any(|w| w.len() >= 4 && t.contains(w))
                })
            })
            .or(if cart.items.len() == 1 {
                cart.items.first()
            } else {
                None
            });
        let Some(line) = line else {
            if cart.items.is_empty() {
                out.say(self.t(ctx, "cart_empty", json!({})));
            } else {
                self.say_cart(ctx, &cart, out);
            }
            return Ok(());
        };
        let cart =
            self.orders
                .remove_from_cart(&ctx.cart_owner, &line.product_id, &line.variant_id)?;
        out.say(self.t(ctx, "removed", json!({"title": line.title})));
        out.actions.push(json!({"type": "cart.remove", "product_id": line.product_id, "variant_id": line.variant_id}));
        out.cart = Some(cart);
        out.progress = true;
        Ok(())
    }

    fn say_cart(&self, ctx: &Ctx<'_>, cart: &Cart, out: &mut Outcome) {
        if cart.items.is_empty() {
            out.say(self.t(ctx, "cart_empty", json!({})));
            return;
        }
        out.say(self.t(ctx, "cart", json!({"lines": self.lines(ctx, cart), "total": self.price(ctx, cart.total, &cart.currency)})));
    }

    fn lines(&self, ctx: &Ctx<'_>, cart: &Cart) -> String {
        cart.items
            .iter()
            .map(|l| {
                format!(
                    "{}× {} ({})",
                    l.quantity,
                    l.title,
                    self.price(ctx, l.line_total, &cart.currency)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn checkout(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        match self.orders.checkout(&ctx.cart_owner) {
            Ok(p) => {
                let cart = self.orders.cart(&ctx.cart_owner)?;
                out.say(self.t(ctx, "checkout", json!({"lines": self.lines(ctx, &cart), "total": self.price(ctx, p.total, &p.currency)})));
                out.actions.push(json!({"type": "checkout.proposed", "total": p.total, "currency": p.currency, "expires_at": p.expires_at}));
                state.pending_checkout = Some(p.token);
                out.cart = Some(cart);
                out.progress = true;
            }
            Err(OrderError::CartEmpty) => out.say(self.t(ctx, "cart_empty", json!({}))),
            Err(e) => out.say(self.t(ctx, "refused", json!({"reason": e.to_string()}))),
        }
        Ok(())
    }

    fn confirm(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        token: &str,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        state.pending_checkout = None;
        match self.orders.confirm(&ctx.cart_owner, token) {
            Ok(order) => {
                out.say(self.t(ctx, "confirmed", json!({"order_id": order.id, "total": self.price(ctx, order.total, &order.currency)})));
                out.actions.push(
                    json!({"type": "order.placed", "order_id": order.id, "total": order.total}),
                );
                out.progress = true;
            }
            Err(OrderError::CartChanged { proposal }) => {
                let cart = self.orders.cart(&ctx.cart_owner)?;
                out.say(self.t(ctx, "checkout", json!({"lines": self.lines(ctx, &cart), "total": self.price(ctx, proposal.total, &proposal.currency)})));
                state.pending_checkout = Some(proposal.token);
            }
            Err(e) => out.say(self.t(ctx, "refused", json!({"reason": e.to_string()}))),
        }
        Ok(())
    }

    fn latest_order(&self, ctx: &Ctx<'_>) -> Result<Option<crate::orders::Order>, TurnError> {
        let Some(customer) = ctx.customer else {
            return Ok(None);
        };
        Ok(self
            .orders
            .list_orders(&OrderFilter {
                customer_id: Some(customer.to_string()),
                limit: 1,
                ..Default::default()
            })?
            .into_iter()
            .next())
    }

    fn order_status(&self, ctx: &Ctx<'_>, out: &mut Outcome) -> Result<(), TurnError> {
        if ctx.customer.is_none() {
            out.say(self.t(ctx, "need_customer", json!({})));
            return Ok(());
        }
        let Some(o) = self.latest_order(ctx)? else {
            out.say(self.t(ctx, "no_orders", json!({})));
            return Ok(());
        };
        let status = self.t(ctx, &format!("status_{}", o.status.as_str()), json!({}));
        let date = chrono_date(o.created_at, ctx.lang);
        out.say(self.t(
            ctx,
            "order_status",
            json!({"order_id": o.id, "date": date, "status": status, "tracking": o.tracking}),
        ));
        out.progress = true;
        Ok(())
    }

    fn cancel_order(
        &self,
        ctx: &Ctx<'_>,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        if ctx.customer.is_none() {
            out.say(self.t(ctx, "need_customer", json!({})));
            return Ok(());
        }
        let id = match &u.slots.order_id {
            Some(id) => Some(id.clone()),
            None => self.latest_order(ctx)?.map(|o| o.id),
        };
        let Some(id) = id else {
            out.say(self.t(ctx, "no_orders", json!({})));
            return Ok(());
        };
        match self
            .orders
            .cancel_order(ctx.customer.unwrap_or_default(), &id)
        {
            Ok(o) => {
                out.say(self.t(ctx, "order_cancelled", json!({"order_id": o.id})));
                out.actions
                    .push(json!({"type": "order.cancelled", "order_id": o.id}));
                out.progress = true;
            }
            Err(e) => out.say(self.t(ctx, "refused", json!({"reason": e.to_string()}))),
        }
        Ok(())
    }

    fn reorder(&self, ctx: &Ctx<'_>, out: &mut Outcome) -> Result<(), TurnError> {
        let Some(o) = self.latest_order(ctx)? else {
            let key = if ctx.customer.is_none() {
                "need_customer"
            } else {
                "no_orders"
            };
            out.say(self.t(ctx, key, json!({})));
            return Ok(());
        };
        let r = self.orders.reorder(&ctx.cart_owner, &o.id)?;
        let changes = r
            .changes
            .iter()
            .map(|c| match c {
                crate::orders::ReorderChange::PriceChanged {
                    title, was, now, ..
                } => format!(
                    "{title}: {} → {}",
                    self.price(ctx, *was, &r.cart.currency),
                    self.price(ctx, *now, &r.cart.currency)
                ),
                crate::orders::ReorderChange::QuantityReduced {
                    title, available, ..
                } => format!("{title}: {available}"),
                crate::orders::ReorderChange::OutOfStock { title, .. }
                | crate::orders::ReorderChange::NoLongerSold { title, .. } => format!("{title}: –"),
            })
            .collect::<Vec<_>>()
            .join("; ");
        out.say(self.t(
            ctx,
            "reorder",
            json!({"changes": changes, "total": self.price(ctx, r.cart.total, &r.cart.currency)}),
        ));
        out.actions
            .push(json!({"type": "order.reorder", "order_id": o.id}));
        out.cart = Some(r.cart);
        out.progress = true;
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

    #[test]
    fn built_in_templates_load_and_render() {
        let t = Templates::load(None).unwrap();
        assert_eq!(
            t.render(Language::De, "results", json!({"total": 1, "changes": ""})),
            "Ich habe 1 passendes Produkt gefunden:"
        );
        assert_eq!(t.render(Language::En, "nope", json!({})), "nope");
    }
}
