//! Understanding over the labelled set (tests/data/nlu/eval.jsonl) with the real test
//! model in the loop, as `shopassist eval nlu` runs it. The default model's figures
//! are recorded by hand in BENCHMARKS.md
//! (`SHOPASSIST_TEST_MODEL=default cargo test --release --test it nlu:: -- --nocapture`).

use crate::common;

use shopassist::eval::nlu::{read_cases, run};
use shopassist::llm::Model;
use shopassist::nlu::{understand, ExtractPrompt, Extractor, Language, Source};

#[test]
fn the_labelled_set_meets_the_targets_with_the_model_in_the_loop() {
    let model = Model::load(&common::model_under_test(), &candle_core::Device::Cpu).unwrap();
    let extractor = Extractor::new(&model, &ExtractPrompt::builtin()).unwrap();
    let cases = read_cases(&common::repo_root().join("tests/data/nlu/eval.jsonl")).unwrap();
    assert!(cases.len() >= 300);
    let report = run(&model.name, &cases, |t, l| {
        understand(t, l, Some((&extractor, &model)))
    });
    eprintln!("{report}");
    // The model reads the messages without an intent cue the rules know.
    assert!(
        report.llm_calls >= 10,
        "the model was asked {} times",
        report.llm_calls
    );
    assert!(report.intent_accuracy >= 0.90, "{}", report.intent_accuracy);
    for slot in ["price_max", "price_min", "colors", "sizes"] {
        let f1 = report.slots[slot].f1();
        assert!(f1 >= 0.95, "{slot}: F1 {f1}");
    }
    assert_eq!(report.invented, 0, "{:?}", report.invented_examples);
}

#[test]
fn model_values_are_kept_only_with_the_shoppers_words_and_say_where_they_came_from() {
    let model = Model::load(&common::test_model(), &candle_core::Device::Cpu).unwrap();
    let extractor = Extractor::new(&model, &ExtractPrompt::builtin()).unwrap();
    // A search the rules recognise by its cue never waits for the model.
    for text in [
        "Ich suche einen wasserdichten Wintermantel unter 200 €",
        "do you have running shoes from nike in size 42",
    ] {
        let u = understand(text, Language::De, Some((&extractor, &model)));
        assert!(!u.used_llm, "{text}");
        assert_eq!(u.sources["product_type"], Source::Rules);
    }
    for text in [
        "gluten free pasta please",
        "wasserdichte jacke",
        "geschenk für meine mutter",
    ] {
        let u = understand(text, Language::De, Some((&extractor, &model)));
        assert!(u.used_llm, "{text}");
        let words = u.normalised.clone();
        for v in u
            .product_type
            .iter()
            .chain(u.brand.iter())
            .chain(u.attributes.iter())
        {
            assert!(
                shopassist::nlu::understand::supported(
                    v,
                    &words
                        .split_whitespace()
                        .map(String::from)
                        .collect::<Vec<_>>()
                ),
                "{text}: {v} kept without support"
            );
        }
        assert!(u.sources.contains_key("intent"));
        if u.slots.price.is_some() {
            assert_eq!(u.sources["price"], Source::Rules);
        }
    }
    // A confirmation never waits for the model.
    let u = understand("ja", Language::De, Some((&extractor, &model)));
    assert!(!u.used_llm);
}
