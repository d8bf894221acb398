//! Why an order operation was refused: a typed reason with a stable code.

use super::*;

/// Why an operation was refused. Every variant has a stable code and an HTTP status.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum OrderError {
    #[error("unknown product {product_id}")]
    UnknownProduct { product_id: String },
    #[error("product {product_id} has no variant {variant_id}")]
    UnknownVariant {
        product_id: String,
        variant_id: String,
    },
    #[error("product {product_id} comes in several variants ({options}); say which")]
    VariantRequired { product_id: String, options: String },
    #[error("quantity must be between 1 and {max}, got {quantity}")]
    InvalidQuantity { quantity: i64, max: u32 },
    #[error("{title} is out of stock in this variant (available: {available})")]
    OutOfStock {
        product_id: String,
        variant_id: String,
        title: String,
        available: u32,
    },
    #[error("the cart is empty")]
    CartEmpty,
    #[error("{product_id}/{variant_id} is not in the cart")]
    NotInCart {
        product_id: String,
        variant_id: String,
    },
    #[error("no such confirmation for this customer")]
    ConfirmationUnknown,
    #[error("the confirmation expired; check out again")]
    ConfirmationExpired,
    #[error("this confirmation was already used for order {order_id}")]
    ConfirmationUsed { order_id: String },
    #[error("the cart, a price or the stock changed since checkout; here is the new proposal")]
    CartChanged { proposal: Box<Proposal> },
    #[error("no order {order_id} for this customer")]
    UnknownOrder { order_id: String },
    #[error("order {order_id} is {status} and cannot be {action}")]
    InvalidTransition {
        order_id: String,
        status: String,
        action: String,
    },
    #[error("the return window of {days} days after delivery has passed")]
    ReturnWindowClosed { days: i64 },
    #[error("no session {session_id} for this customer")]
    UnknownSession { session_id: String },
    #[error("{message}")]
    InvalidRequest { message: String },
    #[error("idempotency key already used for a different request")]
    IdempotencyKeyReused,
    #[error("a request with this idempotency key is still running")]
    IdempotencyKeyInFlight,
    #[error("this operation needs an Idempotency-Key")]
    IdempotencyKeyMissing,
    #[error("the amount {what} is out of the range this shop can charge")]
    AmountOutOfRange { what: String },
    #[error("internal error: {message}")]
    Internal { message: String },
    /// The database cannot be reached right now (PostgreSQL restarting, a failover):
    /// nothing was written; the same request may be sent again.
    #[error("{message}")]
    DatabaseUnavailable { message: String },
}

impl OrderError {
    /// The stable machine-readable code, as in the HTTP error body.
    pub fn code(&self) -> &'static str {
        match self {
            OrderError::UnknownProduct { .. } => "unknown_product",
            OrderError::UnknownVariant { .. } => "unknown_variant",
            OrderError::VariantRequired { .. } => "variant_required",
            OrderError::InvalidQuantity { .. } => "invalid_quantity",
            OrderError::OutOfStock { .. } => "out_of_stock",
            OrderError::CartEmpty => "cart_empty",
            OrderError::NotInCart { .. } => "not_in_cart",
            OrderError::ConfirmationUnknown => "confirmation_unknown",
            OrderError::ConfirmationExpired => "confirmation_expired",
            OrderError::ConfirmationUsed { .. } => "confirmation_used",
            OrderError::CartChanged { .. } => "cart_changed",
            OrderError::UnknownOrder { .. } => "unknown_order",
            OrderError::InvalidTransition { .. } => "invalid_transition",
            OrderError::ReturnWindowClosed { .. } => "return_window_closed",
            OrderError::UnknownSession { .. } => "unknown_session",
            OrderError::InvalidRequest { .. } => "bad_request",
            OrderError::IdempotencyKeyReused => "idempotency_key_reused",
            OrderError::IdempotencyKeyInFlight => "idempotency_key_in_flight",
            OrderError::IdempotencyKeyMissing => "bad_request",
            OrderError::AmountOutOfRange { .. } => "amount_out_of_range",
            OrderError::Internal { .. } => "internal",
            OrderError::DatabaseUnavailable { .. } => "database_unavailable",
        }
    }
}

impl From<crate::store::sql::SqlError> for OrderError {
    fn from(e: crate::store::sql::SqlError) -> Self {
        if let crate::store::sql::SqlError::Unavailable(message) = e {
            return OrderError::DatabaseUnavailable { message };
        }
        OrderError::Internal {
            message: format!("database: {e}"),
        }
    }
}

impl From<StoreError> for OrderError {
    fn from(e: StoreError) -> Self {
        if let StoreError::Sql(sql) = e {
            return sql.into();
        }
        OrderError::Internal {
            message: e.to_string(),
        }
    }
}

impl From<ShopError> for OrderError {
    fn from(e: ShopError) -> Self {
        if let ShopError::Store(store) = e {
            return store.into();
        }
        OrderError::Internal {
            message: e.to_string(),
        }
    }
}
