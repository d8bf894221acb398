//! What the daemon is still waiting for before it can serve every request.
//!
//! Start-up registers each slow part (the model, the catalogue index) as a component;
//! `/readyz` answers 200 only when all of them are ready, and names the ones that are
//! not (with the reason) otherwise.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use serde::Serialize;

/// The state of one start-up component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", content = "detail", rename_all = "snake_case")]
pub enum ComponentState {
    /// Still being prepared; the detail says what it is doing.
    Loading(String),
    Ready,
    /// Serving, but not yet at full quality: the detail says what is still being
    /// prepared (the product vectors: search is lexical until they are in). Counts
    /// as ready.
    Warming(String),
    /// An optional part that is not running; the detail says why (the embedding
    /// model could not load: search is lexical). Counts as ready.
    Off(String),
    /// Gave up; the detail says why. The daemon keeps serving what it can.
    Failed(String),
}

/// Shared, cheap to clone view of every component's state.
#[derive(Debug, Clone, Default)]
pub struct Readiness {
    inner: Arc<RwLock<BTreeMap<&'static str, ComponentState>>>,
}

impl Readiness {
    /// Records the state of `component`, registering it if new.
    pub fn set(&self, component: &'static str, state: ComponentState) {
        let mut map = self.inner.write().unwrap_or_else(|p| p.into_inner());
        map.insert(component, state);
    }

    /// All components' states, by name.
    pub fn snapshot(&self) -> BTreeMap<&'static str, ComponentState> {
        self.inner.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Ready when at least one component is registered and every one is ready.
    pub fn is_ready(&self) -> bool {
        let map = self.snapshot();
        !map.is_empty()
            && map
                .values()
                .all(|s| !matches!(s, ComponentState::Loading(_) | ComponentState::Failed(_)))
    }

    /// A one-line reason for not being ready, naming each component that is not.
    pub fn reason(&self) -> String {
        let map = self.snapshot();
        if map.is_empty() {
            return "starting".into();
        }
        map.iter()
            .filter_map(|(name, s)| match s {
                ComponentState::Ready | ComponentState::Warming(_) | ComponentState::Off(_) => None,
                ComponentState::Loading(d) => Some(format!("{name}: loading ({d})")),
                ComponentState::Failed(d) => Some(format!("{name}: failed ({d})")),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ready_only_when_every_component_is() {
        let r = Readiness::default();
        assert!(!r.is_ready(), "nothing registered is not ready");
        r.set("model", ComponentState::Loading("fetching".into()));
        r.set("catalog", ComponentState::Ready);
        assert!(!r.is_ready());
        assert!(r.reason().contains("model: loading (fetching)"));
        assert!(!r.reason().contains("catalog"));
        r.set("model", ComponentState::Ready);
        assert!(r.is_ready());
        r.set("catalog", ComponentState::Failed("disk".into()));
        assert!(!r.is_ready());
        assert!(r.reason().contains("catalog: failed (disk)"));
    }
}
