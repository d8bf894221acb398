//! Wording: a turn's [`Fact`]s rendered with the reply templates of the shopper's
//! language (`prompts/<lang>/replies.toml`, a shop's overrides first), prices and sizes
//! shaped for the channel. This is the one place a reply is worded; a new language is
//! a template file. Optional model rephrasing and speech shaping of the joined reply
//! happen in the turn ([`super::turn`]), after this.

use serde_json::{json, Value};

use super::answer::{Topic, Verdict};
use super::facts::{AfterSale, CartFact, Discover, Fact, Money, Refusal, Relaxation};
use super::refine::Change;
use super::turn::{Channel, Templates};
use super::voice;
use crate::catalog::{format_price, Product};
use crate::nlu::Language;
use crate::orders::{Cart, ReorderChange};
use crate::search::{Reason, Sort};

/// Renders facts for one shopper: their language and channel.
pub struct Reply<'a> {
    pub templates: &'a Templates,
    pub lang: Language,
    pub channel: Channel,
}

impl Reply<'_> {
    /// The reply's lines, one per fact.
    pub fn lines(&self, facts: &[Fact]) -> Vec<String> {
        facts.iter().map(|f| self.line(f)).collect()
    }

    fn t(&self, key: &str, v: Value) -> String {
        self.templates.render(self.lang, key, v)
    }

    /// A price as the channel says it: "12,99 €" written, "zwölf Euro neunundneunzig"
    /// spoken.
    pub fn price(&self, m: &Money) -> String {
        match self.channel {
            Channel::Voice => voice::speak_price(m.cents, &m.currency, self.lang),
            Channel::Text => format_price(m.cents, &m.currency, self.lang.code()),
        }
    }

    pub fn line(&self, fact: &Fact) -> String {
        match fact {
            Fact::Greeting => self.t("greeting", json!({})),
            Fact::FeedbackTaken => self.t("feedback", json!({})),
            Fact::OutOfScope => self.t("out_of_scope", json!({})),
            Fact::Handoff => self.t("handoff", json!({})),
            Fact::NothingPending => self.t("nothing_pending", json!({})),
            Fact::CheckoutDeclined => self.t("cancelled_action", json!({})),
            Fact::NoFocus => self.t("no_focus", json!({})),
            Fact::Refused(r) => {
                let reason = match r {
                    Refusal::Engine(reason) => reason.clone(),
                    Refusal::NoSuchVersion { product } => self.t(
                        "no_such_version",
                        json!({"title": title(product, self.lang), "options": options(product, self.lang)}),
                    ),
                    Refusal::OutOfStock {
                        product,
                        variant,
                        available,
                    } => self.t(
                        "out_of_stock",
                        json!({"title": title(product, self.lang), "variant": variant_label(variant.as_ref(), self.lang), "available": available}),
                    ),
                };
                self.t("refused", json!({ "reason": reason }))
            }
            Fact::Discover(d) => self.discover(d),
            Fact::Cart(c) => self.cart(c),
            Fact::AfterSale(a) => self.after_sale(a),
        }
    }

    fn discover(&self, d: &Discover) -> String {
        match d {
            Discover::AskWhat => self.t("ask_what", json!({})),
            Discover::SortUnstated { word } => self.t("sort_unstated", json!({ "word": word })),
            Discover::Found {
                total,
                changes,
                currency,
                best,
            } => self.t(
                "results",
                json!({"total": total, "best": best, "changes": self.describe(changes, currency)}),
            ),
            Discover::Group {
                target,
                total,
                changes,
                currency,
                best,
            } => self.t(
                "results_for",
                json!({"target": target, "total": total, "best": best, "changes": self.describe(changes, currency)}),
            ),
            Discover::CheaperThan {
                product,
                price,
                found,
            } => self.t(
                "cheaper_than",
                json!({"title": title(product, self.lang), "price": self.price(price), "found": found}),
            ),
            Discover::CheapestOffer { numbers, price } => self.t(
                "cheapest_offer",
                json!({
                    "numbers": numbers.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
                    "several": numbers.len() > 1,
                    "price": self.price(price),
                }),
            ),
            Discover::Differs { differences } => self.t(
                "differs",
                json!({"differences": differences.join(", ")}),
            ),
            Discover::Shown {
                n,
                product,
                price,
                size,
                color,
                in_stock,
            } => {
                let color = color.as_deref().map(|c| color_in(c, self.lang));
                let variant = [size.clone(), color]
                    .into_iter()
                    .flatten()
                    .map(|v| match self.channel {
                        Channel::Voice => voice::speak_size(&v, self.lang),
                        Channel::Text => v,
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                self.t(
                    "product_line",
                    json!({
                        "n": n,
                        "title": title(product, self.lang),
                        "brand": product.brand,
                        "price": self.price(price),
                        "variant": variant,
                        "in_stock": in_stock,
                    }),
                )
            }
            Discover::AskGift { interests, budget } => self.t(
                "ask_gift",
                json!({"interests": interests, "budget": budget}),
            ),
            Discover::NoMore => self.t("more_none", json!({})),
            Discover::NothingFound { changes } => self.t(
                "no_results",
                json!({"changes": self.describe(changes, "EUR")}),
            ),
            Discover::Relaxed(r) => {
                let (dropped, instead) = match r {
                    Relaxation::Price { max, from } => (
                        self.t("relaxed_price_dropped", json!({"price": self.price(max)})),
                        self.t("relaxed_price_instead", json!({"price": self.price(from)})),
                    ),
                    Relaxation::Versions { values, .. } => (
                        self.t(
                            "relaxed_versions_dropped",
                            json!({"values": values.join(", ")}),
                        ),
                        self.t("relaxed_versions_instead", json!({})),
                    ),
                    Relaxation::Specs { specs } => (
                        self.t(
                            "relaxed_specs_dropped",
                            json!({"specs": specs
                                .iter()
                                .map(|w| spec_said(w, self.lang))
                                .collect::<Vec<_>>()
                                .join(", ")}),
                        ),
                        self.t("relaxed_specs_instead", json!({})),
                    ),
                    Relaxation::Kind { kind, fits } => (
                        self.t(
                            "relaxed_kind_dropped",
                            json!({"kind": kind, "fits": fits.join(" ")}),
                        ),
                        self.t("relaxed_kind_instead", json!({})),
                    ),
                    Relaxation::Brand { brand } => (
                        self.t("relaxed_brand_dropped", json!({"brand": brand})),
                        self.t("relaxed_brand_instead", json!({})),
                    ),
                };
                self.t("relaxed", json!({"dropped": dropped, "instead": instead}))
            }
            Discover::NotCarried {
                asked,
                offered,
                nearest,
            } => self.t(
                "not_carried",
                json!({"asked": asked, "offered": offered.join(", "), "nearest": nearest}),
            ),
            Discover::Answer { product, answer } => self.answer(product, answer),
            Discover::Compared { a, b, comparison } => self.compared(a, b, comparison),
        }
    }

    fn answer(&self, p: &Product, a: &super::answer::Answer) -> String {
        let title = title(p, self.lang);
        let values = a.values.join(", ");
        match (&a.topic, a.verdict) {
            (Topic::Sizes, Verdict::Yes) => {
                self.t("sizes", json!({"title": title, "values": values}))
            }
            (Topic::Colors, Verdict::Yes) => {
                self.t("colors", json!({"title": title, "values": values}))
            }
            (Topic::Stock { size, color }, v) => {
                let what = size_and_color(size, color, ", ", self.lang);
                let key = if v == Verdict::Yes {
                    "stock_yes"
                } else {
                    "stock_no"
                };
                self.t(key, json!({"title": title, "what": what}))
            }
            (Topic::Price, _) => {
                let cents: i64 = values.parse().unwrap_or(p.price);
                let price = self.price(&Money::new(cents, &p.currency));
                self.t("price", json!({"title": title, "price": price}))
            }
            (Topic::Material, Verdict::Yes) => {
                self.t("material", json!({"title": title, "values": values}))
            }
            (Topic::Attribute { name }, Verdict::Yes) => {
                // A yes/no attribute's value is the verdict itself.
                let plain = values.eq_ignore_ascii_case("ja") || values.eq_ignore_ascii_case("yes");
                let values = if plain { String::new() } else { values };
                let name = crate::assist::answer::attribute_name(name, self.lang);
                self.t(
                    "answer_yes",
                    json!({"title": title, "name": name, "values": values}),
                )
            }
            (Topic::Feature { name }, Verdict::Yes) => {
                self.t("feature_yes", json!({"title": title, "name": name}))
            }
            (Topic::Feature { name }, _) => {
                self.t("feature_unknown", json!({"title": title, "name": name}))
            }
            (Topic::Attribute { name }, Verdict::No) => {
                let name = crate::assist::answer::attribute_name(name, self.lang);
                self.t("answer_no", json!({"title": title, "name": name}))
            }
            (Topic::Overview, _) => {
                let cents: i64 = a
                    .values
                    .first()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(p.price);
                let price = self.price(&Money::new(cents, &p.currency));
                let in_stock = a.values.get(1).is_some_and(|v| v == "in stock");
                let description = a.values.get(2).cloned().unwrap_or_default();
                self.t(
                    "overview",
                    json!({"title": title, "price": price, "in_stock": in_stock, "description": description}),
                )
            }
            _ => self.t("answer_unknown", json!({"title": title})),
        }
    }

    fn compared(&self, a: &Product, b: &Product, c: &super::answer::Comparison) -> String {
        let name = |id: &str| {
            if id == a.id {
                title(a, self.lang)
            } else {
                title(b, self.lang)
            }
        };
        let cheaper = match &c.cheaper {
            Some((id, diff)) => self.t(
                "compare_cheaper",
                json!({"title": name(id), "diff": self.price(&Money::new(*diff, &a.currency))}),
            ),
            None => self.t("compare_same_price", json!({})),
        };
        let rated = c
            .better_rated
            .as_ref()
            .map(|id| self.t("compare_rated", json!({"title": name(id)})))
            .unwrap_or_default();
        let shared = if c.shared.is_empty() {
            String::new()
        } else {
            let list = shared_in_words(&c.shared);
            if list.is_empty() {
                String::new()
            } else {
                self.t("compare_shared", json!({"list": list.join("; ")}))
            }
        };
        self.t(
            "compare",
            json!({"cheaper": cheaper, "rated": rated, "shared": shared}),
        )
        .trim()
        .to_string()
    }

    fn cart(&self, c: &CartFact) -> String {
        match c {
            CartFact::WhichVersion { product, options } => self.t(
                "which_version",
                json!({"title": title(product, self.lang), "options": options
                    .iter()
                    .map(|(size, color)| size_and_color(size, color, " ", self.lang))
                    .collect::<Vec<_>>()
                    .join(", ")}),
            ),
            CartFact::Added {
                product,
                variant,
                quantity,
                total,
            } => self.t(
                "added",
                json!({"title": title(product, self.lang), "variant": variant_label(variant.as_ref(), self.lang), "quantity": quantity, "total": self.price(total)}),
            ),
            CartFact::Removed { title } => self.t("removed", json!({ "title": title })),
            CartFact::Empty => self.t("cart_empty", json!({})),
            CartFact::Contents(cart) => self.t(
                "cart",
                json!({"lines": self.cart_lines(cart), "total": self.price(&Money::new(cart.total, &cart.currency))}),
            ),
            CartFact::Proposed { cart, total } => self.t(
                "checkout",
                json!({"lines": self.cart_lines(cart), "total": self.price(total)}),
            ),
            CartFact::Placed { order_id, total } => self.t(
                "confirmed",
                json!({"order_id": order_id, "total": self.price(total)}),
            ),
        }
    }

    fn cart_lines(&self, cart: &Cart) -> String {
        cart.items
            .iter()
            .map(|l| {
                let total = self.price(&Money::new(l.line_total, &cart.currency));
                format!("{}× {} ({total})", l.item.quantity, l.item.title)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn after_sale(&self, a: &AfterSale) -> String {
        match a {
            AfterSale::NeedCustomer => self.t("need_customer", json!({})),
            AfterSale::NoOrders => self.t("no_orders", json!({})),
            AfterSale::Status {
                order_id,
                created_at,
                status,
                tracking,
            } => {
                let status = self.t(&format!("status_{}", status.as_str()), json!({}));
                let date = date(*created_at, self.lang);
                self.t(
                    "order_status",
                    json!({"order_id": order_id, "date": date, "status": status, "tracking": tracking}),
                )
            }
            AfterSale::Cancelled { order_id } => {
                self.t("order_cancelled", json!({ "order_id": order_id }))
            }
            AfterSale::ReturnWindow { days } => self.t("return_info", json!({ "days": days })),
            AfterSale::Reordered { changes, total } => {
                let currency = &total.currency;
                let changes = changes
                    .iter()
                    .map(|c| match c {
                        ReorderChange::PriceChanged {
                            title, was, now, ..
                        } => format!(
                            "{title}: {} → {}",
                            self.price(&Money::new(*was, currency)),
                            self.price(&Money::new(*now, currency))
                        ),
                        ReorderChange::QuantityReduced {
                            title, available, ..
                        } => format!("{title}: {available}"),
                        ReorderChange::OutOfStock { title, .. }
                        | ReorderChange::NoLongerSold { title, .. } => format!("{title}: –"),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                self.t(
                    "reorder",
                    json!({"changes": changes, "total": self.price(total)}),
                )
            }
        }
    }

    /// Why products are shown, in the shopper's words: "bis 60,00 €", "Farbe: Rot".
    pub fn reasons(&self, reasons: &[Reason], currency: &str) -> Vec<String> {
        let money = |cents: i64| self.price(&Money::new(cents, currency));
        reasons
            .iter()
            .map(|r| match r {
                Reason::PriceMax { max, .. } => {
                    self.t("reason_price_max", json!({ "max": money(*max) }))
                }
                Reason::PriceMin { min, .. } => {
                    self.t("reason_price_min", json!({ "min": money(*min) }))
                }
                Reason::Color { value } => self.t("reason_color", json!({ "value": value })),
                Reason::Size { value } => self.t("reason_size", json!({ "value": value })),
                Reason::InStock { left } => self.t("reason_in_stock", json!({ "left": left })),
                Reason::Brand { value } => self.t("reason_brand", json!({ "value": value })),
                Reason::Attribute { name, value } => {
                    self.t("reason_attribute", json!({ "name": name, "value": value }))
                }
                Reason::Without { word } => self.t("reason_without", json!({ "word": word })),
                Reason::Spec { value, wish } => self.t(
                    "reason_spec",
                    json!({ "value": value.to_string(), "wish": wish.to_string() }),
                ),
                Reason::Measured { value } => value.to_string(),
                Reason::Fits { connectors } => self.t(
                    "reason_fits",
                    json!({ "connectors": connectors.join(", ") }),
                ),
                Reason::Model { token } => self.t("reason_model", json!({ "token": token })),
                Reason::Matched { term } => self.t("reason_matched", json!({ "term": term })),
                Reason::Semantic { text } => self.t("reason_semantic", json!({ "text": text })),
                Reason::Idea { idea } => self.t("reason_idea", json!({ "idea": idea })),
            })
            .collect()
    }

    /// What a message changed in the search, as a parenthesis: "bis 50,00 €, Größe M".
    /// Prices in `currency`, the catalogue's: a limit said in dollars applies to the
    /// shop's prices as they are.
    pub fn describe(&self, changes: &[Change], currency: &str) -> String {
        let money = |cents: i64| self.price(&Money::new(cents, currency));
        changes
            .iter()
            .filter_map(|c| match c {
                Change::PriceMax { cents } => {
                    Some(self.t("change_price_max", json!({"price": money(*cents)})))
                }
                Change::PriceMin { cents } => {
                    Some(self.t("change_price_min", json!({"price": money(*cents)})))
                }
                Change::Colors { colors } => Some(
                    colors
                        .iter()
                        .map(|c| match self.lang {
                            Language::De => crate::catalog::colors::german_name(c).to_string(),
                            Language::En => c.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Change::Sizes { sizes } => {
                    Some(self.t("change_sizes", json!({"sizes": sizes.join(", ")})))
                }
                Change::ExcludeBrands { brands } => Some(self.t(
                    "change_exclude_brands",
                    json!({"brands": brands.join(", ")}),
                )),
                Change::Exclude { words } => {
                    Some(self.t("change_exclude", json!({"words": words.join(", ")})))
                }
                Change::Sorted {
                    sort: Sort::PriceAsc,
                } => Some(self.t("change_cheapest_first", json!({}))),
                Change::Sorted {
                    sort: Sort::PriceDesc,
                } => Some(self.t("change_dearest_first", json!({}))),
                Change::SortedBySpec { word } => {
                    // "am größten" sorts "größte zuerst", not "größten zuerst".
                    let inflected = word.ends_with("sten") || word.ends_with("ßten");
                    let word = match word.strip_suffix('n') {
                        Some(stem) if inflected && self.lang == Language::De => stem.to_string(),
                        _ => word.clone(),
                    };
                    Some(self.t("change_spec_first", json!({ "word": word })))
                }
                Change::Specs { specs } => Some(
                    specs
                        .iter()
                        .map(|w| spec_said(&w.to_string(), self.lang))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A spec as a reply in `lang` says it: units are symbols in both languages ("≥ 20
/// ft", "1–2 TB"), but the words among them are German in a German reply ("= 4
/// Personen", "≥ 8 Kerne", "≥ 27 Zoll").
fn spec_said(spec: &str, lang: Language) -> String {
    if lang != Language::De {
        return spec.to_string();
    }
    match spec.rsplit_once(' ') {
        Some((value, unit)) => {
            let unit = match unit {
                "people" => "Personen",
                "cores" => "Kerne",
                "ports" => "Anschlüsse",
                "outlets" => "Steckdosen",
                "sheets" => "Blatt",
                "cups" => "Tassen",
                "channels" => "Kanäle",
                "pack" => "Stück",
                "days" => "Tage",
                "in" => "Zoll",
                other => other,
            };
            format!("{value} {unit}")
        }
        None => spec.to_string(),
    }
}

/// A version's size and colour as a reply names it ("M, Schwarz"); empty for none.
fn variant_label(variant: Option<&crate::catalog::Variant>, lang: Language) -> String {
    variant
        .map(|v| size_and_color(&v.size, &v.color, ", ", lang))
        .unwrap_or_default()
}

/// A catalogue colour value in the reply's language where it is a plain colour word
/// of the other ("Schwarz" in an English reply is "black", "Black" in a German one
/// "Schwarz"); each part of "Schwarz/Weiß" alike; any other value ("Olivgrün",
/// "Midnight") as the catalogue writes it.
fn color_in(value: &str, lang: Language) -> String {
    use crate::catalog::colors::{canonical_color, german_name};
    value
        .split('/')
        .map(|part| {
            let word = part.trim();
            let lower = word.to_lowercase();
            // "Dunkelblau" is dark blue, "Hellgrau" light grey.
            let shaded = [("dunkel", "dark"), ("hell", "light")]
                .iter()
                .find_map(|(de, en)| {
                    let rest = lower.strip_prefix(de)?;
                    let c = canonical_color(rest).filter(|c| german_name(c) == rest)?;
                    Some(format!("{en} {c}"))
                });
            if let Some(shaded) = shaded.filter(|_| lang == Language::En) {
                return shaded;
            }
            // German colour names with no canonical colour of their own.
            const NAMED: &[(&str, &str)] = &[
                ("olivgrün", "olive green"),
                ("anthrazit", "anthracite"),
                ("türkis", "turquoise"),
                ("bordeaux", "burgundy"),
                ("marine", "navy"),
                ("senfgelb", "mustard yellow"),
                ("mintgrün", "mint green"),
            ];
            if let Some((_, en)) = NAMED
                .iter()
                .find(|(de, _)| *de == lower)
                .filter(|_| lang == Language::En)
            {
                return en.to_string();
            }
            match canonical_color(&lower) {
                Some(c) if lang == Language::En && german_name(c) == lower => c.to_string(),
                Some(c) if lang == Language::De && c == lower => {
                    crate::catalog::text::capitalised(german_name(c))
                }
                _ => word.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A product's title in the shopper's language, where the catalogue has one.
pub fn title(p: &Product, lang: Language) -> String {
    match (lang, &p.title_en) {
        (Language::En, Some(t)) => t.clone(),
        _ => p.title.clone(),
    }
}

/// A version's size and colour, those it has, joined by `sep`: "M, Blau".
fn size_and_color(
    size: &Option<String>,
    color: &Option<String>,
    sep: &str,
    lang: Language,
) -> String {
    [size.clone(), color.as_deref().map(|c| color_in(c, lang))]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(sep)
}

/// The sizes and colours a product has in stock: "M Blau, L Blau".
fn options(p: &Product, lang: Language) -> String {
    p.variants
        .iter()
        .filter(|v| v.stock > 0)
        .map(|v| size_and_color(&v.size, &v.color, " ", lang))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A date from epoch milliseconds, as people write it (UTC).
fn date(ms: i64, lang: Language) -> String {
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let days = ms.div_euclid(86_400_000);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    match lang {
        Language::De => format!("{d:02}.{m:02}.{y}"),
        Language::En => format!("{y}-{m:02}-{d:02}"),
    }
}

/// What two compared products both have, as a shopper reads it: the values both
/// share of each attribute ("wireless bluetooth, power bank"), a yes-or-no
/// attribute by its name ("wasserdicht"), others by name and value ("material:
/// cotton"). Values only one of them has are left out: the specs' differences say
/// those.
fn shared_in_words(shared: &[(String, Vec<String>, Vec<String>)]) -> Vec<String> {
    use crate::catalog::text::fold;
    let mut out = Vec::new();
    for (key, va, vb) in shared {
        let mut both: Vec<&String> = va
            .iter()
            .filter(|v| vb.iter().any(|w| fold(w) == fold(v)))
            .collect();
        let mut seen = std::collections::HashSet::new();
        both.retain(|v| seen.insert(fold(v)));
        if both.is_empty() {
            continue;
        }
        let plain = |v: &str| matches!(fold(v).as_str(), "ja" | "yes" | "true");
        let no = |v: &str| matches!(fold(v).as_str(), "nein" | "no" | "false");
        let values = || {
            both.iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if both.iter().all(|v| plain(v)) {
            out.push(key.clone());
        } else if both.iter().all(|v| no(v)) {
            continue;
        } else if matches!(
            fold(key).as_str(),
            "feature" | "features" | "merkmal" | "merkmale" | "attribute" | "attributes"
        ) {
            out.push(values());
        } else {
            out.push(format!("{key}: {}", values()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written replies in German and in English.
    fn written(templates: &Templates) -> (Reply<'_>, Reply<'_>) {
        let de = Reply {
            templates,
            lang: Language::De,
            channel: Channel::Text,
        };
        let en = Reply {
            lang: Language::En,
            ..de
        };
        (de, en)
    }

    #[test]
    fn what_two_compared_share_is_said_in_words() {
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let shared = vec![
            (
                "feature".to_string(),
                v(&["wireless bluetooth", "bluetooth speaker"]),
                v(&["Bluetooth Speaker", "power bank"]),
            ),
            ("wasserdicht".to_string(), v(&["ja"]), v(&["ja"])),
            ("kapuze".to_string(), v(&["nein"]), v(&["nein"])),
            (
                "material".to_string(),
                v(&["cotton"]),
                v(&["cotton", "wool"]),
            ),
            ("color".to_string(), v(&["red"]), v(&["blue"])),
        ];
        assert_eq!(
            super::shared_in_words(&shared),
            ["bluetooth speaker", "wasserdicht", "material: cotton"]
        );
    }

    #[test]
    fn a_spec_s_words_are_german_in_a_german_reply() {
        assert_eq!(spec_said("= 4 people", Language::De), "= 4 Personen");
        assert_eq!(spec_said("≥ 8 cores", Language::De), "≥ 8 Kerne");
        assert_eq!(spec_said("≥ 27 in", Language::De), "≥ 27 Zoll");
        assert_eq!(spec_said("≥ 20 ft", Language::De), "≥ 20 ft");
        assert_eq!(spec_said("≥ 27 in", Language::En), "≥ 27 in");
    }

    #[test]
    fn a_plain_colour_word_is_said_in_the_replys_language() {
        assert_eq!(color_in("Schwarz", Language::En), "black");
        assert_eq!(color_in("Schwarz/Weiß", Language::En), "black/white");
        assert_eq!(color_in("Dunkelblau", Language::En), "dark blue");
        assert_eq!(color_in("Olivgrün", Language::En), "olive green");
        assert_eq!(color_in("Anthrazit", Language::En), "anthracite");
        assert_eq!(color_in("Anthrazit", Language::De), "Anthrazit");
        assert_eq!(color_in("Black", Language::De), "Schwarz");
        // Shades and names of the catalogue's own stay as written.
        assert_eq!(color_in("Midnight", Language::En), "Midnight");
        assert_eq!(color_in("Schwarz", Language::De), "Schwarz");
        assert_eq!(color_in("black", Language::En), "black");
    }

    #[test]
    fn an_unstated_order_quotes_a_phrase_and_a_version_question_speaks_the_language() {
        let templates = Templates::load(None).unwrap();
        let (de, en) = written(&templates);
        let unstated = |word: &str| {
            Fact::Discover(Discover::SortUnstated {
                word: word.to_string(),
            })
        };
        assert_eq!(
            de.line(&unstated("schnellste")),
            "Welches das schnellste ist, kann ich nicht sagen – keines gibt es an."
        );
        assert_eq!(
            de.line(&unstated("meiste leistung")),
            "Nach „meiste leistung“ kann ich sie nicht ordnen – keines gibt es an."
        );
        assert_eq!(
            en.line(&unstated("most wattage")),
            "I can't order them by “most wattage”: none of them states it."
        );
        let product: Product = serde_json::from_value(json!({
            "id": "P1", "title": "T-Shirt Fjord", "price": 899, "currency": "EUR"
        }))
        .unwrap();
        let product = std::sync::Arc::new(product);
        let which = Fact::Cart(CartFact::WhichVersion {
            product,
            options: vec![
                (Some("S".into()), Some("Dunkelblau".into())),
                (Some("M".into()), Some("Schwarz".into())),
            ],
        });
        assert!(
            en.line(&which)
                .ends_with("Available: S dark blue, M black."),
            "{}",
            en.line(&which)
        );
        assert!(
            de.line(&which)
                .ends_with("Verfügbar: S Dunkelblau, M Schwarz."),
            "{}",
            de.line(&which)
        );
    }

    #[test]
    fn dates_from_epoch_millis() {
        assert_eq!(date(0, Language::De), "01.01.1970");
        assert_eq!(date(1_795_046_400_000, Language::En), "2026-11-19");
    }

    #[test]
    fn every_fact_is_worded_from_a_template_in_both_languages() {
        let templates = Templates::load(None).unwrap();
        let changes = vec![
            Change::PriceMax { cents: 5000 },
            Change::Sizes {
                sizes: vec!["M".into()],
            },
            Change::Exclude {
                words: vec!["wolle".into()],
            },
        ];
        let facts = [
            Fact::Discover(Discover::Found {
                total: 2,
                changes: changes.clone(),
                currency: "EUR".into(),
                best: None,
            }),
            Fact::Discover(Discover::Relaxed(Relaxation::Price {
                max: Money::new(100, "EUR"),
                from: Money::new(499, "EUR"),
            })),
            Fact::Discover(Discover::Relaxed(Relaxation::Versions {
                option: "color",
                values: vec!["rot".into()],
            })),
        ];
        let (de, en) = written(&templates);
        assert_eq!(
            de.lines(&facts),
            [
                "Ich habe 2 passende Produkte gefunden (bis 50,00 €, Größe M, ohne wolle):",
                "Bis 1,00 € habe ich nichts – ab 4,99 € gäbe es Folgendes:",
                "In rot habe ich nichts – in anderen Ausführungen gäbe es Folgendes:",
            ]
        );
        let lines = en.lines(&facts);
        assert_eq!(
            lines[0],
            "I found 2 matching products (up to €50.00, size M, without wolle):"
        );
        assert_eq!(
            lines[1],
            "I have nothing up to €1.00 – from €4.99 there is:"
        );
        let evidence = [
            Reason::PriceMax {
                price: 5799,
                max: 6000,
            },
            Reason::Color {
                value: "Rot".into(),
            },
            Reason::Semantic {
                text: "kalte Hände beim Radfahren".into(),
            },
        ];
        assert_eq!(
            de.reasons(&evidence, "EUR"),
            [
                "bis 60,00 €",
                "Farbe: Rot",
                "passt zu: kalte Hände beim Radfahren"
            ]
        );
        assert_eq!(en.reasons(&evidence, "EUR")[0], "up to €60.00");
        // A version out of stock is said in the shopper's language, not the engine's.
        let jacket: std::sync::Arc<Product> = std::sync::Arc::new(serde_json::from_str(r#"{"id":"J","title":"Regenjacke Nordkap","title_en":"Rain jacket Nordkap","price":8995,"currency":"EUR","variants":[{"id":"J-M","size":"M","color":"Schwarz","stock":0}]}"#).unwrap());
        let gone = |available| {
            Fact::Refused(Refusal::OutOfStock {
                product: jacket.clone(),
                variant: jacket.variants.first().cloned(),
                available,
            })
        };
        assert_eq!(
            de.line(&gone(0)),
            "Das geht leider nicht: Regenjacke Nordkap (M, Schwarz) ist in dieser Ausführung nicht vorrätig"
        );
        assert_eq!(
            en.line(&gone(2)),
            "That didn't work: Rain jacket Nordkap (M, black) is down to 2 in stock"
        );
        // No fact is worded by its key alone (a missing template renders as the key).
        for line in de.lines(&facts).iter().chain(&lines) {
            assert!(
                !line.contains("relaxed_") && !line.contains("change_"),
                "{line}"
            );
        }
    }
}
