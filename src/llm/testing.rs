//! Test helpers for the engine.

use candle_core::quantized::{gguf_file, GgmlDType, QTensor};
use candle_core::{DType, Device, Tensor};

/// A two-layer Qwen2 with random f32 weights, written to GGUF and loaded back the
/// way a real file is.
pub(crate) fn tiny_qwen2() -> super::qwen2::ModelWeights {
    load_qwen2(&tiny_qwen2_gguf(GgmlDType::F32, 32, 64))
}

/// Loads a Qwen2 GGUF file's bytes with the engine's (vendored) loader.
pub(crate) fn load_qwen2(bytes: &[u8]) -> super::qwen2::ModelWeights {
    let mut file = std::io::Cursor::new(bytes);
    let content = gguf_file::Content::read(&mut file).unwrap();
    super::qwen2::ModelWeights::from_gguf(content, &mut file, &Device::Cpu).unwrap()
}

/// Standard normal draws from a seed (xorshift64*, Box–Muller): test weights that are
/// the same on every run.
struct Normal {
    state: u64,
    spare: Option<f32>,
}

impl Normal {
    fn new(seed: u64) -> Self {
        Normal {
            state: seed.max(1),
            spare: None,
        }
    }

    /// A uniform draw in (0, 1].
    fn uniform(&mut self) -> f64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        let x = self.state.wrapping_mul(0x2545_f491_4f6c_dd1d);
        ((x >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }

    fn next(&mut self) -> f32 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let (u, v) = (self.uniform(), self.uniform());
        let r = (-2.0 * u.ln()).sqrt();
        let a = std::f64::consts::TAU * v;
        self.spare = Some((r * a.sin()) as f32);
        (r * a.cos()) as f32
    }
}

/// The bytes of a two-layer Qwen2 GGUF file with random weights: matrices in
/// `weights` (F32, or a quantized type when `hidden` and `ffn` are multiples of its
/// block), norms and biases in f32; 4 query heads share 2 key/value heads.
pub(crate) fn tiny_qwen2_gguf(weights: GgmlDType, hidden: usize, ffn: usize) -> Vec<u8> {
    tiny_qwen2_files(weights, hidden, ffn).0
}

/// As [`tiny_qwen2_gguf`], and the same model with every tensor dequantised to f32:
/// the unquantised reference.
fn tiny_qwen2_files(weights: GgmlDType, hidden: usize, ffn: usize) -> (Vec<u8>, Vec<u8>) {
    let dev = Device::Cpu;
    let (vocab, heads, kv_heads) = (48usize, 4u32, 2u32);
    let kv_dim = hidden / heads as usize * kv_heads as usize;
    // Seeded, so that every run checks the same model: candle's CPU `randn` cannot
    // be seeded, and a bound on how close two kernels come held for most draws only.
    let mut draws = Normal::new(0x5eed_0fc0_ffee);
    let mut t = |dims: &[usize]| {
        let n = dims.iter().product::<usize>();
        let values: Vec<f32> = (0..n).map(|_| 0.3 * draws.next()).collect();
        let x = Tensor::from_vec(values, dims, &dev).unwrap();
        let dtype = if dims.len() == 2 {
            weights
        } else {
            GgmlDType::F32
        };
        QTensor::quantize(&x, dtype).unwrap()
    };
    let ones = |n: usize| {
        QTensor::quantize(&Tensor::ones(n, DType::F32, &dev).unwrap(), GgmlDType::F32).unwrap()
    };
    let mut tensors: Vec<(String, QTensor)> = vec![
        ("token_embd.weight".into(), t(&[vocab, hidden])),
        ("output_norm.weight".into(), ones(hidden)),
    ];
    for l in 0..2 {
        let p = format!("blk.{l}");
        for (name, dims) in [
            ("attn_q.weight", vec![hidden, hidden]),
            ("attn_k.weight", vec![kv_dim, hidden]),
            ("attn_v.weight", vec![kv_dim, hidden]),
            ("attn_q.bias", vec![hidden]),
            ("attn_k.bias", vec![kv_dim]),
            ("attn_v.bias", vec![kv_dim]),
            ("attn_output.weight", vec![hidden, hidden]),
            ("ffn_gate.weight", vec![ffn, hidden]),
            ("ffn_up.weight", vec![ffn, hidden]),
            ("ffn_down.weight", vec![hidden, ffn]),
        ] {
            tensors.push((format!("{p}.{name}"), t(&dims)));
        }
        tensors.push((format!("{p}.attn_norm.weight"), ones(hidden)));
        tensors.push((format!("{p}.ffn_norm.weight"), ones(hidden)));
    }
    let u = gguf_file::Value::U32;
    let metadata = [
        ("qwen2.attention.head_count", u(heads)),
        ("qwen2.attention.head_count_kv", u(kv_heads)),
        ("qwen2.embedding_length", u(hidden as u32)),
        ("qwen2.context_length", u(512)),
        ("qwen2.block_count", u(2)),
        (
            "qwen2.attention.layer_norm_rms_epsilon",
            gguf_file::Value::F32(1e-6),
        ),
    ];
    let write = |tensors: &[(String, QTensor)]| {
        let mut file = std::io::Cursor::new(Vec::new());
        gguf_file::write(
            &mut file,
            &metadata.iter().map(|(k, v)| (*k, v)).collect::<Vec<_>>(),
            &tensors
                .iter()
                .map(|(k, v)| (k.as_str(), v))
                .collect::<Vec<_>>(),
        )
        .unwrap();
        file.into_inner()
    };
    let dense: Vec<(String, QTensor)> = tensors
        .iter()
        .map(|(name, t)| {
            let f = t.dequantize(&dev).unwrap();
            (name.clone(), QTensor::quantize(&f, GgmlDType::F32).unwrap())
        })
        .collect();
    (write(&tensors), write(&dense))
}

/// The logits of a prompt in one pass, then of tokens one at a time.
fn run(mut step: impl FnMut(&Tensor, usize) -> Tensor) -> Vec<Vec<f32>> {
    let dev = Device::Cpu;
    let input = |ids: &[u32]| Tensor::new(ids, &dev).unwrap().unsqueeze(0).unwrap();
    let prompt = [3u32, 17, 5, 40, 8, 22, 1];
    let mut steps = vec![(input(&prompt), 0usize)];
    for (i, t) in [9u32, 30, 2, 11].into_iter().enumerate() {
        steps.push((input(&[t]), prompt.len() + i));
    }
    steps
        .iter()
        .map(|(x, pos)| step(x, *pos).flatten_all().unwrap().to_vec1().unwrap())
        .collect()
}

fn upstream(bytes: &[u8]) -> impl FnMut(&Tensor, usize) -> Tensor {
    use candle_transformers::models::quantized_qwen2;
    let mut file = std::io::Cursor::new(bytes);
    let content = gguf_file::Content::read(&mut file).unwrap();
    let mut m = quantized_qwen2::ModelWeights::from_gguf(content, &mut file, &Device::Cpu).unwrap();
    move |x, pos| m.forward(x, pos).unwrap()
}

fn engine(bytes: &[u8]) -> impl FnMut(&Tensor, usize) -> Tensor {
    let mut m = load_qwen2(bytes);
    move |x, pos| m.forward(x, pos).unwrap()
}

/// The largest difference between two runs' logits, over the largest logit.
fn distance(a: &[Vec<f32>], b: &[Vec<f32>]) -> f32 {
    let scale = b.iter().flatten().fold(1f32, |m, v| m.max(v.abs()));
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .fold(0f32, |m, (x, y)| m.max((x - y).abs()))
        / scale
}

#[test]
fn grouped_attention_gives_upstreams_logits() {
    // f32 weights: only the attention's arrangement differs from upstream.
    let bytes = tiny_qwen2_gguf(GgmlDType::F32, 32, 64);
    let d = distance(&run(engine(&bytes)), &run(upstream(&bytes)));
    assert!(d <= 1e-5, "{d}");
}

#[test]
fn one_row_kernels_stay_as_close_to_the_unquantised_model_as_upstream() {
    // Quantized weights: one-token steps (and the output row of the prompt) run our
    // kernels where the CPU has VNNI, upstream runs candle's (for Q8_0 on this shape
    // a repacked kernel that quantises the activation its own way). Both are held to
    // the same model with the weights dequantised to f32.
    for weights in [
        GgmlDType::Q4K,
        GgmlDType::Q6K,
        GgmlDType::Q8_0,
        GgmlDType::Q5_0,
    ] {
        let (quantized, dense) = tiny_qwen2_files(weights, 256, 512);
        let reference = run(upstream(&dense));
        let ours = distance(&run(engine(&quantized)), &reference);
        let theirs = distance(&run(upstream(&quantized)), &reference);
        eprintln!("{weights:?}: ours {ours} from the f32 model, upstream {theirs}");
        assert!(
            ours <= 1.25 * theirs + 1e-3,
            "{weights:?}: ours {ours} from the f32 model, upstream {theirs}"
        );
    }
}

/// The KV cache written in place (not upstream): a long run crosses the buffers'
/// growth and still gives upstream's logits, and a copy of a state (a cached prompt
/// prefix, reused per request) continues independently of the original and of other
/// copies.
#[test]
fn kv_cache_written_in_place_grows_and_copies_stay_independent() {
    let bytes = tiny_qwen2_gguf(GgmlDType::F32, 32, 64);
    let dev = Device::Cpu;
    let input = |ids: &[u32]| Tensor::new(ids, &dev).unwrap().unsqueeze(0).unwrap();
    let logits = |t: Tensor| t.flatten_all().unwrap().to_vec1::<f32>().unwrap();
    let prompt = [3u32, 17, 5, 40, 8];

    // 300 one-token steps after the prompt: more than one growth of 256.
    let mut ours = load_qwen2(&bytes);
    let mut theirs = upstream(&bytes);
    let (mut a, mut b) = (vec![], vec![]);
    a.push(logits(ours.forward(&input(&prompt), 0).unwrap()));
    b.push(logits(theirs(&input(&prompt), 0)));
    for i in 0..300 {
        let (t, pos) = ((i * 7 % 48) as u32, prompt.len() + i);
        a.push(logits(ours.forward(&input(&[t]), pos).unwrap()));
        b.push(logits(theirs(&input(&[t]), pos)));
    }
    let d = distance(&a, &b);
    assert!(d <= 1e-5, "after growing: {d}");

    // A prefix, two copies continued differently, then the original continued: each
    // as if computed alone.
    let alone = |tail: &[u32]| {
        let mut m = load_qwen2(&bytes);
        m.forward(&input(&prompt), 0).unwrap();
        let mut out = vec![];
        for (i, t) in tail.iter().enumerate() {
            out.push(logits(m.forward(&input(&[*t]), prompt.len() + i).unwrap()));
        }
        out
    };
    let mut prefix = load_qwen2(&bytes);
    prefix.forward(&input(&prompt), 0).unwrap();
    let tails: [&[u32]; 3] = [&[9, 30, 2], &[11, 4, 4], &[1, 2, 3]];
    let (mut first, mut second) = (prefix.clone(), prefix.clone());
    let mut got = vec![vec![]; 3];
    for (i, ((a, b), c)) in tails[0].iter().zip(tails[1]).zip(tails[2]).enumerate() {
        let pos = prompt.len() + i;
        got[0].push(logits(first.forward(&input(&[*a]), pos).unwrap()));
        got[1].push(logits(second.forward(&input(&[*b]), pos).unwrap()));
        got[2].push(logits(prefix.forward(&input(&[*c]), pos).unwrap()));
    }
    for (got, tail) in got.iter().zip(tails) {
        let d = distance(got, &alone(tail));
        assert!(d <= 1e-6, "{tail:?}: {d}");
    }
}
