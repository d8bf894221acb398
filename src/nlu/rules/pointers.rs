//! Quantities, references to shown products, yes and no, order ids and exclusions.

use super::*;

/// Quantity: "zwei stück", "3x", "3 mal", "pack of 2", "2 packs".
pub fn quantity(text: &str) -> Option<u32> {
    static QTY: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &QTY,
        r"\b(?:(\d{1,3})\s*(?:x|mal|stück|stk|stueck|pieces|pcs|packs?|packungen?|flaschen|bottles|paar|pairs)\b|(?:pack|set)\s+of\s+(\d{1,3})\b|(\d{1,3})er[\s-]?(?:pack|set))",
    );
    if let Some(c) = r.captures(text) {
        let n: u32 = c.get(1).or(c.get(2)).or(c.get(3))?.as_str().parse().ok()?;
        let whole = c.get(0)?;
        if !(whole.as_str().ends_with('x') && magnification(text, whole.range())) {
            return (1..=999).contains(&n).then_some(n);
        }
    }
    count(text)
}

/// Whether an "10x" at `at` is a magnification or a zoom, compared or named as one
/// ("bigger than 10x", "at least 12x", "10x zoom"), not a count.
fn magnification(text: &str, at: std::ops::Range<usize>) -> bool {
    const COMPARED: &[&str] = &[
        "than",
        "least",
        "most",
        "over",
        "above",
        "under",
        "below",
        "about",
        "als",
        "mindestens",
        "über",
        "ueber",
        "bis",
        "max",
        "min",
    ];
    const NAMED: &[&str] = &[
        "zoom",
        "optical",
        "magnification",
        "power",
        "vergrößerung",
        "vergroesserung",
        "optisch",
        "optischer",
    ];
    let before = text[..at.start].split_whitespace().next_back();
    let after = text[at.end..].split_whitespace().next();
    before.is_some_and(|w| COMPARED.contains(&w)) || after.is_some_and(|w| NAMED.contains(&w))
}

/// A count said before what is counted, after a word that asks for it: "i need 2
/// hdmi cables", "the 3 cheapest", "die drei günstigsten" (numbers already digits).
/// Not a number with its unit ("2 tb", "10 meter"), a price or a model ("the 313
/// wireless charger" is more than any count a shopper says).
fn count(text: &str) -> Option<u32> {
    const CUES: &[&str] = &[
        "need", "want", "get", "buy", "add", "order", "the", "me", "brauche", "möchte", "moechte",
        "suche", "nehme", "kaufe", "bestelle", "die", "der", "das", "mir", "gern", "gerne", "put",
        "take", "leg", "lege", "pack", "packe", "purchase", "kauf", "bestell",
        // A count that opens the message: "2 hdmi cables of 25 feet".
        "^",
    ];
    const NOT_COUNTED: &[&str] = &[
        "eur", "usd", "euro", "euros", "dollar", "dollars", "cent", "cents", "und", "and", "oder",
        "or", "bis", "to", "prozent", "percent", "jahre", "years", "year", "jahr", "monate",
        "months", "tage", "days", "uhr", "mal", "x",
        // A rating or a while, not a count of things: "fünf sterne für den service".
        "sterne", "stars", "star", "punkte", "points", "wochen", "weeks", "stunden", "hours",
        "minuten", "minutes", "tagen",
    ];
    let words: Vec<&str> = std::iter::once("^")
        .chain(text.split_whitespace())
        .collect();
    (0..words.len().saturating_sub(2)).find_map(|i| {
        let w = &words[i..];
        let n: u32 = w[1].parse().ok()?;
        let counted = w[2].chars().all(char::is_alphabetic)
            && !NOT_COUNTED.contains(&w[2])
            && crate::catalog::specs::quantities(&format!("{} {}", w[1], w[2])).is_empty();
        // "put 2 10 feet hdmi cables in my cart": a count of things with a spec.
        let of_a_spec = || {
            w.get(3).is_some_and(|unit| {
                w[2].parse::<f64>().is_ok()
                    && !crate::catalog::specs::quantities(&format!("{} {unit}", w[2])).is_empty()
            })
        };
        // "add 2 to my cart", "put 2 in my basket": a count of what was asked or shown.
        let into_the_cart = || {
            matches!(w[2], "to" | "in" | "into" | "zum" | "ins" | "den")
                && w[3..]
                    .iter()
                    .take(2)
                    .any(|c| matches!(*c, "cart" | "basket" | "warenkorb" | "korb"))
        };
        (CUES.contains(&w[0])
            && (2..=20).contains(&n)
            && (counted || of_a_spec() || into_the_cart()))
        .then_some(n)
    })
}

pub(super) const ORDINALS: &[(&str, usize)] = &[
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

/// Every place a message points at by an ordinal, in its order: "compare the second
/// and the fourth" → 2, 4.
pub fn ordinals(text: &str) -> Vec<usize> {
    text.split_whitespace()
        .filter_map(|w| ORDINALS.iter().find(|(o, _)| *o == w).map(|(_, n)| *n))
        .collect()
}

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
    // Words that say nothing but yes count anywhere ("ich möchte die bestellung
    // bestätigen"); the others only early in the message: in "eine hose die zu allem
    // passt" or "for a friend who is sure to love it" they are no answer.
    const ONLY_YES: &[&str] = &[
        "bestätigen",
        "bestätige",
        "bestaetigen",
        "confirm",
        "einverstanden",
    ];
    let first_no = words.iter().position(|w| NO.contains(w));
    // "do it" says yes; "do you guys sell air fryers" asks.
    let asks = |i: usize| {
        words[i] == "do"
            && words
                .get(i + 1)
                .is_some_and(|n| ["you", "u", "ya", "yall", "they", "we"].contains(n))
    };
    // "welcher arbeitsspeicher passt zum asus b550", "passt der zum b550": what
    // fits asks; a question is no answer.
    const QUESTION: &[&str] = &[
        "welche", "welcher", "welches", "welchen", "was", "wie", "wo", "which", "what", "how",
        "where", "who",
    ];
    if QUESTION.contains(&words[0]) {
        return None;
    }
    let fits = |i: usize| {
        words[i] == "passt"
            && words.get(i + 1).is_some_and(|n| {
                [
                    "zu", "zum", "zur", "für", "fuer", "in", "auf", "mit", "an", "der", "die",
                    "das", "dazu",
                ]
                .contains(n)
            })
    };
    let first_yes = words
        .iter()
        .position(|w| YES.contains(w))
        .filter(|&i| i <= 2 || ONLY_YES.contains(&words[i]))
        .filter(|&i| !asks(i) && !fits(i));
    match (first_yes, first_no) {
        (_, Some(n)) if words[n] == "nicht" && n > 0 => None,
        (Some(y), Some(n)) if y < n => None,
        (_, Some(_)) => Some(Confirmation::No),
        // "ok dann den leichteren", "ok the second one then": a choice of another
        // product, not a yes (it placed the pending order).
        (Some(_), None) if picks_another(t, &words) => None,
        (Some(_), None) => Some(Confirmation::Yes),
        _ => None,
    }
}

/// Whether a message points at a product or compares ("den zweiten", "that one",
/// "den leichteren", "the cheaper one", "instead"): it chooses, it does not confirm.
fn picks_another(text: &str, words: &[&str]) -> bool {
    if reference(text).is_some() {
        return true;
    }
    words.iter().enumerate().any(|(i, w)| {
        let next = words.get(i + 1).copied().unwrap_or("");
        matches!(*w, "instead" | "rather" | "another" | "other" | "stattdessen" | "andere" | "anderen")
            // German comparatives as chosen: "den leichteren", "die günstigere".
            || (w.chars().count() >= 7 && (w.ends_with("eren") || w.ends_with("ere")))
            // English ones before "one": "the lighter one", "a bigger one".
            || (matches!(next, "one" | "ones")
                && *w != "order"
                && w.chars().count() >= 5
                && w.ends_with("er"))
    })
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
        // "isn't", "aren't" arrive without their apostrophe. ("non-slip", "non
        // toxic" name a property, nothing to leave out.)
        const GERMAN: &[&str] = &["ohne", "kein", "keine", "keinen", "nicht"];
        let german = GERMAN.contains(w);
        if !german && !matches!(*w, "without" | "not" | "no" | "isnt" | "arent") {
            continue;
        }
        // "without a cable", "ohne ein kabel": the word after the article.
        let article = |w: &&str| {
            matches!(
                *w,
                "a" | "an" | "any" | "the" | "ein" | "eine" | "einen" | "einem" | "einer"
            )
        };
        let Some(next) = words[i + 1..].iter().find(|w| !article(w)) else {
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
        // "maus ohne kabel", "a vacuum without a cord": not the wired ones; a
        // cordless product's text may well name its charging cable.
        if matches!(
            *next,
            "kabel" | "cable" | "cables" | "cord" | "cords" | "schnur" | "wire" | "wires"
        ) {
            out.push(if german { "kabelgebunden" } else { "wired" }.to_string());
            continue;
        }
        out.push(next.to_string());
    }
    out
}
