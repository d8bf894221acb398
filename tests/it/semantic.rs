//! Semantic search over a real index, real vectors and a real vector cache: needs
//! find fitting products, every constraint still filters, vectors follow upserts and
//! deletes, a restart costs no model time, and the daemon reports the vectors in
//! /readyz. A small catalogue (three products of each demo type) keeps it quick.

use std::sync::Arc;
use std::time::{Duration, Instant};

use shopassist::catalog::Product;
use shopassist::search::semantic::{Progress, SemanticIndex};
use shopassist::search::{Reason, SearchQuery};
use shopassist::shop::{Shop, DEMO_CATALOG};

use crate::common::{embed_model, embedder};

/// Three products of every type in the demo catalogue.
fn small_catalogue() -> Vec<Product> {
    let (all, _) = shopassist::catalog::import::import_str(
        DEMO_CATALOG,
        shopassist::catalog::import::Format::Jsonl,
        &Default::default(),
    )
    .unwrap();
    let mut count = std::collections::HashMap::new();
    all.into_iter()
        .filter(|p| {
            let key = format!(
                "{}/{}",
                p.category.join("/"),
                p.title.split(' ').next().unwrap()
            );
            let n = count.entry(key).or_insert(0);
            *n += 1;
            *n <= 3
        })
        .collect()
}

fn wait_ready(shop: &Shop) -> Progress {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Some(p) = shop.semantic_progress().filter(|p| p.ready) {
            return p;
        }
        assert!(Instant::now() < deadline, "vectors never ready");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        limit: 5,
        ..Default::default()
    }
}

fn open(dir: &std::path::Path, cache: &std::path::Path) -> Shop {
    let (shop, _) = Shop::open(dir).unwrap();
    if shop.is_empty() {
        shop.apply(&small_catalogue(), &[]).unwrap();
    }
    shop.attach_semantic(Arc::new(SemanticIndex::start(
        embedder(),
        cache,
        Arc::new(|_| {}),
    )));
    shop
}

#[test]
fn needs_find_fitting_products_and_constraints_still_filter() {
    let dir = tempfile::tempdir().unwrap();
    let shop = open(
        &dir.path().join("data"),
        &dir.path().join("vectors.sqlite3"),
    );
    let before = shop.search(&q("my little boy loves trains")).unwrap();
    let p = wait_ready(&shop);
    let distinct: std::collections::HashSet<String> = small_catalogue()
        .iter()
        .map(shopassist::search::semantic::passage_text)
        .collect();
    assert_eq!(
        p.computed,
        distinct.len(),
        "every distinct text embedded once"
    );
    let _ = before; // lexical while the vectors were computed: any answer, no error

    let r = shop.search(&q("my little boy loves trains")).unwrap();
    let top: Vec<&str> = r.hits.iter().take(3).map(|h| h.title.as_str()).collect();
    assert!(
        top.iter().any(|t| t.starts_with("Holzeisenbahn")),
        "{top:?}"
    );
    let train = r
        .hits
        .iter()
        .find(|h| h.title.starts_with("Holzeisenbahn"))
        .unwrap();
    assert!(
        train
            .reasons
            .iter()
            .any(|r| matches!(r, Reason::Semantic { .. })),
        "{:?}",
        train.reasons
    );

    // A price limit, a brand and an exclusion still hold for hits found by meaning.
    let cheapest = r.hits.iter().map(|h| h.price).min().unwrap();
    let capped = shop
        .search(&SearchQuery {
            price_max: Some(cheapest),
            ..q("my little boy loves trains")
        })
        .unwrap();
    assert!(!capped.hits.is_empty());
    assert!(
        capped.hits.iter().all(|h| h.price <= cheapest),
        "{:?}",
        capped.hits
    );
    let brand = train.product.brand.clone().unwrap();
    let branded = shop
        .search(&SearchQuery {
            brand: Some(brand.clone()),
            ..q("my little boy loves trains")
        })
        .unwrap();
    assert!(branded
        .hits
        .iter()
        .all(|h| h.product.brand.as_deref() == Some(brand.as_str())));
    let excluded = shop
        .search(&SearchQuery {
            exclude: vec!["Holzeisenbahn".into()],
            ..q("my little boy loves trains")
        })
        .unwrap();
    assert!(
        excluded
            .hits
            .iter()
            .all(|h| !h.title.starts_with("Holzeisenbahn")),
        "{:?}",
        excluded.hits
    );

    // German needs too, and an exact name still comes first.
    for (need, kind) in [
        ("mein hund hat nichts mehr zu fressen", "Hundefutter"),
        ("das katzenklo muss frisch gemacht werden", "Katzenstreu"),
    ] {
        let r = shop.search(&q(need)).unwrap();
        let top: Vec<&str> = r.hits.iter().take(3).map(|h| h.title.as_str()).collect();
        assert!(top.iter().any(|t| t.starts_with(kind)), "{need}: {top:?}");
    }
    let named = &small_catalogue()[0].title;
    assert_eq!(&shop.search(&q(named)).unwrap().hits[0].title, named);
}

#[test]
fn vectors_follow_changes_and_a_restart_costs_no_model_time() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cache = dir.path().join("vectors.sqlite3");
    {
        let shop = open(&data, &cache);
        assert!(wait_ready(&shop).computed > 0);
    }
    let shop = open(&data, &cache);
    assert_eq!(
        wait_ready(&shop).computed,
        0,
        "every vector came from the cache"
    );

    // A new product is found by meaning once its vector is in; a deleted one never.
    let mut kite = small_catalogue()[0].clone();
    kite.id = "KITE-1".into();
    kite.title = "Lenkdrachen Sturmvogel".into();
    kite.title_en = Some("Stunt kite Sturmvogel".into());
    kite.category = vec!["Spielzeug".into(), "Drachen".into()];
    kite.attributes.clear();
    kite.description = "Ein Drachen für windige Tage am Strand.".into();
    shop.apply(&[kite], &[]).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let p = shop.semantic_progress().unwrap();
        let r = shop
            .search(&q("something to fly at the beach when it is windy"))
            .unwrap();
        if p.done == p.total && r.hits.iter().any(|h| h.id == "KITE-1") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new product never got its vector"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    shop.apply(&[], &["KITE-1".to_string()]).unwrap();
    let r = shop
        .search(&q("something to fly at the beach when it is windy"))
        .unwrap();
    assert!(r.hits.iter().all(|h| h.id != "KITE-1"));
}

#[tokio::test]
async fn the_daemon_reports_vectors_and_searches_by_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("shop.jsonl");
    let lines: Vec<String> = small_catalogue()
        .iter()
        .map(|p| serde_json::to_string(p).unwrap())
        .collect();
    std::fs::write(&catalogue, lines.join("\n")).unwrap();
    let config = shopassist::config::Config {
        catalog: Some(catalogue),
        semantic: shopassist::config::EmbedChoice::Path(embed_model()),
        ..crate::common::fresh_config(shopassist::config::ModelChoice::Path(
            crate::common::test_model(),
        ))
    };
    let (url, _stop) = crate::common::start(config).await;
    let c = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let r = c.get(format!("{url}/readyz")).send().await.unwrap();
        if r.status() == 200 {
            let v: serde_json::Value = r.json().await.unwrap();
            if v["components"]["vectors"]["state"] == "ready" {
                break;
            }
            // Warming vectors never hold readiness back.
            assert!(v["components"]["vectors"].is_object(), "{v}");
        }
        assert!(Instant::now() < deadline, "vectors never ready");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let v: serde_json::Value = c
        .get(format!("{url}/v1/products/search"))
        .query(&[("q", "my little boy loves trains")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hits = v["products"].as_array().unwrap_or_else(|| panic!("{v}"));
    assert!(
        hits.iter()
            .take(3)
            .any(|h| h["title"].as_str().unwrap().starts_with("Holzeisenbahn")),
        "{v}"
    );
}

#[test]
fn a_damaged_vector_cache_costs_model_time_not_the_semantic_side() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("vectors.sqlite3");
    std::fs::write(&cache, b"this is not a database, it was overwritten").unwrap();
    let shop = open(&dir.path().join("data"), &cache);
    let p = wait_ready(&shop);
    assert!(p.failed.is_none(), "{p:?}");
    assert!(p.computed > 0);
    let r = shop.search(&q("my little boy loves trains")).unwrap();
    assert!(r
        .hits
        .iter()
        .take(3)
        .any(|h| h.title.starts_with("Holzeisenbahn")));
    drop(shop);
    // The damaged file was moved aside and a fresh cache kept what was computed.
    assert!(dir.path().join("vectors.sqlite3.damaged").exists());
    let shop = open(&dir.path().join("data"), &cache);
    assert_eq!(wait_ready(&shop).computed, 0);
}

#[test]
fn a_request_of_unknown_words_gets_no_neighbours() {
    let dir = tempfile::tempdir().unwrap();
    let shop = open(
        &dir.path().join("data"),
        &dir.path().join("vectors.sqlite3"),
    );
    wait_ready(&shop);
    // Every string has nearest products; these must not be offered as matches.
    for nonsense in ["qwrtzq blxrfk", "zzxq vvbnq"] {
        let r = shop.search(&q(nonsense)).unwrap();
        assert!(
            r.hits.iter().all(|h| !h
                .reasons
                .iter()
                .any(|r| matches!(r, Reason::Semantic { .. }))),
            "{nonsense}: {:?}",
            r.hits.iter().map(|h| &h.title).collect::<Vec<_>>()
        );
    }
}

/// The model's choice for a need: it chooses among the shop's own product types
/// nearest to the message, so every idea is one of them; the products shown for an
/// idea are of that type and lead; the rules' intent and the search's constraints
/// stand.
#[test]
fn the_model_chooses_a_need_among_the_shops_own_types_and_those_lead() {
    use shopassist::assist::{Assistant, Templates, TurnInput};
    use shopassist::nlu::{ExtractPrompt, Extractor, Intent};
    use shopassist::orders::Orders;

    let dir = tempfile::tempdir().unwrap();
    let shop = Arc::new(open(
        &dir.path().join("data"),
        &dir.path().join("vectors.sqlite3"),
    ));
    wait_ready(&shop);
    let model = Arc::new(
        shopassist::llm::Model::load(&crate::common::test_model(), &candle_core::Device::Cpu)
            .unwrap(),
    );
    let extractor = Arc::new(Extractor::new(&model, &ExtractPrompt::builtin()).unwrap());
    let assistant = Assistant::new(
        shop.clone(),
        Orders::new(shop.clone(), Default::default()),
        Templates::load(None).unwrap(),
        Some((extractor, model)),
    );
    let turn = |text: &str| {
        assistant
            .turn(TurnInput {
                text: text.into(),
                ..Default::default()
            })
            .unwrap()
    };
    let ideas_of = |p: &shopassist::assist::ProductOut| -> Vec<String> {
        p.evidence
            .iter()
            .filter_map(|r| match r {
                Reason::Idea { idea } => Some(idea.clone()),
                _ => None,
            })
            .collect()
    };
    let of_its_idea = |p: &shopassist::assist::ProductOut| {
        ideas_of(p)
            .iter()
            .all(|idea| p.title.starts_with(&format!("{idea} ")))
    };
    let out = turn("ich suche was gegen kalte hände beim radfahren unter 80 euro");
    let u = &out.understanding;
    assert_eq!(u.intent, Intent::Search, "the rules' intent stands");
    // Each idea is one of the shop's types: the model could name nothing else. (One
    // with nothing under the price limit shows nothing.)
    let types: Vec<Option<String>> = small_catalogue()
        .iter()
        .map(|p| shop.type_key(&p.id))
        .collect();
    assert!(!u.ideas.is_empty(), "{u:?}");
    for idea in &u.ideas {
        let key = shopassist::search::profile::plain_words(idea);
        assert!(
            types.contains(&Some(key)),
            "{idea} is a type of the shop: {:?}",
            out.products
        );
    }
    assert!(!ideas_of(&out.products[0]).is_empty(), "{:?}", out.products);
    assert!(out.products.iter().all(of_its_idea), "{:?}", out.products);
    assert!(
        out.products.iter().all(|p| p.price <= 8000),
        "the price limit holds for ideas too"
    );

    // A thing the shop lacks, asked for by name, is said to be missing: no ideas
    // dress up other products as it.
    let out = turn("ich suche einen staubsauger");
    assert!(
        out.understanding.ideas.is_empty(),
        "{:?}",
        out.understanding
    );
    assert!(
        out.reply.contains("führen wir leider nicht"),
        "{}",
        out.reply
    );
    assert!(out.products.iter().all(|p| ideas_of(p).is_empty()));

    // Under 50 €: no product is passed off as one of a type it is not.
    let out = turn("ich suche was gegen kalte hände beim radfahren unter 50 euro");
    assert!(
        out.products
            .iter()
            .all(|p| of_its_idea(p) && p.price <= 5000),
        "{:?}",
        out.products
    );

    // A kind named with a need no product's words say: the model judges the
    // kind's own types, and those lead; nothing of another kind is an idea.
    let dresses = ["Sommerkleid", "Strickkleid", "Abendkleid"];
    let out = turn("ein warmes kleid für den herbst");
    let u = &out.understanding;
    assert!(u.used_llm, "{u:?}");
    assert!(u.ideas.len() >= 2, "{u:?}");
    assert!(
        u.ideas.iter().all(|i| dresses.contains(&i.as_str())),
        "{u:?}"
    );
    assert!(!ideas_of(&out.products[0]).is_empty(), "{:?}", out.products);
    assert!(out.products.iter().all(of_its_idea), "{:?}", out.products);
    // What it is for said first, the kind last; the kind is its shelf ("Mäntel"),
    // the Trenchcoat among them.
    let coats = ["Regenmantel", "Trenchcoat", "Wintermantel", "Wollmantel"];
    let out = turn("für das büro im herbst einen eleganten mantel");
    let u = &out.understanding;
    assert!(u.ideas.len() >= 2, "{u:?}");
    assert!(u.ideas.iter().all(|i| coats.contains(&i.as_str())), "{u:?}");
    // A title's word named as the need's setting ("bike" of "Bike helmet") leaves
    // the need to the model; named as the thing wanted for a person, it is searched.
    let out = turn("my hands get cold when i ride my bike");
    assert!(
        !out.understanding.ideas.is_empty(),
        "{:?}",
        out.understanding
    );
    let out = turn("ich suche kaffee für meinen papa");
    assert!(
        out.understanding.ideas.is_empty(),
        "{:?}",
        out.understanding
    );
    // A refinement of nothing is a search in its own right.
    let out = turn("my tomatoes on the balcony need a bigger home");
    assert_eq!(out.intent, Intent::Search, "{:?}", out.understanding);
    assert!(!out.products.is_empty(), "{}", out.reply);

    // The kind alone, or with words the products have, is searched as asked.
    for plain in [
        "zeig mir kleider",
        "ein rotes kleid",
        "ein kleid in größe m",
    ] {
        let out = turn(plain);
        assert!(
            out.understanding.ideas.is_empty(),
            "{plain}: {:?}",
            out.understanding
        );
        assert!(
            out.products.iter().all(|p| ideas_of(p).is_empty()),
            "{plain}: {:?}",
            out.products
        );
    }
}
