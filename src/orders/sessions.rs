//! Conversation sessions and their transcripts, persisted so a session survives a
//! restart. The state is opaque JSON owned by the conversation layer.
//!
//! Isolation: a session belongs to the customer who first saved it (or to nobody, for
//! an anonymous session). Reading or writing it as another customer answers
//! `unknown_session`, exactly as if it did not exist.

use crate::store::sql::{params, Conn, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::{Millis, OrderError, Orders};

/// One line of a transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub turn: u32,
    /// `shopper`, `assistant` or `system`.
    pub role: String,
    pub text: String,
    pub at: Millis,
}

/// Everything one turn persists about its conversation ([`Orders::persist_turn`]).
#[derive(Debug, Clone)]
pub struct PersistedTurn<'a> {
    pub session_id: &'a str,
    pub customer: Option<&'a str>,
    /// What the shopper said.
    pub shopper: &'a str,
    /// What the assistant answered.
    pub reply: &'a str,
    /// The conversation's state after the turn (opaque to this module).
    pub state: &'a serde_json::Value,
    /// The turn's statistics record.
    pub stats: &'a super::stats::TurnRecord<'a>,
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub customer_id: Option<String>,
    pub state: serde_json::Value,
    pub created_at: Millis,
    pub updated_at: Millis,
}

fn unknown(id: &str) -> OrderError {
    OrderError::UnknownSession {
        session_id: id.to_string(),
    }
}

/// A transcript line from `SELECT turn, role, text, at`.
fn turn_row(r: &crate::store::sql::Row) -> Result<Turn, crate::store::sql::SqlError> {
    Ok(Turn {
        turn: r.get(0)?,
        role: r.get(1)?,
        text: r.get(2)?,
        at: r.get(3)?,
    })
}

/// The session's owner, if the session exists.
fn owner(tx: &Conn, id: &str) -> Result<Option<Option<String>>, OrderError> {
    Ok(tx
        .query_row(
            "SELECT customer_id FROM sessions WHERE id = ?1",
            params![id],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?)
}

fn check_owner(tx: &Conn, id: &str, customer: Option<&str>) -> Result<bool, OrderError> {
    match owner(tx, id)? {
        None => Ok(false),
        Some(o) if o.as_deref() == customer => Ok(true),
        Some(_) => Err(unknown(id)),
    }
}

/// Creates the session for `customer` with an empty state if it does not exist (it is
/// `unknown_session` if another customer's), and marks it updated now.
fn ensure_session(
    tx: &Conn,
    id: &str,
    customer: Option<&str>,
    now: Millis,
) -> Result<(), OrderError> {
    if check_owner(tx, id, customer)? {
        tx.execute(
            "UPDATE sessions SET updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
    } else {
        tx.execute(
            "INSERT INTO sessions (id, customer_id, state_json, created_at, updated_at)
             VALUES (?1, ?2, '{}', ?3, ?3)",
            params![id, customer, now],
        )?;
    }
    Ok(())
}

/// Sets a session's state, creating the session for `customer` if needed.
fn put_state(
    tx: &Conn,
    id: &str,
    customer: Option<&str>,
    state: &serde_json::Value,
    now: Millis,
) -> Result<(), OrderError> {
    ensure_session(tx, id, customer, now)?;
    tx.execute(
        "UPDATE sessions SET state_json = ?2 WHERE id = ?1",
        params![id, state.to_string()],
    )?;
    Ok(())
}

/// Appends a line to an existing session's transcript; returns its turn number.
fn append_line(
    tx: &Conn,
    id: &str,
    role: &str,
    text: &str,
    now: Millis,
) -> Result<u32, OrderError> {
    let turn: u32 = tx.query_row(
        "SELECT COALESCE(MAX(turn), 0) + 1 FROM transcript WHERE session_id = ?1",
        params![id],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO transcript (session_id, turn, role, text, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, turn, role, text, now],
    )?;
    Ok(turn)
}

impl Orders {
    /// Creates or replaces a session's state.
    pub fn save_session(
        &self,
        id: &str,
        customer: Option<&str>,
        state: &serde_json::Value,
    ) -> Result<(), OrderError> {
        super::check_session_id(id).map_err(|message| OrderError::InvalidRequest { message })?;
        self.write(|w| put_state(&w.tx, id, customer, state, w.now))
    }

    /// Persists one whole turn of a conversation in one write: the session (created
    /// for `customer` if new) with its new state, the shopper's and the assistant's
    /// transcript lines, and the turn's statistics record. Inside a turn's
    /// [`Orders::unit`] it commits together with the turn's action.
    pub fn persist_turn(&self, t: &PersistedTurn<'_>) -> Result<(), OrderError> {
        super::check_session_id(t.session_id)
            .map_err(|message| OrderError::InvalidRequest { message })?;
        let stats = serde_json::to_value(t.stats).map_err(|e| OrderError::Internal {
            message: e.to_string(),
        })?;
        self.write(|w| {
            put_state(&w.tx, t.session_id, t.customer, t.state, w.now)?;
            append_line(&w.tx, t.session_id, "shopper", t.shopper, w.now)?;
            append_line(&w.tx, t.session_id, "assistant", t.reply, w.now)?;
            super::event(&w.tx, "turn", t.customer, &stats, w.now)
        })
    }

    /// A session, if it exists and belongs to `customer`.
    pub fn session(&self, id: &str, customer: Option<&str>) -> Result<Option<Session>, OrderError> {
        self.read(|tx, _| {
            if !check_owner(tx, id, customer)? {
                return Ok(None);
            }
            let s = tx.query_row(
                "SELECT customer_id, state_json, created_at, updated_at FROM sessions WHERE id = ?1",
                params![id],
                |r| {
                    Ok(Session {
                        id: id.to_string(),
                        customer_id: r.get(0)?,
                        state: serde_json::from_str(&r.get::<_, String>(1)?)
                            .unwrap_or(serde_json::Value::Null),
                        created_at: r.get(2)?,
                        updated_at: r.get(3)?,
                    })
                },
            )?;
            Ok(Some(s))
        })
    }

    /// Appends a line to a session's transcript (creating the session with an empty
    /// state if needed); returns its turn number.
    pub fn append_turn(
        &self,
        id: &str,
        customer: Option<&str>,
        role: &str,
        text: &str,
    ) -> Result<u32, OrderError> {
        self.write(|w| {
            ensure_session(&w.tx, id, customer, w.now)?;
            append_line(&w.tx, id, role, text, w.now)
        })
    }

    /// The whole transcript of a session that belongs to `customer`.
    pub fn transcript(&self, id: &str, customer: Option<&str>) -> Result<Vec<Turn>, OrderError> {
        self.read(|tx, _| {
            if !check_owner(tx, id, customer)? {
                return Err(unknown(id));
            }
            let mut stmt = tx.prepare(
                "SELECT turn, role, text, at FROM transcript WHERE session_id = ?1 ORDER BY turn",
            )?;
            let rows = stmt.query_map(params![id], turn_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// The last `n` lines of a session's transcript, oldest first, and how many lines
    /// it has in all; nothing for a session not yet stored (its first turn).
    pub fn transcript_tail(
        &self,
        id: &str,
        customer: Option<&str>,
        n: usize,
    ) -> Result<(Vec<Turn>, u32), OrderError> {
        self.read(|tx, _| {
            if !check_owner(tx, id, customer)? {
                return Ok((Vec::new(), 0));
            }
            let total: u32 = tx.query_row(
                "SELECT COUNT(*) FROM transcript WHERE session_id = ?1",
                params![id],
                |r| r.get(0),
            )?;
            let mut stmt = tx.prepare(
                "SELECT turn, role, text, at FROM transcript WHERE session_id = ?1
                 ORDER BY turn DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![id, n as i64], turn_row)?;
            let mut lines: Vec<Turn> = rows.collect::<Result<_, _>>()?;
            lines.reverse();
            Ok((lines, total))
        })
    }
}
