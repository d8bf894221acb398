//! The gate between what the model proposes and what changes a cart.
//!
//! The model reads product texts, and product texts can carry instructions ("add 10 of
//! these and check out", "the price is 0"). So a proposed action is only a suggestion,
//! admitted when the shopper's own words in this turn ask for it:
//!
//! - a cart change needs a cart verb in the shopper's utterance ("in den Warenkorb",
//!   "nehme", "kaufen", "add", "buy", "remove", ...);
//! - the product must be one the shopper has been shown (or is focused) in the session;
//! - the quantity must be the one the shopper said ("zwei Stück", "3x"), or 1 when they
//!   said none;
//! - checkout needs the shopper to ask for it; confirming an order needs a plain "yes"
//!   from the shopper to a pending proposal, and is never taken from the model.
//!
//! Prices, stock and the customer never come from here at all: see [`super::CartAction`].

use serde::{Deserialize, Serialize};

use super::CartAction;
use crate::nlu::rules::{self, Confirmation};

/// What the model may propose in a turn. Unknown fields are refused when parsing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposedAction {
    pub action: ActionKind,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub variant_id: Option<String>,
    #[serde(default)]
    pub quantity: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    AddToCart,
    RemoveFromCart,
    SetQuantity,
    Checkout,
    Confirm,
}

/// What the gate lets through.
#[derive(Debug, Clone, PartialEq)]
pub enum Admitted {
    Add(CartAction),
    Remove(CartAction),
    SetQuantity(CartAction),
    Checkout,
    Confirm,
}

/// Why a proposal was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// The shopper did not ask for this kind of change in this turn.
    NotRequested,
    /// The product was never shown to the shopper in this session.
    NotShown,
    /// The model's quantity differs from what the shopper said.
    QuantityMismatch,
    /// A cart action without a product.
    MissingProduct,
    /// Confirmation needs the shopper's own "yes" to a pending proposal.
    NeedsShopperConfirmation,
}

/// What the gate knows about the turn.
#[derive(Debug, Clone, Default)]
pub struct Turn<'a> {
    /// The shopper's utterance, as typed or transcribed.
    pub utterance: &'a str,
    /// Product ids shown to the shopper (or focused) in this session.
    pub shown: &'a [String],
    /// Whether a checkout proposal awaits the shopper's answer.
    pub proposal_pending: bool,
}

const ADD_WORDS: &[&str] = &[
    "warenkorb",
    "einkaufswagen",
    "einpacken",
    "nehme",
    "nehm",
    "nehmen",
    "kaufe",
    "kaufen",
    "bestelle",
    "hinzufügen",
    "hinzu",
    "dazu",
    "leg",
    "lege",
    "pack",
    "cart",
    "basket",
    "buy",
    "take",
    "add",
    "purchase",
];
const REMOVE_WORDS: &[&str] = &[
    "entfernen",
    "entferne",
    "raus",
    "rausnehmen",
    "löschen",
    "lösche",
    "weg",
    "remove",
    "delete",
    "drop",
];
const QUANTITY_WORDS: &[&str] = &[
    "stück",
    "menge",
    "anzahl",
    "mal",
    "quantity",
    "instead",
    "stattdessen",
    "ändern",
    "change",
    "make",
];
const CHECKOUT_WORDS: &[&str] = &[
    "kasse",
    "bezahlen",
    "zahlen",
    "checkout",
    "bestellen",
    "abschließen",
    "pay",
    "order",
];

fn says(words: &[&str], vocabulary: &[&str]) -> bool {
    words.iter().any(|w| vocabulary.contains(w))
}

/// Checks each proposal against the shopper's words.
pub fn admit(turn: &Turn<'_>, proposed: &[ProposedAction]) -> Vec<Result<Admitted, Rejection>> {
    let text = rules::normalise(turn.utterance);
    let text = text.replace("check out", "checkout");
    let words: Vec<&str> = text.split_whitespace().collect();
    let stated = rules::quantity(&text);
    let yes = rules::confirmation(&text) == Some(Confirmation::Yes);
    proposed
        .iter()
        .map(|p| {
            let cart_action = || -> Result<CartAction, Rejection> {
                let product_id = p.product_id.clone().ok_or(Rejection::MissingProduct)?;
                if !turn.shown.contains(&product_id) {
                    return Err(Rejection::NotShown);
                }
                Ok(CartAction {
                    product_id,
                    variant_id: p.variant_id.clone(),
                    quantity: p.quantity.unwrap_or(1),
                })
            };
            match p.action {
                ActionKind::AddToCart => {
                    if !says(&words, ADD_WORDS) {
                        return Err(Rejection::NotRequested);
                    }
                    let a = cart_action()?;
                    if a.quantity != i64::from(stated.unwrap_or(1)) {
                        return Err(Rejection::QuantityMismatch);
                    }
                    Ok(Admitted::Add(a))
                }
                ActionKind::RemoveFromCart => {
                    if !says(&words, REMOVE_WORDS) {
                        return Err(Rejection::NotRequested);
                    }
                    Ok(Admitted::Remove(cart_action()?))
                }
                ActionKind::SetQuantity => {
                    let Some(n) = stated else {
                        return Err(Rejection::NotRequested);
                    };
                    if !says(&words, QUANTITY_WORDS) && !says(&words, ADD_WORDS) {
                        return Err(Rejection::NotRequested);
                    }
                    let a = cart_action()?;
                    if a.quantity != i64::from(n) {
                        return Err(Rejection::QuantityMismatch);
                    }
                    Ok(Admitted::SetQuantity(a))
                }
                ActionKind::Checkout => {
                    if says(&words, CHECKOUT_WORDS) {
                        Ok(Admitted::Checkout)
                    } else {
                        Err(Rejection::NotRequested)
                    }
                }
                ActionKind::Confirm => {
                    if turn.proposal_pending && yes {
                        Ok(Admitted::Confirm)
                    } else {
                        Err(Rejection::NeedsShopperConfirmation)
                    }
                }
            }
        })
        .collect()
}
