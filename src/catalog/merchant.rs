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
    let mut tag: Option<String> = None;
    // Lines are counted as the reader moves forward: counting from the start of the
    // file for every item made a 20k-item feed take 27 s.
    let mut lines = LineCounter::new(text);
    loop {
        let pos = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                let local = name.strip_prefix("g:").unwrap_or(&name).to_string();
                if local == "item" || local == "entry" {
                    // The event starts at the next '<' after the previous event's end.
                    let start = text[pos.min(text.len())..]
                        .find('<')
                        .map_or(text.len(), |o| pos + o);
                    current = Some((lines.line_at(start), HashMap::new()));
                } else if current.is_some() {
                    tag = Some(local);
                }
            }
            Ok(Event::Text(t)) => {
                if let (Some((_, row)), Some(k)) = (current.as_mut(), tag.as_ref()) {
                    let v = t.unescape().map(|c| c.into_owned()).unwrap_or_default();
                    row.insert(k.clone(), v.trim().to_string());
                }
            }
            Ok(Event::CData(t)) => {
                if let (Some((_, row)), Some(k)) = (current.as_mut(), tag.as_ref()) {
                    let v = String::from_utf8_lossy(&t).trim().to_string();
                    row.insert(k.clone(), v);
                }
            }
            Ok(Event::End(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                if name == "item" || name == "entry" {
                    if let Some(r) = current.take() {
                        report.rows += 1;
                        rows.push(r);
                    }
                }
                tag = None;
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
        let mut min_price: Option<(i64, Option<i64>)> = None;
        for (vline, r) in &rows {
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
                size: field(r, "size").map(String::from),
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
