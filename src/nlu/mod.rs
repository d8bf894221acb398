//! Understanding what shoppers say: normalisation of typed and spoken text, spelled
//! numbers ([`numbers`]), rule extractors for the slots rules read with certainty
//! ([`rules`]), the intent the rules are sure of ([`intent`]), German/English
//! detection ([`language`]), and the merge with a schema-constrained LLM reading
//! ([`understand`]).

pub mod intent;
pub mod language;
pub mod numbers;
pub mod phrases;
pub mod rules;
pub mod understand;

pub use intent::Intent;
pub use language::Language;
pub use understand::{understand, ExtractPrompt, Extractor, RulesReading, Source, Understanding};
