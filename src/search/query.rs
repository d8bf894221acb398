//! Turning a [`SearchQuery`] into ranked [`Hit`]s.
//!
//! Stated constraints are filters, never boosts: price, colour, size, brand, category,
//! attributes and stock are applied in the index and then re-checked per variant
//! right before a hit is returned, so no hit ever breaks one (NVIDIA retail blueprint
//! PRs #149, #200).
//!
//! Ranking, for `Sort::Relevance`:
//!
//! ```text
//! score = bm25 × (in_stock ? 1.0 : 0.8) × (1 + 0.02 × rating)
//! ```
//!
//! where bm25 is Tantivy's BM25 over the fields with these boosts: title 3, compound
//! heads 2.5, brand 2, category 2, attributes 1.5, description 0.5; a misspelt word
//! matches titles by edit distance (1 from 5 letters, 2 from 9) at boost 1. Stock and
//! rating only break near-ties: a bm25 gap of 20 % outweighs both.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Order, TantivyDocument, Term};

use super::compound::{fold, words};
use super::index::{facet_key, product_colors, IndexError, ProductIndex};
use super::schema::{self, tokens};
use crate::catalog::colors::canonical_of_value;
use crate::catalog::options::{size_matches, size_tokens, Wishes};
use crate::catalog::{Product, Variant};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Rating,
}

/// What a shopper is looking for: free text plus hard constraints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Free text: product type, attributes, brand words.
    pub text: String,
    /// Words that must not appear ("ohne Leder", "not leather").
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Category name or path segment ("Jacken", "Bekleidung/Jacken").
    pub category: Option<String>,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// Colours, any language; a hit has a variant in one of them.
    #[serde(default)]
    pub colors: Vec<String>,
    /// Colours a hit's chosen variant must not have.
    #[serde(default)]
    pub exclude_colors: Vec<String>,
    #[serde(default)]
    pub sizes: Vec<String>,
    pub brand: Option<String>,
    #[serde(default)]
    pub in_stock_only: bool,
    /// Attributes the product must have: key, and optionally a value.
    #[serde(default)]
    pub attributes: Vec<(String, Option<String>)>,
    #[serde(default)]
    pub sort: Sort,
    /// What the shopper said in this search, to choose among the variants and option
    /// values that satisfy the constraints ("slate", "x-large", "pack of 12"). Never a
    /// filter.
    #[serde(default)]
    pub prefer: String,
    pub limit: usize,
    #[serde(default)]
    pub offset: usize,
}

/// One suggested product with why it was suggested.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit {
    pub id: String,
    pub title: String,
    /// Price of the selected variant, minor units.
    pub price: i64,
    pub currency: String,
    pub in_stock: bool,
    pub score: f32,
    /// The constraints it satisfies and the terms it matched.
    pub reasons: Vec<String>,
    /// The variant that satisfies the constraints (size, colour, stock, price).
    pub variant: Variant,
    /// The selected value of each option: the variant's size and colour, and for
    /// other options (`option.<name>` attributes: style, flavour, fit) the value the
    /// shopper named, else the first.
    pub options: std::collections::BTreeMap<String, String>,
    #[serde(skip)]
    pub product: std::sync::Arc<Product>,
}

/// A page of hits and how many passed the filters in all.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// Hits past the filters among the candidates looked at (a lower bound for large sets).
    pub total: usize,
}

/// The most candidates one search re-checks.
const MAX_CANDIDATES: usize = 5_000;

struct Analyzers {
    de: TextAnalyzer,
    en: TextAnalyzer,
    plain: TextAnalyzer,
}

impl Analyzers {
    fn new() -> Self {
        Analyzers {
            de: schema::german(),
            en: schema::english(),
            plain: schema::plain(),
        }
    }
}

impl ProductIndex {
    /// Runs a search. Every returned hit satisfies every constraint in `q`.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, IndexError> {
        let limit = q.limit.clamp(1, 200);
        let mut an = Analyzers::new();
        let text_query = self.text_query(&q.text, &mut an);
        let has_text = text_query.is_some();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        clauses.push((
            Occur::Must,
            text_query.unwrap_or_else(|| Box::new(AllQuery)),
        ));
        self.filter_clauses(q, &mut an, &mut clauses);
        let query = BooleanQuery::new(clauses);

        let searcher = self.reader.searcher();
        let want = q.offset + limit;
        let mut fetch = (want * 4 + 50).min(MAX_CANDIDATES);
        loop {
            let candidates: Vec<(f32, DocAddress)> = match (q.sort, has_text) {
                (Sort::PriceAsc, _) => by_fast(&searcher, &query, fetch, "price_lo", Order::Asc)?,
                (Sort::PriceDesc, _) => by_fast(&searcher, &query, fetch, "price_lo", Order::Desc)?,
                (Sort::Rating, _) => searcher
                    .search(
                        &query,
                        &TopDocs::with_limit(fetch)
                            .order_by_fast_field::<f64>("rating", Order::Desc),
                    )?
                    .into_iter()
                    .map(|(r, a)| (r as f32, a))
                    .collect(),
                (Sort::Relevance, true) => searcher.search(&query, &TopDocs::with_limit(fetch))?,
                // No words to rank by: best-rated first.
                (Sort::Relevance, false) => searcher
                    .search(
                        &query,
                        &TopDocs::with_limit(fetch)
                            .order_by_fast_field::<f64>("rating", Order::Desc),
                    )?
                    .into_iter()
                    .map(|(r, a)| (1.0 + r as f32 / 100.0, a))
                    .collect(),
            };
            let exhausted = candidates.len() < fetch;
            let mut hits = Vec::new();
            // One id-key column per segment, opened on first use.
            let mut columns: Vec<Option<tantivy::columnar::Column<u64>>> =
                vec![None; searcher.segment_readers().len()];
            for (score, addr) in candidates {
                let seg = addr.segment_ord as usize;
                if columns[seg].is_none() {
                    columns[seg] = Some(
                        searcher
                            .segment_reader(addr.segment_ord)
                            .fast_fields()
                            .u64("id_key")?,
                    );
                }
                let key = columns[seg].as_ref().and_then(|c| c.first(addr.doc_id));
                let known = key.and_then(|k| {
                    self.products
                        .read()
                        .unwrap_or_else(|p| p.into_inner())
                        .by_key(k)
                        .cloned()
                });
                let product = match known {
                    Some(p) => p,
                    // Ambiguous key: read the stored id.
                    None => {
                        let doc: TantivyDocument = searcher.doc(addr)?;
                        let Some(p) = doc
                            .get_first(self.fields.id)
                            .and_then(|v| v.as_str())
                            .and_then(|id| self.product(id))
                        else {
                            continue;
                        };
                        p
                    }
                };
                if let Some(hit) = self.check(&product, q, score) {
                    hits.push(hit);
                }
            }
            if hits.len() >= want || exhausted || fetch >= MAX_CANDIDATES {
                match q.sort {
                    Sort::Relevance if has_text => {
                        hits.sort_by(|a, b| {
                            b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal)
                        });
                        rerank_by_coverage(&mut hits, &q.text, want, &mut an);
                    }
                    Sort::PriceAsc => hits.sort_by_key(|h| h.price),
                    Sort::PriceDesc => hits.sort_by_key(|h| std::cmp::Reverse(h.price)),
                    _ => {}
                }
                let total = hits.len();
                // Matched words only for the page shown: analysing every candidate's
                // texts would cost more than the search.
                let hits = hits
                    .into_iter()
                    .skip(q.offset)
                    .take(limit)
                    .map(|mut h| {
                        let words = matched_terms(&h.product, &q.text, &mut an);
                        h.reasons
                            .extend(words.into_iter().map(|t| format!("matched \"{t}\"")));
                        h
                    })
                    .collect();
                return Ok(SearchResults { hits, total });
            }
            fetch = (fetch * 4).min(MAX_CANDIDATES);
        }
    }

    /// The text part: one clause per word, any of which may match (BM25 ranks by how
    /// many and how well). A compound word needs its head; its modifier only boosts.
    fn text_query(&self, text: &str, an: &mut Analyzers) -> Option<Box<dyn Query>> {
        // Held, not cloned: the vocabulary is large and this runs on every search.
        let d = self.decompounder.read().unwrap_or_else(|p| p.into_inner());
        let mut word_clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in words(text) {
            let whole = self.word_query(&w, an, true);
            // Known-item eval (off_de, 1,000 queries): splitting unknown words whose
            // modifier is no known word cost 0.03 MRR; misspellings split into nonsense.
            let clause = match d.split_query_word(&w) {
                Some((modifier, head)) => {
                    let head_q = self.word_query(&head, an, false);
                    let modifier_q = self.word_query(&modifier, an, false);
                    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                    if let Some(h) = head_q {
                        let mut inner: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, h)];
                        if let Some(m) = modifier_q {
                            inner.push((Occur::Should, m));
                        }
                        parts.push((Occur::Should, Box::new(BooleanQuery::new(inner))));
                    }
                    if let Some(wq) = whole {
                        parts.push((Occur::Should, Box::new(BoostQuery::new(wq, 1.5))));
                    }
                    if parts.is_empty() {
                        None
                    } else {
                        Some(Box::new(BooleanQuery::new(parts)) as Box<dyn Query>)
                    }
                }
                None => whole,
            };
            if let Some(c) = clause {
                word_clauses.push((Occur::Should, c));
            }
        }
        if word_clauses.is_empty() {
            None
        } else {
            Some(Box::new(BooleanQuery::new(word_clauses)))
        }
    }

    /// One word against every text field, each with its own analysis and boost.
    fn word_query(&self, word: &str, an: &mut Analyzers, fuzzy: bool) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let de = tokens(&mut an.de, word);
        let en = tokens(&mut an.en, word);
        let plain = tokens(&mut an.plain, word);
        let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut add = |field, toks: &[String], boost: f32| {
            for t in toks {
                let q = TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                );
                alts.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
            }
        };
        add(f.title_de, &de, 3.0);
        add(f.title_en, &en, 3.0);
        add(f.heads, &de, 2.5);
        add(f.brand, &plain, 2.0);
        add(f.category_de, &de, 2.0);
        add(f.category_en, &en, 2.0);
        add(f.attrs_de, &de, 1.5);
        add(f.attrs_en, &en, 1.5);
        add(f.desc_de, &de, 0.5);
        add(f.desc_en, &en, 0.5);
        // Spelling rescue only for words the catalogue does not know: a known word
        // ("jacket") fuzzily matching another ("packet") only adds wrong products.
        let known = self
            .speller
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .knows(word);
        if fuzzy && !known {
            let correction = self
                .speller
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .correct(word)
                .map(String::from);
            if let Some(c) = correction {
                let (cde, cen, cplain) = (
                    tokens(&mut an.de, &c),
                    tokens(&mut an.en, &c),
                    tokens(&mut an.plain, &c),
                );
                add(f.title_de, &cde, 2.7);
                add(f.title_en, &cen, 2.7);
                add(f.heads, &cde, 2.2);
                add(f.category_de, &cde, 1.8);
                add(f.brand, &cplain, 1.8);
            }
            for t in &de {
                let n = t.chars().count();
                let distance = match n {
                    0..=3 => continue,
                    4..=7 => 1,
                    _ => 2,
                };
                // Fuzzy matches score a constant (no idf), hence the high boost.
                let q = FuzzyTermQuery::new(Term::from_field_text(f.title_de, t), distance, true);
                alts.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), 6.0))));
            }
        }
        if alts.is_empty() {
            None
        } else {
            Some(Box::new(BooleanQuery::new(alts)))
        }
    }

    /// Index-level filters: necessary conditions, checked exactly per variant later.
    fn filter_clauses(
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
        if let Some(b) = &q.brand {
            if let Some(bq) = facet_any(f.brand_facet, vec![facet_key(b)]) {
                out.push((Occur::Must, bq));
            }
        }
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
        for w in q.exclude.iter().flat_map(|e| words(e).collect::<Vec<_>>()) {
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
    fn check(&self, p: &std::sync::Arc<Product>, q: &SearchQuery, score: f32) -> Option<Hit> {
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
        let want_sizes = &q.sizes;
        let title_colors = product_colors(p);
        let variant_ok = |v: &Variant| {
            // A variant without a colour takes the colour its title names; one whose
            // colour we cannot read matches no colour wish.
            let colors: Vec<&str> = match v.color.as_deref() {
                Some(c) => canonical_of_value(c).into_iter().collect(),
                None => title_colors.clone(),
            };
            let color_ok = want_colors.is_empty() || colors.iter().any(|c| want_colors.contains(c));
            let not_color_ok = !colors.iter().any(|c| not_colors.contains(c));
            let size_ok = want_sizes.is_empty()
                || v.size
                    .as_deref()
                    .is_some_and(|s| want_sizes.iter().any(|w| size_matches(w, s)));
            let price = p.effective_price(v);
            let price_ok =
                q.price_max.is_none_or(|m| price <= m) && q.price_min.is_none_or(|m| price >= m);
            let stock_ok = !q.in_stock_only || v.stock > 0;
            color_ok && not_color_ok && size_ok && price_ok && stock_ok
        };
        // Among the variants that satisfy every constraint: the one whose size and
        // colour the shopper named most closely, then in stock, then the cheapest.
        let wishes = Wishes::new(&q.prefer);
        let named = |v: &Variant| {
            v.size.as_deref().map_or(0, |s| wishes.score(s))
                + v.color.as_deref().map_or(0, |c| wishes.score(c))
        };
        let variant = p
            .variants
            .iter()
            .filter(|v| variant_ok(v))
            .min_by_key(|v| {
                (
                    std::cmp::Reverse(named(v)),
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
        if let Some(b) = &q.brand {
            if p.brand.as_deref().map(facet_key) != Some(facet_key(b)) {
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
            reasons.push(format!("price {price} ≤ {m}"));
        }
        if let Some(m) = q.price_min {
            reasons.push(format!("price {price} ≥ {m}"));
        }
        if let Some(c) = &variant.color {
            if !want_colors.is_empty() {
                reasons.push(format!("colour {c}"));
            }
        } else if !want_colors.is_empty() {
            reasons.push(format!("colour {}", want_colors.join("/")));
        }
        if let (Some(s), false) = (&variant.size, want_sizes.is_empty()) {
            reasons.push(format!("size {s}"));
        }
        if q.in_stock_only {
            reasons.push(format!("in stock ({} left)", variant.stock));
        }
        if let Some(b) = &q.brand {
            reasons.push(format!("brand {b}"));
        }
        for (k, v) in &q.attributes {
            reasons.push(match v {
                Some(v) => format!("{k}: {v}"),
                None => k.clone(),
            });
        }
        for e in &q.exclude {
            reasons.push(format!("without {e}"));
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
        })
    }
}

/// How many of the best candidates the coverage stage looks at.
const RERANK: usize = 100;

/// Second stage of relevance ranking, over the best [`RERANK`] candidates (and at
/// least the page asked for): BM25 favours a few words in the title; a shopper's
/// request is better met by the product that has more of what they asked for, and in
/// the same order ("classic fit", "needle sleeve"):
///
/// ```text
/// score × (1 + 1.0 × words covered + 1.0 × word pairs covered)
/// ```
///
/// where "words covered" is the share of the query's words (stemmed, English or
/// German) found anywhere in the product's title, attributes or description, and
/// "pairs covered" the share of adjacent query word pairs found adjacent there.
fn rerank_by_coverage(hits: &mut [Hit], text: &str, want: usize, an: &mut Analyzers) {
    use std::collections::HashSet;
    let query: Vec<(String, Vec<String>)> = words(text)
        .filter_map(|w| {
            let en = tokens(&mut an.en, &w).into_iter().next()?;
            Some((en, tokens(&mut an.de, &w)))
        })
        .collect();
    if query.len() < 2 {
        return;
    }
    let n = hits.len().min(RERANK.max(want));
    for h in hits.iter_mut().take(n) {
        let p = &h.product;
        let mut body = format!("{} {}", p.title, p.title_en.as_deref().unwrap_or(""));
        for vs in p.attributes.values() {
            for v in vs {
                body.push_str(" . ");
                body.push_str(v);
            }
        }
        body.push_str(" . ");
        body.push_str(&p.description);
        let en = tokens(&mut an.en, &body);
        let en_set: HashSet<&str> = en.iter().map(String::as_str).collect();
        let de_set: HashSet<String> = tokens(&mut an.de, &body).into_iter().collect();
        let pairs: HashSet<(&str, &str)> = en
            .windows(2)
            .map(|w| (w[0].as_str(), w[1].as_str()))
            .collect();
        let covered = query
            .iter()
            .filter(|(e, d)| en_set.contains(e.as_str()) || d.iter().any(|t| de_set.contains(t)))
            .count() as f32
            / query.len() as f32;
        let paired = query
            .windows(2)
            .filter(|w| pairs.contains(&(w[0].0.as_str(), w[1].0.as_str())))
            .count() as f32
            / (query.len() - 1) as f32;
        h.score *= 1.0 + covered + paired;
    }
    hits[..n].sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal));
}

/// Query words (as typed) whose analysed form occurs in the product's texts.
fn matched_terms(p: &Product, text: &str, an: &mut Analyzers) -> Vec<String> {
    let mut body = format!(
        "{} {} {} {} {}",
        p.title,
        p.title_en.as_deref().unwrap_or(""),
        p.brand.as_deref().unwrap_or(""),
        p.category.join(" "),
        p.material.as_deref().unwrap_or("")
    );
    for (k, vs) in &p.attributes {
        body.push(' ');
        body.push_str(k);
        for v in vs {
            body.push(' ');
            body.push_str(v);
        }
    }
    let de: BTreeSet<String> = tokens(&mut an.de, &body).into_iter().collect();
    let en: BTreeSet<String> = tokens(&mut an.en, &body).into_iter().collect();
    let folded = fold(&body);
    let mut out = Vec::new();
    for w in text.split_whitespace() {
        let hit = tokens(&mut an.de, w)
            .iter()
            .any(|t| de.contains(t) || folded.contains(t.as_str()))
            || tokens(&mut an.en, w).iter().any(|t| en.contains(t));
        let clean = w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        if hit && !clean.is_empty() && !out.contains(&clean) {
            out.push(clean);
        }
    }
    out
}

fn by_fast(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    fetch: usize,
    field: &str,
    order: Order,
) -> tantivy::Result<Vec<(f32, DocAddress)>> {
    Ok(searcher
        .search(
            query,
            &TopDocs::with_limit(fetch).order_by_fast_field::<i64>(field, order),
        )?
        .into_iter()
        .map(|(p, a)| (p as f32, a))
        .collect())
}
