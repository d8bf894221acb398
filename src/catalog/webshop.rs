//! The WebShop benchmark's product file (Yao et al. 2022, `items_shuffle` /
//! `products_1k_processed.json`): a JSON array of Amazon listings.
//!
//! Mapping: `asin` → id; `name` (or `Title`) → title; `Description` plus
//! `BulletPoints` → description (WebShop's reward looks in both); `product_category`
//! split at `›` → category path; `price` (WebShop's fixed draw, when the item carries
//! it) or else `pricing` → price in USD cents (the lower end when it is a range); `Attributes` → attribute
//! `feature` values; `average_rating` → rating. `options` become variants: the
//! cartesian product of all option lists, with `size` and `color` in the variant's
//! fields and every other option (style, flavor name, fit type, ...) as
//! `option.<name>` attribute values of the product, since variants hold only size and
//! colour. Listings carry no stock: every variant gets `assumed_stock` units. A bad
//! entry is reported with its position in the array (as its "line") and the rest
//! imports.

use std::collections::BTreeMap;

use super::rows::{blank, Candidate, ImportError, ImportOptions, ImportReport, RowError};
use super::Variant;

/// Most variants one listing may expand to.
const MAX_VARIANTS: usize = 1000;

pub(crate) fn json(
    text: &str,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Vec<Candidate>, ImportError> {
    let items: Vec<serde_json::Value> = serde_json::from_str(text)
        .map_err(|e| ImportError::Malformed(format!("not a WebShop product array: {e}")))?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let line = i + 1;
        report.rows += 1;
        match product(item, opts) {
            Ok(product) => out.push(Candidate { line, product }),
            Err(reason) => report.errors.push(RowError {
                line,
                id: item.get("asin").and_then(|v| v.as_str()).map(String::from),
                reason,
            }),
        }
    }
    Ok(out)
}

fn product(item: &serde_json::Value, opts: &ImportOptions) -> Result<super::Product, String> {
    let s = |k: &str| {
        item.get(k)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .unwrap_or("")
    };
    let id = s("asin");
    if id.is_empty() {
        return Err("no asin".into());
    }
    let mut p = blank(id, "USD");
    p.language = "en".into();
    p.title = if s("name").is_empty() {
        s("Title")
    } else {
        s("name")
    }
    .to_string();
    let bullets: Vec<&str> = item
        .get("BulletPoints")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|b| b.as_str()).map(str::trim).collect())
        .unwrap_or_default();
    p.description = std::iter::once(s("Description"))
        .chain(bullets)
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    p.category = s("product_category")
        .split('›')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect();
    let pricing: Vec<f64> = item
        .get("pricing")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_f64()).collect())
        .unwrap_or_default();
    let low = pricing
        .iter()
        .copied()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .fold(f64::INFINITY, f64::min);
    // WebShop's environment charges one price per listing, drawn once inside the
    // range (`product_prices_*.json`); an item that carries it as `price` gets it.
    let fixed = item
        .get("price")
        .and_then(|v| v.as_f64())
        .filter(|x| x.is_finite() && *x >= 0.0);
    let low = fixed.unwrap_or(low);
    if !low.is_finite() {
        return Err("no price in `pricing`".into());
    }
    p.price = (low * 100.0).round() as i64;
    if let Some(features) = item.get("Attributes").and_then(|v| v.as_array()) {
        let values: Vec<String> = features
            .iter()
            .filter_map(|f| f.as_str())
            .map(String::from)
            .collect();
        if !values.is_empty() {
            p.attributes.insert("feature".into(), values);
        }
    }
    p.rating = item
        .get("average_rating")
        .and_then(|v| v.as_f64())
        .map(|r| r as f32);
    p.image_url = Some(s("MainImage").to_string()).filter(|u| !u.is_empty());

    // Options → variants.
    let options: BTreeMap<String, Vec<String>> = item
        .get("options")
        .and_then(|v| v.as_object())
        .map(|o| {
            o.iter()
                .map(|(k, v)| {
                    let values = v
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.as_str())
                                .map(String::from)
                                .collect()
                        })
                        .unwrap_or_default();
                    (k.to_lowercase(), values)
                })
                .filter(|(_, v): &(String, Vec<String>)| !v.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let sizes = options.get("size").cloned().unwrap_or_default();
    let colors = options.get("color").cloned().unwrap_or_default();
    for (name, values) in &options {
        if name != "size" && name != "color" {
            p.attributes
                .insert(format!("option.{name}"), values.clone());
        }
    }
    let sizes: Vec<Option<String>> = if sizes.is_empty() {
        vec![None]
    } else {
        sizes.into_iter().map(Some).collect()
    };
    let colors: Vec<Option<String>> = if colors.is_empty() {
        vec![None]
    } else {
        colors.into_iter().map(Some).collect()
    };
    if sizes.len() * colors.len() > MAX_VARIANTS {
        return Err(format!(
            "{} size × {} colour options is more than {MAX_VARIANTS} variants",
            sizes.len(),
            colors.len()
        ));
    }
    for size in &sizes {
        for color in &colors {
            let mut vid = id.to_string();
            for part in [size, color].into_iter().flatten() {
                vid.push('-');
                vid.extend(
                    part.chars()
                        .map(|c| if c.is_alphanumeric() { c } else { '_' }),
                );
            }
            // Values that differ only in punctuation would share an id: number them.
            if p.variants.iter().any(|v| v.id == vid) {
                vid = format!("{vid}-{}", p.variants.len() + 1);
            }
            p.variants.push(Variant {
                id: vid,
                size: size.clone(),
                color: color.clone(),
                stock: opts.assumed_stock,
                price: None,
                gtin: None,
            });
        }
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::import::{import_str, Format};

    #[test]
    fn listings_become_products_with_variants_and_bad_ones_are_reported() {
        let text = r#"[
          {"asin": "B1", "name": "SheIn Bodycon Dress", "pricing": [19.99, 27.99], "product_category": "Clothing › Women › Dresses",
           "Description": "Stretchy.", "BulletPoints": ["Polyester spandex", "Machine wash"], "Attributes": ["polyester spandex"],
           "average_rating": 3.9, "options": {"size": ["small", "x-large"], "color": ["black", "light blue"], "style": ["long"]}},
          {"asin": "B2", "name": "Console Table", "pricing": [877.8], "options": {}},
          {"name": "no asin", "pricing": [1.0]},
          {"asin": "B4", "name": "no price", "pricing": []}
        ]"#;
        let (products, report) =
            import_str(text, Format::WebShop, &ImportOptions::default()).unwrap();
        assert_eq!(products.len(), 2);
        assert_eq!(
            report.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![3, 4]
        );
        let dress = &products[0];
        assert_eq!((dress.price, dress.currency.as_str()), (1999, "USD"));
        assert_eq!(dress.variants.len(), 4);
        assert!(dress
            .variants
            .iter()
            .any(|v| v.size.as_deref() == Some("x-large")
                && v.color.as_deref() == Some("light blue")));
        assert_eq!(dress.attributes["option.style"], vec!["long"]);
        assert_eq!(dress.category, vec!["Clothing", "Women", "Dresses"]);
        assert!(dress.description.contains("Machine wash"));
        assert_eq!(products[1].variants.len(), 1);
    }
}
