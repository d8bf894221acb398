//! The one place that assembles the app from the settings: the shop (database +
//! index, with the configured catalogue), the model (fetched, verified, loaded once),
//! the model's reading (the extraction prompt, evaluated once), and the assistant
//! over the shop. The daemon, `shopassist chat` and the evaluations all build
//! themselves from here.

use std::path::PathBuf;
use std::sync::Arc;

use crate::assist::{Assistant, Templates};
use crate::catalog::import::Format;
use crate::config::Config;
use crate::llm::Model;
use crate::models::{self, FetchOptions};
use crate::nlu::{ExtractPrompt, Extractor};
use crate::orders::{Orders, OrdersConfig};
use crate::search::OpenOutcome;
use crate::shop::{Shop, ShopError, DEMO_CATALOG};

/// Why a part of the app could not be assembled.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Shop(#[from] ShopError),
    #[error("cannot read catalogue {path}: {source}")]
    ReadCatalog {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot tell the format of catalogue {0}")]
    CatalogFormat(PathBuf),
    #[error(transparent)]
    Fetch(#[from] models::ModelError),
    #[error("device: {0}")]
    Device(String),
    #[error(transparent)]
    Load(#[from] crate::llm::gguf::LoadError),
    #[error("the extraction prompt could not be prepared: {0}")]
    Prompt(String),
    #[error(transparent)]
    Embed(#[from] crate::embed::EmbedError),
    #[error("product vectors: {0}")]
    Vectors(String),
}

/// The vector cache's file under `data_dir`. It is keyed by model and text, so an
/// evaluation's scratch shop may share the daemon's.
pub const VECTOR_CACHE: &str = "vectors.sqlite3";

/// Starts semantic search on `shop` as configured (`semantic = …`): fetches and
/// loads the embedding model, then computes the product vectors on a background
/// thread, reporting through `on_progress`. Returns `false` when semantic search is
/// off. Search stays lexical until the vectors are in.
pub fn start_semantic(
    config: &Config,
    shop: &Shop,
    on_progress: crate::search::semantic::ProgressFn,
    fetch_progress: bool,
) -> Result<bool, AppError> {
    let Some((path, model_id)) = models::resolve_embed(
        &config.semantic,
        &config.models_dir,
        &FetchOptions {
            progress: fetch_progress,
        },
    )?
    else {
        return Ok(false);
    };
    let started = std::time::Instant::now();
    let embedder = Arc::new(crate::embed::Embedder::load(&path, model_id)?);
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| AppError::Vectors(format!("{}: {e}", config.data_dir.display())))?;
    tracing::info!(path = %path.display(), seconds = started.elapsed().as_secs_f64(), "embedding model loaded");
    let semantic = crate::search::semantic::SemanticIndex::start(
        embedder,
        &config.data_dir.join(VECTOR_CACHE),
        on_progress,
    );
    shop.attach_semantic(Arc::new(semantic));
    Ok(true)
}

/// [`start_semantic`], then waits for the vectors (commands and evaluations, which
/// should measure the search a warm daemon gives). Draws a bar when `progress`.
pub fn semantic_blocking(config: &Config, shop: &Shop, progress: bool) -> Result<bool, AppError> {
    let bar = if progress {
        indicatif::ProgressBar::new(0)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "vectors {bar:30} {pos}/{len} products ({per_sec}, {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let b = bar.clone();
    let on_progress: crate::search::semantic::ProgressFn = Arc::new(move |p| {
        b.set_length(p.total as u64);
        b.set_position(p.done as u64);
    });
    if !start_semantic(config, shop, on_progress, progress)? {
        return Ok(false);
    }
    loop {
        match shop.semantic_progress() {
            Some(p) if p.ready => break,
            Some(crate::search::semantic::Progress {
                failed: Some(e), ..
            }) => return Err(AppError::Vectors(e)),
            _ => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
    bar.finish_and_clear();
    Ok(true)
}

/// Opens the shop under `data_dir`. With a configured catalogue file (`--catalog`,
/// `catalog = …`), the served catalogue becomes that file whenever the file changed
/// since it was last loaded; without one, the embedded demo is loaded only into a
/// store that has never held a catalogue. A catalogue built with `shopassist index`
/// or the catalogue API is never replaced by the demo.
pub fn open_shop(config: &Config) -> Result<Shop, AppError> {
    let (shop, outcome) = Shop::open_with(&config.data_dir, config.database_url.as_deref())?;
    if let OpenOutcome::Rebuilt(reason) = outcome {
        tracing::info!(%reason, "search index rebuilt");
    }
    let (text, format, name) = match &config.catalog {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| AppError::ReadCatalog {
                path: path.clone(),
                source,
            })?;
            let format =
                Format::detect(path, &text).ok_or_else(|| AppError::CatalogFormat(path.clone()))?;
            (text, format, path.display().to_string())
        }
        None if shop.never_stocked()? => (
            DEMO_CATALOG.to_string(),
            Format::Jsonl,
            "the embedded demo catalogue".into(),
        ),
        None => {
            tracing::info!(products = shop.len(), "serving the stored catalogue");
            return Ok(shop);
        }
    };
    if let Some(report) = shop.load_source(&text, format, &config.import_options())? {
        for e in &report.errors {
            tracing::warn!(line = e.line, id = e.id.as_deref().unwrap_or("-"), reason = %e.reason, "catalogue row skipped");
        }
        tracing::info!(source = %name, imported = report.imported, rejected = report.errors.len(), "catalogue loaded");
    }
    Ok(shop)
}

/// The configured model: fetched and verified if missing, then loaded on the
/// configured device. `progress` draws a bar while fetching (commands, not the daemon).
pub fn load_model(config: &Config, progress: bool) -> Result<Model, AppError> {
    let path = models::resolve(
        &config.model,
        &config.models_dir,
        &FetchOptions { progress },
    )?;
    let device = crate::llm::model::device(config.device).map_err(AppError::Device)?;
    let started = std::time::Instant::now();
    let mut model = Model::load(&path, &device)?;
    tracing::info!(path = %path.display(), seconds = started.elapsed().as_secs_f64(), "model loaded");
    // A known model was verified against its registry sha256 just now; any other
    // file is hashed (about a second per GB) so its saved prompt states are its own.
    let known = match &config.model {
        models::ModelChoice::Named(name) => models::KnownModel::by_name(name).map(|m| m.sha256),
        _ => None,
    };
    let sha256 = match known {
        Some(sha) => Some(sha.to_string()),
        None => models::sha256_file(&path)
            .map(|(sha, _)| sha)
            .map_err(|e| tracing::warn!(error = %e, "cannot hash the model; prompt prefixes are computed at every start"))
            .ok(),
    };
    model.prompt_cache =
        sha256.map(|sha| crate::llm::prompt_cache::PromptCache::beside(&path, &sha, &device));
    Ok(model)
}

/// The model's reading of open messages: the extraction prompt (a shop's copy in
/// `prompts_dir`, else the built-in one) with its few-shot prefix evaluated once.
/// Seconds on a CPU.
pub fn extractor(config: &Config, model: &Model) -> Result<Extractor, AppError> {
    ExtractPrompt::load(Some(&config.prompts_dir))
        .and_then(|prompt| Extractor::new(model, &prompt))
        .map_err(AppError::Prompt)
}

/// The reply templates (a shop's copies in `prompts_dir` over the built-in ones); a
/// broken override is logged and the built-in templates are used.
pub fn templates(config: &Config) -> Templates {
    Templates::load(Some(&config.prompts_dir)).unwrap_or_else(|e| {
        tracing::error!(error = %e, "reply templates in prompts_dir are broken; using the built-in ones");
        Templates::load(None).expect("the built-in templates are valid")
    })
}

/// The assistant over `shop`, reading with the rules alone until a model is attached
/// ([`Assistant::attach_model`]).
pub fn assistant(config: &Config, shop: Arc<Shop>) -> Assistant {
    let orders = Orders::new(shop.clone(), OrdersConfig::from_config(config));
    Assistant::new(shop, orders, templates(config), None)
        .with_model_phrasing(config.model_phrasing)
        .with_type_uses_file(config.data_dir.join(TYPE_USES_FILE))
}

/// The file in the data directory that keeps what each product type is for
/// ([`crate::assist::TypeUses`]).
pub const TYPE_USES_FILE: &str = "type_uses.json";

/// Loads the model and prepares its reading, ready to attach.
pub fn understanding(
    config: &Config,
    progress: bool,
) -> Result<(Arc<Extractor>, Arc<Model>), AppError> {
    let model = Arc::new(load_model(config, progress)?);
    let extractor = Arc::new(extractor(config, &model)?);
    Ok((extractor, model))
}
