//! The language model, run in-process with candle: GGUF loading ([`gguf`], [`model`]),
//! tokenizer from the GGUF metadata, chat templates ([`template`]), and generation with
//! sampling, stop conditions and a cached prompt prefix ([`generate`]), and the
//! likelihood of given continuations ([`score`]); prompt prefixes' states are kept on
//! disk across restarts ([`prompt_cache`]).

pub mod constrain;
pub mod generate;
pub mod gguf;
pub mod kernels;
pub mod model;
pub mod prompt_cache;
mod qwen2;
pub mod score;
pub mod template;
#[cfg(test)]
mod testing;

pub use constrain::{JsonConstraints, JsonOutput};
pub use generate::{FinishReason, GenerateOptions, Generation, Prefix, Sampling};
pub use model::Model;
pub use template::Message;
