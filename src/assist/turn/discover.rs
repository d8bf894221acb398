//! Discovery: searching, showing products, answering questions about them and
//! comparing them.

use super::*;

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
            out.say(self.t(ctx, "ask_what", json!({})));
            return Ok(());
        }
        let described = self.describe(ctx, &changes);
        let results = self.find(&state.search.query())?;
        if !results.hits.is_empty() {
            out.say(self.t(
                ctx,
                "results",
                json!({"total": results.total, "changes": described}),
            ));
            self.show(ctx, state, &results.hits, out);
            out.progress = true;
            return Ok(());
        }
        if changes.iter().any(|c| matches!(c, Change::NextPage { .. })) {
            out.say(self.t(ctx, "more_none", json!({})));
            return Ok(());
        }
        // Nothing: relax the least important constraint — the price limit, then the
        // colour, then the size — and say which and by how much.
        if let Some(max) = state.search.price_max {
            let q = SearchQuery {
                price_max: None,
                sort: Sort::PriceAsc,
                ..state.search.query()
            };
            let hits = self.find(&q)?.hits;
            if let Some(first) = hits.first() {
                let currency = first.currency.clone();
                let (dropped, instead) = match ctx.lang {
                    Language::De => (
                        format!("Bis {}", self.price(ctx, max, &currency)),
                        format!("ab {}", self.price(ctx, first.price, &currency)),
                    ),
                    Language::En => (
                        format!("up to {}", self.price(ctx, max, &currency)),
                        format!("from {}", self.price(ctx, first.price, &currency)),
                    ),
                };
                self.relaxed(ctx, state, &hits, (dropped, instead), out);
                return Ok(());
            }
        }
        for relax in ["colors", "sizes"] {
            let mut q = state.search.query();
            let what = match relax {
                "colors" if !q.colors.is_empty() => std::mem::take(&mut q.colors).join(", "),
                "sizes" if !q.sizes.is_empty() => std::mem::take(&mut q.sizes).join(", "),
                _ => continue,
            };
            let hits = self.find(&q)?.hits;
            if !hits.is_empty() {
                let (dropped, instead) = match ctx.lang {
                    Language::De => (format!("In {what}"), "in anderen Ausführungen".to_string()),
                    Language::En => (format!("in {what}"), "in other versions".to_string()),
                };
                self.relaxed(ctx, state, &hits, (dropped, instead), out);
                return Ok(());
            }
        }
        out.say(self.t(ctx, "no_results", json!({"changes": described})));
        Ok(())
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
            let variant = [h.variant.size.clone(), h.variant.color.clone()]
                .into_iter()
                .flatten()
                .map(|v| match ctx.channel {
                    Channel::Voice => voice::speak_size(&v, ctx.lang),
                    Channel::Text => v,
                })
                .collect::<Vec<_>>()
                .join(", ");
            out.say(self.t(
                ctx,
                "product_line",
                json!({
                    "n": i + 1,
                    "title": title(&h.product, ctx.lang),
                    "brand": h.product.brand,
                    "price": self.price(ctx, h.price, &h.currency),
                    "variant": variant,
                    "in_stock": h.in_stock,
                }),
            ));
            state.shown.push(Shown {
                id: h.id.clone(),
                price: h.price,
                brand: h.product.brand.clone(),
                size: h.variant.size.clone(),
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
                reasons: h.reasons.clone(),
            });
        }
        state.focused = state.shown.first().cloned();
    }

    pub(super) fn describe(&self, ctx: &Ctx<'_>, changes: &[Change]) -> String {
        let de = ctx.lang == Language::De;
        changes
            .iter()
            .filter_map(|c| match c {
                Change::PriceMax { cents } => Some(format!(
                    "{} {}",
                    if de { "bis" } else { "up to" },
                    self.price(ctx, *cents, "EUR")
                )),
                Change::PriceMin { cents } => Some(format!(
                    "{} {}",
                    if de { "ab" } else { "from" },
                    self.price(ctx, *cents, "EUR")
                )),
                Change::Colors { colors } => Some(
                    colors
                        .iter()
                        .map(|c| {
                            if de {
                                crate::catalog::colors::german_name(c).to_string()
                            } else {
                                c.clone()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Change::Sizes { sizes } => Some(format!(
                    "{} {}",
                    if de { "Größe" } else { "size" },
                    sizes.join(", ")
                )),
                Change::ExcludeBrands { brands } => Some(format!(
                    "{} {}",
                    if de { "nicht von" } else { "not by" },
                    brands.join(", ")
                )),
                Change::Exclude { words } => Some(format!(
                    "{} {}",
                    if de { "ohne" } else { "without" },
                    words.join(", ")
                )),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The product a message is about: a reference, else the focused product.
    pub(super) fn target(&self, state: &SessionState, u: &Understanding) -> Option<Arc<Product>> {
        let id = resolve(u, &state.shown, state.focused.as_ref())
            .or_else(|| state.focused.as_ref().map(|f| f.id.clone()))?;
        self.shop.product(&id)
    }

    pub(super) fn question(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) {
        let Some(p) = self.target(state, u) else {
            out.say(self.t(ctx, "no_focus", json!({})));
            return;
        };
        state.focused = state
            .shown
            .iter()
            .find(|s| s.id == p.id)
            .cloned()
            .or(state.focused.take());
        let a = answer(u, &p);
        let title = title(&p, ctx.lang);
        let values = a.values.join(", ");
        let line = match (&a.topic, a.verdict) {
            (Topic::Sizes, Verdict::Yes) => self.t(ctx, "sizes", json!({"title": title, "values": values})),
            (Topic::Colors, Verdict::Yes) => self.t(ctx, "colors", json!({"title": title, "values": values})),
            (Topic::Stock { size, color }, v) => {
                let what = [size.clone(), color.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ");
                let key = if v == Verdict::Yes { "stock_yes" } else { "stock_no" };
                self.t(ctx, key, json!({"title": title, "what": what}))
            }
            (Topic::Price, _) => {
                let cents: i64 = values.parse().unwrap_or(p.price);
                self.t(ctx, "price", json!({"title": title, "price": self.price(ctx, cents, &p.currency)}))
            }
            (Topic::Material, Verdict::Yes) => self.t(ctx, "material", json!({"title": title, "values": values})),
            (Topic::Attribute { name }, Verdict::Yes) => self.t(ctx, "answer_yes", json!({"title": title, "name": name, "values": if values.eq_ignore_ascii_case("ja") || values.eq_ignore_ascii_case("yes") { String::new() } else { values.clone() }})),
            (Topic::Attribute { name }, Verdict::No) => self.t(ctx, "answer_no", json!({"title": title, "name": name})),
            _ => self.t(ctx, "answer_unknown", json!({"title": title})),
        };
        out.say(line);
        out.progress = true;
    }

    pub(super) fn compare(
        &self,
        ctx: &Ctx<'_>,
        state: &SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) {
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
            out.say(self.t(ctx, "no_focus", json!({})));
            return;
        };
        let c = compare(&a, &b);
        let name = |id: &str| {
            if id == a.id {
                title(&a, ctx.lang)
            } else {
                title(&b, ctx.lang)
            }
        };
        let de = ctx.lang == Language::De;
        let cheaper = match &c.cheaper {
            Some((id, diff)) => format!(
                "{} {} {}. ",
                name(id),
                if de {
                    "ist günstiger um"
                } else {
                    "is cheaper by"
                },
                self.price(ctx, *diff, &a.currency)
            ),
            None => (if de {
                "Beide kosten gleich viel. "
            } else {
                "Both cost the same. "
            })
            .to_string(),
        };
        let rated = c
            .better_rated
            .as_ref()
            .map(|id| {
                format!(
                    "{} {}. ",
                    name(id),
                    if de {
                        "ist besser bewertet"
                    } else {
                        "is rated higher"
                    }
                )
            })
            .unwrap_or_default();
        let shared = if c.shared.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = c
                .shared
                .iter()
                .map(|(k, va, vb)| format!("{k}: {} / {}", va.join(", "), vb.join(", ")))
                .collect();
            format!(
                "{} {}.",
                if de { "Gemeinsam:" } else { "Both have:" },
                list.join("; ")
            )
        };
        out.say(
            self.t(
                ctx,
                "compare",
                json!({"cheaper": cheaper, "rated": rated, "shared": shared}),
            )
            .trim()
            .to_string(),
        );
        out.progress = true;
    }
}
