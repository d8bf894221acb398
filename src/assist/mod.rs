//! Conversations. A turn ([`turn`]) understands a message, decides what to do on the
//! session's state (search and refinements through [`refine`], answers and comparisons
//! from product data through [`answer`], the cart, orders, handoff) and records what it
//! decided as typed [`facts`]; [`reply`] words them with the templates of
//! `prompts/<lang>/replies.toml`, [`phrasing`] may reword the result with the model
//! (validated), and [`voice`] shapes it for speech.

pub mod answer;
pub mod facts;
pub mod phrasing;
pub mod refine;
pub mod reply;
pub mod turn;
pub mod voice;

pub use answer::{answer, compare, Answer, Comparison, Topic, Verdict};
pub use refine::{resolve, ActiveSearch, Change, Shown};
pub use turn::{
    check_input, check_text, Assistant, Channel, ProductOut, SessionState, Templates, TurnError,
    TurnEvent, TurnInput, TurnOutput,
};
