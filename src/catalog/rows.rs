//! What every feed reader shares: the formats, the import report with each bad row's
//! line, the options, and the row machinery (CSV/TSV records, grouping variants,
//! a blank product to fill). The readers (`import`'s own JSONL and CSV, `merchant`,
//! `shopify`, `webshop`) depend on this module; it depends on none of them.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use serde::Serialize;

use super::Product;

/// The feed formats we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Jsonl,
    Csv,
    MerchantTsv,
    MerchantXml,
    ShopifyCsv,
    /// The WebShop benchmark's JSON product array (see `catalog::webshop`).
    WebShop,
}

impl Format {
    /// Guesses the format from the file name and, for CSV, the header line.
    pub fn detect(path: &Path, head: &str) -> Option<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)?;
        Some(match ext.as_str() {
            "jsonl" | "ndjson" => Format::Jsonl,
            "json" if head.trim_start().starts_with('[') && head.contains("\"asin\"") => {
                Format::WebShop
            }
            "xml" => Format::MerchantXml,
            "tsv" | "txt" => Format::MerchantTsv,
            "csv" => {
                let first = head.lines().next().unwrap_or("");
                if first.contains("Handle") && first.contains("Variant Price") {
                    Format::ShopifyCsv
                } else {
                    Format::Csv
                }
            }
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::MerchantTsv => "merchant_tsv",
            Format::MerchantXml => "merchant_xml",
            Format::ShopifyCsv => "shopify_csv",
            Format::WebShop => "webshop",
        }
    }

    /// Parses a format name as given on the command line or in an upload.
    pub fn from_name(name: &str) -> Option<Format> {
        [
            Format::Jsonl,
            Format::Csv,
            Format::MerchantTsv,
            Format::MerchantXml,
            Format::ShopifyCsv,
            Format::WebShop,
        ]
        .into_iter()
        .find(|f| f.name() == name)
    }
}

/// A row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// 1-based line in the file (for XML, the line the `<item>` starts on).
    pub line: usize,
    /// The product id, when the row had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub reason: String,
}

/// What an import did: the products read and every row it skipped, with why.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub format: Option<Format>,
    /// Rows (or items) read, good and bad.
    pub rows: usize,
    /// Products that passed validation.
    pub imported: usize,
    pub errors: Vec<RowError>,
    /// Products the feed itself marks as not for sale (a Shopify draft or archived
    /// product): read, not imported, and taken out of the store if it held them. Not
    /// errors: the shop chose it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withdrawn: Vec<RowError>,
}

impl ImportReport {
    /// The ids of the products the feed withdrew: an import takes them out of the store.
    pub fn withdrawn_ids(&self) -> Vec<String> {
        self.withdrawn.iter().filter_map(|w| w.id.clone()).collect()
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.errors {
            match &e.id {
                Some(id) => writeln!(f, "line {}: product {id}: {}", e.line, e.reason)?,
                None => writeln!(f, "line {}: {}", e.line, e.reason)?,
            }
        }
        write!(
            f,
            "imported {} products from {} rows ({}), {} rows rejected",
            self.imported,
            self.rows,
            self.format.map(Format::name).unwrap_or("?"),
            self.errors.len()
        )?;
        if !self.withdrawn.is_empty() {
            write!(
                f,
                ", {} not for sale ({})",
                self.withdrawn.len(),
                self.withdrawn
                    .iter()
                    .map(|w| format!("{}: {}", w.id.as_deref().unwrap_or("?"), w.reason))
                    .collect::<Vec<_>>()
                    .join("; ")
            )?;
        }
        Ok(())
    }
}

/// Settings of an import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Currency for feeds that carry none (Shopify CSV).
    pub default_currency: String,
    /// Units assumed in stock for feeds that only say "in stock" (Google Merchant).
    pub assumed_stock: u32,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            default_currency: "EUR".into(),
            assumed_stock: 10,
        }
    }
}

/// Why a whole import failed (not a bad row: those go into the report).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot tell the format of {0}; use .jsonl, .csv, .tsv or .xml")]
    UnknownFormat(String),
    #[error("{0}")]
    Malformed(String),
}

/// A product read from a row, with the line it started on, before validation.
pub(crate) struct Candidate {
    pub line: usize,
    pub product: Product,
}

/// A feed row: its 1-based line number and its fields by header name.
pub(crate) type Row = (usize, HashMap<String, String>);

/// Reads a CSV (or TSV) into header-keyed rows with their 1-based line numbers.
pub(crate) fn records(
    text: &str,
    delimiter: u8,
    report: &mut ImportReport,
) -> Result<Vec<Row>, ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .quoting(delimiter != b'\t')
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| ImportError::Malformed(format!("cannot read the header line: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut out = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map(|p| p.line() as usize).unwrap_or(0);
                report.rows += 1;
                if r.len() != headers.len() {
                    report.errors.push(RowError {
                        line,
                        id: None,
                        reason: format!("{} fields, the header has {}", r.len(), headers.len()),
                    });
                    continue;
                }
                let map = headers
                    .iter()
                    .cloned()
                    .zip(r.iter().map(|v| v.trim().to_string()))
                    .collect();
                out.push((line, map));
            }
            Err(e) => {
                report.rows += 1;
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                report.errors.push(RowError {
                    line,
                    id: None,
                    reason: format!("unreadable row: {e}"),
                });
            }
        }
    }
    Ok(out)
}

/// The value of `key` in a row, `None` when absent or blank.
pub(crate) fn field<'a>(row: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    row.get(key).map(String::as_str).filter(|s| !s.is_empty())
}

/// Groups rows into products by `key`, keeping first-seen order. Rows after the first
/// contribute variants; a row without the key is reported.
pub(crate) fn group_rows<'a>(
    rows: &'a [Row],
    key: impl Fn(&HashMap<String, String>) -> Option<String>,
    report: &mut ImportReport,
) -> Vec<(String, Vec<&'a Row>)> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<&Row>> = HashMap::new();
    for r in rows {
        match key(&r.1) {
            Some(k) => {
                if !groups.contains_key(&k) {
                    order.push(k.clone());
                }
                groups.entry(k).or_default().push(r);
            }
            None => report.errors.push(RowError {
                line: r.0,
                id: None,
                reason: "missing id".into(),
            }),
        }
    }
    order
        .into_iter()
        .map(|k| {
            let g = groups.remove(&k).unwrap_or_default();
            (k, g)
        })
        .collect()
}

/// An empty product to fill field by field.
pub(crate) fn blank(id: &str, currency: &str) -> Product {
    Product {
        id: id.to_string(),
        title: String::new(),
        title_en: None,
        description: String::new(),
        brand: None,
        category: vec![],
        price: 0,
        sale_price: None,
        currency: currency.to_string(),
        variants: vec![],
        material: None,
        attributes: BTreeMap::new(),
        rating: None,
        review_count: 0,
        image_url: None,
        // Read from the text at the end of the import, unless the feed gives it.
        language: String::new(),
        reorder_interval_days: None,
    }
}

/// Splits a category path written as `A > B > C` (or with `/`).
pub(crate) fn category_path(s: &str) -> Vec<String> {
    s.split(['>', '/'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

/// A colour value as the shop wrote it; the canonical form is derived when indexing.
pub(crate) fn color_value(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}
