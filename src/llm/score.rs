//! How likely the model finds each of several given continuations of one prompt: the
//! way to let it pick among a closed list without writing one. Every continuation is
//! judged on its own, so the order of the list does not matter, as it does when a
//! small model writes its choice from a list shown in the prompt (it favours the
//! first entries).
//!
//! Qwen2 scores all continuations in one forward pass: their tokens follow the prompt
//! side by side, each seeing the prompt and its own earlier tokens only (a tree mask)
//! at the positions it would have alone. Other architectures run each continuation
//! from a copy of the prompt's state, token by token.

use candle_core::{DType, Tensor, D};

use super::generate::{GenerateError, Prefix};
use super::model::{Model, Weights};

/// The model's log-probability of one continuation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Sum over its tokens of log P(token | prompt, tokens before it).
    pub logprob: f32,
    pub tokens: usize,
}

impl Model {
    /// The [`Score`] of each of `continuations` right after `prompt` (itself after
    /// `prefix`, if any). An empty continuation scores 0 over 0 tokens.
    pub fn score(
        &self,
        prefix: Option<&Prefix>,
        prompt: &str,
        continuations: &[&str],
    ) -> Result<Vec<Score>, GenerateError> {
        let step = self.start(prefix, prompt)?;
        let (state, pos) = (step.state, step.pos);
        let first = log_softmax(&step.logits)?;
        let tokens: Vec<Vec<u32>> = continuations
            .iter()
            .map(|c| self.encode(c).map_err(GenerateError::Tokenizer))
            .collect::<Result<_, _>>()?;
        let rest = match state {
            Weights::Qwen2(mut m) => tree(&mut m, &tokens, pos, &self.device)?,
            state => {
                let mut rest = Vec::with_capacity(tokens.len());
                for t in &tokens {
                    rest.push(one_by_one(&mut state.clone(), t, pos, &self.device)?);
                }
                rest
            }
        };
        Ok(tokens
            .iter()
            .zip(rest)
            .map(|(t, rest)| Score {
                logprob: t.first().map_or(0.0, |&f| first[f as usize]) + rest,
                tokens: t.len(),
            })
            .collect())
    }
}

fn log_softmax(logits: &Tensor) -> candle_core::Result<Vec<f32>> {
    candle_nn::ops::log_softmax(&logits.to_dtype(DType::F32)?, D::Minus1)?.to_vec1()
}

/// Log-probability of each continuation's tokens after its first, all in one pass
/// of a model whose cache holds the `start` prompt tokens.
fn tree(
    m: &mut super::qwen2::ModelWeights,
    continuations: &[Vec<u32>],
    start: usize,
    device: &candle_core::Device,
) -> candle_core::Result<Vec<f32>> {
    // Every token but the last of each continuation is fed; its logits judge the next.
    let mut fed: Vec<u32> = Vec::new();
    let mut positions: Vec<u32> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    let mut targets: Vec<u32> = Vec::new();
    for (c, t) in continuations.iter().enumerate() {
        for (j, pair) in t.windows(2).enumerate() {
            fed.push(pair[0]);
            positions.push((start + j) as u32);
            owner.push(c);
            targets.push(pair[1]);
        }
    }
    let mut sums = vec![0.0f32; continuations.len()];
    if fed.is_empty() {
        return Ok(sums);
    }
    let n = fed.len();
    let kv = start + n;
    // Row i sees the whole prompt, and of the fed tokens those of its own
    // continuation up to itself.
    let mut mask = vec![0u8; n * kv];
    for i in 0..n {
        for j in 0..n {
            if owner[j] != owner[i] || j > i {
                mask[i * kv + start + j] = 1;
            }
        }
    }
    let mask = Tensor::from_vec(mask, (n, kv), device)?;
    let input = Tensor::new(fed.as_slice(), device)?.unsqueeze(0)?;
    let logits = m.forward_tree(&input, &positions, &mask, start)?;
    let lp = candle_nn::ops::log_softmax(&logits.to_dtype(DType::F32)?, D::Minus1)?;
    let picked: Vec<f32> = lp
        .gather(&Tensor::new(targets.as_slice(), device)?.unsqueeze(1)?, 1)?
        .squeeze(1)?
        .to_vec1()?;
    for (i, v) in picked.into_iter().enumerate() {
        sums[owner[i]] += v;
    }
    Ok(sums)
}

/// [`tree`] for one continuation, a token at a time, for any architecture.
fn one_by_one(
    state: &mut Weights,
    tokens: &[u32],
    start: usize,
    device: &candle_core::Device,
) -> candle_core::Result<f32> {
    let mut sum = 0.0;
    for (j, pair) in tokens.windows(2).enumerate() {
        let logits = state.forward(&pair[..1], start + j, device)?;
        sum += log_softmax(&logits)?[pair[1] as usize];
    }
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    #[test]
    fn one_pass_over_the_tree_scores_as_each_continuation_alone() {
        let dev = Device::Cpu;
        let mut m = crate::llm::testing::tiny_qwen2();
        let prompt = [1u32, 7, 3, 9, 12];
        m.forward(
            &Tensor::new(&prompt, &dev).unwrap().unsqueeze(0).unwrap(),
            0,
        )
        .unwrap();
        // Different lengths, a shared first token, one of a single token (nothing fed).
        let continuations = vec![
            vec![5u32, 8, 2],
            vec![5, 30],
            vec![40],
            vec![11, 22, 33, 44],
        ];
        let together = tree(&mut m.clone(), &continuations, prompt.len(), &dev).unwrap();
        for (c, got) in continuations.iter().zip(&together) {
            let alone = one_by_one(&mut Weights::Qwen2(m.clone()), c, prompt.len(), &dev).unwrap();
            assert!(
                (got - alone).abs() < 1e-3,
                "{c:?}: {got} in the tree, {alone} alone"
            );
        }
        assert_eq!(together[2], 0.0, "a one-token continuation feeds nothing");
        assert!(together.iter().all(|lp| *lp <= 0.0), "{together:?}");
    }
}
