//! What a configuration names: the language model and the embedding model, as a
//! registry name, a file on disk or a Hugging Face file.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use super::{KnownModel, ModelKind, KNOWN_MODELS};

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
        if KnownModel::by_name(s).is_some_and(|m| m.kind == ModelKind::Language) {
            return Ok(ModelChoice::Named(s.to_string()));
        }
        Err(format!(
            "unknown model `{s}`: use one of {}, a path to a .gguf file, or hf:<owner>/<repo>/<file.gguf>",
            KNOWN_MODELS
                .iter()
                .filter(|m| m.kind == ModelKind::Language)
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", ")
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

/// Which embedding model semantic search runs, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedChoice {
    /// Search is lexical only.
    Off,
    /// A registry embedding model (`embed`), fetched if missing.
    Named(String),
    /// An E5S1 file on disk.
    Path(PathBuf),
}

impl FromStr for EmbedChoice {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        match s {
            "" => Err("must not be empty".into()),
            "off" | "none" | "false" => Ok(EmbedChoice::Off),
            _ if KnownModel::by_name(s).is_some_and(|m| m.kind == ModelKind::Embedding) => {
                Ok(EmbedChoice::Named(s.into()))
            }
            _ if s.contains('/') || s.ends_with(".bin") => Ok(EmbedChoice::Path(PathBuf::from(s))),
            _ => Err(format!(
                "`{s}` is not `embed`, `off` or a path to an embedding model file"
            )),
        }
    }
}

impl fmt::Display for EmbedChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmbedChoice::Off => f.write_str("off"),
            EmbedChoice::Named(n) => f.write_str(n),
            EmbedChoice::Path(p) => write!(f, "{}", p.display()),
        }
    }
}
