//! The daemon's HTTP skeleton on a real listener: health, readiness, JSON errors,
//! request ids, graceful shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use shopassist::config::{Config, ModelChoice};

use crate::common;

/// Starts the daemon in-process on an ephemeral port; returns its base URL and a
/// handle that stops it.
use common::{start, wait_for_catalogue};

fn config_with_model(model: ModelChoice) -> Config {
    common::fresh_config(model)
}

async fn error_code(resp: reqwest::Response) -> String {
    common::code_of(resp).await.1
}

#[tokio::test]
async fn healthz_answers_while_readyz_names_the_missing_model() {
    let (url, _stop) = start(config_with_model(ModelChoice::Path(
        "/nonexistent/m.gguf".into(),
    )))
    .await;
    let c = reqwest::Client::new();
    let r = c.get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);

    // The model can never load: readyz stays 503 and says why.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = c.get(format!("{url}/readyz")).send().await.unwrap();
        assert_eq!(r.status(), 503);
        assert!(r.headers().contains_key("retry-after"));
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "not_ready");
        let msg = v["error"]["message"].as_str().unwrap();
        if msg.contains("failed") {
            assert!(msg.contains("/nonexistent/m.gguf"), "{msg}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "model never reported failure: {msg}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn readyz_turns_200_once_the_model_is_loaded() {
    let model = common::test_model();
    let (url, _stop) = start(config_with_model(ModelChoice::Path(model))).await;
    let c = reqwest::Client::new();
    // Loaded and its extraction prefix evaluated: seconds alone, longer beside other tests.
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let r = c.get(format!("{url}/readyz")).send().await.unwrap();
        if r.status() == 200 {
            let v: serde_json::Value = r.json().await.unwrap();
            assert_eq!(v["status"], "ready");
            assert_eq!(v["components"]["model"]["state"], "ready");
            break;
        }
        assert_eq!(r.status(), 503);
        assert!(Instant::now() < deadline, "never became ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Ready means turns read with the model: a message without a cue the rules know
    // goes to it at once.
    let r = c
        .post(format!("{url}/v1/assist"))
        .json(&serde_json::json!({"text": "meine Oma friert immer so beim Spazierengehen"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["understanding"]["used_llm"], true, "{v}");
}

#[tokio::test]
async fn a_damaged_model_file_is_reported_not_panicked_on() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.gguf");
    std::fs::write(&bad, b"GGUF but not really a model").unwrap();
    let (url, _stop) = start(config_with_model(ModelChoice::Path(bad))).await;
    let c = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = c.get(format!("{url}/readyz")).send().await.unwrap();
        let v: serde_json::Value = r.json().await.unwrap();
        let msg = v["error"]["message"].as_str().unwrap().to_string();
        if msg.contains("failed") {
            assert!(
                msg.contains("bad.gguf") && msg.contains("not a readable GGUF"),
                "{msg}"
            );
            break;
        }
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Still alive.
    let r = c.get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json_errors() {
    let (url, _stop) = start(config_with_model(ModelChoice::Path(
        "/nonexistent/m.gguf".into(),
    )))
    .await;
    let c = reqwest::Client::new();
    let r = c.get(format!("{url}/nope")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(error_code(r).await, "not_found");
    let r = c.post(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(error_code(r).await, "method_not_allowed");
}

#[tokio::test]
async fn request_ids_are_set_or_echoed() {
    let (url, _stop) = start(config_with_model(ModelChoice::Path(
        "/nonexistent/m.gguf".into(),
    )))
    .await;
    let c = reqwest::Client::new();
    let r = c.get(format!("{url}/healthz")).send().await.unwrap();
    let id = r
        .headers()
        .get("x-request-id")
        .expect("a request id is set");
    assert!(!id.is_empty());
    let r = c
        .get(format!("{url}/healthz"))
        .header("x-request-id", "shop-123")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "shop-123");
}

/// The binary as the README starts it: answers /healthz, and stops cleanly on SIGTERM.
#[test]
fn binary_serves_healthz_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_shopassist"))
        .args(["--model", "/nonexistent/m.gguf", "--data-dir"])
        .arg(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env("RUST_LOG", "shopassist=info")
        .env("SHOPASSIST_SEMANTIC", "off")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("daemon exited before listening")
            .unwrap();
        if let Some(rest) = line.split("addr=").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    let body = reqwest::blocking::get(format!("http://{addr}/healthz"))
        .unwrap()
        .text()
        .unwrap();
    assert!(body.contains("ok"));
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit status after SIGTERM: {status}");
            break;
        }
        assert!(Instant::now() < deadline, "daemon did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The daemon without a model (rules only), once its catalogue answers: its URL, the
/// handle that stops it, and a client.
async fn start_serving_catalogue() -> (String, tokio::sync::oneshot::Sender<()>, reqwest::Client) {
    let (url, stop) = start(config_with_model(ModelChoice::Path(
        "/nonexistent/m.gguf".into(),
    )))
    .await;
    let c = reqwest::Client::new();
    wait_for_catalogue(&c, &url, None).await;
    (url, stop, c)
}

#[tokio::test]
async fn product_search_answers_before_the_model_and_keeps_its_constraints() {
    // The model can never load here; search must not care.
    let (url, _stop, c) = start_serving_catalogue().await;
    let r = c
        .get(format!(
            "{url}/v1/products/search?q=Regenjacke&price_max=10000&color=schwarz,rot&in_stock=true&limit=20"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    let products = v["products"].as_array().unwrap();
    assert!(!products.is_empty());
    for p in products {
        assert!(p["price"].as_i64().unwrap() <= 10000, "{p}");
        assert_eq!(p["in_stock"], true);
        assert_eq!(p["currency"], "EUR");
        assert!(p["variant"]["stock"].as_u64().unwrap() > 0);
        let color = p["variant"]["color"].as_str().unwrap();
        assert!(["Schwarz", "Rot"].contains(&color), "{color}");
        assert!(!p["reasons"].as_array().unwrap().is_empty());
    }
    // The product behind a hit.
    let id = products[0]["id"].as_str().unwrap();
    let r = c
        .get(format!("{url}/v1/products/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let p: serde_json::Value = r.json().await.unwrap();
    assert_eq!(p["id"], id);
}

#[tokio::test]
async fn bad_search_parameters_and_unknown_products_are_json_errors() {
    let (url, _stop, c) = start_serving_catalogue().await;
    for bad in [
        "price_max=abc",
        "price_max=-5",
        "price_min=500&price_max=100",
        "limit=0",
        "limit=1000",
        "sort=cheapest",
        "colour=red",
    ] {
        let r = c
            .get(format!("{url}/v1/products/search?{bad}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{bad}");
        assert_eq!(error_code(r).await, "bad_request", "{bad}");
    }
    let long = "a".repeat(2001);
    let r = c
        .get(format!("{url}/v1/products/search?q={long}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = c
        .get(format!("{url}/v1/products/NOPE-404"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(error_code(r).await, "not_found");
}

/// `POST /v1/assist` over a real listener: a search, a refinement in the same session,
/// the selected variant of each product, and JSON errors for bad input.
#[tokio::test]
async fn assist_searches_refines_and_rejects_bad_input() {
    let (url, _stop, c) = start_serving_catalogue().await;
    let post = |body: serde_json::Value| c.post(format!("{url}/v1/assist")).json(&body).send();

    let r = post(
        serde_json::json!({"text": "Ich suche Laufschuhe unter 100 Euro", "customer_id": "k1"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["intent"], "search");
    assert_eq!(v["language"], "de");
    let session = v["session_id"].as_str().unwrap().to_string();
    let products = v["products"].as_array().unwrap();
    assert!(!products.is_empty(), "{v}");
    for p in products {
        assert!(p["price"].as_i64().unwrap() <= 10000);
        assert!(
            p["variant"]["id"].is_string(),
            "the chosen variant is exposed"
        );
    }

    let r = post(
        serde_json::json!({"text": "in größe 42", "session_id": session, "customer_id": "k1"}),
    )
    .await
    .unwrap();
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["intent"], "refine", "{v}");
    for p in v["products"].as_array().unwrap() {
        assert_eq!(p["variant"]["size"], "42", "{p}");
        assert_eq!(
            p["options"]["size"], "42",
            "the selected options are exposed: {p}"
        );
        assert!(p["price"].as_i64().unwrap() <= 10000, "the limit stays");
    }

    // Bad input: JSON errors with stable codes, never a 500.
    for (body, status, code) in [
        (serde_json::json!({"text": ""}), 400, "bad_request"),
        (
            serde_json::json!({"text": "hallo", "language": "fr"}),
            400,
            "bad_request",
        ),
        (
            serde_json::json!({"text": "hallo", "price": 0}),
            400,
            "invalid_json",
        ),
        (serde_json::json!({"texts": "hallo"}), 400, "invalid_json"),
        (
            serde_json::json!({"text": "a".repeat(2001)}),
            422,
            "text_too_long",
        ),
        (
            serde_json::json!({"text": "zeig mehr", "session_id": session, "customer_id": "someone-else"}),
            404,
            "unknown_session",
        ),
    ] {
        let r = post(body.clone()).await.unwrap();
        assert_eq!(r.status(), status, "{body}");
        assert_eq!(error_code(r).await, code, "{body}");
    }
}

/// Server-sent events of a response body: (event name, data) pairs.
fn sse_events(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for block in body.split("\n\n") {
        let mut name = String::from("message");
        let mut data = String::new();
        for line in block.lines() {
            if let Some(n) = line.strip_prefix("event:") {
                name = n.trim().to_string();
            } else if let Some(d) = line.strip_prefix("data:") {
                data.push_str(d.strip_prefix(' ').unwrap_or(d));
            }
        }
        if !data.is_empty() {
            out.push((name, data));
        }
    }
    out
}

/// `POST /v1/assist` with `Accept: text/event-stream`: understanding, then products,
/// then the reply in pieces, then the whole turn; the pieces make the reply.
#[tokio::test]
async fn assist_streams_understanding_products_reply_and_done() {
    let (url, _stop, c) = start_serving_catalogue().await;
    let r = c
        .post(format!("{url}/v1/assist"))
        .header("accept", "text/event-stream")
        .json(&serde_json::json!({"text": "Ich suche Laufschuhe unter 100 Euro"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let events = sse_events(&r.text().await.unwrap());
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"understanding"), "{names:?}");
    assert_eq!(names.get(1), Some(&"products"), "{names:?}");
    assert_eq!(names.last(), Some(&"done"), "{names:?}");
    assert!(names[2..names.len() - 1]
        .iter()
        .all(|n| *n == "reply.delta"));
    let understanding: serde_json::Value = serde_json::from_str(&events[0].1).unwrap();
    assert_eq!(understanding["intent"], "search");
    let products: serde_json::Value = serde_json::from_str(&events[1].1).unwrap();
    let done: serde_json::Value = serde_json::from_str(&events.last().unwrap().1).unwrap();
    assert!(!done["products"].as_array().unwrap().is_empty());
    assert_eq!(products["products"], done["products"]);
    let deltas: String = events
        .iter()
        .filter(|(n, _)| n == "reply.delta")
        .map(|(_, d)| {
            serde_json::from_str::<serde_json::Value>(d).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(deltas, done["reply"].as_str().unwrap());

    // Bad input is still a plain JSON error, before any stream starts.
    let r = c
        .post(format!("{url}/v1/assist"))
        .header("accept", "text/event-stream")
        .json(&serde_json::json!({"text": " "}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(error_code(r).await, "bad_request");
}

/// The OpenAI-compatible endpoint: a completion with the turn in `shopassist`, the
/// same conversation under one `user`, streaming chunks ending in `[DONE]`, the model
/// list, and errors for a request without a user message.
#[tokio::test]
async fn openai_compatible_chat_completions_and_models() {
    let (url, _stop, c) = start_serving_catalogue().await;
    let ask = |text: &str, stream: bool| {
        c.post(format!("{url}/v1/chat/completions"))
            .json(&serde_json::json!({
                "model": "shopassist",
                "messages": [{"role": "system", "content": "be nice"}, {"role": "user", "content": text}],
                "user": "oai-tester",
                "stream": stream,
                "temperature": 0.2,
            }))
            .send()
    };
    let v: serde_json::Value = ask("I'm looking for headphones", false)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["object"], "chat.completion");
    assert_eq!(v["choices"][0]["message"]["role"], "assistant");
    let reply = v["choices"][0]["message"]["content"].as_str().unwrap();
    assert_eq!(reply, v["shopassist"]["reply"].as_str().unwrap());
    let second = v["shopassist"]["products"][1]["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Same `user`, same conversation: "the second one" is the second product shown.
    let r = ask("add the second one to my cart", true).await.unwrap();
    assert_eq!(r.status(), 200);
    let events = sse_events(&r.text().await.unwrap());
    assert_eq!(events.last().unwrap().1, "[DONE]");
    let chunks: Vec<serde_json::Value> = events[..events.len() - 1]
        .iter()
        .map(|(_, d)| serde_json::from_str(d).unwrap())
        .collect();
    assert!(chunks
        .iter()
        .all(|c| c["object"] == "chat.completion.chunk"));
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    let last = chunks.last().unwrap();
    assert_eq!(last["choices"][0]["finish_reason"], "stop");
    let turn = &last["shopassist"];
    let text: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(text, turn["reply"].as_str().unwrap());
    assert!(
        turn["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["type"] == "cart.add" && a["product_id"] == second.as_str())
            || text.contains("version"),
        "{text}"
    );

    let models: serde_json::Value = c
        .get(format!("{url}/v1/models"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(models["object"], "list");
    assert!(models["data"][0]["id"].is_string());

    let r = c
        .post(format!("{url}/v1/chat/completions"))
        .json(&serde_json::json!({"messages": [{"role": "system", "content": "x"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(error_code(r).await, "bad_request");
}

/// Unchanged clients against the OpenAI-compatible endpoint: the official `openai`
/// Python package (tests/tools/openai_client.py; CI installs it) and curl. Each skips
/// with a message when its tool is absent here.
#[tokio::test]
async fn the_openai_python_client_and_curl_work_unchanged() {
    let (url, _stop, _client) = start_serving_catalogue().await;
    let has_openai = Command::new("python3")
        .args(["-c", "import openai"])
        .status()
        .is_ok_and(|s| s.success());
    if has_openai {
        let script = common::repo_root().join("tests/tools/openai_client.py");
        let url = url.clone();
        let out = tokio::task::spawn_blocking(move || {
            Command::new("python3")
                .arg(script)
                .arg(format!("{url}/v1"))
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("streamed ok"), "{stdout}");
    } else {
        eprintln!("skipped: the openai Python package is not installed (CI installs it)");
    }
    let has_curl = Command::new("curl").arg("--version").output().is_ok();
    if has_curl {
        let url = url.clone();
        let out = tokio::task::spawn_blocking(move || {
            Command::new("curl")
                .args(["-sS", "-N", "-H", "content-type: application/json", "-d"])
                .arg(r#"{"model":"shopassist","stream":true,"messages":[{"role":"user","content":"Ich suche eine Regenjacke"}]}"#)
                .arg(format!("{url}/v1/chat/completions"))
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        let body = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success());
        assert!(body.trim_end().ends_with("data: [DONE]"), "{body}");
        assert!(body.contains("\"chat.completion.chunk\""), "{body}");
    } else {
        eprintln!("skipped: curl is not installed");
    }
}

/// A body over 64 KiB is refused with 413 in our JSON error format on every route,
/// before any handler reads it.
#[tokio::test]
async fn bodies_over_64_kib_get_413_everywhere() {
    let (url, _stop, c) = start_serving_catalogue().await;
    let big = serde_json::json!({"text": "x".repeat(70 * 1024)}).to_string();
    for path in ["/v1/assist", "/v1/chat/completions", "/healthz", "/nowhere"] {
        let r = c
            .post(format!("{url}{path}"))
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413, "{path}");
        assert_eq!(error_code(r).await, "payload_too_large", "{path}");
    }
    // Just under the limit is read (and then judged on its content).
    let r = c
        .post(format!("{url}/v1/assist"))
        .json(&serde_json::json!({"text": "x".repeat(60 * 1024)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}
