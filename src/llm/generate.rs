//! Generation: sampling settings, the token loop with stop tokens and strings, and a
//! prompt prefix evaluated once and reused.
//!
//! Forward pass, sampling and detokenisation are separate small pieces (candle's
//! examples): [`Weights::forward`], candle's `LogitsProcessor`, and [`TextStream`],
//! which only emits text once it ends on a whole character.

use candle_core::Tensor;
use candle_transformers::generation::{LogitsProcessor, Sampling as CandleSampling};
use serde::Deserialize;

use super::model::{Model, Weights};

/// How the next token is chosen. Deserialises from config or request JSON.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sampling {
    /// 0 means greedy (argmax).
    #[serde(default)]
    pub temperature: f64,
    pub top_p: Option<f64>,
    pub top_k: Option<usize>,
    /// 1.0 means none.
    #[serde(default = "one")]
    pub repeat_penalty: f32,
    /// How many recent tokens the repeat penalty looks at.
    #[serde(default = "sixty_four")]
    pub repeat_last_n: usize,
    #[serde(default)]
    pub seed: u64,
}

fn one() -> f32 {
    1.0
}
fn sixty_four() -> usize {
    64
}

impl Default for Sampling {
    fn default() -> Self {
        Sampling {
            temperature: 0.0,
            top_p: None,
            top_k: None,
            repeat_penalty: 1.0,
            repeat_last_n: 64,
            seed: 0,
        }
    }
}

impl Sampling {
    pub(crate) fn processor(&self) -> LogitsProcessor {
        let t = self.temperature;
        let s = if t <= 0.0 {
            CandleSampling::ArgMax
        } else {
            match (self.top_k, self.top_p) {
                (None, None) => CandleSampling::All { temperature: t },
                (Some(k), None) => CandleSampling::TopK { k, temperature: t },
                (None, Some(p)) => CandleSampling::TopP { p, temperature: t },
                (Some(k), Some(p)) => CandleSampling::TopKThenTopP {
                    k,
                    p,
                    temperature: t,
                },
            }
        };
        LogitsProcessor::from_sampling(self.seed, s)
    }
}

/// Limits of one generation.
#[derive(Debug, Clone, Default)]
pub struct GenerateOptions {
    pub sampling: Sampling,
    pub max_tokens: usize,
    /// Generation ends when the text ends with one of these (they are cut off).
    pub stop_strings: Vec<String>,
}

/// Why generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishReason {
    /// A stop token or stop string.
    Stop,
    /// `max_tokens` reached.
    Length,
    /// The consumer went away.
    Cancelled,
}

/// The result of one generation.
#[derive(Debug, Clone)]
pub struct Generation {
    pub text: String,
    pub tokens: Vec<u32>,
    pub prompt_tokens: usize,
    pub finish: FinishReason,
}

/// Errors of the generation loop.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("model: {0}")]
    Candle(#[from] candle_core::Error),
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("the prompt is empty")]
    EmptyPrompt,
    #[error("constraint: {0}")]
    Constraint(String),
}

/// The model's state partway through a sequence: the logits for the next token.
pub(crate) struct Step {
    pub(super) state: Weights,
    pub logits: Tensor,
    pub(super) pos: usize,
    /// Every token so far (prefix, prompt, generated), for the repeat penalty.
    pub context: Vec<u32>,
    pub prompt_tokens: usize,
}

impl Step {
    /// Feeds one generated token.
    pub fn advance(&mut self, model: &Model, token: u32) -> Result<(), GenerateError> {
        self.logits = self.state.forward(&[token], self.pos, &model.device)?;
        self.pos += 1;
        self.context.push(token);
        Ok(())
    }
}

/// Incremental detokeniser: emits text only when the decoded string grew by whole
/// characters, so a multi-byte character split over tokens is never emitted halfway.
#[derive(Debug, Default)]
pub struct TextStream {
    tokens: Vec<u32>,
    emitted: usize,
}

impl TextStream {
    /// Adds a token; returns the new complete text, if any.
    pub fn push(&mut self, model: &Model, token: u32) -> Result<Option<String>, GenerateError> {
        self.tokens.push(token);
        let text = model
            .decode(&self.tokens)
            .map_err(GenerateError::Tokenizer)?;
        if text.len() > self.emitted
            && !text.ends_with('\u{fffd}')
            && text.is_char_boundary(self.emitted)
        {
            let new = text[self.emitted..].to_string();
            self.emitted = text.len();
            Ok(Some(new))
        } else {
            Ok(None)
        }
    }

    /// All text so far.
    pub fn text(&self, model: &Model) -> Result<String, GenerateError> {
        model.decode(&self.tokens).map_err(GenerateError::Tokenizer)
    }
}

/// A fixed prompt prefix evaluated once: requests start from a copy of the weights'
/// state after it and pay only for their own tokens.
#[derive(Debug, Clone)]
pub struct Prefix {
    pub tokens: Vec<u32>,
    state: Weights,
    /// Logits after the last prefix token, for a request that adds no tokens.
    logits: Option<Tensor>,
}

impl Model {
    /// Evaluates `prefix` once and keeps the resulting state.
    pub fn cache_prefix(&self, prefix: &str) -> Result<Prefix, GenerateError> {
        let tokens = self.encode(prefix).map_err(GenerateError::Tokenizer)?;
        let cache = self.prompt_cache.as_ref().filter(|_| !tokens.is_empty());
        if let Some(saved) = cache.and_then(|c| c.load(&self.weights, &tokens, &self.device)) {
            tracing::debug!(
                tokens = tokens.len(),
                "prompt prefix restored from the prompt cache"
            );
            return Ok(Prefix {
                tokens,
                state: saved.state,
                logits: saved.logits,
            });
        }
        let mut state = self.weights.clone();
        let logits = if tokens.is_empty() {
            None
        } else {
            Some(state.forward(&tokens, 0, &self.device)?)
        };
        if let Some(c) = cache {
            if let Err(reason) = c.save(&state, &tokens, logits.as_ref()) {
                tracing::warn!(%reason, "could not save the prompt prefix's state; it is computed again at the next start");
            }
        }
        Ok(Prefix {
            tokens,
            state,
            logits,
        })
    }

    /// Generates a continuation of `prompt`. `on_text` receives text as it is decoded
    /// and returns `false` to cancel (the consumer went away).
    pub fn generate(
        &self,
        prefix: Option<&Prefix>,
        prompt: &str,
        opts: &GenerateOptions,
        mut on_text: impl FnMut(&str) -> bool,
    ) -> Result<Generation, GenerateError> {
        let began = std::time::Instant::now();
        let mut step = self.start(prefix, prompt)?;
        let prompt_done = std::time::Instant::now();
        let mut sampler = opts.sampling.processor();
        let mut stream = TextStream::default();
        let mut out_tokens = Vec::new();
        let mut text = String::new();
        let finish = loop {
            if out_tokens.len() >= opts.max_tokens {
                break FinishReason::Length;
            }
            let next = self.sample(&mut sampler, &step.logits, &step.context, &opts.sampling)?;
            if self.stop_tokens.contains(&next) {
                break FinishReason::Stop;
            }
            out_tokens.push(next);
            if let Some(piece) = stream.push(self, next)? {
                let before = text.len();
                text.push_str(&piece);
                // A stop string split over pieces may have been streamed in part; the
                // returned text never contains it.
                if let Some(cut) = stop_at(&text, &opts.stop_strings) {
                    text.truncate(cut);
                    if cut > before {
                        on_text(&text[before..cut]);
                    }
                    break FinishReason::Stop;
                }
                if !on_text(&piece) {
                    break FinishReason::Cancelled;
                }
            }
            step.advance(self, next)?;
        };
        record_speed(
            step.prompt_tokens,
            prompt_done - began,
            out_tokens.len(),
            prompt_done.elapsed(),
        );
        Ok(Generation {
            text,
            tokens: out_tokens,
            prompt_tokens: step.prompt_tokens,
            finish,
        })
    }

    /// Runs the prompt after the prefix (if any) and returns the state ready for the
    /// first generated token.
    pub(crate) fn start(
        &self,
        prefix: Option<&Prefix>,
        prompt: &str,
    ) -> Result<Step, GenerateError> {
        let (mut state, start, mut context) = match prefix {
            Some(p) => (p.state.clone(), p.tokens.len(), p.tokens.clone()),
            None => (self.weights.clone(), 0, Vec::new()),
        };
        if prefix.is_none() {
            // A fresh copy has no cache; make sure of it.
            reset(&mut state);
        }
        let prompt_tokens = self.encode(prompt).map_err(GenerateError::Tokenizer)?;
        let logits = match (
            prompt_tokens.is_empty(),
            prefix.and_then(|p| p.logits.clone()),
        ) {
            (false, _) => state.forward(&prompt_tokens, start, &self.device)?,
            (true, Some(l)) => l,
            (true, None) => return Err(GenerateError::EmptyPrompt),
        };
        context.extend_from_slice(&prompt_tokens);
        Ok(Step {
            state,
            logits,
            pos: start + prompt_tokens.len(),
            context,
            prompt_tokens: prompt_tokens.len(),
        })
    }

    fn sample(
        &self,
        sampler: &mut LogitsProcessor,
        logits: &Tensor,
        context: &[u32],
        s: &Sampling,
    ) -> Result<u32, GenerateError> {
        let logits = logits.to_dtype(candle_core::DType::F32)?;
        let logits = if (s.repeat_penalty - 1.0).abs() > f32::EPSILON {
            let from = context.len().saturating_sub(s.repeat_last_n);
            candle_transformers::utils::apply_repeat_penalty(
                &logits,
                s.repeat_penalty,
                &context[from..],
            )?
        } else {
            logits
        };
        Ok(sampler.sample(&logits)?)
    }
}

/// Clears a state's KV cache.
fn reset(state: &mut Weights) {
    match state {
        Weights::Llama(m) => m.clear_kv_cache(),
        Weights::Qwen2(m) => m.clear_kv_cache(),
        Weights::Qwen3(m) => m.clear_kv_cache(),
        // Gemma 3 starts its cache afresh at position 0; nothing to clear.
        Weights::Gemma3(_) => {}
    }
}

/// Byte index where the first stop string starts, if the text contains one.
fn stop_at(text: &str, stops: &[String]) -> Option<usize> {
    stops
        .iter()
        .filter(|s| !s.is_empty())
        .filter_map(|s| text.find(s.as_str()))
        .min()
}

/// Feeds `/metrics`: tokens processed and generated, and the speed of the latest call.
pub(crate) fn record_speed(
    prompt_tokens: usize,
    prompt_time: std::time::Duration,
    generated: usize,
    generation_time: std::time::Duration,
) {
    metrics::counter!("shopassist_llm_prompt_tokens_total").increment(prompt_tokens as u64);
    metrics::counter!("shopassist_llm_generated_tokens_total").increment(generated as u64);
    if prompt_tokens > 0 && !prompt_time.is_zero() {
        metrics::gauge!("shopassist_llm_prompt_tokens_per_second")
            .set(prompt_tokens as f64 / prompt_time.as_secs_f64());
    }
    if generated > 0 && !generation_time.is_zero() {
        metrics::gauge!("shopassist_llm_generation_tokens_per_second")
            .set(generated as f64 / generation_time.as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_strings_cut_at_the_earliest() {
        let stops = vec!["\n\n".to_string(), "}".to_string()];
        assert_eq!(stop_at("{\"a\":1}\n\nmore", &stops), Some(6));
        assert_eq!(stop_at("nothing", &stops), None);
    }

    #[test]
    fn sampling_deserialises_with_defaults() {
        let s: Sampling = serde_json::from_str(r#"{"temperature":0.7,"top_p":0.9}"#).unwrap();
        assert_eq!(s.repeat_penalty, 1.0);
        assert_eq!(s.top_p, Some(0.9));
        assert!(
            serde_json::from_str::<Sampling>(r#"{"temp":1}"#).is_err(),
            "unknown fields rejected"
        );
    }
}
