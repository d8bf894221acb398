//! What the shopper wants to do. Rules decide when the words leave no doubt ("ja",
//! "wo bleibt meine Bestellung", "zur Kasse", "das zweite in 42"); otherwise the LLM
//! is asked, and without an LLM the turn counts as a search.

use serde::{Deserialize, Serialize};

use super::rules::{Confirmation, RuleSlots};

/// Every intent the assistant handles.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    Search,
    Refine,
    ProductQuestion,
    Compare,
    AddToCart,
    RemoveFromCart,
    ShowCart,
    Checkout,
    Confirm,
    CancelAction,
    OrderStatus,
    CancelOrder,
    ReturnItem,
    Reorder,
    Feedback,
    Handoff,
    Greeting,
    OutOfScope,
}

impl Intent {
    pub const ALL: [Intent; 18] = [
        Intent::Search,
        Intent::Refine,
        Intent::ProductQuestion,
        Intent::Compare,
        Intent::AddToCart,
        Intent::RemoveFromCart,
        Intent::ShowCart,
        Intent::Checkout,
        Intent::Confirm,
        Intent::CancelAction,
        Intent::OrderStatus,
        Intent::CancelOrder,
        Intent::ReturnItem,
        Intent::Reorder,
        Intent::Feedback,
        Intent::Handoff,
        Intent::Greeting,
        Intent::OutOfScope,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Search => "search",
            Intent::Refine => "refine",
            Intent::ProductQuestion => "product_question",
            Intent::Compare => "compare",
            Intent::AddToCart => "add_to_cart",
            Intent::RemoveFromCart => "remove_from_cart",
            Intent::ShowCart => "show_cart",
            Intent::Checkout => "checkout",
            Intent::Confirm => "confirm",
            Intent::CancelAction => "cancel_action",
            Intent::OrderStatus => "order_status",
            Intent::CancelOrder => "cancel_order",
            Intent::ReturnItem => "return_item",
            Intent::Reorder => "reorder",
            Intent::Feedback => "feedback",
            Intent::Handoff => "handoff",
            Intent::Greeting => "greeting",
            Intent::OutOfScope => "out_of_scope",
        }
    }

    pub fn parse(s: &str) -> Option<Intent> {
        Intent::ALL.into_iter().find(|i| i.as_str() == s)
    }
}

/// Whether any of `phrases` occurs in `padded` (the text with a space either side) as
/// whole words. A phrase ending in `*` matches any word starting with it.
fn has(padded: &str, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| {
        // Normalised text has no apostrophes ("i'll" → "ill"); nor may the phrase.
        let p = p.replace('\'', "");
        match p.strip_suffix('*') {
            Some(stem) => padded.contains(&format!(" {stem}")),
            None => padded.contains(&format!(" {p} ")),
        }
    })
}

const HANDOFF: &[&str] = &[
    "mitarbeiter*",
    "mit einem menschen",
    "mit einem mensch",
    "einen menschen",
    "echten person",
    "echte person",
    "echten menschen",
    "berater*",
    "kundenservice",
    "kundendienst",
    "hotline",
    "jemandem sprechen",
    "jemanden sprechen",
    "mit jemandem",
    "beschwerde",
    "beschweren",
    "real person",
    "someone real",
    "customer service",
    "customer support",
    "speak to someone",
    "talk to someone",
    "complaint",
];
/// English words for a person that only mean handoff with a request around them
/// ("talk to a human"), not in "human hair" or "cable manager".
const PERSON: &[&str] = &[
    "human",
    "person",
    "agent",
    "manager",
    "representative",
    "operator",
    "someone",
    "somebody",
    "staff",
    "supervisor",
];
const ASK_FOR_PERSON: &[&str] = &[
    "talk to",
    "talk with",
    "speak to",
    "speak with",
    "connect me",
    "get me a",
    "get me an",
    "give me a",
    "i want a",
    "i need a",
    "transfer me",
    "let me talk",
    "put me through",
];
const CANCEL_ORDER: &[&str] = &[
    "stornier*",
    "storno",
    "bestellung abbrechen",
    "bestellung zurückziehen",
    "bestellung widerrufen",
    "cancel my order",
    "cancel the order",
    "cancel order",
    "cancel my purchase",
    "cancel it",
];
const RETURN: &[&str] = &[
    "zurückschicken",
    "zurücksenden",
    "zurückgeben",
    "retour*",
    "rücksendung",
    "umtausch*",
    "tauschen",
    "geld zurück",
    "erstattung",
    "return",
    "returns",
    "returning",
    "exchange",
    "send back",
    "send it back",
    "refund",
    "swap it",
];
const ORDER_STATUS: &[&str] = &[
    "wo bleibt",
    "wo ist meine",
    "wo ist mein",
    "bestellstatus",
    "status meiner",
    "status der bestellung",
    "sendungsverfolgung",
    "sendungsnummer",
    "tracking number",
    "track my",
    "track the order",
    "wann kommt",
    "wann kommen",
    "wann wird",
    "schon verschickt",
    "versendet",
    "geliefert",
    "lieferstatus",
    "paket",
    "where is my",
    "where's my",
    "order status",
    "status of my",
    "when will",
    "has my order",
    "shipped yet",
    "arrive",
    "delivery status",
    "where's my stuff",
    "where is my stuff",
    "my parcel",
    "my package",
];
const REORDER: &[&str] = &[
    "nachbestellen",
    "nochmal bestellen",
    "noch mal bestellen",
    "wieder bestellen",
    "erneut bestellen",
    "nochmal das gleiche",
    "das gleiche wie letztes mal",
    "wie letztes mal",
    "wie beim letzten mal",
    "reorder",
    "re-order",
    "order again",
    "same as last time",
    "buy again",
    "the same again",
    "usual order",
];
const FEEDBACK: &[&str] = &[
    "feedback",
    "bewertung",
    "bewerten",
    "zufrieden",
    "unzufrieden",
    "sterne",
    "stars",
    "rate you",
    "rating",
    "great service",
    "toller service",
    "super service",
    "lob",
    "hat mir gefallen",
    "sehr hilfreich",
    "very helpful",
    "you were helpful",
    "du warst",
    "ihr seid",
    "suggestion",
];
const SHOW_CART: &[&str] = &[
    "warenkorb zeigen",
    "zeig mir den warenkorb",
    "zeig den warenkorb",
    "zeig meinen warenkorb",
    "was ist im warenkorb",
    "was ist in meinem warenkorb",
    "was habe ich im warenkorb",
    "mein warenkorb",
    "meinen warenkorb",
    "den warenkorb",
    "show cart",
    "show my cart",
    "show me my cart",
    "what's in my cart",
    "whats in my cart",
    "what is in my cart",
    "my cart",
    "my basket",
    "view cart",
    "einkaufswagen",
];
const CHECKOUT: &[&str] = &[
    "zur kasse",
    "kasse",
    "bezahlen",
    "zahlen",
    "checkout",
    "check out",
    "bestellung abschließen",
    "jetzt bestellen",
    "bestellen",
    "kaufen abschließen",
    "place the order",
    "place my order",
    "pay",
    "proceed to payment",
    "complete my order",
    "complete the order",
    "finish my order",
];
const REMOVE: &[&str] = &[
    "entfern*",
    "rausnehmen",
    "raus",
    "löschen",
    "lösche",
    "lösch",
    "streichen",
    "aus dem warenkorb",
    "remove",
    "delete",
    "take out",
    "take off",
    "drop the",
    "out of the cart",
    "out of my cart",
    "out of the basket",
];
const ADD: &[&str] = &[
    "in den warenkorb",
    "in den korb",
    "in meinen warenkorb",
    "zum warenkorb",
    "einpacken",
    "nehme ich",
    "ich nehme",
    "nehm ich",
    "nehmen wir",
    "kaufe ich",
    "ich kaufe",
    "will ich haben",
    "möchte ich haben",
    "hinzufügen",
    "add",
    "add to cart",
    "to my cart",
    "to the cart",
    "to cart",
    "in my basket",
    "into my cart",
    "i'll take",
    "i will take",
    "i take",
    "buy it",
    "buy this",
    "buy that",
    "i want it",
    "i'll buy",
    "get it",
    "take it",
    "take that",
    "take this",
    "take the",
    "put the",
    "put it",
    "put this",
    "put that",
    "nimm das",
    "nimm den",
    "nimm die",
    "nimm es",
    "nimm ihn",
    "nehme das",
    "nehme den",
    "nehme die",
];
/// Adding phrases that name the cart: they count in long messages too.
const CART_ADD: &[&str] = &[
    "in den warenkorb",
    "in den korb",
    "in meinen warenkorb",
    "zum warenkorb",
    "add to cart",
    "to my cart",
    "to the cart",
    "to cart",
    "in my basket",
    "into my cart",
    "in my cart",
    "in the cart",
    "to my basket",
    "i'll take",
    "ich nehme",
    "nehme ich",
];
const COMPARE: &[&str] = &[
    "vergleich*",
    "unterschied",
    "unterscheiden",
    "was ist besser",
    "welcher ist besser",
    "welche ist besser",
    "welches ist besser",
    "besser als",
    "compare",
    "comparison",
    "difference",
    "differences",
    "which is better",
    "which one is better",
    "better than",
    "versus",
    "vs",
];
const GREETING: &[&str] = &[
    "hallo",
    "hi",
    "hey",
    "moin",
    "servus",
    "grüß gott",
    "guten tag",
    "guten morgen",
    "guten abend",
    "hello",
    "good morning",
    "good evening",
    "good afternoon",
    "howdy",
    "huhu",
    "tag",
];
const OUT_OF_SCOPE: &[&str] = &[
    "wetter",
    "witz",
    "politik",
    "fußball",
    "bundesliga",
    "hauptstadt",
    "rezept",
    "weather",
    "joke",
    "politics",
    "football",
    "capital of",
    "recipe",
    "poem",
    "gedicht",
    "who won",
    "wer hat gewonnen",
    "homework",
    "hausaufgabe",
    "bitcoin",
    "aktien",
    "stocks",
];
const QUESTION_STARTS: &[&str] = &[
    "ist", "hat", "haben", "gibt", "gibt es", "kann", "passt", "wie", "welche", "welcher",
    "welches", "was", "aus", "woraus", "wieviel", "wie viel", "is", "does", "do", "has", "have",
    "can", "what", "which", "how", "are", "will",
];
const ABOUT_PRODUCT: &[&str] = &[
    "welche größen",
    "welche größe",
    "welche farben",
    "welche farbe",
    "what sizes",
    "what size",
    "what colors",
    "what colours",
    "wie viel kostet",
    "wieviel kostet",
    "was kostet",
    "how much is",
    "how much does",
    "aus welchem material",
    "made of",
    "auf lager",
    "in stock",
    "lieferbar",
    "verfügbar",
    "available",
    "on sale",
    "im angebot",
    "wie schwer",
    "how heavy",
    "waschen",
    "washable",
];
const THIS: &[&str] = &[
    "der", "die", "das", "den", "dem", "er", "sie", "es", "ihn", "diese", "dieser", "dieses",
    "diesen", "it", "this", "that", "they", "them", "these", "those", "one",
];
const REFINE: &[&str] = &[
    "günstiger",
    "billiger",
    "preiswerter",
    "teurer",
    "größer",
    "kleiner",
    "nummer größer",
    "nummer kleiner",
    "andere marke",
    "anderen marke",
    "andere farbe",
    "anderen farbe",
    "zeig mehr",
    "zeige mehr",
    "mehr davon",
    "weitere",
    "noch mehr",
    "stattdessen",
    "auch in",
    "gibt es das auch",
    "gibt es die auch",
    "gibt es den auch",
    "und in",
    "aber in",
    "nur in",
    "cheaper",
    "less expensive",
    "more expensive",
    "bigger",
    "smaller",
    "size up",
    "size down",
    "show me more",
    "zeig mir mehr",
    "another brand",
    "different brand",
    "other brand",
    "another color",
    "another colour",
    "different color",
    "different colour",
    "show more",
    "more like",
    "more options",
    "instead",
    "rather",
    "also in",
    "only in",
    "in a different",
];
/// The words of request phrases ("show me", "ich suche"), which say nothing about a
/// product.
const REQUEST_WORDS: &[&str] = &[
    "show", "zeig", "zeige", "find", "suche", "brauche", "need", "looking", "have", "sell", "do",
    "you", "i", "im", "ich", "haben", "sie", "habt", "ihr", "hast", "du", "mir", "me", "mehr",
    "weitere", "other", "others", "options",
];

/// Phrases that only a new request uses (unlike "ich möchte" or "i want").
const STRONG_SEARCH: &[&str] = &[
    "ich suche",
    "suche",
    "ich brauche",
    "brauche",
    "haben sie",
    "habt ihr",
    "hast du",
    "zeig mir",
    "zeige mir",
    "looking for",
    "i need",
    "do you have",
    "do you sell",
    "show me",
    "find me",
    "im looking",
];
const SEARCH: &[&str] = &[
    "ich suche",
    "suche",
    "ich brauche",
    "brauche",
    "ich hätte gern",
    "hätte gern",
    "ich möchte",
    "ich will",
    "haben sie",
    "habt ihr",
    "hast du",
    "gibt es",
    "zeig mir",
    "zeige mir",
    "zeig",
    "empfehl*",
    "finde",
    "looking for",
    "i need",
    "i want",
    "i'd like",
    "do you have",
    "do you sell",
    "show me",
    "find me",
    "find",
    "search",
    "recommend",
    "i am looking",
    "im looking",
    "i'm looking",
    "need",
    "want",
    "get me",
    "would like",
    "get",
    "buy",
    "kaufen",
    "purchase",
];

/// The intent the rules are sure of, if any.
pub fn rule_intent(normalised: &str, slots: &RuleSlots) -> Option<Intent> {
    let t = normalised.trim();
    if t.is_empty() {
        return None;
    }
    let padded = format!(" {t} ");
    let words: Vec<&str> = t.split_whitespace().collect();
    let has_constraints = slots.price.is_some()
        || !slots.colors.is_empty()
        || !slots.not_colors.is_empty()
        || !slots.sizes.is_empty();

    // The person is what is asked for: the last word, or followed by "please"/"now".
    let person = words.iter().enumerate().any(|(i, w)| {
        PERSON.contains(w)
            && words
                .get(i + 1)
                .is_none_or(|n| matches!(*n, "please" | "now" | "asap" | "right" | "bitte"))
    });
    if has(&padded, HANDOFF) || (person && (has(&padded, ASK_FOR_PERSON) || words.len() <= 3)) {
        return Some(Intent::Handoff);
    }
    if has(&padded, CANCEL_ORDER)
        || (has(&padded, &["cancel", "abbrechen"]) && has(&padded, &["order", "bestellung"]))
    {
        return Some(Intent::CancelOrder);
    }
    // "i await your return" is a letter's closing, not a return.
    if has(&padded, RETURN) && !has(&padded, &["your return", "ihre rückmeldung"]) {
        return Some(Intent::ReturnItem);
    }
    if has(&padded, REORDER) {
        return Some(Intent::Reorder);
    }
    let about_order = has(
        &padded,
        &[
            "bestellung",
            "order",
            "paket",
            "package",
            "lieferung",
            "sendung",
        ],
    ) && has(&padded, &["wo", "where", "wann", "when", "status"]);
    // An id alone decides only in a short message: long ones carry product codes.
    let bare_id = slots.order_id.is_some() && words.len() <= 4 && !has(&padded, ADD);
    if has(&padded, ORDER_STATUS) || about_order || bare_id {
        return Some(Intent::OrderStatus);
    }
    if let Some(c) = slots.confirmation {
        // "do you have ..." holds a yes-word but is no answer.
        let asks = has(&padded, SEARCH) || has(&padded, REFINE) || t.ends_with('?');
        if !has_constraints && slots.reference.is_none() && !asks {
            return Some(match c {
                Confirmation::Yes => Intent::Confirm,
                Confirmation::No => Intent::CancelAction,
            });
        }
    }
    if has(&padded, SHOW_CART) && !has(&padded, ADD) && !has(&padded, REMOVE) {
        return Some(Intent::ShowCart);
    }
    let mentions_cart = has(&padded, &["warenkorb", "korb", "cart", "basket"]);
    if has(&padded, REMOVE) && (mentions_cart || slots.reference.is_some() || words.len() <= 6) {
        return Some(Intent::RemoveFromCart);
    }
    // "pack mir den ersten ein", "put the last one in my basket"
    let separable = words.first() == Some(&"pack") && words.last() == Some(&"ein");
    // "buy it", "take it" end long product requests too ("... so need to buy it");
    // only the cart words count there.
    let short = words.len() <= 6;
    if has(&padded, CART_ADD) || separable || (short && has(&padded, ADD)) {
        return Some(Intent::AddToCart);
    }
    // "check out the l-shaped desks" is looking, not paying.
    if has(&padded, CHECKOUT) && !has(&padded, STRONG_SEARCH) && (short || mentions_cart) {
        return Some(Intent::Checkout);
    }
    if has(&padded, FEEDBACK) && (short || !has(&padded, SEARCH)) {
        return Some(Intent::Feedback);
    }
    if has(&padded, COMPARE) {
        return Some(Intent::Compare);
    }
    if words.len() <= 4 && has(&padded, GREETING) && !has_constraints && !has(&padded, SEARCH) {
        return Some(Intent::Greeting);
    }
    if has(&padded, OUT_OF_SCOPE) && !has(&padded, SEARCH) {
        return Some(Intent::OutOfScope);
    }
    let question = words.first().is_some_and(|w| QUESTION_STARTS.contains(w)) || t.ends_with('?');
    // "ist der noch da?", "ist die zweite auch in 42 da?": is it available.
    if matches!(words.first(), Some(&"ist") | Some(&"sind")) && words.last() == Some(&"da") {
        return Some(Intent::ProductQuestion);
    }
    let points = slots.reference.is_some() || words.iter().any(|w| THIS.contains(w));
    let brief = words.len() <= 10;
    if question && points && brief && !has(&padded, SEARCH) && !has(&padded, REFINE) {
        return Some(Intent::ProductQuestion);
    }
    if brief
        && (question || words.len() <= 5)
        && has(&padded, ABOUT_PRODUCT)
        && !has(&padded, STRONG_SEARCH)
    {
        return Some(Intent::ProductQuestion);
    }
    // A request with product words is a new search even if it also refines
    // ("brauche winterstiefel nicht teurer als 120 euro").
    if has(&padded, STRONG_SEARCH) {
        let content = words
            .iter()
            .filter(|w| !is_constraint_word(w) && !REQUEST_WORDS.contains(w))
            .count();
        if content > 0 {
            return Some(Intent::Search);
        }
    }
    if has(&padded, REFINE) {
        return Some(Intent::Refine);
    }
    // Only constraints, no product words: "in schwarz", "unter 50 euro", "das zweite
    // in 42", "size 8 please".
    if has_constraints || slots.reference.is_some() {
        let content = words.iter().filter(|w| !is_constraint_word(w)).count();
        if content == 0 {
            return Some(Intent::Refine);
        }
    }
    if has(&padded, SEARCH) {
        return Some(Intent::Search);
    }
    None
}

/// Words that only carry constraints or glue ("in", "unter", "euro", "42", "size").
fn is_constraint_word(w: &str) -> bool {
    const GLUE: &[&str] = &[
        "in",
        "im",
        "auf",
        "unter",
        "bis",
        "über",
        "ab",
        "zwischen",
        "und",
        "und",
        "max",
        "maximal",
        "höchstens",
        "mindestens",
        "euro",
        "eur",
        "€",
        "dollar",
        "dollars",
        "bucks",
        "$",
        "usd",
        "größe",
        "grösse",
        "gr",
        "size",
        "sizes",
        "farbe",
        "color",
        "colour",
        "the",
        "a",
        "an",
        "das",
        "die",
        "der",
        "den",
        "dem",
        "ein",
        "eine",
        "einen",
        "bitte",
        "please",
        "under",
        "below",
        "less",
        "than",
        "more",
        "over",
        "up",
        "to",
        "between",
        "and",
        "nicht",
        "not",
        "ohne",
        "without",
        "one",
        "ones",
        "lieber",
        "auch",
        "nur",
        "only",
        "also",
        "mir",
        "me",
        "for",
        "für",
        "es",
        "it",
        "was",
        "what",
        "about",
        "how",
        "wie",
        "mit",
        "with",
        "zweite",
        "erste",
        "dritte",
        "letzte",
        "zweiten",
        "ersten",
        "dritten",
        "letzten",
        "second",
        "first",
        "third",
        "last",
        "nummer",
        "number",
        "als",
        "cent",
        "cents",
        "dunkel",
        "hell",
        "dark",
        "light",
        "around",
        "etwa",
        "ungefähr",
        "circa",
        "ca",
        "so",
        "ganze",
        "ganzen",
        "gleiche",
        "same",
        "too",
        "nochmal",
        "s",
        "m",
        "l",
        "xs",
        "xl",
        "xxl",
        "da",
        "wieder",
        "no",
        "mehr",
        "teurer",
        "billiger",
        "lower",
        "higher",
    ];
    GLUE.contains(&w)
        || w.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | 'x' | '€' | '$'))
        || {
            let (wanted, excluded) = super::rules::colors(w);
            !wanted.is_empty() || !excluded.is_empty()
        }
        || !super::rules::sizes(w).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlu::rules::{extract, normalise};

    fn intent(t: &str) -> Option<Intent> {
        rule_intent(&normalise(t), &extract(t))
    }

    #[test]
    fn clear_turns_need_no_model() {
        use Intent::*;
        for (t, want) in [
            ("ja", Confirm),
            ("ja genau", Confirm),
            ("nein abbrechen", CancelAction),
            ("wo bleibt meine bestellung", OrderStatus),
            ("where is my order", OrderStatus),
            ("ich möchte meine bestellung stornieren", CancelOrder),
            ("cancel my order please", CancelOrder),
            ("ich will die schuhe zurückschicken", ReturnItem),
            ("can i exchange the jacket for a bigger size", ReturnItem),
            ("bitte nochmal das gleiche wie letztes mal", Reorder),
            ("zur kasse bitte", Checkout),
            ("was ist in meinem warenkorb", ShowCart),
            ("leg das zweite in den warenkorb", AddToCart),
            ("i'll take the first one", AddToCart),
            ("nimm die jacke wieder raus", RemoveFromCart),
            ("ich will mit einem menschen sprechen", Handoff),
            ("let me talk to a human", Handoff),
            ("hallo", Greeting),
            ("was ist der unterschied zwischen den beiden", Compare),
            ("ist der wasserdicht", ProductQuestion),
            ("is it in stock in 42", ProductQuestion),
            ("in schwarz", Refine),
            ("das zweite in 42", Refine),
            ("unter 50 euro", Refine),
            ("günstiger bitte", Refine),
            ("zeig mehr", Refine),
            ("ich suche einen wintermantel", Search),
            ("do you have running shoes", Search),
            ("wie wird das wetter morgen", OutOfScope),
        ] {
            assert_eq!(intent(t), Some(want), "{t}");
        }
    }

    #[test]
    fn bare_product_phrases_are_left_to_the_model() {
        assert_eq!(intent("wasserdichter wintermantel"), None);
        assert_eq!(intent("laufschuhe herren 43"), None);
    }
}
