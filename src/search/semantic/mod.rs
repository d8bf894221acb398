//! The semantic side of search: one vector per product from its own words, kept in
//! step with the catalogue by a background thread, and the nearest products to a
//! query's vector (see `query::fusion` for how they meet the BM25 list).
//!
//! Vectors are computed in batches off the request path. Until the first pass is
//! done, search answers lexically; afterwards a changed product is searched lexically
//! until its new vector is in. Vectors are cached on disk by model and text hash
//! ([`cache`]), so a restart or a stock change costs no model time.

pub mod cache;
pub mod vectors;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, RwLock};

use sha2::{Digest, Sha256};

use crate::catalog::Product;
use crate::embed::{Embedder, Role};
use cache::VectorCache;
use vectors::VectorSet;

/// How far the vectors are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Products whose vector this pass has (cached or computed).
    pub done: usize,
    /// Products in this pass.
    pub total: usize,
    /// Vectors the model computed in the last finished pass (the rest came from the
    /// cache).
    pub computed: usize,
    /// The first pass is complete: search uses the vectors.
    pub ready: bool,
    /// Embedding failed; search stays lexical.
    pub failed: Option<String>,
}

/// Called with the progress as it changes (for `/readyz` and the CLI's bar).
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

enum Work {
    Upsert(Vec<Arc<Product>>),
    Delete(Vec<String>),
}

struct Shared {
    embedder: Arc<Embedder>,
    vectors: RwLock<VectorSet>,
    progress: Mutex<Progress>,
    on_progress: ProgressFn,
    /// Recent query vectors: one turn may search the same words several times.
    queries: Mutex<HashMap<String, Arc<Vec<f32>>>>,
    /// Passage vectors of texts other than products' (what each type is for),
    /// asked again by every turn that offers the type.
    passages: Mutex<HashMap<String, Arc<Vec<f32>>>>,
}

impl Shared {
    fn set_progress(&self, f: impl FnOnce(&mut Progress)) {
        let p = {
            let mut p = self.progress.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut p);
            p.clone()
        };
        (self.on_progress)(&p);
    }
}

/// The vector side of the index. Dropping it stops its thread.
pub struct SemanticIndex {
    shared: Arc<Shared>,
    work: Mutex<Sender<Work>>,
}

/// Query vectors kept for reuse.
const QUERY_CACHE: usize = 512;

/// How many passage vectors of other texts are kept ([`SemanticIndex::passage_vectors`]):
/// a catalogue has far fewer types.
const PASSAGE_CACHE: usize = 10_000;
/// Texts one cache write and one progress step cover.
const CHUNK: usize = 64;

impl SemanticIndex {
    /// Starts the worker; vectors are cached in `cache_path` (a cache that cannot be
    /// opened is logged and skipped: vectors are then computed every start).
    pub fn start(
        embedder: Arc<Embedder>,
        cache_path: &Path,
        on_progress: ProgressFn,
    ) -> SemanticIndex {
        let dim = embedder.dim();
        // A cache that cannot be opened is moved aside and started afresh (it is
        // derived data); if even that fails, vectors are computed every start.
        let cache = VectorCache::open(cache_path, &embedder.model_id).or_else(|e| {
            let aside = cache_path.with_extension("sqlite3.damaged");
            tracing::warn!(path = %cache_path.display(), error = %e, aside = %aside.display(), "vector cache unreadable; moving it aside");
            std::fs::rename(cache_path, &aside).ok();
            VectorCache::open(cache_path, &embedder.model_id)
        });
        let cache = match cache {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::warn!(path = %cache_path.display(), error = %e, "vector cache unavailable; vectors are computed every start");
                None
            }
        };
        let shared = Arc::new(Shared {
            embedder,
            vectors: RwLock::new(VectorSet::new(dim)),
            progress: Mutex::new(Progress::default()),
            on_progress,
            queries: Mutex::new(HashMap::new()),
            passages: Mutex::new(HashMap::new()),
        });
        let (tx, rx) = mpsc::channel();
        let worker = shared.clone();
        std::thread::Builder::new()
            .name("vectors".into())
            .spawn(move || run(worker, rx, cache))
            .expect("spawning the vector thread");
        SemanticIndex {
            shared,
            work: Mutex::new(tx),
        }
    }

    /// Queues products whose vectors must be (re)computed and ids to drop.
    pub fn update(&self, upserts: Vec<Arc<Product>>, deletes: Vec<String>) {
        let tx = self.work.lock().unwrap_or_else(|p| p.into_inner());
        if !deletes.is_empty() {
            let _ = tx.send(Work::Delete(deletes));
        }
        if !upserts.is_empty() {
            let _ = tx.send(Work::Upsert(upserts));
        }
    }

    /// Queues the first pass over every product (even none: the pass then
    /// completes at once).
    pub fn start_pass(&self, all: Vec<Arc<Product>>) {
        let tx = self.work.lock().unwrap_or_else(|p| p.into_inner());
        let _ = tx.send(Work::Upsert(all));
    }

    pub fn progress(&self) -> Progress {
        self.shared
            .progress
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Bytes the vectors take in memory.
    pub fn bytes(&self) -> usize {
        self.shared
            .vectors
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .bytes()
    }

    /// The vectors of `texts` as passages, each computed once (up to
    /// [`PASSAGE_CACHE`] kept); none if embedding fails.
    pub fn passage_vectors(&self, texts: &[&str]) -> Option<Vec<Arc<Vec<f32>>>> {
        let lock = || {
            self.shared
                .passages
                .lock()
                .unwrap_or_else(|p| p.into_inner())
        };
        let missing: Vec<&str> = {
            let known = lock();
            let mut m: Vec<&str> = texts
                .iter()
                .copied()
                .filter(|t| !known.contains_key(*t))
                .collect();
            m.sort_unstable();
            m.dedup();
            m
        };
        if !missing.is_empty() {
            let computed = self
                .shared
                .embedder
                .embed_many(&missing, Role::Passage)
                .map_err(|e| tracing::warn!(error = %e, "embedding passages failed"))
                .ok()?;
            let mut known = lock();
            if known.len() + missing.len() > PASSAGE_CACHE {
                known.clear();
            }
            for (t, v) in missing.iter().zip(computed) {
                known.insert(t.to_string(), Arc::new(v));
            }
        }
        let known = lock();
        texts.iter().map(|t| known.get(*t).cloned()).collect()
    }

    /// The query's vector (cached for repeats).
    pub fn query_vector(&self, text: &str) -> Option<Arc<Vec<f32>>> {
        let key = text.trim().to_lowercase();
        if key.is_empty() {
            return None;
        }
        if let Some(v) = self
            .shared
            .queries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return Some(v.clone());
        }
        let v = match self.shared.embedder.embed(&key, Role::Query) {
            Ok(v) => Arc::new(v),
            Err(e) => {
                tracing::warn!(error = %e, "embedding a query failed; searching lexically");
                return None;
            }
        };
        let mut q = self
            .shared
            .queries
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if q.len() >= QUERY_CACHE {
            q.clear();
        }
        q.insert(key, v.clone());
        Some(v)
    }

    /// Whether the model's vocabulary knows a word of `text` as a word: one of four
    /// or more letters in pieces of three letters or more on average ("radfahren" →
    /// "▁rad" "fahren"). Keyboard noise falls apart into short pieces ("qwrtzq" →
    /// 1.5 letters a piece); in the discovery set half the words of four letters or
    /// more have four letters a piece.
    pub fn knows_a_word(&self, text: &str) -> bool {
        text.split(|c: char| !c.is_alphanumeric()).any(|w| {
            let letters = w.chars().count();
            if letters < 4 {
                return false;
            }
            let lower = w.to_lowercase();
            self.shared
                .embedder
                .token_ids(&lower, Role::Query)
                .map(|ids| {
                    // Less the prefix "query:" + space (3 pieces) and <s>, </s>.
                    let pieces = ids.len().saturating_sub(5).max(1);
                    letters as f32 / pieces as f32 >= 3.0
                })
                .unwrap_or(false)
        })
    }

    /// The `k` products nearest to a query vector, best first.
    pub fn nearest_to(&self, vector: &[f32], k: usize) -> Vec<(String, f32)> {
        let set = self
            .shared
            .vectors
            .read()
            .unwrap_or_else(|p| p.into_inner());
        set.nearest(vector, k)
            .into_iter()
            .map(|(id, s)| (id.to_string(), s))
            .collect()
    }
}

/// The words a product is embedded from: its titles, category path, brand and the
/// attributes a shopper would name (not the option lists, not the description).
pub fn passage_text(p: &Product) -> String {
    let mut s = p.title.clone();
    if let Some(en) = p.title_en.as_deref().filter(|en| *en != p.title) {
        s.push_str(" / ");
        s.push_str(en);
    }
    if !p.category.is_empty() {
        s.push_str(". ");
        s.push_str(&p.category.join(" > "));
    }
    if let Some(b) = &p.brand {
        s.push_str(". ");
        s.push_str(b);
    }
    let mut attrs = Vec::new();
    for (k, vs) in &p.attributes {
        if k.starts_with("option.") || vs.is_empty() {
            continue;
        }
        attrs.push(format!("{k}: {}", vs.join(", ")));
    }
    if let Some(m) = &p.material {
        attrs.push(m.clone());
    }
    if !attrs.is_empty() {
        s.push_str(". ");
        s.push_str(&attrs.join("; "));
    }
    // About 512 tokens is the model's limit; the first words say the most.
    if s.len() > 1200 {
        let mut cut = 1200;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

/// The cache key of a text.
pub fn text_hash(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..16])
}

fn run(shared: Arc<Shared>, rx: Receiver<Work>, mut cache: Option<VectorCache>) {
    while let Ok(first) = rx.recv() {
        // Take everything queued: a bulk import arrives as many batches.
        let mut upserts: HashMap<String, Arc<Product>> = HashMap::new();
        let mut deletes: HashSet<String> = HashSet::new();
        let mut take = |w: Work| match w {
            Work::Upsert(ps) => {
                for p in ps {
                    deletes.remove(&p.id);
                    upserts.insert(p.id.clone(), p);
                }
            }
            Work::Delete(ids) => {
                for id in ids {
                    upserts.remove(&id);
                    deletes.insert(id);
                }
            }
        };
        take(first);
        while let Ok(w) = rx.try_recv() {
            take(w);
        }
        if !deletes.is_empty() {
            let mut set = shared.vectors.write().unwrap_or_else(|p| p.into_inner());
            for id in &deletes {
                set.remove(id);
            }
        }
        if let Err(e) = embed_round(&shared, cache.as_mut(), upserts.into_values().collect()) {
            tracing::error!(error = %e, "computing product vectors failed; search stays lexical");
            shared.set_progress(|p| p.failed = Some(e));
            return;
        }
    }
}

fn embed_round(
    shared: &Shared,
    mut cache: Option<&mut VectorCache>,
    products: Vec<Arc<Product>>,
) -> Result<(), String> {
    let total = products.len();
    shared.set_progress(|p| {
        p.done = 0;
        p.total = total;
    });
    let dim = shared.embedder.dim();
    let started = std::time::Instant::now();
    // Products by the hash of their text (equal texts share one vector). Only hashes
    // are kept for the whole pass; a text is made again when it must be embedded, and
    // vectors go straight into an int8 staging set: a 200k pass holds 77 MB of
    // vectors, not 300 MB of f32 plus every text.
    let mut by_hash: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in products.iter().enumerate() {
        by_hash
            .entry(text_hash(&passage_text(p)))
            .or_default()
            .push(i);
    }
    let mut staging = VectorSet::new(dim);
    let put = |staging: &mut VectorSet, ids: &[usize], v: &[f32]| {
        for &i in ids {
            staging.insert(&products[i].id, v);
        }
    };
    let mut cached = 0;
    if let Some(c) = cache.as_deref() {
        let hashes: Vec<String> = by_hash.keys().cloned().collect();
        for chunk in hashes.chunks(1000) {
            let keys: Vec<&str> = chunk.iter().map(String::as_str).collect();
            // A damaged cache costs model time, never the semantic side.
            let found = c.get_many(&keys, dim).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "reading the vector cache failed; computing the vectors");
                HashMap::new()
            });
            for (h, v) in found {
                if let Some(ids) = by_hash.remove(&h) {
                    cached += ids.len();
                    put(&mut staging, &ids, &v);
                }
            }
        }
    }
    shared.set_progress(|p| p.done = cached);
    let missing: Vec<(String, Vec<usize>)> = by_hash.into_iter().collect();
    let computed = missing.len();
    for chunk in missing.chunks(CHUNK) {
        let texts: Vec<String> = chunk
            .iter()
            .map(|(_, ids)| passage_text(&products[ids[0]]))
            .collect();
        let words: Vec<&str> = texts.iter().map(String::as_str).collect();
        let vs = shared
            .embedder
            .embed_many(&words, Role::Passage)
            .map_err(|e| e.to_string())?;
        let mut done = 0;
        for ((_, ids), v) in chunk.iter().zip(&vs) {
            put(&mut staging, ids, v);
            done += ids.len();
        }
        if let Some(c) = cache.as_deref_mut() {
            let rows: Vec<(String, Vec<f32>)> =
                chunk.iter().map(|(h, _)| h.clone()).zip(vs).collect();
            if let Err(e) = c.put_many(&rows) {
                tracing::warn!(error = %e, "writing the vector cache failed");
            }
        }
        shared.set_progress(|p| p.done = (p.done + done).min(total));
    }
    shared
        .vectors
        .write()
        .unwrap_or_else(|p| p.into_inner())
        .absorb(staging);
    tracing::info!(
        products = total,
        cached,
        computed,
        secs = started.elapsed().as_secs_f32(),
        "product vectors up to date"
    );
    shared.set_progress(|p| {
        p.done = total;
        p.computed = computed;
        p.ready = true;
    });
    Ok(())
}
