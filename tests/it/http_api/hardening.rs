//! Issue 16: what a cross-site page, a hostile client and a restart could do, each
//! defect answered by a test that failed before the fix (black-box over HTTP where the
//! defect was an HTTP one).

use super::*;

/// Places an order of one unit of `(product, variant)` for `customer` over HTTP;
/// returns the order id.
async fn place_order(
    c: &Client,
    url: &str,
    customer: &str,
    product: &str,
    variant: &str,
) -> String {
    let r = c
        .post(format!("{url}/v1/cart/items"))
        .header("X-Customer-Id", customer)
        .json(&json!({"product_id": product, "variant_id": variant, "quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let proposal: Value = c
        .post(format!("{url}/v1/checkout"))
        .header("X-Customer-Id", customer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let placed = c
        .post(format!("{url}/v1/checkout/confirm"))
        .header("X-Customer-Id", customer)
        .header("Idempotency-Key", format!("confirm-{customer}-{product}"))
        .json(&json!({"token": proposal["token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(placed.status(), 201, "{}", placed.text().await.unwrap());
    placed.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn get_json(c: &Client, url: &str, customer: Option<&str>) -> (StatusCode, Value) {
    let mut r = c.get(url);
    if let Some(id) = customer {
        r = r.header("X-Customer-Id", id);
    }
    let r = r.send().await.unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

const SHOP_CATALOGUE: &str = r#"{"id":"SHOP-1","title":"Werkstatt Akkuschrauber Pro","category":["Werkzeug"],"price":8999,"currency":"EUR","variants":[{"id":"SHOP-1","stock":5}]}
{"id":"SHOP-2","title":"Werkstatt Bohrerset","category":["Werkzeug"],"price":1999,"currency":"EUR","variants":[{"id":"SHOP-2","stock":5}]}
"#;

/// 1 and 2: a shop's own catalogue is never replaced by the demo; a product orders
/// refer to is archived, not deleted, and its order can still be cancelled.
#[tokio::test]
async fn the_demo_never_replaces_a_shops_catalogue_and_ordered_products_are_archived() {
    let cfg = config(no_model(), "");
    // What `shopassist index shop.jsonl` does before the first `serve`.
    {
        let (shop, _) = shopassist::shop::Shop::open(&cfg.data_dir).unwrap();
        shop.import_text(
            SHOP_CATALOGUE,
            shopassist::catalog::import::Format::Jsonl,
            &Default::default(),
        )
        .unwrap();
    }
    let (url, stop) = start(cfg.clone()).await;
    let c = Client::new();
    wait_for_catalogue(&c, &url, None).await;
    let (_, hits) = get_json(&c, &format!("{url}/v1/products/search?q=werkstatt"), None).await;
    assert_eq!(hits["products"].as_array().unwrap().len(), 2, "{hits}");
    let (status, _) = get_json(&c, &format!("{url}/v1/products/P00001"), None).await;
    assert_eq!(status, 404, "the demo catalogue was loaded over the shop's");

    // Order SHOP-1, then the shop deletes it: hidden, but the order stands.
    let order = place_order(&c, &url, "kim", "SHOP-1", "SHOP-1").await;
    let r = c
        .delete(format!("{url}/v1/catalog/products/SHOP-1"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let (status, _) = get_json(&c, &format!("{url}/v1/products/SHOP-1"), None).await;
    assert_eq!(status, 404, "an archived product is not served");
    let (_, hits) = get_json(
        &c,
        &format!("{url}/v1/products/search?q=akkuschrauber"),
        None,
    )
    .await;
    assert!(
        hits["products"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != "SHOP-1"),
        "{hits}"
    );
    let (status, o) = get_json(&c, &format!("{url}/v1/orders/{order}"), Some("kim")).await;
    assert_eq!(status, 200);
    assert_eq!(o["items"][0]["product_id"], "SHOP-1");
    // A shopper cannot put the archived product back into a cart.
    let r = c
        .post(format!("{url}/v1/cart/items"))
        .header("X-Customer-Id", "lee")
        .json(&json!({"product_id": "SHOP-1", "variant_id": "SHOP-1", "quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::NOT_FOUND, "unknown_product".into())
    );
    let r = c
        .post(format!("{url}/v1/orders/{order}/cancel"))
        .header("X-Customer-Id", "kim")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        200,
        "cancel after the product left the catalogue"
    );
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "cancelled");
    let _ = stop.send(());

    // A restart without --catalog serves the stored catalogue as it was.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (url, _stop) = start(cfg.clone()).await;
    wait_for_catalogue(&c, &url, None).await;
    let (_, hits) = get_json(&c, &format!("{url}/v1/products/search?q=werkstatt"), None).await;
    let ids: Vec<&str> = hits["products"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert_eq!(ids, ["SHOP-2"], "{hits}");
    let (status, _) = get_json(&c, &format!("{url}/v1/products/P00001"), None).await;
    assert_eq!(status, 404);
}

/// 3: open mode refuses a foreign web page (Origin), DNS rebinding (Host) and
/// non-JSON bodies on JSON routes; configured storefront origins get CORS.
#[tokio::test]
async fn open_mode_refuses_cross_site_pages_and_rebound_hosts() {
    let mut cfg = config(no_model(), "");
    cfg.allowed_origins = vec!["https://shop.example".into()];
    let (url, _stop) = start(cfg).await;
    let c = Client::new();
    wait_for_catalogue(&c, &url, None).await;
    let (id, _, _) = in_stock(&c, &url, "jacke").await;
    // The product's own price (a hit's is its chosen variant's, which may differ).
    let (_, before) = get_json(&c, &format!("{url}/v1/products/{id}"), None).await;
    let price = before["price"].clone();

    // A page on evil.example posts a price change as text/plain (no preflight).
    let feed = format!(
        r#"{{"id":"{id}","title":"Billig","price":1,"currency":"EUR","variants":[{{"id":"{id}","stock":1}}]}}"#
    );
    let r = c
        .post(format!("{url}/v1/catalog/import?format=jsonl"))
        .header("Content-Type", "text/plain")
        .header("Origin", "http://evil.example")
        .body(feed.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::FORBIDDEN, "origin_not_allowed".into())
    );
    let (_, p) = get_json(&c, &format!("{url}/v1/products/{id}"), None).await;
    assert_eq!(p["price"], price, "the price changed");
    // An opaque origin (a sandboxed frame) is foreign too; so is a GET a page made.
    let r = c
        .post(format!("{url}/v1/checkout"))
        .header("X-Customer-Id", "kim")
        .header("Origin", "null")
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(r).await.1, "origin_not_allowed");
    let r = c
        .get(format!("{url}/v1/admin/orders"))
        .header("Sec-Fetch-Site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(r).await.1, "origin_not_allowed");
    // DNS rebinding: the browser thinks it talks to attacker.example.
    let r = c
        .get(format!("{url}/v1/admin/orders"))
        .header("Host", "attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::FORBIDDEN, "host_not_allowed".into())
    );
    // JSON routes take JSON only.
    let r = c
        .post(format!("{url}/v1/assist"))
        .header("Content-Type", "text/plain")
        .body(r#"{"text":"jacke"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type".into()
        )
    );

    // What is allowed: the daemon's own pages, listed storefronts, tools without Origin.
    let own = url.clone();
    let r = c
        .post(format!("{url}/v1/assist"))
        .header("Origin", own)
        .json(&json!({"text": "jacke"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .get(format!("{url}/v1/products/search?q=jacke"))
        .header("Host", "localhost")
        .header("Origin", "https://shop.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let pre = c
        .request(reqwest::Method::OPTIONS, format!("{url}/v1/assist"))
        .header("Origin", "https://shop.example")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "content-type,x-customer-id",
        )
        .send()
        .await
        .unwrap();
    assert!(pre.status().is_success(), "{}", pre.status());
    assert_eq!(
        pre.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let pre = c
        .request(reqwest::Method::OPTIONS, format!("{url}/v1/assist"))
        .header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert!(pre.headers().get("access-control-allow-origin").is_none());
}

/// 4: made-up methods and paths never become new metric series.
#[tokio::test]
async fn metrics_labels_come_from_closed_sets() {
    let (url, _stop, c) = open_server().await;
    for i in 0..200 {
        let m = reqwest::Method::from_bytes(format!("XM{i}").as_bytes()).unwrap();
        let _ = c.request(m, format!("{url}/healthz")).send().await.unwrap();
        let _ = c
            .get(format!("{url}/no/such/path/{i}"))
            .send()
            .await
            .unwrap();
    }
    let text = c
        .get(format!("{url}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!text.contains("XM1"), "a made-up method became a label");
    assert!(!text.contains("/no/such/path"), "a raw path became a label");
    assert!(text.contains(r#"method="other""#), "{text}");
    assert!(text.contains(r#"route="unmatched""#));
    assert!(text.len() < 200_000, "/metrics is {} bytes", text.len());
}

/// 5: prices above the cap are refused at import, and order arithmetic is checked
/// for what was stored before the cap.
#[tokio::test]
async fn money_never_overflows() {
    let cfg = config(no_model(), "");
    let huge = 5_000_000_000_000_000_000i64;
    // A row stored before the cap existed (written straight into the database).
    {
        let mut store =
            shopassist::store::Store::open(&cfg.data_dir.join("shopassist.sqlite3")).unwrap();
        let p: shopassist::catalog::Product = serde_json::from_value(json!({
            "id": "GOLD", "title": "Goldbarren", "price": huge, "currency": "EUR",
            "variants": [{"id": "GOLD", "stock": 10}]
        }))
        .unwrap();
        store.apply_catalog_changes(&[p], &[]).unwrap();
    }
    let (url, _stop) = start(cfg).await;
    let c = Client::new();
    wait_for_catalogue(&c, &url, None).await;
    let r = c
        .post(format!("{url}/v1/cart/items"))
        .header("X-Customer-Id", "kim")
        .json(&json!({"product_id": "GOLD", "variant_id": "GOLD", "quantity": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount_out_of_range".into()
        )
    );
    let r = c
        .post(format!("{url}/v1/checkout"))
        .header("X-Customer-Id", "kim")
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 201);
    let (_, orders) = get_json(&c, &format!("{url}/v1/orders"), Some("kim")).await;
    assert_eq!(orders.as_array().map(Vec::len).unwrap_or(0), 0, "{orders}");

    // The import refuses such a price, names the row, and keeps the rest.
    let feed = format!(
        "{}\n{}\n",
        json!({"id": "X1", "title": "Teuer", "price": huge, "currency": "EUR"}),
        json!({"id": "X2", "title": "Normal", "price": 999, "currency": "EUR"})
    );
    let report: Value = c
        .post(format!("{url}/v1/catalog/import?format=jsonl"))
        .header("Content-Type", "application/x-ndjson")
        .body(feed)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["imported"], 1, "{report}");
    assert_eq!(report["errors"][0]["line"], 1, "{report}");
    assert!(report["errors"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("largest price"));
}

/// 6: a turn refused for its input has done nothing.
#[tokio::test]
async fn a_turn_answered_400_has_not_acted() {
    let (url, _stop, c) = open_server().await;
    let (id, variant, _) = in_stock(&c, &url, "jacke").await;
    let order = place_order(&c, &url, "cx", &id, &variant).await;
    let r = c
        .post(format!("{url}/v1/assist"))
        .json(&json!({
            "customer_id": "cx",
            "session_id": "s".repeat(300),
            "text": "Ich möchte meine Bestellung stornieren"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let (_, o) = get_json(&c, &format!("{url}/v1/orders/{order}"), Some("cx")).await;
    assert_eq!(
        o["status"], "placed",
        "the refused turn cancelled the order"
    );
}

/// 7: `anon:` and `shop:` ids are reserved at every entry point.
#[tokio::test]
async fn reserved_customer_ids_are_refused_everywhere() {
    let (url, _stop, c) = open_server().await;
    // A guest's session puts something in its cart.
    let out: Value = c
        .post(format!("{url}/v1/assist"))
        .json(&json!({"text": "Ich suche eine Regenjacke"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let session = out["session_id"].as_str().unwrap().to_string();
    for body in [
        json!({"customer_id": format!("anon:{session}"), "text": "zeig mir meinen Warenkorb"}),
        json!({"customer_id": "shop:orders", "text": "wo bleibt meine Bestellung"}),
    ] {
        let r = c
            .post(format!("{url}/v1/assist"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            code_of(r).await,
            (StatusCode::BAD_REQUEST, "invalid_customer_id".into())
        );
    }
    let r = c
        .post(format!("{url}/v1/chat/completions"))
        .json(&json!({"user": format!("anon:{session}"), "messages": [{"role": "user", "content": "mein Warenkorb"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::BAD_REQUEST, "invalid_customer_id".into())
    );
    let r = c
        .get(format!("{url}/v1/cart"))
        .header("X-Customer-Id", format!("anon:{session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

const SECRET: &str = "customer-token-secret-for-tests-0001";

/// 10: with `customer_auth = "signed"`, the public storefront key acts only as a
/// guest; a customer needs the token the shop's backend signed.
#[tokio::test]
async fn signed_customer_tokens_keep_a_public_key_from_acting_as_anyone() {
    let keys = format!("admin:{ADMIN},storefront:{STOREFRONT}");
    let mut cfg = config(no_model(), &keys);
    cfg.customer_auth = shopassist::config::CustomerAuth::Signed;
    cfg.customer_token_secret = SECRET.into();
    let (url, _stop) = start(cfg).await;
    let c = Client::new();
    wait_for_catalogue(&c, &url, Some(STOREFRONT)).await;
    let now = shopassist::customer_token::now_secs();
    let alice = shopassist::customer_token::mint(SECRET, "alice", now + 600);
    let orders = format!("{url}/v1/orders");

    // The key alone, naming alice: refused, on customer routes and in turns.
    let r = c
        .get(&orders)
        .bearer_auth(STOREFRONT)
        .header("X-Customer-Id", "alice")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::FORBIDDEN, "customer_token_required".into())
    );
    let r = c
        .post(format!("{url}/v1/assist"))
        .bearer_auth(STOREFRONT)
        .json(&json!({"customer_id": "alice", "text": "wo bleibt meine Bestellung"}))
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(r).await.1, "customer_token_required");
    // With alice's token: alice, and only alice.
    let r = c
        .get(&orders)
        .bearer_auth(STOREFRONT)
        .header("X-Customer-Token", &alice)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .get(&orders)
        .bearer_auth(STOREFRONT)
        .header("X-Customer-Token", &alice)
        .header("X-Customer-Id", "bob")
        .send()
        .await
        .unwrap();
    assert_eq!(
        code_of(r).await,
        (StatusCode::FORBIDDEN, "forbidden".into())
    );
    // Forged and expired tokens.
    let forged = alice.replace(".alice", ".bob");
    let expired = shopassist::customer_token::mint(SECRET, "alice", now - 1);
    for t in [forged, expired, "garbage".to_string()] {
        let r = c
            .get(&orders)
            .bearer_auth(STOREFRONT)
            .header("X-Customer-Token", t)
            .send()
            .await
            .unwrap();
        assert_eq!(
            code_of(r).await,
            (StatusCode::UNAUTHORIZED, "invalid_customer_token".into())
        );
    }
    // A guest id needs no token; the shop's backend (admin key) names anyone.
    let r = c
        .get(format!("{url}/v1/cart"))
        .bearer_auth(STOREFRONT)
        .header("X-Customer-Id", "guest-5f0c")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .get(&orders)
        .bearer_auth(ADMIN)
        .header("X-Customer-Id", "alice")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}
