//! After the sale: orders, cancellation, status changes, stock, returns and
//! exchanges, reorders, feedback and reminders.

use super::*;
use crate::store::sql::Dialect;

impl Orders {
    // ---- orders ------------------------------------------------------------------

    /// One of the customer's orders.
    pub fn order(&self, customer: &str, order_id: &str) -> Result<Order, OrderError> {
        self.read(|tx, _| load_order(tx, Some(customer), order_id))
    }

    /// Orders, newest first. With `customer_id` set, only theirs.
    pub fn list_orders(&self, filter: &OrderFilter) -> Result<Vec<Order>, OrderError> {
        self.read(|tx, _| {
            let limit = if filter.limit == 0 {
                50
            } else {
                filter.limit.min(500)
            };
            let mut stmt = tx.prepare(
                "SELECT id FROM orders
                 WHERE (CAST(?1 AS TEXT) IS NULL OR customer_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR status = ?2)
                 ORDER BY created_at DESC, id DESC LIMIT ?3 OFFSET ?4",
            )?;
            let ids: Vec<String> = stmt
                .query_map(
                    params![
                        filter.customer_id,
                        filter.status.map(OrderStatus::as_str),
                        limit as i64,
                        filter.offset as i64
                    ],
                    |r| r.get(0),
                )?
                .collect::<Result<_, _>>()?;
            ids.iter().map(|id| load_order(tx, None, id)).collect()
        })
    }

    /// Cancels an order that has not shipped; its stock goes back.
    pub fn cancel_order(&self, customer: &str, order_id: &str) -> Result<Order, OrderError> {
        self.write(|w| {
            lock_order(&w.tx, order_id)?;
            let order = load_order(&w.tx, Some(customer), order_id)?;
            if !matches!(order.status, OrderStatus::Placed | OrderStatus::Confirmed) {
                return Err(OrderError::InvalidTransition {
                    order_id: order.id,
                    status: order.status.as_str().into(),
                    action: "cancelled".into(),
                });
            }
            for item in &order.items {
                change_stock(
                    w,
                    &item.item.product_id,
                    &item.item.variant_id,
                    StockChange::Add(item.item.quantity),
                )?;
            }
            set_status(&w.tx, &order.id, OrderStatus::Cancelled, None, w.now)?;
            let order = load_order(&w.tx, Some(customer), order_id)?;
            w.enqueue(
                "order.cancelled",
                &serde_json::json!({ "order": order }),
                w.now,
            )?;
            event(
                &w.tx,
                "order.cancelled",
                Some(customer),
                &serde_json::json!({"order_id": order.id}),
                w.now,
            )?;
            Ok(order)
        })
    }

    /// The shop sets an order's status (confirmed, shipped with tracking, delivered).
    pub fn set_order_status(
        &self,
        order_id: &str,
        update: &StatusUpdate,
    ) -> Result<Order, OrderError> {
        self.write(|w| {
            lock_order(&w.tx, order_id)?;
            let order = load_order(&w.tx, None, order_id)?;
            let (to, allowed): (OrderStatus, &[OrderStatus]) = match update {
                StatusUpdate::Confirmed => (OrderStatus::Confirmed, &[OrderStatus::Placed]),
                StatusUpdate::Shipped { .. } => (
                    OrderStatus::Shipped,
                    &[OrderStatus::Placed, OrderStatus::Confirmed],
                ),
                StatusUpdate::Delivered => (OrderStatus::Delivered, &[OrderStatus::Shipped]),
            };
            if !allowed.contains(&order.status) {
                return Err(OrderError::InvalidTransition {
                    order_id: order.id,
                    status: order.status.as_str().into(),
                    action: to.as_str().into(),
                });
            }
            let tracking = match update {
                StatusUpdate::Shipped { tracking_number } => {
                    let t = tracking_number.trim();
                    if t.is_empty() {
                        return Err(OrderError::InvalidRequest {
                            message: "shipped needs a tracking number".into(),
                        });
                    }
                    w.tx.execute(
                        "UPDATE orders SET tracking = ?2 WHERE id = ?1",
                        params![order.id, t],
                    )?;
                    Some(t.to_string())
                }
                _ => None,
            };
            if to == OrderStatus::Delivered {
                w.tx.execute(
                    "UPDATE orders SET delivered_at = ?2 WHERE id = ?1",
                    params![order.id, w.now],
                )?;
            }
            set_status(&w.tx, &order.id, to, tracking.as_deref(), w.now)?;
            load_order(&w.tx, None, order_id)
        })
    }

    /// The shop changes a variant's stock by `delta` (negative to remove, floored at 0).
    /// Returns the new stock.
    pub fn adjust_stock(
        &self,
        product_id: &str,
        variant_id: &str,
        delta: i64,
    ) -> Result<u32, OrderError> {
        self.write(|w| {
            let change = if delta >= 0 {
                StockChange::Add(u32::try_from(delta).unwrap_or(u32::MAX))
            } else {
                StockChange::RemoveUpTo(u32::try_from(-delta).unwrap_or(u32::MAX))
            };
            change_stock(w, product_id, variant_id, change)
        })
    }

    // ---- after the sale ----------------------------------------------------------

    /// Requests a return or an exchange of delivered lines, within the return window.
    pub fn request_return(
        &self,
        customer: &str,
        order_id: &str,
        kind: ReturnKind,
        items: &[ReturnLine],
        reason: &str,
    ) -> Result<ReturnRequest, OrderError> {
        let window = self.config.return_window_ms;
        self.write(|w| {
            lock_order(&w.tx, order_id)?;
            let order = load_order(&w.tx, Some(customer), order_id)?;
            if order.status != OrderStatus::Delivered {
                return Err(OrderError::InvalidTransition {
                    order_id: order.id,
                    status: order.status.as_str().into(),
                    action: "returned (only delivered orders can be)".into(),
                });
            }
            if w.now - order.delivered_at.unwrap_or(w.now) > window {
                return Err(OrderError::ReturnWindowClosed {
                    days: window / (24 * 3600 * 1000),
                });
            }
            if items.is_empty() {
                return Err(OrderError::InvalidRequest {
                    message: "name at least one order line to return".into(),
                });
            }
            for item in items {
                let Some(line) = order.items.iter().find(|l| l.line == item.line) else {
                    return Err(OrderError::InvalidRequest {
                        message: format!("order {} has no line {}", order.id, item.line),
                    });
                };
                if item.quantity == 0 || item.quantity > line.item.quantity {
                    return Err(OrderError::InvalidRequest {
                        message: format!(
                            "line {} has {} units; cannot return {}",
                            line.line, line.item.quantity, item.quantity
                        ),
                    });
                }
                if kind == ReturnKind::Exchange {
                    let wanted = item.exchange_variant_id.as_deref().ok_or_else(|| {
                        OrderError::InvalidRequest {
                            message: format!("line {}: an exchange names the variant wanted", line.line),
                        }
                    })?;
                    let product = product_in(&w.tx, &line.item.product_id)?;
                    check_stock(&product, wanted, i64::from(item.quantity))?;
                }
            }
            let reason = reason.trim();
            let request = ReturnRequest {
                id: new_id("R"),
                order_id: order.id.clone(),
                kind,
                items: items.to_vec(),
                reason: if reason.is_empty() { "not given".into() } else { reason.into() },
                status: "requested".into(),
                created_at: w.now,
            };
            w.tx.execute(
                "INSERT INTO returns (id, order_id, customer_id, kind, items_json, reason, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    request.id,
                    request.order_id,
                    customer,
                    if kind == ReturnKind::Return { "return" } else { "exchange" },
                    serde_json::to_string(&request.items).unwrap_or_default(),
                    request.reason,
                    request.status,
                    w.now
                ],
            )?;
            w.enqueue("return.requested", &serde_json::json!({ "customer_id": customer, "return": request }), w.now)?;
            event(&w.tx, "return.requested", Some(customer), &serde_json::json!({"order_id": order.id, "return_id": request.id}), w.now)?;
            Ok(request)
        })
    }

    /// The customer's return requests, newest first.
    pub fn returns(&self, customer: &str) -> Result<Vec<ReturnRequest>, OrderError> {
        self.read(|tx, _| {
            let mut stmt = tx.prepare(
                "SELECT id, order_id, kind, items_json, reason, status, created_at FROM returns
                 WHERE customer_id = ?1 ORDER BY created_at DESC, id DESC",
            )?;
            let rows = stmt.query_map(params![customer], |r| {
                Ok(ReturnRequest {
                    id: r.get(0)?,
                    order_id: r.get(1)?,
                    kind: if r.get::<_, String>(2)? == "exchange" {
                        ReturnKind::Exchange
                    } else {
                        ReturnKind::Return
                    },
                    items: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
                    reason: r.get(4)?,
                    status: r.get(5)?,
                    created_at: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Puts a past order's lines into the cart at today's prices and stock, and says
    /// what changed.
    pub fn reorder(&self, customer: &str, order_id: &str) -> Result<Reorder, OrderError> {
        let max = self.config.max_quantity;
        self.write(|w| {
            ensure_customer(&w.tx, customer, w.now)?;
            let order = load_order(&w.tx, Some(customer), order_id)?;
            let mut changes = Vec::new();
            for item in &order.items {
                let product = match stored_product(&w.tx, &item.item.product_id)? {
                    Some(p) if p.variant(&item.item.variant_id).is_some() => p,
                    _ => {
                        changes.push(ReorderChange::NoLongerSold {
                            product_id: item.item.product_id.clone(),
                            title: item.item.title.clone(),
                        });
                        continue;
                    }
                };
                let available = product.variant(&item.item.variant_id).map_or(0, |v| v.stock);
                let in_cart: i64 = w
                    .tx
                    .query_row(
                        "SELECT quantity FROM cart_items WHERE customer_id = ?1 AND product_id = ?2 AND variant_id = ?3",
                        params![customer, item.item.product_id, item.item.variant_id],
                        |r| r.get(0),
                    )
                    .optional()?
                    .unwrap_or(0);
                let wanted = (in_cart + i64::from(item.item.quantity)).min(i64::from(max));
                let quantity = wanted.min(i64::from(available));
                if quantity <= in_cart {
                    if available == 0 {
                        changes.push(ReorderChange::OutOfStock {
                            product_id: item.item.product_id.clone(),
                            title: item.item.title.clone(),
                        });
                    }
                    continue;
                }
                if quantity < wanted {
                    changes.push(ReorderChange::QuantityReduced {
                        product_id: item.item.product_id.clone(),
                        title: item.item.title.clone(),
                        wanted: (wanted - in_cart) as u32,
                        available: (quantity - in_cart) as u32,
                    });
                }
                let price = unit_price(&product, &item.item.variant_id);
                if price != item.item.unit_price {
                    changes.push(ReorderChange::PriceChanged {
                        product_id: item.item.product_id.clone(),
                        title: item.item.title.clone(),
                        was: item.item.unit_price,
                        now: price,
                    });
                }
                w.tx.execute(
                    "INSERT INTO cart_items (customer_id, product_id, variant_id, quantity, price_when_added, added_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (customer_id, product_id, variant_id) DO UPDATE SET quantity = excluded.quantity",
                    params![customer, item.item.product_id, item.item.variant_id, quantity, price, w.now],
                )?;
            }
            event(&w.tx, "order.reorder", Some(customer), &serde_json::json!({"order_id": order.id}), w.now)?;
            Ok(Reorder {
                cart: load_cart(&w.tx, customer)?,
                changes,
            })
        })
    }

    /// Records feedback: a rating 1–5 or an NPS 0–10, with an optional comment.
    pub fn feedback(
        &self,
        customer: Option<&str>,
        session: Option<&str>,
        feedback: &Feedback,
    ) -> Result<(), OrderError> {
        let (kind, score, comment, range) = match feedback {
            Feedback::Rating { score, comment } => ("rating", *score, comment, 1..=5),
            Feedback::Nps { score, comment } => ("nps", *score, comment, 0..=10),
        };
        if !range.contains(&score) {
            return Err(OrderError::InvalidRequest {
                message: format!(
                    "a {kind} is between {} and {}, got {score}",
                    range.start(),
                    range.end()
                ),
            });
        }
        self.write(|w| {
            w.tx.execute(
                "INSERT INTO feedback (customer_id, session_id, kind, score, comment, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![customer, session, kind, score, comment, w.now],
            )?;
            Ok(())
        })
    }

    /// Consumables due again: for each variant the customer ordered (not cancelled)
    /// whose product has a reorder interval, the last order time plus that interval,
    /// when it has passed.
    pub fn reminders(&self, customer: &str) -> Result<Vec<Reminder>, OrderError> {
        self.read(|tx, now| {
            let mut stmt = tx.prepare(
                "SELECT i.product_id, i.variant_id, i.title, o.created_at
                 FROM orders o JOIN order_items i ON i.order_id = o.id
                 WHERE o.customer_id = ?1 AND o.status != 'cancelled'
                 ORDER BY o.created_at DESC, o.id DESC",
            )?;
            // The latest order of each variant, with the title it was ordered under.
            let mut seen = std::collections::HashSet::new();
            let rows: Vec<(String, String, String, Millis)> = stmt
                .query_map(params![customer], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<Result<Vec<(String, String, String, Millis)>, _>>()?
                .into_iter()
                .filter(|(p, v, _, _)| seen.insert((p.clone(), v.clone())))
                .collect();
            let mut due = Vec::new();
            for (product_id, variant_id, title, last) in rows {
                let Some(days) =
                    stored_product(tx, &product_id)?.and_then(|p| p.reorder_interval_days)
                else {
                    continue;
                };
                let due_at = last + i64::from(days) * 24 * 3600 * 1000;
                if due_at <= now {
                    due.push(Reminder {
                        product_id,
                        variant_id,
                        title,
                        last_ordered_at: last,
                        due_at,
                    });
                }
            }
            due.sort_by_key(|r| r.due_at);
            Ok(due)
        })
    }
}

pub(super) fn set_status(
    tx: &Conn,
    order_id: &str,
    status: OrderStatus,
    note: Option<&str>,
    now: Millis,
) -> Result<(), OrderError> {
    tx.execute(
        "UPDATE orders SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![order_id, status.as_str(), now],
    )?;
    tx.execute(
        "INSERT INTO order_history (order_id, status, at, note) VALUES (?1, ?2, ?3, ?4)",
        params![order_id, status.as_str(), now, note],
    )?;
    Ok(())
}

/// Locks an order's row until the write ends, on PostgreSQL: a status change reads
/// the status it changes from after every other daemon's change to it committed (two
/// daemons cancelling one order put its stock back once). SQLite's write transaction
/// already holds the whole database.
fn lock_order(tx: &Conn, order_id: &str) -> Result<(), OrderError> {
    if tx.dialect() == Dialect::Postgres {
        tx.query_all(
            "SELECT id FROM orders WHERE id = ?1 FOR UPDATE",
            params![order_id],
        )?;
    }
    Ok(())
}

/// An order with its lines and history; with `customer` set, only if it is theirs.
pub(super) fn load_order(
    tx: &Conn,
    customer: Option<&str>,
    order_id: &str,
) -> Result<Order, OrderError> {
    let unknown = || OrderError::UnknownOrder {
        order_id: order_id.to_string(),
    };
    let row = tx
        .query_row(
            "SELECT id, customer_id, status, total, currency, tracking, created_at, delivered_at
             FROM orders WHERE id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR customer_id = ?2)",
            params![order_id, customer],
            |r| {
                Ok(Order {
                    id: r.get(0)?,
                    customer_id: r.get(1)?,
                    status: OrderStatus::parse(&r.get::<_, String>(2)?),
                    items: Vec::new(),
                    total: r.get(3)?,
                    currency: r.get(4)?,
                    tracking: r.get(5)?,
                    created_at: r.get(6)?,
                    delivered_at: r.get(7)?,
                    history: Vec::new(),
                })
            },
        )
        .optional()?;
    let mut order = row.ok_or_else(unknown)?;
    let mut stmt = tx.prepare_cached(
        "SELECT line, product_id, variant_id, title, size, color, quantity, unit_price
         FROM order_items WHERE order_id = ?1 ORDER BY line",
    )?;
    order.items = stmt
        .query_map(params![order.id], |r| {
            Ok(OrderLine {
                line: r.get(0)?,
                item: LineItem {
                    product_id: r.get(1)?,
                    variant_id: r.get(2)?,
                    title: r.get(3)?,
                    size: r.get(4)?,
                    color: r.get(5)?,
                    quantity: r.get(6)?,
                    unit_price: r.get(7)?,
                },
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = tx.prepare_cached(match tx.dialect() {
        Dialect::Sqlite => {
            "SELECT status, at, note FROM order_history WHERE order_id = ?1 ORDER BY rowid"
        }
        Dialect::Postgres => {
            "SELECT status, at, note FROM order_history WHERE order_id = ?1 ORDER BY seq"
        }
    })?;
    order.history = stmt
        .query_map(params![order.id], |r| {
            Ok(StatusChange {
                status: OrderStatus::parse(&r.get::<_, String>(0)?),
                at: r.get(1)?,
                note: r.get(2)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(order)
}
