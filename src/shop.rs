//! The shop's live catalogue: the durable product table in SQLite and the search
//! index derived from it, changed together.
//!
//! Every change is written to the database first (one transaction, bumping the
//! catalogue generation) and then to the index (one commit stamped with that
//! generation). If the process dies between the two, the next start sees the index
//! behind the database and rebuilds it: nothing acknowledged is lost.

use std::cell::RefCell;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::{ReentrantMutex, ReentrantMutexGuard};

use crate::catalog::import::{self, ImportOptions, ImportReport};
use crate::catalog::Product;
use crate::search::{IndexError, OpenOutcome, ProductIndex, SearchQuery, SearchResults};
use crate::store::sql::Dialect;
use crate::store::{Store, StoreError};

/// The embedded demo catalogue, served when no catalogue is configured.
pub const DEMO_CATALOG: &str = include_str!("../catalog/demo.jsonl");

/// Meta key remembering which catalogue source was last imported.
const SOURCE_KEY: &str = "catalog_source_sha256";

/// Why a catalogue operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ShopError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error("product {id}: {reason}")]
    Invalid { id: String, reason: String },
}

/// The catalogue: database plus index. Blocking; share it behind an `Arc`.
pub struct Shop {
    /// Re-entrant so that a unit of work (one turn) can hold the connection across
    /// several writes on its thread; see [`Shop::unit`].
    store: ReentrantMutex<RefCell<Store>>,
    index: ProductIndex,
    /// The catalogue generation the index holds every change up to. With a database
    /// shared by several daemons the index moves only through [`Shop::follow`], so
    /// it never claims a generation whose changes (another daemon's) it lacks.
    followed: AtomicU64,
    shared: bool,
}

impl std::fmt::Debug for Shop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shop")
            .field("products", &self.index.len())
            .finish()
    }
}

impl Shop {
    /// Opens the database and the index under `data_dir`, rebuilding the index if it
    /// is missing, broken or stale.
    pub fn open(data_dir: &Path) -> Result<(Shop, OpenOutcome), ShopError> {
        Shop::open_with(data_dir, None)
    }

    /// [`Self::open`] over the PostgreSQL database `database_url` names, shared with
    /// other daemons (the index stays under `data_dir`); `None` is SQLite in `data_dir`.
    pub fn open_with(
        data_dir: &Path,
        database_url: Option<&str>,
    ) -> Result<(Shop, OpenOutcome), ShopError> {
        let store = match database_url {
            Some(url) => Store::open_url(url)?,
            None => Store::open(&data_dir.join("shopassist.sqlite3"))?,
        };
        let (index, outcome) = ProductIndex::open(&data_dir.join("index"), &store)?;
        let followed = AtomicU64::new(store.catalog_generation()?);
        let shared = store.dialect() == Dialect::Postgres;
        Ok((
            Shop {
                store: ReentrantMutex::new(RefCell::new(store)),
                index,
                followed,
                shared,
            },
            outcome,
        ))
    }

    /// Whether the database is shared with other daemons (PostgreSQL).
    pub fn is_shared(&self) -> bool {
        self.shared
    }

    /// Brings the index level with the shared database: the products written since
    /// the generation it holds, by this daemon or another, are re-read and re-indexed,
    /// and products gone from sale are dropped. Returns how many changed. The daemon
    /// calls it when another daemon announces a change and twice a second besides.
    /// With SQLite nothing else writes the database, and this does nothing.
    pub fn follow(&self) -> Result<usize, ShopError> {
        if !self.shared {
            return Ok(0);
        }
        let lock = self.store();
        let store = lock.borrow();
        if !store.conn_ref().is_autocommit() {
            // Inside a unit of work: its own commit follows.
            return Ok(0);
        }
        let upto = store.catalog_generation()?;
        let after = self.followed.load(Ordering::SeqCst);
        if upto <= after {
            return Ok(0);
        }
        let changed = store.changed_since(after, upto)?;
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for (id, product) in changed {
            match product {
                Some(p) => upserts.push(p),
                None => deletes.push(id),
            }
        }
        let n = upserts.len() + deletes.len();
        self.index.apply(&upserts, &deletes, upto)?;
        self.followed.store(upto, Ordering::SeqCst);
        if n > 0 {
            tracing::debug!(
                changed = n,
                generation = upto,
                "index followed the shared catalogue"
            );
        }
        Ok(n)
    }

    /// The database, locked: every write to it (catalogue and orders) goes through this
    /// one connection, so writes are serialised and index commits stay in order. The
    /// lock is re-entrant on one thread; borrow the store only for as long as a call
    /// needs it (`store().borrow_mut()`), never across a call that locks again.
    pub(crate) fn store(&self) -> ReentrantMutexGuard<'_, RefCell<Store>> {
        self.store.lock()
    }

    /// Runs `f` as one unit of work: one `BEGIN IMMEDIATE` transaction that every
    /// write inside it joins (each as a savepoint), committed when `f` returns `Ok`
    /// and rolled back otherwise (a panic included). Products whose stock changed are
    /// re-indexed after the commit. Inside another unit, `f` simply joins that one.
    pub(crate) fn unit<T, E>(&self, f: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let lock = self.store();
        if !lock.borrow_mut().conn().is_autocommit() {
            return f();
        }
        lock.borrow_mut().conn().begin().map_err(StoreError::from)?;
        let open = OpenUnit(&lock);
        let value = f()?;
        std::mem::forget(open);
        let mut store = lock.borrow_mut();
        if let Err(e) = store.conn().commit() {
            let _ = store.conn().rollback();
            store.take_touched();
            return Err(StoreError::from(e).into());
        }
        let touched = store.take_touched();
        if self.shared {
            drop(store);
            if let Err(e) = self.follow() {
                tracing::warn!(error = %e, "re-indexing after a stock change failed");
            }
        } else if !touched.is_empty() {
            // The database is the truth; if the index fails here, the next start sees
            // it behind and rebuilds it.
            let indexed = store
                .catalog_generation()
                .map_err(ShopError::from)
                .and_then(|generation| self.reindex(&store, &touched, generation));
            if let Err(e) = indexed {
                tracing::warn!(error = %e, "re-indexing after a stock change failed");
            }
        }
        Ok(value)
    }

    /// Inserts or replaces products and removes ids, in the database then the index.
    /// Invalid products are refused before anything is written.
    pub fn apply(&self, upserts: &[Product], deletes: &[String]) -> Result<(), ShopError> {
        self.apply_with_progress(upserts, deletes, &mut |_| {})
    }

    /// [`Self::apply`], reporting how many products the index has taken so far.
    pub fn apply_with_progress(
        &self,
        upserts: &[Product],
        deletes: &[String],
        progress: &mut dyn FnMut(usize),
    ) -> Result<(), ShopError> {
        for p in upserts {
            p.validate().map_err(|reason| ShopError::Invalid {
                id: p.id.clone(),
                reason,
            })?;
        }
        let lock = self.store();
        let mut store = lock.borrow_mut();
        let generation = store.apply_catalog_changes(upserts, deletes)?;
        if self.shared {
            drop(store);
            self.follow()?;
            progress(upserts.len());
            return Ok(());
        }
        // Holding the store lock keeps index commits in generation order.
        self.index
            .apply_with_progress(upserts, deletes, generation, progress)?;
        Ok(())
    }

    /// Imports a catalogue text of a given format as a batch of upserts.
    pub fn import_text(
        &self,
        text: &str,
        format: import::Format,
        opts: &ImportOptions,
    ) -> Result<ImportReport, ShopError> {
        let (products, report) = import::import_str(text, format, opts)?;
        // A product the feed now marks as not for sale leaves the store.
        self.apply(&products, &report.withdrawn_ids())?;
        Ok(report)
    }

    /// Whether this store has never held a catalogue: no product was ever written
    /// (the catalogue generation is still 0). Only then is the demo loaded.
    pub fn never_stocked(&self) -> Result<bool, ShopError> {
        let lock = self.store();
        let store = lock.borrow();
        Ok(store.catalog_generation()? == 0 && store.product_count()? == 0)
    }

    /// Makes the served catalogue equal `text` (replacing everything), unless that
    /// exact source was the last one loaded. Returns the report when it imported.
    pub fn load_source(
        &self,
        text: &str,
        format: import::Format,
        opts: &ImportOptions,
    ) -> Result<Option<ImportReport>, ShopError> {
        use sha2::{Digest, Sha256};
        let digest = hex::encode(Sha256::digest(text.as_bytes()));
        let lock = self.store();
        if lock.borrow().meta(SOURCE_KEY)?.as_deref() == Some(digest.as_str()) {
            return Ok(None);
        }
        let (products, report) = import::import_str(text, format, opts)?;
        let mut store = lock.borrow_mut();
        let new: std::collections::HashSet<&str> = products.iter().map(|p| p.id.as_str()).collect();
        let old: Vec<String> = store
            .product_ids()?
            .into_iter()
            .filter(|id| !new.contains(id.as_str()))
            .collect();
        let generation = store.apply_catalog_changes(&products, &old)?;
        store.set_meta(SOURCE_KEY, &digest)?;
        if self.shared {
            drop(store);
            self.follow()?;
        } else {
            self.index.apply(&products, &old, generation)?;
        }
        Ok(Some(report))
    }

    /// Re-reads `ids` from the database into the index at `generation`. Call it with
    /// the store lock held (see [`Self::store`]), right after the change committed.
    pub(crate) fn reindex(
        &self,
        store: &Store,
        ids: &[String],
        generation: u64,
    ) -> Result<(), ShopError> {
        let mut upserts = Vec::new();
        let mut deletes = Vec::new();
        for id in ids {
            match store.product(id)? {
                Some(p) => upserts.push(p),
                None => deletes.push(id.clone()),
            }
        }
        self.index.apply(&upserts, &deletes, generation)?;
        Ok(())
    }

    /// Runs a search.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, ShopError> {
        Ok(self.index.search(q)?)
    }

    /// A search by the words alone, without the vector side (see
    /// [`crate::search::ProductIndex::search_words`]).
    pub fn search_words(&self, q: &SearchQuery) -> Result<SearchResults, ShopError> {
        Ok(self.index.search_words(q)?)
    }

    /// The kind of product and the model tokens a request names, read against this
    /// catalogue's own kinds and models (see [`crate::search::profile`]).
    pub fn request_target(&self, normalised: &str) -> (Option<String>, Vec<String>) {
        self.index.request_target(normalised)
    }

    /// The words of a request that name a model this catalogue lacks (see
    /// [`crate::search::ProductIndex::unknown_models`]).
    pub fn unknown_models(&self, normalised: &str) -> Vec<String> {
        self.index.unknown_models(normalised)
    }

    /// The brand a request names, of this catalogue's brand fields ("samsung
    /// laptop": "samsung").
    pub fn requested_brand(&self, normalised: &str) -> Option<String> {
        self.index.requested_brand(normalised)
    }

    /// How many products a brand [`Self::requested_brand`] names has.
    pub fn brand_products(&self, brand: &str) -> usize {
        self.index.brand_products(brand)
    }

    /// Whether a product is one of `models` itself (see
    /// [`crate::search::ProductIndex::is_model_itself`]).
    pub fn is_model_itself(&self, id: &str, models: &[String]) -> bool {
        self.index.is_model_itself(id, models)
    }

    /// Whether a product's title names one of `models` (see
    /// [`crate::search::ProductIndex::has_model`]).
    pub fn has_model(&self, id: &str, models: &[String]) -> bool {
        self.index.has_model(id, models)
    }

    /// The kind a product is (see [`crate::search::ProductIndex::kind_of`]).
    pub fn kind_of(&self, id: &str) -> Option<String> {
        self.index.kind_of(id)
    }

    /// The devices a request names by line and number ("iphone 13"; see
    /// [`crate::search::ProductIndex::requested_lines`]).
    pub fn requested_lines(&self, normalised: &str) -> Vec<crate::search::profile::LineWish> {
        self.index.requested_lines(normalised)
    }

    /// Whether the catalogue has the thing a request's words name (see
    /// [`crate::search::ProductIndex::carries`]).
    pub fn carries(
        &self,
        asked: &[String],
        is_thing: impl Fn(&str) -> bool,
    ) -> Option<crate::search::Carried> {
        self.index.carries(asked, is_thing)
    }

    /// Whether the catalogue lacks a thing the lexicon does not know (see
    /// [`crate::search::ProductIndex::lacks_unknown`]).
    pub fn lacks_unknown(&self, normalised: &str, head: &str) -> bool {
        self.index.lacks_unknown(normalised, head)
    }

    /// See [`crate::search::ProductIndex::knows_none_of`].
    pub fn knows_none_of(&self, asked: &[String]) -> bool {
        self.index.knows_none_of(asked)
    }

    /// Whether some product has `brand` as its brand field.
    pub fn has_brand(&self, brand: &str) -> bool {
        self.index.has_brand(brand)
    }

    /// Whether one product of `brand` has every model of `models` (see
    /// [`crate::search::ProductIndex::brand_has_all`]).
    pub fn brand_has_all(&self, brand: &str, models: &[String]) -> bool {
        self.index.brand_has_all(brand, models)
    }

    /// How many products have `word` (folded) in their title, brand or category.
    pub fn word_uses(&self, word: &str) -> u32 {
        self.index.word_uses(word)
    }

    /// See [`crate::search::ProductIndex::property_uses`].
    pub fn property_uses(&self, word: &str) -> u32 {
        self.index.property_uses(word)
    }

    /// See [`crate::search::ProductIndex::part_uses`].
    pub fn part_uses(&self, word: &str) -> u32 {
        self.index.part_uses(word)
    }

    /// See [`crate::search::ProductIndex::is_shelf`].
    pub fn is_shelf(&self, word: &str) -> bool {
        self.index.is_shelf(word)
    }

    /// See [`crate::search::ProductIndex::shelf_only`].
    pub fn shelf_only(&self, word: &str) -> bool {
        self.index.shelf_only(word)
    }

    /// How many titles `word` (singular, lowercase) heads as their kind.
    pub fn heads(&self, word: &str) -> usize {
        self.index.heads(word)
    }

    /// See [`crate::search::profile::Vocabulary::is_numbered_line`].
    pub fn is_numbered_line(&self, word: &str) -> bool {
        self.index.is_numbered_line(word)
    }

    /// See [`crate::search::ProductIndex::kind_has_word`].
    pub fn kind_has_word(&self, kind: &str, word: &str) -> bool {
        self.index.kind_has_word(kind, word)
    }

    /// See [`crate::search::ProductIndex::kind_has_words`].
    pub fn kind_has_words(&self, kind: &str, words: &[&str]) -> bool {
        self.index.kind_has_words(kind, words)
    }

    /// See [`crate::search::ProductIndex::names_only_what_fits`].
    pub fn names_only_what_fits(&self, word: &str) -> bool {
        self.index.names_only_what_fits(word)
    }

    /// See [`crate::search::ProductIndex::departments_naming`].
    pub fn departments_naming(&self, word: &str) -> std::collections::HashSet<String> {
        self.index.departments_naming(word)
    }

    /// See [`crate::search::ProductIndex::names_model_only_as_fit`].
    pub fn names_model_only_as_fit(&self, word: &str) -> bool {
        self.index.names_model_only_as_fit(word)
    }

    /// Whether some product title has `phrase` (see [`crate::search::ProductIndex::titles_have`]).
    pub fn titles_have(&self, phrase: &str) -> bool {
        self.index.titles_have(phrase)
    }

    /// The words titles write a model token as (see
    /// [`crate::search::ProductIndex::spelt_out_model`]).
    pub fn spelt_out_model(&self, token: &str, before: Option<&str>) -> Option<String> {
        self.index.spelt_out_model(token, before)
    }

    /// Whether one title has every word (see
    /// [`crate::search::ProductIndex::a_title_has_every`]).
    pub fn a_title_has_every(&self, words: &[&str]) -> bool {
        self.index.a_title_has_every(words)
    }

    /// How many titles have `phrase`, counted up to `up_to` (see
    /// [`crate::search::ProductIndex::titles_with`]).
    pub fn titles_with(&self, phrase: &str, up_to: usize) -> usize {
        self.index.titles_with(phrase, up_to)
    }

    /// The language most of the catalogue is written in.
    pub fn language(&self) -> crate::nlu::Language {
        if self.index.mostly_english() {
            crate::nlu::Language::En
        } else {
            crate::nlu::Language::De
        }
    }

    /// How far specs were read from the catalogue served.
    pub fn spec_coverage(&self) -> crate::catalog::specs::Coverage {
        self.index.spec_coverage()
    }

    /// A product by id.
    pub fn product(&self, id: &str) -> Option<std::sync::Arc<Product>> {
        self.index.product(id)
    }

    /// Number of products served.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Gives search its vector side (see [`crate::search::semantic`]).
    pub fn attach_semantic(
        &self,
        semantic: std::sync::Arc<crate::search::semantic::SemanticIndex>,
    ) {
        self.index.attach_semantic(semantic);
    }

    /// How far the product vectors are, when semantic search is on.
    pub fn semantic_progress(&self) -> Option<crate::search::semantic::Progress> {
        self.index.semantic_progress()
    }

    /// The product types nearest to a need (see
    /// [`crate::search::ProductIndex::types_near`]).
    pub fn types_near(
        &self,
        text: &str,
        n: usize,
        floor: f32,
    ) -> Vec<crate::search::profile::ShopType> {
        self.index.types_near(text, n, floor)
    }

    /// The product types whose name ends in `head` (see
    /// [`crate::search::ProductIndex::types_named`]).
    pub fn types_named(
        &self,
        head: &str,
        said_in: crate::nlu::Language,
    ) -> Vec<crate::search::profile::ShopType> {
        self.index.types_named(head, said_in)
    }

    /// Every product type (see [`crate::search::ProductIndex::types`]).
    pub fn types(&self) -> std::sync::Arc<Vec<crate::search::profile::ShopType>> {
        self.index.types()
    }

    /// Every product type's name as the model reads it (see
    /// [`crate::search::ProductIndex::type_names`]).
    pub fn type_names(&self) -> Vec<String> {
        self.index.type_names()
    }

    /// The cosine of `query` to each of `passages` (see
    /// [`crate::search::ProductIndex::similarities`]).
    pub fn similarities(&self, query: &str, passages: &[&str]) -> Option<Vec<f32>> {
        self.index.similarities(query, passages)
    }

    /// The key of a product's type (see [`crate::search::ProductIndex::type_key`]).
    pub fn type_key(&self, id: &str) -> Option<String> {
        self.index.type_key(id)
    }

    /// Bytes the index takes on disk.
    pub fn index_size(&self) -> u64 {
        self.index.size_on_disk()
    }
}

/// A unit of work still open: rolled back if dropped (an error or a panic in it).
struct OpenUnit<'a>(&'a ReentrantMutexGuard<'a, RefCell<Store>>);

impl Drop for OpenUnit<'_> {
    fn drop(&mut self) {
        if let Ok(mut store) = self.0.try_borrow_mut() {
            let _ = store.conn().rollback();
            store.take_touched();
        }
    }
}
