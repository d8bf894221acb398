//! The HTTP API on a real listener: authentication and scopes, customer isolation,
//! the cart-to-order cycle with idempotency keys, admin orders, stock and catalogue,
//! statistics and metrics, load shedding and deadlines, the OpenAPI document and the
//! pages.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shopassist::config::{parse_api_keys, Config, ModelChoice};
use shopassist::http::{self, AppState, TurnGate};

use crate::common;
mod hardening;

const ADMIN: &str = "admin-key-for-tests-0001";
const STOREFRONT: &str = "storefront-key-for-tests-01";

use common::{code_of, no_model, start, wait_for_catalogue};

fn config(model: ModelChoice, keys: &str) -> Config {
    Config {
        api_keys: parse_api_keys(keys).unwrap(),
        ..common::fresh_config(model)
    }
}

thread_local! {
    /// Set by the PostgreSQL runs of these tests (`on_postgres`): the database the
    /// open server keeps its store in instead of SQLite.
    static DATABASE_URL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The open server (no keys), rules only, once the catalogue answers.
async fn open_server() -> (String, tokio::sync::oneshot::Sender<()>, Client) {
    let (url, stop) = start(Config {
        database_url: DATABASE_URL.with(|u| u.borrow().clone()),
        ..config(no_model(), "")
    })
    .await;
    let c = Client::new();
    wait_for_catalogue(&c, &url, None).await;
    (url, stop, c)
}

/// A product with a variant of at least 3 units in stock, from a search.
async fn in_stock(c: &Client, url: &str, q: &str) -> (String, String, i64) {
    let v: Value = c
        .get(format!("{url}/v1/products/search"))
        .query(&[("q", q), ("in_stock", "true")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // One with a few units, so an order leaves some for a reorder.
    let hit = v["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["variant"]["stock"].as_u64().unwrap_or(0) >= 3)
        .unwrap_or_else(|| panic!("no product with 3 units in stock: {v}"));
    (
        hit["id"].as_str().unwrap().to_string(),
        hit["variant"]["id"].as_str().unwrap().to_string(),
        hit["price"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn keys_and_scopes_guard_the_routes() {
    let keys = format!("admin:{ADMIN},storefront:{STOREFRONT}");
    let (url, _stop) = start(config(no_model(), &keys)).await;
    let c = Client::new();
    wait_for_catalogue(&c, &url, Some(STOREFRONT)).await;

    // Health, the widget and the API description are open.
    for path in ["/healthz", "/", "/widget.js", "/openapi.json", "/docs"] {
        let r = c.get(format!("{url}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
    // No key, an unknown key: 401 in our format.
    let r = c
        .get(format!("{url}/v1/products/search?q=jacke"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::UNAUTHORIZED, "unauthorized".into())
    );
    let r = c
        .get(format!("{url}/v1/products/search?q=jacke"))
        .bearer_auth("admin-key-for-tests-0002")
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(r).await.0, StatusCode::UNAUTHORIZED);

    // The storefront key: shopper routes yes, admin routes 403.
    let r = c
        .get(format!("{url}/v1/products/search?q=jacke"))
        .bearer_auth(STOREFRONT)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .get(format!("{url}/v1/products/search?q=jacke"))
        .header("X-API-Key", STOREFRONT)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "X-API-Key works too");
    for (method, path) in [
        ("GET", "/v1/admin/orders"),
        ("GET", "/v1/stats"),
        ("GET", "/metrics"),
        ("DELETE", "/v1/catalog/products/P00001"),
        ("POST", "/v1/catalog/import"),
    ] {
        let r = c
            .request(method.parse().unwrap(), format!("{url}{path}"))
            .bearer_auth(STOREFRONT)
            .send()
            .await
            .unwrap();
        assert_eq!(
            code_of(r).await,
            (StatusCode::FORBIDDEN, "forbidden".into()),
            "{method} {path}"
        );
    }
    // The admin key: admin routes and shopper routes.
    let r = c
        .get(format!("{url}/v1/admin/orders"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .get(format!("{url}/v1/cart"))
        .bearer_auth(ADMIN)
        .header("X-Customer-Id", "c-1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn without_keys_the_daemon_refuses_a_public_address() {
    let listener = tokio::net::TcpListener::bind("0.0.0.0:0").await.unwrap();
    let r = shopassist::daemon::run_on(listener, config(no_model(), ""), async {}).await;
    let e = r.expect_err("must refuse").to_string();
    assert!(e.contains("without API keys"), "{e}");
}

#[tokio::test]
async fn cart_checkout_confirm_with_idempotency_and_customer_isolation() {
    let (url, _stop, c) = open_server().await;
    let (pid, vid, price) = in_stock(&c, &url, "regenjacke").await;
    let as_ = |who: &'static str| move |r: reqwest::RequestBuilder| r.header("X-Customer-Id", who);
    let anna = as_("anna");
    let ben = as_("ben");

    // A customer route without the customer: 400 customer_required.
    let r = c.get(format!("{url}/v1/cart")).send().await.unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::BAD_REQUEST, "customer_required".into())
    );
    // Reserved ids are refused, so no customer can reach an anonymous cart.
    let r = c
        .get(format!("{url}/v1/cart"))
        .header("X-Customer-Id", "anon:s_1")
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(r).await.1, "customer_required");

    // Bad JSON and bad UTF-8: 400 invalid_json, nothing written.
    let r = anna(c.post(format!("{url}/v1/cart/items")))
        .header("content-type", "application/json")
        .body("{\"product_id\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::BAD_REQUEST, "invalid_json".into())
    );
    let r = anna(c.post(format!("{url}/v1/cart/items")))
        .header("content-type", "application/json")
        .body(b"{\"product_id\": \"\xff\xfe\"}".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(r).await.0, StatusCode::BAD_REQUEST);

    // The same add sent twice under one key: the retry is the first answer again.
    let add = json!({"product_id": pid, "variant_id": vid, "quantity": 2});
    let first = anna(c.post(format!("{url}/v1/cart/items")))
        .header("Idempotency-Key", "add-1")
        .json(&add)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 200);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let cart: Value = first.json().await.unwrap();
    let retry = anna(c.post(format!("{url}/v1/cart/items")))
        .header("Idempotency-Key", "add-1")
        .json(&add)
        .send()
        .await
        .unwrap();
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(retry.json::<Value>().await.unwrap(), cart);
    let now: Value = anna(c.get(format!("{url}/v1/cart")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(now["items"][0]["quantity"], 2, "the retry added nothing");
    assert_eq!(now["total"], price * 2);

    // Ben's cart is his own.
    let bens: Value = ben(c.get(format!("{url}/v1/cart")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bens["items"].as_array().unwrap().len(), 0);

    // Checkout proposes; confirm needs a key, places once, replays the retry.
    let proposal: Value = anna(c.post(format!("{url}/v1/checkout")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = proposal["token"].as_str().unwrap().to_string();
    assert_eq!(proposal["total"], price * 2);
    let r = anna(c.post(format!("{url}/v1/checkout/confirm")))
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "confirm without an Idempotency-Key");
    let placed = anna(c.post(format!("{url}/v1/checkout/confirm")))
        .header("Idempotency-Key", "confirm-1")
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(placed.status(), 201);
    let order: Value = placed.json().await.unwrap();
    let order_id = order["id"].as_str().unwrap().to_string();
    let again = anna(c.post(format!("{url}/v1/checkout/confirm")))
        .header("Idempotency-Key", "confirm-1")
        .json(&json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(
        again.json::<Value>().await.unwrap()["id"],
        order_id.as_str()
    );
    let reused = anna(c.post(format!("{url}/v1/checkout/confirm")))
        .header("Idempotency-Key", "confirm-1")
        .json(&json!({ "token": "another" }))
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(reused).await.1, "idempotency_key_reused");

    let orders: Value = anna(c.get(format!("{url}/v1/orders")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(orders.as_array().unwrap().len(), 1, "one order, not two");

    // Ben sees neither the order nor can he cancel it.
    let r = ben(c.get(format!("{url}/v1/orders/{order_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::NOT_FOUND, "unknown_order".into())
    );
    let r = ben(c.post(format!("{url}/v1/orders/{order_id}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let bens: Value = ben(c.get(format!("{url}/v1/orders")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(bens.as_array().unwrap().len(), 0);
    let r = ben(c.get(format!("{url}/v1/orders?customer_id=anna")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "a storefront cannot list another customer");
}

#[tokio::test]
async fn admin_moves_orders_and_stock_and_the_shopper_returns_and_reorders() {
    let (url, _stop, c) = open_server().await;
    let (pid, vid, _) = in_stock(&c, &url, "regenjacke").await;
    let cust = |r: reqwest::RequestBuilder| r.header("X-Customer-Id", "carla");
    cust(c.post(format!("{url}/v1/cart/items")))
        .json(&json!({"product_id": pid, "variant_id": vid}))
        .send()
        .await
        .unwrap();
    let p: Value = cust(c.post(format!("{url}/v1/checkout")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let order: Value = cust(c.post(format!("{url}/v1/checkout/confirm")))
        .header("Idempotency-Key", "k1")
        .json(&json!({"token": p["token"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = order["id"].as_str().unwrap().to_string();

    // The shop sees it among all orders, filtered by customer.
    let all: Value = c
        .get(format!("{url}/v1/admin/orders?customer_id=carla"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all[0]["id"], id.as_str());

    for update in [
        json!({"status": "confirmed"}),
        json!({"status": "shipped", "tracking_number": "DHL-123"}),
    ] {
        let r = c
            .post(format!("{url}/v1/admin/orders/{id}/status"))
            .json(&update)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{update}");
    }
    let seen: Value = cust(c.get(format!("{url}/v1/orders/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(seen["status"], "shipped");
    assert_eq!(seen["tracking"], "DHL-123");
    // Shipped orders cannot be cancelled; returns wait for delivery.
    let r = cust(c.post(format!("{url}/v1/orders/{id}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::CONFLICT, "invalid_transition".into())
    );
    let ret =
        json!({"kind": "return", "items": [{"line": 1, "quantity": 1}], "reason": "zu klein"});
    let r = cust(c.post(format!("{url}/v1/orders/{id}/returns")))
        .json(&ret)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "not delivered yet");

    c.post(format!("{url}/v1/admin/orders/{id}/status"))
        .json(&json!({"status": "delivered"}))
        .send()
        .await
        .unwrap();
    let r = cust(c.post(format!("{url}/v1/orders/{id}/returns")))
        .json(&ret)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let returns: Value = cust(c.get(format!("{url}/v1/returns")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(returns[0]["order_id"], id.as_str());
    assert_eq!(returns[0]["reason"], "zu klein");

    // Reorder puts the line in the cart again.
    let re: Value = cust(c.post(format!("{url}/v1/orders/{id}/reorder")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(re["cart"]["items"][0]["variant_id"], vid.as_str());

    // Feedback: in range recorded, out of range refused.
    let r = cust(c.post(format!("{url}/v1/feedback")))
        .json(&json!({"kind": "rating", "score": 5, "comment": "prima"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = cust(c.post(format!("{url}/v1/feedback")))
        .json(&json!({"kind": "rating", "score": 9}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = cust(c.get(format!("{url}/v1/reminders")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // Stock: the shop empties the variant; adding it is refused, searching in stock
    // no longer shows it with that variant.
    let r: Value = c
        .post(format!("{url}/v1/admin/stock"))
        .json(&json!({"product_id": pid, "variant_id": vid, "delta": -100000}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["stock"], 0);
    let r = c
        .post(format!("{url}/v1/cart/items"))
        .header("X-Customer-Id", "dora")
        .json(&json!({"product_id": pid, "variant_id": vid}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::CONFLICT, "out_of_stock".into())
    );
    let r = c
        .post(format!("{url}/v1/admin/orders/nope/status"))
        .json(&json!({"status": "delivered"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn the_catalogue_is_changed_over_http_with_a_report() {
    let (url, _stop, c) = open_server().await;
    let good = json!({"id": "T-1", "title": "Testschirm Orkan", "price": 2599, "currency": "EUR",
                      "variants": [{"id": "T-1-V", "stock": 3}]});
    let bad = json!({"id": "T-2", "title": "Ohne Preis", "currency": "EUR"});
    let r = c
        .put(format!("{url}/v1/catalog/products"))
        .json(&json!([good, bad]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["imported"], 1, "{report}");
    assert_eq!(report["errors"][0]["line"], 2, "the bad item's position");
    let p: Value = c
        .get(format!("{url}/v1/products/T-1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(p["price"], 2599);
    let hits: Value = c
        .get(format!("{url}/v1/products/search?q=testschirm"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(hits["products"][0]["id"], "T-1");

    let r = c
        .delete(format!("{url}/v1/catalog/products/T-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = c
        .get(format!("{url}/v1/products/T-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = c
        .delete(format!("{url}/v1/catalog/products/T-1"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::NOT_FOUND, "not_found".into())
    );

    // A whole file, format guessed: CSV with one bad row among good ones.
    let csv = "id,title,price,currency,stock\nC-1,Kaffeebecher Emaille,12.99,EUR,5\nC-2,,1.00,EUR,1\nC-3,Teekanne Glas,24.50,EUR,2\n";
    let r = c
        .post(format!("{url}/v1/catalog/import"))
        .body(csv)
        .send()
        .await
        .unwrap();
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["format"], "csv", "{report}");
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["errors"][0]["line"], 3, "{report}");
    let r = c
        .post(format!("{url}/v1/catalog/import?format=yaml"))
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(r).await.0, StatusCode::BAD_REQUEST);
    // Larger than 64 KiB is fine here (a catalogue is a file), unlike everywhere else.
    let mut big = String::from("id,title,price,currency,stock\n");
    for i in 0..3000 {
        big.push_str(&format!("B-{i},Notizbuch Nummer {i},{},EUR,1\n", 100 + i));
    }
    assert!(big.len() > 64 * 1024);
    let r = c
        .post(format!("{url}/v1/catalog/import?format=csv"))
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["imported"], 3000);
}

#[tokio::test]
async fn stats_and_metrics_count_turns_orders_and_requests() {
    let (url, _stop) = start(config(ModelChoice::Path(common::test_model()), "")).await;
    let c = Client::new();
    wait_for_catalogue(&c, &url, None).await;
    let mut session = Value::Null;
    for text in ["ich suche eine regenjacke", "unter 200 euro"] {
        let v: Value = c
            .post(format!("{url}/v1/assist"))
            .json(&json!({"text": text, "session_id": session}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        session = v["session_id"].clone();
    }
    let s: Value = c
        .get(format!("{url}/v1/stats"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["sessions"], 1, "{s}");
    assert_eq!(s["turns"], 2, "{s}");
    assert_eq!(s["sessions_with_search"], 1, "{s}");
    assert_eq!(s["conversion_rate"], 0.0, "{s}");
    assert!(
        s["latency"]["search"]["turns"].as_u64().unwrap() >= 1,
        "{s}"
    );
    // A window before any of it is empty.
    let s: Value = c
        .get(format!("{url}/v1/stats?from=0&to=1000"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["turns"], 0);
    assert_eq!(s["conversion_rate"], Value::Null);
    let r = c
        .get(format!("{url}/v1/stats?from=5&to=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = c
        .get(format!("{url}/v1/stats?to=-9223372036854775808"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let m = c
        .get(format!("{url}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        m.contains(
            "shopassist_http_requests_total{route=\"/v1/assist\",method=\"POST\",status=\"200\"}"
        ),
        "{m}"
    );
    assert!(m.contains("shopassist_catalog_products "), "{m}");
    assert!(m.contains("shopassist_index_bytes "), "{m}");
    assert!(m.contains("shopassist_turns_in_flight "), "{m}");
}

/// A daemon state with the demo catalogue and the rules-only assistant, for tests that
/// need to hold the turn gate themselves.
fn rules_only_state(gate: TurnGate) -> AppState {
    let dir = tempfile::tempdir().unwrap().keep();
    let cfg = Config {
        data_dir: dir.join("data"),
        semantic: shopassist::config::EmbedChoice::Off,
        ..Config::default()
    };
    let shop = Arc::new(shopassist::app::open_shop(&cfg).unwrap());
    let assistant = Arc::new(shopassist::app::assistant(&cfg, shop.clone()));
    let orders = assistant.orders.clone();
    let state = AppState {
        turns: gate,
        ..AppState::default()
    };
    let _ = state.assistant.set(assistant);
    let _ = state.orders.set(orders);
    let _ = state.shop.set(shop);
    state
}

async fn serve(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(http::serve(
        listener,
        http::app(state),
        std::future::pending::<()>(),
    ));
    url
}

#[tokio::test]
async fn a_full_turn_gate_sheds_at_once_while_search_and_health_answer() {
    let gate = TurnGate::new(1, Duration::from_secs(30));
    let url = serve(rules_only_state(gate.clone())).await;
    let c = Client::new();
    let held = gate.try_enter().unwrap();

    for (path, body) in [
        ("/v1/assist", json!({"text": "regenjacke"})),
        (
            "/v1/chat/completions",
            json!({"messages": [{"role": "user", "content": "regenjacke"}]}),
        ),
    ] {
        let r = c
            .post(format!("{url}{path}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["retry-after"], "1", "{path}");
        assert_eq!(
            code_of(r).await,
            (StatusCode::SERVICE_UNAVAILABLE, "overloaded".into()),
            "{path}"
        );
    }
    let r = c
        .post(format!("{url}/v1/assist"))
        .header("accept", "text/event-stream")
        .json(&json!({"text": "regenjacke"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        503,
        "a streamed turn is refused before it streams"
    );
    // What needs no turn place still answers.
    let r = c.get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .get(format!("{url}/v1/products/search?q=regenjacke"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    drop(held);
    let r = c
        .post(format!("{url}/v1/assist"))
        .json(&json!({"text": "regenjacke"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(gate.in_flight(), 0, "the place is given back");
}

#[tokio::test]
async fn a_turn_past_its_deadline_is_503_with_retry_after() {
    let gate = TurnGate::new(4, Duration::ZERO);
    let url = serve(rules_only_state(gate)).await;
    let r = Client::new()
        .post(format!("{url}/v1/assist"))
        .json(&json!({"text": "ich suche eine regenjacke"}))
        .send()
        .await
        .unwrap();
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(
        code_of(r).await,
        (StatusCode::SERVICE_UNAVAILABLE, "deadline_exceeded".into())
    );
}

#[tokio::test]
async fn openapi_describes_every_route_and_the_pages_are_served() {
    let (url, _stop, c) = open_server().await;
    let spec: Value = c
        .get(format!("{url}/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    for (path, method) in [
        ("/v1/assist", "post"),
        ("/v1/chat/completions", "post"),
        ("/v1/models", "get"),
        ("/v1/products/search", "get"),
        ("/v1/products/{id}", "get"),
        ("/v1/cart", "get"),
        ("/v1/cart/items", "post"),
        ("/v1/cart/items", "patch"),
        ("/v1/cart/items/{product_id}/{variant_id}", "delete"),
        ("/v1/checkout", "post"),
        ("/v1/checkout/confirm", "post"),
        ("/v1/orders", "get"),
        ("/v1/orders/{id}", "get"),
        ("/v1/orders/{id}/cancel", "post"),
        ("/v1/orders/{id}/returns", "post"),
        ("/v1/orders/{id}/reorder", "post"),
        ("/v1/returns", "get"),
        ("/v1/reminders", "get"),
        ("/v1/feedback", "post"),
        ("/v1/admin/orders", "get"),
        ("/v1/admin/orders/{id}/status", "post"),
        ("/v1/admin/stock", "post"),
        ("/v1/catalog/products", "put"),
        ("/v1/catalog/products/{id}", "delete"),
        ("/v1/catalog/import", "post"),
        ("/v1/stats", "get"),
        ("/metrics", "get"),
    ] {
        assert!(
            spec["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
    // Every referenced schema exists.
    let text = spec.to_string();
    for r in text.split("\"#/components/schemas/").skip(1) {
        let name = &r[..r.find('"').unwrap()];
        assert!(
            spec["components"]["schemas"][name].is_object(),
            "dangling reference to {name}"
        );
    }

    let page = c.get(format!("{url}/")).send().await.unwrap();
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("<script src=\"/widget.js\""));
    let js = c.get(format!("{url}/widget.js")).send().await.unwrap();
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert!(js.text().await.unwrap().contains("/v1/assist"));
    let docs = c
        .get(format!("{url}/docs"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(docs.contains("/openapi.json"));
}

/// The order and catalogue tests over HTTP above, run again with the store in
/// PostgreSQL: the same answers from both back-ends.
mod on_postgres {
    macro_rules! again_on_postgres {
        ($($name:ident),* $(,)?) => {$(
            #[test]
            fn $name() {
                let Some(db) = crate::common::pg::database() else { return };
                super::DATABASE_URL.with(|u| *u.borrow_mut() = Some(db.url.clone()));
                super::$name();
                super::DATABASE_URL.with(|u| *u.borrow_mut() = None);
            }
        )*};
    }

    again_on_postgres!(
        cart_checkout_confirm_with_idempotency_and_customer_isolation,
        admin_moves_orders_and_stock_and_the_shopper_returns_and_reorders,
        the_catalogue_is_changed_over_http_with_a_report,
    );
}
