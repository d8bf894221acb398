//! PostgreSQL: the store shared by several daemons behind a load balancer.
//!
//! The driver is the `postgres` crate (rust-postgres, the blocking face of
//! tokio-postgres): the engine's store calls are blocking and run on blocking threads,
//! so an async driver would only add a runtime hop per statement. Each daemon holds
//! one connection, as it does with SQLite: its writes are serialised in-process, and
//! what must not interleave across daemons (the last unit of stock, a confirmation
//! token, an idempotency key, a webhook delivery, the catalogue generation) is
//! serialised by row locks in the database.
//!
//! The schema is the SQLite one in PostgreSQL's types (`BIGINT` for every integer,
//! `BIGSERIAL` for row ids), with its own numbered migrations recorded in
//! `schema_version`; a daemon applies them at start under an advisory lock, so
//! replicas starting together migrate once.

use super::sql::{params, Conn};
use super::StoreError;

/// The channel a catalogue change is announced on (see [`follow_changes`]).
pub const CHANNEL: &str = "shopassist_catalog";

/// How long a daemon waits for an announcement before it checks anyway: the fallback
/// when a notification is lost (a listener reconnecting, a change made by hand).
pub const FOLLOW_FALLBACK: std::time::Duration = std::time::Duration::from_millis(500);

/// Keeps `shop`'s index level with the shared catalogue for as long as the shop is
/// open: a thread of its own listens on [`CHANNEL`] on a second connection and
/// follows each announced change at once ([`crate::shop::Shop::follow`]), and every
/// [`FOLLOW_FALLBACK`] besides. Without that connection it checks on the fallback
/// period alone, reconnecting as it goes.
pub fn follow_changes(shop: std::sync::Weak<crate::shop::Shop>, url: &str) {
    let url = url.to_string();
    let spawned = std::thread::Builder::new()
        .name("catalog-follow".into())
        .spawn(move || {
            let mut listener: Option<postgres::Client> = None;
            loop {
                if listener.is_none() {
                    listener = postgres::Client::connect(&url, postgres::NoTls)
                        .and_then(|mut c| c.batch_execute(&format!("LISTEN {CHANNEL}")).map(|_| c))
                        .map_err(|e| tracing::warn!(error = %e, "no catalogue announcements; checking every {FOLLOW_FALLBACK:?}"))
                        .ok();
                }
                match listener.as_mut() {
                    Some(c) => {
                        use postgres::fallible_iterator::FallibleIterator;
                        let waited = c.notifications().timeout_iter(FOLLOW_FALLBACK).next();
                        match waited {
                            Ok(_) => {
                                // Take every announcement queued: one follow covers them.
                                let mut queued = c.notifications();
                                let mut queued = queued.iter();
                                while let Ok(Some(_)) = queued.next() {}
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "catalogue announcements lost; reconnecting");
                                listener = None;
                            }
                        }
                    }
                    None => std::thread::sleep(FOLLOW_FALLBACK),
                }
                let Some(shop) = shop.upgrade() else { break };
                if let Err(e) = shop.follow() {
                    tracing::warn!(error = %e, "following the shared catalogue failed");
                }
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start following the shared catalogue");
    }
}

/// Whether a `database_url` names PostgreSQL.
pub fn is_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// The advisory lock key under which migrations run ("shopassi" in ASCII).
const MIGRATION_LOCK: i64 = 0x73686f7061737369;

/// Migrations, in order. Never edit one that has shipped: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: everything SQLite's migrations 1 to 5 hold.
    "CREATE TABLE products (
        id         TEXT PRIMARY KEY,
        json       TEXT NOT NULL,
        archived   BIGINT NOT NULL DEFAULT 0,
        generation BIGINT NOT NULL DEFAULT 0
     );
     CREATE INDEX products_generation ON products (generation);
     CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
     );
     INSERT INTO meta (key, value) VALUES ('catalog_generation', '0');
     CREATE TABLE customers (
        id         TEXT PRIMARY KEY,
        created_at BIGINT NOT NULL
     );
     CREATE TABLE cart_items (
        customer_id      TEXT NOT NULL REFERENCES customers(id),
        product_id       TEXT NOT NULL,
        variant_id       TEXT NOT NULL,
        quantity         BIGINT NOT NULL CHECK (quantity > 0),
        price_when_added BIGINT NOT NULL,
        added_at         BIGINT NOT NULL,
        PRIMARY KEY (customer_id, product_id, variant_id)
     );
     CREATE TABLE proposals (
        token       TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL REFERENCES customers(id),
        cart_hash   TEXT NOT NULL,
        total       BIGINT NOT NULL,
        currency    TEXT NOT NULL,
        created_at  BIGINT NOT NULL,
        expires_at  BIGINT NOT NULL,
        order_id    TEXT
     );
     CREATE TABLE orders (
        id           TEXT PRIMARY KEY,
        customer_id  TEXT NOT NULL REFERENCES customers(id),
        status       TEXT NOT NULL,
        total        BIGINT NOT NULL,
        currency     TEXT NOT NULL,
        tracking     TEXT,
        created_at   BIGINT NOT NULL,
        updated_at   BIGINT NOT NULL,
        delivered_at BIGINT
     );
     CREATE INDEX orders_by_customer ON orders (customer_id, created_at);
     CREATE TABLE order_items (
        order_id   TEXT NOT NULL REFERENCES orders(id),
        line       BIGINT NOT NULL,
        product_id TEXT NOT NULL,
        variant_id TEXT NOT NULL,
        title      TEXT NOT NULL,
        size       TEXT,
        color      TEXT,
        quantity   BIGINT NOT NULL CHECK (quantity > 0),
        unit_price BIGINT NOT NULL,
        PRIMARY KEY (order_id, line)
     );
     CREATE INDEX order_items_by_product ON order_items (product_id);
     CREATE TABLE order_history (
        seq      BIGSERIAL PRIMARY KEY,
        order_id TEXT NOT NULL REFERENCES orders(id),
        status   TEXT NOT NULL,
        at       BIGINT NOT NULL,
        note     TEXT
     );
     CREATE INDEX order_history_by_order ON order_history (order_id, seq);
     CREATE TABLE returns (
        id          TEXT PRIMARY KEY,
        order_id    TEXT NOT NULL REFERENCES orders(id),
        customer_id TEXT NOT NULL REFERENCES customers(id),
        kind        TEXT NOT NULL,
        items_json  TEXT NOT NULL,
        reason      TEXT NOT NULL,
        status      TEXT NOT NULL,
        created_at  BIGINT NOT NULL
     );
     CREATE TABLE feedback (
        id          BIGSERIAL PRIMARY KEY,
        customer_id TEXT,
        session_id  TEXT,
        kind        TEXT NOT NULL,
        score       BIGINT NOT NULL,
        comment     TEXT,
        created_at  BIGINT NOT NULL
     );
     CREATE TABLE events (
        id          BIGSERIAL PRIMARY KEY,
        kind        TEXT NOT NULL,
        customer_id TEXT,
        data_json   TEXT NOT NULL,
        at          BIGINT NOT NULL
     );
     CREATE INDEX events_kind_at ON events (kind, at);
     CREATE INDEX events_at ON events (at);
     CREATE TABLE idempotency (
        customer_id   TEXT NOT NULL,
        key           TEXT NOT NULL,
        operation     TEXT NOT NULL,
        request_hash  TEXT NOT NULL,
        response_json TEXT NOT NULL,
        created_at    BIGINT NOT NULL,
        PRIMARY KEY (customer_id, key)
     );
     CREATE TABLE webhook_outbox (
        id              TEXT PRIMARY KEY,
        event           TEXT NOT NULL,
        body            TEXT NOT NULL,
        created_at      BIGINT NOT NULL,
        attempts        BIGINT NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        delivered_at    BIGINT,
        last_error      TEXT
     );
     CREATE INDEX webhook_due ON webhook_outbox (delivered_at, next_attempt_at);
     CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        customer_id TEXT,
        state_json  TEXT NOT NULL,
        created_at  BIGINT NOT NULL,
        updated_at  BIGINT NOT NULL
     );
     CREATE INDEX sessions_updated ON sessions (updated_at);
     CREATE TABLE transcript (
        session_id TEXT NOT NULL REFERENCES sessions(id),
        turn       BIGINT NOT NULL,
        role       TEXT NOT NULL,
        text       TEXT NOT NULL,
        at         BIGINT NOT NULL,
        PRIMARY KEY (session_id, turn)
     );",
];

/// Connects to `url` and brings its schema up to date.
pub fn connect(url: &str) -> Result<Conn, StoreError> {
    let shown = redacted(url);
    let client =
        postgres::Client::connect(url, postgres::NoTls).map_err(|e| StoreError::Connect {
            url: shown.clone(),
            message: e.to_string(),
        })?;
    let conn = Conn::postgres(client, url);
    migrate(&conn, &shown)?;
    Ok(conn)
}

fn migrate(conn: &Conn, shown: &str) -> Result<(), StoreError> {
    conn.begin()?;
    let result = (|| {
        conn.execute("SELECT pg_advisory_xact_lock(?1)", params![MIGRATION_LOCK])?;
        conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")?;
        let found: Option<i64> = conn
            .query_all("SELECT MAX(version) FROM schema_version", params![])?
            .first()
            .map(|r| r.get::<_, Option<i64>>(0))
            .transpose()?
            .flatten();
        let found = found.unwrap_or(0) as usize;
        if found > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path: shown.to_string(),
                found,
                known: MIGRATIONS.len(),
            });
        }
        for (i, m) in MIGRATIONS.iter().enumerate().skip(found) {
            conn.execute_batch(m)?;
            conn.execute(
                "INSERT INTO schema_version (version) VALUES (?1)",
                params![(i + 1) as i64],
            )?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(conn.commit()?),
        Err(e) => {
            let _ = conn.rollback();
            Err(e)
        }
    }
}

/// `url` without its password, for messages and logs.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redacted("postgres://shop:secret@db:5432/shop"),
            "postgres://shop:***@db:5432/shop"
        );
        assert_eq!(redacted("postgres://db/shop"), "postgres://db/shop");
        assert!(is_url("postgresql://x") && !is_url("/var/lib/shop.sqlite3"));
    }
}
