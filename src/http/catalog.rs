//! Admin catalogue changes: batch upsert, delete, and import of a whole file in any
//! supported format. Each answers with the import report: a bad product is reported
//! with its position and the rest is still written.

use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::products::shop;
use super::ErrorBody;
use super::{blocking, ApiError, AppState, ErrorCode};
use crate::catalog::import::Format;
use crate::catalog::import::ImportReport;
use crate::catalog::Product;
use crate::shop::ShopError;

/// Largest file `POST /v1/catalog/import` takes. The one route above the 64 KiB body
/// limit: a catalogue is a file, not a message. Admin only.
pub const MAX_IMPORT: usize = 32 * 1024 * 1024;

/// Products in one `PUT /v1/catalog/products`.
pub const MAX_BATCH: usize = 1_000;

fn shop_error(e: ShopError) -> ApiError {
    match e {
        ShopError::Invalid { .. } | ShopError::Import(_) => {
            ApiError::new(ErrorCode::Domain("invalid_catalog"), e.to_string())
        }
        e => ApiError::new(ErrorCode::Internal, e.to_string()),
    }
}

/// `PUT /v1/catalog/products`: a JSON array of products (the JSONL importer's fields),
/// inserted or replaced. Line numbers in the report are positions in the array (1-based).
#[utoipa::path(put, path = "/v1/catalog/products", tag = "admin", request_body = Vec<Product>, responses((status = 200, description = "The import report: imported, and each rejected item with its position", body = ImportReport), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn upsert(
    State(state): State<AppState>,
    b: Result<Json<Vec<serde_json::Value>>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(items) = b?;
    if items.is_empty() || items.len() > MAX_BATCH {
        return Err(ApiError::new(
            ErrorCode::BadRequest,
            format!("send 1 to {MAX_BATCH} products"),
        ));
    }
    // One item a line, so the JSONL importer's per-row report names array positions.
    let text: String = items.iter().map(|v| format!("{v}\n")).collect();
    import(&state, text, Format::Jsonl).await
}

async fn import(state: &AppState, text: String, format: Format) -> Result<Response, ApiError> {
    let shop = shop(state)?;
    let opts = state.import.clone();
    let report = blocking(move || shop.import_text(&text, format, &opts))
        .await?
        .map_err(shop_error)?;
    Ok(Json(report).into_response())
}

/// `DELETE /v1/catalog/products/{id}`: 204, or 404 for an id not in the catalogue.
#[utoipa::path(delete, path = "/v1/catalog/products/{id}", tag = "admin", params(("id" = String, Path)), responses((status = 204, description = "Removed"), (status = 404, description = "No such product", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let shop = shop(&state)?;
    if shop.product(&id).is_none() {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("no product with id {id}"),
        ));
    }
    blocking(move || shop.apply(&[], &[id]))
        .await?
        .map_err(shop_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Query of `POST /v1/catalog/import`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// jsonl, csv, merchant_tsv, merchant_xml, shopify_csv or webshop; guessed from the
    /// content when absent.
    pub format: Option<String>,
}

/// Guesses the format of an uploaded file from its first bytes.
fn sniff(text: &str) -> Option<Format> {
    let head = text.trim_start();
    let name = if head.starts_with('{') {
        "x.jsonl"
    } else if head.starts_with('[') {
        "x.json"
    } else if head.starts_with('<') {
        "x.xml"
    } else if head.lines().next().is_some_and(|l| l.contains('\t')) {
        "x.tsv"
    } else {
        "x.csv"
    };
    Format::detect(std::path::Path::new(name), text)
}

/// `POST /v1/catalog/import?format=`: the body is the catalogue file; answers the
/// import report (rows read, imported, and each rejected row with its line).
#[utoipa::path(post, path = "/v1/catalog/import", tag = "admin", params(ImportParams), request_body(content = String, content_type = "text/plain", description = "The catalogue file (up to 32 MiB)"), responses((status = 200, description = "The import report", body = ImportReport), (status = 413, description = "Larger than 32 MiB", body = ErrorBody), (status = 400, description = "Bad request or customer id missing", body = ErrorBody), (status = 401, description = "No or unknown API key", body = ErrorBody), (status = 403, description = "Key of the wrong scope", body = ErrorBody), (status = 503, description = "Still loading", body = ErrorBody)), security(("api_key" = [])))]
pub async fn import_file(
    State(state): State<AppState>,
    q: Result<Query<ImportParams>, QueryRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Query(params) = q.map_err(|e| ApiError::new(ErrorCode::BadRequest, e.body_text()))?;
    let text = String::from_utf8(body.to_vec())
        .map_err(|e| ApiError::new(ErrorCode::BadRequest, format!("the file is not UTF-8: {e}")))?;
    if text.trim().is_empty() {
        return Err(ApiError::new(ErrorCode::BadRequest, "the file is empty"));
    }
    let format = match params.format.as_deref() {
        Some(name) => Format::from_name(name).ok_or_else(|| {
            ApiError::new(
                ErrorCode::BadRequest,
                format!("format `{name}`: use jsonl, csv, merchant_tsv, merchant_xml, shopify_csv or webshop"),
            )
        })?,
        None => sniff(&text).ok_or_else(|| {
            ApiError::new(
                ErrorCode::BadRequest,
                "cannot tell the file's format; name it with ?format=",
            )
        })?,
    };
    import(&state, text, format).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats_from_content() {
        assert_eq!(sniff("{\"id\":\"a\"}\n"), Some(Format::Jsonl));
        assert_eq!(
            sniff("<?xml version=\"1.0\"?><rss>"),
            Some(Format::MerchantXml)
        );
        assert_eq!(
            sniff("id\ttitle\tprice\n1\tx\t2 EUR\n"),
            Some(Format::MerchantTsv)
        );
        assert_eq!(
            sniff("Handle,Title,Variant Price\nx,y,1\n"),
            Some(Format::ShopifyCsv)
        );
        assert_eq!(sniff("id,title,price\n1,x,2\n"), Some(Format::Csv));
    }
}
