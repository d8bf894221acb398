//! The language model, run in-process with candle: GGUF loading ([`gguf`], [`model`]),
//! tokenizer from the GGUF metadata, chat templates ([`template`]), and generation with
//! sampling, stop conditions and a cached prompt prefix ([`generate`]), and the
//! likelihood of given continuations ([`score`]); prompt prefixes' states are kept on
//! disk across restarts ([`prompt_cache`]). The hot path is ours where candle's was
//! the bottleneck: quantized products ([`kernels`]), one token's attention over the KV
//! cache (`kv_cache`, in `shopassist_kernels::attention`), and the token embedding kept quantized (`token_embedding`).

pub mod constrain;
pub mod generate;
pub mod gguf;
pub mod kernels;
mod kv_cache;
mod llama;
pub mod model;
pub mod prompt_cache;
mod qwen2;
pub mod score;
pub mod template;
#[cfg(test)]
mod testing;
mod token_embedding;

pub use constrain::{JsonConstraints, JsonOutput};
pub use generate::{FinishReason, GenerateOptions, Generation, Prefix, Sampling};
pub use model::Model;
pub use template::Message;
