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

mod cart;
mod checkout;
mod error;
mod history;
mod idempotency;
pub mod retention;
pub mod sessions;
pub mod stats;
mod types;
pub mod webhooks;

use std::sync::Arc;

use crate::store::sql::{params, Conn, OptionalExtension, Tx};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::catalog::Product;
use crate::shop::{Shop, ShopError};
use crate::store::StoreError;

use cart::*;
use checkout::*;
use history::*;

pub use error::OrderError;
pub use idempotency::{Idempotent, IDEMPOTENCY_KEY_MAX, IDEMPOTENCY_RETENTION_MS};
pub use types::*;

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

impl OrdersConfig {
    /// The order rules' limits from the daemon's settings.
    pub fn from_config(config: &crate::config::Config) -> OrdersConfig {
        OrdersConfig {
            max_quantity: config.max_quantity,
            confirmation_ttl_ms: config.confirmation_ttl_secs as i64 * 1000,
            return_window_ms: config.return_window_days as i64 * DAY_MS,
            webhooks: config.webhook_url.is_some(),
            retention_ms: config.retention_days as i64 * DAY_MS,
        }
    }
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
    tx: Tx<'a>,
    now: Millis,
    touched: Vec<String>,
    /// The catalogue generation this write moved to, once it changed a product.
    generation: Option<u64>,
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
                    generation: None,
                    webhooks: self.config.webhooks,
                };
                let value = f(&mut w)?;
                if let Some(pending) = self.record.as_ref().and_then(|r| r.lock().ok()?.take()) {
                    pending.store(&w.tx, &Ok::<_, OrderError>(&value), now)?;
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
        f: impl FnOnce(&Conn, Millis) -> Result<T, OrderError>,
    ) -> Result<T, OrderError> {
        let lock = self.shop.store();
        let mut store = lock.borrow_mut();
        let now = self.now();
        let sp = store.conn().savepoint()?;
        f(&sp, now)
    }
}

// ---- events, idempotency and the handle's own plumbing --------------------------

impl Orders {
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

pub(super) fn new_id(prefix: &str) -> String {
    let u = uuid::Uuid::new_v4().simple().to_string();
    format!("{prefix}-{}", &u[..12].to_uppercase())
}

pub(super) fn ensure_customer(tx: &Conn, customer: &str, now: Millis) -> Result<(), OrderError> {
    let c = customer.trim();
    if c.is_empty() || c.len() > 255 {
        return Err(OrderError::InvalidRequest {
            message: "a customer id has 1 to 255 characters".into(),
        });
    }
    tx.execute(
        "INSERT INTO customers (id, created_at) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
        params![customer, now],
    )?;
    lock_customer(tx, customer)
}

/// Locks the customer's row until the write ends, on PostgreSQL: a customer's cart
/// and checkout change one at a time across daemons (two adds each count the other's
/// units; a confirmation never clears a line added meanwhile). SQLite's write
/// transaction already holds the whole database.
pub(super) fn lock_customer(tx: &Conn, customer: &str) -> Result<(), OrderError> {
    if tx.dialect() == crate::store::sql::Dialect::Postgres {
        tx.query_all(
            "SELECT id FROM customers WHERE id = ?1 FOR UPDATE",
            params![customer],
        )?;
    }
    Ok(())
}

pub(super) fn event(
    tx: &Conn,
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

pub(super) fn stored_product(tx: &Conn, id: &str) -> Result<Option<Product>, OrderError> {
    Ok(crate::store::read_product(tx, id)?)
}

pub(super) fn product_in(tx: &Conn, id: &str) -> Result<Product, OrderError> {
    stored_product(tx, id)?.ok_or_else(|| OrderError::UnknownProduct {
        product_id: id.to_string(),
    })
}
