//! Google Merchant Center feeds, tab-separated and XML (RSS 2.0 with the `g:`
//! namespace). Items sharing `item_group_id` become variants of one product.
//!
//! Merchant feeds state availability, not quantities: `in stock` is imported as
//! [`ImportOptions::assumed_stock`] units, anything else as 0.

use std::collections::HashMap;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::rows::{
    blank, category_path, color_value, field, group_rows, records, Candidate, ImportError,
    ImportOptions, ImportReport, Row, RowError,
};
use super::{parse_amount, Variant};

/// The tab-separated feed.
pub(crate) fn tsv(
    text: &str,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Vec<Candidate>, ImportError> {
    let rows = records(text, b'\t', report)?;
    Ok(build(&rows, opts, report))
}

/// 1-based line numbers of byte offsets that only move forward, counted once.
struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The line of byte `offset` (clamped to the text); offsets must not go backwards.
    fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset > self.pos {
            self.line += self.text[self.pos..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.pos = offset;
        }
        self.line
    }
}

/// The XML feed: each `<item>` becomes a row keyed by its element names without the
/// `g:` prefix.
pub(crate) fn xml(
    text: &str,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Vec<Candidate>, ImportError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut rows = Vec::new();
    let mut current: Option<(usize, HashMap<String, String>)> = None;
    // The elements open inside the current item, outermost first: only its own
    // fields (depth 1) are read, and a product detail's parts; a `<g:shipping>`'s
    // nested `<g:price>` is no price of the item.
    let mut open: Vec<String> = Vec::new();
    // Inside `<g:product_detail>`: its attribute name and value so far.
    let mut detail = (String::new(), String::new());
    // Lines are counted as the reader moves forward: counting from the start of the
    // file for every item made a 20k-item feed take 27 s.
    let mut lines = LineCounter::new(text);
    loop {
        let pos = reader.buffer_position() as usize;
        let mut text_of = |row: &mut HashMap<String, String>, open: &[String], v: &str| match open {
            [field] => put(row, field, v),
            [outer, part] if outer == "product_detail" => match part.as_str() {
                "attribute_name" => detail.0 = v.to_string(),
                "attribute_value" => detail.1 = v.to_string(),
                _ => {}
            },
            _ => {}
        };
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                let local = name.strip_prefix("g:").unwrap_or(&name).to_string();
                if current.is_none() && (local == "item" || local == "entry") {
                    // The event starts at the next '<' after the previous event's end.
                    let start = text[pos.min(text.len())..]
                        .find('<')
                        .map_or(text.len(), |o| pos + o);
                    current = Some((lines.line_at(start), HashMap::new()));
                    open.clear();
                } else if current.is_some() {
                    open.push(local);
                }
            }
            Ok(Event::Text(t)) => {
                if let Some((_, row)) = current.as_mut() {
                    let v = t.unescape().map(|c| c.into_owned()).unwrap_or_default();
                    text_of(row, &open, v.trim());
                }
            }
            Ok(Event::CData(t)) => {
                if let Some((_, row)) = current.as_mut() {
                    let v = String::from_utf8_lossy(&t).trim().to_string();
                    text_of(row, &open, &v);
                }
            }
            Ok(Event::End(_)) => {
                let Some((_, row)) = current.as_mut() else {
                    continue;
                };
                match open.pop() {
                    Some(closed) => {
                        if closed == "product_detail" && open.is_empty() {
                            let (n, v) = std::mem::take(&mut detail);
                            if !n.is_empty() && !v.is_empty() {
                                let all = row.entry(DETAILS.to_string()).or_default();
                                all.push_str(&format!("{n}{FIELD}{v}{RECORD}"));
                            }
                        }
                    }
                    // The item itself closes.
                    None => {
                        if let Some(r) = current.take() {
                            report.rows += 1;
                            rows.push(r);
                        }
                    }
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                let line = lines.line_at(pos);
                if let Some((l, _)) = current.take() {
                    report.rows += 1;
                    report.errors.push(RowError {
                        line: l,
                        id: None,
                        reason: format!("malformed XML: {e}"),
                    });
                } else {
                    report.errors.push(RowError {
                        line,
                        id: None,
                        reason: format!("malformed XML: {e}"),
                    });
                }
                // The rest of the document cannot be trusted to nest correctly.
                break;
            }
        }
    }
    Ok(build(&rows, opts, report))
}

/// The row key the XML reader gathers an item's `<g:product_detail>`s under, each
/// `name FIELD value RECORD` (the TSV feed writes them in its `product_detail` column).
const DETAILS: &str = "\u{1}product_detail";
const FIELD: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// One field of an item: a repeated highlight is kept, one a line; otherwise the
/// last one wins.
fn put(row: &mut HashMap<String, String>, tag: &str, value: &str) {
    if tag == "product_highlight" {
        let all = row.entry(tag.to_string()).or_default();
        if !all.is_empty() {
            all.push('\n');
        }
        all.push_str(value);
    } else {
        row.insert(tag.to_string(), value.to_string());
    }
}

/// An item's product details as (name, value): from the XML reader's gathering, or
/// from a TSV column `product_detail` (its header may name the sub-attributes,
/// `product_detail(section_name:attribute_name:attribute_value)`), written
/// `General:Capacity:1 TB,Display:Screen Size:27 in` (the section may be left out).
fn details(row: &HashMap<String, String>) -> Vec<(String, String)> {
    if let Some(all) = row.get(DETAILS) {
        return all
            .split(RECORD)
            .filter_map(|r| r.split_once(FIELD))
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
    }
    let Some(column) = row
        .iter()
        .find(|(k, _)| k.starts_with("product_detail"))
        .map(|(_, v)| v)
    else {
        return Vec::new();
    };
    column
        .split(',')
        .filter_map(|d| {
            let parts: Vec<&str> = d.split(':').map(str::trim).collect();
            match parts.as_slice() {
                [_, name, value @ ..] if parts.len() >= 3 => {
                    Some((name.to_string(), value.join(":")))
                }
                [name, value] => Some((name.to_string(), value.to_string())),
                _ => None,
            }
        })
        .filter(|(n, v)| !n.is_empty() && !v.is_empty())
        .collect()
}

/// For a group of several items none of which has a size, whose titles differ: the
/// title of the words all share (in the first's order), and each item's version, the
/// words of its title the others lack (its colour left out, which is its own field).
/// `None` where the titles are the same or share nothing.
fn title_versions(rows: &[&Row]) -> Option<(String, Vec<Option<String>>)> {
    if rows.len() < 2 || rows.iter().any(|(_, r)| field(r, "size").is_some()) {
        return None;
    }
    let titles: Vec<Vec<&str>> = rows
        .iter()
        .map(|(_, r)| {
            field(r, "title")
                .unwrap_or_default()
                .split_whitespace()
                .collect()
        })
        .collect();
    let key = |w: &str| crate::catalog::text::fold(w.trim_matches(|c: char| c == ',' || c == '-'));
    let shared = |w: &str| titles.iter().all(|t| t.iter().any(|x| key(x) == key(w)));
    let common: Vec<&str> = titles[0].iter().copied().filter(|w| shared(w)).collect();
    if common.is_empty() || titles.iter().all(|t| t.len() == common.len()) {
        return None;
    }
    let versions = rows
        .iter()
        .zip(&titles)
        .map(|((_, r), t)| {
            let color: Vec<String> = field(r, "color")
                .unwrap_or_default()
                .split(['/', ' '])
                .map(key)
                .collect();
            let own: Vec<&str> = t
                .iter()
                .copied()
                .filter(|w| !shared(w) && !color.contains(&key(w)) && !key(w).is_empty())
                .collect();
            (!own.is_empty()).then(|| {
                own.join(" ")
                    .trim_matches(|c: char| c == ',' || c == '-')
                    .trim()
                    .to_string()
            })
        })
        .collect();
    let title = common
        .join(" ")
        .trim_end_matches([',', '-', ' '])
        .to_string();
    Some((title, versions))
}

/// `19.99 EUR` → (1999, "EUR").
fn price_with_currency(s: &str, default: &str) -> Result<(i64, String), String> {
    let mut parts = s.split_whitespace();
    let amount = parts.next().ok_or("empty price")?;
    let currency = parts
        .next()
        .map(str::to_ascii_uppercase)
        .unwrap_or_else(|| default.to_string());
    Ok((parse_amount(amount, &currency)?, currency))
}

fn build(rows: &[Row], opts: &ImportOptions, report: &mut ImportReport) -> Vec<Candidate> {
    let groups = group_rows(
        rows,
        |r| {
            field(r, "item_group_id")
                .or_else(|| field(r, "id"))
                .map(String::from)
        },
        report,
    );
    let mut out = Vec::new();
    'group: for (group_id, rows) in groups {
        let (line, first) = (rows[0].0, &rows[0].1);
        let mut p = blank(&group_id, &opts.default_currency);
        p.title = field(first, "title").unwrap_or_default().to_string();
        p.description = field(first, "description").unwrap_or_default().to_string();
        p.brand = field(first, "brand").map(String::from);
        p.material = field(first, "material").map(String::from);
        p.image_url = field(first, "image_link").map(String::from);
        p.category = field(first, "product_type")
            .or_else(|| field(first, "google_product_category"))
            .map(category_path)
            .unwrap_or_default();
        // Specs: the product details, the highlights with the description, the
        // maker's part number and a condition other than new.
        for (name, value) in details(first) {
            let values = p.attributes.entry(name).or_default();
            if !values.contains(&value) {
                values.push(value);
            }
        }
        if let Some(h) = field(first, "product_highlight") {
            let lines: Vec<&str> = h.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            if !lines.is_empty() {
                p.description = [p.description.as_str()]
                    .into_iter()
                    .chain(lines)
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(". ");
            }
        }
        if let Some(mpn) = field(first, "mpn") {
            p.attributes.insert("mpn".into(), vec![mpn.to_string()]);
        }
        if let Some(c) = field(first, "condition").filter(|c| !c.eq_ignore_ascii_case("new")) {
            p.attributes.insert("condition".into(), vec![c.to_string()]);
        }
        // Items of a group without a size, titled each with its own version
        // ("Samsung T7 Portable SSD 1TB", "… 2TB"): the words their titles do not
        // share are the version, the shared ones the product's title.
        let versions = title_versions(&rows);
        if let Some((title, _)) = &versions {
            p.title = title.clone();
        }
        let mut min_price: Option<(i64, Option<i64>)> = None;
        for (n, (vline, r)) in rows.iter().enumerate() {
            let bad = |reason: String| RowError {
                line: *vline,
                id: Some(group_id.clone()),
                reason,
            };
            let Some(vid) = field(r, "id") else {
                report.errors.push(bad("item without id".into()));
                continue 'group;
            };
            let (price, currency) =
                match field(r, "price").map(|s| price_with_currency(s, &opts.default_currency)) {
                    Some(Ok(pc)) => pc,
                    Some(Err(e)) => {
                        report.errors.push(bad(format!("price: {e}")));
                        continue 'group;
                    }
                    None => {
                        report.errors.push(bad("missing price".into()));
                        continue 'group;
                    }
                };
            let sale = match field(r, "sale_price").map(|s| price_with_currency(s, &currency)) {
                Some(Ok((s, _))) => Some(s),
                Some(Err(e)) => {
                    report.errors.push(bad(format!("sale_price: {e}")));
                    continue 'group;
                }
                None => None,
            };
            p.currency = currency;
            if min_price.is_none_or(|(mp, _)| price < mp) {
                min_price = Some((price, sale));
            }
            let stock =
                match field(r, "availability").map(|a| a.to_ascii_lowercase().replace('_', " ")) {
                    Some(a) if a == "in stock" => opts.assumed_stock,
                    _ => 0,
                };
            p.variants.push(Variant {
                id: vid.to_string(),
                size: field(r, "size")
                    .map(String::from)
                    .or_else(|| versions.as_ref().and_then(|(_, v)| v[n].clone())),
                color: color_value(field(r, "color")),
                stock,
                price: Some(sale.unwrap_or(price)),
                gtin: field(r, "gtin").map(String::from),
            });
        }
        if let Some((price, sale)) = min_price {
            p.price = price;
            p.sale_price = sale;
        }
        // Variants priced like the product need no own price.
        let base = p.sale_price.unwrap_or(p.price);
        for v in &mut p.variants {
            if v.price == Some(base) {
                v.price = None;
            }
        }
        out.push(Candidate { line, product: p });
    }
    out
}
