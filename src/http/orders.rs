//! Carts, checkout, orders and what follows the sale, over the `orders` operations.
//!
//! Storefront routes act for the customer in `X-Customer-Id`; admin routes (under
//! `/v1/admin/`) act for the shop. Every mutating route takes an `Idempotency-Key`
//! header (required on `POST /v1/checkout/confirm`): a retry with the same key and body
//! answers the first response again, marked `Idempotent-Replayed: true`; the same key
//! with another body is 409 `idempotency_key_reused`.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::auth::CustomerId;
use super::ErrorBody;
use super::{blocking, ApiError, AppState, ErrorCode};
use crate::orders::{Cart, Order, Proposal, Reminder, Reorder, ReturnRequest};
use crate::orders::{
    CartAction, Feedback, Idempotent, OrderError, OrderFilter, OrderStatus, Orders, ReturnKind,
    ReturnLine, StatusUpdate,
};

/// The header carrying the idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";
/// Set on a response answered from the idempotency record.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";

/// The owner of the shop's own idempotency records; no customer can take it, because
/// [`CustomerId`] refuses the reserved `shop:` prefix.
const SHOP_OWNER: &str = "shop:admin";

pub(crate) fn orders_of(state: &AppState) -> Result<Orders, ApiError> {
    state
        .orders
        .get()
        .cloned()
        .ok_or_else(|| ApiError::new(ErrorCode::NotReady, "the catalogue is still loading"))
}

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    match headers.get(IDEMPOTENCY_HEADER) {
        None => Ok(None),
        Some(v) => v.to_str().map(|s| Some(s.trim().to_string())).map_err(|_| {
            ApiError::new(
                ErrorCode::BadRequest,
                "Idempotency-Key must be visible ASCII",
            )
        }),
    }
}

/// Runs a mutating operation under the request's idempotency key, on a blocking thread.
async fn mutate<T, F>(
    state: &AppState,
    owner: String,
    headers: &HeaderMap,
    operation: &'static str,
    request: serde_json::Value,
    status: StatusCode,
    op: F,
) -> Result<Response, ApiError>
where
    T: Serialize + DeserializeOwned + Send + 'static,
    F: FnOnce(&Orders) -> Result<T, OrderError> + Send + 'static,
{
    let orders = orders_of(state)?;
    let key = idempotency_key(headers)?;
    let Idempotent { value, replayed } =
        blocking(move || orders.idempotent(&owner, key.as_deref(), operation, &request, op))
            .await??;
    let mut resp = (status, Json(value)).into_response();
    if replayed {
        resp.headers_mut()
            .insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    }
    Ok(resp)
}

/// Runs a read on a blocking thread.
async fn read<T, F>(state: &AppState, op: F) -> Result<Json<T>, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Orders) -> Result<T, OrderError> + Send + 'static,
{
    let orders = orders_of(state)?;
    Ok(Json(blocking(move || op(&orders)).await??))
}

fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    Ok(b?.0)
}

// ---- the cart ----------------------------------------------------------------------

/// `GET /v1/cart`.
#[utoipa::path(get, path = "/v1/cart", tag = "cart", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront")), responses((status = 200, description = "The cart, priced now", body = Cart), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn cart(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
) -> Result<Response, ApiError> {
    Ok(read(&state, move |o| o.cart(&customer))
        .await?
        .into_response())
}

/// `POST /v1/cart/items`: adds to the cart.
#[utoipa::path(post, path = "/v1/cart/items", tag = "cart", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response (1 to 255 characters)")), request_body = CartAction, responses((status = 200, description = "The cart after the change", body = Cart), (status = 409, description = "Out of stock", body = ErrorBody), (status = 422, description = "Variant needed, bad quantity, unknown variant", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn add_item(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
    headers: HeaderMap,
    b: Result<Json<CartAction>, JsonRejection>,
) -> Result<Response, ApiError> {
    let action = body(b)?;
    let request = json!(action);
    let c = customer.clone();
    mutate(
        &state,
        customer,
        &headers,
        "cart.add",
        request,
        StatusCode::OK,
        move |o| o.add_to_cart(&c, &action),
    )
    .await
}

/// `PATCH /v1/cart/items`: sets a line's quantity.
#[utoipa::path(patch, path = "/v1/cart/items", tag = "cart", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response (1 to 255 characters)")), request_body = CartAction, responses((status = 200, description = "The cart after the change", body = Cart), (status = 409, description = "Refused by the order rules", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn set_item(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
    headers: HeaderMap,
    b: Result<Json<CartAction>, JsonRejection>,
) -> Result<Response, ApiError> {
    let action = body(b)?;
    let request = json!(action);
    let c = customer.clone();
    mutate(
        &state,
        customer,
        &headers,
        "cart.set",
        request,
        StatusCode::OK,
        move |o| o.set_quantity(&c, &action),
    )
    .await
}

/// `DELETE /v1/cart/items/{product_id}/{variant_id}`.
#[utoipa::path(delete, path = "/v1/cart/items/{product_id}/{variant_id}", tag = "cart", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response (1 to 255 characters)"), ("product_id" = String, Path), ("variant_id" = String, Path)), responses((status = 200, description = "The cart after the change", body = Cart), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn remove_item(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
    headers: HeaderMap,
    Path((product_id, variant_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let request = json!({"product_id": product_id, "variant_id": variant_id});
    let c = customer.clone();
    mutate(
        &state,
        customer,
        &headers,
        "cart.remove",
        request,
        StatusCode::OK,
        move |o| o.remove_from_cart(&c, &product_id, &variant_id),
    )
    .await
}

// ---- checkout ----------------------------------------------------------------------

/// `POST /v1/checkout`: proposes the order for the cart; places nothing.
#[utoipa::path(post, path = "/v1/checkout", tag = "checkout", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response (1 to 255 characters)")), responses((status = 200, description = "The proposal to confirm; nothing is placed yet", body = Proposal), (status = 409, description = "Empty cart, out of stock", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn checkout(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let c = customer.clone();
    mutate(
        &state,
        customer,
        &headers,
        "checkout",
        json!({}),
        StatusCode::OK,
        move |o| o.checkout(&c),
    )
    .await
}

/// The body of `POST /v1/checkout/confirm`.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// The token of the proposal the shopper said yes to.
    pub token: String,
}

/// `POST /v1/checkout/confirm`: places the proposed order. Needs an `Idempotency-Key`.
#[utoipa::path(post, path = "/v1/checkout/confirm", tag = "checkout", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront"), ("Idempotency-Key" = String, Header, description = "Required: a retry with the same key answers the first response")), request_body = ConfirmRequest, responses((status = 201, description = "The order placed", body = Order), (status = 409, description = "Cart or prices changed (a fresh proposal comes with it), token expired", body = ErrorBody), (status = 410, description = "The proposal expired", body = ErrorBody), (status = 422, description = "Idempotency-Key reused with another body", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn confirm(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
    headers: HeaderMap,
    b: Result<Json<ConfirmRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let req = body(b)?;
    let request = json!(req);
    let c = customer.clone();
    mutate(
        &state,
        customer,
        &headers,
        "checkout.confirm",
        request,
        StatusCode::CREATED,
        move |o| o.confirm(&c, &req.token),
    )
    .await
}

// ---- orders ------------------------------------------------------------------------

/// Paging and filter of order lists.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub status: Option<OrderStatus>,
    pub limit: Option<usize>,
    #[serde(default)]
    pub offset: usize,
    /// Admin only: one customer's orders.
    pub customer_id: Option<String>,
}

const MAX_LIST: usize = 100;

impl ListParams {
    fn filter(self, customer: Option<String>) -> Result<OrderFilter, ApiError> {
        let limit = self.limit.unwrap_or(20);
        if limit == 0 || limit > MAX_LIST {
            return Err(ApiError::new(
                ErrorCode::BadRequest,
                format!("limit must be 1..={MAX_LIST}"),
            ));
        }
        Ok(OrderFilter {
            customer_id: customer,
            status: self.status,
            limit,
            offset: self.offset.min(1_000_000),
        })
    }
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(q)| q)
        .map_err(|e| ApiError::new(ErrorCode::BadRequest, e.body_text()))
}

/// `GET /v1/orders`: the customer's orders, newest first.
#[utoipa::path(get, path = "/v1/orders", tag = "orders", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront"), ListParams), responses((status = 200, description = "The customer's orders, newest first", body = Vec<Order>), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn list_orders(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
    q: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = query(q)?;
    if params.customer_id.is_some() {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            "customer_id is an admin filter; the customer is X-Customer-Id",
        ));
    }
    let filter = params.filter(Some(customer))?;
    Ok(read(&state, move |o| o.list_orders(&filter))
        .await?
        .into_response())
}

/// `GET /v1/orders/{id}`: one of the customer's orders (another's is `unknown_order`).
#[utoipa::path(get, path = "/v1/orders/{id}", tag = "orders", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront"), ("id" = String, Path)), responses((status = 200, description = "The order", body = Order), (status = 404, description = "No such order for this customer", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn get_order(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    Ok(read(&state, move |o| o.order(&customer, &id))
        .await?
        .into_response())
}

/// `POST /v1/orders/{id}/cancel`: cancels before shipping.
#[utoipa::path(post, path = "/v1/orders/{id}/cancel", tag = "orders", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response (1 to 255 characters)"), ("id" = String, Path)), responses((status = 200, description = "The cancelled order", body = Order), (status = 404, description = "No such order", body = ErrorBody), (status = 409, description = "Already shipped", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn cancel(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let c = customer.clone();
    mutate(
        &state,
        customer,
        &headers,
        "order.cancel",
        json!({"order_id": id}),
        StatusCode::OK,
        move |o| o.cancel_order(&c, &id),
    )
    .await
}

/// The body of `POST /v1/orders/{id}/returns`.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    pub kind: ReturnKind,
    pub items: Vec<ReturnLine>,
    #[serde(default)]
    pub reason: String,
}

/// `POST /v1/orders/{id}/returns`: a return or exchange of delivered lines.
#[utoipa::path(post, path = "/v1/orders/{id}/returns", tag = "orders", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response (1 to 255 characters)"), ("id" = String, Path)), request_body = ReturnBody, responses((status = 201, description = "The return or exchange request", body = ReturnRequest), (status = 404, description = "No such order", body = ErrorBody), (status = 409, description = "Not delivered, outside the window, bad lines", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn request_return(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Result<Json<ReturnBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let req = body(b)?;
    let request = json!({"order_id": id, "return": req});
    let c = customer.clone();
    mutate(
        &state,
        customer,
        &headers,
        "return.request",
        request,
        StatusCode::CREATED,
        move |o| o.request_return(&c, &id, req.kind, &req.items, &req.reason),
    )
    .await
}

/// `GET /v1/returns`: the customer's returns and exchanges.
#[utoipa::path(get, path = "/v1/returns", tag = "orders", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront")), responses((status = 200, description = "The customer's returns and exchanges", body = Vec<ReturnRequest>), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn returns(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
) -> Result<Response, ApiError> {
    Ok(read(&state, move |o| o.returns(&customer))
        .await?
        .into_response())
}

/// `POST /v1/orders/{id}/reorder`: puts a past order's lines in the cart again.
#[utoipa::path(post, path = "/v1/orders/{id}/reorder", tag = "orders", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response (1 to 255 characters)"), ("id" = String, Path)), responses((status = 200, description = "The cart with the order's lines again, and what changed since", body = Reorder), (status = 404, description = "No such order", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn reorder(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let c = customer.clone();
    mutate(
        &state,
        customer,
        &headers,
        "order.reorder",
        json!({"order_id": id}),
        StatusCode::OK,
        move |o| o.reorder(&c, &id),
    )
    .await
}

/// `GET /v1/reminders`: consumables due again.
#[utoipa::path(get, path = "/v1/reminders", tag = "orders", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront")), responses((status = 200, description = "Consumables due again", body = Vec<Reminder>), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn reminders(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
) -> Result<Response, ApiError> {
    Ok(read(&state, move |o| o.reminders(&customer))
        .await?
        .into_response())
}

/// `POST /v1/feedback`: a rating (1–5) or an NPS (0–10), with an optional comment.
#[utoipa::path(post, path = "/v1/feedback", tag = "orders", params(("X-Customer-Id" = String, Header, description = "The signed-in customer, asserted by the storefront"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response (1 to 255 characters)")), request_body = Feedback, responses((status = 201, description = "Recorded"), (status = 422, description = "Score out of range", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn feedback(
    State(state): State<AppState>,
    CustomerId(customer): CustomerId,
    headers: HeaderMap,
    b: Result<Json<Feedback>, JsonRejection>,
) -> Result<Response, ApiError> {
    let fb = body(b)?;
    let request = json!(fb);
    let c = customer.clone();
    mutate(
        &state,
        customer,
        &headers,
        "feedback",
        request,
        StatusCode::CREATED,
        move |o| {
            o.feedback(Some(&c), None, &fb)
                .map(|()| json!({"recorded": true}))
        },
    )
    .await
}

// ---- admin -------------------------------------------------------------------------

/// `GET /v1/admin/orders`: every order, filtered by customer and status.
#[utoipa::path(get, path = "/v1/admin/orders", tag = "admin", params(ListParams), responses((status = 200, description = "Orders, newest first", body = Vec<Order>), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn admin_list_orders(
    State(state): State<AppState>,
    q: Result<Query<ListParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let params = query(q)?;
    let customer = params.customer_id.clone();
    let filter = params.filter(customer)?;
    Ok(read(&state, move |o| o.list_orders(&filter))
        .await?
        .into_response())
}

/// `POST /v1/admin/orders/{id}/status`: confirmed, shipped (with tracking), delivered.
#[utoipa::path(post, path = "/v1/admin/orders/{id}/status", tag = "admin", params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response (1 to 255 characters)"), ("id" = String, Path)), request_body = StatusUpdate, responses((status = 200, description = "The order with its new status", body = Order), (status = 404, description = "No such order", body = ErrorBody), (status = 409, description = "Not a allowed transition", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn admin_set_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    b: Result<Json<StatusUpdate>, JsonRejection>,
) -> Result<Response, ApiError> {
    let update = body(b)?;
    let request = json!({"order_id": id, "update": update});
    mutate(
        &state,
        SHOP_OWNER.into(),
        &headers,
        "admin.order.status",
        request,
        StatusCode::OK,
        move |o| o.set_order_status(&id, &update),
    )
    .await
}

/// The body of `POST /v1/admin/stock`.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockBody {
    pub product_id: String,
    pub variant_id: String,
    /// Units to add (negative to remove; stock never goes below 0).
    pub delta: i64,
}

/// `POST /v1/admin/stock`: changes a variant's stock; answers the new level.
#[utoipa::path(post, path = "/v1/admin/stock", tag = "admin", params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry answer the first response (1 to 255 characters)")), request_body = StockBody, responses((status = 200, description = "The variant's new stock"), (status = 404, description = "No such product or variant", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn admin_stock(
    State(state): State<AppState>,
    headers: HeaderMap,
    b: Result<Json<StockBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let req = body(b)?;
    let request = json!(req);
    mutate(
        &state,
        SHOP_OWNER.into(),
        &headers,
        "admin.stock",
        request,
        StatusCode::OK,
        move |o| {
            o.adjust_stock(&req.product_id, &req.variant_id, req.delta)
                .map(|stock| json!({"product_id": req.product_id, "variant_id": req.variant_id, "stock": stock}))
        },
    )
    .await
}
