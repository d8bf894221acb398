//! Computed vectors on disk, by model and by the hash of the text embedded: a restart
//! or a product whose words did not change costs no model time. It is derived data
//! in its own SQLite file beside the index (`vectors.sqlite3`), never in the shop's
//! database: deleting it only costs the time to compute the vectors again.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

pub struct VectorCache {
    conn: Connection,
    model: String,
}

impl VectorCache {
    pub fn open(path: &Path, model: &str) -> rusqlite::Result<VectorCache> {
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             CREATE TABLE IF NOT EXISTS vectors (
                 model TEXT NOT NULL,
                 text_hash TEXT NOT NULL,
                 vector BLOB NOT NULL,
                 PRIMARY KEY (model, text_hash)
             ) WITHOUT ROWID;",
        )?;
        Ok(VectorCache {
            conn,
            model: model.to_string(),
        })
    }

    /// The stored vectors among `hashes`.
    pub fn get_many(
        &self,
        hashes: &[&str],
        dim: usize,
    ) -> rusqlite::Result<HashMap<String, Vec<f32>>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT vector FROM vectors WHERE model = ?1 AND text_hash = ?2")?;
        let mut out = HashMap::new();
        for h in hashes {
            let blob: Option<Vec<u8>> = stmt
                .query_row(params![self.model, h], |r| r.get(0))
                .optional()?;
            if let Some(b) = blob.filter(|b| b.len() == dim * 4) {
                out.insert(h.to_string(), from_blob(&b));
            }
        }
        Ok(out)
    }

    /// Stores vectors in one transaction.
    pub fn put_many(&mut self, rows: &[(String, Vec<f32>)]) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO vectors (model, text_hash, vector) VALUES (?1, ?2, ?3)",
            )?;
            for (h, v) in rows {
                stmt.execute(params![self.model, h, to_blob(v)])?;
            }
        }
        tx.commit()
    }
}

fn to_blob(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn from_blob(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}
