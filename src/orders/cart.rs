//! Carts: adding, changing and removing lines, priced from the catalogue now.

use super::*;

impl Orders {
    // ---- carts -------------------------------------------------------------------

    /// The customer's cart, priced now.
    pub fn cart(&self, customer: &str) -> Result<Cart, OrderError> {
        self.read(|tx, _| load_cart(tx, customer))
    }

    /// Adds `action.quantity` of a variant (adding to a line already there).
    pub fn add_to_cart(&self, customer: &str, action: &CartAction) -> Result<Cart, OrderError> {
        let max = self.config.max_quantity;
        self.write(|w| {
            ensure_customer(&w.tx, customer, w.now)?;
            let (product, variant_id) = resolve_action(&w.tx, action)?;
            let have: i64 = w
                .tx
                .query_row(
                    "SELECT quantity FROM cart_items WHERE customer_id = ?1 AND product_id = ?2 AND variant_id = ?3",
                    params![customer, product.id, variant_id],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(0);
            let quantity = check_quantity(action.quantity, max)?;
            let total = check_quantity(have + i64::from(quantity), max)?;
            check_stock(&product, &variant_id, i64::from(total))?;
            w.tx.execute(
                "INSERT INTO cart_items (customer_id, product_id, variant_id, quantity, price_when_added, added_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (customer_id, product_id, variant_id) DO UPDATE SET quantity = excluded.quantity",
                params![customer, product.id, variant_id, total, unit_price(&product, &variant_id), w.now],
            )?;
            event(&w.tx, "cart.add", Some(customer), &serde_json::json!({"product_id": product.id, "variant_id": variant_id, "quantity": quantity}), w.now)?;
            load_cart(&w.tx, customer)
        })
    }

    /// Sets a line's quantity; 0 removes it.
    pub fn set_quantity(&self, customer: &str, action: &CartAction) -> Result<Cart, OrderError> {
        let max = self.config.max_quantity;
        self.write(|w| {
            ensure_customer(&w.tx, customer, w.now)?;
            let (product, variant_id) = resolve_action(&w.tx, action)?;
            if action.quantity == 0 {
                remove_line(&w.tx, customer, &product.id, &variant_id)?;
            } else {
                let quantity = check_quantity(action.quantity, max)?;
                check_stock(&product, &variant_id, i64::from(quantity))?;
                let n = w.tx.execute(
                    "UPDATE cart_items SET quantity = ?4 WHERE customer_id = ?1 AND product_id = ?2 AND variant_id = ?3",
                    params![customer, product.id, variant_id, quantity],
                )?;
                if n == 0 {
                    return Err(OrderError::NotInCart {
                        product_id: product.id.clone(),
                        variant_id,
                    });
                }
            }
            load_cart(&w.tx, customer)
        })
    }

    /// Removes a line.
    pub fn remove_from_cart(
        &self,
        customer: &str,
        product_id: &str,
        variant_id: &str,
    ) -> Result<Cart, OrderError> {
        self.write(|w| {
            lock_customer(&w.tx, customer)?;
            remove_line(&w.tx, customer, product_id, variant_id)?;
            load_cart(&w.tx, customer)
        })
    }
}

/// The product and variant an action names, both checked to exist.
pub(super) fn resolve_action(
    tx: &Conn,
    action: &CartAction,
) -> Result<(Product, String), OrderError> {
    let product = product_in(tx, action.product_id.trim())?;
    let variant_id = match action.variant_id.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => {
            if product.variant(v).is_none() {
                return Err(OrderError::UnknownVariant {
                    product_id: product.id.clone(),
                    variant_id: v.to_string(),
                });
            }
            v.to_string()
        }
        _ if product.variants.len() == 1 => product.variants[0].id.clone(),
        _ => {
            let options = product
                .variants
                .iter()
                .map(|v| {
                    let mut label = vec![v.id.as_str()];
                    label.extend(v.size.as_deref());
                    label.extend(v.color.as_deref());
                    label.join(" ")
                })
                .collect::<Vec<_>>()
                .join(", ");
            return Err(OrderError::VariantRequired {
                product_id: product.id.clone(),
                options,
            });
        }
    };
    Ok((product, variant_id))
}

pub(super) fn check_quantity(quantity: i64, max: u32) -> Result<u32, OrderError> {
    if quantity < 1 || quantity > i64::from(max) {
        return Err(OrderError::InvalidQuantity { quantity, max });
    }
    Ok(quantity as u32)
}

pub(super) fn check_stock(
    product: &Product,
    variant_id: &str,
    quantity: i64,
) -> Result<(), OrderError> {
    let available = product.variant(variant_id).map_or(0, |v| v.stock);
    if i64::from(available) < quantity {
        return Err(OrderError::OutOfStock {
            product_id: product.id.clone(),
            variant_id: variant_id.to_string(),
            title: product.title.clone(),
            available,
        });
    }
    Ok(())
}

/// What a unit costs now: the variant's own price, else the sale price, else the price.
pub(super) fn unit_price(product: &Product, variant_id: &str) -> i64 {
    product
        .variant(variant_id)
        .and_then(|v| v.price)
        .or(product.sale_price)
        .unwrap_or(product.price)
}

pub(super) fn remove_line(
    tx: &Conn,
    customer: &str,
    product_id: &str,
    variant_id: &str,
) -> Result<(), OrderError> {
    let n = tx.execute(
        "DELETE FROM cart_items WHERE customer_id = ?1 AND product_id = ?2 AND variant_id = ?3",
        params![customer, product_id, variant_id],
    )?;
    if n == 0 {
        return Err(OrderError::NotInCart {
            product_id: product_id.to_string(),
            variant_id: variant_id.to_string(),
        });
    }
    Ok(())
}

/// The cart priced from the catalogue now. Lines whose product or variant is gone are
/// deleted and named in `removed`.
pub(super) fn load_cart(tx: &Conn, customer: &str) -> Result<Cart, OrderError> {
    let rows: Vec<(String, String, u32, i64)> = {
        let mut stmt = tx.prepare(
            "SELECT product_id, variant_id, quantity, price_when_added FROM cart_items
             WHERE customer_id = ?1 ORDER BY added_at, product_id, variant_id",
        )?;
        let rows = stmt.query_map(params![customer], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let mut cart = Cart::default();
    for (product_id, variant_id, quantity, price_when_added) in rows {
        let product = stored_product(tx, &product_id)?;
        let Some((product, variant)) = product
            .as_ref()
            .and_then(|p| Some((p, p.variant(&variant_id)?)))
        else {
            tx.execute(
                "DELETE FROM cart_items WHERE customer_id = ?1 AND product_id = ?2 AND variant_id = ?3",
                params![customer, product_id, variant_id],
            )?;
            cart.removed.push(product_id);
            continue;
        };
        let unit = unit_price(product, &variant_id);
        cart.currency = product.currency.clone();
        let line_total = line_total(unit, quantity)?;
        cart.total = add_amounts(cart.total, line_total)?;
        cart.items.push(CartLine {
            item: LineItem {
                product_id,
                variant_id,
                title: product.title.clone(),
                size: variant.size.clone(),
                color: variant.color.clone(),
                quantity,
                unit_price: unit,
            },
            price_when_added,
            line_total,
            available: variant.stock,
        });
    }
    if cart.currency.is_empty() {
        cart.currency = "EUR".into();
    }
    Ok(cart)
}

/// `unit × quantity`, or `amount_out_of_range` past `i64` (or the price cap's reach).
pub(crate) fn line_total(unit: i64, quantity: u32) -> Result<i64, OrderError> {
    unit.checked_mul(i64::from(quantity))
        .filter(|t| *t >= 0)
        .ok_or_else(|| OrderError::AmountOutOfRange {
            what: format!("{unit} × {quantity}"),
        })
}

/// `a + b`, or `amount_out_of_range` past `i64`.
pub(crate) fn add_amounts(a: i64, b: i64) -> Result<i64, OrderError> {
    a.checked_add(b)
        .filter(|t| *t >= 0)
        .ok_or_else(|| OrderError::AmountOutOfRange {
            what: format!("{a} + {b}"),
        })
}

/// What a proposal is bound to: the customer, each line's ids, quantity, current unit
/// price and whether its stock covers it, and the total.
pub(super) fn cart_hash(customer: &str, cart: &Cart) -> String {
    let mut h = Sha256::new();
    h.update(customer.as_bytes());
    h.update([0]);
    for l in &cart.items {
        h.update(
            format!(
                "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\n",
                l.item.product_id,
                l.item.variant_id,
                l.item.quantity,
                l.item.unit_price,
                l.available >= l.item.quantity
            )
            .as_bytes(),
        );
    }
    h.update(format!("{}{}", cart.total, cart.currency).as_bytes());
    hex::encode(h.finalize())
}
