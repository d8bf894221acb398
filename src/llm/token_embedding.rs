//! The token embedding table, kept quantized on the CPU.
//!
//! Upstream's loaders dequantise the whole table to f32 at load, though a pass looks
//! up one row per token: for Qwen2.5's 151,936-token vocabulary that is 933 MB
//! (width 1,536) or 545 MB (width 896) held for nothing, beside the 131 or 67 MB of
//! the file's own blocks. Here the blocks stay as they are and each looked-up row is
//! dequantised into the pass's input, as llama.cpp does. On a GPU (or for a format
//! without blocks of its own here) the table is dequantised as upstream does.

use candle_core::quantized::k_quants::{
    BlockQ2K, BlockQ3K, BlockQ4K, BlockQ4_0, BlockQ4_1, BlockQ5K, BlockQ5_0, BlockQ5_1, BlockQ6K,
    BlockQ8_0, GgmlType,
};
use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::{bail, Device, Result, Tensor};

#[derive(Debug, Clone)]
pub struct TokenEmbedding {
    table: Table,
    dim: usize,
}

#[derive(Debug, Clone)]
enum Table {
    /// The file's blocks, one row per token (CPU).
    Blocks(std::sync::Arc<QTensor>),
    /// Dequantised, as upstream keeps it.
    Dense(Tensor),
}

impl TokenEmbedding {
    /// The table `(vocabulary, dim)` as read from the file.
    pub fn new(table: QTensor, device: &Device) -> Result<TokenEmbedding> {
        let (_, dim) = table.shape().dims2()?;
        let table = if device.is_cpu() && dequantize_fn(table.dtype()).is_some() {
            Table::Blocks(std::sync::Arc::new(table))
        } else {
            Table::Dense(table.dequantize(device)?)
        };
        Ok(TokenEmbedding { table, dim })
    }

    /// The rows of `ids` (any shape of u32), as `ids`' shape plus the width.
    pub fn forward(&self, ids: &Tensor) -> Result<Tensor> {
        let mut dims = ids.dims().to_vec();
        dims.push(self.dim);
        let table = match &self.table {
            Table::Dense(t) => return t.index_select(&ids.flatten_all()?, 0)?.reshape(dims),
            Table::Blocks(t) => t,
        };
        let (vocabulary, _) = table.shape().dims2()?;
        let dtype = table.dtype();
        let row_bytes = self.dim / dtype.block_size() * dtype.type_size();
        let data = table.data()?;
        let Some(dequantize) = dequantize_fn(dtype) else {
            bail!("no row dequantisation for {dtype:?}")
        };
        let ids: Vec<u32> = ids.flatten_all()?.to_vec1()?;
        let mut out = vec![0f32; ids.len() * self.dim];
        for (id, row) in ids.iter().zip(out.chunks_exact_mut(self.dim)) {
            let id = *id as usize;
            if id >= vocabulary {
                bail!("token id {id} outside the vocabulary of {vocabulary}")
            }
            dequantize(&data[id * row_bytes..(id + 1) * row_bytes], row)?;
        }
        Tensor::from_vec(out, dims, &Device::Cpu)
    }
}

type DequantizeFn = fn(&[u8], &mut [f32]) -> Result<()>;

/// Dequantises one row of blocks of `dtype`, where we know the block type.
fn dequantize_fn(dtype: GgmlDType) -> Option<DequantizeFn> {
    Some(match dtype {
        GgmlDType::Q4_0 => row::<BlockQ4_0>,
        GgmlDType::Q4_1 => row::<BlockQ4_1>,
        GgmlDType::Q5_0 => row::<BlockQ5_0>,
        GgmlDType::Q5_1 => row::<BlockQ5_1>,
        GgmlDType::Q8_0 => row::<BlockQ8_0>,
        GgmlDType::Q2K => row::<BlockQ2K>,
        GgmlDType::Q3K => row::<BlockQ3K>,
        GgmlDType::Q4K => row::<BlockQ4K>,
        GgmlDType::Q5K => row::<BlockQ5K>,
        GgmlDType::Q6K => row::<BlockQ6K>,
        GgmlDType::F16 => row::<half::f16>,
        GgmlDType::F32 => row::<f32>,
        _ => return None,
    })
}

/// One row of `T` blocks (`bytes`, from candle's storage of `T`) into `out`.
fn row<T: GgmlType>(bytes: &[u8], out: &mut [f32]) -> Result<()> {
    let size = std::mem::size_of::<T>();
    if !bytes.len().is_multiple_of(size)
        || !(bytes.as_ptr() as usize).is_multiple_of(std::mem::align_of::<T>())
    {
        bail!("a row of {} bytes is not whole aligned blocks", bytes.len())
    }
    // SAFETY: candle stores the table as a `Vec<T>` and a row starts at a multiple
    // of whole blocks, so `bytes` is aligned (checked above) whole values of `T`,
    // which are plain data (integers and floats).
    let blocks =
        unsafe { std::slice::from_raw_parts(bytes.as_ptr() as *const T, bytes.len() / size) };
    T::to_float(blocks, out);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows looked up from the blocks are the rows of the dequantised table, for
    /// the formats of our models and the test model.
    #[test]
    fn rows_are_those_of_the_dequantised_table() {
        let (vocabulary, dim) = (50, 256);
        let values: Vec<f32> = (0..vocabulary * dim)
            .map(|i| ((i * 7919) % 1013) as f32 / 500.0 - 1.0)
            .collect();
        let dense = Tensor::from_vec(values, (vocabulary, dim), &Device::Cpu).unwrap();
        for dtype in [
            GgmlDType::Q4K,
            GgmlDType::Q6K,
            GgmlDType::Q5_0,
            GgmlDType::Q8_0,
            GgmlDType::Q4_1,
        ] {
            let q = QTensor::quantize(&dense, dtype).unwrap();
            let want = q.dequantize(&Device::Cpu).unwrap();
            let table = TokenEmbedding::new(q, &Device::Cpu).unwrap();
            assert!(matches!(table.table, Table::Blocks(_)), "{dtype:?}");
            let ids = Tensor::new(&[[3u32, 0, 49], [7, 7, 1]], &Device::Cpu).unwrap();
            let got = table.forward(&ids).unwrap();
            assert_eq!(got.dims(), &[2, 3, dim]);
            let want = want
                .index_select(&ids.flatten_all().unwrap(), 0)
                .unwrap()
                .reshape((2, 3, dim))
                .unwrap();
            let diff: f32 = (got - want)
                .unwrap()
                .abs()
                .unwrap()
                .max_all()
                .unwrap()
                .to_scalar()
                .unwrap();
            assert_eq!(diff, 0.0, "{dtype:?}");
        }
    }

    #[test]
    fn an_id_outside_the_vocabulary_is_an_error() {
        let dense = Tensor::zeros((4, 32), candle_core::DType::F32, &Device::Cpu).unwrap();
        let q = QTensor::quantize(&dense, GgmlDType::Q8_0).unwrap();
        let table = TokenEmbedding::new(q, &Device::Cpu).unwrap();
        let ids = Tensor::new(&[4u32], &Device::Cpu).unwrap();
        assert!(table.forward(&ids).is_err());
    }
}
