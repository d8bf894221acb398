//! shopassist: a local, self-hosted shopping assistant.
//!
//! The library holds the engine; the `shopassist` binary parses the command line and
//! calls it, and [`http`] only translates HTTP to engine calls. `ARCHITECTURE.md` at
//! the repository root maps the modules, the path of one turn and the invariants.

pub mod app;
pub mod assist;
pub mod bench;
pub mod catalog;
pub mod config;
pub mod customer_token;
pub mod daemon;
pub mod embed;
pub mod eval;
pub mod http;
pub mod llm;
pub mod logging;
pub mod models;
pub mod nlu;
pub mod orders;
pub mod readiness;
pub mod search;
pub mod shop;
pub mod store;
