//! The semantic-search benchmark: embedding model load and memory, passages embedded
//! per second, vector memory, query embedding and search latency.

use std::time::Instant;

use serde::Serialize;

use super::{memory_mb, query_mix, synthetic_catalog};
use crate::catalog::import::{import_str, Format, ImportOptions};
use crate::catalog::Product;
use crate::eval::quantile;
use crate::shop::{Shop, DEMO_CATALOG};

/// Figures of the semantic-search benchmark.
#[derive(Debug, Clone, Serialize)]
pub struct VectorsBench {
    pub products: usize,
    pub model_load_seconds: f64,
    /// RSS the loaded embedding model added.
    pub model_rss_mb: f64,
    /// Passages embedded from scratch (the demo's own products) and their rate.
    pub embedded: usize,
    pub embed_products_per_second: f64,
    /// RSS the vectors of `products` added, and the matrix's own size.
    pub vectors_rss_mb: f64,
    pub matrix_mb: f64,
    pub query_embed_p50_ms: f64,
    pub query_embed_p95_ms: f64,
    /// Whole searches (BM25, query embedding, neighbours, fusion, filters).
    pub search_p50_ms: f64,
    pub search_p95_ms: f64,
    pub lexical_search_p50_ms: f64,
}

impl std::fmt::Display for VectorsBench {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "products            {}", self.products)?;
        writeln!(
            f,
            "model load          {:.2} s, +{:.0} MB RSS",
            self.model_load_seconds, self.model_rss_mb
        )?;
        writeln!(
            f,
            "embedding           {} products at {:.1} products/s",
            self.embedded, self.embed_products_per_second
        )?;
        writeln!(
            f,
            "vectors             +{:.0} MB RSS (matrix {:.1} MB)",
            self.vectors_rss_mb, self.matrix_mb
        )?;
        writeln!(
            f,
            "query embedding     p50 {:.2} ms, p95 {:.2} ms",
            self.query_embed_p50_ms, self.query_embed_p95_ms
        )?;
        writeln!(
            f,
            "search, semantic    p50 {:.2} ms, p95 {:.2} ms",
            self.search_p50_ms, self.search_p95_ms
        )?;
        write!(
            f,
            "search, lexical     p50 {:.2} ms",
            self.lexical_search_p50_ms
        )
    }
}

/// Semantic search at `n` products (`bench/run vectors`): loads the embedding model,
/// embeds `embed` of the demo's products from scratch for the rate, then fills the
/// vector cache for the other synthetic copies with their base product's vector
/// plus a little noise (the cost of a search does not depend on the values), and
/// times `queries` searches with and without the vector side.
pub fn vectors(
    embedder: std::sync::Arc<crate::embed::Embedder>,
    load_seconds: f64,
    rss_before_model: f64,
    n: usize,
    embed: usize,
    queries: usize,
) -> anyhow::Result<VectorsBench> {
    use crate::embed::Role;
    use crate::search::semantic::{cache::VectorCache, passage_text, text_hash, SemanticIndex};
    let model_rss_mb = memory_mb("self").0 - rss_before_model;
    let text = synthetic_catalog(n);
    let dir = tempfile::tempdir()?;
    let (shop, _) = Shop::open(dir.path())?;
    let (products, _) = import_str(&text, Format::Jsonl, &ImportOptions::default())?;
    shop.apply(&products, &[])?;
    let mix = query_mix();
    for q in &mix {
        shop.search(q)?;
    }
    let mut lexical = Vec::new();
    for i in 0..queries {
        let t = Instant::now();
        shop.search(&mix[i % mix.len()])?;
        lexical.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    lexical.sort_by(|a, b| a.total_cmp(b));

    // The rate, from scratch.
    let base: Vec<&Product> = products.iter().take(DEMO_CATALOG.lines().count()).collect();
    let sample: Vec<String> = base.iter().take(embed).map(|p| passage_text(p)).collect();
    let words: Vec<&str> = sample.iter().map(String::as_str).collect();
    let t = Instant::now();
    let computed = embedder.embed_many(&words, Role::Passage)?;
    let embed_products_per_second = words.len() as f64 / t.elapsed().as_secs_f64();

    // The cache for every product: computed vectors, the rest from their base.
    let cache_path = dir.path().join("vectors.sqlite3");
    {
        let mut cache = VectorCache::open(&cache_path, &embedder.model_id)?;
        let base_vectors: Vec<Vec<f32>> = if base.len() > computed.len() {
            let rest: Vec<String> = base[computed.len()..]
                .iter()
                .map(|p| passage_text(p))
                .collect();
            let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
            let mut all = computed.clone();
            all.extend(embedder.embed_many(&rest, Role::Passage)?);
            all
        } else {
            computed.clone()
        };
        let mut rng = crate::eval::SplitMix64::new(7);
        let mut rows = Vec::with_capacity(n);
        for (i, p) in products.iter().enumerate() {
            let mut v = base_vectors[i % base_vectors.len()].clone();
            if i >= base_vectors.len() {
                for x in &mut v {
                    *x += (rng.below(1000) as f32 / 1000.0 - 0.5) * 0.01;
                }
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
                v.iter_mut().for_each(|x| *x /= norm);
            }
            rows.push((text_hash(&passage_text(p)), v));
        }
        for chunk in rows.chunks(5000) {
            cache.put_many(chunk)?;
        }
    }
    let rss_before_vectors = memory_mb("self").0;
    let semantic = std::sync::Arc::new(SemanticIndex::start(
        embedder.clone(),
        &cache_path,
        std::sync::Arc::new(|_| {}),
    ));
    shop.attach_semantic(semantic.clone());
    while !shop.semantic_progress().is_some_and(|p| p.ready) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let vectors_rss_mb = memory_mb("self").0 - rss_before_vectors;

    let mut embeds = Vec::new();
    for (i, q) in mix.iter().enumerate().take(queries.min(mix.len() * 4)) {
        let t = Instant::now();
        embedder.embed(&format!("{} {i}", q.text), Role::Query)?;
        embeds.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    embeds.sort_by(|a, b| a.total_cmp(b));
    let mut searches = Vec::new();
    for i in 0..queries {
        // A fresh text each time, so the query-vector cache does not hide the model.
        let mut q = mix[i % mix.len()].clone();
        q.text = format!("{} {}", q.text, i / mix.len());
        let t = Instant::now();
        shop.search(&q)?;
        searches.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    searches.sort_by(|a, b| a.total_cmp(b));
    Ok(VectorsBench {
        products: products.len(),
        model_load_seconds: load_seconds,
        model_rss_mb,
        embedded: words.len(),
        embed_products_per_second,
        vectors_rss_mb,
        matrix_mb: semantic.bytes() as f64 / 1e6,
        query_embed_p50_ms: quantile(&embeds, 0.5),
        query_embed_p95_ms: quantile(&embeds, 0.95),
        search_p50_ms: quantile(&searches, 0.5),
        search_p95_ms: quantile(&searches, 0.95),
        lexical_search_p50_ms: quantile(&lexical, 0.5),
    })
}
