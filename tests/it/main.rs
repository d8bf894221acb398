//! The integration tests, in one binary: linking candle, tantivy, axum and SQLite
//! once instead of once per file took a fresh-clone CI run from 35 minutes down (see
//! the note of issue 17). Each module is one area; `common` holds the shared helpers.
//!
//! Run one area with `cargo test --test it <module>::`, e.g.
//! `cargo test --test it orders::`, or the model-quality checks with the default
//! model: `SHOPASSIST_TEST_MODEL=default cargo test --release --test it constrained::`.

mod common;

mod assist;
mod browser;
mod catalog_import;
mod constrained;
mod embed;
mod http_api;
mod http_server;
mod known_item;
mod llm;
mod models_cli;
mod nlu;
mod nlu_webshop;
mod openapi_fuzz;
mod orders;
mod replicas;
mod scenarios;
mod search;
mod semantic;
mod specs;
mod tokenizer_reference;
mod webshop_eval;
