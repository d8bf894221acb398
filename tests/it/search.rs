//! Product search over the demo catalogue and small fixtures: German analysis and
//! compounds, constraints as filters, fuzzy rescue, reasons, and an index that
//! survives restarts, damage and kills.

use std::sync::OnceLock;

use shopassist::catalog::colors::canonical_of_value;
use shopassist::catalog::import::{import_str, Format, ImportOptions};
use shopassist::search::{OpenOutcome, Reason, SearchQuery, Sort};
use shopassist::shop::{Shop, DEMO_CATALOG};

/// One shop over the demo catalogue, shared by the read-only tests of this binary.
fn demo() -> &'static Shop {
    static SHOP: OnceLock<Shop> = OnceLock::new();
    SHOP.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let (shop, _) = Shop::open(&dir).unwrap();
        shop.load_source(DEMO_CATALOG, Format::Jsonl, &ImportOptions::default())
            .unwrap();
        shop
    })
}

fn q(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        limit: 10,
        ..Default::default()
    }
}

fn titles(query: &SearchQuery) -> Vec<String> {
    demo()
        .search(query)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.title)
        .collect()
}

#[test]
fn the_demo_catalogue_is_large_and_varied() {
    let shop = demo();
    assert!(shop.len() >= 3000, "{} products", shop.len());
}

#[test]
fn mantel_finds_wintermantel() {
    let t = titles(&q("Mantel"));
    assert!(!t.is_empty());
    assert!(
        t.iter().all(|t| t.to_lowercase().contains("mantel")),
        "{t:?}"
    );
    let all = titles(&SearchQuery {
        limit: 200,
        ..q("Mantel")
    });
    assert!(all.iter().any(|t| t.starts_with("Wintermantel")), "{all:?}");
}

#[test]
fn jacke_finds_regenjacke() {
    let t = titles(&SearchQuery {
        limit: 200,
        ..q("Jacke")
    });
    assert!(t.iter().any(|t| t.starts_with("Regenjacke")), "{t:?}");
    assert!(
        t.iter().all(|t| t.to_lowercase().contains("jacke")),
        "{t:?}"
    );
}

#[test]
fn a_compound_query_needs_its_head() {
    // "Sommerkleid" must not degrade into "Sommer OR Kleid".
    let t = titles(&q("Sommerkleid"));
    assert!(!t.is_empty());
    assert!(
        t.iter().all(|t| t.to_lowercase().contains("kleid")),
        "{t:?}"
    );
}

#[test]
fn price_limit_is_a_filter_not_a_boost() {
    let query = SearchQuery {
        price_max: Some(5000),
        limit: 50,
        ..q("Jacke")
    };
    let hits = demo().search(&query).unwrap().hits;
    assert!(!hits.is_empty());
    for h in &hits {
        assert!(h.price <= 5000, "{} costs {}", h.title, h.price);
        assert!(
            h.reasons
                .iter()
                .any(|r| matches!(r, Reason::PriceMax { max: 5000, .. })),
            "{:?}",
            h.reasons
        );
    }
}

#[test]
fn price_range_and_sort_by_price() {
    let query = SearchQuery {
        price_min: Some(2000),
        price_max: Some(4000),
        sort: Sort::PriceAsc,
        limit: 30,
        ..q("Schuh")
    };
    let hits = demo().search(&query).unwrap().hits;
    assert!(!hits.is_empty());
    let prices: Vec<i64> = hits.iter().map(|h| h.price).collect();
    assert!(
        prices.iter().all(|p| (2000..=4000).contains(p)),
        "{prices:?}"
    );
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
}

#[test]
fn colour_size_and_stock_hold_for_the_chosen_variant() {
    let query = SearchQuery {
        colors: vec!["schwarze".into()],
        sizes: vec!["42".into()],
        in_stock_only: true,
        limit: 50,
        ..q("Laufschuh")
    };
    let hits = demo().search(&query).unwrap().hits;
    assert!(!hits.is_empty());
    for h in &hits {
        let v = &h.variant;
        assert_eq!(v.size.as_deref(), Some("42"), "{}", h.title);
        assert_eq!(
            v.color.as_deref().and_then(canonical_of_value),
            Some("black"),
            "{}",
            h.title
        );
        assert!(v.stock > 0);
        assert!(h.in_stock);
    }
}

#[test]
fn excluded_colours_and_words_are_kept_out() {
    let query = SearchQuery {
        exclude_colors: vec!["rot".into()],
        exclude: vec!["Leder".into()],
        limit: 100,
        ..q("Sneaker")
    };
    let hits = demo().search(&query).unwrap().hits;
    assert!(!hits.is_empty());
    for h in &hits {
        assert_ne!(
            h.variant.color.as_deref().and_then(canonical_of_value),
            Some("red")
        );
        assert_ne!(h.product.material.as_deref(), Some("Leder"), "{}", h.title);
    }
}

#[test]
fn brand_and_attribute_filters() {
    let query = SearchQuery {
        brand: Some("alpenwind".into()),
        attributes: vec![("wasserdicht".into(), Some("ja".into()))],
        limit: 100,
        ..q("Jacke")
    };
    let hits = demo().search(&query).unwrap().hits;
    assert!(!hits.is_empty());
    for h in &hits {
        assert_eq!(h.product.brand.as_deref(), Some("Alpenwind"));
        assert_eq!(h.product.attributes["wasserdicht"], vec!["ja"]);
    }
}

#[test]
fn category_filter_keeps_to_the_category() {
    let query = SearchQuery {
        category: Some("Schuhe".into()),
        limit: 100,
        ..q("wasserdicht")
    };
    let hits = demo().search(&query).unwrap().hits;
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h.product.category[0] == "Schuhe"));
}

#[test]
fn misspelt_and_misheard_words_are_rescued() {
    let t = titles(&q("regenjake"));
    assert!(
        t.first().is_some_and(|t| t.starts_with("Regenjacke")),
        "{t:?}"
    );
    let t = titles(&q("kopfhörer bluetoth"));
    assert!(t.first().is_some_and(|t| t.contains("Kopfhörer")), "{t:?}");
}

#[test]
fn english_words_find_german_products() {
    let t = titles(&q("rain jacket"));
    assert!(
        t.first().is_some_and(|t| t.starts_with("Regenjacke")),
        "{t:?}"
    );
}

#[test]
fn hits_say_which_words_matched() {
    let hits = demo()
        .search(&q("wasserdichter Wintermantel"))
        .unwrap()
        .hits;
    let top = &hits[0];
    assert!(top.title.starts_with("Wintermantel"), "{}", top.title);
    assert!(
        top.reasons
            .iter()
            .any(|r| r.to_string().contains("Wintermantel")),
        "{:?}",
        top.reasons
    );
}

#[test]
fn no_words_and_no_match_are_not_errors() {
    let r = demo().search(&q("")).unwrap();
    assert!(!r.hits.is_empty(), "an empty query lists products");
    let r = demo().search(&q("qqqqzzzz")).unwrap();
    assert!(r.hits.is_empty());
}

fn fresh_shop() -> (tempfile::TempDir, Shop) {
    let dir = tempfile::tempdir().unwrap();
    let (shop, _) = Shop::open(dir.path()).unwrap();
    (dir, shop)
}

const SMALL: &str = include_str!("../data/catalog/good.jsonl");

#[test]
fn an_empty_catalogue_answers_with_nothing() {
    let (_d, shop) = fresh_shop();
    assert!(shop.is_empty());
    assert!(shop.search(&q("Jacke")).unwrap().hits.is_empty());
}

#[test]
fn upserts_and_deletes_show_in_search() {
    let (_d, shop) = fresh_shop();
    let (mut ps, _) = import_str(SMALL, Format::Jsonl, &ImportOptions::default()).unwrap();
    shop.apply(&ps, &[]).unwrap();
    assert_eq!(shop.search(&q("Regenjacke")).unwrap().hits[0].id, "J2");
    ps[1].title = "Softshelljacke Föhn".into();
    ps[1].category = vec!["Bekleidung".into(), "Jacken".into()];
    shop.apply(&ps[1..], &[]).unwrap();
    assert_eq!(shop.len(), 2);
    let foehn = shop.search(&q("Föhn")).unwrap().hits;
    assert_eq!(
        foehn.len(),
        1,
        "the old version is replaced, not duplicated"
    );
    assert_eq!(foehn[0].title, "Softshelljacke Föhn");
    assert_eq!(shop.search(&q("Softshelljacke")).unwrap().hits[0].id, "J2");
    shop.apply(&[], &["J2".into()]).unwrap();
    assert!(shop.search(&q("Softshelljacke")).unwrap().hits.is_empty());
    assert!(shop.product("J2").is_none());
}

#[test]
fn an_invalid_product_changes_nothing() {
    let (_d, shop) = fresh_shop();
    let (mut ps, _) = import_str(SMALL, Format::Jsonl, &ImportOptions::default()).unwrap();
    ps[1].price = -1;
    assert!(shop.apply(&ps, &[]).is_err());
    assert!(shop.is_empty());
}

#[test]
fn reopening_reuses_the_index_and_damage_rebuilds_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (shop, outcome) = Shop::open(dir.path()).unwrap();
        assert!(matches!(outcome, OpenOutcome::Rebuilt(_)));
        shop.load_source(SMALL, Format::Jsonl, &ImportOptions::default())
            .unwrap();
    }
    {
        let (shop, outcome) = Shop::open(dir.path()).unwrap();
        assert_eq!(outcome, OpenOutcome::Reused);
        assert_eq!(shop.len(), 2);
        assert!(
            shop.load_source(SMALL, Format::Jsonl, &ImportOptions::default())
                .unwrap()
                .is_none(),
            "same source is not re-imported"
        );
    }
    // Damage the index: its metadata no longer parses.
    std::fs::write(dir.path().join("index/meta.json"), b"{ not json").unwrap();
    let (shop, outcome) = Shop::open(dir.path()).unwrap();
    match outcome {
        OpenOutcome::Rebuilt(reason) => assert!(reason.contains("moved to"), "{reason}"),
        other => panic!("expected a rebuild, got {other:?}"),
    }
    assert_eq!(shop.search(&q("Regenjacke")).unwrap().hits[0].id, "J2");
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().starts_with("index.broken-"));
    assert!(aside, "the broken index is kept aside for inspection");
}

#[test]
fn an_index_behind_the_database_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    {
        let (shop, _) = Shop::open(dir.path()).unwrap();
        shop.load_source(SMALL, Format::Jsonl, &ImportOptions::default())
            .unwrap();
    }
    // Simulate a crash after the database commit but before the index commit.
    {
        let mut store =
            shopassist::store::Store::open(&dir.path().join("shopassist.sqlite3")).unwrap();
        let (ps, _) = import_str(SMALL, Format::Jsonl, &ImportOptions::default()).unwrap();
        let mut p = ps[0].clone();
        p.id = "J9".into();
        p.title = "Daunenmantel Polar".into();
        store.apply_catalog_changes(&[p], &[]).unwrap();
    }
    let (shop, outcome) = Shop::open(dir.path()).unwrap();
    assert!(
        matches!(outcome, OpenOutcome::Rebuilt(ref r) if r.contains("generation")),
        "{outcome:?}"
    );
    assert_eq!(shop.search(&q("Daunenmantel")).unwrap().hits[0].id, "J9");
}

/// A process killed with SIGKILL while indexing never leaves an index that fails to open.
#[test]
fn a_kill_during_indexing_leaves_a_usable_index() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.jsonl");
    let mut text = String::new();
    for round in 0..10 {
        for line in DEMO_CATALOG.lines() {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = format!("{}-{round}", v["id"].as_str().unwrap());
            v["id"] = id.into();
            text.push_str(&v.to_string());
            text.push('\n');
        }
    }
    std::fs::write(&big, text).unwrap();
    for delay_ms in [300u64, 1200] {
        let data = dir.path().join(format!("data-{delay_ms}"));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_shopassist"))
            .arg("--data-dir")
            .arg(&data)
            .env("SHOPASSIST_SEMANTIC", "off")
            .arg("index")
            .arg(&big)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let (shop, _) = Shop::open(&data).expect("the index opens after a kill");
        // Either the batch landed whole or not at all.
        let n = shop.len();
        assert!(
            n == 0 || n == 30_200,
            "{n} products after a kill at {delay_ms} ms"
        );
        let _ = shop.search(&q("Jacke")).unwrap();
    }
}

/// English writes many names as one word or two ("night stand", "nightstand"): a
/// shopper's spelling finds the titles of the other, and a pair no title writes as
/// one word ("bamboo brush") adds nothing.
#[test]
fn a_name_written_as_one_word_or_two_finds_both() {
    let (_d, shop) = fresh_shop();
    let rows = [
        ("N1", "Baja Night Stand, 2 Drawer, Solid Wood"),
        ("N2", "YEK Modern Nightstand with Self Closing Drawer"),
        ("N3", "Adjustable Floor Lamp Stand for Reading"),
        ("T1", "Gergxi Tooth Brush, Super Hard Bristles"),
        ("T2", "Children Toothbrush, U-Shape, 360 Degree"),
        ("T3", "Bamboo Hair Brush with Natural Bristles"),
    ];
    let text = crate::common::titled_listings(&rows, &[]);
    shop.load_source(&text, Format::Jsonl, &ImportOptions::default())
        .unwrap();
    let ids = |text: &str| -> Vec<String> {
        let mut ids: Vec<String> = shop
            .search(&q(text))
            .unwrap()
            .hits
            .into_iter()
            .take(2)
            .map(|h| h.id)
            .collect();
        ids.sort();
        ids
    };
    for text in ["nightstand", "night stand"] {
        assert_eq!(ids(text), ["N1", "N2"], "{text}");
    }
    for text in ["toothbrush", "tooth brush"] {
        assert_eq!(ids(text), ["T1", "T2"], "{text}");
    }
}

/// Forty raincoats of the same words and price, imported in five commits (five
/// segments) in the given batch order.
fn twins_imported(order: &[usize]) -> (tempfile::TempDir, Shop) {
    let (dir, shop) = fresh_shop();
    let lines: Vec<String> = (0..40)
        .map(|i| {
            format!(
                r#"{{"id":"T{i:02}","title":"Regenjacke Basic","price":4999,"currency":"EUR","category":["Bekleidung","Jacken"],"variants":[{{"id":"T{i:02}-M","size":"M","stock":3}}]}}"#
            )
        })
        .collect();
    let (ps, _) = import_str(&lines.join("\n"), Format::Jsonl, &ImportOptions::default()).unwrap();
    for &batch in order {
        shop.apply(&ps[batch * 8..batch * 8 + 8], &[]).unwrap();
    }
    (dir, shop)
}

#[test]
fn products_of_equal_score_come_back_in_one_order_from_any_build() {
    let (_a, first) = twins_imported(&[0, 1, 2, 3, 4]);
    let (_b, second) = twins_imported(&[4, 2, 0, 3, 1]);
    let ids = |shop: &Shop, query: &SearchQuery| -> Vec<String> {
        shop.search(query)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    };
    for query in [
        SearchQuery {
            limit: 5,
            ..q("Regenjacke")
        },
        SearchQuery {
            limit: 5,
            sort: Sort::PriceAsc,
            ..q("Regenjacke")
        },
        SearchQuery {
            limit: 5,
            sort: Sort::PriceDesc,
            ..q("Jacke")
        },
    ] {
        let a = ids(&first, &query);
        assert_eq!(a.len(), 5, "{query:?}");
        assert_eq!(a, ids(&second, &query), "{query:?}");
    }
}
