//! One turn of a conversation: understand the message, act on the session's state
//! (search, refine, answer, cart, checkout with confirmation, orders, handoff), reply
//! from the templates in `prompts/<lang>/replies.toml`, and persist the session and
//! its transcript.
//!
//! Everything a reply states comes from the catalogue or the database: the templates
//! only receive values read from there. Cart changes are built from the shopper's own
//! words (intent rules, slots, references), never from model output.

mod after_sale;
mod alternatives;
mod cart;
mod discover;
mod steps;
mod targets;
mod templates;
mod uses;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::answer::{answer, compare};
use super::facts::{AfterSale, CartFact, Discover, Fact, Money, Refusal, Relaxation};
use super::refine::{resolve, ActiveSearch, Change, Shown, PAGE};
use super::reply::{title, Reply};
use super::voice;
use crate::catalog::Product;
use crate::llm::Model;
use crate::nlu::{Extractor, Intent, Language, RulesReading, Understanding};
use crate::orders::{Cart, CartAction, OrderError, OrderFilter, Orders};
use crate::search::{Hit, SearchQuery};
use crate::shop::Shop;
pub use templates::Templates;
pub use uses::TypeUses;

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
    /// The shopper asked to put one of several shown products in the cart without
    /// saying which ("put the dewalt in my cart"): the next message that only picks
    /// one ("the third one") adds it.
    #[serde(default)]
    pub choosing_to_add: bool,
    /// Turns in a row without progress.
    pub stalls: u32,
    pub handoff: bool,
    /// The two products the last comparison was of (ids), until products are shown
    /// again: "which one is cheaper", "add the cheaper one" choose between them.
    #[serde(default)]
    pub compared: Vec<String>,
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
    /// The constraints it satisfies and the terms it matched, in the shopper's
    /// language ("bis 60,00 €", "Farbe: Rot", "passt zu: kalte Hände").
    pub reasons: Vec<String>,
    /// The same reasons, typed (`{"kind": "price_max", "price": 5799, "max": 6000}`),
    /// for shops that build their own display.
    pub evidence: Vec<crate::search::Reason>,
    /// The constraints it does not meet: shown because nothing met them all
    /// ("price", "color", "size"), so a storefront can set it apart.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub relaxed: Vec<String>,
    /// Which of the message's targets it was found for (an index into
    /// `understanding.targets`), when the message asked for several products.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<usize>,
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
    /// Whether the gate is held to learn what a type is for ([`Self::learn_type_uses`]):
    /// a turn then waits for that one question rather than reading with the rules.
    learning: std::sync::atomic::AtomicBool,
    /// Turns waiting for the gate; the learner lets them go first.
    turns_waiting: std::sync::atomic::AtomicUsize,
    /// Let the model reword replies (validated; see [`super::phrasing`]).
    model_phrasing: bool,
    /// What each product type is for, in the model's words ([`Self::learn_type_uses`]).
    uses: TypeUses,
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
            learning: std::sync::atomic::AtomicBool::new(false),
            turns_waiting: std::sync::atomic::AtomicUsize::new(0),
            uses: TypeUses::in_memory(),
            model_phrasing: false,
        }
    }

    /// Lets the model reword text replies when it is free (once it is attached); a
    /// reply it cannot word without changing a fact stays the template's.
    pub fn with_model_phrasing(mut self, on: bool) -> Assistant {
        self.model_phrasing = on;
        self
    }

    /// Keeps what product types are for in `path` (see [`TypeUses`]).
    pub fn with_type_uses_file(mut self, path: std::path::PathBuf) -> Assistant {
        self.uses = TypeUses::at(path);
        self
    }

    /// Asks the model what each of the shop's product types is for, once per type
    /// and model (kept, see [`TypeUses`]): the second opinion that needs are read
    /// with. Each question takes the model's gate like a turn, so a turn meanwhile
    /// reads with the rules. Returns how many types were asked; none without a
    /// model.
    pub fn learn_type_uses(&self) -> usize {
        let Some((extractor, model)) = self.llm.get() else {
            return 0;
        };
        self.uses.for_prompt(&extractor.uses_prompt_id());
        let mut asked = 0;
        for name in self.shop.type_names() {
            if self.uses.get(&model.name, &name).is_some() {
                continue;
            }
            while self.turns_waiting.load(Ordering::Acquire) > 0 {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let uses = {
                let _gate = self.llm_gate.lock().unwrap_or_else(|p| p.into_inner());
                self.learning.store(true, Ordering::Release);
                let uses = extractor.uses(model, &name);
                self.learning.store(false, Ordering::Release);
                uses
            };
            match uses {
                Ok(uses) => {
                    tracing::debug!(name, ?uses, "what a product type is for");
                    self.uses.insert(&model.name, &name, uses);
                    asked += 1;
                    if asked % 10 == 0 {
                        self.uses.save();
                    }
                }
                Err(e) => {
                    tracing::warn!(name, error = %e, "asking what a product type is for failed")
                }
            }
        }
        if asked > 0 {
            self.uses.save();
        }
        // The uses' vectors, so the first open request does not wait for them (the
        // demo's 86 types take seconds to embed; later calls find them cached).
        self.types_for(&model.name, "", 0);
        asked
    }

    /// The model's gate for a turn: at once if free; after the learner's current
    /// question if the learner holds it (a second or so); none if another turn
    /// does, so the turn reads with the rules instead of queueing.
    fn model_gate(&self) -> Option<std::sync::MutexGuard<'_, ()>> {
        if let Ok(g) = self.llm_gate.try_lock() {
            return Some(g);
        }
        if !self.learning.load(Ordering::Acquire) {
            return None;
        }
        self.turns_waiting.fetch_add(1, Ordering::AcqRel);
        let g = self.llm_gate.lock().unwrap_or_else(|p| p.into_inner());
        self.turns_waiting.fetch_sub(1, Ordering::AcqRel);
        Some(g)
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
    /// The products to show. With the model reading an open message, the rules'
    /// reading is searched first and shown at once (revision 1); when the model's
    /// reading changes them, a second event follows (revision 2). The turn's output
    /// carries the last.
    Products {
        products: &'a [ProductOut],
        revision: u32,
    },
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

/// Whether a message names a person, an occasion, an activity or a problem
/// ([`crate::nlu::intent::names_a_need`]), "for my" aside: "a case for my phone"
/// asks for a case, "eine jacke für meinen sohn" for what fits him.
fn problem_or_job(normalised: &str) -> bool {
    let mut padded = format!(" {normalised} ");
    for owner in [" for my ", " für meinen ", " für meine ", " für mein "] {
        padded = padded.replace(owner, " for the ");
    }
    crate::nlu::intent::names_a_need(&padded)
}

/// A request's plain words without the brand it names, once ("what about samsung" →
/// "what about").
fn words_besides(normalised: &str, brand: &str) -> String {
    let plain = crate::search::profile::plain_words(normalised);
    format!(" {plain} ").replacen(&format!(" {brand} "), " ", 1)
}

/// Whether a request says nothing besides the brand it names but phrasing
/// ("nutribullet", "show me ninja", "anything from corsair").
fn says_only_a_maker(normalised: &str, brand: &str) -> bool {
    words_besides(normalised, brand)
        .split_whitespace()
        .all(|w| {
            crate::nlu::understand::is_phrasing(w)
                || crate::nlu::language::is_common_word(w)
                || ["from", "by", "von"].contains(&w)
        })
}

/// Whether a request names `brand` (plain words) only after a word that says what
/// the product must fit: "a blade for my skil circular saw", not "a skil saw".
fn names_only_after_for(normalised: &str, brand: &str) -> bool {
    let plain = crate::search::profile::plain_words(normalised);
    let words: Vec<&str> = plain.split_whitespace().collect();
    let brand: Vec<&str> = brand.split_whitespace().collect();
    let Some(at) = words
        .windows(brand.len().max(1))
        .position(|w| w == brand.as_slice())
    else {
        return false;
    };
    words[..at].iter().any(|w| crate::catalog::kind::is_for(w))
}

/// The word a search asks for, its head, singular and folded ("kleider" → …,
/// "dresses" → "dress").
fn asked_head(said: &str) -> Option<String> {
    use crate::catalog::kind::singular;
    use crate::catalog::text::fold;
    discover::asked_words(said)
        .last()
        .map(|head| singular(&fold(head)))
}

/// The kind a pair names when its last word only says how it is sold ("ram kit",
/// "ssd bundle", "battery pack") and this shop has no such kind: the first word,
/// or its synonym that is a kind here ("ram kit" → "memory" where memory is sold
/// as "… Desktop Memory").
fn packed_kind(
    pair: &str,
    heads: &dyn Fn(&str) -> usize,
    lexicon: &crate::nlu::lexicon::Lexicon,
) -> Option<String> {
    const PACKS: &[&str] = &["kit", "kits", "bundle", "bundles", "pack", "packs", "combo"];
    let (first, last) = pair.split_once(' ')?;
    if !PACKS.contains(&last) || heads(last) > 0 {
        return None;
    }
    if heads(first) > 0 {
        return Some(first.to_string());
    }
    lexicon.synonym_of_kind(first, &|w| heads(w) > 0)
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
        let session_lang = input
            .language
            .or(state.language)
            .unwrap_or_else(|| self.shop.language());
        let mut reading = RulesReading::new(text, session_lang);
        if state.search.text.is_empty() && state.shown.is_empty() {
            reading.refine_as_search();
        }
        // "what about samsung", "und von lg?": a brand of the shop alone, after a
        // search, narrows it (it searched every product of the brand).
        let brand = (!state.search.text.is_empty() && !state.shown.is_empty())
            .then(|| self.brand_alone(reading.normalised()))
            .flatten();
        if brand.is_some() {
            reading.refine();
        }
        let mut first = self.in_catalogue_words(reading.understanding());
        if let Some(brand) = brand {
            first.brand = Some(brand);
            first.product_type = None;
        }
        // The model reads an open message, and a search that asks for what fits (its
        // ideas of products for a need or a gift); the rules' intent stands there.
        let model = self.llm.get().filter(|_| {
            reading.is_open()
                || self.asks_what_fits(&first)
                || self.kind_with_need(&first).is_some()
        });
        let lang = input.language.unwrap_or(first.language);
        state.language = Some(lang);
        let ctx = Ctx {
            lang,
            channel: input.channel,
            customer,
            cart_owner: customer
                .map(str::to_string)
                .unwrap_or_else(|| format!("anon:{session_id}")),
        };
        // Products first: a message the model is about to read is searched on the
        // rules' reading at once, so the shopper sees products before the model is done.
        let preview = match model {
            Some(_) => self.preview(&ctx, &state, &first),
            None => None,
        };
        if let Some((_, shown)) = &preview {
            on_event(TurnEvent::Understanding {
                session_id: &session_id,
                language: lang,
                understanding: &first,
            });
            on_event(TurnEvent::Products {
                products: &shown.products,
                revision: 1,
            });
        }
        let u = match model {
            None => first.clone(),
            Some((extractor, model)) => match self.model_gate() {
                Some(_gate) => {
                    let mut u = self.in_catalogue_words(
                        reading.finish(Some((extractor.as_ref(), model.as_ref()))),
                    );
                    // A kind named with a need first: "für das büro im herbst einen
                    // eleganten mantel" asks for a coat, whatever fits an office.
                    let ideas = if let Some(types) = self.kind_with_need(&u) {
                        self.judged_kind_types(extractor, model, text, types)
                    } else if self.asks_what_fits(&u) {
                        self.chosen_types(extractor, model, text, &u)
                    } else {
                        Vec::new()
                    };
                    if !ideas.is_empty() {
                        u.sources
                            .insert("ideas".into(), crate::nlu::understand::Source::Llm);
                        u.ideas = ideas;
                    }
                    u
                }
                None => {
                    ::metrics::counter!("shopassist_model_busy_total").increment(1);
                    tracing::info!("model busy; understanding with the rules alone");
                    first.clone()
                }
            },
        };
        if preview.is_none() || u != first {
            on_event(TurnEvent::Understanding {
                session_id: &session_id,
                language: lang,
                understanding: &u,
            });
        }
        let shown_first = preview.as_ref().map(|(_, shown)| shown.products.clone());
        self.orders.unit(|| {
            let angry = u.normalised.split_whitespace().any(|w| ANGRY.contains(&w));
            let mut out = Outcome::default();
            if angry
                || u.intent == Intent::Handoff
                || state.stalls >= 2 && !matches!(u.intent, Intent::Greeting)
            {
                self.handoff(&session_id, text, &ctx, &mut state, &u, &mut out)?;
            } else {
                match preview.filter(|_| u == first) {
                    // The model read the message as the rules did: the preview's
                    // search is this turn's, not to be run twice.
                    Some((searched, shown)) => {
                        state = searched;
                        out = shown;
                    }
                    None => self.act(&ctx, &mut state, &u, &mut out)?,
                }
                state.stalls = if out.progress { 0 } else { state.stalls + 1 };
            }
            if shown_first.as_ref() != Some(&out.products) {
                on_event(TurnEvent::Products {
                    products: &out.products,
                    revision: if shown_first.is_some() { 2 } else { 1 },
                });
            }
            let reply = self.word(&ctx, &out);
            let intent =
                serde_json::to_value(out.acted_as.unwrap_or(u.intent)).unwrap_or(Value::Null);
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
                intent: out.acted_as.unwrap_or(u.intent),
                understanding: Understanding {
                    targets: out.targets,
                    plan: out.plan,
                    ..u.clone()
                },
                products: out.products,
                actions: out.actions,
                cart: out.cart,
                handoff: state.handoff,
            })
        })
    }

    /// The shown product a message picks and says nothing else of: an ordinal
    /// and words that only pick ("doch lieber die erste", "actually the first
    /// one").
    fn picked_alone(
        &self,
        state: &SessionState,
        u: &Understanding,
    ) -> Option<(Shown, Arc<Product>)> {
        const PICKING: &[&str] = &[
            "doch",
            "lieber",
            "eher",
            "nein",
            "nee",
            "no",
            "nope",
            "actually",
            "rather",
            "instead",
            "stattdessen",
            "then",
            "dann",
            "the",
            "one",
            "die",
            "das",
            "den",
            "der",
            "nehmen",
            "wir",
            "i",
            "prefer",
            "maybe",
            "vielleicht",
            "oh",
            "ok",
            "okay",
            "hmm",
            "please",
            "bitte",
            "wait",
            "moment",
            "besser",
            "better",
        ];
        if !matches!(
            u.slots.reference,
            Some(crate::nlu::rules::Reference::Ordinal(_) | crate::nlu::rules::Reference::Last)
        ) {
            return None;
        }
        let ordinals = crate::nlu::rules::ordinals(&u.normalised).len();
        let picking = u.normalised.split_whitespace().all(|w| {
            PICKING.contains(&w)
                || !crate::nlu::rules::ordinals(w).is_empty()
                || matches!(w, "last" | "letzte" | "letzten" | "letztes")
        });
        if ordinals > 1 || !picking {
            return None;
        }
        let id = resolve(u, &state.shown, state.focused.as_ref())?;
        let shown = state.shown.iter().find(|s| s.id == id)?.clone();
        let p = self.shop.product(&id)?;
        Some((shown, p))
    }

    /// The brand of a message that names one of the shop's brands and nothing else
    /// but follow-up words ("what about samsung", "any from lg?", "und von anker");
    /// a brand alone is a search of its own.
    fn brand_alone(&self, normalised: &str) -> Option<String> {
        const FOLLOW_UP: &[&str] = &[
            "what",
            "about",
            "how",
            "and",
            "from",
            "by",
            "any",
            "anything",
            "something",
            "maybe",
            "or",
            "instead",
            "rather",
            "please",
            "ones",
            "one",
            "those",
            "then",
            "do",
            "you",
            "have",
            "made",
            "und",
            "von",
            "lieber",
            "auch",
            "was",
            "ist",
            "mit",
            "wie",
            "wäre",
            "es",
            "oder",
            "stattdessen",
            "bitte",
            "etwas",
            "eher",
            "dann",
            "gibt",
            "das",
            "die",
            "den",
            "der",
            "vielleicht",
            "habt",
            "ihr",
            "haben",
            "sie",
        ];
        let brand = self.shop.requested_brand(normalised)?;
        let rest = words_besides(normalised, &brand);
        let words: Vec<&str> = rest.split_whitespace().collect();
        (!words.is_empty() && words.iter().all(|w| FOLLOW_UP.contains(w))).then_some(brand)
    }

    /// `u` with its product words in the catalogue's language: "ich suche ein
    /// fernglas" searches an English catalogue for binoculars (see
    /// [`crate::nlu::lexicon`]). Only the words of the product asked for change, never
    /// those that carry the intent ("warenkorb"). A brand no product has is dropped.
    fn in_catalogue_words(&self, u: Understanding) -> Understanding {
        let mut u = self.translated(u);
        self.colours_that_name(&mut u);
        // A brand of the catalogue's brand fields, named with a kind ("samsung
        // laptop", "corsair ssd"): the products by it or naming it, not others
        // called matching because they share the kind.
        if u.brand.is_none() && u.intent == Intent::Search {
            if let Some(brand) = self.shop.requested_brand(&u.normalised) {
                let (kind, models) = self.shop.request_target(&u.normalised);
                // Several models that one product of the brand has together are
                // its name ("viofo a119 mini 2"), not the other brand's "Mini 2".
                let one_name = models.len() >= 2 && self.shop.brand_has_all(&brand, &models);
                // "a blade for my skil circular saw": a maker named after "for" is
                // the other product's, and binds only where it makes some of the
                // kind (DEWALT batteries for a DEWALT drill).
                let of_another = kind.as_deref().is_some_and(|k| {
                    names_only_after_for(&u.normalised, &brand)
                        && !brand
                            .split_whitespace()
                            .all(|w| self.shop.kind_has_word(k, w))
                });
                let alone =
                    kind.is_none() && models.is_empty() && says_only_a_maker(&u.normalised, &brand);
                if (kind.is_some() && models.is_empty() && !of_another) || one_name || alone {
                    u.brand = Some(brand);
                }
            }
        }
        u
    }

    /// The brand a request names and nothing else but phrasing ("nutribullet", "show
    /// me ninja", "anything from corsair"): it asks for what the maker makes here,
    /// not for what a meaning is near.
    pub(super) fn maker_alone(&self, normalised: &str) -> Option<String> {
        let brand = self.shop.requested_brand(normalised)?;
        let (kind, models) = self.shop.request_target(normalised);
        (kind.is_none() && models.is_empty() && says_only_a_maker(normalised, &brand))
            .then_some(brand)
    }

    /// The most titles a colour and the word after it may share and still be one
    /// product's name ("Blue Yeti").
    const NAME_TITLES: usize = 3;

    /// A colour word that titles write as part of a name, before a word that is no
    /// kind ("Blue Yeti USB Microphone", "Red Dragon …"), names the product: it is
    /// searched as a word of the name, not as a colour every blue product matches.
    fn colours_that_name(&self, u: &mut Understanding) {
        if u.intent != Intent::Search || u.slots.colors.is_empty() {
            return;
        }
        let words: Vec<String> = u.normalised.split_whitespace().map(String::from).collect();
        for pair in words.windows(2) {
            let (colour, next) = (&pair[0], &pair[1]);
            let Some(c) = crate::catalog::colors::canonical_color(colour)
                .filter(|c| u.slots.colors.iter().any(|x| x == c))
            else {
                continue;
            };
            // Every title with the word has the colour before it: a name, where
            // "black leather" is a colour and a material many titles have apart.
            let together = self
                .shop
                .titles_with(&format!("{colour} {next}"), Self::NAME_TITLES + 1);
            let names = crate::catalog::text::is_word_of_letters(next)
                && crate::catalog::colors::canonical_color(next).is_none()
                && self.shop.heads(&crate::catalog::kind::singular(next)) == 0
                && (1..=Self::NAME_TITLES).contains(&together)
                && self.shop.titles_with(next, Self::NAME_TITLES + 1) == together;
            if !names {
                continue;
            }
            u.slots.colors.retain(|x| x != c);
            let named = format!("{colour} {next}");
            u.product_type = Some(match u.product_type.take() {
                Some(t) if t.contains(named.as_str()) => t,
                Some(t) if t.split_whitespace().any(|w| w == next) => t
                    .split_whitespace()
                    .map(|w| if w == next { named.as_str() } else { w })
                    .collect::<Vec<_>>()
                    .join(" "),
                Some(t) => format!("{named} {t}"),
                None => named,
            });
        }
    }

    /// [`Self::in_catalogue_words`] but for the brand.
    fn translated(&self, mut u: Understanding) -> Understanding {
        // A brand no product has in its brand field would filter out everything: a
        // catalogue without brands ("Nikon 50mm f/1.8G … Lens" with none) is searched
        // for the brand's word instead, which the message still has.
        if u.brand.as_deref().is_some_and(|b| !self.shop.has_brand(b)) {
            tracing::debug!(brand = ?u.brand, "no product has this brand; searched as a word");
            u.brand = None;
        }
        let rules = crate::nlu::understand::rule_product_words(&u.normalised, &u.slots);
        let words = [u.product_type.as_deref(), rules.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        // A shelf's kind no title names is a word of the shop's too ("Autoradio" →
        // "car stereo" where the receivers sit on "Car Stereos"), and so is a
        // property its data gives ("waterproof" → "wasserdicht: ja").
        // So is any shelf's kind ("Printers" over "Brother HL-L2350DW": "drucker"
        // asks for those).
        // A German shop's title kinds are words of the shop's too: "motherboard"
        // asks for its "… Mainboard"s, "ram" for its "Arbeitsspeicher". (Not an
        // English shop's joined heads: "standmixer", a blender, is no "Stand Mixer".)
        let german_shop = self.shop.language() == Language::De;
        let uses = |w: &str| {
            let singular = crate::catalog::kind::singular(w);
            let shelf = self.shop.is_shelf(&singular);
            let titled = if german_shop {
                u32::try_from(self.shop.heads(&crate::catalog::text::fold(&singular)))
                    .unwrap_or(u32::MAX)
            } else {
                0
            };
            self.shop
                .word_uses(w)
                .max(u32::from(shelf))
                .max(self.shop.property_uses(&crate::catalog::text::fold(w)))
                .max(titled)
        };
        let lexicon = crate::nlu::lexicon::Lexicon::get();
        let heads = |w: &str| self.shop.heads(&crate::catalog::kind::singular(w));
        let is_kind =
            |w: &str| heads(w) > 0 || self.shop.is_shelf(&crate::catalog::kind::singular(w));
        let mut translated = lexicon.translations(&words, u.language, &uses, &is_kind);
        // A word the shop writes only in compounds ("kaffee" of "Kaffeebohnen") is
        // searched beside its translation: the compounds rank above an English title
        // that has the translation as another thing's word ("Coffee table").
        for t in &mut translated {
            if self.shop.part_uses(&crate::catalog::text::fold(&t.from)) > 0 {
                t.to = format!("{} {}", t.from, t.to);
            }
        }
        // The thing asked for by a word the titles use but never as their kind, when
        // they are its synonym: "cheapest ddr5 ram" where RAM is sold as "… Memory".
        let mut asked = discover::asked_words(&u.normalised);
        // A name of two words whose synonym is a kind here, whatever its last word
        // is: "usb stick" asks for a flash drive, not a streaming stick.
        let said: Vec<&str> = u.normalised.split_whitespace().collect();
        let pair = asked
            .last()
            .and_then(|last| said.iter().position(|w| w == last))
            .and_then(|at| Some(format!("{} {}", said.get(at.checked_sub(1)?)?, said[at])))
            .filter(|p| !translated.iter().any(|t| t.from == *p));
        if let Some(pair) = pair {
            let kind_here =
                |w: &str| heads(w) > 0 || self.shop.shelf_only(&crate::catalog::kind::singular(w));
            if let Some(to) = lexicon.synonym_of_kind(&pair, &kind_here) {
                translated.push(crate::nlu::lexicon::Translation { from: pair, to });
                asked.clear();
            } else if let Some(to) = packed_kind(&pair, &heads, lexicon) {
                translated.push(crate::nlu::lexicon::Translation { from: pair, to });
                asked.clear();
            }
        }
        if let Some(head) = asked.pop() {
            if heads(&head) == 0 && !translated.iter().any(|t| t.from == head) {
                // A German plural of an English catalogue's kind: "monitore" are
                // its monitors (an English plural is read as such already), said
                // alone too, where no word tells the language.
                let german_plural = (self.shop.language() == Language::En)
                    .then(|| crate::nlu::lexicon::german_singular(&head, &|w| heads(w) > 0))
                    .flatten();
                if let Some(to) =
                    german_plural.or_else(|| lexicon.synonym_of_kind(&head, &|w| heads(w) > 0))
                {
                    translated.push(crate::nlu::lexicon::Translation { from: head, to });
                }
            }
        }
        // "bose qc45" where the title says "QuietComfort 45".
        let said: Vec<&str> = u.normalised.split_whitespace().collect();
        for (i, token) in said.iter().enumerate() {
            let before = i.checked_sub(1).map(|j| said[j]);
            if let Some(to) = self.shop.spelt_out_model(token, before) {
                translated.push(crate::nlu::lexicon::Translation {
                    from: token.to_string(),
                    to,
                });
            }
        }
        if translated.is_empty() {
            return u;
        }
        u.normalised = crate::nlu::lexicon::apply(&u.normalised, &translated);
        u.product_type = u
            .product_type
            .map(|t| crate::nlu::lexicon::apply(&t, &translated));
        u.translated = translated;
        u
    }

    /// The search on the rules' reading, for showing its products before the model
    /// has read the message: the session as that search leaves it and what it found;
    /// `None` for other turns, a turn with a pending add or checkout (the next message
    /// may settle it), or nothing found.
    fn preview(
        &self,
        ctx: &Ctx<'_>,
        state: &SessionState,
        first: &Understanding,
    ) -> Option<(SessionState, Outcome)> {
        let searching = matches!(first.intent, Intent::Search | Intent::Refine);
        if !searching || state.pending_add.is_some() || state.pending_checkout.is_some() {
            return None;
        }
        let mut scratch = state.clone();
        let mut out = Outcome::default();
        self.search(ctx, &mut scratch, first, &mut out).ok()?;
        (!out.products.is_empty()).then_some((scratch, out))
    }

    /// The reply to a turn's outcome: its lines joined, optionally reworded by the
    /// model (validated), shaped for speech on the voice channel.
    fn word(&self, ctx: &Ctx<'_>, out: &Outcome) -> String {
        let lines = Reply {
            templates: &self.templates,
            lang: ctx.lang,
            channel: ctx.channel,
        }
        .lines(&out.facts);
        let mut reply = lines.join(if ctx.channel == Channel::Voice {
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

    /// Whether a search asks for what fits rather than for a thing by name, so the
    /// model's ideas are worth their second or so: it names a need, a person or an
    /// occasion, or no thing at all. A request that names a kind of product this
    /// shop has, or a word of its titles ("zeig mir Laufschuhe", "Habt ihr Jeans?",
    /// "find me wash cold, machine wash men's shirts" with its "cold"), is searched
    /// as asked, as is one with a size or a colour; one the shop lacks is said to be
    /// missing, not dressed up:
    /// "„haartrockner“ führen wir leider nicht". Only while the products' vectors
    /// are ready, since nothing can vouch for an idea without them.
    fn asks_what_fits(&self, u: &Understanding) -> bool {
        use crate::nlu::understand::without_recipients;
        // A kind or a title's word named as the need's setting, not as the thing
        // wanted: "my hands get cold when i ride my bike" (bike helmets), "i need
        // something to water my garden" (water bottles), "mein sohn braucht was für
        // den kopf" (Kopfhörer). No type of the shop is named by the word asked for.
        // A person alone does not make it one: "kaffee für meinen papa" asks for
        // coffee.
        // Asked at most once: it reads every product's type.
        let setting = std::cell::LazyCell::new(|| {
            problem_or_job(&without_recipients(&u.normalised)) && self.asked_types(u).is_empty()
        });
        u.intent == Intent::Search
            && u.targets.is_empty()
            && self.shop.semantic_progress().is_some_and(|p| p.ready)
            // Neither a kind of this shop nor one of its model tokens ("sony srs-xb33",
            // "anker 313"): a shopper who names the product wants that, not ideas.
            && match self.shop.request_target(&without_recipients(&u.normalised)) {
                (None, models) => models.is_empty(),
                (Some(_), models) => models.is_empty() && *setting,
            }
            && (!self.names_a_title_word(u) || *setting)
            // Words a title has in their order ("blue yeti" of "Blue Yeti USB
            // Microphone", its colour word a name there) name that product.
            && !(u.normalised.split_whitespace().count() >= 2
                && self.shop.titles_have(&crate::search::profile::plain_words(&u.normalised)))
            // A size or a colour: a product the shopper can picture ("men's sleep &
            // lounge with long sleeve … color: multi 5, size: xx-large").
            && u.slots.sizes.is_empty()
            && u.slots.colors.is_empty()
            // A superlative or a spec sorts or filters a thing the shopper has in
            // mind ("die teuerste powerbank", "at least 16gb").
            && !crate::nlu::rules::says_superlative(&u.normalised)
            && crate::nlu::rules::specs::spec_wishes(&u.normalised).is_empty()
            && (crate::nlu::intent::names_a_need(&format!(" {} ", u.normalised))
                || self.carried(u).is_none())
    }

    /// The shop's types a short search names by their last word together with
    /// words no product has ("a cosy dress for autumn": Summer dress, Knit dress,
    /// Evening dress; "eine jacke für windige Frühlingstage"): a need the words
    /// cannot find, for the model to judge among those types
    /// ([`Self::judged_kind_types`]). None where [`Self::asks_what_fits`] reads the
    /// message, where one type or none has the name, and for a long description,
    /// which is ranked by all its words as it is.
    fn kind_with_need(&self, u: &Understanding) -> Option<Vec<crate::search::profile::ShopType>> {
        use crate::catalog::kind::singular;
        use crate::catalog::text::fold;
        use crate::nlu::understand::rule_product_words;
        if u.intent != Intent::Search
            || !u.targets.is_empty()
            || u.brand.is_some()
            || u.normalised.split_whitespace().count() > discover::KIND_NEED_WORDS
            || !u.slots.sizes.is_empty()
            || !u.slots.colors.is_empty()
            || crate::nlu::rules::says_superlative(&u.normalised)
            || !crate::nlu::rules::specs::spec_wishes(&u.normalised).is_empty()
            || !self.shop.semantic_progress().is_some_and(|p| p.ready)
            || !self.shop.request_target(&u.normalised).1.is_empty()
        {
            return None;
        }
        let said = self.in_catalogue_text(u);
        let head = asked_head(&said)?;
        let words = rule_product_words(&said, &u.slots)?;
        let unfound = words.split_whitespace().any(|w| {
            let w = fold(w);
            w.chars().count() >= 3
                && !w.chars().any(|c| c.is_ascii_digit())
                && singular(&w) != head
                && self.shop.word_uses(&w) == 0
                && self.shop.word_uses(&singular(&w)) == 0
                // "kleider": a word of a kind, as the lexicon knows it.
                && self.shop.request_target(&w).0.is_none()
        });
        if !unfound && !problem_or_job(&u.normalised) {
            return None;
        }
        // Last, as it reads every product's type.
        let types = self.shop.types_named(&head, u.language);
        (types.len() >= 2).then_some(types)
    }

    /// The message without whom it is for, its words translated where the catalogue
    /// says them otherwise ("kleid" is "dress" where titles say so).
    fn in_catalogue_text(&self, u: &Understanding) -> String {
        let mut said = format!(
            " {} ",
            crate::nlu::understand::without_recipients(&u.normalised)
        );
        for t in &u.translated {
            said = said.replace(&format!(" {} ", t.from), &format!(" {} ", t.to));
        }
        said.trim().to_string()
    }

    /// The shop's types named by the word a search asks for, its head ("dress":
    /// Summer dress, Knit dress, …; see [`Shop::types_named`]).
    fn asked_types(&self, u: &Understanding) -> Vec<crate::search::profile::ShopType> {
        asked_head(&self.in_catalogue_text(u))
            .map(|head| self.shop.types_named(&head, u.language))
            .unwrap_or_default()
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
        dropped: Relaxation,
        out: &mut Outcome,
    ) {
        let constraint = dropped.constraint();
        out.say(Fact::Discover(Discover::Relaxed(dropped)));
        self.show(ctx, state, hits, out);
        for p in &mut out.products {
            p.relaxed.push(constraint.to_string());
        }
        out.progress = true;
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
                    out.say(Fact::CheckoutDeclined);
                    out.progress = true;
                    return Ok(());
                }
                _ => state.pending_checkout = None,
            }
        }
        // "put the dewalt in my cart" … "the third one": that one into the cart.
        if std::mem::take(&mut state.choosing_to_add) && self.picked_alone(state, u).is_some() {
            let mut add = u.clone();
            add.intent = Intent::AddToCart;
            return self.add(ctx, state, &add, out);
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
        // "which one is cheaper?" after a comparison: the one of the two compared.
        let of_compared;
        let u = match self.of_the_compared(state, u) {
            Some(pointed) => {
                of_compared = pointed;
                out.acted_as = Some(of_compared.intent);
                &of_compared
            }
            None => u,
        };
        // "acer p6500" names a product whose model looks like an order number.
        let as_search;
        let u = match self
            .model_not_order(u)
            .or_else(|| self.refine_of_nothing(state, u))
        {
            Some(search) => {
                as_search = search;
                out.acted_as = Some(as_search.intent);
                &as_search
            }
            None => u,
        };
        if let Some(steps) = steps::of(u) {
            if self.run_steps(ctx, state, u, steps, out)? {
                return Ok(());
            }
        }
        // "Is there anything cheaper than the second one?" reads as a question; it asks
        // for alternatives all the same.
        if matches!(u.intent, Intent::ProductQuestion | Intent::Compare) {
            if let Some(x) = alternatives::cheaper_alternative_to(&u.normalised) {
                if self.cheaper_alternatives(ctx, state, &x, out)? {
                    return Ok(());
                }
            }
        }
        // "does the galaxy a25 have 5g": product words and no cue the rules know read
        // as a search, but a yes-or-no question naming a model of the shop asks
        // about that model.
        let about_model;
        let u = if u.intent == Intent::Search
            && u.sources.get("intent") != Some(&crate::nlu::Source::Rules)
            && crate::nlu::intent::asks_yes_or_no(&u.normalised)
            && self.names_one_product(&u.normalised)
        {
            about_model = Understanding {
                intent: Intent::ProductQuestion,
                ..u.clone()
            };
            out.acted_as = Some(Intent::ProductQuestion);
            &about_model
        } else {
            u
        };
        // A question that refers to no shown product may name one of its own.
        let unreferred = u.intent == Intent::ProductQuestion
            && crate::assist::refine::resolve(u, &state.shown, state.focused.as_ref()).is_none();
        // "welcher arbeitsspeicher passt in das asus rog strix z790-e?" asks for
        // products that fit the one it names, not about a shown one.
        if unreferred && self.named_to_fit(u).is_some() {
            out.acted_as = Some(Intent::Search);
            return self.search(ctx, state, u, out);
        }
        // "how much is the greenworks 80v mower?" asks about the product it names:
        // found and shown, then the question answered about the first found.
        if unreferred && self.names_another_product(state, u) {
            // "is the baseus power bank waterproof": the product by its maker and
            // kind, not what is asked of it.
            let product_type = self
                .product_by_maker(&u.normalised)
                .or_else(|| crate::nlu::understand::rule_product_words(&u.normalised, &u.slots));
            let as_search = Understanding {
                intent: Intent::Search,
                product_type,
                ..u.clone()
            };
            self.search(ctx, state, &as_search, out)?;
            // Not about the nearest things shown instead of one the shop lacks, nor
            // about the first of several ("how much is the greenworks mower"): the
            // list says their prices.
            if !state.shown.is_empty() && out.products.iter().all(|p| p.relaxed.is_empty()) {
                if self.found_the_one_asked(u, out.products.len()) {
                    self.question(state, u, out);
                } else if let Some(listings) = self.listings_asked(u, &out.products) {
                    self.question_each(u, listings, out);
                }
            }
            return Ok(());
        }
        match u.intent {
            Intent::Greeting => {
                out.say(Fact::Greeting);
                out.progress = true;
            }
            Intent::Search | Intent::Refine => match self.picked_alone(state, u) {
                // "lieber die erste", "actually the first one": that product, in brief,
                // and in focus (it searched for "lieber erste").
                Some((shown, p)) => {
                    state.focused = Some(shown);
                    out.say(Fact::Discover(Discover::Answer {
                        answer: crate::assist::answer::overview(&p),
                        product: p,
                    }));
                    out.progress = true;
                }
                None => {
                    // "die zweite in größe m", "the second one in black": the list in
                    // that size, with the one pointed at in focus, so "in den
                    // warenkorb" adds it (it added the first).
                    let pointed = (u.intent == Intent::Refine
                        && u.slots.reference.is_some()
                        && (!u.slots.sizes.is_empty() || !u.slots.colors.is_empty()))
                    .then(|| resolve(u, &state.shown, state.focused.as_ref()))
                    .flatten();
                    self.search(ctx, state, u, out)?;
                    if let Some(id) = pointed {
                        if let Some(s) = state.shown.iter().find(|s| s.id == id) {
                            state.focused = Some(s.clone());
                        }
                    }
                }
            },
            Intent::ProductQuestion => self.question(state, u, out),
            Intent::Compare => self.compare(ctx, state, u, out)?,
            Intent::AddToCart => self.add(ctx, state, u, out)?,
            Intent::RemoveFromCart => self.remove(ctx, state, u, out)?,
            Intent::ShowCart => {
                let cart = self.orders.cart(&ctx.cart_owner)?;
                out.say(Fact::Cart(if cart.items.is_empty() {
                    CartFact::Empty
                } else {
                    CartFact::Contents(self.in_words_of(ctx.lang, cart.clone()))
                }));
                out.cart = Some(cart);
                out.progress = true;
            }
            Intent::Checkout => self.checkout(ctx, state, out)?,
            Intent::Confirm | Intent::CancelAction => {
                out.say(Fact::NothingPending);
            }
            Intent::OrderStatus => self.order_status(ctx, out)?,
            Intent::CancelOrder => self.cancel_order(ctx, u, out)?,
            Intent::ReturnItem => {
                let days = self.orders.config().return_window_ms / (24 * 3600 * 1000);
                out.say(Fact::AfterSale(AfterSale::ReturnWindow { days }));
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
                out.say(Fact::FeedbackTaken);
                out.progress = true;
            }
            Intent::OutOfScope => out.say(Fact::OutOfScope),
            Intent::Handoff => unreachable!("handled before"),
        }
        Ok(())
    }
}

/// What a turn produced.
#[derive(Default)]
struct Outcome {
    facts: Vec<Fact>,
    products: Vec<ProductOut>,
    actions: Vec<Value>,
    cart: Option<Cart>,
    progress: bool,
    /// The products the message asked for, when it asked for several.
    targets: Vec<String>,
    /// What a search turn searched for and the steps it ran.
    plan: Option<crate::nlu::understand::plan::Plan>,
    /// The intent the turn acted on, when it read the message otherwise than the
    /// understanding did ("acer p6500" is no order number).
    acted_as: Option<Intent>,
}

impl Outcome {
    fn say(&mut self, fact: Fact) {
        self.facts.push(fact);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_turn_waits_for_the_learner_but_not_for_another_turn() {
        let dir = tempfile::tempdir().unwrap();
        let (shop, _) = Shop::open(dir.path()).unwrap();
        let shop = Arc::new(shop);
        let a = Arc::new(Assistant::new(
            shop.clone(),
            Orders::new(shop, Default::default()),
            Templates::load(None).unwrap(),
            None,
        ));
        assert!(a.model_gate().is_some(), "a free gate is taken at once");
        // Another turn holds the gate: read with the rules, do not queue.
        let held = a.llm_gate.lock().unwrap();
        assert!(a.model_gate().is_none());
        drop(held);
        // The learner holds it: wait for its one question.
        let (tx, rx) = std::sync::mpsc::channel();
        let learner = {
            let a = a.clone();
            std::thread::spawn(move || {
                let _gate = a.llm_gate.lock().unwrap();
                a.learning.store(true, Ordering::Release);
                tx.send(()).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(100));
                a.learning.store(false, Ordering::Release);
            })
        };
        rx.recv().unwrap();
        let started = std::time::Instant::now();
        assert!(a.model_gate().is_some());
        assert!(started.elapsed() >= std::time::Duration::from_millis(50));
        assert_eq!(a.turns_waiting.load(Ordering::Acquire), 0);
        learner.join().unwrap();
    }
}
