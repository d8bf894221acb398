//! Discovery: searching, showing products, answering questions about them and
//! comparing them.

use super::*;
use crate::catalog::specs::{Dim, Specs};
use crate::nlu::rules::specs::SpecSort;
use crate::search::profile::ShopType;
use crate::search::{Carried, Reason, Sort};

/// How many of the best matches a price order looks at.
const BEST_POOL: usize = 100;

/// The constraints a search without results drops last, one at a time.
enum RelaxStep {
    /// The specs with units, keeping the connectors ("a usb c cable at least 2
    /// meters": the USB-C cables, not the HDMI ones).
    SpecValues,
    /// The version of a port, keeping the port ("hdmi 2.0 cable" where no title
    /// says 2.0: the HDMI cables, not every cable).
    Versions,
    Specs,
    Kind,
}

/// The most product words a request may have for its kind alone to filter.
const SHORT_REQUEST: usize = 5;

/// How many of the nearest products a request for a thing the shop lacks shows.
const NEAREST: usize = 3;

/// How near (cosine of the multilingual-e5 vectors) a product must be to a request
/// that describes a need for its type to be offered to the model: the check that
/// each type chosen is supported by the message itself. Tuned on the discovery
/// development set with the model's free ideas (BENCHMARKS.md).
const IDEA_NEARNESS: f32 = 0.76;

/// How near a product must be to one of the model's own ideas for its type to be
/// offered ("warm gloves" → "Lederhandschuhe").
const IDEA_FIT: f32 = 0.75;

/// How many types each of the model's ideas may offer, nearest first. The nearest is
/// often not the fitting one ("train set" → "Dumbbell set" before "Building blocks
/// set"); the model's judgement of each sorts them (BENCHMARKS.md).
const TYPES_PER_IDEA: usize = 3;

/// How many of a chosen type's search results are weighed.
const IDEA_CANDIDATES: usize = 12;

/// How many products each of the model's ideas may add.
const PER_IDEA: usize = 2;

/// How many of the shop's product types nearest to a message the model judges.
/// Among the types of the products nearest to the discovery development set's
/// requests, a fitting one is among the first 12 for 78 % of them, the first 20 for
/// 88 % (BENCHMARKS.md). Each is judged on its own and all in one pass, so a longer
/// list costs little time and no attention.
const OFFERED_TYPES: usize = 20;

/// How many types are offered besides for what they are for, nearest first (see
/// [`Assistant::types_for`]).
const USES_TYPES: usize = 3;

/// The most words a search naming a kind may have for the model to judge the
/// kind's types for the need it names ([`Assistant::kind_with_need`]): a longer one
/// is a description, ranked by all its words.
pub(super) const KIND_NEED_WORDS: usize = 8;

/// A product type of the shop offered to the model for a need.
#[derive(Debug, Clone)]
pub(super) struct OfferedType {
    /// As the catalogue writes it: what the turn searches and shows as the idea.
    pub name: String,
    /// As the model reads it: in English where the product says so.
    pub offered: String,
    /// Whether it is one of the types nearest to one of the model's own ideas.
    pub of_idea: bool,
}

/// What a type nearest to one of the model's own ideas gains over the model's
/// judgement of it alone ([`most_fitting`]).
const IDEA_BONUS: f32 = 1.0;

/// What each place further down the offered list costs a type ([`most_fitting`]).
const PLACE_COST: f32 = 0.3;

/// What the message's nearness to what a type is for ([`TypeUses`], a cosine less
/// the mean of the offered types') weighs against the model's judgement of its name
/// ([`most_fitting`]). The judgement alone takes "my ears freeze in winter" for
/// earbuds; the uses ("keeping ears warm …") for a beanie. Tuned on the discovery
/// development set (BENCHMARKS.md): 100 to 200 give about the same.
///
/// [`TypeUses`]: super::TypeUses
const USES_WEIGHT: f32 = 120.0;

/// The offered types in the order they lead, the first [`MAX_IDEAS`]: by the
/// model's judgement of each (`fit`, [`crate::nlu::Extractor::fit`]), with
/// [`IDEA_BONUS`] for the type of one of its own ideas and [`PLACE_COST`] for each
/// place down the list (the ideas' types first, then those nearest to the message).
/// Tuned on the discovery development set (BENCHMARKS.md): the model's judgement
/// alone ranks a type it likes above one that is much nearer ("Building blocks set"
/// over "Wooden railway" for a boy who loves trains); nearness alone knows no
/// need.
///
/// [`MAX_IDEAS`]: crate::nlu::understand::MAX_IDEAS
fn most_fitting(fit: &[f32], of_idea: &[bool], uses: &[f32]) -> Vec<usize> {
    let score = |i: usize| {
        fit[i] + if of_idea[i] { IDEA_BONUS } else { 0.0 } - PLACE_COST * i as f32
            + USES_WEIGHT * uses.get(i).copied().unwrap_or_default()
    };
    let mut order: Vec<usize> = (0..fit.len().min(of_idea.len())).collect();
    order.sort_by(|a, b| score(*b).total_cmp(&score(*a)));
    order.truncate(crate::nlu::understand::MAX_IDEAS);
    order
}

/// The most listings a request for one model shows.
const EVERY_LISTING: usize = 20;

/// A hit's value of a dimension for a superlative: the largest its listing offers,
/// over the product's texts and its variants ("50 Feet", variants up to 50 feet).
fn spec_of(h: &Hit, dim: Dim) -> Option<f64> {
    measure_of(h, dim).map(|q| q.value)
}

/// [`spec_of`], as the quantity written.
fn measure_of(h: &Hit, dim: Dim) -> Option<crate::catalog::specs::Quantity> {
    measure_by(h, dim, true)
}

/// A hit's value of a dimension for a superlative: the most its listing offers, or
/// for the least ("the shortest") the least: a cable sold in 25 and 50 feet is 25
/// feet short.
fn measure_by(h: &Hit, dim: Dim, most: bool) -> Option<crate::catalog::specs::Quantity> {
    let values = std::iter::once(Specs::of_product(&h.product))
        .chain(h.product.variants.iter().map(Specs::of_variant))
        .filter_map(|s| if most { s.max(dim) } else { s.min(dim) }.cloned());
    let by = |a: &crate::catalog::specs::Quantity, b: &crate::catalog::specs::Quantity| {
        a.value.total_cmp(&b.value)
    };
    if most {
        values.max_by(by)
    } else {
        values.min_by(by)
    }
}

/// Hits shown after no product met the specs asked for: those whose value comes
/// nearest to the first wish first ("at least 2 m": the 6 ft cable before the 3 ft
/// one), those that state none last; ties keep the search's order.
fn nearest_to_wishes(hits: &mut [Hit], wishes: &[crate::nlu::rules::specs::SpecWish]) {
    let Some(wish) = wishes.first() else { return };
    let wanted = wish.wanted.value.abs().max(f64::EPSILON);
    hits.sort_by(|a, b| {
        let off = |h: &Hit| spec_of(h, wish.dim).map_or(f64::INFINITY, |v| (v - wanted).abs());
        off(a).total_cmp(&off(b))
    });
}

/// A kind in the shopper's own word, where this turn put their word into the
/// catalogue's language ("hülle" for "case"): the reply names what they asked for.
fn kind_as_said(u: &Understanding, kind: &str) -> String {
    u.translated
        .iter()
        .find(|t| t.to.split_whitespace().last() == Some(kind))
        .map_or_else(
            || kind.to_string(),
            |t| match u.language {
                // A German noun is written with its capital.
                Language::De => crate::catalog::text::capitalised(&t.from),
                Language::En => t.from.clone(),
            },
        )
}

/// `words` of the request with the shopper's own words back where this turn put
/// them into the catalogue's language: "hülle für galaxy s7", not "case für …".
fn words_as_said(u: &Understanding, words: &str) -> String {
    let mut padded = format!(" {words} ");
    for t in &u.translated {
        padded = padded.replace(&format!(" {} ", t.to), &format!(" {} ", t.from));
    }
    padded.trim().to_string()
}

/// The value a spec order sorted a hit by: the one [`Assistant::best_by_spec`] put
/// first among its reasons, else its first of the order's dimensions.
fn spec_key(h: &Hit, by: &SpecSort) -> Option<f64> {
    match h.reasons.first() {
        Some(Reason::Measured { value }) => Some(value.value),
        _ => by.dims.iter().find_map(|d| spec_of(h, *d)),
    }
}

/// The words a request names its thing by, its head last (see
/// [`crate::catalog::kind::asked_phrase`]): without its specs, phrasing, superlatives,
/// colours and sizes.
pub(super) fn asked_words(normalised: &str) -> Vec<String> {
    use crate::nlu::rules;
    // "which phone has the biggest battery": the measure sorted by is no thing.
    let sorted = rules::specs::spec_sort(normalised).is_some();
    let filler = |w: &str| {
        let (wanted, excluded) = rules::colors(w);
        crate::nlu::language::is_common_word(w)
            || crate::nlu::understand::is_phrasing(w)
            || rules::is_superlative_word(w)
            || sorted && rules::specs::is_measure_word(w)
            || !wanted.is_empty()
            || !excluded.is_empty()
            || !rules::sizes(w).is_empty()
    };
    let plain = rules::specs::without_specs(normalised);
    crate::catalog::kind::asked_phrase(&plain, filler)
}

/// The words of a request that name a model the shop lacks, from the first asked
/// word to the model ("do you have the sony srs-xb43" → "sony srs-xb43").
fn asked_model_phrase(normalised: &str, unknown: &[String]) -> String {
    let asked = asked_words(normalised);
    let words: Vec<&str> = normalised.split_whitespace().collect();
    let is_asked = |w: &str| {
        let w = crate::catalog::text::fold(w);
        unknown.contains(&w) || asked.iter().any(|a| crate::catalog::text::fold(a) == w)
    };
    let first = words.iter().position(|w| is_asked(w));
    let last = words.iter().rposition(|w| is_asked(w));
    match (first, last) {
        (Some(a), Some(b)) => words[a..=b].join(" "),
        _ => unknown.join(" "),
    }
}

/// The brand of the lexicon's list a request names where no product found names it
/// in its title, brand or category: "sony ssd" over SSDs by Samsung and Crucial.
fn brand_none_is_by(u: &Understanding, hits: &[Hit]) -> Option<String> {
    use crate::search::profile::plain_words;
    let lexicon = crate::nlu::lexicon::Lexicon::get();
    // A brand after "for" is what the product is for, not its maker: "a memory card
    // for my sony camera" asks for no Sony card.
    let brand = maker_named(&u.normalised)?;
    let named: Vec<&str> = lexicon.brand_words(brand).collect();
    let names_it = |h: &Hit| {
        let p = &h.product;
        let text = format!(
            " {} {} {} ",
            plain_words(&p.title),
            plain_words(p.brand.as_deref().unwrap_or("")),
            plain_words(&p.category.join(" "))
        );
        named.iter().any(|b| text.contains(&format!(" {b} ")))
    };
    (!hits.iter().any(names_it)).then(|| brand.to_string())
}

/// The words that part the two sides of a comparison ("the a35 and the a55", "rtx
/// 4060 vs rx 7600").
fn sides_apart() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r"\b(?:and|vs|versus|or|with|to|und|oder|mit)\b")
            .expect("comparison regex compiles")
    })
}

/// How many products a superlative asks for: a number said with it ("the 3
/// cheapest"), else one (and those tied with it).
fn superlative_count(normalised: &str) -> usize {
    let words: Vec<&str> = normalised.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        if crate::nlu::rules::is_superlative_word(w) {
            // "cheapest first", "jacken, günstigste zuerst", "cheapest ones first":
            // an order over a page of them.
            if words
                .iter()
                .skip(i + 1)
                .take(3)
                .any(|n| matches!(*n, "first" | "zuerst"))
            {
                return PAGE;
            }
            // "the 3 cheapest", "the two cheapest", "die drei günstigsten", "the
            // cheapest two".
            let count = |j: usize| {
                crate::nlu::numbers::digits_for_words(words.get(j)?)
                    .parse::<usize>()
                    .ok()
            };
            // Not a spec after it: "the cheapest 2 tb ssd".
            let spec_after = words
                .get(i + 1..(i + 3).min(words.len()))
                .is_some_and(|w| !crate::catalog::specs::quantities(&w.join(" ")).is_empty());
            let after = (!spec_after).then(|| count(i + 1)).flatten();
            if let Some(n) = i.checked_sub(1).and_then(count).or(after) {
                return n.clamp(1, PAGE);
            }
        }
    }
    1
}

/// After the listings of one named model ("all offers for the anker 313 wireless
/// charger"): which of them cost the least, every one that shares the lowest price.
/// Nothing when one is shown or all cost the same.
fn name_cheapest_offer(out: &mut Outcome) {
    let Some(min) = out.products.iter().map(|p| p.price).min() else {
        return;
    };
    if out.products.len() < 2 || out.products.iter().all(|p| p.price == min) {
        return;
    }
    let numbers = (1..=out.products.len())
        .filter(|n| out.products[n - 1].price == min)
        .collect();
    let price = Money::new(min, &out.products[0].currency);
    out.say(Fact::Discover(Discover::CheapestOffer { numbers, price }));
}

/// In a catalogue without brand fields, the products whose title leads with the
/// brand a request names go first: "anything from sony" shows Sony's camera before a
/// fan "Compatible for Sony Playstation". The order among each stays.
fn made_by_first(u: &Understanding, hits: &mut [Hit]) {
    let Some(brand) = maker_named(&u.normalised) else {
        return;
    };
    if hits.iter().any(|h| h.product.brand.is_some()) {
        return;
    }
    // A stable sort: those made by it, then the rest, each in its order.
    hits.sort_by_key(|h| title_brand(&h.product.title).as_deref() != Some(brand));
}

/// A brand the lexicon knows among the first words of a title ("Canon EOS Rebel
/// T7i …" → Canon), not one it is made for ("Replacement Remote for Samsung …").
fn title_brand(title: &str) -> Option<String> {
    let plain = crate::search::profile::plain_words(title);
    let lead: Vec<&str> = plain.split_whitespace().take(3).collect();
    maker_named(&lead.join(" ")).map(str::to_string)
}

/// The brand of the lexicon's list a text names as the maker: before any "for",
/// "compatible" or "fits" ("a memory card for my sony camera" names no maker).
pub(super) fn maker_named(text: &str) -> Option<&'static str> {
    let words = crate::search::profile::plain_words(text);
    let own: Vec<&str> = words
        .split_whitespace()
        .take_while(|w| !crate::catalog::kind::is_for(w))
        .collect();
    crate::nlu::lexicon::Lexicon::get().brand_named(&own.join(" "))
}

/// The words that say a product must fit another one: "for", "compatible with",
/// "passend zu".
fn fits_word() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r"\b(?:for|compatible with|that fits?|which fits?|fits|fitting|to fit|works with|für|passend (?:zu[mr]?|für)|passt (?:zu[mr]?|in|auf|für)|kompatibel mit|geeignet für|die zu|der zu|das zu)\b",
        )
        .expect("fitting regex compiles")
    })
}

/// Hits in price order, dearest first with `desc`; ties in price keep the order
/// they had (relevance).
fn sort_by_price(hits: &mut [Hit], desc: bool) {
    if desc {
        hits.sort_by_key(|h| std::cmp::Reverse(h.price));
    } else {
        hits.sort_by_key(|h| h.price);
    }
}

/// A title without what it says in brackets, unless the brackets say what it fits:
/// "Skin Set for Kids (PS5 Game Controller+Helmet)" shows a PS5 and is made for
/// none, where "Skin (compatible with PS5)" is.
fn outside_brackets_but_fits(title: &str) -> String {
    let lower = title.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut rest = lower.as_str();
    while let Some(open) = rest.find(['(', '[']) {
        out.push_str(&rest[..open]);
        let close = if rest[open..].starts_with('(') {
            ')'
        } else {
            ']'
        };
        let end = rest[open..]
            .find(close)
            .map_or(rest.len(), |e| open + e + 1);
        let inside = &rest[open..end];
        if fits_word().is_match(inside) {
            out.push_str(inside);
        }
        out.push(' ');
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Whether a request asks for `kind` before a word of fitting and names every one of
/// `models` after it: "a lens for the canon r50", "ein akku für die z fc".
fn kind_for_models(normalised: &str, kind: &str, models: &[String]) -> bool {
    use crate::catalog::text::fold;
    let Some(at) = fits_word().find(normalised) else {
        return false;
    };
    let before = &normalised[..at.start()];
    let after = fold(&normalised[at.end()..]);
    let squeezed: String = after.split_whitespace().collect();
    before
        .split_whitespace()
        .any(|w| crate::catalog::kind::singular(w) == kind)
        && models.iter().all(|m| {
            let m = fold(m);
            after.contains(&m) || squeezed.contains(&m.replace([' ', '-'], ""))
        })
}

/// "ram for the first one", "eine cpu passend zu diesem": the words of what is asked
/// for, before those that point at a shown product it must fit.
fn fitting_words(u: &Understanding) -> Option<&str> {
    u.slots.reference.as_ref()?;
    let at = fits_word().find(&u.normalised)?;
    let words = u.normalised[..at.start()].trim();
    (!words.is_empty()).then_some(words)
}

/// "ram for my msi b550 tomahawk", "motherboard compatible with the ryzen 5 5600x":
/// the words of what is asked for, and those after the first fitting word, which may
/// name a product of the shop.
fn fitting_split(normalised: &str) -> Option<(&str, &str)> {
    let at = fits_word().find(normalised)?;
    let (words, named) = (
        normalised[..at.start()].trim(),
        normalised[at.end()..].trim(),
    );
    (!words.is_empty() && !named.is_empty()).then_some((words, named))
}

/// A request for products that fit another one: the words asked for, the shopper's
/// words for the product they must fit when named rather than pointed at, and that
/// product.
pub(super) struct Fit<'a> {
    pub(super) words: &'a str,
    pub(super) named: Option<&'a str>,
    pub(super) product: &'a Product,
}

/// How many of the request's words a hit matched.
pub(super) fn matched_words(h: &Hit) -> usize {
    matched_words_but(h, &[])
}

/// [`matched_words`], not counting `said`: a superlative orders products and names
/// none ("longest" matching the "Long" of an HDMI cable's title made it as good a
/// match for "longest usb cable" as the USB cables), nor do the other words of its
/// phrase ("battery life" of "longest battery life").
fn matched_words_but(h: &Hit, said: &[&str]) -> usize {
    h.reasons
        .iter()
        .filter(|r| {
            matches!(r, Reason::Matched { term }
                if !crate::nlu::rules::is_superlative_word(term)
                    && !said.contains(&term.as_str()))
        })
        .count()
}

/// A product's title (both languages), shelves and attributes, and its description
/// where `description`, folded as the index folds words.
fn product_text(p: &Product, description: bool) -> String {
    let mut body = format!(
        "{} {} {}",
        p.title,
        p.title_en.as_deref().unwrap_or(""),
        p.category.join(" ")
    );
    if description {
        body.push(' ');
        body.push_str(&p.description);
    }
    for (k, vs) in &p.attributes {
        body.push(' ');
        body.push_str(k);
        body.push(' ');
        body.push_str(&vs.join(" "));
    }
    crate::catalog::text::fold(&body)
}

/// Whether a product's text (title, shelves, attributes) has every product word of
/// `text`, loosely (as part of a longer word too), or its description has them as
/// the phrase they are: "16gb ram" is said by a laptop's description, where its
/// title says "16GB DDR4"; a power supply "for … wireless router" is no "wireless
/// charger".
fn says_every_word(h: &Hit, text: &str) -> bool {
    use crate::catalog::text::fold;
    let p = &h.product;
    let body = product_text(p, false);
    let words: Vec<String> = text
        .split_whitespace()
        .filter(|w| !crate::nlu::rules::is_superlative_word(w))
        .map(fold)
        .collect();
    let said_by =
        |body: &str, w: &str| body.contains(w) || body.contains(&crate::catalog::kind::singular(w));
    // "wifi" of "Wi-Fi 6", as a whole word.
    let unhyphened = crate::catalog::text::hyphened_words_joined(&body);
    let joined_word =
        |w: &str| unhyphened.contains(w) || unhyphened.contains(&crate::catalog::kind::singular(w));
    if words.iter().all(|w| said_by(&body, w) || joined_word(w)) {
        return true;
    }
    // Words only, one space between them, as the request's are.
    let plain = |t: &str| {
        fold(t)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let phrase = plain(&words.join(" "));
    !phrase.is_empty() && said_by(&plain(&p.description), &phrase)
}

/// A device's size, where its title gives one length and no other ("Apple Watch
/// Series 9 [GPS 45mm]" → "45 mm", "Apple iPad (10th Generation) … 10.9-inch
/// Liquid Retina Display" → "10.9 inch"), as a request writes it.
pub(super) fn device_size(p: &Product) -> Option<String> {
    let specs = Specs::of_product(p);
    let mut lengths = specs.of(Dim::Length);
    let first = lengths.next()?;
    if lengths.any(|q| (q.value - first.value).abs() > 1e-9) || first.from.is_some() {
        return None;
    }
    let unit = match first.unit.as_str() {
        "in" => "inch",
        u => u,
    };
    let value = first.to_string();
    let number = value.split_whitespace().next()?;
    Some(format!("{number} {unit}"))
}

/// Whether a hit can stand in for a thing the shop lacks: it has one of the
/// request's words and one of `asked` (the thing's own words, not what it is for:
/// no TV in place of "a soundbar for my samsung tv") as words of its own (title,
/// brand, categories), so "Magoroku" skin cream is nothing near a "roku". A German
/// product's words are matched by their stems and compounds' parts, as searched.
fn shares_a_word(h: &Hit, asked: &[String]) -> bool {
    use crate::catalog::kind::{singular, title_words};
    let p = &h.product;
    if p.language != "en" {
        return matched_words(h) > 0;
    }
    let words = title_words(&format!(
        "{} {} {}",
        p.title,
        p.brand.as_deref().unwrap_or(""),
        p.category.join(" ")
    ));
    let requested = h.reasons.iter().any(|r| match r {
        Reason::Matched { term } if !crate::nlu::rules::is_superlative_word(term) => {
            words.contains(&singular(term))
        }
        _ => false,
    });
    requested && asked.iter().any(|w| words.contains(w))
}

/// The hits with as many of the request's words as the best one has, so that an
/// order by price or spec is over the asked kind of product (a price sort over
/// everything that shares a word put cat litter first for "a winter coat under 1
/// euro"); the best few if no product has a word of it.
fn best_matched(hits: Vec<Hit>) -> Vec<Hit> {
    best_matched_but(hits, "")
}

/// [`best_matched`], not counting the words of `phrase` (see [`matched_words_but`]).
fn best_matched_but(hits: Vec<Hit>, phrase: &str) -> Vec<Hit> {
    let said: Vec<&str> = phrase.split_whitespace().collect();
    let count = |h: &Hit| matched_words_but(h, &said);
    let best = hits.iter().map(count).max().unwrap_or(0);
    if best > 0 {
        hits.into_iter().filter(|h| count(h) == best).collect()
    } else {
        hits.into_iter().take(PAGE).collect()
    }
}

/// Whether a search's words name no product: phrasing, a superlative, "product",
/// "thing" ("whats the cheapest thing you sell").
fn names_nothing(text: &str) -> bool {
    const ABOUT_THE_SHOP: &[&str] = &[
        "sell",
        "sells",
        "selling",
        "carry",
        "got",
        "whats",
        "your",
        "you",
        "something",
        "anything",
        "everything",
        "stuff",
        "store",
        "shop",
        "laden",
        "verkauft",
        "verkaufst",
        "etwas",
        "irgendwas",
        "euer",
        "eure",
        "euren",
        "eurem",
        "habt",
        "alles",
        "sache",
        "sachen",
        "dinge",
        "ding",
        "zeug",
    ];
    text.split_whitespace().all(|said| {
        let w = crate::catalog::text::fold(said);
        crate::nlu::language::is_common_word(&w)
            || crate::catalog::kind::is_request_noun(&w)
            || crate::nlu::rules::is_superlative_word(&said.to_lowercase())
            || ABOUT_THE_SHOP.contains(&w.as_str())
    })
}

/// [`best_matched`] among the listings of each named model: "anker 313 wireless
/// charger" is not the Anker 313 wall charger, and in "epson home cinema 2250, acer
/// p6500 and sony srs-xb33" the Acer's two words do not lose to the Epson's four.
fn best_matched_per_model(hits: Vec<Hit>, models: &[String]) -> Vec<Hit> {
    let model_of = |h: &Hit| {
        let tokens = crate::search::profile::title_models(&h.product.title);
        models.iter().position(|m| tokens.contains(m))
    };
    let mut best: std::collections::HashMap<Option<usize>, usize> = Default::default();
    for h in &hits {
        let most = best.entry(model_of(h)).or_default();
        *most = (*most).max(matched_words(h));
    }
    hits.into_iter()
        .filter(|h| {
            best.get(&model_of(h))
                .is_some_and(|b| matched_words(h) == *b)
        })
        .collect()
}

/// How many words of a search text name the product: all but those of a
/// superlative ("most expensive"), which order products and name none.
pub(super) fn product_word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| !crate::nlu::rules::is_superlative_word(w))
        .count()
}

/// Whether a request asks for every product it describes ("alle ssds …", "show me
/// all hdmi cables"): "alle" first, or "all" after a verb of showing, not "all of them" of
/// an order, nor a product's own "all weather", "all natural", "all in one".
fn asks_for_every(normalised: &str) -> bool {
    let words: Vec<&str> = normalised.split_whitespace().collect();
    words.iter().enumerate().any(|(i, w)| {
        // English "all natural shampoo" opens with a product's own "all".
        let shown = (i == 0 && matches!(*w, "alle" | "sämtliche"))
            || i > 0
                && matches!(
                    words[i - 1],
                    "me" | "show"
                        | "find"
                        | "list"
                        | "see"
                        | "get"
                        | "mir"
                        | "uns"
                        | "zeig"
                        | "zeige"
                        | "finde"
                        | "liste"
                );
        shown
            && matches!(*w, "all" | "every" | "alle" | "sämtliche")
            && !matches!(words.get(i + 1), Some(&"of") | Some(&"in") | Some(&"the"))
    })
}

/// A short request that names no model this catalogue knows, but whose every word
/// some product has ("jbl charge 5", "naim mu-so qb", "phone stand", "wireless
/// charger"): the products that have them all, not padded with those sharing one
/// word (a stand to "charge" a headset, TV stands to "phone stand", wall plugs to
/// "wireless charger"). With one word, or when no product has them all, the ranking
/// stands.
fn only_those_with_every_word(
    found: crate::search::SearchResults,
    text: &str,
) -> crate::search::SearchResults {
    let n = product_word_count(text);
    if n < 2 || !found.hits.iter().any(|h| matched_words(h) >= n) {
        return found;
    }
    let page = found.hits.len();
    let hits: Vec<Hit> = found
        .hits
        .into_iter()
        .filter(|h| matched_words(h) >= n)
        .collect();
    // A page with every word in each of its products says nothing of the pages
    // after it: the index's count stands ("5 found" for 70 coffees was wrong).
    let total = if hits.len() == page {
        found.total
    } else {
        hits.len()
    };
    crate::search::SearchResults { total, hits }
}

/// "a controller for my xbox series x": where some products found name every word
/// of what they must fit (in the title or the description), those, not another
/// console's controller that shares the kind. Only for a product named (`names_a_product`),
/// not a use ("a headset for the office"). A model or spec of it ("44mm",
/// "hl-l2350dw") is matched elsewhere, as titles write it several ways.
fn only_those_naming_what_they_fit(
    found: crate::search::SearchResults,
    normalised: &str,
    names_a_product: impl Fn(&str) -> bool,
) -> crate::search::SearchResults {
    use crate::catalog::kind::title_words;
    let Some((_, named)) = fitting_split(normalised) else {
        return found;
    };
    let said: Vec<String> = title_words(named)
        .into_iter()
        .filter(|w| !crate::nlu::language::is_common_word(w))
        .collect();
    // Or a line the products write as one ("my iphone": "iPhone").
    let camel = |word: &str| {
        found.hits.iter().any(|h| {
            format!("{} {}", h.product.title, h.product.description)
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| crate::search::profile::is_camel_case(w) && w.eq_ignore_ascii_case(word))
        })
    };
    let line = said.len() == 1 && camel(&said[0]);
    if !line && !names_a_product(named) {
        return found;
    }
    let words: Vec<&String> = said
        .iter()
        .filter(|w| {
            !w.chars().any(|c| c.is_ascii_digit()) && !crate::nlu::understand::is_phrasing(w)
        })
        .collect();
    if words.is_empty() {
        return found;
    }
    let naming: Vec<bool> = found
        .hits
        .iter()
        .map(|h| {
            let text = title_words(&product_text(&h.product, true));
            words.iter().all(|w| text.contains(w))
        })
        .collect();
    let with = naming.iter().filter(|n| **n).count();
    if with == 0 || with == found.hits.len() {
        return found;
    }
    let hits: Vec<Hit> = found
        .hits
        .into_iter()
        .zip(naming)
        .filter_map(|(h, n)| n.then_some(h))
        .collect();
    crate::search::SearchResults {
        total: hits.len(),
        hits,
    }
}

/// A line closed by a letter ("xbox series x", "galaxy tab s"), as titles write it:
/// the listings whose titles have it, not the line's other letters ("Series S") nor
/// what only names the line ("Xbox Wireless Controller"). The letter is too short for
/// the index to search by.
fn only_those_of_a_lettered_line(
    found: crate::search::SearchResults,
    normalised: &str,
    titles_have: impl Fn(&str) -> bool,
) -> crate::search::SearchResults {
    use crate::search::profile::plain_words;
    let asked = asked_words(normalised);
    let words: Vec<&str> = normalised.split_whitespace().collect();
    let Some(start) = asked
        .first()
        .and_then(|a| words.iter().position(|w| w == a))
    else {
        return found;
    };
    // The letter closes the request ("usb c cable" and "vitamin c serum" name a
    // feature and go on to their kind).
    let closes = |end: usize| {
        words[end + 1..]
            .iter()
            .all(|w| crate::nlu::language::is_common_word(w))
    };
    let phrase = (start + 1..words.len().min(start + 4))
        .filter(|end| crate::catalog::text::is_single_letter(words[*end]) && closes(*end))
        .map(|end| plain_words(&words[start..=end].join(" ")))
        .find(|phrase| titles_have(phrase));
    let Some(phrase) = phrase else {
        return found;
    };
    let has =
        |h: &Hit| format!(" {} ", plain_words(&h.product.title)).contains(&format!(" {phrase} "));
    if !found.hits.iter().any(has) {
        return found;
    }
    let hits: Vec<Hit> = found.hits.into_iter().filter(has).collect();
    crate::search::SearchResults {
        total: hits.len(),
        hits,
    }
}

/// Whether a title states the dimensions `size` ("8.5x11", "6x9", "100x45cm"; as
/// [`crate::nlu::rules::variants::sizes`] writes them) in that order: "8.5 x 11",
/// '6"x9"', "6 x 9 inch", "100 x 45 cm".
fn states_dims(title: &str, size: &str) -> bool {
    use std::sync::OnceLock;
    static DIMS: OnceLock<regex::Regex> = OnceLock::new();
    let number = |t: &str| t.replace(',', ".").parse::<f64>().ok();
    let asked: Vec<f64> = size
        .trim_end_matches(|c: char| c.is_alphabetic())
        .split('x')
        .filter_map(number)
        .collect();
    if asked.len() < 2 {
        return false;
    }
    let re = DIMS.get_or_init(|| {
        let mark = r#"(?:"|''|”|″|\s?(?:in|inch|inches|cm|mm))?"#;
        regex::Regex::new(&format!(
            r"(?i)(\d+(?:[.,]\d+)?){mark}\s*[x×]\s*(\d+(?:[.,]\d+)?){mark}(?:\s*[x×]\s*(\d+(?:[.,]\d+)?))?"
        ))
        .expect("dimensions pattern")
    });
    re.captures_iter(title).any(|c| {
        let said: Vec<f64> = [c.get(1), c.get(2), c.get(3)]
            .into_iter()
            .flatten()
            .filter_map(|g| number(g.as_str()))
            .collect();
        said.len() >= asked.len() && said.iter().zip(&asked).all(|(a, b)| a == b)
    })
}

/// The words of the features a request asks for with "with" or "mit", up to the
/// next part of the request ("dash cam with gps": gps; "a jacket with a hood under
/// 50 euros": hood): words of three letters or more and of letters only, articles
/// left out, none from a number on (a spec's: "with a 21 inch deck").
fn features_asked(normalised: &str) -> Vec<String> {
    const ENDS: &[&str] = &[
        "and", "or", "for", "under", "below", "over", "above", "in", "that", "which", "but",
        "from", "und", "oder", "für", "unter", "über", "bis", "im", "aber", "von", "ab", "to",
        "zu", "at", "as",
    ];
    const ARTICLES: &[&str] = &[
        "the", "one", "its", "some", "any", "ein", "eine", "einem", "einen", "einer", "der", "die",
        "das", "dem", "den", "etwas",
    ];
    let words: Vec<&str> = normalised.split_whitespace().collect();
    let Some(at) = words.iter().position(|w| matches!(*w, "with" | "mit")) else {
        return Vec::new();
    };
    words[at + 1..]
        .iter()
        .take_while(|w| !ENDS.contains(w) && !matches!(**w, "with" | "mit"))
        // "with a 21 inch deck": from a number on, the words are a spec's.
        .take_while(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| {
            w.chars().count() >= 3 && w.chars().all(char::is_alphabetic) && !ARTICLES.contains(w)
        })
        .map(|w| w.to_string())
        .collect()
}

/// Properties a request may ask for whose opposite a product's texts state ("Connectivity:
/// Wired" of a mouse whose title never says either).
const OPPOSITES: &[(&str, &[&str])] = &[
    ("wireless", &["wired", "corded", "kabelgebunden"]),
    ("cordless", &["corded", "wired", "kabelgebunden"]),
    ("kabellos", &["wired", "corded", "kabelgebunden"]),
    ("kabellose", &["wired", "corded", "kabelgebunden"]),
];

/// The hits, less those whose texts (the description too) state the opposite of a
/// property the request asks for and not the property itself: no wired mouse for a
/// "wireless mouse". A text silent on it stays (a "40V MAX String Trimmer" is
/// cordless though it does not say so); so does the page where every hit would go.
fn without_the_opposite(
    found: crate::search::SearchResults,
    text: &str,
) -> crate::search::SearchResults {
    let said: Vec<String> = text
        .split_whitespace()
        .map(crate::catalog::text::fold)
        .collect();
    let opposites: Vec<(&str, &[&str])> = OPPOSITES
        .iter()
        .filter(|(p, _)| said.iter().any(|w| w == p))
        .copied()
        .collect();
    if opposites.is_empty() {
        return found;
    }
    let states_opposite = |h: &Hit| {
        let body = product_text(&h.product, true);
        let words: Vec<&str> = body
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        opposites
            .iter()
            .any(|(p, opp)| !words.contains(p) && opp.iter().any(|o| words.contains(o)))
    };
    if found.hits.iter().all(states_opposite) {
        return found;
    }
    let before = found.hits.len();
    let hits: Vec<Hit> = found
        .hits
        .into_iter()
        .filter(|h| !states_opposite(h))
        .collect();
    let total = found
        .total
        .saturating_sub(before - hits.len())
        .max(hits.len());
    crate::search::SearchResults { total, hits }
}

/// Whether a hit's text (title, description, shelves, attributes) names every
/// feature, loosely (its stem, as part of a longer word too).
fn has_features(h: &Hit, features: &[String]) -> bool {
    use crate::catalog::text::fold;
    let body = product_text(&h.product, true);
    features
        .iter()
        .all(|f| body.contains(&feature_stem(&fold(f))))
}

/// Whether a hit is what the request's words describe: it says every word of
/// `text` ([`says_every_word`]) or has every feature asked for with "with"
/// ([`has_features`]).
fn described_by(h: &Hit, text: &str, features: &[String]) -> bool {
    says_every_word(h, text) || !features.is_empty() && has_features(h, features)
}

/// A feature word without its ending, as texts spell it either way: "cancel" of
/// "noise cancelling" and of "noise canceling", "pocket" of "pockets".
fn feature_stem(word: &str) -> String {
    let stem = ["ing", "ed", "es", "s"]
        .iter()
        .find_map(|e| word.strip_suffix(e).filter(|s| s.chars().count() >= 4))
        .unwrap_or(word);
    let mut chars: Vec<char> = stem.chars().collect();
    if chars.len() >= 5 && chars[chars.len() - 1] == chars[chars.len() - 2] {
        chars.pop();
    }
    chars.into_iter().collect()
}

/// Only the hits that have every feature asked for ([`has_features`]), where some
/// do and some do not: a dash cam "with gps" whose description says "GPS" is one,
/// the one that says nothing of it is not. Where none does, the page stays as it is
/// (the shop's texts may just not say it).
fn only_those_with(
    found: crate::search::SearchResults,
    features: &[String],
) -> crate::search::SearchResults {
    if features.is_empty() {
        return found;
    }
    let total = found.total;
    let (hits, without): (Vec<Hit>, Vec<Hit>) = found
        .hits
        .into_iter()
        .partition(|h| has_features(h, features));
    // None or all: the page as it was (one side is all of it, in its order).
    if hits.is_empty() || without.is_empty() {
        let hits = if hits.is_empty() { without } else { hits };
        return crate::search::SearchResults { total, hits };
    }
    crate::search::SearchResults {
        total: hits.len(),
        hits,
    }
}

/// The ideas' best products first, one of each idea (a gift request gets several
/// kinds of product, not five of one), then the request's own best result, then the
/// ideas' next products and the request's other results; each product once.
fn with_ideas_first<T: Clone>(ideas: Vec<Vec<T>>, own: Vec<T>, id: impl Fn(&T) -> &str) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    let depth = ideas.iter().map(Vec::len).max().unwrap_or(0);
    let round = |i: usize| ideas.iter().filter_map(move |g| g.get(i)).cloned();
    let mut own = own.into_iter();
    let order = round(0)
        .chain(own.next())
        .chain((1..depth).flat_map(round))
        .chain(own);
    for h in order {
        if !out.iter().any(|o| id(o) == id(&h)) {
            out.push(h);
        }
    }
    out
}

/// After a gift's products, the question that would narrow them: what the person
/// likes when the message did not say, what to spend when no price limit is set.
fn ask_about_gift(state: &SessionState, u: &Understanding, out: &mut Outcome) {
    let Some(gift) = &u.gift else { return };
    let (interests, budget) = (!gift.interests, state.search.price_max.is_none());
    if interests || budget {
        out.say(Fact::Discover(Discover::AskGift { interests, budget }));
    }
}

/// The page of a best-first list: first `wanted` of them and every one tied with the
/// last of those (by `key`), remembered in `first_shown`; later pages (`offset` a
/// multiple of the page) go on from there a page at a time.
fn page_of_best(
    hits: Vec<Hit>,
    offset: usize,
    wanted: usize,
    first_shown: &mut usize,
    key: impl Fn(&Hit) -> f64,
) -> Vec<Hit> {
    if offset > 0 {
        let from = *first_shown + offset - PAGE;
        return hits.into_iter().skip(from).take(PAGE).collect();
    }
    let mut out: Vec<Hit> = Vec::new();
    for h in hits {
        let tied = out.last().is_some_and(|l| (key(l) - key(&h)).abs() < 1e-9);
        if out.len() < wanted || (tied && out.len() < PAGE * 2) {
            out.push(h);
        } else {
            break;
        }
    }
    *first_shown = out.len();
    out
}

impl Assistant {
    /// A search message: one target, or several each shown as a group.
    pub(super) fn search(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        if let Some(x) = alternatives::cheaper_alternative_to(&u.normalised) {
            if self.cheaper_alternatives(ctx, state, &x, out)? {
                return Ok(());
            }
        }
        let pointed = fitting_words(u).and_then(|words| {
            let id = crate::assist::refine::resolve(u, &state.shown, state.focused.as_ref())?;
            Some((words, None, self.shop.product(&id)?))
        });
        let targets = self.targets(ctx.lang, u);
        // "a case for the galaxy a35 and a 25w charger" is two targets, the second
        // no part of what the case must fit.
        let fitting = pointed.or_else(|| targets.is_none().then(|| self.named_to_fit(u)).flatten());
        let fitted = match fitting {
            Some((words, named, product)) => {
                let fit = Fit {
                    words,
                    named,
                    product: &product,
                };
                self.search_fitting(ctx, state, u, fit, out)?
            }
            None => false,
        };
        // "a35 charger": what fits the model, as "a charger for the a35" would.
        let model_then_kind = match fitted || targets.is_some() {
            true => None,
            false => self.model_then_kind(u)?,
        };
        let fitted = fitted
            || match model_then_kind {
                Some((kind, product)) => {
                    let fit = Fit {
                        words: &kind,
                        named: None,
                        product: &product,
                    };
                    self.search_fitting(ctx, state, u, fit, out)?
                }
                None => false,
            };
        // "replacement needle for the at-lp60x", "something for the at-lp60x": no
        // kind of this shop asked for, a model named to fit.
        let fitted = fitted || (targets.is_none() && self.made_for_named(ctx, state, u, out)?);
        if !fitted {
            match targets {
                Some(targets) => self.search_targets(ctx, state, u, targets, out)?,
                None => self.search_one(ctx, state, u, out)?,
            }
        }
        let plan = out.plan.get_or_insert_with(Default::default);
        if plan.targets.is_empty() && !state.search.text.is_empty() {
            plan.targets
                .push(state.search.plan_target(u.slots.quantity));
        }
        plan.steps = vec![crate::nlu::understand::plan::Step::Show];
        Ok(())
    }

    /// Shows what titles say is made for a model a request names after a fitting
    /// word, when the words before it ask for no kind of this shop ("replacement
    /// needle for the at-lp60x" where the needle is a "Replacement Stylus for
    /// AT-LP60X"): those products, not the model itself. `false` (nothing shown)
    /// when the words name a kind or a model, or nothing is made for it.
    fn made_for_named(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<bool, TurnError> {
        let Some((words, named)) = fitting_split(&u.normalised) else {
            return Ok(false);
        };
        // "all offers for the anker 313", "alle angebote für den brother tn760" ask
        // for the model's own listings.
        const LISTINGS: &[&str] = &[
            "offer", "offers", "listing", "listings", "deal", "deals", "price", "prices",
            "angebot", "angebote", "preis", "preise",
        ];
        if words.split_whitespace().any(|w| LISTINGS.contains(&w)) {
            return Ok(false);
        }
        let (kind, own_models) = self.shop.request_target(words);
        let (_, models) = self.shop.request_target(named);
        if kind.is_some() || !own_models.is_empty() || models.is_empty() {
            return Ok(false);
        }
        // By the model's words, not as a model: a search for the model finds the
        // listings that are it.
        let q = SearchQuery {
            text: named.to_string(),
            limit: PAGE * 4,
            ..Default::default()
        };
        let made_for: Vec<Hit> = self
            .find(&q)?
            .hits
            .into_iter()
            .filter(|h| {
                !self.shop.is_model_itself(&h.id, &models)
                    && crate::search::profile::title_models(&outside_brackets_but_fits(&h.title))
                        .iter()
                        .any(|m| models.contains(m))
            })
            .collect();
        if made_for.is_empty() {
            return Ok(false);
        }
        // "the cheapest thing you have for a ps5": in price order, the first (and
        // those tied with it) shown.
        let order = crate::assist::refine::price_order(&u.normalised);
        out.plan.get_or_insert_with(Default::default).targets.push(
            crate::nlu::understand::plan::Target {
                words: named.to_string(),
                models: models.clone(),
                order: order.map(|s| crate::nlu::understand::plan::Order::Price {
                    desc: s == Sort::PriceDesc,
                }),
                quantity: u.slots.quantity,
                ..Default::default()
            },
        );
        let Some(sort) = order else {
            self.found(ctx, state, &made_for, Vec::new(), out);
            return Ok(true);
        };
        state.search.sort = sort;
        let mut made_for = made_for;
        sort_by_price(&mut made_for, sort == Sort::PriceDesc);
        let total = made_for.len();
        let mut first_shown = 0;
        let wanted = superlative_count(&u.normalised);
        let hits = page_of_best(made_for, 0, wanted, &mut first_shown, |h| h.price as f64);
        state.search.best_shown = first_shown;
        out.say(Fact::Discover(Discover::Found {
            total,
            changes: vec![Change::Sorted { sort }],
            currency: hits[0].currency.clone(),
            best: (hits.len() < total).then_some(hits.len()),
        }));
        self.show(ctx, state, &hits, out);
        out.progress = true;
        Ok(true)
    }

    /// The product of this shop a search names after a fitting word, when the words
    /// before it ask for another kind ("ram for my msi b550 tomahawk": the board;
    /// "a motherboard for the ryzen 7 7700x": the CPU): the best listing of the
    /// models named there that is no accessory. None when those words name no model
    /// here, or the asked words name one themselves.
    #[allow(clippy::type_complexity)]
    pub(super) fn named_to_fit<'u>(
        &self,
        u: &'u Understanding,
    ) -> Option<(&'u str, Option<&'u str>, Arc<Product>)> {
        let (words, named) = fitting_split(&u.normalised)?;
        let (kind, own_models) = self.shop.request_target(words);
        let (named_kind, models) = self.shop.request_target(named);
        if kind.is_none() || !own_models.is_empty() || models.is_empty() {
            return None;
        }
        let q = SearchQuery {
            text: named.to_string(),
            models: models.clone(),
            limit: PAGE,
            ..Default::default()
        };
        // A German title's kind is its compound's ("Akku-Bohrschrauber … ohne
        // Akku" is no battery), which the title read as a request would miss.
        let kind_of = |h: &Hit| {
            if h.product.language == "en" {
                self.shop
                    .request_target(&crate::catalog::text::fold(&h.title))
                    .0
            } else {
                self.shop.kind_of(&h.id)
            }
        };
        let hits = self.find(&q).ok()?.hits;
        // The model itself: what a case for it or a headset that names it fits is
        // not what it fits.
        let itself = hits
            .iter()
            .find(|h| kind_of(h) != kind && self.shop.is_model_itself(&h.id, &models));
        // "ram for an am5 motherboard": a kind named by its socket is any of them,
        // and what it takes is what they have in common.
        let by_socket = || {
            let sockets = models
                .iter()
                .all(|m| !crate::catalog::specs::connectors(m).is_empty());
            let of = named_kind
                .as_ref()
                .filter(|k| sockets && Some(*k) != kind.as_ref())?;
            hits.iter().find(|h| kind_of(h).as_ref() == Some(of))
        };
        let hit = itself.or_else(by_socket)?.clone();
        tracing::debug!(asked = words, fits = %hit.title, "a product named to fit");
        Some((words, Some(named), hit.product))
    }

    /// Products of the kind asked for that fit a product the message points at or
    /// names ("ram for the first one": its memory generation; "a cpu that fits this
    /// one": its socket; "a case for the galaxy a25": its model). `false` when that
    /// product names neither connector nor model; when no product of the kind names
    /// a connector it fits, the kind is searched as asked.
    pub(super) fn search_fitting(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        fit: Fit<'_>,
        out: &mut Outcome,
    ) -> Result<bool, TurnError> {
        let (words, pointed) = (fit.words, fit.product);
        let with: Vec<String> = crate::catalog::specs::Specs::of_product(pointed)
            .works_with
            .iter()
            .map(|c| c.to_string())
            .collect();
        // What a case, a band or a protector is for is a model, not a connector.
        let (kind, _) = self.shop.request_target(words);
        let accessory = kind
            .as_deref()
            .is_some_and(crate::search::profile::is_accessory_kind);
        // Without a connector, what it is for is its model ("a case for the first
        // one" after the Galaxy A25: a case for the a25).
        let by_model = with.is_empty() || accessory;
        let (_, models) = self
            .shop
            .request_target(&crate::catalog::text::fold(&pointed.title));
        if by_model && models.is_empty() {
            return Ok(false);
        }
        // What is made for the model first, where products of another kind name it
        // or its series (toner "for HP LaserJet Pro M404" for the M404n, whatever
        // ports the printer has), then what shares its connectors.
        // Its names, not its socket or memory ("ddr4", the "1700" of "LGA 1700").
        let names: Vec<String> = models
            .iter()
            .filter(|m| {
                m.chars().any(|c| c.is_ascii_alphabetic())
                    && crate::catalog::specs::connectors(m).is_empty()
            })
            .cloned()
            .collect();
        let own_kind = self.shop.kind_of(&pointed.id);
        let named_by_kind = match kind.as_deref() {
            Some(k) if !by_model && !names.is_empty() && Some(k) != own_kind.as_deref() => {
                self.kind_has_models(k, &names)?
                    || match self.series_of(&names) {
                        Some(series) => self.kind_has_models(k, &series)?,
                        None => false,
                    }
            }
            _ => false,
        };
        let by_name = (!models.is_empty() && (by_model || named_by_kind))
            .then(|| format!("{words} for {}", models.join(" ")));
        // A case or a band for a device of one size ("Apple Watch Series 9 [GPS
        // 45mm]") of that size first, where one is: "Series 9/8/7 41mm" is for
        // the smaller watch.
        let sized = by_name
            .as_ref()
            .filter(|_| accessory)
            .zip(device_size(pointed))
            .map(|(text, size)| (format!("{text} {size}"), Vec::new()));
        let by_connector = (!by_model).then(|| (words.to_string(), with));
        for (text, with) in sized
            .into_iter()
            .chain(by_name.map(|t| (t, Vec::new())))
            .chain(by_connector)
        {
            let Some(mut part) = self.fitting_part(ctx, u, &text) else {
                return Ok(false);
            };
            part.compatible = with;
            if self.search_found(ctx, state, &part, out)? {
                return Ok(true);
            }
        }
        if by_model && accessory {
            // A case for another phone fits nobody's: said, not shown.
            let name = fit.named.map(str::to_string).unwrap_or_else(|| {
                let name = pointed.title.split([',', '(']).next().unwrap_or_default();
                name.split_whitespace()
                    .take(6)
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            let asked = format!("{words} for {name}");
            self.nearest_instead(ctx, state, asked, None, Vec::new(), out)?;
            return Ok(true);
        }
        // No product of the kind names a connector or the model it fits: the kind
        // as asked, by the maker's word first ("charger for the galaxy a25": the
        // Samsung charger), its word before the kind ("canon a lens", not "a lens
        // canon", which asks for no kind). The maker is a preference, not a
        // constraint: where it makes none of the kind ("xlr cable for the scarlett
        // 2i2", no Focusrite cables), the kind as asked is the answer, not products
        // shown apart as of another brand.
        // A catalogue without brand fields (WebShop's) names the maker at the start
        // of the title: "Canon EOS Rebel T7i DSLR Camera …".
        let brand = pointed
            .brand
            .clone()
            .or_else(|| title_brand(&pointed.title));
        if let Some(b) = brand.filter(|_| by_model) {
            let text = format!("{} {words}", crate::catalog::text::fold(&b));
            if let Some(part) = self.fitting_part(ctx, u, &text) {
                if self.search_found(ctx, state, &part, out)? {
                    return Ok(true);
                }
            }
        }
        let Some(part) = self.fitting_part(ctx, u, words) else {
            return Ok(false);
        };
        self.search_one(ctx, state, &part, out)?;
        Ok(true)
    }

    /// Runs a search and keeps its turn only when it found something as asked (a
    /// product not shown apart as relaxed); otherwise leaves `state` and `out` as
    /// they were, for the next way of asking.
    pub(super) fn search_found(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        part: &Understanding,
        out: &mut Outcome,
    ) -> Result<bool, TurnError> {
        let mut tried = state.clone();
        let mut o = Outcome::default();
        self.search_one(ctx, &mut tried, part, &mut o)?;
        if !o.products.iter().any(|p| p.relaxed.is_empty()) {
            return Ok(false);
        }
        *state = tried;
        out.facts.extend(o.facts);
        out.products.extend(o.products);
        out.progress |= o.progress;
        Ok(true)
    }

    /// Says how many were found and shows them, as found (nothing relaxed).
    fn found(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        hits: &[Hit],
        changes: Vec<Change>,
        out: &mut Outcome,
    ) {
        out.say(Fact::Discover(Discover::Found {
            total: hits.len(),
            changes,
            currency: hits[0].currency.clone(),
            best: None,
        }));
        self.show(ctx, state, hits, out);
        out.progress = true;
    }

    /// The series models belong to, where the shop names it apart: each model with
    /// its closing letters left off ("m404n" → "m404", "9015e" → "9015"), where
    /// that is a model here too. None when no model has one.
    fn series_of(&self, models: &[String]) -> Option<Vec<String>> {
        let series: Vec<String> = models
            .iter()
            .flat_map(|m| {
                let stem = m.trim_end_matches(|c: char| c.is_ascii_alphabetic());
                let letters = m.len() - stem.len();
                let own = ((1..=2).contains(&letters)
                    && stem.len() >= 3
                    && stem.ends_with(|c: char| c.is_ascii_digit()))
                .then(|| stem.to_string());
                // "DeskJet 2700 Series" holds the 2755e: four digits, its hundred.
                let hundred = (stem.len() == 4
                    && stem.chars().all(|c| c.is_ascii_digit())
                    && !stem.ends_with("00"))
                .then(|| format!("{}00", &stem[..2]));
                own.into_iter().chain(hundred)
            })
            .filter(|stem| self.shop.request_target(stem).1.iter().any(|m| m == stem))
            .collect();
        (!series.is_empty()).then_some(series)
    }

    /// A kind named after a model of another kind, where no product of the kind
    /// names the model ("a35 charger", "galaxy a35 ladegerät"): the kind, and the
    /// model's own listing it must fit. None when the message says what it is for
    /// ("for …"), or a listing of the model has the kind's word ("anker 313 wireless
    /// charger stand").
    fn model_then_kind(
        &self,
        u: &Understanding,
    ) -> Result<Option<(String, Arc<Product>)>, TurnError> {
        if fitting_split(&u.normalised).is_some() || u.intent != Intent::Search {
            return Ok(None);
        }
        let (Some(kind), models) = self.shop.request_target(&u.normalised) else {
            return Ok(None);
        };
        if models.is_empty()
            || self.kind_has_models(&kind, &models)?
            || self.a_listing_has_word(&kind, &models)?
        {
            return Ok(None);
        }
        let q = SearchQuery {
            text: models.join(" "),
            models: models.clone(),
            limit: PAGE,
            ..Default::default()
        };
        let itself = self.find(&q)?.hits.into_iter().find(|h| {
            self.shop.is_model_itself(&h.id, &models)
                && self.shop.kind_of(&h.id).as_deref() != Some(kind.as_str())
        });
        Ok(itself.map(|h| (kind, h.product)))
    }

    /// Whether no product of `kind` is one of `models`, but a listing of them has the
    /// kind's word in its title.
    fn a_listing_names_not_kind(&self, kind: &str, models: &[String]) -> Result<bool, TurnError> {
        Ok(!self.kind_has_models(kind, models)? && self.a_listing_has_word(kind, models)?)
    }

    /// Whether a product of `kind` is one of `models`.
    fn kind_has_models(&self, kind: &str, models: &[String]) -> Result<bool, TurnError> {
        let q = SearchQuery {
            text: format!("{} {kind}", models.join(" ")),
            kind: Some(kind.to_string()),
            models: models.to_vec(),
            limit: 1,
            ..Default::default()
        };
        Ok(!self.find(&q)?.hits.is_empty())
    }

    /// Whether a listing of `models` has `word` in its title.
    fn a_listing_has_word(&self, word: &str, models: &[String]) -> Result<bool, TurnError> {
        let q = SearchQuery {
            text: word.to_string(),
            models: models.to_vec(),
            limit: PAGE,
            ..Default::default()
        };
        Ok(self.find(&q)?.hits.iter().any(|h| {
            h.title
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| crate::catalog::kind::singular(&w.to_lowercase()) == word)
        }))
    }

    /// The search of the words asked for in a fitting request, with the message's
    /// price limit; None when they name no product.
    fn fitting_part(&self, ctx: &Ctx<'_>, u: &Understanding, text: &str) -> Option<Understanding> {
        let part = self.search_part(ctx, u, text);
        part.product_type.as_ref()?;
        Some(part)
    }

    /// Words of a message searched as a message of their own (a fitting request's
    /// words, one of several targets), in the catalogue's words and with the
    /// message's price limit.
    pub(super) fn search_part(
        &self,
        ctx: &Ctx<'_>,
        u: &Understanding,
        text: &str,
    ) -> Understanding {
        let mut part = RulesReading::new(text, ctx.lang).understanding();
        part.intent = Intent::Search;
        // "a cpu for …" where CPUs are titled as processors.
        let mut part = self.in_catalogue_words(part);
        if part.product_type.is_none() {
            part.product_type =
                crate::nlu::understand::rule_product_words(&part.normalised, &part.slots);
        }
        if part.slots.price.is_none() {
            part.slots.price = u.slots.price;
        }
        part
    }

    /// The search for one target.
    pub(super) fn search_one(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        let mut changes = state.search.apply(u, &state.shown, state.focused.as_ref());
        let short = state.search.text.split_whitespace().count() <= SHORT_REQUEST;
        if changes
            .iter()
            .any(|c| matches!(c, Change::NewSearch { .. }))
        {
            let (kind, models) = self
                .shop
                .request_target(&crate::nlu::understand::without_recipients(&u.normalised));
            // The kind filters short requests and those with a superlative, a spec or
            // a model; a long description ("a long sleeve blouse for women, machine
            // washable, size xl") is ranked by all its words instead.
            let precise = short
                || state.search.spec_sort.is_some()
                || !state.search.specs.is_empty()
                || state.search.sort != Sort::Relevance
                || !models.is_empty();
            // A case, a band or a protector for "iphone 13", or anything said to
            // be for it, must be made for that number of the line.
            let lines = self.shop.requested_lines(&u.normalised);
            let accessory = kind
                .as_deref()
                .is_some_and(crate::search::profile::is_accessory_kind);
            let for_it = |line: &str| {
                fits_word().find(&u.normalised).is_some_and(|m| {
                    u.normalised[m.end()..]
                        .split_whitespace()
                        .any(|w| w == line)
                })
            };
            state.search.lines = lines
                .into_iter()
                .filter(|wish| accessory || for_it(&wish.line))
                .map(|wish| crate::search::profile::LineWish {
                    named: accessory,
                    ..wish
                })
                .collect();
            // "anker 313 wireless charger stand": a word one of the model's own
            // listings has ("Wireless Charger (Stand)") names that listing, not a
            // kind the model is not.
            // "a lens for the canon r50" asks for a lens to fit the camera, whatever
            // the camera's own listing comes with.
            let kind = match kind {
                Some(k)
                    if !models.is_empty()
                        && !kind_for_models(&u.normalised, &k, &models)
                        && self.a_listing_names_not_kind(&k, &models)? =>
                {
                    None
                }
                k => k,
            };
            state.search.kind = kind.filter(|_| precise);
            state.search.models = models;
            state.search.every = asks_for_every(&u.normalised)
                && (state.search.kind.is_some() || !state.search.specs.is_empty());
        }
        if u.gift.as_ref().is_some_and(|g| !g.interests) && u.targets.is_empty() {
            return self.gift_without_words(ctx, state, u, changes, out);
        }
        if state.search.text.is_empty() && changes.is_empty() {
            out.say(Fact::Discover(Discover::AskWhat));
            return Ok(());
        }
        // How many a superlative shows: "the cheapest cable" one (and those tied with
        // it), "the 3 cheapest" three.
        let spec_sort = state.search.spec_sort.clone();
        let wanted = if spec_sort.as_ref().is_some_and(|s| s.page) {
            PAGE
        } else {
            superlative_count(&u.normalised)
        };
        let mut first_shown = state.search.best_shown;
        let mut limit_blocked = false;
        let mut results = match (state.search.sort, &spec_sort) {
            (Sort::PriceAsc | Sort::PriceDesc, _) => {
                let q = state.search.query();
                let (offset, desc) = (q.offset, state.search.sort == Sort::PriceDesc);
                let (hits, total) = self.best_by_price(q, desc)?;
                let key = |h: &Hit| h.price as f64;
                crate::search::SearchResults {
                    hits: page_of_best(hits, offset, wanted, &mut first_shown, key),
                    total,
                }
            }
            (_, Some(by)) => {
                let q = state.search.query();
                let offset = q.offset;
                let hits = self.best_by_spec(q, by)?;
                let total = hits.len();
                // "the lightest laptop" where no laptop states its weight: not
                // claimed to be in that order.
                let stated = hits
                    .iter()
                    .any(|h| by.dims.iter().any(|d| spec_of(h, *d).is_some()));
                if !stated && !hits.is_empty() {
                    changes.retain(|c| !matches!(c, Change::SortedBySpec { .. }));
                    out.say(Fact::Discover(Discover::SortUnstated {
                        word: by.word.clone(),
                    }));
                    let from = offset.min(hits.len());
                    let hits: Vec<Hit> = hits.into_iter().skip(from).take(PAGE).collect();
                    state.search.best_shown = PAGE;
                    first_shown = PAGE;
                    crate::search::SearchResults { hits, total }
                } else {
                    let key = |h: &Hit| spec_key(h, by).unwrap_or(0.0);
                    crate::search::SearchResults {
                        hits: page_of_best(hits, offset, wanted, &mut first_shown, key),
                        total,
                    }
                }
            }
            _ => {
                let q = state.search.query();
                // A named model: every listing of it, not a page padded with others.
                let by_words = q.models.is_empty() && q.offset == 0 && short;
                let q = if q.models.is_empty() && !state.search.every {
                    q
                } else {
                    SearchQuery {
                        limit: EVERY_LISTING,
                        ..q
                    }
                };
                let mut found = self.find(&q)?;
                if q.offset > 0 {
                    // The page before may have led with the model's ideas, which
                    // the index's own pages know nothing of: nothing twice.
                    found
                        .hits
                        .retain(|h| !state.shown.iter().any(|s| s.id == h.id));
                }
                let features = features_asked(&u.normalised);
                let meets = |h: &Hit| described_by(h, &q.text, &features);
                if by_words
                    && q.price_max.is_some()
                    && product_word_count(&q.text) >= 2
                    && !found.hits.iter().any(meets)
                    && self.any_without_limit(&q, meets)?
                {
                    // "a bluetooth speaker under 30 dollars" where every bluetooth
                    // speaker costs more: the limit blocked them, not the words,
                    // and a speaker without bluetooth is no match. Nothing found;
                    // the limit is relaxed below, before any other reading.
                    limit_blocked = true;
                    crate::search::SearchResults {
                        hits: Vec::new(),
                        total: 0,
                    }
                } else if by_words {
                    let found = only_those_of_a_lettered_line(found, &u.normalised, |phrase| {
                        self.shop.titles_have(phrase)
                    });
                    let found = only_those_naming_what_they_fit(found, &u.normalised, |named| {
                        self.names_a_product(named)
                    });
                    let found = without_the_opposite(found, &q.text);
                    only_those_with(only_those_with_every_word(found, &q.text), &features)
                } else if !q.models.is_empty() && q.offset == 0 {
                    // The model's listings with the most words of the request:
                    // "anker 313 wireless charger" is not the Anker 313 wall charger.
                    let hits = best_matched_per_model(found.hits, &q.models);
                    crate::search::SearchResults {
                        total: hits.len(),
                        hits,
                    }
                } else {
                    found
                }
            }
        };
        state.search.best_shown = first_shown;
        let new_search = changes
            .iter()
            .any(|c| matches!(c, Change::NewSearch { .. }));
        let by_relevance = state.search.sort == Sort::Relevance && spec_sort.is_none();
        // What the shop lacks is said first: the model's ideas for it would be
        // shown as if they were it.
        if new_search {
            if let Some((asked, head)) = self.not_carried(u) {
                // "the lightest laptop" where there are none: that it is not carried
                // says it, not that no laptop states its weight.
                out.facts
                    .retain(|f| !matches!(f, Fact::Discover(Discover::SortUnstated { .. })));
                self.nearest_instead(ctx, state, asked, head, results.hits, out)?;
                // Said in the shopper's words: "hülle für galaxy s7", not "case für".
                for f in &mut out.facts {
                    if let Fact::Discover(Discover::NotCarried { asked, .. }) = f {
                        *asked = words_as_said(u, asked);
                    }
                }
                return Ok(());
            }
        }
        if new_search && by_relevance && !u.ideas.is_empty() {
            let ideas = self.idea_hits(state, u)?;
            if !ideas.is_empty() {
                let hits = with_ideas_first(ideas, results.hits, |h| h.id.as_str());
                self.found(ctx, state, &hits, changes, out);
                ask_about_gift(state, u, out);
                return Ok(());
            }
        }
        if !results.hits.is_empty() {
            // A brand the shop has none of the kind by ("sony headphones" where the
            // headphones are by others): said, and the others shown as such.
            if new_search && state.search.brand.is_none() {
                if let Some(brand) = brand_none_is_by(u, &results.hits) {
                    self.relaxed(ctx, state, &results.hits, Relaxation::Brand { brand }, out);
                    return Ok(());
                }
            }
            if by_relevance && state.search.brand.is_none() {
                made_by_first(u, &mut results.hits);
            }
            // "the cheapest usb c cable": the first of the 3 that match, not "3
            // matching products" above one.
            let best = (!by_relevance && wanted < PAGE && results.hits.len() < results.total)
                .then_some(results.hits.len());
            out.say(Fact::Discover(Discover::Found {
                total: results.total,
                changes,
                currency: results.hits[0].currency.clone(),
                best,
            }));
            self.show(ctx, state, &results.hits, out);
            // Offers of one model, not products that fit it ("charger for iphone
            // 12", "a case for the galaxy a35").
            let offers = results
                .hits
                .iter()
                .all(|h| self.shop.is_model_itself(&h.id, &state.search.models));
            if state.search.models.len() == 1 && by_relevance && offers {
                name_cheapest_offer(out);
            }
            if new_search {
                ask_about_gift(state, u, out);
            }
            out.progress = true;
            return Ok(());
        }
        if changes.iter().any(|c| matches!(c, Change::NextPage { .. })) {
            out.say(Fact::Discover(Discover::NoMore));
            return Ok(());
        }
        // Nothing of the kind by its word, but of its synonym: "apple 20w charger"
        // where Apple's is titled "20W USB-C Power Adapter". The same request, read
        // in the shop's words; nothing is relaxed. Not where the limit blocked what
        // the words describe: a power adapter is no "wireless charger" either.
        if let Some((kind, synonym)) = self.kind_by_synonym(state).filter(|_| !limit_blocked) {
            let q = SearchQuery {
                kind: Some(kind.clone()),
                text: format!("{} {synonym}", state.search.text),
                ..state.search.query()
            };
            let hits = self.find(&q)?.hits;
            if !hits.is_empty() {
                state.search.kind = Some(kind);
                state.search.text = q.text;
                self.found(ctx, state, &hits, changes, out);
                return Ok(());
            }
        }
        // Nothing of the kind names the model, but its series: toner "for HP
        // LaserJet Pro M404" fits the M404n asked for, ink that "Works with HP
        // DeskJet … 2700 … Series" the 2755e. Nothing is relaxed.
        if state.search.kind.is_some() {
            if let Some(series) = self.series_of(&state.search.models) {
                let q = SearchQuery {
                    models: series.clone(),
                    ..state.search.query()
                };
                let hits = self.find(&q)?.hits;
                if !hits.is_empty() {
                    state.search.models = series;
                    self.found(ctx, state, &hits, changes, out);
                    return Ok(());
                }
            }
        }
        // Nothing: relax the least important constraint — the price limit, then the
        // colour, then the size — and say which and by how much.
        if let Some(max) = state.search.price_max {
            // The same kind of product without the limit, cheapest first.
            let q = SearchQuery {
                price_max: None,
                ..state.search.query()
            };
            let (mut hits, _) = self.best_by_price(q, false)?;
            if limit_blocked {
                // Those the words describe, not those the limit let through.
                let features = features_asked(&u.normalised);
                hits.retain(|h| described_by(h, &state.search.text, &features));
            }
            if let Some(first) = hits.first() {
                let dropped = Relaxation::Price {
                    max: Money::new(max, &first.currency),
                    from: Money::new(first.price, &first.currency),
                };
                self.relaxed(ctx, state, &hits, dropped, out);
                return Ok(());
            }
        }
        for option in ["color", "size"] {
            let mut q = state.search.query();
            let values = match option {
                "color" if !q.colors.is_empty() => std::mem::take(&mut q.colors),
                "size" if !q.sizes.is_empty() => std::mem::take(&mut q.sizes),
                _ => continue,
            };
            let hits = self.find(&q)?.hits;
            // Dimensions no version has are a title's: "8.5x11 paper", "6x9 car
            // speakers" of '… 6"x9" …'. Those that state them are found.
            let dims = |h: &Hit| values.iter().any(|v| states_dims(&h.title, v));
            let stated: Vec<Hit> = if option == "size" {
                let every = SearchQuery {
                    limit: EVERY_LISTING,
                    offset: 0,
                    ..q.clone()
                };
                self.find(&every)?.hits.into_iter().filter(dims).collect()
            } else {
                Vec::new()
            };
            if !stated.is_empty() {
                self.found(ctx, state, &stated, changes, out);
                return Ok(());
            }
            if !hits.is_empty() {
                let dropped = Relaxation::Versions { option, values };
                self.relaxed(ctx, state, &hits, dropped, out);
                return Ok(());
            }
        }
        // A brand none of the kind is by ("samsung laptop"): the kind by others.
        if let Some(brand) = state.search.brand.clone() {
            let q = SearchQuery {
                brand: None,
                ..state.search.query()
            };
            let hits = self.find(&q)?.hits;
            if !hits.is_empty() {
                let brand = hits
                    .iter()
                    .chain(
                        self.find(&SearchQuery {
                            text: brand.clone(),
                            limit: 1,
                            ..Default::default()
                        })?
                        .hits
                        .iter(),
                    )
                    .filter_map(|h| h.product.brand.clone())
                    .find(|b| {
                        crate::search::profile::plain_words(b)
                            == crate::search::profile::plain_words(&brand)
                    })
                    .unwrap_or(brand);
                self.relaxed(ctx, state, &hits, Relaxation::Brand { brand }, out);
                return Ok(());
            }
        }
        // Made for other numbers of the line only ("iphone 13 case" where the cases
        // are for the iPhone 11 and 12): said, and none of them shown.
        if !state.search.lines.is_empty() {
            let q = SearchQuery {
                lines: Vec::new(),
                ..state.search.query()
            };
            if !self.find(&q)?.hits.is_empty() {
                let numbers: Vec<String> = state
                    .search
                    .lines
                    .iter()
                    .map(|w| w.number.clone())
                    .collect();
                let asked = asked_model_phrase(&u.normalised, &numbers);
                return self.nearest_instead(ctx, state, asked, None, Vec::new(), out);
            }
        }
        // Then the specs, keeping the kind, and the kind, keeping the specs; a spec
        // said of what the product is for ("a case for my apple watch 44mm") belongs
        // to the target, so there the kind goes first (its 44 mm bands).
        let for_target = {
            let w = format!(" {} ", state.search.wishes);
            let target = fits_word().find(&w).map(|m| m.start());
            let spec = crate::catalog::specs::quantities(&w)
                .first()
                .map(|(_, r)| r.start);
            matches!((target, spec), (Some(t), Some(s)) if t < s)
        };
        // Only what is made to a target's size is sized by it: "a charger for my
        // apple watch 44mm" is a charger, whatever its length.
        let sized_by_target = state
            .search
            .kind
            .as_deref()
            .is_none_or(crate::search::profile::is_accessory_kind);
        let relaxations = if for_target && sized_by_target {
            [
                RelaxStep::Kind,
                RelaxStep::SpecValues,
                RelaxStep::Versions,
                RelaxStep::Specs,
            ]
        } else {
            [
                RelaxStep::SpecValues,
                RelaxStep::Versions,
                RelaxStep::Specs,
                RelaxStep::Kind,
            ]
        };
        for step in relaxations {
            let (q, dropped) = match step {
                RelaxStep::SpecValues
                    if !state.search.specs.is_empty() && !state.search.connectors.is_empty() =>
                {
                    (
                        SearchQuery {
                            specs: Vec::new(),
                            ..state.search.query()
                        },
                        Relaxation::Specs {
                            specs: state.search.specs.iter().map(|w| w.as_said()).collect(),
                        },
                    )
                }
                RelaxStep::Versions
                    if state
                        .search
                        .connectors
                        .iter()
                        .any(|c| crate::catalog::specs::is_version(c)) =>
                {
                    let (versions, ports): (Vec<String>, Vec<String>) = state
                        .search
                        .connectors
                        .iter()
                        .cloned()
                        .partition(|c| crate::catalog::specs::is_version(c));
                    (
                        SearchQuery {
                            connectors: ports,
                            ..state.search.query()
                        },
                        Relaxation::Specs { specs: versions },
                    )
                }
                // A connector counts as a spec: "usb c charger" where no charger's
                // title or attributes name its plug.
                RelaxStep::Specs
                    if !state.search.specs.is_empty() || !state.search.connectors.is_empty() =>
                {
                    (
                        SearchQuery {
                            specs: Vec::new(),
                            connectors: Vec::new(),
                            ..state.search.query()
                        },
                        Relaxation::Specs {
                            specs: state
                                .search
                                .specs
                                .iter()
                                .map(|w| w.as_said())
                                .chain(state.search.connectors.iter().cloned())
                                .collect(),
                        },
                    )
                }
                RelaxStep::Kind if state.search.kind.is_some() => (
                    SearchQuery {
                        kind: None,
                        ..state.search.query()
                    },
                    // "a case for the galaxy s21" where cases are for other
                    // phones: the shop has cases, not one for that model.
                    Relaxation::Kind {
                        kind: kind_as_said(u, state.search.kind.as_deref().unwrap_or_default()),
                        fits: state.search.models.clone(),
                    },
                ),
                _ => continue,
            };
            let spec_step = matches!(
                step,
                RelaxStep::SpecValues | RelaxStep::Versions | RelaxStep::Specs
            );
            // The nearest values among all that match, not among the first page:
            // "a 10 meter hdmi cable" is nearer a 30 ft one than a 0.5 m one.
            let nearest = spec_step && !state.search.specs.is_empty();
            let q = if nearest {
                SearchQuery {
                    limit: BEST_POOL,
                    offset: 0,
                    ..q
                }
            } else {
                q
            };
            let found = self.find(&q)?;
            // Those with every word asked, as a search without the spec shows them:
            // "a 90w power supply" is a power supply of other wattage, not party
            // supplies.
            let mut hits = if spec_step {
                only_those_with_every_word(found, &q.text).hits
            } else {
                found.hits
            };
            if spec_step {
                nearest_to_wishes(&mut hits, &state.search.specs);
            }
            if nearest {
                hits.truncate(PAGE);
            }
            if !hits.is_empty() {
                self.relaxed(ctx, state, &hits, dropped, out);
                return Ok(());
            }
        }
        out.say(Fact::Discover(Discover::NothingFound { changes }));
        Ok(())
    }

    /// The kind the lexicon's synonym of the asked kind names here, with the
    /// synonym's words ("charger" → "adapter", "power adapter"), when it is another
    /// kind of this catalogue.
    fn kind_by_synonym(&self, state: &SessionState) -> Option<(String, String)> {
        let asked = state.search.kind.as_deref()?;
        let heads = |w: &str| {
            let k = crate::catalog::kind::singular(w);
            k != asked && self.shop.heads(&k) > 0
        };
        let synonym = crate::nlu::lexicon::Lexicon::get().synonym_of_kind(asked, &heads)?;
        let kind = crate::catalog::kind::singular(synonym.split_whitespace().last()?);
        Some((kind, synonym))
    }

    /// A gift that says nothing of the person but who they are ("ein Geschenk für
    /// meinen Vater"): the model's ideas that the shop vouches for, if any, and the
    /// question what they like (and what to spend); nothing is searched by the words
    /// of whom it is for.
    fn gift_without_words(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        changes: Vec<Change>,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        state.search.text.clear();
        state.search.kind = None;
        state.search.models.clear();
        let budget = state.search.price_max.is_none();
        let ideas = match u.ideas.is_empty() {
            true => Vec::new(),
            false => self.idea_hits(state, u)?,
        };
        if !ideas.is_empty() {
            let hits = with_ideas_first(ideas, Vec::new(), |h| h.id.as_str());
            out.say(Fact::Discover(Discover::Found {
                total: hits.len(),
                changes,
                currency: hits[0].currency.clone(),
                best: None,
            }));
            self.show(ctx, state, &hits, out);
        }
        out.say(Fact::Discover(Discover::AskGift {
            interests: true,
            budget,
        }));
        // A question that fits the request moves the conversation on.
        out.progress = true;
        Ok(())
    }

    /// The shop's product types for the model to judge for the need a message
    /// describes: the [`TYPES_PER_IDEA`] nearest to each of its own ideas ("warm
    /// gloves"), at least [`IDEA_FIT`] near, then those of the products at least
    /// [`IDEA_NEARNESS`] near the message, nearest first; each under one name.
    pub(super) fn offered_types(
        &self,
        model: &str,
        u: &Understanding,
        ideas: &[String],
    ) -> Vec<OfferedType> {
        let mut offered: Vec<OfferedType> = Vec::new();
        let of_ideas = ideas
            .iter()
            .flat_map(|idea| self.shop.types_near(idea, TYPES_PER_IDEA, IDEA_FIT))
            .map(|t| (t, true));
        let of_message = self
            .shop
            .types_near(&u.normalised, OFFERED_TYPES, IDEA_NEARNESS)
            .into_iter()
            .map(|t| (t, false));
        let of_uses = self
            .types_for(model, &u.normalised, USES_TYPES)
            .into_iter()
            .map(|t| (t, false));
        for (t, of_idea) in of_ideas.chain(of_message).chain(of_uses) {
            let name = t.read_as().to_string();
            if !offered
                .iter()
                .any(|o| o.offered.eq_ignore_ascii_case(&name))
            {
                offered.push(OfferedType {
                    name: t.name,
                    offered: name,
                    of_idea,
                });
            }
        }
        offered
    }

    /// The shop's product types that meet the need a message describes, most fitting
    /// first: the model names its own ideas ("warm gloves"), then judges each of the
    /// types nearest to them and to the message ([`Self::offered_types`],
    /// [`most_fitting`]). When the judgement fails, the offered order stands; when
    /// the ideas fail, only the message's types are offered.
    pub(super) fn chosen_types(
        &self,
        extractor: &crate::nlu::Extractor,
        model: &crate::llm::Model,
        text: &str,
        u: &Understanding,
    ) -> Vec<String> {
        let crate::nlu::understand::Ideas {
            english,
            products: ideas,
        } = extractor.ideas(model, text).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the model's ideas failed");
            Default::default()
        });
        let types = self.offered_types(&model.name, u, &ideas);
        let names: Vec<String> = types.iter().map(|t| t.offered.clone()).collect();
        // Judged on the model's own English: "ich bin zu einem Ball eingeladen" is
        // read as a football where "I am invited to a ball" is not (BENCHMARKS.md).
        let judged = english.as_deref().unwrap_or(text);
        let fit = extractor.fit(model, judged, &names).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the model's judgement of the types failed");
            vec![0.0; names.len()]
        });
        let of_idea: Vec<bool> = types.iter().map(|t| t.of_idea).collect();
        // What each type is for is near the shopper's own words (tried: the model's
        // English, one request worse).
        let uses = self.uses_nearness(&model.name, text, &names);
        let chosen: Vec<String> = most_fitting(&fit, &of_idea, &uses)
            .into_iter()
            .map(|i| types[i].name.clone())
            .collect();
        tracing::info!(?english, ?ideas, ?chosen, offered = ?names, ?fit, ?of_idea, ?uses, text, "the model's choice");
        chosen
    }

    /// The types of the kind a request names with a need ([`Self::kind_with_need`]:
    /// "a cosy dress for autumn"), the most fitting first, as [`Self::chosen_types`]
    /// judges them: by the model's judgement of each and the nearness of what each
    /// is for. Nothing but the kind's own types is offered.
    pub(super) fn judged_kind_types(
        &self,
        extractor: &crate::nlu::Extractor,
        model: &crate::llm::Model,
        text: &str,
        types: Vec<ShopType>,
    ) -> Vec<String> {
        // Offered nearest to what each is for first: the list's order counts in
        // [`most_fitting`], and the kind's own order is the alphabet's. (The
        // nearness is less the mean of all, so it does not depend on the order.)
        let near = {
            let names: Vec<String> = types.iter().map(|t| t.read_as().to_string()).collect();
            self.uses_nearness(&model.name, text, &names)
        };
        let mut ranked: Vec<(ShopType, f32)> = types.into_iter().zip(near).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let (types, uses): (Vec<ShopType>, Vec<f32>) = ranked.into_iter().unzip();
        let names: Vec<String> = types.iter().map(|t| t.read_as().to_string()).collect();
        let fit = match extractor.fit(model, text, &names) {
            Ok(fit) => fit,
            Err(e) => {
                tracing::warn!(error = %e, "the model's judgement of the kind's types failed");
                return Vec::new();
            }
        };
        let chosen: Vec<String> = most_fitting(&fit, &vec![false; names.len()], &uses)
            .into_iter()
            .map(|i| types[i].name.clone())
            .collect();
        tracing::info!(?chosen, offered = ?names, ?fit, ?uses, text, "the model's choice in a kind");
        chosen
    }

    /// How near (cosine of the e5 vectors) the message is to what each of the types
    /// `names` is for ([`TypeUses`]), less the mean over those whose uses are known;
    /// 0 for a type whose uses are not known yet, or before the vectors are ready.
    ///
    /// [`TypeUses`]: super::TypeUses
    /// The `n` types whose uses (what each is for, learned by the model) are nearest
    /// to `text`: "my grandma is always cold on the sofa" is near no blanket's
    /// product text, but near what a blanket is for.
    pub(super) fn types_for(
        &self,
        model: &str,
        text: &str,
        n: usize,
    ) -> Vec<crate::search::profile::ShopType> {
        let (types, described): (Vec<_>, Vec<String>) = self
            .shop
            .types()
            .iter()
            .filter_map(|t| Some((t.clone(), self.described_uses(model, t.read_as())?)))
            .unzip();
        let passages: Vec<&str> = described.iter().map(String::as_str).collect();
        let Some(near) = self.shop.similarities(text, &passages) else {
            return Vec::new();
        };
        let mut ranked: Vec<(f32, crate::search::profile::ShopType)> =
            near.into_iter().zip(types).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.into_iter().take(n).map(|(_, t)| t).collect()
    }

    /// A type's name with what it is for, as its uses are embedded ("Throw blanket:
    /// keeping warm on the sofa, …"); `None` while its uses are not known.
    fn described_uses(&self, model: &str, name: &str) -> Option<String> {
        self.uses
            .get(model, name)
            .filter(|u| !u.is_empty())
            .map(|u| format!("{name}: {}", u.join(", ")))
    }

    fn uses_nearness(&self, model: &str, text: &str, names: &[String]) -> Vec<f32> {
        let described: Vec<Option<String>> = names
            .iter()
            .map(|n| self.described_uses(model, n))
            .collect();
        let known: Vec<&str> = described.iter().flatten().map(String::as_str).collect();
        let Some(near) = self
            .shop
            .similarities(text, &known)
            .filter(|v| !v.is_empty())
        else {
            return vec![0.0; names.len()];
        };
        let mean = near.iter().sum::<f32>() / near.len() as f32;
        let mut near = near.into_iter();
        described
            .iter()
            .map(|d| match d {
                Some(_) => near.next().map_or(0.0, |v| v - mean),
                None => 0.0,
            })
            .collect()
    }

    /// The products of the types chosen for the request's need
    /// ([`Self::chosen_types`]), searched in this shop under the request's
    /// constraints (price, colour, size): for each type its best products, in stock
    /// first, each with the type as its reason. A type none of whose products meets
    /// the constraints adds nothing: no other product is passed off as one of it.
    fn idea_hits(
        &self,
        state: &SessionState,
        u: &Understanding,
    ) -> Result<Vec<Vec<Hit>>, TurnError> {
        let mut groups: Vec<Vec<Hit>> = Vec::new();
        for idea in &u.ideas {
            let q = SearchQuery {
                text: idea.clone(),
                kind: None,
                models: Vec::new(),
                specs: Vec::new(),
                offset: 0,
                limit: IDEA_CANDIDATES,
                ..state.search.query()
            };
            let key = crate::search::profile::plain_words(idea);
            let mut kept: Vec<Hit> = self
                .find(&q)?
                .hits
                .into_iter()
                .filter(|h| self.shop.type_key(&h.id).as_deref() == Some(key.as_str()))
                .collect();
            kept.sort_by_key(|h| std::cmp::Reverse(h.in_stock));
            kept.truncate(PER_IDEA);
            for h in &mut kept {
                h.reasons.push(Reason::Idea { idea: idea.clone() });
            }
            if !kept.is_empty() {
                groups.push(kept);
            }
        }
        Ok(groups)
    }

    /// The shopper's words for the thing a search asks for, when this shop does not
    /// carry it ("hair dryer", "tv" where TVs are only what stands and remotes are
    /// for). A message that names a person, an occasion or a problem asks for what
    /// fits, not for a thing by name, and is never one.
    /// With it, the head that the shop does carry, if any ("schuhe" of "sportschuhe").
    pub(super) fn not_carried(&self, u: &Understanding) -> Option<(String, Option<String>)> {
        // "for my" alone names no person: "a soundbar for my samsung tv" asks for a
        // soundbar, "eine hülle für mein handy" for a case; "a scarf for my mom" for
        // what fits her.
        if problem_or_job(&u.normalised) {
            return None;
        }
        // A model no title has ("sony srs-xb43" where the shop has the XB33), when
        // the request names no model it does have.
        let unknown = self.shop.unknown_models(&u.normalised);
        let (kind, models) = self.shop.request_target(&u.normalised);
        if !unknown.is_empty() && models.is_empty() {
            return Some((asked_model_phrase(&u.normalised, &unknown), None));
        }
        // "a case for the galaxy s7": an accessory is made for its model, and no
        // title names that model.
        let accessory = kind
            .as_deref()
            .is_some_and(crate::search::profile::is_made_for_a_host);
        if accessory && models.is_empty() {
            if let Some(m) = fits_word().find(&u.normalised) {
                let after = &u.normalised[m.end()..];
                let unknown = self.shop.unknown_models(after);
                if !unknown.is_empty() {
                    return Some((asked_model_phrase(&u.normalised, &unknown), None));
                }
                if let Some(asked) = self.nothing_made_for(u, kind.as_deref(), after) {
                    return Some((asked, None));
                }
            }
        }
        // A model that titles only name as what products fit ("the ps5" where an
        // HDMI cable is "for Playstation PS5, PS4, Xbox"), asked without a kind.
        let fits_only = |m: &String| {
            !m.contains(' ')
                && self
                    .shop
                    .names_model_only_as_fit(&crate::catalog::text::fold(m))
        };
        // "something compatible with my dell latitude e6430" asks for what fits it.
        let asks_what_fits = fits_word().find(&u.normalised).is_some_and(|m| {
            let after = crate::catalog::text::fold(&u.normalised[m.end()..]);
            models.iter().any(|model| after.contains(model.as_str()))
        });
        if kind.is_none() && !models.is_empty() && !asks_what_fits && models.iter().all(fits_only) {
            return Some((asked_model_phrase(&u.normalised, &models), None));
        }
        // "fujifilm xt5": a model a title is, named with its brand and no kind, is
        // carried whatever the words beside it are.
        if kind.is_none() && models.iter().any(|m| !fits_only(m)) {
            return None;
        }
        let (asked, carried) = match self.carried(u) {
            Some(c) => c,
            // A head the lexicon does not know, which this catalogue has no word for.
            None => {
                let asked = asked_words(&u.normalised);
                let head = asked.last()?;
                // "which drone flies the longest": a word after a kind the shop
                // carries that names no thing is what the kind does, not a kind.
                let lexicon = crate::nlu::lexicon::Lexicon::get();
                let before = &asked[..asked.len() - 1];
                if !before.is_empty()
                    && self.shop.carries(before, |w| lexicon.names_a_thing(w)) == Some(Carried::Yes)
                {
                    return None;
                }
                // "roku ultra" where cables are "for PS5, Roku, Apple TV" and
                // nothing is a Roku.
                let fits_only = asked.iter().any(|w| {
                    self.shop
                        .names_only_what_fits(&crate::catalog::text::fold(w))
                });
                if !fits_only
                    && !self.shop.lacks_unknown(&u.normalised, head)
                    && !self.shop.knows_none_of(&asked)
                {
                    return None;
                }
                (asked, Carried::No)
            }
        };
        // A line named with its number ("playstation 5", "pixel 7") where a title
        // has that model: the words end in the line's name, which is no kind.
        let names_a_line_model = asked.last().is_some_and(|line| {
            let line = crate::catalog::text::fold(line);
            self.shop.request_target(&u.normalised).1.iter().any(|m| {
                crate::search::profile::split_line_model(m).is_some_and(|(l, _)| l == line)
            })
        });
        if names_a_line_model {
            return None;
        }
        // Words that are a title's own, in its order ("weber original kettle",
        // "jetboil flash", "hydro flask"): a product named, whatever its last word
        // names elsewhere.
        if carried != Carried::Yes
            && (self.titled_by(&asked) || self.titled_with_feature(&u.normalised, &asked))
        {
            return None;
        }
        match carried {
            Carried::Yes => None,
            Carried::No => Some((asked.join(" "), None)),
            Carried::Head(head) => Some((asked.join(" "), Some(head))),
        }
    }

    /// The thing a request names by its first words ("zeig mir laufschuhe" →
    /// "laufschuhe") and whether this shop carries it; `None` when those words name
    /// no thing (a need, a person, phrasing).
    pub(super) fn carried(&self, u: &Understanding) -> Option<(Vec<String>, Carried)> {
        let lexicon = crate::nlu::lexicon::Lexicon::get();
        self.carried_as(u, |w| lexicon.names_a_thing(w))
    }

    /// Whether a request names something by the words of this shop's own titles
    /// ("Ich suche Jeans", "Habt ihr Jeans?"), a thing the lexicon may not know, or
    /// names a listing by several words that are all its title's ("naim mu-so qb",
    /// "alle angebote für regenjacke nordkap") without naming a need.
    pub(super) fn names_a_title_word(&self, u: &Understanding) -> bool {
        use crate::catalog::text::fold;
        match self.carried_as(u, |_| true) {
            Some((_, Carried::Yes)) => true,
            Some((asked, _)) => {
                asked.len() >= 2
                    && !crate::nlu::intent::names_a_need(&format!(" {} ", u.normalised))
                    && asked
                        .iter()
                        .flat_map(|w| w.split('-'))
                        .filter(|w| !w.is_empty())
                        .all(|w| self.shop.word_uses(&fold(w)) > 0)
            }
            None => false,
        }
    }

    /// [`Self::carried`], with `is_thing` telling which heads name things.
    fn carried_as(
        &self,
        u: &Understanding,
        is_thing: impl Fn(&str) -> bool,
    ) -> Option<(Vec<String>, Carried)> {
        let asked = asked_words(&u.normalised);
        let carried = self.shop.carries(&asked, is_thing)?;
        Some((asked, carried))
    }

    /// Says the shop does not carry `asked` and shows the few nearest products the
    /// search found instead, each marked `relaxed: ["kind"]`, with their kinds (the
    /// last level of their categories) named. With none, those of `head` (the part
    /// of a compound the shop has) under the same constraints.
    fn nearest_instead(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        asked: String,
        head: Option<String>,
        hits: Vec<Hit>,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        // Only those that share a word with the request and the thing asked: a
        // meaning's neighbours of a thing the shop lacks (cabinet knobs to
        // "haartrockner") help nobody.
        let asked_words: Vec<String> = asked
            .split_whitespace()
            .map(crate::catalog::kind::singular)
            .collect();
        // A thing named before the head says what the head is for: the nearest to a
        // "fire tv stick" are in a department whose titles name TVs (Electronics),
        // not deodorant sticks; those to "dress shirts" are in Clothing.
        let lexicon = crate::nlu::lexicon::Lexicon::get();
        let things: Vec<String> = asked_words
            .split_last()
            .map(|(_, before)| {
                before
                    .iter()
                    .filter(|w| lexicon.names_a_thing(w))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let departments: std::collections::HashSet<String> = things
            .iter()
            .flat_map(|t| self.shop.departments_naming(t))
            .collect();
        let of_the_thing = |h: &Hit| {
            things.is_empty()
                || h.product
                    .category
                    .first()
                    .is_some_and(|d| departments.contains(d))
        };
        // What names every port asked for, two or more, does the job: "a usb c hub
        // with hdmi" where the shop has a "USB-C to HDMI Adapter" (one port alone
        // is any cable or monitor with it).
        let ports = &state.search.connectors;
        let has_the_ports = |h: &Hit| {
            let named = Specs::of_product(&h.product).connectors;
            ports.len() >= 2 && ports.iter().all(|p| named.contains(&p.as_str()))
        };
        let hits: Vec<Hit> = hits
            .into_iter()
            .filter(|h| (shares_a_word(h, &asked_words) || has_the_ports(h)) && of_the_thing(h))
            .take(NEAREST)
            .collect();
        let hits = match head {
            Some(text) if hits.is_empty() => {
                let q = SearchQuery {
                    text,
                    limit: NEAREST,
                    offset: 0,
                    ..state.search.query()
                };
                self.find(&q)?
                    .hits
                    .into_iter()
                    .filter(of_the_thing)
                    .collect()
            }
            _ => hits,
        };
        let mut offered: Vec<String> = Vec::new();
        let asked_one = crate::catalog::kind::singular(&asked);
        for h in &hits {
            // A shelf named by the asked word sorts its parent by it ("Popcorn ›
            // Microwave" where microwaves were asked): the parent says what it is.
            let levels = &h.product.category;
            let kind = match levels.split_last() {
                Some((leaf, above)) if crate::catalog::kind::singular(leaf) == asked_one => {
                    above.last()
                }
                _ => levels.last(),
            };
            if let Some(kind) = kind {
                if !offered.contains(kind) {
                    offered.push(kind.clone());
                }
            }
        }
        out.say(Fact::Discover(Discover::NotCarried {
            asked,
            offered,
            nearest: !hits.is_empty(),
        }));
        if hits.is_empty() {
            state.shown.clear();
        } else {
            self.show(ctx, state, &hits, out);
            for p in &mut out.products {
                p.relaxed.push("kind".to_string());
            }
        }
        out.progress = true;
        Ok(())
    }

    /// The best matches of `q` by relevance, as many as a superlative looks at;
    /// none whose texts say the opposite of what is asked ("the cheapest wireless
    /// mouse" is no wired one).
    fn pool(&self, q: SearchQuery) -> Result<Vec<Hit>, TurnError> {
        let q = SearchQuery {
            limit: BEST_POOL,
            offset: 0,
            sort: Sort::Relevance,
            ..q
        };
        Ok(without_the_opposite(self.find(&q)?, &q.text).hits)
    }

    /// Whether the request `q` without its price limit finds products that `meet`
    /// it.
    fn any_without_limit(
        &self,
        q: &SearchQuery,
        meets: impl Fn(&Hit) -> bool,
    ) -> Result<bool, TurnError> {
        let q = SearchQuery {
            price_max: None,
            offset: 0,
            ..q.clone()
        };
        Ok(self.find(&q)?.hits.iter().any(meets))
    }

    /// The best matches of `q` (see [`best_matched`]), ordered by price (cheapest
    /// first, or dearest).
    /// A request that names nothing ("whats the cheapest you have", "your most
    /// expensive product") orders the whole catalogue.
    /// With the hits, how many products matched in all.
    pub(super) fn best_by_price(
        &self,
        q: SearchQuery,
        desc: bool,
    ) -> Result<(Vec<Hit>, usize), TurnError> {
        if names_nothing(&q.text) && q.models.is_empty() {
            let q = SearchQuery {
                text: String::new(),
                limit: BEST_POOL,
                offset: 0,
                sort: if desc {
                    Sort::PriceDesc
                } else {
                    Sort::PriceAsc
                },
                ..q
            };
            let found = self.find(&q)?;
            return Ok((found.hits, found.total));
        }
        let mut hits = best_matched(self.pool(q)?);
        sort_by_price(&mut hits, desc);
        let total = hits.len();
        Ok((hits, total))
    }

    /// The products of `q` ordered by a spec (largest first, or smallest): over the
    /// dimension of `by` that most of the best matches state; those that state none
    /// of it are left out. Like a price order, it is over the products with as many of
    /// the request's words as the best one ("the longest usb c cable" is no HDMI cable).
    pub(super) fn best_by_spec(
        &self,
        q: SearchQuery,
        by: &SpecSort,
    ) -> Result<Vec<Hit>, TurnError> {
        let hits = best_matched_but(self.pool(q)?, &by.word);
        // The dimension the products differ in ("the largest nas hard drive": by
        // its 4 or 8 TB, not the 3.5 inches they all have), then the one most of
        // them state, then the first the word names.
        let dim = by
            .dims
            .iter()
            .max_by_key(|d| {
                let values: Vec<f64> = hits.iter().filter_map(|h| spec_of(h, **d)).collect();
                (
                    values.iter().any(|v| *v != values[0]),
                    values.len(),
                    std::cmp::Reverse(by.dims.iter().position(|x| x == *d)),
                )
            })
            .copied();
        let Some(dim) = dim.filter(|d| hits.iter().any(|h| spec_of(h, *d).is_some())) else {
            return Ok(hits);
        };
        // A wish for much ("a long battery life") keeps those that state none after
        // the others, in their order: no claim is made of them.
        let (stated, unstated): (Vec<Hit>, Vec<Hit>) =
            hits.into_iter().partition(|h| measure_of(h, dim).is_some());
        let unstated = if by.page { unstated } else { Vec::new() };
        let mut hits: Vec<(crate::catalog::specs::Quantity, Hit)> = stated
            .into_iter()
            .filter_map(|h| measure_by(&h, dim, by.desc).map(|q| (q, h)))
            .collect();
        // Ties keep the relevance order.
        hits.sort_by(|a, b| {
            let o = a.0.value.total_cmp(&b.0.value);
            if by.desc {
                o.reverse()
            } else {
                o
            }
        });
        // Each says its value of what they were sorted by.
        Ok(hits
            .into_iter()
            .map(|(value, mut h)| {
                h.reasons.insert(0, Reason::Measured { value });
                h
            })
            .chain(unstated)
            .collect())
    }

    /// Lists hits (three on voice, a page on text) and remembers them as shown.
    pub(super) fn show(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        hits: &[Hit],
        out: &mut Outcome,
    ) {
        state.compared.clear();
        let max = if ctx.channel == Channel::Voice {
            3
        } else if !state.search.models.is_empty() || state.search.every {
            EVERY_LISTING
        } else {
            PAGE
        };
        state.shown.clear();
        for (i, h) in hits.iter().take(max).enumerate() {
            out.say(Fact::Discover(Discover::Shown {
                n: i + 1,
                product: h.product.clone(),
                price: Money::new(h.price, &h.currency),
                size: h.variant.size.clone(),
                color: h.variant.color.clone(),
                in_stock: h.in_stock,
            }));
            state.shown.push(Shown {
                id: h.id.clone(),
                price: h.price,
                brand: h.product.brand.clone(),
                size: h.variant.size.clone(),
                variant_id: Some(h.variant.id.clone()),
            });
            out.products.push(ProductOut {
                id: h.id.clone(),
                title: h.title.clone(),
                brand: h.product.brand.clone(),
                price: h.price,
                currency: h.currency.clone(),
                in_stock: h.in_stock,
                variant: h.variant.clone(),
                options: h.options.clone(),
                stock: h.variant.stock,
                score: (f64::from(h.score) * 1000.0).round() / 1000.0,
                reasons: Reply {
                    templates: &self.templates,
                    lang: ctx.lang,
                    channel: Channel::Text,
                }
                .reasons(&h.reasons, &h.currency),
                evidence: h.reasons.clone(),
                relaxed: Vec::new(),
                group: None,
            });
        }
        state.focused = state.shown.first().cloned();
    }

    /// After a comparison, a message that picks one of the two by price ("which one
    /// is cheaper?", "add the cheaper one", "welches ist günstiger") points at that
    /// one of them, not at the cheapest of all shown; a question of which is asks
    /// about its price. Said of all shown ("which of these is the cheapest", "welches
    /// davon ist am günstigsten"), it picks among them, not among the whole shop.
    /// None otherwise.
    pub(super) fn of_the_compared(
        &self,
        state: &SessionState,
        u: &Understanding,
    ) -> Option<Understanding> {
        static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let n = u.normalised.as_str();
        let padded = format!(" {n} ");
        // "which of these is the cheapest": all shown are the pair.
        let among_shown = state.compared.len() != 2
            && state.shown.len() >= 2
            && [
                " of these",
                " of them",
                " of those",
                " among them",
                " among these",
                " davon",
                " von denen",
                " von diesen",
                " von ihnen",
            ]
            .iter()
            .any(|w| padded.contains(&format!("{w} ")));
        // "which one is cheaper?" after a list of more than two, no pair compared
        // and nothing named: the one of those shown.
        // "which is the cheapest" asks the whole shop, in price order.
        let which_of_shown = !among_shown
            && state.compared.len() != 2
            && state.shown.len() > 2
            && n.split_whitespace().count() <= 4
            && n.split_whitespace()
                .next()
                .is_some_and(|w| matches!(w, "which" | "welche" | "welcher" | "welches"));
        let among_shown = among_shown || which_of_shown;
        if (state.compared.len() != 2 && !among_shown) || u.slots.reference.is_some() {
            return None;
        }
        let re = RE.get_or_init(|| {
            regex::Regex::new(concat!(
                r"\b(?:(?P<low>cheaper|cheapest|less expensive|more affordable|günstiger[enrs]?|",
                r"günstigste[nrs]?|billiger[enrs]?|billigste[nrs]?|preiswerter[enrs]?)|",
                r"(?P<high>more expensive|most expensive|dearer|pricier|teurer[enrs]?|teuerste[nrs]?))\b",
            ))
            .expect("comparative regex compiles")
        });
        let c = re.captures(n)?;
        let superlative = c.get(0).is_some_and(|m| {
            let w = m.as_str();
            w == "cheapest"
                || w.starts_with("most ")
                || ["günstigst", "billigst", "teuerst"]
                    .iter()
                    .any(|s| w.starts_with(s))
        });
        if which_of_shown && superlative {
            return None;
        }
        let question = n.split_whitespace().next().is_some_and(|w| {
            matches!(
                w,
                "which" | "what" | "welche" | "welcher" | "welches" | "was"
            )
        });
        let pointer = [" one", " of them", " of the two", " von beiden", " davon"]
            .iter()
            .any(|w| n.contains(w))
            || matches!(u.intent, Intent::AddToCart | Intent::RemoveFromCart);
        if !question && !pointer {
            return None;
        }
        let pair: Vec<(usize, &Shown)> = state
            .shown
            .iter()
            .enumerate()
            .filter(|(_, s)| among_shown || state.compared.contains(&s.id))
            .collect();
        let chosen = if c.name("low").is_some() {
            pair.iter().min_by_key(|(_, s)| s.price)
        } else {
            pair.iter().max_by_key(|(_, s)| s.price)
        }?;
        let mut pointed = u.clone();
        pointed.slots.reference = Some(crate::nlu::rules::Reference::Ordinal(chosen.0 + 1));
        if question || matches!(u.intent, Intent::Refine | Intent::Search) {
            pointed.intent = Intent::ProductQuestion;
        }
        Some(pointed)
    }

    /// The product a message is about: a reference, else the focused product.
    pub(super) fn target(&self, state: &SessionState, u: &Understanding) -> Option<Arc<Product>> {
        // "die dritte" where two were shown points at none: not at the focused one.
        if matches!(u.slots.reference, Some(crate::nlu::rules::Reference::Ordinal(n)) if n > state.shown.len())
        {
            return None;
        }
        let id = resolve(u, &state.shown, state.focused.as_ref())
            .or_else(|| state.focused.as_ref().map(|f| f.id.clone()))?;
        self.shop.product(&id)
    }

    /// Whether a question names a product other than those shown ("how much is the
    /// greenworks 80v mower", "is the yeti tundra 45 in stock"): by a model no shown
    /// product has, or, with nothing shown, by words a title has in their order or a
    /// thing the shop does or does not carry ("how much is the greenworks 80v mower",
    /// "is the fire tv stick in stock"). Such a question is about that product,
    /// found by a search.
    pub(super) fn names_another_product(&self, state: &SessionState, u: &Understanding) -> bool {
        let (_, models) = self.shop.request_target(&u.normalised);
        if !models.is_empty() {
            return !state
                .shown
                .iter()
                .any(|s| self.shop.has_model(&s.id, &models));
        }
        state.shown.is_empty()
            && state.focused.is_none()
            && (self.names_one_product(&u.normalised)
                || self.titled_by(&asked_words(&u.normalised))
                || self.not_carried(u).is_some()
                || self.carried(u).is_some_and(|(_, c)| c == Carried::Yes))
    }

    /// Whether a message names one product of this shop: by a model ("does the
    /// galaxy a25 have 5g"), or by its maker and its kind after a definite article
    /// ("is the baseus power bank waterproof", "ist der jbl lautsprecher
    /// wasserdicht").
    pub(super) fn names_one_product(&self, normalised: &str) -> bool {
        !self.shop.request_target(normalised).1.is_empty()
            || self.product_by_maker(normalised).is_some()
    }

    /// The words that name one product by its maker and kind after a definite
    /// article, through the kind ("baseus power bank" of "does the baseus power
    /// bank have wireless charging"): what to search for, not what is asked of it.
    pub(super) fn product_by_maker(&self, normalised: &str) -> Option<String> {
        let kind = self.shop.request_target(normalised).0?;
        self.shop
            .requested_brand(normalised)
            .or_else(|| maker_named(normalised).map(str::to_string))?;
        let words: Vec<&str> = normalised.split_whitespace().collect();
        let start = words
            .iter()
            .position(|w| super::targets::DEFINITE.contains(w))?
            + 1;
        let end = words
            .iter()
            .rposition(|w| crate::catalog::kind::singular(w) == kind)
            .filter(|e| *e >= start)?;
        Some(words[start..=end].join(" "))
    }

    /// Whether a question's search found the one product it is about: one found,
    /// or a title with the asked words in their order first.
    pub(super) fn found_the_one_asked(&self, u: &Understanding, found: usize) -> bool {
        found == 1 || self.titled_by(&asked_words(&u.normalised))
    }

    /// The products found when every one is a listing of the model a question names
    /// ("is the galaxy a25 in stock" with two sellers' Galaxy A25): each is answered,
    /// since the shopper asked about the model, not about one listing of it. `None`
    /// for one product, no model named, or a product found that is another thing
    /// (a case for it, a phone of another model).
    pub(super) fn listings_asked(
        &self,
        u: &Understanding,
        found: &[ProductOut],
    ) -> Option<Vec<Arc<Product>>> {
        let (_, models) = self.shop.request_target(&u.normalised);
        if models.is_empty() || !(2..=Self::LISTINGS_ANSWERED).contains(&found.len()) {
            return None;
        }
        found
            .iter()
            .map(|p| {
                self.shop
                    .is_model_itself(&p.id, &models)
                    .then(|| self.shop.product(&p.id))
                    .flatten()
            })
            .collect()
    }

    /// The most listings of one model a question is answered for, one line each.
    const LISTINGS_ANSWERED: usize = 5;

    /// Answers a question about each of `products`, one line each.
    pub(super) fn question_each(
        &self,
        u: &Understanding,
        products: Vec<Arc<Product>>,
        out: &mut Outcome,
    ) {
        for p in products {
            out.say(Fact::Discover(Discover::Answer {
                answer: answer(u, &p),
                product: p,
            }));
        }
        out.progress = true;
    }

    /// What an accessory is asked for (`after` its fitting word) that no product
    /// here is made for, said as the shopper's words from the thing asked on: a kind
    /// of product the shop has that none of the accessories names ("a case for my
    /// sony headphones"), or a maker no product names ("a band for my fitbit").
    fn nothing_made_for(
        &self,
        u: &Understanding,
        kind: Option<&str>,
        after: &str,
    ) -> Option<String> {
        let lexicon = crate::nlu::lexicon::Lexicon::get();
        let brand = lexicon.brand_named(&crate::search::profile::plain_words(after));
        let (host, host_models) = self.shop.request_target(after);
        if let (Some(host), Some(k)) = (host.as_deref(), kind) {
            // The host with its maker ("a case for sony headphones"): one product
            // of the kind names both, not a case for headphones and another Sony.
            let brand_words = brand
                .map(crate::catalog::kind::title_words)
                .unwrap_or_default();
            let named: Vec<&str> = std::iter::once(host)
                .chain(brand_words.iter().map(String::as_str))
                .collect();
            // With a spec ("… apple watch 44mm") the search relaxes the kind
            // itself and shows what fits apart.
            let none_for_it = host_models.is_empty()
                && crate::catalog::specs::quantities(after).is_empty()
                && host != k
                && self.shop.heads(host) > 0
                && !self.shop.kind_has_words(k, &named);
            if none_for_it {
                let host_words: Vec<String> = after
                    .split_whitespace()
                    .map(crate::catalog::text::fold)
                    .filter(|w| !crate::nlu::language::is_common_word(w))
                    .collect();
                return Some(asked_model_phrase(&u.normalised, &host_words));
            }
        }
        let words: Vec<String> = crate::search::profile::plain_words(brand?)
            .split_whitespace()
            .map(String::from)
            .collect();
        words
            .iter()
            .all(|w| self.shop.word_uses(w) == 0)
            .then(|| asked_model_phrase(&u.normalised, &words))
    }

    /// Whether words name a product this shop has: a kind or model it knows,
    /// several words a title has in that order ("xbox series x"), or a line its
    /// titles number ("iphone").
    fn names_a_product(&self, words: &str) -> bool {
        let (kind, models) = self.shop.request_target(words);
        let plain = crate::search::profile::plain_words(words);
        let named: Vec<&str> = plain
            .split_whitespace()
            .filter(|w| !crate::nlu::language::is_common_word(w))
            .collect();
        kind.is_some()
            || !models.is_empty()
            || (named.len() >= 2 && self.shop.titles_have(&named.join(" ")))
            // "my iphone": a line the titles number.
            || (named.len() == 1 && self.shop.is_numbered_line(named[0]))
    }

    /// Whether two or more asked words stand in that order in some title: a
    /// product's own name ("weber original kettle", "yeti tundra").
    fn titled_by(&self, asked: &[String]) -> bool {
        asked.len() >= 2 && self.shop.titles_have(&asked.join(" "))
    }

    /// Whether the asked words with the feature word before them in the message are a
    /// title's own: "led strip" of "Govee LED Strip Lights" asks for what the shop
    /// calls so, though "led" is a feature and "strip" alone no kind.
    fn titled_with_feature(&self, normalised: &str, asked: &[String]) -> bool {
        let words: Vec<&str> = normalised.split_whitespace().collect();
        let Some(first) = asked.first() else {
            return false;
        };
        words.windows(2).any(|w| {
            w[1] == first.as_str()
                && self
                    .shop
                    .titles_have(&format!("{} {}", w[0], asked.join(" ")))
        })
    }

    pub(super) fn question(&self, state: &mut SessionState, u: &Understanding, out: &mut Outcome) {
        let Some(p) = self.target(state, u) else {
            out.say(Fact::NoFocus);
            return;
        };
        state.focused = state
            .shown
            .iter()
            .find(|s| s.id == p.id)
            .cloned()
            .or(state.focused.take());
        self.question_each(u, vec![p], out);
    }

    pub(super) fn compare(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        out: &mut Outcome,
    ) -> Result<(), TurnError> {
        // "compare the galaxy a35 and the a55": two products named, shown and
        // compared, their specs too.
        if u.slots.reference.is_none() {
            if let Some((a, b)) = self.named_pair(&u.normalised) {
                self.show(ctx, state, &[a.clone(), b.clone()], out);
                let comparison = compare(&a.product, &b.product);
                state.compared = vec![a.id.clone(), b.id.clone()];
                out.say(Fact::Discover(Discover::Compared {
                    a: a.product.clone(),
                    b: b.product.clone(),
                    comparison,
                }));
                let differences = alternatives::differences(&a.product, &b.product);
                if !differences.is_empty() {
                    out.say(Fact::Discover(Discover::Differs { differences }));
                }
                out.progress = true;
                return Ok(());
            }
        }
        // "compare the two external hard drives" with nothing shown yet: the kind
        // it names is searched, and its first two compared.
        if state.shown.is_empty() && self.shop.request_target(&u.normalised).0.is_some() {
            let rest: Vec<&str> = u
                .normalised
                .split_whitespace()
                .filter(|w| !crate::nlu::intent::is_compare_word(w))
                .collect();
            let mut as_search = crate::nlu::understand(&rest.join(" "), ctx.lang, None);
            as_search.intent = Intent::Search;
            self.search(ctx, state, &as_search, out)?;
            if state.shown.len() < 2 || out.products.iter().any(|p| !p.relaxed.is_empty()) {
                return Ok(());
            }
        }
        // "compare the qualgear and the navepoint": two shown products named by
        // their titles' words.
        let named = u
            .slots
            .reference
            .is_none()
            .then(|| self.shown_pair(state, &u.normalised))
            .flatten()
            // "compare the second and the fourth": the two places said.
            .or_else(|| match crate::nlu::rules::ordinals(&u.normalised)[..] {
                [a, b, ..] if a != b && a.max(b) <= state.shown.len() => Some((a, b)),
                _ => None,
            });
        let (first, second) = if let Some((a, b)) = named {
            (
                state.shown.get(a - 1).map(|s| s.id.clone()),
                state.shown.get(b - 1).map(|s| s.id.clone()),
            )
        } else {
            let first = resolve(u, &state.shown, None)
                .or_else(|| state.shown.first().map(|s| s.id.clone()));
            let second = state
                .shown
                .iter()
                .map(|s| s.id.clone())
                .find(|id| Some(id) != first.as_ref());
            (first, second)
        };
        let (Some(a), Some(b)) = (
            first.and_then(|id| self.shop.product(&id)),
            second.and_then(|id| self.shop.product(&id)),
        ) else {
            out.say(Fact::NoFocus);
            return Ok(());
        };
        let comparison = compare(&a, &b);
        state.compared = vec![a.id.clone(), b.id.clone()];
        let differences = alternatives::differences(&a, &b);
        out.say(Fact::Discover(Discover::Compared { a, b, comparison }));
        if !differences.is_empty() {
            out.say(Fact::Discover(Discover::Differs { differences }));
        }
        out.progress = true;
        Ok(())
    }

    /// The two products a comparison names ("compare the galaxy a35 and the a55",
    /// "rtx 4060 vs rx 7600"): each side's best listing of the models it names.
    /// None unless both sides name a model here and they are two products.
    fn named_pair(&self, normalised: &str) -> Option<(Hit, Hit)> {
        let best = |side: &str| {
            let (_, models) = self.shop.request_target(side);
            if models.is_empty() {
                return self.titled_alone(side);
            }
            let q = SearchQuery {
                text: side.to_string(),
                models,
                limit: PAGE,
                ..Default::default()
            };
            self.find(&q).ok()?.hits.into_iter().next()
        };
        sides_apart().find_iter(normalised).find_map(|m| {
            let a = best(&normalised[..m.start()])?;
            let b = best(&normalised[m.end()..])?;
            (a.id != b.id).then_some((a, b))
        })
    }

    /// The one product whose title has every word of `side` that names something
    /// (a model's initials spelt out: "the bose qc45" → "bose quietcomfort 45"), when
    /// those are two or more words and no other title has them all.
    fn titled_alone(&self, side: &str) -> Option<Hit> {
        let said: Vec<&str> = side.split_whitespace().collect();
        let spelt: Vec<String> = said
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let before = i.checked_sub(1).map(|j| said[j]);
                self.shop
                    .spelt_out_model(w, before)
                    .unwrap_or_else(|| w.to_string())
            })
            .collect();
        let spelt = spelt.join(" ");
        let words: Vec<&str> = spelt
            .split_whitespace()
            .filter(|w| {
                !crate::nlu::language::is_common_word(w)
                    && !crate::nlu::intent::is_compare_word(w)
                    && !crate::nlu::understand::is_phrasing(w)
            })
            .collect();
        if words.len() < 2 || !self.shop.a_title_has_every(&words) {
            return None;
        }
        let q = SearchQuery {
            text: words.join(" "),
            limit: PAGE,
            ..Default::default()
        };
        let titled = |h: &Hit| {
            let title = format!(
                " {} ",
                crate::catalog::kind::title_words(&h.title).join(" ")
            );
            words
                .iter()
                .all(|w| title.contains(&format!(" {} ", crate::catalog::kind::singular(w))))
        };
        let mut hits = self.find(&q).ok()?.hits.into_iter().filter(titled);
        let one = hits.next()?;
        hits.next().is_none().then_some(one)
    }

    /// The two shown products a comparison names by their titles' words ("compare
    /// the qualgear and the navepoint"): each side names exactly one of them. Their
    /// 1-based places in what was shown.
    fn shown_pair(&self, state: &SessionState, normalised: &str) -> Option<(usize, usize)> {
        use crate::catalog::kind::title_words;
        let titles: Vec<Vec<String>> = state
            .shown
            .iter()
            .map(|s| {
                self.shop
                    .product(&s.id)
                    .map(|p| {
                        title_words(&format!("{} {}", p.title, p.brand.as_deref().unwrap_or("")))
                    })
                    .unwrap_or_default()
            })
            .collect();
        let one = |side: &str| -> Option<usize> {
            let words: Vec<String> = title_words(side)
                .into_iter()
                .filter(|w| {
                    w.chars().count() >= 3
                        && !crate::nlu::intent::is_compare_word(w)
                        && !crate::nlu::understand::is_phrasing(w)
                        && !crate::nlu::language::is_common_word(w)
                })
                .collect();
            if words.is_empty() {
                return None;
            }
            let mut named = titles
                .iter()
                .enumerate()
                .filter(|(_, t)| words.iter().all(|w| t.contains(w)));
            match (named.next(), named.next()) {
                (Some((i, _)), None) => Some(i + 1),
                _ => None,
            }
        };
        sides_apart().find_iter(normalised).find_map(|m| {
            let a = one(&normalised[..m.start()])?;
            let b = one(&normalised[m.end()..])?;
            (a != b).then_some((a, b))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{
        asks_for_every, feature_stem, features_asked, most_fitting, names_nothing, states_dims,
        superlative_count, with_ideas_first,
    };

    #[test]
    fn a_title_states_dimensions_with_or_without_marks_and_spaces() {
        assert!(states_dims("HP Printer Paper, 8.5 x 11, 20 lb", "8.5x11"));
        assert!(states_dims(
            "Pioneer TS-A6990F 6\"x9\" 5-Way Coaxial Car Speakers",
            "6x9"
        ));
        assert!(states_dims("Tarp 10 x 12 ft, Waterproof", "10x12"));
        assert!(states_dims("Shelf 100 x 45 x 45 cm", "100x45x45cm"));
        assert!(!states_dims("Pioneer 6.5\" Speakers", "6x9"));
        assert!(!states_dims("Paper 11 x 17", "8.5x11"));
        assert!(!states_dims("Paper 8.5 x 14", "8.5x11"));
    }

    #[test]
    fn a_feature_s_stem_is_spelt_either_way() {
        assert_eq!(feature_stem("cancelling"), "cancel");
        assert_eq!(feature_stem("canceling"), "cancel");
        assert_eq!(feature_stem("pockets"), "pocket");
        assert_eq!(feature_stem("gps"), "gps");
        assert_eq!(feature_stem("hood"), "hood");
    }

    #[test]
    fn the_features_asked_for_are_the_words_after_with_up_to_the_next_part() {
        assert_eq!(features_asked("dash cam with gps"), ["gps"]);
        assert_eq!(
            features_asked("a jacket with a hood under 50 euros"),
            ["hood"]
        );
        assert_eq!(
            features_asked("dash cam with front and rear camera"),
            ["front"]
        );
        assert_eq!(
            features_asked("eine jacke mit kapuze für kinder"),
            ["kapuze"]
        );
        assert!(features_asked("lawn mower with a 21 inch deck").is_empty());
        assert!(features_asked("a cheap dash cam").is_empty());
    }

    #[test]
    fn a_superlative_s_count_may_be_written_or_spelt() {
        assert_eq!(superlative_count("the 3 cheapest remotes"), 3);
        assert_eq!(superlative_count("the two cheapest remotes"), 2);
        assert_eq!(superlative_count("die drei günstigsten kabel"), 3);
        assert_eq!(superlative_count("the cheapest remote"), 1);
        assert_eq!(superlative_count("compare the cheapest two projectors"), 2);
        assert_eq!(superlative_count("the cheapest 2 tb ssd"), 1);
        assert_eq!(superlative_count("the cheapest 55 inch tv"), 1);
        assert_eq!(superlative_count("hdmi cables cheapest first"), super::PAGE);
        assert_eq!(superlative_count("günstigste jacken zuerst"), super::PAGE);
        assert_eq!(
            superlative_count("the cheapest ones first please"),
            super::PAGE
        );
        assert_eq!(
            superlative_count("cables most expensive first"),
            super::PAGE
        );
    }

    #[test]
    fn a_request_for_the_cheapest_of_anything_names_nothing() {
        for text in [
            "whats the cheapest you have",
            "cheapest thing you sell",
            "your most expensive product",
            "was ist das günstigste produkt",
        ] {
            assert!(names_nothing(text), "{text}");
        }
        for text in ["cheapest hdmi cable", "the most expensive projector"] {
            assert!(!names_nothing(text), "{text}");
        }
    }

    #[test]
    fn all_asks_for_every_product_only_where_it_is_said_of_them() {
        assert!(asks_for_every(
            "zeig mir alle ssds mit mindestens 1 terabyte"
        ));
        assert!(asks_for_every("show me all hdmi cables"));
        assert!(asks_for_every("alle grafikkarten"));
        assert!(!asks_for_every("an all weather jacket"));
        assert!(
            !asks_for_every("all natural shampoo"),
            "no verb of showing before it"
        );
        assert!(!asks_for_every("return all of them"));
        assert!(!asks_for_every("ssds"));
    }

    #[test]
    fn types_lead_by_the_models_judgement_its_ideas_their_place_and_their_uses() {
        // The model's judgement decides between types far apart in the list.
        assert_eq!(
            most_fitting(&[-9.0, -2.0, -8.0, -1.0], &[false; 4], &[]),
            [3, 1, 2]
        );
        // An idea's type wins a close call; so does the nearer of two.
        assert_eq!(most_fitting(&[-2.5, -2.0], &[true, false], &[]), [0, 1]);
        assert_eq!(most_fitting(&[-2.0, -2.1], &[false, false], &[]), [0, 1]);
        // Without a judgement (the model failed) the offered order stands.
        assert_eq!(
            most_fitting(&[0.0; 5], &[true, false, false, false, false], &[]),
            [0, 1, 2]
        );
        assert!(most_fitting(&[], &[], &[]).is_empty());
        // "my ears freeze in winter": the judgement likes earbuds for the word;
        // what a beanie is for is much nearer the message.
        let fit = [6.9, 1.7, 4.7];
        let uses = [-0.02, 0.05, -0.03];
        assert_eq!(most_fitting(&fit, &[false; 3], &[])[0], 0);
        assert_eq!(most_fitting(&fit, &[false; 3], &uses)[0], 1);
    }

    #[test]
    fn ideas_take_turns_before_the_requests_own_results() {
        let ideas = vec![vec!["glove1", "glove2"], vec!["hat1"], vec![]];
        let own = vec!["scarf1", "hat1", "glove2", "coat1"];
        assert_eq!(
            with_ideas_first(ideas, own, |s| s),
            ["glove1", "hat1", "scarf1", "glove2", "coat1"],
            "the first of each idea, the request's own best, the ideas' next, the rest; \
             each product once"
        );
        let none: Vec<Vec<&str>> = Vec::new();
        assert_eq!(
            with_ideas_first(none, vec!["a", "a", "b"], |s| s),
            ["a", "b"]
        );
    }
}
