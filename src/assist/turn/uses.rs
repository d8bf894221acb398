//! What each of the shop's product types is for, in the model's words ("Beanie" →
//! "warm ears in winter", …): asked once per type and model, kept in a file in the
//! data directory, and compared by meaning with a message that describes a need.
//!
//! The 1.5B model judges a type's name against a need poorly when the two share a
//! word's sound ("my ears freeze" → earbuds; BENCHMARKS.md), but it knows what a
//! beanie is for. Comparing the message with those uses (the e5 vectors) is the
//! second opinion [`super::discover`] weighs beside the model's judgement.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The uses kept, by model and type name, and where they are saved.
#[derive(Debug, Default)]
pub struct TypeUses {
    path: Option<PathBuf>,
    kept: Mutex<Kept>,
}

/// The file's content: the uses prompt's fingerprint and the uses by key.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Kept {
    prompt: String,
    uses: HashMap<String, Vec<String>>,
}

fn key(model: &str, name: &str) -> String {
    format!("{model}\u{1f}{}", name.to_lowercase())
}

impl TypeUses {
    /// Kept in memory only.
    pub fn in_memory() -> TypeUses {
        TypeUses::default()
    }

    /// Kept in `path`, read now if it exists; an unreadable file is logged and
    /// replaced on the next save, since everything in it can be asked again.
    pub fn at(path: PathBuf) -> TypeUses {
        let kept = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(path = %path.display(), error = %e, "type uses file unreadable; asking again");
                Kept::default()
            }),
            Err(_) => Kept::default(),
        };
        TypeUses {
            path: Some(path),
            kept: Mutex::new(kept),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Forgets every use asked under another prompt.
    pub fn for_prompt(&self, prompt: &str) {
        let mut k = self.lock();
        if k.prompt != prompt {
            k.uses.clear();
            k.prompt = prompt.to_string();
        }
    }

    /// The uses of type `name` by `model`, if asked before.
    pub fn get(&self, model: &str, name: &str) -> Option<Vec<String>> {
        self.lock().uses.get(&key(model, name)).cloned()
    }

    pub fn insert(&self, model: &str, name: &str, uses: Vec<String>) {
        self.lock().uses.insert(key(model, name), uses);
    }

    pub fn len(&self) -> usize {
        self.lock().uses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the file (to a temporary file, then renamed, so a killed process
    /// leaves the old one whole).
    pub fn save(&self) {
        let Some(path) = &self.path else { return };
        let bytes = match serde_json::to_vec(&*self.lock()) {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "type uses not saved");
                return;
            }
        };
        let tmp = path.with_extension("json.tmp");
        if let Err(e) = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path)) {
            tracing::warn!(path = %path.display(), error = %e, "type uses not saved");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_survive_a_restart_and_are_forgotten_when_the_prompt_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("type_uses.json");
        let uses = TypeUses::at(path.clone());
        uses.for_prompt("p1");
        uses.insert("m.gguf", "Beanie", vec!["warm ears".into()]);
        uses.save();
        let again = TypeUses::at(path.clone());
        again.for_prompt("p1");
        assert_eq!(
            again.get("m.gguf", "beanie"),
            Some(vec!["warm ears".into()])
        );
        assert_eq!(again.get("other.gguf", "Beanie"), None);
        again.for_prompt("p2");
        assert!(again.is_empty());
        std::fs::write(&path, b"{not json").unwrap();
        assert!(TypeUses::at(path).is_empty());
    }
}
