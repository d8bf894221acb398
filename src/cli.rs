//! The commands behind `shopassist`'s subcommands (part of the binary, not the
//! library): each takes the loaded settings and its arguments, calls the library and
//! turns the outcome into an exit code.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use shopassist::config::Config;
use shopassist::models::{self, FetchOptions, FetchOutcome, FileStatus};

use crate::{ModelsAction, Which};

pub(crate) fn not_built(what: &str) -> ExitCode {
    eprintln!("shopassist {what}: not built yet");
    ExitCode::from(2)
}

pub(crate) fn serve(config: Config) -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(shopassist::daemon::run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn models_command(config: &Config, action: ModelsAction) -> ExitCode {
    let dir = &config.models_dir;
    match action {
        ModelsAction::Fetch { which } => {
            let opts = FetchOptions {
                progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            };
            for m in which.models() {
                eprintln!("{}: {}", m.name, m.description);
                match models::fetch(m, dir, &opts) {
                    Ok(FetchOutcome::AlreadyPresent(p)) => {
                        println!(
                            "{}: already present and verified at {}; nothing downloaded",
                            m.name,
                            p.display()
                        )
                    }
                    Ok(FetchOutcome::Installed { path, repaired }) => println!(
                        "{}: {} {}",
                        m.name,
                        if repaired { "repaired" } else { "installed" },
                        path.display()
                    ),
                    Err(e) => {
                        eprintln!("error: fetching model `{}` failed: {e}", m.name);
                        return ExitCode::FAILURE;
                    }
                }
            }
            ExitCode::SUCCESS
        }
        ModelsAction::List => match models::list(dir) {
            Ok(rows) => {
                for r in rows {
                    println!(
                        "{:<8} {:<10} {}  ({})",
                        r.name,
                        status_word(&r.status),
                        r.path.display(),
                        r.description
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        ModelsAction::Verify { which } => {
            let mut failed = false;
            for m in which.models() {
                let path = m.path_in(dir);
                match models::check(m, dir) {
                    Ok(FileStatus::Verified) => println!("ok       {}", path.display()),
                    Ok(FileStatus::Missing) => {
                        println!(
                            "missing  {} (run `shopassist models fetch {}`)",
                            path.display(),
                            m.name
                        );
                        // Asking for one model by name means it must be there.
                        failed |= !matches!(which, Which::All);
                    }
                    Ok(FileStatus::Corrupt { reason }) => {
                        eprintln!(
                            "CORRUPT  {}: {reason}; run `shopassist models fetch {}` to repair it",
                            path.display(),
                            m.name
                        );
                        failed = true;
                    }
                    Ok(FileStatus::Unchecked) => {}
                    Err(e) => {
                        eprintln!("error: {e}");
                        failed = true;
                    }
                }
            }
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

pub(crate) fn status_word(s: &FileStatus) -> &'static str {
    match s {
        FileStatus::Missing => "missing",
        FileStatus::Verified => "verified",
        FileStatus::Corrupt { .. } => "CORRUPT",
        FileStatus::Unchecked => "unchecked",
    }
}

pub(crate) fn index_command(
    config: &Config,
    file: Option<PathBuf>,
    mut delete: Vec<String>,
    format: Option<String>,
) -> ExitCode {
    use shopassist::catalog::import::{import_str, Format};
    if file.is_none() && delete.is_empty() {
        eprintln!("error: give a catalogue file to import or --delete ID");
        return ExitCode::from(2);
    }
    let (shop, outcome) =
        match shopassist::shop::Shop::open_with(&config.data_dir, config.database_url.as_deref()) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
    if let shopassist::search::OpenOutcome::Rebuilt(reason) = outcome {
        eprintln!("search index rebuilt: {reason}");
    }
    let mut products = Vec::new();
    let mut report = None;
    if let Some(path) = &file {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        let fmt = match format
            .as_deref()
            .map(Format::from_name)
            .unwrap_or_else(|| Format::detect(path, &text))
        {
            Some(f) => f,
            None => {
                eprintln!(
                    "error: cannot tell the format of {}; pass --format",
                    path.display()
                );
                return ExitCode::from(2);
            }
        };
        match import_str(&text, fmt, &config.import_options()) {
            Ok((p, r)) => {
                products = p;
                // What the feed now marks as not for sale leaves the store.
                delete.extend(r.withdrawn_ids());
                report = Some(r);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let bar = indicatif::ProgressBar::new(products.len() as u64);
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) && products.len() >= 1000 {
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "indexing {bar:30} {pos}/{len} products ({per_sec})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let started = std::time::Instant::now();
    let result = shop.apply_with_progress(&products, &delete, &mut |n| bar.set_position(n as u64));
    bar.finish_and_clear();
    if let Err(e) = result {
        eprintln!("error: the change did not complete: {e}. The database and the index are at their last good state; a partly applied change is finished by rebuilding the index on the next start");
        return ExitCode::FAILURE;
    }
    if let Some(r) = report {
        println!("{r}");
    }
    if !delete.is_empty() {
        println!("deleted {} product ids", delete.len());
    }
    println!(
        "{} products served; took {:.2} s",
        shop.len(),
        started.elapsed().as_secs_f64()
    );
    // The vectors now, so the daemon starts with all of them in the cache.
    let started = std::time::Instant::now();
    match wait_for_vectors(config, &shop) {
        Ok(true) => {
            let computed = shop.semantic_progress().map_or(0, |p| p.computed);
            println!(
                "product vectors ready: {computed} computed, the rest from the cache; took {:.2} s",
                started.elapsed().as_secs_f64()
            );
        }
        Ok(false) => {}
        Err(e) => eprintln!(
            "warning: product vectors not computed ({e}); the daemon computes them when it starts"
        ),
    }
    ExitCode::SUCCESS
}

/// Prints an evaluation's or benchmark's figures as text or JSON; an error exits 1.
pub(crate) fn print_json<T: serde::Serialize>(result: anyhow::Result<T>) -> ExitCode {
    match result {
        Ok(r) => {
            println!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn report<T: serde::Serialize + std::fmt::Display>(
    result: anyhow::Result<T>,
    json: bool,
) -> ExitCode {
    match result {
        Ok(r) if json => {
            println!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Ok(r) => {
            println!("{r}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn eval_command(
    config: &Config,
    kind: &str,
    file: &std::path::Path,
    sample: usize,
    seed: u64,
    min_words: usize,
    rules_only: bool,
    json: bool,
) -> ExitCode {
    use shopassist::eval::known_item;
    match kind {
        "known-item" => {
            let products = match known_item::read_products(file) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", file.display());
                    return ExitCode::FAILURE;
                }
            };
            let opts = known_item::Options {
                sample,
                seed,
                min_words,
            };
            let prepare = |shop: &shopassist::shop::Shop| -> anyhow::Result<()> {
                wait_for_vectors(config, shop)?;
                Ok(())
            };
            report(known_item::run(products, &opts, &prepare), json)
        }
        "nlu" => report(eval_nlu(config, file, rules_only), json),
        other => not_built(&format!("eval {other}")),
    }
}

pub(crate) fn eval_nlu(
    config: &Config,
    file: &std::path::Path,
    rules_only: bool,
) -> anyhow::Result<shopassist::eval::nlu::NluReport> {
    use shopassist::nlu::understand;
    let cases = shopassist::eval::nlu::read_cases(file)?;
    Ok(match understanding_model(config, rules_only)? {
        None => shopassist::eval::nlu::run("rules only", &cases, |t, l| understand(t, l, None)),
        Some((extractor, model)) => shopassist::eval::nlu::run(&model.name, &cases, |t, l| {
            understand(t, l, Some((&extractor, &model)))
        }),
    })
}

/// Loads the configured model for understanding, or none with `rules_only`.
pub(crate) fn understanding_model(
    config: &Config,
    rules_only: bool,
) -> anyhow::Result<Option<(Arc<shopassist::nlu::Extractor>, Arc<shopassist::llm::Model>)>> {
    if rules_only {
        return Ok(None);
    }
    Ok(Some(shopassist::app::understanding(config, true)?))
}

pub(crate) fn chat(
    config: &Config,
    rules_only: bool,
    voice: bool,
    customer: &str,
) -> anyhow::Result<()> {
    use shopassist::assist::{Channel, TurnInput};
    use std::io::{BufRead, Write};
    let shop = Arc::new(shopassist::app::open_shop(config)?);
    // Chat answers at once; the vectors join in the background as in the daemon.
    if let Err(e) = shopassist::app::start_semantic(config, &shop, Arc::new(|_| {}), true) {
        eprintln!("semantic search is off: {e}");
    }
    let assistant = shopassist::app::assistant(config, shop);
    if let Some((extractor, model)) = understanding_model(config, rules_only)? {
        assistant.attach_model(extractor, model);
    }
    let channel = if voice { Channel::Voice } else { Channel::Text };
    let mut session: Option<String> = None;
    // The last turn's understanding, for `/plan`.
    let mut last_plan: Option<serde_json::Value> = None;
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    loop {
        write!(out, "> ")?;
        out.flush()?;
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            return Ok(());
        }
        match line.trim() {
            "" => continue,
            "/quit" | "/exit" => return Ok(()),
            "/new" => {
                session = None;
                continue;
            }
            "/plan" => {
                match &last_plan {
                    Some(plan) => writeln!(out, "{}", serde_json::to_string_pretty(plan)?)?,
                    None => writeln!(out, "no turn yet")?,
                }
                continue;
            }
            text => match assistant.turn(TurnInput {
                session_id: session.clone(),
                customer_id: Some(customer.to_string()),
                text: text.to_string(),
                channel,
                language: None,
            }) {
                Ok(turn) => {
                    session = Some(turn.session_id.clone());
                    last_plan = Some(serde_json::to_value(&turn.understanding)?);
                    writeln!(out, "{}", turn.reply)?;
                    if turn.handoff {
                        writeln!(out, "[handed to a person]")?;
                    }
                }
                Err(e) => writeln!(out, "error: {e}")?,
            },
        }
    }
}

pub(crate) fn eval_scenarios(
    config: &Config,
    path: &std::path::Path,
    rules_only: bool,
) -> anyhow::Result<shopassist::eval::scenarios::ScenarioReport> {
    let scenarios = shopassist::eval::scenarios::read_scenarios(path)?;
    // The scenarios are written against the demo catalogue.
    let (_dir, assistant, engine) = eval_assistant(
        config,
        shopassist::shop::DEMO_CATALOG,
        shopassist::catalog::import::Format::Jsonl,
        rules_only,
    )?;
    Ok(shopassist::eval::scenarios::run(
        &engine, &assistant, &scenarios,
    ))
}

/// An assistant over `catalogue` in a fresh store and index (kept while the returned
/// directory lives), with the configured model unless `rules_only`, and the engine's
/// name for the report.
pub(crate) fn eval_assistant(
    config: &Config,
    catalogue: &str,
    format: shopassist::catalog::import::Format,
    rules_only: bool,
) -> anyhow::Result<(tempfile::TempDir, shopassist::assist::Assistant, String)> {
    use shopassist::assist::{Assistant, Templates};
    let dir = tempfile::tempdir()?;
    let (shop, _) = shopassist::shop::Shop::open(dir.path())?;
    let imported = shop.import_text(catalogue, format, &config.import_options())?;
    eprintln!("{imported}");
    wait_for_vectors(config, &shop)?;
    let shop = Arc::new(shop);
    let llm = understanding_model(config, rules_only)?;
    let engine = llm
        .as_ref()
        .map_or_else(|| "rules only".to_string(), |(_, m)| m.name.clone());
    let assistant = Assistant::new(
        shop.clone(),
        shopassist::orders::Orders::new(shop, Default::default()),
        Templates::load(Some(&config.prompts_dir)).map_err(anyhow::Error::msg)?,
        llm,
    )
    .with_type_uses_file(config.data_dir.join(shopassist::app::TYPE_USES_FILE));
    if !rules_only {
        let started = std::time::Instant::now();
        let asked = assistant.learn_type_uses();
        if asked > 0 {
            eprintln!(
                "asked the model what {asked} product types are for ({:.0} s; kept in the data directory)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok((dir, assistant, engine))
}

/// Semantic search on `shop` as configured, waiting for the vectors, with a bar
/// on a terminal (`index` and the evaluations).
fn wait_for_vectors(
    config: &Config,
    shop: &shopassist::shop::Shop,
) -> Result<bool, shopassist::app::AppError> {
    shopassist::app::semantic_blocking(
        config,
        shop,
        std::io::IsTerminal::is_terminal(&std::io::stderr()),
    )
}

/// `eval discovery`: open requests over the embedded demo catalogue.
pub(crate) fn eval_discovery(
    config: &Config,
    file: &std::path::Path,
    rules_only: bool,
) -> anyhow::Result<shopassist::eval::discovery::Report> {
    use shopassist::eval::discovery;
    let cases = discovery::read_cases(file)?;
    let (_dir, assistant, engine) = eval_assistant(
        config,
        shopassist::shop::DEMO_CATALOG,
        shopassist::catalog::import::Format::Jsonl,
        rules_only,
    )?;
    discovery::run(&engine, &assistant, &cases)
}

/// `eval specs`: superlatives, specs, heads, exact models and several steps, over the
/// WebShop catalogue (`--catalog`, else found in ../shared/data/webshop), the demo
/// catalogue or a `<name>_catalog.<jsonl|csv|tsv|xml>` beside the set, as each case names.
pub(crate) fn eval_specs(
    config: &Config,
    file: &std::path::Path,
    catalog: Option<&std::path::Path>,
    rules_only: bool,
) -> anyhow::Result<shopassist::eval::specs::Report> {
    use shopassist::catalog::import::Format;
    use shopassist::eval::{specs, webshop};
    let cases = specs::read_cases(file)?;
    let mut dirs = Vec::new();
    let mut assistants = std::collections::BTreeMap::new();
    let mut engine = String::new();
    if cases.iter().any(|c| c.catalog == "webshop") {
        let path = webshop::find_catalog(catalog, file)?;
        let products = webshop::read_catalog(&path)?;
        let (dir, assistant, name) =
            eval_assistant(config, &products.import_text, Format::WebShop, rules_only)?;
        dirs.push(dir);
        assistants.insert("webshop".to_string(), assistant);
        engine = name;
    }
    if cases.iter().any(|c| c.catalog == "demo") {
        let (dir, assistant, name) = eval_assistant(
            config,
            shopassist::shop::DEMO_CATALOG,
            Format::Jsonl,
            rules_only,
        )?;
        dirs.push(dir);
        assistants.insert("demo".to_string(), assistant);
        engine = name;
    }
    // Any other catalogue is a feed beside the set, in any format an import reads:
    // `tech` is `tech_catalog.jsonl`, `market8` is `market8_catalog.csv` (Shopify).
    let mut others: Vec<&str> = cases
        .iter()
        .map(|c| c.catalog.as_str())
        .filter(|c| !matches!(*c, "webshop" | "demo"))
        .collect();
    others.sort_unstable();
    others.dedup();
    for other in others {
        let dir = file.parent().unwrap_or(std::path::Path::new("."));
        let path = ["jsonl", "csv", "tsv", "xml"]
            .iter()
            .map(|ext| dir.join(format!("{other}_catalog.{ext}")))
            .find(|p| p.exists())
            .ok_or_else(|| {
                anyhow::anyhow!("catalogue {other:?}: no {other}_catalog.jsonl (or .csv, .tsv, .xml) beside the set")
            })?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("catalogue {other:?}: {}: {e}", path.display()))?;
        let format = Format::detect(&path, &text).ok_or_else(|| {
            anyhow::anyhow!(
                "catalogue {other:?}: cannot tell the format of {}",
                path.display()
            )
        })?;
        let (dir, assistant, name) = eval_assistant(config, &text, format, rules_only)?;
        dirs.push(dir);
        assistants.insert(other.to_string(), assistant);
        engine = name;
    }
    specs::run(&engine, &assistants, &cases)
}

pub(crate) fn eval_webshop(
    config: &Config,
    goals_path: &std::path::Path,
    catalog: Option<&std::path::Path>,
    sample: usize,
    seed: u64,
    rules_only: bool,
    keep_results: bool,
) -> anyhow::Result<shopassist::eval::webshop::WebShopReport> {
    use shopassist::eval::webshop;
    let mut goals = webshop::read_goals(goals_path)?;
    if sample > 0 && sample < goals.len() {
        let mut rng = shopassist::eval::SplitMix64::new(seed);
        for i in 0..sample {
            let j = i + rng.below(goals.len() - i);
            goals.swap(i, j);
        }
        goals.truncate(sample);
    }
    let catalog = webshop::read_catalog(&webshop::find_catalog(catalog, goals_path)?)?;
    let (_dir, assistant, engine) = eval_assistant(
        config,
        &catalog.import_text,
        shopassist::catalog::import::Format::WebShop,
        rules_only,
    )?;
    webshop::run(&engine, &assistant, &catalog, &goals, keep_results)
}

pub(crate) fn bench_command(
    config: &Config,
    what: &str,
    products: usize,
    queries: usize,
    json: bool,
) -> ExitCode {
    match what {
        "llm" => {
            let run = || -> anyhow::Result<shopassist::bench::LlmBench> {
                let path = models::resolve(
                    &config.model,
                    &config.models_dir,
                    &FetchOptions { progress: true },
                )?;
                let device =
                    shopassist::llm::model::device(config.device).map_err(anyhow::Error::msg)?;
                let threads = if config.threads == 0 {
                    std::thread::available_parallelism()
                        .map(|n| n.get())
                        .unwrap_or(1)
                } else {
                    config.threads
                };
                shopassist::bench::llm(&path, &device, threads)
            };
            report(run(), json)
        }
        "search" => report(shopassist::bench::search(products, queries), json),
        "vectors" => {
            let run = || -> anyhow::Result<shopassist::bench::VectorsBench> {
                let before = shopassist::bench::memory_mb("self").0;
                let Some((path, id)) = shopassist::models::resolve_embed(
                    &config.semantic,
                    &config.models_dir,
                    &shopassist::models::FetchOptions { progress: true },
                )?
                else {
                    anyhow::bail!("semantic search is off (semantic = off)");
                };
                let t = std::time::Instant::now();
                let embedder = Arc::new(shopassist::embed::Embedder::load(&path, id)?);
                let load = t.elapsed().as_secs_f64();
                shopassist::bench::vectors(embedder, load, before, products, 500, queries)
            };
            report(run(), json)
        }
        other => not_built(&format!("bench {other}")),
    }
}
