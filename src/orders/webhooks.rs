//! Webhooks to the shop: `order.placed`, `order.cancelled`, `return.requested`,
//! `handoff.requested`.
//!
//! Every event is written to the `webhook_outbox` table in the same transaction as the
//! change it reports, so nothing acknowledged is lost; a [`Dispatcher`] thread posts
//! due rows and marks them delivered on a 2xx answer. A failed delivery is retried
//! with exponential backoff (base × 2^attempt, at most an hour) up to
//! [`MAX_ATTEMPTS`]; a restart resumes from the table. Delivery is at least once: the
//! body's `id` (also the `X-Shopassist-Delivery` header) is stable across retries, so a
//! receiver drops repeats by id.
//!
//! The body is signed: `X-Shopassist-Signature: t=<unix seconds>,v1=<hex>` where hex is
//! HMAC-SHA256 with the configured secret over `"<t>.<body>"` (Stripe's scheme, so a
//! receiver can also reject old replays by `t`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::store::sql::{params, Conn, Dialect};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{Millis, OrderError, Orders};

/// The events the shop's webhook receives.
pub const EVENTS: &[&str] = &[
    "order.placed",
    "order.cancelled",
    "return.requested",
    "handoff.requested",
];

/// Attempts before a delivery is given up (kept in the table with its last error).
pub const MAX_ATTEMPTS: i64 = 20;

/// How long a taken delivery is left to the daemon posting it before another may
/// try it (see [`Orders::deliver_due`]).
pub const DELIVERY_LEASE_MS: i64 = 60_000;

/// Where and how to deliver.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub url: String,
    pub secret: String,
    /// First retry delay; doubled per attempt.
    pub retry_base: Duration,
}

/// Queues an event for delivery inside the caller's transaction.
pub(crate) fn enqueue(
    tx: &Conn,
    event: &str,
    data: &serde_json::Value,
    now: Millis,
) -> Result<String, OrderError> {
    let id = format!("evt_{}", uuid::Uuid::new_v4().simple());
    let body = serde_json::json!({
        "id": id,
        "event": event,
        "created_at": now,
        "data": data,
    });
    tx.execute(
        "INSERT INTO webhook_outbox (id, event, body, created_at, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![id, event, body.to_string(), now],
    )?;
    Ok(id)
}

/// The signature header's value for `body` at unix time `t`.
pub fn signature(secret: &str, t: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(format!("{t}.{body}").as_bytes());
    format!("t={t},v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Counts of the outbox, for metrics and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxCounts {
    pub pending: u64,
    pub delivered: u64,
    pub failed: u64,
}

impl Orders {
    /// How many webhook deliveries are pending, delivered, given up.
    pub fn outbox_counts(&self) -> Result<OutboxCounts, OrderError> {
        let lock = self.shop().store();
        let mut store = lock.borrow_mut();
        let conn = store.conn();
        let (pending, delivered, failed) = conn.query_row(
            "SELECT
                COUNT(CASE WHEN delivered_at IS NULL AND attempts < ?1 THEN 1 END),
                COUNT(delivered_at),
                COUNT(CASE WHEN delivered_at IS NULL AND attempts >= ?1 THEN 1 END)
             FROM webhook_outbox",
            params![MAX_ATTEMPTS],
            |r| {
                Ok((
                    r.get::<_, i64>(0)? as u64,
                    r.get::<_, i64>(1)? as u64,
                    r.get::<_, i64>(2)? as u64,
                ))
            },
        )?;
        Ok(OutboxCounts {
            pending,
            delivered,
            failed,
        })
    }

    /// Posts every due delivery once; returns how many were delivered. The
    /// [`Dispatcher`] calls this in a loop.
    pub fn deliver_due(
        &self,
        config: &WebhookConfig,
        agent: &ureq::Agent,
    ) -> Result<usize, OrderError> {
        let now = self.now();
        let due: Vec<Due> = {
            let lock = self.shop().store();
            let mut store = lock.borrow_mut();
            let conn = store.conn();
            // Taking a delivery leases it: its next attempt moves past the lease, so
            // another daemon over the same database skips it (PostgreSQL also skips
            // rows another daemon is taking at this moment). A daemon killed while
            // posting leaves the lease to run out, and the delivery is tried again:
            // at least once, with the delivery id for the receiver to drop repeats.
            let mut stmt = conn.prepare(match conn.dialect() {
                Dialect::Sqlite => {
                    "UPDATE webhook_outbox SET next_attempt_at = ?2 + ?3
                     WHERE id IN (SELECT id FROM webhook_outbox
                                  WHERE delivered_at IS NULL AND attempts < ?1 AND next_attempt_at <= ?2
                                  ORDER BY created_at, id LIMIT 100)
                     RETURNING id, event, body, attempts, created_at"
                }
                Dialect::Postgres => {
                    "UPDATE webhook_outbox SET next_attempt_at = ?2 + ?3
                     WHERE delivered_at IS NULL AND attempts < ?1 AND next_attempt_at <= ?2
                       AND id IN (SELECT id FROM webhook_outbox
                                  WHERE delivered_at IS NULL AND attempts < ?1 AND next_attempt_at <= ?2
                                  ORDER BY created_at, id LIMIT 100
                                  FOR UPDATE SKIP LOCKED)
                     RETURNING id, event, body, attempts, created_at"
                }
            })?;
            let rows = stmt.query_map(params![MAX_ATTEMPTS, now, DELIVERY_LEASE_MS], |r| {
                Ok((
                    r.get::<_, i64>(4)?,
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
                ))
            })?;
            let mut due: Vec<(i64, Due)> = rows.collect::<Result<_, _>>()?;
            // RETURNING gives no order; deliver in the order they were queued.
            due.sort_by(|a, b| (a.0, &a.1 .0).cmp(&(b.0, &b.1 .0)));
            due.into_iter().map(|(_, d)| d).collect()
        };
        let mut delivered = 0;
        for (id, event, body, attempts) in due {
            let t = now / 1000;
            let sent = agent
                .post(&config.url)
                .set("Content-Type", "application/json")
                .set("X-Shopassist-Event", &event)
                .set("X-Shopassist-Delivery", &id)
                .set(
                    "X-Shopassist-Signature",
                    &signature(&config.secret, t, &body),
                )
                .send_string(&body);
            let lock = self.shop().store();
            let mut store = lock.borrow_mut();
            let conn = store.conn();
            match sent {
                Ok(_) => {
                    conn.execute(
                        "UPDATE webhook_outbox SET delivered_at = ?2, attempts = attempts + 1, last_error = NULL WHERE id = ?1",
                        params![id, self.now()],
                    )?;
                    delivered += 1;
                }
                Err(e) => {
                    let base = config.retry_base.as_millis() as i64;
                    let delay = base.saturating_mul(1 << attempts.min(20)).min(3_600_000);
                    let message = match e {
                        ureq::Error::Status(code, _) => format!("HTTP {code}"),
                        ureq::Error::Transport(t) => t.to_string(),
                    };
                    tracing::warn!(delivery = %id, %event, attempt = attempts + 1, error = %message, "webhook delivery failed; will retry");
                    conn.execute(
                        "UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3 WHERE id = ?1",
                        params![id, self.now() + delay, message],
                    )?;
                }
            }
        }
        Ok(delivered)
    }
}

/// A delivery taken from the outbox: id, event, body, attempts so far.
type Due = (String, String, String, i64);

/// A background thread delivering the outbox. Stops when dropped.
pub struct Dispatcher {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Dispatcher {
    /// Starts delivering `orders`' outbox to `config.url`, polling every `poll`.
    pub fn spawn(orders: Orders, config: WebhookConfig, poll: Duration) -> Dispatcher {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("webhooks".into())
            .spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(10))
                    .build();
                while !flag.load(Ordering::Relaxed) {
                    if let Err(e) = orders.deliver_due(&config, &agent) {
                        tracing::warn!(error = %e, "webhook outbox");
                    }
                    std::thread::sleep(poll);
                }
            })
            .expect("spawning the webhook thread");
        Dispatcher {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Dispatcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
