//! Quantized kernels of shopassist that live in a crate of their own so that they are
//! built optimised in every profile (the workspace's `Cargo.toml` gives this crate
//! `opt-level = 3` without debug assertions in dev and test): the tests run the real
//! model, and a kernel at `opt-level = 0` is slower than the scalar code it replaces.
//!
//! [`BlockQ4_1`] is ggml's Q4_1 block with a SIMD dot product. candle has none for
//! Q4_1 (its `vec_dot` is the scalar reference), and the small test model is Q4_1
//! throughout, where that scalar loop took 57 % of a constrained generation
//! (`perf record`). The integer part of each block's product is exact in any order;
//! the blocks' float parts are summed one by one in candle's order, so a product is
//! the same to the last bit as candle's and the model's text does not change.
//!
//! [`attention`] is one new token's attention over a KV cache, in plain loops.
//!
//! [`rows`] holds the row products for the default model's formats (Q4_K, Q6_K) and
//! for Q8_0 and Q5_0, with AVX-512 VNNI or AVX2, which the model code calls directly.

pub mod attention;
pub mod rows;

use candle_core::quantized::k_quants::{self as k, GgmlType};
use candle_core::quantized::GgmlDType;
use half::f16;

const QK: usize = 32;

/// ggml's Q4_1 block (the layout of candle's `k_quants::BlockQ4_1`): 32 weights of
/// four bits, `d × q + m`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C)]
pub struct BlockQ4_1 {
    d: f16,
    m: f16,
    qs: [u8; QK / 2],
}
const _: () = assert!(std::mem::size_of::<BlockQ4_1>() == std::mem::size_of::<k::BlockQ4_1>());
const _: () = assert!(std::mem::align_of::<BlockQ4_1>() == std::mem::align_of::<k::BlockQ4_1>());

/// ggml's Q8_1 block (candle's `k_quants::BlockQ8_1`, whose fields are private):
/// the activation's blocks, `d × q` with `s = d × Σq`.
#[repr(C)]
struct BlockQ8_1 {
    d: f16,
    s: f16,
    qs: [i8; QK],
}
const _: () = assert!(std::mem::size_of::<BlockQ8_1>() == std::mem::size_of::<k::BlockQ8_1>());
const _: () = assert!(std::mem::align_of::<BlockQ8_1>() == std::mem::align_of::<k::BlockQ8_1>());

/// Reinterprets blocks of one layout as another of the same size and alignment.
///
/// SAFETY: `A` and `B` must be `repr(C)` structs with the same fields in the same
/// order (asserted for size and alignment above).
unsafe fn cast<A, B>(xs: &[A]) -> &[B] {
    std::slice::from_raw_parts(xs.as_ptr() as *const B, xs.len())
}

/// SAFETY: as [`cast`].
unsafe fn cast_mut<A, B>(xs: &mut [A]) -> &mut [B] {
    std::slice::from_raw_parts_mut(xs.as_mut_ptr() as *mut B, xs.len())
}

/// The float part of one block's product, as candle writes it.
#[inline(always)]
fn block_sum(sumf: f32, sumi: i32, x: &BlockQ4_1, y: &BlockQ8_1) -> f32 {
    sumf + (sumi as f32 * x.d.to_f32() * y.d.to_f32() + x.m.to_f32() * y.s.to_f32())
}

/// One row of Q4_1 weights times a Q8_1 activation, portably.
fn dot_scalar(xs: &[BlockQ4_1], ys: &[BlockQ8_1]) -> f32 {
    let mut sumf = 0f32;
    for (x, y) in xs.iter().zip(ys) {
        let mut sumi = 0i32;
        for j in 0..QK / 2 {
            let v0 = (x.qs[j] & 0x0F) as i32;
            let v1 = (x.qs[j] >> 4) as i32;
            sumi += v0 * y.qs[j] as i32 + v1 * y.qs[j + QK / 2] as i32;
        }
        sumf = block_sum(sumf, sumi, x, y);
    }
    sumf
}

/// The same for `R` rows against one activation with AVX2 and F16C, eight blocks at
/// a time: each block's 32 nibbles against its 32 activations in one `vpmaddubsw`
/// (unsigned 4-bit times signed 8-bit, pairs summed into 16 bits: at most
/// 2 × 15 × 127, no saturation), the eight blocks' sums reduced together into exact
/// integers, their float parts `sumi × d × d' + m × s'` computed side by side with
/// separate multiplies and adds (no fused multiply-add, whose single rounding
/// candle's code does not have), then added to each row's total one block at a time,
/// in order. That last, sequential sum bounds the speed of one row; the rows' sums
/// are independent and overlap.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,f16c")]
unsafe fn dot_avx2<const R: usize>(rows: [&[BlockQ4_1]; R], ys: &[BlockQ8_1]) -> [f32; R] {
    use std::arch::x86_64::*;
    let m4 = _mm256_set1_epi8(0x0F);
    let ones = _mm256_set1_epi16(1);
    // The products of one block, eight 32-bit partial sums.
    let block = |x: &BlockQ4_1, a: __m256i| {
        let q = _mm_loadu_si128(x.qs.as_ptr() as *const __m128i);
        // Lanes 0-15 the low nibbles (weights 0-15), 16-31 the high ones (16-31).
        let w = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(q, 4), q), m4);
        _mm256_madd_epi16(_mm256_maddubs_epi16(w, a), ones)
    };
    let halves = |h: [f16; 8]| _mm256_cvtph_ps(_mm_loadu_si128(h.as_ptr() as *const __m128i));
    let mut sums = [0f32; R];
    let groups = ys.len() / 8;
    for g in 0..groups {
        let ys = &ys[8 * g..8 * g + 8];
        let a: [__m256i; 8] =
            std::array::from_fn(|b| _mm256_loadu_si256(ys[b].qs.as_ptr() as *const __m256i));
        let dy = halves(std::array::from_fn(|b| ys[b].d));
        let sy = halves(std::array::from_fn(|b| ys[b].s));
        let mut terms = [[0f32; 8]; R];
        for (xs, terms) in rows.iter().zip(terms.iter_mut()) {
            let xs = &xs[8 * g..8 * g + 8];
            let p: [__m256i; 8] = std::array::from_fn(|b| block(&xs[b], a[b]));
            // Eight vectors of eight partial sums to one vector of eight sums.
            let s0123 =
                _mm256_hadd_epi32(_mm256_hadd_epi32(p[0], p[1]), _mm256_hadd_epi32(p[2], p[3]));
            let s4567 =
                _mm256_hadd_epi32(_mm256_hadd_epi32(p[4], p[5]), _mm256_hadd_epi32(p[6], p[7]));
            let lo = _mm256_permute2x128_si256(s0123, s4567, 0x20);
            let hi = _mm256_permute2x128_si256(s0123, s4567, 0x31);
            let sumi = _mm256_cvtepi32_ps(_mm256_add_epi32(lo, hi));
            let dx = halves(std::array::from_fn(|b| xs[b].d));
            let mx = halves(std::array::from_fn(|b| xs[b].m));
            let t = _mm256_add_ps(
                _mm256_mul_ps(_mm256_mul_ps(sumi, dx), dy),
                _mm256_mul_ps(mx, sy),
            );
            _mm256_storeu_ps(terms.as_mut_ptr(), t);
        }
        // Independent per row: the CPU overlaps the rows' chains of additions.
        for (sum, terms) in sums.iter_mut().zip(&terms) {
            for t in terms {
                *sum += t;
            }
        }
    }
    // The blocks after the last eight, one by one.
    for (r, xs) in rows.iter().enumerate() {
        for (x, y) in xs[8 * groups..ys.len()].iter().zip(&ys[8 * groups..]) {
            let p = block(x, _mm256_loadu_si256(y.qs.as_ptr() as *const __m256i));
            let s = _mm_add_epi32(_mm256_castsi256_si128(p), _mm256_extracti128_si256(p, 1));
            let s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0b01_00_11_10));
            let s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0b10_11_00_01));
            sums[r] = block_sum(sums[r], _mm_cvtsi128_si32(s), x, y);
        }
    }
    sums
}

/// `R` rows of Q4_1 weights times one activation of `n` values, with the fastest
/// kernel this CPU has.
fn dot_rows<const R: usize>(n: usize, rows: [&[BlockQ4_1]; R], ys: &[k::BlockQ8_1]) -> [f32; R] {
    let blocks = n / QK;
    debug_assert!(n.is_multiple_of(QK) && ys.len() >= blocks);
    let rows = rows.map(|xs| &xs[..blocks]);
    // SAFETY: the same layout (asserted above); AVX2 and F16C only where the CPU
    // has them.
    unsafe {
        let ys = cast(&ys[..blocks]);
        #[cfg(target_arch = "x86_64")]
        if avx2() {
            return dot_avx2(rows, ys);
        }
        rows.map(|xs| dot_scalar(xs, ys))
    }
}

fn avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        static AVX2: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *AVX2.get_or_init(|| is_x86_feature_detected!("avx2") && is_x86_feature_detected!("f16c"))
    }
    #[cfg(not(target_arch = "x86_64"))]
    false
}

impl GgmlType for BlockQ4_1 {
    const DTYPE: GgmlDType = GgmlDType::Q4_1;
    const BLCK_SIZE: usize = QK;
    type VecDotType = k::BlockQ8_1;

    fn to_float(xs: &[Self], ys: &mut [f32]) {
        // SAFETY: the same layout (asserted above).
        k::BlockQ4_1::to_float(unsafe { cast(xs) }, ys)
    }

    fn from_float(xs: &[f32], ys: &mut [Self]) {
        // SAFETY: the same layout.
        k::BlockQ4_1::from_float(xs, unsafe { cast_mut(ys) })
    }

    fn vec_dot(n: usize, xs: &[Self], ys: &[Self::VecDotType]) -> f32 {
        let [d] = dot_rows(n, [xs], ys);
        d
    }

    fn vec_dot_2(n: usize, xs0: &[Self], xs1: &[Self], ys: &[Self::VecDotType]) -> (f32, f32) {
        let [d0, d1] = dot_rows(n, [xs0, xs1], ys);
        (d0, d1)
    }

    fn vec_dot_4(
        n: usize,
        xs0: &[Self],
        xs1: &[Self],
        xs2: &[Self],
        xs3: &[Self],
        ys: &[Self::VecDotType],
    ) -> (f32, f32, f32, f32) {
        let [d0, d1, d2, d3] = dot_rows(n, [xs0, xs1, xs2, xs3], ys);
        (d0, d1, d2, d3)
    }

    fn vec_dot_unopt(n: usize, xs: &[Self], ys: &[Self::VecDotType]) -> f32 {
        // SAFETY: the same layout.
        dot_scalar(&xs[..n / QK], unsafe { cast(&ys[..n / QK]) })
    }
}

/// `t` (Q4_1 on the CPU) with the SIMD dot product of [`BlockQ4_1`]; any other
/// tensor as it is.
pub fn fast_q4_1(
    t: candle_core::quantized::QTensor,
) -> candle_core::Result<candle_core::quantized::QTensor> {
    use candle_core::quantized::{QStorage, QTensor};
    if t.dtype() != GgmlDType::Q4_1 || !matches!(t.device(), candle_core::Device::Cpu) {
        return Ok(t);
    }
    let data = t.data()?;
    let size = std::mem::size_of::<BlockQ4_1>();
    if data.len() % size != 0 {
        candle_core::bail!(
            "Q4_1 data of {} bytes is no whole number of blocks",
            data.len()
        );
    }
    let blocks: Vec<BlockQ4_1> = data
        .chunks_exact(size)
        .map(|b| BlockQ4_1 {
            d: f16::from_le_bytes([b[0], b[1]]),
            m: f16::from_le_bytes([b[2], b[3]]),
            qs: b[4..].try_into().expect("16 bytes"),
        })
        .collect();
    QTensor::new(QStorage::Cpu(Box::new(blocks)), t.shape().clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::quantized::{QMatMul, QTensor};
    use candle_core::{Device, Module, Tensor};

    fn values(len: usize, seed: u64) -> Vec<f32> {
        (0..len)
            .map(|i| {
                let h = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ seed;
                ((h >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 2.0
            })
            .collect()
    }

    /// Candle's Q4_1 tensor of `n × k` weights and ours made from it.
    fn weights(n: usize, k: usize) -> (QTensor, QTensor) {
        let w = Tensor::from_vec(values(n * k, 7), (n, k), &Device::Cpu).unwrap();
        let theirs = QTensor::quantize(&w, GgmlDType::Q4_1).unwrap();
        let ours = fast_q4_1(QTensor::quantize(&w, GgmlDType::Q4_1).unwrap()).unwrap();
        (theirs, ours)
    }

    /// Products of one row, of several rows and of row counts that are no multiple
    /// of candle's tiles, and column counts that are no multiple of four: the same
    /// to the last bit as candle's scalar kernel.
    #[test]
    fn products_are_candles_to_the_bit() {
        for &(m, n, k) in &[(1, 37, 64), (1, 576, 576), (7, 130, 576), (33, 64, 1536)] {
            let (theirs, ours) = weights(n, k);
            let x = Tensor::from_vec(values(m * k, m as u64), (m, k), &Device::Cpu).unwrap();
            let a = QMatMul::from_qtensor(theirs).unwrap().forward(&x).unwrap();
            let b = QMatMul::from_qtensor(ours).unwrap().forward(&x).unwrap();
            let (a, b) = (
                a.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
                b.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
            );
            assert_eq!(a.len(), m * n);
            assert!(a.iter().any(|v| *v != 0.0));
            let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a), bits(&b), "{m}x{k} times {n}x{k}");
        }
    }

    /// The portable kernel is the AVX2 one's reference, bit for bit.
    #[test]
    fn the_portable_kernel_agrees() {
        let (_, ours) = weights(3, 256);
        let data = ours.data().unwrap();
        // SAFETY: `data` is whole Q4_1 blocks, which have alignment 2 in a Vec of them.
        let xs: &[BlockQ4_1] = unsafe {
            std::slice::from_raw_parts(data.as_ptr() as *const BlockQ4_1, data.len() / 20)
        };
        let mut ys = vec![<k::BlockQ8_1 as GgmlType>::zeros(); 8];
        k::BlockQ8_1::from_float(&values(256, 3), &mut ys);
        for row in xs.chunks(8) {
            let fast = BlockQ4_1::vec_dot(256, row, &ys);
            let unopt = BlockQ4_1::vec_dot_unopt(256, row, &ys);
            assert_eq!(fast.to_bits(), unopt.to_bits());
            assert_ne!(fast, 0.0);
        }
    }

    /// Other formats and devices pass through untouched.
    #[test]
    fn other_formats_are_left_alone() {
        let w = Tensor::from_vec(values(32 * 64, 1), (32, 64), &Device::Cpu).unwrap();
        let q = QTensor::quantize(&w, GgmlDType::Q8_0).unwrap();
        let same = fast_q4_1(q).unwrap();
        assert_eq!(same.dtype(), GgmlDType::Q8_0);
    }
}
