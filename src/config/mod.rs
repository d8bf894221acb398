//! Settings: built-in defaults, then a TOML file, then `SHOPASSIST_*` environment
//! variables, then command-line flags, each layer overriding the one before.
//!
//! Every layer is parsed into the same [`Overrides`] shape, so an unknown key or a
//! bad value is reported with the key and where it came from (the file's path, the
//! variable's name, or the flag).

mod layers;
#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::Deserialize;

/// The environment variable prefix for settings.
pub const ENV_PREFIX: &str = "SHOPASSIST_";
/// Environment variable naming the config file (it is not itself a setting).
pub const ENV_CONFIG_FILE: &str = "SHOPASSIST_CONFIG";
/// The file read when no `--config` flag or `SHOPASSIST_CONFIG` names one.
pub const DEFAULT_CONFIG_FILE: &str = "shopassist.toml";

pub use crate::llm::model::DeviceChoice;
pub use crate::models::{EmbedChoice, ModelChoice};

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "text" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            other => Err(format!("`{other}` is not one of text, json")),
        }
    }
}

/// The validated settings of one daemon or command run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Holds the search index and the SQLite database.
    pub data_dir: PathBuf,
    /// PostgreSQL shared by several daemons (`postgres://…`); `None` keeps the
    /// database in SQLite under `data_dir`. The search index stays in `data_dir`.
    pub database_url: Option<String>,
    /// Holds the GGUF model files.
    pub models_dir: PathBuf,
    /// Address the HTTP server listens on.
    pub bind: SocketAddr,
    pub model: ModelChoice,
    pub device: DeviceChoice,
    /// Threads for model inference; 0 means one per core.
    pub threads: usize,
    /// Catalogue file served; `None` means the embedded demo catalogue.
    pub catalog: Option<PathBuf>,
    /// ISO currency of catalogue prices whose feed names none (a Shopify export, a
    /// Merchant price without a code, a JSONL or CSV row without `currency`).
    pub currency: String,
    pub log_format: LogFormat,
    /// Largest quantity of one cart line.
    pub max_quantity: u32,
    /// Seconds a checkout proposal can be confirmed.
    pub confirmation_ttl_secs: u64,
    /// Days after delivery a return may be requested.
    pub return_window_days: u64,
    /// The shop's webhook receiver; `None` keeps events in the outbox only.
    pub webhook_url: Option<String>,
    /// Secret for the webhook HMAC signature.
    pub webhook_secret: String,
    /// Editable prompts (see prompts/README.md); files missing there fall back to the
    /// built-in copies.
    pub prompts_dir: PathBuf,
    /// Let the model reword replies (validated against the facts); off: templates.
    pub model_phrasing: bool,
    /// The embedding model of semantic search (`embed`, a path, or `off`).
    pub semantic: EmbedChoice,
    /// API keys and their scopes. Empty: no authentication, allowed only on a
    /// loopback address (the daemon refuses to start otherwise).
    pub api_keys: Vec<ApiKey>,
    /// Assistant turns (`/v1/assist`, `/v1/chat/completions`) running at once; more are
    /// answered 503 + `Retry-After` at once instead of queueing.
    pub turn_concurrency: usize,
    /// Longest a turn may take before it is answered 503 + `Retry-After`.
    pub turn_deadline_secs: u64,
    /// Days sessions, transcripts, analytics events, spent checkout proposals and
    /// delivered webhooks are kept; a pruning task deletes what is older.
    pub retention_days: u64,
    /// Browser origins (`https://shop.example`) allowed to call the API: answered
    /// with CORS headers, and, in open mode, the only foreign origins let through.
    pub allowed_origins: Vec<String>,
    /// Who vouches for the customer of a storefront call: `header` (the storefront's
    /// `X-Customer-Id`, for server-to-server callers) or `signed` (a short-lived
    /// token the shop's backend mints; see README, Security).
    pub customer_auth: CustomerAuth,
    /// The shared secret of signed customer tokens (`customer_auth = "signed"`).
    pub customer_token_secret: String,
}

/// How the customer of a storefront call is established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomerAuth {
    /// The storefront asserts it in `X-Customer-Id` (or `customer_id`); trusted.
    #[default]
    Header,
    /// A storefront key alone acts as a guest; a customer needs a token signed
    /// with `customer_token_secret` (`X-Customer-Token`).
    Signed,
}

/// Shortest secret accepted for signing customer tokens.
pub const MIN_TOKEN_SECRET_LEN: usize = 32;

/// Parses `https://a.example, http://localhost:3000` into exact origins.
pub fn parse_origins(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for o in s.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let o = o.trim_end_matches('/');
        let rest = o
            .strip_prefix("https://")
            .or_else(|| o.strip_prefix("http://"))
            .ok_or_else(|| format!("`{o}` is not an origin like https://shop.example"))?;
        if rest.is_empty() || rest.contains('/') || rest.contains(char::is_whitespace) {
            return Err(format!(
                "`{o}` is not an origin like https://shop.example (no path)"
            ));
        }
        out.push(o.to_ascii_lowercase());
    }
    Ok(out)
}

/// What an API key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Shopper-facing calls: assist, chat, products, the asserted customer's cart and orders.
    Storefront,
    /// Everything: catalogue changes, every order, stock, stats, metrics.
    Admin,
}

/// One configured API key.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub scope: Scope,
    pub key: String,
}

impl std::fmt::Debug for ApiKey {
    // Keys never reach logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKey({:?}, ***)", self.scope)
    }
}

/// Shortest key accepted: a guessable key is no key.
pub const MIN_API_KEY_LEN: usize = 16;

/// Parses `scope:key,scope:key` (scopes `admin`, `storefront`).
pub fn parse_api_keys(s: &str) -> Result<Vec<ApiKey>, String> {
    let mut keys = Vec::new();
    for item in s.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let (scope, key) = item
            .split_once(':')
            .ok_or_else(|| format!("`{}…`: write scope:key", &item[..item.len().min(6)]))?;
        let scope = match scope.trim() {
            "admin" => Scope::Admin,
            "storefront" => Scope::Storefront,
            other => return Err(format!("scope `{other}` is neither admin nor storefront")),
        };
        let key = key.trim().to_string();
        if key.chars().count() < MIN_API_KEY_LEN {
            return Err(format!(
                "a {scope:?} key has fewer than {MIN_API_KEY_LEN} characters"
            ));
        }
        keys.push(ApiKey { scope, key });
    }
    Ok(keys)
}

impl Config {
    /// How catalogue feeds are read under these settings.
    pub fn import_options(&self) -> crate::catalog::import::ImportOptions {
        crate::catalog::import::ImportOptions {
            default_currency: self.currency.clone(),
            ..Default::default()
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("data"),
            database_url: None,
            models_dir: PathBuf::from("models"),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            model: ModelChoice::Named("default".into()),
            device: DeviceChoice::Cpu,
            threads: 0,
            catalog: None,
            currency: "EUR".into(),
            log_format: LogFormat::Text,
            max_quantity: 10,
            confirmation_ttl_secs: 300,
            return_window_days: 30,
            webhook_url: None,
            webhook_secret: String::new(),
            prompts_dir: PathBuf::from("prompts"),
            model_phrasing: false,
            semantic: EmbedChoice::Named("embed".into()),
            api_keys: Vec::new(),
            turn_concurrency: 8,
            turn_deadline_secs: 30,
            retention_days: 90,
            allowed_origins: Vec::new(),
            customer_auth: CustomerAuth::Header,
            customer_token_secret: String::new(),
        }
    }
}

pub use layers::*;

impl Config {
    /// Builds the settings from the layers in rising precedence: defaults, file, env, CLI.
    ///
    /// `file` is the path given by `--config` or `SHOPASSIST_CONFIG` (then it must exist);
    /// without one, `shopassist.toml` in the working directory is read if present.
    pub fn load<I>(file: Option<&Path>, env: I, cli: Overrides) -> Result<Config, ConfigError>
    where
        I: IntoIterator<Item = (String, String)>,
    {
        let env: Vec<(String, String)> = env.into_iter().collect();
        let named = file.map(Path::to_path_buf).or_else(|| {
            env.iter()
                .find(|(k, _)| k == ENV_CONFIG_FILE)
                .map(|(_, v)| PathBuf::from(v))
        });
        let (path, required) = match named {
            Some(p) => (p, true),
            None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
        };
        let mut cfg = Config::default();
        if let Some(layer) = Overrides::from_file(&path, required)? {
            layer.apply(&mut cfg, &Origin::File(path.clone()))?;
        }
        Overrides::from_env(env)?.apply(&mut cfg, &Origin::Env)?;
        cli.apply(&mut cfg, &Origin::Cli)?;
        // Checked once every layer is in: a secret usually comes from the environment
        // while the mode is in the file.
        if cfg.customer_auth == CustomerAuth::Signed
            && cfg.customer_token_secret.len() < MIN_TOKEN_SECRET_LEN
        {
            return Err(ConfigError::Env {
                var: env_var_name("customer_token_secret"),
                message: format!("customer_auth = \"signed\" needs a customer_token_secret of at least {MIN_TOKEN_SECRET_LEN} characters"),
            });
        }
        Ok(cfg)
    }

    /// Directory of the Tantivy index.
    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    /// Path of the SQLite database.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("shopassist.sqlite3")
    }
}
