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

use hmac::{Hmac, Mac};
use rusqlite::{params, Connection};
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
    tx: &Connection,
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
        let count = |sql: &str| -> Result<u64, OrderError> {
            Ok(conn.query_row(sql, params![MAX_ATTEMPTS], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(OutboxCounts {
            pending: count("SELECT COUNT(*) FROM webhook_outbox WHERE delivered_at IS NULL AND attempts < ?1")?,
            delivered: count("SELECT COUNT(*) FROM webhook_outbox WHERE delivered_at IS NOT NULL AND ?1 IS NOT NULL")?,
            failed: count("SELECT COUNT(*) FROM webhook_outbox WHERE delivered_at IS NULL AND attempts >= ?1")?,
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
        let due: Vec<(String, String, String, i64)> = {
            let lock = self.shop().store();
            let mut store = lock.borrow_mut();
            let conn = store.conn();
            let mut stmt = conn.prepare(
                "SELECT id, event, body, attempts FROM webhook_outbox
                 WHERE delivered_at IS NULL AND attempts < ?1 AND next_attempt_at <= ?2
                 ORDER BY created_at, id LIMIT 100",
            )?;
            let rows = stmt.query_map(params![MAX_ATTEMPTS, now], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            rows.collect::<Result<_, _>>()?
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
