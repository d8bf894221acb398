//! The product model and its validation. Importers (in [`import`]) turn shop feeds
//! into [`Product`]s; nothing here searches or speaks HTTP.

pub mod colors;
pub mod import;
pub mod kind;
mod merchant;
pub mod options;
pub mod rows;
mod shopify;
pub mod specs;
pub mod text;
mod webshop;

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

/// How the native JSONL reads the values real feeds write in more than one shape:
/// a category path as one string, an attribute as a single string, number or flag.
/// Anything else (an object where a value belongs) stays an error with its line.
mod feed_values {
    use std::collections::BTreeMap;

    use serde::{de::Error, Deserialize, Deserializer};
    use serde_json::Value;

    pub fn category<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Path {
            Parts(Vec<String>),
            Joined(String),
        }
        Ok(match Path::deserialize(d)? {
            Path::Parts(p) => p,
            Path::Joined(s) => super::rows::category_path(&s),
        })
    }

    pub fn attributes<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
        let raw = BTreeMap::<String, Value>::deserialize(d)?;
        let mut out = BTreeMap::new();
        for (k, v) in raw {
            let values = match v {
                Value::Null => continue,
                Value::Array(items) => items
                    .into_iter()
                    .filter(|x| !x.is_null())
                    .map(|x| scalar(&k, x))
                    .collect::<Result<Vec<_>, _>>()?,
                x => vec![scalar(&k, x)?],
            };
            out.insert(k, values);
        }
        Ok(out)
    }

    fn scalar<E: Error>(key: &str, v: Value) -> Result<String, E> {
        match v {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(if b { "yes" } else { "no" }.into()),
            _ => Err(E::custom(format!(
                "attribute {key:?}: expected a string, a number, a flag or a list of them"
            ))),
        }
    }
}

/// ISO 4217 codes we accept. A shop with another currency adds it here.
pub const CURRENCIES: &[&str] = &[
    "EUR", "USD", "GBP", "CHF", "PLN", "CZK", "SEK", "DKK", "NOK", "HUF", "JPY", "CAD", "AUD",
];

/// Minor units per major unit for a currency (JPY has none).
pub fn minor_per_major(currency: &str) -> i64 {
    if currency == "JPY" {
        1
    } else {
        100
    }
}

/// A product as the shop sells it. Prices are integers in minor units (cents) of
/// `currency`; the model never produces one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub id: String,
    pub title: String,
    /// English title, for a shop that serves both languages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// Category path from the root, e.g. `["Bekleidung", "Jacken", "Regenjacken"]`.
    /// A feed may also send it as one string, `"Bekleidung > Jacken > Regenjacken"`.
    #[serde(default, deserialize_with = "feed_values::category")]
    pub category: Vec<String>,
    /// Regular price in minor units.
    pub price: i64,
    /// Reduced price in minor units, if on sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_price: Option<i64>,
    /// ISO code; a feed row may leave it out for the import's default currency.
    #[serde(default)]
    pub currency: String,
    /// At least one; a product without options has one variant without size or colour.
    #[serde(default)]
    pub variants: Vec<Variant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<String>,
    /// Free attributes: `waterproof -> ["yes"]`, `diet -> ["vegan", "gluten-free"]`.
    /// A feed may send a value alone (`"Capacity": "1 TB"`, `"Ports": 4`,
    /// `"Wireless": true`); it is read as a list of one.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "feed_values::attributes"
    )]
    pub attributes: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<f32>,
    #[serde(default)]
    pub review_count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Language of the texts, `de` or `en`. A feed may leave it out: the import then
    /// reads it from the product's own text, and from the feed's where that is too
    /// short to tell.
    #[serde(default = "default_language")]
    pub language: String,
    /// For consumables: days after which a shopper typically buys again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reorder_interval_days: Option<u32>,
}

/// Not given: the import reads it from the product's text (see `import::finish`).
fn default_language() -> String {
    String::new()
}

/// One buyable option of a product: a size and/or colour with its own stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Units in stock; 0 means out of stock.
    #[serde(default)]
    pub stock: u32,
    /// Own price in minor units, when it differs from the product's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gtin: Option<String>,
}

impl Product {
    /// What a shopper pays for `variant` now: its own price, else the sale price, else
    /// the regular price.
    pub fn effective_price(&self, variant: &Variant) -> i64 {
        variant.price.or(self.sale_price).unwrap_or(self.price)
    }

    /// The lowest price any variant sells at.
    pub fn min_price(&self) -> i64 {
        self.variants
            .iter()
            .map(|v| self.effective_price(v))
            .min()
            .unwrap_or(self.sale_price.unwrap_or(self.price))
    }

    /// Whether any variant is in stock.
    pub fn in_stock(&self) -> bool {
        self.variants.iter().any(|v| v.stock > 0)
    }

    /// Total units over all variants.
    pub fn total_stock(&self) -> u64 {
        self.variants.iter().map(|v| u64::from(v.stock)).sum()
    }

    /// Looks a variant up by id.
    pub fn variant(&self, id: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.id == id)
    }

    /// Distinct sizes, in variant order.
    pub fn sizes(&self) -> Vec<&str> {
        distinct(self.variants.iter().filter_map(|v| v.size.as_deref()))
    }

    /// Distinct colours, in variant order.
    pub fn colors(&self) -> Vec<&str> {
        distinct(self.variants.iter().filter_map(|v| v.color.as_deref()))
    }

    /// Fills defaults that every product must have: a single default variant when none
    /// is given (carrying `stock`), and trimmed texts.
    pub fn normalise(&mut self, default_stock: u32) {
        self.id = self.id.trim().to_string();
        // An import has read the language from the texts by now; a product made
        // another way without one is taken as German, as before languages were read.
        if self.language.trim().is_empty() {
            self.language = "de".into();
        }
        self.title = self.title.trim().to_string();
        self.currency = self.currency.trim().to_ascii_uppercase();
        if self.variants.is_empty() {
            self.variants.push(Variant {
                id: self.id.clone(),
                size: None,
                color: None,
                stock: default_stock,
                price: None,
                gtin: None,
            });
        }
    }

    /// Checks the invariants every product must hold before it is indexed.
    pub fn validate(&self) -> Result<(), String> {
        let price_in_range = |what: &str, p: i64| {
            if p > MAX_PRICE {
                Err(format!(
                    "{what} {p} is above the largest price taken ({MAX_PRICE} minor units)"
                ))
            } else {
                Ok(())
            }
        };
        if self.id.is_empty() {
            return Err("missing id".into());
        }
        if self.id.len() > 128 || self.id.chars().any(char::is_control) {
            return Err(format!(
                "id `{}` is longer than 128 characters or has control characters",
                self.id
            ));
        }
        if self.title.trim().is_empty() {
            return Err("missing title".into());
        }
        if !CURRENCIES.contains(&self.currency.as_str()) {
            return Err(format!(
                "unknown currency `{}` (known: {})",
                self.currency,
                CURRENCIES.join(", ")
            ));
        }
        if self.price < 0 {
            return Err(format!("negative price {}", self.price));
        }
        price_in_range("price", self.price)?;
        if let Some(s) = self.sale_price {
            if s < 0 {
                return Err(format!("negative sale price {s}"));
            }
            price_in_range("sale price", s)?;
        }
        if let Some(r) = self.rating {
            if !(0.0..=5.0).contains(&r) {
                return Err(format!("rating {r} is outside 0..5"));
            }
        }
        if !matches!(self.language.as_str(), "de" | "en") {
            return Err(format!("language `{}` is not de or en", self.language));
        }
        if self.variants.is_empty() {
            return Err("no variants".into());
        }
        let mut ids = HashSet::new();
        for v in &self.variants {
            if v.id.trim().is_empty() {
                return Err("a variant has no id".into());
            }
            if !ids.insert(v.id.as_str()) {
                return Err(format!("variant id `{}` appears twice", v.id));
            }
            if let Some(p) = v.price {
                if p < 0 {
                    return Err(format!("variant `{}` has a negative price {p}", v.id));
                }
                price_in_range(&format!("variant `{}` price", v.id), p)?;
            }
        }
        Ok(())
    }
}

fn distinct<'a>(it: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    it.filter(|s| seen.insert(*s)).collect()
}

/// The largest price a product may have, in minor units (a billion in a two-decimal
/// currency). With at most 10,000 of one line, no cart total can overflow `i64`;
/// order arithmetic is checked all the same, for rows stored before this cap.
pub const MAX_PRICE: i64 = 100_000_000_000;

/// Parses a decimal amount such as `19.99`, `19,99`, `1.299,00` or `1,299.00` into
/// minor units. Rejects more decimals than the currency has and anything that is not
/// a plain number.
pub fn parse_amount(text: &str, currency: &str) -> Result<i64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty amount".into());
    }
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    // The decimal separator is the last '.' or ',' followed by 1-2 digits only.
    let sep = t.rfind(['.', ',']);
    let (int_part, frac_part) = match sep {
        Some(i) if (2..=3).contains(&(t.len() - i)) => (&t[..i], &t[i + 1..]),
        _ => (t, ""),
    };
    let int_digits: String = int_part
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\''))
        .collect();
    if int_digits.is_empty() && frac_part.is_empty()
        || !int_digits.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        return Err(format!("`{text}` is not an amount"));
    }
    let per = minor_per_major(currency);
    let int: i64 = if int_digits.is_empty() {
        0
    } else {
        int_digits
            .parse()
            .map_err(|_| format!("`{text}` is too large"))?
    };
    let frac: i64 = match frac_part.len() {
        0 => 0,
        1 => frac_part.parse::<i64>().unwrap_or(0) * 10,
        _ => frac_part.parse::<i64>().unwrap_or(0),
    };
    if per == 1 && frac != 0 {
        return Err(format!(
            "`{text}` has decimals, but {currency} has no minor unit"
        ));
    }
    let minor = int
        .checked_mul(per)
        .and_then(|v| v.checked_add(if per == 1 { 0 } else { frac }))
        .ok_or_else(|| format!("`{text}` is too large"))?;
    Ok(if neg { -minor } else { minor })
}

/// Formats minor units for people: `1999, EUR` → `19,99 €` in German, `€19.99` in English.
pub fn format_price(minor: i64, currency: &str, language: &str) -> String {
    let per = minor_per_major(currency);
    let major = minor / per;
    let cents = (minor % per).abs();
    let symbol = match currency {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        other => other,
    };
    let amount = if per == 1 {
        major.to_string()
    } else if language == "de" {
        format!("{major},{cents:02}")
    } else {
        format!("{major}.{cents:02}")
    };
    if language == "de" {
        format!("{amount} {symbol}")
    } else {
        format!("{symbol}{amount}")
    }
}

/// Products by id, in import order.
pub type Catalog = Vec<Product>;

#[cfg(test)]
mod tests {
    use super::*;

    fn product() -> Product {
        let mut p = rows::blank("p1", "EUR");
        p.title = "Regenjacke".into();
        p.price = 4999;
        p.normalise(3);
        p
    }

    #[test]
    fn feeds_may_send_single_attribute_values_and_a_joined_category() {
        let p: Product = serde_json::from_str(
            r#"{"id": "S1", "title": "Samsung 870 EVO", "price": 8999, "currency": "USD",
                "category": "Computers > Storage / SSDs",
                "attributes": {"Capacity": "1 TB", "Ports": 3, "Wireless": false,
                               "Fits": ["AM4", 1700], "Note": null}}"#,
        )
        .unwrap();
        assert_eq!(p.category, ["Computers", "Storage", "SSDs"]);
        assert_eq!(p.attributes["Capacity"], ["1 TB"]);
        assert_eq!(p.attributes["Ports"], ["3"]);
        assert_eq!(p.attributes["Wireless"], ["no"]);
        assert_eq!(p.attributes["Fits"], ["AM4", "1700"]);
        assert!(!p.attributes.contains_key("Note"));
        // What we write reads back the same.
        let back: Product = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
        // An object where a value belongs is still an error, naming the attribute.
        let e = serde_json::from_str::<Product>(
            r#"{"id": "S2", "title": "x", "price": 1, "currency": "USD",
                "attributes": {"Size": {"w": 1}}}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("\"Size\""), "{e}");
    }

    #[test]
    fn amounts_parse_in_both_notations() {
        assert_eq!(parse_amount("19.99", "EUR"), Ok(1999));
        assert_eq!(parse_amount("19,99", "EUR"), Ok(1999));
        assert_eq!(parse_amount("1.299,00", "EUR"), Ok(129900));
        assert_eq!(parse_amount("1,299.00", "USD"), Ok(129900));
        assert_eq!(
            parse_amount("1,299", "USD"),
            Ok(129900),
            "three digits after a comma are thousands"
        );
        assert_eq!(parse_amount("5", "EUR"), Ok(500));
        assert_eq!(parse_amount("0.5", "EUR"), Ok(50));
        assert_eq!(parse_amount("1200", "JPY"), Ok(1200));
        assert!(parse_amount("abc", "EUR").is_err());
        assert!(parse_amount("", "EUR").is_err());
        assert!(parse_amount("12.5x", "EUR").is_err());
    }

    #[test]
    fn prices_format_per_language() {
        assert_eq!(format_price(1999, "EUR", "de"), "19,99 €");
        assert_eq!(format_price(4000, "USD", "en"), "$40.00");
    }

    #[test]
    fn a_product_without_variants_gets_a_default_one() {
        let p = product();
        assert_eq!(p.variants.len(), 1);
        assert_eq!(p.variants[0].stock, 3);
        assert!(p.in_stock());
        assert!(p.validate().is_ok());
    }

    #[test]
    fn validation_rejects_what_a_shop_would_regret() {
        let mut p = product();
        p.currency = "XYZ".into();
        assert!(p.validate().unwrap_err().contains("currency"));
        let mut p = product();
        p.price = -1;
        assert!(p.validate().unwrap_err().contains("negative"));
        let mut p = product();
        p.title = " ".into();
        assert!(p.validate().unwrap_err().contains("title"));
        let mut p = product();
        p.variants.push(p.variants[0].clone());
        assert!(p.validate().unwrap_err().contains("twice"));
    }

    #[test]
    fn effective_price_prefers_variant_then_sale() {
        let mut p = product();
        assert_eq!(p.min_price(), 4999);
        p.sale_price = Some(3999);
        assert_eq!(p.min_price(), 3999);
        p.variants[0].price = Some(2999);
        assert_eq!(p.min_price(), 2999);
    }
}
