//! The pages: the chat widget at `/` (and its script at `/widget.js`, embeddable by a
//! shop with one script tag), the API reference at `/docs`, and `/openapi.json`,
//! generated from the handlers' and types' own definitions by utoipa.

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use utoipa::OpenApi;

/// The widget's script: plain JavaScript, no build step.
pub const WIDGET_JS: &str = include_str!("../../web/widget.js");
/// A page with the widget on it, as a shop would embed it.
pub const WIDGET_PAGE: &str = include_str!("../../web/index.html");
/// The API reference page; renders `/openapi.json` in the browser.
pub const DOCS_PAGE: &str = include_str!("../../web/docs.html");

/// `GET /`.
pub async fn widget_page() -> Html<&'static str> {
    Html(WIDGET_PAGE)
}

/// `GET /widget.js`.
pub async fn widget_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        WIDGET_JS,
    )
        .into_response()
}

/// `GET /docs`.
pub async fn docs_page() -> Html<&'static str> {
    Html(DOCS_PAGE)
}

/// `GET /openapi.json`.
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "shopassist",
        description = "A local shopping assistant: catalogue search, conversation turns and order actions. Errors are always `{\"error\":{\"code\",\"message\"}}` with the stable codes of the README."
    ),
    paths(
        super::assist::assist,
        super::openai::completions,
        super::openai::models,
        super::products::search,
        super::products::get,
        super::orders::cart,
        super::orders::add_item,
        super::orders::set_item,
        super::orders::remove_item,
        super::orders::checkout,
        super::orders::confirm,
        super::orders::list_orders,
        super::orders::get_order,
        super::orders::cancel,
        super::orders::request_return,
        super::orders::returns,
        super::orders::reorder,
        super::orders::reminders,
        super::orders::feedback,
        super::orders::admin_list_orders,
        super::orders::admin_set_status,
        super::orders::admin_stock,
        super::catalog::upsert,
        super::catalog::delete,
        super::catalog::import_file,
        super::metrics::stats,
        super::metrics::metrics,
    ),
    components(schemas(super::ErrorBody, crate::search::Sort, crate::orders::OrderStatus)),
    modifiers(&Security)
)]
pub struct ApiDoc;

/// API keys travel as `Authorization: Bearer <key>`.
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
