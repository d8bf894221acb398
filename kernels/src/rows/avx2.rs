//! The one-row kernels for CPUs with AVX2 and FMA but without AVX-512 VNNI (AMD
//! before Zen 4, most Intel desktop parts): the same integer sums as the VNNI
//! kernels, with `vpmaddubsw` (u8 × i8, pairs summed into i16) and `vpmaddwd` in
//! place of `vpdpbusd`, on 32 bytes at a time, as ggml's AVX2 kernels do. No pair
//! sum can saturate the i16: the weights' unsigned values are at most 63 (Q6_K),
//! or 128 against activations of at most 127 (Q8_0 and Q5_0, signs moved onto the
//! activations).

use super::{
    f16_at, hsum256, q4k_min_term, q4k_unpack, BlockQ4K, BlockQ5_0, BlockQ6K, BlockQ8K, BlockQ8_0,
};
use std::arch::x86_64::*;

/// Q4_K × Q8_K: each 32 bytes of weights are 32 low nibbles (one group of 32) and 32
/// high nibbles (the next), against the activation in its own order; the minimums'
/// share from the activation's 16-value sums.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn dot_q4k(w: &[BlockQ4K], a: &[BlockQ8K]) -> f32 {
    let m4 = _mm256_set1_epi8(0x0F);
    let mut acc = _mm256_setzero_ps();
    let mut mins_total = 0f32;
    for (x, y) in w.iter().zip(a) {
        let (sc, mins) = q4k_unpack(&x.scales);
        let mut sumi = _mm256_setzero_si256();
        for j in 0..4 {
            let q = _mm256_loadu_si256(x.qs.as_ptr().add(32 * j) as *const __m256i);
            let lo = _mm256_and_si256(q, m4);
            let hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), m4);
            let a_lo = _mm256_loadu_si256(y.qs.as_ptr().add(64 * j) as *const __m256i);
            let a_hi = _mm256_loadu_si256(y.qs.as_ptr().add(64 * j + 32) as *const __m256i);
            let p_lo = _mm256_madd_epi16(
                _mm256_maddubs_epi16(lo, a_lo),
                _mm256_set1_epi16(sc[2 * j] as i16),
            );
            let p_hi = _mm256_madd_epi16(
                _mm256_maddubs_epi16(hi, a_hi),
                _mm256_set1_epi16(sc[2 * j + 1] as i16),
            );
            sumi = _mm256_add_epi32(sumi, _mm256_add_epi32(p_lo, p_hi));
        }
        acc = _mm256_fmadd_ps(
            _mm256_set1_ps(f16_at(x.d) * y.d),
            _mm256_cvtepi32_ps(sumi),
            acc,
        );
        mins_total += f16_at(x.dmin) * y.d * q4k_min_term(&mins.map(i32::from), y) as f32;
    }
    hsum256(acc) - mins_total
}

/// Q6_K × Q8_K: per 128 weights, four vectors of 32 unsigned 6-bit values (low
/// four bits from `ql`, two high bits from `qh`), each weighted by its two 16-value
/// scales; the `-32` from the activation's 16-value sums.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn dot_q6k(w: &[BlockQ6K], a: &[BlockQ8K]) -> f32 {
    let m4 = _mm256_set1_epi8(0x0F);
    let m2 = _mm256_set1_epi8(0x03);
    let mut acc = _mm256_setzero_ps();
    let mut offsets = 0f32;
    for (x, y) in w.iter().zip(a) {
        let mut sumi = _mm256_setzero_si256();
        for half in 0..2 {
            let ql = x.ql.as_ptr().add(64 * half);
            let ql0 = _mm256_loadu_si256(ql as *const __m256i);
            let ql1 = _mm256_loadu_si256(ql.add(32) as *const __m256i);
            let qh = _mm256_loadu_si256(x.qh.as_ptr().add(32 * half) as *const __m256i);
            let high = |h: __m256i| _mm256_slli_epi16(_mm256_and_si256(h, m2), 4);
            let q = [
                _mm256_or_si256(_mm256_and_si256(ql0, m4), high(qh)),
                _mm256_or_si256(_mm256_and_si256(ql1, m4), high(_mm256_srli_epi16(qh, 2))),
                _mm256_or_si256(
                    _mm256_and_si256(_mm256_srli_epi16(ql0, 4), m4),
                    high(_mm256_srli_epi16(qh, 4)),
                ),
                _mm256_or_si256(
                    _mm256_and_si256(_mm256_srli_epi16(ql1, 4), m4),
                    high(_mm256_srli_epi16(qh, 6)),
                ),
            ];
            for (j, q) in q.into_iter().enumerate() {
                let act =
                    _mm256_loadu_si256(y.qs.as_ptr().add(128 * half + 32 * j) as *const __m256i);
                let s = 8 * half + 2 * j;
                // The first 16 values' pair sums sit in the low 128 bits.
                let scales = _mm256_set_m128i(
                    _mm_set1_epi16(x.scales[s + 1] as i16),
                    _mm_set1_epi16(x.scales[s] as i16),
                );
                let p = _mm256_madd_epi16(_mm256_maddubs_epi16(q, act), scales);
                sumi = _mm256_add_epi32(sumi, p);
            }
        }
        let d = f16_at(x.d) * y.d;
        acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi), acc);
        let offset: i32 = x
            .scales
            .iter()
            .zip(&y.bsums)
            .map(|(&s, &b)| s as i32 * b as i32)
            .sum();
        offsets += d * (32 * offset) as f32;
    }
    hsum256(acc) - offsets
}

/// 32 signed weights times 32 activations, summed by four into eight i32 → f32:
/// the weights' signs move onto the activations, so the unsigned operand is |w|.
#[target_feature(enable = "avx2,fma")]
unsafe fn dot32(w: __m256i, a: *const i8) -> __m256 {
    let a = _mm256_loadu_si256(a as *const __m256i);
    let p = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(a, w));
    _mm256_cvtepi32_ps(_mm256_madd_epi16(p, _mm256_set1_epi16(1)))
}

/// Q8_0 × Q8_0, a block of 32 at a time.
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn dot_q8_0(w: &[BlockQ8_0], d32: &[f32], qs32: &[i8]) -> f32 {
    let mut acc = _mm256_setzero_ps();
    for (b, x) in w.iter().enumerate() {
        let wv = _mm256_loadu_si256(x.qs.as_ptr() as *const __m256i);
        let dot = dot32(wv, qs32.as_ptr().add(32 * b));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(f16_at(x.d) * d32[b]), dot, acc);
    }
    hsum256(acc)
}

/// Q5_0 × Q8_0: the fifth bits come from `qh`, spread to one byte each by a shuffle
/// and a compare (AVX2 has no mask registers).
#[target_feature(enable = "avx2,fma")]
pub(super) unsafe fn dot_q5_0(w: &[BlockQ5_0], d32: &[f32], qs32: &[i8]) -> f32 {
    let m4 = _mm_set1_epi8(0x0F);
    let sixteen = _mm256_set1_epi8(16);
    // Byte i of the result tests bit i of a 32-bit word.
    let spread = _mm256_set_epi64x(
        0x0303_0303_0303_0303,
        0x0202_0202_0202_0202,
        0x0101_0101_0101_0101,
        0,
    );
    let bit = _mm256_set1_epi64x(0x8040_2010_0804_0201u64 as i64);
    let mut acc = _mm256_setzero_ps();
    for (b, x) in w.iter().enumerate() {
        let q = _mm_loadu_si128(x.qs.as_ptr() as *const __m128i);
        let lo = _mm_and_si128(q, m4);
        let hi = _mm_and_si128(_mm_srli_epi16(q, 4), m4);
        let nibbles = _mm256_set_m128i(hi, lo);
        let bytes = _mm256_shuffle_epi8(_mm256_set1_epi32(i32::from_le_bytes(x.qh)), spread);
        let set = _mm256_cmpeq_epi8(_mm256_and_si256(bytes, bit), bit);
        let fifth = _mm256_and_si256(set, sixteen);
        let wv = _mm256_sub_epi8(_mm256_or_si256(nibbles, fifth), sixteen);
        let dot = dot32(wv, qs32.as_ptr().add(32 * b));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(f16_at(x.d) * d32[b]), dot, acc);
    }
    hsum256(acc)
}
