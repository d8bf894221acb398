//! Rule extractors: the slots rules can read with certainty, in German and English,
//! typed or transcribed. Every value found here is backed by the shopper's own words;
//! the model is never the only source of a price, colour, size or quantity.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use super::numbers::digits_for_words;
use crate::catalog::colors::canonical_color;

/// A price constraint in minor units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PriceRange {
    pub min: Option<i64>,
    pub max: Option<i64>,
}

/// Which shown product the shopper points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "index")]
pub enum Reference {
    /// 1-based position in the last shown list.
    Ordinal(usize),
    Last,
    /// "that one", "den", "diesen": the focused product.
    This,
}

/// Yes or no to a pending question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confirmation {
    Yes,
    No,
}

/// Everything the rules found in one utterance.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RuleSlots {
    pub price: Option<PriceRange>,
    pub currency: Option<String>,
    /// Canonical colours wanted.
    pub colors: Vec<String>,
    /// Canonical colours excluded ("nicht rot").
    pub not_colors: Vec<String>,
    pub sizes: Vec<String>,
    pub quantity: Option<u32>,
    pub reference: Option<Reference>,
    pub confirmation: Option<Confirmation>,
    pub order_id: Option<String>,
    /// Words after "ohne", "without", "not", "kein": things to exclude.
    pub exclude: Vec<String>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("rule regex compiles"))
}

const FILLERS: &[&str] = &[
    "ähm", "äh", "ehm", "hm", "hmm", "öhm", "uh", "um", "uhm", "erm",
];

/// Normalises a typed or spoken utterance: lowercase, fillers dropped, punctuation
/// that carries no meaning removed, numbers in words turned into digits, currency
/// words unified ("euro", "€", "eur" → "eur"; "dollar", "bucks", "$" → "usd").
pub fn normalise(text: &str) -> String {
    let lower = text.to_lowercase();
    // Keep decimal separators between digits and the signs that matter.
    let mut cleaned = String::with_capacity(lower.len());
    let chars: Vec<char> = lower.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_ascii_digit()
            && chars[i + 1].is_ascii_digit();
        match c {
            '.' | ',' if between_digits => cleaned.push(c),
            '€' => cleaned.push_str(" eur "),
            '$' => cleaned.push_str(" usd "),
            '#' => cleaned.push(' '),
            // "what's" → "whats", "i'll" → "ill": one word, as speech transcribers write it.
            '\'' | '’' => {}
            c if c.is_alphanumeric() || c == '-' || c == 'ß' => cleaned.push(c),
            _ => cleaned.push(' '),
        }
    }
    let all: Vec<&str> = cleaned
        .split_whitespace()
        .map(|w| w.trim_matches('-'))
        .filter(|w| !w.is_empty())
        .collect();
    let words: Vec<&str> = all
        .iter()
        .enumerate()
        .filter(|(i, w)| {
            // German "um die 100 Euro" is no English "um".
            let german_um = **w == "um"
                && all.get(i + 1).is_some_and(|n| {
                    matches!(
                        *n,
                        "die" | "den" | "das" | "ca" | "circa" | "etwa" | "ungefähr"
                    ) || n.starts_with(|c: char| c.is_ascii_digit())
                });
            german_um || !FILLERS.contains(w)
        })
        .map(|(_, w)| *w)
        .collect();
    let joined = digits_for_words(&words.join(" "));
    joined
        .split_whitespace()
        .map(|w| match w {
            "euro" | "euros" | "eur" => "eur",
            "dollar" | "dollars" | "bucks" | "usd" => "usd",
            "cent" | "cents" => "cent",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An amount at the start of `s`: "49.99", "49,99", "49 99 eur" (spoken cents), "200".
/// Returns minor units and the number of words used.
fn amount(words: &[&str]) -> Option<(i64, usize)> {
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
            if b >= a && (lead || is_money_context(b_at, ub) || currency.is_some()) {
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
                            && !words.get(k + used).is_some_and(|w| is_unit(w)));
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

/// Units that make a number something other than a price.
fn is_unit(w: &str) -> bool {
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

/// Colours wanted and colours excluded ("nicht rot", "not red", "kein schwarz").
pub fn colors(text: &str) -> (Vec<String>, Vec<String>) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (mut want, mut not) = (Vec::new(), Vec::new());
    for (i, w) in words.iter().enumerate() {
        let Some(c) = canonical_color(w) else {
            continue;
        };
        let negated = i > 0
            && matches!(
                words[i - 1],
                "nicht" | "not" | "kein" | "keine" | "no" | "ohne" | "without"
            );
        let list = if negated { &mut not } else { &mut want };
        if !list.iter().any(|x: &String| x == c) {
            list.push(c.to_string());
        }
    }
    (want, not)
}

/// Sizes: clothing letters, EU shoe sizes after a size word, "größe m", "size 8.5",
/// bed sizes, and dimensions like "100x45x45cm".
pub fn sizes(text: &str) -> Vec<String> {
    static DIM: OnceLock<Regex> = OnceLock::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for (i, w) in words.iter().enumerate() {
        // "extra large", "extra-large", "extra small"
        if *w == "extra" || *w == "extra-large" || *w == "extra-small" {
            let next = if *w == "extra" {
                words.get(i + 1).copied()
            } else {
                Some(&w[6..])
            };
            match next {
                Some("large") => push("XL".into()),
                Some("small") => push("XS".into()),
                _ => {}
            }
            continue;
        }
        if *w == "large" && i > 0 && words[i - 1] == "extra" {
            continue;
        }
        // "8 size flats": a number right before "size"/"größe".
        if matches!(words.get(i + 1), Some(&"size") | Some(&"größe"))
            && w.replace(',', ".")
                .parse::<f64>()
                .is_ok_and(|n| (1.0..=60.0).contains(&n))
        {
            push(w.replace(',', "."));
            continue;
        }
        let after_size_word = i > 0
            && matches!(
                words[i - 1],
                "größe" | "groesse" | "grösse" | "gr" | "size" | "nummer" | "in"
            );
        let letter = matches!(
            *w,
            "xxs"
                | "xs"
                | "s"
                | "m"
                | "l"
                | "xl"
                | "xxl"
                | "xxxl"
                | "2xl"
                | "3xl"
                | "4xl"
                | "5xl"
                | "x-large"
                | "xx-large"
                | "3x-large"
                | "small"
                | "medium"
                | "large"
        );
        // "small", "medium", "large" are sizes only next to a size word ("size
        // large", "large size"): "a small end table" wants a small table, not size S.
        let spelled = matches!(*w, "small" | "medium" | "large");
        let size_next = matches!(words.get(i + 1), Some(&"size") | Some(&"größe"));
        if letter && (after_size_word || size_next || !spelled && w.len() >= 2 && *w != "in") {
            push(match *w {
                "small" => "S".into(),
                "medium" => "M".into(),
                "large" => "L".into(),
                "x-large" => "XL".into(),
                "xx-large" => "XXL".into(),
                "3x-large" => "3XL".into(),
                other => other.to_uppercase(),
            });
            continue;
        }
        // "das zweite in 42": after a bare "in", a number in the range of shoe and
        // clothing sizes counts, unless a unit follows ("in 20 minuten", "in 30 euro").
        let in_size = i > 0
            && words[i - 1] == "in"
            && w.parse::<u32>().is_ok_and(|n| (16..=60).contains(&n))
            && !words.get(i + 1).is_some_and(|n| {
                matches!(
                    *n,
                    "euro"
                        | "eur"
                        | "€"
                        | "dollar"
                        | "dollars"
                        | "$"
                        | "tage"
                        | "tagen"
                        | "minuten"
                        | "stunden"
                        | "jahren"
                        | "days"
                        | "minutes"
                        | "hours"
                        | "years"
                        | "stück"
                        | "sekunden"
                        | "cm"
                        | "mm"
                        | "kg"
                        | "g"
                        | "ml"
                        | "l"
                )
            });
        if in_size {
            push(w.to_string());
            continue;
        }
        if after_size_word && words[i - 1] != "in" {
            if let Ok(n) = w.replace(',', ".").parse::<f64>() {
                if (0.0..=60.0).contains(&n) {
                    push(w.replace(',', "."));
                    // "size 8.5 wide"
                    if words.get(i + 1) == Some(&"wide") {
                        push("wide".into());
                    }
                }
            }
        }
        if matches!(*w, "queen" | "king" | "twin" | "full") && words.get(i + 1) == Some(&"size") {
            push(format!("{w} size"));
        }
        // "size: full", "size queen"
        if matches!(*w, "queen" | "king" | "twin" | "full")
            && i > 0
            && matches!(words[i - 1], "size" | "größe")
        {
            push(w.to_string());
        }
    }
    for m in re(
        &DIM,
        r"\b(\d+(?:[.,]\d+)?)\s*x\s*(\d+(?:[.,]\d+)?)(?:\s*x\s*(\d+(?:[.,]\d+)?))?\s*(cm|mm|m)?\b",
    )
    .captures_iter(text)
    {
        let dims: Vec<&str> = [m.get(1), m.get(2), m.get(3)]
            .into_iter()
            .flatten()
            .map(|g| g.as_str())
            .collect();
        let unit = m.get(4).map(|u| u.as_str()).unwrap_or("");
        push(format!("{}{unit}", dims.join("x")));
    }
    out
}

/// Quantity: "zwei stück", "3x", "3 mal", "pack of 2", "2 packs".
pub fn quantity(text: &str) -> Option<u32> {
    static QTY: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &QTY,
        r"\b(?:(\d{1,3})\s*(?:x|mal|stück|stk|stueck|pieces|pcs|packs?|packungen?|flaschen|bottles|paar|pairs)\b|(?:pack|set)\s+of\s+(\d{1,3})\b|(\d{1,3})er[\s-]?(?:pack|set))",
    );
    let c = r.captures(text)?;
    let n: u32 = c.get(1).or(c.get(2)).or(c.get(3))?.as_str().parse().ok()?;
    (1..=999).contains(&n).then_some(n)
}

const ORDINALS: &[(&str, usize)] = &[
    ("erste", 1),
    ("ersten", 1),
    ("erstes", 1),
    ("erster", 1),
    ("first", 1),
    ("1st", 1),
    ("zweite", 2),
    ("zweiten", 2),
    ("zweites", 2),
    ("zweiter", 2),
    ("second", 2),
    ("2nd", 2),
    ("dritte", 3),
    ("dritten", 3),
    ("drittes", 3),
    ("dritter", 3),
    ("third", 3),
    ("3rd", 3),
    ("vierte", 4),
    ("vierten", 4),
    ("viertes", 4),
    ("fourth", 4),
    ("4th", 4),
    ("fünfte", 5),
    ("fünften", 5),
    ("fifth", 5),
    ("5th", 5),
];

/// "das zweite", "den letzten", "the first one", "that one", "nummer 2".
pub fn reference(text: &str) -> Option<Reference> {
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        if let Some((_, n)) = ORDINALS.iter().find(|(o, _)| o == w) {
            return Some(Reference::Ordinal(*n));
        }
        // "letztes Mal", "last time", "meine letzte Bestellung" are no pointing.
        let about_time = words.get(i + 1).is_some_and(|n| {
            matches!(
                *n,
                "mal"
                    | "time"
                    | "bestellung"
                    | "order"
                    | "woche"
                    | "week"
                    | "monat"
                    | "month"
                    | "jahr"
                    | "year"
                    | "einkauf"
                    | "purchase"
                    | "lieferung"
            )
        });
        if matches!(*w, "letzte" | "letzten" | "letztes" | "letzter" | "last") && !about_time {
            return Some(Reference::Last);
        }
        if matches!(*w, "nummer" | "number" | "nr") {
            if let Some(n) = words.get(i + 1).and_then(|n| n.parse::<usize>().ok()) {
                if (1..=20).contains(&n) {
                    return Some(Reference::Ordinal(n));
                }
            }
        }
    }
    let t = format!(" {text} ");
    for p in [
        " that one ",
        " this one ",
        " den da ",
        " die da ",
        " das da ",
        " diesen ",
        " diese hier ",
        " dieses ",
        " den nehme ich ",
        " die nehme ich ",
        " das nehme ich ",
    ] {
        if t.contains(p) {
            return Some(Reference::This);
        }
    }
    None
}

/// Yes or no, when the utterance is (mostly) just that.
pub fn confirmation(text: &str) -> Option<Confirmation> {
    let t = text.trim();
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return None;
    }
    const YES: &[&str] = &[
        "ja",
        "jawohl",
        "genau",
        "passt",
        "bestätigen",
        "bestätige",
        "bestaetigen",
        "klar",
        "gerne",
        "ok",
        "okay",
        "yes",
        "yeah",
        "yep",
        "sure",
        "confirm",
        "correct",
        "richtig",
        "einverstanden",
        "mach",
        "do",
    ];
    const NO: &[&str] = &[
        "nein",
        "nee",
        "ne",
        "abbrechen",
        "stopp",
        "stop",
        "no",
        "nope",
        "cancel",
        "nicht",
        "lieber",
    ];
    let first_no = words.iter().position(|w| NO.contains(w));
    let first_yes = words.iter().position(|w| YES.contains(w));
    match (first_yes, first_no) {
        (_, Some(n)) if words[n] == "nicht" && n > 0 => None,
        (Some(y), Some(n)) if y < n => None,
        (_, Some(_)) => Some(Confirmation::No),
        (Some(_), None) => Some(Confirmation::Yes),
        _ => None,
    }
}

/// Order ids: "bestellung 123456", "order #A-12345", "AB12345".
pub fn order_id(text: &str) -> Option<String> {
    static ID: OnceLock<Regex> = OnceLock::new();
    let r = re(&ID, r"\b([a-z]{1,4}-?\d{4,12}|\d{3,6}-\d{3,8}|\d{5,12})\b");
    r.captures_iter(text)
        .map(|c| c[1].to_uppercase())
        .find(|id| !id.chars().all(|c| c.is_ascii_digit()) || id.len() >= 5)
}

/// Things to exclude: "ohne zucker", "without leather", "kein leder", "not leather".
/// Colours are handled by [`colors`].
pub fn exclusions(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !matches!(
            *w,
            "ohne" | "without" | "kein" | "keine" | "keinen" | "nicht" | "not" | "no"
        ) {
            continue;
        }
        let Some(next) = words.get(i + 1) else {
            continue;
        };
        if canonical_color(next).is_some()
            || next.len() < 3
            || matches!(
                *next,
                "mehr" | "more" | "than" | "als" | "so" | "zu" | "too"
            )
        {
            continue;
        }
        out.push(next.to_string());
    }
    out
}

/// Runs every rule over an utterance.
pub fn extract(text: &str) -> RuleSlots {
    extract_normalised(&normalise(text))
}

/// [`extract`] for text already passed through [`normalise`].
pub fn extract_normalised(n: &str) -> RuleSlots {
    let (price, currency) = price(n);
    let (colors, not_colors) = colors(n);
    RuleSlots {
        price,
        currency,
        colors,
        not_colors,
        sizes: sizes(n),
        quantity: quantity(n),
        reference: reference(n),
        confirmation: confirmation(n),
        order_id: order_id(n),
        exclude: exclusions(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max(t: &str) -> Option<i64> {
        extract(t).price.and_then(|p| p.max)
    }

    #[test]
    fn german_price_limits() {
        assert_eq!(
            max("Ich brauche einen wasserdichten Wintermantel unter 200 €"),
            Some(20000)
        );
        assert_eq!(max("bis 50 Euro"), Some(5000));
        assert_eq!(max("max. 30€"), Some(3000));
        assert_eq!(max("nicht mehr als 80 euro bitte"), Some(8000));
        assert_eq!(max("unter zweihundert euro"), Some(20000), "spoken");
        assert_eq!(
            max("bis neunundvierzig neunundneunzig euro"),
            Some(4999),
            "spoken cents"
        );
        assert_eq!(max("höchstens 19,99 €"), Some(1999));
        let r = extract("zwischen 20 und 40 Euro").price.unwrap();
        assert_eq!((r.min, r.max), (Some(2000), Some(4000)));
        assert_eq!(extract("ab 100 euro").price.unwrap().min, Some(10000));
    }

    #[test]
    fn english_price_limits() {
        assert_eq!(max("less than $40"), Some(4000));
        assert_eq!(max("under 200 bucks"), Some(20000));
        assert_eq!(max("price lower than 40.00 dollars"), Some(4000));
        assert_eq!(max("under two hundred and fifty dollars"), Some(25000));
        assert_eq!(
            max("no more than forty nine ninety nine dollars"),
            Some(4999)
        );
        let r = extract("around 100 euros").price.unwrap();
        assert_eq!((r.min, r.max), (Some(8000), Some(12000)));
        let r = extract("between $5 and $10").price.unwrap();
        assert_eq!((r.min, r.max), (Some(500), Some(1000)));
        assert_eq!(extract("less than $40").currency.as_deref(), Some("USD"));
    }

    #[test]
    fn spoken_hundreds_and_more_phrasings() {
        assert_eq!(normalise("einhundertzwanzig euro"), "120 eur");
        assert_eq!(max("nicht teurer als einhundertzwanzig euro"), Some(12000));
        assert_eq!(
            normalise("kopfhörer um die einhundert euro"),
            "kopfhörer um die 100 eur"
        );
        let r = extract("kopfhörer um die einhundert euro").price.unwrap();
        assert_eq!((r.min, r.max), (Some(8000), Some(12000)));
        assert_eq!(max("not more expensive than 30 dollars"), Some(3000));
    }

    #[test]
    fn a_number_after_in_is_a_size_when_it_looks_like_one() {
        assert_eq!(extract("das zweite in 42").sizes, vec!["42"]);
        assert_eq!(extract("the first one in 38").sizes, vec!["38"]);
        assert!(extract("lieferung in 20 minuten").sizes.is_empty());
        assert!(extract("in 3 farben").sizes.is_empty());
    }

    #[test]
    fn numbers_that_are_no_prices_stay_out() {
        assert_eq!(extract("wo bleibt meine bestellung").price, None);
        assert_eq!(extract("spielzeug ab 3 jahren").price, None);
        assert_eq!(extract("schuhe in größe 42").price, None);
        assert_eq!(extract("zelt für 2 personen").price, None);
    }

    #[test]
    fn colours_with_german_inflection_and_negation() {
        let s = extract("Ich suche schwarze Schuhe, aber nicht rot");
        assert_eq!(s.colors, vec!["black"]);
        assert_eq!(s.not_colors, vec!["red"]);
        assert_eq!(extract("eine dunkelgraue jacke").colors, vec!["grey"]);
        assert_eq!(extract("und das ganze in grün?").colors, vec!["green"]);
        assert_eq!(extract("in navy blue please").colors, vec!["navy", "blue"]);
        assert!(extract("wo bleibt meine bestellung").colors.is_empty());
    }

    #[test]
    fn sizes_in_both_languages() {
        assert_eq!(extract("Laufschuhe in Größe 42").sizes, vec!["42"]);
        assert_eq!(extract("Größe M bitte").sizes, vec!["M"]);
        assert_eq!(extract("a shirt in XL").sizes, vec!["XL"]);
        assert_eq!(extract("size 8.5 wide").sizes, vec!["8.5", "wide"]);
        assert_eq!(extract("queen size bed sheets").sizes, vec!["queen size"]);
        assert_eq!(extract("ein tisch 100x45x45cm").sizes, vec!["100x45x45cm"]);
        assert_eq!(extract("women's shorts size: 3x-large").sizes, vec!["3XL"]);
        assert!(extract("ich brauche einen mantel").sizes.is_empty());
    }

    #[test]
    fn quantities_and_packs() {
        assert_eq!(extract("zwei Stück bitte").quantity, Some(2));
        assert_eq!(extract("3x davon").quantity, Some(3));
        assert_eq!(extract("a pack of 2").quantity, Some(2));
        assert_eq!(extract("6er pack wasser").quantity, Some(6));
        assert_eq!(extract("ich nehme den schwarzen").quantity, None);
    }

    #[test]
    fn references_to_shown_products() {
        assert_eq!(
            extract("das zweite in 42").reference,
            Some(Reference::Ordinal(2))
        );
        assert_eq!(extract("den letzten").reference, Some(Reference::Last));
        assert_eq!(
            extract("the first one").reference,
            Some(Reference::Ordinal(1))
        );
        assert_eq!(
            extract("I'll take that one").reference,
            Some(Reference::This)
        );
        assert_eq!(extract("nummer 3").reference, Some(Reference::Ordinal(3)));
        assert_eq!(extract("zeig mir jacken").reference, None);
    }

    #[test]
    fn yes_and_no() {
        for y in [
            "ja",
            "Ja, genau!",
            "passt",
            "bestätigen",
            "yes",
            "ok",
            "sure",
            "yes please",
        ] {
            assert_eq!(extract(y).confirmation, Some(Confirmation::Yes), "{y}");
        }
        for n in ["nein", "abbrechen", "no", "cancel", "nein danke"] {
            assert_eq!(extract(n).confirmation, Some(Confirmation::No), "{n}");
        }
        assert_eq!(
            extract("ich suche eine jacke in schwarz für den winter bitte schnell").confirmation,
            None
        );
    }

    #[test]
    fn order_ids() {
        assert_eq!(
            extract("wo bleibt meine bestellung 123456?")
                .order_id
                .as_deref(),
            Some("123456")
        );
        assert_eq!(
            extract("order #A-12345 hasn't arrived").order_id.as_deref(),
            Some("A-12345")
        );
        assert_eq!(extract("wo bleibt meine bestellung").order_id, None);
        assert_eq!(extract("größe 42").order_id, None);
    }

    #[test]
    fn exclusions_name_what_to_leave_out() {
        assert_eq!(extract("Müsli ohne Zucker").exclude, vec!["zucker"]);
        assert_eq!(extract("boots, not leather").exclude, vec!["leather"]);
        assert!(extract("nicht mehr als 50 euro").exclude.is_empty());
        assert!(
            extract("nicht rot").exclude.is_empty(),
            "colours go to not_colors"
        );
    }

    #[test]
    fn voice_transcripts_normalise() {
        assert_eq!(
            normalise("Ähm, ich brauche... also eine Jacke für 49,99 €!"),
            "ich brauche also eine jacke für 49,99 eur"
        );
        assert_eq!(normalise("uh under two hundred bucks"), "under 200 usd");
    }
}
