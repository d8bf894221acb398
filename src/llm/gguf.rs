//! Reading a GGUF file's header: architecture and metadata, validated before any
//! weights are touched, so a damaged or foreign file is a clear error, never a panic.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use candle_core::quantized::gguf_file;

/// Architectures whose quantized forward pass we can run.
///
/// `phi3` is not here although candle has it quantized: its KV cache is written in
/// place into a shared buffer, so copies of a cached prefix would share memory.
pub const SUPPORTED_ARCHITECTURES: &[&str] = &["llama", "qwen2", "qwen3", "gemma3"];

/// Why a model file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot open model file {path}: {source}")]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("model file {path} is not a readable GGUF file: {message}")]
    Damaged { path: PathBuf, message: String },
    #[error("model file {path} has architecture `{arch}`, which shopassist cannot run (supported: {supported})", supported = SUPPORTED_ARCHITECTURES.join(", "))]
    UnsupportedArchitecture { path: PathBuf, arch: String },
}

/// A parsed GGUF header.
pub struct GgufHeader {
    pub path: PathBuf,
    pub architecture: String,
    pub content: gguf_file::Content,
}

impl std::fmt::Debug for GgufHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GgufHeader")
            .field("path", &self.path)
            .field("architecture", &self.architecture)
            .field("tensors", &self.content.tensor_infos.len())
            .finish()
    }
}

/// Reads and checks the header of `path`.
pub fn read_header(path: &Path) -> Result<GgufHeader, LoadError> {
    let file = File::open(path).map_err(|source| LoadError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let damaged = |message: String| LoadError::Damaged {
        path: path.to_path_buf(),
        message,
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = BufReader::new(file);
    let content = gguf_file::Content::read(&mut reader).map_err(|e| damaged(e.to_string()))?;
    let architecture = content
        .metadata
        .get("general.architecture")
        .and_then(|v| v.to_string().ok())
        .cloned()
        .ok_or_else(|| damaged("no general.architecture in its metadata".into()))?;
    // Every tensor must lie inside the file: a truncated file fails here, not mid-load.
    for (name, info) in &content.tensor_infos {
        let bytes =
            info.shape.elem_count() / info.ggml_dtype.block_size() * info.ggml_dtype.type_size();
        let end = content.tensor_data_offset + info.offset + bytes as u64;
        if end > size {
            return Err(damaged(format!(
                "tensor `{name}` ends at byte {end}, past the end of the file ({size} bytes); the file is truncated"
            )));
        }
    }
    if !SUPPORTED_ARCHITECTURES.contains(&architecture.as_str()) {
        return Err(LoadError::UnsupportedArchitecture {
            path: path.to_path_buf(),
            arch: architecture,
        });
    }
    Ok(GgufHeader {
        path: path.to_path_buf(),
        architecture,
        content,
    })
}
