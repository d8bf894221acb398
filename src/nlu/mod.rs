//! Understanding what shoppers say: normalisation of typed and spoken text, spelled
//! numbers ([`numbers`]), rule extractors for the slots rules read with certainty
//! ([`rules`]), the intent the rules are sure of ([`intent`]), German/English
//! detection ([`language`]), and the merge with a schema-constrained LLM reading
//! ([`understand`]).

pub mod intent;
pub mod language;
pub mod lexicon;
pub mod numbers;
pub mod phrases;
pub mod rules;
pub mod understand;

pub use intent::Intent;

/// Installs a shop's intent phrase lists and lexicon from `prompts_dir` (each built-in
/// list stays where the shop has none). A broken file is an error.
pub fn install_prompts(dir: Option<&std::path::Path>) -> Result<(), String> {
    phrases::install(dir)?;
    lexicon::install(dir)
}
pub use language::Language;
pub use understand::{understand, ExtractPrompt, Extractor, RulesReading, Source, Understanding};
