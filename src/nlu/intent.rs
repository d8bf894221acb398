//! What the shopper wants to do. Rules decide when the words leave no doubt ("ja",
//! "wo bleibt meine Bestellung", "zur Kasse", "das zweite in 42"); otherwise the LLM
//! is asked, and without an LLM the turn counts as a search.

use serde::{Deserialize, Serialize};

use super::phrases;
use super::rules::{Confirmation, RuleSlots};

/// Asking for more about a product in general: "tell me more about the first one",
/// "erzähl mir mehr über das zweite".
pub const MORE_ABOUT: &[&str] = &[
    "tell me more",
    "more about",
    "more info",
    "more details",
    "details about",
    "details on",
    "erzähl mir mehr",
    "mehr über",
    "mehr infos",
    "mehr details",
    "mehr zu",
];

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
fn has<P: AsRef<str>>(padded: &str, phrases: &[P]) -> bool {
    phrases.iter().any(|p| {
        // Normalised text has no apostrophes ("i'll" → "ill"); nor may the phrase.
        let p = p.as_ref().replace('\'', "");
        match p.strip_suffix('*') {
            Some(stem) => padded.contains(&format!(" {stem}")),
            None => padded.contains(&format!(" {p} ")),
        }
    })
}

/// Whether a word by itself is one of the phrases that ask for a comparison
/// ("compare", "vergleiche"), as the intent rules read them.
pub fn is_compare_word(word: &str) -> bool {
    has(&format!(" {word} "), phrases::list("compare"))
}

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
        phrases::list("person").iter().any(|p| p == *w)
            && words
                .get(i + 1)
                .is_none_or(|n| matches!(*n, "please" | "now" | "asap" | "right" | "bitte"))
    });
    if has(&padded, phrases::list("handoff"))
        || (person && (has(&padded, phrases::list("ask_for_person")) || words.len() <= 3))
    {
        return Some(Intent::Handoff);
    }
    if has(&padded, phrases::list("cancel_order"))
        || (has(&padded, &["cancel", "abbrechen"]) && has(&padded, &["order", "bestellung"]))
    {
        return Some(Intent::CancelOrder);
    }
    // "i await your return" is a letter's closing, not a return; "return all of
    // them under 40 dollars" asks for results.
    let returns_results = has(
        &padded,
        &[
            "return all",
            "return every",
            "return them",
            "return the results",
            "return results",
            "return only",
            "return the cheapest",
            "return any",
        ],
    );
    let asks_for_products = has(&padded, phrases::list("strong_search"))
        && (has_constraints || !super::rules::specs::spec_wishes(t).is_empty());
    if has(&padded, phrases::list("return"))
        && !has(&padded, &["your return", "ihre rückmeldung"])
        && !returns_results
        && !asks_for_products
    {
        return Some(Intent::ReturnItem);
    }
    if has(&padded, phrases::list("reorder")) {
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
    // "ax1800 router", "tp-link ac1200": a word beside the id that names something
    // makes it a product's code.
    let id_alone = slots.order_id.as_deref().is_some_and(|id| {
        let id = id.to_lowercase();
        words.iter().all(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.is_empty()
                || w == id
                || w.chars().any(|c| c.is_ascii_digit())
                || crate::nlu::language::is_common_word(w)
                || [
                    "nr",
                    "no",
                    "number",
                    "nummer",
                    "id",
                    "order",
                    "bestellung",
                    "status",
                    "please",
                    "bitte",
                    "where",
                    "wo",
                    "hi",
                    "hallo",
                    "hello",
                ]
                .contains(&w)
        })
    });
    let bare_id = id_alone && words.len() <= 4 && !has(&padded, phrases::list("add"));
    if has(&padded, phrases::list("order_status")) || about_order || bare_id {
        return Some(Intent::OrderStatus);
    }
    if let Some(c) = slots.confirmation {
        // "do you have ..." holds a yes-word but is no answer.
        let asks = has(&padded, phrases::list("search"))
            || has(&padded, phrases::list("refine"))
            || t.ends_with('?');
        if !has_constraints && slots.reference.is_none() && !asks {
            return Some(match c {
                Confirmation::Yes => Intent::Confirm,
                Confirmation::No => Intent::CancelAction,
            });
        }
    }
    // "the second one please in my cart" puts something in; "what's in my cart" looks.
    // "put two anker power banks in my cart" names what it puts in, as does a step
    // after another ("find the cheapest hdmi cable and put two in my cart").
    let put_verb = words.iter().enumerate().any(|(i, w)| {
        let starts = i < 2 || matches!(words[i - 1], "and" | "und" | "then" | "dann");
        starts
            && matches!(
                *w,
                "put"
                    | "place"
                    | "stick"
                    | "throw"
                    | "drop"
                    | "leg"
                    | "lege"
                    | "tu"
                    | "tue"
                    | "packe"
            )
    });
    let puts_in =
        has(&padded, phrases::list("cart_add")) && (slots.reference.is_some() || put_verb);
    if has(&padded, phrases::list("show_cart"))
        && !has(&padded, phrases::list("add"))
        && !has(&padded, phrases::list("remove"))
        && !puts_in
    {
        return Some(Intent::ShowCart);
    }
    let mentions_cart = has(&padded, &["warenkorb", "korb", "cart", "basket"]);
    if has(&padded, phrases::list("remove"))
        && (mentions_cart || slots.reference.is_some() || words.len() <= 6)
    {
        return Some(Intent::RemoveFromCart);
    }
    // "pack mir den ersten ein", "put the last one in my basket"
    let separable = words.first() == Some(&"pack") && words.last() == Some(&"ein");
    // "buy it", "take it" end long product requests too ("... so need to buy it");
    // only the cart words count there.
    let short = words.len() <= 6;
    if has(&padded, phrases::list("cart_add"))
        || separable
        || (short && has(&padded, phrases::list("add")))
    {
        return Some(Intent::AddToCart);
    }
    // "check out the l-shaped desks" is looking, not paying.
    if has(&padded, phrases::list("checkout"))
        && !has(&padded, phrases::list("strong_search"))
        && (short || mentions_cart)
    {
        return Some(Intent::Checkout);
    }
    if has(&padded, phrases::list("feedback")) && (short || !has(&padded, phrases::list("search")))
    {
        return Some(Intent::Feedback);
    }
    if has(&padded, phrases::list("compare")) {
        return Some(Intent::Compare);
    }
    if words.len() <= 4
        && has(&padded, phrases::list("greeting"))
        && !has_constraints
        && !has(&padded, phrases::list("search"))
    {
        return Some(Intent::Greeting);
    }
    // "my son loves football" asks for something for him, not about football.
    if has(&padded, phrases::list("out_of_scope"))
        && !has(&padded, phrases::list("search"))
        && !names_a_need(&padded)
    {
        return Some(Intent::OutOfScope);
    }
    // "was ist der billigste kopfhörer", "which is the largest tv": a superlative
    // asks for products, not about one.
    if super::rules::says_superlative(t) && slots.reference.is_none() {
        return Some(Intent::Search);
    }
    // "und ist die wasserdicht", "and does it have hdmi": a question after a
    // conjunction is one all the same.
    let opening = words
        .iter()
        .find(|w| !matches!(**w, "und" | "and" | "aber" | "but" | "so" | "ok" | "okay"));
    let question = opening
        .is_some_and(|w| phrases::list("question_starts").iter().any(|p| p == *w))
        || t.ends_with('?');
    // "ist der noch da?", "ist die zweite auch in 42 da?": is it available.
    if matches!(opening, Some(&"ist") | Some(&"sind")) && words.last() == Some(&"da") {
        return Some(Intent::ProductQuestion);
    }
    let points = slots.reference.is_some()
        || words
            .iter()
            .any(|w| phrases::list("this").iter().any(|p| p == *w));
    let brief = words.len() <= 10;
    if has(&padded, MORE_ABOUT) && points && brief {
        return Some(Intent::ProductQuestion);
    }
    if question
        && points
        && brief
        && !has(&padded, phrases::list("search"))
        && !has(&padded, phrases::list("refine"))
    {
        return Some(Intent::ProductQuestion);
    }
    if brief
        && (question || words.len() <= 5)
        && has(&padded, phrases::list("about_product"))
        && !has(&padded, phrases::list("strong_search"))
    {
        return Some(Intent::ProductQuestion);
    }
    // A request with product words is a new search even if it also refines
    // ("brauche winterstiefel nicht teurer als 120 euro").
    if has(&padded, phrases::list("strong_search")) {
        let content = words
            .iter()
            .filter(|w| {
                !is_constraint_word(w) && !phrases::list("request_words").iter().any(|p| p == *w)
            })
            .count();
        if content > 0 {
            return Some(Intent::Search);
        }
    }
    if is_more(t) {
        return Some(Intent::Refine);
    }
    // "mein kleiner Sohn …" names a person, not a smaller size.
    if has(&padded, phrases::list("refine")) && !names_a_need(&padded) {
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
    // Only specs with their units: "with 16gb", "and at least 27 inch", "mit
    // mindestens 650 watt".
    if !super::rules::specs::spec_wishes(t).is_empty()
        && super::rules::specs::without_specs(t)
            .split_whitespace()
            .all(is_constraint_word)
    {
        return Some(Intent::Refine);
    }
    if has(&padded, phrases::list("search")) {
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

/// Whether a message names a person, an occasion, an activity or a problem (the
/// `needs` phrases): a request for something that fits, never out of scope.
pub fn names_a_need(padded: &str) -> bool {
    has(padded, phrases::list("needs"))
}

/// Whether a message asks a yes-or-no question of a thing ("does the galaxy a25
/// have 5g", "ist das iphone 15 auf lager", "hat das pixel 8 usb-c") rather than for
/// things ("do you have hdmi cables", "is there a cheaper one", "gibt es …").
pub fn asks_yes_or_no(normalised: &str) -> bool {
    const ASKS: &[&str] = &[
        "does",
        "do",
        "is",
        "are",
        "has",
        "can",
        "will",
        "hat",
        "ist",
        "sind",
        "kann",
        "unterstützt",
    ];
    let t = normalised.trim();
    let padded = format!(" {t} ");
    let first = t.split_whitespace().next().unwrap_or_default();
    ASKS.contains(&first)
        && !has(&padded, phrases::list("search"))
        && !has(&padded, phrases::list("strong_search"))
        && !has(
            &padded,
            &[
                "is there",
                "are there",
                "gibt es",
                "do you",
                "can you",
                "kannst du",
                "können sie",
            ],
        )
}

/// Whether the whole message asks for the next page ("mehr", "more please").
pub fn is_more(normalised: &str) -> bool {
    let t = normalised.trim();
    phrases::list("more_alone").iter().any(|p| p == t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlu::rules::{extract, normalise};

    fn intent(t: &str) -> Option<Intent> {
        rule_intent(&normalise(t), &extract(t))
    }

    #[test]
    fn a_compare_word_is_one_of_the_compare_phrases() {
        for w in ["compare", "vergleiche", "vergleich"] {
            assert!(is_compare_word(w), "{w}");
        }
        for w in ["the", "tvs", "better"] {
            assert!(!is_compare_word(w), "{w}");
        }
    }

    #[test]
    fn a_gift_named_by_its_verb_or_a_sibling_is_a_need() {
        for t in [
            "was schenke ich meinem bruder",
            "ich will meiner schwester was schenken",
        ] {
            assert!(names_a_need(&format!(" {} ", normalise(t))), "{t}");
        }
        assert!(!names_a_need(" zeig mir kaffee "));
    }

    #[test]
    fn a_yes_or_no_question_of_a_thing_is_told_from_a_request_for_things() {
        for t in [
            "does the galaxy a25 have 5g",
            "ist das iphone 15 auf lager",
            "hat das pixel 8 usb-c",
        ] {
            assert!(asks_yes_or_no(&normalise(t)), "{t}");
        }
        for t in [
            "do you have hdmi cables longer than 20 feet",
            "is there a cheaper galaxy a25",
            "gibt es das pixel 8 in blau",
            "the galaxy a25 has 5g right",
        ] {
            assert!(!asks_yes_or_no(&normalise(t)), "{t}");
        }
    }

    #[test]
    fn a_gift_asked_with_a_relative_clause_is_a_search_not_a_question_about_a_product() {
        // "die" / "der" start the relative clause here; they point at nothing shown.
        for t in [
            "was schenke ich meiner schwester die gerne backt",
            "was kann ich meinem bruder schenken der gerne kocht",
        ] {
            assert_eq!(intent(t), Some(Intent::Search), "{t}");
        }
        // A question about the product shown still is one.
        assert_eq!(intent("ist die wasserdicht"), Some(Intent::ProductQuestion));
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
            ("tell me more about the first one", ProductQuestion),
            ("erzähl mir mehr über das zweite", ProductQuestion),
            ("is it in stock in 42", ProductQuestion),
            ("in schwarz", Refine),
            ("das zweite in 42", Refine),
            ("unter 50 euro", Refine),
            ("günstiger bitte", Refine),
            ("zeig mehr", Refine),
            ("mehr", Refine),
            ("more please", Refine),
            ("ich suche einen wintermantel", Search),
            ("do you have running shoes", Search),
            ("wie wird das wetter morgen", OutOfScope),
            ("who won the football game", OutOfScope),
            ("what's in my cart", ShowCart),
            ("the second one please in my cart", AddToCart),
            ("put two anker 313 power banks in my cart", AddToCart),
            ("please put the usb cable in my basket", AddToCart),
            (
                "find the cheapest hdmi cable and put 2 in my cart",
                AddToCart,
            ),
            // An id alone asks for its order; beside a word that names a thing it is
            // that thing's code.
            ("A-12345", OrderStatus),
            ("12345678 please", OrderStatus),
        ] {
            assert_eq!(intent(t), Some(want), "{t}");
        }
        for t in ["ax1800 router", "tp-link ac1200"] {
            assert_ne!(intent(t), Some(OrderStatus), "{t}");
        }
    }

    #[test]
    fn a_person_or_a_problem_is_never_out_of_scope() {
        for t in [
            "mein sohn mag fußball",
            "mein kleiner sohn liebt züge",
            "my son loves football",
            "geschenk für meine oma sie mag rezepte",
            "mir ist beim radfahren kalt an den händen",
        ] {
            assert!(
                !matches!(intent(t), Some(Intent::OutOfScope | Intent::Refine)),
                "{t}"
            );
        }
    }

    #[test]
    fn bare_product_phrases_are_left_to_the_model() {
        assert_eq!(intent("wasserdichter wintermantel"), None);
        assert_eq!(intent("laufschuhe herren 43"), None);
    }
}
