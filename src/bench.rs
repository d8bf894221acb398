//! Benchmarks behind `shopassist bench`: timings a shop can reproduce, printed as
//! text or JSON. Run them on a release build (`bench/run`).

use std::time::Instant;

use serde::Serialize;

use crate::catalog::import::{import_str, Format, ImportOptions};
use crate::catalog::Product;
use crate::eval::quantile;
use crate::search::SearchQuery;
use crate::shop::{Shop, DEMO_CATALOG};

/// Figures of the search benchmark.
#[derive(Debug, Clone, Serialize)]
pub struct SearchBench {
    pub products: usize,
    pub import_index_seconds: f64,
    pub products_per_second: f64,
    pub queries: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub index_bytes: u64,
}

impl std::fmt::Display for SearchBench {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "products          {}", self.products)?;
        writeln!(
            f,
            "import + index    {:.2} s ({:.0} products/s)",
            self.import_index_seconds, self.products_per_second
        )?;
        writeln!(
            f,
            "index size        {:.1} MB",
            self.index_bytes as f64 / 1e6
        )?;
        writeln!(f, "queries           {}", self.queries)?;
        write!(
            f,
            "search latency    p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
            self.p50_ms, self.p95_ms, self.p99_ms
        )
    }
}

/// `n` products made from the demo catalogue: copies with their own ids and an
/// edition word in the title, so the vocabulary grows with the catalogue.
pub fn synthetic_catalog(n: usize) -> String {
    let lines: Vec<&str> = DEMO_CATALOG.lines().collect();
    let mut out = String::with_capacity(n * 700);
    for i in 0..n {
        let line = lines[i % lines.len()];
        let round = i / lines.len();
        if round == 0 {
            out.push_str(line);
        } else {
            let mut p: Product = match serde_json::from_str(line) {
                Ok(p) => p,
                Err(_) => continue,
            };
            p.id = format!("{}-{round}", p.id);
            p.title = format!("{} Edition {round}", p.title);
            for v in &mut p.variants {
                v.id = format!("{}-{round}", v.id);
            }
            out.push_str(&serde_json::to_string(&p).unwrap_or_default());
        }
        out.push('\n');
    }
    out
}

/// The query mix: words alone, words with constraints, compounds, typos, English.
fn query_mix() -> Vec<SearchQuery> {
    let q = |text: &str| SearchQuery {
        text: text.into(),
        limit: 10,
        ..Default::default()
    };
    vec![
        q("Regenjacke"),
        q("wasserdichter Wintermantel"),
        SearchQuery {
            price_max: Some(20000),
            ..q("Wintermantel")
        },
        SearchQuery {
            colors: vec!["schwarz".into()],
            sizes: vec!["42".into()],
            in_stock_only: true,
            ..q("Laufschuh")
        },
        q("Mantel"),
        q("Kopfhörer bluetooth"),
        q("regenjake"),
        q("rain jacket"),
        SearchQuery {
            price_min: Some(2000),
            price_max: Some(4000),
            ..q("Schuhe")
        },
        q("Kaffeebohnen bio"),
        SearchQuery {
            category: Some("Möbel".into()),
            ..q("Holz")
        },
        q("Sommerkleid"),
        SearchQuery {
            brand: Some("Alpenwind".into()),
            ..q("Jacke")
        },
        q("Zelt 2 Personen"),
        SearchQuery {
            exclude: vec!["Leder".into()],
            ..q("Sneaker")
        },
        q("hundefutter getreidefrei"),
    ]
}

/// Imports `n` synthetic products into a scratch shop, then times `queries` searches.
pub fn search(n: usize, queries: usize) -> anyhow::Result<SearchBench> {
    let text = synthetic_catalog(n);
    let dir = tempfile::tempdir()?;
    let (shop, _) = Shop::open(dir.path())?;
    let started = Instant::now();
    let (products, report) = import_str(&text, Format::Jsonl, &ImportOptions::default())?;
    anyhow::ensure!(
        report.errors.is_empty(),
        "synthetic catalogue has bad rows: {report}"
    );
    shop.apply(&products, &[])?;
    let import_index_seconds = started.elapsed().as_secs_f64();
    let mix = query_mix();
    // Warm up the OS page cache and the searcher.
    for q in &mix {
        shop.search(q)?;
    }
    let mut times = Vec::with_capacity(queries);
    for i in 0..queries {
        let t = Instant::now();
        shop.search(&mix[i % mix.len()])?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    Ok(SearchBench {
        products: products.len(),
        import_index_seconds,
        products_per_second: products.len() as f64 / import_index_seconds,
        queries,
        p50_ms: quantile(&times, 0.5),
        p95_ms: quantile(&times, 0.95),
        p99_ms: quantile(&times, 0.99),
        index_bytes: shop.index_size(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_catalogues_have_unique_ids_and_import_cleanly() {
        let text = synthetic_catalog(7000);
        let (ps, report) = import_str(&text, Format::Jsonl, &ImportOptions::default()).unwrap();
        assert!(report.errors.is_empty(), "{report}");
        assert_eq!(ps.len(), 7000);
    }
}
