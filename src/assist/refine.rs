//! The active search of a conversation and how a new message changes it.
//!
//! A message that names products ("ich suche Laufschuhe") starts a fresh search; a
//! message that only constrains ("in schwarz", "unter 50 Euro", "günstiger", "eine
//! Nummer größer", "andere Marke", "ohne Leder", "zeig mehr") changes the active one.
//! The rules, each said back to the shopper as a [`Change`]:
//!
//! - colours, sizes and price limits replace the ones set before;
//! - "günstiger" / "cheaper": at most one cent below the cheapest product shown;
//!   "teurer" / "more expensive": at least one cent above the dearest shown;
//! - "eine Nummer größer/kleiner", "size up/down": the next size in S–XXL order or
//!   the next whole number (shoe and clothing sizes), from the size set before or, if
//!   none, the focused product's variant size;
//! - "andere Marke" / "another brand": the brands shown are excluded;
//! - "ohne X" / "without X": X is excluded;
//! - "zeig mehr" / "show more": the next page.

use serde::{Deserialize, Serialize};

use crate::nlu::rules::specs::{spec_sort, spec_wishes, without_specs, SpecSort, SpecWish};
use crate::nlu::{Intent, Understanding};
use crate::search::SearchQuery;

/// What the shopper was shown, in order: enough to resolve "das zweite", "den von
/// Nike", "the cheaper one" and to apply "günstiger".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shown {
    pub id: String,
    pub price: i64,
    pub brand: Option<String>,
    pub size: Option<String>,
    /// The variant it was shown in (sessions saved before this field have none).
    #[serde(default)]
    pub variant_id: Option<String>,
}

/// The search a conversation has going.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActiveSearch {
    pub text: String,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    pub colors: Vec<String>,
    pub exclude_colors: Vec<String>,
    pub sizes: Vec<String>,
    pub brand: Option<String>,
    pub exclude: Vec<String>,
    pub page: usize,
    /// What the shopper said since this search began (normalised), to choose the
    /// variant and option values they named; never a filter.
    #[serde(default)]
    pub wishes: String,
    /// Relevance, or by price when the shopper asked for the cheapest or the dearest.
    #[serde(default)]
    pub sort: crate::search::Sort,
    /// By a spec, when the shopper asked for the largest, fastest, longest …
    #[serde(default)]
    pub spec_sort: Option<SpecSort>,
    /// How many products a superlative's first page showed (the best and those tied
    /// with it): "more" goes on after them.
    #[serde(default)]
    pub best_shown: usize,
    /// Specs with units the products must meet.
    #[serde(default)]
    pub specs: Vec<SpecWish>,
    /// The kind of product asked for, when the catalogue has it (set by the turn,
    /// which knows the catalogue).
    #[serde(default)]
    pub kind: Option<String>,
    /// Model tokens asked for that the catalogue has.
    #[serde(default)]
    pub models: Vec<String>,
    /// The shopper asked for every product of the kind or spec ("alle ssds mit
    /// mindestens einem terabyte", "show me all hdmi cables"): not one page of them.
    #[serde(default)]
    pub every: bool,
    /// Connectors, sockets and memory generations asked for ("usb c charger").
    #[serde(default)]
    pub connectors: Vec<String>,
    /// The two plugs a cable or adapter asked for joins, sorted ("usb c to usb c
    /// cable": USB-C and USB-C); empty where none were asked.
    #[serde(default)]
    pub plugs: Vec<String>,
    /// The connectors of the product the shopper pointed at, that the products
    /// must fit ("ram for the first one").
    #[serde(default)]
    pub compatible: Vec<String>,
    /// Devices by line and number an accessory must be made for ("iphone 13"; set
    /// by the turn, which knows the catalogue).
    #[serde(default)]
    pub lines: Vec<crate::search::profile::LineWish>,
}

/// One change a message made, to say back ("unter 59 €", "in Größe M").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    NewSearch {
        text: String,
    },
    PriceMax {
        cents: i64,
    },
    PriceMin {
        cents: i64,
    },
    Colors {
        colors: Vec<String>,
    },
    ExcludeColors {
        colors: Vec<String>,
    },
    Sizes {
        sizes: Vec<String>,
    },
    Brand {
        brand: String,
    },
    ExcludeBrands {
        brands: Vec<String>,
    },
    Exclude {
        words: Vec<String>,
    },
    NextPage {
        page: usize,
    },
    /// Cheapest first ("the cheapest …") or dearest first ("the most expensive …").
    Sorted {
        sort: crate::search::Sort,
    },
    /// By a spec: "the largest", "the fastest".
    SortedBySpec {
        word: String,
    },
    /// Specs with units ("> 20 ft").
    Specs {
        specs: Vec<SpecWish>,
    },
}

/// Results per page.
pub const PAGE: usize = 5;

const CHEAPER: &[&str] = &[
    "günstiger",
    "billiger",
    "preiswerter",
    "cheaper",
    "less expensive",
    "lower price",
];
const DEARER: &[&str] = &["teurer", "hochwertiger", "more expensive", "higher quality"];
const BIGGER: &[&str] = &[
    "nummer größer",
    "größer",
    "size up",
    "bigger",
    "larger",
    "one size up",
];
const SMALLER: &[&str] = &[
    "nummer kleiner",
    "kleiner",
    "size down",
    "smaller",
    "one size down",
];
const OTHER_BRAND: &[&str] = &[
    "andere marke",
    "anderen marke",
    "anderer marke",
    "another brand",
    "different brand",
    "other brand",
    "other brands",
];
const MORE: &[&str] = &[
    "zeig mehr",
    "zeige mehr",
    "mehr davon",
    "weitere",
    "noch mehr",
    "show more",
    "show me more",
    "more options",
    "more results",
    "next page",
    "nächste seite",
];

fn says(normalised: &str, phrases: &[&str]) -> bool {
    let padded = format!(" {normalised} ");
    phrases.iter().any(|p| padded.contains(&format!(" {p} ")))
}

const LETTER_SIZES: &[&str] = &["XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL", "5XL"];

/// The next size up (`step` = 1) or down (-1): letters in order, numbers by one.
pub fn step_size(size: &str, step: i32) -> Option<String> {
    let upper = size.to_uppercase();
    if let Some(i) = LETTER_SIZES.iter().position(|s| *s == upper) {
        let j = i as i32 + step;
        return LETTER_SIZES
            .get(usize::try_from(j).ok()?)
            .map(|s| s.to_string());
    }
    let n: f64 = size.replace(',', ".").parse().ok()?;
    let m = n + f64::from(step);
    (m > 0.0).then(|| {
        if m.fract() == 0.0 {
            format!("{}", m as i64)
        } else {
            format!("{m}")
        }
    })
}

impl ActiveSearch {
    /// Applies a message to the active search. `shown` is what the shopper saw last,
    /// `focused` the product they are looking at (for its size). Returns the changes.
    pub fn apply(
        &mut self,
        u: &Understanding,
        shown: &[Shown],
        focused: Option<&Shown>,
    ) -> Vec<Change> {
        let mut changes = Vec::new();
        let n = u.normalised.as_str();
        // A new request for products starts afresh.
        if u.intent == Intent::Search {
            if let Some(text) = u
                .product_type
                .as_deref()
                .map(|t| product_words(t, n))
                .filter(|t| !t.is_empty())
            {
                let mut fresh = ActiveSearch {
                    text: text.clone(),
                    ..Default::default()
                };
                fresh.brand = u.brand.clone();
                fresh.compatible = u.compatible.clone();
                *self = fresh;
                self.wishes.clear();
                changes.push(Change::NewSearch { text });
            }
        }
        let sort = price_order(n);
        if let Some(sort) = sort.filter(|s| *s != self.sort) {
            self.sort = sort;
            self.spec_sort = None;
            changes.push(Change::Sorted { sort });
        }
        if let Some(by) = spec_sort(n).filter(|s| Some(s) != self.spec_sort.as_ref()) {
            if sort.is_none() {
                self.sort = crate::search::Sort::Relevance;
                changes.push(Change::SortedBySpec {
                    word: by.word.clone(),
                });
                self.spec_sort = Some(by);
            }
        }
        for c in crate::catalog::specs::connectors(n) {
            if !self.connectors.iter().any(|x| x == c) {
                self.connectors.push(c.to_string());
            }
        }
        if let Some(pair) = crate::catalog::specs::plug_pair(n) {
            self.plugs = pair.iter().map(|p| p.to_string()).collect();
        }
        let wishes = spec_wishes(n);
        if !wishes.is_empty() {
            self.specs
                .retain(|old| !wishes.iter().any(|w| w.dim == old.dim));
            self.specs.extend(wishes.iter().cloned());
            changes.push(Change::Specs { specs: wishes });
        }
        if let Some(p) = u.slots.price {
            if p.max.is_some() && p.max != self.price_max {
                self.price_max = p.max;
                changes.push(Change::PriceMax {
                    cents: p.max.unwrap_or_default(),
                });
            }
            if p.min.is_some() && p.min != self.price_min {
                self.price_min = p.min;
                changes.push(Change::PriceMin {
                    cents: p.min.unwrap_or_default(),
                });
            }
        } else if says(n, CHEAPER) {
            if let Some(cheapest) = shown.iter().map(|s| s.price).min() {
                self.price_max = Some(cheapest - 1);
                changes.push(Change::PriceMax {
                    cents: cheapest - 1,
                });
            }
        } else if says(n, DEARER) {
            if let Some(dearest) = shown.iter().map(|s| s.price).max() {
                self.price_min = Some(dearest + 1);
                changes.push(Change::PriceMin { cents: dearest + 1 });
            }
        }
        if !u.slots.colors.is_empty() && u.slots.colors != self.colors {
            self.colors = u.slots.colors.clone();
            self.exclude_colors.retain(|c| !self.colors.contains(c));
            changes.push(Change::Colors {
                colors: self.colors.clone(),
            });
        }
        if !u.slots.not_colors.is_empty() {
            for c in &u.slots.not_colors {
                if !self.exclude_colors.contains(c) {
                    self.exclude_colors.push(c.clone());
                }
            }
            self.colors.retain(|c| !u.slots.not_colors.contains(c));
            changes.push(Change::ExcludeColors {
                colors: self.exclude_colors.clone(),
            });
        }
        if !u.slots.sizes.is_empty() && u.slots.sizes != self.sizes {
            self.sizes = u.slots.sizes.clone();
            changes.push(Change::Sizes {
                sizes: self.sizes.clone(),
            });
        } else if u.slots.sizes.is_empty() {
            let step = if says(n, BIGGER) {
                1
            } else if says(n, SMALLER) {
                -1
            } else {
                0
            };
            if step != 0 {
                let current = self
                    .sizes
                    .first()
                    .cloned()
                    .or_else(|| focused.and_then(|f| f.size.clone()));
                if let Some(next) = current.and_then(|s| step_size(&s, step)) {
                    self.sizes = vec![next];
                    changes.push(Change::Sizes {
                        sizes: self.sizes.clone(),
                    });
                }
            }
        }
        if let Some(b) = u.brand.clone().filter(|b| Some(b) != self.brand.as_ref()) {
            if u.intent != Intent::Search {
                self.brand = Some(b.clone());
                changes.push(Change::Brand { brand: b });
            }
        }
        if says(n, OTHER_BRAND) {
            let mut brands: Vec<String> = shown.iter().filter_map(|s| s.brand.clone()).collect();
            brands.sort();
            brands.dedup();
            if !brands.is_empty() {
                self.brand = None;
                for b in &brands {
                    if !self.exclude.contains(b) {
                        self.exclude.push(b.clone());
                    }
                }
                changes.push(Change::ExcludeBrands { brands });
            }
        }
        if !u.slots.exclude.is_empty() {
            let new: Vec<String> = u
                .slots
                .exclude
                .iter()
                .filter(|w| !self.exclude.contains(w))
                .cloned()
                .collect();
            if !new.is_empty() {
                self.exclude.extend(new.iter().cloned());
                changes.push(Change::Exclude { words: new });
            }
        }
        let constrained = changes
            .iter()
            .any(|c| !matches!(c, Change::NextPage { .. }));
        if constrained {
            if !self.wishes.is_empty() {
                self.wishes.push(' ');
            }
            self.wishes.push_str(n);
        }
        if (says(n, MORE) || crate::nlu::intent::is_more(n)) && !constrained {
            self.page += 1;
            changes.push(Change::NextPage { page: self.page });
        } else if constrained {
            self.page = 0;
        }
        changes
    }

    /// This search as a target of the turn's plan.
    pub fn plan_target(&self, quantity: Option<u32>) -> crate::nlu::understand::plan::Target {
        use crate::nlu::understand::plan::{Order, Target};
        let order = match (self.sort, &self.spec_sort) {
            (crate::search::Sort::PriceAsc, _) => Some(Order::Price { desc: false }),
            (crate::search::Sort::PriceDesc, _) => Some(Order::Price { desc: true }),
            (_, Some(by)) => Some(Order::Spec {
                word: by.word.clone(),
                desc: by.desc,
            }),
            _ => None,
        };
        Target {
            words: self.text.clone(),
            kind: self.kind.clone(),
            models: self.models.clone(),
            brand: self.brand.clone(),
            specs: self.specs.clone(),
            connectors: self.connectors.clone(),
            compatible_with: self.compatible.clone(),
            order,
            price_min: self.price_min,
            price_max: self.price_max,
            quantity,
        }
    }

    /// The search query for the current page.
    pub fn query(&self) -> SearchQuery {
        SearchQuery {
            text: self.text.clone(),
            exclude: self.exclude.clone(),
            price_min: self.price_min,
            price_max: self.price_max,
            colors: self.colors.clone(),
            exclude_colors: self.exclude_colors.clone(),
            sizes: self.sizes.clone(),
            brand: self.brand.clone(),
            kind: self.kind.clone(),
            models: self.models.clone(),
            specs: self.specs.clone(),
            connectors: self.connectors.clone(),
            plugs: self.plugs.clone(),
            compatible: self.compatible.clone(),
            lines: self.lines.clone(),
            prefer: self.wishes.clone(),
            spec_sort: self.spec_sort.clone(),
            limit: PAGE,
            offset: self.page * PAGE,
            ..Default::default()
        }
    }
}

/// The product words of a request without the words of its spec phrases ("hdmi
/// cable longer 20 feet" → "hdmi cable"): those are constraints, not words to match.
fn product_words(text: &str, normalised: &str) -> String {
    let kept = without_specs(normalised);
    let kept: Vec<&str> = kept.split_whitespace().collect();
    let said: Vec<&str> = normalised.split_whitespace().collect();
    let gone: Vec<&str> = said.iter().filter(|w| !kept.contains(w)).copied().collect();
    text.split_whitespace()
        .filter(|w| !gone.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Which shown product a message points at: "das zweite", "den letzten", "den von
/// Nike", "the cheaper one", "this one" (the focused product).
pub fn resolve(u: &Understanding, shown: &[Shown], focused: Option<&Shown>) -> Option<String> {
    use crate::nlu::rules::Reference;
    match u.slots.reference {
        Some(Reference::Ordinal(n)) => return shown.get(n.checked_sub(1)?).map(|s| s.id.clone()),
        Some(Reference::Last) => return shown.last().map(|s| s.id.clone()),
        Some(Reference::This) => {
            return focused.or(shown.first()).map(|s| s.id.clone());
        }
        None => {}
    }
    let n = format!(" {} ", u.normalised);
    if let Some(s) = shown.iter().find(|s| {
        s.brand
            .as_ref()
            .is_some_and(|b| n.contains(&format!(" {} ", b.to_lowercase())))
    }) {
        return Some(s.id.clone());
    }
    let cheaper = [
        " günstigere ",
        " günstigeren ",
        " billigere ",
        " billigeren ",
        " cheaper one ",
        " cheapest ",
    ];
    if cheaper.iter().any(|p| n.contains(p)) {
        return shown.iter().min_by_key(|s| s.price).map(|s| s.id.clone());
    }
    let dearer = [
        " teurere ",
        " teureren ",
        " more expensive one ",
        " most expensive ",
    ];
    if dearer.iter().any(|p| n.contains(p)) {
        return shown.iter().max_by_key(|s| s.price).map(|s| s.id.clone());
    }
    None
}

/// The price order a message asks for: "the cheapest", "am günstigsten" ascending,
/// "the most expensive" descending.
pub(crate) fn price_order(normalised: &str) -> Option<crate::search::Sort> {
    if says(normalised, crate::nlu::rules::CHEAPEST) {
        Some(crate::search::Sort::PriceAsc)
    } else if says(normalised, crate::nlu::rules::DEAREST) {
        Some(crate::search::Sort::PriceDesc)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlu::{understand, Language};

    fn u(t: &str) -> Understanding {
        understand(t, Language::De, None)
    }

    fn shown() -> Vec<Shown> {
        vec![
            Shown {
                id: "A".into(),
                price: 7999,
                brand: Some("Nike".into()),
                size: Some("42".into()),
                variant_id: None,
            },
            Shown {
                id: "B".into(),
                price: 5900,
                brand: Some("Adidas".into()),
                size: Some("M".into()),
                variant_id: None,
            },
            Shown {
                id: "C".into(),
                price: 12000,
                brand: Some("Puma".into()),
                size: None,
                variant_id: None,
            },
        ]
    }

    #[test]
    fn refinements_merge_into_the_active_search() {
        let mut s = ActiveSearch::default();
        let c = s.apply(&u("ich suche laufschuhe unter 100 euro"), &[], None);
        assert!(matches!(c[0], Change::NewSearch { .. }));
        assert_eq!(s.text, "laufschuhe");
        assert_eq!(s.price_max, Some(10000));

        s.apply(&u("in schwarz"), &shown(), None);
        assert_eq!(
            (s.text.as_str(), s.colors.clone()),
            ("laufschuhe", vec!["black".to_string()])
        );
        assert_eq!(s.price_max, Some(10000), "kept");

        // Below the cheapest shown (59,00 €): at most 58,99 €.
        s.apply(&u("günstiger bitte"), &shown(), None);
        assert_eq!(s.price_max, Some(5899));

        s.apply(&u("in größe m"), &shown(), None);
        assert_eq!(s.sizes, vec!["M"]);
        s.apply(&u("eine nummer größer"), &shown(), None);
        assert_eq!(s.sizes, vec!["L"]);

        let c = s.apply(&u("andere marke"), &shown(), None);
        assert!(matches!(&c[0], Change::ExcludeBrands { brands } if brands.len() == 3));
        s.apply(&u("ohne leder"), &shown(), None);
        assert!(s.exclude.contains(&"leder".to_string()));

        let c = s.apply(&u("zeig mehr"), &shown(), None);
        assert_eq!(c, vec![Change::NextPage { page: 1 }]);
        assert_eq!(s.query().offset, PAGE);

        // A new, unrelated request starts afresh.
        s.apply(&u("ich brauche eine kaffeemaschine"), &shown(), None);
        assert_eq!(s.text, "kaffeemaschine");
        assert!(s.colors.is_empty() && s.sizes.is_empty() && s.price_max.is_none());
    }

    #[test]
    fn a_size_step_starts_from_the_focused_product() {
        let mut s = ActiveSearch::default();
        let focused = &shown()[0];
        s.apply(&u("eine nummer größer"), &shown(), Some(focused));
        assert_eq!(s.sizes, vec!["43"]);
        assert_eq!(step_size("XL", 1).as_deref(), Some("XXL"));
        assert_eq!(step_size("XXS", -1), None);
        assert_eq!(step_size("8.5", 1).as_deref(), Some("9.5"));
    }

    #[test]
    fn references_resolve_against_what_was_shown() {
        let s = shown();
        assert_eq!(resolve(&u("das zweite"), &s, None).as_deref(), Some("B"));
        assert_eq!(resolve(&u("den letzten"), &s, None).as_deref(), Some("C"));
        assert_eq!(resolve(&u("den von nike"), &s, None).as_deref(), Some("A"));
        assert_eq!(
            resolve(&u("the cheaper one"), &s, None).as_deref(),
            Some("B")
        );
        assert_eq!(
            resolve(&u("that one"), &s, Some(&s[2])).as_deref(),
            Some("C")
        );
        assert_eq!(
            resolve(&u("das fünfte"), &s, None),
            None,
            "only three shown"
        );
        assert_eq!(resolve(&u("irgendwas"), &s, None), None);
    }
}
