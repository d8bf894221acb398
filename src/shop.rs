//! The shop's live catalogue: the durable product table in SQLite and the search
//! index derived from it, changed together.
//!
//! Every change is written to the database first (one transaction, bumping the
//! catalogue generation) and then to the index (one commit stamped with that
//! generation). If the process dies between the two, the next start sees the index
//! behind the database and rebuilds it: nothing acknowledged is lost.

use std::path::Path;
use std::sync::Mutex;

use crate::catalog::import::{self, ImportOptions, ImportReport};
use crate::catalog::Product;
use crate::search::{IndexError, OpenOutcome, ProductIndex, SearchQuery, SearchResults};
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
    store: Mutex<Store>,
    index: ProductIndex,
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
        let store = Store::open(&data_dir.join("shopassist.sqlite3"))?;
        let (index, outcome) = ProductIndex::open(&data_dir.join("index"), &store)?;
        Ok((
            Shop {
                store: Mutex::new(store),
                index,
            },
            outcome,
        ))
    }

    /// The database, locked: every write to it (catalogue and orders) goes through this
    /// one connection, so writes are serialised and index commits stay in order.
    pub(crate) fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
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
        let mut store = self.store();
        let generation = store.apply_catalog_changes(upserts, deletes)?;
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
        self.apply(&products, &[])?;
        Ok(report)
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
        if self.store().meta(SOURCE_KEY)?.as_deref() == Some(digest.as_str()) {
            return Ok(None);
        }
        let (products, report) = import::import_str(text, format, opts)?;
        let mut store = self.store();
        let old: Vec<String> = store
            .product_ids()?
            .into_iter()
            .filter(|id| !products.iter().any(|p| &p.id == id))
            .collect();
        let generation = store.apply_catalog_changes(&products, &old)?;
        self.index.apply(&products, &old, generation)?;
        store.set_meta(SOURCE_KEY, &digest)?;
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

    /// Bytes the index takes on disk.
    pub fn index_size(&self) -> u64 {
        self.index.size_on_disk()
    }
}
