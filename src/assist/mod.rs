//! Conversations (issue #6), built up piece by piece. So far: the active search of a
//! session and how refinements and references apply to it ([`refine`]), product
//! questions and comparisons answered from product data ([`answer`]), and the voice
//! channel's spoken prices, sizes and speech-safe text ([`voice`]). The turn loop,
//! session persistence through `orders::Orders::persist_turn`, grounded reply
//! templates from `prompts/` and handoff come next.

pub mod answer;
pub mod phrasing;
pub mod refine;
pub mod turn;
pub mod voice;

pub use answer::{answer, compare, Answer, Comparison, Topic, Verdict};
pub use refine::{resolve, ActiveSearch, Change, Shown};
pub use turn::{
    check_input, check_text, Assistant, Channel, SessionState, Templates, TurnError, TurnEvent,
    TurnInput, TurnOutput,
};
