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
            out.say(Fact::NoFocus);
            // Several shown: the next message that picks one adds it.
            state.choosing_to_add = state.shown.len() > 1;
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
        // "the deco x55 3 pack": the pack said is a version of a product sold in packs
        // (1-Pack, 2-Pack, 3-Pack), not three of the first.
        let pack_of = |v: &crate::catalog::Variant| {
            v.size
                .as_deref()
                .and_then(crate::catalog::options::pack_count)
        };
        let pack = crate::catalog::options::pack_count(&u.normalised)
            .filter(|n| p.variants.iter().any(|v| pack_of(v) == Some(*n)));
        let fits: Vec<_> = p
            .variants
            .iter()
            .filter(|v| pack.is_none() || pack_of(v) == pack)
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
            // A spec the search asked for fixes the versions that state it: "2 hdmi
            // cables of 25 feet" adds the 25 feet one of a cable titled 50 feet (a
            // size the shopper says now overrides it).
            .filter(|v| {
                let own = crate::catalog::specs::Specs::of_variant(v);
                !u.slots.sizes.is_empty()
                    || state
                        .search
                        .specs
                        .iter()
                        .all(|w| !own.has(w.dim) || own.of(w.dim).any(|q| w.met_by_quantity(q)))
            })
            .collect();
        // Choose only what the shopper fixed. A product shown in a variant that fits is
        // added in it, unless its size is open (the fitting variants differ in a size
        // nobody named): then ask, offering only the fitting variants.
        let differ = |f: fn(&crate::catalog::Variant) -> Option<&String>| {
            let mut seen: Vec<Option<&String>> = fits.iter().map(|v| f(v)).collect();
            seen.sort();
            seen.dedup();
            seen.len() > 1
        };
        let color_open = colors.is_empty() && differ(|v| v.color.as_ref());
        let shown = state
            .shown
            .iter()
            .chain(state.focused.as_ref())
            .find(|s| s.id == p.id)
            .and_then(|s| s.variant_id.as_deref())
            .and_then(|id| fits.iter().find(|v| v.id == id));
        // A size that is an amount (10000 / 20000 mAh, 250 / 500 g, 20 / 30 l) is a
        // version the shown one stands for, not a fit nobody named (M or L, a shoe's
        // 42, a duvet's 135 x 200 cm): the shown one is added.
        let amounts = shown.is_some()
            && fits
                .iter()
                .all(|v| v.size.as_deref().is_some_and(is_amount));
        // "the cheapest hdmi cable in my cart": the version shown is the cheapest
        // (or the largest, the longest), the one asked for, where versions are
        // measures (1 m, 3 m, 5 m); a jacket's size is still the shopper's to say.
        let by_superlative = shown.is_some()
            && crate::nlu::rules::says_superlative(&u.normalised)
            && fits
                .iter()
                .all(|v| v.size.as_deref().is_none_or(is_measure));
        let size_open =
            sizes.is_empty() && !amounts && !by_superlative && differ(|v| v.size.as_ref());
        let shown = shown.filter(|_| !size_open);
        // The listing's own version: "LINDY 36920 0.5m … Cable" is the 0.5 m one of
        // its five lengths, and naming the listing names it.
        let titled = {
            let mut named = fits.iter().filter(|v| title_names_version(&p.title, v));
            match (named.next(), named.next()) {
                (Some(v), None) => Some(*v),
                _ => None,
            }
        };
        let variant_id = match fits.as_slice() {
            [] if p.variants.len() == 1 => Some(p.variants[0].id.clone()),
            [] => {
                out.say(Fact::Refused(Refusal::NoSuchVersion { product: p }));
                return Ok(());
            }
            [one] if pack.is_some() => Some(one.id.clone()),
            _ if shown.is_some() => shown.map(|v| v.id.clone()),
            _ if titled.is_some() => titled.map(|v| v.id.clone()),
            _ if size_open || color_open => None,
            fits => fits
                .iter()
                .find(|v| v.stock > 0)
                .or(fits.first())
                .map(|v| v.id.clone()),
        };
        let Some(variant_id) = variant_id else {
            // Only what is still open, of the variants that fit (in stock if any is).
            let stocked: Vec<_> = fits.iter().filter(|v| v.stock > 0).collect();
            let offer = if stocked.is_empty() {
                fits.iter().collect()
            } else {
                stocked
            };
            let mut options: Vec<(Option<String>, Option<String>)> = offer
                .iter()
                .map(|v| {
                    (
                        v.size.clone().filter(|_| size_open),
                        v.color.clone().filter(|_| color_open),
                    )
                })
                .filter(|(s, c)| s.is_some() || c.is_some())
                .collect();
            let mut seen = std::collections::HashSet::new();
            options.retain(|o| seen.insert(o.clone()));
            state.pending_add = Some(Shown {
                id: p.id.clone(),
                price: p.price,
                brand: p.brand.clone(),
                size: None,
                variant_id: None,
            });
            out.say(Fact::Cart(CartFact::WhichVersion {
                product: p,
                options,
            }));
            // A question on the way to the cart is progress, not a stall.
            out.progress = true;
            return Ok(());
        };
        let action = CartAction {
            product_id: p.id.clone(),
            variant_id: Some(variant_id.clone()),
            // The pack's count was the version's, not how many.
            quantity: i64::from(u.slots.quantity.filter(|q| Some(*q) != pack).unwrap_or(1)),
        };
        match self.orders.add_to_cart(&ctx.cart_owner, &action) {
            Ok(cart) => {
                out.actions.push(json!({"type": "cart.add", "product_id": p.id, "variant_id": variant_id, "quantity": action.quantity}));
                out.say(Fact::Cart(CartFact::Added {
                    variant: p.variant(&variant_id).cloned(),
                    quantity: action.quantity,
                    total: Money::new(cart.total, &cart.currency),
                    product: p,
                }));
                out.cart = Some(cart);
                out.progress = true;
            }
            // Said in the shopper's language, with the version's own title.
            Err(OrderError::OutOfStock { available, .. }) => {
                out.say(Fact::Refused(Refusal::OutOfStock {
                    variant: p.variant(&variant_id).cloned(),
                    product: p,
                    available,
                }))
            }
            Err(e) => out.say(Fact::Refused(Refusal::Engine(e.to_string()))),
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
                out.say(Fact::Cart(CartFact::Empty));
            } else {
                out.say(Fact::Cart(CartFact::Contents(
                    self.in_words_of(ctx.lang, cart),
                )));
            }
            return Ok(());
        };
        let cart = self.orders.remove_from_cart(
            &ctx.cart_owner,
            &line.item.product_id,
            &line.item.variant_id,
        )?;
        out.actions.push(json!({"type": "cart.remove", "product_id": line.item.product_id, "variant_id": line.item.variant_id}));
        out.say(Fact::Cart(CartFact::Removed {
            title: self
                .shop
                .product(&line.item.product_id)
                .map_or_else(|| line.item.title.clone(), |p| title(&p, ctx.lang)),
        }));
        out.cart = Some(cart);
        out.progress = true;
        Ok(())
    }

    /// A cart as the reply names its items: in the shopper's language where the
    /// product has an English title ("Hiking backpack Aurora", not the
    /// "Wanderrucksack Aurora" stored with the line).
    pub(super) fn in_words_of(&self, lang: Language, mut cart: Cart) -> Cart {
        for line in &mut cart.items {
            if let Some(p) = self.shop.product(&line.item.product_id) {
                line.item.title = title(&p, lang);
            }
        }
        cart
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
                out.actions.push(json!({"type": "checkout.proposed", "total": p.total, "currency": p.currency, "expires_at": p.expires_at}));
                out.say(Fact::Cart(CartFact::Proposed {
                    cart: self.in_words_of(ctx.lang, cart.clone()),
                    total: Money::new(p.total, &p.currency),
                }));
                state.pending_checkout = Some(p.token);
                out.cart = Some(cart);
                out.progress = true;
            }
            Err(OrderError::CartEmpty) => out.say(Fact::Cart(CartFact::Empty)),
            Err(e) => out.say(Fact::Refused(Refusal::Engine(e.to_string()))),
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
                out.say(Fact::Cart(CartFact::Placed {
                    order_id: order.id.clone(),
                    total: Money::new(order.total, &order.currency),
                }));
                out.actions.push(
                    json!({"type": "order.placed", "order_id": order.id, "total": order.total}),
                );
                out.progress = true;
            }
            Err(OrderError::CartChanged { proposal }) => {
                let cart = self.orders.cart(&ctx.cart_owner)?;
                out.say(Fact::Cart(CartFact::Proposed {
                    cart: self.in_words_of(ctx.lang, cart),
                    total: Money::new(proposal.total, &proposal.currency),
                }));
                state.pending_checkout = Some(proposal.token);
            }
            Err(e) => out.say(Fact::Refused(Refusal::Engine(e.to_string()))),
        }
        Ok(())
    }
}

/// The one quantity a variant's size states, when it is the whole size ("1 m",
/// "500 g"), not part of it ("Größe 4") nor one of several ("W32 L34").
fn whole_quantity(size: &str) -> Option<crate::catalog::specs::Quantity> {
    let size = size.trim();
    match crate::catalog::specs::quantities(size).as_slice() {
        [(q, at)] if *at == (0..size.len()) => Some(q.clone()),
        _ => None,
    }
}

/// "10000 mAh", "500 g", "0,75 l", "45 W", "2 Personen": one quantity, the whole
/// size, of an amount (capacity, energy, power, storage, weight, volume, people),
/// not of a length.
fn is_amount(size: &str) -> bool {
    use crate::catalog::specs::Dim;
    whole_quantity(size).is_some_and(|q| {
        matches!(
            q.dim,
            Dim::Capacity
                | Dim::Energy
                | Dim::Power
                | Dim::Storage
                | Dim::Weight
                | Dim::Volume
                | Dim::People
        )
    })
}

/// Whether a variant's size is one measure, whole ("1 m", "27 Zoll", "2 TB"), not a
/// fit ("XL", "42", "135 x 200 cm").
fn is_measure(size: &str) -> bool {
    whole_quantity(size).is_some_and(|q| q.from.is_none())
}

/// Whether a product's title names this version: each of its size and colour (at
/// least one, two characters or more) is in the title as words of their own.
fn title_names_version(title: &str, v: &crate::catalog::Variant) -> bool {
    let title = format!(
        " {} ",
        crate::catalog::text::fold(title).replace([',', '(', ')'], " ")
    );
    let values: Vec<String> = [v.size.as_deref(), v.color.as_deref()]
        .into_iter()
        .flatten()
        .map(|value| crate::catalog::text::fold(value.trim()))
        .collect();
    !values.is_empty()
        && values
            .iter()
            .all(|value| value.chars().count() >= 2 && title.contains(&format!(" {value} ")))
}

#[cfg(test)]
mod tests {
    use super::{is_amount, is_measure, title_names_version};
    use crate::catalog::Variant;

    fn v(size: Option<&str>, color: Option<&str>) -> Variant {
        Variant {
            id: "v".into(),
            size: size.map(String::from),
            color: color.map(String::from),
            stock: 1,
            price: None,
            gtin: None,
        }
    }

    #[test]
    fn an_amount_is_a_number_and_a_unit_of_how_much() {
        for size in [
            "10000 mAh",
            "500 g",
            "0,75 l",
            "45 W",
            "2 Personen",
            "20000mAh",
            "1 TB",
        ] {
            assert!(is_amount(size), "{size}");
        }
        for size in [
            "M",
            "XL",
            "42",
            "135 x 200 cm",
            "2 m",
            "Größe 4",
            "20 Beutel",
            "W32 L34",
        ] {
            assert!(!is_amount(size), "{size}");
        }
        // A superlative picks among measures, lengths too, not among fits.
        for size in ["2 m", "0,9 m", "27 Zoll", "1 TB"] {
            assert!(is_measure(size), "{size}");
        }
        for size in ["XL", "42", "135 x 200 cm", "W32 L34", "Größe 4"] {
            assert!(!is_measure(size), "{size}");
        }
    }

    #[test]
    fn a_title_names_the_version_it_lists() {
        let t = "LINDY 36920 0.5m DisplayPort to HDMI 10.2G Cable, Black";
        assert!(title_names_version(t, &v(Some("0.5m"), None)));
        assert!(title_names_version(t, &v(Some("0.5m"), Some("Black"))));
        assert!(!title_names_version(t, &v(Some("1m"), None)));
        assert!(
            !title_names_version(t, &v(Some("0.5m"), Some("White"))),
            "both must be named"
        );
        assert!(
            !title_names_version("Rain Jacket M", &v(Some("M"), None)),
            "too short to tell"
        );
        assert!(!title_names_version(t, &v(None, None)));
    }
}
