//! Hard constraints as index filters, and the per-variant re-check of every hit.

use super::*;

impl ProductIndex {
    /// Index-level filters: necessary conditions, checked exactly per variant later.
    pub(super) fn filter_clauses(
        &self,
        q: &SearchQuery,
        an: &mut Analyzers,
        out: &mut Vec<(Occur, Box<dyn Query>)>,
    ) {
        let f = &self.fields;
        if let Some(max) = q.price_max {
            out.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Unbounded,
                    Bound::Included(Term::from_field_i64(f.price_lo, max)),
                )),
            ));
        }
        if let Some(min) = q.price_min {
            out.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_i64(f.price_hi, min)),
                    Bound::Unbounded,
                )),
            ));
        }
        if q.in_stock_only {
            out.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.in_stock, 1),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let facet_any = |field, values: Vec<String>| -> Option<Box<dyn Query>> {
            if values.is_empty() {
                return None;
            }
            let alts: Vec<(Occur, Box<dyn Query>)> = values
                .into_iter()
                .map(|v| {
                    let t = Term::from_facet(field, &Facet::from_path([v]));
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>,
                    )
                })
                .collect();
            Some(Box::new(BooleanQuery::new(alts)))
        };
        let colors: Vec<String> = q
            .colors
            .iter()
            .filter_map(|c| canonical_of_value(c))
            .map(String::from)
            .collect();
        if let Some(cq) = facet_any(f.color_facet, colors) {
            out.push((Occur::Must, cq));
        }
        // Any wanted size; each needs all of its canonical tokens.
        let size_alts: Vec<(Occur, Box<dyn Query>)> = q
            .sizes
            .iter()
            .map(|s| size_tokens(s))
            .filter(|t| !t.is_empty())
            .map(|tokens| {
                let all: Vec<(Occur, Box<dyn Query>)> = tokens
                    .into_iter()
                    .map(|t| {
                        let term = Term::from_facet(f.size_facet, &Facet::from_path([t]));
                        (
                            Occur::Must,
                            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                                as Box<dyn Query>,
                        )
                    })
                    .collect();
                (
                    Occur::Should,
                    Box::new(BooleanQuery::new(all)) as Box<dyn Query>,
                )
            })
            .collect();
        if !size_alts.is_empty() {
            out.push((Occur::Must, Box::new(BooleanQuery::new(size_alts))));
        }
        // The brand is checked on each candidate (see `check`): a product may name
        // it in its title without having it as its brand ("… (Intel LGA 1700)").
        if let Some(c) = &q.category {
            // A category word must match the category path, in either language.
            let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for w in words(c) {
                for t in tokens(&mut an.de, &w) {
                    alts.push((
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.category_de, &t),
                            IndexRecordOption::Basic,
                        )),
                    ));
                    alts.push((
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.heads, &t),
                            IndexRecordOption::Basic,
                        )),
                    ));
                }
                for t in tokens(&mut an.en, &w) {
                    alts.push((
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(f.category_en, &t),
                            IndexRecordOption::Basic,
                        )),
                    ));
                }
            }
            if !alts.is_empty() {
                out.push((Occur::Must, Box::new(BooleanQuery::new(alts))));
            }
        }
        // A word excluded in one language is excluded in the other too: "tastatur
        // nicht kabellos" over English titles leaves out the "Wireless" keyboards.
        let lexicon = crate::nlu::lexicon::Lexicon::get();
        let excluded: Vec<String> = q
            .exclude
            .iter()
            .flat_map(|e| words(e).collect::<Vec<_>>())
            .flat_map(|w| {
                let others = lexicon.other_names(&w);
                std::iter::once(w).chain(others)
            })
            .collect();
        for w in excluded {
            for t in tokens(&mut an.de, &w) {
                for field in [f.title_de, f.attrs_de, f.heads] {
                    out.push((
                        Occur::MustNot,
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, &t),
                            IndexRecordOption::Basic,
                        )),
                    ));
                }
            }
            for t in tokens(&mut an.en, &w) {
                for field in [f.title_en, f.attrs_en] {
                    out.push((
                        Occur::MustNot,
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, &t),
                            IndexRecordOption::Basic,
                        )),
                    ));
                }
            }
        }
    }

    /// The exact check of every constraint against the product's variants; the hit
    /// carries the variant that satisfies them (in stock preferred, then cheapest).
    pub(super) fn check(
        &self,
        p: &std::sync::Arc<Product>,
        q: &SearchQuery,
        score: f32,
    ) -> Option<Hit> {
        let want_colors: Vec<&str> = q
            .colors
            .iter()
            .filter_map(|c| canonical_of_value(c))
            .collect();
        let not_colors: Vec<&str> = q
            .exclude_colors
            .iter()
            .filter_map(|c| canonical_of_value(c))
            .collect();
        // "iphone 13 case": not the case made for the iPhone 11 and 12.
        if !q.lines.iter().all(|wish| wish.met_by(&p.title)) {
            return None;
        }
        // "wasserdicht" asked of a jacket whose data says "wasserdicht: nein": its
        // text has the word, the product lacks the property.
        if denies_a_word(p, &q.text) {
            return None;
        }
        let want_sizes = &q.sizes;
        let title_colors = product_colors(p);
        // Read from the title only when a size is asked: this runs for every
        // candidate of every search.
        let title_sizes = if want_sizes.is_empty() {
            Vec::new()
        } else {
            crate::search::index::title_sizes(p)
        };
        // Kind, model and specs, from what the index knows of the product.
        let profile = if q.kind.is_some()
            || !q.models.is_empty()
            || !q.specs.is_empty()
            || !q.connectors.is_empty()
            || !q.compatible.is_empty()
        {
            let products = self.products.read().unwrap_or_else(|p| p.into_inner());
            let profile = products
                .profile(&p.id)
                .unwrap_or_else(|| std::sync::Arc::new(crate::search::profile::Profile::of(p)));
            if q.kind.as_ref().is_some_and(|k| {
                // A listing of the named model is of the kind its shelf names
                // ("Samsung Galaxy A25 5G 128GB Unlocked - Yellow" on Smartphones).
                let shelved = !q.models.is_empty() && profile.shelf.as_deref() == Some(k);
                !products.vocabulary.is_of_asked_kind(&profile, k, &q.text) && !shelved
            }) {
                return None;
            }
            // A line's model only ("iphone 12") is also named in a list of the
            // line's numbers late in a title; beside another model ("ryzen 7
            // 7700x") it only qualifies that one.
            let lines_only = q
                .models
                .iter()
                .all(|m| crate::search::profile::split_line_model(m).is_some());
            // A kind asked for a model ("toner for my brother hl-l2350dw") is also
            // met by a product whose description says it is for that model.
            // Beside a model of its own ("ryzen 5 7600"), a line's model qualifies it:
            // the 5600X, another Ryzen 5, is not asked for.
            // A socket or a memory generation ("lga1700", "ddr4") is no model of
            // its own: without one, any asked token will do, as before.
            let specific: Vec<&String> = q
                .models
                .iter()
                .filter(|m| {
                    crate::search::profile::split_line_model(m).is_none()
                        && crate::catalog::specs::connectors(m).is_empty()
                })
                .collect();
            let asked: Vec<&String> = if specific.is_empty() {
                q.models.iter().collect()
            } else {
                specific
            };
            if !asked.is_empty()
                && !asked.iter().any(|m| {
                    profile.models.contains(*m)
                        || (q.kind.is_some() && profile.described_fits.contains(*m))
                        || (lines_only && crate::search::profile::names_line_model(&p.title, m))
                })
            {
                return None;
            }
            if !q
                .connectors
                .iter()
                .all(|c| profile.specs.connectors.contains(&c.as_str()))
            {
                return None;
            }
            // "usb c to usb c cable": both ends, not a USB-C to Lightning one.
            if let Some(has) = crate::catalog::specs::plug_pair(&p.title) {
                if !q.plugs.is_empty() && q.plugs != has {
                    return None;
                }
            }
            if !q.compatible.is_empty()
                && !crate::catalog::specs::compatible(&profile.specs.works_with, &q.compatible)
            {
                return None;
            }
            // "galaxy a25" is the phone; "galaxy a25 case" its case.
            let asks_accessory = q
                .kind
                .as_deref()
                .is_some_and(crate::search::profile::is_accessory_kind);
            if !asks_accessory && products.vocabulary.is_accessory_of(&profile, &q.models) {
                return None;
            }
            // "rtx 4060" asks for the cards titled so, not a laptop that has one.
            if q.kind.is_none()
                && (products.vocabulary.only_mentions(&profile, &q.models)
                    || products
                        .vocabulary
                        .made_for_another_kind(&profile, &q.models))
            {
                return None;
            }
            Some(profile)
        } else {
            None
        };
        // A wish is met by the variant's own value of its dimension ("25 feet"), else
        // by one of the product's.
        let spec_value = |v: &Variant, wish: &crate::nlu::rules::specs::SpecWish| {
            let own = crate::catalog::specs::Specs::of_variant(v);
            let met = |x: &&crate::catalog::specs::Quantity| wish.met_by_quantity(x);
            if own.has(wish.dim) {
                return own.of(wish.dim).find(met).cloned();
            }
            let pr = profile.as_ref()?;
            // "16gb ram": the memory it states, not its "512GB SSD".
            if wish.memory && !pr.specs.memory.is_empty() {
                return pr.specs.memory.iter().find(met).cloned();
            }
            pr.specs.of(wish.dim).find(met).cloned()
        };
        let variant_ok = |v: &Variant| {
            // A variant without a colour takes the colour its title names; one whose
            // colour we cannot read matches no colour wish.
            let colors: Vec<&str> = match v.color.as_deref() {
                Some(c) => canonical_of_value(c).into_iter().collect(),
                None => title_colors.clone(),
            };
            let color_ok = want_colors.is_empty() || colors.iter().any(|c| want_colors.contains(c));
            let not_color_ok = !colors.iter().any(|c| not_colors.contains(c));
            // A variant without a size takes the size its title names.
            let sizes: Vec<&str> = match v.size.as_deref() {
                Some(s) => vec![s],
                None => title_sizes.iter().map(String::as_str).collect(),
            };
            let size_ok = want_sizes.is_empty()
                || sizes
                    .iter()
                    .any(|s| want_sizes.iter().any(|w| size_matches(w, s)));
            let price = p.effective_price(v);
            let price_ok =
                q.price_max.is_none_or(|m| price <= m) && q.price_min.is_none_or(|m| price >= m);
            let stock_ok = !q.in_stock_only || v.stock > 0;
            let specs_ok = q.specs.iter().all(|w| spec_value(v, w).is_some());
            color_ok && not_color_ok && size_ok && price_ok && stock_ok && specs_ok
        };
        // Among the variants that satisfy every constraint: the one whose size and
        // colour the shopper named most closely, then the one with the most (least)
        // of a spec the products are ordered by ("the longest hdmi cable": its 100
        // feet, not its 25), then in stock, then the cheapest.
        let wishes = Wishes::new(&q.prefer);
        let named = |v: &Variant| {
            v.size.as_deref().map_or(0, |s| wishes.score(s))
                + v.color.as_deref().map_or(0, |c| wishes.score(c))
        };
        let extreme = |v: &Variant| {
            let Some(by) = &q.spec_sort else { return 0 };
            let own = crate::catalog::specs::Specs::of_variant(v);
            by.dims
                .iter()
                .find_map(|d| own.max(*d))
                .map_or(i64::MAX, |x| {
                    let key = (x.value * 1e6) as i64;
                    if by.desc {
                        -key
                    } else {
                        key
                    }
                })
        };
        let variant = p
            .variants
            .iter()
            .filter(|v| variant_ok(v))
            .min_by_key(|v| {
                (
                    std::cmp::Reverse(named(v)),
                    extreme(v),
                    v.stock == 0,
                    p.effective_price(v),
                )
            })?
            .clone();
        let mut options = wishes.choose(
            p.attributes
                .iter()
                .filter_map(|(k, vs)| Some((k.strip_prefix("option.")?, vs.as_slice()))),
        );
        if let Some(s) = &variant.size {
            options.insert("size".into(), s.clone());
        }
        if let Some(c) = &variant.color {
            options.insert("color".into(), c.clone());
        }
        // By the brand, or naming it ("AMD motherboard": the boards "(AMD AM4, …)";
        // "samsung case": the cases for Samsung phones).
        if let Some(b) = &q.brand {
            let by_brand = p.brand.as_deref().map(facet_key) == Some(facet_key(b));
            let named = || {
                use crate::search::profile::plain_words;
                let brand = plain_words(b);
                !brand.is_empty()
                    && format!(" {} ", plain_words(&p.title)).contains(&format!(" {brand} "))
            };
            if !by_brand && !named() {
                return None;
            }
        }
        for (key, value) in &q.attributes {
            let k = fold(key);
            let found = p.attributes.iter().find(|(pk, _)| fold(pk) == k)?;
            if let Some(v) = value {
                let v = fold(v);
                if !found.1.iter().any(|x| fold(x) == v) {
                    return None;
                }
            }
        }
        let price = p.effective_price(&variant);
        let mut reasons = Vec::new();
        if let Some(m) = q.price_max {
            reasons.push(Reason::PriceMax { price, max: m });
        }
        if let Some(m) = q.price_min {
            reasons.push(Reason::PriceMin { price, min: m });
        }
        if let Some(c) = &variant.color {
            if !want_colors.is_empty() {
                reasons.push(Reason::Color { value: c.clone() });
            }
        } else if !want_colors.is_empty() {
            reasons.push(Reason::Color {
                value: want_colors.join("/"),
            });
        }
        if let (Some(s), false) = (&variant.size, want_sizes.is_empty()) {
            reasons.push(Reason::Size { value: s.clone() });
        }
        if q.in_stock_only {
            reasons.push(Reason::InStock {
                left: variant.stock,
            });
        }
        if let Some(b) = &q.brand {
            reasons.push(Reason::Brand { value: b.clone() });
        }
        for (k, v) in &q.attributes {
            reasons.push(Reason::Attribute {
                name: k.clone(),
                value: v.clone(),
            });
        }
        for e in &q.exclude {
            reasons.push(Reason::Without { word: e.clone() });
        }
        for wish in &q.specs {
            if let Some(value) = spec_value(&variant, wish) {
                reasons.push(Reason::Spec {
                    value,
                    wish: wish.clone(),
                });
            }
        }
        if let Some(pr) = &profile {
            let shared: Vec<String> = pr
                .specs
                .works_with
                .iter()
                .filter(|c| q.compatible.iter().any(|w| w == *c))
                .map(|c| c.to_string())
                .collect();
            if !shared.is_empty() {
                reasons.push(Reason::Fits { connectors: shared });
            }
            if let Some(m) = q
                .models
                .iter()
                .find(|m| pr.models.contains(m) || pr.described_fits.contains(m))
            {
                reasons.push(Reason::Model { token: m.clone() });
            }
        }
        let in_stock = variant.stock > 0;
        let score = if q.sort == Sort::Relevance {
            score * if in_stock { 1.0 } else { 0.8 } * (1.0 + 0.02 * p.rating.unwrap_or(0.0))
        } else {
            score
        };
        Some(Hit {
            id: p.id.clone(),
            title: p.title.clone(),
            price,
            currency: p.currency.clone(),
            in_stock,
            score,
            reasons,
            variant,
            options,
            product: p.clone(),
            coverage: 1.0,
        })
    }
}

/// Whether the product's data says it lacks a property the request names: an
/// attribute named by one of `text`'s words ("wasserdicht", or with an adjective's
/// ending: "wasserdichte") whose every value is "no" ("nein", "false").
fn denies_a_word(p: &crate::catalog::Product, text: &str) -> bool {
    use crate::catalog::text::fold;
    let no = |v: &String| matches!(fold(v.trim()).as_str(), "nein" | "no" | "false");
    let words: Vec<String> = text.split_whitespace().map(fold).collect();
    let names = |key: &str| {
        words.iter().any(|w| {
            w.strip_prefix(key)
                .is_some_and(|ending| matches!(ending, "" | "e" | "er" | "en" | "es" | "em"))
        })
    };
    p.attributes
        .iter()
        .any(|(k, vs)| !vs.is_empty() && vs.iter().all(no) && names(&fold(k)))
}
