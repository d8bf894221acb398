//! Idempotency keys for mutating operations, after Stripe's `Idempotency-Key` and the
//! IETF httpapi Idempotency-Key draft:
//!
//! - A key is scoped to the customer: customer B reusing customer A's key is a
//!   different record and never sees A's response.
//! - Keys have 1 to 255 characters.
//! - The same key with the same operation and payload answers the stored first
//!   response again, errors included (except internal errors, which are not stored, so
//!   a retry after one runs the operation again).
//! - The same key with a different operation or payload is `idempotency_key_reused`.
//! - The same key while the first request still runs is `idempotency_key_in_flight`.
//! - Order-placing operations ([`KEY_REQUIRED`]) refuse to run without a key.
//! - A successful operation writes its record in the same transaction as its effect,
//!   so a crash leaves either both or neither.
//! - Records are kept [`IDEMPOTENCY_RETENTION_MS`] (24 h), then pruned.
//! - With a database shared by several daemons (PostgreSQL) the key is claimed in the
//!   database before the operation runs (a record with an empty response), so the same
//!   key sent to another daemon meanwhile is `idempotency_key_in_flight` there too, and
//!   after the first answer it replays that answer. A claim left by a daemon killed
//!   mid-operation is taken over after [`CLAIM_STALE_MS`].

use crate::store::sql::{params, Conn, Dialect, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Millis, OrderError, Orders};

/// Longest key accepted.
pub const IDEMPOTENCY_KEY_MAX: usize = 255;

/// How long a record is kept.
pub const IDEMPOTENCY_RETENTION_MS: Millis = 24 * 3600 * 1000;

/// How long a claim without an answer holds a key against other daemons.
pub const CLAIM_STALE_MS: Millis = 60_000;

/// Operations that place or change orders and must carry a key.
pub const KEY_REQUIRED: &[&str] = &["checkout.confirm"];

/// An operation's answer, and whether it was replayed from the record.
#[derive(Debug, Clone, PartialEq)]
pub struct Idempotent<T> {
    pub value: T,
    pub replayed: bool,
}

/// The record an operation will store with its first successful write.
pub(crate) struct Pending {
    customer: String,
    key: String,
    operation: String,
    request_hash: String,
}

impl Pending {
    pub(crate) fn store<T: Serialize>(
        &self,
        tx: &Conn,
        response: &Result<T, OrderError>,
        now: Millis,
    ) -> Result<(), OrderError> {
        let json = serde_json::to_string(response).map_err(|e| OrderError::Internal {
            message: e.to_string(),
        })?;
        tx.execute(
            "INSERT INTO idempotency (customer_id, key, operation, request_hash, response_json, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (customer_id, key) DO UPDATE SET operation = excluded.operation,
                request_hash = excluded.request_hash, response_json = excluded.response_json,
                created_at = excluded.created_at",
            params![self.customer, self.key, self.operation, self.request_hash, json, now],
        )?;
        Ok(())
    }
}

/// Removes the key from the in-flight set when the operation ends, however it ends.
struct InFlight<'a> {
    orders: &'a Orders,
    id: (String, String),
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Ok(mut set) = self.orders.in_flight().lock() {
            set.remove(&self.id);
        }
    }
}

fn request_hash(operation: &str, request: &serde_json::Value) -> String {
    // serde_json's Value keeps object keys sorted, so equal payloads hash equal.
    let mut h = Sha256::new();
    h.update(operation.as_bytes());
    h.update([0]);
    h.update(request.to_string().as_bytes());
    hex::encode(h.finalize())
}

pub(crate) fn run<T>(
    orders: &Orders,
    customer: &str,
    key: Option<&str>,
    operation: &str,
    request: &serde_json::Value,
    op: impl FnOnce(&Orders) -> Result<T, OrderError>,
) -> Result<Idempotent<T>, OrderError>
where
    T: Serialize + DeserializeOwned,
{
    let Some(key) = key else {
        if KEY_REQUIRED.contains(&operation) {
            return Err(OrderError::IdempotencyKeyMissing);
        }
        return op(orders).map(|value| Idempotent {
            value,
            replayed: false,
        });
    };
    if key.is_empty() || key.len() > IDEMPOTENCY_KEY_MAX {
        return Err(OrderError::InvalidRequest {
            message: format!("an Idempotency-Key has 1 to {IDEMPOTENCY_KEY_MAX} characters"),
        });
    }
    let id = (customer.to_string(), key.to_string());
    {
        let mut set = orders.in_flight().lock().unwrap_or_else(|p| p.into_inner());
        if !set.insert(id.clone()) {
            return Err(OrderError::IdempotencyKeyInFlight);
        }
    }
    let _guard = InFlight { orders, id };
    let hash = request_hash(operation, request);
    prune(orders)?;
    let claimed = claim(orders, customer, key, operation, &hash)?;

    let stored: Option<(String, String, String)> = {
        let lock = orders.shop().store();
        let mut store = lock.borrow_mut();
        store
            .conn()
            .query_row(
                "SELECT operation, request_hash, response_json FROM idempotency WHERE customer_id = ?1 AND key = ?2",
                params![customer, key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
    };
    if let Some((stored_op, stored_hash, response)) = stored.filter(|_| !claimed) {
        if response.is_empty() {
            // Another daemon's claim, still fresh (see `claim`).
            return Err(OrderError::IdempotencyKeyInFlight);
        }
        if stored_op != operation || stored_hash != hash {
            return Err(OrderError::IdempotencyKeyReused);
        }
        let response: Result<T, OrderError> =
            serde_json::from_str(&response).map_err(|e| OrderError::Internal {
                message: format!("stored idempotent response does not parse: {e}"),
            })?;
        return response.map(|value| Idempotent {
            value,
            replayed: true,
        });
    }

    let pending = Pending {
        customer: customer.to_string(),
        key: key.to_string(),
        operation: operation.to_string(),
        request_hash: hash,
    };
    let scoped = orders.with_record(pending);
    let unstored = |scoped: &Orders| {
        scoped
            .record
            .as_ref()
            .is_some_and(|r| r.lock().is_ok_and(|p| p.is_some()))
    };
    match op(&scoped) {
        Ok(value) => {
            if claimed && unstored(&scoped) {
                // Nothing was written, so nothing is remembered: free the key.
                release(orders, customer, key)?;
            }
            Ok(Idempotent {
                value,
                replayed: false,
            })
        }
        // Not answers to remember: a retry runs the operation again.
        Err(e @ (OrderError::Internal { .. } | OrderError::DatabaseUnavailable { .. })) => {
            if claimed {
                release(orders, customer, key)?;
            }
            Err(e)
        }
        Err(e) => {
            // The operation's own transaction rolled back; the refusal is the answer
            // to remember. If the record was already written (a later step failed after
            // the first write), keep that one.
            if let Some(pending) = scoped.record.as_ref().and_then(|r| r.lock().ok()?.take()) {
                let lock = orders.shop().store();
                let mut store = lock.borrow_mut();
                let tx = store.conn().savepoint()?;
                pending.store::<T>(&tx, &Err(e.clone()), orders.now())?;
                tx.commit()?;
            }
            Err(e)
        }
    }
}

/// Claims the key in a shared database (PostgreSQL): a record with an empty response,
/// committed at once so other daemons see it. Returns whether this call holds the
/// claim; `false` with SQLite, where the in-process set is the whole truth. A claim
/// older than [`CLAIM_STALE_MS`] (its daemon died) is taken over.
fn claim(
    orders: &Orders,
    customer: &str,
    key: &str,
    operation: &str,
    hash: &str,
) -> Result<bool, OrderError> {
    let lock = orders.shop().store();
    let mut store = lock.borrow_mut();
    let conn = store.conn();
    if conn.dialect() != Dialect::Postgres {
        return Ok(false);
    }
    let now = orders.now();
    let inserted = conn.execute(
        "INSERT INTO idempotency (customer_id, key, operation, request_hash, response_json, created_at)
         VALUES (?1, ?2, ?3, ?4, '', ?5) ON CONFLICT (customer_id, key) DO NOTHING",
        params![customer, key, operation, hash, now],
    )?;
    if inserted == 1 {
        return Ok(true);
    }
    let taken_over = conn.execute(
        "UPDATE idempotency SET operation = ?3, request_hash = ?4, created_at = ?5
         WHERE customer_id = ?1 AND key = ?2 AND response_json = '' AND created_at < ?6",
        params![customer, key, operation, hash, now, now - CLAIM_STALE_MS],
    )?;
    Ok(taken_over == 1)
}

/// Drops this call's claim when there is no answer to keep.
fn release(orders: &Orders, customer: &str, key: &str) -> Result<(), OrderError> {
    let lock = orders.shop().store();
    let mut store = lock.borrow_mut();
    store.conn().execute(
        "DELETE FROM idempotency WHERE customer_id = ?1 AND key = ?2 AND response_json = ''",
        params![customer, key],
    )?;
    Ok(())
}

/// Deletes records older than the retention, at most once a minute.
fn prune(orders: &Orders) -> Result<(), OrderError> {
    use std::sync::atomic::{AtomicI64, Ordering};
    static LAST: AtomicI64 = AtomicI64::new(0);
    let now = orders.now();
    let last = LAST.load(Ordering::Relaxed);
    if now - last < 60_000 && now >= last {
        return Ok(());
    }
    LAST.store(now, Ordering::Relaxed);
    let lock = orders.shop().store();
    let mut store = lock.borrow_mut();
    store.conn().execute(
        "DELETE FROM idempotency WHERE created_at < ?1",
        params![now - IDEMPOTENCY_RETENTION_MS],
    )?;
    Ok(())
}
