//! The plan of a turn that searched: what each product asked for was read as (its
//! head, models, specs with units, connectors, order and limits) and the steps the
//! message asked for, in order. Filled in by the turn from the searches it ran, so
//! it shows what was searched, not a guess beside it (`understanding.plan`).

use serde::Serialize;

use crate::nlu::rules::specs::SpecWish;

/// One step a message asks for, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Show the matching products.
    Show,
    /// Put the first product of each target into the cart.
    AddToCart,
    /// Propose the checkout; the order waits for the shopper's own "yes".
    Checkout,
}

/// How a target's products are ordered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Order {
    /// By price, cheapest first or dearest first.
    Price { desc: bool },
    /// By a spec ("largest", "schnellste"), largest first or smallest.
    Spec { word: String, desc: bool },
}

/// One product a message asks for, as it was searched.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Target {
    /// The words searched for.
    pub words: String,
    /// The kind of product (the head of the request), when the catalogue has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Model tokens of this catalogue the request names ("a25", "5900x").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// Specs with units every product must meet ("≥ 20 ft").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub specs: Vec<SpecWish>,
    /// Connectors, sockets and standards every product must name ("USB-C", "AM5").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub connectors: Vec<String>,
    /// The connectors of the product pointed at that every product must fit.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compatible_with: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<Order>,
    /// Price limits in the currency's minor unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_max: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
}

/// The targets of a turn and its steps.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    pub targets: Vec<Target>,
    pub steps: Vec<Step>,
}
