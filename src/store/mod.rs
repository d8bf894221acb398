//! SQLite: the durable state. The catalogue lives here (the search index is derived
//! from it and can always be rebuilt); migration 2 adds carts, orders, returns,
//! idempotency records and the webhook outbox, which src/orders works on.
//!
//! Schema changes are numbered migrations applied in order inside one transaction;
//! `PRAGMA user_version` records how far a database has come.

use std::path::Path;

pub mod postgres;
pub mod sql;

use crate::catalog::Product;
use sql::{params, Conn, Dialect, OptionalExtension, SqlError};

/// Migrations, in order. Never edit one that has shipped: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: the catalogue.
    "CREATE TABLE products (
        id   TEXT PRIMARY KEY,
        json TEXT NOT NULL
     );
     CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
     );
     INSERT INTO meta (key, value) VALUES ('catalog_generation', '0');",
    // 2: customers, carts, checkout proposals, orders, returns, feedback, events,
    // idempotency records, the webhook outbox, sessions and transcripts (see src/orders).
    "CREATE TABLE customers (
        id         TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL
     );
     CREATE TABLE cart_items (
        customer_id      TEXT NOT NULL REFERENCES customers(id),
        product_id       TEXT NOT NULL,
        variant_id       TEXT NOT NULL,
        quantity         INTEGER NOT NULL CHECK (quantity > 0),
        price_when_added INTEGER NOT NULL,
        added_at         INTEGER NOT NULL,
        PRIMARY KEY (customer_id, product_id, variant_id)
     );
     CREATE TABLE proposals (
        token       TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL REFERENCES customers(id),
        cart_hash   TEXT NOT NULL,
        total       INTEGER NOT NULL,
        currency    TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        expires_at  INTEGER NOT NULL,
        order_id    TEXT
     );
     CREATE TABLE orders (
        id           TEXT PRIMARY KEY,
        customer_id  TEXT NOT NULL REFERENCES customers(id),
        status       TEXT NOT NULL,
        total        INTEGER NOT NULL,
        currency     TEXT NOT NULL,
        tracking     TEXT,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        delivered_at INTEGER
     );
     CREATE INDEX orders_by_customer ON orders (customer_id, created_at);
     CREATE TABLE order_items (
        order_id   TEXT NOT NULL REFERENCES orders(id),
        line       INTEGER NOT NULL,
        product_id TEXT NOT NULL,
        variant_id TEXT NOT NULL,
        title      TEXT NOT NULL,
        size       TEXT,
        color      TEXT,
        quantity   INTEGER NOT NULL CHECK (quantity > 0),
        unit_price INTEGER NOT NULL,
        PRIMARY KEY (order_id, line)
     );
     CREATE TABLE order_history (
        order_id TEXT NOT NULL REFERENCES orders(id),
        status   TEXT NOT NULL,
        at       INTEGER NOT NULL,
        note     TEXT
     );
     CREATE TABLE returns (
        id          TEXT PRIMARY KEY,
        order_id    TEXT NOT NULL REFERENCES orders(id),
        customer_id TEXT NOT NULL REFERENCES customers(id),
        kind        TEXT NOT NULL,
        items_json  TEXT NOT NULL,
        reason      TEXT NOT NULL,
        status      TEXT NOT NULL,
        created_at  INTEGER NOT NULL
     );
     CREATE TABLE feedback (
        id          INTEGER PRIMARY KEY,
        customer_id TEXT,
        session_id  TEXT,
        kind        TEXT NOT NULL,
        score       INTEGER NOT NULL,
        comment     TEXT,
        created_at  INTEGER NOT NULL
     );
     CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL,
        customer_id TEXT,
        data_json   TEXT NOT NULL,
        at          INTEGER NOT NULL
     );
     CREATE TABLE idempotency (
        customer_id   TEXT NOT NULL,
        key           TEXT NOT NULL,
        operation     TEXT NOT NULL,
        request_hash  TEXT NOT NULL,
        response_json TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        PRIMARY KEY (customer_id, key)
     );
     CREATE TABLE webhook_outbox (
        id              TEXT PRIMARY KEY,
        event           TEXT NOT NULL,
        body            TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        delivered_at    INTEGER,
        last_error      TEXT
     );
     CREATE INDEX webhook_due ON webhook_outbox (delivered_at, next_attempt_at);
     CREATE TABLE sessions (
        id          TEXT PRIMARY KEY,
        customer_id TEXT,
        state_json  TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
     );
     CREATE TABLE transcript (
        session_id TEXT NOT NULL REFERENCES sessions(id),
        turn       INTEGER NOT NULL,
        role       TEXT NOT NULL,
        text       TEXT NOT NULL,
        at         INTEGER NOT NULL,
        PRIMARY KEY (session_id, turn)
     );",
    // 3: statistics read events by kind and time (`/v1/stats`).
    "CREATE INDEX events_kind_at ON events (kind, at);",
    // 4: a product that orders refer to is archived, never deleted: hidden from search
    // and carts, still readable for order history, cancellation and returns. The
    // indexes serve that check and retention pruning.
    "ALTER TABLE products ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
     CREATE INDEX order_items_by_product ON order_items (product_id);
     CREATE INDEX sessions_updated ON sessions (updated_at);
     CREATE INDEX events_at ON events (at);",
    // 5: the generation that last wrote each product, so a daemon sharing the
    // database with others re-indexes just what changed (see `Store::changed_since`).
    "ALTER TABLE products ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
     CREATE INDEX products_generation ON products (generation);",
];

/// Why a database operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(#[from] SqlError),
    #[error("database holds a product that no longer parses ({id}): {message}")]
    Corrupt { id: String, message: String },
    #[error("database {path} is at schema version {found}, newer than this build knows ({known}); upgrade shopassist")]
    TooNew {
        path: String,
        found: usize,
        known: usize,
    },
    #[error("cannot connect to {url}: {message}")]
    Connect { url: String, message: String },
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sql(SqlError::from(e))
    }
}

/// One connection to the database (SQLite, or PostgreSQL shared with other daemons).
/// Blocking: call it from a blocking thread.
pub struct Store {
    conn: Conn,
    /// Products whose stock changed in the open unit of work, to re-index after it
    /// commits (see `Shop::unit`).
    touched: Vec<String>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and applies migrations.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let mut conn = rusqlite::Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > MIGRATIONS.len() {
            return Err(StoreError::TooNew {
                path: path.display().to_string(),
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        if version < MIGRATIONS.len() {
            let tx = conn.transaction()?;
            for m in &MIGRATIONS[version..] {
                tx.execute_batch(m)?;
            }
            tx.pragma_update(None, "user_version", MIGRATIONS.len())?;
            tx.commit()?;
        }
        Ok(Store {
            conn: Conn::sqlite(conn),
            touched: Vec::new(),
        })
    }

    /// Opens the database a `database_url` names: `postgres://…` (or `postgresql://…`)
    /// for PostgreSQL shared by several daemons, anything else a SQLite file path.
    pub fn open_url(url: &str) -> Result<Store, StoreError> {
        if postgres::is_url(url) {
            Ok(Store {
                conn: postgres::connect(url)?,
                touched: Vec::new(),
            })
        } else {
            Store::open(Path::new(url.strip_prefix("sqlite://").unwrap_or(url)))
        }
    }

    /// The connection, for modules that keep their own tables here (src/orders).
    pub(crate) fn conn(&mut self) -> &mut Conn {
        &mut self.conn
    }

    /// The connection, read-only.
    pub(crate) fn conn_ref(&self) -> &Conn {
        &self.conn
    }

    /// Which database this is.
    pub fn dialect(&self) -> Dialect {
        self.conn.dialect()
    }

    /// Notes products whose stock changed in the open unit of work.
    pub(crate) fn touch(&mut self, ids: &[String]) {
        for id in ids {
            if !self.touched.contains(id) {
                self.touched.push(id.clone());
            }
        }
    }

    /// The products noted since the last call.
    pub(crate) fn take_touched(&mut self) -> Vec<String> {
        std::mem::take(&mut self.touched)
    }

    /// The catalogue's generation: bumped by every change, recorded in the index's
    /// commit, so a stale index is detected on start.
    pub fn catalog_generation(&self) -> Result<u64, StoreError> {
        let v: String = self.conn.query_row(
            "SELECT value FROM meta WHERE key = 'catalog_generation'",
            params![],
            |r| r.get(0),
        )?;
        Ok(v.parse().unwrap_or(0))
    }

    /// Products written after generation `after` up to `upto`, `None` for one off
    /// sale (archived): what a daemon sharing the database needs to bring its index
    /// level with the others' writes (removals included: on PostgreSQL a removed
    /// product stays as an archived row, see `write_catalog`).
    pub fn changed_since(
        &self,
        after: u64,
        upto: u64,
    ) -> Result<Vec<(String, Option<Product>)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, json, archived FROM products WHERE generation > ?1 AND generation <= ?2",
        )?;
        let rows = stmt.query_map(params![after as i64, upto as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        let mut changed = Vec::new();
        for row in rows {
            let (id, json, archived) = row?;
            let product = if archived != 0 {
                None
            } else {
                Some(
                    serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
                        id: id.clone(),
                        message: e.to_string(),
                    })?,
                )
            };
            changed.push((id, product));
        }
        Ok(changed)
    }

    /// Inserts or replaces products and deletes ids, atomically; returns the new generation.
    pub fn apply_catalog_changes(
        &mut self,
        upserts: &[Product],
        deletes: &[String],
    ) -> Result<u64, StoreError> {
        self.write_catalog(false, upserts, deletes)
    }

    /// Replaces the whole catalogue atomically; returns the new generation.
    pub fn replace_catalog(&mut self, products: &[Product]) -> Result<u64, StoreError> {
        self.write_catalog(true, products, &[])
    }

    fn write_catalog(
        &mut self,
        clear: bool,
        upserts: &[Product],
        deletes: &[String],
    ) -> Result<u64, StoreError> {
        let tx = self.conn.savepoint()?;
        // The generation first: its row stays locked until the commit, so generations
        // are handed out in commit order, and each product row records its own.
        let generation = bump_generation(&tx)?;
        // With several daemons over the database a removed product stays as an
        // archived row stamped with this generation, so the others learn of the
        // removal from the rows changed since their index's generation (see
        // `changed_since`); SQLite, alone, deletes what no order refers to.
        let tombstones = tx.dialect() == Dialect::Postgres;
        if clear && !tombstones {
            tx.execute(
                "DELETE FROM products
                 WHERE NOT EXISTS (SELECT 1 FROM order_items WHERE product_id = products.id)",
                params![],
            )?;
        }
        if clear {
            tx.execute(
                "UPDATE products SET archived = 1, generation = ?1",
                params![generation as i64],
            )?;
        }
        {
            let mut put = tx.prepare_cached(
                "INSERT INTO products (id, json, archived, generation) VALUES (?1, ?2, 0, ?3)
                 ON CONFLICT (id) DO UPDATE
                 SET json = excluded.json, archived = 0, generation = excluded.generation",
            )?;
            for p in upserts {
                let json = serde_json::to_string(p).map_err(|e| StoreError::Corrupt {
                    id: p.id.clone(),
                    message: e.to_string(),
                })?;
                put.execute(params![p.id, json, generation as i64])?;
            }
            let mut del = tx.prepare_cached(
                "DELETE FROM products WHERE id = ?1
                 AND NOT EXISTS (SELECT 1 FROM order_items WHERE product_id = ?1)",
            )?;
            // Not deleted: absent, or referenced by an order (then archived).
            let mut archive = tx.prepare_cached(
                "UPDATE products SET archived = 1, generation = ?2 WHERE id = ?1",
            )?;
            for id in deletes {
                if tombstones || del.execute(params![id])? == 0 {
                    archive.execute(params![id, generation as i64])?;
                }
            }
        }
        tx.commit()?;
        Ok(generation)
    }

    /// Every product on sale (not archived), in id order.
    pub fn products(&self) -> Result<Vec<Product>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, json FROM products WHERE archived = 0 ORDER BY id")?;
        let rows = stmt.query_map(params![], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = row?;
            out.push(
                serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
                    id,
                    message: e.to_string(),
                })?,
            );
        }
        Ok(out)
    }

    /// One product on sale by id (an archived one is `None`).
    pub fn product(&self, id: &str) -> Result<Option<Product>, StoreError> {
        read_product(&self.conn, id)
    }

    /// Every product id on sale, in id order.
    pub fn product_ids(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM products WHERE archived = 0 ORDER BY id")?;
        let ids = stmt.query_map(params![], |r| r.get::<_, String>(0))?;
        Ok(ids.collect::<Result<_, _>>()?)
    }

    /// A value from the key-value meta table.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a value in the meta table.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Number of products.
    pub fn product_count(&self) -> Result<usize, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM products WHERE archived = 0",
            params![],
            |r| r.get::<_, i64>(0),
        )? as usize)
    }
}

/// One product on sale by id on `conn` (the store's own connection, or a transaction
/// on it: the orders read products inside their write transactions).
pub(crate) fn read_product(conn: &Conn, id: &str) -> Result<Option<Product>, StoreError> {
    read(
        conn,
        id,
        "SELECT json FROM products WHERE id = ?1 AND archived = 0",
    )
}

/// One product by id, archived or not: what an order refers to.
pub(crate) fn read_product_any(conn: &Conn, id: &str) -> Result<Option<Product>, StoreError> {
    read(conn, id, "SELECT json FROM products WHERE id = ?1")
}

/// One product by id, archived or not, its row locked until the transaction ends on
/// PostgreSQL (`FOR UPDATE`): a stock change reads it this way, so two daemons
/// selling the last unit take turns and the second sees the first's sale.
pub(crate) fn read_product_for_update(
    conn: &Conn,
    id: &str,
) -> Result<Option<Product>, StoreError> {
    match conn.dialect() {
        // SQLite's write transaction already holds the whole database.
        Dialect::Sqlite => read_product_any(conn, id),
        Dialect::Postgres => read(
            conn,
            id,
            "SELECT json FROM products WHERE id = ?1 FOR UPDATE",
        ),
    }
}

/// Moves the catalogue generation on by one inside the open transaction and returns
/// it. On PostgreSQL the meta row stays locked until the commit, so generations are
/// committed in order across daemons.
pub(crate) fn bump_generation(conn: &Conn) -> Result<u64, SqlError> {
    conn.execute(
        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'catalog_generation'",
        params![],
    )?;
    let v: String = conn.query_row(
        "SELECT value FROM meta WHERE key = 'catalog_generation'",
        params![],
        |r| r.get(0),
    )?;
    Ok(v.parse().unwrap_or(0))
}

fn read(conn: &Conn, id: &str, sql: &str) -> Result<Option<Product>, StoreError> {
    let json: Option<String> = conn.query_row(sql, params![id], |r| r.get(0)).optional()?;
    json.map(|j| {
        serde_json::from_str(&j).map_err(|e| StoreError::Corrupt {
            id: id.to_string(),
            message: e.to_string(),
        })
    })
    .transpose()
}
