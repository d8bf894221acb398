//! One shopper message → [`Understanding`]: rules first, the constrained LLM for what
//! rules cannot read (intent of free phrasing, product type, attributes, brand), and a
//! merge that keeps an LLM value only when the shopper's words support it.
//!
//! - Rules win for the typed slots they read (price, colours, sizes, quantity,
//!   reference, confirmation, order id, exclusions); the LLM never sets those.
//! - An LLM product type, attribute or brand is kept only if each of its words is
//!   found in the shopper's normalised words (as the word, inside a compound, or
//!   sharing a stem of five letters); otherwise it is dropped and logged.
//! - An LLM intent that would act (cart, checkout, confirm, cancel, return, reorder)
//!   without any of the words the rules look for is not trusted: the turn becomes a
//!   search. Actions need the shopper's own words. Likewise "out of scope", greeting
//!   or feedback for a message with a price, colour, size or quantity in it.
//! - A message with product words and no cue the rules know is a search; the LLM's
//!   intent counts only for messages without product words.
//! - A turn whose intent the rules know never waits for the LLM, except a search,
//!   whose open slots (product type, attributes, brand) only the LLM reads.
//! - Every slot records where it came from.

mod extract;
pub mod plan;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::intent::{rule_intent, Intent};
use super::language::{self, Language};
use super::rules::{self, RuleSlots};
use crate::llm::{GenerateOptions, JsonConstraints, Message, Model, Prefix};

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Rules,
    Llm,
    /// Nothing said it; the default applies (a turn nobody classified is a search).
    Default,
}

/// An LLM value that the shopper's words did not support.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dropped {
    pub slot: String,
    pub value: String,
}

/// What one message means.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Understanding {
    pub language: Language,
    pub intent: Intent,
    /// The text after normalisation (lowercase, numbers as digits, fillers gone).
    pub normalised: String,
    #[serde(flatten)]
    pub slots: RuleSlots,
    pub product_type: Option<String>,
    pub attributes: Vec<String>,
    pub brand: Option<String>,
    /// Slot name → source, for every slot that has a value (and "intent").
    pub sources: BTreeMap<String, Source>,
    /// LLM values dropped for lack of support in the shopper's words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dropped: Vec<Dropped>,
    /// Whether the LLM was asked.
    pub used_llm: bool,
    /// The products a message asks for when it asks for several ("a case and a
    /// charger"), one search each; set by the turn, which knows the catalogue.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    /// What a turn that searched searched for, target by target, and the steps it
    /// ran (show, add to cart, checkout); set by the turn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<plan::Plan>,
    /// The connectors of a shown product the message asks a fit for ("ram for the
    /// first one"); set by the turn, which knows what was shown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compatible: Vec<String>,
    /// Product words put into the catalogue's language ("fernglas" → "binoculars");
    /// set by the turn, which knows the catalogue.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub translated: Vec<crate::nlu::lexicon::Translation>,
    /// The shop's product types the model chose as meeting a need or making a gift
    /// ("Lederhandschuhe" for cold hands on the bike), most fitting first, among
    /// those nearest to the message and to its own ideas: their products lead; set by
    /// the turn.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ideas: Vec<String>,
    /// A gift the message asks for: whom for, their age, the occasion, and whether
    /// it says what the person likes ("ein Geschenk für meine Tochter, sie spielt gern
    /// Fußball"); read by the rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gift: Option<Gift>,
}

/// A gift request, as the rules read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gift {
    /// The person named ("tochter", "dad"), as the shopper said it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// The person's age in years, when said ("8 jahre", "a 5 year old", "wird 8").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// The occasion ("geburtstag", "christmas") or the gift word itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occasion: Option<String>,
    /// Whether the message says what the person likes or does, or names a product:
    /// anything to search for besides the person and the occasion.
    pub interests: bool,
}

/// Intents that act on carts or orders: the LLM alone cannot set them.
const ACTIONS: &[Intent] = &[
    Intent::AddToCart,
    Intent::RemoveFromCart,
    Intent::Checkout,
    Intent::Confirm,
    Intent::CancelAction,
    Intent::CancelOrder,
    Intent::ReturnItem,
    Intent::Reorder,
];

/// What the rules alone read: language, slots, and the intent when they are sure.
pub fn read_rules(text: &str, session: Language) -> (Language, String, RuleSlots, Option<Intent>) {
    let language = language::detect(text, session);
    let normalised = rules::normalise(text);
    let slots = rules::extract_normalised(&normalised);
    let intent = rule_intent(&normalised, &slots);
    (language, normalised, slots, intent)
}

/// Understands `text`. `llm` is asked only when the rules do not know the intent and
/// an extractor is given; its failure is logged and the rules' reading stands.
pub fn understand(
    text: &str,
    session: Language,
    llm: Option<(&Extractor, &Model)>,
) -> Understanding {
    RulesReading::new(text, session).finish(llm)
}

/// A message as the rules read it, before the model is asked: enough to search at
/// once (products first) and to know whether the model has anything to add.
#[derive(Debug, Clone)]
pub struct RulesReading {
    text: String,
    language: Language,
    normalised: String,
    slots: RuleSlots,
    rule: Option<Intent>,
}

impl RulesReading {
    pub fn new(text: &str, session: Language) -> RulesReading {
        let (language, normalised, slots, rule) = read_rules(text, session);
        RulesReading {
            text: text.to_string(),
            language,
            normalised,
            slots,
            rule,
        }
    }

    /// A refinement with nothing to refine is a search of its own: in a new
    /// conversation "my tomatoes on the balcony need a bigger home" asks for what
    /// fits, not for a bigger size of nothing. Only where the message names at least
    /// two words of a product or a need besides; "in schwarz" alone stays a
    /// refinement, asked about.
    pub fn refine_as_search(&mut self) {
        let words = rule_product_words(&self.normalised, &self.slots)
            .map_or(0, |w| w.split_whitespace().count());
        if self.rule == Some(Intent::Refine) && words >= 3 {
            self.rule = Some(Intent::Search);
        }
    }

    /// The message as the rules read it: lowercase, numbers as digits.
    pub fn normalised(&self) -> &str {
        &self.normalised
    }

    /// Reads the message as a refinement of the search before, which the caller has
    /// found it to be ("what about samsung" after monitors).
    pub fn refine(&mut self) {
        self.rule = Some(Intent::Refine);
    }

    /// Whether the model reads this message: the rules know no intent for it.
    ///
    /// The model reads only messages without an intent cue the rules know: every
    /// intent the rules find is complete without it, "ich suche …" / "find me …"
    /// included (the search runs on the rules' product words). Measured on the WebShop
    /// development goals with the 0.5B model (then the default): asking it about every search
    /// cost 39 points of score and 4 s a turn (BENCHMARKS.md).
    pub fn is_open(&self) -> bool {
        self.rule.is_none()
    }

    /// The understanding of the rules alone (an open message is a search then).
    pub fn understanding(&self) -> Understanding {
        merge(
            self.language,
            self.normalised.clone(),
            self.slots.clone(),
            self.rule,
            None,
        )
    }

    /// The whole understanding: the model asked when the message is open and `llm`
    /// is given.
    pub fn finish(self, llm: Option<(&Extractor, &Model)>) -> Understanding {
        let reading = match (self.rule, llm) {
            (None, Some((extractor, model))) => match extractor.read(model, &self.text) {
                Ok(r) => Some(r),
                Err(e) => {
                    tracing::warn!(error = %e, "LLM extraction failed; rules only");
                    None
                }
            },
            _ => None,
        };
        merge(
            self.language,
            self.normalised,
            self.slots,
            self.rule,
            reading,
        )
    }
}

/// Merges the rules' reading with the LLM's, keeping LLM values only with evidence.
pub fn merge(
    language: Language,
    normalised: String,
    slots: RuleSlots,
    rule: Option<Intent>,
    reading: Option<LlmReading>,
) -> Understanding {
    let mut sources = BTreeMap::new();
    let mut dropped = Vec::new();
    let used_llm = reading.is_some();
    let reading = reading.unwrap_or_default();
    let words = content_words(&normalised);

    let product_words = rule_product_words(&normalised, &slots);
    let gift = gift_reading(&normalised, &slots);
    let intent = match (rule, reading.intent) {
        (Some(i), _) => {
            sources.insert("intent".into(), Source::Rules);
            i
        }
        // Product words and no cue the rules know: a search. The small models read
        // such phrases as questions or comparisons far too often to be trusted here.
        (None, llm) if product_words.is_some() => {
            let agrees = llm == Some(Intent::Search);
            if let Some(i) = llm.filter(|_| !agrees) {
                dropped.push(Dropped {
                    slot: "intent".into(),
                    value: i.as_str().into(),
                });
            }
            sources.insert(
                "intent".into(),
                if agrees { Source::Llm } else { Source::Default },
            );
            Intent::Search
        }
        // Shopping constraints say it is about products, whatever the model thinks.
        (None, Some(Intent::OutOfScope | Intent::Greeting | Intent::Feedback))
            if has_constraints(&slots) =>
        {
            dropped.push(Dropped {
                slot: "intent".into(),
                value: reading
                    .intent
                    .map(|i| i.as_str())
                    .unwrap_or_default()
                    .into(),
            });
            sources.insert("intent".into(), Source::Default);
            Intent::Search
        }
        (None, Some(i)) if !ACTIONS.contains(&i) => {
            sources.insert("intent".into(), Source::Llm);
            i
        }
        (None, other) => {
            if let Some(i) = other {
                tracing::info!(intent = i.as_str(), text = %normalised, "LLM action intent without the shopper's words; treated as search");
                dropped.push(Dropped {
                    slot: "intent".into(),
                    value: i.as_str().into(),
                });
            }
            sources.insert("intent".into(), Source::Default);
            Intent::Search
        }
    };

    let mut keep = |slot: &str, value: Option<String>| -> Option<String> {
        let value = value?;
        if supported(&value, &words) {
            sources.insert(slot.to_string(), Source::Llm);
            Some(value.to_lowercase())
        } else {
            tracing::info!(slot, value = %value, text = %normalised, "LLM value not in the shopper's words; dropped");
            dropped.push(Dropped {
                slot: slot.into(),
                value,
            });
            None
        }
    };
    // The rules' product words first: they keep every word the shopper used for the
    // product ("machine wash men's shirts classic fit"), which the ranking's coverage
    // stage needs; the model's product type only when the rules found none.
    let llm_type = keep("product_type", reading.product_type);
    let brand = keep("brand", reading.brand);
    let attributes: Vec<String> = reading
        .attributes
        .into_iter()
        .filter_map(|a| keep("attributes", Some(a)))
        // Colours and sizes are the rules' business.
        .filter(|a| rules::colors(a).0.is_empty() && rules::sizes(a).is_empty())
        .collect();
    let product_type = match (product_words, llm_type) {
        (Some(words), _) if matches!(intent, Intent::Search) => {
            sources.insert("product_type".into(), Source::Rules);
            Some(words)
        }
        (_, llm) => llm,
    };
    for (name, present) in [
        ("price", slots.price.is_some()),
        ("colors", !slots.colors.is_empty()),
        ("not_colors", !slots.not_colors.is_empty()),
        ("sizes", !slots.sizes.is_empty()),
        ("quantity", slots.quantity.is_some()),
        ("reference", slots.reference.is_some()),
        ("confirmation", slots.confirmation.is_some()),
        ("order_id", slots.order_id.is_some()),
        ("exclude", !slots.exclude.is_empty()),
    ] {
        if present {
            sources.insert(name.into(), Source::Rules);
        }
    }
    Understanding {
        language,
        intent,
        normalised,
        slots,
        product_type,
        attributes,
        brand,
        sources,
        dropped,
        used_llm,
        targets: Vec::new(),
        plan: None,
        compatible: Vec::new(),
        translated: Vec::new(),
        ideas: Vec::new(),
        gift,
    }
}

/// Whether `w` is in the phrase list `list` (an entry ending in `*` is a prefix).
fn in_list(list: &str, w: &str) -> bool {
    super::phrases::list(list)
        .iter()
        .any(|p| match p.strip_suffix('*') {
            Some(stem) => w.starts_with(stem),
            None => p == w,
        })
}

/// The gift a message asks for: a message that names a need ([`names_a_need`]) and
/// a person (the `people` phrases), or an occasion (the `occasions` phrases) and
/// nothing else to search for.
///
/// [`names_a_need`]: super::intent::names_a_need
pub fn gift_reading(normalised: &str, slots: &RuleSlots) -> Option<Gift> {
    if !super::intent::names_a_need(&format!(" {normalised} ")) {
        return None;
    }
    let words: Vec<&str> = normalised
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    let recipient = words.iter().find(|w| in_list("people", w));
    let occasion = words
        .iter()
        .find(|w| in_list("occasions", w) && !matches!(**w, "idea" | "ideas"));
    let rest: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| {
            !in_list("people", w)
                && !in_list("recipients", w)
                && !in_list("occasions", w)
                && !matches!(*w, "idea" | "ideas" | "idee" | "ideen")
                && !AGE_WORDS.contains(w)
                && !w.contains("-jähr")
                && !w.contains("-year")
        })
        .collect();
    let interests = rule_product_words(&rest.join(" "), slots).is_some();
    // An occasion word among product words without a person names a product ("gift
    // box", "Geburtstagskerzen").
    if recipient.is_none() && (occasion.is_none() || interests) {
        return None;
    }
    Some(Gift {
        recipient: recipient.map(|w| w.to_string()),
        age: age_of(&words),
        occasion: occasion.map(|w| w.to_string()),
        interests,
    })
}

/// The words that say a person's age, and the pronouns around it ("er wird 8", "she
/// is a 5 year old"): nothing to search for.
const AGE_WORDS: &[&str] = &[
    "wird",
    "turns",
    "turning",
    "jahre",
    "jahren",
    "jährig",
    "jährige",
    "jähriger",
    "year",
    "years",
    "yr",
    "yrs",
    "old",
    "alt",
    "ist",
    "is",
    "he",
    "she",
    "er",
    "sie",
    "they",
    "him",
    "her",
    "ihn",
    "ihr",
    "jetzt",
    "now",
    "bald",
    "soon",
];

/// An age in years from the words of a message ("8 jahre", "8-jährige", "a 5 year
/// old", "wird 8", "turns 8"); numbers are digits after normalisation.
fn age_of(words: &[&str]) -> Option<u32> {
    const UNITS: &[&str] = &[
        "jahre",
        "jahren",
        "jährig",
        "jährige",
        "jährigen",
        "jähriger",
        "jähriges",
        "year",
        "years",
        "yr",
        "yrs",
    ];
    let age = |w: &str| w.parse::<u32>().ok().filter(|n| (1..=120).contains(n));
    words.iter().enumerate().find_map(|(i, w)| {
        let next = words.get(i + 1).copied().unwrap_or_default();
        match w.split_once('-') {
            Some((n, unit)) if UNITS.iter().any(|u| unit.starts_with(u)) => age(n),
            _ if UNITS.contains(&next) => age(w),
            _ if matches!(*w, "wird" | "turns" | "turning") => age(next),
            _ => None,
        }
    })
}

fn has_constraints(slots: &RuleSlots) -> bool {
    slots.price.is_some()
        || !slots.colors.is_empty()
        || !slots.sizes.is_empty()
        || slots.quantity.is_some()
}

/// Folded words of the normalised text.
fn content_words(normalised: &str) -> Vec<String> {
    normalised
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(crate::catalog::text::fold)
        .collect()
}

/// Whether every word of `value` is backed by a word the shopper said: the same
/// word, a part of a compound they said, or a shared stem of five letters.
pub fn supported(value: &str, words: &[String]) -> bool {
    let parts: Vec<String> = value
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(crate::catalog::text::fold)
        .collect();
    !parts.is_empty()
        && parts.iter().all(|p| {
            words.iter().any(|w| {
                w == p
                    || (p.chars().count() >= 3 && w.contains(p.as_str()))
                    || common_prefix(w, p) >= 5
            })
        })
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Request phrasing and glue of both languages: words of a search that name nothing.
const STOP: &[&str] = &[
    // "passender arbeitsspeicher für …", "suitable psu for …": that it fits is said
    // by what follows, no word of the product.
    "passende",
    "passender",
    "passendes",
    "passenden",
    "passendem",
    "geeignete",
    "geeigneter",
    "geeignetes",
    "geeigneten",
    "kompatible",
    "kompatibler",
    "kompatibles",
    "kompatiblen",
    "suitable",
    "matching",
    // "find all offers for …", "alle angebote für …", "every listing of …": the
    // request's quantifier and nouns, no product's words ("all" would match "Wall").
    "all",
    "alle",
    "every",
    "offers",
    "angebote",
    "listings",
    "listing",
    "ich",
    "suche",
    "brauche",
    "möchte",
    "will",
    "hätte",
    "gern",
    "gerne",
    "haben",
    "sie",
    "habt",
    "ihr",
    "hast",
    "du",
    "gibt",
    "es",
    "zeig",
    "zeige",
    "mir",
    "bitte",
    "einen",
    "eine",
    "ein",
    "einem",
    "einer",
    "der",
    "die",
    "das",
    "den",
    "dem",
    "für",
    "mit",
    "und",
    "oder",
    "unter",
    "bis",
    "ab",
    "über",
    "zwischen",
    "euro",
    "eur",
    "in",
    "im",
    "größe",
    "grösse",
    "farbe",
    "nicht",
    "ohne",
    "kein",
    "keine",
    "max",
    "maximal",
    "höchstens",
    "i",
    "im",
    "am",
    "looking",
    "for",
    "need",
    "want",
    "would",
    "like",
    "do",
    "you",
    "have",
    "sell",
    "carry",
    "got",
    "show",
    "me",
    "find",
    "a",
    "an",
    "the",
    "some",
    "please",
    "under",
    "below",
    "less",
    "than",
    "between",
    "and",
    "or",
    "dollars",
    "dollar",
    "usd",
    "bucks",
    "size",
    "color",
    "colour",
    // "a sand colored sofa": the colour's, not the sofa's word.
    "colored",
    "coloured",
    "farbig",
    "farbige",
    "farbigen",
    "farbenen",
    "with",
    "without",
    "not",
    "no",
    "of",
    "to",
    "is",
    "there",
    "any",
    "can",
    "get",
    "my",
    "price",
    "lower",
    "higher",
    "around",
    "about",
    "up",
    "preis",
    "etwa",
    "ungefähr",
    "noch",
    "auch",
    "so",
    "wie",
    "was",
    "welche",
    "cheap",
    "günstig",
    "günstige",
    "günstigen",
    "neue",
    "neuen",
    "neuer",
    "new",
    "also",
    "hallo",
    "hi",
    "hello",
    // "a tv thats at least fifty inches", "whats your biggest tv", "do you guys
    // have": voice drops the apostrophe.
    "that",
    "thats",
    // "which power bank has the biggest capacity", "welche powerbank hat die meisten mah".
    "has",
    "hat",
    "which",
    "what",
    "whats",
    "your",
    "guys",
    "got",
    // "how much is the roku ultra", "wie viel kostet …": a question's phrasing.
    "how",
    "much",
    "cost",
    "costs",
    "viel",
    "kostet",
    "something",
    "anything",
    "available",
    "verfügbar",
    "lieferbar",
    "vorrätig",
    // "a tv stand that fits my 75 inch tv", "eine passende hülle": what it fits,
    // said as "for" is ("fit" and "fitting" name products: "slim fit", "pipe fitting").
    "fits",
    "passt",
    "passend",
    "passende",
    "passenden",
];

/// Whether a word (lowercase) is request phrasing or glue ("ich", "suche", "habt",
/// "looking"), not a word of a product.
pub fn is_phrasing(word: &str) -> bool {
    STOP.contains(&word)
}

/// A request that names a person without the words of whom it is for and the
/// occasion (the `recipients` and `occasions` phrases): "gift for my dad who loves hiking" is searched
/// by "hiking", not by "gift" (gift baskets) or "dad". Any other text is returned as
/// it is.
pub fn without_recipients(normalised: &str) -> String {
    let words: Vec<&str> = normalised.split_whitespace().collect();
    // An occasion alone ("gift box") names a product; with a person it does not.
    if !super::intent::names_a_need(&format!(" {normalised} "))
        || !words.iter().any(|w| in_list("recipients", w))
    {
        return normalised.to_string();
    }
    words
        .into_iter()
        .filter(|w| !in_list("recipients", w) && !in_list("occasions", w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Without an LLM: the words of a search that are neither constraints nor request
/// phrasing ("ich suche einen wasserdichten wintermantel unter 200 euro" →
/// "wasserdichten wintermantel").
pub fn rule_product_words(normalised: &str, slots: &RuleSlots) -> Option<String> {
    let mut out = Vec::new();
    let mut previous = "";
    let text = without_recipients(normalised);
    let words: Vec<&str> = text.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let bare = w.trim_matches(|c: char| !c.is_alphanumeric());
        let after_option = OPTION_WORDS.contains(&previous);
        // "is the instant pot duo in stock", "ist das auf lager": asks whether it
        // is there, names nothing.
        let availability = matches!((previous, bare), ("in", "stock") | ("auf", "lager"));
        previous = bare;
        // "a bottle of shampoo", "a pack of aa batteries": what comes in it.
        let container = crate::catalog::kind::holds_what_follows(bare, words.get(i + 1).copied())
            && words.len() > i + 2;
        if bare.is_empty()
            || container
            || availability
            || STOP.contains(&bare)
            // Superlatives sort; they name no product.
            || rules::CHEAPEST.contains(&bare)
            || rules::DEAREST.contains(&bare)
            // Numbers are prices, quantities and specs; a model ("i5-13600k",
            // "5900x", "ps4") is a product's name.
            || bare.chars().any(|c| c.is_ascii_digit()) && (after_option || !model_like(bare))
            || !rules::colors(bare).0.is_empty()
            || !rules::colors(bare).1.is_empty()
            || slots.exclude.iter().any(|e| e == bare)
            || !rules::sizes(bare).is_empty()
            // "a daybed twin size": the bed size's word is no product either.
            || rules::opens_a_size(bare, words.get(i + 1).copied())
        {
            continue;
        }
        out.push(bare.to_string());
    }
    // "the cheapest one", "show me other ones": a pointer, no product ("one piece
    // swimsuit" is one).
    if matches!(out.as_slice(), [w] if w == "one" || w == "ones") {
        return None;
    }
    (!out.is_empty()).then(|| out.join(" "))
}

/// The words whose next word is an option's value ("color a3-army green").
const OPTION_WORDS: &[&str] = &["color", "colour", "size", "farbe", "größe", "groesse"];

/// Whether a word with a digit may be a model's name ("i5-13600k", "5900x", "a25",
/// "ps4"): letters and digits, and neither a quantity with its unit ("16gb",
/// "20ft"), a size ("3xl"), a factor ("2x") nor an ordinal or a count ("2nd", "3er").
pub fn model_like(word: &str) -> bool {
    let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
    let digits = word.chars().filter(char::is_ascii_digit).count();
    digits > 0
        && !letters.is_empty()
        && !["st", "nd", "rd", "th", "er", "k", "s"].contains(&letters.as_str())
        // "2x", "10x" zoom; "5900x" is a processor.
        && (letters != "x" || digits > 2)
        && crate::catalog::specs::quantities(word).is_empty()
        // A number with a unit the spec reader finds implausible ("0g trans").
        && !(word.starts_with(|c: char| c.is_ascii_digit())
            && word.ends_with(letters.as_str())
            && !crate::catalog::specs::quantities(&format!("1{letters}")).is_empty())
        && rules::sizes(word).is_empty()
}

pub use extract::*;
