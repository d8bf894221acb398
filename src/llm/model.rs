//! A loaded model: quantized weights for one of the supported architectures, the
//! tokenizer and chat template from the same GGUF, and the forward pass.

use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::str::FromStr;

use candle_core::quantized::gguf_file;
use candle_core::quantized::tokenizer::TokenizerFromGguf;
use candle_core::{Device, Tensor};
use candle_transformers::models::{quantized_gemma3, quantized_qwen3};
use tokenizers::Tokenizer;

use super::gguf::{read_header, LoadError};
use super::prompt_cache::PromptCache;
use super::{llama, qwen2};

/// Where the model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceChoice {
    Cpu,
    Cuda(usize),
    Metal,
}

impl FromStr for DeviceChoice {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "cpu" => Ok(DeviceChoice::Cpu),
            "metal" => Ok(DeviceChoice::Metal),
            "cuda" => Ok(DeviceChoice::Cuda(0)),
            other => match other.strip_prefix("cuda:").map(str::parse::<usize>) {
                Some(Ok(n)) => Ok(DeviceChoice::Cuda(n)),
                _ => Err(format!("`{other}` is not one of cpu, cuda:N, metal")),
            },
        }
    }
}

impl fmt::Display for DeviceChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceChoice::Cpu => f.write_str("cpu"),
            DeviceChoice::Cuda(n) => write!(f, "cuda:{n}"),
            DeviceChoice::Metal => f.write_str("metal"),
        }
    }
}

/// The weights of one architecture. Cloning is cheap (weights are shared) and copies
/// the KV cache, which is how a cached prompt prefix is reused.
#[derive(Debug, Clone)]
pub enum Weights {
    Llama(llama::ModelWeights),
    Qwen2(qwen2::ModelWeights),
    /// Upstream candle; on CPU its KV cache concatenates, so a clone is independent.
    Qwen3(quantized_qwen3::ModelWeights),
    /// Upstream candle; KV cache by concatenation, as above.
    Gemma3(quantized_gemma3::ModelWeights),
}

impl Weights {
    /// Runs `tokens` starting at position `pos`; returns the logits of the last one.
    pub fn forward(
        &mut self,
        tokens: &[u32],
        pos: usize,
        device: &Device,
    ) -> candle_core::Result<Tensor> {
        let input = Tensor::new(tokens, device)?.unsqueeze(0)?;
        let logits = match self {
            Weights::Llama(m) => m.forward(&input, pos)?,
            Weights::Qwen2(m) => m.forward(&input, pos)?,
            Weights::Qwen3(m) => m.forward(&input, pos)?,
            Weights::Gemma3(m) => m.forward(&input, pos)?,
        };
        logits.squeeze(0)
    }

    /// Whether the engine can read and install this architecture's KV cache (for the
    /// prompt cache on disk).
    pub fn has_kv_access(&self) -> bool {
        matches!(self, Weights::Qwen2(_))
    }

    /// Every layer's KV cache, where the engine can read it and it is filled.
    pub fn kv_cache(&self) -> Option<Vec<(Tensor, Tensor)>> {
        match self {
            Weights::Qwen2(m) => m.kv_cache(),
            _ => None,
        }
    }

    /// Installs a KV cache read by [`Self::kv_cache`] from the same model.
    pub fn set_kv_cache(&mut self, cache: Vec<(Tensor, Tensor)>) -> candle_core::Result<()> {
        match self {
            Weights::Qwen2(m) => m.set_kv_cache(cache),
            _ => candle_core::bail!("this architecture's KV cache cannot be installed"),
        }
    }
}

/// A model ready to generate.
#[derive(Clone)]
pub struct Model {
    pub weights: Weights,
    pub tokenizer: Tokenizer,
    pub device: Device,
    pub architecture: String,
    /// Tokens that end generation (the GGUF's eos and the chat end-of-turn token).
    pub stop_tokens: Vec<u32>,
    /// The Jinja chat template from the GGUF, if it has one.
    pub chat_template: Option<String>,
    pub bos_token: String,
    pub eos_token: String,
    /// File name, for `/v1/models` and logs.
    pub name: String,
    /// Where prompt prefixes' states are saved and restored; `None` computes them
    /// every time (set by the daemon, not by [`Model::load`]).
    pub prompt_cache: Option<PromptCache>,
    /// The weight matrices were dequantised to f32 when loaded (on a GPU, see
    /// [`Model::load`]); otherwise they stay in the file's quantised formats.
    pub dequantised: bool,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("name", &self.name)
            .field("architecture", &self.architecture)
            .finish()
    }
}

/// Selects the candle device for a configured choice. GPU devices need the matching
/// cargo feature; without it this is an error naming the feature.
pub fn device(choice: DeviceChoice) -> Result<Device, String> {
    match choice {
        DeviceChoice::Cpu => Ok(Device::Cpu),
        DeviceChoice::Cuda(n) => {
            Device::new_cuda(n).map_err(|e| format!("cuda:{n}: {e} (build with --features cuda)"))
        }
        DeviceChoice::Metal => {
            Device::new_metal(0).map_err(|e| format!("metal: {e} (build with --features metal)"))
        }
    }
}

impl Model {
    /// Loads weights, tokenizer and template from a GGUF file.
    ///
    /// On the CPU the weights stay quantised. On a GPU they are dequantised to f32
    /// where they fit: candle's quantised GPU products stray from the file's own
    /// arithmetic (the test model on an H200: max |Δ logit| 1.12 from the f32
    /// weights' logits, top 5 reordered, 8 of 32 greedy tokens as on the CPU, whose
    /// quantised products stay within 0.52 with the same top 5), while f32 weights
    /// give the reference's logits and ran faster there (BENCHMARKS.md, fifth
    /// session). A GPU too small for them gets the quantised weights.
    pub fn load(path: &Path, device: &Device) -> Result<Model, LoadError> {
        if device.is_cpu() {
            return Self::load_as_stored(path, device);
        }
        match Self::load_dequantised(path, device) {
            Ok(model) => Ok(model),
            Err(e) => {
                tracing::warn!(
                    error = %e,
                    "the weights dequantised do not fit on {:?}; loading them quantised",
                    device.location()
                );
                Self::load_as_stored(path, device)
            }
        }
    }

    /// Loads the model with every weight matrix dequantised to f32. Candle decides
    /// that by `CANDLE_DEQUANTIZE_ALL`, read once per thread when the thread first
    /// builds a weight, so the load runs on a thread of its own with the variable
    /// set, and the variable is put back afterwards.
    pub fn load_dequantised(path: &Path, device: &Device) -> Result<Model, LoadError> {
        const VAR: &str = "CANDLE_DEQUANTIZE_ALL";
        let before = std::env::var_os(VAR);
        std::env::set_var(VAR, "1");
        let (owned_path, owned_device) = (path.to_path_buf(), device.clone());
        let loaded =
            std::thread::spawn(move || Self::load_as_stored(&owned_path, &owned_device)).join();
        match before {
            Some(v) => std::env::set_var(VAR, v),
            None => std::env::remove_var(VAR),
        }
        let mut model = loaded.map_err(|_| LoadError::Damaged {
            path: path.to_path_buf(),
            message: "loading the dequantised weights panicked".into(),
        })??;
        model.dequantised = true;
        Ok(model)
    }

    /// Loads the weights in the file's formats, on any device.
    fn load_as_stored(path: &Path, device: &Device) -> Result<Model, LoadError> {
        let header = read_header(path)?;
        let damaged = |message: String| LoadError::Damaged {
            path: path.to_path_buf(),
            message,
        };
        let tokenizer = load_tokenizer(path, &header.content).map_err(damaged)?;
        let meta_str = |k: &str| {
            header
                .content
                .metadata
                .get(k)
                .and_then(|v| v.to_string().ok())
                .cloned()
        };
        let meta_u32 = |k: &str| header.content.metadata.get(k).and_then(|v| v.to_u32().ok());
        let chat_template = meta_str("tokenizer.chat_template");
        let token_text = |id: Option<u32>| {
            id.and_then(|i| tokenizer.id_to_token(i))
                .unwrap_or_default()
        };
        let eos_id = meta_u32("tokenizer.ggml.eos_token_id");
        let bos_token = token_text(meta_u32("tokenizer.ggml.bos_token_id"));
        let eos_token = token_text(eos_id);
        let mut stop_tokens: Vec<u32> = eos_id.into_iter().collect();
        for t in ["<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<end_of_turn>"] {
            if let Some(id) = tokenizer.token_to_id(t) {
                if !stop_tokens.contains(&id) {
                    stop_tokens.push(id);
                }
            }
        }
        let file = File::open(path).map_err(|source| LoadError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let mut reader = BufReader::new(file);
        let architecture = header.architecture.clone();
        let weights = match architecture.as_str() {
            "llama" => Weights::Llama(
                llama::ModelWeights::from_gguf(header.content, &mut reader, device)
                    .map_err(|e| damaged(e.to_string()))?,
            ),
            "qwen2" => Weights::Qwen2(
                qwen2::ModelWeights::from_gguf(header.content, &mut reader, device)
                    .map_err(|e| damaged(e.to_string()))?,
            ),
            "qwen3" => Weights::Qwen3(
                quantized_qwen3::ModelWeights::from_gguf(header.content, &mut reader, device)
                    .map_err(|e| damaged(e.to_string()))?,
            ),
            "gemma3" => Weights::Gemma3(
                quantized_gemma3::ModelWeights::from_gguf(header.content, &mut reader, device)
                    .map_err(|e| damaged(e.to_string()))?,
            ),
            other => {
                return Err(LoadError::UnsupportedArchitecture {
                    path: path.to_path_buf(),
                    arch: other.to_string(),
                })
            }
        };
        // Candle lays out a second copy of each Q4_K, Q6_K and Q8_0 matrix the first
        // time it multiplies several rows by it (a prompt): ~1.2 s for the 1.5B model
        // on two cores. Two tokens through a throw-away copy of the weights (the
        // matrices are shared, the state is not) do that here, at start, rather than
        // in the first shopper's request; weights that cannot run fail here too.
        weights
            .clone()
            .forward(&[0, 0], 0, device)
            .map_err(|e| damaged(format!("a first forward pass failed: {e}")))?;
        Ok(Model {
            weights,
            tokenizer,
            device: device.clone(),
            architecture,
            stop_tokens,
            chat_template,
            bos_token,
            eos_token,
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            prompt_cache: None,
            dequantised: false,
        })
    }

    /// Token ids of `text`, special tokens (`<|im_start|>`) recognised.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, String> {
        self.tokenizer
            .encode(text, false)
            .map(|e| e.get_ids().to_vec())
            .map_err(|e| e.to_string())
    }

    /// Text of `ids`, special tokens kept.
    pub fn decode(&self, ids: &[u32]) -> Result<String, String> {
        self.tokenizer.decode(ids, false).map_err(|e| e.to_string())
    }
}

/// A `tokenizer.json` beside the model, if there is one: `<stem>.tokenizer.json` for this
/// file alone, else `tokenizer.json` for the whole directory.
pub fn tokenizer_json_beside(path: &Path) -> Option<std::path::PathBuf> {
    let stem = path.file_stem()?.to_string_lossy();
    [
        path.with_file_name(format!("{stem}.tokenizer.json")),
        path.with_file_name("tokenizer.json"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// The tokenizer for the model at `path`: a `tokenizer.json` beside it wins (it is the
/// model author's own definition); otherwise it is built from the GGUF metadata.
fn load_tokenizer(path: &Path, content: &gguf_file::Content) -> Result<Tokenizer, String> {
    match tokenizer_json_beside(path) {
        Some(json) => {
            tracing::info!(tokenizer = %json.display(), "using the tokenizer.json beside the model");
            Tokenizer::from_file(&json).map_err(|e| format!("{}: {e}", json.display()))
        }
        None => tokenizer_from_gguf(content).map_err(|e| format!("tokenizer: {e}")),
    }
}

/// Builds the tokenizer from GGUF metadata with candle's converter, then fixes the
/// pre-tokenizer for `smollm`, which candle does not know: SmolLM splits digits one by
/// one and adds no prefix space (its tokenizer.json: Digits(individual) + ByteLevel).
pub fn tokenizer_from_gguf(content: &gguf_file::Content) -> Result<Tokenizer, String> {
    use tokenizers::pre_tokenizers::byte_level::ByteLevel;
    use tokenizers::pre_tokenizers::digits::Digits;
    use tokenizers::pre_tokenizers::sequence::Sequence;
    use tokenizers::PreTokenizerWrapper;
    let mut tok = Tokenizer::from_gguf(content).map_err(|e| e.to_string())?;
    let pre = content
        .metadata
        .get("tokenizer.ggml.pre")
        .and_then(|v| v.to_string().ok())
        .cloned()
        .unwrap_or_default();
    if pre == "smollm" || pre == "gpt2" || pre.is_empty() {
        let mut steps: Vec<PreTokenizerWrapper> = Vec::new();
        if pre == "smollm" {
            steps.push(Digits::new(true).into());
        }
        steps.push(ByteLevel::new(false, true, true).into());
        tok.with_pre_tokenizer(Some(Sequence::new(steps)));
    }
    Ok(tok)
}
