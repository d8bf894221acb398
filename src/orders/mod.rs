//! Carts, checkout with explicit confirmation, orders, returns, reorders, feedback and
//! reminders, kept in the SQLite store next to the catalogue.
//!
//! The rules, in one place:
//! - Everything is scoped by the customer id the caller asserts; no operation reads or
//!   changes another customer's rows (every query names `customer_id`).
//! - What the model may propose is a [`CartAction`]: product id, variant id, quantity,
//!   nothing else (unknown fields are rejected when parsing). Prices, stock and the
//!   customer always come from the catalogue and the caller, never from model output.
//! - [`Orders::checkout`] only proposes: a [`Proposal`] with a token bound to the
//!   customer, a hash of the cart (items, quantities, current prices, whether each line
//!   is in stock) and the total, expiring after `confirmation_ttl`. Only
//!   [`Orders::confirm`] with that token places the order, in one transaction that
//!   re-checks the hash, decrements stock, clears the cart and queues the webhook.
//!   A changed cart, price or stock fails with `cart_changed` and a fresh proposal.
//! - All writes go through the store's one connection (behind the shop's lock) in
//!   `BEGIN IMMEDIATE` transactions, so a check-then-decrement of stock can never
//!   interleave with another: the last unit is sold once.
//! - Stock lives in the product rows of the catalogue; a change bumps the catalogue
//!   generation and is re-indexed at once, so search sees sold-out variants. A later
//!   catalogue import sets stock to what the feed says (the feed is the shop's truth).
//!
//! The blocking calls here belong on a blocking thread (`spawn_blocking`), never on a
//! tokio worker.

mod idempotency;
pub mod retention;
pub mod sessions;
pub mod stats;
pub mod webhooks;

use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension, Savepoint};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalog::Product;
use crate::shop::{Shop, ShopError};
use crate::store::StoreError;

pub use idempotency::{Idempotent, IDEMPOTENCY_KEY_MAX, IDEMPOTENCY_RETENTION_MS};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// Longest customer id taken.
pub const CUSTOMER_ID_MAX: usize = 128;

/// Prefixes of customer ids the daemon uses itself: `anon:<session>` holds a guest's
/// cart, `shop:` the shop's own records. No caller may claim them.
pub const RESERVED_CUSTOMER_PREFIXES: &[&str] = &["anon:", "shop:"];

/// The one check of a customer id, wherever it enters (the `X-Customer-Id` header, a
/// turn's `customer_id`, the OpenAI `user` field): 1 to [`CUSTOMER_ID_MAX`] bytes, no
/// control characters, no surrounding blanks, no reserved prefix.
pub fn check_customer_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > CUSTOMER_ID_MAX {
        return Err(format!("a customer id has 1 to {CUSTOMER_ID_MAX} bytes"));
    }
    if id.trim() != id || id.chars().any(char::is_control) {
        return Err("a customer id has no control characters or surrounding blanks".into());
    }
    if let Some(p) = RESERVED_CUSTOMER_PREFIXES
        .iter()
        .find(|p| id.starts_with(*p))
    {
        return Err(format!("customer ids starting with `{p}` are reserved"));
    }
    Ok(())
}

/// Longest session id taken.
pub const SESSION_ID_MAX: usize = 255;

/// The check of a session id: 1 to [`SESSION_ID_MAX`] bytes, no control characters.
pub fn check_session_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > SESSION_ID_MAX || id.chars().any(char::is_control) {
        return Err(format!(
            "a session id has 1 to {SESSION_ID_MAX} bytes and no control characters"
        ));
    }
    Ok(())
}

/// A day in milliseconds.
pub const DAY_MS: Millis = 24 * 3600 * 1000;

/// Limits and windows, from the config.
#[derive(Debug, Clone)]
pub struct OrdersConfig {
    /// Largest quantity of one line in a cart.
    pub max_quantity: u32,
    /// How long a checkout proposal can be confirmed.
    pub confirmation_ttl_ms: Millis,
    /// How long after delivery a return may be requested.
    pub return_window_ms: Millis,
    /// Whether a webhook receiver is configured: only then are deliveries queued in
    /// the outbox (with nobody to deliver to, it only grew).
    pub webhooks: bool,
    /// How long sessions, transcripts, analytics events, spent proposals and
    /// delivered webhooks are kept (see [`Orders::prune`]); orders, returns and
    /// feedback are kept for good.
    pub retention_ms: Millis,
}

impl Default for OrdersConfig {
    fn default() -> Self {
        OrdersConfig {
            max_quantity: 10,
            confirmation_ttl_ms: 5 * 60 * 1000,
            return_window_ms: 30 * 24 * 3600 * 1000,
            webhooks: false,
            retention_ms: 90 * DAY_MS,
        }
    }
}

/// Why an operation was refused. Every variant has a stable code and an HTTP status.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum OrderError {
    #[error("unknown product {product_id}")]
    UnknownProduct { product_id: String },
    #[error("product {product_id} has no variant {variant_id}")]
    UnknownVariant {
        product_id: String,
        variant_id: String,
    },
    #[error("product {product_id} comes in several variants ({options}); say which")]
    VariantRequired { product_id: String, options: String },
    #[error("quantity must be between 1 and {max}, got {quantity}")]
    InvalidQuantity { quantity: i64, max: u32 },
    #[error("{title} is out of stock in this variant (available: {available})")]
    OutOfStock {
        product_id: String,
        variant_id: String,
        title: String,
        available: u32,
    },
    #[error("the cart is empty")]
    CartEmpty,
    #[error("{product_id}/{variant_id} is not in the cart")]
    NotInCart {
        product_id: String,
        variant_id: String,
    },
    #[error("no such confirmation for this customer")]
    ConfirmationUnknown,
    #[error("the confirmation expired; check out again")]
    ConfirmationExpired,
    #[error("this confirmation was already used for order {order_id}")]
    ConfirmationUsed { order_id: String },
    #[error("the cart, a price or the stock changed since checkout; here is the new proposal")]
    CartChanged { proposal: Box<Proposal> },
    #[error("no order {order_id} for this customer")]
    UnknownOrder { order_id: String },
    #[error("order {order_id} is {status} and cannot be {action}")]
    InvalidTransition {
        order_id: String,
        status: String,
        action: String,
    },
    #[error("the return window of {days} days after delivery has passed")]
    ReturnWindowClosed { days: i64 },
    #[error("no session {session_id} for this customer")]
    UnknownSession { session_id: String },
    #[error("{message}")]
    InvalidRequest { message: String },
    #[error("idempotency key already used for a different request")]
    IdempotencyKeyReused,
    #[error("a request with this idempotency key is still running")]
    IdempotencyKeyInFlight,
    #[error("this operation needs an Idempotency-Key")]
    IdempotencyKeyMissing,
    #[error("the amount {what} is out of the range this shop can charge")]
    AmountOutOfRange { what: String },
    #[error("internal error: {message}")]
    Internal { message: String },
}

impl OrderError {
    /// The stable machine-readable code, as in the HTTP error body.
    pub fn code(&self) -> &'static str {
        match self {
            OrderError::UnknownProduct { .. } => "unknown_product",
            OrderError::UnknownVariant { .. } => "unknown_variant",
            OrderError::VariantRequired { .. } => "variant_required",
            OrderError::InvalidQuantity { .. } => "invalid_quantity",
            OrderError::OutOfStock { .. } => "out_of_stock",
            OrderError::CartEmpty => "cart_empty",
            OrderError::NotInCart { .. } => "not_in_cart",
            OrderError::ConfirmationUnknown => "confirmation_unknown",
            OrderError::ConfirmationExpired => "confirmation_expired",
            OrderError::ConfirmationUsed { .. } => "confirmation_used",
            OrderError::CartChanged { .. } => "cart_changed",
            OrderError::UnknownOrder { .. } => "unknown_order",
            OrderError::InvalidTransition { .. } => "invalid_transition",
            OrderError::ReturnWindowClosed { .. } => "return_window_closed",
            OrderError::UnknownSession { .. } => "unknown_session",
            OrderError::InvalidRequest { .. } => "bad_request",
            OrderError::IdempotencyKeyReused => "idempotency_key_reused",
            OrderError::IdempotencyKeyInFlight => "idempotency_key_in_flight",
            OrderError::IdempotencyKeyMissing => "bad_request",
            OrderError::AmountOutOfRange { .. } => "amount_out_of_range",
            OrderError::Internal { .. } => "internal",
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            OrderError::UnknownProduct { .. }
            | OrderError::UnknownOrder { .. }
            | OrderError::ConfirmationUnknown
            | OrderError::UnknownSession { .. }
            | OrderError::NotInCart { .. } => 404,
            OrderError::CartChanged { .. }
            | OrderError::IdempotencyKeyInFlight
            | OrderError::ConfirmationUsed { .. }
            | OrderError::OutOfStock { .. }
            | OrderError::InvalidTransition { .. } => 409,
            OrderError::ConfirmationExpired => 410,
            OrderError::IdempotencyKeyReused
            | OrderError::UnknownVariant { .. }
            | OrderError::VariantRequired { .. }
            | OrderError::InvalidQuantity { .. }
            | OrderError::CartEmpty
            | OrderError::AmountOutOfRange { .. }
            | OrderError::ReturnWindowClosed { .. } => 422,
            OrderError::InvalidRequest { .. } | OrderError::IdempotencyKeyMissing => 400,
            OrderError::Internal { .. } => 500,
        }
    }
}

impl From<rusqlite::Error> for OrderError {
    fn from(e: rusqlite::Error) -> Self {
        OrderError::Internal {
            message: format!("database: {e}"),
        }
    }
}

impl From<StoreError> for OrderError {
    fn from(e: StoreError) -> Self {
        OrderError::Internal {
            message: e.to_string(),
        }
    }
}

impl From<ShopError> for OrderError {
    fn from(e: ShopError) -> Self {
        OrderError::Internal {
            message: e.to_string(),
        }
    }
}

/// A cart change as the model or a storefront proposes it: ids and a quantity only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CartAction {
    pub product_id: String,
    /// May be left out when the product has exactly one variant.
    #[serde(default)]
    pub variant_id: Option<String>,
    /// Signed so that 0, -1 and huge values parse and are refused with a reason.
    #[serde(default = "one")]
    pub quantity: i64,
}

fn one() -> i64 {
    1
}

/// One cart line, priced from the catalogue now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CartLine {
    pub product_id: String,
    pub variant_id: String,
    pub title: String,
    pub size: Option<String>,
    pub color: Option<String>,
    pub quantity: u32,
    /// Current unit price (minor units).
    pub unit_price: i64,
    /// Unit price when the line was added, so a change can be said.
    pub price_when_added: i64,
    pub line_total: i64,
    /// Units in stock now.
    pub available: u32,
}

/// A customer's cart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct Cart {
    pub items: Vec<CartLine>,
    pub total: i64,
    pub currency: String,
    /// Lines whose product left the catalogue; they are dropped from the cart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
}

/// What checkout proposes and the shopper must confirm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Proposal {
    pub token: String,
    pub items: Vec<CartLine>,
    pub total: i64,
    pub currency: String,
    #[schema(value_type = i64)]
    pub expires_at: Millis,
}

/// Order states: placed → confirmed → shipped → delivered, or cancelled before shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Placed,
    Confirmed,
    Shipped,
    Delivered,
    Cancelled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> OrderStatus {
        match s {
            "confirmed" => OrderStatus::Confirmed,
            "shipped" => OrderStatus::Shipped,
            "delivered" => OrderStatus::Delivered,
            "cancelled" => OrderStatus::Cancelled,
            _ => OrderStatus::Placed,
        }
    }
}

/// One line of an order, at the price paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderLine {
    pub line: u32,
    pub product_id: String,
    pub variant_id: String,
    pub title: String,
    pub size: Option<String>,
    pub color: Option<String>,
    pub quantity: u32,
    pub unit_price: i64,
}

/// A status change with its time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub status: OrderStatus,
    #[schema(value_type = i64)]
    pub at: Millis,
    pub note: Option<String>,
}

/// An order as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Order {
    pub id: String,
    pub customer_id: String,
    pub status: OrderStatus,
    pub items: Vec<OrderLine>,
    pub total: i64,
    pub currency: String,
    pub tracking: Option<String>,
    #[schema(value_type = i64)]
    pub created_at: Millis,
    #[schema(value_type = Option<i64>)]
    pub delivered_at: Option<Millis>,
    pub history: Vec<StatusChange>,
}

/// A status the shop sets on an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum StatusUpdate {
    Confirmed,
    Shipped { tracking_number: String },
    Delivered,
}

/// Which orders to list.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub customer_id: Option<String>,
    pub status: Option<OrderStatus>,
    pub limit: usize,
    pub offset: usize,
}

/// Return or exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReturnKind {
    Return,
    Exchange,
}

/// One line of a return request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnLine {
    /// The order line (1-based).
    pub line: u32,
    pub quantity: u32,
    /// For an exchange: the variant wanted instead.
    #[serde(default)]
    pub exchange_variant_id: Option<String>,
}

/// A return or exchange request as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReturnRequest {
    pub id: String,
    pub order_id: String,
    pub kind: ReturnKind,
    pub items: Vec<ReturnLine>,
    pub reason: String,
    pub status: String,
    #[schema(value_type = i64)]
    pub created_at: Millis,
}

/// What changed for one line when reordering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ReorderChange {
    PriceChanged {
        product_id: String,
        title: String,
        was: i64,
        now: i64,
    },
    QuantityReduced {
        product_id: String,
        title: String,
        wanted: u32,
        available: u32,
    },
    OutOfStock {
        product_id: String,
        title: String,
    },
    NoLongerSold {
        product_id: String,
        title: String,
    },
}

/// The cart after a reorder, and what differs from the past order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reorder {
    pub cart: Cart,
    pub changes: Vec<ReorderChange>,
}

/// A rating (1–5) or a net-promoter score (0–10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Feedback {
    Rating {
        score: i64,
        #[serde(default)]
        comment: Option<String>,
    },
    Nps {
        score: i64,
        #[serde(default)]
        comment: Option<String>,
    },
}

/// A consumable that is due again, from the customer's orders and its reorder interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reminder {
    pub product_id: String,
    pub variant_id: String,
    pub title: String,
    #[schema(value_type = i64)]
    pub last_ordered_at: Millis,
    #[schema(value_type = i64)]
    pub due_at: Millis,
}

/// The clock, replaceable in tests.
pub type Clock = Arc<dyn Fn() -> Millis + Send + Sync>;

fn system_clock() -> Clock {
    Arc::new(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as Millis)
            .unwrap_or(0)
    })
}

/// The order operations over a shop's store. Cheap to clone; blocking.
#[derive(Clone)]
pub struct Orders {
    shop: Arc<Shop>,
    config: OrdersConfig,
    clock: Clock,
    in_flight: Arc<std::sync::Mutex<std::collections::HashSet<(String, String)>>>,
    /// Set while an operation runs under an idempotency key: the first write that
    /// succeeds stores the record in its own transaction.
    record: Option<Arc<std::sync::Mutex<Option<idempotency::Pending>>>>,
}

impl std::fmt::Debug for Orders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Orders")
            .field("config", &self.config)
            .finish()
    }
}

/// A write transaction and the products whose stock it changed.
struct Write<'a> {
    tx: Savepoint<'a>,
    now: Millis,
    touched: Vec<String>,
    webhooks: bool,
}

impl Write<'_> {
    /// Queues a webhook delivery with this write, when a receiver is configured.
    fn enqueue(
        &self,
        event: &str,
        data: &serde_json::Value,
        now: Millis,
    ) -> Result<(), OrderError> {
        if self.webhooks {
            webhooks::enqueue(&self.tx, event, data, now)?;
        }
        Ok(())
    }
}

impl Orders {
    pub fn new(shop: Arc<Shop>, config: OrdersConfig) -> Orders {
        Orders {
            shop,
            config,
            clock: system_clock(),
            in_flight: Default::default(),
            record: None,
        }
    }

    /// Replaces the clock (tests of expiry and return windows).
    pub fn with_clock(mut self, clock: Clock) -> Orders {
        self.clock = clock;
        self
    }

    pub fn config(&self) -> &OrdersConfig {
        &self.config
    }

    pub fn now(&self) -> Millis {
        (self.clock)()
    }

    /// Runs `f` as one write: a savepoint inside the current unit of work (see
    /// [`Orders::unit`]), or a `BEGIN IMMEDIATE` transaction of its own. Products whose
    /// stock changed are re-indexed once the outermost transaction commits.
    fn write<T: Serialize>(
        &self,
        f: impl FnOnce(&mut Write<'_>) -> Result<T, OrderError>,
    ) -> Result<T, OrderError> {
        self.shop.unit(|| {
            let lock = self.shop.store();
            let mut store = lock.borrow_mut();
            let now = self.now();
            let (value, touched) = {
                let sp = store.conn().savepoint()?;
                let mut w = Write {
                    tx: sp,
                    now,
                    touched: Vec::new(),
                    webhooks: self.config.webhooks,
                };
                let value = f(&mut w)?;
                if let Some(pending) = self.record.as_ref().and_then(|r| r.lock().ok()?.take()) {
                    pending.store(&w.tx, &Ok::<_, OrderError>(&value), now)?;
                }
                if !w.touched.is_empty() {
                    bump_generation(&w.tx)?;
                }
                w.tx.commit()?;
                (value, w.touched)
            };
            store.touch(&touched);
            Ok(value)
        })
    }

    /// Runs several operations as one transaction: every write inside `f` joins it,
    /// and all of them commit together when `f` returns `Ok`, or none does. A turn
    /// runs its action, transcript, session state and statistics this way.
    pub fn unit<T, E>(&self, f: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        self.shop.unit(f)
    }

    /// Runs a read-only query (in a savepoint, so it sees the open unit's writes).
    fn read<T>(
        &self,
        f: impl FnOnce(&Connection, Millis) -> Result<T, OrderError>,
    ) -> Result<T, OrderError> {
        let lock = self.shop.store();
        let mut store = lock.borrow_mut();
        let now = self.now();
        let sp = store.conn().savepoint()?;
        f(&sp, now)
    }

    // ---- carts -------------------------------------------------------------------

    /// The customer's cart, priced now.
    pub fn cart(&self, customer: &str) -> Result<Cart, OrderError> {
        self.read(|tx, _| load_cart(tx, customer))
    }

    /// Adds `action.quantity` of a variant (adding to a line already there).
    pub fn add_to_cart(&self, customer: &str, action: &CartAction) -> Result<Cart, OrderError> {
        let max = self.config.max_quantity;
        self.write(|w| {
            ensure_customer(&w.tx, customer, w.now)?;
            let (product, variant_id) = resolve_action(&w.tx, action)?;
            let have: i64 = w
                .tx
                .query_row(
                    "SELECT quantity FROM cart_items WHERE customer_id = ?1 AND product_id = ?2 AND variant_id = ?3",
                    params![customer, product.id, variant_id],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(0);
            let quantity = check_quantity(action.quantity, max)?;
            let total = check_quantity(have + i64::from(quantity), max)?;
            check_stock(&product, &variant_id, i64::from(total))?;
            w.tx.execute(
                "INSERT INTO cart_items (customer_id, product_id, variant_id, quantity, price_when_added, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (customer_id, product_id, variant_id) DO UPDATE SET quantity = excluded.quantity",
                params![customer, product.id, variant_id, total, unit_price(&product, &variant_id), w.now],
            )?;
            event(&w.tx, "cart.add", Some(customer), &serde_json::json!({"product_id": product.id, "variant_id": variant_id, "quantity": quantity}), w.now)?;
            load_cart(&w.tx, customer)
        })
    }

    /// Sets a line's quantity; 0 removes it.
    pub fn set_quantity(&self, customer: &str, action: &CartAction) -> Result<Cart, OrderError> {
        let max = self.config.max_quantity;
        self.write(|w| {
            ensure_customer(&w.tx, customer, w.now)?;
            let (product, variant_id) = resolve_action(&w.tx, action)?;
            if action.quantity == 0 {
                remove_line(&w.tx, customer, &product.id, &variant_id)?;
            } else {
                let quantity = check_quantity(action.quantity, max)?;
                check_stock(&product, &variant_id, i64::from(quantity))?;
                let n = w.tx.execute(
                    "UPDATE cart_items SET quantity = ?4 WHERE customer_id = ?1 AND product_id = ?2 AND variant_id = ?3",
                    params![customer, product.id, variant_id, quantity],
                )?;
                if n == 0 {
                    return Err(OrderError::NotInCart {
                        product_id: product.id.clone(),
                        variant_id,
                    });
                }
            }
            load_cart(&w.tx, customer)
        })
    }

    /// Removes a line.
    pub fn remove_from_cart(
        &self,
        customer: &str,
        product_id: &str,
        variant_id: &str,
    ) -> Result<Cart, OrderError> {
        self.write(|w| {
            remove_line(&w.tx, customer, product_id, variant_id)?;
            load_cart(&w.tx, customer)
        })
    }

    // ---- checkout ----------------------------------------------------------------

    /// Proposes the order for the cart as it is now. Places nothing.
    pub fn checkout(&self, customer: &str) -> Result<Proposal, OrderError> {
        let ttl = self.config.confirmation_ttl_ms;
        self.write(|w| {
            ensure_customer(&w.tx, customer, w.now)?;
            propose(&w.tx, customer, w.now, ttl)
        })
    }

    /// Places the order proposed under `token`, if the cart, prices and stock are still
    /// what was proposed.
    pub fn confirm(&self, customer: &str, token: &str) -> Result<Order, OrderError> {
        let changed = std::cell::Cell::new(false);
        let placed = self.write(|w| confirm_in(w, customer, token, &changed));
        match placed {
            Err(_) if changed.get() => {
                // A fresh proposal the shopper can confirm next, committed on its own:
                // this may itself fail (out of stock, cart now empty), which is then
                // the answer.
                let fresh = self.without_record().checkout(customer)?;
                Err(OrderError::CartChanged {
                    proposal: Box::new(fresh),
                })
            }
            other => other,
        }
    }

    // ---- orders ------------------------------------------------------------------

    /// One of the customer's orders.
    pub fn order(&self, customer: &str, order_id: &str) -> Result<Order, OrderError> {
        self.read(|tx, _| load_order(tx, Some(customer), order_id))
    }

    /// Orders, newest first. With `customer_id` set, only theirs.
    pub fn list_orders(&self, filter: &OrderFilter) -> Result<Vec<Order>, OrderError> {
        self.read(|tx, _| {
            let limit = if filter.limit == 0 {
                50
            } else {
                filter.limit.min(500)
            };
            let mut stmt = tx.prepare(
                "SELECT id FROM orders
                 WHERE (?1 IS NULL OR customer_id = ?1) AND (?2 IS NULL OR status = ?2)
                 ORDER BY created_at DESC, id DESC LIMIT ?3 OFFSET ?4",
            )?;
            let ids: Vec<String> = stmt
                .query_map(
                    params![
                        filter.customer_id,
                        filter.status.map(OrderStatus::as_str),
                        limit as i64,
                        filter.offset as i64
                    ],
                    |r| r.get(0),
                )?
                .collect::<Result<_, _>>()?;
            ids.iter().map(|id| load_order(tx, None, id)).collect()
        })
    }

    /// Cancels an order that has not shipped; its stock goes back.
    pub fn cancel_order(&self, customer: &str, order_id: &str) -> Result<Order, OrderError> {
        self.write(|w| {
            let order = load_order(&w.tx, Some(customer), order_id)?;
            if !matches!(order.status, OrderStatus::Placed | OrderStatus::Confirmed) {
                return Err(OrderError::InvalidTransition {
                    order_id: order.id,
                    status: order.status.as_str().into(),
                    action: "cancelled".into(),
                });
            }
            for item in &order.items {
                change_stock(
                    w,
                    &item.product_id,
                    &item.variant_id,
                    StockChange::Add(item.quantity),
                )?;
            }
            set_status(&w.tx, &order.id, OrderStatus::Cancelled, None, w.now)?;
            let order = load_order(&w.tx, Some(customer), order_id)?;
            w.enqueue(
                "order.cancelled",
                &serde_json::json!({ "order": order }),
                w.now,
            )?;
            event(
                &w.tx,
                "order.cancelled",
                Some(customer),
                &serde_json::json!({"order_id": order.id}),
                w.now,
            )?;
            Ok(order)
        })
    }

    /// The shop sets an order's status (confirmed, shipped with tracking, delivered).
    pub fn set_order_status(
        &self,
        order_id: &str,
        update: &StatusUpdate,
    ) -> Result<Order, OrderError> {
        self.write(|w| {
            let order = load_order(&w.tx, None, order_id)?;
            let (to, allowed): (OrderStatus, &[OrderStatus]) = match update {
                StatusUpdate::Confirmed => (OrderStatus::Confirmed, &[OrderStatus::Placed]),
                StatusUpdate::Shipped { .. } => (
                    OrderStatus::Shipped,
                    &[OrderStatus::Placed, OrderStatus::Confirmed],
                ),
                StatusUpdate::Delivered => (OrderStatus::Delivered, &[OrderStatus::Shipped]),
            };
            if !allowed.contains(&order.status) {
                return Err(OrderError::InvalidTransition {
                    order_id: order.id,
                    status: order.status.as_str().into(),
                    action: to.as_str().into(),
                });
            }
            let tracking = match update {
                StatusUpdate::Shipped { tracking_number } => {
                    let t = tracking_number.trim();
                    if t.is_empty() {
                        return Err(OrderError::InvalidRequest {
                            message: "shipped needs a tracking number".into(),
                        });
                    }
                    w.tx.execute(
                        "UPDATE orders SET tracking = ?2 WHERE id = ?1",
                        params![order.id, t],
                    )?;
                    Some(t.to_string())
                }
                _ => None,
            };
            if to == OrderStatus::Delivered {
                w.tx.execute(
                    "UPDATE orders SET delivered_at = ?2 WHERE id = ?1",
                    params![order.id, w.now],
                )?;
            }
            set_status(&w.tx, &order.id, to, tracking.as_deref(), w.now)?;
            load_order(&w.tx, None, order_id)
        })
    }

    /// The shop changes a variant's stock by `delta` (negative to remove, floored at 0).
    /// Returns the new stock.
    pub fn adjust_stock(
        &self,
        product_id: &str,
        variant_id: &str,
        delta: i64,
    ) -> Result<u32, OrderError> {
        self.write(|w| {
            let change = if delta >= 0 {
                StockChange::Add(u32::try_from(delta).unwrap_or(u32::MAX))
            } else {
                StockChange::RemoveUpTo(u32::try_from(-delta).unwrap_or(u32::MAX))
            };
            change_stock(w, product_id, variant_id, change)
        })
    }

    // ---- after the sale ----------------------------------------------------------

    /// Requests a return or an exchange of delivered lines, within the return window.
    pub fn request_return(
        &self,
        customer: &str,
        order_id: &str,
        kind: ReturnKind,
        items: &[ReturnLine],
        reason: &str,
    ) -> Result<ReturnRequest, OrderError> {
        let window = self.config.return_window_ms;
        self.write(|w| {
            let order = load_order(&w.tx, Some(customer), order_id)?;
            if order.status != OrderStatus::Delivered {
                return Err(OrderError::InvalidTransition {
                    order_id: order.id,
                    status: order.status.as_str().into(),
                    action: "returned (only delivered orders can be)".into(),
                });
            }
            if w.now - order.delivered_at.unwrap_or(w.now) > window {
                return Err(OrderError::ReturnWindowClosed {
                    days: window / (24 * 3600 * 1000),
                });
            }
            if items.is_empty() {
                return Err(OrderError::InvalidRequest {
                    message: "name at least one order line to return".into(),
                });
            }
            for item in items {
                let Some(line) = order.items.iter().find(|l| l.line == item.line) else {
                    return Err(OrderError::InvalidRequest {
                        message: format!("order {} has no line {}", order.id, item.line),
                    });
                };
                if item.quantity == 0 || item.quantity > line.quantity {
                    return Err(OrderError::InvalidRequest {
                        message: format!(
                            "line {} has {} units; cannot return {}",
                            line.line, line.quantity, item.quantity
                        ),
                    });
                }
                if kind == ReturnKind::Exchange {
                    let wanted = item.exchange_variant_id.as_deref().ok_or_else(|| {
                        OrderError::InvalidRequest {
                            message: format!("line {}: an exchange names the variant wanted", line.line),
                        }
                    })?;
                    let product = product_in(&w.tx, &line.product_id)?;
                    check_stock(&product, wanted, i64::from(item.quantity))?;
                }
            }
            let reason = reason.trim();
            let request = ReturnRequest {
                id: new_id("R"),
                order_id: order.id.clone(),
                kind,
                items: items.to_vec(),
                reason: if reason.is_empty() { "not given".into() } else { reason.into() },
                status: "requested".into(),
                created_at: w.now,
            };
            w.tx.execute(
                "INSERT INTO returns (id, order_id, customer_id, kind, items_json, reason, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    request.id,
                    request.order_id,
                    customer,
                    if kind == ReturnKind::Return { "return" } else { "exchange" },
                    serde_json::to_string(&request.items).unwrap_or_default(),
                    request.reason,
                    request.status,
                    w.now
                ],
            )?;
            w.enqueue("return.requested", &serde_json::json!({ "customer_id": customer, "return": request }), w.now)?;
            event(&w.tx, "return.requested", Some(customer), &serde_json::json!({"order_id": order.id, "return_id": request.id}), w.now)?;
            Ok(request)
        })
    }

    /// The customer's return requests, newest first.
    pub fn returns(&self, customer: &str) -> Result<Vec<ReturnRequest>, OrderError> {
        self.read(|tx, _| {
            let mut stmt = tx.prepare(
                "SELECT id, order_id, kind, items_json, reason, status, created_at FROM returns
                 WHERE customer_id = ?1 ORDER BY created_at DESC, id DESC",
            )?;
            let rows = stmt.query_map(params![customer], |r| {
                Ok(ReturnRequest {
                    id: r.get(0)?,
                    order_id: r.get(1)?,
                    kind: if r.get::<_, String>(2)? == "exchange" {
                        ReturnKind::Exchange
                    } else {
                        ReturnKind::Return
                    },
                    items: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
                    reason: r.get(4)?,
                    status: r.get(5)?,
                    created_at: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Puts a past order's lines into the cart at today's prices and stock, and says
    /// what changed.
    pub fn reorder(&self, customer: &str, order_id: &str) -> Result<Reorder, OrderError> {
        let max = self.config.max_quantity;
        self.write(|w| {
            ensure_customer(&w.tx, customer, w.now)?;
            let order = load_order(&w.tx, Some(customer), order_id)?;
            let mut changes = Vec::new();
            for item in &order.items {
                let product = match stored_product(&w.tx, &item.product_id)? {
                    Some(p) if p.variant(&item.variant_id).is_some() => p,
                    _ => {
                        changes.push(ReorderChange::NoLongerSold {
                            product_id: item.product_id.clone(),
                            title: item.title.clone(),
                        });
                        continue;
                    }
                };
                let available = product.variant(&item.variant_id).map_or(0, |v| v.stock);
                let in_cart: i64 = w
                    .tx
                    .query_row(
                        "SELECT quantity FROM cart_items WHERE customer_id = ?1 AND product_id = ?2 AND variant_id = ?3",
                        params![customer, item.product_id, item.variant_id],
                        |r| r.get(0),
                    )
                    .optional()?
                    .unwrap_or(0);
                let wanted = (in_cart + i64::from(item.quantity)).min(i64::from(max));
                let quantity = wanted.min(i64::from(available));
                if quantity <= in_cart {
                    if available == 0 {
                        changes.push(ReorderChange::OutOfStock {
                            product_id: item.product_id.clone(),
                            title: item.title.clone(),
                        });
                    }
                    continue;
                }
                if quantity < wanted {
                    changes.push(ReorderChange::QuantityReduced {
                        product_id: item.product_id.clone(),
                        title: item.title.clone(),
                        wanted: (wanted - in_cart) as u32,
                        available: (quantity - in_cart) as u32,
                    });
                }
                let price = unit_price(&product, &item.variant_id);
                if price != item.unit_price {
                    changes.push(ReorderChange::PriceChanged {
                        product_id: item.product_id.clone(),
                        title: item.title.clone(),
                        was: item.unit_price,
                        now: price,
                    });
                }
                w.tx.execute(
                    "INSERT INTO cart_items (customer_id, product_id, variant_id, quantity, price_when_added, added_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (customer_id, product_id, variant_id) DO UPDATE SET quantity = excluded.quantity",
                    params![customer, item.product_id, item.variant_id, quantity, price, w.now],
                )?;
            }
            event(&w.tx, "order.reorder", Some(customer), &serde_json::json!({"order_id": order.id}), w.now)?;
            Ok(Reorder {
                cart: load_cart(&w.tx, customer)?,
                changes,
            })
        })
    }

    /// Records feedback: a rating 1–5 or an NPS 0–10, with an optional comment.
    pub fn feedback(
        &self,
        customer: Option<&str>,
        session: Option<&str>,
        feedback: &Feedback,
    ) -> Result<(), OrderError> {
        let (kind, score, comment, range) = match feedback {
            Feedback::Rating { score, comment } => ("rating", *score, comment, 1..=5),
            Feedback::Nps { score, comment } => ("nps", *score, comment, 0..=10),
        };
        if !range.contains(&score) {
            return Err(OrderError::InvalidRequest {
                message: format!(
                    "a {kind} is between {} and {}, got {score}",
                    range.start(),
                    range.end()
                ),
            });
        }
        self.write(|w| {
            w.tx.execute(
                "INSERT INTO feedback (customer_id, session_id, kind, score, comment, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![customer, session, kind, score, comment, w.now],
            )?;
            Ok(())
        })
    }

    /// Consumables due again: for each variant the customer ordered (not cancelled)
    /// whose product has a reorder interval, the last order time plus that interval,
    /// when it has passed.
    pub fn reminders(&self, customer: &str) -> Result<Vec<Reminder>, OrderError> {
        self.read(|tx, now| {
            let mut stmt = tx.prepare(
                "SELECT i.product_id, i.variant_id, i.title, MAX(o.created_at)
                 FROM orders o JOIN order_items i ON i.order_id = o.id
                 WHERE o.customer_id = ?1 AND o.status != 'cancelled'
                 GROUP BY i.product_id, i.variant_id",
            )?;
            let rows: Vec<(String, String, String, Millis)> = stmt
                .query_map(params![customer], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<Result<_, _>>()?;
            let mut due = Vec::new();
            for (product_id, variant_id, title, last) in rows {
                let Some(days) =
                    stored_product(tx, &product_id)?.and_then(|p| p.reorder_interval_days)
                else {
                    continue;
                };
                let due_at = last + i64::from(days) * 24 * 3600 * 1000;
                if due_at <= now {
                    due.push(Reminder {
                        product_id,
                        variant_id,
                        title,
                        last_ordered_at: last,
                        due_at,
                    });
                }
            }
            due.sort_by_key(|r| r.due_at);
            Ok(due)
        })
    }

    /// Records an analytics event and, for the kinds the shop subscribes to
    /// (`handoff.requested`), queues the webhook in the same transaction.
    pub fn record_event(
        &self,
        kind: &str,
        customer: Option<&str>,
        data: &serde_json::Value,
    ) -> Result<(), OrderError> {
        self.write(|w| {
            event(&w.tx, kind, customer, data, w.now)?;
            if webhooks::EVENTS.contains(&kind) {
                w.enqueue(kind, data, w.now)?;
            }
            Ok(())
        })
    }

    /// Runs `op` under an idempotency key: see [`idempotency`] for the rules.
    pub fn idempotent<T>(
        &self,
        customer: &str,
        key: Option<&str>,
        operation: &str,
        request: &serde_json::Value,
        op: impl FnOnce(&Orders) -> Result<T, OrderError>,
    ) -> Result<Idempotent<T>, OrderError>
    where
        T: Serialize + serde::de::DeserializeOwned,
    {
        idempotency::run(self, customer, key, operation, request, op)
    }

    pub(crate) fn shop(&self) -> &Shop {
        &self.shop
    }

    /// This handle, writing no idempotency record.
    fn without_record(&self) -> Orders {
        Orders {
            record: None,
            ..self.clone()
        }
    }

    /// This handle, storing `pending` with its first successful write.
    fn with_record(&self, pending: idempotency::Pending) -> Orders {
        Orders {
            record: Some(Arc::new(std::sync::Mutex::new(Some(pending)))),
            ..self.clone()
        }
    }

    pub(crate) fn in_flight(
        &self,
    ) -> &std::sync::Mutex<std::collections::HashSet<(String, String)>> {
        &self.in_flight
    }
}

// ---- helpers inside a transaction ------------------------------------------------

fn new_id(prefix: &str) -> String {
    let u = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}-{}", &u[..12].to_uppercase())
}

fn ensure_customer(tx: &Connection, customer: &str, now: Millis) -> Result<(), OrderError> {
    let c = customer.trim();
    if c.is_empty() || c.len() > 255 {
        return Err(OrderError::InvalidRequest {
            message: "a customer id has 1 to 255 characters".into(),
        });
    }
    tx.execute(
        "INSERT OR IGNORE INTO customers (id, created_at) VALUES (?1, ?2)",
        params![customer, now],
    )?;
    Ok(())
}

fn event(
    tx: &Connection,
    kind: &str,
    customer: Option<&str>,
    data: &serde_json::Value,
    now: Millis,
) -> Result<(), OrderError> {
    tx.execute(
        "INSERT INTO events (kind, customer_id, data_json, at) VALUES (?1, ?2, ?3, ?4)",
        params![kind, customer, data.to_string(), now],
    )?;
    Ok(())
}

fn bump_generation(tx: &Connection) -> Result<(), OrderError> {
    tx.execute(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'catalog_generation'",
        [],
    )?;
    Ok(())
}

fn stored_product(tx: &Connection, id: &str) -> Result<Option<Product>, OrderError> {
    Ok(crate::store::read_product(tx, id)?)
}

fn product_in(tx: &Connection, id: &str) -> Result<Product, OrderError> {
    stored_product(tx, id)?.ok_or_else(|| OrderError::UnknownProduct {
        product_id: id.to_string(),
    })
}

/// The product and variant an action names, both checked to exist.
fn resolve_action(tx: &Connection, action: &CartAction) -> Result<(Product, String), OrderError> {
    let product = product_in(tx, action.product_id.trim())?;
    let variant_id = match action.variant_id.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => {
            if product.variant(v).is_none() {
                return Err(OrderError::UnknownVariant {
                    product_id: product.id.clone(),
                    variant_id: v.to_string(),
                });
            }
            v.to_string()
        }
        _ if product.variants.len() == 1 => product.variants[0].id.clone(),
        _ => {
            let options = product
                .variants
                .iter()
                .map(|v| {
                    let mut label = vec![v.id.as_str()];
                    label.extend(v.size.as_deref());
                    label.extend(v.color.as_deref());
                    label.join(" ")
                })
                .collect::<Vec<_>>()
                .join(", ");
            return Err(OrderError::VariantRequired {
                product_id: product.id.clone(),
                options,
            });
        }
    };
    Ok((product, variant_id))
}

fn check_quantity(quantity: i64, max: u32) -> Result<u32, OrderError> {
    if quantity < 1 || quantity > i64::from(max) {
        return Err(OrderError::InvalidQuantity { quantity, max });
    }
    Ok(quantity as u32)
}

fn check_stock(product: &Product, variant_id: &str, quantity: i64) -> Result<(), OrderError> {
    let available = product.variant(variant_id).map_or(0, |v| v.stock);
    if i64::from(available) < quantity {
        return Err(OrderError::OutOfStock {
            product_id: product.id.clone(),
            variant_id: variant_id.to_string(),
            title: product.title.clone(),
            available,
        });
    }
    Ok(())
}

/// What a unit costs now: the variant's own price, else the sale price, else the price.
fn unit_price(product: &Product, variant_id: &str) -> i64 {
    product
        .variant(variant_id)
        .and_then(|v| v.price)
        .or(product.sale_price)
        .unwrap_or(product.price)
}

fn remove_line(
    tx: &Connection,
    customer: &str,
    product_id: &str,
    variant_id: &str,
) -> Result<(), OrderError> {
    let n = tx.execute(
        "DELETE FROM cart_items WHERE customer_id = ?1 AND product_id = ?2 AND variant_id = ?3",
        params![customer, product_id, variant_id],
    )?;
    if n == 0 {
        return Err(OrderError::NotInCart {
            product_id: product_id.to_string(),
            variant_id: variant_id.to_string(),
        });
    }
    Ok(())
}

/// The cart priced from the catalogue now. Lines whose product or variant is gone are
/// deleted and named in `removed`.
fn load_cart(tx: &Connection, customer: &str) -> Result<Cart, OrderError> {
    let rows: Vec<(String, String, u32, i64)> = {
        let mut stmt = tx.prepare(
            "SELECT product_id, variant_id, quantity, price_when_added FROM cart_items
             WHERE customer_id = ?1 ORDER BY added_at, product_id, variant_id",
        )?;
        let rows = stmt.query_map(params![customer], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let mut cart = Cart::default();
    for (product_id, variant_id, quantity, price_when_added) in rows {
        let product = stored_product(tx, &product_id)?;
        let Some((product, variant)) = product
            .as_ref()
            .and_then(|p| Some((p, p.variant(&variant_id)?)))
        else {
            tx.execute(
                "DELETE FROM cart_items WHERE customer_id = ?1 AND product_id = ?2 AND variant_id = ?3",
                params![customer, product_id, variant_id],
            )?;
            cart.removed.push(product_id);
            continue;
        };
        let unit = unit_price(product, &variant_id);
        cart.currency = product.currency.clone();
        let line_total = line_total(unit, quantity)?;
        cart.total = add_amounts(cart.total, line_total)?;
        cart.items.push(CartLine {
            product_id,
            variant_id,
            title: product.title.clone(),
            size: variant.size.clone(),
            color: variant.color.clone(),
            quantity,
            unit_price: unit,
            price_when_added,
            line_total,
            available: variant.stock,
        });
    }
    if cart.currency.is_empty() {
        cart.currency = "EUR".into();
    }
    Ok(cart)
}

/// `unit × quantity`, or `amount_out_of_range` past `i64` (or the price cap's reach).
pub(crate) fn line_total(unit: i64, quantity: u32) -> Result<i64, OrderError> {
    unit.checked_mul(i64::from(quantity))
        .filter(|t| *t >= 0)
        .ok_or_else(|| OrderError::AmountOutOfRange {
            what: format!("{unit} × {quantity}"),
        })
}

/// `a + b`, or `amount_out_of_range` past `i64`.
pub(crate) fn add_amounts(a: i64, b: i64) -> Result<i64, OrderError> {
    a.checked_add(b)
        .filter(|t| *t >= 0)
        .ok_or_else(|| OrderError::AmountOutOfRange {
            what: format!("{a} + {b}"),
        })
}

/// What a proposal is bound to: the customer, each line's ids, quantity, current unit
/// price and whether its stock covers it, and the total.
fn cart_hash(customer: &str, cart: &Cart) -> String {
    let mut h = Sha256::new();
    h.update(customer.as_bytes());
    h.update([0]);
    for l in &cart.items {
        h.update(
            format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\n",
                l.product_id,
                l.variant_id,
                l.quantity,
                l.unit_price,
                l.available >= l.quantity
            )
            .as_bytes(),
        );
    }
    h.update(format!("{}{}", cart.total, cart.currency).as_bytes());
    hex::encode(h.finalize())
}

fn propose(
    tx: &Connection,
    customer: &str,
    now: Millis,
    ttl: Millis,
) -> Result<Proposal, OrderError> {
    let cart = load_cart(tx, customer)?;
    if cart.items.is_empty() {
        return Err(OrderError::CartEmpty);
    }
    if let Some(l) = cart.items.iter().find(|l| l.available < l.quantity) {
        return Err(OrderError::OutOfStock {
            product_id: l.product_id.clone(),
            variant_id: l.variant_id.clone(),
            title: l.title.clone(),
            available: l.available,
        });
    }
    let currencies: std::collections::BTreeSet<&str> = {
        let mut s = std::collections::BTreeSet::new();
        for l in &cart.items {
            if let Some(p) = stored_product(tx, &l.product_id)? {
                s.insert(if p.currency == cart.currency {
                    cart.currency.as_str()
                } else {
                    "mixed"
                });
            }
        }
        s
    };
    if currencies.contains("mixed") {
        return Err(OrderError::InvalidRequest {
            message: "the cart mixes currencies; check out one currency at a time".into(),
        });
    }
    let token = format!("ct_{}", uuid::Uuid::new_v4().simple());
    let expires_at = now + ttl;
    tx.execute(
        "INSERT INTO proposals (token, customer_id, cart_hash, total, currency, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![token, customer, cart_hash(customer, &cart), cart.total, cart.currency, now, expires_at],
    )?;
    Ok(Proposal {
        token,
        items: cart.items,
        total: cart.total,
        currency: cart.currency,
        expires_at,
    })
}

/// Places the proposed order. When the cart no longer matches the proposal it sets
/// `changed` and fails, so the transaction rolls back; [`Orders::confirm`] then answers
/// [`OrderError::CartChanged`] with a fresh proposal.
fn confirm_in(
    w: &mut Write<'_>,
    customer: &str,
    token: &str,
    changed: &std::cell::Cell<bool>,
) -> Result<Order, OrderError> {
    let row: Option<(String, i64, Millis, Option<String>)> = w
        .tx
        .query_row(
            "SELECT cart_hash, total, expires_at, order_id FROM proposals WHERE token = ?1 AND customer_id = ?2",
            params![token, customer],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((hash, total, expires_at, order_id)) = row else {
        return Err(OrderError::ConfirmationUnknown);
    };
    if let Some(order_id) = order_id {
        return Err(OrderError::ConfirmationUsed { order_id });
    }
    if w.now > expires_at {
        return Err(OrderError::ConfirmationExpired);
    }
    let cart = load_cart(&w.tx, customer)?;
    if cart.items.is_empty() || cart_hash(customer, &cart) != hash || cart.total != total {
        changed.set(true);
        return Err(OrderError::Internal {
            message: "cart changed".into(),
        });
    }
    let order_id = new_id("O");
    w.tx.execute(
        "INSERT INTO orders (id, customer_id, status, total, currency, created_at, updated_at)
         VALUES (?1, ?2, 'placed', ?3, ?4, ?5, ?5)",
        params![order_id, customer, cart.total, cart.currency, w.now],
    )?;
    for (i, l) in cart.items.iter().enumerate() {
        change_stock(
            w,
            &l.product_id,
            &l.variant_id,
            StockChange::Remove(l.quantity),
        )?;
        w.tx.execute(
            "INSERT INTO order_items (order_id, line, product_id, variant_id, title, size, color, quantity, unit_price)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![order_id, (i + 1) as i64, l.product_id, l.variant_id, l.title, l.size, l.color, l.quantity, l.unit_price],
        )?;
    }
    w.tx.execute(
        "INSERT INTO order_history (order_id, status, at) VALUES (?1, 'placed', ?2)",
        params![order_id, w.now],
    )?;
    w.tx.execute(
        "DELETE FROM cart_items WHERE customer_id = ?1",
        params![customer],
    )?;
    w.tx.execute(
        "UPDATE proposals SET order_id = ?2 WHERE token = ?1",
        params![token, order_id],
    )?;
    let order = load_order(&w.tx, Some(customer), &order_id)?;
    w.enqueue(
        "order.placed",
        &serde_json::json!({ "order": order }),
        w.now,
    )?;
    event(
        &w.tx,
        "order.placed",
        Some(customer),
        &serde_json::json!({"order_id": order_id, "total": order.total}),
        w.now,
    )?;
    Ok(order)
}

enum StockChange {
    Add(u32),
    /// Fails with out_of_stock when fewer are left.
    Remove(u32),
    /// Floors at zero.
    RemoveUpTo(u32),
}

/// Changes a variant's stock in its product row; returns the new stock.
fn change_stock(
    w: &mut Write<'_>,
    product_id: &str,
    variant_id: &str,
    change: StockChange,
) -> Result<u32, OrderError> {
    // An archived product (off sale, kept for its orders) still counts its stock:
    // a cancelled order's units go back onto the archived row, out of search.
    let Some(mut product) = crate::store::read_product_any(&w.tx, product_id)? else {
        if let StockChange::Add(_) = change {
            // Deleted before archiving existed: nothing to put the units back on; the
            // cancellation or return itself must still go through.
            tracing::warn!(product_id, "stock not returned: the product is gone");
            return Ok(0);
        }
        return Err(OrderError::UnknownProduct {
            product_id: product_id.to_string(),
        });
    };
    let title = product.title.clone();
    let Some(variant) = product.variants.iter_mut().find(|v| v.id == variant_id) else {
        return Err(OrderError::UnknownVariant {
            product_id: product_id.to_string(),
            variant_id: variant_id.to_string(),
        });
    };
    variant.stock = match change {
        StockChange::Add(n) => variant.stock.saturating_add(n),
        StockChange::Remove(n) if n > variant.stock => {
            return Err(OrderError::OutOfStock {
                product_id: product_id.to_string(),
                variant_id: variant_id.to_string(),
                title,
                available: variant.stock,
            })
        }
        StockChange::Remove(n) => variant.stock - n,
        StockChange::RemoveUpTo(n) => variant.stock.saturating_sub(n),
    };
    let stock = variant.stock;
    let json = serde_json::to_string(&product).map_err(|e| OrderError::Internal {
        message: e.to_string(),
    })?;
    w.tx.execute(
        "UPDATE products SET json = ?2 WHERE id = ?1",
        params![product_id, json],
    )?;
    if !w.touched.iter().any(|t| t == product_id) {
        w.touched.push(product_id.to_string());
    }
    Ok(stock)
}

fn set_status(
    tx: &Connection,
    order_id: &str,
    status: OrderStatus,
    note: Option<&str>,
    now: Millis,
) -> Result<(), OrderError> {
    tx.execute(
        "UPDATE orders SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![order_id, status.as_str(), now],
    )?;
    tx.execute(
        "INSERT INTO order_history (order_id, status, at, note) VALUES (?1, ?2, ?3, ?4)",
        params![order_id, status.as_str(), now, note],
    )?;
    Ok(())
}

/// An order with its lines and history; with `customer` set, only if it is theirs.
fn load_order(
    tx: &Connection,
    customer: Option<&str>,
    order_id: &str,
) -> Result<Order, OrderError> {
    let unknown = || OrderError::UnknownOrder {
        order_id: order_id.to_string(),
    };
    let row = tx
        .query_row(
            "SELECT id, customer_id, status, total, currency, tracking, created_at, delivered_at
             FROM orders WHERE id = ?1 AND (?2 IS NULL OR customer_id = ?2)",
            params![order_id, customer],
            |r| {
                Ok(Order {
                    id: r.get(0)?,
                    customer_id: r.get(1)?,
                    status: OrderStatus::parse(&r.get::<_, String>(2)?),
                    items: Vec::new(),
                    total: r.get(3)?,
                    currency: r.get(4)?,
                    tracking: r.get(5)?,
                    created_at: r.get(6)?,
                    delivered_at: r.get(7)?,
                    history: Vec::new(),
                })
            },
        )
        .optional()?;
    let mut order = row.ok_or_else(unknown)?;
    let mut stmt = tx.prepare_cached(
        "SELECT line, product_id, variant_id, title, size, color, quantity, unit_price
         FROM order_items WHERE order_id = ?1 ORDER BY line",
    )?;
    order.items = stmt
        .query_map(params![order.id], |r| {
            Ok(OrderLine {
                line: r.get(0)?,
                product_id: r.get(1)?,
                variant_id: r.get(2)?,
                title: r.get(3)?,
                size: r.get(4)?,
                color: r.get(5)?,
                quantity: r.get(6)?,
                unit_price: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = tx.prepare_cached(
        "SELECT status, at, note FROM order_history WHERE order_id = ?1 ORDER BY rowid",
    )?;
    order.history = stmt
        .query_map(params![order.id], |r| {
            Ok(StatusChange {
                status: OrderStatus::parse(&r.get::<_, String>(0)?),
                at: r.get(1)?,
                note: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(order)
}
