//! The `shopassist` command: parses the command line and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use shopassist::config::{Config, Overrides};
use shopassist::models::{self, FetchOptions, FetchOutcome, FileStatus, KnownModel, KNOWN_MODELS};

/// A local, self-hosted shopping assistant daemon.
#[derive(Parser)]
#[command(name = "shopassist", version, about)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Settings every subcommand shares; each overrides the config file and environment.
#[derive(Args)]
struct GlobalArgs {
    /// Config file (default: ./shopassist.toml if present; also SHOPASSIST_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Directory for the index and the database.
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Directory for model files.
    #[arg(long, global = true, value_name = "DIR")]
    models_dir: Option<PathBuf>,
    /// Model: default, test, a path to a .gguf, or hf:<owner>/<repo>/<file.gguf>.
    #[arg(long, global = true)]
    model: Option<String>,
    /// Device: cpu, cuda:N or metal.
    #[arg(long, global = true)]
    device: Option<String>,
    /// Inference threads (0 = one per core).
    #[arg(long, global = true)]
    threads: Option<usize>,
    /// Log format: text or json.
    #[arg(long, global = true, value_name = "text|json")]
    log_format: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP daemon.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        bind: Option<String>,
        /// Catalogue file to serve (default: the embedded demo catalogue).
        #[arg(long)]
        catalog: Option<PathBuf>,
    },
    /// Add or replace products from a catalogue file, or delete products, in the
    /// database and the search index.
    Index {
        /// The catalogue file (JSONL, CSV, Google Merchant TSV/XML, Shopify CSV).
        file: Option<PathBuf>,
        /// Product ids to delete.
        #[arg(long, value_name = "ID")]
        delete: Vec<String>,
        /// Format, when the file name does not tell (jsonl, csv, merchant_tsv, merchant_xml, shopify_csv).
        #[arg(long)]
        format: Option<String>,
    },
    /// Talk to the assistant in the terminal, without a server: the same engine,
    /// catalogue (data_dir) and database as `serve`. `/new` starts a new session,
    /// `/quit` (or end of input) leaves.
    Chat {
        /// Understand with the rules alone (no model).
        #[arg(long)]
        rules_only: bool,
        /// Answer as on the voice channel.
        #[arg(long)]
        voice: bool,
        /// The customer to act for (carts and orders need one).
        #[arg(long, default_value = "terminal")]
        customer: String,
    },
    /// Run an evaluation.
    Eval {
        /// What to evaluate: known-item, nlu, scenarios, webshop.
        kind: String,
        /// The evaluation data (known-item: ../shared/data/off_de/off_de_products.tsv;
        /// nlu: tests/data/nlu/eval.jsonl; webshop: a goals file).
        file: Option<PathBuf>,
        /// webshop: the goals file (same as the positional file).
        #[arg(long)]
        goals: Option<PathBuf>,
        /// webshop: the WebShop product file (default: products_1k_processed.json
        /// beside the goals, else in ../shared/data/webshop).
        #[arg(long)]
        catalog: Option<PathBuf>,
        /// Queries to sample (0 = all).
        #[arg(long, default_value_t = 2000)]
        sample: usize,
        /// Seed for sampling and typos.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// known-item: only names with at least this many words.
        #[arg(long, default_value_t = 1)]
        min_words: usize,
        /// nlu: rules only, no model.
        #[arg(long)]
        rules_only: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Fetch, list and verify model files.
    Models {
        #[command(subcommand)]
        action: ModelsAction,
    },
    /// Run a benchmark (build with --release first; bench/run does).
    Bench {
        /// What to measure: search or llm (the end-to-end load benchmark is
        /// `bench/run load`, a client of its own).
        what: String,
        /// Products in the synthetic catalogue (search).
        #[arg(long, default_value_t = 50_000)]
        products: usize,
        /// Searches to time (search).
        #[arg(long, default_value_t = 5_000)]
        queries: usize,
        /// Abusive turns to run (abuse).
        #[arg(long, default_value_t = 10_000)]
        turns: usize,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ModelsAction {
    /// Download, assemble and verify a model unless a verified copy is present.
    Fetch {
        #[arg(value_enum, default_value_t = Which::Default)]
        which: Which,
    },
    /// Show the known models and whether each is present and verified.
    List,
    /// Check present model files against their checksums; fails naming a bad file.
    Verify {
        #[arg(value_enum, default_value_t = Which::All)]
        which: Which,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Which {
    Default,
    Test,
    All,
}

impl Which {
    fn models(self) -> Vec<&'static KnownModel> {
        match self {
            Which::Default => KnownModel::by_name("default").into_iter().collect(),
            Which::Test => KnownModel::by_name("test").into_iter().collect(),
            Which::All => KNOWN_MODELS.iter().collect(),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let g = cli.global;
    let (bind, catalog) = match &cli.command {
        Command::Serve { bind, catalog } => (bind.clone(), catalog.clone()),
        _ => (None, None),
    };
    let overrides = Overrides {
        data_dir: g.data_dir,
        models_dir: g.models_dir,
        bind,
        model: g.model,
        device: g.device,
        threads: g.threads,
        model_queue: None,
        catalog,
        log_format: g.log_format,
        ..Default::default()
    };
    let config = match Config::load(g.config.as_deref(), std::env::vars(), overrides) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    shopassist::logging::init(config.log_format);
    if config.threads > 0 {
        // candle's CPU kernels size their thread pool from this variable; set it
        // before any pool exists (we are still single-threaded here).
        std::env::set_var("RAYON_NUM_THREADS", config.threads.to_string());
    }
    match cli.command {
        Command::Serve { .. } => serve(config),
        Command::Models { action } => models_command(&config, action),
        Command::Index {
            file,
            delete,
            format,
        } => index_command(&config, file, delete, format),
        Command::Chat {
            rules_only,
            voice,
            customer,
        } => match chat(&config, rules_only, voice, &customer) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
        Command::Eval {
            kind,
            file,
            goals,
            catalog,
            sample,
            seed,
            min_words,
            rules_only,
            json,
        } => {
            let Some(file) = goals.or(file) else {
                eprintln!("error: name the evaluation data file");
                return ExitCode::from(2);
            };
            if kind == "scenarios" {
                return report(eval_scenarios(&config, &file, rules_only), json);
            }
            if kind == "webshop" {
                return report(
                    eval_webshop(
                        &config,
                        &file,
                        catalog.as_deref(),
                        sample,
                        seed,
                        rules_only,
                        json,
                    ),
                    json,
                );
            }
            eval_command(
                &config, &kind, &file, sample, seed, min_words, rules_only, json,
            )
        }
        Command::Bench {
            what,
            products,
            queries,
            turns,
            json,
        } => match what.as_str() {
            // Figures as JSON: a table per format / one object.
            "import" => print_json(shopassist::bench::import_formats(products)),
            "abuse" => print_json(shopassist::bench::abuse(turns)),
            _ => bench_command(&config, &what, products, queries, json),
        },
    }
}

fn not_built(what: &str) -> ExitCode {
    eprintln!("shopassist {what}: not built yet");
    ExitCode::from(2)
}

fn serve(config: Config) -> ExitCode {
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

fn models_command(config: &Config, action: ModelsAction) -> ExitCode {
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

fn status_word(s: &FileStatus) -> &'static str {
    match s {
        FileStatus::Missing => "missing",
        FileStatus::Verified => "verified",
        FileStatus::Corrupt { .. } => "CORRUPT",
        FileStatus::Unchecked => "unchecked",
    }
}

fn index_command(
    config: &Config,
    file: Option<PathBuf>,
    delete: Vec<String>,
    format: Option<String>,
) -> ExitCode {
    use shopassist::catalog::import::{import_str, Format, ImportOptions};
    if file.is_none() && delete.is_empty() {
        eprintln!("error: give a catalogue file to import or --delete ID");
        return ExitCode::from(2);
    }
    let (shop, outcome) = match shopassist::shop::Shop::open(&config.data_dir) {
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
        match import_str(&text, fmt, &ImportOptions::default()) {
            Ok((p, r)) => {
                products = p;
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
    ExitCode::SUCCESS
}

/// Prints an evaluation's or benchmark's figures as text or JSON; an error exits 1.
fn print_json<T: serde::Serialize>(result: anyhow::Result<T>) -> ExitCode {
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

fn report<T: serde::Serialize + std::fmt::Display>(
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
fn eval_command(
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
            report(known_item::run(products, &opts), json)
        }
        "nlu" => report(eval_nlu(config, file, rules_only), json),
        other => not_built(&format!("eval {other}")),
    }
}

fn eval_nlu(
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
fn understanding_model(
    config: &Config,
    rules_only: bool,
) -> anyhow::Result<Option<(Arc<shopassist::nlu::Extractor>, Arc<shopassist::llm::Model>)>> {
    use shopassist::nlu::{ExtractPrompt, Extractor};
    if rules_only {
        return Ok(None);
    }
    let path = models::resolve(
        &config.model,
        &config.models_dir,
        &FetchOptions { progress: true },
    )?;
    let device = shopassist::llm::model::device(config.device).map_err(anyhow::Error::msg)?;
    let model = Arc::new(shopassist::llm::Model::load(&path, &device)?);
    let prompt = ExtractPrompt::load(Some(&config.prompts_dir)).map_err(anyhow::Error::msg)?;
    let extractor = Arc::new(Extractor::new(&model, &prompt).map_err(anyhow::Error::msg)?);
    Ok(Some((extractor, model)))
}

fn chat(config: &Config, rules_only: bool, voice: bool, customer: &str) -> anyhow::Result<()> {
    use shopassist::assist::{Assistant, Channel, Templates, TurnInput};
    use std::io::{BufRead, Write};
    let shop = Arc::new(shopassist::daemon::open_catalog(config)?);
    let orders = shopassist::orders::Orders::new(shop.clone(), config.orders());
    let llm = understanding_model(config, rules_only)?;
    let assistant = Assistant::new(
        shop,
        orders,
        Templates::load(Some(&config.prompts_dir)).map_err(anyhow::Error::msg)?,
        llm,
    )
    .with_model_phrasing(config.model_phrasing);
    let channel = if voice { Channel::Voice } else { Channel::Text };
    let mut session: Option<String> = None;
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
            text => match assistant.turn(TurnInput {
                session_id: session.clone(),
                customer_id: Some(customer.to_string()),
                text: text.to_string(),
                channel,
                language: None,
            }) {
                Ok(turn) => {
                    session = Some(turn.session_id.clone());
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

fn eval_scenarios(
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
fn eval_assistant(
    config: &Config,
    catalogue: &str,
    format: shopassist::catalog::import::Format,
    rules_only: bool,
) -> anyhow::Result<(tempfile::TempDir, shopassist::assist::Assistant, String)> {
    use shopassist::assist::{Assistant, Templates};
    let dir = tempfile::tempdir()?;
    let (shop, _) = shopassist::shop::Shop::open(dir.path())?;
    let imported = shop.import_text(catalogue, format, &Default::default())?;
    eprintln!("{imported}");
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
    );
    Ok((dir, assistant, engine))
}

fn eval_webshop(
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

fn bench_command(
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
        other => not_built(&format!("bench {other}")),
    }
}
