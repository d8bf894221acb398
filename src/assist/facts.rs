//! What a turn decided, as typed facts: what was found, added, refused or asked,
//! grouped by stage (discovery, cart, after the sale). The turn's handlers produce
//! them and never word anything; [`super::reply`] renders them with the templates of
//! the shopper's language. Every value here was read from the catalogue or the
//! database; a fact holds no text of the language model.

use std::sync::Arc;

use super::answer::{Answer, Comparison};
use super::refine::Change;
use crate::catalog::{Product, Variant};
use crate::orders::{Cart, OrderStatus, ReorderChange};

/// An amount of money in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    pub cents: i64,
    pub currency: String,
}

impl Money {
    pub fn new(cents: i64, currency: &str) -> Money {
        Money {
            cents,
            currency: currency.to_string(),
        }
    }
}

/// One thing a turn has to tell the shopper, in the order it is told.
#[derive(Debug, Clone)]
pub enum Fact {
    Greeting,
    /// Thanks for feedback (a rating was stored when the message held one).
    FeedbackTaken,
    OutOfScope,
    /// The conversation goes to a person.
    Handoff,
    /// A yes or no with no checkout waiting for it.
    NothingPending,
    /// The shopper said no to a checkout proposal.
    CheckoutDeclined,
    /// A message about "the product" with none shown, focused or named.
    NoFocus,
    /// Something the shopper asked for could not be done.
    Refused(Refusal),
    Discover(Discover),
    Cart(CartFact),
    AfterSale(AfterSale),
}

/// Why an action was refused.
#[derive(Debug, Clone)]
pub enum Refusal {
    /// The order engine's own message (stock, limits, expired proposals).
    Engine(String),
    /// The product has no variant with the size or colour asked for.
    NoSuchVersion { product: Arc<Product> },
    /// The version asked for has fewer in stock than asked (none, or `available`).
    OutOfStock {
        product: Arc<Product>,
        variant: Option<crate::catalog::Variant>,
        available: u32,
    },
}

/// Discovery: searching, showing, answering, comparing.
#[derive(Debug, Clone)]
pub enum Discover {
    /// A search with nothing to search for.
    AskWhat,
    /// A superlative by a spec ("the lightest laptop") that none of the products
    /// found states: they are shown as the search ranks them, not in that order.
    SortUnstated {
        word: String,
    },
    /// How many products passed the constraints, and what this message changed.
    Found {
        total: usize,
        changes: Vec<Change>,
        /// The currency of the products found, for the limits said back.
        currency: String,
        /// How many a superlative shows of the `total` ("the cheapest cable": the
        /// first of 3), when that is fewer; `None` for a page of results.
        best: Option<usize>,
    },
    /// One shown product (numbered from 1) in the variant chosen for the shopper.
    Shown {
        n: usize,
        product: Arc<Product>,
        price: Money,
        size: Option<String>,
        color: Option<String>,
        in_stock: bool,
    },
    /// The heading of one target's group, when a message asked for several
    /// products: how many passed (none when its constraints were relaxed).
    Group {
        target: String,
        total: Option<usize>,
        changes: Vec<Change>,
        currency: String,
        /// As in [`Discover::Found`].
        best: Option<usize>,
    },
    /// The heading of cheaper alternatives to a product (none found: `found` 0).
    CheaperThan {
        product: Arc<Product>,
        price: Money,
        found: usize,
    },
    /// Where the alternative shown just before differs from the original
    /// ("50 ft → 25 ft").
    Differs {
        differences: Vec<String>,
    },
    /// After the products for a gift, what would narrow them: what the person likes
    /// (`interests`) and what the shopper wants to spend (`budget`).
    AskGift {
        interests: bool,
        budget: bool,
    },
    /// After the listings of a named model: which of them (numbers as shown) cost
    /// the least, all of them when several share the lowest price.
    CheapestOffer {
        numbers: Vec<usize>,
        price: Money,
    },
    /// "More" with no further page.
    NoMore,
    NothingFound {
        changes: Vec<Change>,
    },
    /// Nothing met every constraint; this one was dropped to show what there is.
    Relaxed(Relaxation),
    /// The shop does not carry the thing asked for (`asked`, the shopper's words);
    /// `offered` names the kinds (category names) of the nearest products shown
    /// after it, if any (`nearest`).
    NotCarried {
        asked: String,
        offered: Vec<String>,
        nearest: bool,
    },
    /// An answer about one product, from its data.
    Answer {
        product: Arc<Product>,
        answer: Answer,
    },
    Compared {
        a: Arc<Product>,
        b: Arc<Product>,
        comparison: Comparison,
    },
}

/// The constraint a search dropped when nothing met them all.
#[derive(Debug, Clone)]
pub enum Relaxation {
    /// The price limit; the cheapest product that is left costs `from`.
    Price { max: Money, from: Money },
    /// The colours or sizes asked for (`option` is "color" or "size").
    Versions {
        option: &'static str,
        values: Vec<String>,
    },
    /// The specs asked for ("= 44 mm"): no product of the kind states them.
    Specs { specs: Vec<String> },
    /// The kind of product: the shop has none that fits (none for the models in
    /// `fits`, when the search named some); these are other kinds.
    Kind { kind: String, fits: Vec<String> },
    /// The brand: none of the kind is by it or names it; these are by others.
    Brand { brand: String },
}

impl Relaxation {
    /// The constraint's name, as products shown after it carry it (`"relaxed"`).
    pub fn constraint(&self) -> &'static str {
        match self {
            Relaxation::Price { .. } => "price",
            Relaxation::Versions { option, .. } => option,
            Relaxation::Specs { .. } => "specs",
            Relaxation::Kind { .. } => "kind",
            Relaxation::Brand { .. } => "brand",
        }
    }
}

/// The cart in a conversation.
#[derive(Debug, Clone)]
pub enum CartFact {
    /// The product's size or colour is open; the next message that names one adds it.
    WhichVersion {
        product: Arc<Product>,
        /// The versions that fit what the shopper chose, by the open options only
        /// (size, colour), as the catalogue writes them.
        options: Vec<(Option<String>, Option<String>)>,
    },
    Added {
        product: Arc<Product>,
        variant: Option<Variant>,
        /// How many were put in with this step.
        quantity: i64,
        total: Money,
    },
    Removed {
        title: String,
    },
    Empty,
    Contents(Cart),
    /// A checkout proposal awaiting the shopper's yes.
    Proposed {
        cart: Cart,
        total: Money,
    },
    Placed {
        order_id: String,
        total: Money,
    },
}

/// After the sale: orders, returns, reorders.
#[derive(Debug, Clone)]
pub enum AfterSale {
    /// The action needs a signed-in customer.
    NeedCustomer,
    NoOrders,
    Status {
        order_id: String,
        created_at: i64,
        status: OrderStatus,
        tracking: Option<String>,
    },
    Cancelled {
        order_id: String,
    },
    ReturnWindow {
        days: i64,
    },
    Reordered {
        changes: Vec<ReorderChange>,
        total: Money,
    },
}
