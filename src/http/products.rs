//! `GET /v1/products/search` and `GET /v1/products/{id}`: the catalogue over HTTP.
//! Answers as soon as the catalogue is open, before the model has loaded.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::ErrorBody;
use super::{ApiError, AppState, ErrorCode};
use crate::catalog::Product;
use crate::search::{Hit, SearchQuery, Sort};
use crate::shop::Shop;

/// Query parameters of a product search. Prices are integers in minor units (cents).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Free text.
    #[serde(default)]
    pub q: String,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// Colours, comma-separated, any language.
    pub color: Option<String>,
    /// Sizes, comma-separated.
    pub size: Option<String>,
    pub category: Option<String>,
    pub brand: Option<String>,
    #[serde(default)]
    pub in_stock: bool,
    #[serde(default)]
    pub sort: Sort,
    pub limit: Option<usize>,
    #[serde(default)]
    pub offset: usize,
}

/// A page of search results.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchAnswer {
    /// Facts from the catalogue, never from the model; each with the variant that
    /// satisfies the request and the reasons it was chosen.
    pub products: Vec<Hit>,
    pub total: usize,
}

const MAX_LIMIT: usize = 100;
const MAX_QUERY_CHARS: usize = 2_000;

pub(crate) fn shop(state: &AppState) -> Result<Arc<Shop>, ApiError> {
    state
        .shop
        .get()
        .cloned()
        .ok_or_else(|| ApiError::new(ErrorCode::NotReady, "the catalogue is still loading"))
}

fn list(s: Option<String>) -> Vec<String> {
    s.map(|s| {
        s.split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    })
    .unwrap_or_default()
}

impl SearchParams {
    fn into_query(self) -> Result<SearchQuery, ApiError> {
        let bad = |m: String| ApiError::new(ErrorCode::BadRequest, m);
        if self.q.chars().count() > MAX_QUERY_CHARS {
            return Err(bad(format!(
                "q is longer than {MAX_QUERY_CHARS} characters"
            )));
        }
        for (name, v) in [("price_min", self.price_min), ("price_max", self.price_max)] {
            if v.is_some_and(|p| p < 0) {
                return Err(bad(format!("{name} must not be negative")));
            }
        }
        if let (Some(lo), Some(hi)) = (self.price_min, self.price_max) {
            if lo > hi {
                return Err(bad("price_min is above price_max".into()));
            }
        }
        let limit = self.limit.unwrap_or(10);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(bad(format!("limit must be 1..={MAX_LIMIT}")));
        }
        if self.offset > 10_000 {
            return Err(bad("offset must be at most 10000".into()));
        }
        Ok(SearchQuery {
            text: self.q,
            category: self.category.filter(|c| !c.trim().is_empty()),
            price_min: self.price_min,
            price_max: self.price_max,
            colors: list(self.color),
            sizes: list(self.size),
            brand: self.brand.filter(|b| !b.trim().is_empty()),
            in_stock_only: self.in_stock,
            sort: self.sort,
            limit,
            offset: self.offset,
            ..Default::default()
        })
    }
}

/// `GET /v1/products/search`.
#[utoipa::path(get, path = "/v1/products/search", tag = "products", params(SearchParams), responses((status = 200, description = "A page of products with their chosen variants and reasons", body = SearchAnswer), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchAnswer>, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::new(ErrorCode::BadRequest, e.body_text()))?;
    let query = params.into_query()?;
    let shop = shop(&state)?;
    let results = tokio::task::spawn_blocking(move || shop.search(&query))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    Ok(Json(SearchAnswer {
        total: results.total,
        products: results.hits,
    }))
}

/// `GET /v1/products/{id}`: the whole product as the catalogue holds it.
#[utoipa::path(get, path = "/v1/products/{id}", tag = "products", params(("id" = String, Path)), responses((status = 200, description = "The product as the catalogue holds it", body = Product), (status = 404, description = "No such product", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Product>, ApiError> {
    let shop = shop(&state)?;
    shop.product(&id)
        .map(|p| Json((*p).clone()))
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no product with id {id}")))
}
