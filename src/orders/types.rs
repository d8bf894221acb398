//! What the order operations take and answer: carts, proposals, orders, returns,
//! reorders, feedback and reminders.

use super::*;

/// A cart change as the model or a storefront proposes it: ids and a quantity only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CartAction {
    pub product_id: String,
    /// May be left out when the product has exactly one variant.
    #[serde(default)]
    pub variant_id: Option<String>,
    /// Signed so that 0, -1 and huge values parse and are refused with a reason.
    #[serde(default = "one")]
    pub quantity: i64,
}

fn one() -> i64 {
    1
}

/// What a cart line and an order line share: a variant, its title and options, a
/// quantity and a unit price (minor units). Serialised flat into both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LineItem {
    pub product_id: String,
    pub variant_id: String,
    pub title: String,
    pub size: Option<String>,
    pub color: Option<String>,
    pub quantity: u32,
    /// In a cart: the unit price now; in an order: the price paid.
    pub unit_price: i64,
}

/// One cart line, priced from the catalogue now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CartLine {
    #[serde(flatten)]
    pub item: LineItem,
    /// Unit price when the line was added, so a change can be said.
    pub price_when_added: i64,
    pub line_total: i64,
    /// Units in stock now.
    pub available: u32,
}

/// A customer's cart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct Cart {
    pub items: Vec<CartLine>,
    pub total: i64,
    pub currency: String,
    /// Lines whose product left the catalogue; they are dropped from the cart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
}

/// What checkout proposes and the shopper must confirm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Proposal {
    pub token: String,
    pub items: Vec<CartLine>,
    pub total: i64,
    pub currency: String,
    #[schema(value_type = i64)]
    pub expires_at: Millis,
}

/// Order states: placed → confirmed → shipped → delivered, or cancelled before shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Placed,
    Confirmed,
    Shipped,
    Delivered,
    Cancelled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub(super) fn parse(s: &str) -> OrderStatus {
        match s {
            "confirmed" => OrderStatus::Confirmed,
            "shipped" => OrderStatus::Shipped,
            "delivered" => OrderStatus::Delivered,
            "cancelled" => OrderStatus::Cancelled,
            _ => OrderStatus::Placed,
        }
    }
}

/// One line of an order, at the price paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderLine {
    pub line: u32,
    #[serde(flatten)]
    pub item: LineItem,
}

/// A status change with its time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub status: OrderStatus,
    #[schema(value_type = i64)]
    pub at: Millis,
    pub note: Option<String>,
}

/// An order as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Order {
    pub id: String,
    pub customer_id: String,
    pub status: OrderStatus,
    pub items: Vec<OrderLine>,
    pub total: i64,
    pub currency: String,
    pub tracking: Option<String>,
    #[schema(value_type = i64)]
    pub created_at: Millis,
    #[schema(value_type = Option<i64>)]
    pub delivered_at: Option<Millis>,
    pub history: Vec<StatusChange>,
}

/// A status the shop sets on an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case", deny_unknown_fields)]
pub enum StatusUpdate {
    Confirmed,
    Shipped { tracking_number: String },
    Delivered,
}

/// Which orders to list.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub customer_id: Option<String>,
    pub status: Option<OrderStatus>,
    pub limit: usize,
    pub offset: usize,
}

/// Return or exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReturnKind {
    Return,
    Exchange,
}

/// One line of a return request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnLine {
    /// The order line (1-based).
    pub line: u32,
    pub quantity: u32,
    /// For an exchange: the variant wanted instead.
    #[serde(default)]
    pub exchange_variant_id: Option<String>,
}

/// A return or exchange request as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReturnRequest {
    pub id: String,
    pub order_id: String,
    pub kind: ReturnKind,
    pub items: Vec<ReturnLine>,
    pub reason: String,
    pub status: String,
    #[schema(value_type = i64)]
    pub created_at: Millis,
}

/// What changed for one line when reordering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ReorderChange {
    PriceChanged {
        product_id: String,
        title: String,
        was: i64,
        now: i64,
    },
    QuantityReduced {
        product_id: String,
        title: String,
        wanted: u32,
        available: u32,
    },
    OutOfStock {
        product_id: String,
        title: String,
    },
    NoLongerSold {
        product_id: String,
        title: String,
    },
}

/// The cart after a reorder, and what differs from the past order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reorder {
    pub cart: Cart,
    pub changes: Vec<ReorderChange>,
}

/// A rating (1–5) or a net-promoter score (0–10).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Feedback {
    Rating {
        score: i64,
        #[serde(default)]
        comment: Option<String>,
    },
    Nps {
        score: i64,
        #[serde(default)]
        comment: Option<String>,
    },
}

/// A consumable that is due again, from the customer's orders and its reorder interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reminder {
    pub product_id: String,
    pub variant_id: String,
    pub title: String,
    #[schema(value_type = i64)]
    pub last_ordered_at: Millis,
    #[schema(value_type = i64)]
    pub due_at: Millis,
}
