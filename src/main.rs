//! The `shopassist` command: parses the command line and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use shopassist::config::{Config, Overrides};
use shopassist::models::{KnownModel, KNOWN_MODELS};

mod cli;
use cli::*;

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
    /// `/plan` shows how the last message was understood (the turn's `understanding`),
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
        /// What to evaluate: discovery, known-item, nlu, scenarios, specs, webshop.
        kind: String,
        /// The evaluation data (known-item: ../shared/data/off_de/off_de_products.tsv;
        /// nlu: tests/data/nlu/eval.jsonl; discovery: tests/data/discovery/dev.jsonl;
        /// specs: tests/data/specs/dev.jsonl;
        /// webshop: a goals file).
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
        /// known-item: only names with at least this many words (3 since issue 18:
        /// with two, dropping one leaves a word many products share).
        #[arg(long, default_value_t = 3)]
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
    /// Qwen2.5-Coder-1.5B (`quality` is its former name).
    #[value(alias = "quality")]
    Default,
    /// Qwen2.5-Coder-0.5B: half the memory, weaker ideas (BENCHMARKS.md).
    Small,
    Test,
    /// The embedding model of semantic search.
    Embed,
    All,
}

impl Which {
    fn models(self) -> Vec<&'static KnownModel> {
        match self {
            Which::Default => KnownModel::by_name("default").into_iter().collect(),
            Which::Small => KnownModel::by_name("small").into_iter().collect(),
            Which::Test => KnownModel::by_name("test").into_iter().collect(),
            Which::Embed => KnownModel::by_name("embed").into_iter().collect(),
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
    if let Err(e) = shopassist::nlu::install_prompts(Some(&config.prompts_dir)) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    // We are still single-threaded here: the variables candle reads are set before
    // any thread or pool exists.
    if config.threads > 0 {
        // candle's CPU kernels size their thread pool from this variable.
        std::env::set_var("RAYON_NUM_THREADS", config.threads.to_string());
    } else if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        // Without it, candle counts the physical cores by reading /proc/cpuinfo at
        // every float matmul (prompts, the embedding model): 41,904 reads in 30 s
        // of the test model's generation before its attention became ours
        // (BENCHMARKS.md), each longer where there are more cores. Its own count,
        // taken once.
        let n = candle_core::utils::get_num_threads();
        std::env::set_var("RAYON_NUM_THREADS", n.to_string());
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
            if kind == "discovery" {
                return report(eval_discovery(&config, &file, rules_only), json);
            }
            if kind == "specs" {
                return report(
                    eval_specs(&config, &file, catalog.as_deref(), rules_only),
                    json,
                );
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
