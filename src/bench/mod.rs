//! Benchmarks behind `shopassist bench`: timings a shop can reproduce, printed as
//! text or JSON. Run them on a release build (`bench/run`).

mod vectors;
pub use vectors::{vectors, VectorsBench};

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
    fn the_top_logits_are_highest_first_and_nan_never_wins() {
        let logits = [0.5, f32::NAN, 2.0, -1.0, 2.0, 1.5];
        assert_eq!(
            top(&logits, 3),
            vec![2, 4, 5],
            "ties keep the first index first"
        );
        assert_eq!(argmax(&logits), 2);
        assert_eq!(argmax(&[f32::NAN, -3.0]), 1);
        assert_eq!(top(&logits, 10).len(), 5, "NaN is left out");
    }

    #[test]
    fn synthetic_catalogues_have_unique_ids_and_import_cleanly() {
        let text = synthetic_catalog(7000);
        let (ps, report) = import_str(&text, Format::Jsonl, &ImportOptions::default()).unwrap();
        assert!(report.errors.is_empty(), "{report}");
        assert_eq!(ps.len(), 7000);
    }
}

/// Figures of the LLM benchmark.
#[derive(Debug, Clone, Serialize)]
pub struct LlmBench {
    pub model: String,
    pub architecture: String,
    /// The weights were dequantised to f32 on load (a GPU), not kept quantised.
    pub dequantised: bool,
    pub threads: usize,
    pub load_seconds: f64,
    pub prompt_tokens: usize,
    pub prompt_tokens_per_second: f64,
    pub generated_tokens: usize,
    pub generate_tokens_per_second: f64,
    /// A 25-token request after the fixed prompt: with the prompt cached, and without.
    pub request_with_cached_prefix_ms: f64,
    pub request_without_cache_ms: f64,
    pub peak_rss_mb: f64,
    /// On a GPU: how its output compares with the CPU's on the same file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parity: Option<DeviceParity>,
}

impl std::fmt::Display for LlmBench {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "model             {} ({}), {} weights, {} threads",
            self.model,
            self.architecture,
            if self.dequantised { "f32" } else { "quantised" },
            self.threads
        )?;
        writeln!(f, "load              {:.2} s", self.load_seconds)?;
        writeln!(
            f,
            "prompt            {} tokens at {:.1} tok/s",
            self.prompt_tokens, self.prompt_tokens_per_second
        )?;
        writeln!(
            f,
            "generate          {} tokens at {:.1} tok/s",
            self.generated_tokens, self.generate_tokens_per_second
        )?;
        writeln!(
            f,
            "25-token request  {:.0} ms with the prefix cached, {:.0} ms without",
            self.request_with_cached_prefix_ms, self.request_without_cache_ms
        )?;
        write!(f, "peak RSS          {:.0} MB", self.peak_rss_mb)?;
        if let Some(p) = &self.parity {
            write!(f, "\n{p}")?;
        }
        Ok(())
    }
}

/// How a model's output on a GPU compares with the CPU's, on the benchmark prompt.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceParity {
    pub device: String,
    pub prompt_tokens: usize,
    /// The largest difference of one logit at the prompt's last position, and the
    /// spread of the CPU's logits there (max − min), for scale. NaN where the GPU gave
    /// a logit that is not a number.
    pub max_abs_logit_diff: f32,
    pub cpu_logit_range: f32,
    /// The five highest logits name the same tokens in the same order.
    pub same_top5: bool,
    /// Greedy tokens run on each device, and how many agree from the first on.
    pub greedy_tokens: usize,
    pub greedy_agree: usize,
    /// The largest logit difference of each device from the same file with every
    /// weight dequantised to f32, run on the CPU: the quantised paths approximate it
    /// in different ways, so this says which of the two strays where they disagree.
    pub gpu_vs_reference: f32,
    pub cpu_vs_reference: f32,
    /// The five highest logits of each device name the reference's five.
    pub gpu_top5_as_reference: bool,
    pub cpu_top5_as_reference: bool,
}

impl std::fmt::Display for DeviceParity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} vs cpu      max |Δ logit| {:.4} (cpu logits span {:.2}), top 5 {}",
            self.device,
            self.max_abs_logit_diff,
            self.cpu_logit_range,
            if self.same_top5 { "the same" } else { "differ" }
        )?;
        write!(
            f,
            "greedy            {} of {} tokens the same from the first",
            self.greedy_agree, self.greedy_tokens
        )?;
        let same = |b: bool| if b { "the same" } else { "differ" };
        write!(
            f,
            "\nvs f32 weights    {} max |Δ logit| {:.4}, top 5 {}; cpu {:.4}, top 5 {}",
            self.device,
            self.gpu_vs_reference,
            same(self.gpu_top5_as_reference),
            self.cpu_vs_reference,
            same(self.cpu_top5_as_reference)
        )
    }
}

/// Runs the benchmark prompt through `gpu` and through the same file (`path`) loaded
/// on the CPU, compares the last position's logits, and generates `greedy` tokens
/// greedily on each.
fn device_parity(
    gpu: &crate::llm::Model,
    path: &std::path::Path,
    greedy: usize,
) -> anyhow::Result<DeviceParity> {
    use crate::llm::Model;
    let cpu = Model::load(path, &candle_core::Device::Cpu)?;
    tracing::info!(stage = "parity: the CPU's model loaded", "bench llm");
    let tokens = cpu.encode(BENCH_PROMPT).map_err(anyhow::Error::msg)?;
    // Logits of the last position, then `greedy` tokens, on one device.
    let run = |model: &Model| -> anyhow::Result<(Vec<f32>, Vec<u32>)> {
        let mut weights = model.weights.clone();
        let first = weights
            .forward(&tokens, 0, &model.device)?
            .to_dtype(candle_core::DType::F32)?
            .to_vec1::<f32>()?;
        let mut logits = first.clone();
        let mut out = Vec::with_capacity(greedy);
        for i in 0..greedy {
            let next = argmax(&logits);
            out.push(next);
            logits = weights
                .forward(&[next], tokens.len() + i, &model.device)?
                .to_dtype(candle_core::DType::F32)?
                .to_vec1::<f32>()?;
        }
        Ok((first, out))
    };
    let (cpu_logits, cpu_tokens) = run(&cpu)?;
    tracing::info!(stage = "parity: the CPU's run", "bench llm");
    let (gpu_logits, gpu_tokens) = run(gpu)?;
    tracing::info!(stage = "parity: the GPU's run", "bench llm");
    anyhow::ensure!(
        cpu_logits.len() == gpu_logits.len(),
        "the devices gave {} and {} logits",
        cpu_logits.len(),
        gpu_logits.len()
    );
    let reference = dequantised_logits(path, &tokens)?;
    tracing::info!(stage = "parity: the f32 reference", "bench llm");
    let max_abs_logit_diff = max_abs_diff(&cpu_logits, &gpu_logits);
    let (lo, hi) = cpu_logits
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        });
    Ok(DeviceParity {
        device: format!("{:?}", gpu.device.location()),
        prompt_tokens: tokens.len(),
        max_abs_logit_diff,
        cpu_logit_range: hi - lo,
        same_top5: top(&cpu_logits, 5) == top(&gpu_logits, 5),
        greedy_tokens: greedy,
        greedy_agree: cpu_tokens
            .iter()
            .zip(&gpu_tokens)
            .take_while(|(a, b)| a == b)
            .count(),
        gpu_vs_reference: max_abs_diff(&gpu_logits, &reference),
        cpu_vs_reference: max_abs_diff(&cpu_logits, &reference),
        gpu_top5_as_reference: top(&gpu_logits, 5) == top(&reference, 5),
        cpu_top5_as_reference: top(&cpu_logits, 5) == top(&reference, 5),
    })
}

/// The largest difference of two logit vectors; NaN when either holds one
/// (`f32::max` would drop it and report 0).
fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return f32::NAN;
    }
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0f32, |m, d| if d.is_nan() || d > m { d } else { m })
}

/// The last position's logits of `tokens` from the file at `path` with every weight
/// dequantised to f32, on the CPU.
fn dequantised_logits(path: &std::path::Path, tokens: &[u32]) -> anyhow::Result<Vec<f32>> {
    let cpu = candle_core::Device::Cpu;
    let model = crate::llm::Model::load_dequantised(path, &cpu)?;
    let mut weights = model.weights.clone();
    Ok(weights
        .forward(tokens, 0, &cpu)?
        .to_dtype(candle_core::DType::F32)?
        .to_vec1::<f32>()?)
}

/// The index of the highest value (the first of equals); NaN never wins.
fn argmax(values: &[f32]) -> u32 {
    top(values, 1).first().copied().unwrap_or(0)
}

/// The indices of the `n` highest values, highest first.
fn top(values: &[f32], n: usize) -> Vec<u32> {
    let mut idx: Vec<u32> = (0..values.len() as u32).collect();
    idx.sort_by(|&a, &b| {
        let (x, y) = (values[a as usize], values[b as usize]);
        y.total_cmp(&x).then(a.cmp(&b))
    });
    idx.retain(|&i| !values[i as usize].is_nan());
    idx.truncate(n);
    idx
}

/// A fixed prompt of about 300 tokens: instructions plus a few catalogue lines.
const BENCH_PROMPT: &str = "<|im_start|>system\nYou are the shopping assistant of a German online shop. You answer in the shopper's language, German or English, briefly and politely. You only state facts from the catalogue lines below; you never invent products, prices or stock. If you do not know, say so.\nCatalogue:\n1. Regenjacke Nordkap, Alpenwind, 163,95 EUR, wasserdicht, Kapuze, Größen L, XL, XXL, Farbe Weiß.\n2. Wintermantel Polar, Hanseatic, 189,99 EUR, gefüttert, wasserdicht, Größen S bis XL, Farben Schwarz und Grau.\n3. Softshelljacke Föhn, Bergzeit, 79,99 EUR, winddicht, nicht wasserdicht, Größen M, L.\n4. Laufschuh Sprint, Fitfuß, 89,95 EUR, Dämpfung hoch, Größen 40 bis 45, Farbe Blau.\n5. Wanderschuh Gipfel, Trailwerk, 129,00 EUR, wasserdicht, Größen 41 bis 46, Farbe Braun.\n6. Kaffeebohnen Röstwerk, 1 kg, 14,99 EUR, bio, dunkle Röstung.\n7. Thermoskanne Küchenfreund, 24,00 EUR, 1 Liter, hält 12 Stunden warm.\n8. Fleecejacke Berg, Bergwerk, 39,99 EUR, Polyester, Größen S und M, Farbe Grün.<|im_end|>\n<|im_start|>user\nWelche der Jacken ist wasserdicht und kostet weniger als 200 Euro? Bitte erkläre kurz, warum sie passt, und nenne die verfügbaren Größen und Farben.<|im_end|>\n<|im_start|>assistant\n";

/// A 25-token shopper message, for the cached-prefix request.
const BENCH_REQUEST: &str = "Ich brauche einen wasserdichten Wintermantel unter 200 Euro in Größe M, am liebsten in Schwarz.";

fn peak_rss_mb() -> f64 {
    memory_mb("self").1
}

/// Resident and peak resident memory (`VmRSS`, `VmHWM`) of a process (`"self"` or a
/// pid) in MB, from `/proc`; NaN where unreadable.
pub fn memory_mb(pid: &str) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Loads `path`, then times prompt processing, generation and a cached-prefix request;
/// on a GPU, also compares its output with the CPU's ([`DeviceParity`]).
pub fn llm(
    path: &std::path::Path,
    device: &candle_core::Device,
    threads: usize,
) -> anyhow::Result<LlmBench> {
    use crate::llm::{GenerateOptions, Model};
    let started = Instant::now();
    let model = Model::load(path, device)?;
    let load_seconds = started.elapsed().as_secs_f64();
    tracing::info!(stage = "load", seconds = load_seconds, "bench llm");

    // Prompt processing: one forward pass over the whole prompt.
    let t = Instant::now();
    let prefix = model.cache_prefix(BENCH_PROMPT)?;
    // A GPU runs asynchronously: the time counts once its work is done.
    device.synchronize()?;
    let prompt_seconds = t.elapsed().as_secs_f64();
    let prompt_tokens = prefix.tokens.len();
    // Stages are logged as they end: a run that outlasts its limit (one did on a
    // GPU) says where the time went.
    tracing::info!(stage = "prompt", seconds = prompt_seconds, "bench llm");

    // Generation: 64 tokens after the prompt (fewer if the model stops).
    let opts = GenerateOptions {
        max_tokens: 64,
        ..Default::default()
    };
    let t = Instant::now();
    let gen = model.generate(Some(&prefix), "", &opts, |_| true)?;
    let gen_seconds = t.elapsed().as_secs_f64();
    tracing::info!(stage = "generate", seconds = gen_seconds, "bench llm");

    // A short request after the fixed prompt, with and without the prompt cached.
    let one = GenerateOptions {
        max_tokens: 1,
        ..Default::default()
    };
    let system_end = BENCH_PROMPT.find("<|im_start|>user").unwrap_or(0);
    let fixed = &BENCH_PROMPT[..system_end];
    let request = format!("<|im_start|>user\n{BENCH_REQUEST}<|im_end|>\n<|im_start|>assistant\n");
    let cached = model.cache_prefix(fixed)?;
    let t = Instant::now();
    model.generate(Some(&cached), &request, &one, |_| true)?;
    let with_cache = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    model.generate(None, &format!("{fixed}{request}"), &one, |_| true)?;
    let without_cache = t.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(stage = "requests", "bench llm");

    // Read before the comparison loads the model a second time, on the CPU.
    let peak_rss_mb = peak_rss_mb();
    let parity = if device.is_cpu() {
        None
    } else {
        Some(device_parity(&model, path, 32)?)
    };
    Ok(LlmBench {
        model: model.name.clone(),
        architecture: model.architecture.clone(),
        dequantised: model.dequantised,
        threads,
        load_seconds,
        prompt_tokens,
        prompt_tokens_per_second: prompt_tokens as f64 / prompt_seconds,
        generated_tokens: gen.tokens.len(),
        generate_tokens_per_second: gen.tokens.len() as f64 / gen_seconds,
        request_with_cached_prefix_ms: with_cache,
        request_without_cache_ms: without_cache,
        peak_rss_mb,
        parity,
    })
}

/// Import throughput of one format.
#[derive(Debug, serde::Serialize)]
pub struct ImportFigure {
    pub format: String,
    pub products: usize,
    pub bytes: usize,
    pub parse_seconds: f64,
    pub products_per_second: f64,
}

/// `n` products (two variants each where the format has variants) written in every
/// import format, from the same synthetic catalogue.
fn feeds(n: usize) -> Vec<(crate::catalog::import::Format, String)> {
    use crate::catalog::import::Format;
    use std::fmt::Write as _;
    let products: Vec<Product> = synthetic_catalog(n)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let clean = |s: &str| s.replace(['\t', '\n', '"', ',', '<', '>', '&'], " ");
    let money = |m: i64| format!("{}.{:02}", m / 100, m % 100);
    let mut jsonl = String::new();
    let mut csv = String::from(
        "id,variant_id,title,description,brand,category,price,currency,size,color,stock\n",
    );
    let mut tsv = String::from("id\ttitle\tdescription\tavailability\tprice\tbrand\titem_group_id\tcolor\tsize\tproduct_type\n");
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<rss xmlns:g=\"http://base.google.com/ns/1.0\" version=\"2.0\">\n<channel>\n<title>Bench</title>\n");
    let mut shopify = String::from("Handle,Title,Body (HTML),Vendor,Type,Tags,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Price\n");
    let mut webshop = Vec::new();
    for p in &products {
        jsonl.push_str(&serde_json::to_string(p).unwrap_or_default());
        jsonl.push('\n');
        let (title, desc) = (clean(&p.title), clean(&p.description));
        let brand = clean(p.brand.as_deref().unwrap_or(""));
        let category = clean(&p.category.join(" > "));
        let price = money(p.price);
        for (i, v) in p.variants.iter().enumerate().take(2) {
            let size = clean(v.size.as_deref().unwrap_or(""));
            let color = clean(v.color.as_deref().unwrap_or(""));
            let vid = format!("{}-v{i}", p.id);
            let _ = writeln!(
                csv,
                "{},{vid},{title},{desc},{brand},{category},{price},EUR,{size},{color},{}",
                p.id, v.stock
            );
            let avail = if v.stock > 0 {
                "in stock"
            } else {
                "out of stock"
            };
            let _ = writeln!(tsv, "{vid}\t{title}\t{desc}\t{avail}\t{price} EUR\t{brand}\t{}\t{color}\t{size}\t{category}", p.id);
            let _ = writeln!(xml, "<item>\n  <g:id>{vid}</g:id>\n  <title>{title}</title>\n  <description>{desc}</description>\n  <g:price>{price} EUR</g:price>\n  <g:availability>{avail}</g:availability>\n  <g:item_group_id>{}</g:item_group_id>\n  <g:size>{size}</g:size>\n  <g:color>{color}</g:color>\n  <g:brand>{brand}</g:brand>\n  <g:product_type>{category}</g:product_type>\n</item>", p.id);
            let size_or_one = if size.is_empty() {
                format!("Standard {i}")
            } else {
                format!("{size} {i}")
            };
            let head = if i == 0 {
                format!("{title},{desc},{brand},{category},,Größe")
            } else {
                ",,,,,".into()
            };
            let _ = writeln!(
                shopify,
                "{},{head},{size_or_one},{vid},{},{price}",
                p.id.to_ascii_lowercase(),
                v.stock
            );
        }
        webshop.push(serde_json::json!({
            "asin": p.id, "name": p.title, "Description": p.description,
            "BulletPoints": [p.description], "pricing": [p.price as f64 / 100.0],
            "product_category": p.category.join(" › "), "customization_options": {},
        }));
    }
    xml.push_str("</channel>\n</rss>\n");
    vec![
        (Format::Jsonl, jsonl),
        (Format::Csv, csv),
        (Format::MerchantTsv, tsv),
        (Format::MerchantXml, xml),
        (Format::ShopifyCsv, shopify),
        (
            Format::WebShop,
            serde_json::to_string(&webshop).unwrap_or_default(),
        ),
    ]
}

/// Parses `n` products in every import format and times it (the parse and validation
/// of `import_str`; writing the database and index is the same for every format and
/// measured by `bench search`'s index build).
pub fn import_formats(n: usize) -> anyhow::Result<Vec<ImportFigure>> {
    let mut out = Vec::new();
    for (format, text) in feeds(n) {
        let started = Instant::now();
        let (products, report) =
            crate::catalog::import::import_str(&text, format, &Default::default())?;
        let secs = started.elapsed().as_secs_f64();
        if products.is_empty() {
            anyhow::bail!(
                "{format:?}: nothing imported ({} errors, first: {:?})",
                report.errors.len(),
                report.errors.first()
            );
        }
        out.push(ImportFigure {
            format: format!("{format:?}"),
            products: products.len(),
            bytes: text.len(),
            parse_seconds: secs,
            products_per_second: products.len() as f64 / secs.max(1e-9),
        });
    }
    Ok(out)
}

/// The database after a run of abusive turns.
#[derive(Debug, serde::Serialize)]
pub struct AbuseFigure {
    pub turns: usize,
    pub sessions: usize,
    pub seconds: f64,
    pub database_mb: f64,
    pub transcript_mb: f64,
    pub events_mb: f64,
    pub outbox_rows: i64,
}

/// `turns` turns of "wtf" + 1,990 characters (the handoff path), 150 a session, over
/// the demo catalogue in a fresh data directory, rules only; then the database's size.
pub fn abuse(turns: usize) -> anyhow::Result<AbuseFigure> {
    use crate::assist::{Assistant, Channel, Templates, TurnInput};
    let dir = tempfile::tempdir()?;
    let (shop, _) = Shop::open(dir.path())?;
    shop.import_text(
        DEMO_CATALOG,
        crate::catalog::import::Format::Jsonl,
        &Default::default(),
    )?;
    let shop = std::sync::Arc::new(shop);
    let orders = crate::orders::Orders::new(shop.clone(), Default::default());
    let a = Assistant::new(
        shop,
        orders,
        Templates::load(None).map_err(anyhow::Error::msg)?,
        None,
    );
    let text = format!("wtf {}", "x".repeat(1990));
    let started = Instant::now();
    let mut session = None;
    let mut sessions = 0;
    for i in 0..turns {
        if i % 150 == 0 {
            session = None;
            sessions += 1;
        }
        let out = a.turn(TurnInput {
            session_id: session.clone(),
            customer_id: Some(format!("troll{sessions}")),
            text: text.clone(),
            channel: Channel::Text,
            language: None,
        })?;
        session = Some(out.session_id);
    }
    let seconds = started.elapsed().as_secs_f64();
    let db = rusqlite::Connection::open(dir.path().join("shopassist.sqlite3"))?;
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let one = |sql: &str| -> anyhow::Result<i64> { Ok(db.query_row(sql, [], |r| r.get(0))?) };
    let mb = |b: i64| b as f64 / 1e6;
    let size = std::fs::metadata(dir.path().join("shopassist.sqlite3"))?.len() as i64;
    Ok(AbuseFigure {
        turns,
        sessions,
        seconds,
        database_mb: mb(size),
        transcript_mb: mb(one(
            "SELECT COALESCE(SUM(LENGTH(text)), 0) FROM transcript",
        )?),
        events_mb: mb(one(
            "SELECT COALESCE(SUM(LENGTH(data_json)), 0) FROM events",
        )?),
        outbox_rows: one("SELECT COUNT(*) FROM webhook_outbox")?,
    })
}
