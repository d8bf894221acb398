//! Catalogue importers. Each reads one feed format into [`Product`]s; a bad row is
//! reported with its line number and reason, and the rest still imports.
//!
//! | format | detected by | one row is |
//! | --- | --- | --- |
//! | JSONL (native) | `.jsonl`, `.ndjson` | one product with its variants, as [`Product`] serialises |
//! | CSV (native) | `.csv` without Shopify headers | one variant; rows sharing `id` form one product |
//! | Google Merchant TSV | `.tsv`, `.txt` | one item; `item_group_id` groups variants |
//! | Google Merchant XML | `.xml` | one `<item>`; `g:item_group_id` groups variants |
//! | Shopify product CSV | `.csv` with `Handle` and `Variant Price` | one variant; rows sharing `Handle` form one product |

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use super::rows::{blank, category_path, color_value, field, group_rows, records, Candidate};
pub use super::rows::{Format, ImportError, ImportOptions, ImportReport, RowError};
use super::{parse_amount, Product, Variant};
use crate::nlu::Language;

/// Reads a catalogue file in any supported format.
pub fn import_file(
    path: &Path,
    opts: &ImportOptions,
) -> Result<(Vec<Product>, ImportReport), ImportError> {
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_string(&mut text))
        .map_err(|source| ImportError::Read {
            path: path.display().to_string(),
            source,
        })?;
    let format = Format::detect(path, &text)
        .ok_or_else(|| ImportError::UnknownFormat(path.display().to_string()))?;
    import_str(&text, format, opts)
}

/// Reads catalogue text of a known format.
pub fn import_str(
    text: &str,
    format: Format,
    opts: &ImportOptions,
) -> Result<(Vec<Product>, ImportReport), ImportError> {
    let mut report = ImportReport {
        format: Some(format),
        ..Default::default()
    };
    let candidates = match format {
        Format::Jsonl => jsonl(text, opts, &mut report),
        Format::Csv => native_csv(text, opts, &mut report)?,
        Format::MerchantTsv => super::merchant::tsv(text, opts, &mut report)?,
        Format::MerchantXml => super::merchant::xml(text, opts, &mut report)?,
        Format::ShopifyCsv => super::shopify::csv(text, opts, &mut report)?,
        Format::WebShop => super::webshop::json(text, opts, &mut report)?,
    };
    let products = finish(candidates, &mut report);
    Ok((products, report))
}

/// Normalises, validates and de-duplicates candidates; bad ones go into the report.
pub(crate) fn finish(mut candidates: Vec<Candidate>, report: &mut ImportReport) -> Vec<Product> {
    fill_languages(&mut candidates);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(candidates.len());
    for Candidate { line, mut product } in candidates {
        product.normalise(0);
        if let Err(reason) = product.validate() {
            report.errors.push(RowError {
                line,
                id: Some(product.id.clone()).filter(|s| !s.is_empty()),
                reason,
            });
            continue;
        }
        if let Some(first) = seen.get(&product.id) {
            report.errors.push(RowError {
                line,
                id: Some(product.id.clone()),
                reason: format!("duplicate id, first seen on line {first}"),
            });
            continue;
        }
        seen.insert(product.id.clone(), line);
        out.push(product);
    }
    report.errors.sort_by_key(|e| e.line);
    report.imported = out.len();
    out
}

/// A product whose feed gives no language (Shopify and Merchant feeds have no such
/// column; a JSONL row may leave it out) is read in the language its own title and
/// description are written in, and where they are too short to tell (a bare model
/// name), in the language of the feed's texts together. An English Shopify export is
/// read with English rules ("Samsung T7 Portable SSD" on "External SSDs"), not as
/// German, and replies in English by default.
fn fill_languages(candidates: &mut [Candidate]) {
    use crate::nlu::language::detect_text;
    let unknown = |c: &Candidate| c.product.language.trim().is_empty();
    if !candidates.iter().any(unknown) {
        return;
    }
    let mut sample = String::new();
    for c in candidates.iter().filter(|c| unknown(c)) {
        if sample.len() > 50_000 {
            break;
        }
        sample.push_str(&c.product.title);
        sample.push_str(". ");
        sample.push_str(&c.product.description);
        sample.push('\n');
    }
    let feed = detect_text(&sample).unwrap_or(Language::De);
    for c in candidates.iter_mut().filter(|c| unknown(c)) {
        let text = format!("{} {}", c.product.title, c.product.description);
        c.product.language = detect_text(&text).unwrap_or(feed).code().to_string();
    }
}

fn jsonl(text: &str, opts: &ImportOptions, report: &mut ImportReport) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        report.rows += 1;
        match serde_json::from_str::<Product>(raw) {
            Ok(mut product) => {
                if product.currency.trim().is_empty() {
                    product.currency = opts.default_currency.clone();
                }
                out.push(Candidate { line, product })
            }
            Err(e) => report.errors.push(RowError {
                line,
                id: serde_json::from_str::<serde_json::Value>(raw)
                    .ok()
                    .and_then(|v| v.get("id").and_then(|x| x.as_str()).map(String::from)),
                reason: format!("invalid product JSON: {e}"),
            }),
        }
    }
    out
}

/// Native CSV: one row per variant; the first row of a product carries its fields.
/// A row reports the first problem it has.
fn native_csv(
    text: &str,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Vec<Candidate>, ImportError> {
    let rows = records(text, b',', report)?;
    let groups = group_rows(&rows, |r| field(r, "id").map(String::from), report);
    let mut out = Vec::new();
    'group: for (id, rows) in groups {
        let (line, first) = (rows[0].0, &rows[0].1);
        let currency = field(first, "currency")
            .unwrap_or(&opts.default_currency)
            .to_ascii_uppercase();
        let mut p = blank(&id, &currency);
        p.title = field(first, "title").unwrap_or_default().to_string();
        p.title_en = field(first, "title_en").map(String::from);
        p.description = field(first, "description").unwrap_or_default().to_string();
        p.brand = field(first, "brand").map(String::from);
        p.category = field(first, "category")
            .map(category_path)
            .unwrap_or_default();
        p.material = field(first, "material").map(String::from);
        p.image_url = field(first, "image_url").map(String::from);
        if let Some(l) = field(first, "language") {
            p.language = l.to_string();
        }
        let bad = |reason: String| RowError {
            line,
            id: Some(id.clone()),
            reason,
        };
        match field(first, "price").map(|v| parse_amount(v, &currency)) {
            Some(Ok(v)) => p.price = v,
            Some(Err(e)) => {
                report.errors.push(bad(format!("price: {e}")));
                continue;
            }
            None => {
                report.errors.push(bad("missing price".into()));
                continue;
            }
        }
        if let Some(v) = field(first, "sale_price") {
            match parse_amount(v, &currency) {
                Ok(v) => p.sale_price = Some(v),
                Err(e) => {
                    report.errors.push(bad(format!("sale_price: {e}")));
                    continue;
                }
            }
        }
        if let Some(v) = field(first, "rating") {
            match v.replace(',', ".").parse::<f32>() {
                Ok(r) => p.rating = Some(r),
                Err(_) => {
                    report
                        .errors
                        .push(bad(format!("rating `{v}` is not a number")));
                    continue;
                }
            }
        }
        p.review_count = field(first, "review_count")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        p.reorder_interval_days =
            field(first, "reorder_interval_days").and_then(|v| v.parse().ok());
        if let Some(attrs) = field(first, "attributes") {
            p.attributes = parse_attributes(attrs);
        }
        let mut seen = HashSet::new();
        for (vline, r) in &rows {
            let vid = field(r, "variant_id")
                .map(String::from)
                .unwrap_or_else(|| id.clone());
            if !seen.insert(vid.clone()) {
                report.errors.push(RowError {
                    line: *vline,
                    id: Some(id.clone()),
                    reason: format!("variant id `{vid}` appears twice"),
                });
                continue;
            }
            let stock = match field(r, "stock").map(str::parse::<u32>) {
                None => 0,
                Some(Ok(s)) => s,
                Some(Err(_)) => {
                    report.errors.push(RowError {
                        line: *vline,
                        id: Some(id.clone()),
                        reason: format!(
                            "stock `{}` is not a whole number ≥ 0",
                            field(r, "stock").unwrap_or("")
                        ),
                    });
                    continue 'group;
                }
            };
            let price = match field(r, "variant_price").map(|v| parse_amount(v, &currency)) {
                None => None,
                Some(Ok(v)) => Some(v),
                Some(Err(e)) => {
                    report.errors.push(RowError {
                        line: *vline,
                        id: Some(id.clone()),
                        reason: format!("variant_price: {e}"),
                    });
                    continue 'group;
                }
            };
            p.variants.push(Variant {
                id: vid,
                size: field(r, "size").map(String::from),
                color: color_value(field(r, "color")),
                stock,
                price,
                gtin: field(r, "gtin").map(String::from),
            });
        }
        out.push(Candidate { line, product: p });
    }
    Ok(out)
}

/// `waterproof=yes;diet=vegan|gluten-free` → `{waterproof: [yes], diet: [vegan, gluten-free]}`.
pub fn parse_attributes(s: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in s.split(';') {
        let (k, v) = match pair.split_once('=') {
            Some((k, v)) => (k.trim(), v),
            None => (pair.trim(), "yes"),
        };
        if k.is_empty() {
            continue;
        }
        let values = v
            .split('|')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from);
        out.entry(k.to_lowercase()).or_default().extend(values);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_from_name_and_header() {
        assert_eq!(
            Format::detect(Path::new("a.jsonl"), ""),
            Some(Format::Jsonl)
        );
        assert_eq!(
            Format::detect(Path::new("a.xml"), ""),
            Some(Format::MerchantXml)
        );
        assert_eq!(
            Format::detect(Path::new("a.tsv"), ""),
            Some(Format::MerchantTsv)
        );
        assert_eq!(
            Format::detect(Path::new("a.csv"), "Handle,Title,Variant Price\n"),
            Some(Format::ShopifyCsv)
        );
        assert_eq!(
            Format::detect(Path::new("a.csv"), "id,title,price\n"),
            Some(Format::Csv)
        );
        assert_eq!(Format::detect(Path::new("a.pdf"), ""), None);
    }

    #[test]
    fn attributes_parse_with_lists_and_flags() {
        let a = parse_attributes("Waterproof=yes; diet=vegan|gluten-free;organic");
        assert_eq!(a["waterproof"], vec!["yes"]);
        assert_eq!(a["diet"], vec!["vegan", "gluten-free"]);
        assert_eq!(a["organic"], vec!["yes"]);
    }
}
