//! Several steps in one message: "find the cheapest wifi extender and add it to my
//! cart", "add the anker 313 charger to the cart and check out". The search runs
//! first, its first product goes into the cart, and a checkout is proposed when
//! asked; the order is still placed only on the shopper's own next "yes".

use std::sync::OnceLock;

use regex::Regex;

use super::*;
use crate::nlu::rules::Reference;

/// The steps a message asks for beyond a search.
pub(super) struct Steps {
    /// The message's words about the product, without the cart and checkout words.
    search: String,
    checkout: bool,
    /// Whether it also asks to see what it finds ("find the cheapest … and add it"),
    /// not only to put a named product into the cart: the plan's `show` step.
    finds: bool,
}

fn cart_words() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"\b(?:and |then |und |dann )?(?:also )?(?:add|put|place|leg|lege|pack|packe|tu|tue)",
            // "put 2 in my cart", "add 2 of them to my cart": the count is the quantity's.
            r"(?: \d{1,2}(?: of)?)?(?: it| them| that| this| one| es| sie| ihn| das)?(?: all)?",
            r"(?: to| in| into| zu| in den| in meinen)?(?: my| the| den| meinen| meinem)? ",
            r"(?:shopping )?(?:cart|basket|warenkorb|korb)\b",
            r"|\b(?:and |then |und |dann )?(?:add|put) (?:it|them|that|this|one)\b",
            r"|\b(?:to|in|into|zu|in den|in meinen)(?: my| the| den| meinen| meinem)? (?:shopping )?(?:cart|basket|warenkorb|korb)\b",
        ))
        .expect("cart regex compiles")
    })
}

fn checkout_words() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"\b(?:and |then |und |dann )?(?:please |bitte )?(?:(?:go|head|proceed|take me) to (?:the )?check ?out",
            r"|check ?out|proceed to payment|place the order|place my order|order it|buy it",
            r"|(?:geh |gehe |gehen wir )?zur kasse|bezahlen|bestellen)\b",
        ))
        .expect("checkout regex compiles")
    })
}

/// A message that opens by buying what it names: "buy the cheapest usb c cable",
/// "order the sandisk 64gb memory card", "can i purchase 2 hdmi cables", "kauf mir
/// die günstigste powerbank", "ich möchte die jbl charge 5 bestellen". Returns where
/// the product's words start (they run to the end). "I want to buy a speaker" (a
/// wish, not a purchase), "order status" and "order number 123" are none.
fn buys(n: &str) -> Option<usize> {
    static EN: OnceLock<Regex> = OnceLock::new();
    static DE: OnceLock<Regex> = OnceLock::new();
    let en = EN.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:(?:please|ok|okay|now|so|then|and) )*",
            r"(?P<wish>(?:id like to|i would like to|i want to|i wanna|let me|can i|could i|ill|i will) )?",
            r"(?:please )?(?:buy|order|purchase)(?: me)? ",
            r"(?P<what>the|this|that|these|those|a|an|one|some|\d+)\b",
        ))
        .expect("buying regex compiles")
    });
    let de = DE.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:(?:bitte|ok|okay|dann|und) )*(?:kauf|kaufe|bestell|bestelle)(?: mir| bitte)* ",
            r"(?:die|den|das|dem|eine|einen|ein|\d+)\b",
            r"|^ich (?:möchte|will|würde gern|hätte gern) (?:die|den|das|\d+) .+ (?:kaufen|bestellen)(?: bitte)?$",
        ))
        .expect("buying regex compiles")
    });
    if let Some(c) = en.captures(n) {
        let indefinite = matches!(&c["what"], "a" | "an" | "some" | "one");
        if c.name("wish").is_some() && indefinite {
            return None;
        }
        let what = c.name("what")?;
        // The article stays with the words ("the cheapest …"): it is phrasing.
        return Some(what.start());
    }
    let m = de.find(n)?;
    let start = n[..m.end()]
        .rfind(' ')
        .filter(|_| !n.starts_with("ich "))
        .map_or(0, |i| i + 1);
    Some(start)
}

/// The steps of a message that asks to put something in the cart (or to check out)
/// without pointing at a shown product, but naming one to look for.
pub(super) fn of(u: &Understanding) -> Option<Steps> {
    let n = u.normalised.as_str();
    // "die günstigste kaffeemaschine und dann zur kasse": a search that ends in
    // going to the checkout asks for what it finds to be bought.
    let then_checkout = u.intent == Intent::Search
        && checkout_words().find_iter(n).last().is_some_and(|m| {
            let joined = ["and ", "then ", "und ", "dann "]
                .iter()
                .any(|j| m.as_str().starts_with(j));
            let rest = n[m.end()..].split_whitespace().collect::<Vec<_>>();
            joined && rest.iter().all(|w| ["please", "bitte"].contains(w))
        });
    let buying = buys(n).filter(|_| matches!(u.intent, Intent::Search | Intent::AddToCart));
    if !(matches!(u.intent, Intent::AddToCart | Intent::Checkout)
        || then_checkout
        || buying.is_some())
        || u.slots.reference.is_some()
    {
        return None;
    }
    let adds = cart_words().is_match(n)
        || u.intent == Intent::AddToCart
        || then_checkout
        || buying.is_some();
    let checkout = checkout_words().is_match(n) || buying.is_some();
    if !adds {
        return None;
    }
    let n = buying.map_or(n, |start| &n[start..]);
    let rest = checkout_words().replace_all(n, " ");
    let rest = cart_words().replace_all(&rest, " ");
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    // "i'll take the galaxy a35 …", "ich nehme das …": the taking goes.
    let taking: &[&[&str]] = &[
        &["ill", "take"],
        &["i", "will", "take"],
        &["ill", "have"],
        &["i", "take"],
        &["give", "me"],
        &["ich", "nehme"],
        &["ich", "nehm"],
        &["gib", "mir"],
    ];
    if let Some(t) = taking.iter().find(|t| words.starts_with(t)) {
        words.drain(..t.len());
    }
    // "add the anker charger": the verb that began the message goes too.
    while words
        .first()
        .is_some_and(|w| ["add", "put", "please", "bitte", "leg", "pack", "and", "und"].contains(w))
    {
        words.remove(0);
    }
    while words
        .last()
        .is_some_and(|w| ["and", "then", "und", "dann", "please", "bitte", "to", "in"].contains(w))
    {
        words.pop();
    }
    let search = words.join(" ");
    let pointing = ["it", "them", "that", "this", "one", "es", "ihn", "das"];
    // "add the cheapest one to the cart" points at what was shown; it names nothing
    // to look for.
    let names_nothing = words.iter().all(|w| {
        pointing.contains(w)
            || ["the", "a", "an", "der", "die", "den", "ones"].contains(w)
            || crate::nlu::rules::is_superlative_word(w)
    });
    if words.len() < 2 || names_nothing {
        return None;
    }
    let finds = n.split_whitespace().any(|w| {
        matches!(
            w,
            "find"
                | "show"
                | "search"
                | "look"
                | "get"
                | "finde"
                | "zeig"
                | "zeige"
                | "such"
                | "suche"
                | "what"
                | "whats"
                | "was"
                | "welche"
                | "welcher"
                | "welches"
        )
    });
    Some(Steps {
        search,
        checkout,
        finds,
    })
}

impl Assistant {
    /// A message the rules took for an order number alone that names a model of
    /// this catalogue instead ("acer p6500"): read again as a search.
    pub(super) fn model_not_order(&self, u: &Understanding) -> Option<Understanding> {
        let id = u.slots.order_id.as_deref()?;
        let about_orders = [
            "order",
            "bestellung",
            "where",
            "wo",
            "status",
            "tracking",
            "paket",
            "package",
            "parcel",
            "delivery",
            "lieferung",
            "sendung",
            "arrived",
            "shipped",
        ]
        .iter()
        .any(|w| u.normalised.split_whitespace().any(|x| x == *w));
        if u.intent != Intent::OrderStatus || about_orders {
            return None;
        }
        let (_, models) = self.shop.request_target(&u.normalised);
        // A model the shop lacks, said beside words its titles use ("acer p7500"):
        // a product asked for, which the search says it does not carry.
        let unknown_model = || {
            self.shop
                .unknown_models(&u.normalised)
                .iter()
                .any(|m| m.eq_ignore_ascii_case(id))
                && u.normalised.split_whitespace().any(|w| {
                    !w.eq_ignore_ascii_case(id)
                        && !crate::nlu::language::is_common_word(w)
                        && self.shop.word_uses(&crate::catalog::text::fold(w)) > 0
                })
        };
        if !models.iter().any(|m| m.eq_ignore_ascii_case(id)) && !unknown_model() {
            return None;
        }
        let mut search = u.clone();
        search.intent = Intent::Search;
        search.slots.order_id = None;
        search.product_type =
            crate::nlu::understand::rule_product_words(&search.normalised, &search.slots)
                .or_else(|| Some(u.normalised.clone()));
        Some(search)
    }

    /// A refinement with nothing before it to refine that names a kind or a model
    /// this shop has ("binoculars bigger than 10x" opening a conversation) is a new
    /// search for it.
    pub(super) fn refine_of_nothing(
        &self,
        state: &SessionState,
        u: &Understanding,
    ) -> Option<Understanding> {
        if u.intent != Intent::Refine || !state.search.text.is_empty() || !state.shown.is_empty() {
            return None;
        }
        let (kind, models) = self.shop.request_target(&u.normalised);
        if kind.is_none() && models.is_empty() {
            return None;
        }
        let mut search = u.clone();
        search.intent = Intent::Search;
        if search.product_type.is_none() {
            search.product_type =
                crate::nlu::understand::rule_product_words(&search.normalised, &search.slots);
        }
        Some(search)
    }

    /// Whether words name a product by the words of its title, with no kind or model
    /// number: a brand of this shop and at least one more word ("the sandisk 128gb
    /// extreme pro", "the samsung evo select"), or two words or more ("die xbox series s",
    /// whose "s" is no size here), all in one title.
    fn names_by_title(&self, search: &str) -> bool {
        let plain = crate::nlu::rules::specs::without_specs(search);
        let words: Vec<&str> = plain
            .split_whitespace()
            .filter(|w| !crate::nlu::language::is_common_word(w))
            .collect();
        // "put the nutribullet in my cart": a maker of one product names it.
        let by_brand = self.shop.requested_brand(search).is_some_and(|brand| {
            self.shop.brand_products(&brand) == 1
                || words
                    .iter()
                    .any(|w| !brand.split_whitespace().any(|b| b == *w))
        });
        let named = words.iter().filter(|w| w.chars().count() >= 2).count() >= 2;
        (by_brand || named) && self.shop.a_title_has_every(&words)
    }

    /// Runs a message's steps: the search, the first product into the cart, and the
    /// checkout proposal. `false` when the search names nothing this shop has (the
    /// message is then handled as a plain cart request).
    pub(super) fn run_steps(
        &self,
        ctx: &Ctx<'_>,
        state: &mut SessionState,
        u: &Understanding,
        steps: Steps,
        out: &mut Outcome,
    ) -> Result<bool, TurnError> {
        let (kind, models) = self.shop.request_target(&steps.search);
        let superlative = crate::nlu::rules::says_superlative(&steps.search);
        let mut search = crate::nlu::understand(&steps.search, ctx.lang, None);
        search.intent = Intent::Search;
        // "… and put two in my cart": the count said with the cart words.
        search.slots.quantity = search.slots.quantity.or(u.slots.quantity);
        // "put the nutribullet in my cart": the maker's products only; of a maker
        // of several ("put the dewalt in my cart"), shown to choose from.
        let maker = self.maker_alone(&steps.search);
        let several = maker
            .as_ref()
            .is_some_and(|b| self.shop.brand_products(b) > 1);
        // "the philips hue bridge and the hue lightstrip plus 2m": several products,
        // each named by its title's words.
        if kind.is_none()
            && models.is_empty()
            && !superlative
            && !several
            && !self.names_by_title(&steps.search)
            && self.targets(ctx.lang, &search).is_none()
        {
            return Ok(false);
        }
        if search.product_type.is_none() {
            search.product_type =
                crate::nlu::understand::rule_product_words(&search.normalised, &search.slots);
        }
        if search.product_type.is_none() {
            return Ok(false);
        }
        if search.brand.is_none() {
            search.brand = maker;
        }
        self.search(ctx, state, &search, out)?;
        if several {
            out.say(Fact::NoFocus);
            state.choosing_to_add = state.shown.len() > 1;
            return Ok(true);
        }
        // The first product of each target that fits (one target: the first shown);
        // a target whose constraints were relaxed puts nothing into the cart.
        let firsts: Vec<usize> = out
            .products
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                p.relaxed.is_empty() && (*i == 0 || out.products[i - 1].group != p.group)
            })
            .map(|(i, _)| i + 1)
            .collect();
        if state.shown.is_empty() || firsts.is_empty() {
            // Nothing that fits: nothing goes into the cart.
            return Ok(true);
        }
        let shown = state.shown.clone();
        for n in firsts {
            let mut add = u.clone();
            add.intent = Intent::AddToCart;
            add.slots.reference = Some(Reference::Ordinal(n));
            state.shown = shown.clone();
            self.add(ctx, state, &add, out)?;
            if state.pending_add.is_some() {
                break;
            }
        }
        if let Some(plan) = out.plan.as_mut() {
            if !steps.finds {
                plan.steps.clear();
            }
            plan.steps
                .push(crate::nlu::understand::plan::Step::AddToCart);
            if steps.checkout {
                plan.steps
                    .push(crate::nlu::understand::plan::Step::Checkout);
            }
        }
        if steps.checkout && state.pending_add.is_none() {
            self.checkout(ctx, state, out)?;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(text: &str) -> Option<(String, bool)> {
        steps_in(text, Language::En)
    }

    fn steps_in(text: &str, lang: Language) -> Option<(String, bool)> {
        let u = crate::nlu::understand(text, lang, None);
        of(&u).map(|s| (s.search, s.checkout))
    }

    #[test]
    fn the_search_is_split_from_the_cart_and_checkout_words() {
        assert_eq!(
            steps("find the cheapest wifi extender and add it to my cart"),
            Some(("find the cheapest wifi extender".into(), false))
        );
        assert_eq!(
            steps("add the anker 313 wireless charger to the cart and check out"),
            Some(("the anker 313 wireless charger".into(), true))
        );
        assert_eq!(
            steps("i'll take the galaxy a35 and a case for it, then checkout"),
            Some(("the galaxy a35 and a case for it".into(), true))
        );
        assert_eq!(
            steps("add the sandisk 128gb extreme pro to my cart and go to checkout"),
            Some(("the sandisk 128gb extreme pro".into(), true))
        );
        assert_eq!(
            steps_in(
                "leg die rtx 4070 in den warenkorb und geh zur kasse",
                Language::De
            ),
            Some(("die rtx 4070".into(), true))
        );
        assert_eq!(steps("add the second one to my cart"), None);
        assert_eq!(steps("add the cheapest one to the cart"), None);
        assert_eq!(steps("put it in my cart"), None);
        // A search that ends in going to the checkout buys what it finds; one that
        // only names ordering, or checks a product out, stays a search.
        assert_eq!(
            steps("the cheapest coffee machine and then check out"),
            Some(("the cheapest coffee machine".into(), true))
        );
        let de = |text: &str| steps_in(text, Language::De);
        assert_eq!(
            de("die günstigste kaffeemaschine und dann bitte zur kasse"),
            Some(("die günstigste kaffeemaschine".into(), true))
        );
        assert_eq!(de("ich möchte kaffee bestellen"), None);
        assert_eq!(steps("check out the cheapest coffee machine"), None);
        // Buying what a message names puts it in the cart and proposes the order;
        // a wish for one of a kind is a search.
        assert_eq!(
            steps("buy the cheapest usb c cable"),
            Some(("the cheapest usb c cable".into(), true))
        );
        assert_eq!(
            steps("can i order 2 hdmi cables of 25 feet"),
            Some(("2 hdmi cables of 25 feet".into(), true))
        );
        assert_eq!(steps("i want to buy a bluetooth speaker"), None);
        assert_eq!(steps("where is my order"), None);
        assert_eq!(steps("order status 12345"), None);
        assert_eq!(
            de("kauf mir die günstigste powerbank"),
            Some(("die günstigste powerbank".into(), true))
        );
        assert_eq!(
            de("ich möchte die jbl charge 5 bestellen"),
            Some(("ich möchte die jbl charge 5".into(), true))
        );
    }
}
