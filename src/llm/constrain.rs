//! Output constrained by a JSON schema, through token masking with llguidance.
//!
//! Why llguidance: it is maintained (guidance-ai, used by llama.cpp and vLLM), compiles
//! a JSON schema (objects, enums, strings, numbers, integers, booleans, null unions,
//! arrays, optional fields) to a grammar, and computes the allowed-token mask from a
//! trie of the model's own token bytes in well under a millisecond per token. Writing
//! that by hand would be a parser generator of our own. We build the token trie from our
//! tokenizer (serialised to tokenizer.json form), so no second tokenizers version is
//! pulled in.
//!
//! Every result parses and validates because a token outside the grammar is never
//! sampled; generation stops as soon as the JSON closes.

use std::sync::Arc;

use candle_core::Tensor;
use llguidance::api::TopLevelGrammar;
use llguidance::toktrie::{TokEnv, TokRxInfo, TokTrie, TokenId, TokenizerEnv};
use llguidance::{Matcher, ParserFactory};
use serde_json::Value;

use super::generate::{GenerateError, GenerateOptions, Prefix};
use super::model::Model;

/// Our tokenizer as llguidance sees it.
struct Env {
    trie: TokTrie,
    tokenizer: tokenizers::Tokenizer,
}

impl TokenizerEnv for Env {
    fn tok_trie(&self) -> &TokTrie {
        &self.trie
    }

    fn tokenize_bytes(&self, s: &[u8]) -> Vec<TokenId> {
        let text = String::from_utf8_lossy(s);
        self.tokenizer
            .encode(text.as_ref(), false)
            .map(|e| e.get_ids().to_vec())
            .unwrap_or_default()
    }
}

/// Compiles JSON schemas for one model; cheap to share.
#[derive(Clone)]
pub struct JsonConstraints {
    factory: Arc<ParserFactory>,
}

impl std::fmt::Debug for JsonConstraints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonConstraints")
    }
}

/// The result of a constrained generation.
#[derive(Debug, Clone)]
pub struct JsonOutput {
    pub value: Value,
    pub text: String,
    pub tokens: usize,
}

impl JsonConstraints {
    /// Builds the token trie for `model`'s vocabulary.
    pub fn new(model: &Model) -> Result<Self, String> {
        let json: Value = serde_json::from_str(
            &model
                .tokenizer
                .to_string(false)
                .map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        let bytes =
            llguidance::token_bytes_from_tokenizer_json(&json).map_err(|e| e.to_string())?;
        let eos = *model
            .stop_tokens
            .first()
            .ok_or("the model has no end-of-sequence token")?;
        let mut info = TokRxInfo::new(bytes.len() as u32, eos);
        info.tok_end_of_turn = model.stop_tokens.get(1).copied();
        let trie = TokTrie::from(&info, &bytes);
        let env: TokEnv = Arc::new(Env {
            trie,
            tokenizer: model.tokenizer.clone(),
        });
        let mut factory = ParserFactory::new_simple(&env).map_err(|e| e.to_string())?;
        factory.set_stderr_log_level(0);
        Ok(JsonConstraints {
            factory: Arc::new(factory),
        })
    }

    /// A fresh matcher for `schema`. Whitespace is not free: the output is compact,
    /// so a small model cannot wander off into spaces and newlines.
    pub fn matcher(&self, schema: &Value) -> Result<Matcher, String> {
        let mut schema = schema.clone();
        if let Some(obj) = schema.as_object_mut() {
            obj.entry("x-guidance").or_insert_with(
                || serde_json::json!({ "whitespace_flexible": false, "lenient": true }),
            );
        }
        let parser = self
            .factory
            .create_parser(TopLevelGrammar::from_json_schema(schema))
            .map_err(|e| format!("schema does not compile: {e}"))?;
        let m = Matcher::new(Ok(parser));
        match m.get_error() {
            Some(e) => Err(e),
            None => Ok(m),
        }
    }
}

impl Model {
    /// Generates JSON that matches `schema`, greedy or sampled per `opts`.
    pub fn generate_json(
        &self,
        constraints: &JsonConstraints,
        schema: &Value,
        prefix: Option<&Prefix>,
        prompt: &str,
        opts: &GenerateOptions,
    ) -> Result<JsonOutput, GenerateError> {
        let mut matcher = constraints
            .matcher(schema)
            .map_err(GenerateError::Constraint)?;
        let mut tokens = Vec::new();
        let mut sampler = opts.sampling.processor();
        let began = std::time::Instant::now();
        let mut step = self.start(prefix, prompt)?;
        let prompt_done = std::time::Instant::now();
        loop {
            if matcher.is_stopped() || tokens.len() >= opts.max_tokens {
                break;
            }
            let mask = matcher
                .compute_mask_or_eos()
                .map_err(|e| GenerateError::Constraint(e.to_string()))?;
            let mut logits: Vec<f32> = step.logits.to_dtype(candle_core::DType::F32)?.to_vec1()?;
            for (i, l) in logits.iter_mut().enumerate() {
                if !mask.is_allowed(i as TokenId) {
                    *l = f32::NEG_INFINITY;
                }
            }
            let masked = Tensor::new(logits.as_slice(), &self.device)?;
            let next = sampler.sample(&masked)?;
            if self.stop_tokens.contains(&next) {
                break;
            }
            matcher
                .consume_token(next)
                .map_err(|e| GenerateError::Constraint(e.to_string()))?;
            tokens.push(next);
            if matcher.is_stopped() {
                break;
            }
            step.advance(self, next)?;
        }
        super::generate::record_speed(
            step.prompt_tokens,
            prompt_done - began,
            tokens.len(),
            prompt_done.elapsed(),
        );
        let text = self.decode(&tokens).map_err(GenerateError::Tokenizer)?;
        let value = serde_json::from_str(&text).map_err(|e| {
            GenerateError::Constraint(format!("output is no complete JSON ({e}): {text}"))
        })?;
        Ok(JsonOutput {
            value,
            text,
            tokens: tokens.len(),
        })
    }
}
