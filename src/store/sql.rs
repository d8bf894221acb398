//! One SQL interface over the two back-ends: SQLite (rusqlite, the embedded default)
//! and PostgreSQL (the `postgres` crate, for several daemons over one database).
//!
//! The engine writes its SQL once, with `?1`-style placeholders, in the part of SQL
//! both databases share (`ON CONFLICT … DO UPDATE`, `COALESCE`, `CAST`); the few
//! statements that differ ask [`Conn::dialect`]. Values cross as [`Value`]s, so
//! integers, text and NULL read the same from either side, and a parameter binds to
//! whatever type PostgreSQL inferred for it (`BIGINT`, `INTEGER`, `TEXT`, …).
//!
//! The API mirrors the part of rusqlite the engine used (`execute`, `query_row`,
//! `prepare(..).query_map`, savepoints, `optional()`), so the order code reads as it
//! did. Everything is blocking: call it from a blocking thread, never a tokio worker
//! (the PostgreSQL client runs its own small runtime).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

/// A value crossing into or out of the database.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

/// Why a statement failed.
#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    #[error("{0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{}", pg_message(.0))]
    Postgres(#[from] postgres::Error),
    #[error("query returned no rows")]
    NoRows,
    /// The database cannot be reached (its connection closed, or connecting again
    /// failed): a 503 to retry, not the caller's fault nor a bug.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("column {column}: {message}")]
    Type { column: usize, message: String },
}

fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

impl SqlError {
    /// A PostgreSQL error, as [`SqlError::Unavailable`] when the connection is gone.
    fn from_pg(e: postgres::Error) -> SqlError {
        // Closed under us, the server shutting down or refusing (57P0x), or a
        // connection exception (class 08).
        let gone = e
            .code()
            .map(|c| c.code())
            .is_some_and(|c| c.starts_with("57P0") || c.starts_with("08"));
        // The socket failing mid-statement ("error communicating with the server":
        // reset, broken pipe) when the server dropped the connection as we wrote.
        let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
        if e.is_closed() || gone || io {
            SqlError::Unavailable(e.to_string())
        } else {
            SqlError::Postgres(e)
        }
    }

    /// Whether PostgreSQL refused the statement because of another transaction
    /// (serialisation failure or deadlock): the whole unit may be run again.
    pub fn is_conflict(&self) -> bool {
        use postgres::error::SqlState;
        matches!(self, SqlError::Postgres(e)
            if e.code() == Some(&SqlState::T_R_SERIALIZATION_FAILURE)
                || e.code() == Some(&SqlState::T_R_DEADLOCK_DETECTED))
    }
}

/// A Rust value that binds as a parameter.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_to_value!(i64, i32, i16, u32, u16, u8, usize, u64);

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}
impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            Some(v) => v.to_value(),
            None => Value::Null,
        }
    }
}

/// Parameters of a statement: `params![a, b]`, or `params![]` for none.
#[macro_export]
macro_rules! sql_params {
    () => {
        &[] as &[&dyn $crate::store::sql::ToValue]
    };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::store::sql::ToValue),+] as &[&dyn $crate::store::sql::ToValue]
    };
}
pub use crate::sql_params as params;

/// A value a column reads into.
pub trait FromValue: Sized {
    fn from_value(v: &Value) -> Result<Self, String>;
}

macro_rules! int_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: &Value) -> Result<Self, String> {
                match v {
                    Value::Int(i) => <$t>::try_from(*i).map_err(|e| e.to_string()),
                    other => Err(format!("expected an integer, found {other:?}")),
                }
            }
        }
    )*};
}
int_from_value!(i64, i32, u32, u64, usize);

impl FromValue for f64 {
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::Real(f) => Ok(*f),
            Value::Int(i) => Ok(*i as f64),
            other => Err(format!("expected a number, found {other:?}")),
        }
    }
}
impl FromValue for bool {
    fn from_value(v: &Value) -> Result<Self, String> {
        i64::from_value(v).map(|i| i != 0)
    }
}
impl FromValue for String {
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s.clone()),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b.clone()),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: &Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// A column position (only `usize`, so that `r.get(0)` infers it).
pub trait RowIndex {
    fn index(&self) -> usize;
}
impl RowIndex for usize {
    fn index(&self) -> usize {
        *self
    }
}

/// One result row.
#[derive(Debug, Clone)]
pub struct Row {
    values: Vec<Value>,
}

impl Row {
    /// Column `i` as `T`.
    pub fn get<I: RowIndex, T: FromValue>(&self, i: I) -> Result<T, SqlError> {
        let column = i.index();
        let v = self.values.get(column).ok_or_else(|| SqlError::Type {
            column,
            message: "no such column".into(),
        })?;
        T::from_value(v).map_err(|message| SqlError::Type { column, message })
    }
}

/// `query_row(..).optional()`: no row is `None`, not an error.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>, SqlError>;
}
impl<T> OptionalExtension<T> for Result<T, SqlError> {
    fn optional(self) -> Result<Option<T>, SqlError> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(SqlError::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Which database a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

enum Backend {
    Sqlite(rusqlite::Connection),
    Postgres(Box<Pg>),
}

struct Pg {
    /// Always `Some` but while dropping (see `Drop for Conn`).
    client: RefCell<Option<postgres::Client>>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
    /// Where to connect again when the server went away (a restart, a failover).
    url: String,
}

/// One connection to either database.
pub struct Conn {
    backend: Backend,
    /// Open transaction and savepoint levels (PostgreSQL; SQLite tracks its own).
    depth: Cell<u32>,
}

impl Conn {
    pub fn sqlite(conn: rusqlite::Connection) -> Conn {
        Conn {
            backend: Backend::Sqlite(conn),
            depth: Cell::new(0),
        }
    }

    /// A PostgreSQL connection `client` made to `url` (to connect again with).
    pub fn postgres(client: postgres::Client, url: &str) -> Conn {
        Conn {
            backend: Backend::Postgres(Box::new(Pg {
                client: RefCell::new(Some(client)),
                statements: RefCell::new(HashMap::new()),
                url: url.to_string(),
            })),
            depth: Cell::new(0),
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs one statement; returns the rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn ToValue]) -> Result<usize, SqlError> {
        let _timer = Timer::start();
        match &self.backend {
            Backend::Sqlite(c) => {
                let values = sqlite_values(params);
                Ok(c.prepare_cached(sql)?
                    .execute(rusqlite::params_from_iter(values.iter()))?)
            }
            Backend::Postgres(_) => {
                let stmt = self.pg_statement(sql)?;
                let values = pg_values(params);
                let refs = pg_refs(&values);
                let n = self
                    .pg_client()
                    .execute(&stmt, &refs)
                    .map_err(SqlError::from_pg)?;
                Ok(n as usize)
            }
        }
    }

    /// Runs statements separated by `;`, without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<(), SqlError> {
        let _timer = Timer::start();
        match &self.backend {
            Backend::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Backend::Postgres(_) => {
                self.pg_reconnect_if_closed()?;
                self.pg_client()
                    .batch_execute(sql)
                    .map_err(SqlError::from_pg)
            }
        }
    }

    /// Every row of a query.
    pub fn query_all(&self, sql: &str, params: &[&dyn ToValue]) -> Result<Vec<Row>, SqlError> {
        let _timer = Timer::start();
        match &self.backend {
            Backend::Sqlite(c) => {
                let values = sqlite_values(params);
                let mut stmt = c.prepare_cached(sql)?;
                let n = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let mut values = Vec::with_capacity(n);
                    for i in 0..n {
                        values.push(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Null => Value::Null,
                            rusqlite::types::ValueRef::Integer(i) => Value::Int(i),
                            rusqlite::types::ValueRef::Real(f) => Value::Real(f),
                            rusqlite::types::ValueRef::Text(t) => {
                                Value::Text(String::from_utf8_lossy(t).into_owned())
                            }
                            rusqlite::types::ValueRef::Blob(b) => Value::Blob(b.to_vec()),
                        });
                    }
                    out.push(Row { values });
                }
                Ok(out)
            }
            Backend::Postgres(_) => {
                let stmt = self.pg_statement(sql)?;
                let values = pg_values(params);
                let refs = pg_refs(&values);
                let rows = self
                    .pg_client()
                    .query(&stmt, &refs)
                    .map_err(SqlError::from_pg)?;
                rows.iter().map(pg_row).collect()
            }
        }
    }

    /// The first row of a query, through `f`; [`SqlError::NoRows`] when there is none.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn ToValue],
        f: impl FnOnce(&Row) -> Result<T, SqlError>,
    ) -> Result<T, SqlError> {
        let rows = self.query_all(sql, params)?;
        match rows.first() {
            Some(r) => f(r),
            None => Err(SqlError::NoRows),
        }
    }

    /// A statement to run with [`Stmt::query_map`].
    pub fn prepare<'c>(&'c self, sql: &str) -> Result<Stmt<'c>, SqlError> {
        Ok(Stmt {
            conn: self,
            sql: sql.to_string(),
        })
    }

    /// As [`Self::prepare`]; both back-ends cache statements by their text.
    pub fn prepare_cached<'c>(&'c self, sql: &str) -> Result<Stmt<'c>, SqlError> {
        self.prepare(sql)
    }

    /// Whether no transaction is open.
    pub fn is_autocommit(&self) -> bool {
        match &self.backend {
            Backend::Sqlite(c) => c.is_autocommit(),
            Backend::Postgres(_) => self.depth.get() == 0,
        }
    }

    /// Opens a write transaction: SQLite takes the write lock at once (`BEGIN
    /// IMMEDIATE`); PostgreSQL runs READ COMMITTED, and the writes that must not
    /// interleave across daemons lock their rows (`FOR UPDATE`).
    pub fn begin(&self) -> Result<(), SqlError> {
        match self.dialect() {
            Dialect::Sqlite => self.execute_batch("BEGIN IMMEDIATE"),
            Dialect::Postgres => {
                self.execute_batch("BEGIN")?;
                self.depth.set(1);
                Ok(())
            }
        }
    }

    pub fn commit(&self) -> Result<(), SqlError> {
        let r = self.execute_batch("COMMIT");
        self.depth.set(0);
        r
    }

    pub fn rollback(&self) -> Result<(), SqlError> {
        let r = self.execute_batch("ROLLBACK");
        self.depth.set(0);
        r
    }

    /// A savepoint inside the open transaction, or a transaction of its own when none
    /// is open; rolled back when dropped without [`Tx::commit`].
    pub fn savepoint(&self) -> Result<Tx<'_>, SqlError> {
        let outer = self.dialect() == Dialect::Postgres && self.depth.get() == 0;
        if outer {
            self.begin()?;
        } else {
            let level = self.depth.get() + 1;
            self.execute_batch(&format!("SAVEPOINT sp{level}"))?;
            self.depth.set(level);
        }
        Ok(Tx {
            conn: self,
            outer,
            level: self.depth.get(),
            done: false,
        })
    }

    /// Connects again when the server closed the connection, outside a transaction
    /// (inside one, the transaction is gone with the connection: its error stands, and
    /// the next unit of work reconnects).
    fn pg_reconnect_if_closed(&self) -> Result<(), SqlError> {
        let Backend::Postgres(pg) = &self.backend else {
            return Ok(());
        };
        if self.depth.get() > 0 || !self.pg_client().is_closed() {
            return Ok(());
        }
        tracing::warn!("the database connection was closed; connecting again");
        let fresh = postgres::Client::connect(&pg.url, postgres::NoTls)
            .map_err(|e| SqlError::Unavailable(format!("connecting again: {e}")))?;
        pg.statements.borrow_mut().clear();
        *pg.client.borrow_mut() = Some(fresh);
        Ok(())
    }

    fn pg_client(&self) -> std::cell::RefMut<'_, postgres::Client> {
        match &self.backend {
            Backend::Postgres(pg) => std::cell::RefMut::map(pg.client.borrow_mut(), |c| {
                c.as_mut().expect("the connection is open until dropped")
            }),
            Backend::Sqlite(_) => unreachable!("a PostgreSQL call on SQLite"),
        }
    }

    fn pg_statement(&self, sql: &str) -> Result<postgres::Statement, SqlError> {
        let Backend::Postgres(pg) = &self.backend else {
            unreachable!("a PostgreSQL call on SQLite");
        };
        self.pg_reconnect_if_closed()?;
        if let Some(s) = pg.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let stmt = self
            .pg_client()
            .prepare(&to_postgres(sql))
            .map_err(SqlError::from_pg)?;
        pg.statements
            .borrow_mut()
            .insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // The blocking client closes its connection by running a small runtime, which
        // panics on a thread that is already inside one (a daemon dropping its shop on
        // a tokio worker): close it on a thread of its own.
        if let Backend::Postgres(pg) = &mut self.backend {
            if let Some(c) = pg.client.get_mut().take() {
                if tokio::runtime::Handle::try_current().is_ok() {
                    let _ = std::thread::Builder::new()
                        .name("pg-close".into())
                        .spawn(move || drop(c));
                } else {
                    drop(c);
                }
            }
        }
    }
}

/// Adds a statement's time to `shopassist_db_microseconds_total` (the database's share of
/// a turn, `bench/run replicas`) when dropped.
struct Timer(std::time::Instant);

impl Timer {
    fn start() -> Timer {
        Timer(std::time::Instant::now())
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        let us = self.0.elapsed().as_micros() as u64;
        ::metrics::counter!("shopassist_db_microseconds_total").increment(us);
        ::metrics::counter!("shopassist_db_statements_total").increment(1);
    }
}

/// A prepared statement (see [`Conn::prepare`]).
pub struct Stmt<'c> {
    conn: &'c Conn,
    sql: String,
}

impl Stmt<'_> {
    /// Every row through `f`.
    pub fn query_map<T>(
        &mut self,
        params: &[&dyn ToValue],
        mut f: impl FnMut(&Row) -> Result<T, SqlError>,
    ) -> Result<std::vec::IntoIter<Result<T, SqlError>>, SqlError> {
        let rows = self.conn.query_all(&self.sql, params)?;
        Ok(rows.iter().map(&mut f).collect::<Vec<_>>().into_iter())
    }

    /// Runs it; returns the rows changed.
    pub fn execute(&mut self, params: &[&dyn ToValue]) -> Result<usize, SqlError> {
        self.conn.execute(&self.sql, params)
    }
}

/// A savepoint (or a transaction of its own); derefs to the connection.
pub struct Tx<'c> {
    conn: &'c Conn,
    outer: bool,
    level: u32,
    done: bool,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<(), SqlError> {
        self.done = true;
        if self.outer {
            self.conn.commit()
        } else {
            self.conn.depth.set(self.level - 1);
            self.conn
                .execute_batch(&format!("RELEASE SAVEPOINT sp{}", self.level))
        }
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        if self.outer {
            let _ = self.conn.rollback();
        } else {
            self.conn.depth.set(self.level - 1);
            let _ = self.conn.execute_batch(&format!(
                "ROLLBACK TO SAVEPOINT sp{0}; RELEASE SAVEPOINT sp{0}",
                self.level
            ));
        }
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

fn sqlite_values(params: &[&dyn ToValue]) -> Vec<rusqlite::types::Value> {
    params
        .iter()
        .map(|p| match p.to_value() {
            Value::Null => rusqlite::types::Value::Null,
            Value::Int(i) => rusqlite::types::Value::Integer(i),
            Value::Real(f) => rusqlite::types::Value::Real(f),
            Value::Text(s) => rusqlite::types::Value::Text(s),
            Value::Blob(b) => rusqlite::types::Value::Blob(b),
        })
        .collect()
}

fn pg_values(params: &[&dyn ToValue]) -> Vec<Value> {
    params.iter().map(|p| p.to_value()).collect()
}

fn pg_refs(values: &[Value]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    values
        .iter()
        .map(|v| v as &(dyn postgres::types::ToSql + Sync))
        .collect()
}

fn pg_row(row: &postgres::Row) -> Result<Row, SqlError> {
    use postgres::types::Type;
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let v = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map(Value::Int)
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?
                .map(|x| Value::Int(x.into()))
        } else if *ty == Type::INT2 {
            row.try_get::<_, Option<i16>>(i)?
                .map(|x| Value::Int(x.into()))
        } else if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?
                .map(|x| Value::Int(x.into()))
        } else if *ty == Type::FLOAT8 {
            row.try_get::<_, Option<f64>>(i)?.map(Value::Real)
        } else if *ty == Type::FLOAT4 {
            row.try_get::<_, Option<f32>>(i)?
                .map(|x| Value::Real(x.into()))
        } else if *ty == Type::BYTEA {
            row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob)
        } else if *ty == Type::TEXT || *ty == Type::VARCHAR || *ty == Type::BPCHAR {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        } else {
            return Err(SqlError::Type {
                column: i,
                message: format!("PostgreSQL type {ty} is not read here; cast it in the query"),
            });
        };
        values.push(v.unwrap_or(Value::Null));
    }
    Ok(Row { values })
}

impl postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::Type;
        match self {
            Value::Null => Ok(postgres::types::IsNull::Yes),
            Value::Int(i) => {
                if *ty == Type::INT8 {
                    i.to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::try_from(*i)?.to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(*i)?.to_sql(ty, out)
                } else if *ty == Type::BOOL {
                    (*i != 0).to_sql(ty, out)
                } else if *ty == Type::FLOAT8 {
                    (*i as f64).to_sql(ty, out)
                } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
                    i.to_string().to_sql(ty, out)
                } else {
                    Err(format!("an integer does not bind to {ty}").into())
                }
            }
            Value::Real(f) => {
                if *ty == Type::FLOAT4 {
                    (*f as f32).to_sql(ty, out)
                } else {
                    f.to_sql(ty, out)
                }
            }
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// `?1`-style placeholders as PostgreSQL's `$1`, outside string literals.
pub fn to_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quoted = false;
    let mut next = 1;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    out.push_str(&next.to_string());
                    next += 1;
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars_outside_literals() {
        assert_eq!(
            to_postgres("SELECT 'a?1' || x FROM t WHERE a = ?1 AND b = ?12 OR c = ?"),
            "SELECT 'a?1' || x FROM t WHERE a = $1 AND b = $12 OR c = $1"
        );
    }

    #[test]
    fn savepoints_nest_and_roll_back_on_sqlite() {
        let c = Conn::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        c.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        {
            let tx = c.savepoint().unwrap();
            tx.execute("INSERT INTO t VALUES (?1)", params![1]).unwrap();
            {
                let inner = tx.savepoint().unwrap();
                inner
                    .execute("INSERT INTO t VALUES (?1)", params![2])
                    .unwrap();
                // dropped: rolled back
            }
            tx.commit().unwrap();
        }
        let xs: Vec<i64> = c
            .prepare("SELECT x FROM t ORDER BY x")
            .unwrap()
            .query_map(params![], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(xs, vec![1]);
        let none: Option<i64> = c
            .query_row("SELECT x FROM t WHERE x = ?1", params![9], |r| r.get(0))
            .optional()
            .unwrap();
        assert_eq!(none, None);
        let bad = c.query_row("SELECT 'text'", params![], |r| r.get::<_, i64>(0));
        assert!(
            matches!(bad, Err(SqlError::Type { column: 0, .. })),
            "{bad:?}"
        );
    }
}
