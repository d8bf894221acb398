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
//! heads 2.5, compound modifiers 1.2, brand 2, category 2, attributes 1.5, description 0.5; a misspelt word
//! matches titles by edit distance (1 from 5 letters, 2 from 9) at boost 1. Stock and
//! rating only break near-ties: a bm25 gap of 20 % outweighs both.

mod filters;
mod fusion;
mod rank;
mod reason;
mod text;

use rank::*;
pub use reason::Reason;

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
use tantivy::{DocAddress, TantivyDocument, Term};

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
    /// The kind of product asked for ("cable", "extender"), when the catalogue's
    /// English titles have it: a hit must be one (a "tv stand" is no "tv").
    #[serde(default)]
    pub kind: Option<String>,
    /// Model tokens the request names that the catalogue has ("313", "a25"): a hit's
    /// title names one of them.
    #[serde(default)]
    pub models: Vec<String>,
    /// Specs with units a hit must meet ("longer than 20 feet"); a product that does
    /// not state the spec does not meet it.
    #[serde(default)]
    pub specs: Vec<crate::nlu::rules::specs::SpecWish>,
    /// Connectors, sockets and memory generations a hit's title or attributes must
    /// name ("USB-C", "AM5", "DDR5"), canonical as [`crate::catalog::specs::connectors`]
    /// spells them.
    #[serde(default)]
    pub connectors: Vec<String>,
    /// The two plugs a cable or adapter must join, sorted, as
    /// [`crate::catalog::specs::plug_pair`] reads them; empty for any.
    pub plugs: Vec<String>,
    /// The connectors of a product the hits must fit ("ram for this motherboard"):
    /// see [`crate::catalog::specs::compatible`].
    #[serde(default)]
    pub compatible: Vec<String>,
    /// Devices by line and number an accessory must be made for ("iphone 13"): a
    /// title that lists numbers of the line must list this one.
    #[serde(default)]
    pub lines: Vec<crate::search::profile::LineWish>,
    /// What the shopper said in this search, to choose among the variants and option
    /// values that satisfy the constraints ("slate", "x-large", "pack of 12"). Never a
    /// filter.
    #[serde(default)]
    pub prefer: String,
    /// A superlative over a spec ("the longest hdmi cable"): among a product's
    /// variants, the one with the most (or least) of it is the one shown. Never a
    /// filter; the order of the products is the caller's.
    #[serde(default)]
    pub spec_sort: Option<crate::nlu::rules::specs::SpecSort>,
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
    #[serde(serialize_with = "reason::as_strings")]
    pub reasons: Vec<Reason>,
    /// The variant that satisfies the constraints (size, colour, stock, price).
    pub variant: Variant,
    /// The selected value of each option: the variant's size and colour, and for
    /// other options (`option.<name>` attributes: style, flavour, fit) the value the
    /// shopper named, else the first.
    pub options: std::collections::BTreeMap<String, String>,
    #[serde(skip)]
    pub product: std::sync::Arc<Product>,
    /// Share of the request's words found in the product's own texts (1 when not
    /// measured): how much a lexical rank says, in fusion with the semantic side.
    #[serde(skip)]
    pub coverage: f32,
}

/// A page of hits and how many passed the filters in all.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// Hits past the filters among the candidates looked at (a lower bound for large sets).
    pub total: usize,
}

/// The product behind each hit of one searcher: by the id key's fast field (one
/// column per segment, opened on first use), and by the stored id for the rare
/// key two ids share.
pub(super) struct DocProducts<'s> {
    searcher: &'s tantivy::Searcher,
    columns: Vec<Option<tantivy::columnar::Column<u64>>>,
}

impl<'s> DocProducts<'s> {
    pub(super) fn new(searcher: &'s tantivy::Searcher) -> Self {
        DocProducts {
            searcher,
            columns: vec![None; searcher.segment_readers().len()],
        }
    }

    /// The product of a document, `None` when it is no longer served.
    pub(super) fn get(
        &mut self,
        index: &ProductIndex,
        addr: DocAddress,
    ) -> tantivy::Result<Option<std::sync::Arc<Product>>> {
        let seg = addr.segment_ord as usize;
        if self.columns[seg].is_none() {
            self.columns[seg] = Some(
                self.searcher
                    .segment_reader(addr.segment_ord)
                    .fast_fields()
                    .u64("id_key")?,
            );
        }
        let key = self.columns[seg]
            .as_ref()
            .and_then(|c| c.first(addr.doc_id));
        let known = key.and_then(|k| {
            index
                .products
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .by_key(k)
                .cloned()
        });
        if known.is_some() {
            return Ok(known);
        }
        // Ambiguous key: read the stored id.
        let doc: TantivyDocument = self.searcher.doc(addr)?;
        Ok(doc
            .get_first(index.fields.id)
            .and_then(|v| v.as_str())
            .and_then(|id| index.product(id)))
    }
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
        let semantic = self.semantic.get().filter(|s| {
            q.sort == Sort::Relevance && !q.text.trim().is_empty() && s.progress().ready
        });
        match semantic {
            None => self.search_with(q, None),
            // The request's vector is computed while BM25 runs.
            Some(s) => std::thread::scope(|scope| {
                let pending = scope.spawn(|| s.query_vector(&q.text));
                self.search_with(q, Some(pending))
            }),
        }
    }

    /// A search by the words alone (BM25, the filters and the coverage re-rank),
    /// without the vector side: for checks on a message's words that need no
    /// neighbours by meaning and should not pay for a query embedding.
    pub fn search_words(&self, q: &SearchQuery) -> Result<SearchResults, IndexError> {
        self.search_with(q, None)
    }

    fn search_with(
        &self,
        q: &SearchQuery,
        mut pending: Option<std::thread::ScopedJoinHandle<'_, Option<std::sync::Arc<Vec<f32>>>>>,
    ) -> Result<SearchResults, IndexError> {
        let limit = q.limit.clamp(1, 200);
        let mut an = Analyzers::new();
        // The other names of the asked kind find its products too: "wifi extender"
        // finds a "WiFi Booster … Repeater".
        let same_kinds = q
            .kind
            .as_deref()
            .map(|k| crate::nlu::lexicon::Lexicon::get().same_kinds(k))
            .unwrap_or_default();
        let text_query = if same_kinds.is_empty() {
            self.text_query(&q.text, &mut an)
        } else {
            self.text_query(&format!("{} {}", q.text, same_kinds.join(" ")), &mut an)
        };
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
                (Sort::PriceAsc, _) => top_docs(&searcher, &query, fetch, Rank::PriceAsc)?,
                (Sort::PriceDesc, _) => top_docs(&searcher, &query, fetch, Rank::PriceDesc)?,
                (Sort::Rating, _) => top_docs(&searcher, &query, fetch, Rank::Rating)?,
                (Sort::Relevance, true) => top_docs(&searcher, &query, fetch, Rank::Score)?,
                // No words to rank by: best-rated first.
                (Sort::Relevance, false) => top_docs(&searcher, &query, fetch, Rank::Rating)?
                    .into_iter()
                    .map(|(r, a)| (1.0 + r / 100.0, a))
                    .collect(),
            };
            let exhausted = candidates.len() < fetch;
            let mut hits = Vec::new();
            let mut products = DocProducts::new(&searcher);
            for (score, addr) in candidates {
                let Some(product) = products.get(self, addr)? else {
                    continue;
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
                let vector = pending.take().and_then(|h| h.join().ok().flatten());
                let lexical = hits.len();
                if let (true, Some(v)) = (q.sort == Sort::Relevance && has_text, vector) {
                    let semantic = self.semantic_hits(q, &v, &mut an)?;
                    hits = fusion::fuse(hits, semantic, &q.text);
                }
                // Found: what has the asked words, and the neighbours in meaning up
                // to this page. On a small shop every product is some neighbour of
                // a word ("toner" was "60 matching products" of 80).
                let neighbours_shown = hits
                    .iter()
                    .take(want)
                    .filter(|h| {
                        h.reasons
                            .iter()
                            .any(|r| matches!(r, Reason::Semantic { .. }))
                    })
                    .count();
                let total = (lexical + neighbours_shown).min(hits.len());
                // Matched words only for the page shown: analysing every candidate's
                // texts would cost more than the search.
                let hits = hits
                    .into_iter()
                    .skip(q.offset)
                    .take(limit)
                    .map(|mut h| {
                        let mut words = matched_terms(&h.product, &q.text, &mut an);
                        // Every hit is of the asked kind, by its word or another name.
                        if let Some(w) = kind_word(q).filter(|w| !words.contains(w)) {
                            words.push(w);
                        }
                        h.reasons
                            .extend(words.into_iter().map(|term| Reason::Matched { term }));
                        h
                    })
                    .collect();
                return Ok(SearchResults { hits, total });
            }
            fetch = (fetch * 4).min(MAX_CANDIDATES);
        }
    }
}

/// The request's word that names its kind ("extenders" for "extender"), when the
/// query filters by kind: a hit is of that kind, also where its title calls it
/// by another name.
fn kind_word(q: &SearchQuery) -> Option<String> {
    let kind = q.kind.as_deref()?;
    q.text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .find(|w| crate::catalog::kind::singular(w) == kind)
        .map(str::to_string)
}
