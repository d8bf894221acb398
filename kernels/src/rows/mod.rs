//! Our own quantized kernels, where candle's are the bottleneck.
//!
//! Generating a token multiplies every weight matrix by one activation row, so a
//! token costs one pass over the weights. On two cores candle's one-row products are
//! compute-bound, not memory-bound: they scale linearly with threads, at ~10 GB/s of
//! Q6_K weights per core (its AVX2 port of ggml's kernel) and ~16 GB/s of Q4_K (its
//! repacked AVX-512 kernel) when the weights stream from memory, as they do for every
//! token. The default model is Q4_K and Q6_K throughout; the small one mostly Q5_0
//! and Q8_0, where candle's AVX2 kernels stream only ~13 and ~28 GB/s. This
//! module's row products use AVX-512 VNNI (`vpdpbusd`, chosen at run time with
//! `is_x86_feature_detected!`): Q4_K and Q6_K × Q8_K on 64 bytes of weights at a
//! time, taking the offsets (Q4_K's minimums, Q6_K's `-32`) from the activation's
//! precomputed 16-value sums instead of a second multiply per value; Q8_0 and Q5_0
//! × Q8_0 a block of 32 at a time, the weights' signs moved onto the activations.
//! A CPU with AVX2 and FMA but no AVX-512 VNNI runs the same sums with
//! `vpmaddubsw` (`avx2`); any other the portable kernels (`Kernel::Portable`, for
//! tests) or candle's. Rows are split over rayon's pool, which lives as long as the
//! process.
//!
//! Several activation rows (a prompt, a scoring pass) times Q8_0 or Q5_0 weights go
//! through `tiles`: 16 weight rows laid out once for `vpdpbusd`, four activation
//! rows against them at a time. For Q4_K and Q6_K prompts candle's repacked tiles
//! do the same and run as before; so do candle's kernels for prompts without VNNI
//! and for other formats. `BENCHMARKS.md` has the figures.
//!
//! The activation is quantised exactly as candle (ggml) does; each kernel is tested
//! against dequantised weights, against the portable kernel and against candle.

#[cfg(target_arch = "x86_64")]
mod avx2;
mod tiles;

use candle_core::quantized::{GgmlDType, QMatMul};
use candle_core::{Device, Module, Result, Tensor};
use rayon::prelude::*;

const QK_K: usize = 256;

/// A Q6_K block (ggml's layout): 256 weights of 6 bits with one 8-bit scale per 16.
#[repr(C)]
#[derive(Clone, Copy)]
struct BlockQ6K {
    ql: [u8; QK_K / 2],
    qh: [u8; QK_K / 4],
    scales: [i8; QK_K / 16],
    d: [u8; 2],
}
const _: () = assert!(std::mem::size_of::<BlockQ6K>() == 210);

/// A Q4_K block: 256 weights of 4 bits in eight groups of 32, each with a 6-bit
/// scale and a 6-bit minimum (packed in `scales`), under two f16 super-scales.
#[repr(C)]
#[derive(Clone, Copy)]
struct BlockQ4K {
    d: [u8; 2],
    dmin: [u8; 2],
    scales: [u8; 12],
    qs: [u8; QK_K / 2],
}
const _: () = assert!(std::mem::size_of::<BlockQ4K>() == 144);

/// The eight (scale, minimum) pairs of a Q4_K block, as ggml packs them.
fn q4k_scales_mins(q: &[u8; 12]) -> ([i32; 8], [i32; 8]) {
    let (mut sc, mut m) = ([0i32; 8], [0i32; 8]);
    for j in 0..8 {
        let (a, b) = if j < 4 {
            (q[j] & 63, q[j + 4] & 63)
        } else {
            (
                (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4),
                (q[j + 4] >> 4) | ((q[j] >> 6) << 4),
            )
        };
        sc[j] = a as i32;
        m[j] = b as i32;
    }
    (sc, m)
}

/// The minimums' share of a Q4_K block's dot product: Σ min × (sum of its 32
/// activations), from the activation's 16-value sums.
fn q4k_min_term(mins: &[i32; 8], a: &BlockQ8K) -> i32 {
    mins.iter()
        .enumerate()
        .map(|(s, &m)| m * (a.bsums[2 * s] as i32 + a.bsums[2 * s + 1] as i32))
        .sum()
}

/// One row of Q4_K weights times a Q8_K activation, portably.
fn dot_q4k_scalar(w: &[BlockQ4K], a: &[BlockQ8K]) -> f32 {
    let mut sum = 0f32;
    for (x, y) in w.iter().zip(a) {
        let (sc, mins) = q4k_scales_mins(&x.scales);
        let mut isum = 0i32;
        for j in 0..4 {
            let (lo, hi) = (&y.qs[64 * j..64 * j + 32], &y.qs[64 * j + 32..64 * j + 64]);
            let q = &x.qs[32 * j..32 * j + 32];
            let (mut s_lo, mut s_hi) = (0i32, 0i32);
            for l in 0..32 {
                s_lo += (q[l] & 0xF) as i32 * lo[l] as i32;
                s_hi += (q[l] >> 4) as i32 * hi[l] as i32;
            }
            isum += sc[2 * j] * s_lo + sc[2 * j + 1] * s_hi;
        }
        sum +=
            f16_at(x.d) * y.d * isum as f32 - f16_at(x.dmin) * y.d * q4k_min_term(&mins, y) as f32;
    }
    sum
}

/// The eight scales and eight minimums of a Q4_K block as bytes, unpacked with
/// ggml's word operations (the portable kernel's [`q4k_scales_mins`] is the plain
/// reading, and the tests hold the two kernels together).
fn q4k_unpack(q: &[u8; 12]) -> ([u8; 8], [u8; 8]) {
    const K1: u32 = 0x3f3f_3f3f;
    const K2: u32 = 0x0f0f_0f0f;
    const K3: u32 = 0x0303_0303;
    let w = |i: usize| u32::from_le_bytes([q[4 * i], q[4 * i + 1], q[4 * i + 2], q[4 * i + 3]]);
    let (u0, u1, u2) = (w(0), w(1), w(2));
    let scales_hi = (u2 & K2) | (((u0 >> 6) & K3) << 4);
    let mins_hi = ((u2 >> 4) & K2) | (((u1 >> 6) & K3) << 4);
    let mut sc = [0u8; 8];
    let mut m = [0u8; 8];
    sc[..4].copy_from_slice(&(u0 & K1).to_le_bytes());
    sc[4..].copy_from_slice(&scales_hi.to_le_bytes());
    m[..4].copy_from_slice(&(u1 & K1).to_le_bytes());
    m[4..].copy_from_slice(&mins_hi.to_le_bytes());
    (sc, m)
}

/// The same with AVX-512 VNNI: 64 bytes of weights (128 values, four groups of 32)
/// at a time, low and high nibbles each against their 64 activations (laid out in
/// that order once per product, [`Activation::q4k_order`]); the minimums' share from
/// the activation's 32-value sums.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni")]
unsafe fn dot_q4k_vnni(w: &[BlockQ4K], a: &Activation) -> f32 {
    use std::arch::x86_64::*;
    let m4 = _mm512_set1_epi8(0x0F);
    // Lanes 0-7 of the low nibbles' sums belong to group 4p, lanes 8-15 to group
    // 4p + 2; the high nibbles' to 4p + 1 and 4p + 3.
    let two = |a: i32, b: i32| _mm512_inserti64x4(_mm512_set1_epi32(a), _mm256_set1_epi32(b), 1);
    let idx = [two(0, 2), two(1, 3), two(4, 6), two(5, 7)];
    let mut acc = _mm512_setzero_ps();
    let mut acc_min = _mm_setzero_ps();
    for (b, x) in w.iter().enumerate() {
        let y = &a.blocks[b];
        let ordered = a.q4k_order[b].as_ptr();
        let (sc, mins) = q4k_unpack(&x.scales);
        let scales = _mm512_cvtepu8_epi32(_mm_loadl_epi64(sc.as_ptr() as *const __m128i));
        let mut sumi = _mm512_setzero_si512();
        for p in 0..2 {
            let q = _mm512_loadu_si512(x.qs.as_ptr().add(64 * p) as *const _);
            let lo = _mm512_and_si512(q, m4);
            let hi = _mm512_and_si512(_mm512_srli_epi16(q, 4), m4);
            let a_lo = _mm512_loadu_si512(ordered.add(128 * p) as *const _);
            let a_hi = _mm512_loadu_si512(ordered.add(128 * p + 64) as *const _);
            let p_lo = _mm512_dpbusd_epi32(_mm512_setzero_si512(), lo, a_lo);
            let p_hi = _mm512_dpbusd_epi32(_mm512_setzero_si512(), hi, a_hi);
            let s_lo = _mm512_permutexvar_epi32(idx[2 * p], scales);
            let s_hi = _mm512_permutexvar_epi32(idx[2 * p + 1], scales);
            sumi = _mm512_add_epi32(sumi, _mm512_mullo_epi32(p_lo, s_lo));
            sumi = _mm512_add_epi32(sumi, _mm512_mullo_epi32(p_hi, s_hi));
        }
        acc = _mm512_fmadd_ps(
            _mm512_set1_ps(f16_at(x.d) * y.d),
            _mm512_cvtepi32_ps(sumi),
            acc,
        );
        let m = _mm_madd_epi16(
            _mm_cvtepu8_epi16(_mm_loadl_epi64(mins.as_ptr() as *const __m128i)),
            _mm_loadu_si128(a.group_sums[b].as_ptr() as *const __m128i),
        );
        acc_min = _mm_fmadd_ps(
            _mm_set1_ps(f16_at(x.dmin) * y.d),
            _mm_cvtepi32_ps(m),
            acc_min,
        );
    }
    let mins = _mm_add_ps(acc_min, _mm_movehl_ps(acc_min, acc_min));
    let mins = _mm_add_ss(mins, _mm_shuffle_ps(mins, mins, 1));
    _mm512_reduce_add_ps(acc) - _mm_cvtss_f32(mins)
}

/// The activation of one product, quantised once and shared by every row: its Q8_K
/// blocks and, for the VNNI Q4_K kernel only, the sums of each 32 values (Q4_K's
/// groups) and, per block, its values in the order that kernel's nibbles meet them.
struct Activation {
    blocks: Vec<BlockQ8K>,
    group_sums: Vec<[i16; 8]>,
    q4k_order: Vec<[i8; QK_K]>,
    /// For Q8_0 and Q5_0 weights, Q8_0 blocks of 32: each block's scale (rounded to
    /// f16, as ggml stores it) and all values in a row.
    d32: Vec<f32>,
    qs32: Vec<i8>,
}

impl Activation {
    /// `x` quantised for weights in `format` and the `kernel` that reads it: Q8_K
    /// for the K formats, Q8_0 for the formats with blocks of 32.
    fn new(x: &[f32], format: Format, kernel: Kernel) -> Activation {
        if matches!(format, Format::Q8_0 | Format::Q5_0) {
            let (d32, qs32) = quantize_q8_0(x);
            return Activation {
                blocks: Vec::new(),
                group_sums: Vec::new(),
                q4k_order: Vec::new(),
                d32,
                qs32,
            };
        }
        let blocks = quantize_q8k(x);
        if (format, kernel) != (Format::Q4K, Kernel::Vnni) {
            return Activation {
                blocks,
                group_sums: Vec::new(),
                q4k_order: Vec::new(),
                d32: Vec::new(),
                qs32: Vec::new(),
            };
        }
        let group_sums = blocks
            .iter()
            .map(|b| std::array::from_fn(|s| b.bsums[2 * s] + b.bsums[2 * s + 1]))
            .collect();
        let q4k_order = blocks
            .iter()
            .map(|b| {
                let mut o = [0i8; QK_K];
                // For each 128 values: groups 0 and 2 (low nibbles), then 1 and 3.
                for p in 0..2 {
                    for (j, from) in [0, 64, 32, 96].into_iter().enumerate() {
                        o[128 * p + 32 * j..128 * p + 32 * j + 32]
                            .copy_from_slice(&b.qs[128 * p + from..128 * p + from + 32]);
                    }
                }
                o
            })
            .collect();
        Activation {
            blocks,
            group_sums,
            q4k_order,
            d32: Vec::new(),
            qs32: Vec::new(),
        }
    }
}

/// Quantises `x` (a multiple of 32 long) to Q8_0 as ggml and candle do: per 32
/// values a scale `max |x| / 127`, stored as f16.
fn quantize_q8_0(x: &[f32]) -> (Vec<f32>, Vec<i8>) {
    let mut d32 = vec![0.0; x.len() / 32];
    let mut qs32 = vec![0; x.len()];
    quantize_q8_0_into(x, &mut d32, &mut qs32);
    (d32, qs32)
}

/// [`quantize_q8_0`] into slices of the right length.
fn quantize_q8_0_into(x: &[f32], d32: &mut [f32], qs32: &mut [i8]) {
    for ((xs, d32), qs) in x.chunks_exact(32).zip(d32).zip(qs32.chunks_exact_mut(32)) {
        let amax = xs.iter().fold(0f32, |m, v| m.max(v.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        *d32 = half::f16::from_f32(d).to_f32();
        for (q, &v) in qs.iter_mut().zip(xs) {
            *q = (v * id).round() as i8;
        }
    }
}

/// A Q8_0 block: 32 weights as i8 under one f16 scale.
#[repr(C)]
#[derive(Clone, Copy)]
struct BlockQ8_0 {
    d: [u8; 2],
    qs: [i8; 32],
}
const _: () = assert!(std::mem::size_of::<BlockQ8_0>() == 34);

/// A Q5_0 block: 32 weights of 5 bits (low nibbles in `qs`, value j's fifth bit is
/// bit j of `qh`), offset by 16, under one f16 scale.
#[repr(C)]
#[derive(Clone, Copy)]
struct BlockQ5_0 {
    d: [u8; 2],
    qh: [u8; 4],
    qs: [u8; 16],
}
const _: () = assert!(std::mem::size_of::<BlockQ5_0>() == 22);

/// The signed values of a Q5_0 block, in order.
fn q5_0_values(x: &BlockQ5_0) -> [i32; 32] {
    let qh = u32::from_le_bytes(x.qh);
    std::array::from_fn(|v| {
        let nibble = if v < 16 {
            x.qs[v] & 0xF
        } else {
            x.qs[v - 16] >> 4
        };
        (nibble as i32 | ((((qh >> v) & 1) as i32) << 4)) - 16
    })
}

/// One row of Q8_0 weights times a Q8_0 activation, portably.
fn dot_q8_0_scalar(w: &[BlockQ8_0], d32: &[f32], qs32: &[i8]) -> f32 {
    w.iter()
        .enumerate()
        .map(|(b, x)| {
            let a = &qs32[32 * b..32 * b + 32];
            let s: i32 = x.qs.iter().zip(a).map(|(&w, &a)| w as i32 * a as i32).sum();
            s as f32 * f16_at(x.d) * d32[b]
        })
        .sum()
}

/// One row of Q5_0 weights times a Q8_0 activation, portably.
fn dot_q5_0_scalar(w: &[BlockQ5_0], d32: &[f32], qs32: &[i8]) -> f32 {
    w.iter()
        .enumerate()
        .map(|(b, x)| {
            let a = &qs32[32 * b..32 * b + 32];
            let s: i32 = q5_0_values(x)
                .iter()
                .zip(a)
                .map(|(&w, &a)| w * a as i32)
                .sum();
            s as f32 * f16_at(x.d) * d32[b]
        })
        .sum()
}

/// The signed products of 32 weights and 32 activations summed by four, with VNNI:
/// `vpdpbusd` takes unsigned × signed, so the weights' signs move to the activations.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni")]
unsafe fn dot32_signed(w: std::arch::x86_64::__m256i, a: *const i8) -> std::arch::x86_64::__m256 {
    use std::arch::x86_64::*;
    let a = _mm256_loadu_si256(a as *const __m256i);
    let negative = _mm256_movepi8_mask(w);
    let a = _mm256_mask_sub_epi8(a, negative, _mm256_setzero_si256(), a);
    _mm256_cvtepi32_ps(_mm256_dpbusd_epi32(
        _mm256_setzero_si256(),
        _mm256_abs_epi8(w),
        a,
    ))
}

/// Horizontal sum of eight f32 (for the VNNI and the AVX2 kernels).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn hsum256(v: std::arch::x86_64::__m256) -> f32 {
    use std::arch::x86_64::*;
    let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)))
}

/// Q8_0 × Q8_0 with VNNI, a block of 32 at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni")]
unsafe fn dot_q8_0_vnni(w: &[BlockQ8_0], d32: &[f32], qs32: &[i8]) -> f32 {
    use std::arch::x86_64::*;
    let mut acc = _mm256_setzero_ps();
    for (b, x) in w.iter().enumerate() {
        let wv = _mm256_loadu_si256(x.qs.as_ptr() as *const __m256i);
        let dot = dot32_signed(wv, qs32.as_ptr().add(32 * b));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(f16_at(x.d) * d32[b]), dot, acc);
    }
    hsum256(acc)
}

/// A Q5_0 block's 32 unsigned 5-bit values (the weights plus 16), in order, with
/// AVX-512: the fifth bits come from `qh` as a byte mask.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni")]
unsafe fn q5_0_unsigned_vnni(x: &BlockQ5_0) -> std::arch::x86_64::__m256i {
    use std::arch::x86_64::*;
    let m4 = _mm_set1_epi8(0x0F);
    let q = _mm_loadu_si128(x.qs.as_ptr() as *const __m128i);
    let lo = _mm_and_si128(q, m4);
    let hi = _mm_and_si128(_mm_srli_epi16(q, 4), m4);
    let nibbles = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
    let fifth = _mm256_maskz_set1_epi8(u32::from_le_bytes(x.qh), 0x10);
    _mm256_or_si256(nibbles, fifth)
}

/// Q5_0 × Q8_0 with VNNI.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni")]
unsafe fn dot_q5_0_vnni(w: &[BlockQ5_0], d32: &[f32], qs32: &[i8]) -> f32 {
    use std::arch::x86_64::*;
    let sixteen = _mm256_set1_epi8(16);
    let mut acc = _mm256_setzero_ps();
    for (b, x) in w.iter().enumerate() {
        let wv = _mm256_sub_epi8(q5_0_unsigned_vnni(x), sixteen);
        let dot = dot32_signed(wv, qs32.as_ptr().add(32 * b));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(f16_at(x.d) * d32[b]), dot, acc);
    }
    hsum256(acc)
}

/// A Q8_K block: 256 activations as i8 with one f32 scale and the sums of each 16.
#[repr(C)]
#[derive(Clone, Copy)]
struct BlockQ8K {
    d: f32,
    qs: [i8; QK_K],
    bsums: [i16; QK_K / 16],
}

impl BlockQ8K {
    const ZERO: BlockQ8K = BlockQ8K {
        d: 0.0,
        qs: [0; QK_K],
        bsums: [0; QK_K / 16],
    };
}

/// Quantises `x` (a multiple of 256 long) to Q8_K as ggml and candle do.
fn quantize_q8k(x: &[f32]) -> Vec<BlockQ8K> {
    x.chunks_exact(QK_K)
        .map(|xs| {
            let mut y = BlockQ8K::ZERO;
            let (mut max, mut amax) = (0f32, 0f32);
            for &v in xs {
                if amax < v.abs() {
                    amax = v.abs();
                    max = v;
                }
            }
            if amax == 0.0 {
                return y;
            }
            let iscale = -127f32 / max;
            for (q, &v) in y.qs.iter_mut().zip(xs) {
                *q = (iscale * v).round().clamp(-128.0, 127.0) as i8;
            }
            for (s, group) in y.bsums.iter_mut().zip(y.qs.chunks_exact(16)) {
                *s = group.iter().map(|&q| q as i32).sum::<i32>() as i16;
            }
            y.d = 1.0 / iscale;
            y
        })
        .collect()
}

fn f16_at(bytes: [u8; 2]) -> f32 {
    half::f16::from_le_bytes(bytes).to_f32()
}

/// One row of Q6_K weights times a Q8_K activation, portably.
fn dot_q6k_scalar(w: &[BlockQ6K], a: &[BlockQ8K]) -> f32 {
    let mut sum = 0f32;
    for (x, y) in w.iter().zip(a) {
        let mut isum = 0i32;
        for half in 0..2 {
            let (ql, qh) = (&x.ql[64 * half..], &x.qh[32 * half..]);
            let q8 = &y.qs[128 * half..];
            let sc = &x.scales[8 * half..];
            for l in 0..32 {
                let q = [
                    (ql[l] & 0xF) | ((qh[l] & 3) << 4),
                    (ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4),
                    (ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4),
                    (ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4),
                ];
                for (j, &q) in q.iter().enumerate() {
                    let v = l + 32 * j;
                    isum += sc[v / 16] as i32 * q as i32 * q8[v] as i32;
                }
            }
        }
        let offset: i32 = x
            .scales
            .iter()
            .zip(&y.bsums)
            .map(|(&s, &b)| s as i32 * b as i32)
            .sum();
        sum += f16_at(x.d) * y.d * (isum - 32 * offset) as f32;
    }
    sum
}

/// The same with AVX-512 VNNI: each half block (128 weights) is two 64-byte vectors
/// of unsigned 6-bit values in activation order, multiplied and summed by four with
/// `vpdpbusd`, then weighted by their 16-value scales.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni")]
unsafe fn dot_q6k_vnni(w: &[BlockQ6K], a: &[BlockQ8K]) -> f32 {
    use std::arch::x86_64::*;
    let m4 = _mm512_set1_epi8(0x0F);
    let m2 = _mm512_set1_epi8(3);
    // Shift counts per 16-bit lane: the lower 32 bytes take qh's bits 0-1 (4-5),
    // the upper 32 bytes bits 2-3 (6-7).
    let shift_a = _mm512_inserti64x4(_mm512_set1_epi16(0), _mm256_set1_epi16(2), 1);
    let shift_b = _mm512_inserti64x4(_mm512_set1_epi16(4), _mm256_set1_epi16(6), 1);
    // Lane i of a 16-value group's dot products takes scale i/4 (+4 per vector).
    let lanes = |first: i32| {
        _mm512_setr_epi32(
            first,
            first,
            first,
            first,
            first + 1,
            first + 1,
            first + 1,
            first + 1,
            first + 2,
            first + 2,
            first + 2,
            first + 2,
            first + 3,
            first + 3,
            first + 3,
            first + 3,
        )
    };
    let idx = [lanes(0), lanes(4), lanes(8), lanes(12)];
    let mut acc = _mm512_setzero_ps();
    for (x, y) in w.iter().zip(a) {
        let scales = _mm512_cvtepi8_epi32(_mm_loadu_si128(x.scales.as_ptr() as *const __m128i));
        let mut sumi = _mm512_setzero_si512();
        for half in 0..2 {
            let ql = _mm512_loadu_si512(x.ql.as_ptr().add(64 * half) as *const _);
            let qh = _mm256_loadu_si256(x.qh.as_ptr().add(32 * half) as *const __m256i);
            let qh = _mm512_inserti64x4(_mm512_castsi256_si512(qh), qh, 1);
            let high_a = _mm512_slli_epi16(_mm512_and_si512(_mm512_srlv_epi16(qh, shift_a), m2), 4);
            let high_b = _mm512_slli_epi16(_mm512_and_si512(_mm512_srlv_epi16(qh, shift_b), m2), 4);
            let qa = _mm512_or_si512(_mm512_and_si512(ql, m4), high_a);
            let qb = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(ql, 4), m4), high_b);
            let q8 = y.qs.as_ptr().add(128 * half);
            let pa = _mm512_dpbusd_epi32(
                _mm512_setzero_si512(),
                qa,
                _mm512_loadu_si512(q8 as *const _),
            );
            let pb = _mm512_dpbusd_epi32(
                _mm512_setzero_si512(),
                qb,
                _mm512_loadu_si512(q8.add(64) as *const _),
            );
            let sa = _mm512_permutexvar_epi32(idx[2 * half], scales);
            let sb = _mm512_permutexvar_epi32(idx[2 * half + 1], scales);
            sumi = _mm512_add_epi32(sumi, _mm512_mullo_epi32(pa, sa));
            sumi = _mm512_add_epi32(sumi, _mm512_mullo_epi32(pb, sb));
        }
        // The -32 of every weight: 32 × Σ scale × (its 16 activations' sum).
        let offset = _mm256_madd_epi16(
            _mm256_cvtepi8_epi16(_mm_loadu_si128(x.scales.as_ptr() as *const __m128i)),
            _mm256_loadu_si256(y.bsums.as_ptr() as *const __m256i),
        );
        let sumi = _mm512_sub_epi32(sumi, _mm512_zextsi256_si512(_mm256_slli_epi32(offset, 5)));
        let d = f16_at(x.d) * y.d;
        acc = _mm512_fmadd_ps(_mm512_set1_ps(d), _mm512_cvtepi32_ps(sumi), acc);
    }
    _mm512_reduce_add_ps(acc)
}

/// Which implementation of the row products this machine runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    Vnni,
    /// AVX2 and FMA without AVX-512 VNNI: the one-row kernels of `avx2`.
    Avx2,
    Portable,
}

/// Set to force the portable kernels (to compare, or on a CPU that misreports).
pub const ENV_PORTABLE: &str = "SHOPASSIST_PORTABLE_KERNELS";

/// The fastest kernel this CPU supports, detected once ([`ENV_PORTABLE`] forces the
/// portable one).
pub fn kernel() -> Kernel {
    static KERNEL: std::sync::OnceLock<Kernel> = std::sync::OnceLock::new();
    *KERNEL.get_or_init(|| {
        if std::env::var_os(ENV_PORTABLE).is_some() {
            return Kernel::Portable;
        }
        #[cfg(target_arch = "x86_64")]
        if is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512bw")
            && is_x86_feature_detected!("avx512vl")
            && is_x86_feature_detected!("avx512vnni")
        {
            return Kernel::Vnni;
        }
        #[cfg(target_arch = "x86_64")]
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            return Kernel::Avx2;
        }
        Kernel::Portable
    })
}

/// The weight formats with kernels of our own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Q4K,
    Q6K,
    Q8_0,
    Q5_0,
}

impl Format {
    fn of(dtype: GgmlDType) -> Option<Format> {
        match dtype {
            GgmlDType::Q4K => Some(Format::Q4K),
            GgmlDType::Q6K => Some(Format::Q6K),
            GgmlDType::Q8_0 => Some(Format::Q8_0),
            GgmlDType::Q5_0 => Some(Format::Q5_0),
            _ => None,
        }
    }

    fn block_bytes(self) -> usize {
        match self {
            Format::Q4K => std::mem::size_of::<BlockQ4K>(),
            Format::Q6K => std::mem::size_of::<BlockQ6K>(),
            Format::Q8_0 => std::mem::size_of::<BlockQ8_0>(),
            Format::Q5_0 => std::mem::size_of::<BlockQ5_0>(),
        }
    }

    /// Weights per block.
    fn block_values(self) -> usize {
        match self {
            Format::Q4K | Format::Q6K => QK_K,
            Format::Q8_0 | Format::Q5_0 => 32,
        }
    }
}

/// Blocks of plain bytes (alignment 1) viewed as ggml's block structs.
///
/// SAFETY: `T` must be a `repr(C)` struct of byte arrays, and `bytes` a whole
/// number of them.
unsafe fn blocks<T>(bytes: &[u8]) -> &[T] {
    debug_assert_eq!(std::mem::align_of::<T>(), 1);
    std::slice::from_raw_parts(
        bytes.as_ptr() as *const T,
        bytes.len() / std::mem::size_of::<T>(),
    )
}

fn dot(format: Format, kernel: Kernel, row: &[u8], a: &Activation) -> f32 {
    // SAFETY: the block types are byte arrays in ggml's layout, `row` is whole
    // blocks, and `Vnni` and `Avx2` are only chosen where the CPU has their
    // features.
    unsafe {
        match (format, kernel) {
            #[cfg(target_arch = "x86_64")]
            (Format::Q4K, Kernel::Vnni) => dot_q4k_vnni(blocks(row), a),
            #[cfg(target_arch = "x86_64")]
            (Format::Q6K, Kernel::Vnni) => dot_q6k_vnni(blocks(row), &a.blocks),
            #[cfg(target_arch = "x86_64")]
            (Format::Q8_0, Kernel::Vnni) => dot_q8_0_vnni(blocks(row), &a.d32, &a.qs32),
            #[cfg(target_arch = "x86_64")]
            (Format::Q5_0, Kernel::Vnni) => dot_q5_0_vnni(blocks(row), &a.d32, &a.qs32),
            #[cfg(target_arch = "x86_64")]
            (Format::Q4K, Kernel::Avx2) => avx2::dot_q4k(blocks(row), &a.blocks),
            #[cfg(target_arch = "x86_64")]
            (Format::Q6K, Kernel::Avx2) => avx2::dot_q6k(blocks(row), &a.blocks),
            #[cfg(target_arch = "x86_64")]
            (Format::Q8_0, Kernel::Avx2) => avx2::dot_q8_0(blocks(row), &a.d32, &a.qs32),
            #[cfg(target_arch = "x86_64")]
            (Format::Q5_0, Kernel::Avx2) => avx2::dot_q5_0(blocks(row), &a.d32, &a.qs32),
            (Format::Q4K, _) => dot_q4k_scalar(blocks(row), &a.blocks),
            (Format::Q6K, _) => dot_q6k_scalar(blocks(row), &a.blocks),
            (Format::Q8_0, _) => dot_q8_0_scalar(blocks(row), &a.d32, &a.qs32),
            (Format::Q5_0, _) => dot_q5_0_scalar(blocks(row), &a.d32, &a.qs32),
        }
    }
}

/// `n` rows of weights in `format` (`bytes`, each row `k` wide, `k` a multiple of
/// the format's block) times the activation `x`, with `kernel`, rows split over
/// rayon's threads.
pub fn gemv(
    format: Format,
    kernel: Kernel,
    bytes: &[u8],
    n: usize,
    k: usize,
    x: &[f32],
) -> Vec<f32> {
    assert!(
        k.is_multiple_of(format.block_values()) && x.len() == k,
        "k {k}, activation {}",
        x.len()
    );
    let row_bytes = k / format.block_values() * format.block_bytes();
    assert_eq!(bytes.len(), n * row_bytes, "weights of {n}x{k} {format:?}");
    let a = Activation::new(x, format, kernel);
    let mut out = vec![0f32; n];
    // rayon's pool, as candle's element-wise ops use: its workers are warm between
    // a token's ~200 products. (candle's spinning barrier pool measured 10 % slower
    // end to end: its workers compete with rayon's for the two cores.)
    const ROWS: usize = 256;
    out.par_chunks_mut(ROWS)
        .enumerate()
        .for_each(|(chunk, dst)| {
            let rows = &bytes[chunk * ROWS * row_bytes..];
            for (d, row) in dst.iter_mut().zip(rows.chunks_exact(row_bytes)) {
                *d = dot(format, kernel, row, &a);
            }
        });
    out
}

/// `x · wᵀ` for a quantized weight matrix: our kernels where they are faster (a
/// [`Format`] we have kernels for; one activation row with VNNI or AVX2, several
/// rows of Q8_0 or Q5_0 with VNNI), candle's otherwise.
pub fn matmul(w: &QMatMul, x: &Tensor) -> Result<Tensor> {
    let kernel = kernel();
    if let QMatMul::QTensor(t) = w {
        let (n, k) = t.shape().dims2()?;
        if let Some(format) = Format::of(t.dtype()) {
            let rows = x.elem_count() / k.max(1);
            if matches!(x.device(), Device::Cpu)
                && x.dims().last() == Some(&k)
                && k.is_multiple_of(format.block_values())
                && ((rows == 1 && kernel != Kernel::Portable)
                    || (kernel == Kernel::Vnni && tiles::serves(format)))
            {
                let data = t.data()?;
                let xs = x
                    .flatten_all()?
                    .to_dtype(candle_core::DType::F32)?
                    .to_vec1::<f32>()?;
                let out = if rows == 1 {
                    gemv(format, kernel, &data, n, k, &xs)
                } else {
                    tiles::gemm(format, &data, n, k, &xs)
                };
                let mut dims = x.dims().to_vec();
                if let Some(last) = dims.last_mut() {
                    *last = n;
                }
                return Tensor::from_vec(out, dims, x.device());
            }
        }
    }
    w.forward(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::quantized::QTensor;

    fn quantized(dtype: GgmlDType, n: usize, k: usize, seed: u64) -> QTensor {
        let dev = Device::Cpu;
        let w: Vec<f32> = (0..n * k)
            .map(|i| {
                let h = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ seed;
                ((h >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 2.0
            })
            .collect();
        let w = Tensor::from_vec(w, (n, k), &dev).unwrap();
        QTensor::quantize(&w, dtype).unwrap()
    }

    fn activation(k: usize) -> Vec<f32> {
        (0..k)
            .map(|i| ((i * 7919) % 101) as f32 / 50.0 - 1.0)
            .collect()
    }

    fn kernels_here() -> Vec<Kernel> {
        let mut k = vec![Kernel::Portable];
        #[cfg(target_arch = "x86_64")]
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            k.push(Kernel::Avx2);
        }
        if kernel() == Kernel::Vnni {
            k.push(Kernel::Vnni);
        }
        k
    }

    const FORMATS: [(Format, GgmlDType); 4] = [
        (Format::Q4K, GgmlDType::Q4K),
        (Format::Q6K, GgmlDType::Q6K),
        (Format::Q8_0, GgmlDType::Q8_0),
        (Format::Q5_0, GgmlDType::Q5_0),
    ];

    /// Every kernel against dequantised weights times f32 activations, on shapes
    /// that are not multiples of the chunking (37 rows, 1 row, 300 rows).
    #[test]
    fn rows_match_dequantised_weights() {
        for (format, dtype) in FORMATS {
            // 896 = 28 × 32, the small model's width (not a multiple of 256).
            let shapes: &[(usize, usize)] = if format.block_values() == 32 {
                &[(37, 256), (1, 96), (300, 896)]
            } else {
                &[(37, 256), (1, 512), (300, 1536)]
            };
            for &(n, k) in shapes {
                let q = quantized(dtype, n, k, n as u64);
                let dense = q
                    .dequantize(&Device::Cpu)
                    .unwrap()
                    .to_vec2::<f32>()
                    .unwrap();
                let x = activation(k);
                let data = q.data().unwrap();
                for kernel in kernels_here() {
                    let got = gemv(format, kernel, &data, n, k, &x);
                    assert_eq!(got.len(), n);
                    for (row, g) in dense.iter().zip(&got) {
                        let want: f32 = row.iter().zip(&x).map(|(w, x)| w * x).sum();
                        let terms: f32 = row.iter().zip(&x).map(|(w, x)| (w * x).abs()).sum();
                        // The activation's 8-bit quantisation: well under 1 % of the
                        // magnitude of the terms.
                        assert!(
                            (g - want).abs() <= 0.01 * terms,
                            "{format:?} {kernel:?} {n}x{k}: {g} vs {want} (terms {terms})"
                        );
                    }
                }
            }
        }
    }

    /// The fast kernel computes the same integer sums as the portable one, so they
    /// differ only by float rounding; and the whole product matches candle's.
    #[test]
    fn the_kernels_agree_with_each_other_and_with_candle() {
        let (n, k) = (70, 1536);
        for (format, dtype) in FORMATS {
            let q = quantized(dtype, n, k, 7);
            let x = activation(k);
            let data = q.data().unwrap();
            let portable = gemv(format, Kernel::Portable, &data, n, k, &x);
            for kernel in kernels_here() {
                let got = gemv(format, kernel, &data, n, k, &x);
                for (a, b) in portable.iter().zip(&got) {
                    assert!(
                        (a - b).abs() <= 1e-4 * a.abs().max(1.0),
                        "{format:?}: {a} vs {b}"
                    );
                }
            }
            let xt = Tensor::from_vec(x.clone(), (1, 1, k), &Device::Cpu).unwrap();
            let mm = QMatMul::from_qtensor(q).unwrap();
            let candle = mm.forward(&xt).unwrap();
            let ours = matmul(&mm, &xt).unwrap();
            assert_eq!(ours.dims(), candle.dims());
            let candle: Vec<f32> = candle.flatten_all().unwrap().to_vec1().unwrap();
            let ours: Vec<f32> = ours.flatten_all().unwrap().to_vec1().unwrap();
            for ((c, o), p) in candle.iter().zip(&ours).zip(&portable) {
                assert!(
                    (c - p).abs() <= 1e-3 * c.abs().max(1.0),
                    "{format:?}: candle {c} vs portable {p}"
                );
                assert!(
                    (c - o).abs() <= 1e-3 * c.abs().max(1.0),
                    "{format:?}: candle {c} vs ours {o}"
                );
            }
        }
    }

    /// The tiled kernel for several rows: against dequantised weights, and row by
    /// row against the one-row kernel (the same integer sums, so only rounding
    /// differs). Shapes cross every boundary: a partial tile (37 rows), activation
    /// rows not a multiple of four, more rows than one task takes (70 > 64).
    #[test]
    fn tiles_match_dequantised_weights_and_the_row_kernel() {
        if kernel() != Kernel::Vnni {
            eprintln!("skipped: this CPU has no AVX-512 VNNI, the tiles are not used");
            return;
        }
        for (format, dtype) in [
            (Format::Q8_0, GgmlDType::Q8_0),
            (Format::Q5_0, GgmlDType::Q5_0),
        ] {
            for &(n, k, m) in &[(37, 96, 2), (16, 896, 3), (37, 896, 5), (70, 256, 70)] {
                let q = quantized(dtype, n, k, (n * m) as u64);
                let dense = q
                    .dequantize(&Device::Cpu)
                    .unwrap()
                    .to_vec2::<f32>()
                    .unwrap();
                let x: Vec<f32> = (0..m)
                    .flat_map(|r| {
                        activation(k)
                            .into_iter()
                            .map(move |v| v * (1.0 + r as f32 / 7.0))
                    })
                    .collect();
                let data = q.data().unwrap();
                let got = tiles::gemm(format, &data, n, k, &x);
                assert_eq!(got.len(), m * n);
                for (r, xs) in x.chunks(k).enumerate() {
                    let row = gemv(format, Kernel::Vnni, &data, n, k, xs);
                    for (c, w) in dense.iter().enumerate() {
                        let g = got[r * n + c];
                        let want: f32 = w.iter().zip(xs).map(|(w, x)| w * x).sum();
                        let terms: f32 = w.iter().zip(xs).map(|(w, x)| (w * x).abs()).sum();
                        assert!(
                            (g - want).abs() <= 0.01 * terms,
                            "{format:?} {m}x{n}x{k} [{r}, {c}]: {g} vs {want}"
                        );
                        assert!(
                            (g - row[c]).abs() <= 1e-4 * g.abs().max(1.0),
                            "{format:?} {m}x{n}x{k} [{r}, {c}]: tiles {g} vs row {}",
                            row[c]
                        );
                    }
                }
            }
        }
    }

    /// A prompt's product (several rows, batch dimension kept) goes through the
    /// tiles for Q8_0 and Q5_0 and agrees with candle's.
    #[test]
    fn several_rows_of_the_32_formats_agree_with_candle() {
        for dtype in [GgmlDType::Q8_0, GgmlDType::Q5_0] {
            let (n, k, m) = (48, 896, 9);
            let mm = QMatMul::from_qtensor(quantized(dtype, n, k, 11)).unwrap();
            let x: Vec<f32> = (0..m).flat_map(|_| activation(k)).collect();
            let x = Tensor::from_vec(x, (1, m, k), &Device::Cpu).unwrap();
            let ours = matmul(&mm, &x).unwrap();
            let candle = mm.forward(&x).unwrap();
            assert_eq!(ours.dims(), &[1, m, n]);
            let ours: Vec<f32> = ours.flatten_all().unwrap().to_vec1().unwrap();
            let candle: Vec<f32> = candle.flatten_all().unwrap().to_vec1().unwrap();
            for (o, c) in ours.iter().zip(&candle) {
                assert!(
                    (o - c).abs() <= 1e-3 * c.abs().max(1.0),
                    "{dtype:?}: {o} vs {c}"
                );
            }
        }
    }

    #[test]
    fn q4k_scales_unpack_as_the_plain_reading() {
        for seed in 0u32..200 {
            let q: [u8; 12] = std::array::from_fn(|i| {
                (seed.wrapping_mul(2654435761) >> (i % 24)) as u8 ^ (i as u8).wrapping_mul(37)
            });
            let (sc, m) = q4k_scales_mins(&q);
            let (sc2, m2) = q4k_unpack(&q);
            assert_eq!(sc.map(|v| v as u8), sc2, "{q:?}");
            assert_eq!(m.map(|v| v as u8), m2, "{q:?}");
        }
    }

    #[test]
    fn an_all_zero_activation_gives_zeros() {
        for (format, dtype) in FORMATS {
            let q = quantized(dtype, 5, 256, 1);
            let data = q.data().unwrap();
            assert_eq!(
                gemv(format, kernel(), &data, 5, 256, &[0.0; 256]),
                vec![0.0; 5]
            );
        }
    }

    /// More than one activation row (here of a format without a kernel, too) is
    /// candle's.
    #[test]
    fn other_shapes_and_formats_fall_back_to_candle() {
        let q = quantized(GgmlDType::Q4_0, 8, 256, 3);
        let mm = QMatMul::from_qtensor(q).unwrap();
        let x = Tensor::from_vec(activation(512), (2, 256), &Device::Cpu).unwrap();
        let a: Vec<f32> = matmul(&mm, &x)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1()
            .unwrap();
        let b: Vec<f32> = mm
            .forward(&x)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1()
            .unwrap();
        assert_eq!(a, b);
    }
}
