//! One layer of settings (a file, the environment or the command line) and how it
//! is applied over the defaults, each value validated and errors naming where it was set.

use super::*;

/// One layer of settings as written: every key optional, unknown keys rejected.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub models_dir: Option<PathBuf>,
    pub bind: Option<String>,
    pub model: Option<String>,
    pub device: Option<String>,
    pub threads: Option<usize>,
    pub catalog: Option<PathBuf>,
    pub currency: Option<String>,
    pub log_format: Option<String>,
    pub max_quantity: Option<u32>,
    pub confirmation_ttl_secs: Option<u64>,
    pub return_window_days: Option<u64>,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<String>,
    pub prompts_dir: Option<PathBuf>,
    pub phrasing: Option<String>,
    pub semantic: Option<String>,
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
    "database_url",
    "models_dir",
    "bind",
    "model",
    "device",
    "threads",
    "catalog",
    "currency",
    "log_format",
    "max_quantity",
    "confirmation_ttl_secs",
    "return_window_days",
    "webhook_url",
    "webhook_secret",
    "prompts_dir",
    "phrasing",
    "semantic",
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
            // Not settings: the config file's path, the engine's switch to its
            // portable kernels (read where the kernels are chosen), and the test
            // suite's own variables (`SHOPASSIST_TEST_MODEL`,
            // `SHOPASSIST_TEST_DATABASE_URL`), which the daemons it starts inherit.
            if name == ENV_CONFIG_FILE
                || name == crate::llm::kernels::ENV_PORTABLE
                || key.starts_with("TEST_")
            {
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
        if let Some(v) = self.database_url {
            let v = v.trim().to_string();
            if v.is_empty() {
                cfg.database_url = None;
            } else if crate::store::postgres::is_url(&v) {
                cfg.database_url = Some(v);
            } else {
                return Err(err(
                    "database_url",
                    format!(
                        "`{}` is not a postgres:// URL (SQLite needs none: it lives in data_dir)",
                        crate::store::postgres::redacted(&v)
                    ),
                ));
            }
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
        if let Some(v) = self.catalog {
            cfg.catalog = Some(non_empty_path(v).map_err(|m| err("catalog", m))?);
        }
        if let Some(v) = self.log_format {
            cfg.log_format = v.parse().map_err(|m| err("log_format", m))?;
        }
        if let Some(v) = self.currency {
            let code = v.trim().to_ascii_uppercase();
            if code.len() != 3 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(err(
                    "currency",
                    format!("`{v}` is not a three-letter ISO currency code (EUR, USD, CHF)"),
                ));
            }
            cfg.currency = code;
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
        if let Some(v) = self.semantic {
            cfg.semantic = v.parse().map_err(|m| err("semantic", m))?;
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
