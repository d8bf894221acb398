//! Test helpers for the engine.

use candle_core::quantized::{gguf_file, GgmlDType, QTensor};
use candle_core::{DType, Device, Tensor};

/// A two-layer Qwen2 with random f32 weights, written to GGUF and loaded back the
/// way a real file is.
pub(crate) fn tiny_qwen2() -> super::qwen2::ModelWeights {
    let dev = Device::Cpu;
    let (vocab, hidden, ffn, heads, kv_heads) = (48usize, 32usize, 64usize, 4u32, 2u32);
    let kv_dim = hidden / heads as usize * kv_heads as usize;
    let t = |dims: &[usize]| {
        let x = Tensor::randn(0f32, 0.3, dims, &dev).unwrap();
        QTensor::quantize(&x, GgmlDType::F32).unwrap()
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
        ("qwen2.context_length", u(64)),
        ("qwen2.block_count", u(2)),
        (
            "qwen2.attention.layer_norm_rms_epsilon",
            gguf_file::Value::F32(1e-6),
        ),
    ];
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
    file.set_position(0);
    let content = gguf_file::Content::read(&mut file).unwrap();
    super::qwen2::ModelWeights::from_gguf(content, &mut file, &dev).unwrap()
}
