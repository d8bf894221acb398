//! The KV cache of the vendored models (`llama`, `qwen2`): keys and values written in
//! place, and one new token's attention computed on their memory
//! ([`shopassist_kernels::attention`]).

use candle_core::{DType, Result, Tensor};

/// One layer's keys and values (`1 × kv_heads × tokens × head_dim`),
/// written in place into buffers with room for more. candle-transformers concatenates, which
/// copies the whole cache twice a layer for every token (for the 1.5B model at 450
/// tokens, ~50 MB of memory traffic a token).
///
/// A clone shares what is written so far, read-only: its `writable` is its length, so
/// its first append moves the keys and values to buffers of its own, while the
/// original writes only past that length, which the clone does not see. That keeps
/// a cached prompt prefix intact under any number of requests that continue it.
#[derive(Debug)]
pub(super) struct KvCache {
    k: Tensor,
    v: Tensor,
    len: usize,
    /// Positions this cache may write in its buffers (≤ their size).
    writable: usize,
}

impl KvCache {
    /// Room added when the buffers are full, in tokens.
    const GROW: usize = 256;

    /// A cache of the first pass's keys and values, with room to grow.
    pub(super) fn new(k: &Tensor, v: &Tensor) -> Result<KvCache> {
        // Empty, and writing nothing in place: the append lays out the buffers.
        let mut cache = KvCache {
            k: k.clone(),
            v: v.clone(),
            len: 0,
            writable: 0,
        };
        cache.append(k, v)?;
        Ok(cache)
    }

    /// A cache holding `k` and `v` (`1 × kv_heads × tokens × head_dim`), which it
    /// never writes into.
    pub(super) fn frozen(k: Tensor, v: Tensor) -> KvCache {
        let len = k.dim(2).unwrap_or(0);
        KvCache {
            k,
            v,
            len,
            writable: len,
        }
    }

    pub(super) fn append(&mut self, k: &Tensor, v: &Tensor) -> Result<()> {
        let add = k.dim(2)?;
        if self.len + add > self.writable {
            let writable = self.len + add + Self::GROW;
            let grow = |old: &Tensor| -> Result<Tensor> {
                let (b, h, _, d) = old.dims4()?;
                let new = Tensor::zeros((b, h, writable, d), old.dtype(), old.device())?;
                if self.len > 0 {
                    new.slice_set(&old.narrow(2, 0, self.len)?.contiguous()?, 2, 0)?;
                }
                Ok(new)
            };
            self.k = grow(&self.k)?;
            self.v = grow(&self.v)?;
            self.writable = writable;
        }
        self.k.slice_set(&k.contiguous()?, 2, self.len)?;
        self.v.slice_set(&v.contiguous()?, 2, self.len)?;
        self.len += add;
        Ok(())
    }

    /// One token's attention (queries `1 × n_head × 1 × head_dim`) computed on the
    /// buffers directly ([`shopassist_kernels::attention`]), or `None` where
    /// they are not plain f32 memory on the CPU.
    pub(super) fn attend_one(
        &self,
        q: &Tensor,
        n_head: usize,
        head_dim: usize,
    ) -> Result<Option<Vec<f32>>> {
        let (ks, kl) = self.k.storage_and_layout();
        let (vs, vl) = self.v.storage_and_layout();
        let (candle_core::Storage::Cpu(k), candle_core::Storage::Cpu(v)) = (&*ks, &*vs) else {
            return Ok(None);
        };
        if self.k.dtype() != DType::F32 || !kl.is_contiguous() || !vl.is_contiguous() {
            return Ok(None);
        }
        let (_, kv_heads, rows, _) = self.k.dims4()?;
        let size = kv_heads * rows * head_dim;
        let (k, v) = (k.as_slice::<f32>()?, v.as_slice::<f32>()?);
        let keys = shopassist_kernels::attention::Cache {
            data: &k[kl.start_offset()..kl.start_offset() + size],
            room: rows,
            len: self.len,
        };
        let values = shopassist_kernels::attention::Cache {
            data: &v[vl.start_offset()..vl.start_offset() + size],
            room: rows,
            len: self.len,
        };
        let q = q.flatten_all()?.to_vec1::<f32>()?;
        Ok(Some(shopassist_kernels::attention::one_token(
            &q, &keys, &values, n_head, kv_heads, head_dim,
        )))
    }

    pub(super) fn keys(&self) -> Result<Tensor> {
        self.k.narrow(2, 0, self.len)
    }

    pub(super) fn values(&self) -> Result<Tensor> {
        self.v.narrow(2, 0, self.len)
    }
}

impl Clone for KvCache {
    fn clone(&self) -> Self {
        KvCache {
            k: self.k.clone(),
            v: self.v.clone(),
            len: self.len,
            writable: self.len,
        }
    }
}
