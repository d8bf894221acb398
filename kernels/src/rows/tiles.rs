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

use super::{blocks, f16_at, quantize_q8_0_into, BlockQ5_0, BlockQ8_0, Format, Kernel};
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

    /// Puts row `r`'s 32 unsigned values `v` and its scale `d` (f16) in place.
    ///
    /// SAFETY: `r < TILE`.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn put(&mut self, r: usize, v: std::arch::x86_64::__m256i, d: [u8; 2]) {
        self.d[r] = f16_at(d);
        // Group g (bytes 4g..4g+4) of this row goes beside the other rows' group g.
        let words: [u32; 8] = std::mem::transmute(v);
        let base = self.qs.as_mut_ptr().add(4 * r);
        for (g, w) in words.iter().enumerate() {
            std::ptr::write_unaligned(base.add(64 * g) as *mut u32, *w);
        }
    }
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
/// `format` (`bytes`): the `m × n` products, row-major. Panics without AVX-512 VNNI
/// (see [`super::kernel`]).
pub(super) fn gemm(format: Format, bytes: &[u8], n: usize, k: usize, x: &[f32]) -> Vec<f32> {
    assert_eq!(super::kernel(), Kernel::Vnni, "the tiles need AVX-512 VNNI");
    assert!(serves(format) && k.is_multiple_of(32) && x.len().is_multiple_of(k));
    let m = x.len() / k;
    let row_bytes = k / 32 * format.block_bytes();
    assert_eq!(bytes.len(), n * row_bytes, "weights of {n}x{k} {format:?}");
    let rows = Rows::new(x, k);
    let offset = offset(format);
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
            // SAFETY: the CPU's features are checked above; the weights are
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
                let out = Out {
                    dst: dst.ptr(),
                    n,
                    first,
                    count,
                };
                while m0 < end {
                    match end - m0 {
                        1 => run::<1>(units, &rows, m0, offset, out),
                        2 => run::<2>(units, &rows, m0, offset, out),
                        3 => run::<3>(units, &rows, m0, offset, out),
                        _ => run::<ROWS>(units, &rows, m0, offset, out),
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

/// Where a task writes: columns `first..first + count` of `dst`, `n` wide.
#[derive(Clone, Copy)]
struct Out {
    dst: *mut f32,
    n: usize,
    first: usize,
    count: usize,
}

/// Lays out `count` (≤ 16) rows of `weights` into `units`; rows past `count` get
/// scale 0, so they add nothing.
///
/// SAFETY: AVX-512 VNNI present; `weights` is `count` rows of `row_bytes`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni")]
unsafe fn pack(format: Format, weights: &[u8], row_bytes: usize, count: usize, units: &mut [Unit]) {
    use std::arch::x86_64::*;
    let flip = _mm256_set1_epi8(-128);
    for r in 0..TILE {
        if r >= count {
            for u in units.iter_mut() {
                u.d[r] = 0.0;
            }
            continue;
        }
        let row = &weights[r * row_bytes..(r + 1) * row_bytes];
        match format {
            Format::Q8_0 => {
                for (u, x) in units.iter_mut().zip(blocks::<BlockQ8_0>(row)) {
                    let q = _mm256_loadu_si256(x.qs.as_ptr() as *const __m256i);
                    u.put(r, _mm256_xor_si256(q, flip), x.d);
                }
            }
            _ => {
                for (u, x) in units.iter_mut().zip(blocks::<BlockQ5_0>(row)) {
                    u.put(r, super::q5_0_unsigned_vnni(x), x.d);
                }
            }
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn pack(_: Format, _: &[u8], _: usize, _: usize, _: &mut [Unit]) {
    unreachable!("tiles need AVX-512 VNNI")
}

/// Activation rows `m0..m0 + R` against one laid-out tile, whose weights carry
/// `offset`, written where `out` says.
///
/// SAFETY: AVX-512 VNNI present; rows `m0..m0 + R` exist and `out.dst` holds them.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vnni")]
unsafe fn run<const R: usize>(units: &[Unit], rows: &Rows, m0: usize, offset: i32, out: Out) {
    use std::arch::x86_64::*;
    let k = rows.k;
    let kb = k / 32;
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
    let mask: __mmask16 = if out.count == TILE {
        !0
    } else {
        (1u16 << out.count) - 1
    };
    for (i, acc) in acc.iter().enumerate() {
        _mm512_mask_storeu_ps(out.dst.add((m0 + i) * out.n + out.first), mask, *acc);
    }
}

#[cfg(not(target_arch = "x86_64"))]
unsafe fn run<const R: usize>(_: &[Unit], _: &Rows, _: usize, _: i32, _: Out) {
    unreachable!("tiles need AVX-512 VNNI")
}
