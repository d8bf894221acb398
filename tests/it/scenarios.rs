//! The scenario set (tests/data/scenarios) through the assistant with the real test
//! model in the loop, as `shopassist eval scenarios` runs it: the issue's targets
//! (≥ 90 % of turns, ≥ 80 % of scenarios), no shown product breaking a stated
//! constraint and no order without an explicit yes. The default model's figures are
//! recorded by hand in BENCHMARKS.md
//! (`SHOPASSIST_TEST_MODEL=default cargo test --release --test it scenarios:: -- --nocapture`).

use crate::common;

use std::sync::Arc;

use shopassist::assist::{Assistant, Templates};
use shopassist::eval::scenarios::{read_scenarios, run};
use shopassist::llm::Model;
use shopassist::nlu::{ExtractPrompt, Extractor};
use shopassist::orders::Orders;
use shopassist::shop::{Shop, DEMO_CATALOG};

/// The demo catalogue in a fresh store and index (kept while the directory lives).
fn demo_shop() -> (tempfile::TempDir, Arc<Shop>) {
    let dir = tempfile::tempdir().unwrap();
    let (shop, _) = Shop::open(dir.path()).unwrap();
    shop.import_text(
        DEMO_CATALOG,
        shopassist::catalog::import::Format::Jsonl,
        &Default::default(),
    )
    .unwrap();
    (dir, Arc::new(shop))
}

#[test]
fn the_scenarios_meet_the_targets() {
    let scenarios = read_scenarios(&common::repo_root().join("tests/data/scenarios")).unwrap();
    assert!(scenarios.len() >= 80, "{}", scenarios.len());
    let german = scenarios.iter().filter(|s| s.lang == "de").count();
    let voice = scenarios
        .iter()
        .filter(|s| s.channel.as_deref() == Some("voice"))
        .count();
    assert!(german * 2 >= scenarios.len(), "half German");
    assert!(voice * 4 >= scenarios.len(), "a quarter voice style");

    let (_dir, shop) = demo_shop();
    let model =
        Arc::new(Model::load(&common::model_under_test(), &candle_core::Device::Cpu).unwrap());
    let extractor = Arc::new(Extractor::new(&model, &ExtractPrompt::builtin()).unwrap());
    let assistant = Assistant::new(
        shop.clone(),
        Orders::new(shop, Default::default()),
        Templates::load(None).unwrap(),
        Some((extractor, model.clone())),
    );
    let report = run(&model.name, &assistant, &scenarios);
    eprintln!("{report}");
    assert!(
        report.turn_rate() >= 0.90,
        "turns {:.3}",
        report.turn_rate()
    );
    assert!(
        report.scenario_rate() >= 0.80,
        "scenarios {:.3}",
        report.scenario_rate()
    );
    assert_eq!(report.constraint_violations, 0);
    assert_eq!(report.unconfirmed_orders, 0);
}

/// The checks can fail: a scenario expecting the wrong thing is reported, with the
/// turn, what was said and why.
#[test]
fn a_wrong_expectation_is_reported_as_a_failure() {
    let (dir, shop) = demo_shop();
    let assistant = Assistant::new(
        shop.clone(),
        Orders::new(shop, Default::default()),
        Templates::load(None).unwrap(),
        None,
    );
    let file = dir.path().join("wrong.jsonl");
    std::fs::write(
        &file,
        r#"{"id": "wrong", "lang": "de", "customer": "w1", "turns": [
            {"say": "Ich suche eine Regenjacke unter 100 Euro", "intent": "search", "active": {"price_max": 5000}},
            {"say": "ja", "order": true}
        ]}"#
        .replace('\n', " "),
    )
    .unwrap();
    let report = run("rules only", &assistant, &read_scenarios(&file).unwrap());
    assert_eq!(report.scenarios_passed, 0);
    assert_eq!(report.turns_passed, 0, "{report}");
    assert!(
        report.constraint_violations > 0,
        "jackets up to 100 € break a 50 € limit"
    );
    assert!(report.failures[1]
        .problems
        .iter()
        .any(|p| p.contains("no order was placed")));
}

/// Model phrasing on (test model): whatever the reply's wording, it names every
/// product shown with its catalogue price — the model's text is used only when it
/// keeps all facts and adds none, else the template is.
#[test]
fn model_phrasing_keeps_every_fact() {
    let (_dir, shop) = demo_shop();
    let model = Arc::new(Model::load(&common::test_model(), &candle_core::Device::Cpu).unwrap());
    let extractor = Arc::new(Extractor::new(&model, &ExtractPrompt::builtin()).unwrap());
    let assistant = Assistant::new(
        shop.clone(),
        Orders::new(shop.clone(), Default::default()),
        Templates::load(None).unwrap(),
        Some((extractor, model)),
    )
    .with_model_phrasing(true);
    for text in [
        "Ich suche eine Regenjacke unter 100 Euro",
        "I'm looking for headphones",
    ] {
        let out = assistant
            .turn(shopassist::assist::TurnInput {
                text: text.into(),
                ..Default::default()
            })
            .unwrap();
        eprintln!("{text}\n  {}", out.reply);
        assert!(!out.products.is_empty());
        for p in &out.products {
            let product = shop.product(&p.id).unwrap();
            let title = match out.language {
                shopassist::nlu::Language::En => {
                    product.title_en.clone().unwrap_or(product.title.clone())
                }
                shopassist::nlu::Language::De => product.title.clone(),
            };
            assert!(out.reply.contains(&title), "{title} missing: {}", out.reply);
            let price =
                shopassist::catalog::format_price(p.price, &p.currency, out.language.code());
            assert!(out.reply.contains(&price), "{price} missing: {}", out.reply);
        }
    }
}
