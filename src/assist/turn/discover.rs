//! Discovery: searching, showing products, answering questions about them and
//! comparing them.

use super::*;
use crate::search::{Reason, Sort};

/// How many of the best matches a price order looks at.
const BEST_POOL: usize = 100;

impl Assistant {
    pub(super) fn search(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        let changes = state.search.apply(u, &state.shown, state.focused.as_ref());
        if state.search.text.is_empty() && changes.is_empty() {
            out.say(Fact::Discover(Discover::AskWhat));
            return Ok(());
        }
        let results = match state.search.sort {
            Sort::PriceAsc | Sort::PriceDesc => {
                let q = state.search.query();
                let (offset, desc) = (q.offset, state.search.sort == Sort::PriceDesc);
                let mut hits = self.best_by_price(q, desc)?;
                let total = hits.len();
                hits = hits.into_iter().skip(offset).take(PAGE).collect();
                crate::search::SearchResults { hits, total }
            }
            _ => self.find(&state.search.query())?,
        };
        if !results.hits.is_empty() {
            out.say(Fact::Discover(Discover::Found {
                total: results.total,
                changes,
                currency: results.hits[0].currency.clone(),
            }));
            self.show(ctx, state, &results.hits, out);
            out.progress = true;
            return Ok(());
        }
        if changes.iter().any(|c| matches!(c, Change::NextPage { .. })) {
            out.say(Fact::Discover(Discover::NoMore));
            return Ok(());
        }
        // Nothing: relax the least important constraint — the price limit, then the
        // colour, then the size — and say which and by how much.
        if let Some(max) = state.search.price_max {
            // The same kind of product without the limit, cheapest first.
            let q = SearchQuery {
                price_max: None,
                ..state.search.query()
            };
            let hits = self.best_by_price(q, false)?;
            if let Some(first) = hits.first() {
                let dropped = Relaxation::Price {
                    max: Money::new(max, &first.currency),
                    from: Money::new(first.price, &first.currency),
                };
                self.relaxed(ctx, state, &hits, dropped, out);
                return Ok(());
            }
        }
        for option in ["color", "size"] {
            let mut q = state.search.query();
            let values = match option {
                "color" if !q.colors.is_empty() => std::mem::take(&mut q.colors),
                "size" if !q.sizes.is_empty() => std::mem::take(&mut q.sizes),
                _ => continue,
            };
            let hits = self.find(&q)?.hits;
            if !hits.is_empty() {
                let dropped = Relaxation::Versions { option, values };
                self.relaxed(ctx, state, &hits, dropped, out);
                return Ok(());
            }
        }
        out.say(Fact::Discover(Discover::NothingFound { changes }));
        Ok(())
    }

    /// The best matches of `q`, ordered by price (cheapest first, or dearest): those
    /// with as many of the request's words as the best one has, so that the order is
    /// over the asked kind of product (a price sort over everything that shares a word
    /// put cat litter first for "a winter coat under 1 euro"); the best few if no
    /// product has a word of it.
    pub(super) fn best_by_price(&self, q: SearchQuery, desc: bool) -> Result<Vec<Hit>, TurnError> {
        let q = SearchQuery {
            limit: BEST_POOL,
            offset: 0,
            sort: Sort::Relevance,
            ..q
        };
        let hits = self.find(&q)?.hits;
        let matched = |h: &Hit| {
            h.reasons
                .iter()
                .filter(|r| matches!(r, Reason::Matched { .. }))
                .count()
        };
        let best = hits.iter().map(matched).max().unwrap_or(0);
        let mut hits: Vec<Hit> = if best > 0 {
            hits.into_iter().filter(|h| matched(h) == best).collect()
        } else {
            hits.into_iter().take(PAGE).collect()
        };
        // Ties in price keep the relevance order.
        if desc {
            hits.sort_by_key(|h| std::cmp::Reverse(h.price));
        } else {
            hits.sort_by_key(|h| h.price);
        }
        Ok(hits)
    }

    /// Lists hits (three on voice, a page on text) and remembers them as shown.
    pub(super) fn show(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        hits: &[Hit],
        out: &mut Outcome,
    ) {
        let max = if ctx.channel == Channel::Voice {
            3
        } else {
            PAGE
        };
        state.shown.clear();
        for (i, h) in hits.iter().take(max).enumerate() {
            out.say(Fact::Discover(Discover::Shown {
                n: i + 1,
                product: h.product.clone(),
                price: Money::new(h.price, &h.currency),
                size: h.variant.size.clone(),
                color: h.variant.color.clone(),
                in_stock: h.in_stock,
            }));
            state.shown.push(Shown {
                id: h.id.clone(),
                price: h.price,
                brand: h.product.brand.clone(),
                size: h.variant.size.clone(),
                variant_id: Some(h.variant.id.clone()),
            });
            out.products.push(ProductOut {
                id: h.id.clone(),
                title: h.title.clone(),
                brand: h.product.brand.clone(),
                price: h.price,
                currency: h.currency.clone(),
                in_stock: h.in_stock,
                variant: h.variant.clone(),
                options: h.options.clone(),
                stock: h.variant.stock,
                score: (f64::from(h.score) * 1000.0).round() / 1000.0,
                reasons: Reply {
                    templates: &self.templates,
                    lang: ctx.lang,
                    channel: Channel::Text,
                }
                .reasons(&h.reasons, &h.currency),
                evidence: h.reasons.clone(),
                relaxed: Vec::new(),
            });
        }
        state.focused = state.shown.first().cloned();
    }

    /// The product a message is about: a reference, else the focused product.
    pub(super) fn target(&self, state: &SessionState, u: &Understanding) -> Option<Arc<Product>> {
        let id = resolve(u, &state.shown, state.focused.as_ref())
            .or_else(|| state.focused.as_ref().map(|f| f.id.clone()))?;
        self.shop.product(&id)
    }

    pub(super) fn question(&self, state: &mut SessionState, u: &Understanding, out: &mut Outcome) {
        let Some(p) = self.target(state, u) else {
            out.say(Fact::NoFocus);
            return;
        };
        state.focused = state
            .shown
            .iter()
            .find(|s| s.id == p.id)
            .cloned()
            .or(state.focused.take());
        out.say(Fact::Discover(Discover::Answer {
            answer: answer(u, &p),
            product: p,
        }));
        out.progress = true;
    }

    pub(super) fn compare(&self, state: &SessionState, u: &Understanding, out: &mut Outcome) {
        let first =
            resolve(u, &state.shown, None).or_else(|| state.shown.first().map(|s| s.id.clone()));
        let second = state
            .shown
            .iter()
            .map(|s| s.id.clone())
            .find(|id| Some(id) != first.as_ref());
        let (Some(a), Some(b)) = (
            first.and_then(|id| self.shop.product(&id)),
            second.and_then(|id| self.shop.product(&id)),
        ) else {
            out.say(Fact::NoFocus);
            return;
        };
        let comparison = compare(&a, &b);
        out.say(Fact::Discover(Discover::Compared { a, b, comparison }));
        out.progress = true;
    }
}
