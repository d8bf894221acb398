//! What the shop wants to know about the assistant over a time window: sessions,
//! turns, conversion, order value, handoffs, returns, and response times per intent.
//!
//! Turns are recorded as `turn` events (one row each, written by the conversation
//! layer through [`Orders::record_turn`]); orders and returns come from their tables.

use std::collections::BTreeMap;

use crate::store::sql::params;
use serde::{Deserialize, Serialize};

use super::{Millis, OrderError, Orders};

/// Response times of one intent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Latency {
    pub turns: u64,
    pub p50_ms: u64,
    pub p95_ms: u64,
}

/// The figures of one window `[from, to)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stats {
    #[schema(value_type = i64)]
    pub from: Millis,
    #[schema(value_type = i64)]
    pub to: Millis,
    /// Sessions with at least one turn in the window.
    pub sessions: u64,
    pub turns: u64,
    /// Sessions in which the assistant showed products.
    pub sessions_with_search: u64,
    /// Sessions in which an order was placed through the assistant.
    pub sessions_with_order: u64,
    /// `sessions_with_order / sessions_with_search`; `null` without searches.
    pub conversion_rate: Option<f64>,
    /// Orders placed in the window (assistant and API), cancelled ones included.
    pub orders: u64,
    /// Mean order total in minor units, per currency.
    pub average_order_value: BTreeMap<String, i64>,
    /// Sessions handed to a human / sessions.
    pub handoff_rate: Option<f64>,
    /// Orders of the window with a return or exchange request / orders of the window.
    pub return_rate: Option<f64>,
    /// Per intent.
    pub latency: BTreeMap<String, Latency>,
}

/// What one turn did, for the statistics.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TurnRecord<'a> {
    pub session_id: &'a str,
    pub intent: &'a str,
    pub ms: u64,
    pub searched: bool,
    pub ordered: bool,
    pub handoff: bool,
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

impl Orders {
    /// Orders by status, for `/metrics`.
    pub fn order_counts(&self) -> Result<Vec<(String, u64)>, OrderError> {
        self.read(|tx, _| {
            let mut stmt = tx.prepare("SELECT status, COUNT(*) FROM orders GROUP BY status")?;
            let rows = stmt.query_map(params![], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// The figures of `[from, to)` (milliseconds since the epoch).
    pub fn stats(&self, from: Millis, to: Millis) -> Result<Stats, OrderError> {
        if from >= to {
            return Err(OrderError::InvalidRequest {
                message: "`from` must be before `to`".into(),
            });
        }
        self.read(|tx, _| {
            let mut sessions: BTreeMap<String, (bool, bool, bool)> = BTreeMap::new();
            let mut by_intent: BTreeMap<String, Vec<u64>> = BTreeMap::new();
            let mut turns = 0u64;
            {
                let mut stmt = tx.prepare(
                    "SELECT data_json FROM events WHERE kind = 'turn' AND at >= ?1 AND at < ?2",
                )?;
                let rows = stmt.query_map(params![from, to], |r| r.get::<_, String>(0))?;
                for row in rows {
                    let Ok(v) = serde_json::from_str::<serde_json::Value>(&row?) else {
                        continue;
                    };
                    turns += 1;
                    let flag = |k: &str| v[k].as_bool().unwrap_or(false);
                    let s = sessions
                        .entry(v["session_id"].as_str().unwrap_or("-").to_string())
                        .or_default();
                    s.0 |= flag("searched");
                    s.1 |= flag("ordered");
                    s.2 |= flag("handoff");
                    by_intent
                        .entry(v["intent"].as_str().unwrap_or("unknown").to_string())
                        .or_default()
                        .push(v["ms"].as_u64().unwrap_or(0));
                }
            }
            let searched = sessions.values().filter(|s| s.0).count() as u64;
            let ordered = sessions.values().filter(|s| s.0 && s.1).count() as u64;
            let handed = sessions.values().filter(|s| s.2).count() as u64;

            let (orders, returned): (u64, u64) = tx.query_row(
                "SELECT COUNT(DISTINCT o.id), COUNT(DISTINCT r.order_id) FROM orders o
                 LEFT JOIN returns r ON r.order_id = o.id
                 WHERE o.created_at >= ?1 AND o.created_at < ?2",
                params![from, to],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
            )?;
            let mut average_order_value = BTreeMap::new();
            {
                let mut stmt = tx.prepare(
                    "SELECT currency, CAST(AVG(total) AS DOUBLE PRECISION) FROM orders
                     WHERE created_at >= ?1 AND created_at < ?2 GROUP BY currency",
                )?;
                let rows = stmt.query_map(params![from, to], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?))
                })?;
                for row in rows {
                    let (currency, avg) = row?;
                    average_order_value.insert(currency, avg.round() as i64);
                }
            }
            let latency = by_intent
                .into_iter()
                .map(|(intent, mut ms)| {
                    ms.sort_unstable();
                    let l = Latency {
                        turns: ms.len() as u64,
                        p50_ms: percentile(&ms, 0.5),
                        p95_ms: percentile(&ms, 0.95),
                    };
                    (intent, l)
                })
                .collect();
            Ok(Stats {
                from,
                to,
                sessions: sessions.len() as u64,
                turns,
                sessions_with_search: searched,
                sessions_with_order: ordered,
                conversion_rate: ratio(ordered, searched),
                orders,
                average_order_value,
                handoff_rate: ratio(handed, sessions.len() as u64),
                return_rate: ratio(returned, orders),
                latency,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&v, 0.5), 50);
        assert_eq!(percentile(&v, 0.95), 95);
        assert_eq!(percentile(&[7], 0.95), 7);
        assert_eq!(percentile(&[], 0.5), 0);
    }
}
