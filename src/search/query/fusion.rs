//! Meeting of the two lists: BM25 (after the coverage re-rank) and the products
//! nearest in meaning, fused by reciprocal rank:
//!
//! ```text
//! fused = W_LEX × coverage / (K + lexical rank) + W_SEM / (K + semantic rank)
//! ```
//!
//! where coverage is the share of the request's words the lexical hit has (so a
//! fuzzy match of one word of five counts for little). K, the weights, the floor and
//! the band were tuned on development data only (`eval discovery` on
//! tests/data/discovery/dev.jsonl, `eval known-item` on off_de, `eval webshop` on
//! the synthetic dev goals); the figures are in BENCHMARKS.md.
//!
//! Only neighbours close to the best one and above an absolute floor take part, so a
//! query that means nothing in this shop brings no "nearest" noise. Neighbours pass
//! the same filters as lexical hits (the index-side ones here, the per-variant ones
//! in `check`): no constraint is ever loosened by meaning.

use std::collections::HashMap;

use tantivy::query::TermSetQuery;

use super::*;

/// How many neighbours a search looks at.
pub(super) const NEIGHBOURS: usize = 60;
/// A neighbour must be at least this similar to the query…
pub(super) const MIN_COSINE: f32 = 0.75;
/// …and within this much of the best neighbour.
pub(super) const BAND: f32 = 0.15;
/// The rank constant of reciprocal rank fusion.
pub(super) const RRF_K: f32 = 60.0;
/// How sharply a lexical hit's weight falls with the share of the request it covers.
pub(super) const COVERAGE_POWER: f32 = 1.0;
/// Weights of the two lists.
pub(super) const W_LEX: f32 = 1.0;
pub(super) const W_SEM: f32 = 1.5;

impl ProductIndex {
    /// The products nearest in meaning to `vector` (the request's) that satisfy
    /// every constraint of `q`, best first.
    pub(super) fn semantic_hits(
        &self,
        q: &SearchQuery,
        vector: &[f32],
        an: &mut Analyzers,
    ) -> Result<Vec<Hit>, IndexError> {
        let Some(semantic) = self.semantic.get() else {
            return Ok(Vec::new());
        };
        // A person, an occasion or a problem ("meine Oma friert …") is a request in
        // any words.
        let need = crate::nlu::intent::names_a_need(&format!(" {} ", q.text.to_lowercase()));
        if !need && !self.has_known_word(&q.text) && !semantic.knows_a_word(&q.text) {
            return Ok(Vec::new());
        }
        let near = semantic.nearest_to(vector, NEIGHBOURS);
        let Some(&(_, best)) = near.first() else {
            return Ok(Vec::new());
        };
        let near: Vec<(String, f32)> = near
            .into_iter()
            .filter(|(_, c)| *c >= MIN_COSINE && *c >= best - BAND)
            .collect();
        if near.is_empty() {
            return Ok(Vec::new());
        }
        // The index-side filters (brand, category, exclusions, ranges), for just these
        // ids; none stated, none to run.
        let mut filters: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        self.filter_clauses(q, an, &mut filters);
        let allowed: Option<std::collections::HashSet<String>> = if filters.is_empty() {
            None
        } else {
            filters.push((
                Occur::Must,
                Box::new(TermSetQuery::new(
                    near.iter()
                        .map(|(id, _)| Term::from_field_text(self.fields.id, id)),
                )),
            ));
            let searcher = self.reader.searcher();
            let docs = searcher.search(
                &BooleanQuery::new(filters),
                &TopDocs::with_limit(near.len()),
            )?;
            let mut products = DocProducts::new(&searcher);
            let mut allowed = std::collections::HashSet::new();
            for (_, addr) in docs {
                if let Some(p) = products.get(self, addr)? {
                    allowed.insert(p.id.clone());
                }
            }
            Some(allowed)
        };
        let mut hits: Vec<Hit> = near
            .into_iter()
            .filter(|(id, _)| allowed.as_ref().is_none_or(|a| a.contains(id)))
            .filter_map(|(id, cos)| self.product(&id).and_then(|p| self.check(&p, q, cos)))
            .collect();
        // Ranked as lexical hits are: the similarity with the stock and rating
        // factors of `check`. Neighbours' similarities are close, so what can be
        // bought comes first.
        hits.sort_by(|a, b| b.score.partial_cmp(&a.score).unwrap_or(Ordering::Equal));
        Ok(hits)
    }
}

impl ProductIndex {
    /// Whether the request has a word this shop (or a near spelling of one) or the
    /// two languages know. Every string has nearest products, and the model's
    /// similarities do not tell "asdf qwer" (top cosine 0.81) from "my little boy
    /// loves trains" (0.82), so a request with no word known here, nor one the
    /// model knows as a word (`SemanticIndex::knows_a_word`), gets no neighbours.
    fn has_known_word(&self, text: &str) -> bool {
        let speller = self.speller.read().unwrap_or_else(|p| p.into_inner());
        words(text).any(|w| {
            let w = w.to_lowercase();
            crate::nlu::language::is_common_word(&w)
                || speller.knows(&w)
                || speller.correct(&w).is_some()
        })
    }
}

/// Reciprocal rank fusion of the lexical and the semantic list.
pub(super) fn fuse(lexical: Vec<Hit>, semantic: Vec<Hit>, text: &str) -> Vec<Hit> {
    let mut fused: HashMap<String, (Hit, f32)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (rank, h) in lexical.into_iter().enumerate() {
        // A lexical rank counts as much as the hit covers the request: a fuzzy match
        // of one word out of five ("trains" → "rain") says little.
        let s = W_LEX * h.coverage.powf(COVERAGE_POWER) / (RRF_K + rank as f32 + 1.0);
        order.push(h.id.clone());
        fused.insert(h.id.clone(), (h, s));
    }
    for (rank, mut h) in semantic.into_iter().enumerate() {
        let s = W_SEM / (RRF_K + rank as f32 + 1.0);
        match fused.get_mut(&h.id) {
            Some(e) => e.1 += s,
            None => {
                h.reasons.push(Reason::Semantic {
                    text: text.trim().to_string(),
                });
                order.push(h.id.clone());
                fused.insert(h.id.clone(), (h, s));
            }
        }
    }
    let mut out: Vec<(Hit, f32)> = order
        .into_iter()
        .filter_map(|id| fused.remove(&id))
        .collect();
    // Stable: equal scores keep the lexical order.
    out.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(Ordering::Equal));
    out.into_iter()
        .map(|(mut h, s)| {
            h.score = s * 100.0;
            h
        })
        .collect()
}
