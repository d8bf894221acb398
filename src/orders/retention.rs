//! Retention: what the daemon keeps, and for how long.
//!
//! Orders, their lines and history, returns and feedback are the shop's records and
//! are kept for good. Everything that only serves a conversation or a delivery is
//! pruned once it is past its use: sessions and their transcripts (and guests'
//! carts) not touched for `retention_days`, analytics events older than that,
//! checkout proposals a day after they expired, idempotency records after 24 hours,
//! and webhook deliveries once delivered (or given up) for `retention_days`.

use crate::store::sql::params;
use serde::Serialize;

use super::{Millis, OrderError, Orders, DAY_MS};

/// What one pruning pass deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Pruned {
    pub sessions: usize,
    pub transcript_lines: usize,
    pub guest_cart_lines: usize,
    pub events: usize,
    pub proposals: usize,
    pub idempotency_records: usize,
    pub webhook_deliveries: usize,
}

/// The advisory lock key pruning runs under on PostgreSQL ("shopprf" and a byte).
const PRUNE_LOCK: i64 = 0x73686f7070727566;

impl Pruned {
    pub fn total(&self) -> usize {
        self.sessions
            + self.transcript_lines
            + self.guest_cart_lines
            + self.events
            + self.proposals
            + self.idempotency_records
            + self.webhook_deliveries
    }
}

impl Orders {
    /// Deletes what is past its use (see the module documentation), in one
    /// transaction. The daemon runs it at start and then every hour.
    pub fn prune(&self) -> Result<Pruned, OrderError> {
        let retention = self.config().retention_ms;
        self.write(|w| {
            let cutoff: Millis = w.now - retention;
            let tx = &w.tx;
            if tx.dialect() == crate::store::sql::Dialect::Postgres {
                // Several daemons share the database: one prunes at a time; the others
                // find the lock taken and leave it to that one.
                let mine: bool = tx.query_row(
                    "SELECT pg_try_advisory_xact_lock(?1)",
                    params![PRUNE_LOCK],
                    |r| r.get(0),
                )?;
                if !mine {
                    return Ok(Pruned::default());
                }
            }
            let stale = "SELECT id FROM sessions WHERE updated_at < ?1";
            let transcript_lines = tx.execute(
                &format!("DELETE FROM transcript WHERE session_id IN ({stale})"),
                params![cutoff],
            )?;
            // A guest's cart lives under `anon:<session>`: it goes with its session.
            let guest_cart_lines = tx.execute(
                &format!(
                    "DELETE FROM cart_items WHERE customer_id IN (SELECT 'anon:' || id FROM ({stale}) AS stale)"
                ),
                params![cutoff],
            )?;
            let sessions = tx.execute(
                "DELETE FROM sessions WHERE updated_at < ?1",
                params![cutoff],
            )?;
            let events = tx.execute("DELETE FROM events WHERE at < ?1", params![cutoff])?;
            let proposals = tx.execute(
                "DELETE FROM proposals WHERE expires_at < ?1",
                params![w.now - DAY_MS],
            )?;
            let idempotency_records = tx.execute(
                "DELETE FROM idempotency WHERE created_at < ?1",
                params![w.now - super::idempotency::IDEMPOTENCY_RETENTION_MS],
            )?;
            let webhook_deliveries = tx.execute(
                "DELETE FROM webhook_outbox WHERE created_at < ?1
                 AND (delivered_at IS NOT NULL OR attempts >= ?2)",
                params![cutoff, super::webhooks::MAX_ATTEMPTS],
            )?;
            Ok(Pruned {
                sessions,
                transcript_lines,
                guest_cart_lines,
                events,
                proposals,
                idempotency_records,
                webhook_deliveries,
            })
        })
    }
}
