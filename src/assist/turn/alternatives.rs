//! "A cheaper alternative to X": X pointed at ("the second one"), or named ("the
//! qualgear hdmi cable", "nikon d7500"). The alternatives are products of X's kind,
//! ranked by how much of X's title they share, each cheaper than X; the reply names X
//! and its price, and says for each where its specs differ from X's.

use std::sync::OnceLock;

use regex::Regex;

use super::*;
use crate::catalog::specs::{Dim, Specs};

/// How many alternatives a reply shows.
const ALTERNATIVES: usize = 3;

/// The most title words of X the search for alternatives uses.
const TITLE_WORDS: usize = 12;

fn cheaper_than() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"\b(?:cheaper|less expensive|more affordable|günstigere[nrs]?|billigere[nrs]?|preiswertere[nrs]?|günstiger|billiger|preiswerter)",
            r"\s+(?:(?:alternatives?|options?|versions?|ones?|models?|products?|variante|varianten|alternativen?|modell|produkt)\s+)?",
            r"(?:to|than|for|of|instead of|zu|zum|zur|als|für|von)\s+(?P<x>.+)$",
        ))
        .expect("alternative regex compiles")
    })
}

/// "something like the corsair rm750x but cheaper", "wie das galaxy a35, nur
/// günstiger": X said first, "cheaper" after it.
fn like_but_cheaper() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:.*?\b(?:something|anything|one|products?|etwas|so etwas|sowas|so was)\s+)?",
            r"(?:(?:similar to|like|ähnlich wie|ähnlich|wie)\s+)(?P<x>.+?)\s+",
            r"(?:but|just|only|aber|nur|doch)\s+(?:a bit\s+|a little\s+|etwas\s+)?",
            r"(?:cheaper|less expensive|more affordable|günstiger|billiger|preiswerter)\b",
        ))
        .expect("alternative regex compiles")
    })
}

/// "gibt es das galaxy a35 auch günstiger", "do you have the jbl charge 5 any
/// cheaper": X asked for again, for less.
fn asked_cheaper() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:gibt es|hast du|haben sie|habt ihr|do you have|have you got|is there|can i get|kann ich)\s+",
            r"(?P<x>.+?)\s+(?:auch |also |any |noch |even )?",
            r"(?:cheaper|less expensive|günstiger|billiger|preiswerter)(?:\s+(?:somewhere|irgendwo|bitte|please))?$",
        ))
        .expect("alternative regex compiles")
    })
}

/// What a message wants a cheaper alternative to, as the shopper said it.
pub(super) fn cheaper_alternative_to(normalised: &str) -> Option<String> {
    let c = cheaper_than()
        .captures(normalised)
        .or_else(|| like_but_cheaper().captures(normalised))
        .or_else(|| asked_cheaper().captures(normalised))?;
    let x = c.name("x")?.as_str();
    let words: Vec<&str> = x
        .split_whitespace()
        .filter(|w| !["please", "bitte", "?"].contains(w))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Where an alternative's specs differ from the original's, as "50 ft → 25 ft".
pub(super) fn differences(original: &Product, alternative: &Product) -> Vec<String> {
    let (a, b) = (Specs::of_product(original), Specs::of_product(alternative));
    Dim::ALL
        .iter()
        .filter_map(|d| {
            let (x, y) = (a.max(*d)?, b.max(*d)?);
            ((x.value - y.value).abs() > 1e-6 * x.value.abs().max(1.0))
                .then(|| format!("{x} → {y}"))
        })
        .collect()
}

impl Assistant {
    /// Shows cheaper products of X's kind; `false` when the message names no X this
    /// catalogue has (it is then searched as it stands).
    pub(super) fn cheaper_alternatives(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        x: &str,
        out: &mut Outcome,
    ) -> Result<bool, TurnError> {
        let pointer = RulesReading::new(x, ctx.lang).understanding();
        let original: Option<(Arc<Product>, i64, String)> = if pointer.slots.reference.is_some() {
            resolve(&pointer, &state.shown, state.focused.as_ref()).and_then(|id| {
                let shown = state.shown.iter().find(|s| s.id == id);
                let p = self.shop.product(&id)?;
                let price = shown.map_or(p.price, |s| s.price);
                let currency = p.currency.clone();
                Some((p, price, currency))
            })
        } else {
            let mut named = pointer.clone();
            named.intent = Intent::Search;
            if named.product_type.is_none() {
                named.product_type =
                    crate::nlu::understand::rule_product_words(&named.normalised, &named.slots);
            }
            let mut scratch = SessionState {
                language: state.language,
                ..Default::default()
            };
            let mut o = Outcome::default();
            self.search_one(ctx, &mut scratch, &named, &mut o)?;
            o.products
                .iter()
                .find(|p| p.relaxed.is_empty())
                .and_then(|p| Some((self.shop.product(&p.id)?, p.price, p.currency.clone())))
        };
        let Some((original, price, currency)) = original else {
            return Ok(false);
        };
        let title = original.title_en.as_deref().unwrap_or(&original.title);
        // What the product is comes first; what follows a comma are its features and
        // colours ("…, 60 Min Run Time, Yellow/Nickel"), which would find other
        // things in those colours and hide the kind behind their last word.
        let first_phrase = title
            .split([',', '|', '(', '['])
            .next()
            .filter(|p| p.split_whitespace().count() >= 3)
            .unwrap_or(title);
        let words: Vec<String> = first_phrase
            .to_lowercase()
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .take(TITLE_WORDS)
            .map(str::to_string)
            .collect();
        // Its own kind, not the last kind-like word of its title ("… Graphics Card
        // Ventus 2X" is a card of the Ventus line).
        let kind = self
            .shop
            .kind_of(&original.id)
            .or_else(|| self.shop.request_target(&words.join(" ")).0);
        let q = SearchQuery {
            text: words.join(" "),
            kind,
            price_max: Some(price - 1),
            limit: 20,
            ..Default::default()
        };
        let other = |h: &Hit| h.id != original.id && h.title != original.title && h.price < price;
        let mut hits: Vec<Hit> = self.find(&q)?.hits.into_iter().filter(other).collect();
        // What is that kind first, where some are: a speaker, not a monitor with
        // "Built-in Speakers".
        if let Some(kind) = &q.kind {
            let is_first = |h: &Hit| self.shop.kind_of(&h.id).as_ref() == Some(kind);
            if hits.iter().any(is_first) {
                hits.retain(is_first);
            }
        }
        // No cheaper one of its kind: what sits on its shelf is of its sort, though
        // its title names it otherwise ("… Car GPS Navigation" beside the "… GPS
        // Navigator" on "GPS Navigators").
        if hits.is_empty() {
            if let Some(shelf) = original.category.last() {
                let q = SearchQuery {
                    kind: None,
                    limit: 50,
                    ..q
                };
                hits = self
                    .find(&q)?
                    .hits
                    .into_iter()
                    .filter(|h| other(h) && h.product.category.last() == Some(shelf))
                    .collect();
            }
        }
        // An alternative fits where the original does: a board for the same socket
        // and memory, when some cheaper one does.
        let platform: Vec<String> = Specs::of_product(&original)
            .works_with
            .iter()
            .map(|c| c.to_string())
            .collect();
        let fits = |h: &Hit| {
            crate::catalog::specs::compatible(&Specs::of_product(&h.product).works_with, &platform)
        };
        if !platform.is_empty() && hits.iter().any(fits) {
            hits.retain(fits);
        }
        hits.truncate(ALTERNATIVES);
        out.say(Fact::Discover(Discover::CheaperThan {
            product: original.clone(),
            price: Money::new(price, &currency),
            found: hits.len(),
        }));
        if hits.is_empty() {
            out.progress = true;
            return Ok(true);
        }
        state.search = ActiveSearch {
            text: words.join(" "),
            price_max: Some(price - 1),
            ..Default::default()
        };
        let first_fact = out.facts.len();
        self.show(ctx, state, &hits, out);
        // Each alternative's differences: in its reasons, and said after its line.
        let shown_facts = out.facts.split_off(first_fact);
        for f in shown_facts {
            let id = match &f {
                Fact::Discover(Discover::Shown { product, .. }) => Some(product.id.clone()),
                _ => None,
            };
            out.say(f);
            let Some(alt) = id.and_then(|id| self.shop.product(&id)) else {
                continue;
            };
            let diff = differences(&original, &alt);
            if diff.is_empty() {
                continue;
            }
            if let Some(p) = out.products.iter_mut().find(|p| p.id == alt.id) {
                p.reasons.extend(diff.iter().cloned());
            }
            out.say(Fact::Discover(Discover::Differs { differences: diff }));
        }
        out.progress = true;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_original_is_read_from_the_request() {
        let x = |t: &str| cheaper_alternative_to(&crate::nlu::rules::normalise(t));
        assert_eq!(
            x("a cheaper alternative to the qualgear hdmi cable").as_deref(),
            Some("the qualgear hdmi cable")
        );
        assert_eq!(
            x("anything cheaper than the second one?").as_deref(),
            Some("the second one")
        );
        assert_eq!(
            x("gibt es eine günstigere Alternative zur Nikon D7500").as_deref(),
            Some("nikon d7500")
        );
        assert_eq!(
            x("is there a cheaper version of the asus tuf x570").as_deref(),
            Some("the asus tuf x570")
        );
        assert_eq!(
            x("something like the corsair rm750x but cheaper").as_deref(),
            Some("the corsair rm750x")
        );
        assert_eq!(
            x("so etwas wie das galaxy a35, nur günstiger").as_deref(),
            Some("das galaxy a35")
        );
        assert_eq!(
            x("gibt es das galaxy a35 auch günstiger").as_deref(),
            Some("das galaxy a35")
        );
        assert_eq!(
            x("do you have the jbl charge 5 any cheaper").as_deref(),
            Some("the jbl charge 5")
        );
        assert_eq!(x("do you have hdmi cables"), None);
        assert_eq!(x("a case like this but in blue"), None);
        assert_eq!(x("günstiger bitte"), None);
        assert_eq!(x("cheaper please"), None);
        assert_eq!(x("hdmi cable under 20 dollars"), None);
    }
}
