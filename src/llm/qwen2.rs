//! Qwen2 with quantized weights, vendored from candle-transformers 0.11.1
//! (`models/quantized_qwen2.rs`, MIT OR Apache-2.0). Changes, each marked "not
//! upstream": `ModelWeights` derives `Clone`, so the state after a fixed prompt prefix
//! can be copied and reused per request; its KV cache can be read and installed (the
//! prompt cache on disk); `forward_tree` scores several continuations in one pass;
//! the weight products go through [`super::kernels::matmul`] (our kernels where
//! they are faster, candle's otherwise); attention shares each KV head among its
//! query heads without copying the cache; the KV cache is written in place and one
//! token's attention runs on its memory (`KvCache`); the token embedding stays
//! quantized.
//! Keep it in step with upstream.
#![allow(clippy::all)]

use candle::{
    quantized::{gguf_file, QMatMul},
    DType, Device, IndexOp, Result, Tensor,
};
use candle_core as candle;
use candle_nn::Module;
use candle_transformers::quantized_nn::RmsNorm;
use std::collections::HashMap;

// Not upstream: the weight products run our own kernels where they are faster.
use super::kernels::matmul;
use super::kv_cache::KvCache;
// Not upstream: the token embedding is not dequantised at load.
use super::token_embedding::TokenEmbedding;

#[derive(Debug, Clone)]
struct Mlp {
    feed_forward_w1: QMatMul,
    feed_forward_w2: QMatMul,
    feed_forward_w3: QMatMul,
}

impl Module for Mlp {
    fn forward(&self, xs: &Tensor) -> Result<Tensor> {
        let w1 = matmul(&self.feed_forward_w1, xs)?;
        let w3 = matmul(&self.feed_forward_w3, xs)?;
        matmul(&self.feed_forward_w2, &(candle_nn::ops::silu(&w1)? * w3)?)
    }
}

#[derive(Debug, Clone)]
struct LayerWeights {
    attention_wq: QMatMul,
    attention_wk: QMatMul,
    attention_wv: QMatMul,
    attention_bq: Tensor,
    attention_bk: Tensor,
    attention_bv: Tensor,
    attention_wo: QMatMul,
    attention_norm: RmsNorm,
    mlp: Mlp,
    ffn_norm: RmsNorm,
    n_head: usize,
    n_kv_head: usize,
    head_dim: usize,
    cos: Tensor,
    sin: Tensor,
    neg_inf: Tensor,
    kv_cache: Option<KvCache>,
    span_attn: tracing::Span,
    span_rot: tracing::Span,
    span_mlp: tracing::Span,
}

fn masked_fill(on_false: &Tensor, mask: &Tensor, on_true: &Tensor) -> Result<Tensor> {
    let shape = mask.shape();
    let m = mask.where_cond(&on_true.broadcast_as(shape.dims())?, on_false)?;
    Ok(m)
}

impl LayerWeights {
    fn apply_rotary_emb(&self, x: &Tensor, at: &Positions) -> Result<Tensor> {
        let _enter = self.span_rot.enter();
        let (_b_sz, _n_head, seq_len, _n_embd) = x.dims4()?;
        let (cos, sin) = match at {
            Positions::From(index_pos) => (
                self.cos.narrow(0, *index_pos, seq_len)?,
                self.sin.narrow(0, *index_pos, seq_len)?,
            ),
            Positions::Each { ids, .. } => (
                self.cos.index_select(ids, 0)?,
                self.sin.index_select(ids, 0)?,
            ),
        };
        candle_nn::rotary_emb::rope(&x.contiguous()?, &cos, &sin)
    }

    fn forward_attn(
        &mut self,
        x: &Tensor,
        mask: Option<&Tensor>,
        at: &Positions,
    ) -> Result<Tensor> {
        let _enter = self.span_attn.enter();
        let (b_sz, seq_len, n_embd) = x.dims3()?;

        let q = matmul(&self.attention_wq, x)?;
        let k = matmul(&self.attention_wk, x)?;
        let v = matmul(&self.attention_wv, x)?;

        let q = q.broadcast_add(&self.attention_bq)?;
        let k = k.broadcast_add(&self.attention_bk)?;
        let v = v.broadcast_add(&self.attention_bv)?;

        let q = q
            .reshape((b_sz, seq_len, self.n_head, self.head_dim))?
            .transpose(1, 2)?
            .contiguous()?;
        let k = k
            .reshape((b_sz, seq_len, self.n_kv_head, self.head_dim))?
            .transpose(1, 2)?
            .contiguous()?;
        let v = v
            .reshape((b_sz, seq_len, self.n_kv_head, self.head_dim))?
            .transpose(1, 2)?
            .contiguous()?;

        // let (q, k) = self
        //     .rotary_embedding
        //     .apply_rotary_emb_qkv(&q, &k, index_pos)?;
        let q = self.apply_rotary_emb(&q, at)?;
        let k = self.apply_rotary_emb(&k, at)?;

        // Not upstream: keys and values are written in place (see `KvCache`).
        let cache = match &mut self.kv_cache {
            Some(cache) if at.cached() > 0 => {
                cache.append(&k, &v)?;
                cache
            }
            slot => slot.insert(KvCache::new(&k, &v)?),
        };
        if seq_len == 1 && mask.is_none() && b_sz == 1 {
            if let Some(y) = cache.attend_one(&q, self.n_head, self.head_dim)? {
                let y = Tensor::from_vec(y, (b_sz, seq_len, n_embd), x.device())?;
                return matmul(&self.attention_wo, &y);
            }
        }
        let (k, v) = (cache.keys()?, cache.values()?);

        // Not upstream: grouped-query attention without copying keys and values once
        // per query head (upstream's `repeat_kv` copies the whole cache n_rep times
        // a token). The n_rep query heads that share a KV head are stacked along the
        // sequence axis, so one matmul per KV head serves them all.
        let n_rep = self.n_head / self.n_kv_head;
        let kv_len = k.dim(2)?;
        let q = q.reshape((b_sz, self.n_kv_head, n_rep * seq_len, self.head_dim))?;
        let att = (q.matmul(&k.t()?)? / (self.head_dim as f64).sqrt())?;
        let att = att.reshape((b_sz, self.n_head, seq_len, kv_len))?;
        let att = match mask {
            None => att,
            Some(mask) => {
                let mask = mask.broadcast_as(att.shape())?;
                masked_fill(&att, &mask, &self.neg_inf)?
            }
        };
        let att = candle_nn::ops::softmax_last_dim(&att)?;
        let att = att.reshape((b_sz, self.n_kv_head, n_rep * seq_len, kv_len))?;
        let y = att.matmul(&v)?;
        let y = y.reshape((b_sz, self.n_head, seq_len, self.head_dim))?;
        let y = y.transpose(1, 2)?.reshape(&[b_sz, seq_len, n_embd])?;
        let y = matmul(&self.attention_wo, &y)?;
        Ok(y)
    }
}

/// Where the tokens of one forward pass sit: one after another from a position (the
/// upstream case), or each at its own position after `cached` tokens in the cache (a
/// tree of continuations that share the cached sequence before them; see
/// [`ModelWeights::forward_tree`]).
enum Positions {
    From(usize),
    Each { cached: usize, ids: Tensor },
}

impl Positions {
    /// How many tokens the KV cache holds before this pass.
    fn cached(&self) -> usize {
        match self {
            Positions::From(index_pos) => *index_pos,
            Positions::Each { cached, .. } => *cached,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ModelWeights {
    // Not upstream: the table stays quantized, rows dequantised on lookup.
    tok_embeddings: TokenEmbedding,
    layers: Vec<LayerWeights>,
    norm: RmsNorm,
    output: QMatMul,
    masks: HashMap<(usize, usize), Tensor>,
    span: tracing::Span,
    span_output: tracing::Span,
}

fn precomput_freqs_cis(
    head_dim: usize,
    freq_base: f32,
    context_length: usize,
    device: &Device,
) -> Result<(Tensor, Tensor)> {
    let theta: Vec<_> = (0..head_dim)
        .step_by(2)
        .map(|i| 1f32 / freq_base.powf(i as f32 / head_dim as f32))
        .collect();
    let theta = Tensor::new(theta.as_slice(), device)?;
    let idx_theta = Tensor::arange(0, context_length as u32, device)?
        .to_dtype(DType::F32)?
        .reshape((context_length, 1))?
        .matmul(&theta.reshape((1, theta.elem_count()))?)?;
    let cos = idx_theta.cos()?;
    let sin = idx_theta.sin()?;
    Ok((cos, sin))
}

impl ModelWeights {
    pub fn from_gguf<R: std::io::Seek + std::io::Read>(
        ct: gguf_file::Content,
        reader: &mut R,
        device: &Device,
    ) -> Result<Self> {
        let md_get = |s: &str| match ct.metadata.get(s) {
            None => candle::bail!("cannot find {s} in metadata"),
            Some(v) => Ok(v),
        };

        let head_count = md_get("qwen2.attention.head_count")?.to_u32()? as usize;
        let head_count_kv = md_get("qwen2.attention.head_count_kv")?.to_u32()? as usize;
        let embedding_length = md_get("qwen2.embedding_length")?.to_u32()? as usize;
        let context_length = md_get("qwen2.context_length")?.to_u32()? as usize;
        let block_count = md_get("qwen2.block_count")?.to_u32()? as usize;
        let rms_norm_eps = md_get("qwen2.attention.layer_norm_rms_epsilon")?.to_f32()? as f64;
        let rope_freq_base = md_get("qwen2.rope.freq_base")
            .and_then(|m| m.to_f32())
            .unwrap_or(10000f32);

        let head_dim = embedding_length / head_count;

        let neg_inf = Tensor::new(f32::NEG_INFINITY, device)?;

        let tok_embeddings = ct.tensor(reader, "token_embd.weight", device)?;
        let tok_embeddings = TokenEmbedding::new(tok_embeddings, device)?;
        let norm = RmsNorm::from_qtensor(
            ct.tensor(reader, "output_norm.weight", device)?,
            rms_norm_eps,
        )?;
        let output = match ct.tensor(reader, "output.weight", device) {
            Ok(v) => QMatMul::from_qtensor(v)?,
            _ => {
                // use tie_word_embeddings
                QMatMul::from_qtensor(ct.tensor(reader, "token_embd.weight", device)?)?
            }
        };

        let (cos, sin) = precomput_freqs_cis(head_dim, rope_freq_base, context_length, device)?;

        let mut layers = Vec::with_capacity(block_count);

        for layer_idx in 0..block_count {
            let prefix = format!("blk.{layer_idx}");
            let attention_wq = ct.tensor(reader, &format!("{prefix}.attn_q.weight"), device)?;
            let attention_wk = ct.tensor(reader, &format!("{prefix}.attn_k.weight"), device)?;
            let attention_wv = ct.tensor(reader, &format!("{prefix}.attn_v.weight"), device)?;

            let attention_bq = ct.tensor(reader, &format!("{prefix}.attn_q.bias"), device)?;
            let attention_bk = ct.tensor(reader, &format!("{prefix}.attn_k.bias"), device)?;
            let attention_bv = ct.tensor(reader, &format!("{prefix}.attn_v.bias"), device)?;

            let attention_wo =
                ct.tensor(reader, &format!("{prefix}.attn_output.weight"), device)?;

            let mlp = {
                let feed_forward_w1 =
                    ct.tensor(reader, &format!("{prefix}.ffn_gate.weight"), device)?;
                let feed_forward_w2 =
                    ct.tensor(reader, &format!("{prefix}.ffn_down.weight"), device)?;
                let feed_forward_w3 =
                    ct.tensor(reader, &format!("{prefix}.ffn_up.weight"), device)?;
                Mlp {
                    feed_forward_w1: QMatMul::from_qtensor(feed_forward_w1)?,
                    feed_forward_w2: QMatMul::from_qtensor(feed_forward_w2)?,
                    feed_forward_w3: QMatMul::from_qtensor(feed_forward_w3)?,
                }
            };

            let attention_norm =
                ct.tensor(reader, &format!("{prefix}.attn_norm.weight"), device)?;
            let ffn_norm = ct.tensor(reader, &format!("{prefix}.ffn_norm.weight"), device)?;

            let span_attn = tracing::span!(tracing::Level::TRACE, "attn");
            let span_rot = tracing::span!(tracing::Level::TRACE, "attn-rot");
            let span_mlp = tracing::span!(tracing::Level::TRACE, "attn-mlp");

            layers.push(LayerWeights {
                attention_wq: QMatMul::from_qtensor(attention_wq)?,
                attention_wk: QMatMul::from_qtensor(attention_wk)?,
                attention_wv: QMatMul::from_qtensor(attention_wv)?,
                attention_bq: attention_bq.dequantize(device)?,
                attention_bk: attention_bk.dequantize(device)?,
                attention_bv: attention_bv.dequantize(device)?,
                attention_wo: QMatMul::from_qtensor(attention_wo)?,
                attention_norm: RmsNorm::from_qtensor(attention_norm, rms_norm_eps)?,
                cos: cos.clone(),
                sin: sin.clone(),
                mlp,
                ffn_norm: RmsNorm::from_qtensor(ffn_norm, rms_norm_eps)?,
                n_head: head_count,
                n_kv_head: head_count_kv,
                head_dim,
                neg_inf: neg_inf.clone(),
                kv_cache: None,
                span_attn,
                span_rot,
                span_mlp,
            });
        }

        let span = tracing::span!(tracing::Level::TRACE, "model");
        let span_output = tracing::span!(tracing::Level::TRACE, "output");

        Ok(Self {
            tok_embeddings,
            layers,
            norm,
            output,
            masks: HashMap::new(),
            span,
            span_output,
        })
    }

    fn mask(&mut self, seq_len: usize, index_pos: usize, device: &Device) -> Result<Tensor> {
        let kv_len = index_pos + seq_len;
        if let Some(mask) = self.masks.get(&(seq_len, kv_len)) {
            Ok(mask.clone())
        } else {
            let mask = candle_transformers::utils::build_causal_mask(seq_len, index_pos, device)?;
            self.masks.insert((seq_len, kv_len), mask.clone());
            Ok(mask)
        }
    }

    /// Clear the KV cache across all layers.
    ///
    /// Call this between independent conversations to free cached attention
    /// state without recreating the model.
    pub fn clear_kv_cache(&mut self) {
        for layer in self.layers.iter_mut() {
            layer.kv_cache = None;
        }
    }

    /// Not upstream: every layer's KV cache (keys, values: `1 × kv_heads × tokens ×
    /// head_dim`), or `None` while any layer has none. With [`Self::set_kv_cache`] it
    /// saves and restores the state after a prompt prefix.
    pub fn kv_cache(&self) -> Option<Vec<(Tensor, Tensor)>> {
        self.layers
            .iter()
            .map(|l| {
                let c = l.kv_cache.as_ref()?;
                Some((
                    c.keys().ok()?.contiguous().ok()?,
                    c.values().ok()?.contiguous().ok()?,
                ))
            })
            .collect()
    }

    /// Not upstream: installs a KV cache taken from [`Self::kv_cache`] of the same
    /// model; refuses one of another shape (another model, a damaged file).
    pub fn set_kv_cache(&mut self, cache: Vec<(Tensor, Tensor)>) -> Result<()> {
        if cache.len() != self.layers.len() {
            candle::bail!(
                "{} layers in the saved state, the model has {}",
                cache.len(),
                self.layers.len()
            );
        }
        let tokens = cache.first().map(|(k, _)| k.dim(2)).transpose()?;
        for (layer, (k, v)) in self.layers.iter().zip(&cache) {
            let want = (1, layer.n_kv_head, tokens.unwrap_or(0), layer.head_dim);
            for t in [k, v] {
                if t.dims4()? != want || t.dtype() != DType::F32 {
                    candle::bail!(
                        "saved state {:?} {:?} does not fit the model ({want:?} f32)",
                        t.dims(),
                        t.dtype()
                    );
                }
            }
        }
        for (layer, (k, v)) in self.layers.iter_mut().zip(cache) {
            layer.kv_cache = Some(KvCache::frozen(k, v));
        }
        Ok(())
    }

    pub fn forward(&mut self, x: &Tensor, index_pos: usize) -> Result<Tensor> {
        let (_b_sz, seq_len) = x.dims2()?;
        let mask = if seq_len == 1 {
            None
        } else {
            Some(self.mask(seq_len, index_pos, x.device())?)
        };
        let hidden = self.hidden(x, mask.as_ref(), &Positions::From(index_pos))?;
        let x = hidden.i((.., seq_len - 1, ..))?;
        let _enter = self.span_output.enter();
        matmul(&self.output, &x)
    }

    /// Not upstream: runs tokens after the cached `index_pos` tokens, each at its own
    /// position in `positions` and seeing the cache and the new tokens that `mask`
    /// (`seq_len × (index_pos + seq_len)`, 1 = hidden) leaves open, and returns the
    /// logits of every token (`seq_len × vocab`). Several continuations of one prompt
    /// are scored in one pass this way. The cache then holds the tree: use a copy.
    pub fn forward_tree(
        &mut self,
        x: &Tensor,
        positions: &[u32],
        mask: &Tensor,
        index_pos: usize,
    ) -> Result<Tensor> {
        let at = Positions::Each {
            cached: index_pos,
            ids: Tensor::new(positions, x.device())?,
        };
        let hidden = self.hidden(x, Some(mask), &at)?;
        let _enter = self.span_output.enter();
        matmul(&self.output, &hidden.squeeze(0)?)
    }

    fn hidden(&mut self, x: &Tensor, mask: Option<&Tensor>, at: &Positions) -> Result<Tensor> {
        let _enter = self.span.enter();
        let mut layer_in = self.tok_embeddings.forward(x)?;
        for layer in self.layers.iter_mut() {
            let x = layer_in;
            let residual = &x;
            let x = layer.attention_norm.forward(&x)?;
            let attn = layer.forward_attn(&x, mask, at)?;
            let x = (attn + residual)?;

            // MLP
            let _enter = layer.span_mlp.enter();
            let residual = &x;
            let x = layer.ffn_norm.forward(&x)?;
            let x = layer.mlp.forward(&x)?;
            let x = (x + residual)?;
            layer_in = x
        }
        self.norm.forward(&layer_in)
    }
}
