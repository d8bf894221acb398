//! Checkout: a proposal bound to the cart, and the confirmation that places the
//! order (stock, cart and webhook in one transaction).

use super::*;
use crate::store::sql::Dialect;

impl Orders {
    // ---- checkout ----------------------------------------------------------------

    /// Proposes the order for the cart as it is now. Places nothing.
    pub fn checkout(&self, customer: &str) -> Result<Proposal, OrderError> {
        let ttl = self.config.confirmation_ttl_ms;
        self.write(|w| {
            ensure_customer(&w.tx, customer, w.now)?;
            propose(&w.tx, customer, w.now, ttl)
        })
    }

    /// Places the order proposed under `token`, if the cart, prices and stock are still
    /// what was proposed.
    pub fn confirm(&self, customer: &str, token: &str) -> Result<Order, OrderError> {
        let changed = std::cell::Cell::new(false);
        let placed = self.write(|w| confirm_in(w, customer, token, &changed));
        match placed {
            Err(_) if changed.get() => {
                // A fresh proposal the shopper can confirm next, committed on its own:
                // this may itself fail (out of stock, cart now empty), which is then
                // the answer.
                let fresh = self.without_record().checkout(customer)?;
                Err(OrderError::CartChanged {
                    proposal: Box::new(fresh),
                })
            }
            other => other,
        }
    }
}

pub(super) fn propose(
    tx: &Conn,
    customer: &str,
    now: Millis,
    ttl: Millis,
) -> Result<Proposal, OrderError> {
    let cart = load_cart(tx, customer)?;
    if cart.items.is_empty() {
        return Err(OrderError::CartEmpty);
    }
    if let Some(l) = cart.items.iter().find(|l| l.available < l.item.quantity) {
        return Err(OrderError::OutOfStock {
            product_id: l.item.product_id.clone(),
            variant_id: l.item.variant_id.clone(),
            title: l.item.title.clone(),
            available: l.available,
        });
    }
    let currencies: std::collections::BTreeSet<&str> = {
        let mut s = std::collections::BTreeSet::new();
        for l in &cart.items {
            if let Some(p) = stored_product(tx, &l.item.product_id)? {
                s.insert(if p.currency == cart.currency {
                    cart.currency.as_str()
                } else {
                    "mixed"
                });
            }
        }
        s
    };
    if currencies.contains("mixed") {
        return Err(OrderError::InvalidRequest {
            message: "the cart mixes currencies; check out one currency at a time".into(),
        });
    }
    let token = format!("ct_{}", uuid::Uuid::new_v4().simple());
    let expires_at = now + ttl;
    tx.execute(
        "INSERT INTO proposals (token, customer_id, cart_hash, total, currency, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![token, customer, cart_hash(customer, &cart), cart.total, cart.currency, now, expires_at],
    )?;
    Ok(Proposal {
        token,
        items: cart.items,
        total: cart.total,
        currency: cart.currency,
        expires_at,
    })
}

/// Places the proposed order. When the cart no longer matches the proposal it sets
/// `changed` and fails, so the transaction rolls back; [`Orders::confirm`] then answers
/// [`OrderError::CartChanged`] with a fresh proposal.
pub(super) fn confirm_in(
    w: &mut Write<'_>,
    customer: &str,
    token: &str,
    changed: &std::cell::Cell<bool>,
) -> Result<Order, OrderError> {
    let row: Option<(String, i64, Millis, Option<String>)> = w
        .tx
        .query_row(
            match w.tx.dialect() {
                Dialect::Sqlite => "SELECT cart_hash, total, expires_at, order_id FROM proposals WHERE token = ?1 AND customer_id = ?2",
                // The token is taken once across daemons: a second confirmation waits
                // here for the first to commit, then sees its order.
                Dialect::Postgres => "SELECT cart_hash, total, expires_at, order_id FROM proposals WHERE token = ?1 AND customer_id = ?2 FOR UPDATE",
            },
            params![token, customer],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((hash, total, expires_at, order_id)) = row else {
        return Err(OrderError::ConfirmationUnknown);
    };
    if let Some(order_id) = order_id {
        return Err(OrderError::ConfirmationUsed { order_id });
    }
    lock_customer(&w.tx, customer)?;
    if w.now > expires_at {
        return Err(OrderError::ConfirmationExpired);
    }
    let cart = load_cart(&w.tx, customer)?;
    if cart.items.is_empty() || cart_hash(customer, &cart) != hash || cart.total != total {
        changed.set(true);
        return Err(OrderError::Internal {
            message: "cart changed".into(),
        });
    }
    // The generation first, then every product's row in one order (by id), before
    // any stock changes: every writer of the catalogue takes the same locks in the
    // same order (a catalogue import too), so two daemons never wait on each other in
    // a circle.
    stock_generation(w)?;
    let mut ids: Vec<&str> = cart
        .items
        .iter()
        .map(|l| l.item.product_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        crate::store::read_product_for_update(&w.tx, id)?;
    }
    let order_id = new_id("O");
    w.tx.execute(
        "INSERT INTO orders (id, customer_id, status, total, currency, created_at, updated_at)
         VALUES (?1, ?2, 'placed', ?3, ?4, ?5, ?5)",
        params![order_id, customer, cart.total, cart.currency, w.now],
    )?;
    for (i, l) in cart.items.iter().enumerate() {
        change_stock(
            w,
            &l.item.product_id,
            &l.item.variant_id,
            StockChange::Remove(l.item.quantity),
        )?;
        w.tx.execute(
            "INSERT INTO order_items (order_id, line, product_id, variant_id, title, size, color, quantity, unit_price)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![order_id, (i + 1) as i64, l.item.product_id, l.item.variant_id, l.item.title, l.item.size, l.item.color, l.item.quantity, l.item.unit_price],
        )?;
    }
    w.tx.execute(
        "INSERT INTO order_history (order_id, status, at) VALUES (?1, 'placed', ?2)",
        params![order_id, w.now],
    )?;
    w.tx.execute(
        "DELETE FROM cart_items WHERE customer_id = ?1",
        params![customer],
    )?;
    w.tx.execute(
        "UPDATE proposals SET order_id = ?2 WHERE token = ?1",
        params![token, order_id],
    )?;
    let order = load_order(&w.tx, Some(customer), &order_id)?;
    w.enqueue(
        "order.placed",
        &serde_json::json!({ "order": order }),
        w.now,
    )?;
    event(
        &w.tx,
        "order.placed",
        Some(customer),
        &serde_json::json!({"order_id": order_id, "total": order.total}),
        w.now,
    )?;
    Ok(order)
}

/// The catalogue generation this write moves to, taken (and its row locked, on
/// PostgreSQL) at its first stock change: before any product row is locked, as a
/// catalogue import takes it, so lock order is the same for every writer.
fn stock_generation(w: &mut Write<'_>) -> Result<u64, OrderError> {
    if let Some(g) = w.generation {
        return Ok(g);
    }
    let g = crate::store::bump_generation(&w.tx)?;
    w.generation = Some(g);
    Ok(g)
}

pub(super) enum StockChange {
    Add(u32),
    /// Fails with out_of_stock when fewer are left.
    Remove(u32),
    /// Floors at zero.
    RemoveUpTo(u32),
}

/// Changes a variant's stock in its product row; returns the new stock.
pub(super) fn change_stock(
    w: &mut Write<'_>,
    product_id: &str,
    variant_id: &str,
    change: StockChange,
) -> Result<u32, OrderError> {
    stock_generation(w)?;
    // An archived product (off sale, kept for its orders) still counts its stock:
    // a cancelled order's units go back onto the archived row, out of search.
    let Some(mut product) = crate::store::read_product_for_update(&w.tx, product_id)? else {
        if let StockChange::Add(_) = change {
            // Deleted before archiving existed: nothing to put the units back on; the
            // cancellation or return itself must still go through.
            tracing::warn!(product_id, "stock not returned: the product is gone");
            return Ok(0);
        }
        return Err(OrderError::UnknownProduct {
            product_id: product_id.to_string(),
        });
    };
    let title = product.title.clone();
    let Some(variant) = product.variants.iter_mut().find(|v| v.id == variant_id) else {
        return Err(OrderError::UnknownVariant {
            product_id: product_id.to_string(),
            variant_id: variant_id.to_string(),
        });
    };
    variant.stock = match change {
        StockChange::Add(n) => variant.stock.saturating_add(n),
        StockChange::Remove(n) if n > variant.stock => {
            return Err(OrderError::OutOfStock {
                product_id: product_id.to_string(),
                variant_id: variant_id.to_string(),
                title,
                available: variant.stock,
            })
        }
        StockChange::Remove(n) => variant.stock - n,
        StockChange::RemoveUpTo(n) => variant.stock.saturating_sub(n),
    };
    let stock = variant.stock;
    let json = serde_json::to_string(&product).map_err(|e| OrderError::Internal {
        message: e.to_string(),
    })?;
    let generation = stock_generation(w)?;
    w.tx.execute(
        "UPDATE products SET json = ?2, generation = ?3 WHERE id = ?1",
        params![product_id, json, generation as i64],
    )?;
    if !w.touched.iter().any(|t| t == product_id) {
        w.touched.push(product_id.to_string());
    }
    Ok(stock)
}
