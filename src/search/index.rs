//! The product index on disk: open, rebuild, upsert, delete.
//!
//! The index is derived data. The catalogue's source of truth is the [`Store`]; every
//! commit records the store's catalogue generation and the schema version in its
//! payload. On open, an index that fails to open is moved aside, and one whose
//! generation or version differs from the store's is rebuilt, with a log line saying
//! why. A batch is one Tantivy commit: a failure or a kill midway leaves the index at
//! its last good commit.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use serde::{Deserialize, Serialize};
use tantivy::schema::Facet;
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use super::compound::Decompounder;
use super::profile::{Profile, ShopType, Vocabulary};
use super::schema::{self, Fields, SCHEMA_VERSION};
use super::semantic::SemanticIndex;
use super::speller::Speller;
use crate::catalog::colors::canonical_of_value;
use crate::catalog::options::size_tokens;
use crate::catalog::Product;
use crate::store::{Store, StoreError};

/// Why the index cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("search index directory {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What we write into each commit's payload.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Payload {
    schema_version: u32,
    catalog_generation: u64,
}

/// Writer heap: enough for fast bulk indexing, small enough for a 2-core box.
const WRITER_HEAP: usize = 100_000_000;

/// How many of the products nearest to a need are looked at for their types.
const NEAR_FOR_TYPES: usize = 150;

/// The searchable catalogue: the Tantivy index plus the products in memory.
pub struct ProductIndex {
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    writer: Mutex<IndexWriter>,
    pub(crate) products: RwLock<Products>,
    pub(crate) decompounder: RwLock<Decompounder>,
    pub(crate) speller: RwLock<Speller>,
    /// The vector side, once attached (see [`ProductIndex::attach_semantic`]).
    pub(crate) semantic: std::sync::OnceLock<Arc<SemanticIndex>>,
    dir: PathBuf,
}

impl std::fmt::Debug for ProductIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProductIndex")
            .field("dir", &self.dir)
            .finish()
    }
}

/// The products in memory, by id and by the 64-bit key stored in the index.
#[derive(Debug, Default)]
pub(crate) struct Products {
    by_id: HashMap<String, Arc<Product>>,
    by_key: HashMap<u64, Arc<Product>>,
    /// Kinds, model tokens and specs of each product, by key.
    profiles: HashMap<u64, Arc<Profile>>,
    /// The kinds and model tokens over the whole catalogue.
    pub(crate) vocabulary: Vocabulary,
    /// Keys shared by two ids (astronomically rare): those hits read the stored id.
    collided: std::collections::HashSet<u64>,
    /// Every product type ([`ProductIndex::types`]), worked out on first use after a
    /// change: an open request asks for them, and they read every product.
    types: std::sync::OnceLock<Arc<Vec<ShopType>>>,
}

impl Products {
    fn insert(&mut self, p: Arc<Product>) {
        self.types = std::sync::OnceLock::new();
        let key = id_key(&p.id);
        if let Some(other) = self.by_key.get(&key) {
            if other.id != p.id {
                tracing::warn!(a = %other.id, b = %p.id, "two product ids share a key; their hits take the slow path");
                self.collided.insert(key);
            }
        }
        let profile = Arc::new(Profile::of(&p));
        self.vocabulary.add(&profile);
        if let Some(old) = self.profiles.insert(key, profile) {
            self.vocabulary.remove(&old);
        }
        self.by_key.insert(key, p.clone());
        self.by_id.insert(p.id.clone(), p);
    }

    fn remove(&mut self, id: &str) {
        self.types = std::sync::OnceLock::new();
        if self.by_id.remove(id).is_some() {
            let key = id_key(id);
            if self.by_key.get(&key).is_some_and(|p| p.id == id) {
                self.by_key.remove(&key);
                if let Some(old) = self.profiles.remove(&key) {
                    self.vocabulary.remove(&old);
                }
            }
        }
    }

    /// The product for an index key, unless the key is ambiguous.
    pub(crate) fn by_key(&self, key: u64) -> Option<&Arc<Product>> {
        if self.collided.contains(&key) {
            None
        } else {
            self.by_key.get(&key)
        }
    }

    /// A product's kinds, model tokens and specs.
    pub(crate) fn profile(&self, id: &str) -> Option<Arc<Profile>> {
        self.profiles.get(&id_key(id)).cloned()
    }

    pub(crate) fn by_id(&self, id: &str) -> Option<&Arc<Product>> {
        self.by_id.get(id)
    }
}

/// The 64-bit key of a product id: the first 8 bytes of its SHA-256, stable across
/// builds and platforms (the index keeps it on disk).
pub fn id_key(id: &str) -> u64 {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(id.as_bytes());
    u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

/// How [`ProductIndex::open`] found the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    /// Opened as it was; no reindexing.
    Reused,
    /// Rebuilt from the store, for the reason given.
    Rebuilt(String),
}

impl ProductIndex {
    /// Opens the index in `dir` for the catalogue in `store`, rebuilding it when it is
    /// missing, broken, of another schema version or behind the store.
    pub fn open(dir: &Path, store: &Store) -> Result<(ProductIndex, OpenOutcome), IndexError> {
        let generation = store.catalog_generation()?;
        let expected = Payload {
            schema_version: SCHEMA_VERSION,
            catalog_generation: generation,
        };
        let io = |source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        };
        let reason = match Self::try_open_existing(dir) {
            Ok(Some((index, payload))) if payload.as_ref() == Some(&expected) => {
                let products = store.products()?;
                let pi = Self::from_index(index, dir, products)?;
                return Ok((pi, OpenOutcome::Reused));
            }
            Ok(Some((_, Some(p)))) if p.schema_version != SCHEMA_VERSION => format!(
                "schema version {} differs from {SCHEMA_VERSION}",
                p.schema_version
            ),
            Ok(Some((_, p))) => format!(
                "index is at catalogue generation {}, the database at {generation}",
                p.map(|p| p.catalog_generation.to_string())
                    .unwrap_or_else(|| "none".into())
            ),
            Ok(None) => "no index yet".to_string(),
            Err(e) => {
                let aside = dir.with_extension(format!(
                    "broken-{}",
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs())
                        .unwrap_or(0)
                ));
                std::fs::rename(dir, &aside).map_err(io)?;
                tracing::warn!(error = %e, moved_to = %aside.display(), "search index failed to open; moved it aside and rebuilding from the database");
                format!(
                    "the old index failed to open ({e}) and was moved to {}",
                    aside.display()
                )
            }
        };
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io)?;
        }
        tracing::info!(%reason, "building the search index");
        std::fs::create_dir_all(dir).map_err(io)?;
        let (schema, _) = schema::build();
        let index = Index::create_in_dir(dir, schema)?;
        let products = store.products()?;
        let pi = Self::from_index(index, dir, Vec::new())?;
        pi.apply(&products, &[], generation)?;
        Ok((pi, OpenOutcome::Rebuilt(reason)))
    }

    /// Opens an existing index and reads its last commit's payload; `Ok(None)` when
    /// there is no index in `dir`.
    fn try_open_existing(
        dir: &Path,
    ) -> Result<Option<(Index, Option<Payload>)>, tantivy::TantivyError> {
        if !dir.join("meta.json").exists() {
            return Ok(None);
        }
        let index = Index::open_in_dir(dir)?;
        let payload = index
            .load_metas()?
            .payload
            .and_then(|p| serde_json::from_str::<Payload>(&p).ok());
        // Touch every segment now: a damaged file should fail here, not mid-search.
        let reader = index.reader()?;
        let searcher = reader.searcher();
        for seg in searcher.segment_readers() {
            seg.get_store_reader(0)?;
        }
        Ok(Some((index, payload)))
    }

    fn from_index(
        index: Index,
        dir: &Path,
        products: Vec<Product>,
    ) -> Result<ProductIndex, IndexError> {
        schema::register(&index);
        let (_, fields) = schema::build();
        let writer = index.writer(WRITER_HEAP)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let decompounder = Decompounder::from_texts(products.iter().flat_map(compound_vocabulary));
        let mut speller = Speller::default();
        for p in &products {
            learn_spelling(&mut speller, p, &decompounder);
        }
        let mut map = Products::default();
        for p in products {
            map.insert(Arc::new(p));
        }
        let products = map;
        Ok(ProductIndex {
            reader,
            fields,
            writer: Mutex::new(writer),
            products: RwLock::new(products),
            decompounder: RwLock::new(decompounder),
            speller: RwLock::new(speller),
            semantic: std::sync::OnceLock::new(),
            dir: dir.to_path_buf(),
        })
    }

    /// Indexes `upserts` (replacing products with the same id) and removes `deletes`
    /// in one commit stamped with `generation`. The store must already hold the change.
    pub fn apply(
        &self,
        upserts: &[Product],
        deletes: &[String],
        generation: u64,
    ) -> Result<(), IndexError> {
        self.apply_with_progress(upserts, deletes, generation, &mut |_| {})
    }

    /// [`Self::apply`], calling `progress` with the number of products indexed so far.
    pub fn apply_with_progress(
        &self,
        upserts: &[Product],
        deletes: &[String],
        generation: u64,
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), IndexError> {
        {
            let mut d = self.decompounder.write().unwrap_or_else(|p| p.into_inner());
            for p in upserts {
                for t in compound_vocabulary(p) {
                    d.learn(t);
                }
            }
        }
        // A copy, so searches are not blocked while a large batch indexes.
        let d = self
            .decompounder
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        {
            // New words are correctable at once, not only after the next start (a
            // deleted product's words stay known until then: counts, not truth).
            let mut speller = self.speller.write().unwrap_or_else(|p| p.into_inner());
            for p in upserts {
                learn_spelling(&mut speller, p, &d);
            }
        }
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        for id in deletes.iter().chain(upserts.iter().map(|p| &p.id)) {
            writer.delete_term(Term::from_field_text(self.fields.id, id));
        }
        for (i, p) in upserts.iter().enumerate() {
            writer.add_document(self.document(p, &d))?;
            if i % 1000 == 999 {
                progress(i + 1);
            }
        }
        progress(upserts.len());
        let payload = serde_json::to_string(&Payload {
            schema_version: SCHEMA_VERSION,
            catalog_generation: generation,
        })
        .unwrap_or_default();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        if let Err(e) = prepared.commit() {
            writer.rollback()?;
            return Err(e.into());
        }
        drop(writer);
        self.reader.reload()?;
        let fresh: Vec<Arc<Product>> = upserts.iter().map(|p| Arc::new(p.clone())).collect();
        {
            let mut products = self.products.write().unwrap_or_else(|p| p.into_inner());
            for id in deletes {
                products.remove(id);
            }
            for p in &fresh {
                products.insert(p.clone());
            }
        }
        if let Some(s) = self.semantic.get() {
            s.update(fresh, deletes.to_vec());
        }
        Ok(())
    }

    /// Gives the index its vector side and queues every product for a vector. Later
    /// changes follow through [`Self::apply`]. A second call is ignored.
    pub fn attach_semantic(&self, semantic: Arc<SemanticIndex>) {
        if self.semantic.set(semantic.clone()).is_err() {
            return;
        }
        let all: Vec<Arc<Product>> = self
            .products
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .by_id
            .values()
            .cloned()
            .collect();
        semantic.start_pass(all);
    }

    /// The vector side's progress, when attached.
    pub fn semantic_progress(&self) -> Option<super::semantic::Progress> {
        self.semantic.get().map(|s| s.progress())
    }

    fn document(&self, p: &Product, d: &Decompounder) -> TantivyDocument {
        let f = &self.fields;
        let title = match &p.title_en {
            Some(en) => format!("{} {en}", p.title),
            None => p.title.clone(),
        };
        let category = p.category.join(" ");
        let mut attrs = String::new();
        for (k, vs) in &p.attributes {
            attrs.push_str(k);
            attrs.push(' ');
            for v in vs {
                attrs.push_str(v);
                attrs.push(' ');
            }
        }
        if let Some(m) = &p.material {
            attrs.push_str(m);
            attrs.push(' ');
        }
        for c in p.colors() {
            attrs.push_str(c);
            attrs.push(' ');
        }
        // Compound heads are a German matter: from the German title and categories
        // only ("Wholegrain" must not yield the head "rain").
        let (heads, modifiers) = if p.language == "en" {
            (String::new(), String::new())
        } else {
            let german = format!("{} {category}", p.title);
            (d.heads_of(&german), d.modifiers_of(&german))
        };
        // A model's short name ("PS5" of "PlayStation 5") finds it by words.
        let mut joined = super::compound::joined_pairs(&title);
        joined.extend(super::profile::line_aliases(&super::profile::title_models(
            &p.title,
        )));
        // A title named by its line has its kind's word too ("tablet" of "Apple
        // iPad (10th Generation)"), so a search by the word finds it.
        if p.language == "en" {
            let kinds =
                crate::catalog::kind::title_kinds(&p.title, p.category.last().map(String::as_str));
            if let Some(head) = kinds.first() {
                joined.extend(crate::catalog::kind::line_kinds(&p.title, head));
            }
        }
        let joined = joined.join(" ");
        let mut doc = doc!(
            f.id => p.id.clone(),
            f.id_key => id_key(&p.id),
            f.title_de => title.clone(),
            f.title_en => title,
            f.heads => heads,
            f.modifiers => modifiers,
            f.joined => joined,
            f.category_de => category.clone(),
            f.category_en => category,
            f.attrs_de => attrs.clone(),
            f.attrs_en => attrs,
            f.desc_de => p.description.clone(),
            f.desc_en => p.description.clone(),
            f.price_lo => p.min_price(),
            f.price_hi => p.variants.iter().map(|v| p.effective_price(v)).max().unwrap_or(p.price),
            f.in_stock => u64::from(p.in_stock()),
            f.stock => p.total_stock(),
            f.rating => f64::from(p.rating.unwrap_or(0.0)),
        );
        if let Some(b) = &p.brand {
            doc.add_text(f.brand, b);
            doc.add_facet(f.brand_facet, Facet::from_path([facet_key(b)]));
        }
        if !p.category.is_empty() {
            doc.add_facet(
                f.category_facet,
                Facet::from_path(p.category.iter().map(|c| facet_key(c))),
            );
        }
        for c in product_colors(p) {
            doc.add_facet(f.color_facet, Facet::from_path([c]));
        }
        // One facet per canonical size token, so "8.5" finds "8.5 Wide" in the index
        // as `size_matches` does in the exact check.
        let mut size_tokens: Vec<String> = p
            .sizes()
            .into_iter()
            .map(|s| s.to_string())
            .chain(title_sizes(p))
            .flat_map(|s| size_tokens(&s))
            .collect();
        size_tokens.sort_unstable();
        size_tokens.dedup();
        for t in size_tokens {
            doc.add_facet(f.size_facet, Facet::from_path([t]));
        }
        doc
    }

    /// The kind of product and the model tokens a request names that this catalogue
    /// has.
    pub fn request_target(&self, normalised: &str) -> (Option<String>, Vec<String>) {
        let (kind, models) = {
            let products = self.products.read().unwrap_or_else(|p| p.into_inner());
            (
                products.vocabulary.requested_kind(normalised),
                products.vocabulary.requested_models(normalised),
            )
        };
        if kind.is_some() {
            return (kind, models);
        }
        // A kind misspelt ("headphnes") is the kind the speller reads in it; a word
        // of the catalogue stays as it is.
        let mut corrected = false;
        let spelt: String = {
            let speller = self.speller.read().unwrap_or_else(|p| p.into_inner());
            crate::nlu::rules::specs::without_specs(normalised)
                .split_whitespace()
                .map(|w| {
                    // "thing" is no misspelt "thong".
                    let phrasing = crate::nlu::language::is_common_word(w)
                        || crate::nlu::understand::is_phrasing(w)
                        || crate::catalog::kind::is_request_noun(w);
                    // A word the shop lacks that differs from a kind in its first
                    // letter is a word of its own: "suppe" is no misspelt "puppe".
                    let typo = (!phrasing)
                        .then(|| typo_of(&speller, w))
                        .flatten()
                        .filter(|c| c.chars().next() == w.chars().next());
                    match typo {
                        Some(c) => {
                            corrected = true;
                            c.to_string()
                        }
                        None => w.to_string(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        if !corrected {
            return (None, models);
        }
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        (products.vocabulary.requested_kind(&spelt), models)
    }

    /// The words of a request that name a model no title here has (see
    /// [`crate::search::profile::Vocabulary::unknown_models`]).
    /// A line's number that a title has later than its model tokens ("for iPhone
    /// 13") is no unknown model.
    pub fn unknown_models(&self, normalised: &str) -> Vec<String> {
        use crate::catalog::text::fold;
        let unknown = {
            let products = self.products.read().unwrap_or_else(|p| p.into_inner());
            let speller = self.speller.read().unwrap_or_else(|p| p.into_inner());
            products
                .vocabulary
                .unknown_models(normalised, |w| speller.uses(&fold(w)) > 0)
        };
        let words: Vec<&str> = normalised.split_whitespace().collect();
        unknown
            .into_iter()
            .filter(|t| {
                let before = words
                    .iter()
                    .position(|w| fold(w) == *t)
                    .and_then(|i| i.checked_sub(1))
                    .map(|i| words[i]);
                !before.is_some_and(|b| self.titles_have(&format!("{b} {t}").replace('-', " ")))
            })
            .collect()
    }

    /// Whether a product is one of `models` itself: its title leads with it, and it
    /// is made to go with no other product (the Galaxy A25, not its case; the RTX
    /// 4060 card, not a laptop that has one).
    pub fn is_model_itself(&self, id: &str, models: &[String]) -> bool {
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        products
            .profile(id)
            .is_some_and(|p| !p.accessory && models.iter().any(|m| p.lead_models.contains(m)))
    }

    /// Whether a product's title names one of `models` (anywhere, as a part it has
    /// or fits, too).
    pub fn has_model(&self, id: &str, models: &[String]) -> bool {
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        products
            .profile(id)
            .is_some_and(|p| models.iter().any(|m| p.models.contains(m)))
    }

    /// The kind a product is, as a search for others like it asks: its shelf's
    /// where it is of it ("Graphics Cards" for "MSI … Graphics Card Ventus 2X",
    /// whose last head is its line), else its title's first.
    pub fn kind_of(&self, id: &str) -> Option<String> {
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        let p = products.profile(id)?;
        // The shelf's kind, as one word too ("Sonos Beam … Soundbar" on "Sound
        // Bars" is a soundbar, not a beam).
        let of_kind =
            |s: &Option<String>| s.clone().filter(|s| products.vocabulary.is_of_kind(&p, s));
        of_kind(&p.shelf)
            .or_else(|| of_kind(&p.shelf_joined))
            .or_else(|| p.kinds.first().cloned())
    }

    /// The product types whose name ends in `head` (singular, folded), each once,
    /// sorted by the name the model reads: "Summer dress", "Knit dress" and
    /// "Evening dress" of "dress"; "Sommerkleid" and "Strickkleid" of "kleid";
    /// "Raincoat" and "Wool coat" of "coat".
    /// A head of one language (the lexicon's, else the message's: `said_in`) only
    /// names types by their name in it ("hose" no "Garden hose", "pasta" no
    /// "Zahnpasta").
    pub fn types_named(&self, head: &str, said_in: crate::nlu::Language) -> Vec<ShopType> {
        use crate::catalog::kind::{plural_stems, singular};
        use crate::catalog::text::fold;
        // "schuhe" names the "Laufschuh", "jacken" the "Regenjacke": German plurals.
        let heads: Vec<&str> = std::iter::once(head)
            .chain(plural_stems(head))
            .filter(|h| h.chars().count() >= 3)
            .collect();
        let lexicon = crate::nlu::lexicon::Lexicon::get();
        let language = lexicon.language_of(head).unwrap_or(said_in);
        // The compound's last part, unless a longer one is a word of its own: a
        // "Lederhandschuh" is a "handschuh", no "schuh".
        let compound_of = |last: &str, h: &str| {
            last.ends_with(h)
                && !last
                    .char_indices()
                    .map(|(i, _)| &last[i..])
                    .skip(1)
                    .take_while(|tail| tail.len() > h.len())
                    .any(|tail| lexicon.lists(tail))
        };
        let ends_in = |name: &str| {
            let last = name.split_whitespace().last().map(fold).unwrap_or_default();
            let last = singular(&last);
            heads
                .iter()
                .any(|h| last == *h || (h.chars().count() >= 4 && compound_of(&last, h)))
        };
        // A level of the category path is the kind too, in the catalogue's words:
        // "Schuhe › Sneaker" is a shoe, "Mäntel › Trenchcoat" a coat, whatever
        // their own names end in.
        let level_names: Vec<String> = std::iter::once(fold(head))
            .chain(lexicon.other_names(head))
            .flat_map(|h| {
                let one = singular(&h);
                [h, one]
            })
            .collect();
        let level_is = |level: &str| {
            let level = fold(level.trim());
            let one = singular(&level);
            let named = std::iter::once(level.as_str())
                .chain(plural_stems(&level))
                .chain(std::iter::once(one.as_str()))
                .filter(|f| f.chars().count() >= 3)
                .any(|f| level_names.iter().any(|n| n == f));
            named
        };
        self.shop_types(|t, p| {
            let named = match language {
                crate::nlu::Language::De => ends_in(&t.name),
                crate::nlu::Language::En => ends_in(t.read_as()),
            };
            named || p.category.iter().any(|level| level_is(level))
        })
    }

    /// Every product type of the catalogue (see [`Self::types_near`]), each once,
    /// sorted by the name the model reads. Reads every product.
    pub fn types(&self) -> Arc<Vec<ShopType>> {
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        products
            .types
            .get_or_init(|| Arc::new(Self::types_of(&products, |_, _| true)))
            .clone()
    }

    /// Every product type of the catalogue by the name the model reads (in English
    /// where the products say so; see [`Self::types_near`]), each once, sorted.
    pub fn type_names(&self) -> Vec<String> {
        self.types()
            .iter()
            .map(|t| t.read_as().to_string())
            .collect()
    }

    /// The product types of the catalogue's products that `keep` takes, each once
    /// under the name the model reads, sorted by it. Reads every product.
    fn shop_types(&self, keep: impl Fn(&ShopType, &Product) -> bool) -> Vec<ShopType> {
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        Self::types_of(&products, keep)
    }

    /// [`Self::shop_types`] over `products`.
    fn types_of(products: &Products, keep: impl Fn(&ShopType, &Product) -> bool) -> Vec<ShopType> {
        let mut types: Vec<ShopType> = products
            .by_id
            .values()
            .filter_map(|p| {
                let profile = products.profile(&p.id)?;
                let t = products.vocabulary.shop_type(p, &profile)?;
                keep(&t, p).then_some(t)
            })
            .collect();
        types.sort_by_key(|t| t.read_as().to_lowercase());
        types.dedup_by(|a, b| a.read_as().eq_ignore_ascii_case(b.read_as()));
        types
    }

    /// The cosine of `query` (as a query) to each of `passages`; none before the
    /// semantic side is ready.
    pub fn similarities(&self, query: &str, passages: &[&str]) -> Option<Vec<f32>> {
        let s = self.semantic.get()?;
        let q = s.query_vector(query)?;
        let ps = s.passage_vectors(passages)?;
        Some(
            ps.iter()
                .map(|p| p.iter().zip(q.iter()).map(|(a, b)| a * b).sum())
                .collect(),
        )
    }

    /// The product types of the products nearest to `text` by meaning, nearest
    /// first, at most `n`: what the model may choose from for a shopper who
    /// describes a need (see [`crate::search::profile::Vocabulary::shop_type`]). Only
    /// products at least `floor` near (cosine) count; none before every product has
    /// its vector.
    pub fn types_near(&self, text: &str, n: usize, floor: f32) -> Vec<ShopType> {
        let Some(s) = self.semantic.get().filter(|s| s.progress().ready) else {
            return Vec::new();
        };
        let Some(q) = s.query_vector(text) else {
            return Vec::new();
        };
        let near = s.nearest_to(&q, NEAR_FOR_TYPES);
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        let mut types: Vec<ShopType> = Vec::new();
        for (id, similarity) in near {
            if types.len() >= n || similarity < floor {
                break;
            }
            let (Some(p), Some(profile)) = (products.by_id(&id), products.profile(&id)) else {
                continue;
            };
            if let Some(t) = products.vocabulary.shop_type(p, &profile) {
                if !types.iter().any(|have| have.key == t.key) {
                    types.push(t);
                }
            }
        }
        types
    }

    /// The key of a product's type (see [`Self::types_near`]).
    pub fn type_key(&self, id: &str) -> Option<String> {
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        let (p, profile) = (products.by_id(id)?, products.profile(id)?);
        products.vocabulary.shop_type(p, &profile).map(|t| t.key)
    }

    /// The brand a request names, of this catalogue's brand fields (see
    /// [`crate::search::profile::Vocabulary::requested_brand`]).
    pub fn requested_brand(&self, normalised: &str) -> Option<String> {
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        products.vocabulary.requested_brand(normalised)
    }

    /// How many products a brand a request names has (see
    /// [`crate::search::profile::Vocabulary::brand_products`]).
    pub fn brand_products(&self, brand: &str) -> usize {
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        products.vocabulary.brand_products(brand)
    }

    /// The devices a request names by line and number (see
    /// [`crate::search::profile::Vocabulary::requested_lines`]).
    pub fn requested_lines(&self, normalised: &str) -> Vec<crate::search::profile::LineWish> {
        use crate::catalog::text::fold;
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        let speller = self.speller.read().unwrap_or_else(|p| p.into_inner());
        products
            .vocabulary
            .requested_lines(normalised, |w| speller.uses(&fold(w)) > 0)
    }

    /// Whether this catalogue has the thing `asked` names (a request's words ending
    /// in their head, see [`crate::catalog::kind::asked_phrase`]). An English
    /// catalogue has it when some titles are that kind of product: one whose titles
    /// name TVs only as what their stands and remotes are for has no "tv". Another
    /// has it when some title word is the head or ends in it ("schuh" in
    /// "Laufschuh"); a compound ("sportschuhe", "business-schuhe") also needs its
    /// first part, and without it the shop has only its head ([`Carried::Head`]).
    /// `None` when the head names no thing `is_thing` knows (it may be a typo, a
    /// property or a word of phrasing), or nothing was asked.
    pub fn carries(&self, asked: &[String], is_thing: impl Fn(&str) -> bool) -> Option<Carried> {
        use crate::catalog::kind::singular;
        use crate::catalog::text::fold;
        let last = asked.last()?;
        let (modifier, head) = match last.rsplit_once('-') {
            Some((m, h)) if !m.is_empty() && !h.is_empty() => (Some(m), h),
            _ => (None, last.as_str()),
        };
        if !is_thing(head) {
            return None;
        }
        let head = fold(head);
        let one = singular(&head);
        if self.mostly_english() {
            // A head misspelt ("hedphones", read as a kind of "phones") is the word
            // the speller reads in it, as the search reads it.
            let corrected = modifier
                .is_none()
                .then(|| self.misspelt_as(&head))
                .flatten();
            if let Some(word) = corrected {
                let mut asked = asked.to_vec();
                if let Some(last) = asked.last_mut() {
                    *last = word;
                }
                return self.carries(&asked, is_thing);
            }
            let products = self.products.read().unwrap_or_else(|p| p.into_inner());
            let v = &products.vocabulary;
            let heads = v.heads(&one).max(v.heads(&head));
            // A kind only ever named after what a title is ("Smart Watch …, Sleep
            // Monitor") is a feature of those, not a monitor the shop carries.
            let leads = v.leads_as_kind(&one).max(v.leads_as_kind(&head));
            // A word that leads a title as what it is ("Nylon Sport Loop Band
            // Compatible with Apple Watch") is a kind there, however often other
            // titles use it for a feature ("Dual Band Router").
            // A shelf's kind no title names ("Car Stereos") is carried too.
            let kind = heads > 0 && (leads > 0 || heads >= 3) || v.shelf_only(&one);
            // "phone" where the titles say "Smartphone".
            let narrower = crate::search::profile::narrower_kinds(&one)
                .iter()
                .any(|n| v.is_kind(n) || v.heads(n) >= 3);
            if !(kind || narrower) {
                return Some(Carried::No);
            }
            drop(products);
            // The thing before the head says which of them ("fire tv stick" where
            // the sticks are deodorant and blush sticks, "car charger" among wall
            // chargers): without one of its kind that says it, not carried.
            let lexicon = crate::nlu::lexicon::Lexicon::get();
            let unsaid = asked
                .len()
                .checked_sub(2)
                .map(|i| fold(&asked[i]))
                .filter(|m| lexicon.names_a_thing(m))
                .filter(|m| !lexicon.head_alone_names(&format!("{m} {one}")))
                .is_some_and(|m| !self.kind_has_word(&one, &singular(&m)));
            return Some(if unsaid { Carried::No } else { Carried::Yes });
        }
        let speller = self.speller.read().unwrap_or_else(|p| p.into_inner());
        let has = |w: &str| {
            let w = fold(w);
            speller.has_head(&w)
                || speller.has_head(&singular(&w))
                || ["en", "e", "n", "s"]
                    .iter()
                    .filter_map(|e| w.strip_suffix(e))
                    .filter(|b| b.chars().count() >= 3)
                    .any(|b| speller.has_head(b))
        };
        // Who a thing is for is no kind of it: "damenschuhe" are shoes.
        let audience = |m: &str| AUDIENCE.contains(&fold(m).as_str());
        let for_someone = AUDIENCE.iter().any(|a| {
            one.strip_prefix(a)
                .is_some_and(|rest| rest.chars().count() >= 4 && has(rest))
        });
        if for_someone
            || (has(&head) || has(&one)) && modifier.is_none_or(|m| has(m) || audience(m))
        {
            return Some(Carried::Yes);
        }
        // The last part of a compound that the shop has: "sportschuhe" → "schuhe".
        let base = modifier.map(|_| head.clone()).or_else(|| {
            crate::catalog::text::last_parts(&one)
                .find(|h| is_thing(h) && has(h))
                .map(str::to_string)
        });
        Some(match base.filter(|b| has(b)) {
            Some(b) => Carried::Head(b),
            None => Carried::No,
        })
    }

    /// Whether an English catalogue lacks a thing its lexicon does not know: the
    /// request's `head` (its last asked word) is used by no title, brand or category,
    /// nor is any word a typo of it could be, and the word before it in the request
    /// is one they use ("usb c hub", "do you have a usb hub" where nothing is a hub).
    /// A head with nothing known before it may be phrasing ("whats the cheapest …").
    pub fn lacks_unknown(&self, normalised: &str, head: &str) -> bool {
        use crate::catalog::text::fold;
        if !self.mostly_english() {
            return false;
        }
        let words: Vec<String> = normalised.split_whitespace().map(fold).collect();
        let head = fold(head);
        let Some(at) = words.iter().rposition(|w| *w == head) else {
            return false;
        };
        // "usb-c hub": a hyphenated word is known by its parts, as titles write them.
        let known = |w: &str| {
            self.word_uses(w) > 0 || {
                let mut parts = w.split('-').filter(|p| p.chars().count() >= 2).peekable();
                parts.peek().is_some() && w.contains('-') && parts.all(|p| self.word_uses(p) > 0)
            }
        };
        let known_before = words[..at]
            .iter()
            .rev()
            .find(|w| w.chars().count() >= 2)
            .is_some_and(|w| known(w));
        known_before && self.is_unknown_word(&head)
    }

    /// The catalogue's word a misspelt word of letters stands for (see [`typo_of`]).
    fn misspelt_as(&self, word: &str) -> Option<String> {
        let speller = self.speller.read().unwrap_or_else(|p| p.into_inner());
        typo_of(&speller, word).map(str::to_string)
    }

    /// Whether an English catalogue has no use for any of two or more asked words
    /// ("kindle paperwhite" in a shop without one), none a typo of a word it has:
    /// a thing it does not carry. One unknown word alone may be misheard.
    pub fn knows_none_of(&self, asked: &[String]) -> bool {
        self.mostly_english()
            && asked.len() >= 2
            && asked
                .iter()
                .all(|w| self.is_unknown_word(&crate::catalog::text::fold(w)))
    }

    /// A word of letters (folded) no title, brand or category uses, in any form,
    /// and no typo of one that does.
    fn is_unknown_word(&self, word: &str) -> bool {
        let speller = self.speller.read().unwrap_or_else(|p| p.into_inner());
        word.len() >= 3
            && word.chars().all(|c| c.is_ascii_alphabetic())
            && speller.uses(word) == 0
            && speller.uses(&crate::catalog::kind::singular(word)) == 0
            && speller.correct(word).is_none()
    }

    /// Whether some product has `brand` as its brand (not merely in its title).
    pub fn has_brand(&self, brand: &str) -> bool {
        let key = facet_key(brand);
        self.products
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .by_id
            .values()
            .any(|p| p.brand.as_deref().is_some_and(|b| facet_key(b) == key))
    }

    /// Whether one product with `brand` as its brand field has every model of
    /// `models` ("a119" and "mini 2" of "VIOFO A119 Mini 2").
    pub fn brand_has_all(&self, brand: &str, models: &[String]) -> bool {
        let key = facet_key(brand);
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        products.by_id.values().any(|p| {
            p.brand.as_deref().is_some_and(|b| facet_key(b) == key)
                && products
                    .profile(&p.id)
                    .is_some_and(|pr| models.iter().all(|m| pr.models.contains(m)))
        })
    }

    /// How many products have `word` (folded) in their title, brand or category.
    pub fn word_uses(&self, word: &str) -> u32 {
        self.speller
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .uses(word)
    }

    /// How many products have the property `word` (folded) by their data
    /// ("wasserdicht: ja").
    pub fn property_uses(&self, word: &str) -> u32 {
        self.speller
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .property_uses(word)
    }

    /// How many products have `word` (folded) as a part of a German compound.
    pub fn part_uses(&self, word: &str) -> u32 {
        self.speller
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .part_uses(word)
    }

    /// See [`crate::search::profile::Vocabulary::is_shelf`].
    pub fn is_shelf(&self, word: &str) -> bool {
        self.products
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .vocabulary
            .is_shelf(word)
    }

    /// Whether `word` (singular, folded) is a shelf's kind that no title names (see
    /// [`crate::search::profile::Vocabulary::shelf_only`]).
    pub fn shelf_only(&self, word: &str) -> bool {
        self.products
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .vocabulary
            .shelf_only(word)
    }

    /// See [`crate::search::profile::Vocabulary::is_numbered_line`].
    pub fn is_numbered_line(&self, word: &str) -> bool {
        self.products
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .vocabulary
            .is_numbered_line(word)
    }

    /// How many titles `word` (singular, lowercase) heads as their kind.
    pub fn heads(&self, word: &str) -> usize {
        self.products
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .vocabulary
            .heads(word)
    }

    /// Whether some product of `kind` has `word` (singular, folded) in its title or
    /// its category path: no "tv stick" among the deodorant and blush sticks, while
    /// an "iPhone 11 Case" on "Cell Phones & Accessories" is a phone case.
    pub fn kind_has_word(&self, kind: &str, word: &str) -> bool {
        self.kind_has_words(kind, &[word])
    }

    /// Whether some one product of `kind` has all of `words` (singular, folded) in
    /// its title and category path together: a case for Sony headphones, not one
    /// case naming headphones and another Sony.
    pub fn kind_has_words(&self, kind: &str, words: &[&str]) -> bool {
        use crate::catalog::kind::title_words;
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        products.profiles.iter().any(|(key, profile)| {
            products.vocabulary.is_of_kind(profile, kind)
                && products.by_key(*key).is_some_and(|p| {
                    let has: Vec<String> = std::iter::once(&p.title)
                        .chain(&p.category)
                        .flat_map(|t| title_words(t))
                        .collect();
                    words.iter().all(|w| has.iter().any(|h| h == w))
                })
        })
    }

    /// The departments (first category levels) of the products whose titles have
    /// `word` (singular, folded): where a "tv" is named (Electronics, Home &
    /// Kitchen), not where sticks are deodorants. Reads every product.
    pub fn departments_naming(&self, word: &str) -> std::collections::HashSet<String> {
        use crate::catalog::kind::title_words;
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        products
            .by_id
            .values()
            .filter(|p| title_words(&p.title).iter().any(|w| w == word))
            .filter_map(|p| p.category.first().cloned())
            .collect()
    }

    /// Whether an English catalogue has `word` (folded) only in what its products
    /// fit or go with, never as a name, a brand or a kind: "roku" where HDMI cables
    /// are "for PS5, Roku, Apple TV" and nothing is a Roku.
    pub fn names_only_what_fits(&self, word: &str) -> bool {
        use crate::catalog::kind::{phrase_words, singular, title_words};
        if !self.mostly_english() || self.has_brand(word) {
            return false;
        }
        let one = singular(word);
        let is_it = |w: &str| w == word || w == one;
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        let mut fits = false;
        for p in products.by_id.values() {
            if !title_words(&p.title).iter().any(|w| is_it(w)) {
                continue;
            }
            let named = phrase_words(&p.title)
                .iter()
                .flatten()
                .chain(p.category.iter())
                .flat_map(|w| title_words(w))
                .any(|w| is_it(&w));
            if named {
                return false;
            }
            fits = true;
        }
        fits
    }

    /// Whether an English catalogue's titles name the model `word` (folded) only
    /// after "for" or "compatible", as what their products fit: "ps5" where an HDMI
    /// cable is "for Playstation PS5, PS4, Xbox". A model in brackets after the name
    /// ("WiFi Extender (RE315)") is the product's own.
    pub fn names_model_only_as_fit(&self, word: &str) -> bool {
        use crate::catalog::kind::title_words;
        if !self.mostly_english() {
            return false;
        }
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        let mut fits = false;
        for p in products.by_id.values() {
            let words = title_words(&p.title);
            let Some(at) = words.iter().position(|w| w == word) else {
                continue;
            };
            if !words[..at]
                .iter()
                .any(|w| matches!(w.as_str(), "for" | "compatible" | "fit"))
            {
                return false;
            }
            fits = true;
        }
        fits
    }

    /// Whether some product title has `phrase` (lowercase, words apart): "shampoo and
    /// conditioner" is one product's name where "case and charger" is two requests.
    pub fn titles_have(&self, phrase: &str) -> bool {
        self.titles_with(phrase, 1) > 0
    }

    /// How many product titles have `phrase` (lowercase, words apart), counted up to
    /// `up_to`.
    pub fn titles_with(&self, phrase: &str, up_to: usize) -> usize {
        // Spaced as titles are: "keurig k-mini" as "Keurig K-Mini".
        let phrase = format!(" {} ", phrase.replace('-', " ").trim());
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        products
            .by_id
            .values()
            .filter(|p| spaced_title(p).contains(&phrase))
            .take(up_to)
            .count()
    }

    /// The words titles write a model token as, when no title has the token itself
    /// but one abbreviates it so: "qc45" for "QuietComfort 45" (the capitals of a
    /// camel-case word, then its number), "a7" for "Alpha 7" where no title says
    /// "a7" (a word's first letter). Lowercase; `None` where no title abbreviates it.
    /// A name word said before the token (`before`: "bose" of "bose qc45") must be in
    /// the title too: "galaxy s7" is no "Apple Watch Series 7". Of several titles,
    /// the expansion most of them write.
    pub fn spelt_out_model(&self, token: &str, before: Option<&str>) -> Option<String> {
        let split = token.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = token.split_at(split);
        let plain = |s: &str, f: fn(&char) -> bool| !s.is_empty() && s.chars().all(|c| f(&c));
        if !plain(letters, char::is_ascii_lowercase)
            || letters.len() > 3
            || !plain(digits, char::is_ascii_digit)
            || digits.len() > 4
        {
            return None;
        }
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        if !products.vocabulary.requested_models(token).is_empty() {
            return None;
        }
        // What a word abbreviates to: its capitals when camel-case ("QuietComfort"
        // → "qc"; "iPhone" → "p", so no "i7" is an iPhone 7), else its first letter.
        let initials = |w: &str| -> String {
            let capitals: String = w.chars().filter(char::is_ascii_uppercase).collect();
            if w.chars().skip(1).any(|c| c.is_ascii_uppercase()) {
                capitals.to_lowercase()
            } else {
                w.chars()
                    .next()
                    .map(|c| c.to_ascii_lowercase().to_string())
                    .unwrap_or_default()
            }
        };
        let before = before.filter(|w| {
            w.chars().count() >= 2
                && w.chars().all(char::is_alphabetic)
                && !crate::nlu::language::is_common_word(w)
        });
        let mut found: HashMap<String, usize> = HashMap::new();
        for p in products.by_id.values() {
            let words: Vec<&str> = p
                .title
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            if before.is_some_and(|b| !words.iter().any(|w| w.eq_ignore_ascii_case(b))) {
                continue;
            }
            let spelt = words
                .windows(2)
                .find_map(|pair| {
                    let (word, number) = (pair[0], pair[1]);
                    let long = word.chars().count() >= 4 && word.chars().all(char::is_alphabetic);
                    (long && number == digits && initials(word) == letters)
                        .then(|| format!("{} {number}", word.to_lowercase()))
                })
                // "sony xm5" where the title says "WH-1000XM5": the model's end after
                // its digits, as shoppers shorten it.
                .or_else(|| {
                    words.iter().find_map(|w| {
                        let w = w.to_lowercase();
                        let head = w.strip_suffix(token)?;
                        head.ends_with(|c: char| c.is_ascii_digit()).then_some(w)
                    })
                });
            if let Some(spelt) = spelt {
                *found.entry(spelt).or_default() += 1;
            }
        }
        found
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(spelt, _)| spelt)
    }

    /// Whether one product title has every word of `words` (lowercase), in any order:
    /// "sandisk extreme pro" names the "SanDisk 128GB Extreme PRO …" card.
    pub fn a_title_has_every(&self, words: &[&str]) -> bool {
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        !words.is_empty()
            && products.by_id.values().any(|p| {
                let t = spaced_title(p);
                // "k-mini" as the title's "K-Mini", spaced as it is.
                words
                    .iter()
                    .all(|w| t.contains(&format!(" {} ", w.replace('-', " ").trim())))
            })
    }

    /// Whether most of the catalogue is written in English: a new conversation whose
    /// first words say no language is taken to be in the catalogue's.
    pub fn mostly_english(&self) -> bool {
        self.products
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .vocabulary
            .mostly_english()
    }

    /// How far specs were read from the products served (see
    /// [`crate::catalog::specs::Coverage`]).
    pub fn spec_coverage(&self) -> crate::catalog::specs::Coverage {
        let products = self.products.read().unwrap_or_else(|p| p.into_inner());
        let mut c = crate::catalog::specs::Coverage::default();
        for (key, profile) in &products.profiles {
            let category = products
                .by_key
                .get(key)
                .and_then(|p| p.category.first().map(String::as_str));
            c.add(category, &profile.specs);
        }
        c
    }

    /// A product by id, from memory.
    pub fn product(&self, id: &str) -> Option<Arc<Product>> {
        self.products
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .by_id(id)
            .cloned()
    }

    /// Number of products served.
    pub fn len(&self) -> usize {
        self.products
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .by_id
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the index takes on disk.
    pub fn size_on_disk(&self) -> u64 {
        dir_size(&self.dir)
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Teaches the speller a product's title, brand and category words (folded, not
/// stemmed: a typo changes what a stemmer makes of a word), and apart from them the
/// parts of its German compounds ([`Speller::part_uses`]) and the properties it has
/// ([`Speller::property_uses`]).
fn learn_spelling(speller: &mut Speller, p: &Product, d: &Decompounder) {
    let parts: Vec<String> = compound_vocabulary(p)
        .flat_map(|t| [d.modifiers_of(t), d.heads_of(t)])
        .collect();
    speller.add_parts(parts.iter().flat_map(|t| t.split_whitespace()));
    let words: Vec<String> = vocabulary(p)
        .chain(p.brand.as_deref())
        .flat_map(super::compound::words)
        .collect();
    speller.add_document(words.iter().map(String::as_str));
    // The properties it has ("wasserdicht: ja", "kapuze: yes"): the shop's words
    // for a translation ("waterproof" is its "wasserdicht").
    let has = |vs: &Vec<String>| {
        vs.iter().any(|v| {
            matches!(
                crate::catalog::text::fold(v.trim()).as_str(),
                "ja" | "yes" | "true"
            )
        })
    };
    let properties: Vec<String> = p
        .attributes
        .iter()
        .filter(|(_, vs)| has(vs))
        .map(|(k, _)| crate::catalog::text::fold(k.trim()))
        .collect();
    speller.add_properties(properties.iter().map(String::as_str));
}

/// The texts whose words teach the decompounder: titles and category names.
fn vocabulary(p: &Product) -> impl Iterator<Item = &str> {
    std::iter::once(p.title.as_str())
        .chain(p.title_en.as_deref())
        .chain(p.category.iter().map(String::as_str))
}

/// The texts whose words may be heads or modifiers of German compounds: German
/// titles and categories (English words would split German ones into nonsense).
fn compound_vocabulary(p: &Product) -> impl Iterator<Item = &str> {
    (p.language != "en")
        .then_some(p.title.as_str())
        .into_iter()
        .chain(p.category.iter().map(String::as_str))
}

/// First parts of a compound that say whom a thing is for, not what it is.
const AUDIENCE: &[&str] = &[
    "herren", "damen", "kinder", "baby", "babys", "jungen", "jungs", "madchen", "frauen", "manner",
    "unisex", "men", "mens", "women", "womens", "girls", "boys", "kids",
];

/// Whether a catalogue has the thing a request names (see [`ProductIndex::carries`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    Yes,
    No,
    /// Not the thing itself, but things of its head ("schuhe" for "sportschuhe").
    Head(String),
}

/// Facet path segment: lowercased, trimmed, '/' removed.
pub fn facet_key(s: &str) -> String {
    s.trim().to_lowercase().replace('/', "-")
}

/// Sizes compare case-insensitively and with '.' for decimals: "42,5" = "42.5".
/// Canonical colours of a product: its variants' colours, or, when no variant has
/// one, colours named in its title.
/// The bed sizes a title names ("Daybed Frame Twin Size"), as a request's are read
/// ("twin size"), for a product whose versions name no size: a daybed sold in one
/// size says it in its title.
pub fn title_sizes(p: &Product) -> Vec<String> {
    if !p.sizes().is_empty() {
        return Vec::new();
    }
    let words: Vec<String> = p
        .title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    crate::nlu::rules::sizes(&words.join(" "))
        .into_iter()
        .filter(|s| s.ends_with(" size"))
        .collect()
}

pub fn product_colors(p: &Product) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = p
        .colors()
        .iter()
        .filter_map(|c| canonical_of_value(c))
        .collect();
    if out.is_empty() {
        out = p
            .title
            .split(|c: char| !c.is_alphanumeric())
            .filter_map(crate::catalog::colors::canonical_color)
            .collect();
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The catalogue's word a misspelt word of letters stands for (see
/// [`Speller::correct`]); `None` for a word the catalogue has in any form, a short
/// one, or a word the lexicon lists ("toaster" is no typo of "coaster" in a shop
/// that only has coasters). The caller holds the speller's lock.
fn typo_of<'a>(speller: &'a Speller, word: &str) -> Option<&'a str> {
    let typo = word.chars().count() >= 5
        && crate::catalog::text::is_word_of_letters(word)
        && !speller.knows(word)
        && !speller.knows(&crate::catalog::kind::singular(word))
        && !crate::nlu::lexicon::Lexicon::get().lists(word);
    typo.then(|| speller.correct(word)).flatten()
}

/// A product's title, lowercase, its words apart and between spaces (" anker 313 … "):
/// what a phrase of a request is looked for in.
fn spaced_title(p: &Product) -> String {
    let t: String = p
        .title
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '&' {
                c
            } else {
                ' '
            }
        })
        .collect();
    format!(" {} ", t.split_whitespace().collect::<Vec<_>>().join(" "))
}
