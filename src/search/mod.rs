//! Product search on Tantivy: schema and analysers ([`schema`]), German compound
//! splitting ([`compound`]), the on-disk index ([`index`]) and queries with ranking
//! and reasons ([`query`]).

pub mod compound;
pub mod index;
pub mod profile;
pub mod query;
pub mod schema;
pub mod semantic;
pub mod speller;

pub use index::{Carried, IndexError, OpenOutcome, ProductIndex};
pub use query::{Hit, Reason, SearchQuery, SearchResults, Sort};
