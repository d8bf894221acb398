//! Product questions answered from product data only: yes, no or unknown, with the
//! field the answer comes from. Unknown is said as unknown, never guessed.

use serde::{Deserialize, Serialize};

use crate::catalog::text::fold;
use crate::catalog::Product;
use crate::nlu::Understanding;

/// The answer to a yes/no question about a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Yes,
    No,
    Unknown,
}

/// What was asked about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "topic", rename_all = "snake_case")]
pub enum Topic {
    Sizes,
    Colors,
    Stock {
        size: Option<String>,
        color: Option<String>,
    },
    Price,
    Material,
    /// A product attribute, named as the product data names it (or as asked, when
    /// the product does not have it).
    Attribute {
        name: String,
    },
    /// A feature asked by its own word ("does the galaxy a25 have 5g"), looked up in
    /// the product's title and description.
    Feature {
        name: String,
    },
    /// What the product is, asked in general ("tell me more about the first one"):
    /// its price, whether it is in stock, and its description's first sentences.
    Overview,
    /// Nothing recognisable was asked.
    Unclear,
}

/// An answer grounded in one field of the product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub topic: Topic,
    pub verdict: Verdict,
    /// The values stated (sizes, colours, the attribute's values, the price in cents).
    pub values: Vec<String>,
    /// The field the answer comes from: `variants`, `price`, `material`,
    /// `attributes.<key>`, `description`, or `none` when unknown.
    pub source: String,
}

/// German and English names of common attributes, so "is it waterproof?" finds
/// `wasserdicht` and "ist es vegan?" finds `vegan`.
const SYNONYMS: &[&[&str]] = &[
    &["wasserdicht", "waterproof", "water-resistant", "wasserfest"],
    &["kapuze", "hood", "hooded"],
    &["bio", "organic", "öko"],
    &["vegan"],
    &["glutenfrei", "gluten-free", "gluten", "gluten free"],
    &["laktosefrei", "lactose-free", "lactose"],
    &[
        "maschinenwaschbar",
        "machine washable",
        "washable",
        "waschbar",
        "waschen",
        "wash",
    ],
    &["atmungsaktiv", "breathable"],
    &["gefüttert", "lined", "insulated"],
    &["winddicht", "windproof"],
    &["leicht", "lightweight", "light"],
    &["rutschfest", "non-slip", "anti-slip"],
    &["kabellos", "wireless", "bluetooth"],
    &["spülmaschinenfest", "dishwasher safe", "dishwasher"],
];

/// An attribute's name in the reply's language, where it is one of [`SYNONYMS`]
/// (German first, English second): "waterproof" in English for the data's or the
/// lexicon's "wasserdicht", and the other way round; any other name as it is.
pub(crate) fn attribute_name(name: &str, lang: crate::nlu::Language) -> String {
    let folded = fold(name);
    SYNONYMS
        .iter()
        .find(|g| g.iter().any(|s| fold(s) == folded))
        .and_then(|g| match lang {
            crate::nlu::Language::De => g.first(),
            crate::nlu::Language::En => g.get(1).or(g.first()),
        })
        .map_or_else(|| name.to_string(), |s| s.to_string())
}

fn is_yes(v: &str) -> Option<bool> {
    match fold(v).as_str() {
        "ja" | "yes" | "true" | "wahr" | "y" | "1" => Some(true),
        "nein" | "no" | "false" | "falsch" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// Whether a phrase starts a word of `n` ("größen" in "größen?"); short phrases
/// ("da") must be whole words, so "danke" is no "da".
fn says(n: &str, phrases: &[&str]) -> bool {
    let padded = format!(" {n} ");
    phrases.iter().any(|p| {
        if p.chars().count() <= 3 {
            padded.contains(&format!(" {p} "))
        } else {
            padded.contains(&format!(" {p}"))
        }
    })
}

/// Answers `u` about `product`.
pub fn answer(u: &Understanding, product: &Product) -> Answer {
    let n = u.normalised.as_str();
    let size = u.slots.sizes.first().cloned();
    let color = u.slots.colors.first().cloned();
    let stock_words = [
        "auf lager",
        "lager",
        "lieferbar",
        "verfügbar",
        "vorrätig",
        "da",
        "in stock",
        "stock",
        "available",
    ];
    if says(n, crate::nlu::intent::MORE_ABOUT) {
        return overview(product);
    }
    let asks_stock = says(n, &stock_words)
        || (size.is_some() || color.is_some()) && !says(n, &["welche", "what", "which"]);
    if asks_stock {
        return stock(product, size, color);
    }
    if says(n, &["größen", "grössen", "größe", "sizes", "size"]) {
        let sizes = product.sizes();
        let (verdict, source) = if sizes.is_empty() {
            (Verdict::Unknown, "none")
        } else {
            (Verdict::Yes, "variants")
        };
        return Answer {
            topic: Topic::Sizes,
            verdict,
            values: sizes.into_iter().map(String::from).collect(),
            source: source.into(),
        };
    }
    if says(
        n,
        &["farben", "farbe", "colors", "colours", "color", "colour"],
    ) {
        let colors = product.colors();
        let (verdict, source) = if colors.is_empty() {
            (Verdict::Unknown, "none")
        } else {
            (Verdict::Yes, "variants")
        };
        return Answer {
            topic: Topic::Colors,
            verdict,
            values: colors.into_iter().map(String::from).collect(),
            source: source.into(),
        };
    }
    if says(
        n,
        &[
            "kostet",
            "preis",
            "price",
            "cost",
            "how much",
            "wie viel",
            "wieviel",
            "teuer",
            // "which one is cheaper?": its price says it.
            "cheaper",
            "cheapest",
            "less expensive",
            "more expensive",
            "günstiger",
            "billiger",
            "teurer",
        ],
    ) {
        return Answer {
            topic: Topic::Price,
            verdict: Verdict::Yes,
            values: vec![product.sale_price.unwrap_or(product.price).to_string()],
            source: "price".into(),
        };
    }
    if says(
        n,
        &[
            "material", "aus was", "woraus", "made of", "stoff", "fabric",
        ],
    ) {
        let material = product
            .material
            .clone()
            .or_else(|| product.attributes.get("material").map(|v| v.join(", ")));
        return match material {
            Some(m) => Answer {
                topic: Topic::Material,
                verdict: Verdict::Yes,
                values: vec![m],
                source: "material".into(),
            },
            None => unknown(Topic::Material),
        };
    }
    attribute(n, product)
}

/// The most characters of a description an overview says.
const OVERVIEW_CHARS: usize = 300;

/// The product in brief: values are its price in cents, "in stock" or "out of
/// stock", and its description's whole sentences up to [`OVERVIEW_CHARS`] (none when
/// it has no description).
pub fn overview(product: &Product) -> Answer {
    let description = product.description.trim();
    let mut said = String::new();
    for sentence in description.split_inclusive(['.', '!', '?']) {
        if !said.is_empty() && said.len() + sentence.len() > OVERVIEW_CHARS {
            break;
        }
        said.push_str(sentence);
    }
    let said: String = said.trim().chars().take(OVERVIEW_CHARS).collect();
    let in_stock = product.variants.iter().any(|v| v.stock > 0);
    let mut values = vec![
        product.sale_price.unwrap_or(product.price).to_string(),
        if in_stock { "in stock" } else { "out of stock" }.to_string(),
    ];
    if !said.is_empty() {
        values.push(said);
    }
    Answer {
        topic: Topic::Overview,
        verdict: Verdict::Yes,
        values,
        source: "description".into(),
    }
}

fn unknown(topic: Topic) -> Answer {
    Answer {
        topic,
        verdict: Verdict::Unknown,
        values: Vec::new(),
        source: "none".into(),
    }
}

fn stock(product: &Product, size: Option<String>, color: Option<String>) -> Answer {
    let matching: Vec<_> = product
        .variants
        .iter()
        .filter(|v| {
            size.as_ref()
                .is_none_or(|s| v.size.as_ref().is_some_and(|vs| vs.eq_ignore_ascii_case(s)))
        })
        .filter(|v| {
            color.as_ref().is_none_or(|c| {
                v.color
                    .as_deref()
                    .and_then(crate::catalog::colors::canonical_of_value)
                    .is_some_and(|vc| vc == c)
            })
        })
        .collect();
    let in_stock = matching.iter().any(|v| v.stock > 0);
    Answer {
        topic: Topic::Stock { size, color },
        verdict: if in_stock { Verdict::Yes } else { Verdict::No },
        values: matching
            .iter()
            .filter(|v| v.stock > 0)
            .map(|v| v.id.clone())
            .collect(),
        source: "variants".into(),
    }
}

/// Finds the attribute asked about: a product attribute whose key or synonym is a
/// word of the question; else the description, with a negation before the word
/// ("nicht wasserdicht") read as no.
fn attribute(n: &str, product: &Product) -> Answer {
    let words: Vec<String> = n.split_whitespace().map(fold).collect();
    let asked: Vec<&[&str]> = SYNONYMS
        .iter()
        .copied()
        .filter(|group| group.iter().any(|s| matches_words(&words, s)))
        .collect();
    for (key, values) in &product.attributes {
        let k = fold(key);
        let named = words
            .iter()
            .any(|w| w == &k || (k.len() >= 5 && w.starts_with(&k)))
            || asked.iter().any(|g| g.iter().any(|s| fold(s) == k));
        if named {
            let verdict = match values.first().and_then(|v| is_yes(v)) {
                Some(true) => Verdict::Yes,
                Some(false) => Verdict::No,
                None if values.is_empty() => Verdict::Unknown,
                None => Verdict::Yes,
            };
            return Answer {
                topic: Topic::Attribute { name: key.clone() },
                verdict,
                values: values.clone(),
                source: format!("attributes.{key}"),
            };
        }
    }
    // The title and the description, word by word ("JBL Charge 5 Portable
    // Waterproof Speaker" says it is waterproof).
    let split = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .map(fold)
            .collect()
    };
    let title_words = split(&product.title).len();
    let desc: Vec<String> = split(&format!("{} {}", product.title, product.description));
    for group in &asked {
        for s in *group {
            let s = fold(s);
            // German endings allowed: "leichte", "wasserdichten".
            let inflected = |w: &String| {
                *w == s
                    || (s.len() >= 4
                        && w.strip_prefix(s.as_str())
                            .is_some_and(|r| matches!(r, "e" | "en" | "er" | "es" | "em")))
            };
            if let Some(i) = desc.iter().position(inflected) {
                let negated = i > 0
                    && matches!(
                        desc[i - 1].as_str(),
                        "nicht" | "not" | "kein" | "keine" | "non"
                    );
                return Answer {
                    topic: Topic::Attribute {
                        name: group[0].to_string(),
                    },
                    verdict: if negated { Verdict::No } else { Verdict::Yes },
                    values: Vec::new(),
                    source: if i < title_words {
                        "title".into()
                    } else {
                        "description".into()
                    },
                };
            }
        }
    }
    match asked.first() {
        Some(group) => unknown(Topic::Attribute {
            name: group[0].to_string(),
        }),
        None => match asked_feature(&words) {
            Some(feature) => has_feature(product, &feature),
            None => unknown(Topic::Unclear),
        },
    }
}

/// The feature a yes-or-no question asks of a thing by its own words: those after
/// "have", "support", "come with" … ("does the galaxy a25 have 5g" → "5g"), or the
/// last word after a German verb that opens the question ("hat das pixel 8 usb-c").
fn asked_feature(words: &[String]) -> Option<String> {
    const VERBS: &[&str] = &[
        "have", "has", "support", "supports", "include", "includes", "with", "offer", "offers",
    ];
    const ARTICLES: &[&str] = &["a", "an", "the", "any", "einen", "eine", "ein"];
    const GERMAN_FIRST: &[&str] = &["hat", "unterstutzt", "kann"];
    let rest: Vec<&str> = match words.iter().position(|w| VERBS.contains(&w.as_str())) {
        Some(at) => words[at + 1..]
            .iter()
            .map(String::as_str)
            .skip_while(|w| ARTICLES.contains(w))
            .take(3)
            .collect(),
        None if words.len() >= 4 && GERMAN_FIRST.contains(&words[0].as_str()) => {
            words.last().map(String::as_str).into_iter().collect()
        }
        None => Vec::new(),
    };
    (!rest.is_empty()).then(|| rest.join(" "))
}

/// Whether the product's title or description names `feature`, word for word ("5G"
/// in "Galaxy A25 5G", not in "45g"): yes with the text it comes from, else unknown,
/// never no.
fn has_feature(product: &Product, feature: &str) -> Answer {
    use crate::search::compound::words;
    let asked: Vec<String> = words(feature).collect();
    let names = |text: &str| {
        let said: Vec<String> = words(text).collect();
        !asked.is_empty() && said.windows(asked.len()).any(|w| w == asked.as_slice())
    };
    let topic = Topic::Feature {
        name: feature.to_string(),
    };
    let source = [
        ("title", product.title.as_str()),
        ("description", &product.description),
    ]
    .into_iter()
    .find(|(_, text)| names(text))
    .map(|(field, _)| field);
    match source {
        Some(field) => Answer {
            topic,
            verdict: Verdict::Yes,
            values: Vec::new(),
            source: field.into(),
        },
        None => unknown(topic),
    }
}

fn matches_words(words: &[String], phrase: &str) -> bool {
    let parts: Vec<String> = phrase.split_whitespace().map(fold).collect();
    words.windows(parts.len()).any(|w| w == parts.as_slice())
}

/// How two shown products compare, from their data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    /// The cheaper one and by how much (cents); `None` when equal.
    pub cheaper: Option<(String, i64)>,
    /// The better rated one, when both have ratings that differ.
    pub better_rated: Option<String>,
    /// Attributes both have: (name, a's values, b's values).
    pub shared: Vec<(String, Vec<String>, Vec<String>)>,
}

/// Compares two products on price, rating and shared attributes.
pub fn compare(a: &Product, b: &Product) -> Comparison {
    let pa = a.sale_price.unwrap_or(a.price);
    let pb = b.sale_price.unwrap_or(b.price);
    let cheaper = match pa.cmp(&pb) {
        std::cmp::Ordering::Less => Some((a.id.clone(), pb - pa)),
        std::cmp::Ordering::Greater => Some((b.id.clone(), pa - pb)),
        std::cmp::Ordering::Equal => None,
    };
    let better_rated = match (a.rating, b.rating) {
        (Some(x), Some(y)) if x > y => Some(a.id.clone()),
        (Some(x), Some(y)) if y > x => Some(b.id.clone()),
        _ => None,
    };
    let shared = a
        .attributes
        .iter()
        .filter_map(|(k, va)| {
            b.attributes
                .get(k)
                .map(|vb| (k.clone(), va.clone(), vb.clone()))
        })
        .collect();
    Comparison {
        a: a.id.clone(),
        b: b.id.clone(),
        cheaper,
        better_rated,
        shared,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nlu::{understand, Language};

    fn jacket() -> Product {
        serde_json::from_str(r#"{"id":"J","title":"Regenjacke Nordkap","description":"Leichte Jacke, nicht winddicht.","price":8995,"currency":"EUR","rating":4.5,"attributes":{"wasserdicht":["ja"],"kapuze":["nein"]},"variants":[{"id":"J-M","size":"M","color":"Schwarz","stock":0},{"id":"J-L","size":"L","color":"Schwarz","stock":3}]}"#).unwrap()
    }

    fn ask(q: &str) -> Answer {
        answer(&understand(q, Language::De, None), &jacket())
    }

    #[test]
    fn an_attribute_is_named_in_the_replys_language() {
        assert_eq!(attribute_name("wasserdicht", Language::En), "waterproof");
        assert_eq!(attribute_name("waterproof", Language::De), "wasserdicht");
        assert_eq!(attribute_name("Kapuze", Language::En), "hood");
        // A name of the shop's own that no group has stays as it is.
        assert_eq!(attribute_name("Material", Language::En), "Material");
    }

    #[test]
    fn questions_are_answered_from_the_data_or_as_unknown() {
        let a = ask("ist der wasserdicht");
        assert_eq!(
            (a.verdict, a.source.as_str()),
            (Verdict::Yes, "attributes.wasserdicht")
        );
        assert_eq!(
            ask("is it waterproof").verdict,
            Verdict::Yes,
            "English synonym"
        );
        assert_eq!(ask("hat die jacke eine kapuze").verdict, Verdict::No);
        let a = ask("ist sie winddicht");
        assert_eq!(
            (a.verdict, a.source.as_str()),
            (Verdict::No, "description"),
            "negated"
        );
        // A title says it as well as a description does.
        let mut speaker = jacket();
        speaker.title = "JBL Charge 5 Portable Waterproof Speaker".into();
        speaker.attributes.clear();
        let a = answer(
            &understand("is it waterproof", Language::En, None),
            &speaker,
        );
        assert_eq!((a.verdict, a.source.as_str()), (Verdict::Yes, "title"));
        let a = ask("ist die vegan");
        assert_eq!(
            (a.verdict, a.source.as_str()),
            (Verdict::Unknown, "none"),
            "never guessed"
        );
        let a = ask("welche größen gibt es");
        assert_eq!(a.values, vec!["M", "L"]);
        assert_eq!(ask("is it in stock in M").verdict, Verdict::No);
        assert_eq!(ask("ist die in L auf lager").verdict, Verdict::Yes);
        assert_eq!(ask("gibt es die in XL").verdict, Verdict::No, "not offered");
        assert_eq!(ask("was kostet die").values, vec!["8995"]);
        assert_eq!(ask("aus welchem material").verdict, Verdict::Unknown);
        assert_eq!(
            ask("danke, ist sie leicht").verdict,
            Verdict::Yes,
            "description: leichte"
        );
    }

    #[test]
    fn two_products_compare_on_price_rating_and_shared_attributes() {
        let a = jacket();
        let mut b = jacket();
        b.id = "K".into();
        b.price = 7990;
        b.rating = Some(4.8);
        b.attributes.remove("kapuze");
        let c = compare(&a, &b);
        assert_eq!(c.cheaper, Some(("K".to_string(), 1005)));
        assert_eq!(c.better_rated.as_deref(), Some("K"));
        assert_eq!(c.shared.len(), 1);
        assert_eq!(c.shared[0].0, "wasserdicht");
    }
}
