//! Settings: built-in defaults, then a TOML file, then `SHOPASSIST_*` environment
//! variables, then command-line flags, each layer overriding the one before.
//!
//! Every layer is parsed into the same [`Overrides`] shape, so an unknown key or a
//! bad value is reported with the key and where it came from (the file's path, the
//! variable's name, or the flag).

use std::fmt;
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

/// Which model the daemon runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelChoice {
    /// A model from the built-in registry (`default`, `test`), fetched if missing.
    Named(String),
    /// Any GGUF file on disk.
    Path(PathBuf),
    /// A GGUF on the Hugging Face hub: `hf:<owner>/<repo>/<file>`.
    HuggingFace { repo: String, file: String },
}

impl FromStr for ModelChoice {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err("must not be empty".into());
        }
        if let Some(rest) = s.strip_prefix("hf:") {
            // owner/repo/path/inside/repo.gguf
            let mut parts = rest.splitn(3, '/');
            let (owner, repo, file) = (parts.next(), parts.next(), parts.next());
            return match (owner, repo, file) {
                (Some(o), Some(r), Some(f)) if !o.is_empty() && !r.is_empty() && !f.is_empty() => {
                    Ok(ModelChoice::HuggingFace {
                        repo: format!("{o}/{r}"),
                        file: f.to_string(),
                    })
                }
                _ => Err(format!(
                    "`{s}` is not of the form hf:<owner>/<repo>/<file.gguf>"
                )),
            };
        }
        if s.ends_with(".gguf") || s.contains('/') {
            return Ok(ModelChoice::Path(PathBuf::from(s)));
        }
        if crate::models::KnownModel::by_name(s).is_some() {
            return Ok(ModelChoice::Named(s.to_string()));
        }
        Err(format!(
            "unknown model `{s}`: use one of {}, a path to a .gguf file, or hf:<owner>/<repo>/<file.gguf>",
            crate::models::KnownModel::names().join(", ")
        ))
    }
}

impl fmt::Display for ModelChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelChoice::Named(n) => f.write_str(n),
            ModelChoice::Path(p) => write!(f, "{}", p.display()),
            ModelChoice::HuggingFace { repo, file } => write!(f, "hf:{repo}/{file}"),
        }
    }
}

/// Where the model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceChoice {
    Cpu,
    Cuda(usize),
    Metal,
}

impl FromStr for DeviceChoice {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "cpu" => Ok(DeviceChoice::Cpu),
            "metal" => Ok(DeviceChoice::Metal),
            "cuda" => Ok(DeviceChoice::Cuda(0)),
            other => match other.strip_prefix("cuda:").map(str::parse::<usize>) {
                Some(Ok(n)) => Ok(DeviceChoice::Cuda(n)),
                _ => Err(format!("`{other}` is not one of cpu, cuda:N, metal")),
            },
        }
    }
}

impl fmt::Display for DeviceChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceChoice::Cpu => f.write_str("cpu"),
            DeviceChoice::Cuda(n) => write!(f, "cuda:{n}"),
            DeviceChoice::Metal => f.write_str("metal"),
        }
    }
}

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
    /// Holds the GGUF model files.
    pub models_dir: PathBuf,
    /// Address the HTTP server listens on.
    pub bind: SocketAddr,
    pub model: ModelChoice,
    pub device: DeviceChoice,
    /// Threads for model inference; 0 means one per core.
    pub threads: usize,
    /// Model requests that may wait while one runs; more are answered "busy" at once.
    pub model_queue: usize,
    /// Catalogue file served; `None` means the embedded demo catalogue.
    pub catalog: Option<PathBuf>,
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

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("data"),
            models_dir: PathBuf::from("models"),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            model: ModelChoice::Named("default".into()),
            device: DeviceChoice::Cpu,
            threads: 0,
            model_queue: 8,
            catalog: None,
            log_format: LogFormat::Text,
            max_quantity: 10,
            confirmation_ttl_secs: 300,
            return_window_days: 30,
            webhook_url: None,
            webhook_secret: String::new(),
            prompts_dir: PathBuf::from("prompts"),
            model_phrasing: false,
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

/// One layer of settings as written: every key optional, unknown keys rejected.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    pub data_dir: Option<PathBuf>,
    pub models_dir: Option<PathBuf>,
    pub bind: Option<String>,
    pub model: Option<String>,
    pub device: Option<String>,
    pub threads: Option<usize>,
    pub model_queue: Option<usize>,
    pub catalog: Option<PathBuf>,
    pub log_format: Option<String>,
    pub max_quantity: Option<u32>,
    pub confirmation_ttl_secs: Option<u64>,
    pub return_window_days: Option<u64>,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<String>,
    pub prompts_dir: Option<PathBuf>,
    pub phrasing: Option<String>,
    pub api_keys: Option<String>,
    pub turn_concurrency: Option<usize>,
    pub turn_deadline_secs: Option<u64>,
    pub retention_days: Option<u64>,
    pub allowed_origins: Option<String>,
    pub customer_auth: Option<String>,
    pub customer_token_secret: Option<String>,
}

/// The keys a layer may set, as they are spelled in the file.
pub const KEYS: &[&str] = &[
    "data_dir",
    "models_dir",
    "bind",
    "model",
    "device",
    "threads",
    "model_queue",
    "catalog",
    "log_format",
    "max_quantity",
    "confirmation_ttl_secs",
    "return_window_days",
    "webhook_url",
    "webhook_secret",
    "prompts_dir",
    "phrasing",
    "api_keys",
    "turn_concurrency",
    "turn_deadline_secs",
    "retention_days",
    "allowed_origins",
    "customer_auth",
    "customer_token_secret",
];

/// Keys whose value is a whole number (parsed as such from environment variables).
const NUMERIC_KEYS: &[&str] = &[
    "threads",
    "model_queue",
    "max_quantity",
    "confirmation_ttl_secs",
    "return_window_days",
    "turn_concurrency",
    "turn_deadline_secs",
    "retention_days",
];

/// Where a setting came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Env,
    Cli,
}

/// A setting that could not be used, naming the key and where it was set.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("config file {path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("environment variable {var}: {message}")]
    Env { var: String, message: String },
    #[error("command-line flag --{flag}: {message}")]
    Cli { flag: String, message: String },
}

impl ConfigError {
    fn at(origin: &Origin, key: &str, message: String) -> Self {
        match origin {
            Origin::File(path) => ConfigError::File {
                path: path.clone(),
                message: format!("key `{key}`: {message}"),
            },
            Origin::Env => ConfigError::Env {
                var: env_var_name(key),
                message,
            },
            Origin::Cli => ConfigError::Cli {
                flag: key.replace('_', "-"),
                message,
            },
        }
    }
}

/// `data_dir` → `SHOPASSIST_DATA_DIR`.
pub fn env_var_name(key: &str) -> String {
    format!("{ENV_PREFIX}{}", key.to_ascii_uppercase())
}

impl Overrides {
    /// Parses a TOML file. A missing file is an error only when `required`.
    pub fn from_file(path: &Path, required: bool) -> Result<Option<Self>, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
            Err(e) => {
                return Err(ConfigError::File {
                    path: path.to_path_buf(),
                    message: format!("cannot read it: {e}"),
                })
            }
        };
        toml::from_str(&text)
            .map(Some)
            .map_err(|e| ConfigError::File {
                path: path.to_path_buf(),
                message: e.to_string().trim_end().to_string(),
            })
    }

    /// Reads `SHOPASSIST_*` variables from `vars`. An unknown `SHOPASSIST_` variable is an
    /// error: a typo there would otherwise be silently ignored.
    pub fn from_env<I>(vars: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (String, String)>,
    {
        let mut table = toml::Table::new();
        for (name, value) in vars {
            let Some(key) = name.strip_prefix(ENV_PREFIX) else {
                continue;
            };
            if name == ENV_CONFIG_FILE {
                continue;
            }
            let key = key.to_ascii_lowercase();
            if !KEYS.contains(&key.as_str()) {
                return Err(ConfigError::Env {
                    var: name.clone(),
                    message: format!(
                        "unknown setting; known ones are {}",
                        KEYS.iter()
                            .map(|k| env_var_name(k))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                });
            }
            let v = if NUMERIC_KEYS.contains(&key.as_str()) {
                match value.trim().parse::<i64>() {
                    Ok(n) => toml::Value::Integer(n),
                    Err(_) => {
                        return Err(ConfigError::Env {
                            var: name,
                            message: format!("`{value}` is not a whole number"),
                        })
                    }
                }
            } else {
                toml::Value::String(value)
            };
            table.insert(key, v);
        }
        Overrides::deserialize(table).map_err(|e| ConfigError::Env {
            var: "SHOPASSIST_*".into(),
            message: e.to_string(),
        })
    }

    /// Applies this layer over `cfg`, validating each value it sets.
    pub fn apply(self, cfg: &mut Config, origin: &Origin) -> Result<(), ConfigError> {
        let err = |key: &str, m: String| ConfigError::at(origin, key, m);
        if let Some(v) = self.data_dir {
            cfg.data_dir = non_empty_path(v).map_err(|m| err("data_dir", m))?;
        }
        if let Some(v) = self.models_dir {
            cfg.models_dir = non_empty_path(v).map_err(|m| err("models_dir", m))?;
        }
        if let Some(v) = self.bind {
            cfg.bind = v.trim().parse().map_err(|_| {
                err(
                    "bind",
                    format!("`{v}` is not an address like 127.0.0.1:8080"),
                )
            })?;
        }
        if let Some(v) = self.model {
            cfg.model = v.parse().map_err(|m| err("model", m))?;
        }
        if let Some(v) = self.device {
            cfg.device = v.parse().map_err(|m| err("device", m))?;
        }
        if let Some(v) = self.threads {
            if v > 1024 {
                return Err(err("threads", format!("{v} is more than 1024")));
            }
            cfg.threads = v;
        }
        if let Some(v) = self.model_queue {
            if v > 10_000 {
                return Err(err("model_queue", format!("{v} is more than 10000")));
            }
            cfg.model_queue = v;
        }
        if let Some(v) = self.catalog {
            cfg.catalog = Some(non_empty_path(v).map_err(|m| err("catalog", m))?);
        }
        if let Some(v) = self.log_format {
            cfg.log_format = v.parse().map_err(|m| err("log_format", m))?;
        }
        if let Some(v) = self.max_quantity {
            if !(1..=10_000).contains(&v) {
                return Err(err(
                    "max_quantity",
                    format!("{v} is not between 1 and 10000"),
                ));
            }
            cfg.max_quantity = v;
        }
        if let Some(v) = self.confirmation_ttl_secs {
            if !(1..=86_400).contains(&v) {
                return Err(err(
                    "confirmation_ttl_secs",
                    format!("{v} is not between 1 and 86400"),
                ));
            }
            cfg.confirmation_ttl_secs = v;
        }
        if let Some(v) = self.return_window_days {
            if v > 3650 {
                return Err(err("return_window_days", format!("{v} is more than 3650")));
            }
            cfg.return_window_days = v;
        }
        if let Some(v) = self.webhook_url {
            let v = v.trim().to_string();
            if v.is_empty() {
                cfg.webhook_url = None;
            } else if v.starts_with("http://") || v.starts_with("https://") {
                cfg.webhook_url = Some(v);
            } else {
                return Err(err("webhook_url", format!("`{v}` is not an http(s) URL")));
            }
        }
        if let Some(v) = self.webhook_secret {
            cfg.webhook_secret = v;
        }
        if let Some(v) = self.prompts_dir {
            cfg.prompts_dir = non_empty_path(v).map_err(|m| err("prompts_dir", m))?;
        }
        if let Some(v) = self.phrasing {
            cfg.model_phrasing = match v.trim() {
                "templates" => false,
                "model" => true,
                other => {
                    return Err(err(
                        "phrasing",
                        format!("`{other}` is neither \"templates\" nor \"model\""),
                    ))
                }
            };
        }
        if let Some(v) = self.api_keys {
            cfg.api_keys = parse_api_keys(&v).map_err(|m| err("api_keys", m))?;
        }
        if let Some(v) = self.turn_concurrency {
            if !(1..=1024).contains(&v) {
                return Err(err(
                    "turn_concurrency",
                    format!("{v} is not between 1 and 1024"),
                ));
            }
            cfg.turn_concurrency = v;
        }
        if let Some(v) = self.turn_deadline_secs {
            if !(1..=600).contains(&v) {
                return Err(err(
                    "turn_deadline_secs",
                    format!("{v} is not between 1 and 600"),
                ));
            }
            cfg.turn_deadline_secs = v;
        }
        if let Some(v) = self.retention_days {
            if !(1..=36_500).contains(&v) {
                return Err(err(
                    "retention_days",
                    format!("{v} is not between 1 and 36500"),
                ));
            }
            cfg.retention_days = v;
        }
        if let Some(v) = self.allowed_origins {
            cfg.allowed_origins = parse_origins(&v).map_err(|m| err("allowed_origins", m))?;
        }
        if let Some(v) = self.customer_auth {
            cfg.customer_auth = match v.trim() {
                "header" => CustomerAuth::Header,
                "signed" => CustomerAuth::Signed,
                other => {
                    return Err(err(
                        "customer_auth",
                        format!("`{other}` is neither \"header\" nor \"signed\""),
                    ))
                }
            };
        }
        if let Some(v) = self.customer_token_secret {
            cfg.customer_token_secret = v;
        }
        if cfg.webhook_url.is_some() && cfg.webhook_secret.len() < 16 {
            return Err(err(
                "webhook_secret",
                "a webhook_url needs a webhook_secret of at least 16 characters to sign with"
                    .into(),
            ));
        }
        Ok(())
    }
}

fn non_empty_path(p: PathBuf) -> Result<PathBuf, String> {
    if p.as_os_str().is_empty() {
        Err("must not be empty".into())
    } else {
        Ok(p)
    }
}

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

    /// The order rules' limits.
    pub fn orders(&self) -> crate::orders::OrdersConfig {
        crate::orders::OrdersConfig {
            max_quantity: self.max_quantity,
            confirmation_ttl_ms: self.confirmation_ttl_secs as i64 * 1000,
            return_window_ms: self.return_window_days as i64 * 24 * 3600 * 1000,
            webhooks: self.webhook_url.is_some(),
            retention_ms: self.retention_days as i64 * crate::orders::DAY_MS,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn write(dir: &Path, text: &str) -> PathBuf {
        let p = dir.join("shopassist.toml");
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn defaults_bind_to_loopback_8080() {
        let cfg = Config::load(None, env(&[]), Overrides::default()).unwrap();
        assert_eq!(cfg.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(cfg.model, ModelChoice::Named("default".into()));
        assert_eq!(cfg.device, DeviceChoice::Cpu);
    }

    #[test]
    fn cli_beats_env_beats_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(
            dir.path(),
            "bind = \"127.0.0.1:1111\"\nthreads = 1\nmodel = \"test\"\n",
        );
        let cfg = Config::load(
            Some(&f),
            env(&[
                ("SHOPASSIST_BIND", "127.0.0.1:2222"),
                ("SHOPASSIST_THREADS", "2"),
            ]),
            Overrides {
                bind: Some("127.0.0.1:3333".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(cfg.bind.port(), 3333, "CLI wins over env and file");
        assert_eq!(cfg.threads, 2, "env wins over file");
        assert_eq!(
            cfg.model,
            ModelChoice::Named("test".into()),
            "file wins over default"
        );
    }

    #[test]
    fn unknown_key_in_file_names_key_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(dir.path(), "bnid = \"127.0.0.1:1\"\n");
        let e = Config::load(Some(&f), env(&[]), Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("bnid"), "{e}");
        assert!(e.contains(&f.display().to_string()), "{e}");
    }

    #[test]
    fn bad_value_in_file_names_key_and_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = write(dir.path(), "bind = \"localhost\"\n");
        let e = Config::load(Some(&f), env(&[]), Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("`bind`"), "{e}");
        assert!(e.contains(&f.display().to_string()), "{e}");
        let f = write(dir.path(), "threads = \"many\"\n");
        let e = Config::load(Some(&f), env(&[]), Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("threads"), "{e}");
    }

    #[test]
    fn named_config_file_must_exist() {
        let e = Config::load(
            Some(Path::new("/definitely/missing.toml")),
            env(&[]),
            Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("/definitely/missing.toml"), "{e}");
    }

    #[test]
    fn unknown_env_variable_is_an_error() {
        let e = Config::load(
            None,
            env(&[("SHOPASSIST_BINDD", "x")]),
            Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("SHOPASSIST_BINDD"), "{e}");
    }

    #[test]
    fn bad_env_value_names_the_variable() {
        let e = Config::load(
            None,
            env(&[("SHOPASSIST_DEVICE", "tpu")]),
            Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("SHOPASSIST_DEVICE"), "{e}");
        let e = Config::load(
            None,
            env(&[("SHOPASSIST_THREADS", "x")]),
            Overrides::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("SHOPASSIST_THREADS"), "{e}");
    }

    #[test]
    fn model_choices_parse() {
        assert_eq!(
            "test".parse::<ModelChoice>(),
            Ok(ModelChoice::Named("test".into()))
        );
        assert_eq!(
            "models/x.gguf".parse::<ModelChoice>(),
            Ok(ModelChoice::Path("models/x.gguf".into()))
        );
        assert_eq!(
            "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf"
                .parse::<ModelChoice>(),
            Ok(ModelChoice::HuggingFace {
                repo: "Qwen/Qwen2.5-0.5B-Instruct-GGUF".into(),
                file: "qwen2.5-0.5b-instruct-q4_k_m.gguf".into()
            })
        );
        assert!("hf:onlyowner".parse::<ModelChoice>().is_err());
        assert!("gpt-5".parse::<ModelChoice>().is_err());
    }

    #[test]
    fn device_choices_parse() {
        assert_eq!("cuda:1".parse::<DeviceChoice>(), Ok(DeviceChoice::Cuda(1)));
        assert_eq!("metal".parse::<DeviceChoice>(), Ok(DeviceChoice::Metal));
        assert!("cuda:x".parse::<DeviceChoice>().is_err());
    }

    #[test]
    fn api_keys_parse_with_scopes_and_refuse_weak_or_unknown_ones() {
        let cfg = Config::load(
            None,
            env(&[(
                "SHOPASSIST_API_KEYS",
                "admin:aaaaaaaaaaaaaaaa1, storefront:bbbbbbbbbbbbbbbb2",
            )]),
            Overrides::default(),
        )
        .unwrap();
        assert_eq!(cfg.api_keys.len(), 2);
        assert_eq!(cfg.api_keys[0].scope, Scope::Admin);
        assert_eq!(cfg.api_keys[1].scope, Scope::Storefront);
        assert_eq!(cfg.api_keys[1].key, "bbbbbbbbbbbbbbbb2");
        // A key never shows in debug output (logs).
        assert!(!format!("{:?}", cfg.api_keys).contains("bbbb"));

        for bad in [
            "admin:short",
            "root:cccccccccccccccccccc",
            "dddddddddddddddddddd",
        ] {
            let e = Config::load(
                None,
                env(&[("SHOPASSIST_API_KEYS", bad)]),
                Overrides::default(),
            )
            .unwrap_err()
            .to_string();
            assert!(e.contains("SHOPASSIST_API_KEYS"), "{bad}: {e}");
            assert!(
                !e.contains("cccccccccc") && !e.contains("dddddddddd"),
                "{e}"
            );
        }
    }

    #[test]
    fn example_config_file_is_valid_and_complete() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("shopassist.example.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        // Every key is documented in the example, commented out or not.
        for key in KEYS {
            assert!(text.contains(&format!("{key} =")), "example lacks `{key}`");
        }
        // The example, uncommented, parses.
        let uncommented: String = text
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|r| r.contains(" = "))
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), uncommented).unwrap();
        Config::load(Some(f.path()), env(&[]), Overrides::default()).unwrap();
    }
}
