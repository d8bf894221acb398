//! Attention of one new token over the KV cache, on the CPU.
//!
//! Generating a token attends one query row per head to every cached position. As
//! tensor operations (a batched matmul for the scores, a softmax, a matmul with the
//! values, reshapes) candle spends ~150 µs a layer on it at 450 cached tokens, 4 ms
//! a token for the 1.5B model: more than the arithmetic (~1.4 M multiply-adds a
//! layer) by far. Here it is three plain loops per head over the cache's own memory,
//! the heads split over rayon's threads. It lives here to run optimised in tests too:
//! at `opt-level = 0` these loops made the test model's generation twice as slow.

use rayon::prelude::*;

/// The cached keys or values of one layer: `kv_heads` blocks of `room` rows of
/// `head_dim`, of which the first `len` rows are written.
pub struct Cache<'a> {
    pub data: &'a [f32],
    pub room: usize,
    pub len: usize,
}

/// The fewest multiply-adds of one token's scores (heads × cached tokens × head
/// size) that are split over threads: below, the heads run one after the other. The
/// test model's 9 heads of 64 over ~100 tokens take microseconds, less than handing
/// them to other threads costs, and those threads may be busy elsewhere.
const PARALLEL_FROM: usize = 1 << 17;

/// One token's attention output (`n_head × head_dim`, head after head) for its
/// queries `q` (`n_head × head_dim`), over `keys` and `values`; query head `h` reads
/// KV head `h / (n_head / kv_heads)`, as in grouped-query attention.
pub fn one_token<'a>(
    q: &[f32],
    keys: &Cache<'a>,
    values: &Cache<'a>,
    n_head: usize,
    kv_heads: usize,
    head_dim: usize,
) -> Vec<f32> {
    assert_eq!(q.len(), n_head * head_dim);
    assert!(n_head.is_multiple_of(kv_heads) && keys.len == values.len && keys.len > 0);
    let group = n_head / kv_heads;
    let scale = 1.0 / (head_dim as f32).sqrt();
    let mut out = vec![0f32; n_head * head_dim];
    let head = |(h, (out, q)): (usize, (&mut [f32], &[f32]))| {
        let kv = h / group;
        let rows = |c: &Cache<'a>| {
            let start = kv * c.room * head_dim;
            c.data[start..start + c.len * head_dim].chunks_exact(head_dim)
        };
        let mut scores: Vec<f32> = rows(keys).map(|k| dot(k, q) * scale).collect();
        let max = scores.iter().fold(f32::NEG_INFINITY, |m, &s| m.max(s));
        let mut total = 0.0;
        for s in scores.iter_mut() {
            *s = (*s - max).exp();
            total += *s;
        }
        for (p, v) in scores.iter().zip(rows(values)) {
            let p = p / total;
            for (o, v) in out.iter_mut().zip(v) {
                *o += p * v;
            }
        }
    };
    if n_head * keys.len * head_dim < PARALLEL_FROM {
        out.chunks_mut(head_dim)
            .zip(q.chunks(head_dim))
            .enumerate()
            .for_each(head);
    } else {
        out.par_chunks_mut(head_dim)
            .zip(q.par_chunks(head_dim))
            .enumerate()
            .for_each(head);
    }
    out
}

/// A dot product in 16 independent lanes (a plain `sum` adds one product after the
/// other, which the compiler may not reorder into vector lanes).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; 16];
    let (a16, b16) = (a.chunks_exact(16), b.chunks_exact(16));
    let tail: f32 = a16
        .remainder()
        .iter()
        .zip(b16.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a16.zip(b16) {
        for i in 0..16 {
            lanes[i] += x[i] * y[i];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the textbook formula, with grouped heads and buffers with room left,
    /// the heads one after the other and split over threads.
    #[test]
    fn matches_softmax_of_scaled_scores_times_values() {
        check(6, 2, 8, 5, 9);
        const { assert!(8 * 300 * 64 >= PARALLEL_FROM) };
        check(8, 2, 64, 300, 310);
    }

    fn check(n_head: usize, kv_heads: usize, d: usize, len: usize, room: usize) {
        let val = |i: usize| ((i * 7919) % 97) as f32 / 48.0 - 1.0;
        let q: Vec<f32> = (0..n_head * d).map(|i| val(i + 3)).collect();
        let k: Vec<f32> = (0..kv_heads * room * d).map(val).collect();
        let v: Vec<f32> = (0..kv_heads * room * d).map(|i| val(i * 3 + 1)).collect();
        let cache = |data| Cache { data, room, len };
        let got = one_token(&q, &cache(&k), &cache(&v), n_head, kv_heads, d);
        for h in 0..n_head {
            let kv = h / (n_head / kv_heads);
            let row =
                |m: &[f32], j: usize| m[(kv * room + j) * d..(kv * room + j + 1) * d].to_vec();
            let qh = &q[h * d..(h + 1) * d];
            let scores: Vec<f64> = (0..len)
                .map(|j| {
                    let dot: f32 = row(&k, j).iter().zip(qh).map(|(a, b)| a * b).sum();
                    (dot / (d as f32).sqrt()) as f64
                })
                .collect();
            let z: f64 = scores.iter().map(|s| s.exp()).sum();
            for i in 0..d {
                let want: f64 = (0..len)
                    .map(|j| scores[j].exp() / z * row(&v, j)[i] as f64)
                    .sum();
                let g = got[h * d + i] as f64;
                assert!((g - want).abs() < 1e-5, "head {h} [{i}]: {g} vs {want}");
            }
        }
    }
}
