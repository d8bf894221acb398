//! The "plain candle" baseline for `bench/run llm-reference`: upstream
//! `quantized_qwen2` / `quantized_llama` with none of the engine's code, a synthetic
//! prompt of N tokens in one forward pass, then 64 greedy tokens.
//!
//!     cargo run --release --example plain_candle -- models/<file>.gguf [N=300]

use std::time::Instant;

use candle_core::quantized::gguf_file;
use candle_core::{Device, Tensor, D};
use candle_transformers::models::{quantized_llama, quantized_qwen2};

enum Weights {
    Qwen2(quantized_qwen2::ModelWeights),
    Llama(quantized_llama::ModelWeights),
}

impl Weights {
    fn next_token(&mut self, tokens: &[u32], pos: usize) -> anyhow::Result<u32> {
        let x = Tensor::new(tokens, &Device::Cpu)?.unsqueeze(0)?;
        let logits = match self {
            Weights::Qwen2(m) => m.forward(&x, pos)?,
            Weights::Llama(m) => m.forward(&x, pos)?,
        };
        Ok(logits.squeeze(0)?.argmax(D::Minus1)?.to_scalar::<u32>()?)
    }
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: plain_candle FILE.gguf [N]"))?;
    let n_prompt: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(300);
    let mut file = std::fs::File::open(&path)?;
    let content = gguf_file::Content::read(&mut file)?;
    let arch = content.metadata["general.architecture"]
        .to_string()?
        .clone();
    let t = Instant::now();
    let mut weights = match arch.as_str() {
        "qwen2" => Weights::Qwen2(quantized_qwen2::ModelWeights::from_gguf(
            content,
            &mut file,
            &Device::Cpu,
        )?),
        "llama" => Weights::Llama(quantized_llama::ModelWeights::from_gguf(
            content,
            &mut file,
            &Device::Cpu,
        )?),
        other => anyhow::bail!("plain_candle runs qwen2 and llama, not {other}"),
    };
    println!("load {:.2} s", t.elapsed().as_secs_f64());
    let prompt: Vec<u32> = (0..n_prompt as u32)
        .map(|i| 100 + (i * 37) % 5000)
        .collect();
    let t = Instant::now();
    let mut next = weights.next_token(&prompt, 0)?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "prompt {n_prompt} tokens at {:.1} tok/s",
        n_prompt as f64 / secs
    );
    let t = Instant::now();
    for i in 0..64 {
        next = weights.next_token(&[next], n_prompt + i)?;
    }
    println!(
        "generate 64 tokens at {:.1} tok/s",
        64.0 / t.elapsed().as_secs_f64()
    );
    Ok(())
}
