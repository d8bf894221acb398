//! Conversations (issue #6), built up here piece by piece. So far: the active search
//! of a session and how refinements and references apply to it ([`refine`]). The turn
//! loop, session persistence through `orders::Orders::save_session`, grounded replies
//! from `prompts/` and handoff come next.

pub mod answer;
pub mod refine;

pub use answer::{answer, compare, Answer, Comparison, Topic, Verdict};
pub use refine::{resolve, ActiveSearch, Change, Shown};
