//! The language model: GGUF loading, tokenizer, chat template, generation.

pub mod gguf;
