//! The prompt cache on disk: the model's state after a fixed prompt prefix (every
//! layer's keys and values, and the logits after the last token), saved beside the
//! model so that a restart restores it in a fraction of a second instead of running
//! the few-shot prefixes again (seconds to tens of seconds on a CPU).
//!
//! An entry is keyed by everything its numbers depend on: the model file's sha256,
//! the engine ([`ENGINE`]: this crate's version, the layout of the state and the
//! arithmetic that computes it, bumped when a kernel changes), the
//! device, the kernels in use (ours or candle's, and candle's dequantising
//! switches), and the prefix's token ids. The file also holds the token ids, which are
//! compared on load, so a stale or foreign file is never used; a file that cannot be
//! read or does not fit the model is logged and computed again. Entries are written
//! to a temporary file and renamed, so a killed process leaves no half-written entry,
//! and entries unused for [`KEEP_UNUSED`] are removed when a new one is written.
//!
//! Only the architectures whose KV cache the engine can read (Qwen2) are cached;
//! others compute their prefixes at every start, as before.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use candle_core::{DType, Device, Tensor};
use sha2::{Digest, Sha256};

use super::model::Weights;

/// What the saved state's numbers depend on besides the model file and the prompt.
/// Bump the suffix when the forward pass changes its arithmetic.
pub const ENGINE: &str = concat!(
    "shopassist ",
    env!("CARGO_PKG_VERSION"),
    " kv-f32 gqa v3 tiles"
);

/// Entries not used for this long are removed when a new entry is written.
pub const KEEP_UNUSED: Duration = Duration::from_secs(30 * 24 * 3600);

/// Where one model's prompt states are kept, and what identifies the model.
#[derive(Debug, Clone)]
pub struct PromptCache {
    dir: PathBuf,
    /// The model file's sha256 and the device, hashed into every key.
    identity: String,
}

/// A prefix's state as saved: the weights' KV cache after it and its last logits.
pub struct Saved {
    pub state: Weights,
    pub logits: Option<Tensor>,
}

impl PromptCache {
    /// The cache of the model file at `model_path` (whose sha256 is `model_sha256`)
    /// on `device`: a directory beside the file, `<file name>.prompt-cache`.
    pub fn beside(model_path: &Path, model_sha256: &str, device: &Device) -> PromptCache {
        let mut name = model_path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(".prompt-cache");
        // The kernels and candle's dequantising switches change the arithmetic too
        // (the last prefix token's logits come from a one-row product).
        let switches: Vec<String> = ["CANDLE_DEQUANTIZE_ALL", "CANDLE_DEQUANTIZE_ALL_F16"]
            .iter()
            .filter_map(|v| std::env::var(v).ok().map(|x| format!("{v}={x}")))
            .collect();
        PromptCache {
            dir: model_path.with_file_name(name),
            identity: format!(
                "{model_sha256} {:?} {:?} {switches:?}",
                device.location(),
                super::kernels::kernel()
            ),
        }
    }

    /// The directory entries live in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry's file for a prefix of `tokens`.
    pub fn path_for(&self, tokens: &[u32]) -> PathBuf {
        let mut h = Sha256::new();
        h.update(ENGINE.as_bytes());
        h.update([0]);
        h.update(self.identity.as_bytes());
        h.update([0]);
        for t in tokens {
            h.update(t.to_le_bytes());
        }
        let key = hex::encode(&h.finalize()[..16]);
        self.dir.join(format!("{key}.safetensors"))
    }

    /// The saved state after `tokens`, installed into a copy of `base` (the model's
    /// fresh weights), or `None` when there is none or it cannot be used (logged).
    pub fn load(&self, base: &Weights, tokens: &[u32], device: &Device) -> Option<Saved> {
        if !base.has_kv_access() {
            return None;
        }
        let path = self.path_for(tokens);
        if !path.is_file() {
            return None;
        }
        match read_entry(&path, base, tokens, device) {
            Ok(saved) => {
                // Mark it used, so pruning keeps it.
                let _ = std::fs::File::options()
                    .write(true)
                    .open(&path)
                    .and_then(|f| f.set_modified(SystemTime::now()));
                Some(saved)
            }
            Err(reason) => {
                tracing::warn!(file = %path.display(), %reason, "saved prompt state unusable; computing it again");
                None
            }
        }
    }

    /// Saves the state after `tokens` (a no-op for architectures without KV access).
    pub fn save(
        &self,
        state: &Weights,
        tokens: &[u32],
        logits: Option<&Tensor>,
    ) -> Result<(), String> {
        let Some(cache) = state.kv_cache() else {
            return Ok(());
        };
        let mut tensors: HashMap<String, Tensor> = HashMap::new();
        let ids = Tensor::new(tokens, &Device::Cpu).map_err(|e| e.to_string())?;
        tensors.insert("tokens".into(), ids);
        for (i, (k, v)) in cache.into_iter().enumerate() {
            tensors.insert(format!("k.{i}"), k);
            tensors.insert(format!("v.{i}"), v);
        }
        if let Some(l) = logits {
            tensors.insert("logits".into(), l.clone());
        }
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("creating {}: {e}", self.dir.display()))?;
        let path = self.path_for(tokens);
        let tmp = self.dir.join(format!(
            ".{}.{}.tmp",
            path.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        candle_core::safetensors::save(&tensors, &tmp)
            .and_then(|()| std::fs::rename(&tmp, &path).map_err(candle_core::Error::from))
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                format!("writing {}: {e}", path.display())
            })?;
        self.prune(&path);
        Ok(())
    }

    /// Removes entries (and stray temporary files) unused for [`KEEP_UNUSED`].
    fn prune(&self, keep: &Path) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        for e in entries.flatten() {
            let path = e.path();
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age > KEEP_UNUSED);
            if old && path != keep {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

fn read_entry(
    path: &Path,
    base: &Weights,
    tokens: &[u32],
    device: &Device,
) -> Result<Saved, String> {
    let mut tensors = candle_core::safetensors::load(path, device).map_err(|e| e.to_string())?;
    let saved_tokens = tensors
        .remove("tokens")
        .ok_or("no token ids")?
        .to_vec1::<u32>()
        .map_err(|e| e.to_string())?;
    if saved_tokens != tokens {
        return Err("saved for another prompt".into());
    }
    let mut cache = Vec::new();
    while let (Some(k), Some(v)) = (
        tensors.remove(&format!("k.{}", cache.len())),
        tensors.remove(&format!("v.{}", cache.len())),
    ) {
        cache.push((k, v));
    }
    let logits = tensors.remove("logits");
    if let Some(l) = &logits {
        if l.dtype() != DType::F32 || l.rank() != 1 {
            return Err(format!("logits {:?} {:?}", l.dims(), l.dtype()));
        }
    }
    if cache
        .first()
        .is_some_and(|(k, _)| k.dim(2).ok() != Some(tokens.len()))
    {
        return Err("the state's length is not the prompt's".into());
    }
    let mut state = base.clone();
    state.set_kv_cache(cache).map_err(|e| e.to_string())?;
    Ok(Saved { state, logits })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::llm::testing::tiny_qwen2;

    const PROMPT: [u32; 6] = [1, 7, 3, 9, 12, 4];

    fn cache_in(dir: &Path, sha: &str) -> PromptCache {
        PromptCache::beside(&dir.join("model.gguf"), sha, &Device::Cpu)
    }

    /// The state after PROMPT, computed, with its logits.
    fn computed(base: &Weights) -> (Weights, Tensor) {
        let mut state = base.clone();
        let logits = state.forward(&PROMPT, 0, &Device::Cpu).unwrap();
        (state, logits)
    }

    fn next_logits(state: &Weights, token: u32) -> Vec<f32> {
        let mut s = state.clone();
        s.forward(&[token], PROMPT.len(), &Device::Cpu)
            .unwrap()
            .to_vec1()
            .unwrap()
    }

    #[test]
    fn a_saved_prefix_continues_exactly_as_the_computed_one() {
        let dir = tempfile::tempdir().unwrap();
        let base = Weights::Qwen2(tiny_qwen2());
        let (state, logits) = computed(&base);
        let cache = cache_in(dir.path(), "abc");
        assert!(cache.load(&base, &PROMPT, &Device::Cpu).is_none());
        cache.save(&state, &PROMPT, Some(&logits)).unwrap();
        assert!(cache
            .path_for(&PROMPT)
            .starts_with(dir.path().join("model.gguf.prompt-cache")));

        let restored = cache.load(&base, &PROMPT, &Device::Cpu).unwrap();
        assert_eq!(
            restored.logits.unwrap().to_vec1::<f32>().unwrap(),
            logits.to_vec1::<f32>().unwrap()
        );
        for token in [0, 5, 40] {
            assert_eq!(
                next_logits(&restored.state, token),
                next_logits(&state, token)
            );
        }
        // The fresh weights were copied, not filled: they still start from nothing.
        assert!(base.kv_cache().is_none());
    }

    #[test]
    fn another_prompt_model_or_engine_state_is_never_used() {
        let dir = tempfile::tempdir().unwrap();
        let base = Weights::Qwen2(tiny_qwen2());
        let (state, logits) = computed(&base);
        let cache = cache_in(dir.path(), "abc");
        cache.save(&state, &PROMPT, Some(&logits)).unwrap();
        assert!(cache.load(&base, &PROMPT[..5], &Device::Cpu).is_none());
        assert!(cache_in(dir.path(), "another model")
            .load(&base, &PROMPT, &Device::Cpu)
            .is_none());

        // A file under the prompt's key that was written for other tokens (a hash
        // collision, a hand-copied file) is refused by its own token ids.
        let other = [2u32, 2, 2];
        cache.save(&state, &other, Some(&logits)).unwrap();
        std::fs::rename(cache.path_for(&other), cache.path_for(&PROMPT)).unwrap();
        assert!(cache.load(&base, &PROMPT, &Device::Cpu).is_none());
    }

    #[test]
    fn a_damaged_or_foreign_entry_is_computed_again_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let base = Weights::Qwen2(tiny_qwen2());
        let cache = cache_in(dir.path(), "abc");
        std::fs::create_dir_all(cache.dir()).unwrap();
        std::fs::write(cache.path_for(&PROMPT), b"not a safetensors file").unwrap();
        assert!(cache.load(&base, &PROMPT, &Device::Cpu).is_none());

        // The right tokens, but keys and values of another shape (another model).
        let wrong = Tensor::zeros((1, 3, PROMPT.len(), 8), DType::F32, &Device::Cpu).unwrap();
        let mut tensors = HashMap::new();
        tensors.insert(
            "tokens".to_string(),
            Tensor::new(&PROMPT, &Device::Cpu).unwrap(),
        );
        for l in 0..2 {
            tensors.insert(format!("k.{l}"), wrong.clone());
            tensors.insert(format!("v.{l}"), wrong.clone());
        }
        candle_core::safetensors::save(&tensors, cache.path_for(&PROMPT)).unwrap();
        assert!(cache.load(&base, &PROMPT, &Device::Cpu).is_none());

        // Saving over it repairs it.
        let (state, logits) = computed(&base);
        cache.save(&state, &PROMPT, Some(&logits)).unwrap();
        assert!(cache.load(&base, &PROMPT, &Device::Cpu).is_some());
        let left: Vec<_> = std::fs::read_dir(cache.dir()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "no temporary files are left behind");
    }
}
