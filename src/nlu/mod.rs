//! Understanding what shoppers say: normalisation of typed and spoken text, spelled
//! numbers ([`numbers`]) and rule extractors for the slots rules can read with
//! certainty ([`rules`]). The LLM part builds on these (not built yet).

pub mod numbers;
pub mod rules;
