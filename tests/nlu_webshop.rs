//! The rule extractors over the 1,734 annotated WebShop human goals (real crowd-written
//! English requests): the price limit must come out exactly. Skips when ../shared is
//! absent.

use std::path::PathBuf;

use shopassist::nlu::rules::extract;

#[test]
fn price_limits_of_annotated_human_goals_come_out_exactly() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/webshop/human_goals_annotated.dev.json");
    if !path.exists() {
        eprintln!("skipped: {} is absent", path.display());
        return;
    }
    let goals: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let (mut exact, mut total, mut invented) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for g in &goals {
        let text = g["instruction_text"].as_str().unwrap();
        let slots = extract(text);
        match g["price_upper"].as_f64() {
            Some(limit) => {
                total += 1;
                let want = (limit * 100.0).round() as i64;
                if slots.price.and_then(|p| p.max) == Some(want) {
                    exact += 1;
                } else if misses.len() < 15 {
                    misses.push(format!("{text:?} → {:?}", slots.price));
                }
            }
            None => invented += usize::from(slots.price.is_some()),
        }
    }
    let rate = exact as f64 / total as f64;
    eprintln!("price limit exact: {exact}/{total} = {rate:.4}; invented: {invented}");
    for m in &misses {
        eprintln!("miss: {m}");
    }
    assert!(rate >= 0.98, "price limit exact in {rate:.4}");
    assert_eq!(invented, 0);
}
