//! `eval webshop` end to end (rules only, so it runs in CI): a seeded sample of the
//! WebShop development goals through the assistant's turn, scored with WebShop's
//! reward. Holds the targets for the development goals (score ≥ 85, success
//! ≥ 65 %) as a floor, and checks that every suggested product keeps the stated price
//! limit and carries the options the shopper named. Skips when ../shared is absent.

use std::path::PathBuf;

use shopassist::eval::webshop::{self, read_catalog, read_goals};

fn data(file: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/webshop")
        .join(file);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

#[test]
fn development_goals_meet_the_targets_with_rules_alone() {
    let (Some(goals_path), Some(catalog_path)) = (
        data("goals_1k_synthetic.dev.json"),
        data("products_1k_processed.json"),
    ) else {
        return;
    };
    let mut goals = read_goals(&goals_path).unwrap();
    assert_eq!(goals.len(), 5910);
    // Every 20th goal: 296 goals over all categories, the same on every run.
    goals = goals.into_iter().step_by(20).collect();
    let catalog = read_catalog(&catalog_path).unwrap();
    assert!(
        catalog.fixed_prices,
        "product_prices_1k.seed0.json is beside it"
    );
    let dir = tempfile::tempdir().unwrap();
    let (assistant, report) = crate::common::rules_only_assistant(
        dir.path(),
        &catalog.import_text,
        shopassist::catalog::import::Format::WebShop,
    );
    assert_eq!(report.imported, 999, "{report}");
    let r = webshop::run("rules only", &assistant, &catalog, &goals, true).unwrap();
    eprintln!("{r}");
    assert!(r.overall.score >= 85.0, "score {:.1}", r.overall.score);
    assert!(
        r.overall.success >= 0.65,
        "success {:.3}",
        r.overall.success
    );
    assert!(r.no_product <= 2, "{} goals got no product", r.no_product);
    // The options were chosen from the request: where the goal product came first,
    // its goal options are nearly always the selected ones.
    let (mut first, mut all_options) = (0usize, 0usize);
    for (x, g) in r.results.iter().zip(&goals) {
        if x.goal_product_first {
            first += 1;
            all_options += usize::from(x.reward.options_matched == g.spec.options.len());
        }
    }
    assert!(first > goals.len() / 2, "goal product first in {first}");
    assert!(
        all_options as f64 >= 0.85 * first as f64,
        "{all_options} of {first} with every goal option"
    );
    assert!(
        r.options_matched >= 0.85,
        "options {:.3}",
        r.options_matched
    );
    assert!(r.price_ok >= 0.99, "price {:.3}", r.price_ok);
}
