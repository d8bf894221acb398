//! Prices and price ranges: amounts in digits or words, with and without a currency.

use super::*;

/// An amount at the start of `s`: "49.99", "49,99", "49 99 eur" (spoken cents), "200".
/// Returns minor units and the number of words used.
pub(super) fn amount(words: &[&str]) -> Option<(i64, usize)> {
    let first = *words.first()?;
    let value: f64 = first.replace(',', ".").parse().ok()?;
    if !value.is_finite() || !(0.0..=10_000_000.0).contains(&value) {
        return None;
    }
    let mut minor = (value * 100.0).round() as i64;
    let mut used = 1;
    // "49 99 eur": spoken euros and cents.
    if !first.contains(['.', ',']) {
        if let Some(second) = words.get(1) {
            if second.len() == 2 && second.chars().all(|c| c.is_ascii_digit()) {
                minor += second.parse::<i64>().unwrap_or(0);
                used = 2;
            }
        }
    }
    Some((minor, used))
}

/// Price limits and ranges in normalised text.
pub fn price(text: &str) -> (Option<PriceRange>, Option<String>) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let currency = if words.contains(&"eur") {
        Some("EUR".to_string())
    } else if words.contains(&"usd") {
        Some("USD".to_string())
    } else {
        None
    };
    let is_money_context = |i: usize, used: usize| {
        // A number is a price when a currency word is next to it or a price word
        // stands before the phrase.
        words
            .get(i + used)
            .is_some_and(|w| matches!(*w, "eur" | "usd"))
            || (i > 0 && matches!(words[i - 1], "usd" | "eur"))
    };
    let max_words: &[&[&str]] = &[
        &["unter"],
        &["bis"],
        &["max"],
        &["maximal"],
        &["höchstens"],
        &["hoechstens"],
        &["weniger", "als"],
        &["nicht", "mehr", "als"],
        &["nicht", "teurer", "als"],
        &["günstiger", "als"],
        &["billiger", "als"],
        &["under"],
        &["below"],
        &["max"],
        &["maximum"],
        &["up", "to"],
        &["at", "most"],
        &["less", "than"],
        &["lower", "than"],
        &["no", "more", "than"],
        &["not", "more", "than"],
        &["no", "more", "expensive", "than"],
        &["not", "more", "expensive", "than"],
        &["cheaper", "than"],
        &["within"],
    ];
    let min_words: &[&[&str]] = &[
        &["über"],
        &["ab"],
        &["mindestens"],
        &["mehr", "als"],
        &["over"],
        &["above"],
        &["at", "least"],
        &["more", "than"],
        &["from"],
    ];
    let around_words: &[&[&str]] = &[
        &["um", "die"],
        &["etwa"],
        &["ungefähr"],
        &["circa"],
        &["ca"],
        &["around"],
        &["about"],
        &["roughly"],
    ];
    // Ranges: "zwischen 20 und 40", "between 20 and 40", "20 bis 40", "20-40", "from 5 to 10".
    for i in 0..words.len() {
        let is_cur = |k: usize| words.get(k).is_some_and(|w| matches!(*w, "eur" | "usd"));
        let (lead, mut a_at) = match words[i] {
            "zwischen" | "between" | "von" | "from" => (true, i + 1),
            _ => (false, i),
        };
        if lead && is_cur(a_at) {
            a_at += 1;
        }
        let Some((a, ua)) = amount(&words[a_at..]) else {
            continue;
        };
        let mut j = a_at + ua;
        if words.get(j).is_some_and(|w| matches!(*w, "eur" | "usd")) {
            j += 1;
        }
        if !words
            .get(j)
            .is_some_and(|w| matches!(*w, "und" | "and" | "bis" | "to" | "-"))
        {
            continue;
        }
        if !lead && !matches!(words.get(j), Some(&"bis") | Some(&"to")) {
            continue;
        }
        let b_at = if is_cur(j + 1) { j + 2 } else { j + 1 };
        if let Some((b, ub)) = amount(&words[b_at.min(words.len())..]) {
            // "between 25 and 30 inch" is a size.
            let unit = words
                .get(b_at + ub)
                .is_some_and(|w| is_unit(w) || crate::catalog::specs::canonical_unit(w).is_some());
            if b >= a && !unit && (lead || is_money_context(b_at, ub) || currency.is_some()) {
                return (
                    Some(PriceRange {
                        min: Some(a),
                        max: Some(b),
                    }),
                    currency,
                );
            }
        }
    }
    let starts_with = |i: usize, phrase: &[&str]| {
        words.len() >= i + phrase.len() && words[i..i + phrase.len()] == *phrase
    };
    // First a limit with a currency right beside it or a price word before it; only
    // then one that merely shares the sentence with a currency ("pro max 6.7 inch ...
    // lower than 30.00 dollars" is 30 dollars, not 6.70).
    for strict in [true, false] {
        for i in 0..words.len() {
            for (kind, lists) in [(0, max_words), (1, min_words), (2, around_words)] {
                for phrase in lists {
                    if !starts_with(i, phrase) {
                        continue;
                    }
                    let mut k = i + phrase.len();
                    // "unter usd 40", "price lower than 40.00 dollars", "max. 30€"
                    if words.get(k).is_some_and(|w| matches!(*w, "usd" | "eur")) {
                        k += 1;
                    }
                    let Some((v, used)) = amount(&words[k..]) else {
                        continue;
                    };
                    // "bis 50" needs money context; "ab 3 jahren" is no price.
                    let money = is_money_context(k, used)
                        || words[..i].iter().any(|w| {
                            matches!(*w, "price" | "preis" | "kosten" | "kostet" | "budget")
                        })
                        || (!strict
                            && currency.is_some()
                            && !words.get(k + used).is_some_and(|w| is_unit(w)))
                        || (!strict && kind != 2 && bare_limit(&words, i, k + used, v));
                    if !money {
                        continue;
                    }
                    let range = match kind {
                        0 => PriceRange {
                            min: None,
                            max: Some(v),
                        },
                        1 => PriceRange {
                            min: Some(v),
                            max: None,
                        },
                        // "around 100": ±20 %.
                        _ => PriceRange {
                            min: Some(v * 8 / 10),
                            max: Some(v * 12 / 10),
                        },
                    };
                    return (Some(range), currency);
                }
            }
        }
    }
    (None, currency)
}

/// "a router under 100", "laptop unter 500 bitte": a limit word and a number that
/// ends the message or a clause, with no currency anywhere, is a price, unless it
/// is small or the message speaks of ages or people ("toys for kids under 12").
fn bare_limit(words: &[&str], at: usize, after: usize, minor: i64) -> bool {
    const CLAUSE_END: &[&str] = &[
        "and", "please", "with", "for", "that", "in", "und", "bitte", "mit", "für", "fur", "die",
        "der", "das", "?",
    ];
    const AGES: &[&str] = &[
        "kid", "kids", "child", "children", "boy", "boys", "girl", "girls", "baby", "year",
        "years", "old", "age", "people", "persons", "kind", "kinder", "jahre", "jahren", "alt",
        "personen", "leute",
    ];
    // "at least 30 in" ends in inches: "in" closes a clause only before more words.
    let inches = words.get(after) == Some(&"in") && words.len() == after + 1;
    let ends = !inches && words.get(after).is_none_or(|w| CLAUSE_END.contains(w));
    // "unter" as in "below" a number of a spec already read ("unter 2 kg" has its
    // unit after it, caught above).
    ends && minor >= 1000 && at > 0 && !words.iter().any(|w| AGES.contains(w))
}

/// Units that make a number something other than a price.
pub(super) fn is_unit(w: &str) -> bool {
    matches!(
        w,
        "jahre"
            | "jahren"
            | "years"
            | "cm"
            | "mm"
            | "m"
            | "kg"
            | "g"
            | "l"
            | "ml"
            | "stück"
            | "pieces"
            | "pack"
            | "personen"
            | "people"
            | "teile"
            | "inch"
            | "inches"
            | "zoll"
            | "gb"
            | "tb"
            | "oz"
            | "ounce"
            | "ounces"
            | "ft"
            | "feet"
            | "lbs"
            | "pounds"
            | "w"
            | "watt"
            | "mah"
            | "count"
    )
}

/// Superlatives of price: they sort the asked kind of product (`assist::refine`) and
/// name no product (`rule_product_words`).
pub const CHEAPEST: &[&str] = &[
    "günstigste",
    "günstigsten",
    "günstigstes",
    "günstigster",
    "billigste",
    "billigsten",
    "billigstes",
    "billigster",
    "preiswerteste",
    "preiswertesten",
    "preiswertester",
    "cheapest",
    "least expensive",
    "lowest price",
];
pub const DEAREST: &[&str] = &[
    "teuerste",
    "teuersten",
    "teuerstes",
    "teuerster",
    "most expensive",
    "priciest",
    "highest price",
];

/// Whether a message sorts what it asks for by a superlative of price or of a spec
/// ("the cheapest wifi extender", "die teuerste powerbank", "longest hdmi cable").
pub fn says_superlative(normalised: &str) -> bool {
    let padded = format!(" {normalised} ");
    CHEAPEST
        .iter()
        .chain(DEAREST)
        .any(|w| padded.contains(&format!(" {w} ")))
        || super::specs::spec_sort(normalised).is_some()
}

/// Whether a word is part of a price or spec superlative ("cheapest", the "most" and
/// "expensive" of "most expensive", "longest"): it orders products and names none.
pub fn is_superlative_word(word: &str) -> bool {
    CHEAPEST
        .iter()
        .chain(DEAREST)
        .any(|s| s.split(' ').any(|x| x == word))
        || super::specs::spec_sort(word).is_some()
        // The verbs of "runs the longest", "hält am längsten": no product words.
        || matches!(word, "runs" | "lasts" | "läuft" | "hält")
}
