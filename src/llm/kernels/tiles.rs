//! Several activation rows (a prompt, a scoring pass) times Q8_0 or Q5_0 weights.
//!
//! The one-row kernels read each weight once per activation row and spend most of
//! their work on the weights' signs and scales. With several rows the weights can be
//! reused: each task lays 16 weight rows out once, the way `vpdpbusd` wants them (4
//! bytes of each row side by side in one 512-bit vector, offset to unsigned), and
//! then runs every activation row against them, four at a time, in registers. The
//! layout is made per product and thrown away (16 rows × k, a few kB), so the model
//! keeps one copy of its weights; candle's repacked tiles, the same idea, keep a
//! second copy for the whole model and need a width that is a multiple of 256, which
//! the small model's 896 is not.
//!
//! An activation row is quantised to Q8_0 exactly as for the one-row kernels, so both
//! paths compute the same integer sums.

use super::{blocks, f16_at, quantize_q8_0_into, BlockQ5_0, BlockQ8_0, Format};
use rayon::prelude::*;

/// Weight rows in a tile: one 512-bit vector holds four bytes of each.
const TILE: usize = 16;
/// Activation rows run against a tile at once (their sums stay in registers).
const ROWS: usize = 4;

/// 32 values of k for the 16 rows of a tile: value `4g + j` of row `r` at
/// `qs[64g + 4r + j]`, as an unsigned byte (the weight plus the format's offset),
/// and each row's scale for these 32 values.
#[repr(C, align(64))]
#[derive(Clone)]
struct Unit {
    qs: [u8; 32 * TILE],
    d: [f32; TILE],
}

impl Unit {
    const ZERO: Unit = Unit {
        qs: [0; 32 * TILE],
        d: [0.0; TILE],
    };
}

/// Activation rows quantised to Q8_0 once per product, with each block's sum (to
/// take the weights' offset back out).
struct Rows {
    k: usize,
    d: Vec<f32>,
    qs: Vec<i8>,
    sums: Vec<i32>,
}

impl Rows {
    fn new(x: &[f32], k: usize) -> Rows {
        let (m, kb) = (x.len() / k, k / 32);
        let mut rows = Rows {
            k,
            d: vec![0.0; m * kb],
            qs: vec![0; m * k],
            sums: vec![0; m * kb],
        };
        x.par_chunks(k)
            .zip(rows.d.par_chunks_mut(kb))
            .zip(rows.qs.par_chunks_mut(k))
            .zip(rows.sums.par_chunks_mut(kb))
            .for_each(|(((x, d), qs), sums)| {
                quantize_q8_0_into(x, d, qs);
                for (s, b) in sums.iter_mut().zip(qs.chunks_exact(32)) {
                    *s = b.iter().map(|&v| v as i32).sum();
                }
            });
        rows
    }
}

/// What is added to each weight to make it unsigned, per format.
fn offset(format: Format) -> i32 {
    match format {
        Format::Q8_0 => 128,
        Format::Q5_0 => 16,
        Format::Q4K | Format::Q6K => unreachable!("tiles serve the formats with blocks of 32"),
    }
}

/// The formats this module serves.
pub(super) fn serves(format: Format) -> bool {
    matches!(format, Format::Q8_0 | Format::Q5_0)
}

/// `m` activation rows (`x`, row-major, each `k` long) times `n` rows of weights in
/// `format` (`bytes`): the `m × n` products, row-major. Needs AVX-512 VNNI (the
/// caller checks [`super::kernel`]).
pub(super) fn gemm(format: Format, bytes: &[u8], n: usize, k: usize, x: &[f32]) -> Vec<f32> {
    assert!(serves(format) && k.is_multiple_of(32) && x.len().is_multiple_of(k));
    let m = x.len() / k;
    let row_bytes = k / 32 * format.block_bytes();
    assert_eq!(bytes.len(), n * row_bytes, "weights of {n}x{k} {format:?}");
    let rows = Rows::new(x, k);
    let mut out = vec![0f32; m * n];
    let dst = Dst(out.as_mut_ptr());
    // A task is a tile and up to `SPAN` activation rows (so that a matrix of few
    // rows still spreads over the cores, and a task's activations stay in the
    // cache); neighbouring tasks share a tile and lay it out once.
    const SPAN: usize = 64;
    let spans = m.div_ceil(SPAN);
    (0..n.div_ceil(TILE) * spans).into_par_iter().for_each_init(
        || (vec![Unit::ZERO; k / 32], None),
        |(units, packed), task| {
            let (tile, span) = (task / spans, task % spans);
            let first = tile * TILE;
            let count = TILE.min(n - first);
            // SAFETY: the caller checked the CPU's features; the weights are
            // whole rows of whole blocks; this task writes only columns
            // `first..first + count` of its rows of `out`, which no other task
            // writes.
            unsafe {
                if *packed != Some(tile) {
                    let weights = &bytes[first * row_bytes..(first + count) * row_bytes];
                    pack(format, weights, row_bytes, count, units);
                    *packed = Some(tile);
                }
                let end = m.min((span + 1) * SPAN);
                let mut m0 = span * SPAN;
                while m0 < end {
                    let (d, qs) = (dst.ptr(), &rows);
                    match end - m0 {
                        1 => run::<1>(units, qs, m0, format, d, n, first, count),
                        2 => run::<2>(units, qs, m0, format, d, n, first, count),
                        3 => run::<3>(units, qs, m0, format, d, n, first, count),
                        _ => run::<ROWS>(units, qs, m0, format, d, n, first, count),
                    }
                    m0 += ROWS;
                }
            }
        },
    );
    out
}

/// The output, written by the tasks at disjoint columns.
#[derive(Clone, Copy)]
struct Dst(*mut f32);
impl Dst {
    /// (A method, so that closures capture the whole `Dst`, not its pointer.)
    fn ptr(self) -> *mut f32 {
        self.0
    }
}

// SAFETY: every task writes its own columns only (see `gemm`).
unsafe impl Send for Dst {}
unsafe impl Sync for Dst {}

/// Lays out `count` (≤ 16) rows of `weights` into `units`; rows past `count` get
/// scale 0, so they add nothing.
///
/// SAFETY: AVX-512 VNNI present; `weights` is `count` rows of `row_bytes`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni")]
unsafe fn pack(format: Format, weights: &[u8], row_bytes: usize, count: usize, units: &mut [Unit]) {
    use std::arch::x86_64::*;
    let m4 = _mm_set1_epi8(0x0F);
    let flip = _mm256_set1_epi8(-128);
    for r in 0..TILE {
        if r >= count {
            for u in units.iter_mut() {
                u.d[r] = 0.0;
            }
            continue;
        }
        let row = &weights[r * row_bytes..(r + 1) * row_bytes];
        for (b, u) in units.iter_mut().enumerate() {
            let (v, d) = match format {
                Format::Q8_0 => {
                    let x = &blocks::<BlockQ8_0>(row)[b];
                    let q = _mm256_loadu_si256(x.qs.as_ptr() as *const __m256i);
                    (_mm256_xor_si256(q, flip), x.d)
                }
                _ => {
                    let x = &blocks::<BlockQ5_0>(row)[b];
                    let q = _mm_loadu_si128(x.qs.as_ptr() as *const __m128i);
                    let lo = _mm_and_si128(q, m4);
                    let hi = _mm_and_si128(_mm_srli_epi16(q, 4), m4);
                    let nibbles = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
                    let fifth = _mm256_maskz_set1_epi8(u32::from_le_bytes(x.qh), 0x10);
                    (_mm256_or_si256(nibbles, fifth), x.d)
                }
            };
            u.d[r] = f16_at(d);
            // Group g (bytes 4g..4g+4) of this row goes beside the other rows' group g.
            let words: [u32; 8] = std::mem::transmute(v);
            let base = u.qs.as_mut_ptr().add(4 * r);
            for (g, w) in words.iter().enumerate() {
                std::ptr::write_unaligned(base.add(64 * g) as *mut u32, *w);
            }
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn pack(_: Format, _: &[u8], _: usize, _: usize, _: &mut [Unit]) {
    unreachable!("tiles need AVX-512 VNNI")
}

/// Activation rows `m0..m0 + R` against one laid-out tile, written to columns
/// `first..first + count` of `dst` (`n` wide).
///
/// SAFETY: AVX-512 VNNI present; `m0 + R` rows exist; `dst` holds those rows.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni")]
#[allow(clippy::too_many_arguments)]
unsafe fn run<const R: usize>(
    units: &[Unit],
    rows: &Rows,
    m0: usize,
    format: Format,
    dst: *mut f32,
    n: usize,
    first: usize,
    count: usize,
) {
    use std::arch::x86_64::*;
    let k = rows.k;
    let kb = k / 32;
    let offset = offset(format);
    let mut acc = [_mm512_setzero_ps(); R];
    for (b, u) in units.iter().enumerate() {
        let w: [__m512i; 8] =
            std::array::from_fn(|g| _mm512_load_si512(u.qs.as_ptr().add(64 * g) as *const _));
        let d = _mm512_load_ps(u.d.as_ptr());
        for (i, acc) in acc.iter_mut().enumerate() {
            let row = m0 + i;
            let a = rows.qs.as_ptr().add(row * k + 32 * b);
            let at =
                |g: usize| _mm512_set1_epi32(std::ptr::read_unaligned(a.add(4 * g) as *const i32));
            // Two chains, so that one waits less on the other's latency.
            let mut s0 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), w[0], at(0));
            let mut s1 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), w[1], at(1));
            s0 = _mm512_dpbusd_epi32(s0, w[2], at(2));
            s1 = _mm512_dpbusd_epi32(s1, w[3], at(3));
            s0 = _mm512_dpbusd_epi32(s0, w[4], at(4));
            s1 = _mm512_dpbusd_epi32(s1, w[5], at(5));
            s0 = _mm512_dpbusd_epi32(s0, w[6], at(6));
            s1 = _mm512_dpbusd_epi32(s1, w[7], at(7));
            let block = row * kb + b;
            let s = _mm512_sub_epi32(
                _mm512_add_epi32(s0, s1),
                _mm512_set1_epi32(offset * rows.sums[block]),
            );
            *acc = _mm512_fmadd_ps(
                _mm512_cvtepi32_ps(s),
                _mm512_mul_ps(d, _mm512_set1_ps(rows.d[block])),
                *acc,
            );
        }
    }
    let mask: __mmask16 = if count == TILE {
        !0
    } else {
        (1u16 << count) - 1
    };
    for (i, acc) in acc.iter().enumerate() {
        _mm512_mask_storeu_ps(dst.add((m0 + i) * n + first), mask, *acc);
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[allow(clippy::too_many_arguments)]
unsafe fn run<const R: usize>(
    _: &[Unit],
    _: &Rows,
    _: usize,
    _: Format,
    _: *mut f32,
    _: usize,
    _: usize,
    _: usize,
) {
    unreachable!("tiles need AVX-512 VNNI")
}
