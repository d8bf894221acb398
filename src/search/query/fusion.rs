//! Meeting of the two lists: BM25 (after the coverage re-rank) and the products
//! nearest in meaning, fused by reciprocal rank:
//!
//! ```text
//! fused = W_LEX / (K + lexical rank) + W_SEM / (K + semantic rank)
//! ```
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
pub(super) const MIN_COSINE: f32 = 0.80;
/// …and within this much of the best neighbour.
pub(super) const BAND: f32 = 0.06;
/// The rank constant of reciprocal rank fusion.
pub(super) const RRF_K: f32 = 20.0;
/// Weights of the two lists.
pub(super) const W_LEX: f32 = 1.0;
pub(super) const W_SEM: f32 = 1.0;

/// What a hit found only by meaning says in its reasons.
pub const SEMANTIC_REASON: &str = "semantic match";

impl ProductIndex {
    /// The products nearest in meaning to `q.text` that satisfy every constraint of
    /// `q`, best first; `None` when there is no vector side (yet).
    pub(super) fn semantic_hits(
        &self,
        q: &SearchQuery,
        an: &mut Analyzers,
    ) -> Result<Option<Vec<Hit>>, IndexError> {
        let Some(semantic) = self.semantic.get() else {
            return Ok(None);
        };
        let Some(near) = semantic.nearest(&q.text, NEIGHBOURS) else {
            return Ok(None);
        };
        let Some(&(_, best)) = near.first() else {
            return Ok(Some(Vec::new()));
        };
        let near: Vec<(String, f32)> = near
            .into_iter()
            .filter(|(_, c)| *c >= tuning()[3] && *c >= best - tuning()[4])
            .collect();
        if near.is_empty() {
            return Ok(Some(Vec::new()));
        }
        // The index-side filters (brand, category, exclusions), for just these ids.
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            Box::new(TermSetQuery::new(
                near.iter()
                    .map(|(id, _)| Term::from_field_text(self.fields.id, id)),
            )),
        )];
        self.filter_clauses(q, an, &mut clauses);
        let searcher = self.reader.searcher();
        let docs = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(near.len()),
        )?;
        let mut allowed = std::collections::HashSet::new();
        for (_, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr)?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                allowed.insert(id.to_string());
            }
        }
        Ok(Some(
            near.into_iter()
                .filter(|(id, _)| allowed.contains(id))
                .filter_map(|(id, cos)| self.product(&id).and_then(|p| self.check(&p, q, cos)))
                .collect(),
        ))
    }
}

/// Reciprocal rank fusion of the lexical and the semantic list.
fn tuning() -> [f32; 5] {
    static T: std::sync::OnceLock<[f32; 5]> = std::sync::OnceLock::new();
    *T.get_or_init(|| {
        let mut t = [RRF_K, W_LEX, W_SEM, MIN_COSINE, BAND];
        if let Ok(v) = std::env::var("TUNE_FUSION") {
            for (i, x) in v.split(',').enumerate() {
                if let Ok(x) = x.parse() {
                    t[i] = x;
                }
            }
        }
        t
    })
}

pub(super) fn fuse(lexical: Vec<Hit>, semantic: Vec<Hit>) -> Vec<Hit> {
    let [k, wl, ws, _, _] = tuning();
    let mut fused: HashMap<String, (Hit, f32)> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (rank, h) in lexical.into_iter().enumerate() {
        let s = wl / (k + rank as f32 + 1.0);
        order.push(h.id.clone());
        fused.insert(h.id.clone(), (h, s));
    }
    for (rank, mut h) in semantic.into_iter().enumerate() {
        let s = ws / (k + rank as f32 + 1.0);
        match fused.get_mut(&h.id) {
            Some(e) => e.1 += s,
            None => {
                h.reasons.push(SEMANTIC_REASON.to_string());
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
