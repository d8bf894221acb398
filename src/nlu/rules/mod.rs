//! Rule extractors: the slots rules can read with certainty, in German and English,
//! typed or transcribed. Every value found here is backed by the shopper's own words;
//! the model is never the only source of a price, colour, size or quantity.

mod pointers;
mod price;
pub mod specs;
#[cfg(test)]
mod tests;
mod variants;

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
            // A rate's unit: "200mb/s", "1 gbit/s".
            '/' if i > 0
                && matches!(chars[i - 1], 'b' | 't')
                && chars.get(i + 1) == Some(&'s')
                && chars.get(i + 2).is_none_or(|n| !n.is_alphanumeric()) =>
            {
                cleaned.push(c)
            }
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
    let said: Vec<&str> = joined.split_whitespace().collect();
    let joined = said
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            // "ddr four" said is the "DDR4" titles write: one word.
            let generation = |w: &str| matches!(w, "3" | "4" | "5");
            match *w {
                "ddr" if said.get(i + 1).is_some_and(|n| generation(n)) => {
                    Some(format!("ddr{}", said[i + 1]))
                }
                n if generation(n) && i > 0 && said[i - 1] == "ddr" => None,
                other => Some(other.to_string()),
            }
        })
        .collect::<Vec<_>>();
    let joined = joined
        .iter()
        .map(String::as_str)
        .map(|w| match w {
            "euro" | "euros" | "eur" => "eur",
            "dollar" | "dollars" | "bucks" | "usd" => "usd",
            "cent" | "cents" => "cent",
            // A plural no stemmer takes back to its kind: "tvs" has no vowel to keep.
            "tvs" => "tv",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ");
    sort_phrases(&joined)
}

/// A price order said as an order, not a superlative ("sorted by price", "order them
/// by price high to low", "nach preis sortiert", "vom teuersten zum günstigsten"),
/// written as the superlative it sorts by with "first": the products are listed in
/// that order, a page of them ("cheapest first"), and "order" says no order intent.
fn sort_phrases(text: &str) -> String {
    static ASC: OnceLock<Regex> = OnceLock::new();
    static DESC: OnceLock<Regex> = OnceLock::new();
    // What sorts: "sorted by price", "order them by the price", "nach preis sortiert".
    const BY_PRICE: &str = r"(?:(?:sort(?:ed)?|order(?:ed)?|rank(?:ed)?|arrange(?:d)?|list(?:ed)?)(?: them| it| these| those| all| all of them| the results| results)? by (?:the )?(?:lowest |highest )?price|(?:sortiert|sortieren|sortiere|sortier|geordnet|ordne|ordnen)(?: sie| die| alle| das)? nach (?:dem )?preis|nach (?:dem )?preis (?:sortiert|sortieren|geordnet|ordnen))";
    let desc = re(
        &DESC,
        &format!(
            r"\b(?:{BY_PRICE}(?: from)?(?: the)? high(?:est)?(?: price)? to(?: the)? low(?:est)?(?: price)?|{BY_PRICE} (?:descending|absteigend)|(?:price|preis) (?:from )?high(?:est)? to low(?:est)?|(?:price|preis) (?:descending|absteigend)|(?:highest|höchster) (?:price|preis) (?:first|zuerst)|from (?:the )?(?:most expensive|priciest)(?: to (?:the )?(?:cheapest|least expensive))?|vom teuersten(?: zum (?:günstigsten|billigsten))?)\b"
        ),
    );
    let asc = re(
        &ASC,
        &format!(
            r"\b(?:{BY_PRICE}(?:(?: from)?(?: the)? low(?:est)?(?: price)? to(?: the)? high(?:est)?(?: price)?| (?:ascending|aufsteigend))?|(?:price|preis) (?:from )?low(?:est)? to high(?:est)?|(?:price|preis) (?:ascending|aufsteigend)|(?:lowest|niedrigster) (?:price|preis) (?:first|zuerst)|from (?:the )?(?:cheapest|least expensive)(?: to (?:the )?(?:most expensive|priciest))?|vom (?:günstigsten|billigsten)(?: zum teuersten)?)\b"
        ),
    );
    let text = desc.replace_all(text, "most expensive first");
    let text = asc.replace_all(&text, "cheapest first");
    // "a cheap projector", "einen günstigen beamer": a page, cheapest first (not
    // "günstiger", a comparison as often as not, nor "budget", a sum).
    static CHEAP: OnceLock<Regex> = OnceLock::new();
    let cheap = re(
        &CHEAP,
        r"\b(?:cheap|inexpensive|affordable|low cost|low-cost|günstige?[nms]?|billige?[nms]?|preiswerte?[nms]?)\b",
    );
    cheap.replace_all(&text, "cheapest first").into_owned()
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

pub use pointers::*;
pub use price::*;
pub use variants::*;
