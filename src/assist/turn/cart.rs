//! The cart in a conversation: adding the shown product, removing, checkout
//! proposals and the shopper's confirmation.

use super::*;

impl Assistant {
    pub(super) fn add(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        let Some(p) = self.target(state, u) else {
            out.say(self.t(ctx, "no_focus", json!({})));
            return Ok(());
        };
        // The variant from the shopper's words, else the search's constraints.
        let sizes = if u.slots.sizes.is_empty() {
            &state.search.sizes
        } else {
            &u.slots.sizes
        };
        let colors = if u.slots.colors.is_empty() {
            &state.search.colors
        } else {
            &u.slots.colors
        };
        let fits: Vec<_> = p
            .variants
            .iter()
            .filter(|v| {
                sizes.is_empty()
                    || v.size.as_ref().is_some_and(|s| {
                        sizes
                            .iter()
                            .any(|w| crate::catalog::options::size_matches(w, s))
                    })
            })
            .filter(|v| {
                colors.is_empty()
                    || v.color
                        .as_deref()
                        .and_then(crate::catalog::colors::canonical_of_value)
                        .is_some_and(|c| colors.iter().any(|w| w == c))
            })
            .collect();
        // Choose only what the shopper fixed: if the fitting variants still differ in a
        // size or colour they did not name, ask.
        let differ = |f: fn(&crate::catalog::Variant) -> Option<&String>| {
            let mut seen: Vec<Option<&String>> = fits.iter().map(|v| f(v)).collect();
            seen.sort();
            seen.dedup();
            seen.len() > 1
        };
        let open = (sizes.is_empty() && differ(|v| v.size.as_ref()))
            || (colors.is_empty() && differ(|v| v.color.as_ref()));
        let variant_id = match fits.as_slice() {
            [] if p.variants.len() == 1 => Some(p.variants[0].id.clone()),
            [] => {
                out.say(self.t(ctx, "refused", json!({"reason": match ctx.lang {
                    Language::De => format!("{} gibt es nicht in dieser Ausführung. Verfügbar: {}", title(&p, ctx.lang), options(&p)),
                    Language::En => format!("{} does not come in that version. Available: {}", title(&p, ctx.lang), options(&p)),
                }})));
                return Ok(());
            }
            _ if open => None,
            fits => fits
                .iter()
                .find(|v| v.stock > 0)
                .or(fits.first())
                .map(|v| v.id.clone()),
        };
        let Some(variant_id) = variant_id else {
            state.pending_add = Some(Shown {
                id: p.id.clone(),
                price: p.price,
                brand: p.brand.clone(),
                size: None,
            });
            out.say(self.t(
                ctx,
                "which_version",
                json!({"title": title(&p, ctx.lang), "options": options(&p)}),
            ));
            // A question on the way to the cart is progress, not a stall.
            out.progress = true;
            return Ok(());
        };
        let action = CartAction {
            product_id: p.id.clone(),
            variant_id: Some(variant_id.clone()),
            quantity: i64::from(u.slots.quantity.unwrap_or(1)),
        };
        match self.orders.add_to_cart(&ctx.cart_owner, &action) {
            Ok(cart) => {
                let v = p.variant(&variant_id);
                let variant = v
                    .map(|v| {
                        [v.size.clone(), v.color.clone()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                out.say(self.t(ctx, "added", json!({"title": title(&p, ctx.lang), "variant": variant, "total": self.price(ctx, cart.total, &cart.currency)})));
                out.actions.push(json!({"type": "cart.add", "product_id": p.id, "variant_id": variant_id, "quantity": action.quantity}));
                out.cart = Some(cart);
                out.progress = true;
            }
            Err(e) => out.say(self.t(ctx, "refused", json!({"reason": e.to_string()}))),
        }
        Ok(())
    }

    pub(super) fn remove(
        &self,
        ctx: &Ctx<'_>,
        state: &SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        let cart = self.orders.cart(&ctx.cart_owner)?;
        // The referenced product, else a cart line whose title shares a word, else the
        // only line.
        let target = self.target(state, u).map(|p| p.id.clone());
        let line = cart
            .items
            .iter()
            .find(|l| Some(&l.item.product_id) == target.as_ref())
            .or_else(|| {
                cart.items.iter().find(|l| {
                    let t = l.item.title.to_lowercase();
                    u.normalised
                        .split_whitespace()
                        .any(|w| w.len() >= 4 && t.contains(w))
                })
            })
            .or(if cart.items.len() == 1 {
                cart.items.first()
            } else {
                None
            });
        let Some(line) = line else {
            if cart.items.is_empty() {
                out.say(self.t(ctx, "cart_empty", json!({})));
            } else {
                self.say_cart(ctx, &cart, out);
            }
            return Ok(());
        };
        let cart = self.orders.remove_from_cart(
            &ctx.cart_owner,
            &line.item.product_id,
            &line.item.variant_id,
        )?;
        out.say(self.t(ctx, "removed", json!({"title": line.item.title})));
        out.actions.push(json!({"type": "cart.remove", "product_id": line.item.product_id, "variant_id": line.item.variant_id}));
        out.cart = Some(cart);
        out.progress = true;
        Ok(())
    }

    pub(super) fn say_cart(&self, ctx: &Ctx<'_>, cart: &Cart, out: &mut Outcome) {
        if cart.items.is_empty() {
            out.say(self.t(ctx, "cart_empty", json!({})));
            return;
        }
        out.say(self.t(ctx, "cart", json!({"lines": self.lines(ctx, cart), "total": self.price(ctx, cart.total, &cart.currency)})));
    }

    pub(super) fn lines(&self, ctx: &Ctx<'_>, cart: &Cart) -> String {
        cart.items
            .iter()
            .map(|l| {
                format!(
                    "{}× {} ({})",
                    l.item.quantity,
                    l.item.title,
                    self.price(ctx, l.line_total, &cart.currency)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(super) fn checkout(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        match self.orders.checkout(&ctx.cart_owner) {
            Ok(p) => {
                let cart = self.orders.cart(&ctx.cart_owner)?;
                out.say(self.t(ctx, "checkout", json!({"lines": self.lines(ctx, &cart), "total": self.price(ctx, p.total, &p.currency)})));
                out.actions.push(json!({"type": "checkout.proposed", "total": p.total, "currency": p.currency, "expires_at": p.expires_at}));
                state.pending_checkout = Some(p.token);
                out.cart = Some(cart);
                out.progress = true;
            }
            Err(OrderError::CartEmpty) => out.say(self.t(ctx, "cart_empty", json!({}))),
            Err(e) => out.say(self.t(ctx, "refused", json!({"reason": e.to_string()}))),
        }
        Ok(())
    }

    pub(super) fn confirm(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        token: &str,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        state.pending_checkout = None;
        match self.orders.confirm(&ctx.cart_owner, token) {
            Ok(order) => {
                out.say(self.t(ctx, "confirmed", json!({"order_id": order.id, "total": self.price(ctx, order.total, &order.currency)})));
                out.actions.push(
                    json!({"type": "order.placed", "order_id": order.id, "total": order.total}),
                );
                out.progress = true;
            }
            Err(OrderError::CartChanged { proposal }) => {
                let cart = self.orders.cart(&ctx.cart_owner)?;
                out.say(self.t(ctx, "checkout", json!({"lines": self.lines(ctx, &cart), "total": self.price(ctx, proposal.total, &proposal.currency)})));
                state.pending_checkout = Some(proposal.token);
            }
            Err(e) => out.say(self.t(ctx, "refused", json!({"reason": e.to_string()}))),
        }
        Ok(())
    }
}
