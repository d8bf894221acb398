//! The Shopify product CSV export. Rows sharing `Handle` are one product: the first
//! carries title, body and vendor; every row with a `Variant Price` is a variant.
//! Options named like size or colour (in German or English) become the variant's size
//! and colour; other options become attributes, and the first of them ("Capacity",
//! "Length", "Pack") is also the variant's size when no option is named like size: it
//! is what tells the variants apart. A product whose `Status` is not `active` (a draft,
//! an archived product), or without `Status` whose `Published` is false, is not for
//! sale: it goes into the report's `withdrawn`, not into the catalogue. Shopify's CSV
//! has no currency column: [`ImportOptions::default_currency`] is used.

use super::rows::{
    blank, category_path, color_value, field, group_rows, records, Candidate, ImportError,
    ImportOptions, ImportReport, RowError,
};
use super::{parse_amount, Variant};

const SIZE_NAMES: &[&str] = &["size", "größe", "groesse", "grösse"];
const COLOR_NAMES: &[&str] = &["color", "colour", "farbe"];

pub(crate) fn csv(
    text: &str,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Vec<Candidate>, ImportError> {
    let rows = records(text, b',', report)?;
    let groups = group_rows(&rows, |r| field(r, "Handle").map(String::from), report);
    let cur = opts.default_currency.as_str();
    let mut out = Vec::new();
    'group: for (handle, rows) in groups {
        let (line, first) = (rows[0].0, &rows[0].1);
        if let Some(reason) = not_for_sale(first) {
            report.withdrawn.push(RowError {
                line,
                id: Some(handle.clone()),
                reason,
            });
            continue;
        }
        let mut p = blank(&handle, cur);
        p.title = field(first, "Title").unwrap_or_default().to_string();
        p.description = strip_html(field(first, "Body (HTML)").unwrap_or_default());
        p.brand = field(first, "Vendor").map(String::from);
        p.category = field(first, "Type")
            .or_else(|| field(first, "Product Category"))
            .map(category_path)
            .unwrap_or_default();
        p.image_url = field(first, "Image Src").map(String::from);
        if let Some(tags) = field(first, "Tags") {
            let tags: Vec<String> = tags
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect();
            if !tags.is_empty() {
                p.attributes.insert("tags".into(), tags);
            }
        }
        let option_names: Vec<Option<String>> = (1..=3)
            .map(|i| field(first, &format!("Option{i} Name")).map(str::to_lowercase))
            .collect();
        // Without an option named like size, the first other one tells versions apart.
        let size_option = option_names
            .iter()
            .position(|n| n.as_deref().is_some_and(|n| SIZE_NAMES.contains(&n)))
            .or_else(|| {
                option_names.iter().position(|n| {
                    n.as_deref()
                        .is_some_and(|n| n != "title" && !COLOR_NAMES.contains(&n))
                })
            });
        let mut base: Option<(i64, Option<i64>)> = None;
        for (n, (vline, r)) in rows.iter().enumerate() {
            let Some(price_text) = field(r, "Variant Price") else {
                // Image-only rows carry no variant.
                continue;
            };
            let bad = |reason: String| RowError {
                line: *vline,
                id: Some(handle.clone()),
                reason,
            };
            let price = match parse_amount(price_text, cur) {
                Ok(v) => v,
                Err(e) => {
                    report.errors.push(bad(format!("Variant Price: {e}")));
                    continue 'group;
                }
            };
            let compare = match field(r, "Variant Compare At Price").map(|v| parse_amount(v, cur)) {
                Some(Ok(v)) if v > price => Some(v),
                Some(Err(e)) => {
                    report
                        .errors
                        .push(bad(format!("Variant Compare At Price: {e}")));
                    continue 'group;
                }
                _ => None,
            };
            // Compare-at above the price means the item is on sale.
            let (regular, sale) = match compare {
                Some(c) => (c, Some(price)),
                None => (price, None),
            };
            if base.is_none() {
                base = Some((regular, sale));
            }
            let stock = match field(r, "Variant Inventory Qty").map(str::parse::<i64>) {
                None => 0,
                Some(Ok(q)) => q.clamp(0, i64::from(u32::MAX)) as u32,
                Some(Err(_)) => {
                    report
                        .errors
                        .push(bad("Variant Inventory Qty is not a whole number".into()));
                    continue 'group;
                }
            };
            let mut v = Variant {
                id: field(r, "Variant SKU")
                    .map(String::from)
                    .unwrap_or_else(|| format!("{handle}-{}", n + 1)),
                size: None,
                color: None,
                stock,
                price: Some(price),
                gtin: field(r, "Variant Barcode").map(String::from),
            };
            for (i, name) in option_names.iter().enumerate() {
                let (Some(name), Some(value)) = (name, field(r, &format!("Option{} Value", i + 1)))
                else {
                    continue;
                };
                if size_option == Some(i) {
                    v.size = Some(value.to_string());
                }
                if SIZE_NAMES.contains(&name.as_str()) {
                    continue;
                } else if COLOR_NAMES.contains(&name.as_str()) {
                    v.color = color_value(Some(value));
                } else if name != "title" {
                    let vals = p.attributes.entry(name.clone()).or_default();
                    if !vals.iter().any(|x| x == value) {
                        vals.push(value.to_string());
                    }
                }
            }
            p.variants.push(v);
        }
        let Some((regular, sale)) = base else {
            report.errors.push(RowError {
                line,
                id: Some(handle.clone()),
                reason: "no row has a Variant Price".into(),
            });
            continue;
        };
        p.price = regular;
        p.sale_price = sale;
        let effective = sale.unwrap_or(regular);
        for v in &mut p.variants {
            if v.price == Some(effective) {
                v.price = None;
            }
        }
        out.push(Candidate { line, product: p });
    }
    Ok(out)
}

/// Why a product is not for sale, when its first row says so: Shopify exports drafts
/// and archived products alongside the active ones.
fn not_for_sale(row: &std::collections::HashMap<String, String>) -> Option<String> {
    match field(row, "Status").map(str::to_lowercase) {
        Some(status) if status == "active" => None,
        Some(status) => Some(format!("Status is {status}")),
        None => field(row, "Published")
            .filter(|p| p.eq_ignore_ascii_case("false"))
            .map(|_| "Published is FALSE".to_string()),
    }
}

/// Removes tags and decodes the common entities: Shopify bodies are HTML.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&auml;", "ä")
        .replace("&ouml;", "ö")
        .replace("&uuml;", "ü")
        .replace("&szlig;", "ß")
        .replace("&euro;", "€");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_stripped_to_text() {
        assert_eq!(
            strip_html("<p>Wasserdicht &amp; <b>leicht</b></p><br/>Gr&ouml;&szlig;e"),
            "Wasserdicht & leicht Größe"
        );
    }
}
