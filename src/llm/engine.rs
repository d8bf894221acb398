//! The one model instance the daemon shares, behind a bounded queue.
//!
//! One generation runs at a time (on a 2-core machine a second one only halves both);
//! up to `queue` more wait their turn, and a request beyond that is refused at once
//! with [`EngineError::Busy`] instead of waiting without bound (meilisearch's search
//! queue, DESIGN.md). Text streams to the caller through a channel; when the caller
//! drops its receiver, generation stops at the next token.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::{mpsc, Semaphore};

use super::generate::{GenerateError, GenerateOptions, Generation, Prefix};
use super::model::Model;

/// Why a request did not run.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("the model is busy: {waiting} requests are already waiting")]
    Busy { waiting: usize },
    #[error(transparent)]
    Generate(#[from] GenerateError),
    #[error("generation thread failed: {0}")]
    Join(String),
}

/// A shared model with a bounded wait queue. Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    model: Arc<Model>,
    running: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    queue: usize,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("model", &self.model.name)
            .field("queue", &self.queue)
            .finish()
    }
}

/// Counts a waiting request for as long as it lives, even if its future is dropped.
struct WaitTicket(Arc<AtomicUsize>);

impl Drop for WaitTicket {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Engine {
    /// Shares `model`; at most `queue` requests wait while one runs.
    pub fn new(model: Arc<Model>, queue: usize) -> Self {
        Engine {
            model,
            running: Arc::new(Semaphore::new(1)),
            waiting: Arc::new(AtomicUsize::new(0)),
            queue,
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Requests waiting for their turn now (for metrics).
    pub fn queue_depth(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// Generates on a blocking thread, sending text pieces to `text` as they come.
    /// Refuses at once when the queue is full.
    pub async fn generate(
        &self,
        prefix: Option<Arc<Prefix>>,
        prompt: String,
        opts: GenerateOptions,
        text: mpsc::Sender<String>,
    ) -> Result<Generation, EngineError> {
        self.run(move |model| {
            model.generate(prefix.as_deref(), &prompt, &opts, |piece| {
                text.blocking_send(piece.to_string()).is_ok()
            })
        })
        .await?
        .map_err(EngineError::from)
    }

    /// Runs `work` with the model on a blocking thread when it is this request's turn.
    /// Refuses at once when the queue is full.
    pub async fn run<T, F>(&self, work: F) -> Result<T, EngineError>
    where
        F: FnOnce(&Model) -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = match self.running.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                let before = self.waiting.fetch_add(1, Ordering::SeqCst);
                let ticket = WaitTicket(self.waiting.clone());
                if before >= self.queue {
                    drop(ticket);
                    return Err(EngineError::Busy { waiting: before });
                }
                let p = self
                    .running
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|e| EngineError::Join(e.to_string()))?;
                drop(ticket);
                p
            }
        };
        let model = self.model.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(&model)
        })
        .await
        .map_err(|e| EngineError::Join(e.to_string()))
    }
}
