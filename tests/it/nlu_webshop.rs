//! The rule extractors over the 1,734 annotated WebShop human goals (real crowd-written
//! English requests): the price limit must come out exactly. Skips when ../shared is
//! absent.

use std::path::PathBuf;

use shopassist::nlu::rules::extract;

/// A WebShop data file from ../shared, parsed; `None` (with a message) when absent.
fn webshop_data<T: serde::de::DeserializeOwned>(file: &str) -> Option<T> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/webshop")
        .join(file);
    if !path.exists() {
        eprintln!("skipped: {} is absent", path.display());
        return None;
    }
    Some(serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap())
}

#[test]
fn price_limits_of_annotated_human_goals_come_out_exactly() {
    let Some(goals) = webshop_data::<Vec<serde_json::Value>>("human_goals_annotated.dev.json")
    else {
        return;
    };
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

/// WebShop's ~12k crowd-written requests are all product requests: the rules must not
/// read them as cart, order or other actions (they are searches, or left to the model).
/// Also reports how many sizes, colours and packs the extractor finds in them.
#[test]
fn crowd_requests_read_as_searches_and_their_options_are_counted() {
    use shopassist::nlu::intent::{rule_intent, Intent};
    use shopassist::nlu::rules::normalise;
    let Some(requests) = webshop_data::<Vec<String>>("human_goals.json") else {
        return;
    };
    let mut wrong = std::collections::BTreeMap::<Intent, Vec<&str>>::new();
    let (mut sizes, mut colors, mut packs) = (0, 0, 0);
    for r in &requests {
        let slots = extract(r);
        sizes += usize::from(!slots.sizes.is_empty());
        colors += usize::from(!slots.colors.is_empty());
        packs += usize::from(slots.quantity.is_some());
        match rule_intent(&normalise(r), &slots) {
            None | Some(Intent::Search) | Some(Intent::Refine) => {}
            Some(other) => wrong.entry(other).or_default().push(r),
        }
    }
    let n = requests.len();
    let misread: usize = wrong.values().map(Vec::len).sum();
    eprintln!(
        "{n} requests: sizes in {sizes}, colours in {colors}, packs/quantities in {packs}; \
         read as a non-search intent: {misread}"
    );
    for (intent, examples) in &wrong {
        eprintln!(
            "  {} × {intent:?}, e.g. {:?}",
            examples.len(),
            &examples[..examples.len().min(3)]
        );
    }
    assert!(
        (misread as f64) < 0.005 * n as f64,
        "{misread} of {n} requests read as actions"
    );
}

/// The annotated goals name the options the shopper wants ("black", "x-large",
/// "pack of 2"): how many of the colour, size and pack options the extractor finds,
/// with the most frequent misses printed. Guards against regressions with floors a
/// little under what it reaches now.
#[test]
fn goal_options_colours_sizes_and_packs_are_found() {
    use shopassist::catalog::colors::canonical_of_value;
    use shopassist::nlu::rules::normalise;
    let Some(goals) = webshop_data::<Vec<serde_json::Value>>("human_goals_annotated.dev.json")
    else {
        return;
    };
    let size_like = regex::Regex::new(
        r"^(xx?s|s|m|l|x{0,3}l|\d?x-?large|small|medium|large|\d+(\.\d+)?( wide)?|\d+w x \d+l|(queen|king|twin|full)( size)?)$",
    )
    .unwrap();
    let pack_like = regex::Regex::new(r"^(pack of \d+|\d+ ?(pack|count|pcs|pieces))$").unwrap();
    let mut found = [0usize; 3];
    let mut total = [0usize; 3];
    let mut misses: std::collections::BTreeMap<String, usize> = Default::default();
    for g in &goals {
        let text = g["instruction_text"].as_str().unwrap();
        let slots = extract(text);
        for option in g["goal_options"].as_array().into_iter().flatten() {
            let o = option.as_str().unwrap_or_default().to_lowercase();
            let o = o.trim();
            let (kind, hit) = if pack_like.is_match(o) {
                (2, slots.quantity.is_some())
            } else if size_like.is_match(o) {
                // The option in the extractor's own spelling ("x-large" → "XL").
                let want: Vec<String> = extract(&format!("size {o}"))
                    .sizes
                    .iter()
                    .chain(extract(&format!("{o} size")).sizes.iter())
                    .map(|s| s.to_lowercase().replace(' ', ""))
                    .collect();
                let hit = slots.sizes.iter().any(|s| {
                    let s = s.to_lowercase().replace(' ', "");
                    want.contains(&s) || normalise(o).replace(' ', "") == s
                });
                (1, hit)
            } else if let Some(c) = canonical_of_value(o) {
                (0, slots.colors.iter().any(|x| x == c))
            } else {
                continue;
            };
            total[kind] += 1;
            if hit {
                found[kind] += 1;
            } else {
                *misses
                    .entry(format!("{} {o}", ["colour", "size", "pack"][kind]))
                    .or_default() += 1;
            }
        }
    }
    let rate = |k: usize| found[k] as f64 / total[k].max(1) as f64;
    eprintln!(
        "goal options found: colours {}/{} ({:.1} %), sizes {}/{} ({:.1} %), packs {}/{} ({:.1} %)",
        found[0],
        total[0],
        rate(0) * 100.0,
        found[1],
        total[1],
        rate(1) * 100.0,
        found[2],
        total[2],
        rate(2) * 100.0
    );
    let mut top: Vec<_> = misses.into_iter().collect();
    top.sort_by_key(|m| std::cmp::Reverse(m.1));
    for (m, n) in top.iter().take(15) {
        eprintln!("  missed {n} × {m}");
    }
    assert!(
        // Sizes: bare "small"/"medium"/"large" are no size slot (they filter; "a small
        // end table" is no size S), which costs 19 + 19 + 14 misses here; the option
        // choice still picks such a value from the words (test below).
        rate(0) >= 0.88 && rate(1) >= 0.54 && rate(2) >= 0.55,
        "{found:?} of {total:?}"
    );
}

/// Every goal option of the annotated human goals (colours, sizes, packs, styles,
/// flavours, ...), as the assistant selects options (`Wishes` picks the product's
/// option value the shopper's words match best): recalled when all its words were
/// said or the rules' colour or size slot matches it; "mostly" when words making up
/// at least half of its letters were said (enough to pick it among values that share
/// fewer: "3 ounce" for "3 ounce (pack of 1)"). Invented: a size slot read from a goal whose options name sizes,
/// none of which it matches. The goal products are not in the 1k catalogue, so the
/// choice among real values cannot be checked here (`eval webshop` does that on the
/// development goals).
#[test]
fn goal_options_are_recalled_by_the_option_choice() {
    use shopassist::catalog::colors::canonical_of_value;
    use shopassist::catalog::options::{size_matches, Wishes};
    let Some(goals) = webshop_data::<Vec<serde_json::Value>>("human_goals_annotated.dev.json")
    else {
        return;
    };
    let (mut recalled, mut total, mut invented, mut size_slots) = (0usize, 0usize, 0usize, 0usize);
    let (mut partly, mut named) = (0usize, 0usize);
    let mut misses = Vec::new();
    for g in &goals {
        let text = g["instruction_text"].as_str().unwrap();
        let slots = extract(text);
        let wishes = Wishes::new(&shopassist::nlu::rules::normalise(text));
        let options: Vec<String> = g["goal_options"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|o| o.as_str().map(str::to_lowercase))
            .collect();
        for o in &options {
            total += 1;
            let by_words = wishes.score(o) >= 1000;
            let by_color =
                canonical_of_value(o).is_some_and(|c| slots.colors.iter().any(|x| x == c));
            let by_size = slots.sizes.iter().any(|s| size_matches(s, o));
            let some = by_words || by_color || by_size || wishes.names_part_of(o);
            named += usize::from(some);
            if by_words || by_color || by_size {
                recalled += 1;
                partly += 1;
            } else if wishes.said_share(o) >= 50 {
                partly += 1;
            } else if !some && misses.len() < 40 {
                misses.push(format!("{o:?} in {text:?}"));
            }
        }
        for s in &slots.sizes {
            size_slots += 1;
            let sizes_named = options.iter().any(|o| {
                o.chars().any(|c| c.is_ascii_digit()) || o.contains("large") || o.contains("small")
            });
            if sizes_named && !options.iter().any(|o| size_matches(s, o)) {
                invented += 1;
                if invented <= 15 {
                    eprintln!("  size {s:?} not in {options:?}: {text:?}");
                }
            }
        }
    }
    let rate = recalled as f64 / total.max(1) as f64;
    let partly_rate = partly as f64 / total.max(1) as f64;
    let named_rate = named as f64 / total.max(1) as f64;
    eprintln!(
        "goal options recalled {recalled}/{total} ({:.1} %), mostly said {partly} ({:.1} %), \
         named by a distinctive word {named} ({:.1} %); size slots contradicting the goal's \
         sizes: {invented} of {size_slots}",
        rate * 100.0,
        partly_rate * 100.0,
        named_rate * 100.0
    );
    for m in &misses {
        eprintln!("  missed {m}");
    }
    // Floors a little under what it reaches now (73.9 / 86.5 / 93.1 %, BENCHMARKS.md).
    assert!(rate >= 0.72, "{recalled} of {total}");
    assert!(partly_rate >= 0.85, "{partly} of {total}");
    assert!(named_rate >= 0.91, "{named} of {total}");
    assert!(invented * 5 <= size_slots, "{invented} of {size_slots}");
}
